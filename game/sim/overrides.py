"""`--set path=value`: change any value of a scenario's raw data before it is validated.

A path is dot-separated keys (`rules.combat_k`, `meta.turns`). In a list of
records with ids, a key is a record's id, so `patrons.russia.support.air`
works whether `patrons` is written as a list of records or as a mapping; in
other lists a key may be a 0-based index. Values are read as YAML scalars
(`0.9`, `true`, `[a, b]`).
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable
from typing import Any

from game.scenario.yamlread import read_yaml


class OverrideError(ValueError):
    """A `--set` that cannot be applied: bad syntax, unknown key or id, or a value of the wrong kind."""


def parse_assignment(text: str) -> tuple[str, Any]:
    """'path=value' -> (path, parsed value)."""
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise OverrideError(f"--set {text!r}: expected PATH=VALUE, e.g. patrons.russia.support.air=0.9")
    return path, parse_value(raw.strip(), path)


def parse_value(raw: str, path: str = "") -> Any:
    """A YAML scalar or flow collection; a bare word stays a string."""
    if raw == "":
        raise OverrideError(f"--set {path}: missing value after '='")
    data, _, issues = read_yaml(raw)
    if issues or isinstance(data, dict):
        raise OverrideError(f"--set {path}={raw}: not a valid value")
    return data


def _hint(word: str, choices: Iterable[str]) -> str:
    best = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.5)
    return f" (did you mean {best[0]!r}?)" if best else ""


def _record_ids(items: list[Any]) -> list[str]:
    return [str(it["id"]) for it in items if isinstance(it, dict) and "id" in it]


def _step(node: Any, key: str, where: str) -> tuple[Any, Any]:
    """(container, key-or-index) of `key` inside `node`; raises OverrideError if absent."""
    if isinstance(node, dict):
        if key in node:
            return node, key
        raise OverrideError(f"unknown key {key!r} in {where or 'the scenario'}{_hint(key, node)}")
    if isinstance(node, list):
        for i, it in enumerate(node):
            if isinstance(it, dict) and str(it.get("id")) == key:
                return node, i
        if key.lstrip("-").isdigit() and not _record_ids(node):
            i = int(key)
            if -len(node) <= i < len(node):
                return node, i
            raise OverrideError(f"index {i} out of range in {where} (it has {len(node)} items)")
        ids = _record_ids(node)
        raise OverrideError(f"unknown id {key!r} in {where}{_hint(key, ids)}")
    raise OverrideError(f"{where} is a single value ({node!r}), it has no {key!r}")


def _check_kind(old: Any, new: Any, path: str) -> None:
    """The new value must be of the old one's kind (a number for a number, a list for a list …)."""
    def kind(v: Any) -> str:
        if isinstance(v, bool):
            return "true/false"
        if isinstance(v, (int, float)):
            return "a number"
        if isinstance(v, str):
            return "text"
        if isinstance(v, list):
            return "a list"
        if isinstance(v, dict):
            return "a mapping"
        return "empty"

    if old is None or kind(old) == kind(new):
        return
    raise OverrideError(f"--set {path}: expected {kind(old)} (it is {old!r}), got {new!r}")


def apply_override(data: dict[str, Any], path: str, value: Any) -> None:
    """Set one value in place. Below the top level, keys missing from a mapping are added (e.g. a rules
    constant the file leaves at its default); validation of the result catches misspelt names there."""
    keys = path.split(".")
    if any(not k for k in keys):
        raise OverrideError(f"--set {path}: empty key in the path")
    node: Any = data
    where = ""
    for k in keys[:-1]:
        if where and isinstance(node, dict) and k not in node:
            node[k] = {}
        container, idx = _step(node, k, where)
        node = container[idx]
        where = f"{where}.{k}" if where else k
    last = keys[-1]
    if isinstance(node, dict) and last not in node:
        if not where:
            raise OverrideError(f"unknown key {last!r} in the scenario{_hint(last, node)}")
        node[last] = value
        return
    container, idx = _step(node, last, where)
    _check_kind(container[idx], value, path)
    container[idx] = value


def apply_overrides(data: dict[str, Any], assignments: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A deep copy of the data with every assignment applied in order."""
    out = copy.deepcopy(data)
    for path, value in assignments:
        apply_override(out, path, value)
    return out


def parse_sweep(text: str) -> tuple[str, list[Any]]:
    """'path=v1,v2,…' -> (path, [values])."""
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path or not raw.strip():
        raise OverrideError(f"--sweep {text!r}: expected PATH=V1,V2,…, e.g. patrons.russia.support.air=0,0.5,1")
    values = [parse_value(v.strip(), path) for v in raw.split(",")]
    return path, values


def overwritten_by_events(data: dict[str, Any], paths: Iterable[str]) -> list[str]:
    """Warnings for `--set`/`--sweep` paths whose value a scenario event later replaces outright (an
    event that sets a patron's support or capacity to a value, rather than changing it by a delta):
    the swept value would then hold only until that event fires, and the batch should say so."""
    paths = set(paths)
    out: list[str] = []
    events = data.get("events") if isinstance(data.get("events"), list) else []
    for event in events:
        if not isinstance(event, dict):
            continue
        for effect in event.get("effects") or []:
            if not isinstance(effect, dict):
                continue
            for key, body in effect.items():
                if not isinstance(body, dict) or body.get("value") is None:
                    continue
                if key == "set_support":
                    path = f"patrons.{body.get('patron')}.support.{body.get('channel')}"
                elif key == "set_capacity":
                    path = f"patrons.{body.get('patron')}.capacity"
                else:
                    continue
                if path in paths:
                    when = ", ".join(json_text(c) for c in event.get("when") or []) or "at once"
                    out.append(f"note: event {event.get('id')!r} sets {path} to {body['value']} when {when}: "
                               "the value given here holds only until then")
    return out


def json_text(value: Any) -> str:
    """A compact one-line rendering of a small YAML value, for messages."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {json_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(json_text(v) for v in value) + "]"
    return str(value)
