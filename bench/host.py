"""Load on the session server, on loopback only (a benchmark that prints, not a test).

The default scenario is hosted on 127.0.0.1 (six human teams, the Islamic State group by bot); CLIENTS
WebSocket clients join, spread over the teams; for TURNS turns the umpire opens the turn, every team
marks its orders ready (one unit's order each), the umpire ends it, and the time from the end request
to each client receiving the new turn's state is measured. Target: median under 1 s on 2 cores.

    python bench/host.py [--clients 40] [--turns 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx2 as httpx  # noqa: E402
import uvicorn  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from game.net.app import Host, build_app  # noqa: E402
from game.scenario import load_scenario  # noqa: E402
from game.session.hosted import new_game  # noqa: E402
from game.session.pins import hash_pin  # noqa: E402
from game.session.seats import make_seats  # noqa: E402

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "homs_junction.yaml"
LOOPBACK = "127.0.0.1"
MAX_SECONDS = 600.0


def serve(folder: Path) -> tuple[str, dict[str, str], str, uvicorn.Server]:
    world, state = load_scenario(SCENARIO)
    teams = [t.id for t in world.teams]
    pins = {t: f"{1000 + i}" for i, t in enumerate(teams)} | {"umpire": "999999"}
    seats, _ = make_seats(world, ai={"islamic_state_team": "normal"}, pins=pins)
    game = new_game(state, seats, hash_pin(pins["umpire"]), "BENCH1", source=str(SCENARIO),
                    log_path=folder / "bench.jsonl", save_path=folder / "bench.json")
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(build_app(Host(game)), host=LOOPBACK, port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    humans = {s.id: pins[s.id] for s in seats if s.human}
    return f"{LOOPBACK}:{port}", humans, pins["umpire"], server


async def run(clients: int, turns: int) -> list[float]:
    folder = Path(tempfile.mkdtemp(prefix="junction-bench-host-"))
    address, humans, umpire_pin, server = serve(folder)
    base = f"http://{address}"
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        async def join(team: str, pin: str) -> str:
            r = await http.post("/api/join", json={"code": "BENCH1", "team": team, "pin": pin})
            r.raise_for_status()
            return str(r.json()["token"])

        umpire = {"Authorization": f"Bearer {await join('umpire', umpire_pin)}"}
        teams = list(humans)
        seats = [teams[i % len(teams)] for i in range(clients)]
        tokens = [await join(team, humans[team]) for team in seats]
        own = {team: await join(team, humans[team]) for team in teams}  # every team plays, however few clients
        sockets = [await connect(f"ws://{address}/ws", max_size=None) for _ in tokens]
        for ws, token in zip(sockets, tokens):
            await ws.send(json.dumps({"type": "hello", "token": token}))
            await ws.recv()
        for turn in range(1, turns + 1):
            await http.post("/api/umpire/open", json={"limit_s": None}, headers=umpire)
            for team in teams:
                auth = {"Authorization": f"Bearer {own[team]}"}
                state = (await http.get("/api/state", headers=auth)).json()
                first = next(iter(state["options"].values()), [])
                if first:
                    await http.post("/api/team/plan", json={"key": first[-1]["key"]}, headers=auth)
                await http.post("/api/team/ready", json={"ready": True}, headers=auth)

            async def new_turn(ws: object, want: int) -> float:
                while True:
                    msg = json.loads(await ws.recv())  # type: ignore[attr-defined]
                    if msg.get("type") == "state" and msg["state"]["turn"] == want:
                        return time.perf_counter()

            waiting = [asyncio.create_task(new_turn(ws, turn + 1)) for ws in sockets]
            start = time.perf_counter()
            await http.post("/api/umpire/end", json={}, headers=umpire)
            arrived = await asyncio.wait_for(asyncio.gather(*waiting), timeout=MAX_SECONDS)
            latencies += [t - start for t in arrived]
            print(f"turn {turn}: median {statistics.median(arrived) - start:.3f} s, "
                  f"slowest {max(arrived) - start:.3f} s", flush=True)
        for ws in sockets:
            await ws.close()
    server.should_exit = True
    return latencies


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", type=int, default=40, help="WebSocket clients, 1-200 (default 40)")
    p.add_argument("--turns", type=int, default=10, help="turns, 1-12 (default 10)")
    a = p.parse_args()
    if not (1 <= a.clients <= 200 and 1 <= a.turns <= 12):
        print("error: --clients 1-200, --turns 1-12", file=sys.stderr)
        return 2
    lat = asyncio.run(run(a.clients, a.turns))
    median = statistics.median(lat)
    print(f"{a.clients} clients, {a.turns} turns: a turn's views reach a client in {median:.3f} s at the median, "
          f"{max(lat):.3f} s at the slowest (target: median under 1 s): {'met' if median < 1.0 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
