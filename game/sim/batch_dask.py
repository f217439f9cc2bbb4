"""Monte Carlo batches on a Dask distributed cluster, whose workers need not have the game installed.

Before a batch, `connect` checks that every worker runs exactly this process's `game` code (the
sources of the modules a run needs, compared by hash). A worker that lacks the package, or holds
another version of it, gets this one as a zip through `Client.upload_file`; a worker that still
cannot run it (a missing dependency, an older copy already imported) is refused with a clear message
before any run starts.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from .batch import BatchRun, BatchSpec, Progress, chunks, run_chunk, run_seeds

PACKAGE = "game"
RUN_MODULES = ("game.sim.batch", "game.scenario")
"""What a worker imports to play runs (the rest is imported by these)."""

CONNECT_SECONDS = 10


class DaskError(RuntimeError):
    """The cluster cannot be reached or cannot run the game; the message says which and what to do."""


def source_digest(name: str) -> str:
    """sha256 of one module's source as this process would load it ('' when it has none)."""
    mod = sys.modules.get(name)
    spec = getattr(mod, "__spec__", None) if mod is not None else importlib.util.find_spec(name)
    loader = getattr(spec, "loader", None)
    get_source = getattr(loader, "get_source", None)
    if get_source is None:
        return ""
    return hashlib.sha256((get_source(name) or "").encode()).hexdigest()


def code_digest() -> dict[str, str]:
    """Run on a worker (and here): import what a run needs and hash every `game` module now loaded."""
    importlib.invalidate_caches()
    for name in RUN_MODULES:
        importlib.import_module(name)
    names = [n for n in list(sys.modules) if n == PACKAGE or n.startswith(PACKAGE + ".")]
    return {n: source_digest(n) for n in sorted(names)}


def differences(remote: dict[str, str]) -> list[str]:
    """The modules whose source on a worker is not the one this process would run."""
    out = []
    for name, digest in remote.items():
        try:
            local = source_digest(name)
        except (ImportError, ValueError):
            local = "?"
        if local != digest:
            out.append(name)
    return out


def package_zip(folder: Path) -> Path:
    """A zip of the `game` package's Python files, byte-identical for identical sources, in `folder`."""
    root = Path(importlib.import_module(PACKAGE).__file__ or "").parent
    files = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    digest = hashlib.sha256()
    for p in files:
        digest.update(str(p.relative_to(root.parent)).encode() + b"\0" + p.read_bytes())
    path = folder / f"junction_{PACKAGE}_{digest.hexdigest()[:16]}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in files:
            info = zipfile.ZipInfo(p.relative_to(root.parent).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, p.read_bytes())
    return path


def _check(client: Any) -> str:
    """'' when every worker runs this code, else what is wrong and what to do (one line)."""
    try:
        remote = client.run(code_digest)
    except Exception as exc:  # noqa: BLE001 - whatever a worker raised comes back as a plain Exception
        return f"the Dask workers cannot import the game: {exc} (install requirements.txt on them)"
    if not remote:
        return "the Dask scheduler has no workers"
    for address, digest in remote.items():
        wrong = differences(digest)
        if wrong:
            return (f"Dask worker {address} runs another version of {', '.join(wrong[:3])}"
                    + (f" and {len(wrong) - 3} more" if len(wrong) > 3 else "")
                    + " (restart the workers so they load this one)")
    return ""


def ship_game(client: Any) -> bool:
    """Make every worker run this `game` code, uploading it as a zip if needed; True if it was uploaded.
    Raises DaskError (saying what to do) when the workers still cannot run it."""
    if not _check(client):
        return False
    with tempfile.TemporaryDirectory(prefix="junction-dask-") as tmp:
        try:
            client.upload_file(str(package_zip(Path(tmp))))
        except Exception as exc:  # noqa: BLE001 - an upload error is reported, not raised raw
            raise DaskError(f"could not send the game to the Dask workers: {exc}") from None
    problem = _check(client)
    if problem:
        raise DaskError(problem)
    return True


def connect(address: str) -> Any:
    """A Client on `address` whose workers can run the game; DaskError when that cannot be had."""
    from dask.distributed import Client

    try:
        client = Client(address, timeout=CONNECT_SECONDS)  # type: ignore[no-untyped-call]
    except (OSError, ValueError, TypeError) as exc:
        raise DaskError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        ship_game(client)
    except BaseException:
        client.close()  # type: ignore[no-untyped-call]
        raise
    return client


def run_dask(spec: BatchSpec, seed: int, runs: int, client: Any, progress: Progress | None = None) -> BatchRun:
    """The same batch on a Dask cluster (`client`: a connected Client whose workers run this code)."""
    from dask.distributed import as_completed

    out = BatchRun(requested=runs)
    t0 = time.perf_counter()
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    futures: list[Any] = []
    try:
        shared = client.scatter(spec, broadcast=True)
        futures = [client.submit(run_chunk, shared, part, pure=False) for part in chunks(run_seeds(seed, runs),
                                                                                        workers)]
        for f in as_completed(futures):  # type: ignore[no-untyped-call]
            out.records.extend(f.result())
            if progress:
                progress(len(out.records), runs)
    except KeyboardInterrupt:
        out.interrupted = True
        client.cancel(futures)
    out.records.sort(key=lambda r: r.run)
    out.seconds = time.perf_counter() - t0
    return out
