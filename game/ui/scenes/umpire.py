"""The umpire's console at the desk (U, behind the umpire's PIN): a tab per ruling (fire a scripted inject,
write one, a place's controller, a support level, a rule, the last turn's combat result, a matrix-game
action) and the rulings on record. Forms are data (umpireforms.py); each ruling is applied on the record by
the desk umpire (umpiredesk.py), as the hosted console's are."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pygame
from pygame_gui.elements import UIDropDownMenu, UITextEntryLine

from game.report.narrate import Names, record_summary

from .. import umpiredesk
from ..umpireforms import Field, Form, forms
from . import widgets as w
from .dialogs import Dialog
from .editorpanel import entry_theme
from .pinhandoff import MAX_DIGITS, MIN_DIGITS, PinHandoffScene

RECORD_TAB = "record"


class UmpireScene(Dialog):
    """The console over the map; `changed` is called after each ruling (the map, the autosave, the log)."""

    name = "umpire"
    width, height = 1180, 760

    def __init__(self, app: Any, session: Any, changed: Callable[[], None], tab: str = "inject") -> None:
        super().__init__(app)
        self.session = session
        self.changed = changed
        self.tab = tab
        self.values: dict[str, dict[str, str]] = {}
        self.widgets: dict[str, tuple[Field, Any]] = {}
        self.labels: list[tuple[str, pygame.Rect]] = []
        self.message: tuple[str, w.RGB] | None = None
        self.card: dict[str, Any] | None = None
        """The ruling just made here, shown under its form (a matrix action with its dice)."""
        self.rows_bottom = 0
        self.forms = forms(session)
        self.record = w.ListView(pygame.Rect(0, 0, 1, 1), 15)

    @property
    def form(self) -> Form | None:
        return next((f for f in self.forms if f.id == self.tab), None)

    # --- layout

    def geometry(self) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect]:
        """(the box, the column of tabs, the form's area)."""
        r = self.box()
        pad, top = self.s(18), self.s(58)
        tabs = pygame.Rect(r.left + pad, r.top + top, self.s(170), r.height - top - pad)
        area = pygame.Rect(tabs.right + pad, r.top + top, r.right - pad - tabs.right - pad, r.height - top - pad)
        return r, tabs, area

    def build(self) -> None:
        r, tabs, area = self.geometry()
        self.widgets, self.labels = {}, []
        close_w = self.label_width("Close  Esc")
        self.button(pygame.Rect(r.right - self.s(18) - close_w, r.top + self.s(12), close_w, self.s(36)),
                    "Close  Esc", self.close, None, "Back to the map (Esc)")
        entries = [(f.id, f.tab) for f in self.forms] + [(RECORD_TAB, "On the record")]
        step = min(self.s(48), tabs.height // len(entries))
        for k, (tab, label) in enumerate(entries):
            self.button(pygame.Rect(tabs.left, tabs.top + k * step, tabs.width, step - self.s(8)), label,
                        self.tab_action(tab), "#on" if tab == self.tab else "#quiet")
        form = self.form
        if form is None:
            self.record.rect = pygame.Rect(area.left, area.top + self.s(6), area.width, area.height - self.s(6))
            self.record.size = self.s(15)
            self.record.rows = self.record_rows()
            return
        if form.note:
            self.trace_layout()
            return
        gap = self.s(6)
        row_h = max(self.s(28), min(self.s(38), (area.height - self.s(34) - self.s(56)) // len(form.rows) - gap))
        y = area.top + self.s(34)
        values = self.values.setdefault(form.id, {})
        for fields in form.rows:
            width = (area.width - gap * (len(fields) - 1)) // len(fields)
            for k, f in enumerate(fields):
                x = area.left + k * (width + gap)
                label_w = self.s(108)
                self.labels.append((f.label, pygame.Rect(x, y, label_w - self.s(6), row_h)))
                self.add_widget(f, pygame.Rect(x + label_w, y, width - label_w, row_h), values)
            y += row_h + gap
        self.rows_bottom = y
        bw = self.label_width(form.submit, "#primary")
        self.button(pygame.Rect(area.right - bw, area.bottom - self.s(46), bw, self.s(46)), form.submit,
                    self.submit, "#primary", "Apply this ruling on the record, with its reason")
        self.trace_layout()

    def tab_action(self, tab: str) -> Callable[[], None]:
        return lambda: self.set_tab(tab)

    def add_widget(self, f: Field, rect: pygame.Rect, values: dict[str, str]) -> None:
        current = values.get(f.key, f.initial)
        if f.options is not None:
            options: list[str | tuple[str, str]] = [(text, value) for value, text in f.options] or [("(none)", "")]
            start = next((o for o in options if isinstance(o, tuple) and o[1] == current), options[0])
            element: Any = UIDropDownMenu(options, start, rect, self.app.manager,
                                          expansion_height_limit=max(self.s(120), self.app.size[1] - rect.bottom -
                                                                     self.s(10)))
        else:
            element = UITextEntryLine(rect, self.app.manager, placeholder_text=f.hint, initial_text=current or None,
                                      object_id=entry_theme(self.app, self.app.scale))
        self.ui.append(element)
        self.widgets[f.key] = (f, element)

    def trace_layout(self) -> None:
        """With JUNCTION_TRACE set, where each input and button is (a scripted session clicks them)."""
        if not os.environ.get("JUNCTION_TRACE"):
            return
        for key, (_, e) in self.widgets.items():
            self.app.trace(f"umpire field {e.rect.x} {e.rect.y} {e.rect.w} {e.rect.h} {key}")
        if self.app.top is self:
            self.app.trace_buttons()

    # --- values and rulings

    def read(self) -> dict[str, str]:
        """The values in the form now (choices by their value), kept for when the form is built again."""
        form = self.form
        if form is None:
            return {}
        values = self.values.setdefault(form.id, {})
        for key, (f, e) in self.widgets.items():
            if f.options is not None:
                opt = e.selected_option
                values[key] = opt[1] if isinstance(opt, tuple) else str(opt)
            else:
                values[key] = e.get_text()
        return values

    def set_tab(self, tab: str) -> None:
        self.read()
        self.tab, self.message, self.card = tab, None, None
        self.rebuild()

    def submit(self) -> None:
        form = self.form
        if form is None or form.make is None:
            return
        values = self.read()
        item = form.make(values)
        if isinstance(item, str):
            self.say(item, w.WARN)
            return
        why = umpiredesk.rule(self.session, item)
        if why:
            self.say(why, w.WARN)
            return
        self.values[form.id] = {k: v for k, v in values.items() if k in ("needed", "audience", "team")}
        self.card = self.session.log[-1]
        self.say(self.on_record(), w.GOOD)
        self.forms = forms(self.session)
        self.changed()
        self.rebuild()

    def on_record(self) -> str:
        """The ruling just made, in a line: its title and, for a matrix action, the dice and the result."""
        rec = self.session.log[-1]
        title, rows = record_summary(rec, self.names())
        shown = [f"{k}: {v}" for k, v in rows if k in ("Roll (2d6)", "Modifiers", "Result", "Before", "After")]
        return "On the record: " + " · ".join([title, *shown])

    def say(self, text: str, colour: w.RGB) -> None:
        self.message = (text, colour)
        self.app.trace(f"umpire says {text}")
        self.app.dirty = True

    def names(self) -> Names:
        world = self.session.state.world
        n = Names()
        n.names.update({p.id: p.name for p in world.board.places} | {f.id: f.name for f in world.factions}
                       | {p.id: p.name for p in world.patrons} | {t.id: t.name for t in world.teams}
                       | {"all": "everyone"})
        return n

    def record_rows(self) -> list[w.Row]:
        rows: list[w.Row] = []
        n = self.names()
        for rec in umpiredesk.rulings(self.session):
            title, lines = record_summary(rec, n)
            told = ", ".join(n(a) for a in rec.get("audience", [])) or "the umpire alone"  # type: ignore[attr-defined]
            rows.append(w.Row(f"Turn {rec.get('turn')}: {title} (told to {told})", header=True))
            rows += [w.Row(f"{k}: {v}") for k, v in lines]
        return rows or [w.Row("No ruling yet. Each ruling made here is listed with its reason.", ink=w.MUTED)]

    # --- events and drawing

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEWHEEL and self.form is None:
            self.record.wheel(event.y)
            return True
        return super().handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        r, tabs, area = self.geometry()
        s = self.session.state
        title = f"Umpire's console · turn {s.turn} ({s.date})"
        w.text(surface, w.fit_text(title, self.s(24), r.width - self.s(200), True), (r.left + self.s(18),
                                                                                    r.top + self.s(16)),
               self.s(24), w.INK, bold=True)
        form = self.form
        if form is None:
            self.record.draw(surface)
            return
        w.text(surface, w.fit_text(form.title, self.s(18), area.width, True), area.topleft, self.s(18), w.ACCENT,
               bold=True)
        if form.note:
            w.paragraph(surface, form.note, pygame.Rect(area.left, area.top + self.s(36), area.width, self.s(120)),
                        self.s(16), w.MUTED)
        for label, rect in self.labels:
            w.text(surface, w.fit_text(label, self.s(15), rect.width, True), (rect.left, rect.centery), self.s(15),
                   w.INK, bold=True, anchor="midleft")
        carded = self.card is not None and self.draw_card(
            surface, pygame.Rect(area.left, self.rows_bottom + self.s(6), area.width,
                                 area.bottom - self.s(58) - self.rows_bottom - self.s(6)))
        if self.message and (not carded or self.message[1] != w.GOOD):  # no room for the card: its line
            text, colour = self.message
            bw = self.label_width(form.submit, "#primary") if not form.note else 0
            box = pygame.Rect(area.left, area.bottom - self.s(64), area.width - bw - self.s(12), self.s(64))
            w.scroll_text(surface, text, box, self.s(14), 0, colour, bold=True, spacing=1.15)


    def draw_card(self, surface: pygame.Surface, box: pygame.Rect) -> bool:
        """The ruling just made: its title and rows (as the report shows them), a matrix action's two dice.
        False when the window leaves no room for it under the form."""
        if box.height < self.s(64):
            return False
        rec = self.card
        assert rec is not None
        w.panel(surface, box, (255, 255, 255), w.GOOD, radius=8)
        inner = box.inflate(-self.s(24), -self.s(16))
        roll = rec.get("roll") if rec.get("type") == "matrix" else None
        if roll:
            inner.width -= self.s(170)
            self.draw_dice(surface, rec, pygame.Rect(inner.right + self.s(16), inner.top, self.s(154), inner.height))
        title, rows = record_summary(rec, self.names())
        y = inner.top
        shown = [(k, v) for k, v in rows if k not in ("Roll (2d6)", "Result")]
        shown.sort(key=lambda kv: kv[0] != "Reason")  # the reason first: a short card still shows why
        lines = [(f"On the record: {title}", True)] + [(f"{k}: {v}", False) for k, v in shown]
        size = self.s(15)
        step = int(size * 1.25)
        for text, bold in lines:
            wrapped = w.wrap(text, size, inner.width, bold)
            if y + len(wrapped) * step > inner.bottom:
                break
            for line in wrapped:
                w.text(surface, line, (inner.left, y), size, w.GOOD if bold else w.INK, bold=bold)
                y += step
        return True

    def draw_dice(self, surface: pygame.Surface, rec: dict[str, Any], rect: pygame.Rect) -> None:
        """Two dice with their pips, the sum with the modifiers against the number needed, and the result."""
        side = min(self.s(60), (rect.width - self.s(14)) // 2, rect.height - self.s(64))
        if side < self.s(24):
            return
        pips = {1: [(1, 1)], 2: [(0, 0), (2, 2)], 3: [(0, 0), (1, 1), (2, 2)], 4: [(0, 0), (2, 0), (0, 2), (2, 2)],
                5: [(0, 0), (2, 0), (1, 1), (0, 2), (2, 2)], 6: [(0, 0), (2, 0), (0, 1), (2, 1), (0, 2), (2, 2)]}
        for k, value in enumerate(rec["roll"][:2]):
            die = pygame.Rect(rect.left + k * (side + self.s(14)), rect.top, side, side)
            w.panel(surface, die, (250, 250, 246), w.INK, radius=max(4, side // 6))
            for cx, cy in pips.get(int(value), []):
                centre = (die.left + side * (1 + 2 * cx) // 6, die.top + side * (1 + 2 * cy) // 6)
                pygame.draw.circle(surface, w.INK, centre, max(2, side // 11))
        mods = sum(int(m.get("value", 0)) for m in rec.get("modifiers", []))
        total = sum(rec["roll"]) + mods
        terms = " + ".join(str(v) for v in rec["roll"]) + (f" {'+' if mods > 0 else '−'} {abs(mods)}" if mods else "")
        y = rect.top + side + self.s(8)
        w.text(surface, w.fit_text(f"{terms} = {total}", self.s(15), rect.width), (rect.left, y), self.s(15), w.INK)
        w.text(surface, f"needed {rec['needed']}", (rect.left, y + self.s(20)), self.s(15), w.MUTED)
        y += self.s(20)
        ok = bool(rec.get("success"))
        w.text(surface, "Succeeded" if ok else "Failed", (rect.left, y + self.s(22)), self.s(20),
               w.GOOD if ok else w.WARN, bold=True)


class UmpirePinScene(PinHandoffScene):
    """The hand-off to the umpire: the umpire's PIN to open the console; with none set, one may be set."""

    def __init__(self, app: Any, ready: Callable[[], None], pin_hash: str, set_pin: Callable[[str], None]) -> None:
        super().__init__(app, "the umpire", ready, "The umpire's console: injects and rulings, on the record.",
                         pin_hash=pin_hash, set_pin=set_pin)

    def build(self) -> None:
        super(PinHandoffScene, self).build()
        if not self.pin_hash and not self.setting:
            W, H = self.app.size
            label = "Set the umpire's PIN"
            rect = pygame.Rect(0, 0, self.label_width(label, None, self.s(260)), self.s(44))
            rect.center = (W // 2, int(H * 0.74) + self.s(70))
            self.button(rect, label, self.start_setting,
                        tooltip=f"From now on the console opens only after this PIN ({MIN_DIGITS} to {MAX_DIGITS} "
                                "digits) is typed")


def open_console(app: Any, session: Any, changed: Callable[[], None]) -> None:
    """U: the umpire's hand-off (the PIN, or the offer to set one), then the console."""
    pins = session.pins

    def set_pin(h: str) -> None:
        pins[umpiredesk.PIN_KEY] = h
        session.unsaved = True

    app.push(UmpirePinScene(app, lambda: app.push(UmpireScene(app, session, changed)),
                            pins.get(umpiredesk.PIN_KEY, ""), set_pin))
