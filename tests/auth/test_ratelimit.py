from __future__ import annotations

from service.auth.ratelimit import MAX_BACKOFF_SECONDS, PRUNE_ABOVE, LoginBackoff, SlidingWindow


def test_sliding_window_allows_limit_then_waits() -> None:
    window = SlidingWindow(limit=3, window=60)
    assert [window.hit("a", now=t) for t in (0, 1, 2)] == [0, 0, 0]
    assert window.hit("a", now=3) == 57  # the first event leaves the window at 60
    assert window.hit("b", now=3) == 0  # other keys are counted apart
    assert window.hit("a", now=60.5) == 0


def test_backoff_doubles_after_free_failures_and_clears_on_success() -> None:
    backoff = LoginBackoff(free_failures=2)
    backoff.failed("u", now=0)
    assert backoff.wait_seconds("u", now=0) == 0
    backoff.failed("u", now=0)
    assert backoff.wait_seconds("u", now=0) == 2
    backoff.failed("u", now=10)
    assert backoff.wait_seconds("u", now=10) == 4
    for _ in range(30):
        backoff.failed("u", now=10)
    assert backoff.wait_seconds("u", now=10) == MAX_BACKOFF_SECONDS
    backoff.succeeded("u")
    assert backoff.wait_seconds("u", now=10) == 0


def test_stale_keys_are_swept() -> None:
    window = SlidingWindow(limit=1, window=1)
    for i in range(PRUNE_ABOVE + 5):
        window.hit(f"ip{i}", now=0)
    window.hit("fresh", now=5)
    assert len(window._events) == 1
