"""rdnarray.gpu: devices, streams, events and the caching allocator (GPU tests skip without a GPU)."""
import numpy as np
import pytest

import rdnarray as rp

gpu = pytest.mark.skipif(not rp.gpu.is_available(), reason=f"no usable GPU: {rp.gpu.unavailable_reason()}")


def test_without_gpu_the_api_says_why():
    if rp.gpu.is_available():
        pytest.skip("a GPU is available here")
    assert rp.gpu.device_count() == 0
    assert rp.gpu.unavailable_reason()
    with pytest.raises(RuntimeError, match="no usable GPU"):
        rp.gpu.get_device_properties()
    rp.gpu.empty_cache()  # harmless without a GPU


def test_out_of_memory_error_is_a_memory_error():
    e = rp.OutOfMemoryError("gpu:0", 3 << 30, 1 << 30, 2 << 30)
    assert isinstance(e, MemoryError)
    text = str(e)
    assert "gpu:0" in text and "3.00 GiB" in text and "1.00 GiB allocated" in text and "2.00 GiB reserved" in text


@gpu
def test_device_properties():
    p = rp.gpu.get_device_properties(0)
    assert p.name and p.arch and p.compute_units > 0 and p.total_memory > 0
    assert p.warp_size in (32, 64)
    assert rp.gpu.get_device_name() == p.name
    assert 0 <= rp.gpu.current_device() < rp.gpu.device_count()


@gpu
def test_memory_is_cached_and_counted():
    dev = "gpu:0"
    rp.gpu.empty_cache(dev)
    base = rp.gpu.memory_allocated(dev)
    x = rp.zeros(1 << 20, dtype=rp.float32, device=dev)
    assert rp.gpu.memory_allocated(dev) >= base + (4 << 20)
    assert rp.gpu.max_memory_allocated(dev) >= rp.gpu.memory_allocated(dev)
    reserved = rp.gpu.memory_reserved(dev)
    del x
    assert rp.gpu.memory_allocated(dev) == base
    assert rp.gpu.memory_reserved(dev) == reserved  # kept in the cache
    stats = rp.gpu.memory_stats(dev)
    assert stats["cached_bytes"] >= 4 << 20 and 0 <= stats["fragmentation"] <= 1
    y = rp.zeros(1 << 20, dtype=rp.float32, device=dev)  # served from the cache
    assert rp.gpu.memory_stats(dev)["num_cache_hit"] > stats["num_cache_hit"]
    del y
    rp.gpu.empty_cache(dev)
    assert rp.gpu.memory_reserved(dev) == base


@gpu
def test_out_of_memory_raises_clearly_and_leaves_a_working_device():
    huge = rp.gpu.get_device_properties().total_memory * 4
    with pytest.raises(rp.OutOfMemoryError, match="out of memory on gpu:0") as info:
        rp.empty(huge // 4, dtype=rp.float32, device="gpu")
    assert info.value.requested == huge // 4 * 4
    x = rp.ones(10, device="gpu")
    assert float(x.sum()) == 10.0


@gpu
def test_stream_and_events():
    x = rp.arange(1 << 20, dtype=rp.float32, device="gpu")
    s = rp.gpu.Stream()
    start, end = rp.gpu.Event(), rp.gpu.Event()
    with s:
        assert rp.gpu.current_stream() == s.handle
        start.record()
        y = x * 2 + 1
        end.record()
    assert rp.gpu.current_stream() != s.handle
    end.synchronize()
    assert end.query() and s.query()
    assert start.elapsed_time(end) >= 0
    rp.gpu.synchronize()
    np.testing.assert_array_equal(rp.asnumpy(y), np.arange(1 << 20, dtype=np.float32) * 2 + 1)


@gpu
def test_arrays_round_trip_and_report_their_device():
    a = np.arange(12, dtype=np.float64).reshape(3, 4)
    x = rp.asarray(a, device="gpu")
    assert x.device == rp.Device("gpu")
    assert "device='gpu:0'" in repr(x)
    np.testing.assert_array_equal(rp.asnumpy(x[:, ::-2]), a[:, ::-2])
    np.testing.assert_array_equal(rp.asnumpy(x.to_device("cpu")), a)


@gpu
def test_dlpack_zero_copy_with_torch_on_the_gpu():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available() or rp.gpu.get_device_properties().arch.startswith("gfx") != bool(
            getattr(torch.version, "hip", None)):
        pytest.skip("torch has no GPU of the same vendor here")
    t = torch.arange(10, dtype=torch.float32, device="cuda")
    x = rp.from_dlpack(t)
    assert x.device.kind == "gpu" and x._buffer.ptr == t.data_ptr()
    x[0] = 42  # shared memory: torch sees the write
    assert float(t[0]) == 42
    back = torch.from_dlpack(x * 2)
    assert back.device.type == "cuda" and back.tolist()[:2] == [84.0, 2.0]


@gpu
def test_random_gives_the_same_bits_on_cpu_and_gpu():
    for draw in (lambda g, d: g.random(1000, device=d), lambda g, d: g.standard_normal((7, 9), device=d),
                 lambda g, d: g.integers(0, 1 << 40, size=500, device=d)):
        on_cpu = rp.asnumpy(draw(rp.random.default_rng(1234), "cpu"))
        on_gpu = rp.asnumpy(draw(rp.random.default_rng(1234), "gpu"))
        assert on_cpu.dtype == on_gpu.dtype
        assert on_cpu.tobytes() == on_gpu.tobytes()


@gpu
def test_pinned_host_arrays_round_trip():
    p = rp.gpu.empty_pinned((3, 5), np.float32)
    assert isinstance(p, np.ndarray) and p.shape == (3, 5) and p.dtype == np.float32 and p.flags.c_contiguous
    p[...] = np.arange(15, dtype=np.float32).reshape(3, 5)
    x = rp.asarray(p, device="gpu")
    back = rp.gpu.zeros_pinned((3, 5), np.float32)
    assert not back.any()
    assert rp.asnumpy(x * 2, out=back) is back
    np.testing.assert_array_equal(back, p * 2)
    assert rp.gpu.empty_pinned(0).shape == (0,)
