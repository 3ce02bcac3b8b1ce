"""Contractions as compositions of rdnarray operations: NumPy's ``einsum``, ``vecdot`` and ``cross``.

``einsum`` labels every axis (``...`` becomes labels of its own, right-aligned across operands as in
broadcasting), takes repeated labels of one operand as a diagonal view (strides summed), sums labels
that only one operand has, then contracts two operands at a time, the pair with the smallest result
first (a greedy order like ``einsum_path``'s). A pair contracts as

* a broadcast ``multiply`` when no label is summed (outer products, elementwise products),
* ``multiply`` then ``sum`` when both operands' labels are only shared ones (batches of dot products,
  where a matrix product would be 1 x K by K x 1),
* else ``matmul`` of the operands permuted and reshaped to (batch..., M, K) and (batch..., K, N):
  the GEMM kernel on a GPU. A layout that reshapes only as (K, M) is passed transposed (``.mT``), which
  the kernel reads in place.

Everything computes in the result dtype (operands are cast first), so integers stay exact and wrap as
NumPy's do (arithmetic modulo 2**bits does not depend on the order of the sum) and bool sums are logical
or. A single operand that needs no sum comes back as a view in its own dtype (even when ``dtype``
differs), as from NumPy.

NotImplemented (the host computes, and raises NumPy's error where the input is wrong): explicit
contraction paths (``optimize=[...]``), ``out=`` or ``order=``, dtypes other than bool/int/float/complex,
casts that ``casting`` forbids,
a repeated label whose axes differ in length within one operand, and an explicit output without ``...``
while ``...`` stands for axes and ``optimize`` is off (NumPy raises there).
"""
import warnings

import numpy as np

import rdnarray as rp

from ..._core import views as _views
from ..._core.ndarray import make_view

_NUMERIC = frozenset("biufc")
_ELL = 0  # ellipsis axes are labels 0, 1, ...; letters are their code points (65 and up)


def _prod(values):
    p = 1
    for v in values:
        p *= v
    return p


# ---- einsum: labels ---------------------------------------------------------------------------------

def _labels(subscripts, shapes, optimize):
    """(labels of each operand, labels of the result), or None where NumPy raises."""
    lhs, arrow, rhs = subscripts.replace(" ", "").partition("->")
    terms = lhs.split(",")
    covered = [len(s) - len(t.replace("...", "")) for t, s in zip(terms, shapes)]
    n_ell = max([k for t, k in zip(terms, covered) if "..." in t], default=0)
    ell = list(range(_ELL, _ELL + n_ell))
    labels = []
    for t, k in zip(terms, covered):
        pre, dots, post = t.partition("...")
        labels.append([ord(c) for c in pre] + (ell[n_ell - k:] if dots else []) + [ord(c) for c in post])
    if arrow:
        pre, dots, post = rhs.partition("...")
        if not dots and n_ell and not optimize:
            return None  # NumPy raises; with optimize it sums the ellipsis axes, as we do
        out = [ord(c) for c in pre] + (ell if dots else []) + [ord(c) for c in post]
    else:
        letters = [ord(c) for c in lhs if c not in ",."]
        out = ell + sorted(c for c in set(letters) if letters.count(c) == 1)
    return labels, out


def _diagonal(x, labels):
    """``x`` with each repeated label's axes merged into one (a view whose stride is their sum), and its
    labels; None where a repeated label's axes differ in length (NumPy raises)."""
    if len(set(labels)) == len(labels):
        return x, labels
    first, shape, strides = {}, [], []
    for label, n, st in zip(labels, x.shape, x.strides):
        if label in first:
            i = first[label]
            if shape[i] != n:
                return None
            strides[i] += st
        else:
            first[label] = len(shape)
            shape.append(n)
            strides.append(st)
    return make_view(x, tuple(shape), tuple(strides), x._offset), list(first)


def _permute(x, labels, order):
    return _views.permute(x, tuple(labels.index(label) for label in order))


def _sum_out(x, labels, keep, dt):
    """``x`` summed over its labels not in ``keep``."""
    gone = tuple(i for i, label in enumerate(labels) if label not in keep)
    if not gone:
        return x, labels
    return rp.sum(x, axis=gone, dtype=dt), [label for label in labels if label in keep]


# ---- einsum: one pair ---------------------------------------------------------------------------------

def _matrix(x, labels, batch, rows, cols, sizes):
    """``x`` as shape batch + (rows, cols) (label groups merged): a view where the layout allows, as the
    transpose of a (cols, rows) view next, else a copy."""
    bshape = tuple(sizes[label] for label in batch)
    r, c = _prod(sizes[label] for label in rows), _prod(sizes[label] for label in cols)
    v = _views.reshape_view(_permute(x, labels, batch + rows + cols), bshape + (r, c))
    if v is not None:
        return v
    v = _views.reshape_view(_permute(x, labels, batch + cols + rows), bshape + (c, r))
    if v is not None:
        return v.mT
    return rp.reshape(_permute(x, labels, batch + rows + cols), bshape + (r, c))


def _contract(x, lx, y, ly, keep, sizes, dt):
    """The product of operands ``x`` and ``y`` summed over their labels not in ``keep``; (array, labels)."""
    x, lx = _sum_out(x, lx, set(ly) | keep, dt)
    y, ly = _sum_out(y, ly, set(lx) | keep, dt)
    batch = [label for label in lx if label in ly and label in keep]
    summed = [label for label in lx if label in ly and label not in keep]
    fx = [label for label in lx if label not in ly]
    fy = [label for label in ly if label not in lx]
    if not summed:
        # Nothing to sum: an elementwise product broadcast as batch + fx + fy.
        xv = _views.expand(_permute(x, lx, batch + fx), tuple(range(len(batch) + len(fx), len(lx) + len(fy))))
        yv = _views.expand(_permute(y, ly, batch + fy), tuple(range(len(batch), len(batch) + len(fx))))
        return rp.multiply(xv, yv), batch + fx + fy
    if not fx and not fy:
        # A batch of dot products: a matrix product would be 1 x K by K x 1 per batch element.
        prod = rp.multiply(_permute(x, lx, batch + summed), _permute(y, ly, batch + summed))
        return rp.sum(prod, axis=tuple(range(len(batch), len(batch) + len(summed))), dtype=dt), batch
    a = _matrix(x, lx, batch, fx, summed, sizes)
    b = _matrix(y, ly, batch, summed, fy, sizes)
    result = rp.matmul(a, b)
    return rp.reshape(result, tuple(sizes[label] for label in batch + fx + fy)), batch + fx + fy


def _pick(operands, out, sizes):
    """The pair (i, j) whose contraction result is smallest (the first such pair on ties)."""
    best = None
    for i in range(len(operands)):
        for j in range(i + 1, len(operands)):
            keep = set(out)
            for k, (_, lk) in enumerate(operands):
                if k != i and k != j:
                    keep.update(lk)
            result = (set(operands[i][1]) | set(operands[j][1])) & keep
            cost = _prod(sizes[label] for label in result)
            if best is None or cost < best[0]:
                best = (cost, i, j)
    return best[1], best[2]


# ---- einsum ------------------------------------------------------------------------------------------

def einsum(backend, subscripts, *operands, dtype=None, casting="safe", optimize=False, **kwargs):
    """``np.einsum(subscripts, *operands, dtype=dtype, casting=casting, optimize=optimize)``; the core
    has checked the subscripts and the casts."""
    if (kwargs or not isinstance(subscripts, str) or not operands
            or not (isinstance(optimize, bool) or optimize in ("greedy", "optimal"))):
        return NotImplemented
    dt = np.dtype(dtype) if dtype is not None else np.result_type(*[x.dtype for x in operands])
    if dt.kind not in _NUMERIC or any(x.dtype.kind not in _NUMERIC for x in operands):
        return NotImplemented
    if not all(np.can_cast(x.dtype, dt, casting) for x in operands):
        return NotImplemented  # NumPy raises
    parsed = _labels(subscripts, [x.shape for x in operands], optimize)
    if parsed is None:
        return NotImplemented
    labels, out = parsed
    ops = []
    for x, lx in zip(operands, labels):
        d = _diagonal(x, lx)
        if d is None:
            return NotImplemented
        ops.append(d)
    sizes = {}
    for x, lx in ops:
        for label, n in zip(lx, x.shape):
            sizes[label] = n if sizes.get(label, 1) == 1 else sizes[label]

    if len(ops) == 1 and set(ops[0][1]) == set(out):
        # NumPy returns this view, in the operand's dtype whatever ``dtype`` says.
        return _permute(ops[0][0], ops[0][1], out)

    # Operands in the result dtype, size-1 axes broadcast to their label's length (zero strides).
    work = []
    for x, lx in ops:
        x = rp.astype(x, dt, copy=False)
        full = tuple(sizes[label] for label in lx)
        work.append((x if x.shape == full else _views.broadcast_to(x, full), lx))
    # Labels of one operand only that the result lacks are summed there first.
    for k, (x, lx) in enumerate(work):
        others = set(out)
        for m, (_, lm) in enumerate(work):
            if m != k:
                others.update(lm)
        work[k] = _sum_out(x, lx, others, dt)
    while len(work) > 1:
        i, j = _pick(work, out, sizes)
        keep = set(out)
        for k, (_, lk) in enumerate(work):
            if k != i and k != j:
                keep.update(lk)
        (x, lx), (y, ly) = work[i], work[j]
        work = [w for k, w in enumerate(work) if k != i and k != j] + [_contract(x, lx, y, ly, keep, sizes, dt)]
    x, lx = _sum_out(*work[0], set(out), dt)
    return _permute(x, lx, out)


# ---- vecdot -------------------------------------------------------------------------------------------

def vecdot(backend, x1, x2, dtype=None, **kwargs):
    """``np.vecdot(x1, x2, dtype=dtype)``: sum(conj(x1) * x2) over the last axis, the others broadcast.
    An elementwise product and a reduction (memory-bound work; a GEMM would be 1 x K by K x 1)."""
    if kwargs:
        return NotImplemented
    dt = np.dtype(dtype) if dtype is not None else np.result_type(x1.dtype, x2.dtype)
    if dt.kind not in _NUMERIC or x1.dtype.kind not in _NUMERIC or x2.dtype.kind not in _NUMERIC:
        return NotImplemented
    a = rp.astype(x1, dt, copy=False)
    b = rp.astype(x2, dt, copy=False)
    if dt.kind == "c":
        a = rp.conj(a)
    return rp.sum(rp.multiply(a, b), axis=-1, dtype=dt)


# ---- cross --------------------------------------------------------------------------------------------

def _numpy_crosses_2d_vectors():
    """NumPy 2.0-2.4 deprecate 2-element vectors in cross; later versions reject them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            np.cross([1, 2], [3, 4])
        except ValueError:
            return False
    return True


_CROSS_2D = _numpy_crosses_2d_vectors()


def cross(backend, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """``np.cross``: NumPy's own sequence of products and differences, in the promoted dtype."""
    if axis is not None:
        axisa = axisb = axisc = axis
    if a.ndim < 1 or b.ndim < 1:
        return NotImplemented
    dt = np.promote_types(a.dtype, b.dtype)
    if dt.kind not in "iufc":
        return NotImplemented  # bool: NumPy raises in the subtraction
    a = rp.moveaxis(a, _views.normalize_axis(axisa, a.ndim, "cross"), -1)
    b = rp.moveaxis(b, _views.normalize_axis(axisb, b.ndim, "cross"), -1)
    na, nb = a.shape[-1], b.shape[-1]
    if na not in (2, 3) or nb not in (2, 3) or (2 in (na, nb) and not _CROSS_2D):
        return NotImplemented  # the host raises NumPy's error
    if na == 2 or nb == 2:  # NumPy's warning, pointed at the caller of rp.cross
        warnings.warn("Arrays of 2-dimensional vectors are deprecated. Use arrays of 3-dimensional vectors "
                      "instead. (deprecated in NumPy 2.0)", DeprecationWarning, stacklevel=4)
    shape = tuple(np.broadcast_shapes(a.shape[:-1], b.shape[:-1]))
    if na == 3 or nb == 3:
        shape += (3,)
        axisc = _views.normalize_axis(axisc, len(shape), "cross")
    cp = backend.empty(shape, dt)
    a = rp.astype(a, dt, copy=False)
    b = rp.astype(b, dt, copy=False)
    a0, a1, b0, b1 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    if na == 2 and nb == 2:
        rp.multiply(a0, b1, out=cp)
        rp.subtract(cp, rp.multiply(a1, b0), out=cp)
        return cp
    cp0, cp1, cp2 = cp[..., 0], cp[..., 1], cp[..., 2]
    if na == 2:  # a2 = 0
        b2 = b[..., 2]
        rp.multiply(a1, b2, out=cp0)
        rp.multiply(a0, b2, out=cp1)
        rp.negative(cp1, out=cp1)
        rp.multiply(a0, b1, out=cp2)
        rp.subtract(cp2, rp.multiply(a1, b0), out=cp2)
    elif nb == 2:  # b2 = 0
        a2 = a[..., 2]
        rp.multiply(a2, b1, out=cp0)
        rp.negative(cp0, out=cp0)
        rp.multiply(a2, b0, out=cp1)
        rp.multiply(a0, b1, out=cp2)
        rp.subtract(cp2, rp.multiply(a1, b0), out=cp2)
    else:
        a2, b2 = a[..., 2], b[..., 2]
        rp.multiply(a1, b2, out=cp0)
        tmp = rp.multiply(a2, b1)
        rp.subtract(cp0, tmp, out=cp0)
        rp.multiply(a2, b0, out=cp1)
        rp.multiply(a0, b2, out=tmp)
        rp.subtract(cp1, tmp, out=cp1)
        rp.multiply(a0, b1, out=cp2)
        rp.multiply(a1, b0, out=tmp)
        rp.subtract(cp2, tmp, out=cp2)
    return rp.moveaxis(cp, -1, axisc)


NATIVE = {"einsum": einsum, "vecdot": vecdot, "cross": cross}
