"""Indexing: ``x[key]`` and ``x[key] = value`` with NumPy's semantics, for every device.

Basic indices (ints, slices, ``...``, ``None``) become views by shape/stride/offset arithmetic. Advanced
indices (integer and boolean arrays, and the ints and 0-d bools beside them) are resolved here into one
work item for the backend:

  gather   ``take(t, flat, axis=p, mode="clip")``: out = t[..., flat, ...]
  scatter  ``put_along_axis(t, flat, values, axis=p)``: t[..., flat, ...] = values, in place

where ``t`` is a view of ``x`` whose axis ``p`` covers every advanced axis at once and ``flat`` holds
int64 indices already checked to be in ``[0, t.shape[p])``. With several advanced axes, ``t``'s axis
``p`` steps through memory by the gcd of their strides, so ``flat = sum(index_j * stride_j / gcd)``
addresses each selected element exactly without copying ``x`` (see ``_merge``). A GPU backend
implements these two named operations as strided gather/scatter kernels over one int64 index.
"""
import math
import operator
import warnings

import numpy as np

from .elementwise import Ufunc, broadcast_shapes
from .ndarray import make_view, ndarray
from .ops import ALL as _OPS
from .transfer import asarray
from .views import real_view, reshape_view

_INT64 = np.dtype(np.int64)
_BOOL = np.dtype(np.bool_)
_BASIC_TYPES = frozenset((int, slice, type(None), type(Ellipsis)))
_add = Ufunc(_OPS["add"])
_multiply = Ufunc(_OPS["multiply"])
_remainder = Ufunc(_OPS["remainder"])
_minimum = Ufunc(_OPS["minimum"])
_maximum = Ufunc(_OPS["maximum"])

_INVALID_INDEX = ("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or "
                  "boolean arrays are valid indices")


# -- public entry points ------------------------------------------------------------------------------
def getitem(x, key):
    """``x[key]``: a view for basic indices, a new array (a gather) for advanced ones."""
    # (ndarray.__getitem__ makes the view of one slice itself; one reaches here only for a 0-d x.)
    t = type(key)
    if t is int:
        return _int0(x, key)
    if t is ndarray and key.dtype is _BOOL and key.shape == x.shape and x.shape \
            and key._buffer.device is x._buffer.device:
        # x[mask] with a mask of x's shape (x[x > 0]): the extract below, without the key walk.
        return x._buffer.device.backend.run("extract", key, x)
    if t is slice or key is None or key is Ellipsis:
        return _basic(x, (key,))
    if t is tuple:
        for k in key:
            if type(k) not in _BASIC_TYPES:
                break
        else:
            return _basic(x, key)
    entries = _classify(x, key)
    if _is_basic(entries):
        return _basic(x, tuple(v for _, v in entries))
    if len(entries) == 1 and x.ndim:
        kind, v = entries[0]
        if kind == "intarr":
            # x[ind]: a gather along axis 0.
            return x.device.backend.run("take", x, normalize_indices(v, x.shape[0], 0), axis=0, mode="clip")
        if kind == "bool" and v.shape == x.shape:
            # x[mask] with a mask of x's shape: one compaction of the selected elements, C order.
            return x.device.backend.run("extract", v, x)
    t, p, flat = _resolve_advanced(x, entries)
    # Gather: out[i..., j..., k...] = t[i..., flat[j...], k...]; flat is in range, so nothing is checked.
    return x.device.backend.run("take", t, flat, axis=p, mode="clip")


def setitem(x, key, value):
    """``x[key] = value``: everything is validated before the first byte is written."""
    if x._buffer.readonly:
        raise ValueError("assignment destination is read-only")
    t = type(key)
    if t is slice:
        return _copy_into(x[key], value)  # the view from ndarray.__getitem__, in C
    if t is int or key is Ellipsis or key is None:
        return _copy_into(_basic(x, (key,)), value)
    if t is tuple:
        for k in key:
            if type(k) not in _BASIC_TYPES:
                break
        else:
            return _copy_into(_basic(x, key), value)
    entries = _classify(x, key)
    if _is_basic(entries):
        return _copy_into(_basic(x, tuple(v for _, v in entries)), value)
    backend = x.device.backend
    if len(entries) == 1 and entries[0][0] == "bool" and entries[0][1].shape == x.shape and x.ndim:
        v = value_array(x, value, "setitem")
        if v.ndim == 0 or v.shape == (1,):
            # x[mask] = scalar: a masked fill, in place.
            backend.run("copyto", x, _reshape(v, ()), where=entries[0][1])
            return
    t, p, flat = _resolve_advanced(x, entries)
    shape = t.shape[:p] + flat.shape + t.shape[p + 1:]
    v = _broadcast_value(value_array(x, value, "setitem"), shape, advanced=True)
    if v._buffer is x._buffer:
        v = asarray(v, copy=True)  # the scatter must not read what it has already written
    nb = flat.size
    idx = _reshape(flat, (1,) * p + (nb,) + (1,) * (t.ndim - p - 1))
    vals = _reshape(v, t.shape[:p] + (nb,) + t.shape[p + 1:])
    # Scatter: t[i..., idx[j], k...] = vals[i..., j, k...] in place; with repeated indices, one wins.
    backend.run("put_along_axis", t, idx, vals, axis=p)


# -- basic indexing -----------------------------------------------------------------------------------
def _int0(x, i):
    """``x[i]`` for a Python int: the most common index, kept short."""
    shape = x.shape
    if not shape:
        raise IndexError("too many indices for array: array is 0-dimensional, but 1 were indexed")
    n = shape[0]
    j = i + n if i < 0 else i
    if not 0 <= j < n:
        raise IndexError(f"index {i} is out of bounds for axis 0 with size {n}")
    strides = x._strides
    return make_view(x, shape[1:], strides[1:], x._offset + j * strides[0])


def _basic(x, key):
    """The view ``x[key]`` for a tuple of Python ints, slices, None and at most one Ellipsis."""
    shape = x.shape
    strides = x._strides
    ndim = len(shape)
    used = 0
    ellipsis = False
    for k in key:
        if k is None:
            continue
        if k is Ellipsis:
            if ellipsis:
                raise IndexError("an index can only have a single ellipsis ('...')")
            ellipsis = True
        else:
            used += 1
    if used > ndim:
        raise IndexError(f"too many indices for array: array is {ndim}-dimensional, but {used} were indexed")
    offset = x._offset
    new_shape = []
    new_strides = []
    d = 0
    for k in key:
        if type(k) is slice:
            n = shape[d]
            start, stop, step = k.indices(n)
            length = len(range(start, stop, step))
            if length:
                offset += start * strides[d]
            new_shape.append(length)
            new_strides.append(step * strides[d])
            d += 1
        elif k is None:
            new_shape.append(1)
            new_strides.append(0)
        elif k is Ellipsis:
            e = d + ndim - used
            new_shape.extend(shape[d:e])
            new_strides.extend(strides[d:e])
            d = e
        else:
            n = shape[d]
            i = k + n if k < 0 else k
            if not 0 <= i < n:
                raise IndexError(f"index {k} is out of bounds for axis {d} with size {n}")
            offset += i * strides[d]
            d += 1
    if d < ndim:
        new_shape.extend(shape[d:])
        new_strides.extend(strides[d:])
    return make_view(x, tuple(new_shape), tuple(new_strides), offset)


def _is_basic(entries):
    for kind, _ in entries:
        if kind not in ("basic", "int"):
            return False
    return True


# -- classifying an index -----------------------------------------------------------------------------
def _classify(x, key):
    """``key`` as a list of (kind, value): ("basic", slice/None/Ellipsis), ("int", int),
    ("intarr", integer array on x's device), ("bool", boolean array of ndim >= 1), ("bool0", bool)."""
    if type(key) is not tuple:
        key = (key,)
    entries = []
    for k in key:
        if k is None or k is Ellipsis or type(k) is slice:
            entries.append(("basic", k))
        elif isinstance(k, (bool, np.bool_)):
            entries.append(("bool0", bool(k)))
        elif isinstance(k, ndarray):
            entries.append(_array_entry(x, k))
        elif isinstance(k, (int, np.integer)):
            entries.append(("int", operator.index(k)))
        elif isinstance(k, (list, tuple, np.ndarray)):
            arr = np.asarray(k)
            if arr.size == 0 and not isinstance(k, np.ndarray):
                arr = arr.astype(_INT64)  # NumPy: an empty list is an empty integer index
            if arr.dtype.kind not in "biu":
                raise IndexError("arrays used as indices must be of integer (or boolean) type")
            entries.append(_array_entry(x, asarray(arr, device=x.device)))
        else:
            raise IndexError(_INVALID_INDEX)
    return entries


def _array_entry(x, a):
    if a.device != x.device:
        raise ValueError(f"index: the index array is on {a.device}, the indexed array on {x.device}; "
                         "move it with to_device()")
    kind = a.dtype.kind
    if kind == "b":
        return ("bool0", bool(a)) if a.ndim == 0 else ("bool", a)
    if kind in "iu":
        return ("intarr", a)
    raise IndexError("arrays used as indices must be of integer (or boolean) type")


# -- advanced indexing --------------------------------------------------------------------------------
def _resolve_advanced(x, entries):
    """(t, p, flat): ``x[key]`` is ``take(t, flat, axis=p)``; ``flat`` is int64 and in range."""
    ndim = x.ndim
    used = 0
    nellipsis = 0
    for kind, v in entries:
        if kind == "basic":
            nellipsis += v is Ellipsis
            used += type(v) is slice
        elif kind == "bool":
            used += v.ndim
        elif kind != "bool0":
            used += 1
    if nellipsis > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if used > ndim:
        raise IndexError(f"too many indices for array: array is {ndim}-dimensional, but {used} were indexed")

    # Walk the key: basic entries and ints shape the view; arrays are recorded per view axis.
    shape, strides = x.shape, x._strides
    offset = x._offset
    vshape, vstrides = [], []
    adv = []           # (view axis, index array)
    state = 0          # NumPy's rule: 0 none yet, 1 in the advanced run, 2 run ended, 3 not adjacent
    first = None       # view axis where the advanced run starts
    d = 0
    for kind, v in entries:
        if kind == "basic":
            if state == 1:
                state = 2
            if v is None:
                vshape.append(1)
                vstrides.append(0)
            elif v is Ellipsis:
                e = d + ndim - used
                vshape.extend(shape[d:e])
                vstrides.extend(strides[d:e])
                d = e
            else:
                n = shape[d]
                start, stop, step = v.indices(n)
                length = len(range(start, stop, step))
                if length:
                    offset += start * strides[d]
                vshape.append(length)
                vstrides.append(step * strides[d])
                d += 1
            continue
        if state == 0:
            state, first = 1, len(vshape)
        elif state == 2:
            state = 3
        if kind == "int":
            n = shape[d]
            i = v + n if v < 0 else v
            if not 0 <= i < n:
                raise IndexError(f"index {v} is out of bounds for axis {d} with size {n}")
            offset += i * strides[d]
            d += 1
        elif kind == "intarr":
            adv.append((len(vshape), normalize_indices(v, shape[d], d)))
            vshape.append(shape[d])
            vstrides.append(strides[d])
            d += 1
        elif kind == "bool0":
            # x[True] adds an axis of length 1 and indexes it with [0]; x[False] with [].
            adv.append((len(vshape), x.device.backend.run("zeros", (1 if v else 0,), dtype=_INT64)))
            vshape.append(1)
            vstrides.append(0)
        else:
            k = v.ndim
            # NumPy lets an empty mask axis stand against any axis length (it selects nothing).
            if any(m not in (n, 0) for m, n in zip(v.shape, shape[d:d + k])):
                bad = next(i for i in range(k) if v.shape[i] not in (shape[d + i], 0))
                raise IndexError(f"boolean index did not match indexed array along axis {d + bad}; size of "
                                 f"axis is {shape[d + bad]} but size of corresponding boolean axis is "
                                 f"{v.shape[bad]}")
            for j, ind in enumerate(x.device.backend.run("nonzero", v)):
                adv.append((len(vshape), ind))
                vshape.append(shape[d + j])
                vstrides.append(strides[d + j])
            d += k
    vshape.extend(shape[d:])
    vstrides.extend(strides[d:])

    try:
        broadcast_shapes(tuple(ind.shape for _, ind in adv), "index")
    except ValueError:
        raise IndexError("shape mismatch: indexing arrays could not be broadcast together with shapes "
                         + " ".join(str(ind.shape) for _, ind in adv)) from None
    axes = [a for a, _ in adv]
    rest = [a for a in range(len(vshape)) if a not in axes]
    # Where the merged axis goes: in place of an adjacent run of advanced indices, else first.
    p = first if state != 3 else 0
    pre = [a for a in rest if a < p] if state != 3 else []
    post = [a for a in rest if a not in pre]
    # flat has the broadcast shape of the index arrays (the sums in _merge broadcast them).
    length, step, start, flat = _merge([vshape[a] for a in axes], [vstrides[a] for a in axes],
                                       [ind for _, ind in adv], x.itemsize)
    t = make_view(x, tuple(vshape[a] for a in pre) + (length,) + tuple(vshape[a] for a in post),
                  tuple(vstrides[a] for a in pre) + (step,) + tuple(vstrides[a] for a in post),
                  offset + start)
    return t, len(pre), flat


def _merge(sizes, strides, indices, itemsize):
    """One axis that reaches every element the advanced axes (sizes, strides) can select.

    Returns (length, step, start, flat): the axis has ``length`` elements ``step`` bytes apart from
    ``start`` bytes past the view's offset, and ``flat`` (int64, the broadcast shape of ``indices``)
    is where they land on it. ``step`` is the gcd of the strides, so every selected element lies on it.
    """
    if len(indices) == 1:
        return sizes[0], strides[0], 0, indices[0]
    g = 0
    for n, s in zip(sizes, strides):
        if n > 1:
            g = math.gcd(g, s)
    if g == 0:
        g = itemsize  # every advanced axis has length <= 1 or stride 0: all indices select offset 0
    start = 0
    span = 0
    for n, s in zip(sizes, strides):
        if n > 1:
            span += (n - 1) * abs(s)
            if s < 0:
                start += (n - 1) * s
    flat = None
    for n, s, ind in zip(sizes, strides, indices):
        # An axis of length <= 1 is only ever indexed by 0 (or not at all): it adds nothing but its shape.
        term = ind if s == g else _multiply(ind, s // g if n > 1 else 0)
        flat = term if flat is None else _add(flat, term)
    if start and flat is not None:
        flat = _add(flat, -start // g)
    return span // g + 1, g, start, flat


def normalize_indices(ind, n, axis, mode="raise"):
    """Integer array ``ind`` into an axis of length ``n`` as int64 in [0, n).

    mode 'raise': IndexError for entries outside [-n, n), negatives count from the end;
    'wrap': modulo n; 'clip': clipped to [0, n - 1] (negatives become 0, as in NumPy).
    """
    backend = ind.device.backend
    if ind.dtype.kind not in "iu":
        raise IndexError("arrays used as indices must be of integer (or boolean) type")
    if ind.size == 0:
        return ind if ind.dtype == _INT64 else asarray(ind, dtype=_INT64)
    if mode == "raise":
        lo = int(backend.run("min", ind))
        hi = int(backend.run("max", ind))
        if hi >= n:
            raise IndexError(f"index {hi} is out of bounds for axis {axis} with size {n}")
        if lo < -n:
            raise IndexError(f"index {lo} is out of bounds for axis {axis} with size {n}")
        ind = ind if ind.dtype == _INT64 else asarray(ind, dtype=_INT64)
        return _remainder(ind, n) if lo < 0 else ind
    if n == 0:
        raise IndexError("cannot do a non-empty take from an empty axes.")
    if ind.dtype.kind == "u" and ind.dtype.itemsize == 8:
        # uint64 beyond int64's range: bring it into range before the cast, keeping its value mod n/clip.
        ind = _remainder(ind, n) if mode == "wrap" else _minimum(ind, n - 1)
    ind = ind if ind.dtype == _INT64 else asarray(ind, dtype=_INT64)
    if mode == "wrap":
        return _remainder(ind, n)
    if mode == "clip":
        return _maximum(_minimum(ind, n - 1), 0)
    raise ValueError(f"mode must be 'raise', 'wrap' or 'clip', got {mode!r}")


# -- values written by setitem ------------------------------------------------------------------------
def value_array(x, value, op):
    """``value`` as an array of ``x``'s dtype on ``x``'s device, converted as NumPy's setitem does:
    unsafe casts (1.7 -> 1), OverflowError for out-of-range Python ints, TypeError for a Python
    complex into a real array, and a ComplexWarning (real part kept) for complex arrays."""
    t = type(value)
    if t is int or t is float or t is bool:
        return x._buffer.device.backend.from_numpy(_converted(value, t, x.dtype))
    if isinstance(value, ndarray):
        if value.device != x.device:
            raise ValueError(f"{op}: the value is on {value.device}, the array on {x.device}; "
                             "move it with to_device()")
        if value.dtype == x.dtype:
            return value
        if value.dtype.kind == "c" and x.dtype.kind != "c":
            warnings.warn("Casting complex values to real discards the imaginary part",
                          np.exceptions.ComplexWarning, stacklevel=3)
            value = real_view(value)
        return asarray(value, dtype=x.dtype)
    if value is None:
        raise TypeError(f"{op}: cannot assign None to an array of dtype {x.dtype}")
    return x.device.backend.from_numpy(np.asarray(value, dtype=x.dtype))


_scalars = {}  # (dtype, type, value[, sign of a zero]) -> read-only 0-d NumPy array


def _converted(value, t, dtype):
    """A Python bool, int or float as a 0-d NumPy array of ``dtype`` (NumPy's conversion), kept for the
    next x[k] = value: converting costs more than the rest of a small setitem. Only exact conversions
    are kept, so every warning (overflow, invalid cast) or error is raised again on every call."""
    key = (dtype, t, value)
    if t is float and value == 0:
        key += (math.copysign(1.0, value),)  # -0.0 == 0.0, but their bits differ
    a = _scalars.get(key)
    if a is None:
        a = np.asarray(value, dtype=dtype)
        if a.item() == value:
            if len(_scalars) >= 4096:
                _scalars.clear()
            a.flags.writeable = False
            _scalars[key] = a
    return a


def _broadcast_value(v, shape, advanced=False):
    """A view of ``v`` with ``shape`` (NumPy's rules for assigned values: leading 1s may be dropped)."""
    vshape, vstrides = v.shape, v._strides
    if vshape == shape:
        return v
    if not vshape:
        # A scalar value (the common x[key] = 0): every element reads it; the loop below gives the same.
        return make_view(v, shape, (0,) * len(shape), v._offset)
    while len(vshape) > len(shape) and vshape[0] == 1:
        vshape, vstrides = vshape[1:], vstrides[1:]
    extra = len(shape) - len(vshape)
    ok = extra >= 0
    strides = [0] * max(extra, 0)
    if ok:
        for n, st, target in zip(vshape, vstrides, shape[extra:]):
            if n == target:
                strides.append(st)
            elif n == 1:
                strides.append(0)
            else:
                ok = False
                break
    if not ok:
        if advanced:
            raise ValueError(f"shape mismatch: value array of shape {v.shape} could not be broadcast to "
                             f"indexing result of shape {shape}")
        raise ValueError(f"could not broadcast input array from shape {v.shape} into shape {shape}")
    return make_view(v, shape, tuple(strides), v._offset)


def _copy_into(target, value):
    """Basic setitem: ``target`` is a view of the destination."""
    backend = target._buffer.device.backend
    t = type(value)
    if t is int or t is float or t is bool:
        # x[k] = 0, the common case: value_array's conversion, inline; a 0-d value needs no broadcast
        # view, since backend.copy broadcasts a 0-d source itself.
        backend.copy(backend.from_numpy(_converted(value, t, target.dtype)), target)
        return
    v = value_array(target, value, "setitem")
    if v.shape:
        v = _broadcast_value(v, target.shape)
    if v._buffer is target._buffer:
        v = asarray(v, copy=True)  # overlapping source and destination: read everything first
    backend.copy(v, target)


def _reshape(a, shape):
    """A view of ``a`` with ``shape`` when the strides allow it, else a reshaped copy."""
    if a.shape == shape:
        return a
    view = reshape_view(a, shape)
    return view if view is not None else reshape_view(asarray(a, copy=True), shape)
