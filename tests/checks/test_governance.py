"""Lesson 09's guard-rail checks (9.1–9.4): the reference answers pass, typical wrong states fail
with their message; and every check of the lesson passes again after its last exercise."""

from __future__ import annotations

import re

from check_helpers import SELLER, fails, passes

from labkit.checks import get_exercise

LESSON = "09-governance"
ALLOWED = "governance-allowed-amis"
ENCRYPT = "governance-encrypt-by-default"
PRIVATE = "governance-private-snapshots"
IMDS = "governance-imds-default"
LOOKALIKE = "ami-0c4e7a91d2b35f608"
#: A call written out in a tip: a name followed by "(".
CALL = re.compile(r"[A-Za-z_]\w*\(")


def allow(lab, *criteria, state="enabled"):
    ec2 = lab.client("ec2")
    ec2.replace_image_criteria_in_allowed_images_settings(ImageCriteria=list(criteria))
    ec2.enable_allowed_images_settings(AllowedImagesSettingsState=state)


class TestAllowedAmis:
    def test_reference_answer_passes(self, lab):
        """Amazon's images allowed, enforced: the look-alike is refused."""
        allow(lab, {"ImageProviders": ["amazon"]})
        assert passes(ALLOWED, lab.sandbox).message == (
            "Allowed AMIs is enabled in us-east-1: Amazon's images and your own can be found and "
            f"launched, and the stranger's look-alike {LOOKALIKE} cannot."
        )

    def test_narrower_amazon_criterion_passes(self, lab):
        """Amazon's Amazon Linux 2023 only (a name pattern beside the provider) is fine too."""
        allow(lab, {"ImageProviders": ["amazon"], "ImageNames": ["al2023-ami-*"]})
        passes(ALLOWED, lab.sandbox)

    def test_amazons_account_by_its_id_passes(self, lab):
        """137112412989, the owner of Amazon Linux in the listings, is Amazon: not "also"."""
        allow(lab, {"ImageProviders": ["137112412989"]})
        passes(ALLOWED, lab.sandbox)

    def test_nothing_done(self, lab):
        """Disabled: the check says every image can be used, and points at the settings."""
        result = fails(ALLOWED, lab.sandbox)
        assert result.message == (
            "Allowed AMIs in us-east-1 is disabled: every image can be found and launched"
        )
        assert "enable_allowed_images_settings" not in (result.hint or "")

    def test_audit_mode_only(self, lab):
        """Audit mode refuses nothing."""
        allow(lab, {"ImageProviders": ["amazon"]}, state="audit-mode")
        assert fails(ALLOWED, lab.sandbox).message == (
            "Allowed AMIs in us-east-1 is in audit mode: it marks what it would refuse "
            "(ImageAllowed), but refuses nothing"
        )

    def test_names_alone_let_the_lookalike_in(self, lab):
        """A criterion by name alone allows the stranger's image named like Amazon's."""
        allow(lab, {"ImageNames": ["al2023-ami-*"]})
        assert fails(ALLOWED, lab.sandbox).message == (
            f"the stranger's look-alike {LOOKALIKE} (owner 444455556666, no alias) is still "
            "allowed: one of your criteria lets it through"
        )

    def test_own_images_only_refuses_amazon_too(self, lab):
        """ImageProviders ['none'] (own images only) refuses the fleets' base image."""
        allow(lab, {"ImageProviders": ["none"]})
        base = lab.ids["base_image"]
        assert fails(ALLOWED, lab.sandbox).message == (
            f"Amazon's own Amazon Linux 2023 ({base}) is refused too: your fleets could not "
            "launch their base image"
        )

    def test_another_provider_is_too_much(self, lab):
        """Amazon and the seller's account: more than the exercise allows."""
        allow(lab, {"ImageProviders": ["amazon", SELLER]})
        assert fails(ALLOWED, lab.sandbox).message == (
            f"your criteria also allow images of {SELLER}: the exercise allows Amazon's images "
            "only (your own are always allowed)"
        )


def encrypt(lab, *, key=True):
    ec2 = lab.client("ec2")
    ec2.enable_ebs_encryption_by_default()
    if key:
        ec2.modify_ebs_default_kms_key_id(KmsKeyId=lab.ids["platform_key"])


def copy_legacy(lab, **extra):
    return lab.client("ec2").copy_image(
        SourceImageId=lab.ids["legacy_image"],
        SourceRegion="us-east-1",
        Name="legacy-app-v1-encrypted",
        **extra,
    )["ImageId"]


class TestEncryptByDefault:
    def test_reference_answer_passes(self, lab):
        """On, with the platform key as default, and a plain copy: encrypted with that key."""
        encrypt(lab)
        copy = copy_legacy(lab)
        assert passes(ENCRYPT, lab.sandbox, image_id=copy).message == (
            "encryption by default is on in us-east-1 with alias/ami-lab-platform as the default "
            f"key, and {copy}, copied from the unencrypted legacy-app-v1 without a word about "
            "encryption, came out encrypted with it."
        )

    def test_setting_off(self, lab):
        """A copy encrypted by hand does not turn the account setting on."""
        copy = copy_legacy(lab, Encrypted=True, KmsKeyId=lab.ids["platform_key"])
        assert fails(ENCRYPT, lab.sandbox, image_id=copy).message == (
            "EBS encryption by default is off in us-east-1: new volumes and copies there can "
            "still be unencrypted"
        )

    def test_default_key_left_at_aws_ebs(self, lab):
        """On, but the default key is still aws/ebs."""
        encrypt(lab, key=False)
        assert fails(ENCRYPT, lab.sandbox, image_id=copy_legacy(lab)).message == (
            "the default EBS key in us-east-1 is alias/aws/ebs, AWS's managed key, not your key "
            "alias/ami-lab-platform"
        )

    def test_switched_on_in_another_region(self, lab):
        """On in us-west-2 only: the tip says where it is on, and that the setting is per Region."""
        lab.client("ec2", region="us-west-2").enable_ebs_encryption_by_default()
        result = fails(ENCRYPT, lab.sandbox, image_id=copy_legacy(lab))
        assert result.message.startswith("EBS encryption by default is off in us-east-1")
        assert result.hint == "you switched it on in us-west-2; the setting is per Region"

    def test_a_key_named_in_the_copy_is_named_by_its_alias(self, lab):
        """Copied with aws/ebs named in the request: the message names aws/ebs, not a bare ARN."""
        encrypt(lab)
        copy = copy_legacy(lab, Encrypted=True, KmsKeyId="alias/aws/ebs")
        assert fails(ENCRYPT, lab.sandbox, image_id=copy).message == (
            f"{copy} is encrypted with alias/aws/ebs, AWS's managed key, not with the default key "
            "alias/ami-lab-platform: a key named in the request wins over the default"
        )

    def test_copied_before_the_setting(self, lab):
        """The copy was made first: it stays unencrypted."""
        copy = copy_legacy(lab)
        encrypt(lab)
        snapshot = lab.client("ec2").describe_images(ImageIds=[copy])["Images"][0][
            "BlockDeviceMappings"
        ][0]["Ebs"]["SnapshotId"]
        assert fails(ENCRYPT, lab.sandbox, image_id=copy).message == (
            f"{copy} is not encrypted (snapshot {snapshot}): it was copied before encryption by "
            "default was on"
        )

    def test_the_original_itself(self, lab):
        """The legacy image's own ID is not a copy."""
        encrypt(lab)
        legacy = lab.ids["legacy_image"]
        assert fails(ENCRYPT, lab.sandbox, image_id=legacy).message == (
            f"{legacy} is legacy-app-v1 itself: an existing image never changes its encryption"
        )


def test_every_check_still_passes_after_the_last_exercise(lab):
    """The nine reference answers, then a month on the clock: every check still answers ✅."""
    names = {"lab": lab, "ec2": lab.client("ec2"), "dlm": lab.client("dlm")}
    names.update(rbin=lab.client("rbin"), west=lab.client("ec2", region="us-west-2"))
    names["role"] = (
        "arn:aws:iam::111111111111:role/AWSDataLifecycleManagerDefaultRoleForAMIManagement"
    )
    checks = [ALLOWED, ENCRYPT, PRIVATE, IMDS, "governance-lifecycle-policy"]
    checks += ["governance-trace-origin", "governance-fast-restore"]
    checks += ["governance-bin-images", "governance-lock-evidence"]
    web_v2 = names["ec2"].describe_images(ImageIds=[lab.ids["web_v2"]])["Images"][0]
    names["web_v2_snapshot"] = web_v2["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    for exercise in checks:
        exec(get_exercise(exercise).solution, names)
    lab.advance_clock(days=30)
    answers = {
        ENCRYPT: {"image_id": names["my_copy_id"]},
        "governance-lifecycle-policy": {"policy_id": names["my_policy_id"]},
    }
    for exercise in checks:
        passes(exercise, lab.sandbox, **answers.get(exercise, {}))


def block(lab, state):
    lab.client("ec2").enable_snapshot_block_public_access(State=state)


def unshare_legacy(lab):
    lab.client("ec2").modify_snapshot_attribute(
        SnapshotId=lab.ids["legacy_snapshot"],
        Attribute="createVolumePermission",
        OperationType="remove",
        GroupNames=["all"],
    )


class TestPrivateSnapshots:
    def test_reference_answer_passes(self, lab):
        """block-all-sharing, and the old snapshot no longer names everyone."""
        block(lab, "block-all-sharing")
        unshare_legacy(lab)
        assert passes(PRIVATE, lab.sandbox).message == (
            "snapshots cannot be made public in us-east-1 (block-all-sharing), and "
            f"{lab.ids['legacy_snapshot']} no longer names everyone: it stays private whatever "
            "the setting."
        )

    def test_nothing_done(self, lab):
        assert fails(PRIVATE, lab.sandbox).message == (
            "block public access for snapshots is off in us-east-1: anyone here may still make a "
            "snapshot public"
        )

    def test_new_sharing_only(self, lab):
        """block-new-sharing leaves the old public snapshot visible to the seller."""
        block(lab, "block-new-sharing")
        assert fails(PRIVATE, lab.sandbox).message == (
            f"the old public snapshot {lab.ids['legacy_snapshot']} of legacy-app-v1 is still "
            "visible to every account (the seller finds it): block-new-sharing does not reach it"
        )

    def test_new_sharing_and_unshared(self, lab):
        """The old share removed, but other old public snapshots would stay public."""
        block(lab, "block-new-sharing")
        unshare_legacy(lab)
        assert fails(PRIVATE, lab.sandbox).message == (
            "block public access for snapshots is block-new-sharing in us-east-1: any other "
            "snapshot someone made public before (you may not know them all) stays public"
        )

    def test_hidden_but_still_shared(self, lab):
        """block-all-sharing alone: the attribute still names all."""
        block(lab, "block-all-sharing")
        assert fails(PRIVATE, lab.sandbox).message == (
            f"{lab.ids['legacy_snapshot']} is hidden for now, but its create volume permission "
            "still names everyone (the group all): relax the mode and it is public again"
        )


def imds_defaults(lab, region="us-east-1", **options):
    lab.client("ec2", region=region).modify_instance_metadata_defaults(**options)


class TestImdsDefault:
    def test_reference_answer_passes(self, lab):
        """Tokens required and a hop limit of 2, as the account's default in us-east-1."""
        imds_defaults(lab, HttpTokens="required", HttpPutResponseHopLimit=2)
        assert passes(IMDS, lab.sandbox).message == (
            "every new instance in us-east-1 requires IMDSv2 (hop limit 2) unless its launch "
            "says otherwise, whatever image it starts from."
        )

    def test_nothing_set(self, lab):
        """No default: an image that asks for nothing launches with IMDSv1."""
        result = fails(IMDS, lab.sandbox)
        assert result.message == (
            "a new instance in us-east-1 from an image that does not ask for IMDSv2 (the "
            "look-alike, say) would still answer IMDSv1: its HttpTokens would be optional"
        )
        assert not CALL.search(result.hint)

    def test_one_instance_by_hand_is_not_a_default(self, lab):
        """Fixing the build agent alone leaves every new instance on IMDSv1."""
        lab.client("ec2").modify_instance_metadata_options(
            InstanceId=lab.ids["build_agent"], HttpTokens="required", HttpPutResponseHopLimit=2
        )
        fails(IMDS, lab.sandbox)

    def test_set_in_another_region(self, lab):
        """Defaults are per Region: us-west-2's does nothing for us-east-1, and the tip says so."""
        imds_defaults(lab, "us-west-2", HttpTokens="required", HttpPutResponseHopLimit=2)
        result = fails(IMDS, lab.sandbox)
        assert result.hint == "you set a default in us-west-2; defaults are per Region"

    def test_hop_limit_left_at_one(self, lab):
        imds_defaults(lab, HttpTokens="required")
        result = fails(IMDS, lab.sandbox)
        assert result.message == (
            "new instances in us-east-1 would require IMDSv2 with a hop limit of 1: containers "
            "on the instance could not reach the metadata service"
        )
        assert not CALL.search(result.hint)

    def test_hop_limit_too_far(self, lab):
        imds_defaults(lab, HttpTokens="required", HttpPutResponseHopLimit=64)
        assert fails(IMDS, lab.sandbox).message == (
            "new instances in us-east-1 would require IMDSv2 with a hop limit of 64: the token "
            "could travel further than the containers on the instance need"
        )

    def test_the_ladder_ends_with_the_call(self):
        assert CALL.search(get_exercise(IMDS).hints[-1])
        assert not any("'required'" in hint for hint in get_exercise(IMDS).hints[:-1])


class TestTipsPointNotTell:
    """A ❌ of the guard-rail checks says what is wrong and where to look, never a call."""

    def test_allowed_amis(self, lab):
        for criteria in (
            [{"ImageNames": ["al2023-ami-*"]}],
            [{"ImageProviders": ["amazon", SELLER]}],
        ):
            allow(lab, *criteria)
            assert not CALL.search(fails(ALLOWED, lab.sandbox).hint or "")

    def test_encrypt_by_default(self, lab):
        copy = copy_legacy(lab)
        assert not CALL.search(fails(ENCRYPT, lab.sandbox, image_id=copy).hint or "")
        encrypt(lab, key=False)
        assert not CALL.search(fails(ENCRYPT, lab.sandbox, image_id=copy).hint or "")

    def test_private_snapshots(self, lab):
        assert not CALL.search(fails(PRIVATE, lab.sandbox).hint or "")
        block(lab, "block-all-sharing")
        assert not CALL.search(fails(PRIVATE, lab.sandbox).hint or "")
