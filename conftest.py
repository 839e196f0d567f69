"""For every test run: a throwaway progress file, so tests never touch a learner's own progress.

Lessons call ``lab.check``, which records passes (``labkit/progress.py``); nbval's kernels and the
notebook runner's inherit this process's environment, so they write there too.
"""

from __future__ import annotations

import os
import shutil
import tempfile


def pytest_configure(config):
    folder = tempfile.mkdtemp(prefix="amilab-test-progress-")
    config._amilab_progress_folder = folder
    os.environ["AMILAB_PROGRESS"] = os.path.join(folder, "progress.json")


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_amilab_progress_folder", ""), ignore_errors=True)
