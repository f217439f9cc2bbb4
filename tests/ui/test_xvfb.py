"""A real window under Xvfb: `python main.py` driven by xdotool keys from the title to the map, one turn
ended and screenshots taken (F12 in the game and `import` from ImageMagick); and a two-player hotseat
game played to its end with held keys and double presses, the hand-off screen appearing every time."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tools.gamelines import start_game, wait_line

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.xvfb]


def free_display() -> int:
    for n in range(99, 140):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    pytest.skip("no free X display number")


@pytest.fixture
def xvfb():
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    if shutil.which("xdotool") is None:
        pytest.skip("xdotool is not installed (apt-get install xdotool)")
    n = free_display()
    proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.skip("Xvfb did not start")
        time.sleep(0.05)
    yield f":{n}"
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()


class Game:
    """`python main.py [args]` in a subprocess, with its trace lines readable as they come."""

    def __init__(self, display: str, tmp: Path, *args: str) -> None:
        self.proc, self.env, self.lines = start_game(display, tmp, args, str.strip)
        self.seen: list[str] = []

    def wait_for(self, prefix: str, timeout: float = 30) -> str:
        line = wait_line(self.lines, self.proc, prefix, timeout, self.seen.append)
        if line is not None:
            return line
        raise AssertionError(f"never saw {prefix!r}; output so far: {self.seen}")

    def quiet_for(self, prefix: str, seconds: float) -> None:
        """Fail if a line starting with `prefix` comes within `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(line)
            assert not line.startswith(prefix), f"unexpected {line!r}; output so far: {self.seen}"

    def xdo(self, *args: str) -> str:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=20).stdout

    def focus(self) -> None:
        wid = self.xdo("search", "--sync", "--pid", str(self.proc.pid)).split()[0]
        self.xdo("windowfocus", "--sync", wid)

    def key(self, *names: str, delay: int = 50) -> None:
        """Press and release keys one after another, `delay` ms apart."""
        self.focus()
        self.xdo("key", "--delay", str(delay), *names)

    def hold(self, name: str, seconds: float) -> None:
        """Keep a key down (so it repeats), then let it go."""
        self.focus()
        self.xdo("keydown", name)
        time.sleep(seconds)
        self.xdo("keyup", name)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def is_blank(path: Path) -> bool:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    img = pygame.image.load(str(path))
    w, h = img.get_size()
    xs, ys = range(0, w, max(1, w // 40)), range(0, h, max(1, h // 40))
    colours = {tuple(img.get_at((x, y)))[:3] for x in xs for y in ys}
    return len(colours) < 8


def test_play_a_turn_in_a_real_window(xvfb, tmp_path):
    game = Game(xvfb, tmp_path)
    try:
        game.wait_for("shown title")
        game.key("Return")
        game.wait_for("shown picker")
        game.key("Return")
        game.wait_for("shown setup")
        game.key("Return")
        game.wait_for("shown game")
        game.key("Return")
        game.wait_for("shown confirm")
        time.sleep(0.5)
        game.key("Return")
        game.wait_for("turn 1 resolved")
        game.wait_for("scene report")
        game.key("F12")
        shot = Path(game.wait_for("screenshot ").split(" ", 1)[1])
        assert shot.is_file() and not is_blank(shot)
        if shutil.which("import"):
            root = tmp_path / "root.png"
            subprocess.run(["import", "-window", "root", str(root)], env=game.env, timeout=30, check=True)
            assert root.is_file() and not is_blank(root)
    finally:
        game.stop()


def short_hotseat(tmp: Path) -> Path:
    """The small test scenario cut to two turns, and settings that never ask before End turn."""
    text = (ROOT / "tests" / "data" / "good" / "tiny.yaml").read_text(encoding="utf-8")
    path = tmp / "short.yaml"
    text = re.sub(r"by_turn: \d+", "by_turn: 2", text.replace("turns: 6", "turns: 2"))
    path.write_text(text, encoding="utf-8")
    (tmp / "config").mkdir(parents=True, exist_ok=True)
    (tmp / "config" / "settings.json").write_text('{"confirm_end_turn": false, "animation_speed": 2.0}')
    return path


ARM = 0.9
"""Seconds to wait before a key meant for a screen just shown (it ignores Enter for a moment)."""


def test_a_hotseat_game_to_its_end_with_held_keys_and_double_presses(xvfb, tmp_path):
    game = Game(xvfb, tmp_path, str(short_hotseat(tmp_path)))
    try:
        game.wait_for("shown setup")
        game.key("2")  # the second faction is played by a human too: hotseat
        time.sleep(0.3)
        game.hold("Return", 1.2)  # Enter held: starts the game, and its repeats must not end the first turn
        game.wait_for("shown handoff")
        game.quiet_for("turn 1 resolved", 1.0)
        for turn in (1, 2):
            for seat in (1, 2):
                time.sleep(ARM)
                game.key("Return")  # the player at the keyboard is ready
                if turn > 1:
                    game.wait_for("shown report")  # each player reads the last turn's report
                    time.sleep(ARM)
                    game.key("Return")
                game.wait_for("shown game")
                time.sleep(0.3)
                game.key("Return", "Return", delay=40)  # a double press on End turn
                if seat == 1:
                    game.wait_for("shown handoff")  # the second press did not skip the hand-off
                    game.quiet_for("shown game", 1.0)
            game.wait_for(f"turn {turn} resolved", 30)
            if turn == 1:
                game.wait_for("shown handoff")
        game.wait_for("shown gameover", 30)
    finally:
        game.stop()
