"""A corpus of damaged saves: each is refused with one message naming the file, or loads into a game that
survives a first frame and an End turn; a failed load leaves the running game and every file as they were.

The corpus alters a real save of tests/data/good/tiny.yaml (every section of the format is there): each
state array shortened, lengthened, of the wrong type, with an entry of 77, -1, NaN, inf, 1e300, text, 1.5 or
true; wrong dates and turns, duplicated ids, unknown references, seats and AI levels; and broken files
(truncated, not an object, bad UTF-8, deep nesting, a 5,000-digit number). A seeded random fuzz adds more.
"""

from __future__ import annotations

import copy
import json
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame
import pytest

from game.engine.state import ARRAYS
from game.scenario import load_scenario
from game.ui import saves
from game.ui.saves import SaveError, load_session, save_session
from game.ui.session import Control, new_session
from tests.ui.conftest import game_app, press, settle

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "good" / "tiny.yaml"
NAN, INF = "__NaN__", "__1e999__"
"""Placeholders written out as the JSON text NaN and 1e999 (which json.dumps cannot produce)."""


def base_save() -> dict[str, Any]:
    """A real save of the tiny scenario after one turn, with an `ai:` block, as plain JSON data."""
    _, state = load_scenario(TINY)
    session = new_session(state, 4, {s: Control(s == "government") for s in state.world.sides})
    session.end_turn()
    data = json.loads(json.dumps(session.to_dict()))
    data["game"]["world"]["ai"] = {"hts": {"aggression": 1.2}}
    data["summary"] = {"title": "Tiny Homs", "turn": 2, "date": "2024-12-08", "saved_at": "2025-01-01T10:00:00"}
    return data


BASE = base_save()
STATE = ("game", "state")
WORLD = ("game", "world")


def at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def setter(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        at(data, path[:-1])[path[-1]] = value
    return change


def deleter(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        del at(data, path[:-1])[path[-1]]
    return change


def editor(path: tuple[Any, ...], edit: Callable[[Any], Any]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        at(data, path[:-1])[path[-1]] = edit(at(data, path))
    return change


ENTRY_VALUES = {"77": 77, "-1": -1, "NaN": NAN, "inf": INF, "huge": 1e300, "text": "3", "1.5": 1.5, "true": True}

CASES: dict[str, Callable[[dict[str, Any]], None]] = {}
for name in ARRAYS:
    path = (*STATE, name)
    CASES[f"{name} one short"] = editor(path, lambda v: v[:-1])
    CASES[f"{name} one too long"] = editor(path, lambda v: v + v[-1:])
    CASES[f"{name} not a list"] = setter(path, "x")
    CASES[f"{name} null"] = setter(path, None)
    CASES[f"{name} missing"] = deleter(path)
    for label, value in ENTRY_VALUES.items():
        CASES[f"{name}[0] = {label}"] = setter((*path, 0), value)

CASES.update({
    "turn 0": setter((*STATE, "turn"), 0),
    "turn -1": setter((*STATE, "turn"), -1),
    "turn past the game": setter((*STATE, "turn"), 99),
    "turn huge": setter((*STATE, "turn"), 10**30),
    "turn as text": setter((*STATE, "turn"), "2"),
    "turn 1.5": setter((*STATE, "turn"), 1.5),
    "start date 30 February": setter((*WORLD, "meta", "start_date"), "2024-02-30"),
    "start date not a date": setter((*WORLD, "meta", "start_date"), "yesterday"),
    "start date a number": setter((*WORLD, "meta", "start_date"), 20241207),
    "dates past the year 9999": setter((*WORLD, "meta", "start_date"), "9999-12-30"),
    "turn_days 0": setter((*WORLD, "meta", "turn_days"), 0),
    "meta without turns (the default, 10)": deleter((*WORLD, "meta", "turns")),
    "meta without a start date (the default)": deleter((*WORLD, "meta", "start_date")),
    "turns 0": setter((*WORLD, "meta", "turns"), 0),
    "turns a billion": setter((*WORLD, "meta", "turns"), 10**9),
    "inject date wrong": setter((*WORLD, "injects", 0, "when", 0), {"@type": "DateReached", "date": "2024-13-01"}),
    "duplicate unit id": lambda d: at(d, (*STATE, "units"))[1].update(id=at(d, (*STATE, "units"))[0]["id"]),
    "duplicate place id": lambda d: at(d, (*WORLD, "places"))[1].update(id="damascus"),
    "duplicate faction id": lambda d: at(d, (*WORLD, "factions"))[1].update(id="government"),
    "patron id is a faction id": setter((*WORLD, "patrons", 0, "id"), "hts"),
    "route to an unknown place": setter((*WORLD, "routes", 0, "b"), "atlantis"),
    "route joins a place to itself": setter((*WORLD, "routes", 0, "b"), "damascus"),
    "corridor through an unknown place": setter((*WORLD, "corridors", 0, "places", 1), "atlantis"),
    "corridor with a gap": setter((*WORLD, "corridors", 0, "places"), ["jusiyah", "hama"]),
    "unit of an unknown faction": setter((*STATE, "units", 0, "faction"), "martians"),
    "unit of an unknown type": setter((*STATE, "units", 0, "type"), "dragon"),
    "unit without an id": deleter((*STATE, "units", 0, "id")),
    "unit quality NaN": setter((*STATE, "units", 0, "quality"), NAN),
    "unit of another record type": setter((*STATE, "units", 0, "@type"), "Place"),
    "ally unknown": setter((*WORLD, "factions", 0, "allies"), ["martians"]),
    "patron corridor unknown": setter((*WORLD, "patrons", 0, "corridor"), "nowhere"),
    "patron kind unknown": setter((*WORLD, "patrons", 0, "kind"), "benefactor"),
    "victory kind unknown": setter((*WORLD, "victory", 0, "kind"), "vibes"),
    "victory place unknown": setter((*WORLD, "victory", 0, "places"), ["atlantis"]),
    "team side unknown": setter((*WORLD, "teams", 0, "sides"), ["martians"]),
    "effect of an unknown type": setter((*WORLD, "injects", 0, "effects", 0, "@type"), "Teleport"),
    "set_rule of an unknown rule": setter((*WORLD, "injects", 0, "effects", 0), {"@type": "SetRule", "name": "warp",
                                                                                "value": 1.0}),
    "place latitude 400": setter((*WORLD, "places", 0, "lat"), 400.0),
    "place fort 1.5": setter((*WORLD, "places", 0, "fort"), 1.5),
    "world not an object": setter(WORLD, [1, 2]),
    "world without places": deleter((*WORLD, "places")),
    "state not an object": setter(STATE, "state"),
    "rules table without a key": lambda d: at(d, (*STATE, "rules", "move_points")).pop("armour"),
    "rules value negative": setter((*STATE, "rules", "combat_k"), -4.0),
    "rules value text": setter((*STATE, "rules", "combat_k"), "steep"),
    "rules chance above 1": setter((*STATE, "rules", "surrender_chance"), 7.0),
    "rules unknown field": setter((*STATE, "rules", "warp"), 1.0),
    "outcome winner unknown": setter((*STATE, "outcome"), {"@type": "Outcome", "winners": ["martians"],
                                                          "reason": "x", "turn": 1}),
    "outcome not an object": setter((*STATE, "outcome"), 3),
    "fired event unknown": setter((*STATE, "fired"), ["nothing_happened"]),
    "flags not text": setter((*STATE, "flags"), [1]),
    "achieved unknown": setter((*STATE, "achieved"), ["world_peace"]),
    "unknown seat": setter(("controls", "martians"), {"human": True, "level": "normal"}),
    "unknown AI level": setter(("controls", "hts", "level"), "godlike"),
    "human as text": setter(("controls", "hts", "human"), "yes"),
    "controls a list": setter(("controls",), ["hts"]),
    "seed -1": setter(("seed",), -1),
    "seed text": setter(("seed",), "one"),
    "seed 2**70": setter(("seed",), 2**70),
    "seat index -1": setter(("seat_index",), -1),
    "seat index huge": setter(("seat_index",), 10**9),
    "planned [1, 2]": setter(("planned",), [1, 2]),
    "planned null": setter(("planned",), None),
    "planned orders [1, 2]": setter(("planned", "government"), [1, 2]),
    "planned order of an unknown unit": setter(("planned", "government"), [{"@type": "Move", "unit": "ghost",
                                                                             "to": "homs"}]),
    "planned for an unknown side": setter(("planned", "martians"), []),
    "history row short": setter(("history", 0), [1, "2024-12-07"]),
    "history cohesion NaN": setter(("history", 0, 3, 0), NAN),
    "log not a list": setter(("log",), "log"),
    "source a number": setter(("source",), 5),
    "ai weight unknown": setter((*WORLD, "ai", "hts"), {"bravado": 2.0}),
    "ai weight text": setter((*WORLD, "ai", "hts", "aggression"), "high"),
    "ai nested deep": setter((*WORLD, "ai", "hts"), json.loads("[" * 200 + "]" * 200)),
    "version 2": setter(("version",), 2),
    "version true": setter(("version",), True),
    "format missing": deleter(("format",)),
    "game missing": deleter(("game",)),
    "summary turn inf": setter(("summary", "turn"), INF),
})

BENIGN = {
    "contested[0] = true", "f_collapsed[0] = true", "route_open[0] = true", "u_strength[0] = 77",
    "u_strength[0] = 1.5", "f_score[0] = 77", "f_score[0] = -1", "f_score[0] = 1.5", "p_capacity[0] = 77",
    "p_capacity[0] = 1.5", "p_reserve[0] = 77", "p_reserve[0] = 1.5", "seat index huge",
    "b_base[0] = 77", "b_base[0] = 1.5", "p_evacuated[0] = 77", "p_evacuated[0] = 1.5",
    "planned order of an unknown unit", "meta without turns (the default, 10)",
    "meta without a start date (the default)",
}
"""Alterations that leave a playable game (the value is valid where it is put): these must load and play."""


def dumps(data: Any) -> str:
    return json.dumps(data).replace(f'"{NAN}"', "NaN").replace(f'"{INF}"', "1e999")


def damaged(name: str) -> str:
    data = copy.deepcopy(BASE)
    CASES[name](data)
    return dumps(data)


RAW: dict[str, bytes] = {
    "truncated file": dumps(BASE).encode()[: len(dumps(BASE)) // 2],
    "empty file": b"",
    "a list": b"[1, 2, 3]",
    "a string": b'"junction"',
    "null": b"null",
    "a number": b"3",
    "bad UTF-8": b'{"format": "junction-session", "title": "\xff\xfe"}',
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "a 5,000-digit number": b'{"format": "junction-session", "version": ' + b"9" * 5000 + b"}",
    "NaN at the top": b"NaN",
}


def test_the_corpus_is_as_large_as_the_issue_measured() -> None:
    assert len(CASES) + len(RAW) >= 76 * 2
    assert set(CASES) >= BENIGN


def test_the_undamaged_base_loads(tmp_path: Path) -> None:
    path = tmp_path / "good.json"
    path.write_text(dumps(BASE))
    assert load_session(path).state.turn == 2


def expect_refused(path: Path) -> str:
    before = path.read_bytes()
    with pytest.raises(SaveError) as info:
        load_session(path)
    message = str(info.value)
    assert path.name in message and "Traceback" not in message and "\n" not in message
    assert len(message) < 400
    assert path.read_bytes() == before
    return message


@pytest.mark.parametrize("name", [n for n in CASES if n not in BENIGN])
def test_a_damaged_save_is_refused_with_one_message_naming_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / "damaged.json"
    path.write_text(damaged(name))
    expect_refused(path)


@pytest.mark.parametrize("name", list(RAW))
def test_a_broken_file_is_refused_with_one_message_naming_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(RAW[name])
    expect_refused(path)


@pytest.mark.parametrize("name", [
    "u_strength[0] = NaN", "u_strength[0] = -1", "controller[0] = 77", "u_place[0] = 77", "u_cohesion[0] = 1.5",
    "u_faction[0] = 77", "p_support[0] = NaN", "turn past the game", "unknown AI level", "duplicate unit id"])
def test_the_failures_the_issue_found_are_named(tmp_path: Path, name: str) -> None:
    """NaN or negative strengths used to load silently, a controller of 77 crashed the first frame."""
    path = tmp_path / "damaged.json"
    path.write_text(damaged(name))
    message = expect_refused(path)
    field = name.split("[")[0].split(" ")[0]
    assert "damaged" in message and (field in message or name.split()[-1] in message or "level" in message)


def play_on(app: Any) -> None:
    """A first frame, End turn (through the report), and another frame."""
    settle(app)
    press(app, pygame.K_RETURN, frames=3)
    press(app, pygame.K_RETURN)
    settle(app)


def running_game(app: Any) -> Any:
    _, state = load_scenario(TINY)
    return game_app(app, state, humans=("government",))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_a_harmless_alteration_loads_and_plays_on(app: Any, name: str) -> None:
    running_game(app)
    path = saves.saves_dir() / "altered.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(damaged(name))
    files = snapshot(path.parent)
    assert app.load_game(path), [t[0] for t in app.toasts]
    turn = app.session.state.turn
    play_on(app)
    assert app.session.state.turn == turn + 1
    after = snapshot(path.parent)
    assert all(after[k] == v for k, v in files.items())


@pytest.mark.parametrize("name", ["controller[0] = 77", "u_strength[0] = NaN", "turn past the game",
                                  "unknown AI level", "nested 100,000 deep", "truncated file"])
def test_a_refused_load_leaves_the_running_game_and_the_files(app: Any, name: str) -> None:
    running_game(app)
    session = app.session
    path = saves.saves_dir() / "damaged.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    if name in RAW:
        path.write_bytes(RAW[name])
    else:
        path.write_text(damaged(name))
    files = snapshot(path.parent)
    assert not app.load_game(path)
    assert app.session is session
    assert any(t[0].startswith("Not loaded: damaged.json") for t in app.toasts)
    assert snapshot(path.parent) == files
    turn = session.state.turn
    play_on(app)
    assert app.session is session and session.state.turn == turn + 1
    after = snapshot(path.parent)
    assert all(after[k] == v for k, v in files.items())


HOSTILE = [None, True, -1, 0, 77, 1.5, -0.5, 1e300, INF, NAN, "", "x", "77", [], [1, 2], {}, {"@type": "Move"},
           10**30, "2024-02-30"]


def leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside `data` (containers included)."""
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data[:3]):
            out += leaves(v, (*path, i))
    return out


PATHS = [p for p in leaves(BASE) if p and p[0] != "summary" and p[-1] not in ("description", "title", "message",
                                                                                 "name", "saved_at", "sources")]


@pytest.mark.parametrize("seed", range(4))
def test_random_damage_is_refused_or_loads_a_game_that_plays(tmp_path: Path, seed: int) -> None:
    """Seeded: 60 saves, each with one to three values anywhere replaced by a hostile value."""
    rng = random.Random(seed)
    loaded = 0
    for k in range(60):
        data = copy.deepcopy(BASE)
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(PATHS)
            try:
                at(data, path[:-1])[path[-1]] = copy.deepcopy(rng.choice(HOSTILE))
            except (KeyError, IndexError, TypeError):
                continue
        file = tmp_path / f"fuzz-{k}.json"
        file.write_text(dumps(data))
        try:
            session = load_session(file)
        except SaveError as exc:
            assert file.name in str(exc) and "\n" not in str(exc)
            continue
        loaded += 1
        session.end_turn()
        saves.save_session(session, tmp_path / "again.json")
        assert load_session(tmp_path / "again.json").state.turn == session.state.turn
    assert loaded < 60


def test_a_save_of_a_running_game_loads_after_the_check(tmp_path: Path) -> None:
    """The check is not so strict that a real game fails it: every turn of a game saves and loads."""
    _, state = load_scenario(TINY)
    session = new_session(state, 9, {s: Control(False) for s in state.world.sides})
    while not session.state.is_over:
        session.end_turn()
        load_session(save_session(session, tmp_path / f"t{session.state.turn}.json"))
    assert os.listdir(tmp_path)
