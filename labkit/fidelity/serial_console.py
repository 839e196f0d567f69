"""EC2 serial console access: an account setting per Region, off until enabled.

AWS guide page: "Configure access to the EC2 Serial Console" (AWSEC2/latest/UserGuide/
configure-access-to-serial-console.html, "Manage account access to the EC2 Serial Console");
API reference: EnableSerialConsoleAccess, DisableSerialConsoleAccess,
GetSerialConsoleAccessStatus. The sandbox keeps the switch (``account_settings``); it has no
console to connect to, so the switch changes nothing else.
"""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.ec2.responses import EC2Response

from .account_settings import region_settings
from .patching import Patches

__all__ = ["install", "serial_console_access"]


def serial_console_access(account_id: str, region: str) -> bool:
    """Is serial console access enabled for the account in the Region?"""
    return region_settings(account_id, region).serial_console_access


def _set(self: EC2Response, enabled: bool) -> ActionResult:
    self.error_on_dryrun()
    region_settings(self.current_account, self.region).serial_console_access = enabled
    return ActionResult({"SerialConsoleAccessEnabled": enabled})


def _enable(self: EC2Response) -> ActionResult:
    return _set(self, True)


def _disable(self: EC2Response) -> ActionResult:
    return _set(self, False)


def _get(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    enabled = serial_console_access(self.current_account, self.region)
    return ActionResult({"SerialConsoleAccessEnabled": enabled, "ManagedBy": "account"})


def install(patches: Patches) -> None:
    """Answer the serial console access switch."""
    patches.replace(EC2Response, "enable_serial_console_access", _enable)
    patches.replace(EC2Response, "disable_serial_console_access", _disable)
    patches.replace(EC2Response, "get_serial_console_access_status", _get)
