"""The host caching allocator (rdnarray/_backend/host_memory.pyx) and the host backend paths that use it:
large blocks are reused, the idle cache stays under its limit, views keep their memory alive, and results
are exactly those of the paths that let NumPy allocate."""
import gc
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import rdnarray as rp
from rdnarray._backend import host_memory as hm
from rdnarray._core import ops

MiB = 1 << 20
F32 = np.dtype(np.float32)
N = MiB // 4 + 3  # float32 elements: just over the threshold, an odd count


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache under the default limit, and leaves it so; its arrays are CPU
    arrays whatever the default device (the cache is the host backend's)."""
    limit = hm.get_limit()
    hm.set_limit(1 << 30)
    gc.collect()  # blocks of earlier tests' garbage go idle now, not during the test
    hm.empty_cache()
    with rp.Device("cpu"):
        yield
    hm.set_limit(limit)
    hm.empty_cache()


def _addr(x):
    return (x._view() if isinstance(x, rp.ndarray) else x).ctypes.data


def test_blocks_are_reused():
    a = hm.empty((N,), F32)
    assert isinstance(a.base, hm.HostBlock) and a.flags.c_contiguous and a.flags.writeable
    assert _addr(a) % 4096 == 0
    address = _addr(a)
    del a
    assert hm.stats()["cached_bytes"] == hm.size_class(4 * N)
    hits = hm.stats()["num_cache_hit"]
    b = hm.empty((N,), F32)
    assert _addr(b) == address and hm.stats()["num_cache_hit"] == hits + 1
    del b
    c = hm.empty((N - 2,), F32)  # a near size shares the size class
    assert _addr(c) == address


def test_backend_empty_and_results_come_from_the_cache():
    x = rp.empty(N, dtype=rp.float32)
    assert isinstance(x._view().base, hm.HostBlock)
    address = _addr(x)
    del x
    y = rp.ones(N, dtype=rp.float32)  # NumPy's memory (run), left alone
    z = y * 2
    assert _addr(z) == address
    np.testing.assert_array_equal(rp.asnumpy(z), np.full(N, 2, np.float32))


def test_small_and_reference_dtypes_are_numpys():
    allocs = hm.stats()["num_alloc"]
    assert hm.empty((10,), F32).base is None
    assert rp.empty(10)._view().base is None
    objects = hm.empty((MiB,), np.dtype(object))  # must start as None, not as old bytes
    assert objects.base is None and objects[0] is None and objects[-1] is None
    strings = hm.empty((MiB // 8,), np.dtypes.StringDType())
    assert strings.base is None and strings[0] == ""
    assert hm.stats()["num_alloc"] == allocs


def test_size_classes():
    assert hm.size_class(MiB) == MiB
    assert hm.size_class(MiB + 1) == MiB + MiB // 8
    assert hm.size_class(40_000_000) == 40 * MiB
    for n in (MiB, 3 * MiB + 5, 40_000_000, 1 << 33):
        assert n <= hm.size_class(n) < n * 1.125 + 4096 and hm.size_class(n) % 4096 == 0


def test_limit_evicts_the_oldest():
    hm.set_limit(3 * MiB)
    blocks = [hm.alloc(MiB) for _ in range(4)]
    addresses = [b.address for b in blocks]
    frees = hm.stats()["num_os_free"]
    while blocks:  # released in allocation order: the first goes back to the OS when the fourth arrives
        blocks.pop(0)
    s = hm.stats()
    assert s["cached_bytes"] == 3 * MiB and s["cached_blocks"] == 3 and s["num_os_free"] == frees + 1
    assert hm.alloc(MiB).address == addresses[3]  # the newest first
    too_big = hm.alloc(4 * MiB)
    del too_big  # over the limit on its own: given back at once
    assert hm.stats()["cached_bytes"] <= 3 * MiB
    hm.set_limit(MiB)  # lowering the limit trims at once
    assert hm.stats()["cached_bytes"] <= MiB
    hm.empty_cache()
    assert hm.stats()["cached_bytes"] == 0 and hm.stats()["cached_blocks"] == 0


def test_limit_zero_disables():
    hm.set_limit(0)
    a = hm.empty((N,), F32)
    assert a.base is None  # NumPy's own memory
    b = hm.alloc(MiB)
    del b
    assert hm.stats()["cached_bytes"] == 0


def test_environment_variable():
    code = "from rdnarray._backend import host_memory as hm; print(hm.get_limit())"
    env = dict(os.environ)
    for value, expected in (("0", "0"), ("12345678", "12345678")):
        env["RDNARRAY_HOST_CACHE_BYTES"] = value
        r = subprocess.run([sys.executable, "-P", "-c", code], env=env, capture_output=True, text=True)
        assert r.returncode == 0 and r.stdout.split() == [expected], r.stderr
    env["RDNARRAY_HOST_CACHE_BYTES"] = "lots"
    r = subprocess.run([sys.executable, "-P", "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode != 0 and "RDNARRAY_HOST_CACHE_BYTES" in r.stderr


def test_views_keep_their_block_alive():
    x = rp.empty(N, dtype=rp.float32)
    a = hm.empty((N,), F32)
    addresses = {_addr(x), _addr(a)}
    y, v = x[10:20], a[5:]
    del x, a
    assert hm.stats()["cached_bytes"] == 0  # both blocks still in use through the views
    others = [rp.empty(N, dtype=rp.float32), hm.empty((N,), F32)]  # would take a freed block
    assert not addresses & {_addr(o) for o in others}
    others[0][...] = 0
    others[1][...] = 0
    y[...] = 7
    v[...] = 3
    np.testing.assert_array_equal(rp.asnumpy(y), np.full(10, 7, np.float32))
    assert (v == 3).all()


def test_memory_error_empties_the_cache_and_says_how_much():
    cached = hm.alloc(MiB)
    del cached
    assert hm.stats()["cached_bytes"] == MiB
    retries = hm.stats()["num_oom_retry"]
    with pytest.raises(MemoryError, match=str(1 << 60)):
        hm.alloc(1 << 60)  # more than any address space: mmap fails at once
    s = hm.stats()
    assert s["cached_bytes"] == 0 and s["num_oom_retry"] == retries + 1
    with pytest.raises(MemoryError):
        rp.empty(1 << 58, dtype=rp.float32)
    with pytest.raises(ValueError):
        hm.empty((1 << 40, 1 << 40), F32)  # NumPy's "array is too big"
    with pytest.raises(ValueError):
        hm.empty((-1,), F32)
    assert hm.stats()["in_use_bytes"] == 0


def test_buffer_protocol():
    b = hm.alloc(MiB + 5)
    m = memoryview(b)
    assert m.nbytes == MiB + 5 and not m.readonly
    m[:3] = b"abc"
    assert bytes(np.frombuffer(b, np.uint8, 3)) == b"abc"
    del m


def test_blocks_freed_at_shutdown():
    code = """if True:
        import rdnarray as rp, numpy as np
        from rdnarray._backend import host_memory as hm
        import builtins
        class Cycle: pass
        c = Cycle(); c.c = c; c.a = rp.ones(1 << 19) * 2   # freed by the last collection
        builtins.kept = rp.empty(1 << 19)                  # freed with builtins, late
        d = hm.empty((1 << 20,), np.float32); del d        # an idle block at exit
        print("ok")
    """
    env = dict(os.environ, RDNARRAY_DEVICE="cpu")
    r = subprocess.run([sys.executable, "-P", "-c", code], env=env, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "ok" and "Exception" not in r.stderr, r.stderr


# -- the backend's elementwise path into pooled outputs gives the results of NumPy's own allocation ----
DTYPES = ["bool", "int8", "uint8", "int32", "int64", "float16", "float32", "float64", "complex64"]
BIG = MiB + 7  # elements: every output, even bool, is over the threshold


def _data(dtype, n, seed):
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.random(n) < 0.5
    if dt.kind in "iu":
        return rng.integers(1 if dt.kind == "u" else -9, 10, n).astype(dt)
    x = rng.standard_normal(n) * 3
    x[:8] = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5]  # special values at the start
    if dt.kind == "c":
        x = x + 1j * np.roll(x, 3)
    return x.astype(dt)


@pytest.fixture(scope="module")
def inputs():
    """(dtype, seed) -> a big input array, made once for every op."""
    with np.errstate(all="ignore"):
        made = {(dt, seed): rp.asarray(_data(dt, BIG, seed), device="cpu") for dt in DTYPES for seed in (0, 1)}
    yield made
    made.clear()


def _outcome(f):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            r = f()
        except Exception as e:
            return type(e)
    return r if isinstance(r, tuple) else (r,)


@pytest.mark.parametrize("name", sorted(ops.ALL))
def test_pooled_results_equal_numpy_allocated_results(name, inputs):
    """op(big)[:k] (pooled outputs) == op(big[:k]) (NumPy allocates, the path as it was) for every dtype."""
    op = ops.ALL[name]
    f = getattr(rp, name, None)
    if f is None:
        pytest.skip(f"no public {name}")
    k = 64
    for dtype in DTYPES:
        args = [inputs[dtype, seed] for seed in range(op.nin)]
        big = _outcome(lambda: f(*args))
        small = _outcome(lambda: f(*[a[:k] for a in args]))
        if isinstance(big, type) or isinstance(small, type):
            assert big is small, (name, dtype)
            continue
        assert len(big) == len(small)
        for rb, rs in zip(big, small):
            assert isinstance(rb._view().base, hm.HostBlock), (name, dtype)
            assert rb.shape == (BIG,) and rb.dtype == rs.dtype, (name, dtype)
            np.testing.assert_array_equal(rp.asnumpy(rb)[:k], rp.asnumpy(rs), err_msg=f"{name} {dtype}")


def test_dtype_disagreement_keeps_the_cast_path():
    """Where NumPy's loop dtype cannot be written into the core's output dtype under NumPy's default casting
    (a table bug, but results must not change), the backend casts NumPy's own result as it always did."""
    x = rp.asarray(_data("float64", BIG, 0)[8:])
    backend = x.device.backend
    (r,) = backend.elementwise(ops.ALL["floor"], [x], x.shape, (np.dtype(np.int64),), None, None)
    assert r.dtype == np.int64 and not isinstance(r._view().base, hm.HostBlock)
    np.testing.assert_array_equal(rp.asnumpy(r), np.floor(rp.asnumpy(x)).astype(np.int64))


def test_chain_and_scalars_and_broadcasting_match_numpy():
    a, b, c, d = (_data("float32", 10**6, s) for s in range(4))
    x = [rp.asarray(v) for v in (a, b, c, d)]
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(rp.asnumpy(x[0] * x[1] + x[2] * x[3] - x[0]), a * b + c * d - a)
        np.testing.assert_array_equal(rp.asnumpy(2 * x[0] + 1.5), 2 * a + 1.5)
        np.testing.assert_array_equal(rp.asnumpy(x[0] > 0.5), a > 0.5)
        col, row = a[:2000].reshape(-1, 1), b[:300]
        r = rp.asarray(col) - rp.asarray(row)
        assert r.shape == (2000, 300)
        np.testing.assert_array_equal(rp.asnumpy(r), col - row)
        i = rp.asarray(_data("int8", 10**6 * 2, 0))
        np.testing.assert_array_equal(rp.asnumpy(rp.add(i, i, dtype=rp.float64)),
                                      np.add(rp.asnumpy(i), rp.asnumpy(i), dtype=np.float64))


def test_out_and_aliasing_still_work():
    a = _data("float64", 10**6, 0)
    x = rp.asarray(a.copy())
    y = rp.multiply(x, 2, out=x)
    assert y is x
    np.testing.assert_array_equal(rp.asnumpy(x), a * 2)
    rp.add(x[::-1], x, out=x)  # overlapping input and output
    np.testing.assert_array_equal(rp.asnumpy(x), (a * 2)[::-1] + a * 2)
    z = rp.empty(10**6)
    rp.subtract(x, 1, out=z)
    np.testing.assert_array_equal(rp.asnumpy(z), (a * 2)[::-1] + a * 2 - 1)
