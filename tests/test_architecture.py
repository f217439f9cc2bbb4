"""The import rules of shared/design/architecture.md, enforced with `ast` over every module under game/.

Each layer may import the standard library, the game layers of its row and the third-party packages
of its row; nothing but game/cli.py imports game.ui, and it does so lazily (inside functions). The
engine is also checked for I/O, clocks, environment and global randomness.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GAME = ROOT / "game"
STDLIB = set(sys.stdlib_module_names) | {"__future__"}

NUMERIC = {"numpy", "scipy"}
"""The engine's own dependencies: its state is numpy arrays, so every layer that reads a State may use them."""

LAYERS: dict[str, set[str]] = {
    "engine": {"engine"} | NUMERIC,
    "scenario": {"engine", "scenario", "yaml", "ruamel", "pydantic"} | NUMERIC,
    "ai": {"engine", "ai"} | NUMERIC,
    "sim": {"engine", "scenario", "ai", "sim", "dask", "distributed", "tqdm"} | NUMERIC,
    "report": {"engine", "sim", "report", "pygame", "matplotlib"} | NUMERIC,
    "session": {"engine", "scenario", "ai", "sim", "session"} | NUMERIC,
    "net": {"engine", "scenario", "ai", "sim", "report", "session", "net", "starlette", "uvicorn", "segno",
            "platformdirs"} | NUMERIC,
    "ui": {"*"},
    "cli": {"*"},
    "__init__": set(),
}
"""Row of the architecture table per layer: game layers and third-party top-level packages it may import."""


@dataclass(frozen=True)
class Import:
    file: Path
    line: int
    module: str
    """Absolute module name, relative imports resolved."""
    lazy: bool
    """Inside a function (not run when the module is imported)."""

    @property
    def where(self) -> str:
        return f"{shown(self.file)}:{self.line}"

    @property
    def target(self) -> str:
        """The game layer (engine, ui, ...) or the third-party top-level package imported."""
        parts = self.module.split(".")
        if parts[0] == "game":
            return parts[1] if len(parts) > 1 else "__init__"
        return parts[0]


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(path: Path) -> str:
    rel = path.relative_to(GAME)
    if len(rel.parts) == 1:
        return "cli" if rel.stem == "cli" else rel.stem
    return rel.parts[0]


def resolve_relative(path: Path, level: int, module: str | None) -> str:
    """`from ..x import y` in game/a/b.py -> game.x."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[:len(package) - (level - 1)] if level > 1 else package
    return ".".join(base + ([module] if module else []))


class ImportCollector(ast.NodeVisitor):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.depth = 0
        self.found: list[Import] = []

    def _function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function  # noqa: N815

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802
        for alias in node.names:
            self.found.append(Import(self.path, node.lineno, alias.name, self.depth > 0))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802
        base = resolve_relative(self.path, node.level, node.module) if node.level else node.module or ""
        if node.module is None or base in ("game",):  # `from . import x` / `from game import x`: x is a module
            for alias in node.names:
                self.found.append(Import(self.path, node.lineno, f"{base}.{alias.name}", self.depth > 0))
        else:
            self.found.append(Import(self.path, node.lineno, base, self.depth > 0))


def modules() -> list[Path]:
    return sorted(p for p in GAME.rglob("*.py") if "__pycache__" not in p.parts)


def imports_of(path: Path) -> list[Import]:
    collector = ImportCollector(path)
    collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return collector.found


def test_relative_imports_resolve_like_python() -> None:
    engine = GAME / "engine" / "turn.py"
    assert resolve_relative(engine, 1, "events") == "game.engine.events"
    assert resolve_relative(engine, 1, None) == "game.engine"
    assert resolve_relative(GAME / "ui" / "scenes" / "game.py", 2, "session") == "game.ui.session"
    assert resolve_relative(GAME / "ui" / "scenes" / "__init__.py", 2, "engine") == "game.ui.engine"
    assert resolve_relative(GAME / "ui" / "scenes" / "__init__.py", 3, "engine") == "game.engine"
    assert resolve_relative(GAME / "engine" / "__init__.py", 1, "board") == "game.engine.board"
    assert layer_of(GAME / "cli.py") == "cli" and layer_of(GAME / "engine" / "turn.py") == "engine"


def test_every_module_parses_and_the_layers_are_known() -> None:
    found = modules()
    assert len(found) > 20
    for path in found:
        assert layer_of(path) in LAYERS, f"{path.relative_to(ROOT)}: a module outside the architecture's layers"
        imports_of(path)


def test_each_layer_imports_only_what_its_row_allows() -> None:
    problems = []
    for path in modules():
        layer = layer_of(path)
        allowed = LAYERS[layer]
        if "*" in allowed:
            continue
        for imp in imports_of(path):
            top = imp.module.split(".")[0]
            if top in STDLIB and top != "game":
                continue
            if imp.target not in allowed:
                problems.append(f"{imp.where}: {layer} imports {imp.module} (allowed: stdlib, "
                                f"{', '.join(sorted(allowed)) or 'nothing else'})")
    assert not problems, "imports outside architecture.md's table:\n" + "\n".join(problems)


def test_only_the_cli_imports_the_ui_and_only_lazily() -> None:
    problems = []
    for path in modules():
        layer = layer_of(path)
        for imp in imports_of(path):
            if imp.target != "ui" or layer == "ui":
                continue
            if layer != "cli":
                problems.append(f"{imp.where}: {layer} imports {imp.module}; nothing but game/cli.py may")
            elif not imp.lazy:
                problems.append(f"{imp.where}: the cli imports {imp.module} at module level; import it in a function")
    assert not problems, "\n".join(problems)


def test_the_cli_loads_no_display_library_at_import_time() -> None:
    eager = [imp for imp in imports_of(GAME / "cli.py") if not imp.lazy]
    assert all(imp.target not in ("pygame", "pygame_gui", "ui", "matplotlib") for imp in eager), eager


ENGINE_FORBIDDEN_MODULES = {"random", "time", "os", "io", "pathlib", "subprocess", "socket", "shutil", "tempfile",
                            "logging", "glob", "urllib", "http", "threading", "multiprocessing", "secrets", "uuid",
                            "sys", "builtins"}
ENGINE_FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval", "__import__", "breakpoint"}
ENGINE_FORBIDDEN_ATTRS = {"environ", "getenv", "now", "today", "utcnow", "time", "perf_counter", "monotonic",
                          "urandom", "read_text", "write_text", "read_bytes", "write_bytes"}


def engine_purity_problems(path: Path) -> list[str]:
    """I/O, clock, environment and global-randomness uses in one engine module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = shown(path)
    out = []
    for imp in imports_of(path):
        if imp.module.split(".")[0] in ENGINE_FORBIDDEN_MODULES or imp.module == "numpy.random.mtrand":
            out.append(f"{imp.where}: imports {imp.module}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ENGINE_FORBIDDEN_CALLS:
            out.append(f"{where}:{node.lineno}: calls {node.func.id}()")
        if isinstance(node, ast.Attribute) and node.attr in ENGINE_FORBIDDEN_ATTRS:
            out.append(f"{where}:{node.lineno}: uses .{node.attr}")
        if (isinstance(node, ast.Attribute) and node.attr in ("seed", "rand", "randn", "randint", "random", "choice")
                and isinstance(node.value, ast.Attribute) and node.value.attr == "random"):
            out.append(f"{where}:{node.lineno}: uses numpy's global generator (np.random.{node.attr})")
    return out


@pytest.mark.parametrize("path", sorted((GAME / "engine").glob("*.py")), ids=lambda p: p.name)
def test_the_engine_reads_no_file_clock_or_environment(path: Path) -> None:
    problems = engine_purity_problems(path)
    assert not problems, "\n".join(problems)


def test_the_purity_check_catches_what_it_should(tmp_path: Path) -> None:
    bad = tmp_path / "probe.py"
    bad.write_text("import os\nimport random\nfrom time import time\nimport numpy as np\n"
                   "def f():\n    print(os.environ['X'])\n    open('x')\n"
                   "    return np.random.random(), datetime.now()\n", encoding="utf-8")
    problems = engine_purity_problems(bad)
    joined = "\n".join(problems)
    for needle in ("imports os", "imports random", "imports time", "calls print()", "calls open()", "uses .environ",
                   "uses .now", "np.random.random"):
        assert needle in joined, needle
