"""The GPU's uniform draws (src_hip/philox.hip, kernels/philox.py): NumPy's Philox4x64-10 stream, bit for bit.

Without a GPU: the state arithmetic against NumPy's, the kernel in the host emulator (tests/kernel_host_emu.h)
and compiled by NVRTC. With one: rdnarray.random's draws on the device against NumPy's.
"""
import numpy as np
import pytest

import rdnarray as rp
import rdnarray.random as rnd
from rdnarray._backend import compiler
from rdnarray._backend.kernels import philox
from rdnarray.random import _generator
from test_kernel_sort_sources import _nvrtc, emu  # noqa: F401 (a fixture)

gpu = pytest.mark.skipif(not rp.gpu.is_available(), reason=f"no usable GPU: {rp.gpu.unavailable_reason()}")


def _generator_after(seed, doubles, floats, counter=None):
    """NumPy's Generator after ``doubles`` float64 and then ``floats`` float32 draws: every buffer position
    and leftover half; ``counter`` sets the counter first (to test its carries)."""
    g = np.random.Generator(np.random.Philox(seed))
    if counter is not None:
        st = g.bit_generator.state
        st["state"]["counter"] = np.array(counter, np.uint64)
        g.bit_generator.state = st
    g.random(doubles)
    g.random(floats, dtype=np.float32)
    return g


def _same_state(a, b):
    assert a["state"]["counter"].tolist() == b["state"]["counter"].tolist()
    assert a["state"]["key"].tolist() == b["state"]["key"].tolist()
    assert a["buffer"].tolist() == b["buffer"].tolist()
    assert (a["buffer_pos"], a["has_uint32"], a["uinteger"]) == (b["buffer_pos"], b["has_uint32"], b["uinteger"])


CARRY = [2**64 - 2, 2**64 - 1, 2**64 - 1, 7]  # the next blocks carry into every word of the counter
STARTS = [(0, 0, None), (1, 0, None), (3, 1, None), (2, 3, None), (0, 5, CARRY), (3, 0, CARRY)]


@pytest.mark.parametrize("doubles, floats, counter", STARTS)
@pytest.mark.parametrize("single", [False, True])
def test_plan_advances_the_state_as_numpy(doubles, floats, counter, single):
    for n in (0, 1, 2, 3, 4, 5, 8, 9, 17, 1000, 1001):
        g = _generator_after(3, doubles, floats, counter)
        p = philox.plan(g.bit_generator.state, n, single)
        g.random(n, dtype=np.float32 if single else np.float64)
        _same_state(p.state, g.bit_generator.state)


@pytest.mark.parametrize("doubles, floats, counter", STARTS)
def test_emulated_kernel_draws_numpys_numbers(emu, doubles, floats, counter):  # noqa: F811
    for dtype, n in [(np.float64, 1), (np.float64, 4099), (np.float32, 1), (np.float32, 2), (np.float32, 8195),
                     (np.float64, 300_001), (np.float32, 70_001)]:  # many tiles per block
        g, mine = (_generator_after(11, doubles, floats, counter) for _ in range(2))
        out = emu.empty((n,), dtype)
        philox.fill(emu, out, mine.bit_generator)
        np.testing.assert_array_equal(emu.to_numpy(out), g.random(n, dtype=dtype), strict=True)
        _same_state(mine.bit_generator.state, g.bit_generator.state)
    for low, high in [(0.0, 1.0), (-3.5, 1e-3), (2.0, 2.0), (-1e300 / 3, 1e300)]:
        g, mine = (_generator_after(11, doubles, floats, counter) for _ in range(2))
        out = emu.empty((5000,), np.float64)
        philox.fill(emu, out, mine.bit_generator, low, high)
        np.testing.assert_array_equal(emu.to_numpy(out), g.uniform(low, high, 5000), strict=True)
        _same_state(mine.bit_generator.state, g.bit_generator.state)


@pytest.mark.parametrize("source, name", philox.examples())
def test_examples_compile_with_nvrtc_for_sm90(source, name):
    image = _nvrtc().compile(source, name, [f"-I{compiler.source_dir()}"], "sm_90")
    assert image[:4] == b"\x7fELF" and name.encode() in image


# ---- on a GPU ----------------------------------------------------------------------------------------------

N = _generator.DEVICE_DRAW_MIN + 3


def _check(x, expected):
    assert x.device.kind == "gpu" and x.dtype == expected.dtype and x.shape == expected.shape
    np.testing.assert_array_equal(np.asarray(x), expected)


@gpu
@pytest.mark.parametrize("doubles, floats, counter", STARTS)
def test_gpu_draws_are_numpys(doubles, floats, counter):
    g = _generator_after(5, doubles, floats, counter)
    mine = rnd.Generator(_generator_after(5, doubles, floats, counter).bit_generator)
    for size, dtype in [(N, np.float64), ((3, N), np.float32), (N + 1, np.float32), (1 << 22, np.float64)]:
        _check(mine.random(size, dtype=dtype, device="gpu"), g.random(size, dtype=dtype))
    _check(mine.uniform(-2, 5.5, (2, N), device="gpu"), g.uniform(-2, 5.5, (2, N)))
    _check(mine.standard_normal(N, device="gpu"), g.standard_normal(N))  # the host's, after the device's
    _same_state(mine.bit_generator.state, g.bit_generator.state)


@gpu
def test_gpu_draws_into_out_and_through_the_legacy_functions():
    g = np.random.Generator(np.random.Philox(9))
    mine = rnd.default_rng(9)
    out = rp.zeros((2, 2 * N), dtype=rp.float32, device="gpu")
    view = out[:, ::2]
    assert mine.random(out=view, dtype=rp.float32) is view
    expected = np.zeros((2, 2 * N), np.float32)
    expected[:, ::2] = g.random((2, N), dtype=np.float32)
    np.testing.assert_array_equal(np.asarray(out), expected)
    rnd.seed(4)
    g = np.random.Generator(np.random.Philox(4))
    _check(rnd.rand(3, N, device="gpu"), g.random((3, N)))
    _check(rnd.uniform(1, 2, N, device="gpu"), g.uniform(1, 2, N))
    with pytest.raises(OverflowError, match="uniform"):
        mine.uniform(0, np.inf, N, device="gpu")
    with pytest.raises(ValueError, match="uniform"):
        mine.uniform(1, 0, N, device="gpu")

