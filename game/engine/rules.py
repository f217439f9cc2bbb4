"""Every constant the rules use, with documented defaults.

A scenario's `rules:` block overrides any of them; `Rules.describe()` lists
them for the format documentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


def rule(default: Any, doc: str) -> Any:
    """A rule constant with its documentation."""
    if isinstance(default, dict):
        frozen = dict(default)
        return field(default_factory=lambda: dict(frozen), metadata={"doc": doc})
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Rules:
    # --- movement
    move_points: dict[str, float] = rule(
        {"infantry": 60.0, "militia": 60.0, "mechanised": 120.0, "armour": 100.0,
         "special_forces": 90.0, "artillery": 60.0},
        "Movement points per turn by unit type, spent in route-km times route cost.")
    route_cost: dict[str, float] = rule(
        {"highway": 1.0, "road": 1.4, "track": 2.0, "border": 1.5},
        "Movement cost per km by route kind.")
    stacking: dict[str, int] = rule(
        {"city": 10, "town": 6, "junction": 4, "crossing": 3, "base": 6, "airbase": 6},
        "Most units one faction may have at a place, by place kind.")
    route_length_factor: float = rule(1.2, "Route length when not given: great-circle km times this.")
    # --- combat
    combat_k: float = rule(4.0, "Steepness k of the attack success curve p = 1/(1+exp(-k ln(ratio/r0))).")
    combat_r0: float = rule(1.2, "Power ratio r0 at which an attack succeeds half the time.")
    attacker_loss_rate: float = rule(0.028, "Attacker's daily loss fraction at a 1:1 ratio (Dupuy).")
    defender_loss_rate: float = rule(0.015, "Defender's daily loss fraction at a 1:1 ratio (Dupuy).")
    loss_ratio_exponent: float = rule(0.5, "Loss rates scale with the power ratio to this exponent.")
    loss_cap: float = rule(0.25, "Largest fraction of strength a unit loses in one combat.")
    loser_loss_multiplier: float = rule(2.0, "Losses of the side that lost the combat are multiplied by this.")
    terrain_defence: dict[str, float] = rule(
        {"urban": 1.6, "open": 1.0, "rough": 1.3, "mountain": 1.8, "desert": 0.9},
        "Defender's power multiplier by terrain.")
    posture_defence: dict[str, float] = rule(
        {"move": 0.8, "attack": 0.9, "defend": 1.2, "entrench": 1.5, "withdraw": 0.7, "routed": 0.4},
        "Defender's power multiplier by posture.")
    fort_bonus: float = rule(0.2, "Defender's power bonus per fortification level (0-3).")
    type_attack: dict[str, float] = rule(
        {"infantry": 1.0, "militia": 0.8, "mechanised": 1.2, "armour": 1.3,
         "special_forces": 1.3, "artillery": 1.1},
        "Attack power multiplier by unit type.")
    type_defence: dict[str, float] = rule(
        {"infantry": 1.0, "militia": 0.9, "mechanised": 1.1, "armour": 1.1,
         "special_forces": 1.1, "artillery": 0.8},
        "Defence power multiplier by unit type.")
    supply_factor: dict[str, float] = rule(
        {"supplied": 1.0, "limited": 0.75, "cut": 0.45}, "Combat power multiplier by supply state.")
    air_factor: float = rule(0.3, "Combat power bonus at a place per unit of air support flown there this turn.")
    combat_cohesion_loss: float = rule(0.1, "Cohesion a losing unit loses in one combat.")
    combat_cohesion_gain: float = rule(0.02, "Cohesion a winning unit gains in one combat.")
    rout_cohesion: float = rule(0.25, "A unit that loses a combat with cohesion below this routs.")
    rally_cohesion: float = rule(0.35, "A routed unit rallies at the end of a turn with cohesion above this.")
    # --- patrons and support
    air_strike_loss: float = rule(0.06, "Strength fraction an air strike destroys at full air support in the open.")
    air_exposure: dict[str, float] = rule(
        {"urban": 0.5, "open": 1.2, "rough": 0.8, "mountain": 0.6, "desert": 1.3},
        "How exposed a target is to air strikes, by terrain.")
    air_strike_cohesion: float = rule(0.05, "Cohesion an air strike costs each unit it hits (at full support).")
    cost_air_strike: float = rule(1.0, "Capacity points an air strike costs.")
    cost_reinforce: float = rule(2.0, "Capacity points sending reinforcements costs.")
    cost_supply_surge: float = rule(1.0, "Capacity points a supply surge costs.")
    reinforce_strength: float = rule(2000.0, "Personnel in one reinforcement at full ground support.")
    reinforce_quality: float = rule(1.0, "Quality of reinforcing units.")
    interdiction_chance: float = rule(0.3, "Chance an interdictor at full air support destroys a convoy.")
    surge_cohesion: float = rule(0.04, "Faction cohesion a supply surge restores at full supply support.")
    patron_help_cohesion: float = rule(0.01, "Client faction cohesion per capacity point a patron spends.")
    # --- supply
    supply_range_km: float = rule(250.0, "Units within this route distance of a source are supplied.")
    limited_range_km: float = rule(450.0, "Units within this distance (but beyond supply range) are limited.")
    limited_attrition: float = rule(0.005, "Strength fraction a limited unit loses each turn.")
    cut_attrition: float = rule(0.03, "Strength fraction a cut-off unit loses each turn.")
    cut_cohesion_loss: float = rule(0.06, "Cohesion a cut-off unit loses each turn.")
    surrender_cohesion: float = rule(0.2, "A cut-off unit below this cohesion may surrender or flee.")
    surrender_chance: float = rule(0.3, "Chance each turn that such a unit gives up.")
    flee_chance: float = rule(0.6, "Chance that a unit giving up next to a border crossing flees across it.")
    # --- cohesion
    cohesion_per_value_lost: float = rule(0.012, "Faction cohesion lost per victory value of places lost.")
    cohesion_per_value_gained: float = rule(0.006, "Faction cohesion gained per victory value of places taken.")
    rout_penalty: float = rule(0.01, "Faction cohesion lost per unit routed.")
    cut_penalty: float = rule(0.005, "Faction cohesion lost per unit newly cut off.")
    combat_win_bonus: float = rule(0.005, "Faction cohesion gained per combat won.")
    cohesion_drift: float = rule(0.0, "Faction cohesion change every turn (positive: recovery).")
    unit_follow: float = rule(0.4, "How far unit cohesion moves toward its faction's each turn (0-1).")
    shock_sd: float = rule(0.03, "Standard deviation of the random local cohesion shock per unit per turn.")
    desertion_chance: float = rule(0.5, "Below the breakpoint, the chance per turn a unit loses strength to desertion.")
    desertion_rate: float = rule(0.08, "Strength fraction lost to one desertion.")
    break_withdraw_chance: float = rule(0.3, "Below the breakpoint, the chance a unit withdraws without orders.")
    contagion: float = rule(0.03, "Cohesion lost by units next to one that routs or breaks.")
    collapse_spread: float = rule(0.05, "Cohesion lost by a faction's allies when it collapses.")

    def replace(self, **changes: Any) -> Rules:
        """A copy with some constants changed (dict constants are merged)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for key, val in changes.items():
            if key not in values:
                raise KeyError(key)
            if isinstance(values[key], dict) and isinstance(val, dict):
                merged = dict(values[key])
                merged.update(val)
                val = merged
            values[key] = val
        return Rules(**values)

    @staticmethod
    def describe() -> list[tuple[str, Any, str]]:
        """(name, default, doc) for every constant, in declaration order."""
        default = Rules()
        return [(f.name, getattr(default, f.name), f.metadata["doc"]) for f in fields(Rules)]
