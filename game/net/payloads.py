"""What each page is sent, as JSON-ready dicts, built from views only: a team's from `view_for(state,
team)` (and its own draft and options), the projector's from the public view, the umpire's from the
umpire's view. Nothing here reads a unit of the State for a team."""

from __future__ import annotations

from typing import Any

from game.engine.crt import RESULTS
from game.engine.news import EventView
from game.engine.public import public_view as public_of
from game.engine.rules import rule_limits
from game.engine.types import CHANNELS
from game.engine.umpire_checks import NUMBER_RULES
from game.engine.view import PlaceView, View, umpire_view
from game.report.narrate import (
    Names,
    describe,
    gather_unseen,
    is_key,
    order_text,
    record_summary,
    ruling_told,
    turn_text,
)
from game.session.hosted import HostedGame

TOLD_KINDS = ("UmpireOverride", "MatrixResolved")
"""Umpire's rulings a team was told of: listed with the injects."""


def public_view(game: HostedGame) -> View:
    """What everyone may know: the map, who holds each place, the date, and injects and rulings told to all."""
    return public_of(game.state, game.recent)


def names_of(view: View, game: HostedGame) -> Names:
    """The names a page may show: the view's places, factions, patrons and units, and the teams'. The
    umpire's also those of units that fell in the last turn (from the umpire's view of the turn's start):
    its view holds the units left, so its list of the turn read 'gov_4th_div broke at Damascus'. A team's
    view names the units it heard fall itself (the engine's `unit_names`)."""
    n = Names()
    if view.umpire and game.recent_from is not None:
        n.learn(umpire_view(game.recent_from))
    n.learn(view)
    n.learn_teams({seat.id: seat.name for seat in game.seats})
    return n


def _place(p: PlaceView, n: Names) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "controller": p.controller, "controller_name": n(p.controller),
            "seen": p.seen, "contested": p.contested, "value": p.value, "kind": p.kind}


INJECT_RULINGS = {"new_inject": "From the umpire", "inject": "Fired by the umpire"}
"""Overrides that fire an inject: told as the inject itself, marked as the umpire's, in one line."""


def _event_lines(view: View, n: Names) -> tuple[list[str], list[str]]:
    """(the turn's key events, the injects and rulings the team was told) as sentences."""
    report, told = [], []
    events = gather_unseen(view.events)  # unseen units breaking at one place: one line
    for i, e in enumerate(events):
        if e.kind == "InjectFired" or e.kind in TOLD_KINDS:
            if _fires_next(e, events[i + 1:]):
                continue  # the inject that follows says it, marked as the umpire's
            told.append(_told(e, events[i - 1] if i else None, n))
        elif is_key(e):
            report.append(describe(e, n))
    return report, told


def _fires_next(e: EventView, rest: list[EventView]) -> bool:
    """Whether `e` is an override that fired an inject the reader is told of next."""
    return (e.kind == "UmpireOverride" and e.data.get("what") in INJECT_RULINGS and bool(rest)
            and rest[0].kind == "InjectFired")


def _told(e: EventView, before: EventView | None, n: Names) -> str:
    if e.kind == "UmpireOverride":
        return ruling_told(e.data, n)
    if e.kind == "InjectFired" and before is not None and _fires_next(before, [e]):
        return f"{INJECT_RULINGS[str(before.data.get('what'))]}: {describe(e, n)}"
    return describe(e, n)


def _common(game: HostedGame, view: View, now: float) -> dict[str, Any]:
    return {"title": view.title, "turn": view.turn, "turns": view.turns, "when": turn_text(view), "date": view.date,
            "phase": game.phase,
            "seconds_left": game.seconds_left(now), "revision": game.revision, "state_revision": len(game.records),
            "teams": [{"id": s.id, "name": s.name, "human": s.human, "ready": s.id in game.ready}
                      for s in game.seats],
            "factions": [{"id": f.id, "name": f.name, "short": f.short, "colour": f.colour} for f in view.factions],
            "outcome": None if view.outcome is None else {"winners": list(view.outcome.winners),
                                                          "reason": view.outcome.reason}}


def team_payload(game: HostedGame, team: str, now: float) -> dict[str, Any]:
    """Everything a team page shows: its view, its draft, the orders it may give, its turn report."""
    view = game.view(team)
    n = names_of(view, game)
    seat = game.seat(team)
    draft = game.drafts[team].orders
    ordered = {getattr(o, "unit", None): order_text(o, n) for _, o in draft}
    options: dict[str, list[dict[str, str]]] = {}
    for opt in game.options(team):
        who = getattr(opt.order, "unit", None) or opt.side
        label = order_text(opt.order, n).removeprefix(f"{n(who)}: ")  # a unit's options are listed under it
        options.setdefault(who, []).append({"key": opt.key, "label": label,
                                            "kind": type(opt.order).__name__,
                                            "target": _target(opt.order)})
    report, told = _event_lines(view, n)
    own_factions = {f.id for f in view.factions if f.own}
    return _common(game, view, now) | {
        "role": "team", "team": team, "team_name": seat.name, "sides": list(seat.sides),
        "ready": team in game.ready, "held_last_turn": game.held.get(team, False),
        "places": [_place(p, n) for p in view.places],
        "units": [{"id": u.id, "name": u.name, "faction": u.faction, "type": u.type, "place": u.place,
                   "place_name": n(u.place), "strength": round(u.strength), "cohesion": round(u.cohesion, 2),
                   "posture": u.posture, "supply": u.supply, "order": ordered.get(u.id)} for u in view.units],
        "estimates": [{"id": e.id, "name": e.name, "faction": e.faction, "faction_name": n(e.faction), "type": e.type,
                       "place": e.place, "place_name": n(e.place), "strength": e.label,
                       "relation": relation_to(view, own_factions, e.faction)} for e in view.estimates],
        "own": [{"id": f.id, "name": f.name, "cohesion": f.cohesion, "score": f.score} for f in view.factions
                if f.id in own_factions],
        "patrons": [{"id": p.id, "name": p.name, "support": p.support, "capacity": p.capacity} for p in view.patrons
                    if p.own],
        "options": options, "draft": [{"index": i, "label": order_text(o, n), "side": s} for i, (s, o) in
                                      enumerate(draft)],
        "report": report, "told": told}


def relation_to(view: View, own: set[str], faction: str) -> str:
    """How the team stands to another faction: "hostile" if any of its factions is at war with it, else
    "allied" if any is allied to it, else "neutral" (a team page lists seen units under these)."""
    labels = {rel for a, b, rel in view.relations if (a in own and b == faction) or (b in own and a == faction)}
    return "hostile" if "hostile" in labels else "allied" if "allied" in labels else "neutral"


def _target(order: object) -> str:
    for key in ("to", "target", "place", "a"):
        value = getattr(order, key, None)
        if isinstance(value, str):
            return value
    return ""


def public_payload(game: HostedGame, now: float) -> dict[str, Any]:
    view = public_view(game)
    n = names_of(view, game)
    report, told = _event_lines(view, n)
    return _common(game, view, now) | {"role": "projector", "report": report, "told": told,
                                       "places": [_place(p, n) for p in view.places]}


def umpire_payload(game: HostedGame, now: float) -> dict[str, Any]:
    view = game.view("umpire")
    n = names_of(view, game)
    report, told = _event_lines(view, n)
    fired = {e.data.get("inject") for e in view.events if e.kind == "InjectFired"}
    return _common(game, view, now) | {
        "role": "umpire", "report": report, "told": told, "log": str(game.log_path or ""),
        "save": str(game.save_path or ""), "code": game.code,
        "drafts": {s.id: len(game.drafts[s.id].orders) for s in game.seats if s.human},
        "held_last_turn": game.held,
        "injects": [{"id": i.id, "title": i.title, "fired_last_turn": i.id in fired,
                     "fired": i.id in game.state.fired, "once": i.once} for i in game.state.world.injects],
        "places": [_place(p, n) for p in view.places]} | ruling_choices(game, view, n)


def ruling_choices(game: HostedGame, view: View, n: Names) -> dict[str, Any]:
    """What the console's ruling forms offer: patrons' support, the rules that are one number (with their
    ranges), the battles of the turn just played whose result may still change, and the rulings on record."""
    rules = game.state.rules
    n.names.update({s.id: s.name for s in game.seats} | {"all": "everyone"})
    return {
        "patrons": [{"id": p.id, "name": p.name, "support": p.support or {}} for p in view.patrons],
        "channels": [c.value for c in CHANNELS],
        "rules": [{"name": r, "value": float(getattr(rules, r)), "range": list(rule_limits(r))}
                  for r in sorted(NUMBER_RULES)],
        "battles": [{"place": place, "name": n(place), "result": result} for place, result in game.battles()],
        "results": list(RESULTS),
        "rulings": [_ruling_line(rec, n) for rec in game.records if rec.get("type") in ("override", "matrix")]}


def _ruling_line(rec: dict[str, Any], n: Names) -> dict[str, Any]:
    title, rows = record_summary(rec, n)
    told = ", ".join(n(a) for a in rec.get("audience", [])) or "the umpire alone"
    return {"turn": rec.get("turn"), "title": title, "rows": [list(r) for r in rows], "told": told}
