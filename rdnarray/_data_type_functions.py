"""Array API data type functions: astype, can_cast, finfo, iinfo, isdtype, result_type."""
import numpy as np

from ._core import dtypes as _dt
from ._core.devices import as_device
from ._core.ndarray import ndarray
from ._core.transfer import asarray

__all__ = ["astype", "can_cast", "finfo", "iinfo", "isdtype", "result_type", "dtype", "promote_types",
           "min_scalar_type", "common_type", "issubdtype", "mintypecode", "typename"]

dtype = np.dtype
iinfo = np.iinfo
issubdtype = np.issubdtype
mintypecode = np.mintypecode
typename = np.typename
result_type = _dt.result_type


class finfo:
    """Machine limits of a floating dtype: NumPy's ``finfo`` with the standard's fields (bits, eps, max,
    min, smallest_normal) as Python floats, as the Array API requires; other fields come from NumPy's."""

    def __init__(self, type, /):
        src = type.dtype if isinstance(type, (ndarray, np.ndarray)) else type
        self._np = np.finfo(_dt.normalize(src) if not isinstance(src, np.finfo) else src.dtype)
        self.bits = int(self._np.bits)
        self.eps = float(self._np.eps)
        self.max = float(self._np.max)
        self.min = float(self._np.min)
        self.smallest_normal = float(self._np.smallest_normal)
        self.dtype = self._np.dtype

    def __getattr__(self, name):
        return getattr(self._np, name)

    def __repr__(self):
        return repr(self._np)


def astype(x, dtype, /, *, copy=True, device=None, casting="unsafe"):
    if not isinstance(x, ndarray):
        raise TypeError(f"astype: x must be an rdnarray array, not {type(x).__name__}")
    dt = _dt.normalize(dtype)
    if not np.can_cast(x.dtype, dt, casting):
        raise TypeError(f"astype: cannot cast {x.dtype} to {dt} with casting rule '{casting}'")
    dev = x.device if device is None else as_device(device)
    if not copy and dt == x.dtype and dev == x.device:
        return x
    return asarray(x, dtype=dt, device=dev, copy=True)


def can_cast(from_, to, /, casting="safe"):
    src = from_.dtype if isinstance(from_, (ndarray, np.ndarray)) else _dt.normalize(from_)
    return bool(np.can_cast(src, _dt.normalize(to), casting))


def promote_types(type1, type2):
    return _dt.promote(_dt.normalize(type1), _dt.normalize(type2))


def min_scalar_type(a):
    return np.min_scalar_type(a.item() if isinstance(a, ndarray) and a.ndim == 0 else a)


def common_type(*arrays):
    return np.common_type(*[np.empty(0, a.dtype) for a in arrays])


# The standard's dtype kinds: the names it uses and the dtype kind characters they stand for.
_KINDS = {
    "bool": "b", "signed integer": "i", "unsigned integer": "u", "integral": "iu",
    "real floating": "f", "complex floating": "c", "numeric": "iufc",
}


def isdtype(dtype, kind):
    """Whether ``dtype`` is of ``kind``: a dtype, one of the standard's kind names, or a tuple of them."""
    if isinstance(kind, tuple):
        return any([isdtype(dtype, k) for k in kind])  # a list: every kind is validated
    dt = _dt.normalize(dtype)
    if isinstance(kind, str):
        if kind not in _KINDS:
            raise ValueError(f"isdtype: unknown kind {kind!r}; known kinds are {', '.join(_KINDS)}")
        return dt.kind in _KINDS[kind]
    return dt == _dt.normalize(kind)
