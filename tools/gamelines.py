"""Reading a game process's output line by line, for scripts and tests that drive `python main.py` in a
real window (tools/classroom_session.py, tests/ui/test_xvfb.py)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_game(display: str, data: Path, args: tuple[str, ...], clean: Callable[[str], str]
               ) -> tuple[subprocess.Popen[str], dict[str, str], queue.Queue[str]]:
    """`python main.py ARGS` on X display `display`, tracing, with its data and settings under `data`: the
    process, its environment and a queue its output lines arrive in (each passed through `clean`)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=display, JUNCTION_TRACE="1", JUNCTION_DATA_DIR=str(data / "data"),
               JUNCTION_CONFIG_DIR=str(data / "config"), SDL_AUDIODRIVER="dummy")
    proc = subprocess.Popen([sys.executable, "main.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(clean(line))

    threading.Thread(target=read, daemon=True).start()
    return proc, env, lines


def wait_line(lines: queue.Queue[str], proc: subprocess.Popen[str], prefix: str, timeout: float,
              take: Callable[[str], None]) -> str | None:
    """The first line starting with `prefix` the game prints within `timeout` seconds (every line read is
    passed to `take` first); None when the time runs out or the game has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        take(line)
        if line.startswith(prefix):
            return line
    return None
