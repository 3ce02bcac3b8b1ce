"""The long tail of NumPy's top-level names: scalar types and other metadata (NumPy's own objects),
printing, file I/O, polynomials, window functions, memory-overlap queries and the functional helpers.

Pure metadata (scalar type objects, ``errstate``, print options, ``s_``) is NumPy's own object. Functions
that take or return arrays take rdnarray arrays and return rdnarray arrays on the input's device; the ones
with no kernel of their own (printing, I/O, polynomials, ``vectorize``) are computed through NumPy on the
host, which this module's docstrings say where it applies.
"""
import operator

import numpy as np

from ._core import dtypes as _dt
from ._core import views as _views
from ._core.devices import as_device
from ._core.elementwise import broadcast_shapes
from ._core.ndarray import ndarray
from ._core.transfer import asarray, asnumpy

__all__ = [
    "isnat", "get_include",
    # scalar types and dtype metadata (NumPy's objects)
    "generic", "number", "integer", "signedinteger", "unsignedinteger", "inexact", "floating",
    "complexfloating", "character", "flexible", "bool_", "byte", "ubyte", "short", "ushort", "intc", "uintc",
    "int_", "uint", "long", "ulong", "longlong", "ulonglong", "intp", "uintp", "half", "single", "double",
    "longdouble", "csingle", "cdouble", "clongdouble", "bytes_", "str_", "void", "object_", "datetime64",
    "timedelta64", "True_", "False_", "ScalarType", "sctypeDict", "typecodes", "little_endian", "datetime_data",
    "exceptions", "dtypes",
    # floating-point error handling and buffers (the host backend's NumPy state)
    "errstate", "seterr", "geterr", "seterrcall", "geterrcall", "getbufsize", "setbufsize",
    # printing
    "set_printoptions", "get_printoptions", "printoptions", "array2string", "array_repr", "array_str",
    "format_float_positional", "format_float_scientific", "base_repr", "binary_repr", "info", "show_runtime",
    # I/O
    "save", "load", "savez", "savez_compressed", "savetxt", "loadtxt", "genfromtxt", "fromfile", "frombuffer",
    "fromiter", "fromstring", "memmap",
    # polynomials
    "poly", "polyval", "polyfit", "polyder", "polyint", "polyadd", "polysub", "polymul", "polydiv", "roots",
    # window functions
    "bartlett", "blackman", "hamming", "hanning", "kaiser",
    # array properties, memory and layout
    "ndim", "shape", "size", "iterable", "isscalar", "may_share_memory", "shares_memory", "isfortran",
    "asfortranarray", "asarray_chkfinite", "require", "s_", "index_exp", "ndindex", "ndenumerate", "broadcast",
    # functional helpers and bits
    "apply_along_axis", "apply_over_axes", "vectorize", "frompyfunc", "piecewise", "packbits", "unpackbits",
]

# -- metadata: NumPy's own objects ------------------------------------------------------------------------
generic, number, integer, inexact = np.generic, np.number, np.integer, np.inexact
signedinteger, unsignedinteger = np.signedinteger, np.unsignedinteger
floating, complexfloating, character, flexible = np.floating, np.complexfloating, np.character, np.flexible
bool_, byte, ubyte, short, ushort = np.bool_, np.byte, np.ubyte, np.short, np.ushort
intc, uintc, int_, uint, long, ulong = np.intc, np.uintc, np.int_, np.uint, np.long, np.ulong
longlong, ulonglong, intp, uintp = np.longlong, np.ulonglong, np.intp, np.uintp
half, single, double, longdouble = np.half, np.single, np.double, np.longdouble
csingle, cdouble, clongdouble = np.csingle, np.cdouble, np.clongdouble
bytes_, str_, void, object_ = np.bytes_, np.str_, np.void, np.object_
datetime64, timedelta64 = np.datetime64, np.timedelta64
True_, False_ = np.True_, np.False_
ScalarType, sctypeDict, typecodes, little_endian = np.ScalarType, np.sctypeDict, np.typecodes, np.little_endian
datetime_data = np.datetime_data
exceptions, dtypes = np.exceptions, np.dtypes

# The extended-precision names exist only where the platform's long double has that width.
if hasattr(np, "float128"):
    float128, complex256 = np.float128, np.complex256
    __all__ += ["float128", "complex256"]

# The host backend computes with NumPy, so NumPy's floating-point error state is rdnarray's on the CPU.
errstate, seterr, geterr, seterrcall, geterrcall = np.errstate, np.seterr, np.geterr, np.seterrcall, np.geterrcall
getbufsize, setbufsize = np.getbufsize, np.setbufsize

# rdnarray arrays print through NumPy, so NumPy's print options are theirs.
set_printoptions, get_printoptions, printoptions = np.set_printoptions, np.get_printoptions, np.printoptions
info = np.info
s_, index_exp = np.s_, np.index_exp
ndindex = np.ndindex


# -- host execution helpers -------------------------------------------------------------------------------

def _find_device(obj):
    """The device of the first rdnarray array in ``obj`` (searching lists, tuples and dicts), or None."""
    if isinstance(obj, ndarray):
        return obj.device
    if isinstance(obj, (list, tuple)):
        for o in obj:
            d = _find_device(o)
            if d is not None:
                return d
    if isinstance(obj, dict):
        return _find_device(list(obj.values()))
    return None


def _to_host(obj):
    """``obj`` with every rdnarray array (also inside lists, tuples and dicts) replaced by a NumPy array."""
    if isinstance(obj, ndarray):
        return asnumpy(obj)
    if isinstance(obj, list):
        return [_to_host(o) for o in obj]
    if isinstance(obj, tuple):
        return tuple(_to_host(o) for o in obj)
    if isinstance(obj, dict):
        return {k: _to_host(v) for k, v in obj.items()}
    return obj


def _from_host(obj, device):
    """``obj`` with every NumPy array or scalar (also inside lists and tuples) as an rdnarray array."""
    if isinstance(obj, (np.ndarray, np.generic)):
        return asarray(obj, device=device)
    if isinstance(obj, list):
        return [_from_host(o, device) for o in obj]
    if isinstance(obj, tuple):
        return tuple(_from_host(o, device) for o in obj)
    return obj


def _host_call(func, *args, device=None, **kwargs):
    """``func(*args, **kwargs)`` computed through NumPy on the host: rdnarray arrays in the arguments
    become NumPy arrays, NumPy results become rdnarray arrays on the arguments' device (or ``device``)."""
    if device is None:
        device = _find_device((args, kwargs))
    device = as_device(device)
    return _from_host(func(*_to_host(args), **_to_host(kwargs)), device)


def _on_device(func, device):
    """``func`` made to take and return rdnarray arrays on ``device`` when NumPy calls it with NumPy arrays."""
    def call(*args, **kwargs):
        args = [asarray(a, device=device) if isinstance(a, (np.ndarray, np.generic)) else a for a in args]
        return _to_host(func(*args, **kwargs))
    return call


# -- printing ---------------------------------------------------------------------------------------------

def array2string(a, *args, **kwargs):
    """NumPy's ``array2string`` of ``a``'s contents (copied to the host)."""
    return np.array2string(asnumpy(a), *args, **kwargs)


def array_repr(arr, max_line_width=None, precision=None, suppress_small=None):
    return np.array_repr(asnumpy(arr), max_line_width, precision, suppress_small)


def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    return np.array_str(asnumpy(a), max_line_width, precision, suppress_small)


def _host_scalar(x):
    return asnumpy(x)[()] if isinstance(x, ndarray) else x


def format_float_positional(x, *args, **kwargs):
    """NumPy's ``format_float_positional`` of a float scalar or a 0-d rdnarray array."""
    return np.format_float_positional(_host_scalar(x), *args, **kwargs)


def format_float_scientific(x, *args, **kwargs):
    """NumPy's ``format_float_scientific`` of a float scalar or a 0-d rdnarray array."""
    return np.format_float_scientific(_host_scalar(x), *args, **kwargs)


def base_repr(number, base=2, padding=0):
    """The string of the integer ``number`` in ``base``."""
    return np.base_repr(operator.index(number), base, padding)


def binary_repr(num, width=None):
    """The binary string of the integer ``num`` (two's complement in ``width`` bits if negative)."""
    return np.binary_repr(operator.index(num), width)


def show_runtime():
    """rdnarray's devices and backends, then NumPy's runtime (which the host backend computes with)."""
    from ._config import show_config
    show_config()
    np.show_runtime()


# -- I/O: files are read and written by NumPy on the host -----------------------------------------------

def save(file, arr, allow_pickle=True):
    """Write ``arr`` to a ``.npy`` file (through NumPy on the host)."""
    np.save(file, asnumpy(arr), allow_pickle=allow_pickle)


def savez(file, *args, allow_pickle=True, **kwds):
    np.savez(file, *_to_host(args), allow_pickle=allow_pickle, **_to_host(kwds))


def savez_compressed(file, *args, allow_pickle=True, **kwds):
    np.savez_compressed(file, *_to_host(args), allow_pickle=allow_pickle, **_to_host(kwds))


def load(file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding="ASCII", *,
         max_header_size=10000, device=None):
    """Read a ``.npy`` file (an array) or ``.npz`` file (a dict of name -> array, read eagerly) onto
    ``device``, through NumPy on the host."""
    data = np.load(file, mmap_mode=mmap_mode, allow_pickle=allow_pickle, fix_imports=fix_imports,
                   encoding=encoding, max_header_size=max_header_size)
    dev = as_device(device)
    if isinstance(data, np.lib.npyio.NpzFile):
        with data:
            return {name: asarray(data[name], device=dev) for name in data.files}
    return _from_host(data, dev)


def savetxt(fname, X, *args, **kwargs):
    """Write a 1-D or 2-D array to a text file (through NumPy on the host)."""
    np.savetxt(fname, asnumpy(X), *args, **kwargs)


def loadtxt(fname, *args, device=None, **kwargs):
    """Read a text file into an array on ``device`` (parsed by NumPy on the host)."""
    return _host_call(np.loadtxt, fname, *args, device=device, **kwargs)


def genfromtxt(fname, *args, device=None, **kwargs):
    """Read a text file with missing values into an array on ``device`` (parsed by NumPy on the host)."""
    if kwargs.get("usemask"):
        raise TypeError("genfromtxt: rdnarray has no masked arrays (usemask=True)")
    return _host_call(np.genfromtxt, fname, *args, device=device, **kwargs)


def fromfile(file, dtype=float, count=-1, sep="", offset=0, *, device=None):
    return asarray(np.fromfile(file, _dt.normalize(dtype), count, sep, offset), device=device)


def frombuffer(buffer, dtype=float, count=-1, offset=0, *, device=None):
    """An array of the bytes of ``buffer`` (sharing them on the CPU, read-only if the buffer is)."""
    return asarray(np.frombuffer(buffer, _dt.normalize(dtype), count, offset), device=device)


def fromiter(iter, dtype, count=-1, *, device=None):
    return asarray(np.fromiter(iter, _dt.normalize(dtype), count), device=device)


def fromstring(string, dtype=float, count=-1, *, sep, device=None):
    """An array of the numbers in the text ``string`` separated by ``sep``."""
    return asarray(np.fromstring(string, _dt.normalize(dtype), count, sep=sep), device=device)


def memmap(filename, dtype=np.uint8, mode="r+", offset=0, shape=None, order="C", *, device=None):
    """An array backed by a memory-mapped file: on the CPU it shares the mapping (writes go to the file,
    read-only for mode 'r'); on another device it is a copy of the file's contents."""
    if order != "C":
        raise ValueError(f"memmap: only C order is supported, got order={order!r}")
    m = np.memmap(filename, _dt.normalize(dtype), mode, offset, shape, order)
    return asarray(m, device=device)


# -- polynomials: coefficient arithmetic through NumPy on the host ---------------------------------------

def poly(seq_of_zeros):
    """The coefficients of the monic polynomial with the given roots (or of a matrix's characteristic
    polynomial); computed through NumPy on the host."""
    return _host_call(np.poly, seq_of_zeros)


def polyval(p, x):
    """The polynomial ``p`` (highest degree first) at ``x``; computed through NumPy on the host."""
    return _host_call(np.polyval, p, x)


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """The least-squares polynomial fit of degree ``deg``; computed through NumPy on the host."""
    return _host_call(np.polyfit, x, y, deg, rcond=rcond, full=full, w=w, cov=cov)


def polyder(p, m=1):
    return _host_call(np.polyder, p, m)


def polyint(p, m=1, k=None):
    return _host_call(np.polyint, p, m, k)


def polyadd(a1, a2):
    return _host_call(np.polyadd, a1, a2)


def polysub(a1, a2):
    return _host_call(np.polysub, a1, a2)


def polymul(a1, a2):
    return _host_call(np.polymul, a1, a2)


def polydiv(u, v):
    """(quotient, remainder) of the polynomial division u / v; computed through NumPy on the host."""
    return _host_call(np.polydiv, u, v)


def roots(p):
    """The roots of the polynomial ``p`` (companion-matrix eigenvalues); computed through NumPy on the host."""
    return _host_call(np.roots, p)


# -- window functions -------------------------------------------------------------------------------------

def _window(name, M, *params, device=None):
    M = operator.index(M)
    return as_device(device).backend.run(name, M, *params)


def bartlett(M, *, device=None):
    return _window("bartlett", M, device=device)


def blackman(M, *, device=None):
    return _window("blackman", M, device=device)


def hamming(M, *, device=None):
    return _window("hamming", M, device=device)


def hanning(M, *, device=None):
    return _window("hanning", M, device=device)


def kaiser(M, beta, *, device=None):
    return _window("kaiser", M, float(beta), device=device)


# -- array properties, memory and layout ------------------------------------------------------------------

def ndim(a):
    return a.ndim if isinstance(a, ndarray) else np.ndim(a)


def shape(a):
    return a.shape if isinstance(a, ndarray) else np.shape(a)


def size(a, axis=None):
    """The number of elements of ``a`` (along ``axis``, an int or a tuple of ints)."""
    if not isinstance(a, ndarray):
        return np.size(a, axis)
    if axis is None:
        return a.size
    n = 1
    for ax in _views.normalize_axes(axis, a.ndim, "size"):
        n *= a.shape[ax]
    return n


def iterable(y):
    """Whether ``iter(y)`` works (False for 0-d arrays)."""
    try:
        iter(y)
    except TypeError:
        return False
    return True


def isscalar(element):
    """Whether ``element`` is a scalar (a Python or NumPy scalar, str or bytes); arrays never are."""
    return not isinstance(element, ndarray) and np.isscalar(element)


def _byte_bounds(a):
    """[low, high) byte addresses that ``a`` touches."""
    low = high = a.data.ptr + a._offset
    for n, st in zip(a.shape, a.strides):
        if n == 0:
            return low, low
        if st < 0:
            low += (n - 1) * st
        else:
            high += (n - 1) * st
    return low, high + a.itemsize


def may_share_memory(a, b, /, max_work=None):
    """Whether ``a`` and ``b`` might share memory: their byte ranges on one device overlap."""
    if not isinstance(a, ndarray) or not isinstance(b, ndarray):
        if isinstance(a, ndarray) or isinstance(b, ndarray):
            return False
        return bool(np.may_share_memory(a, b, max_work))
    if a.device != b.device or a.size == 0 or b.size == 0:
        return False
    (lo1, hi1), (lo2, hi2) = _byte_bounds(a), _byte_bounds(b)
    return lo1 < hi2 and lo2 < hi1


def shares_memory(a, b, /, max_work=None):
    """Whether ``a`` and ``b`` share at least one byte (exactly, on any device)."""
    if not may_share_memory(a, b):
        return False
    if not isinstance(a, ndarray):
        return bool(np.shares_memory(a, b, max_work))
    return bool(np.shares_memory(_layout_only(a), _layout_only(b), max_work))


class _Layout:
    def __init__(self, x):
        self.__array_interface__ = {"version": 3, "data": (x.data.ptr + x._offset, False), "shape": x.shape,
                                    "strides": x.strides, "typestr": f"|V{x.itemsize}"}


def _layout_only(x):
    """A NumPy array at ``x``'s address with its shape and strides, never read: NumPy's exact overlap
    solver needs only those, so it answers for device memory too."""
    return np.asarray(_Layout(x))


def isfortran(a):
    """Whether ``a`` is Fortran-contiguous and not C-contiguous."""
    return a.flags.f_contiguous and not a.flags.c_contiguous


def asfortranarray(a, dtype=None, *, like=None, device=None):
    """``a`` as a Fortran-contiguous (column-major) array, copied unless it already is one."""
    a = asarray(a, dtype=dtype, device=device)
    if a.flags.f_contiguous:
        return a
    out = a.device.backend.empty(a.shape[::-1], a.dtype)
    out = _views.permute(out, tuple(range(a.ndim))[::-1])
    a.device.backend.copy(a, out)
    return out


def asarray_chkfinite(a, dtype=None, order=None, *, device=None):
    """``asarray(a)``, or ValueError if it holds an inf or a NaN."""
    a = asarray(a, dtype=dtype, device=device)
    if a.dtype.kind in "fc":
        from ._elementwise_functions import isfinite
        if not bool(a.device.backend.run("all", isfinite(a))):
            raise ValueError("asarray_chkfinite: array must not contain infs or NaNs")
    return a


_REQUIREMENTS = {"C": "C", "C_CONTIGUOUS": "C", "CONTIGUOUS": "C", "F": "F", "F_CONTIGUOUS": "F",
                 "FORTRAN": "F", "A": "A", "ALIGNED": "A", "W": "W", "WRITEABLE": "W", "O": "O", "OWNDATA": "O",
                 "E": "E", "ENSUREARRAY": "E"}


def require(a, dtype=None, requirements=None, *, device=None):
    """``a`` as an array of ``dtype`` meeting the ``requirements`` flags (C, F, A, W, O, E), copied only if
    it does not already."""
    if isinstance(requirements, str):
        requirements = [requirements]
    reqs = set()
    for r in requirements or ():
        key = _REQUIREMENTS.get(str(r).upper())
        if key is None:
            raise KeyError(f"require: unknown requirement {r!r}")
        reqs.add(key)
    if "C" in reqs and "F" in reqs:
        raise ValueError("require: cannot specify both C and Fortran contiguous")
    a = asarray(a, dtype=dtype, device=device)
    if "F" in reqs:
        return asfortranarray(a)
    copy = ("C" in reqs and not a.flags.c_contiguous) or ("W" in reqs and a.data.readonly) or \
        ("O" in reqs and not a.flags.owndata)
    return asarray(a, copy=True) if copy else a


class ndenumerate:
    """Iterator of (index tuple, element) over an array; the elements are read from a host copy."""

    def __init__(self, arr):
        self._host = asnumpy(arr) if isinstance(arr, ndarray) else np.asarray(arr)
        self._iter = np.ndenumerate(self._host)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._iter)


class broadcast:
    """The broadcast of arrays: its ``shape``, ``ndim``, ``size`` and ``numiter``; iterating yields tuples of
    the broadcast elements (read from host copies)."""

    def __init__(self, *arrays):
        if not 1 <= len(arrays) <= 64:
            raise ValueError(f"broadcast: takes 1 to 64 arrays, got {len(arrays)}")
        self._arrays = [a if isinstance(a, ndarray) else asarray(a) for a in arrays]
        self.shape = broadcast_shapes(tuple(a.shape for a in self._arrays), "broadcast")
        self.ndim = self.nd = len(self.shape)
        self.numiter = len(arrays)
        self.size = 1
        for n in self.shape:
            self.size *= n
        self._iter = None

    def __iter__(self):
        if self._iter is None:
            self._iter = iter(np.broadcast(*[asnumpy(a) for a in self._arrays]))
        return self._iter

    def reset(self):
        self._iter = None


# -- functional helpers -----------------------------------------------------------------------------------

def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """``func1d`` applied to the 1-D slices of ``arr`` along ``axis``. The loop runs on the host; each slice
    is given to ``func1d`` as an rdnarray array on ``arr``'s device."""
    arr = arr if isinstance(arr, ndarray) else asarray(arr)
    axis = _views.normalize_axis(axis, arr.ndim, "apply_along_axis")
    return _from_host(np.apply_along_axis(_on_device(func1d, arr.device), axis, asnumpy(arr), *args, **kwargs),
                      arr.device)


def apply_over_axes(func, a, axes):
    """``func(a, axis)`` applied for each axis in turn, keeping the reduced axes (as NumPy)."""
    a = a if isinstance(a, ndarray) else asarray(a)
    if isinstance(axes, int):
        axes = (axes,)
    for axis in axes:
        axis = _views.normalize_axis(axis, a.ndim, "apply_over_axes")
        res = func(a, axis)
        res = res if isinstance(res, ndarray) else asarray(res, device=a.device)
        if res.ndim == a.ndim - 1:
            res = _views.expand(res, (axis,))
        elif res.ndim != a.ndim:
            raise ValueError(f"apply_over_axes: function is not returning an array of the correct shape "
                             f"(got {res.shape} from an array of shape {a.shape})")
        a = res
    return a


class vectorize:
    """NumPy's ``vectorize``: a Python function applied elementwise with broadcasting. It runs on the host:
    the arguments are copied there, the function sees NumPy scalars, and the results come back as rdnarray
    arrays on the arguments' device. For speed, write the function with rdnarray operations instead."""

    def __init__(self, pyfunc=np._NoValue, otypes=None, doc=None, excluded=None, cache=False, signature=None):
        if pyfunc is np._NoValue:  # used as a decorator factory: @vectorize(otypes=...)
            self._kwargs = dict(otypes=otypes, doc=doc, excluded=excluded, cache=cache, signature=signature)
            self._np = None
            return
        if otypes is not None:
            otypes = [_dt.normalize(t) for t in (otypes if not isinstance(otypes, str) else otypes)]
        self._np = np.vectorize(pyfunc, otypes=otypes, doc=doc, excluded=excluded, cache=cache,
                                signature=signature)
        self.pyfunc = pyfunc
        self.__doc__ = self._np.__doc__

    def __call__(self, *args, **kwargs):
        if self._np is None:
            return vectorize(args[0], **self._kwargs)
        return _host_call(self._np, *args, **kwargs)


def frompyfunc(func, /, nin, nout, *, identity=None):
    """A ``vectorize`` of ``func`` with ``nin`` inputs and ``nout`` outputs; it runs on the host and, as
    rdnarray has no object arrays, its results take the dtype NumPy infers from the returned values."""
    nin, nout = operator.index(nin), operator.index(nout)
    if nin < 1 or nout < 1:
        raise ValueError(f"frompyfunc: nin and nout must be at least 1, got {nin} and {nout}")

    def checked(*args):
        result = func(*args)
        if nout > 1 and (not isinstance(result, tuple) or len(result) != nout):
            raise ValueError(f"frompyfunc: the function must return a tuple of {nout} values")
        return result

    v = vectorize(checked)
    def call(*args, **kwargs):
        if len(args) != nin:
            raise TypeError(f"frompyfunc: the function takes {nin} argument(s), {len(args)} given")
        return v(*args, **kwargs)
    call.__name__ = call.__qualname__ = getattr(func, "__name__", "frompyfunc")
    return call


def piecewise(x, condlist, funclist, *args, **kw):
    """``x`` evaluated piecewise: ``funclist[i]`` (a value or a function) where ``condlist[i]`` holds. The
    selection runs through NumPy on the host; functions receive rdnarray arrays on ``x``'s device."""
    device = _find_device([x, condlist]) or as_device(None)
    funcs = [_on_device(f, device) if callable(f) else _to_host(f) for f in funclist]
    xh = asnumpy(x) if isinstance(x, ndarray) else np.asarray(x)
    if isinstance(condlist, ndarray):
        conds = asnumpy(condlist)
    else:
        conds = _to_host(condlist)
    return _from_host(np.piecewise(xh, conds, funcs, *args, **kw), device)


def packbits(a, /, axis=None, bitorder="big"):
    """The elements of an integer or bool array packed into bits of uint8 (nonzero -> 1)."""
    a = a if isinstance(a, ndarray) else asarray(a)
    if a.dtype.kind not in "biu":
        raise TypeError(f"packbits: expected an integer or bool array, got {a.dtype}")
    if bitorder not in ("big", "little"):
        raise ValueError(f"packbits: bitorder must be 'big' or 'little', not {bitorder!r}")
    if axis is not None:
        axis = _views.normalize_axis(axis, a.ndim, "packbits")
    return a.device.backend.run("packbits", a, axis=axis, bitorder=bitorder)


def unpackbits(a, /, axis=None, count=None, bitorder="big"):
    """The bits of a uint8 array as a uint8 array of 0s and 1s."""
    a = a if isinstance(a, ndarray) else asarray(a)
    if a.dtype != np.uint8:
        raise TypeError(f"unpackbits: expected an array of dtype uint8, got {a.dtype}")
    if bitorder not in ("big", "little"):
        raise ValueError(f"unpackbits: bitorder must be 'big' or 'little', not {bitorder!r}")
    if axis is not None:
        axis = _views.normalize_axis(axis, a.ndim, "unpackbits")
    if count is not None:
        count = operator.index(count)
    return a.device.backend.run("unpackbits", a, axis=axis, count=count, bitorder=bitorder)


def isnat(x, /, out=None, **kwargs):
    """NumPy's ``isnat`` is defined only for datetime64 and timedelta64, dtypes rdnarray does not have:
    every rdnarray array gets NumPy's TypeError."""
    dtype = getattr(x, "dtype", None)
    raise TypeError(f"isnat: ufunc 'isnat' is only defined for numpy.datetime64 and numpy.timedelta64; "
                    f"rdnarray has no datetime dtypes (got {dtype})")


def get_include():
    """The directory of rdnarray's Cython declarations (``_core/ndarray.pxd``), for extensions that
    ``cimport`` rdnarray's array type."""
    import os
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
