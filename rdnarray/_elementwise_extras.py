"""Array API clip, round, real and imag, and NumPy's other elementwise helpers (isclose, nan_to_num, sinc,
angle, ...) plus the 1-D numerical helpers that sit beside them in NumPy (interp, convolve, gradient, ...).

Elementwise ones are compositions of rdnarray's ufuncs, so they run on every backend; the others resolve
their arguments here and hand one named unit of work to the array's backend (``backend.run``).
"""
import math
import operator

import numpy as np

from ._core import dtypes as _dt
from ._core import views as _views
from ._core.elementwise import broadcast_shapes
from ._core.ndarray import ndarray
from ._core.outputs import check_out
from ._core.transfer import asarray
from ._elementwise_functions import (abs as _abs, atan2, divide, equal, isfinite, isinf, isnan,
                                     less_equal, logical_and, logical_not, logical_or, maximum, minimum,
                                     multiply, not_equal, rint, signbit, sin, subtract, trunc)

__all__ = [
    "clip", "round", "around", "real", "imag", "nan_to_num", "sinc", "i0", "fix", "ldexp", "angle", "unwrap",
    "isreal", "iscomplex", "isrealobj", "iscomplexobj", "isneginf", "isposinf", "real_if_close", "interp",
    "convolve", "correlate", "trapezoid", "gradient", "ediff1d", "isclose", "allclose", "array_equal",
    "array_equiv",
]

_FLOAT64 = np.dtype(np.float64)
_NO_VALUE = object()


def _array(x, device=None):
    return x if isinstance(x, ndarray) else asarray(x, device=device)


def _device_of(*args):
    for a in args:
        if isinstance(a, ndarray):
            return a.device
    return None


def _all(b):
    """Whether every element of the bool array ``b`` is True, as a Python bool."""
    return bool(b.device.backend.run("all", b))


def _where(cond, a, b):
    """Elements of ``a`` where ``cond`` else of ``b``; all three arrays, ``a`` and ``b`` of one dtype."""
    return cond.device.backend.run("where", cond, a, b)


def _finish(op, result, out):
    """``result``, or ``result`` copied into the validated ``out``."""
    if out is None:
        return result
    check_out(op, out, result.shape, result.dtype, result.device)
    out.device.backend.copy(result, out)
    return out


# -- clip, round, real, imag ------------------------------------------------------------------------------

def _clip_bound(x, bound, is_min):
    """A clip bound ready for ``maximum``/``minimum`` with ``x``: None, a Python scalar in x's range, or an
    array on x's device."""
    if bound is None:
        return None
    if isinstance(bound, (np.generic, np.ndarray, list, tuple)):
        bound = asarray(bound, device=x.device)
    if isinstance(bound, ndarray):
        if bound.device != x.device:
            raise ValueError(f"clip: bounds are on {bound.device}, x on {x.device}")
        return bound
    if _dt.scalar_type(bound) is None:
        raise TypeError(f"clip: bounds must be arrays or Python scalars, not {type(bound).__name__}")
    if x.dtype.kind in "iu" and not isinstance(bound, bool):
        # An integer x keeps its dtype (the standard): clip to the integers inside the bound and the dtype.
        if isinstance(bound, complex):
            raise TypeError(f"clip: a complex bound cannot clip an array of dtype {x.dtype}")
        if isinstance(bound, float):
            if math.isnan(bound):
                raise ValueError(f"clip: a NaN bound cannot clip an array of dtype {x.dtype}")
            if math.isinf(bound):
                return None if (bound < 0) == is_min else bound
            bound = math.ceil(bound) if is_min else math.floor(bound)
        info = np.iinfo(x.dtype)
        bound = min(max(bound, int(info.min)), int(info.max))
    return bound


def clip(x, /, min=None, max=None, out=None, *, a_min=_NO_VALUE, a_max=_NO_VALUE, **kwargs):
    """Array API ``clip``: each element of ``x`` clamped to [min, max]; the result has x's dtype. NaN in
    x or a bound gives NaN. NumPy's ``clip(a, a_min, a_max, out)`` spelling is accepted too."""
    if kwargs:
        raise TypeError(f"clip: unexpected keyword argument(s) {', '.join(kwargs)}")
    if a_min is not _NO_VALUE:
        if min is not None:
            raise TypeError("clip: pass either min or a_min, not both")
        min = a_min
    if a_max is not _NO_VALUE:
        if max is not None:
            raise TypeError("clip: pass either max or a_max, not both")
        max = a_max
    x = _array(x)
    lo = _clip_bound(x, min, True)
    hi = _clip_bound(x, max, False)
    shapes = [x.shape] + [b.shape for b in (lo, hi) if isinstance(b, ndarray)]
    shape = broadcast_shapes(tuple(shapes), "clip")
    if out is not None:
        check_out("clip", out, shape, x.dtype, x.device)
    result = x
    if lo is not None:
        result = maximum(result, lo)
    if hi is not None:
        result = minimum(result, hi)
    if result is x or result.shape != shape or result.dtype != x.dtype:
        fixed = x.device.backend.empty(shape, x.dtype)
        x.device.backend.copy(_views.broadcast_to(result, shape), fixed)
        result = fixed
    return _finish("clip", result, out)


def round(x, /, decimals=0, out=None):
    """Array API ``round`` (half to even; complex parts independently), with NumPy's ``decimals``
    (computed as NumPy does: scale by 10**decimals in float64, round, scale back)."""
    x = _array(x)
    decimals = operator.index(decimals)
    if not _dt.in_category(x.dtype, "numeric"):
        raise TypeError(f"round: unsupported dtype {x.dtype}")
    if out is not None:
        check_out("round", out, x.shape, x.dtype, x.device)
    backend = x.device.backend
    if x.dtype.kind == "c":
        # NumPy rounds the real and imaginary parts independently, as float arrays.
        result = backend.empty(x.shape, x.dtype)
        round(_views.real_view(x), decimals, out=_views.real_view(result))
        round(_views.imag_view(x), decimals, out=_views.imag_view(result))
        return _finish("round", result, out)
    integral = x.dtype.kind in "biu"
    if integral and decimals >= 0:
        result = backend.empty(x.shape, x.dtype)
        backend.copy(x, result)
        return _finish("round", result, out)
    # NumPy scales by a float64 factor into a buffer of x's dtype (float64 for integers).
    y = backend.empty(x.shape, _FLOAT64 if integral else x.dtype)
    if decimals == 0:
        rint(x, out=y)
    else:
        factor = asarray(np.float64(10.0 ** abs(decimals)), device=x.device)
        scale, unscale = (multiply, divide) if decimals > 0 else (divide, multiply)
        scale(x, factor, out=y)
        rint(y, out=y)
        unscale(y, factor, out=y)
    if integral:
        result = backend.empty(x.shape, x.dtype)
        backend.copy(y, result)
        y = result
    return _finish("round", y, out)


around = round


def real(x, /):
    """The real part: a view of a complex array (float of the same precision); a real ``x`` itself."""
    x = _array(x)
    return _views.real_view(x) if x.dtype.kind == "c" else x


def imag(x, /):
    """The imaginary part: a view of a complex array; zeros of x's dtype for a real ``x``."""
    x = _array(x)
    if x.dtype.kind == "c":
        return _views.imag_view(x)
    return x.device.backend.run("zeros", x.shape, dtype=x.dtype)


# -- NumPy's elementwise helpers ------------------------------------------------------------------------------

def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN -> ``nan``, +inf -> ``posinf`` (default the dtype's max), -inf -> ``neginf`` (its min);
    in place when ``copy=False``. Integer and bool arrays are returned unchanged."""
    x = _array(x)
    if copy:
        x = asarray(x, copy=True)
    if x.dtype.kind not in "fc":
        return x
    if not copy and x.data.readonly:
        raise ValueError("nan_to_num: copy=False, but the array is read-only")
    info = np.finfo(_dt.real_of(x.dtype))
    posinf = float(info.max) if posinf is None else posinf
    neginf = float(info.min) if neginf is None else neginf
    x.device.backend.run("nan_to_num", x, copy=False, nan=nan, posinf=posinf, neginf=neginf)
    return x


def sinc(x):
    """sin(pi x) / (pi x), 1 at 0 (NumPy's formula: zeros replaced by the dtype's eps)."""
    x = _array(x)
    y = multiply(math.pi, x)
    eps = np.finfo(y.dtype).eps if y.dtype.kind == "f" else 1e-20
    y = _where(not_equal(y, 0), y, asarray(eps, dtype=y.dtype, device=y.device))
    return divide(sin(y), y)


def i0(x):
    """The modified Bessel function of the first kind, order 0."""
    x = _array(x)
    if x.dtype.kind == "c":
        raise TypeError(f"i0: not supported for complex values (got {x.dtype})")
    return x.device.backend.run("i0", x)


def fix(x, out=None):
    """Round toward zero (``trunc``), keeping x's dtype."""
    return trunc(x, out=out)


def ldexp(x1, x2, /, out=None):
    """x1 * 2**x2 for a floating (or integer, made floating) ``x1`` and an integer ``x2``."""
    device = _device_of(x1, x2, out)
    x1 = x1 if isinstance(x1, float) else _array(x1, device)
    x2 = _array(x2, device if device is not None else getattr(x1, "device", None))
    if x2.dtype.kind not in "biu" or x2.dtype == np.uint64:
        raise TypeError(f"ldexp: the exponent must be an integer (int64-representable) array, not {x2.dtype}")
    if isinstance(x1, float):
        dtype, shape = _FLOAT64, x2.shape
        x1 = asarray(x1, dtype=dtype, device=x2.device)
    else:
        if x1.dtype.kind not in "biuf":
            raise TypeError(f"ldexp: the mantissa must be real, not {x1.dtype}")
        if x1.device != x2.device:
            raise ValueError(f"ldexp: arrays are on different devices ({x1.device} and {x2.device})")
        dtype = _dt.float_result(x1.dtype)
        shape = broadcast_shapes((x1.shape, x2.shape), "ldexp")
    if out is not None:
        check_out("ldexp", out, shape, dtype, x2.device)
    result = x2.device.backend.empty(shape, dtype)
    if x1.dtype != dtype:
        x1 = asarray(x1, dtype=dtype)
    x2.device.backend.run("ldexp", x1, asarray(x2, dtype=np.int64), out=result)
    return _finish("ldexp", result, out)


def angle(z, deg=False):
    """The counterclockwise angle from the positive real axis, in radians (degrees if ``deg``)."""
    z = _array(z)
    if z.dtype.kind == "c":
        a = atan2(_views.imag_view(z), _views.real_view(z))
    else:
        a = atan2(0, z)
    if deg:
        a = multiply(a, 180 / math.pi)
    return a


def unwrap(p, discont=None, axis=-1, *, period=2 * math.pi):
    """``p`` with jumps larger than ``max(discont, period/2)`` along ``axis`` replaced by their complement."""
    p = _array(p)
    axis = _views.normalize_axis(axis, p.ndim, "unwrap")
    return p.device.backend.run("unwrap", p, discont=discont, axis=axis, period=period)


def isreal(x):
    """Elementwise: whether the imaginary part is zero."""
    return equal(imag(x), 0)


def iscomplex(x):
    """Elementwise: whether the imaginary part is nonzero (all False for real dtypes)."""
    x = _array(x)
    if x.dtype.kind == "c":
        return not_equal(_views.imag_view(x), 0)
    return x.device.backend.run("zeros", x.shape, dtype=np.bool_)


def iscomplexobj(x):
    """Whether ``x`` has a complex dtype (or, not being an array, would convert to one)."""
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        dtype = np.asarray(x).dtype
    return np.dtype(dtype).kind == "c"


def isrealobj(x):
    return not iscomplexobj(x)


def _isinf_sign(op, x, negative, out):
    x = _array(x)
    if x.dtype.kind == "c":
        raise TypeError(f"{op}: not supported for {x.dtype} values because it would be ambiguous")
    sign = signbit(x)
    return logical_and(isinf(x), sign if negative else logical_not(sign), out=out)


def isposinf(x, out=None):
    return _isinf_sign("isposinf", x, False, out)


def isneginf(x, out=None):
    return _isinf_sign("isneginf", x, True, out)


def real_if_close(a, tol=100):
    """The real part of a complex ``a`` whose imaginary parts are all below ``tol`` (times eps if > 1)."""
    a = _array(a)
    if a.dtype.kind != "c":
        return a
    if tol > 1:
        tol = float(np.finfo(a.dtype).eps) * tol
    if _all(_abs(_views.imag_view(a)) < tol):
        return _views.real_view(a)
    return a


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|a - b| <= atol + rtol * |b|`` (NumPy's formula, with b made floating), or equal."""
    device = _device_of(a, b, rtol, atol)
    x, y, atol, rtol = (v if _dt.scalar_type(v) is not None else _array(v, device) for v in (a, b, atol, rtol))
    if isinstance(y, ndarray):
        y = asarray(y, dtype=_dt.result_type(y, 1.0))
    elif isinstance(y, int):
        y = float(y)
    with np.errstate(invalid="ignore"):
        result = logical_or(logical_and(less_equal(_abs(subtract(x, y)), atol + rtol * _abs(y)), isfinite(y)),
                            equal(x, y))
        if equal_nan:
            result = logical_or(result, logical_and(isnan(x), isnan(y)))
    return result if isinstance(result, ndarray) else asarray(result, device=device)


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether ``isclose`` holds everywhere, as a Python bool."""
    return _all(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def array_equal(a1, a2, equal_nan=False):
    """Whether ``a1`` and ``a2`` have the same shape and elements (NaN equal to NaN if ``equal_nan``)."""
    device = _device_of(a1, a2)
    a1, a2 = _array(a1, device), _array(a2, device)
    if a1.shape != a2.shape:
        return False
    same = equal(a1, a2)
    if equal_nan:
        same = logical_or(same, logical_and(isnan(a1), isnan(a2)))
    return _all(same)


def array_equiv(a1, a2):
    """Whether ``a1`` and ``a2`` broadcast together and are equal everywhere."""
    device = _device_of(a1, a2)
    a1, a2 = _array(a1, device), _array(a2, device)
    try:
        broadcast_shapes((a1.shape, a2.shape))
    except ValueError:
        return False
    return _all(equal(a1, a2))


# -- 1-D numerical helpers ---------------------------------------------------------------------------------

def interp(x, xp, fp, left=None, right=None, period=None):
    """One-dimensional piecewise linear interpolation of (xp, fp) at ``x`` (float64, or complex128)."""
    device = _device_of(x, xp, fp)
    x, xp, fp = _array(x, device), _array(xp, device), _array(fp, device)
    if xp.ndim != 1 or fp.ndim != 1:
        raise ValueError(f"interp: xp and fp must be 1-D, got shapes {xp.shape} and {fp.shape}")
    if xp.shape != fp.shape:
        raise ValueError(f"interp: xp and fp have different lengths ({xp.shape[0]} and {fp.shape[0]})")
    if xp.shape[0] == 0:
        raise ValueError("interp: the sample points xp are empty")
    if x.dtype.kind == "c" or xp.dtype.kind == "c":
        raise TypeError(f"interp: x and xp must be real, got {x.dtype} and {xp.dtype}")
    if period is not None and period == 0:
        raise ValueError("interp: period must be a non-zero value")
    fdt = np.dtype(np.complex128 if fp.dtype.kind == "c" else np.float64)
    x, xp, fp = asarray(x, dtype=_FLOAT64), asarray(xp, dtype=_FLOAT64), asarray(fp, dtype=fdt)
    return x.device.backend.run("interp", x, xp, fp, left=left, right=right, period=period)


def _convolve_args(op, a, v, mode):
    device = _device_of(a, v)
    a, v = _array(a, device), _array(v, device)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"{op}: a and v must be 1-D, got shapes {a.shape} and {v.shape}")
    if a.size == 0 or v.size == 0:
        raise ValueError(f"{op}: a and v must not be empty, got shapes {a.shape} and {v.shape}")
    if mode not in ("full", "same", "valid"):
        raise ValueError(f"{op}: mode must be 'full', 'same' or 'valid', not {mode!r}")
    dt = _dt.result_type(a, v)
    return asarray(a, dtype=dt), asarray(v, dtype=dt)


def convolve(a, v, mode="full"):
    """The discrete linear convolution of two 1-D arrays."""
    a, v = _convolve_args("convolve", a, v, mode)
    return a.device.backend.run("convolve", a, v, mode=mode)


def correlate(a, v, mode="valid"):
    """The cross-correlation of two 1-D arrays (v conjugated, as NumPy)."""
    a, v = _convolve_args("correlate", a, v, mode)
    return a.device.backend.run("correlate", a, v, mode=mode)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of ``y`` along ``axis`` by the trapezoidal rule (samples at ``x``, or spaced ``dx``)."""
    device = _device_of(y, x)
    y = _array(y, device)
    axis = _views.normalize_axis(axis, y.ndim, "trapezoid")
    if x is not None:
        x = _array(x, y.device)
        if x.ndim != 1 and x.ndim != y.ndim:
            raise ValueError(f"trapezoid: x of shape {x.shape} does not match y of shape {y.shape}")
    return y.device.backend.run("trapezoid", y, x=x, dx=dx, axis=axis)


def gradient(f, *varargs, axis=None, edge_order=1):
    """The gradient of ``f`` by second-order central differences (one array per axis, a tuple when
    more than one axis)."""
    f = _array(f)
    axes = _views.normalize_axes(axis, f.ndim, "gradient")
    if edge_order not in (1, 2):
        raise ValueError(f"gradient: edge_order must be 1 or 2, got {edge_order!r}")
    for a in axes:
        if f.shape[a] < edge_order + 1:
            raise ValueError(f"gradient: axis {a} of shape {f.shape} needs at least {edge_order + 1} elements")
    spacing = [v if _dt.scalar_type(v) is not None else _array(v, f.device) for v in varargs]
    if axis is not None and not isinstance(axis, (tuple, list)):
        axis = axes[0]
    elif axis is not None:
        axis = tuple(_views.normalize_axis(a, f.ndim, "gradient") for a in axis)
    return f.device.backend.run("gradient", f, *spacing, axis=axis, edge_order=edge_order)


def ediff1d(ary, to_end=None, to_begin=None):
    """The differences of consecutive elements of the flattened ``ary``, with optional ends attached."""
    ary = _array(ary)
    ends = [None if v is None else _array(v, ary.device) for v in (to_end, to_begin)]
    for v in ends:
        if v is not None and not np.can_cast(v.dtype, ary.dtype, "same_kind"):
            raise TypeError(f"ediff1d: dtype of to_end/to_begin ({v.dtype}) must be compatible with "
                            f"{ary.dtype}")
    return ary.device.backend.run("ediff1d", ary, to_end=ends[0], to_begin=ends[1])
