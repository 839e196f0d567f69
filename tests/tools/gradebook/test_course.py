"""labkit/tools/gradebook/course.py: the exercises, read from source, are exactly labkit.checks'."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from labkit.checks import exercises
from labkit.tools.gradebook import course


def test_equals_the_registry_in_course_order():
    """IDs, lessons and titles equal exercises(), ordered by lesson as the course map is."""
    registered = sorted(exercises(), key=lambda e: e.lesson)
    assert [(e.id, e.lesson, e.title) for e in course.course_exercises()] == [
        (e.id, e.lesson, e.title) for e in registered
    ]


def test_starts_with_the_welcome_lesson():
    first = course.course_exercises()[0]
    assert (first.id, first.lesson) == ("welcome-find-image", "00-welcome")


def test_reads_constants_imports_and_fstrings(tmp_path):
    """A module constant, a constant from a sibling module and an f-string title all resolve."""
    (tmp_path / "_shared.py").write_text('NAME = "gold"\n')
    (tmp_path / "lesson.py").write_text(
        "from ._shared import NAME\n"
        'LESSON = "03-x"\n'
        '@exercise("x-two", lesson=LESSON, title=f"Make {NAME}")\n'
        "def two(sandbox): ...\n"
        '@exercise("x-one", lesson="02-y", title="A" + "B")\n'
        "def one(sandbox): ...\n"
    )
    found = course.read_exercises(tmp_path)
    assert [(e.id, e.lesson, e.title) for e in found] == [
        ("x-one", "02-y", "AB"),
        ("x-two", "03-x", "Make gold"),
    ]


def test_an_id_it_cannot_read_is_named(tmp_path):
    """An ID computed at run time raises ValueError naming the module and line."""
    (tmp_path / "lesson.py").write_text(
        '@exercise(make_id(), lesson="00-a", title="t")\ndef check(sandbox): ...\n'
    )
    with pytest.raises(ValueError, match=r"lesson\.py line 1"):
        course.read_exercises(tmp_path)


def test_the_package_imports_only_the_standard_library():
    """The gradebook imports nothing but the standard library and itself (no moto, no boto3)."""
    folder = Path(course.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                assert node.level == 1, f"{path.name} imports from outside labkit/tools/gradebook"
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = (
                    [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                )
                for name in names:
                    top = name.split(".")[0]
                    assert top == "__future__" or top in sys.stdlib_module_names, (
                        f"{path.name} imports {name}"
                    )
