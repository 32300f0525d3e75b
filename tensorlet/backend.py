"""The array backend: the one place kernels get their array library from.

Kernels write ``from tensorlet.backend import xp`` and call ``xp.exp``, ``xp.matmul`` ...
Today ``xp`` is NumPy; a CuPy backend can later be swapped in here without touching kernels.
``ml_dtypes`` supplies bfloat16 (NumPy has no native bfloat16).
"""
import threading

import ml_dtypes
import numpy as xp

bfloat16 = ml_dtypes.bfloat16

__all__ = ["asarray", "bfloat16", "blas_threads", "ml_dtypes", "xp"]


def asarray(value, dtype=None):
    """Converts ``value`` to a backend array (no copy when already one)."""
    return xp.asarray(value, dtype=dtype)


def _quiet_kernels():
    """TF's C++ kernels never warn about NaN/inf/overflow; NumPy does. Silence the warnings that
    NumPy raises from tensorlet's own frames (a filter costs nothing until a warning fires), and
    leave NumPy's settings for user code alone."""
    import warnings

    warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"tensorlet(\.|$)")


_quiet_kernels()


def _tune_allocator():
    """Keep NumPy's large temporaries in the heap between ops (glibc only).

    By default glibc returns every freed block above a dynamic threshold to the OS, so a kernel
    with several large temporaries page-faults its memory back in on every call (measured ~10x
    slower for floormod/lgamma on 100k elements). A 64 MiB mmap / 256 MiB trim threshold fixes it.
    """
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 64 << 20)   # M_MMAP_THRESHOLD
        libc.mallopt(-1, 256 << 20)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass


_tune_allocator()


# ------------------------------------------------------------------ BLAS threads
# Chunked kernels (convolutions) can run their chunks on several threads, each calling a
# single-threaded GEMM, instead of one chunk at a time through BLAS's own threads: on 2 cores
# the im2col copy then overlaps the other core's GEMM and BLAS's per-call thread hand-off
# disappears (32->64 conv forward 10.3 -> 8.2 ms).  That needs the BLAS thread count, which
# only OpenBLAS exposes (the library NumPy's wheels ship); elsewhere ``blas_threads`` is None
# and kernels keep the one-chunk-at-a-time path.


class _BlasThreads:
    """Lowers OpenBLAS's thread count while at least one kernel asks for it (reference-counted:
    concurrent kernels on several user threads restore the original count exactly once)."""

    def __init__(self, get, set_):
        self._get, self._set = get, set_
        self._lock = threading.Lock()
        self._depth = 0
        self._saved = None

    def limit(self, n=1):
        return _BlasLimit(self, n)

    def _enter(self, n):
        with self._lock:
            if self._depth == 0:
                self._saved = self._get()
                self._set(n)
            self._depth += 1

    def _exit(self):
        with self._lock:
            self._depth -= 1
            if self._depth == 0:
                self._set(self._saved)


class _BlasLimit:
    __slots__ = ("_n", "_owner")

    def __init__(self, owner, n):
        self._owner, self._n = owner, n

    def __enter__(self):
        self._owner._enter(self._n)

    def __exit__(self, *exc):
        self._owner._exit()


_OPENBLAS_NAMES = (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "64_"), ("openblas", ""))


def _find_openblas():
    """A ``_BlasThreads`` for the OpenBLAS loaded by NumPy, or None (other BLAS, other OS)."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        with open("/proc/self/maps") as fh:
            paths = {line.split()[-1] for line in fh if "openblas" in line.lower()}
    except OSError:
        return None
    for path in sorted(p for p in paths if ".so" in p):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in _OPENBLAS_NAMES:
            get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
            set_ = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
            if get is not None and set_ is not None:
                get.restype, get.argtypes = ctypes.c_int, []
                set_.restype, set_.argtypes = None, [ctypes.c_int]
                return _BlasThreads(get, set_)
    return None


blas_threads = _find_openblas()
