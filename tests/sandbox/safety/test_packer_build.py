"""Lesson 10's Packer build reaches the lab's endpoint and nothing else, and reads no real keys.

Packer is a Go program: Python's socket guard cannot see it. So its system calls are traced
(``strace -f``: every connect, bind and file open of Packer and its plugin processes), on a machine
with real-looking AWS keys in the environment and in ~/.aws; and the whole lesson's build runs
again in a network namespace that has only loopback (``unshare -rn``)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from labkit import Lab, packer

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "notebooks" / "10-packer.ipynb"
IN_CI = os.environ.get("CI") == "true"

#: ``connect(6, {sa_family=AF_INET, sin_port=htons(39063), sin_addr=inet_addr("127.0.0.1")}, 16)``
_CALL = re.compile(r"^\d+\s+(?P<call>connect|bind)\(\d+, \{sa_family=(?P<family>\w+)(?P<rest>.*)$")
_PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
_ADDRESS = re.compile(r'(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"\))')
_OPEN = re.compile(r'^\d+\s+open(?:at)?\((?:AT_FDCWD, )?"(?P<path>[^"]+)"')


def lesson_template() -> str:
    """The lesson's TEMPLATE cell, as the notebook defines it."""
    names: dict = {}
    for cell in json.loads(NOTEBOOK.read_text())["cells"]:
        source = "".join(cell["source"])
        if source.startswith("TEMPLATE = "):
            exec(source, names)
    return names["TEMPLATE"]


def need(program: str) -> str:
    """The program's path; in CI its absence fails (.ci/run installs it), elsewhere it skips."""
    found = shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if found is None:
        if IN_CI:
            pytest.fail(f"{program} is missing in CI: .ci/run installs it with packer")
        pytest.skip(f"needs {program}")
    return found


def ways_out(trace: str, endpoint_port: int) -> list[str]:
    """Every connection in an strace log that is not to the endpoint or to Packer's own plugins
    (a Unix socket, or a loopback port a traced process bound itself)."""
    bound, calls = set(), []
    for line in trace.splitlines():
        found = _CALL.match(line)
        if not found or "= -1 ENOENT" in line:
            continue
        port = _PORT.search(found["rest"])
        if found["call"] == "bind":
            if port:
                bound.add(int(port.group(1)))
            continue
        calls.append((found["family"], found["rest"], port, line))
    refused = []
    for family, rest, port, line in calls:
        if family in ("AF_UNIX", "AF_UNSPEC"):
            continue  # a Unix socket (Packer's plugins) is no network; AF_UNSPEC disconnects
        address = _ADDRESS.search(rest)
        host = next((a for a in address.groups() if a), "") if address else ""
        number = int(port.group(1)) if port else -1
        if host in ("127.0.0.1", "::1") and (number == endpoint_port or number in bound):
            continue
        refused.append(line.strip())
    return refused


@pytest.fixture
def packer_program() -> str:
    found = packer.find_packer()
    if found is None:
        if IN_CI:
            pytest.fail("Packer is missing in CI: .ci/run installs it")
        pytest.skip("needs Packer (apt-get install packer)")
    return found


class TestTracedBuild:
    def test_packer_reaches_only_the_endpoint_and_reads_no_real_keys(
        self, packer_program, real_looking_machine, tmp_path, monkeypatch
    ):
        """The lesson's build, traced: every connection goes to the lab's endpoint (or Packer's
        own plugin sockets); ~/.aws is never opened; and the build succeeds, which it could not
        with the machine's keys (the endpoint refuses any key it did not issue)."""
        strace = need("strace")
        log = tmp_path / "trace.log"
        wrapper = tmp_path / "packer-traced"
        wrapper.write_text(
            "#!/bin/sh\n"
            f'exec "{strace}" -f -qq -e trace=connect,bind,open,openat -o "{log}" '
            f'"{packer_program}" "$@"\n'
        )
        wrapper.chmod(0o755)
        monkeypatch.setenv("AMILAB_PACKER", str(wrapper))
        lab = Lab("10-packer", quiet=True)
        try:
            run = packer.build(lab, lesson_template(), partner=lab.account_id("partner"))
            port = int(lab.endpoint_url.rsplit(":", 1)[1])
        finally:
            lab.stop()
        assert run.ok, run.output
        assert sorted(run.images) == ["us-east-1", "us-west-2"]
        trace = log.read_text()
        assert f"htons({port})" in trace, "the trace saw no connection to the endpoint at all"
        assert ways_out(trace, port) == []
        aws_files = Path(os.environ["HOME"]) / ".aws"
        opened = [m["path"] for m in map(_OPEN.match, trace.splitlines()) if m]
        assert opened, "the trace saw no file opened at all"
        assert [p for p in opened if p.startswith(str(aws_files))] == []

    def test_the_trace_reader_refuses_what_it_should(self):
        """The reader itself: another host, another loopback port, and DNS are ways out."""
        trace = "\n".join(
            [
                '1 bind(3, {sa_family=AF_INET, sin_port=htons(10001), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',  # noqa: E501
                '1 connect(3, {sa_family=AF_INET, sin_port=htons(10001), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',  # noqa: E501
                '1 connect(4, {sa_family=AF_INET, sin_port=htons(4000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',  # noqa: E501
                '1 connect(5, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("52.94.0.1")}, 16) = 0',  # noqa: E501
                '1 connect(6, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0',  # noqa: E501
                '1 connect(7, {sa_family=AF_UNIX, sun_path="/tmp/x/packer-plugin1"}, 20) = 0',
            ]
        )
        refused = ways_out(trace, endpoint_port=4000)
        assert [line.split("(")[1].split(",")[0] for line in refused] == ["5", "6"]


_OFFLINE_BUILD = r"""
import json, sys
from labkit import Lab, packer
lab = Lab("10-packer", quiet=True)
run = packer.build(lab, sys.stdin.read(), partner=lab.account_id("partner"))
print(json.dumps({"ok": run.ok, "images": run.images, "output": run.output}))
lab.stop()
"""


class TestOfflineNamespace:
    def test_the_build_runs_where_only_loopback_exists(self, packer_program, tmp_path):
        """Python, the sandbox and Packer in a network namespace with only loopback, brought up:
        the lesson's build still succeeds, so it needs nothing beyond this machine."""
        unshare, ip = need("unshare"), need("ip")
        probe = subprocess.run([unshare, "-rn", "true"], capture_output=True, check=False)
        if probe.returncode != 0:
            if IN_CI:
                pytest.fail(f"unshare -rn is refused in CI: {probe.stderr!r}")
            pytest.skip("this machine refuses new network namespaces")
        command = f'"{ip}" link set lo up && exec "{sys.executable}" -c "$0"'
        answer = subprocess.run(
            [unshare, "-rn", "sh", "-c", command, _OFFLINE_BUILD],
            input=lesson_template(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env={**os.environ, "AMILAB_PACKER": packer_program},
        )
        assert answer.returncode == 0, answer.stderr[-3000:]
        result = json.loads(answer.stdout.strip().splitlines()[-1])
        assert result["ok"], result["output"]
        assert sorted(result["images"]) == ["us-east-1", "us-west-2"]


class TestNoEndpointLine:
    def test_a_template_without_the_endpoint_never_leaves_the_machine(
        self, packer_program, tmp_path, monkeypatch
    ):
        """The lesson's template without custom_endpoint_ec2 (a template for a real account), let
        through labkit's own refusal: Packer sends its first request to the dead-end proxy on
        loopback, and looks no AWS host up (traced: no connection but loopback)."""
        strace = need("strace")
        log = tmp_path / "trace.log"
        wrapper = tmp_path / "packer-traced"
        wrapper.write_text(
            "#!/bin/sh\n"
            f'exec "{strace}" -f -qq -e trace=connect -o "{log}" "{packer_program}" "$@"\n'
        )
        wrapper.chmod(0o755)
        monkeypatch.setenv("AMILAB_PACKER", str(wrapper))
        monkeypatch.setattr(packer, "unpointed_sources", lambda template, endpoint: [])
        template = "".join(
            line
            for line in lesson_template().splitlines(keepends=True)
            if "custom_endpoint_ec2" not in line
        )
        lab = Lab("10-packer", quiet=True)
        try:
            run = packer.build(lab, template, partner=lab.account_id("partner"))
        finally:
            lab.stop()
        assert not run.ok
        assert "proxyconnect tcp: dial tcp 127.0.0.1:" in run.output
        assert "lookup ec2" not in run.output
        outside = [
            line
            for line in log.read_text().splitlines()
            if "connect(" in line and "AF_INET" in line and '"127.0.0.1"' not in line
        ]
        assert outside == []
