"""Scenario scripting as data: inject conditions and effects, and victory conditions."""

from __future__ import annotations

from dataclasses import dataclass

from .types import Channel, UnitType

# --- conditions: all of an inject's conditions must hold for it to fire


@dataclass(frozen=True)
class OnTurn:
    """True on `turn` (or on any later turn when `or_later`)."""

    turn: int
    or_later: bool = False


@dataclass(frozen=True)
class DateReached:
    """True once the turn's date (ISO yyyy-mm-dd) is on or after `date`."""

    date: str


@dataclass(frozen=True)
class Controls:
    """True while `faction` controls `place`."""

    faction: str
    place: str


@dataclass(frozen=True)
class CohesionBelow:
    """True while `faction`'s cohesion is below `value`."""

    faction: str
    value: float


@dataclass(frozen=True)
class CorridorClosed:
    """True while `corridor` is not open for `faction`."""

    corridor: str
    faction: str


@dataclass(frozen=True)
class FlagSet:
    """True while the scenario flag `flag` is set."""

    flag: str


Condition = OnTurn | DateReached | Controls | CohesionBelow | CorridorClosed | FlagSet

# --- effects


@dataclass(frozen=True)
class SetSupport:
    """Set (or, with `delta`, change) a patron's support level on one channel, kept in 0-1."""

    patron: str
    channel: Channel
    value: float | None = None
    delta: float | None = None


@dataclass(frozen=True)
class SetCapacity:
    """Set (or change) a patron's capacity points per turn."""

    patron: str
    value: float | None = None
    delta: float | None = None


@dataclass(frozen=True)
class AddUnit:
    """Place a new unit on the map."""

    id: str
    faction: str
    name: str
    type: UnitType
    place: str
    strength: float
    quality: float = 1.0
    cohesion: float = 0.7
    floor: float = 0.0


@dataclass(frozen=True)
class RemoveUnit:
    """Take a unit off the map."""

    unit: str


@dataclass(frozen=True)
class SetRule:
    """Change one rules constant from now on."""

    name: str
    value: float


@dataclass(frozen=True)
class SetRoute:
    """Open or close the route between places `a` and `b`."""

    a: str
    b: str
    open: bool


@dataclass(frozen=True)
class SetFlag:
    """Set or clear a scenario flag."""

    flag: str
    value: bool = True


@dataclass(frozen=True)
class ChangeCohesion:
    """Change a faction's cohesion by `delta` (kept in 0-1)."""

    faction: str
    delta: float


@dataclass(frozen=True)
class SetRelation:
    """Set how factions `a` and `b` stand: "allied", "neutral" or "hostile" (both ways)."""

    a: str
    b: str
    relation: str


@dataclass(frozen=True)
class SetController:
    """Give `place` to `faction` (units there stay: a place held by hostile units alone changes hands
    again in the next control phase)."""

    place: str
    faction: str


Effect = (SetSupport | SetCapacity | AddUnit | RemoveUnit | SetRule | SetRoute | SetFlag | ChangeCohesion
          | SetRelation | SetController)


@dataclass(frozen=True)
class Inject:
    """A scripted event: when every condition holds (and the chance roll passes), apply the effects
    and show the message to the audience ("all", or faction/patron/team ids)."""

    id: str
    title: str
    message: str = ""
    when: tuple[Condition, ...] = ()
    effects: tuple[Effect, ...] = ()
    chance: float = 1.0
    once: bool = True
    audience: tuple[str, ...] = ("all",)
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class VictoryCondition:
    """One side's goal. Kinds:
    - hold: `faction` holds every place in `places` at the end of `by_turn` (default: last turn);
    - capture: `faction` holds every place in `places` at the end of any turn up to `by_turn`;
    - cohesion_below: `target`'s cohesion is below `threshold` at the end of a turn up to `by_turn`;
    - points: `faction`'s score reaches `threshold` by the end of `by_turn`.
    Achieving it adds `points` to the score; a `decisive` one ends the game."""

    id: str
    faction: str
    kind: str
    places: tuple[str, ...] = ()
    by_turn: int | None = None
    target: str | None = None
    threshold: float = 0.0
    points: float = 10.0
    decisive: bool = False
    description: str = ""


VICTORY_KINDS: tuple[str, ...] = ("hold", "capture", "cohesion_below", "points")


@dataclass(frozen=True)
class Benchmark:
    """What history did on one measure of a side's fortunes (0-1), to beat. Kinds:
    - hold: share of `places` the side's camp holds at the end of `by_turn` (default the last);
    - capture: largest share of `places` the camp held at the end of any turn up to `by_turn`;
    - race: how early the camp held `places`: (by_turn − t + 1) / by_turn for the first turn t it held them
      (1 on turn 1), times the share held; 0 if not by `by_turn` (the sooner, the better);
    - held_turns: the mean share of `places` the camp held at the end of turns 1 to `by_turn` (the longer,
      the better);
    - keep_forces: share of the camp's own units' starting strength still alive or evacuated;
    - destroy: share of the `target` faction's starting strength destroyed;
    - corridor: share of turns (up to `by_turn`) `corridor` was open for the side's first client;
    - depots: share of the weapons depots at `places` (empty: all) destroyed;
    - cohesion: the side's (a patron's: its first client's) cohesion at the end.
    A side's camp: a faction and its commanded forces; a patron, its clients and its forces."""

    id: str
    side: str
    kind: str
    places: tuple[str, ...] = ()
    by_turn: int | None = None
    target: str | None = None
    corridor: str | None = None
    history: float = 1.0
    weight: float = 1.0
    description: str = ""
    sources: tuple[str, ...] = ()


BENCHMARK_KINDS: tuple[str, ...] = ("hold", "capture", "race", "held_turns", "keep_forces", "destroy", "corridor",
                                    "depots", "cohesion")
