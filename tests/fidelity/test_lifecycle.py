"""R24–R27 and disabling: deregistering, deleting snapshots, deprecation, protection."""

from __future__ import annotations

import datetime as dt

from labkit.accounts import ORGANIZATION_ARN
from labkit.catalog import image_id

from .conftest import AL2023, PARTNER, describe, error, give_partner, make_image, share, snapshot_of


def own_snapshots(ec2) -> list[str]:
    return [s["SnapshotId"] for s in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]]


class TestDeregister:
    def test_snapshots_outlive_the_image(self, sandbox):
        """R25: after DeregisterImage the image is gone but its snapshot is still there."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        assert ec2.deregister_image(ImageId=image)["Return"] is True
        assert ec2.describe_images(Owners=["self"])["Images"] == []
        assert own_snapshots(ec2) == [snapshot]

    def test_delete_associated_snapshots(self, sandbox):
        """R25: DeleteAssociatedSnapshots removes the image's snapshots in the same call."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        answer = ec2.deregister_image(ImageId=image, DeleteAssociatedSnapshots=True)
        assert answer["DeleteSnapshotResults"] == [
            {"SnapshotId": snapshot, "ReturnCode": "success"}
        ]
        assert own_snapshots(ec2) == []

    def test_only_the_owner_can_deregister(self, sandbox):
        """R25: the partner deregistering Amazon's image gets AuthFailure; the image stays."""
        partner = sandbox.client("ec2", account="partner")
        amazon = image_id(AL2023, "us-east-1")
        err = error(partner.deregister_image, ImageId=amazon)
        assert err["Code"] == "AuthFailure" and err["Message"].startswith(
            f"Not authorized for image:{amazon}"
        )
        assert describe(partner, amazon)["State"] == "available"

    def test_shared_image_cannot_be_deregistered_by_recipient(self, sandbox):
        """R03: an account the image is shared with cannot deregister it."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        assert error(partner.deregister_image, ImageId=image)["Code"] == "AuthFailure"
        assert describe(sandbox.client("ec2"), image)["State"] == "available"

    def test_invisible_image_is_not_found(self, sandbox):
        """R02: deregistering a private image of another account is InvalidAMIID.NotFound."""
        image = make_image(sandbox)
        partner = sandbox.client("ec2", account="partner")
        assert error(partner.deregister_image, ImageId=image)["Code"] == "InvalidAMIID.NotFound"

    def test_twice_is_unavailable(self, sandbox):
        """R25: deregistering an already deregistered image is InvalidAMIID.Unavailable."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.deregister_image(ImageId=image)
        assert error(ec2.deregister_image, ImageId=image)["Code"] == "InvalidAMIID.Unavailable"


class TestDeleteSnapshot:
    def test_snapshot_in_use_cannot_be_deleted(self, sandbox):
        """R25: a registered image's snapshot is InvalidSnapshot.InUse and stays."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        err = error(ec2.delete_snapshot, SnapshotId=snapshot)
        assert err == {
            "Code": "InvalidSnapshot.InUse",
            "Message": f"The snapshot {snapshot} is currently in use by {image}",
        }
        assert own_snapshots(ec2) == [snapshot]

    def test_delete_after_deregister(self, sandbox):
        """R24: deregister, then delete the snapshot: nothing is left to bill."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        ec2.deregister_image(ImageId=image)
        ec2.delete_snapshot(SnapshotId=snapshot)
        assert own_snapshots(ec2) == []

    def test_only_the_owner_deletes(self, sandbox):
        """R25: an account given create-volume permission still cannot delete the snapshot."""
        ec2 = sandbox.client("ec2")
        volume = ec2.create_volume(Size=8, AvailabilityZone="us-east-1a")["VolumeId"]
        snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
        give_partner(ec2, snapshot)
        partner = sandbox.client("ec2", account="partner")
        assert error(partner.delete_snapshot, SnapshotId=snapshot)["Code"] == "AuthFailure"
        assert own_snapshots(ec2) == [snapshot]

    def test_unknown_snapshot(self, sandbox):
        """R25: an unknown snapshot is InvalidSnapshot.NotFound with its ID in the message."""
        err = error(sandbox.client("ec2").delete_snapshot, SnapshotId="snap-0123456789abcdef0")
        assert (
            err["Code"] == "InvalidSnapshot.NotFound" and "snap-0123456789abcdef0" in err["Message"]
        )


class TestDeprecation:
    def test_deprecate_at_is_rounded_to_the_minute(self, sandbox):
        """R26: DeprecateAt with seconds is rounded to the nearest minute in DescribeImages."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.enable_image_deprecation(ImageId=image, DeprecateAt=dt.datetime(2025, 6, 1, 12, 0, 40))
        assert describe(ec2, image)["DeprecationTime"] == "2025-06-01T12:01:00.000Z"

    def test_deprecated_image_hidden_from_others_but_launches(self, sandbox):
        """R26: once deprecated, the partner's listing omits it; by ID it shows and launches."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        share(sandbox, image)
        ec2.enable_image_deprecation(ImageId=image, DeprecateAt=dt.datetime(2025, 3, 5))
        sandbox.advance_clock(days=3)
        partner = sandbox.client("ec2", account="partner")
        assert image not in [i["ImageId"] for i in partner.describe_images()["Images"]]
        listed = partner.describe_images(IncludeDeprecated=True)["Images"]
        assert image in [i["ImageId"] for i in listed]
        assert describe(partner, image)["DeprecationTime"] == "2025-03-05T00:00:00.000Z"
        run = partner.run_instances(ImageId=image, MinCount=1, MaxCount=1)
        assert run["Instances"][0]["ImageId"] == image
        assert image in [i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]]

    def test_past_date_refused(self, sandbox):
        """R26: a DeprecateAt in the past is InvalidParameterValue; nothing changes."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        err = error(
            ec2.enable_image_deprecation, ImageId=image, DeprecateAt=dt.datetime(2024, 1, 1)
        )
        assert err["Code"] == "InvalidParameterValue" and "past" in err["Message"]
        assert "DeprecationTime" not in describe(ec2, image)

    def test_more_than_ten_years_refused(self, sandbox):
        """R26: DeprecateAt more than ten years ahead is InvalidParameterValue."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        err = error(
            ec2.enable_image_deprecation, ImageId=image, DeprecateAt=dt.datetime(2036, 1, 1)
        )
        assert err["Code"] == "InvalidParameterValue"

    def test_only_the_owner_deprecates(self, sandbox):
        """R03: the partner cannot deprecate an image shared with it (AuthFailure)."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        err = error(
            partner.enable_image_deprecation, ImageId=image, DeprecateAt=dt.datetime(2026, 1, 1)
        )
        assert err["Code"] == "AuthFailure"
        assert error(partner.disable_image_deprecation, ImageId=image)["Code"] == "AuthFailure"

    def test_disable_removes_the_date(self, sandbox):
        """R26: DisableImageDeprecation removes DeprecationTime from the private image."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.enable_image_deprecation(ImageId=image, DeprecateAt=dt.datetime(2026, 1, 1))
        ec2.disable_image_deprecation(ImageId=image)
        assert "DeprecationTime" not in describe(ec2, image)

    def test_public_images_deprecate_within_two_years(self, sandbox):
        """R26: a public image shows creation + 2 years, and cannot be pushed later or cleared."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.disable_image_block_public_access()
        ec2.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"Group": "all"}]})
        found = describe(ec2, image)
        assert (
            found["DeprecationTime"][:10]
            == "2027-03-03"
            == found["CreationDate"].replace("2025", "2027")[:10]
        )
        err = error(
            ec2.enable_image_deprecation, ImageId=image, DeprecateAt=dt.datetime(2028, 1, 1)
        )
        assert err["Code"] == "InvalidParameterValue" and "two years" in err["Message"]
        assert (
            error(ec2.disable_image_deprecation, ImageId=image)["Code"] == "InvalidParameterValue"
        )
        ec2.enable_image_deprecation(ImageId=image, DeprecateAt=dt.datetime(2026, 1, 1))
        assert describe(ec2, image)["DeprecationTime"] == "2026-01-01T00:00:00.000Z"


class TestDeregistrationProtection:
    def test_protected_image_cannot_be_deregistered(self, sandbox):
        """R27: with protection on, DeregisterImage is OperationNotPermitted; the image stays."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        answer = ec2.enable_image_deregistration_protection(ImageId=image)
        assert answer["Return"] == "enabled-without-cooldown"
        assert describe(ec2, image)["DeregistrationProtection"] == "enabled-without-cooldown"
        assert error(ec2.deregister_image, ImageId=image)["Code"] == "OperationNotPermitted"
        assert describe(ec2, image)["State"] == "available"
        assert ec2.disable_image_deregistration_protection(ImageId=image)["Return"] == "disabled"
        ec2.deregister_image(ImageId=image)

    def test_new_images_are_unprotected(self, sandbox):
        """R27: DescribeImages shows DeregistrationProtection disabled for a new image."""
        ec2 = sandbox.client("ec2")
        assert describe(ec2, make_image(sandbox))["DeregistrationProtection"] == "disabled"

    def test_cooldown_keeps_protection_for_a_day(self, sandbox):
        """R27: with cooldown, the image stays protected for 24 hours after disabling."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.enable_image_deregistration_protection(ImageId=image, WithCooldown=True)
        ec2.disable_image_deregistration_protection(ImageId=image)
        err = error(ec2.deregister_image, ImageId=image)
        assert err["Code"] == "OperationNotPermitted" and "cooldown" in err["Message"]
        assert describe(ec2, image)["DeregistrationProtection"] == "enabled-with-cooldown"
        sandbox.advance_clock(days=1, seconds=1)
        assert describe(ec2, image)["DeregistrationProtection"] == "disabled"
        ec2.deregister_image(ImageId=image)

    def test_only_the_owner_protects(self, sandbox):
        """R03: the partner cannot change protection on an image shared with it."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        call = partner.enable_image_deregistration_protection
        assert error(call, ImageId=image)["Code"] == "AuthFailure"


class TestDisableImage:
    """disable-an-ami: a disabled image stops launching and loses every launch permission."""

    def _shared_widely(self, sandbox) -> str:
        """The learner's image, public and shared with the partner and the organization."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.disable_image_block_public_access()
        ec2.modify_image_attribute(
            ImageId=image,
            LaunchPermission={
                "Add": [
                    {"Group": "all"},
                    {"UserId": PARTNER},
                    {"OrganizationArn": ORGANIZATION_ARN},
                ]
            },
        )
        return image

    def test_disabling_makes_the_image_private(self, sandbox):
        """A public, shared image becomes disabled with no launch permissions left."""
        ec2 = sandbox.client("ec2")
        image = self._shared_widely(sandbox)
        assert ec2.disable_image(ImageId=image)["Return"] is True
        found = ec2.describe_images(ImageIds=[image], IncludeDisabled=True)["Images"][0]
        assert (found["State"], found["Public"]) == ("disabled", False)
        answer = ec2.describe_image_attribute(ImageId=image, Attribute="launchPermission")
        assert answer["LaunchPermissions"] == []

    def test_others_lose_access(self, sandbox):
        """Accounts it was shared with (or public to) no longer see, launch or copy it."""
        image = self._shared_widely(sandbox)
        sandbox.client("ec2").disable_image(ImageId=image)
        for account in ("partner", "seller"):
            other = sandbox.client("ec2", account=account)
            assert error(other.describe_images, ImageIds=[image], IncludeDisabled=True) == {
                "Code": "InvalidAMIID.NotFound",
                "Message": f"The image id '[{image}]' does not exist",
            }
            listed = other.describe_images(IncludeDisabled=True, ExecutableUsers=["all"])
            assert image not in [i["ImageId"] for i in listed["Images"]]
            err = error(other.run_instances, ImageId=image, MinCount=1, MaxCount=1)
            assert err["Code"] == "InvalidAMIID.NotFound"
            copy = {"SourceImageId": image, "SourceRegion": "us-east-1", "Name": "my-copy"}
            assert error(other.copy_image, **copy)["Code"] == "InvalidAMIID.NotFound"

    def test_re_enabling_does_not_restore_sharing(self, sandbox):
        """EnableImage makes it available but still private; sharing again works."""
        ec2 = sandbox.client("ec2")
        image = self._shared_widely(sandbox)
        ec2.disable_image(ImageId=image)
        assert ec2.enable_image(ImageId=image)["Return"] is True
        found = describe(ec2, image)
        assert (found["State"], found["Public"]) == ("available", False)
        answer = ec2.describe_image_attribute(ImageId=image, Attribute="launchPermission")
        assert answer["LaunchPermissions"] == []
        partner = sandbox.client("ec2", account="partner")
        assert error(partner.describe_images, ImageIds=[image])["Code"] == "InvalidAMIID.NotFound"
        share(sandbox, image)
        assert describe(partner, image)["State"] == "available"

    def test_only_the_owner_disables_or_enables(self, sandbox):
        """A shared or public image is AuthFailure for others; one they cannot see, NotFound."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        amazon = image_id(AL2023, "us-east-1")
        for target in (image, amazon):
            err = error(partner.disable_image, ImageId=target)
            assert err["Code"] == "AuthFailure"
            assert err["Message"].startswith(f"Not authorized for image:{target}")
            assert describe(partner, target)["State"] == "available"
        sandbox.client("ec2").disable_image(ImageId=image)
        assert error(partner.enable_image, ImageId=image)["Code"] == "InvalidAMIID.NotFound"
        private = make_image(sandbox, name="web-v2")
        seller = sandbox.client("ec2", account="seller")
        assert error(seller.disable_image, ImageId=private)["Code"] == "InvalidAMIID.NotFound"

    def test_instances_already_launched_are_not_affected(self, sandbox):
        """The partner's instance from the image keeps running, and stops and starts."""
        image = make_image(sandbox)
        share(sandbox, image)
        partner = sandbox.client("ec2", account="partner")
        instance = partner.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0][
            "InstanceId"
        ]
        sandbox.client("ec2").disable_image(ImageId=image)
        partner.stop_instances(InstanceIds=[instance])
        partner.start_instances(InstanceIds=[instance])
        found = partner.describe_instances(InstanceIds=[instance])["Reservations"][0]
        assert found["Instances"][0]["State"]["Name"] == "running"

    def test_its_snapshots_stay_in_use(self, sandbox):
        """DeleteSnapshot of a disabled image's snapshot is InvalidSnapshot.InUse."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        snapshot = snapshot_of(ec2, image)
        ec2.disable_image(ImageId=image)
        assert error(ec2.delete_snapshot, SnapshotId=snapshot) == {
            "Code": "InvalidSnapshot.InUse",
            "Message": f"The snapshot {snapshot} is currently in use by {image}",
        }

    def test_pending_image_is_unavailable(self, sandbox):
        """A pending image cannot be disabled, and EnableImage does not make it available."""
        ec2 = sandbox.client("ec2")
        instance = ec2.run_instances(ImageId=image_id(AL2023, "us-east-1"), MinCount=1, MaxCount=1)
        image = ec2.create_image(InstanceId=instance["Instances"][0]["InstanceId"], Name="new")[
            "ImageId"
        ]
        ec2.enable_image(ImageId=image)
        err = error(ec2.disable_image, ImageId=image)
        assert err["Code"] == "InvalidAMIID.Unavailable"
        assert err["Message"].startswith(
            f"The AMI ID '{image}' is currently pending and may not be used for this operation."
        )
        assert describe(ec2, image)["State"] == "pending"
        assert describe(ec2, image)["State"] == "available"
        ec2.disable_image(ImageId=image)

    def test_deregistered_image_is_unavailable(self, sandbox):
        """Disabling a deregistered image is InvalidAMIID.Unavailable."""
        ec2 = sandbox.client("ec2")
        image = make_image(sandbox)
        ec2.deregister_image(ImageId=image)
        assert error(ec2.disable_image, ImageId=image)["Code"] == "InvalidAMIID.Unavailable"


class TestAmazonsSnapshots:
    def test_others_cannot_delete_amazons_snapshot(self, sandbox):
        """R14, R25: Amazon's catalogue snapshot does not exist for the learner's DeleteSnapshot."""
        ec2 = sandbox.client("ec2")
        snapshot = snapshot_of(ec2, image_id(AL2023, "us-east-1"))
        assert error(ec2.delete_snapshot, SnapshotId=snapshot) == {
            "Code": "InvalidSnapshot.NotFound",
            "Message": f"The snapshot '{snapshot}' does not exist.",
        }
