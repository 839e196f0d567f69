#!/bin/bash
# The Littlest JupyterHub for an AMI Lab class, on a fresh Ubuntu 22.04 or 24.04 server, as root:
#
#   COURSE_REPO=https://github.com/ORG/REPO COURSE_BRANCH=main ADMIN=instructor bash install.sh
#
# Size the server with docs/sizing.md (2 cores and 24 GB serve the class it names). Every command
# below is also one you can type yourself; docs/instructor-guide.md ("Teach a class") explains them.
set -euo pipefail
: "${COURSE_REPO:?set COURSE_REPO to the git URL of the course}"
COURSE_BRANCH="${COURSE_BRANCH:-main}"
ADMIN="${ADMIN:-instructor}"
COURSE_DIR=/srv/ami-lab

# Per learner, from `make hub-load` (docs/sizing.md): a server and one lesson's kernel peak near
# 0.3 GB; the limit leaves room for three lessons open at once. One core at most each.
MEMORY_LIMIT=1G
CPU_LIMIT=1
# Idle servers are stopped after an hour (their files stay); the culler looks every 5 minutes.
CULL_TIMEOUT=3600
CULL_EVERY=300

# 1. TLJH, with you as its admin (its own installer).
apt-get update && apt-get install -y python3 python3-dev git curl
curl -L https://tljh.jupyter.org/bootstrap.py | python3 - --admin "$ADMIN"

# 2. The course on the server, at the branch you teach.
git clone --branch "$COURSE_BRANCH" "$COURSE_REPO" "$COURSE_DIR"

# 3. The learners' environment: the course's lock file (the versions Binder, CI and `make lab` use,
#    checked by their hashes), then labkit without changing them (binder/postBuild's step).
/opt/tljh/user/bin/pip install --require-hashes --no-deps -r "$COURSE_DIR/requirements/lab.lock.txt"
/opt/tljh/user/bin/pip install --no-deps "$COURSE_DIR"
/opt/tljh/user/bin/python -m labkit doctor || true  # read it: every line should be ✅

# 4. Each learner's server starts with deploy/bin/amilab-start (nbgitpuller, then the learner edition).
sed -e "s|^COURSE_REPO = .*|COURSE_REPO = \"$COURSE_REPO\"|" \
    -e "s|^COURSE_BRANCH = .*|COURSE_BRANCH = \"$COURSE_BRANCH\"|" \
    "$COURSE_DIR/deploy/tljh/amilab.py" >/opt/tljh/config/jupyterhub_config.d/amilab.py

# 5. Limits per learner, and the idle culler.
tljh-config set limits.memory "$MEMORY_LIMIT"
tljh-config set limits.cpu "$CPU_LIMIT"
tljh-config set services.cull.enabled true
tljh-config set services.cull.timeout "$CULL_TIMEOUT"
tljh-config set services.cull.every "$CULL_EVERY"
tljh-config reload
echo "Done: log in at http://$(hostname -I | awk '{print $1}')/ as $ADMIN, then add learners."
