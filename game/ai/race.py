"""Race candidates for the hard bot: where a side's open capture goal lacks places, the planner's variants
all share the side's units out among them much alike (the same places, the same stacks). These plans
change only the orders that bear on one lacking place: every unit that can strike it does (concentrate),
or none does (hold back and let a rival bleed on its defenders first). The lookahead judges them on the
dice beside the others; they are offered, not imposed."""

from __future__ import annotations

from collections.abc import Sequence

from game.engine import Attack, Entrench, Hold, Move, Order, State

from .assess import first_legal
from .lookahead import open_captures

MAX_PLACES = 3
"""A goal lacking more places than this is not a race of a turn or two: no race plans are offered."""


def lacking_places(s: State, faction: int) -> list[int]:
    """The places `faction`'s open capture conditions name that it does not hold uncontested, few enough."""
    out = {q for lack in open_captures(s, faction) for q in lack}
    return sorted(out) if len(out) <= MAX_PLACES else []


def _target(o: Order) -> str | None:
    if isinstance(o, Attack):
        return o.target
    if isinstance(o, Move):
        return o.to
    return None


def race_plans(s: State, side: str, base: Sequence[Order]) -> list[list[Order]]:
    """Variants of `base` for each place the side's capture goal lacks: all on it, and none on it."""
    f = s.world.faction_index.get(side)
    if f is None:
        return []
    lack = lacking_places(s, f)
    if not lack:
        return []
    names = s.world.board.places
    alive = s.u_strength > 0
    units = [s.units[u].id for u in range(len(s.units)) if alive[u] and int(s.u_faction[u]) == f]
    given = {getattr(o, "unit", None): o for o in base}
    out: list[list[Order]] = []
    for q in lack:
        place = names[q].id
        on: dict[str, Order] = {}
        off: dict[str, Order] = {}
        for uid in units:
            o = given.get(uid)
            if o is not None and _target(o) == place:
                stay = first_legal(s, side, [Entrench(uid), Hold(uid)])
                if stay is not None:
                    off[uid] = stay
            else:
                go = first_legal(s, side, [Attack(uid, place), Move(uid, place)])
                if go is not None:
                    on[uid] = go
        for change in (on, off):
            if not change:
                continue
            plan = [change.get(getattr(o, "unit", ""), o) for o in base]
            plan += [o for uid, o in change.items() if uid not in given]
            if plan not in out:
                out.append(plan)
    return out
