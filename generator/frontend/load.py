"""Safe YAML to a plain mapping plus a source map (key path to line and column); no validation.

Only plain data is built (mappings, lists, strings, numbers, booleans, null): explicit tags are refused, duplicate
keys are refused, and size, depth and alias expansion are bounded so a hostile file cannot exhaust memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from generator.errors import Diagnostic, Location

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Loaded", "SourceMap", "load_text", "read_source", "unprintable"]

MAX_BYTES = 1_000_000
"""Largest design file accepted, in bytes."""
MAX_DEPTH = 50
"""Deepest nesting of mappings and lists accepted."""
MAX_NODES = 100_000
"""Most values a file may expand to, aliases included (stops alias bombs)."""

Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class SourceMap:
    """Where each key and value of a loaded document sits in its file.

    ``keys`` maps a key path to the position of the key itself, ``values`` to the position of its value.
    """

    path: str
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, key_path: Path_, *, key: bool = False) -> Location:
        """The best location for a key path: the exact one, or the nearest enclosing one that is known.

        >>> sm = SourceMap("d.yaml", keys={("a",): (2, 1)}, values={("a",): (2, 4), (): (1, 1)})
        >>> str(sm.locate(("a", "b")))
        'd.yaml:2:4'
        >>> str(sm.locate(("a",), key=True))
        'd.yaml:2:1'
        """
        probe = tuple(key_path)
        while True:
            table = self.keys if key else self.values
            if probe in table:
                line, col = table[probe]
                return Location(self.path, line, col)
            if probe in self.values:
                line, col = self.values[probe]
                return Location(self.path, line, col)
            if not probe:
                return Location(self.path, 1, 1)
            probe = probe[:-1]


@dataclass
class Loaded:
    """A loaded document: plain data and where it came from."""

    data: Any
    source: SourceMap


class _Stop(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def read_source(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode a design file's bytes as UTF-8 text, refusing binary, oversized and non-UTF-8 input.

    >>> read_source(b"title: x", "d.yaml")
    ('title: x', [])
    >>> read_source(b"\\xff\\xfe", "d.yaml")[1][0].message
    'the file is not UTF-8 text (byte 0xff at offset 0)'
    """
    if len(raw) > MAX_BYTES:
        return None, [
            Diagnostic(
                Location(path),
                f"the file is {len(raw):,} bytes; designs are limited to {MAX_BYTES:,}",
                hint="split it into several designs",
            )
        ]
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        return None, [
            Diagnostic(
                _offset_location(raw, offset, path),
                "the file is binary, not YAML text (it contains a NUL byte)",
                hint="design files are UTF-8 YAML",
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            Diagnostic(
                _offset_location(raw, exc.start, path),
                f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                hint="save it as UTF-8",
            )
        ]
    return text, []


def _offset_location(raw: bytes, offset: int, path: str) -> Location:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return Location(path, line, col)


def load_text(text: str, path: str) -> tuple[Loaded | None, list[Diagnostic]]:
    """Parse YAML text into plain data and a source map.

    Returns the loaded document, or None and the diagnostics that stopped it.

    >>> loaded, errors = load_text("title: URL shortener\\nlesson: 11\\n", "d.yaml")
    >>> loaded.data, loaded.source.values[("lesson",)]
    ({'title': 'URL shortener', 'lesson': 11}, (2, 9))
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return None, [Diagnostic(Location(path), "the file is empty", hint="start from `blueprint new NAME`")]
    yaml = YAML(typ="rt", pure=True)
    try:
        node = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        hint = "check indentation and quoting"
        if "\t" in text.splitlines()[line - 1 if line - 1 < len(text.splitlines()) else -1] or "'\\t'" in problem:
            problem = "a tab character is not allowed here"
            hint = "YAML indents with spaces; replace tabs with spaces"
        return None, [Diagnostic(Location(path, line, col), f"YAML syntax error: {problem}", hint=hint)]
    except YAMLError as exc:  # composer errors without marks, e.g. several documents
        return None, [Diagnostic(Location(path), f"YAML error: {exc}")]
    except RecursionError:
        return None, [Diagnostic(Location(path), f"the file nests deeper than {MAX_DEPTH} levels")]
    if node is None:
        return None, [Diagnostic(Location(path), "the file is empty")]
    source = SourceMap(path)
    builder = _Builder(source)
    try:
        data = builder.build(node, (), 0)
    except _Stop as stop:
        return None, [stop.diagnostic]
    if builder.errors:
        return None, builder.errors
    return Loaded(data, source), []


class _Builder:
    """Turns a composed node tree into plain data, recording positions and refusing anything unsafe."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.count = 0
        self.errors: list[Diagnostic] = []

    def _loc(self, node: Any) -> Location:
        return Location(self.source.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Any, path: Path_, depth: int) -> Any:
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        self.count += 1
        if self.count > MAX_NODES:
            raise _Stop(
                Diagnostic(
                    self._loc(node),
                    f"the file expands to more than {MAX_NODES:,} values (an alias bomb?)",
                    hint="use fewer aliases",
                )
            )
        if depth > MAX_DEPTH:
            raise _Stop(Diagnostic(self._loc(node), f"the file nests deeper than {MAX_DEPTH} levels"))
        tag = str(getattr(node.tag, "value", node.tag) or "")
        if tag and tag not in _PLAIN_TAGS and tag != "!":
            self.errors.append(
                Diagnostic(
                    self._loc(node),
                    f"the tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed",
                    hint="design files hold plain data only: remove the tag",
                )
            )
            return None
        self.source.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, ScalarNode):
            value = _scalar(node, tag)
            if isinstance(value, str):
                self._check_text(value, node)
            return value
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        raise _Stop(Diagnostic(self._loc(node), "unsupported YAML node"))  # pragma: no cover

    def _check_text(self, text: str, node: Any) -> None:
        """Refuse a character no picture can draw and no XML can hold (a control character, a lone surrogate,
        a noncharacter), wherever it came from: typed, or written as an escape such as ``"\\b"``."""
        bad = unprintable(text)
        if bad is not None:
            self.errors.append(
                Diagnostic(
                    self._loc(node),
                    f"the text holds {_char_name(bad)}, which cannot be drawn or written to SVG",
                    hint="remove it; a line break is fine in a block (`|`)",
                )
            )

    def _mapping(self, node: Any, path: Path_, depth: int) -> dict[str, Any]:
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        out: dict[str, Any] = {}
        seen: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_tag = str(getattr(key_node.tag, "value", key_node.tag) or "")
            if key_tag == "tag:yaml.org,2002:merge" or (
                isinstance(key_node, ScalarNode) and key_node.value == "<<" and key_node.style is None
            ):
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for src in sources:
                    if not isinstance(src, MappingNode):
                        self.errors.append(Diagnostic(self._loc(src), "a merge key (<<) needs a mapping"))
                        continue
                    for k, v in self._mapping(src, path, depth + 1).items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, ScalarNode):
                self.errors.append(Diagnostic(self._loc(key_node), "keys must be plain words, not lists or mappings"))
                continue
            key = _pairs(key_node.value) if isinstance(key_node.value, str) else str(key_node.value)
            self._check_text(key, key_node)
            if key in seen:
                first = seen[key]
                self.errors.append(
                    Diagnostic(
                        self._loc(key_node),
                        f"duplicate key '{key}' (first at line {first.start_mark.line + 1})",
                        hint="each key may appear once in a mapping",
                    )
                )
                continue
            seen[key] = key_node
            child = (*path, key)
            self.source.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, child, depth + 1)
        for k, v in merged.items():
            out.setdefault(k, v)
        return out


def _pairs(text: str) -> str:
    r"""Join UTF-16 surrogate pairs written as two escapes (``"\ud83d\ude00"``, as JSON writes an emoji) into the
    character they stand for; a lone surrogate stays, to be refused.

    >>> _pairs("\ud83d\ude00 ok"), _pairs("lone \ud800")
    ('😀 ok', 'lone \ud800')
    """
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _scalar(node: Any, tag: str) -> Any:
    value: str = _pairs(node.value) if isinstance(node.value, str) else node.value
    if node.style == ">":
        value = value.replace("\a", "")  # ruamel marks where a folded scalar was folded
    if node.style is not None or tag in ("tag:yaml.org,2002:str", "!", ""):
        return value if node.style is not None or tag != "" else _resolve(value)
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if tag == "tag:yaml.org,2002:float":
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            return value
        return value if math.isinf(number) or math.isnan(number) else number
    return value


def _resolve(value: str) -> Any:  # pragma: no cover - ruamel always resolves plain scalars
    return value


def unprintable(text: str) -> str | None:
    r"""The first character of a text that cannot be drawn or written to XML, or None.

    Tabs and line breaks are fine; other control characters, lone surrogates and noncharacters are not.

    >>> unprintable("a\tb\nc"), unprintable("bell\a"), unprintable("\ufffe")
    (None, '\x07', '\ufffe')
    """
    for ch in text:
        code = ord(ch)
        if ch in "\t\n":
            continue
        if code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
            return ch
        if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            return ch
    return None


def _char_name(ch: str) -> str:
    r"""A character as a message names it.

    >>> _char_name("\b"), _char_name("\ufffe")
    ('a control character (U+0008)', 'a noncharacter (U+FFFE)')
    """
    code = ord(ch)
    kind = (
        "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character" if code < 0xA0 else "a noncharacter"
    )
    return f"{kind} (U+{code:04X})"
