"""The `validate` and `schema` subcommands (wired into game/cli.py)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from .loader import check_file
from .problems import Problem
from .schema import scenario_json_schema


def validate_main(paths: list[str], extra: Callable[[str], list[Problem]] | None = None) -> int:
    """Check each scenario file: print `FILE: ok` or every problem as FILE:LINE:COL; 0 if all are valid, else 2.
    `extra` adds checks of layers the scenario package may not import (the AI's weight names)."""
    status = 0
    for path in paths:
        problems = check_file(path)
        if extra is not None and not any(p.is_error for p in problems):
            problems = problems + extra(path)
        for p in problems:
            print(p)
        if any(p.is_error for p in problems):
            status = 2
        else:
            print(f"{path}: ok")
    sys.stdout.flush()
    return status


def schema_main() -> int:
    """Print the JSON Schema of the scenario format."""
    print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
    return 0
