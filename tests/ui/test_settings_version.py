"""Settings files of older versions: they saved the default UI scale as 1.0 (there was no automatic scale),
so such a file, without a "version", reads as automatic; a scale chosen in the current version stays chosen."""

from __future__ import annotations

import json

import pytest

from game.ui.settings import SETTINGS_VERSION, Settings, config_dir, load_settings, save_settings


def write(data: dict) -> None:
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "settings.json").write_text(json.dumps(data))


def test_an_old_file_with_the_old_default_scale_gets_the_automatic_scale():
    write({"window_width": 1600, "window_height": 1000, "fullscreen": False, "ui_scale": 1.0,
           "animation_speed": 0.5, "colour_blind": True})
    assert load_settings() == (Settings(window_width=1600, window_height=1000, animation_speed=0.5,
                                        colour_blind=True), [])
    write({"ui_scale": 1})  # an integer 1 is the same default
    assert load_settings() == (Settings(), [])


@pytest.mark.parametrize("scale", [0.8, 1.25, 1.5, 2.0])
def test_an_old_file_keeps_a_scale_the_player_chose(scale):
    write({"ui_scale": scale})
    assert load_settings() == (Settings(ui_scale=scale), [])


def test_a_file_of_this_version_keeps_a_chosen_scale_of_one():
    path = save_settings(Settings(ui_scale=1.0))
    data = json.loads(path.read_text())
    assert data["version"] == SETTINGS_VERSION and data["ui_scale"] == 1.0
    assert load_settings() == (Settings(ui_scale=1.0), [])
    save_settings(Settings())
    assert load_settings() == (Settings(), [])


@pytest.mark.parametrize("version", [None, "2", True, 0, 1.0])
def test_a_version_that_is_not_a_whole_number_from_one_counts_as_the_old_format(version):
    write({"version": version, "ui_scale": 1.0})
    assert load_settings() == (Settings(), [])


def test_a_true_ui_scale_is_not_mistaken_for_the_old_default():
    write({"ui_scale": True})
    got, messages = load_settings()
    assert got == Settings() and "ui_scale = True: expected a number" in messages[0]
    assert json.loads((config_dir() / "settings.json").read_text())["version"] == SETTINGS_VERSION
