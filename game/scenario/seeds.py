"""The ids of the source facts in a seeds/ folder, which scenarios cite in `sources` and `cite`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .problems import WARNING, Problem
from .yamlread import read_yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_MAX_BYTES = 5_000_000

_cache: dict[tuple[Any, ...], tuple[set[str], list[Problem]]] = {}


def _seed_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError:
        return []


def find_seeds_dir(scenario: Path | None) -> Path | None:
    """The scenario's ../seeds/ folder, else the repository's seeds/, whichever holds seed files first."""
    candidates = [scenario.resolve().parent.parent / "seeds"] if scenario is not None else []
    candidates.append(REPO_ROOT / "seeds")
    for folder in candidates:
        if folder.is_dir() and _seed_files(folder):
            return folder
    return None


def _read_facts(path: Path) -> tuple[set[str], list[Problem]]:
    name = str(path)
    try:
        raw = path.read_bytes()
        if len(raw) > SEED_MAX_BYTES:
            return set(), [Problem(name, 1, 1, "seed file too large to read", WARNING)]
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        return set(), [Problem(name, 1, 1, f"could not read seed facts: {e}", WARNING)]
    data, marks, issues = read_yaml(text)
    problems = [Problem(name, i.line, i.col, f"seed file: {i.message}", WARNING) for i in issues]
    facts = data.get("facts") if isinstance(data, dict) else None
    if not isinstance(facts, list):
        if not issues:
            problems.append(Problem(name, 1, 1, "a seed file is a mapping {facts: [{id, text, source, kind}]}",
                                    WARNING))
        return set(), problems
    ids: set[str] = set()
    for i, fact in enumerate(facts):
        ident = fact.get("id") if isinstance(fact, dict) else None
        if isinstance(ident, str):
            ids.add(ident)
        else:
            line, col = marks.at(("facts", i))
            problems.append(Problem(name, line, col, "a seed fact without a text id", WARNING))
    return ids, problems


def seed_ids(folder: Path) -> tuple[set[str], list[Problem]]:
    """Every fact id in the folder's YAML files, and warnings about files that could not be read."""
    files = _seed_files(folder)
    stamp: list[Any] = [str(folder)]
    for f in files:
        try:
            st = f.stat()
            stamp.append((f.name, st.st_mtime_ns, st.st_size))
        except OSError:
            stamp.append((f.name, None, None))
    key = tuple(stamp)
    if key not in _cache:
        ids: set[str] = set()
        problems: list[Problem] = []
        for f in files:
            more, issues = _read_facts(f)
            ids |= more
            problems += issues
        if len(_cache) > 8:
            _cache.clear()
        _cache[key] = (ids, problems)
    ids, problems = _cache[key]
    return set(ids), list(problems)
