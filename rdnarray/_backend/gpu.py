"""The GPU backend: one executor for AMD (HIP) and NVIDIA (CUDA) devices.

It implements the contract of the host backend (see host.pyx) on device memory: arrays live in blocks
of a caching pool, work runs as kernels compiled at run time for the device's exact architecture
(kernels/ generates them from src_hip/ templates). The vendor difference stays in driver/cuda/hip.

Named algorithms (``run``) go to a native kernel where one is registered in ``NATIVE``; the rest run on
the host on a copy and come back (a correct answer first; ``native_names()`` lists what stays on the
device, and show_config() says linalg/fft compute on the host for now). A native implementation may
return NotImplemented for an argument combination it does not cover: the host runs it then.
"""
import numpy as np

from .._core.ndarray import make_view, ndarray
from . import compiler, driver
from . import fastpath as _fastpath
from .memory import Pool
from .kernels import elementwise as _elementwise
from .kernels import gemm as _gemm
from .kernels import indexing as _indexing
from .kernels import reduction as _reduction
from .kernels import sorting as _sorting

# NumPy functions whose first argument (or ``out=``) is written in place (nan_to_num: the core calls it with
# copy=False): the host fallback copies it back.
_MUTATES_FIRST = frozenset(("copyto", "put_along_axis", "putmask", "place", "put", "nan_to_num"))


def _native_table():
    from .composite import native_table
    table = native_table()  # compositions of other operations; a module of kernels below takes precedence
    for mod in (_sorting, _indexing, _gemm, _reduction):
        table.update(mod.NATIVE)
    for name in ("cumsum", "cumprod", "nancumsum", "nancumprod"):
        table[name] = _scan_native(name)
    return table


def _scan_native(name):
    def run(backend, x, axis=None, dtype=None, out=None):
        if out is None or axis is None:
            return NotImplemented
        from .kernels import scan
        return scan.run(backend, name, x, axis, dtype, out)
    return run


NATIVE = _native_table()


def native_names():
    """The named algorithms that run as GPU kernels (the rest compute on the host)."""
    return sorted(NATIVE) + ["zeros"]


def probe():
    """None when a GPU can be used here, else why not."""
    try:
        drv = driver.load()
    except driver.Unavailable as e:
        return str(e)
    n = drv.device_count()
    if n == 0:
        return f"the {drv.name} runtime loaded ({drv.library}), but it reports no device"
    return None


def _is_c_contiguous(x):
    s = x.dtype.itemsize
    for n, st in zip(reversed(x.shape), reversed(x._strides)):
        if n != 1 and st != s:
            return False
        s *= n
    return True


class Backend:
    kind = "gpu"

    def __init__(self, index=0):
        self.driver = driver.load()
        if not 0 <= index < self.driver.device_count():
            raise RuntimeError(f"rdnarray: no GPU {index}: the {self.driver.vendor.upper()} runtime reports "
                               f"{self.driver.device_count()} device(s)")
        self.index = index
        self.driver.set_device(index)
        self.props = self.driver.properties(index)
        self.pool = Pool(self.driver, f"gpu:{index}")
        self.stream = 0  # the current stream (rdnarray.gpu.Stream switches it)
        self._device = None

    @property
    def device(self):
        # Looked up lazily: the Device object is interned only after its backend exists.
        if self._device is None:
            from .._core.devices import as_device
            self._device = as_device(f"gpu:{self.index}")
        return self._device

    def device_count(self):
        return self.driver.device_count()

    def describe(self):
        p = self.props
        return (f"{p['name']} ({p['arch']}, {p['compute_units']} compute units, "
                f"{p['total_memory'] / 2**30:.1f} GiB, warp size {p['warp_size']}) "
                f"through the {self.driver.name} runtime ({self.driver.library})")

    def function(self, source, name, options=()):
        """A compiled kernel of ``source`` for this device (cached in memory and on disk)."""
        return compiler.get_function(self.driver, self.index, source, name, tuple(options))

    def philox_uniform(self, out, bit_generator, low=None, high=None):
        """Fill the C-contiguous float array ``out`` with the uniform draws of the numpy.random.Philox
        ``bit_generator`` (NumPy's Generator.random, or uniform(low, high)), computed here; advance it."""
        from .kernels import philox
        return philox.fill(self, out, bit_generator, low, high)

    # -- memory ----------------------------------------------------------------------------------
    # empty(shape, dtype): an uninitialized C-contiguous array (NumPy's strides) from the
    # pool. In Cython (fastpath.pyx) because every op allocates its result through it.
    empty = _fastpath.empty

    def from_numpy(self, arr):
        arr = np.asarray(arr, order="C")  # (not ascontiguousarray, which makes 0-d arrays 1-d)
        out = self.empty(arr.shape, arr.dtype)
        if arr.nbytes:
            # A pageable source is staged by the driver before this returns, so `arr` may go away after.
            self.driver.memcpy_htod(out._buffer.ptr, arr.ctypes.data, arr.nbytes, self.stream)
        return out

    def to_numpy(self, x, out=None):
        """A NumPy copy of ``x``; into ``out`` when given (a C-contiguous array of x's shape and dtype,
        e.g. pinned memory from rdnarray.gpu.empty_pinned, which the copy reaches at full bus speed)."""
        x = self.contiguous(x)
        arr = np.empty(x.shape, x.dtype) if out is None else out
        if arr.nbytes:
            self.driver.memcpy_dtoh(arr.ctypes.data, x._buffer.ptr + x._offset, arr.nbytes, self.stream)
            self.driver.stream_synchronize(self.stream)
        return arr

    def contiguous(self, x):
        """``x`` itself when C-contiguous, else a C-contiguous copy."""
        if _is_c_contiguous(x):
            return x
        out = self.empty(x.shape, x.dtype)
        self.copy(x, out)
        return out

    def _on_device(self, v):
        """``v`` as an array of this device (host arrays and scalars are copied over)."""
        if isinstance(v, ndarray):
            if v.device == self.device:
                return v
            return self.from_numpy(v.device.backend.to_numpy(v))
        return self.from_numpy(np.asarray(v))

    def copy(self, src, dst):
        src = self._on_device(src)
        if dst.size == 0:
            return
        if (src.dtype == dst.dtype and src.shape == dst.shape
                and _is_c_contiguous(src) and _is_c_contiguous(dst)):
            self.driver.memcpy_dtod(dst._buffer.ptr + dst._offset, src._buffer.ptr + src._offset,
                                    dst.nbytes, self.stream)
            return
        _elementwise.run(self, "cast", (self._broadcast(src, dst.shape),), (dst,))

    def _broadcast(self, x, shape):
        """A view of ``x`` with ``shape`` (zero strides on broadcast axes)."""
        if x.shape == shape:
            return x
        if not x.shape:  # a 0-d value (x[k] = 0): every element reads it
            return make_view(x, shape, (0,) * len(shape), x._offset)
        from .._core.views import broadcast_to
        return broadcast_to(x, shape)

    # -- execution --------------------------------------------------------------------------------
    # elementwise(op, inputs, shape, out_dtypes, outs, dtype): the host contract's elementwise. The common
    # small-op case (inputs of the output's shape or Python scalars, no out=/dtype=) launches from
    # fastpath.pyx with a plan kept from the first call of its kind; the rest runs _general_elementwise.
    elementwise = _fastpath.elementwise

    def _general_elementwise(self, op, inputs, shape, out_dtypes, outs, dtype):
        args = tuple([self._broadcast(a, shape) if isinstance(a, ndarray) else a for a in inputs])
        if outs is None:
            outs = tuple([self.empty(shape, dt) for dt in out_dtypes])
        _elementwise.run(self, op, args, outs, dtype)
        return outs

    def reduce(self, op, x, axes, keepdims, out, dtype, **params):
        if x.size and out.size and _reduction.run(self, op, x, axes, keepdims, out, dtype,
                                                  **params) is not NotImplemented:
            return
        if op.numpy in ("median", "nanmedian") and not params:  # order statistics: a sort on the device
            if NATIVE[op.numpy](self, x, axis=axes, keepdims=keepdims, out=out) is not NotImplemented:
                return
        self._host_into(out, lambda h: self._host().reduce(op, h(x), axes, keepdims, h(out), dtype, **params))

    def ufunc_reduce(self, op, x, axes, keepdims, out, dtype, **params):
        self._host_into(out, lambda h: self._host().ufunc_reduce(op, h(x), axes, keepdims, h(out), dtype, **params))

    def ufunc_accumulate(self, op, x, axis, out, dtype):
        self._host_into(out, lambda h: self._host().ufunc_accumulate(op, h(x), axis, h(out), dtype))

    def ufunc_at(self, op, a, indices, b):
        self._host_into(a, lambda h: self._host().ufunc_at(op, h(a), h(indices), h(b)))

    def run(self, name, *args, **kwargs):
        """NumPy's ``name`` on these arguments: a GPU kernel where one is native, else on the host."""
        f = NATIVE.get(name)
        if f is not None:
            r = f(self, *args, **kwargs)
            if r is not NotImplemented:
                return r
        if name == "zeros" and len(args) == 1 and set(kwargs) <= {"dtype"}:
            out = self.empty(args[0] if isinstance(args[0], tuple) else (args[0],), kwargs.get("dtype", float))
            if out.nbytes:
                self.driver.memset_d8(out._buffer.ptr, 0, out.nbytes, self.stream)
            return out
        return self._run_on_host(name, args, kwargs)

    # -- the host fallback -------------------------------------------------------------------------
    def _host(self):
        from . import get
        return get("cpu")

    def _host_copy(self, v):
        """``v`` with every array of this device replaced by a host copy (lists/tuples followed)."""
        if isinstance(v, ndarray):
            if v.device.kind == "cpu":
                return v
            from .._core.ndarray import wrap_host
            return wrap_host(self.to_numpy(v), self._host().device)
        if isinstance(v, tuple):
            return tuple(self._host_copy(e) for e in v)
        if isinstance(v, list):
            return [self._host_copy(e) for e in v]
        return v

    def _host_into(self, target, work):
        """Run ``work(h)`` on host copies (``h`` converts) and copy ``target``'s host copy back."""
        copies = {}

        def h(v):
            if isinstance(v, ndarray) and v.device.kind != "cpu":
                c = copies.get(id(v))
                if c is None:
                    c = copies[id(v)] = (v, self._host_copy(v))
                return c[1]
            return self._host_copy(v)

        work(h)
        self.copy(h(target), target)

    def _run_on_host(self, name, args, kwargs):
        hargs = [self._host_copy(a) for a in args]
        hkw = {k: self._host_copy(v) for k, v in kwargs.items()}
        out = kwargs.get("out")
        result = self._host().run(name, *hargs, **hkw)
        if isinstance(out, ndarray) and out.device == self.device:
            self.copy(hkw["out"], out)
            return out
        if name in _MUTATES_FIRST and isinstance(args[0], ndarray) and args[0].device == self.device:
            self.copy(hargs[0], args[0])
        return self._to_device(result)

    def _to_device(self, result):
        if isinstance(result, ndarray):
            return self.from_numpy(result._view()) if result.device.kind == "cpu" else result
        if isinstance(result, tuple):
            items = [self._to_device(r) for r in result]
            return type(result)(*items) if hasattr(result, "_fields") else tuple(items)
        if isinstance(result, list):
            return [self._to_device(r) for r in result]
        return result
