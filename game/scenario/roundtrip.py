"""A scenario file open for editing: a ruamel.yaml round-trip document that saves back with the author's
comments, key order and formatting, after the validator has passed the result.

    doc = Document.open("scenarios/tiny.yaml")      # raises ScenarioError for a file that does not load
    doc.data["map"]["places"][0]["lat"] = 34.5       # (game.scenario.editing does this with undo)
    problems = doc.save()                            # [] when saved; else located errors, file untouched

What is written is the emitter's text only where an edit changed something; every other line is the
author's own (textmerge.py). The merged text must parse to exactly what the emitter wrote, and must
validate (as the file it will replace: same folder, same parent, same seeds/), before it replaces the
file atomically; otherwise the problems are returned and the file stays as it was.
"""

from __future__ import annotations

import io
import os
import re
import secrets
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarstring import ScalarString

from game.engine.state import State, World

from .loader import MAX_BYTES, build_from_data, load_checked_text
from .problems import ERROR, Problem, ScenarioError
from .textmerge import merge

CHANGED_ON_DISK = ("the file changed on disk since the editor opened it (edited elsewhere?): saving would "
                   "overwrite that change")
_BLOCK_KEY = re.compile(r"^(?P<indent> *)[^\s#-][^#]*:\s*(#.*)?$")
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


def _represent_none(representer: Any, data: Any) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def guess_indent(text: str) -> tuple[int, int]:
    """(mapping indent, dash offset) the file uses: how far a nested key sits under its parent key,
    and how far a list's dash sits under the key that holds the list."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    mapping, offset = None, None
    for here, after in zip(lines, lines[1:]):
        m = _BLOCK_KEY.match(here)
        if m is None:
            continue
        width = len(m["indent"])
        inner = len(after) - len(after.lstrip(" "))
        if after.lstrip().startswith("- ") and offset is None and inner >= width:
            offset = inner - width
        elif mapping is None and inner > width:
            mapping = inner - width
        if mapping is not None and offset is not None:
            break
    return mapping or 2, 2 if offset is None else offset


def make_yaml(text: str) -> YAML:
    """A round-trip YAML set up to write `text` back as its author formatted it."""
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    mapping, offset = guess_indent(text)
    y.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    y.brace_single_entry_mapping_in_flow_sequence = True
    y.representer.add_representer(type(None), _represent_none)
    return y


def plain(node: Any) -> Any:
    """Plain Python data as the scenario reader (YAML 1.1) sees it: a plain `yes` is true, a quoted one text."""
    if isinstance(node, dict):
        return {plain(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, ScalarBoolean):
        return bool(node)
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, ScalarString):
        return str(node)
    if isinstance(node, str):
        tag = _resolver.resolve(yaml.ScalarNode, node, (True, False))
        if tag.endswith(":str"):
            return node
        try:
            return _constructor.yaml_constructors[tag](_constructor, yaml.ScalarNode(tag, node))
        except (ValueError, TypeError, yaml.YAMLError):
            return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


class Document:
    """One scenario file being edited. `data` is the live round-trip tree (CommentedMap and friends)."""

    def __init__(self, path: Path, text: str, data: CommentedMap, yaml_rt: YAML) -> None:
        self.path = path
        self.text = text
        """The file's text as opened (newlines as `\\n`): what the author's lines are taken from."""
        self.on_disk = text
        """The file's text as last read or written here, to notice a change made by someone else."""
        self.data = data
        self.yaml = yaml_rt
        self.newline = "\n"
        self._baseline = self.dump()

    @staticmethod
    def open(path: str | os.PathLike[str]) -> Document:
        """Read a scenario file for editing; a file that does not load, or a variant, is refused with its
        located problems (a variant only holds changes: edit the file it extends)."""
        p = Path(path)
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise ScenarioError([Problem(str(p), 1, 1, f"cannot read the file: {exc.strerror or exc}")]) from None
        if len(raw) > MAX_BYTES:
            raise ScenarioError([Problem(str(p), 1, 1, f"the file is over the size limit of {MAX_BYTES:,} bytes")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioError([Problem(str(p), 1, 1, "not UTF-8 text; save the file as UTF-8")]) from None
        _, loaded, problems = load_checked_text(text, str(p), base=p)
        if loaded is None:
            raise ScenarioError([q for q in problems if q.is_error] or problems)
        if loaded.parents:
            raise ScenarioError([Problem(str(p), 1, 1, f"is a variant of {loaded.parents[0].name}: the map editor "
                                                       "edits whole scenarios; open the file it extends")])
        newline = "\r\n" if "\r\n" in text else "\n"
        text = text.replace("\r\n", "\n")
        y = make_yaml(text)
        try:
            data = y.load(text)
        except RuamelError as exc:
            raise ScenarioError([Problem(str(p), 1, 1, f"the editor cannot read this YAML: {exc}")]) from None
        doc = Document(p, text, data, y)
        doc.newline = newline
        return doc

    @property
    def name(self) -> str:
        return str(self.path)

    def dump(self) -> str:
        """The emitter's text of the tree as it is now."""
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return out.getvalue()

    def render(self) -> str:
        """The text to save: the author's lines wherever the edits did not reach (textmerge.merge), or the
        emitter's text alone should the merge not mean exactly the same."""
        new = self.dump()
        merged = merge(self.text, self._baseline, new)
        if merged != new and _parsed(merged) != _parsed(new):
            return new
        return merged

    def build(self) -> tuple[World, State]:
        """World and start state of the tree as it is now; ScenarioError (problems at 1:1, with their
        path in the message) when an edit made it invalid."""
        return build_from_data(plain(self.data), self.name, base=self.path)

    def check(self, text: str) -> list[Problem]:
        """Every problem of `text` as the content of this file (errors first matter; warnings kept)."""
        _, loaded, problems = load_checked_text(text, self.name, base=self.path)
        if loaded is None and not any(p.is_error for p in problems):
            problems = [*problems, Problem(self.name, 1, 1, "the scenario does not load", ERROR)]
        return problems

    def changed_on_disk(self) -> bool:
        """Whether the file is no longer what this document read or last wrote (edited elsewhere, or gone)."""
        try:
            return self.path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n") != self.on_disk
        except (OSError, UnicodeDecodeError):
            return True

    def save(self, overwrite: bool = False) -> list[Problem]:
        """Validate and write the file atomically; the errors (and the file untouched) when it does not
        validate, cannot be written, or (unless `overwrite`) was changed by someone else meanwhile."""
        if not overwrite and self.changed_on_disk():
            return [Problem(self.name, 1, 1, CHANGED_ON_DISK)]
        text = self.render()
        errors = [p for p in self.check(text) if p.is_error]
        if errors:
            return errors
        try:
            write_atomic(self.path, text.replace("\n", self.newline) if self.newline != "\n" else text)
        except OSError as exc:
            return [Problem(self.name, 1, 1, f"not saved: {exc.strerror or exc}")]
        self.on_disk = text
        return []


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` through a synced temporary file renamed over it, so that a crash leaves
    the old file or the new one (named as game.sim.files names its temporary files, keeping the mode)."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    for _ in range(100):
        tmp = path.with_name(f".{path.name}-{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"no free temporary name next to {path}")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _parsed(text: str) -> Any:
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return None


def is_flow(node: Any) -> bool:
    return isinstance(node, (CommentedMap, CommentedSeq)) and bool(node.fa.flow_style())
