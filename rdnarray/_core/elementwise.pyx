# cython: language_level=3
"""Elementwise functions: resolve dtypes, broadcast, check or allocate ``out``, then hand the resolved
work to the device's backend. This is the hot path of every ``x + y``, so it is Cython and caches the
dtype resolution per (input dtypes, dtype=) key.
"""
import numpy as np

from .ndarray cimport ndarray
from . import dtypes as _dt
from .devices import default_device

_BOOL = np.dtype(np.bool_)
_FLOAT64 = np.dtype(np.float64)

# How each output dtype follows from the promoted input dtype (see ops.py).
_RESULT = {
    "same": lambda dt: dt,
    "bool": lambda dt: _BOOL,
    "float": _dt.float_result,
    "divide": lambda dt: dt if dt.kind in "fc" else _FLOAT64,
    "real": _dt.real_of,
    "int32": lambda dt: np.dtype(np.int32),
    "uint8": lambda dt: np.dtype(np.uint8),
    "int": _dt.int_result,
    "float64": lambda dt: np.promote_types(dt, _FLOAT64),
}

_SCALARS = (bool, int, float, complex)

# The rdnarray namespace, bound at import (asarray, empty, ...).
cdef object _rp = None


def _bind(namespace):
    global _rp
    _rp = namespace


cpdef tuple broadcast_shapes(tuple shapes, str opname="broadcast_shapes"):
    """The broadcast of ``shapes`` (tuples), or ValueError naming the op and every shape."""
    cdef tuple first = shapes[0]
    cdef Py_ssize_t nd = 0, i, k, n, d, s
    cdef bint same = True
    for sh in shapes:
        if sh != first:
            same = False
        if len(<tuple>sh) > nd:
            nd = len(<tuple>sh)
    if same:
        return first
    result = [1] * nd
    for sh in shapes:
        n = len(<tuple>sh)
        for i in range(n):
            k = nd - n + i
            s = (<tuple>sh)[i]
            d = result[k]
            if s == d or s == 1:
                continue
            if d == 1:
                result[k] = s
            else:
                raise ValueError(f"{opname}: operands could not be broadcast together with shapes "
                                 + " ".join(map(str, shapes)))
    return tuple(result)


cdef object _promote_keys(tuple keys):
    """The promoted dtype of input keys: numpy dtypes (arrays) and Python scalar types (weak)."""
    strong = None
    weak = []
    for k in keys:
        if isinstance(k, type):
            weak.append(k)
        else:
            strong = k if strong is None else _dt.promote(strong, k)
    if strong is None:
        return _dt.result_type(*[k() for k in weak])
    for t in weak:
        strong = _dt.promote_weak(strong, t)
    return strong


cdef class Ufunc:
    """An elementwise function of ``nin`` arrays (or Python scalars) with ``nout`` outputs."""
    cdef readonly object op
    cdef readonly int nin
    cdef readonly int nout
    cdef dict _cache
    cdef dict _fast  # input dtype key(s) -> output dtypes, for the fast path of __call__

    def __init__(self, op):
        self.op = op
        self.nin = op.nin
        self.nout = len(op.results)
        self._cache = {}
        self._fast = {}

    @property
    def __name__(self):
        return self.op.name

    @property
    def __qualname__(self):
        return self.op.name

    @property
    def __module__(self):
        return "rdnarray"

    @property
    def __doc__(self):
        return (f"{self.op.name}(*x, out=None, dtype=None)\n\nElementwise {self.op.numpy} on rdnarray arrays "
                f"and Python scalars, with NumPy's semantics (see numpy.{self.op.numpy}).")

    @property
    def nargs(self):
        return self.nin + self.nout

    def __repr__(self):
        return f"<rdnarray ufunc '{self.op.name}'>"

    cdef tuple _resolve(self, tuple keys, object dtype):
        """(loop dtype, output dtypes) for these input keys; TypeError if the op does not take them."""
        ck = (keys, dtype)
        r = self._cache.get(ck)
        if r is not None:
            return r
        promoted = _promote_keys(keys) if dtype is None else _dt.normalize(dtype)
        if not _dt.in_category(promoted, self.op.accepts):
            names = ", ".join(k.__name__ if isinstance(k, type) else str(k) for k in keys)
            raise TypeError(f"{self.op.name}: unsupported dtype(s) ({names}); "
                            f"{self.op.name} needs {self.op.accepts} dtypes")
        r = (promoted, tuple(_dt.float_result_of(keys) if rule == "float" and dtype is None
                             else _RESULT[rule](promoted) for rule in self.op.results))
        self._cache[ck] = r
        return r

    def __call__(self, *args, out=None, dtype=None, where=True, casting="same_kind"):
        # Fast path for the common small-array case: arrays of one shape on one device (or an array and
        # a Python scalar), no keywords, a dtype combination already resolved once by _call.
        cdef Py_ssize_t n = len(args)
        if n == self.nin and self.nout == 1 and out is None and dtype is None and where is True:
            a = args[0]
            if n == 1 and type(a) is ndarray:
                r = self._fast.get((<ndarray>a).dtype)
                if r is not None:
                    dev = (<ndarray>a)._buffer.device
                    return dev.backend.elementwise(self.op, args, (<ndarray>a).shape, r, None, None)[0]
            elif n == 2:
                key = shape = dev = None
                b = args[1]
                if type(a) is ndarray:
                    dev = (<ndarray>a)._buffer.device
                    shape = (<ndarray>a).shape
                    if type(b) is ndarray:
                        if (<ndarray>b)._buffer.device is dev and (<ndarray>b).shape == shape:
                            key = ((<ndarray>a).dtype, (<ndarray>b).dtype)
                    elif type(b) in _SCALARS:
                        key = ((<ndarray>a).dtype, type(b))
                elif type(b) is ndarray and type(a) in _SCALARS:
                    dev = (<ndarray>b)._buffer.device
                    shape = (<ndarray>b).shape
                    key = (type(a), (<ndarray>b).dtype)
                if key is not None:
                    r = self._fast.get(key)
                    if r is not None:
                        return dev.backend.elementwise(self.op, args, shape, r, None, None)[0]
        return self._call(args, out, dtype, where, casting)

    def _call(self, args, out, dtype, where, casting):
        cdef int nin = self.nin
        cdef Py_ssize_t i
        cdef ndarray o
        if len(args) != nin:
            if len(args) == nin + self.nout and out is None:
                out = args[nin:] if self.nout > 1 else args[nin]
                args = args[:nin]
            else:
                raise TypeError(f"{self.op.name}() takes {nin} array argument(s), {len(args)} given")
        if where is not True:
            return _call_where(self, args, out, dtype, where)

        # The device: of the first array, else of `out`, else the default one.
        device = None
        for a in args:
            if isinstance(a, ndarray):
                device = (<ndarray>a)._buffer.device
                break
        if device is None:
            if isinstance(out, ndarray):
                device = (<ndarray>out)._buffer.device
            else:
                device = default_device()

        inputs = list(args)
        keys = []
        shapes = []
        for i in range(nin):
            a = inputs[i]
            if type(a) in _SCALARS:
                keys.append(type(a))
                continue
            if not isinstance(a, ndarray):
                a = inputs[i] = _rp.asarray(a, device=device)
            elif (<ndarray>a)._buffer.device is not device and (<ndarray>a)._buffer.device != device:
                raise ValueError(f"{self.op.name}: arrays are on different devices "
                                 f"({device} and {(<ndarray>a)._buffer.device}); move them with to_device()")
            keys.append((<ndarray>a).dtype)
            shapes.append((<ndarray>a).shape)
        keys = tuple(keys)
        loop, out_dtypes = self._resolve(keys, dtype)
        if dtype is None:
            self._fast[keys[0] if nin == 1 else keys] = out_dtypes
        shape = broadcast_shapes(tuple(shapes), self.op.name) if shapes else ()

        if out is None:
            outs = device.backend.elementwise(self.op, inputs, shape, out_dtypes, None,
                                              loop if dtype is not None else None)
        else:
            outs = _check_out(self, out, shape, out_dtypes, device, casting)
            device.backend.elementwise(self.op, inputs, shape, out_dtypes, outs,
                                       loop if dtype is not None else None)
        return outs[0] if self.nout == 1 else outs

    # NumPy ufunc methods; the core's reductions and indexing do the work.
    def outer(self, a, b, **kwargs):
        return _rp._core.ufunc_methods.outer(self, a, b, **kwargs)

    def reduce(self, a, axis=0, dtype=None, out=None, keepdims=False, **kwargs):
        return _rp._core.ufunc_methods.reduce(self, a, axis, dtype, out, keepdims, **kwargs)

    def accumulate(self, a, axis=0, dtype=None, out=None):
        return _rp._core.ufunc_methods.accumulate(self, a, axis, dtype, out)

    def at(self, a, indices, b=None):
        return _rp._core.ufunc_methods.at(self, a, indices, b)


cdef tuple _check_out(Ufunc f, out, tuple shape, tuple out_dtypes, device, str casting):
    """Validate ``out`` (an array or a tuple of nout arrays) before anything is written."""
    outs = out if isinstance(out, tuple) else (out,)
    if len(outs) != f.nout:
        raise ValueError(f"{f.op.name}: out must hold {f.nout} array(s), got {len(outs)}")
    for o, dt in zip(outs, out_dtypes):
        if not isinstance(o, ndarray):
            raise TypeError(f"{f.op.name}: out must be an rdnarray.ndarray, not {type(o).__name__}")
        if (<ndarray>o).shape != shape:
            raise ValueError(f"{f.op.name}: output array has shape {(<ndarray>o).shape}, but the "
                             f"inputs broadcast to {shape}")
        if not np.can_cast(dt, (<ndarray>o).dtype, casting):
            raise TypeError(f"{f.op.name}: cannot cast the result dtype {dt} to the output dtype "
                            f"{(<ndarray>o).dtype} with casting rule '{casting}'")
        if (<ndarray>o)._buffer.device != device:
            raise ValueError(f"{f.op.name}: out is on {(<ndarray>o)._buffer.device}, the inputs on {device}")
        if (<ndarray>o)._buffer.readonly:
            raise ValueError(f"{f.op.name}: output array is read-only")
    return outs


def _call_where(Ufunc f, args, out, dtype, where):
    """``f(*args, out=out, where=where)``: results only where ``where`` is True, ``out`` kept elsewhere."""
    result = f(*args, dtype=dtype)
    results = result if f.nout > 1 else (result,)
    if out is None:
        out = tuple(_rp.empty_like(r) for r in results)
    outs = out if isinstance(out, tuple) else (out,)
    for o, r in zip(outs, results):
        _rp.copyto(o, r, where=where)
    return outs[0] if f.nout == 1 else outs
