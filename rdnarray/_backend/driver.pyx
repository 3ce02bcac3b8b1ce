"""The GPU driver: one loaded vendor runtime (HIP or CUDA) behind one vendor-neutral class.

    from rdnarray._backend import driver
    drv = driver.load()               # HIP, else CUDA; raises driver.Unavailable saying why
    drv.set_device(0)                 # once per thread that uses device 0 (see below)
    p = drv.malloc(1024); drv.memset_d8(p, 0, 1024); drv.synchronize(); drv.free(p)
    f = drv.get_function(drv.module_load(drv.compile(src, "k")), "k")
    f.launch((blocks, 1, 1), (256, 1, 1), 0, stream, (p, n), "Pq")

Handles (pointers, streams, events, modules) are Python ints; 0 is the default stream. Every call is
checked: a failure raises DriverError naming the vendor, the runtime function and its error name
("rdnarray [CUDA] cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY (1024 bytes)"), with `.out_of_memory` set
when the runtime is out of memory, so a caching allocator can free its cache and retry.

Threads: CUDA keeps the current context per thread, so every thread must call set_device(i) before
its first call on device i (the executor does it when a thread first uses a device); it retains the
device's primary context once per process and makes it current. HIP (hipSetDevice) is per thread too.

The vendor modules (hip.pyx, cuda.pyx) fill the C tables of runtime.pxd; this module only calls
through them, and the hot path (Function.launch) packs kernel arguments in C.
"""
import importlib
import os
import threading

from cpython.tuple cimport PyTuple_GET_SIZE, PyTuple_GET_ITEM
from libc.stdint cimport int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t, int64_t, uint64_t
from libc.stdlib cimport malloc, free
from libc.string cimport memset

from .runtime cimport Api, LaunchAttribute, LaunchConfig, Rtc, devptr, handle

cdef extern from "Python.h":
    int PyFloat_Pack2(double x, char* p, int le) except -1

# Vendor name -> the module that binds its libraries. load() tries them in this order.
VENDORS = {"hip": "rdnarray._backend.hip", "cuda": "rdnarray._backend.cuda"}


class Unavailable(RuntimeError):
    """The vendor's runtime or compiler cannot be used here; the message says why and what to install."""


class DriverError(RuntimeError):
    """A runtime call failed: `vendor`, `call` (the runtime's function), `status` and its `name`, the
    `op` it was part of, and `out_of_memory`."""

    def __init__(self, vendor, call, status, name, op=None, out_of_memory=False):
        super().__init__(vendor, call, status, name, op, out_of_memory)
        self.vendor, self.call, self.status, self.name, self.op = vendor, call, status, name, op
        self.out_of_memory = out_of_memory

    def __str__(self):
        return f"rdnarray [{self.vendor}] {self.call}: {self.name}" + (f" ({self.op})" if self.op else "")


class CompileError(RuntimeError):
    """The run-time compiler refused a program; `log` holds its messages."""

    def __init__(self, compiler, call, name, log, options=()):
        super().__init__(compiler, call, name, log, options)
        self.compiler, self.call, self.name, self.log, self.options = compiler, call, name, log, options

    def __str__(self):
        return (f"rdnarray [{self.compiler}] {self.call} ({self.name}, options {' '.join(self.options)}):"
                f"\n{self.log.strip()}")


# ---- kernel arguments ----------------------------------------------------------------------------

cdef enum:
    MAX_PARAM_BYTES = 4096     # the classic kernel-parameter limit of both vendors
    MAX_PARAM_WORDS = 512      # MAX_PARAM_BYTES / 8
    MAX_ITEMS = 1024
    MAX_PARAMS = 256

# struct's native sizes (of a 64-bit host, which _pack assumes for l, L, n, N and P).
cdef dict _SIZES = {"?": 1, "b": 1, "B": 1, "h": 2, "H": 2, "e": 2, "i": 4, "I": 4, "f": 4,
                    "l": sizeof(long), "L": sizeof(long), "q": 8, "Q": 8, "n": sizeof(size_t),
                    "N": sizeof(size_t), "P": sizeof(void*), "d": 8}


cdef class _Layout:
    """Where each value of a struct format goes in the argument buffer, and where each kernel
    parameter starts: struct's native ('@') sizes and alignment, one group ("P", "8q") a parameter."""
    cdef int nitems, nparams
    cdef char code[MAX_ITEMS]
    cdef uint16_t offset[MAX_ITEMS]
    cdef uint16_t param_offset[MAX_PARAMS]

    def __init__(self, str fmt):
        cdef int size = 0, count, k
        s = fmt.replace(" ", "")
        s = s[1:] if s.startswith("@") else s
        i = 0
        while i < len(s):
            j = i
            while j < len(s) and s[j].isdigit():
                j += 1
            count = int(s[i:j]) if j > i else 1
            if j >= len(s) or s[j] not in _SIZES:
                raise ValueError(f"kernel argument format {fmt!r}: expected one of "
                                 f"{''.join(_SIZES)} (with an optional count) at {s[i:]!r}")
            code, n = s[j], _SIZES[s[j]]
            size = (size + n - 1) // n * n          # native alignment: a C scalar is aligned to its size
            if count < 1:
                raise ValueError(f"kernel argument format {fmt!r}: a count of 0 at {s[i:]!r}")
            if (self.nparams == MAX_PARAMS or self.nitems + count > MAX_ITEMS
                    or size + count * n > MAX_PARAM_BYTES):
                raise ValueError(f"kernel argument format {fmt!r}: more than {MAX_PARAMS} parameters "
                                 f"or {MAX_PARAM_BYTES} bytes")
            self.param_offset[self.nparams] = size
            self.nparams += 1
            for k in range(count):
                self.code[self.nitems] = ord(code)
                self.offset[self.nitems] = size + k * n
                self.nitems += 1
            size += count * n
            i = j + 1


cdef dict _layouts = {}


cdef inline int _pack(char* p, char code, object v) except -1:
    """Write the value `v` as struct code `code` at `p`; out-of-range values raise OverflowError."""
    if code == b"P" or code == b"Q" or code == b"N" or code == b"L":
        (<uint64_t*>p)[0] = <uint64_t>v
    elif code == b"q" or code == b"n" or code == b"l":
        (<int64_t*>p)[0] = <int64_t>v
    elif code == b"i":
        (<int32_t*>p)[0] = <int32_t>v
    elif code == b"f":
        (<float*>p)[0] = <float>v
    elif code == b"d":
        (<double*>p)[0] = <double>v
    elif code == b"I":
        (<uint32_t*>p)[0] = <uint32_t>v
    elif code == b"?":
        (<uint8_t*>p)[0] = 1 if v else 0
    elif code == b"B":
        (<uint8_t*>p)[0] = <uint8_t>v
    elif code == b"b":
        (<int8_t*>p)[0] = <int8_t>v
    elif code == b"h":
        (<int16_t*>p)[0] = <int16_t>v
    elif code == b"H":
        (<uint16_t*>p)[0] = <uint16_t>v
    elif code == b"e":
        PyFloat_Pack2(<double>v, p, 1)           # both vendors' GPUs and hosts are little-endian
    return 0


cdef inline int _fill(str fmt, args, char* buf, void** params) except -1:
    """Pack `args` as `fmt` into `buf` and point params[i] at the i-th kernel parameter."""
    cdef _Layout lay
    cdef Py_ssize_t i, n
    o = _layouts.get(fmt)
    if o is None:
        o = _layouts[fmt] = _Layout(fmt)
    lay = <_Layout>o
    if type(args) is not tuple:
        args = tuple(args)
    n = PyTuple_GET_SIZE(args)
    if n != lay.nitems:
        raise TypeError(f"kernel argument format {fmt!r} takes {lay.nitems} values, got {n}")
    for i in range(n):
        _pack(buf + lay.offset[i], lay.code[i], <object>PyTuple_GET_ITEM(args, i))
    for i in range(lay.nparams):
        params[i] = buf + lay.param_offset[i]
    return lay.nparams


def pack_arguments(str fmt, args):
    """(bytes, parameter offsets): the argument buffer Function.launch builds, for tests."""
    cdef uint64_t buf[MAX_PARAM_WORDS]
    cdef void* params[MAX_PARAMS]
    memset(buf, 0, sizeof(buf))
    n = _fill(fmt, args, <char*>buf, params)
    lay = <_Layout>_layouts[fmt]
    end = lay.offset[lay.nitems - 1] + _SIZES[chr(lay.code[lay.nitems - 1])] if lay.nitems else 0
    return (<char*>buf)[:end], tuple(<char*>params[i] - <char*>buf for i in range(n))


cdef inline int _dims(object d, unsigned int* out) except -1:
    """A grid or block: an int or a tuple of up to 3 ints; missing dimensions are 1."""
    out[0] = out[1] = out[2] = 1
    if isinstance(d, int):
        out[0] = d
        return 0
    if not 1 <= len(d) <= 3:
        raise ValueError(f"grid and block take 1 to 3 dimensions, not {d!r}")
    for k in range(len(d)):
        out[k] = d[k]
    return 0


cdef enum:
    PROGRAMMATIC_STREAM_SERIALIZATION = 6    # CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION


cdef class Function:
    """A kernel of a loaded module. Keep the module loaded while launching it."""
    cdef Driver drv
    cdef Api* api
    cdef handle fn
    cdef readonly str name
    cdef readonly object module

    @property
    def handle(self):
        return <size_t>self.fn

    def launch(self, grid, block, unsigned int shared_mem, size_t stream, args, str fmt):
        """Launch on `stream` (0: the default stream) with `args` packed as the struct format `fmt`
        (native alignment; each group is one kernel parameter: "P" a pointer, "8q" a by-value
        struct of 8 int64, which takes 8 values of `args`)."""
        cdef unsigned int g[3]
        cdef unsigned int b[3]
        cdef uint64_t buf[MAX_PARAM_WORDS]           # 8-byte aligned, like any kernel parameter
        cdef void* params[MAX_PARAMS]
        cdef int status
        _fill(fmt, args, <char*>buf, params)
        _dims(grid, g)
        _dims(block, b)
        with nogil:
            status = self.api.launch_kernel(self.fn, g[0], g[1], g[2], b[0], b[1], b[2], shared_mem,
                                            <handle>stream, params, NULL)
        if status != 0:
            raise self.drv.error(status, "launch_kernel",
                                 f"kernel {self.name}, grid {tuple(g)}, block {tuple(b)}")

    def launch_dependent(self, grid, block, unsigned int shared_mem, size_t stream, args, str fmt):
        """launch() that lets the GPU start this kernel while the previous kernel in the stream is still
        finishing (CUDA's programmatic dependent launch: its launch latency hides behind that kernel's
        tail). Only for kernels that call rp_wait_previous_kernel() (prelude.h) before touching memory,
        and only where properties()["dependent_launch"] is true; elsewhere use launch()."""
        cdef LaunchConfig config
        cdef LaunchAttribute attribute
        cdef uint64_t buf[MAX_PARAM_WORDS]
        cdef void* params[MAX_PARAMS]
        cdef int status
        _fill(fmt, args, <char*>buf, params)
        _dims(grid, config.grid)
        _dims(block, config.block)
        memset(&attribute, 0, sizeof(attribute))
        attribute.id = PROGRAMMATIC_STREAM_SERIALIZATION
        attribute.value = 1
        config.shared_mem = shared_mem
        config.stream = <handle>stream
        config.attributes = &attribute
        config.num_attributes = 1
        with nogil:
            status = self.api.launch_kernel_ex(&config, self.fn, params, NULL)
        if status != 0:
            raise self.drv.error(status, "launch_kernel_ex",
                                 f"kernel {self.name}, grid {tuple(config.grid)}, block {tuple(config.block)}")


# ---- the driver ----------------------------------------------------------------------------------

cdef class Driver:
    """One vendor's runtime, loaded and initialised; make it with load()."""
    cdef Api* api
    cdef readonly str vendor, name, library
    cdef object mod, _lock, _tls, _contexts, _props
    cdef int ndev, oom, not_ready, stream_non_blocking, event_disable_timing, host_alloc_flags

    def __init__(self, str vendor):
        cdef int status, count = 0
        self.vendor = vendor
        self.mod = importlib.import_module(VENDORS[vendor])
        address, self.library = self.mod.load_api()
        self.api = <Api*><size_t>address
        self.name = self.mod.NAME
        self.oom, self.not_ready = self.mod.OUT_OF_MEMORY, self.mod.NOT_READY
        self.stream_non_blocking = self.mod.STREAM_NON_BLOCKING
        self.event_disable_timing = self.mod.EVENT_DISABLE_TIMING
        self.host_alloc_flags = self.mod.HOST_ALLOC_PORTABLE
        self._lock = threading.Lock()
        self._tls = threading.local()
        self._contexts = {}
        self._props = {}
        # No GPU is "0 devices", not a failure.
        call = "init"
        with nogil:
            status = self.api.init(0)
        if status == 0:
            call = "device_count"
            status = self.api.device_count(&count)
        elif status != self.mod.NO_DEVICE and self.api.device_count(&count) == self.mod.NO_DEVICE:
            status = self.mod.NO_DEVICE     # HIP: hipInit says hipErrorInvalidDevice, the count says why
        if status == self.mod.NO_DEVICE:
            count = 0
        elif status != 0:
            raise Unavailable(str(self.error(status, call, self.library)))
        self.ndev = count

    def __repr__(self):
        return f"<rdnarray driver {self.name}: {self.ndev} device(s), {self.library}>"

    def describe(self):
        """One line for show_config(): the runtime, its version and the library it came from."""
        try:
            version = f" {self.driver_version()}"
        except DriverError:
            version = ""
        return f"{self.name} runtime{version} ({self.library})"

    def error(self, int status, str call, op=None):
        """The DriverError for `status` returned by the table's `call` ("mem_alloc"), with the
        vendor's function name and the runtime's own name of the status."""
        cdef const char* s = NULL
        if self.api.error_name(status, &s) != 0 or s == NULL:
            name = f"error {status}"
        else:
            name = s.decode(errors="replace")
        return DriverError(self.name, self.mod.SYMBOLS.get(call, call), status, name, op,
                           status == self.oom)

    def check(self, int status, str call, op=None):
        """Raise the DriverError for `status` unless it is success (0)."""
        if status != 0:
            raise self.error(status, call, op)

    # Devices

    def driver_version(self):
        cdef int v = 0
        self.check(self.api.driver_version(&v), "driver_version")
        return v

    def device_count(self):
        return self.ndev

    cdef int _device(self, int i) except? -1:
        cdef int dev = 0
        if not 0 <= i < self.ndev:
            raise ValueError(f"rdnarray [{self.name}]: no device {i} ({self.ndev} found)")
        self.check(self.api.device_get(&dev, i), "device_get", f"device {i}")
        return dev

    def properties(self, int i):
        """name, arch ('gfx1100', 'sm_90'), total_memory, compute_units, warp_size,
        max_threads_per_block, max_shared_memory_per_block and the other ATTRIBUTES of the vendor
        module, compute_capability (major, minor), dependent_launch (Function.launch_dependent
        works). A new dict each call."""
        p = self._props.get(i)
        if p is None:
            p = self._props[i] = self._read_properties(i)
        return dict(p)

    def _read_properties(self, int i):
        cdef int dev = self._device(i), value = 0
        cdef char name[256]
        cdef size_t total = 0
        p = {}
        for key, attribute in self.mod.ATTRIBUTES.items():
            self.check(self.api.device_attribute(&value, attribute, dev), "device_attribute", key)
            p[key] = value
        self.check(self.api.device_name(name, sizeof(name), dev), "device_name", f"device {i}")
        self.check(self.api.device_total_mem(&total, dev), "device_total_mem", f"device {i}")
        arch = self.mod.arch(dev, p)
        p["compute_capability"] = (p.pop("compute_capability_major"), p.pop("compute_capability_minor"))
        # Programmatic dependent launch (Function.launch_dependent): NVIDIA compute capability 9.0 and later
        # (griddepcontrol), with a driver that has cuLaunchKernelEx.
        p["dependent_launch"] = (self.vendor == "cuda" and self.api.launch_kernel_ex != NULL
                                 and p["compute_capability"][0] >= 9)
        return {"name": name.decode(errors="replace"), "arch": arch, "total_memory": total, **p}

    def set_device(self, int i):
        """Make device i current for the calling thread (CUDA: its primary context, retained once)."""
        cdef handle ctx = NULL
        cdef int dev
        c = self._contexts.get(i)
        if c is None:
            with self._lock:
                c = self._contexts.get(i)
                if c is None:
                    dev = self._device(i)
                    self.check(self.api.ctx_retain(&ctx, dev), "ctx_retain", f"device {i}")
                    c = self._contexts[i] = (<size_t>ctx, dev)
        self.check(self.api.ctx_set_current(<handle><size_t>c[0]), "ctx_set_current", f"device {i}")
        self._tls.device = i

    def current_device(self):
        """The device the calling thread last set with set_device (0 if none)."""
        return getattr(self._tls, "device", 0)

    def release_device(self, int i):
        """Give back the process's hold on device i's primary context (CUDA frees it, with all its
        memory, modules and streams, when nothing else holds it). set_device(i) retains it again."""
        with self._lock:
            c = self._contexts.pop(i, None)
        if c is not None:
            self.check(self.api.ctx_release(c[1]), "ctx_release", f"device {i}")

    def synchronize(self):
        """Wait for all work on the calling thread's current device."""
        cdef int status
        with nogil:
            status = self.api.ctx_synchronize()
        self.check(status, "ctx_synchronize")

    # Memory

    def malloc(self, size_t n):
        """n bytes of device memory on the current device; 0 for n == 0."""
        cdef devptr p = 0
        cdef int status
        if n == 0:
            return 0
        with nogil:
            status = self.api.mem_alloc(&p, n)
        if status != 0:
            raise self.error(status, "mem_alloc", f"{n} bytes")
        return p

    def free(self, devptr p):
        cdef int status
        if p != 0:
            with nogil:
                status = self.api.mem_free(p)
            self.check(status, "mem_free")

    def mem_get_info(self):
        """(free, total) bytes of the current device."""
        cdef size_t free_ = 0, total = 0
        self.check(self.api.mem_get_info(&free_, &total), "mem_get_info")
        return free_, total

    def host_alloc(self, size_t n):
        """n bytes of pinned (page-locked) host memory, usable by every device; 0 for n == 0."""
        cdef void* p = NULL
        cdef int status
        if n == 0:
            return 0
        with nogil:
            status = self.api.host_alloc(&p, n, self.host_alloc_flags)
        if status != 0:
            raise self.error(status, "host_alloc", f"{n} bytes")
        return <size_t>p

    def host_free(self, size_t p):
        cdef int status
        if p != 0:
            with nogil:
                status = self.api.host_free(<void*>p)
            self.check(status, "host_free")

    def memcpy_htod(self, devptr dst, size_t src, size_t n, size_t stream=0):
        """Copy n bytes from host address src to device address dst, ordered on `stream`. From
        pageable (not pinned) memory the call returns once src may be reused."""
        cdef int status
        with nogil:
            status = self.api.memcpy_htod_async(dst, <const void*>src, n, <handle>stream)
        self.check(status, "memcpy_htod_async", f"{n} bytes")

    def memcpy_dtoh(self, size_t dst, devptr src, size_t n, size_t stream=0):
        """Copy n bytes from the device to host address dst, ordered on `stream`; into pageable
        memory the call returns when the copy is done, into pinned memory synchronize the stream."""
        cdef int status
        with nogil:
            status = self.api.memcpy_dtoh_async(<void*>dst, src, n, <handle>stream)
        self.check(status, "memcpy_dtoh_async", f"{n} bytes")

    def memcpy_dtod(self, devptr dst, devptr src, size_t n, size_t stream=0):
        cdef int status
        with nogil:
            status = self.api.memcpy_dtod_async(dst, src, n, <handle>stream)
        self.check(status, "memcpy_dtod_async", f"{n} bytes")

    def memset_d8(self, devptr dst, unsigned char value, size_t n, size_t stream=0):
        self.check(self.api.memset_d8_async(dst, value, n, <handle>stream), "memset_d8_async", f"{n} bytes")

    # Streams and events

    def stream_create(self, bint non_blocking=False):
        """A new stream on the current device; non_blocking: no implicit order with stream 0."""
        cdef handle s = NULL
        self.check(self.api.stream_create(&s, self.stream_non_blocking if non_blocking else 0),
                   "stream_create")
        return <size_t>s

    def stream_destroy(self, size_t s):
        self.check(self.api.stream_destroy(<handle>s), "stream_destroy")

    def stream_synchronize(self, size_t s):
        cdef int status
        with nogil:
            status = self.api.stream_synchronize(<handle>s)
        self.check(status, "stream_synchronize")

    def stream_query(self, size_t s):
        """True when all work queued on `s` is done."""
        cdef int status = self.api.stream_query(<handle>s)
        if status == self.not_ready:
            return False
        self.check(status, "stream_query")
        return True

    def stream_wait_event(self, size_t s, size_t e):
        """Work queued on `s` from now on waits until `e` has happened."""
        self.check(self.api.stream_wait_event(<handle>s, <handle>e, 0), "stream_wait_event")

    def event_create(self, bint timing=True):
        cdef handle e = NULL
        self.check(self.api.event_create(&e, 0 if timing else self.event_disable_timing), "event_create")
        return <size_t>e

    def event_destroy(self, size_t e):
        self.check(self.api.event_destroy(<handle>e), "event_destroy")

    def event_record(self, size_t e, size_t s=0):
        self.check(self.api.event_record(<handle>e, <handle>s), "event_record")

    def event_synchronize(self, size_t e):
        cdef int status
        with nogil:
            status = self.api.event_synchronize(<handle>e)
        self.check(status, "event_synchronize")

    def event_query(self, size_t e):
        """True when the work recorded before `e` is done."""
        cdef int status = self.api.event_query(<handle>e)
        if status == self.not_ready:
            return False
        self.check(status, "event_query")
        return True

    def event_elapsed_ms(self, size_t start, size_t end):
        """Milliseconds between two recorded (and completed) timing events."""
        cdef float ms = 0
        self.check(self.api.event_elapsed_time(&ms, <handle>start, <handle>end), "event_elapsed_time")
        return ms

    # Code

    def compiler(self):
        """The vendor's run-time compiler (see load_rtc)."""
        return load_rtc(self.vendor)

    def compiler_version(self):
        return self.compiler().version()

    def compile(self, source, str name, options=(), device=None):
        """Compile `source` for the architecture of `device` (default: the thread's current device):
        NVRTC -> CUBIN, hiprtc -> code object. Raises CompileError with the compiler's log."""
        arch = self.properties(self.current_device() if device is None else device)["arch"]
        return self.compiler().compile(source, name, options, arch)

    def module_load(self, bytes image):
        """Load a compiled image into the current device; returns the module handle."""
        cdef handle m = NULL
        cdef const char* p = image
        cdef int status
        with nogil:
            status = self.api.module_load_data(&m, p)
        self.check(status, "module_load_data")
        return <size_t>m

    def module_unload(self, size_t m):
        self.check(self.api.module_unload(<handle>m), "module_unload")

    def get_function(self, size_t module, str name):
        cdef Function f = Function.__new__(Function)
        self.check(self.api.module_get_function(&f.fn, <handle>module, name.encode()),
                   "module_get_function", name)
        f.drv, f.api, f.name, f.module = self, self.api, name, module
        return f


# ---- the compiler ----------------------------------------------------------------------------------

cdef class Compiler:
    """A vendor's run-time compiler (NVRTC, hiprtc). Needs no GPU: compile for any architecture."""
    cdef Rtc* rtc
    cdef readonly str vendor, name, library
    cdef object mod

    def __init__(self, str vendor):
        self.vendor = vendor
        self.mod = importlib.import_module(VENDORS[vendor])
        address, self.library = self.mod.load_rtc()
        self.rtc = <Rtc*><size_t>address
        self.name = self.mod.RTC_NAME

    def __repr__(self):
        return f"<rdnarray compiler {self.version()}>"

    def version(self):
        """"NVRTC 13.0 (libnvrtc.so.13)": the compiler's version and its library's file name (which
        carries the full version where the distribution installs it versioned)."""
        cdef int major = 0, minor = 0
        if self.rtc.version(&major, &minor) != 0:
            major = minor = -1
        return f"{self.name} {major}.{minor} ({os.path.basename(self.library)})"

    def compile(self, source, str name, options, str arch):
        """Compile `source` for `arch` ('sm_90', 'gfx1030') -> the loadable image (bytes)."""
        cdef handle prog = NULL
        cdef const char** opts = NULL
        cdef size_t size = 0
        cdef char* out = NULL
        cdef int status, nopt
        options = [*self.mod.rtc_options(arch), *options]
        encoded = [o.encode() for o in options]
        src = source.encode() if isinstance(source, str) else bytes(source)
        nopt = len(encoded)
        status = self.rtc.create_program(&prog, src, name.encode(), 0, NULL, NULL)
        if status != 0:
            raise CompileError(self.name, self._call("create_program"), name,
                               self.rtc.error_string(status).decode(errors="replace"), options)
        try:
            opts = <const char**>malloc(max(nopt, 1) * sizeof(char*))
            if opts == NULL:
                raise MemoryError()
            for k in range(nopt):
                opts[k] = encoded[k]
            with nogil:
                status = self.rtc.compile_program(prog, nopt, opts)
            if status != 0:
                raise CompileError(self.name, self._call("compile_program"), name,
                                   self.rtc.error_string(status).decode(errors="replace") + "\n"
                                   + self._log(prog), options)
            status = self.rtc.get_code_size(prog, &size)
            if status == 0:
                out = <char*>malloc(max(size, 1))
                if out == NULL:
                    raise MemoryError()
                status = self.rtc.get_code(prog, out)
            if status != 0:
                raise CompileError(self.name, self._call("get_code"), name,
                                   self.rtc.error_string(status).decode(errors="replace"), options)
            return out[:size]
        finally:
            free(opts)
            free(out)
            self.rtc.destroy_program(&prog)

    def _call(self, field):
        return self.mod.RTC_SYMBOLS.get(field, field)

    cdef str _log(self, handle prog):
        cdef size_t size = 0
        cdef char* log
        if self.rtc.get_log_size(prog, &size) != 0 or size == 0:
            return ""
        log = <char*>malloc(size)
        if log == NULL:
            raise MemoryError()
        try:
            if self.rtc.get_log(prog, log) != 0:
                return ""
            return log[:size].rstrip(b"\0").decode(errors="replace")
        finally:
            free(log)


# ---- loading -----------------------------------------------------------------------------------------

_ORDER = ("hip", "cuda")
_loaded = {}          # ("driver" | "rtc", vendor) -> Driver, Compiler or the Unavailable it raised
_load_lock = threading.Lock()


def _get(kind, vendor):
    if vendor not in VENDORS:
        raise ValueError(f"unknown GPU vendor {vendor!r}: expected one of {', '.join(VENDORS)}")
    key = (kind, vendor)
    r = _loaded.get(key)
    if r is None:
        with _load_lock:
            r = _loaded.get(key)
            if r is None:
                try:
                    r = Driver(vendor) if kind == "driver" else Compiler(vendor)
                except Unavailable as e:
                    r = e
                _loaded[key] = r
    if isinstance(r, Unavailable):
        raise Unavailable(str(r))
    return r


def load(vendor=None):
    """The loaded driver of `vendor` ('hip' | 'cuda'), or with None the first that has a device
    (HIP, then CUDA), else the first that loads (with 0 devices). Raises Unavailable listing what
    was tried. Cached: one Driver per vendor and process."""
    if vendor is not None:
        return _get("driver", vendor)
    reasons, first = [], None
    for v in _ORDER:
        try:
            d = _get("driver", v)
        except Unavailable as e:
            reasons.append(str(e))
            continue
        if d.device_count() > 0:
            return d
        first = first or d
    if first is not None:
        return first
    raise Unavailable("no GPU runtime could be loaded: " + " | ".join(reasons))


def load_rtc(vendor):
    """The run-time compiler of `vendor` ('hip' | 'cuda'), without touching any GPU. Cached."""
    return _get("rtc", vendor)
