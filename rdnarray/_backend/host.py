"""The host (CPU) backend: memory is NumPy's, and resolved work runs as NumPy calls on views of it.

It is the embedded default without a GPU, as fast as NumPy, and the readable reference for every
kernel of the GPU backend, which implements the same contract:

  empty(shape, dtype)                      a new C-contiguous array on this device
  from_numpy(arr) / to_numpy(x)            copies between host memory and this device
  copy(src, dst)                           dst[...] = src, same shape, casting as needed
  elementwise(op, inputs, outs, dtype)     outs = op(*inputs); inputs are arrays or Python scalars
  reduce(op, x, axes, keepdims, out, dtype, **params)     out = op.reduce over axes
  run(name, *args, **kwargs)               a named algorithm (sort, cumsum, solve, fft, ...)

The core has resolved dtypes, shapes, axes and ``out`` before any of these is called: nothing here
checks user input.
"""
import numpy as np

from .._core.ndarray import wrap_host

_ufuncs = {}


def probe():
    return None  # the CPU is always there


def _np(x):
    """NumPy view of an rdnarray array; everything else passes through."""
    v = getattr(x, "_view", None)
    return v() if v is not None else x


class Backend:
    kind = "cpu"

    def __init__(self, index=0):
        from .._core.devices import CPU
        self.device = CPU

    def describe(self):
        return f"NumPy {np.__version__} on the host CPU"

    # -- memory ----------------------------------------------------------------------------------
    def empty(self, shape, dtype):
        return wrap_host(np.empty(shape, dtype), self.device)

    def from_numpy(self, arr):
        return wrap_host(arr, self.device)

    def to_numpy(self, x):
        return x._view()

    def copy(self, src, dst):
        np.copyto(dst._view(), _np(src), casting="unsafe")

    # -- execution --------------------------------------------------------------------------------
    def elementwise(self, op, inputs, outs, dtype):
        f = _ufuncs.get(op.numpy)
        if f is None:
            f = _ufuncs[op.numpy] = getattr(np, op.numpy)
        if len(inputs) == 2:
            args = (_np(inputs[0]), _np(inputs[1]))
        else:
            args = [_np(a) for a in inputs]
        if len(outs) == 1:
            o = outs[0]._view()
            if dtype is None:
                f(*args, out=o)
            else:
                f(*args, out=o, dtype=dtype)
        else:
            f(*args, out=tuple(o._view() for o in outs), **({} if dtype is None else {"dtype": dtype}))

    def reduce(self, op, x, axes, keepdims, out, dtype, **params):
        f = getattr(np, op.numpy)
        kw = {"dtype": dtype} if dtype is not None and op.takes_dtype else {}
        f(x._view(), axis=axes, keepdims=keepdims, out=out._view(), **kw, **params)

    def run(self, name, *args, **kwargs):
        """Run NumPy's ``name`` (dotted for submodules: 'linalg.solve') on host views of the arrays
        in args; the results come back as arrays on this device (tuples stay tuples)."""
        f = _lookup(name)
        result = f(*[_np(a) for a in args], **{k: _np(v) for k, v in kwargs.items()})
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


_functions = {}


def _lookup(name):
    f = _functions.get(name)
    if f is None:
        f = np
        for part in name.split("."):
            f = getattr(f, part)
        _functions[name] = f
    return f
