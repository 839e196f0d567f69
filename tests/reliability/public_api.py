"""The public API as a table: every public function, class and widget, and what each parameter
takes. The property test (test_public_api_inputs.py) gives every parameter hostile values and
checks the answer against this table; test_every_public_name_is_listed keeps the table complete.

A *kind* says which values a parameter takes. A call with a value of the wrong kind must be
refused with a ValueError or TypeError naming the parameter; a call with a value of the right
kind may still be refused (an ID the estate does not have), but only in words.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from labkit import ACCOUNTS, REGIONS, Lab, pricing
from labkit.checks import exercises
from labkit.progress import SCHEMA, VERSION
from labkit.scenarios import scenarios
from labkit.widgets.image_browser import SHOW

LEARNER, PARTNER = ACCOUNTS["learner"], ACCOUNTS["partner"]
PRICED = pricing.prices().region_names
MOST_GIB, MOST_MONTHS, MOST_DAYS, MOST_USD_PER_HOUR = 1e9, 1200, 36500, 1e6


# -- kinds ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What a parameter takes: ``ok(value, context)`` says whether a value is of this kind."""

    what: str
    ok: Callable[[Any, Any], bool]


def _real(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def amount(most: float) -> Kind:
    return Kind(f"a number 0..{most:g}", lambda v, _: _real(v) and 0 <= v <= most)


def whole(most: int) -> Kind:
    def ok(value: Any, _: Any) -> bool:
        integral = isinstance(value, numbers.Integral) and not isinstance(value, bool)
        return integral and 0 <= value <= most

    return Kind(f"a whole number 0..{most}", ok)


def choice(*options: Any) -> Kind:
    def ok(value: Any, _: Any) -> bool:
        return any(type(value) is type(o) and value == o for o in options)

    return Kind(f"one of {options}", ok)


def optional(kind: Kind) -> Kind:
    return Kind(f"None or {kind.what}", lambda v, c: v is None or kind.ok(v, c))


def instance_of(*classes: type) -> Kind:
    return Kind(f"a {classes}", lambda v, _: isinstance(v, classes))


def list_of(cls: type) -> Kind:
    def ok(value: Any, _: Any) -> bool:
        if isinstance(value, (str, bytes, bytearray, dict)) or not isinstance(value, Iterable):
            return False
        return all(isinstance(item, cls) for item in value)

    return Kind(f"a list of {cls.__name__}", ok)


def _ids_ok(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value)
    if isinstance(value, (bytes, bytearray, dict)) or not isinstance(value, Iterable):
        return False
    return all(isinstance(item, str) and item for item in value)


def _path_ok(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        return False
    text = os.fspath(value)
    if not isinstance(text, str) or not text.strip() or "\0" in text:
        return False
    try:
        encoded = os.fsencode(text)
    except UnicodeError:
        return False
    return len(encoded) <= 4096 and all(len(part) <= 255 for part in encoded.split(b"/"))


FLAG = Kind("True or False", lambda v, _: isinstance(v, bool))
NUMBER = Kind("a finite number", lambda v, _: _real(v))
TEXT = Kind("a non-empty string", lambda v, _: isinstance(v, str) and bool(v))
STRING = Kind("a string", lambda v, _: isinstance(v, str))
ACCOUNT_ID = Kind(
    "a 12-digit account ID", lambda v, _: isinstance(v, str) and bool(re.fullmatch(r"[0-9]{12}", v))
)
PRICED_REGION = choice(*PRICED)
LAB_REGION = choice(*REGIONS)
IDS = Kind("an ID or a list of IDs", lambda v, _: _ids_ok(v))
PATH = Kind("a file path", lambda v, _: _path_ok(v))
DATETIME = instance_of(dt.datetime)
TABLE = optional(instance_of(pricing.PriceTable))
ESTATE = instance_of(pricing.Estate)
IMAGE = instance_of(pricing.ImageCost)
SNAPSHOT = instance_of(pricing.SnapshotCharge)
LAB = instance_of(Lab)
ACCOUNT_NAME = choice(*ACCOUNTS)
EXERCISE_ID = Kind("an exercise ID", lambda v, _: isinstance(v, str) and 0 < len(v) <= 200)
PROGRESS = Kind(
    "AMI Lab progress",
    lambda v, _: isinstance(v, dict) and v.get("schema") == SCHEMA and v.get("version") == VERSION,
)
#: An image the widget's account can open: its ID from the lesson ("" or None: not chosen).
VISIBLE_IMAGE = Kind("'' or a visible image ID", lambda v, c: v in ("", None, c.web_image))
LESSON = choice(*sorted(scenarios()))


# -- the table -----------------------------------------------------------------------------------


@dataclass
class Spec:
    """How to call one public callable: its kinds, a good value for each, and how to call it.

    ``call(context, arguments)`` makes the call (by default ``target(context)(**arguments)``);
    ``answer(value, context, arguments)`` asserts what a successful call returned; with
    ``refused_only`` only values of the wrong kind are tried (a right one has side effects,
    such as starting a new lab).
    """

    target: Callable[[Any], Callable[..., Any]]
    kinds: dict[str, Kind]
    good: dict[str, Any] = field(default_factory=dict)
    call: Callable[[Any, dict[str, Any]], Any] | None = None
    answer: Callable[[Any, Any, dict[str, Any]], None] | None = None
    refused_only: bool = False
    slow: bool = False

    def arguments(self, context: Any) -> dict[str, Any]:
        return {
            name: value(context) if callable(value) and not isinstance(value, type) else value
            for name, value in self.good.items()
        }

    def invoke(self, context: Any, arguments: dict[str, Any]) -> Any:
        if self.call is not None:
            return self.call(context, arguments)
        return self.target(context)(**arguments)


def usd(answer: Any, _context: Any, _arguments: dict[str, Any]) -> None:
    """A bill: finite, non-negative USD (a float, a list of them, Charges or a dict of them)."""
    if isinstance(answer, dict):
        values = list(answer.values())
    elif isinstance(answer, (list, tuple)):
        values = list(answer)
    else:
        values = [answer]
    for value in values:
        value = getattr(value, "usd", value)
        if isinstance(value, float):
            assert math.isfinite(value) and value >= 0, answer


def _p(name: str) -> Callable[[Any], Callable[..., Any]]:
    return lambda _context: getattr(pricing, name)


def _estate_spec(name: str, **more: Kind) -> Spec:
    good = {"estate": lambda c: c.estate, **{k: None for k in more if k == "table"}}
    return Spec(_p(name), {"estate": ESTATE, **more}, good, answer=usd)


SPECS: dict[str, Spec] = {
    # labkit.pricing: money
    "labkit.pricing.storage_cost": Spec(
        _p("storage_cost"),
        {
            "data_gib": amount(MOST_GIB),
            "region": PRICED_REGION,
            "months": amount(MOST_MONTHS),
            "tier": choice(*pricing.TIERS),
            "table": TABLE,
        },
        {"data_gib": 8, "region": "us-east-1", "months": 1, "tier": "standard", "table": None},
        answer=usd,
    ),
    "labkit.pricing.archive_cost": Spec(
        _p("archive_cost"),
        {
            "data_gib": amount(MOST_GIB),
            "region": PRICED_REGION,
            "days": amount(MOST_DAYS),
            "retrieve": FLAG,
            "table": TABLE,
        },
        {"data_gib": 8, "region": "us-east-1", "days": 30, "retrieve": False, "table": None},
        answer=usd,
    ),
    "labkit.pricing.restore_cost": Spec(
        _p("restore_cost"),
        {"data_gib": amount(MOST_GIB), "region": PRICED_REGION, "table": TABLE},
        {"data_gib": 8, "region": "us-east-1", "table": None},
        answer=usd,
    ),
    "labkit.pricing.bundle_monthly_cost": Spec(
        _p("bundle_monthly_cost"),
        {"bundle_gib": amount(MOST_GIB), "region": PRICED_REGION, "table": TABLE},
        {"bundle_gib": 8, "region": "us-east-1", "table": None},
        answer=usd,
    ),
    "labkit.pricing.archive_minimum_charge": Spec(
        _p("archive_minimum_charge"),
        {"snapshot": SNAPSHOT, "deleted_at": DATETIME, "table": TABLE},
        {
            "snapshot": lambda c: c.archived,
            "deleted_at": dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc),
            "table": None,
        },
        answer=usd,
    ),
    "labkit.pricing.snapshot_monthly_cost": Spec(
        _p("snapshot_monthly_cost"),
        {"snapshot": SNAPSHOT, "table": TABLE},
        {"snapshot": lambda c: c.archived, "table": None},
        answer=usd,
    ),
    "labkit.pricing.image_monthly_cost": Spec(
        _p("image_monthly_cost"),
        {"image": IMAGE, "table": TABLE},
        {"image": lambda c: c.image, "table": None},
        answer=usd,
    ),
    "labkit.pricing.image_data_gib": Spec(
        _p("image_data_gib"), {"image": IMAGE}, {"image": lambda c: c.image}, answer=usd
    ),
    "labkit.pricing.estate_monthly_cost": _estate_spec("estate_monthly_cost", table=TABLE),
    "labkit.pricing.monthly_cost_by_image": _estate_spec("monthly_cost_by_image", table=TABLE),
    "labkit.pricing.monthly_cost_by_region": _estate_spec("monthly_cost_by_region", table=TABLE),
    "labkit.pricing.monthly_cost_by_owner": _estate_spec("monthly_cost_by_owner", table=TABLE),
    "labkit.pricing.storage_charges": _estate_spec("storage_charges", table=TABLE),
    "labkit.pricing.data_gib_by_image": _estate_spec("data_gib_by_image"),
    "labkit.pricing.data_gib_by_region": _estate_spec("data_gib_by_region"),
    "labkit.pricing.data_gib_by_owner": _estate_spec("data_gib_by_owner"),
    "labkit.pricing.clean_up_candidates": Spec(
        _p("clean_up_candidates"), {"estate": ESTATE}, {"estate": lambda c: c.estate}
    ),
    "labkit.pricing.deregister": Spec(
        _p("deregister"),
        {"estate": ESTATE, "image_ids": IDS},
        {"estate": lambda c: c.estate, "image_ids": ["ami-old"]},
    ),
    "labkit.pricing.delete_snapshots": Spec(
        _p("delete_snapshots"),
        {"estate": ESTATE, "snapshot_ids": IDS},
        {"estate": lambda c: c.estate, "snapshot_ids": ["snap-orphan"]},
    ),
    "labkit.pricing.clean_up": Spec(
        _p("clean_up"),
        {"estate": ESTATE, "ids": optional(IDS)},
        {"estate": lambda c: c.estate, "ids": None},
    ),
    "labkit.pricing.clean_up_saving": Spec(
        _p("clean_up_saving"),
        {"estate": ESTATE, "ids": optional(IDS), "delete_snapshots": FLAG, "table": TABLE},
        {"estate": lambda c: c.estate, "ids": None, "delete_snapshots": True, "table": None},
        answer=usd,
    ),
    "labkit.pricing.project_monthly_costs": Spec(
        _p("project_monthly_costs"),
        {
            "estate": ESTATE,
            "months": whole(MOST_MONTHS),
            "clean_up_after": optional(whole(MOST_MONTHS)),
            "remove": optional(IDS),
            "archive_after": optional(whole(MOST_MONTHS)),
            "archive_share": amount(1),
            "archive": optional(IDS),
            "table": TABLE,
        },
        {
            "estate": lambda c: c.estate,
            "months": 12,
            "clean_up_after": 3,
            "remove": None,
            "archive_after": 1,
            "archive_share": 0.5,
            "archive": None,
            "table": None,
        },
        answer=usd,
    ),
    "labkit.pricing.copy_cost": Spec(
        _p("copy_cost"),
        {
            "image": IMAGE,
            "destination": PRICED_REGION,
            "copier": optional(ACCOUNT_ID),
            "table": TABLE,
        },
        {"image": lambda c: c.image, "destination": "eu-west-1", "copier": None, "table": None},
        answer=lambda a, c, args: usd(a.charges, c, args),
    ),
    "labkit.pricing.with_copy": Spec(
        _p("with_copy"),
        {
            "estate": ESTATE,
            "image_id": TEXT,
            "destination": PRICED_REGION,
            "copier": optional(ACCOUNT_ID),
            "new_image_id": optional(TEXT),
            "table": TABLE,
        },
        {
            "estate": lambda c: c.estate,
            "image_id": "ami-web",
            "destination": "eu-west-1",
            "copier": None,
            "new_image_id": None,
            "table": None,
        },
    ),
    "labkit.pricing.instance_hourly_price": Spec(
        _p("instance_hourly_price"),
        {
            "region": PRICED_REGION,
            "instance_type": TEXT,
            "windows": FLAG,
            "table": TABLE,
        },
        {"region": "us-east-1", "instance_type": "t3.micro", "windows": False, "table": None},
        answer=usd,
    ),
    "labkit.pricing.launch_charges": Spec(
        _p("launch_charges"),
        {
            "region": PRICED_REGION,
            "instance_type": TEXT,
            "launcher": ACCOUNT_ID,
            "windows": FLAG,
            "software_price_per_hour": amount(MOST_USD_PER_HOUR),
            "table": TABLE,
        },
        {
            "region": "us-east-1",
            "instance_type": "t3.micro",
            "launcher": PARTNER,
            "windows": False,
            "software_price_per_hour": 0.02,
            "table": None,
        },
        answer=usd,
    ),
    "labkit.pricing.who_pays": Spec(
        _p("who_pays"),
        {
            "image": IMAGE,
            "launcher": optional(ACCOUNT_ID),
            "instance_type": TEXT,
            "windows": FLAG,
            "software_price_per_hour": amount(MOST_USD_PER_HOUR),
            "copier": optional(ACCOUNT_ID),
            "copy_to": optional(PRICED_REGION),
            "table": TABLE,
        },
        {
            "image": lambda c: c.image,
            "launcher": PARTNER,
            "instance_type": "t3.micro",
            "windows": False,
            "software_price_per_hour": 0.0,
            "copier": PARTNER,
            "copy_to": "eu-west-1",
            "table": None,
        },
        answer=usd,
    ),
    "labkit.pricing.bill_by_payer": Spec(
        _p("bill_by_payer"),
        {"charges": list_of(pricing.Charge), "per": choice("month", "hour", "once")},
        {"charges": lambda c: c.charges, "per": "month"},
        answer=usd,
    ),
    "labkit.pricing.format_usd": Spec(
        _p("format_usd"),
        {
            "amount": NUMBER,
            "per": optional(choice("hour", "day", "month", "year")),
            "digits": optional(whole(12)),
        },
        {"amount": 1.5, "per": "month", "digits": None},
        answer=lambda a, _c, _args: None if "$" in a else (_ for _ in ()).throw(AssertionError(a)),
    ),
    "labkit.pricing.prices": Spec(_p("prices"), {}),
    "labkit.pricing.SnapshotCharge": Spec(
        _p("SnapshotCharge"),
        {
            "snapshot_id": TEXT,
            "region": PRICED_REGION,
            "owner_id": ACCOUNT_ID,
            "data_gib": amount(MOST_GIB),
            "tier": choice(*pricing.TIERS),
            "archived_at": optional(DATETIME),
            "sized_from": choice("data", "volume"),
        },
        {
            "snapshot_id": "snap-1",
            "region": "us-east-1",
            "owner_id": LEARNER,
            "data_gib": 8,
            "tier": "standard",
            "archived_at": None,
            "sized_from": "data",
        },
    ),
    "labkit.pricing.ImageCost": Spec(
        _p("ImageCost"),
        {
            "image_id": TEXT,
            "name": STRING,
            "region": PRICED_REGION,
            "owner_id": ACCOUNT_ID,
            "snapshots": list_of(pricing.SnapshotCharge),
            "in_use": FLAG,
            "used_by": Kind(
                "account IDs",
                lambda v, c: (
                    _ids_ok(v)
                    and all(ACCOUNT_ID.ok(i, c) for i in ([v] if isinstance(v, str) else v))
                ),
            ),
        },
        {
            "image_id": "ami-1",
            "name": "web",
            "region": "us-east-1",
            "owner_id": LEARNER,
            "snapshots": (),
            "in_use": False,
            "used_by": (),
        },
    ),
    "labkit.pricing.Estate": Spec(
        _p("Estate"),
        {
            "images": list_of(pricing.ImageCost),
            "orphaned": list_of(pricing.SnapshotCharge),
            "taken_at": optional(DATETIME),
        },
        {"images": (), "orphaned": (), "taken_at": None},
    ),
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
    # labkit.provisioning
    "labkit.provisioning.base_image_used_gib": Spec(
        lambda _c: _provisioning().base_image_used_gib,
        {"catalog_key": TEXT},
        {"catalog_key": "al2023-x86_64"},
        answer=usd,
    ),
    "labkit.provisioning.install_software": Spec(
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
    "labkit.pricing.DAYS_PER_MONTH": "a constant",
    "labkit.pricing.HOURS_PER_MONTH": "a constant",
    "labkit.pricing.TIERS": "a constant",
    "labkit.pricing.Charge": "a bill line that the pricing functions make, not an input",
    "labkit.pricing.CopyCost": "the answer of copy_cost, not an input",
    "labkit.pricing.PriceTable": "built from the packaged table or an AWS offer file "
    "(PriceTable.from_price_list, tried in tests/test_pricing.py)",
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
    "labkit.provisioning.BASE_IMAGE_USED_GIB": "a constant",
    "labkit.provisioning.PACKAGE_SIZES_GIB": "a constant",
    "labkit.provisioning.ProvisioningError": "an exception class",
}

#: The modules whose ``__all__`` is the public API, and the public class whose methods are too.
PUBLIC_MODULES = (
    "labkit",
    "labkit.pricing",
    "labkit.widgets",
    "labkit.progress",
    "labkit.provisioning",
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


def _provisioning() -> Any:
    import importlib

    return importlib.import_module("labkit.provisioning")
