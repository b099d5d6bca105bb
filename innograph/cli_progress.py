"""The CLI's progress bar: a :class:`~innograph.models.ProgressCallback` drawn on stderr.

Only here is it decided whether to show one (stderr is a terminal); the library just reports.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from innograph.models import ProgressCallback


@contextmanager
def progress_bar(what: str) -> Iterator[ProgressCallback]:
    """A bar titled ``what`` on stderr (stdout stays parseable); hidden when stderr is not a terminal."""
    console = Console(stderr=True)
    with Progress(TextColumn(f"[bold]{what}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task("", total=None)

        def report(done: int, total: int, doing: str) -> None:
            bar.update(task, completed=done, total=total, description=doing[:40])

        yield report
