"""NumPy's index-computing and scattering routines as compositions of device operations (see __init__.py).

put, place and putmask write into their first argument where it lives (one scatter: ``put_along_axis``
over a 1-D view of it, or ``copyto`` with a mask), never through a host copy. Index arithmetic is int64
elementwise work; gathers are ``take`` / ``take_along_axis``; repeat is a scan and a search.

Data-dependent errors are NumPy's (mode='raise'): one bool read back decides them, and only a failing
call reads more (for the message). Shapes that depend on values (repeat's length, place's count) cost
one scalar read back each.

Not covered (NotImplemented, the host computes them): choose with choices given as a list rather than one
stacked array, arguments that are not rdnarray arrays where NumPy takes arrays, and what NumPy refuses
with a TypeError (uint64 indices in put and choose, uint64 repeats).
"""
import operator

import numpy as np

import rdnarray as rp

from ..._core import views as _views
from ..._core.indexing import _merge
from ..._core.ndarray import make_view, ndarray

_INT64 = np.dtype(np.int64)
_MODES = ("raise", "wrap", "clip")


def _flat(x):
    """``x`` as a 1-D array in C order (a view when its strides allow)."""
    return rp.reshape(x, (x.size,))


def _cycled(backend, v, k):
    """The first ``k`` elements of ``v.flat`` repeated as often as needed (NumPy's ``v.flat[i % v.size]``)."""
    flat = _flat(v)
    if flat.shape[0] >= k:
        return flat[:k]
    if flat.shape[0] == 1:
        return _views.broadcast_to(flat, (k,))
    where = rp.remainder(rp.arange(k, dtype=_INT64, device=v.device), flat.shape[0])
    return backend.run("take", flat, where, axis=0, mode="clip")


def _any(mask):
    """One bool read back: whether ``mask`` holds anywhere."""
    return mask.size > 0 and bool(rp.any(mask))


def _first(values, mask):
    """The first of ``values`` (C order) where ``mask`` holds, as a Python int (error messages only)."""
    return int(rp.asnumpy(_flat(values)[_flat(mask)])[0])


def _in_range(ind, n, mode):
    """(int64 array in [0, n), None) for integer ``ind``, as NumPy's choose and ravel_multi_index make it:
    cast to intp (uint64 wraps around), then wrapped or clipped; for mode 'raise' (ind as int64, a 0-d bool
    of whether any entry lies outside [0, n)), for the caller to read back once."""
    ind = rp.asarray(ind, dtype=_INT64)
    if mode == "raise":
        return ind, rp.any(rp.logical_or(rp.less(ind, 0), rp.greater_equal(ind, n)))
    return (rp.remainder(ind, n) if mode == "wrap" else rp.clip(ind, 0, n - 1)), None


def _c_coords(ind, shape):
    """The C-order coordinates (int64 arrays) of the in-range flat int64 indices ``ind`` in ``shape``."""
    coords = []
    rest = ind
    for n in reversed(shape[1:]):
        q = rp.floor_divide(rest, n)
        coords.append(rest - q * n)
        rest = q
    coords.append(rest)
    return coords[::-1]


def _scatter_flat(backend, a, ind, vals):
    """``a.flat[ind] = vals`` in place: ``ind`` int64 1-D in [0, a.size), ``vals`` 1-D of a's dtype and
    length; of repeated targets the last wins, as in NumPy."""
    t = _views.reshape_view(a, (a.size,))
    if t is None:
        # No 1-D view of a in C order: one axis through a's memory that reaches every element (the core's
        # advanced-indexing merge), and each flat index turned into its position on it.
        length, step, start, ind = _merge(a.shape, a.strides, _c_coords(ind, a.shape), a.itemsize)
        t = make_view(a, (length,), (step,), a._offset + start)
    backend.run("put_along_axis", t, ind, vals, axis=0)


# -- put, place, putmask -----------------------------------------------------------------------------

def put(backend, a, ind, v, mode="raise"):
    """``a.flat[ind] = v`` in place, ``v`` cycled; raise (negative indices count from the end), wrap, clip."""
    if (not all(isinstance(x, ndarray) for x in (a, ind, v)) or ind.dtype.kind not in "iu" or ind.dtype == np.uint64
            or mode not in _MODES):
        return NotImplemented  # (uint64 indices: NumPy's TypeError, from the host)
    n = a.size
    if ind.size and n == 0:
        raise IndexError("cannot replace elements of an empty array")
    if v.size == 0 or ind.size == 0:
        return None
    if mode == "raise":
        bad = rp.logical_or(rp.less(ind, -n), rp.greater_equal(ind, n))
        if _any(bad):
            raise IndexError(f"index {_first(ind, bad)} is out of bounds for axis 0 with size {n}")
        ind = rp.asarray(ind, dtype=_INT64)
        ind = rp.where(rp.less(ind, 0), ind + n, ind)
    else:
        ind = _in_range(ind, n, mode)[0]
    ind = _flat(ind)
    vals = _cycled(backend, rp.asarray(v, dtype=a.dtype), ind.shape[0])
    if vals._buffer is a._buffer:
        vals = rp.asarray(vals, copy=True)  # the scatter must not read what it writes
    _scatter_flat(backend, a, ind, vals)
    return None


def place(backend, arr, mask, vals):
    """``arr.flat[k-th True of mask] = vals.flat[k % vals.size]`` in place."""
    if not all(isinstance(x, ndarray) for x in (arr, mask, vals)) or mask.size != arr.size:
        return NotImplemented
    mask = rp.asarray(mask, dtype=np.bool_)
    if vals.size == 0:
        if _any(mask):
            raise ValueError("Cannot insert from an empty array!")
        return None
    positions = backend.run("flatnonzero", mask)
    if positions.size == 0:
        return None
    v = _cycled(backend, rp.asarray(vals, dtype=arr.dtype), positions.shape[0])
    if v._buffer is arr._buffer:
        v = rp.asarray(v, copy=True)
    _scatter_flat(backend, arr, positions, v)
    return None


def putmask(backend, a, mask, values):
    """``a.flat[n] = values.flat[n % values.size]`` where ``mask.flat[n]``, in place: one masked copy."""
    if not all(isinstance(x, ndarray) for x in (a, mask, values)) or mask.size != a.size:
        return NotImplemented
    if values.size == 0 or a.size == 0:
        return None
    m = rp.reshape(rp.asarray(mask, dtype=np.bool_), a.shape)
    v = rp.reshape(_cycled(backend, rp.asarray(values, dtype=a.dtype), a.size), a.shape)
    if v._buffer is a._buffer:
        v = rp.asarray(v, copy=True)
    backend.run("copyto", a, v, where=m)
    return None


# -- choose ------------------------------------------------------------------------------------------

def choose(backend, a, choices, out=None, mode="raise"):
    """``choices[a[i]][i]`` with a and every choice broadcast together; ``choices`` one stacked array."""
    if (not isinstance(a, ndarray) or not isinstance(choices, ndarray) or a.dtype.kind not in "iu"
            or a.dtype == np.uint64 or choices.ndim == 0 or choices.shape[0] == 0 or mode not in _MODES
            or (out is not None and not isinstance(out, ndarray))):
        return NotImplemented  # (uint64 a: NumPy's TypeError; no choices: its ValueError, from the host)
    n = choices.shape[0]
    shape = rp.broadcast_shapes(a.shape, choices.shape[1:])
    ind, bad = _in_range(a, n, mode)
    if bad is not None and bool(bad):
        raise ValueError("invalid entry in choice array")
    # One gather along the choices' axis: result[i] = stacked[ind[i], i] (broadcasts are zero strides).
    extra = len(shape) - (choices.ndim - 1)
    stacked = _views.broadcast_to(_views.expand(choices, tuple(range(1, 1 + extra))), (n,) + shape)
    ind = _views.broadcast_to(ind, shape)
    result = backend.run("take_along_axis", stacked, _views.expand(ind, (0,)), axis=0)[0]
    if out is None:
        return result
    backend.copy(result, out)
    return out


# -- ravel_multi_index, unravel_index ----------------------------------------------------------------

def ravel_multi_index(backend, multi_index, dims, mode="raise", order="C"):
    """The flat int64 indices of coordinate arrays (one stacked array, or a sequence) into ``dims``."""
    dims = tuple(operator.index(d) for d in dims)
    if isinstance(multi_index, ndarray):
        coords = [multi_index[j] for j in range(multi_index.shape[0])] if multi_index.ndim else None
    else:
        coords = list(multi_index)
    if coords is None or not all(isinstance(c, ndarray) and c.dtype.kind in "iu" for c in coords):
        return NotImplemented
    if order not in ("C", "F"):
        return NotImplemented
    if len(coords) != len(dims):
        raise ValueError(f"parameter multi_index must be a sequence of length {len(dims)}")
    modes = (mode,) * len(dims) if isinstance(mode, str) else tuple(mode)
    if len(modes) != len(dims) or any(m not in _MODES for m in modes):
        return NotImplemented
    # NumPy's strides of dims, with its check that their product fits an intp.
    strides = [0] * len(dims)
    s = 1
    for i in (range(len(dims) - 1, -1, -1) if order == "C" else range(len(dims))):
        strides[i] = s
        s *= dims[i]
        if s > np.iinfo(np.intp).max:
            raise ValueError("invalid dims: array size defined by dims is larger than the maximum possible size.")
    shape = rp.broadcast_shapes(*[c.shape for c in coords])
    flat = bad = None
    for c, n, m, st in zip(coords, dims, modes, strides):
        c, out_of_range = _in_range(c, n, m)
        if out_of_range is not None:
            bad = out_of_range if bad is None else rp.logical_or(bad, out_of_range)
        term = rp.multiply(c, st)
        flat = term if flat is None else flat + term
    if bad is not None and bool(bad):  # one read back for every coordinate checked
        raise ValueError("invalid entry in coordinates array")
    if flat is None:
        return rp.zeros(shape, dtype=_INT64, device=multi_index.device if isinstance(multi_index, ndarray)
                        else None)
    return flat


def unravel_index(backend, indices, shape, order="C"):
    """The tuple of int64 coordinate arrays of the flat ``indices`` into an array of ``shape``."""
    if not isinstance(indices, ndarray) or indices.dtype.kind not in "iu" or order not in ("C", "F"):
        return NotImplemented
    shape = tuple(operator.index(s) for s in (shape if hasattr(shape, "__iter__") else (shape,)))
    size = 1
    for s in shape:
        size *= s
    bad = rp.logical_or(rp.less(indices, 0), rp.greater_equal(indices, size))
    if _any(bad):
        raise ValueError(f"index {_first(indices, bad)} is out of bounds for array with size {size}")
    if not shape:
        if indices.ndim:
            raise ValueError("multiple indices are not supported for 0d arrays")
        return ()
    if indices.size == 0:
        return tuple(rp.empty(indices.shape, dtype=_INT64, device=indices.device) for _ in shape)
    ind = rp.asarray(indices, dtype=_INT64)
    if order == "C":
        return tuple(_c_coords(ind, shape))
    return tuple(_c_coords(ind, shape[::-1])[::-1])


# -- repeat ------------------------------------------------------------------------------------------

def repeat(backend, x, repeats, axis=None):
    """Each element of ``x`` along ``axis`` repeated ``repeats[i]`` times: output position k takes the
    element whose running count first exceeds k (a scan, a search and a gather)."""
    if not isinstance(x, ndarray):
        return NotImplemented
    if axis is None:
        x = _flat(x)
        axis = 0
    axis = operator.index(axis) % max(x.ndim, 1)
    if x.ndim == 0:
        return NotImplemented
    n = x.shape[axis]
    if isinstance(repeats, ndarray):
        if repeats.dtype.kind not in "biu" or repeats.dtype == np.uint64 or repeats.size not in (1, n):
            return NotImplemented
        counts = rp.asarray(_flat(repeats), dtype=_INT64)
        if counts.shape[0] != n:
            counts = _views.broadcast_to(counts, (n,))
    else:
        try:
            r = operator.index(repeats)
        except TypeError:
            return NotImplemented
        counts = rp.full((n,), r, dtype=_INT64, device=x.device)
    ends = rp.cumsum(counts)
    total = int(ends[-1]) if n else 0
    shape = x.shape[:axis] + (total,) + x.shape[axis + 1:]
    if total == 0:
        return rp.empty(shape, dtype=x.dtype, device=x.device)
    source = rp.searchsorted(ends, rp.arange(total, dtype=_INT64, device=x.device), side="right")
    return backend.run("take", x, source, axis=axis, mode="clip")


NATIVE = {
    "put": put, "place": place, "putmask": putmask, "choose": choose,
    "ravel_multi_index": ravel_multi_index, "unravel_index": unravel_index, "repeat": repeat,
}
