"""A game log opened for the replay viewer: every turn's state (re-resolved from the log and checked
against its hashes by `game.sim.playback`), the umpire's rulings made at each turn, and each team's view
of each turn, built by `view_for` only (the umpire's full view and the public view too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine import State, state_hash
from game.engine import events as ev
from game.engine.public import public_view
from game.engine.sight import UMPIRE
from game.engine.view import View, team_ids, view_for
from game.sim.playback import PlayedGame, play_back

PUBLIC = "public"
"""The view of everyone in the room (the projector's)."""


@dataclass
class Frame:
    """The game at the start of `turn` (after the umpire's rulings then), with the events of the turn
    before it and of those rulings, and the rulings' records as logged."""

    turn: int
    state: State
    events: list[ev.Event]
    rulings: list[dict[str, Any]] = field(default_factory=list)


class ReplayBook:
    """A played-back log, turn by turn, with the views of it cached per (turn index, team)."""

    def __init__(self, game: PlayedGame) -> None:
        self.path = game.path
        self.source = game.source
        self.start = game.start
        self.frames: list[Frame] = []
        for turn in range(game.start.turn, game.final.turn + 1):
            state, events = game.state_at(turn)
            rulings = [r for r in game.umpire if r.get("turn") == turn]
            self.frames.append(Frame(turn, state, list(events), rulings))
        self.teams: tuple[str, ...] = (*team_ids(game.start), UMPIRE, PUBLIC)
        self._views: dict[tuple[int, str], View] = {}

    def __len__(self) -> int:
        return len(self.frames)

    def view(self, index: int, team: str) -> View:
        """What `team` knew at frame `index` (the umpire sees everything; "public" what all are told)."""
        key = (index, team)
        if key not in self._views:
            f = self.frames[index]
            before = self.frames[index - 1].state if index > 0 else None
            self._views[key] = (public_view(f.state, f.events) if team == PUBLIC
                                else view_for(f.state, team, f.events, before))
        return self._views[key]

    def hash(self, index: int) -> str:
        return state_hash(self.frames[index].state)

    def team_name(self, team: str) -> str:
        if team == UMPIRE:
            return "Umpire (everything)"
        if team == PUBLIC:
            return "Everyone (public)"
        return self.view(0, team).team_name


def open_book(path: str | Path) -> ReplayBook:
    """The log at `path` played back; LogError (naming the file and line) when it is damaged."""
    return ReplayBook(play_back(path))
