"""A refused request changes nothing: AWS validates the whole request before it changes anything.

Each property sends the attribute-changing calls a learner makes (launch and create volume
permissions, image attributes, block public access, deprecation, deregistration protection, key
policies, grants and key states) with a mix of good and bad parts, from the owner and from other
accounts. Whenever AWS's answer is an error, a canonical dump of every describe answer for the
accounts involved is byte-identical before and after. Requests that are accepted may change the
state; the next example starts from there, which is still a state a learner can reach.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from labkit import Lab
from labkit.accounts import ACCOUNTS, ORGANIZATION_ARN, ORGANIZATIONAL_UNITS

LESSON = "05-encryption"
HOME = "us-east-1"
OU_ARN = str(ORGANIZATIONAL_UNITS["partners"]["arn"])


def examples(count: int) -> settings:
    """Deterministic and modest, as the reliability tests' settings."""
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Lab]:
    """Lesson 05's state: images with unencrypted and encrypted snapshots, two customer keys."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AMILAB_PROGRESS", str(tmp_path_factory.mktemp("progress") / "p.json"))
        lab = Lab(LESSON, quiet=True)
        dump(lab)  # the first answers settle pending images and make the default keys
        yield lab
        lab.stop()


# -- the canonical dump ---------------------------------------------------------------------------


def _ec2_state(ec2: Any) -> dict[str, Any]:
    images = ec2.describe_images(Owners=["self"], IncludeDeprecated=True, IncludeDisabled=True)
    found = []
    for image in images["Images"]:
        image_id = image["ImageId"]
        for attribute in ("launchPermission", "description", "imdsSupport"):
            answer = ec2.describe_image_attribute(ImageId=image_id, Attribute=attribute)
            answer.pop("ResponseMetadata", None)
            image[f"attribute {attribute}"] = answer
        found.append(image)
    snapshots = []
    for snapshot in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]:
        answer = ec2.describe_snapshot_attribute(
            SnapshotId=snapshot["SnapshotId"], Attribute="createVolumePermission"
        )
        snapshot["CreateVolumePermissions"] = answer["CreateVolumePermissions"]
        snapshots.append(snapshot)
    block = ec2.get_image_block_public_access_state()["ImageBlockPublicAccessState"]
    return {
        "images": sorted(found, key=lambda i: i["ImageId"]),
        "snapshots": sorted(snapshots, key=lambda s: s["SnapshotId"]),
        "block public access": block,
    }


def _kms_state(kms: Any) -> dict[str, Any]:
    keys = []
    for listed in kms.list_keys()["Keys"]:
        key_id = listed["KeyId"]
        metadata = kms.describe_key(KeyId=key_id)["KeyMetadata"]
        grants = kms.list_grants(KeyId=key_id)["Grants"]
        policy = kms.get_key_policy(KeyId=key_id)["Policy"]
        keys.append({"metadata": metadata, "grants": grants, "policy": policy})
    aliases = kms.list_aliases()["Aliases"]
    return {
        "keys": sorted(keys, key=lambda k: k["metadata"]["KeyId"]),
        "aliases": sorted(aliases, key=lambda a: a["AliasName"]),
    }


def dump(lab: Lab) -> str:
    """Every describe answer of the three accounts in the home Region, as one canonical text."""
    state = {}
    for account in ACCOUNTS:
        state[account] = {
            "ec2": _ec2_state(lab.client("ec2", account=account)),
            "kms": _kms_state(lab.client("kms", account=account)),
        }
    return json.dumps(state, sort_keys=True, default=str)


def attempt(lab: Lab, call: Any, **params: Any) -> bool:
    """Make one request; if AWS (or botocore) refuses it, the dump must not have changed.

    Returns:
        True if the request was refused.
    """
    before = dump(lab)
    try:
        call(**params)
    except (ClientError, ParamValidationError) as error:
        after = dump(lab)
        assert after == before, f"refused ({error}) yet the state changed: {params}"
        return True
    return False


# -- what a learner types -------------------------------------------------------------------------

ACCOUNT_IDS = [*ACCOUNTS.values(), "123456789012"]
BAD_ACCOUNT_IDS = ["123", "all", "self", "partner", "2222222222222", "", "22222222222a"]

launch_grantees = st.one_of(
    st.sampled_from([{"UserId": a} for a in ACCOUNT_IDS]),
    st.sampled_from([{"UserId": a} for a in BAD_ACCOUNT_IDS]),
    st.sampled_from(
        [
            {"Group": "all"},
            {"Group": "everyone"},
            {"OrganizationArn": ORGANIZATION_ARN},
            {"OrganizationArn": "o-a1b2c3d4e5"},
            {"OrganizationalUnitArn": OU_ARN},
            {"OrganizationalUnitArn": "ou-a1b2-partners1"},
        ]
    ),
)
volume_grantees = st.one_of(
    st.sampled_from([{"UserId": a} for a in ACCOUNT_IDS + BAD_ACCOUNT_IDS]),
    st.sampled_from([{"Group": "all"}, {"Group": "everyone"}]),
)
callers = st.sampled_from(list(ACCOUNTS))


def _image_ids(lab: Lab) -> list[str]:
    return [lab.ids["web_image"], lab.ids["reports_image"], lab.ids["payments_image"]]


def _snapshot_ids(lab: Lab) -> list[str]:
    ec2 = lab.client("ec2")
    images = ec2.describe_images(ImageIds=_image_ids(lab))["Images"]
    return sorted(
        m["Ebs"]["SnapshotId"] for i in images for m in i["BlockDeviceMappings"] if "Ebs" in m
    )


class TestLaunchPermissions:
    def test_R11_modify_image_attribute_all_or_nothing(self, lab):
        """ModifyImageAttribute with good and bad grantees in Add and Remove: refused, unchanged."""
        images = _image_ids(lab)

        @examples(60)
        @given(
            caller=callers,
            image=st.sampled_from(images + ["ami-0123456789abcdef0"]),
            add=st.lists(launch_grantees, min_size=1, max_size=3),
            remove=st.lists(launch_grantees, max_size=3),
            description=st.sampled_from([None, "new words"]),
        )
        def check(caller, image, add, remove, description):
            params: dict[str, Any] = {"ImageId": image}
            if add or remove:
                params["LaunchPermission"] = {"Add": add, "Remove": remove}
            if description is not None:
                params["Description"] = {"Value": description}
            if len(params) == 1:
                return
            ec2 = lab.client("ec2", account=caller)
            attempt(lab, ec2.modify_image_attribute, **params)

        check()

    def test_R11_flat_grantee_lists_all_or_nothing(self, lab):
        """The OperationType form (UserIds, UserGroups, OrganizationArns …): the same."""
        images = _image_ids(lab)

        @examples(30)
        @given(
            image=st.sampled_from(images),
            operation=st.sampled_from(["add", "remove", "replace"]),
            users=st.lists(st.sampled_from(ACCOUNT_IDS + BAD_ACCOUNT_IDS), max_size=3),
            groups=st.lists(st.sampled_from(["all", "everyone"]), max_size=1),
        )
        def check(image, operation, users, groups):
            if not users and not groups:
                return
            attempt(
                lab,
                lab.client("ec2").modify_image_attribute,
                ImageId=image,
                Attribute="launchPermission",
                OperationType=operation,
                UserIds=users,
                UserGroups=groups,
            )

        check()

    def test_mixed_request_is_refused_and_adds_nobody(self, lab):
        """A good partner entry beside a malformed one: refused, and the partner gets nothing."""
        image = lab.ids["payments_image"]
        refused = attempt(
            lab,
            lab.client("ec2").modify_image_attribute,
            ImageId=image,
            LaunchPermission={"Add": [{"UserId": ACCOUNTS["seller"]}], "Remove": [{"UserId": "1"}]},
        )
        assert refused


class TestCreateVolumePermissions:
    def test_R14_issue_case(self, lab):
        """Add the partner and remove a malformed ID in one request: refused, nothing added."""
        snapshot = _snapshot_ids(lab)[0]
        refused = attempt(
            lab,
            lab.client("ec2").modify_snapshot_attribute,
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            CreateVolumePermission={
                "Add": [{"UserId": ACCOUNTS["seller"]}],
                "Remove": [{"UserId": "123"}],
            },
        )
        assert refused

    def test_R14_modify_snapshot_attribute_all_or_nothing(self, lab):
        """ModifySnapshotAttribute with good and bad grantees, on plain and encrypted snapshots,
        from the owner and from others: refused requests leave everything as it was."""
        snapshots = _snapshot_ids(lab)

        @examples(60)
        @given(
            caller=callers,
            snapshot=st.sampled_from(snapshots + ["snap-0123456789abcdef0"]),
            add=st.lists(volume_grantees, min_size=1, max_size=3),
            remove=st.lists(volume_grantees, max_size=3),
            flat=st.sampled_from([None, "add", "remove", "bogus"]),
            users=st.lists(st.sampled_from(ACCOUNT_IDS + BAD_ACCOUNT_IDS), max_size=2),
        )
        def check(caller, snapshot, add, remove, flat, users):
            params: dict[str, Any] = {"SnapshotId": snapshot, "Attribute": "createVolumePermission"}
            if add or remove:
                params["CreateVolumePermission"] = {"Add": add, "Remove": remove}
            if flat is not None and users:
                params["OperationType"] = flat
                params["UserIds"] = users
            if len(params) == 2:
                return
            ec2 = lab.client("ec2", account=caller)
            attempt(lab, ec2.modify_snapshot_attribute, **params)

        check()

    def test_resets_refused_for_others(self, lab):
        """ResetSnapshotAttribute and ResetImageAttribute by a non-owner, or for an attribute that
        cannot be reset: refused, unchanged."""
        snapshots, images = _snapshot_ids(lab), _image_ids(lab)

        @examples(20)
        @given(
            caller=callers,
            snapshot=st.sampled_from(snapshots),
            image=st.sampled_from(images),
            attribute=st.sampled_from(["launchPermission", "createVolumePermission", "kernel"]),
        )
        def check(caller, snapshot, image, attribute):
            ec2 = lab.client("ec2", account=caller)
            if caller != "learner" or attribute != "createVolumePermission":
                attempt(lab, ec2.reset_snapshot_attribute, SnapshotId=snapshot, Attribute=attribute)
            if caller != "learner" or attribute != "launchPermission":
                attempt(lab, ec2.reset_image_attribute, ImageId=image, Attribute=attribute)

        check()


class TestImageSettings:
    def test_block_public_access_all_or_nothing(self, lab):
        """EnableImageBlockPublicAccess with a wrong state: refused, the switch unchanged."""

        @examples(10)
        @given(caller=callers, state=st.sampled_from(["unblocked", "block-all", "", "BLOCK"]))
        def check(caller, state):
            ec2 = lab.client("ec2", account=caller)
            assert attempt(
                lab, ec2.enable_image_block_public_access, ImageBlockPublicAccessState=state
            )

        check()

    def test_R26_R27_deprecation_and_protection_all_or_nothing(self, lab):
        """Deprecation and deregistration protection by others, or at wrong times: refused and
        unchanged (a refused deregistration removes nothing)."""
        images = _image_ids(lab)
        now = dt.datetime.now(dt.timezone.utc)

        @examples(40)
        @given(
            caller=callers,
            image=st.sampled_from(images),
            action=st.sampled_from(
                ["deprecate", "undeprecate", "protect", "unprotect", "deregister"]
            ),
            years=st.sampled_from([-1, 1, 11]),
        )
        def check(caller, image, action, years):
            ec2 = lab.client("ec2", account=caller)
            if action == "deprecate":
                when = now + dt.timedelta(days=365 * years)
                attempt(lab, ec2.enable_image_deprecation, ImageId=image, DeprecateAt=when)
            elif action == "undeprecate":
                attempt(lab, ec2.disable_image_deprecation, ImageId=image)
            elif action == "protect":
                attempt(
                    lab,
                    ec2.enable_image_deregistration_protection,
                    ImageId=image,
                    WithCooldown=True,
                )
            elif action == "unprotect":
                attempt(lab, ec2.disable_image_deregistration_protection, ImageId=image)
            elif caller != "learner":  # only refused deregistrations: the images must stay
                assert attempt(lab, ec2.deregister_image, ImageId=image)

        check()

    def test_R03_others_cannot_disable_or_describe(self, lab):
        """DisableImage and EnableImage by an account that does not own the image: unchanged."""
        images = _image_ids(lab)

        @examples(10)
        @given(caller=st.sampled_from(["partner", "seller"]), image=st.sampled_from(images))
        def check(caller, image):
            ec2 = lab.client("ec2", account=caller)
            assert attempt(lab, ec2.disable_image, ImageId=image)
            assert attempt(lab, ec2.enable_image, ImageId=image)

        check()


class TestKeyPolicyAndGrants:
    GOOD_OPERATIONS = ["Decrypt", "DescribeKey", "CreateGrant", "GenerateDataKey"]

    def test_R20_grants_all_or_nothing(self, lab):
        """CreateGrant with unknown operations or a wrong grantee, by the owner or others; and
        RevokeGrant of a grant that is not there: refused requests change no key."""
        keys = [lab.ids["reports_key"], lab.ids["team_key"]]

        @examples(40)
        @given(
            caller=callers,
            key=st.sampled_from(keys),
            operations=st.lists(
                st.sampled_from([*self.GOOD_OPERATIONS, "Fly", "decrypt", ""]),
                min_size=1,
                max_size=3,
            ),
            grantee=st.sampled_from(
                [f"arn:aws:iam::{ACCOUNTS['partner']}:root", "partner", "", "arn:aws:iam::1:root"]
            ),
            revoke=st.booleans(),
        )
        def check(caller, key, operations, grantee, revoke):
            kms = lab.client("kms", account=caller)
            if revoke:
                attempt(lab, kms.revoke_grant, KeyId=key, GrantId="0" * 64)
                return
            refused = attempt(
                lab, kms.create_grant, KeyId=key, GranteePrincipal=grantee, Operations=operations
            )
            if not set(operations) <= set(self.GOOD_OPERATIONS):
                assert refused, f"a grant of {operations} was made"

        check()

    def test_R20_key_policies_all_or_nothing(self, lab):
        """PutKeyPolicy with a document that is not a policy, another policy name, or by another
        account: refused, the policy unchanged."""
        keys = [lab.ids["reports_key"], lab.ids["team_key"]]
        everyone = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "*"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            }
        )

        @examples(30)
        @given(
            caller=callers,
            key=st.sampled_from(keys),
            policy=st.sampled_from(["{not json", "[]", '{"Statement": 3}', "", everyone]),
            name=st.sampled_from([None, "default", "other"]),
        )
        def check(caller, key, policy, name):
            if caller == "learner" and policy == everyone and name in (None, "default"):
                return  # accepted; and it would open the key to everyone for what follows
            kms = lab.client("kms", account=caller)
            params = {"KeyId": key, "Policy": policy}
            if name is not None:
                params["PolicyName"] = name
            assert attempt(lab, kms.put_key_policy, **params)

        check()

    def test_R20_key_states_all_or_nothing(self, lab):
        """Deleting with a wrong waiting period, or changing another account's key state: refused,
        the key as it was."""
        keys = [lab.ids["reports_key"], lab.ids["team_key"]]

        @examples(20)
        @given(
            caller=callers,
            key=st.sampled_from(keys),
            action=st.sampled_from(["schedule", "disable", "enable", "cancel"]),
            days=st.sampled_from([1, 6, 31, 365]),
        )
        def check(caller, key, action, days):
            kms = lab.client("kms", account=caller)
            if action == "schedule":
                assert attempt(lab, kms.schedule_key_deletion, KeyId=key, PendingWindowInDays=days)
            elif caller != "learner":
                call = getattr(
                    kms, f"{action}_key" if action != "cancel" else "cancel_key_deletion"
                )
                assert attempt(lab, call, KeyId=key)

        check()
