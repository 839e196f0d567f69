"""``labkit.release`` as site/build.py imports it; the module is ``labkit.tools.release``."""

from __future__ import annotations

from .tools.release import *  # noqa: F403
from .tools.release import BEGIN, END, SOLUTION_TAG, __all__, learner_notebook  # noqa: F401
