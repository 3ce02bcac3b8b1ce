"""The compositions of rdnarray/_backend/composite/elementwise_like.py, indexing_like.py and padding_bits.py,
called as the GPU executor calls them (``NATIVE[name](backend, *args, **kwargs)``, with the arguments the
public functions resolve) on arrays of the default device, against NumPy: values bit for bit, dtypes,
shapes, in-place writes and NumPy's errors.

On the CPU (the host backend, as here) every operation they are made of is NumPy's, so results must be
NumPy's exactly; under RDNARRAY_DEVICE=gpu the same tests run them on the GPU, where sums, scans and
exp/sqrt are the device's and are compared with a tolerance instead.
"""
import shutil
import warnings

import numpy as np
import pytest

import rdnarray as rp
from devices import DEFAULT, ON_CPU, strided_like
from rdnarray._backend.composite import elementwise_like as E
from rdnarray._backend.composite import indexing_like as I
from rdnarray._backend.composite import padding_bits as P

BACKEND = DEFAULT.backend
RNG = np.random.default_rng(20240607)


def A(a):
    """A new array on the default device with ``a``'s values (never sharing NumPy's memory)."""
    return rp.asarray(np.array(a), device=DEFAULT)


def same(r, e, approx=False, what=""):
    """``r`` (rdnarray array or tuple of them) is NumPy's ``e``: dtype, shape and every value (NaN equal to
    NaN, and the sign of zeros); with ``approx`` off the CPU, values to a tolerance instead."""
    if isinstance(e, tuple):
        assert isinstance(r, tuple) and len(r) == len(e), (what, r, e)
        for x, y in zip(r, e):
            same(x, y, approx, what)
        return
    assert isinstance(r, rp.ndarray) and r.device == DEFAULT, (what, type(r))
    r, e = rp.asnumpy(r), np.asarray(e)
    assert r.dtype == e.dtype and r.shape == e.shape, (what, r.dtype, e.dtype, r.shape, e.shape)
    if approx and not ON_CPU:
        np.testing.assert_allclose(r, e, rtol=1e-6 if e.dtype.itemsize >= 8 else 1e-3, equal_nan=True, err_msg=what)
        return
    np.testing.assert_array_equal(r, e, err_msg=str(what))
    if e.dtype.kind in "fc":
        for part in (np.real, np.imag):
            assert np.array_equal(np.signbit(part(r)), np.signbit(part(e))), (what, r, e)


def raises_like(ours, numpys):
    """Both calls raise the same exception type; ours with NumPy's message."""
    with pytest.raises(Exception) as theirs:
        numpys()
    with pytest.raises(type(theirs.value)) as mine:
        ours()
    assert str(mine.value) == str(theirs.value)


def test_native_tables():
    assert set(E.NATIVE) == {"nan_to_num", "i0", "ldexp", "unwrap", "interp", "trapezoid", "gradient", "ediff1d"}
    assert set(I.NATIVE) == {"put", "place", "putmask", "choose", "ravel_multi_index", "unravel_index", "repeat"}
    assert set(P.NATIVE) == {"pad", "packbits", "unpackbits"}
    for table in (E.NATIVE, I.NATIVE, P.NATIVE):
        assert all(callable(f) for f in table.values())


# ---- elementwise_like ------------------------------------------------------------------------------

SPECIALS = [0.0, -0.0, 1.5, -3.25, np.nan, np.inf, -np.inf, 1e-300, -1e300]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.complex64, np.complex128])
@pytest.mark.parametrize("kw", [{}, dict(nan=5, posinf=np.inf, neginf=-7.5), dict(nan=-1.0, posinf=1e300)])
def test_nan_to_num_in_place(dtype, kw):
    with np.errstate(all="ignore"):
        a = np.array(SPECIALS).astype(dtype)
        if np.dtype(dtype).kind == "c":
            a.imag = np.array(SPECIALS[::-1])
        e = np.nan_to_num(a.copy(), copy=False, **kw)
        x = A(a)
        r = E.nan_to_num(BACKEND, x, copy=False, **kw)
    assert r is x  # copy=False: the array itself, changed
    same(x, e)


def test_nan_to_num_copy_view_and_integers():
    a = np.array([[np.nan, 1.0, np.inf], [2.0, -np.inf, np.nan]])
    x = strided_like(a[:, ::-2], force=True)
    kept = rp.asnumpy(x).copy()
    r = E.nan_to_num(BACKEND, x, copy=True)
    same(r, np.nan_to_num(a[:, ::-2]))
    same(x, kept)  # copy=True leaves the argument alone
    E.nan_to_num(BACKEND, x, copy=False, nan=3.0)
    same(x, np.nan_to_num(a[:, ::-2], nan=3.0))
    i = A(np.arange(4))
    same(E.nan_to_num(BACKEND, i, copy=False), np.arange(4))
    same(E.nan_to_num(BACKEND, A(np.zeros((0, 3))), copy=False), np.zeros((0, 3)))
    nan32 = np.array(np.nan, np.float32)
    same(E.nan_to_num(BACKEND, A(nan32), copy=False), np.nan_to_num(nan32))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int8, np.uint32, np.int64, np.bool_])
def test_i0(dtype):
    x = np.concatenate([np.linspace(-30, 30, 241), [7.999, 8.0, 8.001, 700.0, np.nan, np.inf, -np.inf]])
    with np.errstate(all="ignore"):
        x = x.astype(dtype)
        e = np.i0(x)
        r = E.i0(BACKEND, A(x))
    same(r, e, approx=True)


def test_i0_shapes():
    same(E.i0(BACKEND, A(np.array(2.5))), np.i0(np.array(2.5)))
    same(E.i0(BACKEND, A(np.zeros((2, 0), np.float32))), np.i0(np.zeros((2, 0), np.float32)))
    a = RNG.uniform(-12, 12, (3, 4, 5))
    same(E.i0(BACKEND, strided_like(a[:, ::-1, ::2], force=True)), np.i0(a[:, ::-1, ::2]), approx=True)


def test_i0_fused_kernel_source_compiles_with_nvrtc():
    from rdnarray._backend import compiler, driver
    try:
        rtc = driver.load_rtc("cuda")
    except Exception as e:  # driver.Unavailable, or a build without the driver
        pytest.skip(f"NVRTC is not available: {e}")
    for (source, name) in E.examples():
        assert len(rtc.compile(source, name, [f"-I{compiler.source_dir()}"], "sm_90")) > 0


@pytest.mark.skipif(shutil.which("g++") is None and shutil.which("c++") is None, reason="no host C++ compiler")
def test_i0_fused_kernel_on_the_host_compiler():
    """The fused kernel a GPU runs, compiled for the CPU: NumPy's value wherever exp is correctly rounded
    alike (float64, float16 here), within exp's last bits for float32."""
    from rdnarray._core.devices import CPU
    x = np.concatenate([np.linspace(-30, 30, 601), [np.nan, np.inf, -np.inf, 8.0]])
    for dtype in (np.float64, np.float32, np.float16):
        xa = rp.asarray(x.astype(dtype), device="cpu")
        program = E._i0_kernel.program(E._i0_kernel.trace((xa,)), (xa,))
        r = rp.asnumpy(program.run(CPU, (xa,)))
        with np.errstate(all="ignore"):
            e = np.i0(x.astype(dtype))
        assert r.dtype == e.dtype
        np.testing.assert_allclose(r, e, rtol=4 * np.finfo(dtype).eps, equal_nan=True)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_ldexp_exact(dtype):
    """C's ldexp bit for bit: random values and exponents, every overflow and underflow boundary, subnormal
    results (one rounding), zeros, infinities and NaN, exponents beyond int32."""
    info = np.finfo(dtype)
    with np.errstate(all="ignore"):
        m = np.concatenate([RNG.standard_normal(300), [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, 5e-324, 1.7e308],
                            RNG.uniform(0.5, 1, 600) * RNG.choice([-1, 1], 600),
                            RNG.uniform(-1, 1, 300) * float(info.smallest_normal)]).astype(dtype)
        e = np.concatenate([RNG.integers(-3000, 3000, 308),
                            RNG.integers(info.minexp - info.nmant - 4, info.minexp + 3, 600),
                            RNG.integers(info.maxexp - 3, info.maxexp + 2, 150),
                            RNG.integers(0, info.nmant + 3, 150)])
        e[:6] = [2 ** 40, -2 ** 40, 0, 1, -1, 2 ** 31]
        expected = np.ldexp(m, e)
        out = rp.empty(m.shape, dtype=dtype, device=DEFAULT)
        r = E.ldexp(BACKEND, A(m), A(e), out=out)
    assert r is out
    same(out, expected)


def test_ldexp_broadcast_and_exponent_dtypes():
    m = RNG.standard_normal((3, 1)).astype(np.float32)
    for e in (np.arange(-2, 3, dtype=np.int8), np.array([5, 2 ** 62 + 7], np.int64), np.array([True, False]),
              np.array(3, np.int16), np.array([56, 200], np.uint8)):
        with np.errstate(all="ignore"):
            expected = np.ldexp(m, e)
            r = E.ldexp(BACKEND, A(m), A(e))
        same(r, expected)
    same(E.ldexp(BACKEND, A(np.zeros((0, 2))), A(np.array([1, 2]))), np.ldexp(np.zeros((0, 2)), [1, 2]))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int16])
@pytest.mark.parametrize("kw", [{}, dict(period=6), dict(discont=1.0), dict(period=np.pi, axis=0),
                                dict(axis=-2), dict(period=5, discont=4)])
def test_unwrap(dtype, kw):
    scale = 10 if np.dtype(dtype).kind == "i" else 1
    p = (np.cumsum(RNG.uniform(-4, 4, (3, 20)), axis=1) * scale).astype(dtype)
    same(E.unwrap(BACKEND, A(p), **kw), np.unwrap(p, **kw), approx=True, what=kw)


def test_unwrap_edges():
    half = np.array([0., np.pi, 0, -np.pi, 0, 2 * np.pi, -3 * np.pi])
    same(E.unwrap(BACKEND, A(half)), np.unwrap(half))
    same(E.unwrap(BACKEND, A(np.zeros((2, 0)))), np.unwrap(np.zeros((2, 0))))
    same(E.unwrap(BACKEND, A(np.array([1.0]))), np.unwrap(np.array([1.0])))
    nan = np.array([0.0, 4.0, np.nan, 1.0, 9.0])
    same(E.unwrap(BACKEND, A(nan)), np.unwrap(nan))
    ints = np.array([0, 7, 14, 3, -20])
    same(E.unwrap(BACKEND, A(ints), period=8), np.unwrap(ints, period=8))


def _interp_cases():
    xp = np.sort(RNG.uniform(-5, 5, 12))
    xp[3] = xp[4]  # a repeated sample
    fp = RNG.standard_normal(12)
    x = np.concatenate([RNG.uniform(-7, 7, 60), xp, [xp[0], xp[-1], np.nan, np.inf, -np.inf]])
    return x, xp, fp


@pytest.mark.parametrize("complex_", [False, True])
@pytest.mark.parametrize("kw", [{}, dict(left=-1, right=2), dict(left=np.float32(0.5)), dict(right=np.complex128(2)),
                                dict(period=3.0),
                                dict(period=-2), dict(period=360)])
def test_interp(complex_, kw):
    x, xp, fp = _interp_cases()
    if complex_:
        fp = fp + 1j * RNG.standard_normal(fp.size)
        kw = {k: (v + 2j if k in ("left", "right") else v) for k, v in kw.items()}
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)  # a complex left/right read as real
        e = np.interp(x, xp, fp, **kw)
        r = E.interp(BACKEND, A(x), A(xp), A(fp), **kw)
    if r is NotImplemented and complex_ and "period" in kw and BACKEND.kind != "cpu":
        return  # computed on the host for now (see interp)
    same(r, e, what=kw)


def test_interp_shapes_and_special_values():
    x, xp, fp = _interp_cases()
    same(E.interp(BACKEND, A(np.array(0.3)), A(xp), A(fp)), np.interp(np.array(0.3), xp, fp))
    same(E.interp(BACKEND, A(x.reshape(-1, 1)[:0]), A(xp), A(fp)), np.interp(x.reshape(-1, 1)[:0], xp, fp))
    same(E.interp(BACKEND, A(x[:70].reshape(7, 10)), A(xp), A(fp)), np.interp(x[:70].reshape(7, 10), xp, fp))
    for n in (1, 2):  # one sample (no search), two samples
        same(E.interp(BACKEND, A(x), A(xp[:n]), A(fp[:n]), left=0.25), np.interp(x, xp[:n], fp[:n], left=0.25))
    # Infinite samples: NumPy's retry from the right end and its fallback to equal neighbours.
    fpi = np.array([0.0, np.inf, np.inf, 1.0, -np.inf, -np.inf])
    xi = np.linspace(-1, 6, 29)
    with np.errstate(invalid="ignore"):
        same(E.interp(BACKEND, A(xi), A(np.arange(6.0)), A(fpi)), np.interp(xi, np.arange(6.0), fpi))
        same(E.interp(BACKEND, A(xi), A(np.arange(6.0)), A(fpi + 1j)), np.interp(xi, np.arange(6.0), fpi + 1j))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.bool_, np.complex128])
def test_trapezoid(dtype):
    y = RNG.uniform(0, 5, (4, 6)).astype(dtype)
    cases = [{}, dict(dx=0.5), dict(axis=0), dict(x=np.sort(RNG.uniform(0, 1, 6))),
             dict(x=RNG.uniform(0, 1, (4, 6)), axis=-1), dict(x=np.arange(4.0), axis=0), dict(dx=A(np.array(2.0)))]
    for kw in cases:
        ours = {k: A(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
        theirs = {k: rp.asnumpy(v) if isinstance(v, rp.ndarray) else v for k, v in kw.items()}
        same(E.trapezoid(BACKEND, A(y), **ours), np.trapezoid(y, **theirs), approx=True, what=kw)
    same(E.trapezoid(BACKEND, A(y[:, :1]), axis=1), np.trapezoid(y[:, :1], axis=1))
    same(E.trapezoid(BACKEND, A(np.arange(5.0))), np.trapezoid(np.arange(5.0)), approx=True)


GRADIENT_CASES = [((), {}), ((2.0,), {}), ((1.5, 0.5), {}), ((), dict(axis=1)), ((), dict(axis=-2)),
                  ((), dict(edge_order=2)), ((3,), dict(edge_order=2)),
                  (("x0", 2.0), dict(edge_order=2)), (("x0", "x1"), {}), (("x1",), dict(axis=-1, edge_order=2)),
                  (("i1",), dict(axis=1)), (("u1",), dict(axis=(1,))), (("f1",), dict(axis=1, edge_order=2)),
                  (("s",), dict(axis=(0, 1))), (("s", 3.0), dict(axis=(1, 0)))]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, np.int32, np.uint8, np.complex64])
@pytest.mark.parametrize("case", range(len(GRADIENT_CASES)))
def test_gradient(dtype, case):
    f = (RNG.uniform(0, 9, (5, 7)) * 3).astype(dtype)
    coords = {"x0": np.sort(RNG.uniform(0, 9, 5)), "x1": np.sort(RNG.uniform(0, 9, 7)),
              "i1": np.arange(7, dtype=np.int32) * 3, "u1": np.arange(7.0) * 0.25,
              "f1": np.sort(RNG.uniform(0, 9, 7)).astype(np.float32), "s": np.array(2.0)}
    args, kw = GRADIENT_CASES[case]
    theirs = [coords[a] if isinstance(a, str) else a for a in args]
    ours = [A(a) if isinstance(a, np.ndarray) else a for a in theirs]
    with np.errstate(all="ignore"):
        e = np.gradient(f, *theirs, **kw)
        r = E.gradient(BACKEND, A(f), *ours, **kw)
    same(r, e, what=(args, kw))


def test_gradient_shapes_and_errors():
    same(E.gradient(BACKEND, A(np.array(3.0))), np.gradient(np.array(3.0)))
    f = RNG.standard_normal((2, 3, 4))
    same(E.gradient(BACKEND, strided_like(f[:, ::-1], force=True)), np.gradient(f[:, ::-1]))
    raises_like(lambda: E.gradient(BACKEND, A(f), 1.0, 2.0), lambda: np.gradient(f, 1.0, 2.0))
    raises_like(lambda: E.gradient(BACKEND, A(f), A(np.ones(3)), axis=0), lambda: np.gradient(f, np.ones(3), axis=0))
    raises_like(lambda: E.gradient(BACKEND, A(f), A(np.ones((2, 2))), axis=0),
                lambda: np.gradient(f, np.ones((2, 2)), axis=0))
    raises_like(lambda: E.gradient(BACKEND, A(f), axis=0, edge_order=2),
                lambda: np.gradient(f, axis=0, edge_order=2))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int8, np.uint8, np.complex64])
def test_ediff1d(dtype):
    a = RNG.integers(0, 100, (3, 4)).astype(dtype)
    same(E.ediff1d(BACKEND, A(a)), np.ediff1d(a))
    begin, end = np.array(7, dtype), np.array([1, 2], dtype)
    same(E.ediff1d(BACKEND, A(a), to_end=A(end), to_begin=A(begin)), np.ediff1d(a, to_end=end, to_begin=begin))
    same(E.ediff1d(BACKEND, A(a), to_begin=A(end.reshape(2, 1))), np.ediff1d(a, to_begin=end.reshape(2, 1)))
    same(E.ediff1d(BACKEND, A(a[:0]), to_begin=A(begin)), np.ediff1d(a[:0], to_begin=begin))
    same(E.ediff1d(BACKEND, A(a[0, :1]), to_end=A(end)), np.ediff1d(a[0, :1], to_end=end))
    same(E.ediff1d(BACKEND, strided_like(a[::-1, ::2], force=True)), np.ediff1d(a[::-1, ::2]))
    same(E.ediff1d(BACKEND, A(np.array(5, dtype))), np.ediff1d(np.array(5, dtype)))
    with pytest.raises(TypeError):
        E.ediff1d(BACKEND, A(np.array([True, False])))


# ---- indexing_like ---------------------------------------------------------------------------------

def _targets():
    """(NumPy array, rdnarray array with its values and strides on the device): contiguous, a reversed
    strided view, a transpose, 0-d."""
    base = np.arange(24, dtype=np.float64).reshape(4, 6)
    return [(base.copy(), A(base)), (base[::2, ::-2], strided_like(base[::2, ::-2], force=True)),
            (base.T, strided_like(base.T, force=True)), (np.array(5.0), A(np.array(5.0)))]


@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
def test_put_in_place(mode):
    for k, (a, x) in enumerate(_targets()):
        ref = np.array(a)
        n = a.size
        lo, hi = (-n, n) if mode == "raise" else (-n - 5, n + 9)
        for ind, v in ((RNG.integers(lo, hi, 7), RNG.integers(0, 100, 3)), (RNG.integers(lo, hi, (2, 3)), [2.5]),
                       (np.array([1 % n, 1 % n, 1 % n]), [1.0, 2.0, 3.0]), (np.array(0), np.arange(9.0))):
            np.put(ref, ind, v, mode=mode)
            assert I.put(BACKEND, x, A(ind), A(np.asarray(v, dtype=a.dtype)), mode=mode) is None
            same(x, ref, what=(k, mode, ind))


def test_put_writes_through_views_and_errors():
    parent = A(np.zeros((3, 4)))
    I.put(BACKEND, parent[:, 1], A(np.array([0, 2])), A(np.array([7.0, 8.0])))
    expected = np.zeros((3, 4))
    expected[[0, 2], 1] = [7.0, 8.0]
    same(parent, expected)
    I.put(BACKEND, parent[::2, ::-1], A(np.array([0, 7])), A(np.array([1.0, 2.0])), mode="clip")
    np.put(expected[::2, ::-1], [0, 7], [1.0, 2.0], mode="clip")
    same(parent, expected)
    raises_like(lambda: I.put(BACKEND, A(np.zeros(3)), A(np.array([1, 3])), A(np.array([1.0]))),
                lambda: np.put(np.zeros(3), [1, 3], [1.0]))
    raises_like(lambda: I.put(BACKEND, A(np.zeros(3)), A(np.array([-4])), A(np.array([1.0]))),
                lambda: np.put(np.zeros(3), [-4], [1.0]))
    raises_like(lambda: I.put(BACKEND, A(np.zeros(0)), A(np.array([1])), A(np.array([1.0]))),
                lambda: np.put(np.zeros(0), [1], [1.0]))
    raises_like(lambda: I.put(BACKEND, A(np.zeros(0)), A(np.array([1])), A(np.zeros(0))),
                lambda: np.put(np.zeros(0), [1], []))
    same_before = A(np.arange(3.0))
    I.put(BACKEND, same_before, A(np.array([], np.int64)), A(np.array([1.0])))
    I.put(BACKEND, same_before, A(np.array([5])), A(np.zeros(0)))  # no values: nothing, not even a check
    same(same_before, np.arange(3.0))


def test_place_in_place():
    for k, (a, x) in enumerate(_targets()):
        ref = np.array(a)
        mask = RNG.random(a.shape) > 0.4
        for vals in (np.array([7.0]), np.array([1.0, 2.0]), np.arange(50.0)):
            np.place(ref, mask, vals)
            assert I.place(BACKEND, x, A(mask), A(vals)) is None
            same(x, ref, what=(k, vals.size))
    x = A(np.arange(6.0))
    I.place(BACKEND, x, A(np.zeros(6, bool)), A(np.array([1.0])))
    I.place(BACKEND, x, A(np.zeros((2, 3), bool)), A(np.zeros(0)))
    same(x, np.arange(6.0))
    raises_like(lambda: I.place(BACKEND, A(np.zeros(3)), A(np.array([True, False, False])), A(np.zeros(0))),
                lambda: np.place(np.zeros(3), np.array([True, False, False]), []))


def test_putmask_in_place():
    for k, (a, x) in enumerate(_targets()):
        ref = np.array(a)
        mask = RNG.random(a.shape) > 0.4
        for vals in (np.array([7.0]), np.array([1.0, 2.0, 3.0]), np.arange(50.0)):
            np.putmask(ref, mask, vals)
            assert I.putmask(BACKEND, x, A(mask.reshape(-1)), A(vals)) is None  # mask: any shape of a's size
            same(x, ref, what=(k, vals.size))
    x = A(np.arange(4))
    I.putmask(BACKEND, x, A(np.ones(4, bool)), A(np.zeros(0, np.int64)))
    same(x, np.arange(4))


@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
def test_choose(mode):
    ch = RNG.standard_normal((3, 4, 5))
    a = RNG.integers(0, 3, (4, 5)) if mode == "raise" else RNG.integers(-4, 7, (4, 5))
    same(I.choose(BACKEND, A(a), A(ch), mode=mode), np.choose(a, ch, mode=mode))
    same(I.choose(BACKEND, A(a[0]), A(ch), mode=mode), np.choose(a[0], ch, mode=mode))  # a broadcasts
    small = a.astype(np.uint8) % 3
    same(I.choose(BACKEND, A(small), A(ch[:, :1]), mode=mode), np.choose(small, ch[:, :1], mode=mode))
    out = rp.empty((4, 5), dtype=rp.float64, device=DEFAULT)
    assert I.choose(BACKEND, A(a), A(ch), out=out, mode=mode) is out
    same(out, np.choose(a, ch, mode=mode))


def test_choose_shapes_and_errors():
    same(I.choose(BACKEND, A(np.array(1)), A(np.array([1.0, 2.0]))), np.choose(np.array(1), np.array([1.0, 2.0])))
    same(I.choose(BACKEND, A(np.zeros((0, 2), np.int64)), A(np.ones((2, 2), np.int8))),
         np.choose(np.zeros((0, 2), np.int64), np.ones((2, 2), np.int8)))
    raises_like(lambda: I.choose(BACKEND, A(np.array([0, 3])), A(np.zeros((2, 2)))),
                lambda: np.choose(np.array([0, 3]), np.zeros((2, 2))))
    raises_like(lambda: I.choose(BACKEND, A(np.array([-1, 0])), A(np.zeros((2, 2)))),
                lambda: np.choose(np.array([-1, 0]), np.zeros((2, 2))))


@pytest.mark.parametrize("order", ["C", "F"])
def test_ravel_and_unravel(order):
    dims = (3, 4, 5)
    mi = np.stack([RNG.integers(0, d, 6) for d in dims])
    flat = np.ravel_multi_index(mi, dims, order=order)
    same(I.ravel_multi_index(BACKEND, A(mi), dims, order=order), flat)
    same(I.ravel_multi_index(BACKEND, tuple(A(m) for m in mi), dims, order=order), flat)
    same(I.unravel_index(BACKEND, A(flat), dims, order=order), np.unravel_index(flat, dims, order=order))
    u16 = flat.reshape(2, 3).astype(np.uint16)
    same(I.unravel_index(BACKEND, A(u16), dims, order=order), np.unravel_index(u16, dims, order=order))
    mi2 = (np.array([[-1, 5, 2]]), np.array([7, -8, 3]).reshape(3, 1))
    for mode in ("wrap", "clip", ("wrap", "clip"), ("clip", "wrap")):
        same(I.ravel_multi_index(BACKEND, tuple(A(m) for m in mi2), (4, 6), mode=mode, order=order),
             np.ravel_multi_index(mi2, (4, 6), mode=mode, order=order))


def test_ravel_and_unravel_edges():
    raises_like(lambda: I.ravel_multi_index(BACKEND, (A(np.array([3])), A(np.array([0]))), (3, 4)),
                lambda: np.ravel_multi_index((np.array([3]), np.array([0])), (3, 4)))
    raises_like(lambda: I.ravel_multi_index(BACKEND, (A(np.array([0])), A(np.array([-1]))), (3, 4)),
                lambda: np.ravel_multi_index((np.array([0]), np.array([-1])), (3, 4)))
    raises_like(lambda: I.ravel_multi_index(BACKEND, A(np.zeros((2, 1), np.int64)), (2 ** 62, 3)),
                lambda: np.ravel_multi_index(np.zeros((2, 1), np.int64), (2 ** 62, 3)))
    none = np.zeros((0,), np.int64)
    same(I.ravel_multi_index(BACKEND, A(none), ()), np.ravel_multi_index(none, ()))
    same(I.ravel_multi_index(BACKEND, A(np.zeros((2, 0), np.int64)), (3, 0)),
         np.ravel_multi_index(np.zeros((2, 0), np.int64), (3, 0)))
    same(I.ravel_multi_index(BACKEND, (A(np.array(2)), A(np.array(3))), (3, 4)), np.ravel_multi_index((2, 3), (3, 4)))
    big = np.array([2 ** 64 - 1, 5], np.uint64)  # NumPy casts to intp first: 2**64 - 1 is -1
    for mode in ("wrap", "clip"):
        same(I.ravel_multi_index(BACKEND, (A(big),), (3,), mode=mode), np.ravel_multi_index((big,), (3,), mode=mode))
    same(I.unravel_index(BACKEND, A(np.array(5)), (2, 3)), np.unravel_index(np.array(5), (2, 3)))
    same(I.unravel_index(BACKEND, A(np.array(0)), ()), np.unravel_index(np.array(0), ()))
    same(I.unravel_index(BACKEND, A(np.array([], np.int64)), (0, 3)), np.unravel_index(np.array([], np.int64), (0, 3)))
    same(I.unravel_index(BACKEND, A(np.array([4, 0, 7])), (8,)), np.unravel_index(np.array([4, 0, 7]), (8,)))
    for ind, shape in (([1, 6], (2, 3)), ([1, -1], (2, 3)), ([0, 0], ()), ([5], ()), ([1], (3, 0))):
        raises_like(lambda: I.unravel_index(BACKEND, A(np.array(ind)), shape),
                    lambda: np.unravel_index(np.array(ind), shape))


def test_repeat():
    x = RNG.standard_normal((3, 4))
    for rep, axis in ((np.array([2, 0, 1]), 0), (np.array([1, 3, 0, 2]), 1), (np.array([1, 3, 0, 2]), -1),
                      (np.arange(12) % 3, None), (np.array([0, 0, 0]), 0), (2, 1), (0, None), (np.array([3]), 0)):
        if isinstance(rep, np.ndarray) and rep.size == 1:
            xs = x[:1]
        else:
            xs = x
        ours = A(rep) if isinstance(rep, np.ndarray) else rep
        same(I.repeat(BACKEND, A(xs), ours, axis=axis), np.repeat(xs, rep, axis=axis), what=(rep, axis))
    same(I.repeat(BACKEND, A(np.zeros((0, 2))), A(np.zeros(0, np.int64)), axis=0),
         np.repeat(np.zeros((0, 2)), np.zeros(0, np.int64), axis=0))
    b = RNG.random((2, 3, 2)) > 0.5
    same(I.repeat(BACKEND, strided_like(b[:, ::-1], force=True), A(np.array([2, 1, 3])), axis=1),
         np.repeat(b[:, ::-1], [2, 1, 3], axis=1))
    same(I.repeat(BACKEND, A(np.array(7)), A(np.array([4])), axis=None), np.repeat(np.array(7), [4]))


# ---- padding_bits ----------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.bool_, np.uint8, np.int32, np.int64])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("bitorder", ["big", "little"])
def test_packbits(dtype, axis, bitorder):
    a = (RNG.integers(-2, 3, (3, 13)) * (RNG.random((3, 13)) > 0.5)).astype(dtype)
    same(P.packbits(BACKEND, A(a), axis=axis, bitorder=bitorder), np.packbits(a, axis=axis, bitorder=bitorder))
    same(P.packbits(BACKEND, strided_like(a[::-1, ::3], force=True), axis=axis, bitorder=bitorder),
         np.packbits(a[::-1, ::3], axis=axis, bitorder=bitorder))


def test_packbits_shapes():
    same(P.packbits(BACKEND, A(np.array(5))), np.packbits(np.array(5)))
    same(P.packbits(BACKEND, A(np.zeros((2, 0), bool)), axis=1), np.packbits(np.zeros((2, 0), bool), axis=1))
    same(P.packbits(BACKEND, A(np.ones((2, 8, 3), bool)), axis=1), np.packbits(np.ones((2, 8, 3), bool), axis=1))


@pytest.mark.parametrize("axis", [None, 0, 1, -2])
@pytest.mark.parametrize("bitorder", ["big", "little"])
@pytest.mark.parametrize("count", [None, 0, 3, 9, 40, 50, -1, -7])
def test_unpackbits(axis, bitorder, count):
    u = RNG.integers(0, 256, (3, 5)).astype(np.uint8)
    same(P.unpackbits(BACKEND, A(u), axis=axis, count=count, bitorder=bitorder),
         np.unpackbits(u, axis=axis, count=count, bitorder=bitorder))


def test_unpackbits_shapes_and_errors():
    same(P.unpackbits(BACKEND, A(np.array(5, np.uint8))), np.unpackbits(np.array(5, np.uint8)))
    u = RNG.integers(0, 256, (4, 3)).astype(np.uint8)
    same(P.unpackbits(BACKEND, strided_like(u[::-2], force=True), axis=0), np.unpackbits(u[::-2], axis=0))
    # NumPy leaves the padding of an empty axis unwritten; the answer is zeros.
    same(P.unpackbits(BACKEND, A(np.zeros((2, 0), np.uint8)), axis=1, count=3), np.zeros((2, 3), np.uint8))
    raises_like(lambda: P.unpackbits(BACKEND, A(np.array([1, 2], np.uint8)), count=-17),
                lambda: np.unpackbits(np.array([1, 2], np.uint8), count=-17))


PAD_ARRAYS = {"f8": RNG.standard_normal((4, 5)), "i4": RNG.integers(-50, 50, (3, 4, 2)).astype(np.int32),
              "u1": RNG.integers(0, 255, (6,)).astype(np.uint8), "f4": RNG.standard_normal((2, 3)).astype(np.float32),
              "c16": RNG.standard_normal((3, 3)) + 1j * RNG.standard_normal((3, 3)),
              "b": RNG.random((3, 2)) > 0.5, "one": np.array([[3.5]]), "f2": RNG.standard_normal(5).astype(np.float16)}
PAD_WIDTHS = [1, (2, 3), ((1, 0),), 0, 7, [[0, 2]], ((3,),)]
PAD_MODES = [("constant", {}), ("constant", dict(constant_values=9)), ("constant", dict(constant_values=((1, 2),))),
             ("constant", dict(constant_values=2.7)), ("edge", {}), ("wrap", {}), ("reflect", {}), ("symmetric", {}),
             ("reflect", dict(reflect_type="odd")), ("symmetric", dict(reflect_type="odd")), ("linear_ramp", {}),
             ("linear_ramp", dict(end_values=(5, -3))), ("linear_ramp", dict(end_values=2.5)),
             ("linear_ramp", dict(end_values=[[1, 2]])), ("maximum", {}), ("minimum", dict(stat_length=2)),
             ("mean", {}), ("mean", dict(stat_length=(1, 3))), ("median", {}),
             ("median", dict(stat_length=((2, 1),))), ("maximum", dict(stat_length=0))]
PAD_APPROX = ("mean", "median")  # reductions: the device's summation order on a GPU


@pytest.mark.parametrize("name", list(PAD_ARRAYS))
@pytest.mark.parametrize("mode,kw", PAD_MODES)
def test_pad(name, mode, kw):
    a = PAD_ARRAYS[name]
    if a.dtype == bool and (mode in ("linear_ramp", "mean", "median") or kw.get("reflect_type") == "odd"):
        pytest.skip("NumPy itself fails (bool arithmetic)")
    if a.dtype.kind == "c" and mode in ("maximum", "minimum", "median"):
        pytest.skip("no ordering of complex values")
    for w in PAD_WIDTHS:
        try:
            pw = tuple(map(tuple, np.broadcast_to(np.asarray(w, dtype=np.intp), (a.ndim, 2)).tolist()))
        except ValueError:
            continue
        with np.errstate(all="ignore"):
            try:
                e = np.pad(a, pw, mode=mode, **kw)
            except ValueError:
                raises_like(lambda: P.pad(BACKEND, A(a), pw, mode=mode, **kw), lambda: np.pad(a, pw, mode=mode, **kw))
                continue
            r = P.pad(BACKEND, A(a), pw, mode=mode, **kw)
        same(r, e, approx=mode in PAD_APPROX, what=(w, mode, kw))


@pytest.mark.parametrize("mode,kw", [("reflect", {}), ("symmetric", {}), ("wrap", {}), ("edge", {}),
                                     ("reflect", dict(reflect_type="odd")), ("symmetric", dict(reflect_type="odd"))])
def test_pad_wider_than_the_array(mode, kw):
    for w in ((9, 14), (0, 11), (5, 0)):
        a = RNG.standard_normal(3)
        same(P.pad(BACKEND, A(a), (w,), mode=mode, **kw), np.pad(a, (w,), mode=mode, **kw), what=w)
        a = RNG.standard_normal((2, 3))
        same(P.pad(BACKEND, strided_like(a[:, ::-1], force=True), (w, w[::-1]), mode=mode, **kw),
             np.pad(a[:, ::-1], (w, w[::-1]), mode=mode, **kw), what=w)


def test_pad_empty_mode_0d_and_empty_axes():
    r = P.pad(BACKEND, A(np.arange(4.0)), ((2, 3),), mode="empty")
    assert r.shape == (9,) and r.dtype == rp.float64
    np.testing.assert_array_equal(rp.asnumpy(r)[2:6], np.arange(4.0))
    same(P.pad(BACKEND, A(np.array(5.0)), ()), np.pad(np.array(5.0), 1))  # a 0-d array: a copy
    same(P.pad(BACKEND, A(np.zeros((0, 3))), ((0, 0), (1, 2)), mode="edge"),
         np.pad(np.zeros((0, 3)), ((0, 0), (1, 2)), mode="edge"))
    same(P.pad(BACKEND, A(np.zeros((0, 3))), ((1, 1), (1, 2)), constant_values=4),
         np.pad(np.zeros((0, 3)), ((1, 1), (1, 2)), constant_values=4))
    raises_like(lambda: P.pad(BACKEND, A(np.zeros((0, 3))), ((1, 0), (0, 0)), mode="wrap"),
                lambda: np.pad(np.zeros((0, 3)), ((1, 0), (0, 0)), mode="wrap"))


# ---- what the compositions leave to the host -------------------------------------------------------

def test_not_implemented_cases():
    x = A(np.arange(4.0))
    assert P.pad(BACKEND, x, ((1, 1),), mode=lambda v, w, i, k: None) is NotImplemented
    assert I.choose(BACKEND, A(np.array([0, 1])), [x, x]) is NotImplemented
    assert E.unwrap(BACKEND, x, period=x) is NotImplemented
    assert E.interp(BACKEND, x, x, x, period=x) is NotImplemented
    assert E.interp(BACKEND, A(np.arange(4, dtype=np.float32)), x, x) is NotImplemented
    # NumPy has no loop for these: its TypeError comes from the host.
    assert I.put(BACKEND, x, A(np.array([1], np.uint64)), A(np.array([1.0]))) is NotImplemented
    assert E.ldexp(BACKEND, x, A(np.array([1], np.uint64))) is NotImplemented
    assert I.choose(BACKEND, A(np.array([1], np.uint64)), A(np.zeros((2, 1)))) is NotImplemented
    assert I.repeat(BACKEND, x, A(np.ones(4, np.uint64))) is NotImplemented


# ---- through the public functions -------------------------------------------------------------------

def _public_cases():
    a = RNG.standard_normal((3, 4))
    i = RNG.integers(0, 12, 5)
    m = RNG.random((3, 4)) > 0.5
    xp = np.sort(RNG.uniform(0, 1, 6))
    with np.errstate(all="ignore"):
        return [
            ("nan_to_num", lambda xp_: xp_.nan_to_num(np.array([np.nan, np.inf, 1.0]), posinf=3.0)),
            ("i0", lambda xp_: xp_.i0(a)),
            ("ldexp", lambda xp_: xp_.ldexp(a.astype(np.float32), np.arange(4))),
            ("unwrap", lambda xp_: xp_.unwrap(np.cumsum(a * 3, axis=1), axis=0)),
            ("interp", lambda xp_: xp_.interp(a, xp, xp ** 2, left=-1.0)),
            ("trapezoid", lambda xp_: xp_.trapezoid(a, dx=0.5, axis=0)),
            ("gradient", lambda xp_: xp_.gradient(a, 2.0, np.arange(4.0) ** 2)),
            ("ediff1d", lambda xp_: xp_.ediff1d(a, to_begin=np.array([9.0]))),
            ("choose", lambda xp_: xp_.choose(i % 3, [a[0, :1], a[1, :1] * 2, np.arange(5.0)], mode="wrap")),
            ("put", lambda xp_: _mutated(xp_, a, lambda t: xp_.put(t, i - 6, np.array([1.0, 2.0]), mode="clip"))),
            ("place", lambda xp_: _mutated(xp_, a, lambda t: xp_.place(t, m, np.array([5.0, 6.0, 7.0])))),
            ("putmask", lambda xp_: _mutated(xp_, a, lambda t: xp_.putmask(t, m, np.arange(5.0)))),
            ("ravel_multi_index", lambda xp_: xp_.ravel_multi_index((i % 3, i % 4), (3, 4))),
            ("unravel_index", lambda xp_: xp_.unravel_index(i, (3, 4), order="F")),
            ("packbits", lambda xp_: xp_.packbits(m, axis=1, bitorder="little")),
            ("unpackbits", lambda xp_: xp_.unpackbits(np.arange(6, dtype=np.uint8), count=-3)),
            ("repeat", lambda xp_: xp_.repeat(a, np.array([1, 0, 2]), axis=0)),
            ("pad", lambda xp_: xp_.pad(a, ((1, 2), (3, 0)), mode="reflect", reflect_type="odd")),
        ]


def _to_rp(v):
    if isinstance(v, np.ndarray):
        return rp.asarray(v)
    if isinstance(v, (list, tuple)):
        return type(v)(_to_rp(e) for e in v)
    return v


def _mutated(xp_, a, write):
    t = xp_.asarray(a.copy())
    assert write(t) is None
    return t


@pytest.mark.skipif(not ON_CPU, reason="replaces the host backend's run; a GPU calls the compositions itself")
@pytest.mark.parametrize("case", range(18))
def test_public_functions_reach_the_compositions(case, monkeypatch):
    """The public function's call of backend.run(name, ...) answered by the composition, as the GPU executor
    will: its arguments are the ones the compositions expect, and the result is NumPy's."""
    name, call = _public_cases()[case]
    host = rp.asarray(0).device.backend
    table = {**E.NATIVE, **I.NATIVE, **P.NATIVE}
    run, used = host.run, []

    def native_first(n, *args, **kwargs):
        if n in table:
            r = table[n](host, *args, **kwargs)
            if r is not NotImplemented:
                used.append(n)
                return r
        return run(n, *args, **kwargs)

    monkeypatch.setattr(host, "run", native_first)

    class Xp:  # rdnarray, with NumPy arrays among the arguments (also in lists and tuples) converted
        def __getattr__(self, attr):
            return lambda *args, **kwargs: getattr(rp, attr)(*[_to_rp(v) for v in args], **kwargs)

    with np.errstate(all="ignore"):
        ours = call(Xp())
        theirs = call(np)
    assert name in used
    same(ours if not isinstance(ours, list) else tuple(ours),
         tuple(theirs) if isinstance(theirs, (tuple, list)) else theirs, what=name)
