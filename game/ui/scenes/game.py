"""The map scene: plan orders for the sides at this desk, end the turn, watch it resolve, read the report.

Layout: a top bar (turn, date, whose orders, buttons), the map, a right-hand panel with three tabs
(orders, victory conditions, chart) and a status bar of the factions along the bottom. Drawing lives
in `gamedraw`, input in `gameinput`; this module holds the state of the desk and the turn's flow.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pygame

from game.engine import State
from game.engine.preview import AttackPreview

from ..livereload import LiveReload
from ..orders_panel import OrdersPanel
from ..palette import make_palette
from ..session import Seat, Session, TurnResult, side_name
from ..tutorial import Tutorial
from .animation import TurnAnimation, moving_rows
from .base import Scene
from .eventtext import Namer, report_lines, summary
from .gamedraw import GameDraw
from .gamefog import SeatFog, forget_drawn
from .gameinput import GameInput
from .gameplan import GamePlan
from .mapport import MODES, MapPort
from .planning import LegalCache
from .turnjob import TurnJob

if TYPE_CHECKING:
    from ..app import App

RGB = tuple[int, int, int]
GESTURE_SECONDS = 0.25
"""A zoom or pan counts as going on until this long after its last input: meanwhile the map reuses what it
drew (scaled, shifted) and draws itself sharp again once the gesture stops."""
MOST_UNORDERED = 0.5
"""End turn asks first when more than this share of the player's units have no order."""


class GameScene(SeatFog, GameDraw, GameInput, GamePlan, Scene):
    name = "game"
    opaque = True

    def __init__(self, app: App, session: Session, read_up_to: int = -1) -> None:
        """`read_up_to`: the last seat that has read the last turn's report already (a loaded game's)."""
        super().__init__(app)
        self.session = session
        self.port = MapPort(session.state.world, session.source, app.scale, self.palette_name())
        self.legal = LegalCache()
        self.names = Namer(session.state)
        self.selected: int | None = None
        self.active_side: str | None = None
        self.targeting: str | None = None
        self.mode = 0
        self.legend = False
        self.tab = "orders"
        self.anim: TurnAnimation | None = None
        self.job: TurnJob | None = None
        self.reported: set[int] = set(range(read_up_to + 1))
        self.cursor_msg: tuple[str, tuple[int, int], float] | None = None
        self.prompt: str | None = None
        self.flash: tuple[int, float] | None = None
        self.first_frame = True
        self.panel = OrdersPanel(self)
        self.cameras: dict[tuple[str, ...], tuple[float, float, float]] = {}
        self.gone_noted: set[str] = set()
        self._colours: list[RGB] = []
        self._previews: dict[tuple[str, str], AttackPreview] = {}
        self.gesture_until = 0.0
        self.sharpening: threading.Thread | None = None
        self.report_due = False
        self.live = LiveReload(self)
        self.tutorial = Tutorial.for_source(session.source)
        self.settings_changed()

    # --- names and colours

    @property
    def state(self) -> State:
        return self.session.state

    @property
    def resolving(self) -> bool:
        return self.job is not None

    def palette_name(self) -> str:
        return "tol" if self.app.settings.colour_blind else "okabe-ito"

    def settings_changed(self) -> None:
        world = self.state.world
        pal = make_palette([f.id for f in world.factions], [f.colour for f in world.factions], self.palette_name())
        self._colours = [pal.faction(i) for i in range(len(world.factions))]
        self.port.set_palette(self.palette_name())
        if hasattr(self.port.renderer, "set_ui_scale"):
            self.port.renderer.set_ui_scale(self.app.scale)

    def faction_rgb(self, i: int) -> RGB:
        return self._colours[i] if 0 <= i < len(self._colours) else (136, 136, 136)

    def side_rgb(self, side: str) -> RGB:
        wd = self.state.world
        if side in wd.faction_index:
            return self.faction_rgb(wd.faction_index[side])
        clients = wd.patrons[wd.patron_index[side]].clients
        return self.faction_rgb(wd.faction_index[clients[0]]) if clients and clients[0] in wd.faction_index \
            else (90, 90, 90)

    def short_name(self, side: str) -> str:
        wd = self.state.world
        return wd.factions[wd.faction_index[side]].short if side in wd.faction_index else side_name(self.state, side)

    def long_name(self, side: str) -> str:
        return side_name(self.state, side)

    def seat_title(self, seat: Seat) -> str:
        """A short name for a sitting: the faction's short name, the patron's name, or the team's."""
        return self.short_name(seat.sides[0]) if len(seat.sides) == 1 else seat.label

    def seat_detail(self, seat: Seat) -> str:
        return ", ".join(self.long_name(s) for s in seat.sides)

    # --- buttons

    def build(self) -> None:
        if hasattr(self.port.renderer, "set_ui_scale"):
            self.port.renderer.set_ui_scale(self.app.scale)
        r = self.layout()
        self.port.set_rect(r["map"])
        self.build_top(r["top"])
        self.panel.refresh(r["panel"])

    def set_tab(self, tab: str) -> None:
        self.tab = tab
        self.panel.scroll = 0
        self.refresh_panel()

    def refresh_panel(self) -> None:
        self._previews.clear()
        self.panel.refresh()
        self.app.dirty = True

    # --- seats (hotseat) and turn flow

    def enter(self) -> None:
        super().enter()
        self.live.start()
        if self.state.is_over:
            self.show_game_over()
        else:
            self.begin_seat()

    def leave(self) -> None:
        self.live.stop()
        super().leave()

    def handle(self, event: pygame.event.Event) -> bool:
        if self.live.handle(event):
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F2 and self.tutorial is not None:
            self.tutorial.toggle()
            self.app.dirty = True
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F7 and self.session.source:
            from .editor import EditorScene

            self.app.push(EditorScene(self.app, self.session.source))
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_p and self.anim is None and not self.resolving:
            from ..projector import show_projector

            return show_projector(self.app)
        return super().handle(event)

    def begin_seat(self) -> None:
        """A new sitting: the seat's own camera, no selection and, in a hotseat game, the map hidden until
        the player is ready. Sides that have nothing left to order are said to be out, once."""
        self.note_gone_sides()
        seat = self.session.current_seat()
        self.selected, self.targeting, self.prompt = None, None, None
        self.active_side = seat.sides[0] if seat else None
        self.restore_camera(seat)
        if self.fog_game():
            forget_drawn(self.port)
        self.rebuild()
        if self.session.is_hotseat() and seat is not None and not self.state.is_over:
            from ..session import pin_key
            from .pinhandoff import PinHandoffScene

            key, pins = pin_key(seat), self.session.pins
            self.app.push(PinHandoffScene(self.app, self.seat_title(seat), self.seat_ready, self.seat_detail(seat),
                                          pin_hash=pins.get(key, ""),
                                          set_pin=lambda h: pins.__setitem__(key, h)))
        else:
            self.seat_ready()

    def note_gone_sides(self) -> None:
        for side in self.session.eliminated_humans():
            if side not in self.gone_noted:
                self.gone_noted.add(side)
                self.app.notify(f"{self.long_name(side)} has no units left and is out of the game: "
                                "it gives no more orders.", "warn", 8)

    def seat_key(self, seat: Seat | None) -> tuple[str, ...]:
        return seat.sides if seat is not None else ()

    def save_camera(self) -> None:
        cam = self.port.camera
        self.cameras[self.seat_key(self.session.current_seat())] = (cam.cx, cam.cy, cam.scale / cam.fit_scale)

    def restore_camera(self, seat: Seat | None) -> None:
        """Each player of a hotseat game finds the map as they left it (the whole map the first time)."""
        saved = self.cameras.get(self.seat_key(seat))
        if saved is None and self.session.is_hotseat():
            self.port.fit()
        elif saved is not None:
            cam = self.port.camera
            cam.cx, cam.cy, cam.scale = saved[0], saved[1], saved[2] * cam.fit_scale
            self.port.moved = True

    def seat_ready(self) -> None:
        """The player of the current seat is at the keyboard: show them last turn's report once (in the next
        frame, so that no single frame both lays out the map and the report)."""
        if self.session.last is not None and self.session.seat_index not in self.reported:
            self.report_due = True

    def end_turn(self, confirmed: bool = False) -> None:
        if self.anim is not None or self.resolving:
            return
        if self.state.is_over:
            self.show_game_over()
            return
        if not confirmed and self.should_confirm_end():
            self.confirm_end()
            return
        self.save_camera()
        if self.session.is_hotseat() and not self.session.finish_seat():
            self.begin_seat()
            return
        self.targeting, self.prompt = None, None
        self.job = TurnJob(self.session, background=self.app.background, ahead=self.draw_turn_ahead)
        self.app.dirty = True

    def draw_turn_ahead(self, result: TurnResult) -> None:
        """In the turn's worker thread: draw the maps its playback will show (the old map without the units
        that move, then the new one), so that no frame of the playback waits for them."""
        if self.fog_game():
            return  # no playback in a fogged game, and no map of every side drawn ahead
        mode, side = MODES[self.mode], self.active_side
        if self.app.settings.animation_speed > 0:
            self.port.draw_ahead(result.before, mode, side, frozenset(moving_rows(result)))
        self.port.draw_ahead(result.after, mode, side)

    def unordered(self) -> tuple[int, int]:
        """(units of this seat without an order, all its units)."""
        units = self.own_units()
        done = sum(1 for u in units if self.session.order_for_unit(self.state.units[u].id) is not None)
        return len(units) - done, len(units)

    def should_confirm_end(self) -> bool:
        left, total = self.unordered()
        return self.app.settings.confirm_end_turn and total > 1 and left > total * MOST_UNORDERED

    def confirm_end(self) -> None:
        from .dialogs import ConfirmScene

        left, total = self.unordered()

        def never_ask() -> None:
            self.app.apply_settings(self.app.settings.with_changes(confirm_end_turn=False))
            self.end_turn(confirmed=True)

        self.app.push(ConfirmScene(self.app, f"{left} of your {total} units have no order: they will hold where "
                                   "they are. End the turn anyway?", [
                                       ("End turn", lambda: self.end_turn(confirmed=True), "primary"),
                                       ("End turn, don't ask again", never_ask, None),
                                       ("Keep planning", lambda: None, None)]))

    def gesture(self) -> None:
        """A zoom or pan is going on."""
        self.gesture_until = self.app.time + GESTURE_SECONDS

    def in_gesture(self) -> bool:
        return self.gesture_until > self.app.time

    def quick_map(self) -> bool:
        """Whether the map is drawn from what it last drew (scaled, shifted): during a gesture, and while the
        sharp map after it is drawn in a worker thread."""
        return self.in_gesture() or self.sharpening is not None

    def sharpen(self) -> None:
        """A gesture stopped: draw the map sharp again, in a worker thread when the app uses them (the
        scaled map stays on screen meanwhile, so no frame waits for it)."""
        if not self.app.background or self.anim is not None:
            self.app.dirty = True
            return
        state, mode, side = self.map_state(), MODES[self.mode], self.active_side
        self.sharpening = threading.Thread(target=lambda: self.port.draw_ahead(state, mode, side),
                                           name="map-sharpen", daemon=True)
        self.sharpening.start()

    def busy(self) -> bool:
        return self.resolving or self.anim is not None or self.cursor_msg is not None or \
            (self.flash is not None and self.flash[1] > self.app.time) or self.quick_map() or self.report_due

    def idle_work(self) -> bool:
        """While the player does nothing: draw ahead the other map modes and an overview of the map."""
        if self.anim is not None or self.resolving or not hasattr(self.port.renderer, "prepare"):
            return False
        modes = (MODES[self.mode],) + tuple(m for m in MODES if m != MODES[self.mode])
        return bool(self.port.prepare(self.map_state(), modes, self.active_side))

    def update(self, dt: float) -> None:
        self.live.update()
        if self.report_due and not self.covered:
            self.report_due = False
            self.show_report()
        if self.gesture_until and not self.in_gesture():
            self.gesture_until = 0.0
            self.sharpen()
        if self.sharpening is not None and not self.sharpening.is_alive() and not self.in_gesture():
            self.sharpening = None
            self.app.dirty = True
        if self.job is not None and self.job.done:
            job, self.job = self.job, None
            self.turn_resolved(job)
        if self.anim is not None:
            self.anim.update(dt)
            if self.anim.done:
                self.anim = None
                self.after_turn()
        if self.cursor_msg and self.cursor_msg[2] < self.app.time:
            self.cursor_msg = None
        if self.flash is not None and self.flash[1] < self.app.time:
            self.flash = None
            self.app.dirty = True

    def turn_resolved(self, job: TurnJob) -> None:
        if job.error is not None:
            self.app.notify(f"The turn could not be resolved: {job.error}", "warn", 10)
            return
        result = self.session.commit(job.result)
        self.notice("end_turn")
        self.app.trace(f"turn {result.before.turn} resolved")
        self.names = Namer(result.after, result.before)
        self.reported = set()
        self.selected = None
        self._previews.clear()
        if self.fog_game():
            self.after_turn()  # the playback would show every side's moves to whoever sits at the desk
            return
        self.anim = TurnAnimation(result, self.app.settings.animation_speed)
        self.rebuild()

    def after_turn(self) -> None:
        self.rebuild()
        if self.state.is_over:
            self.show_game_over()
        else:
            self.begin_seat()

    def show_report(self) -> None:
        last = self.session.last
        if last is None:
            return
        from .report import ReportScene

        seat = self.session.current_seat()
        viewer = seat.sides if seat is not None else None
        self.reported.add(self.session.seat_index)
        lines = self.turn_report(last.after, last.events) if self.fogged() else \
            report_lines(last.after, last.events, viewer, before=last.before)
        self.app.push(ReportScene(self.app, self, last.before, lines, summary(lines)))

    def open_umpire(self) -> None:
        """U: the umpire's console, behind the umpire's PIN (not while a turn plays out or resolves)."""
        if self.anim is not None or self.resolving:
            return
        from .umpire import open_console

        open_console(self.app, self.session, self.ruled)

    def ruled(self) -> None:
        """An umpire's ruling changed the game: the map and its names follow, the save and the log too."""
        self.names = Namer(self.state)
        self.selected, self.targeting, self.prompt = None, None, None
        self._previews.clear()
        self.rebuild()
        self.app.ruled(self.session)

    def show_game_over(self) -> None:
        from .gameover import GameOverScene

        self.app.push(GameOverScene(self.app, self))

    def notice(self, action: str) -> None:
        """Tell the tutorial (if the scenario has one) what the player just did; its card redraws."""
        if self.tutorial is not None and self.tutorial.notice(action):
            self.app.dirty = True
