"""Player settings (window, UI scale, animation speed, colour-blind mode) in the user's config folder.

A missing file gives the defaults. A broken file (bad UTF-8, invalid JSON, deep nesting, an endless
number, not a file) is set aside (renamed with a timestamp) and the defaults are used; a file with bad
values is set aside too and rewritten with the good ones. Either way the player is told once, and the
game starts.
"""

from __future__ import annotations

import contextlib
import math
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from game.sim import files

APP_NAME = "junction"
SETTINGS_FILE = "settings.json"

UI_SCALES: tuple[float, ...] = (0.8, 1.0, 1.25, 1.5, 1.75, 2.0)
AUTO_SCALE_BASE = (1280, 720)
"""The window, in pixels, that the automatic UI scale fills at 1: a bigger window gets a bigger scale, in
steps of a quarter (1.25 from 1600×900, 1.5 at 1920×1080, 2 at 2560×1440)."""
AUTO_SCALE_MAX = 3.0
ANIMATION_SPEEDS: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0)
"""Animation speed factors; 0 turns animations off."""
WINDOW_SIZES: tuple[tuple[int, int], ...] = ((1024, 700), (1280, 800), (1440, 900), (1600, 1000), (1920, 1080))
SETTINGS_VERSION = 2
"""Written into the file as "version". 2: ui_scale null means automatic, a number the player's choice. A file
without it (version 1) was written when the default scale was 1.0 and saved as such, so there its ui_scale of
exactly OLD_DEFAULT_SCALE means the player never chose one: it reads as automatic."""
OLD_DEFAULT_SCALE = 1.0


def config_dir() -> Path:
    """The settings folder: $JUNCTION_CONFIG_DIR, else the platform's user config folder."""
    env = os.environ.get("JUNCTION_CONFIG_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Settings:
    """What a player may change about the window; every field has a safe default."""

    window_width: int = 1280
    window_height: int = 800
    fullscreen: bool = False
    ui_scale: float | None = None
    """None: chosen from the window's size (`auto_scale`); a number: the player's choice, kept."""
    animation_speed: float = 1.0
    colour_blind: bool = False
    confirm_end_turn: bool = True
    """Ask before ending a turn in which most units have no order."""

    def window_size(self) -> tuple[int, int]:
        return self.window_width, self.window_height

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def auto_scale(size: tuple[int, int]) -> float:
    """The UI scale for a window of `size` when the player has not chosen one: 1 up to AUTO_SCALE_BASE,
    then as much more as the window is bigger in both directions, rounded down to a quarter."""
    grow = min(size[0] / AUTO_SCALE_BASE[0], size[1] / AUTO_SCALE_BASE[1])
    return min(AUTO_SCALE_MAX, max(1.0, math.floor(grow * 4 + 1e-9) / 4))


LIMITS: dict[str, tuple[float, float]] = {
    "window_width": (640, 7680), "window_height": (480, 4320), "ui_scale": (0.5, 3.0), "animation_speed": (0.0, 4.0),
}


def _check_value(name: str, kind: type, value: Any) -> str | None:
    """Why `value` is not acceptable for the field `name`, or None."""
    if kind is bool:
        return None if isinstance(value, bool) else "expected true or false"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return "expected a number"
    if kind is int and not float(value).is_integer():
        return "expected a whole number"
    lo, hi = LIMITS.get(name, (float("-inf"), float("inf")))
    if not lo <= float(value) <= hi:
        return f"expected a value from {lo:g} to {hi:g}"
    return None


def file_version(data: dict[str, Any]) -> int:
    """The settings format a file was written in: its "version", 1 when it has none (or not a whole number)."""
    v = data.get("version")
    return v if isinstance(v, int) and not isinstance(v, bool) and v >= 1 else 1


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """A file's values as the current version reads them: an old file's default UI scale becomes automatic."""
    scale = data.get("ui_scale")
    if file_version(data) < 2 and type(scale) in (int, float) and scale == OLD_DEFAULT_SCALE:
        return {**data, "ui_scale": None}
    return data


def settings_from_dict(data: Any) -> tuple[Settings, list[str]]:
    """Settings from parsed JSON (of any version: `migrate`): unknown keys are ignored, bad values fall back to
    the default."""
    if not isinstance(data, dict):
        return Settings(), ["settings: expected a JSON object; using the defaults"]
    data = migrate(data)
    default = Settings()
    values: dict[str, Any] = {}
    messages: list[str] = []
    kinds = {"window_width": int, "window_height": int, "fullscreen": bool, "ui_scale": float,
             "animation_speed": float, "colour_blind": bool, "confirm_end_turn": bool}
    for f in fields(Settings):
        if f.name not in data:
            continue
        kind = kinds[f.name]
        if f.name == "ui_scale" and data[f.name] is None:
            continue  # automatic, the default
        problem = _check_value(f.name, kind, data[f.name])
        if problem:
            shown = repr(data[f.name])
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            fallback = getattr(default, f.name)
            fallback = "auto" if fallback is None else repr(fallback)
            messages.append(f"settings: {f.name} = {shown}: {problem}; using {fallback}")
        else:
            values[f.name] = kind(data[f.name])
    return Settings(**values), messages


SETTINGS_LIMIT = 1024 * 1024
"""A settings file is a few hundred bytes; anything over this is not ours."""


def load_settings(folder: Path | None = None) -> tuple[Settings, list[str]]:
    """The saved settings and what to tell the player about the file (once: a damaged file is set aside)."""
    folder = folder or config_dir()
    path = folder / SETTINGS_FILE
    try:
        data = files.read_json(path, str(path), limit=SETTINGS_LIMIT)
    except FileNotFoundError:
        return Settings(), []
    except files.FileProblem as exc:
        if not exc.damaged:
            return Settings(), [f"{exc}; using the default settings"]
        return Settings(), [f"{exc}; {_set_aside(path)}; using the default settings"]
    if not isinstance(data, dict):
        return Settings(), [f"{path}: expected a JSON object; {_set_aside(path)}; using the default settings"]
    settings, messages = settings_from_dict(data)
    if messages:
        aside = _set_aside(path)
        with contextlib.suppress(OSError):
            save_settings(settings, folder)
        messages.append(f"{path}: {aside}; the good values were kept")
    return settings, messages


def _set_aside(path: Path) -> str:
    """Rename a damaged settings file out of the way; what happened, for the player."""
    try:
        return f"set aside as {files.set_aside(path).name}"
    except OSError as exc:
        return f"could not be set aside ({exc.strerror or exc})"


def save_settings(settings: Settings, folder: Path | None = None) -> Path:
    """Write the settings atomically (temporary file, sync, rename, sync the folder), with the format's version."""
    path = (folder or config_dir()) / SETTINGS_FILE
    files.write_json_atomic(path, {"version": SETTINGS_VERSION, **asdict(settings)}, indent=2)
    return path


def clean_temp_files(folder: Path | None = None) -> list[Path]:
    """Remove temporary settings files a killed process left behind (only old ones)."""
    return files.clean_temp_files(folder or config_dir())


def next_in(options: tuple[Any, ...], current: Any) -> Any:
    """The option after `current` (wrapping), or the first when `current` is not among them."""
    try:
        return options[(options.index(current) + 1) % len(options)]
    except ValueError:
        return options[0]
