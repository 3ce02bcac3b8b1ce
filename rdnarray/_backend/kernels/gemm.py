"""Matrix products (NumPy's ``matmul``) with our own tiled kernels, ``src_hip/gemm.hip``.

The core has checked shapes and casting and computed ``dtype``; this module plans the launch:

* 1-D operands become a 1 x K row / K x 1 column (zero stride on the added axis) and the result
  loses that axis, as in NumPy; batch dimensions broadcast (zero strides) and adjacent ones collapse,
  so one launch covers up to two of them; further ones loop here.
* float32 / float64 run ``rp_gemm_tiled``, which reads each operand either row-major or transposed:
  ``x @ y.mT`` and friends need no copy; an operand with neither unit stride is copied contiguous.
  A result with unit row stride (column-major) is computed as C^T = B^T A^T.
* Every other dtype (and any strides) runs ``rp_gemm_generic``: float16 sums in float32, integers in
  unsigned arithmetic (wraps like NumPy), bool as logical or of ands, complex in its own type.
* ``out`` is written directly when it has ``dtype``, overlaps neither input nor itself; otherwise the
  product goes to a temporary that ``backend.copy`` casts into ``out``.

Anything outside this (dtypes without a kernel, dimensions past 2**31) returns NotImplemented before
any write, and the executor runs NumPy on the host instead.
"""
import itertools

import numpy as np

from . import fill
from .ctypes import CTYPE

# Sum type of rp_gemm_generic per result dtype: products of smaller integers are summed in 32-bit
# unsigned arithmetic, which wraps modulo 2**32 and so agrees with NumPy's wrapping in the narrow type.
_ACC = {
    "?": "bool", "b": "uint32_t", "B": "uint32_t", "h": "uint32_t", "H": "uint32_t", "i": "uint32_t",
    "I": "uint32_t", "l": "uint64_t", "L": "uint64_t", "q": "uint64_t", "Q": "uint64_t", "e": "float",
    "f": "float", "d": "double", "F": "rp::complex<float>", "D": "rp::complex<double>",
}
_TILED = frozenset("fd")       # dtypes rp_gemm_tiled serves
_TILE = {"rp_gemm_tiled": 128, "rp_gemm_generic": 64}
_THREADS = 256
_GRID_MAX = 2**31 - 1
_DIM_MAX = 2**31 - 1024        # M, N, K: the kernels' int index math stays clear of overflow
_FMT = {"rp_gemm_tiled": "PPPiii" + "qqq" + "i" + "qqqqqq",
        "rp_gemm_generic": "PPPiii" + "qqqqqq" + "i" + "qqqqqq"}

_sources = {}                  # (dtype char, TRANS_A, TRANS_B, VEC) -> filled source


def kernel_name(dtype):
    """The kernel that computes products of ``dtype``."""
    return "rp_gemm_tiled" if np.dtype(dtype).char in _TILED else "rp_gemm_generic"


def source(dtype, trans_a=False, trans_b=False, vec=False):
    """gemm.hip filled for result ``dtype``: the source of ``kernel_name(dtype)`` (for rp_gemm_tiled, with
    the operands' layouts and alignment)."""
    dtype = np.dtype(dtype)
    key = (dtype.char, trans_a, trans_b, vec)
    s = _sources.get(key)
    if s is None:
        s = _sources[key] = fill("gemm.hip", {
            "TILED": "1" if dtype.char in _TILED else "0", "T": CTYPE[dtype], "ACC": _ACC[dtype.char],
            "TRANS_A": _cbool(trans_a), "TRANS_B": _cbool(trans_b), "VEC": _cbool(vec)})
    return s


def _cbool(v):
    return "true" if v else "false"


def examples():
    """(source, kernel name) of every kind of instantiation, for the compile checks (CI, AMD): the tiled
    kernel's layouts and alignments, and the generic one for each accumulator type and element width."""
    out = [(source(np.float32, ta, tb, True), "rp_gemm_tiled")
           for ta, tb in itertools.product((False, True), repeat=2)]
    out.append((source(np.float32, False, True, False), "rp_gemm_tiled"))
    out.append((source(np.float64, True, False, True), "rp_gemm_tiled"))
    out += [(source(np.dtype(c)), "rp_gemm_generic") for c in "?bHiQeFD"]
    return out


# ---- operands --------------------------------------------------------------------------------------

class _Operand:
    """A batch of matrices: ``ptr`` the address of element [0, ..., 0]; ``batch`` its strides along the
    result's batch axes, ``rs``/``cs`` its row and column strides, all in elements."""
    __slots__ = ("ptr", "batch", "rs", "cs")

    def __init__(self, ptr, batch, rs, cs):
        self.ptr, self.batch, self.rs, self.cs = ptr, batch, rs, cs

    def transposed(self):
        return _Operand(self.ptr, self.batch, self.cs, self.rs)


def _strides(x):
    """Element strides of ``x``, or None when a byte stride is not a multiple of the item size."""
    size = x.dtype.itemsize
    if any(s % size for s in x._strides):
        return None
    return tuple(s // size for s in x._strides)


def _extent(x):
    """[lo, hi) of the bytes ``x`` touches; (0, 0) when it is empty."""
    if 0 in x.shape:
        return 0, 0
    lo = hi = x._buffer.ptr + x._offset
    for n, s in zip(x.shape, x._strides):
        if s < 0:
            lo += (n - 1) * s
        else:
            hi += (n - 1) * s
    return lo, hi + x.dtype.itemsize


def _operand(x, strides, batch_shape, vector_axis):
    """``x`` (strides ``strides``) as a batch of matrices against the result's ``batch_shape``.
    ``vector_axis``: for a 1-D ``x``, where the added length-1 axis goes (0: a row, 1: a column)."""
    shape = tuple(x.shape)
    if len(shape) == 1:
        if vector_axis == 0:
            shape, strides = (1,) + shape, (0,) + strides
        else:
            shape, strides = shape + (1,), strides + (0,)
    nb = len(batch_shape)
    lead = nb - (len(shape) - 2)
    batch = tuple(0 if i < lead or shape[i - lead] == 1 else strides[i - lead] for i in range(nb))
    # A stride along a length-1 axis is never used: 0 keeps the layout and alignment tests simple.
    return _Operand(x._buffer.ptr + x._offset, batch, strides[-2] if shape[-2] > 1 else 0,
                    strides[-1] if shape[-1] > 1 else 0)


def _no_self_overlap(shape, strides):
    """True when no two elements of (shape, strides) share memory (a sufficient test: sorted by stride,
    each stride spans everything the smaller ones reach)."""
    dims = sorted((abs(s), n) for n, s in zip(shape, strides) if n > 1)
    reach = 1
    for s, n in dims:
        if s < reach:
            return False
        reach = s * (n - 1) + reach
    return True


def _collapse(sizes, *stride_lists):
    """Batch axes of length > 1, adjacent ones merged where every operand steps through them evenly:
    a list of (size, (stride of each operand))."""
    dims = [(n, tuple(sl[i] for sl in stride_lists)) for i, n in enumerate(sizes) if n > 1]
    merged = []
    for n, st in dims:
        if merged:
            pn, pst = merged[-1]
            if all(p == s * n for p, s in zip(pst, st)):
                merged[-1] = (pn * n, st)
                continue
        merged.append((n, st))
    return merged


# ---- the entry point ------------------------------------------------------------------------------

def matmul(backend, x1, x2, out=None, dtype=None, casting=None):
    """``np.matmul(x1, x2, out=out, dtype=dtype)`` on the GPU; the result (``out`` when given), or
    NotImplemented. The core has checked ``casting``; the cast into ``out`` is unsafe."""
    dt = np.dtype(dtype) if dtype is not None else np.result_type(x1.dtype, x2.dtype)
    if (dt.char not in _ACC or dt not in CTYPE or not dt.isnative or not x1.dtype.isnative
            or not x2.dtype.isnative or (out is not None and not out.dtype.isnative)):
        return NotImplemented
    v1, v2 = len(x1.shape) == 1, len(x2.shape) == 1
    M = 1 if v1 else x1.shape[-2]
    K = x1.shape[-1]
    N = 1 if v2 else x2.shape[-1]
    batch_shape = tuple(np.broadcast_shapes(tuple(x1.shape[:-2]), tuple(x2.shape[:-2])))
    shape = batch_shape + (() if v1 else (M,)) + (() if v2 else (N,))
    tiled = dt.char in _TILED
    tile = _TILE[kernel_name(dt)]
    if max(M, N, K) > _DIM_MAX or -(-M // tile) * -(-N // tile) > _GRID_MAX:
        return NotImplemented

    a = _contiguous_if_odd(backend, _cast(backend, x1, dt))
    b = _contiguous_if_odd(backend, _cast(backend, x2, dt))
    target = out if out is not None and _writable_directly(out, dt, a, b) else None
    if target is not None and tiled and _unit_axis(_result(target, batch_shape, v1, v2, M, N), M, N) is None:
        target = None  # rp_gemm_tiled writes rows or columns with unit stride
    if target is None:
        target = backend.empty(shape, dt)
    if 0 not in shape:
        A = _operand(a, _strides(a), batch_shape, 0)
        B = _operand(b, _strides(b), batch_shape, 1)
        C = _result(target, batch_shape, v1, v2, M, N)
        if tiled:
            _run_tiled(backend, dt, A, B, C, M, N, K, batch_shape, a, b)
        else:
            _launch_all(backend, "rp_gemm_generic", source(dt), dt, A, B, C, M, N, K, batch_shape,
                        (A.rs, A.cs, B.rs, B.cs, C.rs, C.cs))
    if out is None:
        return target
    if target is not out:
        backend.copy(target, out)
    return out


def _cast(backend, x, dt):
    if x.dtype == dt:
        return x
    y = backend.empty(x.shape, dt)
    backend.copy(x, y)
    return y


def _contiguous_if_odd(backend, x):
    """``x``, or a contiguous copy when a byte stride is not a whole number of elements."""
    return x if _strides(x) is not None else backend.contiguous(x)


def _writable_directly(out, dt, a, b):
    """Whether the kernel may write ``out`` itself: the dtype is the product's, no two elements share
    memory, and neither input overlaps it."""
    so = _strides(out)
    if out.dtype != dt or so is None or not _no_self_overlap(out.shape, so):
        return False
    lo, hi = _extent(out)
    return not any(lo < h and l < hi for l, h in (_extent(a), _extent(b)))


def _result(target, batch_shape, v1, v2, M, N):
    """The result array as an _Operand of shape batch_shape + (M, N)."""
    nb = len(batch_shape)
    st = _strides(target)
    # The result lacks a 1-D operand's axis: a zero stride puts it back.
    st = st[:nb] + ((0,) if v1 else (st[nb],)) + ((0,) if v2 else (st[-1],))
    return _Operand(target._buffer.ptr + target._offset, st[:nb], st[-2] if M > 1 else 0,
                    st[-1] if N > 1 else 0)


def _unit_axis(op, rows, cols):
    """'cs' when ``op``'s column stride is 1 (or unused), 'rs' for its row stride, else None."""
    if op.cs == 1 or cols == 1:
        return "cs"
    if op.rs == 1 or rows == 1:
        return "rs"
    return None


def _run_tiled(backend, dt, A, B, C, M, N, K, batch_shape, a, b):
    """rp_gemm_tiled: C row-major (unit column stride), A and B each row-major or transposed."""
    if _unit_axis(A, M, K) is None:
        a = backend.contiguous(a)
        A = _operand(a, _strides(a), batch_shape, 0)
    if _unit_axis(B, K, N) is None:
        b = backend.contiguous(b)
        B = _operand(b, _strides(b), batch_shape, 1)
    if _unit_axis(C, M, N) == "rs":
        # Column-major result: C^T = B^T A^T, with C^T row-major.
        A, B, C, M, N = B.transposed(), A.transposed(), C.transposed(), N, M
    ta = _unit_axis(A, M, K) == "rs"
    tb = _unit_axis(B, K, N) == "rs"
    lds = (A.cs if ta else A.rs, B.cs if tb else B.rs, C.rs)
    pack = 16 // dt.itemsize
    vec = (all(op.ptr % 16 == 0 and all(s % pack == 0 for s in op.batch) for op in (A, B, C))
           and all(s % pack == 0 for s in lds))
    _launch_all(backend, "rp_gemm_tiled", source(dt, ta, tb, vec), dt, A, B, C, M, N, K, batch_shape, lds)


def _launch_all(backend, kernel, src, dt, A, B, C, M, N, K, batch_shape, matrix_strides):
    """Launch ``kernel`` over the batch: the last two collapsed batch axes in one launch (the grid is
    tiles x batch blocks, at most 2**31 - 1), a loop over any others."""
    tile = _TILE[kernel]
    tiles = -(-M // tile) * -(-N // tile)
    dims = _collapse(batch_shape, A.batch, B.batch, C.batch)
    none = (1, (0, 0, 0))
    if len(dims) >= 2 and tiles * dims[-1][0] <= _GRID_MAX:
        outer, (n0, s0), (n1, s1) = dims[:-2], dims[-2], dims[-1]
    else:  # at most one batch axis per launch: its matrices alone fill the grid
        outer, (n0, s0), (n1, s1) = dims[:-1], (dims[-1] if dims else none), none
    chunk = _GRID_MAX // (tiles * n1)  # matrices of the outer launch axis per launch
    f = backend.function(src, kernel)
    size = dt.itemsize
    for index in itertools.product(*(range(n) for n, _ in outer)):
        offs = [sum(i * st[j] for i, (_, st) in zip(index, outer)) for j in range(3)]
        for start in range(0, n0, chunk):
            count = min(chunk, n0 - start)
            pa, pb, pc = (op.ptr + (offs[j] + start * s0[j]) * size for j, op in enumerate((A, B, C)))
            args = ((pa, pb, pc, M, N, K) + tuple(matrix_strides)
                    + (n1, s0[0], s1[0], s0[1], s1[1], s0[2], s1[2]))
            f.launch((tiles * count * n1, 1, 1), (_THREADS, 1, 1), 0, backend.stream, args, _FMT[kernel])


NATIVE = {"matmul": matmul}
