"""Lesson 08's checks: each step's reference passes and typical wrong states fail with their
message; the final check scores the complete pipeline 11/11 and names what partial ones miss."""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.exceptions import ClientError
from check_helpers import (
    EBS_OPERATIONS,
    PARTNER,
    PARTNER_ROOT,
    fails,
    launch,
    passes,
    share_with_partner,
    snapshots_of,
)

from labkit import Lab
from labkit.accounts import ORGANIZATION_ARN
from labkit.checks import get_exercise

LESSON = "08-capstone"
REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
ALIAS = "alias/golden-images"
NO_KEY = (
    f"{ALIAS} does not allow account {PARTNER} kms:DescribeKey, kms:CreateGrant, "
    "kms:GenerateDataKey, kms:GenerateDataKeyWithoutPlaintext, kms:ReEncryptFrom and kms:Decrypt"
)


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

    def make_keys(self, regions=REGIONS, alias: bool = True) -> Pipeline:
        for region in regions:
            kms = self.lab.client("kms", region=region)
            key = kms.create_key(Description="golden images")["KeyMetadata"]
            if alias:
                kms.create_alias(AliasName=ALIAS, TargetKeyId=key["KeyId"])
            self.keys[region] = key["Arn"]
        return self

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

    def grant(self, regions=REGIONS, operations=EBS_OPERATIONS) -> None:
        for region in regions:
            self.grants[region] = self.lab.client("kms", region=region).create_grant(
                KeyId=self.keys[region], GranteePrincipal=PARTNER_ROOT, Operations=operations
            )

    def share(self, release: dict, regions=REGIONS) -> None:
        for region in regions:
            share_with_partner(self.lab, release[region], region)

    def partner_launch(self, release: dict, region: str) -> str:
        return launch(self.lab, release[region], region=region, account="partner")

    def deprecate(self, release: dict, regions=REGIONS) -> None:
        for region in regions:
            self.ec2(region).enable_image_deprecation(
                ImageId=release[region], DeprecateAt=self.lab.now() + dt.timedelta(days=1)
            )

    def remove(self, region: str, image: str, snapshots: bool = True) -> None:
        self.ec2(region).deregister_image(ImageId=image, DeleteAssociatedSnapshots=snapshots)

    # -- the lesson's stages, each on top of the one before --

    def copied_v1(self) -> Pipeline:
        self.make_keys()
        self.v1 = self.copy("golden-v1", self.bake("golden-v1", "nginx"))
        return self

    def shared_v1(self) -> Pipeline:
        self.copied_v1()
        self.grant()
        self.share(self.v1)
        return self

    def released_v1(self) -> Pipeline:
        self.shared_v1()
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


@pytest.fixture
def pipeline(lab) -> Pipeline:
    return Pipeline(lab)


class TestKeys:
    def test_reference_passes(self, lab, pipeline):
        """A key with the alias in each of the three Regions passes."""
        pipeline.make_keys()
        assert passes("capstone-keys", lab.sandbox).message == (
            f"your key {ALIAS} in us-east-1, us-west-2 and eu-west-1."
        )

    def test_home_region_only(self, lab, pipeline):
        """A key in us-east-1 only: the other Regions are named."""
        pipeline.make_keys(("us-east-1",))
        assert fails("capstone-keys", lab.sandbox).message == (
            f"you have no customer managed key {ALIAS} in us-west-2 and eu-west-1"
        )

    def test_keys_without_alias(self, lab, pipeline):
        """Keys made but never given the alias count as missing."""
        pipeline.make_keys(alias=False)
        assert fails("capstone-keys", lab.sandbox).message == (
            f"you have no customer managed key {ALIAS} in us-east-1, us-west-2 and eu-west-1"
        )

    def test_key_disabled_in_one_region(self, lab, pipeline):
        """A disabled key fails, naming the key, its Region and its state, with how to enable it."""
        pipeline.make_keys()
        lab.client("kms", region="us-west-2").disable_key(KeyId=pipeline.keys["us-west-2"])
        result = fails("capstone-keys", lab.sandbox)
        assert result.message == (
            f"your key {ALIAS} in us-west-2 is disabled: KMS lets no account use it, so nobody "
            "can launch or copy the images it encrypts there"
        )
        assert result.hint == (
            "make the key usable again: lab.client('kms', region='us-west-2').enable_key("
            "KeyId=keys['us-west-2'])"
        )

    def test_key_pending_deletion(self, lab, pipeline):
        """A key scheduled for deletion fails, naming the day; the hint cancels, then enables."""
        pipeline.make_keys()
        kms = lab.client("kms")
        answer = kms.schedule_key_deletion(KeyId=pipeline.keys["us-east-1"], PendingWindowInDays=7)
        day = answer["DeletionDate"].astimezone(dt.timezone.utc).date()
        result = fails("capstone-keys", lab.sandbox)
        assert result.message == (
            f"your key {ALIAS} in us-east-1 is pending deletion (KMS deletes it on {day}): KMS "
            "lets no account use it, so nobody can launch or copy the images it encrypts there"
        )
        assert result.hint == (
            "make the key usable again: "
            "lab.client('kms', region='us-east-1').cancel_key_deletion(KeyId=keys['us-east-1']), "
            "then lab.client('kms', region='us-east-1').enable_key(KeyId=keys['us-east-1']) "
            "(a key whose deletion is cancelled stays disabled)"
        )


class TestBakeV1:
    def test_reference_passes(self, lab, pipeline):
        """golden-v1 from Amazon Linux with nginx, encrypted with the key, passes."""
        pipeline.make_keys().bake("golden-v1", "nginx")
        passes("capstone-bake-v1", lab.sandbox)

    def test_unencrypted(self, lab, pipeline):
        """A builder without encryption gives an unencrypted image."""
        image = pipeline.make_keys().bake("golden-v1", "nginx", encryption="none")
        (snapshot,) = snapshots_of(lab, image)
        assert fails("capstone-bake-v1", lab.sandbox).message == (
            f"golden-v1 in us-east-1 is not encrypted: its snapshot {snapshot} is unencrypted"
        )

    def test_key_disabled_after_baking(self, lab, pipeline):
        """The image is still encrypted with your key once the key is disabled (the keys and
        sharing steps say the key cannot be used)."""
        pipeline.make_keys().bake("golden-v1", "nginx")
        lab.client("kms").disable_key(KeyId=pipeline.keys["us-east-1"])
        assert passes("capstone-bake-v1", lab.sandbox).message == (
            "golden-v1 baked; golden-v1 encrypted with your key."
        )

    def test_default_key(self, lab, pipeline):
        """Encrypted=True without the key uses aws/ebs, which can never be shared."""
        pipeline.make_keys().bake("golden-v1", "nginx", encryption="default")
        assert fails("capstone-bake-v1", lab.sandbox).message == (
            "golden-v1 in us-east-1 is encrypted with the default key aws/ebs, not with your "
            f"key {ALIAS} there"
        )

    def test_nothing_installed(self, lab, pipeline):
        """An image of the bare base image lacks nginx."""
        image = pipeline.make_keys().bake("golden-v1")
        assert fails("capstone-bake-v1", lab.sandbox).message == (
            f"golden-v1 ({image}) does not have nginx installed (it has nothing)"
        )


class TestCopyV1:
    def test_reference_passes(self, lab, pipeline):
        """Copies in us-west-2 and eu-west-1, each under the Region's key, pass."""
        pipeline.copied_v1()
        passes("capstone-copy-v1", lab.sandbox)

    def test_one_region_missing(self, lab, pipeline):
        """A copy in us-west-2 only: eu-west-1 is named."""
        image = pipeline.make_keys().bake("golden-v1", "nginx")
        pipeline.copy("golden-v1", image, regions=("us-west-2",))
        assert fails("capstone-copy-v1", lab.sandbox).message == (
            "there is no golden-v1 in eu-west-1"
        )

    def test_copies_with_the_default_key(self, lab, pipeline):
        """Encrypted=True with no KmsKeyId: the copy uses aws/ebs of its Region."""
        pipeline.copy("golden-v1", pipeline.make_keys().bake("golden-v1", "nginx"), own_key=False)
        assert fails("capstone-copy-v1", lab.sandbox).message == (
            "golden-v1 in us-west-2 is encrypted with the default key aws/ebs, not with your "
            f"key {ALIAS} there"
        )


class TestShareV1:
    def test_reference_passes(self, lab, pipeline):
        """Grants on the three keys and launch permissions in the three Regions pass."""
        pipeline.shared_v1()
        passes("capstone-share-v1", lab.sandbox)

    def test_images_shared_without_keys(self, lab, pipeline):
        """Launch permissions alone: the partner cannot use the key, for any of six actions."""
        pipeline.copied_v1().share(pipeline.v1)
        assert fails("capstone-share-v1", lab.sandbox).message == (
            f"the partner cannot use your key in us-east-1: {NO_KEY}"
        )

    def test_grants_of_decrypt_and_create_grant_only(self, lab, pipeline):
        """Grants of Decrypt and CreateGrant alone fail, naming the four actions EBS lacks."""
        pipeline.copied_v1().grant(operations=["Decrypt", "CreateGrant"])
        pipeline.share(pipeline.v1)
        result = fails("capstone-share-v1", lab.sandbox)
        assert result.message == (
            f"the partner cannot use your key in us-east-1: {ALIAS} does not allow account "
            f"{PARTNER} kms:DescribeKey, kms:GenerateDataKey, kms:GenerateDataKeyWithoutPlaintext "
            "and kms:ReEncryptFrom (it allows only kms:CreateGrant and kms:Decrypt)"
        )
        assert result.hint == (
            "the partner needs every action EBS uses on your key in us-east-1: look at its "
            "grants (kms.list_grants) and its key policy"
        )

    def test_also_shared_with_the_organization(self, lab, pipeline):
        """The reference plus a launch permission for the whole organization in us-west-2:
        fails, naming the organization as more than the partner."""
        pipeline.shared_v1()
        pipeline.ec2("us-west-2").modify_image_attribute(
            ImageId=pipeline.v1["us-west-2"],
            LaunchPermission={"Add": [{"OrganizationArn": ORGANIZATION_ARN}]},
        )
        result = fails("capstone-share-v1", lab.sandbox)
        assert result.message == (
            f"golden-v1 in us-west-2 is also shared with the organization {ORGANIZATION_ARN} "
            "(every account in it, now or later): the pipeline shares its releases with the "
            "partner account alone"
        )

    def test_key_open_to_the_seller(self, lab, pipeline):
        """The reference plus a grant for the seller on the eu-west-1 key: fails, naming it."""
        pipeline.shared_v1()
        lab.client("kms", region="eu-west-1").create_grant(
            KeyId=pipeline.keys["eu-west-1"],
            GranteePrincipal="arn:aws:iam::333333333333:root",
            Operations=EBS_OPERATIONS,
        )
        assert fails("capstone-share-v1", lab.sandbox).message == (
            f"your key {ALIAS} in eu-west-1 also lets 333333333333 (the seller) use it: whoever "
            "may use the key can read golden-v1's snapshots"
        )

    def test_key_not_shared_in_one_region(self, lab, pipeline):
        """Every key shared but eu-west-1's: that Region is named."""
        pipeline.copied_v1().grant(REGIONS[:2])
        pipeline.share(pipeline.v1)
        assert fails("capstone-share-v1", lab.sandbox).message == (
            f"the partner cannot use your key in eu-west-1: {NO_KEY}"
        )

    def test_key_disabled_in_one_region(self, lab, pipeline):
        """Shared and granted, but eu-west-1's key disabled: the key and its state are named."""
        pipeline.shared_v1()
        lab.client("kms", region="eu-west-1").disable_key(KeyId=pipeline.keys["eu-west-1"])
        result = fails("capstone-share-v1", lab.sandbox)
        assert result.message == (
            f"the partner cannot use your key in eu-west-1: {ALIAS} is disabled: KMS lets no "
            "account use it, yours included"
        )
        assert result.hint == (
            "make the key usable again: lab.client('kms', region='eu-west-1').enable_key("
            "KeyId=keys['eu-west-1'])"
        )

    def test_key_disabled_cannot_launch(self, lab, pipeline):
        """The check agrees with the sandbox: the partner's launch in eu-west-1 is refused."""
        pipeline.shared_v1()
        lab.client("kms", region="eu-west-1").disable_key(KeyId=pipeline.keys["eu-west-1"])
        with pytest.raises(ClientError) as refused:
            pipeline.partner_launch(pipeline.v1, "eu-west-1")
        assert refused.value.response["Error"]["Code"] == "InvalidKMSKey.InvalidState"

    def test_key_pending_deletion(self, lab, pipeline):
        """Shared and granted, but the home key scheduled for deletion: named with its day."""
        pipeline.shared_v1()
        kms = lab.client("kms")
        answer = kms.schedule_key_deletion(KeyId=pipeline.keys["us-east-1"], PendingWindowInDays=30)
        day = answer["DeletionDate"].astimezone(dt.timezone.utc).date()
        result = fails("capstone-share-v1", lab.sandbox)
        assert result.message == (
            f"the partner cannot use your key in us-east-1: {ALIAS} is pending deletion (KMS "
            f"deletes it on {day}): KMS lets no account use it, yours included"
        )
        assert result.hint.startswith(
            "make the key usable again: lab.client('kms', region='us-east-1').cancel_key_deletion("
        )

    def test_shared_in_home_region_only(self, lab, pipeline):
        """A share lives in one Region: the copies need their own launch permission."""
        pipeline.copied_v1().grant()
        pipeline.share(pipeline.v1, ("us-east-1",))
        assert fails("capstone-share-v1", lab.sandbox).message == (
            "the partner cannot see golden-v1 in us-west-2: it has no launch permission there"
        )


class TestPartnerLaunch:
    def test_reference_passes(self, lab, pipeline):
        """The partner's running instance from golden-v1 passes."""
        pipeline.released_v1()
        passes("capstone-partner-launch", lab.sandbox)

    def test_nobody_launched(self, lab, pipeline):
        """Shared but never launched by the partner."""
        pipeline.shared_v1()
        assert fails("capstone-partner-launch", lab.sandbox).message == (
            "the partner runs no instance from golden-v1, in any Region"
        )

    def test_launched_as_the_learner(self, lab, pipeline):
        """An instance launched with the learner's own client is not the partner's."""
        launch(lab, pipeline.copied_v1().v1["us-east-1"])
        assert fails("capstone-partner-launch", lab.sandbox).message == (
            "the partner runs no instance from golden-v1, in any Region"
        )


class TestReleaseV2:
    def test_reference_passes(self, lab, pipeline):
        """golden-v2 baked, copied, shared and launched by the partner in eu-west-1 passes."""
        pipeline.released_v2()
        passes("capstone-release-v2", lab.sandbox)

    def test_without_the_new_package(self, lab, pipeline):
        """A v2 baked like v1 lacks the CloudWatch agent."""
        image = pipeline.released_v1().bake("golden-v2", "nginx")
        assert fails("capstone-release-v2", lab.sandbox).message == (
            f"golden-v2 ({image}) does not have amazon-cloudwatch-agent installed (it has nginx)"
        )

    def test_not_shared_in_eu(self, lab, pipeline):
        """v2 shared in two Regions only: the partner cannot see it in eu-west-1."""
        image = pipeline.released_v1().bake("golden-v2", "nginx", "amazon-cloudwatch-agent")
        pipeline.v2 = pipeline.copy("golden-v2", image)
        pipeline.share(pipeline.v2, REGIONS[:2])
        assert fails("capstone-release-v2", lab.sandbox).message == (
            "the partner cannot see golden-v2 in eu-west-1: it has no launch permission there"
        )


class TestDeprecateV1:
    def test_reference_passes(self, lab, pipeline):
        """golden-v1 deprecated in all three Regions passes."""
        pipeline.released_v1().deprecate(pipeline.v1)
        passes("capstone-deprecate-v1", lab.sandbox)

    def test_not_deprecated(self, lab, pipeline):
        """Nothing deprecated: us-east-1 is named first."""
        pipeline.released_v1()
        assert fails("capstone-deprecate-v1", lab.sandbox).message == (
            f"golden-v1 in us-east-1 ({pipeline.v1['us-east-1']}) has no deprecation time"
        )

    def test_home_region_only(self, lab, pipeline):
        """Deprecated in us-east-1 only: the copies are named."""
        pipeline.released_v1().deprecate(pipeline.v1, ("us-east-1",))
        assert fails("capstone-deprecate-v1", lab.sandbox).message == (
            f"golden-v1 in us-west-2 ({pipeline.v1['us-west-2']}) has no deprecation time"
        )


class TestCleanUpV1:
    def test_reference_passes(self, lab, pipeline):
        """Copies removed with their snapshots, us-east-1 kept and protected, passes."""
        pipeline.complete()
        passes("capstone-clean-up-v1", lab.sandbox)

    def test_snapshots_left_behind(self, lab, pipeline):
        """Copies deregistered without their snapshots: the first leftover is named."""
        pipeline.released_v2()
        (left,) = snapshots_of(lab, pipeline.v1["us-west-2"], "us-west-2")
        pipeline.ec2().enable_image_deregistration_protection(ImageId=pipeline.v1["us-east-1"])
        for region in REGIONS[1:]:
            pipeline.remove(region, pipeline.v1[region], snapshots=False)
        assert fails("capstone-clean-up-v1", lab.sandbox).message == (
            f"your snapshot {left} in us-west-2 belongs to no image, and is still billed"
        )

    def test_removed_everywhere(self, lab, pipeline):
        """Removing v1 in us-east-1 too breaks the partner's fleet there."""
        pipeline.released_v2()
        for region in REGIONS:
            pipeline.remove(region, pipeline.v1[region])
        assert fails("capstone-clean-up-v1", lab.sandbox).message == (
            "golden-v1 in us-east-1 is gone, but the partner's fleet there still launches from it"
        )

    def test_not_protected(self, lab, pipeline):
        """The kept image without deregistration protection fails."""
        pipeline.released_v2()
        for region in REGIONS[1:]:
            pipeline.remove(region, pipeline.v1[region])
        assert fails("capstone-clean-up-v1", lab.sandbox).message == (
            "golden-v1 in us-east-1 has no deregistration protection, though the partner's fleet "
            "still launches from it"
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


class TestEveryStepAfterTheLastExercise:
    """Retiring golden-v1's copies (8.8) does not turn the earlier steps' checks ❌."""

    @pytest.mark.parametrize(
        "step",
        [
            "capstone-keys",
            "capstone-bake-v1",
            "capstone-copy-v1",
            "capstone-share-v1",
            "capstone-partner-launch",
            "capstone-release-v2",
            "capstone-deprecate-v1",
            "capstone-clean-up-v1",
        ],
    )
    def test_every_step_passes_after_the_clean_up(self, lab, pipeline, step):
        """Every step's check passes again on the lesson's final state."""
        pipeline.complete()
        passes(step, lab.sandbox)

    def test_a_copy_removed_before_v2_is_missing(self, lab, pipeline):
        """A v1 copy removed before golden-v2 replaces it is not retired: copy-v1 names it."""
        pipeline.copied_v1()
        pipeline.ec2("us-west-2").deregister_image(
            ImageId=pipeline.v1["us-west-2"], DeleteAssociatedSnapshots=True
        )
        assert fails("capstone-copy-v1", lab.sandbox).message == (
            "there is no golden-v1 in us-west-2"
        )


class TestWholePipeline:
    def test_complete_pipeline_scores_eleven(self, lab, pipeline):
        """The lesson's reference state scores 11/11, naming every piece."""
        pipeline.complete()
        assert passes("capstone", lab.sandbox).message == scored(*ALL_DONE)

    def test_the_solution_scores_eleven(self, lab):
        """The whole solution lab.hint reveals, run in the notebook's own names, scores 11/11."""
        names = {
            "dt": dt,
            "lab": lab,
            "ec2": lab.client("ec2"),
            "partner_ec2": lab.client("ec2", account="partner"),
            "REGIONS": list(REGIONS),
            "partner_id": PARTNER,
        }
        exec(get_exercise("capstone").solution, names)
        assert passes("capstone", lab.sandbox).message == scored(*ALL_DONE)

    def test_nothing_done(self, lab):
        """The starting state scores 0/11."""
        message = fails("capstone", lab.sandbox).message
        assert message.startswith(
            f"0/11 · ❌ your keys: you have no customer managed key {ALIAS} in us-east-1, "
            "us-west-2 and eu-west-1 · ❌ golden-v1 baked: there is no image golden-v1 of yours "
            "in us-east-1 · "
        )
        assert message.count("❌") == 11
        assert (
            "❌ golden-v1's unused copies removed: there is no golden-v2 in us-west-2 yet: retire "
            "golden-v1 there once the version that replaces it is released"
        ) in message

    def test_partner_lost_the_key_in_eu(self, lab, pipeline):
        """Revoking the eu-west-1 grant costs one point, naming the key and the Region."""
        pipeline.complete()
        lab.client("kms", region="eu-west-1").revoke_grant(
            KeyId=pipeline.keys["eu-west-1"], GrantId=pipeline.grants["eu-west-1"]["GrantId"]
        )
        parts = list(ALL_DONE)
        parts[6] = (
            "❌ golden-v2 shared with the partner, keys included: the partner cannot use your key "
            f"in eu-west-1: {NO_KEY}"
        )
        result = fails("capstone", lab.sandbox)
        assert result.message == scored(*parts)
        assert result.hint.startswith(
            "the partner needs every action EBS uses on your key in eu-west-1"
        )

    def test_home_key_disabled(self, lab, pipeline):
        """Disabling the us-east-1 key costs the keys, v2's sharing and v1's safe keeping."""
        pipeline.complete()
        lab.client("kms").disable_key(KeyId=pipeline.keys["us-east-1"])
        unusable = (
            f"the partner cannot use your key in us-east-1: {ALIAS} is disabled: KMS lets no "
            "account use it, yours included"
        )
        parts = list(ALL_DONE)
        parts[0] = (
            f"❌ your keys: your key {ALIAS} in us-east-1 is disabled: KMS lets no account use it, "
            "so nobody can launch or copy the images it encrypts there"
        )
        parts[6] = f"❌ golden-v2 shared with the partner, keys included: {unusable}"
        parts[10] = f"❌ golden-v1 kept safe for the partner's fleet in us-east-1: {unusable}"
        result = fails("capstone", lab.sandbox)
        assert result.message == scored(*parts)
        assert result.hint == (
            "make the key usable again: lab.client('kms', region='us-east-1').enable_key("
            "KeyId=keys['us-east-1'])"
        )

    def test_v1_not_retired(self, lab, pipeline):
        """Stopping after the deprecation misses the two retirement pieces."""
        pipeline.released_v2()
        parts = list(ALL_DONE)
        parts[9] = (
            "❌ golden-v1's unused copies removed: golden-v1 is still registered in us-west-2 "
            f"({pipeline.v1['us-west-2']}), where nobody launches it: it only costs"
        )
        parts[10] = (
            "❌ golden-v1 kept safe for the partner's fleet in us-east-1: golden-v1 in us-east-1 "
            "has no deregistration protection, though the partner's fleet still launches from it"
        )
        assert fails("capstone", lab.sandbox).message == scored(*parts)

    def test_v1_removed_everywhere(self, lab, pipeline):
        """Removing v1 everywhere loses v1's pieces, and says the partner's fleet needs it."""
        pipeline.released_v2()
        for region in REGIONS:
            pipeline.remove(region, pipeline.v1[region])
        message = fails("capstone", lab.sandbox).message
        assert message.startswith("7/11 · ")
        assert (
            "❌ golden-v1 kept safe for the partner's fleet in us-east-1: golden-v1 in us-east-1 "
            "is gone, but the partner's fleet there still launches from it"
        ) in message
        assert "❌ golden-v1 baked: there is no image golden-v1 of yours in us-east-1" in message
