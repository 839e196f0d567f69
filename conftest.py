"""For every test run: a throwaway progress file, so tests never touch a learner's own progress; and
nbval's run of every lesson, sealed.

Lessons call ``lab.check``, which records passes (``labkit/progress.py``); nbval's kernels and the
notebook runner's inherit this process's environment, so they write there too.

nbval's kernels start sealed (``tests/notebook_runner.py``'s ``sealed_kernel``): AWS keys and a
profile in their environment and in credentials files, and a guard inside that refuses and logs any
lookup or connection beyond loopback and any read of those files. A cell after which the guard has
logged anything fails, naming it. No extra run: the notebooks run once under nbval, as before.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

_RUNNER = Path(__file__).resolve().parent / "tests" / "notebook_runner.py"


def pytest_configure(config):
    folder = tempfile.mkdtemp(prefix="amilab-test-progress-")
    config._amilab_progress_folder = folder
    os.environ["AMILAB_PROGRESS"] = os.path.join(folder, "progress.json")


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_amilab_progress_folder", ""), ignore_errors=True)


def _notebook_runner():
    """tests/notebook_runner.py (this file is above tests/, which is not a package)."""
    if "notebook_runner" in sys.modules:
        return sys.modules["notebook_runner"]
    spec = importlib.util.spec_from_file_location("notebook_runner", _RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["notebook_runner"] = module  # one module, whoever imports it next
    spec.loader.exec_module(module)
    return module


def _nbval_file(item: pytest.Item):
    """The notebook (nbval's collector) an item is a cell of, or None for any other test."""
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:
        return None
    return item.parent if isinstance(item, IPyNbCell) else None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """nbval starts a notebook's kernel in its first cell's setup: start it sealed."""
    notebook = _nbval_file(item)
    if notebook is None or getattr(notebook, "kernel", None) is not None:
        return (yield)
    runner = _notebook_runner()
    folder = Path(tempfile.mkdtemp(prefix="sealed-", dir=item.config._amilab_progress_folder))
    notebook._amilab_sealed = (runner, folder, [])
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(runner.sealed_kernel(folder))
    try:
        return (yield)
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A notebook cell during which the kernel's guard logged a way out fails, naming it."""
    result = yield
    sealed = getattr(_nbval_file(item), "_amilab_sealed", None)
    if sealed is not None:
        runner, folder, reported = sealed
        leaks = runner.kernel_leaks(folder)[len(reported) :]
        reported.extend(leaks)
        assert leaks == [], f"the notebook reached outside this machine: {leaks}"
    return result
