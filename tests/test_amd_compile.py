"""The AMD compile check's machinery (tools/amd_compile_check.py), on a small kernel of its own that includes
src_hip/prelude.h: it compiles for gfx1030, gfx1100 (wave32) and gfx90a (wave64) and the code objects pass
inspection; a compile error and a missing kernel symbol are reported as failures; hiprtc (Debian's
libamdhip64.so.5) compiles it for gfx1030 and gfx90a. The check of every kernel template is its own step of
.ci/run. Without clang-19 these tests skip, except in CI (CI=true), where that is a failure: .ci/run installs it.
"""
import importlib.util
import os
import shutil
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "amd_compile_check.py"

KERNEL = r'''
#include "prelude.h"
extern "C" __global__ void rp_test_add(const float* a, const float* b, float* c, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float v = i < n ? a[i] + b[i] : 0.0f;
    for (int offset = warpSize / 2; offset > 0; offset >>= 1)   // a wave-wide sum: the warp size is the device's
        v += __shfl_down(v, offset);
    if (i < n) c[i] = sinf(v);
}
'''


@pytest.fixture(scope="module")
def tool():
    if shutil.which("clang++-19") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("clang++-19 is missing in CI: .ci/run installs clang-19 lld-19 llvm-19 rocm-device-libs "
                        "libamdhip64-dev")
        pytest.skip("clang++-19 is not installed (Debian: clang-19 lld-19 llvm-19 rocm-device-libs libamdhip64-dev)")
    spec = importlib.util.spec_from_file_location("amd_compile_check", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_kernel_compiles_for_every_target(tool):
    rows = tool.check([("test[0]", KERNEL, "rp_test_add")])
    assert sorted(r[3] for r in rows) == sorted(tool.TARGETS)
    for via, label, name, arch, seconds, problems in rows:
        assert problems == [], (arch, problems)


def test_failures_are_reported(tool):
    broken = KERNEL.replace("a[i] + b[i]", "a[i] + undeclared_thing")
    rows = tool.check([("test[0]", broken, "rp_test_add"), ("test[1]", KERNEL, "not_the_kernel")], ["gfx1030"])
    problems = {r[1]: "\n".join(r[5]) for r in rows}
    assert "clang failed" in problems["test[0]"] and "undeclared_thing" in problems["test[0]"]
    assert "symbol not_the_kernel" in problems["test[1]"] and "rp_test_add" in problems["test[1]"]


def test_isa_version_numbers(tool):
    # The numbers Debian's oclc_isa_version_*.bc hold, and the one made for gfx11.
    assert [tool.isa_version(a) for a in ("gfx1030", "gfx90a", "gfx1100", "gfx1151")] == [10300, 9010, 11000, 11501]


def test_hiprtc_compiles_for_gfx1030_and_gfx90a(tool):
    from rdnarray._backend import driver
    try:
        driver.load_rtc("hip")
    except Exception as e:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"hiprtc is missing in CI (.ci/run installs libamdhip64-dev): {e}")
        pytest.skip(f"no hiprtc here: {e}")
    rows = tool.check([], rtc=[("test[0]", KERNEL, "rp_test_add")])
    assert [(r[0], r[3], r[5]) for r in rows] == [("hiprtc", "gfx1030", []), ("hiprtc", "gfx90a", [])]
