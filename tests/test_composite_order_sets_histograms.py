"""The compositions of rdnarray/_backend/composite/{order,sets,histograms}.py and the sequential-sum kernels of
kernels/segments.py (src_hip/segment_sum.hip), against NumPy.

Each NATIVE function is called as the GPU executor calls it (``fn(backend, *args, **kwargs)`` with the
arguments the public functions resolve), here with the host backend and CPU arrays, where every operation it
composes is NumPy's: values must be NumPy's bit for bit (NaN equal to NaN), with NumPy's dtypes and shapes.
The segment kernels also run on the CPU through tests/kernel_host_emu.h, alone and inside the compositions
(a host backend that takes segments.py's GPU path), and compile with NVRTC. With a GPU, the compositions run
on it against NumPy, and must keep the data on the device.
"""
import shutil
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import rdnarray as rp
from rdnarray._backend import compiler, get
from rdnarray._backend.composite import histograms, order, sets
from rdnarray._backend.kernels import segments

CPU = get("cpu")
ORDER, SETS, HIST = order.NATIVE, sets.NATIVE, histograms.NATIVE
METHODS = ["inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf", "hazen",
           "weibull", "linear", "median_unbiased", "normal_unbiased", "lower", "higher", "midpoint", "nearest"]
QUANTILES = ["quantile", "percentile", "nanquantile", "nanpercentile"]
gpu = pytest.mark.skipif(not rp.gpu.is_available(), reason=f"no usable GPU: {rp.gpu.unavailable_reason()}")


def A(a, device="cpu"):
    return rp.asarray(np.asarray(a), device=device)


def _host(v):
    return rp.asnumpy(v) if isinstance(v, rp.ndarray) else v


def same(got, want, bits=True):
    """``got`` (arrays, tuples, lists of them) is ``want``: dtype, shape, and values bit for bit (any NaN
    equals any NaN; ``bits=False``: -0.0 == +0.0)."""
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(want), (got, want)
        for g, w in zip(got, want):
            same(g, w, bits)
        return
    assert isinstance(got, rp.ndarray), type(got)
    g, w = rp.asnumpy(got), np.asarray(want)
    assert (g.dtype, g.shape) == (w.dtype, w.shape), ((g.dtype, g.shape), (w.dtype, w.shape))
    if w.dtype.kind in "fc":
        nan = np.isnan(g) & np.isnan(w)
        equal = (g.view(f"u{g.itemsize // (2 if g.dtype.kind == 'c' else 1)}") ==
                 w.view(f"u{w.itemsize // (2 if w.dtype.kind == 'c' else 1)}")) if bits else (g == w)
        if w.dtype.kind == "c" and bits:
            equal = equal.reshape(w.shape + (2,)).all(axis=-1)
        assert np.all(equal | nan), (g, w)
    else:
        np.testing.assert_array_equal(g, w)


def numpy(fn, *args, **kw):
    """NumPy's result, or the exception type it raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args, **kw)
        except Exception as e:  # noqa: BLE001 - only its type matters
            return type(e)


def on_device(kw, device="cpu"):
    return {k: (A(v, device) if isinstance(v, np.ndarray) else v) for k, v in kw.items()}


def data(dtype, shape, seed=0, nan=True):
    """Values with ties; floats with NaNs (``nan``) and infinities."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.random(shape) > 0.5
    if dt.kind in "iu":
        return rng.integers(0 if dt.kind == "u" else -20, 20, shape).astype(dt)
    a = (rng.standard_normal(shape) * 10).astype(dt)
    if nan and a.size > 3:
        flat = a.reshape(-1)
        flat[rng.integers(0, a.size, max(1, a.size // 8))] = np.nan
        flat[1] = np.inf
        flat[2] = flat[3]
    return a


def axis_tuple(axis):
    return axis if axis is None or isinstance(axis, tuple) else (axis,)


# ---- partition, argpartition, lexsort -------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["int8", "uint16", "float16", "float64", "complex128", "bool"])
def test_partition_is_a_valid_partition(dtype):
    if dtype == "complex128":
        a = data("float64", (5, 9)) + 1j * data("float64", (5, 9), 2)
    else:
        a = data(dtype, (5, 9), seed=1)
    for axis in (0, 1):
        for kth in (0, -1, 3, [1, 4]):
            want = np.sort(a, axis=axis)
            part = rp.asnumpy(ORDER["partition"](CPU, A(a), kth, axis=axis))
            arg = rp.asnumpy(ORDER["argpartition"](CPU, A(a), kth, axis=axis))
            assert part.dtype == a.dtype and arg.dtype == np.int64
            for k in np.atleast_1d(kth):
                k %= a.shape[axis]
                np.testing.assert_array_equal(np.take(part, k, axis), np.take(want, k, axis))
                picked = np.take(np.take_along_axis(a, arg, axis), k, axis)
                np.testing.assert_array_equal(picked, np.take(want, k, axis))
            np.testing.assert_array_equal(np.sort(arg, axis=axis), np.sort(np.argsort(a, axis=axis), axis=axis))
    flat = ORDER["partition"](CPU, A(a), 2, axis=None)
    assert flat.shape == (a.size,)


@pytest.mark.parametrize("dtypes", [("int64", "int64"), ("float32", "int8"), ("bool", "float64"), ("uint8", "float16")])
def test_lexsort(dtypes):
    keys = np.stack([data(dt, (4, 7), seed=i).astype(np.float64) for i, dt in enumerate(dtypes * 2)])
    for axis in (-1, 0, 1):
        same(ORDER["lexsort"](CPU, A(keys), axis=axis), np.lexsort(keys, axis=axis))
    listed = [A(data(dt, (6,), seed=i)) for i, dt in enumerate(dtypes)]
    same(ORDER["lexsort"](CPU, listed, axis=0), np.lexsort([rp.asnumpy(k) for k in listed]))
    same(ORDER["lexsort"](CPU, A(np.zeros((3, 0))), axis=-1), np.lexsort(np.zeros((3, 0))))


# ---- median, nanmedian -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["median", "nanmedian"])
@pytest.mark.parametrize("dtype", ["int8", "uint16", "int64", "float16", "float32", "float64"])
@pytest.mark.parametrize("axis", [None, (0,), (2,), (0, 2), (0, 1, 2), ()])
def test_median(name, dtype, axis):
    a = data(dtype, (4, 5, 6), seed=3)
    if dtype.startswith("float"):
        a[1, :, 2] = np.nan  # all-NaN slices along axis 1
    for keepdims in (False, True):
        same(ORDER[name](CPU, A(a), axis=axis, keepdims=keepdims), numpy(getattr(np, name), a, axis=axis,
                                                                         keepdims=keepdims))


@pytest.mark.parametrize("name", ["median", "nanmedian"])
def test_median_numpy_quirks(name):
    # float16 middle pairs that overflow when summed: np.median sums in float32 unless it writes into a float16
    # out=; nanmedian's numpy.ma path (< 600 per slice) sums in float16, even the middle element with itself.
    f16 = np.array([[60000, 60000, 1], [60000, 2, 1]], np.float16)
    for a in (f16[:, :2], f16[:, :1], f16, f16.T):
        for axis in (None, (0,), (1,)):
            same(ORDER[name](CPU, A(a), axis=axis), numpy(getattr(np, name), a, axis=axis))
            want = numpy(getattr(np, name), a, axis=axis)
            out = A(np.zeros(np.shape(want), np.float16))
            assert ORDER[name](CPU, A(a), axis=axis, out=out) is out
            np_out = np.zeros(np.shape(want), np.float16)
            numpy(getattr(np, name), a, axis=axis, out=np_out)
            same(out, np_out)
    same(ORDER[name](CPU, A(np.array(7, np.int16)), axis=None), numpy(getattr(np, name), np.array(7, np.int16)))
    same(ORDER[name](CPU, A(np.array(2.5)), axis=(), keepdims=True), numpy(getattr(np, name), np.array(2.5), axis=(),
                                                                          keepdims=True))


def test_nanmedian_long_and_short_slices():
    rng = np.random.default_rng(4)
    a = (rng.standard_normal((3, 1300)) * 3e4).astype(np.float16)
    a[0, ::3] = np.nan
    a[1] = np.nan
    for n in (599, 600, 1300):  # numpy.ma's median below 600 elements per slice, np.median from there
        for axis in ((1,), None):
            same(ORDER["nanmedian"](CPU, A(a[:, :n]), axis=axis), numpy(np.nanmedian, a[:, :n], axis=axis))


def test_median_not_covered():
    assert ORDER["median"](CPU, A(np.zeros((0, 3))), axis=(0,)) is NotImplemented
    assert ORDER["median"](CPU, A(np.ones(3)), axis=None, out=A(np.zeros((), np.float32))) is NotImplemented


# ---- quantiles ---------------------------------------------------------------------------------------------

def _q(name, qd):
    q = np.array([0.0, 0.13, 0.5, 0.75, 1.0])
    if name.endswith("percentile"):
        return np.array([0, 13, 50, 99, 100], np.int64) if qd == "int64" else (q * 100).astype(qd)
    return np.array([0, 1], np.int64) if qd == "int64" else q.astype(qd)


def check_quantile(name, a, q, axis=None, **kw):
    want = numpy(getattr(np, name), a, q, axis=axis, **kw)
    got = ORDER[name](CPU, A(a), A(q), axis=axis_tuple(axis), **on_device(kw))
    if isinstance(want, type):
        assert got is NotImplemented, (name, want)
    else:
        same(got, want)


@pytest.mark.parametrize("name", QUANTILES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "int16", "uint8"])
def test_quantile_methods(name, method, dtype):
    a = data(dtype, (4, 5, 6), seed=5)
    if dtype.startswith("float"):
        a[2, :, 3] = np.nan
    for qd in ("float64", "float32", "int64"):
        q = _q(name, qd)
        for axis in (None, 0, 2, (0, 2)):
            for keepdims in (False, True):
                check_quantile(name, a, q, axis, method=method, keepdims=keepdims)
    check_quantile(name, a, _q(name, "float16")[2], (1,), method=method)
    check_quantile(name, a, _q(name, "float64").reshape(1, 5), (0, 1), method=method)


@pytest.mark.parametrize("name", QUANTILES)
@pytest.mark.parametrize("method", ["linear", "lower", "hazen", "inverted_cdf"])
def test_quantile_result_dtype_follows_numpy(name, method):
    # A NaN makes a 0-d result NumPy's arr[-1] (the input's dtype); an all-NaN slice of a nan-variant is NaN
    # in the input's dtype, and NumPy's loop over slices takes the first slice's dtype.
    for dtype in ("float32", "float16"):
        for a in ([1, np.nan, 3], [np.nan, np.nan], [2.5], [[np.nan, np.nan], [1, 2]], [[1, 2], [np.nan, np.nan]]):
            a = np.array(a, dtype)
            for q in (np.array(0.5), np.array(0.5, np.float32), np.array([[0.25], [1.0]]), np.array(1)):
                q = q * 100 if name.endswith("percentile") else q
                for axis in ((None,) if a.ndim == 1 else (None, 0, 1)):
                    check_quantile(name, a, q, axis, method=method)
                    check_quantile(name, a, q, axis, method=method, keepdims=True)


@pytest.mark.parametrize("name", QUANTILES)
def test_weighted_quantiles(name):
    rng = np.random.default_rng(6)
    for dtype in ("float64", "float32", "int32"):
        a = (rng.standard_normal((3, 7)) * 5).astype(dtype)
        w = rng.random((3, 7))
        w[0, :2] = 0  # leading zero weights
        if dtype != "int32":
            a[1, 3] = np.nan
        for q in (np.array(0.5), np.array([0.0, 0.2, 1.0]), np.array([0.0, 0.2, 1.0], np.float32)):
            q = q * 100 if name.endswith("percentile") else q
            for axis in (None, 0, 1, (0, 1)):
                check_quantile(name, a, q, axis, method="inverted_cdf", weights=w)
            if not name.startswith("nan"):  # weights along the reduced axis only
                check_quantile(name, a, q, 1, method="inverted_cdf", weights=w[0])
                check_quantile(name, a, q, 0, method="inverted_cdf", weights=w[:, 0])
    a = np.arange(5.0)
    for w in (-np.ones(5), np.zeros(5), np.array([1, np.nan, 1, 1, 1.0])):  # NumPy raises: left to the host
        assert ORDER[name](CPU, A(a), A(np.array(0.5)), method="inverted_cdf", weights=A(w)) is NotImplemented


@pytest.mark.parametrize("name", QUANTILES)
def test_quantiles_not_covered(name):
    a, q = A(np.arange(6.0)), A(np.array(0.5))
    assert ORDER[name](CPU, A(np.zeros((2, 0))), q, axis=None) is NotImplemented
    assert ORDER[name](CPU, a, 0.5, axis=None) is NotImplemented  # a Python q: NumPy's weak result type
    assert ORDER[name](CPU, a, A(np.zeros((1, 1, 1))), axis=None) is NotImplemented
    assert ORDER[name](CPU, a, q, axis=None, out=A(np.zeros(()))) is NotImplemented
    assert ORDER[name](CPU, A(np.ones(3, complex)), q, axis=None) is NotImplemented


@settings(max_examples=60, deadline=None)
@given(a=hnp.arrays(st.sampled_from([np.float64, np.float32, np.float16]), hnp.array_shapes(min_dims=1, max_dims=3,
                                                                                             min_side=1, max_side=6),
                    elements=st.floats(-1e4, 1e4, width=16) | st.just(np.nan)),
       q=st.lists(st.floats(0, 1), min_size=1, max_size=4), method=st.sampled_from(METHODS),
       name=st.sampled_from(QUANTILES), data=st.data())
def test_quantile_hypothesis(a, q, method, name, data):
    a = a + 0.0  # no -0.0: which zero NumPy's introselect leaves at a position is its own choice
    axis = data.draw(st.sampled_from([None] + list(range(a.ndim))))
    q = np.array(q) * (100 if name.endswith("percentile") else 1)
    check_quantile(name, a, q, axis, method=method)
    median = "nanmedian" if name.startswith("nan") else "median"
    same(ORDER[median](CPU, A(a), axis=axis_tuple(axis)), numpy(getattr(np, median), a, axis=axis))


@pytest.mark.parametrize("name", ["nanargmax", "nanargmin"])
def test_nanargmax_nanargmin(name):
    b = data("float32", (3, 5), seed=7)
    b[0, 1] = np.nan
    for axis in (None, 0, 1):
        for keepdims in (False, True):
            same(ORDER[name](CPU, A(b), axis=axis, keepdims=keepdims),
                 getattr(np, name)(b, axis=axis, keepdims=keepdims))
    same(ORDER[name](CPU, A(data("int16", (4, 3))), axis=0), getattr(np, name)(data("int16", (4, 3)), axis=0))
    b[2] = np.nan
    assert ORDER[name](CPU, A(b), axis=1) is NotImplemented  # an all-NaN slice: NumPy raises


# ---- sets ------------------------------------------------------------------------------------------------

PAIRS = [
    (np.array([1, 2, 2, 5, 7]), np.array([2, 7, 9])),
    (np.array([1.5, np.nan, -0.0, 3]), np.array([np.nan, 0.0, 3, 3])),
    (np.array([[1, 4], [4, 1]], np.int8), np.array([4, 300], np.int16)),
    (np.array([True, False]), np.array([1, 2])),
    (np.array([], np.float32), np.array([1.0])),
    (np.array([1, 2, 3]), np.array([], np.int64)),
    (np.arange(40) % 7, np.arange(0, 400, 3)),
    (np.arange(40.0) % 7, np.arange(0, 400, 3.0)),
    (np.array([1, 1, 2, 3, 3]), np.arange(100)),
    (np.array([2, 2, 5, 1]) * 1.0, np.array([5.0] + [9.0] * 16)),      # NumPy's sort method, repeated values
    (np.array([2, 2, 5, 1]), np.array([5, 10**6] + [9] * 15)),         # ... and for integers of a wide range
    (np.array([2, 2, 5, 1], np.int8), np.array([5, 100] + [9] * 15, np.int8)),  # ... of a narrow one: the table
    (np.array([-128, 5], np.int8), np.array([127, -128, 1], np.int8)),
    (np.array([1 + 2j, 3]), np.array([3, 1 + 2j])),
]


@pytest.mark.parametrize("pair", range(len(PAIRS)))
def test_sets(pair):
    a1, a2 = PAIRS[pair]
    for assume_unique in (False, True):
        for invert in (False, True):
            for kind in (None, "sort", "table"):
                want = numpy(np.isin, a1, a2, assume_unique=assume_unique, invert=invert, kind=kind)
                got = SETS["isin"](CPU, A(a1), A(a2), assume_unique=assume_unique, invert=invert, kind=kind)
                if isinstance(want, type):
                    assert got is NotImplemented
                else:
                    same(got, want)
        for indices in (False, True):
            same(SETS["intersect1d"](CPU, A(a1), A(a2), assume_unique=assume_unique, return_indices=indices),
                 np.intersect1d(a1, a2, assume_unique=assume_unique, return_indices=indices))
        same(SETS["setdiff1d"](CPU, A(a1), A(a2), assume_unique=assume_unique),
             np.setdiff1d(a1, a2, assume_unique=assume_unique))
        same(SETS["setxor1d"](CPU, A(a1), A(a2), assume_unique=assume_unique),
             np.setxor1d(a1, a2, assume_unique=assume_unique))
    same(SETS["union1d"](CPU, A(a1), A(a2)), np.union1d(a1, a2))


def test_sets_not_covered():
    a1, a2 = A(np.array([1, 2], np.int64)), A(np.array([2], np.uint64))  # compared exactly by NumPy's table
    assert SETS["isin"](CPU, a1, a2) is NotImplemented
    assert SETS["setdiff1d"](CPU, a1, a2) is NotImplemented


@settings(max_examples=80, deadline=None)
@given(a=hnp.arrays(st.sampled_from([np.int8, np.int64, np.float32]), st.integers(0, 30),
                    elements=st.integers(-6, 6)),
       b=hnp.arrays(st.sampled_from([np.int16, np.float64, np.uint8]), st.integers(0, 60), elements=st.integers(0, 8)),
       assume_unique=st.booleans(), invert=st.booleans())
def test_sets_hypothesis(a, b, assume_unique, invert):
    same(SETS["isin"](CPU, A(a), A(b), assume_unique=assume_unique, invert=invert),
         np.isin(a, b, assume_unique=assume_unique, invert=invert))
    same(SETS["setdiff1d"](CPU, A(a), A(b), assume_unique=assume_unique),
         np.setdiff1d(a, b, assume_unique=assume_unique))
    same(SETS["setxor1d"](CPU, A(a), A(b), assume_unique=assume_unique), np.setxor1d(a, b, assume_unique=assume_unique))
    same(SETS["intersect1d"](CPU, A(a), A(b), return_indices=True), np.intersect1d(a, b, return_indices=True))
    same(SETS["union1d"](CPU, A(a), A(b)), np.union1d(a, b))


# ---- bincount, digitize ------------------------------------------------------------------------------------

def test_bincount():
    rng = np.random.default_rng(8)
    for x in (np.array([0, 1, 1, 3, 7, 1], np.int32), np.array([], np.int64), np.array([True, False, True]),
              np.array([5], np.uint8)):
        for minlength in (0, 3, 10):
            same(HIST["bincount"](CPU, A(x), minlength=minlength), np.bincount(x, minlength=minlength))
            w = rng.standard_normal(x.size) * 1e3
            for wd in (np.float64, np.float32, np.float16, np.int64, np.bool_):
                same(HIST["bincount"](CPU, A(x), weights=A(w.astype(wd)), minlength=minlength),
                     np.bincount(x, weights=w.astype(wd), minlength=minlength))
    x, w = rng.integers(0, 50, 100000), rng.standard_normal(100000) * 1e6  # long bins: the order of the sums shows
    same(HIST["bincount"](CPU, A(x), weights=A(w)), np.bincount(x, weights=w))
    assert HIST["bincount"](CPU, A(x[:3]), weights=A(w[:3] + 1j)) is NotImplemented


def test_digitize():
    v = np.array([0.2, 6.4, 3.0, 1.6, 1.0, 4, 10, -1, np.nan, np.inf])
    for bins in (np.array([0.0, 1.0, 2.5, 4.0, 10.0]), np.array([10, 4, 4, 1]), np.array([1.0, 1.0, 1.0]),
                 np.array([2.0]), np.array([], float), np.array([np.nan, 1, 2]), np.array([1, 1, 0, 0]),
                 np.array([1, 1, 3, 2]), np.array([3, 2, 5.0]), np.array([1, np.nan, 2])):
        for right in (False, True):
            for x in (v, v.astype(np.float32), np.array(2.0), np.array([[1, 4], [10, 0]], np.int8)):
                want = numpy(np.digitize, x, bins, right=right)
                got = HIST["digitize"](CPU, A(x), A(bins), right=right)
                if isinstance(want, type):
                    assert got is NotImplemented
                else:
                    same(got, want)


# ---- histograms --------------------------------------------------------------------------------------------

BINS = [{}, {"bins": 7}, {"bins": 5, "range": (-10, 10)}, {"bins": 5, "range": (-10.5, 10.25)}, {"bins": 1},
        {"bins": "auto"}, {"bins": "fd"}, {"bins": "sqrt"}, {"bins": "rice"}, {"bins": "sturges"},
        {"bins": "auto", "range": (0, 7)}, {"bins": np.array([-20.0, -3, 0, 0.5, 2, 30])},
        {"bins": np.array([-3, 0, 2, 5])}, {"density": True}, {"bins": np.array([-2.0, 0, 7]), "density": True},
        {"bins": 4, "range": (3, 3)}]


def check_histogram(a, kw, weights=None):
    kw = dict(kw, weights=weights) if weights is not None else kw
    want = numpy(np.histogram, a, **kw)
    got = HIST["histogram"](CPU, A(a), **on_device(kw))
    if isinstance(want, type):
        assert got is NotImplemented
        return
    if got is NotImplemented:  # declared: complex weights with explicit edges
        assert weights is not None and weights.dtype.kind == "c" and isinstance(kw.get("bins"), np.ndarray)
        return
    same(got, want)
    if "density" not in kw:
        same(HIST["histogram_bin_edges"](CPU, A(a), **on_device(kw)), np.histogram_bin_edges(a, **kw))


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "int64", "int8", "uint8", "bool"])
@pytest.mark.parametrize("kw", range(len(BINS)))
def test_histogram(dtype, kw):
    rng = np.random.default_rng(9)
    a = rng.standard_normal(3000) * 20
    a = a > 0 if dtype == "bool" else a.astype(dtype)
    w = rng.random(a.size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy's "Converting input from bool to uint8"
        check_histogram(a, BINS[kw])
        for weights in (w, w.astype(np.float32), w.astype(np.float16), (w * 10).astype(np.int64),
                        (w * 10).astype(np.int8), (w * 300).astype(np.uint8), w + 1j * w[::-1],
                        (w + 1j * w[::-1]).astype(np.complex64), w > 0.5):
            check_histogram(a, BINS[kw], weights)


def test_histogram_blocks():
    """More than one of NumPy's 65536-element blocks: its per-block sums, and its per-block sort and cumsum."""
    rng = np.random.default_rng(10)
    a, w = rng.standard_normal(200001), rng.random(200001)  # distinct values: one order of the sums
    for kw in ({"bins": 13}, {"bins": np.array([-2.0, -1, 0, 0.5, 3])}, {"bins": 3, "range": (-1, 1)}):
        for weights in (w, w.astype(np.float32), w.astype(np.float16), w + 2j * w, (w * 9).astype(np.int16)):
            check_histogram(a, kw, weights)
    assert HIST["histogram"](CPU, A(a), bins=5, weights=A((w + 1j).astype(np.complex64))) is NotImplemented
    # Repeated values with weights and explicit edges: NumPy adds equal values' weights in its unstable sort's
    # order, so the sums agree to rounding.
    ai = rng.integers(-5, 5, 150000).astype(np.int16)
    got = HIST["histogram"](CPU, A(ai), bins=A(np.array([-3.0, 0, 2])), weights=A(w[:150000]))
    want = np.histogram(ai, bins=np.array([-3.0, 0, 2]), weights=w[:150000])
    np.testing.assert_allclose(rp.asnumpy(got[0]), want[0], rtol=1e-12)
    same(got[1], want[1])


@settings(max_examples=60, deadline=None)
@given(a=hnp.arrays(st.sampled_from([np.float64, np.float32, np.int16]), st.integers(0, 200),
                    elements=st.integers(-50, 50)),
       bins=st.integers(1, 12), low=st.integers(-60, 0), width=st.integers(0, 80), data=st.data())
def test_histogram_hypothesis(a, bins, low, width, data):
    w = data.draw(hnp.arrays(np.float64, a.shape, elements=st.floats(-1e6, 1e6)))
    edges = np.unique(data.draw(hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-60, 60))))
    for kw in ({"bins": bins}, {"bins": bins, "range": (low, low + width)}, {"bins": edges}):
        check_histogram(a, kw)
        check_histogram(a, kw, w)
    x = np.abs(a).astype(np.int64)
    same(HIST["bincount"](CPU, A(x), weights=A(w), minlength=bins), np.bincount(x, weights=w, minlength=bins))


def test_histogram_not_covered():
    a = A(np.arange(10.0))
    for bins in ("scott", "doane", "stone", "bogus"):
        assert HIST["histogram"](CPU, a, bins=bins) is NotImplemented
    assert HIST["histogram"](CPU, a, bins=A(np.array([0.0, 2, 1]))) is NotImplemented  # NumPy raises
    assert HIST["histogram"](CPU, a, bins=3, range=(0, np.inf)) is NotImplemented
    assert HIST["histogram"](CPU, A(np.array([1.0, np.nan])), bins=3) is NotImplemented
    assert HIST["histogram"](CPU, A(np.ones(3, complex))) is NotImplemented


def test_histogram2d_histogramdd():
    rng = np.random.default_rng(11)
    x, y, w = rng.standard_normal(500), rng.standard_normal(500).astype(np.float32), rng.random(500)
    for kw in ({}, {"bins": [3, 4]}, {"bins": 5, "range": [[-1, 1], [0, 2]]}, {"bins": [[-1.0, 0, 1], 3]},
               {"bins": [-2.0, -1, 0, 1, 2]}, {"bins": np.array([-2.0, 0, 1, 2])}, {"density": True},
               {"weights": w}, {"weights": w, "density": True, "bins": [2, [0, 1, 3]]}, {"bins": [0, 1]},
               {"bins": 2, "range": [[1, 0], [0, 1]]}):
        want = numpy(np.histogram2d, x, y, **kw)
        got = HIST["histogram2d"](CPU, A(x), A(y), **on_device(kw))
        if isinstance(want, type):
            assert got is NotImplemented
        else:
            same(got, want)
    s = rng.random((40, 3))
    for kw in ({"bins": (2, 3, [0.0, 0.5, 1.0])}, {"bins": 4}, {"weights": s[:, 0]},
               {"bins": 3, "range": [None, (0, 1), (0.2, 0.3)], "density": True}):
        same(HIST["histogramdd"](CPU, A(s), **on_device(kw)), np.histogramdd(s, **kw))
    same(HIST["histogramdd"](CPU, A(np.zeros((0, 2))), bins=3), np.histogramdd(np.zeros((0, 2)), bins=3))
    ones = np.ones((5, 2), np.int16)
    same(HIST["histogramdd"](CPU, A(ones), bins=2), np.histogramdd(ones, bins=2))


# ---- the segment kernels -----------------------------------------------------------------------------------

def test_segment_kernels_compile_with_nvrtc_for_sm90():
    driver = pytest.importorskip("rdnarray._backend.driver", reason="the driver module is not built")
    try:
        rtc = driver.load_rtc("cuda")
    except driver.Unavailable as e:
        pytest.skip(f"NVRTC is not installed: {e}")
    sources = {}
    for src, name in segments.examples():
        assert "/*@" not in src
        sources.setdefault(src, []).append(name)
    for src, names in sources.items():
        image = rtc.compile(src, names[0], [f"-I{compiler.source_dir()}"], "sm_90")
        assert image[:4] == b"\x7fELF" and all(n.encode() in image for n in names)


class HostKernels:
    """The host backend, except that kernels/segments.py takes its GPU path: its kernels are compiled by g++
    and run by tests/kernel_host_emu.h on this memory (the compositions' other operations are NumPy's)."""
    kind = "gpu"
    stream = 0

    def __init__(self, workdir):
        from test_kernel_sort_sources import EmuBackend
        self._host, self._emu = CPU, EmuBackend(workdir)
        self.props, self.driver = self._emu.props, self._emu.driver

    def function(self, source, name, options=()):
        return self._emu.function(source, name, options)

    def contiguous(self, x):
        return self._emu.contiguous(x)

    def __getattr__(self, name):
        return getattr(self._host, name)


@pytest.fixture(scope="module")
def emu(tmp_path_factory):
    if shutil.which("g++") is None:
        pytest.skip("g++ not found")
    return HostKernels(tmp_path_factory.mktemp("segments"))


def test_emulated_segment_kernels(emu):
    rng = np.random.default_rng(12)
    v = rng.standard_normal(3000) * 1e4
    bounds = np.concatenate([[0], np.sort(rng.integers(0, 3000, 40)), [3000]])
    # (each pair compiles two kernels with g++: a few that cover conversions, float16's rounding, integer wrap)
    for in_t, acc in ((np.float64, np.float64), (np.float32, np.float64), (np.float16, np.float16),
                      (np.int8, np.int8), (np.bool_, np.bool_)):
        x = v.astype(in_t)
        want = np.zeros(bounds.size - 1, acc)
        np.add.at(want, np.repeat(np.arange(bounds.size - 1), np.diff(bounds)), x.astype(acc))
        same(segments.segment_sum(emu, A(x), A(bounds), acc), want)
        same(segments.segment_sum(CPU, A(x), A(bounds), acc), want)
        rows = x[:2990].reshape(13, 230)
        same(segments.row_cumsum(emu, A(rows), acc), np.cumsum(rows, axis=-1, dtype=acc))
        same(segments.row_cumsum(CPU, A(rows), acc), np.cumsum(rows, axis=-1, dtype=acc))
    same(segments.segment_sum(emu, A(v[:0]), A(np.zeros(1, np.int64)), np.float64), np.zeros(0))


def test_emulated_compositions(emu):
    """The compositions with the kernels in them: weighted bincount, histograms and quantiles."""
    rng = np.random.default_rng(13)
    x, w = rng.integers(0, 30, 5000), rng.standard_normal(5000) * 1e5
    same(HIST["bincount"](emu, A(x), weights=A(w), minlength=40), np.bincount(x, weights=w, minlength=40))
    a = rng.standard_normal(70000)
    for kw in ({"bins": 9}, {"bins": np.array([-1.0, 0, 0.25, 2])}):
        for weights in (w[:1].repeat(70000) * rng.random(70000), (rng.random(70000)).astype(np.float16)):
            same(HIST["histogram"](emu, A(a), weights=A(weights), **on_device(kw)),
                 np.histogram(a, weights=weights, **kw))
    b = data("float64", (4, 50), seed=14)
    for name in ("quantile", "nanquantile"):
        weights = rng.random(b.shape)
        same(ORDER[name](emu, A(b), A(np.array([0.1, 0.9])), axis=(1,), method="inverted_cdf", weights=A(weights)),
             numpy(getattr(np, name), b, np.array([0.1, 0.9]), axis=1, method="inverted_cdf", weights=weights))


# ---- on a GPU ----------------------------------------------------------------------------------------------

class _Watch:
    """Counts the GPU backend's host fallbacks and device-to-host transfers while compositions run."""

    def __init__(self, backend, monkeypatch):
        self.fallbacks, self.transfers = [], 0
        run_on_host, to_numpy, host_into = backend._run_on_host, backend.to_numpy, backend._host_into

        def _run_on_host(name, args, kwargs):
            self.fallbacks.append(name)
            return run_on_host(name, args, kwargs)

        def _to_numpy(x):
            self.transfers += 1
            return to_numpy(x)

        def _host_into(target, work):
            self.fallbacks.append("a reduction")
            return host_into(target, work)

        monkeypatch.setattr(backend, "_run_on_host", _run_on_host)
        monkeypatch.setattr(backend, "to_numpy", _to_numpy)
        monkeypatch.setattr(backend, "_host_into", _host_into)

    def run(self, fn, *args, **kwargs):
        """fn's result, with (fallbacks other than creation from Python numbers, transfers) during the call."""
        self.fallbacks, self.transfers = [], 0
        r = fn(*args, **kwargs)
        return r, sorted(set(self.fallbacks) - {"arange", "full"}), self.transfers


@gpu
def test_on_gpu_against_numpy(monkeypatch):
    g = get("gpu")
    watch = _Watch(g, monkeypatch)
    a = data("float32", (6, 300), seed=15)
    x, w = data("int64", (5000,)) + 20, np.random.default_rng(16).standard_normal(5000)
    s1, s2 = np.arange(100) % 17, np.arange(0, 300, 7)
    edges = np.array([-1.0, 0, 2])
    # (composition, arguments, NumPy's result, device-to-host transfers it may make)
    cases = [
        (ORDER["median"], (A(a, "gpu"),), {"axis": (1,)}, np.median(a, axis=1), 0),
        (ORDER["nanmedian"], (A(a, "gpu"),), {"axis": None}, np.nanmedian(a), 0),
        (ORDER["percentile"], (A(a, "gpu"), A(np.array([5.0, 50, 95]), "gpu")), {"axis": (1,)},
         np.percentile(a, np.array([5.0, 50, 95]), axis=1), 0),
        (ORDER["nanquantile"], (A(a, "gpu"), A(np.array(0.3), "gpu")), {"axis": (0,), "method": "hazen"},
         np.nanquantile(a, np.array(0.3), axis=0, method="hazen"), 1),  # is the first slice all NaN?
        (ORDER["partition"], (A(a, "gpu"), 3), {"axis": 1}, np.sort(a, axis=1), 0),
        (HIST["bincount"], (A(x, "gpu"),), {"weights": A(w, "gpu")}, np.bincount(x, weights=w), 1),  # its length
        (HIST["histogram"], (A(w, "gpu"),), {"bins": A(edges, "gpu"), "weights": A(w, "gpu")},
         np.histogram(w, bins=edges, weights=w), 1),  # are the edges increasing?
        (HIST["histogram"], (A(w, "gpu"),), {"bins": 10, "range": (-2, 2)}, np.histogram(w, bins=10, range=(-2, 2)),
         0),
        (HIST["histogram"], (A(w, "gpu"),), {"bins": 10, "weights": A(w, "gpu")}, np.histogram(w, bins=10, weights=w),
         1),  # the data's min and max
        (HIST["digitize"], (A(w, "gpu"), A(edges, "gpu")), {}, np.digitize(w, edges), 1),  # the bins' direction
        (SETS["isin"], (A(s1, "gpu"), A(s2, "gpu")), {}, np.isin(s1, s2), 0),
        (SETS["intersect1d"], (A(s1, "gpu"), A(s2, "gpu")), {"return_indices": True},
         np.intersect1d(s1, s2, return_indices=True), 3),  # the sizes of two unique and one compaction
        (SETS["setxor1d"], (A(s1, "gpu"), A(s2, "gpu")), {}, np.setxor1d(s1, s2), 3),
    ]
    for fn, args, kwargs, want, transfers in cases:
        got, fallbacks, made = watch.run(fn, g, *args, **kwargs)
        assert fallbacks == [] and made <= transfers, (fn.__name__, fallbacks, made)
        for r in (got if isinstance(got, tuple) else (got,)):
            assert r.device == A(a, "gpu").device
        same(got, want, bits=False)
