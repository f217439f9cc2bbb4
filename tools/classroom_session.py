"""A scripted classroom session in a real window (issue 14's acceptance): `python main.py` on Homs Junction
under Xvfb, driven by xdotool keys and clicks as people at the desk would: three human teams (the
government's, HTS's and the SNA's, made human on the set-up screen's team rows), each setting its PIN at
its first hand-off and typing it at every later one, and the umpire (U, behind the umpire's PIN, set at
the first use) firing a scripted inject, writing one live (to one team), changing a patron's support and
adjudicating a matrix action, over five turns; then the after-action report from the menu, shown in
headless Chromium; and the order log the game wrote opened in the desktop replay viewer in one team's
(fogged) view.

    python tools/classroom_session.py [--out docs/screenshots] [--keep DIR]

Screenshots: classroom-umpire.png (the console after the matrix roll), classroom-team-fog.png (HTS's view
of the map at the start of turn 4, in the replay viewer), classroom-report.png (the report's umpire's
records in Chromium, after checking every image of the report loaded).
Takes two to four minutes; not part of the test suite. Needs Xvfb, xdotool and chromium.

Where a button is, the game says when JUNCTION_TRACE=1 (`button x y w h label`, and the console's
`umpire field x y w h key`): the script clicks there. A drop-down's options are picked by clicking the menu
and then the option, a row below the menu per option.
"""

from __future__ import annotations

import argparse
import contextlib
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gamelines import start_game, wait_line  # tools/ is the script's folder, first on sys.path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "homs_junction.yaml"
SIZE = (1280, 800)
ARM = 0.9
"""Seconds to wait before Enter on a screen just shown (hand-offs ignore Enter for a moment)."""
PINS = {0: "1111", 1: "2222", 2: "3333"}
UMPIRE_PIN = "9090"
TURNS = 5
OPTION_ROW = 20
ITEM = re.compile(r"^(button|umpire field) (-?\d+) (-?\d+) (\d+) (\d+) (.*)$")


def say(text: str) -> None:
    print(f"[classroom] {text}", flush=True)


class Display:
    """An Xvfb display of its own, stopped at the end."""

    def __init__(self) -> None:
        n = next(n for n in range(99, 160) if not Path(f"/tmp/.X{n}-lock").exists()
                 and not Path(f"/tmp/.X11-unix/X{n}").exists())
        self.name = f":{n}"
        self.proc = subprocess.Popen(["Xvfb", self.name, "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten",
                                      "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{n}").exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("error: Xvfb did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Game:
    """`python main.py ARGS` in the display, its trace read as it comes: where things are, what is shown."""

    def __init__(self, display: str, data: Path, *args: str) -> None:
        self.proc, self.env, self.lines = start_game(display, data, args, lambda line: line.rstrip("\n"))
        self.items: dict[str, tuple[int, int, int, int]] = {}
        self.seen: list[str] = []
        self.wid = ""

    def _take(self, line: str) -> None:
        self.seen.append(line)
        m = ITEM.match(line)
        if m:
            self.items[f"{m[1]}:{m[6]}"] = (int(m[2]), int(m[3]), int(m[4]), int(m[5]))
        if line.startswith("shown "):
            self.items = {k: v for k, v in self.items.items() if not k.startswith("button:")}

    def wait_for(self, prefix: str, timeout: float = 60) -> str:
        line = wait_line(self.lines, self.proc, prefix, timeout, self._take)
        if line is not None:
            return line
        tail = "\n".join(self.seen[-25:])
        raise SystemExit(f"error: never saw {prefix!r}; the game's last lines:\n{tail}")

    def drain(self, seconds: float = 0.3) -> None:
        """Read what the game traced in the next moment (positions of what a click just built)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                self._take(self.lines.get(timeout=0.05))

    def xdo(self, *args: str) -> str:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=30).stdout

    def focus(self) -> None:
        if not self.wid:
            self.wid = self.xdo("search", "--sync", "--pid", str(self.proc.pid)).split()[0]
        self.xdo("windowfocus", "--sync", self.wid)

    def key(self, *names: str) -> None:
        self.focus()
        self.xdo("key", "--delay", "60", *names)

    def type(self, text: str) -> None:
        self.focus()
        self.xdo("type", "--delay", "15", text)

    def click_at(self, x: int, y: int) -> None:
        self.focus()
        self.xdo("mousemove", "--window", self.wid, str(x), str(y))
        time.sleep(0.1)
        self.xdo("click", "1")
        time.sleep(0.25)

    def rect(self, kind: str, name: str) -> tuple[int, int, int, int]:
        self.drain(0.2)
        key = f"{kind}:{name}"
        if key not in self.items:
            raise SystemExit(f"error: no {kind} {name!r} on screen; known: {sorted(self.items)}")
        return self.items[key]

    def click(self, label: str) -> None:
        x, y, w, h = self.rect("button", label)
        self.click_at(x + w // 2, y + h // 2)

    def fill(self, field: str, text: str) -> None:
        """Click a console field and type into it."""
        x, y, w, h = self.rect("umpire field", field)
        self.click_at(x + w // 2, y + h // 2)
        self.type(text)

    def choose(self, field: str, option: int) -> None:
        """Open a console drop-down and click its option number `option` (from 0): the options open in rows
        of OPTION_ROW pixels under the menu (pygame_gui's list at the UI scale 1 this window uses)."""
        x, y, w, h = self.rect("umpire field", field)
        self.click_at(x + w // 2, y + h // 2)
        time.sleep(0.3)
        self.click_at(x + w // 2, y + h + OPTION_ROW * option + OPTION_ROW // 2)

    def screenshot(self, out: Path) -> None:
        self.key("F12")
        shot = Path(self.wait_for("screenshot ").split(" ", 1)[1])
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, out)
        say(f"screenshot {out}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def umpire_in(game: Game, first: bool) -> None:
    """U at the map: the umpire's hand-off, the PIN set (the first time) or typed, the console."""
    game.key("u")
    game.wait_for("shown handoff")
    if first:
        game.click("Set the umpire's PIN")
    time.sleep(ARM)
    game.type(UMPIRE_PIN)
    game.key("Return")
    game.wait_for("shown umpire")
    game.drain(0.5)


def rule(game: Game, button: str) -> str:
    game.click(button)
    line = game.wait_for("umpire says ")
    if "On the record" not in line:
        raise SystemExit(f"error: the umpire's ruling was refused: {line}")
    say(line.removeprefix("umpire says "))
    return line


def tab(game: Game, label: str) -> None:
    game.click(label)
    game.drain(0.6)


def scripted_inject_and_live_inject(game: Game) -> None:
    umpire_in(game, first=True)
    game.fill("reason", "The ministers' meeting is today's news for every team")
    rule(game, "Fire it now")
    tab(game, "Write inject")
    game.fill("title", "Crowds gather in Hama's squares")
    game.fill("message", "Local councils ask HTS to keep the water stations running")
    game.fill("reason", "A live inject: the civil side of the advance")
    game.choose("audience", 2)  # everyone, government_team, hts_team, ...: told to HTS alone
    rule(game, "Send the inject")
    game.key("Escape")
    game.wait_for("shown game")


def override(game: Game) -> None:
    umpire_in(game, first=False)
    tab(game, "Support")
    game.fill("value", "0.35")
    game.fill("reason", "Russian aircraft are flying for another front this week")
    rule(game, "Rule (on the record)")
    game.key("Escape")
    game.wait_for("shown game")


def matrix_action(game: Game, out: Path) -> None:
    umpire_in(game, first=False)
    tab(game, "Matrix action")
    game.choose("team", 1)  # the HTS team
    game.fill("action", "Negotiate the handover of Homs with its notables")
    game.fill("arguments", "the garrison is cut off; notables want no street fighting")
    game.fill("counter", "the government still holds the military academy")
    game.fill("mod1", "+1")
    game.fill("mod1_why", "mediators from Rastan are trusted")
    game.fill("outcome", "Homs notables open talks")
    game.fill("reason", "well argued; the counter-argument weighs too")
    rule(game, "Roll 2d6 and rule")
    time.sleep(0.5)
    game.screenshot(out / "classroom-umpire.png")
    game.key("Escape")
    game.wait_for("shown game")


def play(display: str, data: Path, out: Path) -> Path:
    """The session; returns the after-action report's path."""
    (data / "config").mkdir(parents=True, exist_ok=True)
    (data / "config" / "settings.json").write_text('{"confirm_end_turn": false, "animation_speed": 0.0}')
    game = Game(display, data, str(SCENARIO))
    try:
        game.wait_for("shown setup", 90)
        time.sleep(0.5)
        game.key("1", "2", "4")  # the set-up's team rows: the government's, HTS's and the SNA's teams, human
        time.sleep(0.5)
        game.key("Return")
        actions = {(2, 0): scripted_inject_and_live_inject, (3, 1): override}
        for turn in range(1, TURNS + 2):
            for seat in range(3):
                game.wait_for("shown handoff", 90)
                if turn == 1:
                    game.click("Set a PIN for this team")
                time.sleep(ARM)
                game.type(PINS[seat])
                game.key("Return")
                if turn > 1:
                    game.wait_for("shown report")
                    time.sleep(ARM)
                    game.key("Return")
                game.wait_for("shown game")
                time.sleep(0.4)
                if turn > TURNS:
                    game.key("Escape")
                    game.wait_for("shown menu")
                    game.click("After-action report")
                    line = game.wait_for("report written ", 300)
                    return Path(line.split(" ", 2)[2])
                if (turn, seat) in actions:
                    actions[(turn, seat)](game)
                if (turn, seat) == (4, 2):
                    matrix_action(game, out)
                game.key("Return")
                say(f"turn {turn}: seat {seat + 1} ended its sitting")
            game.wait_for(f"turn {turn} resolved", 120)
        raise SystemExit("error: the session ended without a report")
    finally:
        game.stop()


def fog_shot(display: str, data: Path, log: Path, out: Path) -> None:
    """The game's log in the desktop replay viewer, in the HTS team's view, at its last turn."""
    game = Game(display, data, "replay", str(log), "--view", "--team", "hts_team")
    try:
        game.wait_for("shown replay", 120)
        time.sleep(1.0)
        game.key("End")
        time.sleep(0.5)
        game.key("Left", "Left")  # the start of turn 4: the matrix action HTS argued, and what HTS saw
        time.sleep(1.5)
        game.screenshot(out / "classroom-team-fog.png")
    finally:
        game.stop()


def chromium_shot(report: Path, out: Path) -> None:
    """The report in headless Chromium (selenium and chromedriver, as tests/net/test_browser.py drives it):
    every image loaded, then the umpire's records section shown; without selenium, Chromium's own
    --screenshot of the page's top."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("error: chromium is not installed (apt-get install chromium)")
    shot = out / "classroom-report.png"
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--screenshot={shot}", "--window-size=1280,1500", report.resolve().as_uri()],
                       capture_output=True, timeout=120, check=True)
        say(f"screenshot {shot} (Chromium's own, the page's top: selenium is not installed)")
        return
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=opts)
    try:
        driver.get(report.resolve().as_uri())
        images = driver.execute_script("return [...document.images].map(i => i.complete && i.naturalWidth > 0)")
        say(f"report in Chromium: {sum(images)} of {len(images)} images loaded")
        if not images or not all(images):
            raise SystemExit("error: the report's images did not all load in Chromium")
        driver.execute_script("document.getElementById('umpire').scrollIntoView({block: 'start'})")
        time.sleep(0.5)
        driver.save_screenshot(str(shot))
    finally:
        driver.quit()
    say(f"screenshot {shot}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the screenshots")
    ap.add_argument("--keep", type=Path, default=None, help="keep the game's data (saves, log, report) here")
    args = ap.parse_args(argv)
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            print(f"error: {tool} is not installed", file=sys.stderr)
            return 2
    data = args.keep or Path(tempfile.mkdtemp(prefix="classroom-"))
    display = Display()
    try:
        report = play(display.name, data, args.out)
        log = report.with_name(report.name.removesuffix("-report.html") + ".jsonl")
        say(f"report {report}; log {log}")
        fog_shot(display.name, data, log, args.out)
    finally:
        display.stop()
    chromium_shot(report, args.out)
    check = subprocess.run([sys.executable, "main.py", "replay", str(log)], cwd=ROOT, capture_output=True, text=True)
    say(f"python main.py replay LOG: {check.stdout.strip().splitlines()[-1] if check.stdout else check.stderr}")
    return check.returncode


if __name__ == "__main__":
    sys.exit(main())
