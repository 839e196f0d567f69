"""The sandbox on loopback: AWS's wire protocol on 127.0.0.1, for the AWS CLI and any SDK or tool.

A request reaches the same moto backends and the same fidelity rules as ``lab.client``'s (moto's
own WSGI application, in the kernel's process; the rules patch moto's classes, so they apply to
both doors). Before moto sees it, the endpoint checks who is asking (``signatures.py``) and
refuses anything else as AWS would (``refusals.py``), then hands moto the request under the
account's in-process credentials, so moto files it under the right account exactly as it files
``lab.client``'s requests. The keys the endpoint accepts are random for each sandbox: another
kernel's sandbox on the same machine has other keys and another port.
"""

from __future__ import annotations

import io
import re
import socket
import threading
from collections.abc import Iterable
from typing import Any

from ...accounts import ACCOUNTS, REGIONS
from .refusals import Answer, internal_error, not_simulated, refusal_response
from .signatures import LabKey, Refusal, issue_keys, verify

__all__ = ["EndpointServer", "PortTaken"]

LOOPBACK = "127.0.0.1"
# Characters XML 1.0 forbids even escaped: moto can echo them from a request into an error, and
# botocore cannot parse that. lab.client's answers get U+FFFD instead (labkit/safety.py); so do
# the endpoint's, so the two doors answer alike.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Paths of moto's own server that AWS does not have: its dashboard and reset API, and the
# instance metadata service (which no lab key signs for).
_MOTO_ONLY_PATHS = ("/moto-api", "/latest/", "/favicon.ico")
_EC2_API_VERSION = b"Version=2016-11-15"


class PortTaken(OSError):
    """The port asked for is already in use on 127.0.0.1."""


class EndpointServer:
    """An HTTP server on 127.0.0.1 that answers AWS requests signed with this sandbox's keys.

    Args:
        sandbox: the running sandbox whose accounts and state it serves.
        port: a port to listen on; a free one when None.
    """

    def __init__(self, sandbox: Any, port: int | None = None) -> None:
        self._sandbox = sandbox
        self._requested_port = port
        self.keys: dict[str, LabKey] = issue_keys(list(ACCOUNTS))
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._moto_app: Any = None
        self._handler_class: type | None = None
        self._moto_lock = threading.Lock()
        self.port: int | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def key_for(self, account: str) -> LabKey:
        """The endpoint credentials of a lab account (by name)."""
        return next(key for key in self.keys.values() if key.account == account)

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> str:
        """Listen on loopback and answer in a background thread; returns the URL."""
        from werkzeug.serving import make_server

        listener = _bind(self._requested_port)
        try:
            # werkzeug exits the process when it cannot bind: it is handed a bound socket.
            self._server = make_server(
                LOOPBACK, 0, self, request_handler=self._handler, fd=listener.fileno()
            )
        finally:
            listener.close()  # the server holds its own copy of the socket
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"amilab-endpoint-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self.url

    def prepare(self) -> None:
        """Make moto's server application now rather than at the first request.

        It and moto's request handler import Flask (about 30 ms), which only programs
        (``!aws``, Packer) need: a lesson's setup cell does not wait for it. In a notebook the lab
        prepares it in a thread when a cell that runs a program starts (labkit/lab.py); a
        request that comes first makes it itself.
        """
        self._application()

    def _application(self) -> Any:
        with self._moto_lock:
            if self._moto_app is None:
                from labkit.seam.moto import DomainDispatcherApplication, create_backend_app

                self._handler_class = _quiet_handler()
                self._moto_app = DomainDispatcherApplication(create_backend_app)
            return self._moto_app

    def _handler(self, request: Any, client_address: Any, server: Any) -> Any:
        """The server's request handler: moto's, made at the first request if not prepared.

        Should moto's server module fail to load (moto moved it: labkit.seam says what to
        install), werkzeug's own handler takes the request, and the answer is AWS's
        InternalError (``__call__``) rather than a dropped connection.
        """
        try:
            self._application()
        except Exception:
            from werkzeug.serving import WSGIRequestHandler

            return _quiet(WSGIRequestHandler)(request, client_address, server)
        assert self._handler_class is not None
        return self._handler_class(request, client_address, server)

    def stop(self) -> None:
        """Stop answering and release the port: connections are refused from now on."""
        if self._server is None:
            return
        server, self._server = self._server, None
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._thread = None

    # -- one request ------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """WSGI: check the signature, then let moto answer as the account that signed."""
        body = _read_body(environ)
        headers = _headers(environ)
        url = f"http://{headers.get('host', '')}{environ.get('REQUEST_URI') or '/'}"
        try:
            key, signed = verify(environ["REQUEST_METHOD"], url, headers, body, self.keys)
            if signed.region not in REGIONS:
                raise Refusal("region", signed.service)
        except Refusal as refusal:
            if refusal.service is None and _EC2_API_VERSION in body + url.encode():
                refusal.service = "ec2"
            return _respond(start_response, refusal_response(refusal))
        if environ.get("PATH_INFO", "").startswith(_MOTO_ONLY_PATHS):
            return _respond(start_response, (404, [("Content-Type", "text/plain")], b"Not Found"))
        self._as_moto_sees_it(environ, key, body)
        return self._answer(environ, start_response)

    def _as_moto_sees_it(self, environ: dict[str, Any], key: LabKey, body: bytes) -> None:
        """The request as ``lab.client`` would send it: the account's in-process credentials."""
        inner = self._sandbox._credentials[key.account]
        environ["HTTP_AUTHORIZATION"] = environ["HTTP_AUTHORIZATION"].replace(
            f"Credential={key.access_key_id}/", f"Credential={inner['aws_access_key_id']}/", 1
        )
        environ["HTTP_X_AMZ_SECURITY_TOKEN"] = inner["aws_session_token"]
        for name in [n for n in environ if n.startswith("HTTP_X_MOTO_")]:
            del environ[name]  # moto would take the account from it
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))

    def _answer(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, response_headers: list, exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, response_headers
            return lambda data: None

        try:
            chunks = self._application()(environ, capture)
            try:
                body = b"".join(chunks)
            finally:
                getattr(chunks, "close", lambda: None)()
        except NotImplementedError:
            return _respond(start_response, not_simulated(environ.get("HTTP_X_AMZ_TARGET")))
        except Exception:  # a bug in moto or labkit: an internal error, as AWS would say
            return _respond(start_response, internal_error(environ.get("HTTP_X_AMZ_TARGET")))
        if body.lstrip().startswith(b"<"):
            body = _NOT_XML.sub("\ufffd".encode(), body)
        response_headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        response_headers.append(("Content-Length", str(len(body))))
        start_response(captured["status"], response_headers)
        return [body]


def _bind(port: int | None) -> socket.socket:
    """A listening socket on 127.0.0.1 (never another interface), on ``port`` or a free one."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind((LOOPBACK, port or 0))
        listener.listen(64)
    except OSError as error:
        listener.close()
        raise PortTaken(
            error.errno,
            f"port {port} on {LOOPBACK} is already in use by another program; "
            "call serve() without a port to take a free one",
        ) from None
    return listener


def _read_body(environ: dict[str, Any]) -> bytes:
    from werkzeug.wrappers import Request

    return Request(environ).get_data(cache=True)


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request's headers, names in lower case, as the client sent them."""
    headers = {}
    for name, value in environ.items():
        if name.startswith("HTTP_"):
            headers[name[5:].replace("_", "-").lower()] = value
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(name):
            headers[name.replace("_", "-").lower()] = environ[name]
    return headers


def _respond(start_response: Any, answer: Answer) -> list[bytes]:
    status, headers, body = answer
    reasons = {
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        500: "Internal Server Error",
    }
    reason = reasons.get(status, "Bad Request")
    start_response(f"{status} {reason}", [*headers, ("Content-Length", str(len(body)))])
    return [body]


def _quiet_handler() -> type:
    """moto's request handler, minus werkzeug's line per request on the kernel's stderr."""
    from labkit.seam.moto import MotoRequestHandler

    return _quiet(MotoRequestHandler)


def _quiet(base: type) -> type:
    """A werkzeug request handler that writes no line per request on the kernel's stderr."""

    class QuietHandler(base):  # type: ignore[valid-type,misc]
        def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002
            return None

        def log_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    return QuietHandler
