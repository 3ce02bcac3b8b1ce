"""The compositions of rdnarray/_backend/composite/contractions.py (einsum, vecdot, cross) and statistics.py
(convolve, correlate, average, cov, corrcoef) against NumPy.

Each NATIVE function is called the way the GPU executor calls it: a backend, then the arguments the public
function resolved. On this machine the backend is the host's and the arrays are CPU arrays (every operation
the composition uses runs as NumPy); where a GPU is available the same tests run on it as well.
Floats agree to reassociation tolerance, integers and bool exactly (products that overflow wrap, as in NumPy).
"""
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import rdnarray as rp
from rdnarray._backend import get
from rdnarray._backend.composite import contractions, statistics

RTOL = {"e": 2e-2, "f": 1e-5, "F": 1e-5, "d": 1e-12, "D": 1e-12}


@pytest.fixture(params=["cpu", "gpu"])
def backend(request):
    if request.param == "gpu" and not rp.gpu.is_available():
        pytest.skip("no GPU here")
    return get(request.param)


def rand(shape, dtype, seed=0):
    """Values that make wrapping matter for small integers and sums of mixed signs for floats."""
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.random(shape) > 0.5
    if dt.kind in "iu":
        info = np.iinfo(dt)
        lo, hi = max(info.min, -2**40), min(info.max, 2**40)
        return rng.integers(lo, hi, shape, endpoint=True).astype(dt)
    if dt.kind == "c":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dt)
    return rng.standard_normal(shape).astype(dt)


def on(backend, x):
    return rp.asarray(x, device=backend.device)


def check(got, expected):
    assert isinstance(got, rp.ndarray)
    expected = np.asarray(expected)
    g = rp.asnumpy(got)
    assert g.dtype == expected.dtype, (g.dtype, expected.dtype)
    assert g.shape == expected.shape, (g.shape, expected.shape)
    if g.dtype.kind in "fc":
        rtol = RTOL[g.dtype.char]
        finite = expected[np.isfinite(expected)]
        scale = max(1.0, float(np.max(np.abs(finite), initial=0.0)))
        assert_allclose(g, expected, rtol=rtol, atol=rtol * scale, equal_nan=True)
    else:
        assert_array_equal(g, expected)


# -- einsum ------------------------------------------------------------------------------------------------
EINSUM = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),
    ("ij,kj->ik", [(3, 4), (5, 4)]),
    ("ji,jk->ik", [(4, 3), (4, 5)]),
    ("ii->", [(4, 4)]),
    ("ii", [(4, 4)]),
    ("ii->i", [(4, 4)]),
    ("iij->j", [(3, 3, 5)]),
    ("iji->ij", [(3, 2, 3)]),
    ("ij->ji", [(3, 4)]),
    ("ijk->kij", [(2, 3, 4)]),
    ("ij->", [(3, 4)]),
    ("ij->j", [(3, 4)]),
    ("ij", [(3, 4)]),
    ("ba", [(3, 4)]),
    ("Ba", [(3, 4)]),
    ("i,i", [(6,), (6,)]),
    ("i,i->i", [(6,), (6,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,j", [(3,), (4,)]),
    ("ij,k->ijk", [(2, 3), (4,)]),
    ("ij,ij->ij", [(3, 4), (3, 4)]),
    ("ij,ji->ij", [(3, 4), (4, 3)]),
    ("ij,ij->", [(3, 4), (3, 4)]),
    ("ij,ij->i", [(3, 4), (3, 4)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("bij,bkj->bik", [(2, 3, 4), (2, 5, 4)]),
    ("bij,bjk->ik", [(2, 3, 4), (2, 4, 5)]),
    ("ijk,jkl->il", [(2, 3, 4), (3, 4, 5)]),
    ("ijk,jil->kl", [(2, 3, 4), (3, 2, 5)]),
    ("Ab,bC->AC", [(3, 4), (4, 2)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("ij,jk,kl", [(2, 3), (3, 4), (4, 5)]),
    ("i,ij,j->", [(3,), (3, 4), (4,)]),
    ("ab,bc,cd,de->ae", [(2, 3), (3, 4), (4, 3), (3, 2)]),
    ("i,i,i->i", [(5,), (5,), (5,)]),
    ("ij,ij,ij->", [(2, 3), (2, 3), (2, 3)]),
    ("ij,jk,ik->", [(2, 3), (3, 4), (2, 4)]),
    ("ii,ij->j", [(3, 3), (3, 4)]),
    ("...ij,...jk->...ik", [(2, 3, 4), (4, 5)]),
    ("...ij,...jk", [(5, 1, 2, 3), (4, 3, 2)]),
    ("...,...", [(3,), ()]),
    ("...,...->...", [(2, 3), (3,)]),
    ("...i,...i->...", [(2, 1, 4), (3, 4)]),
    ("...i,...i", [(2, 4), (2, 4)]),
    ("i...->...", [(3, 2, 5)]),
    ("...ii->...i", [(2, 3, 3)]),
    ("i...i", [(3, 2, 3)]),
    ("ij...,jk...->ik...", [(2, 3, 4), (3, 5)]),
    ("i...,i...", [(2, 3), (2, 1)]),
    ("...", [()]),
    (",->", [(), ()]),
    (",i->i", [(), (4,)]),
    ("ij,ij->ij", [(2, 1), (2, 3)]),
    ("ij,jk", [(2, 1), (3, 4)]),
    ("ij,jk->ik", [(2, 0), (0, 3)]),
    ("ij,jk->ik", [(0, 2), (2, 3)]),
    ("ij->", [(0, 3)]),
    ("i,j->ij", [(0,), (3,)]),
]
EINSUM_DTYPES = ["float64", "float32", "complex128", "int64", "int8", "uint8", "bool"]


def _einsum_case(backend, subscripts, shapes, inputs, dtype=None, optimize=False):
    ops = [rand(s, inputs, seed=i) for i, s in enumerate(shapes)]
    dt = np.dtype(dtype or np.result_type(*ops))
    got = contractions.einsum(backend, subscripts, *[on(backend, o) for o in ops], dtype=dt, casting="unsafe",
                              optimize=optimize)
    expected = np.einsum(subscripts, *ops, dtype=dt, casting="unsafe")
    check(got, expected)


@pytest.mark.parametrize("dtype", EINSUM_DTYPES)
@pytest.mark.parametrize("subscripts, shapes", EINSUM, ids=[f"{s}-{i}" for i, (s, _) in enumerate(EINSUM)])
def test_einsum(backend, subscripts, shapes, dtype):
    _einsum_case(backend, subscripts, shapes, dtype)


@pytest.mark.parametrize("optimize", [True, "greedy", "optimal"])
def test_einsum_optimize_values_are_the_same(backend, optimize):
    for subscripts, shapes in EINSUM:
        _einsum_case(backend, subscripts, shapes, "float64", optimize=optimize)


@pytest.mark.parametrize("inputs, dt", [("int8", "int16"), ("int8", "int8"), ("float32", "float64"),
                                        ("float64", "float32"), ("int64", "float64"), ("float64", "complex64"),
                                        ("bool", "int32"), ("float16", "float16")])
def test_einsum_dtype_argument(backend, inputs, dt):
    for subscripts, shapes in [("ij,jk->ik", [(3, 4), (4, 5)]), ("i,i", [(40,), (40,)]), ("ii->i", [(3, 3)]),
                               ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]), ("ij->", [(30, 4)])]:
        _einsum_case(backend, subscripts, shapes, inputs, dtype=dt)


def test_einsum_integers_wrap_exactly_and_never_go_through_floats(backend):
    # int64 sums past 2**53 differ from any float computation; int8 products wrap.
    a = np.full((3, 4), 2**40 + 1, np.int64)
    b = np.full((4, 2), 2**20 + 3, np.int64)
    check(contractions.einsum(backend, "ij,jk->ik", on(backend, a), on(backend, b), dtype=np.int64,
                              casting="unsafe", optimize=False), np.einsum("ij,jk->ik", a, b))
    c = np.arange(300).astype(np.int8)
    check(contractions.einsum(backend, "i,i", on(backend, c), on(backend, c), dtype=np.int8, casting="unsafe",
                              optimize=False), np.einsum("i,i", c, c))


def test_einsum_same_operand_twice_and_strided_views(backend):
    x = rand((6, 8), "float64")
    xd = on(backend, x)
    check(contractions.einsum(backend, "ij,ij->i", xd, xd, dtype=np.float64, casting="unsafe", optimize=False),
          np.einsum("ij,ij->i", x, x))
    check(contractions.einsum(backend, "ij,kj->ik", xd, xd, dtype=np.float64, casting="unsafe", optimize=False),
          np.einsum("ij,kj->ik", x, x))
    # Transposed, reversed and sliced operands: layouts that reshape as views, as (K, M) views, or not at all.
    views = [(xd.T, x.T), (xd[::2], x[::2]), (xd[:, ::-1], x[:, ::-1]), (xd[1:5, 2:7], x[1:5, 2:7])]
    for (a, na) in views:
        for (b, nb) in views:
            if na.shape[1] == nb.shape[0]:
                check(contractions.einsum(backend, "ij,jk->ik", a, b, dtype=np.float64, casting="unsafe",
                                          optimize=False), np.einsum("ij,jk->ik", na, nb))
            if na.shape[0] == nb.shape[0]:
                check(contractions.einsum(backend, "ji,jk->ik", a, b, dtype=np.float64, casting="unsafe",
                                          optimize=False), np.einsum("ji,jk->ik", na, nb))


def test_einsum_single_operand_without_sums_is_a_view_as_in_numpy(backend):
    x = on(backend, rand((3, 3), "float64"))
    for subscripts in ("ij->ji", "ii->i", "ij"):
        r = contractions.einsum(backend, subscripts, x, dtype=np.float64, casting="unsafe", optimize=False)
        assert r._buffer is x._buffer
    # NumPy's view keeps the operand's dtype even when dtype= asks for another; a sum does cast.
    r = contractions.einsum(backend, "ij->ji", x, dtype=np.float32, casting="unsafe", optimize=False)
    assert r._buffer is x._buffer and r.dtype == np.float64
    r = contractions.einsum(backend, "ij->j", x, dtype=np.float32, casting="unsafe", optimize=False)
    assert r.dtype == np.float32


def test_einsum_not_covered_goes_to_the_host(backend):
    x = on(backend, rand((3, 4), "float64"))
    y = on(backend, rand((4, 5), "float64"))
    f = contractions.einsum
    assert f(backend, "ij,jk->ik", x, y, dtype=np.float64, casting="unsafe",
             optimize=["einsum_path", (0, 1)]) is NotImplemented
    # NumPy raises for these two (repeated label of unequal lengths; '...' axes with no '...' in the output).
    assert f(backend, "ii", on(backend, np.ones((1, 3))), dtype=np.float64, casting="unsafe",
             optimize=False) is NotImplemented
    assert f(backend, "...i->i", x, dtype=np.float64, casting="unsafe", optimize=False) is NotImplemented
    # ... which NumPy accepts with optimize (the ellipsis axes are summed): so does the composition.
    check(f(backend, "...i->i", x, dtype=np.float64, casting="unsafe", optimize=True),
          np.einsum("...i->i", rp.asnumpy(x), optimize=True))


def test_einsum_random_subscripts(backend):
    """Random contractions of 1-4 operands with shared, repeated, summed and broadcast labels."""
    rng = np.random.default_rng(7)
    letters = "abcdef"
    for case in range(150):
        sizes = {c: int(rng.integers(1, 4)) for c in letters}
        terms = []
        for _ in range(int(rng.integers(1, 5))):
            terms.append("".join(rng.choice(list(letters), int(rng.integers(0, 4)))))
        used = sorted(set("".join(terms)))
        if rng.random() < 0.5:
            subscripts = ",".join(terms)
        else:
            out = "".join(c for c in used if rng.random() < 0.5)
            subscripts = ",".join(terms) + "->" + "".join(rng.permutation(list(out)))
        dtype = ["float64", "int64", "complex128"][case % 3]
        ops = [rand(tuple(sizes[c] for c in t), dtype, seed=case * 10 + i) for i, t in enumerate(terms)]
        got = contractions.einsum(backend, subscripts, *[on(backend, o) for o in ops], dtype=np.dtype(dtype),
                                  casting="unsafe", optimize=False)
        check(got, np.einsum(subscripts, *ops))


# -- vecdot ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "complex64", "int64", "int8", "uint8",
                                   "bool"])
@pytest.mark.parametrize("s1, s2", [((5,), (5,)), ((2, 3, 4), (4,)), ((2, 1, 3), (4, 3)), ((3, 0), (3, 0)),
                                    ((1,), (1,)), ((4, 200), (4, 200))])
def test_vecdot(backend, dtype, s1, s2):
    a, b = rand(s1, dtype, 1), rand(s2, dtype, 2)
    dt = np.result_type(a, b)
    check(contractions.vecdot(backend, on(backend, a), on(backend, b), dtype=dt), np.vecdot(a, b))


def test_vecdot_mixed_dtypes_and_conjugate(backend):
    a, b = rand((3, 4), "complex128", 1), rand((4,), "float32", 2)
    for x, y in ((a, b), (b, a), (a, a.T[:, 0].copy())):
        dt = np.result_type(x, y)
        check(contractions.vecdot(backend, on(backend, x), on(backend, y), dtype=dt), np.vecdot(x, y, dtype=dt))
    i8, f4 = rand((6,), "int8", 3), rand((6,), "float32", 4)
    check(contractions.vecdot(backend, on(backend, i8), on(backend, f4), dtype=np.dtype(np.float32)),
          np.vecdot(i8, f4))


# -- cross -------------------------------------------------------------------------------------------------
def _cross_case(backend, a, b, **axes):
    ia = axes.get("axisa", -1) % a.ndim
    ib = axes.get("axisb", -1) % b.ndim
    axisc = axes.get("axisc", -1)
    two = a.shape[ia] == 2 or b.shape[ib] == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            expected = np.cross(a, b, axisa=ia, axisb=ib, axisc=axisc)
        except ValueError:  # a NumPy that no longer takes 2-element vectors: the host raises its error
            assert two
            assert contractions.cross(backend, on(backend, a), on(backend, b), axisa=ia, axisb=ib,
                                      axisc=axisc) is NotImplemented
            return
    if two:
        with pytest.warns(DeprecationWarning, match="2-dimensional vectors"):
            got = contractions.cross(backend, on(backend, a), on(backend, b), axisa=ia, axisb=ib, axisc=axisc)
    else:
        got = contractions.cross(backend, on(backend, a), on(backend, b), axisa=ia, axisb=ib, axisc=axisc)
    check(got, expected)


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int64", "int8", "uint8"])
@pytest.mark.parametrize("na, nb", [(3, 3), (2, 3), (3, 2), (2, 2)])
def test_cross(backend, dtype, na, nb):
    _cross_case(backend, rand((4, na), dtype, 1), rand((4, nb), dtype, 2))
    _cross_case(backend, rand((na,), dtype, 3), rand((nb,), dtype, 4))
    _cross_case(backend, rand((2, 1, na), dtype, 5), rand((3, nb), dtype, 6))


def test_cross_axes_and_mixed_dtypes(backend):
    a, b = rand((3, 4, 5), "float64", 1), rand((5, 3), "int8", 2)
    _cross_case(backend, a, b, axisa=0, axisb=1)
    _cross_case(backend, a, b, axisa=0, axisb=-1, axisc=0)
    _cross_case(backend, a, b, axisa=0, axisb=1, axisc=1)
    _cross_case(backend, rand((2, 4), "int32", 3), rand((4, 3), "float32", 4), axisa=0, axisb=-1, axisc=0)
    _cross_case(backend, rand((2, 4), "int32", 3), rand((2, 4), "uint8", 4), axisa=0, axisb=0)


def test_cross_bool_goes_to_the_host(backend):
    t = on(backend, np.ones(3, bool))
    assert contractions.cross(backend, t, t) is NotImplemented


# -- convolve / correlate ------------------------------------------------------------------------------------
CONV_DTYPES = ["float64", "float32", "complex128", "complex64", "int64", "int8", "uint8", "bool"]
LENGTHS = [1, 2, 3, 4, 7, 10]


@pytest.mark.parametrize("dtype", CONV_DTYPES)
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolve_correlate(backend, dtype, mode):
    for n1 in LENGTHS:
        for n2 in LENGTHS:
            a, v = rand((n1,), dtype, n1), rand((n2,), dtype, 100 + n2)
            check(statistics.convolve(backend, on(backend, a), on(backend, v), mode=mode), np.convolve(a, v, mode))
            check(statistics.correlate(backend, on(backend, a), on(backend, v), mode=mode),
                  np.correlate(a, v, mode))


@pytest.mark.parametrize("n1, n2", [(1000, 37), (37, 1000), (300, 300), (257, 128), (129, 1)])
def test_convolve_correlate_long(backend, n1, n2):
    for dtype in ("float64", "complex128", "int64", "int16"):
        a, v = rand((n1,), dtype, 1), rand((n2,), dtype, 2)
        for mode in ("full", "same", "valid"):
            check(statistics.convolve(backend, on(backend, a), on(backend, v), mode=mode), np.convolve(a, v, mode))
            check(statistics.correlate(backend, on(backend, a), on(backend, v), mode=mode),
                  np.correlate(a, v, mode))


@pytest.mark.parametrize("band_max", [1, 64, 1000])
def test_convolve_small_blocks(backend, monkeypatch, band_max):
    """Long kernels shrink the rows of the product (down to one output per row, a matrix-vector product)."""
    monkeypatch.setattr(statistics, "_BAND_MAX", band_max)
    a, v = rand((50,), "float64", 1), rand((20,), "complex128", 2)
    for mode in ("full", "same", "valid"):
        check(statistics.convolve(backend, on(backend, a), on(backend, v), mode=mode), np.convolve(a, v, mode))
        check(statistics.correlate(backend, on(backend, v), on(backend, a), mode=mode), np.correlate(v, a, mode))


def test_convolve_strided_inputs(backend):
    a, v = rand((20,), "float64", 1), rand((9,), "float64", 2)
    ad, vd = on(backend, a), on(backend, v)
    check(statistics.convolve(backend, ad[::-2], vd[1::3], mode="full"), np.convolve(a[::-2], v[1::3], "full"))
    check(statistics.correlate(backend, vd[::-1], ad[::3], mode="same"), np.correlate(v[::-1], a[::3], "same"))


def test_convolve_not_covered_goes_to_the_host(backend):
    x = on(backend, np.array([1.0, np.inf, 2.0]))
    y = on(backend, np.array([1.0, 2.0]))
    e = on(backend, np.zeros(0))
    for f in (statistics.convolve, statistics.correlate):
        assert f(backend, x, y, mode="full") is NotImplemented      # 0 * inf would be nan where NumPy has inf
        assert f(backend, y, x, mode="valid") is NotImplemented
        assert f(backend, y, on(backend, np.array([np.nan])), mode="same") is NotImplemented
        assert f(backend, e, y, mode="full") is NotImplemented      # NumPy raises
        assert f(backend, y, e, mode="full") is NotImplemented
        assert f(backend, y, y, mode="middle") is NotImplemented
        assert f(backend, on(backend, np.ones((2, 2))), y, mode="full") is NotImplemented


# -- average ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("adt, wdt", [("float64", "float64"), ("float32", "float32"), ("float32", "float64"),
                                      ("int64", "int64"), ("int8", "float32"), ("bool", "int32"),
                                      ("complex128", "float64"), ("float16", "float16")])
def test_average(backend, adt, wdt):
    a = rand((3, 4, 5), adt, 1)
    w_full = np.abs(rand((3, 4, 5), wdt, 2)) + np.ones((), wdt)
    cases = [(None, w_full), ((1,), w_full), ((1,), w_full[0, :, 0].copy()), ((0, 2), w_full[:, 0, :].copy()),
             ((2, 0), w_full[:, 0, :].T.copy()), ((0, 1, 2), w_full)]
    for axis, w in cases:
        for returned in (False, True):
            for keepdims in (False, True):
                got = statistics.average(backend, on(backend, a), axis=axis, weights=on(backend, w),
                                         returned=returned, keepdims=keepdims)
                expected = np.average(a, axis=axis, weights=w, returned=returned, keepdims=keepdims)
                if returned:
                    assert isinstance(got, tuple) and len(got) == 2
                    check(got[0], expected[0])
                    check(got[1], expected[1])
                else:
                    check(got, expected)


def test_average_without_weights(backend):
    a = rand((3, 4), "int32", 1)
    for axis in (None, (0,), (1,), (0, 1)):
        got = statistics.average(backend, on(backend, a), axis=axis, weights=None, returned=True, keepdims=False)
        expected = np.average(a, axis=axis, returned=True)
        check(got[0], expected[0])
        check(got[1], expected[1])


def test_average_not_covered_goes_to_the_host(backend):
    a = on(backend, rand((3, 4), "float64"))
    f = statistics.average
    assert f(backend, a, axis=None, weights=on(backend, np.ones(4))) is NotImplemented     # NumPy: TypeError
    assert f(backend, a, axis=(0,), weights=on(backend, np.ones(4))) is NotImplemented     # ValueError
    w = on(backend, np.array([1.0, -1.0, 0.0, 0.0]))
    assert f(backend, a, axis=(1,), weights=w) is NotImplemented                            # ZeroDivisionError


# -- cov / corrcoef ------------------------------------------------------------------------------------------
COV = [
    dict(),
    dict(rowvar=False),
    dict(bias=True),
    dict(ddof=0),
    dict(ddof=3),
    dict(fweights="f"),
    dict(aweights="a"),
    dict(fweights="f", aweights="a"),
    dict(fweights="f", aweights="a", ddof=0),
    dict(fweights="f", aweights="a", bias=True),
    dict(aweights="a", ddof=2),
    dict(dtype="float32"),
    dict(dtype="complex128"),
    dict(y="y"),
    dict(y="y", rowvar=False),
    dict(y="y1"),
]


def _cov_args(backend, m, kw, n_obs, rowvar=True):
    rng = np.random.default_rng(3)
    kw = dict(kw)
    host = dict(kw)
    if kw.get("fweights"):
        host["fweights"] = rng.integers(0, 4, n_obs)
    if kw.get("aweights"):
        host["aweights"] = rng.random(n_obs) + 0.1
    if kw.get("y") == "y":
        host["y"] = rand((2, n_obs) if kw.get("rowvar", True) else (n_obs, 2), "float64", 9)
    elif kw.get("y") == "y1":
        host["y"] = rand((n_obs,), "float64", 9)
    if "dtype" in kw:
        host["dtype"] = np.dtype(kw["dtype"])
    dev = {k: on(backend, v) if isinstance(v, np.ndarray) else v for k, v in host.items()}
    return host, dev


def _cov_call(backend, m, **kw):
    """statistics.cov the way the public cov calls backend.run("cov", ...)."""
    return statistics.cov(backend, m, kw.get("y"), rowvar=bool(kw.get("rowvar", True)), bias=bool(kw.get("bias")),
                          ddof=kw.get("ddof"), dtype=kw.get("dtype"), fweights=kw.get("fweights"),
                          aweights=kw.get("aweights"))


@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")  # dtype=float32 of complex m, as NumPy
@pytest.mark.parametrize("kw", COV, ids=[str(sorted(k)) + str(i) for i, k in enumerate(COV)])
@pytest.mark.parametrize("mdt", ["float64", "float32", "int64", "complex128"])
def test_cov(backend, kw, mdt):
    rowvar = kw.get("rowvar", True)
    m = rand((3, 10) if rowvar else (10, 3), mdt, 1)
    host, dev = _cov_args(backend, m, kw, 10)
    check(_cov_call(backend, on(backend, m), **dev), np.cov(m, **host))


@pytest.mark.parametrize("shape", [(10,), (1, 10), (4, 2), ()])
def test_cov_shapes(backend, shape):
    m = rand(shape, "float64", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.cov(m)
        got = _cov_call(backend, on(backend, m))
    check(got, expected)
    if m.ndim == 1:
        check(_cov_call(backend, on(backend, m), rowvar=False), np.cov(m, rowvar=False))


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
def test_cov_no_variables_and_no_degrees_of_freedom(backend):
    check(_cov_call(backend, on(backend, np.zeros((0, 5)))), np.cov(np.zeros((0, 5))))
    m = rand((3, 1), "float64")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.cov(m)
    with pytest.warns(RuntimeWarning, match="Degrees of freedom"):
        got = _cov_call(backend, on(backend, m))
    check(got, expected)


def test_cov_not_covered_goes_to_the_host(backend):
    m = on(backend, rand((3, 5), "float64"))
    bad = [dict(fweights=np.array([1, 2, 3, 4, -1])), dict(fweights=np.array([1, 2, 3, 4, 1.5])),
           dict(fweights=np.ones((5, 1))), dict(fweights=np.ones(4)), dict(aweights=np.array([1, 2, 3, 4, -1.0])),
           dict(aweights=np.ones(6)), dict(fweights=np.zeros(5)), dict(y=np.ones((2, 4))), dict(dtype=np.int64)]
    for kw in bad:
        dev = {k: on(backend, v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
        assert _cov_call(backend, m, **dev) is NotImplemented, kw
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises((ValueError, TypeError, RuntimeError, ZeroDivisionError)):
                np.cov(rp.asnumpy(m), **kw)  # the host raises NumPy's error for each


@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")
@pytest.mark.parametrize("mdt", ["float64", "float32", "int64", "complex128"])
def test_corrcoef(backend, mdt):
    m = rand((3, 10), mdt, 1)
    y = rand((2, 10), "float64", 2)
    check(statistics.corrcoef(backend, on(backend, m), None, rowvar=True, dtype=None), np.corrcoef(m))
    check(statistics.corrcoef(backend, on(backend, m.T), None, rowvar=False, dtype=None),
          np.corrcoef(m.T, rowvar=False))
    check(statistics.corrcoef(backend, on(backend, m), on(backend, y), rowvar=True, dtype=None), np.corrcoef(m, y))
    check(statistics.corrcoef(backend, on(backend, m), None, rowvar=True, dtype=np.dtype(np.float32)),
          np.corrcoef(m, dtype=np.float32))


def test_corrcoef_edge_cases(backend):
    one = rand((10,), "float64", 1)
    check(statistics.corrcoef(backend, on(backend, one), None, rowvar=True, dtype=None), np.corrcoef(one))
    const = np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        check(statistics.corrcoef(backend, on(backend, const), None, rowvar=True, dtype=None), np.corrcoef(const))
        check(statistics.corrcoef(backend, on(backend, const[0]), None, rowvar=True, dtype=None),
              np.corrcoef(const[0]))
    check(statistics.corrcoef(backend, on(backend, np.zeros((0, 4))), None, rowvar=True, dtype=None),
          np.corrcoef(np.zeros((0, 4))))
    # Perfectly correlated rows: rounding may leave 1 + eps, which the clip brings back to 1.
    r = np.arange(10.0)
    lin = np.stack([r, 3 * r + 1, -2 * r])
    got = rp.asnumpy(statistics.corrcoef(backend, on(backend, lin), None, rowvar=True, dtype=None))
    assert np.all(np.abs(got) <= 1)
    check(statistics.corrcoef(backend, on(backend, lin), None, rowvar=True, dtype=None), np.corrcoef(lin))


def test_native_tables():
    assert set(contractions.NATIVE) == {"einsum", "vecdot", "cross"}
    assert set(statistics.NATIVE) == {"convolve", "correlate", "average", "cov", "corrcoef"}
