"""NVIDIA: the CUDA driver (libcuda.so.1) and NVRTC, bound into rdnarray's runtime tables.

Everything CUDA-specific lives here: where the libraries are, which symbol fills which table entry
(the versioned `_v2` ones, the names cuda.h maps to), attribute numbers and compiler options.
driver.pyx uses the tables and knows nothing of CUDA. The interface every vendor module offers:

  NAME, RTC_NAME                  "CUDA", "NVRTC": the names errors carry
  SYMBOLS, RTC_SYMBOLS            table field -> the symbol bound to it (for error messages)
  load_api(), load_rtc()          (address of the filled table, library path); raise driver.Unavailable
  ATTRIBUTES                      property name -> device attribute number
  arch(device, attributes)        the architecture name the compiler takes ("sm_90")
  rtc_options(arch)               the compiler options that target `arch`
  NO_DEVICE, OUT_OF_MEMORY, NOT_READY, STREAM_NON_BLOCKING, EVENT_DISABLE_TIMING, HOST_ALLOC_PORTABLE
"""
import os

from .runtime cimport Api, Rtc, open_library, bind, library_path

NAME = "CUDA"
RTC_NAME = "NVRTC"

# Status codes (CUresult) and flags the driver module needs.
NO_DEVICE = 100             # CUDA_ERROR_NO_DEVICE: a machine without a GPU, not an error
OUT_OF_MEMORY = 2           # CUDA_ERROR_OUT_OF_MEMORY
NOT_READY = 600             # CUDA_ERROR_NOT_READY, from the stream and event queries
STREAM_NON_BLOCKING = 1     # CU_STREAM_NON_BLOCKING
EVENT_DISABLE_TIMING = 2    # CU_EVENT_DISABLE_TIMING
HOST_ALLOC_PORTABLE = 1     # CU_MEMHOSTALLOC_PORTABLE: pinned for every context, not only the current

# CUdevice_attribute numbers (cuda.h).
ATTRIBUTES = {
    "compute_units": 16,                            # MULTIPROCESSOR_COUNT
    "warp_size": 10,
    "max_threads_per_block": 1,
    "max_block_dim_x": 2,
    "max_grid_dim_x": 5,
    "max_shared_memory_per_block": 8,
    "max_shared_memory_per_block_optin": 97,
    "max_shared_memory_per_multiprocessor": 81,
    "max_threads_per_multiprocessor": 39,
    "l2_cache_size": 38,
    "memory_bus_width": 37,
    "integrated": 18,
    "pci_bus_id": 33,
    "pci_device_id": 34,
    "pci_domain_id": 50,
    "compute_capability_major": 75,
    "compute_capability_minor": 76,
}

SYMBOLS = {}
RTC_SYMBOLS = {}
cdef Api _api
cdef Rtc _rtc
_api_library = None
_rtc_library = None


def _unavailable(msg):
    from .driver import Unavailable
    return Unavailable(msg)


def load_api():
    """Open libcuda.so.1 and fill the Api table: (its address, the library path)."""
    global _api_library
    if _api_library is not None:
        return <size_t>&_api, _api_library
    tried = []
    # The loader's search path first; then where containers and WSL put the driver without telling it.
    candidates = ["libcuda.so.1", "/usr/local/nvidia/lib64/libcuda.so.1", "/usr/lib/wsl/lib/libcuda.so.1"]
    cdef void* lib = open_library(candidates, tried)
    if lib == NULL:
        raise _unavailable("CUDA driver not found (tried " + "; ".join(tried) + "). "
                           "Install the NVIDIA driver, which provides libcuda.so.1.")
    path = os.path.realpath(library_path(lib, "cuInit"))
    missing = []
    bind(lib, SYMBOLS, missing, "init", &_api.init, "cuInit")
    bind(lib, SYMBOLS, missing, "driver_version", &_api.driver_version, "cuDriverGetVersion")
    bind(lib, SYMBOLS, missing, "device_count", &_api.device_count, "cuDeviceGetCount")
    bind(lib, SYMBOLS, missing, "device_get", &_api.device_get, "cuDeviceGet")
    bind(lib, SYMBOLS, missing, "device_name", &_api.device_name, "cuDeviceGetName")
    bind(lib, SYMBOLS, missing, "device_attribute", &_api.device_attribute, "cuDeviceGetAttribute")
    bind(lib, SYMBOLS, missing, "device_total_mem", &_api.device_total_mem, "cuDeviceTotalMem_v2")
    bind(lib, SYMBOLS, missing, "ctx_retain", &_api.ctx_retain, "cuDevicePrimaryCtxRetain")
    bind(lib, SYMBOLS, missing, "ctx_release", &_api.ctx_release, "cuDevicePrimaryCtxRelease_v2")
    bind(lib, SYMBOLS, missing, "ctx_set_current", &_api.ctx_set_current, "cuCtxSetCurrent")
    bind(lib, SYMBOLS, missing, "ctx_synchronize", &_api.ctx_synchronize, "cuCtxSynchronize")
    bind(lib, SYMBOLS, missing, "mem_alloc", &_api.mem_alloc, "cuMemAlloc_v2")
    bind(lib, SYMBOLS, missing, "mem_free", &_api.mem_free, "cuMemFree_v2")
    bind(lib, SYMBOLS, missing, "mem_get_info", &_api.mem_get_info, "cuMemGetInfo_v2")
    bind(lib, SYMBOLS, missing, "host_alloc", &_api.host_alloc, "cuMemHostAlloc")
    bind(lib, SYMBOLS, missing, "host_free", &_api.host_free, "cuMemFreeHost")
    bind(lib, SYMBOLS, missing, "memcpy_htod_async", &_api.memcpy_htod_async, "cuMemcpyHtoDAsync_v2")
    bind(lib, SYMBOLS, missing, "memcpy_dtoh_async", &_api.memcpy_dtoh_async, "cuMemcpyDtoHAsync_v2")
    bind(lib, SYMBOLS, missing, "memcpy_dtod_async", &_api.memcpy_dtod_async, "cuMemcpyDtoDAsync_v2")
    bind(lib, SYMBOLS, missing, "memset_d8_async", &_api.memset_d8_async, "cuMemsetD8Async")
    bind(lib, SYMBOLS, missing, "stream_create", &_api.stream_create, "cuStreamCreate")
    bind(lib, SYMBOLS, missing, "stream_destroy", &_api.stream_destroy, "cuStreamDestroy_v2")
    bind(lib, SYMBOLS, missing, "stream_synchronize", &_api.stream_synchronize, "cuStreamSynchronize")
    bind(lib, SYMBOLS, missing, "stream_query", &_api.stream_query, "cuStreamQuery")
    bind(lib, SYMBOLS, missing, "stream_wait_event", &_api.stream_wait_event, "cuStreamWaitEvent")
    bind(lib, SYMBOLS, missing, "event_create", &_api.event_create, "cuEventCreate")
    bind(lib, SYMBOLS, missing, "event_destroy", &_api.event_destroy, "cuEventDestroy_v2")
    bind(lib, SYMBOLS, missing, "event_record", &_api.event_record, "cuEventRecord")
    bind(lib, SYMBOLS, missing, "event_synchronize", &_api.event_synchronize, "cuEventSynchronize")
    bind(lib, SYMBOLS, missing, "event_query", &_api.event_query, "cuEventQuery")
    # _v2 since CUDA 12.8 (what cuda.h now maps the name to); older drivers have only the first one.
    bind(lib, SYMBOLS, missing, "event_elapsed_time", &_api.event_elapsed_time,
         ("cuEventElapsedTime_v2", "cuEventElapsedTime"))
    bind(lib, SYMBOLS, missing, "module_load_data", &_api.module_load_data, "cuModuleLoadData")
    bind(lib, SYMBOLS, missing, "module_unload", &_api.module_unload, "cuModuleUnload")
    bind(lib, SYMBOLS, missing, "module_get_function", &_api.module_get_function, "cuModuleGetFunction")
    bind(lib, SYMBOLS, missing, "launch_kernel", &_api.launch_kernel, "cuLaunchKernel")
    bind(lib, SYMBOLS, missing, "error_name", &_api.error_name, "cuGetErrorName")
    bind(lib, SYMBOLS, [], "launch_kernel_ex", &_api.launch_kernel_ex, "cuLaunchKernelEx")  # optional
    if missing:
        raise _unavailable(f"{path} lacks {', '.join(missing)}: the NVIDIA driver is too old; "
                           "install a newer one (CUDA 11 or later).")
    _api_library = path
    return <size_t>&_api, path


def _nvrtc_candidates(tried):
    """NVRTC's possible locations, best first: NVIDIA's own finder (pip wheels, conda, CUDA_HOME),
    then the usual toolkit folders, then the loader's search path."""
    found = []
    try:
        from cuda.pathfinder import load_nvidia_dynamic_lib
    except ImportError:
        tried.append("cuda-pathfinder: not installed")
    else:
        try:
            p = load_nvidia_dynamic_lib("nvrtc").abs_path
            if p:
                found.append(p)
        except Exception as e:   # its own error types; any failure just means "look elsewhere"
            tried.append(f"cuda-pathfinder: {e}")
    names = ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"]
    folders = [os.path.join(os.environ[v], "lib64") for v in ("CUDA_PATH", "CUDA_HOME") if os.environ.get(v)]
    for d in dict.fromkeys(folders + ["/usr/local/cuda/lib64"]):
        here = [os.path.join(d, n) for n in names if os.path.exists(os.path.join(d, n))]
        found += here
        if not here:
            tried.append(f"{d}: no libnvrtc.so* there")
    return found + names


def load_rtc():
    """Open NVRTC and fill the Rtc table: (its address, the library path). Needs no GPU."""
    global _rtc_library
    if _rtc_library is not None:
        return <size_t>&_rtc, _rtc_library
    tried = []
    candidates = _nvrtc_candidates(tried)
    cdef void* lib = open_library(candidates, tried)
    if lib == NULL:
        raise _unavailable("NVRTC not found (tried " + "; ".join(tried) + "). "
                           "Install it with `pip install nvidia-cuda-nvrtc cuda-pathfinder` "
                           "or the CUDA toolkit.")
    path = os.path.realpath(library_path(lib, "nvrtcVersion"))
    missing = []
    bind(lib, RTC_SYMBOLS, missing, "create_program", &_rtc.create_program, "nvrtcCreateProgram")
    bind(lib, RTC_SYMBOLS, missing, "compile_program", &_rtc.compile_program, "nvrtcCompileProgram")
    bind(lib, RTC_SYMBOLS, missing, "get_log_size", &_rtc.get_log_size, "nvrtcGetProgramLogSize")
    bind(lib, RTC_SYMBOLS, missing, "get_log", &_rtc.get_log, "nvrtcGetProgramLog")
    bind(lib, RTC_SYMBOLS, missing, "get_code_size", &_rtc.get_code_size, "nvrtcGetCUBINSize")
    bind(lib, RTC_SYMBOLS, missing, "get_code", &_rtc.get_code, "nvrtcGetCUBIN")
    bind(lib, RTC_SYMBOLS, missing, "destroy_program", &_rtc.destroy_program, "nvrtcDestroyProgram")
    bind(lib, RTC_SYMBOLS, missing, "version", &_rtc.version, "nvrtcVersion")
    bind(lib, RTC_SYMBOLS, missing, "error_string", &_rtc.error_string, "nvrtcGetErrorString")
    if missing:
        raise _unavailable(f"{path} lacks {', '.join(missing)}: NVRTC 11.1 or later is needed.")
    _rtc_library = path
    return <size_t>&_rtc, path


def arch(int device, dict attributes):
    """"sm_90" for compute capability 9.0: the architecture NVRTC compiles CUBIN for."""
    return f"sm_{attributes['compute_capability_major']}{attributes['compute_capability_minor']}"


def rtc_options(arch):
    # CUBIN for the exact architecture rather than PTX: NVRTC may be newer than the driver, which then
    # refuses the newer PTX version, while the machine code loads.
    return [f"--gpu-architecture={arch}", "-default-device", "--std=c++17"]
