"""NumPy's elementwise-like helpers as compositions of device operations (see __init__.py).

Each follows NumPy's own Python code (numpy/lib/_function_base_impl.py, _arraysetops_impl.py) or C loop
(interp in _core/src/multiarray/compiled_base.c, ldexp in umath/loops) operation by operation, in the
same dtypes, so that on the CPU the results are NumPy's bit for bit, and on a GPU they are wherever its
elementwise kernels are (basic arithmetic; exp and sqrt are the device's).

Not covered (NotImplemented, the host computes them): arguments that are neither rdnarray arrays nor
Python/NumPy scalars where NumPy takes a scalar (``period``/``discont`` of unwrap as arrays, interp's
``left``/``right`` as arrays), object dtypes.
"""
import math
import operator

import numpy as np

import rdnarray as rp

from ..._core import views as _views
from ..._core.ndarray import ndarray
from ..._fusion import fuse

_INT64 = np.dtype(np.int64)
_FLOAT64 = np.dtype(np.float64)


def _is_scalar(v):
    return isinstance(v, (bool, int, float, complex, np.generic))


def _along(ndim, axis, sl):
    """The index tuple that applies slice/int ``sl`` on ``axis`` and keeps the other axes whole."""
    return (slice(None),) * axis + (sl,) + (slice(None),) * (ndim - axis - 1)


def _value(v, dtype):
    """Python value ``v`` converted to ``dtype`` as np.copyto converts it (same_kind; overflow to inf)."""
    out = np.empty((), dtype)
    np.copyto(out, v)
    return out


# -- nan_to_num ------------------------------------------------------------------------------------

def nan_to_num(backend, x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN -> nan, +inf -> posinf, -inf -> neginf in ``x`` (in place unless ``copy``), real and imaginary
    parts separately; three masked copies per part, as NumPy's copyto calls."""
    if not isinstance(x, ndarray) or not all(v is None or _is_scalar(v) for v in (nan, posinf, neginf)):
        return NotImplemented
    if copy:
        x = rp.asarray(x, copy=True)
    if x.dtype.kind not in "fc":
        return x
    parts = (_views.real_view(x), _views.imag_view(x)) if x.dtype.kind == "c" else (x,)
    for d in parts:
        info = np.finfo(d.dtype)
        big = info.max if posinf is None else posinf
        small = info.min if neginf is None else neginf
        # The three masks first (as NumPy): a replacement value may itself be inf or NaN.
        masks = (rp.isnan(d), rp.equal(d, math.inf), rp.equal(d, -math.inf))
        for mask, v in zip(masks, (nan, big, small)):
            backend.run("copyto", d, rp.asarray(_value(v, d.dtype), device=x.device), where=mask)
    return x


# -- i0 --------------------------------------------------------------------------------------------

# Cephes' Chebyshev coefficients, NumPy's _i0A and _i0B.
_I0A = (
    -4.41534164647933937950E-18, 3.33079451882223809783E-17, -2.43127984654795469359E-16,
    1.71539128555513303061E-15, -1.16853328779934516808E-14, 7.67618549860493561688E-14,
    -4.85644678311192946090E-13, 2.95505266312963983461E-12, -1.72682629144155570723E-11,
    9.67580903537323691224E-11, -5.18979560163526290666E-10, 2.65982372468238665035E-9,
    -1.30002500998624804212E-8, 6.04699502254191894932E-8, -2.67079385394061173391E-7,
    1.11738753912010371815E-6, -4.41673835845875056359E-6, 1.64484480707288970893E-5,
    -5.75419501008210370398E-5, 1.88502885095841655729E-4, -5.76375574538582365885E-4,
    1.63947561694133579842E-3, -4.32430999505057594430E-3, 1.05464603945949983183E-2,
    -2.37374148058994688156E-2, 4.93052842396707084878E-2, -9.49010970480476444210E-2,
    1.71620901522208775349E-1, -3.04682672343198398683E-1, 6.76795274409476084995E-1,
)
_I0B = (
    -7.23318048787475395456E-18, -4.83050448594418207126E-18, 4.46562142029675999901E-17,
    3.46122286769746109310E-17, -2.82762398051658348494E-16, -3.42548561967721913462E-16,
    1.77256013305652638360E-15, 3.81168066935262242075E-15, -9.55484669882830764870E-15,
    -4.15056934728722208663E-14, 1.54008621752140982691E-14, 3.85277838274214270114E-13,
    7.18012445138366623367E-13, -1.79417853150680611778E-12, -1.32158118404477131188E-11,
    -3.14991652796324136454E-11, 1.18891471078464383424E-11, 4.94060238822496958910E-10,
    3.39623202570838634515E-9, 2.26666899049817806459E-8, 2.04891858946906374183E-7,
    2.89137052083475648297E-6, 6.88975834691682398426E-5, 3.36911647825569408990E-3,
    8.04490411014108831608E-1,
)


def _chbevl(x, vals):
    b0, b1, b2 = vals[0], 0.0, 0.0
    for v in vals[1:]:
        b2 = b1
        b1 = b0
        b0 = x * b1 - b2 + v
    return 0.5 * (b0 - b2)


@fuse
def _i0_kernel(x):
    # NumPy evaluates each branch only where it applies (piecewise); here both run everywhere, each on
    # harmless stand-ins (0 and 32) where the other applies, so no branch warns or overflows for nothing.
    x = rp.abs(x)
    small = x <= 8.0
    x1 = rp.where(small, x, 0.0)
    x2 = rp.where(small, 32.0, x)
    y1 = rp.exp(x1) * _chbevl(x1 / 2.0 - 2, _I0A)
    y2 = rp.exp(x2) * _chbevl(32.0 / x2 - 2.0, _I0B) / rp.sqrt(x2)
    return rp.where(small, y1, y2)


def i0(backend, x):
    """The modified Bessel function I0: NumPy's two Chebyshev series, one fused kernel (float32, float64)."""
    if not isinstance(x, ndarray) or x.dtype.kind not in "biuf":
        return NotImplemented
    if x.dtype.kind != "f":
        x = rp.asarray(x, dtype=_FLOAT64)
    if x.size == 0:
        return rp.empty(x.shape, dtype=x.dtype, device=x.device)
    if x.dtype == np.float16:
        # Op by op: fused, float16's per-operation rounding makes a kernel NVRTC needs minutes to compile.
        return _i0_kernel.func(x)
    return _i0_kernel(x)


# -- ldexp -----------------------------------------------------------------------------------------

def _pow2(k, dtype):
    """2.0**k exactly for an integer array ``k`` within ``dtype``'s normal exponents: the bits built
    directly (exp2 of a libm or a GPU need not be exact)."""
    info = np.finfo(dtype)
    bits = np.dtype(f"int{8 * dtype.itemsize}")
    e = rp.asarray(rp.add(k, info.maxexp - 1), dtype=bits)
    return _views.dtype_view(rp.bitwise_left_shift(e, info.nmant), dtype)


def _ldexp_exact(m, e, x2, dtype):
    """m * 2**(e + x2) rounded once, as C's ldexp, from frexp's (m, e): 0.5 <= |m| < 1 (or m = x1 for
    0, inf, NaN). Scaling by a power of two is exact unless the result is subnormal; there it is one
    exact multiplication into the normal range and one rounding multiplication."""
    info = np.finfo(dtype)
    lo, hi = info.minexp, info.maxexp          # normal results are m * 2**E with lo < E <= hi
    # Far outside the range only the sign matters: clip before int64 arithmetic could overflow.
    E = rp.add(rp.asarray(e, dtype=_INT64), rp.clip(x2, -4 * hi, 4 * hi))
    E = rp.clip(E, 2 * lo + 1, hi + 1)
    normal = rp.greater(E, lo)
    first = rp.where(normal, rp.minimum(E - 1, hi - 1), E - lo)      # 2m * 2**(E-1), or m * 2**(E - lo)
    second = rp.where(normal, E - 1 - first, lo)                     # 2**0 (2**1 past the top), or 2**lo
    mant = rp.where(normal, m * 2, m)
    return mant * _pow2(first, dtype) * _pow2(second, dtype)


def ldexp(backend, x1, x2, out=None):
    """x1 * 2**x2 (x1 floating, x2 integer) exactly as C's ldexp; float16 through float32 as NumPy's loop."""
    if not isinstance(x1, ndarray) or not isinstance(x2, ndarray) or x2.dtype.kind not in "biu":
        return NotImplemented
    if x1.dtype.kind != "f" or x2.dtype == np.uint64 or (out is not None and not isinstance(out, ndarray)):
        return NotImplemented  # (NumPy's ldexp has no loop for uint64 exponents: its TypeError)
    dtype = x1.dtype
    work = np.dtype(np.float32) if dtype == np.float16 else dtype
    x2 = rp.asarray(x2, dtype=_INT64)
    m, e = rp.frexp(rp.asarray(x1, dtype=work))
    r = _ldexp_exact(m, e, x2, work)
    if out is None:
        return rp.asarray(r, dtype=dtype)
    backend.copy(r, out)
    return out


# -- unwrap ----------------------------------------------------------------------------------------

def unwrap(backend, p, discont=None, axis=-1, *, period=2 * math.pi):
    """NumPy's unwrap: the differences along ``axis`` brought into one period, then summed back."""
    if not isinstance(p, ndarray) or p.ndim == 0 or not _is_scalar(period):
        return NotImplemented
    if discont is not None and not _is_scalar(discont):
        return NotImplemented
    axis = operator.index(axis) % p.ndim
    dd = rp.diff(p, axis=axis)
    if discont is None:
        discont = period / 2
    dtype = np.result_type(np.empty(0, dd.dtype), period)
    if np.issubdtype(dtype, np.integer):
        interval_high, rem = divmod(period, 2)
        boundary_ambiguous = rem == 0
    else:
        interval_high = period / 2
        boundary_ambiguous = True
    interval_low = -interval_high
    ddmod = rp.mod(dd - interval_low, period) + interval_low
    if boundary_ambiguous:
        # For abs(dd) == period/2 the line above made ddmod -period/2: sign(dd) * period/2 instead.
        fix = rp.logical_and(rp.equal(ddmod, interval_low), rp.greater(dd, 0))
        backend.run("copyto", ddmod, rp.asarray(_value(interval_high, ddmod.dtype), device=p.device), where=fix)
    ph_correct = ddmod - dd
    backend.run("copyto", ph_correct, rp.asarray(_value(0, ph_correct.dtype), device=p.device),
                where=rp.less(rp.abs(dd), discont))
    up = rp.asarray(p, dtype=dtype, copy=True)
    rest = _along(p.ndim, axis, slice(1, None))
    up[rest] = p[rest] + rp.cumsum(ph_correct, axis=axis)
    return up


# -- interp ----------------------------------------------------------------------------------------

def _lerp(x, xj, xj1, fj, fj1, slope):
    """compiled_base.c's interpolation of one real component: slope*(x - xp[j]) + fp[j]; where that is
    NaN, from the right end; where that is NaN too and fp[j] == fp[j+1], fp[j]."""
    r = slope * (x - xj) + fj
    again = slope * (x - xj1) + fj1
    again = rp.where(rp.logical_and(rp.isnan(again), rp.equal(fj, fj1)), fj, again)
    return rp.where(rp.isnan(r), again, r)


def _fill_value(v, complex_):
    if v is None:
        return None
    if isinstance(v, ndarray):
        v = v.device.backend.to_numpy(v)[()]  # a 0-d array: its one value (NumPy converts it too)
    if not complex_:
        return float(v)
    # CPython's PyComplex_RealAsDouble/ImagAsDouble, as NumPy reads it: the imaginary part of a Python
    # complex (or subclass: numpy.complex128) only; float(v), imaginary 0, for anything else.
    return complex(v) if isinstance(v, complex) else complex(float(v), 0.0)


def interp(backend, x, xp, fp, left=None, right=None, period=None):
    """One-dimensional linear interpolation (x, xp float64; fp float64 or complex128; xp increasing)."""
    arrays = (x, xp, fp)
    if not all(isinstance(a, ndarray) for a in arrays) or xp.ndim != 1 or fp.shape != xp.shape or xp.size == 0:
        return NotImplemented
    if x.dtype != _FLOAT64 or xp.dtype != _FLOAT64 or fp.dtype not in (_FLOAT64, np.dtype(np.complex128)):
        return NotImplemented
    complex_ = fp.dtype.kind == "c"
    if period is not None and (not _is_scalar(period) or (complex_ and backend.kind != "cpu")):
        return NotImplemented  # complex fp with a period gave wrong values on the H100 (not understood yet)
    if period is not None:
        # NumPy's Python part: everything into one period, sorted, one sample repeated beyond each end.
        if period == 0:
            raise ValueError("period must be a non-zero value")
        period = abs(period)
        left = right = None
        x = rp.remainder(x, period)
        xp = rp.remainder(xp, period)
        order = backend.run("argsort", xp, axis=0, stable=False)  # NumPy's default kind
        xp = backend.run("take", xp, order, axis=0, mode="clip")
        fp = backend.run("take", fp, order, axis=0, mode="clip")
        xp = rp.concat((xp[-1:] - period, xp, xp[0:1] + period))
        fp = rp.concat((fp[-1:], fp, fp[0:1]))
    lval, rval = _fill_value(left, complex_), _fill_value(right, complex_)
    # Every case of the C loop is computed everywhere and then selected: arithmetic on the unselected
    # (inf - inf, 0 / 0) must not warn, as NumPy's loop, which checks no floating-point flags, never does.
    with np.errstate(all="ignore"):
        return _interp_loop(backend, x, xp, fp, fp[0] if lval is None else lval, fp[-1] if rval is None else rval)


def _interp_loop(backend, x, xp, fp, lval, rval):
    """compiled_base.c's arr_interp / arr_interp_complex after the arguments are converted."""
    n = xp.shape[0]
    if n == 1:
        # No search: left of, right of, or at the one sample (NaN compares false: fp[0], as NumPy).
        return rp.where(rp.less(x, xp[0]), lval, rp.where(rp.greater(x, xp[0]), rval, fp[0]))
    # NumPy's binary search, for increasing xp: j with xp[j] <= x < xp[j+1].
    j = rp.subtract(rp.searchsorted(xp, x, side="right"), 1)
    jc = rp.clip(j, 0, n - 2)
    xj, xj1 = (backend.run("take", xp, k, axis=0, mode="clip") for k in (jc, jc + 1))
    fj, fj1 = (backend.run("take", fp, k, axis=0, mode="clip") for k in (jc, jc + 1))
    if fp.dtype.kind == "c":
        inv_dx = 1.0 / (xj1 - xj)
        parts = [_lerp(x, xj, xj1, part(fj), part(fj1), (part(fj1) - part(fj)) * inv_dx)
                 for part in (_views.real_view, _views.imag_view)]
        res = rp.empty(x.shape, dtype=fp.dtype, device=x.device)
        _views.real_view(res)[...] = parts[0]
        _views.imag_view(res)[...] = parts[1]
    else:
        res = _lerp(x, xj, xj1, fj, fj1, (fj1 - fj) / (xj1 - xj))
    # The C loop's cases, last precedence first: at a sample, at the last sample, left, right, NaN.
    res = rp.where(rp.equal(xj, x), fj, res)
    res = rp.where(rp.equal(j, n - 1), fp[n - 1], res)
    res = rp.where(rp.less(x, xp[0]), lval, res)
    res = rp.where(rp.greater(x, xp[n - 1]), rval, res)
    return rp.where(rp.isnan(x), x, res)


# -- trapezoid, gradient, ediff1d -----------------------------------------------------------------

def _on_device(v, device):
    """A spacing argument as NumPy uses it: scalars stay scalars, anything else an array on ``device``."""
    if v is None or _is_scalar(v) or isinstance(v, ndarray):
        return v
    return rp.asarray(np.asarray(v), device=device)


def trapezoid(backend, y, x=None, dx=1.0, axis=-1):
    """The trapezoidal rule along ``axis``: (d * (y[1:] + y[:-1]) / 2.0).sum(axis), as NumPy."""
    if not isinstance(y, ndarray) or y.ndim == 0:
        return NotImplemented
    axis = operator.index(axis) % y.ndim
    if x is None:
        d = _on_device(dx, y.device)
    else:
        x = _on_device(x, y.device)
        if x.ndim == 1:
            d = rp.diff(x)
            d = rp.reshape(d, tuple(d.shape[0] if k == axis else 1 for k in range(y.ndim)))
        else:
            d = rp.diff(x, axis=axis)
    hi = y[_along(y.ndim, axis, slice(1, None))]
    lo = y[_along(y.ndim, axis, slice(None, -1))]
    return rp.sum(d * (hi + lo) / 2.0, axis=axis)


def _spacings(f, varargs, axes):
    """NumPy's per-axis spacing: a scalar (Python, or a 0-d array) or the 1-D differences of coordinates.
    Coordinates with constant differences become their first difference, a 0-d array: NumPy decides that
    on the values, so this is one bool read back per such axis."""
    n = len(varargs)
    if n == 0:
        return [1.0] * len(axes)
    if n == 1 and getattr(varargs[0], "ndim", 0) == 0:
        return list(varargs) * len(axes)
    if n != len(axes):
        raise TypeError("invalid number of arguments")
    dx = []
    for i, distances in enumerate(varargs):
        if getattr(distances, "ndim", 0) == 0:
            dx.append(distances)
            continue
        if distances.ndim != 1:
            raise ValueError("distances must be either scalars or 1d")
        if distances.shape[0] != f.shape[axes[i]]:
            raise ValueError("when 1d, distances must match the length of the corresponding dimension")
        if distances.dtype.kind in "iu":
            distances = rp.asarray(distances, dtype=_FLOAT64)  # no modular arithmetic in diff
        diffx = rp.diff(distances)
        if bool(rp.all(rp.equal(diffx, diffx[0]))):
            diffx = diffx[0]
        dx.append(diffx)
    return dx


def gradient(backend, f, *varargs, axis=None, edge_order=1):
    """NumPy's gradient: second-order central differences inside, one- or two-sided at the edges."""
    if not isinstance(f, ndarray) or f.dtype.kind not in "biufc":
        return NotImplemented
    varargs = [_on_device(v, f.device) for v in varargs]
    if not all(_is_scalar(v) or isinstance(v, ndarray) for v in varargs):
        return NotImplemented
    N = f.ndim
    if axis is None:
        axes = tuple(range(N))
    else:
        axes = tuple(_views.normalize_axis(a, N, "gradient") for a in (axis if isinstance(axis, (tuple, list))
                                                                     else (axis,)))
        if len(set(axes)) != len(axes):
            raise ValueError("repeated axis")
    dx = _spacings(f, varargs, axes)
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")
    otype = f.dtype
    if otype.kind not in "fc":
        if otype.kind in "iu":
            f = rp.asarray(f, dtype=_FLOAT64)  # no modular arithmetic in the differences
        otype = _FLOAT64

    def at(ax, sl):
        return _along(N, ax, sl)

    outvals = []
    for ax, ax_dx in zip(axes, dx):
        if f.shape[ax] < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, at least "
                             "(edge_order + 1) elements are required.")
        out = rp.empty(f.shape, dtype=otype, device=f.device)
        uniform = getattr(ax_dx, "ndim", 0) == 0
        inner, left, mid, right = at(ax, slice(1, -1)), at(ax, slice(None, -2)), at(ax, slice(1, -1)), \
            at(ax, slice(2, None))
        if uniform:
            out[inner] = (f[right] - f[left]) / (2. * ax_dx)
        else:
            dx1, dx2 = ax_dx[0:-1], ax_dx[1:]
            shape = tuple(-1 if k == ax else 1 for k in range(N))
            a = rp.reshape(-(dx2) / (dx1 * (dx1 + dx2)), shape)
            b = rp.reshape((dx2 - dx1) / (dx1 * dx2), shape)
            c = rp.reshape(dx1 / (dx2 * (dx1 + dx2)), shape)
            out[inner] = a * f[left] + b * f[mid] + c * f[right]
        if edge_order == 1:
            dx_0 = ax_dx if uniform else ax_dx[0]
            out[at(ax, 0)] = (f[at(ax, 1)] - f[at(ax, 0)]) / dx_0
            dx_n = ax_dx if uniform else ax_dx[-1]
            out[at(ax, -1)] = (f[at(ax, -1)] - f[at(ax, -2)]) / dx_n
        else:
            if uniform:
                a, b, c = -1.5 / ax_dx, 2. / ax_dx, -0.5 / ax_dx
            else:
                dx1, dx2 = ax_dx[0], ax_dx[1]
                a = -(2. * dx1 + dx2) / (dx1 * (dx1 + dx2))
                b = (dx1 + dx2) / (dx1 * dx2)
                c = - dx1 / (dx2 * (dx1 + dx2))
            out[at(ax, 0)] = a * f[at(ax, 0)] + b * f[at(ax, 1)] + c * f[at(ax, 2)]
            if uniform:
                a, b, c = 0.5 / ax_dx, -2. / ax_dx, 1.5 / ax_dx
            else:
                dx1, dx2 = ax_dx[-2], ax_dx[-1]
                a = (dx2) / (dx1 * (dx1 + dx2))
                b = - (dx2 + dx1) / (dx1 * dx2)
                c = (2. * dx2 + dx1) / (dx2 * (dx1 + dx2))
            out[at(ax, -1)] = a * f[at(ax, -3)] + b * f[at(ax, -2)] + c * f[at(ax, -1)]
        outvals.append(out)
    if len(axes) == 1:
        return outvals[0]
    return tuple(outvals)


def ediff1d(backend, ary, to_end=None, to_begin=None):
    """The differences of the flattened ``ary``, ``to_begin`` before and ``to_end`` after (in ary's dtype)."""
    if not isinstance(ary, ndarray) or not all(v is None or isinstance(v, ndarray) for v in (to_end, to_begin)):
        return NotImplemented
    ary = rp.reshape(ary, (-1,))
    if to_begin is None and to_end is None:
        return ary[1:] - ary[:-1]
    begin = None if to_begin is None else rp.reshape(to_begin, (-1,))
    end = None if to_end is None else rp.reshape(to_end, (-1,))
    l_begin = 0 if begin is None else begin.shape[0]
    l_end = 0 if end is None else end.shape[0]
    l_diff = max(ary.shape[0] - 1, 0)
    result = rp.empty((l_diff + l_begin + l_end,), dtype=ary.dtype, device=ary.device)
    if l_begin > 0:
        result[:l_begin] = begin
    if l_end > 0:
        result[l_begin + l_diff:] = end
    rp.subtract(ary[1:], ary[:-1], out=result[l_begin:l_begin + l_diff])
    return result


def examples():
    """[(source, kernel name)] of the kernels made here (the fused i0 for float32 and float64), for compile
    checks."""
    out = []
    for dtype in (np.float32, np.float64):
        x = rp.asarray(np.ones(3, dtype), device="cpu")
        out += _i0_kernel.program(_i0_kernel.trace((x,)), (x,)).sources((x,))
    return out


NATIVE = {
    "nan_to_num": nan_to_num, "i0": i0, "ldexp": ldexp, "unwrap": unwrap, "interp": interp,
    "trapezoid": trapezoid, "gradient": gradient, "ediff1d": ediff1d,
}
