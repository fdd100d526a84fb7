"""A progress bar on stderr for long scans at a terminal: never in CI, when stderr is redirected, or for one file."""
from __future__ import annotations

import os
import sys
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")
_END = object()


def wanted(total: int, stream=None) -> bool:
    stream = stream if stream is not None else sys.stderr
    return total > 1 and not os.environ.get("CI") and stream.isatty()


def track(items: Iterable[T], total: int, stream=None) -> Iterator[T]:
    """Yield `items` unchanged, showing 'scanning n/total files' while they come (when `wanted`)."""
    if not wanted(total, stream):
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    items = iter(items)
    first = next(items, _END)  # start the work (and fork any workers) before the bar starts its thread
    if first is _END:
        return
    console = Console(file=stream if stream is not None else sys.stderr)
    columns = (TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TextColumn("files"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("scan", total=total)
        yield first
        progress.advance(task)
        for item in items:
            yield item
            progress.advance(task)
