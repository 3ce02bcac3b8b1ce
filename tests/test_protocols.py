"""NumPy's protocols on rdnarray arrays (__array_ufunc__, __array_function__, __array__), the @ and @=
operators, and array_api_compat's view of rdnarray."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

import rdnarray as rp
from rdnarray._core import protocols, ufunc_methods

DTYPES = [np.bool_, np.int8, np.int32, np.int64, np.uint8, np.uint32, np.float16, np.float32, np.float64,
          np.complex64, np.complex128]


def ptr(x):
    return x.data.ptr + x._offset


def sample(dtype, shape=(3, 4)):
    a = (np.arange(int(np.prod(shape))) % 5 + 1).reshape(shape)
    return a.astype(dtype)


def needs(namespace, *names):
    """Skip unless the rdnarray functions (written by other modules) exist yet."""
    missing = [n for n in names if not hasattr(namespace, n)]
    if missing:
        pytest.skip(f"rdnarray has no {', '.join(missing)} yet")


def needs_ufunc_method(method):
    if not hasattr(ufunc_methods, method):
        pytest.skip(f"rdnarray._core.ufunc_methods has no {method} yet")


# -- __array_ufunc__ -------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_ufuncs_return_rdnarray(dtype):
    a, b = sample(dtype), sample(dtype)[::-1]
    x, y = rp.asarray(a), rp.asarray(b)
    for f in (np.add, np.multiply, np.maximum, np.equal):
        r = f(x, y)
        assert isinstance(r, rp.ndarray)
        assert r.dtype == f(a, b).dtype
        assert_array_equal(rp.asnumpy(r), f(a, b))
    r = np.add(x, 2)
    assert isinstance(r, rp.ndarray) and r.dtype == (a + 2).dtype
    assert_array_equal(rp.asnumpy(r), a + 2)


@pytest.mark.parametrize("f", [np.sin, np.sqrt, np.arccos, np.absolute, np.negative, np.power, np.arctan2,
                               np.left_shift, np.invert, np.conjugate, np.true_divide])
def test_numpy_spellings(f):
    kind = "i" if f in (np.left_shift, np.invert) else "f"
    a = sample(np.int32 if kind == "i" else np.float64) / (1 if kind == "i" else 10)
    a = a.astype(np.int32) if kind == "i" else a
    x = rp.asarray(a)
    args = (x,) * f.nin
    r = f(*args)
    assert isinstance(r, rp.ndarray)
    assert_allclose(rp.asnumpy(r), f(*(a,) * f.nin))


def test_ufunc_out_and_multiple_outputs():
    a = sample(np.float64)
    x = rp.asarray(a)
    o = rp.empty((3, 4))
    assert np.add(x, x, out=o) is o
    assert_array_equal(rp.asnumpy(o), a + a)
    q, r = np.divmod(x, 3)
    assert isinstance(q, rp.ndarray) and isinstance(r, rp.ndarray)
    assert_array_equal(rp.asnumpy(q), a // 3)
    assert_array_equal(rp.asnumpy(r), a % 3)
    o1, o2 = rp.empty((3, 4)), rp.empty((3, 4))
    res = np.modf(x, out=(o1, o2))
    assert res[0] is o1 and res[1] is o2


def test_ufunc_mixed_with_numpy_and_views():
    a = sample(np.float32, (4, 6))
    x = rp.asarray(a)
    r = np.subtract(a[::-1], x[::1])  # a NumPy array first: rdnarray's __array_ufunc__ still runs
    assert isinstance(r, rp.ndarray)
    assert_array_equal(rp.asnumpy(r), a[::-1] - a)
    r = np.multiply(rp.transpose(x), a.T)
    assert_array_equal(rp.asnumpy(r), a.T * a.T)


def test_ufunc_errors_are_rdnarrays():
    x = rp.asarray(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="add"):
        np.add(x, rp.asarray(np.zeros(4)))
    with pytest.raises(TypeError, match="bitwise_and"):
        np.bitwise_and(x, x)


def test_unknown_ufunc_is_not_implemented():
    x = rp.asarray(np.arange(3.0))
    unknown = np.frompyfunc(lambda v: v, 1, 1)  # a ufunc rdnarray has no counterpart of
    assert protocols.array_ufunc(unknown, "__call__", (x,), {}) is NotImplemented
    assert protocols.array_ufunc(np.add, "reduceat", (x, [0, 1]), {}) is NotImplemented
    with pytest.raises(TypeError):
        unknown(x)
    with pytest.raises(TypeError):
        np.add.reduceat(x, [0, 1])


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex64])
def test_ufunc_methods(dtype):
    a = sample(dtype)
    x = rp.asarray(a)
    needs_ufunc_method("reduce")
    r = np.add.reduce(x)
    assert isinstance(r, rp.ndarray)
    assert_allclose(rp.asnumpy(r), np.add.reduce(a))
    assert_allclose(rp.asnumpy(np.multiply.reduce(x, axis=1)), np.multiply.reduce(a, axis=1))
    out = rp.empty((4,), dtype=a.dtype)
    assert np.add.reduce(x, axis=0, out=out) is out  # NumPy hands out=(out,)
    assert_allclose(rp.asnumpy(out), a.sum(axis=0))
    needs_ufunc_method("outer")
    r = np.add.outer(x[0], x[1])
    assert isinstance(r, rp.ndarray)
    assert_allclose(rp.asnumpy(r), np.add.outer(a[0], a[1]))
    needs_ufunc_method("accumulate")
    if a.dtype.kind != "c":
        r = np.maximum.accumulate(x, axis=1)
        assert isinstance(r, rp.ndarray)
        assert_array_equal(rp.asnumpy(r), np.maximum.accumulate(a, axis=1))
    needs_ufunc_method("at")
    b = a.copy()
    y = rp.asarray(b.copy())
    np.add.at(y, [0, 0, 2], 1)
    np.add.at(b, [0, 0, 2], 1)
    assert_array_equal(rp.asnumpy(y), b)


# -- __array_function__ ----------------------------------------------------------------------------------
def test_views_through_numpy_functions():
    a = sample(np.int16, (2, 3, 4))
    x = rp.asarray(a)
    t = np.transpose(x)
    assert isinstance(t, rp.ndarray) and ptr(t) == ptr(x) and t.strides == a.T.strides
    assert_array_equal(rp.asnumpy(t), a.T)
    t = np.transpose(x, (1, 0, 2))
    assert_array_equal(rp.asnumpy(t), np.transpose(a, (1, 0, 2)))
    r = np.reshape(x, (6, 4))
    assert isinstance(r, rp.ndarray) and ptr(r) == ptr(x)
    assert_array_equal(rp.asnumpy(r), a.reshape(6, 4))
    with pytest.raises(ValueError, match="reshape"):
        np.reshape(x, (5, 5))


def test_numpy_functions_dispatch():
    needs(rp, "sum", "mean", "concatenate")
    a, b = sample(np.float64), sample(np.float64)[::-1]
    x, y = rp.asarray(a), rp.asarray(b)
    s = np.sum(x)
    assert isinstance(s, rp.ndarray) and s.shape == ()
    assert float(s) == a.sum()
    m = np.mean(x, axis=0)
    assert isinstance(m, rp.ndarray)
    assert_allclose(rp.asnumpy(m), a.mean(axis=0))
    c = np.concatenate([x, y])
    assert isinstance(c, rp.ndarray)
    assert_array_equal(rp.asnumpy(c), np.concatenate([a, b]))
    c = np.concatenate([x, b], axis=1)  # a NumPy array among them
    assert isinstance(c, rp.ndarray)
    assert_array_equal(rp.asnumpy(c), np.concatenate([a, b], axis=1))


def test_submodule_functions_dispatch():
    needs(rp.linalg, "solve")
    a = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([9.0, 8.0])
    r = np.linalg.solve(rp.asarray(a), rp.asarray(b))
    assert isinstance(r, rp.ndarray)
    assert_allclose(rp.asnumpy(r), np.linalg.solve(a, b))
    needs(rp.fft, "fft")
    f = np.fft.fft(rp.asarray(b))
    assert isinstance(f, rp.ndarray)
    assert_allclose(rp.asnumpy(f), np.fft.fft(b))


def test_missing_functions_raise_type_error():
    x = rp.asarray(np.arange(6.0))
    assert isinstance(np.lib.stride_tricks.sliding_window_view(x, 3), rp.ndarray)  # rdnarray.lib has it

    def no_such_function(x):
        return x

    assert protocols.array_function(no_such_function, (rp.ndarray,), (x,), {}) is NotImplemented


def test_foreign_array_types_are_not_handled():
    class Other:
        def __array_function__(self, func, types, args, kwargs):
            return "other"

    x = rp.asarray(np.arange(3.0))
    assert protocols.array_function(np.transpose, (rp.ndarray, Other), (x,), {}) is NotImplemented
    assert np.concatenate([x, Other()]) == "other"


# -- __array__ -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_np_asarray_shares_memory(dtype):
    a = sample(dtype, (4, 6))[::2, ::-1]
    x = rp.asarray(a, device="cpu")  # CPU arrays are NumPy's memory; a GPU array converts with a copy
    n = np.asarray(x)
    assert type(n) is np.ndarray and n.ctypes.data == a.ctypes.data and n.strides == a.strides
    assert_array_equal(n, a)
    c = np.array(x, copy=True)
    assert c.ctypes.data != a.ctypes.data
    assert_array_equal(c, a)
    f = np.asarray(x, dtype=np.complex128)
    assert f.dtype == np.complex128
    assert_array_equal(f, a.astype(np.complex128))


def test_np_asarray_zero_d_and_empty():
    for a in (np.array(2.5), np.zeros((0, 4), np.int8)):
        n = np.asarray(rp.asarray(a))
        assert n.shape == a.shape and n.dtype == a.dtype


# -- @ and @= --------------------------------------------------------------------------------------------
def test_matmul_operators():
    needs(rp, "matmul")
    a, b = sample(np.float64, (3, 4)), sample(np.float64, (4, 2))
    x, y = rp.asarray(a), rp.asarray(b)
    for r in (x @ y, x @ b, a @ y, x @ b.tolist(), a.tolist() @ y, np.matmul(x, y)):
        assert isinstance(r, rp.ndarray)
        assert_allclose(rp.asnumpy(r), a @ b)


def test_matmul_defers_to_other_operands():
    x = rp.asarray(np.eye(2))

    class Right:
        def __rmatmul__(self, other):
            return "right"

        def __matmul__(self, other):
            return "left"

    class OptOut(Right):
        __array_ufunc__ = None

        def __array__(self, dtype=None, copy=None):
            return np.eye(2)

    for other in (Right(), OptOut()):
        assert x @ other == "right"
        assert other @ x == "left"
    assert protocols.binop(rp.add, x, object()) is NotImplemented
    with pytest.raises(TypeError):
        x @ object()
    with pytest.raises(TypeError):
        object() @ x


def test_imatmul_writes_into_a():
    needs(rp, "matmul")
    a, b = sample(np.float64, (3, 3)), sample(np.float64, (3, 3)).T
    x = rp.asarray(a.copy())
    before = ptr(x)
    y = x
    y @= rp.asarray(b)
    assert y is x and ptr(x) == before
    assert_allclose(rp.asnumpy(x), a @ b)
    v = rp.asarray(np.array([1.0, 2.0, 3.0]))
    v @= b  # (3,) @ (3, 3) keeps the shape
    assert_allclose(rp.asnumpy(v), np.array([1.0, 2.0, 3.0]) @ b)
    z = rp.asarray(np.arange(9, dtype=np.int64).reshape(3, 3))
    z @= np.eye(3, dtype=np.int32)  # int32 -> int64 is a safe cast
    assert_array_equal(rp.asnumpy(z), np.arange(9).reshape(3, 3))


def test_imatmul_errors_write_nothing():
    needs(rp, "matmul")
    a = sample(np.int64, (2, 3))
    x = rp.asarray(a.copy())
    with pytest.raises(ValueError, match="shape"):
        x @= rp.asarray(np.ones((3, 4), np.int64))
    with pytest.raises(TypeError, match="same_kind"):
        x @= rp.asarray(np.ones((3, 3)))
    with pytest.raises(ValueError, match="dimensions"):
        x @= rp.asarray(np.ones(3, np.int64))
    assert_array_equal(rp.asnumpy(x), a)
    ro = sample(np.float64, (2, 2))
    ro.flags.writeable = False
    r = rp.asarray(ro, device="cpu")  # shares the read-only memory
    with pytest.raises(ValueError, match="read-only"):
        r @= rp.asarray(np.eye(2), device="cpu")
    assert_array_equal(ro, sample(np.float64, (2, 2)))


# -- array_api_compat ------------------------------------------------------------------------------------
def test_array_api_compat():
    compat = pytest.importorskip("array_api_compat", reason="array_api_compat is not installed")
    for a in (np.arange(12.0).reshape(3, 4), np.array(1, np.int8), np.zeros((0, 5), np.complex64)):
        x = rp.asarray(a)
        assert compat.is_array_api_obj(x)
        assert compat.array_namespace(x) is rp
        assert compat.array_namespace(x, rp.asarray(a), api_version="2024.12") is rp
        assert compat.device(x) == x.device == rp.__array_namespace_info__().default_device()
        moved = compat.to_device(x, compat.device(x))
        assert isinstance(moved, rp.ndarray)
        assert_array_equal(rp.asnumpy(moved), a)
        assert compat.size(x) == a.size
    with pytest.raises(ValueError, match="rdnarray supports"):
        rp.asarray(np.zeros(2)).__array_namespace__(api_version="2019.01")


# -- differential ----------------------------------------------------------------------------------------
@settings(max_examples=50, deadline=None)
@given(hnp.arrays(st.sampled_from([np.int16, np.int64, np.float32, np.float64, np.complex128]),
                  hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
       st.sampled_from([np.add, np.multiply, np.subtract, np.maximum, np.not_equal, np.negative, np.square]))
def test_ufunc_dispatch_hypothesis(a, f):
    x = rp.asarray(a)
    args_np = (a, a[::-1] if a.ndim else a)[:f.nin]
    args_rp = (x, rp.asarray(args_np[-1]))[:f.nin]
    with np.errstate(all="ignore"):
        expected = f(*args_np)
        r = f(*args_rp)
    assert isinstance(r, rp.ndarray)
    assert r.dtype == expected.dtype and r.shape == expected.shape
    assert_array_equal(rp.asnumpy(r), expected)
