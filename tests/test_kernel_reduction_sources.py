"""The reduction and scan kernels without a GPU: the planners' layout and launch-geometry decisions
(kernels/reduction.py, kernels/scan.py), and every instantiation in their ``examples()`` compiled by
NVRTC for sm_90 (AMD: tools/amd_compile_check.py compiles the same examples with clang and hiprtc).
Running them is tests/test_kernel_reduction_host.py's part (on CPU threads) and the GPU suite's."""
import numpy as np
import pytest

from rdnarray._backend import compiler
from rdnarray._backend.kernels import fill, reduction, scan

H100 = {"warp": 32, "cu": 132}


def test_placeholders_are_all_filled():
    for mod in (reduction, scan):
        sources = [s for s, _ in mod.examples()]
        assert all("/*@" not in s for s in sources)
        assert len(set(sources)) == len(sources)  # every example is a distinct instantiation
    s = reduction.source(np.float16, np.float32, np.float16, reduction.KERNELS["mean"].op, acc_size=4)
    assert "using in_t = rp::half;" in s and "using T = float;" in s and "rp_red::Mean<in_t, T>;" in s


def test_fill_rejects_a_missing_placeholder():
    with pytest.raises(ValueError, match="NOPE"):
        fill("reduce.hip", {"NOPE": "double"})


def test_accumulation_types():
    f16, f32, f64, i8, i64, u8, c8 = (np.dtype(c) for c in "efdbqBF")
    acc = reduction.accumulation_dtype
    assert acc("out", f16, f16, None) == (f16, f32)      # float16 sums in float32
    assert acc("out", i8, i64, None) == (i64, i64)       # NumPy's add.reduce sums in out's type
    assert acc("out", i8, i64, i8) == (i8, i8)           # ... or in dtype=
    assert acc("mean", u8, f64, None) == (f64, f64)
    assert acc("mean_float", i8, f64, i64) is None       # integer variance: the host's
    assert acc("out", c8, f32, f32) is None              # complex -> real: the host's
    assert acc("bool", c8, np.dtype("?"), None)[1] == np.dtype("?")
    assert reduction.accumulator_size("moments", np.dtype("D")) == 32
    assert reduction.accumulator_size("value_index", f32) == 16
    assert reduction.accumulator_size("sum_count", c8) == 12


def test_collapse():
    # C-contiguous (4, 5, 6) summed over axis 1: kept (4, 6) do not merge around the reduced axis
    kept, red, xs, os_ = reduction.collapse((4, 5, 6), (240, 48, 8), (1,), (48, 8))
    assert kept == [(4, 240, 48), (6, 8, 8)] and red == [(5, 48)] and xs == os_ == 0
    # full reduction of a C array: one reduced dimension; size-1 axes vanish
    kept, red, _, _ = reduction.collapse((3, 1, 7), (56, 56, 8), (0, 1, 2), ())
    assert kept == [(1, 0, 0)] and red == [(21, 8)]
    # negative strides flip (the base moves); argmax keeps the reduced order
    kept, red, xs, _ = reduction.collapse((10,), (-8,), (0,), ())
    assert red == [(10, 8)] and xs == -72
    kept, red, xs, _ = reduction.collapse((10,), (-8,), (0,), (), keep_order=True)
    assert red == [(10, -8)] and xs == 0
    # a transposed array reduced over everything merges into one run
    kept, red, _, _ = reduction.collapse((6, 4), (8, 48), (0, 1), ())
    assert red == [(24, 8)]
    kept, red, _, _ = reduction.collapse((6, 4), (8, 48), (0, 1), (), keep_order=True)
    assert red == [(6, 8), (4, 48)]


def test_geometry_of_the_benchmarks():
    w, cu = H100["warp"], H100["cu"]
    target = reduction.BLOCKS_PER_CU * cu
    # sum of 2**28 float32: block-wide rows, 16-byte loads, split over BLOCKS_PER_CU blocks per SM, then
    # one block adds the partials
    ry, blocks, s, chunk = reduction.geometry(1, 2**28, True, w, cu, vec=4)
    assert ry == reduction.BLOCK and blocks == 1 and s == target and chunk % 4 == 0 and s * chunk >= 2**28
    assert reduction.geometry(1, s, True, w, cu, split=False, combine=True)[:3] == (reduction.BLOCK, 1, 1)
    # sum(axis=0) of 16384 x 16384: a thread per 4 adjacent columns (16-byte loads), the rows split
    # across blocks so that the grid is just one wave (never a partial second one)
    ry, blocks, s, chunk = reduction.geometry(16384, 16384, False, w, cu, outs=4)
    assert ry == 1 and blocks == 16 and 0.9 * target <= s * blocks <= target and s * chunk >= 16384
    # ... then 16384 outputs of s partials each: lanes share an output's partials (about UNROLL each)
    ry2, blocks2, s2, _ = reduction.geometry(16384, s, False, w, cu, split=False, combine=True)
    assert s2 == 1 and ry2 > 1 and -(-s // ry2) <= 2 * reduction.UNROLL and blocks2 == 16384 // (256 // ry2)
    # the grid never exceeds the target (a partial wave would run alone)
    for M in (3000, 7000, 30000, 100000):
        ry, blocks, s, _ = reduction.geometry(M, 5000, False, w, cu)
        assert s == 1 or blocks * s <= target
    # sum(axis=1): a block per row, no split
    assert reduction.geometry(16384, 16384, True, w, cu) == (reduction.BLOCK, 16384, 1, 16384)
    # short rows: a warp (or less) per row
    assert reduction.geometry(100000, 100, True, w, cu)[:3] == (32, 12500, 1)
    assert reduction.geometry(100000, 3, True, 64, cu)[0] == 4
    # 1000 elements: one launch of one block
    assert reduction.geometry(1, 1000, True, w, cu) == (reduction.BLOCK, 1, 1, 1000)


def test_column_vectors():
    # Outputs per thread of a column kernel: adjacent along the contiguous kept dimension, up to 16 bytes
    # per load and MAX_COLUMN_ACC_BYTES of accumulators, halved until every row of the group is aligned.
    vec = reduction._column_vec
    kept, red = [(16384, 4, 4)], [(16384, 65536)]
    assert vec(kept, red, 4, 4, 0) == 4                     # float32 sum: 16-byte loads
    assert vec(kept, red, 4, 12, 0) == 2                    # float32 var: 12-byte accumulators
    assert vec(kept, red, 4, 4, 8) == 2 and vec(kept, red, 4, 4, 4) == 1   # the base's alignment
    assert vec([(302, 4, 4)], [(10, 1208)], 4, 4, 0) == 2   # 302 columns: pairs
    assert vec([(300, 4, 4)], [(10, 1204)], 4, 4, 0) == 1   # rows 1204 bytes apart: 4-byte aligned only
    assert vec([(64, 1, 1)], [(9, 64)], 1, 8, 0) == 4       # int8 summed in int64: 4 per thread
    assert vec([(64, 1, 1)], [(9, 64)], 1, 1, 0) == 16      # bool all
    assert vec([(64, 8, 8)], [(9, 1024)], 4, 4, 0) == 1     # strided columns: one per thread
    assert vec([(5, 4096, 16), (64, 4, 4)], [(9, 256)], 4, 4, 0) == 4


def test_scan_geometry():
    w, cu = H100["warp"], H100["cu"]
    mode, lanes, blocks, s, chunk = scan.geometry(1, 2**26, 4, [(1, 0, 0)], w, cu)
    assert mode == scan.BLOCKWISE and s > 100 and s * chunk >= 2**26
    mode, lanes, blocks, s, chunk = scan.geometry(16384, 16384, 65536, [(16384, 4, 4)], w, cu)
    assert mode == scan.COLUMN and lanes == 1 and blocks == 64 and s > 1
    assert scan.geometry(100000, 100, 4, [(100000, 400, 400)], w, cu)[:3] == (scan.WARP, 32, 12500)
    assert scan.geometry(1000, 5, 4, [(1000, 20, 20)], w, cu)[0] == scan.COLUMN


def test_argument_formats_match_the_kernels():
    driver = pytest.importorskip("rdnarray._backend.driver", reason="the driver module is not built")
    # rp_reduce(x, out, Layout{3 * KEPT + 2 * RED int64}, M, N, chunk, ry, split_stride, init, n, ddof)
    data, offsets = driver.pack_arguments(reduction._fmt(2, 1), (1, 2) + tuple(range(8)) + (3, 4, 5, 6, 7, 8, 1.0, 0.0))
    assert offsets == (0, 8, 16, 80, 88, 96, 104, 112, 120, 128, 136)
    # rp_scan_axis(x, out, Layout{3 * BATCH + 2 int64}, B, N, chunk, lanes, carry)
    data, offsets = driver.pack_arguments(scan._fmt(1), (1, 2) + tuple(range(5)) + (3, 4, 5, 6, 7))
    assert offsets == (0, 8, 16, 56, 64, 72, 80, 88)


def _nvrtc():
    driver = pytest.importorskip("rdnarray._backend.driver", reason="the driver module is not built")
    try:
        return driver.load_rtc("cuda")
    except driver.Unavailable as e:
        pytest.skip(f"NVRTC is not installed: {e}")


EXAMPLES = [("reduction", i) for i in range(len(reduction.examples()))] + [
    ("scan", i) for i in range(len(scan.examples()))]


@pytest.mark.parametrize("module, index", EXAMPLES)
def test_examples_compile_with_nvrtc(module, index):
    rtc = _nvrtc()
    mod = {"reduction": reduction, "scan": scan}[module]
    source, name = mod.examples()[index]
    image = rtc.compile(source, name, [*mod.OPTIONS, f"-I{compiler.source_dir()}"], "sm_90")
    assert image[:4] == b"\x7fELF" and name.encode() in image
