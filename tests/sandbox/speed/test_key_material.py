"""KMS keys get their key pair when first used, and answer exactly as moto's keys did."""

from __future__ import annotations

from moto.kms.models import kms_backends

from labkit.sandbox.speed.key_material import _KeyPairOnFirstUse


def _backend_key(sandbox, key_id):
    return kms_backends[sandbox.account_id("learner")][sandbox.home_region].keys[key_id]


def test_a_symmetric_key_makes_no_key_pair_at_create_key(sandbox):
    kms = sandbox.client("kms")
    key_id = kms.create_key(Description="EBS")["KeyMetadata"]["KeyId"]

    private = _backend_key(sandbox, key_id).private_key
    assert isinstance(private, _KeyPairOnFirstUse)
    assert private._key is None


def test_a_symmetric_key_still_encrypts_and_decrypts(sandbox):
    kms = sandbox.client("kms")
    key_id = kms.create_key(Description="EBS")["KeyMetadata"]["KeyId"]

    blob = kms.encrypt(KeyId=key_id, Plaintext=b"secret")["CiphertextBlob"]

    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"secret"


def test_the_pair_is_made_when_something_asks_for_it(sandbox):
    kms = sandbox.client("kms")
    key_id = kms.create_key(Description="EBS")["KeyMetadata"]["KeyId"]

    assert kms.get_public_key(KeyId=key_id)["PublicKey"]  # what moto answered before, too
    assert _backend_key(sandbox, key_id).private_key._key is not None


def test_an_asymmetric_key_gets_its_pair_at_once_and_signs(sandbox):
    kms = sandbox.client("kms")
    key_id = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    assert not isinstance(_backend_key(sandbox, key_id).private_key, _KeyPairOnFirstUse)

    signed = kms.sign(
        KeyId=key_id, Message=b"release", SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256"
    )
    verified = kms.verify(
        KeyId=key_id,
        Message=b"release",
        Signature=signed["Signature"],
        SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256",
    )
    assert verified["SignatureValid"] is True
