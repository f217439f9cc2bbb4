"""The games the app plays: a scenario opened to its side set-up, a session started, autosaved at each
turn's end, saved, loaded (asking first when planned orders would be lost), and quitting (a mixin of
App, kept apart to keep each module small)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import saves
from .loading import load_scenario_file
from .session import Session

if TYPE_CHECKING:
    from .app import App

    _Base = App
else:
    _Base = object


class AppGames(_Base):
    """Games for App."""

    def new_game(self, path: str | Path) -> bool:
        """Load a scenario and go to the side set-up; a broken file shows its error instead."""
        from game.scenario import ScenarioError

        from .scenes.setup import SetupScene

        try:
            world, state = load_scenario_file(path)
        except (ScenarioError, OSError) as exc:
            self.notify(f"Cannot open {Path(path).name}: {exc}", "warn", 10)
            return False
        self.push(SetupScene(self, state, str(path)))
        return True

    def start_session(self, session: Session, loaded: bool = False) -> None:
        """Show the map for a session; autosave at the end of every turn. `loaded`: from a save, whose last
        turn's report the seats up to the current one have read before it was saved."""
        from .scenes.game import GameScene

        session.on_turn_end = self._autosave
        self.session = session
        self.replace(GameScene(self, session, read_up_to=session.seat_index if loaded else -1))

    def _autosave(self, session: Session) -> None:
        """Autosave at the end of every turn, encoded and written off the UI thread (tests: at once)."""
        def failed(message: str) -> None:
            session.unsaved = True
            self.notify(f"Autosave failed: {message}", "warn")

        try:
            saves.autosave(session, background=self.background, failed=failed)
        except saves.SaveError as exc:
            failed(str(exc))
        self.write_order_log(session)

    def write_order_log(self, session: Session) -> Path | None:
        """The game's order log, written again whole beside the saves (`report` and `replay` read it)."""
        from game.sim.log import LogError

        from . import orderlog

        try:
            return orderlog.write_log(session, background=self.background, failed=lambda m: self.notify(
                f"The order log could not be written: {m}", "warn", 8))
        except (LogError, OSError) as exc:
            self.notify(f"The order log could not be written: {exc}", "warn", 8)
            return None

    def ruled(self, session: Session) -> None:
        """An umpire's ruling: saved at once (an autosave) with the order log."""
        self._autosave(session)

    def save_game(self, path: Path | None = None) -> Path | None:
        if self.session is None:
            self.notify("No game to save.", "warn")
            return None
        try:
            out = saves.save_session(self.session, path)
        except saves.SaveError as exc:
            self.notify(str(exc), "warn", 8)
            return None
        self.notify(f"Game saved: {out}", "good")
        return out

    def load_game(self, path: Path, ask: bool = True) -> bool:
        """Load a save; on any problem the running game stays as it was and a message says why. Planned
        orders not yet saved are not thrown away without asking."""
        if ask and self.session is not None and self.session.has_unsaved_orders():
            from .scenes.dialogs import ConfirmScene

            self.push(ConfirmScene(self, f"Your planned orders are not saved (F5 saves them). Load {path.name} "
                                   "anyway and lose them?", [
                                       ("Keep playing", lambda: None, "primary"),
                                       ("Load anyway", lambda: self.load_game(path, ask=False), "danger")]))
            return False
        try:
            session = saves.load_session(path)
        except saves.SaveError as exc:
            self.notify(f"Not loaded: {exc}", "warn", 8)
            return False
        from .umpiredesk import restore_last

        restore_last(session)  # the save keeps the log, not the turn: the Report button shows it as before
        self.start_session(session, loaded=True)
        self.notify(f"Loaded {path.name}: turn {session.state.turn} ({session.state.date})", "good")
        return True

    def request_quit(self) -> None:
        """Close the game, asking first when planned orders would be lost."""
        if self.session is not None and self.session.has_unsaved_orders():
            from .scenes.dialogs import ConfirmScene

            if self.find(ConfirmScene) is None:
                self.push(ConfirmScene(self, "Your planned orders are not saved. Quit anyway?", [
                    ("Save and quit", lambda: self.save_game() is not None and self.stop(), "primary"),
                    ("Quit without saving", self.stop, "danger"),
                    ("Cancel", self.pop, None)]))
            return
        self.stop()
