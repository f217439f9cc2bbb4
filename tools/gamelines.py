"""Reading a game process's output line by line, for scripts and tests that drive `python main.py` in a
real window (tools/classroom_session.py, tests/ui/test_xvfb.py)."""

from __future__ import annotations

import queue
import subprocess
import time
from collections.abc import Callable


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
