"""Gathers, scatters, selections and compaction on the GPU.

The core has resolved and checked everything (indices are int64 in range, shapes broadcast, values
have the target's dtype); these run the named NumPy routine as kernels and return NotImplemented,
before any write, for what they do not cover:

* ``take``, ``take_along_axis`` (src_hip/gather.hip ``rp_gather``) and ``put_along_axis``
  (``rp_scatter``): one iteration space of up to 8 collapsed dimensions with a byte stride per
  operand (src_hip/strided.h). A scatter with repeated targets lets the last write in C order win, as
  NumPy does: the target of every write is numbered, the numbers are sorted stably (radix sort), and
  only the last of each run writes.
* ``where`` and ``copyto(..., where=mask)`` (src_hip/select.hip).
* ``nonzero``, ``flatnonzero``, ``argwhere``, ``extract``, ``compress``, ``count_nonzero``: stream
  compaction (src_hip/compact.hip): per-tile counts, one scan, then each tile writes at its offset.

Elements move as bits of their size, never converted; where dtypes differ the operand is cast first
with ``backend.copy``.
"""
import numpy as np

from ..._core.ndarray import make_view, ndarray
from . import sorting
from .sorting import as_dtype, flat, grid_for, index_type, kernel, launch, launch_blocks, ptr

_INT64 = np.dtype(np.int64)
_BOOL = np.dtype(np.bool_)
MAX_DIMS = 8                  # strided.h
COMPACT_TILE = 4096           # compact.hip: TILE
COMPACT_MAX_DIMS = 32         # compact.hip: MAX_DIMS
_ELEMENT = {1: "uint8_t", 2: "uint16_t", 4: "uint32_t", 8: "uint64_t", 16: "rp_strided::u128"}


# ---- iteration spaces ----------------------------------------------------------------------------------

def _collapse(shape, strides):
    """(sizes, per-operand strides) of the iteration space ``shape`` with length-1 dimensions dropped and
    neighbours merged where every operand steps through both as through one; None past MAX_DIMS."""
    dims = []
    for d, n in enumerate(shape):
        if n == 1:
            continue
        ss = [s[d] for s in strides]
        if dims and all(ps == s * n for ps, s in zip(dims[-1][1], ss)):
            dims[-1] = (dims[-1][0] * n, ss)
        else:
            dims.append((n, ss))
    if len(dims) > MAX_DIMS:
        return None
    return [n for n, _ in dims], [[ss[k] for _, ss in dims] for k in range(len(strides))]


def _space(shape, strides):
    """(ndim, by-value ``Iter<OPS>`` values, its format) for the kernels' strided.h, or None."""
    collapsed = _collapse(shape, strides)
    if collapsed is None:
        return None
    sizes, per_op = collapsed
    pad = [0] * (MAX_DIMS - len(sizes))
    values = list(sizes) + pad
    for s in per_op:
        values += list(s) + pad
    return len(sizes), tuple(values), f"{MAX_DIMS * (1 + len(strides))}q"


def _broadcast_strides(x, shape):
    """Byte strides of ``x`` read as ``shape`` (right-aligned; 0 where it broadcasts)."""
    extra = len(shape) - x.ndim
    return [0] * extra + [0 if n == 1 and shape[extra + d] != 1 else s
                          for d, (n, s) in enumerate(zip(x.shape, x._strides))]


def _movable(*arrays):
    """Whether each array's elements can be moved as their size's unsigned type (aligned addresses)."""
    for x in arrays:
        size = x.dtype.itemsize
        if size not in _ELEMENT:
            return False
        align = min(size, 8)
        if ptr(x) % align or any(s % align for s in x._strides):
            return False
    return True


def _element(dtype):
    return _ELEMENT[dtype.itemsize]


def _size(shape):
    n = 1
    for s in shape:
        n *= s
    return n


# ---- gathers and scatters ------------------------------------------------------------------------------

def _gather(backend, x, ind, out, x_strides, ind_strides, axis_stride):
    """out (C-contiguous) [o] = x[x_strides . o + ind[ind_strides . o] * axis_stride]."""
    total = out.size
    if total == 0:
        return out
    space = _space(out.shape, [x_strides, ind_strides])
    if space is None:
        return NotImplemented
    ndim, it, it_fmt = space
    itype, ic = index_type(total)
    f = kernel(backend, "gather.hip", "rp_gather", U=_element(x.dtype), I=itype)
    launch(backend, f, grid_for(backend, total), (ptr(x), ptr(ind), ptr(out), total, ndim, axis_stride) + it,
           f"PPP{ic}iq{it_fmt}")
    return out


def take(backend, x, indices, axis=None, mode="clip", out=None):
    """``x[..., indices, ...]`` along ``axis`` (indices int64 in range, checked by the core)."""
    if (axis is None or mode != "clip" or out is not None or not isinstance(indices, ndarray)
            or indices.dtype.kind not in "iu" or x.ndim == 0 or not _movable(x)):
        return NotImplemented
    axis %= x.ndim
    ind = as_dtype(backend, indices, _INT64)
    if not _movable(ind):
        return NotImplemented
    k = ind.ndim
    shape = x.shape[:axis] + ind.shape + x.shape[axis + 1:]
    result = backend.empty(shape, x.dtype)
    x_strides = list(x._strides[:axis]) + [0] * k + list(x._strides[axis + 1:])
    ind_strides = [0] * axis + list(ind._strides) + [0] * (x.ndim - axis - 1)
    return _gather(backend, x, ind, result, x_strides, ind_strides, x._strides[axis])


def take_along_axis(backend, x, ind, axis=-1):
    if not isinstance(ind, ndarray) or ind.dtype.kind not in "iu" or x.ndim != ind.ndim or x.ndim == 0:
        return NotImplemented
    if axis is None or not _movable(x):
        return NotImplemented
    axis %= x.ndim
    ind = as_dtype(backend, ind, _INT64)
    if not _movable(ind):
        return NotImplemented
    # Other axes broadcast (the core has checked that they can).
    shape = tuple(ind.shape[d] if d == axis or x.shape[d] == 1 else x.shape[d] for d in range(x.ndim))
    result = backend.empty(shape, x.dtype)
    x_strides = _broadcast_strides(x, shape)
    x_strides[axis] = 0
    return _gather(backend, x, ind, result, x_strides, _broadcast_strides(ind, shape), x._strides[axis])


def put_along_axis(backend, arr, ind, values, axis):
    """``arr[..., ind, ...] = values`` in place; of repeated targets the last in C order is written."""
    if (not isinstance(ind, ndarray) or not isinstance(values, ndarray) or ind.dtype.kind not in "iu"
            or arr.ndim != ind.ndim or arr.ndim == 0 or axis is None or values.ndim > arr.ndim):
        return NotImplemented
    axis %= arr.ndim
    try:
        # The space of writes: arr's other axes broadcast against the indices; values must fit it.
        shape = tuple(np.broadcast_shapes(arr.shape[:axis] + (1,) + arr.shape[axis + 1:], ind.shape))
        if tuple(np.broadcast_shapes(values.shape, shape)) != shape:
            return NotImplemented
    except ValueError:
        return NotImplemented
    ind = as_dtype(backend, ind, _INT64)
    # A copy also keeps the reads off the memory being written (the core already ensures that).
    values = _copy_as(backend, values, arr.dtype) if values._buffer is arr._buffer else as_dtype(
        backend, values, arr.dtype)
    if not _movable(arr, values, ind):
        return NotImplemented
    total = _size(shape)
    if total == 0:
        return None
    # The target's C-order number within arr: element strides of arr's shape, 0 where arr broadcasts.
    elements, c = [], 1
    for n in reversed(arr.shape):
        elements.append(c)
        c *= n
    elements.reverse()
    arr_strides = _broadcast_strides(arr, shape)
    slot_strides = [0 if arr.shape[d] == 1 else elements[d] for d in range(arr.ndim)]
    arr_strides[axis] = slot_strides[axis] = 0
    space = _space(shape, [arr_strides, _broadcast_strides(ind, shape), _broadcast_strides(values, shape),
                           slot_strides])
    if space is None:
        return NotImplemented
    ndim, it, it_fmt = space
    itype, ic = index_type(total)
    scatter = kernel(backend, "gather.hip", "rp_scatter", U=_element(arr.dtype), I=itype)
    perm = slots = None
    if total > 1:
        slots = backend.empty((total,), np.uint64)
        f = kernel(backend, "gather.hip", "rp_scatter_slots", U=_element(arr.dtype), I=itype)
        launch(backend, f, grid_for(backend, total), (ptr(ind), ptr(slots), total, ndim, elements[axis]) + it,
               f"PP{ic}iq{it_fmt}")
        perm = sorting.argsort_unsigned(backend, slots, max(1, (arr.size - 1).bit_length()))
    launch(backend, scatter, grid_for(backend, total),
           (0 if perm is None else ptr(perm), 0 if slots is None else ptr(slots), ptr(arr), ptr(ind), ptr(values),
            total, ndim, arr._strides[axis]) + it, f"PPPPP{ic}iq{it_fmt}")
    return None


# ---- selection -----------------------------------------------------------------------------------------

def where(backend, condition, x1, x2):
    """NumPy's 3-argument where: arrays broadcast, the result in their common dtype."""
    if not all(isinstance(a, ndarray) for a in (condition, x1, x2)) or condition.dtype != _BOOL:
        return NotImplemented
    dtype = np.promote_types(x1.dtype, x2.dtype)
    try:
        shape = tuple(np.broadcast_shapes(condition.shape, x1.shape, x2.shape))
    except ValueError:
        return NotImplemented
    x1, x2 = as_dtype(backend, x1, dtype), as_dtype(backend, x2, dtype)
    out = backend.empty(shape, dtype)
    if out.size == 0:
        return out
    if not _movable(x1, x2):
        return NotImplemented
    space = _space(shape, [_broadcast_strides(a, shape) for a in (condition, x1, x2)])
    if space is None:
        return NotImplemented
    ndim, it, it_fmt = space
    itype, ic = index_type(out.size)
    f = kernel(backend, "select.hip", "rp_where", U=_element(dtype), I=itype)
    launch(backend, f, grid_for(backend, out.size), (ptr(condition), ptr(x1), ptr(x2), ptr(out), out.size, ndim) + it,
           f"PPPP{ic}i{it_fmt}")
    return out


def copyto(backend, dst, src, casting="same_kind", where=True):
    """``dst[...] = src`` where ``where`` (both broadcast to dst), in place; the core has checked casting."""
    if not isinstance(dst, ndarray) or not isinstance(src, ndarray):
        return NotImplemented
    if isinstance(where, (bool, np.bool_)):
        if where and dst.size:
            backend.copy(src, dst)
        return None
    if not isinstance(where, ndarray) or where.dtype != _BOOL:
        return NotImplemented
    try:
        if tuple(np.broadcast_shapes(dst.shape, src.shape, where.shape)) != dst.shape:
            return NotImplemented
    except ValueError:
        return NotImplemented
    if dst.size == 0:
        return None
    if src.dtype != dst.dtype or src._buffer is dst._buffer:
        src = _copy_as(backend, src, dst.dtype)  # cast, or keep the reads off the memory being written
    if where._buffer is dst._buffer:
        where = _copy_as(backend, where, _BOOL)
    if not _movable(dst, src):
        return NotImplemented
    shape = dst.shape
    space = _space(shape, [list(dst._strides), _broadcast_strides(src, shape), _broadcast_strides(where, shape)])
    if space is None:
        return NotImplemented
    ndim, it, it_fmt = space
    itype, ic = index_type(dst.size)
    f = kernel(backend, "select.hip", "rp_copyto_where", U=_element(dst.dtype), I=itype)
    launch(backend, f, grid_for(backend, dst.size), (ptr(dst), ptr(src), ptr(where), dst.size, ndim) + it,
           f"PPP{ic}i{it_fmt}")
    return None


def _copy_as(backend, x, dtype):
    y = backend.empty(x.shape, dtype)
    backend.copy(x, y)
    return y


# ---- compaction ----------------------------------------------------------------------------------------

def _zero_mask(dtype):
    """compact.hip's mask: the bits that make an element nonzero (all but the sign bits of floats), as the
    signed int64 the kernel parameter takes."""
    size = dtype.itemsize
    if dtype.kind == "f":
        mask = (1 << (8 * size - 1)) - 1
    elif dtype.kind == "c":
        half = size // 2
        part = (1 << (8 * half - 1)) - 1
        mask = part if half == 8 else part | (part << 32)
    else:
        mask = (1 << (8 * min(size, 8))) - 1
    return mask - (1 << 64) if mask >= 1 << 63 else mask


def _countable(x):
    return x.dtype.kind in "biufc" and x.dtype.itemsize in _ELEMENT and (x.dtype.kind != "f" or x.dtype.itemsize <= 8)


def tile_offsets(backend, x):
    """(per-tile exclusive offsets of the nonzero elements of the contiguous 1-D ``x``, their total)."""
    n = x.size
    tiles = -(-n // COMPACT_TILE)
    offsets = backend.empty((tiles,), _INT64)
    if n == 0:
        return offsets, 0
    total = backend.empty((1,), _INT64)
    count = kernel(backend, "compact.hip", "rp_count_tiles", U=_element(x.dtype))
    launch_blocks(backend, count, tiles, (ptr(x), n, _zero_mask(x.dtype), ptr(offsets), 0), "PqqPP")
    scan = kernel(backend, "scan.hip", "rp_scan_rows", I="long long")
    launch_blocks(backend, scan, 1, (ptr(offsets), tiles, ptr(total)), "PqP")
    return offsets, int(backend.to_numpy(total)[0])


def compact_values(backend, cond, x, offsets, m):
    """x[j] for each j where the bool ``cond`` holds (both contiguous 1-D, cond no longer than x)."""
    out = backend.empty((m,), x.dtype)
    if m:
        f = kernel(backend, "compact.hip", "rp_compact_values", U=_element(x.dtype))
        launch_blocks(backend, f, offsets.size, (ptr(cond), ptr(x), cond.size, ptr(offsets), ptr(out)), "PPqPP")
    return out


def flag_positions(backend, x, offsets, m):
    """The positions (int64) of the nonzero elements of the contiguous 1-D ``x``."""
    out = backend.empty((m,), _INT64)
    _coords(backend, x, offsets, m, out, (x.size,), 1, 1)
    return out


def rank_scatter(backend, flags, offsets, perm, out):
    """out.flat[perm[j]] = (flags set in [0, j]) - 1 for every j (perm None: out.flat[j])."""
    f = kernel(backend, "compact.hip", "rp_rank_scatter", U="uint8_t")
    launch_blocks(backend, f, offsets.size,
                  (ptr(flags), flags.size, ptr(offsets), 0 if perm is None else ptr(perm), ptr(out)), "PqPPP")


def _coords(backend, x, offsets, m, out, shape, stride_k, stride_d):
    if m == 0:
        return
    dims = list(shape) + [0] * (COMPACT_MAX_DIMS - len(shape))
    f = kernel(backend, "compact.hip", "rp_compact_coords", U=_element(x.dtype))
    launch_blocks(backend, f, offsets.size,
                  (ptr(x), x.size, _zero_mask(x.dtype), ptr(offsets), ptr(out), stride_k, stride_d, len(shape), *dims),
                  f"PqqPPqqi{COMPACT_MAX_DIMS}q")


def _nonzero_layout(backend, x, rows_first):
    """The coordinates of x's nonzero elements as an int64 (ndim, m) array (rows_first) or (m, ndim)."""
    shape = x.shape
    x = flat(backend, x)
    offsets, m = tile_offsets(backend, x)
    nd = len(shape)
    out = backend.empty((nd, m) if rows_first else (m, nd), _INT64)
    if rows_first:
        _coords(backend, x, offsets, m, out, shape, 1, m)
    else:
        _coords(backend, x, offsets, m, out, shape, nd, 1)
    return out


def nonzero(backend, x):
    if not isinstance(x, ndarray) or not _countable(x) or not 1 <= x.ndim <= COMPACT_MAX_DIMS:
        return NotImplemented
    if x.size == 0:
        return tuple(backend.empty((0,), _INT64) for _ in range(x.ndim))
    rows = _nonzero_layout(backend, x, True)
    m = rows.shape[1]
    return tuple(make_view(rows, (m,), (8,), rows._offset + d * m * 8) for d in range(x.ndim))


def flatnonzero(backend, a):
    if not isinstance(a, ndarray) or not _countable(a):
        return NotImplemented
    if a.size == 0:
        return backend.empty((0,), _INT64)
    x = flat(backend, a)
    offsets, m = tile_offsets(backend, x)
    return flag_positions(backend, x, offsets, m)


def argwhere(backend, a):
    if not isinstance(a, ndarray) or not _countable(a) or not 1 <= a.ndim <= COMPACT_MAX_DIMS:
        return NotImplemented
    if a.size == 0:
        return backend.empty((0, a.ndim), _INT64)
    return _nonzero_layout(backend, a, False)


def extract(backend, condition, arr):
    """The elements of the flattened ``arr`` where the flattened bool ``condition`` holds (condition no
    longer than arr; the core routes longer ones to compress)."""
    if (not isinstance(condition, ndarray) or not isinstance(arr, ndarray) or condition.dtype != _BOOL
            or condition.size > arr.size or arr.dtype.itemsize not in _ELEMENT):
        return NotImplemented
    if condition.size == 0:
        return backend.empty((0,), arr.dtype)
    cond = flat(backend, condition)
    x = flat(backend, arr)
    offsets, m = tile_offsets(backend, cond)
    return compact_values(backend, cond, x, offsets, m)


def compress(backend, condition, a, axis=None, out=None):
    """The slices of ``a`` along ``axis`` where the 1-D bool ``condition`` holds (no longer than the axis)."""
    if (out is not None or not isinstance(condition, ndarray) or not isinstance(a, ndarray)
            or condition.dtype != _BOOL or condition.ndim != 1):
        return NotImplemented
    if axis is None or a.ndim == 1:
        if condition.size > a.size:
            return NotImplemented
        return extract(backend, condition, a)
    axis %= a.ndim
    if condition.size > a.shape[axis]:
        return NotImplemented
    if condition.size == 0:
        return backend.empty(a.shape[:axis] + (0,) + a.shape[axis + 1:], a.dtype)
    cond = flat(backend, condition)
    offsets, m = tile_offsets(backend, cond)
    return take(backend, a, flag_positions(backend, cond, offsets, m), axis=axis)


def count_nonzero(backend, x, axis=None, keepdims=False):
    """The number of nonzero elements of ``x`` (only over all of its axes)."""
    if not isinstance(x, ndarray) or not _countable(x) or x.ndim == 0:
        return NotImplemented
    axes = tuple(range(x.ndim)) if axis is None else tuple(a % x.ndim for a in (axis if isinstance(axis, tuple)
                                                                                else (axis,)))
    if sorted(axes) != list(range(x.ndim)):
        return NotImplemented
    total = backend.empty((1,) * x.ndim if keepdims else (), _INT64)
    backend.driver.memset_d8(ptr(total), 0, 8, backend.stream)
    if x.size:
        x = flat(backend, x)
        f = kernel(backend, "compact.hip", "rp_count_tiles", U=_element(x.dtype))
        launch_blocks(backend, f, -(-x.size // COMPACT_TILE), (ptr(x), x.size, _zero_mask(x.dtype), 0, ptr(total)),
                      "PqqPP")
    return total


NATIVE = {
    "take": take, "take_along_axis": take_along_axis, "put_along_axis": put_along_axis, "where": where,
    "copyto": copyto, "nonzero": nonzero, "flatnonzero": flatnonzero, "argwhere": argwhere, "extract": extract,
    "compress": compress, "count_nonzero": count_nonzero,
}


def examples():
    """(source, kernel name) of every kernel, in instantiations covering small, 8- and 16-byte elements and
    both index types."""
    out = []
    for u, itype in (("uint8_t", "int"), ("uint64_t", "long long"), ("rp_strided::u128", "int")):
        g = sorting.source("gather.hip", U=u, I=itype)
        out += [(g, name) for name in ("rp_gather", "rp_scatter_slots", "rp_scatter", "rp_sort_finish")]
        s = sorting.source("select.hip", U=u, I=itype)
        out += [(s, name) for name in ("rp_where", "rp_copyto_where")]
        c = sorting.source("compact.hip", U=u)
        out += [(c, name) for name in ("rp_count_tiles", "rp_compact_coords", "rp_compact_values", "rp_rank_scatter")]
    return out
