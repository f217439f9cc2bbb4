"""The cache of parsed scenario files: used only for the same bytes and the same reader, gives exactly
what reading the YAML gives (data and every position), and never breaks a load when it is damaged,
missing or unwritable."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from game.scenario import cache, check_file, load, parse_file
from game.scenario import loader as loader_module

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenarios" / "homs_junction.yaml"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache in a temporary folder that keeps files of any size."""
    monkeypatch.setenv("JUNCTION_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    return tmp_path / "cache" / "scenarios"


def copy_of(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def without_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading YAML fail, so a successful parse must have come from the cache."""
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("read the YAML although the cache holds the file")
    monkeypatch.setattr(loader_module, "read_yaml", refuse)


def test_a_kept_file_gives_the_same_data_and_positions(folder: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = copy_of(tmp_path, SHIPPED.read_text(encoding="utf-8"))
    fresh = parse_file(path)
    assert len(list(folder.glob("*.entry"))) == 1
    without_yaml(monkeypatch)
    kept = parse_file(path)
    assert kept.problems == [] and repr(kept.data) == repr(fresh.data)
    assert pickle.loads(pickle.dumps(kept.marks)).at(("units", 3, "place")) == fresh.marks.at(("units", 3, "place"))
    assert kept.marks.root == fresh.marks.root
    assert load(path).state.turn == 1


def test_a_variant_of_a_kept_file_is_located_in_each_file(folder: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    copy_of(tmp_path, SHIPPED.read_text(encoding="utf-8"), "homs_junction.yaml")
    child = copy_of(tmp_path, "extends: homs_junction.yaml\nunits:\n  - {id: nope_unit, faction: hts, name: X, "
                              "type: infantry, place: nowhere, strength: 5}\n", "child.yaml")
    first = check_file(child)
    assert [(p.file, p.line) for p in first if p.is_error] == [(str(child), 3)]
    assert any(p.file == str(tmp_path / "homs_junction.yaml") for p in first)  # the parent's own warning
    without_yaml(monkeypatch)
    assert check_file(child) == first


def test_problems_are_located_the_same_from_the_cache(folder: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("controller: hts", "controller: htz", 1)
    path = copy_of(tmp_path, text)
    first = check_file(path)
    assert any(p.is_error for p in first)
    without_yaml(monkeypatch)
    assert check_file(path) == first


def test_an_edited_file_is_read_again(folder: Path, tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    path = copy_of(tmp_path, text)
    parse_file(path)
    path.write_text(text.replace('title: "Homs Junction"', 'title: "Homs Junction, edited"'), encoding="utf-8")
    assert parse_file(path).data["meta"]["title"] == "Homs Junction, edited"
    assert len(list(folder.glob("*.entry"))) == 2


@pytest.mark.parametrize("damage", ["truncate", "garbage", "header", "other_reader", "other_hash", "extra",
                                    "huge_sizes"])
def test_a_damaged_entry_is_ignored(folder: Path, tmp_path: Path, damage: str) -> None:
    path = copy_of(tmp_path, SHIPPED.read_text(encoding="utf-8"))
    fresh = parse_file(path)
    (entry,) = folder.glob("*.entry")
    raw = entry.read_bytes()
    head, _, rest = raw.partition(b"\n")
    header = json.loads(head)
    if damage == "truncate":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        entry.write_bytes(head + b"\n" + b"\x00\xff" * (len(rest) // 2))
    elif damage == "header":
        entry.write_bytes(b"{not json\n" + rest)
    elif damage == "extra":
        entry.write_bytes(raw + b"more")
    elif damage == "huge_sizes":
        header["data"] = 1 << 40
        entry.write_bytes(json.dumps(header).encode() + b"\n" + rest)
    else:
        header["reader" if damage == "other_reader" else "sha256"] = "0" * 64
        entry.write_bytes(json.dumps(header).encode() + b"\n" + rest)
    again = parse_file(path)
    assert again.problems == [] and repr(again.data) == repr(fresh.data)


def test_files_with_problems_or_odd_keys_are_not_kept(folder: Path, tmp_path: Path) -> None:
    parse_file(copy_of(tmp_path, "meta: {title: a}\nmeta: {title: b}\n", "dup.yaml"))
    parse_file(copy_of(tmp_path, "meta: {title: a}\n1: x\n", "int_key.yaml"))
    parse_file(copy_of(tmp_path, 'meta: {title: a}\n"\\0date": x\n', "nul_key.yaml"))
    assert not folder.exists() or list(folder.glob("*.entry")) == []


def test_anchors_and_merges_are_kept_with_their_positions(folder: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = copy_of(tmp_path, "a: &x {b: 1, c: [2, 3]}\nd:\n  <<: *x\n  e: 4\nf: *x\n")
    fresh = parse_file(path)
    without_yaml(monkeypatch)
    kept = parse_file(path)
    assert kept.data == fresh.data
    for loc in [("a", "c", 1), ("d", "b"), ("d", "e"), ("f", "c", 0), ("f",)]:
        assert kept.marks.at(loc) == fresh.marks.at(loc) and kept.marks.at(loc, key=True) == fresh.marks.at(
            loc, key=True), loc


def test_small_files_are_not_kept_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUNCTION_CACHE_DIR", str(tmp_path / "cache"))
    parse_file(SHIPPED)
    assert not (tmp_path / "cache").exists()


def test_an_unwritable_cache_never_breaks_a_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("JUNCTION_CACHE_DIR", str(blocker))
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    assert load(SHIPPED).world.board.n_places > 0


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUNCTION_CACHE_DIR", "")
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    monkeypatch.chdir(tmp_path)
    parse_file(SHIPPED)
    assert cache.cache_dir() is None and list(tmp_path.iterdir()) == []


def test_only_the_newest_entries_are_kept(folder: Path, tmp_path: Path) -> None:
    for i in range(cache.KEEP + 3):
        parse_file(copy_of(tmp_path, f"meta: {{title: t{i}}}\n", f"s{i}.yaml"))
    stale = folder / ".tmp-left-behind.entry"
    stale.write_bytes(b"partial")
    os.utime(stale, (1, 1))
    parse_file(copy_of(tmp_path, "meta: {title: last}\n", "last.yaml"))
    assert len(list(folder.glob("*.entry"))) == cache.KEEP and not stale.exists()


@pytest.mark.parametrize("xdg", ["", "elsewhere"])
def test_the_default_folder_is_where_platformdirs_puts_the_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     xdg: str) -> None:
    platformdirs = pytest.importorskip("platformdirs")
    monkeypatch.delenv("JUNCTION_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / xdg) if xdg else "")
    assert cache.user_cache_dir() == Path(platformdirs.user_cache_dir("junction", appauthor=False))
    assert cache.cache_dir() == cache.user_cache_dir() / "scenarios"
