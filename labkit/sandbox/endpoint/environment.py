"""What a program needs to act as a lab account at the endpoint: variables and two small files.

Every AWS SDK and tool of the last few years reads the same settings: ``AWS_ENDPOINT_URL``, the
access key, secret key and session token, the Region, and the shared ``config`` and
``credentials`` files. ``environ()`` gives them for one lab account; the files the lab writes
hold a profile per account (``--profile partner`` works too), and no real profile is ever named.
While a sandbox serves, the kernel's own environment carries the learner's settings, so ``!aws``
and any other subprocess reach the sandbox, and never AWS.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sysconfig
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ...accounts import ACCOUNTS, HOME_REGION
from .signatures import LabKey

__all__ = ["SettingsFiles", "account_environ", "pointing_subprocesses"]


class SettingsFiles:
    """The lab's own ``config`` and ``credentials`` files, in a private folder removed on stop."""

    def __init__(self, url: str, keys: Mapping[str, LabKey], region: str = HOME_REGION) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="amilab-aws-"))
        self.config = self.folder / "config"
        self.credentials = self.folder / "credentials"
        by_account = {key.account: key for key in keys.values()}
        config, credentials = [], []
        for profile, account in [("default", "learner"), *((a, a) for a in ACCOUNTS)]:
            key = by_account[account]
            config += [
                "[default]" if profile == "default" else f"[profile {profile}]",
                f"region = {region}",
                "output = json",
                f"endpoint_url = {url}",
                "",
            ]
            credentials += [
                f"[{profile}]",
                f"aws_access_key_id = {key.access_key_id}",
                f"aws_secret_access_key = {key.secret_access_key}",
                f"aws_session_token = {key.session_token}",
                "",
            ]
        _write_private(self.config, "\n".join(config))
        _write_private(self.credentials, "\n".join(credentials))

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)


def account_environ(url: str, key: LabKey, region: str, files: SettingsFiles) -> dict[str, str]:
    """The environment variables that make a program act as one lab account in one Region."""
    return {
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": key.access_key_id,
        "AWS_SECRET_ACCESS_KEY": key.secret_access_key,
        "AWS_SESSION_TOKEN": key.session_token,
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,  # the name most SDKs other than Python's read
        "AWS_CONFIG_FILE": str(files.config),
        "AWS_SHARED_CREDENTIALS_FILE": str(files.credentials),
        "AWS_EC2_METADATA_DISABLED": "true",  # never ask an instance metadata service for keys
        "AWS_PAGER": "",  # AWS CLI v2 would page its output in a terminal
    }


def awscli_data_path() -> str | None:
    """Where the AWS CLI keeps its own data (``import awscli`` adds it to ``AWS_DATA_PATH``)."""
    spec = importlib.util.find_spec("awscli")
    if spec is None or spec.origin is None:
        return None
    return str(Path(spec.origin).parent / "data")


@contextmanager
def pointing_subprocesses(settings: Mapping[str, str]) -> Iterator[None]:
    """Give the process these AWS settings (for its subprocesses), and restore it exactly after.

    Also: the AWS CLI's data path when none is set (so the CLI runs in this process), and the
    folder of this Python's scripts first on ``PATH`` when the ``aws`` installed with it is not
    what ``PATH`` finds (a kernel started from a virtual environment without activating it).
    """
    changes = dict(settings)
    data_path = awscli_data_path()
    if data_path is not None and not os.environ.get("AWS_DATA_PATH"):
        # Set for good, not restored: it names no credential and no endpoint, and the CLI (once
        # imported, as ``import awscli`` sets it only once) needs it for the life of the process.
        os.environ["AWS_DATA_PATH"] = data_path
    scripts = sysconfig.get_path("scripts")
    ours = shutil.which("aws", path=scripts) if scripts else None
    if ours is not None and shutil.which("aws") != ours:
        changes["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", os.defpath)])
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
