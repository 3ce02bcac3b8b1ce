"""``__array_namespace_info__``: what this namespace supports on which device."""
import numpy as np

from ._core import dtypes as _dt
from ._core import devices as _devices
from . import _backend


class __array_namespace_info__:
    """Inspection API of the Array API standard."""

    __module__ = "rdnarray"

    def capabilities(self):
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self):
        return _devices.default_device()

    def devices(self):
        found = [_devices.CPU]
        for kind in _backend.KINDS:
            if kind != "cpu" and _backend.available(kind):
                found += [_devices.as_device(f"{kind}:{i}") for i in range(_backend.get(kind).device_count())]
        return tuple(found)

    def default_dtypes(self, *, device=None):
        _devices.as_device(device)
        return {"real floating": _dt.DEFAULT_FLOAT, "complex floating": _dt.DEFAULT_COMPLEX,
                "integral": _dt.DEFAULT_INT, "indexing": _dt.DEFAULT_INDEX}

    def dtypes(self, *, device=None, kind=None):
        _devices.as_device(device)
        from ._data_type_functions import isdtype
        names = {"bool": "bool", "int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64",
                 "uint8": "uint8", "uint16": "uint16", "uint32": "uint32", "uint64": "uint64",
                 "float32": "float32", "float64": "float64", "complex64": "complex64",
                 "complex128": "complex128"}
        out = {name: np.dtype(t) for name, t in names.items()}
        if kind is None:
            return out
        return {name: dt for name, dt in out.items() if isdtype(dt, kind)}
