"""The GPU backend's host fast path (rdnarray/_backend/fastpath.pyx) and caching allocator (memory.pyx),
on a fake driver: no GPU needed, nothing is computed, every launch is logged.

The fast path must launch exactly what the general path (kernels/elementwise.run) launches: the same
Function, grid, block, stream, argument format and argument values (so the same packed bytes), and
raise or warn the same where NumPy does. Each case runs an op three times on the same inputs: once to
let the fast path keep its plan, once on the fast path, once with the fast path switched off; the
result of each is freed before the next, so the LIFO pool hands all three the same output address.
"""
import importlib.util
import itertools
import warnings
from pathlib import Path

import numpy as np
import pytest

import rdnarray as rp
from rdnarray._backend import driver, memory
from rdnarray._backend.kernels import elementwise as kernels_elementwise

_spec = importlib.util.spec_from_file_location(
    "host_overhead", Path(__file__).resolve().parents[1] / "benchmarks" / "host_overhead.py")
host_overhead = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(host_overhead)

LOG = []


@pytest.fixture(scope="module")
def backend():
    return host_overhead.fake_backend(log=LOG)


@pytest.fixture
def planned(monkeypatch):
    """Counts the calls of kernels/elementwise.run (the general path's planner and launcher)."""
    calls = []
    run = kernels_elementwise.run

    def counting(*args, **kwargs):
        calls.append(args[1])
        return run(*args, **kwargs)

    monkeypatch.setattr(kernels_elementwise, "run", counting)
    return calls


def values(dt, n, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(n) * 5).astype(dt) if dt.kind != "b" else rng.integers(0, 2, n).astype(bool)


def outcome(f, args):
    """What one call did: ('ok', result dtype/shape/strides/address, the launch) or ('raise', type,
    message); and the warnings it gave."""
    LOG.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = f(*args)
        except Exception as e:  # both paths must fail alike
            return ("raise", type(e), str(e)), [str(w.message) for w in caught]
    results = r if isinstance(r, tuple) else (r,)
    launches = [(fn, grid, block, shm, stream, a, fmt, driver.pack_arguments(fmt, a))
                for fn, grid, block, shm, stream, a, fmt in LOG]
    return (("ok", [(x.dtype, x.shape, x.strides, x._buffer.ptr) for x in results], launches),
            [str(w.message) for w in caught])


def fast_and_general(backend, f, args, planned):
    """(fast, general, whether the fast call planned) for one op."""
    outcome(f, args)                     # the first call of its kind: the fast path keeps the plan
    del planned[:]
    fast = outcome(f, args)
    fast_planned = bool(planned)
    backend.elementwise = backend._general_elementwise  # the instance attribute hides the fast path
    try:
        general = outcome(f, args)
    finally:
        del backend.elementwise
    return fast, general, fast_planned


DTYPES = [np.dtype(c) for c in "?bBhHilqQefdFD"]
SHAPES = [(), (1,), (5,), (1000,), (3, 4), (2, 0)]
BINARY = [rp.add, rp.subtract, rp.multiply, rp.divide, rp.less, rp.equal, rp.maximum, rp.pow,
          rp.floor_divide, rp.bitwise_and, rp.logical_and, rp.atan2, rp.remainder]
UNARY = [rp.negative, rp.sin, rp.sqrt, rp.abs, rp.logical_not, rp.isnan, rp.bitwise_invert, rp.sign,
         rp.floor, rp.square, rp.positive]
SCALARS = [0, 1, -1, 3, 127, 128, 255, 256, 300, -129, 2**31, 2**40, 2**53, 2**53 + 1, 2**63 - 1, 2**63,
           -2**63, -2**70, 2**64, 2.5, -0.0, 1e-45, 3.4e38, 3.5e38, 1e300, float("inf"), float("nan"),
           True, False, 1j]


@pytest.mark.parametrize("dt", DTYPES, ids=str)
def test_array_ops_launch_as_the_general_path(backend, planned, dt):
    for shape in SHAPES:
        n = int(np.prod(shape))
        a = backend.from_numpy(values(dt, n).reshape(shape))
        b = backend.from_numpy(values(dt, n, 1).reshape(shape))
        for f in BINARY:
            fast, general, _ = fast_and_general(backend, f, (a, b), planned)
            assert fast == general, (f, dt, shape)
        for f in UNARY:
            fast, general, _ = fast_and_general(backend, f, (a,), planned)
            assert fast == general, (f, dt, shape)


@pytest.mark.parametrize("dt", DTYPES, ids=str)
def test_scalar_ops_launch_as_the_general_path(backend, planned, dt):
    a = backend.from_numpy(values(dt, 7))
    for f, s in itertools.product(BINARY, SCALARS):
        for args in ((a, s), (s, a)):
            fast, general, _ = fast_and_general(backend, f, args, planned)
            assert fast == general, (f, dt, args[0] if args[1] is a else args[1])


def test_mixed_dtypes_launch_as_the_general_path(backend, planned):
    arrays = [backend.from_numpy(values(dt, 9)) for dt in DTYPES]
    for x, y in itertools.product(arrays, repeat=2):
        for f in (rp.add, rp.multiply, rp.less, rp.divide):
            fast, general, _ = fast_and_general(backend, f, (x, y), planned)
            assert fast == general, (f, x.dtype, y.dtype)


def test_the_common_cases_take_the_fast_path(backend, planned):
    f32 = backend.from_numpy(values(np.dtype(np.float32), 1000))
    f64 = backend.from_numpy(values(np.dtype(np.float64), 1000))
    i32 = backend.from_numpy(values(np.dtype(np.int32), 1000))
    u8 = backend.from_numpy(values(np.dtype(np.uint8), 1000))
    b = backend.from_numpy(values(np.dtype(np.bool_), 1000))
    m = backend.from_numpy(values(np.dtype(np.float32), 12).reshape(3, 4))
    z = backend.from_numpy(np.float32(2))
    common = [
        (lambda x, y: x + y, (f32, f32)), (lambda x, y: x * y, (f64, f64)), (lambda x, y: x - y, (f32, f64)),
        (lambda x: x * 3.0, (f32,)), (lambda x: 3.0 * x, (f32,)), (lambda x: x + 1, (i32,)),
        (lambda x: x * 2, (u8,)), (lambda x: x / 2, (i32,)), (lambda x, y: x < y, (f32, f32)),
        (lambda x: x == 0, (i32,)), (lambda x: x > 0.5, (f64,)), (lambda x: -x, (f32,)),
        (rp.sin, (f32,)), (rp.exp, (f64,)), (rp.sqrt, (i32,)), (lambda x: x ** 2, (f32,)),
        (lambda x: x ** 2, (i32,)), (lambda x: ~x, (b,)), (lambda x: x & True, (b,)),
        (lambda x, y: x + y, (m, m)), (lambda x: x * 0.5, (m,)), (lambda x, y: x + y, (z, z)),
        (rp.abs, (i32,)), (lambda x: x + 2**40, (f64,)), (lambda x: x - 255, (u8,)),
    ]
    for f, args in common:
        fast, general, fast_planned = fast_and_general(backend, f, args, planned)
        assert fast == general
        assert fast[0][0] == "ok" and len(fast[0][2]) == 1 and not fast[1]
        assert not fast_planned, "the second call of a kind must launch from the kept plan"


def test_what_the_fast_path_leaves_to_the_general_path(backend, planned):
    """Each of these goes through kernels/elementwise.run on every call, and gives what it gives there."""
    f32 = backend.from_numpy(values(np.dtype(np.float32), 16))
    f16 = backend.from_numpy(values(np.dtype(np.float16), 16))
    u8 = backend.from_numpy(values(np.dtype(np.uint8), 16))
    i8 = backend.from_numpy(values(np.dtype(np.int8), 16))
    i32 = backend.from_numpy(values(np.dtype(np.int32), 16))
    m = backend.from_numpy(values(np.dtype(np.float32), 16).reshape(4, 4))
    out = backend.empty((16,), np.float32)
    general = [
        (lambda x: x + 300, (u8,), "raise"),               # OverflowError, as NumPy
        (lambda x: x < 1000, (i8,), "ok"),                 # compared exactly in a wider type
        (lambda x: x * 1e300, (f32,), "warn"),             # float32 overflow: NumPy warns
        (lambda x: x ** -1, (i32,), "raise"),              # integers to negative integer powers
        (lambda x: x + 1.5, (f16,), "ok"),                 # half-precision scalars
        (lambda x: x * 1j, (f32,), "ok"),                  # complex scalars
        (lambda x: x + (2**53 + 1), (f32,), "ok"),         # not exact in a double
        (lambda x, y: x[::2] + y[::2], (f32, f32), "ok"),  # strided views
        (lambda x: x.T * 2, (m,), "ok"),                   # not C-contiguous
        (lambda x: x + x[:1], (f32,), "ok"),               # broadcasting
        (lambda x: rp.add(x, x, out=out), (f32,), "ok"),   # out=
        (lambda x: rp.add(x, x, dtype=np.float64), (f32,), "ok"),  # dtype=
        (rp.frexp, (f32,), "ok"),                          # two outputs
    ]
    for f, args, what in general:
        fast, general, fast_planned = fast_and_general(backend, f, args, planned)
        assert fast == general
        assert fast_planned
        assert fast[0][0] == ("raise" if what == "raise" else "ok")
        assert bool(fast[1]) == (what == "warn")


def test_streams_and_allocation(backend):
    a = backend.from_numpy(np.ones(100, np.float32))
    a + a
    backend.stream = 12345
    try:
        LOG.clear()
        r = a + a
        assert LOG[-1][4] == 12345 and r._buffer.owner.stream == 12345
        assert r.strides == (4,) and r.dtype == np.float32 and r.device is a.device
    finally:
        backend.stream = 0


def test_empty(backend):
    x = backend.empty([2, 3], "int16")
    assert (x.shape, x.strides, x.dtype, x._offset) == ((2, 3), (6, 2), np.int16, 0)
    assert backend.empty((), np.float64).strides == ()
    assert backend.empty((4, 0, 2), np.float32).strides == (0, 0, 0)  # NumPy's strides of an empty array
    assert backend.empty((0,), np.float32).strides == (0,)
    assert backend.empty((5, 1, 3), np.complex128).strides == (48, 48, 16)
    assert backend.empty((np.int64(3),), float).strides == (8,)
    y = backend.empty((7,), np.uint8)
    assert y._buffer.ptr % 256 == 0 and y._buffer.owner.size == 512
    assert backend.empty((0,), np.float32)._buffer.ptr == 0


def test_pool_caches_by_stream_and_size_class():
    drv = host_overhead.FakeDriver()
    pool = memory.Pool(drv, "gpu:9")
    a = pool.malloc(100)
    pa = a.ptr
    assert (a.size, a.stream, pool.allocated, pool.reserved) == (512, 0, 512, 512)
    del a
    assert (pool.allocated, pool.reserved, pool.cached()) == (0, 512, 512)
    b = pool.malloc(512)                  # the same size class on the same stream: the cached block
    assert b.ptr == pa and drv.mallocs == [512]
    c = pool.malloc(400, stream=7)        # another stream: a new block
    assert c.ptr != pa and drv.mallocs == [512, 512]
    big = pool.malloc((1 << 20) + 1)      # above 1 MiB: 2 MiB classes
    assert big.size == 2 << 20
    del b, c, big
    assert pool.stats()["cached_blocks"] == 3 and pool.stats()["num_cache_hit"] == 1
    d = pool.malloc(1000, stream=7)       # 1024 bytes: another class, nothing cached
    assert d.size == 1024 and len(drv.mallocs) == 4
    e = pool.malloc(2 << 20)
    assert e.size == 2 << 20 and len(drv.mallocs) == 4
    assert pool.peak_allocated == 512 + 512 + (2 << 20)
    del d, e
    assert pool.allocated == 0
    pool.empty_cache()
    assert len(drv.frees) == 4
    assert (pool.reserved, pool.stats()["cached_blocks"], pool.stats()["num_driver_free"]) == (0, 0, 4)
    assert pool.malloc(0).ptr == 0 and pool.allocated == 0


def test_pool_retries_out_of_memory_once_after_freeing_the_cache():
    drv = host_overhead.FakeDriver()
    pool = memory.Pool(drv, "gpu:9")
    pool.malloc(600)                      # freed at once: one cached block of 1024 bytes
    drv.oom = 1
    x = pool.malloc(10_000)               # fails once, frees the cache, succeeds
    assert len(drv.frees) == 1 and pool.stats()["num_oom_retry"] == 1 and x.size == 10_240
    drv.oom = 2
    with pytest.raises(memory.OutOfMemoryError, match="on gpu:9: tried to allocate 1.00 MiB") as e:
        pool.malloc(1 << 20)
    assert isinstance(e.value, MemoryError) and e.value.allocated == 10_240
