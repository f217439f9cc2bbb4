"""The faction planner: orders for every unit of one faction, chosen only among legal orders.

In order: routed units recover, hopeless places are given up, attacks are built up
until the engine's own success curve says they will likely succeed, empty enemy
places are taken, threatened places are reinforced, a reserve stays back, and the
rest advance toward the most valuable objectives while staying in supply.
"""

from __future__ import annotations

import numpy as np

from game.engine import Attack, Entrench, Hold, Move, Order, State, Withdraw, query
from game.engine.combat import success_chance
from game.engine.legal import unit_orders
from game.engine.types import Posture

from .assess import View, best_reach, make_view, place_factor
from .weights import Weights


class Planner:
    """Assigns one order per unit of a faction; every choice is one of the unit's legal orders."""

    def __init__(self, s: State, faction: int, w: Weights, rng: np.random.Generator) -> None:
        self.s, self.f, self.w, self.rng = s, faction, w, rng
        self.v: View = make_view(s, faction, w)
        self.pf = place_factor(s)
        self.units = [int(u) for u in query.units_of(s, faction)]
        self.options = {u: unit_orders(s, u) for u in self.units}
        self.moves: dict[int, dict[int, Move]] = {}
        self.attacks: dict[int, dict[int, Attack]] = {}
        self.withdraws: dict[int, dict[int, Withdraw]] = {}
        idx = s.world.board.index
        for u, opts in self.options.items():
            self.moves[u] = {idx[o.to]: o for o in opts if isinstance(o, Move)}
            self.attacks[u] = {idx[o.target]: o for o in opts if isinstance(o, Attack)}
            self.withdraws[u] = {idx[o.to]: o for o in opts if isinstance(o, Withdraw)}
        self.orders: dict[int, Order] = {}
        self.movers_to: dict[int, list[int]] = {}
        """Units that may move to a place, in unit order (so no phase scans every unit for every place)."""
        self.attackers_to: dict[int, list[int]] = {}
        self.units_at: dict[int, list[int]] = {}
        for u in self.units:
            self.units_at.setdefault(self.place(u), []).append(u)
            for q in self.moves[u]:
                self.movers_to.setdefault(q, []).append(u)
            for q in self.attacks[u]:
                self.attackers_to.setdefault(q, []).append(u)
        self.count = np.bincount(s.u_place[self.units], minlength=s.world.board.n_places) if self.units \
            else np.zeros(s.world.board.n_places, dtype=np.int64)
        self.defence = self.v.friend_def.copy()
        """Friendly defence per place as planned so far (departures subtracted, arrivals added)."""
        move_post = s.rules.posture_defence.get("move", 0.8)
        self.arrive_def = self.v.powers.base_defence * move_post

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
        return success_chance(threat / max(d, 1e-9), self.s.rules)

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
        """Routed units hold, or fall back when their place is likely to be attacked."""
        for u in self.free():
            if int(self.s.u_posture[u]) != int(Posture.ROUTED):
                continue
            p = self.place(u)
            back = self.withdraws[u]
            if self.v.threat[p] > 0 and back:
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

    def attack_targets(self) -> list[int]:
        targets = sorted({t for u in self.free() for t in self.attacks[u]})
        gain = {t: (self.v.values[t] + 1.0) * self.w.aggression + self.jitter() for t in targets}
        best = {t: self.best_chance(t) for t in targets}
        return sorted(targets, key=lambda t: (-(best[t] * gain[t]), t))

    def attackers_of(self, t: int) -> list[int]:
        """Free units next to t that may go: winners move in, so a threatened place keeps its garrison."""
        cands = self.free_of(self.attackers_to.get(t))
        return sorted(cands, key=lambda u: (-float(self.v.powers.attack[u]), u))

    def expected_defence(self, t: int) -> float:
        """Hostile defence at t, plus half of what hostile units next door could bring in this turn."""
        move_post = self.s.rules.posture_defence.get("move", 0.8)
        near = sum(float(self.v.enemy_base_def[q]) for q in self.v.adj[t])
        return float(self.v.enemy_def[t]) + 0.5 * near * move_post * float(self.pf[t])

    def best_chance(self, t: int) -> float:
        total = sum(float(self.v.powers.attack[u]) for u in self.attackers_of(t))
        return success_chance(total / max(self.expected_defence(t), 1e-9), self.s.rules)

    def plan_attacks(self) -> None:
        """Concentrate: add the strongest available attackers until the odds reach commit_odds, and attack
        when the odds clear attack_odds and what may be won outweighs what a failure costs."""
        w, r = self.w, self.s.rules
        if w.aggression <= 0:
            return
        threshold = w.attack_odds / max(w.aggression, 0.25) ** 0.25
        for t in self.attack_targets():
            gain = (self.v.values[t] + 1.0) * w.aggression
            d = max(self.expected_defence(t), 1e-9)
            group: list[int] = []
            power = 0.0
            for u in self.attackers_of(t):
                if not self.can_leave(u, gain):
                    continue
                group.append(u)
                power += float(self.v.powers.attack[u])
                self._leave(u)
                if success_chance(power / d, r) >= w.commit_odds:
                    break
            p = success_chance(power / d, r)
            risk = (1.0 - p) * sum(self.failure_cost(u) for u in group)
            if group and p >= threshold and p * gain > risk:
                for u in group:
                    self.orders[u] = self.attacks[u][t]
            else:
                for u in group:
                    self._leave(u, undo=True)

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
                 if self.v.enemy_held[t] and self.v.enemy_def[t] <= 0 and self.v.enemy_att[t] <= 0]
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
        danger = np.array([self.chance_lost(p) if v.friend_held[p] else 0.0 for p in range(n)])
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
        r = self.s.rules
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
                        risk = 3.0 * success_chance(float(self.v.threat[q]) / max(d, 1e-9), r)
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

    def plan(self) -> list[Order]:
        self.stand_idle()
        self.recover_routed()
        self.give_up_hopeless()
        self.plan_attacks()
        self.plan_captures()
        self.plan_reinforcements()
        self.keep_reserve()
        self.advance()
        return [self.orders[u] for u in self.units if u in self.orders]


def faction_orders(s: State, side: str, w: Weights, rng: np.random.Generator) -> list[Order]:
    """One legal order for every unit of faction `side`."""
    return Planner(s, s.world.faction_index[side], w, rng).plan()
