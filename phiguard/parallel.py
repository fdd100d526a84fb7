"""`--jobs N`: scan files in N worker processes, each with one loaded model, reports in input order.

Workers get chunks of paths and send back their FileReports with the files as they read them; chunks are
reported in the order they were submitted, so the output is the same for every N. Few files are scanned in this process:
starting workers costs more than it saves below MIN_PARALLEL_FILES.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator

from .errors import debug_trace, internal_error
from .discover import STDIN, STDIN_NAME, Source, read, read_input
from .policy.rules import Rule
from .scanner import FileReport, Scanner
from .sources.options import SourceOptions

MIN_PARALLEL_FILES = 100
CHUNK_FILES = 32

_worker_scanner: Scanner | None = None


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers_for(jobs: int, files: list) -> int:
    """How many processes to use: 1 (in-process) for few files, stdin, texts, or --jobs 1."""
    if jobs <= 1 or len(files) < MIN_PARALLEL_FILES or STDIN in files or STDIN_NAME in files or \
            not all(isinstance(f, str) for f in files):
        return 1
    return min(jobs, -(-len(files) // CHUNK_FILES))


def _start_worker(model: str, rules: list[Rule], options: SourceOptions,
                  languages: tuple[tuple[str, str], ...]) -> None:
    global _worker_scanner
    _worker_scanner = Scanner(model, rules, options, languages)
    _worker_scanner.load()  # forked workers inherit the parent's loaded model; spawned ones load it here


def _scan_chunk(paths: list[str]) -> list[tuple[FileReport, Source]]:
    """Each report with the file as the worker read it: the verdict is cached and suppressed against
    exactly what was scanned, even if the file changes meanwhile. (A chunk whose scan fails as a whole is
    scanned again file by file by _pooled.)"""
    assert _worker_scanner is not None
    return _scanned(_worker_scanner, paths)


def _scanned(scanner: Scanner, paths: list[str]) -> list[tuple[FileReport, Source]]:
    sources: list[Source] = []

    def feed() -> Iterator[Source]:
        for path in paths:
            sources.append(read(path))
            yield sources[-1]

    reports = list(scanner.scan(feed()))
    return list(zip(reports, sources))


def _context():
    # fork shares the already loaded model copy-on-write; elsewhere (macOS, Windows) workers load their own
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def scan_files(scanner: Scanner, paths: list[str], jobs: int) -> Iterator[tuple[FileReport, Source]]:
    """(report, file) for each path in order, from `jobs` processes (see workers_for). Files are read as
    the scan reaches them and dropped once reported: memory does not grow with their number."""
    workers = workers_for(jobs, paths)
    if workers == 1:
        in_flight: deque[Source] = deque()

        def feed() -> Iterator[Source]:
            for path in paths:
                in_flight.append(read_input(path))
                yield in_flight[-1]

        for report in scanner.scan(feed()):
            yield report, in_flight.popleft()
        return
    chunks = [paths[i:i + CHUNK_FILES] for i in range(0, len(paths), CHUNK_FILES)]
    yield from _pooled((scanner.model, scanner.rules, scanner.options, scanner.languages), chunks, workers)


class _Pool:
    """Worker processes that can be started again: a worker that dies (killed for memory, a crash in a native
    library) breaks a process pool, and the next one starts fresh."""

    def __init__(self, workers: int, initargs: tuple) -> None:
        self.workers, self.initargs, self.executor = workers, initargs, None

    def submit(self, chunk: list[str]):
        if self.executor is None:
            self.executor = ProcessPoolExecutor(self.workers, mp_context=_context(), initializer=_start_worker,
                                                initargs=self.initargs)
        return self.executor.submit(_scan_chunk, chunk)

    def restart(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = None


def _pooled(initargs: tuple, chunks: list[list[str]], workers: int) -> Iterator[tuple[FileReport, Source]]:
    """Chunks in order, at most two per worker in flight (memory stays flat). When the pool breaks, the chunks
    in flight are scanned again file by file, and a file that breaks the pool again is that file's error."""
    pool, todo, in_flight = _Pool(workers, initargs), deque(chunks), deque()
    try:
        while todo or in_flight:
            while todo and len(in_flight) < 2 * workers:
                chunk = todo.popleft()
                in_flight.append((chunk, pool.submit(chunk)))
            chunk, future = in_flight.popleft()
            try:
                yield from future.result()
            except BrokenProcessPool:
                retry = [chunk] + [c for c, _ in in_flight]
                in_flight.clear()
                pool.restart()
                for path in (p for c in retry for p in c):
                    yield from _alone(pool, path)
            except Exception:  # noqa: BLE001 - a result that could not come back: its files one by one
                debug_trace()
                for path in chunk:
                    yield from _alone(pool, path)
    finally:
        pool.restart()


def _alone(pool: _Pool, path: str) -> list[tuple[FileReport, Source]]:
    try:
        return pool.submit([path]).result()
    except BrokenProcessPool:
        pool.restart()
        return [(FileReport(path, error=WORKER_DIED), Source(path, None))]
    except Exception:  # noqa: BLE001 - this file's error, not the run's
        return [(FileReport(path, error=internal_error("worker")), Source(path, None))]


WORKER_DIED = "not checked: the worker process scanning it stopped (out of memory?); scan it alone with --jobs 1"
