"""`python main.py host`: mistakes are one `error:` line and exit code 2, before anything is served or written."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from game.cli import main


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JUNCTION_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(("args", "words"), [
    (["scenarios/homs_junction.yaml", "--ai", "nobody_team"], "--ai nobody_team: no such team"),
    (["scenarios/homs_junction.yaml", "--ai", "hts_team=genius"], "unknown level"),
    (["scenarios/homs_junction.yaml", "--pin", "hts_team=12"], "4 to 12 digits"),
    (["scenarios/homs_junction.yaml", "--pin", "hts_team"], "expected TEAM=PIN"),
    (["scenarios/homs_junction.yaml", "--port", "70000"], "--port 70000"),
    (["missing-save.json"], "missing-save.json: no such file"),
])
def test_mistakes_are_one_error_line(args: list[str], words: str, capsys: pytest.CaptureFixture[str],
                                     data_dir: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
    full = ["host", *args] if "--port" in args else ["host", *args, "--port", port]
    assert main(full) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and words in err and "Traceback" not in err
    assert not list(data_dir.rglob("*.json"))  # nothing written


def test_a_missing_scenario_is_one_located_line(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    """As `validate` and `run` print it: FILE:LINE:COL: error: …, with no second `error:` in front."""
    assert main(["host", "no/such/scenario.yaml"]) == 2
    assert capsys.readouterr().err == "no/such/scenario.yaml:1:1: error: no such file\n"
    assert not list(data_dir.rglob("*.json"))


def test_a_port_in_use_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["host", "scenarios/homs_junction.yaml", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "another program uses it" in err


def test_an_address_not_of_this_computer_is_named_so(capsys: pytest.CaptureFixture[str]) -> None:
    """192.0.2.1 (TEST-NET-1) is no computer's own address: the hint is about --bind, not the port."""
    assert main(["host", "scenarios/homs_junction.yaml", "--bind", "192.0.2.1"]) == 2
    err = capsys.readouterr().err
    assert "cannot listen on 192.0.2.1:8080" in err and "not one of this computer's" in err
    assert "--port" not in err and err.count("\n") == 1


# --- the files a session writes: a hosted save is resumed, never started over; no foreign file is overwritten

TUTORIAL = "scenarios/tutorial.yaml"


@pytest.fixture
def port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The server is not started: each call's app is kept instead."""
    import uvicorn

    apps: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    return apps


def refused(args: list[str], port: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The one error line of a host command that must stop before serving."""
    assert main(["host", *args, "--port", port]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_a_new_session_writes_its_save_and_log_and_resumes(tmp_path: Path, port: str, served: list[object],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from game.sim.log import read_log

    save, log = tmp_path / "class.json", tmp_path / "class.jsonl"
    assert main(["host", TUTORIAL, "--save", str(save), "--port", port]) == 0
    assert json.loads(save.read_text())["format"] == "junction-hosted"
    assert read_log(log)[0]["type"] == "header"
    assert f"Autosave: {save}" in capsys.readouterr().out
    assert main(["host", str(save), "--port", port]) == 0
    assert "Resumed from the autosave" in capsys.readouterr().out
    assert len(served) == 2


def test_a_resumed_session_says_where_it_stands_and_a_finished_one_that_it_is_over(
        tmp_path: Path, port: str, served: list[object], capsys: pytest.CaptureFixture[str]) -> None:
    from game.session.saves import read_save

    save = tmp_path / "class.json"
    assert main(["host", TUTORIAL, "--save", str(save), "--port", port]) == 0
    title = "Junction classroom session: Tutorial: the Lowmere Crossing"
    assert capsys.readouterr().out.splitlines()[0] == f"{title}, turn 1 of 8"
    game = read_save(save, 0.0)
    game.end_turn()
    game.save(0.0)
    assert main(["host", str(save), "--port", port]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(", turn 2 of 8")
    while not game.state.is_over:
        game.end_turn()
    game.save(0.0)
    assert game.state.turn == 9
    assert main(["host", str(save), "--port", port]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.endswith(", after turn 8 of 8, game over") and "turn 9" not in first
    err = refused([TUTORIAL, "--save", str(save)], port, capsys)  # a new session may not take its save either
    assert f"--save {save}: holds the hosted session {game.code}, game over after turn 8; " in err


def test_the_pins_are_printed_in_columns_however_long_a_team_name(tmp_path: Path, port: str, served: list[object],
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    save = tmp_path / "class.json"
    assert main(["host", "scenarios/homs_junction.yaml", "--save", str(save), "--port", port]) == 0
    out = capsys.readouterr().out.splitlines()
    first = out.index("PINs (hand each team its own; they are not shown again):") + 1
    rows = out[first:out.index("", first)]
    assert len(rows) == 8 and "The United States and its partners (SDF, Syrian Free Army)" in rows[4]  # 58 letters
    assert len({r.rindex(" ") for r in rows}) == 1  # the PINs in one column
    assert len({r.rindex(" " + r.split()[-2] + " ") for r in rows}) == 1  # and the team ids


def test_a_hosted_save_is_not_started_over(tmp_path: Path, port: str, served: list[object],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from game.session.saves import read_save

    save, log = tmp_path / "class.json", tmp_path / "class.jsonl"
    assert main(["host", TUTORIAL, "--save", str(save), "--port", port]) == 0
    game = read_save(save, 0.0)
    for _ in range(3):
        game.end_turn()
    game.save(0.0)
    before = save.read_bytes(), log.read_bytes()
    err = refused([TUTORIAL, "--save", str(save), "--bind", "0.0.0.0"], port, capsys)
    assert f"--save {save}: holds the hosted session {game.code} at turn 4" in err
    assert f"python main.py host {save} --bind 0.0.0.0 --port {port}" in err and "another --save name" in err
    assert (save.read_bytes(), log.read_bytes()) == before
    assert len(served) == 1


@pytest.mark.parametrize("content", [b'{"important": true}\n', b"[1, 2]", b"not json at all", b"\xff\xfe"])
def test_a_foreign_file_is_not_taken_for_a_save(content: bytes, tmp_path: Path, port: str, served: list[object],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    imp = tmp_path / "imp2.json"
    imp.write_bytes(content)
    err = refused([TUTORIAL, "--save", str(imp)], port, capsys)
    assert f"--save {imp}: exists and is not a hosted session's save; not overwriting it" in err
    assert imp.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["imp2.json"] and not served


def test_an_empty_file_may_take_the_save(tmp_path: Path, port: str, served: list[object]) -> None:
    save = tmp_path / "empty.json"
    save.touch()
    assert main(["host", TUTORIAL, "--save", str(save), "--port", port]) == 0
    assert json.loads(save.read_text())["format"] == "junction-hosted"


NOTES = b"my notes, not an order log\n"


def test_a_foreign_log_is_refused_before_serving(tmp_path: Path, port: str, served: list[object],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    notes, save = tmp_path / "notes.jsonl", tmp_path / "x.json"
    notes.write_bytes(NOTES)
    err = refused([TUTORIAL, "--save", str(save), "--log", str(notes)], port, capsys)
    assert f"--log {notes}: exists and is not a Junction order log; not overwriting it" in err
    assert notes.read_bytes() == NOTES and not save.exists() and not served


def test_a_foreign_file_beside_the_save_is_refused(tmp_path: Path, port: str, served: list[object],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    imp, save = tmp_path / "imp.jsonl", tmp_path / "imp.json"
    imp.write_bytes(NOTES)
    err = refused([TUTORIAL, "--save", str(save)], port, capsys)
    assert f"{imp}: exists and is not a Junction order log" in err and "--log FILE" in err
    assert imp.read_bytes() == NOTES and not save.exists() and not served


def test_a_resumed_session_checks_its_log_too(tmp_path: Path, port: str, served: list[object],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    save, log, notes = tmp_path / "class.json", tmp_path / "class.jsonl", tmp_path / "notes.jsonl"
    assert main(["host", TUTORIAL, "--save", str(save), "--port", port]) == 0
    notes.write_bytes(NOTES)
    err = refused([str(save), "--log", str(notes)], port, capsys)
    assert f"--log {notes}: exists and is not a Junction order log" in err and notes.read_bytes() == NOTES
    err = refused([str(save), "--save", str(tmp_path / "other.json")], port, capsys)
    assert "--save names a new session's autosave" in err and not (tmp_path / "other.json").exists()
    log.write_bytes(NOTES)  # the log the save names, replaced since
    err = refused([str(save)], port, capsys)
    assert f"{log}: exists and is not a Junction order log" in err and log.read_bytes() == NOTES
    assert len(served) == 1


@pytest.mark.parametrize(("args", "words"), [
    (["--save", "{tmp}/class.sav"], "expected a name ending in .json"),
    (["--save", "{tmp}/class.json", "--log", "{tmp}/class.json"], "is the save's own file"),
    (["--save", "{tmp}"], "expected a name ending in .json"),
])
def test_save_and_log_names(args: list[str], words: str, tmp_path: Path, port: str, served: list[object],
                            capsys: pytest.CaptureFixture[str]) -> None:
    err = refused([TUTORIAL, *(a.format(tmp=tmp_path) for a in args)], port, capsys)
    assert words in err and not list(tmp_path.iterdir()) and not served
