"""The GEMM kernels (src_hip/gemm.hip) and their planner (kernels/gemm.py), run on the CPU against NumPy.

No GPU is needed: a fake backend hands the planner host arrays (their addresses are real pointers) and
"launches" a kernel by calling tests/kernel_gemm_host.cpp, which g++ builds around the very source the
planner filled in, running each block's 256 threads as POSIX threads with a barrier for __syncthreads.
So this covers the planning (1-D operands, batch broadcasting and collapsing, transposed operands, the
C^T = B^T A^T path, alignment, temporaries for ``out``) and the kernels' tile logic and edge handling.
"""
import ctypes
import hashlib
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rdnarray as rp
from rdnarray._backend import compiler, get

pytestmark = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")

gemm = pytest.importorskip("rdnarray._backend.kernels.gemm")
HARNESS = Path(__file__).resolve().with_name("kernel_gemm_host.cpp")


class _Function:
    def __init__(self, lib, name):
        self.lib, self.name = lib, name

    def launch(self, grid, block, shared_mem, stream, args, fmt):
        assert block == (256, 1, 1) and grid[1:] == (1, 1) and shared_mem == 0
        assert len(fmt) == len(args) and set(fmt) <= set("Piq")
        for code, value in zip(fmt, args):
            assert isinstance(value, int)
            if code == "i":
                assert -2**31 <= value < 2**31
        values = (ctypes.c_longlong * len(args))(*args)
        assert self.lib.rp_host_launch(self.name.encode(), grid[0], values) == 0


class FakeBackend:
    """The parts of the GPU backend the planner uses, over host memory."""
    stream = 0
    props = {"warp_size": 32}

    def __init__(self, workdir):
        self.workdir = workdir
        self.host = get("cpu")
        self.libs = {}
        self.launches = []

    def library(self, source):
        key = hashlib.sha256(source.encode()).hexdigest()[:16]
        lib = self.libs.get(key)
        if lib is None:
            src = self.workdir / f"gemm_{key}.hip"
            so = self.workdir / f"gemm_{key}.so"
            src.write_text(source)
            cmd = ["g++", "-std=c++17", "-O1", "-shared", "-fPIC", "-pthread", "-Wno-unknown-pragmas",
                   f"-I{compiler.source_dir()}", f'-DRP_GEMM_SOURCE="{src}"', str(HARNESS), "-o", str(so)]
            out = subprocess.run(cmd, capture_output=True, text=True)
            assert out.returncode == 0, out.stderr
            lib = self.libs[key] = ctypes.CDLL(str(so))
            lib.rp_host_launch.argtypes = [ctypes.c_char_p, ctypes.c_longlong, ctypes.POINTER(ctypes.c_longlong)]
        return lib

    def function(self, source, name, options=()):
        self.launches.append(name)
        return _Function(self.library(source), name)

    def empty(self, shape, dtype):
        return rp.empty(shape, dtype=dtype, device="cpu")

    def copy(self, src, dst):
        self.host.copy(src, dst)

    def contiguous(self, x):
        return x if x._view().flags.c_contiguous else rp.asarray(np.ascontiguousarray(x._view()), device="cpu")


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    return FakeBackend(tmp_path_factory.mktemp("gemm"))


def dev(a):
    return rp.asarray(a, device="cpu")


def data(shape, dtype, rng):
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.3
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    if dtype.kind == "c":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def expected(a, b, dtype):
    dtype = np.dtype(dtype)
    if dtype == np.float16:  # NumPy's float16 matmul sums in float32 too; compare with that, rounded once
        return np.matmul(a.astype(np.float32), b.astype(np.float32)).astype(np.float16)
    return np.matmul(a, b, dtype=dtype)


def check(backend, a, b, dtype=None, out=None, xa=None, xb=None):
    """matmul through the planner and kernels vs NumPy; ``xa``/``xb`` are rdnarray views of a/b."""
    dtype = np.dtype(dtype or np.result_type(a, b))
    xa = dev(a) if xa is None else xa
    xb = dev(b) if xb is None else xb
    if out is None:
        r = gemm.matmul(backend, xa, xb, dtype=dtype)
    else:
        r = gemm.matmul(backend, xa, xb, out=out, dtype=dtype, casting="unsafe")
        assert r is out
    want = expected(a, b, dtype)
    got = r._view()
    assert got.shape == want.shape
    if dtype.kind in "fc":
        tol = {"e": 2e-3, "f": 1e-5, "F": 1e-5, "d": 1e-12, "D": 1e-12}[dtype.char]
        scale = max(1.0, float(np.abs(want).max(initial=0)))
        np.testing.assert_allclose(got, want.astype(got.dtype), rtol=tol, atol=tol * scale * max(1, a.shape[-1]) ** 0.5)
    else:
        np.testing.assert_array_equal(got, want.astype(got.dtype))
    return r


def test_index_math(backend):
    lib = backend.library(gemm.source(np.float32, vec=True))
    assert lib.rp_host_check_index_math() == 0


@pytest.mark.parametrize("sa, sb", [
    ((1, 1), (1, 1)), ((130, 17), (17, 129)), ((7, 300), (300, 5)), ((128, 16), (16, 128)),
    ((5,), (5, 7)), ((3, 4), (4,)), ((9,), (9,)), ((0, 4), (4, 3)), ((3, 0), (0, 5)), ((2, 1, 33, 20), (3, 20, 5)),
    ((2, 3, 4, 5, 6), (2, 3, 4, 6, 7)), ((4, 6), (2, 3, 6, 5)),
])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_tiled_shapes(backend, sa, sb, dtype):
    rng = np.random.default_rng(0)
    a, b = data(sa, dtype, rng), data(sb, dtype, rng)
    check(backend, a, b)
    assert backend.launches[-1:] in ([], ["rp_gemm_tiled"])


@pytest.mark.parametrize("ta", [False, True])
@pytest.mark.parametrize("tb", [False, True])
def test_tiled_transposed_operands_need_no_copy(backend, ta, tb):
    rng = np.random.default_rng(1)
    M, N, K = 131, 67, 45
    a = data((K, M) if ta else (M, K), np.float32, rng)
    b = data((N, K) if tb else (K, N), np.float32, rng)
    xa, xb = dev(a), dev(b)
    xa, xb = (xa.mT if ta else xa), (xb.mT if tb else xb)
    a, b = (a.T if ta else a), (b.T if tb else b)
    copied = []
    contiguous = backend.contiguous
    backend.contiguous = lambda x: copied.append(x) or contiguous(x)
    try:
        check(backend, a, b, xa=xa, xb=xb)
    finally:
        del backend.contiguous
    assert copied == []


def test_tiled_odd_strides(backend):
    rng = np.random.default_rng(2)
    base_a, base_b = data((70, 90), np.float32, rng), data((90, 80), np.float32, rng)
    # negative row stride; a column slice (misaligned: scalar loads); both strides non-unit (a copy)
    for sa, sb in [(np.s_[::-1, :], np.s_[:, ::-1]), (np.s_[:, 1:], np.s_[1:, 3:]), (np.s_[::2, ::3], np.s_[::3, ::2])]:
        a, b = base_a[sa], base_b[sb]
        k = min(a.shape[1], b.shape[0])
        check(backend, a[:, :k], b[:k], xa=dev(base_a)[sa][:, :k], xb=dev(base_b)[sb][:k])
    # a broadcast (zero-stride) batch axis and a broadcast row
    a = np.broadcast_to(base_a[:1, :40], (3, 5, 40))
    check(backend, a, base_b[:40, :9], xa=rp.broadcast_to(dev(base_a)[:1, :40], (3, 5, 40)), xb=dev(base_b)[:40, :9])


def test_batch_axes_that_do_not_collapse(backend):
    rng = np.random.default_rng(3)
    base = data((4, 3, 2, 6, 5), np.float32, rng)
    a = base.transpose(2, 1, 0, 3, 4)                      # batch (2, 3, 4), strides out of order
    b = data((2, 1, 4, 5, 7), np.float32, rng)
    check(backend, a, b, xa=rp.permute_dims(dev(base), (2, 1, 0, 3, 4)))
    c = check(backend, a, b, dtype=np.complex64, xa=rp.permute_dims(dev(base), (2, 1, 0, 3, 4)))
    assert c.dtype == np.complex64


def test_out(backend):
    rng = np.random.default_rng(4)
    a, b = data((37, 29), np.float32, rng), data((29, 41), np.float32, rng)
    for order in "CF":  # F: the kernel computes C^T = B^T A^T into the transposed view
        out = dev(np.zeros((37, 41), np.float32, order=order))
        check(backend, a, b, out=out)
    out = dev(np.zeros((37, 82), np.float32))[:, ::2]   # neither axis unit-stride: a temporary, then a copy
    check(backend, a, b, out=out)
    out = dev(np.zeros((37, 41), np.float64))          # another dtype: computed in float32, cast into out
    check(backend, a, b, dtype=np.float32, out=out)
    np.testing.assert_allclose(out._view(), np.matmul(a, b), rtol=1e-5, atol=1e-4)
    # out overlapping an input, as np.matmul(a, b, out=a) allows
    sq = data((40, 40), np.float32, rng)
    x = dev(sq.copy())
    r = gemm.matmul(backend, x, dev(sq), out=x, dtype=np.float32, casting="unsafe")
    np.testing.assert_allclose(r._view(), sq @ sq, rtol=1e-5, atol=1e-4)
    # the generic kernel writes any strides, negative ones too
    out = dev(np.zeros((37, 41), np.int16))[::-1, ::-1]
    ai, bi = data((37, 29), np.int16, rng), data((29, 41), np.int16, rng)
    check(backend, ai, bi, out=out)


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64",
                                   "uint64", "float16", "complex64", "complex128"])
def test_generic_dtypes(backend, dtype):
    rng = np.random.default_rng(5)
    # 70 x 33 x 66: more than one 64-tile each way, a ragged k tile; integers overflow and wrap like NumPy
    a, b = data((2, 70, 33), dtype, rng), data((33, 66), dtype, rng)
    check(backend, a, b)
    assert backend.launches[-1] == "rp_gemm_generic"
    at, bt = data((33, 70), dtype, rng), data((66, 33), dtype, rng)  # transposed views, a ragged k slice
    check(backend, at.T[:, :17], bt.T[:17], xa=dev(at).mT[:, :17], xb=dev(bt).mT[:17])
    check(backend, a[0, 0], b)


def test_mixed_input_dtypes_are_cast(backend):
    rng = np.random.default_rng(6)
    a, b = data((9, 8), np.int8, rng), data((8, 7), np.float32, rng)
    check(backend, a, b, dtype=np.float64)


def test_k_zero_gives_zeros(backend):
    for dtype in ("float32", "int32", "complex128", "bool"):
        a, b = np.ones((3, 0), dtype), np.ones((0, 4), dtype)
        r = check(backend, a, b)
        assert not r._view().any()


def test_unsupported_dtype_falls_back(backend):
    x = dev(np.ones((2, 2), np.float32))
    assert gemm.matmul(backend, x, x, dtype=np.longdouble) is NotImplemented


@settings(max_examples=20, deadline=None)
@given(m=st.integers(1, 140), n=st.integers(1, 140), k=st.integers(0, 40),
       batch=st.sampled_from([(), (2,), (2, 1), (1, 3)]), ta=st.booleans(), tb=st.booleans(),
       dtype=st.sampled_from(["float32", "float64", "int16", "complex64"]), seed=st.integers(0, 2**16))
def test_differential(backend, m, n, k, batch, ta, tb, dtype, seed):
    """Random sizes (ragged tiles), batches that broadcast, operands stored transposed."""
    rng = np.random.default_rng(seed)
    a = data(batch + ((k, m) if ta else (m, k)), dtype, rng)
    b = data(batch[::-1] + ((n, k) if tb else (k, n)), dtype, rng)
    xa, xb = dev(a), dev(b)
    check(backend, np.swapaxes(a, -1, -2) if ta else a, np.swapaxes(b, -1, -2) if tb else b,
          xa=xa.mT if ta else xa, xb=xb.mT if tb else xb)
