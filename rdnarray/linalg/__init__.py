"""The Array API ``linalg`` extension (2025.12) and the rest of ``numpy.linalg``.

Validation (dimensions, squareness, dtypes) is done here for every device; the factorizations are named
backend operations ("linalg.solve", "linalg.svd", ...), which the host backend runs with NumPy's LAPACK.
Integer and boolean inputs are converted to float64 as NumPy does; float32/complex64 keep their precision.
"""
import math
import operator
from collections import namedtuple

import numpy as np

from .._core import dtypes as _dt
from .._core import views as _views
from .._core.elementwise import broadcast_shapes
from .._core.transfer import asarray
from .._linear_algebra_functions import _arrays, _matmul_shape
from .._linear_algebra_functions import cross as _np_cross
from .._linear_algebra_functions import matmul as _matmul
from .._linear_algebra_functions import tensordot, trace as _trace, vecdot
from .._manipulation import matrix_transpose, reshape

__all__ = [
    "cholesky", "cross", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh", "inv", "matmul",
    "matrix_norm", "matrix_power", "matrix_rank", "matrix_transpose", "outer", "pinv", "qr", "slogdet",
    "solve", "svd", "svdvals", "tensordot", "trace", "vecdot", "vector_norm",
    "norm", "lstsq", "cond", "multi_dot", "tensorinv", "tensorsolve", "LinAlgError",
    "EigResult", "EighResult", "QRResult", "SlogdetResult", "SVDResult",
]

LinAlgError = np.linalg.LinAlgError

EigResult = namedtuple("EigResult", ["eigenvalues", "eigenvectors"])
EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
QRResult = namedtuple("QRResult", ["Q", "R"])
SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])


def _float(op, x, allow_half=False):
    """``x`` with a floating dtype LAPACK takes: integers and bool become float64 (NumPy's rule)."""
    if x.dtype.kind in "biu":
        return asarray(x, dtype=_dt.DEFAULT_FLOAT)
    if x.dtype.kind == "f" and x.dtype.itemsize == 2 and not allow_half:
        raise TypeError(f"{op}: array type {x.dtype} is unsupported in linalg (use float32 or float64)")
    return x


def _matrix(op, x, square=False, allow_half=False):
    """``x`` as a float (stack of) matrix, or LinAlgError/TypeError naming ``op``."""
    (x,) = _arrays(op, x)
    if x.ndim < 2:
        raise LinAlgError(f"{op}: {x.ndim}-dimensional array given (shape {x.shape}); "
                          "the array must be at least two-dimensional")
    if square and x.shape[-1] != x.shape[-2]:
        raise LinAlgError(f"{op}: last 2 dimensions of the array must be square, got shape {x.shape}")
    return _float(op, x, allow_half)


def _run(op, x, *args, **kwargs):
    return x.device.backend.run("linalg." + op, x, *args, **kwargs)


# -- Array API -----------------------------------------------------------------------------------------
def cholesky(x, /, *, upper=False):
    """Lower (or, with upper=True, upper) Cholesky factor of Hermitian positive-definite matrices."""
    x = _matrix("cholesky", x, square=True)
    return _run("cholesky", x, upper=bool(upper))


def cross(x1, x2, /, *, axis=-1):
    """Cross product of 3-element vectors along ``axis``; the other axes broadcast."""
    x1, x2 = _arrays("cross", x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        raise ValueError(f"cross: inputs must have at least 1 dimension, got shapes {x1.shape} and {x2.shape}")
    i1 = _views.normalize_axis(axis, x1.ndim, "cross")
    i2 = _views.normalize_axis(axis, x2.ndim, "cross")
    if x1.shape[i1] != 3 or x2.shape[i2] != 3:
        raise ValueError(f"cross: both inputs must have size 3 along axis {axis}, got shapes {x1.shape} "
                         f"and {x2.shape}")
    if x1.ndim != x2.ndim and axis >= 0:
        raise ValueError(f"cross: axis must be negative when the inputs have different ranks "
                         f"(shapes {x1.shape} and {x2.shape})")
    broadcast_shapes((x1.shape, x2.shape), "cross")
    return _np_cross(x1, x2, axis=axis)


def det(x, /):
    return _run("det", _matrix("det", x, square=True))


def diagonal(x, /, *, offset=0):
    """The view of the ``offset`` diagonal of each matrix (the last two axes)."""
    (x,) = _arrays("diagonal", x)
    if x.ndim < 2:
        raise ValueError(f"diagonal: x must have at least 2 dimensions, got shape {x.shape}")
    return _views.diagonal(x, operator.index(offset), x.ndim - 2, x.ndim - 1)


def _complex(x):
    """``x`` as the complex dtype of its precision: the standard's eig/eigvals are always complex, where
    NumPy returns real arrays when every eigenvalue happens to be real."""
    if x.dtype.kind == "c":
        return x
    return asarray(x, dtype=np.complex64 if x.dtype == np.float32 else np.complex128)


def eig(x, /):
    """Eigenvalues and right eigenvectors of general square matrices (always complex arrays)."""
    w, v = _run("eig", _matrix("eig", x, square=True))
    return EigResult(_complex(w), _complex(v))


def eigh(x, /, UPLO="L"):
    """Eigenvalues (ascending) and eigenvectors of Hermitian matrices, from the ``UPLO`` triangle."""
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    w, v = _run("eigh", _matrix("eigh", x, square=True), UPLO=UPLO)
    return EighResult(w, v)


def eigvals(x, /):
    """Eigenvalues of general square matrices (always a complex array)."""
    return _complex(_run("eigvals", _matrix("eigvals", x, square=True)))


def eigvalsh(x, /, UPLO="L"):
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigvalsh: UPLO must be 'L' or 'U', got {UPLO!r}")
    return _run("eigvalsh", _matrix("eigvalsh", x, square=True), UPLO=UPLO)


def inv(x, /):
    return _run("inv", _matrix("inv", x, square=True))


def matmul(x1, x2, /):
    """The standard's ``matmul`` (no ``out``)."""
    return _matmul(x1, x2)


_MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """Norms of the matrices in the last two axes: 'fro', 'nuc', 1, -1, 2, -2, inf, -inf."""
    if ord not in _MATRIX_ORDS or isinstance(ord, bool):
        raise ValueError(f"matrix_norm: invalid norm order {ord!r}; use one of {_MATRIX_ORDS}")
    x = _matrix("matrix_norm", x, allow_half=ord not in (2, -2, "nuc"))
    return _run("matrix_norm", x, keepdims=bool(keepdims), ord=ord)


def matrix_power(x, n, /):
    """``x`` to the integer power ``n`` (the identity for 0, powers of the inverse for negative n)."""
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"matrix_power: exponent must be an integer, got {type(n).__name__}") from None
    (x,) = _arrays("matrix_power", x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise LinAlgError(f"matrix_power: x must be a (stack of) square matrices, got shape {x.shape}")
    if n < 0:
        x = _float("matrix_power", x)
    return _run("matrix_power", x, n)


def _rtol(op, x, rtol):
    """``rtol`` as a Python float or an array broadcastable against the stack of ``x``."""
    if rtol is None or isinstance(rtol, (int, float)):
        return rtol
    (r,) = _arrays(op, rtol)
    if r.device != x.device:
        raise ValueError(f"{op}: rtol is on {r.device}, x on {x.device}")
    broadcast_shapes((r.shape, x.shape[:-2]), op)
    return r


def matrix_rank(x, /, tol=None, hermitian=False, *, rtol=None):
    """Number of singular values above ``rtol`` times the largest (or above ``tol`` absolutely)."""
    (x,) = _arrays("matrix_rank", x)
    if x.ndim < 2:
        return _run("matrix_rank", _float("matrix_rank", x), tol=tol)
    x = _matrix("matrix_rank", x)
    if tol is not None and rtol is not None:
        raise ValueError("matrix_rank: give tol or rtol, not both")
    return _run("matrix_rank", x, tol=tol, hermitian=hermitian, rtol=_rtol("matrix_rank", x, rtol))


def outer(x1, x2, /):
    """Outer product of two 1-D arrays."""
    x1, x2 = _arrays("outer", x1, x2)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(f"outer: inputs must be 1-D, got shapes {x1.shape} and {x2.shape}")
    from .._linear_algebra_functions import outer as _outer
    return _outer(x1, x2)


def pinv(x, /, rcond=None, hermitian=False, *, rtol=None):
    """Moore-Penrose pseudo-inverse; singular values at or below ``rtol`` times the largest count as 0."""
    x = _matrix("pinv", x)
    if rcond is not None and rtol is not None:
        raise ValueError("pinv: give rcond or rtol, not both")
    if rcond is not None:
        return _run("pinv", x, rcond=rcond, hermitian=hermitian)
    return _run("pinv", x, hermitian=hermitian, rtol=_rtol("pinv", x, rtol))


def qr(x, /, mode="reduced"):
    """QR decomposition: mode 'reduced' or 'complete' give (Q, R); NumPy's 'r' gives R, 'raw' (h, tau)."""
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError(f"qr: unrecognized mode {mode!r}; use 'reduced', 'complete', 'r' or 'raw'")
    result = _run("qr", _matrix("qr", x), mode=mode)
    if mode in ("reduced", "complete"):
        return QRResult(*result)
    return result


def slogdet(x, /):
    """(sign, log|det|) of square matrices; sign is 0 and logabsdet -inf for singular ones."""
    sign, logabsdet = _run("slogdet", _matrix("slogdet", x, square=True))
    return SlogdetResult(sign, logabsdet)


def solve(x1, x2, /):
    """Solution X of x1 @ X = x2; a 1-D x2 is one right-hand side for every matrix in the stack."""
    x1, x2 = _arrays("solve", x1, x2)
    x1 = _matrix("solve", x1, square=True)
    if x2.ndim == 0:
        raise ValueError("solve: x2 must have at least 1 dimension, got shape ()")
    m = x1.shape[-1]
    rows = x2.shape[0] if x2.ndim == 1 else x2.shape[-2]
    if rows != m:
        raise ValueError(f"solve: x1 of shape {x1.shape} needs {m} rows in x2, got shape {x2.shape}")
    if x2.ndim >= 2:
        broadcast_shapes((x1.shape[:-2], x2.shape[:-2]), "solve")
    dt = _dt.result_type(x1, x2)
    if dt.kind == "f" and dt.itemsize == 2:
        raise TypeError(f"solve: array type {dt} is unsupported in linalg (use float32 or float64)")
    dt = dt if dt.kind in "fc" else _dt.DEFAULT_FLOAT
    x1 = asarray(x1, dtype=dt)
    x2 = asarray(x2, dtype=dt)
    return _run("solve", x1, x2)


def svd(x, /, full_matrices=True, compute_uv=True, hermitian=False):
    """Singular value decomposition (U, S, Vh); singular values in descending order."""
    x = _matrix("svd", x)
    if not compute_uv:
        return _run("svd", x, compute_uv=False, hermitian=hermitian)
    u, s, vh = _run("svd", x, full_matrices=bool(full_matrices), hermitian=hermitian)
    return SVDResult(u, s, vh)


def svdvals(x, /):
    return _run("svd", _matrix("svdvals", x), compute_uv=False)


def trace(x, /, *, offset=0, dtype=None):
    """Sums of the ``offset`` diagonals of the matrices in the last two axes."""
    (x,) = _arrays("trace", x)
    if x.ndim < 2:
        raise ValueError(f"trace: x must have at least 2 dimensions, got shape {x.shape}")
    return _trace(x, offset, -2, -1, dtype=dtype)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """p-norms over ``axis`` (None: all axes flattened); ord may be any real, inf, -inf or 0."""
    (x,) = _arrays("vector_norm", x)
    if isinstance(ord, str) or not isinstance(ord, (int, float)) or isinstance(ord, bool):
        raise ValueError(f"vector_norm: invalid norm order {ord!r}; use a number, inf or -inf")
    axes = None if axis is None else _views.normalize_axes(axis, x.ndim, "vector_norm")
    return _run("vector_norm", _float("vector_norm", x, allow_half=True), axis=axes, keepdims=bool(keepdims),
                ord=ord)


# -- numpy.linalg extras -------------------------------------------------------------------------------
_VECTOR_ORD_NAMES = ("fro", "nuc")


def norm(x, ord=None, axis=None, keepdims=False):
    """NumPy's ``norm``: vector norms over one axis, matrix norms over two, the 2-norm of all by default."""
    (x,) = _arrays("norm", x)
    if axis is None:
        if ord is not None and x.ndim not in (1, 2):
            raise ValueError(f"norm: improper number of dimensions to norm (shape {x.shape}) with ord={ord!r}")
        axes = None
    elif isinstance(axis, (tuple, list)):
        axes = tuple(_views.normalize_axis(a, x.ndim, "norm") for a in axis)
        if len(axes) not in (1, 2) or len(set(axes)) != len(axes):
            raise ValueError(f"norm: axis must be one axis or two distinct axes, got {axis}")
    else:
        axes = _views.normalize_axis(axis, x.ndim, "norm")
    matrix = (axes is None and ord is not None and x.ndim == 2) or (isinstance(axes, tuple) and len(axes) == 2)
    if matrix and ord is not None and ord not in _MATRIX_ORDS:
        raise ValueError(f"norm: invalid norm order {ord!r} for matrices")
    if not matrix and ord in _VECTOR_ORD_NAMES:
        raise ValueError(f"norm: invalid norm order {ord!r} for vectors")
    if not matrix and ord is not None and not isinstance(ord, (int, float)):
        raise ValueError(f"norm: invalid norm order {ord!r} for vectors")
    return _run("norm", _float("norm", x, allow_half=True), ord=ord, axis=axes, keepdims=bool(keepdims))


def lstsq(a, b, rcond=None):
    """Least-squares solution of a @ x = b: (x, residuals, rank, singular values)."""
    a, b = _arrays("lstsq", a, b)
    if a.ndim != 2:
        raise LinAlgError(f"lstsq: a must be 2-dimensional, got shape {a.shape}")
    if b.ndim not in (1, 2):
        raise LinAlgError(f"lstsq: b must be 1- or 2-dimensional, got shape {b.shape}")
    if a.shape[0] != b.shape[0]:
        raise LinAlgError(f"lstsq: incompatible dimensions: a has {a.shape[0]} rows, b has {b.shape[0]} "
                          f"(shapes {a.shape} and {b.shape})")
    dt = _dt.result_type(a, b)
    if dt.kind == "f" and dt.itemsize == 2:
        raise TypeError(f"lstsq: array type {dt} is unsupported in linalg (use float32 or float64)")
    dt = dt if dt.kind in "fc" else _dt.DEFAULT_FLOAT
    x, residuals, rank, s = a.device.backend.run("linalg.lstsq", asarray(a, dtype=dt), asarray(b, dtype=dt),
                                                 rcond=rcond)
    return x, residuals, int(rank), s


def cond(x, p=None):
    """Condition number of matrices in the norm ``p`` (the 2-norm by default)."""
    if p is not None and p not in _MATRIX_ORDS:
        raise ValueError(f"cond: invalid norm order {p!r}")
    x = _matrix("cond", x, square=p not in (None, 2, -2))
    return _run("cond", x, p=p)


def _chain_order(dims):
    """NumPy's dynamic programme for the cheapest parenthesization of a matrix chain."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = math.inf
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def multi_dot(arrays, *, out=None):
    """``dot`` of a chain of matrices (the ends may be 1-D) in the cheapest order."""
    from .._core.outputs import check_out
    from .._linear_algebra_functions import _deliver, dot
    arrays = _arrays("multi_dot", *arrays)
    n = len(arrays)
    if n < 2:
        raise ValueError(f"multi_dot: expecting at least two arrays, got {n}")
    first, last = arrays[0], arrays[-1]
    if first.ndim == 1:
        arrays[0] = reshape(first, (1, -1))
    if last.ndim == 1:
        arrays[-1] = reshape(last, (-1, 1))
    for i, a in enumerate(arrays):
        if a.ndim != 2:
            raise LinAlgError(f"multi_dot: array {i} has {a.ndim} dimensions (shape {a.shape}); "
                              "arrays must be 2-dimensional (the first and last may be 1-D)")
    for i in range(n - 1):
        _matmul_shape("multi_dot", arrays[i].shape, arrays[i + 1].shape)
    shape = arrays[0].shape[:1] * (first.ndim == 2) + arrays[-1].shape[1:] * (last.ndim == 2)
    dt = _dt.result_type(*arrays)
    if out is not None:
        check_out("multi_dot", out, shape, dt, arrays[0].device)
    split = _chain_order([a.shape[0] for a in arrays] + [arrays[-1].shape[1]])

    def product(i, j):
        if i == j:
            return arrays[i]
        k = split[i][j]
        return dot(product(i, k), product(k + 1, j))

    return _deliver("multi_dot", reshape(product(0, n - 1), shape), out)


def tensorinv(a, ind=2):
    """The inverse of ``a`` under ``tensordot(., ., ind)``: shape a.shape[ind:] + a.shape[:ind]."""
    (a,) = _arrays("tensorinv", a)
    ind = operator.index(ind)
    if ind <= 0:
        raise ValueError(f"tensorinv: ind must be a positive integer, got {ind}")
    out_shape = a.shape[ind:] + a.shape[:ind]
    rows = math.prod(a.shape[:ind])
    if rows != math.prod(a.shape[ind:]):
        raise LinAlgError(f"tensorinv: the products of a.shape[:{ind}] and a.shape[{ind}:] must match, "
                          f"got shape {a.shape}")
    return reshape(inv(reshape(a, (rows, -1))), out_shape)


def tensorsolve(a, b, axes=None):
    """The x with tensordot(a, x, x.ndim) == b."""
    a, b = _arrays("tensorsolve", a, b)
    if axes is not None:
        moved = [_views.normalize_axis(ax, a.ndim, "tensorsolve") for ax in axes]
        order = [i for i in range(a.ndim) if i not in moved] + moved
        a = _views.permute(a, tuple(order))
    x_shape = a.shape[b.ndim:]
    n = math.prod(x_shape)
    if a.size != n * n or b.size != n:
        raise LinAlgError(f"tensorsolve: a of shape {a.shape} is not square over b's shape {b.shape} and "
                          f"x's shape {x_shape}")
    return reshape(solve(reshape(a, (n, n)), reshape(b, (n,))), x_shape)
