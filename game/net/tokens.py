"""Session tokens: random (secrets), held only in the host's memory, so they end with the session (a
restarted host asks every team for its PIN again), and they expire after `ttl` seconds regardless."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

TEAM, UMPIRE_ROLE, PROJECTOR = "team", "umpire", "projector"


@dataclass(frozen=True)
class Grant:
    """What one token may see: a role and, for a team, which team."""

    role: str
    team: str
    expires: float


@dataclass
class Tokens:
    ttl: float = 12 * 3600.0
    grants: dict[str, Grant] = field(default_factory=dict)

    def issue(self, role: str, team: str, now: float) -> str:
        token = secrets.token_urlsafe(32)
        self.grants[token] = Grant(role, team, now + self.ttl)
        return token

    def check(self, token: str | None, now: float) -> Grant | None:
        """The token's grant, or None when it is unknown or expired (an expired one is forgotten)."""
        if not token or len(token) > 200:
            return None
        grant = self.grants.get(token)
        if grant is None:
            return None
        if now >= grant.expires:
            del self.grants[token]
            return None
        return grant

    def check_grant(self, grant: Grant, now: float) -> bool:
        """Whether a socket's grant still holds (its token not expired)."""
        return now < grant.expires and grant in self.grants.values()
