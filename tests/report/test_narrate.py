"""Report sentences: unseen units of one faction breaking at one place in a turn are told once, counted."""

from __future__ import annotations

from game.engine.news import EventView
from game.report.narrate import Names, describe, gather_unseen


def broke(place: str, strength: object, faction: str = "gov", unseen: int = 1, unit: object = ()) -> EventView:
    return EventView("MoraleFailed", place, False, {"unit": list(unit) if unit else [], "unit_unseen": unseen,
                                                    "faction": faction, "place": place, "broke": True,
                                                    "strength": strength})


def test_unseen_breaks_at_one_place_are_told_once_with_their_losses_added() -> None:
    other = EventView("PlaceCaptured", "homs", False, {"faction": "hts", "previous": "gov", "place": "homs"})
    events = [broke("hasya", "0-100"), other, broke("hasya", "200-500", unseen=2), broke("nabk", "0-100"),
              broke("hasya", "0-100", faction="hzb"), broke("hasya", 40.0, unit=["gov_seen"])]
    out = gather_unseen(events)
    assert [e.place for e in out] == ["hasya", "homs", "nabk", "hasya", "hasya"]  # where the first one was
    assert out[0].data["unit_unseen"] == 3 and out[0].data["strength"] == "200-600"
    assert out[2] is events[3] and out[3] is events[4] and out[4] is events[5]  # another place, side, a seen unit
    assert events[0].data["unit_unseen"] == 1  # the view's own events are left as they were
    n = Names()
    n.names.update({"gov": "Government", "hasya": "Hasya"})
    assert describe(out[0], n) == "3 unseen Government units broke at Hasya (lost 200-600)."


def test_exact_losses_add_up_exactly_and_a_lone_break_is_left_alone() -> None:
    out = gather_unseen([broke("hasya", 30.0), broke("hasya", 12.5)])
    assert len(out) == 1 and out[0].data["strength"] == 42.5
    lone = [broke("hasya", "0-100")]
    assert gather_unseen(lone) == lone


def test_a_team_page_tells_unseen_breaks_at_one_place_once() -> None:
    from types import SimpleNamespace

    from game.net.payloads import _event_lines

    view = SimpleNamespace(events=[broke("hasya", "0-100"), broke("hasya", "100-200")])
    n = Names()
    n.names.update({"gov": "Government", "hasya": "Hasya"})
    report, told = _event_lines(view, n)  # type: ignore[arg-type]
    assert report == ["2 unseen Government units broke at Hasya (lost 100-300)."] and told == []
