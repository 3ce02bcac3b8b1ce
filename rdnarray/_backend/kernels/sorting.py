"""Sorting and searching on the GPU: ``sort``, ``argsort``, ``searchsorted`` and ``unique``.

Every sort is a stable LSD radix sort on 8-bit digits of keys that order values as NumPy does
(src_hip/radix.h): bool, integers and float16/32/64 along any axis. The elements' own bits move and
digits are taken of their keys, so a sort is NumPy's stable sort bit for bit (-0.0 and NaN payloads where
NumPy has them, NaNs last). The axis is moved last and made contiguous, so the work is a batch of
``rows`` rows of ``n`` items:

* ``n`` fits one tile (4096 items, 2048 for 8-byte keys): ``rp_sort_block`` sorts whole rows in shared
  memory, several short rows per block, in one launch.
* one long row: ``radix_sort``, the Onesweep sort of src_hip/radix_onesweep.hip: one kernel counts the
  digits of every pass in one read, one scans them, then one kernel per digit moves each key once,
  its place found by decoupled look-back. ``sort`` moves the values themselves; ``argsort`` moves
  positions along with the keys.
* several long rows: as one long row with positions, then more passes on the digits of each position's
  row number, which keeps the rows apart and, being stable, each row's order.

Complex dtypes (lexicographic order with NaN rules of their own) sort by three keys per element
(src_hip/complex_keys.hip: NaN class, then the parts), argsorted one after another, least significant
first; their searchsorted and unique return NotImplemented (the host). ``unique`` is a sort, marks
where new values start, and compaction (kernels/indexing.py). Every function returns NotImplemented,
before any launch, for what it does not cover.

Tuning: ONESWEEP_THREADS and ONESWEEP_ITEMS (a pass's block and keys per thread; environment
RDNARRAY_SORT_THREADS, RDNARRAY_SORT_ITEMS) and HIST_BLOCKS_PER_CU are read at each sort, so one process
can time several settings.
"""
import os

import numpy as np

from ..._core import views as _views
from ..._core.ndarray import ndarray
from . import fill

THREADS = 256                 # blocks of 256 threads everywhere but in the Onesweep pass
RADIX = 256                   # 8-bit digits
# radix_onesweep.hip's pass blocks: THREADS (a multiple of 64, at least RADIX) and ITEMS, keys per thread
# (for keys of up to 4 bytes; 8-byte keys take 3/4 of it): the best of a sweep on the H100 (CUB: 384 x 19).
ONESWEEP_THREADS = int(os.environ.get("RDNARRAY_SORT_THREADS", "384"))
ONESWEEP_ITEMS = int(os.environ.get("RDNARRAY_SORT_ITEMS", "21"))
HIST_BLOCKS_PER_CU = 4        # blocks of rp_onesweep_histogram per compute unit (at most)
HIST_CHUNK = THREADS * 16     # radix_onesweep.hip: HIST_THREADS * HIST_ITEMS, the keys of a block's round
_INT64 = np.dtype(np.int64)
_INT32_LIMIT = 2**31
_GRID_LIMIT = 2**31 - 1
_STATUS_LIMIT = 2**30         # 32-bit look-back words hold counts below 2**30 (two flag bits)
_STATIC_SHARED = 48 * 1024    # bytes of static shared memory a block may have

# radix_onesweep.hip's flags of a pass (compile-time: a kernel per combination in use)
F_PAYLOAD, F_IOTA, F_NO_KEYS, F_WIDE = 1, 2, 4, 8

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

def onesweep_items(threads, key_bytes, count_bytes):
    """Keys per thread of a pass's tile: ONESWEEP_ITEMS for keys of up to 4 bytes, 3/4 of it for 8-byte
    keys (registers), within the static shared memory that the tile's keys (or payloads) share with the
    per-warp digit counters and the digits' destinations (radix_onesweep.hip's PassShared)."""
    items = ONESWEEP_ITEMS if key_bytes <= 4 else max(1, ONESWEEP_ITEMS * 3 // 4)
    counters = (threads // 32) * RADIX * 4 + RADIX * 8 + 64
    return max(1, min(items, (_STATIC_SHARED - counters) // (threads * max(key_bytes, count_bytes))))


def radix_sort(backend, spec, n, src, passes, *, keys_out=0, payload_out=0, seg=0):
    """Stable LSD sort of the ``n`` elements at address ``src`` by the first ``passes`` 8-bit digits of
    their keys (of key // seg with ``seg`` > 0: the rows of flat positions), Onesweep style.

    ``keys_out``: the elements land there in key order (their bits, unchanged). ``payload_out``:
    each element's position in ``src`` (int64) lands there in key order, and no keys are kept."""
    ctype, kind = spec
    key_bytes = int(ctype[4:-2]) // 8
    wide = n >= _STATUS_LIMIT
    cbytes, cc, fc = (8, "unsigned long long", "q") if wide else (4, "unsigned", "i")
    threads = ONESWEEP_THREADS
    items = onesweep_items(threads, key_bytes, cbytes if payload_out else 0)
    tiles = -(-n // (threads * items))
    if tiles > _GRID_LIMIT:
        raise ValueError(f"sort: {n} elements are more than one launch covers")
    values = dict(K=ctype, KIND=kind, ROWS=int(seg > 0), C=cc, THREADS=threads, ITEMS=items)

    def flags_of(p):
        if not payload_out:
            return 0
        return F_PAYLOAD | (F_IOTA if p == 0 else 0) | (F_NO_KEYS | F_WIDE if p == passes - 1 else 0)

    def onesweep(name, flags):
        return kernel(backend, "radix_onesweep.hip", name, FLAGS=flags, **values)

    histogram = onesweep("rp_onesweep_histogram", flags_of(0))  # from the module of the first pass
    scan = onesweep("rp_onesweep_scan", flags_of(0))

    # One zeroed workspace: histograms, tile counters, and two status arrays that passes take in turn
    # (pass p >= 1 zeroes the one pass p - 1 used, for pass p + 1).
    status_words = tiles * RADIX
    work = backend.empty((passes * (RADIX + 1) + 2 * status_words,), np.uint64 if wide else np.uint32)
    backend.driver.memset_d8(ptr(work), 0, work.nbytes, backend.stream)
    hist = ptr(work)
    counters = hist + passes * RADIX * cbytes
    status = (counters + passes * cbytes, counters + (passes + status_words) * cbytes)

    blocks = max(1, min(-(-n // HIST_CHUNK), backend.props["compute_units"] * HIST_BLOCKS_PER_CU))
    launch_blocks(backend, histogram, blocks, (src, n, passes, seg, hist), f"P{fc}iqP")
    launch_blocks(backend, scan, passes, (hist,), "P")

    spare = {}  # temporaries, made on first use

    def temp(name, nbytes_per):
        if name not in spare:
            spare[name] = backend.empty((n * nbytes_per,), np.uint8)
        return ptr(spare[name])

    keys_src, pay_src = src, 0
    for p in range(passes):
        last = p == passes - 1
        if payload_out:
            keys_dst = 0 if last else temp(f"keys{p % 2}", key_bytes)
            pay_dst = 0 if last else temp(f"payload{p % 2}", cbytes)
            wide_dst = payload_out if last else 0
        else:
            into_final = (passes - p) % 2 == 1  # alternate so that the last pass writes keys_out
            keys_dst = keys_out if into_final else temp("keys", key_bytes)
            pay_dst = wide_dst = 0
        next_status = status[(p + 1) % 2] if 1 <= p < passes - 1 else 0
        args = (keys_src, keys_dst, pay_src, pay_dst, wide_dst, n, 8 * p, seg, hist + p * RADIX * cbytes,
                status[p % 2], next_status, counters + p * cbytes)
        one_pass = onesweep("rp_onesweep_pass", flags_of(p))
        one_pass.launch((tiles, 1, 1), (threads, 1, 1), 0, backend.stream, args, f"PPPPP{fc}iqPPPP")
        keys_src, pay_src = keys_dst, pay_dst


def launch_blocks(backend, f, blocks, args, fmt):
    """One block per tile (or row): ``blocks`` blocks of THREADS threads."""
    f.launch((blocks, 1, 1), (THREADS, 1, 1), 0, backend.stream, args, fmt)


def sort_rows(backend, spec, src, out, n, indices):
    """Stable sort of each of the rows of ``n`` items of the C-contiguous ``src`` into ``out`` (same
    shape): the values (out has src's dtype) or, with ``indices``, each row's argsort (out int64)."""
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
    if rows == 1:
        if indices:
            radix_sort(backend, spec, size, ptr(src), itemsize, payload_out=ptr(out))
        else:
            radix_sort(backend, spec, size, ptr(src), itemsize, keys_out=ptr(out))
        return
    perm = backend.empty((size,), _INT64)
    radix_sort(backend, spec, size, ptr(src), itemsize, payload_out=ptr(perm))
    by_row = backend.empty((size,), _INT64)
    radix_sort(backend, ("uint64_t", UNSIGNED), size, ptr(perm), digits(rows - 1), keys_out=ptr(by_row), seg=n)
    itype, ic = index_type(size)
    f = kernel(backend, "gather.hip", "rp_sort_finish", U=ctype, I=itype)
    launch(backend, f, grid_for(backend, size),
           (ptr(by_row), ptr(src), 0 if indices else ptr(out), ptr(out) if indices else 0, size, n), f"PPPP{ic}q")


_COMPLEX = {"F": "uint32_t", "D": "uint64_t"}  # complex64, complex128 -> the C type of one part's bits


def sort_rows_complex(backend, src, out, n, indices):
    """sort_rows for complex64 and complex128: the stable argsort of each row by the keys of
    complex_keys.hip, least significant first (sec, pri, cls: three rounds of argsort_unsigned, each of
    the keys taken in the order so far), then by row number, then values or positions within rows."""
    part = _COMPLEX[src.dtype.char]
    size = src.size
    bits = 8 * src.dtype.itemsize // 2
    sec, pri, cls = (backend.empty((size,), np.uint64) for _ in range(3))
    f = kernel(backend, "complex_keys.hip", "rp_complex_keys", H=part)
    launch(backend, f, grid_for(backend, size), (ptr(src), size, ptr(sec), ptr(pri), ptr(cls)), "PqPPP")
    itype, ic = index_type(size)
    gather = kernel(backend, "gather.hip", "rp_sort_finish", U="uint64_t", I=itype)

    def taken(x, perm):  # x[perm], both uint64 (positions as bits)
        y = backend.empty((size,), np.uint64)
        launch(backend, gather, grid_for(backend, size), (ptr(perm), ptr(x), ptr(y), 0, size, size), f"PPPP{ic}q")
        return y

    perm = argsort_unsigned(backend, sec, bits)
    for key, nbits in ((pri, bits), (cls, 2)):
        perm = taken(perm, argsort_unsigned(backend, taken(key, perm), nbits))
    rows = size // n
    if rows > 1:  # the rows apart, each in its order (stable)
        by_row = backend.empty((size,), _INT64)
        radix_sort(backend, ("uint64_t", UNSIGNED), size, ptr(perm), digits(rows - 1), keys_out=ptr(by_row), seg=n)
        perm = by_row
    finish = kernel(backend, "gather.hip", "rp_sort_finish", U="uint64_t" if bits == 32 else "rp_strided::u128",
                    I=itype)
    launch(backend, finish, grid_for(backend, size),
           (ptr(perm), ptr(src), 0 if indices else ptr(out), ptr(out) if indices else 0, size, n), f"PPPP{ic}q")


def argsort_unsigned(backend, keys, nbits):
    """Stable argsort (int64) of the 1-D contiguous uint64 ``keys``, all below 2**nbits."""
    n = keys.size
    out = backend.empty((n,), _INT64)
    spec = ("uint64_t", UNSIGNED)
    if n <= block_tile(8):
        sort_rows(backend, spec, keys, out, n, True)
    else:
        radix_sort(backend, spec, n, ptr(keys), max(1, -(-nbits // 8)), payload_out=ptr(out))
    return out


def _sort(backend, x, axis, indices):
    if not isinstance(x, ndarray) or (key_spec(x.dtype) is None and x.dtype.char not in _COMPLEX):
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
    if out.size and spec is None:
        sort_rows_complex(backend, backend.contiguous(moved), out, x.shape[axis], indices)
    elif out.size:
        sort_rows(backend, spec, backend.contiguous(moved), out, x.shape[axis], indices)
    if last:
        return out
    return _views.permute(out, tuple(order.index(d) for d in range(x.ndim)))  # a view in x's axis order


def sort(backend, x, axis=-1, stable=True, **kwargs):
    """NumPy's sort(x, axis) (the core has resolved kind into ``stable``); always stable here, which an
    unstable request also allows."""
    if kwargs:
        return NotImplemented
    return _sort(backend, x, axis, False)


def argsort(backend, x, axis=-1, stable=True, **kwargs):
    """NumPy's argsort(x, axis); always stable here, which an unstable request also allows."""
    if kwargs:
        return NotImplemented
    return _sort(backend, x, axis, True)


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
        sort_rows(backend, spec, x, perm, n, True)
        base, perm_ptr = x, ptr(perm)
        values_sorted = backend.empty((n,), ar.dtype)
    else:
        perm = None
        base = backend.empty((n,), ar.dtype)
        sort_rows(backend, spec, x, base, n, False)
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
    """(source, kernel name) of every kernel, in instantiations that cover each key kind and width, both
    count widths, every kind of pass and a few tile sizes."""
    out = []
    onesweep = ("rp_onesweep_histogram", "rp_onesweep_scan", "rp_onesweep_pass")
    argsort_first, argsort_last = F_PAYLOAD | F_IOTA, F_PAYLOAD | F_NO_KEYS | F_WIDE
    for ctype, kind, rows, cc, threads, items, flags in (
            ("uint32_t", FLOAT, 0, "unsigned", 256, 16, 0),
            ("uint64_t", SIGNED, 0, "unsigned long long", 384, 11, argsort_first),
            ("uint8_t", UNSIGNED, 0, "unsigned", 512, onesweep_items(512, 1, 4), argsort_first | argsort_last),
            ("uint16_t", FLOAT, 0, "unsigned", 256, 15, F_PAYLOAD),
            ("uint32_t", SIGNED, 0, "unsigned", 384, 19, argsort_last),
            ("uint64_t", UNSIGNED, 1, "unsigned", 256, 12, 0)):
        src = source("radix_onesweep.hip", K=ctype, KIND=kind, ROWS=rows, C=cc, THREADS=threads, ITEMS=items,
                     FLAGS=flags)
        out += [(src, name) for name in onesweep]
        if rows:
            continue
        if ctype != "uint16_t":
            out.append((source("sort_block.hip", K=ctype, KIND=kind), "rp_sort_block"))
        if ctype in ("uint32_t", "uint16_t"):
            out += [(source("search.hip", K=ctype, KIND=kind), name) for name in ("rp_searchsorted", "rp_check_sorter")]
            out += [(source("unique.hip", K=ctype, KIND=kind), name) for name in ("rp_unique_mark", "rp_unique_counts")]
    out += [(source("complex_keys.hip", H=part), "rp_complex_keys") for part in _COMPLEX.values()]
    # scan.hip is kernels/indexing.py's (compaction); it has been checked from here.
    out += [(source("scan.hip", I=itype), "rp_scan_rows") for itype in ("int", "long long")]
    return out
