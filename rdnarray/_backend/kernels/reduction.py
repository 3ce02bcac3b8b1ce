"""Reductions on the GPU with ``src_hip/reduce.hip``: sum, prod, max, min, all, any, mean, var, std, ptp,
their nan- variants, argmax and argmin.

``run(backend, row, x, axes, keepdims, out, dtype, **params)`` computes ``out = row(x, axis=axes)``;
``arg_run(backend, name, x, axis, out)`` argmax/argmin. The core has checked everything and allocated
``out``. Either returns NotImplemented (before any write) for what it does not cover, and the executor
runs NumPy on the host instead: median, where=, integer var, complex -> real accumulation.

* Types: the accumulation type T is ``dtype=`` if given, else ``out``'s dtype for the ufunc-like
  reductions (NumPy's ``add.reduce(x, out=o)`` sums in o's type), the mean rule for mean/var/std
  (integers in float64), bool for all/any, the input's for argmax/argmin; float16 accumulates in
  float32. Integers wrap like NumPy; float sums are trees (per-thread runs of at most ~N / 256
  elements, then shuffles), as accurate as NumPy's pairwise sums for the sizes that matter.
* Layout: size-1 axes drop out, negative strides flip (not for argmax, whose indices are C order),
  kept and reduced axes each sort by stride and adjacent ones merge. Then one of two kernel shapes
  (see reduce.hip): ROW when the reduced elements are the contiguous ones (lanes of a warp or a block
  stride along them, 16-byte loads when aligned), column when the kept ones are (each thread owns a
  group of VEC adjacent outputs, read with one load of VEC elements per row when aligned). Every lane
  keeps UNROLL loads in flight. When outputs are too few to fill the GPU, the reduced range splits into
  chunks across blocks (``blockIdx.y``; up to BLOCKS_PER_CU blocks per CU) and a second launch combines
  the partials: two launches, no atomics, the same bits on every run.
* Hot path: a plan per (row, dtypes, shape, strides, axes, out strides, alignment) holds the compiled
  functions and the packed argument tuples; a call is one key, a dict lookup, an overlap test and one
  or two launches (one for small inputs).
* Tunables (module constants, read when a plan is made; ``_plans.clear()`` after changing them):
  UNROLL, UNROLL_HEAVY, BLOCKS_PER_CU, RESIDENT_BLOCKS(_COLUMN), MAX_COLUMN_ACC_BYTES.
* Empty reductions (x empty, out not) run too: the kernel's loops do nothing and every output is the
  identity through ``post`` (0, 1, True/False, NaN for mean/var, initial= for max/min).
* NumPy's warnings that follow from shapes are given (mean of nothing, var/std with ddof >= N);
  nanmax/nanmin check the result for NaN (one device-to-host copy, as CuPy does) to give "All-NaN slice
  encountered". Not given: nanmean's "Mean of empty slice" and nanvar's "Degrees of freedom <= 0" for
  slices that are all NaN (data-dependent; the values are NumPy's: NaN), and the floating-point
  "invalid value" warnings NumPy's own arithmetic raises.

``examples()`` lists representative instantiations for the compile checks.
"""
import warnings
from collections import namedtuple

import numpy as np

from . import fill
from .ctypes import CTYPE

OPTIONS = ("-std=c++17",)
KERNEL = "rp_reduce"
BLOCK = 256                 # threads per block (reduce.hip's BLOCK): a multiple of every warp size
BLOCKS_PER_CU = 16          # split the reduced range until the grid has this many blocks per CU (H100 sweep: 16)
MIN_PER_LANE = 32           # ... but never below this many elements per lane and chunk
UNROLL = 8                  # independent loads in flight per lane (16 bytes each on contiguous data; H100: 8)
UNROLL_HEAVY = 4            # ... in column kernels and with 16-byte accumulators, whose registers spill at 8
MAX_COLUMN_ACC_BYTES = 32   # column kernels: accumulator bytes per thread, bounding its outputs (VEC)
RESIDENT_BLOCKS_COLUMN = 8  # ... column kernels with at most 16 bytes of accumulators per thread (H100:
                            # sum(axis=0) 366 -> 356 us; more accumulators would spill)
RESIDENT_BLOCKS = 4         # NVIDIA: blocks per SM the kernel's registers must allow (launch bounds); with
                            # BLOCKS_PER_CU a multiple of it, the split grid is whole waves
SPLIT_MAX = 65535           # gridDim.y limit
INDEX32_LIMIT = 2**31 - 2**16  # below: 32-bit index math (the kernel's loops stay clear of overflow)

_BOOL, _INT64 = np.dtype(np.bool_), np.dtype(np.int64)
_F16, _F32, _F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)

# One reduction per row name: the operation (a template of reduce.hip over in_t and T), the layout of
# its accumulator, the rule giving T, whether it takes initial=, and the warning NumPy may give.
Kernel = namedtuple("Kernel", "op acc rule initial check")
KERNELS = {
    "sum": Kernel("rp_red::Sum<in_t, T, false>", "scalar", "out", True, None),
    "nansum": Kernel("rp_red::Sum<in_t, T, true>", "scalar", "out", True, None),
    "prod": Kernel("rp_red::Prod<in_t, T, false>", "scalar", "out", True, None),
    "nanprod": Kernel("rp_red::Prod<in_t, T, true>", "scalar", "out", True, None),
    "max": Kernel("rp_red::Max<in_t, T, false>", "scalar", "out", True, None),
    "nanmax": Kernel("rp_red::Max<in_t, T, true>", "scalar", "out", True, "all_nan"),
    "min": Kernel("rp_red::Min<in_t, T, false>", "scalar", "out", True, None),
    "nanmin": Kernel("rp_red::Min<in_t, T, true>", "scalar", "out", True, "all_nan"),
    "all": Kernel("rp_red::All<in_t, T>", "bool", "bool", False, None),
    "any": Kernel("rp_red::Any<in_t, T>", "bool", "bool", False, None),
    "mean": Kernel("rp_red::Mean<in_t, T>", "scalar", "mean", False, "empty"),
    "nanmean": Kernel("rp_red::NanMean<in_t, T>", "sum_count", "mean_float", False, None),
    "var": Kernel("rp_red::Var<in_t, T, false, false>", "moments", "mean_float", False, "dof"),
    "std": Kernel("rp_red::Var<in_t, T, false, true>", "moments", "mean_float", False, "dof"),
    "nanvar": Kernel("rp_red::Var<in_t, T, true, false>", "moments", "mean_float", False, "dof"),
    "nanstd": Kernel("rp_red::Var<in_t, T, true, true>", "moments", "mean_float", False, "dof"),
    "ptp": Kernel("rp_red::Ptp<in_t, T>", "range", "out", False, None),
    "argmax": Kernel("rp_red::Arg<in_t, T, true>", "value_index", "input", False, None),
    "argmin": Kernel("rp_red::Arg<in_t, T, false>", "value_index", "input", False, None),
}


def accumulation_dtype(rule, x_dtype, out_dtype, dtype):
    """(T before float16 widening, T), or None where no kernel applies."""
    if rule == "out":
        t = dtype if dtype is not None else out_dtype
    elif rule == "bool":
        t = _BOOL
    elif rule == "input":
        t = x_dtype
    else:  # mean, mean_float
        t = dtype if dtype is not None else (x_dtype if x_dtype.kind in "fc" else _F64)
        if t.kind == "b" or (rule == "mean_float" and t.kind not in "fc"):
            return None
    if t not in CTYPE or (x_dtype.kind == "c" and t.kind != "c" and rule != "bool"):
        return None  # complex -> real drops the imaginary part with a warning: NumPy's business
    return t, (_F32 if t == _F16 else t)


def _real(t):
    return np.dtype(t.char.lower()) if t.kind == "c" else t


def accumulator_size(acc, t):
    """sizeof(acc_t) for accumulator layout ``acc`` over T ``t`` (C struct rules = NumPy's aligned ones)."""
    fields = {"scalar": [t], "bool": [_BOOL], "sum_count": [t, _real(t)], "moments": [t, _real(t), _real(t)],
              "range": [t, t], "value_index": [t, _INT64]}[acc]
    return np.dtype([(f"f{i}", f) for i, f in enumerate(fields)], align=True).itemsize


# ---- layout -------------------------------------------------------------------------------------------

def collapse(shape, strides, axes, out_strides, keep_order=False):
    """(kept, reduced, x_shift, out_shift): kept = [(n, x stride, out stride)], reduced = [(n, x stride)],
    each in C order (outermost first), at least one entry each (a (1, 0[, 0]) stand-in).

    ``out_strides`` are out's byte strides of the kept axes, in axis order. Size-1 axes are dropped;
    negative strides flip (the base addresses move by ``x_shift`` / ``out_shift`` bytes), except along
    reduced axes when ``keep_order`` (argmax: the reduced index must stay C order); axes sort by stride
    (reduced ones only without ``keep_order``) and adjacent ones merge where memory allows."""
    kept, red = [], []
    x_shift = out_shift = 0
    k = 0
    for a, (n, s) in enumerate(zip(shape, strides)):
        if a in axes:
            if n != 1:
                if s < 0 and not keep_order:
                    x_shift += (n - 1) * s
                    s = -s
                red.append((n, s))
        else:
            o = out_strides[k]
            k += 1
            if n != 1:
                if s < 0:
                    x_shift += (n - 1) * s
                    out_shift += (n - 1) * o
                    s, o = -s, -o
                kept.append((n, s, o))
    kept.sort(key=lambda d: -d[1])  # stable: ties keep axis order
    if not keep_order:
        red.sort(key=lambda d: -d[1])
    merged_kept = []
    for d in kept:
        if merged_kept:
            p = merged_kept[-1]
            if p[1] == d[0] * d[1] and p[2] == d[0] * d[2]:
                merged_kept[-1] = (p[0] * d[0], d[1], d[2])
                continue
        merged_kept.append(d)
    merged_red = []
    for d in red:
        if merged_red and merged_red[-1][1] == d[0] * d[1]:
            merged_red[-1] = (merged_red[-1][0] * d[0], d[1])
            continue
        merged_red.append(d)
    return merged_kept or [(1, 0, 0)], merged_red or [(1, 0)], x_shift, out_shift


def _pow2ceil(n):
    return 1 << max(0, (n - 1).bit_length())


def _pow2floor(n):
    return 1 << max(0, n.bit_length() - 1)


def geometry(M, N, row, warp, cu, vec=1, split=True, outs=1, combine=False):
    """(ry, blocks, S, chunk): lanes per output group, blocks along the outputs, chunks of the reduced
    range (gridDim.y) and elements per chunk (a multiple of ``vec``). ``outs``: outputs per thread
    (column kernels); ``combine``: the launch that adds partials (S of them per output, ``N`` = S)."""
    groups = M // outs
    if row:
        lanes = min(warp, _pow2ceil(N))
        # A block per output for long rows (then each lane sums at most N / BLOCK elements) and when
        # warps per output would leave the GPU idle; else a warp (or less) per output.
        ry = BLOCK if N > 64 * warp or groups * lanes <= BLOCK else lanes
    else:
        ry = BLOCK // min(BLOCK, _pow2ceil(groups))
        if combine:
            # The partials of an output are few: lanes share them, so that each lane reads about UNROLL
            # (one round trip to memory) rather than walking all S in turn.
            ry = max(ry, min(BLOCK, _pow2floor(max(1, N // UNROLL))))
    blocks = -(-groups // (BLOCK // ry))
    s = 1
    if split:
        # Split until the grid has BLOCKS_PER_CU blocks per CU, not more (a partial last wave would run
        # alone at the end).
        target = BLOCKS_PER_CU * cu
        if blocks < target:
            s = max(1, min(target // blocks, N // (ry * MIN_PER_LANE), SPLIT_MAX))
    chunk = N
    if s > 1:
        chunk = -(-N // s)
        chunk = -(-chunk // vec) * vec
        s = -(-N // chunk)
    return ry, blocks, s, chunk


def _contiguous(shapes, itemsize):
    strides, s = [], itemsize
    for n in reversed(shapes):
        strides.append(s)
        s *= n
    return tuple(reversed(strides))


def _extent(shape, strides, itemsize):
    """[lo, hi) of the bytes an array touches, relative to its element [0, ..., 0]."""
    lo = hi = 0
    if 0 in shape:
        return 0, 0
    for n, s in zip(shape, strides):
        if s < 0:
            lo += (n - 1) * s
        else:
            hi += (n - 1) * s
    return lo, hi + itemsize


# ---- sources ------------------------------------------------------------------------------------------

_sources = {}


def source(in_dtype, t, out_dtype, op, stage=0, row=True, kept=1, red=1, vec=1, index="int32_t", acc_size=None,
           unroll=None, min_blocks=None):
    """reduce.hip filled for one instantiation (``op``: a KERNELS entry's ``op``; ``t``: the widened T;
    ``unroll`` and ``min_blocks`` default to the module's UNROLL (UNROLL_HEAVY for column kernels and 16-byte
    accumulators) and RESIDENT_BLOCKS (RESIDENT_BLOCKS_COLUMN for column kernels of few accumulators))."""
    in_dtype, t, out_dtype = np.dtype(in_dtype), np.dtype(t), np.dtype(out_dtype)
    if unroll is None:
        unroll = UNROLL if row and t.itemsize <= 8 else UNROLL_HEAVY
    if min_blocks is None:
        light = not row and stage != 2 and acc_size is not None and acc_size * vec <= 16
        min_blocks = RESIDENT_BLOCKS_COLUMN if light else RESIDENT_BLOCKS
    key = (in_dtype, t, out_dtype, op, stage, row, kept, red, vec, index, acc_size, unroll, min_blocks)
    s = _sources.get(key)
    if s is None:
        s = _sources[key] = fill("reduce.hip", {
            "IN": CTYPE[in_dtype], "T": CTYPE[t], "OUT": CTYPE[out_dtype], "OP": op, "INDEX": index,
            "STAGE": str(stage), "ROW": "true" if row else "false", "KEPT": str(kept), "RED": str(red),
            "VEC": str(vec), "UNROLL": str(unroll), "MIN_BLOCKS": str(min_blocks), "ACC_SIZE": str(acc_size)})
    return s


def _fmt(kept, red):
    # x, out, Layout (one by-value struct), M, N, chunk, ry, split_stride, init, n, ddof
    return f"PP{3 * kept + 2 * red}qqqqiqPdd"


# ---- plans --------------------------------------------------------------------------------------------

class _Stage:
    """One launch: ``launch`` is the compiled kernel's launch method (launch_dependent where the device has
    it: reduce.hip waits for the previous kernel first, so its launch overlaps that kernel's end)."""
    __slots__ = ("launch", "grid", "fmt", "args")

    def __init__(self, backend, source, grid, fmt, args):
        fn = backend.function(source, KERNEL, OPTIONS)
        self.launch = fn.launch_dependent if backend.props.get("dependent_launch") else fn.launch
        self.grid, self.fmt, self.args = grid, fmt, args


class _Plan:
    """What a call needs besides the two addresses: the launches (``args``: every argument after x and
    out, ending in init = null, n, ddof = 0), where x and out start relative to element [0, ...], the
    bytes they span, the size of the partials (0: one launch), and the warning NumPy may give. ``fast``:
    what ``run`` needs for a call of one launch without initial=, ddof= or warnings, in one tuple."""
    __slots__ = ("stages", "x_shift", "out_shift", "partial_bytes", "n", "x_lo", "x_hi", "out_lo", "out_hi",
                 "init_dtypes", "check", "fast")


def _column_vec(kept, red, size, acc_size, residue):
    """Outputs per thread of a column kernel: adjacent outputs along the contiguous last kept dimension,
    read with one aligned load of up to 16 bytes per row, as many as MAX_COLUMN_ACC_BYTES of
    accumulators allow (registers)."""
    n, stride, _ = kept[-1]
    if stride != size:
        return 1
    w = min(16 // size, _pow2floor(max(1, MAX_COLUMN_ACC_BYTES // acc_size)))
    others = [d[1] for d in kept[:-1]] + [d[1] for d in red]
    while w > 1 and (n % w or residue % (w * size) or any(s % (w * size) for s in others)):
        w //= 2
    return w


def _plan(backend, kernel, x, axes, out_strides, out, res, t, residue, keep_order):
    kept, red, x_shift, out_shift = collapse(x.shape, x._strides, axes, out_strides, keep_order)
    M = N = 1
    for d in kept:
        M *= d[0]
    for d in red:
        N *= d[0]
    index = "int32_t" if M < INDEX32_LIMIT and N < INDEX32_LIMIT else "int64_t"
    row = M == 1 or abs(red[-1][1]) <= abs(kept[-1][1])
    size = x.dtype.itemsize
    acc_size = accumulator_size(kernel.acc, t)
    vec = 1
    if row:
        if (len(red) == 1 and red[0][1] == size and size in (1, 2, 4, 8)
                and (residue + x_shift) % 16 == 0 and all(d[1] % 16 == 0 for d in kept)):
            vec = 16 // size
    else:
        vec = _column_vec(kept, red, size, acc_size, (residue + x_shift) % 16)
    warp, cu = backend.props["warp_size"], backend.props["compute_units"]
    outs = 1 if row else vec
    ry, blocks, S, chunk = geometry(M, N, row, warp, cu, vec if row else 1, outs=outs)
    shapes = tuple(d[0] for d in kept)
    red_layout = tuple(d[0] for d in red) + tuple(d[1] for d in red)
    kept_x = tuple(d[1] for d in kept)
    kept_out = tuple(d[2] for d in kept)
    fmt = _fmt(len(kept), len(red))
    common = dict(in_dtype=x.dtype, t=t, out_dtype=out.dtype, op=kernel.op, kept=len(kept), index=index,
                  acc_size=acc_size)

    p = _Plan()
    p.x_shift, p.out_shift, p.n = x_shift, out_shift, float(N)
    p.x_lo, p.x_hi = _extent(x.shape, x._strides, x.dtype.itemsize)
    p.out_lo, p.out_hi = _extent(out.shape, out._strides, out.dtype.itemsize)
    p.init_dtypes = (res, t)
    p.check = kernel.check
    p.fast = None
    tail = (0, float(N), 0.0)  # init (null), n, ddof
    if S == 1:
        src = source(stage=0, row=row, red=len(red), vec=vec, **common)
        s = _Stage(backend, src, (blocks, 1, 1), fmt,
                   shapes + kept_x + kept_out + red_layout + (M, N, chunk, ry, 0) + tail)
        p.stages = (s,)
        p.partial_bytes = 0
        if p.check is None:
            p.fast = (s.launch, s.grid, s.fmt, s.args, x_shift, out_shift, p.x_lo, p.x_hi, p.out_lo, p.out_hi)
        return p
    # Two launches: partials[chunk][output] (contiguous accumulators), then partials -> out.
    part = _contiguous(shapes, acc_size)
    src1 = source(stage=1, row=row, red=len(red), vec=vec, **common)
    s1 = _Stage(backend, src1, (blocks, S, 1), fmt,
                shapes + kept_x + part + red_layout + (M, N, chunk, ry, M * acc_size) + tail)
    ry2, blocks2, _, _ = geometry(M, S, M == 1, warp, cu, split=False, combine=True)
    src2 = source(stage=2, row=M == 1, red=1, **common)
    s2 = _Stage(backend, src2, (blocks2, 1, 1), _fmt(len(kept), 1),
                shapes + part + kept_out + (S, M * acc_size) + (M, S, S, ry2, 0) + tail)
    p.stages = (s1, s2)
    p.partial_bytes = S * M * acc_size
    return p


def _new_plan(backend, kernel, x, axes, out_strides, out, dtype, initial, residue, keep_order):
    """The plan of a call, NotImplemented (the host's), or None (nothing to compute: out is empty)."""
    if initial is not None and not kernel.initial:
        return NotImplemented
    types = accumulation_dtype(kernel.rule, x.dtype, out.dtype, dtype)
    if types is None or x.dtype not in CTYPE or out.dtype not in CTYPE:
        return NotImplemented
    if out.size == 0:
        return None
    return _plan(backend, kernel, x, axes, out_strides, out, types[0], types[1], residue, keep_order)


_plans = {}
_BLOCK = (BLOCK, 1, 1)


def _execute(backend, name, x, axes, keepdims, out, dtype, initial, ddof, keep_order):
    """A call through its plan, made on first use (``run`` has the most common calls' path inline)."""
    xp = x._buffer.ptr + x._offset
    op = out._buffer.ptr + out._offset
    key = (name, x.dtype, x.shape, x._strides, axes, keepdims, out.dtype, out._strides, dtype, xp & 15,
           initial is None, backend)  # (keep_order follows from name)
    p = _plans.get(key, _plans)
    if p is _plans:
        kernel = KERNELS[name]
        if keepdims and not keep_order:
            out_strides = tuple(s for a, s in enumerate(out._strides) if a not in axes)
        elif keepdims:
            out_strides = out._strides[:axes[0]] + out._strides[axes[0] + 1:]
        else:
            out_strides = out._strides
        p = _plans[key] = _new_plan(backend, kernel, x, axes, out_strides, out, dtype, initial, xp & 15,
                                    keep_order)
    if p is None or p is NotImplemented:
        return p
    if xp + p.x_lo < op + p.out_hi and op + p.out_lo < xp + p.x_hi:
        # out shares memory with x (np.sum(a, axis=0, out=a[0])): reduce into a temporary first.
        tmp = backend.empty(out.shape, out.dtype)
        r = _execute(backend, name, x, axes, keepdims, tmp, dtype, initial, ddof, keep_order)
        backend.copy(tmp, out)
        return r
    stream = backend.stream
    if initial is None and not ddof and not p.partial_bytes:
        s = p.stages[0]  # the common case: one launch with the packed arguments as they are
        s.launch(s.grid, _BLOCK, 0, stream, (xp + p.x_shift, op + p.out_shift, *s.args), s.fmt)
    else:
        _launch(backend, p, xp, op, initial, ddof, stream)
    if p.check is not None:
        _warn(backend, p.check, x, axes, out, ddof)
    return None


def _launch(backend, p, xp, op, initial, ddof, stream):
    init = 0
    keep = None
    if initial is not None:
        res, t = p.init_dtypes
        keep = backend.from_numpy(np.asarray(initial).astype(res).astype(t).reshape(1))
        init = keep._buffer.ptr + keep._offset
    tail = (init, p.n, float(ddof))
    if p.partial_bytes:
        s1, s2 = p.stages
        tmp = backend.empty((p.partial_bytes,), np.uint8)
        tp = tmp._buffer.ptr
        s1.launch(s1.grid, _BLOCK, 0, stream, (xp + p.x_shift, tp, *s1.args), s1.fmt)
        s2.launch(s2.grid, _BLOCK, 0, stream, (tp, op + p.out_shift, *s2.args[:-3], *tail), s2.fmt)
    else:
        s = p.stages[0]
        s.launch(s.grid, _BLOCK, 0, stream, (xp + p.x_shift, op + p.out_shift, *s.args[:-3], *tail), s.fmt)
    del keep  # stream-ordered pool: the block is reused only by later work on this stream


def _warn(backend, check, x, axes, out, ddof):
    if check in ("dof", "empty"):
        n = 1
        for a in axes:
            n *= x.shape[a]
        if check == "empty" and n == 0:
            warnings.warn("Mean of empty slice.", RuntimeWarning, stacklevel=4)
        elif check == "dof" and n - ddof <= 0:
            warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=4)
    elif check == "all_nan" and x.dtype.kind in "fc" and out.dtype.kind in "fc":
        if np.isnan(backend.to_numpy(out)).any():
            warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=4)


def run(backend, row, x, axes, keepdims, out, dtype, initial=None, ddof=0, **params):
    """``out = row(x)`` over ``axes`` (normalized), or NotImplemented (nothing written)."""
    if type(axes) is not tuple:
        axes = tuple(axes)
    keepdims = bool(keepdims)
    # The hot path, inline (x.sum() of a small array is bound by this host code): _execute's key, and a
    # plan of one launch whose x and out do not overlap.
    xp = x._buffer.ptr + x._offset
    op = out._buffer.ptr + out._offset
    p = _plans.get((row.name, x.dtype, x.shape, x._strides, axes, keepdims, out.dtype, out._strides, dtype,
                    xp & 15, initial is None, backend))
    if type(p) is _Plan and p.fast is not None and initial is None and not ddof and not params:
        launch, grid, fmt, args, x_shift, out_shift, x_lo, x_hi, out_lo, out_hi = p.fast
        if not (xp + x_lo < op + out_hi and op + out_lo < xp + x_hi):
            launch(grid, _BLOCK, 0, backend.stream, (xp + x_shift, op + out_shift, *args), fmt)
            return None
    if params or row.name not in KERNELS:
        return NotImplemented
    return _execute(backend, row.name, x, axes, keepdims, out, dtype, initial, ddof, False)


def arg_run(backend, name, x, axis, out):
    """argmax/argmin of ``x`` along ``axis`` (None: of the flattened array) into the integer array ``out``
    (with or without the reduced axis kept as length 1)."""
    kernel = KERNELS.get(name)
    if kernel is None or kernel.rule != "input":
        return NotImplemented
    axes = tuple(range(x.ndim)) if axis is None else (axis,)
    return _execute(backend, name, x, axes, axis is not None and out.ndim == x.ndim, out, None, None, 0, True)


def _arg_native(name):
    """backend.run(name, x, axis=, out=, keepdims=) for the executor's NATIVE table."""
    def run(backend, x, axis=None, out=None, keepdims=False):
        if out is None:
            if axis is None:
                shape = (1,) * x.ndim if keepdims else ()
            else:
                shape = x.shape[:axis] + ((1,) if keepdims else ()) + x.shape[axis + 1:]
            result = backend.empty(shape, _INT64)
        else:
            result = out
        if arg_run(backend, name, x, axis, result) is NotImplemented:
            return NotImplemented
        return result
    return run


NATIVE = {"argmax": _arg_native("argmax"), "argmin": _arg_native("argmin")}


def examples():
    """(source, kernel name) of representative instantiations, for the compile checks (CI, AMD)."""
    cases = [
        # (row name, x, out, dtype=, stage, row, kept, red, vec, index)
        ("sum", "f", "f", None, 0, True, 1, 1, 4, "int32_t"),
        ("sum", "f", "f", None, 1, True, 1, 1, 4, "int32_t"),
        ("sum", "f", "f", None, 2, True, 1, 1, 1, "int32_t"),
        ("sum", "f", "f", None, 1, False, 1, 1, 1, "int32_t"),
        ("sum", "f", "f", None, 2, False, 2, 1, 1, "int64_t"),
        ("sum", "e", "e", None, 0, True, 1, 1, 8, "int32_t"),
        ("sum", "b", "q", None, 0, False, 2, 2, 1, "int32_t"),
        ("sum", "?", "q", None, 0, True, 1, 1, 16, "int32_t"),
        ("sum", "D", "D", None, 0, True, 1, 1, 1, "int32_t"),
        ("nansum", "F", "F", None, 0, True, 1, 1, 2, "int32_t"),
        ("prod", "H", "Q", None, 0, True, 3, 1, 1, "int32_t"),
        ("nanprod", "d", "d", None, 1, True, 1, 1, 2, "int64_t"),
        ("max", "f", "f", None, 0, True, 1, 1, 4, "int32_t"),
        ("max", "D", "D", None, 0, False, 1, 1, 1, "int32_t"),
        ("min", "i", "i", None, 0, True, 1, 3, 1, "int32_t"),
        ("nanmax", "e", "e", None, 0, True, 1, 1, 1, "int32_t"),
        ("nanmin", "d", "d", None, 2, True, 1, 1, 1, "int32_t"),
        ("all", "f", "?", None, 0, True, 1, 1, 4, "int32_t"),
        ("any", "F", "?", None, 0, False, 1, 1, 1, "int32_t"),
        ("mean", "f", "f", None, 0, True, 1, 1, 4, "int32_t"),
        ("mean", "l", "d", None, 1, True, 1, 1, 2, "int32_t"),
        ("mean", "e", "e", None, 2, True, 1, 1, 1, "int32_t"),
        ("mean", "q", "q", "q", 0, True, 1, 1, 1, "int32_t"),
        ("nanmean", "F", "F", None, 0, True, 1, 1, 1, "int32_t"),
        ("var", "f", "f", None, 0, True, 1, 1, 4, "int32_t"),
        ("std", "D", "d", None, 1, False, 1, 1, 1, "int32_t"),
        ("nanvar", "e", "e", None, 2, False, 1, 1, 1, "int32_t"),
        ("nanstd", "d", "d", None, 0, True, 2, 2, 1, "int64_t"),
        ("var", "B", "d", None, 0, True, 1, 1, 1, "int32_t"),
        ("ptp", "h", "h", None, 0, True, 1, 1, 8, "int32_t"),
        ("ptp", "e", "e", None, 0, False, 1, 1, 1, "int32_t"),
        ("argmax", "f", "q", None, 0, True, 1, 2, 1, "int32_t"),
        ("argmin", "D", "q", None, 1, True, 1, 1, 1, "int32_t"),
        ("argmax", "?", "q", None, 2, True, 1, 1, 1, "int32_t"),
        ("argmin", "e", "q", None, 0, False, 2, 1, 1, "int64_t"),
        # column kernels with VEC adjacent outputs per thread (one load of VEC elements per row)
        ("sum", "f", "f", None, 1, False, 1, 1, 4, "int32_t"),
        ("sum", "f", "f", None, 0, False, 2, 1, 4, "int32_t"),
        ("sum", "b", "q", None, 0, False, 1, 2, 4, "int32_t"),
        ("mean", "e", "e", None, 1, False, 1, 1, 8, "int64_t"),
        ("var", "f", "f", None, 1, False, 1, 1, 2, "int32_t"),
        ("max", "d", "d", None, 0, False, 1, 1, 2, "int32_t"),
        ("all", "?", "?", None, 0, False, 1, 1, 16, "int32_t"),
        ("argmax", "f", "q", None, 1, False, 1, 1, 2, "int32_t"),
    ]
    out = []
    for name, xc, oc, dc, stage, row, kept, red, vec, index in cases:
        kernel = KERNELS[name]
        x_dt, out_dt = np.dtype(xc), np.dtype(oc)
        _, t = accumulation_dtype(kernel.rule, x_dt, out_dt, None if dc is None else np.dtype(dc))
        out.append((source(x_dt, t, out_dt, kernel.op, stage, row, kept, red, vec, index,
                           accumulator_size(kernel.acc, t)), KERNEL))
    return out
