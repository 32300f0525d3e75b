"""The array backend: the one place kernels get their array library from.

Kernels write ``from tensorlet.backend import xp`` and call ``xp.exp``, ``xp.matmul`` ...
Today ``xp`` is NumPy; a CuPy backend can later be swapped in here without touching kernels.
``ml_dtypes`` supplies bfloat16 (NumPy has no native bfloat16).
"""
import ml_dtypes
import numpy as xp

bfloat16 = ml_dtypes.bfloat16

__all__ = ["xp", "bfloat16", "ml_dtypes", "asarray"]


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
