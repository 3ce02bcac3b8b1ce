"""Array API manipulation functions and NumPy's (transpose, ravel, hstack, split, ...).

Functions that return views (broadcast_to, expand_dims, squeeze, flip, moveaxis, swapaxes, split pieces,
...) compute the layout with ``_core.views`` and never copy. Functions that make new data allocate with
the backend's ``empty`` and fill the result with ``copy`` from views of the inputs (concat, stack, tile,
repeat, roll, insert, delete, ...), so they run on every device through the backend contract alone; only
data-dependent algorithms (repeat with an array of counts, pad) are named ``run`` calls.
"""
import itertools
import operator

import numpy as np

from ._core import dtypes as _dt
from ._core import views as _views
from ._core.devices import default_device
from ._core.elementwise import broadcast_shapes as _broadcast_shapes
from ._core.ndarray import make_view, ndarray
from ._core.transfer import asarray, to_numpy

__all__ = [
    "reshape", "permute_dims", "transpose", "matrix_transpose", "ravel",
    "broadcast_arrays", "broadcast_shapes", "broadcast_to", "concat", "expand_dims", "flip", "moveaxis",
    "repeat", "roll", "squeeze", "stack", "tile", "unstack",
    "concatenate", "swapaxes", "rollaxis", "hstack", "vstack", "dstack", "column_stack",
    "atleast_1d", "atleast_2d", "atleast_3d", "split", "array_split", "hsplit", "vsplit", "dsplit",
    "append", "rot90", "fliplr", "flipud", "block",
    "copyto",
]

_CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")


# -- helpers ---------------------------------------------------------------------------------------
def _array(x):
    return x if isinstance(x, ndarray) else asarray(x)


def _arrays(seq, op):
    """The items of ``seq`` as arrays on one device (that of the first rdnarray array among them)."""
    if isinstance(seq, ndarray):
        seq = [_index(seq, 0, i) for i in range(seq.shape[0])] if seq.ndim else [seq]
    items = list(seq)
    device = next((a.device for a in items if isinstance(a, ndarray)), None)
    if device is None:
        device = default_device()
    out = []
    for a in items:
        if isinstance(a, ndarray):
            if a.device != device:
                raise ValueError(f"{op}: arrays are on different devices ({device} and {a.device}); "
                                 "move them with to_device()")
            out.append(a)
        else:
            out.append(asarray(a, device=device))
    return out, device


def _same_device(x, other, op):
    """``other`` as an array on ``x``'s device (ValueError if it is an array on another one)."""
    if isinstance(other, ndarray):
        if other.device != x.device:
            raise ValueError(f"{op}: arrays are on different devices ({x.device} and {other.device}); "
                             "move them with to_device()")
        return other
    return asarray(other, device=x.device)


def _axis_tuple(axis, ndim, op, name="axis"):
    """``axis`` (an int or a sequence of ints) as a tuple of non-negative axes in the given order."""
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    axes = tuple(_views.normalize_axis(a, ndim, op) for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{op}: repeated axis in `{name}` argument {axis}")
    return axes


def _slice(x, axis, start, stop, step=1):
    """The view ``x[..., start:stop:step, ...]`` along ``axis`` (start/stop already in range)."""
    n = len(range(start, stop, step))
    st = x.strides[axis]
    return make_view(x, x.shape[:axis] + (n,) + x.shape[axis + 1:],
                     x.strides[:axis] + (st * step,) + x.strides[axis + 1:],
                     x._offset + (start * st if n else 0))


def _index(x, axis, i):
    """The view ``x[..., i, ...]`` (axis removed)."""
    return make_view(x, x.shape[:axis] + x.shape[axis + 1:], x.strides[:axis] + x.strides[axis + 1:],
                     x._offset + i * x.strides[axis])


def _extent(x):
    """The byte range [lo, hi) that ``x`` can touch in its buffer, or None when empty."""
    if x.size == 0:
        return None
    lo = hi = x.data.ptr + x._offset
    for n, st in zip(x.shape, x.strides):
        if st < 0:
            lo += (n - 1) * st
        else:
            hi += (n - 1) * st
    return lo, hi + x.itemsize


def _overlaps(a, b):
    ea, eb = _extent(a), _extent(b)
    return ea is not None and eb is not None and ea[0] < eb[1] and eb[0] < ea[1]


def _copy(src, dst):
    """``dst[...] = src`` with ``src`` broadcast to ``dst``'s shape (a zero-stride view, no data)."""
    if dst.size == 0:
        return
    if src.shape != dst.shape:
        src = _views.broadcast_to(src, dst.shape)
    dst.device.backend.copy(src, dst)


def _new(x_or_device, shape, dtype):
    device = x_or_device.device if isinstance(x_or_device, ndarray) else x_or_device
    return device.backend.empty(tuple(shape), dtype)


def _check_casting(casting, op):
    if casting not in _CASTINGS:
        raise ValueError(f"{op}: casting must be one of {', '.join(map(repr, _CASTINGS))}, got {casting!r}")


def _check_out(out, shape, device, op):
    if not isinstance(out, ndarray):
        raise TypeError(f"{op}: out must be an rdnarray.ndarray, not {type(out).__name__}")
    if out.shape != tuple(shape):
        raise ValueError(f"{op}: out has shape {out.shape}, but the result has shape {tuple(shape)}")
    if out.device != device:
        raise ValueError(f"{op}: out is on {out.device}, the inputs on {device}")
    if out.data.readonly:
        raise ValueError(f"{op}: out is read-only")


def _int_tuple(value, op, name):
    """An int or a sequence of ints as a tuple of ints (TypeError otherwise)."""
    if isinstance(value, ndarray):
        value = to_numpy(value).tolist()
    if isinstance(value, (tuple, list)):
        items = value
    elif isinstance(value, np.ndarray):
        items = value.tolist()
        items = items if isinstance(items, list) else [items]
    else:
        items = [value]
    try:
        return tuple(operator.index(v) for v in items)
    except TypeError:
        raise TypeError(f"{op}: {name} must be an integer or a sequence of integers, got {value!r}") from None


# -- existing views --------------------------------------------------------------------------------
def reshape(x, /, shape, *, copy=None, order="C"):
    x = _array(x)
    if order not in ("C", "A"):
        raise ValueError(f"reshape: only C order is supported, got order={order!r}")
    shape = _views.resolve_shape(shape, x.size)
    if copy:
        x = asarray(x, copy=True)
    view = _views.reshape_view(x, shape)
    if view is not None:
        return view
    if copy is False:
        raise ValueError(f"reshape: cannot reshape an array of shape {x.shape} with strides {x.strides} "
                         f"to {shape} without a copy")
    return _views.reshape_view(asarray(x, copy=True), shape)


def permute_dims(x, /, axes):
    x = _array(x)
    axes = tuple(_views.normalize_axis(a, x.ndim, "permute_dims") for a in axes)
    if sorted(axes) != list(range(x.ndim)):
        raise ValueError(f"permute_dims: axes {axes} are not a permutation of the {x.ndim} axes of {x.shape}")
    return _views.permute(x, axes)


def transpose(a, axes=None):
    a = _array(a)
    return permute_dims(a, tuple(range(a.ndim))[::-1] if axes is None else axes)


def matrix_transpose(x, /):
    x = _array(x)
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose: x must have at least 2 dimensions, got shape {x.shape}")
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return _views.permute(x, tuple(axes))


def ravel(a, order="C"):
    return reshape(a, (-1,), order=order)


# -- broadcasting ----------------------------------------------------------------------------------
def broadcast_shapes(*shapes):
    """The shape that arrays of ``shapes`` broadcast to (ints count as 1-D shapes, like NumPy)."""
    resolved = []
    for s in shapes:
        s = _int_tuple(s, "broadcast_shapes", "a shape")
        if any(n < 0 for n in s):
            raise ValueError(f"broadcast_shapes: negative dimensions are not allowed in {s}")
        resolved.append(s)
    if not resolved:
        return ()
    return _broadcast_shapes(tuple(resolved), "broadcast_shapes")


def broadcast_to(x, /, shape):
    x = _array(x)
    shape = _int_tuple(shape, "broadcast_to", "shape")
    if any(n < 0 for n in shape):
        raise ValueError(f"broadcast_to: negative dimensions are not allowed in {shape}")
    return _views.broadcast_to(x, shape)


def broadcast_arrays(*arrays):
    arrays, _ = _arrays(arrays, "broadcast_arrays")
    if not arrays:
        return ()
    shape = _broadcast_shapes(tuple(a.shape for a in arrays), "broadcast_arrays")
    return tuple(a if a.shape == shape else _views.broadcast_to(a, shape) for a in arrays)


# -- joining ---------------------------------------------------------------------------------------
def concat(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """Join arrays along an existing axis (``axis=None`` joins them flattened)."""
    op = "concat"
    arrays, device = _arrays(arrays, op)
    if not arrays:
        raise ValueError(f"{op}: need at least one array to concatenate")
    if out is not None and dtype is not None:
        raise TypeError(f"{op}: takes either `out` or `dtype`, not both")
    _check_casting(casting, op)
    if axis is None:
        ax = 0
        shape = (sum(a.size for a in arrays),)
    else:
        first = arrays[0]
        if first.ndim == 0:
            raise ValueError(f"{op}: zero-dimensional arrays cannot be concatenated")
        ax = _views.normalize_axis(axis, first.ndim, op)
        total = 0
        for i, a in enumerate(arrays):
            if a.ndim != first.ndim:
                raise ValueError(f"{op}: all the input arrays must have the same number of dimensions; the "
                                 f"array at index 0 has shape {first.shape} and the one at index {i} has "
                                 f"shape {a.shape}")
            if a.shape[:ax] + a.shape[ax + 1:] != first.shape[:ax] + first.shape[ax + 1:]:
                raise ValueError(f"{op}: all the input array dimensions except for the concatenation axis "
                                 f"{ax} must match exactly; the array at index 0 has shape {first.shape} and "
                                 f"the one at index {i} has shape {a.shape}")
            total += a.shape[ax]
        shape = first.shape[:ax] + (total,) + first.shape[ax + 1:]
    if out is not None:
        _check_out(out, shape, device, op)
        dt = out.dtype
    else:
        dt = _dt.normalize(dtype) or _dt.result_type(*arrays)
    for a in arrays:
        if not np.can_cast(a.dtype, dt, casting):
            raise TypeError(f"{op}: cannot cast an array of dtype {a.dtype} to {dt} with casting rule "
                            f"'{casting}'")
    if out is None:
        target = _new(device, shape, dt)
    else:
        target = out
        # An input that shares memory with `out` is read before anything is written.
        arrays = [asarray(a, copy=True) if _overlaps(a, out) else a for a in arrays]
    pos = 0
    for a in arrays:
        n = a.size if axis is None else a.shape[ax]
        dst = _slice(target, ax, pos, pos + n)
        if axis is None:
            view = _views.reshape_view(dst, a.shape)
            dst, a = (view, a) if view is not None else (dst, ravel(a))
        _copy(a, dst)
        pos += n
    return target


concatenate = concat


def stack(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """Join arrays of one shape along a new axis."""
    arrays, _ = _arrays(arrays, "stack")
    if not arrays:
        raise ValueError("stack: need at least one array to stack")
    shape = arrays[0].shape
    for a in arrays:
        if a.shape != shape:
            raise ValueError(f"stack: all input arrays must have the same shape, got {shape} and {a.shape}")
    ax = _views.normalize_axis(axis, len(shape) + 1, "stack")
    return concat([_views.expand(a, (ax,)) for a in arrays], axis=ax, out=out, dtype=dtype, casting=casting)


def unstack(x, /, *, axis=0):
    x = _array(x)
    if x.ndim == 0:
        raise ValueError("unstack: the input array must be at least 1-d, got a 0-d array")
    ax = _views.normalize_axis(axis, x.ndim, "unstack")
    return tuple(_index(x, ax, i) for i in range(x.shape[ax]))


def _prepend_ones(x, ndim):
    """``x`` viewed with leading length-1 axes up to ``ndim`` dimensions."""
    return _views.expand(x, tuple(range(ndim - x.ndim))) if x.ndim < ndim else x


def _atleast(x, n):
    """NumPy's atleast_nd view: (N,) becomes (1, N) for 2-d and (1, N, 1) for 3-d; (M, N) becomes (M, N, 1)."""
    if x.ndim >= n or x.ndim == 0:
        return _prepend_ones(x, n)
    if n == 2:
        return _views.expand(x, (0,))
    return _views.expand(x, (0, 2) if x.ndim == 1 else (2,))


def _atleast_all(arys, n):
    res = tuple(_atleast(a, n) for a in _arrays(arys, f"atleast_{n}d")[0])
    return res[0] if len(res) == 1 else res


def atleast_1d(*arys):
    return _atleast_all(arys, 1)


def atleast_2d(*arys):
    return _atleast_all(arys, 2)


def atleast_3d(*arys):
    return _atleast_all(arys, 3)


def _tuple_of_arrays(tup, op):
    if isinstance(tup, ndarray) or not hasattr(tup, "__iter__"):
        raise TypeError(f"{op}: arrays to stack must be passed as a sequence (a list or a tuple)")
    return _arrays(tup, op)[0]


def hstack(tup, *, dtype=None, casting="same_kind"):
    arrays = [_atleast(a, 1) for a in _tuple_of_arrays(tup, "hstack")]
    axis = 0 if arrays and arrays[0].ndim == 1 else 1
    return concat(arrays, axis=axis, dtype=dtype, casting=casting)


def vstack(tup, *, dtype=None, casting="same_kind"):
    return concat([_atleast(a, 2) for a in _tuple_of_arrays(tup, "vstack")], axis=0, dtype=dtype,
                  casting=casting)


def dstack(tup):
    return concat([_atleast(a, 3) for a in _tuple_of_arrays(tup, "dstack")], axis=2)


def column_stack(tup):
    # 0-d and 1-d arrays become columns; others join as they are.
    arrays = [_views.expand(_atleast(a, 1), (1,)) if a.ndim < 2 else a
              for a in _tuple_of_arrays(tup, "column_stack")]
    return concat(arrays, axis=1)


def _block_depth(arrays, index):
    """(depth of list nesting, max leaf ndim) of a ``block`` argument; ValueError if depths differ."""
    if isinstance(arrays, tuple):
        raise TypeError(f"block: arrays{index} is a tuple; only lists can be used to arrange blocks")
    if not isinstance(arrays, list):
        return 0, arrays.ndim if isinstance(arrays, ndarray) else np.ndim(arrays)
    if not arrays:
        raise ValueError(f"block: arrays{index} is an empty list")
    results = [_block_depth(a, f"{index}[{i}]") for i, a in enumerate(arrays)]
    depths = {d for d, _ in results}
    if len(depths) > 1:
        raise ValueError(f"block: list depths are mismatched under arrays{index}")
    return depths.pop() + 1, max(n for _, n in results)


def block(arrays):
    """Assemble an array from nested lists of blocks (NumPy's ``block``)."""
    depth, leaf_ndim = _block_depth(arrays, "")
    ndim = max(depth, leaf_ndim)
    leaves = []

    def gather(a):
        if isinstance(a, list):
            for b in a:
                gather(b)
        else:
            leaves.append(a)
    gather(arrays)
    converted = iter(_arrays(leaves, "block")[0])

    def assemble(a, level):
        if not isinstance(a, list):
            x = next(converted)
            return _prepend_ones(x, ndim)
        parts = [assemble(b, level + 1) for b in a]
        return concat(parts, axis=level - depth)
    result = assemble(arrays, 0)
    return asarray(result, copy=True) if depth == 0 else result


def append(arr, values, axis=None):
    x = _array(arr)
    values = _same_device(x, values, "append")
    if axis is None:
        return concat((x, values), axis=None)
    return concat((x, values), axis=axis)


# -- views: axes and order -------------------------------------------------------------------------
def expand_dims(a, /, axis):
    x = _array(a)
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    nd = x.ndim + len(axes)
    return _views.expand(x, _views.normalize_axes(tuple(axes), nd, "expand_dims"))


def squeeze(a, /, axis=None):
    x = _array(a)
    if axis is None:
        axes = tuple(i for i, n in enumerate(x.shape) if n == 1)
    else:
        axes = _views.normalize_axes(axis, x.ndim, "squeeze")
        for i in axes:
            if x.shape[i] != 1:
                raise ValueError(f"squeeze: cannot squeeze axis {i} of an array of shape {x.shape}: its "
                                 "size is not one")
    return _views.squeeze(x, axes)


def flip(m, /, axis=None):
    x = _array(m)
    return _views.flip(x, _views.normalize_axes(axis, x.ndim, "flip"))


def fliplr(m):
    x = _array(m)
    if x.ndim < 2:
        raise ValueError(f"fliplr: the input must be at least 2-d, got shape {x.shape}")
    return _views.flip(x, (1,))


def flipud(m):
    x = _array(m)
    if x.ndim < 1:
        raise ValueError("flipud: the input must be at least 1-d, got a 0-d array")
    return _views.flip(x, (0,))


def moveaxis(a, source, destination, /):
    x = _array(a)
    src = _axis_tuple(source, x.ndim, "moveaxis", "source")
    dst = _axis_tuple(destination, x.ndim, "moveaxis", "destination")
    if len(src) != len(dst):
        raise ValueError(f"moveaxis: `source` {source} and `destination` {destination} must have the same "
                         "number of elements")
    order = [n for n in range(x.ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return _views.permute(x, tuple(order))


def swapaxes(a, axis1, axis2):
    x = _array(a)
    i = _views.normalize_axis(axis1, x.ndim, "swapaxes")
    j = _views.normalize_axis(axis2, x.ndim, "swapaxes")
    order = list(range(x.ndim))
    order[i], order[j] = order[j], order[i]
    return _views.permute(x, tuple(order))


def rollaxis(a, axis, start=0):
    """Roll ``axis`` backwards until it lies before position ``start`` (prefer moveaxis)."""
    x = _array(a)
    n = x.ndim
    axis = _views.normalize_axis(axis, n, "rollaxis")
    start = operator.index(start)
    if start < 0:
        start += n
    if not 0 <= start <= n:
        raise np.exceptions.AxisError(f"rollaxis: 'start' must satisfy {-n} <= start < {n + 1}, got "
                                      f"{start if start >= 0 else start - n}")
    if axis < start:
        start -= 1
    order = list(range(n))
    order.remove(axis)
    order.insert(start, axis)
    return _views.permute(x, tuple(order))


def rot90(m, k=1, axes=(0, 1)):
    x = _array(m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError(f"rot90: axes must name 2 axes, got {axes}")
    if x.ndim < 2:
        raise ValueError(f"rot90: the array must be at least 2-d, got shape {x.shape}")
    a0 = _views.normalize_axis(axes[0], x.ndim, "rot90")
    a1 = _views.normalize_axis(axes[1], x.ndim, "rot90")
    if a0 == a1:
        raise ValueError(f"rot90: axes must be different, got {axes}")
    k = operator.index(k) % 4
    if k == 0:
        return make_view(x, x.shape, x.strides, x._offset)
    if k == 2:
        return _views.flip(x, tuple(sorted((a0, a1))))
    order = list(range(x.ndim))
    order[a0], order[a1] = order[a1], order[a0]
    if k == 1:
        return _views.permute(_views.flip(x, (a1,)), tuple(order))
    return _views.flip(_views.permute(x, tuple(order)), (a1,))


# -- splitting (views) -----------------------------------------------------------------------------
def array_split(ary, indices_or_sections, axis=0):
    x = _array(ary)
    ax = _views.normalize_axis(axis, x.ndim, "array_split")
    n = x.shape[ax]
    if isinstance(indices_or_sections, (ndarray, np.ndarray, list, tuple)):
        bounds = [0] + list(_int_tuple(indices_or_sections, "array_split", "indices")) + [n]
    else:
        try:
            sections = operator.index(indices_or_sections)
        except TypeError:
            raise TypeError(f"array_split: indices_or_sections must be an integer or a sequence of integers, "
                            f"got {indices_or_sections!r}") from None
        if sections <= 0:
            raise ValueError(f"array_split: the number of sections must be larger than 0, got {sections}")
        each, extra = divmod(n, sections)
        bounds = [0]
        for i in range(sections):
            bounds.append(bounds[-1] + each + (1 if i < extra else 0))
    pieces = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        start, stop, _ = slice(lo, hi).indices(n)
        pieces.append(_slice(x, ax, start, max(start, stop)))
    return pieces


def split(ary, indices_or_sections, axis=0):
    x = _array(ary)
    if not isinstance(indices_or_sections, (ndarray, np.ndarray, list, tuple)):
        try:
            sections = operator.index(indices_or_sections)
        except TypeError:
            sections = None
        if sections:
            n = x.shape[_views.normalize_axis(axis, x.ndim, "split")]
            if n % sections:
                raise ValueError(f"split: an axis of length {n} cannot be split into {sections} equal sections")
    return array_split(x, indices_or_sections, axis)


def hsplit(ary, indices_or_sections):
    x = _array(ary)
    if x.ndim == 0:
        raise ValueError("hsplit: only works on arrays of 1 or more dimensions")
    return split(x, indices_or_sections, 1 if x.ndim > 1 else 0)


def vsplit(ary, indices_or_sections):
    x = _array(ary)
    if x.ndim < 2:
        raise ValueError(f"vsplit: only works on arrays of 2 or more dimensions, got shape {x.shape}")
    return split(x, indices_or_sections, 0)


def dsplit(ary, indices_or_sections):
    x = _array(ary)
    if x.ndim < 3:
        raise ValueError(f"dsplit: only works on arrays of 3 or more dimensions, got shape {x.shape}")
    return split(x, indices_or_sections, 2)


# -- new data built from copies ----------------------------------------------------------------------
def tile(A, reps, /):
    x = _array(A)
    reps = _int_tuple(reps, "tile", "reps")
    if any(r < 0 for r in reps):
        raise ValueError(f"tile: negative repetitions are not allowed, got {reps}")
    nd = max(len(reps), x.ndim)
    reps = (1,) * (nd - len(reps)) + reps
    shape = (1,) * (nd - x.ndim) + x.shape
    strides = (0,) * (nd - x.ndim) + x.strides
    # A view with a zero-stride repetition axis before each axis; copying it lays out the tiles.
    view_shape, view_strides = [], []
    for r, n, st in zip(reps, shape, strides):
        view_shape += [r, n]
        view_strides += [0, st]
    src = make_view(x, tuple(view_shape), tuple(view_strides), x._offset)
    out = _new(x, view_shape, x.dtype)
    _copy(src, out)
    return _views.reshape_view(out, tuple(r * n for r, n in zip(reps, shape)))


def repeat(a, repeats, /, axis=None):
    """Repeat each element ``repeats`` times (an int, or a 1-D array of per-element counts)."""
    x = _array(a)
    if axis is None:
        x = ravel(x)
        ax = 0
    else:
        ax = _views.normalize_axis(axis, x.ndim, "repeat")
    n = x.shape[ax]
    if isinstance(repeats, (ndarray, np.ndarray, list, tuple)):
        counts = to_numpy(repeats) if isinstance(repeats, ndarray) else np.asarray(repeats)
        if isinstance(repeats, ndarray) and repeats.device != x.device:
            raise ValueError(f"repeat: repeats is on {repeats.device}, x on {x.device}")
        if counts.size == 0 and not isinstance(repeats, (ndarray, np.ndarray)):
            counts = counts.astype(np.intp)
        if counts.dtype.kind not in "biu" or not np.can_cast(counts.dtype, np.intp, "safe"):
            raise TypeError(f"repeat: repeats must have an integer dtype, got {counts.dtype}")
        if counts.ndim > 1 or counts.size not in (1, n):
            raise ValueError(f"repeat: repeats of shape {counts.shape} cannot be broadcast to ({n},)")
        if (counts < 0).any():
            raise ValueError("repeat: repeats may not contain negative values")
        if counts.size != 1 or n == 1:
            counts = counts.reshape(-1).astype(np.intp)
            return x.device.backend.run("repeat", x, asarray(counts, device=x.device), axis=ax)
        r = int(counts.reshape(()))
    else:
        try:
            r = operator.index(repeats)
        except TypeError:
            raise TypeError(f"repeat: repeats must be an integer or an integer array, got {repeats!r}") from None
        if r < 0:
            raise ValueError(f"repeat: repeats may not be negative, got {r}")
    # Every element once per zero-stride step of a new axis after `ax`, then merged into `ax`.
    shape = x.shape[:ax + 1] + (r,) + x.shape[ax + 1:]
    src = make_view(x, shape, x.strides[:ax + 1] + (0,) + x.strides[ax + 1:], x._offset)
    out = _new(x, shape, x.dtype)
    _copy(src, out)
    return _views.reshape_view(out, x.shape[:ax] + (n * r,) + x.shape[ax + 1:])


def roll(a, /, shift, axis=None):
    x = _array(a)
    if axis is None:
        return reshape(roll(ravel(x), shift, axis=0), x.shape)
    shifts = _int_tuple(shift, "roll", "shift")
    axes = tuple(_views.normalize_axis(i, x.ndim, "roll") for i in _int_tuple(axis, "roll", "axis"))
    if len(shifts) != len(axes) and 1 not in (len(shifts), len(axes)):
        raise ValueError(f"roll: shift {shift} and axis {axis} must have the same number of elements")
    total = {}
    for s, i in zip(shifts * (len(axes) if len(shifts) == 1 else 1),
                    axes * (len(shifts) if len(axes) == 1 else 1)):
        total[i] = total.get(i, 0) + s
    out = _new(x, x.shape, x.dtype)
    # Per axis, the two blocks (dst start, src start, length); every combination is one copy.
    blocks = []
    for i in range(x.ndim):
        n = x.shape[i]
        s = total.get(i, 0) % n if n else 0
        blocks.append([(b[0], b[1], b[2]) for b in ((s, 0, n - s), (0, n - s, s)) if b[2] > 0] or [(0, 0, 0)])
    for combo in itertools.product(*blocks):
        src, dst = x, out
        for i, (d, s, n) in enumerate(combo):
            src = _slice(src, i, s, s + n)
            dst = _slice(dst, i, d, d + n)
        _copy(src, dst)
    return out


def copyto(dst, src, casting="same_kind", where=True):
    """``dst[...] = src`` broadcast, cast by the ``casting`` rule, only where ``where`` is True."""
    if not isinstance(dst, ndarray):
        raise TypeError(f"copyto: dst must be an rdnarray.ndarray, not {type(dst).__name__}")
    _check_casting(casting, "copyto")
    if dst.data.readonly:
        raise ValueError("copyto: dst is read-only")
    st = _dt.scalar_type(src)
    if st is not None:
        src_dtype = _dt.promote_weak(dst.dtype, st)
        src = asarray(src, dtype=src_dtype, device=dst.device)
    else:
        src = _same_device(dst, src, "copyto")
        src_dtype = src.dtype
    if not np.can_cast(src_dtype, dst.dtype, casting):
        raise TypeError(f"copyto: cannot cast from {src_dtype} to {dst.dtype} with casting rule '{casting}'")
    if _broadcast_shapes((src.shape, dst.shape), "copyto") != dst.shape:
        raise ValueError(f"copyto: could not broadcast src of shape {src.shape} into dst of shape {dst.shape}")
    if where is True or (isinstance(where, (bool, np.bool_)) and where):
        _copy(src, dst)
        return
    if isinstance(where, (bool, np.bool_)):
        return
    mask = _same_device(dst, where, "copyto")
    if mask.dtype != np.bool_:
        raise TypeError(f"copyto: where must be a boolean array, got dtype {mask.dtype}")
    if _broadcast_shapes((mask.shape, dst.shape), "copyto") != dst.shape:
        raise ValueError(f"copyto: could not broadcast where of shape {mask.shape} into dst of shape {dst.shape}")
    if dst.size == 0:
        return
    # Cast src to dst's dtype first, so selecting against dst's own values never round-trips them
    # through a wider dtype.
    cast = _new(dst, dst.shape, dst.dtype)
    _copy(src, cast)
    values = dst.device.backend.run("where", _views.broadcast_to(mask, dst.shape), cast, dst)
    dst.device.backend.copy(values, dst)
