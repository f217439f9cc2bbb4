"""The app's own pages and assets, read once from this package's `assets/` folder by fixed names: a
request names an entry of this table, never a file, so nothing else on the host can be served."""

from __future__ import annotations

from pathlib import Path

from starlette.responses import Response

FOLDER = Path(__file__).resolve().parent / "assets"
PAGES = {"/": "join", "/team": "team", "/projector": "projector", "/umpire": "umpire"}
"""Every page path and the role its script plays; one HTML shell serves them all."""
TYPES = {"app.js": "text/javascript; charset=utf-8", "rulings.js": "text/javascript; charset=utf-8",
         "style.css": "text/css; charset=utf-8"}
SHELL = (FOLDER / "page.html").read_text(encoding="utf-8")
ASSETS = {name: (FOLDER / name).read_bytes() for name in TYPES}
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
           "Content-Security-Policy": "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
                                      "style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'"}


def page(path: str) -> Response:
    """The shell of a known page (404 for anything else)."""
    role = PAGES.get(path)
    if role is None:
        return Response("not found", 404, headers=HEADERS)
    return Response(SHELL.replace("{{PAGE}}", role), media_type="text/html; charset=utf-8",
                    headers=HEADERS | {"Cache-Control": "no-store"})


def asset(name: str) -> Response:
    """One of the app's assets by its name in the table (404 for any other name)."""
    if name not in ASSETS:
        return Response("not found", 404, headers=HEADERS)
    return Response(ASSETS[name], media_type=TYPES[name], headers=HEADERS | {"Cache-Control": "no-cache"})
