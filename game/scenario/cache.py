"""A cache of parsed scenario files, so a large map is read from YAML once.

Reading YAML is most of the time it takes to load a large map (a 20,000-place
file: about 2 s of 3). A file of at least MIN_BYTES that reads without a
problem is kept, parsed, in the user's cache folder under the SHA-256 of its
bytes; the next read of the same bytes by the same reader takes it from there.

An entry holds no pickle: a JSON header line naming the format, the reader
and the file's hash, then the data as JSON (dates tagged), then the node
positions as 32-bit integers (`yamlread.flatten`), expanded into
marks only when a problem must be located. An entry is used only when all
three match the file being read, so an edited file, a new reader or a new
PyYAML simply reads the YAML again. The data goes through the same validation
as a freshly read file. Entries are written atomically, the newest KEEP are
kept, and the folder is always safe to delete.
`JUNCTION_CACHE_DIR` names another folder; set to an empty value, it turns the
cache off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
import time
from array import array
from pathlib import Path
from typing import Any

import yaml

from . import yamlread
from .yamlread import Marks, flatten, unflatten

APP_NAME = "junction"
FORMAT = "junction-parsed-scenario/1"
MIN_BYTES = 1_000_000
"""Smaller files read from YAML in well under a second; they are not cached."""
KEEP = 4
"""Entries kept (the newest); a 20,000-place map takes about 13 MB."""
STALE_TEMP_SECONDS = 3600.0
_TAG = "\x00"
"""Prefix of the one key of a mapping that stands for a date in the JSON (files with a key starting with it,
like those with keys that are not text, are not kept: see yamlread.flatten)."""
_reader_id: list[str] = []


def cache_dir() -> Path | None:
    """$JUNCTION_CACHE_DIR (empty: no cache), else the platform's user cache folder."""
    env = os.environ.get("JUNCTION_CACHE_DIR")
    if env is not None:
        return Path(env) / "scenarios" if env else None
    return user_cache_dir() / "scenarios"


def user_cache_dir() -> Path:
    """The user cache folder where platformdirs puts it (the scenario layer imports only the standard
    library, yaml and pydantic): %LOCALAPPDATA%\\junction\\Cache, ~/Library/Caches/junction, or
    $XDG_CACHE_HOME/junction (default ~/.cache/junction)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP_NAME / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP_NAME
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return Path(xdg if xdg else Path.home() / ".cache") / APP_NAME


def reader_id() -> str:
    """Identifies what produced an entry: this format, the reader's and this module's source, and
    PyYAML's version (so a changed reader never trusts an old entry)."""
    if not _reader_id:
        h = hashlib.sha256(FORMAT.encode())
        h.update(f"{yaml.__version__} {getattr(yaml, '__with_libyaml__', '')} {sys.byteorder} "
                 f"{array('i').itemsize}".encode())
        for source in (yamlread.__file__, __file__):
            try:
                h.update(Path(source).read_bytes())
            except OSError:
                h.update(b"source unavailable")
        _reader_id.append(h.hexdigest())
    return _reader_id[0]


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def load(key: str) -> tuple[Any, Marks] | None:
    """The data and marks kept for a file whose bytes hash to `key`, or None (no entry, or one that does
    not match this file and this reader, or is damaged)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with (folder / f"{key}.entry").open("rb") as fh:
            line = fh.readline(4096)
            header = json.loads(line)
            if not (isinstance(header, dict) and header.get("format") == FORMAT and header.get("sha256") == key
                    and header.get("reader") == reader_id()):
                return None
            n_data, n_marks = header.get("data"), header.get("marks")
            if not (isinstance(n_data, int) and isinstance(n_marks, int) and n_data > 0 and n_marks > 0
                    and len(line) + n_data + n_marks == os.fstat(fh.fileno()).st_size):
                return None
            body = fh.read(n_data)
            flat = array("i")
            flat.frombytes(fh.read(n_marks))
            if len(body) != n_data or len(flat) * flat.itemsize != n_marks or fh.read(1):
                return None
        data = json.loads(body, object_hook=_untag)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return data, Marks(later=lambda: unflatten(data, flat))


def store(key: str, data: Any, marks: Marks) -> None:
    """Keep the data and marks of a file that read without a problem; never fails (it is a cache)."""
    folder = cache_dir()
    if folder is None or not isinstance(data, dict):
        return
    flat = flatten(data, marks.root)
    if flat is None:
        return
    try:
        body = json.dumps(data, default=_tag, ensure_ascii=True, separators=(",", ":"),
                          check_circular=False).encode()
    except (TypeError, ValueError, RecursionError):
        return
    positions = flat.tobytes()
    header = json.dumps({"format": FORMAT, "reader": reader_id(), "sha256": key, "data": len(body),
                         "marks": len(positions)})
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".entry", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(header.encode() + b"\n")
                fh.write(body)
                fh.write(positions)
            os.replace(tmp, folder / f"{key}.entry")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    """Keep the newest KEEP entries; remove temporary files a killed process left behind."""
    now = time.time()
    entries = []
    for path in folder.iterdir():
        try:
            stamp = path.stat().st_mtime
        except OSError:
            continue
        if path.name.startswith(".tmp-"):
            if now - stamp > STALE_TEMP_SECONDS:
                path.unlink(missing_ok=True)
        elif path.suffix == ".entry":
            entries.append((stamp, path))
    for _, path in sorted(entries, reverse=True)[KEEP:]:
        path.unlink(missing_ok=True)


def _tag(value: Any) -> dict[str, str]:
    if isinstance(value, dt.datetime):
        return {_TAG + "datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG + "date": value.isoformat()}
    raise TypeError(f"not kept in the cache: {type(value).__name__}")


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        (k, v), = obj.items()
        if k == _TAG + "date" and isinstance(v, str):
            return dt.date.fromisoformat(v)
        if k == _TAG + "datetime" and isinstance(v, str):
            return dt.datetime.fromisoformat(v)
    return obj
