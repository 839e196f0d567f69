"""pyproject.toml, the lock files, environment.yml and binder/ describe one environment, offline."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli", reason="Python 3.10 reads TOML with tomli")

ROOT = Path(__file__).resolve().parents[1]
ENV_FILES = ["environment.yml", "binder/environment.yml"]
# Each lock file and the pyproject extras it covers (the course's own dependencies always).
LOCKS = {"lab.lock.txt": (), "test.lock.txt": ("test",), "site.lock.txt": ("site",)}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def load_env(relpath: str) -> dict:
    return yaml.safe_load((ROOT / relpath).read_text(encoding="utf-8"))


def conda_deps(env: dict) -> list[str]:
    return [dep for dep in env["dependencies"] if isinstance(dep, str)]


def pip_deps(env: dict) -> list[str]:
    lists = [dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict) and "pip" in dep]
    assert len(lists) == 1, f"expected one pip: list, found {len(lists)}"
    return lists[0]


def conda_name(spec: str) -> str:
    return re.match(r"[A-Za-z0-9_.\-]+", spec).group(0)


def by_name(requirements: list[str]) -> dict[str, tuple[frozenset[str], SpecifierSet]]:
    """Map each normalised package name to its extras and version specifiers."""
    parsed = [Requirement(r) for r in requirements if not r.startswith("-")]
    return {canonicalize_name(r.name): (frozenset(r.extras), r.specifier) for r in parsed}


def locked(name: str) -> dict[str, list[str]]:
    """``{package: [version, ...]}`` of a lock file (several versions where markers differ)."""
    found: dict[str, list[str]] = {}
    for line in (ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            found.setdefault(canonicalize_name(match.group(1)), []).append(match.group(2))
    return found


def env_pins(relpath: str) -> list[str]:
    return [dep for dep in pip_deps(load_env(relpath)) if not dep.startswith("-")]


class TestDependencyLists:
    @pytest.mark.parametrize("relpath", ENV_FILES)
    def test_environment_file_is_the_lab_lock(self, relpath):
        """Each environment file's pip list is the lab lock's pins, exactly (hashes aside)."""
        pins = {}
        for dep in env_pins(relpath):
            requirement = Requirement(dep)
            (spec,) = requirement.specifier
            assert spec.operator == "==", f"{dep} is not an exact pin"
            pins.setdefault(canonicalize_name(requirement.name), []).append(spec.version)
        assert pins == locked("lab.lock.txt")

    @pytest.mark.parametrize("relpath", ENV_FILES)
    def test_environment_file_satisfies_pyproject(self, relpath):
        """Every dependency pyproject names is in each environment file, in a version it allows."""
        pins = by_name(env_pins(relpath))
        for name, (_, specifier) in by_name(pyproject()["project"]["dependencies"]).items():
            assert name in pins, f"{relpath} lacks {name}"
            (pin,) = pins[name][1]
            assert specifier.contains(pin.version, prereleases=True), f"{name} {pin} ∉ {specifier}"

    @pytest.mark.parametrize("relpath", ["pyproject.toml", *ENV_FILES])
    def test_moto_is_pinned_exactly(self, relpath):
        """moto is pinned with == everywhere, since labkit.fidelity relies on its internals."""
        if relpath == "pyproject.toml":
            deps = by_name(pyproject()["project"]["dependencies"])
        else:
            deps = by_name(pip_deps(load_env(relpath)))
        specs = list(deps["moto"][1])
        assert len(specs) == 1 and specs[0].operator == "==", f"moto is not pinned: {specs}"


class TestLockFiles:
    @pytest.mark.parametrize("name", LOCKS)
    def test_every_pin_has_hashes(self, name):
        """Every package in a lock file is pinned exactly and carries its hashes."""
        text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
        entries = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
        pinned = [e for e in entries if not e.startswith("#")]
        assert pinned, f"{name} pins nothing"
        for entry in pinned:
            assert "==" in entry.splitlines()[0], f"not an exact pin: {entry.splitlines()[0]}"
            assert "--hash=sha256:" in entry, f"no hash: {entry.splitlines()[0]}"

    @pytest.mark.parametrize("name", LOCKS)
    def test_lock_satisfies_pyproject(self, name):
        """Each lock holds every pyproject dependency (and its extras) in an allowed version."""
        project = pyproject()["project"]
        wanted = list(project["dependencies"])
        for extra in LOCKS[name]:
            wanted += project["optional-dependencies"][extra]
        pins = locked(name)
        for name_, (_, specifier) in by_name(wanted).items():
            assert name_ in pins, f"{name} lacks {name_}: run `make lock`"
            for version in pins[name_]:
                assert specifier.contains(version, prereleases=True), (
                    f"{name} pins {name_}=={version}, pyproject asks {specifier}: run `make lock`"
                )

    def test_shared_packages_have_one_version(self):
        """The test and site locks keep the lab lock's versions (made with it as a constraint)."""
        lab = locked("lab.lock.txt")
        for name in ("test.lock.txt", "site.lock.txt"):
            for package, versions in locked(name).items():
                if package in lab:
                    assert versions == lab[package], (
                        f"{name}: {package} {versions} ≠ {lab[package]}"
                    )

    def test_makefile_installs_from_the_locks(self):
        """make lab, test and site install from their lock, hashes required, then labkit alone."""
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        assert "--require-hashes --no-deps -r" in makefile
        for name in LOCKS:
            assert f"$(LOCKED_INSTALL) requirements/{name}" in makefile


class TestEnvironmentFiles:
    @pytest.mark.parametrize("relpath", ENV_FILES)
    def test_names_python_and_pip(self, relpath):
        """The file parses as YAML and asks conda for python and pip."""
        names = {conda_name(dep) for dep in conda_deps(load_env(relpath))}
        assert {"python", "pip"} <= names

    def test_binder_pins_a_python_that_pyproject_allows(self):
        """binder/environment.yml pins one Python version, inside requires-python."""
        (python,) = [d for d in conda_deps(load_env("binder/environment.yml")) if "python" in d]
        match = re.fullmatch(r"python=(\d+\.\d+)", python.replace(" ", ""))
        assert match, f"binder should pin python like python=3.11, found {python!r}"
        assert match.group(1) in SpecifierSet(pyproject()["project"]["requires-python"])

    def test_root_environment_installs_labkit(self):
        """environment.yml installs this repository itself, so the conda way needs no extra step."""
        assert "-e ." in pip_deps(load_env("environment.yml"))

    def test_binder_environment_leaves_labkit_to_postbuild(self):
        """binder/environment.yml installs no local path (repo2docker reads it before the repo)."""
        assert not [d for d in pip_deps(load_env("binder/environment.yml")) if d.startswith("-")]


class TestPostBuild:
    def test_is_a_bash_script_that_stops_on_error(self):
        """binder/postBuild starts with #!/bin/bash and has set -e."""
        lines = (ROOT / "binder/postBuild").read_text(encoding="utf-8").splitlines()
        assert lines[0] == "#!/bin/bash"
        assert "set -e" in (line.strip() for line in lines)

    def test_installs_labkit_from_the_repository(self):
        """binder/postBuild pip-installs this repository without changing pinned dependencies."""
        text = (ROOT / "binder/postBuild").read_text(encoding="utf-8")
        assert re.search(r"^pip install --no-deps (-e )?\.$", text, re.MULTILINE)

    def test_is_executable(self):
        """binder/postBuild has its executable bit, which repo2docker needs to run it."""
        assert os.access(ROOT / "binder/postBuild", os.X_OK)
