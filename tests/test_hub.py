"""A real JupyterHub for a class of three: deploy/bin/amilab-start, lessons, checks, the gradebook.

The hub (``jupyterhub`` with the npm ``configurable-http-proxy``, a test authenticator and a local
spawner with homes in a temporary folder) listens on 127.0.0.1 only. Each learner's server starts
through ``deploy/bin/amilab-start``, which pulls the course with nbgitpuller from a local git
repository and writes the learner edition into ``~/ami-lab``. Each learner then reads lesson 00
through the server's contents API and runs it cell by cell in a kernel over its websocket, as
JupyterLab does: alice answers the first exercise, bob both, carol neither. Their sandboxes and
progress files stay apart, an update of the course reaches them without overwriting their work, and
``labkit gradebook`` over their homes reports exactly what each did.

Skipped (with the reason) only when configurable-http-proxy is not installed and CI is not set; in
CI (``CI=true``) a missing proxy fails the test. benchmarks/hub_session.py drives the hub.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import hub_session  # noqa: E402 - benchmarks/ is a folder of scripts, not a package
from hub_session import Hub, Kernel, code_cells, git, read_notebook  # noqa: E402

from labkit.tools import cli  # noqa: E402
from labkit.tools.gradebook import course_exercises  # noqa: E402

LESSON = "00-welcome.ipynb"
ANSWERS = {  # which exercises each learner answers (with the instructor edition's solution cell)
    "alice": {"welcome-find-image"},
    "bob": {"welcome-find-image", "welcome-launch"},
    "carol": set(),
}
# The solution cell that answers each exercise: the cell just before the check cell that names it.


def require_proxy() -> None:
    if hub_session.proxy_command() is None:
        reason = (
            "configurable-http-proxy is not installed "
            "(apt-get install nodejs npm && npm install -g configurable-http-proxy)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; .ci/run installs it, so CI must have it")
        pytest.skip(reason)


def instructor_cells() -> list[tuple[str, str, list[str]]]:
    return code_cells(json.loads((ROOT / "notebooks" / LESSON).read_text(encoding="utf-8")))


def solution_for(cells: list[tuple[str, str, list[str]]]) -> dict[str, str]:
    """Map each exercise ID to the ID of the solution cell (tagged) just before its check cell."""
    found = {}
    for (cell_id, _, tags), (_, next_source, _) in zip(cells, cells[1:], strict=False):
        if "solution" in tags and 'lab.check("' in next_source:
            found[next_source.split('lab.check("', 1)[1].split('"', 1)[0]] = cell_id
    return found


def work_through_lesson(hub: Hub, name: str) -> dict:
    """``name`` reads lesson 00 from their server and runs it cell by cell, answering the exercises
    in ANSWERS[name] with the instructor edition's solution cell; then counts their instances."""
    instructor = instructor_cells()
    solutions = {cell_id: source for cell_id, source, _ in instructor}
    cells = code_cells(read_notebook(hub, name, f"ami-lab/{LESSON}"))
    answer_cells = {solution_for(instructor)[e] for e in ANSWERS[name]}
    assert answer_cells <= {cell_id for cell_id, _, _ in cells}
    kernel = Kernel(hub, name)
    try:
        outputs = []
        for cell_id, source, _ in cells:
            outputs.append(
                kernel.execute(solutions[cell_id] if cell_id in answer_cells else source)
            )
        count = kernel.execute(
            "print(sum(len(r['Instances']) for r in ec2_eu.describe_instances()['Reservations']))"
        )
        return {"outputs": outputs, "instances": int(count["text"])}
    finally:
        kernel.close()


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """A hub with three learners who have each run lesson 00 their way; yields (hub, results)."""
    require_proxy()
    folder = tmp_path_factory.mktemp("classroom")
    course = hub_session.course_repository(folder / "course")
    hub = Hub.start(folder / "hub", course)
    try:
        for name in ANSWERS:
            hub.add_user(name)
        for name in ANSWERS:
            hub.request_server(name)
        for name in ANSWERS:
            hub.start_server(name)
        # The three work at the same time, each in a kernel of their own.
        with ThreadPoolExecutor(max_workers=len(ANSWERS)) as pool:
            runs = {name: pool.submit(work_through_lesson, hub, name) for name in ANSWERS}
            results = {name: run.result() for name, run in runs.items()}
        yield hub, course, results
    finally:
        hub.stop()


def test_each_server_got_the_learner_edition_through_nbgitpuller(classroom):
    """amilab-start pulled the course into ~/.amilab/course and released it into ~/ami-lab."""
    hub, _, _ = classroom
    for name in ANSWERS:
        home = hub.home(name)
        assert (home / ".amilab" / "course" / ".git").is_dir()
        lesson = (home / "ami-lab" / LESSON).read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in lesson and "my_image_id = ..." in lesson


def test_every_cell_ran_and_checks_answered_for_what_each_did(classroom):
    """No cell errored; each check said ✅ exactly for the exercises that learner answered."""
    _, _, results = classroom
    for name, answers in ANSWERS.items():
        outputs = results[name]["outputs"]
        assert [o["error"] for o in outputs if o["status"] != "ok"] == [], name
        verdicts = {
            text.split(":")[0].split(" ", 1)[1]: text.startswith("✅")
            for text in (o["text"] for o in outputs)
            if text.startswith(("✅ welcome-", "❌ welcome-"))
        }
        assert verdicts == {e: e in answers for e in ("welcome-find-image", "welcome-launch")}


def test_sandboxes_stay_apart(classroom):
    """Only bob launched an instance; alice's and carol's sandboxes do not see it."""
    _, _, results = classroom
    counts = {name: results[name]["instances"] for name in ANSWERS}
    assert counts["bob"] == counts["carol"] + 1
    assert counts["alice"] == counts["carol"]


def test_progress_stays_in_each_home(classroom):
    """Each learner's ~/.amilab/progress.json holds their own passes and nobody else's."""
    hub, _, _ = classroom
    for name, answers in ANSWERS.items():
        path = hub.home(name) / ".amilab" / "progress.json"
        passed = set(json.loads(path.read_text())["exercises"]) if path.exists() else set()
        assert passed == answers, name


def test_a_learner_cannot_reach_another_learners_server(classroom):
    """alice's token opens her own server's API and is refused on bob's."""
    hub, _, _ = classroom
    assert hub.api("GET", "/user/alice/api/status", token=hub.users["alice"])
    with pytest.raises(hub_session.HubError, match="HTTP 403"):
        hub.api("GET", "/user/bob/api/contents/ami-lab", token=hub.users["alice"])


def test_the_gradebook_over_their_homes_reports_what_each_did(classroom, tmp_path, capsys):
    """`labkit gradebook HOMES` gives one row each, 1 exactly where each learner passed."""
    hub, _, _ = classroom
    out = tmp_path / "gradebook.csv"
    assert cli.main(["gradebook", str(hub.homes), "--csv", str(out)]) == 0
    rows = {row["learner"]: row for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert set(rows) == set(ANSWERS)
    exercise_columns = [e.id for e in course_exercises()]
    assert set(exercise_columns) <= set(rows["alice"])
    for name, answers in ANSWERS.items():
        assert {c for c in exercise_columns if rows[name][c] == "1"} == answers, name
        assert rows[name]["passed"] == str(len(answers))
    assert "3 learners, 0 files skipped" in capsys.readouterr().out


def test_an_update_reaches_learners_without_overwriting_their_work(classroom):
    """The instructor changes a lesson and adds a file; alice saved her own 00; she updates."""
    hub, course, _ = classroom
    token = hub.users["alice"]
    # alice saves her lesson 00 with a note of her own, as JupyterLab's save does.
    model = hub.api("GET", f"/user/alice/api/contents/ami-lab/{LESSON}?content=1", token=token)
    notebook = model["content"]
    notebook["cells"].append({"cell_type": "markdown", "id": "mine", "metadata": {},
                              "source": "alice's own notes"})  # fmt: skip
    hub.api("PUT", f"/user/alice/api/contents/ami-lab/{LESSON}",
            {"type": "notebook", "format": "json", "content": notebook}, token=token)  # fmt: skip
    # The instructor publishes a change to lesson 01 and to lesson 00.
    for name, line in (("01-why-amis.ipynb", "Updated for today's class."), (LESSON, "Errata.")):
        path = course / "notebooks" / name
        lesson = json.loads(path.read_text(encoding="utf-8"))
        lesson["cells"][0]["source"] = [*lesson["cells"][0]["source"], f"\n\n{line}"]
        path.write_text(json.dumps(lesson, indent=1) + "\n", encoding="utf-8")
    git(course, "commit", "-q", "-am", "Lesson 01 updated")
    # alice runs the update from her kernel (as she would from a terminal).
    kernel = Kernel(hub, "alice")
    try:
        done = kernel.execute(
            "import subprocess\n"
            f"run = subprocess.run([{str(ROOT / 'deploy' / 'bin' / 'amilab-update')!r}],"
            " capture_output=True, text=True)\n"
            "print(run.returncode, run.stdout, run.stderr)"
        )
    finally:
        kernel.close()
    assert done["status"] == "ok" and done["text"].startswith("0 "), done
    lessons = hub.home("alice") / "ami-lab"
    assert "Updated for today's class." in (lessons / "01-why-amis.ipynb").read_text()
    mine = (lessons / LESSON).read_text()
    assert "alice's own notes" in mine and "Errata." not in mine
    assert "kept" in done["text"]  # labkit release names the lesson it kept
