"""``make upgrade-check``: would the newest moto and boto3 break the sandbox? Find out safely.

Builds a throwaway virtual environment in build/upgrade-check/ from the test lock, upgrades moto,
boto3 and botocore (and the AWS CLI, if the lock has it) to the newest releases, installs labkit,
and runs the fidelity tests there with AMILAB_ALLOW_VERSION_DRIFT=1 (the sandbox would otherwise
refuse to start on versions it was not written against). It prints what changed and which tests
broke; its exit code is pytest's. Nothing in .venv or the lock files changes. Not part of make test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "upgrade-check"
UPGRADED = ("moto[server]", "boto3", "botocore", "awscli")


def run(*command: str | os.PathLike[str], **kwargs: object) -> subprocess.CompletedProcess:
    print("$", " ".join(str(c) for c in command), flush=True)
    return subprocess.run([str(c) for c in command], cwd=ROOT, **kwargs)


def versions(python: Path) -> dict[str, str]:
    out = run(python, "-m", "pip", "list", "--format=freeze", capture_output=True, text=True)
    return dict(line.split("==", 1) for line in out.stdout.splitlines() if "==" in line)


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    venv.create(WORK / "venv", with_pip=True)
    python = WORK / "venv" / "bin" / "python"
    pip = (python, "-m", "pip", "install", "--quiet")
    run(*pip, "--require-hashes", "--no-deps", "-r", "requirements/test.lock.txt", check=True)
    before = versions(python)
    lock = (ROOT / "requirements" / "test.lock.txt").read_text(encoding="utf-8")
    wanted = [p for p in UPGRADED if re.search(rf"^{re.escape(p.split('[')[0])}==", lock, re.M)]
    run(*pip, "--upgrade", *wanted, check=True)
    run(*pip, "--no-deps", "-e", ".", check=True)
    after = versions(python)
    print("\nUpgraded:")
    for name in sorted({p.split("[")[0] for p in wanted}):
        print(f"  {name}: {before.get(name, '-')} -> {after.get(name, '-')}")
    env = {**os.environ, "AMILAB_ALLOW_VERSION_DRIFT": "1"}
    report = WORK / "fidelity-tests.txt"
    with report.open("w", encoding="utf-8") as out:
        result = run(
            python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
            "-W", "ignore::labkit.versions.VersionDriftWarning", "tests/fidelity",
            "tests/sandbox/test_sandbox.py", "tests/sandbox/speed/test_serializing.py",
            "tests/sandbox/speed/test_loading.py",
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    lines = report.read_text(encoding="utf-8").splitlines()
    broke = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    print(f"\n{len(broke)} tests broke with the newest versions" + (":" if broke else "."))
    for line in broke:
        print("  " + line)
    print("\n" + (lines[-1] if lines else "pytest printed nothing") + f"\nFull output: {report}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
