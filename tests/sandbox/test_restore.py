"""Nothing in botocore, boto3, moto, xmltodict or the collector changes outside a running sandbox.

The fingerprint holds every function and class of every loaded botocore/boto3/moto/xmltodict
module, and every attribute of the classes they define, by identity: it covers every target of
the sandbox's ``Patches`` (the test checks that too), and whatever else a speedup might touch.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from typing import Any

import pytest

from labkit import fidelity
from labkit.fidelity.patching import Patches
from labkit.sandbox.sandbox import Sandbox
from labkit.sandbox.speed import speed_patches

LIBRARIES = ("botocore", "boto3", "moto", "xmltodict")
#: moto's own registry of a model class's instances, which moto itself replaces on every reset.
MOTOS_OWN = frozenset({"instances_tracked"})
_MISSING = object()


def _modules() -> list[Any]:
    return [
        module
        for name, module in sorted(sys.modules.items())
        if name.split(".")[0] in LIBRARIES and module is not None
    ]


def fingerprint(targets: list[tuple[Any, str]] = ()) -> dict[tuple[str, ...], Any]:
    """(module, name) and (module, class, name) -> the object, for the libraries' modules, and
    (owner, name) for each of ``targets`` wherever it is (sockets, a module's list)."""
    found: dict[tuple[str, ...], Any] = {
        ("target", repr(owner), name): vars(owner).get(name, _MISSING) for owner, name in targets
    }
    for module in _modules():
        for name, value in list(vars(module).items()):
            if not (callable(value) or isinstance(value, type)):
                continue
            found[(module.__name__, name)] = value
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attribute, inner in list(vars(value).items()):
                    if attribute in MOTOS_OWN:
                        continue
                    found[(module.__name__, value.__qualname__, attribute)] = inner
    return found


def changed(before: dict, after: dict) -> list[str]:
    """What differs between two fingerprints, by name (new modules' entries are not changes)."""
    replaced = [key for key, value in before.items() if after.get(key, _MISSING) is not value]
    classes = {key[:2] for key in before if len(key) == 3}
    added = [key for key in after.keys() - before.keys() if len(key) == 3 and key[:2] in classes]
    return sorted(".".join(key) for key in replaced + added)


def every_patch_target() -> list[tuple[Any, str]]:
    """The (owner, name) of every change the sandbox's seams make, read from the seams."""
    targets: list[tuple[Any, str]] = []
    for build in (fidelity.install, speed_patches):
        patches = build()
        targets += patches.targets()
        patches.undo()
    from labkit.sandbox.safety.botocore_guard import SandboxRun, guard_botocore
    from labkit.sandbox.safety.network import guard_sockets

    guard, run = Patches(), SandboxRun()
    try:
        guard_botocore(guard, run)
        guard_sockets(guard)
        targets += guard.targets()
    finally:
        run.end()  # a run never ended would count as a sandbox running, for the whole process
        guard.undo()
    return targets


def _owned(owner: Any, name: str) -> Any:
    return vars(owner).get(name, _MISSING)


class TestStartAndStop:
    def test_every_patched_attribute_is_restored_after_stop(self):
        """Each target of every Patches is the very object it was before the sandbox started."""
        targets = every_patch_target()
        assert len(targets) > 100  # fidelity's rules, the speedups and the guard
        before = [_owned(owner, name) for owner, name in targets]

        Sandbox().start().stop()

        assert [
            f"{owner!r}.{name}"
            for (owner, name), old in zip(targets, before, strict=True)
            if _owned(owner, name) is not old
        ] == []

    def test_the_libraries_and_the_collector_are_as_before(self):
        """Every function and class of botocore, boto3, moto and xmltodict, and the collector."""
        sandbox = Sandbox()
        sandbox.start().stop()  # loads what a first start loads, so both prints see it
        targets = every_patch_target()
        threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
        before = fingerprint(targets)

        sandbox.start()
        running = fingerprint(targets)
        assert changed(before, running)  # the fingerprint does see the sandbox's patches
        assert gc.get_threshold() != threshold
        sandbox.stop()

        assert changed(before, fingerprint(targets)) == []
        assert gc.get_threshold() == threshold
        assert gc.get_freeze_count() == frozen


PROBE = """
import gc, json, sys
import boto3, botocore.client, botocore.loaders, botocore.session, xmltodict
import moto.core.responses, moto.core.serialize, moto.core.utils, moto.utilities.utils
import moto.kms.models
sys.path.insert(0, {tests!r})
from sandbox.test_restore import changed, fingerprint
threshold, frozen, before = gc.get_threshold(), gc.get_freeze_count(), fingerprint()
import labkit.sandbox.sandbox  # the sandbox module itself, which imports moto
print(json.dumps([changed(before, fingerprint()), gc.get_threshold() == threshold,
                  gc.get_freeze_count() == frozen]))
"""


def test_importing_the_sandbox_patches_nothing(tmp_path):
    """import labkit.sandbox (which imports moto) leaves botocore, moto and the collector alone."""
    from pathlib import Path

    tests = str(Path(__file__).resolve().parents[1])
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(tests=tests)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [[], True, True]


@pytest.fixture(autouse=True)
def _no_sandbox_left():
    yield
    from labkit.sandbox.sandbox import active_sandbox

    running = active_sandbox()
    if running is not None:
        running.stop()
