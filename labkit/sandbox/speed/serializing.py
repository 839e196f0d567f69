"""moto's response serializer, remembering per shape what it otherwise works out for every value.

To write each field of a response, moto asks six alias providers which attribute names the
Python object might use for it (``ImageId``, ``image_id``, ``id``…), then checks the field's path
against every response transformer of the service with ``str.endswith``. For one
``DescribeImages`` of the catalogue that is 14,000 fields and 275,000 ``endswith`` calls: a
fifth of every EC2 request's time in the sandbox. The answers depend only on the field's shape,
the object's class and the transformers, so they are worked out once per combination here, and
moto's own code does the rest exactly as before. For the same reason the serializer's
``get_value`` (a context object and a joined path for each of the ~60 fields of an image, most
of them absent) looks the remembered names up directly, in moto's order and by moto's rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import xmltodict

from labkit.seam.moto import serialize

__all__ = ["remember_serializer_aliases"]

_ORIGINAL_PICK = serialize.AttributePicker.__call__
_ORIGINAL_GET_VALUE = serialize.ResponseSerializer.get_value
_MISSING = serialize.MISSING

#: (picker class, object class, key, shape, shape's parent, object's Meta) -> attribute names.
#: The objects themselves are kept with the answer, so a reused id() can never match.
_aliases: dict[tuple[Any, ...], tuple[Any, Any, Any, tuple[str, ...]]] = {}
#: (transformers, field path) -> the transformer for that path, or None.
_transforms: dict[tuple[int, str], tuple[dict[str, Any], Callable[[Any], Any] | None]] = {}


def _names(picker: serialize.AttributePicker, context: Any) -> tuple[str, ...]:
    """The attribute names moto tries for this field, in its order."""
    known = _known_names(picker, context.obj, context.key, context.shape)
    if known is None:
        known = _work_out_names(picker, context)
    return known


def _known_names(picker: Any, obj: Any, field: str, shape: Any) -> tuple[str, ...] | None:
    """The names remembered for this field of this kind of object, or None (the hot path)."""
    parent = getattr(shape, "parent", None)
    meta = getattr(obj, "Meta", None)
    known = _aliases.get((type(picker), type(obj), field, id(shape), id(parent), id(meta)))
    if known is None or known[0] is not shape or known[1] is not parent or known[2] is not meta:
        return None
    return known[3]


def _work_out_names(picker: Any, context: Any) -> tuple[str, ...]:
    """Ask moto's alias providers, and remember their answer with what it depends on."""
    shape, obj = context.shape, context.obj
    parent = getattr(shape, "parent", None)
    meta = getattr(obj, "Meta", None)
    names = tuple(picker.get_possible_keys(context))
    key = (type(picker), type(obj), context.key, id(shape), id(parent), id(meta))
    _aliases[key] = (shape, parent, meta, names)
    return names


def _transform(transformers: dict[str, Any], path: str) -> Callable[[Any], Any] | None:
    """The first transformer whose path ends this field's path (moto's rule), or None."""
    key = (id(transformers), path)
    known = _transforms.get(key)
    if known is None or known[0] is not transformers:
        found = next((f for end, f in transformers.items() if path.endswith(end)), None)
        known = (transformers, found)
        _transforms[key] = known
    return known[1]


def _pick(self: serialize.AttributePicker, context: Any) -> Any:
    """``AttributePicker.__call__``, with its per-field reasoning remembered."""
    value = _first_present(context.obj, _names(self, context))
    if self.response_transformers:
        value = _transformed(self.response_transformers, value, f"{context.key_path}.{context.key}")
    return value


def _first_present(obj: Any, names: tuple[str, ...]) -> Any:
    """The value under the first name the object has, or None: moto's ``get_value`` for each
    name in turn (item, else attribute; dotted names through moto's own), inline."""
    by_item = hasattr(obj, "__getitem__")  # moto.core.utils._get_value_for_key's test
    for name in names:
        if not isinstance(name, str) or "." in name:
            found = serialize.get_value(obj, name, _MISSING)
        elif by_item:
            try:
                found = obj[name]
            except (KeyError, IndexError, TypeError, AttributeError):
                continue
        else:
            found = getattr(obj, name, _MISSING)
        if found is not _MISSING:
            return found
    return None


def _transformed(transformers: dict[str, Any], value: Any, field_path: str) -> Any:
    """The value as the service's response transformer for this field makes it, if it has one."""
    transform = _transform(transformers, field_path)
    return value if transform is None else transform(value)


def _get_value(self: Any, value: Any, key: str, shape: Any) -> Any:
    """``ResponseSerializer.get_value``: with the remembering picker and names already worked
    out, moto's ``get_value`` for each name inline, and no context built; otherwise moto's own."""
    picker = self._value_picker
    names = (
        _known_names(picker, value, key, shape)
        if type(picker).__call__ is _pick and isinstance(key, str)
        else None
    )
    if names is None:
        return _ORIGINAL_GET_VALUE(self, value, key, shape)
    found = _first_present(value, names)
    if picker.response_transformers:
        found = _transformed(picker.response_transformers, found, f"{'.'.join(self.path)}.{key}")
    return found


_ORIGINAL_VALIDATE_NAME = xmltodict._validate_name
_valid_names: set[tuple[str, str]] = set()


def _validate_name(value: Any, kind: str) -> None:
    """xmltodict's check of an XML name, made once per name (a tenth of writing moto's XML)."""
    if isinstance(value, str) and (value, kind) in _valid_names:
        return
    _ORIGINAL_VALIDATE_NAME(value, kind)  # raises for a bad name, which is then not remembered
    _valid_names.add((value, kind))


def remember_serializer_aliases(patches: Any) -> None:
    """Install the remembering picker in moto's serializer, and xmltodict's check (undone with
    ``patches``); what they remembered stays, keyed by the objects it was worked out for."""
    patches.replace(serialize.AttributePicker, "__call__", _pick)
    patches.replace(serialize.ResponseSerializer, "get_value", _get_value)
    patches.replace(xmltodict, "_validate_name", _validate_name)
