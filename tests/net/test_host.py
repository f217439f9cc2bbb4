"""The hosted session over HTTP and WebSockets: the turn cycle (open, ready, end, time limit, unready
teams hold), pushes, drafts kept on the host (reloads, two browsers, reconnects), a restart from the
autosave, and the log, replay and report of a hosted game."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.engine import state_hash
from game.session.hosted import CLOSED, OPEN
from game.session.pins import check_pin
from game.session.seats import SessionError, make_seats
from game.sim.runner import replay
from tests.boards import fog_world, umpire_state
from tests.net.hosting import PINS, Session, host_session, joined_session, resumed


def attack_key(s: Session, team: str, unit: str, target: str) -> str:
    options = s.get("/api/state", team).json()["options"][unit]
    return next(o["key"] for o in options if o["kind"] == "Attack" and o["target"] == target)


@pytest.fixture
def s(tmp_path: Path) -> Session:
    return joined_session(tmp_path)


def test_a_turn_opens_teams_get_ready_and_the_umpire_ends_it(s: Session) -> None:
    assert s.post("/api/team/ready", "reds", {"ready": True}).status_code == 409  # not open yet
    r = s.post("/api/umpire/open", "umpire", {"limit_s": None})
    assert r.status_code == 200 and r.json()["phase"] == OPEN
    key = attack_key(s, "reds", "r1", "b")
    assert s.post("/api/team/plan", "reds", {"key": key}).status_code == 200
    state = s.post("/api/team/ready", "reds", {"ready": True}).json()
    assert state["ready"] and [t["ready"] for t in state["teams"]] == [True, False]
    assert s.post("/api/team/plan", "reds", {"key": key}).status_code == 409  # ready: the draft is locked
    umpire = s.get("/api/state", "umpire").json()
    assert umpire["drafts"] == {"reds": 1, "blues": 0}
    s.post("/api/umpire/end", "umpire")
    after = s.get("/api/state", "reds").json()
    assert after["turn"] == 2 and after["phase"] == CLOSED and after["draft"] == []
    assert any("attacked" in line for line in after["report"])
    assert s.get("/api/state", "blues").json()["held_last_turn"] is True
    assert s.game.records[0]["orders"]["red"] == [{"@type": "Attack", "unit": "r1", "target": "b"}]
    assert s.game.records[0]["orders"]["blue"] == []  # not ready: held
    assert s.game.recent_from is not None and s.game.recent_from.turn == 1  # names the units the turn cost


def test_the_time_limit_ends_the_turn_and_unready_teams_hold(s: Session) -> None:
    s.post("/api/umpire/open", "umpire", {"limit_s": 120})
    s.post("/api/team/plan", "blues", {"key": '{"@type":"Entrench","unit":"b1"}'})
    assert s.get("/api/state", "blues").json()["seconds_left"] == 120
    s.clock.now += 119
    assert not s.game.tick(s.clock.now)
    s.clock.now += 2
    assert s.game.tick(s.clock.now)
    assert s.game.state.turn == 2
    assert s.game.records[0]["orders"]["blue"] == []  # drafted but never marked ready
    assert s.game.held == {"reds": True, "blues": True}
    assert s.post("/api/umpire/open", "umpire", {"limit_s": 3}).status_code == 409  # under 10 s


def test_every_page_is_pushed_its_own_state_when_the_game_changes(s: Session) -> None:
    with s.client.websocket_connect("/ws") as red, s.client.websocket_connect("/ws") as screen:
        red.send_json({"type": "hello", "token": s.tokens["reds"]})
        first = red.receive_json()
        assert first["type"] == "state" and first["state"]["team"] == "reds"
        projector = s.client.post("/api/projector", json={"code": "testq7"}).json()["token"]
        screen.send_json({"type": "hello", "token": projector})
        assert screen.receive_json()["state"]["role"] == "projector"
        s.post("/api/umpire/open", "umpire", {"limit_s": None})
        assert red.receive_json()["state"]["phase"] == OPEN
        assert screen.receive_json()["state"]["phase"] == OPEN
        s.post("/api/umpire/end", "umpire")
        assert red.receive_json()["state"]["turn"] == 2
        public = screen.receive_json()["state"]
        assert public["turn"] == 2 and "units" not in public and public["code"] == "TESTQ7"


def test_drafts_live_on_the_host_for_every_browser_of_a_team_and_survive_a_reconnect(s: Session) -> None:
    s.post("/api/umpire/open", "umpire", {"limit_s": None})
    first = s.tokens["reds"]
    s.post("/api/team/plan", "reds", {"key": attack_key(s, "reds", "r1", "b")})
    s.post("/api/team/plan", "reds", {"key": attack_key(s, "reds", "r2", "c")})
    second = s.join("reds")  # a second laptop of the team
    assert second != first
    labels = [d["label"] for d in s.get("/api/state", "reds").json()["draft"]]
    assert len(labels) == 2
    with s.client.websocket_connect("/ws") as ws:  # the first laptop wakes up and reconnects
        ws.send_json({"type": "hello", "token": first})
        assert [d["label"] for d in ws.receive_json()["state"]["draft"]] == labels
        s.post("/api/team/undo", "reds")  # undone on the second laptop, pushed to the first
        assert len(ws.receive_json()["state"]["draft"]) == 1
    assert s.post("/api/team/remove", "reds", {"index": 0}).json()["draft"] == []
    assert s.post("/api/team/remove", "reds", {"index": 5}).status_code == 409


def test_a_restarted_host_resumes_from_its_autosave_and_teams_rejoin_with_their_pins(s: Session) -> None:
    s.post("/api/umpire/open", "umpire", {"limit_s": None})
    s.post("/api/team/plan", "reds", {"key": attack_key(s, "reds", "r1", "b")})
    s.post("/api/team/ready", "reds", {"ready": True})
    s.post("/api/umpire/end", "umpire")
    s.post("/api/umpire/inject", "umpire", {"inject": "talks", "reason": "Geneva talks for the class",
                                            "audience": ["all"]})
    s.post("/api/umpire/open", "umpire", {"limit_s": 300})
    s.post("/api/team/plan", "reds", {"key": '{"@type":"Hold","unit":"r2"}'})
    s.clock.now += 100
    s.game.save(s.clock.now)  # the host's clock saves an open turn's time left every few seconds
    before = state_hash(s.game.state)
    again = resumed(s)
    assert state_hash(again.game.state) == before and again.game.state.turn == 2
    assert again.game.phase == OPEN and again.game.seconds_left(again.clock.now) == pytest.approx(200)
    again.tokens = dict(s.tokens)
    assert again.get("/api/state", "reds").status_code == 401  # tokens end with the session
    again.join("reds")
    state = again.get("/api/state", "reds").json()
    assert [d["label"] for d in state["draft"]] == ["R2: hold"]
    assert any("Talks" in line for line in state["told"])
    assert replay(str(s.folder / "game.jsonl"))[0].turn == 2  # the log holds the game so far


def test_the_log_of_a_hosted_game_replays_and_makes_a_report(s: Session, tmp_path: Path) -> None:
    from game.report.aar import write_report

    for _ in range(2):
        s.post("/api/umpire/open", "umpire", {"limit_s": None})
        s.post("/api/team/ready", "reds", {"ready": True})
        s.post("/api/umpire/end", "umpire")
    s.post("/api/umpire/new_inject", "umpire", {"title": "Snow", "message": "Roads close.", "reason": "weather",
                                                "audience": ["blues"]})
    final, _ = replay(str(s.folder / "game.jsonl"))
    assert state_hash(final) == state_hash(s.game.state)
    out = write_report(s.folder / "game.jsonl", tmp_path / "r.md", fmt="md", team="blues")
    assert "Snow" in out.read_text(encoding="utf-8")
    assert "Snow" not in json.dumps(s.get("/api/state", "reds").json())  # told to blues only


def test_seats_come_from_the_teams_and_refuse_what_cannot_be_hosted() -> None:
    world = umpire_state().world
    seats, pins = make_seats(world, ai={"blues": "hard"}, pins={"reds": "4321"})
    assert [(x.id, x.human, x.level) for x in seats] == [("reds", True, "normal"), ("blues", False, "hard")]
    assert pins["reds"] == "4321" and len(pins["umpire"]) == 6
    assert "4321" not in seats[0].pin_hash.split("$") and check_pin("4321", seats[0].pin_hash)  # a hash, not the PIN
    with pytest.raises(SessionError, match="in the teams"):
        make_seats(fog_world())  # red is in two teams
    with pytest.raises(SessionError, match="no such team"):
        make_seats(world, ai={"greens": "normal"})
    with pytest.raises(SessionError, match="4 to 12 digits"):
        make_seats(world, pins={"reds": "12"})
    assert set(PINS) == {"reds", "blues", "umpire"}


def test_the_combat_preview_reads_only_what_the_team_knows(tmp_path: Path) -> None:
    import dataclasses

    from game.session.options import attack_preview

    s = host_session(tmp_path)
    s.join("reds")
    view = s.game.view("reds")
    shown = s.get("/api/team/preview", "reds", params={"unit": "r1", "place": "b"}).json()["preview"]
    assert 0.0 <= shown["chance_low"] <= shown["chance_high"] <= 1.0 and shown["defenders"] == 1
    state = s.game.state
    b1 = state.unit_index()["b1"]
    other = dataclasses.replace(state, u_strength=state.u_strength.copy(), u_cohesion=state.u_cohesion.copy())
    other.u_strength[b1] = 1900.0  # the same band (1,000-2,000), another exact strength, and shaken
    other.u_cohesion[b1] = 0.2
    again = attack_preview(other, view, "b", ["r1"])
    assert again is not None and again.to_dict() == shown
    assert attack_preview(state, view, "a", ["r1"]) is None  # no enemy seen there (its own place)


def test_a_patron_plans_within_its_capacity_and_a_resumed_draft_is_checked_again(s: Session) -> None:
    strikes = [o["key"] for o in s.get("/api/state", "reds").json()["options"]["pat"] if "AirStrike" in o["key"]]
    assert s.post("/api/team/plan", "reds", {"key": strikes[0]}).status_code == 200
    assert s.post("/api/team/plan", "reds", {"key": strikes[1]}).status_code == 200  # capacity 2, cost 1 each
    refused = s.post("/api/team/plan", "reds", {"key": strikes[2]})
    assert refused.status_code == 409 and "not enough capacity left (0 of 2" in refused.json()["error"]
    data = json.loads((s.folder / "hosted.json").read_text(encoding="utf-8"))
    data["drafts"]["reds"].append(["red", {"@type": "Hold", "unit": "b1"}])  # an order a page could never send
    (s.folder / "hosted.json").write_text(json.dumps(data), encoding="utf-8")
    again = resumed(s)
    assert [o for _, o in again.game.drafts["reds"].orders] == [o for _, o in s.game.drafts["reds"].orders]


def test_every_page_shows_a_finished_game_as_over_not_one_turn_past_its_end(s: Session) -> None:
    turns = s.game.state.world.meta.turns
    assert s.get("/api/state", "reds").json()["when"] == f"turn 1 of {turns}"
    while not s.game.state.is_over:
        s.post("/api/umpire/end", "umpire")
    last = s.game.state.outcome.turn if s.game.state.outcome else turns
    for who in ("reds", "blues", "umpire"):
        page = s.get("/api/state", who).json()
        assert page["when"] == f"after turn {last} of {turns}, game over", who


def test_a_team_page_lists_allies_apart_from_enemies(tmp_path: Path) -> None:
    """In Homs Junction HTS and the SNA are allies: SNA units HTS sees are not 'enemy units'."""
    from game.net.payloads import team_payload
    from game.scenario import load_scenario
    from game.session.hosted import new_game
    from game.session.pins import hash_pin

    world, state = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "homs_junction.yaml")
    seats, pins = make_seats(world)
    game = new_game(state, seats, hash_pin(pins["umpire"]), "ALLIES")
    seen = team_payload(game, "hts_team", 0.0)["estimates"]
    by_relation = {rel: {e["faction"] for e in seen if e["relation"] == rel} for rel in ("hostile", "allied")}
    assert by_relation["allied"] == {"sna"}
    assert by_relation["hostile"] and "sna" not in by_relation["hostile"]
    assert all(e["relation"] in ("hostile", "allied", "neutral") for e in seen)


def test_the_map_of_a_finished_game_is_headed_after_its_last_turn(s: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    import game.net.maps as maps

    headings: list[str] = []
    real = maps.map_picture
    monkeypatch.setattr(maps, "map_picture", lambda view, rings, **kw: (headings.append(kw["heading"]),
                                                                         real(view, rings, **kw))[1])
    while not s.game.state.is_over:
        s.post("/api/umpire/end", "umpire")
    assert s.get("/api/map.png", "reds").status_code == 200
    turns = s.game.state.world.meta.turns
    assert headings and headings[-1].endswith(f", after turn {turns} of {turns}, game over"), headings


def test_the_umpires_list_of_the_turn_names_the_units_that_fell_in_it(tmp_path: Path) -> None:
    """The console listed a unit destroyed in the turn by its id ('gov_4th_div broke at Damascus'): the
    umpire's view holds the units left; the names come from the view of the turn's start."""
    import re

    from game.net.payloads import umpire_payload
    from game.scenario import load_scenario
    from game.session.hosted import new_game
    from game.session.pins import hash_pin

    _, state = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "homs_junction.yaml")
    seats, _ = make_seats(state.world, ai={t.id: "normal" for t in state.world.teams}, pins={"umpire": "909090"})
    game = new_game(state, seats, hash_pin("909090"), "TESTQ7", log_path=tmp_path / "g.jsonl",
                    save_path=tmp_path / "g.json")
    ids = {u.id for u in state.units}
    fell = 0
    for _ in range(3):
        assert game.open_turn(0.0) is None and game.end_turn() is None
        alive = {u.id for u in game.view("umpire").units}
        fell += sum(1 for e in game.recent if getattr(e, "unit", None) in ids - alive)
        lines = umpire_payload(game, 0.0)["report"]
        assert lines
        bare = [line for line in lines if set(re.findall(r"[a-z0-9]+(?:_[a-z0-9]+)+", line)) & ids]
        assert bare == []
    assert fell  # the turns did destroy units (seed of the scenario)
