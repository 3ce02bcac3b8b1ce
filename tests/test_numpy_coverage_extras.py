"""rdnarray.testing, rdnarray.emath, the index tricks (r_, c_, mgrid, ogrid, mask_indices, matvec, vecmat,
row_stack) and poly1d, compared with NumPy."""
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import rdnarray as rp
from rdnarray import emath, testing as rpt
from rdnarray import _index_tricks as it
from rdnarray._polynomial_class import poly1d


def same(result, expected):
    assert isinstance(result, rp.ndarray), type(result)
    np.testing.assert_array_equal(rp.asnumpy(result), np.asarray(expected), strict=True)


# -- rdnarray.testing ---------------------------------------------------------------------------------------

def test_testing_accepts_rdnarray_arrays():
    x = rp.asarray(np.arange(6.0).reshape(2, 3))
    rpt.assert_array_equal(x.T, np.arange(6.0).reshape(2, 3).T, strict=True)
    rpt.assert_equal({"a": [x[::-1]]}, {"a": [np.arange(6.0).reshape(2, 3)[::-1]]})
    rpt.assert_allclose(x + 1e-9, x, rtol=1e-6, atol=1e-8)
    rpt.assert_array_almost_equal(x, x + 1e-8)
    rpt.assert_almost_equal(rp.asarray(1.0), 1.0 + 1e-9)
    rpt.assert_approx_equal(rp.asarray(1.0), 1.0 + 1e-9)
    rpt.assert_array_less(x, x + 1)
    rpt.assert_array_almost_equal_nulp(x, x)
    assert rpt.assert_array_max_ulp(x, x).max() == 0
    rpt.assert_array_compare(np.less_equal, x, x)
    rpt.assert_string_equal("a", "a")


@pytest.mark.parametrize("call", [
    lambda: rpt.assert_array_equal(rp.arange(3.0), np.arange(3), strict=True),
    lambda: rpt.assert_array_equal(rp.arange(3), np.arange(1, 4)),
    lambda: rpt.assert_allclose(rp.asarray([1.0]), [1.1]),
    lambda: rpt.assert_equal(rp.asarray([1, 2]), [1, 3]),
    lambda: rpt.assert_array_less(rp.asarray([1, 2]), [1, 3]),
    lambda: rpt.assert_almost_equal(rp.asarray(1.0), 1.1),
    lambda: rpt.assert_array_almost_equal_nulp(rp.asarray([1.0]), [1.1]),
])
def test_testing_failures_raise(call):
    with pytest.raises(AssertionError):
        call()


@pytest.mark.filterwarnings("ignore:NumPy warning suppression:DeprecationWarning")  # NumPy 2.4 deprecates assert_warns
def test_testing_reexports():
    rpt.assert_raises(ValueError, int, "x")
    with rpt.assert_raises_regex(ValueError, "invalid literal"):
        int("x")
    with rpt.assert_warns(UserWarning):
        warnings.warn("w")
    assert rpt.assert_no_warnings(lambda: 3) == 3


# -- emath ---------------------------------------------------------------------------------------------------

EMATH_INPUTS = [-1, 4, 0.25, [1.0, -2.0], np.array([0.5, 2.0], np.float32), np.array([-3, 4], np.int8),
                np.array([3, 4], np.uint16), np.array([1 + 1j, -2]), np.array([-0.5], np.float16), np.array([]),
                np.array([[4.0, -9.0], [0.0, 1.0]])[:, ::-1], np.array([0.5, -0.5, 1.0])]


@pytest.mark.parametrize("name", ["sqrt", "log", "log2", "log10", "arccos", "arcsin", "arctanh"])
@pytest.mark.parametrize("value", EMATH_INPUTS, ids=range(len(EMATH_INPUTS)))
def test_emath_unary(name, value):
    arg = rp.asarray(value) if isinstance(value, np.ndarray) else value
    with np.errstate(all="ignore"):
        expected = np.asarray(getattr(np.emath, name)(value))
        got = getattr(emath, name)(arg)
    assert isinstance(got, rp.ndarray)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_allclose(rp.asnumpy(got), expected, rtol=1e-6)


def test_emath_real_domain_stays_real():
    assert emath.sqrt(rp.asarray([1.0, 4.0])).dtype == rp.float64
    assert emath.sqrt(-1).item() == 1j
    assert emath.arccos(rp.asarray([0.5], dtype=rp.float32)).dtype == rp.float32


@pytest.mark.parametrize("x, p", [([-2, 2], [-1, 2]), ([2, 4], 2), (-8, 1 / 3), ([4.0], [-1]), (2, 3)])
def test_emath_power_and_logn(x, p):
    same(emath.power(x, p), np.asarray(np.emath.power(x, p)))
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(rp.asnumpy(emath.logn(2, x)), np.emath.logn(2, x))
        np.testing.assert_allclose(rp.asnumpy(emath.logn(-2, x)), np.emath.logn(-2, x))


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(st.sampled_from([np.float32, np.float64, np.int16, np.int64]),
                  hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
                  elements=st.integers(-20, 20)),
       st.sampled_from(["sqrt", "log", "arcsin"]))
def test_emath_differential(a, name):
    with np.errstate(all="ignore"):
        expected = np.asarray(getattr(np.emath, name)(a))
        got = getattr(emath, name)(rp.asarray(a))
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(rp.asnumpy(got), expected, rtol=2e-6, atol=1e-6)


# -- mgrid, ogrid ----------------------------------------------------------------------------------------

GRIDS = [np.s_[0:5:2, 0:3], np.s_[0:1:3j, 0:2:3j], np.s_[5:0:-1, 0:2:0.5], np.s_[0:0, 0:3], np.s_[0:1:1j, 1:2:4j],
         np.s_[0:4], np.s_[-1:1:5j], np.s_[0:1:0.25], np.s_[:3, 1:7:2, 0:2]]


@pytest.mark.parametrize("key", GRIDS, ids=range(len(GRIDS)))
def test_mgrid_ogrid(key):
    same(it.mgrid[key], np.mgrid[key])
    got, expected = it.ogrid[key], np.ogrid[key]
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            same(g, e)
    else:
        same(got, expected)


def test_grid_bad_key():
    with pytest.raises(TypeError, match="mgrid"):
        it.mgrid[1, 2]


# -- r_, c_ ----------------------------------------------------------------------------------------------

A, B = np.array([1, 2, 3]), np.array([4, 5, 6])
CONCATS = [
    lambda m, a, b: m.r_[a, b], lambda m, a, b: m.r_[a, 0, 0, b], lambda m, a, b: m.r_[-1:1:6j, [0] * 3, 5, 6],
    lambda m, a, b: m.c_[a, b], lambda m, a, b: m.r_["-1", a.reshape(1, 3), b.reshape(1, 3)],
    lambda m, a, b: m.r_["0,2", a, b], lambda m, a, b: m.r_["0,2,0", a, b], lambda m, a, b: m.r_["1,2,0", a, b],
    lambda m, a, b: m.c_[a.reshape(1, 3), 0, 0, b.reshape(1, 3)], lambda m, a, b: m.r_[0:5, a],
    lambda m, a, b: m.r_[1.5, a], lambda m, a, b: m.r_[a.astype(np.float32), 1.5],
    lambda m, a, b: m.r_["0,3,1", a, b], lambda m, a, b: m.r_["0,2", 0:4], lambda m, a, b: m.r_[a[::-1], b[::2]],
    lambda m, a, b: m.c_[a.reshape(3, 1), b[::-1]], lambda m, a, b: m.r_[3],
]


@pytest.mark.parametrize("build", CONCATS, ids=range(len(CONCATS)))
def test_r_c(build):
    same(build(it, rp.asarray(A), rp.asarray(B)), build(np, A, B))


@pytest.mark.parametrize("key", ["r", "c", "x", "1,2,3,4", "a,b"])
def test_r_bad_directives(key):
    with pytest.raises(ValueError, match="r_"):
        it.r_[key, rp.asarray(A)]
    with pytest.raises(ValueError, match="special directives"):
        it.r_[rp.asarray(A), "0"]
    with pytest.raises(ValueError, match="matrix"):
        it.r_["1, 2; 3, 4"]


# -- mask_indices, matvec, vecmat, row_stack -------------------------------------------------------------

@pytest.mark.parametrize("n, k", [(3, 0), (4, 1), (4, -1), (0, 0)])
def test_mask_indices(n, k):
    for mine, theirs in ((rp.triu, np.triu), (rp.tril, np.tril)):
        got, expected = it.mask_indices(n, mine, k), np.mask_indices(n, theirs, k)
        assert len(got) == 2
        for g, e in zip(got, expected):
            same(g, e)


MATVEC_SHAPES = [((3, 4), (4,)), ((2, 3, 4), (4,)), ((3, 4), (5, 4)), ((2, 1, 3, 4), (5, 4)), ((0, 3, 2), (2,)),
                 ((3, 0), (0,))]


@pytest.mark.parametrize("s1, s2", MATVEC_SHAPES)
@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.complex128])
def test_matvec_vecmat(s1, s2, dtype):
    rng = np.random.default_rng(0)
    m = (rng.standard_normal(s1) * 4).astype(dtype)
    v = (rng.standard_normal(s2) * 4).astype(dtype)
    if dtype == np.complex128:
        m, v = m + 1j * m[..., ::-1], v * (1 - 2j)
    np.testing.assert_allclose(rp.asnumpy(it.matvec(rp.asarray(m), rp.asarray(v))), np.matvec(m, v), rtol=1e-5)
    assert it.matvec(rp.asarray(m), rp.asarray(v)).dtype == np.matvec(m, v).dtype
    mt = np.swapaxes(m, -1, -2)  # (n, m) matrices for vecmat, a non-contiguous view
    got = it.vecmat(rp.asarray(v), rp.asarray(m).mT if hasattr(rp.ndarray, "mT") else rp.asarray(mt))
    np.testing.assert_allclose(rp.asnumpy(got), np.vecmat(v, mt), rtol=1e-5)
    assert got.dtype == np.vecmat(v, mt).dtype


def test_matvec_out_and_errors():
    m, v = np.arange(24.0).reshape(2, 3, 4), np.arange(4.0)
    out = rp.zeros((2, 3))
    assert it.matvec(rp.asarray(m), rp.asarray(v), out=out) is out
    same(out, np.matvec(m, v))
    out = rp.zeros((2, 4))
    assert it.vecmat(rp.asarray(v[:3]), rp.asarray(m), out=out) is out
    same(out, np.vecmat(v[:3], m))
    bad = rp.full((3, 2), 7.0)
    with pytest.raises(ValueError, match="matvec"):
        it.matvec(rp.asarray(m), rp.asarray(v), out=bad)
    same(bad, np.full((3, 2), 7.0))
    with pytest.raises(ValueError, match="matvec"):
        it.matvec(rp.asarray(m), rp.asarray(np.arange(3.0)))
    with pytest.raises(ValueError, match="matvec"):
        it.matvec(rp.asarray(v), rp.asarray(v))
    with pytest.raises(ValueError, match="vecmat"):
        it.vecmat(rp.asarray(v), rp.asarray(m))
    with pytest.raises(ValueError, match="vecmat"):
        it.vecmat(rp.asarray(3.0), rp.asarray(m))


@pytest.mark.skipif(not hasattr(np, "row_stack"), reason="NumPy has no row_stack")
def test_row_stack_is_deprecated_vstack():
    with pytest.warns(DeprecationWarning, match="row_stack"):
        got = it.row_stack([rp.asarray(A), rp.asarray(B)])
    same(got, np.vstack([A, B]))


# -- poly1d ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.complex128])
def test_poly1d_arithmetic(dtype):
    pc, qc = np.array([1, -3, 2], dtype), np.array([1, 1], dtype)
    P, Q, p, q = poly1d(rp.asarray(pc)), poly1d(rp.asarray(qc)[::-1]), np.poly1d(pc), np.poly1d(qc[::-1])
    pairs = [(P + Q, p + q), (P - Q, p - q), (P * Q, p * q), (P * 2, p * 2), (2 * P, 2 * p), (P ** 3, p ** 3),
             (P / 2, p / 2), (-P, -p), (+P, +p), (P.deriv(), p.deriv()), (P.integ(), p.integ()),
             (P.integ(2, [1, 2]), p.integ(2, [1, 2])), (P(Q), p(q)), (3 - P, 3 - p), (P + 1, p + 1)]
    for got, expected in pairs:
        assert isinstance(got, poly1d)
        same(got.coeffs, expected.coeffs)
    (gq, gr), (eq, er) = P / Q, p / q
    same(gq.coeffs, eq.coeffs)
    same(gr.coeffs, er.coeffs)
    np.testing.assert_allclose(rp.asnumpy(P(rp.asarray([0, 1, 2.5]))), p([0, 1, 2.5]))
    assert repr(P) == repr(p) and str(P) == str(p)
    assert P.order == p.order == len(P) and P.o == 2
    assert P == poly1d(pc) and P != Q and not (P == Q) and (P == 3) is False
    np.testing.assert_allclose(np.sort_complex(rp.asnumpy(P.roots)), np.sort_complex(p.roots))


def test_poly1d_construction_and_items():
    same(poly1d([0, 0, 1.5]).coeffs, np.poly1d([0, 0, 1.5]).coeffs)
    same(poly1d([0]).coeffs, np.poly1d([0]).coeffs)
    same(poly1d(rp.asarray(2.0)).coeffs, np.poly1d(2.0).coeffs)
    same(poly1d([1, 2], r=True).coeffs, np.poly1d([1, 2], r=True).coeffs)
    P, p = poly1d([1, -3, 2], variable="z"), np.poly1d([1, -3, 2], variable="z")
    assert str(P) == str(p) and P.variable == "z" and poly1d(P).variable == "z"
    assert P[0] == p[0] and P[2] == p[2] and P[7] == 0 and P[-1] == 0
    P[4], p[4] = 7, 7
    same(P.coeffs, p.coeffs)
    assert [int(c) for c in P] == list(p)
    np.testing.assert_array_equal(np.asarray(P), p.coeffs)
    with pytest.raises(ValueError, match="poly1d"):
        poly1d([[1, 2]])
    with pytest.raises(ValueError, match="poly1d"):
        P ** -1
    with pytest.raises(ValueError, match="poly1d"):
        P[-1] = 3
    with pytest.raises(AttributeError):
        P.coeffs = rp.asarray([1])
    with pytest.raises(TypeError):
        hash(P)


# -- numpy.lib, typing, isnat, get_include ------------------------------------------------------------------

def test_sliding_window_view_is_a_view_like_numpy():
    a = np.arange(24.0).reshape(4, 6)
    for window, axis in ((3, 1), ((2, 3), None), ((2,), (0,)), (2, -1)):
        got = rp.lib.stride_tricks.sliding_window_view(rp.asarray(a), window, axis=axis)
        np.testing.assert_array_equal(rp.asnumpy(got), np.lib.stride_tricks.sliding_window_view(a, window, axis))
    x = rp.asarray(a)
    w = rp.lib.stride_tricks.sliding_window_view(x, 3, axis=1)
    assert w.data is x.data  # shares the buffer
    with pytest.raises(ValueError):
        rp.lib.stride_tricks.sliding_window_view(x, 7, axis=1)


def test_as_strided_matches_numpy():
    a = np.arange(10, dtype=np.int32)
    got = rp.lib.stride_tricks.as_strided(rp.asarray(a), shape=(4, 3), strides=(8, 4))
    np.testing.assert_array_equal(rp.asnumpy(got), np.lib.stride_tricks.as_strided(a, (4, 3), (8, 4)))
    assert rp.lib.scimath.sqrt(-4) == 2j


def test_isnat_rejects_every_rdnarray_dtype_like_numpy():
    with pytest.raises(TypeError, match="isnat"):
        rp.isnat(rp.asarray([1.0]))
    with pytest.raises(TypeError):
        np.isnat(np.asarray([1.0]))


def test_get_include_holds_the_cython_declarations():
    import os
    assert os.path.exists(os.path.join(rp.get_include(), "rdnarray", "_core", "ndarray.pxd"))


def test_typing_aliases():
    from rdnarray.typing import ArrayLike, DTypeLike, NDArray
    assert NDArray is rp.ndarray and ArrayLike is not None and DTypeLike is not None
