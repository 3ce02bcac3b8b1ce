# cython: language_level=3
"""The array: a typed, strided view of a Buffer on one device.

Only storage, the Python protocols and operator plumbing live here. Every operation is delegated to the
public namespace (bound once by ``rdnarray/__init__.py`` through ``_bind``), so the semantics of
``x + y`` and ``rp.add(x, y)`` can never drift apart.
"""
cimport numpy as cnp
from cpython.object cimport PyTypeObject
from cpython.ref cimport Py_INCREF
from cpython.slice cimport PySlice_AdjustIndices, PySlice_Unpack
from libc.stdint cimport intptr_t

import numpy as np

cnp.import_array()

cdef extern from "numpy/arrayobject.h":
    ctypedef struct _Descr "PyArray_Descr"
    object PyArray_NewFromDescr(PyTypeObject* subtype, _Descr* descr, int nd, cnp.npy_intp* dims,
                                cnp.npy_intp* strides, void* data, int flags, object obj)

# The public namespace (the rdnarray module) and the indexing entry points, looked up once by _bind()
# when rdnarray is imported: x[i] is too frequent to pay for attribute chains on every call.
cdef object _rp = None
cdef object _getitem = None
cdef object _setitem = None


def _bind(namespace):
    global _rp, _getitem, _setitem
    _rp = namespace
    _getitem = namespace._core.indexing.getitem
    _setitem = namespace._core.indexing.setitem


cdef class Buffer:
    def __init__(self, intptr_t ptr, owner, device, bint readonly=False):
        self.ptr = ptr
        self.owner = owner
        self.device = device
        self.readonly = readonly


cdef ndarray make(Buffer buf, tuple shape, tuple strides, Py_ssize_t offset, object dtype):
    cdef ndarray a = ndarray.__new__(ndarray)
    a._buffer = buf
    a.shape = shape
    a._strides = strides
    a._offset = offset
    a.dtype = dtype
    return a


cpdef ndarray wrap_host(cnp.ndarray arr, object device):
    """An ndarray sharing the memory of the NumPy array ``arr`` (no copy)."""
    cdef object o = arr
    cdef Buffer buf = Buffer.__new__(Buffer)
    buf.ptr = <intptr_t>cnp.PyArray_DATA(arr)
    buf.owner = arr
    buf.device = device
    buf.readonly = not cnp.PyArray_ISWRITEABLE(arr)
    cdef ndarray a = make(buf, o.shape, o.strides, 0, o.dtype)
    a._host = arr
    return a


cpdef ndarray from_buffer(Buffer buf, tuple shape, tuple strides, Py_ssize_t offset, object dtype):
    """An array over device memory ``buf`` (how GPU backends make arrays); ``offset`` in bytes."""
    return make(buf, shape, strides, offset, dtype)


cpdef ndarray make_view(ndarray base, tuple shape, tuple strides, Py_ssize_t offset, object dtype=None):
    """A view of ``base``'s buffer with a new layout; ``offset`` is in bytes from the buffer start."""
    return make(base._buffer, shape, strides, offset, base.dtype if dtype is None else dtype)


cdef class ndarray:
    """An N-dimensional array on one device (the CPU or a GPU).

    Create arrays with ``rdnarray.asarray``, ``rdnarray.zeros`` and the other creation functions; the
    constructor ``ndarray(shape, dtype=float64, device=None)`` allocates uninitialized memory like
    ``numpy.ndarray``.
    """

    def __init__(self, shape, dtype=None, *, device=None):
        cdef ndarray a = _rp.empty(shape, dtype=dtype, device=device)
        self._buffer = a._buffer
        self.shape = a.shape
        self._strides = a._strides
        self._offset = a._offset
        self.dtype = a.dtype
        self._host = a._host

    # -- storage -------------------------------------------------------------------------------------
    cpdef object _view(self):
        """The NumPy view of this array's memory (host arrays only): what the host backend executes on."""
        cdef cnp.npy_intp dims[64]
        cdef cnp.npy_intp strides[64]
        cdef int i, nd
        if self._host is not None:
            return self._host
        if self._buffer.device.kind != "cpu":
            raise RuntimeError(f"array on {self._buffer.device} has no host view; use rdnarray.asnumpy()")
        nd = len(self.shape)
        if nd > 64:
            raise ValueError(f"arrays of more than 64 dimensions are not supported (got {nd})")
        for i in range(nd):
            dims[i] = self.shape[i]
            strides[i] = self._strides[i]
        descr = self.dtype
        Py_INCREF(descr)  # PyArray_NewFromDescr steals a reference
        flags = 0 if self._buffer.readonly else cnp.NPY_ARRAY_WRITEABLE
        arr = PyArray_NewFromDescr(<PyTypeObject*>np.ndarray, <_Descr*>descr, nd, dims, strides,
                                       <void*>(self._buffer.ptr + self._offset), flags, None)
        cnp.set_array_base(arr, self._buffer.owner)
        self._host = arr
        return arr

    @property
    def device(self):
        return self._buffer.device

    @property
    def strides(self):
        return self._strides

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        cdef Py_ssize_t n = 1
        for s in self.shape:
            n *= <Py_ssize_t>s
        return n

    @property
    def itemsize(self):
        return self.dtype.itemsize

    @property
    def nbytes(self):
        return self.size * self.dtype.itemsize

    @property
    def data(self):
        """The Buffer this array views."""
        return self._buffer

    @property
    def base(self):
        return self._buffer.owner

    @property
    def flags(self):
        return _rp._core.views.Flags(self)

    @property
    def T(self):
        return _rp.transpose(self)

    @property
    def mT(self):
        return _rp.matrix_transpose(self)

    @property
    def real(self):
        return _rp.real(self)

    @real.setter
    def real(self, value):
        _rp._core.indexing.setitem(_rp._core.views.real_view(self), Ellipsis, value)

    @property
    def imag(self):
        return _rp.imag(self)

    @imag.setter
    def imag(self, value):
        _rp._core.indexing.setitem(_rp._core.views.imag_view(self), Ellipsis, value)

    # -- Python protocols ----------------------------------------------------------------------------
    def __array_namespace__(self, *, api_version=None):
        if api_version is not None and api_version not in _rp._SUPPORTED_API_VERSIONS:
            raise ValueError(f"rdnarray supports Array API versions {_rp._SUPPORTED_API_VERSIONS}, "
                             f"not {api_version!r}")
        return _rp

    def to_device(self, device, /, *, stream=None):
        return _rp._core.transfer.to_device(self, device, stream)

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        return _rp._core.dlpack.to_dlpack(self, stream, max_version, dl_device, copy)

    def __dlpack_device__(self):
        return _rp._core.dlpack.dlpack_device(self)

    def __array__(self, dtype=None, copy=None):
        return _rp._core.transfer.to_numpy(self, dtype, copy)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _rp._core.protocols.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _rp._core.protocols.array_function(func, types, args, kwargs)

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self.shape[0]))

    def __getitem__(self, key):
        cdef Py_ssize_t start, stop, step, n, s
        if type(key) is slice and self.shape:
            # x[a:b:c], as common as x[i]: the view without leaving C (indexing.getitem takes ~0.6 us more).
            PySlice_Unpack(key, &start, &stop, &step)
            n = PySlice_AdjustIndices(self.shape[0], &start, &stop, step)
            s = self._strides[0]
            return make(self._buffer, (n,) + self.shape[1:], (step * s,) + self._strides[1:],
                        self._offset + start * s if n else self._offset, self.dtype)
        return _getitem(self, key)

    def __setitem__(self, key, value):
        _setitem(self, key, value)

    def __bool__(self):
        return bool(self._scalar("bool"))

    def __int__(self):
        return int(self._scalar("int"))

    def __float__(self):
        return float(self._scalar("float"))

    def __complex__(self):
        return complex(self._scalar("complex"))

    def __index__(self):
        if self.dtype.kind not in "iu":
            raise TypeError(f"only integer arrays can be used as an index, not {self.dtype}")
        return int(self._scalar("index"))

    def _scalar(self, str what):
        if self.size != 1:
            if what == "bool":
                raise ValueError(f"the truth value of an array with {self.size} elements is ambiguous; "
                                 "use a.any() or a.all()")
            raise TypeError(f"only arrays of size 1 can be converted to Python scalars "
                            f"(got shape {self.shape})")
        if what in ("int", "float") and self.dtype.kind == "c":
            raise TypeError(f"cannot convert a complex array to {what}; take .real first")
        return _rp._core.transfer.to_numpy(self, None, None).reshape(()).item()

    def item(self, *args):
        return _rp._core.transfer.to_numpy(self, None, None).item(*args)

    def tolist(self):
        return _rp._core.transfer.to_numpy(self, None, None).tolist()

    def __repr__(self):
        text = repr(_rp._core.transfer.to_numpy(self, None, None))
        if self._buffer.device.kind != "cpu":
            text = text[:-1] + f", device={str(self._buffer.device)!r})"
        return text

    def __str__(self):
        return str(_rp._core.transfer.to_numpy(self, None, None))

    def __format__(self, spec):
        return format(_rp._core.transfer.to_numpy(self, None, None), spec)

    def __copy__(self):
        return _rp.asarray(self, copy=True)

    def __deepcopy__(self, memo):
        return _rp.asarray(self, copy=True)

    def __reduce__(self):
        return (_rp._core.transfer.from_pickle,
                (_rp._core.transfer.to_numpy(self, None, True), str(self._buffer.device)))

    __hash__ = None

    # -- operators: thin calls into the namespace ----------------------------------------------------
    def __pos__(self): return _rp.positive(self)
    def __neg__(self): return _rp.negative(self)
    def __abs__(self): return _rp.abs(self)
    def __invert__(self): return _rp.bitwise_invert(self)

    def __add__(self, other): return _rp.add(self, other)
    def __radd__(self, other): return _rp.add(other, self)
    def __iadd__(self, other): return _rp.add(self, other, out=self)
    def __sub__(self, other): return _rp.subtract(self, other)
    def __rsub__(self, other): return _rp.subtract(other, self)
    def __isub__(self, other): return _rp.subtract(self, other, out=self)
    def __mul__(self, other): return _rp.multiply(self, other)
    def __rmul__(self, other): return _rp.multiply(other, self)
    def __imul__(self, other): return _rp.multiply(self, other, out=self)
    def __truediv__(self, other): return _rp.divide(self, other)
    def __rtruediv__(self, other): return _rp.divide(other, self)
    def __itruediv__(self, other): return _rp.divide(self, other, out=self)
    def __floordiv__(self, other): return _rp.floor_divide(self, other)
    def __rfloordiv__(self, other): return _rp.floor_divide(other, self)
    def __ifloordiv__(self, other): return _rp.floor_divide(self, other, out=self)
    def __mod__(self, other): return _rp.remainder(self, other)
    def __rmod__(self, other): return _rp.remainder(other, self)
    def __imod__(self, other): return _rp.remainder(self, other, out=self)
    def __divmod__(self, other): return _rp.divmod(self, other)
    def __rdivmod__(self, other): return _rp.divmod(other, self)
    def __pow__(self, other, mod=None): return _rp.pow(self, other)
    def __rpow__(self, other, mod=None): return _rp.pow(other, self)
    def __ipow__(self, other): return _rp.pow(self, other, out=self)
    def __matmul__(self, other): return _rp._core.protocols.binop(_rp.matmul, self, other)
    def __rmatmul__(self, other): return _rp._core.protocols.binop(_rp.matmul, other, self)
    def __imatmul__(self, other): return _rp._core.protocols.imatmul(self, other)
    def __and__(self, other): return _rp.bitwise_and(self, other)
    def __rand__(self, other): return _rp.bitwise_and(other, self)
    def __iand__(self, other): return _rp.bitwise_and(self, other, out=self)
    def __or__(self, other): return _rp.bitwise_or(self, other)
    def __ror__(self, other): return _rp.bitwise_or(other, self)
    def __ior__(self, other): return _rp.bitwise_or(self, other, out=self)
    def __xor__(self, other): return _rp.bitwise_xor(self, other)
    def __rxor__(self, other): return _rp.bitwise_xor(other, self)
    def __ixor__(self, other): return _rp.bitwise_xor(self, other, out=self)
    def __lshift__(self, other): return _rp.bitwise_left_shift(self, other)
    def __rlshift__(self, other): return _rp.bitwise_left_shift(other, self)
    def __ilshift__(self, other): return _rp.bitwise_left_shift(self, other, out=self)
    def __rshift__(self, other): return _rp.bitwise_right_shift(self, other)
    def __rrshift__(self, other): return _rp.bitwise_right_shift(other, self)
    def __irshift__(self, other): return _rp.bitwise_right_shift(self, other, out=self)

    def __eq__(self, other): return _rp.equal(self, other)
    def __ne__(self, other): return _rp.not_equal(self, other)
    def __lt__(self, other): return _rp.less(self, other)
    def __le__(self, other): return _rp.less_equal(self, other)
    def __gt__(self, other): return _rp.greater(self, other)
    def __ge__(self, other): return _rp.greater_equal(self, other)

    def __contains__(self, value):
        return bool(_rp.any(_rp.equal(self, value)))

    # -- NumPy methods: each is the namespace function of the same name ------------------------------
    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True, *, device=None):
        return _rp.astype(self, dtype, copy=copy, device=device, casting=casting)

    def copy(self, order="C"):
        return _rp.asarray(self, copy=True)

    def fill(self, value):
        _rp._core.indexing.setitem(self, Ellipsis, value)

    def view(self, dtype=None, type=None):
        return _rp._core.views.dtype_view(self, dtype)

    def reshape(self, *shape, order="C", copy=None):
        if len(shape) == 1 and not isinstance(shape[0], int):
            shape = shape[0]
        return _rp.reshape(self, shape, order=order, copy=copy)

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], int)):
            axes = axes[0]
        return _rp.transpose(self, axes or None)

    def swapaxes(self, axis1, axis2): return _rp.swapaxes(self, axis1, axis2)
    def ravel(self, order="C"): return _rp.ravel(self, order)
    def flatten(self, order="C"): return _rp.reshape(_rp.asarray(self, copy=True), (-1,))
    def squeeze(self, axis=None): return _rp.squeeze(self, axis=axis)
    def repeat(self, repeats, axis=None): return _rp.repeat(self, repeats, axis=axis)
    def diagonal(self, offset=0, axis1=0, axis2=1): return _rp.diagonal(self, offset, axis1, axis2)
    def trace(self, offset=0, axis1=0, axis2=1, dtype=None, out=None):
        return _rp.trace(self, offset, axis1, axis2, dtype, out)
    def take(self, indices, axis=None, out=None, mode="raise"):
        return _rp.take(self, indices, axis=axis, out=out, mode=mode)
    def put(self, indices, values, mode="raise"): return _rp.put(self, indices, values, mode=mode)
    def nonzero(self): return _rp.nonzero(self)
    def sort(self, axis=-1, kind=None, order=None, *, stable=None):
        _rp._core.indexing.setitem(self, Ellipsis, _rp.sort(self, axis=axis, kind=kind, stable=stable))
    def argsort(self, axis=-1, kind=None, order=None, *, stable=None):
        return _rp.argsort(self, axis=axis, kind=kind, stable=stable)
    def searchsorted(self, v, side="left", sorter=None): return _rp.searchsorted(self, v, side=side, sorter=sorter)
    def dot(self, b, out=None): return _rp.dot(self, b, out=out)
    def conj(self): return _rp.conj(self)
    def conjugate(self): return _rp.conj(self)
    def round(self, decimals=0, out=None): return _rp.round(self, decimals=decimals, out=out)
    def clip(self, min=None, max=None, out=None, **kwargs): return _rp.clip(self, min, max, out=out, **kwargs)

    def sum(self, axis=None, dtype=None, out=None, keepdims=False, **kw):
        return _rp.sum(self, axis=axis, dtype=dtype, out=out, keepdims=keepdims, **kw)
    def prod(self, axis=None, dtype=None, out=None, keepdims=False, **kw):
        return _rp.prod(self, axis=axis, dtype=dtype, out=out, keepdims=keepdims, **kw)
    def mean(self, axis=None, dtype=None, out=None, keepdims=False, **kw):
        return _rp.mean(self, axis=axis, dtype=dtype, out=out, keepdims=keepdims, **kw)
    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kw):
        return _rp.var(self, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims, **kw)
    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kw):
        return _rp.std(self, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims, **kw)
    def max(self, axis=None, out=None, keepdims=False, **kw):
        return _rp.max(self, axis=axis, out=out, keepdims=keepdims, **kw)
    def min(self, axis=None, out=None, keepdims=False, **kw):
        return _rp.min(self, axis=axis, out=out, keepdims=keepdims, **kw)
    def ptp(self, axis=None, out=None, keepdims=False):
        return _rp.ptp(self, axis=axis, out=out, keepdims=keepdims)
    def all(self, axis=None, out=None, keepdims=False, **kw):
        return _rp.all(self, axis=axis, out=out, keepdims=keepdims, **kw)
    def any(self, axis=None, out=None, keepdims=False, **kw):
        return _rp.any(self, axis=axis, out=out, keepdims=keepdims, **kw)
    def argmax(self, axis=None, out=None, *, keepdims=False):
        return _rp.argmax(self, axis=axis, out=out, keepdims=keepdims)
    def argmin(self, axis=None, out=None, *, keepdims=False):
        return _rp.argmin(self, axis=axis, out=out, keepdims=keepdims)
    def cumsum(self, axis=None, dtype=None, out=None):
        return _rp.cumsum(self, axis=axis, dtype=dtype, out=out)
    def cumprod(self, axis=None, dtype=None, out=None):
        return _rp.cumprod(self, axis=axis, dtype=dtype, out=out)
