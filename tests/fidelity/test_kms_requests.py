"""R20: KMS checks a key policy, a grant and a deletion window before it changes the key."""

from __future__ import annotations

import json

from .conftest import PARTNER, error

PARTNER_ROOT = f"arn:aws:iam::{PARTNER}:root"


def key(sandbox) -> str:
    return sandbox.client("kms").create_key(Description="web images")["KeyMetadata"]["Arn"]


def statement(principal) -> dict:
    return {"Effect": "Allow", "Principal": principal, "Action": "kms:Decrypt", "Resource": "*"}


class TestKeyPolicies:
    def test_R20_policy_that_is_not_json_is_refused(self, sandbox):
        """PutKeyPolicy with text that is not a JSON object: refused, the policy unchanged."""
        kms, arn = sandbox.client("kms"), key(sandbox)
        before = kms.get_key_policy(KeyId=arn)["Policy"]
        assert error(kms.put_key_policy, KeyId=arn, Policy="{not json")["Code"] == (
            "MalformedPolicyDocumentException"
        )
        assert kms.get_key_policy(KeyId=arn)["Policy"] == before

    def test_R20_invalid_principal_is_refused(self, sandbox):
        """A principal that is not '*', an account ID or an IAM ARN: refused, as KMS words it."""
        kms, arn = sandbox.client("kms"), key(sandbox)
        policy = {"Version": "2012-10-17", "Statement": [statement({"AWS": "partner"})]}
        answer = error(kms.put_key_policy, KeyId=arn, Policy=json.dumps(policy))
        assert answer == {
            "Code": "MalformedPolicyDocumentException",
            "Message": "Policy contains a statement with one or more invalid principals.",
        }

    def test_R20_statement_without_effect_is_refused(self, sandbox):
        """A statement with no Effect: refused."""
        kms, arn = sandbox.client("kms"), key(sandbox)
        bad = statement({"AWS": PARTNER_ROOT})
        del bad["Effect"]
        policy = json.dumps({"Statement": [bad]})
        assert error(kms.put_key_policy, KeyId=arn, Policy=policy)["Code"] == (
            "MalformedPolicyDocumentException"
        )

    def test_R20_valid_policy_is_stored(self, sandbox):
        """A policy with the owner's statement and one for the partner is stored as given."""
        kms, arn = sandbox.client("kms"), key(sandbox)
        policy = json.loads(kms.get_key_policy(KeyId=arn)["Policy"])
        policy["Statement"].append(statement({"AWS": [PARTNER_ROOT, PARTNER]}))
        kms.put_key_policy(KeyId=arn, Policy=json.dumps(policy))
        assert json.loads(kms.get_key_policy(KeyId=arn)["Policy"]) == policy


class TestGrants:
    def test_R20_unknown_operation_is_refused(self, sandbox):
        """A grant of an operation KMS does not know: ValidationException, and no grant made."""
        kms, arn = sandbox.client("kms"), key(sandbox)
        answer = error(
            kms.create_grant,
            KeyId=arn,
            GranteePrincipal=PARTNER_ROOT,
            Operations=["Decrypt", "ReEncrypt"],
        )
        assert answer["Code"] == "ValidationException"
        assert "at 'operations' failed to satisfy constraint" in answer["Message"]
        assert kms.list_grants(KeyId=arn)["Grants"] == []

    def test_R20_known_operations_make_a_grant(self, sandbox):
        """A grant of known operations is made."""
        kms, arn = sandbox.client("kms"), key(sandbox)
        kms.create_grant(KeyId=arn, GranteePrincipal=PARTNER_ROOT, Operations=["Decrypt"])
        assert [g["Operations"] for g in kms.list_grants(KeyId=arn)["Grants"]] == [["Decrypt"]]


class TestDeletionWindow:
    def test_R20_window_shorter_than_seven_days_is_refused(self, sandbox):
        """PendingWindowInDays=6: ValidationException, and the key stays enabled."""
        kms, arn = sandbox.client("kms"), key(sandbox)
        answer = error(kms.schedule_key_deletion, KeyId=arn, PendingWindowInDays=6)
        assert answer == {
            "Code": "ValidationException",
            "Message": "1 validation error detected: Value '6' at 'pendingWindowInDays' failed "
            "to satisfy constraint: Member must have value greater than or equal to 7",
        }
        assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "Enabled"

    def test_R20_window_longer_than_thirty_days_is_refused(self, sandbox):
        """PendingWindowInDays=31: refused, the key unchanged."""
        kms, arn = sandbox.client("kms"), key(sandbox)
        assert error(kms.schedule_key_deletion, KeyId=arn, PendingWindowInDays=31)["Code"] == (
            "ValidationException"
        )
        assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "Enabled"

    def test_R20_window_in_range_schedules_the_deletion(self, sandbox):
        """Seven days: the key is pending deletion."""
        kms, arn = sandbox.client("kms"), key(sandbox)
        kms.schedule_key_deletion(KeyId=arn, PendingWindowInDays=7)
        assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "PendingDeletion"
