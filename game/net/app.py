"""The session server: a Starlette app over one hosted game. Pages and assets are the app's own (a fixed
table, never a file a client names); every API call and WebSocket message is answered from the caller's
grant (its token: a team, the umpire or the projector), checked per request; PINs are rate-limited.

A team page, the projector and the umpire's console open `/ws`, say hello with their token, and are
sent their own state whenever the game changes; actions are plain POSTs with the token in the
`Authorization: Bearer` header (no cookies, so no cross-site requests ride on them)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from game.engine.sight import UMPIRE
from game.session.hosted import HostedGame
from game.session.options import attack_preview
from game.session.pins import PinLimiter
from game.sim.umpiring import PlanError, ruling_of

from . import pages
from .maps import MapCache
from .payloads import public_payload, public_view, team_payload, umpire_payload
from .tokens import PROJECTOR, TEAM, UMPIRE_ROLE, Grant, Tokens

MAX_BODY = 16 * 1024
SAVE_EVERY_S = 5.0
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
                               "style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Host:
    """The running session: the game, the tokens, the PIN limiter, the map pictures and the open sockets."""

    game: HostedGame
    clock: Callable[[], float] = time.time
    tokens: Tokens = field(default_factory=Tokens)
    limiter: PinLimiter = field(default_factory=PinLimiter)
    team_limiter: PinLimiter = field(default_factory=lambda: PinLimiter(allowed=20))
    sockets: dict[WebSocket, Grant] = field(default_factory=dict)
    maps: MapCache | None = None
    join_url: str = ""
    saved_at: float = 0.0

    def __post_init__(self) -> None:
        self.maps = self.maps or MapCache(self.game)

    def payload(self, grant: Grant) -> dict[str, Any]:
        now = self.clock()
        if grant.role == TEAM:
            return team_payload(self.game, grant.team, now)
        if grant.role == UMPIRE_ROLE:
            return umpire_payload(self.game, now)
        return public_payload(self.game, now) | {"join": self.join_url, "code": self.game.code}

    async def push(self) -> None:
        """Send every open socket its own state (worked out once per seat: a team's browsers share it)."""
        made: dict[tuple[str, str], str] = {}
        for ws, grant in list(self.sockets.items()):
            if self.tokens.check_grant(grant, self.clock()):
                seat = (grant.role, grant.team)
                if seat not in made:
                    made[seat] = json.dumps({"type": "state", "state": self.payload(grant)})
                with contextlib.suppress(Exception):
                    await ws.send_text(made[seat])
            else:
                self.sockets.pop(ws, None)
                with contextlib.suppress(Exception):
                    await ws.close(code=4401)

    async def tick(self) -> None:
        """The clock: end a turn whose time is up, and push; while a turn is open, save its time left every
        few seconds, so a restarted host gives back about the time there was."""
        now = self.clock()
        if self.game.tick(now):
            self.changed()
            await self.push()
        elif self.game.phase == "open" and now - self.saved_at >= SAVE_EVERY_S:
            self.changed()

    def changed(self) -> None:
        """The game changed: save it now (drafts included)."""
        self.saved_at = self.clock()
        self.game.save(self.saved_at)


def _respond(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=HEADERS)


def _refused(status: int, message: str) -> JSONResponse:
    return _respond({"error": message}, status)


def grant_of(host: Host, request: Request, *roles: str) -> Grant:
    """The caller's grant from its bearer token, for one of `roles`; Refusal otherwise."""
    auth = request.headers.get("authorization", "")
    token = auth[7:] if auth.lower().startswith("bearer ") else None
    grant = host.tokens.check(token, host.clock())
    if grant is None:
        raise Refusal(401, "not joined (or the session was restarted): join again with your PIN")
    if grant.role not in roles:
        raise Refusal(403, "not for your seat")
    return grant


async def body_of(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise Refusal(413, "request too large")
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        raise Refusal(400, "expected JSON") from None
    if not isinstance(data, dict):
        raise Refusal(400, "expected a JSON object")
    return data


def text_field(data: dict[str, Any], key: str, limit: int = 400, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise Refusal(400, f"{key}: expected text of {1 if required else 0} to {limit} characters")
    return value.strip()


def build_app(host: Host) -> Starlette:
    """The Starlette app of one hosted session."""
    game = host.game

    def guarded(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)  # type: ignore[no-any-return]
            except Refusal as exc:
                return _refused(exc.status, str(exc))
        return run

    async def page(request: Request) -> Response:
        return pages.page(request.url.path)

    async def asset(request: Request) -> Response:
        return pages.asset(request.path_params["name"])

    @guarded
    async def join(request: Request) -> Response:
        data = await body_of(request)
        code, team, pin = (str(data.get(k, ""))[:64] for k in ("code", "team", "pin"))
        now = host.clock()
        client = request.client.host if request.client else "?"
        keys = (f"{client}|{team}",)
        wait = max(host.limiter.wait(keys[0], now), host.team_limiter.wait(team, now))
        if wait > 0:
            return _refused(429, f"too many wrong PINs: try again in {int(wait) + 1} seconds")
        if code.strip().upper() != game.code or not game.check_pin(team, pin.strip()):
            host.limiter.failed(keys[0], now)
            host.team_limiter.failed(team, now)
            return _refused(403, "wrong session code, team or PIN")
        host.limiter.succeeded(keys[0])
        role = UMPIRE_ROLE if team == UMPIRE else TEAM
        return _respond({"token": host.tokens.issue(role, team, now), "role": role, "team": team})

    @guarded
    async def join_projector(request: Request) -> Response:
        data = await body_of(request)
        if str(data.get("code", "")).strip().upper() != game.code:
            return _refused(403, "wrong session code")
        return _respond({"token": host.tokens.issue(PROJECTOR, "", host.clock()), "role": PROJECTOR})

    async def qr(request: Request) -> Response:
        """The QR code of the join address (with the session code) for the projector."""
        return Response(qr_svg(f"{host.join_url}/?code={game.code}"), media_type="image/svg+xml", headers=HEADERS)

    async def seats(request: Request) -> Response:
        """The teams to pick from on the join page (names are public)."""
        return _respond({"title": game.state.world.meta.title,
                         "teams": [{"id": s.id, "name": s.name} for s in game.human_seats()]})

    @guarded
    async def state(request: Request) -> Response:
        return _respond(host.payload(grant_of(host, request, TEAM, UMPIRE_ROLE, PROJECTOR)))

    @guarded
    async def map_png(request: Request) -> Response:
        grant = grant_of(host, request, TEAM, UMPIRE_ROLE, PROJECTOR)
        who = grant.team if grant.role == TEAM else UMPIRE if grant.role == UMPIRE_ROLE else "public"
        revision = len(game.records)
        view_of = (lambda: public_view(game)) if who == "public" else (lambda: game.view(who))
        assert host.maps is not None
        png = await run_in_threadpool(host.maps.png, who, revision, view_of)
        return Response(png, media_type="image/png", headers=HEADERS)

    @guarded
    async def spots(request: Request) -> Response:
        grant_of(host, request, TEAM, UMPIRE_ROLE, PROJECTOR)
        assert host.maps is not None
        maps = host.maps
        return _respond(await run_in_threadpool(maps.positions, lambda: public_view(game)))

    def team_action(act: Callable[[str, dict[str, Any]], str | None]) -> Callable[[Request], Any]:
        @guarded
        async def run(request: Request) -> Response:
            grant = grant_of(host, request, TEAM)
            why = act(grant.team, await body_of(request))
            if why:
                return _refused(409, why)
            host.changed()
            await host.push()
            return _respond(host.payload(grant))
        return run

    def plan(team: str, data: dict[str, Any]) -> str | None:
        return game.plan(team, text_field(data, "key", 1000))

    def remove(team: str, data: dict[str, Any]) -> str | None:
        index = data.get("index")
        if type(index) is not int:
            raise Refusal(400, "index: expected a whole number")
        return game.remove(team, index)

    def undo(team: str, data: dict[str, Any]) -> str | None:
        return game.undo(team)

    def ready(team: str, data: dict[str, Any]) -> str | None:
        return game.set_ready(team, data.get("ready") is True)

    @guarded
    async def preview(request: Request) -> Response:
        grant = grant_of(host, request, TEAM)
        place, unit = request.query_params.get("place", "")[:100], request.query_params.get("unit", "")[:100]
        view = game.view(grant.team)
        attackers = [unit] + [o.unit for _, o in game.drafts[grant.team].orders
                              if type(o).__name__ == "Attack" and getattr(o, "target", None) == place
                              and o.unit != unit]  # type: ignore[union-attr]
        result = attack_preview(game.state, view, place, attackers)
        return _respond({"preview": None if result is None else result.to_dict()})

    def umpire_action(act: Callable[[dict[str, Any]], str | None]) -> Callable[[Request], Any]:
        @guarded
        async def run(request: Request) -> Response:
            grant = grant_of(host, request, UMPIRE_ROLE)
            why = act(await body_of(request))
            if why:
                return _refused(409, why)
            host.changed()
            await host.push()
            return _respond(host.payload(grant))
        return run

    def open_turn(data: dict[str, Any]) -> str | None:
        limit = data.get("limit_s")
        if limit is not None and (type(limit) not in (int, float) or limit != limit):
            raise Refusal(400, "limit_s: expected seconds or null")
        return game.open_turn(host.clock(), None if limit is None else float(limit))

    def end_turn(data: dict[str, Any]) -> str | None:
        return game.end_turn()

    def audience(data: dict[str, Any]) -> tuple[str, ...]:
        raw = data.get("audience", ["all"])
        if not isinstance(raw, list) or not all(isinstance(a, str) and len(a) < 100 for a in raw) or len(raw) > 50:
            raise Refusal(400, "audience: expected a list of team ids or 'all'")
        return tuple(raw)

    def inject(data: dict[str, Any]) -> str | None:
        return game.fire_inject(text_field(data, "inject", 100), text_field(data, "reason", required=False),
                                audience(data))

    def new_inject(data: dict[str, Any]) -> str | None:
        return game.new_inject(text_field(data, "title", 200), text_field(data, "message", 2000, False),
                               text_field(data, "reason", required=False), audience(data))

    def ruling(kind: str) -> Callable[[dict[str, Any]], str | None]:
        """An override or matrix action from the console, shaped as a `run --umpire` plan item for the turn
        now: its shape checked here (400), whether it may apply by the engine (409, its refusal)."""
        def act(data: dict[str, Any]) -> str | None:
            try:
                item = ruling_of({**data, "type": kind}, "the ruling", turn=False)
            except PlanError as exc:
                raise Refusal(400, str(exc)) from None
            return game.rule(item)
        return act

    async def socket(ws: WebSocket) -> None:
        await ws.accept()
        grant = None
        try:
            while True:
                msg = await ws.receive_text()
                try:
                    data = json.loads(msg) if len(msg) <= MAX_BODY else None
                except ValueError:
                    data = None
                kind = data.get("type") if isinstance(data, dict) else None
                if kind == "hello" and grant is None:
                    grant = host.tokens.check(str(data.get("token", ""))[:200], host.clock())  # type: ignore[union-attr]
                    if grant is None:
                        await ws.send_json({"type": "error", "error": "not joined: join again with your PIN"})
                        await ws.close(code=4401)
                        return
                    host.sockets[ws] = grant
                    await ws.send_json({"type": "state", "state": host.payload(grant)})
                elif kind == "ping" and grant is not None:
                    await ws.send_json({"type": "pong"})
                elif kind == "state" and grant is not None:
                    await ws.send_json({"type": "state", "state": host.payload(grant)})
                else:
                    await ws.send_json({"type": "error", "error": "unknown message"})
        except WebSocketDisconnect:
            pass
        finally:
            host.sockets.pop(ws, None)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async def clock() -> None:
            while True:
                await asyncio.sleep(0.5)
                with contextlib.suppress(Exception):
                    await host.tick()

        task = asyncio.create_task(clock())
        try:
            yield
        finally:
            task.cancel()
            host.game.save(host.clock())

    routes = [Route(p, page) for p in pages.PAGES] + [
        Route("/assets/{name}", asset),
        Route("/api/seats", seats), Route("/api/qr.svg", qr), Route("/api/join", join, methods=["POST"]),
        Route("/api/projector", join_projector, methods=["POST"]),
        Route("/api/state", state), Route("/api/map.png", map_png), Route("/api/spots", spots),
        Route("/api/team/plan", team_action(plan), methods=["POST"]),
        Route("/api/team/remove", team_action(remove), methods=["POST"]),
        Route("/api/team/undo", team_action(undo), methods=["POST"]),
        Route("/api/team/ready", team_action(ready), methods=["POST"]),
        Route("/api/team/preview", preview),
        Route("/api/umpire/open", umpire_action(open_turn), methods=["POST"]),
        Route("/api/umpire/end", umpire_action(end_turn), methods=["POST"]),
        Route("/api/umpire/inject", umpire_action(inject), methods=["POST"]),
        Route("/api/umpire/new_inject", umpire_action(new_inject), methods=["POST"]),
        Route("/api/umpire/override", umpire_action(ruling("override")), methods=["POST"]),
        Route("/api/umpire/matrix", umpire_action(ruling("matrix")), methods=["POST"]),
        WebSocketRoute("/ws", socket),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def qr_svg(text: str) -> bytes:
    import io

    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="svg", scale=4, border=2)
    return buf.getvalue()
