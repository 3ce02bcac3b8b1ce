"""NumPy's index tricks and small gufuncs: ``r_``, ``c_``, ``mgrid``, ``ogrid``, ``mask_indices``, ``matvec``,
``vecmat`` and the deprecated ``row_stack``.

Everything is built from rdnarray's own functions (arange, linspace, concat, matmul, views), so the results
are rdnarray arrays computed on the arrays' device (the default device where no array is given).
"""
import math
import operator
import warnings

import numpy as np

from . import _elementwise_functions as _ew
from ._core import dtypes as _dt
from ._core.ndarray import ndarray
from ._core.transfer import asarray
from ._creation import arange, indices, linspace, ones
from ._linear_algebra_functions import matmul
from ._manipulation import broadcast_shapes, concat, permute_dims, reshape, stack, vstack
from ._searching import nonzero

__all__ = ["r_", "c_", "mgrid", "ogrid", "mask_indices", "matvec", "vecmat"]


def _slice_bounds(s):
    return (0 if s.start is None else s.start), s.stop, (1 if s.step is None else s.step)


def _is_count(step):
    """A complex step means "this many points, stop included" (NumPy's convention)."""
    return isinstance(step, (complex, np.complexfloating))


class _Grid:
    """``mgrid`` (dense, one array) and ``ogrid`` (sparse, a tuple of broadcastable arrays)."""

    def __init__(self, sparse):
        self.sparse = sparse

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._one(key)
        if not isinstance(key, tuple) or not all(isinstance(k, slice) for k in key):
            kind = "ogrid" if self.sparse else "mgrid"
            raise TypeError(f"{kind}: the index must be slices (start:stop:step), got {key!r}")
        sizes, starts, steps, num_list = [], [], [], [0]
        for s in key:
            start, stop, step = _slice_bounds(s)
            if _is_count(step):
                n = int(abs(step))
                sizes.append(n)
                num_list += [start, stop, abs(step)]
                step = (stop - start) / float(n - 1) if n != 1 else 1
            else:
                sizes.append(max(math.ceil((stop - start) / step), 0))
                num_list += [start, stop, step]
            starts.append(start)
            steps.append(step)
        typ = np.result_type(*num_list)  # metadata only: the dtype NumPy's arange rule gives
        if self.sparse:
            nd = len(sizes)
            return tuple(reshape(_ew.add(_ew.multiply(arange(n, dtype=typ), step), start),
                                 tuple(n if j == k else 1 for j in range(nd)))
                         for k, (n, start, step) in enumerate(zip(sizes, starts, steps)))
        grid = indices(sizes, dtype=typ)
        if grid.size == 0:
            return grid
        return stack([_ew.add(_ew.multiply(grid[k], step), start).astype(typ)
                      for k, (start, step) in enumerate(zip(starts, steps))])

    @staticmethod
    def _one(s):
        start, stop, step = _slice_bounds(s)
        if _is_count(step):
            length = int(abs(step))
            typ = np.result_type(start, stop, abs(step))
            step = (stop - start) / float(length - 1) if length != 1 else 1
            return _ew.add(_ew.multiply(arange(0, length, 1, dtype=typ), step), start)
        return arange(start, stop, step)

    def __len__(self):
        return 0


mgrid = _Grid(sparse=False)
ogrid = _Grid(sparse=True)


def _ndmin(x, ndmin):
    return reshape(x, (1,) * (ndmin - x.ndim) + x.shape) if x.ndim < ndmin else x


class _AxisConcatenator:
    """``r_`` and ``c_``: concatenate slices (as ranges), scalars and arrays along an axis. A leading string
    sets the axis (``'-1'``) or the axis, minimum ndim and the position of 1-d data (``'0,2,0'``)."""

    def __init__(self, name, axis=0, ndmin=1, trans1d=-1):
        self.name, self.axis, self.ndmin, self.trans1d = name, axis, ndmin, trans1d

    def __getitem__(self, key):
        if isinstance(key, str):
            raise ValueError(f"{self.name}: the matrix-building string syntax needs numpy.matrix, which "
                             f"rdnarray does not have")
        if not isinstance(key, tuple):
            key = (key,)
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        objs, type_objs = [], []
        for k, item in enumerate(key):
            if isinstance(item, str):
                if k != 0:
                    raise ValueError(f"{self.name}: special directives must be the first entry")
                axis, ndmin, trans1d = self._directive(item, axis, ndmin, trans1d)
                continue
            if isinstance(item, slice):
                start, stop, step = _slice_bounds(item)
                new = linspace(start, stop, num=int(abs(step))) if _is_count(step) else arange(start, stop, step)
                if ndmin > 1:
                    new = _ndmin(new, ndmin)
                    if trans1d != -1:
                        new = _swap_last(new, trans1d)
                type_objs.append(new.dtype)
            elif type(item) in np.ScalarType:
                new = item
                type_objs.append(item)  # a Python scalar stays weak in the result type
            else:
                new = asarray(item)
                item_ndim = new.ndim
                new = _ndmin(new, ndmin)
                if trans1d != -1 and item_ndim < ndmin:
                    k2, k1 = ndmin - item_ndim, trans1d
                    if k1 < 0:
                        k1 += k2 + 1
                    defaxes = list(range(ndmin))
                    new = permute_dims(new, tuple(defaxes[:k1] + defaxes[k2:] + defaxes[k1:k2]))
                type_objs.append(new.dtype)
            objs.append(new)
        if not objs:
            raise ValueError(f"{self.name}: need at least one array or slice to concatenate")
        dtype = np.result_type(*type_objs)  # metadata only: dtypes and Python scalars
        device = next((o.device for o in objs if isinstance(o, ndarray)), None)
        objs = [_ndmin(asarray(o, dtype=dtype, device=device), ndmin) for o in objs]
        return concat(objs, axis=axis)

    def _directive(self, item, axis, ndmin, trans1d):
        if item in ("r", "c"):
            raise ValueError(f"{self.name}: the {item!r} directive makes a numpy.matrix, which rdnarray does not "
                             f"have")
        try:
            if "," in item:
                vec = [int(x) for x in item.split(",")]
                if len(vec) not in (2, 3):
                    raise ValueError
                axis, ndmin = vec[:2]
                if len(vec) == 3:
                    trans1d = vec[2]
            else:
                axis = int(item)
        except ValueError:
            raise ValueError(f"{self.name}: unknown special directive {item!r}") from None
        return axis, ndmin, trans1d

    def __len__(self):
        return 0


def _swap_last(x, axis):
    axes = list(range(x.ndim))
    axis = operator.index(axis) % x.ndim
    axes[-1], axes[axis] = axes[axis], axes[-1]
    return permute_dims(x, tuple(axes))


r_ = _AxisConcatenator("r_", 0)
c_ = _AxisConcatenator("c_", -1, ndmin=2, trans1d=0)


def mask_indices(n, mask_func, k=0):
    """The indices of the nonzero entries of ``mask_func(ones((n, n)), k=k)`` (``triu``, ``tril``, ...).

    ``k`` is passed by keyword (rdnarray's ``triu``/``tril`` take it keyword-only, NumPy's take either)."""
    m = ones((operator.index(n), operator.index(n)), dtype=_dt.normalize("int64"))
    a = asarray(mask_func(m, k=k))
    return nonzero(_ew.not_equal(a, 0))


def _core_check(op, x, ndim, name):
    if x.ndim < ndim:
        sig = "(m,n),(n)->(m)" if op == "matvec" else "(n),(n,m)->(m)"
        raise ValueError(f"{op}: {name} has {x.ndim} dimensions (shape {x.shape}); the signature {sig} needs "
                         f"at least {ndim}")


def matvec(x1, x2, /, out=None, *, dtype=None, casting="same_kind"):
    """Matrix-vector product over stacks, NumPy's gufunc ``(m,n),(n)->(m)``; batch dimensions broadcast."""
    x1, x2 = asarray(x1), asarray(x2)
    _core_check("matvec", x1, 2, "x1")
    _core_check("matvec", x2, 1, "x2")
    if x1.shape[-1] != x2.shape[-1]:
        raise ValueError(f"matvec: core dimension n of x1 {x1.shape} and x2 {x2.shape} differ: "
                         f"{x1.shape[-1]} != {x2.shape[-1]}")
    shape = broadcast_shapes(x1.shape[:-2], x2.shape[:-1]) + x1.shape[-2:-1]
    # x2 as a stack of (n, 1) columns: matmul's batch broadcasting is the gufunc's.
    col = reshape(x2, x2.shape + (1,))
    out_col = None if out is None else _out_view("matvec", out, shape, (1,))
    res = matmul(x1, col, out_col, dtype=dtype, casting=casting)
    return out if out is not None else reshape(res, res.shape[:-1])


def vecmat(x1, x2, /, out=None, *, dtype=None, casting="same_kind"):
    """Vector-matrix product ``conj(x1) @ x2`` over stacks, NumPy's gufunc ``(n),(n,m)->(m)``."""
    x1, x2 = asarray(x1), asarray(x2)
    _core_check("vecmat", x1, 1, "x1")
    _core_check("vecmat", x2, 2, "x2")
    if x1.shape[-1] != x2.shape[-2]:
        raise ValueError(f"vecmat: core dimension n of x1 {x1.shape} and x2 {x2.shape} differ: "
                         f"{x1.shape[-1]} != {x2.shape[-2]}")
    shape = broadcast_shapes(x1.shape[:-1], x2.shape[:-2]) + x2.shape[-1:]
    if x1.dtype.kind == "c":
        x1 = _ew.conj(x1)
    row = reshape(x1, x1.shape[:-1] + (1,) + x1.shape[-1:])
    out_row = None if out is None else _out_view("vecmat", out, shape, None)
    res = matmul(row, x2, out_row, dtype=dtype, casting=casting)
    return out if out is not None else reshape(res, res.shape[:-2] + res.shape[-1:])


def _out_view(op, out, shape, where):
    """``out`` as matmul's 2-d result: a (..., m, 1) or (..., 1, m) view, after checking its shape."""
    if not isinstance(out, ndarray):
        raise TypeError(f"{op}: out must be an rdnarray array, got {type(out).__name__}")
    if out.shape != shape:
        raise ValueError(f"{op}: out has shape {out.shape}, the result has shape {shape}")
    if where == (1,):
        return out[..., None]
    return out[..., None, :]


if hasattr(np, "row_stack"):
    __all__.append("row_stack")

    def row_stack(tup, *, dtype=None, casting="same_kind"):
        """Deprecated alias of ``vstack`` (as in NumPy)."""
        warnings.warn("`row_stack` alias is deprecated. Use `np.vstack` directly.", DeprecationWarning,
                      stacklevel=2)
        return vstack(tup, dtype=dtype, casting=casting)
