"""The GPU backend's host fast path: ``empty`` and the common elementwise call, in Cython.

Issue 4: a small op (``a + b`` on 1000 elements) costs what the host spends between the operator and
the kernel launch; the GPU work is a few microseconds. The general path (Backend._general_elementwise,
kernels/elementwise.run) builds a key of every operand's dtype, strides and alignment, then a Python
argument list, and allocates through Python objects: several microseconds per call. Here:

* ``empty(backend, shape, dtype)``: a Block from the Cython pool (memory.pyx), a Buffer and an ndarray
  made in C.
* ``elementwise(backend, op, inputs, shape, out_dtypes, outs, dtype)``, bound as the Backend's method:
  the common case runs here, everything else goes to ``backend._general_elementwise``. The
  common case: no ``out=``, no ``dtype=``, one output, one or two inputs, each an ndarray of exactly
  the output's shape with NumPy's C strides, or a Python bool/int/float.

Why one plan serves every call of a kind: kernels/elementwise.run plans a launch from (op, shape, each
operand's dtype, strides and pointer alignment, each scalar's type, an int scalar's range) and the
_Plan it returns holds everything but the pointers and scalar values. With C strides the strides follow
from shape and dtype, so the key here is (backend, op, shape, input pointer alignments, each input's
dtype or scalar type); the output's dtype, strides and alignment are checked against the plan's on
each call. An int scalar's range changes the plan only for a comparison whose scalar does not fit the
array's dtype; a plan is kept only when each scalar is taken in the loop's own dtype, and a call uses
it only when its scalar fits that dtype, which is exactly when the general path plans the same launch.
The first call of each kind runs the general path and keeps its plan; a call the fast path cannot
take (a scalar out of range, a negative integer exponent, half-precision or complex scalars, other
strides) also goes there, which raises NumPy's errors where they apply. Calls launch the plan's
Function with the argument tuple _Plan.launch would build (tests/test_gpu_fastpath.py compares them).
"""
cimport cython
from cpython.long cimport PyLong_AsLongLongAndOverflow
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from libc.math cimport isinf
from libc.stdint cimport int64_t, uint64_t
from libc.string cimport memcpy

cimport numpy as cnp
import numpy as np

from .._core.ndarray cimport Buffer, make, ndarray
from .memory cimport Block, Pool
from .kernels import elementwise as _ew

cnp.import_array()

cdef tuple _BLOCK = (_ew.BLOCK, 1, 1)

# How a scalar operand is packed: the kernel takes it by value as 16 bytes (two int64), its value in
# the loop dtype followed by zeros (kernels/elementwise._pack_scalar).
cdef enum:
    ARRAY = -1      # not a scalar
    F64 = 0
    F32 = 1
    SINT = 2        # signed integer of `size` bytes
    UINT = 3
    BOOL = 4

cdef dict _PACKERS = {"f": {8: F64, 4: F32}, "i": {1: SINT, 2: SINT, 4: SINT, 8: SINT},
                      "u": {1: UINT, 2: UINT, 4: UINT, 8: UINT}, "b": {1: BOOL}}


# (itemsize,) for itemsize 0..16: one tuple for all 1-d arrays of an itemsize, so that comparing
# strides is mostly an identity check.
cdef list _STRIDES_1D = [(k,) for k in range(17)]


cdef tuple _c_strides(tuple shape, Py_ssize_t itemsize):
    """NumPy's C strides (all zero for an empty array, as NumPy makes them)."""
    cdef Py_ssize_t i, n, nd = len(shape), s = itemsize
    cdef list strides
    if nd == 1 and itemsize <= 16:
        return <tuple>_STRIDES_1D[itemsize if <Py_ssize_t>shape[0] != 0 else 0]
    strides = [0] * nd
    for i in range(nd - 1, -1, -1):
        n = shape[i]
        if n == 0:
            return (0,) * nd
        strides[i] = s
        s *= n
    return tuple(strides)


cdef inline object _device_of(backend):
    dev = backend._device
    return backend.device if dev is None else dev


cdef inline ndarray _new(Pool pool, size_t stream, tuple shape, tuple strides, dtype, size_t nbytes,
                         device):
    """An uninitialized array of ``nbytes`` from ``pool`` for work on ``stream``."""
    cdef Block block = pool.alloc(nbytes, stream)
    cdef Buffer buf = Buffer.__new__(Buffer)
    buf.ptr = block.ptr
    buf.owner = block
    buf.device = device
    return make(buf, shape, strides, 0, dtype)


def empty(backend, shape, dtype):
    """An uninitialized C-contiguous array on the backend's device (Backend.empty)."""
    if not cnp.PyArray_DescrCheck(dtype):
        dtype = np.dtype(dtype)
    if type(shape) is not tuple:
        shape = tuple(shape)
    n = 1
    for s in shape:
        n *= s
    itemsize = dtype.itemsize
    return _new(backend.pool, backend.stream, shape, _c_strides(shape, itemsize), dtype, n * itemsize,
                _device_of(backend))


# ---- elementwise ------------------------------------------------------------------------------------

@cython.final
cdef class _Fast:
    """A kept plan and what a call checks against it."""
    cdef object f, fmt, out_dtype, device
    cdef Pool pool
    cdef tuple keys             # the input dtypes and scalar types: their ids are in the key
    cdef tuple grid, tail, out_strides, strides
    cdef Py_ssize_t n, nin
    cdef size_t nbytes, out_align
    cdef int code[2]            # per input: ARRAY or how its scalar is packed
    cdef int size[2]            # per scalar input: the loop dtype's itemsize
    cdef bint negative_power


# (backend, op name, shape, input pointer alignments, id of each input's dtype or scalar type) -> _Fast.
# Ids, not the dtypes (whose hash NumPy computes on every call): the _Fast holds the objects, so their
# ids cannot be reused while it is kept.
cdef dict _fast = {}


def elementwise(backend, op, inputs, shape, out_dtypes, outs, dtype):
    """Backend.elementwise: the common case here, the rest by ``backend._general_elementwise``."""
    if outs is None and dtype is None and type(op) is not str and len(out_dtypes) == 1:
        r = _elementwise(backend, op, inputs, shape, out_dtypes[0])
        if r is not None:
            return r
    return backend._general_elementwise(op, inputs, shape, out_dtypes, outs, dtype)


cdef inline size_t _id(obj) noexcept:
    return <size_t><void*>obj


cdef object _elementwise(backend, op, inputs, tuple shape, out_dtype):
    """(out,) for the common case (see the module docstring), or None for the general path."""
    cdef Py_ssize_t i, nin = len(inputs)
    cdef size_t align = 0
    cdef int64_t words[4]
    cdef ndarray x, out
    cdef _Fast p
    if nin != 1 and nin != 2:
        return None
    k0 = k1 = None
    for i in range(nin):
        v = inputs[i]
        if type(v) is ndarray:
            x = <ndarray>v
            if x.shape is not shape and x.shape != shape:
                return None
            align |= <size_t>((x._buffer.ptr + x._offset) & 15) << (4 * i)
            k = x.dtype
        elif type(v) is float or type(v) is int or type(v) is bool:
            k = type(v)
        else:
            return None
        if i == 0:
            k0 = k
        else:
            k1 = k
    found = _fast.get((backend, op.name, shape, align, _id(k0), _id(k1)))
    if found is None:
        return _first_call(backend, op, inputs, shape, out_dtype, align, (k0, k1))
    p = <_Fast>found
    if out_dtype is not p.out_dtype and out_dtype != p.out_dtype:
        return None
    for i in range(nin):
        v = inputs[i]
        if p.code[i] == ARRAY:
            x = <ndarray>v
            words[2 * i] = x._buffer.ptr + x._offset
            if x._strides is not p.strides[i] and x._strides != p.strides[i]:
                return None
        elif (p.negative_power and v < 0) or not _pack(v, p.code[i], p.size[i], &words[2 * i]):
            return None
    stream = backend.stream
    out = _new(p.pool, stream, shape, p.out_strides, p.out_dtype, p.nbytes, p.device)
    if out._buffer.ptr & 15 != p.out_align:
        return None
    p.f.launch(p.grid, _BLOCK, 0, stream, _arguments(p, out._buffer.ptr, words), p.fmt)
    return (out,)


cdef tuple _arguments(_Fast p, Py_ssize_t out_ptr, int64_t* words):
    """The argument tuple _Plan.launch builds: n, out0, out1 (0: none), per input its pointer or its
    scalar's two words, then the plan's tail."""
    cdef Py_ssize_t i, k = 3, ntail = len(p.tail), nargs = 3 + ntail
    for i in range(p.nin):
        nargs += 1 if p.code[i] == ARRAY else 2
    cdef tuple args = PyTuple_New(nargs)
    _put(args, 0, p.n)
    _put(args, 1, out_ptr)
    _put(args, 2, 0)
    for i in range(p.nin):
        _put(args, k, words[2 * i])
        k += 1
        if p.code[i] != ARRAY:
            _put(args, k, words[2 * i + 1])
            k += 1
    for i in range(ntail):
        _put(args, k + i, p.tail[i])
    return args


cdef inline void _put(tuple t, Py_ssize_t i, object v) noexcept:
    Py_INCREF(v)  # PyTuple_SET_ITEM takes over a reference
    PyTuple_SET_ITEM(t, i, v)


cdef object _first_call(backend, op, inputs, tuple shape, out_dtype, size_t align, tuple keys):
    """The general path's launch for a new kind of call, keeping its plan when it serves the kind."""
    cdef Py_ssize_t i, n = 1, nin = len(inputs)
    cdef _Fast p = _Fast.__new__(_Fast)
    cdef ndarray out
    cdef Pool pool = backend.pool
    cdef list strides = [None, None]
    for i in range(nin):
        v = inputs[i]
        if type(v) is ndarray:
            strides[i] = _c_strides(shape, (<ndarray>v).dtype.itemsize)
            if (<ndarray>v)._strides != strides[i]:
                return None
    for s in shape:
        n *= <Py_ssize_t>s
    device = _device_of(backend)
    out = _new(pool, backend.stream, shape, _c_strides(shape, out_dtype.itemsize), out_dtype,
               n * out_dtype.itemsize, device)
    plan = _ew.run(backend, op, tuple(inputs), (out,))
    if plan is _ew._EMPTY:
        return (out,)
    for i in range(nin):
        if type(inputs[i]) is ndarray:
            p.code[i] = ARRAY      # (a 0-d input is a BCAST operand: passed by pointer all the same)
        else:
            dt = plan.scalar_dtypes[i]
            if dt != plan.loop_dtypes[i] or not dt.isnative:
                return (out,)      # an int out of a comparison's range
            code = _PACKERS.get(dt.kind, {}).get(dt.itemsize)
            if code is None:
                return (out,)      # half-precision, complex, ...: packed by the general path
            p.code[i], p.size[i] = code, dt.itemsize
    p.f, p.fmt, p.n, p.tail, p.grid = plan.f, plan.fmt, plan.n, plan.tail, (plan.grid, 1, 1)
    p.negative_power = plan.negative_power
    p.nin, p.strides, p.keys = nin, tuple(strides), keys
    p.out_dtype, p.out_strides, p.nbytes, p.device = out.dtype, out._strides, n * out.dtype.itemsize, device
    p.out_align = out._buffer.ptr & 15
    p.pool = pool  # (a backend's pool is made with it and never replaced)
    if len(_fast) > 8192:
        _fast.clear()
    _fast[(backend, op.name, shape, align, _id(keys[0]), _id(keys[1]))] = p
    return (out,)


cdef bint _pack(v, int code, int size, int64_t* words) except -1:
    """Write Python scalar ``v`` in the loop dtype (``code``, ``size`` bytes) as the kernel's two
    words, as NumPy converts it; False where NumPy would raise or warn (out of range, float32
    overflow) or the conversion is not one of these (a float into an integer loop)."""
    cdef int overflow = 0
    cdef long long i
    cdef double d
    cdef float f
    cdef uint64_t bits = 0
    words[1] = 0
    if type(v) is float:
        d = v
        if code == F64:
            memcpy(&words[0], &d, 8)
            return True
        if code == F32:
            f = <float>d
            if isinf(f) and not isinf(d):
                return False  # NumPy warns "overflow encountered in cast": the general path does
            memcpy(&bits, &f, 4)
            words[0] = <int64_t>bits
            return True
        return False
    i = PyLong_AsLongLongAndOverflow(v, &overflow)  # v is an int or a bool
    if overflow:
        return False  # beyond int64: uint64's upper half or an error, the general path decides
    if code == F64 or code == F32:
        if not -(1LL << 53) <= i <= (1LL << 53):
            return False  # not exact in a double: NumPy rounds it once, the general path does
        d = <double>i
        if code == F64:
            memcpy(&words[0], &d, 8)
        else:
            f = <float>d
            memcpy(&bits, &f, 4)
            words[0] = <int64_t>bits
        return True
    if code == SINT:
        if size < 8 and not -(1LL << (8 * size - 1)) <= i < (1LL << (8 * size - 1)):
            return False
        bits = <uint64_t>i
    elif code == UINT:
        if i < 0 or (size < 8 and i >= (1LL << (8 * size))):
            return False
        bits = <uint64_t>i
    elif code == BOOL:
        if type(v) is not bool:
            return False
        bits = i
    else:
        return False
    if size < 8:
        bits &= (<uint64_t>1 << (8 * size)) - 1  # the value's bytes, then zeros
    words[0] = <int64_t>bits
    return True
