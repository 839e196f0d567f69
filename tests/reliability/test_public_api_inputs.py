"""Every public function, class and widget constructor, every parameter, hostile values: the
answer is a result or a ValueError/TypeError that names the parameter. Never a Python error from
inside labkit (a raw traceback), never a wrong value silently taken.

The list of what to call comes from the modules' ``__all__`` (public_api.PUBLIC_MODULES), so a new
public name without an entry in public_api.SPECS (or a reason in EXEMPT) fails
test_every_public_name_is_listed.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from odd import HOSTILE, anything, examples
from public_api import EXEMPT, LEARNER, PARTNER, PUBLIC_MODULES, SPECS, Spec

from labkit import Lab, pricing


@dataclass
class Context:
    """What the good arguments are made of: the lab, its image and instance, an estate."""

    lab: Lab
    web_image: str
    instance_id: str
    image: pricing.ImageCost
    archived: pricing.SnapshotCharge
    estate: pricing.Estate
    charges: list[pricing.Charge]
    axes: Any


@pytest.fixture(scope="module")
def context(lab, tmp_path_factory) -> Context:
    """Lesson 03's lab with a running instance, an estate of two images and an orphan, and a
    working folder of its own (paths such as "no" are files there, not in the repository)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("cwd"))
        web_image = lab.ids["web_image"]
        ec2 = lab.client("ec2")
        instance_id = ec2.run_instances(
            ImageId=web_image, InstanceType="t3.micro", MinCount=1, MaxCount=1
        )["Instances"][0]["InstanceId"]
        when = dt.datetime(2025, 3, 3, tzinfo=dt.timezone.utc)

        def snap(sid: str, gib: float, tier: str = "standard") -> pricing.SnapshotCharge:
            archived = when - dt.timedelta(days=10) if tier == "archive" else None
            return pricing.SnapshotCharge(sid, "us-east-1", LEARNER, gib, tier, archived)

        image = pricing.ImageCost("ami-web", "web", "us-east-1", LEARNER, (snap("snap-web", 8),))
        old = pricing.ImageCost("ami-old", "old", "us-east-1", LEARNER, (snap("snap-old", 20),))
        archived = snap("snap-orphan", 10, "archive")
        estate = pricing.Estate((image, old), (archived,), taken_at=when)
        charges = pricing.who_pays(image, launcher=PARTNER)
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        figure, axes = plt.subplots()
        yield Context(lab, web_image, instance_id, image, archived, estate, charges, axes)
        plt.close("all")


def _public_names() -> dict[str, Any]:
    """Every name in the public modules' ``__all__``, and Lab's public methods."""
    found = {}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            found[f"{module_name}.{name}"] = getattr(module, name)
    for name, member in inspect.getmembers(Lab, inspect.isfunction):
        if not name.startswith("_"):
            found[f"labkit.Lab.{name}"] = member
    return found


def _parameters(obj: Any) -> list[str]:
    """The parameters a caller passes (no self, no **answers), *packages as ``packages``."""
    signature = inspect.signature(obj)
    return [
        name
        for name, parameter in signature.parameters.items()
        if name != "self" and parameter.kind is not inspect.Parameter.VAR_KEYWORD
    ]


def test_every_public_name_is_listed():
    """Each public name is in SPECS with a kind for every parameter, or EXEMPT with a reason;
    and nothing is listed that is no longer public."""
    public = _public_names()
    missing = [
        name
        for name, obj in public.items()
        if name not in SPECS and name not in EXEMPT and _parameters_or_none(obj)
    ]
    assert missing == [], f"add these to tests/reliability/public_api.py: {missing}"
    for name, spec in SPECS.items():
        obj = public.get(name) or _resolve(name)
        params = _parameters(obj)
        assert sorted(params) == sorted(spec.kinds), f"{name}: {params} vs {list(spec.kinds)}"
    stale = [n for n in [*SPECS, *EXEMPT] if n not in public and _resolve(n) is None]
    assert stale == []


def _parameters_or_none(obj: Any) -> list[str]:
    if not callable(obj) or (isinstance(obj, type) and issubclass(obj, BaseException)):
        return []
    try:
        return _parameters(obj)
    except (TypeError, ValueError):
        return []


def _resolve(dotted: str) -> Any:
    """An object named by module path and attributes (``labkit.progress.Progress.download``)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute, None)
        return obj
    return None


# -- the property ------------------------------------------------------------------------------


def _judge(spec: Spec, name: str, param: str, value: Any, context: Context) -> str | None:
    """Call with ``param=value`` and the good values elsewhere; a problem in words, or None."""
    kind = spec.kinds[param]
    right_kind = kind.ok(value, context)
    if spec.refused_only and right_kind:
        return None
    arguments = spec.arguments(context)
    arguments[param] = value
    shown = repr(value) if len(repr(value)) < 40 else repr(value)[:37] + "..."
    try:
        answer = spec.invoke(context, arguments)
    except (ValueError, TypeError) as error:
        message = str(error)
        if not message.strip():
            return f"{name}({param}={shown}): {type(error).__name__} with no message"
        if not right_kind and param not in message:
            return f"{name}({param}={shown}): the message does not name {param!r}: {message}"
        return None
    except Exception as error:  # noqa: BLE001 - the property is about what is raised
        return f"{name}({param}={shown}): raw {type(error).__name__}: {error}"
    if not right_kind:
        return f"{name}({param}={shown}): silently accepted (takes {kind.what})"
    if spec.answer is not None:
        try:
            spec.answer(answer, context, arguments)
        except AssertionError as error:
            return f"{name}({param}={shown}): wrong answer {error}"
    return None


def _cases(slow: bool) -> list[tuple[str, str]]:
    return [(n, p) for n, s in SPECS.items() if s.slow == slow for p in s.kinds]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name, param", _cases(slow=False))
def test_hostile_values(context, name, param):
    """The fixed hostile values, then values Hypothesis draws, for one parameter."""
    spec = SPECS[name]
    problems = [_judge(spec, name, param, value, context) for value in HOSTILE]
    problems.append(_judge(spec, name, param, _good(spec, param, context), context))

    @examples(25)
    @given(value=st.one_of(anything, st.floats(), st.integers(), st.text(max_size=30)))
    def drawn(value):
        problems.append(_judge(spec, name, param, value, context))

    drawn()
    problems = list(dict.fromkeys(p for p in problems if p))
    assert problems == [], "\n".join(problems[:15])


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name, param", _cases(slow=True))
def test_widget_constructors(context, name, param):
    """The fixed hostile values for one widget constructor's parameter (each build reads the
    sandbox, so no extra drawn values)."""
    spec = SPECS[name]
    problems = [_judge(spec, name, param, value, context) for value in HOSTILE]
    problems.append(_judge(spec, name, param, _good(spec, param, context), context))
    problems = [p for p in problems if p]
    assert problems == [], "\n".join(problems[:15])


def _good(spec: Spec, param: str, context: Context) -> Any:
    return spec.arguments(context)[param]


def test_good_calls_work(context):
    """With every parameter good, each call succeeds (so a refusal is never the only answer)."""
    failures = []
    for name, spec in SPECS.items():
        if spec.refused_only:
            continue
        try:
            answer = spec.invoke(context, spec.arguments(context))
            if spec.answer is not None:
                spec.answer(answer, context, spec.arguments(context))
        except Exception as error:  # noqa: BLE001
            failures.append(f"{name}: {type(error).__name__}: {error}")
    assert failures == []
