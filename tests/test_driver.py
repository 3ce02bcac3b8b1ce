"""The GPU driver layer (rdnarray._backend.driver and its vendor tables).

Most of this runs without a GPU: loading the vendor libraries, their "no device" state, error
formatting, argument packing, and compiling kernels with NVRTC and hiprtc for explicit
architectures. Tests that need a device skip when the driver finds none.
"""
import pickle
import struct

import numpy as np
import pytest

from rdnarray._backend import driver

KERNEL = r"""
extern "C" __global__ void axpb(float* x, float a, float b, long long n) {
    long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x;
    if (i < n) x[i] = a * x[i] + b;
}
"""
EM_AMDGPU, EM_CUDA = 224, 190     # ELF e_machine
EF_AMDGPU_MACH = {"gfx1030": 0x036, "gfx90a": 0x03F}


def _load(vendor):
    try:
        return driver.load(vendor)
    except driver.Unavailable as e:
        pytest.skip(f"{vendor} runtime not installed: {e}")


def _rtc(vendor):
    try:
        return driver.load_rtc(vendor)
    except driver.Unavailable as e:
        pytest.skip(f"{vendor} compiler not installed: {e}")


def _elf_machine(image):
    assert image[:4] == b"\x7fELF", image[:16]
    return struct.unpack_from("<H", image, 18)[0]


# ---- errors -----------------------------------------------------------------------------------------

def test_driver_error_format_and_fields():
    e = driver.DriverError("CUDA", "cuMemAlloc_v2", 2, "CUDA_ERROR_OUT_OF_MEMORY", "1024 bytes", True)
    assert isinstance(e, RuntimeError)
    assert str(e) == "rdnarray [CUDA] cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY (1024 bytes)"
    assert (e.vendor, e.call, e.status, e.out_of_memory) == ("CUDA", "cuMemAlloc_v2", 2, True)
    e2 = pickle.loads(pickle.dumps(e))
    assert str(e2) == str(e) and e2.out_of_memory
    assert str(driver.DriverError("HIP", "hipFree", 1, "hipErrorInvalidValue")) == \
        "rdnarray [HIP] hipFree: hipErrorInvalidValue"


def test_check_names_the_vendor_call_and_status():
    drv = _load("hip")          # any loaded table will do; HIP loads here without a GPU
    assert drv.check(0, "mem_alloc") is None
    with pytest.raises(driver.DriverError) as info:
        drv.check(2, "mem_alloc", "1024 bytes")
    assert str(info.value) == "rdnarray [HIP] hipMalloc: hipErrorOutOfMemory (1024 bytes)"
    assert info.value.out_of_memory
    with pytest.raises(driver.DriverError) as info:
        drv.check(1, "launch_kernel")
    assert str(info.value) == "rdnarray [HIP] hipModuleLaunchKernel: hipErrorInvalidValue"
    assert not info.value.out_of_memory


# ---- loading ----------------------------------------------------------------------------------------

def test_cuda_unavailable_lists_every_path():
    try:
        drv = driver.load("cuda")
    except driver.Unavailable as e:
        msg = str(e)
        assert "libcuda.so.1" in msg and "/usr/local/nvidia/lib64/libcuda.so.1" in msg
        assert "Install the NVIDIA driver" in msg
    else:
        assert drv.vendor == "cuda" and drv.device_count() >= 0


def test_unavailable_is_cached_but_raised_each_time():
    messages = []
    for _ in range(2):
        try:
            driver.load("cuda")
        except driver.Unavailable as e:
            messages.append(str(e))
    assert len(messages) in (0, 2) and len(set(messages)) <= 1


def test_hip_without_device_is_zero_devices():
    drv = _load("hip")
    assert drv.vendor == "hip" and drv.name == "HIP"
    assert driver.load("hip") is drv
    assert drv.driver_version() > 0
    if drv.device_count() > 0:
        pytest.skip("this machine has an AMD GPU")
    assert drv.device_count() == 0
    with pytest.raises(ValueError, match="no device 0"):
        drv.set_device(0)
    with pytest.raises(ValueError, match="no device 0"):
        drv.properties(0)


def test_load_default_prefers_a_vendor_with_devices():
    try:
        drv = driver.load()
    except driver.Unavailable as e:
        assert "no GPU runtime could be loaded" in str(e)
        return
    assert drv.vendor in ("hip", "cuda")
    if drv.device_count() == 0:
        for v in ("hip", "cuda"):
            try:
                assert driver.load(v).device_count() == 0
            except driver.Unavailable:
                pass


def test_unknown_vendor():
    with pytest.raises(ValueError, match="unknown GPU vendor"):
        driver.load("metal")
    with pytest.raises(ValueError, match="unknown GPU vendor"):
        driver.load_rtc("metal")


# ---- kernel arguments -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, args", [
    ("Pq", (0x7F0000001000, -5)),
    ("PfdB", (16, 1.5, -2.25, 1)),
    ("?iP", (True, -7, 2**64 - 1)),
    ("P8q", (0x1000, *range(8))),
    ("hHbBe", (-3, 65535, -128, 255, 0.5)),
    ("iIqQnNlLfd", (-1, 2**32 - 1, -(2**63), 2**64 - 1, 3, 4, -5, 6, 0.25, 1e300)),
    ("", ()),
])
def test_arguments_packed_like_struct(fmt, args):
    data, offsets = driver.pack_arguments(fmt, args)
    assert data == struct.pack("@" + fmt, *args)
    # Each group (count + code) is one kernel parameter; its offset is struct's.
    groups, group = [], ""
    for ch in fmt:
        group += ch
        if not ch.isdigit():
            groups.append(group)
            group = ""
    assert offsets == tuple(struct.calcsize("@" + "".join(groups[:k]) + g[-1]) - struct.calcsize("@" + g[-1])
                            for k, g in enumerate(groups))


def test_argument_errors():
    with pytest.raises(TypeError, match="takes 2 values, got 1"):
        driver.pack_arguments("Pq", (1,))
    with pytest.raises(ValueError, match="kernel argument format"):
        driver.pack_arguments("Pz", (1, 2))
    with pytest.raises(ValueError, match="kernel argument format"):
        driver.pack_arguments("<i", (1,))
    with pytest.raises(OverflowError):
        driver.pack_arguments("i", (2**31,))
    with pytest.raises(OverflowError):
        driver.pack_arguments("P", (-1,))
    with pytest.raises(ValueError, match="a count of 0"):
        driver.pack_arguments("P0q", (1,))
    with pytest.raises(ValueError, match="4096 bytes"):
        driver.pack_arguments("513q", tuple(range(513)))


# ---- run-time compilers (no GPU needed) ---------------------------------------------------------

@pytest.mark.parametrize("arch", ["gfx1030", "gfx90a"])   # never gfx11: ROCm 5.2's hiprtc aborts on it
def test_hiprtc_compiles_for_an_explicit_arch(arch):
    rtc = _rtc("hip")
    image = rtc.compile(KERNEL, "axpb", [], arch)
    assert _elf_machine(image) == EM_AMDGPU
    assert struct.unpack_from("<I", image, 48)[0] & 0xFF == EF_AMDGPU_MACH[arch]
    assert rtc.version().startswith("hiprtc ")


def test_nvrtc_compiles_cubin():
    rtc = _rtc("cuda")
    image = rtc.compile(KERNEL, "axpb", ["-DUNUSED=1"], "sm_90")
    assert _elf_machine(image) == EM_CUDA
    assert rtc.version().startswith("NVRTC ")


@pytest.mark.parametrize("vendor, arch", [("hip", "gfx1030"), ("cuda", "sm_90")])
def test_compile_error_carries_the_log(vendor, arch):
    rtc = _rtc(vendor)
    with pytest.raises(driver.CompileError) as info:
        rtc.compile("this is not C++", "broken", [], arch)
    msg = str(info.value)
    assert msg.startswith(f"rdnarray [{rtc.name}] ") and "broken" in msg and arch in msg
    assert "error" in info.value.log


# ---- with a device ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gpu():
    try:
        drv = driver.load()
    except driver.Unavailable as e:
        pytest.skip(f"no GPU runtime: {e}")
    if drv.device_count() == 0:
        pytest.skip("no GPU")
    drv.set_device(0)
    return drv


def test_properties(gpu):
    p = gpu.properties(0)
    assert p["arch"].startswith("gfx" if gpu.vendor == "hip" else "sm_")
    assert p["warp_size"] in (32, 64)
    assert p["compute_units"] > 0 and p["total_memory"] > 2**28 and p["name"]
    assert p["max_threads_per_block"] >= 256
    free, total = gpu.mem_get_info()
    assert 0 < free <= total


def test_kernel_round_trip(gpu):
    n = 1000
    x = np.arange(n, dtype=np.float32)
    f = gpu.get_function(gpu.module_load(gpu.compile(KERNEL, "axpb")), "axpb")
    p = gpu.malloc(x.nbytes)
    s = gpu.stream_create()
    try:
        gpu.memcpy_htod(p, x.ctypes.data, x.nbytes, s)
        f.launch(((n + 255) // 256, 1, 1), (256, 1, 1), 0, s, (p, 2.0, 1.0, n), "Pffq")
        out = np.empty_like(x)
        gpu.memcpy_dtoh(out.ctypes.data, p, x.nbytes, s)
        gpu.stream_synchronize(s)
        np.testing.assert_array_equal(out, 2 * x + 1)
        with pytest.raises(TypeError):
            f.launch(1, 1, 0, s, (p,), "Pffq")
        with pytest.raises(driver.DriverError, match="axpb"):
            f.launch((1, 1, 1), (1 << 20, 1, 1), 0, s, (p, 2.0, 1.0, n), "Pffq")
    finally:
        gpu.free(p)
        gpu.stream_destroy(s)


DEPENDENT = r"""
#include "prelude.h"
// Writes x[i] = i + 1 after a delay, so that a kernel queued behind it starts well before it ends.
extern "C" __global__ void slow_write(float* x, long long n, long long spin) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    long long t0 = clock64();
    while (clock64() - t0 < spin) {
    }
    if (i < n) x[i] = (float)(i + 1);
}
extern "C" __global__ void twice(const float* x, float* y, long long n) {
    rp_wait_previous_kernel();
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = 2 * x[i];
}
"""


def test_dependent_launch_waits_for_the_previous_kernel(gpu):
    from rdnarray._backend import compiler
    if not gpu.properties(0)["dependent_launch"]:
        pytest.skip("no programmatic dependent launch on this device")
    n = 1 << 16
    slow = compiler.get_function(gpu, 0, DEPENDENT, "slow_write", ())
    twice = compiler.get_function(gpu, 0, DEPENDENT, "twice", ())
    x, y = gpu.malloc(4 * n), gpu.malloc(4 * n)
    s = gpu.stream_create()
    try:
        out = np.empty(n, np.float32)
        for _ in range(3):
            gpu.memset_d8(x, 0, 4 * n, s)
            slow.launch((n // 256, 1, 1), (256, 1, 1), 0, s, (x, n, 1 << 20), "Pqq")
            twice.launch_dependent((n // 256, 1, 1), (256, 1, 1), 0, s, (x, y, n), "PPq")
            gpu.memcpy_dtoh(out.ctypes.data, y, 4 * n, s)
            gpu.stream_synchronize(s)
            np.testing.assert_array_equal(out, 2 * np.arange(1, n + 1, dtype=np.float32))
    finally:
        gpu.free(x)
        gpu.free(y)
        gpu.stream_destroy(s)


def test_copies_memset_events_and_pinned_memory(gpu):
    n = 1 << 20
    a, b = gpu.malloc(n), gpu.malloc(n)
    h = gpu.host_alloc(n)
    e0, e1 = gpu.event_create(), gpu.event_create()
    s = gpu.stream_create(non_blocking=True)
    try:
        gpu.event_record(e0, s)
        gpu.memset_d8(a, 7, n, s)
        gpu.memcpy_dtod(b, a, n, s)
        gpu.memcpy_dtoh(h, b, n, s)
        gpu.event_record(e1, s)
        gpu.event_synchronize(e1)
        assert gpu.event_query(e1) and gpu.stream_query(s)
        assert gpu.event_elapsed_ms(e0, e1) >= 0
        view = np.ctypeslib.as_array((np.ctypeslib.ctypes.c_uint8 * n).from_address(h))
        assert (view == 7).all()
        s2 = gpu.stream_create()
        gpu.stream_wait_event(s2, e1)
        gpu.stream_synchronize(s2)
        gpu.stream_destroy(s2)
        gpu.synchronize()
    finally:
        gpu.free(a)
        gpu.free(b)
        gpu.host_free(h)
        gpu.event_destroy(e0)
        gpu.event_destroy(e1)
        gpu.stream_destroy(s)


def test_out_of_memory_is_flagged(gpu):
    with pytest.raises(driver.DriverError) as info:
        gpu.malloc(1 << 60)
    assert info.value.out_of_memory and "1152921504606846976 bytes" in str(info.value)


def test_set_device_from_another_thread(gpu):
    import threading
    seen = []

    def work():
        gpu.set_device(0)
        p = gpu.malloc(256)
        gpu.memset_d8(p, 1, 256)
        gpu.synchronize()
        gpu.free(p)
        seen.append(gpu.current_device())

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen == [0]
