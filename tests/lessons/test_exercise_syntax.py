"""Every form an exercise needs is shown before the exercise (issue 20, "Syntax asked before it is
shown"): each exercise's worked solution uses only API names and parameter keys that appear in the
cells above it, as the learner edition shows them (earlier solutions are taken out there, so they
do not count).

What is read from the solution (between BEGIN and END SOLUTION), with Python's ``ast``:

- **API names**: the method of every call ``x.method(...)`` whose name is an operation of a service
  the lessons use (``describe_images``), or a client's own ``get_waiter``/``get_paginator``.
  Other methods are Python's or the lab's (``max``, ``dict.get``, ``lab.client``, ``lab.check``,
  ``lab.ids``, ``waiter.wait``) and are not asked about: they are Python, or the lab's helpers that
  the setup cell shows.
- **Parameter keys**: the keyword arguments of those API calls and of ``dict(...)``, and the string
  keys of dict literals that start with a capital letter (AWS's parameters are CamelCase:
  ``{"Group": "all"}``, ``{"Name": "name", "Values": [...]}``). Lower-case dict keys are the
  learner's own data, not parameters.
- **CLI forms**: in a ``%aws``/``!aws`` line, the command (``create-tags``) and each ``--option``.

Where each may appear above: in a code cell (the same extraction, plus the cell's words), or in a
markdown cell's code spans (`` `NoDevice` ``, a fenced block). A form may also be *linked*: when a
markdown cell above links another lesson (``[lesson 2](02-create-an-ami.ipynb)``), what that
lesson shows outside its solutions counts as shown (the capstone leans on earlier lessons so).
"""

from __future__ import annotations

import ast
import json
import re
from functools import cache

import botocore.session
import pytest
from botocore import xform_name
from lesson_cells import LESSONS, Exercise, exercises, lesson_cases

from labkit.tools.release import learner_notebook

#: The services the lessons make clients for (grep ``lab.client("...")`` in notebooks/).
SERVICES = ("ec2", "kms", "rbin", "s3", "ssm", "sts", "dlm", "organizations", "iam")
CLIENT_METHODS = {"get_waiter", "get_paginator"}
_CODE_SPAN = re.compile(r"```.*?```|`[^`\n]+`", re.S)
_CLI_LINE = re.compile(r"^\s*[%!]+aws\b(?P<rest>.*)$", re.M)
_MAGIC_LINE = re.compile(r"^\s*[%!].*$", re.M)
_LESSON_LINK = re.compile(r"\]\((?P<name>[0-9][0-9]-[\w-]+\.ipynb)\)")

#: Lessons another helper is bringing in line in parallel (wave 2): each is expected to fail until
#: its branch is merged; the lead removes a lesson from here once it passes (strict xfail says so).
NOT_YET_IN_LINE: dict[str, str] = {}


@cache
def api_names() -> frozenset[str]:
    session = botocore.session.get_session()
    available = set(session.get_available_services())
    names = set(CLIENT_METHODS)
    for service in SERVICES:
        if service in available:
            model = session.get_service_model(service)
            names.update(xform_name(op) for op in model.operation_names)
    return frozenset(names)


def _python(source: str) -> ast.AST | None:
    """The source's syntax tree without its IPython lines (magics, shell escapes)."""
    try:
        return ast.parse(_MAGIC_LINE.sub("", source))
    except SyntaxError:
        return None


def forms_used(source: str) -> set[str]:
    """API names, parameter keys and CLI forms a piece of code uses (see the module's doc)."""
    used: set[str] = set()
    tree = _python(source)
    if tree is not None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                api = isinstance(func, ast.Attribute) and func.attr in api_names()
                if api:
                    used.add(func.attr)
                if api or (isinstance(func, ast.Name) and func.id == "dict"):
                    used.update(k.arg for k in node.keywords if k.arg)
            elif isinstance(node, ast.Dict):
                for key in node.keys:
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        if key.value[:1].isupper():
                            used.add(key.value)
    for line in _CLI_LINE.finditer(source):
        words = [w for w in line["rest"].split() if not w.startswith("{")]
        used.update(w for w in words if w.startswith("--"))
        commands = [w for w in words if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", w)]
        used.update(commands[:1])
    return used


def forms_shown(cells: list[dict], follow_links: bool = True) -> set[str]:
    """Everything the given cells show: code cells' forms and words, markdown code spans' words,
    and (one level deep) what the lessons their markdown links to show outside solutions."""
    shown: set[str] = set()
    for cell in cells:
        if follow_links and cell["cell_type"] == "markdown":
            for link in _LESSON_LINK.finditer(cell["source"]):
                shown |= _lesson_shows(link["name"])
        source = cell["source"]
        if cell["cell_type"] == "code":
            shown |= forms_used(source)
            shown.update(re.findall(r"--[a-z0-9-]+|[A-Za-z_][\w-]*", source))
        elif cell["cell_type"] == "markdown":
            for span in _CODE_SPAN.findall(source):
                shown.update(re.findall(r"--[a-z0-9-]+|[A-Za-z_][\w-]*", span))
    return shown


@cache
def _lesson_shows(name: str) -> frozenset[str]:
    """What a whole lesson shows a learner (its learner edition, solutions taken out)."""
    path = next((p for p in LESSONS if p.name == name), None)
    if path is None:
        return frozenset()
    edition = learner_notebook(json.loads(path.read_text()), path.name)["cells"]
    cells = [dict(c, source=_text(c)) for c in edition]
    return frozenset(forms_shown(cells, follow_links=False))


def _text(cell: dict) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


@pytest.mark.parametrize("path", lesson_cases(NOT_YET_IN_LINE))
def test_every_exercise_uses_only_forms_shown_above_it(path):
    missing = []
    for item in exercises(path):
        unseen = sorted(forms_used(item.solution) - forms_shown(item.above))
        if unseen:
            missing.append(f"cell {item.index}: {', '.join(unseen)}")
    assert not missing, f"{path.name}: solutions use forms no cell above shows: {missing}"


class TestTheExtraction:
    """The test reads what it should: API names, parameter keys, CLI forms; nothing else."""

    def test_api_calls_and_their_keys(self):
        used = forms_used(
            'ec2.modify_image_attribute(ImageId=x, LaunchPermission={"Add": [{"Group": "all"}]})'
        )
        assert used == {"modify_image_attribute", "ImageId", "LaunchPermission", "Add", "Group"}

    def test_python_and_lab_helpers_are_not_asked_about(self):
        used = forms_used('best = max(images, key=lambda i: i["CreationDate"])\nlab.client("ec2")')
        assert used == set()

    def test_lower_case_dict_keys_are_data(self):
        assert forms_used('{"name": 1, "Name": 2}') == {"Name"}

    def test_cli_command_and_options(self):
        used = forms_used("%aws ec2 create-tags --resources {image_id} --tags Key=A,Value=1")
        assert used == {"create-tags", "--resources", "--tags"}

    def test_markdown_code_spans_show_forms_prose_does_not(self):
        cells = [{"cell_type": "markdown", "source": "Use `NoDevice`; NoReboot is prose."}]
        assert "NoDevice" in forms_shown(cells) and "NoReboot" not in forms_shown(cells)

    def test_a_linked_lesson_shows_what_it_shows(self):
        cells = [{"cell_type": "markdown", "source": "As in [lesson 2](02-create-an-ami.ipynb)."}]
        assert {"create_image", "NoReboot"} <= forms_shown(cells)
        assert "create_image" not in forms_shown(cells, follow_links=False)

    def test_an_earlier_solution_does_not_count(self):
        """The learner edition takes solutions out: what only a solution showed is not shown."""
        lesson = LESSONS[0]
        items: list[Exercise] = exercises(lesson)
        assert len(items) >= 2
        later = items[1]
        assert all("### BEGIN SOLUTION" not in c["source"] for c in later.above)
