"""moto's XML answers written in one pass, byte for byte what ``xmltodict.unparse`` writes.

moto turns every EC2, S3 and STS answer into XML with ``xmltodict.unparse``, which drives a SAX
``XMLGenerator`` one call per element, attribute and text: for one ``DescribeImages`` of the
catalogue, about a tenth of the request's time in the sandbox. Here the same document is built
as a list of strings by xmltodict's own rules (attributes under ``@``, text under ``#text``, empty
lists left out, ``true``/``false`` for booleans, ``<a/>`` for an empty element when asked) and
the SAX writer's (its escaping and attribute quoting, its way of closing a start tag). Anything
outside what moto writes (comments, namespaces, a preprocessor, other iterables, names that are
not strings) goes to xmltodict itself, which also raises every error. Twin tests compare the
bytes (tests/sandbox/speed/test_xml_writing.py).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

import xmltodict

__all__ = ["write_xml_in_one_pass"]

_ORIGINAL_UNPARSE = xmltodict.unparse
_ATTRIBUTE = "@"
_TEXT = "#text"
_COMMENT = "#comment"
_HEADER = '<?xml version="1.0" encoding="{}"?>\n'
_OPTIONS = frozenset({"pretty", "short_empty_elements", "full_document", "encoding"})


class _NotPlain(Exception):
    """The input uses something only xmltodict's own writer handles."""


def unparse(input_dict: Any, output: Any = None, *more: Any, **options: Any) -> Any:
    """``xmltodict.unparse``: in one pass for moto's plain documents, xmltodict's otherwise."""
    if output is None and not more and set(options) <= _OPTIONS and isinstance(input_dict, dict):
        try:
            return _document(input_dict, **options)
        except (_NotPlain, ValueError):
            pass  # xmltodict writes it, or raises its own error
    return _ORIGINAL_UNPARSE(input_dict, output, *more, **options)


def _document(
    body: dict[Any, Any],
    pretty: bool = False,
    short_empty_elements: bool = False,
    full_document: bool = True,
    encoding: str = "utf-8",
) -> str:
    if full_document and len(body) != 1:
        raise _NotPlain  # a document without exactly one root: xmltodict raises
    writer = _Writer(bool(short_empty_elements), bool(pretty), encoding, bool(full_document))
    if full_document:
        writer.out.append(_HEADER.format(encoding))
    for key, value in body.items():
        writer.element(key, value, 0)
    return "".join(writer.out)


class _Writer:
    """xmltodict's ``_emit`` with SAX's ``XMLGenerator`` folded in, writing to a list."""

    def __init__(self, short_empty: bool, pretty: bool, encoding: str, one_root: bool) -> None:
        self.out: list[str] = []
        self.one_root = one_root
        self.short_empty = short_empty
        self.pretty = pretty
        self.encoding = encoding
        self.pending = False  # a start tag written without its ">" (SAX's short empty elements)

    def _finish_start(self) -> None:
        if self.pending:
            self.out.append(">")
            self.pending = False

    def _whitespace(self, text: str) -> None:
        if text:
            self._finish_start()
            self.out.append(text)

    def element(self, key: Any, value: Any, depth: int) -> None:
        if not isinstance(key, str) or key == _COMMENT:
            raise _NotPlain
        xmltodict._validate_name(key, "element")  # the lab remembers names it has checked
        if isinstance(value, list | tuple):
            if depth == 0 and self.one_root and len(value) > 1:
                raise _NotPlain  # several roots: xmltodict raises
            items = value
        elif isinstance(value, str | bytes | bytearray | memoryview | dict) or not hasattr(
            value, "__iter__"
        ):
            items = (value,)
        else:
            raise _NotPlain  # generators, sets, other iterables
        for item in items:
            self._one(key, item, depth)

    def _one(self, key: str, item: Any, depth: int) -> None:
        if item is None:
            item = {}
        elif not isinstance(item, dict | str):
            if hasattr(item, "__iter__") and not isinstance(item, bytes | bytearray | memoryview):
                raise _NotPlain
            item = self._text(item)
        if isinstance(item, str):
            item = {_TEXT: item}
        text = None
        attributes: list[tuple[str, str]] = []
        children: list[tuple[Any, Any]] = []
        for child_key, child in item.items():
            if child_key == _TEXT:
                text = None if child is None else self._text(child)
            elif isinstance(child_key, str) and child_key.startswith(_ATTRIBUTE):
                attributes.extend(self._attributes(child_key, child))
            elif not (isinstance(child, list) and not child):
                children.append((child_key, child))
        pretty = self.pretty
        if pretty:
            self._whitespace(depth * "\t")
        self._finish_start()
        self.out.append("<" + key)
        for name, attribute in attributes:
            self.out.append(f" {name}={quoteattr(attribute)}")
        if self.short_empty:
            self.pending = True
        else:
            self.out.append(">")
        if pretty and children:
            self._whitespace("\n")
        for child_key, child in children:
            self.element(child_key, child, depth + 1)
        if text:
            self._finish_start()
            self.out.append(escape(text))
        if pretty and children:
            self._whitespace(depth * "\t")
        if self.pending:
            self.out.append("/>")
            self.pending = False
        else:
            self.out.append(f"</{key}>")
        if pretty and depth:
            self._whitespace("\n")

    def _attributes(self, key: str, value: Any) -> list[tuple[str, str]]:
        if key == "@xmlns" and isinstance(value, dict):
            raise _NotPlain  # namespace declarations: xmltodict's
        name = key[len(_ATTRIBUTE) :]
        xmltodict._validate_name(name, "attribute")
        return [(name, "" if value is None else self._text(value))]

    def _text(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, bytes | bytearray | memoryview):
            return bytes(value).decode(self.encoding, errors="replace")
        return str(value)


def write_xml_in_one_pass(patches: Any) -> None:
    """moto's XML written in one pass while the sandbox runs (undone with ``patches``)."""
    patches.replace(xmltodict, "unparse", unparse)
