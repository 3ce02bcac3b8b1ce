# The C tables through which rdnarray talks to a GPU vendor's runtime and run-time compiler.
#
# cuda.pyx and hip.pyx fill one `Api` and one `Rtc` each with dlsym (and a few shims where the vendors
# differ); driver.pyx calls through them. Every entry has the CUDA driver API's shape and returns the
# runtime's status (0 = success), so the caller needs no vendor knowledge. No SDK header is needed to build:
# handles are opaque pointers and device addresses are 64-bit integers.
from libc.stdint cimport uint64_t
from libc.string cimport memcpy
from posix.dlfcn cimport dlopen, dlsym, dlerror, RTLD_NOW, RTLD_LOCAL

cdef extern from "<dlfcn.h>" nogil:     # a GNU extension; Python.h defines _GNU_SOURCE
    ctypedef struct Dl_info:
        const char* dli_fname
    int dladdr(const void* address, Dl_info* info)

ctypedef uint64_t devptr    # CUdeviceptr / hipDeviceptr_t: a device address
ctypedef void* handle       # CUcontext, CUstream, CUevent, CUmodule, CUfunction and their HIP twins

# cuLaunchKernelEx's configuration (CUDA 12+ ABI): a launch with attributes. rdnarray sets one, programmatic
# stream serialization, so a kernel may start before the previous one in its stream has finished.
ctypedef struct LaunchAttribute:
    int id                      # CUlaunchAttributeID
    char pad[4]
    int value                   # the first member of CUlaunchAttributeValue, a 64-byte union
    char value_rest[60]

ctypedef struct LaunchConfig:
    unsigned int grid[3]
    unsigned int block[3]
    unsigned int shared_mem
    handle stream
    LaunchAttribute* attributes
    unsigned int num_attributes

ctypedef struct Api:
    # Devices
    int (*init)(unsigned int flags) noexcept nogil
    int (*driver_version)(int* version) noexcept nogil
    int (*device_count)(int* count) noexcept nogil
    int (*device_get)(int* device, int ordinal) noexcept nogil
    int (*device_name)(char* name, int length, int device) noexcept nogil
    int (*device_attribute)(int* value, int attribute, int device) noexcept nogil
    int (*device_total_mem)(size_t* nbytes, int device) noexcept nogil
    # Contexts: CUDA's primary context of a device, made current per thread (HIP: hipSetDevice)
    int (*ctx_retain)(handle* ctx, int device) noexcept nogil
    int (*ctx_release)(int device) noexcept nogil
    int (*ctx_set_current)(handle ctx) noexcept nogil
    int (*ctx_synchronize)() noexcept nogil
    # Memory
    int (*mem_alloc)(devptr* ptr, size_t nbytes) noexcept nogil
    int (*mem_free)(devptr ptr) noexcept nogil
    int (*mem_get_info)(size_t* free, size_t* total) noexcept nogil
    int (*host_alloc)(void** ptr, size_t nbytes, unsigned int flags) noexcept nogil
    int (*host_free)(void* ptr) noexcept nogil
    int (*memcpy_htod_async)(devptr dst, const void* src, size_t nbytes, handle stream) noexcept nogil
    int (*memcpy_dtoh_async)(void* dst, devptr src, size_t nbytes, handle stream) noexcept nogil
    int (*memcpy_dtod_async)(devptr dst, devptr src, size_t nbytes, handle stream) noexcept nogil
    int (*memset_d8_async)(devptr dst, unsigned char value, size_t nbytes, handle stream) noexcept nogil
    # Streams and events
    int (*stream_create)(handle* stream, unsigned int flags) noexcept nogil
    int (*stream_destroy)(handle stream) noexcept nogil
    int (*stream_synchronize)(handle stream) noexcept nogil
    int (*stream_query)(handle stream) noexcept nogil
    int (*stream_wait_event)(handle stream, handle event, unsigned int flags) noexcept nogil
    int (*event_create)(handle* event, unsigned int flags) noexcept nogil
    int (*event_destroy)(handle event) noexcept nogil
    int (*event_record)(handle event, handle stream) noexcept nogil
    int (*event_synchronize)(handle event) noexcept nogil
    int (*event_query)(handle event) noexcept nogil
    int (*event_elapsed_time)(float* ms, handle start, handle end) noexcept nogil
    # Code
    int (*module_load_data)(handle* module, const void* image) noexcept nogil
    int (*module_unload)(handle module) noexcept nogil
    int (*module_get_function)(handle* function, handle module, const char* name) noexcept nogil
    int (*launch_kernel)(handle function, unsigned int gx, unsigned int gy, unsigned int gz,
                         unsigned int bx, unsigned int by, unsigned int bz, unsigned int shared_mem,
                         handle stream, void** params, void** extra) noexcept nogil
    # Optional (NULL where the runtime lacks it: HIP, CUDA drivers before 12.0)
    int (*launch_kernel_ex)(const LaunchConfig* config, handle function, void** params, void** extra) noexcept nogil
    # The runtime's name of a status ("CUDA_ERROR_OUT_OF_MEMORY", "hipErrorOutOfMemory")
    int (*error_name)(int status, const char** name) noexcept nogil

ctypedef struct Rtc:
    int (*create_program)(handle* prog, const char* source, const char* name, int num_headers,
                          const char** headers, const char** include_names) noexcept nogil
    int (*compile_program)(handle prog, int num_options, const char** options) noexcept nogil
    int (*get_log_size)(handle prog, size_t* nbytes) noexcept nogil
    int (*get_log)(handle prog, char* log) noexcept nogil
    int (*get_code_size)(handle prog, size_t* nbytes) noexcept nogil     # NVRTC: the CUBIN
    int (*get_code)(handle prog, char* code) noexcept nogil
    int (*destroy_program)(handle* prog) noexcept nogil
    int (*version)(int* major, int* minor) noexcept nogil
    const char* (*error_string)(int status) noexcept nogil


# Loading: both vendor modules open their libraries and fill their tables with these two helpers.

cdef inline void* open_library(candidates, list tried):
    """dlopen the first of `candidates` (paths or loader names) that loads; NULL if none does.
    Each failure is appended to `tried` as "candidate: why", for the Unavailable message."""
    cdef void* lib
    for path in candidates:
        lib = dlopen(path.encode(), RTLD_NOW | RTLD_LOCAL)
        if lib != NULL:
            return lib
        err = dlerror()
        why = err.decode(errors="replace") if err != NULL else "cannot be loaded"
        tried.append(why if why.startswith(path + ":") else f"{path}: {why}")
    return NULL


cdef inline str library_path(void* lib, str symbol):
    """The file that `lib` was loaded from (the loader found it when given a bare name), found
    through one of its symbols."""
    cdef Dl_info info
    cdef void* fn = dlsym(lib, symbol.encode())
    if fn == NULL or dladdr(fn, &info) == 0 or info.dli_fname == NULL:
        return "?"
    return info.dli_fname.decode(errors="replace")


cdef inline void bind(void* lib, dict symbols, list missing, str field, void* slot, names):
    """Store in `slot` (the table's field named `field`) the first of `names` (one name or a tuple)
    that `lib` exports, and record that name in `symbols[field]`; if `lib` has none of them, append
    the first name to `missing`. Writing through memcpy fills a field of any function-pointer type,
    so the tables need no typedef per signature."""
    cdef void* fn
    names = (names,) if isinstance(names, str) else names
    for name in names:
        fn = dlsym(lib, name.encode())
        if fn != NULL:
            memcpy(slot, &fn, sizeof(void*))
            symbols[field] = name
            return
    symbols[field] = names[0]
    missing.append(names[0])
