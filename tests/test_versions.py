"""labkit.versions: other moto or botocore versions are refused with what to install."""

from __future__ import annotations

import warnings

import pytest

from labkit import versions


@pytest.fixture
def installed(monkeypatch):
    """Pretend moto 5.2.5 and botocore 1.44.8 are pinned, and set what is installed."""
    monkeypatch.setattr(versions, "_exact_pins", lambda: {"moto": "5.2.5", "botocore": "1.44.8"})
    have = {"moto": "5.2.5", "botocore": "1.44.8"}
    monkeypatch.setattr(versions, "_installed", lambda name: have.get(name))
    monkeypatch.delenv(versions.DRIFT_VARIABLE, raising=False)
    return have


class TestRequirePinnedVersions:
    def test_the_pinned_versions_pass_quietly(self, installed):
        """With exactly the pinned versions nothing is raised or warned."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            versions.require_pinned_versions()

    def test_another_moto_is_refused_with_the_install_command(self, installed):
        """moto 5.2.1 installed: VersionMismatch names both versions and the pip command."""
        installed["moto"] = "5.2.1"
        with pytest.raises(versions.VersionMismatch) as caught:
            versions.require_pinned_versions()
        message = str(caught.value)
        assert "moto 5.2.1 is installed; labkit needs moto==5.2.5" in message
        assert "-m pip install 'moto==5.2.5'" in message
        assert "botocore==" not in message

    def test_a_missing_botocore_is_named(self, installed):
        """A pinned library that is not installed at all is said so."""
        del installed["botocore"]
        with pytest.raises(versions.VersionMismatch, match="botocore is not installed"):
            versions.require_pinned_versions()

    def test_drift_allowed_on_purpose_is_a_warning(self, installed, monkeypatch):
        """AMILAB_ALLOW_VERSION_DRIFT=1 (make upgrade-check) turns the refusal into a warning."""
        installed["botocore"] = "1.45.0"
        monkeypatch.setenv(versions.DRIFT_VARIABLE, "1")
        with pytest.warns(versions.VersionDriftWarning, match="botocore==1.44.8"):
            versions.require_pinned_versions()


class TestPins:
    def test_pins_come_from_the_installed_metadata(self):
        """The real pins are read from amilab's metadata: moto and botocore, exactly."""
        pins = versions._exact_pins()
        assert set(pins) == {"moto", "botocore"}
        assert versions.mismatches() == []  # this environment is the locked one
