"""AWS's own AWS CLI examples (``awscli/examples/ec2/*.rst``), read and pointed at the sandbox.

An example names resources of an imaginary account (``ami-5731123e``, ``snap-1234567890abcdef0``,
``123456789012``…). ``on_sandbox`` swaps each for a resource of the same kind that the sandbox
holds (``holding_what_examples_name`` makes them), in the same Region, so the command can work.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labkit.catalog import image_id

# Found without importing awscli: its import hook would hand a later `import botocore` the copy
# of botocore it ships (docs/endpoint.md).
EXAMPLES = Path(importlib.util.find_spec("awscli").origin).parent / "examples" / "ec2"
#: The image, snapshot and EBS-encryption commands (FPGA images are another product).
TOPICS = re.compile(r"(image|snapshot|ebs-encryption|ebs-default-kms)")
LAB_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")


@dataclass(frozen=True)
class Example:
    """One example command from AWS's documentation of the CLI."""

    file: str
    number: int
    words: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.file.removesuffix('.rst')}-{self.number}"

    @property
    def command(self) -> str:
        return self.words[1]


def example_files() -> list[Path]:
    return sorted(
        p for p in EXAMPLES.glob("*.rst") if TOPICS.search(p.name) and "fpga" not in p.name
    )


def read_examples(path: Path) -> list[Example]:
    """Every ``aws ec2 ...`` command in a file's literal blocks (lines joined, ``\\`` dropped)."""
    examples, block, inside = [], [], False
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        stripped = line.strip()
        if inside and (stripped == "" and block or (block and not line.startswith(" "))):
            text = " ".join(part.rstrip("\\").strip() for part in block)
            if text.startswith("aws ec2 "):
                examples.append(Example(path.name, len(examples) + 1, tuple(shlex.split(text)[1:])))
            block, inside = [], False
        if inside and stripped:
            block.append(stripped)
        if stripped.endswith("::"):
            inside, block = True, []
    return examples


def all_examples() -> list[Example]:
    return [example for path in example_files() for example in read_examples(path)]


def holding_what_examples_name(sandbox: Any) -> None:
    """What the examples name, in us-east-1 and us-west-2.

    An instance; an image of it; a volume with a snapshot; an archived snapshot (the examples
    restore one); an image in the Recycle Bin (one example restores it); a KMS key with the
    alias the examples use; block public access for AMIs off (the examples make an AMI public).
    """
    for region in ("us-east-1", "us-west-2"):
        ec2 = sandbox.client("ec2", region=region)
        kms = sandbox.client("kms", region=region)
        instance = ec2.run_instances(
            ImageId=image_id("al2023-x86_64", region),
            MinCount=1,
            MaxCount=1,
            InstanceType="t3.micro",
        )["Instances"][0]
        sandbox.client("rbin", region=region).create_rule(
            ResourceType="EC2_IMAGE",
            RetentionPeriod={"RetentionPeriodValue": 7, "RetentionPeriodUnit": "DAYS"},
        )
        binned = ec2.create_image(InstanceId=instance["InstanceId"], Name="in-the-bin")["ImageId"]
        image = ec2.create_image(InstanceId=instance["InstanceId"], Name="example-image")["ImageId"]
        ec2.get_waiter("image_available").wait(ImageIds=[image, binned])
        ec2.deregister_image(ImageId=binned)
        zone = instance["Placement"]["AvailabilityZone"]
        volume = ec2.create_volume(AvailabilityZone=zone, Size=8)["VolumeId"]
        ec2.create_snapshot(VolumeId=volume, Description="example snapshot")
        archived = ec2.create_snapshot(VolumeId=volume, Description="archived")["SnapshotId"]
        ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[archived])
        ec2.modify_snapshot_tier(SnapshotId=archived, StorageTier="archive")
        ec2.disable_image_block_public_access()
        key = kms.create_key(Description="example key")["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName="alias/my-kms-key", TargetKeyId=key)


def _own(sandbox: Any, region: str) -> dict[str, str]:
    """The sandbox's own resources of each kind in a Region, by what an example needs."""
    ec2 = sandbox.client("ec2", region=region)
    kms = sandbox.client("kms", region=region)
    image = ec2.describe_images(Owners=["self"])["Images"][0]
    snapshots = {
        s["Description"]: s["SnapshotId"]
        for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    }
    instances = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
    key = kms.describe_key(KeyId="alias/my-kms-key")["KeyMetadata"]
    return {
        "ami": image["ImageId"],
        "binned-ami": ec2.list_images_in_recycle_bin()["Images"][0]["ImageId"],
        "image-snap": image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"],
        "snap": snapshots["example snapshot"],
        "archived-snap": snapshots["archived"],
        "vol": ec2.describe_volumes(Filters=[{"Name": "status", "Values": ["available"]}])[
            "Volumes"
        ][0]["VolumeId"],
        "i": instances[0]["InstanceId"],
        "key-arn": key["Arn"],
        "key-id": key["KeyId"],
    }


_ID = re.compile(r"\b(ami|snap|vol|i)-[0-9a-zA-Z]{8,17}\b")
_KEY_ARN = re.compile(r"arn:aws:kms:[a-z0-9-]+:\d{12}:key/[0-9a-f-]{36}")
_KEY_ID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_ACCOUNT = re.compile(r"\b\d{12}\b")
_ALIAS = re.compile(r"^alias/[\w/-]+$")
_YEAR = re.compile(r"^\d{4}-")

#: Commands that need a resource in a particular state, by the kind of ID they name.
_WANTS = {
    ("restore-snapshot-tier", "snap"): "archived-snap",
    ("restore-image-from-recycle-bin", "ami"): "binned-ami",
}


def on_sandbox(example: Example, sandbox: Any, partner: str) -> list[str]:
    """The example's words with its Regions, IDs, keys and accounts swapped for the sandbox's."""
    words = list(example.words)
    regions = {}
    for index, word in enumerate(words[:-1]):
        if word in ("--region", "--source-region"):
            wanted = words[index + 1]
            if wanted not in LAB_REGIONS:
                regions[wanted] = "us-west-2" if "us-west-2" not in words else "us-east-1"
            words[index + 1] = regions.get(wanted, wanted)
    region = next((words[i + 1] for i, w in enumerate(words[:-1]) if w == "--region"), "us-east-1")
    source = next(
        (words[i + 1] for i, w in enumerate(words[:-1]) if w == "--source-region"), region
    )
    here, there = _own(sandbox, region), _own(sandbox, source)
    seen: dict[str, str] = {}

    def swap(match: re.Match) -> str:
        kind, found = match.group(1), match.group(0)
        if found not in seen:
            pool = there if kind in ("ami", "snap") and source != region else here
            same_kind = [v for v in seen.values() if v.startswith(kind + "-")]
            wanted = _WANTS.get((example.command, kind), kind)
            seen[found] = pool["image-snap"] if kind == "snap" and same_kind else pool[wanted]
        return seen[found]

    out = []
    for index, word in enumerate(words):
        if index and words[index - 1] == "--deprecate-at":  # written as a future date, in 2022
            word = _YEAR.sub("2030-", word, count=1)
        word = _ID.sub(swap, word)
        word = _KEY_ARN.sub(here["key-arn"], word)
        word = _KEY_ID.sub(here["key-id"], word)
        word = _ALIAS.sub("alias/my-kms-key", word)
        word = _ACCOUNT.sub(partner, word)
        out.append(word)
    return out
