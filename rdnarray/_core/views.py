"""Layout arithmetic: every operation that returns a view computes its shape, strides and offset here,
once, for every device. Nothing in this file touches memory.
"""
import operator

import numpy as np

from .ndarray import make_view, ndarray


def normalize_axis(axis, ndim, op):
    """``axis`` in [-ndim, ndim) as a non-negative int, or AxisError naming ``op``."""
    try:
        a = operator.index(axis)
    except TypeError:
        raise TypeError(f"{op}: axis must be an integer, got {type(axis).__name__}") from None
    if not -ndim <= a < ndim:
        raise np.exceptions.AxisError(f"{op}: axis {axis} is out of bounds for an array of dimension {ndim}")
    return a + ndim if a < 0 else a


def normalize_axes(axis, ndim, op, allow_duplicates=False):
    """``axis`` (None, an int or a sequence of ints) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        axes = tuple(normalize_axis(a, ndim, op) for a in axis)
    else:
        axes = (normalize_axis(axis, ndim, op),)
    if not allow_duplicates and len(set(axes)) != len(axes):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(sorted(axes))


def c_strides(shape, itemsize):
    strides = []
    s = itemsize
    for n in reversed(shape):
        strides.append(s)
        s *= max(n, 1)
    return tuple(reversed(strides))


def is_c_contiguous(x):
    if x.size <= 1:
        return True
    s = x.itemsize
    for n, st in zip(reversed(x.shape), reversed(x.strides)):
        if n != 1 and st != s:
            return False
        s *= n
    return True


def is_f_contiguous(x):
    if x.size <= 1:
        return True
    s = x.itemsize
    for n, st in zip(x.shape, x.strides):
        if n != 1 and st != s:
            return False
        s *= n
    return True


class Flags:
    """The subset of NumPy's ``flags`` that rdnarray arrays have."""

    def __init__(self, x):
        self.c_contiguous = is_c_contiguous(x)
        self.f_contiguous = is_f_contiguous(x)
        self.writeable = not x.data.readonly
        self.owndata = x._offset == 0 and self.c_contiguous

    def __getitem__(self, name):
        return getattr(self, name.lower())

    def __repr__(self):
        return (f"  C_CONTIGUOUS : {self.c_contiguous}\n  F_CONTIGUOUS : {self.f_contiguous}\n"
                f"  WRITEABLE : {self.writeable}")


def resolve_shape(shape, size, op="reshape"):
    """``shape`` with one -1 filled in so that it holds ``size`` elements."""
    if isinstance(shape, ndarray) or not hasattr(shape, "__iter__"):
        shape = (shape,)
    try:
        shape = [operator.index(s) for s in shape]
    except TypeError:
        raise TypeError(f"{op}: shape must be integers, got {shape!r}") from None
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1 or any(s < -1 for s in shape):
        raise ValueError(f"{op}: invalid shape {tuple(shape)}")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if unknown:
        if known == 0 or size % known:
            raise ValueError(f"{op}: cannot reshape array of size {size} into shape {tuple(shape)}")
        shape[unknown[0]] = size // known
    elif known != size:
        raise ValueError(f"{op}: cannot reshape array of size {size} into shape {tuple(shape)}")
    return tuple(shape)


def reshape_strides(x, shape):
    """Strides that view ``x`` with ``shape`` without copying, or None when a copy is needed
    (NumPy's _attempt_nocopy_reshape)."""
    if x.size == 0 or is_c_contiguous(x):
        return c_strides(shape, x.itemsize)
    old = [(n, st) for n, st in zip(x.shape, x.strides) if n != 1]
    new_strides = [0] * len(shape)
    oi, oj, ni, nj = 0, 1, 0, 1
    while ni < len(shape) and oi < len(old):
        np_, op_ = shape[ni], old[oi][0]
        while np_ != op_:
            if np_ < op_:
                np_ *= shape[nj]
                nj += 1
            else:
                op_ *= old[oj][0]
                oj += 1
        for k in range(oi, oj - 1):
            if old[k][1] != old[k + 1][0] * old[k + 1][1]:
                return None
        new_strides[nj - 1] = old[oj - 1][1]
        for k in range(nj - 1, ni, -1):
            new_strides[k - 1] = new_strides[k] * shape[k]
        ni, nj = nj, nj + 1
        oi, oj = oj, oj + 1
    last = new_strides[ni - 1] if ni >= 1 else x.itemsize
    for k in range(ni, len(shape)):
        new_strides[k] = last
    return tuple(new_strides)


def reshape_view(x, shape):
    strides = reshape_strides(x, shape)
    return None if strides is None else make_view(x, shape, strides, x._offset)


def permute(x, axes):
    return make_view(x, tuple(x.shape[a] for a in axes), tuple(x.strides[a] for a in axes), x._offset)


def expand(x, axes):
    """Insert length-1 dimensions at the (normalized, sorted) positions ``axes`` of the result."""
    shape, strides = list(x.shape), list(x.strides)
    for a in axes:
        shape.insert(a, 1)
        strides.insert(a, 0)
    return make_view(x, tuple(shape), tuple(strides), x._offset)


def squeeze(x, axes):
    keep = [i for i in range(x.ndim) if i not in axes]
    return make_view(x, tuple(x.shape[i] for i in keep), tuple(x.strides[i] for i in keep), x._offset)


def broadcast_to(x, shape):
    """A read-through view of ``x`` with ``shape`` (zero strides on broadcast dimensions)."""
    extra = len(shape) - x.ndim
    if extra < 0:
        raise ValueError(f"broadcast_to: cannot broadcast shape {x.shape} to the smaller rank of {shape}")
    strides = [0] * extra
    for i, (n, st) in enumerate(zip(x.shape, x.strides)):
        target = shape[extra + i]
        if n == target:
            strides.append(st)
        elif n == 1:
            strides.append(0)
        else:
            raise ValueError(f"broadcast_to: cannot broadcast an array of shape {x.shape} to {shape}")
    return make_view(x, tuple(shape), tuple(strides), x._offset)


def flip(x, axes):
    offset = x._offset
    strides = list(x.strides)
    for a in axes:
        if x.shape[a] > 0:
            offset += (x.shape[a] - 1) * strides[a]
        strides[a] = -strides[a]
    return make_view(x, x.shape, tuple(strides), offset)


def diagonal(x, offset, axis1, axis2):
    """The view of the diagonals of ``x`` over axes (axis1, axis2), appended as the last axis."""
    n1, n2 = x.shape[axis1], x.shape[axis2]
    s1, s2 = x.strides[axis1], x.strides[axis2]
    start = x._offset
    if offset >= 0:
        length = max(0, min(n1, n2 - offset))
        if length:
            start += offset * s2
    else:
        length = max(0, min(n1 + offset, n2))
        if length:
            start -= offset * s1
    keep = [i for i in range(x.ndim) if i not in (axis1, axis2)]
    shape = tuple(x.shape[i] for i in keep) + (length,)
    strides = tuple(x.strides[i] for i in keep) + (s1 + s2,)
    return make_view(x, shape, strides, start)


def real_view(x):
    """The real parts of a complex array, as a writable view."""
    if x.dtype.kind != "c":
        return x
    part = np.dtype(np.float32 if x.dtype.itemsize == 8 else np.float64)
    return make_view(x, x.shape, x.strides, x._offset, part)


def imag_view(x):
    if x.dtype.kind != "c":
        raise TypeError(f"imag: an array of dtype {x.dtype} has no imaginary part to view")
    part = np.dtype(np.float32 if x.dtype.itemsize == 8 else np.float64)
    return make_view(x, x.shape, x.strides, x._offset + part.itemsize, part)


def dtype_view(x, dtype):
    """``x.view(dtype)``: the same bytes read as another dtype (the last axis rescales)."""
    from . import dtypes as _dt
    if dtype is None:
        return make_view(x, x.shape, x.strides, x._offset)
    dt = _dt.normalize(dtype)
    if dt.itemsize == x.itemsize:
        return make_view(x, x.shape, x.strides, x._offset, dt)
    if x.ndim == 0 or x.strides[-1] != x.itemsize:
        raise ValueError(f"view: changing {x.dtype} to {dt} needs a contiguous last axis")
    nbytes = x.shape[-1] * x.itemsize
    if nbytes % dt.itemsize:
        raise ValueError(f"view: the last axis ({nbytes} bytes) is not a multiple of {dt} ({dt.itemsize} bytes)")
    shape = x.shape[:-1] + (nbytes // dt.itemsize,)
    return make_view(x, shape, x.strides[:-1] + (dt.itemsize,), x._offset, dt)
