"""Variants: a scenario file that names a parent with `extends:` and gives only what changes.

The merge runs on plain data before validation, so a variant is checked exactly
like a whole file. Every value keeps the file it came from: its line numbers
are `FileLine`s, so a problem found later is reported in the parent's or the
child's file, at that file's line and column (docs/authoring.md has the rules).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .problems import ERROR, WARNING, Problem, closest, did_you_mean, one_of, show
from .yamlread import Loc, Marks

EXTENDS = "extends"
REMOVE = "remove"
MAX_CHAIN = 8
"""Most files in one chain of variants (a guard against runaway chains; cycles are caught earlier)."""

Key = tuple[str, Any]
"""What identifies an item of a list: ("id", its id) or ("route", its two ends)."""


class FileLine(int):
    """A line number that remembers its file, so that a problem found in merged data points at the
    file that gave the value. Compares and prints as the plain number."""

    file: str

    def __new__(cls, line: int, file: str) -> FileLine:
        obj = super().__new__(cls, line)
        obj.file = file
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (FileLine, (int(self), self.file))


def relocate(problems: Iterable[Problem]) -> list[Problem]:
    """Problems moved to the file their line belongs to (see FileLine), with plain line numbers."""
    out = []
    for p in problems:
        if isinstance(p.line, FileLine):
            p = Problem(p.line.file or p.file, int(p.line), p.col, p.message, p.severity, p.code)
        out.append(p)
    return out


def item_key(item: Any) -> Key | None:
    """An item's identity for merging: its `id`, or for a route its two ends `a` and `b`."""
    if not isinstance(item, dict):
        return None
    ident = item.get("id")
    if isinstance(ident, str):
        return ("id", ident)
    a, b = item.get("a"), item.get("b")
    if "id" not in item and isinstance(a, str) and isinstance(b, str):
        return ("route", frozenset((a, b)))
    return None


def key_text(key: Key) -> str:
    """A key as an author writes it in `remove:` (`homs` or, for a route, `homs~qusayr`)."""
    if key[0] == "route":
        return "~".join(sorted(key[1]))
    return str(key[1])


def _key_of_entry(entry: Any) -> Key | None:
    """The key a `remove:` entry names: an id, or a route as `a~b`."""
    if not isinstance(entry, str) or not entry:
        return None
    if "~" in entry:
        ends = entry.split("~")
        return ("route", frozenset(ends)) if len(ends) == 2 and all(ends) and ends[0] != ends[1] else None
    return ("id", entry)


def is_keyed(items: list[Any]) -> bool:
    """A non-empty list whose every item has a key: such lists merge item by item."""
    return bool(items) and all(item_key(i) is not None for i in items)


def keyed_lists(data: Any, loc: Loc = ()) -> dict[Loc, set[Key]]:
    """Every keyed list in the data, by location, with the keys of its items."""
    out: dict[Loc, set[Key]] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            out.update(keyed_lists(v, loc + (k,)))
    elif isinstance(data, list):
        if is_keyed(data):
            out[loc] = {k for k in map(item_key, data) if k is not None}
        for i, v in enumerate(data):
            out.update(keyed_lists(v, loc + (i,)))
    return out


def list_name(loc: Loc) -> str:
    return ".".join(str(p) for p in loc if not isinstance(p, int)) or "top level"


def _index(marks: Marks, file: str) -> dict[Loc, list[tuple[Any, int, bool]]]:
    """The marks of one file by location, their lines tagged with the file (unless already tagged)."""
    out: dict[Loc, list[tuple[Any, int, bool]]] = {}
    lines: dict[int, FileLine] = {}
    for loc, line, col, is_key in marks.entries:
        if not isinstance(line, FileLine):
            tagged = lines.get(line)
            if tagged is None:
                tagged = lines[line] = FileLine(line, file)
            line = tagged
        out.setdefault(loc, []).append((line, col, is_key))
    return out


class Merge:
    """Merges a child's data onto its parent's and builds the marks of the result as it goes."""

    def __init__(self, parent: tuple[str, Marks], child: tuple[str, Marks],
                 removals: dict[tuple[Loc, Key], int]) -> None:
        self.parent, self.child = _index(parent[1], parent[0]), _index(child[1], child[0])
        self.child_name = child[0]
        self.removals = removals
        self.entries: list[tuple[Loc, int, int, bool]] = []
        self.problems: list[Problem] = []
        self.added: list[tuple[Loc, str, list[str], bool]] = []
        """Each item the child adds to a keyed list: its list, its id (a route's ends as written), the ids the
        parent's list has, and whether the child's `remove:` dropped the parent's item of that key."""

    def _emit(self, index: dict[Loc, list[tuple[Any, int, bool]]], src: Loc, out: Loc) -> None:
        for line, col, is_key in index.get(src, ()):
            self.entries.append((out, line, col, is_key))

    def copy(self, from_parent: bool, src: Loc, value: Any, out: Loc) -> Any:
        """One side's value as it is (the parent's without the items the child removes)."""
        self._emit(self.parent if from_parent else self.child, src, out)
        if isinstance(value, dict):
            return {k: self.copy(from_parent, src + (k,), v, out + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            items: list[Any] = []
            for i, v in enumerate(value):
                if from_parent and (src, item_key(v)) in self.removals:
                    continue
                items.append(self.copy(from_parent, src + (i,), v, out + (len(items),)))
            return items
        return value

    def merge(self, p_loc: Loc, p_val: Any, c_loc: Loc, c_val: Any, out: Loc) -> Any:
        """Mappings merge key by key; keyed lists item by item; anything else is the child's."""
        if isinstance(p_val, dict) and isinstance(c_val, dict):
            self._emit(self.child, c_loc, out)
            merged = {}
            for k, v in p_val.items():
                if k in c_val:
                    merged[k] = self.merge(p_loc + (k,), v, c_loc + (k,), c_val[k], out + (k,))
                else:
                    merged[k] = self.copy(True, p_loc + (k,), v, out + (k,))
            for k, v in c_val.items():
                if k not in p_val:
                    merged[k] = self.copy(False, c_loc + (k,), v, out + (k,))
            return merged
        if isinstance(p_val, list) and isinstance(c_val, list) and c_val and is_keyed(p_val):
            return self._merge_items(p_loc, p_val, c_loc, c_val, out)
        return self.copy(False, c_loc, c_val, out)

    def _check_keys(self, c_loc: Loc, c_val: list[Any], route: bool) -> None:
        """Each of the child's items of a keyed list must say which item it is."""
        need, what = (("its ends `a` and `b`", "the ends of the route to change, or new ends to add a route") if route
                      else ("its `id`", "the id of the item to change, or a new id to add an item"))
        for i, item in enumerate(c_val):
            if item_key(item) is None:
                got = "" if isinstance(item, dict) else f", got {show(item)}"
                message = f"{list_name(c_loc)}: in a variant each item needs {need}: give {what}{got}"
                self.problems.append(Problem(self.child_name, *self.child_pos(c_loc + (i,)), message))

    def _merge_items(self, p_loc: Loc, p_val: list[Any], c_loc: Loc, c_val: list[Any], out: Loc) -> list[Any]:
        first = item_key(p_val[0])
        self._check_keys(c_loc, c_val, first is not None and first[0] == "route")
        self._emit(self.child, c_loc, out)
        given = {item_key(item): i for i, item in enumerate(c_val) if item_key(item) is not None}
        items: list[Any] = []
        used: set[int] = set()
        for i, item in enumerate(p_val):
            key = item_key(item)
            if (p_loc, key) in self.removals:
                continue
            if key in given:
                j = given[key]
                used.add(j)
                items.append(self.merge(p_loc + (i,), item, c_loc + (j,), c_val[j], out + (len(items),)))
            else:
                items.append(self.copy(True, p_loc + (i,), item, out + (len(items),)))
        for j, item in enumerate(c_val):
            if j not in used and item_key(item) is not None:
                items.append(self.copy(False, c_loc + (j,), item, out + (len(items),)))
                key = item_key(item)
                removed = (p_loc, key) in self.removals
                route = key is not None and key[0] == "route"  # a route's ends are each checked on their own
                known = [] if removed or route else [key_text(k) for k in map(item_key, p_val) if k is not None]
                label = f"{item['a']}~{item['b']}" if route else key_text(key)  # type: ignore[arg-type]
                self.added.append((c_loc, label, known, removed))
        return items

    def added_notes(self, parent_name: str) -> dict[str, str]:
        """For each item the child adds, by where messages name it (`patrons[irn]`), a note that says so,
        with the parent's id it was likely meant to change: a misspelt id adds an item rather than
        changing one, and the first symptom is its missing required keys."""
        out: dict[str, str] = {}
        for loc, text, known, removed in self.added:
            name = list_name(loc)
            if removed:
                out[f"{name}[{text}]"] = f"`remove:` drops {parent_name}'s {text!r}, so this gives it anew, whole"
                continue
            near = closest(text, known)
            hint = f": did you mean {near!r}?" if near is not None else ""
            out[f"{name}[{text}]"] = f"{parent_name} has no {name} item {text!r}, so this adds a new one{hint}"
        return out

    def child_pos(self, loc: Loc) -> tuple[int, int]:
        while True:
            for line, col, is_key in self.child.get(loc, ()):
                if not is_key:
                    return int(line), col
            if not loc:
                return 1, 1
            loc = loc[:-1]


def removals_of(entries: Any, parent: Any, parent_name: str, at: Callable[[Loc], tuple[int, int]],
                child_name: str) -> tuple[dict[tuple[Loc, Key], int], list[Problem]]:
    """What the child's `remove:` list drops from the parent: (list location, key) → the entry's index
    in `remove:`, and the problems."""
    problems: list[Problem] = []

    def report(loc: Loc, message: str, severity: str = ERROR) -> None:
        problems.append(Problem(child_name, *at(loc), f"remove: {message}", severity))

    if entries is None:
        return {}, problems
    if not isinstance(entries, list):
        report((REMOVE,), f"expected a list of ids to drop from {parent_name}, got {show(entries)}")
        return {}, problems
    lists = keyed_lists(parent)
    known = sorted({key_text(k) for keys in lists.values() for k in keys})
    out: dict[tuple[Loc, Key], int] = {}
    for i, entry in enumerate(entries):
        key = _key_of_entry(entry)
        if key is None:
            report((REMOVE, i), f"expected an id, or a route as 'a~b', got {show(entry)}")
            continue
        holders = [loc for loc, keys in lists.items() if key in keys]
        if not holders:
            hint = did_you_mean(entry, known)
            report((REMOVE, i), f"{parent_name} has no item {entry!r} to remove{hint}")
        elif len(holders) > 1:
            where = one_of(list_name(loc) for loc in holders)
            report((REMOVE, i), f"{entry!r} names items in {where}; ids must be unique to be removed")
        elif (holders[0], key) in out:  # harmless, but likely a slip for another id
            report((REMOVE, i), f"{entry!r} is listed twice (first as item {out[(holders[0], key)] + 1} of remove:)",
                   WARNING)
        else:
            out[(holders[0], key)] = i
    return out, problems


def rebase_outline(data: dict[str, Any], parent_dir: Path, child_dir: Path) -> None:
    """Keep an inherited `meta.outline` pointing at the same file when the child lives elsewhere."""
    meta = data.get("meta")
    outline = meta.get("outline") if isinstance(meta, dict) else None
    if not isinstance(outline, str) or not outline or Path(outline).is_absolute():
        return
    if isinstance(meta, dict) and parent_dir.resolve() != child_dir.resolve():
        target = parent_dir.resolve() / outline
        meta["outline"] = Path(os.path.relpath(target, child_dir.resolve())).as_posix()


def parent_name(child_name: str, extends: str) -> str:
    """How the parent is named in messages: its path as seen from where the child was named."""
    return os.path.normpath(os.path.join(os.path.dirname(child_name), extends))
