"""Runs match runs in the API process, off the request: each run is an asyncio task started
once the request that created it has committed (so the task finds the row)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from sqlalchemy import event
from sqlmodel.ext.asyncio.session import AsyncSession

from service.matchruns import service


class MatchRunner:
    """The app's running match runs. Tasks are kept referenced until they end."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.tasks: set[asyncio.Task[Any]] = set()
        self.sweeper: asyncio.Task[Any] | None = None

    def sweep_interrupted(self, seconds: float = service.STALL_SECONDS) -> None:
        """At start-up: fail the runs a dead process left unfinished (``service``'s docstring).
        In the background, so that start-up does not wait for it."""
        self.sweeper = asyncio.get_running_loop().create_task(
            service.sweep_interrupted(self.app.state.sessionmaker, seconds=seconds),
            name="jobcircle-match-run-sweep",
        )

    def stop_sweeping(self) -> None:
        if self.sweeper is not None:
            self.sweeper.cancel()

    def start(self, run_id: str, people: Sequence[str]) -> None:
        state = self.app.state
        task = asyncio.get_running_loop().create_task(
            service.execute(
                state.sessionmaker,
                state.search,
                state.reference,
                run_id,
                people,
                workers=state.settings.match_workers,
            ),
            name=f"jobcircle-match-run-{run_id}",
        )
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def start_after_commit(self, session: AsyncSession, run_id: str, people: Sequence[str]) -> None:
        def started(_: Any) -> None:
            self.start(run_id, people)

        event.listen(session.sync_session, "after_commit", started, once=True)

    async def wait(self) -> None:
        """Until every run under way has ended (tests, shutdown)."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)


def runner_for(app: Any) -> MatchRunner:
    runner = getattr(app.state, "match_runner", None)
    if runner is None:
        runner = app.state.match_runner = MatchRunner(app)
    return runner
