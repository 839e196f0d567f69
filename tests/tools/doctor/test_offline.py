"""labkit.tools.doctor.offline: the sandbox starts, and nothing it does reaches AWS."""

from __future__ import annotations

import socket

import pytest

from labkit.tools.doctor import OK, offline


class TestSandbox:
    def test_a_sandbox_starts_and_lists_amazon_images(self):
        """The sandbox check starts a sandbox and finds the catalogue's Amazon images."""
        finding = offline.check_sandbox()
        assert finding.status == OK and "Amazon images" in finding.detail


class TestSealed:
    def test_sandbox_is_sealed(self, no_network):
        """The sealed check passes even when the network is forbidden, and tries nothing."""
        assert offline.check_sealed().status == OK
        assert no_network == []


class TestTripwire:
    def test_a_lookup_beyond_this_machine_is_refused_and_recorded(self):
        """Inside the tripwire a name lookup of another host raises, and the attempt is listed."""
        with offline.tripwire() as attempts:
            with pytest.raises(OSError, match="stopped a name lookup of example.com"):
                socket.getaddrinfo("example.com", 443)
        assert attempts == ["lookup example.com"]

    def test_the_real_socket_functions_come_back(self):
        """Leaving the tripwire restores socket.connect and getaddrinfo."""
        connect, lookup = socket.socket.connect, socket.getaddrinfo
        with offline.tripwire():
            assert socket.getaddrinfo is not lookup
        assert (socket.socket.connect, socket.getaddrinfo) == (connect, lookup)
