"""The after-action report from the desk (the game-over screen's button, or the menu's mid-game for a
debrief when time is up): written in a worker thread while this box says so, then where it is and an
offer to open it in the browser."""

from __future__ import annotations

from typing import Any

import pygame

from ..reportjob import ReportJob, open_in_browser
from . import widgets as w
from .dialogs import ConfirmScene, Dialog


class AarScene(Dialog):
    name = "aar"
    width, height = 620, 220
    close_keys = ()

    def __init__(self, app: Any, session: Any) -> None:
        super().__init__(app)
        self.session = session
        self.job: ReportJob | None = None

    def enter(self) -> None:
        super().enter()
        self.job = ReportJob(self.session, self.app.background)

    def busy(self) -> bool:
        return True

    def update(self, dt: float) -> None:
        job = self.job
        if job is None or not job.done():
            return
        self.app.pop(self)
        if job.error:
            self.app.notify(f"The report could not be written: {job.error}", "warn", 10)
            return
        assert job.out is not None
        out = job.out
        self.app.trace(f"report written {out}")
        self.app.push(ConfirmScene(self.app, f"The after-action report is written: {out}", [
            ("Open it in the browser", lambda: open_in_browser(self.app, out), "primary"),
            ("Close", lambda: None, None)]))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        r = self.box()
        turns = len([r for r in self.session.log if r.get("type") == "turn"])
        text = (f"Writing the after-action report ({turns} turn{'s' if turns != 1 else ''} played): the map at the "
                "end of every turn, the orders, the umpire's rulings and the charts. This takes a few seconds.")
        w.paragraph(surface, text, r.inflate(-self.s(48), -self.s(48)), self.s(18), w.INK)
