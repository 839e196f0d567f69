"""Pin every package AMI Lab installs, with hashes: ``make lock`` (after changing pyproject.toml).

Writes three lock files, each for every Python the course supports (3.10 and newer, any platform):

* ``requirements/lab.lock.txt``  — the course itself (``make lab``, Binder, the conda files);
* ``requirements/test.lock.txt`` — the course and its test tools (``make test``, CI);
* ``requirements/site.lock.txt`` — the course and Jupyter Book (``make site``).

The test and site locks are constrained by the lab lock, so a package has one version everywhere.
Then the pip lists of ``environment.yml`` and ``binder/environment.yml`` are rewritten from the lab
lock (conda's pip takes no hashes, so they carry the same exact versions without them).

Why uv and not pip-tools: ``uv pip compile --universal`` resolves once for every supported Python
and platform (markers where versions must differ), in seconds; pip-compile locks only for the
interpreter it runs on, and the course supports 3.10 to 3.13 while Binder pins 3.11.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements"
UV = "uv==0.13.9"
OLDEST_PYTHON = "3.10"
ENV_FILES = {
    "environment.yml": ["-e .  # labkit itself, from this folder"],
    "binder/environment.yml": [],
}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(;[^\\]*)?")


def compile_lock(out: str, *extra: str) -> None:
    """Run uv's universal resolver with hashes into ``requirements/<out>``."""
    command = [
        sys.executable, "-m", "uv", "pip", "compile", "pyproject.toml", *extra,
        "--universal", "--python-version", OLDEST_PYTHON, "--generate-hashes",
        "--no-header", "--quiet", "--output-file", f"requirements/{out}",
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, check=True)


def pins(lock: Path) -> list[str]:
    """The ``name==version[; marker]`` lines of a lock file, without hashes or comments."""
    found = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            name, version, marker = match.groups()
            found.append(f"{name}=={version}" + (f" {marker.strip()}" if marker else ""))
    return found


def rewrite_pip_list(env_file: Path, lines: list[str]) -> None:
    """Replace the ``- pip:`` list of a conda environment file, keeping everything above it."""
    text = env_file.read_text(encoding="utf-8")
    head, marker, _ = text.partition("  - pip:\n")
    if not marker:
        raise SystemExit(f"{env_file} has no '  - pip:' list to rewrite")
    body = "".join(f'      - "{line}"\n' if ";" in line else f"      - {line}\n" for line in lines)
    env_file.write_text(head + marker + body, encoding="utf-8")


def main() -> int:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", UV], check=True)
    LOCKS.mkdir(exist_ok=True)
    compile_lock("lab.lock.txt")
    compile_lock("test.lock.txt", "--extra", "test", "-c", "requirements/lab.lock.txt")
    compile_lock("site.lock.txt", "--extra", "site", "-c", "requirements/lab.lock.txt")
    lab = pins(LOCKS / "lab.lock.txt")
    for relpath, local in ENV_FILES.items():
        rewrite_pip_list(ROOT / relpath, lab + local)
    print(f"Locked {len(lab)} packages for the course; environment files rewritten.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
