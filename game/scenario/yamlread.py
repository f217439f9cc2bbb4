"""Read YAML text into plain data and remember where every node was, safely.

The text is parsed once into events by libyaml (PyYAML's C `CSafeLoader`
parser) and built into dicts and lists here, without recursion. Building from
events rather than from `yaml.compose` lets us stop at a nesting limit (deep
nesting crashes the C composer), count what aliases expand to (alias bombs),
report duplicate keys (PyYAML silently keeps the last) and record the line
and column of every key and value for error messages.

Positions are kept in a tree shaped like the data (`Marks`), built alongside
it: a 20,000-place map has about 900,000 nodes, so nothing is done per node
that a lookup can do later.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeAlias

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

Shadow: TypeAlias = "dict[Any, KeyMark] | list[Mark] | None"
"""Positions of a collection's children, shaped like it; None for a scalar."""
Mark: TypeAlias = "tuple[int, int, Shadow]"
"""A list item (or the root): its line, column and its children's positions."""
KeyMark: TypeAlias = "tuple[int, int, int, int, Shadow]"
"""A mapping value: its line and column, its key's line and column, and its children's positions."""


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


Entry = tuple[Loc, int, int, bool]
"""One mark as a flat record: location, line, column, and whether it is the position of a mapping key."""


class Marks:
    """Line and column of every value (and mapping key) by its location in the data.

    The reader builds them as a tree shaped like the data (`root`); `Marks(entries)` takes flat records
    instead (a variant's merge builds those from both files' `entries`), where the first record for a
    location wins."""

    def __init__(self, source: Mark | list[Entry] | None = None, *,
                 later: Callable[[], Mark | None] | None = None) -> None:
        self._root: Mark | None = None
        self._entries: list[Entry] | None = None
        self._index: tuple[dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]] | None = None
        if isinstance(source, list):
            self._entries = source
            self._index = ({}, {})
            for loc, line, col, is_key in source:
                self._index[is_key].setdefault(loc, (line, col))
        else:
            self._root = source
        self._later = later
        """Makes the root on first use (marks restored from a cache are only expanded when asked)."""

    @property
    def root(self) -> Mark | None:
        if self._later is not None:
            self._root, self._later = self._later(), None
        return self._root

    def __getstate__(self) -> dict[str, Any]:
        """Pickled with the tree expanded (a pending expansion is a closure)."""
        state = dict(self.__dict__)
        state["_root"], state["_later"] = self.root, None
        return state

    @property
    def entries(self) -> list[Entry]:
        """Every mark as a flat record, a value's before its key's (what a variant's merge works on)."""
        if self._entries is None:
            self._entries = _entries_of(self.root)
        return self._entries

    def at(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Position of the value (or its key) at `loc`, else of the nearest enclosing value; (1, 1) at worst."""
        if self._index is not None:
            return self._indexed_at(tuple(loc), key)
        node = self.root
        if node is None:
            return (1, 1)
        best = (node[0], node[1])
        children = node[2]
        last = len(loc) - 1
        for i, part in enumerate(loc):
            if isinstance(children, dict):
                try:
                    entry = children.get(part)
                except TypeError:
                    break
                if entry is None:
                    break
                if key and i == last:
                    return (entry[2], entry[3])
                best, children = (entry[0], entry[1]), entry[4]
            elif isinstance(children, list) and isinstance(part, int) and 0 <= part < len(children):
                item = children[part]
                best, children = (item[0], item[1]), item[2]
            else:
                break
        return best

    def _indexed_at(self, loc: Loc, key: bool) -> tuple[int, int]:
        assert self._index is not None
        values, keys = self._index
        if key and loc in keys:
            return keys[loc]
        while loc:
            if loc in values:
                return values[loc]
            loc = loc[:-1]
        return values.get((), (1, 1))

    def has(self, loc: Loc) -> bool:
        """Whether a value was read at `loc`."""
        if self._index is not None:
            return tuple(loc) in self._index[0]
        node = self.root
        if node is None:
            return False
        children = node[2]
        for part in loc:
            if isinstance(children, dict):
                try:
                    entry = children.get(part)
                except TypeError:
                    return False
                if entry is None:
                    return False
                children = entry[4]
            elif isinstance(children, list) and isinstance(part, int) and 0 <= part < len(children):
                children = children[part][2]
            else:
                return False
        return True


def _entries_of(root: Mark | None) -> list[Entry]:
    """The flat records of a tree of marks: each value's, then those below it, then its key's."""
    out: list[Entry] = []
    if root is None:
        return out

    def walk(loc: Loc, children: Shadow) -> None:
        if isinstance(children, dict):
            for k, (line, col, kline, kcol, sub) in children.items():
                here = loc + (k,)
                out.append((here, line, col, False))
                walk(here, sub)
                out.append((here, kline, kcol, True))
        elif isinstance(children, list):
            for i, (line, col, sub) in enumerate(children):
                here = loc + (i,)
                out.append((here, line, col, False))
                walk(here, sub)

    out.append(((), root[0], root[1], False))
    walk((), root[2])
    return out


class _NoFlat(Exception):
    pass


def flatten(data: Any, root: Mark | None) -> array[int] | None:
    """The positions of `data`'s nodes, from its marks, as integers in the order `unflatten` reads them
    (each node's line and column, a mapping key's before its value's). None when a key is not text, or
    is text starting with NUL (JSON keeps text keys only), or a node has no mark."""
    out: array[int] = array("i")
    extend = out.extend

    def below(value: Any, children: Shadow) -> None:
        if isinstance(value, dict):
            if not isinstance(children, dict):
                raise _NoFlat
            for k, v in value.items():
                entry = children.get(k) if type(k) is str and not k.startswith("\x00") else None
                if entry is None:
                    raise _NoFlat
                extend((entry[2], entry[3], entry[0], entry[1]))
                if isinstance(v, (dict, list)):
                    below(v, entry[4])
        else:
            if not isinstance(children, list) or len(children) != len(value):
                raise _NoFlat
            for v, (line, col, sub) in zip(value, children):
                extend((line, col))
                if isinstance(v, (dict, list)):
                    below(v, sub)

    if root is None:
        return None
    extend((root[0], root[1]))
    try:
        if isinstance(data, (dict, list)):
            below(data, root[2])
    except _NoFlat:
        return None
    return out


def unflatten(data: Any, flat: array[int]) -> Mark | None:
    """The marks of `data` from its positions as `flatten` gives them; None when they do not fit."""
    it = iter(flat)

    def below(value: Any) -> Shadow:
        if isinstance(value, dict):
            children: dict[Any, KeyMark] = {}
            for k, v in value.items():
                kline, kcol, line, col = next(it), next(it), next(it), next(it)
                children[k] = (line, col, kline, kcol, below(v) if isinstance(v, (dict, list)) else None)
            return children
        items: list[Mark] = []
        for v in value:
            line, col = next(it), next(it)
            items.append((line, col, below(v) if isinstance(v, (dict, list)) else None))
        return items

    try:
        line, col = next(it), next(it)
        root = (line, col, below(data) if isinstance(data, (dict, list)) else None)
    except (StopIteration, RecursionError):
        return None
    return root if next(it, None) is None else None


def shadow_size(shadow: Shadow) -> int:
    """Marks under a collection: one per list item, two per mapping entry (value and key), recursively."""
    if isinstance(shadow, dict):
        return sum(2 + shadow_size(e[4]) for e in shadow.values())
    if isinstance(shadow, list):
        return sum(1 + shadow_size(m[2]) for m in shadow)
    return 0


def _merge_shadow(first: Shadow, second: Shadow) -> Shadow:
    """Positions of a key given twice: the first's, plus any deeper position only the second has."""
    if first is None or second is None:
        return first if first is not None else second
    if isinstance(first, list) and isinstance(second, list):
        head = [m[:2] + (_merge_shadow(m[2], n[2]),) for m, n in zip(first, second)]
        return head + first[len(second):] + second[len(first):]
    out = dict(_as_keyed(first))
    for k, e in _as_keyed(second).items():
        out[k] = e if k not in out else out[k][:4] + (_merge_shadow(out[k][4], e[4]),)
    return out


def _as_keyed(shadow: dict[Any, KeyMark] | list[Mark]) -> dict[Any, KeyMark]:
    """A list's positions keyed by index (a list item's 'key' is where the item is)."""
    if isinstance(shadow, dict):
        return shadow
    return {i: (m[0], m[1], m[0], m[1], m[2]) for i, m in enumerate(shadow)}


@dataclass(slots=True)
class _Frame:
    loc: Loc
    container: Any
    shadow: Any
    is_map: bool
    line: int
    col: int
    anchor: str | None
    count_start: int
    """Marks counted before this collection's own."""
    key: Any = _NOKEY
    key_mark: tuple[int, int] = (1, 1)
    merges: list[tuple[Any, Shadow, tuple[int, int]]] = field(default_factory=list)
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
        self.count = 0
        """Marks so far: one per value and one per mapping key, aliases counted as expanded."""
        self.issues: list[Issue] = []
        self.frames: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, Shadow, int]] = {}
        """Value, positions below it and how many marks it holds, per anchor name."""
        self.open_anchors: set[str] = set()
        self.alias_budget = MAX_ALIAS_NODES
        self.documents = 0
        self.root: Any = None
        self.root_mark: Mark | None = None
        self.has_root = False
        self.memo: dict[str, tuple[str, Any]] = {}

    def stop(self, line: int, col: int, message: str) -> None:
        self.issues.append(Issue(line, col, message))
        raise _Stop

    def run(self, get: Callable[[], Any]) -> None:
        """Feed every event of the stream. Untagged, unanchored scalars and collections inside a collection
        (nearly every node of a large map) are handled inline here, with the mark count in a local; the
        rest goes through `feed`."""
        frames = self.frames
        plain, memo = _plain, self.memo
        memo_get = memo.get
        scalar, map_start, seq_start = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
        ends = (ev.MappingEndEvent, ev.SequenceEndEvent)
        nokey, merge_key, limit = _NOKEY, _MERGE_KEY, MAX_NODES

        def feed(event: Any) -> int:
            self.count = count
            self.feed(event)
            return self.count

        count = self.count
        while True:
            event = get()
            kind = type(event)
            if kind is scalar:
                if event.anchor is not None or not frames or event.tag not in (None, "!") or count >= limit:
                    count = feed(event)
                    continue
                if event.implicit[0]:
                    tag, value = memo_get(event.value) or plain(event.value, memo)
                else:
                    tag, value = None, event.value
                top = frames[-1]
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                if not top.is_map:
                    count += 1
                    top.container.append(value)
                    top.shadow.append((line, col, None))
                    continue
                key = top.key
                if key is nokey:
                    top.key = merge_key if tag == MERGE else value
                    top.key_mark = (line, col)
                    continue
                if key is merge_key or key in top.container:
                    count = feed(event)
                    continue
                count += 2
                top.key = nokey
                top.container[key] = value
                kline, kcol = top.key_mark
                top.shadow[key] = (line, col, kline, kcol, None)
            elif kind is map_start or kind is seq_start:
                if event.anchor is not None or not frames or event.tag not in (None, "!") \
                        or len(frames) >= MAX_DEPTH or count > limit:
                    count = feed(event)
                    continue
                top = frames[-1]
                if top.is_map:
                    key = top.key
                    if key is nokey or key is merge_key:
                        count = feed(event)
                        continue
                    loc = top.loc + (key,)
                else:
                    loc = top.loc + (len(top.container),)
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                is_map = kind is map_start
                frames.append(_Frame(loc, {} if is_map else [], {} if is_map else [], is_map, line, col, None,
                                     count))
                count += 1
            elif kind in ends:
                frame = frames[-1]
                if frame.anchor is not None or frame.bad_tag or frame.merges or len(frames) < 2:
                    count = feed(event)
                    continue
                top = frames[-2]
                if not top.is_map:
                    frames.pop()
                    top.container.append(frame.container)
                    top.shadow.append((frame.line, frame.col, frame.shadow))
                    continue
                key = top.key
                if key is merge_key or key in top.container:
                    count = feed(event)
                    continue
                frames.pop()
                count += 1
                top.key = nokey
                top.container[key] = frame.container
                kline, kcol = top.key_mark
                top.shadow[key] = (frame.line, frame.col, kline, kcol, frame.shadow)
            elif event is None or kind is ev.StreamEndEvent:
                self.count = count
                return
            else:
                count = feed(event)

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
        return top.loc + (("<<",) if top.key is _MERGE_KEY else (top.key,))

    def _check_size(self, line: int, col: int) -> None:
        if self.count > MAX_NODES:
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
                self.anchors[event.anchor] = (value, None, 0)
            self._key(value, line, col)
            return
        self._check_size(line, col)
        self.count += 1
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, None, 1)
        self._deliver(value, line, col, None)

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
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.frames.append(_Frame(loc, {} if is_map else [], {} if is_map else [], is_map, line, col, event.anchor,
                                  self.count, bad_tag=bad))
        self.count += 1

    def _end(self) -> None:
        frame = self.frames.pop()
        if frame.is_map and frame.merges:
            self._apply_merges(frame)
        value = None if frame.bad_tag else frame.container
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (value, frame.shadow, self.count - frame.count_start)
        self._deliver(value, frame.line, frame.col, frame.shadow)

    def _apply_merges(self, frame: _Frame) -> None:
        """YAML merge keys (`<<: *defaults`): keys given explicitly win, then earlier merges."""
        target, marks = frame.container, frame.shadow
        for value, shadow, (line, col) in frame.merges:
            if isinstance(value, list):
                items = shadow if isinstance(shadow, list) else []
                sources = [(v, items[i][2] if i < len(items) else None) for i, v in enumerate(value)]
            else:
                sources = [(value, shadow)]
            taken: set[Any] = set()
            for src, src_marks in sources:
                if not isinstance(src, dict):
                    self.issues.append(Issue(line, col, "'<<' merges mappings only"))
                    continue
                for k, v in src.items():
                    if k not in target:
                        target[k] = v
                        taken.add(k)
                        if isinstance(src_marks, dict) and k in src_marks:
                            marks.setdefault(k, src_marks[k])
            for src, src_marks in sources:
                if isinstance(src, dict) and isinstance(src_marks, dict):
                    self.count += sum(2 + shadow_size(e[4]) for k, e in src_marks.items() if k in taken)

    def _alias(self, event: Any, line: int, col: int) -> None:
        name = event.anchor
        if name in self.open_anchors:
            self.stop(line, col, f"alias *{name} refers to a node that contains it (a recursive alias)")
        if name not in self.anchors:
            self.stop(line, col, f"alias *{name} has no anchor &{name} before it")
        value, shadow, size = self.anchors[name]
        self.alias_budget -= size + 1
        if self.alias_budget < 0:
            self.stop(line, col, f"aliases here expand to more than {MAX_ALIAS_NODES} values (an 'alias bomb'?)")
        loc = self._child_loc(line, col, isinstance(value, (dict, list)))
        if loc is None:
            self._key(value, line, col)
            return
        self.count += max(size, 1)
        self._check_size(line, col)
        self._deliver(_clone(value), line, col, shadow)

    def _deliver(self, value: Any, line: int, col: int, shadow: Shadow) -> None:
        if not self.frames:
            self.root, self.root_mark, self.has_root = value, (line, col, shadow), True
            return
        top = self.frames[-1]
        if not top.is_map:
            top.container.append(value)
            top.shadow.append((line, col, shadow))
            return
        key, (kline, kcol) = top.key, top.key_mark
        top.key = _NOKEY
        if key is _MERGE_KEY:
            if not isinstance(value, (dict, list)):
                self.issues.append(Issue(line, col, "'<<' must be followed by a mapping or a list of mappings"))
                return
            top.merges.append((value, shadow, (line, col)))
            top.shadow.setdefault("<<", (line, col, kline, kcol, shadow))
            return
        self.count += 1
        if key in top.container:
            first = top.shadow.get(key, (top.line, top.col, top.line, top.col, None))
            item = ("; if it starts another item of the list, begin its line with '- '"
                    if key == "id" and top.loc and isinstance(top.loc[-1], int) else "")
            self.issues.append(Issue(kline, kcol, f"duplicate key {key!r} (first given on line {first[2]}); "
                                                   f"only one of them would be used{item}", top.loc))
            top.shadow[key] = first[:4] + (_merge_shadow(first[4], shadow),)
        else:
            top.shadow.setdefault(key, (line, col, kline, kcol, shadow))
        top.container[key] = value


def read_yaml(text: str) -> tuple[Any, Marks, list[Issue]]:
    """Data, marks and issues for one YAML document. Data is None when the text could not be read;
    an empty document gives None and no issue (the caller decides what empty means)."""
    builder = _Builder()
    loader = yaml.CSafeLoader(text)
    try:
        with paused_gc():
            builder.run(loader.get_event)
    except _Stop:
        return None, _partial(builder), builder.issues
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = e.problem or e.context or "invalid YAML"
        if e.problem and e.context:
            start = e.context_mark
            since = f" that starts on line {start.line + 1}" if start is not None and start.line != line - 1 else ""
            what += f" ({e.context}{since})"
        first = min(e.context_mark.line, line - 2) if e.context_mark is not None else line - 2
        what += _comment_hint(text, first, line) or _layout_hint(text, e.problem or "", line, col)
        return None, _partial(builder), [Issue(line, col, f"not valid YAML: {what}")]
    except yaml.YAMLError as e:
        pos = getattr(e, "position", None)
        line, col = _line_col(text, pos) if isinstance(pos, int) else (1, 1)
        reason = getattr(e, "reason", None) or str(e).splitlines()[0]
        char = getattr(e, "character", None)
        if isinstance(char, str) and len(char) == 1:
            reason = f"character U+{ord(char):04X} is not allowed ({reason})"
        return None, _partial(builder), [Issue(line, col, f"not valid YAML: {reason}")]
    finally:
        loader.dispose()
    return builder.root, Marks(builder.root_mark), builder.issues


def _value_comment(line: str) -> bool:
    """Whether `line` has, after a `{` or `[`, a # that follows a space after a `:`, `,`, `[` or `{`: a value
    that YAML reads as a comment. Linear in the line's length (a regular expression for it backtracked
    quadratically on a hostile line of 400,000 brackets: over ten minutes)."""
    starts = [i for i in (line.find("{"), line.find("[")) if i >= 0]
    if not starts or "#" not in line:
        return False
    opened = min(starts)
    k = line.find("#", opened)
    while k >= 0:
        j = k - 1
        if j > opened and line[j] in " \t":
            while j > opened and line[j] in " \t":
                j -= 1
            if line[j] in ":,[{":
                return True
        k = line.find("#", k + 1)
    return False


def _comment_hint(text: str, first: int, last: int) -> str:
    """A hint when a value in lines first..last (0-based first, 1-based last) starts with an unquoted #, which
    YAML reads as a comment that cuts the line short (a colour such as #0072B2 in a `{...}` mapping)."""
    lines = text.splitlines()[max(first, 0):last]
    if any(_value_comment(line) for line in lines):
        return "; a value starting with # must be in quotes (e.g. \"#0072B2\"): YAML reads # as a comment"
    return ""


def _layout_hint(text: str, problem: str, line: int, col: int) -> str:
    """How to fix the reading errors a new author's layout causes: a tab, a line indented unlike its
    neighbours, or text with ': ' in it left unquoted. String operations only, linear in the line."""
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "tab character" in problem or (problem.startswith("found character") and here[col - 1:col] == "\t"):
        return "; indent with spaces: YAML does not allow tabs in indentation"
    if problem.startswith("mapping values are not allowed"):
        before = here[:col - 1]
        if ":" in before.lstrip().removeprefix("- "):
            return ("; a ': ' inside a value starts a mapping: put text that contains ': ' in quotes "
                    "(e.g. title: \"Homs: the gap\")")
        return "; check this line's indentation: it is indented more than the key above it, as if it were inside it"
    if problem == "did not find expected ',' or '}'":
        before = here[:col]  # up to the mark, which sits on the ':' that ends the value
        piece = before[max(before.rfind(","), before.rfind("{")) + 1:]  # this entry of the {...} so far
        if piece.count(":") >= 2:
            return ("; in {...} a ': ' inside a value ends it: put text that contains ': ' in quotes "
                    "(e.g. title: \"Homs: the gap\"), or, if a new key starts here, put a ',' before it")
    if problem == "did not find expected key":
        return "; check this line's indentation: each key of a mapping starts in the same column as the others"
    if problem == "did not find expected '-' indicator":
        return ("; check this line's indentation: at this column YAML expects the next '- ' item of the list "
                "above (a key that belongs elsewhere must line up with the keys it goes with)")
    return ""


def _partial(builder: _Builder) -> Marks:
    """Marks of what was read before reading stopped (the outermost collection still open)."""
    if builder.root_mark is not None:
        return Marks(builder.root_mark)
    if builder.frames:
        bottom = builder.frames[0]
        return Marks((bottom.line, bottom.col, bottom.shadow))
    return Marks()


def _line_col(text: str, pos: int) -> tuple[int, int]:
    before = text[:pos]
    return before.count("\n") + 1, pos - (before.rfind("\n") + 1) + 1
