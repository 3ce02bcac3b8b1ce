"""Searching, sorting and set functions, differential against NumPy."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_array_equal

import rdnarray as rp
from devices import DEFAULT, strided_like

SPECIAL = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1.5, -2.0, 1.5]


def sample(dtype, shape=(4, 5), seed=0):
    """A NumPy array with many ties (and NaN, inf, -0.0 for floats)."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.kind in "iu":
        return rng.integers(0 if dtype.kind == "u" else -3, 4, shape).astype(dtype)
    vals = rng.choice(np.array(SPECIAL), shape)
    if dtype.kind == "c":
        return (vals + 1j * rng.choice(np.array([0.0, 1.0, -1.0]), shape)).astype(dtype)
    return vals.astype(dtype)


def views(a):
    """Non-contiguous NumPy views of a 2-D array (strided_like makes device arrays with their strides)."""
    return [a, a[:, ::2], a.T, a[::-1], a[::-1, ::-2]]


def check(result, expected, dtype=None):
    assert isinstance(result, rp.ndarray)
    assert result.device == DEFAULT
    r = rp.asnumpy(result)
    assert r.shape == np.shape(expected)
    assert r.dtype == (np.asarray(expected).dtype if dtype is None else dtype)
    assert_array_equal(r, expected)


REAL = [np.bool_, np.int8, np.uint16, np.int64, np.float16, np.float32, np.float64]
ALL = REAL + [np.complex64, np.complex128]


def test_views_are_non_contiguous():
    a = sample(np.float64)
    assert not strided_like(a[:, ::2]).flags.c_contiguous
    assert strided_like(a[::-1]).strides[0] < 0


# -- searching -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ALL)
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin(name, dtype):
    for a in views(sample(dtype)):
        x = strided_like(a)
        for axis in (None, 0, 1, -1):
            for keepdims in (False, True):
                r = getattr(rp, name)(x, axis=axis, keepdims=keepdims)
                check(r, getattr(np, name)(a, axis=axis, keepdims=keepdims), np.int64)
    check(getattr(rp, name)(rp.asarray(np.array(3.0, dtype))), np.int64(0))
    check(getattr(rp, name)(rp.asarray(np.zeros((0, 3), dtype)), axis=1), np.zeros(0, np.int64))


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_errors_and_out(name):
    f = getattr(rp, name)
    with pytest.raises(ValueError, match=name):
        f(rp.asarray(np.zeros(0)))
    with pytest.raises(ValueError, match=name):
        f(rp.asarray(np.zeros((3, 0))), axis=1)
    with pytest.raises(np.exceptions.AxisError):
        f(rp.asarray(np.zeros((2, 3))), axis=2)
    with pytest.raises(np.exceptions.AxisError):  # the standard: axis must be in [-N, N)
        f(rp.asarray(np.array(1.0)), axis=0)
    a = sample(np.float64)
    out = rp.zeros((5,), dtype=rp.int64)
    assert f(rp.asarray(a), 0, out) is out
    check(out, getattr(np, name)(a, axis=0))
    out32 = rp.zeros((4,), dtype=rp.int32)
    f(rp.asarray(a), axis=1, out=out32)
    check(out32, getattr(np, name)(a, axis=1).astype(np.int32))
    for bad, exc in [(rp.full((4,), 7, dtype=rp.int64), ValueError), (rp.full((5,), 7.0), TypeError)]:
        with pytest.raises(exc, match=name):
            f(rp.asarray(a), axis=0, out=bad)
        assert (rp.asnumpy(bad) == 7).all()
    # The method delegates.
    check(rp.asarray(a).argmax(axis=1) if name == "argmax" else rp.asarray(a).argmin(axis=1),
          getattr(np, name)(a, axis=1))


@pytest.mark.parametrize("dtype", ALL)
def test_count_nonzero(dtype):
    for a in views(sample(dtype)):
        x = strided_like(a)
        for axis in (None, 0, -1, (0, 1), ()):
            for keepdims in (False, True):
                expected = np.asarray(np.count_nonzero(a, axis=axis, keepdims=keepdims), np.int64)
                check(rp.count_nonzero(x, axis=axis, keepdims=keepdims), expected)
    check(rp.count_nonzero(rp.asarray(np.array(0.0, dtype))), np.asarray(0, np.int64))
    check(rp.count_nonzero(rp.asarray(np.array(1 + 0j, dtype) if np.dtype(dtype).kind == "c" else np.array(1, dtype))),
          np.asarray(1, np.int64))
    with pytest.raises(ValueError, match="repeated"):
        rp.count_nonzero(rp.asarray(a), axis=(0, 0))


def test_count_nonzero_complex_imaginary_only():
    check(rp.count_nonzero(rp.asarray(np.array([0j, 1j, 0j]))), np.asarray(1, np.int64))


@pytest.mark.parametrize("dtype", ALL)
def test_nonzero_argwhere_flatnonzero(dtype):
    for a in views(sample(dtype)) + [np.zeros((0, 3), dtype), sample(dtype, (7,))]:
        x = strided_like(a)
        got = rp.nonzero(x)
        assert isinstance(got, tuple) and len(got) == a.ndim
        for g, e in zip(got, np.nonzero(a)):
            check(g, e, np.int64)
        for g, e in zip(rp.where(x), np.nonzero(a)):
            check(g, e, np.int64)
        check(rp.argwhere(x), np.argwhere(a))
        check(rp.flatnonzero(x), np.flatnonzero(a))
    check(rp.argwhere(rp.asarray(np.array(2, dtype))), np.argwhere(np.array(2, dtype)))
    check(rp.flatnonzero(rp.asarray(np.array(2, dtype))), np.flatnonzero(np.array(2, dtype)))
    with pytest.raises(ValueError, match="nonzero"):
        rp.nonzero(rp.asarray(np.array(1, dtype)))


@pytest.mark.parametrize("dtype", REAL)
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted(dtype, side):
    a = np.sort(sample(dtype, (9,)))
    v = sample(dtype, (3, 4), seed=1)
    check(rp.searchsorted(rp.asarray(a), rp.asarray(v), side=side), np.searchsorted(a, v, side=side))
    check(rp.searchsorted(rp.asarray(a[::-1][::-1]), rp.asarray(v.T), side=side), np.searchsorted(a, v.T, side=side))
    sorter = np.argsort(a[::-1], kind="stable")
    check(rp.searchsorted(rp.asarray(a[::-1]), rp.asarray(v), side=side, sorter=rp.asarray(sorter)),
          np.searchsorted(a[::-1], v, side=side, sorter=sorter))
    check(rp.searchsorted(rp.asarray(a), 1, side=side), np.asarray(np.searchsorted(a, 1, side=side)))
    check(rp.asarray(a).searchsorted(rp.asarray(v), side=side), np.searchsorted(a, v, side=side))


def test_searchsorted_scalars_by_value():
    a = np.array([1, 2, 100], np.int8)
    check(rp.searchsorted(rp.asarray(a), 1000), np.asarray(3))
    check(rp.searchsorted(rp.asarray(a), -1000), np.asarray(0))
    check(rp.searchsorted(rp.asarray(a), 1.5), np.asarray(1))
    check(rp.searchsorted(rp.asarray(np.array([0, 7], np.uint8)), -1), np.asarray(0))
    f = np.array([0.1, 0.2, 0.3], np.float32)  # 0.2 is weakly typed: float32(0.2) is found exactly
    check(rp.searchsorted(rp.asarray(f), 0.2), np.asarray(1))
    check(rp.searchsorted(rp.asarray(f), 0.2, side="right"), np.asarray(2))
    check(rp.searchsorted(rp.asarray(np.array([1.0, np.nan])), np.nan), np.asarray(1))


def test_searchsorted_errors():
    a = rp.asarray(np.arange(4))
    with pytest.raises(ValueError, match="searchsorted.*1-D"):
        rp.searchsorted(rp.asarray(np.zeros((2, 2))), 1)
    with pytest.raises(ValueError, match="searchsorted.*side"):
        rp.searchsorted(a, 1, side="middle")
    with pytest.raises(ValueError, match="searchsorted.*sorter"):
        rp.searchsorted(a, 1, sorter=rp.asarray(np.arange(3)))
    with pytest.raises(TypeError, match="searchsorted.*sorter"):
        rp.searchsorted(a, 1, sorter=rp.asarray(np.arange(4.0)))


@pytest.mark.parametrize("dt1", [np.bool_, np.int8, np.uint8, np.int32, np.float32, np.float64, np.complex64])
@pytest.mark.parametrize("dt2", [np.int16, np.float16, np.float64, np.complex128])
def test_where_arrays(dt1, dt2):
    for cv, av in zip(views(sample(np.bool_, (4, 5))), views(sample(dt1, (4, 5)))):
        bv = sample(dt2, (2 * av.shape[1],), seed=3)[::-2]  # a strided row, broadcast over the rows
        check(rp.where(strided_like(cv), strided_like(av), strided_like(bv)), np.where(cv, av, bv))


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint16, np.float16, np.float32, np.complex64])
@pytest.mark.parametrize("scalar", [True, 2, -1.5, 1j])
def test_where_scalars(dtype, scalar):
    c, a = sample(np.bool_, (3, 4)), sample(dtype, (3, 4))
    expected_dt = rp.result_type(rp.asarray(a), scalar)
    got1 = rp.where(rp.asarray(c), rp.asarray(a), scalar)
    got2 = rp.where(rp.asarray(c), scalar, rp.asarray(a))
    check(got1, np.where(c, a, np.asarray(scalar, expected_dt)), expected_dt)
    check(got2, np.where(c, np.asarray(scalar, expected_dt), a), expected_dt)


def test_where_promotion_and_errors():
    c = rp.asarray(np.array([True, False, True]))
    f32 = rp.asarray(np.ones(3, np.float32))
    assert rp.where(c, f32, 2.0).dtype == np.float32  # a Python float is weak (NEP 50 / the standard)
    assert rp.where(c, rp.asarray(np.ones(3, np.int8)), 3).dtype == np.int8
    assert rp.where(c, rp.asarray(np.ones(3, bool)), 3).dtype == np.int64
    check(rp.where(c, 1, 2.5), np.array([1.0, 2.5, 1.0]))
    check(rp.where(rp.asarray(np.array([0.0, np.nan, 2j])), 1, 0), np.array([0, 1, 1]))  # truth of non-bool
    check(rp.where(rp.asarray(np.array(True)), rp.asarray(np.arange(3.0)), 7.0), np.arange(3.0))
    check(rp.where(rp.asarray(np.array([[True], [False]])), rp.asarray(np.arange(3)), -1),
          np.where([[True], [False]], np.arange(3), -1))
    with pytest.raises(OverflowError, match="where"):
        rp.where(c, rp.asarray(np.ones(3, np.int8)), 1000)
    with pytest.raises(ValueError, match="where.*broadcast"):
        rp.where(c, rp.asarray(np.ones(4)), 0)
    with pytest.raises(ValueError, match="where"):
        rp.where(c, 1)
    with pytest.raises(ValueError):
        rp.where(rp.asarray(np.array(True)))


# -- sorting ----------------------------------------------------------------------------------------------
def _desc_order(v):
    """Reference descending stable order of a 1-D array: NaNs first, ties in their original order."""
    def key(i):
        x = v[i]
        if isinstance(x, complex) or np.iscomplexobj(v):
            return (x.real, x.imag)
        return (1, 0.0) if x != x else (0, float(x))
    return np.array(sorted(range(len(v)), key=key, reverse=True), dtype=np.int64)


@pytest.mark.parametrize("dtype", ALL)
def test_sort_argsort_ascending(dtype):
    for a in views(sample(dtype)):
        x = strided_like(a)
        for axis in (0, 1, -1, None):
            check(rp.argsort(x, axis=axis), np.argsort(a, axis=axis, kind="stable"))
            check(rp.sort(x, axis=axis), np.sort(a, axis=axis, kind="stable"))
            unstable = rp.asnumpy(rp.argsort(x, axis=axis, stable=False))
            flat = a.reshape(-1) if axis is None else a
            assert_array_equal(np.take_along_axis(flat, unstable, -1 if axis is None else axis),
                               np.sort(a, axis=axis))
            check(rp.sort(x, axis=axis, stable=False), np.sort(a, axis=axis))
    check(x.argsort(), np.argsort(a, kind="stable"))


@pytest.mark.parametrize("dtype", REAL)
def test_sort_argsort_descending_stable(dtype):
    for a in views(sample(dtype)) + [sample(dtype, (30,))]:
        x = strided_like(a)
        for axis in range(a.ndim):
            expected = np.apply_along_axis(_desc_order, axis, a) if a.size else np.zeros(a.shape, np.int64)
            got = rp.argsort(x, axis=axis, descending=True)
            check(got, expected)
            values = np.take_along_axis(a, expected, axis)
            s = rp.sort(x, axis=axis, descending=True)
            check(s, values)
            assert rp.asnumpy(s).flags.c_contiguous
            # Which zero comes first shows stability of the values themselves.
            assert_array_equal(np.signbit(rp.asnumpy(s)), np.signbit(values))


def test_descending_ties_keep_original_order():
    a = np.array([1, 3, 1, 3, 2, 1, 3], np.int32)
    check(rp.argsort(rp.asarray(a), descending=True), np.array([1, 3, 6, 4, 0, 2, 5]))
    check(rp.argsort(rp.asarray(a)), np.array([0, 2, 5, 4, 1, 3, 6]))
    z = np.array([0.0, -0.0, np.nan, 1.0, -0.0, np.nan])
    check(rp.argsort(rp.asarray(z), descending=True), np.array([2, 5, 3, 0, 1, 4]))
    s = rp.asnumpy(rp.sort(rp.asarray(z), descending=True))
    assert_array_equal(np.signbit(s), [False, False, False, False, True, True])
    check(rp.argsort(rp.asarray(a), axis=None, descending=True), np.array([1, 3, 6, 4, 0, 2, 5]))


def test_sort_complex_descending():
    a = np.array([1 + 1j, 1 - 1j, 2 + 0j, 1 + 1j, 0j])
    check(rp.argsort(rp.asarray(a), descending=True), _desc_order(a))


def test_sort_edge_cases_and_errors():
    for shape in [(0,), (3, 0), (0, 4)]:
        a = np.zeros(shape)
        check(rp.sort(rp.asarray(a)), np.sort(a))
        check(rp.argsort(rp.asarray(a), descending=True), np.zeros(shape, np.int64))
    zero_d = rp.asarray(np.array(3.0))
    for f in (rp.sort, rp.argsort):
        with pytest.raises(np.exceptions.AxisError):
            f(zero_d)
        check(f(zero_d, axis=None), np.sort(np.array([3.0])) if f is rp.sort else np.array([0]))
        with pytest.raises(np.exceptions.AxisError):
            f(rp.asarray(np.zeros((2, 2))), axis=2)
        with pytest.raises(TypeError, match="order"):
            f(rp.asarray(np.zeros(3)), order="x")
        with pytest.raises(ValueError, match="kind"):
            f(rp.asarray(np.zeros(3)), kind="bogus")
        with pytest.raises(ValueError, match="kind"):
            f(rp.asarray(np.zeros(3)), kind="stable", stable=True)
    a = sample(np.float64)
    for kind in ("stable", "mergesort", "quicksort", "heapsort"):
        check(rp.sort(rp.asarray(a), kind=kind), np.sort(a, kind=kind))
    check(rp.argsort(rp.asarray(a), kind="mergesort"), np.argsort(a, kind="stable"))
    check(rp.sort(rp.asarray(a), 0), np.sort(a, 0))  # NumPy's positional axis


@pytest.mark.parametrize("dtypes", [(np.int64, np.int64), (np.float32, np.int8), (np.bool_, np.float64, np.uint8),
                                    (np.complex64, np.int16)])
def test_lexsort(dtypes):
    keys = [sample(dt, (4, 6), seed=i) for i, dt in enumerate(dtypes)]
    for axis in (-1, 0):
        check(rp.lexsort([rp.asarray(k) for k in keys], axis=axis), np.lexsort(keys, axis=axis))
        check(rp.lexsort([k.T for k in keys], axis=axis), np.lexsort([k.T for k in keys], axis=axis))
    stacked = np.stack([np.real(k).astype(np.float64) for k in keys])
    check(rp.lexsort(rp.asarray(stacked)), np.lexsort(stacked))
    check(rp.lexsort(rp.asarray(stacked), axis=0), np.lexsort(stacked, axis=0))
    check(rp.lexsort(rp.asarray(stacked[0, 0])), np.asarray(np.lexsort(stacked[0, 0])))
    check(rp.lexsort([rp.asarray(np.zeros(0))]), np.zeros(0, np.int64))


def test_lexsort_errors():
    with pytest.raises(TypeError, match="lexsort"):
        rp.lexsort([])
    with pytest.raises(TypeError, match="lexsort"):
        rp.lexsort(rp.asarray(np.array(1)))
    with pytest.raises(ValueError, match="lexsort.*shape"):
        rp.lexsort([np.arange(3), np.arange(4)])
    with pytest.raises(np.exceptions.AxisError):
        rp.lexsort([np.arange(3)], axis=1)


def _check_partition(a, kth, axis, part, apart):
    """Both results are valid partitions (each may arrange the elements differently)."""
    a_ax = np.moveaxis(a, axis, -1)
    apart = np.moveaxis(rp.asnumpy(apart), axis, -1)
    assert apart.dtype == np.int64 and rp.asnumpy(part).dtype == a.dtype
    ref = np.sort(a_ax, axis=-1)
    assert_array_equal(np.sort(apart, axis=-1), np.broadcast_to(np.arange(a_ax.shape[-1]), a_ax.shape))
    for p in (np.moveaxis(rp.asnumpy(part), axis, -1), np.take_along_axis(a_ax, apart, -1)):
        assert_array_equal(np.sort(p, axis=-1), ref)
        for k in np.atleast_1d(kth):
            k = k % a_ax.shape[-1]
            assert_array_equal(p[..., k], ref[..., k])
            assert_array_equal(np.sort(p[..., :k], axis=-1), ref[..., :k])


@pytest.mark.parametrize("dtype", REAL + [np.complex128])
def test_partition_argpartition(dtype):
    for a in views(sample(dtype, (6, 7))):
        x = strided_like(a)
        for axis in (0, -1):
            for kth in (0, -1, 2, [1, 3], rp.asarray(np.array([0, 2]))):
                _check_partition(a, rp.asnumpy(kth) if isinstance(kth, rp.ndarray) else kth, axis,
                                 rp.partition(x, kth, axis=axis), rp.argpartition(x, kth, axis=axis))
    flat = rp.partition(rp.asarray(a), 3, axis=None)
    assert flat.shape == (a.size,)
    assert_array_equal(rp.asnumpy(flat)[3], np.sort(a, axis=None)[3])


def test_partition_errors():
    x = rp.asarray(np.arange(5.0))
    for f in (rp.partition, rp.argpartition):
        with pytest.raises(ValueError, match="kth"):
            f(x, 5)
        with pytest.raises(ValueError, match="kth"):
            f(x, [0, -6])
        with pytest.raises(TypeError, match="kth"):
            f(x, 1.5)
        with pytest.raises(ValueError, match="kind"):
            f(x, 1, kind="quick")
        with pytest.raises(TypeError, match="order"):
            f(x, 1, order="f")
        with pytest.raises(np.exceptions.AxisError):
            f(rp.asarray(np.array(1.0)), 0)


@pytest.mark.parametrize("dtype", ALL)
def test_sort_complex(dtype):
    a = sample(dtype, (3, 5))
    check(rp.sort_complex(rp.asarray(a)), np.sort_complex(a))
    check(rp.sort_complex(rp.asarray(a[:, ::-2])), np.sort_complex(a[:, ::-2]))


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(st.sampled_from([np.int16, np.uint8, np.float32, np.float64]),
                  hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=6),
                  elements=st.sampled_from([0, 1, 2, 3])),
       st.data())
def test_sort_hypothesis(a, data):
    if a.dtype.kind == "f":
        a = a.copy()
        a[np.asarray(a) == 3] = np.nan
        a[np.asarray(a) == 2] = -0.0
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    x = rp.asarray(a)
    check(rp.argsort(x, axis=axis), np.argsort(a, axis=axis, kind="stable"))
    check(rp.sort(x, axis=axis), np.sort(a, axis=axis))
    expected = np.apply_along_axis(_desc_order, axis, a) if a.size else np.zeros(a.shape, np.int64)
    check(rp.argsort(x, axis=axis, descending=True), expected)
    check(rp.sort(x, axis=axis, descending=True), np.take_along_axis(a, expected, axis))
    check(rp.argmax(x, axis=axis) if a.shape[axis] else rp.count_nonzero(x, axis=axis),
          np.argmax(a, axis=axis) if a.shape[axis] else np.count_nonzero(a, axis=axis))


# -- sets -------------------------------------------------------------------------------------------------
def _ref_unique_all(a):
    """The standard's unique_all of a NumPy array, computed by hand: every NaN is its own value."""
    flat = a.reshape(-1)
    values, indices, inverse, counts = [], [], np.zeros(flat.size, np.int64), []
    order = np.argsort(flat, kind="stable")
    for pos in order:
        v = flat[pos]
        isnan = v != v
        if values and not isnan and values[-1] == v:
            counts[-1] += 1
        else:
            values.append(v)
            indices.append(pos)
            counts.append(1)
        inverse[pos] = len(values) - 1
    return (np.array(values, a.dtype), np.array(indices, np.int64), inverse.reshape(a.shape),
            np.array(counts, np.int64))


def check_unique(a, values=None, indices=None, inverse=None, counts=None):
    """Check the standard's unique_* results against the reference. Which NaN lands in which slot and which
    of -0.0/+0.0 represents zero are implementation-defined, so those are checked as sets."""
    ref_values, ref_indices, _, ref_counts = _ref_unique_all(a)
    flat = a.reshape(-1)
    if values is not None:
        check(values, ref_values)
        values = rp.asnumpy(values)
    if counts is not None:
        check(counts, ref_counts)
    nan = np.isnan(ref_values) if a.dtype.kind in "fc" else np.zeros(ref_values.shape, bool)
    if indices is not None:
        assert_array_equal(flat[rp.asnumpy(indices)], ref_values)
        check(indices, np.where(nan, rp.asnumpy(indices), ref_indices))  # first occurrences
        assert sorted(rp.asnumpy(indices)[nan]) == sorted(ref_indices[nan])
    if inverse is not None:
        inv = rp.asnumpy(inverse)
        assert inv.shape == a.shape and inv.dtype == np.int64
        assert_array_equal(values[inv], a)
        assert sorted(inv.reshape(-1)[np.isnan(flat) if a.dtype.kind in "fc" else []]) == list(np.flatnonzero(nan))
        if indices is not None:
            assert_array_equal(inv.reshape(-1)[rp.asnumpy(indices)], np.arange(len(ref_values)))


@pytest.mark.parametrize("dtype", ALL)
def test_unique_family(dtype):
    for a in views(sample(dtype)) + [np.zeros((0, 2), dtype), np.array(1, dtype), sample(dtype, (11,))]:
        x = strided_like(a)
        r = rp.unique_all(x)
        assert type(r).__name__ == "UniqueAllResult"
        assert r._fields == ("values", "indices", "inverse_indices", "counts")
        check_unique(a, *r)
        check_unique(a, values=rp.unique_values(x))
        c = rp.unique_counts(x)
        assert c._fields == ("values", "counts")
        check_unique(a, values=c.values, counts=c.counts)
        i = rp.unique_inverse(x)
        assert i._fields == ("values", "inverse_indices")
        check_unique(a, values=i.values, inverse=i.inverse_indices)


def test_unique_nans_are_distinct():
    a = np.array([np.nan, 1.0, np.nan, -0.0, 0.0, np.nan])
    r = rp.unique_all(rp.asarray(a))
    assert rp.asnumpy(r.values).size == 5
    check(r.counts, np.array([2, 1, 1, 1, 1]))
    assert sorted(rp.asnumpy(r.indices)[2:]) == [0, 2, 5]
    z = np.array([complex(np.nan, 1), complex(np.nan, 1), 1 + 0j])
    check(rp.unique_counts(rp.asarray(z)).counts, np.array([1, 1, 1]))


@pytest.mark.parametrize("dtype", [np.int8, np.float64, np.complex64])
def test_numpy_unique(dtype):
    a = sample(dtype, (5, 4))
    for kw in [{}, {"return_index": True}, {"return_inverse": True, "return_counts": True},
               {"return_index": True, "return_inverse": True, "return_counts": True, "equal_nan": False},
               {"axis": 0, "return_inverse": True}, {"axis": -1, "return_counts": True}]:
        got, exp = rp.unique(rp.asarray(a), **kw), np.unique(a, **kw)
        got, exp = (got, exp) if isinstance(exp, tuple) else ((got,), (exp,))
        for g, e in zip(got, exp):
            check(g, e)
    with pytest.raises(np.exceptions.AxisError):
        rp.unique(rp.asarray(a), axis=2)
    with pytest.raises(np.exceptions.AxisError):
        rp.unique(rp.asarray(np.array(1)), axis=0)


@pytest.mark.parametrize("dtype", ALL)
def test_isin(dtype):
    a = sample(dtype, (4, 5))
    t = sample(dtype, (3,), seed=5)
    for av in views(a):
        for invert in (False, True):
            check(rp.isin(strided_like(av), rp.asarray(t), invert=invert), np.isin(av, t, invert=invert))
            check(rp.isin(strided_like(av), t[::-1], invert=invert), np.isin(av, t[::-1], invert=invert))
    check(rp.isin(element=rp.asarray(a), test_elements=rp.asarray(t)), np.isin(a, t))
    if np.dtype(dtype).kind in "biu":
        check(rp.isin(rp.asarray(a), rp.asarray(t), kind="table"), np.isin(a, t, kind="table"))


def test_isin_scalars_nan_and_errors():
    x = rp.asarray(np.array([1, 2, 3], np.int8))
    check(rp.isin(2, x), np.asarray(True))
    check(rp.isin(x, 2), np.array([False, True, False]))
    check(rp.isin(x, 1000), np.array([False, False, False]))
    check(rp.isin(x, 2, invert=True), np.array([True, False, True]))
    n = rp.asarray(np.array([np.nan, 1.0]))
    check(rp.isin(n, n), np.array([False, True]))  # NaN equals nothing
    check(rp.isin(rp.asarray(np.array([-0.0])), 0.0), np.array([True]))
    check(rp.isin(rp.asarray(np.zeros((0, 3))), n), np.zeros((0, 3), bool))
    with pytest.raises(ValueError, match="isin.*kind"):
        rp.isin(x, x, kind="hash")
    with pytest.raises(ValueError, match="isin.*table"):
        rp.isin(n, n, kind="table")


@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.float64, np.complex128])
def test_set_operations(dtype):
    a, b = sample(dtype, (4, 5)), sample(dtype, (7,), seed=9)
    for av in (a, a[:, ::-2]):
        for name in ("intersect1d", "union1d", "setdiff1d", "setxor1d"):
            check(getattr(rp, name)(rp.asarray(av), rp.asarray(b)), getattr(np, name)(av, b))
            check(getattr(rp, name)(av, rp.asarray(b)), getattr(np, name)(av, b))
        ua, ub = np.unique(av), np.unique(b)
        for name in ("intersect1d", "setdiff1d", "setxor1d"):
            check(getattr(rp, name)(rp.asarray(ua), rp.asarray(ub), assume_unique=True),
                  getattr(np, name)(ua, ub, assume_unique=True))
        for g, e in zip(rp.intersect1d(rp.asarray(av), rp.asarray(b), return_indices=True),
                        np.intersect1d(av, b, return_indices=True)):
            check(g, e)
    check(rp.union1d(rp.asarray(np.zeros(0, dtype)), rp.asarray(np.array(3, dtype))),
          np.union1d(np.zeros(0, dtype), np.array(3, dtype)))
    check(rp.setdiff1d(rp.asarray(np.array([1, 2], np.int8)), rp.asarray(np.array([2.5, 1.0]))),
          np.setdiff1d(np.array([1, 2], np.int8), np.array([2.5, 1.0])))


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(st.sampled_from([np.int8, np.uint32, np.float32, np.float64, np.complex64]),
                  hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
                  elements=st.sampled_from([0, 1, 2, 3])),
       hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=5),
                  elements=st.sampled_from([0.0, 1.0, 2.5, math.nan])))
def test_set_hypothesis(a, t):
    if a.dtype.kind in "fc":
        a = np.where(a == 3, np.nan, a).astype(a.dtype)
    check_unique(a, *rp.unique_all(rp.asarray(a)))
    b = a[::-1] if a.ndim else a
    values, inverse = rp.unique_inverse(rp.asarray(b))
    check_unique(b, values=values, inverse=inverse)
    check(rp.isin(rp.asarray(a), rp.asarray(t)), np.isin(a, t))
    check(rp.union1d(rp.asarray(a), rp.asarray(t)), np.union1d(a, t))
    check(rp.setdiff1d(rp.asarray(a), rp.asarray(t)), np.setdiff1d(a, t))
    if a.ndim:
        for g, e in zip(rp.nonzero(rp.asarray(a)), np.nonzero(a)):
            check(g, e)
