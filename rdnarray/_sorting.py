"""Array API sort and argsort (with ``descending``) and NumPy's lexsort, partition, argpartition and
sort_complex. A descending sort is the ascending stable sort of the reversed array, reversed back: that
keeps equal elements in their original order and needs only an ascending sort from each backend."""
import operator

import numpy as np

from ._core import dtypes as _dt
from ._core.ndarray import ndarray
from ._core.transfer import asarray
from ._core.views import flip, normalize_axis, reshape_view
from ._elementwise_extras import imag, real
from ._elementwise_functions import equal, logical_and, logical_not, signbit, subtract
from ._statistical import any as _any

__all__ = ["sort", "argsort", "lexsort", "partition", "argpartition", "sort_complex"]

_KINDS = {None: None, "stable": True, "mergesort": True, "quicksort": False, "quick": False,
          "heapsort": False, "heap": False}


def _array(x):
    return x if isinstance(x, ndarray) else asarray(x)


def _flat(x):
    """``x`` as 1-D (a view when its layout allows, else a copy)."""
    view = reshape_view(x, (x.size,))
    return view if view is not None else reshape_view(asarray(x, copy=True), (x.size,))


def _resolve(op, x, axis, kind, order, stable):
    """(x, axis, stable) with axis=None flattened and NumPy's ``kind`` folded into ``stable``."""
    if order is not None:
        raise TypeError(f"{op}: order= needs a structured dtype, which rdnarray does not support")
    if kind not in _KINDS:
        raise ValueError(f"{op}: kind must be one of 'quicksort', 'mergesort', 'heapsort' or 'stable', "
                         f"got {kind!r}")
    if kind is not None and stable is not None:
        raise ValueError(f"{op}: kind= and stable= cannot be given together; use only one of them")
    stable = _KINDS[kind] if kind is not None else (True if stable is None else bool(stable))
    x = _array(x)
    if axis is None:
        return _flat(x), 0, stable
    return x, normalize_axis(axis, x.ndim, op), stable


def sort(x, /, axis=-1, kind=None, order=None, *, descending=False, stable=None):
    """A sorted copy of ``x`` along ``axis`` (the flattened array when ``axis`` is None); stable by default."""
    x, axis, stable = _resolve("sort", x, axis, kind, order, stable)
    backend = x.device.backend
    if stable and not descending and x.dtype.kind == "f" and len(x.shape) == 1:
        return _sort_real_1d(x, backend)
    if stable and not _stability_observable(x):
        stable = False  # the same result, from NumPy's (or the GPU's) much faster unstable sort
    if not descending:
        return backend.run("sort", x, axis=axis, stable=stable)
    reversed_sorted = flip(backend.run("sort", flip(x, (axis,)), axis=axis, stable=stable), (axis,))
    out = backend.empty(x.shape, x.dtype)
    backend.copy(reversed_sorted, out)
    return out


_ZERO_BOUNDS = {}  # dtype -> [0, smallest positive value]: the zeros of a sorted array lie between them


def _sort_real_1d(x, backend):
    """The stable ascending sort of a 1-D real floating array, via the unstable sort (~4x faster in NumPy).

    The two give the same values unless -0.0 and +0.0 both occur, so the unstable result is kept when
    its run of zeros (found by one binary search) holds at most one element."""
    s = backend.run("sort", x, axis=0, stable=False)
    bounds = _ZERO_BOUNDS.get(x.dtype)
    if bounds is None:
        bounds = _ZERO_BOUNDS[x.dtype] = np.array([0, np.finfo(x.dtype).smallest_subnormal], x.dtype)
    lo, hi = backend.run("searchsorted", s, backend.from_numpy(bounds)).tolist()
    if hi - lo <= 1:
        return s
    return backend.run("sort", x, axis=0, stable=True)


def _stability_observable(x):
    """Whether a stable sort of the values of ``x`` can differ from an unstable one. Equal values are
    indistinguishable in a sorted copy, except floating zeros of opposite signs (-0.0 == 0.0); small
    arrays are not worth the check."""
    if x.dtype.kind in "biu" or x.size < 1 << 14:
        return x.dtype.kind not in "biu"
    parts = (real(x), imag(x)) if x.dtype.kind == "c" else (x,)
    for p in parts:
        zero = equal(p, 0)
        negative = signbit(p)
        if bool(_any(logical_and(zero, negative))) and bool(_any(logical_and(zero, logical_not(negative)))):
            return True
    return False


def argsort(x, /, axis=-1, kind=None, order=None, *, descending=False, stable=None):
    """Indices (int64) that sort ``x`` along ``axis``; stable by default, in both directions."""
    x, axis, stable = _resolve("argsort", x, axis, kind, order, stable)
    backend = x.device.backend
    if not descending:
        return backend.run("argsort", x, axis=axis, stable=stable)
    # Sorting the reversed array ascending puts equal elements in reverse order; reading that result
    # backwards restores their original order, and n - 1 - i maps reversed positions back.
    n = x.shape[axis]
    reversed_order = backend.run("argsort", flip(x, (axis,)), axis=axis, stable=stable)
    return subtract(n - 1, flip(reversed_order, (axis,)))


def lexsort(keys, axis=-1):
    """Indices that sort by the last key first, then by the one before it, ...; ``keys`` is a sequence of
    arrays of one shape or an array whose first axis indexes the keys."""
    if isinstance(keys, (ndarray, np.ndarray)):
        keys = _array(keys)
        if keys.ndim == 0 or keys.shape[0] == 0:
            raise TypeError(f"lexsort: need a sequence of keys with len > 0, got an array of shape {keys.shape}")
        if keys.ndim >= 2:
            return keys.device.backend.run("lexsort", keys, axis=normalize_axis(axis, keys.ndim - 1, "lexsort"))
        return asarray(0, dtype=_dt.DEFAULT_INDEX, device=keys.device)  # k keys of one element each
    keys = [_array(k) for k in keys]
    if not keys:
        raise TypeError("lexsort: need a sequence of keys with len > 0")
    shape = keys[0].shape
    for k in keys:
        if k.shape != shape:
            raise ValueError(f"lexsort: all keys need the same shape, got {shape} and {k.shape}")
        if k.device != keys[0].device:
            raise ValueError(f"lexsort: keys are on different devices ({keys[0].device} and {k.device})")
    if not shape:
        return asarray(0, dtype=_dt.DEFAULT_INDEX, device=keys[0].device)
    axis = normalize_axis(axis, len(shape), "lexsort")
    # Least significant digit first: each stable sort by a more significant key keeps the order the
    # less significant keys established among its ties (radix-sort order, which GPUs do well).
    backend = keys[0].device.backend
    order = backend.run("argsort", keys[0], axis=axis, stable=True)
    for k in keys[1:]:
        permuted = backend.run("take_along_axis", k, order, axis=axis)
        step = backend.run("argsort", permuted, axis=axis, stable=True)
        order = backend.run("take_along_axis", order, step, axis=axis)
    return order


def _kth(kth, n, op):
    """``kth`` (an int or a sequence of ints, negative counting from the end) checked against length ``n``."""
    if isinstance(kth, (ndarray, np.ndarray)):
        kth = kth.tolist()
    many = isinstance(kth, (list, tuple))
    ks = list(kth) if many else [kth]
    if not ks:
        raise TypeError(f"{op}: kth must not be empty")
    for i, k in enumerate(ks):
        try:
            ks[i] = operator.index(k)
        except TypeError:
            raise TypeError(f"{op}: kth must be an integer or a sequence of integers, got {kth!r}") from None
        if not -n <= ks[i] < n:
            raise ValueError(f"{op}: kth={ks[i]} is out of bounds for an axis of length {n}")
    return ks if many else ks[0]


def _partition(op, a, kth, axis, kind, order):
    if order is not None:
        raise TypeError(f"{op}: order= needs a structured dtype, which rdnarray does not support")
    if kind != "introselect":
        raise ValueError(f"{op}: kind must be 'introselect', got {kind!r}")
    a = _array(a)
    if axis is None:
        a, axis = _flat(a), 0
    else:
        axis = normalize_axis(axis, a.ndim, op)
    kth = _kth(kth, a.shape[axis], op)
    return a.device.backend.run(op, a, kth, axis=axis)


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """A copy of ``a`` with the element at each ``kth`` position where a sort would put it, smaller ones
    before and larger ones after it (in no particular order)."""
    return _partition("partition", a, kth, axis, kind, order)


def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    """The indices that would partition ``a`` (see ``partition``)."""
    return _partition("argpartition", a, kth, axis, kind, order)


def sort_complex(a):
    """``a`` sorted by real part, then imaginary part, as a complex array (NumPy's dtype rule)."""
    a = _array(a)
    s = sort(a)
    if a.dtype.kind == "c":
        return s
    # NumPy: small integers become complex64, everything else complex128.
    dt = _dt.complex64 if a.dtype.char in "bhBH" else _dt.complex128
    return asarray(s, dtype=dt)
