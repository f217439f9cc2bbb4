"""What everyone in the room may know: the public view shown on a projector.

Built from the umpire's view by keeping only what is public: the map, who holds each place, the date,
and the injects and rulings told to all (with the places that changed hands, broken factions and the
game's end). No unit of any side, no side's figures.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from . import events as ev
from .state import State
from .view import FactionView, PatronView, View, umpire_view

PUBLIC_KINDS = ("InjectFired", "UmpireOverride", "MatrixResolved", "PlaceCaptured", "PlaceHandedOver",
                "PlaceControlSet", "GameOver", "FactionBroken")
"""Events everyone hears (injects, overrides and matrix actions only when told to all, as a team page
hears them only when told: `news.hears`)."""
TOLD_TO_ALL = ("InjectFired", "UmpireOverride", "MatrixResolved")


def public_view(state: State, events: Sequence[ev.Event] = ()) -> View:
    """The map, who holds each place, the date, and injects and rulings told to all: team "public"."""
    full = umpire_view(state, events)
    shown = tuple(e for e in full.events if e.kind in PUBLIC_KINDS
                  and (e.kind not in TOLD_TO_ALL or "all" in e.data.get("audience", ())))
    return dataclasses.replace(
        full, team="public", team_name="Everyone", umpire=False, sides=(),
        places=tuple(dataclasses.replace(p, depot=None) for p in full.places),
        factions=tuple(FactionView(f.id, f.name, f.short, f.colour, False, f.commander, f.collapsed)
                       for f in full.factions),
        patrons=tuple(PatronView(p.id, p.name, p.kind, p.clients, False) for p in full.patrons),
        units=(), estimates=(), events=shown, benchmarks=(), standings={})
