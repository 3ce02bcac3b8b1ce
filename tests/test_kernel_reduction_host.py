"""The reduction and scan kernels (src_hip/reduce.hip, cumulative.hip) and their planners
(kernels/reduction.py, kernels/scan.py), run on the CPU against NumPy.

No GPU is needed: a fake backend hands the planners host arrays (their addresses are real pointers) and
"launches" a kernel through tests/kernel_reduction_host.cpp, which g++ builds around the very source the
planner filled in: each block's 256 threads are fibers, __syncthreads a barrier, warp shuffles an
exchange among the warp's lanes, for warps of 32 (NVIDIA, RDNA) and 64 (CDNA) lanes. The arguments go
through the driver's own packing (``pack_arguments``), so formats and struct layouts are checked too.
A small ``compute_units`` makes modest arrays take the split (two- and three-launch) paths.
"""
import ctypes
import hashlib
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pytest

import rdnarray as rp
from rdnarray._backend import compiler, get
from rdnarray._core import reduction as R

pytestmark = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")

reduction = pytest.importorskip("rdnarray._backend.kernels.reduction")
scan = pytest.importorskip("rdnarray._backend.kernels.scan")
driver = pytest.importorskip("rdnarray._backend.driver", reason="the driver module is not built")
HARNESS = Path(__file__).resolve().with_name("kernel_reduction_host.cpp")
_LIBS = {}


class _Function:
    def __init__(self, lib, backend, source):
        self.lib, self.backend, self.source = lib, backend, source

    def launch(self, grid, block, shared_mem, stream, args, fmt):
        assert tuple(block) == (256, 1, 1) and shared_mem == 0 and grid[2] == 1
        assert grid[0] >= 1 and 1 <= grid[1] <= 65535
        data, offsets = driver.pack_arguments(fmt, args)
        buf = (ctypes.c_uint64 * (len(data) // 8 + 1))()
        ctypes.memmove(buf, data, len(data))
        base = ctypes.addressof(buf)
        params = (ctypes.c_void_p * len(offsets))(*[base + o for o in offsets])
        self.backend.launches.append((grid, fmt, self.source))
        assert self.lib.rp_host_launch(grid[0], grid[1], self.backend.props["warp_size"], params) == 0


class FakeBackend:
    """The parts of the GPU backend the planners use, over host memory."""
    stream = 0

    def __init__(self, workdir, warp=32, compute_units=2):
        self.workdir = workdir
        self.props = {"warp_size": warp, "compute_units": compute_units}
        self.host = get("cpu")
        self.launches = []

    def function(self, source, name, options=()):
        kind = {"rp_reduce": "REDUCE", "rp_scan_axis": "SCAN"}[name]
        key = hashlib.sha256((kind + source).encode()).hexdigest()[:20]
        lib = _LIBS.get(key)
        if lib is None:
            src = self.workdir / f"k_{key}.hip"
            so = self.workdir / f"k_{key}.so"
            src.write_text(source)
            cmd = ["g++", "-std=c++17", "-O1", "-shared", "-fPIC", "-w",
                   f"-I{compiler.source_dir()}", f'-DRP_KERNEL_SOURCE="{src}"', f"-DRP_KERNEL_{kind}",
                   str(HARNESS), "-o", str(so)]
            out = subprocess.run(cmd, capture_output=True, text=True)
            assert out.returncode == 0, out.stderr[-4000:]
            lib = _LIBS[key] = ctypes.CDLL(str(so))
            lib.rp_host_launch.argtypes = [ctypes.c_uint, ctypes.c_uint, ctypes.c_int,
                                           ctypes.POINTER(ctypes.c_void_p)]
        return _Function(lib, self, source)

    def empty(self, shape, dtype):
        return rp.empty(shape, dtype=dtype, device="cpu")

    def from_numpy(self, arr):
        return rp.asarray(np.array(arr), device="cpu")

    def to_numpy(self, x):
        return np.array(x._view())

    def copy(self, src, dst):
        self.host.copy(src, dst)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("reduction")


@pytest.fixture(scope="module")
def backend(workdir):
    return FakeBackend(workdir, warp=32)


@pytest.fixture(scope="module", params=[32, 64], ids=["warp32", "warp64"])
def any_backend(request, workdir):
    """Warps of 32 and 64 lanes, for the tests that cover every way lanes combine (the kernels are the
    same: the warp size is a run-time value)."""
    return FakeBackend(workdir, warp=request.param)


def dev(a):
    return rp.asarray(a, device="cpu")


def data(shape, dtype, rng, nan=0.0):
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    a = rng.standard_normal(shape)
    if dtype.kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    if nan:
        a[rng.random(shape) < nan] = np.nan
    return a.astype(dtype)


def close(got, want, dtype):
    dtype = np.dtype(dtype)
    assert got.shape == want.shape and got.dtype == want.dtype
    if dtype.kind in "fc":
        tol = {"e": 3e-3, "f": 2e-5, "F": 2e-5, "d": 1e-12, "D": 1e-12}[dtype.char]
        finite = np.abs(want[np.isfinite(want)])
        scale = max(1.0, float(finite.max())) if finite.size else 1.0  # sums cancel: rounding is absolute
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol * scale, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


def reduce(backend, row, a, x=None, axis=None, keepdims=False, dtype=None, out=None, **params):
    """row over ``axis`` through the GPU planner (on host memory) and through NumPy; both results."""
    x = dev(a) if x is None else x
    axes, dt, out = R.prepare(row, x, axis, dtype, out, keepdims)
    assert reduction.run(backend, row, x, axes, bool(keepdims), out, dt, **params) is None
    want = R.reduce(row, dev(a), axis, dtype, None, keepdims, **params)._view()
    return out._view(), want


SIMPLE = [R.SUM, R.PROD, R.MAX, R.MIN, R.ALL, R.ANY, R.MEAN, R.VAR, R.STD, R.PTP, R.NANSUM, R.NANPROD,
          R.NANMAX, R.NANMIN, R.NANMEAN, R.NANVAR, R.NANSTD]


@pytest.mark.parametrize("row", SIMPLE, ids=lambda r: r.name)
def test_every_row_float32(any_backend, row):
    backend = any_backend
    rng = np.random.default_rng(0)
    a = data((37, 300), np.float32, rng, nan=0.05 if row.name.startswith("nan") else 0.0)
    if row is R.PROD or row is R.NANPROD:
        a = (1 + a / 100).astype(np.float32)
    for axis in (None, 0, 1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got, want = reduce(backend, row, a, axis=axis)
        close(got, want, want.dtype)


@pytest.mark.parametrize("n", [1, 5, 1000, 70001])
def test_sum_full_sizes(any_backend, n):
    backend = any_backend
    rng = np.random.default_rng(n)
    a = data((n,), np.float32, rng)
    backend.launches.clear()
    got, want = reduce(backend, R.SUM, a)
    close(got, want, np.float32)
    if n == 70001:  # few outputs: partials, then their combination
        assert len(backend.launches) == 2 and backend.launches[0][0][1] > 1


def test_hot_path(backend, monkeypatch):
    # A repeated call of one launch (x.sum() of a small array) finds its plan with one key and launches
    # without _execute; an out overlapping x, initial= and ddof= take the general path.
    a = np.arange(1000, dtype=np.float32)
    x = dev(a)
    out = rp.empty((), dtype=np.float32, device="cpu")
    assert reduction.run(backend, R.SUM, x, (0,), False, out, None) is None
    monkeypatch.setattr(reduction, "_execute", None)  # calling it would raise
    backend.launches.clear()
    out._view()[()] = 0
    assert reduction.run(backend, R.SUM, x, (0,), False, out, None) is None
    assert len(backend.launches) == 1 and out._view()[()] == a.sum()
    monkeypatch.undo()
    got, want = reduce(backend, R.SUM._replace(identity=2.0), a, initial=2.0)
    close(got, want, np.float32)
    got, want = reduce(backend, R.VAR, a, ddof=1)
    close(got, want, np.float32)


def test_split_paths(any_backend):
    # Few outputs, many elements each: partials per chunk, then a second launch combines them.
    backend = any_backend
    rng = np.random.default_rng(9)
    for shape, axis, dtype in (((2000, 40), 0, np.float32), ((3, 20000), 1, np.float64)):
        a = data(shape, dtype, rng)
        for row in (R.SUM, R.VAR, R.MAX, R.NANMEAN):
            backend.launches.clear()
            got, want = reduce(backend, row, a, axis=axis)
            close(got, want, want.dtype)
            assert len(backend.launches) == 2 and backend.launches[0][0][1] > 1
        a[a.shape[0] // 2, :] = a.max()  # ties: the first index wins across chunks too
        arg(backend, "argmax", a, axis=axis)
        arg(backend, "argmin", a, axis=axis)


def _vec(launch):
    """VEC of a launch's kernel source."""
    return int(launch[2].split("constexpr int VEC = ")[1].split(";")[0])


def test_column_groups(any_backend):
    # Column kernels with VEC adjacent outputs per thread (one load of VEC elements per row): lanes that
    # share rows (a tree per output of the group), splits with their combining launch, strided and
    # reversed views, strided out, every accumulator layout; VEC halves until the rows are aligned.
    backend = any_backend
    rng = np.random.default_rng(10)
    cases = [  # (shape, axis, dtype, rows, VEC of the first launch)
        ((40, 64), 0, np.float32, (R.SUM, R.VAR, R.MAX, R.MEAN), {"sum": 4, "var": 2, "max": 4, "mean": 4}),
        ((20000, 8), 0, np.float32, (R.SUM, R.NANMEAN, R.PTP), {"sum": 4, "nanmean": 4, "ptp": 4}),
        ((256, 1024), 0, np.float32, (R.SUM, R.VAR), {"sum": 4, "var": 2}),  # 8 chunks: 2 lanes add them
        ((300, 302), 0, np.float32, (R.SUM, R.PROD), {"sum": 2, "prod": 2}),
        ((50, 128), 0, np.int8, (R.SUM, R.MAX), {"sum": 4, "max": 16}),
        ((33, 64), 0, np.bool_, (R.ALL, R.ANY, R.SUM), {"all": 16, "any": 16, "sum": 4}),
        ((20, 96), 0, np.float16, (R.MEAN, R.SUM), {"mean": 8, "sum": 8}),
        ((6, 50, 32), (0, 1), np.float64, (R.SUM, R.STD, R.MIN), {"sum": 2, "std": 1, "min": 2}),
        ((9, 40, 12), 1, np.complex64, (R.SUM, R.MAX), {"sum": 2, "max": 2}),
    ]
    for shape, axis, dtype, rows, vecs in cases:
        a = data(shape, dtype, rng)
        if dtype == np.float32 and shape[0] == 300:
            a = (1 + a / 300).astype(dtype)  # products of 300 factors stay finite
        for row in rows:
            backend.launches.clear()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                got, want = reduce(backend, row, a, axis=axis)
            if dtype == np.float16:
                want = R.reduce(row, dev(a.astype(np.float32)), axis, None, None, False)._view().astype(want.dtype)
            close(got, want, want.dtype)
            assert _vec(backend.launches[0]) == vecs[row.name], (shape, row.name)
            if shape in ((20000, 8), (256, 1024)):
                assert len(backend.launches) == 2 and backend.launches[0][0][1] > 1
    base = data((64, 132), np.float32, rng)  # rows of 528 bytes: every row 16-byte aligned
    views = [  # (view, its NumPy twin, VEC)
        (dev(base)[::-1, ::-1][:, 4:], base[::-1, ::-1][:, 4:], 4),   # reversed: aligned at the low end
        (dev(base)[:, 1:129], base[:, 1:129], 1),                       # 4 bytes off: one per thread
        (dev(base)[::3, 2:130], base[::3, 2:130], 2),                   # 8 bytes off: pairs
    ]
    for x, a, v in views:
        backend.launches.clear()
        got, want = reduce(backend, R.SUM, a, x=x, axis=0)
        close(got, want, np.float32)
        assert _vec(backend.launches[0]) == v
    out = dev(np.zeros(256, np.float32))[::2]  # strided out: output k of a group is k out-strides on
    got, want = reduce(backend, R.SUM, base[:, :128], x=dev(base)[:, :128], axis=0, out=out)
    close(got, want, np.float32)
    a = np.round(data((700, 16), np.float32, rng))  # argmax over rows: ties, the first index wins
    arg(backend, "argmax", a, axis=0)
    arg(backend, "argmin", a, axis=0, keepdims=True)


@pytest.mark.parametrize("unroll, blocks_per_cu", [(1, 1), (3, 16), (8, 4)])
def test_tunables(backend, monkeypatch, unroll, blocks_per_cu):
    # Every value of the tunables the lead may sweep gives the same results (plans are made anew).
    monkeypatch.setattr(reduction, "UNROLL", unroll)
    monkeypatch.setattr(reduction, "UNROLL_HEAVY", unroll)  # column kernels, 16-byte accumulators
    monkeypatch.setattr(reduction, "BLOCKS_PER_CU", blocks_per_cu)
    monkeypatch.setattr(reduction, "_plans", {})
    rng = np.random.default_rng(11)
    for shape, axis in (((70001,), None), ((3000, 24), 0), ((5, 4100), 1), ((40, 7, 9), (0, 2))):
        a = data(shape, np.float32, rng)
        for row in (R.SUM, R.VAR, R.MAX):
            got, want = reduce(backend, row, a, axis=axis)
            close(got, want, want.dtype)
        assert f"UNROLL = {unroll};" in backend.launches[-1][2]
    arg(backend, "argmax", data((3000, 24), np.float32, rng), axis=0)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int32", "int64", "uint64", "bool"])
def test_integer_sums_are_exact(backend, dtype):
    rng = np.random.default_rng(1)
    a = data((64, 33, 5), dtype, rng)
    for axis in (None, (0, 2), -1):
        got, want = reduce(backend, R.SUM, a, axis=axis)
        close(got, want, want.dtype)
    # accumulate in a narrow dtype: wraps like NumPy
    got, want = reduce(backend, R.SUM, a, axis=0, dtype=np.dtype(dtype))
    close(got, want, want.dtype)
    got, want = reduce(backend, R.PROD, a, axis=2)
    close(got, want, want.dtype)


@pytest.mark.parametrize("dtype", ["float16", "float64", "complex64", "complex128"])
def test_float_dtypes(backend, dtype):
    rng = np.random.default_rng(2)
    a = data((20, 130), dtype, rng)
    for row in (R.SUM, R.VAR, R.MAX):
        for axis, keepdims in ((1, False), (0, True)):
            got, want = reduce(backend, row, a, axis=axis, keepdims=keepdims)
            if dtype == "float16":  # NumPy rounds every partial sum to float16; the kernels sum in float32
                want = R.reduce(row, dev(a.astype(np.float32)), axis, None, None, keepdims)._view()
                want = want.astype(np.float16)
            close(got, want, want.dtype)


def test_layouts(any_backend):
    backend = any_backend
    # column (axis 0), row, several axes, negative and zero strides, transposes, strided out
    rng = np.random.default_rng(3)
    base = data((4, 30, 20), np.float64, rng)
    views = [
        (base, dev(base)),
        (base[::-1, ::2, ::-3], dev(base)[::-1, ::2, ::-3]),
        (base.transpose(2, 0, 1), rp.permute_dims(dev(base), (2, 0, 1))),
        (np.broadcast_to(base[:1], (3, 30, 20)), rp.broadcast_to(dev(base)[:1], (3, 30, 20))),
    ]
    for a, x in views:
        for axis in (None, 0, 1, 2, (0, 1), (0, 2), (1, 2)):
            for row in (R.SUM, R.VAR):
                got, want = reduce(backend, row, a, x=x, axis=axis)
                close(got, want, want.dtype)
    # a strided, non-contiguous out
    out = dev(np.zeros((20, 8))).mT[::2]
    got, want = reduce(backend, R.SUM, base, axis=1, out=out)
    close(got, want, np.float64)


def test_out_overlapping_input(backend):
    a = np.arange(12.0).reshape(3, 4)
    x = dev(a.copy())
    out = x[0]
    axes, dt, out = R.prepare(R.SUM, x, 0, None, out, False)
    assert reduction.run(backend, R.SUM, x, axes, False, out, dt) is None
    np.testing.assert_array_equal(x._view()[0], a.sum(axis=0))
    np.testing.assert_array_equal(x._view()[1:], a[1:])


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_nan_semantics(backend):
    a = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan], [-np.inf, 2.0, np.nan]], np.float32)
    a = np.concatenate([a, np.array([[np.inf, 1.0, 2.0], [np.inf, -np.inf, 0.0]], np.float32)])
    for row in (R.MAX, R.MIN, R.PTP, R.SUM, R.NANSUM, R.NANPROD, R.NANMEAN, R.VAR, R.NANVAR, R.NANSTD):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got, want = reduce(backend, row, a, axis=1)
        close(got, want, want.dtype)
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        got, want = reduce(backend, R.NANMAX, a, axis=1)
    close(got, want, want.dtype)
    with pytest.warns(RuntimeWarning, match="Degrees of freedom"):
        reduce(backend, R.VAR, a, axis=1, ddof=3)
    for row in (R.VAR, R.NANVAR, R.NANSTD):  # count - ddof <= 0: var divides by 0, nanvar says NaN
        for b, ddof in ((a, 2), (np.array([[1, 2, 3], [4, 6, 9]], np.int16), 3)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                got, want = reduce(backend, row, b, axis=1, ddof=ddof)
            close(got, want, want.dtype)


def test_ddof_initial_and_dtype(backend):
    rng = np.random.default_rng(4)
    a = data((33, 17), np.float32, rng)
    for ddof in (0, 1, 2.5):
        got, want = reduce(backend, R.STD, a, axis=0, ddof=ddof)
        close(got, want, want.dtype)
    for row, init in ((R.SUM, 5.0), (R.MAX, 10.0), (R.MIN, -0.5), (R.PROD, 2.0)):
        row = row._replace(identity=init)
        got, want = reduce(backend, row, a, axis=1, initial=init)
        close(got, want, want.dtype)
    got, want = reduce(backend, R.SUM, a, axis=1, dtype=np.dtype(np.float64))
    close(got, want, want.dtype)
    got, want = reduce(backend, R.MEAN, data((9, 40), np.int16, rng), axis=1)
    close(got, want, want.dtype)
    got, want = reduce(backend, R.PTP, data((9, 40), np.int8, rng), axis=1)
    close(got, want, want.dtype)


@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_empty_reductions_give_the_identity(backend):
    a = np.zeros((3, 0, 4), np.float32)
    for row in (R.SUM, R.PROD, R.ALL, R.ANY, R.NANSUM, R.MEAN, R.VAR, R.NANMEAN):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got, want = reduce(backend, row, a, axis=1)
        close(got, want, want.dtype)
    with pytest.warns(RuntimeWarning, match="Mean of empty slice"):
        reduce(backend, R.MEAN, a, axis=(0, 1))
    got, want = reduce(backend, R.MAX._replace(identity=-3.0), a, axis=1, initial=-3.0)
    close(got, want, want.dtype)
    got, want = reduce(backend, R.SUM, a, axis=0)  # nothing to compute
    close(got, want, want.dtype)


def arg(backend, name, a, x=None, axis=None, keepdims=False):
    x = dev(a) if x is None else x
    shape = (1,) * a.ndim if axis is None and keepdims else () if axis is None else (
        a.shape[:axis] + ((1,) if keepdims else ()) + a.shape[axis + 1:])
    out = rp.empty(shape, dtype=np.int64, device="cpu")
    assert reduction.arg_run(backend, name, x, axis, out) is None
    want = getattr(np, name)(a, axis=axis, keepdims=keepdims)
    np.testing.assert_array_equal(out._view(), want)


@pytest.mark.parametrize("dtype", ["float32", "int8", "bool", "complex128", "float16"])
def test_argmax_argmin(backend, dtype):
    rng = np.random.default_rng(5)
    a = data((23, 41), dtype, rng)
    if dtype in ("int8", "float16"):
        a = (a % 4 if dtype == "int8" else np.round(a)).astype(dtype)  # many ties: the first one wins
    for name in ("argmax", "argmin"):
        arg(backend, name, a)
        arg(backend, name, a[::-1, ::2], x=dev(a)[::-1, ::2])
        arg(backend, name, a.T, x=dev(a).mT)
        for axis in (0, 1):
            arg(backend, name, a, axis=axis)
            arg(backend, name, a, axis=axis, keepdims=True)
    if dtype == "float32":
        a[3, 7] = a[3, 20] = a[10, 2] = np.nan
        for name in ("argmax", "argmin"):
            arg(backend, name, a)
            arg(backend, name, a, axis=1)
            arg(backend, name, a, axis=0)
    big = data((50000,), np.float32, rng)
    big[[7, 40000]] = 100.0
    arg(backend, "argmax", big)  # split into chunks: the first of the tied maxima still wins


# ---- scans --------------------------------------------------------------------------------------------

def cum(backend, name, a, x=None, axis=0, dtype=None, out=None):
    x = dev(a) if x is None else x
    row = {"cumsum": R.SUM, "cumprod": R.PROD, "nancumsum": R.NANSUM, "nancumprod": R.NANPROD}[name]
    res = R.result_dtype(row, x.dtype, None if dtype is None else np.dtype(dtype))
    out = rp.empty(x.shape, dtype=res, device="cpu") if out is None else out
    assert scan.run(backend, name, x, axis, res, out) is out
    want = getattr(np, name)(a, axis=axis, dtype=dtype)
    return out._view(), want


@pytest.mark.parametrize("shape, axis", [((1,), 0), ((7,), 0), ((1000,), 0), ((20000,), 0), ((300, 50), 0),
                                         ((300, 50), 1), ((3, 3000), 1), ((2000, 3), 0), ((4, 5, 6), 1),
                                         ((600, 40), 0)])
def test_cumsum_shapes(any_backend, shape, axis):
    backend = any_backend
    rng = np.random.default_rng(6)
    a = data(shape, np.float64, rng)
    got, want = cum(backend, "cumsum", a, axis=axis)
    close(got, want, np.float64)
    ai = data(shape, np.int32, rng)
    got, want = cum(backend, "cumsum", ai, axis=axis)
    close(got, want, want.dtype)


def test_scan_variants(backend):
    rng = np.random.default_rng(7)
    a = data((40, 900), np.float32, rng, nan=0.1)
    for name in ("nancumsum", "nancumprod", "cumsum"):
        b = a if name != "nancumprod" else (1 + a / 1000).astype(np.float32)
        for axis in (0, 1):
            got, want = cum(backend, name, b, axis=axis)
            close(got, want, np.float32)
    i8 = data((30, 70), np.int8, rng)
    got, want = cum(backend, "cumprod", i8, axis=1)  # int64 products that wrap
    close(got, want, want.dtype)
    got, want = cum(backend, "cumsum", i8, axis=1, dtype=np.int8)
    close(got, want, want.dtype)
    c = data((5, 300), np.complex128, rng)
    got, want = cum(backend, "cumsum", c, axis=1)
    close(got, want, np.complex128)
    h = data((3000,), np.float16, rng)
    got, want = cum(backend, "cumsum", h, dtype=np.float32)
    close(got, want, np.float32)
    b = rng.random(5000) < 0.5
    got, want = cum(backend, "cumsum", b)
    close(got, want, want.dtype)


def test_scan_strides_and_in_place(any_backend):
    backend = any_backend
    rng = np.random.default_rng(8)
    base = data((60, 80), np.float64, rng)
    a, x = base[::-2, ::-1], dev(base)[::-2, ::-1]
    for axis in (0, 1):
        got, want = cum(backend, "cumsum", a, x=x, axis=axis)
        close(got, want, np.float64)
    out = dev(np.zeros((80, 30)))
    got, want = cum(backend, "cumsum", a, x=x, axis=1, out=out.mT)
    close(got, want, np.float64)
    y = dev(base.copy())
    got, want = cum(backend, "cumsum", base, x=y, axis=1, out=y)  # in place
    close(got, want, np.float64)
    y = dev(base.copy())
    got, want = cum(backend, "cumsum", base[:, :-1], x=y[:, :-1], axis=1, out=y[:, 1:])  # shifted overlap
    close(got, want, np.float64)
