"""The offline AWS sandbox: moto with the lab's accounts, Regions, catalogue and AWS's AMI rules."""

from __future__ import annotations

import copy
import datetime as _dt
import math
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

import boto3
from botocore.config import Config

from ..accounts import ACCOUNTS, HOME_REGION, REGIONS, account_name
from ..versions import require_pinned_versions
from . import running
from .safety import SandboxError, masked_aws_environment, sealed_process, stop_moto

# Other moto or botocore versions may not even import below: say what to install first.
require_pinned_versions()

from .speed.loading import loading_models  # noqa: E402

# Importing moto's EC2 models makes a boto3 session, which reads AWS settings: hide real ones.
# loading_models: each JSON model parsed once per process; its patches are undone at the end of
# the block, so importing the sandbox changes nothing in botocore, moto or the collector.
with masked_aws_environment(HOME_REGION), loading_models():
    from labkit.seam.moto import DEFAULT_ACCOUNT_ID, mock_aws, mock_random

    from .. import fidelity
    from ..catalog import install_catalog
    from .clock import SandboxClock
    from .speed import speedups

__all__ = ["Sandbox", "SandboxError"]

_SEED = 20240521
_MAX_CLOCK_ADVANCE_SECONDS = 100 * 365.25 * 86400
# The sandbox's resources settle when they are read, not when time passes (fidelity/pending.py),
# so a waiter's second poll succeeds: waiting between polls only cost time (0.05 s each, 0.4 s of
# lesson 07's setup). A waiter for what never happens now fails in a fraction of a second.
_WAITER_DELAY_SECONDS = 0.001
# The lab's clients answer in-process even while the sandbox serves: AWS_ENDPOINT_URL is for
# subprocesses and other tools (labkit/endpoint).
_CLIENT_CONFIG = Config(connect_timeout=1, read_timeout=5, ignore_configured_endpoint_urls=True)

_boto_session: boto3.Session | None = None


def _session() -> boto3.Session:
    """One boto3 session per process, made inside a masked environment, so clients share models.

    Its models come from the same folders as moto's (speed/loading.py shares them): not from the
    AWS CLI's data folder, which serving puts on ``AWS_DATA_PATH`` for the CLI run in-process.
    With it, the lab's clients parsed EC2's model a second time (20 ms, 20 MB) for nothing: the
    CLI's folder holds only the CLI's own settings.
    """
    global _boto_session
    if _boto_session is None:
        import os

        from labkit.seam.botocore import botocore_session

        from .endpoint.environment import awscli_data_path

        core = botocore_session.Session()
        cli = awscli_data_path()
        paths = [p for p in os.environ.get("AWS_DATA_PATH", "").split(os.pathsep) if p != cli]
        extra = os.pathsep.join(p for p in paths if p) or None
        # botocore's own way to make it (the sandbox's shared loader while it runs)
        core.register_component("data_loader", botocore_session.create_loader(extra))
        _boto_session = boto3.Session(botocore_session=core, region_name=HOME_REGION)
    return _boto_session


def active_sandbox() -> Sandbox | None:
    """The sandbox running in this process, if any."""
    return running.active_sandbox()


class Sandbox:
    """An offline AWS with three accounts and four Regions, reset to a known state on start.

    Only one sandbox runs in a process at a time; starting one stops any other.

    Args:
        setup: builds a lesson's starting state in a fresh sandbox (run on start and on reset).
    """

    accounts: dict[str, str] = ACCOUNTS
    regions: tuple[str, ...] = REGIONS
    home_region: str = HOME_REGION

    def __init__(self, setup: Callable[[Sandbox], None] | None = None) -> None:
        self._setup = setup
        self._stack: ExitStack | None = None
        self._clients: dict[tuple[str, str, str], Any] = {}
        self._credentials: dict[str, dict[str, str]] = {}
        self._endpoint: Any = None
        self.clock = SandboxClock()

    # -- life cycle -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True between ``start()`` and ``stop()``."""
        return self._stack is not None

    def start(self) -> Sandbox:
        """Start the sandbox in its starting state, stopping any other running sandbox."""
        if self.running:
            return self
        other = running.active_sandbox()
        if other is not None:
            other.stop()
        stack = ExitStack()
        try:
            stack.enter_context(masked_aws_environment(HOME_REGION))
            # Nothing reaches AWS while it runs; the last thing undone on stop but the settings.
            stack.enter_context(sealed_process())
            # The speedups (shared models, serializer, KMS keys, collector) only while it runs.
            stack.enter_context(speedups())
            # Rules go on before moto starts and come off after it stops (and clears its state).
            patches = fidelity.install()
            stack.callback(patches.undo)
            self.clock.reset()
            self.clock.install()
            stack.callback(self.clock.uninstall)
            mock = mock_aws()
            mock.start()
            stack.callback(stop_moto, mock)
            self._mock = mock
            self._stack = stack
            running.set_active(self)
            self._build()
        except BaseException:
            self._stack = None
            running.set_active(None)
            stack.close()
            raise
        return self

    def stop(self) -> None:
        """Stop the sandbox: its clients stop working and the process's AWS settings come back."""
        if self._stack is None:
            return
        stack, self._stack = self._stack, None
        self._clients.clear()
        if running.active_sandbox() is self:
            running.set_active(None)
        stack.close()

    def reset(self) -> None:
        """Throw away everything done so far and return to the starting state."""
        self._require_running()
        self._mock.reset()
        self.clock.reset()
        self._build()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _build(self) -> None:
        """Accounts, Regions and catalogue, then the lesson's state; the same IDs every time."""
        from labkit.seam.moto import ec2_backends, sts_backends

        mock_random.seed(_SEED)
        sts = sts_backends[DEFAULT_ACCOUNT_ID]["aws"]
        credentials = {}
        for name, number in ACCOUNTS.items():
            role = sts.assume_role(
                region_name=HOME_REGION,
                role_session_name=f"amilab-{name}",
                role_arn=f"arn:aws:iam::{number}:role/amilab-{name}",
                policy="",
                duration=43200,
                external_id="",
            )
            credentials[name] = {
                "aws_access_key_id": role.access_key_id,
                "aws_secret_access_key": role.secret_access_key,
                "aws_session_token": role.session_token,
            }
        # Each start makes the accounts' EC2 backends (default VPC, subnets, security group) from
        # the same seed. moto's reset re-creates them at once, from wherever the random state
        # was, so the IDs of a reset or a second Lab() differed from the first start's.
        mock_random.seed(_SEED)
        for number in ACCOUNTS.values():
            for region in REGIONS:
                ec2_backends[number].pop(region, None)
                ec2_backends[number][region]
        if credentials != self._credentials:
            self._clients.clear()
            self._credentials = credentials
        install_catalog(REGIONS)
        mock_random.seed(_SEED + 1)
        self._expose_learner_to_plain_boto3()
        if self._setup is not None:
            self._setup(self)

    def _expose_learner_to_plain_boto3(self) -> None:
        """Inside the sandbox, plain ``boto3.client("ec2")`` acts as the learner, in us-east-1."""
        import os

        if self._endpoint is not None:
            return  # serving: the environment already acts as the learner, at the endpoint
        learner = self._credentials["learner"]
        os.environ["AWS_ACCESS_KEY_ID"] = learner["aws_access_key_id"]
        os.environ["AWS_SECRET_ACCESS_KEY"] = learner["aws_secret_access_key"]
        os.environ["AWS_SESSION_TOKEN"] = learner["aws_session_token"]

    # -- accounts, Regions, clients -----------------------------------------------------------

    def account_id(self, account: str = "learner") -> str:
        """The 12-digit ID of a lab account (``"learner"``, ``"partner"`` or ``"seller"``).

        Raises:
            ValueError: for a name that is not one of the lab's accounts.
        """
        if isinstance(account, str) and account in ACCOUNTS:
            return ACCOUNTS[account]
        if isinstance(account, str) and account in ACCOUNTS.values():
            return account
        raise ValueError(
            f"There is no account called {account!r} in the lab; "
            f"choose one of {', '.join(repr(a) for a in ACCOUNTS)}"
        )

    def account_name(self, account_id: str) -> str | None:
        """The lab name of an account ID, or None for an account outside the lab."""
        return account_name(account_id)

    def client(self, service: str, region: str | None = None, account: str = "learner") -> Any:
        """A real boto3 client for one account and Region of the sandbox (cached).

        Args:
            service: an AWS service name such as ``"ec2"``, ``"kms"`` or ``"sts"``.
            region: a lab Region; the home Region (us-east-1) when omitted.
            account: ``"learner"`` (default), ``"partner"`` or ``"seller"`` (or its 12-digit ID).

        Raises:
            SandboxError: if the sandbox is not running.
            ValueError: for an unknown account or a Region the lab does not simulate.
        """
        self._require_running()
        if not isinstance(service, str) or not service:
            raise ValueError(f"A service is named by a string such as 'ec2', not {service!r}")
        region = HOME_REGION if region is None else region
        if not isinstance(region, str) or region not in REGIONS:
            raise ValueError(
                f"The lab simulates the Regions {', '.join(REGIONS)}; {region!r} is not one of them"
            )
        name = account_name(self.account_id(account)) or account
        key = (service, region, name)
        if key not in self._clients:
            self._clients[key] = self._make_client(service, region, name)
        return self._clients[key]

    def _make_client(self, service: str, region: str, name: str) -> Any:
        client = _session().client(
            service, region_name=region, config=_CLIENT_CONFIG, **self._credentials[name]
        )
        client.meta.events.register_first("before-call", self._refuse_when_stopped)
        _speed_up_waiters(client)
        return client

    def _refuse_when_stopped(self, **_kwargs: Any) -> None:
        if not self.running:
            raise SandboxError(
                "This client belongs to a sandbox that has stopped, so it was not sent anywhere. "
                "Start the lab again (run the setup cell) and ask it for a new client."
            )

    def _require_running(self) -> None:
        if not self.running:
            raise SandboxError("The sandbox is not running: call start() or use `with Sandbox():`")

    # -- the sandbox on loopback (labkit/endpoint) ---------------------------------------------

    def serve(self, port: int | None = None) -> str:
        """Serve the sandbox on 127.0.0.1 to the AWS CLI and any SDK or tool; returns the URL.

        Only this sandbox's keys get in. While it serves, this process's environment points
        subprocesses (``!aws``) at it as the learner; stopping the sandbox stops the endpoint,
        releases the port and restores the environment. Calling it again returns the same URL.

        Raises:
            SandboxError: if the sandbox is not running, or ``port`` is taken.
            ValueError: for a port that is not a number from 1 to 65535, or another port than
                the one already served.
        """
        from .endpoint import Endpoint, PortTaken, check_port

        self._require_running()
        port = check_port(port)
        if self._endpoint is None:
            try:
                self._endpoint = self._stack.enter_context(Endpoint(self, port))
            except PortTaken as error:
                raise SandboxError(error.strerror) from None
            self._stack.callback(setattr, self, "_endpoint", None)
        elif port is not None and port != self._endpoint.port:
            raise ValueError(f"The sandbox already serves at {self._endpoint.url}, not port {port}")
        return self._endpoint.url

    def prepare_endpoint(self) -> None:
        """Ready the endpoint for its first request now (a no-op when it does not serve)."""
        endpoint = self._endpoint
        if endpoint is not None:
            endpoint.prepare()

    @property
    def endpoint_url(self) -> str | None:
        """The URL the sandbox serves at (``serve()``), or None when it does not."""
        return None if self._endpoint is None else self._endpoint.url

    def environ(self, account: str = "learner", region: str | None = None) -> dict[str, str]:
        """The environment a program needs to act as a lab account at the endpoint.

        ``AWS_ENDPOINT_URL``, the account's sandbox keys, the Region (the home Region when
        omitted) and the lab's own config and credentials files; never a profile. Serves the
        sandbox first if it does not serve yet.

        Raises:
            SandboxError: if the sandbox is not running.
            ValueError: for an account or Region the lab does not have.
        """
        self.serve()
        return self._endpoint.environ(self.account_name(self.account_id(account)), region)

    # -- time ---------------------------------------------------------------------------------

    def now(self) -> _dt.datetime:
        """The sandbox's current time (UTC)."""
        return self.clock.now()

    def advance_clock(self, seconds: float = 0, *, days: float = 0) -> _dt.datetime:
        """Move the sandbox's time forward without waiting, and return the new time.

        Raises:
            ValueError: for anything but numbers of seconds and days that are zero or more and
                keep the clock within a century of the lab's day one (the clock is then unchanged).
        """
        self._require_running()
        for value in (seconds, days):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"advance_clock takes a number of seconds or days, not {value!r}")
            if (isinstance(value, float) and math.isnan(value)) or value < 0:
                raise ValueError(f"The sandbox clock only moves forward; got {value!r}")
        room = _MAX_CLOCK_ADVANCE_SECONDS - self.clock.offset.total_seconds()
        # Checked before moving (and part by part, so no sum overflows): past datetime's range
        # the clock would break for good.
        if seconds > room or days > room / 86400 or seconds + days * 86400 > room:
            raise ValueError(
                "The sandbox clock goes at most 100 years past the lab's day one; "
                f"advancing it by {seconds!r} seconds and {days!r} days would go further"
            )
        return self.clock.advance(seconds + days * 86400)

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Sandbox {state}: accounts {', '.join(ACCOUNTS)}; Regions {', '.join(REGIONS)}>"


_fast_waiter_configs: dict[str, dict[str, Any]] = {}


def _speed_up_waiters(client: Any) -> None:
    """Waiters poll every millisecond: the sandbox never makes anyone wait."""
    service = client.meta.service_model.service_name
    if service not in _fast_waiter_configs:
        # Made once per service (a deep copy costs ~7 ms); clients only read it.
        config = copy.deepcopy(client._get_waiter_config())
        for waiter in config.get("waiters", {}).values():
            waiter["delay"] = _WAITER_DELAY_SECONDS
        _fast_waiter_configs[service] = config
    client._cache["waiter_config"] = _fast_waiter_configs[service]
