"""The umpire's rulings in order logs: `run` writes each override and matrix action with its turn and
reason, `replay` and playback apply them again to the same hashes, a damaged record is an error naming
its line, and `run --umpire PLAN` takes the rulings from a file."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.cli import main
from game.engine import Channel, state_hash
from game.engine import events as ev
from game.engine.rulings import CombatResult, MatrixAction, Modifier, Override, Refused
from game.engine.specs import SetController, SetFlag, SetSupport
from game.sim.log import LogError
from game.sim.playback import play_back
from game.sim.runner import Plan, replay, run_game
from tests.boards import umpire_bot, umpire_state
from tests.engine.test_umpire import KINDS, SEED

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "good" / "tiny.yaml"
TURNS = 3

MATRIX = MatrixAction("reds", "Persuade the c garrison to stand aside", ("Red has paid them for years",),
                      "Good ties, loyal officers", counter_arguments=("Blue's officers are loyal",),
                      modifiers=(Modifier("long ties", 2),), needed=7, outcome="c stands aside.",
                      effects=(SetController("d", "red"),))
PLAN: Plan = {
    1: [Override(SetSupport("pat", Channel.AIR, value=0.3), "The patron's jets are grounded by a storm.", ("all",)),
        MATRIX,
        Override(CombatResult("c", "rout"), "Blue's garrison at c had already left.", ("blues", "reds"))],
    2: [Override(SetFlag("truce"), "A local truce, told to Blue only.", ("blues",))],
}
"""Every kind of record: an override before a turn, a matrix action, a changed combat result straight after
turn 1, and an override between turns 1 and 2."""


def umpired(path: Path, plan: Plan = PLAN) -> str:
    """Play the umpire board for three turns with `plan`, logging to `path`; the final hash."""
    return state_hash(run_game(umpire_state(), TURNS, SEED, log=path, bot=umpire_bot, umpire=plan).final)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], str]:
    path = tmp_path_factory.mktemp("umpired") / "game.jsonl"
    final = umpired(path)
    return path.read_text(encoding="utf-8").splitlines(), final


@pytest.mark.parametrize("kind", [*KINDS, "combat result"])
def test_each_kind_of_override_is_logged_and_replays_to_the_same_hash(kind: str, tmp_path: Path) -> None:
    if kind == "combat result":
        override, turn = Override(CombatResult("c", "rout"), "the garrison had gone"), 1
    else:
        override, turn = Override(KINDS[kind][0], f"umpire's reason for {kind}", ("reds",)), 2
    log = tmp_path / "game.jsonl"
    final = umpired(log, {turn: [override]})
    assert final != umpired(tmp_path / "plain.jsonl", {})  # the override changed the game
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    ours = [r for r in records if r["type"] == "override"]
    assert len(ours) == 1 and ours[0]["turn"] == turn and ours[0]["reason"] == override.reason
    state, _ = replay(log)
    assert state_hash(state) == final == records[-1]["hash"]
    game = play_back(log)
    assert state_hash(game.final) == final and game.umpire == ours


def test_the_whole_argument_of_a_matrix_action_is_logged(good: tuple[list[str], str]) -> None:
    lines, _ = good
    rec = next(json.loads(line) for line in lines if '"type":"matrix"' in line)
    assert rec["team"] == "reds" and rec["turn"] == 1 and rec["action"] == MATRIX.action
    assert rec["arguments"] == list(MATRIX.arguments) and rec["counter_arguments"] == list(MATRIX.counter_arguments)
    assert rec["modifiers"] == [{"reason": "long ties", "value": 2}] and rec["needed"] == 7
    assert rec["reason"] == MATRIX.reason and len(rec["roll"]) == 2
    assert rec["success"] == (sum(rec["roll"]) + 2 >= 7)
    assert rec["effects"] == [{"@type": "SetController", "place": "d", "faction": "red"}]


def test_the_log_of_an_umpired_game_replays_and_plays_back_turn_by_turn(good: tuple[list[str], str],
                                                                        tmp_path: Path) -> None:
    lines, final = good
    log = tmp_path / "game.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [json.loads(line)["type"] for line in lines] == ["header", "override", "matrix", "turn", "override",
                                                            "override", "turn", "turn", "end"]
    assert state_hash(replay(log)[0]) == final
    game = play_back(log)
    first, second = game.turns[0], game.turns[1]
    opening = ["UmpireOverride", "MatrixResolved", "PlaceControlSet"]  # the action succeeded: d went to red
    assert [type(e).__name__ for e in first.opening] == opening
    assert isinstance(first.events[0], ev.UmpireOverride) and first.events[0].what == "combat_result"
    assert {e.place: e.result for e in first.events if isinstance(e, ev.Combat)}["c"] == "rout"
    assert "truce" in second.before.flags and "truce" not in first.after.flags
    state, events = game.state_at(2)
    assert state is second.before and [type(e).__name__ for e in events][-1] == "UmpireOverride"
    assert [r["type"] for r in game.umpire] == ["override", "matrix", "override", "override"]
    upto = play_back(log, upto=2)
    assert state_hash(upto.final) == state_hash(second.before)


def test_a_team_views_only_the_rulings_told_to_it(good: tuple[list[str], str], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "game.jsonl"
    log.write_text("\n".join(good[0]) + "\n", encoding="utf-8")
    heard = {}
    for team in ("blues", "reds"):
        assert main(["view", str(log), "--team", team, "--turn", "2", "--json"]) == 0
        events = json.loads(capsys.readouterr().out)["events"]
        heard[team] = [e["data"].get("reason") for e in events if e["kind"] in ("UmpireOverride", "MatrixResolved")]
    assert heard["blues"] == ["Blue's garrison at c had already left.", "A local truce, told to Blue only."]
    assert heard["reds"] == ["Blue's garrison at c had already left."]


def test_a_report_of_an_umpired_game_lists_every_ruling(good: tuple[list[str], str], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("game.report.aar.map_png", lambda *a, **k: b"\x89PNG\r\n\x1a\n")
    monkeypatch.setattr("game.report.aar.charts", lambda views: {})
    log = tmp_path / "game.jsonl"
    log.write_text("\n".join(good[0]) + "\n", encoding="utf-8")
    assert main(["report", str(log), "-o", str(tmp_path / "r.md"), "--format", "md"]) == 0
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    for reason in ("The patron's jets are grounded", "Good ties, loyal officers", "had already left", "local truce"):
        assert reason in text
    assert "Umpire override: combat result (C)" in text and "Before: repulsed" in text and "After: rout" in text
    assert main(["report", str(log), "-o", str(tmp_path / "reds.md"), "--format", "md", "--team", "reds"]) == 0
    reds = (tmp_path / "reds.md").read_text(encoding="utf-8")
    assert "had already left" in reds and "local truce" not in reds


def test_a_place_the_umpire_gives_away_changes_hands_in_run_replay_view_and_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """An override of a place's controller counts as a change of hands like a capture: in `run`'s line of
    the turn it opens, in the turn's events, in every team's view (told the ruling or not) and in the
    report's key events."""
    plan: Plan = {2: [Override(SetController("d", "red"), "The d garrison went over to Red.", ("reds",))]}
    lines: list[str] = []
    log = tmp_path / "game.jsonl"
    result = run_game(umpire_state(), TURNS, SEED, log=log, bot=umpire_bot, umpire=plan, echo=lines.append)
    assert lines[1] == "Umpire, turn 2: controller d: blue → red (The d garrison went over to Red.)"
    # the turn's line counts it (and Blue's d1, still at d, takes the place back in the turn)
    assert lines[2].startswith("Turn  2 2024-12-08: D → red (by an event), D → blue; ")
    given = [e for e in result.events[1] if isinstance(e, ev.CONTROL_CHANGES)]
    assert given == [ev.PlaceControlSet("d", "red", "blue"), ev.PlaceCaptured("d", "blue", "red", 1.0)]
    assert state_hash(replay(log)[0]) == state_hash(result.final)
    assert [type(e).__name__ for e in play_back(log).turns[1].opening] == ["UmpireOverride", "PlaceControlSet"]
    for team, heard in (("reds", ["UmpireOverride", "PlaceControlSet"]), ("blues", ["PlaceControlSet"])):
        assert main(["view", str(log), "--team", team, "--turn", "2", "--json"]) == 0
        events = json.loads(capsys.readouterr().out)["events"]
        assert [e["kind"] for e in events if e["kind"] == "UmpireOverride" or e["data"].get("place") == "d"] == heard
    monkeypatch.setattr("game.report.aar.map_png", lambda *a, **k: b"\x89PNG\r\n\x1a\n")
    monkeypatch.setattr("game.report.aar.charts", lambda views: {})
    assert main(["report", str(log), "-o", str(tmp_path / "blues.md"), "--format", "md", "--team", "blues"]) == 0
    text = (tmp_path / "blues.md").read_text(encoding="utf-8")
    assert "D passed from Blue to Red by an event." in text and "went over to Red" not in text


Edit = Callable[[list[dict[str, Any]]], None]


def at(kind: str, n: int = 0) -> Callable[[list[dict[str, Any]]], dict[str, Any]]:
    """The n-th record of a kind ("override", "matrix"; "combat": the changed combat result)."""
    def find(recs: list[dict[str, Any]]) -> dict[str, Any]:
        if kind == "combat":
            return next(r for r in recs if r.get("what") == "combat_result")
        return [r for r in recs if r["type"] == kind][n]
    return find


def setting(find: Callable[[list[dict[str, Any]]], dict[str, Any]], *path: str, value: Any = None,
            delete: bool = False) -> Edit:
    def edit(recs: list[dict[str, Any]]) -> None:
        target = find(recs)
        for key in path[:-1]:
            target = target[key]
        if delete:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return edit


def swap(a: int, b: int) -> Edit:
    def edit(recs: list[dict[str, Any]]) -> None:
        recs[a - 1], recs[b - 1] = recs[b - 1], recs[a - 1]
    return edit


# name: (edit, the line the error names)
DAMAGE: dict[str, tuple[Edit, int]] = {
    "an override without a reason": (setting(at("override"), "reason", delete=True), 2),
    "an override with an empty reason": (setting(at("override"), "reason", value=""), 2),
    "an override without its change": (setting(at("override"), "change", delete=True), 2),
    "a change of an unknown type": (setting(at("override"), "change", "@type", value="Teleport"), 2),
    "a change with an unknown field": (setting(at("override"), "change", "speed", value=3), 2),
    "a support level of 7": (setting(at("override"), "change", "value", value=7), 2),
    "a change naming an unknown patron": (setting(at("override"), "change", "patron", value="ghost"), 2),
    "an override of another turn": (setting(at("override", 2), "turn", value=5), 6),
    "an override's words edited": (setting(at("override"), "after", value="air 1.00"), 2),
    "an override's hash of another game": (setting(at("override", 2), "hash", value="0" * 64), 6),
    "an override told to an unknown team": (setting(at("override"), "audience", value=["greens"]), 2),
    "an audience that is not a list": (setting(at("override"), "audience", value="all"), 2),
    "a combat result of a battle not fought": (setting(at("combat"), "change", "place", value="d"), 5),
    "a combat result of another turn": (setting(at("combat"), "turn", value=2), 5),
    "a combat result before its turn": (swap(4, 5), 4),
    "a combat result after another ruling": (swap(5, 6), 6),
    "a matrix roll edited": (setting(at("matrix"), "roll", value=[6, 6]), 3),
    "a matrix roll of three dice": (setting(at("matrix"), "roll", value=[1, 2, 3]), 3),
    "a matrix result flipped": (lambda recs: at("matrix")(recs).update(success=not at("matrix")(recs)["success"]), 3),
    "a matrix modifier of 9": (setting(at("matrix"), "modifiers", value=[{"reason": "x", "value": 9}]), 3),
    "a matrix action without arguments": (setting(at("matrix"), "arguments", value=[]), 3),
    "a matrix action of an unknown team": (setting(at("matrix"), "team", value="greens"), 3),
    "a ruling after the end": (lambda recs: recs.append(copy.deepcopy(at("override", 2)(recs))), 10),
}


@pytest.mark.parametrize("name", list(DAMAGE))
def test_a_damaged_umpire_record_is_an_error_naming_its_line(good: tuple[list[str], str], tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str], name: str) -> None:
    recs = [json.loads(line) for line in good[0]]
    edit, line = DAMAGE[name]
    edit(recs)
    path = tmp_path / "damaged.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    code = main(["replay", str(path)])
    out = capsys.readouterr()
    text = out.err + out.out
    assert code == 2 and text.startswith(f"error: {path}:{line}: ") and text.count("\n") == 1, text
    assert "Traceback" not in text and len(text) < 700
    if name not in ("an override's hash of another game", "a ruling after the end"):
        with pytest.raises(LogError, match=rf"^{path}:\d: "):
            play_back(path)  # the report and `view` read logs the same way (stopping at the first hash that differs)


def test_a_version_1_log_still_replays_and_a_newer_one_is_refused_clearly(tmp_path: Path) -> None:
    log = tmp_path / "old.jsonl"
    final = umpired(log, {})
    recs = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    recs[0]["version"] = 1
    log.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    assert state_hash(replay(log)[0]) == final
    recs[0]["version"] = 3
    log.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    with pytest.raises(LogError, match=r":1: log version 3; this program reads logs of versions 1, 2"):
        replay(log)


def test_a_refused_ruling_stops_a_run_and_names_its_turn(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    with pytest.raises(Refused, match=r"^the umpire's ruling for turn 2: override refused: unknown place 'x'"):
        umpired(log, {2: [Override(SetController("x", "red"), "a typo")]})
    with pytest.raises(LogError, match="interrupted run"):
        replay(log)


PLAN_FILE = [
    {"type": "override", "turn": 1, "change": {"@type": "SetSupport", "patron": "hezbollah", "channel": "ground",
                                               "value": 0.9}, "reason": "Reinforcements from Qusayr came early."},
    {"type": "matrix", "turn": 2, "team": "hts", "action": "Negotiate the surrender of Rastan",
     "arguments": ["The garrison is cut off"], "counter_arguments": ["Its officers are loyal"],
     "modifiers": [{"reason": "cut off", "value": 1}], "reason": "Plausible; the dice decide.",
     "effects": [{"@type": "SetFlag", "flag": "rastan_talks"}]},
    {"type": "override", "turn": 2, "change": {"@type": "NewInject", "title": "Ceasefire call",
                                               "message": "The UN calls for a ceasefire."},
     "reason": "Scripted news for the plenary.", "audience": ["all"]},
]


def test_run_with_an_umpire_plan_logs_the_rulings_and_replays(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    plan, log = tmp_path / "plan.json", tmp_path / "game.jsonl"
    plan.write_text(json.dumps(PLAN_FILE), encoding="utf-8")
    assert main(["run", str(TINY), "--turns", "4", "--seed", "1", "--log", str(log), "--umpire", str(plan)]) == 0
    out = capsys.readouterr().out
    assert ("Umpire, turn 1: support hezbollah: ground 0.30 → ground 0.90 (Reinforcements from Qusayr came "
            "early.)") in out
    assert "Umpire, turn 2: matrix action by hts: Negotiate the surrender of Rastan: rolled " in out
    ran = out.split("final state hash ")[1].split()[0]
    assert main(["replay", str(log)]) == 0
    assert capsys.readouterr().out.strip().endswith(ran)
    types = [json.loads(line)["type"] for line in log.read_text(encoding="utf-8").splitlines()]
    assert types.count("override") == 2 and types.count("matrix") == 1


@pytest.mark.parametrize(("plan", "message"), [
    ({"turn": 1}, "expected a list of rulings, got an object"),
    ([{"type": "verdict", "turn": 1}], "item 0: expected an object whose type is override or matrix"),
    ([{"type": "override", "turn": 1, "reason": "r"}], "item 0 (override): no 'change'"),
    ([PLAN_FILE[0], {**PLAN_FILE[1], "mood": "tense"}], "item 1 (matrix): unknown field 'mood'"),
    ([{**PLAN_FILE[0], "turn": "one"}], "item 0 (override): turn: expected a whole number, got text"),
    ([{**PLAN_FILE[0], "change": {"@type": "Teleport"}}], "item 0 (override): change: expected an object whose"),
])
def test_a_bad_umpire_plan_is_refused_before_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     plan: Any, message: str) -> None:
    path, log = tmp_path / "plan.json", tmp_path / "game.jsonl"
    path.write_text(json.dumps(plan), encoding="utf-8")
    assert main(["run", str(TINY), "--turns", "2", "--log", str(log), "--umpire", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --umpire {path}: ") and message in err and "Traceback" not in err
    assert not log.exists()


def test_a_ruling_refused_during_a_run_is_an_error_not_a_traceback(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path, log = tmp_path / "plan.json", tmp_path / "game.jsonl"
    path.write_text(json.dumps([PLAN_FILE[0], {**PLAN_FILE[0], "turn": 2, "change": {**PLAN_FILE[0]["change"],
                                                                                     "value": 1.5}}]),
                    encoding="utf-8")
    assert main(["run", str(TINY), "--turns", "3", "--seed", "1", "--log", str(log), "--umpire", str(path)]) == 2
    err = capsys.readouterr().err
    assert "the umpire's ruling for turn 2: override refused: a support level must be from 0 to 1, got 1.5" in err
    assert "marked as interrupted" in err and "Traceback" not in err


def test_the_plan_in_the_classroom_guide_reads_and_fits_the_default_scenario(tmp_path: Path) -> None:
    import re

    from game.engine.umpire_checks import matrix_problems, override_problems
    from game.scenario import load_scenario
    from game.sim.umpiring import read_plan

    guide = (ROOT / "docs" / "classroom.md").read_text(encoding="utf-8")
    example = re.findall(r"```json\n(\[.*?)```", guide, flags=re.S)
    assert len(example) == 1
    path = tmp_path / "plan.json"
    path.write_text(example[0], encoding="utf-8")
    plan = read_plan(path)
    _, start = load_scenario(ROOT / "scenarios" / "homs_junction.yaml")
    rulings = [r for turn in plan.values() for r in turn]
    assert {type(r).__name__ for r in rulings} == {"Override", "MatrixAction"}
    for r in rulings:
        assert (override_problems(start, r) if isinstance(r, Override) else matrix_problems(start, r)) == []
