"""The sorting, searching and indexing kernels (src_hip/radix.h, sort_block.hip, radix_*.hip, scan.hip,
search.hip, unique.hip, compact.hip, gather.hip, select.hip) and their planners (kernels/sorting.py,
kernels/indexing.py).

Without a GPU: every example source compiles with NVRTC for sm_90; the radix key maps, built for the
host with g++, order every value as NumPy does; the planners' pure helpers. With a GPU: the natives
against NumPy.
"""
import ctypes
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest

import rdnarray as rp
from rdnarray._backend import compiler
from rdnarray._backend.kernels import indexing, sorting

ROOT = Path(__file__).resolve().parent.parent
SRC = compiler.source_dir()

gpu = pytest.mark.skipif(not rp.gpu.is_available(), reason=f"no usable GPU: {rp.gpu.unavailable_reason()}")


# ---- compile checks ----------------------------------------------------------------------------------

def _nvrtc():
    driver = pytest.importorskip("rdnarray._backend.driver", reason="the driver module is not built")
    try:
        return driver.load_rtc("cuda")
    except driver.Unavailable as e:
        pytest.skip(f"NVRTC is not installed: {e}")


def _grouped(examples):
    """[(source, [kernel names])]: each distinct source compiles once and must hold all its kernels."""
    groups = {}
    for src, name in examples:
        groups.setdefault(src, []).append(name)
    return list(groups.items())


SOURCES = [("sorting", i) for i in range(len(_grouped(sorting.examples())))] + [
    ("indexing", i) for i in range(len(_grouped(indexing.examples())))]


@pytest.mark.parametrize("module, index", SOURCES)
def test_examples_compile_with_nvrtc_for_sm90(module, index):
    rtc = _nvrtc()
    src, names = _grouped({"sorting": sorting, "indexing": indexing}[module].examples())[index]
    image = rtc.compile(src, names[0], [f"-I{compiler.source_dir()}"], "sm_90")
    assert image[:4] == b"\x7fELF"
    for name in names:
        assert name.encode() in image, f"{name} missing from its compiled image"


def test_examples_fill_every_placeholder():
    for module in (sorting, indexing):
        for src, name in module.examples():
            assert "/*@" not in src and re.search(rf"\b{name}\(", src), name


def test_source_requires_every_placeholder():
    with pytest.raises(ValueError, match="placeholders"):
        sorting.source("radix_onesweep.hip", K="uint32_t", KIND=2, C="unsigned", THREADS=256, ITEMS=16)


# ---- the key maps, on the host -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def keys_lib(tmp_path_factory):
    gxx = shutil.which("g++")
    if gxx is None:
        pytest.skip("g++ not found")
    lib = tmp_path_factory.mktemp("radix") / "keys.so"
    subprocess.run([gxx, "-std=c++17", "-O1", "-shared", "-fPIC", f"-I{SRC}", str(ROOT / "tests" / "radix_keys_host.cpp"),
                    "-o", str(lib)], check=True)
    return ctypes.CDLL(str(lib))


_SPECIALS = {
    "f": [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, -np.nan, 1e-45, -1e-45, 3.0, 2.5, -2.5],
}


def _values(dtype, rng):
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, 500).astype(dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        v = rng.integers(info.min, info.max, 2000, dtype=dtype, endpoint=True)
        return np.concatenate([v, np.array([info.min, info.max, 0, 1], dtype), v[:50]])
    bits = np.dtype(f"u{dtype.itemsize}")
    raw = rng.integers(0, np.iinfo(bits).max, 2000, dtype=bits, endpoint=True).view(dtype)  # NaNs of every payload
    special = np.array(_SPECIALS["f"], dtype)
    nan_bits = np.array([-1], f"i{dtype.itemsize}").view(dtype)  # the NaN with every bit set
    return np.concatenate([raw, special, nan_bits, rng.standard_normal(500).astype(dtype), special])


def _maps(lib, dtype, values):
    dtype = np.dtype(dtype)
    kind = sorting.key_spec(dtype)[1]
    u = values.view(f"u{dtype.itemsize}")
    key, ordered, back = (np.empty_like(u) for _ in range(3))
    fn = getattr(lib, f"keys_{8 * dtype.itemsize}_{kind}")
    fn(*(ctypes.c_void_p(a.ctypes.data) for a in (u, key, ordered, back)), ctypes.c_long(u.size))
    return key, ordered, back


@pytest.mark.parametrize("dtype", ["?", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f2", "f4", "f8"])
def test_keys_order_values_as_numpy(keys_lib, dtype):
    values = _values(dtype, np.random.default_rng(7))
    key, ordered, back = _maps(keys_lib, dtype, values)
    # to_key: a stable sort of the keys is NumPy's stable sort (-0.0 == +0.0, NaNs equal and last).
    np.testing.assert_array_equal(np.argsort(key, kind="stable"), np.argsort(values, kind="stable"))
    # to_ordered: invertible bit for bit, and sorting by it sorts the values.
    np.testing.assert_array_equal(back, values.view(back.dtype))
    np.testing.assert_array_equal(values[np.argsort(ordered, kind="stable")], np.sort(values))


@pytest.mark.parametrize("dtype", ["f2", "i2", "u2"])
def test_keys_of_every_16_bit_pattern(keys_lib, dtype):
    values = np.arange(1 << 16, dtype=np.uint16).view(dtype)
    key, ordered, back = _maps(keys_lib, dtype, values)
    np.testing.assert_array_equal(np.argsort(key, kind="stable"), np.argsort(values, kind="stable"))
    assert np.unique(ordered).size == 1 << 16  # a bijection
    np.testing.assert_array_equal(back, values.view(np.uint16))


def test_digits_of_keys_and_rows(keys_lib):
    v = np.array([0, 255, 256, 0x0102030405060708, 2**64 - 1, 12345], np.uint64)
    out = np.empty(v.size, np.uint32)
    for shift, seg in ((0, 0), (8, 0), (56, 0), (0, 7), (8, 100)):
        keys_lib.digits_u64(ctypes.c_void_p(v.ctypes.data), ctypes.c_void_p(out.ctypes.data), ctypes.c_long(v.size),
                            ctypes.c_int(shift), ctypes.c_ulonglong(seg))
        expect = [((int(x) // seg if seg else int(x)) >> shift) & 255 for x in v]
        assert out.tolist() == expect, (shift, seg)


# ---- the kernels themselves, emulated on the CPU -------------------------------------------------------
# tests/kernel_host_emu.h runs a kernel's blocks on host threads, several at once, so the Onesweep
# look-back meets predecessors that are running, published or done; EmuBackend gives the planners the
# backend interface they use (function, empty, copy, contiguous, to_numpy, driver.memset_d8) over host
# memory, so the real kernels and the real planners run together, without a GPU.

class _EmuFunction:
    def __init__(self, lib, name):
        self.launch_c = getattr(lib, f"emu_launch_{name}")
        self.launch_c.argtypes = [ctypes.c_uint, ctypes.c_uint, ctypes.POINTER(ctypes.c_void_p)]

    def launch(self, grid, block, shared_mem, stream, args, fmt):
        assert shared_mem == 0 and block[0] % 64 == 0 and tuple(block[1:]) == (1, 1) and grid[1:] == (1, 1)
        data, offsets = _pack(fmt, args)
        buf = (ctypes.c_uint64 * (len(data) // 8 + 1))()
        ctypes.memmove(buf, data, len(data))
        base = ctypes.addressof(buf)
        params = (ctypes.c_void_p * len(offsets))(*[base + o for o in offsets])
        self.launch_c(grid[0], block[0], params)


def _pack(fmt, args):
    """The argument buffer and parameter offsets, from the driver's own packing when it is built."""
    try:
        from rdnarray._backend.driver import pack_arguments
    except ImportError:
        pack_arguments = None
    if pack_arguments is not None:
        return pack_arguments(fmt, args)
    data, offsets, i = b"", [], 0
    for count, code in re.findall(r"(\d*)([a-zA-Z?])", fmt):
        k = int(count or 1)
        size = struct.calcsize(code)
        data += b"\0" * (-len(data) % size)
        offsets.append(len(data))
        data += struct.pack(f"@{k}{code}", *args[i:i + k])
        i += k
    assert i == len(args), (fmt, len(args))
    return data, tuple(offsets)


class _EmuDriver:
    def memset_d8(self, p, value, n, stream=0):
        ctypes.memset(p, value, n)


_KERNEL_NAME = re.compile(r'extern "C" __global__ void\s+(?:__launch_bounds__\(\w+\)\s+|RP_\w+_BOUNDS\s+)?(\w+)\s*\(')


class EmuBackend:
    """The GPU backend's interface over host memory, with kernels run by tests/kernel_host_emu.h: warps of
    ``warp`` lanes, ``blocks`` blocks at once."""
    stream = 0

    def __init__(self, workdir, warp=32, blocks=4):
        self.workdir, self.warp, self.blocks = Path(workdir), warp, blocks
        self.props = {"compute_units": 2, "warp_size": warp, "max_threads_per_block": 1024,
                      "max_shared_memory_per_block": 49152}
        self.driver = _EmuDriver()
        self._libs = {}

    def function(self, source, name, options=()):
        """Every kernel of ``source`` is built into one library, on first use of any of them."""
        lib = self._libs.get(source)
        if lib is None:
            stem = self.workdir / f"k{len(self._libs)}_w{self.warp}"
            exports = "".join(f"RP_EMU_EXPORT({k})\n" for k in _KERNEL_NAME.findall(source))
            stem.with_suffix(".cpp").write_text(f'#include "kernel_host_emu.h"\n{source}\n{exports}')
            flags = [f"-DRP_EMU_WARP={self.warp}", f"-DRP_EMU_BLOCKS={self.blocks}"]
            subprocess.run(["g++", "-std=c++17", "-O1", "-pthread", "-U_FORTIFY_SOURCE", "-shared", "-fPIC", *flags,
                            f"-I{SRC}", f"-I{ROOT / 'tests'}", str(stem.with_suffix(".cpp")), "-o",
                            str(stem.with_suffix(".so"))], check=True)
            lib = self._libs[source] = ctypes.CDLL(str(stem.with_suffix(".so")))
        return _EmuFunction(lib, name)

    def empty(self, shape, dtype):
        from rdnarray._core.devices import CPU
        from rdnarray._core.ndarray import wrap_host
        return wrap_host(np.empty(shape, dtype), CPU)

    def from_numpy(self, a):
        x = self.empty(a.shape, a.dtype)
        x._view()[...] = a
        return x

    def to_numpy(self, x):
        return x._view().copy()

    def copy(self, src, dst):
        dst._view()[...] = src._view()

    def contiguous(self, x):
        return x if x._view().flags.c_contiguous else self.from_numpy(np.ascontiguousarray(x._view()))


@pytest.fixture(scope="module")
def emu(tmp_path_factory):
    if shutil.which("g++") is None:
        pytest.skip("g++ not found")
    return EmuBackend(tmp_path_factory.mktemp("emu"))


def _bits(a):
    return a.view(f"u{min(a.dtype.itemsize, 8)}")  # complex128: two words


def _check_sorts(backend, a, axis):
    """argsort and sort against NumPy's stable ones, bit for bit (-0.0 and NaN payloads where NumPy has
    them); an unstable sort takes the same (stable) path."""
    x = backend.from_numpy(a)
    got = sorting.argsort(backend, x, axis=axis, stable=True)
    np.testing.assert_array_equal(backend.to_numpy(got), np.argsort(a, axis=axis, kind="stable"))
    got = backend.to_numpy(sorting.sort(backend, x, axis=axis, stable=False))
    np.testing.assert_array_equal(_bits(got), _bits(np.sort(a, axis=axis, kind="stable")))


def test_emulated_block_sort(emu):
    rng = np.random.default_rng(5)
    _check_sorts(emu, _data("f4", (3, 700), rng), 1)          # several rows per block, padding
    _check_sorts(emu, _data("i8", (2000,), rng), 0)           # 8-byte keys: 2048-item tiles
    _check_sorts(emu, _data("?", (5, 3), rng), 0)             # short rows along axis 0


def test_emulated_block_sort_wave64(tmp_path):
    if shutil.which("g++") is None:
        pytest.skip("g++ not found")
    _check_sorts(EmuBackend(tmp_path, warp=64), _data("f2", (2, 300), np.random.default_rng(6)), 1)


def _special_floats(dtype, n, rng):
    """Random bits (NaNs of every payload, both zeros, infinities, subnormals) and many ties."""
    dtype = np.dtype(dtype)
    a = rng.integers(0, 2**(8 * dtype.itemsize), n, dtype=f"u{dtype.itemsize}", endpoint=False).view(dtype)
    a[::3] = _data(dtype, (len(a[::3]),), rng)
    return a


@pytest.fixture
def small_tiles(monkeypatch):
    """Onesweep tiles of 256 threads x 2 keys: many tiles, so many look-backs, in small arrays."""
    monkeypatch.setattr(sorting, "ONESWEEP_THREADS", 256)
    monkeypatch.setattr(sorting, "ONESWEEP_ITEMS", 2)


def test_emulated_onesweep_sort(emu, small_tiles):
    rng = np.random.default_rng(8)
    _check_sorts(emu, _special_floats("f4", 9000, rng), 0)     # 18 tiles, 4 passes, last tile partial
    _check_sorts(emu, _data("f4", (9000,), rng), 0)            # ties: NaNs, -0.0 among +0.0, infinities
    _check_sorts(emu, _data("i8", (5000,), rng), 0)            # 8 passes, negative keys
    _check_sorts(emu, rng.integers(0, 2, 4600).astype("?"), 0)  # one pass
    _check_sorts(emu, _special_floats("f2", 4500, rng), 0)     # 2 passes
    _check_sorts(emu, _data("i1", (2, 5000), rng), 1)          # rows: key passes, then row-number passes
    # Tiles whose keys share a digit skip the ranking: small non-negative int64 (6 such passes), runs
    # of one value (every pass of most tiles), and a last partial tile of the last digit.
    _check_sorts(emu, rng.integers(0, 300, 4700), 0)
    _check_sorts(emu, np.repeat(rng.integers(-2**31, 2**31, 11, dtype=np.int32), 460), 0)
    _check_sorts(emu, np.concatenate([rng.integers(0, 255, 600), np.full(4000, 255)]).astype(np.uint8), 0)


def _complex_data(dtype, shape, rng):
    """Both parts from _data (NaNs, both zeros, infinities, many ties): every NaN class of NumPy's order."""
    a = np.empty(shape, dtype)
    a.real = _data(a.real.dtype, shape, rng)
    a.imag = _data(a.real.dtype, shape, rng)[..., ::-1]
    return a


def test_emulated_complex_sort(emu, small_tiles):
    rng = np.random.default_rng(14)
    for dtype in ("c8", "c16"):
        _check_sorts(emu, _complex_data(dtype, (9000,), rng), 0)     # Onesweep rounds: many tiles
        _check_sorts(emu, _complex_data(dtype, (3, 700), rng), 1)    # rows: block sorts, then row numbers
        _check_sorts(emu, _complex_data(dtype, (40, 3), rng), 0)     # along axis 0


def test_emulated_onesweep_sort_wide_counts(emu, small_tiles, monkeypatch):
    """64-bit counts, positions and status words (what sorts of 2**30 keys and more take)."""
    monkeypatch.setattr(sorting, "_STATUS_LIMIT", 0)
    rng = np.random.default_rng(13)
    _check_sorts(emu, _special_floats("f4", 5000, rng), 0)


def test_emulated_onesweep_sort_default_tiles(emu):
    rng = np.random.default_rng(9)
    _check_sorts(emu, _special_floats("f4", 3 * sorting.ONESWEEP_THREADS * sorting.ONESWEEP_ITEMS + 17, rng), 0)


@pytest.mark.parametrize("warp, threads", [(64, 256), (64, 384), (32, 512)])
def test_emulated_onesweep_sort_blocks(tmp_path, monkeypatch, warp, threads):
    """Wave64 (CDNA), and pass blocks of more threads than digits."""
    if shutil.which("g++") is None:
        pytest.skip("g++ not found")
    monkeypatch.setattr(sorting, "ONESWEEP_THREADS", threads)
    monkeypatch.setattr(sorting, "ONESWEEP_ITEMS", 3)
    backend = EmuBackend(tmp_path, warp=warp)
    rng = np.random.default_rng(10 + warp)
    _check_sorts(backend, _special_floats("f4", 6000, rng), 0)
    _check_sorts(backend, _data("u2", (3, 4500), rng), 1)


def test_emulated_argsort_unsigned(emu, small_tiles):
    rng = np.random.default_rng(12)
    keys = rng.integers(0, 2**20, 7000).astype(np.uint64)
    got = sorting.argsort_unsigned(emu, emu.from_numpy(keys), 20)  # 3 passes of 20 bits
    np.testing.assert_array_equal(emu.to_numpy(got), np.argsort(keys, kind="stable"))


def test_emulated_searchsorted(emu):
    rng = np.random.default_rng(9)
    a = np.sort(_data("f4", (300,), rng))
    v = np.concatenate([_data("f4", (50,), rng), [np.nan, -0.0, 0.0, np.inf, -np.inf]]).astype(np.float32)
    for side in ("left", "right"):
        got = sorting.searchsorted(emu, emu.from_numpy(a), emu.from_numpy(v), side=side)
        np.testing.assert_array_equal(emu.to_numpy(got), np.searchsorted(a, v, side=side))
    perm = rng.permutation(a.size)
    sorter = np.argsort(a[perm], kind="stable")
    got = sorting.searchsorted(emu, emu.from_numpy(a[perm]), emu.from_numpy(v), sorter=emu.from_numpy(sorter))
    np.testing.assert_array_equal(emu.to_numpy(got), np.searchsorted(a[perm], v, sorter=sorter))
    sorter[3] = 300  # out of range: left to the host, which raises
    assert sorting.searchsorted(emu, emu.from_numpy(a), emu.from_numpy(v), sorter=emu.from_numpy(sorter)) \
        is NotImplemented
    got = sorting.searchsorted(emu, emu.from_numpy(np.arange(10, dtype=np.int16)), emu.from_numpy(np.array([2.5, -1.0])))
    np.testing.assert_array_equal(emu.to_numpy(got), [3, 0])


def test_emulated_gathers_scatters_and_selection(emu):
    rng = np.random.default_rng(10)
    a = _data("f8", (4, 6, 3), rng)
    x = emu.from_numpy(a)
    idx = rng.integers(0, 6, (2, 5))
    got = indexing.take(emu, x, emu.from_numpy(idx), axis=1)
    np.testing.assert_array_equal(emu.to_numpy(got), np.take(a, idx, axis=1))
    ind = rng.integers(0, 6, (4, 2, 1))  # broadcasts over the last axis
    got = indexing.take_along_axis(emu, x, emu.from_numpy(ind), axis=1)
    np.testing.assert_array_equal(emu.to_numpy(got), np.take_along_axis(a, ind, axis=1))
    # the last write of repeated targets wins, in C order
    vals = rng.standard_normal((4, 2, 3))
    y, b = emu.from_numpy(a), a.copy()
    assert indexing.put_along_axis(emu, y, emu.from_numpy(ind), emu.from_numpy(vals), axis=1) is None
    np.put_along_axis(b, ind, vals, axis=1)
    np.testing.assert_array_equal(emu.to_numpy(y), b)
    dup = np.array([[5, 1, 5, 5, 0, 1]]).T  # x1[dup, :] = v on a (6, 3) view with a strided layout
    t, c = emu.from_numpy(a[1]), a[1].copy()
    v6 = rng.standard_normal((6, 3))
    indexing.put_along_axis(emu, t, emu.from_numpy(dup), emu.from_numpy(v6), axis=0)
    for k, r in enumerate(dup[:, 0]):
        c[r] = v6[k]
    np.testing.assert_array_equal(emu.to_numpy(t), c)
    mask = rng.integers(0, 2, a.shape).astype(bool)
    got = indexing.where(emu, emu.from_numpy(mask), x, emu.from_numpy(np.float32(7)))
    np.testing.assert_array_equal(emu.to_numpy(got), np.where(mask, a, np.float32(7)))
    z, w = emu.from_numpy(a), a.copy()
    indexing.copyto(emu, z, emu.from_numpy(np.arange(3.0)), where=emu.from_numpy(mask))
    np.copyto(w, np.arange(3.0), where=mask)
    np.testing.assert_array_equal(emu.to_numpy(z), w)


def test_emulated_compaction_and_unique(emu):
    rng = np.random.default_rng(11)
    a = _data("f4", (3, 2100, 2), rng)  # 12600 elements: 4 tiles
    a[0, :5] = -0.0
    x = emu.from_numpy(a)
    for got, want in zip(indexing.nonzero(emu, x), np.nonzero(a)):
        np.testing.assert_array_equal(emu.to_numpy(got), want)
    np.testing.assert_array_equal(emu.to_numpy(indexing.argwhere(emu, x)), np.argwhere(a))
    np.testing.assert_array_equal(emu.to_numpy(indexing.flatnonzero(emu, x)), np.flatnonzero(a))
    assert int(emu.to_numpy(indexing.count_nonzero(emu, x, axis=(0, 1, 2)))) == np.count_nonzero(a)
    mask = a > 3
    np.testing.assert_array_equal(emu.to_numpy(indexing.extract(emu, emu.from_numpy(mask), x)), a[mask])
    keep = rng.integers(0, 2, 2100).astype(bool)
    got = indexing.compress(emu, emu.from_numpy(keep), x, axis=1)
    np.testing.assert_array_equal(emu.to_numpy(got), np.compress(keep, a, axis=1))
    c = (rng.integers(-2, 3, 50) + 1j * rng.integers(-1, 2, 50)).astype("c8")
    np.testing.assert_array_equal(emu.to_numpy(indexing.flatnonzero(emu, emu.from_numpy(c))), np.flatnonzero(c))
    for equal_nan in (True, False):
        got = sorting.unique(emu, x, return_index=True, return_inverse=True, return_counts=True, equal_nan=equal_nan)
        want = np.unique(a, return_index=True, return_inverse=True, return_counts=True, equal_nan=equal_nan)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(emu.to_numpy(g), w)
        got = sorting.unique(emu, x, return_counts=True, equal_nan=equal_nan)
        want = np.unique(a, return_counts=True, equal_nan=equal_nan)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(emu.to_numpy(g), w)


# ---- planner helpers ----------------------------------------------------------------------------------

def test_collapse_merges_what_every_operand_allows():
    # (2, 3, 4) C-contiguous float32 and a broadcast operand (0 strides on the last two axes)
    sizes, strides = indexing._collapse((2, 3, 4), [[48, 16, 4], [8, 0, 0]])
    assert sizes == [2, 12] and strides == [[48, 4], [8, 0]]
    sizes, strides = indexing._collapse((2, 1, 3), [[24, 99, 8]])
    assert sizes == [6] and strides == [[8]]
    assert indexing._collapse((2,) * 9, [[2**k for k in range(9)]]) is None  # reversed strides never merge


def test_zero_masks_drop_only_sign_bits():
    m = lambda dt: indexing._zero_mask(np.dtype(dt)) % (1 << 64)  # noqa: E731
    assert m("f4") == 0x7FFFFFFF and m("f2") == 0x7FFF and m("f8") == 0x7FFFFFFFFFFFFFFF
    assert m("c8") == 0x7FFFFFFF7FFFFFFF and m("c16") == 0x7FFFFFFFFFFFFFFF
    assert m("?") == 0xFF and m("i8") == 2**64 - 1 and m("u2") == 0xFFFF


def test_digits_and_key_specs():
    assert [sorting.digits(v) for v in (0, 1, 255, 256, 2**16 - 1, 2**16)] == [1, 1, 1, 2, 2, 3]
    assert sorting.key_spec(np.dtype("f2")) == ("uint16_t", sorting.FLOAT)
    assert sorting.key_spec(np.dtype("?")) == ("uint8_t", sorting.UNSIGNED)
    assert sorting.key_spec(np.dtype("i8")) == ("uint64_t", sorting.SIGNED)
    assert sorting.key_spec(np.dtype("c8")) is None and sorting.key_spec(np.dtype("g")) is None


# ---- on the GPU ----------------------------------------------------------------------------------------

def _dev(a):
    return rp.asarray(a, device="gpu")


def _host(x):
    return np.asarray(x)


_SORT_DTYPES = ["?", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f2", "f4", "f8"]


def _data(dtype, shape, rng):
    dtype = np.dtype(dtype)
    n = int(np.prod(shape))
    if dtype.kind == "b":
        return rng.integers(0, 2, shape).astype(dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -50), min(info.max, 50), n, dtype=dtype).reshape(shape)  # many ties
    v = rng.integers(-20, 20, n).astype(dtype)
    if n > 8:
        v[:: max(1, n // 7)] = np.nan
        v[1:: max(1, n // 5)] = -0.0
        v[2:: max(1, n // 9)] = np.inf
    return v.reshape(shape)


@gpu
@pytest.mark.parametrize("dtype", _SORT_DTYPES)
@pytest.mark.parametrize("shape,axis", [((1,), 0), ((7,), 0), ((1000,), 0), ((4096,), 0), ((5000,), 0),
                                        ((70_000,), 0), ((37, 33), 1), ((37, 33), 0), ((3, 9000), 1),
                                        ((2, 3, 5), 1), ((0, 4), 1)])
def test_sort_and_argsort_match_numpy(dtype, shape, axis):
    rng = np.random.default_rng(zlib.crc32(repr((dtype, shape, axis)).encode()))
    a = _data(dtype, shape, rng)
    x = _dev(a)
    np.testing.assert_array_equal(_host(rp.argsort(x, axis=axis, stable=True)), np.argsort(a, axis=axis, kind="stable"))
    got = _host(rp.sort(x, axis=axis, stable=True))
    want = np.sort(a, axis=axis, kind="stable")
    np.testing.assert_array_equal(got.view(f"u{a.dtype.itemsize}"), want.view(f"u{a.dtype.itemsize}"))  # bits: -0.0
    backend = x.device.backend
    assert sorting.sort(backend, x, axis=axis, stable=False) is not NotImplemented
    np.testing.assert_array_equal(_host(sorting.sort(backend, x, axis=axis, stable=False)), want)


@gpu
@pytest.mark.parametrize("dtype", ["c8", "c16"])
@pytest.mark.parametrize("shape,axis", [((7,), 0), ((5000,), 0), ((300_001,), 0), ((37, 33), 1), ((37, 33), 0),
                                        ((3, 9000), 1), ((0, 4), 1)])
def test_complex_sort_and_argsort_match_numpy(dtype, shape, axis):
    rng = np.random.default_rng(zlib.crc32(repr((dtype, shape, axis)).encode()))
    a = _complex_data(dtype, shape, rng)
    x = _dev(a)
    np.testing.assert_array_equal(_host(rp.argsort(x, axis=axis, stable=True)), np.argsort(a, axis=axis, kind="stable"))
    got = _host(rp.sort(x, axis=axis))
    np.testing.assert_array_equal(_bits(got), _bits(np.sort(a, axis=axis, kind="stable")))  # bits: -0.0, NaNs
    assert sorting.sort(x.device.backend, x, axis=axis) is not NotImplemented


@gpu
@pytest.mark.parametrize("threads, items", [(256, 16), (384, 19), (512, 12), (256, 24)])
def test_onesweep_settings_match_numpy(monkeypatch, threads, items):
    """Every pass block a sweep of ONESWEEP_THREADS x ONESWEEP_ITEMS may take, on many tiles."""
    monkeypatch.setattr(sorting, "ONESWEEP_THREADS", threads)
    monkeypatch.setattr(sorting, "ONESWEEP_ITEMS", items)
    rng = np.random.default_rng(threads + items)
    a = _special_floats("f4", (1 << 21) + 3, rng)
    x = _dev(a)
    np.testing.assert_array_equal(_host(rp.sort(x, stable=True)).view(np.uint32), np.sort(a, kind="stable").view(np.uint32))
    np.testing.assert_array_equal(_host(rp.argsort(x, stable=True)), np.argsort(a, kind="stable"))
    b = rng.integers(-2**62, 2**62, 300_001)
    np.testing.assert_array_equal(_host(rp.sort(_dev(b))), np.sort(b))


@gpu
def test_onesweep_repeated_large_sorts():
    """Many tiles' look-backs, several times over: with weak status-word accesses the H100 misplaced keys
    now and then (float64 at 1e6, float32 argsorts at 2**24)."""
    rng = np.random.default_rng(7)
    for dtype, n in (("f8", 1_000_000), ("f4", 1 << 23)):
        a = (rng.random(n) * 1000 - 500).astype(dtype)
        x = _dev(a)
        want, order = np.sort(a), np.argsort(a, kind="stable")
        for _ in range(3):
            np.testing.assert_array_equal(_host(rp.sort(x, stable=True)), want)
            np.testing.assert_array_equal(_host(rp.argsort(x, stable=True)), order)


@gpu
def test_large_unstable_float_sort_puts_every_nan_last():
    rng = np.random.default_rng(1)
    a = rng.standard_normal(1 << 20).astype(np.float32)
    a[::1000] = np.array([-1], np.int32).view(np.float32)[0]  # a negative NaN
    a[1::1000] = np.nan
    got = _host(rp.sort(_dev(a), kind="quicksort"))
    want = np.sort(a)
    np.testing.assert_array_equal(got[~np.isnan(got)], want[~np.isnan(want)])
    assert np.isnan(got[-2000:]).all()


@gpu
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted(side):
    rng = np.random.default_rng(2)
    a = np.sort(_data("f4", (5000,), rng))
    v = _data("f4", (300,), rng)
    got = _host(rp.searchsorted(_dev(a), _dev(v), side=side))
    np.testing.assert_array_equal(got, np.searchsorted(a, v, side=side))
    perm = rng.permutation(a.size)
    got = _host(rp.searchsorted(_dev(a[perm]), _dev(v), side=side, sorter=_dev(np.argsort(a[perm], kind="stable"))))
    np.testing.assert_array_equal(got, np.searchsorted(a[perm], v, side=side, sorter=np.argsort(a[perm], kind="stable")))
    ints = np.arange(10, dtype=np.int16)
    got = _host(rp.searchsorted(_dev(ints), _dev(np.array([2.5, -1.0, 99.0]))))
    np.testing.assert_array_equal(got, np.searchsorted(ints, np.array([2.5, -1.0, 99.0])))


@gpu
@pytest.mark.parametrize("dtype", ["i4", "f4", "f8", "c8", "?"])
def test_gather_scatter_select_compact(dtype):
    rng = np.random.default_rng(3)
    a = _data(dtype if dtype != "c8" else "f4", (6, 7, 5), rng).astype(dtype)
    x = _dev(a)
    idx = rng.integers(0, 7, (4, 3))
    np.testing.assert_array_equal(_host(rp.take(x, _dev(idx), axis=1)), np.take(a, idx, axis=1))
    ind = rng.integers(0, 7, (6, 2, 5))
    np.testing.assert_array_equal(_host(rp.take_along_axis(x, _dev(ind), axis=1)), np.take_along_axis(a, ind, axis=1))
    # scatter with repeated targets: the last write in C order wins
    b = a.copy()
    y = _dev(b)
    vals = _data(dtype if dtype != "c8" else "f4", (6, 2, 5), rng).astype(dtype)
    rp.put_along_axis(y, _dev(ind), _dev(vals), axis=1)
    np.put_along_axis(b, ind, vals, axis=1)
    np.testing.assert_array_equal(_host(y), b)
    z, c = _dev(a.copy()), a.copy()
    dup = np.array([1, 3, 1, 1, 0, 3])
    z[_dev(dup)] = _dev(a[:6])
    c[dup] = a[:6]
    np.testing.assert_array_equal(_host(z), c)
    mask = rng.integers(0, 2, a.shape).astype(bool)
    np.testing.assert_array_equal(_host(x[_dev(mask)]), a[mask])
    np.testing.assert_array_equal(_host(rp.where(_dev(mask), x, x[::-1])), np.where(mask, a, a[::-1]))
    for got, want in zip(rp.nonzero(x), np.nonzero(a)):
        np.testing.assert_array_equal(_host(got), want)
    np.testing.assert_array_equal(_host(rp.argwhere(x)), np.argwhere(a))
    np.testing.assert_array_equal(_host(rp.flatnonzero(x)), np.flatnonzero(a))
    assert int(rp.count_nonzero(x)) == np.count_nonzero(a)
    np.testing.assert_array_equal(_host(rp.compress(_dev(mask[0, :, 0]), x, axis=1)), np.compress(mask[0, :, 0], a, axis=1))
    w = a.copy()
    ww = _dev(w)
    ww[_dev(mask)] = a.flat[0]
    w[mask] = a.flat[0]
    np.testing.assert_array_equal(_host(ww), w)


@gpu
@pytest.mark.parametrize("dtype", ["i2", "f4", "f8", "?"])
@pytest.mark.parametrize("equal_nan", [True, False])
def test_unique(dtype, equal_nan):
    rng = np.random.default_rng(4)
    a = _data(dtype, (9, 700), rng)
    got = rp.unique(_dev(a), return_index=True, return_inverse=True, return_counts=True, equal_nan=equal_nan)
    want = np.unique(a, return_index=True, return_inverse=True, return_counts=True, equal_nan=equal_nan)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(_host(g), w)
    np.testing.assert_array_equal(_host(rp.unique(_dev(a), equal_nan=equal_nan)), np.unique(a, equal_nan=equal_nan))
