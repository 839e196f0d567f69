"""Errors a beginner can read: AWS's own error, untouched, with the lab's explanation beside it.

While a ``Lab`` runs in IPython, a ``ClientError`` (AWS said no) or ``ParamValidationError``
(botocore stopped the call before sending it) raised from a learner's cell is shown as a short box:
AWS's code and message exactly as AWS sends them, the call that failed, and — where the lab knows
the code in that context — a sentence or two on what it means and what to look at. The explanation
is never written into the error's text. The full traceback is one click away in the box, and
``%tb`` prints it. Outside IPython nothing changes.

The explanations live in one table per kind of error (``aws_errors``, ``param_errors``), each entry
tested like a check: the real error is caused in a sandbox and the explanation must fit it.
"""

from __future__ import annotations

from .context import FailedCall, failed_call
from .display import ErrorBox, install, installed, uninstall
from .explanations import Explanation, explain

__all__ = [
    "ErrorBox",
    "Explanation",
    "FailedCall",
    "explain",
    "failed_call",
    "install",
    "installed",
    "uninstall",
]
