"""NumPy's functions that rebuild an array with new sizes: delete, insert, resize, trim_zeros, pad."""

import numpy as np

from ._core import views as _views
from ._core.elementwise import broadcast_shapes as _broadcast_shapes
from ._core.ndarray import ndarray
from ._core.transfer import asarray, to_numpy
from ._manipulation import (
    _array, _axis_tuple, _copy, _index, _int_tuple, _new, _prepend_ones, _same_device,
    _slice, moveaxis, ravel, reshape, tile)

__all__ = ["delete", "insert", "resize", "trim_zeros", "pad"]


def _runs(positions):
    """Consecutive runs in a list of ints: [(first index in list, first value, length), ...]."""
    runs = []
    for k, p in enumerate(positions):
        if runs and runs[-1][1] + runs[-1][2] == p:
            runs[-1][2] += 1
        else:
            runs.append([k, p, 1])
    return runs


def _fit(values, shape, op):
    """``values`` broadcast to ``shape`` as assignment does (extra leading length-1 axes are dropped)."""
    while values.ndim > len(shape) and values.shape[0] == 1:
        values = _index(values, 0, 0)
    try:
        ok = values.ndim <= len(shape) and _broadcast_shapes((values.shape, shape), op) == shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"{op}: values of shape {values.shape} cannot be broadcast to {shape}")
    return _views.broadcast_to(values, shape)


def delete(arr, obj, axis=None):
    x = _array(arr)
    if axis is None:
        x = ravel(x)
        ax = 0
    else:
        ax = _views.normalize_axis(axis, x.ndim, "delete")
    n = x.shape[ax]
    keep = np.ones(n, dtype=bool)
    if isinstance(obj, slice):
        keep[obj] = False
    elif isinstance(obj, (int, np.integer)) and not isinstance(obj, (bool, np.bool_)):
        if not -n <= obj < n:
            raise IndexError(f"delete: index {obj} is out of bounds for axis {ax} with size {n}")
        keep[obj] = False
    else:
        idx = to_numpy(obj) if isinstance(obj, ndarray) else np.asarray(obj)
        if idx.size == 0 and not isinstance(obj, (ndarray, np.ndarray)):
            idx = idx.astype(np.intp)
        if idx.dtype == bool:
            if idx.shape != (n,):
                raise ValueError(f"delete: a boolean obj must be one dimensional and match the axis length "
                                 f"of {n}, got shape {idx.shape}")
            keep = ~idx
        elif idx.dtype.kind in "iu":
            bad = idx[(idx < -n) | (idx >= n)]
            if bad.size:
                raise IndexError(f"delete: index {bad.flat[0]} is out of bounds for axis {ax} with size {n}")
            keep[idx.reshape(-1)] = False
        else:
            raise IndexError(f"delete: indices must be integers or booleans, got dtype {idx.dtype}")
    kept = np.flatnonzero(keep).tolist()
    out = _new(x, x.shape[:ax] + (len(kept),) + x.shape[ax + 1:], x.dtype)
    for k, p, length in _runs(kept):
        _copy(_slice(x, ax, p, p + length), _slice(out, ax, k, k + length))
    return out


def insert(arr, obj, values, axis=None):
    x = _array(arr)
    if axis is None:
        x = ravel(x)
        ax = 0
    else:
        ax = _views.normalize_axis(axis, x.ndim, "insert")
    n = x.shape[ax]
    if isinstance(obj, slice):
        idx = np.arange(*obj.indices(n), dtype=np.intp)
    else:
        idx = to_numpy(obj) if isinstance(obj, ndarray) else np.asarray(obj)
        if idx.dtype == bool:
            if idx.ndim != 1:
                raise ValueError("insert: a boolean obj must be one dimensional")
            idx = np.flatnonzero(idx)
        elif idx.ndim > 1:
            raise ValueError(f"insert: obj must be one dimensional or a scalar, got shape {idx.shape}")
        elif idx.size == 0 and not isinstance(obj, (ndarray, np.ndarray)):
            idx = idx.astype(np.intp)
        if idx.dtype.kind not in "iu":
            raise IndexError(f"insert: indices must be integers, got dtype {idx.dtype}")
    bad = idx[(idx < -n) | (idx > n)]
    if bad.size:
        raise IndexError(f"insert: index {bad.flat[0]} is out of bounds for axis {ax} with size {n}")
    vals = _same_device(x, values, "insert")
    if idx.size == 1:
        index = int(idx.reshape(-1)[0])
        index = index + n if index < 0 else index
        # NumPy: values as an array of x's dtype with at least x.ndim dims; a scalar obj inserts along
        # the values' first axis.
        vals = _prepend_ones(vals, x.ndim)
        if idx.ndim == 0:
            vals = moveaxis(vals, 0, ax)
        numnew = vals.shape[ax]
        shape = x.shape[:ax] + (n + numnew,) + x.shape[ax + 1:]
        target_shape = x.shape[:ax] + (numnew,) + x.shape[ax + 1:]
        vals = _fit(vals, target_shape, "insert")
        out = _new(x, shape, x.dtype)
        _copy(_slice(x, ax, 0, index), _slice(out, ax, 0, index))
        _copy(vals, _slice(out, ax, index, index + numnew))
        _copy(_slice(x, ax, index, n), _slice(out, ax, index + numnew, n + numnew))
        return out
    idx = idx.astype(np.intp)
    idx[idx < 0] += n
    numnew = idx.size
    order = np.argsort(idx, kind="stable")
    idx[order] += np.arange(numnew)
    target_shape = x.shape[:ax] + (numnew,) + x.shape[ax + 1:]
    vals = _fit(vals, target_shape, "insert")
    total = n + numnew
    old = np.ones(total, dtype=bool)
    old[idx] = False
    out = _new(x, x.shape[:ax] + (total,) + x.shape[ax + 1:], x.dtype)
    for k, p, length in _runs(np.flatnonzero(old).tolist()):
        _copy(_slice(x, ax, k, k + length), _slice(out, ax, p, p + length))
    # values[j] goes to out[idx[j]]; where idx repeats, the later value wins, as in NumPy.
    for k, p, length in _runs(idx.tolist()):
        _copy(_slice(vals, ax, k, k + length), _slice(out, ax, p, p + length))
    return out


def resize(a, new_shape):
    """A new array of ``new_shape`` filled with ``a``'s elements repeated in C order."""
    x = _array(a)
    shape = _int_tuple(new_shape, "resize", "new_shape")
    if any(s < 0 for s in shape):
        raise ValueError(f"resize: all elements of new_shape must be non-negative, got {shape}")
    size = 1
    for s in shape:
        size *= s
    if x.size == 0 or size == 0:
        out = _new(x, shape, x.dtype)
        if out.size:
            _copy(asarray(np.zeros((), x.dtype), device=x.device), out)
        return out
    flat = ravel(x)
    reps = -(-size // x.size)
    return reshape(_slice(tile(flat, reps), 0, 0, size), shape)


def trim_zeros(filt, trim="fb", axis=None):
    """``filt`` without its leading and/or trailing zeros (a view, like NumPy's)."""
    x = _array(filt)
    trim = str(trim).lower()
    if trim not in ("fb", "bf", "f", "b"):
        raise ValueError(f"trim_zeros: unexpected character(s) in trim: {trim!r}")
    axes = tuple(range(x.ndim)) if axis is None else _axis_tuple(axis, x.ndim, "trim_zeros")
    if not axes:
        return x
    from ._elementwise_functions import not_equal
    nz = np.nonzero(to_numpy(not_equal(x, 0)))
    result = x
    for i in axes:
        if nz[0].size == 0:
            start = stop = 0
        else:
            start = int(nz[i].min()) if "f" in trim else 0
            stop = int(nz[i].max()) + 1 if "b" in trim else x.shape[i]
        result = _slice(result, i, start, stop)
    return result


def pad(array, pad_width, mode="constant", **kwargs):
    """NumPy's ``pad`` (every string mode); a callable ``mode`` is not supported."""
    x = _array(array)
    allowed = {"empty": (), "edge": (), "wrap": (), "constant": ("constant_values",),
               "linear_ramp": ("end_values",), "maximum": ("stat_length",), "mean": ("stat_length",),
               "median": ("stat_length",), "minimum": ("stat_length",), "reflect": ("reflect_type",),
               "symmetric": ("reflect_type",)}
    if callable(mode):
        raise TypeError("pad: a callable mode is not supported by rdnarray; use one of "
                        f"{', '.join(allowed)}")
    if mode not in allowed:
        raise ValueError(f"pad: mode {mode!r} is not supported; use one of {', '.join(allowed)}")
    unsupported = set(kwargs) - set(allowed[mode])
    if unsupported:
        raise ValueError(f"pad: unsupported keyword arguments for mode {mode!r}: {sorted(unsupported)}")
    widths = to_numpy(pad_width) if isinstance(pad_width, ndarray) else np.asarray(pad_width)
    if widths.dtype.kind not in "iu" and widths.size:
        raise TypeError(f"pad: pad_width must be integers, got dtype {widths.dtype}")
    try:
        widths = np.broadcast_to(widths.astype(np.intp), (x.ndim, 2))
    except ValueError:
        raise ValueError(f"pad: pad_width of shape {widths.shape} cannot be broadcast to ({x.ndim}, 2) for an "
                         f"array of shape {x.shape}") from None
    if (widths < 0).any():
        raise ValueError(f"pad: pad_width may not contain negative values, got {widths.tolist()}")
    if mode in ("maximum", "mean", "median", "minimum", "reflect", "symmetric", "wrap", "edge", "linear_ramp"):
        empty_axes = [i for i in range(x.ndim) if x.shape[i] == 0 and widths[i].any()]
        if empty_axes:
            raise ValueError(f"pad: can't extend empty axis {empty_axes[0]} of shape {x.shape} with mode {mode!r}")
    # Values given as rdnarray arrays travel as plain Python numbers: a resolved unit of work.
    params = {k: to_numpy(v).tolist() if isinstance(v, ndarray) else v for k, v in kwargs.items()}
    return x.device.backend.run("pad", x, tuple(map(tuple, widths.tolist())), mode=mode, **params)
