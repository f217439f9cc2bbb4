"""The hosted session in a real browser (Debian's chromium, headless, through selenium and chromedriver):
`python main.py host scenarios/homs_junction.yaml` on loopback, three team pages, the projector and the
umpire's console in tabs of one browser; three turns are played, one team reloads mid-turn and finds
its draft; screenshots are saved (JUNCTION_SCREENSHOTS, else the test's tmp folder). Skips where
chromium, chromedriver or selenium are missing."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
TEAMS = {"hts_team": "1111", "government_team": "2222", "sdf_team": "3333"}
AI = ("southern_team", "sna_team", "israel_team", "islamic_state_team")
UMPIRE_PIN = "909090"

pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium and chromedriver are not installed "
                                "(apt-get install chromium chromium-driver; .ci/run does)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def hosted(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """The host command running on a free loopback port: (base URL, session code, data folder)."""
    port = free_port()
    args = [sys.executable, "main.py", "host", "scenarios/homs_junction.yaml", "--port", str(port)]
    for team, pin in TEAMS.items():
        args += ["--pin", f"{team}={pin}"]
    args += ["--pin", f"umpire={UMPIRE_PIN}"] + [x for t in AI for x in ("--ai", t)]
    env = dict(os.environ, JUNCTION_DATA_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    out = (tmp_path / "host.out").open("w")
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/api/seats", timeout=1) as r:
                    json.load(r)
                break
            except OSError:
                assert proc.poll() is None, (tmp_path / "host.out").read_text()
                time.sleep(0.1)
        text = (tmp_path / "host.out").read_text()
        code = next(line.split()[-1] for line in text.splitlines() if line.startswith("Session code"))
        assert "Listening on 127.0.0.1 only" in text
        yield url, code, tmp_path
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        out.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"):
        opts.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=Service(str(DRIVER)), options=opts)
    except Exception as exc:  # a browser that cannot start here (no shared memory, ...)
        pytest.skip(f"chromium cannot start here: {str(exc)[:200]}")
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: Any, check: Any, what: str, timeout: float = 40.0) -> Any:
    """Wait until `check(driver)` holds; on a timeout, keep a screenshot and the page's text for the reader."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: check(d), message=what)
    except TimeoutException:
        folder = Path(os.environ.get("JUNCTION_SCREENSHOTS") or ".")
        if os.environ.get("JUNCTION_SCREENSHOTS"):
            driver.save_screenshot(str(folder / "failed.png"))
            (folder / "failed.txt").write_text(driver.find_element("tag name", "body").text, encoding="utf-8")
        raise


def css(driver: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(driver.find_elements(By.CSS_SELECTOR, selector))


def js_click(driver: Any, selector: str) -> None:
    """Click the first element matching `selector` (found and clicked in one step: pages re-render often)."""
    wait_for(driver, lambda d: d.execute_script(
        "const e = document.querySelector(arguments[0]); if (!e || e.disabled) return false; e.click(); return true;",
        selector), f"clickable {selector}")


def join(driver: Any, url: str, code: str, team: str, pin: str) -> None:
    driver.get(f"{url}/umpire" if team == "umpire" else f"{url}/?code={code}")
    wait_for(driver, lambda d: css(d, f"#team option[value='{team}']"), f"{team} in the list")
    driver.execute_script("document.getElementById('code').value = arguments[0];"
                          "document.getElementById('team').value = arguments[1];"
                          "document.getElementById('pin').value = arguments[2];", code, team, pin)
    js_click(driver, "#join")
    wait_for(driver, lambda d: css(d, "#open-turn" if team == "umpire" else "#ready"), f"{team}'s page")


def draft_of(driver: Any) -> list[str]:
    """The draft's lines, read in one script (the list is re-drawn on every push)."""
    return list(driver.execute_script("return [...document.querySelectorAll('#draft li')].map(e => e.textContent)"))


def plan_one(driver: Any) -> None:
    """Pick the first unit and give it an attack if it has one, else a move, else its first order."""
    js_click(driver, ".unit .unit-name")
    wait_for(driver, lambda d: css(d, ".unit.sel .options button[data-key]"), "the unit's orders")
    for kind in ("Attack", "Move", "Hold"):
        if css(driver, f".unit.sel .options button[data-kind='{kind}']"):
            js_click(driver, f".unit.sel .options button[data-kind='{kind}']")
            break
    wait_for(driver, lambda d: len(draft_of(d)) > 0, "the order in the draft")


def map_is_current(driver: Any) -> bool:
    """The page shows the map of the game as it is now (not one drawn before the last turn or ruling)."""
    return bool(driver.execute_script(
        "const i = document.getElementById('map-img'); return i && i.complete && i.naturalWidth > 0 && "
        "i.dataset.revision === String(state.state_revision)"))


def show_orders(driver: Any) -> None:
    """Select a unit with an attack (its targets light up on the map), ask for the odds, scroll to it."""
    unit = driver.execute_script(
        "const u = state.units.find(u => (state.options[u.id] || []).some(o => o.kind === 'Attack'));"
        "return u ? u.id : state.units[0].id")
    js_click(driver, f".unit[data-unit='{unit}'] .unit-name")
    wait_for(driver, lambda d: css(d, ".unit.sel .options button[data-key]"), "the unit's orders")
    if css(driver, ".unit.sel .options button.small"):
        js_click(driver, ".unit.sel .options button.small")
        wait_for(driver, lambda d: d.execute_script("return document.querySelector('.unit.sel .preview').textContent"),
                 "the combat preview")
        said = driver.execute_script("return document.querySelector('.unit.sel .preview').textContent")
        # it read '0–0%' and '2 unit(s) seen' before
        assert re.fullmatch(r"Estimated chance the defenders give way: (\d+|\d+–\d+)% \((1 unit|\d+ units) seen; "
                            r"unknown: .+\)|No preview: no enemy seen there\.", said), said
    driver.execute_script("document.querySelector('.unit.sel').scrollIntoView({block: 'start'});"
                          "window.scrollBy(0, -60)")


def set_values(driver: Any, values: dict[str, str]) -> None:
    missing = driver.execute_script("const out = []; for (const [k, v] of Object.entries(arguments[0])) {"
                                    "const e = document.getElementById(k); if (e) e.value = v; else out.push(k); }"
                                    "return out", values)
    assert not missing, f"no field {missing} on the page"


def on_record(driver: Any) -> int:
    return int(driver.execute_script("return document.querySelectorAll('#on-record > li').length"))


def rule_through_the_console(d: Any) -> None:
    """One refused override (no reason: the engine's words stay in the form), one place's controller changed,
    and a matrix action with an argument, a counter-argument, a modifier and an effect, through the forms."""
    place, faction, other = d.execute_script(
        "const f = state.factions.map(f => f.id); const p = state.places.find(p => p.controller !== f[0]);"
        "const q = state.places.find(q => q.id !== p.id && q.controller !== f[1]); return [p.id, f[0], q.id];")
    count = on_record(d)
    set_values(d, {"support-value": "", "support-reason": "Weather"})  # the level left empty: said in the form
    js_click(d, "#support button[type=submit]")
    wait_for(d, lambda d: "type the new level" in (d.execute_script(
        "const r = document.querySelector('#support .refusal'); return r && r.textContent") or ""),
        "the missing level named in the form")  # it read 'change.value: expected a number, got null'
    assert on_record(d) == count
    set_values(d, {"support-reason": ""})
    set_values(d, {"controller-place": place, "controller-faction": faction, "controller-reason": ""})
    js_click(d, "#controller button[type=submit]")
    wait_for(d, lambda d: "reason" in (d.execute_script(
        "const r = document.querySelector('#controller .refusal'); return r && r.textContent") or ""),
        "the refusal in the form")
    set_values(d, {"controller-reason": "The garrison went over"})
    js_click(d, "#controller button[type=submit]")
    wait_for(d, lambda d: on_record(d) == count + 1, "the override on the record")
    set_values(d, {"mx-team": "hts_team", "mx-action": "Talk the local militia into standing aside",
                   "mx-arguments": "Long ties to the elders\nThey were paid", "mx-counter": "The army pays more",
                   "mx-mod1": "1", "mx-mod1-why": "strong ties", "mx-outcome": "The militia stands aside.",
                   "mx-effect-place": other, "mx-effect-faction": d.execute_script("return state.factions[1].id"),
                   "matrix-reason": "A fair case, one strong argument"})
    js_click(d, "#mx-add-effect")
    wait_for(d, lambda d: len(css(d, "#mx-effects li")) == 1, "the effect listed")
    js_click(d, "#matrix button[type=submit]")
    wait_for(d, lambda d: on_record(d) == count + 2, "the matrix action on the record")
    wait_for(d, lambda d: not css(d, "#mx-effects li") and not d.execute_script(
        "return document.getElementById('mx-action').value"), "the matrix form cleared for the next action")


def turn_of(driver: Any) -> str:
    return str(driver.execute_script("return document.getElementById('turn').textContent"))


def test_three_teams_a_projector_and_the_umpire_play_three_turns_in_chromium(hosted: tuple[str, str, Path],
                                                                               browser: Any, tmp_path: Path) -> None:
    url, code, data = hosted
    shots = Path(os.environ.get("JUNCTION_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    d = browser
    tabs: dict[str, str] = {"umpire": d.current_window_handle}
    join(d, url, code, "umpire", UMPIRE_PIN)
    for team, pin in TEAMS.items():
        d.switch_to.new_window("tab")
        tabs[team] = d.current_window_handle
        join(d, url, code, team, pin)
    d.switch_to.new_window("tab")
    tabs["projector"] = d.current_window_handle
    d.get(f"{url}/projector?code={code}")
    js_click(d, "#join")
    wait_for(d, lambda d: css(d, "#ready-list"), "the projector")
    wait_for(d, lambda d: d.title == "Projector · Homs Junction", "the projector's tab named")  # all read 'Junction'

    for turn in (1, 2, 3):
        d.switch_to.window(tabs["umpire"])
        wait_for(d, lambda d, n=turn: f"turn {n} of" in turn_of(d), f"umpire at turn {turn}")
        js_click(d, "#open-turn")
        wait_for(d, lambda d: d.title == "Umpire (White cell) · Homs Junction · turn open", "the console's tab named")
        for i, team in enumerate(TEAMS):
            d.switch_to.window(tabs[team])
            wait_for(d, lambda d, n=turn: f"turn {n} of" in turn_of(d) and "turn open" in turn_of(d), f"{team} open")
            plan_one(d)
            if turn == 2 and i == 0:
                kept = draft_of(d)
                d.refresh()  # a laptop reloads mid-turn: the draft is on the host
                assert kept
                wait_for(d, lambda d, kept=kept: draft_of(d) == kept, "the draft after a reload")
                d.set_window_size(412, 915)
                wait_for(d, map_is_current, "the team's map")
                d.save_screenshot(str(shots / "team-phone.png"))
                show_orders(d)
                d.save_screenshot(str(shots / "team-phone-orders.png"))
                d.set_window_size(1280, 900)
            js_click(d, "#ready:not(.on)")
            wait_for(d, lambda d: css(d, "#ready.on"), f"{team} ready")
        d.switch_to.window(tabs["projector"])
        wait_for(d, lambda d: len(css(d, "#ready-list .chip.ready")) == len(TEAMS), "every team ready on the projector")
        if turn == 3:
            wait_for(d, map_is_current, "the projector's map")
            d.save_screenshot(str(shots / "projector.png"))
        d.switch_to.window(tabs["umpire"])
        if turn == 3:
            d.set_window_size(1280, 1900)
            d.execute_script("document.getElementById('rulings').scrollIntoView({block: 'start'})")
            d.save_screenshot(str(shots / "umpire-rulings.png"))  # the forms, a battle of turn 2 to change
            d.execute_script("document.getElementById('inject-title').value = 'Ceasefire call';"
                             "document.getElementById('inject-message').value = 'The UN calls for a ceasefire.';"
                             "document.getElementById('reason').value = 'News for the plenary';")
            # a double click: one inject on the record (the log's rulings are counted at the end); it sent two
            d.execute_script("const b = document.querySelector('#new-inject button'); b.click(); b.click();")
            wait_for(d, lambda d: "Ceasefire call" in d.execute_script(
                "return document.getElementById('told').textContent"), "the inject in the umpire's list")
            wait_for(d, map_is_current, "the umpire's map")
            d.set_window_size(1280, 1500)
            d.execute_script("window.scrollTo(0, 0)")  # the console's top: turn, map, teams, injects
            d.save_screenshot(str(shots / "umpire.png"))
            rule_through_the_console(d)
            d.execute_script("document.getElementById('on-record').scrollIntoView({block: 'end'})")
            d.save_screenshot(str(shots / "umpire-record.png"))
            d.set_window_size(1280, 900)
            d.switch_to.window(tabs["projector"])
            told = "return document.getElementById('told').textContent"
            wait_for(d, lambda d, told=told: "Ceasefire call" in d.execute_script(told), "the inject on the projector")
            d.switch_to.window(tabs["umpire"])
        js_click(d, "#end-turn")
        for team in TEAMS:
            d.switch_to.window(tabs[team])
            wait_for(d, lambda d, n=turn + 1: f"turn {n} of" in turn_of(d), f"{team} sees turn {turn + 1}")
            assert draft_of(d) == []
    d.switch_to.window(tabs["hts_team"])
    wait_for(d, map_is_current, "the team's map of turn 4")
    d.save_screenshot(str(shots / "team-after.png"))

    log = next(data.glob("sessions/hosted-*.jsonl"))
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    played = [r for r in records if r["type"] == "turn"]
    assert [r["turn"] for r in played] == [1, 2, 3]
    assert all(played[0]["orders"][side] for side in ("hts",))  # the team's order reached the log
    from game.sim.runner import replay

    assert replay(str(log))[0].turn == 4  # the rulings made through the console replay too
    rulings = [r for r in records if r["type"] in ("override", "matrix")]
    assert [(r["type"], r["turn"]) for r in rulings] == [("override", 3), ("override", 3), ("matrix", 3)]
    assert rulings[1]["what"] == "controller" and rulings[1]["reason"] == "The garrison went over"
    assert rulings[2]["arguments"] == ["Long ties to the elders", "They were paid"]
    assert rulings[2]["modifiers"] == [{"reason": "strong ties", "value": 1}]
    assert all((shots / f"{name}.png").stat().st_size > 10_000 for name in ("team-phone", "projector", "umpire"))
