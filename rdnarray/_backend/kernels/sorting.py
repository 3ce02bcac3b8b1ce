"""Sorting and searching on the GPU: ``sort``, ``argsort``, ``searchsorted`` and ``unique``.

Every sort is a stable LSD radix sort on 8-bit digits of keys that order values as NumPy does
(src_hip/radix.h): bool, integers and float16/32/64 along any axis. The axis is moved last and made
contiguous, so the work is a batch of ``rows`` rows of ``n`` items:

* ``n`` fits one tile (4096 items, 2048 for 8-byte keys): ``rp_sort_block`` sorts whole rows in shared
  memory, several short rows per block, in one launch.
* one long row: device-wide passes of three kernels each (``rp_radix_count`` per-tile digit counts, a
  scan of each digit's row of counts, ``rp_radix_scatter``). Values sort as keys alone where equal keys
  are indistinguishable (integers, bool, and floats when the sort need not be stable: the key map is
  then invertible); otherwise the int64 positions ride along (argsort) and values are gathered by them.
* several long rows: as one long row with positions, then more passes on the digits of each position's
  row number, which keeps the rows apart and, being stable, each row's order.

Complex dtypes (lexicographic order with NaN rules of their own) return NotImplemented, and the
executor sorts them on the host. ``unique`` is a sort, marks where new values start, and compaction
(kernels/indexing.py). Every function returns NotImplemented, before any launch, for what it does not
cover.
"""
import numpy as np

from ..._core import views as _views
from ..._core.ndarray import ndarray
from . import fill

THREADS = 256                 # every kernel here runs blocks of 256 threads
RADIX = 256                   # 8-bit digits
RADIX_TILE = 4096             # radix_count.hip / radix_scatter.hip: TILE, the keys of one tile
_INT64 = np.dtype(np.int64)
_INT32_LIMIT = 2**31
_GRID_LIMIT = 2**31 - 1

# radix.h's flags of a device-wide pass
F_IN, F_ORDERED, F_OUT, F_NO_KEYS, F_PAYLOAD, F_IOTA = 1, 2, 4, 8, 16, 32

# radix.h's key kinds
UNSIGNED, SIGNED, FLOAT = 0, 1, 2
_KIND = {"b": UNSIGNED, "u": UNSIGNED, "i": SIGNED, "f": FLOAT}


# ---- sources and launches (indexing.py uses these too) -----------------------------------------------

_sources = {}


def source(file, **values):
    """``src_hip/file`` with each ``/*@KEY@*/ default`` replaced by ``values[KEY]`` (all must be given)."""
    key = (file,) + tuple(sorted(values.items()))
    text = _sources.get(key)
    if text is None:
        text = _sources[key] = fill(file, values)
    return text


def kernel(backend, file, name, **values):
    """The compiled kernel ``name`` of ``file`` filled with ``values``, for the backend's device."""
    return backend.function(source(file, **values), name)


def launch(backend, f, grid, args, fmt):
    f.launch((grid, 1, 1), (THREADS, 1, 1), 0, backend.stream, args, fmt)


def grid_for(backend, n):
    """Blocks for a grid-stride loop over ``n`` items: enough to fill the device, no more."""
    return max(1, min(-(-n // THREADS), backend.props["compute_units"] * 16))


def ptr(x):
    """Device address of element [0, ..., 0] of ``x``."""
    return x._buffer.ptr + x._offset


def index_type(n):
    """(C type, launch format char) of positions and counts up to ``n``."""
    return ("int", "i") if n < _INT32_LIMIT else ("long long", "q")


def as_dtype(backend, x, dtype):
    """``x`` itself when it has ``dtype``, else a cast copy."""
    if x.dtype == dtype:
        return x
    y = backend.empty(x.shape, dtype)
    backend.copy(x, y)
    return y


def flat(backend, x):
    """``x`` as a contiguous 1-D array (a view when it already is contiguous)."""
    x = backend.contiguous(x)
    return x if x.ndim == 1 else _views.reshape_view(x, (x.size,))


def key_spec(dtype):
    """(C type of the element's bits, key kind) for radix keys of ``dtype``; None when not sortable here."""
    kind = _KIND.get(dtype.kind)
    if kind is None or dtype.itemsize not in (1, 2, 4, 8):
        return None
    return f"uint{8 * dtype.itemsize}_t", kind


def block_tile(itemsize):
    """sort_block.hip's BLOCK_TILE: the most items rp_sort_block sorts in one block."""
    return 2048 if itemsize == 8 else 4096


def digits(v):
    """8-bit digits needed for the non-negative integer ``v`` (at least one)."""
    return max(1, (int(v).bit_length() + 7) // 8)


# ---- the radix sort ------------------------------------------------------------------------------------

def radix_passes(backend, spec, n, src, shifts, *, values_out=0, payload_out=0, ordered=False, seg=0):
    """Device-wide LSD passes over the digits at ``shifts`` of ``n`` elements at address ``src``.

    Keys only (``values_out``): the sorted values land there, mapped back from their keys; with
    ``ordered`` the bijective float map (an unstable order of -0.0 and +0.0, NaNs by bits), which a
    keys-only sort of floats needs. With ``payload_out``: each element's position in ``src`` (int64)
    lands there in stable key order, and no keys are kept. ``seg`` > 0 sorts by the digits of
    key // seg instead (row numbers of positions)."""
    ctype, kind = spec
    itype, ic = index_type(n)
    count = kernel(backend, "radix_count.hip", "rp_radix_count", K=ctype, KIND=kind, I=itype)
    scatter = kernel(backend, "radix_scatter.hip", "rp_radix_scatter", K=ctype, KIND=kind, I=itype)
    scan = kernel(backend, "scan.hip", "rp_scan_rows", I=itype)
    tiles = -(-n // RADIX_TILE)
    if tiles > _GRID_LIMIT:
        raise ValueError(f"sort: {n} elements are more than one launch covers")
    idtype = np.int32 if ic == "i" else np.int64
    counts = backend.empty((RADIX * tiles,), idtype)
    totals = backend.empty((RADIX,), idtype)
    itemsize = int(ctype[4:-2]) // 8
    payload = bool(payload_out)
    spare = {}  # temporaries, made on first use

    def temp(name, nbytes_per):
        if name not in spare:
            spare[name] = backend.empty((n * nbytes_per,), np.uint8)
        return ptr(spare[name])

    passes = len(shifts)
    keys_src, pay_src = src, 0
    for i, shift in enumerate(shifts):
        last = i == passes - 1
        into_final = (passes - i) % 2 == 1  # alternate so that the last pass writes the final buffer
        flags = (F_IN | (F_ORDERED if ordered else 0)) if i == 0 else 0
        if payload:
            flags |= F_PAYLOAD | (F_IOTA if i == 0 else 0) | (F_NO_KEYS if last else 0)
            keys_dst = 0 if last else temp(f"keys{i % 2}", itemsize)
            pay_dst = payload_out if into_final else temp("payload", 8)
        else:
            flags |= F_OUT if last else 0
            keys_dst = values_out if into_final else temp("keys0", itemsize)
            pay_dst = 0
        launch_blocks(backend, count, tiles, (keys_src, n, shift, seg, flags, ptr(counts), tiles),
                      f"P{ic}iqiP{ic}")
        launch_blocks(backend, scan, RADIX, (ptr(counts), tiles, ptr(totals)), f"P{ic}P")
        launch_blocks(backend, scatter, tiles, (keys_src, keys_dst, pay_src, pay_dst, n, shift, seg, flags,
                                                ptr(counts), ptr(totals), tiles), f"PPPP{ic}iqiPP{ic}")
        keys_src, pay_src = keys_dst, pay_dst


def launch_blocks(backend, f, blocks, args, fmt):
    """One block per tile (or row): ``blocks`` blocks of THREADS threads."""
    f.launch((blocks, 1, 1), (THREADS, 1, 1), 0, backend.stream, args, fmt)


def sort_rows(backend, spec, src, out, n, stable, indices):
    """Sort each of the rows of ``n`` items of the C-contiguous ``src`` into ``out`` (same shape): the
    values (out has src's dtype) or, with ``indices``, each row's stable argsort (out int64)."""
    ctype, kind = spec
    size = src.size
    rows = size // n
    if n == 1:
        if indices:
            backend.driver.memset_d8(ptr(out), 0, out.nbytes, backend.stream)
        else:
            backend.copy(src, out)
        return
    itemsize = src.dtype.itemsize
    tile = block_tile(itemsize)
    if n <= tile:
        per_block = tile // n
        blocks = -(-rows // per_block)
        if blocks <= _GRID_LIMIT:
            # Row numbers sort after the keys only when a block holds several rows (padding included).
            row_passes = digits((tile - 1) // n) if per_block > 1 else 0
            f = kernel(backend, "sort_block.hip", "rp_sort_block", K=ctype, KIND=kind)
            launch_blocks(backend, f, blocks, (ptr(src), 0 if indices else ptr(out), ptr(out) if indices else 0,
                                               rows, n, per_block, row_passes), "PPPqiii")
            return
    key_shifts = list(range(0, 8 * itemsize, 8))
    if rows == 1 and not indices and (kind != FLOAT or not stable):
        radix_passes(backend, spec, size, ptr(src), key_shifts, values_out=ptr(out), ordered=kind == FLOAT)
        return
    if rows == 1 and indices:
        radix_passes(backend, spec, size, ptr(src), key_shifts, payload_out=ptr(out))
        return
    perm = backend.empty((size,), _INT64)
    radix_passes(backend, spec, size, ptr(src), key_shifts, payload_out=ptr(perm))
    if rows > 1:
        by_row = backend.empty((size,), _INT64)
        radix_passes(backend, ("uint64_t", UNSIGNED), size, ptr(perm), list(range(0, 8 * digits(rows - 1), 8)),
                     values_out=ptr(by_row), seg=n)
        perm = by_row
    itype, ic = index_type(size)
    f = kernel(backend, "gather.hip", "rp_sort_finish", U=ctype, I=itype)
    launch(backend, f, grid_for(backend, size),
           (ptr(perm), ptr(src), 0 if indices else ptr(out), ptr(out) if indices else 0, size, n), f"PPPP{ic}q")


def argsort_unsigned(backend, keys, nbits):
    """Stable argsort (int64) of the 1-D contiguous uint64 ``keys``, all below 2**nbits."""
    n = keys.size
    out = backend.empty((n,), _INT64)
    spec = ("uint64_t", UNSIGNED)
    if n <= block_tile(8):
        sort_rows(backend, spec, keys, out, n, True, True)
    else:
        radix_passes(backend, spec, n, ptr(keys), list(range(0, 8 * max(1, -(-nbits // 8)), 8)),
                     payload_out=ptr(out))
    return out


def _sort(backend, x, axis, stable, indices):
    if not isinstance(x, ndarray) or key_spec(x.dtype) is None:
        return NotImplemented
    if axis is None:  # NumPy sorts the flattened array
        x, axis = flat(backend, x), 0
    if x.ndim == 0 or not -x.ndim <= axis < x.ndim:
        return NotImplemented
    spec = key_spec(x.dtype)
    axis %= x.ndim
    last = axis == x.ndim - 1
    order = tuple(d for d in range(x.ndim) if d != axis) + (axis,)
    moved = x if last else _views.permute(x, order)
    out = backend.empty(moved.shape, _INT64 if indices else x.dtype)
    if out.size:
        sort_rows(backend, spec, backend.contiguous(moved), out, x.shape[axis], bool(stable), indices)
    if last:
        return out
    return _views.permute(out, tuple(order.index(d) for d in range(x.ndim)))  # a view in x's axis order


def sort(backend, x, axis=-1, stable=True, **kwargs):
    """NumPy's sort(x, axis) (the core has resolved kind into ``stable``)."""
    if kwargs:
        return NotImplemented
    return _sort(backend, x, axis, stable, False)


def argsort(backend, x, axis=-1, stable=True, **kwargs):
    """NumPy's argsort(x, axis); always stable here, which an unstable request also allows."""
    if kwargs:
        return NotImplemented
    return _sort(backend, x, axis, stable, True)


# ---- searchsorted ----------------------------------------------------------------------------------------

def searchsorted(backend, a, v, side="left", sorter=None):
    if not isinstance(a, ndarray) or not isinstance(v, ndarray) or a.ndim != 1 or side not in ("left", "right"):
        return NotImplemented
    if sorter is not None and (not isinstance(sorter, ndarray) or sorter.dtype.kind not in "iu"
                               or sorter.shape != a.shape):
        return NotImplemented
    dtype = np.promote_types(a.dtype, v.dtype)  # NumPy compares in the common dtype
    spec = key_spec(dtype)
    if spec is None:
        return NotImplemented
    a = as_dtype(backend, a, dtype)
    if a._strides[0] % dtype.itemsize:
        a = backend.contiguous(a)
    v = backend.contiguous(as_dtype(backend, v, dtype))
    out = backend.empty(v.shape, _INT64)
    m, n = v.size, a.shape[0]
    if m == 0:
        return out
    ctype, kind = spec
    bad = None
    if sorter is not None:
        sorter = backend.contiguous(as_dtype(backend, sorter, _INT64))
        bad = backend.empty((1,), np.int32)
        backend.driver.memset_d8(ptr(bad), 0, 4, backend.stream)
        if n:
            check = kernel(backend, "search.hip", "rp_check_sorter", K=ctype, KIND=kind)
            launch(backend, check, grid_for(backend, n), (ptr(sorter), n, ptr(bad)), "PqP")
    f = kernel(backend, "search.hip", "rp_searchsorted", K=ctype, KIND=kind)
    launch(backend, f, grid_for(backend, m),
           (ptr(a), n, a._strides[0] if n else 0, 0 if sorter is None else ptr(sorter), ptr(v), m,
            1 if side == "right" else 0, ptr(out)), "PqqPPqiP")
    if bad is not None and backend.to_numpy(bad)[0]:
        return NotImplemented  # an index outside x1: the host raises NumPy's error
    return out


# ---- unique ----------------------------------------------------------------------------------------------

def unique(backend, ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
           equal_nan=True, sorted=True):
    """NumPy's unique of the flattened array (``axis`` None). ``sorted=False`` allows any order; this
    returns the sorted one."""
    from . import indexing  # indexing imports this module

    spec = key_spec(ar.dtype) if isinstance(ar, ndarray) else None
    if spec is None or axis is not None or ar.size == 0:
        return NotImplemented
    n = ar.size
    x = flat(backend, ar)
    ctype, kind = spec
    if return_index or return_inverse:
        # First occurrences and the inverse need each value's position: a stable argsort.
        perm = backend.empty((n,), _INT64)
        sort_rows(backend, spec, x, perm, n, True, True)
        base, perm_ptr = x, ptr(perm)
        values_sorted = backend.empty((n,), ar.dtype)
    else:
        perm = None
        base = backend.empty((n,), ar.dtype)
        sort_rows(backend, spec, x, base, n, False, False)
        perm_ptr = 0
        values_sorted = base  # rp_unique_mark copies each element onto itself
    flags = backend.empty((n,), np.bool_)
    mark = kernel(backend, "unique.hip", "rp_unique_mark", K=ctype, KIND=kind)
    launch(backend, mark, grid_for(backend, n),
           (ptr(base), perm_ptr, n, 1 if equal_nan else 0, ptr(values_sorted), ptr(flags)), "PPqiPP")
    offsets, m = indexing.tile_offsets(backend, flags)
    result = [indexing.compact_values(backend, flags, values_sorted, offsets, m)]
    if return_index:
        result.append(indexing.compact_values(backend, flags, perm, offsets, m))
    if return_inverse:
        inverse = backend.empty(ar.shape, _INT64)
        indexing.rank_scatter(backend, flags, offsets, perm, inverse)
        result.append(inverse)
    if return_counts:
        starts = indexing.flag_positions(backend, flags, offsets, m)
        counts = backend.empty((m,), _INT64)
        f = kernel(backend, "unique.hip", "rp_unique_counts", K=ctype, KIND=kind)
        launch(backend, f, grid_for(backend, m), (ptr(starts), m, n, ptr(counts)), "PqqP")
        result.append(counts)
    return result[0] if len(result) == 1 else tuple(result)


NATIVE = {"sort": sort, "argsort": argsort, "searchsorted": searchsorted, "unique": unique}


def examples():
    """(source, kernel name) of every kernel, in instantiations that cover each key kind and width and
    both index types."""
    out = []
    for ctype, kind, itype in (("uint32_t", FLOAT, "int"), ("uint64_t", SIGNED, "long long"),
                               ("uint8_t", UNSIGNED, "int"), ("uint16_t", FLOAT, "int")):
        if ctype != "uint16_t":
            out.append((source("sort_block.hip", K=ctype, KIND=kind), "rp_sort_block"))
            out.append((source("radix_count.hip", K=ctype, KIND=kind, I=itype), "rp_radix_count"))
            out.append((source("radix_scatter.hip", K=ctype, KIND=kind, I=itype), "rp_radix_scatter"))
        if ctype in ("uint32_t", "uint16_t"):
            out += [(source("search.hip", K=ctype, KIND=kind), name) for name in ("rp_searchsorted", "rp_check_sorter")]
            out += [(source("unique.hip", K=ctype, KIND=kind), name) for name in ("rp_unique_mark", "rp_unique_counts")]
    out += [(source("scan.hip", I=itype), "rp_scan_rows") for itype in ("int", "long long")]
    return out
