"""AMD: the HIP runtime (libamdhip64) and hiprtc, bound into rdnarray's runtime tables.

Everything HIP-specific lives here: where ROCm puts its libraries, which symbol fills which table
entry, the shims where HIP's API differs from CUDA's driver API, attribute numbers, how to read the
architecture name, and compiler options. The interface is the one cuda.pyx describes.

Attribute numbers: hipDeviceAttribute_t was renumbered in ROCm 5.0 and has kept its numbers since
(checked against the headers of ROCm 5.0, 5.2, 5.7, 6.0, 6.2 and 7.x), so load_api() refuses a HIP
runtime older than 5.0 rather than read wrong attributes.

Architecture name: no attribute gives it; the properties struct has it as gcnArchName
("gfx90a:sramecc+:xnack-"). Its layout is frozen per symbol (HIP versions the struct by symbol name
precisely so that old binaries keep working): hipGetDevicePropertiesR0600 (ROCm >= 6) has gcnArchName
at byte 1160, hipGetDevicePropertiesR0000 and ROCm 5's hipGetDeviceProperties at byte 396 (offsets
computed from those headers). This is per HIP device index, so it honours HIP_VISIBLE_DEVICES and
ROCR_VISIBLE_DEVICES; reading the KFD topology in sysfs instead would have to map HIP's device order
onto KFD nodes, which those variables reorder.
"""
import os
import re

from libc.stdint cimport intptr_t
from libc.string cimport memset
from posix.dlfcn cimport dlsym

from .runtime cimport Api, Rtc, handle, open_library, bind, library_path

NAME = "HIP"
RTC_NAME = "hiprtc"

NO_DEVICE = 100             # hipErrorNoDevice: a machine without a GPU, not an error
OUT_OF_MEMORY = 2           # hipErrorOutOfMemory
NOT_READY = 600             # hipErrorNotReady, from the stream and event queries
STREAM_NON_BLOCKING = 1     # hipStreamNonBlocking
EVENT_DISABLE_TIMING = 2    # hipEventDisableTiming
HOST_ALLOC_PORTABLE = 1     # hipHostMallocPortable / hipHostAllocPortable

# hipDeviceAttribute_t numbers, ROCm >= 5.0 (see above).
ATTRIBUTES = {
    "compute_units": 63,                            # MultiprocessorCount (WGPs in WGP mode on RDNA)
    "warp_size": 87,
    "max_threads_per_block": 56,
    "max_block_dim_x": 26,
    "max_grid_dim_x": 29,
    "max_shared_memory_per_block": 74,
    "max_shared_memory_per_block_optin": 75,
    "max_shared_memory_per_multiprocessor": 10002,  # AMD-specific range
    "max_threads_per_multiprocessor": 57,
    "l2_cache_size": 19,
    "memory_bus_width": 59,
    "integrated": 16,
    "pci_bus_id": 67,
    "pci_device_id": 68,
    "pci_domain_id": 69,
    "compute_capability_major": 23,                 # HIP's stand-in numbers (gfx1030 -> 10, 3)
    "compute_capability_minor": 61,
}

SYMBOLS = {}
RTC_SYMBOLS = {}
cdef Api _api
cdef Rtc _rtc
_api_library = None
_rtc_library = None

# Functions used only by the shims and by arch() below.
cdef const char* (*_get_error_name)(int status) noexcept nogil
cdef int (*_set_device)(int device) noexcept nogil
cdef int (*_runtime_version)(int* version) noexcept nogil
cdef int (*_device_properties)(void* props, int device) noexcept nogil
cdef size_t _arch_offset


# Shims: HIP's functions whose shape differs from the CUDA driver API's.

cdef int _error_name(int status, const char** name) noexcept nogil:
    name[0] = _get_error_name(status)
    return 0


# HIP has no contexts to hold: the device is made current per thread with hipSetDevice. The
# "context" handed around is the device number.
cdef int _ctx_retain(handle* ctx, int device) noexcept nogil:
    ctx[0] = <handle><intptr_t>device
    return 0


cdef int _ctx_release(int device) noexcept nogil:
    return 0


cdef int _ctx_set_current(handle ctx) noexcept nogil:
    return _set_device(<int><intptr_t>ctx)


def _unavailable(msg):
    from .driver import Unavailable
    return Unavailable(msg)


def _candidates(stem):
    """ROCm's search order: $ROCM_PATH/lib, $HIP_PATH/lib, /opt/rocm/lib, then the loader's path
    (distributions install versioned names only, e.g. Debian's libamdhip64.so.5)."""
    folders = [os.path.join(os.environ[v], "lib") for v in ("ROCM_PATH", "HIP_PATH") if os.environ.get(v)]
    folders.append("/opt/rocm/lib")
    return ([os.path.join(d, stem + ".so") for d in dict.fromkeys(folders)]
            + [stem + ".so", stem + ".so.7", stem + ".so.6", stem + ".so.5"])


def load_api():
    """Open libamdhip64 and fill the Api table: (its address, the library path)."""
    global _api_library, _arch_offset
    if _api_library is not None:
        return <size_t>&_api, _api_library
    tried = []
    candidates = _candidates("libamdhip64")
    cdef void* lib = open_library(candidates, tried)
    if lib == NULL:
        raise _unavailable("HIP runtime not found (tried " + "; ".join(tried) + "). Install ROCm "
                           "(or your distribution's libamdhip64 package), or set ROCM_PATH.")
    path = os.path.realpath(library_path(lib, "hipInit"))
    missing = []
    bind(lib, SYMBOLS, missing, "init", &_api.init, "hipInit")
    bind(lib, SYMBOLS, missing, "driver_version", &_api.driver_version, "hipDriverGetVersion")
    bind(lib, SYMBOLS, missing, "device_count", &_api.device_count, "hipGetDeviceCount")
    bind(lib, SYMBOLS, missing, "device_get", &_api.device_get, "hipDeviceGet")
    bind(lib, SYMBOLS, missing, "device_name", &_api.device_name, "hipDeviceGetName")
    bind(lib, SYMBOLS, missing, "device_attribute", &_api.device_attribute, "hipDeviceGetAttribute")
    bind(lib, SYMBOLS, missing, "device_total_mem", &_api.device_total_mem, "hipDeviceTotalMem")
    bind(lib, SYMBOLS, missing, "ctx_synchronize", &_api.ctx_synchronize, "hipDeviceSynchronize")
    bind(lib, SYMBOLS, missing, "mem_alloc", &_api.mem_alloc, "hipMalloc")
    bind(lib, SYMBOLS, missing, "mem_free", &_api.mem_free, "hipFree")
    bind(lib, SYMBOLS, missing, "mem_get_info", &_api.mem_get_info, "hipMemGetInfo")
    # The newer names first: ROCm 6.3 deprecated hipHostMalloc/hipHostFree; ROCm 5.2 lacks hipExtHostAlloc.
    bind(lib, SYMBOLS, missing, "host_alloc", &_api.host_alloc, ("hipExtHostAlloc", "hipHostMalloc"))
    bind(lib, SYMBOLS, missing, "host_free", &_api.host_free, ("hipFreeHost", "hipHostFree"))
    bind(lib, SYMBOLS, missing, "memcpy_htod_async", &_api.memcpy_htod_async, "hipMemcpyHtoDAsync")
    bind(lib, SYMBOLS, missing, "memcpy_dtoh_async", &_api.memcpy_dtoh_async, "hipMemcpyDtoHAsync")
    bind(lib, SYMBOLS, missing, "memcpy_dtod_async", &_api.memcpy_dtod_async, "hipMemcpyDtoDAsync")
    bind(lib, SYMBOLS, missing, "memset_d8_async", &_api.memset_d8_async, "hipMemsetD8Async")
    bind(lib, SYMBOLS, missing, "stream_create", &_api.stream_create, "hipStreamCreateWithFlags")
    bind(lib, SYMBOLS, missing, "stream_destroy", &_api.stream_destroy, "hipStreamDestroy")
    bind(lib, SYMBOLS, missing, "stream_synchronize", &_api.stream_synchronize, "hipStreamSynchronize")
    bind(lib, SYMBOLS, missing, "stream_query", &_api.stream_query, "hipStreamQuery")
    bind(lib, SYMBOLS, missing, "stream_wait_event", &_api.stream_wait_event, "hipStreamWaitEvent")
    bind(lib, SYMBOLS, missing, "event_create", &_api.event_create, "hipEventCreateWithFlags")
    bind(lib, SYMBOLS, missing, "event_destroy", &_api.event_destroy, "hipEventDestroy")
    bind(lib, SYMBOLS, missing, "event_record", &_api.event_record, "hipEventRecord")
    bind(lib, SYMBOLS, missing, "event_synchronize", &_api.event_synchronize, "hipEventSynchronize")
    bind(lib, SYMBOLS, missing, "event_query", &_api.event_query, "hipEventQuery")
    bind(lib, SYMBOLS, missing, "event_elapsed_time", &_api.event_elapsed_time, "hipEventElapsedTime")
    bind(lib, SYMBOLS, missing, "module_load_data", &_api.module_load_data, "hipModuleLoadData")
    bind(lib, SYMBOLS, missing, "module_unload", &_api.module_unload, "hipModuleUnload")
    bind(lib, SYMBOLS, missing, "module_get_function", &_api.module_get_function, "hipModuleGetFunction")
    bind(lib, SYMBOLS, missing, "launch_kernel", &_api.launch_kernel, "hipModuleLaunchKernel")
    # What the shims and arch() call.
    bind(lib, SYMBOLS, missing, "error_name", &_get_error_name, "hipGetErrorName")
    bind(lib, SYMBOLS, missing, "ctx_set_current", &_set_device, "hipSetDevice")
    bind(lib, SYMBOLS, missing, "runtime_version", &_runtime_version, "hipRuntimeGetVersion")
    bind(lib, SYMBOLS, missing, "device_properties", &_device_properties,
         ("hipGetDevicePropertiesR0600", "hipGetDevicePropertiesR0000", "hipGetDeviceProperties"))
    if missing:
        raise _unavailable(f"{path} lacks {', '.join(missing)}: install ROCm 5.0 or newer.")
    SYMBOLS["ctx_retain"] = SYMBOLS["ctx_release"] = "hipSetDevice"
    _api.error_name = _error_name
    _api.ctx_retain = _ctx_retain
    _api.ctx_release = _ctx_release
    _api.ctx_set_current = _ctx_set_current
    _arch_offset = 1160 if SYMBOLS["device_properties"].endswith("R0600") else 396
    cdef int version = 0
    if _runtime_version(&version) == 0 and version < 50000000:   # HIP_VERSION: major * 10^7 + ...
        raise _unavailable(f"{path} is HIP {version // 10000000}.{version // 100000 % 100}: "
                           "install ROCm 5.0 or newer (device attributes were renumbered in 5.0).")
    _api_library = path
    return <size_t>&_api, path


def load_rtc():
    """Open hiprtc and fill the Rtc table: (its address, the library path). Needs no GPU.

    ROCm 5.3 and later ship it as libhiprtc; older ones (Debian's 5.2 among them) have it inside
    libamdhip64 itself, so that is the last place to look."""
    global _rtc_library
    if _rtc_library is not None:
        return <size_t>&_rtc, _rtc_library
    tried = []
    cdef void* lib = NULL
    for candidate in _candidates("libhiprtc") + _candidates("libamdhip64"):
        lib = open_library([candidate], tried)
        if lib != NULL and dlsym(lib, b"hiprtcCreateProgram") == NULL:
            tried.append(f"{candidate}: has no hiprtc in it")
            lib = NULL
        if lib != NULL:
            path = os.path.realpath(library_path(lib, "hiprtcCreateProgram"))
            break
    if lib == NULL:
        raise _unavailable("hiprtc not found (tried " + "; ".join(tried) + "). Install ROCm "
                           "(or your distribution's libhiprtc / libamdhip64 package), or set ROCM_PATH.")
    missing = []
    bind(lib, RTC_SYMBOLS, missing, "create_program", &_rtc.create_program, "hiprtcCreateProgram")
    bind(lib, RTC_SYMBOLS, missing, "compile_program", &_rtc.compile_program, "hiprtcCompileProgram")
    bind(lib, RTC_SYMBOLS, missing, "get_log_size", &_rtc.get_log_size, "hiprtcGetProgramLogSize")
    bind(lib, RTC_SYMBOLS, missing, "get_log", &_rtc.get_log, "hiprtcGetProgramLog")
    bind(lib, RTC_SYMBOLS, missing, "get_code_size", &_rtc.get_code_size, "hiprtcGetCodeSize")
    bind(lib, RTC_SYMBOLS, missing, "get_code", &_rtc.get_code, "hiprtcGetCode")
    bind(lib, RTC_SYMBOLS, missing, "destroy_program", &_rtc.destroy_program, "hiprtcDestroyProgram")
    bind(lib, RTC_SYMBOLS, missing, "version", &_rtc.version, "hiprtcVersion")
    bind(lib, RTC_SYMBOLS, missing, "error_string", &_rtc.error_string, "hiprtcGetErrorString")
    if missing:
        raise _unavailable(f"{path} lacks {', '.join(missing)}: install ROCm 5.0 or newer.")
    _rtc_library = path
    return <size_t>&_rtc, path


def arch(int device, dict attributes):
    """"gfx90a" for a device whose gcnArchName is "gfx90a:sramecc+:xnack-" (see the module's doc)."""
    cdef char props[4096]      # larger than either layout (792 and 1472 bytes)
    cdef int status
    memset(props, 0, sizeof(props))
    with nogil:
        status = _device_properties(props, device)
    if status != 0:
        from .driver import DriverError
        raise DriverError(NAME, SYMBOLS["device_properties"], status,
                          _get_error_name(status).decode(), f"device {device}")
    full = (props + _arch_offset)[:255].split(b"\0")[0].decode(errors="replace")
    name = full.split(":")[0]
    if not re.fullmatch(r"gfx[0-9a-f]+", name):
        raise RuntimeError(f"rdnarray [HIP] {SYMBOLS['device_properties']}: device {device} reports "
                           f"architecture {full!r}, not a gfx name")
    return name


def rtc_options(arch):
    return [f"--offload-arch={arch}", "-O3", "-std=c++17"]
