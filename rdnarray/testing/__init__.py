"""``numpy.testing`` for rdnarray arrays.

The assertion functions take rdnarray arrays (on any device) and anything NumPy's accept, and take NumPy's
keywords (``strict=``, ``rtol=``, ``err_msg=`` ...). Comparisons run on the host: each rdnarray array is
copied to a NumPy array with ``rdnarray.asnumpy`` (a GPU array is copied to host memory) and NumPy's function
of the same name does the checking, so failures read exactly like NumPy's. ``strict=True`` compares the
shapes and dtypes of the host copies, which are those of the rdnarray arrays.

The helpers that take no arrays (``assert_raises``, ``assert_warns``, ``suppress_warnings`` ...) are NumPy's
own objects.
"""
import numpy.testing as _npt

from .._core.ndarray import ndarray as _ndarray
from .._core.transfer import asnumpy as _asnumpy

__all__ = [
    "assert_array_equal", "assert_array_almost_equal", "assert_allclose", "assert_equal", "assert_almost_equal",
    "assert_approx_equal", "assert_array_less", "assert_array_max_ulp", "assert_array_almost_equal_nulp",
    "assert_array_compare", "assert_string_equal", "assert_raises", "assert_raises_regex", "assert_warns",
    "assert_no_warnings", "suppress_warnings", "assert_",
]

# No arrays involved: NumPy's own helpers.
assert_raises = _npt.assert_raises
assert_raises_regex = _npt.assert_raises_regex
assert_warns = _npt.assert_warns
assert_no_warnings = _npt.assert_no_warnings
assert_string_equal = _npt.assert_string_equal
assert_ = _npt.assert_
if hasattr(_npt, "suppress_warnings"):
    suppress_warnings = _npt.suppress_warnings
else:  # removed from a later NumPy
    __all__.remove("suppress_warnings")


def _host(obj):
    """``obj`` with every rdnarray array (also inside lists, tuples and dicts, which assert_equal walks)
    replaced by a NumPy copy on the host."""
    if isinstance(obj, _ndarray):
        return _asnumpy(obj)
    if type(obj) in (list, tuple):
        return type(obj)(_host(v) for v in obj)
    if type(obj) is dict:
        return {k: _host(v) for k, v in obj.items()}
    return obj


def assert_array_equal(actual, desired, err_msg="", verbose=True, *, strict=False):
    _npt.assert_array_equal(_host(actual), _host(desired), err_msg, verbose, strict=strict)


def assert_array_almost_equal(actual, desired, decimal=6, err_msg="", verbose=True):
    _npt.assert_array_almost_equal(_host(actual), _host(desired), decimal, err_msg, verbose)


def assert_allclose(actual, desired, rtol=1e-07, atol=0, equal_nan=True, err_msg="", verbose=True, *,
                    strict=False):
    _npt.assert_allclose(_host(actual), _host(desired), rtol, atol, equal_nan, err_msg, verbose, strict=strict)


def assert_equal(actual, desired, err_msg="", verbose=True, *, strict=False):
    _npt.assert_equal(_host(actual), _host(desired), err_msg, verbose, strict=strict)


def assert_almost_equal(actual, desired, decimal=7, err_msg="", verbose=True):
    _npt.assert_almost_equal(_host(actual), _host(desired), decimal, err_msg, verbose)


def assert_approx_equal(actual, desired, significant=7, err_msg="", verbose=True):
    _npt.assert_approx_equal(_host(actual), _host(desired), significant, err_msg, verbose)


def assert_array_less(x, y, err_msg="", verbose=True, *, strict=False):
    _npt.assert_array_less(_host(x), _host(y), err_msg, verbose, strict=strict)


def assert_array_max_ulp(a, b, maxulp=1, dtype=None):
    """Returns the ULP differences as a NumPy array, like NumPy's."""
    return _npt.assert_array_max_ulp(_host(a), _host(b), maxulp, dtype)


def assert_array_almost_equal_nulp(x, y, nulp=1):
    _npt.assert_array_almost_equal_nulp(_host(x), _host(y), nulp)


def assert_array_compare(comparison, x, y, err_msg="", verbose=True, header="", precision=6, equal_nan=True,
                         equal_inf=True, *, strict=False, names=("ACTUAL", "DESIRED")):
    """NumPy's generic array comparison; ``comparison`` receives NumPy arrays (host copies)."""
    _npt.assert_array_compare(comparison, _host(x), _host(y), err_msg, verbose, header, precision, equal_nan,
                              equal_inf, strict=strict, names=names)
