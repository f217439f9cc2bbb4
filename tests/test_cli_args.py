"""Hostile command lines for every command of `python main.py`: each gets `error: …` naming the argument or
file and a non-zero exit (2 for usage errors), or works; nothing on disk is lost; never a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.sim import argtypes
from game.sim.outfiles import PNG_SIGNATURE, OutputError, atomic_output, output_path

ROOT = Path(__file__).resolve().parents[1]
TINY = str(ROOT / "tests" / "data" / "good" / "tiny.yaml")
FOLDER = "<tmp>"
"""Stands for the test's temporary folder in the tables below."""

USAGE: list[tuple[list[str], str]] = [
    (["run", TINY, "--turns", "-5"], "--turns"),
    (["run", TINY, "--turns", "0"], "--turns"),
    (["run", TINY, "--turns", "nan"], "--turns"),
    (["run", TINY, "--turns", "inf"], "--turns"),
    (["run", TINY, "--turns", "1e3"], "--turns"),
    (["run", TINY, "--turns", "99999999999999999999999"], "--turns"),
    (["run", TINY, "--seed", "-1"], "--seed"),
    (["run", TINY, "--seed", str(2**64)], "--seed"),
    (["run", TINY, "--seed", "nan"], "--seed"),
    (["run", TINY, "--seed", "-inf"], "--seed"),
    (["run"], "scenario"),
    (["replay"], "log"),
    (["validate"], "files"),
    (["schema", "extra"], "extra"),
    (["lint"], "files"),
    (["render", TINY, "--ui-scale", "-2"], "--ui-scale"),
    (["render", TINY, "--ui-scale", "0"], "--ui-scale"),
    (["render", TINY, "--ui-scale", "nan"], "--ui-scale"),
    (["render", TINY, "--ui-scale", "inf"], "--ui-scale"),
    (["render", TINY, "--ui-scale", "1e308"], "--ui-scale"),
    (["render", TINY, "--size", "0x0"], "--size"),
    (["render", TINY, "--size", "99999x99999"], "--size"),
    (["render", TINY, "--size", "-800x600"], "--size"),
    (["render", TINY, "--size", "800"], "--size"),
    (["render", TINY, "--size", "nanxinf"], "--size"),
    (["render", TINY, "--turns", "-5"], "--turns"),
    (["render", TINY, "--turns", "10001"], "--turns"),
    (["render", TINY, "--seed", "-1"], "--seed"),
    (["render", TINY, "--mode", "martian"], "--mode"),
    (["render", TINY, "-o", FOLDER], "--output"),
    (["render", TINY, "-o", FOLDER + "/"], "--output"),
    (["render", TINY, "-o", "/dev/full"], "--output"),
    (["render", TINY, "-o", "/dev/null"], "--output"),
    (["render", TINY, "-o", FOLDER + "/map.jpg"], "--output"),
    (["render", TINY, "-o", TINY], "--output"),
    (["render", TINY, "-o", TINY + "/map.png"], "--output"),
    (["render", TINY, "-o", ""], "--output"),
    (["render", TINY, "--side", "martians"], "--side"),
    (["play", "a.yaml", "b.yaml"], "b.yaml"),
    (["--bogus"], "--bogus"),
]
"""(command line, what the error must name): refused with exit code 2."""

FILES: list[tuple[list[str], str]] = [
    (["run", "no/such/scenario.yaml"], "no/such/scenario.yaml"),
    (["run", FOLDER], FOLDER),
    (["run", TINY, "--turns", "2", "--log", FOLDER], FOLDER),
    (["run", TINY, "--turns", "2", "--log", "/dev/full"], "/dev/full"),
    (["replay", "no/such/game.jsonl"], "no/such/game.jsonl"),
    (["replay", FOLDER], FOLDER),
    (["validate", "no/such/scenario.yaml"], "no/such/scenario.yaml"),
    (["validate", FOLDER], FOLDER),
    (["validate", "/dev/full"], "/dev/full"),
    (["lint", "no/such/scenario.yaml"], "no/such/scenario.yaml"),
    (["schema", "-o", FOLDER], FOLDER),
    (["schema", "-o", "/dev/full"], "/dev/full"),
    (["schema", "-o", FOLDER + "/no/such/schema.json"], FOLDER + "/no/such"),
    (["schema", "-o", TINY], TINY),
    (["render", "no/such/scenario.yaml", "-o", FOLDER + "/m.png"], "no/such/scenario.yaml"),
    (["render", FOLDER, "-o", FOLDER + "/m.png"], FOLDER),
    (["play", "no/such/scenario.yaml"], "no/such/scenario.yaml"),
    (["render", TINY, "-o", "/proc/junction-map.png"], "/proc/junction-map.png"),
]
"""(command line, the file the message must name): a file that cannot be read or written; non-zero exit."""


def call(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `python main.py ARGV` in this process: (exit code, stdout, stderr). An exception fails the test."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def fill(argv: list[str], folder: Path) -> list[str]:
    return [a.replace(FOLDER, str(folder)) for a in argv]


@pytest.fixture(autouse=True)
def _headless(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JUNCTION_HEADLESS", "1")
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("JUNCTION_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("JUNCTION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


def case_id(argv: list[str]) -> str:
    return " ".join(argv).replace(TINY, "tiny.yaml")


@pytest.mark.parametrize(("argv", "named"), USAGE, ids=[case_id(a) for a, _ in USAGE])
def test_a_bad_argument_is_a_usage_error_naming_it(argv: list[str], named: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = call(fill(argv, tmp_path), capsys)
    assert code == 2, err
    assert "error:" in err and named.replace(FOLDER, str(tmp_path)) in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize(("argv", "named"), FILES, ids=[case_id(a) for a, _ in FILES])
def test_a_file_that_cannot_be_used_is_named(argv: list[str], named: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(fill(argv, tmp_path), capsys)
    said = out if argv[0] in ("validate", "lint") else err  # they report FILE:LINE:COL problems on stdout
    assert code != 0
    assert "error" in said and named.replace(FOLDER, str(tmp_path)) in said, said
    assert "Traceback" not in out + err


def test_schema_does_not_write_over_a_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    before = Path(TINY).read_bytes()
    assert call(["schema", "-o", TINY], capsys)[0] == 2
    assert Path(TINY).read_bytes() == before


def test_render_side_says_did_you_mean_and_lists_the_sides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = call(["render", TINY, "-o", str(tmp_path / "m.png"), "--side", "hst"], capsys)
    assert code == 2 and "--side" in err and "did you mean 'hts'" in err
    assert all(side in err for side in ("government", "hts", "hezbollah"))
    assert not (tmp_path / "m.png").exists()


def test_render_adds_png_to_a_name_without_a_suffix_and_makes_missing_folders(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(["render", TINY, "-o", str(tmp_path / "new" / "map"), "--size", "400x300"], capsys)
    assert code == 0, err
    png = tmp_path / "new" / "map.png"
    assert out.strip() == str(png) and png.read_bytes()[:8] == PNG_SIGNATURE
    assert [p.name for p in png.parent.iterdir()] == ["map.png"]  # no temporary file left behind


def test_render_does_not_write_over_a_file_that_is_not_a_png(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.png"
    notes.write_text("my notes, not an image\n", encoding="utf-8")
    code, _, err = call(["render", TINY, "-o", str(notes)], capsys)
    assert code == 2 and str(notes) in err
    assert notes.read_text(encoding="utf-8") == "my notes, not an image\n"
    before = Path(TINY).read_bytes()
    assert call(["render", TINY, "-o", TINY], capsys)[0] == 2
    assert Path(TINY).read_bytes() == before


def test_an_interrupted_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    old = tmp_path / "map.png"
    old.write_bytes(PNG_SIGNATURE + b"old map")
    with pytest.raises(RuntimeError), atomic_output(output_path(str(old), (".png",))) as fh:
        fh.write(PNG_SIGNATURE + b"half")
        raise RuntimeError("killed half way")
    assert old.read_bytes() == PNG_SIGNATURE + b"old map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]
    with atomic_output(old) as fh:
        fh.write(PNG_SIGNATURE + b"new map")
    assert old.read_bytes() == PNG_SIGNATURE + b"new map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere")
def test_render_into_a_read_only_folder_is_refused_before_the_work(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, _, err = call(["render", TINY, "-o", str(locked / "map.png")], capsys)
    assert code == 2 and str(locked) in err and list(locked.iterdir()) == []


def test_a_folder_the_user_cannot_write_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check root skips above, with the permission answer faked (root may write anywhere)."""
    monkeypatch.setattr("game.sim.outfiles.os.access", lambda *_: False)
    with pytest.raises(OutputError, match=re.escape(str(tmp_path))):
        output_path(str(tmp_path / "new" / "map.png"), (".png",))


@pytest.mark.parametrize("text", ["", "out/", "/dev/full", "map.jpg", "map.PNG.txt"])
def test_output_path_refuses_what_it_cannot_own(text: str, tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        output_path(text, (".png",))


def test_shared_argument_types_take_the_edges_and_refuse_beyond() -> None:
    assert argtypes.seed("0") == 0 and argtypes.seed(str(argtypes.SEED_MAX)) == argtypes.SEED_MAX
    assert argtypes.turns(1)("10000") == 10_000 and argtypes.image_size("200X8192") == (200, 8192)
    assert argtypes.finite_number(0.5, 3.0)("3") == 3.0 and argtypes.positive_count(4)("4") == 4
    for parse, text in [(argtypes.seed, str(argtypes.SEED_MAX + 1)), (argtypes.turns(1), "10001"),
                        (argtypes.positive_count(4), "5"), (argtypes.finite_number(0.5, 3.0), "-0"),
                        (argtypes.image_size, "199x300"), (argtypes.whole_number(0, 9), "")]:
        with pytest.raises(Exception, match="expected|out of range"):
            parse(text)


def test_run_with_more_turns_than_the_game_has_stops_at_its_end(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(["run", TINY, "--turns", "10000"], capsys)
    assert code == 0 and out.startswith("Tiny Homs: 6 turns") and out.count("\nTurn ") <= 6


# --- the real process: pipes and closed standard streams -------------------------------------------------------

def _env() -> dict[str, str]:
    return {**os.environ, "SDL_VIDEODRIVER": "dummy", "JUNCTION_HEADLESS": "1", "PYTHONPATH": str(ROOT)}


def test_output_closed_early_ends_quietly(tmp_path: Path) -> None:
    """`python main.py schema | head -c 1`: the reader is gone before the first write."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "schema"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=tmp_path, env=_env())
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) != 0
    assert "Traceback" not in err and "Exception ignored" not in err, err


@pytest.mark.parametrize("closed", ["<&-", ">&- 2>&-"])
def test_closed_standard_streams_are_not_a_crash(closed: str, tmp_path: Path) -> None:
    script = f'exec "{sys.executable}" "{ROOT / "main.py"}" validate "{TINY}" {closed}'
    proc = subprocess.run(["sh", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=_env(),
                          timeout=60)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    if ">&-" not in closed:
        assert "tiny.yaml: ok" in proc.stdout


def test_a_usage_error_in_the_real_process(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "run", TINY, "--seed", "-1"], capture_output=True,
                          text=True, cwd=tmp_path, env=_env(), timeout=60)
    assert proc.returncode == 2 and "error: argument --seed" in proc.stderr and "Traceback" not in proc.stderr


def test_run_says_when_the_scenario_ends_before_turns(capsys: pytest.CaptureFixture[str]) -> None:
    """--turns beyond the scenario's last turn plays to that turn, and says so instead of stopping unexplained."""
    assert main(["run", TINY, "--turns", "9"]) == 0
    captured = capsys.readouterr()
    assert "the scenario ends after 6 turns" in captured.err
    assert ": 6 turns, seed" in captured.out
    assert main(["run", TINY, "--turns", "2"]) == 0
    assert "ends after" not in capsys.readouterr().err
