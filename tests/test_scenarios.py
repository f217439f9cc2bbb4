"""Every shipped scenario loads, validates and plays ten bot turns; the default one starts as the report says."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.engine import events as ev
from game.engine import state_hash
from game.engine.specs import ChangeCohesion, FlagSet, SetCapacity, SetFlag, SetSupport
from game.engine.types import Relation
from game.scenario import load_scenario
from game.sim.runner import run_game

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
DEFAULT = ROOT / "scenarios" / "homs_junction.yaml"


def test_scenarios_are_shipped() -> None:
    assert DEFAULT in SCENARIOS


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_scenario_plays_ten_bot_turns(path: Path) -> None:
    world, state = load_scenario(path)
    result = run_game(state, 10, seed=7)
    played = len(result.hashes)
    assert played == 10 or result.final.is_over
    rejected = [e for turn in result.events for e in turn if isinstance(e, ev.OrderRejected)]
    assert rejected == [], f"the built-in bot gave illegal orders: {rejected[:3]}"
    final = result.final
    assert np.all(final.u_strength >= 0)
    assert np.all((final.controller >= 0) & (final.controller < len(world.factions)))
    assert np.all(final.u_place < world.board.n_places)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_same_seed_same_game(path: Path) -> None:
    _, state = load_scenario(path)
    a = run_game(state, 3, seed=11)
    b = run_game(state, 3, seed=11)
    assert a.hashes == b.hashes
    assert state_hash(a.final) == state_hash(b.final)


# Who held what on 7 December 2024 (seeds: the report, seeds/general.yaml and model.md's summary).
REPORT_START = {
    "aleppo": {"hts", "sna"},
    "hama": {"hts"},
    "deir_ez_zor": {"sdf"},
    "daraa": {"southern"},
    "suwayda": {"suwayda"},
    "shahba": {"suwayda"},
    "quneitra": {"southern"},
    "homs": {"government"},
    "damascus": {"government"},
    "latakia": {"government"},
    "tartus": {"government"},
    "hmeimim": {"russia_forces"},
    "tartus_naval": {"russia_forces"},
    "qusayr": {"hezbollah_forces"},
    "rastan": {"hts", "sna"},
    "talbiseh": {"hts", "sna"},
    "idlib": {"hts"},
    "palmyra": {"government"},
    "tanf": {"usa_forces"},
    "tanf_crossing": {"sfa"},
    "conoco_field": {"usa_forces"},
    "al_omar_field": {"usa_forces"},
    "golan": {"israel_forces"},
    "buffer_zone": {"government"},
    "mount_hermon": {"government"},
    "hasakah_security_quarter": {"government"},
    "qamishli_airport": {"government"},
    "jabal_bishri": {"islamic_state"},
    "badia_palmyra": {"islamic_state"},
}

SIDES = {"government", "hts", "southern", "suwayda", "sfa", "sna", "sdf", "islamic_state"}
COMMANDED = {"russia_forces": "russia", "usa_forces": "usa", "israel_forces": "israel",
             "hezbollah_forces": "hezbollah"}
PATRONS = {"russia", "iran", "hezbollah", "iraqi_militias", "turkey", "usa", "israel"}


def test_default_scenario_start_matches_the_report() -> None:
    world, state = load_scenario(DEFAULT)
    assert world.meta.start_date == "2024-12-07"
    assert world.meta.turn_days == 1 and world.meta.turns == 12
    for place, holders in REPORT_START.items():
        owner = world.factions[int(state.controller[world.board.index[place]])].id
        assert owner in holders, f"{place} is held by {owner} at turn 1, expected one of {sorted(holders)}"


def test_default_scenario_has_the_ids_tools_rely_on() -> None:
    world, _ = load_scenario(DEFAULT)
    assert {f.id for f in world.factions} == SIDES | set(COMMANDED)
    assert {p.id for p in world.patrons} == PATRONS
    assert {f.id: f.commander for f in world.factions if f.commander} == COMMANDED
    assert set(world.sides) == SIDES | PATRONS  # commanded forces are not sides of their own
    assert len(world.board.places) >= 45 and len(world.board.routes) >= 70
    for pid in ("homs", "damascus", "aleppo", "hama", "latakia", "tartus", "deir_ez_zor", "daraa", "suwayda",
                "quneitra", "palmyra", "abu_kamal", "qusayr", "rastan", "talbiseh", "idlib", "raqqa", "hmeimim",
                "nabk", "qutayfah", "douma"):
        assert pid in world.board.index, pid
    assert len(world.injects) >= 8
    assert {v.faction for v in world.victory} >= {"government", "hts", "southern"}


# How the factions stood on 7 December 2024 (seeds: gen-hts-southern-relation, gen-hts-sdf-relation,
# gen-tel-rifaat-manbij, gen-hts-sna-relation, gen-is-hostile, gen-us-strikes, gen-israel-syria-war-state ...).
RELATIONS_ON_7_DECEMBER = [
    ("hts", "southern", Relation.NEUTRAL),
    ("hts", "sdf", Relation.NEUTRAL),
    ("hts", "suwayda", Relation.NEUTRAL),
    ("hts", "sna", Relation.ALLIED),
    ("sna", "sdf", Relation.HOSTILE),
    ("government", "hts", Relation.HOSTILE),
    ("government", "sdf", Relation.HOSTILE),
    ("government", "russia_forces", Relation.ALLIED),
    ("government", "hezbollah_forces", Relation.ALLIED),
    ("government", "usa_forces", Relation.NEUTRAL),
    ("government", "israel_forces", Relation.NEUTRAL),  # until the 1974 agreement is declared void (8 Dec)
    ("russia_forces", "hts", Relation.HOSTILE),
    ("usa_forces", "sdf", Relation.ALLIED),
    ("usa_forces", "sfa", Relation.ALLIED),
    ("israel_forces", "hts", Relation.NEUTRAL),
    ("israel_forces", "southern", Relation.NEUTRAL),
    ("southern", "suwayda", Relation.NEUTRAL),
]


def test_default_scenario_relations_on_7_december() -> None:
    world, state = load_scenario(DEFAULT)
    fi = world.faction_index
    for a, b, rel in RELATIONS_ON_7_DECEMBER:
        assert state.relations[fi[a], fi[b]] == rel == state.relations[fi[b], fi[a]], (a, b)
    isis = fi["islamic_state"]
    for f in world.factions:
        if f.id != "islamic_state":
            assert state.relations[isis, fi[f.id]] == Relation.HOSTILE, f.id


def test_default_scenario_theatres_keep_forces_in_place() -> None:
    world, _ = load_scenario(DEFAULT)
    theatre = {f.id: set(f.theatre) for f in world.factions}
    assert {"manbij", "tel_rifaat", "azaz", "jarabulus"} <= theatre["sna"]
    assert not theatre["sna"] & {"aleppo", "homs", "damascus", "raqqa", "hasakah"}
    assert {"hmeimim", "tartus_naval"} <= theatre["russia_forces"]
    assert {"golan", "buffer_zone", "mount_hermon"} == theatre["israel_forces"]
    assert {"tanf", "conoco_field", "al_omar_field"} <= theatre["usa_forces"]
    assert "qusayr" in theatre["hezbollah_forces"]
    assert "damascus" not in theatre["islamic_state"] and "jabal_bishri" in theatre["islamic_state"]


def test_default_scenario_patron_actions_and_targets() -> None:
    world, _ = load_scenario(DEFAULT)
    pat = {p.id: p for p in world.patrons}
    assert set(pat["russia"].actions) == {"air_strike", "close_air", "interdict", "reinforce", "supply", "airlift",
                                          "evacuate", "negotiate"}
    assert pat["russia"].strikes == ("hts",)
    assert set(pat["iran"].actions) == {"reinforce", "supply", "airlift"}
    assert set(pat["hezbollah"].actions) == {"reinforce", "supply", "evacuate"}
    assert set(pat["iraqi_militias"].actions) == {"reinforce"}
    assert "air_strike" in pat["turkey"].actions and pat["turkey"].strikes == ("sdf",)
    assert {"al_bab", "jarabulus"} <= set(pat["turkey"].reinforce_at)
    assert pat["usa"].strikes == ("islamic_state",)
    zone = set(pat["usa"].strike_zone)
    assert {"tanf", "hasakah", "palmyra", "jabal_bishri"} <= zone
    assert not zone & {"damascus", "hmeimim", "homs", "latakia"}
    assert pat["israel"].kind == "interdictor" and set(pat["israel"].interdicts) == {"iran", "hezbollah",
                                                                                     "iraqi_militias"}
    assert pat["israel"].actions == ("depot_strike",) and pat["israel"].strikes == ("government",)


def test_default_scenario_depots_are_government_held() -> None:
    world, state = load_scenario(DEFAULT)
    depots = [i for i, p in enumerate(world.board.places) if p.depot]
    assert len(depots) >= 5
    gov = world.faction_index["government"]
    assert all(int(state.controller[i]) == gov for i in depots)


def test_default_scenario_events_change_support_by_deltas_only() -> None:
    world, _ = load_scenario(DEFAULT)
    for inject in world.injects:
        for effect in inject.effects:
            if isinstance(effect, (SetSupport, SetCapacity)):
                assert effect.value is None and effect.delta is not None, inject.id


def test_president_leaving_is_a_shock_with_causes() -> None:
    world, _ = load_scenario(DEFAULT)
    inject = next(i for i in world.injects if i.id == "ev_president_leaves")
    assert inject.chance < 1.0 and inject.when and all(isinstance(c, FlagSet) for c in inject.when)
    assert any(isinstance(e, ChangeCohesion) and e.faction == "government" and e.delta < 0 for e in inject.effects)
    flag = inject.when[0].flag
    setters = [i.id for i in world.injects
               if any(isinstance(e, SetFlag) and e.flag == flag and e.value for e in i.effects)]
    assert "ev_homs_falls" in setters and len(setters) >= 3  # Homs lost, or the capital threatened


def test_every_side_has_benchmarks_it_can_beat() -> None:
    world, _ = load_scenario(DEFAULT)
    by_side: dict[str, list] = {}
    for b in world.benchmarks:
        by_side.setdefault(b.side, []).append(b)
        assert 0.0 <= b.history <= 1.0 and b.description and b.sources, b.id
    assert set(by_side) == SIDES | PATRONS
    for side, marks in by_side.items():
        assert 2 <= len(marks) <= 5, side
        assert any(b.history < 1.0 for b in marks), side
