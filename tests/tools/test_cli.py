"""The `labkit` command: release, doctor and progress, with exit statuses a script can rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from labkit.tools import cli, doctor
from labkit.tools.doctor import ERROR, OK, WARN, Finding

ROOT = Path(__file__).resolve().parents[2]


class TestRelease:
    def test_writes_the_learner_edition(self, tmp_path, capsys):
        """`labkit release notebooks DEST` exits 0 and reports each lesson written."""
        assert cli.main(["release", str(ROOT / "notebooks"), str(tmp_path / "learner")]) == 0
        out = capsys.readouterr().out
        assert f"wrote {tmp_path / 'learner' / '00-welcome.ipynb'}" in out
        assert "Learner edition of" in out
        assert (tmp_path / "learner" / "00-welcome.ipynb").is_file()

    def test_a_second_run_says_nothing_changed(self, tmp_path, capsys):
        """Run twice, the second run writes nothing."""
        cli.main(["release", str(ROOT / "notebooks"), str(tmp_path)])
        capsys.readouterr()
        assert cli.main(["release", str(ROOT / "notebooks"), str(tmp_path)]) == 0
        assert "wrote" not in capsys.readouterr().out

    def test_force_replaces_changed_notebooks(self, tmp_path, capsys):
        """--force replaces a notebook the learner changed."""
        cli.main(["release", str(ROOT / "notebooks"), str(tmp_path)])
        (tmp_path / "00-welcome.ipynb").write_text("mine")
        assert cli.main(["release", str(ROOT / "notebooks"), str(tmp_path)]) == 0
        assert "kept" in capsys.readouterr().out
        assert cli.main(["release", "--force", str(ROOT / "notebooks"), str(tmp_path)]) == 0
        assert (tmp_path / "00-welcome.ipynb").read_text() != "mine"

    def test_a_missing_source_exits_2_with_a_message(self, tmp_path, capsys):
        """A missing SRC: exit status 2 and the reason on stderr."""
        assert cli.main(["release", str(tmp_path / "nope"), str(tmp_path / "out")]) == 2
        err = capsys.readouterr().err
        assert err.startswith("labkit release: error: the instructor edition")
        assert "does not exist" in err

    def test_a_destination_inside_the_source_exits_2(self, tmp_path, capsys):
        """DEST inside SRC: exit status 2, nothing written."""
        (tmp_path / "nb").mkdir()
        (tmp_path / "nb" / "00-a.ipynb").write_text("{}")
        assert cli.main(["release", str(tmp_path / "nb"), str(tmp_path / "nb" / "out")]) == 2
        assert "would be inside" in capsys.readouterr().err
        assert not (tmp_path / "nb" / "out").exists()

    def test_unbalanced_markers_exit_2(self, tmp_path, capsys):
        """A solution that never closes: exit status 2, the cell named."""
        cell = {
            "cell_type": "code",
            "id": "abc",
            "metadata": {"tags": ["solution"]},
            "source": "### BEGIN SOLUTION\nx = 1",
            "outputs": [],
            "execution_count": None,
        }
        notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (tmp_path / "nb").mkdir()
        (tmp_path / "nb" / "00-a.ipynb").write_text(json.dumps(notebook))
        assert cli.main(["release", str(tmp_path / "nb"), str(tmp_path / "out")]) == 2
        assert "00-a.ipynb, cell 1 (id abc)" in capsys.readouterr().err

    def test_missing_arguments_are_a_usage_error(self, capsys):
        """`labkit release` without SRC and DEST is a usage error (exit 2)."""
        with pytest.raises(SystemExit) as exit_:
            cli.main(["release"])
        assert exit_.value.code == 2
        assert "usage: labkit release" in capsys.readouterr().err


class TestDoctor:
    @pytest.mark.parametrize(
        "statuses, code", [((OK, OK), 0), ((OK, WARN), 0), ((WARN, ERROR), 1)], ids=str
    )
    def test_exit_status_follows_the_worst_finding(self, monkeypatch, capsys, statuses, code):
        """Errors exit 1; warnings alone exit 0."""
        findings = [Finding(f"c{i}", status, "d", "fix") for i, status in enumerate(statuses)]
        monkeypatch.setattr(doctor, "run", lambda: findings)
        assert cli.main(["doctor"]) == code
        assert "AMI Lab doctor" in capsys.readouterr().out

    def test_ascii_option(self, monkeypatch, capsys):
        """--ascii prints OK/WARN/FAIL instead of emoji."""
        monkeypatch.setattr(doctor, "run", lambda: [Finding("Python", OK, "3.11")])
        cli.main(["doctor", "--ascii"])
        out = capsys.readouterr().out
        assert "OK   Python" in out and "✅" not in out


class TestProgress:
    def test_prints_the_course_map(self, tmp_path, monkeypatch, capsys):
        """`labkit progress` prints the map from AMILAB_PROGRESS."""
        monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "p.json"))
        assert cli.main(["progress"]) == 0
        assert capsys.readouterr().out.startswith("AMI Lab progress: 0 of ")

    def test_load_merges_a_file(self, tmp_path, monkeypatch, capsys):
        """--load FILE merges a downloaded file first."""
        monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "p.json"))
        saved = {
            "schema": "amilab-progress",
            "version": 1,
            "exercises": {"welcome-launch": {"last_passed": "2025-03-03T09:00:00+00:00"}},
        }
        (tmp_path / "down.json").write_text(json.dumps(saved))
        assert cli.main(["progress", "--load", str(tmp_path / "down.json")]) == 0
        assert "AMI Lab progress: 1 of " in capsys.readouterr().out

    def test_a_bad_file_is_set_aside_with_a_warning(self, tmp_path, monkeypatch, capsys):
        """A progress file that is not progress: kept aside, the reason said, an empty map."""
        (tmp_path / "p.json").write_text("[]")
        monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "p.json"))
        with pytest.warns(UserWarning, match="is not an AMI Lab progress file"):
            assert cli.main(["progress"]) == 0
        assert "AMI Lab progress: 0 of " in capsys.readouterr().out
        assert [p.name.startswith("p.json.damaged-") for p in tmp_path.iterdir()] == [True]

    def test_a_bad_file_to_load_exits_2(self, tmp_path, monkeypatch, capsys):
        """--load of a file that is not progress: exit 2 and the reason."""
        (tmp_path / "down.json").write_text("[]")
        monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "p.json"))
        assert cli.main(["progress", "--load", str(tmp_path / "down.json")]) == 2
        assert "is not an AMI Lab progress file" in capsys.readouterr().err


class TestEntryPoints:
    def test_python_dash_m_labkit(self):
        """`python -m labkit --help` lists the subcommands."""
        done = subprocess.run(
            [sys.executable, "-m", "labkit", "--help"], capture_output=True, text=True, check=True
        )
        assert all(name in done.stdout for name in ("release", "doctor", "progress"))

    def test_no_subcommand_is_a_usage_error(self, capsys):
        """`labkit` alone prints usage and exits 2."""
        with pytest.raises(SystemExit) as exit_:
            cli.main([])
        assert exit_.value.code == 2
