"""The `host` command's arguments (kept apart from the server, so `python main.py --help` loads no web
framework)."""

from __future__ import annotations

import argparse

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8080


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("game", help="a scenario YAML to start, or a hosted session's save (.json) to resume")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on, 1-65535 (default 8080)")
    p.add_argument("--bind", default=LOOPBACK, help="address to listen on (default 127.0.0.1: this computer "
                                                    "only; 0.0.0.0: every network this computer is on)")
    p.add_argument("--ai", action="append", default=[], metavar="TEAM[=LEVEL]",
                   help="a team the computer plays (level easy, normal or hard); repeat for more")
    p.add_argument("--pin", action="append", default=[], metavar="TEAM=PIN",
                   help="choose a team's PIN (or umpire=PIN); others are random")
    p.add_argument("--save", help="a new session's autosave, a new .json file (default: the data folder's "
                                  "sessions/hosted-CODE.json); to resume a session, name its save as GAME")
    p.add_argument("--log", help="the order log, a new file or an old log (default: next to the autosave, .jsonl)")
