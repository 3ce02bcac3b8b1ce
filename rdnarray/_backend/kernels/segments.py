"""Sums that must round as NumPy's sequential loops do, on any device: src_hip/segment_sum.hip on a GPU,
NumPy's own loops (np.add.at, np.cumsum) on the CPU.

* ``segment_sum(backend, values, bounds, acc)``: out[k] = the sum of values[bounds[k]:bounds[k + 1]], added
  one element after the other from zero in dtype ``acc``. np.bincount's weighted loop is this in float64
  once the weights are ordered by bin (a stable sort keeps each bin's own order); ``n += block`` over
  histogram blocks is this in the histogram's dtype.
* ``row_cumsum(backend, x, acc)``: np.cumsum(x, axis=-1, dtype=acc), sequential along each row.

One GPU thread per segment or row walks it in order: the additions of one sum form a chain, and a tree
of partial sums (what a parallel reduction or scan does) would round differently from NumPy. The cost is
that a long segment runs on one thread; the callers keep segments to what NumPy itself adds in sequence.
Real dtypes only (bool, integers, float16/32/64), contiguous 1-D ``values`` and int64 ``bounds``.
"""
import numpy as np

from .ctypes import CTYPE
from .sorting import as_dtype, grid_for, kernel, launch, ptr, source

_INT64 = np.dtype(np.int64)


def _real(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind not in "biuf":
        raise TypeError(f"segments: sums of dtype {dtype} are not supported here")
    return dtype


def segment_sum(backend, values, bounds, acc):
    """Sequential sums (dtype ``acc``) of the segments [bounds[k], bounds[k + 1]) of the 1-D ``values``."""
    acc = _real(acc)
    _real(values.dtype)
    count = bounds.shape[0] - 1
    if backend.kind == "cpu":
        v, b = backend.to_numpy(values), backend.to_numpy(bounds)
        out = np.zeros(count, acc)
        if count > 0:
            # np.add.at adds element after element in index order, in out's dtype: the kernel's chain.
            ids = np.repeat(np.arange(count), np.diff(b))
            np.add.at(out, ids, v[b[0]:b[-1]].astype(acc, copy=False))
        return backend.from_numpy(out)
    out = backend.empty((count,), acc)
    if count <= 0:
        return out
    values = backend.contiguous(values)
    bounds = backend.contiguous(as_dtype(backend, bounds, _INT64))
    f = kernel(backend, "segment_sum.hip", "rp_segment_sum", IN=CTYPE[values.dtype], ACC=CTYPE[acc])
    launch(backend, f, grid_for(backend, count), (ptr(values), ptr(bounds), count, ptr(out)), "PPqP")
    return out


def row_cumsum(backend, x, acc):
    """np.cumsum(x, axis=-1, dtype=acc): each row's running sum, element after element."""
    acc = _real(acc)
    _real(x.dtype)
    if backend.kind == "cpu":
        return backend.from_numpy(np.cumsum(backend.to_numpy(x), axis=-1, dtype=acc))
    out = backend.empty(x.shape, acc)
    if out.size == 0:
        return out
    n = x.shape[-1]
    rows = x.size // n
    x = backend.contiguous(x)
    f = kernel(backend, "segment_sum.hip", "rp_row_cumsum", IN=CTYPE[x.dtype], ACC=CTYPE[acc])
    launch(backend, f, grid_for(backend, rows), (ptr(x), rows, n, ptr(out)), "PqqP")
    return out


def examples():
    """(source, kernel name) of both kernels for the pairs of dtypes the composites use."""
    pairs = (("double", "double"), ("float", "double"), ("int64_t", "double"), ("bool", "double"),
             ("rp::half", "rp::half"), ("float", "float"), ("int8_t", "int8_t"), ("bool", "bool"),
             ("uint64_t", "uint64_t"))
    out = []
    for in_t, acc_t in pairs:
        src = source("segment_sum.hip", IN=in_t, ACC=acc_t)
        out += [(src, "rp_segment_sum"), (src, "rp_row_cumsum")]
    return out
