"""The public API as a table: every public function, class and widget, and what each parameter
takes. The property test (test_public_api_inputs.py) gives every parameter hostile values and
checks the answer against this table; test_every_public_name_is_listed keeps the table complete.

A *kind* says which values a parameter takes. A call with a value of the wrong kind must be
refused with a ValueError or TypeError naming the parameter; a call with a value of the right
kind may still be refused (an ID the estate does not have), but only in words.
"""

from __future__ import annotations

from typing import Any

from api_kinds import (
    ACCOUNT_NAME,
    AXES,
    COSTS,
    EXERCISE_ID,
    FLAG,
    IDS,
    LAB,
    LAB_REGION,
    LESSON,
    PATH,
    PROGRESS,
    SERIES,
    TABLE,
    TEXT,
    VISIBLE_IMAGE,
    Kind,
    Spec,
    choice,
    optional,
    usd,
)
from api_pricing import PRICING_SPECS

from labkit import ACCOUNTS, REGIONS, Lab
from labkit.checks import exercises
from labkit.progress import SCHEMA, VERSION
from labkit.widgets.image_browser import SHOW

LEARNER, PARTNER = ACCOUNTS["learner"], ACCOUNTS["partner"]


# -- the table -----------------------------------------------------------------------------------


SPECS: dict[str, Spec] = {
    **PRICING_SPECS,
    # labkit: the lab and progress
    "labkit.Lab": Spec(
        lambda _c: Lab,
        {"lesson": LESSON, "quiet": FLAG},
        {"lesson": "03-copy-across-regions", "quiet": True},
        refused_only=True,
    ),
    "labkit.Lab.install": Spec(
        lambda c: c.lab.install,
        {
            "instance_id": TEXT,
            "packages": Kind("package names", lambda v, _: isinstance(v, str) and bool(v)),
            "region": optional(LAB_REGION),
            "account": choice(*ACCOUNTS, *ACCOUNTS.values()),
        },
        {
            "instance_id": lambda c: c.instance_id,
            "packages": "git",
            "region": None,
            "account": "learner",
        },
        call=lambda c, a: c.lab.install(
            a["instance_id"], a["packages"], region=a["region"], account=a["account"]
        ),
    ),
    "labkit.Lab.check": Spec(
        lambda c: c.lab.check,
        # Checks never raise: any exercise gets a CheckResult, ✅ only for a real exercise done.
        {"exercise": Kind("anything: ❌ in words unless it is an exercise", lambda v, _: True)},
        {"exercise": "welcome-find-image"},
        answer=lambda a, _c, args: _not_passed(a, args),
    ),
    "labkit.Lab.hint": Spec(
        lambda c: c.lab.hint,
        {"exercise": Kind("anything: a hint, or words saying there is none", lambda v, _: True)},
        {"exercise": "welcome-find-image"},
        answer=lambda a, _c, _args: None if isinstance(a, str) and a else _fail(a),
    ),
    "labkit.progress": Spec(
        lambda _c: __import__("labkit").progress,
        {"path": optional(PATH)},
        {"path": None},
    ),
    "labkit.load_progress": Spec(
        lambda _c: __import__("labkit").load_progress,
        {"source": PROGRESS, "path": optional(PATH)},
        {
            "source": {"schema": SCHEMA, "version": VERSION, "exercises": {}},
            "path": None,
        },
    ),
    "labkit.progress.record_pass": Spec(
        lambda _c: _progress_module().record_pass,
        {"exercise_id": EXERCISE_ID, "path": optional(PATH)},
        {"exercise_id": "welcome-launch", "path": None},
    ),
    "labkit.progress.record_hint": Spec(
        lambda _c: _progress_module().record_hint,
        {"exercise_id": EXERCISE_ID, "path": optional(PATH)},
        {"exercise_id": "welcome-launch", "path": None},
    ),
    "labkit.progress.read_progress": Spec(
        lambda _c: _progress_module().read_progress, {"path": optional(PATH)}, {"path": None}
    ),
    "labkit.progress.progress_path": Spec(lambda _c: _progress_module().progress_path, {}),
    "labkit.progress.Progress.download": Spec(
        lambda _c: __import__("labkit").progress().download,
        {"filename": PATH},
        {"filename": "amilab-progress.json"},
    ),
    # labkit.plots: charts (drawn on one shared Axes)
    "labkit.plots.time_to_ready": Spec(
        lambda _c: _plots().time_to_ready,
        {"data": SERIES, "ax": AXES},
        {"data": {"baked image": [70.0, 76.0]}, "ax": lambda c: c.axes},
    ),
    "labkit.plots.monthly_cost": Spec(
        lambda _c: _plots().monthly_cost,
        {"projections": SERIES, "ax": AXES, "table": TABLE},
        {"projections": {"as is": [1.0, 1.0]}, "ax": lambda c: c.axes, "table": None},
    ),
    "labkit.plots.cost_by_region": Spec(
        lambda _c: _plots().cost_by_region,
        {"costs": COSTS, "ax": AXES, "table": TABLE},
        {"costs": {"us-east-1": 1.9}, "ax": lambda c: c.axes, "table": None},
    ),
    "labkit.plots.cost_by_image": Spec(
        lambda _c: _plots().cost_by_image,
        {"costs": COSTS, "ax": AXES, "in_use": IDS, "table": TABLE},
        {
            "costs": {"ami-web": 0.4, "ami-old": 1.0},
            "ax": lambda c: c.axes,
            "in_use": ["ami-web"],
            "table": None,
        },
    ),
    # labkit.sandbox.provisioning
    "labkit.sandbox.provisioning.base_image_used_gib": Spec(
        lambda _c: _provisioning().base_image_used_gib,
        {"catalog_key": TEXT},
        {"catalog_key": "al2023-x86_64"},
        answer=usd,
    ),
    "labkit.sandbox.provisioning.install_software": Spec(
        lambda _c: _provisioning().install_software,
        {
            "target": Kind("the Lab, its Sandbox or a sandbox EC2 client", lambda v, c: v is c.lab),
            "instance_id": TEXT,
            "packages": Kind("package names", lambda v, _: isinstance(v, str) and bool(v)),
            "region": optional(LAB_REGION),
            "account": choice(*ACCOUNTS, *ACCOUNTS.values()),
        },
        {
            "target": lambda c: c.lab,
            "instance_id": lambda c: c.instance_id,
            "packages": "git",
            "region": None,
            "account": "learner",
        },
        call=lambda c, a: _provisioning().install_software(
            a["target"], a["instance_id"], a["packages"], region=a["region"], account=a["account"]
        ),
    ),
}

_WIDGET_KINDS: dict[str, dict[str, Kind]] = {
    "CopyWizard": {
        "lab": LAB,
        "image_id": VISIBLE_IMAGE,
        "destination": optional(choice("", *REGIONS)),
        "account": ACCOUNT_NAME,
    },
    "CostExplorer": {"lab": optional(LAB), "account": ACCOUNT_NAME},
    "ImageBrowser": {
        "lab": LAB,
        "account": ACCOUNT_NAME,
        "show": choice(*(value for _, value in SHOW)),
        "region": choice("", *REGIONS),
    },
    "Lineage": {"lab": LAB, "image_id": VISIBLE_IMAGE},
    "SharingEditor": {"lab": LAB, "image_id": VISIBLE_IMAGE, "account": ACCOUNT_NAME},
}
_WIDGET_GOOD = {
    "lab": lambda c: c.lab,
    "image_id": lambda c: c.web_image,
    "destination": "eu-west-1",
    "account": "learner",
    "show": "all",
    "region": "",
}
for _name, _kinds in _WIDGET_KINDS.items():
    SPECS[f"labkit.widgets.{_name}"] = Spec(
        (lambda name: lambda _c: getattr(__import__("labkit.widgets").widgets, name))(_name),
        _kinds,
        {param: _WIDGET_GOOD[param] for param in _kinds},
        slow=True,
    )

#: Public names with no parameters to try, each with the reason.
EXEMPT = {
    "labkit.ACCOUNTS": "a constant",
    "labkit.REGIONS": "a constant",
    "labkit.SandboxError": "an exception class",
    "labkit.CheckResult": "a result type that checks make, not an input",
    "labkit.Sandbox": "reached through Lab: Lab.client, Lab.account_id and Lab.advance_clock "
    "are tried with their own oracle in test_lab_inputs.py (TestSandboxInputs)",
    "labkit.Lab.client": "tried in test_lab_inputs.py::TestSandboxInputs::test_client",
    "labkit.Lab.account_id": "tried in test_lab_inputs.py::TestSandboxInputs::test_account_id",
    "labkit.Lab.advance_clock": "tried in test_lab_inputs.py (test_advance_clock)",
    "labkit.Lab.serve": "tried in tests/endpoint/test_server.py (test_a_port_that_is_not_a_port, "
    "test_a_port_already_taken, test_another_port_while_serving)",
    "labkit.Lab.environ": "tried in tests/endpoint/test_environment.py "
    "(test_bad_account_or_region)",
    "labkit.Lab.aws": "tried in tests/endpoint/test_cli.py (test_bad_commands, "
    "test_bad_account_or_region, test_a_malformed_command_gives_the_usage_error): the CLI's own "
    "usage errors are its answer",
    "labkit.plots.text_alternative": "reads what a chart of this module left on its Axes (no "
    "chart: ValueError naming ax; not an Axes: TypeError): tried in tests/test_plots.py",
    "labkit.pricing.DAYS_PER_MONTH": "a constant",
    "labkit.pricing.HOURS_PER_MONTH": "a constant",
    "labkit.pricing.TIERS": "a constant",
    "labkit.pricing.Charge": "a bill line that the pricing functions make, not an input",
    "labkit.pricing.CopyCost": "the answer of copy_cost, not an input",
    "labkit.pricing.PriceTable": "built from the packaged table or an AWS offer file "
    "(PriceTable.from_price_list, tried in tests/pricing/test_pricing.py)",
    "labkit.pricing.RegionPrices": "one Region of a PriceTable, built with it",
    "labkit.progress.ENV_VAR": "a constant",
    "labkit.progress.SCHEMA": "a constant",
    "labkit.progress.VERSION": "a constant",
    "labkit.progress.DOWNLOAD_NAME": "a constant",
    "labkit.progress.Progress": "the answer of labkit.progress(); its download() is tried",
    "labkit.progress.ProgressDownload": "the answer of Progress.download, not an input",
    "labkit.progress.ProgressWarning": "a warning class",
    "labkit.progress.progress": "the same function as labkit.progress",
    "labkit.progress.load_progress": "the same function as labkit.load_progress",
    "labkit.sandbox.provisioning.BASE_IMAGE_USED_GIB": "a constant",
    "labkit.sandbox.provisioning.PACKAGE_SIZES_GIB": "a constant",
    "labkit.sandbox.provisioning.ProvisioningError": "an exception class",
}

#: The modules whose ``__all__`` is the public API, and the public class whose methods are too.
PUBLIC_MODULES = (
    "labkit",
    "labkit.pricing",
    "labkit.widgets",
    "labkit.progress",
    "labkit.sandbox.provisioning",
    "labkit.plots",
)

_EXERCISES = {e.id for e in exercises()}


def _not_passed(result: Any, arguments: dict[str, Any]) -> None:
    """lab.check answers a CheckResult; never ✅ for an ID that is not an exercise."""
    assert type(result).__name__ == "CheckResult" and result.message, result
    exercise = arguments["exercise"]
    if not isinstance(exercise, str) or exercise not in _EXERCISES:
        assert not result.passed, result


def _fail(answer: Any) -> None:
    raise AssertionError(f"unexpected answer {answer!r}")


def _progress_module() -> Any:
    import importlib

    return importlib.import_module("labkit.progress")


def _plots() -> Any:
    import importlib

    return importlib.import_module("labkit.plots")


def _provisioning() -> Any:
    import importlib

    return importlib.import_module("labkit.sandbox.provisioning")
