"""The output files of `simulate` (--json, --csv, --plot): checked before the batch starts, written whole.

A check that fails is one `UsageError` naming the option and the path, so an hour's batch never ends
in a path that cannot be written. A regular file is written to a temporary file beside it and renamed
over it, so an interrupted or failed write leaves the old file as it was; a device or pipe
(/dev/stdout, /dev/full) is written in place and a failure there is reported the same way.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .outfiles import SIGNATURES

PLOT_FORMATS = (".png", ".svg", ".pdf")
CSV_START = b"variant,run,seed,"
JSON_KEYS = (b'"version"', b'"note"', b'"scenario"')
"""What the start of a file `simulate` wrote holds: the CSV header, the JSON document's first keys."""


class OutputError(Exception):
    """An output path that cannot be written: the message names the option and the path."""


def _is_special(path: Path) -> bool:
    """A device, pipe or socket: written in place, never replaced by a rename."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_output(option: str, path: str, protected: list[str] | None = None) -> None:
    """Raise OutputError unless `path` can be written: not a folder, its folder exists and takes a new
    file, an existing file may be opened for writing, and it is none of the `protected` files."""
    if not path.strip():
        raise OutputError(f"{option}: empty file name")
    p = Path(path)
    if p.is_dir() or path.endswith(("/", os.sep)):
        raise OutputError(f"{option} {path}: is a folder; give a file name")
    real = Path(os.path.realpath(p))
    for other in protected or []:
        if os.path.exists(other) and real == Path(os.path.realpath(other)):
            raise OutputError(f"{option} {path}: is the scenario file; give another file name")
    if _is_special(real):
        return
    folder = real.parent
    if not folder.exists():
        raise OutputError(f"{option} {path}: no folder {folder}")
    if not folder.is_dir():
        raise OutputError(f"{option} {path}: {folder} is not a folder")
    _check_ours(option, path, real)
    try:
        if real.exists():
            os.close(os.open(real, os.O_WRONLY | os.O_APPEND))
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{real.name}.", suffix=".check"):
            pass
    except OSError as exc:
        raise OutputError(f"{option} {path}: cannot write there ({exc.strerror or exc})") from None


def _check_ours(option: str, path: str, real: Path) -> None:
    """An existing, non-empty file is replaced only when `simulate` could have written it (an earlier
    batch's JSON, CSV or chart): a scenario, a log or anyone's other file named by mistake is kept."""
    try:
        with real.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"{option} {path}: cannot read the file there ({exc.strerror or exc})") from None
    if not head:
        return
    start = head.lstrip()
    if option == "--json":
        ours = start.startswith(b"{") and all(key in head for key in JSON_KEYS)
        kind = "the JSON of a batch"
    elif option == "--csv":
        ours, kind = start.startswith(CSV_START), "the CSV of a batch"
    else:
        ours = start.startswith(SIGNATURES.get(real.suffix.lower(), (b"\x00",)))
        kind = f"a {real.suffix.lower()[1:].upper()} file"
    if not ours:
        raise OutputError(f"{option} {path}: exists and is not {kind}; not writing over it (move it or choose "
                          "another name)")


def check_plot_format(path: str) -> None:
    if Path(path).suffix.lower() not in PLOT_FORMATS:
        raise OutputError(f"--plot {path}: the file name must end in {', '.join(PLOT_FORMATS[:-1])} or "
                          f"{PLOT_FORMATS[-1]} (the format is taken from it)")


def check_outputs(outputs: dict[str, str | None], scenario: str) -> None:
    """Check every given output path (option -> path), and that no two options name the same file."""
    seen: dict[str, str] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        if option == "--plot":
            check_plot_format(path)
        check_output(option, path, [scenario])
        key = os.path.realpath(path)
        if key in seen and not _is_special(Path(key)):
            raise OutputError(f"{option} {path}: the same file as {seen[key]}")
        seen[key] = option


def write_output(option: str, path: str, write: Callable[[str], None]) -> None:
    """Call `write(target)` so that `path` ends up whole or untouched: a regular file goes through a
    temporary file in the same folder (same suffix, so a plot keeps its format) renamed over it."""
    real = Path(os.path.realpath(path))
    try:
        if _is_special(real):
            write(str(real))
            return
        fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=f".tmp{real.suffix}")
        os.close(fd)
        os.chmod(tmp, _mode_for(real))
        try:
            write(tmp)
            _fsync(tmp)
            os.replace(tmp, real)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        _fsync_folder(real.parent)
    except OSError as exc:
        raise OutputError(f"{option} {path}: could not write it ({exc.strerror or exc})") from None


def _mode_for(path: Path) -> int:
    """The existing file's permissions, else what a new file gets (0666 less the umask)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
