"""Player settings (window, UI scale, animation speed, colour-blind mode) in the user's config folder.

A missing file gives the defaults; a broken file or a bad value gives the default for that
value and a message, never a crash.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

APP_NAME = "junction"
SETTINGS_FILE = "settings.json"

UI_SCALES: tuple[float, ...] = (0.8, 1.0, 1.25, 1.5, 1.75, 2.0)
ANIMATION_SPEEDS: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0)
"""Animation speed factors; 0 turns animations off."""
WINDOW_SIZES: tuple[tuple[int, int], ...] = ((1024, 700), (1280, 800), (1440, 900), (1600, 1000), (1920, 1080))


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
    ui_scale: float = 1.0
    animation_speed: float = 1.0
    colour_blind: bool = False
    confirm_end_turn: bool = True
    """Ask before ending a turn in which most units have no order."""

    def window_size(self) -> tuple[int, int]:
        return self.window_width, self.window_height

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


LIMITS: dict[str, tuple[float, float]] = {
    "window_width": (640, 7680), "window_height": (480, 4320), "ui_scale": (0.5, 3.0), "animation_speed": (0.0, 4.0),
}


def _check_value(name: str, kind: type, value: Any) -> str | None:
    """Why `value` is not acceptable for the field `name`, or None."""
    if kind is bool:
        return None if isinstance(value, bool) else "expected true or false"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "expected a number"
    if kind is int and not float(value).is_integer():
        return "expected a whole number"
    lo, hi = LIMITS.get(name, (float("-inf"), float("inf")))
    if not lo <= float(value) <= hi:
        return f"expected a value from {lo:g} to {hi:g}"
    return None


def settings_from_dict(data: Any) -> tuple[Settings, list[str]]:
    """Settings from parsed JSON: unknown keys are ignored, bad values fall back to the default."""
    if not isinstance(data, dict):
        return Settings(), ["settings: expected a JSON object; using the defaults"]
    default = Settings()
    values: dict[str, Any] = {}
    messages: list[str] = []
    kinds = {"window_width": int, "window_height": int, "fullscreen": bool, "ui_scale": float,
             "animation_speed": float, "colour_blind": bool, "confirm_end_turn": bool}
    for f in fields(Settings):
        if f.name not in data:
            continue
        kind = kinds[f.name]
        problem = _check_value(f.name, kind, data[f.name])
        if problem:
            messages.append(f"settings: {f.name} = {data[f.name]!r}: {problem}; using {getattr(default, f.name)!r}")
        else:
            values[f.name] = kind(data[f.name])
    return Settings(**values), messages


def load_settings(folder: Path | None = None) -> tuple[Settings, list[str]]:
    """The saved settings and any messages about problems found in the file."""
    path = (folder or config_dir()) / SETTINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except OSError as exc:
        return Settings(), [f"cannot read {path}: {exc.strerror}; using the default settings"]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Settings(), [f"{path}: not valid JSON (line {exc.lineno}); using the default settings"]
    return settings_from_dict(data)


def save_settings(settings: Settings, folder: Path | None = None) -> Path:
    """Write the settings atomically (temporary file, then rename)."""
    folder = folder or config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SETTINGS_FILE
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(settings), fh, indent=2)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def next_in(options: tuple[Any, ...], current: Any) -> Any:
    """The option after `current` (wrapping), or the first when `current` is not among them."""
    try:
        return options[(options.index(current) + 1) % len(options)]
    except ValueError:
        return options[0]
