"""How a stage runs: work spread over the machine's cores (issues 7 and 15). markdown-it-py,
YAML reading, the checks and WeasyPrint are pure Python, so threads would not help; forked
processes do. The stages call `run_all`; they do not know whether it forked.

`run_all(function, shared, items)` returns `[function(shared, item) for item in items]`.
From PARALLEL_FROM items on, and where the system can fork, the work runs in a pool of
forked processes (SITE_GEN_JOBS sets their number; the default is one a core). `shared` is
not sent to them: they inherit it when they fork, so it may hold anything, and only each
item and each result crosses between processes (keep both small).
"""
from __future__ import annotations

from .i18n import _
import gc
import os
from typing import Callable, Sequence, TypeVar

from .lazy import lazy

# A pool is started only when there is much to do (lazy.py).
multiprocessing, process = lazy("multiprocessing"), lazy("concurrent.futures.process")

PARALLEL_FROM = 64          # items; below this a pool costs more than it saves
CHUNK = 16

Shared, Item, Result = TypeVar("Shared"), TypeVar("Item"), TypeVar("Result")

# Set only inside the worker processes, by the pool's initializer; the parent keeps no state.
_WORK: tuple | None = None


def die_with_parent() -> None:
    """Ask Linux to kill this process when the build that started it dies, so that a killed
    build leaves no worker or Pagefind behind writing into its staging folder. Elsewhere a
    no-op. Used as a pool initializer and as subprocess's preexec_fn."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, 9)          # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):          # pragma: no cover - not Linux
        pass


class WorkerDied(OSError):
    """A worker process was ended from outside (the system ran out of memory, or someone
    killed it): the build stops at once instead of waiting for its work forever."""


class JobsError(ValueError):
    """SITE_GEN_JOBS is set to something that is not a number of processes: a usage error."""


def jobs_wanted(jobs: int | None = None) -> int:
    """`jobs`, else SITE_GEN_JOBS, else one a core. Raises JobsError for a bad SITE_GEN_JOBS."""
    setting = os.environ.get("SITE_GEN_JOBS", "").strip()
    if not jobs and setting:
        if not setting.isdigit() or int(setting) < 1:
            raise JobsError(_("SITE_GEN_JOBS is '{setting}'; set it to a number of processes (1 or "
                               "more), or unset it to use one a core").format(setting=setting))
        jobs = int(setting)
    return jobs or os.cpu_count() or 1


def run_all(function: Callable[[Shared, Item], Result], shared: Shared,
            items: Sequence[Item], jobs: int | None = None,
            parallel_from: int = PARALLEL_FROM) -> list[Result]:
    jobs = jobs_wanted(jobs)
    if jobs < 2 or len(items) < parallel_from \
            or "fork" not in multiprocessing.get_all_start_methods():
        return [function(shared, item) for item in items]
    # Frozen objects are left alone by the workers' collector, so their memory pages stay
    # shared with the parent instead of being copied on the first collection.
    gc.collect()
    gc.freeze()
    try:
        # concurrent.futures notices a worker that dies (multiprocessing.Pool would wait
        # for its lost work forever) and ends the others. With "fork", the initializer's
        # arguments are inherited, never pickled.
        with process.ProcessPoolExecutor(min(jobs, len(items)), initializer=_start_worker,
                                 initargs=(function, shared),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_call, items, chunksize=max(1, min(CHUNK, len(items) // jobs))))
    except process.BrokenProcessPool:
        raise WorkerDied(_("a worker process of the build was stopped from outside (out of "
                            "memory?). Close other programs or set SITE_GEN_JOBS=1, then build again")) from None
    finally:
        gc.unfreeze()


def _start_worker(function, shared) -> None:
    global _WORK
    die_with_parent()
    _WORK = (function, shared)


def _call(item):
    function, shared = _WORK
    return function(shared, item)
