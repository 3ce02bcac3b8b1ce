"""The host (CPU) backend: memory is NumPy's arrays (large ones over blocks of a caching allocator,
host_memory.pyx), and resolved work runs as NumPy calls on views of it.

It is the embedded default without a GPU, as fast as NumPy, and the readable reference for every
kernel of the GPU backend, which implements the same contract:

  empty(shape, dtype)                      a new C-contiguous array on this device
  from_numpy(arr) / to_numpy(x)            copies between host memory and this device
  copy(src, dst)                           dst[...] = src: src of dst's shape or 0-d (broadcast), casting as needed
  elementwise(op, inputs, shape, out_dtypes, outs, dtype)
                                           op(*inputs) into outs, or into new arrays when outs is None
  reduce(op, x, axes, keepdims, out, dtype, **params)     out = op.reduce over axes
  ufunc_reduce / ufunc_accumulate / ufunc_at    NumPy ufunc methods for ufuncs without a core row
  run(name, *args, **kwargs)               a named algorithm (sort, cumsum, solve, fft, ...)

The core has resolved dtypes, shapes, axes and ``out`` before any of these is called: nothing here
checks user input.
"""
# cython: language_level=3
cimport numpy as cnp
import numpy as np

from .._core.ndarray cimport ndarray, wrap_host
from . import host_memory
from .host_memory cimport POOLED, empty as _pool_empty

_ufuncs = {}


def _floor_divide(x1, x2, out=None, **kw):
    """NumPy's floor_divide, except where an operand is infinite: the standard's answer there is x1 / x2
    (inf // 2 is inf, 1 // -inf is -0.0) where NumPy answers nan or -1."""
    fix = None
    if np.result_type(x1, x2).kind == "f":
        with np.errstate(all="ignore"):
            where = np.isinf(x1) | np.isinf(x2)
            if where.any():
                fix = (np.divide(x1, x2), where)  # before `out`, which may be x1, is written
    r = np.floor_divide(x1, x2, out=out, **kw)
    if fix is not None:
        r = r if type(r) is np.ndarray else np.asarray(r)
        np.copyto(r, fix[0], where=fix[1], casting="unsafe")
    return r


def _expm1(x, out=None, **kw):
    """NumPy's expm1, except for complex zeros and non-finite values, where the standard's special cases
    are those of exp(x) - 1, which NumPy's complex expm1 does not follow."""
    fix = None
    if np.result_type(x).kind == "c":
        with np.errstate(all="ignore"):
            where = ~np.isfinite(x) | (x == 0)
            if where.any():
                fix = (np.exp(x) - 1, where)
    r = np.expm1(x, out=out, **kw)
    if fix is not None:
        r = r if type(r) is np.ndarray else np.asarray(r)
        np.copyto(r, fix[0], where=fix[1], casting="unsafe")
    return r


# np.sum(x, ...) and friends are these ufuncs' reduce behind a Python wrapper that costs ~1.5 us a call.
_REDUCE_UFUNCS = {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}

# Where NumPy's answer differs from the standard's, the host runs these instead of NumPy's ufunc.
_STANDARD = {"floor_divide": _floor_divide, "expm1": _expm1}


def probe():
    return None  # the CPU is always there


cdef inline bint _pooled(object shape, object dtype) except -1:
    """Whether a new array of ``shape`` and ``dtype`` comes from the caching allocator (host_memory.pyx)."""
    if type(shape) is not tuple or not isinstance(dtype, cnp.dtype):
        return False
    cdef Py_ssize_t n = (<cnp.dtype>dtype).itemsize
    for d in <tuple>shape:
        n *= <Py_ssize_t>d
    return n >= POOLED


cdef inline object _np(x):
    """NumPy view of an rdnarray array; everything else passes through."""
    if isinstance(x, ndarray):
        return (<ndarray>x)._view()
    return x


# Compiled (Cython) because elementwise() is on the path of every small operation.
class Backend:
    kind = "cpu"

    def __init__(self, index=0):
        from .._core.devices import CPU
        self.device = CPU

    def describe(self):
        return f"NumPy {np.__version__} on the host CPU"

    # -- memory ----------------------------------------------------------------------------------
    def empty(self, shape, dtype):
        # Large arrays come from the caching allocator (host_memory.pyx): fresh pages cost more than most ops.
        return wrap_host(_pool_empty(shape, dtype), self.device)

    def empty_cache(self):
        """Give the idle blocks of the caching allocator for large arrays back to the OS."""
        host_memory.empty_cache()

    def memory_stats(self):
        return host_memory.stats()

    def from_numpy(self, arr):
        return wrap_host(arr, self.device)

    def to_numpy(self, x):
        return x._view()

    def copy(self, src, dst):
        d = dst._view()
        s = _np(src)
        if d.dtype.kind != "c" and getattr(s, "dtype", d.dtype).kind == "c":
            np.copyto(d, s, casting="unsafe")  # keeps NumPy's single ComplexWarning for complex -> real
        else:
            d[...] = s  # the same unsafe cast as copyto, at half its per-call cost

    # -- execution --------------------------------------------------------------------------------
    def elementwise(self, op, inputs, shape, out_dtypes, outs, dtype):
        """Run ``op`` on ``inputs``; into ``outs`` when given, else into new arrays, returned as a tuple."""
        f = _ufuncs.get(op.numpy)
        if f is None:
            f = _ufuncs[op.numpy] = _STANDARD.get(op.numpy) or getattr(np, op.numpy)
        args = tuple([_np(a) for a in inputs])
        if outs is not None:
            # The core has checked the user's casting rule; the cast into outs is already allowed.
            if dtype is None:
                f(*args, out=tuple([_np(o) for o in outs]), casting="unsafe")
            else:
                f(*args, out=tuple([_np(o) for o in outs]), dtype=dtype, casting="unsafe")
            return outs
        if _pooled(shape, out_dtypes[0]):
            r = self._into_new(f, args, shape, out_dtypes, dtype)
            if r is not None:
                return r
        # Letting NumPy allocate is the fastest path for small arrays; its dtype resolution is the core's
        # (ops.py), and a disagreement would be a bug in the table, so it is cast rather than trusted.
        r = f(*args) if dtype is None else f(*args, dtype=dtype)
        if len(out_dtypes) == 1:
            dt = out_dtypes[0]
            if type(r) is not np.ndarray:  # NumPy returns scalars for 0-d inputs
                r = np.asarray(r)
            if r.dtype is not dt and r.dtype != dt:
                r = r.astype(dt)
            return (wrap_host(r, self.device),)
        return tuple([wrap_host(np.asarray(ri, dt), self.device) for ri, dt in zip(r, out_dtypes)])

    def _into_new(self, f, args, shape, out_dtypes, dtype):
        """``f(*args)`` into new arrays from the caching allocator, or None where NumPy's result dtype
        cannot be written into the core's under NumPy's default casting rule: the caller then keeps its
        allocate-and-cast path, so results, dtypes and errors are those of that path."""
        outs = tuple([_pool_empty(shape, dt) for dt in out_dtypes])
        try:
            if dtype is None:
                f(*args, out=outs)
            else:
                f(*args, out=outs, dtype=dtype)
        except TypeError:  # NumPy checks casting before it writes or computes anything
            return None
        return tuple([wrap_host(o, self.device) for o in outs])

    def reduce(self, op, x, axes, keepdims, out, dtype, **params):
        f = _REDUCE_UFUNCS.get(op.numpy)
        f = getattr(np, op.numpy) if f is None else f.reduce
        kw = {"dtype": dtype} if dtype is not None and op.takes_dtype else {}
        f(x._view(), axis=axes, keepdims=keepdims, out=out._view(), **kw, **params)

    def ufunc_reduce(self, op, x, axes, keepdims, out, dtype, **params):
        """``op``'s NumPy ufunc ``reduce`` over ``axes`` into ``out`` (for ufuncs without a reduction row)."""
        kw = {"dtype": dtype} if dtype is not None else {}
        getattr(np, op.numpy).reduce(x._view(), axis=axes, keepdims=keepdims, out=out._view(), **kw, **params)

    def ufunc_accumulate(self, op, x, axis, out, dtype):
        getattr(np, op.numpy).accumulate(x._view(), axis=axis, dtype=dtype, out=out._view())

    def ufunc_at(self, op, a, indices, b):
        """Unbuffered in-place ``a[indices] = op(a[indices], b)``; ``indices`` may be a tuple of arrays."""
        f = getattr(np, op.numpy)
        idx = tuple([_np(i) for i in indices]) if isinstance(indices, tuple) else _np(indices)
        if b is None:
            f.at(a._view(), idx)
        else:
            f.at(a._view(), idx, _np(b))

    def run(self, name, *args, **kwargs):
        """Run NumPy's ``name`` (dotted for submodules: 'linalg.solve') on host views of the arrays
        in args; the results come back as arrays on this device (tuples stay tuples)."""
        f = _lookup(name)
        if kwargs:
            kwargs = {k: _np(v) for k, v in kwargs.items()}
        result = f(*[_np(a) for a in args], **kwargs)
        return self.wrap(result)

    def wrap(self, result):
        if isinstance(result, np.ndarray):
            return wrap_host(result, self.device)
        if isinstance(result, np.generic):
            return wrap_host(np.asarray(result), self.device)
        if isinstance(result, tuple):
            return type(result)(*[self.wrap(r) for r in result]) if hasattr(result, "_fields") \
                else tuple(self.wrap(r) for r in result)
        if isinstance(result, list):
            return [self.wrap(r) for r in result]
        return result


from .host_select import compress as _compress, extract as _extract

# x[mask] (the core's "extract") and compress: one pass, faster than either of NumPy's (host_select.pyx)
_functions = {"compress": _compress, "extract": _extract}


def _lookup(name):
    f = _functions.get(name)
    if f is None:
        f = np
        for part in name.split("."):
            f = getattr(f, part)
        _functions[name] = f
    return f
