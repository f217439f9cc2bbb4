"""Fog of war: whose forces a team commands, how far it sees, and which units it cannot see.

A team's own sides are its factions, its patrons and the factions those patrons command. It sees
other sides' units within `rules.detect_km` of route distance from its own units and held places
(a patron's team also from its clients'), further by `rules.detect_air_km` at full air support of
its best patron. Nothing here changes a state; `view.view_for` builds what a team is shown from it.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .crt import effect
from .state import State, Team, World
from .types import CHANNELS, Channel, UnitInfo

AIR = CHANNELS.index(Channel.AIR)

UMPIRE = "umpire"
"""The team id of the White cell: it sees everything (`view.umpire_view`)."""


@dataclass(frozen=True)
class Sides:
    """What a team commands: its sides, own factions and patrons (indices), and its sides' ids."""

    team: Team
    factions: frozenset[int]
    patrons: frozenset[int]
    ids: frozenset[str]
    """Ids of every own faction and patron (commanded factions included)."""

    def owns(self, side_or_faction: object) -> bool:
        return isinstance(side_or_faction, str) and side_or_faction in self.ids


class UnknownTeam(ValueError):
    """A team id that is neither one of the scenario's teams nor a side."""


def find_team(world: World, team: str | Team) -> Team:
    """The scenario's team `team`, or a team of one side when `team` is a faction or patron id."""
    if isinstance(team, Team):
        return team
    for t in world.teams:
        if t.id == team:
            return t
    side = next((f for f in world.factions if f.id == team), None)
    if side is not None:
        return Team(side.id, side.name, (side.id,))
    pat = next((p for p in world.patrons if p.id == team), None)
    if pat is not None:
        return Team(pat.id, pat.name, (pat.id,))
    known = [t.id for t in world.teams] or list(world.sides)
    raise UnknownTeam(f"unknown team {team!r} (teams: {', '.join(known)}; a side id or {UMPIRE!r} also works)")


def sides_of(world: World, team: str | Team) -> Sides:
    """A team's own factions and patrons (a patron's commanded factions count as its own)."""
    t = find_team(world, team)
    factions: set[int] = set()
    patrons: set[int] = set()
    for side in t.sides:
        if side in world.faction_index:
            factions.add(world.faction_index[side])
        elif side in world.patron_index:
            patrons.add(world.patron_index[side])
            factions.update(world.commanded_by(side))
    ids = {world.factions[f].id for f in factions} | {world.patrons[p].id for p in patrons}
    return Sides(t, frozenset(factions), frozenset(patrons), frozenset(ids))


def sight_km(state: State, sides: Sides) -> float:
    """How far (route km) the team sees: the base distance, plus its best patron's air at full effect."""
    r = state.rules
    air = max((effect(float(state.p_support[p, AIR]), r) for p in sides.patrons), default=0.0)
    return float(r.detect_km + r.detect_air_km * air)


def _lookouts(state: State, sides: Sides) -> list[int]:
    """Places the team sees from: held by, or with live units of, its own factions or its patrons' clients."""
    w = state.world
    watch = set(sides.factions)
    for p in sides.patrons:
        watch.update(w.faction_index[c] for c in w.patrons[p].clients if c in w.faction_index)
    members = np.array(sorted(watch), dtype=np.int64)
    held = np.isin(state.controller, members)
    alive = (state.u_strength > 0) & np.isin(state.u_faction, members)
    held[state.u_place[alive]] = True
    return np.flatnonzero(held).tolist()


def route_distances(world: World, sources: Iterable[int], limit: float) -> NDArray[np.float64]:
    """Shortest route distance (km) from the nearest source to every place, inf beyond `limit`."""
    board = world.board
    dist = np.full(board.n_places, np.inf)
    lengths = board.lengths.tolist()
    edges = board.edge_lists()
    heap = [(0.0, s) for s in sorted(set(sources))]
    for _, s in heap:
        dist[s] = 0.0
    heapq.heapify(heap)
    while heap:
        d, p = heapq.heappop(heap)
        if d > dist[p]:
            continue
        for q, r in edges[p]:
            nd = d + lengths[r]
            if nd <= limit and nd < dist[q]:
                dist[q] = nd
                heapq.heappush(heap, (nd, q))
    return dist


def seen_places(state: State, sides: Sides) -> NDArray[np.bool_]:
    """Per place: whether the team sees the units there (within its sight of a lookout)."""
    reach = sight_km(state, sides)
    return np.isfinite(route_distances(state.world, _lookouts(state, sides), reach))


def visible_units(state: State, sides: Sides, seen: NDArray[np.bool_] | None = None,
                  ) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """(own, detected) masks over the state's units: live units of the team's factions, and other
    sides' live units at places it sees."""
    seen = seen_places(state, sides) if seen is None else seen
    alive = state.u_strength > 0
    own = alive & np.isin(state.u_faction, np.array(sorted(sides.factions), dtype=np.int64))
    detected = alive & ~own & seen[state.u_place]
    return own, detected


def hidden_units(state: State, team: str | Team) -> tuple[UnitInfo, ...]:
    """Every live unit a team may not know of (not its own, not within its sight): what no view,
    report, screen, file or message for that team may name."""
    if team == UMPIRE:
        return ()
    sides = sides_of(state.world, team)
    own, detected = visible_units(state, sides)
    alive = state.u_strength > 0
    return tuple(state.units[u] for u in np.flatnonzero(alive & ~own & ~detected).tolist())


def secrets_of(state: State, team: str | Team, public: Iterable[str] = ()) -> tuple[str, ...]:
    """What must not reach a team: the hidden units' ids, and their names where the name is not also
    public words (a visible unit's, faction's, patron's, place's or team's name, an inject's text, or
    any of `public`, e.g. the history a report quotes)."""
    hidden = hidden_units(state, team)
    w = state.world
    hidden_ids = {u.id for u in hidden}
    words = [u.name for u in state.units if u.id not in hidden_ids] + list(public)
    words += [f.name for f in w.factions] + [p.name for p in w.patrons] + [t.name for t in w.teams]
    words += [p.name for p in w.board.places] + [f"{i.title} {i.message}" for i in w.injects]
    text = "\n".join(words)
    names = [u.name for u in hidden if not find_leaks(text, [u.name])]
    return tuple([u.id for u in hidden] + names)


def find_leaks(text: str, secrets: Iterable[str]) -> list[str]:
    """The secrets that occur in `text` as whole tokens (so `gov_4th_div` is not found inside
    `gov_4th_div_homs`)."""
    out = []
    for s in secrets:
        if s and re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text):
            out.append(s)
    return out
