"""Files the game reads and writes itself (saves, settings, order logs): safe reads, atomic writes.

A read never blocks and never raises anything but `FileProblem`: a FIFO, a device or a folder is refused
without being read, and bad UTF-8, invalid JSON, NaN, deep nesting and overlong numbers are reported with
the line. A write goes to a temporary file in the same folder, is synced, renamed over the target, and the
folder is synced too, so a crash leaves either the old file or the new one; temporary files a killed
process left behind are removed by `clean_temp_files` at the next start.
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import secrets
import stat
import time
from pathlib import Path
from typing import IO, Any

TEMP_SUFFIX = ".tmp"
TEMP_NAME = re.compile(r"^\.(?P<target>.+)-[a-z0-9_]{8}\.tmp$")
"""Names `temp_file` gives: `.` + the target's name + `-` + 8 random characters + `.tmp` (earlier versions
used the target's stem: `.quicksave-k2j4h5g6.tmp`)."""
STALE_AFTER_S = 600.0
"""A temporary file untouched this long was left by a process that died (a write takes well under a second,
and an order log is touched every turn)."""
MAX_JSON_BYTES = 256 * 1024 * 1024


class FileProblem(Exception):
    """A file that cannot be read as expected; the message names the file and, where known, the line.
    `damaged`: the file is there but its content or type is wrong (not merely unreadable just now)."""

    def __init__(self, message: str, damaged: bool = True) -> None:
        super().__init__(message)
        self.damaged = damaged


def kind_of_file(mode: int) -> str:
    """What a file that is not a regular file is, for messages."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: Path, name: str | None = None) -> IO[bytes]:
    """Open `path` for binary reading only if it is a regular file, without ever blocking (a FIFO named
    like a save would block a plain open). FileNotFoundError passes through (also for a dangling link);
    other problems are FileProblem. The caller closes the file."""
    name = name or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise FileProblem(f"{name}: cannot read: {exc.strerror or exc}", damaged=False) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileProblem(f"{name}: is {kind_of_file(mode)}, not a file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_text(path: Path, name: str | None = None, limit: int = MAX_JSON_BYTES) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes."""
    name = name or str(path)
    with open_regular(path, name) as fh:
        try:
            raw = fh.read(limit + 1)
        except OSError as exc:
            raise FileProblem(f"{name}: cannot read: {exc.strerror or exc}", damaged=False) from None
    if len(raw) > limit:
        raise FileProblem(f"{name}: too large (over {limit // (1024 * 1024)} MB)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise FileProblem(f"{name}:{line}: not UTF-8 text (byte {exc.start + 1})") from None


def _no_constants(word: str) -> Any:
    raise ValueError(f"{word} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is too large a number")
    return value


def parse_json(text: str, name: str, line: int = 1) -> Any:
    """Parse JSON strictly (no NaN or Infinity); FileProblem names `name` and the line (`line` is the first
    line of `text` in its file)."""
    try:
        return json.loads(text, parse_constant=_no_constants, parse_float=_finite)
    except json.JSONDecodeError as exc:  # its msg leaves out where: "Unterminated string starting at"
        where = f" column {exc.colno}" if exc.msg.endswith(" at") else f" at column {exc.colno}"
        raise FileProblem(f"{name}:{line + exc.lineno - 1}: not valid JSON ({exc.msg}{where})") from None
    except RecursionError:
        raise FileProblem(f"{name}:{line}: not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # NaN or Infinity, or an integer of more digits than Python converts
        shown = str(exc) if str(exc).endswith(("JSON allows", "large a number")) else "a number with too many digits"
        raise FileProblem(f"{name}:{line}: not valid JSON ({shown})") from None


def read_json(path: Path, name: str | None = None, limit: int = MAX_JSON_BYTES) -> Any:
    """Read and parse a JSON file; FileNotFoundError when it is not there, FileProblem for anything else."""
    name = name or str(path)
    return parse_json(read_text(path, name, limit), name)


def temp_file(path: Path) -> tuple[IO[str], Path]:
    """A new temporary text file next to `path`, named so `clean_temp_files` recognises it, with the
    permissions a plain new file gets (mode 666 less the umask)."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}-{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        return os.fdopen(fd, "w", encoding="utf-8", newline="\n"), tmp
    raise FileExistsError(f"no free temporary name next to {path}")


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (fsync the folder); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def commit(fh: IO[str], tmp: Path, path: Path) -> None:
    """Sync and close a temporary file, rename it over `path`, and sync the folder."""
    fh.flush()
    os.fsync(fh.fileno())
    fh.close()
    os.replace(tmp, path)
    sync_folder(path.parent)


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a crash at any moment leaves the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh, tmp = temp_file(path)
    try:
        fh.write(text)
        commit(fh, tmp, path)
    except BaseException:
        fh.close()
        tmp.unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: Any, indent: int | None = None) -> None:
    write_atomic(path, json.dumps(data, indent=indent, separators=None if indent else (",", ":"),
                                  allow_nan=False))


def clean_temp_files(folder: Path, target: Path | None = None, older_than_s: float = STALE_AFTER_S) -> list[Path]:
    """Remove the temporary files a killed process left in `folder`: only our own names (`temp_file`),
    only regular files (never a link), only ones untouched for `older_than_s`; `target` limits it to the
    temporary files of one file. Returns what was removed; a folder that cannot be listed is left alone."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = TEMP_NAME.match(entry.name)
        if not m or (target is not None and m["target"] not in (target.name, target.stem)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > older_than_s:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def set_aside(path: Path, label: str = "broken") -> Path:
    """Rename a damaged file out of the way, keeping it: `settings.json` -> `settings.json.broken-20250101-120000`."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{label}-{stamp}")
    n = 1
    while os.path.lexists(target):
        n += 1
        target = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
    os.rename(path, target)
    return target
