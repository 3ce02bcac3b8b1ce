"""Statistics as compositions of rdnarray operations: NumPy's ``convolve``, ``correlate``, ``average``,
``cov`` and ``corrcoef``.

``convolve``/``correlate`` follow NumPy's ``_pyarray_correlate``: the longer input slides under the
shorter one (swapped, and the result reversed, when the first is shorter); ``convolve`` is the
non-conjugating correlation with the reversed kernel, ``correlate`` conjugates its second input. The
sums are one matrix product: the result, cut into rows of ``B`` outputs, is

    out[p*B + q] = sum_r apad[p*B + r] * T[r, q],   T[r, q] = v[r - q] (0 outside 0 <= r - q < n),

where ``apad`` is the longer input with the mode's zeros around it. The windows ``apad[p*B : p*B + B+n-1]``
are a strided view (no copy); ``T`` is a small banded (B + n - 1) x B matrix. The GEMM does
(B + n - 1) / n times the products of a direct sum, at the speed of a matrix product instead of that
of a matrix-vector one. The zeros multiply input values, which is exact for finite values only
(0 * inf is nan where NumPy's sum never formed that product): float inputs with an inf or nan go to
the host. Integers and bool are exact.

``average`` (with weights), ``cov`` and ``corrcoef`` are NumPy's own sequence of operations (same
dtypes, same host-side scalar arithmetic for the normalization, same warnings), each step an rdnarray
operation: reductions, elementwise operations and, for ``cov``, the matrix product X @ X^H.

NotImplemented (the host computes, and raises NumPy's error for bad input): convolve/correlate of
empty or non-1-D inputs, modes other than the three names, float/complex inputs with inf or nan;
average/cov/corrcoef with non-numeric dtypes, weights of a shape NumPy rejects, weights that sum to
zero, fweights that are not non-negative integers, negative aweights, and y with another number of
observations than m; cov/corrcoef with a non-float ``dtype``.
"""
import warnings

import numpy as np

import rdnarray as rp

from ..._core import views as _views
from ..._core.ndarray import make_view

_MODES = ("valid", "same", "full")
_BLOCK = 128               # outputs per row of the product: one GEMM tile wide
_BAND_MAX = 2**22          # elements of the banded matrix T at most: B shrinks for long kernels
_FLOAT64 = np.dtype(np.float64)


def _host_scalar(backend, x):
    """The value of the 0-d array ``x`` as a NumPy scalar of its dtype (one small device-to-host copy)."""
    return backend.to_numpy(x)[()]


def _finite(x):
    return x.dtype.kind not in "fc" or x.size == 0 or bool(rp.all(rp.isfinite(x)))


# ---- convolve / correlate -----------------------------------------------------------------------------

def _windows_product(a, v, left, length):
    """out[j] = sum_i apad[j + i] * v[i] for j < length, where apad is ``a`` after ``left`` zeros (and
    zeros after it), as one matrix product of strided windows and a banded matrix (see above)."""
    n1, n = a.shape[0], v.shape[0]
    dt = a.dtype
    b = max(1, min(_BLOCK, length, _BAND_MAX // (_BLOCK + n)))
    rows = -(-length // b)
    s = dt.itemsize
    apad = rp.zeros(rows * b + n - 1, dtype=dt, device=a.device)
    apad[left:left + n1] = a
    windows = make_view(apad, (rows, b + n - 1), (b * s, s), apad._offset)
    vpad = rp.zeros(n + 2 * (b - 1), dtype=dt, device=a.device)
    vpad[b - 1:b - 1 + n] = v
    # T[r, q] = vpad[b - 1 + r - q]: a view with strides (+1, -1) items, copied so the GEMM reads it in
    # a plain row-major layout.
    band = make_view(vpad, (b + n - 1, b), (s, -s), vpad._offset + (b - 1) * s).copy()
    return rp.reshape(rp.matmul(windows, band), (rows * b,))[:length]


def _correlate(a, v, mode):
    """NumPy's non-conjugating correlation of two 1-D arrays (multiarray.correlate)."""
    n1, n = a.shape[0], v.shape[0]
    inverted = n1 < n
    if inverted:
        a, v, n1, n = v, a, n, n1
    left = {"valid": 0, "same": n // 2, "full": n - 1}[mode]
    length = {"valid": n1 - n + 1, "same": n1, "full": n1 + n - 1}[mode]
    out = _windows_product(a, v, left, length)
    return rp.flip(out) if inverted else out


def _args(a, v, mode):
    """The inputs in their common dtype, or None for what is not covered here."""
    if mode not in _MODES or a.ndim != 1 or v.ndim != 1 or a.size == 0 or v.size == 0:
        return None
    dt = np.result_type(a.dtype, v.dtype)
    if dt.kind not in "biufc" or not (_finite(a) and _finite(v)):
        return None
    return rp.astype(a, dt, copy=False), rp.astype(v, dt, copy=False)


def convolve(backend, a, v, mode="full"):
    """``np.convolve(a, v, mode)``: the correlation of the longer input with the reversed shorter one."""
    args = _args(a, v, mode)
    if args is None:
        return NotImplemented
    a, v = args
    if v.shape[0] > a.shape[0]:
        a, v = v, a
    return _correlate(a, rp.flip(v), mode)


def correlate(backend, a, v, mode="valid"):
    """``np.correlate(a, v, mode)``: c[k] = sum_n a[n + k] * conj(v[n])."""
    args = _args(a, v, mode)
    if args is None:
        return NotImplemented
    a, v = args
    return _correlate(a, rp.conj(v) if v.dtype.kind == "c" else v, mode)


# ---- average ------------------------------------------------------------------------------------------

def _average(a, axis, weights, keepdims):
    """(avg, sum of weights) of NumPy's ``average`` (``axis`` None or a tuple of normalized axes), or None
    where NumPy raises."""
    if weights is None:
        avg = rp.mean(a, axis=axis, keepdims=keepdims)
        if avg.size == 0:
            return None  # NumPy divides by the zero size
        return avg, rp.asarray(a.size / avg.size, dtype=avg.dtype, device=a.device)
    wgt = weights
    if a.shape != wgt.shape:
        if axis is None or wgt.shape != tuple(a.shape[ax] for ax in axis):
            return None
        wgt = _views.permute(wgt, tuple(int(i) for i in np.argsort(axis)))
        wgt = rp.reshape(wgt, tuple(s if ax in axis else 1 for ax, s in enumerate(a.shape)))
    if a.dtype.kind in "biu":
        result_dtype = np.result_type(a.dtype, wgt.dtype, _FLOAT64)
    else:
        result_dtype = np.result_type(a.dtype, wgt.dtype)
    if result_dtype.kind not in "fc":
        return None
    scl = rp.sum(wgt, axis=axis, dtype=result_dtype, keepdims=keepdims)
    if bool(rp.any(rp.equal(scl, 0.0))):
        return None  # NumPy raises ZeroDivisionError
    avg = rp.divide(rp.sum(rp.multiply(a, wgt, dtype=result_dtype), axis=axis, keepdims=keepdims), scl)
    return avg, scl


def average(backend, a, axis=None, weights=None, returned=False, keepdims=False):
    """``np.average(a, axis, weights, returned, keepdims=keepdims)``."""
    if a.dtype.kind not in "biufc" or (weights is not None and weights.dtype.kind not in "biufc"):
        return NotImplemented
    if axis is not None:
        axis = axis if isinstance(axis, tuple) else (axis,)
        axis = tuple(_views.normalize_axis(ax, a.ndim, "average") for ax in axis)
    r = _average(a, axis, weights, keepdims)
    if r is None:
        return NotImplemented
    avg, scl = r
    if not returned:
        return avg
    if scl.shape != avg.shape:
        scl = rp.broadcast_to(scl, avg.shape).copy()
    return avg, scl


# ---- cov / corrcoef -----------------------------------------------------------------------------------

def _observations(x, dtype):
    """``np.array(x, ndmin=2, dtype=dtype)``: a new array of at least 2 dimensions."""
    x = rp.astype(x, dtype, copy=True)
    return rp.reshape(x, (1,) * (2 - x.ndim) + x.shape) if x.ndim < 2 else x


def _frequency_weights(w, n, integral):
    """``w`` as float64 weights of ``n`` observations, or None where NumPy raises (not 1-D, another
    length, negative, or, for fweights, not integral)."""
    if w.dtype.kind not in "biuf" or w.ndim != 1 or w.shape[0] != n:
        return None
    w = rp.astype(w, _FLOAT64, copy=False)
    if integral and not bool(rp.all(rp.equal(w, rp.round(w)))):
        return None
    if bool(rp.any(rp.less(w, 0))):
        return None
    return w


def cov(backend, m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, dtype=None):
    """``np.cov``: NumPy's steps, the sums as rdnarray reductions and X @ X^H as a matrix product."""
    if m.ndim > 2 or (y is not None and y.ndim > 2) or (ddof is not None and ddof != int(ddof)):
        return NotImplemented
    if m.dtype.kind not in "biufc" or (y is not None and y.dtype.kind not in "biufc"):
        return NotImplemented
    if dtype is None:
        dtype = np.result_type(m.dtype, _FLOAT64) if y is None else np.result_type(m.dtype, y.dtype, _FLOAT64)
    dtype = np.dtype(dtype)
    if dtype.kind not in "fc":
        return NotImplemented
    X = _observations(m, dtype)
    if not rowvar and m.ndim != 1:
        X = X.T
    if X.shape[0] == 0:
        return backend.empty((0, 0), _FLOAT64)
    if y is not None:
        y = _observations(y, dtype)
        if not rowvar and y.shape[0] != 1:
            y = y.T
        if y.shape[1] != X.shape[1]:
            return NotImplemented  # NumPy's concatenate raises
        X = rp.concatenate((X, y), axis=0)
    if ddof is None:
        ddof = 1 if bias == 0 else 0

    w = None
    if fweights is not None:
        w = _frequency_weights(fweights, X.shape[1], True)
        if w is None:
            return NotImplemented
    if aweights is not None:
        aw = _frequency_weights(aweights, X.shape[1], False)
        if aw is None:
            return NotImplemented
        w = aw if w is None else rp.multiply(w, aw)

    if w is None:
        avg = rp.mean(X, axis=1)
        fact = X.shape[1] - ddof
    else:
        r = _average(X, (1,), w, False)
        if r is None:
            return NotImplemented
        avg, scl = r
        w_sum = _host_scalar(backend, scl[0])
        # The normalization is host arithmetic on NumPy scalars, exactly as NumPy's cov does it.
        if ddof == 0:
            fact = w_sum
        elif aweights is None:
            fact = w_sum - ddof
        else:
            fact = w_sum - ddof * _host_scalar(backend, rp.sum(rp.multiply(w, aw))) / w_sum
    if fact <= 0:  # NumPy's warning, pointed at the caller of rp.cov
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=4)
        fact = 0.0

    X -= avg[:, None]
    X_T = X.T if w is None else rp.multiply(X, w).T
    c = rp.matmul(X, rp.conj(X_T) if X_T.dtype.kind == "c" else X_T)
    c *= np.true_divide(1, fact)
    return rp.squeeze(c)


def corrcoef(backend, x, y=None, rowvar=True, dtype=None):
    """``np.corrcoef``: cov, divided by the outer product of the standard deviations, clipped to [-1, 1]."""
    c = cov(backend, x, y, rowvar, dtype=dtype)
    if c is NotImplemented:
        return c
    if c.ndim == 0:
        return rp.divide(c, c)  # a single variable: nan where the variance is nan, inf or 0; else 1
    stddev = rp.sqrt(rp.real(rp.diagonal(c)))
    c /= stddev[:, None]
    c /= stddev[None, :]
    re = rp.real(c)
    rp.clip(re, -1, 1, out=re)
    if c.dtype.kind == "c":
        im = rp.imag(c)
        rp.clip(im, -1, 1, out=im)
    return c


NATIVE = {"convolve": convolve, "correlate": correlate, "average": average, "cov": cov, "corrcoef": corrcoef}
