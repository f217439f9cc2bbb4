"""The faction planner: orders for every unit of one faction, chosen only among legal orders.

In order: routed units recover, hopeless places are given up, attacks are built up
until the engine's own success curve says they will likely succeed, empty enemy
places are taken, threatened places are reinforced, a reserve stays back, and the
rest advance toward the most valuable objectives while staying in supply.
"""

from __future__ import annotations

import math

import numpy as np

from game.engine import Attack, Entrench, Hold, Move, Order, State, Withdraw, crt, query
from game.engine.benchmarks import standings
from game.engine.legal import handover_orders
from game.engine.morale import fail_chance
from game.engine.orders import HandOver
from game.engine.types import Posture

from .assess import (
    Foresight,
    View,
    _cached,
    best_reach,
    halving_reach,
    hostile_air,
    make_view,
    place_factor,
    posture_factor,
    result_chances,
    success_chance,
)
from .groundwork import cities, groundwork, morale_fail, morale_mod
from .lookahead import margin
from .weights import Weights


class Planner:
    """Assigns one order per unit of a faction; every choice is one of the unit's legal orders."""

    def __init__(self, s: State, faction: int, w: Weights, rng: np.random.Generator,
                 foresight: Foresight | None = None) -> None:
        self.s, self.f, self.w, self.rng = s, faction, w, rng
        self.ahead = foresight
        """The other sides' expected orders (the hard bot's prediction), or None: then guessed from the board."""
        self.v: View = make_view(s, faction, w)
        self.pf = place_factor(s)
        g = groundwork(s, self.v)
        self.units = g.units
        self.options = g.options
        self.moves = g.moves
        self.attacks = g.attacks
        self.withdraws = g.withdraws
        self.orders: dict[int, Order] = {}
        self.movers_to = g.movers_to
        """Units that may move to a place, in unit order (so no phase scans every unit for every place)."""
        self.attackers_to = g.attackers_to
        self.units_at = g.units_at
        self.count = g.count.copy()
        self.defence = self.v.friend_def.copy()
        """Friendly defence per place as planned so far (departures subtracted, arrivals added)."""
        move_post = posture_factor(s, "move")
        self.arrive_def = self.v.powers.base_defence * move_post
        self.is_city = cities(s)
        self.step = crt.column_factor(s)
        self.morale_mod = morale_mod(s)
        """Per unit: the engine's morale check modifier at the start of the turn."""
        self.morale_fail = morale_fail(s)
        """Per unit: the chance it fails a morale check this turn (as the engine would judge it now)."""
        self.facing = g.facing
        """Per place: whether units of the side or its allies stand there or next door."""
        self.no_stand = g.no_stand
        """Per place: the chance none of the hostile units there stands on a retreat result (all fail their check)."""
        self.air = hostile_air(s, faction) if foresight is None \
            else (foresight.air * s.hostile[faction][None, :]).max(axis=1)
        """Per place: close air support the defenders' patrons may fly there (not yet in the preview)."""
        self.urgency: float = _cached(s, ("ai_urgency", faction), self.need_to_gain)
        """0 to 1: how pressed the side is to take ground to win (see `need_to_gain`)."""
        self.reach: np.ndarray = _cached(s, ("ai_reach", faction, w.victory, w.source, w.corridor),
                                         self.approach_values)  # as the objective values
        """Per place: what taking it is worth, counting the objectives it opens the way to."""

    # --- helpers

    def jitter(self) -> float:
        return float(self.rng.random()) * self.w.noise if self.w.noise > 0 else 0.0

    def free(self) -> list[int]:
        return [u for u in self.units if u not in self.orders]

    def free_of(self, units: list[int] | None) -> list[int]:
        """The units of `units` (one of the indexes above) still without an order."""
        return [u for u in units if u not in self.orders] if units else []

    def place(self, u: int) -> int:
        return int(self.s.u_place[u])

    def chance_lost(self, p: int, defence: float | None = None) -> float:
        """Estimated chance that hostile units next door take place p from the planned defence."""
        threat = float(self.v.threat[p])
        if threat <= 0:
            return 0.0
        d = float(self.defence[p]) if defence is None else defence
        return success_chance(self.s, threat / max(d, 1e-9))

    def is_exposed(self, p: int) -> bool:
        """Next to hostile units or hostile-held ground: the place could be walked into if left empty."""
        return any(self.v.enemy_held[q] or self.v.enemy_att[q] > 0 for q in self.v.adj[p])

    def can_leave(self, u: int, gain: float = 0.0) -> bool:
        """Whether u may move away without leaving its place empty near the enemy (unless it goes for
        something worth more than the risk of losing the place, `gain`) or too weak to hold."""
        p = self.place(u)
        if not self.v.friend_held[p]:
            return True
        stay = self.count[p] - 1
        if stay <= 0 and self.is_exposed(p) and gain <= 0.5 * (self.v.values[p] + 1.0):
            return False
        if self.v.threat[p] <= 0:
            return True
        after = float(self.defence[p]) - float(self.v.powers.defence[u]) * self.pf[p]
        now = self.chance_lost(p)
        return self.chance_lost(p, max(after, 0.0)) <= max(self.w.hold_risk / max(self.w.caution, 1e-6), now + 0.05)

    def assign(self, u: int, order: Order) -> None:
        self.orders[u] = order
        p = self.place(u)
        if isinstance(order, (Move, Withdraw)):
            to = self.s.world.board.index[order.to]
            self.count[p] -= 1
            self.count[to] += 1
            self.defence[p] -= float(self.v.powers.defence[u]) * self.pf[p]
            self.defence[to] += float(self.arrive_def[u]) * self.pf[to]

    def has_room(self, p: int) -> bool:
        return bool(self.count[p] < query.stack_limit(self.s, p))

    # --- phases

    def recover_routed(self) -> None:
        """Routed units hold, and add to the place's defence; they fall back when they stand alone at a
        place that is likely to be lost, unless the side is asked to keep it."""
        keep = self.keep_places()
        for u in self.free():
            if int(self.s.u_posture[u]) != int(Posture.ROUTED):
                continue
            p = self.place(u)
            back = self.withdraws[u]
            hopeless = self.count[p] <= 1 and self.chance_lost(p) >= 0.5 and p not in keep
            if hopeless and back:
                to = min(back, key=lambda q: (self.chance_lost(q), -self.v.values[q], q))
                self.assign(u, back[to])
            else:
                self.assign(u, Hold(self.s.units[u].id))

    def give_up_hopeless(self) -> None:
        """Defenders of a place they cannot hold fall back, unless it is worth more than they are."""
        w = self.w
        if w.withdraw_odds > 1.0:
            return
        for p in sorted({self.place(u) for u in self.free()}):
            if self.v.threat[p] <= 0:
                continue
            here = self.free_of(self.units_at.get(p))
            help_def = sum(float(self.arrive_def[u]) * self.pf[p] for u in self.free_of(self.movers_to.get(p))
                           if self.place(u) != p)
            if self.chance_lost(p, float(self.defence[p]) + help_def) < w.withdraw_odds:
                continue
            if self.v.values[p] >= 6.0 * w.caution and self.chance_lost(p) < 0.97:
                continue
            for u in here:
                back = self.withdraws[u]
                if back:
                    to = min(back, key=lambda q: (self.chance_lost(q), -self.v.values[q], q))
                    self.assign(u, back[to])

    def need_to_gain(self) -> float:
        """How pressed the side is to take ground: 0 when its goals (benchmarks, else victory conditions) name no
        place it lacks, or when it is ahead (beating history on its benchmarks; else leading every rival on victory
        prospects); otherwise from 0.5 on the first turn to 1 on the last. A side that waits for good odds on a
        balanced front loses by waiting, so the pressure lowers the odds it accepts."""
        s = self.s
        w = s.world
        fac = w.factions[self.f]
        if fac.commander is not None or not any(not self.v.friend_held[p] for p in self.keep_places()):
            return 0.0
        if any(b.side == fac.id for b in w.benchmarks):
            behind = standings(s).get(fac.id, 0.0) < 0.0
        else:
            behind = margin(s, self.f) <= 0.0
        if not behind:
            return 0.0
        return 0.5 + 0.5 * (s.turn - 1) / max(w.meta.turns - 1, 1)

    def approach_values(self) -> np.ndarray:
        """What taking each place is worth: its own value, or more when it opens the way to a valuable enemy-held
        place (half that place's value per route between them)."""
        v = self.v
        want = np.where(v.enemy_held, v.values, 0.0)
        out = np.maximum(v.values, halving_reach(self.s.world, want))
        out.flags.writeable = False
        return out

    def attack_targets(self) -> list[int]:
        targets = sorted({t for u in self.free() for t in self.attacks[u]})
        gain = {t: (self.reach[t] + 1.0) * self.w.aggression + self.jitter() for t in targets}
        best = {t: self.best_chance(t) for t in targets}
        return sorted(targets, key=lambda t: (-(best[t] * gain[t]), t))

    def attackers_of(self, t: int) -> list[int]:
        """Free units next to t that may go: winners move in, so a threatened place keeps its garrison."""
        cands = self.free_of(self.attackers_to.get(t))
        return sorted(cands, key=lambda u: (-float(self.v.powers.attack[u]), u))

    def expected_defence(self, t: int) -> float:
        """Hostile defence at t, plus half of what hostile units next door could bring in this turn: those not
        facing the side's own units themselves (a threatened place does not send its garrison away)."""
        move_post = posture_factor(self.s, "move")
        if self.ahead is not None:  # foreseen: who will stand there once everybody has moved
            pw = self.v.powers
            return sum(float(pw.base_defence[u]) * move_post if self.ahead.moving[u] else float(pw.defence[u])
                       for u in self.defenders_at(t)) * float(self.pf[t])
        near = sum(float(self.v.enemy_base_def[q]) for q in self.v.adj[t] if not self.facing[q])
        return float(self.v.enemy_def[t]) + 0.5 * near * move_post * float(self.pf[t])

    def best_chance(self, t: int) -> float:
        total = sum(float(self.v.powers.attack[u]) for u in self.attackers_of(t))
        return self.attack_chance(t, total / max(self.expected_defence(t), 1e-9))

    def defenders_at(self, t: int) -> list[int]:
        s = self.s
        if self.ahead is not None:
            return [int(u) for u in np.flatnonzero((self.ahead.place == t) & self.v.hostile_u)]
        return [int(u) for u in query.units_at(s, t) if s.hostile[self.f, int(s.u_faction[u])]]

    def exact_chance(self, t: int, group: list[int], defenders: list[int]) -> float:
        """The engine's own odds for `group` against the units at `t` as they stand now (what the combat
        preview shows), less what hostile units next door might bring in: the chance the defenders give
        way, plus half the engagements in a city. Weight-free, so kept per state, faction and foresight
        (the personalities the hard bot tries build up the same groups)."""
        if not defenders:
            return 1.0
        where = ("ai_exact", self.f, self.ahead is None)
        slot: tuple[object, dict[tuple[int, tuple[int, ...], tuple[int, ...]], float]] | None = self.s.cache.get(where)
        if slot is None or slot[0] is not self.ahead:  # the foresight is held, so `is` cannot mistake another
            slot = (self.ahead, {})
            self.s.cache[where] = slot
        key = (t, tuple(group), tuple(defenders))
        hit: float | None = slot[1].get(key)
        if hit is None:
            hit = slot[1][key] = self._exact_chance(t, group, defenders)
        return hit

    def _exact_chance(self, t: int, group: list[int], defenders: list[int]) -> float:
        here = float(self.v.enemy_def[t])
        extra = 1.0 if self.ahead is not None else here / max(self.expected_defence(t), 1e-9)  # < 1: help may come
        per_column = max(math.log(self.step), 1e-6)
        shift = math.log(max(extra, 1e-6)) / per_column
        # the defenders' morale check before the assault: who breaks leaves, who wavers fights shaken
        r = self.s.rules
        steady = r.morale_air * float(self.air[t])  # close air overhead steadies the defenders too
        fail = fail_chance(self.s, np.array([float(self.s.u_cohesion[u] + self.morale_mod[u]) + steady
                                             for u in defenders])).tolist()
        brk = [x * r.break_share for x in fail]
        all_break = math.prod(brk)
        stay = sum(float(self.s.u_strength[u]) * (1.0 - b) for u, b in zip(defenders, brk))
        total = sum(float(self.s.u_strength[u]) for u in defenders)
        shaken = sum(x - b for x, b in zip(fail, brk)) / len(defenders)
        shift += math.log(max(total, 1e-300) / max(stay, 1e-300)) / per_column \
            + shaken * (r.posture_shift.get("routed", 0.0) - r.posture_shift.get("entrench", 0.0))
        odds = crt.odds(self.s, group, defenders, t, air_defence=float(self.air[t]), extra=shift)
        # on a retreat result entrenched, steady defenders stand: the place falls only if all of them failed
        # their check (a wavering unit is shaken and no longer stands)
        no_stand = math.prod(x for u, x in zip(defenders, fail) if self.is_steady(u))
        fight = odds.chances["rout"] + odds.chances["retreat"] * no_stand \
            + (0.5 * odds.chances["engaged"] if self.is_city[t] else 0.0)
        return float(all_break + (1.0 - all_break) * fight)

    def is_steady(self, u: int) -> bool:
        """Whether a hostile unit would stand on a retreat result: steady enough and staying put (entrenched: the
        bots dig in wherever they stay; with foresight, only if it does not move)."""
        s = self.s
        if float(s.u_cohesion[u]) < s.rules.stand_cohesion or int(s.u_posture[u]) == int(Posture.ROUTED):
            return False
        return self.ahead is None or (not self.ahead.moving[u] and int(self.ahead.place[u]) == int(s.u_place[u]))

    def attack_chance(self, t: int, ratio: float) -> float:
        """How likely an attack at this ratio gets somewhere: the defenders give way, or (in a city, where an
        engagement lets the attackers into the streets) half of the engagements."""
        ratio *= self.step ** (-self.s.rules.air_shift * float(self.air[t]))
        rout, retreat, engaged = result_chances(self.s, ratio)
        return rout + retreat * float(self.no_stand[t]) + (0.5 * engaged if self.is_city[t] else 0.0)

    def plan_attacks(self) -> None:
        """Concentrate: add the strongest available attackers until the odds reach commit_odds, and attack
        when the odds clear attack_odds and what may be won outweighs what a failure costs."""
        w = self.w
        if w.aggression <= 0:
            return
        relief = 1.0 - 0.5 * self.urgency  # a side pressed for time accepts worse odds and dearer failures
        threshold = w.attack_odds / max(w.aggression, 0.25) ** 0.25 * relief
        for t in self.attack_targets():
            gain = (self.reach[t] + 1.0) * w.aggression
            defenders = self.defenders_at(t)
            group: list[int] = []
            for u in self.attackers_of(t):
                if not self.can_attack_from(u, t):
                    continue
                group.append(u)
                self._leave(u)
                if self.exact_chance(t, group, defenders) >= w.commit_odds:
                    break
            p = self.exact_chance(t, group, defenders) if group else 0.0
            risk = (1.0 - p) * sum(self.failure_cost(u) for u in group) * relief
            if group and p >= threshold and p * gain > risk:
                for u in group:
                    self.orders[u] = self.attacks[u][t]
            else:
                for u in group:
                    self._leave(u, undo=True)

    def can_attack_from(self, u: int, t: int) -> bool:
        """Attackers stay home unless they win (then they move in), so a unit may join an attack unless it
        is the last one at a place threatened by others than the target's defenders and worth more than the
        target. The target's own defenders do not count: if the attack fails the unit is still home, and if it
        wins they are gone (so a garrison may clear an enemy pocket next door that is its only threat, as the
        SDF did the government's pockets in Hasakah and Qamishli)."""
        p = self.place(u)
        if self.count[p] > 1 or self.v.threat[p] <= 0:
            return True
        enemy_att = self.v.enemy_att
        if enemy_att[p] <= 0 and not any(enemy_att[q] > 0 for q in self.v.adj[p] if q != t):
            return True
        return bool(self.v.values[p] <= self.v.values[t])

    def failure_cost(self, u: int) -> float:
        """What a failed attack costs a unit, in place-value units: losses, and worse if it may rout."""
        shaky = float(self.s.u_cohesion[u]) - self.s.rules.combat_cohesion_loss < self.s.rules.rout_cohesion
        return (0.5 + (1.5 if shaky else 0.0)) * self.w.caution

    def _leave(self, u: int, undo: bool = False) -> None:
        """Book (or unbook) u's departure from its place."""
        p = self.place(u)
        sign = -1 if undo else 1
        self.count[p] -= sign
        self.defence[p] -= sign * float(self.v.powers.defence[u]) * self.pf[p]

    def plan_captures(self) -> None:
        """Walk into empty enemy-held places, most valuable first, with a unit that can hold it."""
        s = self.s
        empty = [t for t in range(s.world.board.n_places)
                 if self.v.enemy_held[t] and self.v.enemy_def[t] <= 0 and self.v.enemy_att[t] <= 0
                 and (self.ahead is None or not self.defenders_at(t))]
        empty.sort(key=lambda t: (-(self.v.values[t] + self.jitter()), t))
        for t in empty:
            gain = (self.v.values[t] + 1.0) * self.w.aggression
            cands = [u for u in self.free_of(self.movers_to.get(t)) if self.has_room(t) and self.can_leave(u, gain)]
            if not cands:
                continue
            need = float(self.v.threat[t])

            def fit(u: int, t: int = t, need: float = need) -> tuple[float, int]:
                keep = 1.0 - self.chance_lost(t, float(self.arrive_def[u]) * self.pf[t]) if need > 0 else 1.0
                return (-keep + 1e-6 * float(self.v.powers.attack[u]) + self.supply_penalty(t), u)

            u = min(cands, key=fit)
            self.assign(u, self.moves[u][t])

    def plan_reinforcements(self) -> None:
        """Send free units to own places likely to be lost, most valuable first."""
        w = self.w
        held = [p for p in range(self.s.world.board.n_places) if self.v.friend_held[p] and self.v.threat[p] > 0]
        held.sort(key=lambda p: (-(self.v.values[p] + 1.0) * self.chance_lost(p), p))
        for p in held:
            for u in sorted(self.free_of(self.movers_to.get(p)), key=lambda u: (-float(self.arrive_def[u]), u)):
                if self.chance_lost(p) <= w.hold_risk / max(w.caution, 1e-6):
                    break
                if self.has_room(p) and self.can_leave(u) and self.v.threat[self.place(u)] <= 0:
                    self.assign(u, self.moves[u][p])

    def commit_contingents(self) -> None:
        """A patron's contingent goes to the threat it was sent to meet: to the place the side holds, within
        one move, where its arrival most lowers the value at risk, rather than wait where it landed (an
        airfield, a border crossing) while that place falls."""
        v, s = self.v, self.s
        for u in self.free():
            if not s.units[u].command:
                continue
            p = self.place(u)
            mine = float(v.powers.defence[u]) * self.pf[p]
            here = float(self.defence[p])
            best = (v.values[p] + 1.0) * (self.chance_lost(p, max(here - mine, 0.0)) - self.chance_lost(p)) + 0.05
            pick: Order | None = None
            options: dict[int, Order] = {**self.attacks[u], **self.moves[u]}
            for q, o in sorted(options.items()):
                if not v.friend_held[q] or v.threat[q] <= 0 or not self.has_room(q):
                    continue
                come = float(self.arrive_def[u]) * self.pf[q]
                gain = (v.values[q] + 1.0) * (self.chance_lost(q) - self.chance_lost(q, float(self.defence[q]) + come))
                if gain > best:
                    best, pick = gain, o
            if pick is not None:
                self.assign(u, pick)

    def stage_attacks(self) -> None:
        """Concentration over two turns: when the side could take a valuable enemy place next turn with free units
        brought next to it, but not with those already there, move them up (at most one target a turn)."""
        w, v = self.w, self.v
        if w.aggression <= 0:
            return
        threshold = w.attack_odds / max(w.aggression, 0.25) ** 0.25 * (1.0 - 0.5 * self.urgency)
        attacked = {self.s.world.board.index[o.target] for o in self.orders.values() if isinstance(o, Attack)}
        best: tuple[float, int, list[tuple[int, int]]] | None = None
        for t in np.flatnonzero(v.enemy_held & (v.enemy_def > 0)).tolist():
            spots = [q for q in v.adj[t] if v.friend_held[q] and v.enemy_att[q] <= 0]
            if t in attacked or not spots:
                continue
            here = sorted(u for q in spots for u in self.units_at.get(q, ()))  # in unit order, as self.units
            have = sum(float(v.powers.attack[u]) for u in here if not isinstance(self.orders.get(u), (Move, Withdraw)))
            need = max(self.expected_defence(t), 1e-9)
            before = self.attack_chance(t, have / need)
            moves: list[tuple[int, int]] = []
            total = have
            movers = {u for q in spots for u in self.free_of(self.movers_to.get(q))}  # the others have no way there
            for u in sorted(movers, key=lambda u: (-float(v.powers.attack[u]), u)):
                if self.place(u) in spots or self.attack_chance(t, total / need) >= w.commit_odds:
                    continue
                dest = [q for q in spots if q in self.moves[u] and self.has_room(q)]
                if dest and self.can_leave(u, (self.reach[t] + 1.0) * w.aggression):
                    moves.append((u, min(dest, key=lambda q: (self.chance_lost(q), q))))
                    total += float(v.powers.attack[u])
            after = self.attack_chance(t, total / need)
            if moves and after >= threshold and after >= before + 0.1:
                worth = (self.reach[t] + 1.0) * after
                if best is None or worth > best[0]:
                    best = (worth, t, moves)
        for u, q in best[2] if best else []:
            self.assign(u, self.moves[u][q])

    def keep_reserve(self) -> None:
        """Keep a share of the units at the most valuable places that are not under threat."""
        n = int(round(self.w.reserve * len(self.units)))
        rear = [u for u in self.free() if self.v.threat[self.place(u)] <= 0 and self.v.friend_held[self.place(u)]]
        rear.sort(key=lambda u: (-self.v.values[self.place(u)], u))
        for u in rear[:n]:
            self.assign(u, Entrench(self.s.units[u].id))

    def pull(self) -> np.ndarray:
        """How attractive each place is to stand on: near valuable enemy places and own places in danger."""
        v, w = self.v, self.w
        n = self.s.world.board.n_places
        want = np.full(n, -np.inf)
        want[v.enemy_held] = (v.values[v.enemy_held] + 1.0) * w.aggression
        danger = np.zeros(n)
        for p in np.flatnonzero(v.friend_held & (v.threat > 0)).tolist():
            danger[p] = self.chance_lost(p)
        need = (v.values + 1.0) * danger * w.caution
        want = np.maximum(want, np.where(danger > 0, need, -np.inf))
        if not np.isfinite(want).any():
            return np.zeros(n)
        out = best_reach(self.s.world, want, 1.5)
        return np.where(np.isfinite(out), out, -100.0)

    def supply_penalty(self, p: int) -> float:
        r = self.s.rules
        km = float(self.v.supply_km[p])
        if km <= r.supply_range_km:
            return 0.0
        return self.w.supply * (2.0 if km <= r.limited_range_km else 6.0)

    def advance(self) -> None:
        """Move the rest toward the pull, or dig in where they stand."""
        pull = self.pull()
        for u in self.free():
            p = self.place(u)
            stay = pull[p] - self.supply_penalty(p) + (0.5 if self.v.threat[p] > 0 else 0.0)
            best, best_score = -1, stay + 0.05
            if self.can_leave(u):
                for q in sorted(self.moves[u]):
                    if not self.has_room(q):
                        continue
                    risk = 0.0
                    if self.v.threat[q] > 0:
                        d = float(self.defence[q]) + float(self.arrive_def[u]) * self.pf[q]
                        risk = 3.0 * success_chance(self.s, float(self.v.threat[q]) / max(d, 1e-9))
                    score = pull[q] - self.supply_penalty(q) - risk + self.jitter()
                    if score > best_score:
                        best, best_score = q, score
            if best >= 0:
                self.assign(u, self.moves[u][best])
            else:
                self.assign(u, Entrench(self.s.units[u].id))

    def stand_idle(self) -> None:
        """A slow command: a random share of the units only hold this turn."""
        if self.w.idle <= 0:
            return
        for u in self.free():
            if float(self.rng.random()) < self.w.idle:
                self.assign(u, Hold(self.s.units[u].id))

    def keep_places(self) -> set[int]:
        """Places the side's own benchmarks (or, without any, its victory conditions) ask it to hold or take."""
        w = self.s.world
        fac = w.factions[self.f]
        sides = {fac.id} | ({fac.commander} if fac.commander else set())
        mine = [b for b in w.benchmarks if b.side in sides]
        if mine:  # benchmarks are what the side is judged by; without them, its victory conditions
            names = {p for b in mine if b.kind in ("hold", "capture", "race", "held_turns") for p in b.places}
        else:
            names = {p for vc in w.victory if vc.faction == fac.id for p in vc.places}
        return {w.board.index[p] for p in names if p in w.board.index}

    def plan_handovers(self) -> list[Order]:
        """Hand a place the side does not need to a neutral faction rather than fight it there: when the
        other already stands inside in strength (at least half the side's own there), or the place is cut
        off from the side's supply and the other is stronger around it; as the SDF handed Deir ez-Zor over
        in December 2024. A place the side's benchmarks ask it to keep goes only when it cannot be held."""
        s, v = self.s, self.v
        if s.world.factions[self.f].commander is not None:  # a patron's forces keep their posts (or leave them)
            return []
        options = handover_orders(s, self.f)
        if not options:
            return []
        keep = self.keep_places()
        idx, fidx = s.world.board.index, s.world.faction_index
        alive = s.u_strength > 0
        out: list[Order] = []
        done: set[int] = set()
        for o in options:
            assert isinstance(o, HandOver)
            p, g = idx[o.place], fidx[o.to]
            if p in done or s.friendly[self.f, g]:  # allies share places; hand-overs are between neutrals
                continue
            near = np.zeros(s.world.board.n_places, dtype=bool)
            near[p] = True
            near[v.adj[p]] = True
            inside = float(s.u_strength[alive & (s.u_faction == g) & (s.u_place == p)].sum())
            theirs = float(s.u_strength[alive & (s.u_faction == g) & near[s.u_place]].sum())
            mine = float(s.u_strength[alive & (s.u_faction == self.f) & (s.u_place == p)].sum())
            mine_near = float(s.u_strength[alive & (s.u_faction == self.f) & near[s.u_place]].sum())
            if p in keep and inside <= 1.5 * mine_near:  # a place it is asked to keep: only when it cannot
                continue
            cut_off = float(v.supply_km[p]) > s.rules.limited_range_km
            if (cut_off and theirs > 1.2 * mine_near + 100.0) or inside >= 0.5 * mine + 100.0:
                out.append(o)
                done.add(p)
        return out

    def fight_on(self) -> None:
        """In a contested place (street fighting) units that can still fight stay: attackers hold their
        foothold, defenders dig in. Units inside a place a neutral faction holds that the side wants stay
        too, to take it over when it is handed over."""
        s = self.s
        keep = self.keep_places()
        for u in self.free():
            p = self.place(u)
            if not s.contested[p] and p in keep and not s.friendly[self.f, int(s.controller[p])] \
                    and not s.hostile[self.f, int(s.controller[p])]:
                self.assign(u, Hold(s.units[u].id))
                continue
            if not s.contested[p] or int(s.u_posture[u]) == int(Posture.ROUTED):
                continue
            ours = not s.hostile[self.f, int(s.controller[p])]
            self.assign(u, Entrench(s.units[u].id) if ours else Hold(s.units[u].id))

    def plan(self) -> list[Order]:
        self.stand_idle()
        self.fight_on()
        self.recover_routed()
        self.give_up_hopeless()
        self.plan_attacks()
        self.plan_captures()
        self.plan_reinforcements()
        self.commit_contingents()
        self.stage_attacks()
        self.keep_reserve()
        self.advance()
        return [self.orders[u] for u in self.units if u in self.orders] + self.plan_handovers()


def faction_orders(s: State, side: str, w: Weights, rng: np.random.Generator,
                   foresight: Foresight | None = None) -> list[Order]:
    """One legal order for every unit of faction `side` (with `foresight`: knowing the others' orders)."""
    return Planner(s, s.world.faction_index[side], w, rng, foresight).plan()
