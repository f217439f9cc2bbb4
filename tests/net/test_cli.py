"""`python main.py host`: mistakes are one `error:` line and exit code 2, before anything is served or written."""

from __future__ import annotations

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
    (["no/such/scenario.yaml"], "no/such/scenario.yaml"),
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


def test_a_port_in_use_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["host", "scenarios/homs_junction.yaml", "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
