"""The after-action report as Markdown, for notes a facilitator edits: the pictures are PNG files in
a folder beside it (`report_files/`), linked by relative paths."""

from __future__ import annotations

from pathlib import Path

from .debrief import evidence
from .document import CAVEAT, DEBRIEF, EVIDENCE, Report, TurnPage
from .narrate import Names, is_unfinished, outcome_text, record_summary, standing_heading, unfinished_text


def _md(text: object) -> str:
    """Text safe inside a Markdown paragraph or list item (no accidental emphasis, tables or HTML)."""
    out = str(text).replace("\\", "\\\\")
    for ch in "*_`|<>[]":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def _picture(folder: Path, name: str, png: bytes, alt: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(png)
    return f"![{_md(alt)}]({folder.name}/{name})"


def _bullets(items: list[str], empty: str) -> list[str]:
    return [f"- {_md(x)}" for x in items] if items else [f"_{_md(empty)}_"]


def _records(records: list[dict[str, object]], names: Names, empty: str) -> list[str]:
    if not records:
        return [f"_{_md(empty)}_"]
    out = []
    for rec in records:
        title, rows = record_summary(rec, names)
        out += [f"**Turn {_md(rec.get('turn'))}: {_md(title)}**", ""]
        out += [f"- {_md(k)}: {_md(v)}" for k, v in rows] + [""]
    return out


def _turn(page: TurnPage, names: Names, folder: Path, umpire: bool) -> list[str]:
    out = [f"## Turn {page.turn}: {page.date}", "",
           _picture(folder, f"turn-{page.turn:02d}.png", page.map_png, f"Map at the end of turn {page.turn}"), "",
           "### Key events", ""] + _bullets(page.events, "No key events seen this turn.")
    who = "Every side's orders" if umpire else "Your orders"
    out += ["", f"### {who}, revealed after the fact", ""]
    if not page.orders:
        out.append("_No orders given._")
    for side, texts in page.orders.items():
        out += [f"**{_md(names(side))}**", ""] + _bullets(texts, "none") + [""]
    out += ["", f"### What history did on {page.date}", ""]
    lines = [f"{h.when}: {h.text}" + (f" [{', '.join(h.seeds)}]" if h.seeds else "") for h in page.history]
    out += _bullets(lines, "Our sources record nothing for this date.")
    if page.umpire:
        out += ["", "### Umpire's records this turn", ""] + _records(page.umpire, names, "")
    return out + [""]


def render_markdown(report: Report, folder: Path) -> str:
    """The whole report as Markdown; writes its pictures into `folder`."""
    names = report.names()
    final = report.final
    who = "Umpire's report: every side, everything" if report.umpire else f"{report.team_name}: the team's own view"
    out = [f"# After-action report: {_md(report.title)}", "",
           f"{_md(who)}. {len(report.pages)} turns from {report.start.date}; seed {report.seed}.", "",
           f"> {_md(CAVEAT)}", ""]
    if is_unfinished(final):
        out += [f"**{_md(unfinished_text(final))}**", ""]
    out += ["## Summary", ""]
    out += [_md(outcome_text(final, names)), "", f"### {_md(standing_heading(final))}", ""]
    if final.benchmarks:
        out += ["| Side | Standing | Benchmark | Game | History | Weight |", "| --- | --- | --- | --- | --- | --- |"]
        for b in final.benchmarks:
            stand = final.standings.get(b.side, 0.0)
            out.append(f"| {_md(names(b.side))} | {stand:+.2f} | {_md(b.description or b.id)} | {b.value:.2f} | "
                       f"{b.history:.2f} | {b.weight:g} |")
    else:
        out.append("_No benchmarks to show._")
    out += ["", _picture(folder, "start.png", report.start_png, "Map at the start"), "", "## Charts", ""]
    for key, png in report.charts.items():
        out += [_picture(folder, f"chart-{key}.png", png, f"{key} over time"), ""]
    for page in report.pages:
        out += _turn(page, names, folder, report.umpire)
    out += ["## Umpire overrides and matrix actions", ""]
    out += _records(report.umpire_records, names, "None: no override or matrix action was recorded in this game.")
    out += ["", "## Sources", ""]
    out += _bullets([f"{k}: {v}" for k, v in sorted(report.facts.items())], "No facts cited.")
    out += ["", "## Debrief", ""]
    shown = evidence(report)
    for i, (key, question, prompt) in enumerate(DEBRIEF, start=1):
        out += [f"### {i}. {question}", "", f"_{_md(prompt)}_", ""]
        if shown.get(key):
            out += [_md(EVIDENCE), "", *_bullets(shown[key], ""), ""]
        out += ["Notes:", "", "", "", ""]
    return "\n".join(out).rstrip() + "\n"
