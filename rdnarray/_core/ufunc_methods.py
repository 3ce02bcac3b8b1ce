"""NumPy's ufunc methods (``outer``, ``reduce``, ``accumulate``, ``at``) for rdnarray ufuncs.

``add.reduce`` is ``sum``, ``maximum.reduce`` is ``max`` and so on: those ufuncs map to the reduction
rows of reduction.py. Every other binary ufunc reduces (or accumulates) through a generic row made from
its elementwise row, which runs NumPy's ``<ufunc>.reduce`` on the host.
"""
import numpy as np

from . import dtypes as _dt
from . import reduction as _red
from .ndarray import ndarray
from .transfer import asarray
from .views import expand, normalize_axis

__all__ = ["outer", "reduce", "accumulate", "at"]

# Ufuncs whose reduction (and scan) is a named reduction row.
_REDUCE_ROWS = {"add": _red.SUM, "multiply": _red.PROD, "maximum": _red.MAX, "minimum": _red.MIN,
                "logical_and": _red.ALL, "logical_or": _red.ANY}
_SCAN_ROWS = {"add": _red.SUM, "multiply": _red.PROD}

# Elementwise result rules that a reduction can keep (the result must be a valid input again).
_REDUCIBLE = ("same", "bool")

_generic_rows = {}


def _generic_row(ufunc, method):
    """The reduction row of a binary ufunc without a named reduction (subtract, bitwise_or, ...)."""
    op = ufunc.op
    row = _generic_rows.get(op.name)
    if row is None:
        if op.results[0] not in _REDUCIBLE:
            raise TypeError(f"{op.name}.{method}: not supported for a ufunc whose result dtype differs "
                            f"from its input dtype")
        # NumPy's identity of the ufunc (None: an empty reduction is an error), read as metadata.
        identity = getattr(np, op.numpy).identity
        row = _generic_rows[op.name] = _red.Reduction(op.name, op.numpy, op.accepts, op.results[0], True,
                                                      identity, None)
    return row


def _check_binary(ufunc, method):
    if ufunc.nin != 2:
        raise ValueError(f"{ufunc.op.name}.{method}: only supported for binary functions")
    if ufunc.nout != 1:
        raise ValueError(f"{ufunc.op.name}.{method}: only supported for functions returning a single value")


def _array(a):
    return a if isinstance(a, ndarray) else asarray(a)


def outer(ufunc, a, b, **kwargs):
    """``ufunc(a[..., None, ..., None], b)``: the result has shape a.shape + b.shape."""
    _check_binary(ufunc, "outer")
    a, b = _array(a), _array(b)
    return ufunc(expand(a, tuple(range(a.ndim, a.ndim + b.ndim))), b, **kwargs)


def reduce(ufunc, a, axis=0, dtype=None, out=None, keepdims=False, initial=None, where=True):
    _check_binary(ufunc, "reduce")
    if where is not True:
        raise TypeError(f"{ufunc.op.name}.reduce: the where= argument is not supported")
    a = _array(a)
    row = _REDUCE_ROWS.get(ufunc.op.name)
    generic = row is None
    if generic:
        row = _generic_row(ufunc, "reduce")
    params = {}
    if initial is not None:
        row = row._replace(identity=initial)
        params["initial"] = initial
    axes, dtype, out = _red.prepare(row, a, axis, dtype, out, keepdims)
    if generic:
        a.device.backend.ufunc_reduce(row, a, axes, bool(keepdims), out, dtype, **params)
    else:
        a.device.backend.reduce(row, a, axes, bool(keepdims), out, dtype, **params)
    return out


def accumulate(ufunc, a, axis=0, dtype=None, out=None):
    _check_binary(ufunc, "accumulate")
    a = _array(a)
    if a.ndim == 0:
        raise TypeError(f"{ufunc.op.name}.accumulate: cannot accumulate on a 0-d array")
    row = _SCAN_ROWS.get(ufunc.op.name)
    if row is not None:
        return _red.scan(row, a, axis, dtype, out)
    row = _generic_row(ufunc, "accumulate")
    axis = normalize_axis(axis, a.ndim, f"{row.name}.accumulate")
    res = _red.result_dtype(row, a.dtype, _dt.normalize(dtype))
    if out is None:
        out = a.device.backend.empty(a.shape, res)
    else:
        _red.check_out(f"{row.name}.accumulate", out, a.shape, res, a.device)
    if a.size:
        a.device.backend.ufunc_accumulate(row, a, axis, out, res)
    return out


def at(ufunc, a, indices, b=None):
    """Unbuffered in place ``a[indices] = ufunc(a[indices], b)``: repeated indices apply repeatedly."""
    name = ufunc.op.name
    if not isinstance(a, ndarray):
        raise TypeError(f"{name}.at: a must be an rdnarray.ndarray (it is modified in place), "
                        f"not {type(a).__name__}")
    if a.data.readonly:
        raise ValueError(f"{name}.at: a is read-only")
    if ufunc.nout != 1:
        raise ValueError(f"{name}.at: only supported for functions returning a single value")
    if ufunc.nin == 2 and b is None:
        raise ValueError(f"{name}.at: a second operand b is required for a binary ufunc")
    if ufunc.nin == 1 and b is not None:
        raise ValueError(f"{name}.at: a unary ufunc takes no second operand")
    if isinstance(indices, ndarray) and indices.device != a.device or \
            isinstance(b, ndarray) and b.device != a.device:
        raise ValueError(f"{name}.at: arrays are on different devices")
    a.device.backend.ufunc_at(ufunc.op, a, indices, b)
