#!/usr/bin/env bash
# Start JupyterLab at the welcome lesson. `make lab` runs this script, and tests/test_make_lab.py runs
# it too (headless, with extra options appended), so the two start the same server.
# LAB_PYTHON: the interpreter with JupyterLab installed (make passes .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."

# The learner edition (solutions out) is made from notebooks/ into learner/, which git ignores.
# A notebook the learner has changed is kept, never overwritten (see labkit/tools/release.py).
"${LAB_PYTHON:-python3}" -m labkit release notebooks learner

# root_dir: the file browser shows the whole repository, as on Binder.
args=(lab learner/00-welcome.ipynb --ServerApp.root_dir=.)
# JupyterLab refuses to run as root without this; CI and many containers are root.
if [ "$(id -u)" -eq 0 ]; then
    args+=(--allow-root)
fi

exec "${LAB_PYTHON:-python3}" -m jupyter "${args[@]}" "$@"
