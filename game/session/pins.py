"""PINs and session codes: random, stored only as salted slow hashes, checked in constant time, and
rate-limited per client and per seat so a PIN cannot be guessed in class time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

ITERATIONS = 60_000
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Session-code letters without the look-alikes (0/O, 1/I)."""
PIN_DIGITS = 4


def new_pin(digits: int = PIN_DIGITS) -> str:
    """A random PIN of `digits` decimal digits."""
    return "".join(secrets.choice("0123456789") for _ in range(digits))


def new_code(length: int = 6) -> str:
    """A short session code to type or read off the projector."""
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(length))


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """'pbkdf2_sha256$iterations$salt$hash' (hex), never the PIN itself."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, ITERATIONS)
    return f"pbkdf2_sha256${ITERATIONS}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str) -> bool:
    """Whether `pin` matches a `hash_pin` string (False for a malformed one)."""
    try:
        kind, iterations, salt, digest = stored.split("$")
        if kind != "pbkdf2_sha256":
            return False
        got = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), bytes.fromhex(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def is_pin_hash(text: object) -> bool:
    """Whether a saved value looks like a `hash_pin` string."""
    if not isinstance(text, str):
        return False
    parts = text.split("$")
    return len(parts) == 4 and parts[0] == "pbkdf2_sha256" and parts[1].isdigit()


@dataclass
class PinLimiter:
    """Failed PIN attempts per key (a client and a seat, and a seat alone): after `allowed` failures within
    `window` seconds the key is locked until the window has passed since the first of them. The clock is
    passed in, so tests need no waiting."""

    allowed: int = 5
    window: float = 60.0
    failures: dict[str, list[float]] = field(default_factory=dict)

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self.failures.get(key, []) if now - t < self.window]
        if kept:
            self.failures[key] = kept
        else:
            self.failures.pop(key, None)
        return kept

    def wait(self, key: str, now: float) -> float:
        """Seconds until `key` may try again (0 when it may now)."""
        recent = self._recent(key, now)
        if len(recent) < self.allowed:
            return 0.0
        return max(0.0, recent[0] + self.window - now)

    def failed(self, key: str, now: float) -> None:
        self._recent(key, now)
        self.failures.setdefault(key, []).append(now)

    def succeeded(self, key: str) -> None:
        self.failures.pop(key, None)
