"""Output files of the commands: checked before any work starts, written through a temporary file and a
rename, so a failed or interrupted write never leaves a half-written file or truncates an old one.

    path = output_path("map", (".png",))          # -> map.png; OutputError if it cannot be ours
    with atomic_output(path) as fh:               # a binary file: a temporary one in the same folder
        pygame.image.save(surface, fh, "png")     # renamed over `path` only if this block succeeds
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from . import files

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HTML_STARTS = (b"<!DOCTYPE html", b"<!doctype html", b"<html")
SIGNATURES: dict[str, tuple[bytes, ...]] = {".png": (PNG_SIGNATURE,), ".pdf": (b"%PDF",),
                                            ".svg": (b"<?xml", b"<svg"), ".html": HTML_STARTS,
                                            ".htm": HTML_STARTS, ".md": (b"# After-action report",)}
"""How an existing file of each suffix starts when it is one we could have written; anything else at the
output path is not overwritten."""
KINDS = {".md": "an after-action report", ".html": "an HTML page", ".htm": "an HTML page"}
"""What the refusal calls a file of each suffix (default: `a PNG file`)."""


class OutputError(ValueError):
    """An output path the command will not write, with a message naming it."""


def output_path(text: str, suffixes: tuple[str, ...], *, add_suffix: bool = True, example: str = "map") -> Path:
    """The checked output path: a file (not a folder, device or FIFO) in a folder that exists or can be
    made, ending in one of `suffixes` (the first is added when there is none and `add_suffix`), and not an
    existing file of another kind. Raises OutputError saying why."""
    if not text.strip():
        raise OutputError("an empty output path")
    path = Path(text)
    if text.endswith(("/", os.sep)) or path.is_dir():
        raise OutputError(f"{text} is a folder; give a file name such as {Path(text) / (example + suffixes[0])}")
    _check_existing(path)
    if path.suffix.lower() not in suffixes:
        if path.suffix or not add_suffix:
            raise OutputError(f"{text}: the file name must end in {' or '.join(suffixes)}")
        path = path.with_name(path.name + suffixes[0])
    _check_existing(path)
    _check_folder(path.parent)
    return path


def _check_existing(path: Path) -> None:
    """An existing file at `path` must be a regular file of the kind its suffix says (or empty)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"{path}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{path} is {files.kind_of_file(info.st_mode)}; not writing over it")
    starts = SIGNATURES.get(path.suffix.lower())
    if starts and info.st_size:
        try:
            with path.open("rb") as fh:
                head = fh.read(64).lstrip()
        except OSError as exc:
            raise OutputError(f"{path}: cannot read it ({exc.strerror})") from None
        if not head.startswith(starts):
            kind = KINDS.get(path.suffix.lower(), f"a {path.suffix.lower()[1:].upper()} file")
            raise OutputError(f"{path} exists and is not {kind}; not writing over it (move it or choose "
                              "another name)")


def _check_folder(folder: Path) -> None:
    """The nearest existing folder above the file must be a writable folder (missing ones are made later)."""
    probe = folder if str(folder) else Path(".")
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise OutputError(f"{probe} is not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in {probe}: permission denied")


def output_type(suffixes: tuple[str, ...], *, add_suffix: bool = True) -> Callable[[str], Path]:
    """`output_path` as an argparse type: a bad path is `error: argument -o/--output: …`, exit 2."""

    def parse(text: str) -> Path:
        try:
            return output_path(text, suffixes, add_suffix=add_suffix)
        except OutputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = "output file"
    return parse


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to write `path`'s new content to: a temporary file next to it (files.temp_file's name,
    so a killed process's leftover is cleaned later), synced and renamed over `path` when the block
    succeeds, removed when it fails. Writers that pick a format by name take it as a hint
    (`pygame.image.save(surface, fh, "png")`)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    files.clean_temp_files(target.parent, target)
    fh, tmp = files.temp_file(target)
    try:
        yield fh.buffer
        files.commit(fh, tmp, target)
    except BaseException:
        fh.close()
        tmp.unlink(missing_ok=True)
        raise
