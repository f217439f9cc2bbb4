"""The `validate`, `lint` and `schema` subcommands (wired into game/cli.py)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .loader import Parsed, load_checked
from .problems import Problem, sort_problems
from .schema import scenario_json_schema, variant_json_schema

Extra = Callable[[Parsed], list[Problem]]
"""Checks of layers the scenario package may not import (the AI's weight names), on the file as read (so
each file is read once)."""


def validate_main(paths: list[str], extra: Extra | None = None) -> int:
    """Check each scenario file: print `FILE: ok` or every problem as FILE:LINE:COL; 0 if all are valid, else 2.
    `extra` adds checks of layers the scenario package may not import (the AI's weight names), made even
    when the file has other errors, so that one pass reports every problem."""
    status = 0
    for path in paths:
        parsed, _, problems = load_checked(path)
        if extra is not None:
            problems = sort_problems(problems + extra(parsed))
        for p in problems:
            print(p)
        if any(p.is_error for p in problems):
            status = 2
        else:
            print(f"{path}: ok")
    sys.stdout.flush()
    return status


def lint_main(paths: list[str], extra: Extra | None = None, show_all: bool = False) -> int:
    """Validate and lint each scenario file, printing every error and warning as FILE:LINE:COL and then
    `FILE: clean`, `FILE: N warnings` or `FILE: N errors`, with the count of warnings the file acknowledges
    (`# lint-ok:` comments; `show_all` prints them too). 0 when all are clean, 1 with warnings, 2 with errors."""
    from .lint import lint_report

    status = 0
    for path in paths:
        parsed, loaded, problems = load_checked(path)
        problems, quiet = lint_report(parsed, loaded, problems)
        if extra is not None:
            problems = sort_problems(problems + extra(parsed))
        for p in problems:
            print(p)
        if show_all:
            for p in quiet:
                print(replace(p, severity="acknowledged"))
        errors = sum(p.is_error for p in problems)
        warnings = len(problems) - errors
        known = f" ({len(quiet)} acknowledged{'' if show_all else ': lint --all shows them'})" if quiet else ""
        if errors:
            status = 2
            print(f"{path}: {errors} error{'s' * (errors != 1)}")
        elif warnings:
            status = max(status, 1)
            print(f"{path}: {warnings} warning{'s' * (warnings != 1)}{known}")
        else:
            print(f"{path}: clean{known}")
    sys.stdout.flush()
    return status


def schema_main(output: str | None = None, *, variant: bool = False) -> int:
    """Print the JSON Schema of scenario files (or of variants), or write it to `output` atomically:
    a file that cannot be written is an `error:` on stderr and exit code 2, and nothing is half-written."""
    schema = variant_json_schema() if variant else scenario_json_schema()
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return 0
    problem = write_atomic(Path(output), text)
    if problem:
        print(f"error: cannot write {output}: {problem}", file=sys.stderr)
        return 2
    print(f"wrote {output}")
    return 0


def write_atomic(path: Path, text: str) -> str | None:
    """Write text to a temporary file next to `path`, then rename it over `path`; why not, if it fails."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        return "it is a folder"
    if path.exists() and not path.is_file():
        return "it is not a regular file (a device or a pipe); not writing over it"
    if path.is_file() and path.suffix.lower() != ".json":
        return "it exists and is not a .json file; not writing over it"
    if not folder.is_dir():
        return f"no folder {str(folder)!r}"
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=folder)
    except OSError as e:
        return e.strerror or str(e)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return e.strerror or str(e)
    return None
