"""What the selected unit or patron can do now: the action buttons of the orders tab, each with what it
does or, when it cannot be done, why."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from game.engine import AirStrike, Channel, Posture, Reinforce, SupplySurge
from game.engine.orders import support_level

if TYPE_CHECKING:
    from .scenes.game import GameScene

Action = tuple[str, str, Callable[[], Any], bool, str]
"""(label, short label, what it does, whether it can be done now, tooltip: what it does or why not)."""
PATRON_ACTIONS = {"strike": (AirStrike, Channel.AIR, "air"), "reinforce": (Reinforce, Channel.GROUND, "ground")}


def unit_actions(sc: GameScene) -> list[Action]:
    """Hold, entrench and withdraw for the selected unit; those it cannot do are disabled with the reason."""
    u = sc.selected
    assert u is not None
    kinds = {type(o).__name__ for o in sc.legal.for_unit(sc.state, u)}
    withdraw = bool(sc.withdraw_options())
    routed = int(sc.state.u_posture[u]) == int(Posture.ROUTED)
    return [("Hold (H)", "Hold", lambda: sc.posture("hold"), "Hold" in kinds, "Stay and defend (H)"),
            ("Entrench (E)", "Entrench", lambda: sc.posture("entrench"), "Entrench" in kinds,
             "Dig in: a better defence, no movement (E)" if "Entrench" in kinds else
             "A routed unit can only hold or fall back" if routed else "It cannot entrench now"),
            ("Withdraw (W)", "Withdraw", lambda: sc.posture("withdraw"), withdraw,
             "Fall back to an adjacent friendly place before any fighting (W)" if withdraw else
             "No adjacent friendly place free of enemies to fall back to")]


def patron_action_ok(sc: GameScene, side: str, kind: str) -> tuple[bool, str]:
    """Whether a patron can give an air strike ("strike") or reinforcements ("reinforce") now, and the
    tooltip: what it does, or why it cannot."""
    st = sc.state
    pi = st.world.patron_index[side]
    name = st.world.patrons[pi].name
    cls, channel, word = PATRON_ACTIONS[kind]
    cost = st.rules.cost_air_strike if kind == "strike" else st.rules.cost_reinforce
    left = sc.session.capacity_left(side, channel)
    if support_level(st, pi, channel) <= 0:
        return False, f"{name} gives no {word} support now"
    if kind == "reinforce" and float(st.p_reserve[pi]) <= 0:
        return False, f"{name} has no reserve troops left"
    if left < cost - 1e-9:
        return False, f"Not enough {word} capacity left this turn ({left:g} of {float(st.p_capacity[pi]):g}; " \
                      f"this costs {cost:g})"
    if not any(isinstance(o, cls) for o in sc.legal.get(st, side)):
        return False, "No enemy units within reach of an air strike" if kind == "strike" else \
            "No place open to reinforcements now (the corridor is closed)"
    return True, "Air strike: then click a highlighted place with enemy units" if kind == "strike" else \
        "Reinforcements: then click a highlighted place along the open corridor"


def patron_actions(sc: GameScene, side: str) -> list[Action]:
    """Strike, reinforce and surge for a patron, within its capacity; those it cannot do say why."""
    st = sc.state
    r = st.rules
    pat = st.world.patrons[st.world.patron_index[side]]
    out: list[Action] = []
    for kind, label, cost in (("strike", "Strike", r.cost_air_strike), ("reinforce", "Reinforce",
                                                                       r.cost_reinforce)):
        ok, tip = patron_action_ok(sc, side, kind)
        out.append((f"{label} ({cost:g})", label, lambda k=kind: sc.start_targeting(k), ok, tip))  # type: ignore
    if pat.clients:
        planned = sc.session.planned[side]
        todo = [SupplySurge(side, c) for c in pat.clients if SupplySurge(side, c) not in planned]
        legal = [o for o in sc.legal.get(st, side) if isinstance(o, SupplySurge) and o in todo]
        names = " or ".join(sc.short_name(c) for c in pat.clients)
        left = sc.session.capacity_left(side, Channel.SUPPLY)
        ok = bool(legal) and left >= r.cost_supply_surge - 1e-9
        why = ("Every client already gets a surge this turn" if not todo else
               f"Not enough supply capacity left this turn ({left:g})" if left < r.cost_supply_surge - 1e-9 else
               f"{pat.name} cannot surge supplies now (no supply support, or no open way)")
        out.append((f"Surge ({r.cost_supply_surge:g})", "Surge", lambda: sc.plan(legal[0]) if legal else None, ok,
                    f"Push supplies to {names} (click again for the next client)" if ok else why))
    return out
