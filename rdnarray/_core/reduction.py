"""Reductions and scans as data: one row per function, and one generic ``reduce`` / ``scan`` that every
row goes through.

A row says which dtypes the function accepts (the standard's category words, see dtypes.CATEGORIES),
how the result dtype follows from the input dtype and ``dtype=``, which NumPy function the host backend
runs (``numpy``; it is called as ``f(x, axis=axes, keepdims=, out=, [dtype=], **params)``), whether
that function takes ``dtype=`` (``takes_dtype``), and its identity: the value of an empty reduction, or
None when an empty reduction is an error (max, min, ...). ``scan`` names the cumulative function of
the row, where it has one.

Result rules (``req`` is the dtype the caller asked for, or None):
  same    the input dtype (max, min, ptp)
  sum     req, else bool and signed ints -> int64, unsigned ints -> uint64, floats keep their dtype
  mean    req, else ints and bool -> float64, floats keep their dtype
  real    the real dtype of ``mean`` (var, std: complex128 -> float64)
  bool    bool (all, any)
  index   int64 (nanargmax)
"""
import operator
from collections import namedtuple

import numpy as np

from . import dtypes as _dt
from .ndarray import make_view, ndarray
from .outputs import check_out
from .views import normalize_axes, normalize_axis

Reduction = namedtuple("Reduction", "name numpy accepts result takes_dtype identity scan")

_BOOL = np.dtype(np.bool_)
_INT64 = np.dtype(np.int64)
_UINT64 = np.dtype(np.uint64)
_FLOAT64 = np.dtype(np.float64)


def _sum_dtype(dt, req):
    if req is not None:
        return req
    if dt.kind in "bi":
        return _INT64
    if dt.kind == "u":
        return _UINT64
    return dt


def _mean_dtype(dt, req):
    if req is not None:
        return req
    return dt if dt.kind in "fc" else _FLOAT64


RESULT = {
    "same": lambda dt, req: dt,
    "sum": _sum_dtype,
    "mean": _mean_dtype,
    "real": lambda dt, req: _dt.real_of(_mean_dtype(dt, req)),
    "bool": lambda dt, req: _BOOL,
    "index": lambda dt, req: _INT64,
}

SUM = Reduction("sum", "sum", "numeric", "sum", True, 0, "cumsum")
PROD = Reduction("prod", "prod", "numeric", "sum", True, 1, "cumprod")
MAX = Reduction("max", "max", "any", "same", False, None, None)
MIN = Reduction("min", "min", "any", "same", False, None, None)
MEAN = Reduction("mean", "mean", "numeric", "mean", True, float("nan"), None)
VAR = Reduction("var", "var", "numeric", "real", True, float("nan"), None)
STD = Reduction("std", "std", "numeric", "real", True, float("nan"), None)
ALL = Reduction("all", "all", "any", "bool", False, True, None)
ANY = Reduction("any", "any", "any", "bool", False, False, None)
PTP = Reduction("ptp", "ptp", "numeric without boolean", "same", False, None, None)
MEDIAN = Reduction("median", "median", "real-valued", "mean", False, float("nan"), None)
NANSUM = Reduction("nansum", "nansum", "numeric", "sum", True, 0, "nancumsum")
NANPROD = Reduction("nanprod", "nanprod", "numeric", "sum", True, 1, "nancumprod")
NANMAX = Reduction("nanmax", "nanmax", "real-valued", "same", False, None, None)
NANMIN = Reduction("nanmin", "nanmin", "real-valued", "same", False, None, None)
NANMEAN = Reduction("nanmean", "nanmean", "numeric", "mean", True, float("nan"), None)
NANVAR = Reduction("nanvar", "nanvar", "numeric", "real", True, float("nan"), None)
NANSTD = Reduction("nanstd", "nanstd", "numeric", "real", True, float("nan"), None)
NANMEDIAN = Reduction("nanmedian", "nanmedian", "real-valued", "mean", False, float("nan"), None)


def result_dtype(row, dt, dtype):
    """The result dtype of ``row`` on input dtype ``dt`` with ``dtype=`` (normalized, or None)."""
    if not _dt.in_category(dt, row.accepts):
        raise TypeError(f"{row.name}: unsupported dtype {dt}; {row.name} needs {row.accepts} dtypes")
    if dtype is not None and not row.takes_dtype:
        raise TypeError(f"{row.name}: the dtype argument is not supported")
    return RESULT[row.result](dt, dtype)


def reduced_shape(shape, axes, keepdims):
    if keepdims:
        return tuple(1 if i in axes else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in axes)


_FULL_RESULT = {}  # (row.accepts, row.result, input dtype) -> result dtype of a full reduction


def prepare(row, x, axis, dtype, out, keepdims):
    """(axes, result dtype, out) for ``row`` over ``x``: every check done, ``out`` allocated if None."""
    if axis is None and dtype is None and out is None and not keepdims and x.size:
        # x.sum(), x.max(): a full reduction of a non-empty array into a new 0-d array, the most common
        # call. The general path below gives the same, but its axis, category and shape work costs ~2 us.
        key = (row.accepts, row.result, x.dtype)
        res = _FULL_RESULT.get(key)
        if res is None:
            res = _FULL_RESULT[key] = result_dtype(row, x.dtype, None)
        return tuple(range(len(x.shape))), None, x.device.backend.empty((), res)
    axes = normalize_axes(axis, x.ndim, row.name)
    dtype = _dt.normalize(dtype)
    res = result_dtype(row, x.dtype, dtype)
    if row.identity is None:
        count = 1
        for a in axes:
            count *= x.shape[a]
        if count == 0:
            raise ValueError(f"{row.name}: zero-size array (shape {x.shape}, axis {axis}) has no identity "
                             f"to reduce to")
    shape = reduced_shape(x.shape, axes, bool(keepdims))
    if out is None:
        out = x.device.backend.empty(shape, res)
    else:
        check_out(row.name, out, shape, res, x.device)
    return axes, dtype, out


def reduce(row, x, axis=None, dtype=None, out=None, keepdims=False, **params):
    """``row`` reduced over ``axis`` (None, an int or a tuple of ints) of the array ``x``.

    The backend receives the normalized axes, the allocated or checked ``out`` (whose dtype is the
    result dtype) and ``dtype``: the accumulation dtype the caller asked for, or None for the result's.
    """
    axes, dtype, out = prepare(row, x, axis, dtype, out, keepdims)
    x.device.backend.reduce(row, x, axes, bool(keepdims), out, dtype, **params)
    return out


def scan(row, x, axis, dtype=None, out=None, include_initial=False):
    """The cumulative ``row`` (sum, prod, nansum, nanprod) of ``x`` along the one axis ``axis``."""
    op = row.scan
    axis = normalize_axis(axis, x.ndim, op)
    dtype = _dt.normalize(dtype)
    res = result_dtype(row, x.dtype, dtype)
    shape = list(x.shape)
    if include_initial:
        shape[axis] += 1
    shape = tuple(shape)
    backend = x.device.backend
    if out is None:
        out = backend.empty(shape, res)
    else:
        check_out(op, out, shape, res, x.device)
    if x.size == 0 and not include_initial:
        return out
    target = out
    if include_initial:
        # The identity goes into the first slice along the axis; the scan fills the rest.
        first = make_view(out, shape[:axis] + (1,) + shape[axis + 1:], out.strides, out._offset)
        backend.copy(backend.run("full", first.shape, row.identity, dtype=out.dtype), first)
        target = make_view(out, x.shape, out.strides, out._offset + out.strides[axis])
    backend.run(op, x, axis=axis, dtype=res, out=target)
    return out


def as_int(value, name, op):
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{op}: {name} must be an integer, got {type(value).__name__}") from None
