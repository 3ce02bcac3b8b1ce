"""NumPy's dispatch protocols and the ``@`` operators.

``np.sin(x)``, ``np.add.reduce(x)``, ``np.sum(x)`` or ``np.linalg.solve(a, b)`` on rdnarray arrays run
rdnarray's function of the same name and return rdnarray arrays (as CuPy does): ``__array_ufunc__`` goes to
``array_ufunc``, ``__array_function__`` to ``array_function``. Where rdnarray has no such function the
answer is NotImplemented, and NumPy raises TypeError.
"""
import numpy as np

import rdnarray as _rp  # the namespace; read at call time only (this module is imported while it loads)

from .ndarray import ndarray
from .ops import ALL as _OPS

__all__ = ["array_ufunc", "array_function", "binop", "imatmul"]

# NumPy ufunc name -> rdnarray name, from the op table (power -> pow, arccos -> acos, ...).
_UFUNC_NAMES = {op.numpy: op.name for op in _OPS.values()}
_UFUNC_METHODS = ("reduce", "accumulate", "outer", "at")

# Operands ``@`` always takes: rdnarray and NumPy arrays, scalars and nested sequences.
_OPERANDS = (ndarray, np.ndarray, np.generic, bool, int, float, complex, list, tuple)


def array_ufunc(ufunc, method, inputs, kwargs):
    """``ufunc.method(*inputs, **kwargs)`` by the rdnarray ufunc of the same NumPy name."""
    name = _UFUNC_NAMES.get(ufunc.__name__)
    if name is None:
        # Not elementwise in rdnarray's table (matmul, vecdot, ...): a function of the same name may exist.
        if method != "__call__":
            return NotImplemented
        name = ufunc.__name__
    f = getattr(_rp, name, None)
    if f is None:
        return NotImplemented
    if method != "__call__":
        if method not in _UFUNC_METHODS or not hasattr(f, method):
            return NotImplemented
        f = getattr(f, method)
    out = kwargs.get("out")
    if isinstance(out, tuple) and len(out) == 1:  # NumPy always passes out= as a tuple
        kwargs = dict(kwargs, out=out[0])
    return f(*inputs, **kwargs)


def array_function(func, types, args, kwargs):
    """``func(*args, **kwargs)`` (a NumPy function) by the rdnarray function of the same name and module."""
    if not all(issubclass(t, (ndarray, np.ndarray)) for t in types):
        return NotImplemented  # another library's arrays are involved: let it (or NumPy) decide
    namespace = _rp
    for part in func.__module__.split(".")[1:]:  # numpy.linalg.solve -> rdnarray.linalg.solve
        namespace = getattr(namespace, part, None)
        if namespace is None:
            return NotImplemented
    f = getattr(namespace, func.__name__, None)
    if f is None or f is func or not callable(f):
        return NotImplemented
    return f(*args, **kwargs)


def _defers(other):
    """True when ``other`` is no array for ``@``, so Python should try its reflected method."""
    if isinstance(other, _OPERANDS):
        return False
    if getattr(type(other), "__array_ufunc__", False) is None:  # NumPy's opt-out: "I handle the operators"
        return True
    return not (hasattr(other, "__array__") or hasattr(other, "__dlpack__")
                or hasattr(other, "__array_interface__"))


def binop(f, a, b):
    """``f(a, b)`` for a binary operator, or NotImplemented when one operand is not an array."""
    if _defers(a) or _defers(b):
        return NotImplemented
    return f(a, b)


def imatmul(a, b):
    """``a @= b``: the product written into ``a``, which keeps its shape and dtype (as in NumPy)."""
    if _defers(b):
        return NotImplemented
    if not isinstance(b, ndarray):
        b = _rp.asarray(b, device=a.device)
    if a.ndim < 1 or b.ndim < 2:
        raise ValueError(f"matmul: in-place a @= b needs a with at least one and b with at least two "
                         f"dimensions, got shapes {a.shape} and {b.shape}")
    if a.data.readonly:
        raise ValueError(f"matmul: in-place a @= b: a (shape {a.shape}) is read-only")
    result = _rp.matmul(a, b)
    if result.shape != a.shape:
        raise ValueError(f"matmul: in-place a @= b needs a result of a's shape {a.shape}, but shapes "
                         f"{a.shape} and {b.shape} give {result.shape}")
    if not np.can_cast(result.dtype, a.dtype, "same_kind"):
        raise TypeError(f"matmul: in-place a @= b cannot cast the result dtype {result.dtype} to a's dtype "
                        f"{a.dtype} with casting rule 'same_kind'")
    a.device.backend.copy(result, a)
    return a
