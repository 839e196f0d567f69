"""What one ``packer build`` answered, read from its machine-readable output: the images it made
by Region, and its words, tidied and explained where a build failed (``labkit.packer.build``'s
answer)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["BuiltImages", "PackerRun", "read_output"]

#: Packer's machine-readable output escapes commas in its fields.
_COMMA = "%!(PACKER_COMMA)"


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
        if self.ok or self.missing:
            return f"<pre>{html.escape(self.output)}</pre>"
        # A failed build is marked as one, and the lab's words stand apart from Packer's.
        words, _, explained = self.output.partition(_MEANS)
        meaning, _, look = explained.partition(_LOOK)
        notes = "".join(
            f"<div><strong>{label}</strong> {html.escape(text)}</div>"
            for label, text in (("What it means here:", meaning), ("What to look at:", look))
            if text
        )
        return (
            '<div class="amilab-packer-failed" style="border-left: 4px solid #c62828; '
            'padding-left: 0.6em"><strong>Packer: the build failed.</strong>'
            f"<pre>{html.escape(words)}</pre>{notes}</div>"
        )


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


_MEANS, _LOOK = "\n\nWhat it means here: ", "\nWhat to look at: "


def _explained(text: str) -> str:
    """The output, followed by what the failure means here, where the lab knows it."""
    for pattern, meaning, look in _EXPLANATIONS:
        found = pattern.search(text)
        if found:
            return (
                f"{text}{_MEANS}{meaning.format(*found.groups())}"
                f"{_LOOK}{look.format(*found.groups())}"
            )
    return text


def _unescape(text: str) -> str:
    return text.replace(_COMMA, ",").replace("\\n", "\n")
