"""Lesson 08's checks: each step's reference passes and typical wrong states fail with their
message; the final check scores the complete pipeline 11/11 and names what partial ones miss."""

from __future__ import annotations

import datetime as dt

import pytest

from labkit import Lab
from labkit.checks import run_check

PARTNER = "222222222222"
REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
ALIAS = "alias/golden-images"
#: What the EBS guide (share-kms-key) asks another account to be allowed on a shared key.
OPERATIONS = [
    "Decrypt",
    "DescribeKey",
    "CreateGrant",
    "ReEncryptFrom",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
]
NO_KEY = f"{ALIAS} does not allow account {PARTNER} kms:Decrypt and kms:CreateGrant"


@pytest.fixture(scope="module")
def lab():
    lab = Lab("08-capstone", quiet=True)
    yield lab
    lab.stop()


@pytest.fixture(autouse=True)
def fresh(lab):
    """Each test starts from the capstone's empty starting state."""
    lab.reset()


class Pipeline:
    """The lesson's reference steps, with the knobs the wrong states need."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.keys: dict[str, str] = {}
        self.v1: dict[str, str] = {}
        self.v2: dict[str, str] = {}
        self.grants: dict[str, dict] = {}

    def ec2(self, region: str = "us-east-1", account: str = "learner"):
        return self.lab.client("ec2", region=region, account=account)

    def make_keys(self, regions=REGIONS, alias: bool = True) -> None:
        for region in regions:
            kms = self.lab.client("kms", region=region)
            key = kms.create_key(Description="golden images")["KeyMetadata"]
            if alias:
                kms.create_alias(AliasName=ALIAS, TargetKeyId=key["KeyId"])
            self.keys[region] = key["Arn"]

    def bake(self, name: str, *packages: str, encryption: str = "mine") -> str:
        root: dict = {"DeleteOnTermination": True}
        if encryption == "mine":
            root.update(Encrypted=True, KmsKeyId=self.keys["us-east-1"])
        elif encryption == "default":
            root.update(Encrypted=True)
        ec2 = self.ec2()
        builder = ec2.run_instances(
            ImageId=self.lab.ids["base_image"],
            InstanceType="t3.micro",
            MinCount=1,
            MaxCount=1,
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": root}],
        )["Instances"][0]["InstanceId"]
        if packages:
            self.lab.install(builder, *packages)
        image = ec2.create_image(InstanceId=builder, Name=name)["ImageId"]
        ec2.get_waiter("image_available").wait(ImageIds=[image])
        ec2.terminate_instances(InstanceIds=[builder])
        return image

    def copy(self, name: str, image: str, regions=REGIONS[1:], own_key: bool = True) -> dict:
        release = {"us-east-1": image}
        for region in regions:
            key = {"KmsKeyId": self.keys[region]} if own_key else {}
            release[region] = self.ec2(region).copy_image(
                SourceRegion="us-east-1", SourceImageId=image, Name=name, Encrypted=True, **key
            )["ImageId"]
            self.ec2(region).get_waiter("image_available").wait(ImageIds=[release[region]])
        return release

    def grant(self, regions=REGIONS) -> None:
        for region in regions:
            self.grants[region] = self.lab.client("kms", region=region).create_grant(
                KeyId=self.keys[region],
                GranteePrincipal=f"arn:aws:iam::{PARTNER}:root",
                Operations=OPERATIONS,
            )

    def share(self, release: dict, regions=REGIONS) -> None:
        for region in regions:
            self.ec2(region).modify_image_attribute(
                ImageId=release[region], LaunchPermission={"Add": [{"UserId": PARTNER}]}
            )

    def partner_launch(self, release: dict, region: str) -> str:
        answer = self.ec2(region, "partner").run_instances(
            ImageId=release[region], InstanceType="t3.micro", MinCount=1, MaxCount=1
        )
        return answer["Instances"][0]["InstanceId"]

    def deprecate(self, release: dict, regions=REGIONS) -> None:
        for region in regions:
            self.ec2(region).enable_image_deprecation(
                ImageId=release[region], DeprecateAt=self.lab.now() + dt.timedelta(days=1)
            )

    def snapshots(self, region: str, image: str) -> list[str]:
        found = self.ec2(region).describe_images(ImageIds=[image])["Images"][0]
        return [m["Ebs"]["SnapshotId"] for m in found["BlockDeviceMappings"]]

    def remove(self, region: str, image: str, snapshots: bool = True) -> None:
        self.ec2(region).deregister_image(ImageId=image, DeleteAssociatedSnapshots=snapshots)

    # -- the lesson's stages, each on top of the one before --

    def released_v1(self) -> Pipeline:
        self.make_keys()
        self.v1 = self.copy("golden-v1", self.bake("golden-v1", "nginx"))
        self.grant()
        self.share(self.v1)
        self.partner_launch(self.v1, "us-east-1")
        return self

    def released_v2(self) -> Pipeline:
        self.released_v1()
        self.v2 = self.copy("golden-v2", self.bake("golden-v2", "nginx", "amazon-cloudwatch-agent"))
        self.share(self.v2)
        self.partner_launch(self.v2, "eu-west-1")
        self.deprecate(self.v1)
        self.lab.advance_clock(days=1)
        return self

    def complete(self) -> Pipeline:
        self.released_v2()
        self.ec2().enable_image_deregistration_protection(ImageId=self.v1["us-east-1"])
        for region in REGIONS[1:]:
            self.remove(region, self.v1[region])
        return self


def check(lab, exercise: str):
    return run_check(exercise, lab.sandbox)


def fails_with(lab, exercise: str, message: str) -> None:
    result = check(lab, exercise)
    assert not result.passed
    assert result.message == message


class TestKeys:
    def test_reference_passes(self, lab):
        """A key with the alias in each of the three Regions passes."""
        Pipeline(lab).make_keys()
        result = check(lab, "capstone-keys")
        assert result.passed, result.message
        assert result.message == f"your key {ALIAS} in us-east-1, us-west-2 and eu-west-1."

    def test_home_region_only(self, lab):
        """A key in us-east-1 only: the other Regions are named."""
        Pipeline(lab).make_keys(("us-east-1",))
        fails_with(
            lab,
            "capstone-keys",
            f"you have no customer managed key {ALIAS} in us-west-2 and eu-west-1",
        )

    def test_keys_without_alias(self, lab):
        """Keys made but never given the alias count as missing."""
        Pipeline(lab).make_keys(alias=False)
        fails_with(
            lab,
            "capstone-keys",
            f"you have no customer managed key {ALIAS} in us-east-1, us-west-2 and eu-west-1",
        )


class TestBakeV1:
    def test_reference_passes(self, lab):
        """golden-v1 from Amazon Linux with nginx, encrypted with the key, passes."""
        pipeline = Pipeline(lab)
        pipeline.make_keys()
        pipeline.bake("golden-v1", "nginx")
        result = check(lab, "capstone-bake-v1")
        assert result.passed, result.message

    def test_unencrypted(self, lab):
        """A builder without encryption gives an unencrypted image."""
        pipeline = Pipeline(lab)
        pipeline.make_keys()
        image = pipeline.bake("golden-v1", "nginx", encryption="none")
        snapshot = pipeline.snapshots("us-east-1", image)[0]
        fails_with(
            lab,
            "capstone-bake-v1",
            f"golden-v1 in us-east-1 is not encrypted: its snapshot {snapshot} is unencrypted",
        )

    def test_default_key(self, lab):
        """Encrypted=True without the key uses aws/ebs, which can never be shared."""
        pipeline = Pipeline(lab)
        pipeline.make_keys()
        pipeline.bake("golden-v1", "nginx", encryption="default")
        fails_with(
            lab,
            "capstone-bake-v1",
            "golden-v1 in us-east-1 is encrypted with the default key aws/ebs, not with your "
            f"key {ALIAS} there",
        )

    def test_nothing_installed(self, lab):
        """An image of the bare base image lacks nginx."""
        pipeline = Pipeline(lab)
        pipeline.make_keys()
        image = pipeline.bake("golden-v1")
        fails_with(
            lab,
            "capstone-bake-v1",
            f"golden-v1 ({image}) does not have nginx installed (it has nothing)",
        )


class TestCopyV1:
    def test_reference_passes(self, lab):
        """Copies in us-west-2 and eu-west-1, each under the Region's key, pass."""
        pipeline = Pipeline(lab)
        pipeline.make_keys()
        pipeline.copy("golden-v1", pipeline.bake("golden-v1", "nginx"))
        result = check(lab, "capstone-copy-v1")
        assert result.passed, result.message

    def test_one_region_missing(self, lab):
        """A copy in us-west-2 only: eu-west-1 is named."""
        pipeline = Pipeline(lab)
        pipeline.make_keys()
        pipeline.copy("golden-v1", pipeline.bake("golden-v1", "nginx"), regions=("us-west-2",))
        fails_with(lab, "capstone-copy-v1", "there is no golden-v1 in eu-west-1")

    def test_copies_with_the_default_key(self, lab):
        """Encrypted=True with no KmsKeyId: the copy uses aws/ebs of its Region."""
        pipeline = Pipeline(lab)
        pipeline.make_keys()
        pipeline.copy("golden-v1", pipeline.bake("golden-v1", "nginx"), own_key=False)
        fails_with(
            lab,
            "capstone-copy-v1",
            "golden-v1 in us-west-2 is encrypted with the default key aws/ebs, not with your "
            f"key {ALIAS} there",
        )


class TestShareV1:
    def setup_v1(self, lab) -> Pipeline:
        pipeline = Pipeline(lab)
        pipeline.make_keys()
        pipeline.v1 = pipeline.copy("golden-v1", pipeline.bake("golden-v1", "nginx"))
        return pipeline

    def test_reference_passes(self, lab):
        """Grants on the three keys and launch permissions in the three Regions pass."""
        pipeline = self.setup_v1(lab)
        pipeline.grant()
        pipeline.share(pipeline.v1)
        result = check(lab, "capstone-share-v1")
        assert result.passed, result.message

    def test_images_shared_without_keys(self, lab):
        """Launch permissions alone: the partner cannot use the key."""
        pipeline = self.setup_v1(lab)
        pipeline.share(pipeline.v1)
        fails_with(
            lab, "capstone-share-v1", f"the partner cannot use your key in us-east-1: {NO_KEY}"
        )

    def test_key_not_shared_in_one_region(self, lab):
        """Every key shared but eu-west-1's: that Region is named."""
        pipeline = self.setup_v1(lab)
        pipeline.grant(REGIONS[:2])
        pipeline.share(pipeline.v1)
        fails_with(
            lab, "capstone-share-v1", f"the partner cannot use your key in eu-west-1: {NO_KEY}"
        )

    def test_shared_in_home_region_only(self, lab):
        """A share lives in one Region: the copies need their own launch permission."""
        pipeline = self.setup_v1(lab)
        pipeline.grant()
        pipeline.share(pipeline.v1, ("us-east-1",))
        fails_with(
            lab,
            "capstone-share-v1",
            "the partner cannot see golden-v1 in us-west-2: it has no launch permission there",
        )


class TestPartnerLaunch:
    def test_reference_passes(self, lab):
        """The partner's running instance from golden-v1 passes."""
        Pipeline(lab).released_v1()
        result = check(lab, "capstone-partner-launch")
        assert result.passed, result.message

    def test_nobody_launched(self, lab):
        """Shared but never launched by the partner."""
        pipeline = Pipeline(lab)
        pipeline.make_keys()
        pipeline.v1 = pipeline.copy("golden-v1", pipeline.bake("golden-v1", "nginx"))
        pipeline.grant()
        pipeline.share(pipeline.v1)
        fails_with(
            lab,
            "capstone-partner-launch",
            "the partner runs no instance from golden-v1, in any Region",
        )

    def test_launched_as_the_learner(self, lab):
        """An instance launched with the learner's own client is not the partner's."""
        pipeline = Pipeline(lab)
        pipeline.make_keys()
        pipeline.v1 = pipeline.copy("golden-v1", pipeline.bake("golden-v1", "nginx"))
        pipeline.ec2().run_instances(
            ImageId=pipeline.v1["us-east-1"], InstanceType="t3.micro", MinCount=1, MaxCount=1
        )
        fails_with(
            lab,
            "capstone-partner-launch",
            "the partner runs no instance from golden-v1, in any Region",
        )


class TestReleaseV2:
    def test_reference_passes(self, lab):
        """golden-v2 baked, copied, shared and launched by the partner in eu-west-1 passes."""
        Pipeline(lab).released_v2()
        result = check(lab, "capstone-release-v2")
        assert result.passed, result.message

    def test_without_the_new_package(self, lab):
        """A v2 baked like v1 lacks the CloudWatch agent."""
        pipeline = Pipeline(lab).released_v1()
        image = pipeline.bake("golden-v2", "nginx")
        fails_with(
            lab,
            "capstone-release-v2",
            f"golden-v2 ({image}) does not have amazon-cloudwatch-agent installed (it has nginx)",
        )

    def test_not_shared_in_eu(self, lab):
        """v2 shared in two Regions only: the partner cannot see it in eu-west-1."""
        pipeline = Pipeline(lab).released_v1()
        pipeline.v2 = pipeline.copy(
            "golden-v2", pipeline.bake("golden-v2", "nginx", "amazon-cloudwatch-agent")
        )
        pipeline.share(pipeline.v2, REGIONS[:2])
        fails_with(
            lab,
            "capstone-release-v2",
            "the partner cannot see golden-v2 in eu-west-1: it has no launch permission there",
        )


class TestDeprecateV1:
    def test_reference_passes(self, lab):
        """golden-v1 deprecated in all three Regions passes."""
        pipeline = Pipeline(lab).released_v1()
        pipeline.deprecate(pipeline.v1)
        result = check(lab, "capstone-deprecate-v1")
        assert result.passed, result.message

    def test_not_deprecated(self, lab):
        """Nothing deprecated: us-east-1 is named first."""
        pipeline = Pipeline(lab).released_v1()
        fails_with(
            lab,
            "capstone-deprecate-v1",
            f"golden-v1 in us-east-1 ({pipeline.v1['us-east-1']}) has no deprecation time",
        )

    def test_home_region_only(self, lab):
        """Deprecated in us-east-1 only: the copies are named."""
        pipeline = Pipeline(lab).released_v1()
        pipeline.deprecate(pipeline.v1, ("us-east-1",))
        fails_with(
            lab,
            "capstone-deprecate-v1",
            f"golden-v1 in us-west-2 ({pipeline.v1['us-west-2']}) has no deprecation time",
        )


class TestCleanUpV1:
    def test_reference_passes(self, lab):
        """Copies removed with their snapshots, us-east-1 kept and protected, passes."""
        Pipeline(lab).complete()
        result = check(lab, "capstone-clean-up-v1")
        assert result.passed, result.message

    def test_snapshots_left_behind(self, lab):
        """Copies deregistered without their snapshots: the first leftover is named."""
        pipeline = Pipeline(lab).released_v2()
        left = pipeline.snapshots("us-west-2", pipeline.v1["us-west-2"])[0]
        pipeline.ec2().enable_image_deregistration_protection(ImageId=pipeline.v1["us-east-1"])
        for region in REGIONS[1:]:
            pipeline.remove(region, pipeline.v1[region], snapshots=False)
        fails_with(
            lab,
            "capstone-clean-up-v1",
            f"your snapshot {left} in us-west-2 belongs to no image, and is still billed",
        )

    def test_removed_everywhere(self, lab):
        """Removing v1 in us-east-1 too breaks the partner's fleet there."""
        pipeline = Pipeline(lab).released_v2()
        for region in REGIONS:
            pipeline.remove(region, pipeline.v1[region])
        fails_with(
            lab,
            "capstone-clean-up-v1",
            "golden-v1 in us-east-1 is gone, but the partner's fleet there still launches from it",
        )

    def test_not_protected(self, lab):
        """The kept image without deregistration protection fails."""
        pipeline = Pipeline(lab).released_v2()
        for region in REGIONS[1:]:
            pipeline.remove(region, pipeline.v1[region])
        fails_with(
            lab,
            "capstone-clean-up-v1",
            "golden-v1 in us-east-1 has no deregistration protection, though the partner's fleet "
            "still launches from it",
        )


ALL_DONE = [
    f"✅ your key {ALIAS} in us-east-1, us-west-2 and eu-west-1",
    "✅ golden-v1 baked",
    "✅ golden-v1 encrypted with your key",
    "✅ golden-v2 baked",
    "✅ golden-v2 encrypted with your key",
    "✅ golden-v2 copied to us-west-2 and eu-west-1",
    "✅ golden-v2 shared with the partner, keys included",
    "✅ the partner runs golden-v2",
    "✅ golden-v1 deprecated",
    "✅ golden-v1's unused copies removed",
    "✅ golden-v1 kept safe for the partner's fleet in us-east-1",
]


def scored(*parts: str) -> str:
    return f"{sum(p.startswith('✅') for p in parts)}/11 · " + " · ".join(parts)


class TestWholePipeline:
    def test_complete_pipeline_scores_eleven(self, lab):
        """The lesson's reference state scores 11/11, naming every piece."""
        Pipeline(lab).complete()
        result = check(lab, "capstone")
        assert result.passed
        assert result.message == scored(*ALL_DONE)

    def test_nothing_done(self, lab):
        """The starting state scores 0/11."""
        result = check(lab, "capstone")
        assert not result.passed
        assert result.message.startswith(
            f"0/11 · ❌ your keys: you have no customer managed key {ALIAS} in us-east-1, "
            "us-west-2 and eu-west-1 · ❌ golden-v1 baked: there is no image golden-v1 of yours "
            "in us-east-1 · "
        )
        assert result.message.count("❌") == 11
        assert (
            "❌ golden-v1's unused copies removed: there is no golden-v2 in us-west-2 yet: retire "
            "golden-v1 there once the version that replaces it is released"
        ) in result.message

    def test_partner_lost_the_key_in_eu(self, lab):
        """Revoking the eu-west-1 grant costs one point, naming the key and the Region."""
        pipeline = Pipeline(lab).complete()
        grant = pipeline.grants["eu-west-1"]
        lab.client("kms", region="eu-west-1").revoke_grant(
            KeyId=pipeline.keys["eu-west-1"], GrantId=grant["GrantId"]
        )
        parts = list(ALL_DONE)
        parts[6] = (
            "❌ golden-v2 shared with the partner, keys included: the partner cannot use your key "
            f"in eu-west-1: {NO_KEY}"
        )
        result = check(lab, "capstone")
        assert not result.passed
        assert result.message == scored(*parts)
        assert result.hint.startswith("lab.client('kms', region='eu-west-1').create_grant(")

    def test_v1_not_retired(self, lab):
        """Stopping after the deprecation misses the two retirement pieces."""
        pipeline = Pipeline(lab).released_v2()
        parts = list(ALL_DONE)
        parts[9] = (
            "❌ golden-v1's unused copies removed: golden-v1 is still registered in us-west-2 "
            f"({pipeline.v1['us-west-2']}), where nobody launches it: it only costs"
        )
        parts[10] = (
            "❌ golden-v1 kept safe for the partner's fleet in us-east-1: golden-v1 in us-east-1 "
            "has no deregistration protection, though the partner's fleet still launches from it"
        )
        result = check(lab, "capstone")
        assert result.message == scored(*parts)

    def test_v1_removed_everywhere(self, lab):
        """Removing v1 everywhere loses v1's pieces, and says the partner's fleet needs it."""
        pipeline = Pipeline(lab).released_v2()
        for region in REGIONS:
            pipeline.remove(region, pipeline.v1[region])
        result = check(lab, "capstone")
        assert result.message.startswith("7/11 · ")
        assert (
            "❌ golden-v1 kept safe for the partner's fleet in us-east-1: golden-v1 in us-east-1 "
            "is gone, but the partner's fleet there still launches from it"
        ) in result.message
        assert "❌ golden-v1 baked: there is no image golden-v1 of yours in us-east-1" in (
            result.message
        )
