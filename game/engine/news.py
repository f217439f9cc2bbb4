"""What a team hears of a turn: the events it saw or was told, with what it may not know taken out.

A team hears its own events (its sides', its factions' units'), events at places it sees, public
news (captures, broken factions, changed relations, the end of the game) and injects whose audience
names it, one of its sides or "all". In what it hears, other sides' unit ids appear only for units
it sees (or that are gone, where it saw them go), and other sides' strengths and losses only as
bands; the odds behind another side's battle are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from . import events as ev
from .codec import encode
from .sight import Sides

PUBLIC: tuple[type, ...] = (ev.PlaceCaptured, ev.PlaceHandedOver, ev.PlaceControlSet, ev.PlaceContested,
                            ev.CorridorChanged, ev.FactionBroken, ev.RelationChanged, ev.GameOver)
"""News everyone hears: who holds a place is public, and so is a collapse or a change of sides."""

OWN_ONLY: tuple[type, ...] = (ev.OrderRejected, ev.AttackCalledOff, ev.SupplyCut, ev.SupplyRestored, ev.CohesionChanged,
                              ev.CapitalCut, ev.SupplySurged, ev.TruceOffered, ev.ConvoyInterdicted,
                              ev.VictoryAchieved)
"""Events only the sides involved hear (a decisive victory is public too)."""

ACTORS = ("side", "faction", "attacker", "defender", "patron", "interdictor", "winner", "loser", "a", "b")
"""Fields naming the sides an event belongs to."""

UNIT_FIELDS = ("unit", "units", "attackers", "defenders")
AMOUNTS = ("strength", "losses", "attacker_losses", "defender_losses")
ODDS = ("ratio", "chance", "shifts")

BANDS: tuple[float, ...] = (0, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000)
"""The ladder other sides' strengths are rounded to (personnel): a band runs from one step to the next."""


def band(x: float) -> tuple[float, float]:
    """The band of the ladder `x` falls in, as (low, high); beyond the top, (top, inf)."""
    for lo, hi in zip(BANDS, BANDS[1:]):
        if x < hi:
            return (float(lo), float(hi))
    return (float(BANDS[-1]), float("inf"))


def band_label(x: float) -> str:
    """'1,000-2,000'; '100,000+' beyond the ladder."""
    lo, hi = band(x)
    return f"{lo:,.0f}+" if hi == float("inf") else f"{lo:,.0f}-{hi:,.0f}"


@dataclass(frozen=True)
class EventView:
    """One event as a team heard it: its kind (the engine event's class name), where, whether it is
    the team's own, and its fields as plain data (ids it may not know left out; see the module)."""

    kind: str
    place: str | None
    own: bool
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Hearing:
    """What decides which events a team hears: its sides, the places it sees (ids), the units it
    knows (its own and those it sees), every unit still on the map, and its team id."""

    sides: Sides
    seen: frozenset[str]
    known: frozenset[str]
    alive: frozenset[str]
    fallen: Mapping[str, str] = field(default_factory=dict)
    """Names of the units no longer on the map (by id): one the team hears of by id (it fell where the
    team sees) is named too, in the event's `unit_names`, so readers need not show a bare id."""


def _actors(e: ev.Event) -> list[str]:
    out = []
    for name in ACTORS:
        val = getattr(e, name, None)
        if isinstance(val, str):
            out.append(val)
    return out


def _places(e: ev.Event) -> list[str]:
    if isinstance(e, ev.UnitMoved):
        return list(e.path)
    if isinstance(e, (ev.Engagement, ev.RouteInterdicted)):
        return e.route.split("~")
    out = [getattr(e, "place", None), getattr(e, "to", None)]
    return [p for p in out if isinstance(p, str)]


def _is_told(e: ev.InjectFired | ev.UmpireOverride | ev.MatrixResolved, h: Hearing) -> bool:
    return any(a == "all" or a == h.sides.team.id or a in h.sides.ids or a in h.sides.team.sides
               for a in e.audience)


def hears(e: ev.Event, h: Hearing) -> bool:
    """Whether the team hears of event `e` (an inject or an umpire's ruling: when its audience names
    it, one of its sides or "all"; a matrix action also when the team made it)."""
    if isinstance(e, (ev.InjectFired, ev.UmpireOverride)):
        return _is_told(e, h)
    if isinstance(e, ev.MatrixResolved):
        return _is_told(e, h) or e.team == h.sides.team.id or e.team in h.sides.ids
    if any(h.sides.owns(a) for a in _actors(e)):
        return True
    if isinstance(e, PUBLIC):
        return True
    if isinstance(e, ev.VictoryAchieved):
        return e.decisive
    if isinstance(e, OWN_ONLY):
        return False
    return any(p in h.seen for p in _places(e))


def _ids(value: Any, h: Hearing, own_event: bool, visible_place: bool) -> tuple[list[str], int]:
    """(ids the team may read, how many it may not) of a unit field's value."""
    ids = [value] if isinstance(value, str) else list(value)
    shown, unseen = [], 0
    for u in ids:
        if u in h.known or (u not in h.alive and (own_event or visible_place)):
            shown.append(u)
        else:
            unseen += 1
    return shown, unseen


def _own_amount(e: ev.Event, name: str, h: Hearing) -> bool:
    if name == "attacker_losses":
        return h.sides.owns(getattr(e, "attacker", None))
    if name == "defender_losses":
        return h.sides.owns(getattr(e, "defender", None))
    return any(h.sides.owns(a) for a in _actors(e))


def heard(e: ev.Event, h: Hearing) -> EventView:
    """Event `e` as the team hears it (call only when `hears(e, h)`)."""
    own = any(h.sides.owns(a) for a in _actors(e))
    places = _places(e)
    visible_place = any(p in h.seen for p in places)
    data: dict[str, Any] = {}
    for f in fields(e):
        name, value = f.name, getattr(e, f.name)
        if name in UNIT_FIELDS and isinstance(value, (str, tuple)):
            shown, unseen = _ids(value, h, own, visible_place)
            named = {u: h.fallen[u] for u in shown if u not in h.known and u in h.fallen}
            if named:
                data.setdefault("unit_names", {}).update(named)
            data[name] = shown[0] if isinstance(value, str) and shown else (None if isinstance(value, str) else shown)
            if unseen:
                data[f"{name}_unseen"] = unseen
        elif name in AMOUNTS and not _own_amount(e, name, h):
            data[name] = band_label(float(value))
        elif name in ODDS and not own:
            continue
        elif name == "path" and not own:
            data[name] = [p for p in value if p in h.seen]
        else:
            data[name] = encode(value)
    where = ev.event_place(e)
    if isinstance(e, ev.UnitMoved) and not own:
        where = data["path"][-1] if data["path"] else None
    return EventView(type(e).__name__, where, own, data)


def exact(e: ev.Event) -> EventView:
    """Event `e` in full, as the umpire reads it."""
    data = {f.name: encode(getattr(e, f.name)) for f in fields(e)}
    return EventView(type(e).__name__, ev.event_place(e), True, data)


def news_for(events: Iterable[ev.Event], h: Hearing) -> tuple[EventView, ...]:
    """The events the team hears of, in order, as it hears them."""
    return tuple(heard(e, h) for e in events if hears(e, h))


def everything(events: Sequence[ev.Event]) -> tuple[EventView, ...]:
    return tuple(exact(e) for e in events)
