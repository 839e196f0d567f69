"""deploy/: the Zero to JupyterHub config against the chart's schema, TLJH's files, the scripts.

The schema is the chart's own (deploy/zero-to-jupyterhub/values.schema.yaml, version 4.4.0), read
offline. Helm validates the chart's defaults merged with config.yaml, so ``required`` keys are the
defaults' business; everything else (unknown keys, wrong types, enums) is checked here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
Z2JH = DEPLOY / "zero-to-jupyterhub"
TLJH = DEPLOY / "tljh"
CHART_VERSION = "4.4.0"

sys.path.insert(0, str(ROOT / "benchmarks"))
import hub_session  # noqa: E402 - benchmarks/ is a folder of scripts, not a package


def schema() -> dict:
    return yaml.safe_load((Z2JH / "values.schema.yaml").read_text(encoding="utf-8"))


def config() -> dict:
    return yaml.safe_load((Z2JH / "config.yaml").read_text(encoding="utf-8"))


def _no_required(validator, required, instance, schema):  # noqa: ARG001
    return iter(())


# Draft 7, as the schema declares, with `required` left to the chart's defaults.
PartialValues = jsonschema.validators.extend(
    jsonschema.Draft7Validator, validators={"required": _no_required}
)


def errors(values: dict) -> list[str]:
    found = PartialValues(schema()).iter_errors(values)
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


class TestZeroToJupyterHub:
    def test_the_schema_copy_names_its_version(self):
        header = (Z2JH / "values.schema.yaml").read_text(encoding="utf-8").splitlines()[:5]
        assert any(f"version {CHART_VERSION}" in line for line in header)
        assert schema()["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert f"--version {CHART_VERSION}" in (Z2JH / "config.yaml").read_text()

    def test_config_is_valid_against_the_charts_schema(self):
        assert errors(config()) == []

    def test_the_validation_catches_a_misspelt_key(self):
        values = config()
        values["singleuser"]["memmory"] = values["singleuser"].pop("memory")
        assert any("memmory" in e for e in errors(values))

    def test_the_validation_catches_a_wrong_type(self):
        values = config()
        values["cull"]["timeout"] = "an hour"
        assert any(e.startswith("cull.timeout") for e in errors(values))

    def test_the_server_starts_with_amilab_start_and_opens_the_welcome_lesson(self):
        single = config()["singleuser"]
        assert single["cmd"] == "/srv/ami-lab/deploy/bin/amilab-start"
        assert single["defaultUrl"] == "/lab/tree/ami-lab/00-welcome.ipynb"
        assert {"AMILAB_REPO", "AMILAB_REF"} <= set(single["extraEnv"])
        assert config()["cull"]["enabled"] is True


def tljh_settings() -> dict[str, str]:
    text = (TLJH / "install.sh").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^([A-Z_]+)=([^\s$]+)$", text, re.MULTILINE))
    settings = {}
    for key, value in re.findall(r"^tljh-config set (\S+) (\S+)$", text, re.MULTILINE):
        value = value.strip('"')
        settings[key] = variables.get(value.lstrip("$"), value) if value.startswith("$") else value
    return settings


class TestLittlestJupyterHub:
    def test_limits_and_culler_agree_with_zero_to_jupyterhub(self):
        """One class, one sizing: TLJH's limits and culler are the Helm config's."""
        settings, values = tljh_settings(), config()
        assert settings["limits.memory"] == values["singleuser"]["memory"]["limit"]
        assert float(settings["limits.cpu"]) == values["singleuser"]["cpu"]["limit"]
        assert settings["services.cull.enabled"] == "true"
        assert int(settings["services.cull.timeout"]) == values["cull"]["timeout"]
        assert int(settings["services.cull.every"]) == values["cull"]["every"]

    def test_the_config_drop_in_sets_the_start_command(self):
        c = Config()
        namespace = {"get_config": lambda: c}
        exec((TLJH / "amilab.py").read_text(encoding="utf-8"), namespace)
        assert c.Spawner.cmd == ["/srv/ami-lab/deploy/bin/amilab-start"]
        assert c.Spawner.default_url == "/lab/tree/ami-lab/00-welcome.ipynb"
        assert c.Spawner.environment["AMILAB_REPO"] == namespace["COURSE_REPO"]

    def test_install_fills_in_the_repository(self, tmp_path):
        """install.sh's sed lines turn the drop-in's placeholders into the course's URL."""
        text = (TLJH / "install.sh").read_text(encoding="utf-8")
        (command,) = re.findall(r"^sed .*?amilab\.py\"", text, re.MULTILINE | re.DOTALL)
        command = command.replace('"$COURSE_DIR/deploy/tljh/amilab.py"', str(TLJH / "amilab.py"))
        done = subprocess.run(
            ["bash", "-c", command],
            env={**os.environ, "COURSE_REPO": "https://example.invalid/c", "COURSE_BRANCH": "b1"},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert 'COURSE_REPO = "https://example.invalid/c"' in done.stdout
        assert 'COURSE_BRANCH = "b1"' in done.stdout

    def test_the_requirements_are_the_lock(self):
        """install.sh installs the lab lock (Binder's versions), hashes checked, then labkit."""
        text = (TLJH / "install.sh").read_text(encoding="utf-8")
        assert (
            "/opt/tljh/user/bin/pip install --require-hashes --no-deps -r "
            '"$COURSE_DIR/requirements/lab.lock.txt"'
        ) in text
        assert (ROOT / "requirements" / "lab.lock.txt").is_file()


class TestStartScripts:
    @pytest.mark.parametrize("name", ["amilab-start", "amilab-update", "../tljh/install.sh"])
    def test_is_executable_bash(self, name):
        path = DEPLOY / "bin" / name
        assert os.access(path, os.X_OK)
        assert path.read_text().startswith("#!/bin/bash")
        subprocess.run(["bash", "-n", str(path)], check=True)

    def run_update(self, home: Path, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(DEPLOY / "bin" / "amilab-update")],
            env={"PATH": os.environ["PATH"], "HOME": str(home), "AMILAB_PYTHON": sys.executable,
                 **env},
            capture_output=True, text=True,
        )  # fmt: skip

    def test_update_pulls_and_releases_then_keeps_the_learners_lesson(self, tmp_path):
        course = hub_session.course_repository(tmp_path / "course")
        home = tmp_path / "home"
        first = self.run_update(home, AMILAB_REPO=str(course))
        assert first.returncode == 0, first.stderr
        lesson = home / "ami-lab" / "00-welcome.ipynb"
        assert "BEGIN SOLUTION" not in lesson.read_text()
        lesson.write_text(lesson.read_text().replace("my_image_id = ...", "my_image_id = 'x'"))
        page = course / "notebooks" / "01-why-amis.ipynb"
        notebook = json.loads(page.read_text())
        notebook["cells"][0]["source"] = ["# Changed today\n"]
        page.write_text(json.dumps(notebook))
        hub_session.git(course, "commit", "-q", "-am", "change")
        second = self.run_update(home, AMILAB_REPO=str(course))
        assert second.returncode == 0, second.stderr
        assert "my_image_id = 'x'" in lesson.read_text()
        assert "# Changed today" in (home / "ami-lab" / "01-why-amis.ipynb").read_text()

    def test_an_unreachable_repository_keeps_the_lessons_there_are(self, tmp_path):
        course = hub_session.course_repository(tmp_path / "course")
        home = tmp_path / "home"
        assert self.run_update(home, AMILAB_REPO=str(course)).returncode == 0
        again = self.run_update(home, AMILAB_REPO=str(tmp_path / "gone"))
        assert "could not pull" in again.stderr
        assert (home / "ami-lab" / "00-welcome.ipynb").is_file()

    def test_without_a_repository_it_says_what_to_set(self, tmp_path):
        done = self.run_update(tmp_path)
        assert done.returncode == 1 and "set AMILAB_REPO" in done.stderr
