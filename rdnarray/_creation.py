"""Array API creation functions, plus NumPy's (array, identity, logspace, ...)."""
import operator

import numpy as np

from ._core import dtypes as _dt
from ._core.devices import as_device
from ._core.dlpack import from_dlpack
from ._core.ndarray import make_view, ndarray
from ._core.transfer import asarray

__all__ = [
    "arange", "asarray", "empty", "empty_like", "eye", "full", "full_like", "linspace", "meshgrid",
    "ones", "ones_like", "tril", "triu", "zeros", "zeros_like",
    "array", "identity", "logspace", "geomspace", "tri", "diag", "diagflat", "ascontiguousarray",
    "asanyarray", "copy", "fromfunction", "indices", "vander", "from_dlpack",
]


def _shape(shape, op):
    """``shape`` (an int or a sequence of ints) as a tuple, or TypeError/ValueError naming ``op``."""
    if isinstance(shape, ndarray) or not hasattr(shape, "__iter__"):
        shape = (shape,)
    try:
        shape = tuple(operator.index(s) for s in shape)
    except TypeError:
        raise TypeError(f"{op}: shape must be a sequence of integers, got {shape!r}") from None
    if any(s < 0 for s in shape):
        raise ValueError(f"{op}: negative dimensions are not allowed, got shape {shape}")
    return shape


def _order(order, op):
    """Arrays are C-ordered; NumPy's 'K'/'A' mean C for new arrays, 'F' is not supported."""
    if order not in ("C", "K", "A", None):
        raise ValueError(f"{op}: only C order is supported, got order={order!r}")


def _run(device, name, *args, **kwargs):
    return as_device(device).backend.run(name, *args, **kwargs)


def empty(shape, dtype=None, order="C", *, device=None):
    _order(order, "empty")
    return as_device(device).backend.empty(_shape(shape, "empty"), _dt.normalize(dtype) or _dt.DEFAULT_FLOAT)


def zeros(shape, dtype=None, order="C", *, device=None):
    _order(order, "zeros")
    return _run(device, "zeros", _shape(shape, "zeros"), dtype=_dt.normalize(dtype) or _dt.DEFAULT_FLOAT)


def ones(shape, dtype=None, order="C", *, device=None):
    _order(order, "ones")
    return _run(device, "ones", _shape(shape, "ones"), dtype=_dt.normalize(dtype) or _dt.DEFAULT_FLOAT)


def _fill_dtype(fill_value, dtype, op):
    if dtype is not None:
        return _dt.normalize(dtype)
    if isinstance(fill_value, ndarray):
        return fill_value.dtype
    if isinstance(fill_value, (np.generic, np.ndarray)):
        return _dt.normalize(fill_value.dtype)
    if _dt.scalar_type(fill_value) is None:
        raise TypeError(f"{op}: fill_value must be a Python scalar or an array, got {type(fill_value).__name__}")
    return _dt.result_type(fill_value)


def full(shape, fill_value, dtype=None, order="C", *, device=None):
    _order(order, "full")
    if isinstance(fill_value, ndarray):
        device = fill_value.device if device is None else device
        if fill_value.device != as_device(device):
            raise ValueError(f"full: fill_value is on {fill_value.device}, the result on {as_device(device)}")
    dt = _fill_dtype(fill_value, dtype, "full")
    shape = _shape(shape, "full")
    if isinstance(fill_value, np.ndarray):
        fill_value = asarray(fill_value, device=device)
    return _run(device, "full", shape, fill_value, dtype=dt)


def _like(x, dtype, device):
    x = x if isinstance(x, ndarray) else asarray(x)
    return x.shape, (_dt.normalize(dtype) or x.dtype), (x.device if device is None else device)


def empty_like(x, /, dtype=None, order="K", subok=True, shape=None, *, device=None):
    s, dt, dev = _like(x, dtype, device)
    return empty(s if shape is None else shape, dt, device=dev)


def zeros_like(x, /, dtype=None, order="K", subok=True, shape=None, *, device=None):
    s, dt, dev = _like(x, dtype, device)
    return zeros(s if shape is None else shape, dt, device=dev)


def ones_like(x, /, dtype=None, order="K", subok=True, shape=None, *, device=None):
    s, dt, dev = _like(x, dtype, device)
    return ones(s if shape is None else shape, dt, device=dev)


def full_like(x, /, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    s, dt, dev = _like(x, dtype, device)
    return full(s if shape is None else shape, fill_value, dt, device=dev)


def arange(start, /, stop=None, step=1, *, dtype=None, device=None):
    if stop is None:
        start, stop = 0, start
    for v in (start, stop, step):
        if isinstance(v, ndarray):
            raise TypeError("arange: start, stop and step must be Python scalars, not arrays")
    if step == 0:
        raise ValueError("arange: step must not be zero")
    dt = _dt.normalize(dtype) or _dt.result_type(start, stop, step)
    if dt.kind == "b":
        raise TypeError("arange: a bool dtype is not supported")
    return _run(device, "arange", start, stop, step, dtype=dt)


def linspace(start, stop, /, num=50, *, dtype=None, device=None, endpoint=True, retstep=False, axis=0):
    num = operator.index(num)
    if num < 0:
        raise ValueError(f"linspace: num must be non-negative, got {num}")
    # Array-likes (lists) as arrays, so that result_type and the backend see dtypes.
    start, stop = [v if _dt.scalar_type(v) or isinstance(v, (ndarray, np.generic)) else asarray(v, device=device)
                   for v in (start, stop)]
    if dtype is None:
        dtype = _dt.result_type(start, stop, 1.0)
    dev = device
    if isinstance(start, ndarray) or isinstance(stop, ndarray):
        dev = (start if isinstance(start, ndarray) else stop).device if device is None else device
    out = _run(dev, "linspace", start, stop, num, endpoint=endpoint, retstep=retstep,
               dtype=_dt.normalize(dtype), axis=axis)
    return out


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0, *, device=None):
    return _run(device, "logspace", start, stop, num, endpoint=endpoint, base=base,
                dtype=_dt.normalize(dtype), axis=axis)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0, *, device=None):
    return _run(device, "geomspace", start, stop, num, endpoint=endpoint, dtype=_dt.normalize(dtype), axis=axis)


def eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None):
    n_rows = operator.index(n_rows)
    n_cols = n_rows if n_cols is None else operator.index(n_cols)
    if n_rows < 0 or n_cols < 0:
        raise ValueError(f"eye: negative dimensions are not allowed ({n_rows}, {n_cols})")
    return _run(device, "eye", n_rows, n_cols, k=operator.index(k), dtype=_dt.normalize(dtype) or _dt.DEFAULT_FLOAT)


def identity(n, dtype=None, *, device=None):
    return eye(n, dtype=dtype, device=device)


def tri(N, M=None, k=0, dtype=None, *, device=None):
    return _run(device, "tri", N, M, k, dtype=_dt.normalize(dtype) or _dt.DEFAULT_FLOAT)


def _matrix_op(name, x, k):
    x = asarray(x)
    if x.ndim < 2:
        raise ValueError(f"{name}: x must have at least 2 dimensions, got shape {x.shape}")
    return x.device.backend.run(name, x, k=operator.index(k))


def tril(x, /, *, k=0):
    return _matrix_op("tril", x, k)


def triu(x, /, *, k=0):
    return _matrix_op("triu", x, k)


def meshgrid(*arrays, indexing="xy", sparse=False, copy=True):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    arrays = [asarray(a) for a in arrays]
    for a in arrays:
        if a.ndim != 1:
            raise ValueError(f"meshgrid: arrays must be 1-D, got shape {a.shape}")
    if len({a.dtype for a in arrays}) > 1:
        dt = _dt.result_type(*arrays)
        arrays = [asarray(a, dtype=dt) for a in arrays]
    if not arrays:
        return ()
    return tuple(arrays[0].device.backend.run("meshgrid", *arrays, indexing=indexing, sparse=sparse, copy=True))


def array(obj, dtype=None, copy=True, order="K", subok=False, ndmin=0, *, device=None):
    """NumPy's ``array``: a copy by default; ``copy=None`` shares memory where it can and ``copy=False``
    raises ValueError where it cannot (NumPy 2's meaning)."""
    out = asarray(obj, dtype=dtype, device=device, copy=copy)
    if out.ndim < ndmin:
        from ._manipulation import reshape
        out = reshape(out, (1,) * (ndmin - out.ndim) + out.shape)
    return out


def asanyarray(a, dtype=None, order=None, *, device=None, copy=None):
    return asarray(a, dtype=dtype, device=device, copy=copy)


def ascontiguousarray(a, dtype=None, *, device=None):
    a = asarray(a, dtype=dtype, device=device)
    if a.flags.c_contiguous:
        return a
    return asarray(a, copy=True)


def copy(a, order="K", subok=False):
    return asarray(a, copy=True)


def diag(v, k=0):
    v = asarray(v)
    if v.ndim not in (1, 2):
        raise ValueError(f"diag: input must be 1-D or 2-D, got shape {v.shape}")
    return v.device.backend.run("diag", v, k=operator.index(k))


def diagflat(v, k=0):
    v = asarray(v)
    return v.device.backend.run("diagflat", v, k=operator.index(k))


def fromfunction(function, shape, *, dtype=float, device=None, **kwargs):
    grid = indices(shape, dtype=dtype, device=device)
    # One view per axis (grid[i]), made here so that this does not depend on indexing.
    step, rest = grid.strides[0], (grid.shape[1:], grid.strides[1:])
    return function(*[make_view(grid, rest[0], rest[1], grid._offset + i * step) for i in range(grid.shape[0])],
                    **kwargs)


def indices(dimensions, dtype=int, sparse=False, *, device=None):
    out = _run(device, "indices", _shape(dimensions, "indices"), dtype=_dt.normalize(dtype), sparse=sparse)
    return out


def vander(x, N=None, increasing=False):
    x = asarray(x)
    if x.ndim != 1:
        raise ValueError(f"vander: x must be 1-D, got shape {x.shape}")
    return x.device.backend.run("vander", x, N=N, increasing=increasing)
