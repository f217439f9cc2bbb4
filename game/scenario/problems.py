"""Located problems: what is wrong with a scenario file, where, and what would be accepted."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem found in a scenario file, at 1-based `line` and `col`."""

    file: str
    line: int
    col: int
    message: str
    severity: str = ERROR
    code: str = ""
    """For a lint warning: the check that gave it (what a `# lint-ok:` comment names; see lintok.py)."""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        tail = f" [{self.code}]" if self.code else ""
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}{tail}"


class ScenarioError(Exception):
    """A scenario could not be loaded; `problems` lists every reason, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    best = closest(word, choices)
    return f" (did you mean {best!r}?)" if best is not None else ""


def closest(word: object, choices: Iterable[str]) -> str | None:
    """The choice closest to `word` (ignoring case if need be), or None when none is near."""
    if not isinstance(word, str):
        return None
    options = [c for c in choices if isinstance(c, str)]
    best = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not best:
        lowered = {c.lower(): c for c in options}
        best = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
        best = [lowered[b] for b in best]
    return best[0] if best else None


def one_of(choices: Iterable[str], limit: int = 12) -> str:
    """'a, b or c' (shortened to the first `limit` choices)."""
    items = sorted({c for c in choices if isinstance(c, str)})
    if not items:
        return "(none defined)"
    more = f" … ({len(items) - limit} more)" if len(items) > limit else ""
    items = items[:limit]
    if len(items) == 1:
        return items[0] + more
    return ", ".join(items[:-1]) + " or " + items[-1] + more


def show(value: object, limit: int = 40) -> str:
    """A short, YAML-ish rendering of a value for a message."""
    if value is None:
        return "nothing (an empty value)"
    if value is True or value is False:
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sort_problems(problems: list[Problem], limit: int = 200) -> list[Problem]:
    """File order, without repeats, at most `limit` (then one line saying how many were left out)."""
    seen: set[tuple[str, int, int, str]] = set()
    out: list[Problem] = []
    for p in sorted(problems, key=lambda p: (p.line, p.col, p.severity != ERROR, p.message)):
        key = (p.file, p.line, p.col, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    if len(out) > limit:
        rest = len(out) - limit
        last = out[limit - 1]
        out = out[:limit] + [Problem(last.file, last.line, last.col, f"… and {rest} more problems not shown")]
    return out
