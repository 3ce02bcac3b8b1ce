"""The host kernel of x[mask] (rdnarray/_backend/host_select.pyx) against NumPy's x[mask], compress, extract."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_array_equal

import rdnarray as rp
from rdnarray._backend.host_select import compress, extract, select

# Every item size the kernel moves (1, 2, 4, 8, 16 bytes), and byte orders and kinds it must not care about.
DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.float16, np.int32, np.uint32, np.float32, ">f4",
          np.int64, np.uint64, np.float64, ">i8", np.complex64, np.complex128, np.clongdouble, np.longdouble,
          "U1", "S2", "V3"]
# Densities that take each path: none, sparse (index gather), dense (branchless), all (block memcpy).
DENSITIES = [0.0, 0.001, 0.02, 0.3, 0.5, 0.97, 1.0]


def values(shape, dtype, seed=0):
    """Distinct-looking values of ``dtype`` (random bytes would make NaNs that compare unequal)."""
    n = int(np.prod(shape))
    v = np.arange(1, n + 1)
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        v = v % 3 == 0
    elif dtype.kind in "US":
        v = v.astype(str)
    elif dtype.kind == "V":
        return np.frombuffer(np.arange(n * dtype.itemsize, dtype=np.uint8).tobytes(), dtype).reshape(shape)
    elif dtype.kind == "c":
        v = v + 1j * v[::-1]
    return np.asarray(v).astype(dtype).reshape(shape)


def mask(shape, p, seed=0):
    return np.random.default_rng(seed).random(shape) < p


def same(r, e):
    assert type(r) is np.ndarray
    assert r.dtype == e.dtype and r.shape == e.shape
    assert r.flags.c_contiguous
    assert_array_equal(r, e)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("p", DENSITIES)
def test_every_dtype_and_density(dtype, p):
    # 1000 elements: 15 whole blocks of 64 and a tail of 40
    x = values((1000,), dtype)
    m = mask(1000, p)
    same(select(m, x), x[m])
    same(compress(m, x), np.compress(m, x))
    same(extract(m, x), np.extract(m, x))


@pytest.mark.parametrize("p", DENSITIES)
@pytest.mark.parametrize("shape", [(3, 4, 5), (7, 130), (130, 1), (1, 1, 200), (2, 0, 3), (0,)])
def test_multi_d(shape, p):
    x = values(shape, np.float64)
    m = mask(shape, p)
    same(select(m, x), x[m])
    same(extract(m, x), np.extract(m, x))


@pytest.mark.parametrize("dtype", [np.int8, np.float32, np.complex128])
def test_0d_and_empty(dtype):
    for v in (True, False):
        x = np.asarray(values((1,), dtype)[0])
        m = np.asarray(v)
        same(select(m, x), x[m])
        same(extract(m, x), np.extract(m, x))
    x = np.zeros((0,), dtype)
    same(select(np.zeros(0, bool), x), x[np.zeros(0, bool)])
    same(compress(np.zeros(0, bool), x), np.compress(np.zeros(0, bool), x))


def test_strided_inputs():
    base = values((40, 300), np.float32)
    for p in (0.001, 0.02, 0.5, 1.0):
        big = mask((40, 300), p, 1)
        cases = [
            (big[::2, ::3], base[::2, ::3]),                      # both strided
            (big[:, ::-1], base[:, ::-1]),                        # negative strides
            (big.T, base.T),                                      # transposed: rows are columns in memory
            (np.ascontiguousarray(big[:, 1::2]), base[:, ::2]),   # contiguous mask, strided x
            (big[:, 1::2], np.ascontiguousarray(base[:, ::2])),   # strided mask, contiguous x
            (np.broadcast_to(big[0], (40, 300)), base),           # zero-stride mask
            (big[3], np.broadcast_to(base[5], (300,))),           # zero-stride x
        ]
        for m, x in cases:
            same(select(m, x), x[m])
            same(extract(m, x), np.extract(m, x))


def test_unaligned_x():
    raw = np.zeros(8 * 300 + 1, np.uint8)
    x = raw[1:].view(np.float64)  # misaligned by one byte
    x[:] = np.arange(300)
    assert not x.flags.aligned
    for p in (0.01, 0.5, 1.0):
        m = mask(300, p)
        same(select(m, x), x[m])


def test_mask_bytes_other_than_one():
    # NumPy treats any nonzero byte of a bool array as True; the word tests must too.
    x = values((500,), np.int32)
    raw = np.random.default_rng(2).integers(0, 4, 500).astype(np.uint8) * 85  # 0, 85, 170, 255
    raw[:128] = 128  # two whole blocks of nonzero bytes that are not 1 (bit 0 unset)
    m = raw.view(np.bool_)
    same(select(m, x), x[raw != 0])
    same(compress(m, x), x[raw != 0])


def test_fallback_to_numpy():
    x = values((6,), np.float32)
    # object dtype, non-bool conditions, other shapes, axis on N-d, out=, a shorter condition, lists
    o = np.array([1, "a", None, 2.5, (), 3], dtype=object)
    m = np.array([1, 0, 1, 1, 0, 1], bool)
    same(select(m, o), o[m])
    same(extract(m, o), np.extract(m, o))
    same(extract(np.arange(6) % 2, x), np.extract(np.arange(6) % 2, x))
    same(extract(m.reshape(2, 3), x), np.extract(m.reshape(2, 3), x))
    same(compress(m[:4], x), np.compress(m[:4], x))
    same(compress([True, False], x), np.compress([True, False], x))
    y = values((3, 4), np.int16)
    same(compress([True, False, True], y, axis=0), np.compress([True, False, True], y, axis=0))
    same(compress([True, False, True, True], y, axis=1), np.compress([True, False, True, True], y, axis=1))
    out = np.zeros(4, np.float32)
    assert compress(m, x, out=out) is out
    same(out, x[m])
    with pytest.raises(IndexError):
        extract(np.ones(7, bool), x)
    with pytest.raises(np.exceptions.AxisError):
        compress(m, x, axis=1)


def test_large_and_result_independent_of_input():
    n = 1 << 20
    x = np.arange(n, dtype=np.int64)
    for p in (0.001, 0.03, 0.6, 1.0):
        m = mask(n, p, 3)
        r = select(m, x)
        same(r, x[m])
        assert not np.shares_memory(r, x)
    # A sparse mask with whole true blocks among its scattered elements: the noted ones go out first.
    m = mask(n, 0.002, 4)
    m[6400:6528] = m[100_000:100_100] = True
    same(select(m, x), x[m])
    same(select(m[::-1], x), x[m[::-1]])  # and through the strided (mask stride -1) sparse path


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_hypothesis_against_numpy(data):
    dtype = data.draw(st.sampled_from([np.uint8, np.int16, np.float32, np.float64, np.complex128]))
    x = data.draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=140),
                             elements=st.integers(0, 100)))
    runs = data.draw(st.sampled_from(["random", "runs"]))
    if runs == "random":
        m = data.draw(hnp.arrays(np.bool_, x.shape))
    else:  # long runs of one value, so whole blocks are all true or all false
        m = (np.arange(x.size) // data.draw(st.integers(1, 200)) % 2 == 0).reshape(x.shape)
    if x.ndim and data.draw(st.booleans()):
        x, m = x[..., ::-1], m[..., ::-1]
    same(select(m, x), x[m])


def test_through_rdnarray():
    """x[mask] on the CPU device equals NumPy's whichever way the host backend runs extract."""
    a = values((50, 70), np.float32)
    x = rp.asarray(a)
    for p in (0.0, 0.01, 0.5, 1.0):
        m = mask(a.shape, p)
        assert_array_equal(rp.asnumpy(x[rp.asarray(m)]), a[m])
        assert_array_equal(rp.asnumpy(x[0][rp.asarray(m[0])]), a[0][m[0]])
        assert_array_equal(rp.asnumpy(rp.extract(rp.asarray(m), x)), np.extract(m, a))
        assert_array_equal(rp.asnumpy(rp.compress(rp.asarray(m[0]), x[0])), np.compress(m[0], a[0]))
