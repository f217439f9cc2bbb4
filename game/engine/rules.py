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
    neutral_passage: bool = rule(True, "Units may pass through (not stop at) places held by neutral factions.")
    zone_of_control: bool = rule(True, "A moving unit stops at a place next to hostile units (a light zone of "
                                       "control along routes).")
    # --- combat: the results table
    crt_odds: dict[str, float] = rule(
        {"r1_3": 1 / 3, "r1_2": 0.5, "r1_1": 1.0, "r3_2": 1.5, "r2_1": 2.0, "r3_1": 3.0, "r4_1": 4.0, "r6_1": 6.0},
        "Power ratio (attacker to defender) of each column of the combat results table, lowest first.")
    crt_repulsed: dict[str, float] = rule(
        {"r1_3": 8.0, "r1_2": 6.0, "r1_1": 4.0, "r3_2": 3.0, "r2_1": 2.0, "r3_1": 1.0, "r4_1": 0.0, "r6_1": 0.0},
        "Die faces (of ten) per column on which the attacker is repulsed.")
    crt_engaged: dict[str, float] = rule(
        {"r1_3": 2.0, "r1_2": 3.0, "r1_1": 3.0, "r3_2": 2.0, "r2_1": 2.0, "r3_1": 1.0, "r4_1": 1.0, "r6_1": 0.0},
        "Die faces per column on which both sides stay engaged (in a city the attackers get in and fight on).")
    crt_exchange: dict[str, float] = rule(
        {"r1_3": 0.0, "r1_2": 1.0, "r1_1": 2.0, "r3_2": 2.0, "r2_1": 1.0, "r3_1": 1.0, "r4_1": 1.0, "r6_1": 1.0},
        "Die faces per column of an exchange: heavy losses on both sides, the defender holds.")
    crt_retreat: dict[str, float] = rule(
        {"r1_3": 0.0, "r1_2": 0.0, "r1_1": 1.0, "r3_2": 3.0, "r2_1": 4.0, "r3_1": 4.0, "r4_1": 3.0, "r6_1": 2.0},
        "Die faces per column on which the defender must retreat (entrenched defenders may stand instead).")
    crt_rout: dict[str, float] = rule(
        {"r1_3": 0.0, "r1_2": 0.0, "r1_1": 0.0, "r3_2": 0.0, "r2_1": 1.0, "r3_1": 3.0, "r4_1": 5.0, "r6_1": 7.0},
        "Die faces per column on which the defender is routed (or surrenders with nowhere to go).")
    crt_attacker_loss: dict[str, float] = rule(
        {"repulsed": 0.06, "engaged": 0.04, "exchange": 0.08, "retreat": 0.03, "rout": 0.02},
        "Attacker's strength lost, by result (a share of strength).")
    crt_defender_loss: dict[str, float] = rule(
        {"repulsed": 0.015, "engaged": 0.03, "exchange": 0.08, "retreat": 0.06, "rout": 0.12},
        "Defender's strength lost, by result.")
    terrain_shift: dict[str, float] = rule(
        {"urban": -1.0, "open": 0.0, "rough": -0.5, "mountain": -1.5, "desert": 0.5},
        "Column shift for the defender's terrain (negative: worse odds for the attacker).")
    fort_shift: float = rule(-0.5, "Column shift per fortification level of the defended place.")
    posture_shift: dict[str, float] = rule(
        {"move": 1.0, "attack": 0.5, "defend": 0.0, "entrench": -1.0, "withdraw": 1.0, "routed": 2.0},
        "Column shift by the defenders' posture (strength-weighted).")
    supply_shift: dict[str, float] = rule(
        {"supplied": 0.0, "limited": 0.5, "cut": 1.5},
        "Columns a side loses by its supply state (strength-weighted): for the attacker to the left, for the "
        "defender to the right.")
    stock_shift: float = rule(1.0, "Columns a side gains with full stocks, or loses with none (linear about 0.5).")
    quality_shift: float = rule(2.0, "Columns per point of quality the attackers have over the defenders.")
    air_shift: float = rule(1.5, "Columns of close air support at full effect (for the side it flies for).")
    interdict_shift: float = rule(1.0, "Columns against attacks across an interdicted route, at full effect.")
    river_shift: float = rule(1.0, "Columns against attacks made across a river (a route with `river: true`), "
                                   "strength-weighted over the attackers that cross it.")
    cohesion_power_floor: float = rule(0.4, "Share of combat power a unit keeps at zero cohesion (power × "
                                            "(floor + (1 - floor) × cohesion)).")
    stand_cohesion: float = rule(0.35, "Entrenched defenders with at least this cohesion stand on a retreat "
                                       "result, taking extra losses instead.")
    stand_loss: float = rule(0.05, "Extra strength lost by defenders who stand instead of retreating.")
    combat_cohesion_loss: float = rule(0.1, "Cohesion a losing unit loses in one combat.")
    combat_cohesion_gain: float = rule(0.02, "Cohesion a winning unit gains in one combat.")
    rout_cohesion_loss: float = rule(0.2, "Cohesion a routed defender loses.")
    rout_cohesion: float = rule(0.2, "A unit that loses a combat with cohesion below this routs.")
    rally_cohesion: float = rule(0.35, "A routed unit rallies at the end of a turn with cohesion above this.")
    combat_k: float = rule(4.0, "Meeting engagements on a route: steepness k of p = 1/(1+exp(-k ln(ratio))).")
    combat_r0: float = rule(1.2, "Meeting engagements: reserved (the power ratio at even odds is 1).")
    attacker_loss_rate: float = rule(0.028, "Meeting engagements: the winner's loss share at 1:1 (Dupuy).")
    defender_loss_rate: float = rule(0.015, "Meeting engagements: base loss share (Dupuy).")
    loss_ratio_exponent: float = rule(0.5, "Meeting engagements: losses scale with the power ratio to this exponent.")
    loss_cap: float = rule(0.25, "Largest share of strength a unit loses in one combat.")
    loser_loss_multiplier: float = rule(2.0, "Meeting engagements: the loser's losses are multiplied by this.")
    type_attack: dict[str, float] = rule(
        {"infantry": 1.0, "militia": 0.8, "mechanised": 1.2, "armour": 1.3,
         "special_forces": 1.3, "artillery": 1.1},
        "Attack power multiplier by unit type.")
    type_defence: dict[str, float] = rule(
        {"infantry": 1.0, "militia": 0.9, "mechanised": 1.1, "armour": 1.1,
         "special_forces": 1.1, "artillery": 0.8},
        "Defence power multiplier by unit type.")
    # --- patrons and support
    support_curvature: float = rule(2.0, "Diminishing returns of support: a level L acts as (1 - e^(-cL)) / "
                                         "(1 - e^(-c)) of full support (0: linear).")
    air_strike_loss: float = rule(0.06, "Strength share an air strike destroys at full effect in the open.")
    air_exposure: dict[str, float] = rule(
        {"urban": 0.5, "open": 1.2, "rough": 0.8, "mountain": 0.6, "desert": 1.3},
        "How exposed a target is to air strikes, by terrain.")
    air_strike_cohesion: float = rule(0.05, "Cohesion an air strike costs each unit it hits (at full effect).")
    strike_decay: float = rule(0.5, "Each further air mission at the same place in a turn does this share of "
                                    "the one before.")
    interdict_loss: float = rule(0.05, "Strength share a hostile unit moving along an interdicted route loses "
                                       "(full effect).")
    cost_air_strike: float = rule(1.0, "Capacity points an air mission (strike, close support, interdiction, "
                                       "depot strike) costs. A patron has its capacity on each support channel.")
    cost_reinforce: float = rule(1.0, "Capacity points sending reinforcements costs.")
    cost_supply_surge: float = rule(1.0, "Capacity points a supply surge costs.")
    cost_other: float = rule(1.0, "Capacity points an evacuation or a negotiation costs.")
    reinforce_strength: float = rule(2000.0, "Personnel in one reinforcement at full ground support.")
    reinforce_quality: float = rule(1.0, "Quality of reinforcing units.")
    interdiction_chance: float = rule(0.3, "Chance an interdictor at full air support destroys a convoy or airlift.")
    surge_stock: float = rule(0.5, "Stock a supply surge at full effect adds to each unit it reaches.")
    surge_range_km: float = rule(150.0, "Route distance from a delivery point within which a surge reaches units.")
    help_cohesion: float = rule(0.03, "Client faction cohesion when a full reinforcement arrives (by its share "
                                      "of a full one).")
    contingent_will: float = rule(0.0, "Cohesion a patron's contingent under its own command has at ground "
                                       "support 0; its ground support level buys the rest of the way to 1.")
    help_restores: bool = rule(False, "Help only restores cohesion its client has lost since the start of the "
                                      "scenario: it never lifts a faction above the cohesion it began with.")
    surge_help: float = rule(0.0, "A supply surge delivered at full effect counts as this share of a full "
                                  "reinforcement's help to the client's cohesion (help actually delivered).")
    air_help: float = rule(0.0, "A close air support mission flown at full effect counts as this share of a full "
                                "reinforcement's help to the cohesion of the factions it flies for.")
    negotiate_chance: float = rule(0.5, "Chance a patron's offer of a truce is taken, each time it is made.")
    depot_strike_damage: float = rule(0.5, "Share of a depot one strike destroys at full effect.")
    depot_supply: float = rule(0.25, "A depot with more stock than this supplies whoever holds it.")
    # --- supply
    supply_range_km: float = rule(250.0, "Units within this route distance of a source are supplied.")
    limited_range_km: float = rule(450.0, "Units within this distance (but beyond supply range) are limited.")
    limited_attrition: float = rule(0.005, "Strength share a limited unit loses each turn.")
    cut_attrition: float = rule(0.03, "Strength share a cut-off unit loses each turn.")
    cut_cohesion_loss: float = rule(0.06, "Cohesion a cut-off unit loses each turn.")
    stock_recover: float = rule(0.1, "How far a supplied unit's stock moves back toward 0.5 each turn.")
    stock_use: dict[str, float] = rule(
        {"supplied": 0.0, "limited": 0.05, "cut": 0.15},
        "Stock a unit uses up each turn by supply state (besides fighting).")
    stock_combat: float = rule(0.05, "Stock a unit uses up in each battle it fights.")
    surrender_cohesion: float = rule(0.2, "A cut-off unit below this cohesion may surrender or flee.")
    surrender_chance: float = rule(0.3, "Chance each turn that such a unit gives up.")
    flee_chance: float = rule(0.6, "Chance that a unit giving up next to a border crossing flees across it.")
    # --- cohesion and morale
    cohesion_per_value_lost: float = rule(0.012, "Faction cohesion lost per victory value of places lost.")
    cohesion_per_value_gained: float = rule(0.006, "Faction cohesion gained per victory value of places taken.")
    rout_penalty: float = rule(0.3, "Faction cohesion lost when all its strength routs or breaks in a turn (in "
                                    "proportion to the share that does).")
    cut_penalty: float = rule(0.005, "Faction cohesion lost per unit newly cut off.")
    combat_win_bonus: float = rule(0.005, "Faction cohesion gained per combat won.")
    capital_penalty: float = rule(0.1, "Faction cohesion lost when all its strength loses its link to the capital "
                                       "(in proportion to the share newly cut from it).")
    cohesion_drift: float = rule(0.0, "Faction cohesion change every turn (positive: recovery). 0 by default: "
                                      "morale moves on causes, not a clock.")
    unit_follow: float = rule(0.4, "How far unit cohesion moves toward its faction's each turn (0-1).")
    shock_sd: float = rule(0.03, "Standard deviation of the random local cohesion shock per unit per turn.")
    morale_line: float = rule(0.7, "Morale checks: a unit whose effective cohesion is at or above this never fails.")
    morale_span: float = rule(0.3, "Morale checks: the chance of failing grows by 1 over this much effective "
                                    "cohesion below the line.")
    morale_max_fail: float = rule(0.8, "Largest chance of failing one morale check.")
    remote_pressure: float = rule(0.5, "Morale checks away from the enemy (cut off or isolated, in a faction that is "
                                       "not broken) fail this share as often as checks in contact.")
    break_share: float = rule(0.7, "Share of failed morale checks in which the unit breaks (falls back, "
                                   "deserts); the rest waver.")
    waver_loss: float = rule(0.03, "Strength share a wavering unit loses to desertion.")
    waver_cohesion: float = rule(0.05, "Cohesion a wavering unit loses.")
    dissolve_when_broken_twice: bool = rule(True, "A routed unit that breaks again melts away (its troops "
                                                  "desert or go home), as broken formations did in December 2024.")
    desertion_rate: float = rule(0.08, "Strength share a breaking unit loses to desertion.")
    collapse_desertion: float = rule(0.25, "Strength share a breaking unit loses to desertion while its faction is "
                                           "below its breakpoint (mass desertion).")
    break_cohesion: float = rule(0.1, "Cohesion a breaking unit loses.")
    contagion: float = rule(0.03, "Cohesion lost by units next to one that routs or breaks.")
    morale_supply: dict[str, float] = rule(
        {"supplied": 0.0, "limited": -0.05, "cut": -0.15}, "Morale check modifier by supply state.")
    morale_air: float = rule(0.3, "Morale check modifier with friendly close air support overhead (full effect).")
    morale_stock: float = rule(0.1, "Morale check modifier with full stocks (linear about 0.5; negative below).")
    morale_isolated: float = rule(-0.1, "Morale check modifier for a unit with no route to its capital.")
    morale_entrenched: float = rule(0.03, "Morale check modifier for an entrenched unit.")
    morale_fort: float = rule(0.02, "Morale check modifier per fortification level of its place.")
    morale_odds: float = rule(0.08, "Morale check modifier per doubling of the hostile power next door over the "
                                   "defence of its place (capped at two doublings; a bonus when the odds favour it).")
    morale_line_support: float = rule(0.03, "Morale check modifier when friendly units hold a neighbouring place.")
    morale_broken: float = rule(-0.15, "Morale check modifier while the unit's faction is below its breakpoint.")
    break_span: float = rule(0.0, "A faction's break is a roll against its cohesion: each turn it is not broken, "
                                  "it breaks with a chance rising from 0 at its breakpoint plus half this span to 1 "
                                  "at its breakpoint less half of it (0: it breaks exactly at its breakpoint).")
    collapse_spread: float = rule(0.05, "Cohesion lost by a faction's allies when it breaks.")
    # --- fog of war (what a team sees: engine/sight.py, engine/view.py)
    detect_km: float = rule(60.0, "Route distance (km) from a team's units and held places within which it sees "
                                  "other sides' units (as estimates).")
    detect_air_km: float = rule(90.0, "Further detection distance (km) a team gets from its best patron's air "
                                      "support, at full effect (scaled like any support level).")

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


MAX_KM = 40_000.0
"""Longest distance a rule may name: once round the Earth."""
MAX_STRENGTH = 1_000_000.0
"""Most personnel in one unit (also `units[].strength`)."""

FRACTIONS = frozenset({
    "attacker_loss_rate", "defender_loss_rate", "loss_cap", "air_strike_loss", "limited_attrition",
    "cut_attrition", "desertion_rate", "collapse_desertion", "combat_cohesion_loss", "combat_cohesion_gain",
    "rout_cohesion", "rout_cohesion_loss", "rally_cohesion", "stand_cohesion", "stand_loss", "air_strike_cohesion",
    "cut_cohesion_loss", "surrender_cohesion", "cohesion_per_value_lost", "cohesion_per_value_gained",
    "rout_penalty", "cut_penalty", "combat_win_bonus", "capital_penalty", "help_cohesion", "contingent_will",
    "surge_help", "air_help", "unit_follow", "shock_sd", "contagion", "break_span", "collapse_spread", "waver_loss",
    "waver_cohesion", "break_cohesion", "break_share",
    "remote_pressure", "morale_line", "morale_span", "morale_max_fail", "morale_stock", "morale_air",
    "morale_entrenched", "morale_fort", "morale_odds", "morale_line_support", "strike_decay",
    "cohesion_power_floor", "interdict_loss", "surge_stock", "depot_strike_damage", "depot_supply", "stock_recover",
    "stock_use", "stock_combat", "crt_attacker_loss", "crt_defender_loss",
})
"""Rules that are a share of strength, an amount of cohesion or stock (itself 0-1) or a share of checks:
0 to 1, like every `*_chance`."""

MODIFIERS = frozenset({"morale_supply", "morale_isolated", "morale_broken"})
"""Morale check modifiers that may be negative: -1 to 1."""

LIMITS: dict[str, tuple[float, float]] = {
    "move_points": (0, MAX_KM), "route_cost": (0, 100), "stacking": (0, 1000), "route_length_factor": (0, 10),
    "combat_k": (0, 10), "combat_r0": (0.01, 100), "loss_ratio_exponent": (0, 10), "loser_loss_multiplier": (0, 100),
    "type_attack": (0, 10), "type_defence": (0, 10), "air_exposure": (0, 10),
    "crt_odds": (0.001, 1000), "crt_repulsed": (0, 100), "crt_engaged": (0, 100), "crt_exchange": (0, 100),
    "crt_retreat": (0, 100), "crt_rout": (0, 100),
    "terrain_shift": (-10, 10), "posture_shift": (-10, 10), "fort_shift": (-10, 10), "supply_shift": (0, 10),
    "stock_shift": (0, 10), "quality_shift": (0, 10), "air_shift": (0, 10), "interdict_shift": (0, 10),
    "river_shift": (0, 10),
    "support_curvature": (0, 20),
    "cost_air_strike": (0, 1000), "cost_reinforce": (0, 1000), "cost_supply_surge": (0, 1000), "cost_other": (0, 1000),
    "reinforce_strength": (0, MAX_STRENGTH), "reinforce_quality": (0.5, 1.5), "supply_range_km": (0, MAX_KM),
    "limited_range_km": (0, MAX_KM), "surge_range_km": (0, MAX_KM), "cohesion_drift": (-1, 1),
}
"""Range of every other rule (for a table: of each of its entries). The bounds keep the engine's arithmetic
finite (powers, exponentials, sums over a game of 10,000 turns) while leaving room far beyond the defaults."""

DEFAULT_LIMIT = (0.0, 1_000_000.0)
"""Range of a rule not named above."""


def rule_limits(name: str) -> tuple[float, float]:
    """(lowest, highest) value a rule (or each entry of a table rule) may take."""
    if name in MODIFIERS:
        return (-1.0, 1.0)
    if name.endswith("_chance") or name in FRACTIONS:
        return (0.0, 1.0)
    lo, hi = LIMITS.get(name, DEFAULT_LIMIT)
    return (float(lo), float(hi))
