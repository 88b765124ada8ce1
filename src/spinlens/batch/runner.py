"""Corpus runs: analyse many articles into the store, resumably, on local processes or a Dask cluster.

Workers analyse batches and return JSON; only this process writes to the database, one transaction
per article that also marks its input key done, so a run killed at any moment loses nothing that was
stored and, started again, analyses only what is missing.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..errors import AnalysisError, InputError, SpinlensError, readable
from ..ingest import article_title
from ..pipeline import Analyzer
from ..store.db import ArticleMeta, Store
from ..types import Analysis, Article
from .sources import Item, iter_items, to_article


@dataclass
class Summary:
    stored: int = 0  # new articles written
    duplicates: int = 0  # inputs whose text was already stored
    skipped: int = 0  # inputs processed by an earlier run
    skipped_failed: int = 0  # of those, the ones that failed then
    failed: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def analysed(self) -> int:
        return self.stored + self.duplicates

    def line(self) -> str:
        rate = self.analysed / self.seconds if self.seconds else 0.0
        skipped = f"{self.skipped} skipped (done before"
        if self.skipped_failed:
            skipped += f"; {self.skipped_failed} of them failed, --retry-failed tries them again"
        return (f"done: {self.stored} stored, {self.duplicates} duplicate texts, {skipped}), "
                f"{self.failed} failed; {rate:.2f} articles/s over {self.seconds:.1f} s")


@dataclass(frozen=True)
class Result:
    key: str
    analysis: str | None  # Analysis JSON
    meta: ArticleMeta
    error: str | None


@lru_cache(maxsize=2)
def _analyzer(threads: int, explain: bool = False, min_probability: float | None = None, min_attribution_score: float | None = None) -> Analyzer:
    return Analyzer(threads=threads, explain=explain, min_probability=min_probability, min_attribution_score=min_attribution_score)


def analyze_items(items: list[Item], threads: int = 1, explain: bool = False, min_probability: float | None = None,
                  min_attribution_score: float | None = None) -> list[Result]:
    """Runs in a worker: the models load once per process (cached), articles go through in one batch."""
    # By position, not by key: two items may share a key (an input named twice), and each needs its result.
    articles: list[tuple[int, Article]] = []
    results: list[Result | None] = [None] * len(items)
    for index, item in enumerate(items):
        try:
            articles.append((index, to_article(item)))
        except SpinlensError as error:
            results[index] = Result(item.key, None, ArticleMeta(), str(error))
        except Exception as error:  # a reader bug must not end the run: record it with the input
            results[index] = Result(item.key, None, ArticleMeta(), f"reading failed: {type(error).__name__}: {error}")
    if articles:
        # "return": a fault while analysing one article fails that article alone, with its reason.
        analyses = _analyzer(threads, explain, min_probability, min_attribution_score).analyze_many([article for _, article in articles], errors="return")
        for (index, _), analysis in zip(articles, analyses):
            item = items[index]
            if not isinstance(analysis, Analysis):
                results[index] = Result(item.key, None, ArticleMeta(), _reason(analysis))
                continue
            try:
                # Every stored article has a title: the record's, the page's, the text's headline, the file's name.
                title = item.title or article_title(analysis.article)
                meta = ArticleMeta(item.external_id, item.url, item.outlet, title, item.published)
                results[index] = Result(item.key, analysis.to_json(indent=None), meta, None)
            except Exception as error:  # the JSON of a strange analysis: this input fails, the run goes on
                results[index] = Result(item.key, None, ArticleMeta(), _reason(error))
    done = [result for result in results if result is not None]
    assert len(done) == len(items)  # every item has its result: its failure, or its analysis
    return done


def _reason(error: BaseException) -> str:
    """Why an input failed, as the database records it: the project's own message, or for a fault of
    spinlens's the exception's type and message."""
    if isinstance(error, AnalysisError):
        return f"analysis failed: {type(error.cause).__name__}: {error.cause}"
    if isinstance(error, SpinlensError):
        return re.sub(r"^item \d+: ", "", str(error))  # its place in the worker's batch says nothing here
    return f"analysis failed: {type(error).__name__}: {error}"


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Progress:
    """A Rich bar with rate and ETA on a terminal; a plain line every few seconds otherwise."""

    def __init__(self, total: int | None, enabled: bool) -> None:
        self.enabled = enabled
        self.done = 0
        self.started = self.last = time.perf_counter()
        self.bar = None
        if enabled and sys.stderr.isatty():
            # lazy: rich's progress widgets load only when a terminal shows the bar
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[rate]:.2f} articles/s"), TimeRemainingColumn(), transient=True)
            self.task = self.bar.add_task("analysing", total=total, rate=0.0)
            self.bar.start()

    def advance(self, n: int) -> None:
        self.done += n
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed else 0.0
        if self.bar is not None:
            self.bar.update(self.task, advance=n, rate=rate)
        elif self.enabled and time.perf_counter() - self.last >= 5:
            self.last = time.perf_counter()
            print(f"analysed {self.done} inputs, {rate:.2f} articles/s", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run_batch(
    inputs: list[Path],
    store: Store,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    batch_size: int = 8,
    progress: bool = True,
    retry_failed: bool = False,
    explain: bool = False,
    min_probability: float | None = None,
    min_attribution_score: float | None = None,
) -> Summary:
    if scheduler and engine != "dask":
        raise InputError("a Dask scheduler needs the dask engine (--engine dask)")
    summary = Summary()
    started = time.perf_counter()
    done = store.processed_keys(include_failed=not retry_failed)
    failed_before = set() if retry_failed else {key for key, _ in store.failures()}

    def pending() -> Iterator[Item]:
        # Lazy: a corpus need not fit in memory; only the keys of finished inputs are held.
        for item in iter_items(inputs):
            if item.key in done:
                summary.skipped += 1
                summary.skipped_failed += item.key in failed_before
            else:
                yield item

    bar = _Progress(None, progress)

    def fail(key: str, error: str) -> None:
        reason = readable(error)
        store.record_failure(key, reason)
        summary.failed += 1
        summary.failures.append((key, reason))

    def write(results: list[Result]) -> None:
        for result in results:
            if result.error is not None:
                fail(result.key, result.error)
                continue
            assert result.analysis is not None  # a result without an error holds its analysis
            try:
                _, created = store.add(Analysis.from_json(result.analysis), result.meta, key=result.key)
            except sa.exc.OperationalError:
                raise  # the database itself (gone, locked, full): the run cannot go on
            except (sa.exc.StatementError, UnicodeError, ValueError) as error:
                # What this input holds and the database refuses (a value too wide for PostgreSQL): the input
                # fails with the first line of the reason, and the run goes on.
                fail(result.key, f"the database refused it: {(str(error).splitlines() or [''])[0]}")
                continue
            summary.stored += created
            summary.duplicates += not created
        bar.advance(len(results))

    # What each worker's analyser is asked for: the evidence, and the thresholds of what it keeps.
    task = partial(analyze_items, explain=explain, min_probability=min_probability, min_attribution_score=min_attribution_score)
    try:
        batches = _batches(pending(), batch_size)
        if engine == "dask":
            _run_dask(batches, workers, scheduler, write, task)
        elif workers <= 1:
            for batch in batches:
                write(task(batch))
        else:
            _run_processes(batches, workers, write, task)
    finally:
        bar.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _run_processes(batches: Iterator[list[Item]], workers: int, write: Callable[[list[Result]], None],
                   task: Callable[[list[Item]], list[Result]] = analyze_items) -> None:
    # Bounded in flight, so memory stays flat however large the corpus. Written in input order, so that
    # of two inputs with one text, the first stores its metadata (external id, URL), as in a serial run.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        running: deque[Future[list[Result]]] = deque()
        for batch in batches:
            running.append(pool.submit(task, batch))
            if len(running) >= 2 * workers:
                write(running.popleft().result())
        while running:
            write(running.popleft().result())
    except BaseException:
        # Ctrl+C or an error: stop the workers now. Left to shut down on their own, idle workers kept
        # the interpreter waiting at exit, for ever.
        processes = list(getattr(pool, "_processes", {}).values())  # the executor has no public way
        for process in processes:
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(5)
        raise
    pool.shutdown()


def die_with_parent(parent: int) -> None:
    """Run first in each worker process: the worker ends when the process that started it ends, however it
    ends (kill -9 and the OOM killer included), so no worker outlives its run holding its memory. Linux's
    parent-death signal ends it at once; a thread that watches the parent's pid is the fallback elsewhere,
    and for a parent that died before the signal was set."""
    if sys.platform.startswith("linux"):
        import ctypes  # only Linux has the parent-death signal

        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # no prctl in this libc: the watcher alone
            pass
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="spinlens-watch-parent", daemon=True).start()


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _watch_parent(parent: int, every: float = 1.0) -> None:
    while os.getppid() == parent:  # an orphan is adopted by another process (init or a subreaper)
        time.sleep(every)
    os._exit(1)


def _run_dask(batches: Iterator[list[Item]], workers: int, scheduler: str | None, write: Callable[[list[Result]], None],
              task: Callable[[list[Item]], list[Result]] = analyze_items) -> None:
    try:
        from dask.distributed import Client, LocalCluster  # lazy: the dask engine only (seconds to import)
    except ImportError:
        raise SpinlensError("--engine dask needs dask[distributed]: pip install 'spinlens[corpus]'") from None
    # dask.distributed is not annotated: its client and cluster are Any, at the library's boundary.
    new_client: Callable[..., Any] = Client
    new_cluster: Callable[..., Any] = LocalCluster
    cluster = None
    if scheduler:
        try:
            client = new_client(scheduler)
        except (OSError, ValueError) as error:  # unreachable (after Dask's connect timeout, 30 s), or a malformed address
            raise SpinlensError(readable(f"cannot connect to the Dask scheduler {scheduler}: {error}", 300)) from None
    else:
        cluster = new_cluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None)
        client = new_client(cluster)
    try:
        running: deque[Any] = deque()  # dask futures, written in input order as in _run_processes
        limit = 2 * max(1, len(client.scheduler_info().get("workers", {})) or workers)
        for batch in batches:
            running.append(client.submit(task, batch, pure=False))
            if len(running) >= limit:
                write(running.popleft().result())
        while running:
            write(running.popleft().result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
