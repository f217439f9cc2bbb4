"""The files around the game: the load dialog survives whatever lies in the saves folder (a dangling link, a
FIFO, a folder, deep nesting); a corrupt settings.json is set aside once and the game starts on the defaults;
writes are atomic and temporary files a killed process left behind are cleaned at the next start."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pygame
import pytest

from game.sim import files
from game.ui import saves
from game.ui.saves import list_saves, save_session
from game.ui.settings import Settings, load_settings, save_settings
from tests.ui.conftest import click, game_app, press, press_button, settle

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_SAVES = ["dangling link", "FIFO", "folder", "nested", "5,000 digits", "bad UTF-8", "empty", "unreadable"]


def plant(folder: Path, kind: str) -> Path:
    """One hostile `*.json` entry in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind.replace(' ', '_').replace(',', '')}.json"
    if kind == "dangling link":
        path.symlink_to(folder / "gone.json")
    elif kind == "FIFO":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "nested":
        path.write_text("[" * 200_000 + "]" * 200_000)
    elif kind == "5,000 digits":
        path.write_text('{"format": "junction-session", "version": ' + "7" * 5000 + "}")
    elif kind == "bad UTF-8":
        path.write_bytes(b'{"format": "junction-session", "summary": {"title": "\xc3\x28"}}')
    elif kind == "empty":
        path.write_bytes(b"")
    else:
        path.write_text("{}")
        path.chmod(0)
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_the_load_list_names_each_broken_entry_and_never_blocks(state) -> None:
    from tests.ui.test_saves import session

    good = save_session(session(state))
    planted = [plant(saves.saves_dir(), kind) for kind in HOSTILE_SAVES]
    infos = {i.path.name: i for i in list_saves()}
    assert not infos[good.name].problem
    for path in planted:
        info = infos[path.name]
        if path.name == "unreadable.json" and os.access(path, os.R_OK):
            continue  # running as root: the file can be read after all
        assert info.problem and "\n" not in info.label() and len(info.label()) < 300, path.name
    assert "FIFO" in infos["FIFO.json"].problem and "missing" in infos["dangling_link.json"].problem
    assert saves.latest_save() == good


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_the_load_dialog_draws_them_and_a_click_on_one_keeps_the_game(app, state) -> None:
    from game.ui.scenes.dialogs import LoadScene

    game = game_app(app, state)
    for kind in HOSTILE_SAVES:
        plant(saves.saves_dir(), kind)
    before = app.session
    press(app, pygame.K_ESCAPE)
    press_button(app, "Load game")
    assert isinstance(app.top, LoadScene) and len(app.top.infos) == len(HOSTILE_SAVES)
    settle(app)
    k = next(i for i, info in enumerate(app.top.infos) if info.path.name == "FIFO.json")
    click(app, app.top.list.row_rect(k).center)
    settle(app)
    assert app.session is before and app.top is game
    assert any(t[0].startswith("Not loaded: FIFO.json") for t in app.toasts)


def test_a_save_is_written_atomically_and_the_folder_is_synced(state, monkeypatch) -> None:
    from tests.ui.test_saves import session

    synced: list[Path] = []
    real = files.sync_folder
    monkeypatch.setattr(files, "sync_folder", lambda folder: (synced.append(folder), real(folder)))
    path = save_session(session(state))
    assert synced == [path.parent]
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    plain = path.parent / "plain"
    plain.write_text("")
    assert path.stat().st_mode == plain.stat().st_mode, "a save gets a plain file's permissions"


def test_a_failed_write_leaves_the_old_save_and_no_temporary_file(state, monkeypatch) -> None:
    from tests.ui.test_saves import session

    s = session(state)
    path = save_session(s)
    good = path.read_bytes()

    def full(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "commit", full)
    with pytest.raises(saves.SaveError, match="No space left"):
        save_session(s)
    assert path.read_bytes() == good and [p.name for p in path.parent.iterdir()] == [path.name]


def test_only_our_own_old_temporary_files_are_cleaned(tmp_path: Path) -> None:
    old = time.time() - 3600
    names = {
        ".quicksave-k2j4h5g6.tmp": True,  # the earlier pattern, old: removed
        ".quicksave.json-0a1b2c3d.tmp": True,  # today's pattern, old: removed
        ".autosave-20250101-101010-000001-t003.json-ffffffff.tmp": True,
        ".quicksave.json-12345678.tmp.keep": False,  # not our pattern
        "quicksave-k2j4h5g6.tmp": False,  # not hidden: not ours
        ".quicksave-short.tmp": False,  # wrong random part
        "notes.tmp": False,
    }
    for name in names:
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (old, old))
    (tmp_path / ".fresh.json-abcdefgh.tmp").write_text("being written right now")
    (tmp_path / ".linked.json-abcdefgh.tmp").symlink_to(tmp_path / "notes.tmp")
    os.utime(tmp_path / ".linked.json-abcdefgh.tmp", (old, old), follow_symlinks=False)
    removed = {p.name for p in files.clean_temp_files(tmp_path)}
    assert removed == {n for n, gone in names.items() if gone}
    left = {p.name for p in tmp_path.iterdir()}
    assert ".fresh.json-abcdefgh.tmp" in left and ".linked.json-abcdefgh.tmp" in left and "notes.tmp" in left
    assert files.clean_temp_files(tmp_path / "missing") == []


WRITER = """
import json, sys
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from game.sim.files import write_json_atomic
path, n = Path(sys.argv[1]), 0
print("ready", flush=True)
while True:
    n += 1
    write_json_atomic(path, {"n": n, "pad": ["x" * 200] * 2000})
"""


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_kill_9_mid_write_never_damages_the_save_and_the_next_start_cleans_up(tmp_path: Path) -> None:
    """Seeded: 12 writers killed at random moments; the file is always the old or a new complete one."""
    rng = random.Random(5)
    path = tmp_path / "quicksave.json"
    files.write_json_atomic(path, {"n": 0})
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(ROOT)], stdout=subprocess.PIPE)
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert isinstance(json.loads(path.read_text())["n"], int)
    for tmp in tmp_path.glob(".*.tmp"):
        os.utime(tmp, (time.time() - 3600,) * 2)
    files.clean_temp_files(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["quicksave.json"]


# --- settings

BROKEN_SETTINGS: dict[str, bytes] = {
    "bad UTF-8": b'{"ui_scale": "\xff"}',
    "not JSON": b"{{{",
    "a 5,000-digit number": b'{"ui_scale": ' + b"9" * 5000 + b"}",
    "deep nesting": b'{"ui_scale": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "NaN": b'{"ui_scale": NaN}',
    "1e999": b'{"window_width": 1e999}',
    "not an object": b"[1, 2]",
    "null": b"null",
    "empty": b"",
    "huge": b" " * (2 * 1024 * 1024),
}

WRONG_VALUES = {"ui_scale": "big", "window_width": 10, "fullscreen": "yes", "animation_speed": -3, "colour_blind": 1}


@pytest.mark.parametrize("name", list(BROKEN_SETTINGS))
def test_a_corrupt_settings_file_is_set_aside_once_and_the_defaults_used(isolated_dirs: Path, name: str) -> None:
    folder = isolated_dirs / "config"
    folder.mkdir()
    path = folder / "settings.json"
    path.write_bytes(BROKEN_SETTINGS[name])
    got, messages = load_settings()
    assert got == Settings() and len(messages) == 1
    assert str(path) in messages[0] and "set aside as settings.json.broken-" in messages[0]
    kept = [p for p in folder.iterdir() if p.name.startswith("settings.json.broken-")]
    assert len(kept) == 1 and kept[0].read_bytes() == BROKEN_SETTINGS[name]
    assert load_settings() == (Settings(), [])


@pytest.mark.parametrize("kind", ["FIFO", "folder"])
def test_a_settings_path_that_is_not_a_file_is_set_aside(isolated_dirs: Path, kind: str) -> None:
    folder = isolated_dirs / "config"
    folder.mkdir()
    path = folder / "settings.json"
    os.mkfifo(path) if kind == "FIFO" else path.mkdir()
    got, messages = load_settings()
    assert got == Settings() and len(messages) == 1 and str(path) in messages[0]
    assert load_settings() == (Settings(), [])


def test_wrong_values_keep_the_good_ones_and_the_player_is_told_once(isolated_dirs: Path) -> None:
    folder = isolated_dirs / "config"
    folder.mkdir()
    path = folder / "settings.json"
    text = json.dumps({**WRONG_VALUES, "window_height": 900, "unknown": [1]})
    path.write_text(text)
    got, messages = load_settings()
    assert got == Settings(window_height=900)
    assert len(messages) == len(WRONG_VALUES) + 1 and all(len(m) < 200 for m in messages)
    kept = [p for p in folder.iterdir() if p.name.startswith("settings.json.broken-")]
    assert len(kept) == 1 and kept[0].read_text() == text
    assert load_settings() == (Settings(window_height=900), [])


def test_an_unreadable_settings_folder_still_starts_on_the_defaults(isolated_dirs: Path) -> None:
    (isolated_dirs / "config").write_text("a file where the folder should be")
    got, messages = load_settings()
    assert got == Settings() and len(messages) == 1
    with pytest.raises(OSError):
        save_settings(Settings())


def main_py(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(JUNCTION_DATA_DIR=str(tmp_path / "data"), JUNCTION_CONFIG_DIR=str(tmp_path / "config"),
               SDL_VIDEODRIVER="dummy", JUNCTION_QUIT_AFTER_FIRST_FRAME="1", **extra)
    return subprocess.run([sys.executable, str(ROOT / "main.py")], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_game_starts_with_a_corrupt_settings_file_and_cleans_old_temporary_files(tmp_path: Path) -> None:
    data, config = tmp_path / "data" / "saves", tmp_path / "config"
    for folder in (data, config):
        folder.mkdir(parents=True)
        stale = folder / ".quicksave-k2j4h5g6.tmp"
        stale.write_text("{")
        os.utime(stale, (time.time() - 3600,) * 2)
    (config / "settings.json").write_bytes(BROKEN_SETTINGS["deep nesting"])
    out = main_py(tmp_path)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    assert out.stdout.strip().startswith("first map frame after ")
    assert [p.name.split("-")[0] for p in config.iterdir()] == ["settings.json.broken"]
    assert not list(data.glob("*.tmp"))


def test_the_player_sees_the_settings_notice_in_the_window(tmp_path: Path) -> None:
    from game.ui.app import App

    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode((1280, 800))
    (tmp_path / "settings.json").write_bytes(BROKEN_SETTINGS["bad UTF-8"])
    settings, messages = load_settings(tmp_path)
    app = App(screen, settings, messages, fps=0)
    assert [t[0] for t in app.toasts] == messages and app.toasts[0][2] == "warn"
