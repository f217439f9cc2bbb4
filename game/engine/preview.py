"""What an attack would look like before it is ordered: both sides' power, the results table's column and
the chance of each graded result, the expected losses, and every column shift behind them, read from the
combat model itself.

`preview_attack` asks `crt.odds` (the very function a battle reads its odds from) and the rules' loss
tables, repeating none of their arithmetic, so the preview and the battle can never disagree. What it
cannot know yet (the enemy's orders, air strikes and moves before the battle) it leaves out: it is the
battle as it would be fought with the units as they stand now and the air support planned for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from . import crt, query
from .legal import helped
from .orders import CloseAir, Order, support_level
from .state import State
from .types import Channel

SHIFTS = ("terrain", "fortification", "posture", "supply", "stocks", "quality", "air")
"""The column shifts every attack is read with (those that are nil are listed too, so a player sees all
that could matter); others (interdiction, a river crossed) appear when they apply."""


class Modifier(NamedTuple):
    """One named influence on the odds: its value (columns of the results table, positive for the
    attackers) and what it means."""

    name: str
    value: float
    explanation: str


@dataclass(frozen=True)
class AttackPreview:
    """The expected course of one attack, from the state at the start of the turn."""

    place: str
    attacker: str
    """The attacking faction's id."""
    defender: str | None
    """The defending faction's id (the strongest present), None when nobody defends."""
    attackers: tuple[str, ...]
    defenders: tuple[str, ...]
    attacker_power: float
    defender_power: float
    ratio: float
    """Attacker power over defender power."""
    chance: float
    """Chance the defenders give way (1 when nobody defends the place)."""
    outcomes: tuple[tuple[str, float], ...]
    """Every possible result with its chance, the best for the attackers first."""
    attacker_troops: float
    defender_troops: float
    expected_attacker_losses: float
    """Troops the attackers are expected to lose (weighted over the results)."""
    expected_defender_losses: float
    modifiers: tuple[Modifier, ...]
    modifier_unit: str = "columns"
    """How the modifiers' values read: columns of the results table (or "×" for power multipliers)."""
    column: str = ""
    """The results table column the attack is read on, as odds ("2:1")."""

    @property
    def uncontested(self) -> bool:
        """Nobody defends the place: the attackers move in without a battle."""
        return not self.defenders


def planned_air(state: State, orders: Iterable[Order], faction: int, place: int) -> float:
    """The effect of the close air support planned at `place` for `faction` (each further mission there
    doing `strike_decay` of the one before, as in the support phase)."""
    w, r = state.world, state.rules
    out, k = 0.0, 0
    for order in orders:
        if isinstance(order, CloseAir) and order.place == w.board.places[place].id and order.patron in w.patron_index:
            pi = w.patron_index[order.patron]
            if faction in helped(w, pi):
                level = support_level(state, pi, Channel.AIR)
                out += crt.effect(level, r) * r.strike_decay ** k
                k += 1
    return out


def preview_attack(state: State, side: str, units: Sequence[str], target: str,
                   orders: Mapping[str, Sequence[Order]] | Iterable[Order] = ()) -> AttackPreview:
    """The odds, expected losses and column shifts of `units` (ids, given their orders by `side`) attacking
    the place `target`, as the results table would read them now. `orders`: orders planned this turn
    (close air support planned on the target counts). Raises KeyError for unknown ids."""
    w, r = state.world, state.rules
    place = w.board.index[target]
    index = state.unit_index()
    attackers = [index[u] for u in units if float(state.u_strength[index[u]]) > 0]
    faction = int(state.u_faction[attackers[0]]) if attackers else w.faction_index[side]
    enemies = query.faction_bits(state)[1][faction]
    defenders = [u for u in query.units_at(state, place).tolist() if enemies >> int(state.u_faction[u]) & 1]
    a_troops = float(sum(state.u_strength[u] for u in attackers))
    d_troops = float(sum(state.u_strength[u] for u in defenders))
    ids = tuple(state.units[u].id for u in attackers)
    if not defenders:
        return AttackPreview(target, w.factions[faction].id, None, ids, (), a_troops, 0.0, float("inf"), 1.0,
                             (("taken without a fight", 1.0),), a_troops, 0.0, 0.0, 0.0, ())
    planned = [o for os in orders.values() for o in os] if isinstance(orders, Mapping) else list(orders)
    odds = crt.odds(state, attackers, defenders, place, air_attack=planned_air(state, planned, faction, place))
    cap = r.loss_cap
    a_rate = sum(p * min(r.crt_attacker_loss.get(res, 0.0), cap) for res, p in odds.chances.items())
    d_rate = sum(p * min(r.crt_defender_loss.get(res, 0.0), cap) for res, p in odds.chances.items())
    strongest: dict[int, float] = {}
    for u in defenders:
        strongest[int(state.u_faction[u])] = strongest.get(int(state.u_faction[u]), 0.0) + float(state.u_strength[u])
    defender = w.factions[max(strongest, key=lambda f: strongest[f])].id
    return AttackPreview(
        target, w.factions[faction].id, defender, ids, tuple(state.units[u].id for u in defenders), odds.attack,
        odds.defence, odds.ratio, odds.success, tuple((res, odds.chances[res]) for res in reversed(crt.RESULTS)),
        a_troops, d_troops, a_troops * a_rate, d_troops * d_rate,
        every_shift(odds), "columns", odds.column_label)


def every_shift(odds: crt.Odds) -> tuple[Modifier, ...]:
    """The odds' column shifts, with a nil one for each usual shift that did not apply."""
    given = {x.name: x for x in odds.shifts}
    out = [Modifier(x.name, x.columns, x.why) for x in odds.shifts]
    out += [Modifier(name, 0.0, "no effect here") for name in SHIFTS if name not in given]
    order = {name: k for k, name in enumerate(SHIFTS)}
    return tuple(sorted(out, key=lambda m: order.get(m.name, len(order))))
