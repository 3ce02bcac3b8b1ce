"""The integer sequence ``start + i * step`` on the GPU (src_hip/iota.hip): integer arange in one pass,
and the int64 positions that the other creation functions (composite/creation.py) cast or compare.

Arithmetic wraps modulo 2**64 and the store keeps the element type's low bits, as NumPy's arange fill
does for every integer dtype.
"""
import numpy as np

from .ctypes import CTYPE
from .sorting import THREADS, grid_for, kernel, launch, ptr, source

_INT32_MAX = 2**31 - 1
_DTYPES = tuple(np.dtype(c) for c in "bhiqBHIQ")


def run(backend, out, start=0, step=1):
    """Fill the new C-contiguous 1-D integer array ``out`` with ``start + i * step`` (Python ints, taken
    modulo 2**64) and return it."""
    n = out.size
    if n == 0:
        return out
    grid = grid_for(backend, n)
    # 32-bit indices only where the grid-stride loop's last step stays in range too.
    itype, ic = ("int", "i") if n + grid * THREADS <= _INT32_MAX else ("long long", "q")
    f = kernel(backend, "iota.hip", "rp_iota", T=CTYPE[out.dtype], I=itype)
    launch(backend, f, grid, (ptr(out), n, start % 2**64, step % 2**64), f"P{ic}QQ")
    return out


def examples():
    """(source, kernel name) of every element type with 32-bit indices, and int64 with 64-bit ones."""
    return [(source("iota.hip", T=CTYPE[dt], I="int"), "rp_iota") for dt in _DTYPES] + [
        (source("iota.hip", T="int64_t", I="long long"), "rp_iota")]
