"""Array API indexing functions (take, take_along_axis) and NumPy's other index routines.

Indices are validated and normalized to int64 in range by the core (``normalize_indices``) before the
backend runs the named NumPy routine, so a GPU backend only implements unchecked gathers and scatters.
"""
import operator

import numpy as np

from ._core import dtypes as _dt
from ._core import views as _views
from ._core.devices import as_device
from ._core.elementwise import broadcast_shapes
from ._core.indexing import normalize_indices, setitem, value_array
from ._core.ndarray import ndarray
from ._core.transfer import asarray

__all__ = [
    "take", "take_along_axis", "put", "put_along_axis", "place", "putmask", "choose", "compress",
    "extract", "select", "diagonal", "fill_diagonal", "ix_", "unravel_index", "ravel_multi_index",
    "diag_indices", "diag_indices_from", "tril_indices", "triu_indices", "tril_indices_from",
    "triu_indices_from",
]

_INT64 = np.dtype(np.int64)
_MODES = ("raise", "wrap", "clip")


def _array(x):
    return x if isinstance(x, ndarray) else asarray(x)


def _flat(x):
    """``x`` as 1-D: a view when the strides allow it, else a copy."""
    view = _views.reshape_view(x, (x.size,))
    return view if view is not None else _views.reshape_view(asarray(x, copy=True), (x.size,))


def _on(x, a, op, what="indices"):
    """``a`` as an array on ``x``'s device (array-likes are converted there)."""
    if isinstance(a, ndarray):
        if a.device != x.device:
            raise ValueError(f"{op}: {what} are on {a.device}, the array on {x.device}; move them with to_device()")
        return a
    return asarray(a, device=x.device)


def _index_array(x, indices, op):
    ind = _on(x, indices, op)
    if ind.dtype.kind not in "iu":
        if ind.size == 0 and not isinstance(indices, ndarray):
            return asarray(ind, dtype=_INT64)
        raise TypeError(f"{op}: indices must be integers, got dtype {ind.dtype}")
    return ind


def _in_range(ind, n):
    """Whether every entry of the integer array ``ind`` is in [0, n) (no negative indices)."""
    if ind.size == 0:
        return True
    backend = ind.device.backend
    return int(backend.run("min", ind)) >= 0 and int(backend.run("max", ind)) < n


def _mode(mode, op):
    if mode not in _MODES:
        raise ValueError(f"{op}: mode must be one of {_MODES}, got {mode!r}")
    return mode


def _writable(a, op):
    if not isinstance(a, ndarray):
        raise TypeError(f"{op}: the first argument must be an rdnarray.ndarray, not {type(a).__name__}")
    if a.data.readonly:
        raise ValueError(f"{op}: assignment destination is read-only")


def _check_out(out, shape, dtype, device, op):
    if not isinstance(out, ndarray):
        raise TypeError(f"{op}: out must be an rdnarray.ndarray, not {type(out).__name__}")
    if out.shape != shape:
        raise ValueError(f"{op}: out has shape {out.shape}, the result has shape {shape}")
    if out.dtype != dtype:
        raise TypeError(f"{op}: out has dtype {out.dtype}, the result has dtype {dtype}")
    if out.device != device:
        raise ValueError(f"{op}: out is on {out.device}, the input on {device}")
    if out.data.readonly:
        raise ValueError(f"{op}: output array is read-only")


def take(x, indices, /, *, axis=None, out=None, mode="raise"):
    """Elements of ``x`` at ``indices`` along ``axis`` (the flattened ``x`` when axis is None)."""
    x = _array(x)
    ind = _index_array(x, indices, "take")
    _mode(mode, "take")
    if axis is None:
        x = _flat(x)
        axis = 0
    else:
        axis = _views.normalize_axis(axis, x.ndim, "take")
    ind = normalize_indices(ind, x.shape[axis], axis, mode)
    shape = x.shape[:axis] + ind.shape + x.shape[axis + 1:]
    backend = x.device.backend
    if out is None:
        return backend.run("take", x, ind, axis=axis, mode="clip")
    _check_out(out, shape, x.dtype, x.device, "take")
    # Gather into a new array first: out may overlap x.
    backend.copy(backend.run("take", x, ind, axis=axis, mode="clip"), out)
    return out


def _along_axis(x, ind, axis, op):
    if axis is None:
        if ind.ndim != 1:
            raise ValueError(f"{op}: with axis=None, indices must be 1-D, got shape {ind.shape}")
        x = _flat(x)
        axis = 0
    if x.ndim != ind.ndim:
        raise ValueError(f"{op}: indices and the array must have the same number of dimensions, "
                         f"got {ind.ndim} and {x.ndim}")
    axis = _views.normalize_axis(axis, x.ndim, op)
    try:
        broadcast_shapes((x.shape[:axis] + (1,) + x.shape[axis + 1:],
                          ind.shape[:axis] + (1,) + ind.shape[axis + 1:]), op)
    except ValueError:
        raise ValueError(f"{op}: shape mismatch: indices of shape {ind.shape} and array of shape {x.shape} "
                         f"do not broadcast outside axis {axis}") from None
    return x, normalize_indices(ind, x.shape[axis], axis), axis


def take_along_axis(x, indices, /, *, axis=-1):
    """``x`` gathered at ``indices`` along ``axis``; the other axes broadcast."""
    x = _array(x)
    x, ind, axis = _along_axis(x, _index_array(x, indices, "take_along_axis"), axis, "take_along_axis")
    return x.device.backend.run("take_along_axis", x, ind, axis=axis)


def put_along_axis(arr, indices, values, axis):
    """``arr[..., indices, ...] = values`` along ``axis``, in place."""
    _writable(arr, "put_along_axis")
    x, ind, ax = _along_axis(arr, _index_array(arr, indices, "put_along_axis"), axis, "put_along_axis")
    shape = broadcast_shapes((x.shape[:ax] + (1,) + x.shape[ax + 1:], ind.shape), "put_along_axis")
    v = value_array(x, values, "put_along_axis")
    try:
        broadcast_shapes((v.shape, shape), "put_along_axis")
    except ValueError:
        raise ValueError(f"put_along_axis: values of shape {v.shape} do not broadcast to the indexed "
                         f"shape {shape}") from None
    if v.data is x.data:
        v = asarray(v, copy=True)
    x.device.backend.run("put_along_axis", x, ind, v, axis=ax)


def put(a, ind, v, mode="raise"):
    """``a.flat[ind] = v`` in place; ``v`` repeats when shorter than ``ind``."""
    _writable(a, "put")
    ind = _index_array(a, ind, "put")
    _mode(mode, "put")
    v = value_array(a, v, "put")
    if v.data is a.data:
        v = asarray(v, copy=True)
    if v.size == 0:
        return None
    ind = normalize_indices(ind, a.size, 0, mode)
    # Scatter into the C-order flat positions of a (a may be any view); values cycle over ind.
    a.device.backend.run("put", a, ind, v, mode="clip")
    return None


def place(arr, mask, vals):
    """Put ``vals`` (cycled) into ``arr`` where ``mask`` is True, in place (C order)."""
    _writable(arr, "place")
    m = asarray(_on(arr, mask, "place", "mask"), dtype=np.bool_)
    if m.size != arr.size:
        raise ValueError("place: mask and data must be the same size")
    v = value_array(arr, vals, "place")
    if v.size == 0:
        if bool(arr.device.backend.run("any", m)):
            raise ValueError("place: cannot insert from an empty array")
        return None
    arr.device.backend.run("place", arr, m, v)
    return None


def putmask(a, mask, values):
    """``a.flat[n] = values.flat[n % values.size]`` wherever ``mask.flat[n]``, in place."""
    _writable(a, "putmask")
    m = asarray(_on(a, mask, "putmask", "mask"), dtype=np.bool_)
    if m.size != a.size:
        raise ValueError("putmask: mask and data must be the same size")
    v = value_array(a, values, "putmask")
    if v.size == 0:
        return None
    if v.data is a.data:
        v = asarray(v, copy=True)
    a.device.backend.run("putmask", a, m, v)
    return None


def choose(a, choices, out=None, mode="raise"):
    """``choices[a[i]][i]`` for every i (all broadcast together)."""
    a = _array(a)
    _mode(mode, "choose")
    if a.dtype.kind not in "iu":
        raise TypeError(f"choose: a must be integers, got dtype {a.dtype}")
    if isinstance(choices, ndarray):
        choices = [choices[i] for i in range(choices.shape[0])]
    choices = [_on(a, c, "choose", "choices") for c in choices]
    if not choices:
        raise ValueError("choose: choices must not be empty")
    shape = broadcast_shapes(tuple([a.shape] + [c.shape for c in choices]), "choose")
    dtype = _dt.result_type(*choices)
    backend = a.device.backend
    # Stack the broadcast choices into one (n, *shape) array: the unit of work is choose(a, stacked).
    stacked = backend.empty((len(choices),) + shape, dtype)
    for i, c in enumerate(choices):
        backend.copy(_views.broadcast_to(c, shape), stacked[i])
    if mode == "raise" and not _in_range(a, len(choices)):
        raise ValueError("choose: invalid entry in choice array")
    ind = normalize_indices(_views.broadcast_to(a, shape), len(choices), 0, mode)
    result = backend.run("choose", ind, stacked, mode="clip")
    if out is None:
        return result
    _check_out(out, shape, dtype, a.device, "choose")
    backend.copy(result, out)
    return out


def compress(condition, a, axis=None, out=None):
    """The slices of ``a`` along ``axis`` where ``condition`` (1-D) is True."""
    a = _array(a)
    c = _on(a, condition, "compress", "condition")
    if c.ndim != 1:
        raise ValueError(f"compress: condition must be 1-D, got shape {c.shape}")
    if axis is None:
        a = _flat(a)
        axis = 0
    axis = _views.normalize_axis(axis, a.ndim, "compress")
    n = a.shape[axis]
    c = asarray(c, dtype=np.bool_)
    if c.size > n:
        # NumPy: a longer condition is an error only where it selects past the end.
        if bool(a.device.backend.run("any", c[n:])):
            raise IndexError(f"compress: index {n} is out of bounds for axis {axis} with size {n}")
        c = c[:n]
    result = a.device.backend.run("compress", c, a, axis=axis)
    if out is None:
        return result
    _check_out(out, result.shape, a.dtype, a.device, "compress")
    a.device.backend.copy(result, out)
    return out


def extract(condition, arr):
    """The elements of ``arr`` (flattened) where ``condition`` (flattened) is True."""
    arr = _array(arr)
    c = asarray(_on(arr, condition, "extract", "condition"), dtype=np.bool_)
    if c.size > arr.size:
        return compress(_views.reshape_view(asarray(c, copy=True), (c.size,)), arr)
    return arr.device.backend.run("extract", c, arr)


def select(condlist, choicelist, default=0):
    """Elements from ``choicelist[i]`` where ``condlist[i]`` is first True, else ``default``."""
    if len(condlist) != len(choicelist):
        raise ValueError("select: list of cases must be same length as list of conditions")
    if not condlist:
        raise ValueError("select: select with an empty condition list is not possible")
    ref = next((c for c in list(choicelist) + list(condlist) if isinstance(c, ndarray)), None)
    ref = ref if ref is not None else asarray(0)
    choices = [_on(ref, c, "select", "choices") for c in choicelist]
    conds = [_on(ref, c, "select", "conditions") for c in condlist]
    for i, c in enumerate(conds):
        if c.dtype.kind != "b":
            raise TypeError(f"select: invalid entry {i} in condlist: should be boolean ndarray")
    dflt = _on(ref, default, "select", "default") if isinstance(default, ndarray) else default
    dtype = _dt.result_type(*choices, dflt)
    shape = broadcast_shapes(tuple([c.shape for c in choices] + [c.shape for c in conds]
                                   + ([dflt.shape] if isinstance(dflt, ndarray) else [])), "select")
    backend = ref.device.backend
    result = backend.empty(shape, dtype)
    setitem(result, Ellipsis, dflt)
    # Later conditions first, so the first True condition is written last and wins.
    for c, ch in zip(reversed(conds), reversed(choices)):
        backend.run("copyto", result, asarray(ch, dtype=dtype), where=c)
    return result


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The view of the diagonals of ``a`` over (axis1, axis2), appended as the last axis."""
    a = _array(a)
    if a.ndim < 2:
        raise ValueError(f"diagonal: the array must have at least 2 dimensions, got shape {a.shape}")
    ax1 = _views.normalize_axis(axis1, a.ndim, "diagonal")
    ax2 = _views.normalize_axis(axis2, a.ndim, "diagonal")
    if ax1 == ax2:
        raise ValueError("diagonal: axis1 and axis2 cannot be the same")
    return _views.diagonal(a, operator.index(offset), ax1, ax2)


def fill_diagonal(a, val, wrap=False):
    """Write ``val`` (cycled) on the main diagonal of ``a`` in place; tall 2-D arrays wrap if ``wrap``."""
    _writable(a, "fill_diagonal")
    if a.ndim < 2:
        raise ValueError("fill_diagonal: array must be at least 2-d")
    if a.ndim == 2:
        step = a.shape[1] + 1
        end = a.size if wrap else min(a.shape[1] * a.shape[1], a.size)
    else:
        if len(set(a.shape)) != 1:
            raise ValueError("fill_diagonal: all dimensions of input must be of equal length")
        step = 1 + sum(int(np.prod(a.shape[:k])) for k in range(1, a.ndim))
        end = a.size
    positions = a.device.backend.run("arange", 0, end, step, dtype=_INT64)
    put(a, positions, val, mode="raise")


def ix_(*args):
    """Open-mesh index arrays: the k-th of n args reshaped to (1, ..., len, ..., 1)."""
    out = []
    n = len(args)
    for k, a in enumerate(args):
        if not isinstance(a, ndarray):
            arr = np.asarray(a)
            if arr.size == 0:
                arr = arr.astype(_INT64)
            a = asarray(arr)
        if a.ndim != 1:
            raise ValueError("ix_: cross index must be 1 dimensional")
        if a.dtype.kind == "b":
            a = a.device.backend.run("nonzero", a)[0]
        out.append(_views.reshape_view(a, (1,) * k + (a.size,) + (1,) * (n - k - 1)))
    return tuple(out)


def unravel_index(indices, shape, order="C"):
    """The tuple of coordinate arrays of the flat ``indices`` into an array of ``shape``."""
    ind = _array(indices)
    if ind.dtype.kind not in "iu":
        raise TypeError("unravel_index: only int indices permitted")
    shape = tuple(operator.index(s) for s in (shape if hasattr(shape, "__iter__") else (shape,)))
    if order not in ("C", "F"):
        raise ValueError(f"unravel_index: order must be 'C' or 'F', got {order!r}")
    size = int(np.prod(shape))
    if ind.size:
        backend = ind.device.backend
        lo, hi = int(backend.run("min", ind)), int(backend.run("max", ind))
        if lo < 0 or hi >= size:
            raise ValueError(f"unravel_index: index {hi if hi >= size else lo} is out of bounds for array "
                             f"with size {size}")
    return ind.device.backend.run("unravel_index", ind, shape, order=order)


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """The flat indices of the coordinate arrays ``multi_index`` into an array of shape ``dims``."""
    dims = tuple(operator.index(d) for d in dims)
    if len(multi_index) != len(dims):
        raise ValueError(f"ravel_multi_index: parameter multi_index must be a sequence of length {len(dims)}")
    if order not in ("C", "F"):
        raise ValueError(f"ravel_multi_index: order must be 'C' or 'F', got {order!r}")
    modes = (mode,) * len(dims) if isinstance(mode, str) else tuple(mode)
    ref = next((i for i in multi_index if isinstance(i, ndarray)), None)
    ref = ref if ref is not None else asarray(0)
    coords = [_index_array(ref, i, "ravel_multi_index") for i in multi_index]
    shape = broadcast_shapes(tuple(c.shape for c in coords), "ravel_multi_index")
    backend = ref.device.backend
    # One (k, *shape) int64 array of in-range coordinates: the unit of work is ravel_multi_index(stacked).
    stacked = backend.empty((len(dims),) + shape, _INT64)
    for j, (c, n, m) in enumerate(zip(coords, dims, modes)):
        _mode(m, "ravel_multi_index")
        if m == "raise" and not _in_range(c, n):
            raise ValueError("ravel_multi_index: invalid entry in coordinates array")
        c = normalize_indices(c, n, j, m)
        backend.copy(_views.broadcast_to(c, shape), stacked[j])
    return backend.run("ravel_multi_index", stacked, dims, order=order)


def diag_indices(n, ndim=2):
    """The index tuple of the main diagonal of an (n, n, ..., n) array."""
    idx = as_device(None).backend.run("arange", operator.index(n), dtype=_INT64)
    return (idx,) * ndim


def diag_indices_from(arr):
    arr = _array(arr)
    if arr.ndim < 2:
        raise ValueError("diag_indices_from: input array must be at least 2-d")
    if len(set(arr.shape)) != 1:
        raise ValueError("diag_indices_from: all dimensions of input must be of equal length")
    idx = arr.device.backend.run("arange", arr.shape[0], dtype=_INT64)
    return (idx,) * arr.ndim


def tril_indices(n, k=0, m=None):
    """Row and column indices of the lower triangle of an (n, m) array."""
    return as_device(None).backend.run("tril_indices", operator.index(n), operator.index(k),
                                       None if m is None else operator.index(m))


def triu_indices(n, k=0, m=None):
    """Row and column indices of the upper triangle of an (n, m) array."""
    return as_device(None).backend.run("triu_indices", operator.index(n), operator.index(k),
                                       None if m is None else operator.index(m))


def _square_2d(arr, op):
    arr = _array(arr)
    if arr.ndim != 2:
        raise ValueError(f"{op}: input array must be 2-d, got shape {arr.shape}")
    return arr


def tril_indices_from(arr, k=0):
    arr = _square_2d(arr, "tril_indices_from")
    return arr.device.backend.run("tril_indices", arr.shape[0], operator.index(k), arr.shape[1])


def triu_indices_from(arr, k=0):
    arr = _square_2d(arr, "triu_indices_from")
    return arr.device.backend.run("triu_indices", arr.shape[0], operator.index(k), arr.shape[1])
