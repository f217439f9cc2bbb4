"""The desk session without a window: planning with undo, seats, end of turn, replay equality."""

from __future__ import annotations

from game.engine import AirStrike, Attack, Channel, Entrench, Move, Reinforce, SupplySurge, Team, state_hash
from game.sim.runner import run_game
from game.ui.session import Control, Session, new_session
from tests.ui.conftest import patron_state


def human(state, *sides):
    return new_session(state, seed=7, controls={s: Control(s in sides) for s in state.world.sides})


def test_plan_replaces_the_units_order_and_undo_restores_it(state):
    s = human(state, "red")
    assert s.plan("red", Move("r2", "p1")) is None
    assert s.plan("red", Entrench("r2")) is None
    assert s.planned["red"] == [Entrench("r2")]
    assert s.undo() == Entrench("r2")
    assert s.planned["red"] == [Move("r2", "p1")]
    assert s.undo() == Move("r2", "p1")
    assert s.planned["red"] == [] and s.undo() is None


def test_refused_orders_give_the_engines_reason(state):
    s = human(state, "red")
    assert s.plan("red", Attack("r1", "p4")) is not None
    assert "computer" in (s.plan("blue", Move("b1", "p3")) or "")
    assert s.planned["red"] == []


def test_patron_spending_stays_within_capacity_on_each_channel(state):
    """As in the engine, air missions, ground help and supplies each have the patron's whole capacity."""
    state.p_capacity[state.world.patron_index["pat"]] = 1.0
    s = human(state, "pat")
    assert s.plan("pat", AirStrike("pat", "p2")) is None
    assert s.plan("pat", AirStrike("pat", "p2")) == "already planned"
    assert s.capacity_left("pat", Channel.AIR) == 0.0 and s.capacity_left("pat", Channel.GROUND) == 1.0
    assert "air capacity" in (s.plan("pat", AirStrike("pat", "p4")) or "")
    assert s.plan("pat", Reinforce("pat", "p0", "red")) is None
    assert s.plan("pat", SupplySurge("pat", "red")) is None
    assert s.capacity_left("pat") == 0.0
    s.remove("pat", 0)
    assert s.capacity_left("pat", Channel.AIR) == 1.0
    assert s.plan("pat", AirStrike("pat", "p4")) is None


def test_end_turn_resolves_human_orders_and_clears_the_plan(state):
    s = human(state, "red")
    s.plan("red", Attack("r1", "p2"))
    r = s.end_turn()
    assert r.after.turn == 2 and s.state is r.after
    assert r.orders["red"] == [Attack("r1", "p2")] and r.orders["blue"]
    assert s.planned["red"] == [] and len(s.history) == 2 and len(s.log) == 1


def test_an_all_ai_session_plays_exactly_like_the_runner(state):
    s = new_session(state, seed=11)
    for _ in range(3):
        s.end_turn()
    assert state_hash(s.state) == state_hash(run_game(state, 3, 11).final)


def test_hotseat_seats_follow_teams_and_world_order():
    state = patron_state()
    world = state.world
    object.__setattr__(world, "teams", (Team("reds", "Red team", ("red", "pat")),))
    s = human(state, "red", "blue", "pat")
    assert [(x.label, x.sides) for x in s.seats()] == [("Red team", ("red", "pat")), ("Blue", ("blue",))]
    assert s.current_seat().sides == ("red", "pat")
    assert not s.finish_seat() and s.current_seat().label == "Blue"
    assert s.finish_seat()


def test_session_round_trips_through_a_dict(state):
    s = human(state, "red", "pat")
    s.plan("red", Move("r2", "p1"))
    s.end_turn()
    s.plan("pat", SupplySurge("pat", "red"))
    assert s.has_unsaved_orders()
    copy = Session.from_dict(s.to_dict())
    assert state_hash(copy.state) == state_hash(s.state)
    assert copy.planned == s.planned and copy.history == s.history and copy.controls == s.controls
    assert copy.planned["pat"] and not copy.has_unsaved_orders()


def test_ai_levels_come_from_the_ai_package_and_every_level_plays(state):
    from game.ui.session import ai_levels

    assert set(ai_levels()) >= {"easy", "normal", "hard"}
    for level in ai_levels():
        s = new_session(state, seed=2, controls={side: Control(False, level) for side in state.world.sides})
        assert s.end_turn().after.turn == 2


def test_a_team_keeps_its_place_in_the_hand_off_order_when_its_faction_is_out() -> None:
    from tests.boards import fog_state

    s = fog_state()
    ses = new_session(s, controls={side: Control(side in ("red", "airwing", "blue")) for side in s.world.sides})
    assert [seat.sides for seat in ses.seats()] == [("red", "airwing"), ("blue",)]
    for i, u in enumerate(s.units):
        if u.faction == "red":
            ses.state.u_strength[i] = 0.0  # Red is out; its patron still sits for the team
    ses._seats = None
    assert [seat.sides for seat in ses.seats()] == [("airwing",), ("blue",)]
