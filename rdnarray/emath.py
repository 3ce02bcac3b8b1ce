"""``numpy.emath`` (``numpy.lib.scimath``): math functions whose results are complex where the real-valued
function has no real answer (``emath.sqrt(-1) == 1j``), and real where every input is in the real domain.

The domain checks and conversions use rdnarray's own functions, so they run on the input's device.
"""
from . import _elementwise_functions as _ew
from ._core import dtypes as _dt
from ._core.transfer import asarray as _asarray
from ._statistical import any as _any

__all__ = ["sqrt", "log", "log2", "log10", "logn", "power", "arccos", "arcsin", "arctanh"]

# Complex inputs need no conversion (NumPy's conversion of them is a no-op for every rdnarray dtype).
# NumPy's _tocomplex: these real (and complex64) dtypes widen to complex64, every other dtype to complex128.
_TO_COMPLEX64 = frozenset(map(_dt.normalize, ("float32", "int8", "int16", "uint8", "uint16", "complex64")))


def _tocomplex(x):
    return x.astype(_dt.normalize("complex64" if x.dtype in _TO_COMPLEX64 else "complex128"))


def _fix_real_lt_zero(x):
    x = _asarray(x)
    if x.dtype.kind != "c" and bool(_any(_ew.less(x, 0))):
        x = _tocomplex(x)
    return x


def _fix_int_lt_zero(x):
    x = _asarray(x)
    if x.dtype.kind != "c" and bool(_any(_ew.less(x, 0))):
        x = _ew.multiply(x, 1.0)
    return x


def _fix_real_abs_gt_1(x):
    x = _asarray(x)
    if x.dtype.kind != "c" and bool(_any(_ew.greater(_ew.abs(x), 1))):
        x = _tocomplex(x)
    return x


def sqrt(x):
    """The square root; complex for negative real inputs."""
    return _ew.sqrt(_fix_real_lt_zero(x))


def log(x):
    """The natural logarithm; complex for negative real inputs."""
    return _ew.log(_fix_real_lt_zero(x))


def log10(x):
    """The base-10 logarithm; complex for negative real inputs."""
    return _ew.log10(_fix_real_lt_zero(x))


def log2(x):
    """The base-2 logarithm; complex for negative real inputs."""
    return _ew.log2(_fix_real_lt_zero(x))


def logn(n, x):
    """The logarithm of ``x`` to the base ``n``; complex where ``x`` or ``n`` is negative and real."""
    x = _fix_real_lt_zero(x)
    n = _fix_real_lt_zero(n)
    return _ew.divide(_ew.log(x), _ew.log(n))


def power(x, p):
    """``x ** p``; complex for negative real ``x``, floating for negative integer exponents."""
    return _ew.pow(_fix_real_lt_zero(x), _fix_int_lt_zero(p))


def arccos(x):
    """The inverse cosine; complex for real inputs outside [-1, 1]."""
    return _ew.acos(_fix_real_abs_gt_1(x))


def arcsin(x):
    """The inverse sine; complex for real inputs outside [-1, 1]."""
    return _ew.asin(_fix_real_abs_gt_1(x))


def arctanh(x):
    """The inverse hyperbolic tangent; complex for real inputs outside [-1, 1]."""
    return _ew.atanh(_fix_real_abs_gt_1(x))
