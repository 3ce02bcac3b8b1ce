"""Order statistics built from sorts, gathers and elementwise operations, so they run where the array is:
NumPy's partition, argpartition, lexsort, median, nanmedian, percentile, quantile, nanpercentile,
nanquantile, nanargmax and nanargmin (median and nanmedian are reductions: ``backend.reduce`` may call them
with ``out=``, as the host calls ``numpy.median``).

Selection is a sort. NumPy promises of partition only that the k-th element lands where a sort puts it,
smaller ones before and larger ones after: a sorted array is a valid partition, argsort a valid
argpartition, and every element NumPy's statistics read from a partition has a sorted array's value.

The statistics then repeat NumPy's arithmetic step by step (numpy/lib/_function_base_impl.py: each method's
virtual index, ``_get_indexes``, ``_get_gamma``, ``_lerp``; median's ``mean`` of the middle elements;
numpy/lib/_nanfunctions_impl.py and numpy/ma for the nan-variants), one rdnarray operation per NumPy
operation, in NumPy's dtypes: the results are NumPy's to the bit. Where NumPy's count of elements is a
Python int (weakly typed), a per-slice count here (NaNs excluded) is cast to the dtype that int would take.
The one value that can differ is the sign of a zero: when -0.0 and +0.0 both occur, which of them NumPy's
introselect puts at a position is its own choice.

Device-to-host transfers: none, except one boolean where NumPy's result dtype depends on the data (a NaN
in a 0-d quantile, an all-NaN first slice of a nan-variant, when the result's dtype is not the input's)
and where NumPy may raise (weighted quantiles, nanargmax/nanargmin). Weighted quantiles add each slice's
weights in one sequential chain (kernels/segments.py), as NumPy's cumsum does.

Not covered (NotImplemented, the host computes): empty arrays; complex and bool data (NumPy rejects them
for the statistics); ``out=`` other than the natural result dtype (median) or any ``out=`` (quantiles); a
``q`` that is not an array (NumPy's weak-scalar result type), has more than 2 dimensions, or is of an
integer dtype too small for the count (NumPy raises); weights whose shape is not ``a``'s in the
nan-variants (NumPy's own loop cannot index them); weights that NumPy rejects (negative, or NaN/inf/all-zero
sums: one small transfer finds out, and NumPy then raises); all-NaN slices of nanargmax/nanargmin (NumPy
raises: one small transfer finds out).
"""
import numpy as np

import rdnarray as rp

from ..._core.ndarray import ndarray
from ..kernels import segments

_INT64 = np.dtype(np.int64)
_FLOAT64 = np.dtype(np.float64)
_FLOAT32 = np.dtype(np.float32)
_FLOAT16 = np.dtype(np.float16)

# Hyndman & Fan's (alpha, beta) of the continuous methods, as NumPy writes them (ints stay ints: they keep
# an integer q's arithmetic integral, as in NumPy).
_ALPHA_BETA = {"interpolated_inverted_cdf": (0, 1), "hazen": (0.5, 0.5), "weibull": (0, 0),
               "median_unbiased": (1 / 3.0, 1 / 3.0), "normal_unbiased": (3 / 8.0, 3 / 8.0)}
# Methods that read one element (NumPy's fix_gamma is None): no interpolation.
_DISCRETE = ("inverted_cdf", "closest_observation", "lower", "higher", "nearest")
# NumPy's nanmedian of more than one slice uses numpy.ma's median (a sum of the two middle elements in
# the array's dtype, halved) below this many elements per slice, np.median per slice from it on.
_NANMEDIAN_SMALL = 600


# ---- layout -----------------------------------------------------------------------------------------------

def _reduced_last(a, axis):
    """(x, axes): ``a`` with the axes it keeps first, in order, and the reduced ``axes`` merged into one last
    axis (NumPy's _ureduce; ``axis`` None reduces the whole array)."""
    nd = a.ndim
    if axis is None:
        axes = tuple(range(nd))
    else:
        axes = tuple(sorted({ax % nd for ax in (axis if isinstance(axis, (tuple, list)) else (axis,))}))
    keep = [d for d in range(nd) if d not in axes]
    m = 1
    for d in axes:
        m *= a.shape[d]
    x = rp.permute_dims(a, tuple(keep) + axes) if keep and axes != tuple(range(len(keep), nd)) else a
    return rp.reshape(x, tuple(a.shape[d] for d in keep) + (m,)), axes


def _keepdims(r, ndim, axes):
    """``r`` with NumPy's keepdims (_ureduce): a 1 for each reduced axis among r's last (kept) dimensions."""
    k = ndim - len(axes)
    kept = iter(r.shape[r.ndim - k:])
    return rp.reshape(r, r.shape[:r.ndim - k] + tuple(1 if d in axes else next(kept) for d in range(ndim)))


def _sort_last(backend, x):
    return backend.run("sort", x, axis=x.ndim - 1, stable=False)


def _last(s):
    """s[..., -1]."""
    return s[..., s.shape[-1] - 1]


def _gather(backend, s, idx, qshape):
    """s[..., idx] for ``s`` of shape kept + (m,): ``idx`` (integers in [0, m)) has shape qshape (the same
    positions in every slice) or qshape + kept (its own per slice); the result has shape qshape + kept."""
    k = s.ndim - 1
    q = len(qshape)
    idx = rp.astype(idx, _INT64)
    if idx.ndim == q:
        got = backend.run("take", s, idx, axis=k, mode="clip")  # kept + qshape
    else:
        count = 1
        for n in qshape:
            count *= n
        per_slice = rp.reshape(rp.permute_dims(idx, tuple(range(q, q + k)) + tuple(range(q))),
                               s.shape[:-1] + (count,))
        got = rp.reshape(backend.run("take_along_axis", s, per_slice, axis=k), s.shape[:-1] + tuple(qshape))
    return rp.permute_dims(got, tuple(range(k, k + q)) + tuple(range(k)))


def _nan_counts(s):
    """Elements that are not NaN along the last axis (int64, one per slice)."""
    return rp.subtract(s.shape[-1], rp.sum(rp.isnan(s), axis=-1))


def _weak(n, like):
    """``n`` as NumPy converts a Python int next to the array ``like``: a Python int stays as it is; an array
    of per-slice counts (int64) becomes the dtype such an int would take (``like``'s, int64 next to bool)."""
    if isinstance(n, int):
        return n
    return rp.astype(n, like.dtype if like.dtype.kind in "iuf" else _INT64)


def _minus(n, k):
    return n - k if isinstance(n, int) else rp.subtract(n, k)


# ---- partition, argpartition, lexsort ------------------------------------------------------------------

def partition(backend, a, kth, axis=-1, kind="introselect", order=None):
    if order is not None or not isinstance(a, ndarray) or a.ndim == 0:
        return NotImplemented
    if axis is None:
        a, axis = rp.reshape(a, (-1,)), 0
    return backend.run("sort", a, axis=axis % a.ndim, stable=False)


def argpartition(backend, a, kth, axis=-1, kind="introselect", order=None):
    if order is not None or not isinstance(a, ndarray) or a.ndim == 0:
        return NotImplemented
    if axis is None:
        a, axis = rp.reshape(a, (-1,)), 0
    return backend.run("argsort", a, axis=axis % a.ndim, stable=False)


def lexsort(backend, keys, axis=-1):
    """Stable argsorts from the least significant key (keys[0]) to the most (keys[-1])."""
    if isinstance(keys, ndarray):
        if keys.ndim < 2:
            return NotImplemented
        keys = [keys[i] for i in range(keys.shape[0])]
    elif not isinstance(keys, (list, tuple)) or not keys or not all(isinstance(k, ndarray) for k in keys):
        return NotImplemented
    shape = keys[0].shape
    if not shape or any(k.shape != shape for k in keys):
        return NotImplemented
    axis %= len(shape)
    order = backend.run("argsort", keys[0], axis=axis, stable=True)
    for k in keys[1:]:
        step = backend.run("argsort", backend.run("take_along_axis", k, order, axis=axis), axis=axis, stable=True)
        order = backend.run("take_along_axis", order, step, axis=axis)
    return order


# ---- median and nanmedian ------------------------------------------------------------------------------

def _mean_dtype(dtype):
    return dtype if dtype.kind == "f" else _FLOAT64


def _mean2(lo, hi, into_out):
    """NumPy's mean of two elements (``lo``, ``hi``): summed in float64 for integers, float32 for float16
    (cast into ``out``'s float16 before the halving when NumPy writes into an ``out``), halved."""
    dt = lo.dtype
    if dt.kind != "f":
        return rp.divide(rp.add(lo, hi, dtype=_FLOAT64), 2)
    if dt == _FLOAT16:
        total = rp.add(lo, hi, dtype=_FLOAT32)
        if into_out:
            return rp.divide(rp.astype(total, _FLOAT16), 2)
        return rp.astype(rp.divide(total, 2), _FLOAT16)
    return rp.divide(rp.add(lo, hi), 2)


def _median(backend, a, axis, out, keepdims, skip_nan):
    if not isinstance(a, ndarray) or a.size == 0 or a.dtype.kind not in "iuf":
        return NotImplemented
    res_dtype = _mean_dtype(a.dtype)
    if out is not None and (not isinstance(out, ndarray) or out.dtype != res_dtype):
        return NotImplemented
    x, axes = _reduced_last(a, axis)
    kept, m = x.shape[:-1], x.shape[-1]
    s = _sort_last(backend, x)
    if skip_nan and a.dtype.kind == "f":
        n = _nan_counts(s)
        lo = _gather(backend, s, rp.maximum(rp.floor_divide(rp.subtract(n, 1), 2), 0), ())
        hi = _gather(backend, s, rp.maximum(rp.floor_divide(n, 2), 0), ())
        if kept and m < _NANMEDIAN_SMALL:
            # numpy.ma.median: the middle pair (the middle element twice for odd counts) summed in the
            # dtype, then halved.
            r = rp.divide(rp.add(lo, hi), 2.0)
        else:
            r = rp.where(rp.equal(rp.remainder(n, 2), 1), lo, _mean2(lo, hi, False))
        r = rp.where(rp.equal(n, 0), np.nan, r)  # all-NaN slices
    else:
        mid = s[..., m // 2]
        r = rp.astype(mid, res_dtype) if m % 2 else _mean2(s[..., m // 2 - 1], mid, out is not None)
        if a.dtype.kind == "f":  # a NaN sorts last and makes the median NaN
            last = _last(s)
            r = rp.where(rp.isnan(last), last, r)
    if keepdims:
        r = _keepdims(r, a.ndim, axes)
    if out is None:
        return r
    backend.copy(r, out)
    return out


def median(backend, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _median(backend, a, axis, out, keepdims, False)


def nanmedian(backend, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _median(backend, a, axis, out, keepdims, True)


# ---- quantiles --------------------------------------------------------------------------------------------

def _discrete_to_boundaries(index, condition):
    """NumPy's _discrete_interpolation_to_boundaries: floor(index) where ``condition(gamma, index)``, else
    the next integer, as int64, negatives clipped to 0."""
    previous = rp.floor(index)
    nxt = rp.add(previous, 1)
    gamma = rp.subtract(index, previous)
    res = rp.astype(rp.where(condition(gamma, index), previous, nxt), _INT64)
    return rp.maximum(res, 0)


def _virtual_index(method, n, q):
    """The method's virtual index (NumPy's _QuantileMethods[method]["get_virtual_index"])."""
    if method == "linear":
        return rp.multiply(_weak(_minus(n, 1), q), q)
    if method in ("lower", "higher", "nearest", "midpoint"):
        v = rp.multiply(_weak(_minus(n, 1), q), q)
        if method == "lower":
            return rp.astype(rp.floor(v), _INT64)
        if method == "higher":
            return rp.astype(rp.ceil(v), _INT64)
        if method == "nearest":
            return rp.astype(rp.round(v), _INT64)
        return rp.multiply(0.5, rp.add(rp.floor(v), rp.ceil(v)))
    nq = rp.multiply(_weak(n, q), q)
    if method == "inverted_cdf":
        return _discrete_to_boundaries(rp.subtract(nq, 1), lambda gamma, _: rp.equal(gamma, 0))
    if method == "averaged_inverted_cdf":
        return rp.subtract(nq, 1)
    if method == "closest_observation":
        return _discrete_to_boundaries(
            rp.subtract(rp.subtract(nq, 1), 0.5),
            lambda gamma, index: rp.logical_and(rp.equal(gamma, 0),
                                                rp.equal(rp.remainder(rp.floor(index), 2), 1)))
    alpha, beta = _ALPHA_BETA[method]
    return rp.subtract(rp.add(nq, rp.add(alpha, rp.multiply(q, 1 - alpha - beta))), 1)


def _get_indexes(virtual, n):
    """NumPy's _get_indexes: (previous, next) int64 positions around the virtual index; -1 (the last
    element) at or past n - 1, 0 below 0."""
    previous = rp.floor(virtual)
    nxt = rp.add(previous, 1)
    above = rp.greater_equal(virtual, _weak(_minus(n, 1), virtual))
    previous, nxt = rp.where(above, -1, previous), rp.where(above, -1, nxt)
    below = rp.less(virtual, 0)
    previous, nxt = rp.where(below, 0, previous), rp.where(below, 0, nxt)
    return rp.astype(previous, _INT64), rp.astype(nxt, _INT64)


def _get_gamma(virtual, previous, method):
    gamma = rp.subtract(virtual, previous)
    if method == "averaged_inverted_cdf":
        gamma = rp.where(rp.equal(gamma, 0), 0.5, 1.0)  # float64, as NumPy's np.full(shape, 1.)
    elif method == "midpoint":
        gamma = rp.where(rp.equal(rp.remainder(virtual, 1), 0), 0.0, 0.5)
    return rp.astype(gamma, virtual.dtype)


def _lerp(a, b, t):
    """NumPy's _lerp: a + (b - a) * t, or b - (b - a) * (1 - t) where t >= 0.5 (in the first's dtype)."""
    diff = rp.subtract(b, a)
    lerp = rp.add(a, rp.multiply(diff, t))
    upper = rp.subtract(b, rp.multiply(diff, rp.subtract(1, t)), dtype=lerp.dtype)
    return rp.where(rp.greater_equal(t, 0.5), upper, lerp)


def _positions(idx, n):
    """``idx`` with NumPy's -1 (the last of ``n`` elements) made n - 1, and never below 0."""
    return rp.maximum(rp.where(rp.less(idx, 0), rp.add(idx, n), idx), 0)


def _unweighted(backend, s, q, method, n, kept):
    """The quantiles ``q`` of each sorted slice of ``s`` (its first ``n`` elements): shape q.shape + kept."""
    qshape = q.shape
    qx = q if isinstance(n, int) else rp.reshape(q, qshape + (1,) * len(kept))
    virtual = _virtual_index(method, n, qx)
    if method in _DISCRETE or (method == "linear" and virtual.dtype.kind in "iu"):
        return _gather(backend, s, _positions(virtual, n), qshape)
    previous, nxt = _get_indexes(virtual, n)
    gamma = _get_gamma(virtual, previous, method)
    if isinstance(n, int):
        gamma = rp.reshape(gamma, qshape + (1,) * len(kept))
    return _lerp(_gather(backend, s, _positions(previous, n), qshape),
                 _gather(backend, s, _positions(nxt, n), qshape), gamma)


def _weights_like(w, a, axis):
    """NumPy's _weights_are_valid: ``w`` as an array of ``a``'s shape, or None where NumPy raises."""
    if w.shape == a.shape:
        return w
    if axis is None:
        return None
    axes = tuple(ax % a.ndim for ax in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    if w.shape != tuple(a.shape[ax] for ax in axes):
        return None
    w = rp.permute_dims(w, tuple(int(i) for i in np.argsort(axes)))
    w = rp.reshape(w, tuple(n if d in axes else 1 for d, n in enumerate(a.shape)))
    return rp.broadcast_to(w, a.shape)


def _weighted(backend, x, w, q, skip_nan):
    """NumPy's weighted inverted_cdf: (the element of each sorted slice where the cumulative weight first
    reaches q, the sorted slices, their counts), or None where NumPy raises (negative weights; weights
    summing to NaN, inf or zero)."""
    order = backend.run("argsort", x, axis=x.ndim - 1, stable=False)
    s = backend.run("take_along_axis", x, order, axis=x.ndim - 1)
    sw = backend.run("take_along_axis", w, order, axis=x.ndim - 1)
    kept, m = x.shape[:-1], x.shape[-1]
    n = m
    if skip_nan:  # NumPy drops the NaNs' weights; zeros after the valid prefix change no sum before it
        n = _nan_counts(s)
        sw = rp.where(rp.isnan(s), 0, sw)
    cdf = segments.row_cumsum(backend, sw, _FLOAT64)  # NumPy's cumsum(dtype=float64): sequential per slice
    cdf = rp.divide(cdf, cdf[..., m - 1:m])
    invalid = rp.isnan(_last(cdf))
    if not isinstance(n, int):
        invalid = rp.logical_and(invalid, rp.greater(n, 0))
    if bool(rp.logical_or(rp.any(rp.less(w, 0)), rp.any(invalid))):
        return None
    if q.dtype.kind == "f":
        cdf = rp.astype(cdf, q.dtype)
    cdf = rp.where(rp.equal(cdf, 0), -1, cdf)  # leading zero weights: q == 0 picks the first weighted one
    qx = rp.reshape(q, q.shape + (1,) * (len(kept) + 1))
    idx = rp.sum(rp.less(cdf, qx), axis=-1)  # searchsorted(cdf, q, "left") of each slice
    idx = rp.minimum(idx, _minus(n, 1))
    return _gather(backend, s, rp.maximum(idx, 0), q.shape), s, n


def _quantile(backend, name, a, q, axis, out, method, keepdims, weights):
    skip_nan = name.startswith("nan")
    if (out is not None or not isinstance(a, ndarray) or not isinstance(q, ndarray) or q.ndim > 2
            or a.size == 0 or a.dtype.kind not in "iuf" or q.dtype.kind not in "biuf"):
        return NotImplemented
    if name.endswith("percentile"):
        q = rp.divide(q, 100)
    x, axes = _reduced_last(a, axis)
    kept = x.shape[:-1]
    if q.dtype.kind in "iu" and x.shape[-1] > np.iinfo(q.dtype).max:
        return NotImplemented  # NumPy's count does not fit q's small integer dtype: it raises OverflowError
    floats = a.dtype.kind == "f"
    skip_nan = skip_nan and floats  # integers hold no NaN: the nan-variants are the plain ones
    if weights is not None:
        if method != "inverted_cdf" or not isinstance(weights, ndarray):
            return NotImplemented
        w = _weights_like(weights, a, axis)
        if w is None or (skip_nan and weights.shape != a.shape):
            return NotImplemented
        got = _weighted(backend, x, _reduced_last(w, axis)[0], q, skip_nan)
        if got is None:
            return NotImplemented
        result, s, n = got
    else:
        s = _sort_last(backend, x)
        n = _nan_counts(s) if skip_nan else x.shape[-1]
        result = _unweighted(backend, s, q, method, n, kept)
    if skip_nan:
        all_nan = rp.equal(n, 0)
        result = rp.where(all_nan, np.nan, result)
        if result.dtype != a.dtype:
            # NumPy returns the input's dtype for an all-NaN 1-D slice, and its nd loop takes the dtype of
            # the first slice's result: one small transfer decides.
            first = all_nan if not kept else rp.reshape(all_nan, (-1,))[0]
            if bool(first):
                result = rp.astype(result, a.dtype)
    elif floats:
        last = _last(s)
        has_nan = rp.isnan(last)
        if result.ndim == 0 and result.dtype != a.dtype:
            if bool(has_nan):  # NumPy returns arr[-1] itself (the input's dtype) for a 0-d result
                result = last
        else:
            result = rp.where(has_nan, rp.astype(last, result.dtype), result)
    if name.startswith("nan") and weights is None and q.ndim == 2 and kept and axis is not None and len(axes) != 1:
        # NumPy's nan-variants move q's axes to the front as if the reduced axis had a non-negative number
        # (_nanquantile_ureduce_func's moveaxis from [axis, axis + 1] with axis -1): with a 2-D q and other
        # than one reduced axis, its result's axes are (q1, kept..., q0).
        result = rp.permute_dims(result, tuple(range(1, result.ndim)) + (0,))
    if keepdims:
        result = _keepdims(result, a.ndim, axes)
    return result


def _quantile_fn(name):
    def run(backend, a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *,
            weights=None):
        return _quantile(backend, name, a, q, axis, out, method, keepdims, weights)
    run.__name__ = name
    return run


# ---- nanargmax, nanargmin -------------------------------------------------------------------------------

def _nanarg(name, fill):
    def run(backend, a, axis=None, out=None, *, keepdims=False):
        if out is not None or not isinstance(a, ndarray) or a.size == 0 or a.dtype.kind not in "biuf":
            return NotImplemented
        if a.dtype.kind == "f":
            nan = rp.isnan(a)
            if bool(rp.any(rp.all(nan, axis=axis))):
                return NotImplemented  # an all-NaN slice: NumPy raises
            a = rp.where(nan, fill, a)
        return backend.run(name, a, axis=axis, keepdims=keepdims)
    run.__name__ = "nan" + name
    return run


NATIVE = {
    "partition": partition, "argpartition": argpartition, "lexsort": lexsort,
    "median": median, "nanmedian": nanmedian,
    "percentile": _quantile_fn("percentile"), "quantile": _quantile_fn("quantile"),
    "nanpercentile": _quantile_fn("nanpercentile"), "nanquantile": _quantile_fn("nanquantile"),
    "nanargmax": _nanarg("argmax", -np.inf), "nanargmin": _nanarg("argmin", np.inf),
}
