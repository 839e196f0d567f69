"""Explanations of botocore's ParamValidationError: the call was checked and never sent."""

from __future__ import annotations

import re

from .context import Explanation, FailedCall

__all__ = ["explain_param_error"]

_UNKNOWN = re.compile(
    r'Unknown parameter in input: "(?P<name>[^"]+)", must be one of: (?P<valid>.*)'
)
_MISSING = re.compile(r'Missing required parameter in input: "(?P<name>[^"]+)"')
#: The same two, for a key inside a parameter (a dict in a list, such as ``TargetTags[0]``).
_UNKNOWN_KEY = re.compile(
    r'Unknown parameter in (?!input:)(?P<where>[^:]+): "(?P<name>[^"]+)", '
    r"must be one of: (?P<valid>.*)"
)
_MISSING_KEY = re.compile(
    r'Missing required parameter in (?!input:)(?P<where>[^:]+): "(?P<name>[^"]+)"'
)
_TYPE = re.compile(
    r"Invalid type for parameter (?P<name>\S+), value: (?P<value>.*), "
    r"type: <class '(?P<given>\w+)'>, valid types: (?P<valid>.*)"
)
_LENGTH = re.compile(
    r"Invalid length for parameter (?P<name>\S+), value: \d+, valid min length: (?P<min>\d+)"
)
_PY_TYPES = {
    "str": "a string",
    "int": "a whole number",
    "bool": "True or False",
    "list": "a list",
    "dict": "a dict",
    "tuple": "a list",
    "float": "a number",
    "datetime": "a date and time",
}


def _method(call: FailedCall | None) -> str:
    return f"{call.python_name}()" if call else "this call"


def _types(text: str) -> str:
    found = re.findall(r"<class '(\w+)'>", text)
    return " or ".join(dict.fromkeys(_PY_TYPES.get(t, t) for t in found)) or text


def _key_problem(report: str) -> Explanation | None:
    """A key inside a parameter misspelt or left out (``{'key': ...}`` for ``{'Key': ...}``)."""
    unknown = [m for line in report.splitlines() if (m := _UNKNOWN_KEY.search(line))]
    for match in unknown:
        valid = [v.strip() for v in match["valid"].split(",")]
        same = [v for v in valid if v.lower() == match["name"].lower()]
        if same:
            return Explanation(
                f"{match['where']} has a key {same[0]}, and the call wrote it {match['name']}: "
                "keys are spelt with their capitals exactly; nothing was sent to AWS.",
                "Look at that key in the call.",
            )
    if unknown:
        match = unknown[0]
        return Explanation(
            f"{match['where']} has no key called {match['name']}; nothing was sent to AWS.",
            "The message lists the keys it does take; look for the one you meant.",
        )
    for line in report.splitlines():
        if match := _MISSING_KEY.search(line):
            return Explanation(
                f"{match['where']} needs the key {match['name']}, and the call did not give it; "
                "nothing was sent to AWS.",
                "Look at that part of the call, and at the lesson's example of it.",
            )
    return None


def _first_problem(report: str, call: FailedCall | None) -> Explanation | None:
    if (inside := _key_problem(report)) is not None:
        return inside
    for line in report.splitlines():
        if match := _UNKNOWN.search(line):
            name = match["name"]
            if call and call.operation.startswith("Describe") and name[:1].isupper():
                return Explanation(
                    f"{_method(call)} has no parameter called {name}; it was not sent to AWS.",
                    "To pick resources by one of their fields, such as the name, use Filters: "
                    "Filters=[{'Name': 'name', 'Values': ['...']}] (filter names are lower-case, "
                    "and * matches anything).",
                )
            return Explanation(
                f"{_method(call)} has no parameter called {name}; it was not sent to AWS.",
                "The message lists the parameters it does take; the spelling and capitals must "
                "match exactly.",
            )
        if match := _MISSING.search(line):
            return Explanation(
                f"{_method(call)} needs {match['name']}, and the call did not give it; "
                "it was not sent to AWS.",
                f"Add {match['name']}=... to the call (the message lists every one missing).",
            )
        if match := _TYPE.search(line):
            name = match["name"]
            if name.endswith(".NoDevice"):
                return Explanation(
                    "NoDevice takes an empty string, not True: the mapping "
                    "{'DeviceName': '/dev/sdb', 'NoDevice': ''} leaves that device out.",
                    "AWS drops the device whatever the string says; botocore only checks the type.",
                )
            return Explanation(
                f"{name} takes {_types(match['valid'])}, and the call gave "
                f"{_PY_TYPES.get(match['given'], match['given'])} ({match['value']}); "
                "botocore stopped it before sending.",
                "Look at the value's brackets and quotes in the call.",
            )
        if match := _LENGTH.search(line):
            return Explanation(
                f"{match['name']} must be at least {match['min']} characters long; "
                "botocore stopped the call before sending it.",
            )
    return None


def explain_param_error(error: Exception, call: FailedCall | None) -> Explanation | None:
    """Explain the first problem in botocore's report (the message lists them all)."""
    report = str(getattr(error, "kwargs", {}).get("report", "")) or str(error)
    return _first_problem(report, call)
