"""HashiCorp Packer against the lab's sandbox, for lesson 10: find it, run a build, read its answer.

A build runs ``packer build`` with only the lab's environment (``lab.environ()``: the sandbox's
keys, endpoint and Region), ``CHECKPOINT_DISABLE=1`` (no update check over the network), a private
``HOME`` (so no ``~/.aws`` of the machine is read) and ``PATH``. The template reaches the sandbox
through its ``custom_endpoint_ec2`` (docs/endpoint.md). Where Packer is missing, nothing raises:
the answer says how to install it.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .output import BuiltImages, PackerRun, read_output

__all__ = [
    "INSTALL_HELP",
    "BuiltImages",
    "PackerRun",
    "build",
    "find_packer",
    "packer_version",
    "unpointed_sources",
]

#: How to install Packer, shown wherever it is missing.
INSTALL_HELP = (
    "Packer is not installed here. Install it, then run this cell again:\n"
    "  Debian or Ubuntu (as root):  apt-get install packer\n"
    "  conda:                       conda install -c conda-forge packer\n"
    "  elsewhere:                   https://developer.hashicorp.com/packer/install, then\n"
    "                               packer plugins install github.com/hashicorp/amazon"
)

#: The line ``packer version`` prints: ``Packer v1.6.6``.
_VERSION = re.compile(r"Packer v(\d+\.\d+\.\d+\S*)")

#: Where installers put Packer, looked at when ``PATH`` does not name it (a kernel may start with
#: a bare ``PATH``): Debian's apt, HashiCorp's zip and Homebrew, conda's environment.
_USUAL_FOLDERS = ("/usr/local/bin", "/usr/bin", "/opt/homebrew/bin", str(Path(sys.prefix) / "bin"))


def find_packer() -> str | None:
    """The path of the ``packer`` program, or None.

    ``AMILAB_PACKER``, if set, names the program (and nothing else is looked for: a path that is
    no program means "no Packer"); otherwise ``PATH``, then the usual folders.
    """
    if "AMILAB_PACKER" in os.environ:
        named = os.environ["AMILAB_PACKER"]
        return named if named and os.path.isfile(named) and os.access(named, os.X_OK) else None
    found = shutil.which("packer")
    if found is None:
        found = shutil.which("packer", path=os.pathsep.join(_USUAL_FOLDERS))
    return found


def packer_version(path: str | None = None) -> str | None:
    """Packer's version (``"1.6.6"``), or None if it is missing or does not answer."""
    program = path or find_packer()
    if program is None:
        return None
    try:
        answer = subprocess.run(
            [program, "version"],
            env={
                "PATH": os.environ.get("PATH") or os.pathsep.join(_USUAL_FOLDERS),
                "HOME": os.environ.get("HOME", "/"),
                "CHECKPOINT_DISABLE": "1",
            },
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = _VERSION.search(answer.stdout)
    return found.group(1) if found else None


def build(lab: Any, template: str, account: str = "learner", **variables: str) -> PackerRun:
    """Run ``packer build`` on a template (HCL2 text) against the lab, as one of its accounts.

    ``endpoint`` is passed as ``-var endpoint=<lab.endpoint_url>`` when the template declares it;
    every other keyword becomes a ``-var``. Never raises for Packer's own errors: the answer's
    ``ok`` is False and its output says what Packer said (or how to install Packer).

    Raises:
        TypeError: for a template or variable that is not a string.
        ValueError: for a lab that is not serving, or an empty template.
    """
    if not isinstance(template, str):
        raise TypeError(
            f"template must be the template's text (a str), not {type(template).__name__}"
        )
    if not template.strip():
        raise ValueError("template is empty: give the text of a Packer template")
    for name, value in variables.items():
        if not isinstance(value, str):
            raise TypeError(f"the variable {name} must be a str, not {type(value).__name__}")
    endpoint = getattr(lab, "endpoint_url", None)
    if not endpoint:
        raise ValueError("the lab is not serving: run the lesson's setup cell again")
    program = find_packer()
    if program is None:
        return PackerRun(False, INSTALL_HELP, missing=True)
    unpointed = unpointed_sources(template, endpoint)
    if unpointed:
        return PackerRun(False, _not_pointed(unpointed))
    if re.search(r'variable\s+"endpoint"', template):
        variables = {"endpoint": endpoint, **variables}
    with tempfile.TemporaryDirectory(prefix="amilab-packer-") as folder, _dead_end() as proxy:
        work = Path(folder)
        (work / "home").mkdir()
        (work / "template.pkr.hcl").write_text(template)
        command = [program, "build", "-machine-readable", "-color=false"]
        for name, value in variables.items():
            command += ["-var", f"{name}={value}"]
        command.append("template.pkr.hcl")
        answer = subprocess.run(
            command,
            cwd=work,
            env=packer_environment(lab, account, work / "home", proxy=proxy),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    return read_output(answer.returncode, answer.stdout, answer.stderr)


def packer_environment(
    lab: Any, account: str, home: Path, proxy: str | None = None
) -> dict[str, str]:
    """Everything ``packer build`` gets: the lab's variables, a private HOME, and PATH.

    ``proxy``, when given, is where every HTTP(S) request to a host other than loopback is sent
    (Go programs read ``HTTPS_PROXY``; they never send loopback requests through a proxy): a
    dead end from ``_dead_end``, so that a template that names AWS's own endpoints fails here.
    """
    environment = {
        "PATH": os.environ.get("PATH") or os.pathsep.join(_USUAL_FOLDERS),
        "HOME": str(home),
        "TMPDIR": str(home),
        "CHECKPOINT_DISABLE": "1",
        "PACKER_CACHE_DIR": str(home / "cache"),
        **lab.environ(account),
    }
    if proxy is not None:
        for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
            environment[name] = proxy
    plugins = _plugin_folder()
    if plugins is not None:  # current Packer finds the amazon plugin there
        environment["PACKER_PLUGIN_PATH"] = str(plugins)
    return environment


def _plugin_folder() -> Path | None:
    """Where the machine's Packer plugins are (``packer plugins install`` puts them), if any."""
    named = os.environ.get("PACKER_PLUGIN_PATH")
    if named:
        return Path(named)
    for folder in (Path.home() / ".config" / "packer" / "plugins", Path.home() / ".packer.d"):
        if folder.is_dir():
            return folder
    return None


# -- the lab's endpoint, and nothing else ---------------------------------------------------------

#: ``source "amazon-ebs" "golden" {``: a source that talks to EC2.
_AMAZON_SOURCE = re.compile(r'^\s*source\s+"(amazon-[\w-]+)"\s+"([\w-]+)"\s*\{', re.MULTILINE)


def _block(text: str, start: int) -> str:
    """The body of the block whose opening brace ends just before ``start``."""
    depth = 1
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start:index]
    return text[start:]


def unpointed_sources(template: str, endpoint: str) -> list[str]:
    """The amazon sources of a template that do not send Packer to the lab's endpoint.

    A source is pointed at the lab by a line ``custom_endpoint_ec2 = var.endpoint`` (the lesson's
    templates; ``build`` fills the variable in) or by the endpoint's own URL in quotes.
    """
    pointed = re.compile(
        r'^\s*custom_endpoint_ec2\s*=\s*(var\.endpoint|"\$\{var\.endpoint\}"|"'
        + re.escape(endpoint.rstrip("/"))
        + r'/?")\s*(#.*|//.*)?$',
        re.MULTILINE,
    )
    return [
        f"{match[1]}.{match[2]}"
        for match in _AMAZON_SOURCE.finditer(template)
        if not pointed.search(_block(template, match.end()))
    ]


def _not_pointed(sources: list[str]) -> str:
    return (
        f"Not built: the source {', '.join(sources)} has no line custom_endpoint_ec2 = "
        "var.endpoint, so Packer would call AWS's own endpoints instead of the lab.\n"
        "In the lab, every source keeps that line and the template keeps its variable "
        '"endpoint" block; only a template for a real account leaves them out (the lesson\'s '
        '"Real AWS differs here" box).'
    )


@contextmanager
def _dead_end() -> Iterator[str]:
    """A loopback address that refuses every connection, for as long as the build runs: a port
    this process holds without listening on it."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        holder.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{holder.getsockname()[1]}"
    finally:
        holder.close()
