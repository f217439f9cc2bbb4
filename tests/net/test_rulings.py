"""The umpire's rulings over the network: every kind posted from the console lands in the session's log as
`run --umpire` writes it (the same records, the same matrix dice from the game's seed), replays to the same
hash and shows in the report; only the umpire's token may post one; a bad one changes nothing; a team sees
only the rulings told to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from game.engine import state_hash
from game.engine.umpire import matrix_dice
from game.report.aar import write_report
from game.sim.playback import play_back
from game.sim.runner import replay
from game.sim.umpiring import read_plan, ruling_of
from tests.net.hosting import CODE, Session, joined_session, resumed

MATRIX: dict[str, Any] = {
    "team": "reds", "action": "Persuade the d garrison to stand aside", "arguments": ["Red has paid them for years"],
    "counter_arguments": ["Blue's officers are loyal"], "modifiers": [{"reason": "long ties", "value": 2}],
    "needed": 7, "outcome": "The d garrison stands aside.", "effects": [{"@type": "SetController", "place": "d",
                                                                         "faction": "red"}],
    "reason": "Good ties, loyal officers: +2", "audience": ["all"]}
OVERRIDES: dict[str, dict[str, Any]] = {
    "controller": {"change": {"@type": "SetController", "place": "d", "faction": "red"},
                   "reason": "The d garrison went over to Red.", "audience": ["all"]},
    "support": {"change": {"@type": "SetSupport", "patron": "pat", "channel": "air", "value": 0.3},
                "reason": "A storm grounds the patron's jets.", "audience": ["reds"]},
    "rule": {"change": {"@type": "SetRule", "name": "loss_cap", "value": 0.1},
             "reason": "Winter: battles cost less.", "audience": ["all"]},
}


@pytest.fixture
def s(tmp_path: Path) -> Session:
    return joined_session(tmp_path)


def play_turn(s: Session, attacks: tuple[tuple[str, str], ...] = ()) -> None:
    """Open a turn, let reds attack (unit, place) and get ready, and end it."""
    s.post("/api/umpire/open", "umpire", {"limit_s": None})
    for unit, place in attacks:
        options = s.get("/api/state", "reds").json()["options"][unit]
        key = next(o["key"] for o in options if o["kind"] == "Attack" and o["target"] == place)
        assert s.post("/api/team/plan", "reds", {"key": key}).status_code == 200
    s.post("/api/team/ready", "reds", {"ready": True})
    assert s.post("/api/umpire/end", "umpire").status_code == 200


def umpire_records(s: Session) -> list[dict[str, Any]]:
    return [r for r in s.game.records if r["type"] in ("override", "matrix")]


def combat_body(s: Session) -> dict[str, Any]:
    """A changed result for the first battle the console lists."""
    umpire = s.get("/api/state", "umpire").json()
    battle = umpire["battles"][0]
    result = next(r for r in umpire["results"] if r != battle["result"])
    return {"change": {"@type": "CombatResult", "place": battle["place"], "result": result},
            "reason": f"The garrison at {battle['place']} had already left.", "audience": ["all"]}


@pytest.mark.parametrize("kind", [*OVERRIDES, "combat_result", "matrix"])
def test_each_kind_of_ruling_is_logged_replays_to_the_same_hash_and_is_reported(s: Session, kind: str,
                                                                                tmp_path: Path) -> None:
    play_turn(s, (("r1", "b"), ("r2", "c")))
    path, body = ("/api/umpire/matrix", MATRIX) if kind == "matrix" else (
        "/api/umpire/override", combat_body(s) if kind == "combat_result" else OVERRIDES[kind])
    before = state_hash(s.game.state)
    r = s.post(path, "umpire", body)
    assert r.status_code == 200, r.text
    assert state_hash(s.game.state) != before or kind == "matrix"  # a failed matrix roll changes nothing
    play_turn(s)
    (rec,) = umpire_records(s)
    assert rec["reason"] == body["reason"] and rec["audience"] == body["audience"]
    if kind == "matrix":
        assert rec["type"] == "matrix" and rec["turn"] == 2 and rec["roll"] == list(matrix_dice(s.game.seed, 2, 1))
        assert rec["arguments"] == MATRIX["arguments"] and rec["counter_arguments"] == MATRIX["counter_arguments"]
        assert rec["modifiers"] == MATRIX["modifiers"] and rec["success"] == (sum(rec["roll"]) + 2 >= 7)
    else:
        assert rec["type"] == "override" and rec["what"] == kind
        assert {k: v for k, v in rec["change"].items() if v is not None} == body["change"]
        assert rec["turn"] == (1 if kind == "combat_result" else 2)
    derived = ("what", "target", "before", "after", "roll", "success", "hash")
    plan = tmp_path / "plan.json"  # the record is a `run --umpire` plan item plus what the ruling gave
    plan.write_text(json.dumps([{k: v for k, v in rec.items() if k not in derived}]), encoding="utf-8")
    assert read_plan(plan) == {rec["turn"]: [ruling_of({**body, "type": rec["type"]}, "posted", turn=False)]}
    log = s.folder / "game.jsonl"
    final, _ = replay(str(log))
    assert state_hash(final) == state_hash(s.game.state)
    assert play_back(log).umpire == [rec]
    report = write_report(log, tmp_path / "r.md", fmt="md").read_text(encoding="utf-8")
    assert body["reason"] in report
    again = resumed(s)  # the autosave plays the ruling again too
    assert state_hash(again.game.state) == state_hash(s.game.state)


def test_matrix_dice_follow_the_game_seed_across_a_restart(s: Session) -> None:
    assert s.post("/api/umpire/matrix", "umpire", MATRIX | {"effects": []}).status_code == 200
    again = resumed(s)
    again.join("umpire")
    r = again.post("/api/umpire/matrix", "umpire", MATRIX | {"effects": [], "action": "Bribe a checkpoint"})
    assert r.status_code == 200, r.text
    rolls = [r["roll"] for r in umpire_records(again)]
    assert rolls == [list(matrix_dice(s.game.seed, 1, 1)), list(matrix_dice(s.game.seed, 1, 2))]
    rulings = r.json()["rulings"]
    assert [x["title"] for x in rulings] == ["Matrix action by " + again.game.seat("reds").name + ": "
                                             + a for a in (MATRIX["action"], "Bribe a checkpoint")]


def test_only_the_umpires_token_may_post_a_ruling(s: Session) -> None:
    projector = s.client.post("/api/projector", json={"code": CODE}).json()["token"]
    for path, body in (("/api/umpire/override", OVERRIDES["controller"]), ("/api/umpire/matrix", MATRIX)):
        assert s.post(path, "reds", body).status_code == 403
        assert s.post(path, "blues", body).status_code == 403
        assert s.client.post(path, json=body, headers={"Authorization": f"Bearer {projector}"}).status_code == 403
        assert s.client.post(path, json=body).status_code == 401
    assert umpire_records(s) == [] and s.game.state.turn == 1


BAD: list[tuple[str, str, Any, int, str]] = [
    ("unknown place", "override", {"change": {"@type": "SetController", "place": "homz", "faction": "red"}}, 409,
     "unknown place 'homz'"),
    ("unknown faction", "override", {"change": {"@type": "SetController", "place": "c", "faction": "green"}}, 409,
     "unknown faction 'green'"),
    ("support above 1", "override", {"change": {"@type": "SetSupport", "patron": "pat", "channel": "air",
                                                "value": 1.5}}, 409, "from 0 to 1"),
    ("unknown patron", "override", {"change": {"@type": "SetSupport", "patron": "pet", "channel": "air",
                                               "value": 0.5}}, 409, "unknown patron 'pet'"),
    ("unknown channel", "override", {"change": {"@type": "SetSupport", "patron": "pat", "channel": "sea",
                                                "value": 0.5}}, 400, "channel"),
    ("unknown rule", "override", {"change": {"@type": "SetRule", "name": "loss_capp", "value": 0.1}}, 409,
     "unknown rule 'loss_capp'"),
    ("rule out of range", "override", {"change": {"@type": "SetRule", "name": "loss_cap", "value": 50.0}}, 409,
     "rule 'loss_cap' must be from"),
    ("no reason", "override", {"change": {"@type": "SetController", "place": "c", "faction": "red"},
                               "reason": "  "}, 409, "needs the umpire's reason"),
    ("unknown audience", "override", {"change": {"@type": "SetController", "place": "c", "faction": "red"},
                                      "audience": ["greens"]}, 409, "unknown team or side 'greens'"),
    ("no battle yet", "override", {"change": {"@type": "CombatResult", "place": "c", "result": "rout"}}, 409,
     "no turn has been resolved yet"),
    ("unknown kind", "override", {"change": {"@type": "DeleteEverything"}}, 400, "override"),
    ("a field of the log", "override", {"change": {"@type": "SetFlag", "flag": "x"}, "turn": 1}, 400,
     "unknown field 'turn'"),
    ("modifier too big", "matrix", {"modifiers": [{"reason": "very good", "value": 9}]}, 409, "from -6 to +6"),
    ("no arguments", "matrix", {"arguments": []}, 409, "at least one argument"),
    ("unknown team", "matrix", {"team": "greens"}, 409, "unknown team or side 'greens'"),
    ("effect out of range", "matrix", {"effects": [{"@type": "SetSupport", "patron": "pat", "channel": "air",
                                                    "value": -1}]}, 409, "from 0 to 1"),
    ("needed out of range", "matrix", {"needed": 13}, 409, "from 2 to 12"),
    ("modifier not whole", "matrix", {"modifiers": [{"reason": "half", "value": 0.5}]}, 400, "modifiers"),
]


@pytest.mark.parametrize(("name", "kind", "change", "status", "words"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_ruling_says_what_is_wrong_and_changes_nothing(s: Session, name: str, kind: str, change: Any,
                                                             status: int, words: str) -> None:
    base = MATRIX if kind == "matrix" else {"reason": "for the record", "audience": ["all"]}
    log = (s.folder / "game.jsonl").read_bytes()
    before, revision = state_hash(s.game.state), s.game.revision
    r = s.post(f"/api/umpire/{kind}", "umpire", base | change)
    assert r.status_code == status and words in r.json()["error"], r.text
    assert state_hash(s.game.state) == before and s.game.revision == revision and umpire_records(s) == []
    assert (s.folder / "game.jsonl").read_bytes() == log


@pytest.mark.parametrize("raw", ['{"change": {"@type": "SetSupport", "patron": "pat", "channel": "air", '
                                 '"value": NaN}, "reason": "r"}',
                                 '{"change": {"@type": "SetRule", "name": "loss_cap", "value": Infinity}, '
                                 '"reason": "r"}',
                                 '["not", "an", "object"]', "{not json"])
def test_numbers_that_are_not_finite_and_broken_bodies_are_refused(s: Session, raw: str) -> None:
    before = state_hash(s.game.state)
    r = s.client.post("/api/umpire/override", content=raw, headers=s.auth("umpire") | {"Content-Type":
                                                                                        "application/json"})
    assert r.status_code == 400 and r.json()["error"]
    assert state_hash(s.game.state) == before and umpire_records(s) == []


def test_a_team_sees_only_the_rulings_told_to_it(s: Session, tmp_path: Path) -> None:
    secret = OVERRIDES["support"] | {"reason": "Storm over the patron's airfields, told to Red only.",
                                     "audience": ["reds"]}
    public = OVERRIDES["controller"]
    quiet = MATRIX | {"team": "blues", "action": "A quiet bargain with the d elders", "audience": ["blues"],
                      "reason": "Blue's quiet bargain, told to Blue only.", "effects": []}
    loud = MATRIX | {"action": "Broadcast an appeal to the d garrison", "effects": []}  # told to all
    for path, body in (("override", secret), ("override", public), ("matrix", quiet), ("matrix", loud)):
        assert s.post(f"/api/umpire/{path}", "umpire", body).status_code == 200
    told = {team: json.dumps(s.get("/api/state", team).json()) for team in ("reds", "blues")}
    projector = s.client.post("/api/projector", json={"code": CODE}).json()["token"]
    told["projector"] = s.client.get("/api/state", headers={"Authorization": f"Bearer {projector}"}).text
    assert secret["reason"] in told["reds"] and secret["reason"] not in told["blues"] + told["projector"]
    assert quiet["action"] in told["blues"] and quiet["action"] not in told["reds"] + told["projector"]
    assert all(public["reason"] in text and loud["action"] in text for text in told.values())
    play_turn(s)
    log = s.folder / "game.jsonl"
    for team, hears, deaf in (("reds", secret, quiet), ("blues", quiet, secret)):
        text = write_report(log, tmp_path / f"{team}.md", fmt="md", team=team).read_text(encoding="utf-8")
        assert hears["reason"] in text and deaf["reason"] not in text and public["reason"] in text
        assert (quiet["action"] in text) == (team == "blues")


def told_to(s: Session, team: str) -> list[str]:
    return list(s.get("/api/state", team).json()["told"])


def test_a_live_inject_is_told_once_and_recorded_as_the_umpires(s: Session) -> None:
    """Not 'The umpire ruled (new_inject now …): Scripted event' beside the inject: one line, and a record
    whose reason is the umpire's own, or says that the umpire wrote it live."""
    body = {"title": "Ceasefire call", "message": "The UN calls for a ceasefire.", "reason": "", "audience": ["reds"]}
    assert s.post("/api/umpire/new_inject", "umpire", body).status_code == 200
    lines = [t for t in told_to(s, "reds") if "Ceasefire call" in t]
    assert lines == ["From the umpire: Ceasefire call: The UN calls for a ceasefire."]
    assert not any("umpire ruled" in t for t in told_to(s, "reds"))
    assert umpire_records(s)[-1]["reason"] == "Live inject written by the umpire during play (no other reason given)"
    body |= {"title": "Second call", "reason": "To test Red's resolve"}
    assert s.post("/api/umpire/new_inject", "umpire", body).status_code == 200
    assert umpire_records(s)[-1]["reason"] == "To test Red's resolve"
    on_record = s.get("/api/state", "umpire").json()["rulings"][-1]
    assert on_record["title"] == "Umpire override: live inject"
    assert ["Reason", "To test Red's resolve"] in on_record["rows"]


def test_a_scripted_inject_fired_by_the_umpire_is_one_line_and_marked_fired(s: Session) -> None:
    def talks() -> dict[str, Any]:
        return next(i for i in s.get("/api/state", "umpire").json()["injects"] if i["id"] == "talks")

    assert talks()["fired"] is False
    assert s.post("/api/umpire/inject", "umpire", {"inject": "talks", "audience": ["all"]}).status_code == 200
    assert [t for t in told_to(s, "blues") if "Talks" in t] == ["Fired by the umpire: Talks: Talks open in Geneva."]
    assert umpire_records(s)[-1]["reason"] == "Fired by the umpire during play (no other reason given)"
    assert talks()["fired"] is True and talks()["once"] is True  # the console marks it, with no "fire now"
    assert s.post("/api/umpire/inject", "umpire", {"inject": "talks"}).status_code == 409


def test_rulings_read_with_names_and_without_empty_fields(s: Session, tmp_path: Path) -> None:
    """'controller of D now Red', 'Matrix action by Red and its patron'; no 'controller d now red', no 'None'."""
    assert s.post("/api/umpire/override", "umpire", OVERRIDES["controller"]).status_code == 200
    boost = {"@type": "SetSupport", "patron": "pat", "channel": "air", "value": 0.8}
    assert s.post("/api/umpire/matrix", "umpire", MATRIX | {"effects": [boost], "modifiers": [
        {"reason": "long ties", "value": 6}]}).status_code == 200
    told = told_to(s, "blues")
    assert f"The umpire ruled: controller of D now Red. Reason: {OVERRIDES['controller']['reason']}" in told
    assert any(t.startswith("Matrix action by Red and its patron: ") for t in told)
    rows = [r for ruling in s.get("/api/state", "umpire").json()["rulings"] for r in ruling["rows"]]
    assert ["After", "Red"] in rows and ["Before", "Blue"] in rows
    assert ["Effects on success", "set support: patron Patron, channel air, value 0.8"] in rows
    play_turn(s)
    text = write_report(s.folder / "game.jsonl", tmp_path / "r.md", fmt="md").read_text(encoding="utf-8")
    assert "value 0.8" in text and "None" not in text and "Matrix action by Red and its patron" in text
