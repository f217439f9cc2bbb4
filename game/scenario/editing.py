"""The map editor's model: edits to a scenario's round-trip document, each one checked and undoable.

    edits = ScenarioEdits(Document.open(path))
    edits.move_place("homs", 34.70, 36.70)
    edits.add_route("homs", "palmyra", "road")
    edits.undo()
    problems = edits.save()

Every edit leaves a scenario that validates: one that would not (a unit an event still names, say) is
refused with EditRefused and the document is as it was. `world` and `state` are always the scenario as
edited so far, for drawing. No pygame here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from .problems import Problem, ScenarioError
from .roundtrip import Document, is_flow
from .yamlcomments import Undo, append_keeping_tail, delete_keeping_comments

PLACE_FIELDS = ("id", "name", "lat", "lon", "kind", "terrain", "value", "fort", "supply_for", "leads_to",
                "controller", "sources")
"""Key order of a place in the format (a key an edit adds goes after the keys that come before it here)."""
EDITABLE = ("name", "kind", "terrain", "value", "fort", "controller")
UNIT_FIELDS = ("id", "faction", "name", "type", "place", "strength")
ROUTE_FIELDS = ("a", "b", "kind")
DEGREES = 4
"""Decimals kept for a moved place's latitude and longitude (about 10 m)."""


class EditRefused(Exception):
    """An edit that would leave an invalid scenario, or that names nothing there; nothing was changed."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass
class Step:
    label: str
    change: Callable[[Undo], None]
    undo: Undo
    serial: int


class ScenarioEdits:
    """A document, the scenario it builds to, and the undo and redo stacks."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.world, self.state = doc.build()
        self.done: list[Step] = []
        self.undone: list[Step] = []
        self._serial = itertools.count(1)
        self._saved: int | None = None

    # --- history

    @property
    def dirty(self) -> bool:
        """Whether the document differs from the file (as far as the edits since opening or saving go)."""
        return (self.done[-1].serial if self.done else None) != self._saved

    def _apply(self, label: str, change: Callable[[Undo], None]) -> str:
        undo: Undo = []
        try:
            change(undo)
            self.world, self.state = self.doc.build()
        except ScenarioError as exc:
            _revert(undo)
            raise EditRefused(f"{label}: not done, the scenario would not be valid", exc.problems) from None
        except EditRefused:
            _revert(undo)
            raise
        self.done.append(Step(label, change, undo, next(self._serial)))
        self.undone.clear()
        return label

    def undo(self) -> str | None:
        """Take back the last edit; its label, or None when there is nothing to undo."""
        if not self.done:
            return None
        step = self.done.pop()
        _revert(step.undo)
        self.world, self.state = self.doc.build()
        self.undone.append(step)
        return step.label

    def redo(self) -> str | None:
        if not self.undone:
            return None
        step = self.undone.pop()
        step.undo = []
        step.change(step.undo)
        self.world, self.state = self.doc.build()
        self.done.append(step)
        return step.label

    def save(self, overwrite: bool = False) -> list[Problem]:
        """Write the file (validated, atomically, keeping the author's text); the errors when not written.
        A file changed elsewhere since it was opened is not overwritten unless `overwrite`."""
        problems = self.doc.save(overwrite)
        if not problems:
            self._saved = self.done[-1].serial if self.done else None
        return problems

    # --- finding things in the document

    def _list(self, *keys: str) -> CommentedSeq:
        node: Any = self.doc.data
        for k in keys:
            node = node.get(k) if isinstance(node, dict) else None
        if not isinstance(node, CommentedSeq):
            raise EditRefused(f"the file has no {'.'.join(keys)} list")
        return node

    def _place(self, pid: str) -> CommentedMap:
        for p in self._list("map", "places"):
            if isinstance(p, CommentedMap) and p.get("id") == pid:
                return p
        raise EditRefused(f"no place {pid!r}")

    def _route_index(self, a: str, b: str) -> int | None:
        for i, r in enumerate(self._list("map", "routes")):
            if isinstance(r, CommentedMap) and {r.get("a"), r.get("b")} == {a, b}:
                return i
        return None

    def _unit_index(self, uid: str) -> int:
        for i, u in enumerate(self._list("units")):
            if isinstance(u, CommentedMap) and u.get("id") == uid:
                return i
        raise EditRefused(f"no unit {uid!r}")

    def place_name(self, pid: str) -> str:
        return str(self._place(pid).get("name", pid))

    def has_route(self, a: str, b: str) -> bool:
        return self._route_index(a, b) is not None

    # --- edits

    def move_place(self, pid: str, lat: float, lon: float) -> str:
        lat, lon = round(float(lat), DEGREES), round(float(lon), DEGREES)
        def move(u: list[Callable[[], None]]) -> None:
            _set(u, self._place(pid), "lat", lat, PLACE_FIELDS)
            _set(u, self._place(pid), "lon", lon, PLACE_FIELDS)

        return self._apply(f"move {self.place_name(pid)}", move)

    def set_place(self, pid: str, **fields: Any) -> str:
        """Change a place's name, kind, terrain, value, fort or controller (its initial control)."""
        unknown = sorted(set(fields) - set(EDITABLE))
        if unknown:
            raise EditRefused(f"the editor does not change a place's {', '.join(unknown)}")
        place = self._place(pid)
        changed = {k: v for k, v in fields.items() if place.get(k) != v}
        if not changed:
            raise EditRefused("nothing to change")
        what = ", ".join(changed)

        def change(u: Undo) -> None:
            for k, v in changed.items():
                _set(u, self._place(pid), k, v, PLACE_FIELDS)
        return self._apply(f"{what} of {self.place_name(pid)}", change)

    def set_control(self, pid: str, faction: str) -> str:
        return self.set_place(pid, controller=faction)

    def add_route(self, a: str, b: str, kind: str = "road") -> str:
        if a == b:
            raise EditRefused("a route joins two different places")
        if self.has_route(a, b):
            raise EditRefused(f"{self.place_name(a)} and {self.place_name(b)} are already joined")
        routes = self._list("map", "routes")
        item = _new_item(routes, {"a": a, "b": b, "kind": kind})
        return self._apply(f"add route {self.place_name(a)}–{self.place_name(b)}",
                           lambda u: append_keeping_tail(u, self._list("map", "routes"), len(routes), item))

    def remove_route(self, a: str, b: str) -> str:
        if self._route_index(a, b) is None:
            raise EditRefused(f"no route joins {self.place_name(a)} and {self.place_name(b)}")

        def change(u: Undo) -> None:
            index = self._route_index(a, b)
            assert index is not None
            delete_keeping_comments(u, self._list("map", "routes"), index)
        return self._apply(f"remove route {self.place_name(a)}–{self.place_name(b)}", change)

    def add_unit(self, faction: str, unit_type: str, place: str, strength: float, name: str | None = None) -> str:
        """A new unit at `place`, listed after the faction's last unit; returns its id via `last_unit`."""
        units = self._list("units")
        taken = {str(u.get("id")) for u in units if isinstance(u, CommentedMap)}
        uid = f"{faction}_{place}"
        for k in itertools.count(2):
            if uid not in taken:
                break
            uid = f"{faction}_{place}_{k}"
        label = name or f"{unit_type.replace('_', ' ').capitalize()} ({self.place_name(place)})"
        fields = {"id": uid, "faction": faction, "name": label, "type": unit_type, "place": place,
                  "strength": _number(strength)}
        item = _new_item(units, fields)
        same = [i for i, u in enumerate(units) if isinstance(u, CommentedMap) and u.get("faction") == faction]
        index = same[-1] + 1 if same else len(units)
        done = self._apply(f"add unit {label}", lambda u: append_keeping_tail(u, self._list("units"), index, item))
        self.last_unit = uid
        return done

    last_unit: str = ""

    def move_unit(self, uid: str, place: str) -> str:
        return self._apply(f"move unit {uid} to {self.place_name(place)}",
                           lambda u: _set(u, self._list("units")[self._unit_index(uid)], "place", place, UNIT_FIELDS))

    def remove_unit(self, uid: str) -> str:
        self._unit_index(uid)
        return self._apply(f"remove unit {uid}",
                           lambda u: delete_keeping_comments(u, self._list("units"), self._unit_index(uid)))


def _revert(undo: Undo) -> None:
    for step in reversed(undo):
        step()
    undo.clear()


def _number(value: Any) -> int | float:
    f = float(value)
    return int(f) if f.is_integer() else f


def _set(undo: Undo, mapping: CommentedMap, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set one key, in the style of the value it replaces (a quoted name stays quoted); a new key goes
    where the format's key order puts it."""
    if key in mapping:
        old = mapping[key]
        if isinstance(old, ScalarString) and isinstance(value, str):
            value = type(old)(value)
        mapping[key] = value
        undo.append(lambda: mapping.__setitem__(key, old))
        return
    rank = order.index(key) if key in order else len(order)
    keys = list(mapping)
    pos = len(keys)
    for i, k in enumerate(keys):
        if k in order and order.index(k) > rank:
            pos = i
            break
    mapping.insert(pos, key, value)
    undo.append(lambda: mapping.__delitem__(key))


def _new_item(siblings: CommentedSeq, fields: dict[str, Any]) -> CommentedMap:
    """A new list item written like its neighbours: on one line in braces when they are, quoted names
    when theirs are quoted."""
    item = CommentedMap()
    model = next((s for s in siblings if isinstance(s, CommentedMap)), None)
    for k, v in fields.items():
        old = model.get(k) if model is not None else None
        item[k] = type(old)(v) if isinstance(old, ScalarString) and isinstance(v, str) else v
    if model is None or is_flow(model):
        item.fa.set_flow_style()
    else:
        item.fa.set_block_style()
    return item
