"""rdnarray.fft against numpy.fft."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

import rdnarray as rp

RNG = np.random.default_rng(1)


def rand(shape, dtype=np.float64):
    dt = np.dtype(dtype)
    if dt.kind == "c":
        return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dt)
    if dt.kind in "iub":
        return RNG.integers(0, 5, shape).astype(dt)
    return RNG.standard_normal(shape).astype(dt)


def check(result, expected):
    assert isinstance(result, rp.ndarray)
    got = rp.asnumpy(result)
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    single = got.dtype in (np.float32, np.complex64)
    assert_allclose(got, expected, rtol=1e-4 if single else 1e-10, atol=1e-4 if single else 1e-10)


DTYPES = [np.int32, np.float32, np.float64, np.complex64, np.complex128]
REAL = [np.int32, np.bool_, np.float32, np.float64]


@pytest.mark.parametrize("name", ["fft", "ifft"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_fft_ifft(name, dtype):
    a = rand((3, 8), dtype)
    f, g = getattr(rp.fft, name), getattr(np.fft, name)
    check(f(rp.asarray(a)), g(a))
    for kw in ({"n": 5}, {"n": 12}, {"axis": 0}, {"axis": -2, "n": 2}, {"norm": "ortho"}, {"norm": "forward"}):
        check(f(rp.asarray(a), **kw), g(a, **kw))
    check(f(rp.asarray(a.T)), g(a.T))
    check(f(rp.asarray(a[:, ::-2])), g(a[:, ::-2]))


@pytest.mark.parametrize("dtype", REAL)
def test_rfft_ihfft(dtype):
    a = rand((2, 3, 7), dtype)
    for kw in ({}, {"n": 4}, {"n": 9}, {"axis": 1}, {"norm": "ortho"}, {"norm": "forward"}):
        check(rp.fft.rfft(rp.asarray(a), **kw), np.fft.rfft(a, **kw))
        check(rp.fft.ihfft(rp.asarray(a), **kw), np.fft.ihfft(a, **kw))


@pytest.mark.parametrize("dtype", [np.float32, np.complex64, np.complex128])
def test_irfft_hfft(dtype):
    a = rand((2, 6), dtype)
    for kw in ({}, {"n": 7}, {"n": 4}, {"axis": 0}, {"norm": "ortho"}, {"norm": "forward"}):
        check(rp.fft.irfft(rp.asarray(a), **kw), np.fft.irfft(a, **kw))
        check(rp.fft.hfft(rp.asarray(a), **kw), np.fft.hfft(a, **kw))


@pytest.mark.parametrize("dtype", DTYPES)
def test_nd_transforms(dtype):
    a = rand((4, 5, 6), dtype)
    x = rp.asarray(a)
    cases = [{}, {"axes": (0, 2)}, {"axes": [-1]}, {"s": (3, 4)}, {"s": (6, 2), "axes": (2, 0)},
             {"s": (-1, 3), "axes": (0, 1)}, {"norm": "ortho"}, {"axes": (1,), "norm": "forward"}]
    for kw in cases:
        npkw = dict(kw)
        if "s" in kw and "axes" not in kw:
            npkw["axes"] = tuple(range(-len(kw["s"]), 0))
        if "s" in kw and -1 in kw["s"]:
            npkw["s"] = tuple(a.shape[ax] if n == -1 else n for n, ax in zip(kw["s"], kw["axes"]))
        check(rp.fft.fftn(x, **kw), np.fft.fftn(a, **npkw))
        check(rp.fft.ifftn(x, **kw), np.fft.ifftn(a, **npkw))
        if a.dtype.kind != "c":
            check(rp.fft.rfftn(x, **kw), np.fft.rfftn(a, **npkw))
        else:
            kw2 = {k: v for k, v in kw.items() if k != "s"}
            check(rp.fft.irfftn(x, **kw2), np.fft.irfftn(a, **kw2))
    check(rp.fft.fft2(x), np.fft.fft2(a))
    check(rp.fft.ifft2(x, s=(3, 3)), np.fft.ifft2(a, s=(3, 3), axes=(-2, -1)))
    if a.dtype.kind != "c":
        check(rp.fft.rfft2(x, axes=(0, 1)), np.fft.rfft2(a, axes=(0, 1)))
    else:
        check(rp.fft.irfft2(x), np.fft.irfft2(a))
        check(rp.fft.irfft2(x, s=(4, 7)), np.fft.irfft2(a, s=(4, 7)))


def test_irfftn_minus_one_is_the_default_length():
    a = rand((4, 5), np.complex128)
    check(rp.fft.irfftn(rp.asarray(a), s=(-1, -1), axes=(0, 1)), np.fft.irfftn(a, axes=(0, 1)))


def test_round_trips_keep_single_precision():
    a = rand((4, 6), np.complex64)
    back = rp.fft.ifft(rp.fft.fft(rp.asarray(a)))
    assert back.dtype == np.complex64
    assert_allclose(rp.asnumpy(back), a, rtol=1e-5, atol=1e-5)
    r = rand((4, 6), np.float32)
    back = rp.fft.irfftn(rp.fft.rfftn(rp.asarray(r)), s=r.shape)
    assert back.dtype == np.float32
    assert_allclose(rp.asnumpy(back), r, rtol=1e-5, atol=1e-5)


def test_empty_batch():
    a = np.zeros((0, 4))
    check(rp.fft.fft(rp.asarray(a)), np.fft.fft(a))
    check(rp.fft.rfft(rp.asarray(a)), np.fft.rfft(a))


def test_errors():
    x = rp.ones((2, 4))
    with pytest.raises(ValueError, match=r"fft: invalid number of data points \(0\)"):
        rp.fft.fft(x, n=0)
    with pytest.raises(ValueError, match="irfft: invalid number of data points"):
        rp.fft.irfft(rp.ones(1))
    with pytest.raises(ValueError, match="fft: invalid norm"):
        rp.fft.fft(x, norm="bad")
    with pytest.raises(np.exceptions.AxisError, match="ifft"):
        rp.fft.ifft(x, axis=2)
    with pytest.raises(TypeError, match="rfft: x must be real"):
        rp.fft.rfft(rp.asarray(np.ones(4, np.complex64)))
    with pytest.raises(ValueError, match="fftn: s"):
        rp.fft.fftn(x, s=(2, 2), axes=(0,))
    with pytest.raises(ValueError, match="fftn"):
        rp.fft.fftn(x, s=(2, 2, 2))
    with pytest.raises(ValueError, match="fft"):
        rp.fft.fft(rp.asarray(np.float64(1.0)))
    with pytest.raises(TypeError, match="fft: n must be an integer"):
        rp.fft.fft(x, n=2.5)


@pytest.mark.parametrize("n", [1, 2, 7, 8])
def test_freqs(n):
    check(rp.fft.fftfreq(n), np.fft.fftfreq(n))
    check(rp.fft.fftfreq(n, d=0.25), np.fft.fftfreq(n, d=0.25))
    check(rp.fft.rfftfreq(n, d=2.0), np.fft.rfftfreq(n, d=2.0))
    f = rp.fft.fftfreq(n, dtype=rp.float32, device="cpu")
    check(f, np.fft.fftfreq(n).astype(np.float32))
    assert f.device == rp.Device("cpu")
    assert rp.fft.rfftfreq(n, dtype=rp.float32, device=rp.Device("cpu")).dtype == np.float32
    with pytest.raises(ValueError, match="fftfreq"):
        rp.fft.fftfreq(n, dtype=rp.complex64)
    with pytest.raises(ValueError, match="rfftfreq"):
        rp.fft.rfftfreq(0)


@pytest.mark.parametrize("dtype", [np.int8, np.float32, np.complex128])
def test_shifts(dtype):
    a = rand((4, 5, 3), dtype)
    for axes in (None, 0, (1,), (0, 2), [-1, 1]):
        for name in ("fftshift", "ifftshift"):
            got = getattr(rp.fft, name)(rp.asarray(a), axes=axes)
            expected = getattr(np.fft, name)(a, axes=axes)
            assert got.dtype == expected.dtype
            assert_array_equal(rp.asnumpy(got), expected)
    with pytest.raises(np.exceptions.AxisError):
        rp.fft.fftshift(rp.asarray(a), axes=3)


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6),
                  elements=st.floats(-10, 10)),
       st.sampled_from([np.float32, np.float64, np.complex128]), st.data())
def test_fftn_hypothesis(a, dtype, data):
    a = (a + 1j * a[..., ::-1] if np.dtype(dtype).kind == "c" else a).astype(dtype)
    axes = data.draw(st.lists(st.integers(-a.ndim, a.ndim - 1), min_size=1, max_size=a.ndim, unique=True))
    s = data.draw(st.lists(st.integers(1, 7), min_size=len(axes), max_size=len(axes)))
    check(rp.fft.fftn(rp.asarray(a), s=s, axes=axes), np.fft.fftn(a, s=s, axes=axes))
    if a.dtype.kind == "f":
        check(rp.fft.rfftn(rp.asarray(a), s=s, axes=axes), np.fft.rfftn(a, s=s, axes=axes))


def test_namespace():
    for name in rp.fft.__all__:
        assert callable(getattr(rp.fft, name)), name
    for name in ("fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft",
                 "fftfreq", "rfftfreq", "fftshift", "ifftshift"):
        assert name in rp.fft.__all__
