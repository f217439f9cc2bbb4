"""What one seat of a hotseat game may see: its team's View of the game (`engine.view.view_for`), a State
drawn from that view alone (`viewstate.shown_state`, as the replay viewer draws), and the turn report built
from the events the view heard. With fog on, nothing of a unit outside the seat's detection is drawn."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine import State
from game.engine.news import EventView
from game.engine.public import public_view
from game.engine.state import Team
from game.engine.view import View, view_for
from game.report.narrate import describe, gather_unseen

from ..viewstate import shown_state
from .eventtext import ReportLine, shows_change, standing_line, tally_by_kind
from .replay import forget_drawn, names_of, place_tooltip

__all__ = ["SeatFog", "forget_drawn", "seat_view", "view_report_lines"]

if TYPE_CHECKING:
    from ..session import Seat, Session

KIND_CATEGORY = {
    "GameOver": "game", "VictoryAchieved": "victory", "PlaceCaptured": "capture", "PlaceHandedOver": "capture",
    "PlaceControlSet": "capture", "PlaceContested": "capture", "Combat": "combat", "AttackCalledOff": "combat",
    "Engagement": "combat", "AirStrike": "air", "CloseAirSupport": "air", "RouteInterdicted": "air",
    "DepotStruck": "air", "ConvoyInterdicted": "air",
    "UnitRouted": "rout", "UnitRetreated": "rout", "UnitRallied": "rout", "MoraleFailed": "rout",
    "UnitSurrendered": "surrender", "UnitDestroyed": "surrender", "UnitFled": "surrender",
    "UnitDeserted": "surrender", "UnitWentToGround": "rout", "ForcesEvacuated": "surrender", "InjectFired": "inject",
    "UmpireOverride": "inject", "MatrixResolved": "inject", "SupplyCut": "supply", "SupplyRestored": "supply",
    "CapitalCut": "supply", "SupplySurged": "support", "ReinforcementsArrived": "support",
    "TruceOffered": "support", "RelationChanged": "support", "CorridorChanged": "corridor",
    "CohesionChanged": "cohesion", "FactionBroken": "cohesion", "OrderRejected": "refused", "UnitMoved": "move",
}
"""The turn report's section for each kind of event a view hears."""


def seat_team(state: State, seat: Seat) -> str | Team:
    """The team whose view a seat is shown: its scenario team, its one side, or a team of its sides."""
    if seat.key.startswith("team:"):
        return seat.key[len("team:"):]
    if len(seat.sides) == 1:
        return seat.sides[0]
    return Team("+".join(seat.sides), seat.label, seat.sides)


def seat_view(state: State, seat: Seat, events: Any = (), before: State | None = None) -> View:
    """The seat's team's view of `state`, and of `events` (the turn from `before`: it names who fell)."""
    return view_for(state, seat_team(state, seat), events, before)  # type: ignore[arg-type]


def view_tally(e: EventView) -> tuple[tuple[str, float], ...]:
    """What one event a view heard adds to the report's summary line, counted as `eventtext.tally_of` counts
    the engine's event, so a seat's summary agrees with the lines it is shown."""
    return tally_by_kind(e.kind, e.data.get("reason"), e.data.get("strength"))


def _unmoved(e: EventView) -> bool:
    """A cohesion change too small to show at the report's two decimals."""
    before, after = e.data.get("before"), e.data.get("after")
    return e.kind == "CohesionChanged" and isinstance(before, (int, float)) and isinstance(after, (int, float)) \
        and not shows_change(before, after)


def view_report_lines(view: View) -> list[ReportLine]:
    """The turn report a team reads: one line per event its view heard (unseen units breaking at one place
    told once, as in the after-action report: `gather_unseen`; such breaks are not tallied, so the summary is
    the same), grouped in the report's order."""
    from .eventtext import CATEGORY_ORDER

    n = names_of(view)
    lines = [ReportLine(KIND_CATEGORY.get(e.kind, "move"), describe(e, n), e.place, view_tally(e))
             for e in gather_unseen(view.events) if not _unmoved(e)]
    if view.standings:  # the seat's own sides (its view holds no others', nor the day before's)
        lines.append(standing_line([f"{n(side)} {value:+.2f}" for side, value in sorted(view.standings.items())]))
    rank = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    return sorted(lines, key=lambda ln: rank.get(ln.category, len(rank)))


class SeatFog:
    """Mixed into the game scene: whether the map is fogged for the seat at the desk, and what it shows."""

    session: Session
    _fog: tuple[Any, View, State] | None = None

    def fog_game(self) -> bool:
        """A hotseat game of two or more human seats, not over: the desk shows only what a seat may know."""
        s = self.session
        return s.is_hotseat() and not s.state.is_over

    def fogged(self) -> bool:
        """Fog for the seat at the desk."""
        return self.fog_game() and self.session.current_seat() is not None

    def _fog_cache(self) -> tuple[View, State]:
        """The view shown (the seat's; between seats, while the turn resolves, the public one) and its State."""
        seat = self.session.current_seat()
        key = (id(self.session.state), self.session.seat_index, seat.sides if seat else ())
        if self._fog is None or self._fog[0] != key:
            state = self.session.state
            view = seat_view(state, seat) if seat is not None else public_view(state)
            self._fog = (key, view, shown_state(state, view))
        return self._fog[1], self._fog[2]

    def seat_view_now(self) -> View:
        """The current seat's view of the game as it stands."""
        return self._fog_cache()[0]

    def map_state(self) -> State:
        """The State the map draws: the seat's view of it when fogged, else the game's state."""
        return self._fog_cache()[1] if self.fog_game() else self.session.state

    def shown_row(self, unit: int | None) -> int | None:
        """A unit row of the game's state as a row of `map_state()` (None when that state lacks it)."""
        if unit is None or not self.fog_game():
            return unit
        uid = self.session.state.units[unit].id
        return self.map_state().unit_index().get(uid)

    def known_factions(self) -> list[int] | None:
        """Rows of the factions whose figures (score, cohesion, support) the seat may read; None: all."""
        if not self.fog_game():
            return None
        own = {f.id for f in self.seat_view_now().factions if f.own}
        return [i for i, f in enumerate(self.session.state.world.factions) if f.id in own]

    def fog_tooltip(self, place: int) -> list[str]:
        """What the seat knows of a place: own units exactly, others it sees as estimates."""
        view = self.seat_view_now()
        return place_tooltip(view, view.places[place].id)

    def turn_report(self, after: State, events: Any) -> list[ReportLine]:
        """The report of the turn just played, from what the current seat's team heard of it."""
        seat = self.session.current_seat()
        assert seat is not None
        last = self.session.last
        before = last.before if last is not None and last.after is after else None
        return view_report_lines(seat_view(after, seat, events, before))
