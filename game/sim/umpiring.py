"""The umpire's side of a logged game: rulings applied in turn order and written as log records, and
log records read back, applied again and checked against what they say.

`Umpiring` holds what a ruling needs besides the state: the game's seed, the turn just resolved (a
changed combat result resolves it again) and how many matrix actions each turn has had (the dice of
the n-th come from the seed, the turn and n). `run`, `replay`, playback (reports, `view`) and a
session all go through it, so a log replays to the same hashes as the game that wrote it.

Records (one JSON object a line, between the turn records; see docs/classroom.md):

    {"type": "override", "turn": 3, "what": "combat_result", "target": "homs", "before": "repulsed",
     "after": "retreat", "reason": "…", "by": "umpire", "audience": ["all"],
     "change": {"@type": "CombatResult", "place": "homs", "result": "retreat"}, "hash": "…"}
    {"type": "matrix", "turn": 3, "team": "hts_team", "action": "…", "arguments": ["…"],
     "counter_arguments": ["…"], "modifiers": [{"reason": "…", "value": 1}], "needed": 8, "outcome": "…",
     "effects": [{"@type": "SetController", …}], "reason": "…", "audience": ["all"], "roll": [4, 5],
     "success": true, "hash": "…"}

`turn` is the turn the ruling belongs to: a combat result the turn just resolved, any other ruling
the turn about to be played (the state's). `what`, `target`, `before` and `after` describe the change
for people (the report shows them); `change` is the change itself, applied on replay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from game.engine import Order, State, state_hash
from game.engine import events as ev
from game.engine.codec import decode, encode, kind_of, shape_problems
from game.engine.rulings import Change, CombatResult, LastTurn, MatrixAction, Modifier, Override, Refused, Ruling
from game.engine.specs import Effect
from game.engine.umpire import apply_override, resolve_matrix

from . import files
from .log import LogError

UMPIRE_RECORDS = ("override", "matrix")
"""Record types the umpire's rulings are written as."""
DESCRIBED = ("what", "target", "before", "after")
"""An override record's words about the change; replay checks them against the change applied."""


def override_record(turn: int, override: Override, ruling: Ruling) -> dict[str, Any]:
    """The log record of an applied override."""
    e = ruling.events[0]
    assert isinstance(e, ev.UmpireOverride)
    rec: dict[str, Any] = {"type": "override", "turn": turn, "what": e.what}
    rec.update({k: getattr(e, k) for k in ("target", "before", "after") if getattr(e, k)})
    rec.update({"reason": override.reason, "by": override.by, "audience": list(override.audience),
                "change": encode(override.change), "hash": state_hash(ruling.state)})
    return rec


def matrix_record(turn: int, action: MatrixAction, ruling: Ruling) -> dict[str, Any]:
    """The log record of an adjudicated matrix action: the whole argument, the roll and the result."""
    e = ruling.events[0]
    assert isinstance(e, ev.MatrixResolved)
    return {"type": "matrix", "turn": turn, "team": action.team, "action": action.action,
            "arguments": list(action.arguments), "counter_arguments": list(action.counter_arguments),
            "modifiers": [{"reason": m.reason, "value": m.value} for m in action.modifiers],
            "needed": action.needed, "outcome": action.outcome, "effects": encode(action.effects),
            "reason": action.reason, "audience": list(action.audience), "roll": list(e.roll),
            "success": e.success, "hash": state_hash(ruling.state)}


def override_of(rec: Mapping[str, Any]) -> Override:
    """The override an `override` record holds (its fields' types already checked)."""
    return Override(decode(Change, rec["change"]), rec["reason"], tuple(rec["audience"]), rec.get("by", "umpire"))


def matrix_of(rec: Mapping[str, Any]) -> MatrixAction:
    """The matrix action a `matrix` record holds (its fields' types already checked)."""
    return MatrixAction(rec["team"], rec["action"], tuple(rec["arguments"]), rec["reason"],
                        tuple(rec.get("counter_arguments", ())),
                        tuple(decode(Modifier, m) for m in rec.get("modifiers", ())), rec["needed"],
                        rec.get("outcome", ""), tuple(decode(tuple[Effect, ...], rec.get("effects", []))),
                        tuple(rec["audience"]))


class Umpiring:
    """One game's state between turns, with what rulings need: the seed, the turn just resolved and
    the matrix actions drawn per turn. `resolved` after each turn; `override` and `matrix` apply a
    ruling and give its log record; `replay_record` applies a record read from a log."""

    def __init__(self, state: State, seed: int) -> None:
        self.state = state
        self.seed = seed
        self.last: LastTurn | None = None
        self.draws: dict[int, int] = {}

    def resolved(self, before: State, orders: Mapping[str, Sequence[Order]], after: State,
                 events: Sequence[ev.Event]) -> None:
        """A turn was resolved from `before` to `after`."""
        self.last = LastTurn(before, orders, self.seed, tuple(events), after)
        self.state = after

    def turn_of(self, override: Override) -> int:
        """The turn an override belongs to: a combat result the turn just resolved, else the state's."""
        if isinstance(override.change, CombatResult) and self.last is not None:
            return self.last.before.turn
        return self.state.turn

    def _adopt(self, ruling: Ruling) -> None:
        self.state = ruling.state
        if ruling.last is not None:
            self.last = ruling.last

    def override(self, override: Override) -> tuple[Ruling, dict[str, Any]]:
        """Apply an override (`Refused`, nothing changed, when it may not apply) and give its record."""
        turn = self.turn_of(override)
        ruling = apply_override(self.state, override, self.last)
        self._adopt(ruling)
        return ruling, override_record(turn, override, ruling)

    def matrix(self, action: MatrixAction) -> tuple[Ruling, dict[str, Any]]:
        """Adjudicate a matrix action as the next of this turn (`Refused` when it may not be) and give
        its record."""
        turn = self.state.turn
        draw = self.draws.get(turn, 0) + 1
        ruling = resolve_matrix(self.state, action, self.seed, draw)
        self.draws[turn] = draw
        self._adopt(ruling)
        return ruling, matrix_record(turn, action, ruling)

    def replay_record(self, path: str | Path, no: int, rec: Mapping[str, Any]) -> Ruling:
        """Apply an override or matrix record of a log (fields checked by `log.check_record`): LogError
        naming the line when it belongs to another turn, is refused, or says other than it does. The
        caller compares `rec["hash"]` with the new state's."""
        where = f"{path}:{no}"
        if rec["type"] == "override":
            try:
                override = override_of(rec)
            except (TypeError, ValueError) as exc:
                raise LogError(f"{where}: the override's change cannot be read: {exc}") from None
            self._expect_turn(where, rec, self.turn_of(override), "override")
            ruling = self._apply(where, lambda: self.override(override)[0])
            e = ruling.events[0]
            for key in DESCRIBED:
                said, done = rec.get(key, ""), getattr(e, key)
                if said != done:
                    raise LogError(f"{where}: the record says {key} {str(said)[:60]!r}, but its change gives "
                                   f"{done[:60]!r} (was the log edited?)")
            return ruling
        try:
            action = matrix_of(rec)
        except (TypeError, ValueError) as exc:
            raise LogError(f"{where}: the matrix action cannot be read: {exc}") from None
        self._expect_turn(where, rec, self.state.turn, "matrix action")
        ruling = self._apply(where, lambda: self.matrix(action)[0])
        e = ruling.events[0]
        assert isinstance(e, ev.MatrixResolved)
        if list(rec["roll"]) != list(e.roll) or rec["success"] != e.success:
            raise LogError(f"{where}: the record says it rolled {rec['roll']} and "
                           f"{'succeeded' if rec['success'] else 'failed'}, but the game's dice for it are "
                           f"{list(e.roll)}, so it {'succeeded' if e.success else 'failed'} (was the log edited?)")
        return ruling

    def _expect_turn(self, where: str, rec: Mapping[str, Any], turn: int, what: str) -> None:
        if rec["turn"] != turn:
            raise LogError(f"{where}: {what} of turn {rec['turn']} where turn {turn} was expected (a changed combat "
                           "result belongs to the turn just resolved, any other ruling to the turn about to be played)")

    def _apply(self, where: str, apply: Callable[[], Ruling]) -> Ruling:
        try:
            ruling = apply()
        except Refused as exc:
            raise LogError(f"{where}: {exc}") from None
        return ruling


PLAN_FIELDS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "override": ({"turn": int, "change": Change, "reason": str}, {"audience": list[str], "by": str}),
    "matrix": ({"turn": int, "team": str, "action": str, "arguments": list[str], "reason": str},
               {"counter_arguments": list[str], "modifiers": list[Modifier], "needed": int, "outcome": str,
                "effects": list[Effect], "audience": list[str]}),
}
"""An umpire's plan (`run --umpire`): the fields of each kind of item (required, optional), as in the log."""


class PlanError(ValueError):
    """An umpire's plan that cannot be read; the message names the file and the item."""


def read_plan(path: str | Path) -> dict[int, list[Override | MatrixAction]]:
    """The rulings of a plan file (a JSON list of override and matrix items shaped like their log records,
    without what a ruling gives: `what`, `target`, `before`, `after`, `roll`, `success` and `hash`), by turn.
    PlanError naming the item when one is damaged; whether each may be applied is checked when it is."""
    try:
        data = files.read_json(Path(path), str(path))
    except FileNotFoundError:
        raise PlanError(f"{path}: cannot read: no such file") from None
    except (files.FileProblem, OSError) as exc:
        raise PlanError(str(exc)) from None
    if not isinstance(data, list):
        raise PlanError(f"{path}: expected a list of rulings, got {kind_of(data)}")
    plan: dict[int, list[Override | MatrixAction]] = {}
    for i, item in enumerate(data):
        ruling = ruling_of(item, f"{path}: item {i}")
        plan.setdefault(item["turn"], []).append(ruling)
    return plan


def ruling_of(item: Any, where: str, *, turn: bool = True) -> Override | MatrixAction:
    """The ruling of one plan item (`turn=False`: an item without its turn, as the hosted umpire's console
    sends one for the turn now). PlanError naming `where` and the field when its shape is wrong; whether
    it may be applied (known ids, levels in range, a reason) is the engine's check when it is."""
    kind = item.get("type") if isinstance(item, dict) else None
    if kind not in PLAN_FIELDS:
        raise PlanError(f"{where}: expected an object whose type is override or matrix")
    need, may = PLAN_FIELDS[kind]
    if not turn:
        need = {k: v for k, v in need.items() if k != "turn"}
    unknown = sorted(set(item) - {"type", *need, *may})
    missing = [k for k in need if k not in item]
    problems = [f"unknown field {unknown[0]!r}"] if unknown else [f"no {k!r}" for k in missing[:1]]
    for key, tp in (need | may).items():
        if key in item:
            problems += shape_problems(tp, item[key], key)
    if problems:
        raise PlanError(f"{where} ({kind}): {problems[0]}")
    full = {"audience": ["all"], "needed": 7, **item}
    return override_of(full) if kind == "override" else matrix_of(full)
