"""requirements.txt pins exactly, and pins every direct dependency that requirements.in names."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _names(path: Path, pattern: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.match(pattern, line)
        assert match, f"{path.name}: {line!r} is not a requirement of the expected form"
        found.setdefault(re.sub(r"[-_.]+", "-", match[1]).lower(), []).append(match[2])
    return found


def test_every_line_of_requirements_txt_is_an_exact_pin() -> None:
    pins = _names(ROOT / "requirements.txt", r"^([A-Za-z0-9_.-]+)==([0-9][^\s;]*)(\s*;.*)?$")
    assert len(pins) >= 13


def test_every_direct_dependency_is_pinned() -> None:
    direct = _names(ROOT / "requirements.in", r"^([A-Za-z0-9_.-]+)(\s*[<>=!~].*)?$")
    pins = _names(ROOT / "requirements.txt", r"^([A-Za-z0-9_.-]+)==([0-9][^\s;]*)(\s*;.*)?$")
    missing = sorted(set(direct) - set(pins))
    assert not missing, f"run the command at the top of requirements.in: {missing} not pinned"
