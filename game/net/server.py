"""`python main.py host SCENARIO_OR_SAVE [--port 8080] [--bind ADDRESS]`: set up (or resume) a classroom
session and serve it. Prints the join address, the session code, a QR code, every team's PIN and the
umpire's; listens on this computer only unless `--bind` names the room's network, and says which."""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import shlex
import socket
import sys
import time
from pathlib import Path

from game.report.narrate import turn_words
from game.session.hosted import HostedGame, new_game
from game.session.pins import hash_pin, new_code
from game.session.saves import SaveInUse, check_save_target, read_save
from game.session.seats import SessionError, make_seats
from game.sim.log import LogError, check_log_target

from .app import Host, build_app
from .arguments import DEFAULT_PORT, LOOPBACK


def sessions_dir() -> Path:
    env = os.environ.get("JUNCTION_DATA_DIR")
    if env:
        return Path(env) / "sessions"
    import platformdirs

    return Path(platformdirs.user_data_dir("junction", appauthor=False)) / "sessions"


def pairs(items: list[str], flag: str, default: str | None = None) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not key or (not sep and default is None):
            raise SessionError(f"{flag} {item}: expected TEAM={'LEVEL' if flag == '--ai' else 'PIN'}")
        out[key] = value if sep else str(default)
    return out


def room_address() -> str:
    """This computer's address on the network its default route uses (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return LOOPBACK


def is_loopback(bind: str) -> bool:
    if bind == "localhost":
        return True
    try:
        return ipaddress.ip_address(bind).is_loopback
    except ValueError:
        return False


def port_free(bind: str, port: int) -> str | None:
    """Why the server cannot listen there, with a hint that fits the error, or None."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((bind, port))
    except OSError as exc:
        return f"cannot listen on {bind}:{port}: {exc.strerror or exc}{BIND_HINTS.get(exc.errno or 0, '')}"
    return None


BIND_HINTS = {
    errno.EADDRINUSE: " (another program uses it? try --port 8081)",
    errno.EADDRNOTAVAIL: " (that address is not one of this computer's: --bind takes one of its own addresses, "
                         f"0.0.0.0 for every network it is on, or {LOOPBACK} for itself only)",
    errno.EACCES: " (ports below 1024 need administrator rights here: try --port 8080)",
}
"""What to do about the errors binding gives most often, by errno."""


class ScenarioProblems(SessionError):
    """A scenario that cannot be loaded: its problems, each already located and marked `error:`."""


def set_up(args: argparse.Namespace, now: float) -> tuple[HostedGame, dict[str, str]]:
    """The game to host and the PINs to print (none when resuming: teams keep theirs). Every file it would
    write is checked first: a hosted save is resumed, never started over, and a file that is not the
    program's own is never overwritten."""
    path = Path(args.game)
    if path.suffix == ".json":
        log = Path(args.log) if args.log else None
        if log:
            checked_log(log, "--log ")
        try:
            return read_save(path, now, log), {}
        except LogError as exc:  # the log named in the save
            raise SessionError(f"{exc}; --log FILE writes the order log elsewhere") from None
    from game.scenario import ScenarioError, load_scenario

    try:
        world, state = load_scenario(path)
    except ScenarioError as exc:  # located problems, each `FILE:LINE:COL: error: …` as `validate` prints them
        raise ScenarioProblems(str(exc)) from None
    seats, pins = make_seats(world, pairs(args.ai, "--ai", "normal"), pairs(args.pin, "--pin"))
    code = new_code()
    save = Path(args.save) if args.save else sessions_dir() / f"hosted-{code}.json"
    log = Path(args.log) if args.log else save.with_suffix(".jsonl")
    if save.suffix != ".json":
        raise SessionError(f"--save {save}: expected a name ending in .json (a session is resumed from its .json)")
    checked_save(save, args)
    if log.resolve() == save.resolve():
        raise SessionError(f"--log {log}: is the save's own file; the order log needs another name")
    save.parent.mkdir(parents=True, exist_ok=True)
    checked_log(log, "--log " if args.log else "", "" if args.log else "; --log FILE writes the order log elsewhere")
    game = new_game(state, seats, hash_pin(pins["umpire"]), code, source=str(path), log_path=log, save_path=save)
    game.save(now)
    return game, pins


def checked_save(save: Path, args: argparse.Namespace) -> None:
    """SessionError unless a new session may write its save there; for a hosted save, how to resume it."""
    flag = "--save " if args.save else ""
    try:
        check_save_target(save)
    except SaveInUse as exc:
        again = ["python", "main.py", "host", str(save)]
        if args.bind != LOOPBACK:
            again += ["--bind", args.bind]
        if args.port != DEFAULT_PORT:
            again += ["--port", str(args.port)]
        raise SessionError(f"{flag}{exc}; to go on with it, run {shlex.join(again)}; to start a new session, "
                           "choose another --save name") from None
    except SessionError as exc:
        raise SessionError(f"{flag}{exc}") from None


def checked_log(log: Path, flag: str, hint: str = "") -> None:
    """SessionError unless the order log may be written there (missing, empty, or an order log)."""
    try:
        check_log_target(log)
    except LogError as exc:
        raise SessionError(f"{flag}{exc}{hint}") from None


def banner(game: HostedGame, pins: dict[str, str], bind: str, port: int, url: str) -> list[str]:
    s = game.state
    when = turn_words(s.turn, s.world.meta.turns, None if s.outcome is None else s.outcome.turn)
    lines = [f"Junction classroom session: {s.world.meta.title}, {when}", ""]
    if is_loopback(bind):
        lines.append(f"Listening on {bind} only: this computer can open the pages, other computers cannot. "
                     "To let teams join over the room's network, start again with --bind 0.0.0.0.")
    else:
        lines.append(f"Listening on the room's network ({bind}:{port}): anyone on this network can open the "
                     "join page; the session code and each team's PIN keep the seats apart.")
    lines += ["", f"Teams join at:      {url}/?code={game.code}", f"Session code:       {game.code}",
              f"Projector page:     {url}/projector", f"Umpire's console:   {url}/umpire", ""]
    if pins:
        lines.append("PINs (hand each team its own; they are not shown again):")
        rows = [(seat.name, seat.id, pins[seat.id]) for seat in game.human_seats()]
        rows.append(("Umpire (White cell)", "umpire", pins["umpire"]))
        wide, wide_id = max(len(r[0]) for r in rows), max(len(r[1]) for r in rows)  # a long name keeps its columns
        lines += [f"  {name:<{wide}} {ident:<{wide_id}} {pin}" for name, ident, pin in rows]
    else:
        lines.append("Resumed from the autosave: teams and the umpire join again with the same code and PINs.")
    for seat in game.seats:
        if not seat.human:
            lines.append(f"  {seat.name}: played by the computer ({seat.level})")
    lines += ["", f"Autosave: {game.save_path}", f"Order log: {game.log_path}", "Stop with Ctrl-C."]
    return lines


def host_main(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        print(f"error: --port {args.port}: expected 1-65535", file=sys.stderr)
        return 2
    why = port_free(args.bind, args.port)
    if why:
        print(f"error: {why}", file=sys.stderr)
        return 2
    try:
        if args.game.endswith(".json") and (args.ai or args.pin):
            raise SessionError("--ai and --pin set up a new session; a resumed one keeps its seats and PINs")
        if args.game.endswith(".json") and args.save:
            raise SessionError(f"--save names a new session's autosave; a resumed one goes on writing its own, "
                               f"{args.game}")
        game, pins = set_up(args, time.time())
    except ScenarioProblems as exc:
        print(exc, file=sys.stderr)
        return 2
    except SessionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc}", file=sys.stderr)
        return 2
    shown_host = args.bind if is_loopback(args.bind) or args.bind not in ("0.0.0.0", "::") else room_address()
    url = f"http://{shown_host}:{args.port}"
    host = Host(game, join_url=url)
    for line in banner(game, pins, args.bind, args.port, url):
        print(line)
    print_qr(f"{url}/?code={game.code}")
    sys.stdout.flush()
    import uvicorn

    uvicorn.run(build_app(host), host=args.bind, port=args.port, log_level="warning", ws_max_size=64 * 1024)
    return 0


def print_qr(text: str) -> None:
    try:
        import segno

        segno.make(text, error="m").terminal(compact=True)
    except (ImportError, OSError, UnicodeError):
        pass
