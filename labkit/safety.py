"""Keep the sandbox sealed: mask real AWS settings and refuse requests that moto does not answer."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import botocore.handlers

__all__ = ["SandboxError", "allow_endpoint", "masked_aws_environment", "install_request_guard"]

# Settings that could point botocore at real credentials or a real endpoint. Every variable
# whose name starts with one of these prefixes is hidden while a sandbox runs.
_MASKED_PREFIXES = ("AWS_", "BOTO_")
# Except where botocore finds model files, which names no credential and no endpoint: the AWS
# CLI puts its own data folder there (`import awscli`), and cannot run in-process without it.
_KEPT = ("AWS_DATA_PATH",)


def _masked(name: str) -> bool:
    return name.startswith(_MASKED_PREFIXES) and name not in _KEPT


class SandboxError(RuntimeError):
    """A request that would leave the sandbox, or a sandbox used the wrong way."""


def _masked_settings(region: str) -> dict[str, str]:
    """The AWS settings a running sandbox shows to botocore: nothing real, nothing to read."""
    return {
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
    }


@contextmanager
def masked_aws_environment(region: str, extra: Mapping[str, str] | None = None) -> Iterator[None]:
    """Hide every real AWS setting for the duration of the block and restore it exactly after.

    Args:
        region: the Region plain ``boto3.client(...)`` calls default to inside the block.
        extra: more variables to set inside the block (the learner's sandbox credentials).
    """
    saved = {k: v for k, v in os.environ.items() if _masked(k)}
    for key in saved:
        del os.environ[key]
    os.environ.update(_masked_settings(region))
    os.environ.update(extra or {})
    try:
        yield
    finally:
        for key in [k for k in os.environ if _masked(k)]:
            del os.environ[key]
        os.environ.update(saved)


_guard_state: dict[str, object] = {"running": False, "endpoint": None}


def allow_endpoint(url: str | None) -> None:
    """Let requests to the running sandbox's own loopback endpoint through (None: no more)."""
    _guard_state["endpoint"] = url


def _to_own_endpoint(url: str) -> bool:
    endpoint = _guard_state["endpoint"]
    return isinstance(endpoint, str) and (url == endpoint or url.startswith(endpoint + "/"))


def _guarded(stubber):
    """Wrap moto's ``before-send`` handler: what moto does not answer never leaves the process."""

    def send_through_moto_only(request, **kwargs):
        response = stubber(request=request, **kwargs)
        if response is None and _guard_state["running"] and not _to_own_endpoint(request.url):
            raise SandboxError(
                f"The lab sandbox does not simulate {request.method} {request.url}, so the "
                "request was stopped before it could leave this machine. Only the AWS services "
                "the lab teaches are available."
            )
        return response if request.stream_output else _well_formed(response)

    send_through_moto_only.labkit_guard = True
    return send_through_moto_only


# Characters XML 1.0 forbids even when escaped. moto echoes request values into its XML answers
# (an error quoting an ID the learner typed), and botocore cannot parse such an answer: the
# learner would get ResponseParserError instead of AWS's error. They become U+FFFD instead.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _well_formed(response):
    """moto's answer, with any character XML forbids replaced, so botocore can read it."""
    if response is None or response.raw is None:
        return response
    body = response.content
    if not body.lstrip().startswith(b"<") or not _NOT_XML.search(body):
        return response
    from moto.core.botocore_stubber import MockRawResponse

    clean = MockRawResponse(_NOT_XML.sub("\ufffd".encode(), body))
    return type(response)(response.url, response.status_code, response.headers, clean)


def install_request_guard() -> None:
    """Make every botocore client created from now on refuse requests moto did not answer.

    Call after importing moto, which registers its own handler with botocore.
    """
    from moto.core.models import botocore_stubber

    handlers = botocore.handlers.BUILTIN_HANDLERS
    for index, entry in enumerate(handlers):
        if entry[0] == "before-send" and entry[1] is botocore_stubber:
            handlers[index] = (entry[0], _guarded(botocore_stubber), *entry[2:])
            return
    if not any(getattr(entry[1], "labkit_guard", False) for entry in handlers):
        raise SandboxError("moto's request handler is missing: the sandbox cannot be sealed")


def set_sandbox_running(running: bool) -> None:
    """Tell the request guard whether a sandbox is running in this process."""
    _guard_state["running"] = running
