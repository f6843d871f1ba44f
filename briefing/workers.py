"""Forked worker processes that Ctrl-C stops cleanly: no traceback from any process."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def worker_pool(
    workers: int, initializer: Callable | None = None, initargs: tuple = ()
) -> Iterator:
    """A ProcessPoolExecutor of forked workers. Ctrl-C ends the workers at once, and reaches
    this process as KeyboardInterrupt only once the pool is shut down: raised inside it, it
    breaks the pool's own bookkeeping, which then prints tracebacks of its own."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Blocked here, Ctrl-C waits (pending) until the pool is closed; the workers, forked with
    # it blocked, take it back as a plain program would: it ends them.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(initializer, initargs),
        ) as pool:
            yield pool
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if initializer is not None:
        initializer(*initargs)
