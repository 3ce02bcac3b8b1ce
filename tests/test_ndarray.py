"""The array object: attributes, views and memory sharing, Python protocols, conversions, repr, pickling,
copies, astype/fill/view/item/tolist, flags and the constructor."""
import copy
import operator
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra import numpy as hnp

import rdnarray as rp
from devices import DEFAULT, ON_CPU, strided_like
from rdnarray._core import indexing as _indexing

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
needs_indexing = pytest.mark.skipif(not hasattr(_indexing, "getitem"), reason="indexing is not there yet")


def layouts():
    """NumPy arrays of several layouts (strided_like makes device arrays with the same strides)."""
    base = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    return {"contiguous": base, "transposed": base.T, "sliced": base[:, 1:, ::2], "negative": base[::-1, :, ::-1],
            "0d": np.array(5.0), "empty": np.zeros((0, 3)), "1d": np.arange(5, dtype=np.int16)}


@pytest.mark.parametrize("name", list(layouts()))
def test_attributes_match_numpy(name):
    a = layouts()[name]
    x = strided_like(a)
    assert x.shape == a.shape and isinstance(x.shape, tuple)
    assert x.strides == a.strides  # bytes, like NumPy
    assert (x.ndim, x.size, x.itemsize, x.nbytes) == (a.ndim, a.size, a.itemsize, a.nbytes)
    assert x.dtype == a.dtype and isinstance(x.dtype, np.dtype)
    assert x.device == DEFAULT and x.device == str(DEFAULT)
    np.testing.assert_array_equal(rp.asnumpy(x), a)


@pytest.mark.parametrize("dt", DTYPES)
def test_dtype_attributes(dt):
    x = rp.zeros((2, 3), dtype=dt)
    assert x.dtype == np.dtype(dt)
    assert x.itemsize == np.dtype(dt).itemsize
    assert x.nbytes == 6 * np.dtype(dt).itemsize
    assert x.strides == (3 * x.itemsize, x.itemsize)


def test_views_share_memory():
    a = np.arange(12.0).reshape(3, 4)
    x = rp.asarray(a)
    if ON_CPU:
        assert np.shares_memory(rp.asnumpy(x), a)  # CPU arrays wrap NumPy's memory
    else:
        a = a.copy()  # a GPU array owns a copy: follow its writes on a NumPy mirror
    r = rp.reshape(x, (4, 3))
    r += 100  # writes through the reshape view into the base
    a_expected = np.arange(12.0).reshape(3, 4) + 100
    np.testing.assert_array_equal(rp.asnumpy(x), a_expected)
    t = x.T
    rp.multiply(t, 0, out=t)
    assert not rp.asnumpy(x).any()
    f = rp.flip(x, axis=1)
    assert f.strides == (32, -8) and rp.shares_memory(f, x)
    rp.add(f, rp.asarray([1.0, 2.0, 3.0, 4.0]), out=f)
    np.testing.assert_array_equal(rp.asnumpy(x)[0], [4, 3, 2, 1])
    mt = x.mT
    assert mt.shape == (4, 3) and mt.strides == (8, 32)
    mt -= 1
    np.testing.assert_array_equal(rp.asnumpy(x)[0], [3, 2, 1, 0])
    if ON_CPU:
        np.testing.assert_array_equal(a, rp.asnumpy(x))


def test_reshape_view_or_copy():
    a = np.arange(12.0).reshape(3, 4)
    x = rp.asarray(a)
    v = x.reshape(2, 6)
    assert rp.shares_memory(v, x) and v.shape == (2, 6)
    assert x.reshape((12,)).shape == (12,) and x.reshape(-1, 3).shape == (4, 3)
    assert rp.shares_memory(x.reshape(12, copy=False), x)
    c = x.reshape(12, copy=True)
    assert not rp.shares_memory(c, x)
    # A transposed array cannot be flattened in place.
    t = x.T
    with pytest.raises(ValueError, match="reshape"):
        t.reshape(12, copy=False)
    flat = t.reshape(12)
    np.testing.assert_array_equal(rp.asnumpy(flat), a.T.reshape(12))
    assert not rp.shares_memory(flat, x)
    # Non-contiguous but view-compatible.
    s = x[:, ::2]  # (3, 2), strides (32, 16)
    v = s.reshape(3, 2, 1)
    assert rp.shares_memory(v, x)
    np.testing.assert_array_equal(rp.asnumpy(v), a[:, ::2].reshape(3, 2, 1))
    with pytest.raises(ValueError, match="reshape"):
        x.reshape(5, 3)
    with pytest.raises(ValueError):
        x.reshape(-1, -1)


@given(hnp.arrays(np.int32, hnp.array_shapes(min_dims=1, max_dims=4, max_side=4)))
@settings(max_examples=50, deadline=None)
def test_reshape_hypothesis(a):
    for view in (a, a.T, a[..., ::-1], a[::2]):
        x = strided_like(view)
        for shape in ((-1,), (view.size, 1), (1, -1) if view.size else (0, 1)):
            np.testing.assert_array_equal(rp.asnumpy(x.reshape(shape)), view.reshape(shape))
            np_view = True
            try:
                v = view.view()
                v.shape = shape  # NumPy's no-copy reshape (raises when a copy is needed)
            except (AttributeError, ValueError):
                np_view = False
            if np_view and view.size > 1:
                r = x.reshape(shape, copy=False)
                assert rp.shares_memory(r, x)
            elif not np_view:
                with pytest.raises(ValueError):
                    x.reshape(shape, copy=False)


def test_T_and_mT():
    a = np.arange(24).reshape(2, 3, 4)
    x = rp.asarray(a)
    np.testing.assert_array_equal(rp.asnumpy(x.T), a.T)
    np.testing.assert_array_equal(rp.asnumpy(x.mT), np.swapaxes(a, -1, -2))
    assert x.T.strides == a.T.strides
    with pytest.raises(ValueError, match="matrix_transpose"):
        rp.asarray([1, 2]).mT


# -- scalar conversions --------------------------------------------------------------------------------
def test_scalar_conversions():
    assert bool(rp.asarray(True)) is True and bool(rp.asarray([0.0])) is False
    assert int(rp.asarray(7, dtype=rp.uint8)) == 7 and type(int(rp.asarray(7.9))) is int
    assert int(rp.asarray(-7.9)) == -7
    assert float(rp.asarray(3, dtype=rp.int16)) == 3.0 and type(float(rp.asarray(3))) is float
    assert complex(rp.asarray(1 + 2j)) == 1 + 2j and complex(rp.asarray(2.0)) == 2 + 0j
    assert operator.index(rp.asarray(5, dtype=rp.int8)) == 5
    assert [10, 20, 30][rp.asarray(1)] == 20
    assert float(rp.asarray(np.nan)) != float(rp.asarray(np.nan))
    assert float(rp.asarray(-np.inf)) == -np.inf


def test_scalar_conversion_errors():
    with pytest.raises(ValueError):
        bool(rp.asarray([1, 2]))
    with pytest.raises(ValueError):
        bool(rp.zeros(0))
    for f in (int, float, complex):
        with pytest.raises(TypeError):
            f(rp.asarray([1, 2]))
    with pytest.raises(TypeError):
        float(rp.asarray(1j))
    with pytest.raises(TypeError):
        int(rp.asarray(1 + 1j))
    with pytest.raises(TypeError):
        operator.index(rp.asarray(1.0))
    with pytest.raises(TypeError):
        operator.index(rp.asarray(True))
    with pytest.raises(TypeError):
        operator.index(rp.asarray([1, 2]))


def test_len():
    assert len(rp.zeros((3, 2))) == 3
    assert len(rp.zeros(0)) == 0
    with pytest.raises(TypeError):
        len(rp.asarray(1.0))


@needs_indexing
def test_iter():
    a = np.arange(6).reshape(3, 2)
    rows = list(rp.asarray(a))
    assert len(rows) == 3 and all(isinstance(r, rp.ndarray) for r in rows)
    for r, ref in zip(rows, a):
        np.testing.assert_array_equal(rp.asnumpy(r), ref)
    assert [int(v) for v in rp.asarray([4, 5])] == [4, 5]
    assert list(rp.zeros((0, 2))) == []
    with pytest.raises(TypeError):
        iter(rp.asarray(1.0))


# -- text ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("a", [np.arange(12.0).reshape(3, 4), np.array([1, 2], np.int8), np.array(3.5),
                               np.zeros((0, 3), np.float32), np.array([True, False]),
                               np.array([1 + 2j, 3j], np.complex64), np.arange(2000), np.array([np.nan, np.inf]),
                               np.arange(6, dtype=np.uint16).reshape(2, 3)[:, ::-1]])
def test_repr_and_str_match_numpy(a):
    x = rp.asarray(a)
    # NumPy's text; an array off the CPU names its device last, as PyTorch does.
    assert repr(x) == (repr(a) if ON_CPU else f"{repr(a)[:-1]}, device='{x.device}')")
    assert str(x) == str(a)
    if a.ndim == 0:
        assert f"{x:.2f}" == f"{a:.2f}"


# -- protocols -----------------------------------------------------------------------------------------
def test_array_namespace():
    x = rp.zeros(2)
    assert x.__array_namespace__() is rp
    for v in ("2021.12", "2022.12", "2023.12", "2024.12", "2025.12"):
        assert x.__array_namespace__(api_version=v) is rp
    with pytest.raises(ValueError):
        x.__array_namespace__(api_version="2020.10")
    assert rp.__array_api_version__ == "2025.12"


def test_to_device():
    x = rp.asarray([1.0, 2.0])
    y = x.to_device("cpu")
    assert y.device == "cpu"
    np.testing.assert_array_equal(rp.asnumpy(y), [1.0, 2.0])
    assert x.to_device(x.device) is x and x.to_device(str(x.device)).device == x.device
    with pytest.raises(ValueError):
        x.to_device("tpu")


def test_numpy_interop():
    if not ON_CPU:  # a GPU array converts to NumPy with a copy (and only with one)
        g = rp.asarray([1.0, 2.0])
        np.testing.assert_array_equal(np.asarray(g), [1.0, 2.0])
        with pytest.raises(ValueError):
            np.asarray(g, copy=False)
    x = rp.asarray([1.0, 2.0], device="cpu")
    a = np.asarray(x)
    assert a.dtype == np.float64 and np.shares_memory(a, rp.asnumpy(x))
    assert np.asarray(x, dtype=np.float32).dtype == np.float32
    assert not np.shares_memory(np.array(x), rp.asnumpy(x))
    assert np.shares_memory(np.asarray(x, copy=False), rp.asnumpy(x))
    with pytest.raises(ValueError):
        np.asarray(x, dtype=np.float32, copy=False)  # the __array__ protocol: copy=False forbids a copy


@pytest.mark.parametrize("name", list(layouts()))
def test_pickle_round_trip(name):
    a = layouts()[name]
    x = rp.asarray(a)
    y = pickle.loads(pickle.dumps(x))
    assert isinstance(y, rp.ndarray) and y.dtype == x.dtype and y.shape == x.shape and y.device == x.device
    np.testing.assert_array_equal(rp.asnumpy(y), a)
    assert not np.shares_memory(rp.asnumpy(y), a)


@pytest.mark.parametrize("fn", [copy.copy, copy.deepcopy, lambda x: x.copy()])
def test_copies_are_independent(fn):
    a = np.arange(6.0).reshape(2, 3)
    x = rp.asarray(a.T)
    y = fn(x)
    assert isinstance(y, rp.ndarray) and y.shape == (3, 2) and y.dtype == x.dtype
    np.testing.assert_array_equal(rp.asnumpy(y), a.T)
    y += 1
    np.testing.assert_array_equal(a, np.arange(6.0).reshape(2, 3))


def test_hash_is_unsupported():
    with pytest.raises(TypeError):
        hash(rp.zeros(2))


# -- methods -------------------------------------------------------------------------------------------
def test_astype_method():
    a = np.array([1.7, -2.2, 300.0])
    x = rp.asarray(a)
    for dt in ("int8", "uint8", "int64", "float16", "complex64", "bool"):
        with _quiet():
            expected = a.astype(dt)
            got = x.astype(dt)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(rp.asnumpy(got), expected)
    assert x.astype(np.float64, copy=False) is x
    assert x.astype(np.float64) is not x


def _quiet():
    import warnings
    return warnings.catch_warnings(action="ignore")


@needs_indexing
def test_fill():
    x = rp.zeros((2, 3), dtype=rp.int32)
    assert x.fill(7) is None
    np.testing.assert_array_equal(rp.asnumpy(x), np.full((2, 3), 7, np.int32))
    a = rp.zeros((3, 4))
    v = a[:, ::-2]
    v.fill(2.5)
    np.testing.assert_array_equal(rp.asnumpy(a), np.tile([0, 2.5], (3, 2)))
    e = rp.zeros(0)
    e.fill(1.0)
    assert e.shape == (0,)


def test_view_dtype():
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    x = rp.asarray(a)
    for dt in ("int64", "uint64", "complex64", "int32", "uint8", "float32", "complex128"):
        ref = a.view(dt) if a.shape[-1] * 8 % np.dtype(dt).itemsize == 0 else None
        if ref is None:
            with pytest.raises(ValueError):
                x.view(dt)
            continue
        v = x.view(dt)
        assert v.dtype == ref.dtype and v.shape == ref.shape and v.strides == ref.strides
        np.testing.assert_array_equal(rp.asnumpy(v), ref)
        assert rp.shares_memory(v, x)
    same = x.view()
    assert same.dtype == x.dtype and rp.shares_memory(same, x)
    with pytest.raises(ValueError, match="view"):
        x.T.view(np.int32)  # last axis not contiguous
    with pytest.raises(ValueError, match="view"):
        rp.asarray(np.zeros(3, np.int8)).view(np.int16)
    with pytest.raises(TypeError):
        x.view("U2")


def test_item_and_tolist():
    a = np.arange(6, dtype=np.int16).reshape(2, 3)
    x = rp.asarray(a)
    assert x.item(4) == a.item(4) and type(x.item(4)) is int
    assert x.item((1, 2)) == 5 and x.item(1, 0) == 3
    assert rp.asarray(2.5).item() == 2.5
    with pytest.raises(ValueError):
        x.item()
    with pytest.raises(IndexError):
        x.item(6)
    assert x.tolist() == a.tolist()
    assert x.T.tolist() == a.T.tolist()
    assert rp.asarray(1 + 2j).tolist() == 1 + 2j
    assert rp.asarray([True, False]).tolist() == [True, False]
    assert rp.zeros((0, 2)).tolist() == []


@pytest.mark.parametrize("name", list(layouts()))
def test_flags(name):
    a = layouts()[name]
    f = strided_like(a).flags
    assert f.c_contiguous == a.flags.c_contiguous
    assert f.f_contiguous == a.flags.f_contiguous
    assert f["C_CONTIGUOUS"] == a.flags["C_CONTIGUOUS"]
    assert f.writeable


def test_flags_read_only():
    a = np.zeros(3)
    a.flags.writeable = False
    x = rp.asarray(a, device="cpu")  # shares the read-only NumPy memory (a GPU copy would be writeable)
    assert not x.flags.writeable
    with pytest.raises(ValueError):
        x += 1


def test_constructor():
    x = rp.ndarray((2, 3))
    assert isinstance(x, rp.ndarray) and x.shape == (2, 3) and x.dtype == np.float64 and x.device == DEFAULT
    y = rp.ndarray(4, dtype=rp.int8)
    assert y.shape == (4,) and y.dtype == np.int8 and y.strides == (1,)
    z = rp.ndarray((2, 0), "complex64", device="cpu")
    assert z.shape == (2, 0) and z.size == 0 and z.dtype == np.complex64
    assert rp.ndarray(()).shape == ()
    with pytest.raises(ValueError):
        rp.ndarray((-1, 2))
    with pytest.raises(TypeError):
        rp.ndarray((2,), dtype="U3")
    with pytest.raises(TypeError):
        rp.ndarray((2.5,))


def test_contains():
    x = rp.asarray([[1, 2], [3, 4]])
    assert 3 in x and 7 not in x
