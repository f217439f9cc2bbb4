"""What a click on the map means while planning: which order a right-click gives, which places
to highlight, where arrows go. Pure functions of the state and the session (no pygame)."""

from __future__ import annotations

from collections.abc import Sequence

from game.engine import (
    AirStrike,
    Attack,
    Entrench,
    Hold,
    Move,
    Order,
    Reinforce,
    State,
    Withdraw,
    check_order,
    legal_orders,
    query,
)

Highlights = dict[int, str]
Arrow = tuple[int | None, int, str]


class LegalCache:
    """legal_orders per side, computed once per state."""

    def __init__(self) -> None:
        self._state: State | None = None
        self._by_side: dict[str, list[Order]] = {}
        self._by_unit: dict[int, list[Order]] = {}

    def get(self, state: State, side: str) -> list[Order]:
        if state is not self._state:
            self._state, self._by_side, self._by_unit = state, {}, {}
        if side not in self._by_side:
            self._by_side[side] = legal_orders(state, side)
        return self._by_side[side]

    def for_unit(self, state: State, unit: int) -> list[Order]:
        orders = self.get(state, state.world.side_of(int(state.u_faction[unit])))
        if unit not in self._by_unit:
            uid = state.units[unit].id
            self._by_unit[unit] = [o for o in orders if getattr(o, "unit", None) == uid]
        return self._by_unit[unit]


def order_for_click(state: State, legal: Sequence[Order], unit: int, place: int) -> tuple[Order | None, str]:
    """The order a right-click on `place` gives the selected unit, or None and the reason why not.

    Attack an adjacent place with enemies, else move there, else withdraw there if that is legal."""
    b = state.world.board
    uid, pid = state.units[unit].id, b.places[place].id
    if int(state.u_place[unit]) == place:
        return None, "already there (use Hold or Entrench to stay)"
    for kind in (Attack(uid, pid), Move(uid, pid), Withdraw(uid, pid)):
        if kind in legal:
            return kind, ""
    faction = int(state.u_faction[unit])
    guess: Order = Attack(uid, pid) if query.has_hostile_units(state, faction, place) else Move(uid, pid)
    side = state.world.side_of(int(state.u_faction[unit]))
    return None, check_order(state, side, guess) or "not possible this turn"


def unit_highlights(state: State, legal: Sequence[Order], unit: int, withdraw_only: bool = False) -> Highlights:
    """Places the selected unit may move to, attack or withdraw to."""
    b = state.world.board
    out: Highlights = {}
    for o in legal:
        if isinstance(o, Move) and not withdraw_only:
            out.setdefault(b.index[o.to], "move")
        elif isinstance(o, Attack) and not withdraw_only:
            out[b.index[o.target]] = "attack"
        elif isinstance(o, Withdraw):
            out.setdefault(b.index[o.to], "move")
    return out


def patron_targets(state: State, legal: Sequence[Order], kind: str) -> Highlights:
    """Places a patron may strike ("strike") or reinforce ("reinforce")."""
    b = state.world.board
    if kind == "strike":
        return {b.index[o.place]: "strike" for o in legal if isinstance(o, AirStrike)}
    return {b.index[o.place]: "reinforce" for o in legal if isinstance(o, Reinforce)}


def patron_order_at(state: State, legal: Sequence[Order], kind: str, place: int) -> Order | None:
    pid = state.world.board.places[place].id
    cls = AirStrike if kind == "strike" else Reinforce
    return next((o for o in legal if isinstance(o, cls) and o.place == pid), None)


def order_arrow(state: State, order: Order) -> Arrow | None:
    """The arrow (from place, to place, kind) drawn for a planned order."""
    b = state.world.board
    if isinstance(order, (Move, Attack, Withdraw)):
        u = state.unit_index().get(order.unit)
        if u is None:
            return None
        to = order.target if isinstance(order, Attack) else order.to
        kind = {Move: "move", Attack: "attack", Withdraw: "withdraw"}[type(order)]
        return int(state.u_place[u]), b.index[to], kind
    if isinstance(order, AirStrike):
        return None, b.index[order.place], "strike"
    if isinstance(order, Reinforce):
        return None, b.index[order.place], "reinforce"
    return None


def order_marks(state: State, orders: Sequence[Order]) -> dict[int, str]:
    """Unit rows with a planned order that stays in place, and which ("hold" or "entrench"): drawn as
    a marker on their counters."""
    rows = state.unit_index()
    return {rows[o.unit]: "entrench" if isinstance(o, Entrench) else "hold"
            for o in orders if isinstance(o, (Hold, Entrench)) and o.unit in rows}


def own_units(state: State, sides: Sequence[str]) -> list[int]:
    """Living units the given sides command (their factions, and a patron's own forces), in a stable
    west-to-east, north-to-south order for Tab."""
    w = state.world
    places = w.board.places
    rows = [int(u) for u in range(len(state.units))
            if state.u_strength[u] > 0 and w.side_of(int(state.u_faction[u])) in sides]
    return sorted(rows, key=lambda u: (round(places[int(state.u_place[u])].lon, 2),
                                       -places[int(state.u_place[u])].lat, u))
