"""A real window under Xvfb: `python main.py` driven by xdotool keys from the title to the map,
one turn ended, screenshots taken (F12 in the game and `import` from ImageMagick)."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

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
    """`python main.py` in a subprocess, with its trace lines readable as they come."""

    def __init__(self, display: str, tmp: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER", "WAYLAND_DISPLAY")}
        env.update(DISPLAY=display, JUNCTION_TRACE="1", JUNCTION_DATA_DIR=str(tmp / "data"),
                   JUNCTION_CONFIG_DIR=str(tmp / "config"), SDL_AUDIODRIVER="dummy")
        self.env = env
        self.proc = subprocess.Popen([sys.executable, "main.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def wait_for(self, prefix: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.seen.append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"never saw {prefix!r}; output so far: {self.seen}")

    def xdo(self, *args: str) -> str:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=20).stdout

    def key(self, name: str) -> None:
        wid = self.xdo("search", "--sync", "--pid", str(self.proc.pid)).split()[0]
        self.xdo("windowfocus", "--sync", wid)
        self.xdo("key", "--delay", "50", name)

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
