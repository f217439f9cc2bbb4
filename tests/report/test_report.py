"""The after-action report: one self-contained HTML file (nothing fetched), a Markdown variant, a
team's variant built from its views only, and the umpire's records listed with their reasons."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pytest

from game.cli import main
from game.engine import Hold, Move, Order, State, game_to_dict
from game.engine.rulings import MatrixAction, Modifier, Override
from game.engine.sight import find_leaks, secrets_of
from game.engine.specs import SetController, SetSupport
from game.engine.umpire import matrix_dice
from game.engine.view import view_for
from game.report.aar import build_report, write_report
from game.report.history import history_lines, lines_for
from game.scenario import load_scenario
from game.sim.playback import play_back
from game.sim.runner import run_game
from tests.boards import fog_state

TURNS = 2
OVERRIDE = Override(SetController("p3", "red"), "The elders of Place 3 declared for Red.", ("all",))
SECRET_OVERRIDE = Override(SetSupport("airwing", "air", value=0.6), "The air wing's crews were rested.", ("blues",))
MATRIX = MatrixAction("blues", "Persuade the Place 3 elders to open the gates", ("Blue has paid the town for years",),
                      "Argued well; the dice decide.", counter_arguments=("Red is closer",),
                      modifiers=(Modifier("strong argument", 1),), needed=8, audience=(),
                      effects=(SetController("p3", "blue"),))
SEED = 5
PLAN = {1: [OVERRIDE], 2: [SECRET_OVERRIDE, MATRIX]}
"""The umpire's rulings of the umpired game: public, for Blue only, and a matrix action told to nobody else."""


def scripted(state: State, side: str, rng: np.random.Generator) -> list[Order]:
    """Every unit of the side holds, except Blue's far unit, which moves one place west on turn 1."""
    w = state.world
    out: list[Order] = []
    for i, u in enumerate(state.units):
        if w.side_of(int(state.u_faction[i])) != side:
            continue
        out.append(Move(u.id, "p5") if u.id == "blue_far" and state.turn == 1 else Hold(u.id))
    return out


PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)


@pytest.fixture
def quick_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand-in pictures for tests about the text (the maps and charts are drawn from the same views)."""
    monkeypatch.setattr("game.report.aar.map_png", lambda *a, **k: PNG)
    monkeypatch.setattr("game.report.aar.charts", lambda views: {"territory": PNG})


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("aar") / "game.jsonl"
    run_game(fog_state(air=0.0), TURNS, SEED, log=path, bot=scripted)
    return path


@pytest.fixture(scope="module")
def log_with_records(log: Path) -> Path:
    path = log.with_name("umpired.jsonl")
    run_game(fog_state(air=0.0), TURNS, SEED, log=path, bot=scripted, umpire=PLAN)
    return path


@pytest.fixture(scope="module")
def umpire_html(log: Path) -> str:
    out = write_report(log, log.with_name("report.html"))
    return out.read_text(encoding="utf-8")


def test_the_html_fetches_nothing(umpire_html: str) -> None:
    assert "<script" not in umpire_html.lower() and "<link" not in umpire_html.lower()
    refs = re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', umpire_html, flags=re.I)
    assert refs, "the report has no pictures or links at all"
    for ref in refs:
        assert ref.startswith(("data:image/png;base64,", "#")), ref
    assert not re.search(r"url\(\s*['\"]?(?!data:)", umpire_html)
    assert not re.search(r"(?:src|href)\s*=\s*['\"]?\s*https?:", umpire_html, flags=re.I)


def test_the_html_has_every_turn_with_its_map_and_the_debrief(umpire_html: str) -> None:
    for turn in range(1, TURNS + 1):
        m = re.search(rf'<section class="turn" id="turn-{turn}">(.*?)</section>', umpire_html, flags=re.S)
        assert m, f"no section for turn {turn}"
        assert '<img src="data:image/png;base64,' in m.group(1)
        assert "revealed after the fact" in m.group(1) and "What history did" in m.group(1)
    assert 'id="charts"' in umpire_html and umpire_html.count("data:image/png;base64,") >= TURNS + 3
    for question in ("What was planned?", "What happened?", "Why did it happen?", "What would you do differently?"):
        assert question in umpire_html
    assert umpire_html.count('class="notes"') == 4
    assert "None: no override or matrix action was recorded" in umpire_html
    assert "Blue_Far: move to Place 5" in umpire_html  # every side's orders, revealed


def test_umpire_records_are_listed_with_their_reasons(quick_pictures: None, log_with_records: Path,
                                                      tmp_path: Path) -> None:
    text = html.unescape(write_report(log_with_records, tmp_path / "r.html").read_text(encoding="utf-8"))
    section = text[text.index('id="umpire"'):]
    for rec in (OVERRIDE, SECRET_OVERRIDE, MATRIX):
        assert rec.reason in section
    a, b = matrix_dice(SEED, 2, 1)
    assert f"{a} + {b} = {a + b}; with the modifiers (+1): {a + b + 1} (needed 8)" in section
    assert "Red is closer" in section
    words = re.sub(r"<[^>]+>", "|", section)
    assert "Turn 1: Umpire override: controller (Place 3)|||||Before||Blue||||After||Red" in words  # names, not ids
    assert "Matrix action by Blue: Persuade" in words and "Effects on success||set controller: place Place 3, " \
        "faction Blue" in words
    turn2 = re.search(r'<section class="turn" id="turn-2">(.*?)</section>', text, flags=re.S)
    assert turn2 and SECRET_OVERRIDE.reason in turn2.group(1)  # each record on its own turn's page too
    blues = html.unescape(write_report(log_with_records, tmp_path / "b.html", team="blues").read_text("utf-8"))
    reds = html.unescape(write_report(log_with_records, tmp_path / "red.html", team="reds").read_text("utf-8"))
    assert MATRIX.reason in blues and MATRIX.reason not in reds  # a team sees its own matrix actions
    assert OVERRIDE.reason in reds and SECRET_OVERRIDE.reason not in reds  # and the overrides told to it only
    assert SECRET_OVERRIDE.reason in blues


def test_the_markdown_variant(log: Path, tmp_path: Path) -> None:
    out = write_report(log, tmp_path / "aar.md", fmt="md")
    text = out.read_text(encoding="utf-8")
    for turn in range(1, TURNS + 1):
        assert f"## Turn {turn}: " in text and f"](aar_files/turn-{turn:02d}.png)" in text
        assert (tmp_path / "aar_files" / f"turn-{turn:02d}.png").read_bytes()[:4] == b"\x89PNG"
    assert "### 4. What would you do differently?" in text and "## Umpire overrides and matrix actions" in text
    assert "None: no override" in text


def test_a_teams_report_names_no_unit_it_never_saw(quick_pictures: None, log: Path, tmp_path: Path) -> None:
    game = play_back(log)
    states = [game.start] + [t.after for t in game.turns]
    for team in ("reds", "red_alone", "blues"):
        never = set.intersection(*(set(secrets_of(s, team)) for s in states))
        assert never, f"the test board should hide something from {team}"
        page = html.unescape(write_report(log, tmp_path / f"{team}.html", team=team).read_text("utf-8"))
        assert not find_leaks(page, never), team
        md = write_report(log, tmp_path / f"{team}.md", fmt="md", team=team).read_text(encoding="utf-8")
        assert not find_leaks(md, never), team
    reds = (tmp_path / "reds.html").read_text(encoding="utf-8")
    assert "Your orders" in reds and "Blue_Far" not in reds


def test_the_report_is_built_from_views(quick_pictures: None, log: Path) -> None:
    game = play_back(log)
    report = build_report(game, "blues")
    last = game.turns[-1]
    assert report.pages[-1].view == view_for(last.after, "blues", last.events)
    assert set(report.pages[0].orders) == {"blue"}


def test_history_comes_from_the_history_page_for_its_scenario() -> None:
    from game.scenario import load_scenario

    homs = Path(__file__).resolve().parents[2] / "scenarios" / "homs_junction.yaml"
    world, _ = load_scenario(homs)
    lines = history_lines(world, str(homs))
    day2 = " ".join(h.text for h in lines_for(lines, 2))
    assert "Damascus" in day2 and any("gen-damascus-fell" in h.seeds for h in lines_for(lines, 2))
    assert lines_for(lines, 10)  # '8-12' covers turn 10


def test_report_command(quick_pictures: None, log: Path, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.md"
    assert main(["report", str(log), "-o", str(out), "--format", "md", "--team", "blues"]) == 0
    assert out.is_file() and str(out) in capsys.readouterr().out
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    assert main(["report", str(bad), "-o", str(tmp_path / "x.html")]) == 2
    assert "error:" in capsys.readouterr().err
    assert main(["report", str(log), "-o", str(tmp_path / "y.html"), "--team", "purple"]) == 2
    assert "unknown team 'purple'" in capsys.readouterr().err


def test_view_command_prints_exactly_the_view(log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    game = play_back(log)
    assert main(["view", str(log), "--team", "reds", "--turn", "2", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    played = game.turns[0]
    assert printed == json.loads(json.dumps(view_for(played.after, "reds", played.events).to_dict()))
    assert main(["view", str(log), "--team", "blues"]) == 0
    assert "what Blue knows" in capsys.readouterr().out
    save = tmp_path / "save.json"
    save.write_text(json.dumps(game_to_dict(game.final)), encoding="utf-8")
    assert main(["view", str(save), "--team", "blues", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["turn"] == game.final.turn
    assert main(["view", str(save), "--team", "blues", "--turn", "1"]) == 2
    assert "give an order log" in capsys.readouterr().err
    assert main(["view", str(log), "--team", "blues", "--turn", "9"]) == 2
    assert "turn 9 is not in the log" in capsys.readouterr().err
    assert main(["view", str(tmp_path / "missing.json"), "--team", "blues"]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize(("name", "content", "fmt"), [
    ("scenario.yaml", "meta: {title: A scenario}\n", "html"),  # not a report's name
    ("game.jsonl", None, "html"),  # the log itself
    ("notes.md", "# My own notes\n", "md"),  # a report's name, someone else's file
    ("page.html", "<p>my page</p>\n", "html"),
    ("folder", "", "html"),
])
def test_report_never_writes_over_what_is_not_a_report(quick_pictures: None, log: Path, tmp_path: Path, name: str,
                                                       content: str | None, fmt: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The output is checked before any work: one `error: -o …` naming it, exit 2, the file as it was."""
    target = tmp_path / name
    if content is None:
        target.write_bytes(log.read_bytes())
    elif name == "folder":
        target.mkdir()
    else:
        target.write_text(content, encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    kept = None if target.is_dir() else target.read_bytes()
    assert main(["report", str(log), "-o", str(target), "--format", fmt]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: -o {target}") and err.count("\n") == 1 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert kept is None or target.read_bytes() == kept


def test_report_writes_over_its_own_earlier_report_and_picks_the_suffix(quick_pictures: None, log: Path,
                                                                       tmp_path: Path) -> None:
    for fmt in ("html", "md"):
        first = tmp_path / f"aar.{fmt}"
        assert main(["report", str(log), "-o", str(first), "--format", fmt]) == 0
        assert main(["report", str(log), "-o", str(first), "--format", fmt]) == 0
        assert main(["report", str(log), "-o", str(tmp_path / f"plain_{fmt}"), "--format", fmt]) == 0
        assert (tmp_path / f"plain_{fmt}.{fmt}").is_file()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_an_unfinished_games_report_says_so_in_its_headline_and_standings(quick_pictures: None,
                                                                         tmp_path: Path) -> None:
    """Homs Junction's benchmarks run 'to 18 December' (turn 12): after 2 turns no side has beaten or fallen short
    of history yet, and the report says the game is unfinished before anything else."""
    _, start = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "homs_junction.yaml")
    log = tmp_path / "stopped.jsonl"
    run_game(start, 2, 1, log=log)
    page = write_report(log, tmp_path / "stopped.html").read_text(encoding="utf-8")
    header, summary = page.split("</header>")[0], page.split('id="summary"')[1].split("</section>")[0]
    assert "Unfinished game: it stopped after turn 2 of 12" in header
    assert "Standing against history so far (start of turn 3 of 12; game unfinished)" in summary
    assert "history so far)" in summary
    assert not re.search(r"\((beat history|matched history|fell short)\)", summary)
    md = write_report(log, tmp_path / "stopped.md", "md").read_text(encoding="utf-8")
    assert md.index("**Unfinished game: it stopped after turn 2 of 12") < md.index("## Summary")


def test_a_finished_game_reads_after_its_last_turn(quick_pictures: None, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Not 'turn 9 of 8': the state after the last turn is the start of a turn that is never played."""
    _, start = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml")
    log = tmp_path / "done.jsonl"
    run_game(start, start.world.meta.turns, 1, log=log)
    assert main(["view", str(log), "--team", "umpire"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "after turn 8 of 8, game over" in first and "turn 9" not in first
    page = write_report(log, tmp_path / "done.html").read_text(encoding="utf-8")
    assert "Unfinished" not in page and "Standing against history</h3>" in page
