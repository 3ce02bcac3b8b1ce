"""clip, round, real, imag and NumPy's elementwise helpers, compared with NumPy."""
import math

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import rdnarray as rp

FLOATS = [np.float16, np.float32, np.float64]
REALS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32] + FLOATS


def same(result, expected):
    """Same values and dtype as NumPy's result."""
    assert isinstance(result, rp.ndarray)
    got = rp.asnumpy(result)
    expected = np.asarray(expected)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert_array_equal(got, expected)


def sample(dtype, shape=(3, 4)):
    rng = np.random.default_rng(0)
    if np.dtype(dtype).kind == "c":
        return (rng.standard_normal(shape) * 10 + 1j * rng.standard_normal(shape) * 10).astype(dtype)
    if np.dtype(dtype).kind == "f":
        a = (rng.standard_normal(shape) * 10).astype(dtype)
        a.flat[:3] = [np.nan, np.inf, -np.inf][:a.size]
        return a
    info = np.iinfo(dtype)
    return rng.integers(max(info.min, -100), min(info.max, 100), shape).astype(dtype)


def views(a):
    """The array and non-contiguous views of it: transposed, strided, reversed."""
    x = rp.asarray(a)
    return [(x, a), (x.T, a.T), (x[::2], a[::2]), (x[::-1], a[::-1])]


# -- clip ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", REALS)
def test_clip_matches_numpy(dtype):
    for x, a in views(sample(dtype)):
        same(rp.clip(x, 1, 5), np.clip(a, dtype(1), dtype(5)))
        same(rp.clip(x, min=2), np.clip(a, dtype(2), None))
        same(rp.clip(x, max=3), np.clip(a, None, dtype(3)))
        same(rp.clip(x), a)


def test_clip_array_bounds_broadcast_and_nan():
    a = np.array([[1.0, np.nan, 5.0], [-3.0, 2.0, 9.0]])
    lo = np.array([0.0, 0.0, np.nan])
    same(rp.clip(rp.asarray(a), rp.asarray(lo), 4.0), np.clip(a, lo, 4.0))
    same(rp.clip(rp.asarray([1.0]), rp.asarray([[0.0], [2.0]])), np.clip([1.0], [[0.0], [2.0]], None))


def test_clip_keeps_x_dtype():
    x = rp.asarray([0, 5, 200], dtype=rp.uint8)
    same(rp.clip(x, -1, 2.5), np.array([0, 2, 2], np.uint8))
    same(rp.clip(x, 300), np.array([255, 255, 255], np.uint8))
    same(rp.clip(rp.asarray([1, 2, 3], dtype=rp.int8), rp.asarray([2, 2, 2], dtype=rp.int16)),
         np.array([2, 2, 3], np.int8))
    same(rp.clip(rp.asarray([1.0, 2.0], dtype=rp.float32), 1.5, 1.7), np.array([1.5, 1.7], np.float32))


def test_clip_numpy_spellings_and_out():
    x = rp.asarray([1.0, 5.0, 9.0])
    out = rp.zeros(3)
    r = rp.clip(x, 2, 6, out)
    assert r is out
    same(out, [2.0, 5.0, 6.0])
    same(rp.clip(x, a_min=2, a_max=3), [2.0, 3.0, 3.0])
    same(x.clip(2, 6), [2.0, 5.0, 6.0])
    same(rp.clip(x, 2, 6, out=x), [2.0, 5.0, 6.0])


def test_clip_errors_write_nothing():
    x = rp.asarray([1.0, 5.0, 9.0])
    out = rp.full((3,), 7.0)
    with pytest.raises(ValueError, match="clip"):
        rp.clip(x, rp.asarray([1.0, 2.0]), 6, out=out)
    with pytest.raises(ValueError, match="clip"):
        rp.clip(x, 1, 6, out=rp.zeros(4))
    with pytest.raises(TypeError, match="clip"):
        rp.clip(x, 1, 6, out=rp.zeros(3, dtype=rp.int32))
    with pytest.raises(TypeError):
        rp.clip(x, min=1, a_min=2)
    with pytest.raises(ValueError, match="NaN"):
        rp.clip(rp.asarray([1, 2]), math.nan)
    same(out, [7.0, 7.0, 7.0])


# -- round --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", REALS + [np.complex64, np.complex128])
@pytest.mark.parametrize("decimals", [0, 1, 3, -1, -2])
def test_round_matches_numpy(dtype, decimals):
    a = sample(dtype) * (np.array(3.14159).astype(dtype) if np.dtype(dtype).kind in "fc" else 1)
    for x, v in views(a):
        same(rp.round(x, decimals), np.round(v, decimals))
        same(rp.around(x, decimals=decimals), np.round(v, decimals))


def test_round_half_to_even_and_special_values():
    a = np.array([0.5, 1.5, 2.5, -0.5, -2.5, -0.0, 0.0, np.inf, -np.inf, np.nan])
    same(rp.round(rp.asarray(a)), np.array([0.0, 2.0, 2.0, -0.0, -2.0, -0.0, 0.0, np.inf, -np.inf, np.nan]))
    assert np.signbit(rp.asnumpy(rp.round(rp.asarray(-0.4))))
    same(rp.round(rp.asarray([0.5 + 2.5j, -1.5 - 0.5j])), np.array([0 + 2j, -2 - 0j]))
    same(rp.round(rp.asarray(2.5)), np.float64(2.0))
    same(rp.round(rp.zeros((0, 3))), np.zeros((0, 3)))


def test_round_out_and_errors():
    x = rp.asarray([1.26, 2.5])
    out = rp.zeros(2, dtype=rp.float32)
    assert rp.round(x, 1, out=out) is out
    same(out, np.round(np.array([1.26, 2.5]), 1).astype(np.float32))
    bad = rp.full((2,), 9, dtype=rp.int32)
    with pytest.raises(TypeError, match="round"):
        rp.round(x, out=bad)
    with pytest.raises(ValueError, match="round"):
        rp.round(x, out=rp.zeros(3))
    same(bad, np.array([9, 9], np.int32))
    same(x.round(1), np.round(np.array([1.26, 2.5]), 1))


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(st.sampled_from([np.float32, np.float64, np.int16, np.int64]),
                  hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)),
       st.integers(-3, 4))
def test_round_differential(a, decimals):
    with np.errstate(all="ignore"):
        expected = np.round(a, decimals)
        same(rp.round(rp.asarray(a), decimals), expected)


# -- real, imag and the complex predicates ------------------------------------------------------------------

@pytest.mark.parametrize("dtype,part", [(np.complex64, np.float32), (np.complex128, np.float64)])
def test_real_imag_are_views(dtype, part):
    a = sample(dtype)
    for x, v in views(a):
        same(rp.real(x), v.real)
        same(rp.imag(x), v.imag)
        assert rp.real(x).dtype == part
    x = rp.asarray(a.copy())
    re, im = rp.real(x), rp.imag(x)
    assert rp.shares_memory(re, x) and rp.shares_memory(im, x)
    im[0, 0] = 42.0
    assert rp.asnumpy(x)[0, 0].imag == 42.0
    same(x.real, a.real)


@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.bool_])
def test_real_imag_of_real_input(dtype):
    x = rp.asarray(np.array([1, 0, 3]).astype(dtype))
    assert rp.real(x) is x
    same(rp.imag(x), np.zeros(3, dtype))


def test_complex_predicates():
    a = np.array([1 + 0j, 2 + 1j, 0 - 1e-20j])
    x = rp.asarray(a)
    same(rp.isreal(x), np.isreal(a))
    same(rp.iscomplex(x), np.iscomplex(a))
    same(rp.isreal(rp.asarray([1.0, 2.0])), np.array([True, True]))
    same(rp.iscomplex(rp.asarray([1.0, 2.0])), np.array([False, False]))
    assert rp.iscomplexobj(x) and not rp.isrealobj(x)
    assert rp.isrealobj(rp.asarray([1.0])) and rp.iscomplexobj([1j]) and not rp.iscomplexobj(3)
    same(rp.real_if_close(rp.asarray([2.0 + 1e-16j])), np.array([2.0]))
    same(rp.real_if_close(rp.asarray([2.0 + 1e-3j])), np.array([2.0 + 1e-3j]))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128, np.float32, np.int16, np.bool_])
def test_angle(dtype):
    a = sample(dtype) if dtype is not np.bool_ else np.array([True, False])
    for deg in (False, True):
        got = rp.angle(rp.asarray(a), deg=deg)
        expected = np.angle(a, deg=deg)
        assert rp.asnumpy(got).dtype == expected.dtype
        assert_allclose(rp.asnumpy(got), expected, rtol=1e-6)


# -- other elementwise helpers --------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS + [np.complex64, np.complex128, np.int32])
def test_nan_to_num(dtype):
    a = np.array([np.nan, np.inf, -np.inf, 1.5]).astype(dtype) if np.dtype(dtype).kind != "i" \
        else np.array([1, 2], dtype)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * a[::-1]
    same(rp.nan_to_num(rp.asarray(a)), np.nan_to_num(a))
    same(rp.nan_to_num(rp.asarray(a), nan=-1.0, posinf=9.0, neginf=-9.0),
         np.nan_to_num(a, nan=-1.0, posinf=9.0, neginf=-9.0))
    x = rp.asarray(a.copy())
    assert rp.nan_to_num(x, copy=False) is x
    same(x, np.nan_to_num(a))


def test_nan_to_num_copy_leaves_input():
    x = rp.asarray([np.nan, 1.0])
    rp.nan_to_num(x)
    assert np.isnan(rp.asnumpy(x)[0])


@pytest.mark.parametrize("dtype", FLOATS + [np.int8, np.int64, np.complex128])
def test_sinc_i0_fix(dtype):
    a = sample(dtype)
    with np.errstate(all="ignore"):
        assert_allclose(rp.asnumpy(rp.sinc(rp.asarray(a))), np.sinc(a), rtol=1e-3 if dtype == np.float16 else 1e-7)
        assert rp.sinc(rp.asarray(a)).dtype == np.sinc(a).dtype
        if np.dtype(dtype).kind != "c":
            assert_allclose(rp.asnumpy(rp.i0(rp.asarray(a))), np.i0(a), rtol=1e-3)
            same(rp.fix(rp.asarray(a)), np.fix(a))
    same(rp.sinc(rp.asarray(0.0)), np.float64(1.0))


def test_i0_complex_raises_and_fix_out():
    with pytest.raises(TypeError, match="i0"):
        rp.i0(rp.asarray([1j]))
    out = rp.zeros(3)
    assert rp.fix(rp.asarray([-1.5, 0.5, 2.7]), out=out) is out
    same(out, [-1.0, 0.0, 2.0])


@pytest.mark.parametrize("mant", [np.int8, np.int16, np.int64, np.float16, np.float32, np.float64])
@pytest.mark.parametrize("exp", [np.int8, np.int32, np.int64, np.bool_])
def test_ldexp_dtypes(mant, exp):
    a = np.array([1, 3, 5], mant)
    e = np.array([0, 1, 1], exp)
    same(rp.ldexp(rp.asarray(a), rp.asarray(e)), np.ldexp(a, e))
    same(rp.ldexp(rp.asarray(a), 2), np.ldexp(a, 2))


def test_ldexp_scalar_out_and_errors():
    same(rp.ldexp(1.5, rp.asarray([1, 2])), np.ldexp(1.5, np.array([1, 2])))
    out = rp.zeros((2, 2))
    assert rp.ldexp(rp.asarray([1.0, 2.0]), rp.asarray([[1], [2]]), out=out) is out
    same(out, np.ldexp([1.0, 2.0], [[1], [2]]))
    with pytest.raises(TypeError, match="ldexp"):
        rp.ldexp(rp.asarray([1.0]), rp.asarray([1.0]))
    with pytest.raises(TypeError, match="ldexp"):
        rp.ldexp(rp.asarray([1.0]), rp.asarray([1], dtype=rp.uint64))
    bad = rp.full((2,), 3.0)
    with pytest.raises(ValueError, match="ldexp"):
        rp.ldexp(rp.asarray([1.0, 2.0]), rp.asarray([[1], [2]]), out=bad)
    same(bad, [3.0, 3.0])


@pytest.mark.parametrize("dtype", FLOATS + [np.int32])
def test_isposinf_isneginf(dtype):
    a = np.array([np.inf, -np.inf, 0.0, -0.0, np.nan]).astype(dtype) if np.dtype(dtype).kind == "f" \
        else np.array([1, -2], dtype)
    for x, v in views(a.reshape(1, -1).repeat(2, 0)):
        same(rp.isposinf(x), np.isposinf(v))
        same(rp.isneginf(x), np.isneginf(v))
    with pytest.raises(TypeError, match="isposinf"):
        rp.isposinf(rp.asarray([1j]))
    out = rp.zeros(a.shape, dtype=rp.bool)
    assert rp.isneginf(rp.asarray(a), out=out) is out
    same(out, np.isneginf(a))


def test_unwrap():
    a = np.array([[0.0, 3.5 * np.pi, 7.0, 0.1], [1.0, -6.0, 2.0, 9.0]])
    for x, v in views(a):
        assert_allclose(rp.asnumpy(rp.unwrap(x)), np.unwrap(v))
        assert_allclose(rp.asnumpy(rp.unwrap(x, axis=0, period=4.0)), np.unwrap(v, axis=0, period=4.0))
    with pytest.raises(np.exceptions.AxisError, match="unwrap"):
        rp.unwrap(rp.asarray(a), axis=2)


# -- isclose and friends ------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int16, np.uint8, np.complex128, np.bool_])
def test_isclose_matches_numpy(dtype):
    a = sample(dtype) if dtype is not np.bool_ else np.array([[True, False]])
    b = (a + np.array(1e-6).astype(a.dtype)) if a.dtype.kind in "fc" else a[::-1]
    for equal_nan in (False, True):
        with np.errstate(all="ignore"):
            same(rp.isclose(rp.asarray(a), rp.asarray(b), equal_nan=equal_nan), np.isclose(a, b, equal_nan=equal_nan))
            same(rp.isclose(rp.asarray(a), 1, rtol=0.5, atol=1, equal_nan=equal_nan),
                 np.isclose(a, 1, rtol=0.5, atol=1, equal_nan=equal_nan))
            assert rp.allclose(rp.asarray(a), rp.asarray(b), equal_nan=equal_nan) is bool(
                np.allclose(a, b, equal_nan=equal_nan))


def test_isclose_scalars_and_array_tolerances():
    same(rp.isclose(1.0, 1.0 + 1e-9), np.bool_(True))
    same(rp.isclose(rp.asarray([1.0, 2.0]), [1.1, 2.1], atol=rp.asarray([0.2, 0.0])),
         np.isclose([1.0, 2.0], [1.1, 2.1], atol=np.array([0.2, 0.0])))
    same(rp.isclose(rp.asarray([np.inf, -np.inf, np.nan]), rp.asarray([np.inf, np.inf, np.nan])),
         np.array([True, False, False]))
    assert rp.allclose([1, 2], [1, 2]) is True


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.float64, st.integers(0, 6), elements=st.one_of(st.floats(-1e3, 1e3), st.just(np.nan))),
       st.floats(0, 1), st.floats(0, 1), st.booleans())
def test_isclose_differential(a, rtol, atol, equal_nan):
    b = a * (1 + rtol / 2)
    same(rp.isclose(rp.asarray(a), rp.asarray(b), rtol=rtol, atol=atol, equal_nan=equal_nan),
         np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def test_array_equal_and_equiv():
    a = np.array([1.0, np.nan, 3.0])
    x = rp.asarray(a)
    assert rp.array_equal(x, x) is False
    assert rp.array_equal(x, rp.asarray(a.copy()), equal_nan=True) is True
    assert rp.array_equal(x, rp.asarray([1.0, 2.0, 3.0]), equal_nan=True) is False
    assert rp.array_equal([1, 2], [1, 2]) is True
    assert rp.array_equal([1, 2], [[1, 2]]) is False
    assert rp.array_equal(rp.asarray([1 + 1j, complex(np.nan, 1)]), rp.asarray([1 + 1j, complex(np.nan, 2)]),
                          equal_nan=True) is True
    assert rp.array_equiv([1, 2], [[1, 2], [1, 2]]) is True
    assert rp.array_equiv([1, 2], [[1, 2], [1, 3]]) is False
    assert rp.array_equiv([1, 2], [1, 2, 3]) is False
    assert rp.array_equal(rp.zeros((0, 2)), rp.zeros((0, 2))) is True


# -- 1-D numerical helpers ----------------------------------------------------------------------------------

def test_interp():
    xp, fp = np.array([1.0, 2.0, 4.0]), np.array([3.0, 2.0, 0.0])
    x = np.array([0.0, 1.5, 3.0, 5.0])
    same(rp.interp(rp.asarray(x), rp.asarray(xp), rp.asarray(fp)), np.interp(x, xp, fp))
    same(rp.interp(rp.asarray(x)[::-1], xp, fp, left=-1, right=9), np.interp(x[::-1], xp, fp, left=-1, right=9))
    same(rp.interp(2.5, [1, 2, 3], [3, 2, 0]), np.float64(np.interp(2.5, [1, 2, 3], [3, 2, 0])))
    same(rp.interp(rp.asarray(x), xp, fp + 1j), np.interp(x, xp, fp + 1j))
    same(rp.interp(rp.asarray([370.0, -10.0]), [0, 180, 350], [0, 1, 2], period=360),
         np.interp([370.0, -10.0], [0, 180, 350], [0, 1, 2], period=360))
    with pytest.raises(ValueError, match="interp"):
        rp.interp(1.0, [1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="interp"):
        rp.interp(1.0, [], [])


@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.float64, np.complex128])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolve_correlate(dtype, mode):
    a = (np.arange(7) - 2).astype(dtype) * (1 + (1j if np.dtype(dtype).kind == "c" else 0))
    v = np.array([1, 0, 2]).astype(dtype)
    same(rp.convolve(rp.asarray(a)[::-1], rp.asarray(v), mode), np.convolve(a[::-1], v, mode))
    same(rp.correlate(rp.asarray(a), rp.asarray(v)[::2], mode), np.correlate(a, v[::2], mode))


def test_convolve_errors():
    with pytest.raises(ValueError, match="convolve"):
        rp.convolve([], [1])
    with pytest.raises(ValueError, match="correlate"):
        rp.correlate([[1]], [1])
    with pytest.raises(ValueError, match="convolve"):
        rp.convolve([1], [1], mode="bad")


def test_trapezoid_gradient_ediff1d():
    y = np.array([[1.0, 2.0, 4.0, 7.0], [0.0, 1.0, 0.0, 1.0]])
    for x, v in views(y):
        same(rp.trapezoid(x), np.trapezoid(v))
        same(rp.trapezoid(x, axis=0, dx=0.5), np.trapezoid(v, axis=0, dx=0.5))
    same(rp.trapezoid(rp.asarray(y), x=rp.asarray([0.0, 1.0, 3.0, 4.0])), np.trapezoid(y, x=[0.0, 1.0, 3.0, 4.0]))
    same(rp.trapezoid([1, 2, 3]), np.float64(4.0))
    g = rp.gradient(rp.asarray(y))
    assert isinstance(g, tuple) and len(g) == 2
    for got, exp in zip(g, np.gradient(y)):
        same(got, exp)
    same(rp.gradient(rp.asarray(y), 2.0, axis=1, edge_order=2), np.gradient(y, 2.0, axis=1, edge_order=2))
    same(rp.gradient(rp.asarray([1.0, 4.0, 9.0]), rp.asarray([0.0, 1.0, 3.0])),
         np.gradient([1.0, 4.0, 9.0], [0.0, 1.0, 3.0]))
    with pytest.raises(ValueError, match="gradient"):
        rp.gradient(rp.asarray([1.0]))
    with pytest.raises(ValueError, match="gradient"):
        rp.gradient(rp.asarray(y), edge_order=3)
    same(rp.ediff1d(rp.asarray(y)), np.ediff1d(y))
    same(rp.ediff1d([1, 2, 4], to_end=[9, 9], to_begin=-1), np.ediff1d([1, 2, 4], to_end=[9, 9], to_begin=-1))
    with pytest.raises(TypeError, match="ediff1d"):
        rp.ediff1d(rp.asarray([1, 2]), to_end=[0.5])
