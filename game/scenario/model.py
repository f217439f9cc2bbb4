"""The scenario format as pydantic models: the single source of the validator, the JSON Schema and the docs.

Field names are the YAML keys. Cross-references between ids are checked
separately (xref.py), so that every problem of a file is found in one pass.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from game.engine.rules import MAX_KM, MAX_STRENGTH

from .fields import Block, Bool, Delta, Id, Int, IsoDate, Level, NonNeg, Num, SeedId, Text, one_key
from .problems import show
from .rulesblock import RulesBlock

MAX_TURNS = 10_000
"""Most turns in a game (and the highest turn an event or victory condition may name)."""
MAX_VALUE = 1_000_000.0
"""Largest victory value of a place, and largest score a victory condition is worth."""
MAX_CAPACITY = 1000.0
"""Most capacity points a patron may have per turn (an action costs 1-2 by default)."""
MAX_RESERVE = 100_000_000.0
"""Most personnel a patron may hold in reserve."""
MAX_THRESHOLD = 1_000_000_000.0
"""Largest score (or cohesion level) a victory condition may ask for, either sign."""

PlaceKindName = Literal["city", "town", "crossing", "base", "airbase", "junction"]
TerrainName = Literal["urban", "open", "rough", "mountain", "desert"]
RouteKindName = Literal["highway", "road", "track", "border"]
UnitTypeName = Literal["infantry", "militia", "mechanised", "armour", "special_forces", "artillery"]
ChannelName = Literal["air", "ground", "supply"]
VictoryKind = Literal["hold", "capture", "cohesion_below", "points"]
BenchmarkKind = Literal["hold", "capture", "race", "held_turns", "keep_forces", "destroy", "corridor", "depots",
                        "cohesion"]
ActionName = Literal["air_strike", "close_air", "interdict", "reinforce", "supply", "airlift", "evacuate",
                     "negotiate", "depot_strike"]
RelationName = Literal["allied", "neutral", "hostile"]
TutorialAction = Literal["select", "move", "attack", "preview", "end_turn", "report", "supply", "patron"]

Sources = Annotated[list[SeedId], Field(default_factory=list, description="Ids of the seed facts this rests on.")]


class Meta(Block):
    """The scenario's identity and calendar."""

    noun = "meta"
    title: Text = Field(description="Title shown in menus, reports and the window bar.")
    start_date: IsoDate = Field(description="Date of turn 1, yyyy-mm-dd (a YAML date or a quoted string).")
    turn_days: Int = Field(1, ge=1, le=366, description="Days per turn.")
    turns: Int = Field(10, ge=1, le=MAX_TURNS, description="Number of turns; the game ends after the last.")
    description: Text = Field("", description="A paragraph shown on the scenario screen.")
    sources: Sources
    outline: Text = Field("", description="Path of a map outline asset, relative to the scenario file (UI only).")
    seed: Int = Field(1, ge=0, le=2**63 - 1, description="Default random seed for a game of this scenario.")


class Place(Block):
    """A point on the map: a city, town, crossing, base, airbase or road junction."""

    noun = "place"
    id: Id = Field(description="Unique id, lower_snake_case English name (e.g. deir_ez_zor).")
    name: Text = Field(description="Display name.")
    lat: Num = Field(ge=-90, le=90, description="Latitude in degrees north.")
    lon: Num = Field(ge=-180, le=180, description="Longitude in degrees east.")
    kind: PlaceKindName = Field(description="What the place is; sets its stacking limit.")
    terrain: TerrainName = Field(description="Terrain; sets the defender's bonus and exposure to air strikes.")
    value: NonNeg = Field(0.0, le=MAX_VALUE, description="Victory value: points for holding it and cohesion "
                                                           "lost with it.")
    fort: Int = Field(0, ge=0, le=3, description="Fortification level 0-3.")
    supply_for: list[Id] = Field(default_factory=list, description="Factions this place is a supply source for.")
    leads_to: Text = Field("", description="For a border crossing: the country a unit that gives up flees to.")
    depot: Bool = Field(False, description="A weapons depot: a local supply source for whoever holds it, "
                                           "until patrons with the depot_strike action destroy it.")
    controller: Id = Field(description="Faction that holds the place at the start of turn 1.")
    sources: Sources


class Route(Block):
    """A road, track or border crossing joining two places."""

    noun = "route"
    a: Id = Field(description="Place at one end.")
    b: Id = Field(description="Place at the other end.")
    kind: RouteKindName = Field(description="Route kind; sets the movement cost per km.")
    name: Text = Field("", description="Road name shown on the map (M5, M4 …).")
    length_km: NonNeg = Field(0.0, le=MAX_KM, description="Length in km; 0 means great-circle distance × "
                                                          "rules.route_length_factor.")
    open: Bool = Field(True, description="Whether the route is open at the start (events may open or close it).")
    river: Bool = Field(False, description="A river lies between the two places (the route crosses it by a bridge, "
                                           "a dam or a ford): attacks made along this route are read "
                                           "`rules.river_shift` columns worse for the attacker.")
    sources: Sources


class Corridor(Block):
    """A named chain of places along routes, from its entry (the outer end) inwards."""

    noun = "corridor"
    id: Id = Field(description="Unique id.")
    name: Text = Field(description="Display name.")
    places: list[Id] = Field(min_length=1, description="Place ids from the entry inwards; consecutive places "
                                                       "must be joined by a route.")
    sources: Sources


class MapBlock(Block):
    """The point-to-point map."""

    noun = "map"
    places: list[Place] = Field(min_length=1, description="Every place on the map.")
    routes: list[Route] = Field(default_factory=list, description="Routes between places.")
    corridors: list[Corridor] = Field(default_factory=list, description="Named corridors patrons' help must use.")


class Faction(Block):
    """A playable side."""

    noun = "faction"
    id: Id = Field(description="Unique id among factions and patrons.")
    name: Text = Field(description="Display name.")
    short: Text = Field(min_length=1, max_length=6, description="Short name (at most 6 characters) for counters.")
    colour: Text = Field(pattern=r"^#[0-9a-fA-F]{6}$", description="Map colour as #rrggbb.")
    allies: list[Id] = Field(default_factory=list, description="Allied factions (alliances work both ways).")
    enemies: list[Id] | None = Field(None, description="Hostile factions (both must count each other enemies); "
                                                       "left out: hostile to every non-ally not in `neutral`.")
    neutral: list[Id] = Field(default_factory=list, description=(
        "Factions it is neutral to: neither side attacks the other; units may pass through each other's "
        "places (rules.neutral_passage) and hand places over by agreement. Events may change relations."))
    breakpoint: Level = Field(0.3, description="Cohesion below which the faction counts as broken: its units' "
                                               "morale checks get harder and its allies lose heart.")
    theatre: list[Id] = Field(default_factory=list, description=(
        "Places its units may enter (move, attack, take); empty: anywhere. A faction that stays in its own "
        "theatre unless the scenario says otherwise."))
    capital: Id | None = Field(None, description="Place of its command: units with no route to it through "
                                                 "friendly places lose heart (rules.morale_isolated).")
    commander: Id | None = Field(None, description=(
        "A patron whose own forces these are: the patron gives their orders (they are not a side of their own)."))
    cohesion: Level = Field(0.7, description="Faction cohesion at the start of turn 1.")
    insurgent: bool = Field(False, description=(
        "Cells of an insurgent network, not an army: the faction never breaks as a whole, its units' will "
        "holds at its starting cohesion whatever befalls the faction, and a unit that would surrender or melt "
        "away goes to ground where it is instead (routed, the place contested). Cite a seed."))
    sources: list[Id] = Field(default_factory=list, description="Places that supply this faction.")
    drift: float | None = Field(None, ge=-0.2, le=0.2, description=(
        "This faction's cohesion change every turn; left out: the rules' cohesion_drift (0: morale moves on "
        "causes, not a clock)."))
    description: Text = Field("", description="Who they are, for the briefing.")
    cite: list[SeedId] = Field(default_factory=list, description="Ids of the seed facts this rests on.")


class Support(Block):
    """Support levels per channel, 0 (none) to 1 (full)."""

    noun = "support"
    air: Level = Field(0.0, description="Air strikes.")
    ground: Level = Field(0.0, description="Ground reinforcements.")
    supply: Level = Field(0.0, description="Supply surges.")


class Patron(Block):
    """An outside power that helps its clients, or (an interdictor) strikes other patrons' convoys."""

    noun = "patron"
    id: Id = Field(description="Unique id among factions and patrons.")
    name: Text = Field(description="Display name.")
    kind: Literal["patron", "interdictor"] = Field("patron", description="patron helps its clients; interdictor "
                                                                         "strikes the convoys of `interdicts`.")
    clients: list[Id] = Field(default_factory=list, description="Factions it helps.")
    corridor: Id | None = Field(None, description="Corridor its ground help must use; null: arrives at a "
                                                  "client's supply source.")
    interdicts: list[Id] = Field(default_factory=list, description="Patrons whose convoys it strikes.")
    strikes: list[Id] = Field(default_factory=list, description="Factions it may strike from the air; empty: "
                                                                "every enemy of its clients. Cite a seed.")
    strike_zone: list[Id] = Field(default_factory=list, description=(
        "Places where its air may act (strike, support, interdict); empty: anywhere. A declared zone."))
    actions: list[ActionName] = Field(default_factory=list, description=(
        "What it may do: air_strike, close_air, interdict, reinforce, supply, airlift (reinforce and supply "
        "by air to an airbase a client holds), evacuate (its own forces), negotiate (a truce for its forces), "
        "depot_strike; empty: air_strike, close_air, reinforce and supply."))
    reinforce_at: list[Id] = Field(default_factory=list, description=(
        "Places its ground help may also arrive at, while a client holds them (e.g. a border sector)."))
    unit_type: UnitTypeName = Field("infantry", description="Type of the units it sends as reinforcements.")
    own_command: bool = Field(False, description=(
        "Its reinforcements serve under its own command: each is a contingent whose will is its "
        "commitment (the effect of its ground level), not its host army's cohesion, so the client's "
        "collapse does not carry them away. Cite a seed."))
    support: Support = Field(default_factory=lambda: Support.model_validate({}),
                             description="Support levels at the start.")
    capacity: NonNeg = Field(0.0, le=MAX_CAPACITY, description="Capacity points per turn for strikes, "
                                                               "reinforcements and surges.")
    reserve: NonNeg = Field(0.0, le=MAX_RESERVE, description="Personnel available for reinforcements over the "
                                                             "whole game.")
    description: Text = Field("", description="Who they are, for the briefing.")
    sources: Sources


class UnitFields(Block):
    noun = "unit"
    id: Id = Field(description="Unique unit id.")
    faction: Id = Field(description="Faction the unit belongs to.")
    name: Text = Field(description="Display name.")
    type: UnitTypeName = Field(description="Unit type; sets movement points and combat multipliers.")
    place: Id = Field(description="Place where the unit stands.")
    strength: NonNeg = Field(le=MAX_STRENGTH, description="Personnel.")
    quality: Num = Field(1.0, ge=0.5, le=1.5, description="Training and equipment, 0.5-1.5 (shifts the odds).")
    cohesion: Level = Field(0.7, description="Unit cohesion at the start, 0-1.")
    floor: Level = Field(0.0, description="Least cohesion it keeps whatever happens (elite formations).")


class Unit(UnitFields):
    """A formation on the map at the start."""

    sources: Sources


class AddUnit(UnitFields):
    """Put a new unit on the map (same keys as a unit, without sources)."""


class TurnCond(Block):
    """True on a turn, or from it on."""

    noun = "turn condition"
    turn: Int = Field(ge=1, le=MAX_TURNS, description="Turn number (1 is the first).")
    or_later: Bool = Field(False, description="Also true on every later turn.")


def _turn(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return {"turn": value}
    if value is None or isinstance(value, dict):
        return value
    raise ValueError(f"expected a turn number or {{turn: N, or_later: true}}, got {show(value)}")


class Controls(Block):
    noun = "controls condition"
    faction: Id = Field(description="Faction.")
    place: Id = Field(description="Place it must control.")


class CohesionBelow(Block):
    noun = "cohesion_below condition"
    faction: Id = Field(description="Faction.")
    value: Level = Field(description="True while its cohesion is below this.")


class CorridorClosed(Block):
    noun = "corridor_closed condition"
    corridor: Id = Field(description="Corridor.")
    faction: Id = Field(description="True while the corridor is not open for this faction.")


CONDITIONS = ("turn", "date", "controls", "cohesion_below", "corridor_closed", "flag")
EFFECTS = ("set_support", "set_capacity", "add_unit", "remove_unit", "set_rule", "set_route", "set_flag",
           "change_cohesion", "set_relation", "set_controller")


class Condition(Block):
    """One condition (a mapping with exactly one key); an event fires when all its conditions hold."""

    noun = "condition"
    turn: Annotated[TurnCond, BeforeValidator(_turn, json_schema_input_type=int | TurnCond)] | None = Field(
        None, description="On this turn: `{turn: 2}`, or `{turn: {turn: 2, or_later: true}}`.")
    date: IsoDate | None = Field(None, description="Once the turn's date is on or after this date.")
    controls: Controls | None = Field(None, description="While a faction controls a place.")
    cohesion_below: CohesionBelow | None = Field(None, description="While a faction's cohesion is below a value.")
    corridor_closed: CorridorClosed | None = Field(None, description="While a corridor is closed for a faction.")
    flag: Id | None = Field(None, description="While a scenario flag is set.")
    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "maxProperties": 1})

    @model_validator(mode="before")
    @classmethod
    def _one(cls, value: Any) -> Any:
        return one_key(value, "condition", list(CONDITIONS))


class ValueOrDelta(Block):
    @model_validator(mode="after")
    def _value_or_delta(self) -> ValueOrDelta:
        given = [name for name in ("value", "delta") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give either value (a new level) or delta (a change), not both or neither")
        return self


class SetSupport(ValueOrDelta):
    noun = "set_support effect"
    patron: Id = Field(description="Patron.")
    channel: ChannelName = Field(description="Support channel.")
    value: Level | None = Field(None, description="New level, 0-1.")
    delta: Delta | None = Field(None, description="Change of level (the result is kept in 0-1).")


class SetCapacity(ValueOrDelta):
    noun = "set_capacity effect"
    patron: Id = Field(description="Patron.")
    value: NonNeg | None = Field(None, le=MAX_CAPACITY, description="New capacity points per turn.")
    delta: Num | None = Field(None, ge=-MAX_CAPACITY, le=MAX_CAPACITY, description="Change of capacity points "
                                                                                   "per turn.")


class RemoveUnit(Block):
    noun = "remove_unit effect"
    unit: Id = Field(description="Unit to take off the map.")


class SetRule(Block):
    noun = "set_rule effect"
    name: Id = Field(description="Name of a number-valued rules constant.")
    value: Num = Field(description="Its new value, within the rule's range (see the rules table).")


class SetRoute(Block):
    noun = "set_route effect"
    a: Id = Field(description="Place at one end.")
    b: Id = Field(description="Place at the other end.")
    open: Bool = Field(description="true opens the route, false closes it.")


class SetFlag(Block):
    noun = "set_flag effect"
    flag: Id = Field(description="Flag name.")
    value: Bool = Field(True, description="true sets the flag, false clears it.")


class ChangeCohesion(Block):
    noun = "change_cohesion effect"
    faction: Id = Field(description="Faction.")
    delta: Delta = Field(description="Change of cohesion (the result is kept in 0-1).")


class SetRelation(Block):
    noun = "set_relation effect"
    a: Id = Field(description="One faction.")
    b: Id = Field(description="The other faction.")
    relation: RelationName = Field(description="allied, neutral or hostile (both ways).")


class SetController(Block):
    noun = "set_controller effect"
    place: Id = Field(description="Place.")
    faction: Id = Field(description="Faction that holds it from now on (units there stay: a place held by hostile "
                                    "units alone changes hands again in the next control phase).")


class Effect(Block):
    """One effect (a mapping with exactly one key), applied when the event fires."""

    noun = "effect"
    set_support: SetSupport | None = Field(None, description="Set or change a patron's support on one channel.")
    set_capacity: SetCapacity | None = Field(None, description="Set or change a patron's capacity per turn.")
    add_unit: AddUnit | None = Field(None, description="Put a new unit on the map.")
    remove_unit: RemoveUnit | None = Field(None, description="Take a unit off the map.")
    set_rule: SetRule | None = Field(None, description="Change a number-valued rules constant from now on.")
    set_route: SetRoute | None = Field(None, description="Open or close the route between two places.")
    set_flag: SetFlag | None = Field(None, description="Set or clear a scenario flag.")
    change_cohesion: ChangeCohesion | None = Field(None, description="Change a faction's cohesion.")
    set_relation: SetRelation | None = Field(None, description="Set how two factions stand.")
    set_controller: SetController | None = Field(None, description="Give a place to a faction.")
    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "maxProperties": 1})

    @model_validator(mode="before")
    @classmethod
    def _one(cls, value: Any) -> Any:
        return one_key(value, "effect", list(EFFECTS))


class Event(Block):
    """A scripted event (an inject): when every condition holds and the chance roll passes, its effects
    apply and its message goes to its audience."""

    noun = "event"
    id: Id = Field(description="Unique id.")
    title: Text = Field(description="Headline shown in the turn report.")
    message: Text = Field("", description="Text shown to the audience.")
    audience: list[Id] = Field(default_factory=lambda: ["all"], min_length=1,
                               description='Who sees the message: "all", or faction, patron or team ids.')
    chance: Level = Field(1.0, description="Chance it fires on a turn when its conditions hold.")
    once: Bool = Field(True, description="Fire at most once.")
    when: list[Condition] = Field(default_factory=list, description="Conditions, all of which must hold.")
    effects: list[Effect] = Field(default_factory=list, description="Effects, applied in order.")
    sources: Sources


class Victory(Block):
    """A victory condition: hold (by_turn, default the last), capture (by any turn up to by_turn),
    cohesion_below (target's cohesion below threshold) or points (score reaches threshold)."""

    noun = "victory condition"
    id: Id = Field(description="Unique id.")
    faction: Id = Field(description="Faction that achieves it.")
    kind: VictoryKind = Field(description="hold, capture, cohesion_below or points.")
    places: list[Id] = Field(default_factory=list, description="Places to hold or capture.")
    by_turn: Int | None = Field(None, ge=1, le=MAX_TURNS, description="Last turn it can be achieved; null: the "
                                                                      "last turn.")
    target: Id | None = Field(None, description="For cohesion_below: the faction whose cohesion counts.")
    threshold: Num = Field(0.0, ge=-MAX_THRESHOLD, le=MAX_THRESHOLD, description="Cohesion level (cohesion_below) "
                                                                                 "or score (points) to reach.")
    points: Num = Field(10.0, ge=-MAX_VALUE, le=MAX_VALUE, description="Score it is worth.")
    decisive: Bool = Field(False, description="Achieving it ends the game.")
    description: Text = Field("", description="What it means, for the briefing.")


class BenchmarkBlock(Block):
    """What history did on one measure of a side's fortunes (a share, 0-1); a side's standing is the
    weighted sum of its measures less history's, and it wins by beating history (standing above 0)."""

    noun = "benchmark"
    id: Id = Field(description="Unique id.")
    side: Id = Field(description="Faction or patron it judges.")
    kind: BenchmarkKind = Field(description=(
        "hold: share of `places` its camp holds at the end of by_turn; capture: most of `places` held at "
        "the end of any turn up to by_turn; race: how early it held them ((by_turn - t + 1) / by_turn for the "
        "first turn t, 1 on turn 1); held_turns: the mean share held over turns 1 to by_turn; keep_forces: "
        "share of its own units' strength alive or evacuated; destroy: share of `target`'s strength "
        "destroyed; corridor: share of turns `corridor` is open for its first client; depots: share of the "
        "depots at `places` (empty: all) destroyed; "
        "cohesion: its (first client's) cohesion at the end."))
    places: list[Id] = Field(default_factory=list, description="Places (hold, capture, depots).")
    by_turn: Int | None = Field(None, ge=1, description="Last turn that counts; null: the last turn.")
    target: Id | None = Field(None, description="For destroy: the faction whose strength counts.")
    corridor: Id | None = Field(None, description="For corridor: the corridor.")
    history: Level = Field(description="What history scored on this measure (0-1).")
    weight: NonNeg = Field(1.0, le=MAX_VALUE, description="How much this measure counts in the side's standing.")
    description: Text = Field("", description="What it means and what history did, for the briefing.")
    sources: Sources


class Team(Block):
    """Who plays together in a classroom session."""

    noun = "team"
    id: Id = Field(description="Unique id.")
    name: Text = Field(description="Display name.")
    sides: list[Id] = Field(min_length=1, description="Faction and patron ids the team plays.")


class TutorialStep(Block):
    """One step of an in-game tutorial: the desktop client shows its text until the player does `done_when`."""

    noun = "tutorial step"
    id: Id = Field(description="Unique id.")
    title: Text = Field(description="Headline of the step.")
    text: Text = Field(description="What to do and why, in a sentence or three.")
    done_when: TutorialAction = Field(description=(
        "The player's action that completes the step: select (a unit), move, attack (plan either order), "
        "preview (point at a place the selected unit may attack, to see the combat odds), end_turn, report "
        "(open the turn report), supply (show the supply map mode), patron (plan a patron's order)."))


class Scenario(Block):
    """A Junction scenario file."""

    noun = "scenario"
    meta: Meta = Field(description="Title, calendar and seed.")
    rules: RulesBlock = Field(default_factory=RulesBlock,  # type: ignore[valid-type]
                              description="Rules constants to change; see the rules table.")
    map: MapBlock = Field(description="Places, routes and corridors.")
    factions: list[Faction] = Field(min_length=1, description="Playable sides.")
    patrons: list[Patron] = Field(default_factory=list, description="Outside powers.")
    units: list[Unit] = Field(default_factory=list, description="Units on the map at the start.")
    events: list[Event] = Field(default_factory=list, description="Scripted events (injects).")
    victory: list[Victory] = Field(default_factory=list, description="Victory conditions.")
    benchmarks: list[BenchmarkBlock] = Field(default_factory=list, description=(
        "What history did, per side: with benchmarks, the sides that beat history win at the last turn."))
    teams: list[Team] = Field(default_factory=list, description="Teams for classroom play.")
    tutorial: list[TutorialStep] = Field(default_factory=list, description=(
        "Steps of an in-game tutorial, shown in order in the desktop client as the player acts."))
    ai: dict[str, Any] = Field(default_factory=dict, description=(
        "Bot personality weights per side id (or `default`): a mapping of weight names to numbers; "
        "see docs/ai.md."))
    model_config = ConfigDict(title="Junction scenario")
