"""The umpire at the desk: rulings on a desktop session, applied and recorded exactly as the hosted game's
`HostedGame.rule` does (the same `game.sim.umpiring.Umpiring`, so the same records and, for a matrix action,
the same dice from the game's seed), kept in the session's log (so saves hold them and the order log has
them) and added to the turn's events, where each team's report shows those it was told of. The same play
of the log gives a loaded game back its last turn's report (`restore_last`). No pygame here.
"""

from __future__ import annotations

from game.engine import State, resolve_turn, state_hash, turn_rng
from game.engine import events as ev
from game.engine.rulings import CombatResult, FireInject, MatrixAction, NewInject, Override, Refused, Ruling
from game.engine.specs import Effect
from game.sim.log import LogError, check_record, decode_orders
from game.sim.umpiring import UMPIRE_RECORDS, Umpiring

from .session import UMPIRE_PIN_KEY, Session, Snapshot, TurnResult

PIN_KEY = UMPIRE_PIN_KEY
"""The umpire's PIN hash in `Session.pins` (the set-up screen may have set it)."""
LOG_NAME = "the session's log"


class UmpireError(Exception):
    """The session's log does not play back to its game, so no ruling can be made on it (says why)."""


def table_of(session: Session) -> Umpiring:
    """The session's umpire's table: built once by playing its log again from its start (each record checked
    against its hash), then kept up to date by the session's turns and the rulings made here."""
    table = session.table
    if isinstance(table, Umpiring) and table.state is session.state:
        return table
    return _play_log(session)[0]


def restore_last(session: Session) -> bool:
    """After a load: the last turn (with the rulings made since) played again from the session's log, so the
    Report button shows what it showed before the save. False, `last` left None, when the log holds nothing
    since its start or does not play back to the game."""
    if session.last is not None:
        return True
    if not any(r.get("type") in ("turn", *UMPIRE_RECORDS) for r in session.log[session.log_base:]):
        return False
    try:
        last = _play_log(session)[1]
    except UmpireError:
        return False
    if last is None:
        return False
    session.last = TurnResult(last.before, session.state, last.events, last.orders)
    return True


def _play_log(session: Session) -> tuple[Umpiring, TurnResult | None]:
    """Play the session's log again (its table kept on the session) and give the last turn's result as
    `commit` and `rule` left it."""
    assert session.start is not None
    table = Umpiring(session.start, session.seed)
    last: TurnResult | None = None
    try:
        for no, rec in enumerate(session.log[session.log_base:], start=1):
            kind = check_record(LOG_NAME, no, rec)
            if kind == "turn":
                before, orders = table.state, decode_orders(rec["orders"])
                after, events = resolve_turn(before, orders, turn_rng(session.seed, before.turn))
                table.resolved(before, orders, after, events)
                last = TurnResult(before, after, list(events), orders)
            elif kind in UMPIRE_RECORDS:
                before = table.state
                last = with_ruling(last, before, table.replay_record(LOG_NAME, no, rec))
    except (LogError, KeyError, TypeError, ValueError) as exc:
        raise UmpireError(f"the game's record cannot be played again: {exc}") from None
    if state_hash(table.state) != state_hash(session.state):
        raise UmpireError("the game's record does not lead to the game on the map")
    table.state = session.state
    session.table = table
    return table, last


def with_ruling(last: TurnResult | None, before: State, ruling: Ruling) -> TurnResult:
    """The last turn's result once a ruling changed the game from `before`: the turn resolved again (a changed
    combat result), the turn with the ruling's events added, or the ruling on its own before any turn."""
    if ruling.last is not None:
        orders = {side: list(o) for side, o in ruling.last.orders.items()}
        return TurnResult(ruling.last.before, ruling.last.after, list(ruling.last.events), orders)
    if last is not None and last.after is before:
        return TurnResult(last.before, ruling.state, last.events + list(ruling.events), last.orders)
    return TurnResult(before, ruling.state, list(ruling.events), {})


def rule(session: Session, item: Override | MatrixAction) -> str | None:
    """Apply an override or a matrix action on the record; the engine's refusal (or why the game's record
    cannot take one) as a message, nothing changed."""
    try:
        table = table_of(session)
        ruling, rec = table.override(item) if isinstance(item, Override) else table.matrix(item)
    except (Refused, UmpireError) as exc:
        return str(exc)
    before = session.state
    session.log.append(rec)
    session.state = table.state
    session.last = with_ruling(session.last, before, ruling)
    if session.history and session.history[-1].turn == session.state.turn:
        session.history[-1] = Snapshot.of(session.state)
    session.unsaved = True
    return None


def fire_inject(session: Session, inject: str, reason: str, audience: tuple[str, ...] = ("all",)) -> str | None:
    """Fire one of the scenario's injects now (whatever its conditions and chance)."""
    return rule(session, Override(FireInject(inject), reason, audience))


def new_inject(session: Session, title: str, message: str, reason: str, audience: tuple[str, ...] = ("all",),
               effects: tuple[Effect, ...] = ()) -> str | None:
    """An inject the umpire writes now: a message to the audience, with any effects of the events vocabulary."""
    return rule(session, Override(NewInject(title, message, effects), reason, audience))


def battles(session: Session) -> list[tuple[str, str]]:
    """(place, result) of each battle of the turn just played whose result may still be changed: none once
    another ruling came after the turn (as the hosted console offers)."""
    try:
        last = table_of(session).last
    except UmpireError:
        return []
    if last is None or state_hash(session.state) != state_hash(last.after):
        return []
    return [(e.place, e.result) for e in last.events if isinstance(e, ev.Combat)]


def rulings(session: Session) -> list[dict[str, object]]:
    """The rulings on record, oldest first, as the log holds them."""
    return [r for r in session.log[session.log_base:] if r.get("type") in UMPIRE_RECORDS]


def is_combat_result(item: Override | MatrixAction) -> bool:
    return isinstance(item, Override) and isinstance(item.change, CombatResult)
