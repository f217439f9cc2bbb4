"""Reference games: prove an optimisation changed nothing (a check that prints, not a test).

    python bench/refgames.py                 # print one digest per game and a total
    python bench/refgames.py --save F.json   # keep them
    python bench/refgames.py --check F.json  # compare with kept ones; exit 1 on any difference

Each game is played by the normal bots; its digest covers every turn's state hash, the bots'
orders and the turn's events, so a change in a bot's choice or in any rule shows. Games: the
default scenario (seeds 1-6, 12 turns), its two variants, tests/data/good/tiny.yaml (seeds 1-3)
and a 1,000-place synthetic board (the paths only large boards take).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synthetic import geometric_game  # noqa: E402
from game.engine import State, resolve_turn, state_hash, turn_rng  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.sim.runner import bot_orders  # noqa: E402

SCENARIOS = ROOT / "scenarios"
GAMES: list[tuple[str, str, int, int]] = (
    [("default", "homs_junction.yaml", s, 12) for s in range(1, 7)]
    + [("no-hezbollah", "homs_junction_no_hezbollah.yaml", 1, 12),
       ("russia-all-in", "homs_junction_russia_all_in.yaml", 2, 12)]
    + [("tiny", str(ROOT / "tests" / "data" / "good" / "tiny.yaml"), s, 10) for s in range(1, 4)]
    + [("synthetic-1000", "", 1, 3)]
)


def play(start: State, seed: int, turns: int) -> str:
    """The digest of one game: per turn, the orders, the events and the state hash."""
    h = hashlib.sha256()
    state = start
    for _ in range(turns):
        if state.is_over:
            break
        orders = bot_orders(state, seed)
        after, events = resolve_turn(state, orders, turn_rng(seed, state.turn))
        h.update(repr(sorted((k, repr(v)) for k, v in orders.items())).encode())
        h.update(repr(events).encode())
        h.update(state_hash(after).encode())
        state = after
    return h.hexdigest()


def digests() -> dict[str, str]:
    out: dict[str, str] = {}
    for name, path, seed, turns in GAMES:
        if path:
            _, start = load_scenario(path if Path(path).is_absolute() else SCENARIOS / path)
        else:
            start = geometric_game(1000, seed=1)
        key = f"{name} seed {seed}"
        out[key] = play(start, seed, turns)
        print(f"{key:28s} {out[key][:16]}", flush=True)
    total = hashlib.sha256(json.dumps(out, sort_keys=True).encode()).hexdigest()
    print(f"{'all':28s} {total[:16]}")
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--save", type=Path)
    ap.add_argument("--check", type=Path)
    args = ap.parse_args(argv)
    got = digests()
    if args.save:
        args.save.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
    if args.check:
        kept = json.loads(args.check.read_text())
        bad = sorted(k for k in kept.keys() | got.keys() if kept.get(k) != got.get(k))
        print("identical" if not bad else f"DIFFERENT: {', '.join(bad)}")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
