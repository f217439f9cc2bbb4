"""Secure by construction: with one team's token, every endpoint and WebSocket message is tried for the
other team's data and for files outside the app; nothing the fog hides from the team (the fog test's
`secrets_of`: hidden units' ids and names) reaches it, and nothing but the app's own pages is served.
PINs are rate-limited, tokens are random and expire, seats are checked per request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.engine.sight import find_leaks, secrets_of
from game.report.figures import map_picture
from game.report.narrate import turn_text
from game.session.pins import check_pin, hash_pin
from tests.net.hosting import CODE, PINS, Session, fog_board, host_session, joined_session

OTHER = {"reds": "blues", "blues": "reds"}
TRAVERSALS = ["/assets/../../../../etc/passwd", "/assets/..%2f..%2f..%2fetc%2fpasswd", "/assets/%2e%2e/app.py",
              "/assets/..%5c..%5capp.py", "/assets/app.js%00.png", "/assets/page.html", "/assets/../app.py",
              "/assets//etc/passwd", "/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/game/net/app.py", "/static/x",
              "/api/map.png/../../etc/passwd", "/assets/%2e%2e%2f%2e%2e%2fpyproject.toml", "/favicon.ico"]


@pytest.fixture(scope="module")
def s(tmp_path_factory: pytest.TempPathFactory) -> Session:
    session = joined_session(tmp_path_factory.mktemp("fog"), fog_board())
    session.post("/api/umpire/open", "umpire", {"limit_s": None})
    return session


def attempts(s: Session, team: str) -> list[tuple[str, str]]:
    """(what was tried, the answer's text) for every endpoint, asked for the other team's data every way."""
    other = OTHER[team]
    hidden = [u.id for u in s.game.state.units if u.faction == "red"] + ["blue_far", "blue_mid"]
    out = []
    queries = [f"team={other}", f"who={other}", "team=umpire&role=umpire", "path=/etc/passwd", "file=../hosted.json"]
    for path in ("/api/state", "/api/spots", "/api/seats", "/api/team/preview", "/api/qr.svg"):
        probes = [f"unit={u}&place=p{i}" for u in hidden for i in range(7)] if path == "/api/team/preview" else []
        for q in [""] + queries + probes:
            r = s.get(f"{path}?{q}", team)
            out.append((f"GET {path}?{q} -> {r.status_code}", r.text))
    bodies = [{"team": other}] + [{"key": json.dumps({"@type": "Hold", "unit": u})} for u in hidden] + [
        {"key": json.dumps({"@type": "AirStrike", "patron": "airwing", "place": f"p{i}"})} for i in range(7)]
    for path in ("/api/team/plan", "/api/team/remove", "/api/team/undo", "/api/team/ready", "/api/umpire/open",
                 "/api/umpire/end", "/api/umpire/inject", "/api/umpire/new_inject", "/api/umpire/override",
                 "/api/umpire/matrix", "/api/projector"):
        for body in bodies + [{"index": 0, "team": other}, {"ready": True, "team": other}]:
            r = s.post(path, team, body)
            out.append((f"POST {path} {body} -> {r.status_code}", r.text))
    with s.client.websocket_connect("/ws") as ws:
        ws.send_json({"type": "hello", "token": s.tokens[team]})
        out.append(("ws hello", json.dumps(ws.receive_json())))
        for msg in ({"type": "state", "team": other}, {"type": "hello", "token": s.tokens[other]},
                    {"type": "state", "role": "umpire"}, {"type": "file", "path": "/etc/passwd"}, {"type": "plan"}):
            ws.send_json(msg)
            out.append((f"ws {msg}", json.dumps(ws.receive_json())))
    return out


@pytest.mark.parametrize("team", ["reds", "blues"])
def test_nothing_hidden_from_a_team_reaches_it_through_any_endpoint_or_message(s: Session, team: str) -> None:
    secrets = secrets_of(s.game.state, team)
    assert secrets, "the board must hide something from each team for this test to mean anything"
    other = OTHER[team]
    draft_before, ready_before = list(s.game.drafts[other].orders), other in s.game.ready
    leaks = [(what, find_leaks(text, secrets)) for what, text in attempts(s, team) if find_leaks(text, secrets)]
    assert not leaks, f"{team} was shown hidden units: {leaks[:5]}"
    state = s.get("/api/state", team).json()
    assert state["team"] == team and not {u["id"] for u in state["units"]} & set(secrets)
    assert s.game.drafts[other].orders == draft_before and (other in s.game.ready) == ready_before  # nothing landed


def test_the_map_a_team_is_sent_is_drawn_from_its_own_view(s: Session) -> None:
    assert s.host.maps is not None
    for team in ("reds", "blues"):
        got = s.get("/api/map.png", team, params={"team": OTHER[team]}).content
        view = s.game.view(team)
        png, _ = map_picture(view, s.host.maps.rings, heading=f"{view.team_name}: {view.date}, {turn_text(view)}",
                             height=s.host.maps.height, dpi=s.host.maps.dpi)
        assert got == png
    assert s.get("/api/map.png", "reds").content != s.get("/api/map.png", "blues").content


def test_only_the_apps_own_pages_and_assets_are_served(s: Session) -> None:
    for path in TRAVERSALS:
        r = s.client.get(path)
        assert r.status_code == 404, path
        assert "root:" not in r.text and "import" not in r.text and "junction-hosted" not in r.text, path
    for path in ("/", "/team", "/projector", "/umpire", "/assets/app.js", "/assets/style.css"):
        r = s.client.get(path)
        assert r.status_code == 200 and "default-src 'self'" in r.headers["content-security-policy"]
    for path in ("/", "/team", "/projector", "/umpire"):  # an inline icon: browsers ask for no /favicon.ico (a 404)
        assert '<link rel="icon" href="data:,">' in s.client.get(path).text, path


def test_seats_are_checked_per_request(s: Session) -> None:
    assert s.client.get("/api/state").status_code == 401
    assert s.client.get("/api/state", headers={"Authorization": "Bearer forged"}).status_code == 401
    for path in ("/api/umpire/open", "/api/umpire/end", "/api/umpire/inject", "/api/umpire/override",
                 "/api/umpire/matrix"):
        assert s.post(path, "reds", {"inject": "x", "reason": "y"}).status_code == 403
    projector = s.client.post("/api/projector", json={"code": CODE}).json()["token"]
    r = s.client.post("/api/team/plan", headers={"Authorization": f"Bearer {projector}"}, json={"key": "x"})
    assert r.status_code == 403
    assert s.client.post("/api/projector", json={"code": "WRONG1"}).status_code == 403


def test_pins_are_rate_limited_hashed_and_tokens_random_and_expiring(tmp_path: Path) -> None:
    s = host_session(tmp_path, fog_board())
    for _ in range(5):
        assert s.client.post("/api/join", json={"code": CODE, "team": "reds", "pin": "0000"}).status_code == 403
    locked = s.client.post("/api/join", json={"code": CODE, "team": "reds", "pin": PINS["reds"]})
    assert locked.status_code == 429  # even the right PIN waits
    assert s.client.post("/api/join", json={"code": CODE, "team": "blues", "pin": PINS["blues"]}).status_code == 200
    s.clock.now += 61
    first, second = s.join("reds"), s.join("reds")
    assert first != second and len(first) >= 40
    s.clock.now += s.host.tokens.ttl + 1
    assert s.get("/api/state", "reds").status_code == 401
    saved = (tmp_path / "hosted.json").read_text(encoding="utf-8")
    assert all(pin not in saved for pin in PINS.values())
    assert check_pin("1111", hash_pin("1111")) and not check_pin("1112", hash_pin("1111"))
