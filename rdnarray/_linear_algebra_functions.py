"""Array API linear algebra functions (matmul, tensordot, vecdot) and NumPy's (dot, vdot, inner, outer,
einsum, kron, cross, trace).

Shapes, dtypes, axes and ``out=`` are resolved here; the products themselves are backend operations
("matmul", "vecdot", "einsum", "cross", "sum") or compositions of views and those operations.
"""
import operator

import numpy as np

from ._core import dtypes as _dt
from ._core import views as _views
from ._core.elementwise import broadcast_shapes
from ._core.ndarray import ndarray
from ._core.outputs import check_out
from ._core.transfer import asarray

__all__ = ["matmul", "tensordot", "vecdot", "dot", "vdot", "inner", "outer", "einsum", "einsum_path", "kron",
           "cross", "trace"]


def _arrays(op, *xs):
    """The inputs as rdnarray arrays on one device (ValueError naming ``op`` when devices differ)."""
    device = next((x.device for x in xs if isinstance(x, ndarray)), None)
    out = [x if isinstance(x, ndarray) else asarray(x, device=device) for x in xs]
    for x in out[1:]:
        if x.device != out[0].device:
            raise ValueError(f"{op}: arrays are on different devices ({out[0].device} and {x.device}); "
                             "move them with to_device()")
    return out


def _deliver(op, result, out):
    """``result``, or ``result`` copied into ``out`` (already validated)."""
    if out is None:
        return result
    out.device.backend.copy(result, out)
    return out


def _matmul_shape(op, s1, s2):
    """The result shape of matmul for operand shapes ``s1`` and ``s2`` (both at least 1-D)."""
    k1 = s1[-1]
    k2 = s2[-2] if len(s2) >= 2 else s2[0]
    if k1 != k2:
        d2 = len(s2) - 2 if len(s2) >= 2 else 0
        raise ValueError(f"{op}: shapes {s1} and {s2} not aligned: {k1} (dim {len(s1) - 1}) != {k2} (dim {d2})")
    batch = broadcast_shapes((s1[:-2], s2[:-2]), op)
    return batch + (s1[-2:-1] if len(s1) >= 2 else ()) + (s2[-1:] if len(s2) >= 2 else ())


def matmul(x1, x2, /, out=None, *, dtype=None, casting="same_kind"):
    """Matrix product with the standard's 1-D promotion and broadcast batch dimensions."""
    if (out is None and dtype is None and casting == "same_kind" and type(x1) is ndarray and type(x2) is ndarray
            and len(x1.shape) == 2 and len(x2.shape) == 2 and x1.shape[1] == x2.shape[0]
            and x1.device == x2.device):
        # Two matrices, the common small case: the general path's checks (batch broadcasting, casting
        # of the inputs into their own promoted dtype) cost ~10 us and cannot fail here.
        return x1.device.backend.run("matmul", x1, x2, dtype=_dt.promote(x1.dtype, x2.dtype))
    x1, x2 = _arrays("matmul", x1, x2)
    for i, x in enumerate((x1, x2)):
        if x.ndim == 0:
            raise ValueError(f"matmul: input operand {i} is 0-d (shape ()); matmul needs at least 1 dimension")
    dt = _dt.normalize(dtype) or _dt.result_type(x1, x2)
    for x in (x1, x2):
        if not np.can_cast(x.dtype, dt, casting):
            raise TypeError(f"matmul: cannot cast the input dtype {x.dtype} to {dt} with casting rule '{casting}'")
    shape = _matmul_shape("matmul", x1.shape, x2.shape)
    backend = x1.device.backend
    if out is None:
        return backend.run("matmul", x1, x2, dtype=dt)
    check_out("matmul", out, shape, dt, x1.device, casting)
    backend.run("matmul", x1, x2, out=out, dtype=dt, casting="unsafe")
    return out


def _tensordot_axes(x1, x2, axes):
    if isinstance(axes, (tuple, list)):
        if len(axes) != 2:
            raise ValueError(f"tensordot: axes must be an int or a pair of axis sequences, got {axes!r}")
        a1, a2 = axes
        a1 = [a1] if not isinstance(a1, (tuple, list)) else list(a1)
        a2 = [a2] if not isinstance(a2, (tuple, list)) else list(a2)
        if len(a1) != len(a2):
            raise ValueError(f"tensordot: axes {a1} and {a2} must have the same length")
    else:
        try:
            n = operator.index(axes)
        except TypeError:
            raise TypeError(f"tensordot: axes must be an int or a pair of sequences, got {axes!r}") from None
        if n < 0:
            raise ValueError(f"tensordot: axes must be non-negative, got {n}")
        if n > x1.ndim or n > x2.ndim:
            raise ValueError(f"tensordot: cannot contract {n} axes of arrays of shapes {x1.shape} and {x2.shape}")
        a1, a2 = list(range(x1.ndim - n, x1.ndim)), list(range(n))
    a1 = [_views.normalize_axis(a, x1.ndim, "tensordot") for a in a1]
    a2 = [_views.normalize_axis(a, x2.ndim, "tensordot") for a in a2]
    if len(set(a1)) != len(a1) or len(set(a2)) != len(a2):
        raise ValueError(f"tensordot: repeated axis in {a1} or {a2}")
    for i, j in zip(a1, a2):
        if x1.shape[i] != x2.shape[j]:
            raise ValueError(f"tensordot: shape mismatch for sum: x1 axis {i} has size {x1.shape[i]}, "
                             f"x2 axis {j} has size {x2.shape[j]} (shapes {x1.shape} and {x2.shape})")
    return a1, a2


def _contract(x1, x2, a1, a2, dt):
    """Contract axes ``a1`` of x1 with ``a2`` of x2 as one matrix product of permuted, reshaped operands."""
    from ._manipulation import reshape
    free1 = [i for i in range(x1.ndim) if i not in a1]
    free2 = [i for i in range(x2.ndim) if i not in a2]
    k = 1
    for i in a1:
        k *= x1.shape[i]
    m = 1
    for i in free1:
        m *= x1.shape[i]
    n = 1
    for i in free2:
        n *= x2.shape[i]
    left = reshape(_views.permute(x1, tuple(free1 + a1)), (m, k))
    right = reshape(_views.permute(x2, tuple(a2 + free2)), (k, n))
    result = x1.device.backend.run("matmul", left, right, dtype=dt)
    return reshape(result, tuple(x1.shape[i] for i in free1) + tuple(x2.shape[i] for i in free2))


def tensordot(x1, x2, /, axes=2):
    """Contraction over ``axes`` (an int: the last N of x1 with the first N of x2; or two sequences)."""
    x1, x2 = _arrays("tensordot", x1, x2)
    a1, a2 = _tensordot_axes(x1, x2, axes)
    return _contract(x1, x2, a1, a2, _dt.result_type(x1, x2))


def vecdot(x1, x2, /, *, axis=-1):
    """Dot products over ``axis``, conjugating ``x1`` when complex; the other axes broadcast."""
    x1, x2 = _arrays("vecdot", x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        raise ValueError(f"vecdot: inputs must have at least 1 dimension, got shapes {x1.shape} and {x2.shape}")
    i1 = _views.normalize_axis(axis, x1.ndim, "vecdot")
    i2 = _views.normalize_axis(axis, x2.ndim, "vecdot")
    if x1.shape[i1] != x2.shape[i2]:
        raise ValueError(f"vecdot: x1 axis {axis} has size {x1.shape[i1]} but x2 axis {axis} has size "
                         f"{x2.shape[i2]} (shapes {x1.shape} and {x2.shape})")
    v1 = _views.permute(x1, tuple(i for i in range(x1.ndim) if i != i1) + (i1,))
    v2 = _views.permute(x2, tuple(i for i in range(x2.ndim) if i != i2) + (i2,))
    broadcast_shapes((v1.shape[:-1], v2.shape[:-1]), "vecdot")
    dt = _dt.result_type(x1, x2)
    return x1.device.backend.run("vecdot", v1, v2, dtype=dt)


def _multiply(a, b, out=None):
    from ._elementwise_functions import multiply
    return multiply(a, b, out=out)


def dot(a, b, out=None):
    """NumPy's ``dot``: a product for 0-d, inner for 1-D, matmul for 2-D, last-by-second-to-last axes above."""
    a, b = _arrays("dot", a, b)
    if a.ndim == 0 or b.ndim == 0:
        return _multiply(a, b, out=out)
    k = b.ndim - 2 if b.ndim >= 2 else 0
    if a.shape[-1] != b.shape[k]:
        raise ValueError(f"dot: shapes {a.shape} and {b.shape} not aligned: {a.shape[-1]} (dim {a.ndim - 1}) "
                         f"!= {b.shape[k]} (dim {k})")
    dt = _dt.result_type(a, b)
    shape = a.shape[:-1] + b.shape[:k] + b.shape[k + 1:]
    if out is not None:
        # NumPy's dot writes into out directly, so it wants exactly the result dtype.
        if isinstance(out, ndarray) and out.dtype != dt:
            raise ValueError(f"dot: output array has dtype {out.dtype}, the result {dt}; they must match")
        check_out("dot", out, shape, dt, a.device)
    return _deliver("dot", _contract(a, b, [a.ndim - 1], [k], dt), out)


def vdot(a, b, /):
    """Dot product of the flattened arrays, conjugating ``a`` when complex."""
    from ._manipulation import reshape
    a, b = _arrays("vdot", a, b)
    if a.size != b.size:
        raise ValueError(f"vdot: vectors have different lengths ({a.size} and {b.size}; shapes {a.shape} "
                         f"and {b.shape})")
    return a.device.backend.run("vecdot", reshape(a, (-1,)), reshape(b, (-1,)), dtype=_dt.result_type(a, b))


def inner(a, b, /):
    """Sum product over the last axes (a product when either is 0-d)."""
    a, b = _arrays("inner", a, b)
    if a.ndim == 0 or b.ndim == 0:
        return _multiply(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"inner: shapes {a.shape} and {b.shape} not aligned: last dimensions "
                         f"{a.shape[-1]} != {b.shape[-1]}")
    return _contract(a, b, [a.ndim - 1], [b.ndim - 1], _dt.result_type(a, b))


def outer(a, b, out=None):
    """Outer product of the flattened inputs, shape (a.size, b.size)."""
    from ._manipulation import reshape
    a, b = _arrays("outer", a, b)
    return _multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)), out=out)


def kron(a, b, /):
    """Kronecker product: blocks a[i, j, ...] * b."""
    from ._manipulation import reshape
    a, b = _arrays("kron", a, b)
    nd = max(a.ndim, b.ndim)
    sa = (1,) * (nd - a.ndim) + a.shape
    sb = (1,) * (nd - b.ndim) + b.shape
    # Interleave the axes: a as (a0, 1, a1, 1, ...), b as (1, b0, 1, b1, ...); the product is (a0, b0, a1, b1...).
    ia = tuple(x for n in sa for x in (n, 1))
    ib = tuple(x for n in sb for x in (1, n))
    prod = _multiply(reshape(a, ia), reshape(b, ib))
    return reshape(prod, tuple(m * n for m, n in zip(sa, sb)))


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """NumPy's ``cross`` of 3-element (or, deprecated in NumPy 2, 2-element) vectors."""
    a, b = _arrays("cross", a, b)
    if axis is not None:
        axisa = axisb = axisc = axis
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"cross: inputs must have at least 1 dimension, got shapes {a.shape} and {b.shape}")
    ia = _views.normalize_axis(axisa, a.ndim, "cross")
    ib = _views.normalize_axis(axisb, b.ndim, "cross")
    if a.shape[ia] not in (2, 3) or b.shape[ib] not in (2, 3):
        raise ValueError(f"cross: incompatible dimensions for cross product (dimension must be 2 or 3), "
                         f"got {a.shape[ia]} and {b.shape[ib]} (shapes {a.shape} and {b.shape})")
    dt = _dt.result_type(a, b)
    if dt.kind == "b":
        raise TypeError(f"cross: boolean inputs are not supported (dtypes {a.dtype} and {b.dtype})")
    batch = broadcast_shapes((tuple(n for i, n in enumerate(a.shape) if i != ia),
                              tuple(n for i, n in enumerate(b.shape) if i != ib)), "cross")
    if a.shape[ia] == 3 or b.shape[ib] == 3:
        _views.normalize_axis(axisc, len(batch) + 1, "cross")
    return a.device.backend.run("cross", a, b, axisa=ia, axisb=ib, axisc=axisc)


def _sum_dtype(dt):
    """The accumulation dtype of NumPy's sum: small integers and bool widen to the default integer."""
    if dt.kind == "b" or (dt.kind == "i" and dt.itemsize < 8):
        return _dt.DEFAULT_INT
    if dt.kind == "u" and dt.itemsize < 8:
        return np.dtype(np.uint64)
    return dt


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """Sum of the diagonal over (axis1, axis2); the other axes stay."""
    (a,) = _arrays("trace", a)
    if a.ndim < 2:
        raise ValueError(f"trace: the array must have at least 2 dimensions, got shape {a.shape}")
    ax1 = _views.normalize_axis(axis1, a.ndim, "trace")
    ax2 = _views.normalize_axis(axis2, a.ndim, "trace")
    if ax1 == ax2:
        raise ValueError(f"trace: axis1 and axis2 cannot be the same (both {ax1})")
    diag = _views.diagonal(a, operator.index(offset), ax1, ax2)
    dt = _dt.normalize(dtype)
    if dt is None:
        # NumPy accumulates in out's dtype when one is given and dtype is not.
        dt = out.dtype if isinstance(out, ndarray) else _sum_dtype(a.dtype)
    if out is not None:
        check_out("trace", out, diag.shape[:-1], dt, a.device, "unsafe")
        a.device.backend.run("sum", diag, axis=-1, dtype=dt, out=out)
        return out
    return a.device.backend.run("sum", diag, axis=-1, dtype=dt)


# -- einsum --------------------------------------------------------------------------------------------
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _parse_einsum(subscripts, operands):
    """Check ``subscripts`` against the operands' shapes; returns the result shape."""
    if not isinstance(subscripts, str):
        raise TypeError("einsum: only string subscripts are supported (the interleaved operand/sublist "
                        f"form is not), got {type(subscripts).__name__}")
    spec = subscripts.replace(" ", "")
    lhs, arrow, rhs = spec.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(operands):
        raise ValueError(f"einsum: subscripts {subscripts!r} name {len(terms)} operand(s), "
                         f"but {len(operands)} were given")
    sizes = {}
    ell_shapes = []
    for term, x in zip(terms, operands):
        labels = term.replace("...", "")
        if term.count("...") > 1 or "." in labels:
            raise ValueError(f"einsum: invalid ellipsis in subscripts {subscripts!r}")
        bad = [c for c in labels if c not in _LETTERS]
        if bad:
            raise ValueError(f"einsum: invalid subscript {bad[0]!r} in {subscripts!r}; use letters a-z, A-Z")
        if len(labels) > x.ndim or ("..." not in term and len(labels) != x.ndim):
            raise ValueError(f"einsum: subscripts {term!r} do not match an operand of shape {x.shape}")
        n_ell = x.ndim - len(labels)
        pre = term.index("...") if "..." in term else len(labels)
        dims = x.shape[:pre] + x.shape[pre + n_ell:]
        ell_shapes.append(x.shape[pre:pre + n_ell])
        for c, n in zip(labels, dims):
            if sizes.get(c, n) != n and n != 1 and sizes[c] != 1:
                raise ValueError(f"einsum: size of label {c!r} is {sizes[c]} for one operand and {n} for "
                                 f"another (subscripts {subscripts!r})")
            sizes[c] = max(sizes.get(c, n), n)
    ell = broadcast_shapes(tuple(ell_shapes), "einsum") if ell_shapes else ()
    if not arrow:
        out_labels = "".join(sorted(c for c in sizes if lhs.count(c) == 1))
        return ell + tuple(sizes[c] for c in out_labels)
    out = rhs.replace("...", "")
    for c in out:
        if c not in sizes:
            raise ValueError(f"einsum: output subscript {c!r} does not appear in the inputs of {subscripts!r}")
    if len(set(out)) != len(out):
        raise ValueError(f"einsum: output subscript in {subscripts!r} repeats a label")
    if "..." not in rhs:
        return tuple(sizes[c] for c in out)
    pre = rhs.index("...")
    return tuple(sizes[c] for c in out[:pre]) + ell + tuple(sizes[c] for c in out[pre:])


def einsum(subscripts, /, *operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    """Einstein summation over string ``subscripts``."""
    ops = _arrays("einsum", *operands) if operands else []
    shape = _parse_einsum(subscripts, ops)
    dt = _dt.normalize(dtype) or (_dt.result_type(*ops) if ops else None)
    for x in ops:
        if not np.can_cast(x.dtype, dt, casting):
            raise TypeError(f"einsum: cannot cast the input dtype {x.dtype} to {dt} with casting rule '{casting}'")
    if out is not None:
        check_out("einsum", out, shape, dt, ops[0].device, casting)
    # The casts were checked above against `casting`; the backend computes in dt.
    result = ops[0].device.backend.run("einsum", subscripts, *ops, dtype=dt, casting="unsafe", optimize=optimize)
    return _deliver("einsum", result, out)


def einsum_path(subscripts, /, *operands, optimize="greedy", einsum_call=False):
    """NumPy's contraction order for ``einsum``: (path, report)."""
    ops = _arrays("einsum_path", *operands)
    _parse_einsum(subscripts, ops)
    return ops[0].device.backend.run("einsum_path", subscripts, *ops, optimize=optimize)
