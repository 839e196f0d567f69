"""A served sandbox, and clients that reach it over HTTP as any other program would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from labkit import Sandbox


@pytest.fixture
def served() -> Iterator[Sandbox]:
    """A fresh sandbox, serving on loopback; stopped after the test."""
    with Sandbox() as sandbox:
        sandbox.serve()
        yield sandbox


def http_client(
    url: str, service: str, key_id: str, secret: str, token: str | None = None, **kwargs: Any
) -> Any:
    """A boto3 client that sends over HTTP to ``url`` with these keys (no retries)."""
    return boto3.Session().client(
        service,
        endpoint_url=url,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        aws_session_token=token,
        region_name=kwargs.pop("region", "us-east-1"),
        config=Config(retries={"max_attempts": 1}, **kwargs),
    )


def client_from(environ: dict[str, str], service: str, region: str | None = None) -> Any:
    """A client made only from what ``environ()`` gives a program."""
    return http_client(
        environ["AWS_ENDPOINT_URL"],
        service,
        environ["AWS_ACCESS_KEY_ID"],
        environ["AWS_SECRET_ACCESS_KEY"],
        environ["AWS_SESSION_TOKEN"],
        region=region or environ["AWS_DEFAULT_REGION"],
    )
