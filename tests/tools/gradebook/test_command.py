"""`labkit gradebook`: the subcommand's outputs, messages and exit statuses."""

from __future__ import annotations

from labkit.tools import cli

WELCOME = {"welcome-find-image": "00-welcome"}


def test_writes_both_files_and_summarises(home, tmp_path, capsys):
    home("alice", WELCOME)
    home("bob", {})
    out_csv, out_html = tmp_path / "g.csv", tmp_path / "g.html"
    status = cli.main(
        ["gradebook", str(tmp_path / "home"), "--csv", str(out_csv), "--html", str(out_html)]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "alice: 1 of" in out and "bob: 0 of" in out
    assert f"wrote {out_csv}" in out and f"wrote {out_html}" in out
    assert out_csv.read_text().count("\n") == 3


def test_bad_files_are_reported_on_stderr_and_not_fatal(home, tmp_path, capsys):
    home("alice", WELCOME)
    (tmp_path / "home" / "zed.json").write_text("[]")
    assert cli.main(["gradebook", str(tmp_path / "home")]) == 0
    err = capsys.readouterr().err
    assert "skipped" in err and "zed.json" in err


def test_no_learner_found_exits_1(tmp_path, capsys):
    assert cli.main(["gradebook", str(tmp_path)]) == 1
    assert "no progress files" in capsys.readouterr().err


def test_an_unwritable_output_exits_2(home, tmp_path, capsys):
    home("alice", WELCOME)
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert cli.main(["gradebook", str(tmp_path / "home"), "--csv", str(blocker / "x.csv")]) == 2
    assert "cannot write" in capsys.readouterr().err
