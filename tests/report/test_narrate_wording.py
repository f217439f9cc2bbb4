"""Report wording: a battle that goes on inside a place (street fighting) is told as fighting inside it, not as
an attack nobody ordered that turn (an attack from outside is told as before, and the desktop's turn report says
the same); reinforcements are counted in troops."""

from __future__ import annotations

from dataclasses import asdict

from game.engine import events as ev
from game.engine.news import EventView
from game.report.narrate import Names, describe
from game.ui.scenes.eventtext import _combat
from tests.engine.test_combat import duel, forced


def combat(inside: bool) -> ev.Combat:
    return ev.Combat("homs", "hts", "government", ("hts_red_bands",), ("gov_homs",), 1.5, 0.4, False, 120.0, 80.0,
                     "engaged", "3:2", (), inside)


def test_fighting_inside_a_place_is_not_told_as_an_attack() -> None:
    n = Names()
    n.names.update({"hts": "HTS", "government": "Government", "homs": "Homs"})
    outside = describe(EventView("Combat", "homs", True, asdict(combat(False))), n)
    inside = describe(EventView("Combat", "homs", True, asdict(combat(True))), n)
    assert outside.startswith("HTS attacked Homs, held by Government")
    assert inside.startswith("HTS fought Government inside Homs") and "attacked" not in inside
    assert "HTS lost 120, Government 80." in inside


def test_the_desktop_report_tells_street_fighting_as_fighting_inside() -> None:
    from game.ui.scenes.eventtext import Namer

    s = duel(forced("engaged"))
    n = Namer(s)
    red, blue, b = n.s("red"), n.s("blue"), n.p("b")
    e = ev.Combat("b", "red", "blue", ("r1",), ("b1",), 1.5, 0.4, False, 120.0, 80.0, "engaged", "3:2", (), True)
    text = _combat(e, n)
    assert text.startswith(f"{red} fought {blue} inside {b}") and "attacked" not in text
    assert _combat(ev.Combat(*[getattr(e, f) for f in ("place", "attacker", "defender", "attackers", "defenders",
                                                        "ratio", "chance", "success", "attacker_losses",
                                                        "defender_losses", "result", "column", "shifts")]),
                   n).startswith(f"{red} attacked {b}")


def test_reinforcements_are_counted_in_troops_not_units() -> None:
    n = Names()
    n.names.update({"turkey": "Turkey", "sna": "SNA", "aleppo": "Aleppo"})
    data = {"patron": "turkey", "faction": "sna", "unit": "turkey_t2_0", "place": "aleppo", "strength": 33.0}
    assert describe(EventView("ReinforcementsArrived", "aleppo", True, data), n) == \
        "Turkey sent reinforcements (33 troops) for SNA to Aleppo."
