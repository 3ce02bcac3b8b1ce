"""The standard's special cases where NumPy answers differently: rdnarray follows the standard."""
import math

import numpy as np
import pytest

import rdnarray as rp


@pytest.mark.parametrize("dtype", [rp.float32, rp.float64])
def test_floor_divide_infinite_operands(dtype):
    inf = math.inf
    x1 = rp.asarray([inf, inf, -inf, -inf, 1.0, -1.0, 7.0, -7.0], dtype=dtype)
    x2 = rp.asarray([2.0, -2.0, 2.0, -2.0, -inf, inf, 2.0, 2.0], dtype=dtype)
    expected = [inf, -inf, -inf, inf, -0.0, -0.0, 3.0, -4.0]
    for result in (rp.floor_divide(x1, x2), x1 // x2):
        got = rp.asnumpy(result)
        np.testing.assert_array_equal(got, expected)
        assert list(np.signbit(got)) == [math.copysign(1, e) < 0 for e in expected]
    x1 //= x2  # in place: the fix-up must read x1 before it is overwritten
    np.testing.assert_array_equal(rp.asnumpy(x1), expected)


def test_floor_divide_integers_unchanged():
    a = np.array([7, -7, 0], dtype=np.int32)
    np.testing.assert_array_equal(rp.asnumpy(rp.asarray(a) // 2), a // 2)


def test_expm1_complex_special_cases():
    inf, nan = math.inf, math.nan
    x = rp.asarray([0j, complex(inf, 0), complex(-inf, inf), complex(-inf, nan), complex(nan, 0)])
    got = rp.asnumpy(rp.expm1(x))
    assert got[0] == 0 and not np.signbit(got[0].imag)
    assert got[1].real == inf and got[1].imag == 0
    assert got[2].real == -1 and got[2].imag == 0
    assert got[3].real == -1 and got[3].imag == 0
    assert math.isnan(got[4].real) and got[4].imag == 0
    z = np.array([0.5 + 0.25j, -1e-9 + 1e-9j])
    np.testing.assert_allclose(rp.asnumpy(rp.expm1(rp.asarray(z))), np.expm1(z))


def test_finfo_fields_are_python_floats():
    for dt, real in ((rp.float32, np.float32), (rp.float64, np.float64), (rp.complex64, np.float32)):
        f = rp.finfo(dt)
        for name in ("eps", "max", "min", "smallest_normal"):
            assert type(getattr(f, name)) is float
            assert getattr(f, name) == float(getattr(np.finfo(dt), name))
        assert f.bits == np.finfo(dt).bits and f.dtype == real
        assert f.tiny == np.finfo(dt).tiny  # NumPy's other fields are still there


def test_empty_boolean_mask_selects_nothing():
    # NumPy lets a mask axis of length 0 stand against any axis length.
    for shape, mshape in (((1,), (0,)), ((2,), (0,)), ((1, 3), (0, 3))):
        x = np.zeros(shape)
        m = np.zeros(mshape, dtype=bool)
        assert rp.asarray(x)[rp.asarray(m)].shape == x[m].shape
    with pytest.raises(IndexError):
        rp.zeros(3)[rp.asarray([True, False])]


@pytest.mark.parametrize("dtype", [np.float32, np.complex128])
def test_large_sort_keeps_signed_zeros_in_order(dtype):
    # A stable sort is only observable through zeros of both signs; rdnarray uses the fast unstable sort
    # otherwise, and must still give the stable answer when they are there.
    rng = np.random.default_rng(1)
    a = rng.integers(-3, 4, 1 << 15).astype(dtype)
    a[rng.random(a.size) < 0.3] *= -1  # some zeros become -0.0
    for descending in (False, True):
        got = rp.asnumpy(rp.sort(rp.asarray(a), descending=descending))
        order = np.argsort(-a if descending else a, kind="stable")
        np.testing.assert_array_equal(got, a[order])
        np.testing.assert_array_equal(np.signbit(got.real), np.signbit(a[order].real))
    plain = rng.random(1 << 15).astype(dtype)
    np.testing.assert_array_equal(rp.asnumpy(rp.sort(rp.asarray(plain))), np.sort(plain))
