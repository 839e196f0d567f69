"""EC2 serial console access: a per-account, per-Region switch, off until enabled."""

from __future__ import annotations


class TestSerialConsoleAccess:
    def test_off_until_enabled_per_region(self, sandbox):
        """Disabled at first; Enable/Disable change one account in one Region."""
        ec2 = sandbox.client("ec2")
        answer = ec2.get_serial_console_access_status()
        assert (answer["SerialConsoleAccessEnabled"], answer["ManagedBy"]) == (False, "account")
        assert ec2.enable_serial_console_access()["SerialConsoleAccessEnabled"] is True
        assert ec2.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is True
        west = sandbox.client("ec2", region="us-west-2")
        partner = sandbox.client("ec2", account="partner")
        assert west.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is False
        assert partner.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is False
        assert ec2.disable_serial_console_access()["SerialConsoleAccessEnabled"] is False
        assert ec2.get_serial_console_access_status()["SerialConsoleAccessEnabled"] is False

    def test_reset_turns_it_off(self, sandbox):
        """A reset sandbox starts with serial console access off."""
        sandbox.client("ec2").enable_serial_console_access()
        sandbox.reset()
        status = sandbox.client("ec2").get_serial_console_access_status()
        assert status["SerialConsoleAccessEnabled"] is False
