"""Moving data in and out of rdnarray: from Python objects and NumPy, to NumPy, between devices."""
import numpy as np

from . import dtypes as _dt
from .devices import as_device
from .ndarray import ndarray


def asarray(obj, dtype=None, device=None, copy=None):
    """Array API ``asarray``: shares memory where it can unless ``copy=True``; ``copy=False`` raises
    ValueError when a copy cannot be avoided."""
    dtype = _dt.normalize(dtype)
    if isinstance(obj, ndarray):
        return _from_rdnarray(obj, dtype, device, copy)
    dev = as_device(device)
    if dev.kind != "cpu" and copy is False:
        raise ValueError(f"asarray: copy=False, but the data must be copied to {dev}")
    if not isinstance(obj, (np.ndarray, np.generic)) and hasattr(obj, "__dlpack__") and dtype is None:
        from .dlpack import from_dlpack
        try:
            return _from_rdnarray(from_dlpack(obj), None, dev, copy)
        except (BufferError, TypeError, ValueError):
            pass  # not exportable to the host without a copy: NumPy's conversion below
    try:
        arr = np.asarray(obj, dtype=dtype, copy=copy if dev.kind == "cpu" else None)
    except ValueError as e:
        if copy is False:
            raise ValueError(f"asarray: copy=False, but {type(obj).__name__} must be copied") from e
        raise
    if not arr.dtype.isnative:
        # Non-native byte order (a big-endian file, ...): the same values in native order, which needs a copy.
        if copy is False:
            raise ValueError(f"asarray: copy=False, but the byte order of {arr.dtype} must be changed")
        arr = arr.astype(arr.dtype.newbyteorder("="))
    _dt.normalize(arr.dtype)
    if dev.kind == "cpu":
        from .ndarray import wrap_host
        return wrap_host(arr, dev)
    return dev.backend.from_numpy(arr)


def _from_rdnarray(x, dtype, device, copy):
    dev = x.device if device is None else as_device(device)
    same_dtype = dtype is None or dtype == x.dtype
    if same_dtype and dev == x.device and not copy:
        return x
    if copy is False:
        raise ValueError(f"asarray: copy=False, but changing {x.dtype} on {x.device} to "
                         f"{dtype or x.dtype} on {dev} needs a copy")
    if dev != x.device:
        x = to_device(x, dev)
        if same_dtype:
            return x
    out = dev.backend.empty(x.shape, dtype or x.dtype)
    dev.backend.copy(x, out)
    return out


def to_numpy(x, dtype=None, copy=None):
    """A NumPy array with the contents of ``x`` (a view of host memory unless ``copy=True``)."""
    if x.device.kind == "cpu":
        v = x._view()
        if dtype is not None and np.dtype(dtype) != v.dtype:
            if copy is False:
                raise ValueError(f"cannot make a NumPy array of {np.dtype(dtype)} from {v.dtype} without a copy")
            return v.astype(dtype)
        return v.copy() if copy else v
    if copy is False:
        raise ValueError(f"cannot make a NumPy array from an array on {x.device} without a copy")
    arr = x.device.backend.to_numpy(x)
    return arr if dtype is None else arr.astype(dtype, copy=False)


def asnumpy(a, stream=None, order="C", out=None):
    """The contents of ``a`` as a NumPy array on the host (CuPy's ``asnumpy``); ``out`` receives them
    (straight from the device when it is C-contiguous with a's shape and dtype)."""
    if (out is not None and isinstance(a, ndarray) and a.device.kind != "cpu" and isinstance(out, np.ndarray)
            and out.flags.c_contiguous and out.flags.writeable and out.shape == a.shape and out.dtype == a.dtype):
        a.device.backend.to_numpy(a, out)
        return out
    arr = to_numpy(a) if isinstance(a, ndarray) else np.asarray(a)
    if out is not None:
        out[...] = arr
        return out
    return arr


def to_device(x, device, stream=None):
    dev = as_device(device)
    if dev == x.device:
        return x
    return dev.backend.from_numpy(np.ascontiguousarray(to_numpy(x)))


def from_pickle(arr, device):
    return asarray(arr, device=device, copy=True)
