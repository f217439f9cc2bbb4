"""The hard level: one-ply lookahead. A few candidate plans (the planner under different
personalities, the normal bot's own among them, and for a side chasing a capture goal the race plans of
race.py) race each other: each is resolved with the engine on common sampled dice against the normal bot's
predicted orders for every other side, a few rolls at a time; those clearly behind the leader drop out, and
the leader is played. The evaluation rewards what wins: the lead over the best rival on victory prospects,
not breaking, and (one turn further) the chances of winning the race next turn, the side's own against its
rivals'."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace

import numpy as np

from game.engine import Entrench, Hold, Order, State, resolve_turn, victory
from game.engine.benchmarks import standings

from .assess import (
    _cached,
    make_view,
    objective_values,
    open_adjacency,
    open_matrix,
    place_factor,
    success_chance,
    unit_powers,
)
from .stake import broken_stand
from .weights import Weights

Plan = Callable[[State, str, Weights, np.random.Generator], list[Order]]

PROXY = 0.3
"""Weight of the proxies (objective value, strength, cohesion) against the lead on prospects."""
COLLAPSE = 60.0
"""Cost of breaking (and, scaled, of coming within 0.05 of the breakpoint): it loses games."""
STANDING = 40.0
"""Weight of the side's standing against its benchmarks (where it has any): at the end it decides who wins."""
WIN = 100.0
"""Worth of winning the game outright; a rival's win costs LOSS."""
LOSS = -50.0
OWN = 1.0
"""Weight, against WIN, of the side's own chance of completing its race next turn (see `completion_chances`)."""
PRESSURE = 0.5
"""Weight of what the side threatens next turn less what it stands to lose (see `pressure`)."""


def variants(w: Weights, is_patron: bool, behind: bool = True, chasing: bool = False) -> list[Weights]:
    """Candidate personalities around the side's own weights; a side `behind` its best rival also
    tries all-out attacks (piecemeal and concentrated), a gamble a side ahead does not need. A side
    `chasing` an open capture goal is not offered standing still: a one-turn lookahead sees the losses
    of an attack but not the race it loses by waiting."""
    if is_patron:
        return [w, replace(w, focus=0.0), replace(w, surge_margin=1.0)]
    out = [
        w,
        replace(w, aggression=w.aggression * 1.6, attack_odds=max(0.3, w.attack_odds - 0.12),
                commit_odds=min(0.95, w.commit_odds + 0.1), reserve=0.0),
    ]
    if not chasing:
        out += [replace(w, aggression=w.aggression * 0.5, caution=w.caution * 1.6,
                        withdraw_odds=min(w.withdraw_odds, 0.8)),
                replace(w, aggression=0.0, reserve=0.0)]
    if not behind:
        return out
    return out + [
        replace(w, aggression=w.aggression * 4.0, attack_odds=0.05, commit_odds=0.0, withdraw_odds=1.01,
                caution=w.caution * 0.1, reserve=0.0),
        replace(w, aggression=w.aggression * 4.0, attack_odds=0.05, commit_odds=0.95, withdraw_odds=1.01,
                caution=w.caution * 0.1, reserve=0.0),
    ]


def prospects(s: State) -> np.ndarray:
    """Each faction's score as it stands plus the expected points of the conditions still open:
    a hold or capture condition counts its share of places held, a cohesion_below one how far the
    target's cohesion has fallen toward the threshold (decisive conditions count triple)."""
    world = s.world
    out = victory.scores(s, s.achieved)
    idx = world.board.index
    for vc in world.victory:
        if vc.id in s.achieved or (vc.by_turn is not None and s.turn > vc.by_turn):
            continue
        f = world.faction_index[vc.faction]
        if vc.kind in ("hold", "capture") and vc.places:
            held = sum(int(s.controller[idx[p]]) == f and not s.contested[idx[p]] for p in vc.places)
            share = held / len(vc.places)
            part = share ** 2 if vc.kind == "capture" else share
        elif vc.kind == "cohesion_below":
            target = world.faction_index[vc.target] if vc.target else f
            coh = float(s.f_cohesion[target])
            part = float(np.clip((1.0 - coh) / max(1.0 - vc.threshold, 1e-6), 0.0, 1.0)) ** 3
        elif vc.kind == "points":
            part = float(np.clip(out[f] / max(vc.threshold, 1e-6), 0.0, 1.0)) ** 2
        else:
            continue
        out[f] += vc.points * part * (3.0 if vc.decisive else 1.0)
    return out


def margin(s: State, faction: int) -> float:
    """How far `faction` stands ahead of (or behind) its best-placed rival on prospects: what wins."""
    pro = prospects(s)
    rivals = np.delete(pro, faction)
    return float(pro[faction]) - (float(rivals.max()) if len(rivals) else 0.0)


def pressure(s: State, faction: int, w: Weights) -> float:
    """What the side threatens for the next turn less what it stands to lose: the objective value of every
    enemy-held place × the chance the side's units next door would take it, less the same for its own
    places under the enemy's guns. It lets a one-turn lookahead see the worth of bringing units up."""
    v = make_view(s, faction, w)
    near = open_matrix(s) @ v.own_att
    out = 0.0
    for q in np.flatnonzero(v.enemy_held & (near > 0)).tolist():
        d = float(v.enemy_def[q])
        out += float(v.values[q]) * (success_chance(s, float(near[q]) / d) if d > 0 else 1.0)
    for q in np.flatnonzero(v.friend_held & (v.threat > 0)).tolist():
        out -= float(v.values[q]) * v.enemy_chance(q)
    return out


def completion_chances(s: State) -> np.ndarray:
    """Per faction: the chance it meets one of its open decisive capture conditions next turn, each place
    it lacks taken (at the engine's odds) by its and its allies' units there or one open route away, the
    places it holds kept. The evaluation weighs it like the outcome itself, for the rivals and for the side:
    one turn of lookahead sees a race won within the turn, and without this neither the rival's win that a
    failed gamble hands over nor the worth of taking first the place that is hard to take (a fortified one
    taken leaves an easy one for next turn; the easy one taken leaves the hard one still to do)."""
    world = s.world
    out = np.zeros(len(world.factions))
    open_ = [vc for vc in world.victory if vc.kind == "capture" and vc.decisive and vc.places
             and vc.id not in s.achieved and (vc.by_turn is None or s.turn < vc.by_turn)]
    if not open_ or s.outcome is not None:
        return out
    idx = world.board.index
    adj = open_adjacency(s)
    pw = _cached(s, "ai_powers", lambda: unit_powers(s))
    pf = place_factor(s)
    alive = s.u_strength > 0
    n = world.board.n_places
    friends: dict[int, np.ndarray] = {}  # per faction: its and its allies' living units
    foes: dict[int, np.ndarray] = {}
    for vc in open_:
        f = world.faction_index[vc.faction]
        if f not in friends:
            friends[f] = alive & s.friendly[f, s.u_faction]
            foes[f] = alive & s.hostile[f, s.u_faction]
        chance = 1.0
        for name in vc.places:
            q = idx[name]
            if int(s.controller[q]) == f and not s.contested[q]:
                continue
            around = np.zeros(n, dtype=bool)
            around[q] = True
            around[adj[q]] = True
            att = float(pw.attack[around[s.u_place] & friends[f]].sum())
            at_q = (s.u_place == q) & foes[f]
            dfn = float(pw.defence[at_q].sum()) * float(pf[q])
            chance *= (success_chance(s, att / dfn) if dfn > 0 else 1.0) if att > 0 else 0.0
            if chance <= 0.0:
                break
        out[f] = max(out[f], chance)
    return out


def evaluate(s: State, faction: int, w: Weights, side: str | None = None) -> float:
    """How good a state is for `faction` (played by `side`, itself or its patron): the lead on prospects over
    the best rival and the side's standing against its benchmarks, then objective value held against lost,
    strength, cohesion against the enemies', collapses."""
    world = s.world
    values = objective_values(world, faction, w)
    friend = s.friendly[faction, s.controller] & ~s.contested
    hostile = s.hostile[faction, s.controller] & ~s.contested
    score = float(values[friend].sum()) - 0.5 * float(values[hostile].sum())
    alive = s.u_strength > 0
    mine = alive & s.friendly[faction, s.u_faction]
    theirs = alive & s.hostile[faction, s.u_faction]
    score += 0.5 * float(s.u_strength[mine].sum()) / 1000.0 - 0.3 * float(s.u_strength[theirs].sum()) / 1000.0
    enemies = np.flatnonzero(s.hostile[faction])
    score += 20.0 * float(s.f_cohesion[faction])
    if len(enemies):
        score -= 10.0 * float(s.f_cohesion[enemies].mean())
        score += 15.0 * float(s.f_collapsed[enemies].sum())
    score -= 30.0 * float(s.f_collapsed[faction])
    score = PROXY * score + margin(s, faction) + PRESSURE * pressure(s, faction, w)
    judged = side or world.factions[faction].id
    if any(b.side == judged for b in world.benchmarks):
        score += STANDING * standings(s).get(judged, 0.0)
    if not world.factions[faction].insurgent:  # a network of cells never breaks as a whole
        edge = float(s.f_cohesion[faction]) - world.factions[faction].breakpoint
        score -= COLLAPSE * (float(s.f_collapsed[faction]) + max(0.0, 1.0 - edge / 0.05))
    if s.outcome is not None:
        won = world.factions[faction].id in s.outcome.winners
        score += WIN if won else LOSS if s.outcome.winners else 0.0
    else:  # one turn further: the chances a rival, or the side, wins the race next turn, at the outcome's weight
        chances = completion_chances(s)
        rivals = np.delete(chances, faction)
        score += LOSS * (1.0 - float(np.prod(1.0 - rivals)))
        score += OWN * WIN * float(chances[faction])
    return score


def open_captures(s: State, faction: int) -> Iterator[list[int]]:
    """For each of `faction`'s capture conditions still open, the places of it the faction does not hold
    uncontested (empty for a condition it holds entirely)."""
    world = s.world
    idx = world.board.index
    fid = world.factions[faction].id
    for vc in world.victory:
        if vc.faction != fid or vc.kind != "capture" or vc.id in s.achieved or not vc.places:
            continue
        if vc.by_turn is not None and s.turn > vc.by_turn:
            continue
        yield [q for q in (idx[p] for p in vc.places) if int(s.controller[q]) != faction or bool(s.contested[q])]


def is_chasing(s: State, faction: int) -> bool:
    """Whether `faction` has a capture condition still open whose places it does not all hold."""
    return any(open_captures(s, faction))


def judge(s: State, side: str) -> int | None:
    """The faction whose fortunes decide for `side`: itself, a patron's first client, or None."""
    world = s.world
    if side in world.faction_index:
        return world.faction_index[side]
    pat = world.patrons[world.patron_index[side]]
    for c in pat.clients:
        if c in world.faction_index:
            return world.faction_index[c]
    return None


def interdiction_value(s: State, side: str) -> float:
    """For a patron without clients: the strength left to the factions it strikes (less is better)."""
    world = s.world
    pat = world.patrons[world.patron_index[side]]
    targets = [world.faction_index[f] for f in pat.strikes if f in world.faction_index]
    mask = np.isin(s.u_faction, targets) & (s.u_strength > 0)
    return -float(s.u_strength[mask].sum()) / 1000.0


ROLLOUT = 1
LATE = 1.0
CHASE = True
BATCH = 2
"""Dice rolls added to the race at a time, common to every candidate still running (like compared with like)."""
MIN_ROLLS = 4
"""Rolls every candidate is resolved with before any is dropped."""
MAX_ROLLS = 8
"""Rolls after which the leader is played. A single roll of a turn varies by about 30 points of the
evaluation, so the plans worth telling apart need several; the race spends them only on the close ones."""
Z = 2.0
"""A candidate is dropped once its mean shortfall against the leader, roll by roll on the same dice, is more
than Z standard errors of that shortfall (or it did exactly as the leader on every roll)."""
EDGE = 0.5
"""The leader is played instead of the normal bot's plan only if its mean lead over it, roll by roll, is more
than EDGE standard errors of that lead: the best of several plans on the same rolls is partly the luckiest."""


def leader(values: Mapping[int, Sequence[float]], base: int) -> int:
    """The candidate with the best mean over the rolls so far, the normal bot's plan (`base`) on a tie."""
    return max(values, key=lambda k: (float(np.mean(values[k])), k == base))


def still_running(values: Mapping[int, Sequence[float]], base: int, z: float = Z) -> list[int]:
    """The candidates kept in the race: the leader, and every other one that is not clearly behind it on
    the paired differences (rolls on the same dice), nor identical to it on every roll."""
    top = leader(values, base)
    lead = values[top]
    return [top] + [k for k, v in values.items()
                    if k != top and not np.array_equal(v, lead) and not clearly_ahead(lead, v, z)]


def clearly_ahead(a: Sequence[float], b: Sequence[float], z: float) -> bool:
    """Whether `a` beats `b` on the paired rolls by more than `z` standard errors of the difference (never on
    fewer than two rolls: one cannot say how far a difference might be chance)."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if len(d) < 2:
        return False
    return float(d.mean()) > z * float(d.std(ddof=1)) / math.sqrt(len(d))


def best_plan(s: State, side: str, w: Weights, plan: Plan, others: Mapping[str, Sequence[Order]],
              rng: np.random.Generator,
              predict: Callable[[State, np.random.Generator], Mapping[str, Sequence[Order]]] | None = None,
              extra: Sequence[list[Order]] = ()) -> list[Order]:
    """Race the distinct candidates on common dice: every candidate still running is resolved on the same
    `BATCH` new rolls at a time; from `MIN_ROLLS` on, one clearly behind the leader on the paired differences
    (see `still_running`) is dropped, and after `MAX_ROLLS` (or once one is left) the leader on the mean is
    played if it is clearly ahead (`EDGE`) of the normal bot's own plan (`extra[0]`; else the first
    candidate), or that plan has dropped out; otherwise the normal bot's plan. Paired rolls tell
    apart plans that differ by a battle or two, which independent rolls could not; the race spends rolls
    only on the plans still in doubt. A side chasing a capture goal plays a plan that moves no unit only if
    the normal bot's plan moves none either (see `variants`)."""
    is_patron = side in s.world.patron_index
    stand = broken_stand(s, side, STANDING)
    if stand is not None:
        return stand
    plan_seed = int(rng.integers(0, 2**63 - 1))
    candidates: list[list[Order]] = []
    target = judge(s, side)
    left = s.world.meta.turns - s.turn  # turns after this one: all-out gambles only near the end
    behind = target is not None and margin(s, target) < 0 and left <= LATE * s.world.meta.turns
    chasing = CHASE and target is not None and not is_patron and is_chasing(s, target)
    for cw in variants(w, is_patron, behind, chasing):
        orders = plan(s, side, cw, np.random.default_rng(plan_seed))
        if orders not in candidates:
            candidates.append(orders)
    for orders in extra:  # e.g. the normal bot's own plan, made without foresight
        if orders not in candidates:
            candidates.append(orders)
    if len(candidates) == 1:
        return candidates[0]
    breaks: list[bool] = []  # per resolution: whether the side's army broke in it

    def worth(orders: list[Order], seed: int) -> float:
        g = np.random.default_rng(seed)
        after, _ = resolve_turn(s, {**others, side: orders}, g)
        if target is not None:
            breaks.append(bool(after.f_collapsed[target]))
        for _ in range(ROLLOUT - 1):
            if predict is None or after.is_over:
                break
            after, _ = resolve_turn(after, predict(after, g), g)
        return evaluate(after, target, w, side) if target is not None else interdiction_value(after, side)

    base = candidates.index(extra[0]) if extra else 0
    may_stay = not chasing or not moves(candidates[base])
    rivals = [k for k, orders in enumerate(candidates) if k != base and (may_stay or moves(orders))]
    if not rivals:
        return candidates[base]
    values: dict[int, list[float]] = {k: [] for k in (base, *rivals)}
    running = list(values)
    rolls = 0
    while rolls < MAX_ROLLS and len(running) > 1:
        for seed in (int(x) for x in rng.integers(0, 2**63 - 1, size=BATCH)):
            for k in running:
                values[k].append(worth(candidates[k], seed))
        rolls += BATCH
        if rolls == BATCH:
            stand = broken_stand(s, side, STANDING, breaking=bool(breaks) and all(breaks))
            if stand is not None:  # it breaks whatever it does: the evaluation is the collapse's dice
                return stand
        if rolls >= MIN_ROLLS:
            running = still_running({k: values[k] for k in running}, base)
    top = leader({k: values[k] for k in running}, base)
    if base in running and not clearly_ahead(values[top], values[base], EDGE):
        return candidates[base]
    return candidates[top]


def moves(orders: Sequence[Order]) -> bool:
    """Whether a plan moves or attacks with any unit (a patron's plan always counts as moving)."""
    return any(not isinstance(o, (Hold, Entrench)) for o in orders)
