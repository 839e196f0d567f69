"""R03, R11–R13, R15, R17, R18: sharing images and snapshots, seen from both accounts."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from labkit.accounts import ORGANIZATION_ARN, ORGANIZATION_ID, ORGANIZATIONAL_UNITS
from labkit.catalog import image_id
from labkit.fidelity.images import find_image
from labkit.fidelity.sharing import snapshots_needing_permission

AL2023 = "al2023-x86_64"
MARKETPLACE = "marketplace-hardened-al2023"
PARTNER = "222222222222"
SELLER = "333333333333"
OU_ARN = str(ORGANIZATIONAL_UNITS["partners"]["arn"])


def launch(ec2, image: str) -> str:
    reservation = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)
    return reservation["Instances"][0]["InstanceId"]


def make_image(sandbox, account="learner", region="us-east-1", name="web-v1", base=AL2023, **kw):
    """An available image of the account's own, made from a catalogue image."""
    ec2 = sandbox.client("ec2", region=region, account=account)
    instance = launch(ec2, image_id(base, region))
    image = ec2.create_image(InstanceId=instance, Name=name, **kw)["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    return image


def encrypted_copy(sandbox, image: str, kms_key_id: str | None = None, name="web-enc") -> str:
    """An encrypted copy of the learner's image (with a named key, or the aws/ebs default)."""
    ec2 = sandbox.client("ec2")
    extra = {"KmsKeyId": kms_key_id} if kms_key_id else {}
    copy = ec2.copy_image(
        SourceImageId=image, SourceRegion="us-east-1", Name=name, Encrypted=True, **extra
    )["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[copy])
    return copy


def root_snapshot(ec2, image: str) -> str:
    return ec2.describe_images(ImageIds=[image])["Images"][0]["BlockDeviceMappings"][0]["Ebs"][
        "SnapshotId"
    ]


def error_code(call, *args, **kwargs) -> str:
    with pytest.raises(ClientError) as error:
        call(*args, **kwargs)
    return error.value.response["Error"]["Code"]


def launch_permissions(ec2, image: str) -> list[dict[str, str]]:
    answer = ec2.describe_image_attribute(ImageId=image, Attribute="launchPermission")
    return answer["LaunchPermissions"]


def share(ec2, image: str, **grantee: str) -> None:
    ec2.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [grantee]})


def visible_ids(ec2, **kwargs) -> set[str]:
    return {i["ImageId"] for i in ec2.describe_images(**kwargs)["Images"]}


class TestOnlyTheOwnerChangesAnImage:
    def test_partner_cannot_share_a_private_image(self, sandbox):
        """R03: an image not shared with the partner is InvalidAMIID.NotFound to it."""
        image = make_image(sandbox)
        partner = sandbox.client("ec2", account="partner")
        code = error_code(
            partner.modify_image_attribute,
            ImageId=image,
            LaunchPermission={"Add": [{"UserId": SELLER}]},
        )
        assert code == "InvalidAMIID.NotFound"
        assert launch_permissions(sandbox.client("ec2"), image) == []

    def test_partner_cannot_reshare_a_shared_image(self, sandbox):
        """R03: the partner sees a shared image but changing it is AuthFailure; nothing changes."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        share(learner, image, UserId=PARTNER)
        partner = sandbox.client("ec2", account="partner")
        code = error_code(
            partner.modify_image_attribute,
            ImageId=image,
            LaunchPermission={"Add": [{"UserId": SELLER}]},
        )
        assert code == "AuthFailure"
        assert launch_permissions(learner, image) == [{"UserId": PARTNER}]
        assert visible_ids(sandbox.client("ec2", account="seller"), Owners=[learner_id()]) == set()

    def test_partner_cannot_change_the_description(self, sandbox):
        """R03: a shared image's description is the owner's to change."""
        image = make_image(sandbox, Description="web server")
        share(sandbox.client("ec2"), image, UserId=PARTNER)
        partner = sandbox.client("ec2", account="partner")
        code = error_code(
            partner.modify_image_attribute, ImageId=image, Description={"Value": "mine now"}
        )
        assert code == "AuthFailure"
        assert partner.describe_images(ImageIds=[image])["Images"][0]["Description"] == (
            "web server"
        )

    def test_owner_changes_the_description(self, sandbox):
        """R03: the owner may change its image's description."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        learner.modify_image_attribute(ImageId=image, Description={"Value": "web v1, patched"})
        assert learner.describe_images(ImageIds=[image])["Images"][0]["Description"] == (
            "web v1, patched"
        )

    def test_partner_cannot_deregister_a_shared_image(self, sandbox):
        """R03: deregistering a shared image from the partner fails and the image stays."""
        image = make_image(sandbox)
        share(sandbox.client("ec2"), image, UserId=PARTNER)
        partner = sandbox.client("ec2", account="partner")
        with pytest.raises(ClientError):
            partner.deregister_image(ImageId=image)
        assert visible_ids(sandbox.client("ec2"), ImageIds=[image]) == {image}

    def test_nobody_changes_amazons_images(self, sandbox):
        """R03: a public Amazon image cannot be changed by the learner (AuthFailure)."""
        amazon = image_id(AL2023, "us-east-1")
        learner = sandbox.client("ec2")
        code = error_code(
            learner.modify_image_attribute,
            ImageId=amazon,
            LaunchPermission={"Remove": [{"Group": "all"}]},
        )
        assert code == "AuthFailure"
        assert find_image("us-east-1", amazon).is_public


def learner_id() -> str:
    return "111111111111"


def registered_image(sandbox, name="web-registered") -> str:
    """An image registered from a snapshot: no ImdsSupport until the owner sets it."""
    ec2 = sandbox.client("ec2")
    snapshot = root_snapshot(ec2, make_image(sandbox))
    image = ec2.register_image(
        Name=name,
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": snapshot}}],
    )["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    return image


class TestModifyImageAttribute:
    """ModifyImageAttribute changes description, imdsSupport or launchPermission, one at a time."""

    def test_description_in_either_form(self, sandbox):
        """R03: Description={'Value': …} and Attribute='description', Value=… both change it."""
        image = make_image(sandbox, Description="web server")
        ec2 = sandbox.client("ec2")
        ec2.modify_image_attribute(ImageId=image, Attribute="description", Value="web v1.1")
        assert ec2.describe_images(ImageIds=[image])["Images"][0]["Description"] == "web v1.1"
        ec2.modify_image_attribute(ImageId=image, Description={"Value": "web v1.2"})
        answer = ec2.describe_image_attribute(ImageId=image, Attribute="description")
        assert answer["Description"] == {"Value": "web v1.2"}

    def test_imds_support_set_to_v2(self, sandbox):
        """The owner sets ImdsSupport to v2.0; DescribeImages and the attribute show it."""
        image = registered_image(sandbox)
        ec2 = sandbox.client("ec2")
        assert "ImdsSupport" not in ec2.describe_images(ImageIds=[image])["Images"][0]
        ec2.modify_image_attribute(ImageId=image, ImdsSupport={"Value": "v2.0"})
        assert ec2.describe_images(ImageIds=[image])["Images"][0]["ImdsSupport"] == "v2.0"
        ec2.modify_image_attribute(ImageId=image, Attribute="imdsSupport", Value="v2.0")
        answer = ec2.describe_image_attribute(ImageId=image, Attribute="imdsSupport")
        assert answer["ImdsSupport"] == {"Value": "v2.0"}

    def test_imds_support_cannot_be_undone(self, sandbox):
        """Once v2.0, ImdsSupport cannot go back (InvalidParameterValue); it stays v2.0."""
        image = registered_image(sandbox)
        ec2 = sandbox.client("ec2")
        call = ec2.modify_image_attribute
        assert error_code(call, ImageId=image, ImdsSupport={"Value": "v1.0"}) == (
            "InvalidParameterValue"
        )
        ec2.modify_image_attribute(ImageId=image, ImdsSupport={"Value": "v2.0"})
        with pytest.raises(ClientError) as caught:
            ec2.modify_image_attribute(ImageId=image, Attribute="imdsSupport", Value="v1.0")
        assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"
        assert "cannot be undone" in caught.value.response["Error"]["Message"]
        assert ec2.describe_images(ImageIds=[image])["Images"][0]["ImdsSupport"] == "v2.0"

    def test_only_the_owner_sets_imds_support(self, sandbox):
        """R03: the partner setting ImdsSupport on a shared image is AuthFailure."""
        image = registered_image(sandbox)
        share(sandbox.client("ec2"), image, UserId=PARTNER)
        partner = sandbox.client("ec2", account="partner")
        code = error_code(
            partner.modify_image_attribute, ImageId=image, ImdsSupport={"Value": "v2.0"}
        )
        assert code == "AuthFailure"
        assert "ImdsSupport" not in partner.describe_images(ImageIds=[image])["Images"][0]

    def test_product_codes_are_not_supported(self, sandbox):
        """ProductCodes ("Not supported" in the API reference) is refused: UnsupportedOperation."""
        image = make_image(sandbox)
        ec2 = sandbox.client("ec2")
        call = ec2.modify_image_attribute
        assert error_code(call, ImageId=image, ProductCodes=["abc123"]) == "UnsupportedOperation"
        assert error_code(call, ImageId=image, Attribute="productCodes") == "UnsupportedOperation"
        assert ec2.describe_images(ImageIds=[image])["Images"][0].get("ProductCodes", []) == []

    def test_one_attribute_at_a_time(self, sandbox):
        """Two attributes in one request are InvalidParameterCombination; nothing changes."""
        image = make_image(sandbox, Description="web server")
        ec2 = sandbox.client("ec2")
        code = error_code(
            ec2.modify_image_attribute,
            ImageId=image,
            Description={"Value": "shared"},
            LaunchPermission={"Add": [{"UserId": PARTNER}]},
        )
        assert code == "InvalidParameterCombination"
        assert ec2.describe_images(ImageIds=[image])["Images"][0]["Description"] == "web server"
        assert launch_permissions(ec2, image) == []

    def test_other_attributes_cannot_be_modified(self, sandbox):
        """Only description, imdsSupport and launchPermission: others are InvalidParameterValue."""
        image = make_image(sandbox)
        ec2 = sandbox.client("ec2")
        code = error_code(
            ec2.modify_image_attribute, ImageId=image, Attribute="kernel", Value="aki-1234"
        )
        assert code == "InvalidParameterValue"


class TestShareWithAnAccount:
    def test_partner_finds_launches_a_shared_image(self, sandbox):
        """R11: shared by account ID, the partner finds it (ID, ExecutableUsers) and launches."""
        image = make_image(sandbox)
        share(sandbox.client("ec2"), image, UserId=PARTNER)
        partner = sandbox.client("ec2", account="partner")
        assert visible_ids(partner, ImageIds=[image]) == {image}
        assert image in visible_ids(partner, ExecutableUsers=["self"])
        instance = launch(partner, image)
        reservations = partner.describe_instances(InstanceIds=[instance])["Reservations"]
        assert reservations[0]["Instances"][0]["ImageId"] == image

    def test_other_accounts_still_do_not_see_it(self, sandbox):
        """R11: sharing with the partner does not show the image to the seller."""
        image = make_image(sandbox)
        share(sandbox.client("ec2"), image, UserId=PARTNER)
        seller = sandbox.client("ec2", account="seller")
        assert error_code(seller.describe_images, ImageIds=[image]) == "InvalidAMIID.NotFound"

    def test_operation_type_form(self, sandbox):
        """R11: OperationType='add' with UserIds shares; 'remove' takes it back."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        learner.modify_image_attribute(
            ImageId=image, Attribute="launchPermission", OperationType="add", UserIds=[PARTNER]
        )
        assert launch_permissions(learner, image) == [{"UserId": PARTNER}]
        learner.modify_image_attribute(
            ImageId=image, Attribute="launchPermission", OperationType="remove", UserIds=[PARTNER]
        )
        assert launch_permissions(learner, image) == []
        partner = sandbox.client("ec2", account="partner")
        assert error_code(partner.describe_images, ImageIds=[image]) == "InvalidAMIID.NotFound"

    def test_R11_launch_permission_repeated_as_user_ids(self, sandbox):
        """R11: LaunchPermission.Add with the same accounts repeated as UserIds and no
        OperationType (what the AWS SDK for Go v1, and so Packer 1.6, sends) shares once."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        learner.modify_image_attribute(
            ImageId=image, LaunchPermission={"Add": [{"UserId": PARTNER}]}, UserIds=[PARTNER]
        )
        assert launch_permissions(learner, image) == [{"UserId": PARTNER}]

    def test_R11_user_ids_alone_still_need_an_operation_type(self, sandbox):
        """R11: UserIds with neither OperationType nor LaunchPermission is still refused."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        code = error_code(
            learner.modify_image_attribute,
            ImageId=image,
            Attribute="launchPermission",
            UserIds=[PARTNER],
        )
        assert code == "InvalidParameterValue"
        assert launch_permissions(learner, image) == []

    def test_revoked_partner_cannot_launch(self, sandbox):
        """R11: after Remove, the partner can no longer launch the image."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        share(learner, image, UserId=PARTNER)
        learner.modify_image_attribute(
            ImageId=image, LaunchPermission={"Remove": [{"UserId": PARTNER}]}
        )
        partner = sandbox.client("ec2", account="partner")
        assert error_code(launch, partner, image) == "InvalidAMIID.NotFound"

    @pytest.mark.parametrize("bad", ["2222", "22222222222a", "partner"])
    def test_account_id_must_be_12_digits(self, sandbox, bad):
        """R11: a UserId that is not 12 digits is InvalidAMIAttributeItemValue; nothing shared."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        assert error_code(share, learner, image, UserId=bad) == "InvalidAMIAttributeItemValue"
        assert launch_permissions(learner, image) == []

    def test_owner_keeps_its_implicit_permission(self, sandbox):
        """R11: removing every permission leaves the owner able to launch its image."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        share(learner, image, UserId=PARTNER)
        learner.modify_image_attribute(
            ImageId=image,
            LaunchPermission={"Remove": [{"UserId": PARTNER}, {"UserId": learner_id()}]},
        )
        assert launch_permissions(learner, image) == []
        assert launch(learner, image).startswith("i-")

    def test_all_or_nothing(self, sandbox):
        """R11: one bad grantee in a request means none of it is applied."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        code = error_code(
            learner.modify_image_attribute,
            ImageId=image,
            LaunchPermission={"Add": [{"UserId": PARTNER}, {"UserId": "123"}]},
        )
        assert code == "InvalidAMIAttributeItemValue"
        assert launch_permissions(learner, image) == []


class TestShareWithTheOrganization:
    def test_share_with_organization_arn(self, sandbox):
        """R11: shared with the organization's ARN, the member partner sees it; the seller not."""
        image = make_image(sandbox)
        share(sandbox.client("ec2"), image, OrganizationArn=ORGANIZATION_ARN)
        partner = sandbox.client("ec2", account="partner")
        assert image in visible_ids(partner, ExecutableUsers=["self"])
        assert launch(partner, image).startswith("i-")
        seller = sandbox.client("ec2", account="seller")
        assert error_code(seller.describe_images, ImageIds=[image]) == "InvalidAMIID.NotFound"

    def test_share_with_ou_arn(self, sandbox):
        """R11: shared with an OU's ARN (OperationType form), the OU's partner account sees it."""
        image = make_image(sandbox)
        sandbox.client("ec2").modify_image_attribute(
            ImageId=image, OperationType="add", OrganizationalUnitArns=[OU_ARN]
        )
        partner = sandbox.client("ec2", account="partner")
        assert visible_ids(partner, ImageIds=[image]) == {image}
        assert launch_permissions(sandbox.client("ec2"), image) == [
            {"OrganizationalUnitArn": OU_ARN}
        ]

    @pytest.mark.parametrize(
        "grantee",
        [
            {"OrganizationArn": ORGANIZATION_ID},
            {"OrganizationalUnitArn": "ou-a1b2-partners1"},
            {"OrganizationArn": f"arn:aws:organizations::111111111111:account/{ORGANIZATION_ID}"},
        ],
    )
    def test_bare_ids_and_malformed_arns_are_refused(self, sandbox, grantee):
        """R11: a bare o-…/ou-… ID or a wrong ARN is InvalidAMIAttributeItemValue."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        assert error_code(share, learner, image, **grantee) == "InvalidAMIAttributeItemValue"
        assert launch_permissions(learner, image) == []


class TestPublicAndBlockPublicAccess:
    def test_new_accounts_block_public_sharing(self, sandbox):
        """R18: a new account starts with block public access on, in each Region."""
        for region in sandbox.regions:
            ec2 = sandbox.client("ec2", region=region)
            state = ec2.get_image_block_public_access_state()["ImageBlockPublicAccessState"]
            assert state == "block-new-sharing"

    def test_making_public_is_refused_while_blocked(self, sandbox):
        """R18: Group all fails with OperationNotPermitted and the image stays private."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        assert error_code(share, learner, image, Group="all") == "OperationNotPermitted"
        assert launch_permissions(learner, image) == []
        seller = sandbox.client("ec2", account="seller")
        assert error_code(seller.describe_images, ImageIds=[image]) == "InvalidAMIID.NotFound"

    def test_public_after_unblocking(self, sandbox):
        """R11, R18: with block public access off, Group all makes it visible to every account."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        answer = learner.disable_image_block_public_access()
        assert answer["ImageBlockPublicAccessState"] == "unblocked"
        share(learner, image, Group="all")
        seller = sandbox.client("ec2", account="seller")
        assert seller.describe_images(ImageIds=[image])["Images"][0]["Public"] is True
        assert image in visible_ids(seller, ExecutableUsers=["all"])
        assert launch(seller, image).startswith("i-")

    def test_existing_public_images_stay_public(self, sandbox):
        """R18: enabling block public access again blocks new sharing, not existing images."""
        first, second = make_image(sandbox), make_image(sandbox, name="web-v2")
        learner = sandbox.client("ec2")
        learner.disable_image_block_public_access()
        share(learner, first, Group="all")
        answer = learner.enable_image_block_public_access(
            ImageBlockPublicAccessState="block-new-sharing"
        )
        assert answer["ImageBlockPublicAccessState"] == "block-new-sharing"
        assert error_code(share, learner, second, Group="all") == "OperationNotPermitted"
        seller = sandbox.client("ec2", account="seller")
        assert visible_ids(seller, ImageIds=[first]) == {first}

    def test_setting_is_per_region(self, sandbox):
        """R18: unblocking us-east-1 leaves us-west-2 blocked."""
        sandbox.client("ec2").disable_image_block_public_access()
        west = sandbox.client("ec2", region="us-west-2")
        assert (
            west.get_image_block_public_access_state()["ImageBlockPublicAccessState"]
            == "block-new-sharing"
        )
        image = make_image(sandbox, region="us-west-2")
        assert error_code(share, west, image, Group="all") == "OperationNotPermitted"

    def test_setting_is_per_account(self, sandbox):
        """R18: the learner unblocking does not unblock the partner."""
        sandbox.client("ec2").disable_image_block_public_access()
        partner = sandbox.client("ec2", account="partner")
        state = partner.get_image_block_public_access_state()["ImageBlockPublicAccessState"]
        assert state == "block-new-sharing"

    def test_only_block_new_sharing_is_a_valid_state(self, sandbox):
        """R18: EnableImageBlockPublicAccess takes only block-new-sharing."""
        learner = sandbox.client("ec2")
        code = error_code(
            learner.enable_image_block_public_access, ImageBlockPublicAccessState="unblocked"
        )
        assert code == "InvalidParameterValue"

    def test_make_private_again(self, sandbox):
        """R11: removing Group all makes the image private again."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        learner.disable_image_block_public_access()
        share(learner, image, Group="all")
        learner.modify_image_attribute(
            ImageId=image, LaunchPermission={"Remove": [{"Group": "all"}]}
        )
        seller = sandbox.client("ec2", account="seller")
        assert error_code(seller.describe_images, ImageIds=[image]) == "InvalidAMIID.NotFound"


class TestWhatCannotBeShared:
    def test_encrypted_image_cannot_be_public(self, sandbox):
        """R17: an image with encrypted snapshots cannot be made public (UnsupportedOperation)."""
        kms = sandbox.client("kms")
        key = kms.create_key(Description="web images")["KeyMetadata"]["Arn"]
        image = encrypted_copy(sandbox, make_image(sandbox), key)
        learner = sandbox.client("ec2")
        learner.disable_image_block_public_access()
        assert error_code(share, learner, image, Group="all") == "UnsupportedOperation"
        assert launch_permissions(learner, image) == []

    def test_encrypted_image_can_be_shared_with_an_account(self, sandbox):
        """R17: an image encrypted with a customer managed key can be shared with accounts."""
        kms = sandbox.client("kms")
        key = kms.create_key(Description="web images")["KeyMetadata"]["Arn"]
        image = encrypted_copy(sandbox, make_image(sandbox), key)
        share(sandbox.client("ec2"), image, UserId=PARTNER)
        partner = sandbox.client("ec2", account="partner")
        assert visible_ids(partner, ImageIds=[image]) == {image}

    def test_product_coded_image_cannot_be_public(self, sandbox):
        """R17: an image carrying Marketplace product codes cannot be made public."""
        image = make_image(sandbox, base=MARKETPLACE, name="hardened-web")
        learner = sandbox.client("ec2")
        assert learner.describe_images(ImageIds=[image])["Images"][0]["ProductCodes"]
        learner.disable_image_block_public_access()
        assert error_code(share, learner, image, Group="all") == "UnsupportedOperation"
        assert launch_permissions(learner, image) == []

    def test_aws_managed_key_image_cannot_be_shared(self, sandbox):
        """R17: an image whose snapshots use aws/ebs cannot be shared even with one account."""
        image = encrypted_copy(sandbox, make_image(sandbox))
        learner = sandbox.client("ec2")
        assert error_code(share, learner, image, UserId=PARTNER) == "InvalidParameter"
        partner = sandbox.client("ec2", account="partner")
        assert error_code(partner.describe_images, ImageIds=[image]) == "InvalidAMIID.NotFound"

    def test_aws_managed_key_snapshot_cannot_be_shared(self, sandbox):
        """R17: sharing an aws/ebs-encrypted snapshot is OperationNotPermitted."""
        image = encrypted_copy(sandbox, make_image(sandbox))
        learner = sandbox.client("ec2")
        snapshot = root_snapshot(learner, image)
        code = error_code(
            learner.modify_snapshot_attribute,
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PARTNER],
        )
        assert code == "OperationNotPermitted"
        permissions = learner.describe_snapshot_attribute(
            SnapshotId=snapshot, Attribute="createVolumePermission"
        )["CreateVolumePermissions"]
        assert permissions == []

    def test_customer_key_snapshot_can_be_shared_not_made_public(self, sandbox):
        """R17: a snapshot under a customer managed key is shareable with accounts, never public."""
        key = sandbox.client("kms").create_key()["KeyMetadata"]["Arn"]
        image = encrypted_copy(sandbox, make_image(sandbox), key)
        learner = sandbox.client("ec2")
        snapshot = root_snapshot(learner, image)
        learner.modify_snapshot_attribute(
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PARTNER],
        )
        code = error_code(
            learner.modify_snapshot_attribute,
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            CreateVolumePermission={"Add": [{"Group": "all"}]},
        )
        assert code == "UnsupportedOperation"
        permissions = learner.describe_snapshot_attribute(
            SnapshotId=snapshot, Attribute="createVolumePermission"
        )["CreateVolumePermissions"]
        assert permissions == [{"UserId": PARTNER}]


class TestRegionsAndTags:
    def test_shared_image_only_in_its_region(self, sandbox):
        """R13: an image shared in us-east-1 is not found by the partner in us-west-2."""
        image = make_image(sandbox)
        share(sandbox.client("ec2"), image, UserId=PARTNER)
        west = sandbox.client("ec2", region="us-west-2", account="partner")
        assert error_code(west.describe_images, ImageIds=[image]) == "InvalidAMIID.NotFound"

    def test_owner_tags_are_not_shared(self, sandbox):
        """R13: the partner sees no Tags on a shared image; the owner still sees its tags."""
        tags = [{"ResourceType": "image", "Tags": [{"Key": "team", "Value": "web"}]}]
        image = make_image(sandbox, TagSpecifications=tags)
        learner = sandbox.client("ec2")
        share(learner, image, UserId=PARTNER)
        partner = sandbox.client("ec2", account="partner")
        assert not partner.describe_images(ImageIds=[image])["Images"][0].get("Tags")
        assert learner.describe_images(ImageIds=[image])["Images"][0]["Tags"] == [
            {"Key": "team", "Value": "web"}
        ]
        assert (
            partner.describe_images(Filters=[{"Name": "tag:team", "Values": ["web"]}])["Images"]
            == []
        )

    def test_partner_tags_stay_with_the_partner(self, sandbox):
        """R13: tags the partner puts on a shared image are the partner's alone."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        share(learner, image, UserId=PARTNER)
        partner = sandbox.client("ec2", account="partner")
        partner.create_tags(Resources=[image], Tags=[{"Key": "approved", "Value": "yes"}])
        assert partner.describe_images(ImageIds=[image])["Images"][0]["Tags"] == [
            {"Key": "approved", "Value": "yes"}
        ]
        assert not learner.describe_images(ImageIds=[image])["Images"][0].get("Tags")


class TestOwnershipAndBill:
    def test_sharing_moves_no_ownership(self, sandbox):
        """R12: after sharing, image and snapshots are the learner's; the partner owns none."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        share(learner, image, UserId=PARTNER)
        snapshot = root_snapshot(learner, image)
        partner = sandbox.client("ec2", account="partner")
        assert partner.describe_images(ImageIds=[image])["Images"][0]["OwnerId"] == learner_id()
        owners = {
            s["OwnerId"] for s in learner.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"]
        }
        assert owners == {learner_id()}
        assert partner.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []
        assert partner.describe_images(Owners=["self"])["Images"] == []


class TestCreateVolumePermission:
    def test_partner_cannot_grant_itself(self, sandbox):
        """R14: the partner cannot give itself create-volume permission on a snapshot."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        share(learner, image, UserId=PARTNER)
        snapshot = root_snapshot(learner, image)
        partner = sandbox.client("ec2", account="partner")
        code = error_code(
            partner.modify_snapshot_attribute,
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PARTNER],
        )
        assert code == "InvalidSnapshot.NotFound"
        assert snapshots_needing_permission(find_image("us-east-1", image), PARTNER) == [snapshot]

    def test_shared_snapshot_is_still_owner_only(self, sandbox):
        """R14: a partner that may create volumes cannot change the permission (AuthFailure)."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        snapshot = root_snapshot(learner, image)
        learner.modify_snapshot_attribute(
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PARTNER],
        )
        partner = sandbox.client("ec2", account="partner")
        code = error_code(
            partner.modify_snapshot_attribute,
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[SELLER],
        )
        assert code == "AuthFailure"
        code = error_code(
            partner.describe_snapshot_attribute,
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
        )
        assert code == "AuthFailure"

    def test_console_checkbox_grants_every_snapshot(self, sandbox):
        """R14: granting each snapshot of the image leaves none needing permission."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        share(learner, image, UserId=PARTNER)
        ami = find_image("us-east-1", image)
        for snapshot in snapshots_needing_permission(ami, PARTNER):
            learner.modify_snapshot_attribute(
                SnapshotId=snapshot,
                Attribute="createVolumePermission",
                CreateVolumePermission={"Add": [{"UserId": PARTNER}]},
            )
        assert snapshots_needing_permission(ami, PARTNER) == []
        partner = sandbox.client("ec2", account="partner")
        shared = partner.describe_snapshots(RestorableByUserIds=["self"])["Snapshots"]
        assert root_snapshot(learner, image) in {s["SnapshotId"] for s in shared}

    def test_user_id_validated(self, sandbox):
        """R14: a malformed account ID is InvalidUserID.Malformed; nothing granted."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        snapshot = root_snapshot(learner, image)
        code = error_code(
            learner.modify_snapshot_attribute,
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=["22"],
        )
        assert code == "InvalidUserID.Malformed"
        permissions = learner.describe_snapshot_attribute(
            SnapshotId=snapshot, Attribute="createVolumePermission"
        )["CreateVolumePermissions"]
        assert permissions == []

    def test_reset_takes_every_permission_back(self, sandbox):
        """R14: ResetSnapshotAttribute removes accounts and public access."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        snapshot = root_snapshot(learner, image)
        learner.modify_snapshot_attribute(
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            CreateVolumePermission={"Add": [{"UserId": PARTNER}, {"Group": "all"}]},
        )
        learner.reset_snapshot_attribute(SnapshotId=snapshot, Attribute="createVolumePermission")
        permissions = learner.describe_snapshot_attribute(
            SnapshotId=snapshot, Attribute="createVolumePermission"
        )["CreateVolumePermissions"]
        assert permissions == []
        seller = sandbox.client("ec2", account="seller")
        # DescribeSnapshots leaves out a snapshot the caller may not access.
        assert seller.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"] == []


class TestLaunchThenCreateImage:
    def test_recipient_images_a_shared_image_without_volume_permission(self, sandbox):
        """R15: the partner launches the shared image and CreateImage gives it its own image."""
        image = make_image(sandbox)
        share(sandbox.client("ec2"), image, UserId=PARTNER)
        partner = sandbox.client("ec2", account="partner")
        assert (
            error_code(
                partner.copy_image, SourceImageId=image, SourceRegion="us-east-1", Name="web-mine"
            )
            == "InvalidRequest"
        )
        instance = launch(partner, image)
        own = partner.create_image(InstanceId=instance, Name="web-mine")["ImageId"]
        partner.get_waiter("image_available").wait(ImageIds=[own])
        described = partner.describe_images(ImageIds=[own])["Images"][0]
        assert described["OwnerId"] == PARTNER
        snapshot = described["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        owners = {
            s["OwnerId"] for s in partner.describe_snapshots(SnapshotIds=[snapshot])["Snapshots"]
        }
        assert owners == {PARTNER}
        # The partner's own image is copyable to another Region, as any image it owns.
        west = sandbox.client("ec2", region="us-west-2", account="partner")
        copy = west.copy_image(SourceImageId=own, SourceRegion="us-east-1", Name="web-mine")
        assert copy["ImageId"].startswith("ami-")


class TestDisabledImages:
    def test_disabled_image_cannot_be_shared(self, sandbox):
        """disable-an-ami: sharing a disabled image is InvalidAMIID.Unavailable; nothing changes."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        learner.disable_image_block_public_access()
        learner.disable_image(ImageId=image)
        for grantee in (
            {"UserId": PARTNER},
            {"Group": "all"},
            {"OrganizationArn": ORGANIZATION_ARN},
        ):
            with pytest.raises(ClientError) as caught:
                share(learner, image, **grantee)
            assert caught.value.response["Error"] == {
                "Code": "InvalidAMIID.Unavailable",
                "Message": f"The AMI ID '{image}' is currently disabled and may not be used for "
                "this operation.",
            }
        assert launch_permissions(learner, image) == []

    def test_enabled_again_it_can_be_shared(self, sandbox):
        """disable-an-ami: once re-enabled, the image can be shared (and the partner launches)."""
        image = make_image(sandbox)
        learner = sandbox.client("ec2")
        learner.disable_image(ImageId=image)
        learner.enable_image(ImageId=image)
        share(learner, image, UserId=PARTNER)
        assert launch_permissions(learner, image) == [{"UserId": PARTNER}]
        assert launch(sandbox.client("ec2", account="partner"), image).startswith("i-")


class TestAmazonsSnapshots:
    """The snapshots of Amazon's public catalogue images are not shared with anyone."""

    @pytest.mark.parametrize("account", ["learner", "partner"])
    def test_snapshot_attributes_are_not_found(self, sandbox, account):
        """R14: DescribeSnapshotAttribute, ModifySnapshotAttribute and ResetSnapshotAttribute
        of Amazon's snapshot are InvalidSnapshot.NotFound, as for any snapshot not shared."""
        ec2 = sandbox.client("ec2", account=account)
        amazon = image_id(AL2023, "us-east-1")
        snapshot = root_snapshot(ec2, amazon)
        calls = [
            (ec2.describe_snapshot_attribute, {"Attribute": "createVolumePermission"}),
            (ec2.describe_snapshot_attribute, {"Attribute": "productCodes"}),
            (
                ec2.modify_snapshot_attribute,
                {
                    "Attribute": "createVolumePermission",
                    "OperationType": "add",
                    "UserIds": [SELLER],
                },
            ),
            (ec2.reset_snapshot_attribute, {"Attribute": "createVolumePermission"}),
        ]
        for call, kwargs in calls:
            with pytest.raises(ClientError) as caught:
                call(SnapshotId=snapshot, **kwargs)
            assert caught.value.response["Error"] == {
                "Code": "InvalidSnapshot.NotFound",
                "Message": f"The snapshot '{snapshot}' does not exist.",
            }
        # The sandbox's own helper agrees: the account may not create volumes from it.
        account_id = sandbox.account_id(account)
        image = find_image("us-east-1", amazon)
        assert snapshots_needing_permission(image, account_id) == [snapshot]


class TestPendingImages:
    def test_pending_image_cannot_be_shared(self, sandbox):
        """A pending image: InvalidAMIID.Unavailable, no permission added; once available, fine."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, image_id(AL2023, "us-east-1"))
        image = ec2.create_image(InstanceId=instance, Name="web-pending")["ImageId"]
        with pytest.raises(ClientError) as caught:
            share(ec2, image, UserId=PARTNER)
        assert caught.value.response["Error"] == {
            "Code": "InvalidAMIID.Unavailable",
            "Message": f"The AMI ID '{image}' is currently pending and may not be used for "
            "this operation.",
        }
        assert launch_permissions(ec2, image) == []
        ec2.get_waiter("image_available").wait(ImageIds=[image])
        share(ec2, image, UserId=PARTNER)
        assert launch_permissions(ec2, image) == [{"UserId": PARTNER}]
