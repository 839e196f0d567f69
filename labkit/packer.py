"""HashiCorp Packer against the lab's sandbox, for lesson 10: find it, run a build, read its answer.

A build runs ``packer build`` with only the lab's environment (``lab.environ()``: the sandbox's
keys, endpoint and Region), ``CHECKPOINT_DISABLE=1`` (no update check over the network), a private
``HOME`` (so no ``~/.aws`` of the machine is read) and ``PATH``. The template reaches the sandbox
through its ``custom_endpoint_ec2`` (docs/endpoint.md). Where Packer is missing, nothing raises:
the answer says how to install it.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

#: Packer's machine-readable output escapes commas in its fields.
_COMMA = "%!(PACKER_COMMA)"


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


class BuiltImages(dict):  # type: ignore[type-arg]
    """The images a build made, by Region; a Region it made none in says so."""

    def __missing__(self, region: str) -> str:
        made = ", ".join(self) or "none at all"
        raise KeyError(
            f"this build made no image in {region} (Regions with an image: {made}); "
            "read what Packer printed"
        )


@dataclass
class PackerRun:
    """What one ``packer build`` did: its output in words, and the images it made by Region."""

    ok: bool
    output: str
    images: dict[str, str] = field(default_factory=BuiltImages)
    missing: bool = False

    def __post_init__(self) -> None:
        self.images = BuiltImages(self.images)

    def __repr__(self) -> str:
        return self.output

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.output)}</pre>"


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


def read_output(returncode: int, stdout: str, stderr: str = "") -> PackerRun:
    """A ``PackerRun`` from ``packer build -machine-readable``'s output.

    A failed build's output is tidied (an error repeated for every line after a typo is shown
    once) and followed by what it means here, where the lab knows the failure.
    """
    lines, images = [], {}
    for row in stdout.splitlines():
        fields = row.split(",", 4)
        if len(fields) < 4:
            continue
        kind = fields[2]
        if kind == "ui" and len(fields) == 5:
            lines.append(_unescape(fields[4]).rstrip("\n"))
        elif kind == "artifact" and len(fields) == 5 and fields[4].startswith("id,"):
            for pair in _unescape(fields[4][3:]).split(","):
                region, _, image_id = pair.partition(":")
                if image_id:
                    images[region] = image_id
    text = "\n".join(line for line in lines if line.strip())
    if stderr.strip():
        text += "\n" + stderr.strip()
    ok = returncode == 0
    if not ok:
        text = _explained(_tidy(text))
    return PackerRun(ok, text or f"packer exited with code {returncode}", images)


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
        r'^\s*custom_endpoint_ec2\s*=\s*(var\.endpoint|"'
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


# -- a failed build, in words ---------------------------------------------------------------------

#: Lines of Packer's that say nothing to a learner.
_NOISE = re.compile(r"^==> Wait completed after ")


def _tidy(text: str) -> str:
    """Packer's output with each kind of template error shown once, and its noise left out.

    After an unclosed quote, Packer reports the same error for every line that follows; the first
    one names the line to look at.
    """
    kept: list[str] = []
    seen: dict[str, int] = {}
    skipping = False
    for line in text.splitlines():
        if _NOISE.match(line):
            continue
        if line.startswith("Error: "):
            title = line.strip()
            skipping = title in seen
            seen[title] = seen.get(title, 0) + 1
        elif line.startswith(("==> ", "--> ", "Build '")):
            skipping = False
        if not skipping:
            kept.append(line)
    again = sum(count - 1 for count in seen.values())
    if again:
        kept.append(
            f"(and {again} more error{'s' if again > 1 else ''} like the ones above, on the "
            "lines after them: they follow from the first)"
        )
    return "\n".join(kept)


#: Failures the lab knows: Packer's words (a pattern), what they mean here, what to look at.
_EXPLANATIONS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"Unset variable \"(\w+)\""),
        "The template declares a variable {0} with no default value, and the build gave it none.",
        "packer.build passes each of its keywords as a variable: look at the keywords of your "
        "packer.build call, and at the template's variable blocks.",
    ),
    (
        re.compile(r'A "(\w+)" variable was passed'),
        "packer.build was given {0}=..., but the template declares no variable {0}.",
        "The keywords of your packer.build call, and the template's variable blocks.",
    ),
    (
        re.compile(r"is used by an existing AMI: (ami-\w+)"),
        "Image names are unique per account and Region, and {0} already has this name: an "
        "earlier build made it (a build that fails halfway can leave its images behind, in "
        "every Region it copied to).",
        "describe_images with a name filter, in each Region of the build; deregister what an "
        "earlier build left, or give this build another ami_name.",
    ),
    (
        re.compile(r"No AMI was found matching filters"),
        "No image matches the template's source_ami_filter: with those owners and that name, "
        "describe_images finds nothing.",
        "owners and the name pattern in source_ami_filter (owner aliases are lower case).",
    ),
    (
        re.compile(r'An argument named "(\w+)" is not expected here'),
        "This Packer does not know the setting {0}: a later Packer brought it.",
        "The lesson says which settings need a newer Packer, and what to do instead.",
    ),
    (
        re.compile(r"for userId item type"),
        "ami_users takes account IDs only. Packer made the images before it was refused, and "
        "they are still there.",
        "How the lesson shares with an OU; and the images this build left behind, which stand "
        "in the way of the next build of the same name.",
    ),
    (
        re.compile(r"Cannot share AMI encrypted with default KMS key"),
        "An image encrypted with aws/ebs cannot be shared: no other account may use that key "
        "(lesson 5).",
        "kms_key_id and region_kms_key_ids in the template.",
    ),
    (
        re.compile(r"does not match the architecture '(\w+)' of the specified AMI"),
        "The base image the filter chose is for {0} processors, and the instance type is not.",
        "The name pattern in source_ami_filter (x86_64 or arm64), and instance_type.",
    ),
    (
        re.compile(
            r"^Error: (Invalid multi-line string|Missing item separator|Unclosed configuration "
            r"block|Argument or block definition required|Invalid expression|Missing newline "
            r"after argument|Unterminated template string|Invalid character|Missing key/value "
            r"separator|Extra characters after interpolation expression)",
            re.MULTILINE,
        ),
        "Packer could not read the template: a quote, a bracket or a brace is missing or extra.",
        "The line the first error names (on template.pkr.hcl line …); the errors after it often "
        "follow from that one.",
    ),
)


def _explained(text: str) -> str:
    """The output, followed by what the failure means here, where the lab knows it."""
    for pattern, meaning, look in _EXPLANATIONS:
        found = pattern.search(text)
        if found:
            return (
                f"{text}\n\nWhat it means here: {meaning.format(*found.groups())}\n"
                f"What to look at: {look.format(*found.groups())}"
            )
    return text


def _unescape(text: str) -> str:
    return text.replace(_COMMA, ",").replace("\\n", "\n")
