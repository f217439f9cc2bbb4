"""A hosted classroom game: the state, the seats, each team's draft orders (on the host, so a page that
reloads or a second browser of the team sees the same draft), the turn cycle, the umpire's rulings, the
order log and the autosave. The clock is passed in (`now`), so the cycle is tested without waiting.

Turn cycle: the turn is `closed` until the umpire opens it (with an optional time limit); while it is
`open` teams plan and mark themselves ready; the umpire ends it, or it ends when the limit passes. Ready
teams' drafts are played, unready teams hold (their drafts are dropped), bots play the AI seats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine import Order, State, game_to_dict, resolve_turn, state_hash, turn_rng
from game.engine import events as ev
from game.engine.codec import encode
from game.engine.orders import order_cost
from game.engine.rulings import FireInject, MatrixAction, NewInject, Override, Refused
from game.engine.sight import UMPIRE
from game.engine.view import View, view_for
from game.sim import files
from game.sim.log import LogWriter, encode_orders, encode_rejected
from game.sim.runner import bot_rng
from game.sim.umpiring import Umpiring

from .options import Option, team_options
from .pins import check_pin
from .seats import Seat

FORMAT = "junction-hosted"
VERSION = 1
CLOSED, OPEN, OVER = "closed", "open", "over"


def bot_for(level: str) -> Any:
    from game.ai import choose_orders, make_bot

    return choose_orders if level == "normal" else make_bot(level)


@dataclass
class Draft:
    """A team's planned orders (one per unit; patron orders side by side) and its undo steps."""

    orders: list[tuple[str, Order]] = field(default_factory=list)
    undo: list[list[tuple[str, Order]]] = field(default_factory=list)

    def plan(self, side: str, order: Order) -> None:
        self.undo.append(list(self.orders))
        unit = getattr(order, "unit", None)
        kept = [(s, o) for s, o in self.orders if unit is None or getattr(o, "unit", None) != unit]
        if (side, order) not in kept:
            kept.append((side, order))
        self.orders = kept

    def remove(self, index: int) -> bool:
        if not 0 <= index < len(self.orders):
            return False
        self.undo.append(list(self.orders))
        del self.orders[index]
        return True

    def take_back(self) -> bool:
        if not self.undo:
            return False
        self.orders = self.undo.pop()
        return True

    def by_side(self) -> dict[str, list[Order]]:
        out: dict[str, list[Order]] = {}
        for side, order in self.orders:
            out.setdefault(side, []).append(order)
        return out


@dataclass
class HostedGame:
    """One classroom game on the host. `revision` grows with every change, so pushes know what is new."""

    start: State
    seed: int
    seats: list[Seat]
    umpire_pin_hash: str
    code: str
    source: str = ""
    log_path: Path | None = None
    save_path: Path | None = None
    table: Umpiring = field(init=False)
    records: list[dict[str, Any]] = field(default_factory=list)
    recent: list[ev.Event] = field(default_factory=list)
    recent_from: State | None = None
    """The state the last turn was resolved from: names the units that fell in it (`view_for`'s `before`)."""
    drafts: dict[str, Draft] = field(default_factory=dict)
    ready: set[str] = field(default_factory=set)
    phase: str = CLOSED
    deadline: float | None = None
    held: dict[str, bool] = field(default_factory=dict)
    """After a turn: which human teams were not ready and held."""
    revision: int = 0
    dirty: bool = False
    _options: dict[str, tuple[int, list[Option]]] = field(default_factory=dict)
    _battles: tuple[int, list[tuple[str, str]]] = (-1, [])

    def __post_init__(self) -> None:
        self.table = Umpiring(self.start, self.seed)
        for seat in self.seats:
            self.drafts.setdefault(seat.id, Draft())
        if self.state.is_over:
            self.phase = OVER

    # --- who is who

    @property
    def state(self) -> State:
        return self.table.state

    def seat(self, team: str) -> Seat:
        for s in self.seats:
            if s.id == team:
                return s
        raise KeyError(team)

    def human_seats(self) -> list[Seat]:
        return [s for s in self.seats if s.human]

    def check_pin(self, who: str, pin: str) -> bool:
        """Whether `pin` is the PIN of human team `who` or of the umpire."""
        if who == UMPIRE:
            return check_pin(pin, self.umpire_pin_hash)
        seat = next((s for s in self.seats if s.id == who and s.human), None)
        return seat is not None and check_pin(pin, seat.pin_hash)

    def view(self, team: str) -> View:
        """What `team` (or the umpire) knows now, with the last turn's events and rulings since."""
        return view_for(self.state, team, self.recent, self.recent_from)

    # --- planning

    def options(self, team: str) -> list[Option]:
        """The orders the team may pick now (cached per revision)."""
        hit = self._options.get(team)
        if hit is not None and hit[0] == self.revision:
            return hit[1]
        seat = self.seat(team)
        opts = [] if self.phase == OVER else team_options(self.state, self.view(team), seat.sides)
        self._options[team] = (self.revision, opts)
        return opts

    def _changed(self) -> None:
        """The state changed: a push is due and every team's options are worked out again."""
        self.revision += 1
        self.dirty = True
        self._options.clear()

    def _planning(self, team: str) -> str | None:
        if self.phase == OVER:
            return "the game is over"
        if team in self.ready:
            return "your orders are marked ready: take that back to change them"
        return None

    def plan(self, team: str, key: str) -> str | None:
        """Add the option named `key` to the team's draft; the reason when refused."""
        why = self._planning(team)
        if why:
            return why
        option = next((o for o in self.options(team) if o.key == key), None)
        if option is None:
            return "not an order your team may give now"
        over = self.over_capacity(team, option)
        if over:
            return over
        self.drafts[team].plan(option.side, option.order)
        self._drafts_changed()
        return None

    def over_capacity(self, team: str, option: Option) -> str | None:
        """Why a patron's order would take it past this turn's capacity (its own figures), or None."""
        w = self.state.world
        if option.side not in w.patron_index or order_cost(self.state, option.order) <= 0:
            return None
        spent = sum(order_cost(self.state, o) for s, o in self.drafts[team].orders if s == option.side)
        total = float(self.state.p_capacity[w.patron_index[option.side]])
        if spent + order_cost(self.state, option.order) > total + 1e-9:
            return f"not enough capacity left ({total - spent:g} of {total:g} this turn)"
        return None

    def _drafts_changed(self) -> None:
        """A draft changed: a push is due, the options stay as they were."""
        opts = dict(self._options)
        self.revision += 1
        self.dirty = True
        self._options = {t: (self.revision, o) for t, (r, o) in opts.items() if r == self.revision - 1}

    def remove(self, team: str, index: int) -> str | None:
        why = self._planning(team)
        if why:
            return why
        if not self.drafts[team].remove(index):
            return "no such order in the draft"
        self._drafts_changed()
        return None

    def undo(self, team: str) -> str | None:
        why = self._planning(team)
        if why:
            return why
        if not self.drafts[team].take_back():
            return "nothing to undo"
        self._drafts_changed()
        return None

    def set_ready(self, team: str, ready: bool) -> str | None:
        if self.phase != OPEN:
            return "the turn is not open" if self.phase == CLOSED else "the game is over"
        (self.ready.add if ready else self.ready.discard)(team)
        self._drafts_changed()
        return None

    # --- the umpire's turn cycle

    def open_turn(self, now: float, limit_s: float | None = None) -> str | None:
        if self.phase == OVER:
            return "the game is over"
        if limit_s is not None and not 10 <= limit_s <= 24 * 3600:
            return "a time limit is 10 seconds to 24 hours"
        self.phase = OPEN
        self.deadline = None if limit_s is None else now + limit_s
        self._drafts_changed()
        return None

    def seconds_left(self, now: float) -> float | None:
        return None if self.deadline is None or self.phase != OPEN else max(0.0, self.deadline - now)

    def tick(self, now: float) -> bool:
        """Called by the host's clock: ends an open turn whose time limit has passed (True when it did)."""
        if self.phase == OPEN and self.deadline is not None and now >= self.deadline:
            self.end_turn()
            return True
        return False

    def orders_for_turn(self) -> dict[str, list[Order]]:
        """Ready teams' drafts, bots for AI seats and sides no team has; unready teams hold (no orders)."""
        w = self.state.world
        seat_of = {s: seat for seat in self.seats for s in seat.sides}
        out: dict[str, list[Order]] = {}
        for i, side in enumerate(w.sides):
            seat = seat_of.get(side)
            if seat is not None and seat.human:
                out[side] = self.drafts[seat.id].by_side().get(side, []) if seat.id in self.ready else []
                continue
            bot = bot_for(seat.level if seat else "normal")
            out[side] = bot(self.state, side, bot_rng(self.seed, self.state.turn, i))
        return out

    def end_turn(self) -> str | None:
        """Resolve the turn now (umpire, or the time limit)."""
        if self.phase == OVER:
            return "the game is over"
        before = self.state
        orders = self.orders_for_turn()
        after, events = resolve_turn(before, orders, turn_rng(self.seed, before.turn))
        self.table.resolved(before, orders, after, events)
        rejected = [e for e in events if isinstance(e, ev.OrderRejected)]
        rec: dict[str, Any] = {"type": "turn", "turn": before.turn, "orders": encode_orders(orders),
                               "hash": state_hash(after)}
        if rejected:
            rec["rejected"] = encode_rejected(rejected)
        self.records.append(rec)
        self.recent = list(events)
        self.recent_from = before
        self.held = {s.id: s.id not in self.ready for s in self.human_seats()}
        for draft in self.drafts.values():
            draft.orders, draft.undo = [], []
        self.ready.clear()
        self.deadline = None
        self.phase = OVER if after.is_over else CLOSED
        self._changed()
        self.write_log()
        return None

    def rule(self, item: Override | MatrixAction) -> str | None:
        """Apply an umpire's override or matrix action on the record, as `run --umpire` does (the same
        `Umpiring`, so the same record and, for a matrix action, the same dice from the game's seed); the
        engine's refusal as a message, nothing changed."""
        try:
            ruling, rec = self.table.override(item) if isinstance(item, Override) else self.table.matrix(item)
        except Refused as exc:
            return str(exc)
        self.records.append(rec)
        self.recent = list(ruling.last.events) if ruling.last is not None else self.recent + list(ruling.events)
        if self.state.is_over:
            self.phase = OVER
        elif self.phase == OVER:  # a changed combat result of the last turn can take the game's end back
            self.phase = CLOSED
        self._changed()
        self.write_log()
        return None

    def battles(self) -> list[tuple[str, str]]:
        """(place, result) of each battle of the turn just resolved whose result may still be changed: none
        once another ruling has come after the turn (the engine would refuse, as re-resolving undoes it)."""
        if self._battles[0] == self.revision:
            return self._battles[1]
        last = self.table.last
        out: list[tuple[str, str]] = []
        if last is not None and (self.state is last.after or state_hash(self.state) == state_hash(last.after)):
            out = [(e.place, e.result) for e in last.events if isinstance(e, ev.Combat)]
        self._battles = (self.revision, out)
        return out

    def fire_inject(self, inject: str, reason: str = "", audience: tuple[str, ...] = ("all",)) -> str | None:
        """Fire a scripted inject now; the record's reason is the umpire's, or says the umpire fired it."""
        why = reason.strip() or "Fired by the umpire during play (no other reason given)"
        return self.rule(Override(FireInject(inject), why, audience))

    def new_inject(self, title: str, message: str, reason: str = "",
                   audience: tuple[str, ...] = ("all",)) -> str | None:
        """Send an inject the umpire writes live; the record's reason is the umpire's, or says it is a live inject."""
        why = reason.strip() or "Live inject written by the umpire during play (no other reason given)"
        return self.rule(Override(NewInject(title, message), why, audience))

    # --- log and save

    def write_log(self) -> None:
        """Write the whole order log again (atomically, with the game's log writer), ended at the state
        now: whatever happens to the host, the log is a whole game up to the last turn or ruling."""
        if self.log_path is None:
            return
        writer = LogWriter(self.log_path, self.start, self.seed, self.source)
        for rec in self.records:
            writer.copy(rec)
        writer.close(state_hash(self.state))  # the game so far: it replays, and the report reads it

    def to_dict(self, now: float) -> dict[str, Any]:
        left = self.seconds_left(now)
        return {"format": FORMAT, "version": VERSION, "code": self.code, "seed": self.seed, "source": self.source,
                "start": game_to_dict(self.start), "records": self.records,
                "seats": [s.to_dict() for s in self.seats], "umpire_pin_hash": self.umpire_pin_hash,
                "drafts": {t: [[s, encode(o)] for s, o in d.orders] for t, d in self.drafts.items()},
                "ready": sorted(self.ready), "phase": self.phase, "seconds_left": left,
                "log": str(self.log_path) if self.log_path else None, "turn": self.state.turn,
                "hash": state_hash(self.state)}

    def save(self, now: float, path: Path | None = None) -> Path | None:
        """The autosave, written atomically (a crash leaves the old save or the new one)."""
        path = path or self.save_path
        if path is None:
            return None
        files.write_json_atomic(path, self.to_dict(now))
        self.dirty = False
        return path


def new_game(state: State, seats: list[Seat], umpire_pin_hash: str, code: str, *, seed: int | None = None,
             source: str = "", log_path: Path | None = None, save_path: Path | None = None) -> HostedGame:
    game = HostedGame(state, state.world.meta.seed if seed is None else seed, seats, umpire_pin_hash, code, source,
                      log_path, save_path)
    game.write_log()
    return game
