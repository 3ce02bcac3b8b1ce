"""Manipulation functions, compared with NumPy: values, dtypes, views, errors, and `out=` left untouched."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_array_equal

import rdnarray as rp
from rdnarray._core import views as _views
from rdnarray._core.ndarray import make_view

DTYPES = [np.bool_, np.int8, np.uint16, np.int64, np.float32, np.float64, np.complex64]


def strided(x):
    """``x[::2]`` built from the layout helpers (independent of the indexing module)."""
    n = len(range(0, x.shape[0], 2))
    return make_view(x, (n,) + x.shape[1:], (x.strides[0] * 2,) + x.strides[1:], x._offset)


def layouts(a):
    """(numpy array, rdnarray array) pairs with the same values: contiguous, strided, transposed, reversed."""
    x = rp.asarray(a.copy())
    out = [(a, x)]
    if a.ndim:
        out.append((a[::2], strided(x)))
        out.append((a[::-1], _views.flip(x, (0,))))
        out.append((a.T, rp.permute_dims(x, tuple(range(a.ndim))[::-1])))
    return out


def sample(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.integers(-5, 6, size=shape)
    return a.astype(dtype)


def same(r, n):
    """An rdnarray result equals NumPy's: value, dtype and shape, or a sequence of them."""
    if isinstance(n, (tuple, list)):
        assert isinstance(r, type(n)) or isinstance(r, (tuple, list)), type(r)
        assert len(r) == len(n)
        for a, b in zip(r, n):
            same(a, b)
        return
    assert isinstance(r, rp.ndarray), type(r)
    got = rp.asnumpy(r)
    assert got.dtype == n.dtype, (got.dtype, n.dtype)
    assert got.shape == n.shape, (got.shape, n.shape)
    assert_array_equal(got, n)


def both(f_rp, f_np):
    """rdnarray gives NumPy's result, or raises NumPy's exception type."""
    try:
        expected = f_np()
    except Exception as e:  # noqa: BLE001 - whatever NumPy raises, rdnarray must raise too
        with pytest.raises(type(e)):
            f_rp()
        return
    same(f_rp(), expected)


def shares(view, base):
    return view.data is base.data


# -- views -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_view_functions_match_numpy(dtype):
    a0 = sample((4, 3, 2), dtype)
    for a, x in layouts(a0):
        same(rp.flip(x), np.flip(a))
        same(rp.flip(x, axis=(0, -1)), np.flip(a, axis=(0, -1)))
        same(rp.expand_dims(x, (0, -1)), np.expand_dims(a, (0, -1)))
        same(rp.expand_dims(x, 1), np.expand_dims(a, 1))
        same(rp.moveaxis(x, (0, 1), (-1, 0)), np.moveaxis(a, (0, 1), (-1, 0)))
        same(rp.swapaxes(x, 0, 2), np.swapaxes(a, 0, 2))
        same(rp.rollaxis(x, 2, 1), np.rollaxis(a, 2, 1))
        same(rp.unstack(x, axis=1), np.unstack(a, axis=1))
        same(rp.broadcast_to(rp.expand_dims(x, 0), (3,) + a.shape),
             np.broadcast_to(a, (3,) + a.shape))
        same(rp.fliplr(x), np.fliplr(a))
        same(rp.flipud(x), np.flipud(a))
        for k in range(-1, 5):
            same(rp.rot90(x, k), np.rot90(a, k))
            same(rp.rot90(x, k, axes=(2, 0)), np.rot90(a, k, axes=(2, 0)))


def test_views_share_memory():
    x = rp.asarray(np.arange(12.0).reshape(3, 1, 4))
    for v in (rp.flip(x), rp.expand_dims(x, 0), rp.squeeze(x), rp.moveaxis(x, 0, -1), rp.swapaxes(x, 0, 2),
              rp.broadcast_to(x, (2, 3, 5, 4)),
              rp.rot90(x, 1, axes=(0, 2)), *rp.split(x, 3), *rp.unstack(x), rp.broadcast_arrays(x, 1.0)[0],
              rp.atleast_3d(x), rp.trim_zeros(x)):
        assert shares(v, x)
    # Writing through a view changes the base.
    v = rp.squeeze(x, axis=1)
    rp.copyto(v, 7.0)
    assert (rp.asnumpy(x) == 7.0).all()


def test_squeeze():
    a = np.zeros((1, 3, 1))
    x = rp.asarray(a)
    same(rp.squeeze(x), np.squeeze(a))
    same(rp.squeeze(x, axis=0), np.squeeze(a, axis=0))
    same(rp.squeeze(x, axis=(0, -1)), np.squeeze(a, axis=(0, -1)))
    same(rp.squeeze(rp.asarray(1.5)), np.squeeze(np.asarray(1.5)))
    with pytest.raises(ValueError, match="squeeze"):
        rp.squeeze(x, axis=1)
    with pytest.raises(np.exceptions.AxisError):
        rp.squeeze(x, axis=3)


def test_expand_dims_errors():
    x = rp.zeros((2, 3))
    same(rp.expand_dims(x, (-1, 0, 2)), np.expand_dims(np.zeros((2, 3)), (-1, 0, 2)))
    with pytest.raises(IndexError):  # the standard asks for IndexError; AxisError is one
        rp.expand_dims(x, 3)
    with pytest.raises(ValueError, match="repeated"):
        rp.expand_dims(x, (0, 0))
    with pytest.raises(ValueError, match="repeated"):
        rp.expand_dims(x, (0, -4))


def test_moveaxis_errors():
    x = rp.zeros((2, 3, 4))
    with pytest.raises(ValueError):
        rp.moveaxis(x, (0, 1), (0,))
    with pytest.raises(ValueError, match="repeated"):
        rp.moveaxis(x, (0, 0), (1, 2))
    with pytest.raises(np.exceptions.AxisError):
        rp.moveaxis(x, 3, 0)
    with pytest.raises(np.exceptions.AxisError):
        rp.rollaxis(x, 0, 4)
    with pytest.raises(ValueError):
        rp.rot90(x, axes=(1, 1))
    with pytest.raises(ValueError):
        rp.fliplr(rp.zeros(3))
    with pytest.raises(ValueError):
        rp.unstack(rp.asarray(1.0))


def test_broadcast():
    assert rp.broadcast_shapes() == ()
    assert rp.broadcast_shapes((2, 1), (3,), 1) == np.broadcast_shapes((2, 1), (3,), 1)
    assert rp.broadcast_shapes((0, 1), (1, 5)) == (0, 5)
    with pytest.raises(ValueError, match="broadcast_shapes"):
        rp.broadcast_shapes((2,), (3,))
    a, b = np.arange(3), np.arange(4.0).reshape(4, 1)
    res = rp.broadcast_arrays(rp.asarray(a), rp.asarray(b))
    assert isinstance(res, tuple)
    same(res, np.broadcast_arrays(a, b))
    same(rp.broadcast_to(rp.asarray(a), (2, 3)), np.broadcast_to(a, (2, 3)))
    same(rp.broadcast_to(rp.asarray(5), 3), np.broadcast_to(5, 3))
    with pytest.raises(ValueError):
        rp.broadcast_to(rp.asarray(a), (4,))
    with pytest.raises(ValueError):
        rp.broadcast_to(rp.asarray(a), ())
    with pytest.raises(ValueError):
        rp.broadcast_arrays(rp.zeros(2), rp.zeros(3))


# -- joining ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_concat_stack(dtype):
    a0 = sample((4, 3), dtype)
    b0 = sample((4, 3), dtype, seed=1)
    for (a, x), (b, y) in zip(layouts(a0), layouts(b0)):
        same(rp.concat([x, y]), np.concatenate([a, b]))
        same(rp.concat((x, y), axis=-1), np.concatenate((a, b), axis=-1))
        same(rp.concat([x, y], axis=None), np.concatenate([a, b], axis=None))
        same(rp.concatenate([x, y], 1), np.concatenate([a, b], 1))
        same(rp.stack([x, y]), np.stack([a, b]))
        same(rp.stack([x, y], axis=-1), np.stack([a, b], axis=-1))
        same(rp.hstack([x, y]), np.hstack([a, b]))
        same(rp.vstack([x, y]), np.vstack([a, b]))
        same(rp.dstack([x, y]), np.dstack([a, b]))
        same(rp.column_stack([x, y]), np.column_stack([a, b]))
        same(rp.append(x, y), np.append(a, b))
        same(rp.append(x, y, axis=0), np.append(a, b, axis=0))


def test_concat_promotion_and_kinds():
    i8 = np.array([1, 2], np.int8)
    f32 = np.array([0.5], np.float32)
    u16 = np.array([7], np.uint16)
    same(rp.concat([rp.asarray(i8), rp.asarray(f32)]), np.concatenate([i8, f32]))
    same(rp.concat([rp.asarray(i8), rp.asarray(u16)]), np.concatenate([i8, u16]))
    same(rp.concat([rp.asarray(i8), [3, 4]]), np.concatenate([i8, np.array([3, 4])]))
    same(rp.concat([rp.asarray(i8), rp.asarray(f32)], dtype=np.float64), np.concatenate([i8, f32], dtype=np.float64))
    # 0-d, empty, one array, flattening 0-d
    same(rp.concat([rp.zeros((0, 3)), rp.ones((2, 3))]), np.concatenate([np.zeros((0, 3)), np.ones((2, 3))]))
    same(rp.concat([rp.asarray(1), rp.asarray([2, 3])], axis=None), np.concatenate([1, [2, 3]], axis=None))
    same(rp.concat([rp.arange(3)]), np.concatenate([np.arange(3)]))
    same(rp.stack([rp.asarray(1.0), rp.asarray(2.0)]), np.stack([1.0, 2.0]))
    same(rp.hstack([rp.asarray(1), rp.asarray(2)]), np.hstack([1, 2]))
    same(rp.vstack([rp.arange(3), rp.arange(3)]), np.vstack([np.arange(3), np.arange(3)]))
    same(rp.dstack([rp.arange(3), rp.arange(3)]), np.dstack([np.arange(3), np.arange(3)]))
    same(rp.column_stack([rp.arange(3), rp.ones((3, 2))]), np.column_stack([np.arange(3), np.ones((3, 2))]))


def test_concat_errors_and_out():
    x, y = rp.ones((2, 3)), rp.ones((2, 4))
    with pytest.raises(ValueError, match="concat"):
        rp.concat([x, y])
    with pytest.raises(ValueError, match="concat"):
        rp.concat([x, rp.ones(3)])
    with pytest.raises(ValueError, match="zero-dimensional"):
        rp.concat([rp.asarray(1), rp.asarray(2)])
    with pytest.raises(ValueError):
        rp.concat([])
    with pytest.raises(np.exceptions.AxisError):
        rp.concat([x, x], axis=2)
    with pytest.raises(TypeError):
        rp.concat([rp.ones(2), rp.ones(2)], dtype=np.int64)  # float -> int is not same_kind
    with pytest.raises(ValueError, match="stack"):
        rp.stack([x, y])
    with pytest.raises(ValueError):
        rp.stack([])

    out = rp.zeros((2, 7))
    r = rp.concat([x, y], axis=1, out=out)
    assert r is out
    assert_array_equal(rp.asnumpy(out), np.ones((2, 7)))
    # failing calls write nothing into out
    out = rp.full((2, 7), 9.0)
    with pytest.raises(ValueError):
        rp.concat([x, y], axis=0, out=out)  # shapes do not match
    with pytest.raises(ValueError):
        rp.concat([x, x], axis=1, out=out)  # out has the wrong shape
    with pytest.raises(TypeError):
        rp.concat([x, y], axis=1, out=out, dtype=np.float64)  # out and dtype together
    with pytest.raises(ValueError):
        rp.concat([x, y], axis=1, out=rp.zeros(7))
    assert (rp.asnumpy(out) == 9.0).all()
    out_i = rp.full(2, 9, dtype=np.int64)
    with pytest.raises(TypeError):
        rp.concat([rp.asarray([1]), rp.asarray([2.5])], out=out_i)
    assert rp.asnumpy(out_i).tolist() == [9, 9]
    # unsafe casting into out, and out overlapping an input
    out_i = rp.zeros(2, dtype=np.int64)
    rp.concat([rp.asarray([1.7]), rp.asarray([2.2])], out=out_i, casting="unsafe")
    assert rp.asnumpy(out_i).tolist() == [1, 2]
    buf = rp.asarray(np.arange(6.0))
    first, second = rp.split(buf, 2)
    rp.concat([second, first], out=buf)
    assert rp.asnumpy(buf).tolist() == [3.0, 4.0, 5.0, 0.0, 1.0, 2.0]
    s_out = rp.zeros((2, 2, 3))
    assert rp.stack([x, x], out=s_out) is s_out


def test_block():
    a, b = np.ones((2, 2)), np.zeros((2, 3))
    c, d = np.full((1, 2), 2.0), np.full((1, 3), 3.0)
    A, B, C, D = (rp.asarray(v) for v in (a, b, c, d))
    same(rp.block([[A, B], [C, D]]), np.block([[a, b], [c, d]]))
    same(rp.block([rp.arange(2), 5]), np.block([np.arange(2), 5]))
    same(rp.block(rp.asarray(3.0)), np.block(np.asarray(3.0)))
    same(rp.block([[1, 2], [3, 4]]), np.block([[1, 2], [3, 4]]))
    with pytest.raises(ValueError):
        rp.block([[A], B])
    with pytest.raises(ValueError):
        rp.block([])
    with pytest.raises(TypeError):
        rp.block((A, B))


def test_atleast():
    for a in (np.asarray(1.0), np.arange(3), np.ones((2, 3)), np.ones((2, 3, 4))):
        x = rp.asarray(a)
        same(rp.atleast_1d(x), np.atleast_1d(a))
        same(rp.atleast_2d(x), np.atleast_2d(a))
        same(rp.atleast_3d(x), np.atleast_3d(a))
    same(rp.atleast_2d(1, [2, 3]), np.atleast_2d(1, [2, 3]))


# -- splitting ------------------------------------------------------------------------------------------
def test_split():
    a0 = np.arange(32).reshape(8, 4)
    for a, x in layouts(a0):
        same(rp.split(x, 2), np.split(a, 2))
        same(rp.split(x, [1, 3, -1]), np.split(a, [1, 3, -1]))
        same(rp.split(x, [5, 2, 10]), np.split(a, [5, 2, 10]))
        same(rp.array_split(x, 4, axis=1), np.array_split(a, 4, axis=1))
        same(rp.array_split(x, 5), np.array_split(a, 5))
        same(rp.hsplit(x, 2), np.hsplit(a, 2))
        same(rp.vsplit(x, [1]), np.vsplit(a, [1]))
    a3 = np.arange(24).reshape(2, 3, 4)
    same(rp.dsplit(rp.asarray(a3), 2), np.dsplit(a3, 2))
    same(rp.hsplit(rp.arange(6), 3), np.hsplit(np.arange(6), 3))
    same(rp.array_split(rp.zeros(0), 3), np.array_split(np.zeros(0), 3))
    with pytest.raises(ValueError):
        rp.split(rp.arange(5), 2)
    with pytest.raises(ValueError):
        rp.array_split(rp.arange(5), 0)
    with pytest.raises(ValueError):
        rp.vsplit(rp.arange(4), 2)
    with pytest.raises(ValueError):
        rp.dsplit(rp.ones((2, 2)), 2)
    with pytest.raises(ValueError):
        rp.hsplit(rp.asarray(1), 1)


# -- new data -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_tile_repeat_roll(dtype):
    a0 = sample((3, 4), dtype)
    for a, x in layouts(a0):
        for reps in (2, (2, 1), (1, 3), (2, 1, 2), (0, 2)):
            same(rp.tile(x, reps), np.tile(a, reps))
        for r in (0, 1, 3):
            same(rp.repeat(x, r), np.repeat(a, r))
            same(rp.repeat(x, r, axis=-1), np.repeat(a, r, axis=-1))
        counts = np.arange(a.shape[0]) % 3
        same(rp.repeat(x, rp.asarray(counts), axis=0), np.repeat(a, counts, axis=0))
        same(rp.repeat(x, rp.asarray([2]), axis=1), np.repeat(a, [2], axis=1))
        same(rp.repeat(x, [1] * a.size), np.repeat(a, [1] * a.size))
        for shift, axis in ((1, None), (-7, None), (2, 0), ((1, -2), (0, 1)), ((1, 1), (1, 1)), (3, (0, 1)),
                            ((1, 2), 1)):
            same(rp.roll(x, shift, axis=axis), np.roll(a, shift, axis=axis))


def test_tile_repeat_roll_edges():
    z = np.asarray(4.0)
    same(rp.tile(rp.asarray(z), 3), np.tile(z, 3))
    same(rp.tile(rp.asarray(z), ()), np.tile(z, ()))
    same(rp.repeat(rp.asarray(z), 2), np.repeat(z, 2))
    same(rp.roll(rp.asarray(z), 1), np.roll(z, 1))
    e = np.zeros((0, 3))
    same(rp.roll(rp.asarray(e), 2, axis=0), np.roll(e, 2, axis=0))
    same(rp.repeat(rp.asarray(e), 2, axis=1), np.repeat(e, 2, axis=1))
    same(rp.tile(rp.asarray(e), (2, 2)), np.tile(e, (2, 2)))
    x = rp.arange(4)
    with pytest.raises(ValueError):
        rp.repeat(x, -1)
    with pytest.raises(ValueError):
        rp.repeat(x, rp.asarray([1, -1, 1, 1]))
    with pytest.raises(ValueError):
        rp.repeat(x, rp.asarray([1, 2]))
    with pytest.raises(TypeError):
        rp.repeat(x, rp.asarray([1.0, 2.0, 1.0, 1.0]))
    with pytest.raises(TypeError):
        rp.repeat(x, 1.5)
    with pytest.raises(ValueError):
        rp.tile(x, -1)
    with pytest.raises(ValueError):
        rp.roll(rp.ones((2, 2)), (1, 2, 3), axis=(0, 1))
    with pytest.raises(np.exceptions.AxisError):
        rp.roll(x, 1, axis=1)


def test_insert_delete():
    a = np.arange(12).reshape(3, 4)
    for arr, x in layouts(a):
        for obj in (1, -1, slice(None, None, 2), slice(3, 0, -1), [0, 1, 0], np.arange(arr.shape[0]) % 2 == 0,
                    np.array([], dtype=np.intp), []):
            same(rp.delete(x, obj, axis=0), np.delete(arr, obj, axis=0))
            if np.asarray(obj).dtype != bool:
                same(rp.delete(x, obj), np.delete(arr, obj))
        for obj, vals in ((1, 9), (0, 5), (-1, [7]), (2, 9.7), ([1], [[5], [6], [7]]),
                          ([0, 2, 2], 9), (slice(0, 2), -1), (rp.asarray([3, 0]), rp.asarray([[1, 2]]))):
            n_obj = rp.asnumpy(obj) if isinstance(obj, rp.ndarray) else obj
            n_vals = rp.asnumpy(vals) if isinstance(vals, rp.ndarray) else vals
            both(lambda: rp.insert(x, obj, vals, axis=1), lambda: np.insert(arr, n_obj, n_vals, axis=1))
        same(rp.insert(x, 2, [1, 2, 3]), np.insert(arr, 2, [1, 2, 3]))
        same(rp.insert(x, [1, 1], [7, 8]), np.insert(arr, [1, 1], [7, 8]))
        same(rp.insert(x, 1, [[1], [2], [3]], axis=1), np.insert(arr, 1, [[1], [2], [3]], axis=1))
        same(rp.insert(x, 0, [1, 2, 3, 4][:arr.shape[1]], axis=0),
             np.insert(arr, 0, [1, 2, 3, 4][:arr.shape[1]], axis=0))
    x = rp.asarray(a)
    with pytest.raises(IndexError):
        rp.delete(x, 3, axis=0)
    with pytest.raises(IndexError):
        rp.delete(x, [0, 5], axis=0)
    with pytest.raises(ValueError):
        rp.delete(x, np.array([True, False]), axis=0)
    with pytest.raises(IndexError):
        rp.insert(x, 5, 0, axis=1)
    with pytest.raises(ValueError):
        rp.insert(x, [[0]], 0)
    with pytest.raises(np.exceptions.AxisError):
        rp.delete(x, 0, axis=2)


def test_pad():
    a = np.arange(6.0).reshape(2, 3)
    for arr, x in layouts(a):
        for mode, kw in (("constant", {}), ("constant", {"constant_values": (1, 2)}), ("edge", {}),
                         ("reflect", {}), ("symmetric", {"reflect_type": "odd"}), ("wrap", {}),
                         ("linear_ramp", {"end_values": 5}), ("mean", {"stat_length": 1}), ("maximum", {})):
            same(rp.pad(x, ((1, 0), (2, 1)), mode, **kw), np.pad(arr, ((1, 0), (2, 1)), mode, **kw))
        same(rp.pad(x, 1), np.pad(arr, 1))
        same(rp.pad(x, (1, 2)), np.pad(arr, (1, 2)))
    with pytest.raises(ValueError):
        rp.pad(rp.asarray(a), 1, mode="nope")
    with pytest.raises(ValueError):
        rp.pad(rp.asarray(a), 1, mode="edge", constant_values=1)
    with pytest.raises(ValueError):
        rp.pad(rp.asarray(a), -1)
    with pytest.raises(TypeError):
        rp.pad(rp.asarray(a), 1.5)
    with pytest.raises(TypeError):
        rp.pad(rp.asarray(a), 1, mode=lambda *args: None)
    with pytest.raises(ValueError):
        rp.pad(rp.zeros((0, 2)), 1, mode="edge")


def test_resize_trim_zeros():
    a = np.arange(5)
    x = rp.asarray(a)
    for shape in (3, 7, (2, 4), (0,), (2, 0)):
        same(rp.resize(x, shape), np.resize(a, shape))
    same(rp.resize(rp.zeros(0), (2, 2)), np.resize(np.zeros(0), (2, 2)))
    with pytest.raises(ValueError):
        rp.resize(x, (-1, 2))
    f = np.array([0, 0, 1, 2, 0, 3, 0])
    for trim in ("fb", "f", "b", "BF"):
        same(rp.trim_zeros(rp.asarray(f), trim), np.trim_zeros(f, trim))
    same(rp.trim_zeros(rp.zeros(4)), np.trim_zeros(np.zeros(4)))
    m = np.zeros((4, 5), dtype=np.int32)
    m[1, 2] = m[2, 3] = 1
    for axis in (None, 0, -1, (0, 1)):
        same(rp.trim_zeros(rp.asarray(m), axis=axis), np.trim_zeros(m, axis=axis))
    with pytest.raises(ValueError):
        rp.trim_zeros(rp.asarray(f), "x")


# -- copyto -----------------------------------------------------------------------------------------
def test_copyto():
    dst = rp.zeros((2, 3), dtype=np.float32)
    rp.copyto(dst, rp.asarray([1, 2, 3], dtype=np.int16))
    assert_array_equal(rp.asnumpy(dst), np.broadcast_to(np.array([1, 2, 3], np.float32), (2, 3)))
    rp.copyto(dst, 5.0, where=rp.asarray([True, False, True]))
    assert_array_equal(rp.asnumpy(dst), [[5, 2, 5], [5, 2, 5]])
    rp.copyto(dst, 0.0, where=False)
    assert_array_equal(rp.asnumpy(dst), [[5, 2, 5], [5, 2, 5]])
    big = rp.asarray(np.array([2**62 + 1, 3], dtype=np.int64))
    rp.copyto(big, rp.asarray([0.5, 7.0]), casting="unsafe", where=rp.asarray([False, True]))
    assert rp.asnumpy(big).tolist() == [2**62 + 1, 7]  # untouched values never pass through float64
    # a non-contiguous destination
    base = rp.zeros(6)
    rp.copyto(_views.flip(strided(base), (0,)), rp.asarray([1.0, 2.0, 3.0]))
    assert rp.asnumpy(base).tolist() == [3, 0, 2, 0, 1, 0]
    # failing calls write nothing
    dst = rp.full((2, 3), 9, dtype=np.int32)
    for src, kw, err in ((rp.ones(3), {}, TypeError), (1.5, {}, TypeError), (rp.ones(4, dtype=np.int32), {}, ValueError),
                         (1, {"where": rp.asarray([1, 0, 1])}, TypeError),
                         (1, {"where": rp.asarray([True, False])}, ValueError), (1, {"casting": "bad"}, ValueError)):
        with pytest.raises(err):
            rp.copyto(dst, src, **kw)
    assert (rp.asnumpy(dst) == 9).all()
    with pytest.raises(TypeError):
        rp.copyto(np.zeros(3), rp.ones(3))
    ro = rp.asarray(np.broadcast_to(np.zeros(3), (3,)), device="cpu")  # shares NumPy's read-only memory
    with pytest.raises(ValueError):
        rp.copyto(ro, 1.0)


def test_array_likes_and_names():
    same(rp.concat([[1, 2], [3]]), np.concatenate([[1, 2], [3]]))
    same(rp.flip([[1, 2], [3, 4]]), np.flip([[1, 2], [3, 4]]))
    same(rp.tile([1, 2], 2), np.tile([1, 2], 2))
    assert rp.concatenate is rp.concat
    for name in ("broadcast_arrays", "broadcast_shapes", "broadcast_to", "concat", "expand_dims", "flip",
                 "moveaxis", "permute_dims", "repeat", "reshape", "roll", "squeeze", "stack", "tile", "unstack"):
        assert callable(getattr(rp, name)), name


# -- differential ---------------------------------------------------------------------------------------
@settings(max_examples=50, deadline=None)
@given(a=hnp.arrays(st.sampled_from([np.int32, np.float64, np.bool_]),
                    hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)),
       data=st.data())
def test_differential(a, data):
    x = rp.asarray(a)
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    same(rp.flip(x, axis=axis), np.flip(a, axis=axis))
    same(rp.concat([x, x], axis=axis), np.concatenate([a, a], axis=axis))
    same(rp.stack([x, x], axis=axis), np.stack([a, a], axis=axis))
    shift = data.draw(st.integers(-6, 6))
    same(rp.roll(x, shift, axis=axis), np.roll(a, shift, axis=axis))
    same(rp.roll(x, shift), np.roll(a, shift))
    r = data.draw(st.integers(0, 3))
    same(rp.repeat(x, r, axis=axis), np.repeat(a, r, axis=axis))
    reps = data.draw(st.lists(st.integers(0, 3), max_size=4))
    same(rp.tile(x, tuple(reps)), np.tile(a, tuple(reps)))
    sections = data.draw(st.integers(1, 5))
    same(rp.array_split(x, sections, axis=axis), np.array_split(a, sections, axis=axis))
    same(rp.moveaxis(x, axis, 0), np.moveaxis(a, axis, 0))
    if a.shape[axis]:
        idx = data.draw(st.integers(-a.shape[axis], a.shape[axis] - 1))
        same(rp.delete(x, idx, axis=axis), np.delete(a, idx, axis=axis))
        same(rp.insert(x, idx, 1, axis=axis), np.insert(a, idx, 1, axis=axis))
