"""What an attack would look like before it is ordered: both sides' power, the odds, the expected
losses and every modifier behind them, read from the combat model itself.

`preview_attack` asks `combat.unit_power`, `combat.success_chance` and `combat.loss_rates` (it repeats
none of their arithmetic), so the preview and the battle can never disagree. The result is general
on purpose: a combat results table can fill the same `AttackPreview` (outcomes with their chances,
modifiers as column shifts) without any change to the screens that show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from . import query
from .combat import loss_rates, success_chance, unit_power
from .context import TurnContext
from .orders import AirStrike, Order, support_level
from .state import State
from .types import Channel, Posture, Supply


class Modifier(NamedTuple):
    """One named influence on the odds: its value (a power multiplier today) and what it means."""

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
    """Chance the attack takes the place (1 when nobody defends it)."""
    outcomes: tuple[tuple[str, float], ...]
    """Every possible result with its chance, most favourable to the attacker first."""
    attacker_troops: float
    defender_troops: float
    expected_attacker_losses: float
    """Troops the attackers are expected to lose (weighted over the outcomes)."""
    expected_defender_losses: float
    modifiers: tuple[Modifier, ...]
    modifier_unit: str = "×"
    """How the modifiers' values read: "×" power multipliers (today), or e.g. "columns" of a results table."""

    @property
    def uncontested(self) -> bool:
        """Nobody defends the place: the attackers move in without a battle."""
        return not self.defenders


def _mean(values: Sequence[float], weights: Sequence[float]) -> float:
    """Mean of a factor over a side's units, weighted by their troops (1 for an empty side)."""
    total = sum(weights)
    return sum(v * w for v, w in zip(values, weights)) / total if total > 0 else 1.0


def _air_context(state: State, orders: Iterable[Order]) -> TurnContext:
    """A turn context carrying the air support planned air strikes give their patrons' clients."""
    ctx = TurnContext(start=state)
    w = state.world
    for order in orders:
        if isinstance(order, AirStrike) and order.patron in w.patron_index and order.place in w.board.index:
            pi = w.patron_index[order.patron]
            level = support_level(state, pi, Channel.AIR)
            for client in w.patrons[pi].clients:
                if client in w.faction_index:
                    ctx.air[w.board.index[order.place], w.faction_index[client]] += level
    return ctx


def _side_modifiers(state: State, units: list[int], ctx: TurnContext, place: int, who: str,
                    defending: bool) -> list[Modifier]:
    """The per-unit factors of one side (quality, unit type, supply, cohesion, air), troop-weighted."""
    r = state.rules
    weights = [float(state.u_strength[u]) for u in units]
    by_type = r.type_defence if defending else r.type_attack
    supply = [r.supply_factor.get(Supply(int(state.u_supply[u])).label, 1.0) for u in units]
    air = [1.0 + r.air_factor * float(ctx.air[place, int(state.u_faction[u])]) for u in units]
    worst = Supply(max((int(state.u_supply[u]) for u in units), default=0)).label
    return [
        Modifier(f"{who} quality", _mean([state.units[u].quality for u in units], weights),
                 f"training and equipment of the {who}s' units"),
        Modifier(f"{who} unit type", _mean([by_type.get(state.units[u].type, 1.0) for u in units], weights),
                 f"{'defence' if defending else 'attack'} value of the {who}s' unit types"),
        Modifier(f"{who} supply", _mean(supply, weights),
                 f"the {who}s are {worst}" if worst != "supplied" else f"the {who}s are supplied"),
        Modifier(f"{who} cohesion", _mean([max(float(state.u_cohesion[u]), 0.1) for u in units], weights),
                 f"the {who}s' cohesion (morale and order), at least 0.1"),
        Modifier(f"{who} air", _mean(air, weights),
                 "air strikes planned here this turn" if any(a > 1.0 for a in air) else "no air support here"),
    ]


def _defence_modifiers(state: State, units: list[int], place: int) -> list[Modifier]:
    """Terrain, fortification and posture: what only the defenders get."""
    r = state.rules
    pl = state.world.board.places[place]
    weights = [float(state.u_strength[u]) for u in units]
    postures = [Posture(int(state.u_posture[u])).label for u in units]
    shown = max(set(postures), key=postures.count) if postures else "defend"
    return [
        Modifier("terrain", r.terrain_defence.get(pl.terrain.value, 1.0), f"{pl.name}: {pl.terrain.value} terrain"),
        Modifier("fortification", 1.0 + r.fort_bonus * pl.fort, f"fortification level {pl.fort}"),
        Modifier("posture", _mean([r.posture_defence.get(p, 1.0) for p in postures], weights),
                 f"the defenders {'are entrenched' if shown == 'entrench' else 'posture: ' + shown}"),
    ]


def preview_attack(state: State, side: str, units: Sequence[str], target: str,
                   orders: Mapping[str, Sequence[Order]] | Iterable[Order] = ()) -> AttackPreview:
    """The odds, expected losses and modifiers of `units` (ids, of faction `side`) attacking the place
    `target`, as the combat model would judge it now. `orders`: orders planned this turn (air strikes
    planned on the target give the attackers air support). Raises KeyError for unknown ids."""
    w, r = state.world, state.rules
    place = w.board.index[target]
    index = state.unit_index()
    attackers = [index[u] for u in units if float(state.u_strength[index[u]]) > 0]
    faction = w.faction_index[side]
    enemies = query.faction_bits(state)[1][faction]
    defenders = [u for u in query.units_at(state, place).tolist() if enemies >> int(state.u_faction[u]) & 1]
    planned = [o for os in orders.values() for o in os] if isinstance(orders, Mapping) else list(orders)
    ctx = _air_context(state, planned)
    a_troops = float(sum(state.u_strength[u] for u in attackers))
    d_troops = float(sum(state.u_strength[u] for u in defenders))
    a_pow = unit_power(state, attackers, ctx, place, defending=False)
    if not defenders:
        return AttackPreview(target, side, None, tuple(state.units[u].id for u in attackers), (), a_pow, 0.0,
                             float("inf"), 1.0,
                             (("taken without a fight", 1.0),), a_troops, 0.0, 0.0, 0.0, ())
    d_pow = unit_power(state, defenders, ctx, place, defending=True)
    ratio = a_pow / max(d_pow, 1e-9)
    p = success_chance(ratio, r)
    a_win, d_win = loss_rates(ratio, True, r)
    a_lose, d_lose = loss_rates(ratio, False, r)
    strongest: dict[int, float] = {}
    for u in defenders:
        strongest[int(state.u_faction[u])] = strongest.get(int(state.u_faction[u]), 0.0) + float(state.u_strength[u])
    defender = w.factions[max(strongest, key=lambda f: strongest[f])].id
    modifiers = (_defence_modifiers(state, defenders, place) + _side_modifiers(state, attackers, ctx, place,
                 "attacker", False) + _side_modifiers(state, defenders, ctx, place, "defender", True))
    return AttackPreview(
        target, side, defender, tuple(state.units[u].id for u in attackers),
        tuple(state.units[u].id for u in defenders), a_pow, d_pow, ratio, p,
        (("taken", p), ("held", 1.0 - p)), a_troops, d_troops,
        a_troops * (p * a_win + (1 - p) * a_lose), d_troops * (p * d_win + (1 - p) * d_lose), tuple(modifiers))
