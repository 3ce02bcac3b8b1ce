"""Dtypes, their Array API categories and type promotion (NEP 50 for Python scalars).

The dtype objects are NumPy's own (``rdnarray.float32 is numpy.float32``), so arrays of either library
compare, hash and print their dtypes the same way. Promotion between two array dtypes is NumPy's
(``numpy.promote_types``, which is the Array API table wherever the standard defines one); Python
scalars are "weak" and take the array's dtype within their kind, as in NumPy 2 and the standard.
"""
import builtins

import numpy as np

__all__ = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "complex64", "complex128",
]

bool = np.bool_
int8, int16, int32, int64 = np.int8, np.int16, np.int32, np.int64
uint8, uint16, uint32, uint64 = np.uint8, np.uint16, np.uint32, np.uint64
float16, float32, float64 = np.float16, np.float32, np.float64
complex64, complex128 = np.complex64, np.complex128

SUPPORTED = tuple(np.dtype(t) for t in (
    bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
    float16, float32, float64, complex64, complex128))

DEFAULT_INT = np.dtype(np.int64)
DEFAULT_FLOAT = np.dtype(np.float64)
DEFAULT_COMPLEX = np.dtype(np.complex128)
DEFAULT_INDEX = np.dtype(np.int64)

# The standard's words for groups of dtypes, as NumPy kind characters.
CATEGORIES = {
    "any": "biufc",
    "boolean": "b",
    "integer": "iu",
    "signed integer": "i",
    "unsigned integer": "u",
    "integer or boolean": "biu",
    "real floating-point": "f",
    "complex floating-point": "c",
    "floating-point": "fc",
    "real-valued": "biuf",
    "real-valued floating-point": "f",
    "numeric": "biufc",
    "numeric without boolean": "iufc",
}

# Python scalar types ordered by kind, for weak (NEP 50) promotion.
_SCALAR_KIND = {builtins.bool: "b", int: "i", float: "f", complex: "c"}
_KIND_ORDER = "biufc"
_SCALAR_DEFAULT = {"b": np.dtype(np.bool_), "i": DEFAULT_INT, "f": DEFAULT_FLOAT, "c": DEFAULT_COMPLEX}
_COMPLEX_OF = {2: np.dtype(np.complex64), 4: np.dtype(np.complex64), 8: np.dtype(np.complex128)}


def normalize(dtype):
    """``dtype`` as a numpy.dtype that rdnarray supports, or TypeError."""
    if dtype is None:
        return None
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"data type {dtype!r} not understood") from None
    if dt not in SUPPORTED:
        raise TypeError(f"rdnarray does not support the data type {dt} (supported: "
                        f"{', '.join(str(d) for d in SUPPORTED)})")
    return dt


def in_category(dt, category):
    return dt.kind in CATEGORIES[category]


_pair_cache = {}


def promote(d1, d2):
    """Promotion of two array dtypes (numpy.dtype objects)."""
    key = (d1, d2)
    r = _pair_cache.get(key)
    if r is None:
        r = _pair_cache[key] = np.promote_types(d1, d2)
    return r


def promote_weak(dt, scalar_type):
    """The dtype of ``array(dt) op scalar`` where the scalar is a Python bool/int/float/complex."""
    kind = _SCALAR_KIND[scalar_type]
    if _KIND_ORDER.index(kind) <= _KIND_ORDER.index(dt.kind if dt.kind != "u" else "i"):
        return dt
    if kind == "c" and dt.kind == "f":
        return _COMPLEX_OF[dt.itemsize]
    return _SCALAR_DEFAULT[kind]


def scalar_type(x):
    """The Python scalar type (bool, int, float, complex) of ``x``, or None for anything else."""
    t = type(x)
    if t in _SCALAR_KIND:
        return t
    return None


def result_type(*arrays_and_dtypes):
    """Array API ``result_type`` with NEP 50 rules for Python scalars."""
    from .ndarray import ndarray

    strong = None
    weak = []
    for a in arrays_and_dtypes:
        st = scalar_type(a)
        if st is not None:
            weak.append(st)
            continue
        if isinstance(a, (ndarray, np.ndarray, np.generic)):
            dt = normalize(a.dtype)
        else:
            dt = normalize(a)
        strong = dt if strong is None else promote(strong, dt)
    if strong is None:
        if not weak:
            raise ValueError("at least one array or dtype is required")
        kind = max((_SCALAR_KIND[t] for t in weak), key=_KIND_ORDER.index)
        return _SCALAR_DEFAULT[kind]
    for t in weak:
        strong = promote_weak(strong, t)
    return strong


def float_result(dt):
    """The floating dtype NumPy computes a float function of ``dt`` in (int8 -> float16, int32 -> float64)."""
    if dt.kind in "fc":
        return dt
    return np.promote_types(dt, np.float16)


def real_of(dt):
    """The real dtype of the same precision (complex64 -> float32); real dtypes map to themselves."""
    if dt.kind == "c":
        return np.dtype(np.float32) if dt.itemsize == 8 else np.dtype(np.float64)
    return dt


def float_result_of(keys):
    """The float dtype NumPy computes a float function (atan2, hypot, ...) of these inputs in.

    ``keys`` are the inputs' dtypes, with Python scalar types (int, float, ...) for weak scalars. Integer
    arrays each go to their own float first (int8, uint8 -> float16, not float_result(int16) = float32),
    as NumPy's loop selection does; anything that promotes to a float or complex dtype is that dtype's.
    For the core's 'float' result rule (elementwise.pyx applies float_result to the promoted dtype).
    """
    weak = [isinstance(k, type) and k in _SCALAR_KIND for k in keys]
    strong = [k for k, w in zip(keys, weak) if not w]
    promoted = result_type(*[k() if w else k for k, w in zip(keys, weak)])
    if promoted.kind in "fc" or not strong or promoted != result_type(*strong):
        return float_result(promoted)  # a float input, or a Python scalar that sets the kind (bool + 2)
    r = float_result(strong[0])
    for k in strong[1:]:
        r = promote(r, float_result(k))
    return r


def int_result(dt):
    """NumPy's dtype for arithmetic that has no bool loop (square, power, floor_divide, shifts): bool -> int8."""
    return np.dtype(np.int8) if dt.kind == "b" else dt
