"""Fast paths for small-array calls give exactly the general path's results (and errors)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import rdnarray as rp
from rdnarray._core import dtypes as _dt
from rdnarray._core import indexing, reduction

DTYPES = ["bool", "int8", "uint8", "int32", "int64", "float16", "float32", "float64", "complex64"]


@pytest.mark.parametrize("shape", [(0,), (1,), (7,), (4, 5), (2, 3, 4)])
@pytest.mark.parametrize("key", [slice(None), slice(1, -1, 2), slice(None, None, -1), slice(5, 1, -2),
                                 slice(10, 20), slice(-100, 100, 3), slice(3, 3)])
def test_single_slice_matches_general_path(shape, key):
    a = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    x = rp.asarray(a)
    for view in (x, x[::-1], x[::2]):
        fast, general = view[key], indexing._basic(view, (key,))
        assert (fast.shape, fast.strides, fast._offset) == (general.shape, general.strides, general._offset)
        np.testing.assert_array_equal(rp.asnumpy(fast), rp.asnumpy(view)[key])


def test_single_slice_errors_and_setitem():
    with pytest.raises(IndexError):
        rp.asarray(1.0)[1:]
    x = rp.arange(10, dtype=rp.float32)
    a = np.arange(10, dtype=np.float32)
    x[1::2] = 0
    a[1::2] = 0
    np.testing.assert_array_equal(rp.asnumpy(x), a)
    x[::-3] = rp.asarray([7.0, 8.0, 9.0, 10.0], dtype=rp.float32)
    a[::-3] = [7.0, 8.0, 9.0, 10.0]
    np.testing.assert_array_equal(rp.asnumpy(x), a)
    with pytest.raises(ValueError):
        x[1:4] = rp.zeros(2)
    np.testing.assert_array_equal(rp.asnumpy(x), a)  # nothing written


@pytest.mark.parametrize("shape", [(), (1,), (3, 1), (2, 3)])
def test_scalar_value_broadcast_matches_loop(shape):
    v = rp.asarray(np.float32(2.5))
    b = indexing._broadcast_value(v, shape)
    assert b.shape == shape and b.strides == (0,) * len(shape)
    np.testing.assert_array_equal(rp.asnumpy(b), np.full(shape, 2.5, np.float32))


@pytest.mark.parametrize("dtype", ["float32", "int16", "bool"])
@pytest.mark.parametrize("shape", [(0,), (9,), (3, 4)])
def test_mask_getitem_same_shape(dtype, shape):
    rng = np.random.default_rng(0)
    a = (rng.random(shape) * 10).astype(dtype)
    m = rng.random(shape) > 0.4
    x, mx = rp.asarray(a), rp.asarray(m)
    np.testing.assert_array_equal(rp.asnumpy(x[mx]), a[m])
    np.testing.assert_array_equal(rp.asnumpy(x[::-1][mx]), a[::-1][m])
    # The general path (a tuple key) gives the same.
    np.testing.assert_array_equal(rp.asnumpy(x[(mx,)]), a[m])
    if len(shape) == 1:
        with pytest.raises(IndexError):
            x[rp.asarray(np.ones(shape[0] + 1, bool))]


@pytest.mark.parametrize("d1", DTYPES)
@pytest.mark.parametrize("d2", ["bool", "uint8", "int64", "float32", "complex128"])
def test_matmul_2d_matches_general_path(d1, d2):
    a = (np.arange(12).reshape(3, 4) % 3).astype(d1)
    b = (np.arange(8).reshape(4, 2) % 2).astype(d2)
    x, y = rp.asarray(a), rp.asarray(b)
    fast = x @ y
    general = rp.matmul(x, y, dtype=_dt.result_type(x, y))  # dtype= takes the general path
    assert fast.dtype == general.dtype == np.matmul(a, b).dtype
    np.testing.assert_array_equal(rp.asnumpy(fast), rp.asnumpy(general))
    np.testing.assert_array_equal(rp.asnumpy(x.T.T @ y), np.matmul(a, b))


def test_matmul_2d_errors_and_casting():
    x = rp.ones((3, 4), dtype=rp.float32)
    with pytest.raises(ValueError, match="not aligned"):
        x @ rp.ones((3, 4), dtype=rp.float32)
    with pytest.raises(TypeError):  # casting is honoured: the fast path does not apply
        rp.matmul(x, rp.ones((4, 2), dtype=rp.float64), casting="no")


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_sort_1d_float_keeps_stable_order_of_signed_zeros(dtype):
    a = np.array([0.0, -0.0, 1.0, -0.0, 0.0, np.nan, -1.0, 0.0], dtype)
    for b in (a, a[::-1], a[2:], np.array([-0.0, 0.0, -0.0] * 50, dtype), np.array([3, -0.0, 2], dtype)):
        r = rp.asnumpy(rp.sort(rp.asarray(b)))
        e = np.sort(b, kind="stable")
        np.testing.assert_array_equal(r, e)
        np.testing.assert_array_equal(np.signbit(r), np.signbit(e))


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(st.sampled_from([np.float32, np.float64]), hnp.array_shapes(min_dims=1, max_dims=1, max_side=40),
                  elements=st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.5, np.inf, -np.inf, np.nan])))
def test_sort_1d_float_differential(a):
    r = rp.asnumpy(rp.sort(rp.asarray(a)))
    e = np.sort(a, kind="stable")
    np.testing.assert_array_equal(r, e)
    np.testing.assert_array_equal(np.signbit(r), np.signbit(e))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "mean", "all", "any", "var"])
def test_full_reduction_fast_path_matches_general(dtype, name):
    a = (np.arange(1, 7).reshape(2, 3) % 4).astype(dtype)
    x = rp.asarray(a)
    f = getattr(rp, name)
    try:
        fast = f(x)
    except TypeError:
        with pytest.raises(TypeError):
            f(x, axis=(0, 1))
        return
    general = f(x, axis=(0, 1))  # an explicit axis takes the general path
    assert fast.shape == general.shape == () and fast.dtype == general.dtype
    np.testing.assert_array_equal(rp.asnumpy(fast), rp.asnumpy(general))
    assert fast.dtype == getattr(np, name)(a).dtype or name in ("mean", "var")


def test_full_reduction_empty_and_cache_by_kind():
    with pytest.raises(ValueError):
        rp.max(rp.zeros((0,)))
    assert float(rp.max(rp.zeros((0,)), initial=3.0)) == 3.0
    assert float(rp.sum(rp.zeros((0,)))) == 0.0
    x = rp.asarray([1, 2], dtype=rp.int8)
    assert rp.sum(x).dtype == np.int64 and rp.max(x).dtype == np.int8 and rp.mean(x).dtype == np.float64
    assert reduction._FULL_RESULT  # filled by the calls above
