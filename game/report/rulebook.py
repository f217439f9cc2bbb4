"""The rules as people read them: docs/rules/*.md, one chapter per file, with the numbers filled in from
the rules in force. The in-game help (F1) shows these chapters as tabs, and docs/rules.md is generated
from the same files, so the two cannot drift apart. (docs/model.md is the model's design note: the rules
with the reason for each.)

    python -m game.report.rulebook --write      # regenerate docs/rules.md after editing docs/rules/

A chapter's numbers are written as `{name}` placeholders of the rules' constants (`{fort_shift:g}`,
`{terrain_shift[urban]:+g}`), plus the combat results table laid out from them (`{crt_columns}`). A
scenario that changes a constant changes its help text.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from game.engine.crt import RESULTS
from game.engine.rules import Rules

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "docs" / "rules"
MODEL_DOC = ROOT / "docs" / "rules.md"
BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class Block:
    """A piece of a chapter: "heading", "para", "item" (a bullet; `key` is its bold lead, if any) or "step"
    (a numbered step)."""

    kind: str
    text: str
    key: str = ""


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    blocks: tuple[Block, ...]
    source: str
    """The chapter's markdown with the numbers filled in."""


def crt_columns(r: Rules) -> str:
    """The combat results table as a list: each column (as odds) with its die faces per result."""
    lines = []
    for key in sorted(r.crt_odds, key=r.crt_odds.__getitem__):
        label = key.removeprefix("r").replace("_", ":")
        faces = ", ".join(f"{res} {getattr(r, 'crt_' + res).get(key, 0.0):g}" for res in RESULTS)
        lines.append(f"- **{label}** — {faces}")
    return "\n".join(lines)


def values(rules: Rules | None = None, turn_days: int = 1) -> dict[str, Any]:
    """What the placeholders may name: every rules constant, the turn's length (`turn_days`, and in words
    `turn_length`), and the combat results table (`crt_columns`)."""
    r = rules or Rules()
    out: dict[str, Any] = {f.name: getattr(r, f.name) for f in fields(Rules)}
    out["turn_days"] = turn_days
    out["turn_length"] = "one day" if turn_days == 1 else f"{turn_days} days"
    out["crt_columns"] = crt_columns(r)
    keys = sorted(r.crt_odds, key=r.crt_odds.__getitem__)
    out["crt_first"], out["crt_last"] = (k.removeprefix("r").replace("_", ":") for k in (keys[0], keys[-1]))
    out["break_rule"] = (
        "A faction breaks as soon as its cohesion falls below its breakpoint." if r.break_span <= 0 else
        f"The break is a roll: each day a faction that is not broken breaks with a chance that rises from none at "
        f"{r.break_span / 2:g} above its breakpoint to certain at {r.break_span / 2:g} below it, so a little more "
        f"cohesion makes a collapse a little less likely. Once broken, it stays broken until its cohesion is back "
        f"above its breakpoint.")
    helps = [what for what, x in (("supplies delivered", r.surge_help), ("close air support flown", r.air_help))
             if x > 0]
    out["help_counts"] = ("a patron's reinforcements arrive" if not helps else
                          "a patron's help arrives (reinforcements, and also " + " and ".join(helps) + ")")
    if r.help_restores:
        out["help_counts"] += ", though help only makes good what the faction has lost since the start"
    return out


def fill(text: str, rules: Rules | None = None, turn_days: int = 1) -> str:
    """A chapter's text with its placeholders replaced by the rules' values."""
    return text.format_map(values(rules, turn_days))


def parse(source: str) -> tuple[str, tuple[Block, ...]]:
    """(title, blocks) of a chapter in the small markdown the rules are written in."""
    title = ""
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("para", " ".join(para)))
            para.clear()

    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("# ") and not title:
            title = stripped[2:].strip()
        elif stripped.startswith("## "):
            flush()
            blocks.append(Block("heading", stripped[3:].strip()))
        elif stripped.startswith("- "):
            flush()
            item = stripped[2:]
            m = re.match(r"\*\*(.+?)\*\*\s*(?:[—:]\s*)?(.*)", item)
            blocks.append(Block("item", m.group(2), m.group(1)) if m else Block("item", item))
        elif re.match(r"\d+\. ", stripped):
            flush()
            blocks.append(Block("step", stripped.split(" ", 1)[1]))
        elif not stripped:
            flush()
        else:
            para.append(stripped)
    flush()
    return title, tuple(blocks)


def plain(text: str) -> str:
    """Text without markdown's bold marks (for the screen)."""
    return BOLD.sub(r"\1", text)


def chapters(rules: Rules | None = None, turn_days: int = 1, folder: Path = RULES_DIR) -> list[Chapter]:
    """Every chapter in file order, numbers filled in from `rules` (default: the defaults)."""
    out = []
    for path in sorted(folder.glob("*.md")):
        source = fill(path.read_text(encoding="utf-8"), rules, turn_days)
        title, blocks = parse(source)
        out.append(Chapter(path.stem.split("-", 1)[-1], title or path.stem, blocks, source))
    return out


def generate(folder: Path = RULES_DIR) -> str:
    """docs/rules.md: every chapter with the default rules, one heading level down."""
    head = ("# The rules: how Junction plays\n\n"
            "Generated by `python -m game.report.rulebook --write` from the files in `docs/rules/`, which the "
            "game's help (F1) shows as tabs; edit those, not this file. The numbers are the defaults of the "
            "rules; a scenario's `rules:` block may change them (see `docs/scenario-format.md`), and the "
            "in-game help then shows the scenario's values. The reasons behind the rules are in `docs/model.md`.\n")
    parts = [head]
    for ch in chapters(folder=folder):
        body = "\n".join(("#" + line) if line.startswith("#") else line for line in ch.source.splitlines())
        parts.append(body.strip() + "\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = generate()
    if "--write" in argv:
        MODEL_DOC.write_text(text, encoding="utf-8")
        print(f"wrote {MODEL_DOC}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
