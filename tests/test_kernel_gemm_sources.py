"""The GEMM kernel sources (src_hip/gemm.hip as kernels/gemm.py fills it) compile for NVIDIA without a GPU:
every instantiation in ``examples()`` through NVRTC for sm_90. (AMD: tools/amd_compile_check.py compiles
the same examples with clang and hiprtc.) tests/test_kernel_gemm_host.py runs them on the CPU; on a GPU,
the last test here runs rp.matmul through them against NumPy."""
import concurrent.futures
import os

import numpy as np
import pytest

from rdnarray._backend import compiler
from rdnarray._backend.kernels import fill, gemm


def test_placeholders_are_all_filled():
    sources = [s for s, _ in gemm.examples()]
    assert all("/*@" not in s for s in sources)
    assert len(set(sources)) == len(sources)  # every example is a distinct instantiation
    s = gemm.source(np.float16)
    assert "using T = rp::half;" in s and "using ACC = float;" in s
    s = gemm.source(np.int8)
    assert "using T = int8_t;" in s and "using ACC = uint32_t;" in s  # wrapping sums, as NumPy's
    s = gemm.source(np.float32, trans_a=True, trans_b=False, vec=True)
    assert "#define RP_GEMM_TILED 1\n" in s and gemm.kernel_name(np.float32) == "rp_gemm_tiled"
    assert "TRANS_A = true;" in s and "TRANS_B = false;" in s and "VEC = true;" in s
    assert "#define RP_GEMM_TILED 0\n" in gemm.source(np.complex64)


def test_fill_rejects_a_missing_placeholder():
    with pytest.raises(ValueError, match="NOPE"):
        fill("gemm.hip", {"NOPE": "double"})


def _nvrtc():
    driver = pytest.importorskip("rdnarray._backend.driver", reason="the driver module is not built")
    try:
        return driver.load_rtc("cuda")
    except driver.Unavailable as e:
        pytest.skip(f"NVRTC is not installed: {e}")


def test_examples_compile_with_nvrtc():
    rtc = _nvrtc()
    examples = gemm.examples()
    assert {name for _, name in examples} == {"rp_gemm_tiled", "rp_gemm_generic"}

    def build(example):
        source, name = example
        return rtc.compile(source, name, [f"-I{compiler.source_dir()}"], "sm_90")

    # NVRTC works without the GIL: the ~15 compiles (1 to 3 s each) share the machine's cores.
    with concurrent.futures.ThreadPoolExecutor(max(2, os.cpu_count() or 1)) as pool:
        images = list(pool.map(build, examples))
    for (_, name), image in zip(examples, images):
        assert image[:4] == b"\x7fELF" and name.encode() in image


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int8", "int64", "bool", "complex64"])
def test_gpu_matmul_matches_numpy(dtype):
    import rdnarray as rp
    if not rp.gpu.is_available():
        pytest.skip(f"no GPU: {rp.gpu.unavailable_reason()}")
    rng = np.random.default_rng(0)

    def make(shape):
        if dtype == "bool":
            return rng.random(shape) < 0.3
        if np.dtype(dtype).kind in "iu":
            return rng.integers(-100, 100, size=shape).astype(dtype)
        return rng.standard_normal(shape).astype(dtype)

    def close(got, want):
        if np.dtype(dtype).kind in "fc":
            tol = 3e-3 if dtype == "float16" else 1e-4
            np.testing.assert_allclose(got, want, rtol=tol, atol=tol * np.abs(want).max(initial=1))
        else:
            np.testing.assert_array_equal(got, want)

    def ref(a, b):
        if dtype == "float16":  # NumPy's float16 matmul sums in float32
            return (a.astype(np.float32) @ b.astype(np.float32)).astype(np.float16)
        return a @ b

    a, b = make((3, 130, 70)), make((70, 129))
    x, y = rp.asarray(a, device="gpu"), rp.asarray(b, device="gpu")
    close(rp.asnumpy(rp.matmul(x, y)), ref(a, b))
    close(rp.asnumpy(rp.matmul(y.mT, x.mT)), ref(b.T, np.swapaxes(a, -1, -2)))
    close(rp.asnumpy(rp.matmul(x[0, 5], y)), ref(a[0, 5], b))
    out = rp.asarray(np.zeros((129, 130), dtype), device="gpu").mT
    rp.matmul(x[1], y, out=out)
    close(rp.asnumpy(out), ref(a[1], b))
