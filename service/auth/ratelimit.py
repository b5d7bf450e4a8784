"""In-process rate limits and login backoff.

Each worker process keeps its own counters: with N workers the effective limit is up to N
times the configured one. A shared store (Redis) is the step for larger deployments.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

MAX_BACKOFF_SECONDS = 15 * 60
PRUNE_ABOVE = 10_000  # keys kept before stale ones are swept


@dataclass
class SlidingWindow:
    """At most ``limit`` events per ``window`` seconds per key."""

    limit: int
    window: float
    _events: dict[str, deque[float]] = field(default_factory=dict)

    def hit(self, key: str, now: float | None = None) -> float:
        """Record an event; return 0 if allowed, else the seconds until one is allowed."""
        now = time.monotonic() if now is None else now
        if len(self._events) > PRUNE_ABOVE:
            self._prune(now)
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            return events[0] + self.window - now
        events.append(now)
        return 0.0

    def _prune(self, now: float) -> None:
        stale = [
            k for k, events in self._events.items() if not events or events[-1] <= now - self.window
        ]
        for key in stale:
            del self._events[key]


@dataclass
class LoginBackoff:
    """After ``free_failures`` failed logins for a username, each further try must wait
    2, 4, 8, ... seconds (capped); a success clears the record."""

    free_failures: int
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    def wait_seconds(self, username: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        count, last = self._failures.get(username, (0, 0.0))
        if count < self.free_failures:
            return 0.0
        delay = min(MAX_BACKOFF_SECONDS, 2 ** (count - self.free_failures + 1))
        return max(0.0, last + delay - now)

    def failed(self, username: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if len(self._failures) > PRUNE_ABOVE:
            cutoff = now - MAX_BACKOFF_SECONDS
            for name in [n for n, (_, last) in self._failures.items() if last < cutoff]:
                del self._failures[name]
        count, _ = self._failures.get(username, (0, 0.0))
        self._failures[username] = (count + 1, now)

    def succeeded(self, username: str) -> None:
        self._failures.pop(username, None)


@dataclass
class Limits:
    token_per_client: SlidingWindow
    registration_per_client: SlidingWindow
    login_backoff: LoginBackoff
