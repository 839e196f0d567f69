"""Hide the machine's AWS settings while a sandbox runs, and give them back exactly after."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

__all__ = ["masked_aws_environment", "stop_moto"]

# Settings that could point botocore at real credentials or a real endpoint. Every variable
# whose name starts with one of these prefixes is hidden while a sandbox runs.
_MASKED_PREFIXES = ("AWS_", "BOTO_")

# The variables moto's mock sets on start and deletes on stop (moto.core.models.MockAWS).
_MOTO_FAKE_CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


def _masked_settings(region: str) -> dict[str, str]:
    """The AWS settings a running sandbox shows to botocore: nothing real, nothing to read."""
    return {
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
    }


# Except where botocore finds model files, which names no credential and no endpoint: the AWS
# CLI puts its own data folder there (`import awscli`), and cannot run in-process without it.
_KEPT = ("AWS_DATA_PATH",)


def _aws_settings() -> dict[str, str]:
    return {
        k: v for k, v in os.environ.items() if k.startswith(_MASKED_PREFIXES) and k not in _KEPT
    }


@contextmanager
def masked_aws_environment(region: str, extra: Mapping[str, str] | None = None) -> Iterator[None]:
    """Hide every real AWS setting for the duration of the block and restore it exactly after.

    Whatever the block does to AWS_* and BOTO_* variables (sets, changes or deletes them), they
    are afterwards exactly as they were before it.

    Args:
        region: the Region plain ``boto3.client(...)`` calls default to inside the block.
        extra: more variables to set inside the block (the learner's sandbox credentials).
    """
    saved = _aws_settings()
    kept = {k: os.environ[k] for k in _KEPT if k in os.environ}
    for key in saved:
        os.environ.pop(key, None)
    try:
        os.environ.update(_masked_settings(region))
        os.environ.update(extra or {})
        yield
    finally:
        for key in _aws_settings():
            os.environ.pop(key, None)
        os.environ.update(saved)
        for key, value in kept.items():  # put back if deleted; what the CLI added stays
            os.environ.setdefault(key, value)


def stop_moto(mock: Any) -> None:
    """Stop moto's mock whatever happened to the environment while it ran.

    moto's stop deletes the fake credentials it set on start; a learner who deleted one of them
    (``del os.environ["AWS_ACCESS_KEY_ID"]``) made that a raw ``KeyError`` which also left moto's
    request handler switched on. The variables are put back first (the masked environment
    restores the machine's own settings right after), so the stop always completes.
    """
    for name in (*getattr(mock, "_orig_creds", {}), *_MOTO_FAKE_CREDENTIALS):
        os.environ.setdefault(name, "")
    mock.stop()
