"""tools/readme_shots.py (the README's screenshots) runs headless into a folder it is given and writes its four
PNGs at the window's size. Run in a child process (the tool sets its own folders and display at import), with
its pauses for the drawing threads left out: they only make the shots settle, and take most of its 20 s."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pygame

ROOT = Path(__file__).resolve().parents[2]
RUN = """
import sys, types
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import readme_shots
readme_shots.time = types.SimpleNamespace(sleep=lambda seconds: None)
readme_shots.main(Path(sys.argv[1]))
"""


def test_readme_shots_writes_its_pngs_headless(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    readme = {p: p.stat().st_mtime_ns for p in (ROOT / "docs" / "screenshots").glob("*.png")}
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    proc = subprocess.run([sys.executable, "-c", RUN, str(out), str(ROOT / "tools")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "UI scale 1.25" in proc.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == ["orders.png", "preview.png", "report.png", "supply.png"]
    images = {name: pygame.image.load(str(out / name)) for name in names}
    for name, img in images.items():
        assert img.get_size() == (1600, 1000), name
        colours = {tuple(img.get_at((x, y))) for x in range(0, 1600, 97) for y in range(0, 1000, 61)}
        assert len(colours) > 20, f"{name} is nearly blank"
    assert pygame.image.tobytes(images["preview.png"], "RGB") != pygame.image.tobytes(images["supply.png"], "RGB")
    assert {p: p.stat().st_mtime_ns for p in readme} == readme, "the README's own shots are left alone"
