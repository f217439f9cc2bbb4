"""One game being played at the desk: planned orders per side with undo, hotseat seats,
end of turn with bots for AI sides, and the history the charts draw. No pygame here.

Bots and turns are seeded exactly as the headless runner seeds them, so a game played
here replays with `game.sim.runner.replay` and an all-AI session equals `run_game`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from game.engine import Order, State, check_order, resolve_turn, state_hash, turn_rng
from game.engine import events as ev
from game.engine.benchmarks import benchmark_sides, standings
from game.engine.orders import PATRON_ORDERS, channel_of, order_cost
from game.engine.types import CHANNELS, Channel
from game.sim.log import decode_orders, encode_orders, encode_rejected
from game.sim.runner import Bot, bot_rng

DEFAULT_LEVEL = "normal"
UMPIRE_PIN_KEY = "umpire"
"""The key of the umpire's PIN hash in `Session.pins` (the seats' keys come from `pin_key`)."""


def ai_levels() -> tuple[str, ...]:
    """The AI levels `game.ai` offers (easy, normal, hard)."""
    from game.ai import LEVELS

    return tuple(LEVELS) or (DEFAULT_LEVEL,)


@functools.lru_cache(maxsize=8)
def bot_for(level: str) -> Bot:
    """The bot that plays at `level` (`game.ai.make_bot`); the normal one is the runner's bot."""
    from game.ai import choose_orders, make_bot

    return choose_orders if level == DEFAULT_LEVEL else make_bot(level)


def side_name(state: State, side: str) -> str:
    """A faction's or patron's display name."""
    w = state.world
    if side in w.faction_index:
        return w.factions[w.faction_index[side]].name
    if side in w.patron_index:
        return w.patrons[w.patron_index[side]].name
    return side


@dataclass(frozen=True)
class Control:
    """Who plays a side: a human at this desk, or a bot of some level."""

    human: bool
    level: str = DEFAULT_LEVEL

    def label(self) -> str:
        return "Human" if self.human else f"AI ({self.level})"


@dataclass(frozen=True)
class Seat:
    """The sides one player (or team) orders in one sitting of a hotseat game."""

    label: str
    sides: tuple[str, ...]
    key: str = ""
    """The scenario team's PIN key (`team_pin_key`) when the seat is a team's; "" otherwise."""


@dataclass(frozen=True)
class Snapshot:
    """Scores and cohesion at the start of a turn, for the chart."""

    turn: int
    date: str
    score: tuple[float, ...]
    cohesion: tuple[float, ...]
    standing: tuple[float, ...] = ()
    """Per side with benchmarks (`benchmark_sides` order): its standing against history; empty without them
    (and in saves from before it was kept)."""

    @staticmethod
    def of(state: State) -> Snapshot:
        stand = standings(state)
        return Snapshot(state.turn, state.date, tuple(float(x) for x in state.f_score),
                        tuple(float(x) for x in state.f_cohesion),
                        tuple(float(stand.get(side, 0.0)) for side in benchmark_sides(state.world)))


@dataclass
class TurnResult:
    """What one End turn produced."""

    before: State
    after: State
    events: list[ev.Event]
    orders: dict[str, list[Order]]


@dataclass
class Planned:
    """One planning step, remembered for Ctrl+Z: the order given and the one it replaced."""

    side: str
    order: Order
    replaced: Order | None = None
    position: int = -1


def default_controls(state: State, human: Sequence[str] = ()) -> dict[str, Control]:
    """Every side AI at the default level, except the ones named human."""
    return {s: Control(s in human) for s in state.world.sides}


@dataclass
class Session:
    """A game in progress: the current state and everything the players planned for it."""

    state: State
    seed: int
    controls: dict[str, Control]
    source: str = ""
    planned: dict[str, list[Order]] = field(default_factory=dict)
    history: list[Snapshot] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)
    seat_index: int = 0
    unsaved: bool = False
    last: TurnResult | None = None
    on_turn_end: Callable[[Session], None] | None = None
    pins: dict[str, str] = field(default_factory=dict)
    """PIN hashes (game.session.pins) by seat key (`pin_key`, or "umpire"): the hand-offs ask for them."""
    start: State | None = None
    """The state the order log starts from (the game's start; for a save older than the log, its load)."""
    log_base: int = 0
    """How many records of `log` came before `start` (a save older than the order log): not in the log."""
    log_name: str = ""
    """The order log's file name in the saves folder (game/ui/orderlog.py), given when first written."""
    table: Any = field(default=None, repr=False, compare=False)
    """The umpire's table (game.sim.umpiring.Umpiring) once built: game/ui/umpiredesk.py keeps it."""
    _undo: list[Planned] = field(default_factory=list)
    _seats: tuple[object, list[Seat]] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        for side in self.state.world.sides:
            self.controls.setdefault(side, Control(False))
            self.planned.setdefault(side, [])
        if self.start is None:
            self.start, self.log_base = self.state, len(self.log)
        if not self.history:
            self.history.append(Snapshot.of(self.state))

    # --- who plays

    def is_human(self, side: str) -> bool:
        return self.controls[side].human

    def human_sides(self) -> list[str]:
        return [s for s in self.state.world.sides if self.is_human(s)]

    def is_out(self, side: str) -> bool:
        """A faction with no living unit left has nothing to order (patrons are never out)."""
        w = self.state.world
        if side not in w.faction_index:
            return False
        return not bool(((self.state.u_faction == w.faction_index[side]) & (self.state.u_strength > 0)).any())

    def eliminated_humans(self) -> list[str]:
        """Human factions that are out of the game: they get no seat any more."""
        return [s for s in self.human_sides() if self.is_out(s)]

    def seats(self) -> list[Seat]:
        """Hotseat order: human sides grouped by team (in world order), each team one sitting (worked out
        once per state and set of controls: the screen asks every frame)."""
        key = (id(self.state), tuple(sorted(self.controls.items())))
        if self._seats is None or self._seats[0] != key:
            self._seats = (key, self._make_seats())
        return list(self._seats[1])

    def _make_seats(self) -> list[Seat]:
        w = self.state.world
        seats: dict[str, list[str]] = {}
        labels: dict[str, str] = {}
        teams: dict[str, str] = {}
        humans = [s for s in self.human_sides() if not self.is_out(s)]
        for side in humans:
            team = next((t for t in w.teams if side in t.sides), None)
            key = team.id if team else self._seat_key(side, humans)
            labels.setdefault(key, team.name if team else side_name(self.state, key))
            if team:
                teams[key] = team_pin_key(team.id)
            seats.setdefault(key, []).append(side)
        # A seat keeps its place in the hand-off order when some of its sides drop out: a team's rank is
        # that of its first side in the scenario (out or not), anyone else's that of its own first side.
        pos = {side: i for i, side in enumerate(w.sides)}
        by_id = {t.id: t for t in w.teams}

        def rank(key: str) -> int:
            team = by_id.get(key) if key in teams else None
            if team is None:
                return pos.get(seats[key][0], 0)
            return min((pos[x] for x in team.sides if x in pos), default=len(pos))

        out = []
        for key in sorted(seats, key=rank):
            sides = seats[key]
            label = labels[key] if len(sides) > 1 else side_name(self.state, sides[0])
            out.append(Seat(label, tuple(sides), teams.get(key, "")))
        return out

    def _seat_key(self, side: str, humans: Sequence[str]) -> str:
        """Without teams, a patron sits with its first human client; everyone else alone."""
        w = self.state.world
        if side in w.patron_index:
            client = next((c for c in w.patrons[w.patron_index[side]].clients if c in humans), None)
            if client is not None and not any(side in t.sides or client in t.sides for t in w.teams):
                return client
        return side

    def current_seat(self) -> Seat | None:
        seats = self.seats()
        return seats[self.seat_index] if self.seat_index < len(seats) else None

    def is_hotseat(self) -> bool:
        return len(self.seats()) > 1

    def finish_seat(self) -> bool:
        """The current sitting is done; True when every seat has ordered and the turn may resolve."""
        self.seat_index += 1
        return self.seat_index >= len(self.seats())

    # --- planning

    def capacity_left(self, patron: str, channel: Channel | None = None) -> float:
        """Capacity left this turn on one support channel (each channel has the patron's whole capacity, as
        in the engine); without a channel, the most left on any of them."""
        if channel is None:
            return max(self.capacity_left(patron, c) for c in CHANNELS)
        w = self.state.world
        spent = sum(order_cost(self.state, o) for o in self.planned.get(patron, ())
                    if channel_of(o) == channel)  # type: ignore[arg-type]
        return float(self.state.p_capacity[w.patron_index[patron]]) - spent

    def side_of_unit(self, unit: str) -> str:
        """The side that gives a unit its orders: its faction, or the patron commanding it."""
        return self.state.world.side_of(int(self.state.u_faction[self.state.unit_index()[unit]]))

    def order_for_unit(self, unit: str) -> Order | None:
        side = self.side_of_unit(unit)
        return next((o for o in self.planned.get(side, ()) if getattr(o, "unit", None) == unit), None)

    def why_not(self, side: str, order: Order) -> str | None:
        """Why `side` may not plan `order` now (engine rules plus this turn's plan), or None."""
        if self.state.is_over:
            return "the game is over"
        if side not in self.controls:
            return f"unknown side {side!r}"
        if not self.is_human(side):
            return f"{side_name(self.state, side)} is played by the computer"
        reason = check_order(self.state, side, order)
        if reason is not None or not isinstance(order, PATRON_ORDERS):
            return reason
        if order in self.planned[side]:
            return "already planned"
        channel = channel_of(order)
        if order_cost(self.state, order) > self.capacity_left(side, channel) + 1e-9:
            left, total = self.capacity_left(side, channel), patron_capacity(self.state, side)
            what = f"{channel.value} " if channel is not None else ""
            return f"not enough {what}capacity left ({left:g} of {total:g} this turn)"
        return None

    def plan(self, side: str, order: Order) -> str | None:
        """Add `order` to `side`'s plan (replacing the unit's earlier order); the reason when refused."""
        reason = self.why_not(side, order)
        if reason is not None:
            return reason
        orders = self.planned[side]
        replaced, position = None, len(orders)
        unit = getattr(order, "unit", None)
        if unit is not None:
            for i, o in enumerate(orders):
                if getattr(o, "unit", None) == unit:
                    replaced, position = o, i
                    break
        if replaced is None:
            orders.append(order)
        else:
            orders[position] = order
        self._undo.append(Planned(side, order, replaced, position))
        self.unsaved = True
        return None

    def remove(self, side: str, index: int) -> Order | None:
        """Take back one planned order of `side` by its position in the list."""
        orders = self.planned[side]
        if not 0 <= index < len(orders):
            return None
        order = orders.pop(index)
        self._undo = [p for p in self._undo if not (p.side == side and p.order == order)]
        self.unsaved = True
        return order

    def undo(self, sides: Sequence[str] | None = None) -> Order | None:
        """Undo the most recent planning step of `sides` (default: any), restoring a replaced order."""
        for k in range(len(self._undo) - 1, -1, -1):
            step = self._undo[k]
            if sides is not None and step.side not in sides:
                continue
            del self._undo[k]
            orders = self.planned[step.side]
            if step.order not in orders:
                continue
            i = orders.index(step.order)
            if step.replaced is not None:
                orders[i] = step.replaced
            else:
                orders.pop(i)
            self.unsaved = True
            return step.order
        return None

    def clear(self, side: str) -> int:
        n = len(self.planned[side])
        self.planned[side] = []
        self._undo = [p for p in self._undo if p.side != side]
        if n:
            self.unsaved = True
        return n

    def has_unsaved_orders(self) -> bool:
        return self.unsaved and any(self.planned[s] for s in self.human_sides())

    # --- the turn

    def orders_for_turn(self) -> dict[str, list[Order]]:
        """Planned orders for human sides, bot orders for the rest, seeded like the runner."""
        out: dict[str, list[Order]] = {}
        for i, side in enumerate(self.state.world.sides):
            if self.is_human(side):
                out[side] = list(self.planned[side])
            else:
                bot = bot_for(self.controls[side].level)
                out[side] = bot(self.state, side, bot_rng(self.seed, self.state.turn, i))
        return out

    def end_turn(self) -> TurnResult:
        """Resolve the turn with every side's orders; the plan is cleared and seats start over."""
        return self.commit(self.resolve())

    def resolve(self) -> TurnResult:
        """Every side's orders and the resolved turn, without changing the session (safe to run in a
        worker thread while the window keeps drawing)."""
        if self.state.is_over:
            raise RuntimeError("the game is over")
        before = self.state
        orders = self.orders_for_turn()
        after, events = resolve_turn(before, orders, turn_rng(self.seed, before.turn))
        return TurnResult(before, after, list(events), orders)

    def commit(self, result: TurnResult) -> TurnResult:
        """Make a resolved turn the current state: log it, clear the plan, start the seats over."""
        before, after, orders = result.before, result.after, result.orders
        self.state = after
        rec: dict[str, Any] = {"type": "turn", "turn": before.turn, "orders": encode_orders(orders),
                               "hash": state_hash(after)}
        rejected = [e for e in result.events if isinstance(e, ev.OrderRejected)]
        if rejected:
            rec["rejected"] = encode_rejected(rejected)
        self.log.append(rec)
        if self.table is not None:
            self.table.resolved(before, orders, after, result.events)
        self.history.append(Snapshot.of(after))
        for side in self.planned:
            self.planned[side] = []
        self._undo.clear()
        self.seat_index = 0
        self.unsaved = True
        self.last = result
        if self.on_turn_end is not None:
            self.on_turn_end(self)
        return self.last

    # --- saving

    def to_dict(self, world: bool = True, state: bool = True) -> dict[str, Any]:
        """The session as plain data (`world`/`state` False: without the game, which `savetext` encodes
        on its own)."""
        from game.engine import game_to_dict

        game = {"game": game_to_dict(self.state)} if world and state else {}
        return {
            "format": "junction-session", "version": 1, **game, "seed": self.seed,
            "source": self.source,
            "controls": {s: {"human": c.human, "level": c.level} for s, c in self.controls.items()},
            "planned": encode_orders(self.planned), "seat_index": self.seat_index,
            "history": [[h.turn, h.date, list(h.score), list(h.cohesion), *([list(h.standing)] if h.standing else [])]
                        for h in self.history],
            "log": self.log, **({"pins": dict(self.pins)} if self.pins else {}),
            **self._log_fields(),
        }

    def _log_fields(self) -> dict[str, Any]:
        """The order log's start (its state only: the world is the game's), its base and its file name."""
        assert self.start is not None
        out: dict[str, Any] = {"start": self.start.to_dict(), "log_base": self.log_base}
        return out | ({"log_name": self.log_name} if self.log_name else {})

    def adopt_legacy_pins(self) -> None:
        """Saves made before team seats had keys of their own keep a team's PIN under its sides, joined: move
        it to the team's key, so the hand-off still asks for it."""
        for seat in self.seats():
            legacy = "+".join(seat.sides)
            if seat.key and legacy in self.pins and seat.key not in self.pins:
                self.pins[seat.key] = self.pins.pop(legacy)

    @staticmethod
    def from_dict(d: Mapping[str, Any]) -> Session:
        """A session from `to_dict` output; raises KeyError/TypeError/ValueError on bad data."""
        from game.engine import game_from_dict

        state = game_from_dict(dict(d["game"]))
        controls = {str(s): Control(bool(c["human"]), str(c.get("level", DEFAULT_LEVEL)))
                    for s, c in dict(d.get("controls", {})).items() if s in state.world.sides}
        history = [Snapshot(int(row[0]), str(row[1]), tuple(map(float, row[2])), tuple(map(float, row[3])),
                            tuple(map(float, row[4])) if len(row) > 4 else ())
                   for row in d.get("history", [])]
        seed = int(d.get("seed", state.world.meta.seed))
        log = [{"type": "turn", **r} if "type" not in r else dict(r) for r in d.get("log", [])]
        start, base = None, len(log)
        if "start" in d:
            start = State.from_dict(state.world, dict(d["start"]))
            base = int(d.get("log_base", 0))
        session = Session(state, seed, controls, str(d.get("source", "")), history=history,
                          log=log, seat_index=int(d.get("seat_index", 0)),
                          pins={str(k): str(v) for k, v in dict(d.get("pins", {})).items()},
                          start=start, log_base=base, log_name=str(d.get("log_name", "")))
        for side, orders in decode_orders(dict(d.get("planned", {}))).items():
            for o in orders:
                if side in session.controls and session.why_not(side, o) is None:
                    session.plan(side, o)
        session._undo.clear()
        session.seat_index = min(session.seat_index, max(0, len(session.seats()) - 1))
        session.adopt_legacy_pins()
        session.unsaved = False
        return session


def pin_key(seat: Seat) -> str:
    """The key of a seat's PIN: its scenario team's (so it holds while the team's sides come and go), else
    its sides, joined."""
    return seat.key or "+".join(seat.sides)


def team_pin_key(team_id: str) -> str:
    """The key of a scenario team's PIN in `Session.pins`."""
    return f"team:{team_id}"


def new_session(state: State, seed: int | None = None, controls: Mapping[str, Control] | None = None,
                source: str = "") -> Session:
    """A fresh session at `state` (seed defaults to the scenario's)."""
    seed = state.world.meta.seed if seed is None else seed
    return Session(state, int(seed), dict(controls or default_controls(state)), source)


def score_table(state: State) -> list[tuple[str, str, float, float, bool]]:
    """(faction id, name, score, cohesion, collapsed) rows, best score first."""
    w = state.world
    rows = [(f.id, f.name, float(state.f_score[i]), float(state.f_cohesion[i]), bool(state.f_collapsed[i]))
            for i, f in enumerate(w.factions)]
    return sorted(rows, key=lambda r: (-r[2], r[0]))


def standing_table(state: State) -> list[tuple[str, str, float | None, float | None, bool]]:
    """(side id, name, standing against history or None, cohesion or None for a patron, collapsed) rows for
    a scenario with benchmarks: every side, best standing first (sides without benchmarks last)."""
    w = state.world
    stand = standings(state)
    rows: list[tuple[str, str, float | None, float | None, bool]] = []
    for side in w.sides:
        f = w.faction_index.get(side)
        coh = float(state.f_cohesion[f]) if f is not None else None
        collapsed = bool(state.f_collapsed[f]) if f is not None else False
        rows.append((side, side_name(state, side), stand.get(side), coh, collapsed))
    return sorted(rows, key=lambda r: (r[2] is None, -(r[2] or 0.0), r[0]))


def patron_capacity(state: State, patron: str) -> float:
    return float(state.p_capacity[state.world.patron_index[patron]])


def hash_of(session: Session) -> str:
    return state_hash(session.state)


__all__ = ["UMPIRE_PIN_KEY", "Control", "Seat", "Session", "Snapshot", "TurnResult", "ai_levels", "bot_for",
           "default_controls", "new_session", "pin_key", "score_table", "side_name", "standing_table",
           "team_pin_key"]
