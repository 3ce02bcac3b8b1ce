"""Every creation function in rdnarray/_creation.py against NumPy."""
import functools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import rdnarray as rp
from devices import DEFAULT, ON_CPU

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]


def assert_same(got, expected, exact=True):
    assert isinstance(got, rp.ndarray), type(got)
    g = rp.asnumpy(got)
    expected = np.asarray(expected)
    assert g.dtype == expected.dtype, (g.dtype, expected.dtype)
    assert g.shape == expected.shape, (g.shape, expected.shape)
    if exact or expected.dtype.kind not in "fc":
        np.testing.assert_array_equal(g, expected)
    else:
        np.testing.assert_allclose(g, expected, rtol=1e-6 if expected.dtype.itemsize <= 8 else 1e-13)


def test_all_is_public():
    import rdnarray._creation as c
    for name in c.__all__:
        assert getattr(rp, name) is getattr(c, name)


# -- arange --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [(5,), (2, 7), (0, 1, 0.1), (5, 0, -1.5), (5, 0), (0, 5, -1), (-3, 3, 2),
                                  (1.5, 4), (0, 0), (0, 1, 0.25), (10, -10, -3), (0, 2**40, 2**38),
                                  (1.0, 1.0), (0.5, 2.5, 0.5)])
def test_arange(args):
    assert_same(rp.arange(*args), np.arange(*args))


@pytest.mark.parametrize("dt", ["int8", "uint16", "int64", "float16", "float32", "complex128"])
def test_arange_dtype(dt):
    assert_same(rp.arange(0, 10, 3, dtype=dt), np.arange(0, 10, 3, dtype=dt))
    assert_same(rp.arange(5, dtype=dt, device="cpu"), np.arange(5, dtype=dt))
    assert rp.arange(5, dtype=dt, device="cpu").device == "cpu"
    assert rp.arange(5, dtype=dt).device == DEFAULT


def test_arange_keywords_and_errors():
    assert_same(rp.arange(2, stop=5), np.arange(2, 5))
    assert_same(rp.arange(10, step=3, stop=20), np.arange(10, 20, 3))
    with pytest.raises(ValueError, match="arange"):
        rp.arange(0, 5, 0)
    with pytest.raises(TypeError, match="arange"):
        rp.arange(3, dtype=rp.bool)
    with pytest.raises(TypeError, match="arange"):
        rp.arange(rp.asarray(3))
    with pytest.raises(TypeError):
        rp.arange(3, dtype="U3")


@given(st.integers(-50, 50), st.integers(-50, 50), st.integers(-7, 7).filter(bool))
@settings(max_examples=50, deadline=None)
def test_arange_hypothesis(start, stop, step):
    assert_same(rp.arange(start, stop, step), np.arange(start, stop, step))
    assert_same(rp.arange(start / 4, stop / 3, step / 2), np.arange(start / 4, stop / 3, step / 2))


# -- linspace / logspace / geomspace -------------------------------------------------------------------
@pytest.mark.parametrize("num", [0, 1, 2, 5, 50])
@pytest.mark.parametrize("endpoint", [True, False])
def test_linspace(num, endpoint):
    assert_same(rp.linspace(0, 1, num, endpoint=endpoint), np.linspace(0, 1, num, endpoint=endpoint))
    assert_same(rp.linspace(-3.5, 10, num, endpoint=endpoint, dtype=rp.float32),
                np.linspace(-3.5, 10, num, endpoint=endpoint, dtype=np.float32))
    assert_same(rp.linspace(0, 1j, num, endpoint=endpoint), np.linspace(0, 1j, num, endpoint=endpoint))


def test_linspace_details():
    x, step = rp.linspace(0, 1, 5, retstep=True)
    ex, estep = np.linspace(0, 1, 5, retstep=True)
    assert_same(x, ex)
    assert float(step) == estep
    assert_same(rp.linspace(0, 10, 5, dtype=rp.int64), np.linspace(0, 10, 5, dtype=np.int64))
    assert_same(rp.linspace(1, 0, 4), np.linspace(1, 0, 4))
    assert_same(rp.linspace(0, 1, 3, device="cpu"), np.linspace(0, 1, 3))
    # Array endpoints, also as lists, and axis.
    assert_same(rp.linspace([0, 1], [2, 3], 3), np.linspace([0, 1], [2, 3], 3))
    s32 = np.array([0, 1], np.float32)
    assert_same(rp.linspace(rp.asarray(s32), 2, 4), np.linspace(s32, 2, 4))
    assert_same(rp.linspace(rp.asarray(s32), 2, 4, axis=1), np.linspace(s32, 2, 4, axis=1))
    with pytest.raises(ValueError, match="linspace"):
        rp.linspace(0, 1, -1)
    with pytest.raises(TypeError):
        rp.linspace(0, 1, 2.5)


def test_logspace_geomspace():
    assert_same(rp.logspace(0, 3, 4), np.logspace(0, 3, 4), exact=False)
    assert_same(rp.logspace(0, 3, 4, base=2.0, endpoint=False), np.logspace(0, 3, 4, base=2.0, endpoint=False),
                exact=False)
    assert_same(rp.logspace(0, 2, 3, dtype=rp.float32), np.logspace(0, 2, 3, dtype=np.float32), exact=False)
    assert_same(rp.logspace(0, 1, 0), np.logspace(0, 1, 0))
    assert_same(rp.geomspace(1, 1000, 4), np.geomspace(1, 1000, 4), exact=False)
    assert_same(rp.geomspace(-1, -1000, 4, endpoint=False), np.geomspace(-1, -1000, 4, endpoint=False),
                exact=False)
    assert_same(rp.geomspace(1, 256, 9, dtype=rp.int64), np.geomspace(1, 256, 9, dtype=np.int64))
    with pytest.raises(ValueError):
        rp.geomspace(0, 10, 3)


# -- eye / identity / tri / tril / triu / diag ---------------------------------------------------------
@pytest.mark.parametrize("n,m,k", [(3, None, 0), (3, 5, 1), (5, 3, -2), (4, 4, 7), (0, 3, 0), (3, 0, 0),
                                   (1, 1, 0), (4, 6, -1)])
def test_eye(n, m, k):
    assert_same(rp.eye(n, m, k=k), np.eye(n, m, k=k))
    assert_same(rp.eye(n, m, k=k, dtype=rp.int8), np.eye(n, m, k=k, dtype=np.int8))


def test_eye_errors_and_identity():
    with pytest.raises(ValueError, match="eye"):
        rp.eye(-1)
    with pytest.raises(TypeError):
        rp.eye(2.5)
    assert_same(rp.eye(3, dtype=rp.bool), np.eye(3, dtype=bool))
    assert_same(rp.identity(4), np.identity(4))
    assert_same(rp.identity(2, dtype=rp.complex64), np.identity(2, dtype=np.complex64))


@pytest.mark.parametrize("n,m,k", [(3, None, 0), (3, 5, 1), (5, 3, -1), (0, 2, 0), (4, 4, -9)])
def test_tri(n, m, k):
    assert_same(rp.tri(n, m, k), np.tri(n, m, k))
    assert_same(rp.tri(n, m, k, dtype=rp.int32), np.tri(n, m, k, dtype=np.int32))


@pytest.mark.parametrize("k", [-5, -1, 0, 1, 3])
def test_tril_triu(k):
    base = np.arange(1, 61, dtype=np.int16).reshape(3, 4, 5)
    for a in (base, base[0], base.transpose(0, 2, 1)[:, ::-1], np.zeros((0, 3, 3), np.float32)):
        assert_same(rp.tril(rp.asarray(a), k=k), np.tril(a, k))
        assert_same(rp.triu(rp.asarray(a), k=k), np.triu(a, k))
    with pytest.raises(ValueError, match="tril"):
        rp.tril(rp.arange(3))
    with pytest.raises(ValueError, match="triu"):
        rp.triu(rp.asarray(1.0))


@pytest.mark.parametrize("k", [-2, 0, 1, 4])
def test_diag(k):
    v = np.arange(1, 5)
    m = np.arange(12.0).reshape(3, 4)
    assert_same(rp.diag(rp.asarray(v), k), np.diag(v, k))
    assert_same(rp.diag(rp.asarray(m), k), np.diag(m, k))
    assert_same(rp.diag(rp.asarray(m.T), k), np.diag(m.T, k))
    assert_same(rp.diag(v.tolist(), k), np.diag(v, k))
    assert_same(rp.diagflat([[1, 2], [3, 4]], k), np.diagflat([[1, 2], [3, 4]], k))
    with pytest.raises(ValueError, match="diag"):
        rp.diag(rp.zeros((2, 2, 2)))


# -- zeros / ones / empty / full (and _like) -----------------------------------------------------------
@pytest.mark.parametrize("dt", [None] + DTYPES)
@pytest.mark.parametrize("shape", [(), 0, 3, (2, 3), (4, 0, 2)])
def test_zeros_ones_empty(shape, dt):
    for rfn, nfn in ((rp.zeros, np.zeros), (rp.ones, np.ones)):
        assert_same(rfn(shape, dtype=dt), nfn(shape, dtype=dt))
        assert rfn(shape, dtype=dt, device="cpu").device == "cpu"
    e = rp.empty(shape, dtype=dt)
    ref = np.empty(shape, dtype=dt)
    assert e.shape == ref.shape and e.dtype == ref.dtype and e.strides == ref.strides


def test_shape_errors():
    for fn in (rp.zeros, rp.ones, rp.empty):
        with pytest.raises(ValueError, match=fn.__name__):
            fn((2, -1))
        with pytest.raises(TypeError, match=fn.__name__):
            fn((2, 1.5))
        with pytest.raises(TypeError):
            fn(2, dtype="U4")
    assert rp.zeros(np.int64(3)).shape == (3,)
    assert rp.zeros([np.int8(2), 3]).shape == (2, 3)


@pytest.mark.parametrize("fill", [True, 3, -2, 2.5, 1 - 1j, np.float32(1.5), np.int8(-3), np.uint16(7)])
def test_full_dtype_from_fill_value(fill):
    assert_same(rp.full((2, 3), fill), np.full((2, 3), fill))
    assert_same(rp.full(4, fill, dtype=rp.complex64), np.full(4, fill, dtype=np.complex64))
    assert_same(rp.full((), fill), np.full((), fill))
    assert_same(rp.full((0, 2), fill), np.full((0, 2), fill))


def test_full_details():
    assert_same(rp.full(3, rp.asarray(2.5, dtype=rp.float32)), np.full(3, np.float32(2.5)))
    assert_same(rp.full((2, 2), rp.asarray([1, 2], dtype=rp.int16)), np.full((2, 2), np.array([1, 2], np.int16)))
    assert_same(rp.full(3, 7, dtype=rp.float16, device="cpu"), np.full(3, 7, dtype=np.float16))
    assert_same(rp.full(2, np.inf), np.full(2, np.inf))
    with pytest.raises(OverflowError):
        rp.full(2, 1000, dtype=rp.int8)
    with pytest.raises(TypeError, match="full"):
        rp.full(2, "abc")
    with pytest.raises(TypeError, match="full"):
        rp.full(2, None)
    with pytest.raises(ValueError, match="full"):
        rp.full(-1, 0)


@pytest.mark.parametrize("src", [np.arange(6, dtype=np.int16).reshape(2, 3), np.ones((3, 2), np.complex64).T,
                                 np.array(2.5), np.zeros((0, 4), np.uint8), np.arange(10.0)[::-3]])
def test_like_functions(src):
    x = rp.asarray(src)
    assert_same(rp.zeros_like(x), np.zeros_like(src))
    assert_same(rp.ones_like(x), np.ones_like(src))
    assert_same(rp.full_like(x, 7), np.full_like(src, 7))
    assert_same(rp.full_like(x, 2.75), np.full_like(src, 2.75))
    assert_same(rp.full_like(x, True, dtype=rp.float32), np.full_like(src, True, dtype=np.float32))
    assert_same(rp.zeros_like(x, dtype=rp.int8), np.zeros_like(src, dtype=np.int8))
    assert_same(rp.ones_like(x, shape=(2, 2)), np.ones_like(src, shape=(2, 2)))
    e = rp.empty_like(x)
    assert e.shape == src.shape and e.dtype == src.dtype and e.device == x.device
    assert rp.empty_like(x, dtype=rp.bool, device="cpu").dtype == np.bool_
    assert_same(rp.zeros_like(src.tolist()), np.zeros_like(src.tolist()))  # array-likes
    assert rp.zeros_like(x, device="cpu").device == "cpu"


# -- asarray -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("obj", [True, 1, -5, 2.5, 1 + 2j, [1, 2, 3], [[1, 2], [3, 4.5]], [True, 2], [1, 2j],
                                 [[[]]], (1, 2), [], 2**63, [np.float32(1), np.float32(2)], np.float16(3)])
def test_asarray_python_objects(obj):
    assert_same(rp.asarray(obj), np.asarray(obj))


@pytest.mark.parametrize("dt", DTYPES)
def test_asarray_dtype(dt):
    assert_same(rp.asarray([0, 1, 2], dtype=dt), np.asarray([0, 1, 2], dtype=dt))
    assert_same(rp.asarray(np.arange(3.0), dtype=dt), np.asarray(np.arange(3.0), dtype=dt))
    assert_same(rp.asarray(rp.arange(3.0), dtype=dt), np.asarray(np.arange(3.0), dtype=dt))


def test_asarray_defaults_follow_info():
    info = rp.__array_namespace_info__().default_dtypes()
    assert rp.asarray(1).dtype == info["integral"]
    assert rp.asarray(1.0).dtype == info["real floating"]
    assert rp.asarray(1j).dtype == info["complex floating"]
    assert rp.asarray(True).dtype == rp.bool


def test_asarray_copy_semantics_numpy():
    a = np.arange(6.0).reshape(2, 3)
    if not ON_CPU:  # a GPU array never shares host memory
        assert not np.shares_memory(rp.asnumpy(rp.asarray(a)), a)
        with pytest.raises(ValueError, match="asarray"):
            rp.asarray(a, copy=False)
        with pytest.raises(ValueError, match="asarray"):
            rp.array(a, copy=False)
    asarray = functools.partial(rp.asarray, device="cpu")
    x = asarray(a)  # copy=None: share when possible
    assert np.shares_memory(rp.asnumpy(x), a)
    x += 1
    assert a[0, 0] == 1.0
    assert np.shares_memory(rp.asnumpy(asarray(a, copy=False)), a)
    assert not np.shares_memory(rp.asnumpy(asarray(a, copy=True)), a)
    assert np.shares_memory(asarray(a.T).__array__(), a)  # non-contiguous views too
    # A dtype change must copy.
    assert not np.shares_memory(rp.asnumpy(asarray(a, dtype=rp.float32)), a)
    with pytest.raises(ValueError, match="asarray"):
        asarray(a, dtype=rp.float32, copy=False)
    with pytest.raises(ValueError, match="asarray"):
        asarray([1, 2], copy=False)


def test_asarray_copy_semantics_rdnarray():
    x = rp.asarray([1, 2, 3])
    assert rp.asarray(x) is x
    assert rp.asarray(x, copy=False) is x
    assert rp.asarray(x, dtype=x.dtype) is x
    y = rp.asarray(x, copy=True)
    assert y is not x and not np.shares_memory(rp.asnumpy(y), rp.asnumpy(x))
    z = rp.asarray(x, dtype=rp.float32)
    assert z.dtype == rp.float32
    with pytest.raises(ValueError, match="asarray"):
        rp.asarray(x, dtype=rp.float32, copy=False)
    assert rp.asarray(x, device=x.device) is x


def test_asarray_nested_rdnarrays():
    assert_same(rp.asarray([rp.asarray(1.0), rp.asarray(2.0)]), np.array([1.0, 2.0]))
    assert_same(rp.asarray([rp.asarray([1, 2]), rp.asarray([3, 4])]), np.array([[1, 2], [3, 4]]))


@pytest.mark.parametrize("obj", ["abc", ["a", "b"], [object()], np.array(["2020-01-01"], "M8[D]"), None,
                                 np.array([1, 2], dtype=">i4").astype(object)])
def test_asarray_unsupported_dtype(obj):
    with pytest.raises(TypeError):
        rp.asarray(obj)


def test_asarray_non_native_byte_order():
    a = np.array([1, -2, 300], dtype=">i4")
    x = rp.asarray(a)
    assert x.dtype == np.int32 and x.dtype.isnative
    np.testing.assert_array_equal(rp.asnumpy(x), [1, -2, 300])
    assert_same(rp.asarray(np.array([1.5, 2.5], ">f8")), np.array([1.5, 2.5]))
    with pytest.raises(ValueError, match="asarray"):
        rp.asarray(a, copy=False)


def test_order():
    for fn in (rp.zeros, rp.ones, rp.empty):
        assert fn((2, 3), order="C").strides == (24, 8)
        with pytest.raises(ValueError, match=fn.__name__):
            fn((2, 3), order="F")
    with pytest.raises(ValueError, match="full"):
        rp.full((2, 3), 1.0, order="F")


def test_asarray_unsupported_requested_dtype():
    with pytest.raises(TypeError):
        rp.asarray([1, 2], dtype="U3")
    with pytest.raises(TypeError):
        rp.asarray([1, 2], dtype="float128" if hasattr(np, "float128") else "V8")


def test_array_function():
    a = np.arange(4)
    x = rp.array(a)
    assert not np.shares_memory(rp.asnumpy(x), a)
    assert rp.array(a, ndmin=3).shape == (1, 1, 4)
    assert np.shares_memory(rp.asnumpy(rp.array(a, copy=False, device="cpu")), a)
    assert np.shares_memory(rp.asnumpy(rp.array(a, copy=None, device="cpu")), a)
    with pytest.raises(ValueError, match="asarray"):
        rp.array(a, dtype=rp.float32, copy=False)
    assert_same(rp.array([[1, 2]], dtype=rp.uint8), np.array([[1, 2]], dtype=np.uint8))
    assert_same(rp.asanyarray([1.5]), np.asanyarray([1.5]))
    assert_same(rp.copy(rp.asarray(a)), a)
    c = rp.ascontiguousarray(rp.asarray(np.arange(6).reshape(2, 3).T))
    assert c.flags.c_contiguous
    assert_same(c, np.ascontiguousarray(np.arange(6).reshape(2, 3).T))


# -- meshgrid / indices / vander / fromfunction --------------------------------------------------------
@pytest.mark.parametrize("indexing", ["xy", "ij"])
def test_meshgrid(indexing):
    x, y, z = np.arange(3), np.linspace(0, 1, 4), np.array([5.0, 6.0])
    for arrays in ((x,), (x, y), (x, y, z), (x[:0], y)):
        got = rp.meshgrid(*[rp.asarray(a) for a in arrays], indexing=indexing)
        # The standard: every output has the promoted dtype (NumPy keeps each input's).
        expected = np.meshgrid(*arrays, indexing=indexing)
        expected = [e.astype(np.result_type(*arrays)) for e in expected]
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            assert_same(g, e)
    assert rp.meshgrid() == ()
    got = rp.meshgrid(rp.asarray(x), rp.asarray(y), indexing=indexing, sparse=True)
    for g, e in zip(got, np.meshgrid(x, y, indexing=indexing, sparse=True)):
        assert_same(g, e.astype(np.float64))
    with pytest.raises(ValueError, match="meshgrid"):
        rp.meshgrid(rp.asarray(x), indexing="xx")


def test_meshgrid_mixed_dtypes():
    a, b = np.arange(3, dtype=np.int8), np.array([0.5, 1.5], np.float32)
    for g, e in zip(rp.meshgrid(rp.asarray(a), rp.asarray(b)), np.meshgrid(a, b)):
        assert rp.asnumpy(g).shape == e.shape
        assert g.dtype == np.float32  # the standard: one common dtype for all outputs
        np.testing.assert_array_equal(rp.asnumpy(g), e)


def test_indices():
    for dims in ((2, 3), (4,), (), (2, 0, 3)):
        assert_same(rp.indices(dims), np.indices(dims))
        assert_same(rp.indices(dims, dtype=rp.int8), np.indices(dims, dtype=np.int8))
    for g, e in zip(rp.indices((2, 3), sparse=True), np.indices((2, 3), sparse=True)):
        assert_same(g, e)


@pytest.mark.parametrize("N", [None, 0, 1, 4])
@pytest.mark.parametrize("increasing", [False, True])
def test_vander(N, increasing):
    x = np.array([1, 2, 3, 5])
    assert_same(rp.vander(rp.asarray(x), N, increasing), np.vander(x, N, increasing))
    xf = np.array([0.5, -1.0])
    assert_same(rp.vander(rp.asarray(xf), N, increasing=increasing), np.vander(xf, N, increasing=increasing))
    with pytest.raises(ValueError, match="vander"):
        rp.vander(rp.zeros((2, 2)))


def test_fromfunction():
    assert_same(rp.fromfunction(lambda i, j: i * 10 + j, (3, 4)), np.fromfunction(lambda i, j: i * 10 + j, (3, 4)))
    assert_same(rp.fromfunction(lambda i: i, (5,), dtype=rp.int16), np.fromfunction(lambda i: i, (5,),
                                                                                      dtype=np.int16))
