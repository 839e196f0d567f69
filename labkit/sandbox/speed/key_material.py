"""KMS keys without the RSA key pair moto makes up front for every key, even symmetric ones.

moto gives every new KMS key a private key for Sign and Verify, and for a symmetric key
(``SYMMETRIC_DEFAULT``, the only kind EBS uses) it makes a 2048-bit RSA pair it never needs:
12-50 ms of prime searching per ``CreateKey``, a sixth of lesson 5's starting state. Here the pair
is made the first time something asks for it, so moto answers every request exactly as before.
"""

from __future__ import annotations

from typing import Any

__all__ = ["make_key_pairs_on_first_use"]

_EAGER_SPECS = ("RSA_2048", "RSA_3072", "RSA_4096", "ECC_")


class _KeyPairOnFirstUse:
    """Stands in for moto's private key object; makes the real one when first used."""

    def __init__(self, generate: Any, key_spec: str) -> None:
        self._generate = generate
        self._key_spec = key_spec
        self._key: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._key is None:
            self._key = self._generate(self._key_spec)
        return getattr(self._key, name)


def make_key_pairs_on_first_use(patches: Any) -> None:
    """Have moto make a private key when first used, not at CreateKey (undone with patches)."""
    from labkit.seam.moto import moto_kms_models as kms_models

    generate = kms_models.generate_private_key

    def generate_private_key(key_spec: str) -> Any:
        if key_spec.startswith(_EAGER_SPECS):  # asymmetric keys: their pair is the point
            return generate(key_spec)
        return _KeyPairOnFirstUse(generate, key_spec)

    patches.replace(kms_models, "generate_private_key", generate_private_key)
