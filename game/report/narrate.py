"""Sentences for the after-action report: the key events of a turn (from a View's events) and the
orders each side gave (from the log), in plain words."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from game.engine import Order
from game.engine.news import EventView
from game.engine.view import View

KEY_KINDS = ("InjectFired", "PlaceCaptured", "PlaceHandedOver", "PlaceControlSet", "Combat", "Engagement",
             "FactionBroken", "UnitRouted", "UnitSurrendered", "UnitWentToGround", "UnitFled", "UnitDestroyed",
             "MoraleFailed", "AirStrike", "DepotStruck", "ForcesEvacuated", "ReinforcementsArrived",
             "ConvoyInterdicted", "TruceOffered", "RelationChanged", "CorridorChanged", "VictoryAchieved", "GameOver")
"""The events a report lists for each turn (moves, supply and cohesion changes are left to the charts)."""


class Names:
    """Display names of places, factions, patrons and the units a reader may know (unknown ids shown as is)."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def learn(self, view: View) -> None:
        """Add the names a view holds: its places, factions, patrons, own units and units it sees."""
        for p in view.places:
            self.names[p.id] = p.name
        for f in view.factions:
            self.names[f.id] = f.name
        for pat in view.patrons:
            self.names[pat.id] = pat.name
        for c in view.corridors:
            self.names[c.id] = c.name
        for u in view.units:
            self.names[u.id] = u.name
        for e in view.estimates:
            self.names[e.id] = e.name
        for ev_ in view.events:  # units that fell where the team sees: named by the event itself
            fallen = ev_.data.get("unit_names")
            if isinstance(fallen, dict):
                self.names.update({str(k): str(v) for k, v in fallen.items()})

    def learn_teams(self, teams: Mapping[str, str]) -> None:
        """Add the teams' names by id (public: every team's name is in the scenario's `teams:`), so a
        matrix action reads "Matrix action by HTS-led command", not "by hts_team"."""
        for tid, name in teams.items():
            self.names.setdefault(tid, name)

    def __call__(self, ident: Any) -> str:
        return self.names.get(str(ident), str(ident))

    def units(self, data: Mapping[str, Any], key: str, faction: str = "") -> str:
        """'Homs garrison, Republican Guard and 2 unseen units' from an event's unit field."""
        val = data.get(key)
        ids = [val] if isinstance(val, str) else list(val or [])
        parts = [self(u) for u in ids]
        unseen = int(data.get(f"{key}_unseen", 0))
        if unseen:
            whose = f"{self(faction)} " if faction else ""
            parts.append(f"{unseen} unseen {whose}unit{'s' if unseen > 1 else ''}")
        if not parts:
            return f"a {self(faction)} unit" if faction else "a unit"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _amount(x: Any) -> str:
    return f"{x:,.0f}" if isinstance(x, (int, float)) else str(x)


def describe(e: EventView, n: Names) -> str:
    """One event as a sentence."""
    d = e.data
    k = e.kind
    if k == "InjectFired":
        return f"{d.get('title')}: {d.get('message')}".rstrip(": ")
    if k == "PlaceCaptured":
        return f"{n(d['faction'])} took {n(d['place'])} from {n(d['previous'])}."
    if k == "PlaceHandedOver":
        return f"{n(d['previous'])} handed {n(d['place'])} over to {n(d['faction'])}."
    if k == "PlaceControlSet":
        return f"{n(d['place'])} passed from {n(d['previous'])} to {n(d['faction'])} by an event."
    if k == "Combat":
        table = f"results table: {d.get('result') or ('success' if d.get('success') else 'failed')}"
        if d.get("column"):
            table += f" on the {d['column']} column"
        if d.get("inside"):  # fighting already inside the place: nobody launched an attack this turn
            return (f"{n(d['attacker'])} fought {n(d['defender'])} inside {n(d['place'])} ({table}); "
                    f"{n(d['attacker'])} lost {_amount(d['attacker_losses'])}, {n(d['defender'])} "
                    f"{_amount(d['defender_losses'])}.")
        return (f"{n(d['attacker'])} attacked {n(d['place'])}, held by {n(d['defender'])} ({table}); attackers "
                f"lost {_amount(d['attacker_losses'])}, defenders {_amount(d['defender_losses'])}.")
    if k == "Engagement":
        a, b = str(d["route"]).split("~")
        return f"{n(d['winner'])} won a meeting engagement with {n(d['loser'])} between {n(a)} and {n(b)}."
    if k == "FactionBroken":
        return f"{n(d['faction'])} broke: its cohesion fell to {d['cohesion']:.2f}, below its breakpoint."
    if k == "UnitRouted":
        return f"{n.units(d, 'unit', d['faction'])} routed at {n(d['place'])}."
    if k in ("UnitSurrendered", "UnitDestroyed"):
        verb = "surrendered" if k == "UnitSurrendered" else "was destroyed"
        return f"{n.units(d, 'unit', d['faction'])} {verb} at {n(d['place'])}."
    if k == "UnitWentToGround":
        return f"{n.units(d, 'unit', d['faction'])} went to ground at {n(d['place'])} instead of surrendering."
    if k == "UnitFled":
        return f"{n.units(d, 'unit', d['faction'])} fled from {n(d['place'])} into {d['country']}."
    if k == "MoraleFailed":
        how = "broke" if d.get("broke") else "wavered"
        return f"{n.units(d, 'unit', d['faction'])} {how} at {n(d['place'])} (lost {_amount(d['strength'])})."
    if k == "AirStrike":
        return (f"{n(d['patron'])} struck {n(d['place'])} from the air: {n.units(d, 'units')} hit, "
                f"{_amount(d['losses'])} lost.")
    if k == "DepotStruck":
        return f"{n(d['patron'])} struck the weapons depot at {n(d['place'])} ({d['left']:.0%} left)."
    if k == "ForcesEvacuated":
        return f"{n(d['patron'])} evacuated {_amount(d['strength'])} of its forces from {n(d['place'])}."
    if k == "ReinforcementsArrived":
        return (f"{n(d['patron'])} sent reinforcements ({_amount(d['strength'])} troops) for {n(d['faction'])} "
                f"to {n(d['place'])}.")  # "sent 33 reinforcements" read as 33 units
    if k == "ConvoyInterdicted":
        return f"{n(d['interdictor'])} struck a {n(d['patron'])} convoy at {n(d['place'])}."
    if k == "TruceOffered":
        taken = "took it" if d.get("taken") else "turned it down"
        return f"{n(d['patron'])} offered {n(d['faction'])} a truce; {n(d['faction'])} {taken}."
    if k == "RelationChanged":
        return f"{n(d['a'])} and {n(d['b'])} are now {d['relation']}."
    if k == "CorridorChanged":
        return f"{n(d['corridor'])}: {'open' if d.get('open') else 'closed'} for {n(d['faction'])}."
    if k == "VictoryAchieved":
        return f"{n(d['faction'])} achieved a goal: {d.get('description') or d['condition']} (+{d['points']:g})."
    if k == "GameOver":
        winners = ", ".join(n(w) for w in d.get("winners", [])) or "nobody"
        return f"Game over: {winners} ({d.get('reason')})."
    return _minor(e, n)


def _minor(e: EventView, n: Names) -> str:
    """Sentences for the events a report does not list as key (the `view` command prints them all)."""
    d, k = e.data, e.kind
    unit = n.units(d, "unit", d.get("faction", "")) if "unit" in d else ""
    if k == "UnitMoved":
        path = d.get("path") or []
        return f"{unit} moved" + (f" to {n(path[-1])}." if path else " out of sight.")
    if k == "UnitRetreated":
        return f"{unit} fell back from {n(d['place'])} to {n(d['to'])} ({d.get('reason')})."
    if k in ("UnitRallied", "SupplyCut", "SupplyRestored", "UnitDeserted"):
        what = {"UnitRallied": "rallied", "SupplyCut": "was cut off from supply",
                "SupplyRestored": "is supplied again", "UnitDeserted": "lost men to desertion"}[k]
        return f"{unit} {what} at {n(d['place'])}."
    if k == "CohesionChanged":
        return f"{n(d['faction'])}'s cohesion went from {d['before']:.2f} to {d['after']:.2f}."
    if k == "CapitalCut":
        return f"{d['share']:.0%} of {n(d['faction'])}'s strength has no route to its capital."
    if k == "SupplySurged":
        return f"{n(d['patron'])} pushed supplies to {n(d['faction'])} ({d['units']} units reached)."
    if k == "CloseAirSupport":
        return f"{n(d['patron'])} flew close air support at {n(d['place'])}."
    if k == "RouteInterdicted":
        a, b = str(d["route"]).split("~")
        return f"{n(d['patron'])} watched the route {n(a)} – {n(b)} from the air."
    if k == "PlaceContested":
        return f"{n(d['place'])} is contested by {', '.join(n(f) for f in d.get('factions', []))}."
    if k == "OrderRejected":
        return f"An order of {n(d['side'])} was refused: {d.get('reason')}."
    if k == "AttackCalledOff":
        return f"{n.units(d, 'unit', d['faction'])} did not attack {n(d['place'])}: {d.get('reason')}."
    if k == "UmpireOverride":
        change = " → ".join(n(x) for x in (d.get("before"), d.get("after")) if x)
        return f"{override_title(d, n)}{': ' + change if change else ''}. Reason: {d.get('reason')}"
    if k == "MatrixResolved":
        roll = d.get("roll") or []
        mods = sum(int(v) for _, v in d.get("modifiers") or [])
        told = f" {d['outcome']}" if d.get("success") and d.get("outcome") else ""
        return (f"Matrix action by {n(d.get('team'))}: {d.get('action')}: rolled {' + '.join(map(str, roll))}"
                f"{f' {mods:+d}' if mods else ''} against {d.get('needed')}, "
                f"{'succeeded' if d.get('success') else 'failed'}.{told}")
    return f"{k}: " + ", ".join(f"{key} {val}" for key, val in d.items())


def turn_text(view: View) -> str:
    """'turn 3 of 12', or once the game is over 'after turn 12 of 12, game over' (never 'turn 13 of 12')."""
    return turn_words(view.turn, view.turns, None if view.outcome is None else view.outcome.turn)


def turn_words(turn: int, turns: int, over_after: int | None) -> str:
    """`turn_text` from the numbers: the turn now, the game's turns and the turn it ended after (None: it goes on)."""
    if over_after is not None:
        return f"after turn {over_after} of {turns}, game over"
    return f"turn {turn} of {turns}"


def is_unfinished(view: View) -> bool:
    """Whether the game stopped before its end (no outcome yet): standings then are only as of its last turn."""
    return view.outcome is None


def unfinished_text(view: View) -> str:
    """'Unfinished game: …' for a game that stopped before its end, else ''."""
    if not is_unfinished(view):
        return ""
    return (f"Unfinished game: it stopped after turn {view.turn - 1} of {view.turns}. The standings are as of "
            f"that point (the start of turn {view.turn}), not the game's end; benchmarks measured to a later date "
            "are only part-way.")


def standing_heading(view: View) -> str:
    """The heading of the standings: plain for a finished game, 'so far' with the turn for an unfinished one."""
    if not is_unfinished(view):
        return "Standing against history"
    return f"Standing against history so far (start of turn {view.turn} of {view.turns}; game unfinished)"


def verdict(stand: float, finished: bool) -> str:
    """A side's standing in words: 'beat history', or 'ahead of history so far' while the game is unfinished."""
    if finished:
        return "beat history" if stand > 1e-9 else "matched history" if abs(stand) <= 1e-9 else "fell short"
    return ("ahead of history so far" if stand > 1e-9 else "level with history so far" if abs(stand) <= 1e-9
            else "behind history so far")


WHAT_WORDS = {"new_inject": "live inject", "inject": "scripted inject fired", "combat_result": "combat result",
              "add_unit": "unit added", "remove_unit": "unit removed"}
"""What an override changed, in words, where its record's `what` is not a plain word already."""


def override_title(d: Mapping[str, Any], n: Names) -> str:
    """'Umpire override: controller (Hama)', 'Umpire override: live inject' from an override's event or record."""
    what = WHAT_WORDS.get(str(d.get("what", "")), str(d.get("what", "result")).replace("_", " "))
    target = f" ({n(d['target'])})" if d.get("target") else ""
    return f"Umpire override: {what}{target}"


def ruling_told(d: Mapping[str, Any], n: Names) -> str:
    """An override as its audience is told it: 'The umpire ruled: controller of Hama now Government. Reason: …'."""
    what = WHAT_WORDS.get(str(d.get("what", "")), str(d.get("what", "")).replace("_", " "))
    target = f" of {n(d['target'])}" if d.get("target") else ""
    after = f" now {n(d['after'])}" if d.get("after") else ""
    return f"The umpire ruled: {what}{target}{after}. Reason: {d.get('reason')}"


def outcome_text(view: View, n: Names) -> str:
    """How the game ended, or where it stopped."""
    o = view.outcome
    if o is None:
        return f"The game is unfinished: it stopped after turn {view.turn - 1} of {view.turns}."
    return f"Game over after turn {o.turn}: {', '.join(n(w) for w in o.winners) or 'nobody'} ({o.reason})."


def _range(x: Any) -> tuple[float, float] | None:
    """A strength as the report shows it (a number, or a team's estimate 'low-high') as (low, high)."""
    if isinstance(x, (int, float)):
        return float(x), float(x)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)", str(x))
    return (float(m[1]), float(m[2])) if m else None


def gather_unseen(events: Sequence[EventView]) -> list[EventView]:
    """The events with the breaks of unseen units of one faction at one place in the turn told as one (where
    the first was; strengths added): a team's report read '1 unseen unit broke at Hasya' three times."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, e in enumerate(events):
        d = e.data
        if e.kind == "MoraleFailed" and d.get("broke") and not d.get("unit") and int(d.get("unit_unseen", 0)) > 0 \
                and _range(d.get("strength")) is not None:
            groups.setdefault((d.get("faction"), d.get("place")), []).append(i)
    out: list[EventView | None] = list(events)
    for members in groups.values():
        if len(members) < 2:
            continue
        spans = [s for s in (_range(events[i].data["strength"]) for i in members) if s is not None]
        low, high = sum(s[0] for s in spans), sum(s[1] for s in spans)
        first = events[members[0]]
        data = {**first.data, "unit_unseen": sum(int(events[i].data["unit_unseen"]) for i in members),
                "strength": low if low == high else f"{low:.0f}-{high:.0f}"}
        out[members[0]] = replace(first, data=data)
        for i in members[1:]:
            out[i] = None
    return [e for e in out if e is not None]


def is_key(e: EventView) -> bool:
    """Whether a report lists the event among the turn's key events (a morale check only when the unit broke)."""
    return e.kind in KEY_KINDS and not (e.kind == "MoraleFailed" and not e.data.get("broke"))


def key_events(view: View, n: Names) -> list[str]:
    """The turn's key events in a view, as sentences, in the order they happened (unseen units of a
    faction breaking at one place counted together: `gather_unseen`)."""
    return [describe(e, n) for e in gather_unseen(view.events) if is_key(e)]


ORDER_WORDS = {"Move": "move to", "Attack": "attack", "Hold": "hold", "Entrench": "entrench", "Withdraw": "withdraw to",
               "AirStrike": "air strike at", "CloseAir": "close air support at", "Interdict": "interdict",
               "Reinforce": "reinforce at", "SupplySurge": "supply surge for", "Evacuate": "evacuate from",
               "Negotiate": "seek a truce with", "DepotStrike": "strike the depot at", "HandOver": "hand over"}


def order_text(order: Order, n: Names) -> str:
    """'Homs garrison: move to Qusayr'; 'air strike at Homs'."""
    kind = type(order).__name__
    vals = {f.name: getattr(order, f.name) for f in fields(order)}
    who = n(vals.pop("unit")) + ": " if "unit" in vals else ""
    vals.pop("patron", None)
    word = ORDER_WORDS.get(kind, kind)
    if kind == "Interdict":
        return f"{word} the route {n(vals['a'])} – {n(vals['b'])}"
    if kind == "HandOver":
        return f"{word} {n(vals['place'])} to {n(vals['to'])}"
    rest = " ".join(n(v) for v in vals.values() if v)
    return f"{who}{word} {rest}".strip()


def orders_text(orders: Mapping[str, Sequence[Order]], sides: Sequence[str], n: Names) -> dict[str, list[str]]:
    """Each of `sides`' orders as text (sides that gave none are left out)."""
    return {side: [order_text(o, n) for o in orders[side]] for side in sides if orders.get(side)}


RECORD_KEYS = ("type", "turn", "audience", "change", "effects", "hash")
"""Fields of an umpire's record that are not shown as rows (the change itself is shown in words)."""


def effect_text(effect: Any, n: Names) -> str:
    """An effect of a log record (`{"@type": "SetController", "place": "homs", …}`) in words."""
    if not isinstance(effect, Mapping):
        return str(effect)
    kind = re.sub(r"(?<!^)([A-Z])", r" \1", str(effect.get("@type", "effect"))).lower()
    return f"{kind}: " + ", ".join(f"{k} {n(v)}" for k, v in effect.items() if k != "@type" and v is not None)


def _change_rows(rec: Mapping[str, Any], n: Names) -> list[tuple[str, str]]:
    """The message and effects of an inject the umpire wrote, or a matrix action's effects."""
    given = rec.get("change")
    change: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    rows = [("Message", str(change["message"]))] if change.get("message") else []
    effects = change.get("effects") or rec.get("effects") or []
    if isinstance(effects, list) and effects:
        label = "Effects on success" if rec.get("type") == "matrix" else "Effects"
        rows.append((label, "; ".join(effect_text(e, n) for e in effects)))
    return rows


def _joined(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(_joined(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def record_summary(rec: Mapping[str, Any], n: Names) -> tuple[str, list[tuple[str, str]]]:
    """An umpire record (override or matrix action) as a heading and (label, text) rows; the reason
    is always a row, "(no reason recorded)" when the record has none."""
    rows: list[tuple[str, str]] = []
    if rec.get("type") == "matrix":
        title = f"Matrix action by {n(rec.get('team', '?'))}: {rec.get('action', '(no action stated)')}"
        for key, label in (("arguments", "Arguments"), ("counter_arguments", "Counter-arguments")):
            if rec.get(key):
                rows.append((label, _joined(rec[key])))
        mods = rec.get("modifiers") or []
        if mods:
            rows.append(("Modifiers", "; ".join(
                f"{m.get('value', 0):+g} {m.get('reason', '')}".strip() if isinstance(m, dict) else str(m)
                for m in mods)))
        roll = rec.get("roll")
        if isinstance(roll, (list, tuple)) and roll:
            text = " + ".join(str(r) for r in roll)
            if all(isinstance(r, (int, float)) for r in roll):
                text += f" = {sum(roll):g}"
                bonus = sum(m.get("value", 0) for m in mods if isinstance(m, dict)
                            and isinstance(m.get("value", 0), (int, float)))
                if bonus:  # the dice alone against the number needed read as if the modifiers were left out
                    text += f"; with the modifiers ({bonus:+g}): {sum(roll) + bonus:g}"
            if rec.get("needed") is not None:
                text += f" (needed {rec['needed']})"
            rows.append(("Roll (2d6)", text))
        if "success" in rec:
            rows.append(("Result", "succeeded" if rec["success"] else "failed"))
        if rec.get("outcome"):
            rows.append(("Outcome on success", _joined(rec["outcome"])))
        skip = {"team", "action", "arguments", "counter_arguments", "modifiers", "roll", "needed", "success",
                "reason", "outcome"}
    else:
        title = override_title(rec, n)
        for key, label in (("before", "Before"), ("after", "After")):
            if key in rec:
                rows.append((label, n(rec[key]) if isinstance(rec[key], str) else _joined(rec[key])))
        skip = {"what", "target", "before", "after", "reason"}
    rows += _change_rows(rec, n)
    rows.append(("Reason", str(rec.get("reason") or "(no reason recorded)")))
    rows += [(str(k).replace("_", " ").capitalize(), _joined(v)) for k, v in rec.items()
             if k not in skip and k not in RECORD_KEYS]
    return title, rows
