"""NumPy's creation functions made on the device: ones, full, arange, linspace, logspace, geomspace, eye,
tri, tril, triu, diag, diagflat, indices, meshgrid, vander, tril_indices and triu_indices.

Each takes NumPy's own steps (quoted in its docstring) with the backend's operations: ``empty``, ``copy``
(which broadcasts and casts), ``elementwise`` ops, the named ``where`` and ``nonzero``, and one small
kernel, the integer sequence ``start + i * step`` (kernels/iota.py on a GPU, NumPy on the host). The
scalars NumPy derives from Python numbers (an arange's first two values, a linspace's step) are computed
here with NumPy itself, so they are NumPy's bit for bit; only arrays are made on the device. Every
operand has the dtype and value NumPy's step gives it, so results are NumPy's bit for bit wherever the
device's ops are (everything here but pow and log10, which logspace and geomspace use).

A function returns NotImplemented, before any work, for what it does not cover (dtypes the kernels do not
hold, array arguments where only scalars are handled, arguments NumPy rejects): the host computes those.
"""
import math
import operator

import numpy as np

from ..._core import ops as _ops
from ..._core import views as _views
from ..._core.ndarray import make_view, ndarray
from ..kernels.ctypes import CTYPE

_BOOL = np.dtype(np.bool_)
_INT64 = np.dtype(np.int64)
_FLOAT16, _FLOAT32 = np.dtype(np.float16), np.dtype(np.float32)
_PYTHON_SCALARS = (bool, int, float, complex)


# ---- helpers ---------------------------------------------------------------------------------------------

def _held(dtype):
    """Whether device kernels hold elements of ``dtype`` (numeric dtypes but longdouble)."""
    return dtype in CTYPE


def _here(backend, *arrays):
    return all(isinstance(a, ndarray) and a.device == backend.device for a in arrays)


def _scalar(v):
    """Whether ``v`` is a Python number or a numeric NumPy scalar."""
    return type(v) in _PYTHON_SCALARS or (isinstance(v, np.generic) and v.dtype.kind in "biufc")


def _endpoint(v):
    """A scalar linspace-like endpoint: Python ints only where NumPy's conversion gives int64."""
    return _scalar(v) and not (type(v) is int and not -2**63 <= v < 2**63)


def _shape(shape):
    """``shape`` (an int or a sequence of ints) as a tuple of non-negative ints; None if it is not one."""
    try:
        shape = tuple(operator.index(s) for s in shape) if hasattr(shape, "__iter__") else (operator.index(shape),)
    except TypeError:
        return None
    return shape if all(s >= 0 for s in shape) else None


def _ints(*values):
    """The values as Python ints, or None where one is not an integer."""
    try:
        return tuple(operator.index(v) for v in values)
    except TypeError:
        return None


def _ew(backend, name, inputs, out, dtype=None):
    """``out = op(*inputs)`` for the op row ``name``: inputs broadcast to ``out`` or Python scalars,
    computed in ``dtype`` (None: the promoted input dtype), cast to ``out`` on store."""
    backend.elementwise(_ops.ALL[name], inputs, out.shape, (out.dtype,), (out,), dtype)


def _zeros(backend, shape, dtype):
    out = backend.empty(shape, dtype)
    if out.nbytes:
        if backend.kind == "gpu":  # memset, as the executor's own zeros (not run("zeros"): no cycles)
            backend.driver.memset_d8(out._buffer.ptr + out._offset, 0, out.nbytes, backend.stream)
        else:
            backend.copy(backend.from_numpy(np.zeros((), dtype)), out)
    return out


def _constant(backend, value, dtype):
    """A 0-d array of ``value`` as NumPy stores it in ``dtype`` (``a[...] = value``, an unsafe cast)."""
    return backend.from_numpy(np.full((), value, dtype))


def _cast(backend, x, dtype):
    """``x.astype(dtype, copy=False)``."""
    if x.dtype == dtype:
        return x
    out = backend.empty(x.shape, dtype)
    backend.copy(x, out)
    return out


def _flat(backend, x):
    """``x.ravel()``: a view where ``x`` is C-contiguous, else a copy."""
    if not _views.is_c_contiguous(x):
        x = _copy(backend, x)
    return _views.reshape_view(x, (x.size,))


def _copy(backend, x):
    out = backend.empty(x.shape, x.dtype)
    backend.copy(x, out)
    return out


def _iota(backend, n, dtype=_INT64, start=0, step=1):
    """``start + i * step`` for i < n, modulo 2**64, in the integer ``dtype`` (its low bits)."""
    if backend.kind == "gpu":
        from ..kernels import iota
        return iota.run(backend, backend.empty((n,), dtype), start, step)
    seq = np.arange(n, dtype=np.uint64) * np.uint64(step % 2**64) + np.uint64(start % 2**64)
    return backend.from_numpy(seq.astype(dtype))


def _index_values(backend, n, dtype):
    """NumPy's ``arange(n, dtype=dtype)``: its fill from start 0 and step 1 computes 0 + (T)i * 1, the
    cast of i, so the int64 sequence cast. (float16's fill rounds i to float32 and then to half: the same
    as one rounding below 2**24, and inf either way above 65504.)"""
    if dtype.kind in "iu":
        return _iota(backend, n, dtype)
    if dtype.kind == "b" and n > 2:
        return NotImplemented  # NumPy: a bool arange has at most 2 elements
    return _cast(backend, _iota(backend, n), dtype)


# ---- ones, full ------------------------------------------------------------------------------------------

def full(backend, shape, fill_value, dtype=None, order="C"):
    """``a = empty(shape, dtype); copyto(a, fill_value, casting='unsafe')``: a host value is cast by
    NumPy into ``dtype`` at its own (small) shape, then broadcast on the device."""
    shape = _shape(shape)
    if shape is None or order not in ("C", "K", "A"):
        return NotImplemented
    on_device = isinstance(fill_value, ndarray)
    if on_device and not _here(backend, fill_value):
        return NotImplemented
    try:
        if dtype is None:
            dtype = fill_value.dtype if on_device else np.asarray(fill_value).dtype
        dtype = np.dtype(dtype)
        if not _held(dtype) or np.broadcast_shapes(np.shape(fill_value), shape) != shape:
            return NotImplemented
        # A host value: NumPy's own copyto at the value's (small) shape.
        value = None if on_device else np.full(np.shape(fill_value), fill_value, dtype)
    except (TypeError, ValueError, OverflowError):
        return NotImplemented  # NumPy raises: the host says how
    if value is not None and not any(value.tobytes()):
        return _zeros(backend, shape, dtype)  # all-zero bits: a memset, nothing to copy over
    out = backend.empty(shape, dtype)
    if out.size:
        backend.copy(fill_value if on_device else backend.from_numpy(value), out)
    return out


def ones(backend, shape, dtype=None, order="C"):
    """``a = empty(shape, dtype); copyto(a, 1, casting='unsafe')``."""
    return full(backend, shape, 1, np.dtype(dtype), order)


# ---- arange ----------------------------------------------------------------------------------------------

def _ceil_length(value):
    """NumPy's _arange_safe_ceil_to_intp: ceil of a C double; NaN and out-of-range raise (NumPy raises)."""
    n = math.ceil(value)  # ValueError for NaN, OverflowError for infinities
    if not -2**63 <= n < 2**63:
        raise OverflowError("arange: length out of range")
    return n


def _arange_length(start, stop, step, is_complex):
    """NumPy's _calc_length: the objects' own arithmetic (Python's, or NumPy scalars'), then ceil."""
    delta = stop - start
    if not delta != 0:
        return 0
    q = delta / step
    if is_complex and isinstance(q, complex):
        return max(0, min(_ceil_length(q.real), _ceil_length(q.imag)))
    return max(0, _ceil_length(float(q)))


def _setitem_value(v, dtype):
    """``v`` where NumPy's setitem and an indexed assignment agree on the value stored in ``dtype``
    (Python numbers; NumPy scalars of that dtype), else None."""
    if type(v) in _PYTHON_SCALARS or (isinstance(v, np.generic) and v.dtype == dtype):
        return v
    return None


def _affine(backend, idx, first, second, out):
    """NumPy's fill of a float arange after its first two values: ``start + i * delta`` with
    ``delta = second - start``, rounded at each step in the float's precision (float32 for float16,
    whose fill computes in float). ``idx`` is the int64 i, cast to that precision on load."""
    calc = _FLOAT32 if out.dtype == _FLOAT16 else out.dtype
    with np.errstate(all="ignore"):  # NumPy's C loop sets no flags
        start = calc.type(first)
        delta = calc.type(second) - start
    tmp = out if calc == out.dtype else backend.empty(out.shape, calc)
    _ew(backend, "multiply", (idx, float(delta)), tmp, calc)
    _ew(backend, "add", (tmp, float(start)), out, calc)


def arange(backend, start, stop=None, step=None, dtype=None):
    """NumPy's arange: the length from the arguments' own arithmetic, buffer[0] = start and buffer[1] =
    start + step stored as setitem stores them, then buffer[i] = buffer[0] + i * (buffer[1] - buffer[0])
    in the dtype (integers: kernels/iota.py; floats: ``_affine``; complex: each part as a float)."""
    if dtype is None:
        return NotImplemented
    dtype = np.dtype(dtype)
    if not _held(dtype) or dtype.kind == "b":
        return NotImplemented
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if not (_scalar(start) and _scalar(stop) and _scalar(step)):
        return NotImplemented
    try:
        n = _arange_length(start, stop, step, dtype.kind == "c")
        head = np.zeros(2, dtype)
        if n > 0:
            nxt = start + step  # NumPy computes it for any length > 0
            first, second = _setitem_value(start, dtype), _setitem_value(nxt, dtype) if n > 1 else 0
            if first is None or second is None:
                return NotImplemented
            head[0], head[1] = first, second
    except (TypeError, ValueError, ArithmeticError):
        return NotImplemented  # NumPy raises: the host says how
    if n <= 2:
        return backend.from_numpy(head[:n].copy())
    if dtype.kind in "iu":
        h0, h1 = int(head[0]), int(head[1])
        return _iota(backend, n, dtype, h0, h1 - h0)
    out = backend.empty((n,), dtype)
    idx = _iota(backend, n)
    if dtype.kind == "f":
        _affine(backend, idx, head[0], head[1], out)
    else:
        _affine(backend, idx, head[0].real, head[1].real, _views.real_view(out))
        _affine(backend, idx, head[0].imag, head[1].imag, _views.imag_view(out))
    backend.copy(backend.from_numpy(head), make_view(out, (2,), out._strides, out._offset))
    return out


# ---- linspace, logspace, geomspace -----------------------------------------------------------------------

def _operand(v, dt):
    """``v`` as a ufunc operand of a ``dt`` loop, as a Python scalar: NumPy values cast, Python numbers
    converted (what NumPy's loop computes with)."""
    a = np.asarray(v).astype(dt) if isinstance(v, (np.ndarray, np.generic)) else np.asarray(v, dtype=dt)
    return a.item()


def _axis_ok(axis):
    """Scalar endpoints give 1-D samples: only axis 0 (or -1) is valid."""
    axis = _ints(axis)
    return axis is not None and axis[0] in (0, -1)


def linspace(backend, start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """NumPy's linspace for scalar endpoints::

        delta = subtract(stop, start, dtype=type(dt)); y = arange(0, num, dtype=dt)
        y *= delta / div  (or y /= div; y *= delta where the step is 0; y = y * delta where div <= 0)
        y += start; y[-1] = stop (endpoint); floor(y) for integer dtypes; y.astype(dtype)

    with NumPy's array conversion: Python numbers become arrays unless a NumPy scalar is among them."""
    if not (_endpoint(start) and _endpoint(stop)) or not _axis_ok(axis):
        return NotImplemented
    num = _ints(num)
    if num is None or num[0] < 0:
        return NotImplemented
    num = num[0]
    div = (num - 1) if endpoint else num
    dt = np.result_type(start, stop, 1.0)
    out_dtype = dt if dtype is None else np.dtype(dtype)
    integer_dtype = dtype is not None and np.issubdtype(out_dtype, np.integer)
    if not (_held(dt) and _held(out_dtype)) or (integer_dtype and dt.kind == "c"):
        return NotImplemented
    if not any(isinstance(v, np.generic) for v in (start, stop)):
        start, stop = np.asarray(start), np.asarray(stop)
    delta = np.subtract(stop, start, dtype=type(dt))
    y = _index_values(backend, num, dt)
    if div > 0:
        step = delta / div
        if step == 0:  # NumPy's special case for denormal steps
            _ew(backend, "divide", (y, div), y)
            _ew(backend, "multiply", (y, _operand(delta, dt)), y)
        else:
            _ew(backend, "multiply", (y, _operand(step, dt)), y)
    else:
        step = np.nan
        _ew(backend, "multiply", (y, _operand(delta, dt)), y)
    _ew(backend, "add", (y, _operand(start, dt)), y)
    if endpoint and num > 1:
        last = make_view(y, (1,), y._strides, y._offset + (num - 1) * y._strides[0])
        backend.copy(backend.from_numpy(np.asarray(_operand(stop, dt), dt).reshape(1)), last)
    if integer_dtype:
        _ew(backend, "floor", (y,), y)
    y = _cast(backend, y, out_dtype)
    if retstep:
        # The host backend returns NumPy's scalar step as a 0-d array (a Python float stays one).
        return y, backend.from_numpy(np.asarray(step)) if isinstance(step, np.generic) else step
    return y


def _power(backend, base, y, dtype):
    """``power(base, y).astype(dtype)`` for a scalar ``base``."""
    rdt = np.result_type(base, y.dtype)
    if not _held(rdt):
        return NotImplemented
    y = _cast(backend, y, rdt)
    r = backend.empty(y.shape, rdt)
    _ew(backend, "pow", (_operand(base, rdt), y), r)
    return r if dtype is None else _cast(backend, r, np.dtype(dtype))


def logspace(backend, start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """NumPy's logspace for scalar endpoints and base: ``power(base, linspace(start, stop, num,
    endpoint)).astype(dtype)``."""
    if not _endpoint(base) or (dtype is not None and not _held(np.dtype(dtype))):
        return NotImplemented
    if dtype is not None and np.dtype(dtype).kind in "biu" and backend.kind != "cpu":
        return NotImplemented  # the device's pow may round 1 ulp apart from NumPy's, which truncation to int shows
    y = linspace(backend, start, stop, num, endpoint=endpoint, axis=axis)
    if y is NotImplemented:
        return NotImplemented
    return _power(backend, base, y, dtype)


def geomspace(backend, start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """NumPy's geomspace for scalar endpoints: on the host, as NumPy does it, the sign rotation and the
    log10 of the 0-d endpoints; on the device ``logspace(log_start, log_stop, num, endpoint, 10.0, dt)``
    with the endpoints written back and the rotation undone, then ``astype(dtype)``."""
    if not (_endpoint(start) and _endpoint(stop)) or not _axis_ok(axis):
        return NotImplemented
    if dtype is not None and not _held(np.dtype(dtype)):
        return NotImplemented
    if dtype is not None and np.dtype(dtype).kind in "biu" and backend.kind != "cpu":
        return NotImplemented  # as logspace
    start, stop = np.asanyarray(start), np.asanyarray(stop)
    num = _ints(num)
    if num is None or num[0] < 0 or start == 0 or stop == 0:
        return NotImplemented  # NumPy raises
    num = num[0]
    dt = np.result_type(start, stop, float(num), np.zeros((), dtype))
    out_dtype = dt if dtype is None else np.dtype(dtype)
    if not (_held(dt) and _held(out_dtype)):
        return NotImplemented
    start = start.astype(dt, copy=True)
    stop = stop.astype(dt, copy=True)
    out_sign = np.sign(start)
    start /= out_sign
    stop = stop / out_sign
    log_start = np.log10(start)
    log_stop = np.log10(stop)
    result = logspace(backend, log_start, log_stop, num=num, endpoint=endpoint, base=10.0, dtype=dt)
    if result is NotImplemented:
        return NotImplemented
    if num > 0:
        ends = [(0, start)] + ([(num - 1, stop)] if num > 1 and endpoint else [])
        for i, v in ends:
            backend.copy(backend.from_numpy(v.reshape(1)), make_view(result, (1,), result._strides,
                                                                       result._offset + i * result._strides[0]))
    _ew(backend, "multiply", (result, out_sign.item()), result)
    return _cast(backend, result, out_dtype)


# ---- eye, tri, tril, triu, tril_indices, triu_indices ----------------------------------------------------

def eye(backend, N, M=None, k=0, dtype=float, order="C"):
    """``m = zeros((N, M), dtype); m[:M-k].flat[i::M+1] = 1``: the k-th diagonal's view, set to 1."""
    ints = _ints(N, N if M is None else M, k)
    dtype = np.dtype(dtype)
    if ints is None or min(ints[:2]) < 0 or not _held(dtype) or order not in ("C", "K", "A"):
        return NotImplemented
    N, M, k = ints
    out = _zeros(backend, (N, M), dtype)
    d = _views.diagonal(out, k, 0, 1)  # the elements m[:M-k].flat[i::M+1] names, in the same order
    if d.size:
        backend.copy(_constant(backend, 1, dtype), d)
    return out


def _tri_mask(backend, n, m, k, op, dtype=_BOOL):
    """``op(i, j - k)`` for rows i < n and columns j < m, in ``dtype``: NumPy's ``tri(n, m, k)`` is
    ``greater_equal.outer(arange(n), arange(-k, m - k))``, and ``less`` gives ``~tri(n, m, k)``.
    None where j - k leaves int64."""
    rows, cols = max(n, 0), max(m, 0)
    if not (-2**63 <= -k and m - k <= 2**63):
        return None
    i = _views.reshape_view(_iota(backend, rows), (rows, 1))
    j = _views.reshape_view(_iota(backend, cols, _INT64, -k), (1, cols))
    out = backend.empty((rows, cols), dtype)
    _ew(backend, op, (i, j), out)
    return out


def tri(backend, N, M=None, k=0, dtype=float):
    """``greater_equal.outer(arange(N), arange(-k, M - k)).astype(dtype)`` (the cast on store)."""
    ints = _ints(N, N if M is None else M, k)
    dtype = np.dtype(dtype)
    if ints is None or not _held(dtype):
        return NotImplemented
    out = _tri_mask(backend, *ints, "greater_equal", dtype)
    return NotImplemented if out is None else out


def _trilu(backend, m, k, lower):
    """NumPy's ``where(tri(*m.shape[-2:], k), m, zeros(1))`` (tril) and ``where(tri(..., k - 1),
    zeros(1), m)`` (triu), through the backend's where."""
    ks = _ints(k)
    if not _here(backend, m) or m.ndim < 2 or ks is None or not _held(m.dtype):
        return NotImplemented
    k = ks[0]
    mask = _tri_mask(backend, m.shape[-2], m.shape[-1], k if lower else k - 1, "greater_equal")
    if mask is None:
        return NotImplemented
    zero = _zeros(backend, (1,), m.dtype)
    return backend.run("where", mask, m, zero) if lower else backend.run("where", mask, zero, m)


def tril(backend, m, k=0):
    return _trilu(backend, m, k, True)


def triu(backend, m, k=0):
    return _trilu(backend, m, k, False)


def _indices_of(backend, n, k, m, lower):
    """NumPy's tril_indices (``tri(n, m, k)``'s true positions, row by row) and triu_indices
    (``~tri(n, m, k - 1)``'s): the backend's nonzero of that mask."""
    ints = _ints(n, k, n if m is None else m)
    if ints is None:
        return NotImplemented
    n, k, m = ints
    mask = (_tri_mask(backend, n, m, k, "greater_equal") if lower
            else _tri_mask(backend, n, m, k - 1, "less"))
    return NotImplemented if mask is None else tuple(backend.run("nonzero", mask))


def tril_indices(backend, n, k=0, m=None):
    return _indices_of(backend, n, k, m, True)


def triu_indices(backend, n, k=0, m=None):
    return _indices_of(backend, n, k, m, False)


# ---- diag, diagflat --------------------------------------------------------------------------------------

def diag(backend, v, k=0):
    """1-D ``v``: ``res = zeros((n, n)); res[:n-k].flat[i::n+1] = v`` with n = len(v) + |k|. 2-D: the
    k-th diagonal, as a new array (NumPy returns a read-only view; writes to it are refused there, so
    only later changes of ``v`` could tell, and a copy keeps the device's overlap checks simple)."""
    ks = _ints(k)
    if not _here(backend, v) or ks is None or not _held(v.dtype) or v.ndim not in (1, 2):
        return NotImplemented
    k = ks[0]
    if v.ndim == 2:
        return _copy(backend, _views.diagonal(v, k, 0, 1))
    n = v.shape[0] + abs(k)
    out = _zeros(backend, (n, n), v.dtype)
    if v.size:
        backend.copy(v, _views.diagonal(out, k, 0, 1))
    return out


def diagflat(backend, v, k=0):
    """``diag(v.ravel(), k)``: NumPy writes the same positions, ``res.flat[fi] = v``."""
    if not _here(backend, v):
        return NotImplemented
    return diag(backend, _flat(backend, v), k)


# ---- indices, meshgrid, vander ---------------------------------------------------------------------------

def indices(backend, dimensions, dtype=int, sparse=False):
    """``arange(dim, dtype=dtype)`` shaped to axis i for each dimension: a tuple (sparse), or copied
    (broadcast) into ``res[i]`` of ``res = empty((N,) + dimensions, dtype)``."""
    dims = _shape(dimensions)
    if dims is None:
        return NotImplemented
    seq_dtype = np.dtype(int) if dtype is None else np.dtype(dtype)  # arange(dtype=None) of ints: int64
    res_dtype = np.dtype(dtype)                                     # empty(dtype=None): float64
    if not (_held(seq_dtype) and _held(res_dtype)):
        return NotImplemented
    N = len(dims)
    parts = []
    for i, dim in enumerate(dims):
        seq = _index_values(backend, dim, seq_dtype)
        if seq is NotImplemented:
            return NotImplemented
        parts.append(_views.reshape_view(seq, (1,) * i + (dim,) + (1,) * (N - i - 1)))
    if sparse:
        return tuple(parts)
    res = backend.empty((N,) + dims, res_dtype)
    if res.size:
        for i, part in enumerate(parts):
            backend.copy(part, make_view(res, dims, res._strides[1:], res._offset + i * res._strides[0]))
    return res


def meshgrid(backend, *xi, copy=True, sparse=False, indexing="xy"):
    """Each input raveled and shaped to its axis (the first two swapped for 'xy'), broadcast to the
    common shape unless ``sparse``, and copied: a tuple of new C-contiguous arrays."""
    if indexing not in ("xy", "ij") or not copy or not _here(backend, *xi):
        return NotImplemented
    ndim = len(xi)
    shapes = [[1] * ndim for _ in xi]
    for i, x in enumerate(xi):
        shapes[i][i] = x.size
    if indexing == "xy" and ndim > 1:
        shapes[0][0], shapes[0][1] = 1, xi[0].size
        shapes[1][0], shapes[1][1] = xi[1].size, 1
    shapes = [tuple(s) for s in shapes]
    full_shape = tuple(np.broadcast_shapes(*shapes)) if ndim else ()
    out = []
    for x, s in zip(xi, shapes):
        o = backend.empty(s if sparse else full_shape, x.dtype)
        if o.size:
            backend.copy(_views.reshape_view(_flat(backend, x), s), o)
        out.append(o)
    return tuple(out)


def _complex_multiply(backend, a, b, out):
    """``out = a * b`` for complex arrays with each real product and sum rounded, as NumPy's scalar
    complex loop computes it. Its SIMD loops (AVX2) fuse a product into the sum instead; vander's
    ``multiply.accumulate`` runs the scalar loop along rows of 2 or more products (output and input
    overlap there), and the SIMD loop, down the column, where each row has one product (N == 3)."""
    ar, ai, br, bi = (_views.real_view(a), _views.imag_view(a), _views.real_view(b), _views.imag_view(b))
    t, u = backend.empty(a.shape, ar.dtype), backend.empty(a.shape, ar.dtype)
    _ew(backend, "multiply", (ar, br), t)
    _ew(backend, "multiply", (ai, bi), u)
    _ew(backend, "subtract", (t, u), _views.real_view(out))
    _ew(backend, "multiply", (ar, bi), t)
    _ew(backend, "multiply", (ai, br), u)
    _ew(backend, "add", (t, u), _views.imag_view(out))


def vander(backend, x, N=None, increasing=False):
    """``v = empty((len(x), N), promote_types(x.dtype, int))``; column 0 (of v, or of v[:, ::-1]) is 1,
    column 1 is x and column j is column j-1 times x (NumPy's ``multiply.accumulate``, in its order).
    The powers are made as rows of a (N, len(x)) array, each a contiguous multiply of the previous row,
    then moved into place by one copy."""
    if not _here(backend, x) or x.ndim != 1:
        return NotImplemented
    n = x.shape[0]
    N = (n,) if N is None else _ints(N)
    dt = np.promote_types(x.dtype, np.dtype(int))
    if N is None or N[0] < 0 or not _held(dt):
        return NotImplemented
    N = N[0]
    powers = backend.empty((N, n), dt)
    row = [make_view(powers, (n,), (dt.itemsize,), powers._offset + j * n * dt.itemsize) for j in range(N)]
    if N > 0 and n:
        backend.copy(_constant(backend, 1, dt), row[0])
    if N > 1 and n:
        backend.copy(x, row[1])
        for j in range(2, N):
            if dt.kind == "c" and N > 3:
                _complex_multiply(backend, row[j - 1], row[1], row[j])
            else:
                _ew(backend, "multiply", (row[j - 1], row[1]), row[j])
    v = backend.empty((n, N), dt)
    if v.size:
        step = n * dt.itemsize
        src = (make_view(powers, (n, N), (dt.itemsize, step), powers._offset) if increasing
               else make_view(powers, (n, N), (dt.itemsize, -step), powers._offset + (N - 1) * step))
        backend.copy(src, v)
    return v


NATIVE = {
    "ones": ones, "full": full, "arange": arange, "linspace": linspace, "logspace": logspace,
    "geomspace": geomspace, "eye": eye, "tri": tri, "tril": tril, "triu": triu, "diag": diag,
    "diagflat": diagflat, "indices": indices, "meshgrid": meshgrid, "vander": vander,
    "tril_indices": tril_indices, "triu_indices": triu_indices,
}
