"""Reductions, scans and statistics against NumPy: values, dtypes, axes, keepdims, empty/0-d/strided
inputs, out= checks that write nothing on failure, and the ufunc methods that ride on the same core."""
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import rdnarray as rp
from devices import ON_CPU
from rdnarray._core import dtypes as _dt

DTYPES = ["bool", "int8", "int32", "uint8", "uint64", "float16", "float32", "float64", "complex128"]

# (rdnarray function, NumPy function, category of accepted dtypes)
REDUCTIONS = [
    (rp.sum, np.sum, "numeric"), (rp.prod, np.prod, "numeric"), (rp.max, np.max, "any"),
    (rp.min, np.min, "any"), (rp.mean, np.mean, "numeric"), (rp.var, np.var, "numeric"),
    (rp.std, np.std, "numeric"), (rp.all, np.all, "any"), (rp.any, np.any, "any"),
    (rp.nansum, np.nansum, "numeric"), (rp.nanprod, np.nanprod, "numeric"),
    (rp.nanmax, np.nanmax, "real-valued"), (rp.nanmin, np.nanmin, "real-valued"),
    (rp.nanmean, np.nanmean, "numeric"), (rp.nanvar, np.nanvar, "numeric"), (rp.nanstd, np.nanstd, "numeric"),
    (rp.ptp, np.ptp, "numeric without boolean"), (rp.median, np.median, "real-valued"),
    (rp.nanmedian, np.nanmedian, "real-valued"),
]
IDS = [f[1].__name__ for f in REDUCTIONS]


def data(shape, dtype, seed=0):
    """Small values (products stay exact) with a few zeros; bools mixed."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.random(shape) > 0.3
    vals = rng.integers(0, 4, shape)
    if dt.kind == "c":
        return (vals + 1j * rng.integers(0, 3, shape)).astype(dt)
    if dt.kind == "f":
        return (vals * 0.5 + 0.25).astype(dt)
    return vals.astype(dt)


def check(result, expected, exact=True):
    assert isinstance(result, rp.ndarray)
    expected = np.asarray(expected)
    got = rp.asnumpy(result)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    if exact and (ON_CPU or got.dtype.kind not in "fc"):
        assert_array_equal(got, expected)
    elif exact:  # a GPU reduces floats in another order (a tree; Welford for var): within a few ulp
        eps = np.finfo(got.dtype).eps
        scale = np.max(np.abs(expected[np.isfinite(expected)]), initial=0.0)
        assert_allclose(got, expected, rtol=8 * eps, atol=8 * eps * scale, equal_nan=True)
    else:
        assert_allclose(got, expected, rtol=1e-3 if got.dtype == np.float16 else 1e-6, equal_nan=True)


def numpy_or_error(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args, **kw), None
        except Exception as e:  # noqa: BLE001 - the type is what we compare
            return None, type(e)


@pytest.mark.parametrize("fns", REDUCTIONS, ids=IDS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_matches_numpy(fns, dtype, axis, keepdims):
    f, nf, category = fns
    a = data((2, 3, 4), dtype)
    if not _dt.in_category(np.dtype(dtype), category):
        with pytest.raises(TypeError, match=f.__name__):
            f(rp.asarray(a), axis=axis, keepdims=keepdims)
        return
    expected, err = numpy_or_error(nf, a, axis=axis, keepdims=keepdims)
    if err is not None:
        with pytest.raises(err):
            f(rp.asarray(a), axis=axis, keepdims=keepdims)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(f(rp.asarray(a), axis=axis, keepdims=keepdims), expected)


@pytest.mark.parametrize("fns", REDUCTIONS, ids=IDS)
def test_reduction_of_strided_views(fns):
    f, nf, _ = fns
    base = data((6, 8), "float64", seed=1)
    for view in (base[::2, 1::3], base.T, base[::-1, ::-2]):
        for axis in (None, 0, 1):
            check(f(rp.asarray(view), axis=axis), nf(view, axis=axis))
    x = rp.asarray(base)
    check(f(x.T, axis=0), nf(base.T, axis=0))


@pytest.mark.parametrize("fns", REDUCTIONS, ids=IDS)
@pytest.mark.parametrize("shape,axis", [((0,), None), ((0, 3), 0), ((3, 0), 0), ((3, 0), 1), ((), None)])
def test_reduction_of_empty_and_0d(fns, shape, axis):
    f, nf, _ = fns
    a = data(shape, "float32")
    expected, err = numpy_or_error(nf, a, axis=axis)
    if err is not None:
        with pytest.raises(err):
            f(rp.asarray(a), axis=axis)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(f(rp.asarray(a), axis=axis), expected)


def test_full_reduction_is_0d_array():
    r = rp.sum(rp.asarray([1, 2, 3]))
    assert isinstance(r, rp.ndarray) and r.shape == () and r.dtype == np.int64


def test_empty_max_names_the_op():
    with pytest.raises(ValueError, match="max"):
        rp.max(rp.asarray(np.zeros((0, 2))), axis=0)
    with pytest.raises(ValueError, match="nanmin"):
        rp.nanmin(rp.asarray(np.zeros(0)))
    check(rp.max(rp.asarray(np.zeros(0)), initial=-1.0), np.max(np.zeros(0), initial=-1.0))
    check(rp.sum(rp.asarray(np.zeros(0, np.int8))), np.sum(np.zeros(0, np.int8)))


@pytest.mark.parametrize("dtype,expected", [
    ("bool", "int64"), ("int8", "int64"), ("int32", "int64"), ("uint8", "uint64"), ("uint32", "uint64"),
    ("float16", "float16"), ("float32", "float32"), ("complex64", "complex64")])
def test_sum_prod_dtypes_follow_array_api(dtype, expected):
    x = rp.asarray(data((4,), dtype))
    assert rp.sum(x).dtype == np.dtype(expected)
    assert rp.prod(x).dtype == np.dtype(expected)
    assert rp.cumulative_sum(x).dtype == np.dtype(expected)


def test_dtype_argument():
    a = np.full(300, 100, np.int8)
    check(rp.sum(rp.asarray(a), dtype=rp.int8), np.sum(a, dtype=np.int8))
    check(rp.sum(rp.asarray(a), dtype=rp.float32), np.sum(a, dtype=np.float32))
    check(rp.mean(rp.asarray(a), dtype=rp.float32), np.mean(a, dtype=np.float32))
    assert rp.var(rp.asarray(np.ones(3, np.complex64))).dtype == np.float32
    assert rp.mean(rp.asarray(np.arange(3))).dtype == np.float64
    with pytest.raises(TypeError):
        rp.sum(rp.asarray(a), dtype="U4")


def test_var_std_correction_and_ddof():
    a = data((4, 5), "float64")
    x = rp.asarray(a)
    check(rp.var(x, axis=1, correction=1), np.var(a, axis=1, ddof=1))
    check(rp.std(x, correction=1.5), np.std(a, ddof=1.5))
    check(rp.var(x, ddof=1), np.var(a, ddof=1))
    check(rp.nanstd(x, axis=0, correction=1), np.nanstd(a, axis=0, ddof=1))
    with pytest.raises(ValueError, match="var"):
        rp.var(x, ddof=1, correction=1)
    with pytest.raises(TypeError, match="mean"):
        rp.var(x, mean=rp.mean(x))


def test_axis_errors():
    x = rp.asarray(np.ones((2, 3)))
    with pytest.raises(ValueError, match="sum"):
        rp.sum(x, axis=(0, 0))
    with pytest.raises(ValueError):
        rp.sum(x, axis=(1, -1))
    with pytest.raises(np.exceptions.AxisError, match="mean"):
        rp.mean(x, axis=2)
    with pytest.raises(np.exceptions.AxisError):
        rp.max(x, axis=(-3,))
    with pytest.raises(np.exceptions.AxisError):
        rp.sum(rp.asarray(1.0), axis=0)
    with pytest.raises(TypeError, match="where"):
        rp.sum(x, where=rp.asarray([True, False, True]))


def test_numpy_positional_arguments():
    a = data((3, 4), "int32")
    check(rp.sum(rp.asarray(a), 1), np.sum(a, 1))
    check(rp.max(rp.asarray(a), 0), np.max(a, 0))
    check(rp.amax(rp.asarray(a), 0), np.amax(a, 0))
    check(rp.asarray(a).sum(axis=0), a.sum(axis=0))
    check(rp.asarray(a).std(axis=1, ddof=1), a.std(axis=1, ddof=1))


# -- out= ---------------------------------------------------------------------------------------------------
def test_out_is_written_and_returned():
    a = data((3, 4), "float64")
    out = rp.asarray(np.zeros(4))
    r = rp.sum(rp.asarray(a), axis=0, out=out)
    assert r is out
    assert_array_equal(rp.asnumpy(out), a.sum(axis=0))
    out = rp.asarray(np.zeros(4, np.float32))  # same_kind down-cast is allowed
    assert rp.mean(rp.asarray(a), axis=0, out=out) is out
    assert_allclose(rp.asnumpy(out), a.mean(axis=0), rtol=1e-6)
    out = rp.asarray(np.zeros(12))
    assert rp.cumsum(rp.asarray(a), out=out) is out
    assert_array_equal(rp.asnumpy(out), np.cumsum(a))
    out = rp.asarray(np.zeros(3))
    assert rp.percentile(rp.asarray(a), 50, axis=1, out=out) is out
    assert_array_equal(rp.asnumpy(out), np.percentile(a, 50, axis=1))


@pytest.mark.parametrize("call", [
    lambda x, o: rp.sum(x, axis=0, out=o),
    lambda x, o: rp.mean(x, axis=0, out=o),
    lambda x, o: rp.max(x, axis=0, out=o),
    lambda x, o: rp.median(x, axis=0, out=o),
    lambda x, o: rp.cumsum(x, axis=0, out=o),
    lambda x, o: rp.percentile(x, 50, axis=0, out=o),
    lambda x, o: rp.nanargmax(x, axis=0, out=o),
    lambda x, o: rp.add.reduce(x, axis=0, out=o),
    lambda x, o: rp.subtract.reduce(x, axis=0, out=o),
    lambda x, o: rp.subtract.accumulate(x, axis=0, out=o),
])
def test_failing_out_writes_nothing(call):
    x = rp.asarray(data((3, 4), "float64"))
    good = call(x, None)
    wrong_kind = np.bool_ if good.dtype.kind in "iu" else np.int16
    bad = [
        (rp.asarray(np.full(good.shape + (2,), 7.0)), ValueError),       # wrong shape
        (rp.asarray(np.full((5,) + good.shape, 7.0)), ValueError),       # wrong shape
        (rp.asarray(np.full(good.shape, 7, wrong_kind)), TypeError),     # not a same_kind cast
        (np.full(good.shape, 7.0), TypeError),                           # not an rdnarray array
    ]
    for out, err in bad:
        before = np.array(rp.asnumpy(out) if isinstance(out, rp.ndarray) else out)
        with pytest.raises(err):
            call(x, out)
        after = rp.asnumpy(out) if isinstance(out, rp.ndarray) else out
        assert_array_equal(after, before)
    ro = np.full(good.shape, 7.0)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        call(rp.asarray(rp.asnumpy(x), device="cpu"), rp.asarray(ro, device="cpu"))  # shares the read-only memory
    assert_array_equal(ro, 7.0)


def test_empty_max_with_out_writes_nothing():
    out = rp.asarray(np.full(3, 5.0))
    with pytest.raises(ValueError):
        rp.max(rp.asarray(np.zeros((0, 3))), axis=0, out=out)
    assert_array_equal(rp.asnumpy(out), 5.0)


# -- cumulative -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["bool", "int8", "uint16", "float32", "complex128"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_numpy_scans(dtype, axis):
    a = data((3, 4), dtype)
    for f, nf in ((rp.cumsum, np.cumsum), (rp.cumprod, np.cumprod), (rp.nancumsum, np.nancumsum),
                  (rp.nancumprod, np.nancumprod)):
        check(f(rp.asarray(a), axis=axis), nf(a, axis=axis))
    check(rp.cumsum(rp.asarray(a[::-1, ::2]), axis=axis), np.cumsum(a[::-1, ::2], axis=axis))
    wide = rp.complex128 if a.dtype.kind == "c" else rp.float64
    check(rp.cumsum(rp.asarray(a), axis=axis, dtype=wide), np.cumsum(a, axis=axis, dtype=wide))


@pytest.mark.parametrize("include_initial", [False, True])
@pytest.mark.parametrize("shape,axis", [((5,), None), ((3, 4), 0), ((3, 4), -1), ((0, 3), 0), ((3, 0), 1),
                                        ((), None)])
def test_cumulative_sum_prod(shape, axis, include_initial):
    for dtype in ("int16", "uint8", "float32"):
        a = data(shape, dtype)
        for f, nf in ((rp.cumulative_sum, np.cumulative_sum), (rp.cumulative_prod, np.cumulative_prod)):
            check(f(rp.asarray(a), axis=axis, include_initial=include_initial),
                  nf(a, axis=axis, include_initial=include_initial))
    a = data((3, 4), "int8")
    check(rp.cumulative_sum(rp.asarray(a), axis=1, dtype=rp.int8), np.cumulative_sum(a, axis=1, dtype=np.int8))


def test_cumulative_errors():
    with pytest.raises(ValueError, match="axis"):
        rp.cumulative_sum(rp.asarray(np.ones((2, 2))))
    with pytest.raises(np.exceptions.AxisError):
        rp.cumulative_prod(rp.asarray(np.ones(2)), axis=1)
    with pytest.raises(TypeError):
        rp.cumsum(rp.asarray(np.ones(2)), axis=(0,))


# -- diff -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["bool", "int8", "uint8", "float64", "complex128"])
def test_diff(dtype):
    a = data((4, 5), dtype)
    x = rp.asarray(a)
    for n in (0, 1, 2, 6):
        for axis in (0, -1):
            check(rp.diff(x, n=n, axis=axis), np.diff(a, n=n, axis=axis))
    check(rp.diff(rp.asarray(a.T[::-1])), np.diff(a.T[::-1]))
    pre, app = data((4, 2), dtype, 3), data((4, 1), dtype, 4)
    check(rp.diff(x, prepend=rp.asarray(pre), append=rp.asarray(app)), np.diff(a, prepend=pre, append=app))
    check(rp.diff(x, axis=0, prepend=1), np.diff(a, axis=0, prepend=1))


def test_diff_errors():
    x = rp.asarray(np.ones((2, 3)))
    with pytest.raises(ValueError, match="diff"):
        rp.diff(rp.asarray(1.0))
    with pytest.raises(ValueError, match="diff"):
        rp.diff(x, n=-1)
    with pytest.raises(ValueError, match="prepend"):
        rp.diff(x, prepend=rp.asarray(np.ones((3, 3))))
    with pytest.raises(np.exceptions.AxisError):
        rp.diff(x, axis=2)


# -- order statistics, averages, histograms ----------------------------------------------------------------
@pytest.mark.parametrize("method", ["linear", "lower", "nearest", "median_unbiased"])
def test_percentile_quantile(method):
    a = data((4, 6), "float64")
    a[1, 2] = np.nan
    x = rp.asarray(a)
    for q, axis, keepdims in ((50, None, False), ([10, 90], 1, False), (np.array([[5.0]]), (0, 1), True)):
        qq = np.asarray(q) / 100
        check(rp.percentile(x, q, axis=axis, method=method, keepdims=keepdims),
              np.percentile(a, q, axis=axis, method=method, keepdims=keepdims))
        check(rp.quantile(x, rp.asarray(qq), axis=axis, method=method, keepdims=keepdims),
              np.quantile(a, qq, axis=axis, method=method, keepdims=keepdims))
        check(rp.nanpercentile(x, q, axis=axis, method=method), np.nanpercentile(a, q, axis=axis, method=method))
        check(rp.nanquantile(x, qq, axis=axis, method=method), np.nanquantile(a, qq, axis=axis, method=method))
    with pytest.raises(ValueError, match="percentile"):
        rp.percentile(x, 101)
    with pytest.raises(ValueError, match="quantile"):
        rp.quantile(x, [0.5, -0.1])
    with pytest.raises(ValueError, match="method"):
        rp.quantile(x, 0.5, method="bogus")
    with pytest.raises(TypeError):
        rp.percentile(rp.asarray(np.ones(3, complex)), 50)


def test_nanargmax_nanargmin():
    a = data((3, 4), "float64")
    a[0, 1] = np.nan
    x = rp.asarray(a)
    for axis in (None, 0, -1):
        check(rp.nanargmax(x, axis=axis), np.nanargmax(a, axis=axis))
        check(rp.nanargmin(x, axis=axis, keepdims=True), np.nanargmin(a, axis=axis, keepdims=True))
    with pytest.raises(ValueError, match="nanargmax"):
        rp.nanargmax(rp.asarray(np.zeros(0)))
    with pytest.raises(np.exceptions.AxisError):
        rp.nanargmin(x, axis=3)


def test_average():
    a = data((3, 4), "float64")
    w = data((3, 4), "float64", seed=5)
    x = rp.asarray(a)
    check(rp.average(x), np.average(a))
    check(rp.average(x, axis=1, weights=rp.asarray(w)), np.average(a, axis=1, weights=w), exact=False)
    check(rp.average(x, axis=0, weights=w[:, 0]), np.average(a, axis=0, weights=w[:, 0]), exact=False)
    avg, sw = rp.average(x, axis=1, returned=True)
    navg, nsw = np.average(a, axis=1, returned=True)
    check(avg, navg)
    check(sw, nsw)
    avg, sw = rp.average(x, axis=0, weights=w, returned=True, keepdims=True)
    navg, nsw = np.average(a, axis=0, weights=w, returned=True, keepdims=True)
    check(avg, navg, exact=False)
    check(sw, nsw)
    with pytest.raises(ValueError, match="average"):
        rp.average(x, weights=np.ones(3))


def test_histograms():
    rng = np.random.default_rng(0)
    a = rng.normal(size=50)
    w = rng.random(50)
    x = rp.asarray(a)
    for kw in ({}, {"bins": 5, "range": (-1, 1)}, {"bins": "auto"}, {"bins": [-2.0, 0.0, 0.5, 2.0]},
               {"density": True, "weights": w}):
        rkw = {k: (rp.asarray(v) if isinstance(v, np.ndarray) else v) for k, v in kw.items()}
        h, e = rp.histogram(x, **rkw)
        nh, ne = np.histogram(a, **kw)
        check(h, nh, exact=False)
        check(e, ne)
        if "density" not in kw:
            check(rp.histogram_bin_edges(x, **rkw), np.histogram_bin_edges(a, **kw))
    y = rng.normal(size=50)
    h, ex, ey = rp.histogram2d(x, rp.asarray(y), bins=[3, 4])
    nh, nex, ney = np.histogram2d(a, y, bins=[3, 4])
    check(h, nh)
    check(ex, nex)
    check(ey, ney)
    s = rng.random((20, 3))
    h, edges = rp.histogramdd(rp.asarray(s), bins=(2, 3, [0.0, 0.5, 1.0]))
    nh, nedges = np.histogramdd(s, bins=(2, 3, [0.0, 0.5, 1.0]))
    check(h, nh)
    for e, ne in zip(edges, nedges):
        check(e, ne)
    with pytest.raises(ValueError, match="histogram"):
        rp.histogram(x, bins=0)
    with pytest.raises(ValueError, match="range"):
        rp.histogram(x, range=(1, 0))
    with pytest.raises(ValueError, match="weights"):
        rp.histogram(x, weights=rp.asarray(np.ones(3)))
    with pytest.raises(ValueError, match="histogram2d"):
        rp.histogram2d(x, rp.asarray(np.ones(3)))


def test_bincount_digitize():
    a = np.array([0, 1, 1, 3, 7, 1], np.int32)
    w = np.linspace(0, 1, 6)
    check(rp.bincount(rp.asarray(a)), np.bincount(a))
    check(rp.bincount(rp.asarray(a), weights=rp.asarray(w), minlength=10), np.bincount(a, weights=w, minlength=10))
    check(rp.bincount(rp.asarray(np.zeros(0, np.int64))), np.bincount(np.zeros(0, np.int64)))
    with pytest.raises(ValueError, match="negative"):
        rp.bincount(rp.asarray([1, -1]))
    with pytest.raises(TypeError, match="bincount"):
        rp.bincount(rp.asarray([1.0]))
    with pytest.raises(ValueError, match="bincount"):
        rp.bincount(rp.asarray(np.ones((2, 2), int)))
    v = np.array([0.2, 6.4, 3.0, 1.6, 1.0])
    bins = np.array([0.0, 1.0, 2.5, 4.0, 10.0])
    for right in (False, True):
        check(rp.digitize(rp.asarray(v), rp.asarray(bins), right=right), np.digitize(v, bins, right=right))
        check(rp.digitize(rp.asarray(v), rp.asarray(bins[::-1]), right=right), np.digitize(v, bins[::-1], right=right))
    with pytest.raises(ValueError, match="digitize"):
        rp.digitize(rp.asarray(v), rp.asarray(np.ones((2, 2))))


def test_cov_corrcoef():
    rng = np.random.default_rng(2)
    m = rng.random((3, 6))
    y = rng.random((2, 6))
    check(rp.cov(rp.asarray(m)), np.cov(m), exact=False)
    check(rp.cov(rp.asarray(m), rp.asarray(y), ddof=0), np.cov(m, y, ddof=0), exact=False)
    check(rp.cov(rp.asarray(m.T), rowvar=False, bias=True), np.cov(m.T, rowvar=False, bias=True), exact=False)
    fw = np.array([1, 2, 1, 1, 3, 1])
    check(rp.cov(rp.asarray(m), fweights=rp.asarray(fw), aweights=rp.asarray(fw * 0.5)),
          np.cov(m, fweights=fw, aweights=fw * 0.5), exact=False)
    check(rp.corrcoef(rp.asarray(m)), np.corrcoef(m), exact=False)
    check(rp.corrcoef(rp.asarray(m), rp.asarray(y), dtype=rp.float32), np.corrcoef(m, y, dtype=np.float32),
          exact=False)
    with pytest.raises(ValueError, match="cov"):
        rp.cov(rp.asarray(np.ones((2, 2, 2))))


# -- ufunc methods --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "minimum", "logical_and", "logical_or",
                                  "subtract", "bitwise_or", "logical_xor", "fmax"])
@pytest.mark.parametrize("dtype", ["bool", "int8", "uint8", "float32"])
def test_ufunc_reduce_accumulate(name, dtype):
    f, nf = getattr(rp, name), getattr(np, name)
    a = data((3, 4, 2), dtype)
    for axis in (0, -1, None, (0, 2)):
        expected, err = numpy_or_error(nf.reduce, a, axis=axis)
        if err is not None:
            with pytest.raises(err):
                f.reduce(rp.asarray(a), axis=axis)
            continue
        check(f.reduce(rp.asarray(a), axis=axis), expected)
        check(f.reduce(rp.asarray(a), axis=axis, keepdims=True), nf.reduce(a, axis=axis, keepdims=True))
    for axis in (0, 1, -1):
        expected, err = numpy_or_error(nf.accumulate, a, axis=axis)
        if err is not None:
            with pytest.raises(err):
                f.accumulate(rp.asarray(a), axis=axis)
            continue
        check(f.accumulate(rp.asarray(a), axis=axis), expected)


def test_ufunc_reduce_empty_and_initial():
    e = np.zeros((0, 3), np.float64)
    check(rp.add.reduce(rp.asarray(e)), np.add.reduce(e))
    check(rp.bitwise_or.reduce(rp.asarray(e.astype(np.int32))), np.bitwise_or.reduce(e.astype(np.int32)))
    for f, name in ((rp.maximum, "max"), (rp.subtract, "subtract")):
        with pytest.raises(ValueError, match=name):
            f.reduce(rp.asarray(e))
    check(rp.maximum.reduce(rp.asarray(e), initial=-5.0), np.maximum.reduce(e, initial=-5.0))
    check(rp.add.reduce(rp.asarray(np.ones(3)), initial=2.0), np.add.reduce(np.ones(3), initial=2.0))
    with pytest.raises(ValueError):
        rp.sin.reduce(rp.asarray(np.ones(3)))
    with pytest.raises(ValueError):
        rp.divmod.reduce(rp.asarray(np.ones(3)))


def test_ufunc_outer():
    a, b = data((2, 3), "int32"), data((4,), "float32")
    check(rp.multiply.outer(rp.asarray(a), rp.asarray(b)), np.multiply.outer(a, b))
    check(rp.subtract.outer(rp.asarray(a.T), [1, 2]), np.subtract.outer(a.T, [1, 2]))
    check(rp.greater.outer(rp.asarray(b), rp.asarray(b)), np.greater.outer(b, b))
    with pytest.raises(ValueError):
        rp.sin.outer(rp.asarray(b), rp.asarray(b))


def test_ufunc_at():
    a = np.arange(5.0)
    x = rp.asarray(a.copy())
    idx = np.array([0, 0, 3, 4, 4, 4])
    rp.add.at(x, rp.asarray(idx), 1.0)
    expected = a.copy()
    np.add.at(expected, idx, 1.0)
    assert_array_equal(rp.asnumpy(x), expected)
    rp.negative.at(x, [1, 2])
    np.negative.at(expected, [1, 2])
    assert_array_equal(rp.asnumpy(x), expected)
    rp.multiply.at(x, slice(0, 2), rp.asarray([2.0, 3.0]))
    np.multiply.at(expected, slice(0, 2), [2.0, 3.0])
    assert_array_equal(rp.asnumpy(x), expected)
    before = rp.asnumpy(x).copy()
    with pytest.raises(IndexError):
        rp.add.at(x, rp.asarray([0, 9]), 1.0)
    assert_array_equal(rp.asnumpy(x), before)
    with pytest.raises(ValueError, match="add.at"):
        rp.add.at(x, [0])
    with pytest.raises(TypeError, match="add.at"):
        rp.add.at(np.zeros(3), [0], 1.0)
    ro = np.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        rp.add.at(rp.asarray(ro, device="cpu"), [0], 1.0)  # shares the read-only memory


# -- hypothesis -----------------------------------------------------------------------------------------------
@st.composite
def array_and_axis(draw):
    dtype = draw(st.sampled_from([np.int16, np.uint8, np.float32, np.float64, np.bool_]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    elements = st.integers(-5, 5) if np.dtype(dtype).kind in "iu" else None
    if np.dtype(dtype).kind == "u":
        elements = st.integers(0, 5)
    if np.dtype(dtype).kind == "f":
        elements = st.floats(-10, 10, width=np.dtype(dtype).itemsize * 8)
    a = draw(hnp.arrays(dtype, shape, elements=elements))
    if a.ndim == 0:
        axis = draw(st.sampled_from([None, ()]))
    else:
        axis = draw(st.none() | st.integers(-a.ndim, a.ndim - 1)
                    | st.lists(st.integers(0, a.ndim - 1), unique=True).map(tuple))
    return a, axis, draw(st.booleans())


@settings(max_examples=50, deadline=None)
@given(array_and_axis(), st.sampled_from([(rp.sum, np.sum), (rp.prod, np.prod), (rp.max, np.max),
                                          (rp.mean, np.mean), (rp.var, np.var), (rp.any, np.any)]))
def test_hypothesis_reductions(case, fns):
    a, axis, keepdims = case
    f, nf = fns
    expected, err = numpy_or_error(nf, a, axis=axis, keepdims=keepdims)
    if err is not None:
        with pytest.raises(err):
            f(rp.asarray(a), axis=axis, keepdims=keepdims)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(f(rp.asarray(a), axis=axis, keepdims=keepdims), expected, exact=False)
