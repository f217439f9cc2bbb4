"""`simulate`'s own arguments and output paths: hostile values get one `error:` line naming the argument
(exit 2) before any batch starts; a write that fails at the end is reported and loses nothing."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from game.sim import batch_cli
from game.sim.batch_cli import simulate_main

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / "tests" / "data" / "good" / "tiny.yaml")
HOMS = str(ROOT / "scenarios" / "homs_junction.yaml")
QUICK = ["--runs", "2", "--turns", "1", "--workers", "1", "--quiet"]


def no_batch(*_: object, **__: object) -> None:
    raise AssertionError("the batch started")


def error_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The one error line of a run that must fail with exit code 2."""
    code = simulate_main(argv, plot=lambda doc, world, path: None)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(("option", "value"), [
    (option, value)
    for option in ("--runs", "--turns", "--seed", "--workers")
    for value in ("nan", "inf", "-inf", "-1", "1e3", "2.5", "9" * 30, "9" * 5000, "", "many")
] + [("--runs", "0"), ("--runs", "100001"), ("--turns", "0"), ("--turns", "10001"), ("--workers", "0"),
     ("--workers", "100000"), ("--seed", str(2**63))])
def test_bad_numbers_name_the_argument(option: str, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    given = {"--runs": "2", "--turns": "1", "--workers": "1", option: value}
    err = error_of([TINY, "--quiet", *[x for kv in given.items() for x in kv]], capsys)
    assert f"argument {option}:" in err
    assert len(err) < 300


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "many"])
def test_bad_key_value(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert "argument --key-value:" in error_of([TINY, *QUICK, "--key-value", value], capsys)


@pytest.mark.parametrize(("args", "named"), [
    (["--set", "patrons.russia.support.air=.nan"], "--set patrons.russia.support.air=.nan"),
    (["--set", "patrons.russia.support.air=nan"], "--set patrons.russia.support.air=nan"),
    (["--set", "patrons.russia.support.air=-.inf"], "--set patrons.russia.support.air=-.inf"),
    (["--set", "patrons.russia.support.air=1e999"], "--set patrons.russia.support.air=1e999"),
    (["--set", "patrons.russia.support.air=-1"], "--set patrons.russia.support.air=-1"),
    (["--set", "patrons.russia.support.air=1.0e+300"], "--set patrons.russia.support.air=1.0e+300"),
    (["--set", "meta.seed=-3"], "--set meta.seed=-3"),
    (["--set", "meta.turns=100000000"], "--set meta.turns=100000000"),
    (["--sweep", "patrons.russia.support.air=0,.inf"], "--sweep patrons.russia.support.air=.inf"),
    (["--sweep", "patrons.russia.support.air=0.5,-2"], "--sweep patrons.russia.support.air=-2"),
])
def test_bad_override_values_name_the_argument(args: list[str], named: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert named in error_of([HOMS, *QUICK, *args], capsys)


def test_exponent_without_point_is_a_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    assert simulate_main([HOMS, *QUICK, "--set", "patrons.russia.support.air=5e-1", "--json", str(out)]) == 0
    capsys.readouterr()
    assert json.loads(out.read_text())["runs"] == 2


def test_outputs_are_checked_before_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(batch_cli, "load_data", no_batch)
    folder = tmp_path / "out"
    folder.mkdir()
    cases = [
        (["--json", str(folder)], "--json", "is a folder"),
        (["--csv", str(tmp_path / "out") + "/"], "--csv", "is a folder"),
        (["--json", str(tmp_path / "missing" / "r.json")], "--json", "no folder"),
        (["--csv", str(tmp_path / "file.txt" / "r.csv")], "--csv", "not a folder"),
        (["--plot", str(tmp_path / "r.jpg")], "--plot", ".png, .svg or .pdf"),
        (["--plot", str(tmp_path / "r")], "--plot", ".png, .svg or .pdf"),
        (["--json", TINY], "--json", "scenario file"),
        (["--json", str(tmp_path / "a"), "--csv", str(tmp_path / "a")], "--csv", "same file as --json"),
        (["--json", ""], "--json", "empty file name"),
    ]
    (tmp_path / "file.txt").write_text("x")
    for args, option, words in cases:
        err = error_of([TINY, *QUICK, *args], capsys)
        assert option in err and words in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "out"]


@pytest.mark.parametrize(("option", "name", "content"), [
    ("--json", "other.yaml", b"meta: {title: Another scenario}\n"),  # a scenario that is not the one played
    ("--json", "game.jsonl", b'{"type":"header","format":"junction-log","version":2}\n'),
    ("--json", "mine.json", b'{"mine": 1}\n'),
    ("--csv", "notes.csv", b"name,phone\n"),
    ("--plot", "photo.png", b"\xff\xd8\xff\xe0 a JPEG named .png"),
    ("--plot", "paper.pdf", b"not a PDF\n"),
])
def test_a_file_simulate_did_not_write_is_never_overwritten(option: str, name: str, content: bytes, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(batch_cli, "load_data", no_batch)
    target = tmp_path / name
    target.write_bytes(content)
    err = error_of([TINY, *QUICK, option, str(target)], capsys)
    assert f"{option} {target}" in err and "not writing over it" in err
    assert target.read_bytes() == content and [p.name for p in tmp_path.iterdir()] == [name]


def test_simulate_writes_over_its_own_earlier_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, table = tmp_path / "r.json", tmp_path / "r.csv"
    (tmp_path / "empty.json").touch()
    for _ in range(2):
        assert simulate_main([TINY, *QUICK, "--json", str(out), "--csv", str(table)]) == 0
    assert simulate_main([TINY, *QUICK, "--json", str(tmp_path / "empty.json")]) == 0
    capsys.readouterr()
    assert json.loads(out.read_text())["runs"] == 2 and table.read_text().startswith("variant,run,seed")


def unwritable_folder(tmp_path: Path) -> Path | None:
    """A folder where no file can be made: a read-only one, or (as root, who ignores that) a read-only
    file system."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    for folder in (locked, Path("/sys")):
        try:
            with tempfile.NamedTemporaryFile(dir=folder):
                pass
        except OSError:
            return folder
    return None


def test_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(batch_cli, "load_data", no_batch)
    try:
        folder = unwritable_folder(tmp_path)
        if folder is None:
            pytest.skip("no unwritable folder to try here")
        err = error_of([TINY, *QUICK, "--json", str(folder / "junction-r.json")], capsys)
        assert "--json" in err and "cannot write there" in err
    finally:
        (tmp_path / "locked").chmod(0o700)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_full_device_at_write_time_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "r.csv"
    code = simulate_main([TINY, *QUICK, "--json", "/dev/full", "--csv", str(table)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "Victory results" in out
    assert err.startswith("error: --json /dev/full: could not write it") and "Traceback" not in err
    assert table.read_text().startswith("variant,run,seed")


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "r.json"
    old.write_text('{"version": 1, "note": "an earlier batch", "scenario": "tiny.yaml", "runs": 5}\n')

    def broken_plot(doc: object, world: object, path: str) -> None:
        Path(path).write_text("half a pic")
        raise OSError(28, "No space left on device")

    plot = tmp_path / "r.png"
    plot.write_bytes(b"\x89PNG\r\n\x1a\nold png")
    code = simulate_main([TINY, *QUICK, "--json", str(old), "--plot", str(plot)], plot=broken_plot)
    err = capsys.readouterr().err
    assert code == 2 and "--plot" in err and "No space left on device" in err
    assert json.loads(old.read_text())["runs"] == 2
    assert plot.read_bytes() == b"\x89PNG\r\n\x1a\nold png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "r.png"]


def test_turns_past_the_end_of_the_game_add_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    short, long = tmp_path / "short.json", tmp_path / "long.json"
    base = [TINY, "--runs", "3", "--workers", "1", "--quiet", "--seed", "5"]
    assert simulate_main([*base, "--json", str(short)]) == 0
    assert simulate_main([*base, "--turns", "5000", "--json", str(long)]) == 0
    err = capsys.readouterr().err
    assert "--turns 5000" in err and "ends after 6 turns" in err
    a, b = (json.loads(p.read_text()) for p in (short, long))
    for doc in (a, b):
        doc.pop("seconds")
    assert a == b
    assert long.stat().st_size < 100_000
    assert len(b["places"]["homs"]["fallen_by_turn"]) == 6


def test_workers_are_capped_at_the_cores(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[int] = []

    def fake_local(spec: object, seed: int, runs: int, workers: int, progress: object) -> object:
        seen.append(workers)
        return batch_cli.BatchRun(requested=runs)

    monkeypatch.setattr(batch_cli, "run_local", fake_local)
    monkeypatch.setattr(batch_cli, "usable_cores", lambda: 2)
    assert simulate_main([TINY, "--runs", "2", "--turns", "1", "--quiet", "--workers", "64"]) == 0
    assert "note: --workers 64" in capsys.readouterr().err
    assert simulate_main([TINY, "--runs", "2", "--turns", "1", "--quiet", "--workers", "2"]) == 0
    assert "note" not in capsys.readouterr().err
    assert seen == [2, 2]


def test_ctrl_c_during_start_up_is_quiet(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(_: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_cli, "load_data", interrupted)
    assert simulate_main([TINY, "--runs", "2"]) == 130
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_a_closed_stdout_still_writes_the_files(tmp_path: Path) -> None:
    """`simulate … | head`: the reader goes away; the report is dropped, the JSON is written, exit 0."""
    import subprocess
    import sys

    out = tmp_path / "r.json"
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "simulate", TINY, *QUICK, "--json", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert err == ""
    assert json.loads(out.read_text())["runs"] == 2


def test_one_label_for_two_values_reads_once(capsys: pytest.CaptureFixture[str]) -> None:
    err = error_of([TINY, *QUICK, "--sweep", "meta.turns=2,3", "--label", "short"], capsys)
    assert "--label given once for 2 sweep values" in err


def test_a_json_error_says_where_in_the_line(tmp_path: Path) -> None:
    """json's own message for an unterminated string stops at 'starting at'; ours gives the column."""
    from game.sim.files import FileProblem, parse_json

    with pytest.raises(FileProblem) as caught:
        parse_json('{"turns": "x', "plan.json")
    assert str(caught.value).endswith("starting at column 11)"), str(caught.value)
    with pytest.raises(FileProblem) as caught:
        parse_json('{"turns": 1,\n}', "plan.json")
    assert str(caught.value).startswith("plan.json:2: ") and "at column 1)" in str(caught.value)
