"""Read YAML text into plain data and remember where every node was, safely.

The text is parsed once into events by libyaml (PyYAML's C `CSafeLoader`
parser) and built into dicts and lists here, without recursion. Building from
events rather than from `yaml.compose` lets us stop at a nesting limit (deep
nesting crashes the C composer), count what aliases expand to (alias bombs),
report duplicate keys (PyYAML silently keeps the last) and record the line
and column of every key and value for error messages.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev

Loc = tuple[str | int, ...]
"""Where a value sits in the data: keys and list indices from the root."""

MAX_DEPTH = 64
MAX_NODES = 3_000_000
"""Most marks (values, list items, mapping keys) a file may hold. A 20,000-place map with its routes and
10,000 units holds about 900,000; at the limit, reading takes about 600 MB and a few seconds."""
MAX_ALIAS_NODES = 10_000
"""Most values that aliases may expand to in one file (an 'alias bomb' stops here, within milliseconds)."""

TAG = "tag:yaml.org,2002:"
STR, MERGE, MAP, SEQ = TAG + "str", TAG + "merge", TAG + "map", TAG + "seq"
SCALAR_TAGS = {TAG + t for t in ("null", "bool", "int", "float", "timestamp")}

_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_NOKEY = object()
_MERGE_KEY = object()


@dataclass
class Issue:
    """A problem found while reading, before there is a file name to attach."""

    line: int
    col: int
    message: str
    loc: Loc | None = None
    """Where in the data the problem is, when known."""


def _construct(tag: str, text: str) -> Any:
    """The value of a scalar with a standard tag; its text when that is not a valid value of the tag."""
    node = yaml.ScalarNode(tag, text)
    try:
        return _constructor.yaml_constructors[tag](_constructor, node)
    except (ValueError, TypeError, OverflowError, yaml.YAMLError):
        return text


_FIRST_CHARS = frozenset(k for k in _resolver.yaml_implicit_resolvers if k)
"""First characters for which YAML 1.1 may read a plain scalar as other than text (null, bool, number, date …)."""
_ANY_CHAR = bool(_resolver.yaml_implicit_resolvers.get(None))


def _plain(text: str, memo: dict[str, tuple[str, Any]]) -> tuple[str, Any]:
    """Tag and value of a plain (unquoted) scalar, as YAML 1.1 resolves it; memoised in `memo` (values are
    immutable). Text that cannot start a number, date, null or bool is known to be text at once."""
    hit = memo.get(text)
    if hit is not None:
        return hit
    if text and not _ANY_CHAR and text[0] not in _FIRST_CHARS:
        result = (STR, text)
    else:
        tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
        result = (tag, _construct(tag, text)) if tag in SCALAR_TAGS else (tag, text)
    memo[text] = result
    return result


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large tree of plain data is built: that tree holds no
    cycles, and collections triggered by its millions of new objects would re-scan it again and again
    (they took about 40% of loading a 20,000-place file)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Marks:
    """Line and column of every value (and mapping key) by its location in the data."""

    def __init__(self, entries: list[tuple[Loc, int, int, bool]] | None = None) -> None:
        self.entries: list[tuple[Loc, int, int, bool]] = entries if entries is not None else []
        self._values: dict[Loc, tuple[int, int]] | None = None
        self._keys: dict[Loc, tuple[int, int]] = {}

    def _index(self) -> dict[Loc, tuple[int, int]]:
        if self._values is None:
            self._values = {}
            for loc, line, col, is_key in self.entries:
                (self._keys if is_key else self._values).setdefault(loc, (line, col))
        return self._values

    def at(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Position of the value (or its key) at `loc`, else of the nearest enclosing value; (1, 1) at worst."""
        values = self._index()
        if key and tuple(loc) in self._keys:
            return self._keys[tuple(loc)]
        loc = tuple(loc)
        while loc:
            if loc in values:
                return values[loc]
            loc = loc[:-1]
        return values.get((), (1, 1))

    def has(self, loc: Loc) -> bool:
        return tuple(loc) in self._index()


@dataclass
class _Frame:
    loc: Loc
    container: Any
    is_map: bool
    line: int
    col: int
    anchor: str | None
    entry_start: int
    key: Any = _NOKEY
    key_mark: tuple[int, int] = (1, 1)
    merges: list[tuple[Any, int, int, tuple[int, int]]] = field(default_factory=list)
    value_start: int = 0
    bad_tag: bool = False


class _Stop(Exception):
    pass


def _clone(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


class _Builder:
    """Turns parser events into data, marks and issues."""

    def __init__(self) -> None:
        self.entries: list[tuple[Loc, int, int, bool]] = []
        self.issues: list[Issue] = []
        self.frames: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int, int, Loc]] = {}
        self.open_anchors: set[str] = set()
        self.alias_budget = MAX_ALIAS_NODES
        self.documents = 0
        self.root: Any = None
        self.has_root = False
        self.memo: dict[str, tuple[str, Any]] = {}

    def stop(self, line: int, col: int, message: str) -> None:
        self.issues.append(Issue(line, col, message))
        raise _Stop

    def run(self, get: Callable[[], Any]) -> None:
        """Feed every event of the stream. Untagged, unanchored scalars and collections inside a collection
        (nearly every node of a large map) are handled inline here; the rest goes through `feed`."""
        entries, frames = self.entries, self.frames
        add = entries.append
        feed, plain, memo = self.feed, _plain, self.memo
        scalar, map_start, seq_start = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
        ends = (ev.MappingEndEvent, ev.SequenceEndEvent)
        nokey, merge_key = _NOKEY, _MERGE_KEY
        while True:
            event = get()
            kind = type(event)
            if kind is scalar:
                if event.anchor is not None or not frames or event.tag not in (None, "!"):
                    feed(event)
                    continue
                if event.implicit[0]:
                    tag, value = plain(event.value, memo)
                else:
                    tag, value = None, event.value
                top = frames[-1]
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                if len(entries) > MAX_NODES:
                    self._check_size(line, col)
                if not top.is_map:
                    add((top.loc + (len(top.container),), line, col, False))
                    top.container.append(value)
                    continue
                key = top.key
                if key is nokey:
                    top.key = merge_key if tag == MERGE else value
                    top.key_mark = (line, col)
                    continue
                if key is merge_key or key in top.container:
                    feed(event)
                    continue
                loc = top.loc + (key,)
                add((loc, line, col, False))
                top.key = nokey
                top.container[key] = value
                add((loc, top.key_mark[0], top.key_mark[1], True))
            elif kind is map_start or kind is seq_start:
                if event.anchor is not None or not frames or event.tag not in (None, "!") \
                        or len(frames) >= MAX_DEPTH or len(entries) > MAX_NODES:
                    feed(event)
                    continue
                top = frames[-1]
                if top.is_map:
                    key = top.key
                    if key is nokey or key is merge_key:
                        feed(event)
                        continue
                    top.value_start = len(entries)
                    loc = top.loc + (key,)
                else:
                    loc = top.loc + (len(top.container),)
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                add((loc, line, col, False))
                is_map = kind is map_start
                frames.append(_Frame(loc, {} if is_map else [], is_map, line, col, None, len(entries) - 1))
            elif kind in ends:
                frame = frames[-1]
                if frame.anchor is not None or frame.bad_tag or frame.merges or len(frames) < 2:
                    feed(event)
                    continue
                frames.pop()
                top = frames[-1]
                if not top.is_map:
                    top.container.append(frame.container)
                    continue
                key = top.key
                if key is merge_key or key in top.container:
                    frames.append(frame)
                    feed(event)
                    continue
                top.key = nokey
                top.container[key] = frame.container
                add((top.loc + (key,), top.key_mark[0], top.key_mark[1], True))
            elif event is None or kind is ev.StreamEndEvent:
                return
            else:
                feed(event)

    def feed(self, event: Any) -> None:
        mark = event.start_mark
        line, col = mark.line + 1, mark.column + 1
        kind = type(event)
        if kind is ev.ScalarEvent:
            self._scalar(event, line, col)
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            self._start(event, kind is ev.MappingStartEvent, line, col)
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            self._end()
        elif kind is ev.AliasEvent:
            self._alias(event, line, col)
        elif kind is ev.DocumentStartEvent:
            if self.documents:
                self.stop(line, col, "a second YAML document starts here ('---'): a scenario is one document")
            self.documents += 1

    def _child_loc(self, line: int, col: int, collection: bool) -> Loc | None:
        """Location of the node starting now; None when it is a mapping key."""
        if not self.frames:
            return ()
        top = self.frames[-1]
        if not top.is_map:
            return top.loc + (len(top.container),)
        if top.key is _NOKEY:
            if collection:
                self.stop(line, col, "a mapping key must be plain text, not a list or mapping")
            return None
        top.value_start = len(self.entries)
        return top.loc + (("<<",) if top.key is _MERGE_KEY else (top.key,))

    def _check_size(self, line: int, col: int) -> None:
        if len(self.entries) > MAX_NODES:
            self.stop(line, col, f"the file holds more than {MAX_NODES:,} values (keys, items and scalars "
                                 "counted); a scenario, even of 20,000 places, is far smaller")

    def _scalar(self, event: Any, line: int, col: int) -> None:
        tag = event.tag
        loc = self._child_loc(line, col, False)
        if tag is None or tag == "!":
            if event.implicit[0]:
                tag, value = _plain(event.value, self.memo)
                if tag == MERGE and loc is None:
                    value = _MERGE_KEY
            else:
                value = event.value
        elif tag == STR:
            value = event.value
        elif tag in SCALAR_TAGS:
            value = _construct(tag, event.value)
        else:
            shown = tag.replace(TAG, "!!")
            self.issues.append(Issue(line, col, f"unsupported YAML tag {shown!r}: only plain data is allowed"))
            value = None
        if loc is None:
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, len(self.entries), len(self.entries), ())
            self._key(value, line, col)
            return
        self._check_size(line, col)
        self.entries.append((loc, line, col, False))
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, len(self.entries) - 1, len(self.entries), loc)
        self._deliver(value, line, col)

    def _key(self, value: Any, line: int, col: int) -> None:
        top = self.frames[-1]
        try:
            hash(value)
        except TypeError:
            self.stop(line, col, "a mapping key must be plain text")
        top.key, top.key_mark = value, (line, col)

    def _start(self, event: Any, is_map: bool, line: int, col: int) -> None:
        if len(self.frames) >= MAX_DEPTH:
            self.stop(line, col, f"nested more than {MAX_DEPTH} levels deep")
        self._check_size(line, col)
        loc = self._child_loc(line, col, True)
        assert loc is not None
        tag = event.tag
        bad = tag not in (None, "!", MAP if is_map else SEQ)
        if bad:
            shown = tag.replace(TAG, "!!")
            self.issues.append(Issue(line, col, f"unsupported YAML tag {shown!r}: only plain data is allowed"))
        self.entries.append((loc, line, col, False))
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.frames.append(_Frame(loc, {} if is_map else [], is_map, line, col, event.anchor, len(self.entries) - 1,
                                  bad_tag=bad))

    def _end(self) -> None:
        frame = self.frames.pop()
        if frame.is_map and frame.merges:
            self._apply_merges(frame)
        value = None if frame.bad_tag else frame.container
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (value, frame.entry_start, len(self.entries), frame.loc)
        self._deliver(value, frame.line, frame.col)

    def _apply_merges(self, frame: _Frame) -> None:
        """YAML merge keys (`<<: *defaults`): keys given explicitly win, then earlier merges."""
        target = frame.container
        depth = len(frame.loc) + 1
        for value, start, end, (line, col) in frame.merges:
            is_list = isinstance(value, list)
            sources = value if is_list else [value]
            taken: set[Any] = set()
            for src in sources:
                if not isinstance(src, dict):
                    self.issues.append(Issue(line, col, "'<<' merges mappings only"))
                    continue
                for k, v in src.items():
                    if k not in target:
                        target[k] = v
                        taken.add(k)
            for loc, ln, cl, is_key in self.entries[start:end]:
                rel = loc[depth + 1:] if is_list else loc[depth:]
                if rel and rel[0] in taken:
                    self.entries.append((frame.loc + rel, ln, cl, is_key))

    def _alias(self, event: Any, line: int, col: int) -> None:
        name = event.anchor
        if name in self.open_anchors:
            self.stop(line, col, f"alias *{name} refers to a node that contains it (a recursive alias)")
        if name not in self.anchors:
            self.stop(line, col, f"alias *{name} has no anchor &{name} before it")
        value, start, end, base = self.anchors[name]
        self.alias_budget -= end - start + 1
        if self.alias_budget < 0:
            self.stop(line, col, f"aliases here expand to more than {MAX_ALIAS_NODES} values (an 'alias bomb'?)")
        loc = self._child_loc(line, col, isinstance(value, (dict, list)))
        if loc is None:
            self._key(value, line, col)
            return
        self.entries.append((loc, line, col, False))
        n = len(base)
        for sub, ln, cl, is_key in self.entries[start + 1:end]:
            self.entries.append((loc + sub[n:], ln, cl, is_key))
        self._check_size(line, col)
        self._deliver(_clone(value), line, col)

    def _deliver(self, value: Any, line: int, col: int) -> None:
        if not self.frames:
            self.root, self.has_root = value, True
            return
        top = self.frames[-1]
        if not top.is_map:
            top.container.append(value)
            return
        key, (kline, kcol) = top.key, top.key_mark
        top.key = _NOKEY
        if key is _MERGE_KEY:
            if not isinstance(value, (dict, list)):
                self.issues.append(Issue(line, col, "'<<' must be followed by a mapping or a list of mappings"))
                return
            top.merges.append((value, top.value_start, len(self.entries), (line, col)))
            return
        if key in top.container:
            first = self._key_line(top, key)
            self.issues.append(Issue(kline, kcol, f"duplicate key {key!r} (first given on line {first}); "
                                                   "only one of them would be used", top.loc))
        top.container[key] = value
        self.entries.append((top.loc + (key,), kline, kcol, True))


    def _key_line(self, top: _Frame, key: Any) -> int:
        """Line where `key` was first given in the mapping being built (only merges add keys later)."""
        loc = top.loc + (key,)
        for entry_loc, line, _, is_key in self.entries[top.entry_start:]:
            if is_key and entry_loc == loc:
                return line
        return top.line


def read_yaml(text: str) -> tuple[Any, Marks, list[Issue]]:
    """Data, marks and issues for one YAML document. Data is None when the text could not be read;
    an empty document gives None and no issue (the caller decides what empty means)."""
    builder = _Builder()
    loader = yaml.CSafeLoader(text)
    try:
        with paused_gc():
            builder.run(loader.get_event)
    except _Stop:
        return None, Marks(builder.entries), builder.issues
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = e.problem or e.context or "invalid YAML"
        if e.problem and e.context:
            start = e.context_mark
            since = f" that starts on line {start.line + 1}" if start is not None and start.line != line - 1 else ""
            what += f" ({e.context}{since})"
        return None, Marks(builder.entries), [Issue(line, col, f"not valid YAML: {what}")]
    except yaml.YAMLError as e:
        pos = getattr(e, "position", None)
        line, col = _line_col(text, pos) if isinstance(pos, int) else (1, 1)
        reason = getattr(e, "reason", None) or str(e).splitlines()[0]
        char = getattr(e, "character", None)
        if isinstance(char, str) and len(char) == 1:
            reason = f"character U+{ord(char):04X} is not allowed ({reason})"
        return None, Marks(builder.entries), [Issue(line, col, f"not valid YAML: {reason}")]
    finally:
        loader.dispose()
    return builder.root, Marks(builder.entries), builder.issues


def _line_col(text: str, pos: int) -> tuple[int, int]:
    before = text[:pos]
    return before.count("\n") + 1, pos - (before.rfind("\n") + 1) + 1
