"""Array API set functions (unique_all, unique_counts, unique_inverse, unique_values, isin) and NumPy's
(unique, intersect1d, union1d, setdiff1d, setxor1d). Each result is one backend call: its shape depends
on the data.

The standard's unique_* compare by value (``equal``): every NaN is a value of its own, with a count of
one, while -0.0 and +0.0 are one value. NumPy's ``unique`` merges NaNs by default (``equal_nan=True``),
so the unique_* functions ask for ``equal_nan=False``.
"""
from collections import namedtuple

from ._core.ndarray import ndarray
from ._core.transfer import asarray
from ._core.views import normalize_axis
from ._searching import _device

__all__ = ["unique_all", "unique_counts", "unique_inverse", "unique_values", "isin", "unique",
           "intersect1d", "union1d", "setdiff1d", "setxor1d"]

UniqueAllResult = namedtuple("UniqueAllResult", ["values", "indices", "inverse_indices", "counts"])
UniqueCountsResult = namedtuple("UniqueCountsResult", ["values", "counts"])
UniqueInverseResult = namedtuple("UniqueInverseResult", ["values", "inverse_indices"])


def _array(x):
    return x if isinstance(x, ndarray) else asarray(x)


def _arrays(op, *objs):
    """The inputs as rdnarray arrays on one device (array-likes move to the arrays' device)."""
    device = _device(op, objs)
    return [a if isinstance(a, ndarray) else asarray(a, device=device) for a in objs]


def unique_values(x, /):
    """The unique elements of ``x`` (flattened), sorted; each NaN is its own element."""
    x = _array(x)
    return x.device.backend.run("unique", x, equal_nan=False)


def unique_counts(x, /):
    """(values, counts) of the unique elements of ``x``."""
    x = _array(x)
    return UniqueCountsResult(*x.device.backend.run("unique", x, return_counts=True, equal_nan=False))


def unique_inverse(x, /):
    """(values, inverse_indices): ``values[inverse_indices]`` rebuilds ``x``; inverse_indices has x's shape."""
    x = _array(x)
    return UniqueInverseResult(*x.device.backend.run("unique", x, return_inverse=True, equal_nan=False))


def unique_all(x, /):
    """(values, indices of first occurrences, inverse_indices, counts) of the unique elements of ``x``."""
    x = _array(x)
    return UniqueAllResult(*x.device.backend.run("unique", x, return_index=True, return_inverse=True,
                                                 return_counts=True, equal_nan=False))


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True,
           sorted=True):
    """NumPy's ``unique``: the sorted unique elements (or sub-arrays along ``axis``), plus the requested
    first indices, inverse and counts."""
    ar = _array(ar)
    if axis is not None:
        axis = normalize_axis(axis, ar.ndim, "unique")
    return ar.device.backend.run("unique", ar, return_index=bool(return_index),
                                 return_inverse=bool(return_inverse), return_counts=bool(return_counts),
                                 axis=axis, equal_nan=bool(equal_nan), sorted=bool(sorted))


def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    """Whether each element of ``element`` is equal to some element of ``test_elements`` (NaN never is)."""
    if kind not in (None, "sort", "table"):
        raise ValueError(f"isin: kind must be None, 'sort' or 'table', got {kind!r}")
    # Python scalars keep their default dtype so that the test is exact by value (NumPy's behaviour).
    x1, x2 = _arrays("isin", element, test_elements)
    if kind == "table" and (x1.dtype.kind not in "biu" or x2.dtype.kind not in "biu"):
        raise ValueError(f"isin: kind='table' needs boolean or integer arrays, got {x1.dtype} and {x2.dtype}; "
                         "use kind='sort' or None")
    return x1.device.backend.run("isin", x1, x2, assume_unique=bool(assume_unique), invert=bool(invert),
                                 kind=kind)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    """The sorted unique values in both arrays (and, with ``return_indices``, their first positions)."""
    ar1, ar2 = _arrays("intersect1d", ar1, ar2)
    return ar1.device.backend.run("intersect1d", ar1, ar2, assume_unique=bool(assume_unique),
                                  return_indices=bool(return_indices))


def union1d(ar1, ar2):
    """The sorted unique values in either array."""
    ar1, ar2 = _arrays("union1d", ar1, ar2)
    return ar1.device.backend.run("union1d", ar1, ar2)


def setdiff1d(ar1, ar2, assume_unique=False):
    """The sorted unique values of ``ar1`` that are not in ``ar2``."""
    ar1, ar2 = _arrays("setdiff1d", ar1, ar2)
    return ar1.device.backend.run("setdiff1d", ar1, ar2, assume_unique=bool(assume_unique))


def setxor1d(ar1, ar2, assume_unique=False):
    """The sorted unique values in exactly one of the arrays."""
    ar1, ar2 = _arrays("setxor1d", ar1, ar2)
    return ar1.device.backend.run("setxor1d", ar1, ar2, assume_unique=bool(assume_unique))
