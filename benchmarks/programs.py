"""Cells that run a program on purpose (the AWS CLI, Packer), and the budgets they are held to.

Such a cell cannot meet the later-cell target of 100 ms: the program's own start-up is more. So
these cells are a listed exception: ``make bench`` measures them, reports each lesson's slowest on
a row of its own, and holds it to a budget made from a floor measured on the same machine, in the
same run:

* **the AWS CLI** (``!aws``, ``%aws``, ``%%aws``): the floor is a fresh ``aws ec2 describe-images
  --generate-cli-skeleton``, started as ``!aws`` starts it (IPython's ``system``: a shell on a
  pseudo-terminal; then Python's start, the CLI's imports, EC2's model; no request, no
  credentials, nothing on the network). A cell may take one floor per command it runs, plus the
  later-cell target for the lab's part (answering the request). ``%aws`` runs the CLI in the
  kernel, so it pays the imports only once; the budget is the same upper bound.
* **Packer** (``packer.build``, ``packer.packer_version``): the floor is the smallest build the
  lab can make, measured with the lab's own ``packer.build``: one Region, unencrypted, not shared
  (Packer's start, its waiters' polls, a launch, a stop, an image). A lesson's build may take
  twice that per build (its template also copies the image, encrypted, to a second Region and
  shares it: a second round of the same waits); ``packer version`` alone, one floor.

Every other later cell stays under the 100 ms target; nothing here is skipped.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass

__all__ = ["AWS_CLI", "PACKER", "Budget", "cell_program", "cli_floor", "packer_floor"]

AWS_CLI = "AWS CLI"
PACKER = "Packer"

#: A line that runs the AWS CLI: the shell's ``!aws`` or labkit's ``%aws``/``%%aws`` magics.
_CLI_LINE = re.compile(r"^\s*(?:!\s*aws|%%?aws)\b")
_PACKER_CALL = re.compile(r"\bpacker\.(build|packer_version)\(")
#: Packer builds a cell may spend twice the floor on (see the module's docstring).
PACKER_BUILD_FLOORS = 2.0


@dataclass(frozen=True)
class Budget:
    """What one exceptional cell runs, and how many floors of it the cell may take."""

    program: str
    runs: int
    #: floors per run (the CLI: one; a Packer build: two)
    floors_each: float = 1.0

    def seconds(self, floor: float, later_cell: float) -> float:
        """The cell's budget: its runs' floors, plus the later-cell target for the lab's part."""
        return self.runs * self.floors_each * floor + later_cell


def _code_lines(source: str) -> list[str]:
    """The source's lines without comments (a commented-out call runs nothing)."""
    return [line for line in source.splitlines() if not line.lstrip().startswith("#")]


def cell_program(source: str) -> Budget | None:
    """The program a cell runs on purpose, and how many times; None for an ordinary cell."""
    lines = _code_lines(source)
    if lines and lines[0].lstrip().startswith("%%aws"):
        commands = [line for line in lines[1:] if line.strip()]
        return Budget(AWS_CLI, max(1, len(commands)))
    cli = sum(bool(_CLI_LINE.match(line)) for line in lines)
    if cli:
        return Budget(AWS_CLI, cli)
    calls = [m.group(1) for line in lines for m in _PACKER_CALL.finditer(line.split("#")[0])]
    builds = calls.count("build")
    if builds:
        return Budget(PACKER, builds, PACKER_BUILD_FLOORS)
    if calls:
        return Budget(PACKER, len(calls))
    return None


def _sealed_environment(home: str) -> dict[str, str]:
    """No credentials, no profile, no instance metadata: the CLI can reach nothing real. This
    Python's scripts come first on PATH, so ``aws`` is the CLI installed beside labkit."""
    scripts = sysconfig.get_path("scripts")
    return {
        "PATH": os.pathsep.join([scripts, os.environ.get("PATH", os.defpath)]),
        "HOME": home,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


#: The floor's command, run as a learner's ``!aws`` runs it: IPython's ``system`` (a shell on a
#: pseudo-terminal, read by pexpect), then the ``aws`` script.
CLI_FLOOR_COMMAND = "aws ec2 describe-images --generate-cli-skeleton > /dev/null"

_CLI_FLOOR = """
import time
from IPython.utils.process import system

start = time.perf_counter()
code = system({command!r})
print(time.perf_counter() - start if code == 0 else "failed")
"""


def cli_floor(repeat: int = 5) -> float:
    """Median seconds of a fresh AWS CLI, started as ``!aws`` starts it, that loads EC2's model
    and sends nothing."""
    code = _CLI_FLOOR.format(command=CLI_FLOOR_COMMAND)
    times = []
    with tempfile.TemporaryDirectory(prefix="amilab-bench-") as home:
        for _ in range(repeat):
            done = subprocess.run(
                [sys.executable, "-c", code],
                env=_sealed_environment(home),
                capture_output=True,
                text=True,
                check=True,
            )
            times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


#: The smallest build the lab makes: one Region, unencrypted, not shared (see lesson 10).
FLOOR_TEMPLATE = """
variable "endpoint" {
  type    = string
  default = ""
}
source "amazon-ebs" "floor" {
  region        = "us-east-1"
  instance_type = "t3.micro"
  source_ami_filter {
    owners      = ["amazon"]
    most_recent = true
    filters = {
      name                = "al2023-ami-2023.*-x86_64"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
  }
  communicator            = "none"
  ami_name                = "floor-NUMBER"
  custom_endpoint_ec2     = var.endpoint
  skip_region_validation  = true
  skip_metadata_api_check = true
  aws_polling {
    delay_seconds = 1
    max_attempts  = 60
  }
}
build {
  sources = ["source.amazon-ebs.floor"]
}
"""

_PACKER_FLOOR = """
import json, statistics, time
from labkit import Lab, packer

if packer.find_packer() is None:
    print(json.dumps(None))
else:
    lab = Lab("10-packer", quiet=True)
    times = []
    for number in range({repeat}):
        start = time.perf_counter()
        run = packer.build(lab, {template!r}.replace("NUMBER", str(number)))
        times.append(time.perf_counter() - start)
        if not run.ok:
            raise SystemExit(run.output)
    print(json.dumps(statistics.median(times)))
"""


def packer_floor(repeat: int = 3) -> float | None:
    """Median seconds of the lab's smallest Packer build; None where Packer is not installed."""
    code = _PACKER_FLOOR.format(repeat=repeat, template=FLOOR_TEMPLATE)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"the Packer floor failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])
