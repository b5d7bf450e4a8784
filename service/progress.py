"""The progress bars of the long commands (demo, embed, reindex, import): one look for all."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def progress_bars(console: Console, *, disable: bool = False) -> Progress:
    """Label, bar, done/total and time elapsed, one line per task."""
    return Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=disable,
    )
