"""Identity types of the game: enums and frozen records that never change during a turn."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Terrain(StrEnum):
    URBAN = "urban"
    OPEN = "open"
    ROUGH = "rough"
    MOUNTAIN = "mountain"
    DESERT = "desert"


class PlaceKind(StrEnum):
    CITY = "city"
    TOWN = "town"
    CROSSING = "crossing"
    BASE = "base"
    AIRBASE = "airbase"
    JUNCTION = "junction"


class RouteKind(StrEnum):
    HIGHWAY = "highway"
    ROAD = "road"
    TRACK = "track"
    BORDER = "border"


class UnitType(StrEnum):
    INFANTRY = "infantry"
    MECHANISED = "mechanised"
    ARMOUR = "armour"
    MILITIA = "militia"
    SPECIAL_FORCES = "special_forces"
    ARTILLERY = "artillery"


class Posture(IntEnum):
    """A unit's posture; stored as int8 in the unit arrays."""

    MOVE = 0
    ATTACK = 1
    DEFEND = 2
    ENTRENCH = 3
    WITHDRAW = 4
    ROUTED = 5

    @property
    def label(self) -> str:
        return self.name.lower()


class Supply(IntEnum):
    """A unit's supply state; stored as int8 in the unit arrays."""

    SUPPLIED = 0
    LIMITED = 1
    CUT = 2

    @property
    def label(self) -> str:
        return self.name.lower()


class Channel(StrEnum):
    """A patron's support channel."""

    AIR = "air"
    GROUND = "ground"
    SUPPLY = "supply"


CHANNELS: tuple[Channel, ...] = (Channel.AIR, Channel.GROUND, Channel.SUPPLY)


@dataclass(frozen=True)
class Faction:
    """A playable side. Hostile to every faction it is not allied with, unless
    `enemies` is given, in which case non-allied non-enemies are neutral."""

    id: str
    name: str
    short: str
    colour: str = "#888888"
    allies: tuple[str, ...] = ()
    enemies: tuple[str, ...] | None = None
    breakpoint: float = 0.3
    sources: tuple[str, ...] = ()
    drift: float | None = None
    """This faction's cohesion change every turn; None uses the rules' cohesion_drift."""
    theatre: tuple[str, ...] = ()
    """Places its units may enter (move, attack, take); empty: anywhere."""
    capital: str | None = None
    """The place its command sits: units with no route to it through friendly places lose heart."""
    commander: str | None = None
    """A patron that gives this faction's orders (its own forces on the map); None: a side of its own."""
    neutral: tuple[str, ...] = ()
    """Factions it is neutral to even when `enemies` is left out (relations are mutual: the weaker holds)."""
    cohesion: float | None = None
    """Its cohesion at the start of the scenario, as the scenario gives it (None: not recorded)."""
    insurgent: bool = False
    """Cells of an insurgent network rather than an army: the faction never breaks as a whole, its units'
    will holds at its starting cohesion instead of following its fortunes, and a unit that would surrender or
    melt away goes to ground where it is instead (see `cohesion.run_cohesion`, `combat.morale_failure`)."""


@dataclass(frozen=True)
class Patron:
    """An outside power that helps clients (or, with no clients, interdicts others)."""

    id: str
    name: str
    clients: tuple[str, ...] = ()
    corridor: str | None = None
    interdicts: tuple[str, ...] = ()
    strikes: tuple[str, ...] = ()
    """Factions it may strike from the air; empty: every enemy of its clients."""
    unit_type: UnitType = UnitType.INFANTRY
    kind: str = "patron"
    """"patron" helps its clients; "interdictor" strikes the convoys of the patrons in `interdicts`."""
    actions: tuple[str, ...] = ()
    """Kinds of order it may give (see `PATRON_ACTIONS`); empty: the default ones."""
    strike_zone: tuple[str, ...] = ()
    """Places its air may strike, support or interdict at; empty: anywhere."""
    reinforce_at: tuple[str, ...] = ()
    """Places its ground help may also arrive at (besides its corridor), while a client holds them."""
    own_command: bool = False
    """Whether the reinforcements it sends serve under its own command: contingents whose will is its
    commitment (the effect of its ground level), not their host army's cohesion."""


@dataclass(frozen=True)
class UnitInfo:
    """What does not change about a unit during the game."""

    id: str
    faction: str
    name: str
    type: UnitType
    quality: float = 1.0
    floor: float = 0.0
    """Least cohesion the unit keeps whatever happens (elite formations)."""
    command: str = ""
    """The patron whose contingent it is, under that patron's own command: its cohesion follows the patron's
    commitment, not its faction's, and its faction's collapse does not weigh on its morale. Empty: its
    faction's own unit."""


@dataclass(frozen=True)
class Meta:
    """The scenario's identity and calendar."""

    title: str = "Untitled"
    start_date: str = "2024-12-07"
    turn_days: int = 1
    turns: int = 10
    description: str = ""
    sources: tuple[str, ...] = ()
    outline: str = ""
    """Path of the map outline asset, relative to the scenario file (used by the UI only)."""
    seed: int = 1
    """Default random seed for a game of this scenario."""


PATRON_ACTIONS: tuple[str, ...] = ("air_strike", "close_air", "interdict", "reinforce", "supply", "airlift",
                                   "evacuate", "negotiate", "depot_strike")
"""Everything a patron may be allowed to do; a scenario lists each patron's in `actions`."""

DEFAULT_ACTIONS: tuple[str, ...] = ("air_strike", "close_air", "reinforce", "supply")
"""What a patron may do when its scenario entry lists no `actions`."""


class Relation(IntEnum):
    """How two factions stand; stored as int8 in `State.relations`."""

    HOSTILE = 0
    NEUTRAL = 1
    ALLIED = 2

    @property
    def label(self) -> str:
        return self.name.lower()
