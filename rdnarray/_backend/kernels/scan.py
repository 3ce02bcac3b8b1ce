"""Cumulative sums and products on the GPU (cumsum, cumprod, nancumsum, nancumprod) with
``src_hip/cumulative.hip`` (and ``reduce.hip`` for chunk totals).

``run(backend, name, x, axis, dtype, out)`` writes the scan of ``x`` along ``axis`` into ``out`` (allocated
by the core, any strides; ``dtype`` is the accumulation dtype, float16 accumulating in float32) and returns
``out``, or NotImplemented (before any write) for what it does not cover (complex -> real accumulation).

* Layout: the other axes are the batch (B rows): size-1 axes drop, negative strides flip, they sort by
  stride and merge; the scanned axis keeps its order. Rows go one per thread (``column``: the axis is not
  the contiguous dimension, or rows are short), one per warp (rows up to 64 warps long) or one per block.
* Few long rows split into chunks: reduce.hip (STAGE 1) writes each chunk's total, cumulative.hip scans
  the totals in place, then scans every chunk from the total of the chunks before it. Three launches,
  no atomics, the same bits every run; float sums are added in a different order than NumPy's sequential
  loop (equal within rounding). Integer sums wrap exactly like NumPy's.
* ``out`` may be ``x`` itself (same layout and item size: each element is read before it is written);
  another overlap goes through a temporary.

``examples()`` lists representative instantiations for the compile checks.
"""
import numpy as np

from . import reduction as _reduction
from . import fill
from .ctypes import CTYPE

OPTIONS = ("-std=c++17",)
KERNEL = "rp_scan_axis"
BLOCK = 256
ITEMS = 4                     # cumulative.hip's tiles per iteration
BLOCKS_PER_CU = 8
SPLIT_MAX = 65535
INDEX32_LIMIT = _reduction.INDEX32_LIMIT
COLUMN, WARP, BLOCKWISE = 0, 1, 2

_F16, _F32 = np.dtype(np.float16), np.dtype(np.float32)

# name -> (the operation on elements, the operation on accumulated totals)
OPS = {
    "cumsum": ("rp_red::Sum<in_t, T, false>", "rp_red::Sum<in_t, T, false>"),
    "nancumsum": ("rp_red::Sum<in_t, T, true>", "rp_red::Sum<in_t, T, false>"),
    "cumprod": ("rp_red::Prod<in_t, T, false>", "rp_red::Prod<in_t, T, false>"),
    "nancumprod": ("rp_red::Prod<in_t, T, true>", "rp_red::Prod<in_t, T, false>"),
}


def collapse(shape, x_strides, out_strides, axis):
    """(batch, (n, x stride, out stride) of the axis, x_shift, out_shift): batch = [(n, x stride, out
    stride)] in C order after dropping size-1 axes, flipping negative strides, sorting and merging;
    at least one entry (a (1, 0, 0) stand-in)."""
    batch = []
    x_shift = out_shift = 0
    for a, (n, s, o) in enumerate(zip(shape, x_strides, out_strides)):
        if a == axis or n == 1:
            continue
        if s < 0:
            x_shift += (n - 1) * s
            out_shift += (n - 1) * o
            s, o = -s, -o
        batch.append((n, s, o))
    batch.sort(key=lambda d: -d[1])
    merged = []
    for d in batch:
        if merged:
            p = merged[-1]
            if p[1] == d[0] * d[1] and p[2] == d[0] * d[2]:
                merged[-1] = (p[0] * d[0], d[1], d[2])
                continue
        merged.append(d)
    return merged or [(1, 0, 0)], (shape[axis], x_strides[axis], out_strides[axis]), x_shift, out_shift


def geometry(B, N, axis_stride, batch, warp, cu, split=True):
    """(mode, lanes, blocks, S, chunk) for B rows of N elements."""
    inner = min(abs(d[1]) for d in batch) if B > 1 else 0
    if N <= 8 or (B >= BLOCK and abs(axis_stride) > inner):
        mode, lanes = COLUMN, 1
    elif N <= 64 * warp and B * warp > BLOCK:
        mode, lanes = WARP, warp
    else:
        mode, lanes = BLOCKWISE, BLOCK
    blocks = -(-B // (BLOCK // lanes))
    min_chunk = 64 if mode == COLUMN else 4 * ITEMS * lanes
    s = 1
    if split and blocks < BLOCKS_PER_CU * cu and N >= 2 * min_chunk:
        s = max(1, min(-(-BLOCKS_PER_CU * cu // blocks), N // min_chunk, SPLIT_MAX))
    chunk = N
    if s > 1:
        chunk = -(-N // s)
        s = -(-N // chunk)
    return mode, lanes, blocks, s, chunk


# ---- sources ------------------------------------------------------------------------------------------

_sources = {}


def source(in_dtype, t, out_dtype, op, mode=BLOCKWISE, batch=1, index="int32_t"):
    """cumulative.hip filled for one instantiation (``t``: the accumulation dtype, float16 widened)."""
    in_dtype, t, out_dtype = np.dtype(in_dtype), np.dtype(t), np.dtype(out_dtype)
    key = (in_dtype, t, out_dtype, op, mode, batch, index)
    s = _sources.get(key)
    if s is None:
        s = _sources[key] = fill("cumulative.hip", {
            "IN": CTYPE[in_dtype], "T": CTYPE[t], "OUT": CTYPE[out_dtype], "OP": op, "INDEX": index,
            "MODE": str(mode), "BATCH": str(batch)})
    return s


def _fmt(batch):
    # x, out, Layout (one by-value struct), B, N, chunk, lanes, carry
    return f"PP{3 * batch + 2}qqqqiP"


# ---- plans --------------------------------------------------------------------------------------------

class _Launch:
    __slots__ = ("fn", "grid", "fmt", "args")

    def __init__(self, fn, grid, fmt, args):
        self.fn, self.grid, self.fmt, self.args = fn, grid, fmt, args


class _Plan:
    __slots__ = ("scan", "totals", "scan_totals", "total_bytes", "x_shift", "out_shift", "x_ext", "out_ext")


def _plan(backend, name, x, axis, t, out):
    batch, (N, axis_x, axis_out), x_shift, out_shift = collapse(x.shape, x._strides, out._strides, axis)
    B = 1
    for d in batch:
        B *= d[0]
    index = "int32_t" if B < INDEX32_LIMIT and N < INDEX32_LIMIT else "int64_t"
    warp, cu = backend.props["warp_size"], backend.props["compute_units"]
    mode, lanes, blocks, S, chunk = geometry(B, N, axis_x, batch, warp, cu)
    element_op, total_op = OPS[name]
    shapes = tuple(d[0] for d in batch)
    bx, bo = tuple(d[1] for d in batch), tuple(d[2] for d in batch)
    fmt = _fmt(len(batch))

    p = _Plan()
    p.x_shift, p.out_shift = x_shift, out_shift
    p.x_ext = _reduction._extent(x.shape, x._strides, x.dtype.itemsize)
    p.out_ext = _reduction._extent(out.shape, out._strides, out.dtype.itemsize)
    src = source(x.dtype, t, out.dtype, element_op, mode, len(batch), index)
    p.scan = _Launch(backend.function(src, KERNEL, OPTIONS), (blocks, S, 1), fmt,
                     shapes + bx + bo + (axis_x, axis_out, B, N, chunk, lanes))
    p.totals = p.scan_totals = None
    p.total_bytes = 0
    if S == 1:
        return p
    # 1. chunk totals [chunk][row] with reduce.hip's STAGE 1 (the same chunks, the same element op)
    acc = t.itemsize
    part = _reduction._contiguous(shapes, acc)
    row = B == 1 or abs(axis_x) <= abs(batch[-1][1])
    ry = _reduction.geometry(B, N, row, warp, cu, split=False)[0]
    rsrc = _reduction.source(x.dtype, t, t, element_op, stage=1, row=row, kept=len(batch), red=1, vec=1,
                             index=index, acc_size=acc)
    p.totals = _Launch(backend.function(rsrc, _reduction.KERNEL, _reduction.OPTIONS),
                       (-(-B // (BLOCK // ry)), S, 1), _reduction._fmt(len(batch), 1),
                       shapes + bx + part + (N, axis_x) + (B, N, chunk, ry, B * acc))
    # 2. scan of each row's S totals, in place
    tb = tuple((n, s, s) for n, s in zip(shapes, part))
    mode2, lanes2, blocks2, _, _ = geometry(B, S, B * acc, tb, warp, cu, split=False)
    tsrc = source(t, t, t, total_op, mode2, len(batch), index)
    p.scan_totals = _Launch(backend.function(tsrc, KERNEL, OPTIONS), (blocks2, 1, 1), fmt,
                            shapes + part + part + (B * acc, B * acc, B, S, S, lanes2))
    p.total_bytes = S * B * acc
    return p


_plans = {}


def run(backend, name, x, axis, dtype, out):
    """``out`` = the cumulative ``name`` of ``x`` along ``axis``, or NotImplemented (nothing written)."""
    if name not in OPS:
        return NotImplemented
    if x.size == 0:
        return out
    xp = x._buffer.ptr + x._offset
    op = out._buffer.ptr + out._offset
    key = (backend, name, x.dtype, dtype, out.dtype, x.shape, x._strides, axis, out._strides)
    p = _plans.get(key)
    if p is None:
        d = np.dtype(dtype) if dtype is not None else out.dtype
        t = _F32 if d == _F16 else d
        if (x.dtype not in CTYPE or out.dtype not in CTYPE or t not in CTYPE
                or (x.dtype.kind == "c" and t.kind != "c")):
            p = NotImplemented
        else:
            p = _plan(backend, name, x, axis, t, out)
        _plans[key] = p
    if p is NotImplemented:
        return p
    if xp + p.x_ext[0] < op + p.out_ext[1] and op + p.out_ext[0] < xp + p.x_ext[1] and not (
            xp == op and x._strides == out._strides and x.dtype.itemsize == out.dtype.itemsize):
        tmp = backend.empty(out.shape, out.dtype)
        if run(backend, name, x, axis, dtype, tmp) is NotImplemented:
            return NotImplemented
        backend.copy(tmp, out)
        return out
    block = (BLOCK, 1, 1)
    stream = backend.stream
    x0, o0 = xp + p.x_shift, op + p.out_shift
    carry = 0
    tmp = None
    if p.totals is not None:
        tmp = backend.empty((p.total_bytes,), np.uint8)
        carry = tmp._buffer.ptr
        r, s = p.totals, p.scan_totals
        r.fn.launch(r.grid, block, 0, stream, (x0, carry) + r.args + (0, 0.0, 0.0), r.fmt)
        s.fn.launch(s.grid, block, 0, stream, (carry, carry) + s.args + (0,), s.fmt)
    c = p.scan
    c.fn.launch(c.grid, block, 0, stream, (x0, o0) + c.args + (carry,), c.fmt)
    del tmp  # stream-ordered pool: reused only by later work on this stream
    return out


def examples():
    """(source, kernel name) of representative instantiations, for the compile checks (CI, AMD)."""
    cases = [
        # (name, x, T, out, mode, batch, index)
        ("cumsum", "f", "f", "f", BLOCKWISE, 1, "int32_t"),
        ("cumsum", "f", "f", "f", WARP, 1, "int32_t"),
        ("cumsum", "f", "f", "f", COLUMN, 2, "int32_t"),
        ("cumsum", "d", "d", "d", BLOCKWISE, 1, "int64_t"),
        ("cumsum", "?", "q", "q", WARP, 1, "int32_t"),
        ("cumsum", "b", "q", "q", COLUMN, 1, "int32_t"),
        ("cumsum", "D", "D", "D", BLOCKWISE, 2, "int32_t"),
        ("nancumsum", "e", "f", "e", BLOCKWISE, 1, "int32_t"),
        ("nancumsum", "F", "F", "F", WARP, 3, "int32_t"),
        ("cumprod", "h", "q", "q", COLUMN, 1, "int64_t"),
        ("cumprod", "Q", "Q", "Q", BLOCKWISE, 1, "int32_t"),
        ("nancumprod", "d", "d", "d", WARP, 1, "int32_t"),
        ("cumprod", "D", "D", "D", COLUMN, 1, "int32_t"),
    ]
    out = []
    for name, xc, tc, oc, mode, batch, index in cases:
        out.append((source(np.dtype(xc), np.dtype(tc), np.dtype(oc), OPS[name][0], mode, batch, index), KERNEL))
    # Totals of totals: the accumulation type in and out, the plain op.
    out.append((source(_F32, _F32, _F32, OPS["nancumsum"][1], COLUMN, 1, "int32_t"), KERNEL))
    return out
