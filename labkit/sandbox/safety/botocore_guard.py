"""While a sandbox runs, every botocore request is answered by the sandbox or refused, never sent.

moto answers through a ``before-send`` handler that ``import moto`` adds to botocore's built-in
handlers, so only sessions and clients made after that import have it. A client or Session made
earlier (a cell run above the setup cell) would send its requests to AWS. These patches close
that, while a sandbox runs and no longer:

- ``Endpoint._send``, where botocore sends what no handler answered: a request to loopback (the
  lab's own endpoint) goes through; anything else is offered to moto, and refused if moto does
  not simulate it.
- ``URLLib3Session.send``, botocore's HTTP layer, also used to fetch instance metadata and
  container credentials: nothing but loopback.
- ``ClientCreator.create_client``: each client made while the sandbox runs gets a ``before-call``
  handler that refuses every call once that sandbox has stopped;
  ``Session._register_builtin_handlers``: each session made while it runs gets one that refuses
  calls while no sandbox runs (a plain ``boto3.client`` inside the lab comes from such a session).
  Those handlers stay on those objects after stop (they refuse rather than send); clients and
  sessions made outside a sandbox never get them.
- ``RequestSigner.sign`` and moto's ``BotocoreStubber.__call__``: a request from a client holding
  a key the sandbox did not issue (made before the lab, from the machine's own keys) is refused
  before it is signed, and before refreshable credentials are refreshed (which could run the
  machine's credential process or call AWS); moto would otherwise answer it as its default
  account. moto's answers are made readable by botocore (``_well_formed``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .errors import SandboxError
from .network import is_loopback

__all__ = ["SandboxRun", "guard_botocore"]

_CLIENT_MARK = "labkit-sandbox-client"


class SandboxRun:
    """One run of a sandbox, from start to stop; clients made during it belong to it."""

    active = 0  # how many runs are in progress in this process (0 or 1)

    def __init__(self) -> None:
        self.running = True
        SandboxRun.active += 1

    def end(self) -> None:
        if self.running:
            self.running = False
            SandboxRun.active -= 1

    def refuse_once_stopped(self, **_kwargs: Any) -> None:
        """A ``before-call`` handler for clients made during this run."""
        if not self.running:
            raise _stopped()


def refuse_unless_a_sandbox_runs(**_kwargs: Any) -> None:
    """A ``before-call`` handler for sessions made while a sandbox ran."""
    if not SandboxRun.active:
        raise _stopped()


def _stopped() -> SandboxError:
    return SandboxError(
        "This client was made inside a lab sandbox that has stopped (or from a boto3 Session "
        "made there), so the call was not sent anywhere. Start the lab again (run the setup "
        "cell) and make a new client there."
    )


def _not_simulated(request: Any) -> SandboxError:
    return SandboxError(
        f"The lab sandbox does not simulate {request.method} {request.url}, so the request was "
        "stopped before it could leave this machine. Only the AWS services the lab teaches are "
        "available."
    )


def _foreign_credentials(access_key: str | None) -> SandboxError:
    held = (
        f"the access key {access_key[:4]}…, which the lab sandbox did not issue"
        if access_key
        else "credentials that are fetched from outside the lab sandbox"
    )
    return SandboxError(
        f"This client signs with {held}: it was probably made before the lab started, from this "
        "machine's own AWS settings. The request was stopped before it could leave this machine. "
        "Make clients after the setup cell, with lab.client('ec2') or boto3.client('ec2')."
    )


_NO_CREDENTIALS = object()


def _key_without_refreshing(signer: Any) -> object:
    """The access key a signer holds, without refreshing it (which may run the machine's
    credential process or call AWS); None for credentials fetched from elsewhere that are not
    fetched yet; ``_NO_CREDENTIALS`` for an anonymous client."""
    try:
        credentials = signer._credentials
    except AttributeError:
        raise SandboxError(
            "botocore's RequestSigner no longer keeps _credentials: this botocore is not the one "
            "labkit was made for, and the sandbox cannot be sealed."
        ) from None
    if credentials is None:
        return _NO_CREDENTIALS
    from labkit.seam.botocore import RefreshableCredentials

    if isinstance(credentials, RefreshableCredentials):
        # Inside a lab every credential is a plain key; refreshable ones come from the machine.
        return credentials._access_key
    return credentials.access_key


_CREDENTIAL_IN_HEADER = re.compile(r"Credential=([^/,\s]+)/")


def _access_key(request: Any) -> str | None:
    """The access key a request is signed with (SigV4 header or query string), if any."""
    header = request.headers.get("Authorization")
    if isinstance(header, bytes):
        header = header.decode("ascii", errors="replace")
    if header:
        found = _CREDENTIAL_IN_HEADER.search(header)
        if found:
            return found.group(1)
        if header.startswith("AWS ") and ":" in header:  # SigV2: "AWS <key>:<signature>"
            return header[4:].split(":", 1)[0]
    query = parse_qs(urlsplit(request.url).query)
    for name in ("X-Amz-Credential", "AWSAccessKeyId"):
        if query.get(name):
            return query[name][0].split("/", 1)[0]
    return None


def _issued_by_the_sandbox(access_key: str) -> bool:
    """True for a key moto's STS or IAM gave out (the lab accounts' keys, roles assumed in it)."""
    from labkit.seam.moto import DEFAULT_ACCOUNT_ID, get_account_id_from

    return get_account_id_from(access_key) != DEFAULT_ACCOUNT_ID


# Characters XML 1.0 forbids even when escaped. moto echoes request values into its XML answers
# (an error quoting an ID the learner typed), and botocore cannot parse such an answer: the
# learner would get ResponseParserError instead of AWS's error. They become U+FFFD instead.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _well_formed(response: Any) -> Any:
    """moto's answer, with any character XML forbids replaced, so botocore can read it."""
    if response is None or response.raw is None:
        return response
    body = response.content
    if not body.lstrip().startswith(b"<") or not _NOT_XML.search(body):
        return response
    from labkit.seam.moto import MockRawResponse

    clean = MockRawResponse(_NOT_XML.sub("\ufffd".encode(), body))
    return type(response)(response.url, response.status_code, response.headers, clean)


def _original(owner: Any, name: str) -> Any:
    """``owner``'s own ``name``, which labkit is about to replace; loud if it moved."""
    old = owner.__dict__.get(name)
    if not callable(old):
        raise SandboxError(
            f"{owner.__module__}.{owner.__qualname__}.{name} is gone: this botocore or moto is "
            "not the one labkit was made for, and the sandbox cannot be sealed. Reinstall the "
            "versions in pyproject.toml."
        )
    return old


def guard_botocore(patches: Any, run: SandboxRun) -> None:
    """Seal botocore for one sandbox run, through ``patches`` (undone on stop)."""
    # Imported here: importing labkit.sandbox.safety (for SandboxError) must not import botocore.
    from labkit.seam.botocore import (
        botocore_client,
        botocore_endpoint,
        botocore_httpsession,
        botocore_session,
        botocore_signers,
    )
    from labkit.seam.moto import BotocoreStubber, botocore_stubber

    answer = _original(BotocoreStubber, "__call__")

    def answer_readably(stubber, event_name, request, **kwargs):  # noqa: ANN001, ANN202
        if stubber.enabled and not is_loopback(urlsplit(request.url).hostname):
            access_key = _access_key(request)
            if access_key is not None and not _issued_by_the_sandbox(access_key):
                raise _foreign_credentials(access_key)
        response = answer(stubber, event_name, request, **kwargs)
        return response if request.stream_output else _well_formed(response)

    patches.replace(BotocoreStubber, "__call__", answer_readably)

    sign = _original(botocore_signers.RequestSigner, "sign")

    def sign_with_sandbox_keys_only(signer, operation_name, request, *args, **kwargs):  # noqa: ANN001, ANN202
        if not is_loopback(urlsplit(request.url or "").hostname):
            access_key = _key_without_refreshing(signer)
            if access_key is not _NO_CREDENTIALS and not (
                isinstance(access_key, str) and _issued_by_the_sandbox(access_key)
            ):
                raise _foreign_credentials(access_key if isinstance(access_key, str) else None)
        return sign(signer, operation_name, request, *args, **kwargs)

    patches.replace(botocore_signers.RequestSigner, "sign", sign_with_sandbox_keys_only)

    send = _original(botocore_endpoint.Endpoint, "_send")

    def send_to_the_sandbox_only(endpoint, request):  # noqa: ANN001, ANN202
        if is_loopback(urlsplit(request.url).hostname):
            return send(endpoint, request)
        # What no handler answered: the client lacks moto's (made before moto was imported).
        response = botocore_stubber("before-send", request=request)
        if response is None:
            raise _not_simulated(request)
        return response

    patches.replace(botocore_endpoint.Endpoint, "_send", send_to_the_sandbox_only)

    http_send = _original(botocore_httpsession.URLLib3Session, "send")

    def send_to_loopback_only(session, request):  # noqa: ANN001, ANN202
        if not is_loopback(urlsplit(request.url).hostname):
            raise _not_simulated(request)
        return http_send(session, request)

    patches.replace(botocore_httpsession.URLLib3Session, "send", send_to_loopback_only)

    create_client = _original(botocore_client.ClientCreator, "create_client")

    def create_client_of_this_run(creator, *args, **kwargs):  # noqa: ANN001, ANN202
        client = create_client(creator, *args, **kwargs)
        client.meta.events.register_first(
            "before-call", run.refuse_once_stopped, unique_id=_CLIENT_MARK
        )
        return client

    patches.replace(botocore_client.ClientCreator, "create_client", create_client_of_this_run)

    # A session registers its built-in handlers when it is made: only those made during the run.
    register_builtin = _original(botocore_session.Session, "_register_builtin_handlers")

    def register_builtin_of_this_run(session, events):  # noqa: ANN001, ANN202
        register_builtin(session, events)
        events.register_first("before-call", refuse_unless_a_sandbox_runs)

    patches.replace(
        botocore_session.Session, "_register_builtin_handlers", register_builtin_of_this_run
    )
