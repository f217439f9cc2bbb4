"""The after-action report as one self-contained HTML file: styles inline, pictures as base64 PNG,
no script and nothing fetched, so it opens offline, prints, and can be mailed as one file."""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable

from game.engine.view import View

from .debrief import evidence
from .document import CAVEAT, DEBRIEF, EVIDENCE, Report, TurnPage
from .narrate import Names, is_unfinished, outcome_text, record_summary, standing_heading, unfinished_text, verdict

STYLE = """
body{font-family:"DejaVu Sans",Verdana,sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;color:#1d1d1d;
line-height:1.45;background:#fff}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #345;padding-bottom:.2em;margin-top:2em}
h3{margin-bottom:.3em;color:#234}
.sub{color:#555;margin-top:0}
.unfinished{font-weight:bold;border-left:4px solid #c0392b;padding:.5em .8em}
.caveat{background:#f4f1e8;border-left:4px solid #b58900;padding:.5em .8em}
nav ul{columns:3;list-style:none;padding-left:0}nav a{color:#234}
figure{margin:.5em 0}figure img{max-width:100%;border:1px solid #ccc}figcaption{font-size:.85em;color:#555}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#eef2f6}.num{text-align:right}
.orders{columns:2;font-size:.9em}.orders div{break-inside:avoid;margin-bottom:.6em}
.orders ul{margin:.2em 0;padding-left:1.2em}.none{color:#666;font-style:italic}
.record{border:1px solid #bbb;border-left:4px solid #7a2;padding:.3em .8em;margin:.6em 0}
.history li{margin-bottom:.3em}.seeds{color:#666;font-size:.85em}
.notes{min-height:9em;border:1px solid #999;padding:.4em;margin:.4em 0 1.2em;
background:repeating-linear-gradient(#fff,#fff 1.6em,#ddd 1.6em,#ddd calc(1.6em + 1px))}
.prompt{color:#555;margin:.2em 0}
.evidence{margin:.6em 0 .2em;font-weight:600}
@media print{.turn{break-before:page}nav{display:none}}
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}">'


def _list(items: Iterable[str], empty: str) -> str:
    items = list(items)
    if not items:
        return f'<p class="none">{esc(empty)}</p>'
    return "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in items) + "</ul>"


def _standings(view: View, names: Names) -> str:
    if not view.benchmarks:
        return '<p class="none">No benchmarks to show.</p>'
    rows = []
    for side in sorted({b.side for b in view.benchmarks}, key=lambda s: -view.standings.get(s, 0.0)):
        stand = view.standings.get(side, 0.0)
        said = verdict(stand, not is_unfinished(view))
        marks = [b for b in view.benchmarks if b.side == side]
        for i, b in enumerate(marks):
            head = (f'<td rowspan="{len(marks)}">{esc(names(side))}<br><b>{stand:+.2f}</b> ({said})</td>'
                    if i == 0 else "")
            rows.append(f"<tr>{head}<td>{esc(b.description or b.id)}</td><td class='num'>{b.value:.2f}</td>"
                        f"<td class='num'>{b.history:.2f}</td><td class='num'>{b.weight:g}</td></tr>")
    return ("<table><tr><th>Side and standing</th><th>Benchmark</th><th>Game</th><th>History</th><th>Weight</th></tr>"
            + "".join(rows) + "</table>")


def _records(records: list[dict[str, object]], names: Names, empty: str) -> str:
    if not records:
        return f'<p class="none">{esc(empty)}</p>'
    out = []
    for rec in records:
        title, rows = record_summary(rec, names)
        cells = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
        out.append(f'<div class="record"><p><b>Turn {esc(rec.get("turn"))}: {esc(title)}</b></p>'
                   f"<table>{cells}</table></div>")
    return "".join(out)


def _turn(page: TurnPage, names: Names, umpire: bool) -> str:
    orders = "".join(f"<div><b>{esc(names(side))}</b>{_list(texts, 'none')}</div>"
                     for side, texts in page.orders.items())
    who = "Every side's orders" if umpire else "Your orders"
    history = "".join(
        f"<li><b>{esc(h.when)}</b>: {esc(h.text)}"
        + (f' <span class="seeds">[{esc(", ".join(h.seeds))}]</span>' if h.seeds else "") + "</li>"
        for h in page.history)
    return (
        f'<section class="turn" id="turn-{page.turn}"><h2>Turn {page.turn}: {esc(page.date)}</h2>'
        f"<figure>{img(page.map_png, f'Map at the end of turn {page.turn}')}"
        f"<figcaption>The map at the end of turn {page.turn}.</figcaption></figure>"
        f"<h3>Key events</h3>{_list(page.events, 'No key events seen this turn.')}"
        f"<h3>{who}, revealed after the fact</h3>"
        + (f'<div class="orders">{orders}</div>' if orders else '<p class="none">No orders given.</p>')
        + f"<h3>What history did on {esc(page.date)}</h3>"
        + (f'<ul class="history">{history}</ul>' if history else
           '<p class="none">Our sources record nothing for this date.</p>')
        + (f"<h3>Umpire's records this turn</h3>{_records(page.umpire, names, '')}" if page.umpire else "")
        + "</section>")


def render_html(report: Report) -> str:
    """The whole report as an HTML document."""
    names = report.names()
    final = report.final
    last_date = report.pages[-1].date if report.pages else report.start.date
    who = "Umpire's report: every side, everything" if report.umpire else f"{report.team_name}: the team's own view"
    outcome = outcome_text(final, names)
    nav = ['<a href="#summary">Summary</a>', '<a href="#charts">Charts</a>']
    nav += [f'<a href="#turn-{p.turn}">Turn {p.turn} ({esc(p.date)})</a>' for p in report.pages]
    nav += ['<a href="#umpire">Umpire overrides and matrix actions</a>', '<a href="#sources">Sources</a>',
            '<a href="#debrief">Debrief</a>']
    chart_names = {"territory": "Territory over time", "cohesion": "Cohesion over time",
                   "standing": "Standing against the benchmarks over time"}
    charts = "".join(f"<figure>{img(png, chart_names.get(k, k))}<figcaption>{esc(chart_names.get(k, k))}"
                     "</figcaption></figure>" for k, png in report.charts.items())
    sources = "".join(f"<li><b>{esc(k)}</b>: {esc(v)}</li>" for k, v in sorted(report.facts.items()))
    shown = evidence(report)
    debrief = "".join(f'<h3>{i}. {esc(q)}</h3><p class="prompt">{esc(prompt)}</p>'
                      + (f'<p class="evidence">{esc(EVIDENCE)}</p>{_list(shown[key], "")}' if shown.get(key) else "")
                      + f'<div class="notes" id="notes-{key}" contenteditable="true"></div>'
                      for i, (key, q, prompt) in enumerate(DEBRIEF, start=1))
    body = (
        f"<header><h1>After-action report: {esc(report.title)}</h1>"
        f'<p class="sub">{esc(who)}. {len(report.pages)} turns, {esc(report.start.date)} to {esc(last_date)}; '
        f"seed {report.seed}{'; scenario ' + esc(report.source) if report.source else ''}.</p>"
        + (f'<p class="unfinished">{esc(unfinished_text(final))}</p>' if is_unfinished(final) else "")
        + f'<p class="caveat">{esc(CAVEAT)}</p></header>'
        "<nav><h2>Contents</h2><ul>" + "".join(f"<li>{a}</li>" for a in nav) + "</ul></nav>"
        f'<section id="summary"><h2>Summary</h2><p>{esc(outcome)}</p>'
        f"<h3>{esc(standing_heading(final))}</h3>{_standings(final, names)}"
        f"<figure>{img(report.start_png, 'Map at the start')}<figcaption>The map at the start.</figcaption></figure>"
        f'</section><section id="charts"><h2>Charts</h2>{charts}</section>'
        + "".join(_turn(p, names, report.umpire) for p in report.pages)
        + '<section id="umpire"><h2>Umpire overrides and matrix actions</h2>'
        + _records(report.umpire_records, names, "None: no override or matrix action was recorded in this game.")
        + '</section><section id="sources"><h2>Sources</h2><p>The facts the history lines cite, from the '
        "scenario's seeds (in our own words).</p>"
        + (f"<ul>{sources}</ul>" if sources else '<p class="none">No facts cited.</p>')
        + f'</section><section id="debrief"><h2>Debrief</h2>{debrief}</section>')
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>After-action report: {esc(report.title)} ({esc(report.team_name)})</title>"
            f"<style>{STYLE}</style></head><body>{body}</body></html>\n")
