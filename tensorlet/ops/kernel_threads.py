"""Threads and scratch memory for the chunked kernels (convolutions, pooling, depthwise).

NumPy releases the GIL inside its loops and BLAS calls, so a kernel that splits its work into
independent chunks can run them on the calling thread plus a small pool of helper threads.
Chunks are handed out one at a time, so a helper that the OS does not schedule (a busy
machine) costs at most one chunk.

GEMM chunks (``blas=True``) additionally switch BLAS to one thread while the chunks run: each
core then copies its own im2col columns and multiplies them, instead of all cores waiting for
one copy and then splitting one small GEMM (measured on the project's 2-core VM: 32->64 3x3
conv forward on 128x26x26, 10.3 -> 8.2 ms; see benchmarks/README.md).
"""

import concurrent.futures
import os
import threading

from tensorlet.backend import blas_threads, xp

__all__ = ["parallel_for", "scratch", "workers"]

PARALLEL_MIN_BYTES = 1 << 21  # smaller inputs run on the calling thread only
SCRATCH_MAX = 1 << 26  # scratch buffers larger than this are not kept between calls

_scratch_local = threading.local()
_pool_state = {"pid": None, "pool": None, "size": 1}
_pool_lock = threading.Lock()
_in_pool = threading.local()
_DONE = object()


def scratch(slot, n, dtype):
    """A flat buffer of ``n`` elements, reused per thread and slot (callers view it; never
    returned to users).  Reuse avoids page-faulting fresh megabytes on every call."""
    bufs = getattr(_scratch_local, "bufs", None)
    if bufs is None:
        bufs = _scratch_local.bufs = {}
    key = (slot, dtype)
    buf = bufs.get(key)
    if buf is None or buf.size < n:
        buf = xp.empty(max(n, 1), dtype)
        if buf.nbytes <= SCRATCH_MAX:
            bufs[key] = buf
    return buf[:n]


def _helpers():
    """(executor, number of helper threads) for this process (re-created after a fork)."""
    st = _pool_state
    if st["pid"] != os.getpid():
        with _pool_lock:
            if st["pid"] != os.getpid():
                try:
                    cores = len(os.sched_getaffinity(0))
                except (AttributeError, OSError):
                    cores = os.cpu_count() or 1
                size = max(0, min(cores, 8) - 1)
                st["pool"] = (
                    concurrent.futures.ThreadPoolExecutor(
                        size, "tensorlet-kernel", initializer=_mark_helper
                    )
                    if size
                    else None
                )
                st["size"], st["pid"] = size, os.getpid()
    return st["pool"], st["size"]


def _mark_helper():
    _in_pool.active = True


def workers(items, nbytes, blas=False):
    """How many threads ``parallel_for`` would use for these arguments (1 = the caller only)."""
    if nbytes < PARALLEL_MIN_BYTES or len(items) < 2 or getattr(_in_pool, "active", False):
        return 1
    if blas and blas_threads is None:
        return 1
    pool, size = _helpers()
    return 1 + min(size, len(items) - 1) if pool is not None else 1


def parallel_for(fn, items, nbytes, blas=False):
    """Calls ``fn(item)`` for every item, spread over helper threads when ``nbytes`` (the data
    touched) is large; exceptions propagate.  Nested calls run serially.

    ``blas=True`` marks chunks that call GEMMs: they run in parallel only where BLAS can be
    held to one thread meanwhile (else one after the other, with BLAS's own threads)."""
    n = workers(items, nbytes, blas)
    if n == 1:
        for item in items:
            fn(item)
        return
    pool, _ = _helpers()
    it = iter(items)
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                item = next(it, _DONE)
            if item is _DONE:
                return
            fn(item)

    limit = blas_threads.limit(1) if blas else None
    if limit is not None:
        limit.__enter__()
    try:
        futures = [pool.submit(work) for _ in range(n - 1)]
        try:
            work()
        except BaseException:
            with lock:  # stop the helpers early
                for _ in it:
                    pass
            raise
        finally:
            for f in futures:
                f.result()
    finally:
        if limit is not None:
            limit.__exit__(None, None, None)
