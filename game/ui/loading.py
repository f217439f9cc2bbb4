"""Scenario files read for the screens, kept while unchanged (the title, the picker and the set-up all
read the same file)."""

from __future__ import annotations

from pathlib import Path

from game.engine import State, World

_LOADED: dict[tuple[str, int, int], tuple[World, State]] = {}


def load_scenario_file(path: str | Path) -> tuple[World, State]:
    """World and start state of a scenario file (raises game.scenario.ScenarioError). Kept while the file
    is unchanged: the title, the picker and the set-up all read the same file, and a state is never
    changed once made (a turn makes a new one)."""
    from game.scenario import load_scenario

    resolved = Path(path).resolve()
    try:
        st = resolved.stat()
        key: tuple[str, int, int] | None = (str(resolved), st.st_mtime_ns, st.st_size)
    except OSError:
        key = None
    if key is not None and key in _LOADED:
        return _LOADED[key]
    loaded = load_scenario(path)
    if key is not None:
        if len(_LOADED) >= 8:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = loaded
    return loaded  # type: ignore[no-any-return]
