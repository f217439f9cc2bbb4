"""`python main.py replay LOG --view [--team T]`: the desktop window opened on the replay viewer (over the
title screen, which Close returns to). A damaged log is shown in a dialog, as when opened from the title."""

from __future__ import annotations

import sys

from . import saves
from .launch import has_display, main_loop, open_window
from .settings import load_settings


def replay_window(path: str, team: str | None = None) -> int:
    """Open the window on the log's replay; exit code 2 with a message where no window can be opened."""
    import pygame

    from .app import App
    from .scenes.replayopen import open_replay
    from .scenes.title import TitleScene

    if not has_display():
        print("error: replay --view needs a display (DISPLAY and WAYLAND_DISPLAY are unset); "
              "'python main.py replay LOG' checks a log without one", file=sys.stderr)
        return 2
    settings, messages = load_settings()
    saves.clean_temp_files()
    try:
        screen = open_window(settings)
    except pygame.error as exc:
        print(f"error: cannot open a window ({exc})", file=sys.stderr)
        return 2
    app = App(screen, settings, messages)
    app.push(TitleScene(app))
    open_replay(app, path, team)
    return main_loop(app)
