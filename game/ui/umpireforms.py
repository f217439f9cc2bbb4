"""The umpire's console's forms as data: for each ruling, its fields (choices and typed text) and how the
values read back as the ruling, which the desk umpire (umpiredesk.py) applies. The choices are the hosted
console's (game/net/payloads.py `ruling_choices`): the scenario's injects, places and factions, patrons'
support by channel, the rules that are one number (with their ranges), the battles of the turn just played.
No pygame here, so the forms are tested without a window."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from game.engine.crt import RESULTS
from game.engine.rules import rule_limits
from game.engine.rulings import CombatResult, FireInject, MatrixAction, Modifier, NewInject, Override
from game.engine.specs import SetController, SetRule, SetSupport
from game.engine.types import CHANNELS, Channel
from game.engine.umpire_checks import NUMBER_RULES

from . import umpiredesk
from .session import Session, side_name

Options = list[tuple[str, str]]
"""(value, what the menu shows) of a choice."""
UMPIRE_ALONE = "-"
"""The audience value of "the umpire alone" (told to nobody)."""


@dataclass(frozen=True)
class Field:
    """One input: a choice among `options`, or typed text (`options` None) with a hint."""

    key: str
    label: str
    options: Options | None = None
    hint: str = ""
    initial: str = ""


@dataclass
class Form:
    """One ruling's form: rows of one or two fields, the button, and how its values make the ruling (or
    say what is missing). `note` instead of fields when the ruling cannot be made now."""

    id: str
    tab: str
    title: str
    rows: list[list[Field]] = field(default_factory=list)
    submit: str = "Rule (on the record)"
    make: Callable[[Mapping[str, str]], Override | MatrixAction | str] | None = None
    note: str = ""


def audience_options(session: Session) -> Options:
    teams = [(t.id, t.name) for t in session.state.world.teams]
    return [("all", "everyone"), *teams, (UMPIRE_ALONE, "the umpire alone")]


def audience_of(values: Mapping[str, str]) -> tuple[str, ...]:
    a = values.get("audience", "all")
    return () if a == UMPIRE_ALONE else (a,)


def reason_field() -> Field:
    return Field("reason", "Reason", hint="why (required, on the record)")


def audience_field(session: Session) -> Field:
    return Field("audience", "Told to", audience_options(session))


def reason_rows(session: Session) -> list[list[Field]]:
    """The reason on a row of its own (its hint is read whole at any window size), then who is told."""
    return [[reason_field()], [audience_field(session)]]


def number(values: Mapping[str, str], key: str, what: str) -> float | str:
    """The typed number, or what is wrong with it."""
    text = values.get(key, "").strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return f"{what}: type a number" if not text else f"{what}: {text[:20]!r} is not a number"


def needs_reason(make: Callable[[Mapping[str, str]], Override | MatrixAction | str]
                 ) -> Callable[[Mapping[str, str]], Override | MatrixAction | str]:
    """Every ruling needs a reason: refused here, before the engine, with the form's own words."""
    def checked(values: Mapping[str, str]) -> Override | MatrixAction | str:
        if not values.get("reason", "").strip():
            return "Give a reason: every ruling is on the record with why it was made."
        return make(values)
    return checked


def _override(change: object, values: Mapping[str, str]) -> Override:
    return Override(change, values["reason"].strip(), audience_of(values))  # type: ignore[arg-type]


def inject_form(session: Session) -> Form:
    fired = session.state.fired
    injects = [(i.id, i.title) for i in session.state.world.injects if i.id not in fired]
    return Form("inject", "Fire inject", "Fire one of the scenario's injects now", [
        [Field("inject", "Inject", injects)], *reason_rows(session)], "Fire it now",
        needs_reason(lambda v: _override(FireInject(v["inject"]), v)),
        "" if injects else "Every scripted inject of this scenario has fired (each fires once).")


def new_inject_form(session: Session) -> Form:
    def make(v: Mapping[str, str]) -> Override | str:
        if not v.get("title", "").strip():
            return "Give the inject a title."
        return _override(NewInject(v["title"].strip(), v.get("message", "").strip()), v)

    return Form("new_inject", "Write inject", "Write an inject: a message to everyone or one team", [
        [Field("title", "Title", hint="a headline")], [Field("message", "Message", hint="what they are told")],
        *reason_rows(session)], "Send the inject", needs_reason(make))


def controller_form(session: Session) -> Form:
    s = session.state
    w = s.world
    places = [(p.id, f"{p.name} (held by {w.factions[int(s.controller[i])].short})")
              for i, p in enumerate(w.board.places)]
    factions = [(f.id, f.name) for f in w.factions]
    return Form("controller", "Controller", "Give a place to a faction", [
        [Field("place", "Place", places)], [Field("faction", "To", factions)], *reason_rows(session)],
        make=needs_reason(lambda v: _override(SetController(v["place"], v["faction"]), v)))


def support_form(session: Session) -> Form:
    s = session.state
    patrons = [(p.id, f"{p.name} ({', '.join(f'{c.value} {s.p_support[k, j]:.2f}' for j, c in enumerate(CHANNELS))})")
               for k, p in enumerate(s.world.patrons)]

    def make(v: Mapping[str, str]) -> Override | str:
        value = number(v, "value", "New level")
        if isinstance(value, str):
            return value
        return _override(SetSupport(v["patron"], Channel(v["channel"]), value), v)

    return Form("support", "Support", "Change a patron's support level (0 to 1)", [
        [Field("patron", "Patron", patrons)],
        [Field("channel", "Channel", [(c.value, c.value) for c in CHANNELS]),
         Field("value", "Level", hint="new level, 0 to 1")], *reason_rows(session)],
        make=needs_reason(make), note="" if patrons else "This scenario has no patrons.")


def rule_form(session: Session) -> Form:
    rules = session.state.rules
    names = [(r, f"{r} = {getattr(rules, r):g} ({rule_limits(r)[0]:g} to {rule_limits(r)[1]:g})")
             for r in sorted(NUMBER_RULES)]

    def make(v: Mapping[str, str]) -> Override | str:
        value = number(v, "value", "New value")
        return value if isinstance(value, str) else _override(SetRule(v["rule"], value), v)

    return Form("rule", "Rule", "Change a rule of the game (a number of the rules: block)", [
        [Field("rule", "Rule", names)], [Field("value", "New value", hint="a number in its range")],
        *reason_rows(session)], make=needs_reason(make))


def combat_form(session: Session) -> Form:
    battles = umpiredesk.battles(session)
    names = {p.id: p.name for p in session.state.world.board.places}
    turn = session.last.before.turn if session.last is not None else session.state.turn
    return Form("combat", "Combat result", f"Change a combat result of turn {turn}", [
        [Field("place", "Battle", [(p, f"{names.get(p, p)}: {r}") for p, r in battles])],
        [Field("result", "Result", [(r, r) for r in RESULTS])], *reason_rows(session)],
        make=needs_reason(lambda v: _override(CombatResult(v["place"], v["result"]), v)),
        note="" if battles else "No battle of the turn just played can be changed now: none was fought, or another "
                                "ruling came after the turn (combat results are changed first).")


def parts(text: str) -> tuple[str, ...]:
    """Arguments typed on one line, separated by semicolons."""
    return tuple(p.strip() for p in text.split(";") if p.strip())


def modifiers(v: Mapping[str, str]) -> tuple[Modifier, ...] | str:
    out = []
    for k in (1, 2):
        text = v.get(f"mod{k}", "").strip()
        if not text:
            continue
        try:
            value = int(text.replace("+", ""))
        except ValueError:
            return f"Modifier {k}: a whole number from -6 to +6, got {text[:12]!r}"
        why = v.get(f"mod{k}_why", "").strip()
        if not why:
            return f"Modifier {k}: say why ({value:+d})"
        out.append(Modifier(why, value))
    return tuple(out)


def matrix_form(session: Session) -> Form:
    teams = [(t.id, t.name) for t in session.state.world.teams] or [
        (s, side_name(session.state, s)) for s in session.state.world.sides]

    def make(v: Mapping[str, str]) -> MatrixAction | str:
        if not v.get("action", "").strip():
            return "State the team's action."
        args = parts(v.get("arguments", ""))
        if not args:
            return "Give at least one argument for the action."
        mods = modifiers(v)
        if isinstance(mods, str):
            return mods
        needed = number(v, "needed", "Needed")
        if isinstance(needed, str):
            return needed
        return MatrixAction(v["team"], v["action"].strip(), args, v["reason"].strip(),
                            parts(v.get("counter", "")), mods, int(needed), v.get("outcome", "").strip(),
                            (), audience_of(v))

    return Form("matrix", "Matrix action", "Matrix-game action: argued, modified, decided by 2d6", [
        [Field("team", "Team", teams)],
        [Field("needed", "Needed", hint="2 to 12", initial="7"), audience_field(session)],
        [Field("action", "Action", hint="what the team does")],
        [Field("arguments", "Arguments", hint="for it; separate several with ;")],
        [Field("counter", "Counter", hint="counter-arguments; separate with ;")],
        [Field("mod1", "Modifier", hint="±n"), Field("mod1_why", "Why", hint="why this modifier")],
        [Field("mod2", "Modifier", hint="±n"), Field("mod2_why", "Why", hint="why this modifier")],
        [Field("outcome", "Outcome", hint="what happens on success (told)")], [reason_field()]],
        "Roll 2d6 and rule", needs_reason(make))


FORMS = (inject_form, new_inject_form, controller_form, support_form, rule_form, combat_form, matrix_form)


def forms(session: Session) -> list[Form]:
    """Every ruling's form for the session as it is now."""
    return [make(session) for make in FORMS]
