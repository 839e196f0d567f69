"""Lesson 09's checks: the reference answers pass, typical wrong states fail with their message."""

from __future__ import annotations

from check_helpers import SELLER, fails, passes

LESSON = "09-governance"
ALLOWED = "governance-allowed-amis"
ENCRYPT = "governance-encrypt-by-default"
PRIVATE = "governance-private-snapshots"
POLICY = "governance-lifecycle-policy"
LOCK = "governance-lock-evidence"
LOOKALIKE = "ami-0c4e7a91d2b35f608"
ROLE = "arn:aws:iam::111111111111:role/AWSDataLifecycleManagerDefaultRoleForAMIManagement"


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
        default = lab.client("ec2").get_ebs_default_kms_key_id()["KmsKeyId"]
        assert fails(ENCRYPT, lab.sandbox, image_id=copy_legacy(lab)).message == (
            f"the default EBS key in us-east-1 is {default}, not your key alias/ami-lab-platform"
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


def policy(lab, *, tags=None, every=12, retain=None, deprecate=None, state="ENABLED"):
    schedule = {
        "Name": "twice-daily",
        "CreateRule": {"Interval": every, "IntervalUnit": "HOURS"},
        "RetainRule": retain or {"Interval": 14, "IntervalUnit": "DAYS"},
    }
    if deprecate is not False:
        schedule["DeprecateRule"] = deprecate or {"Interval": 7, "IntervalUnit": "DAYS"}
    return lab.client("dlm").create_lifecycle_policy(
        ExecutionRoleArn=ROLE,
        Description="reports every 12 hours",
        State=state,
        PolicyDetails={
            "PolicyType": "IMAGE_MANAGEMENT",
            "ResourceTypes": ["INSTANCE"],
            "TargetTags": tags or [{"Key": "AmiBackup", "Value": "reports"}],
            "Schedules": [schedule],
        },
    )["PolicyId"]


class TestLifecyclePolicy:
    def test_reference_answer_passes(self, lab):
        """12 hours, deprecate at 7 days, retire at 14, for the reports fleet alone."""
        found = policy(lab)
        assert passes(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} images the reports fleet ({lab.ids['reports_1']}) every 12 hours, "
            "deprecates each image at 7 days and retires it, snapshots and all, at 14."
        )

    def test_weeks_are_days_too(self, lab):
        """Two weeks and one week are 14 and 7 days."""
        found = policy(
            lab,
            retain={"Interval": 2, "IntervalUnit": "WEEKS"},
            deprecate={"Interval": 1, "IntervalUnit": "WEEKS"},
        )
        passes(POLICY, lab.sandbox, policy_id=found)

    def test_still_passes_a_month_later(self, lab):
        """The check judges the policy, not the clock: a month of runs changes nothing."""
        found = policy(lab)
        lab.advance_clock(days=30)
        passes(POLICY, lab.sandbox, policy_id=found)

    def test_every_fleet_targeted(self, lab):
        """Targeting the web fleet's tag too images instances that are not the reports fleet."""
        tags = [
            {"Key": "AmiBackup", "Value": "reports"},
            {"Key": "AmiBackup", "Value": "daily"},
        ]
        found = policy(lab, tags=tags)
        web = ", ".join(sorted([lab.ids["web_1"], lab.ids["web_2"]]))
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} also images {web}, which are not the reports fleet: their images would "
            "pile up under this policy's rules"
        )

    def test_wrong_tag(self, lab):
        """The web fleet's tag misses the reports fleet."""
        found = policy(lab, tags=[{"Key": "AmiBackup", "Value": "daily"}])
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} does not reach the reports fleet ({lab.ids['reports_1']}): no instance of "
            "it carries one of the policy's target tags"
        )

    def test_count_instead_of_age(self, lab):
        """Keeping a count of images is the other kind of rule."""
        found = policy(lab, retain={"Count": 28}, deprecate={"Count": 14})
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} keeps the newest 28 images, a count: the exercise keeps images by their age"
        )

    def test_never_deprecates(self, lab):
        found = policy(lab, deprecate=False)
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} never deprecates: for 14 days every image looks current to whoever searches"
        )

    def test_disabled(self, lab):
        found = policy(lab, state="DISABLED")
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} is DISABLED: a policy that is not enabled makes nothing"
        )

    def test_daily(self, lab):
        found = policy(lab, every=24)
        assert fails(POLICY, lab.sandbox, policy_id=found).message == (
            f"{found} makes an image every 24 hours, not every 12"
        )

    def test_not_an_id(self, lab):
        assert fails(POLICY, lab.sandbox, policy_id={"PolicyId": "x"}).message == (
            "expected a policy ID, a string starting with 'policy-', but found {'PolicyId': 'x'}"
        )


def lock(lab, **params):
    lab.client("ec2").lock_snapshot(SnapshotId=lab.ids["audit_snapshot"], **params)


class TestLockEvidence:
    def test_reference_answer_passes(self, lab):
        """Compliance until 1 April 2026, with a day to cool off."""
        lock(lab, LockMode="compliance", ExpirationDate="2026-04-01T00:00:00Z", CoolOffPeriod=24)
        assert passes(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({lab.ids['audit_snapshot']}) is locked in compliance mode "
            "until 2026-04-01: nobody, you included, can delete it before then."
        )

    def test_compliance_by_duration_passes(self, lab):
        """A duration in days that reaches the date works too (3 March 2025 + 394 days)."""
        lock(lab, LockMode="compliance", LockDuration=394)
        passes(LOCK, lab.sandbox)

    def test_not_locked(self, lab):
        snapshot = lab.ids["audit_snapshot"]
        assert fails(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({snapshot}) is not locked: anyone allowed to delete "
            "snapshots can delete it"
        )

    def test_governance_mode(self, lab):
        """Governance can be lifted by whoever may unlock."""
        lock(lab, LockMode="governance", ExpirationDate="2026-04-01T00:00:00Z")
        snapshot = lab.ids["audit_snapshot"]
        assert fails(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({snapshot}) is locked in governance mode: anyone allowed to "
            "unlock snapshots can unlock it and delete it"
        )

    def test_too_short(self, lab):
        lock(lab, LockMode="compliance", LockDuration=365)
        snapshot = lab.ids["audit_snapshot"]
        assert fails(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({snapshot}) is locked only until 2026-03-03 09:00 UTC, before "
            "2026-04-01"
        )

    def test_far_too_long(self, lab):
        """A century of compliance cannot be undone: over-broad, and named."""
        lock(lab, LockMode="compliance", LockDuration=36500)
        snapshot = lab.ids["audit_snapshot"]
        assert fails(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({snapshot}) is locked until 2125-02-07, long after 2026-04-01: "
            "a compliance lock cannot be shortened, and you pay for the snapshot all that time"
        )

    def test_lock_expired(self, lab):
        """A year and a half later a lock that was long enough has expired (the check reads the
        clock)."""
        lock(lab, LockMode="compliance", ExpirationDate="2026-04-01T00:00:00Z")
        lab.advance_clock(days=400)
        snapshot = lab.ids["audit_snapshot"]
        assert fails(LOCK, lab.sandbox).message == (
            f"audit-2024-evidence ({snapshot}) is no longer locked (its lock has expired): "
            "anyone allowed to delete snapshots can delete it"
        )


def test_every_check_still_passes_after_the_last_exercise(lab):
    """The five reference answers, then a month on the clock: every check still answers ✅."""
    allow(lab, {"ImageProviders": ["amazon"]})
    encrypt(lab)
    copy = copy_legacy(lab)
    block(lab, "block-all-sharing")
    unshare_legacy(lab)
    found = policy(lab)
    lock(lab, LockMode="compliance", ExpirationDate="2026-04-01T00:00:00Z", CoolOffPeriod=24)
    lab.advance_clock(days=30)
    passes(ALLOWED, lab.sandbox)
    passes(ENCRYPT, lab.sandbox, image_id=copy)
    passes(PRIVATE, lab.sandbox)
    passes(POLICY, lab.sandbox, policy_id=found)
    passes(LOCK, lab.sandbox)


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
