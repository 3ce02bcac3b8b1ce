"""Array API statistical and utility functions (sum, mean, var, cumulative_sum, all, any, diff, ...) and
NumPy's (nan-functions, median, percentile, average, histograms, bincount, digitize, cov, corrcoef).

Reductions are rows of ``_core/reduction.py``; the others validate here and run as one named backend
operation each (``backend.run("percentile", ...)``).

Signatures take ``x`` positional-only and the rest in NumPy's order, so both ``sum(x, axis=0)`` (the
standard) and ``sum(x, 0)`` (NumPy) work.
"""
import numbers

import numpy as np

from ._core import dtypes as _dt
from ._core import reduction as _red
from ._core.ndarray import make_view, ndarray
from ._core.transfer import asarray
from ._core.views import normalize_axes, normalize_axis
from ._elementwise_functions import greater_equal, less, less_equal, logical_and, not_equal, subtract
from ._manipulation import reshape

__all__ = [
    "sum", "prod", "max", "min", "mean", "var", "std", "cumulative_sum", "cumulative_prod", "all", "any",
    "diff", "cumsum", "cumprod", "nansum", "nanprod", "nanmax", "nanmin", "nanmean", "nanvar", "nanstd",
    "nanargmax", "nanargmin", "nancumsum", "nancumprod", "nanmedian", "nanpercentile", "nanquantile",
    "ptp", "median", "percentile", "quantile", "average", "histogram", "histogram2d", "histogramdd",
    "histogram_bin_edges", "bincount", "digitize", "cov", "corrcoef", "amax", "amin",
]

_QUANTILE_METHODS = (
    "inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf", "hazen",
    "weibull", "linear", "median_unbiased", "normal_unbiased", "lower", "higher", "midpoint", "nearest",
)


def _array(x):
    return x if isinstance(x, ndarray) else asarray(x)


def _no_where(op, where):
    if where is not True:
        raise TypeError(f"{op}: the where= argument is not supported")


def _reduce(row, x, axis, dtype, out, keepdims, initial=None, where=True, **params):
    if where is not True:  # checked inline: this is on the path of every x.sum()
        _no_where(row.name, where)
    if initial is not None:
        # An explicit initial value is the identity of this call: empty reductions become valid.
        row = row._replace(identity=initial)
        params["initial"] = initial
    return _red.reduce(row, _array(x), axis, dtype, out, keepdims, **params)


def _ddof(op, ddof, correction):
    """NumPy's ddof= and the standard's correction= are one argument; both at once is an error."""
    if correction is not None:
        if ddof != 0:
            raise ValueError(f"{op}: ddof and correction can't be provided simultaneously")
        ddof = correction
    if not isinstance(ddof, numbers.Real):
        raise TypeError(f"{op}: ddof/correction must be a real number, got {type(ddof).__name__}")
    return ddof


def _into(op, result, out):
    """``result``, or copied into the checked ``out`` (the result is computed before ``out`` is touched)."""
    if out is None:
        return result
    _red.check_out(op, out, result.shape, result.dtype, result.device)
    result.device.backend.copy(result, out)
    return out


# -- reductions -------------------------------------------------------------------------------------------
def sum(x, /, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    return _reduce(_red.SUM, x, axis, dtype, out, keepdims, initial, where)


def prod(x, /, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    return _reduce(_red.PROD, x, axis, dtype, out, keepdims, initial, where)


def max(x, /, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _reduce(_red.MAX, x, axis, None, out, keepdims, initial, where)


def min(x, /, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _reduce(_red.MIN, x, axis, None, out, keepdims, initial, where)


amax, amin = max, min


def mean(x, /, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    return _reduce(_red.MEAN, x, axis, dtype, out, keepdims, where=where)


def _var_like(row, x, axis, dtype, out, ddof, keepdims, where, mean, correction):
    if mean is not None:
        raise TypeError(f"{row.name}: the mean= argument is not supported")
    return _reduce(row, x, axis, dtype, out, keepdims, where=where, ddof=_ddof(row.name, ddof, correction))


def var(x, /, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None,
        correction=None):
    return _var_like(_red.VAR, x, axis, dtype, out, ddof, keepdims, where, mean, correction)


def std(x, /, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None,
        correction=None):
    return _var_like(_red.STD, x, axis, dtype, out, ddof, keepdims, where, mean, correction)


def all(x, /, axis=None, out=None, keepdims=False, *, where=True):
    return _reduce(_red.ALL, x, axis, None, out, keepdims, where=where)


def any(x, /, axis=None, out=None, keepdims=False, *, where=True):
    return _reduce(_red.ANY, x, axis, None, out, keepdims, where=where)


def ptp(a, axis=None, out=None, keepdims=False):
    """Range of values (maximum - minimum) along an axis."""
    return _red.reduce(_red.PTP, _array(a), axis, None, out, keepdims)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    # overwrite_input only permits scratch use of `a`; the input is never modified here.
    return _red.reduce(_red.MEDIAN, _array(a), axis, None, out, keepdims)


def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    return _reduce(_red.NANSUM, a, axis, dtype, out, keepdims, initial, where)


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    return _reduce(_red.NANPROD, a, axis, dtype, out, keepdims, initial, where)


def nanmax(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _reduce(_red.NANMAX, a, axis, None, out, keepdims, initial, where)


def nanmin(a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return _reduce(_red.NANMIN, a, axis, None, out, keepdims, initial, where)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    return _reduce(_red.NANMEAN, a, axis, dtype, out, keepdims, where=where)


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None,
           correction=None):
    return _var_like(_red.NANVAR, a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=None,
           correction=None):
    return _var_like(_red.NANSTD, a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _red.reduce(_red.NANMEDIAN, _array(a), axis, None, out, keepdims)


def _nanarg(op, a, axis, out, keepdims):
    a = _array(a)
    if not _dt.in_category(a.dtype, "real-valued"):
        raise TypeError(f"{op}: unsupported dtype {a.dtype}; {op} needs real-valued dtypes")
    if axis is not None:
        axis = normalize_axis(axis, a.ndim, op)
    if a.size == 0:
        raise ValueError(f"{op}: attempt to get {op[3:]} of an empty sequence (shape {a.shape})")
    return _into(op, a.device.backend.run(op, a, axis=axis, keepdims=bool(keepdims)), out)


def nanargmax(a, axis=None, out=None, *, keepdims=False):
    return _nanarg("nanargmax", a, axis, out, keepdims)


def nanargmin(a, axis=None, out=None, *, keepdims=False):
    return _nanarg("nanargmin", a, axis, out, keepdims)


# -- cumulative -------------------------------------------------------------------------------------------
def _numpy_scan(row, a, axis, dtype, out):
    """NumPy's cumsum & co: axis=None scans the flattened array."""
    a = _array(a)
    if axis is None:
        a = reshape(a, (-1,))
        axis = 0
    return _red.scan(row, a, axis, dtype, out)


def cumsum(a, axis=None, dtype=None, out=None):
    return _numpy_scan(_red.SUM, a, axis, dtype, out)


def cumprod(a, axis=None, dtype=None, out=None):
    return _numpy_scan(_red.PROD, a, axis, dtype, out)


def nancumsum(a, axis=None, dtype=None, out=None):
    return _numpy_scan(_red.NANSUM, a, axis, dtype, out)


def nancumprod(a, axis=None, dtype=None, out=None):
    return _numpy_scan(_red.NANPROD, a, axis, dtype, out)


def _cumulative(row, op, x, axis, dtype, include_initial):
    x = _array(x)
    if x.ndim == 0:
        x = reshape(x, (1,))  # NumPy's choice for the case the standard leaves unspecified
    if axis is None:
        if x.ndim > 1:
            raise ValueError(f"{op}: axis must be given for an array of {x.ndim} dimensions (shape {x.shape})")
        axis = 0
    return _red.scan(row, x, axis, dtype, None, bool(include_initial))


def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False):
    return _cumulative(_red.SUM, "cumulative_sum", x, axis, dtype, include_initial)


def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False):
    return _cumulative(_red.PROD, "cumulative_prod", x, axis, dtype, include_initial)


# -- diff -------------------------------------------------------------------------------------------------
def _slice(x, axis, start, stop):
    """The view x[..., start:stop, ...] along ``axis`` (0 <= start <= stop <= x.shape[axis])."""
    shape = x.shape[:axis] + (stop - start,) + x.shape[axis + 1:]
    return make_view(x, shape, x.strides, x._offset + (start * x.strides[axis] if stop > start else 0))


def _edge(v, x, axis, name):
    """``prepend``/``append`` as an array shaped like ``x`` except along ``axis`` (scalars broadcast)."""
    v = asarray(v, device=x.device) if not isinstance(v, ndarray) else v
    if v.device != x.device:
        raise ValueError(f"diff: {name} is on {v.device}, x on {x.device}")
    if v.ndim == 0:
        full = x.device.backend.run("full", x.shape[:axis] + (1,) + x.shape[axis + 1:], v, dtype=v.dtype)
        return full
    if v.ndim != x.ndim or v.shape[:axis] != x.shape[:axis] or v.shape[axis + 1:] != x.shape[axis + 1:]:
        raise ValueError(f"diff: {name} has shape {v.shape}, which does not match x of shape {x.shape} "
                         f"except along axis {axis}")
    return v


def diff(x, /, n=1, axis=-1, prepend=None, append=None):
    """The n-th discrete forward difference along ``axis`` (bool arrays: x[i+1] != x[i], as NumPy)."""
    x = _array(x)
    n = _red.as_int(n, "n", "diff")
    if n < 0:
        raise ValueError(f"diff: order n must be non-negative, got {n}")
    if x.ndim == 0:
        raise ValueError("diff: x must have at least one dimension, got a 0-d array")
    axis = normalize_axis(axis, x.ndim, "diff")
    if n == 0:
        return x
    parts = [x]
    if prepend is not None:
        parts.insert(0, _edge(prepend, x, axis, "prepend"))
    if append is not None:
        parts.append(_edge(append, x, axis, "append"))
    if len(parts) > 1:
        dt = _dt.result_type(*parts)
        length = 0
        for p in parts:
            length += p.shape[axis]
        shape = x.shape[:axis] + (length,) + x.shape[axis + 1:]
        joined = x.device.backend.empty(shape, dt)
        start = 0
        for p in parts:
            x.device.backend.copy(p, _slice(joined, axis, start, start + p.shape[axis]))
            start += p.shape[axis]
        x = joined
    op = not_equal if x.dtype.kind == "b" else subtract
    for _ in range(n):
        m = x.shape[axis]
        if m == 0:
            break
        x = op(_slice(x, axis, 1, m), _slice(x, axis, 0, m - 1))
    return x


# -- order statistics and averages -----------------------------------------------------------------------
def _quantile(op, a, q, axis, out, method, keepdims, weights, high):
    a = _array(a)
    if not _dt.in_category(a.dtype, "real-valued"):
        raise TypeError(f"{op}: unsupported dtype {a.dtype}; {op} needs real-valued dtypes")
    q = asarray(q, device=a.device) if not isinstance(q, ndarray) else q
    if q.dtype.kind not in "biuf":
        raise TypeError(f"{op}: q must be real numbers, got dtype {q.dtype}")
    flat = reshape(q, (-1,))
    if q.size and not bool(all(logical_and(greater_equal(flat, 0), less_equal(flat, high)))):
        raise ValueError(f"{op}: q must be in the range [0, {high}]")
    if method not in _QUANTILE_METHODS:
        raise ValueError(f"{op}: method must be one of {', '.join(_QUANTILE_METHODS)}; got {method!r}")
    axes = None if axis is None else normalize_axes(axis, a.ndim, op)
    kw = {}
    if weights is not None:
        if method != "inverted_cdf":
            raise ValueError(f"{op}: weights are only supported with method='inverted_cdf'")
        kw["weights"] = _array(weights)
    result = a.device.backend.run(op, a, q, axis=axes, method=method, keepdims=bool(keepdims), **kw)
    return _into(op, result, out)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *,
               weights=None):
    return _quantile("percentile", a, q, axis, out, method, keepdims, weights, 100)


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *,
             weights=None):
    return _quantile("quantile", a, q, axis, out, method, keepdims, weights, 1)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *,
                  weights=None):
    return _quantile("nanpercentile", a, q, axis, out, method, keepdims, weights, 100)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *,
                weights=None):
    return _quantile("nanquantile", a, q, axis, out, method, keepdims, weights, 1)


def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """The weighted mean along ``axis``; with ``returned=True`` also the sum of the weights."""
    a = _array(a)
    axes = normalize_axes(axis, a.ndim, "average")
    if weights is None:
        avg = mean(a, axis=axes, keepdims=keepdims)
        if not returned:
            return avg
        count = 1
        for ax in axes:
            count *= a.shape[ax]
        return avg, a.device.backend.run("full", avg.shape, count, dtype=avg.dtype)
    w = _array(weights)
    if w.shape != a.shape and (axis is None or w.shape != tuple(a.shape[ax] for ax in axes)):
        raise ValueError(f"average: weights of shape {w.shape} differ from a of shape {a.shape} "
                         f"and from its shape along axis {axis}")
    return a.device.backend.run("average", a, axis=None if axis is None else axes, weights=w,
                                returned=bool(returned), keepdims=bool(keepdims))


# -- histograms and counting ------------------------------------------------------------------------------
def _bins(bins, device, op):
    """``bins``: an int, a method name, or bin edges (an array); a sequence of those per dimension."""
    if isinstance(bins, (str, numbers.Integral)):
        if isinstance(bins, numbers.Integral) and bins < 1:
            raise ValueError(f"{op}: bins must be a positive integer, got {bins}")
        return bins
    if isinstance(bins, ndarray) or not isinstance(bins, (list, tuple)) or not bins or \
            not isinstance(bins[0], (list, tuple, ndarray, numbers.Integral)):
        edges = asarray(bins, device=device)
        if edges.ndim != 1:
            raise ValueError(f"{op}: bin edges must be one-dimensional, got shape {edges.shape}")
        return edges
    # One entry per dimension: ints stay ints; edges travel as plain lists (they are small).
    return [b if isinstance(b, numbers.Integral) else asarray(b).tolist() for b in bins]


def _weights(weights, shape, op):
    if weights is None:
        return None
    w = _array(weights)
    if w.shape != shape:
        raise ValueError(f"{op}: weights of shape {w.shape} do not match the data of shape {shape}")
    return w


def _range(r, op):
    if r is None:
        return None
    lo, hi = r
    if lo > hi:
        raise ValueError(f"{op}: range must have min <= max, got {r}")
    return (lo, hi)


def histogram(a, bins=10, range=None, density=None, weights=None):
    a = _array(a)
    return a.device.backend.run("histogram", a, bins=_bins(bins, a.device, "histogram"),
                                range=_range(range, "histogram"), density=density,
                                weights=_weights(weights, a.shape, "histogram"))


def histogram_bin_edges(a, bins=10, range=None, weights=None):
    a = _array(a)
    return a.device.backend.run("histogram_bin_edges", a, bins=_bins(bins, a.device, "histogram_bin_edges"),
                                range=_range(range, "histogram_bin_edges"),
                                weights=_weights(weights, a.shape, "histogram_bin_edges"))


def histogram2d(x, y, bins=10, range=None, density=None, weights=None):
    x, y = _array(x), _array(y)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"histogram2d: x and y must be 1-D of the same length, got shapes {x.shape} and {y.shape}")
    return x.device.backend.run("histogram2d", x, y, bins=_bins(bins, x.device, "histogram2d"), range=range,
                                density=density, weights=_weights(weights, x.shape, "histogram2d"))


def histogramdd(sample, bins=10, range=None, density=None, weights=None):
    sample = _array(sample)
    if sample.ndim != 2:
        raise ValueError(f"histogramdd: sample must be an (N, D) array, got shape {sample.shape}")
    return sample.device.backend.run("histogramdd", sample, bins=_bins(bins, sample.device, "histogramdd"),
                                     range=range, density=density,
                                     weights=_weights(weights, sample.shape[:1], "histogramdd"))


def bincount(x, /, weights=None, minlength=0):
    x = _array(x)
    if x.ndim != 1:
        raise ValueError(f"bincount: x must be 1-D, got shape {x.shape}")
    if x.dtype.kind not in "biu" or x.dtype == np.uint64:
        raise TypeError(f"bincount: x must hold integers that fit int64, got dtype {x.dtype}")
    minlength = _red.as_int(minlength, "minlength", "bincount")
    if minlength < 0:
        raise ValueError(f"bincount: minlength must be non-negative, got {minlength}")
    if x.size and bool(any(less(x, 0))):
        raise ValueError("bincount: x must not hold negative values")
    return x.device.backend.run("bincount", x, weights=_weights(weights, x.shape, "bincount"),
                                minlength=minlength)


def digitize(x, bins, right=False):
    x = _array(x)
    bins = _array(bins)
    if bins.ndim != 1:
        raise ValueError(f"digitize: bins must be 1-D, got shape {bins.shape}")
    if x.dtype.kind == "c" or bins.dtype.kind == "c":
        raise TypeError("digitize: complex values are not supported")
    return x.device.backend.run("digitize", x, bins, right=bool(right))


def _observations(m, op):
    m = _array(m)
    if m.ndim > 2:
        raise ValueError(f"{op}: m must have at most 2 dimensions, got shape {m.shape}")
    return m


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None):
    m = _observations(m, "cov")
    y = None if y is None else _observations(y, "cov")
    if ddof is not None:
        ddof = _red.as_int(ddof, "ddof", "cov")
    kw = {"fweights": None if fweights is None else _array(fweights),
          "aweights": None if aweights is None else _array(aweights)}
    return m.device.backend.run("cov", m, y, rowvar=bool(rowvar), bias=bool(bias), ddof=ddof,
                                dtype=_dt.normalize(dtype), **kw)


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    x = _observations(x, "corrcoef")
    y = None if y is None else _observations(y, "corrcoef")
    return x.device.backend.run("corrcoef", x, y, rowvar=bool(rowvar), dtype=_dt.normalize(dtype))
