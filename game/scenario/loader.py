"""Public API: read a scenario file, report every problem with its position, build the engine state.

    world, state = load_scenario("scenarios/homs_junction.yaml")   # raises ScenarioError
    problems = check_file("my.yaml")                                 # never raises

The steps are separate so that a caller can change the parsed data (e.g.
`--set` overrides) before validating and building it: `parse_file` →
(edit `.data`) → `build_from_data(data, name, marks=..., base=...)`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from game.engine.rules import Rules
from game.engine.state import State, World

from . import cache
from .build import build
from .messages import schema_problems, where
from .model import Scenario
from .problems import ERROR, WARNING, Problem, ScenarioError, closest, did_you_mean, show, sort_problems
from .seeds import find_seeds_dir, seed_ids
from .variants import (
    EXTENDS,
    MAX_CHAIN,
    REMOVE,
    Merge,
    key_text,
    parent_name,
    rebase_outline,
    relocate,
    removals_of,
)
from .xref import check_references
from .yamlread import Loc, Marks, paused_gc, read_yaml

MAX_BYTES = 16_000_000
"""Largest scenario file accepted: room for a whole country at village level (a 20,000-place map with
its routes and 10,000 units is about 6 MB; the default scenario is about 70 KB)."""

TOP_KEYS = "meta:, map:, factions:, …"


@dataclass
class Parsed:
    """A scenario file read into plain data, with the position of every node and any reading problems."""

    name: str
    data: Any
    marks: Marks
    problems: list[Problem] = field(default_factory=list)
    base: Path | None = None
    """The scenario file, for finding seeds/ and the outline (None for text)."""
    parents: tuple[Path, ...] = ()
    """For a variant, the files it extends, nearest first (e.g. to reload when one of them changes)."""
    removed: dict[str, str] = field(default_factory=dict)
    """For a variant, each id its `remove:` drops, with FILE:LINE of the entry that drops it."""
    added: dict[str, str] = field(default_factory=dict)
    """For a variant, each item it adds to a parent's list (as messages name it) with a note saying so."""
    removed_flags: dict[str, str] = field(default_factory=dict)
    """For a variant, each flag that only an event its `remove:` drops set, with where and which event."""


@dataclass(frozen=True)
class Loaded:
    """Everything a loaded scenario gives: the validated model (which keeps what the engine does not,
    e.g. descriptions and the `ai:` block), the engine World and State, and any warnings."""

    name: str
    scenario: Scenario
    world: World
    state: State
    warnings: tuple[Problem, ...] = ()
    parents: tuple[Path, ...] = ()
    """For a variant, the files it extends, nearest first."""


def parse_text(text: str, name: str = "<string>", *, max_bytes: int = MAX_BYTES,
               base: Path | None = None) -> Parsed:
    """Read YAML text; problems with the text itself (not YAML, empty, not a mapping …) go in `.problems`."""
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        return Parsed(name, None, Marks(), [Problem(name, 1, 1, f"the scenario is over the size limit of "
                                                                f"{max_bytes:,} bytes")], base)
    data, marks, issues = read_yaml(text)
    problems = [Problem(name, i.line, i.col, i.message if i.loc is None else f"{where(data, i.loc)}: {i.message}")
                for i in issues]
    if not issues and not isinstance(data, dict):
        problems.append(Problem(name, *marks.at(()), _not_a_mapping(data)))
    return Parsed(name, data, marks, problems, base)


def _not_a_mapping(data: Any) -> str:
    if data is None:
        return f"the scenario is empty: expected a mapping with {TOP_KEYS}"
    if isinstance(data, list):
        return f"the top level is a list; a scenario is a mapping with {TOP_KEYS}"
    return f"the top level is a single value ({show(data)}); a scenario is a mapping with {TOP_KEYS}"


def parse_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Parsed:
    """Read a scenario file (UTF-8, at most `max_bytes`) into plain data and node positions; a variant
    (`extends:`) comes back merged onto its parent, each value still located in its own file."""
    return resolve_variant(read_file(path, max_bytes=max_bytes), max_bytes=max_bytes)


def read_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES, name: str | None = None) -> Parsed:
    """Read one scenario file as it is (a variant is not merged); `name` is how messages call it. A large
    file that read cleanly is kept parsed in the cache (game/scenario/cache.py), keyed by its bytes' hash."""
    name = os.fspath(path) if name is None else name
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            return Parsed(name, None, Marks(), [Problem(name, 1, 1, "is a folder, not a scenario file")], p)
        if size > max_bytes:
            return Parsed(name, None, Marks(), [Problem(name, 1, 1, f"the file is {size:,} bytes, over the size "
                                                                    f"limit of {max_bytes:,} bytes")], p)
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        return Parsed(name, None, Marks(), [Problem(name, 1, 1, "no such file")], p)
    except PermissionError:
        return Parsed(name, None, Marks(), [Problem(name, 1, 1, "cannot read the file: permission denied")], p)
    except OSError as e:
        return Parsed(name, None, Marks(), [Problem(name, 1, 1, f"cannot read the file: {e.strerror or e}")], p)
    if len(raw) > max_bytes:
        return Parsed(name, None, Marks(), [Problem(name, 1, 1, f"the file is over the size limit of "
                                                                f"{max_bytes:,} bytes")], p)
    key = cache.digest(raw) if len(raw) >= cache.MIN_BYTES else None
    kept = cache.load(key) if key is not None else None
    if kept is not None:
        return Parsed(name, kept[0], kept[1], [], p)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        bad = raw[e.start:e.start + 1].hex()
        return Parsed(name, None, Marks(), [Problem(name, line, col, f"not UTF-8 text: byte 0x{bad} here; save "
                                                                     "the file as UTF-8")], p)
    parsed = parse_text(text, name, max_bytes=max_bytes, base=p)
    if key is not None and not parsed.problems:
        cache.store(key, parsed.data, parsed.marks)
    return parsed


def resolve_variant(parsed: Parsed, *, max_bytes: int = MAX_BYTES, chain: tuple[Path, ...] = ()) -> Parsed:
    """A variant merged onto its parent (docs/authoring.md); any other file unchanged. A missing or
    unreadable parent, or a cycle, gives data None and a problem at the `extends:` value."""
    data = parsed.data
    misspelt = _misspelt_extends(parsed)
    if misspelt is not None:
        return Parsed(parsed.name, None, parsed.marks, parsed.problems + [misspelt], parsed.base, parsed.parents)
    if not isinstance(data, dict) or EXTENDS not in data:
        if isinstance(data, dict) and REMOVE in data:
            line, col = parsed.marks.at((REMOVE,), key=True)
            parsed.problems.append(Problem(parsed.name, line, col, "remove: only a variant (a file with "
                                                                   "`extends:`) can remove items"))
        return parsed
    name, marks = parsed.name, parsed.marks
    found = _parent_file(parsed, chain)
    if isinstance(found, str):
        line, col = marks.at((EXTENDS,))
        return Parsed(name, None, marks, parsed.problems + [Problem(name, line, col, f"extends: {found}")],
                      parsed.base, parsed.parents)
    target, chain = found
    parent = resolve_variant(read_file(target, max_bytes=max_bytes, name=parent_name(name, data[EXTENDS])),
                             max_bytes=max_bytes, chain=chain)
    if not isinstance(parent.data, dict):
        if not parent.problems:
            parent.problems.append(Problem(parent.name, 1, 1, _not_a_mapping(parent.data)))
        return Parsed(name, None, marks, parsed.problems + parent.problems, parsed.base, (target, *parent.parents))
    child = {k: v for k, v in data.items() if k not in (EXTENDS, REMOVE)}
    removals, problems = removals_of(data.get(REMOVE), parent.data, parent.name, marks.at, name)
    merge = Merge((parent.name, parent.marks), (name, marks), removals)
    merged = merge.merge((), parent.data, (), child, ())
    assert parsed.base is not None
    rebase_outline(merged, target.parent, parsed.base.parent)
    removed = {**parent.removed, **{key_text(key): f"{name}:{marks.at((REMOVE, i))[0]}"
                                    for (_, key), i in removals.items()}}
    flags = {**parent.removed_flags, **_flags_removed(parent.data, removals, name, marks)}
    return Parsed(name, merged, Marks(merge.entries), parsed.problems + parent.problems + problems + merge.problems,
                  parsed.base, (target, *parent.parents), removed, merge.added_notes(parent.name), flags)


def _flags_removed(parent: dict[str, Any], removals: dict[tuple[Loc, Any], int], name: str,
                   marks: Marks) -> dict[str, str]:
    """Per flag that an event the child removes set: 'FILE:LINE removes 'ev', which set it'."""
    events = {e.get("id"): e for e in parent.get("events") or [] if isinstance(e, dict)}
    out: dict[str, str] = {}
    for (loc, key), i in removals.items():
        event = events.get(key_text(key)) if loc == ("events",) else None
        for eff in (event or {}).get("effects") or []:
            body = eff.get("set_flag") if isinstance(eff, dict) else None
            flag = body.get("flag") if isinstance(body, dict) else None
            if isinstance(flag, str):
                out[flag] = f"{name}:{marks.at((REMOVE, i))[0]} removes {key_text(key)!r}, which set it"
    return out


def _misspelt_extends(parsed: Parsed) -> Problem | None:
    """The problem of a variant whose `extends:` is misspelt (a key near it, and the keys a whole file must
    have missing), so that it is not checked as a whole file and buried under missing keys; else None."""
    data = parsed.data
    if not isinstance(data, dict) or EXTENDS in data:
        return None
    if all(k in data for k, info in Scenario.model_fields.items() if info.is_required()):
        return None
    for key in data:
        if isinstance(key, str) and key not in Scenario.model_fields and did_you_mean(key, [EXTENDS]):
            line, col = parsed.marks.at((key,), key=True)
            return Problem(parsed.name, line, col, f"top level: unknown key {key!r} (did you mean {EXTENDS!r}?); "
                                                   f"a variant names the file it changes with `{EXTENDS}:`")
    return None


def _parent_file(parsed: Parsed, chain: tuple[Path, ...]) -> tuple[Path, tuple[Path, ...]] | str:
    """The parent file a variant names and the chain of files with it, or why there is none."""
    ext = parsed.data[EXTENDS]
    if not isinstance(ext, str) or not ext.strip():
        return f"expected the file name of the scenario this one changes (e.g. homs_junction.yaml), got {show(ext)}"
    if parsed.base is None:
        return "only a scenario file can extend another (there is no folder to look in)"
    here = parsed.base.resolve()
    chain = chain or (here,)
    target = parsed.base.parent / ext
    if target.resolve() in chain:
        names = " → ".join([*(p.name for p in chain), target.name])
        return f"{ext!r} leads back to a file already in the chain ({names}): a cycle"
    if len(chain) >= MAX_CHAIN:
        return f"more than {MAX_CHAIN} files in one chain of variants"
    if not target.is_file():
        folder = target.parent  # where the name points: a parent in another folder is looked for there
        others = {p.stem: p.name for p in folder.glob("*.y*ml") if p.resolve() != here} if folder.is_dir() else {}
        stem = closest(Path(ext).stem, others)  # by stem: the '.yaml' they share made 'base.yaml' near 't.yaml'
        head = ext[:len(ext) - len(Path(ext).name)]  # the folder part as written ('../scenarios/')
        near = f" (did you mean {head + others[stem]!r}?)" if stem is not None else ""
        return f"no scenario file {ext!r} (looked for {target}){near}"
    return target, chain + (target.resolve(),)


def _stacking(data: dict[str, Any]) -> dict[str, Any]:
    stacking = dict(Rules().stacking)
    rules = data.get("rules")
    given = rules.get("stacking") if isinstance(rules, dict) else None
    if isinstance(given, dict):
        stacking.update(given)
    return stacking


def _extra_checks(data: dict[str, Any], name: str, marks: Marks, base: Path | None) -> tuple[set[str] | None,
                                                                                               list[Problem]]:
    """Seed ids to check against (None: no seeds folder) and warnings about the surroundings of the file."""
    problems: list[Problem] = []
    folder = find_seeds_dir(base)
    seeds: set[str] | None = None
    if folder is not None:
        seeds, problems = seed_ids(folder)
    meta = data.get("meta")
    outline = meta.get("outline") if isinstance(meta, dict) else None
    if isinstance(outline, str) and outline and base is not None:
        target = base.parent / outline
        if not target.is_file():
            line, col = marks.at(("meta", "outline"))
            problems.append(Problem(name, line, col, f"meta.outline: no file {outline!r} next to the scenario "
                                                     f"(looked for {target})", WARNING))
    return seeds, problems


def analyse(parsed: Parsed) -> tuple[Scenario | None, list[Problem]]:
    """Validate parsed data: the model (or None) and every problem, in file order."""
    problems = list(parsed.problems)
    data, name, marks = parsed.data, parsed.name, parsed.marks
    if not isinstance(data, dict):
        return None, sort_problems(problems)
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems += schema_problems(exc, Scenario, data, marks, name)
    seeds, extra = _extra_checks(data, name, marks, parsed.base)
    problems += extra
    problems += check_references(data, marks, name, seeds=seeds, stacking=_stacking(data))
    if any(p.is_error for p in problems):
        scenario = None
    first = relocate(parsed.problems)
    problems = _note_added(_note_removed(_drop_echoes(first, relocate(problems)), parsed), parsed)
    return scenario, by_file(sort_problems(problems), parsed)


def _note_removed(problems: list[Problem], parsed: Parsed) -> list[Problem]:
    """A parent's reference to an id its variant removes says so, pointing at the `remove:` entry; so does a
    condition on a flag (in either file) that only a removed event set."""
    if not parsed.removed:
        return problems
    flag_said = {f"no event sets flag {flag!r}": note for flag, note in parsed.removed_flags.items()}

    def names(message: str, ident: str) -> bool:
        if "~" in ident:
            return "route" in message and all(f"{end!r}" in message for end in ident.split("~"))
        return "unknown" in message and f"{ident!r}" in message

    out = []
    for p in problems:
        hits = [note for said, note in flag_said.items() if said in p.message]
        if p.file != parsed.name:
            hits = [f"{where} removes {ident!r}" for ident, where in parsed.removed.items()
                    if names(p.message, ident)] + hits
        if hits:
            p = Problem(p.file, p.line, p.col, f"{p.message} ({'; '.join(hits)})", p.severity, p.code)
        out.append(p)
    return out


def _note_added(problems: list[Problem], parsed: Parsed) -> list[Problem]:
    """A variant's new item that lacks required keys says it is new, with the parent's id it was likely
    meant to change (a misspelt id adds an item instead of changing one)."""
    if not parsed.added:
        return problems
    out = []
    for p in problems:
        head, sep, rest = p.message.partition(": ")
        note = parsed.added.get(head) if p.file == parsed.name and sep else None
        if note is not None and rest.startswith("missing required key"):
            p = Problem(p.file, p.line, p.col, f"{p.message} ({note})", p.severity, p.code)
        out.append(p)
    return out


def by_file(problems: list[Problem], parsed: Parsed) -> list[Problem]:
    """A variant's problems: its own first, then each parent's (each file's in line order)."""
    if not parsed.parents:
        return problems
    return sorted(problems, key=lambda p: 0 if p.file == parsed.name else 1 + _parent_rank(p.file, parsed))


def _parent_rank(file: str, parsed: Parsed) -> int:
    for i, path in enumerate(parsed.parents):
        if Path(file).resolve() == path.resolve():
            return i
    return len(parsed.parents)


def _drop_echoes(first: list[Problem], problems: list[Problem]) -> list[Problem]:
    """Reading problems (an unsupported tag, a duplicate key) already explain their node: drop later
    problems reported at the same position."""
    seen = {(p.file, p.line, p.col) for p in first}
    if not seen:
        return problems
    return [p for p in problems if p in first or (p.file, p.line, p.col) not in seen]


def _load(parsed: Parsed) -> tuple[Loaded | None, list[Problem]]:
    """Validate and build, turning any unexpected failure into a located problem rather than a traceback."""
    with paused_gc():
        return _load_unpaused(parsed)


def _load_file(path: str | os.PathLike[str], max_bytes: int) -> tuple[Loaded | None, list[Problem]]:
    """Read, validate and build a file with the garbage collector paused throughout (see paused_gc): each
    resumption scans every object made while paused once, so one pause costs half of two."""
    with paused_gc():
        return _load_unpaused(_safe_parse_file(path, max_bytes))


def _load_unpaused(parsed: Parsed) -> tuple[Loaded | None, list[Problem]]:
    try:
        scenario, problems = analyse(parsed)
        if scenario is None:
            return None, problems
        try:
            world, state = build(scenario)
        except (ValueError, KeyError, IndexError, TypeError) as e:
            return None, problems + [Problem(parsed.name, 1, 1, f"the engine rejected the scenario: {e}")]
        return Loaded(parsed.name, scenario, world, state, tuple(problems), parsed.parents), problems
    except Exception as e:  # noqa: BLE001 - last resort: a broken file must never crash the program
        return None, [Problem(parsed.name, 1, 1, f"internal error while checking the scenario ({type(e).__name__}: "
                                                 f"{e}); please report this with the file", ERROR)]


def _raise_or(loaded: Loaded | None, problems: list[Problem]) -> Loaded:
    if loaded is None:
        raise ScenarioError([p for p in problems if p.is_error] or problems)
    return loaded


def _safe_parse_file(path: str | os.PathLike[str], max_bytes: int) -> Parsed:
    try:
        return parse_file(path, max_bytes=max_bytes)
    except Exception as e:  # noqa: BLE001 - last resort
        name = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
        return Parsed(name, None, Marks(), [Problem(name, 1, 1, f"internal error while reading the file "
                                                                f"({type(e).__name__}: {e})")])


def _safe_parse_text(text: str, name: str, max_bytes: int, base: str | os.PathLike[str] | None = None) -> Parsed:
    try:
        return resolve_variant(parse_text(text, name, max_bytes=max_bytes, base=None if base is None else Path(base)),
                               max_bytes=max_bytes)
    except Exception as e:  # noqa: BLE001 - last resort
        return Parsed(name, None, Marks(), [Problem(name, 1, 1, f"internal error while reading the text "
                                                                f"({type(e).__name__}: {e})")])


def load(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Loaded:
    """Load a scenario file with everything it gives; raise ScenarioError listing every problem."""
    return _raise_or(*_load_file(path, max_bytes))


def load_scenario(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> tuple[World, State]:
    """The engine World and the State at turn 1; raise ScenarioError listing every problem."""
    loaded = load(path, max_bytes=max_bytes)
    return loaded.world, loaded.state


def load_scenario_text(text: str, name: str = "<string>", *, max_bytes: int = MAX_BYTES) -> tuple[World, State]:
    """As load_scenario, from text (for tests); seeds are looked up in the repository's seeds/ only."""
    loaded = _raise_or(*_load(_safe_parse_text(text, name, max_bytes)))
    return loaded.world, loaded.state


def build_from_data(data: Any, name: str = "<data>", *, marks: Marks | None = None,
                    base: str | os.PathLike[str] | None = None) -> tuple[World, State]:
    """Validate and build already-parsed data (e.g. after overrides). `marks` (from `parse_file`) locates
    problems; without them every problem is reported at 1:1 with its path in the message."""
    parsed = Parsed(name, data, marks or Marks(), [], Path(base) if base is not None else None)
    if not isinstance(data, dict):
        parsed.problems.append(Problem(name, 1, 1, _not_a_mapping(data)))
    loaded = _raise_or(*_load(parsed))
    return loaded.world, loaded.state


def load_checked(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES,
                 ) -> tuple[Parsed, Loaded | None, list[Problem]]:
    """The parsed file, what it loads to (None when it has errors) and every problem; never raises. The
    file is read once, under one garbage-collector pause, so a caller that needs the parsed data too (the
    AI block's checks) does not read a large map twice."""
    with paused_gc():
        parsed = _safe_parse_file(path, max_bytes)
        return (parsed, *_load_unpaused(parsed))


def load_checked_text(text: str, name: str = "<string>", *, max_bytes: int = MAX_BYTES,
                      base: str | os.PathLike[str] | None = None) -> tuple[Parsed, Loaded | None, list[Problem]]:
    """As load_checked, from text; `base` is the file the text is meant for (its folder holds the
    parent of a variant, the outline and seeds/), e.g. to check an edit before it replaces the file."""
    parsed = _safe_parse_text(text, name, max_bytes, base)
    return (parsed, *_load(parsed))


def check_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> list[Problem]:
    """Every problem (errors and warnings) of a scenario file, in file order; never raises."""
    return _load_file(path, max_bytes)[1]


def check_text(text: str, name: str = "<string>", *, max_bytes: int = MAX_BYTES) -> list[Problem]:
    """Every problem of scenario text; never raises."""
    return _load(_safe_parse_text(text, name, max_bytes))[1]
