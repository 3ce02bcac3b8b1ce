"""rdnarray.random: the Philox4x64-10 stream of NumPy's Generator, bit for bit, returned as rdnarray arrays."""
import pickle

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from numpy.testing import assert_array_equal

import rdnarray as rp
import rdnarray.random as rnd


def ref(seed):
    """The contract every device must meet: NumPy's Generator on NumPy's Philox with the same seed."""
    return np.random.Generator(np.random.Philox(seed))


def same(result, expected):
    assert isinstance(result, rp.ndarray)
    expected = np.asarray(expected)
    assert result.dtype == expected.dtype
    assert result.shape == expected.shape
    assert_array_equal(rp.asnumpy(result), expected, strict=True)


def test_contract_random_bit_for_bit():
    same(rnd.default_rng(12345).random(10), ref(12345).random(10))


@pytest.mark.parametrize("seed", [0, 1, 2**63 + 5, [1, 2, 3], np.random.SeedSequence(7)])
def test_same_seed_same_numbers(seed):
    a, b = rnd.default_rng(seed), rnd.default_rng(seed)
    assert_array_equal(rp.asnumpy(a.standard_normal((3, 4))), rp.asnumpy(b.standard_normal((3, 4))))
    same(rnd.default_rng(seed).integers(0, 100, 20), ref(seed).integers(0, 100, 20))


def test_different_seeds_differ():
    assert not np.array_equal(rp.asnumpy(rnd.default_rng(1).random(8)), rp.asnumpy(rnd.default_rng(2).random(8)))


@pytest.mark.parametrize("method, args, kwargs", [
    ("random", (), {"size": (2, 3)}),
    ("random", (), {"size": 5, "dtype": np.float32}),
    ("standard_normal", (), {"size": (4,), "dtype": np.float32}),
    ("standard_normal", (), {"size": (2, 0)}),
    ("standard_exponential", (), {"size": 6, "dtype": np.float32}),
    ("standard_gamma", (2.5,), {"size": 4}),
    ("uniform", (-2.0, 3.0), {"size": (3, 2)}),
    ("normal", (1.0, 2.0), {"size": 7}),
    ("normal", ([0.0, 10.0, 100.0], 1.0), {}),
    ("lognormal", (0.5, 0.25), {"size": 3}),
    ("exponential", (2.0,), {"size": 5}),
    ("gamma", (2.0, 3.0), {"size": 5}),
    ("beta", (0.5, 0.5), {"size": 5}),
    ("poisson", (4.0,), {"size": 9}),
    ("binomial", (10, 0.3), {"size": 9}),
    ("integers", (-5, 5), {"size": 20}),
    ("integers", (0, 3), {"size": 20, "endpoint": True, "dtype": np.uint8}),
    ("integers", (2,), {"size": 10, "dtype": np.bool_}),
    ("multivariate_normal", ([0.0, 1.0], [[2.0, 0.5], [0.5, 1.0]]), {"size": 4}),
])
def test_matches_numpy(method, args, kwargs):
    same(getattr(rnd.default_rng(3), method)(*args, **kwargs), getattr(ref(3), method)(*args, **kwargs))


@pytest.mark.parametrize("method, args", [
    ("random", ()), ("standard_normal", ()), ("normal", (0.0, 1.0)), ("integers", (10,)), ("poisson", (3.0,)),
])
def test_size_none_gives_0d_array(method, args):
    r = getattr(rnd.default_rng(4), method)(*args)
    assert isinstance(r, rp.ndarray) and r.shape == ()
    assert rp.asnumpy(r)[()] == getattr(ref(4), method)(*args)


def test_float32_dtypes():
    g = rnd.default_rng(0)
    assert g.random(3, dtype=rp.float32).dtype == rp.float32
    assert g.standard_normal((2, 2), dtype="float32").dtype == rp.float32
    with pytest.raises(TypeError, match="random"):
        g.random(3, dtype=rp.int32)
    with pytest.raises(TypeError, match="standard_normal"):
        g.standard_normal(3, dtype=rp.complex64)


def test_rdnarray_parameters_go_to_host():
    loc = rp.asarray([0.0, 100.0, -100.0])
    scale = rp.asarray([1.0, 2.0, 3.0])
    same(rnd.default_rng(9).normal(loc, scale), ref(9).normal(rp.asnumpy(loc), rp.asnumpy(scale)))
    p = rp.asarray([0.1, 0.2, 0.7])
    same(rnd.default_rng(9).choice(3, 5, p=p), ref(9).choice(3, 5, p=rp.asnumpy(p)))
    same(rnd.default_rng(9).integers(rp.asarray([0, 10]), rp.asarray([5, 20])), ref(9).integers([0, 10], [5, 20]))


def test_device_cpu_accepted():
    g = rnd.default_rng(1)
    for r in (g.random(3, device="cpu"), g.integers(5, size=2, device=rp.Device("cpu")),
              g.normal(size=2, device="cpu"), g.choice(4, 2, device="cpu"), g.permutation(4, device="cpu"),
              rnd.rand(2, device="cpu")):
        assert r.device == rp.Device("cpu")
    with pytest.raises(ValueError):
        g.random(3, device="tpu")


# integers


def test_integers_bounds_and_endpoint():
    g = rnd.default_rng(5)
    r = rp.asnumpy(g.integers(3, 7, size=10_000))
    assert r.min() == 3 and r.max() == 6
    r = rp.asnumpy(g.integers(3, 7, size=10_000, endpoint=True))
    assert r.min() == 3 and r.max() == 7
    r = rp.asnumpy(g.integers(4, size=1000, dtype=rp.int8))
    assert r.dtype == np.int8 and set(r.tolist()) == {0, 1, 2, 3}
    with pytest.raises(ValueError, match="integers: low >= high"):
        g.integers(5, 2)
    with pytest.raises(ValueError, match="integers"):
        g.integers(0, 300, dtype=rp.uint8)


# choice


def test_choice_int_and_array():
    same(rnd.default_rng(2).choice(10, 4), ref(2).choice(10, 4))
    same(rnd.default_rng(2).choice(10, (2, 3), replace=False), ref(2).choice(10, (2, 3), replace=False))
    same(rnd.default_rng(2).choice(10, 10, replace=False, shuffle=False),
         ref(2).choice(10, 10, replace=False, shuffle=False))
    a = np.arange(24.0).reshape(4, 6)
    for kw in ({"size": 3}, {"size": (2, 2), "axis": 1}, {"axis": 1}, {"size": 4, "replace": False, "axis": 0},
               {"size": 5, "p": [0.5, 0.1, 0.1, 0.3]}):
        same(rnd.default_rng(8).choice(rp.asarray(a), **kw), ref(8).choice(a, **kw))
    same(rnd.default_rng(8).choice(rp.asarray(a)[::-1, ::2], 3, axis=1), ref(8).choice(a[::-1, ::2], 3, axis=1))
    same(rnd.default_rng(8).choice([5, 6, 7], 4), ref(8).choice([5, 6, 7], 4))
    same(rnd.default_rng(8).choice(rp.asarray(6)), ref(8).choice(6))


def test_choice_without_replace_is_distinct():
    r = rp.asnumpy(rnd.default_rng(1).choice(100, 100, replace=False))
    assert sorted(r.tolist()) == list(range(100))


def test_choice_p_weights_respected():
    r = rp.asnumpy(rnd.default_rng(1).choice(3, 1000, p=[0.0, 1.0, 0.0]))
    assert (r == 1).all()


def test_choice_errors():
    g = rnd.default_rng(0)
    with pytest.raises(ValueError, match="choice: .*sum to 1"):
        g.choice(3, 2, p=[0.5, 0.6, 0.1])
    with pytest.raises(ValueError, match="choice"):
        g.choice(3, 2, p=[0.5, 0.5])
    with pytest.raises(ValueError, match="choice"):
        g.choice(3, 5, replace=False)
    with pytest.raises(ValueError, match="choice: a cannot be empty"):
        g.choice(rp.zeros((0, 2)), 3)
    with pytest.raises(ValueError, match="choice"):
        g.choice(0, 3)
    assert g.choice(rp.zeros((0, 2)), 0).shape == (0, 2)
    with pytest.raises(np.exceptions.AxisError):
        g.choice(rp.zeros((2, 2)), 1, axis=2)


# permutation, shuffle, permuted


def test_permutation_int_and_arrays():
    same(rnd.default_rng(6).permutation(10), ref(6).permutation(10))
    a = np.arange(20).reshape(4, 5)
    same(rnd.default_rng(6).permutation(rp.asarray(a)), ref(6).permutation(a))
    same(rnd.default_rng(6).permutation(rp.asarray(a), axis=1), ref(6).permutation(a, axis=1))
    same(rnd.default_rng(6).permutation(rp.asarray(a).T), ref(6).permutation(a.T))
    x = rp.arange(10)
    p = rnd.default_rng(6).permutation(x)
    assert sorted(rp.asnumpy(p).tolist()) == list(range(10))
    assert_array_equal(rp.asnumpy(x), np.arange(10))  # not in place
    with pytest.raises(np.exceptions.AxisError):
        rnd.default_rng(6).permutation(rp.asarray(3.0))


@pytest.mark.parametrize("dtype", [np.float32, np.int16, np.bool_, np.complex128])
def test_shuffle_in_place_matches_numpy(dtype):
    a = (np.arange(30) % 7).astype(dtype).reshape(6, 5)
    x = rp.asarray(a.copy())
    before = x
    assert rnd.default_rng(11).shuffle(x) is None
    assert x is before
    expected = a.copy()
    ref(11).shuffle(expected)
    assert_array_equal(rp.asnumpy(x), expected)
    x = rp.asarray(a.copy())
    rnd.default_rng(11).shuffle(x, axis=1)
    expected = a.copy()
    ref(11).shuffle(expected, axis=1)
    assert_array_equal(rp.asnumpy(x), expected)


def test_shuffle_views_write_through():
    base = rp.arange(10)
    rnd.default_rng(3).shuffle(base[::-2])
    b = rp.asnumpy(base)
    assert_array_equal(b[::2], np.arange(0, 10, 2))  # untouched
    assert sorted(b[1::2].tolist()) == [1, 3, 5, 7, 9]
    expected = np.arange(10)
    ref(3).shuffle(expected[::-2])
    assert_array_equal(b, expected)


def test_shuffle_errors():
    g = rnd.default_rng(0)
    with pytest.raises(TypeError, match="shuffle"):
        g.shuffle([1, 2, 3])
    with pytest.raises(TypeError, match="shuffle"):
        g.shuffle(rp.asarray(1.0))
    with pytest.raises(np.exceptions.AxisError):
        g.shuffle(rp.arange(3), axis=1)
    x = rp.arange(5)
    g.shuffle(x[:0])  # empty: nothing to do
    assert_array_equal(rp.asnumpy(x), np.arange(5))


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_permuted_matches_numpy(axis):
    a = np.arange(24).reshape(4, 6)
    same(rnd.default_rng(10).permuted(rp.asarray(a), axis=axis), ref(10).permuted(a, axis=axis))
    out = rp.zeros((4, 6), dtype=rp.float64)
    r = rnd.default_rng(10).permuted(rp.asarray(a), axis=axis, out=out)
    assert r is out
    assert_array_equal(rp.asnumpy(out), ref(10).permuted(a, axis=axis).astype(np.float64))


def test_permuted_out_validation_writes_nothing():
    x = rp.arange(6.0)
    for bad, exc in ((rp.zeros(5), ValueError), (rp.zeros(6, dtype=rp.int64), TypeError), (np.zeros(6), TypeError)):
        with pytest.raises(exc, match="permuted"):
            rnd.default_rng(0).permuted(x, out=bad)
        assert not np.asarray(rp.asnumpy(bad)).any()


# out=


@pytest.mark.parametrize("method", ["random", "standard_normal"])
def test_out_fills_like_size(method):
    out = rp.empty((3, 4))
    r = getattr(rnd.default_rng(2), method)(out=out)
    assert r is out
    assert_array_equal(rp.asnumpy(out), getattr(ref(2), method)((3, 4)))
    out = rp.empty(5, dtype=rp.float32)
    getattr(rnd.default_rng(2), method)(5, dtype=rp.float32, out=out)
    assert_array_equal(rp.asnumpy(out), getattr(ref(2), method)(5, dtype=np.float32))


def test_out_non_contiguous_view():
    buf = rp.zeros(10)
    rnd.default_rng(2).random(out=buf[::-2])
    b = rp.asnumpy(buf)
    assert_array_equal(b[::-2], ref(2).random(5))
    assert not b[-2::-2].any()


@pytest.mark.parametrize("method", ["random", "standard_normal"])
def test_out_validation_leaves_out_and_stream_untouched(method):
    g = rnd.default_rng(4)
    bad = [
        ({"out": rp.zeros(4, dtype=rp.float32)}, TypeError),  # dtype float64 requested
        ({"out": rp.zeros(4), "size": 5}, ValueError),
        ({"out": rp.zeros(4), "size": (2, 2)}, ValueError),
        ({"out": np.zeros(4)}, TypeError),
    ]
    for kw, exc in bad:
        with pytest.raises(exc, match=method):
            getattr(g, method)(**kw)
        assert not np.asarray(rp.asnumpy(kw["out"])).any()
    ro_np = np.zeros(4)
    ro_np.flags.writeable = False
    ro = rp.asarray(ro_np, device="cpu")  # shares the read-only memory
    with pytest.raises(ValueError, match="read-only"):
        getattr(g, method)(out=ro)
    assert not ro_np.any()
    # Nothing was drawn by the failing calls.
    same(getattr(g, method)(3), getattr(ref(4), method)(3))


# errors


def test_bad_size():
    g = rnd.default_rng(0)
    with pytest.raises(ValueError, match="random: negative dimensions"):
        g.random(-1)
    with pytest.raises(TypeError, match="random"):
        g.random(2.5)
    with pytest.raises(ValueError, match="normal"):
        g.normal(0.0, 1.0, size=(2, -3))
    with pytest.raises(ValueError, match="normal"):
        g.normal([0.0, 1.0], 1.0, size=3)  # parameters do not broadcast to size
    with pytest.raises(ValueError, match="normal"):
        g.normal(0.0, -1.0)


def test_generator_needs_philox():
    with pytest.raises(TypeError, match="Philox"):
        rnd.Generator(np.random.PCG64(1))
    with pytest.raises(TypeError, match="Philox"):
        rnd.default_rng(np.random.MT19937(1))
    with pytest.raises(TypeError, match="Philox"):
        rnd.default_rng(np.random.default_rng(1))  # PCG64 underneath


# Generator plumbing


def test_generator_constructor_bit_generator_and_default_rng():
    bg = np.random.Philox(21)
    g = rnd.Generator(bg)
    assert g.bit_generator is bg
    same(g.random(4), ref(21).random(4))
    assert rnd.default_rng(g) is g
    g2 = rnd.default_rng(np.random.Generator(np.random.Philox(21)))
    same(g2.random(4), ref(21).random(4))
    assert isinstance(rnd.default_rng(), rnd.Generator)
    assert rnd.Generator.__module__ == "rdnarray.random"


def test_spawn_bytes_pickle():
    kids = rnd.default_rng(5).spawn(3)
    expected = ref(5).spawn(3)
    assert all(isinstance(k, rnd.Generator) for k in kids)
    for k, e in zip(kids, expected):
        same(k.random(3), e.random(3))
    assert rnd.default_rng(5).bytes(10) == ref(5).bytes(10)
    g = rnd.default_rng(5)
    g.random(3)
    h = pickle.loads(pickle.dumps(g))
    assert_array_equal(rp.asnumpy(h.random(4)), rp.asnumpy(g.random(4)))


def test_statistics():
    g = rnd.default_rng(2024)
    x = rp.asnumpy(g.standard_normal(100_000))
    assert abs(x.mean()) < 0.02 and abs(x.std() - 1) < 0.02
    y = rp.asnumpy(g.normal(3.0, 2.0, size=100_000))
    assert abs(y.mean() - 3) < 0.05 and abs(y.std() - 2) < 0.05
    u = rp.asnumpy(g.random(100_000, dtype=rp.float32))
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.01
    e = rp.asnumpy(g.exponential(2.0, 100_000))
    assert abs(e.mean() - 2) < 0.05
    p = rp.asnumpy(g.poisson(4.0, 100_000))
    assert abs(p.mean() - 4) < 0.05 and abs(p.var() - 4) < 0.1


# legacy module functions


def test_legacy_functions_reproducible_on_philox():
    rnd.seed(77)
    r = rnd.rand(2, 3)
    n = rnd.randn(4)
    i = rnd.randint(0, 10, size=5)
    g = ref(77)
    same(r, g.random((2, 3)))
    same(n, g.standard_normal(4))
    same(i, g.integers(0, 10, size=5))
    rnd.seed(77)
    same(rnd.random(3), ref(77).random(3))
    rnd.seed(77)
    same(rnd.random_sample((2,)), ref(77).random(2))
    rnd.seed(1)
    g = ref(1)
    same(rnd.uniform(1, 2, 3), g.uniform(1, 2, 3))
    same(rnd.normal(0, 1, 3), g.normal(0, 1, 3))
    same(rnd.choice(5, 3), g.choice(5, 3))
    same(rnd.permutation(6), g.permutation(6))
    x = rp.arange(6)
    rnd.shuffle(x)
    e = np.arange(6)
    g.shuffle(e)
    assert_array_equal(rp.asnumpy(x), e)
    assert rnd.rand().shape == ()
    assert rnd.randint(5).dtype == rp.int64


def test_legacy_state_functions_explain_philox():
    with pytest.raises(TypeError, match="Philox"):
        rnd.get_state()
    with pytest.raises(TypeError, match="Philox"):
        rnd.set_state(("MT19937", np.zeros(624, np.uint32), 0, 0, 0.0))


# differential (hypothesis)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**64 - 1), shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_hypothesis_streams_match_numpy(seed, shape, dtype):
    g, e = rnd.default_rng(seed), ref(seed)
    same(g.random(shape, dtype=dtype), e.random(shape, dtype=dtype))
    same(g.standard_normal(shape, dtype=dtype), e.standard_normal(shape, dtype=dtype))
    same(g.integers(-3, 9, size=shape), e.integers(-3, 9, size=shape))
    if len(shape) >= 1:
        a = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
        same(g.permutation(rp.asarray(a), axis=-1), e.permutation(a, axis=-1))
        x = rp.asarray(a.copy())
        g.shuffle(x)
        e.shuffle(a)
        assert_array_equal(rp.asnumpy(x), a)
        if shape[0] > 0:
            same(g.choice(rp.asarray(a), 3), e.choice(a, 3))
