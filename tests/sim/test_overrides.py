"""--set / --sweep on raw scenario data."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.sim.overrides import OverrideError, apply_overrides, parse_assignment, parse_sweep

DATA = {
    "meta": {"turns": 6},
    "rules": {"combat_k": 4.0},
    "patrons": [{"id": "russia", "support": {"air": 0.4, "ground": 0.0}}, {"id": "iran", "support": {"air": 0.0}}],
    "map": {"places": [{"id": "homs", "value": 12}]},
    "teams": [["a", "b"]],
}


def test_records_are_addressed_by_id() -> None:
    out = apply_overrides(DATA, [parse_assignment("patrons.russia.support.air=0.9")])
    assert out["patrons"][0]["support"]["air"] == 0.9
    assert DATA["patrons"][0]["support"]["air"] == 0.4  # the input is not changed


def test_mapping_form_works_with_the_same_path() -> None:
    data = {"patrons": {"russia": {"support": {"air": 0.4}}}}
    assert apply_overrides(data, [parse_assignment("patrons.russia.support.air=1")])["patrons"]["russia"][
        "support"]["air"] == 1


def test_new_keys_below_the_top_level_are_added() -> None:
    out = apply_overrides(DATA, [parse_assignment("rules.terrain_defence.urban=1.3"),
                                 parse_assignment("rules.fort_bonus=0.1")])
    assert out["rules"]["terrain_defence"] == {"urban": 1.3}
    assert out["rules"]["fort_bonus"] == 0.1


def test_values_are_yaml_scalars() -> None:
    assert parse_assignment("a.b=true") == ("a.b", True)
    assert parse_assignment("a.b=[x, y]") == ("a.b", ["x", "y"])
    assert parse_assignment("a.b=word") == ("a.b", "word")


@pytest.mark.parametrize(("text", "message"), [
    ("patrons.rusia.support.air=1", "unknown id 'rusia' in patrons (did you mean 'russia'?)"),
    ("metta.turns=3", "unknown key 'metta' in the scenario (did you mean 'meta'?)"),
    ("patrons.russia.support.air=high", "expected a number"),
    ("meta.turns", "expected PATH=VALUE"),
    ("meta.turns=", "missing value"),
    ("map.places.homs.value.x=1", "is a single value"),
    ("teams.5=1", "index 5 out of range"),
])
def test_errors_are_clear(text: str, message: str) -> None:
    with pytest.raises(OverrideError) as info:
        apply_overrides(DATA, [parse_assignment(text)])
    assert message in str(info.value)


def test_sweep() -> None:
    assert parse_sweep("patrons.russia.support.air=0,0.5,1") == ("patrons.russia.support.air", [0, 0.5, 1])
    with pytest.raises(OverrideError, match="expected PATH=V1,V2"):
        parse_sweep("patrons.russia.support.air")


def test_a_swept_value_an_event_overwrites_is_reported() -> None:
    from game.sim.overrides import overwritten_by_events

    data = {"events": [
        {"id": "ev_set", "when": [{"turn": 1}], "effects": [{"set_support": {"patron": "russia", "channel": "air",
                                                                            "value": 0.4}}]},
        {"id": "ev_delta", "effects": [{"set_support": {"patron": "russia", "channel": "ground", "delta": 0.1}}]},
        {"id": "ev_cap", "effects": [{"set_capacity": {"patron": "iran", "value": 2}}]},
    ]}
    notes = overwritten_by_events(data, ["patrons.russia.support.air", "patrons.russia.support.ground",
                                         "patrons.iran.capacity"])
    assert len(notes) == 2
    assert "ev_set" in notes[0] and "patrons.russia.support.air" in notes[0] and "turn: 1" in notes[0]
    assert "ev_cap" in notes[1] and "patrons.iran.capacity" in notes[1]
    assert overwritten_by_events(data, ["patrons.russia.support.supply"]) == []


def test_simulate_prints_the_note_before_the_batch(capsys: pytest.CaptureFixture[str]) -> None:
    from game.sim.batch_cli import simulate_main

    tiny = str(Path(__file__).resolve().parent.parent / "data" / "good" / "tiny.yaml")
    assert simulate_main([tiny, "--runs", "2", "--turns", "1", "--workers", "1",
                          "--set", "patrons.hezbollah.support.ground=0.9"]) == 0
    err = capsys.readouterr().err
    assert "note: event 'hezbollah_pulls_back' sets patrons.hezbollah.support.ground to 0.1" in err
    simulate_main([tiny, "--runs", "2", "--turns", "1", "--workers", "1", "--set", "patrons.hezbollah.support.air=0.9"])
    assert "note:" not in capsys.readouterr().err
