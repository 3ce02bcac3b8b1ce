"""Indexing (x[key], x[key] = v) and the index routines, compared with NumPy."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_array_equal

import rdnarray as rp

DTYPES = [np.bool_, np.int8, np.uint16, np.int64, np.float32, np.float64, np.complex64]


def check(r, e):
    r = rp.asnumpy(r)
    assert r.shape == np.shape(e)
    assert r.dtype == np.asarray(e).dtype
    assert_array_equal(r, e)


def bases(a):
    """(rdnarray, numpy) pairs of the same values: contiguous, negative-stride, non-contiguous, transposed."""
    big = np.concatenate([a, a], axis=0) if a.ndim else a
    return [
        (rp.asarray(a.copy()), a.copy()),
        (rp.asarray(a[::-1].copy())[::-1] if a.ndim else rp.asarray(a.copy()), a.copy()),
        (rp.asarray(big)[::2] if a.ndim else rp.asarray(a.copy()), big[::2]),
        (rp.asarray(np.ascontiguousarray(a.T)).T, a.copy()),
    ]


A = np.arange(60).reshape(3, 4, 5)

BASIC_KEYS = [
    0, -1, 2, slice(None), slice(1, None), slice(None, None, -1), slice(-2, 0, -1), slice(5, 1, -2),
    slice(10, 20), Ellipsis, None, (), (0, 1), (0, 1, 2), (-1, -2, -3), (slice(None), 0), (Ellipsis, 1),
    (None, 0, None), (0, Ellipsis, None), (slice(None, None, 2), slice(None, None, -3), 1),
    (np.int64(1), np.uint8(2)), (slice(np.int32(1), None),), (1, Ellipsis, 2, None),
]

ADVANCED_KEYS = [
    [0, 2], [[0, 1], [2, 0]], [-1, 0], ([0, 1], [1, 2]), ([0, 1], slice(None), [1, 2]),
    (0, slice(None), [0, 1]), ([0, 1], slice(None), 0), (slice(None), [0, 2], [1, 3]),
    (slice(None), [[0], [2]], [1, 3, 4]), (Ellipsis, [0, -1]), ([1, 0], Ellipsis, [3, 0]),
    ([], ), ([],  slice(None), 0), (True,), (False,), (0, True), (slice(None), True, [0, 1]),
    ([0, 1], True), (np.array(1),), (np.array(1), slice(None), np.array(2)), (slice(None), None, [0, 1]),
    ([0, 1], None, [1, 2]), ([0], slice(None), [0]), ([0], slice(None, None, -1), [0]),
    (np.array([0, 2], np.int8), np.array([3], np.uint64)), ((0, 1), 2), (slice(None), [0, 1], Ellipsis, [4]),
    (slice(None), [1, 0], ..., 0),
]

BOOL_KEYS = [A > 30, (0, A[0] > 7), (slice(None), A[0, :, 0] > 10), (A[:, 0, 0] > 0, 1),
             (A[:, :, 0] > 20, [0, 1, 2, 3, 4][:1]), np.zeros(3, bool), (Ellipsis, A[0, 0] % 2 == 0)]


@pytest.mark.parametrize("key", BASIC_KEYS, ids=repr)
def test_basic_getitem_is_a_view(key):
    for x, a in bases(A):
        r = x[key]
        check(r, a[key])
        assert r.data is x.data  # a view: same buffer
    x = rp.asarray(A.copy())
    v = x[key]
    if v.size:
        v[...] = -7
        assert (rp.asnumpy(x) == -7).sum() == v.size


@pytest.mark.parametrize("key", ADVANCED_KEYS + BOOL_KEYS, ids=repr)
def test_advanced_getitem(key):
    for x, a in bases(A):
        check(x[key], a[key])


def _keyfix(key):
    """Keys with NumPy arrays of A's masks stay NumPy; rdnarray keys must be equivalent."""
    if isinstance(key, tuple):
        return tuple(rp.asarray(k) if isinstance(k, np.ndarray) else k for k in key)
    return rp.asarray(key) if isinstance(key, np.ndarray) else key


@pytest.mark.parametrize("key", ADVANCED_KEYS + BOOL_KEYS, ids=repr)
def test_rdnarray_index_arrays(key):
    x = rp.asarray(A)
    check(x[_keyfix(key)], A[key])
    check(x[x > 30], A[A > 30])


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_and_0d(dtype):
    a = (np.arange(12) % 3).astype(dtype).reshape(3, 4)
    x = rp.asarray(a)
    for key in [1, (slice(None), [0, 3]), a.astype(bool), ([2, 0], [1, 1])]:
        check(x[key], a[key])
    z = rp.asarray(np.array(5, dtype))
    check(z[()], np.array(5, dtype)[()])
    check(z[...], np.array(5, dtype)[...])
    check(z[None], np.array(5, dtype)[None])
    check(z[True], np.array(5, dtype)[True])
    check(z[np.array(False)], np.array(5, dtype)[np.array(False)])
    e = rp.asarray(np.zeros((0, 3), dtype))
    check(e[:, 1], np.zeros((0, 3), dtype)[:, 1])
    check(e[[], 1], np.zeros((0, 3), dtype)[[], 1])


@pytest.mark.parametrize("key, exc", [
    (3, IndexError), (-4, IndexError), ((0, 0, 0, 0), IndexError), (1.0, IndexError), ("a", IndexError),
    ([0, 3], IndexError), ([-4], IndexError), (([0, 1], [0, 1, 2]), IndexError), ([1.0], IndexError),
    (np.array([], float), IndexError), (np.ones(2, bool), IndexError), ((Ellipsis, Ellipsis), IndexError),
    (slice(None, None, 0), ValueError), (slice(1.0, None), TypeError), ((0, slice(None), [5]), IndexError),
    ((slice(None), np.ones((4, 4), bool)), IndexError),
])
def test_getitem_errors(key, exc):
    with pytest.raises(exc):
        A[key]
    with pytest.raises(exc):
        rp.asarray(A)[key]


def test_messages():
    x = rp.asarray(np.arange(3))
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 3"):
        x[5]
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 3"):
        x[[0, 5]]
    with pytest.raises(IndexError, match="too many indices"):
        x[0, 0]


# -- setitem ------------------------------------------------------------------------------------------
SET_CASES = [
    (0, 5), ((0, 1), [1, 2, 3, 4, 5]), ((slice(None), 0), [[1], [2], [3]]), (Ellipsis, 2.5),
    (slice(None, None, -1), np.arange(20).reshape(4, 5)), ((slice(None), slice(None), 0), np.ones((1, 3, 4))),
    ([0, 2], 9), (([0, 1], slice(None), 0), [1, 2, 3, 4]), (A > 30, -1), (A > 30, np.arange((A > 30).sum())),
    ((slice(None), [0, 2], [1, 3]), [[1, 2], [3, 4], [5, 6]]), ((True,), 3), ((False,), 3),
    ((slice(None, None, -1), [0, 1], [2, 3]), 9), ((0, slice(None), [0, 1]), [[1, 2, 3, 4], [5, 6, 7, 8]]),
    (([0, 0, 1], 1, 1), [1, 1, 2]), ((0, A[0] > 7), [7]), (None, 4), ((np.array(1), 0), 3),
]


@pytest.mark.parametrize("key, value", SET_CASES, ids=repr)
def test_setitem(key, value):
    for x, a in bases(A):
        e = a.copy()
        e[key] = value
        x[key] = value
        check(x, e)


def test_setitem_casting_like_numpy():
    x = rp.zeros(3, dtype=rp.int64)
    x[0] = 1.7
    x[1:] = np.array([2.9, -3.9])
    check(x, np.array([1, 2, -3]))
    u = rp.zeros(3, dtype=rp.uint8)
    with pytest.raises(OverflowError):
        u[0] = 300
    with pytest.raises(OverflowError):
        u[[0]] = -1
    f = rp.zeros(3)
    with pytest.raises(TypeError):
        f[0] = 1 + 2j
    with pytest.warns(np.exceptions.ComplexWarning):
        f[:] = rp.asarray(np.array([1 + 2j, 3, 4]))
    check(f, np.array([1.0, 3, 4]))
    with pytest.raises(ValueError):
        x[0] = float("nan")
    check(u, np.zeros(3, np.uint8))
    b = rp.zeros(2, dtype=rp.bool)
    b[0] = 5
    check(b, np.array([True, False]))


def test_setitem_overlap():
    x = rp.asarray(np.arange(6))
    x[1:] = x[:-1]
    check(x, np.array([0, 0, 1, 2, 3, 4]))
    x = rp.asarray(np.arange(6))
    x[[1, 2, 3]] = x[::-1][:3]
    check(x, np.array([0, 5, 4, 3, 4, 5]))


SCALAR_DTYPES = [np.bool_, np.int8, np.uint8, np.int64, np.uint64, np.float16, np.float32, np.float64,
                 np.complex64]
SCALARS = [0, 1, -1, 300, 2**63, 2**64 - 1, 2**24 + 1, 0.0, -0.0, 0.5, 0.1, 1.7, -2.5, 1e5, 1e300,
           float("inf"), float("nan"), True, False]


def _assign(target, key, value):
    """(exception type, warning categories) of ``target[key] = value``."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            target[key] = value
        except Exception as e:
            return type(e), [x.category for x in w]
    return None, [x.category for x in w]


@pytest.mark.parametrize("dtype", SCALAR_DTYPES, ids=str)
def test_setitem_python_scalars_like_numpy(dtype):
    """x[k] = scalar converts as NumPy does on every call: the second assignment of a value (which may
    come from the core's conversion cache) raises, warns and writes exactly what the first did."""
    for value in SCALARS:
        for key in (slice(1, None, 2), 0, Ellipsis, (slice(None), 1)):
            a = np.ones((3, 4), dtype)
            x = rp.asarray(a)
            for _ in range(2):
                assert _assign(x, key, value) == _assign(a, key, value), (value, key)
                r = rp.asnumpy(x)
                assert r.dtype == a.dtype and r.tobytes() == a.tobytes(), (value, key)  # -0.0, nan bits too
        z = rp.asarray(np.array(7, dtype))
        e = np.array(7, dtype)
        assert _assign(z, Ellipsis, value) == _assign(e, Ellipsis, value)
        assert rp.asnumpy(z).tobytes() == e.tobytes()


def test_setitem_zero_signs_and_dtypes_do_not_share_conversions():
    x = rp.zeros(4, dtype=rp.float32)
    x[0] = 0.0
    x[1] = -0.0
    x[2] = -0.0
    x[3] = 0.0
    assert list(np.signbit(rp.asnumpy(x))) == [False, True, True, False]
    for dt in (rp.int8, rp.float64, rp.bool, rp.complex128, rp.float16):
        y = rp.zeros(2, dtype=dt)
        y[1] = 1
        y[0] = True
        check(y, np.ones(2, dt))
    big = rp.zeros(1, dtype=rp.float32)
    big[0] = 2**24 + 1
    check(big, np.array([2**24], np.float32))


def test_setitem_0d_value_from_the_same_array():
    for key in (slice(1, None), Ellipsis, slice(None, None, -2), 0):
        a = np.arange(6.0)
        x = rp.asarray(a)
        x[key] = x[3]
        a[key] = a[3]
        check(x, a)
    x = rp.asarray(np.arange(12).reshape(3, 4))
    x[1:] = x[0, 2]
    check(x, np.array([[0, 1, 2, 3], [2, 2, 2, 2], [2, 2, 2, 2]]))


def test_one_slice_views_and_errors():
    a = np.arange(24).reshape(4, 6)
    x = rp.asarray(a)
    for k in (slice(-10**30, 10**30), slice(None, None, -10**30), slice(np.int64(1), np.uint8(3)),
              slice(3, 1), slice(None, None, 3), slice(-1, None, -2)):
        check(x[k], a[k])
        check(x[:, 1][k], a[:, 1][k])
        check(x.T[k], a.T[k])
        y = rp.asarray(a.copy())
        e = a.copy()
        y[k] = -7
        e[k] = -7
        check(y, e)
    with pytest.raises(IndexError, match="0-dimensional"):
        rp.asarray(np.array(1))[1:]
    with pytest.raises(IndexError, match="0-dimensional"):
        rp.asarray(np.array(1))[1:] = 2
    with pytest.raises(ValueError, match="slice step cannot be zero"):
        x[::0]
    with pytest.raises(TypeError):
        x[1.0:]
    r = rp.asarray(np.broadcast_to(np.arange(3), (2, 3)), device="cpu")
    with pytest.raises(ValueError, match="read-only"):
        r[1:] = 1


@pytest.mark.parametrize("key, value, exc", [
    (0, [1, 2], ValueError), (slice(None), np.ones((2, 4, 5)), ValueError), ([0, 1], np.ones((3, 4, 5)), ValueError),
    ([0, 3], 1, IndexError), (1.5, 1, IndexError), ((A > 3, 0), 1, IndexError), (Ellipsis, "abc", ValueError),
    (A > 30, [1, 2], ValueError), ((slice(None), [0, 1], [0, 1, 2]), 1, IndexError),
])
def test_failing_setitem_leaves_array_untouched(key, value, exc):
    for x, a in bases(A):
        with pytest.raises(exc):
            a.copy()[key] = value
        with pytest.raises(exc):
            x[key] = value
        check(x, a)


def test_setitem_readonly_and_device():
    x = rp.asarray(np.broadcast_to(np.arange(3), (2, 3)), device="cpu")  # NumPy's read-only memory, shared
    with pytest.raises(ValueError):
        x[0, 0] = 1
    with pytest.raises(ValueError):
        x[[0]] = 1
    check(x, np.broadcast_to(np.arange(3), (2, 3)))


# -- hypothesis -----------------------------------------------------------------------------------------
shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_hypothesis_basic_indices(data):
    shape = data.draw(shapes)
    a = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    if a.ndim and data.draw(st.booleans()):
        a = a[::-1]
    key = data.draw(hnp.basic_indices(shape, allow_newaxis=True))
    x = rp.asarray(a)
    check(x[key], a[key])
    value = data.draw(st.integers(-100, 100))
    e = a.copy()
    e[key] = value
    x[key] = value
    check(x, e)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_hypothesis_integer_array_indices(data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5))
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    x = rp.asarray(a)
    if data.draw(st.booleans()):  # a transposed, negative-stride base
        a = a.T[::-1]
        x = x.T[::-1]
    key = data.draw(hnp.integer_array_indices(a.shape, result_shape=hnp.array_shapes(min_dims=0, max_dims=2,
                                                                                     max_side=3)))
    check(x[key], a[key])
    # Mix with basic indices: a slice in the middle moves the advanced dims to the front.
    if a.ndim >= 3:
        mixed = (key[0], slice(None, None, -1)) + key[2:]
        check(x[mixed], a[mixed])
    e = a.copy()
    value = np.arange(e[key].size, dtype=np.float64).reshape(e[key].shape)
    targets = np.ravel_multi_index(np.broadcast_arrays(*key), a.shape, mode="wrap").ravel()
    if len(set(targets.tolist())) == targets.size:  # repeated targets: which write wins is unspecified
        e[key] = value
        x[key] = value
        check(x, e)


@settings(max_examples=40, deadline=None)
@given(a=hnp.arrays(np.int16, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4)), data=st.data())
def test_hypothesis_boolean_masks(a, data):
    mask = data.draw(hnp.arrays(np.bool_, a.shape))
    x = rp.asarray(a)
    check(x[mask], a[mask])
    e = a.copy()
    e[mask] = 3
    x[mask] = 3
    check(x, e)


# -- index routines -------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
def test_take(mode):
    for x, a in bases(A):
        check(rp.take(x, [0, 2, -1], axis=1, mode=mode), np.take(a, [0, 2, -1], axis=1, mode=mode))
        check(rp.take(x, [[5, 0], [59, 3]], mode=mode), np.take(a, [[5, 0], [59, 3]], mode=mode))
        check(x.take([1], axis=-1), a.take([1], axis=-1))
    if mode != "raise":
        check(rp.take(rp.asarray(A), [7, -9], axis=2, mode=mode), np.take(A, [7, -9], axis=2, mode=mode))
    out = rp.zeros((3, 2, 5), dtype=rp.int64)
    r = rp.take(rp.asarray(A), [1, 0], axis=1, out=out, mode=mode)
    assert r is out
    check(out, np.take(A, [1, 0], axis=1))


def test_take_errors_write_nothing():
    x = rp.asarray(A)
    out = rp.zeros((3, 2, 5), dtype=rp.int64)
    with pytest.raises(IndexError):
        rp.take(x, [0, 4], axis=1, out=out)
    with pytest.raises(ValueError):
        rp.take(x, [0, 1, 2], axis=1, out=out)
    with pytest.raises(TypeError):
        rp.take(x, [0, 1], axis=1, out=rp.zeros((3, 2, 5)))
    with pytest.raises(np.exceptions.AxisError):
        rp.take(x, [0], axis=3)
    with pytest.raises(TypeError):
        rp.take(x, rp.asarray([0.0]))
    with pytest.raises(IndexError):
        rp.take(rp.zeros((0,)), [0], mode="wrap")
    check(out, np.zeros((3, 2, 5), np.int64))


def test_take_along_axis_and_put_along_axis():
    a = np.random.default_rng(0).random((3, 4, 5))
    idx = np.argsort(a, axis=1)
    for x, base in bases(a):
        check(rp.take_along_axis(x, rp.asarray(idx), axis=1), np.take_along_axis(base, idx, axis=1))
        check(rp.take_along_axis(x, idx[:, :, :1], axis=-1), np.take_along_axis(base, idx[:, :, :1], axis=-1))
        e = base.copy()
        np.put_along_axis(e, idx[:, :1], -1.0, axis=1)
        rp.put_along_axis(x, idx[:, :1], -1.0, axis=1)
        check(x, e)
    with pytest.raises(ValueError):
        rp.take_along_axis(rp.asarray(a), idx[0], axis=1)
    with pytest.raises(IndexError):
        rp.take_along_axis(rp.asarray(a), idx + 4, axis=1)
    x = rp.asarray(a)
    with pytest.raises(IndexError):
        rp.put_along_axis(x, idx + 4, 0.0, axis=1)
    check(x, a)


def test_put_place_putmask():
    for mode in ["raise", "wrap", "clip"]:
        for x, a in bases(A):
            e = a.copy()
            np.put(e, [0, -1, 7], [100, 200], mode=mode)
            rp.put(x, [0, -1, 7], [100, 200], mode=mode)
            check(x, e)
    x = rp.asarray(A)
    with pytest.raises(IndexError):
        rp.put(x, [0, 60], 1)
    check(x, A)
    for x, a in bases(A):
        e = a.copy()
        np.place(e, e % 7 == 0, [-1, -2])
        rp.place(x, x % 7 == 0, [-1, -2])
        check(x, e)
        np.putmask(e, e % 7 == 0, [-1, -2, -3])
        rp.putmask(x, x % 7 == 0, [-1, -2, -3])
        check(x, e)
    with pytest.raises(ValueError):
        rp.place(rp.asarray(A), np.ones(3, bool), 1)
    with pytest.raises(ValueError):
        rp.place(rp.asarray(A), A > 3, [])


def test_choose_compress_extract_select():
    choices = [np.arange(4), np.arange(4) * 10, np.arange(4) * 100]
    for mode in ["raise", "wrap", "clip"]:
        a = np.array([0, 2, 1, -1 if mode != "raise" else 0])
        check(rp.choose(a, choices, mode=mode), np.choose(a, choices, mode=mode))
    with pytest.raises(ValueError):
        rp.choose([0, 3, 1, 0], choices)
    cond = [True, False, True]
    for x, a in bases(A):
        check(rp.compress(cond, x, axis=0), np.compress(cond, a, axis=0))
        check(rp.compress([False, True], x, axis=2), np.compress([False, True], a, axis=2))
        check(rp.compress(cond, x), np.compress(cond, a))
        check(rp.extract(a % 3 == 0, x), np.extract(a % 3 == 0, a))
    with pytest.raises(IndexError):
        rp.compress([True] * 6, rp.asarray(np.arange(5)))
    x = rp.asarray(np.arange(10))
    conds = [x < 3, x > 5]
    check(rp.select(conds, [x, x ** 2], default=-1), np.select([np.arange(10) < 3, np.arange(10) > 5],
                                                                [np.arange(10), np.arange(10) ** 2], default=-1))
    with pytest.raises(ValueError):
        rp.select([x < 3], [x, x])
    with pytest.raises(TypeError):
        rp.select([x], [x])


def test_diagonal_and_fill_diagonal():
    for x, a in bases(A):
        for off in (-2, 0, 1, 7):
            check(rp.diagonal(x, off), np.diagonal(a, off))
            check(rp.diagonal(x, off, 2, 0), np.diagonal(a, off, 2, 0))
        assert rp.diagonal(x).data is x.data
    with pytest.raises(ValueError):
        rp.diagonal(rp.asarray(A), 0, 1, 1)
    for shape, wrap in [((5, 3), False), ((7, 3), True), ((3, 5), False), ((4, 4, 4), False)]:
        e = np.zeros(shape)
        np.fill_diagonal(e, [1, 2], wrap=wrap)
        x = rp.zeros(shape)
        rp.fill_diagonal(x, [1, 2], wrap=wrap)
        check(x, e)
    with pytest.raises(ValueError):
        rp.fill_diagonal(rp.zeros((2, 3, 4)), 1)


def test_index_construction():
    r = rp.ix_([0, 2], [True, False, True], np.array([1]))
    e = np.ix_([0, 2], [True, False, True], np.array([1]))
    for ri, ei in zip(r, e):
        check(ri, ei)
    check(rp.asarray(A)[r], A[e])
    for ri, ei in zip(rp.unravel_index([3, 17, 0], (3, 6)), np.unravel_index([3, 17, 0], (3, 6))):
        check(ri, ei)
    for ri, ei in zip(rp.unravel_index(rp.asarray(5), (2, 3), order="F"), np.unravel_index(5, (2, 3), order="F")):
        check(ri, ei)
    with pytest.raises(ValueError):
        rp.unravel_index([6], (2, 3))
    with pytest.raises(TypeError):
        rp.unravel_index([1.0], (2, 3))
    mi = ([0, 1, 2], [3, 0, 1])
    check(rp.ravel_multi_index(mi, (3, 4)), np.ravel_multi_index(mi, (3, 4)))
    check(rp.ravel_multi_index(mi, (3, 4), order="F"), np.ravel_multi_index(mi, (3, 4), order="F"))
    check(rp.ravel_multi_index(([5, -1], [1, 9]), (3, 4), mode=("wrap", "clip")),
          np.ravel_multi_index(([5, -1], [1, 9]), (3, 4), mode=("wrap", "clip")))
    with pytest.raises(ValueError):
        rp.ravel_multi_index(([3], [0]), (3, 4))
    with pytest.raises(ValueError):
        rp.ravel_multi_index(([-1], [0]), (3, 4))
    for ri, ei in zip(rp.diag_indices(3, 3), np.diag_indices(3, 3)):
        check(ri, ei)
    for ri, ei in zip(rp.diag_indices_from(rp.zeros((4, 4))), np.diag_indices_from(np.zeros((4, 4)))):
        check(ri, ei)
    for k in (-1, 0, 2):
        for f, g in [(rp.tril_indices, np.tril_indices), (rp.triu_indices, np.triu_indices)]:
            for ri, ei in zip(f(4, k, 5), g(4, k, 5)):
                check(ri, ei)
        for f, g in [(rp.tril_indices_from, np.tril_indices_from), (rp.triu_indices_from, np.triu_indices_from)]:
            for ri, ei in zip(f(rp.zeros((3, 5)), k), g(np.zeros((3, 5)), k)):
                check(ri, ei)
    with pytest.raises(ValueError):
        rp.tril_indices_from(rp.zeros(3))


def test_public_names():
    for name in rp._indexing_functions.__all__:
        assert getattr(rp, name) is getattr(rp._indexing_functions, name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rp.asarray(A)[[0, 1]]
