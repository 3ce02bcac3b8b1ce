"""Array API searching functions (argmax, argmin, count_nonzero, nonzero, searchsorted, where) and
NumPy's (argwhere, flatnonzero). Validation, dtypes and shapes are resolved here; each data-dependent
result is one backend call."""
import numpy as np

from ._core import dtypes as _dt
from ._core.devices import default_device
from ._core.elementwise import broadcast_shapes
from ._core.ndarray import ndarray
from ._core.transfer import asarray
from ._core.views import normalize_axes, normalize_axis

__all__ = ["argmax", "argmin", "count_nonzero", "nonzero", "searchsorted", "where", "argwhere", "flatnonzero"]


def _array(x):
    return x if isinstance(x, ndarray) else asarray(x)


def _device(op, objs):
    """The device of the rdnarray arrays among ``objs`` (the default one if none); ValueError if they differ."""
    device = None
    for a in objs:
        if isinstance(a, ndarray):
            if device is None:
                device = a.device
            elif a.device != device:
                raise ValueError(f"{op}: arrays are on different devices ({device} and {a.device}); "
                                 "move them with to_device()")
    return default_device() if device is None else device


def _operand(value, dtype, device, op, by_value):
    """A Python scalar as a 0-d array of ``dtype`` (its weak promotion with the array's dtype, NEP 50).

    With ``by_value`` an integer that ``dtype`` cannot hold keeps NumPy's default dtype for it, so that
    comparisons stay exact (searchsorted(int8 array, 1000) is len(array), as in NumPy); otherwise it is an
    OverflowError, like NumPy's arithmetic.
    """
    if dtype.kind in "iu" and type(value) is int:
        info = np.iinfo(dtype)
        if not info.min <= value <= info.max:
            if by_value:
                return asarray(value, device=device)
            raise OverflowError(f"{op}: Python integer {value} out of bounds for {dtype}")
    return asarray(value, dtype=dtype, device=device)


def _arg_reduce(name, x, axis, out, keepdims):
    x = _array(x)
    if axis is None:
        if x.size == 0:
            raise ValueError(f"{name}: attempt to get {name} of an empty sequence (shape {x.shape})")
        shape = (1,) * x.ndim if keepdims else ()
    else:
        axis = normalize_axis(axis, x.ndim, name)
        if x.shape[axis] == 0:
            raise ValueError(f"{name}: attempt to get {name} of an empty sequence (axis {axis} of shape {x.shape})")
        shape = x.shape[:axis] + ((1,) if keepdims else ()) + x.shape[axis + 1:]
    if out is None:
        return x.device.backend.run(name, x, axis=axis, keepdims=bool(keepdims))
    if not isinstance(out, ndarray):
        raise TypeError(f"{name}: out must be an rdnarray.ndarray, not {type(out).__name__}")
    if out.shape != shape:
        raise ValueError(f"{name}: out has shape {out.shape}, the result has shape {shape}")
    if out.dtype.kind not in "iu":
        raise TypeError(f"{name}: out must have an integer dtype for indices, not {out.dtype}")
    if out.device != x.device:
        raise ValueError(f"{name}: out is on {out.device}, x on {x.device}")
    if out.data.readonly:
        raise ValueError(f"{name}: output array is read-only")
    x.device.backend.run(name, x, axis=axis, out=out, keepdims=bool(keepdims))
    return out


def argmax(x, /, axis=None, out=None, *, keepdims=False):
    """Indices of the first maximum along ``axis`` (of the flattened array when ``axis`` is None)."""
    return _arg_reduce("argmax", x, axis, out, keepdims)


def argmin(x, /, axis=None, out=None, *, keepdims=False):
    """Indices of the first minimum along ``axis`` (of the flattened array when ``axis`` is None)."""
    return _arg_reduce("argmin", x, axis, out, keepdims)


def count_nonzero(x, /, axis=None, *, keepdims=False):
    x = _array(x)
    # Always a tuple of axes: NumPy answers axis=None with a Python int, the standard wants a 0-d array.
    axes = normalize_axes(axis, x.ndim, "count_nonzero")
    return x.device.backend.run("count_nonzero", x, axis=axes, keepdims=bool(keepdims))


def nonzero(x, /):
    """A tuple of index arrays (int64), one per dimension of ``x``, of its non-zero elements in C order."""
    x = _array(x)
    if x.ndim == 0:
        raise ValueError("nonzero: x must have at least one dimension, got a 0-d array; "
                         "use rdnarray.atleast_1d(x) or reshape(x, (1,)) first")
    return tuple(x.device.backend.run("nonzero", x))


def flatnonzero(a):
    """Indices of the non-zero elements of the flattened ``a``."""
    a = _array(a)
    return a.device.backend.run("flatnonzero", a)


def argwhere(a):
    """The indices of the non-zero elements of ``a``, one row per element: shape (N, a.ndim)."""
    a = _array(a)
    return a.device.backend.run("argwhere", a)


def searchsorted(x1, x2, /, side="left", sorter=None):
    """Indices at which the values ``x2`` would be inserted into the ascending 1-D ``x1`` (or ``x1[sorter]``)."""
    device = _device("searchsorted", (x1, x2, sorter))
    x1 = asarray(x1, device=device) if not isinstance(x1, ndarray) else x1
    if x1.ndim != 1:
        raise ValueError(f"searchsorted: x1 must be 1-D, got shape {x1.shape}")
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    if _dt.scalar_type(x2) is not None:
        x2 = _operand(x2, _dt.promote_weak(x1.dtype, type(x2)), device, "searchsorted", by_value=True)
    elif not isinstance(x2, ndarray):
        x2 = asarray(x2, device=device)
    if sorter is not None:
        sorter = sorter if isinstance(sorter, ndarray) else asarray(sorter, device=device)
        if sorter.shape != x1.shape:
            raise ValueError(f"searchsorted: sorter has shape {sorter.shape}, x1 has shape {x1.shape}")
        if sorter.dtype.kind not in "iu":
            raise TypeError(f"searchsorted: sorter must have an integer dtype, not {sorter.dtype}")
    return device.backend.run("searchsorted", x1, x2, side=side, sorter=sorter)


def where(condition, x1=None, x2=None, /):
    """Elements of ``x1`` where ``condition`` is true, of ``x2`` elsewhere; ``where(condition)`` is ``nonzero``."""
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("where: either both or neither of x1 and x2 must be given")
    device = _device("where", (condition, x1, x2))
    condition = condition if isinstance(condition, ndarray) else asarray(condition, device=device)
    if condition.dtype.kind != "b":
        condition = asarray(condition, dtype=_dt.bool, device=device)
    x1 = x1 if isinstance(x1, ndarray) or _dt.scalar_type(x1) else asarray(x1, device=device)
    x2 = x2 if isinstance(x2, ndarray) or _dt.scalar_type(x2) else asarray(x2, device=device)
    dt = _dt.result_type(x1, x2)
    operands = []
    for v in (x1, x2):
        operands.append(v if isinstance(v, ndarray) else _operand(v, dt, device, "where", by_value=False))
    broadcast_shapes(tuple(a.shape for a in (condition, *operands)), "where")
    return device.backend.run("where", condition, operands[0], operands[1])

