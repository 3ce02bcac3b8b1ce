"""Elementwise kernels: every op of ``_core/ops.py`` and dtype casts, from ``src_hip/elementwise.hip``.

``run(backend, op, inputs, outs, compute_dtype=None)`` computes ``outs = op(*inputs)``; ``op`` is a row
of ops.py, or ``"cast"`` (one input, copied into ``outs[0]`` with NumPy's unsafe cast). The core has
resolved everything (see host.pyx's contract): inputs are arrays already broadcast to the output
shape (zero strides allowed) or Python scalars, ``outs`` are allocated arrays of that shape (any
strides), and the dtypes were promoted. ``backend`` provides ``function(source, name)``, ``stream``,
``props["compute_units"]`` and ``empty(shape, dtype)`` (for the copies below). What happens here:

* Types: the loop ("compute") dtype follows the core (elementwise.pyx ``_resolve``): the promoted
  input dtype, or the result dtype for ops whose rule converts the inputs (sin of int8 computes in
  float16, true division of integers in float64). Each input is converted to it on load, each
  result to its output's dtype on store, so ``int8 + float32`` or ``out=`` of another dtype need no
  temporary. Comparisons keep mixed int64/uint64 operands, and Python ints outside the array's
  range, exact (NumPy's comparison loops do). Python scalars are converted here and passed by value.
* Layout: size-1 dimensions are dropped, dimensions ordered by the first output's strides and
  adjacent ones merged when every operand allows. One dense dimension left (every array operand
  contiguous, in the same order) runs the contiguous kernel, with 16-byte vector loads and stores
  when every pointer is aligned for them; anything else runs the strided kernel for exactly that
  many dimensions (NumPy's limit of 64 keeps the by-value stride block under 4 KiB). A 0-d or fully
  broadcast input is read once per thread (BCAST). Indices are 32-bit when every element index and
  byte offset fits, else 64-bit.
* Overlap: an input that shares memory with an output in a different layout (``a[1:] += a[:-1]``)
  is copied first, as NumPy does, so results never depend on the order threads run in.
* Errors as NumPy's: a Python int outside the compute dtype (``uint8 + 300``) raises OverflowError,
  a negative Python int exponent of an integer power ValueError, an op NumPy has no loop for (cbrt of
  complex) TypeError. An integer array exponent is not checked (that would need a device round
  trip): a negative one gives the integer truncation of x ** -n (0 unless |x| == 1).
* Hot path: everything but pointers and scalar values is planned once per (op, dtypes, shape,
  strides, pointer alignment, scalar types) and kept in a dict: a repeated call builds that key,
  looks it up, and launches.

``examples()`` lists instantiations for compile checks (NVRTC here, clang/hiprtc for AMD).
"""
import struct

import numpy as np

from ..._core import dtypes as _dt
from ..._core import ops as _ops
from ..._core.ndarray import ndarray
from . import fill
from .ctypes import CTYPE

BLOCK = 256               # threads per block: a multiple of every warp size (32, 64)
BLOCKS_PER_CU = 16        # grid-stride loops: resident blocks enough to hide memory latency (H100: best of 8-32)
VECTOR_BYTES = 16         # widest load per operand per element group
MAX_NDIM = 64
_INT32_MAX = 2**31 - 1
ARRAY, BCAST, SCALAR = 0, 1, 2

_BOOL = np.dtype(np.bool_)
_INT64, _UINT64, _FLOAT64 = np.dtype(np.int64), np.dtype(np.uint64), np.dtype(np.float64)
_SCALARS = (bool, int, float, complex)
_COMPARISONS = frozenset(("equal", "not_equal", "greater", "greater_equal", "less", "less_equal"))
_NEGATIVE_POWER = "Integers to negative integer powers are not allowed."

# How each output dtype follows from the compute dtype (the result rules of ops.py).
_RESULT = {
    "same": lambda dt: dt, "int": lambda dt: dt, "float": lambda dt: dt, "divide": lambda dt: dt,
    "float64": lambda dt: dt, "bool": lambda dt: _BOOL, "real": _dt.real_of,
    "int32": lambda dt: np.dtype(np.int32), "uint8": lambda dt: np.dtype(np.uint8),
}
# Rules under which the inputs are converted to the result dtype before the op (else: the promoted one).
_CONVERTING = {
    "float": _dt.float_result,
    "divide": lambda dt: dt if dt.kind in "fc" else _FLOAT64,
    "int": _dt.int_result,
    "float64": lambda dt: np.promote_types(dt, _FLOAT64),
}


# ---- the source ----------------------------------------------------------------------------------

def source(values):
    """elementwise.hip with every ``/*@KEY@*/ default`` replaced by ``values[KEY]``."""
    return fill("elementwise.hip", values)


def _values(opname, in_dtypes, kinds, x_dtypes, r_dtypes, out_dtypes, ndim, vec, wide):
    """The placeholder values of one instantiation (unary ops and single outputs padded)."""
    nin, nout = len(x_dtypes), len(out_dtypes)
    if nin == 1:  # the second input: an ignored scalar of the first one's type
        in_dtypes, kinds, x_dtypes = in_dtypes + (x_dtypes[0],), kinds + (SCALAR,), x_dtypes + x_dtypes
    if nout == 1:
        r_dtypes, out_dtypes = r_dtypes + r_dtypes, out_dtypes + out_dtypes
    return {
        "op_t": "rp::op::" + opname,
        "in0_t": CTYPE[in_dtypes[0]], "in1_t": CTYPE[in_dtypes[1]],
        "x0_t": CTYPE[x_dtypes[0]], "x1_t": CTYPE[x_dtypes[1]],
        "r0_t": CTYPE[r_dtypes[0]], "r1_t": CTYPE[r_dtypes[1]],
        "out0_t": CTYPE[out_dtypes[0]], "out1_t": CTYPE[out_dtypes[1]],
        "index_t": "int64_t" if wide else "int32_t",
        "NIN": nin, "NOUT": nout, "KIND0": kinds[0], "KIND1": kinds[1],
        "NDIM": ndim, "VEC": vec, "BLOCK": BLOCK,
    }


# ---- types -----------------------------------------------------------------------------------------

class _Types:
    """The dtypes of one call signature: per input its compute dtype (and the dtype a Python scalar
    is converted to), per output the op's result dtype; the C++ op struct name."""
    __slots__ = ("opname", "x", "r", "negative_power_check")

    def __init__(self, opname, x, r, negative_power_check=False):
        self.opname, self.x, self.r, self.negative_power_check = opname, x, r, negative_power_check


_types_cache = {}
_numpy_loops = {}


def _numpy_has_loop(op, dt):
    """Whether NumPy's ufunc has a loop taking ``dt`` (safely cast), as the CPU backend needs; for
    functions NumPy lacks for some category (cbrt, spacing, deg2rad of complex)."""
    k = (op.numpy, dt)
    r = _numpy_loops.get(k)
    if r is None:
        u = getattr(np, op.numpy)
        r = _numpy_loops[k] = any(np.can_cast(dt, np.dtype(t[0]), "safe") for t in u.types
                                  if t[0] not in "OmMV" and "O" not in t)
    return r


def _scalar_dtype(value, dt):
    """The dtype a Python scalar operand of a comparison is converted to: ``dt``, unless it is an int
    outside an integer ``dt``'s range (then int64, uint64 or float64 keep the comparison exact)."""
    if type(value) is not int or dt.kind not in "iu":
        return dt
    info = np.iinfo(dt)
    if info.min <= value <= info.max:
        return dt
    if -2**63 <= value < 2**63:
        return _INT64
    return _UINT64 if 0 <= value < 2**64 else _FLOAT64


def _resolve(op, keys, compute_dtype):
    """The _Types of a call with inputs ``keys`` (dtypes of arrays, types of Python scalars)."""
    ck = (op, keys, compute_dtype)
    t = _types_cache.get(ck)
    if t is not None:
        return t
    if isinstance(op, str):  # 'cast' / 'copy': the identity on the input's own dtype
        if len(keys) != 1 or isinstance(keys[0], type):
            raise TypeError(f"elementwise {op}: one array input expected")
        t = _Types("copy", (keys[0],), (keys[0],))
    else:
        promoted = _dt.result_type(*[k() if isinstance(k, type) else k for k in keys]) \
            if compute_dtype is None else np.dtype(compute_dtype)
        rule = op.results[0]
        loop = promoted
        if rule in _CONVERTING:
            loop = _dt.float_result_of(keys) if rule == "float" and compute_dtype is None \
                else _CONVERTING[rule](promoted)
        if not _numpy_has_loop(op, loop):
            names = ", ".join(k.__name__ if isinstance(k, type) else str(k) for k in keys)
            raise TypeError(f"{op.name}: no loop for dtype {loop} (inputs {names}), as in NumPy")
        x = [loop] * op.nin
        if op.name in _COMPARISONS and loop.kind in "fiu" and len(keys) == 2:
            a, b = keys
            if {a, b} == {_INT64, _UINT64}:  # NumPy compares these exactly, not in float64
                x = [a, b]
        t = _Types(op.name, tuple(x), tuple(_RESULT[r](loop) for r in op.results),
                   op.name == "pow" and loop.kind == "i")
    _types_cache[ck] = t
    return t


def _pack_scalar(value, dt):
    """A Python scalar as the kernel's by-value 16 bytes (two int64) of its value in ``dt``."""
    raw = np.asarray(value, dtype=dt).tobytes()
    return struct.unpack("2q", raw + bytes(16 - len(raw)))


# ---- layout ----------------------------------------------------------------------------------------

_layouts = {}


def _layout(shape, strides):
    """(shape, strides per operand) with size-1 dimensions dropped, dimensions ordered by the first
    operand's strides (largest first) and adjacent dimensions merged where every operand allows."""
    k = (shape, strides)
    r = _layouts.get(k)
    if r is not None:
        return r
    dims = [d for d in range(len(shape)) if shape[d] != 1]
    dims.sort(key=lambda d: -abs(strides[0][d]))  # stable: C order among equal strides
    out_shape = []
    out_strides = [[] for _ in strides]
    for d in dims:
        if out_shape and all(st[-1] == s[d] * shape[d] for st, s in zip(out_strides, strides)):
            out_shape[-1] *= shape[d]
            for st, s in zip(out_strides, strides):
                st[-1] = s[d]
        else:
            out_shape.append(shape[d])
            for st, s in zip(out_strides, strides):
                st.append(s[d])
    r = (tuple(out_shape), tuple(tuple(st) for st in out_strides))
    if len(_layouts) > 4096:
        _layouts.clear()
    _layouts[k] = r
    return r


def _extent(shape, strides):
    """The largest |byte offset| of any element from element 0."""
    return sum(abs(s) * (n - 1) for n, s in zip(shape, strides))


def _overlaps(a, b):
    """Whether arrays ``a`` and ``b`` share bytes (same allocation and intersecting ranges)."""
    if a._buffer is not b._buffer:
        return False
    lo_a = lo_b = 0
    hi_a, hi_b = a.dtype.itemsize, b.dtype.itemsize
    for n, s in zip(a.shape, a._strides):
        if s < 0:
            lo_a += s * (n - 1)
        else:
            hi_a += s * (n - 1)
    for n, s in zip(b.shape, b._strides):
        if s < 0:
            lo_b += s * (n - 1)
        else:
            hi_b += s * (n - 1)
    return a._offset + lo_a < b._offset + hi_b and b._offset + lo_b < a._offset + hi_a


# ---- launch ----------------------------------------------------------------------------------------

_kernels = {}


def _kernel(backend, key):
    """(Function, fmt) for a kernel key; compiled on first use."""
    k = (backend,) + key
    r = _kernels.get(k)
    if r is None:
        opname, in_dtypes, kinds, x, rr, out_dtypes, ndim, vec, wide = key
        src = source(_values(opname, in_dtypes, kinds, x, rr, out_dtypes, ndim, vec, wide))
        ic = "q" if wide else "i"
        params = [ic, "P", "P"]
        for kind in kinds + ((SCALAR,) if len(kinds) == 1 else ()):
            params.append("2q" if kind == SCALAR else "P")
        params.append(f"{5 * ndim}{ic}" if ndim else ic)
        r = _kernels[k] = (backend.function(src, "rp_elementwise"), "".join(params))
    return r


class _Plan:
    """Everything about a launch that does not change between calls with the same dtypes, shapes,
    strides and pointer alignments: the kernel, its argument format and the argument values except
    the pointers and scalars, which ``launch`` takes per call."""
    __slots__ = ("f", "fmt", "n", "grid", "kinds", "scalar_dtypes", "loop_dtypes", "nout", "tail",
                 "negative_power")

    def launch(self, backend, values):
        """``values``: the output pointers, then per input its pointer or Python scalar."""
        args = [self.n, values[0], values[1] if self.nout == 2 else 0]
        for kind, v, dt in zip(self.kinds, values[self.nout:], self.scalar_dtypes):
            if kind == SCALAR:
                if self.negative_power and v < 0 and dt.kind == "i":
                    raise ValueError(_NEGATIVE_POWER)
                args.extend(_pack_scalar(v, dt))
            else:
                args.append(v)
        args.extend(self.tail)
        self.f.launch((self.grid, 1, 1), (BLOCK, 1, 1), 0, backend.stream, tuple(args), self.fmt)


_plans = {}
_EMPTY = _Plan()  # the plan of a call with no elements: nothing to launch


def run(backend, op, inputs, outs, compute_dtype=None):
    """``outs = op(*inputs)`` on the backend's device and stream; see the module docstring. Returns the
    _Plan it launched (``fastpath.pyx`` keeps it for the next call of the same kind)."""
    key = [backend, op if type(op) is str else op.name, compute_dtype, outs[0].shape]
    values = []
    for o in outs:
        p = o._buffer.ptr + o._offset
        key += (o.dtype, o._strides, p & 15)
        values.append(p)
    for v in inputs:
        if type(v) is ndarray:
            for o in outs:
                if o._buffer is v._buffer and o is not v and _must_copy(o, v):
                    v = _copy(backend, v)
                    break
            p = v._buffer.ptr + v._offset
            key += (v.dtype, v._strides, p & 15)
            values.append(p)
        else:
            key.append(type(v))
            if type(v) is int:  # comparisons pick the scalar's dtype by its range
                key += (v < 0, v.bit_length())
            values.append(v)
    key = tuple(key)
    plan = _plans.get(key)
    if plan is None:
        if len(_plans) > 8192:
            _plans.clear()
        plan = _plans[key] = _plan(backend, op, inputs, outs, compute_dtype)
    if plan is not _EMPTY:
        plan.launch(backend, values)
    return plan


def _must_copy(o, v):
    """Whether input ``v`` overlaps output ``o`` other than element for element (then the kernel could
    read an element after another thread wrote it)."""
    same_layout = o._offset == v._offset and o._strides == v._strides and o.dtype.itemsize == v.dtype.itemsize
    return not same_layout and _overlaps(o, v)


def _plan(backend, op, inputs, outs, compute_dtype):
    """The _Plan of a call (its types, layout, kernel); see the module docstring."""
    t = _resolve(op, tuple([x.dtype if type(x) is ndarray else type(x) for x in inputs]), compute_dtype)
    shape = outs[0].shape
    n = 1
    for s in shape:
        n *= s
    if n == 0:
        return _EMPTY

    # Operands: outputs first (slots 0, 1), then inputs (slots 2, 3).
    arrays = list(outs)
    in_dtypes, kinds, xs = [], [], list(t.x)
    for i, v in enumerate(inputs):
        if type(v) is ndarray:
            in_dtypes.append(v.dtype)
            if not any(v._strides):  # 0-d, or broadcast along every dimension
                kinds.append(BCAST)
            else:
                kinds.append(ARRAY)
                arrays.append(v)
        else:
            if type(v) not in _SCALARS:
                raise TypeError(f"elementwise {t.opname}: input {i} is a {type(v).__name__}, "
                                "not an array or a Python scalar")
            if t.opname in _COMPARISONS:
                xs[i] = _scalar_dtype(v, xs[i])
            in_dtypes.append(xs[i])
            kinds.append(SCALAR)

    # Layout of the array operands (outputs and ARRAY inputs).
    lshape, lstrides = _layout(shape, tuple([a._strides for a in arrays]))
    ndim = len(lshape)
    ptrs = [a._buffer.ptr + a._offset for a in arrays]
    contiguous = ndim <= 1 and all(len(st) == 0 or st[0] == a.dtype.itemsize for st, a in zip(lstrides, arrays))
    vec = 1
    if contiguous:
        vec = max(1, VECTOR_BYTES // max(a.dtype.itemsize for a in arrays))
        while vec > 1 and any(p % (a.dtype.itemsize * vec) for p, a in zip(ptrs, arrays)):
            vec //= 2
        if any(p % a.dtype.itemsize for p, a in zip(ptrs, arrays)):
            contiguous = False  # misaligned elements: the strided kernel reads them one by one
            if ndim == 0:
                lshape, lstrides, ndim = (1,), tuple((0,) for _ in arrays), 1
    if ndim > MAX_NDIM:
        raise ValueError(f"elementwise {t.opname}: {ndim} dimensions, at most {MAX_NDIM} supported")
    wide = n > _INT32_MAX or (not contiguous and any(_extent(lshape, st) + a.dtype.itemsize > _INT32_MAX
                                                     for st, a in zip(lstrides, arrays)))
    nd = 0 if contiguous else ndim

    plan = _Plan()
    plan.f, plan.fmt = _kernel(backend, (t.opname, tuple(in_dtypes), tuple(kinds), tuple(xs), t.r,
                                         tuple(o.dtype for o in outs), nd, vec, wide))
    plan.n, plan.nout, plan.kinds, plan.scalar_dtypes = n, len(outs), tuple(kinds), tuple(xs)
    plan.loop_dtypes = t.x  # scalar_dtypes differs where a comparison's int scalar is out of range
    plan.negative_power = t.negative_power_check
    tail = [0, 0] if len(kinds) == 1 else []  # the unary op's ignored second input
    if nd:
        # Slots out0, out1, in0, in1; absent operands (second output, BCAST/SCALAR inputs) stride 0.
        by_slot = [lstrides[0], lstrides[1] if len(outs) == 2 else None]
        k = len(outs)
        for kind in kinds + [SCALAR] * (2 - len(kinds)):
            if kind == ARRAY:
                by_slot.append(lstrides[k])
                k += 1
            else:
                by_slot.append(None)
        tail.extend(lshape)
        for st in by_slot:
            tail.extend(st if st is not None else (0,) * nd)
    else:
        tail.append(0)
    plan.tail = tuple(tail)
    work = -(-n // vec) if nd == 0 else n
    plan.grid = max(1, min(-(-work // BLOCK), backend.props["compute_units"] * BLOCKS_PER_CU))
    return plan


def _copy(backend, x):
    """A C-contiguous copy of ``x`` on the same device (for inputs that overlap an output)."""
    out = backend.empty(x.shape, x.dtype)
    run(backend, "copy", (x,), (out,))
    return out


# ---- examples for the AMD compile check -------------------------------------------------------------

# One dtype per code path of ops.h: bool, signed and unsigned integers, each float and complex width.
_EXAMPLE_DTYPES = [np.dtype(c) for c in "?ibHefdFD"]

# (op, compute type) of examples(quick=True): between them they touch each part of ops.h and complex.h,
# both layouts (an op's strided 64-bit example is its first dtype's) and casts.
_QUICK = {("add", "bool"), ("add", "rp::half"), ("add", "rp::complex<double>"), ("floor_divide", "int32_t"),
          ("floor_divide", "uint16_t"), ("floor_divide", "double"), ("divmod", "float"), ("frexp", "rp::half"),
          ("pow", "int32_t"), ("pow", "rp::complex<float>"), ("acosh", "rp::complex<double>"), ("acosh", "float"),
          ("less", "rp::complex<float>"), ("less", "uint16_t"), ("bitwise_count", "int32_t"),
          ("sign", "rp::complex<float>"), ("expm1", "rp::complex<float>"), ("nextafter", "rp::half"),
          ("spacing", "double"), ("copy", "rp::complex<float>")}


def examples(quick=False):
    """[(source, kernel name)] for compile checks: every op for each of _EXAMPLE_DTYPES it has a loop
    for (contiguous, 32-bit indices), per op one strided 64-bit instantiation with a broadcast input,
    and casts between every pair of dtype kinds: about 600 sources. ``quick``: the ~30 of _QUICK."""
    out = {}  # source -> name; dtypes that compute alike (sin of bool and of int8) give one source

    def add(opname, ins, kinds, x, r, outs, ndim, vec, wide):
        if not quick or (opname, CTYPE[x[0]]) in _QUICK:
            out[source(_values(opname, tuple(ins), tuple(kinds), tuple(x), tuple(r), tuple(outs),
                               ndim, vec, wide))] = "rp_elementwise"

    for op in _ops.UNARY + _ops.BINARY:
        first = None
        for dt in _EXAMPLE_DTYPES:
            if not _dt.in_category(dt, op.accepts):
                continue
            try:
                t = _resolve(op, (dt,) * op.nin, None)
            except TypeError:
                continue
            if first is None:
                first = t
            vec = max(1, VECTOR_BYTES // max([d.itemsize for d in t.x + t.r]))
            add(t.opname, t.x, [ARRAY] * op.nin, t.x, t.r, t.r, 0, vec, False)
        kinds = [ARRAY, BCAST][:op.nin]
        add(first.opname, first.x, kinds, first.x, first.r, first.r, 3, 1, True)
    for a in ("?", "i", "H", "e", "d", "F"):
        for b in ("?", "b", "Q", "f", "d", "D"):
            da, db = np.dtype(a), np.dtype(b)
            add("copy", [da], [ARRAY], [da], [da], [db], 0, 1, False)
    return list(out.items())
