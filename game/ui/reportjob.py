"""The after-action report of the game at the desk (the game-over screen's button): the order log written,
then `game.report.aar.write_report` from it, in a worker thread (it takes seconds), the file beside the log;
and opening it in the browser, with a message where there is none. No pygame here."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path
from typing import Any

from . import orderlog, savetext
from .session import Session


class ReportJob:
    """Writes the report; `done()` once it is written (`out`) or failed (`error`, for people)."""

    def __init__(self, session: Session, background: bool = True, folder: Path | None = None) -> None:
        self.out: Path | None = None
        self.error = ""
        savetext.WRITER.wait()  # an autosave or a log being written finishes first
        try:
            self.log = orderlog.write_log(session, folder)
        except (OSError, ValueError) as exc:
            self.error, self.log = str(exc), Path()
        self._thread: threading.Thread | None = None
        if self.error:
            return
        if background:
            self._thread = threading.Thread(target=self.run, name="report", daemon=True)
            self._thread.start()
        else:
            self.run()

    def run(self) -> None:
        from game.report.aar import write_report

        try:
            self.out = write_report(self.log, orderlog.report_path(self.log))
        except Exception as exc:  # noqa: BLE001 - any failure is told to the player, the game goes on
            self.error = f"{type(exc).__name__}: {exc}"

    def done(self) -> bool:
        return self._thread is None or not self._thread.is_alive()


def open_in_browser(app: Any, path: Path) -> bool:
    """Open the report in the system's browser; a message saying where it is when none opens."""
    try:
        opened = webbrowser.open(path.resolve().as_uri())
    except Exception:  # noqa: BLE001 - no browser, or one that fails to start
        opened = False
    if not opened:
        app.notify(f"No browser could be opened: the report is at {path}", "warn", 12)
    return opened
