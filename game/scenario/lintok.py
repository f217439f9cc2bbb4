"""Acknowledged lint warnings: the author knows, and says why, in the file.

A scenario may be meant to have what the linter warns about: a real front where a pocket was cut off from
supply, a patron whose only route was closed. A comment on the line a warning points at, or on the line
just above it, acknowledges that one warning, naming its check and giving the reason:

    - {id: gov_hasakah, ..., place: hasakah_security_quarter, ...}  # lint-ok: out-of-supply the pocket was cut off

An acknowledged warning is not printed (the summary counts it: `FILE: clean (2 acknowledged)`); one that
names a check that does not exist, gives no reason, or acknowledges nothing (the warning has gone, or it was
put on the wrong line) is a warning itself, so acknowledgements cannot go stale unseen.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .problems import WARNING, Problem, one_of

OK = re.compile(r"#\s*lint-ok:\s*(?P<code>\S*)\s*(?P<why>.*?)\s*$")
REASON = 3
"""Fewest characters a reason may have (a word, not a stray mark)."""
ACK_CODE = "lint-ok"
"""The code of a warning about an acknowledgement itself (it cannot be acknowledged)."""


@dataclass(frozen=True)
class Ack:
    """One `# lint-ok:` comment: where it is, the check it names and the reason it gives."""

    file: str
    line: int
    col: int
    code: str
    why: str


def acks_in(text: str, name: str) -> list[Ack]:
    """Every `# lint-ok:` comment of a file's text (in a comment, not inside a quoted string)."""
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        at = _comment_start(line)
        if at is None:
            continue
        m = OK.match(line, at)
        if m:
            out.append(Ack(name, n, at + 1, m["code"], m["why"]))
    return out


def _comment_start(line: str) -> int | None:
    """Where the line's YAML comment starts: a `#` at the line's start or after a space, outside quotes."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"" and (i == 0 or line[i - 1] in " \t[{:,-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return None


def settle(warnings: list[Problem], codes: set[str], text_of: Callable[[str], str | None], own: str
           ) -> tuple[list[Problem], list[Problem]]:
    """Split the linter's `warnings` into those still shown and those acknowledged, and add a warning for each
    acknowledgement in the file `own` that is malformed or acknowledges nothing. `text_of(file)` gives a file's
    text (None if it cannot be read: nothing there is acknowledged); `codes` are the checks' names."""
    acks: dict[str, list[Ack]] = {}

    def of(file: str) -> list[Ack]:
        if file not in acks:
            text = text_of(file)
            acks[file] = acks_in(text, file) if text is not None else []
        return acks[file]

    used: set[Ack] = set()
    shown: list[Problem] = []
    quiet: list[Problem] = []
    for p in warnings:
        fits = [a for a in of(p.file) if a.line in (p.line, p.line - 1) and a.code == p.code and p.code
                and len(a.why) >= REASON]
        ack = max(fits, key=lambda a: a.line, default=None)  # its own line's first, then the line above
        if ack is None:
            shown.append(p)
        else:
            used.add(ack)
            quiet.append(p)
    for a in of(own):
        if a.code not in codes:
            why = f"`# lint-ok:` names no check {a.code!r}: use one of {one_of(codes)}"
        elif len(a.why) < REASON:
            why = f"`# lint-ok: {a.code}` gives no reason: say after the check's name why the warning is meant"
        elif a not in used:
            why = (f"`# lint-ok: {a.code}` acknowledges nothing: no {a.code!r} warning points at this line or the "
                   "next (the warning has gone, or the comment is on the wrong line)")
        else:
            continue
        shown.append(Problem(a.file, a.line, a.col, why, WARNING, ACK_CODE))
    return shown, quiet


def read_text(file: str) -> str | None:
    """A file's text, or None when it is not a readable file (e.g. text linted from a string)."""
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
