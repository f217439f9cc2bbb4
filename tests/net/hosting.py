"""A hosted session on a small board for the server tests: known PINs, a fake clock, files in a tmp folder."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from game.engine import State, Team
from game.net.app import Host, build_app
from game.session.hosted import HostedGame, new_game
from game.session.pins import hash_pin
from game.session.seats import make_seats
from tests.boards import fog_state, fog_world, umpire_state

PINS = {"reds": "1111", "blues": "2222", "umpire": "909090"}
CODE = "TESTQ7"


@dataclass
class Clock:
    now: float = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Session:
    host: Host
    client: TestClient
    clock: Clock
    folder: Path
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def game(self) -> HostedGame:
        return self.host.game

    def join(self, team: str, pin: str | None = None) -> str:
        r = self.client.post("/api/join", json={"code": CODE, "team": team, "pin": pin or PINS[team]})
        assert r.status_code == 200, r.text
        self.tokens[team] = r.json()["token"]
        return self.tokens[team]

    def auth(self, team: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[team]}"}

    def get(self, path: str, team: str, **kw: Any) -> Any:
        return self.client.get(path, headers=self.auth(team), **kw)

    def post(self, path: str, team: str, body: Any = None) -> Any:
        return self.client.post(path, headers=self.auth(team), json={} if body is None else body)


def fog_board() -> State:
    """The fog board with two teams that share no side (reds: red and its air wing; blues)."""
    world = dataclasses.replace(fog_world(), teams=(Team("reds", "Red and its air wing", ("red", "airwing")),
                                                    Team("blues", "Blue", ("blue",))))
    return fog_state(world)


def host_session(folder: Path, state: State | None = None) -> Session:
    """A new hosted game (the umpire board by default) with its server and a test client."""
    state = state or umpire_state()
    seats, pins = make_seats(state.world, pins=PINS)
    game = new_game(state, seats, hash_pin(pins["umpire"]), CODE, log_path=folder / "game.jsonl",
                    save_path=folder / "hosted.json")
    clock = Clock()
    game.save(clock.now)
    host = Host(game, clock=clock, join_url="http://127.0.0.1:8080")
    return Session(host, TestClient(build_app(host)), clock, folder)


def joined_session(folder: Path, state: State | None = None) -> Session:
    """`host_session` with the reds, the blues and the umpire joined (both test boards have those teams)."""
    session = host_session(folder, state)
    for team in ("reds", "blues", "umpire"):
        session.join(team)
    return session


def resumed(old: Session) -> Session:
    """The same session after the host was stopped and started again from its autosave."""
    from game.session.saves import read_save

    game = read_save(old.folder / "hosted.json", old.clock.now)
    host = Host(game, clock=old.clock, join_url="http://127.0.0.1:8080")
    return Session(host, TestClient(build_app(host)), old.clock, old.folder)
