"""The creation functions composed for the GPU (rdnarray/_backend/composite/creation.py) against NumPy,
bit for bit, with NumPy's dtypes, shapes and result types.

Each composite runs on two backends: the host one (its index sequence is NumPy's) and an emulated GPU
one, which takes the GPU branch: the index sequence is src_hip/iota.hip's kernel, built for the host with
g++ and launched with the driver's own argument packing, while the other operations are the host's. The
kernel sources also compile for sm_90 with NVRTC (the AMD compile check covers gfx targets).
"""
import ctypes
import shutil
import subprocess
import warnings

import numpy as np
import pytest

import rdnarray as rp
from rdnarray._backend import compiler, get
from rdnarray._backend.composite import creation
from rdnarray._backend.kernels import iota

HOST = get("cpu")
NAMES = {"ones", "full", "arange", "linspace", "logspace", "geomspace", "eye", "tri", "tril", "triu", "diag",
         "diagflat", "indices", "meshgrid", "vander", "tril_indices", "triu_indices"}
DTYPES = [np.dtype(c) for c in "?bBhHiIqQefdFD"]
NUMERIC = [dt for dt in DTYPES if dt.kind != "b"]


# ---- the emulated GPU backend ----------------------------------------------------------------------------

# The kernel has no barriers, so a host loop over blocks and threads runs it as a GPU would.
_HARNESS = """
#include <utility>
struct rp_dim3 {{ unsigned x; }};
static rp_dim3 threadIdx, blockIdx, gridDim;
{source}
template <class... A, std::size_t... K> void call(void (*k)(A...), void** p, std::index_sequence<K...>) {{
    k(*static_cast<A*>(p[K])...);
}}
template <class... A> void run(void (*k)(A...), unsigned grid, unsigned block, void** p) {{
    gridDim.x = grid;
    for (blockIdx.x = 0; blockIdx.x < grid; ++blockIdx.x)
        for (threadIdx.x = 0; threadIdx.x < block; ++threadIdx.x) call(k, p, std::index_sequence_for<A...>{{}});
}}
extern "C" void emu_launch(unsigned grid, unsigned block, void** p) {{ run({name}, grid, block, p); }}
"""


class _Function:
    def __init__(self, lib, backend):
        self.lib, self.backend = lib, backend

    def launch(self, grid, block, shared_mem, stream, args, fmt):
        from rdnarray._backend.driver import pack_arguments
        assert shared_mem == 0 and block == (256, 1, 1) and grid[1:] == (1, 1)
        data, offsets = pack_arguments(fmt, args)
        buf = ctypes.create_string_buffer(bytes(data), len(data) + 8)
        base = ctypes.addressof(buf)
        params = (ctypes.c_void_p * len(offsets))(*[base + o for o in offsets])
        self.backend.launches += 1
        self.lib.emu_launch(grid[0], block[0], params)


class EmuGPU:
    """The host backend with ``kind == "gpu"``: its ``function`` builds kernels with g++ for the host."""
    kind = "gpu"
    stream = 0

    def __init__(self, workdir):
        self.workdir, self.host = workdir, HOST
        self.device = HOST.device
        self.props = {"compute_units": 2, "warp_size": 32}  # a small grid: grid-stride loops go round
        self.driver = self
        self.launches = self.memsets = 0
        self.names = []
        self._libs = {}

    def function(self, source, name, options=()):
        lib = self._libs.get((source, name))
        if lib is None:
            stem = self.workdir / f"k{len(self._libs)}"
            stem.with_suffix(".cpp").write_text(_HARNESS.format(source=source, name=name))
            subprocess.run(["g++", "-std=c++17", "-O1", "-shared", "-fPIC", f"-I{compiler.source_dir()}",
                            str(stem.with_suffix(".cpp")), "-o", str(stem.with_suffix(".so"))], check=True)
            lib = self._libs[(source, name)] = ctypes.CDLL(str(stem.with_suffix(".so")))
            lib.emu_launch.argtypes = [ctypes.c_uint, ctypes.c_uint, ctypes.POINTER(ctypes.c_void_p)]
        return _Function(lib, self)

    def memset_d8(self, ptr, value, nbytes, stream=0):  # the driver call _zeros makes
        self.memsets += 1
        ctypes.memset(ptr, value, nbytes)

    def run(self, name, *args, **kwargs):
        assert name not in NAMES, f"{name} calls back into the table"  # no recursion, no host fallback
        self.names.append(name)
        return self.host.run(name, *args, **kwargs)

    def empty(self, shape, dtype):
        return self.host.empty(shape, dtype)

    def from_numpy(self, a):
        return self.host.from_numpy(a)

    def copy(self, src, dst):
        self.host.copy(src, dst)

    def elementwise(self, *args):
        return self.host.elementwise(*args)


@pytest.fixture(scope="module")
def emu(tmp_path_factory):
    if shutil.which("g++") is None:
        pytest.skip("g++ is not installed")
    pytest.importorskip("rdnarray._backend.driver", reason="the driver module is not built")
    return EmuGPU(tmp_path_factory.mktemp("iota"))


@pytest.fixture(params=["host", "gpu"])
def backend(request):
    return HOST if request.param == "host" else request.getfixturevalue("emu")


# ---- comparing with NumPy --------------------------------------------------------------------------------

def _value(x):
    return np.array(x._view()) if isinstance(x, rp.ndarray) else x


def assert_numpy(got, want):
    """``got`` (a composite's result) is NumPy's ``want``: the same structure, dtypes, shapes and bits.
    NumPy scalars come back as 0-d arrays, as the host backend returns them."""
    if isinstance(want, tuple):
        assert type(got) is tuple and len(got) == len(want), (type(got), got)
        for g, w in zip(got, want):
            assert_numpy(g, w)
        return
    if type(want) is float:  # linspace's step where it is undefined (NumPy's float64 steps are 0-d arrays)
        assert type(got) is float and np.isnan(got) == np.isnan(want) and (got == want or np.isnan(want))
        return
    assert isinstance(got, rp.ndarray), type(got)
    assert got.device == HOST.device
    g, w = _value(got), np.asarray(want)
    assert (g.dtype, g.shape) == (w.dtype, w.shape)
    assert g.tobytes() == w.tobytes(), (g, w)


def check(backend, name, *args, **kwargs):
    """The composite ``name`` on ``backend`` against ``numpy.name`` on the same arguments: NumPy arrays
    are passed to the composite as arrays of the backend's device, device arrays (views) to NumPy as
    copies. Where NumPy raises, the composite must decline (NotImplemented): the host raises NumPy's
    error then."""
    dev = [backend.from_numpy(np.array(a)) if isinstance(a, np.ndarray) else a for a in args]
    args = [_value(a) for a in args]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = getattr(np, name)(*args, **kwargs)
        except Exception:
            want = None
        got = creation.NATIVE[name](backend, *dev, **kwargs)
    # Integer logspace/geomspace stay on the host off the CPU: the device's pow may round 1 ulp apart.
    int_power = (name in ("logspace", "geomspace") and backend.kind != "cpu"
                 and kwargs.get("dtype") is not None and np.dtype(kwargs["dtype"]).kind in "biu")
    if want is None or int_power:
        assert got is NotImplemented
    else:
        assert got is not NotImplemented, (name, args, kwargs)
        assert_numpy(got, want)


def data(shape, dtype, rng, scale=3.0):
    dtype = np.dtype(dtype)
    a = np.asarray(rng.standard_normal(shape) * scale)
    if dtype.kind == "c":
        a = a + 1j * rng.standard_normal(shape) * scale
    return np.asarray(a.astype(dtype))  # 0-d arithmetic gives NumPy scalars: arrays again


# ---- the table -------------------------------------------------------------------------------------------

def test_the_table_names_the_creation_functions():
    assert set(creation.NATIVE) == NAMES
    assert all(callable(f) for f in creation.NATIVE.values())


# ---- ones, full ------------------------------------------------------------------------------------------

SHAPES = [(), (0,), (3,), (2, 3), (4, 0, 2), 5]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_ones(backend, dtype):
    for shape in SHAPES:
        check(backend, "ones", shape, dtype=dtype)
    check(backend, "ones", (2, 2), dtype=None)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("value", [0, 1, -1, 2.5, -0.0, np.nan, -np.inf, 3 + 4j, True, 300, -129, 2**64,
                                   np.float32(1.1), np.int8(-3)], ids=repr)
def test_full_of_scalars(backend, dtype, value):
    for shape in ((), (0,), (2, 3)):
        check(backend, "full", shape, value, dtype=dtype)


def test_full_of_arrays_and_default_dtypes(backend):
    rng = np.random.default_rng(0)
    for dtype in NUMERIC:
        check(backend, "full", (2, 3), data((3,), dtype, rng), dtype=np.float32)
        check(backend, "full", (4, 2, 3), data((2, 1), dtype, rng))
        check(backend, "full", (2, 3), data((), dtype, rng))
        check(backend, "full", (2, 3), data((), dtype, rng), dtype=np.int16)
    for value in (7, 2.5, 1j, np.float16(3), np.uint8(200), [1, 2, 3], [[1.5], [2]]):
        check(backend, "full", (2, 3), value)
    check(backend, "full", (2, 3), data((4,), "f", rng))                # does not broadcast: NumPy raises
    check(backend, "full", (2, 3), backend.from_numpy(np.arange(3.0))[::-2][:, None], dtype=np.int8)
    assert creation.full(backend, (2,), "text") is NotImplemented       # a string dtype
    assert creation.full(backend, (2,), 1, dtype=object) is NotImplemented


def test_full_of_zero_bits_is_a_memset(emu):
    emu.memsets = 0
    out = creation.full(emu, (1000,), 0.0, dtype=np.float64)
    assert _value(out).tobytes() == bytes(8000) and emu.memsets == 1
    out = creation.full(emu, (3,), -0.0, dtype=np.float64)  # not zero bits: a copy keeps the sign
    assert np.signbit(_value(out)).all() and emu.memsets == 1


# ---- arange ----------------------------------------------------------------------------------------------

ARANGES = [(5,), (0, 10, 3), (10, 0, -3), (1.5, 20.3, 0.7), (-3, 7), (0.1, 1.0, 0.1), (1e4, -1e4, -333.3),
           (2.5,), (0, 1, 0.01), (3, 3), (-0.0, 5.0, 1.0), (0, 300, 1), (100, -200, -7), (0, 5, 2),
           (-1e-300, 1e-299, 7e-301), (0, 1, 1 / 3), (1, 0), (0, np.inf, 1), (0, 10, np.nan), (0, 2, 5)]


@pytest.mark.parametrize("dtype", NUMERIC, ids=str)
def test_arange(backend, dtype):
    for args in ARANGES:
        check(backend, "arange", *args, dtype=dtype)


def test_arange_complex_and_numpy_scalars(backend):
    for dtype in (np.complex64, np.complex128):
        for args in [(1 + 2j, 10 + 1j, 0.5 + 0.5j), (0, 10 + 5j, 1 + 1j), (1j, 5j, 1j), (-0.0 - 0.0j, 4, 1 - 1j),
                     (2 + 1j, -7 - 1j, -1.5 - 0.25j)]:
            check(backend, "arange", *args, dtype=dtype)
    check(backend, "arange", np.float32(0.1), 1, np.float32(0.01), dtype=np.float32)
    check(backend, "arange", np.float16(0.5), 300, 0.75, dtype=np.float16)
    check(backend, "arange", np.int8(-100), 100, 7, dtype=np.int8)
    check(backend, "arange", np.int64(3), np.int64(90), np.int64(4), dtype=np.int64)
    check(backend, "arange", True, 9, dtype=np.int32)
    check(backend, "arange", 0, 10, dtype=np.int64)                 # stop given, step None
    check(backend, "arange", 7, None, 2, dtype=np.int64)            # stop None: arange(0, 7, 2)


def test_arange_integer_wrap_and_extremes(backend):
    check(backend, "arange", 2**63, 2**63 + 100, 3, dtype=np.uint64)
    check(backend, "arange", 2**64 - 10, 2**64, dtype=np.uint64)
    check(backend, "arange", 2**63 - 5, -2**63, -2**60, dtype=np.int64)
    check(backend, "arange", -128, 1000, 7, dtype=np.int8)         # start + i * delta wraps in int8
    check(backend, "arange", 250, -500, -3, dtype=np.uint8)        # -500 is only the stop: never stored
    check(backend, "arange", 0, 70000, 1, dtype=np.uint16)
    check(backend, "arange", 0.5, 1000.5, 3.25, dtype=np.int16)    # float arguments truncated by setitem
    check(backend, "arange", 10000.0, -10000.0, -333.3, dtype=np.int8)  # NumPy raises: declined


def test_arange_float_rounding_past_the_significand(backend):
    """i goes past 2**11 (float16), 2**24 (float32): i * delta rounds as NumPy's fill rounds it."""
    check(backend, "arange", 0, 10**5, dtype=np.float16)
    check(backend, "arange", 0.1, 4000, 0.3, dtype=np.float16)
    check(backend, "arange", 0.3, 2**24 + 5000, 1.1, dtype=np.float32)
    check(backend, "arange", -5.5, 2**24 + 3, 1, dtype=np.float32)
    check(backend, "arange", 1e15, 1e15 + 3e5, 0.37, dtype=np.float64)


def test_arange_declines(backend):
    assert creation.arange(backend, 0, 5, 1, dtype=None) is NotImplemented           # NumPy's dtype discovery
    assert creation.arange(backend, 0, 2, 1, dtype=np.bool_) is NotImplemented
    assert creation.arange(backend, 0, 5, 1, dtype=object) is NotImplemented
    assert creation.arange(backend, np.float64(0.5), 5, 1, dtype=np.float32) is NotImplemented  # setitem vs cast
    assert creation.arange(backend, 0, np.array(5), 1, dtype=np.int64) is NotImplemented
    assert creation.arange(backend, 0, float("nan"), 1, dtype=np.float64) is NotImplemented


# ---- linspace, logspace, geomspace -----------------------------------------------------------------------

ENDPOINTS = [(0, 1), (2.0, 3.0), (-1.5, 7.25), (1e-300, 2e-300), (5, -5), (0.1, 0.1), (np.float32(0.1), 2.3),
             (np.float16(1), 2.5), (1 + 1j, -2 + 3j), (np.int8(3), 100), (np.complex64(1j), 2), (0, 5e-324),
             (-0.0, 1.0), (np.inf, 1), (0, np.nan), (np.float64(3), np.float32(7)), (2**62, -2**62)]


@pytest.mark.parametrize("start, stop", ENDPOINTS, ids=repr)
def test_linspace(backend, start, stop):
    for num in (0, 1, 2, 3, 7, 50):
        for endpoint in (True, False):
            for dtype in (None, np.float32, np.int32, np.complex128, np.float16, np.uint8, np.bool_):
                check(backend, "linspace", start, stop, num, endpoint=endpoint, dtype=dtype)
            check(backend, "linspace", start, stop, num, endpoint=endpoint, retstep=True)
    check(backend, "linspace", start, stop, 5, axis=-1)


def test_linspace_declines(backend):
    assert creation.linspace(backend, np.zeros(2), 1, 5) is NotImplemented         # array endpoints
    assert creation.linspace(backend, 0, 2**70, 5) is NotImplemented                # an object array in NumPy
    check(backend, "linspace", 0, 1, 5, axis=1)                                     # NumPy raises
    check(backend, "linspace", 0, 1, -1)


@pytest.mark.parametrize("start, stop", ENDPOINTS, ids=repr)
def test_logspace(backend, start, stop):
    for num in (0, 1, 2, 5, 33):
        for endpoint in (True, False):
            check(backend, "logspace", start, stop, num, endpoint=endpoint)
            check(backend, "logspace", start, stop, num, endpoint=endpoint, base=2)
            check(backend, "logspace", start, stop, num, endpoint=endpoint, base=np.float32(3.5), dtype=np.float32)
            check(backend, "logspace", start, stop, num, endpoint=endpoint, base=1j, dtype=np.complex64)
    assert creation.logspace(backend, start, stop, 4, base=np.array([2.0, 3.0])) is NotImplemented


@pytest.mark.parametrize("start, stop", ENDPOINTS + [(-1, -1000), (1, 1000), (-1 + 0j, 1 + 0j), (1j, 1000j),
                                                     (np.float32(2), np.float32(9)), (-3, 5)], ids=repr)
def test_geomspace(backend, start, stop):
    for num in (0, 1, 2, 5, 33):
        for endpoint in (True, False):
            check(backend, "geomspace", start, stop, num, endpoint=endpoint)
            check(backend, "geomspace", start, stop, num, endpoint=endpoint, dtype=np.complex64)
            check(backend, "geomspace", start, stop, num, endpoint=endpoint, dtype=np.float32)
            check(backend, "geomspace", start, stop, num, endpoint=endpoint, dtype=np.int64)


# ---- eye, tri, tril, triu, tril_indices, triu_indices ----------------------------------------------------

MATRICES = [(3, None, 0), (3, 5, 1), (5, 3, -1), (4, 4, 4), (4, 4, -4), (0, 3, 0), (3, 0, -1), (2, 7, 6),
            (7, 2, -6), (1, 1, -10), (6, 6, 10), (5, 8, -2), (0, 0, 0)]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_eye_and_tri(backend, dtype):
    for n, m, k in MATRICES:
        check(backend, "eye", n, m, k=k, dtype=dtype)
        check(backend, "tri", n, m, k, dtype=dtype)


def test_tri_and_eye_arguments(backend):
    check(backend, "tri", 3)
    check(backend, "tri", -1, 4)           # NumPy's aranges of negative length: no rows
    check(backend, "tri", 3, -2, 1)
    check(backend, "tri", 4, 3, np.int64(-1), dtype=None)
    check(backend, "eye", 3, dtype=None)
    check(backend, "eye", -1)              # NumPy raises
    assert creation.tri(backend, 2.5) is NotImplemented   # NumPy's aranges take it; the host computes it


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_tril_triu(backend, dtype):
    rng = np.random.default_rng(1)
    for shape in [(3, 4), (4, 3), (2, 3, 5), (0, 3), (3, 0), (2, 2, 1, 4), (1, 1)]:
        a = data(shape, dtype, rng)
        for k in (0, 1, -1, 3, -5, 10):
            check(backend, "tril", a, k=k)
            check(backend, "triu", a, k=k)


def test_tril_triu_of_views_and_specials(backend):
    a = np.arange(60.0).reshape(3, 4, 5)
    a[0, 0, 0], a[1, 1, 1], a[2, 2, 0] = np.inf, np.nan, -0.0   # where, not a product: kept as they are
    x = backend.from_numpy(a)
    check(backend, "tril", x[:, ::-1, ::2], k=1)
    check(backend, "triu", rp.permute_dims(x, (2, 1, 0)), k=-1)
    check(backend, "triu", a, k=0)


def test_tril_and_triu_indices(backend):
    for n, k, m in [(4, 0, None), (4, 1, None), (4, -1, 6), (3, 5, 2), (0, 0, None), (5, -10, 3), (-1, 0, None),
                    (1, 0, 1), (6, -2, 0)]:
        check(backend, "tril_indices", n, k, m)
        check(backend, "triu_indices", n, k, m)


# ---- diag, diagflat --------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_diag_and_diagflat(backend, dtype):
    rng = np.random.default_rng(2)
    for shape in [(0,), (1,), (4,)]:
        v = data(shape, dtype, rng)
        for k in (0, 2, -3):
            check(backend, "diag", v, k=k)
            check(backend, "diagflat", v, k=k)
    for shape in [(3, 4), (4, 3), (0, 2)]:
        v = data(shape, dtype, rng)
        for k in (0, 1, -2, 5, -9):
            check(backend, "diag", v, k=k)
    check(backend, "diagflat", data((2, 3), dtype, rng), k=1)
    check(backend, "diagflat", data((), dtype, rng), k=-1)


def test_diag_of_views(backend):
    a = backend.from_numpy(np.arange(30.0).reshape(5, 6))
    check(backend, "diag", a[::2, ::-1], k=1)
    check(backend, "diag", a[1, ::2], k=-2)
    check(backend, "diagflat", a[:, 1:4].mT, k=2)   # not contiguous: raveled by a copy
    check(backend, "diag", np.zeros((2, 2, 2)))     # NumPy raises


def test_diag_of_a_matrix_is_a_new_array(backend):
    """NumPy returns a read-only view; a copy has its values and cannot alias the input."""
    x = backend.from_numpy(np.arange(9.0).reshape(3, 3))
    d = creation.diag(backend, x, 1)
    assert d._buffer is not x._buffer and _value(d).tolist() == [1.0, 5.0]


# ---- indices, meshgrid, vander ---------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [int, np.int8, np.uint64, np.float16, np.float32, np.complex64, None, np.bool_],
                         ids=str)
def test_indices(backend, dtype):
    for dims in [(), (0,), (3,), (2, 3), (2, 0, 4), (3, 1, 2), (2, 2), (300,)]:
        for sparse in (False, True):
            check(backend, "indices", dims, dtype=dtype, sparse=sparse)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_meshgrid(backend, dtype):
    rng = np.random.default_rng(3)
    for shapes in [(3,), (2, 3), (4, 0), (2, 3, 4), (1, 5, 2, 3), ()]:
        xs = [data(s, dtype, rng) for s in shapes]
        for indexing in ("xy", "ij"):
            for sparse in (False, True):
                check(backend, "meshgrid", *xs, indexing=indexing, sparse=sparse)
    x = backend.from_numpy(np.arange(10.0).astype(dtype))
    check(backend, "meshgrid", x[::2], x[::-3], x[1:3])    # strided inputs
    assert creation.meshgrid(backend, x, x, copy=False) is NotImplemented


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_vander(backend, dtype):
    rng = np.random.default_rng(4)
    for n in (0, 1, 2, 5, 17):
        x = data((n,), dtype, rng, scale=1.5)
        if dtype.kind in "fc" and n >= 5:
            x[:3] = [np.inf, np.nan, -0.0]
        for N in (None, 0, 1, 2, 3, 4, 8, 30):
            for increasing in (False, True):
                check(backend, "vander", x, N=N, increasing=increasing)
    check(backend, "vander", backend.from_numpy(np.arange(12.0))[::-3], N=4)
    check(backend, "vander", np.arange(3), N=-1)   # NumPy raises


def test_vander_complex_rounds_as_numpy_accumulates(backend):
    """NumPy's multiply.accumulate rounds complex products unfused along rows (N > 3) and through the
    fused SIMD loop for N == 3; both agree bit for bit."""
    rng = np.random.default_rng(5)
    for dtype in (np.complex64, np.complex128):
        for scale in (0.5, 1.0, 1e30):
            x = (data((100,), dtype, rng) * scale).astype(dtype)
            for N in (3, 4, 40):
                check(backend, "vander", x, N=N)


# ---- the arguments the public functions pass ---------------------------------------------------------------

PUBLIC_CALLS = [
    lambda: rp.ones((2, 3)), lambda: rp.ones(4, dtype=rp.int8), lambda: rp.ones_like(rp.ones(3)),
    lambda: rp.full((2,), 3.5), lambda: rp.full((2, 3), rp.asarray(5.0), dtype=rp.float16),
    lambda: rp.full_like(rp.ones(3), 7), lambda: rp.arange(10), lambda: rp.arange(0, 5, 0.5, dtype=rp.float32),
    lambda: rp.arange(4.0), lambda: rp.linspace(0, 1, 5), lambda: rp.linspace(0, 1, 7, endpoint=False, retstep=True),
    lambda: rp.linspace(2, 9, 4, dtype=rp.int32), lambda: rp.logspace(0, 2, 4), lambda: rp.logspace(0, 2, 4, base=2.0),
    lambda: rp.geomspace(1, 100, 3), lambda: rp.geomspace(-1, -1000, 4, endpoint=False),
    lambda: rp.eye(3, k=1), lambda: rp.eye(3, 5, k=-1, dtype=rp.int32), lambda: rp.identity(4),
    lambda: rp.tri(3, 4), lambda: rp.tri(4, 3, -1, dtype=rp.bool),
    lambda: rp.tril(rp.ones((2, 3, 3))), lambda: rp.triu(rp.ones((3, 4)), k=1),
    lambda: rp.diag(rp.arange(3), k=-2), lambda: rp.diag(rp.ones((3, 4)), k=1), lambda: rp.diagflat(rp.ones((2, 2))),
    lambda: rp.indices((2, 3)), lambda: rp.indices((2, 3), dtype=rp.float32, sparse=True),
    lambda: rp.fromfunction(lambda i, j: i + j, (2, 2)),
    lambda: rp.meshgrid(rp.arange(3), rp.arange(2)), lambda: rp.meshgrid(rp.arange(3), rp.ones(2), indexing="ij", sparse=True),
    lambda: rp.vander(rp.arange(3.0)), lambda: rp.vander(rp.arange(4), 3, increasing=True),
    lambda: rp.tril_indices(3), lambda: rp.triu_indices(4, -1, 5), lambda: rp.triu_indices_from(rp.ones((3, 4))),
    lambda: rp.tril_indices_from(rp.ones((4, 4)), k=1), lambda: rp.diag_indices(3),
    lambda: rp.fill_diagonal(rp.zeros((3, 3)), 5), lambda: rp.diff(rp.arange(4.0), prepend=0),
    lambda: rp.average(rp.ones((2, 3)), axis=0, returned=True),
    lambda: rp.cumulative_sum(rp.arange(4), include_initial=True),
]


def _host_value(r):
    if isinstance(r, tuple):
        return tuple(_host_value(x) for x in r)
    return _value(r)


def test_public_functions_pass_what_the_composites_take(monkeypatch, emu):
    """Each run of one of these names that the public functions make on the CPU, replayed through the
    composite on both backends when it happens: the same results."""
    seen = set()
    host_run = HOST.run

    def run(name, *args, **kwargs):
        want = host_run(name, *args, **kwargs)
        if name in NAMES:
            seen.add(name)
            for b in (HOST, emu):
                assert_numpy(creation.NATIVE[name](b, *args, **kwargs), _host_value(want))
        return want

    monkeypatch.setattr(HOST, "run", run)
    with rp.Device("cpu"):  # the host backend is the one that records the calls
        for call in PUBLIC_CALLS:
            call()
    assert seen == NAMES


# ---- the kernel ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.dtype(c) for c in "bBhHiIqQ"], ids=str)
def test_iota_kernel_wraps_like_numpy(emu, dtype):
    rng = np.random.default_rng(6)
    for n, start, step in [(1, 0, 1), (1000, 0, 1), (777, 2**64 - 3, 1), (513, 5, -7), (600, -2**63, 2**61 + 3),
                           (300, int(rng.integers(0, 2**63)), int(rng.integers(-2**63, 2**63)))]:
        before = emu.launches
        got = _value(iota.run(emu, emu.empty((n,), dtype), start, step))
        assert emu.launches == before + 1
        want = (np.arange(n, dtype=np.uint64) * np.uint64(step % 2**64) + np.uint64(start % 2**64)).astype(dtype)
        assert got.dtype == dtype and got.tobytes() == want.tobytes()
    assert iota.run(emu, emu.empty((0,), dtype)).shape == (0,)


def test_gpu_branch_runs_the_kernel(emu):
    emu.launches = 0
    emu.names.clear()
    creation.arange(emu, 3, 1000, 7, dtype=np.int16)
    creation.arange(emu, 0.5, 100, 0.25, dtype=np.float32)
    creation.tril(emu, emu.from_numpy(np.ones((4, 5))), 1)
    creation.triu_indices(emu, 5, 1)
    assert emu.launches == 6           # int arange; float arange's positions; twice tri's rows and columns
    assert emu.names == ["where", "nonzero"]


def _nvrtc():
    driver = pytest.importorskip("rdnarray._backend.driver", reason="the driver module is not built")
    try:
        return driver.load_rtc("cuda")
    except driver.Unavailable as e:
        pytest.skip(f"NVRTC is not installed: {e}")


@pytest.mark.parametrize("index", range(len(iota.examples())))
def test_iota_examples_compile_with_nvrtc_for_sm90(index):
    source, name = iota.examples()[index]
    assert "/*@" not in source
    image = _nvrtc().compile(source, name, [f"-I{compiler.source_dir()}"], "sm_90")
    assert image[:4] == b"\x7fELF" and name.encode() in image
