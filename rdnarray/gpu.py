"""``rdnarray.gpu``: devices, streams, events and memory of the GPU backend, in the manner of ``torch.cuda``.

    >>> import rdnarray as rp
    >>> rp.gpu.is_available(), rp.gpu.device_count()
    >>> with rp.gpu.Stream() as s:          # work queued inside runs on s
    ...     y = x * 2
    >>> s.synchronize()
    >>> start, end = rp.gpu.Event(), rp.gpu.Event()
    >>> start.record(); y = x @ x; end.record(); end.synchronize(); start.elapsed_time(end)   # ms
    >>> rp.gpu.memory_allocated(), rp.gpu.memory_stats()

Every function takes an optional ``device`` (an index, 'gpu:N' or a Device); the default is the current
device. Without a usable GPU, ``is_available()`` is False and the others raise RuntimeError saying why.
"""
from . import _backend
from ._backend.memory import OutOfMemoryError
from ._core import devices as _devices

__all__ = [
    "is_available", "unavailable_reason", "device_count", "current_device", "set_device", "get_device_name",
    "get_device_properties", "synchronize", "Stream", "Event", "current_stream", "memory_allocated",
    "max_memory_allocated", "memory_reserved", "max_memory_reserved", "memory_stats", "empty_cache",
    "reset_peak_memory_stats", "OutOfMemoryError", "empty_pinned", "zeros_pinned",
]


def is_available():
    return _backend.available("gpu")


def unavailable_reason():
    """None when a GPU can be used, else why not (every library path tried)."""
    return _backend.unavailable_reason("gpu")


def _driver():
    why = unavailable_reason()
    if why is not None:
        raise RuntimeError(f"rdnarray.gpu: no usable GPU: {why}")
    from ._backend import driver
    return driver.load()


def device_count():
    """The number of GPUs the runtime reports (0 without a usable GPU)."""
    return _driver().device_count() if is_available() else 0


_current = 0


def current_device():
    """The index of the GPU that ``device='gpu'`` and the functions here use by default."""
    default = _devices.default_device()
    return default.index if default.kind == "gpu" else _current


def set_device(device):
    """Make GPU ``device`` the current one: the default device of new arrays when a GPU is the default."""
    global _current
    index = _index(device)
    dev = _devices.as_device(f"gpu:{index}")
    _current = index
    if _devices.default_device().kind == "gpu":
        _devices._default = dev


def _index(device):
    if device is None:
        return current_device()
    if isinstance(device, int):
        index = device
    else:
        d = _devices.Device(device)
        if d.kind != "gpu":
            raise ValueError(f"rdnarray.gpu: {device!r} is not a GPU")
        index = d.index
    n = device_count()
    if not 0 <= index < n:
        raise ValueError(f"rdnarray.gpu: no GPU {index} (there are {n})")
    return index


def _backend_of(device):
    _driver()  # raises, saying why, without a usable GPU
    return _devices.as_device(f"gpu:{_index(device)}").backend


class DeviceProperties:
    """What the runtime reports of one GPU (``torch.cuda.get_device_properties`` spelling kept)."""

    def __init__(self, props):
        self.name = props["name"]
        self.arch = props["arch"]
        self.compute_units = props["compute_units"]
        self.multi_processor_count = props["compute_units"]
        self.total_memory = props["total_memory"]
        self.warp_size = props["warp_size"]
        self.max_threads_per_block = props.get("max_threads_per_block")
        self.max_shared_memory_per_block = props.get("max_shared_memory_per_block")
        self._props = dict(props)

    def as_dict(self):
        return dict(self._props)

    def __repr__(self):
        return (f"DeviceProperties(name={self.name!r}, arch={self.arch!r}, compute_units={self.compute_units}, "
                f"total_memory={self.total_memory / 2**30:.1f} GiB, warp_size={self.warp_size})")


def get_device_properties(device=None):
    return DeviceProperties(_backend_of(device).props)


def get_device_name(device=None):
    return _backend_of(device).props["name"]


def synchronize(device=None):
    """Wait until every kernel and copy queued on the device has finished."""
    b = _backend_of(device)
    b.driver.set_device(b.index)
    b.driver.synchronize()


class Stream:
    """A queue of GPU work. Inside ``with stream:`` every op on that stream's device is queued on it."""

    def __init__(self, device=None):
        self._backend = _backend_of(device)
        self.handle = self._backend.driver.stream_create()
        self.device = self._backend.device
        self._saved = []

    def synchronize(self):
        self._backend.driver.stream_synchronize(self.handle)

    def query(self):
        """True when everything queued on the stream has finished."""
        return self._backend.driver.stream_query(self.handle)

    def wait_event(self, event):
        self._backend.driver.stream_wait_event(self.handle, event.handle)

    def wait_stream(self, stream):
        self.wait_event(stream.record_event())

    def record_event(self, event=None):
        event = Event() if event is None else event
        event.record(self)
        return event

    def __enter__(self):
        self._saved.append(self._backend.stream)
        self._backend.stream = self.handle
        return self

    def __exit__(self, *exc):
        self._backend.stream = self._saved.pop()

    def __del__(self):
        handle = getattr(self, "handle", 0)
        if handle:
            try:
                self._backend.driver.stream_destroy(handle)
            except Exception:
                pass  # the runtime may already be gone at interpreter exit

    def __repr__(self):
        return f"<rdnarray.gpu.Stream {self.handle:#x} on {self.device}>"


def current_stream(device=None):
    """The handle of the stream work is queued on now (0: the device's default stream)."""
    return _backend_of(device).stream


class Event:
    """A marker in a stream: ``record()``, ``synchronize()``, ``query()``, ``elapsed_time(end)`` in ms."""

    def __init__(self, enable_timing=True, device=None):
        self._backend = _backend_of(device)
        self.handle = self._backend.driver.event_create(bool(enable_timing))

    def record(self, stream=None):
        handle = self._backend.stream if stream is None else stream.handle
        self._backend.driver.event_record(self.handle, handle)

    def synchronize(self):
        self._backend.driver.event_synchronize(self.handle)

    def query(self):
        return self._backend.driver.event_query(self.handle)

    def elapsed_time(self, end):
        """Milliseconds between this event and ``end`` (both recorded and finished)."""
        return self._backend.driver.event_elapsed_ms(self.handle, end.handle)

    def __del__(self):
        handle = getattr(self, "handle", 0)
        if handle:
            try:
                self._backend.driver.event_destroy(handle)
            except Exception:
                pass


# -- memory -----------------------------------------------------------------------------------------
def memory_allocated(device=None):
    """Bytes held by live rdnarray arrays on the device (in allocator size classes)."""
    return _backend_of(device).pool.allocated


def max_memory_allocated(device=None):
    return _backend_of(device).pool.peak_allocated


def memory_reserved(device=None):
    """Bytes the allocator holds from the runtime: live arrays plus its cache."""
    return _backend_of(device).pool.reserved


def max_memory_reserved(device=None):
    return _backend_of(device).pool.peak_reserved


def memory_stats(device=None):
    return _backend_of(device).pool.stats()


def empty_cache(device=None):
    """Give the allocator's cached blocks back to the runtime (other processes can use them)."""
    if is_available():
        _backend_of(device).pool.empty_cache()


def reset_peak_memory_stats(device=None):
    _backend_of(device).pool.reset_peak()


# -- pinned host memory ----------------------------------------------------------------------------------------
class _PinnedBlock:
    """Page-locked host memory; freed when the last NumPy array over it goes away."""

    def __init__(self, drv, nbytes):
        self.drv, self.nbytes = drv, nbytes
        self.ptr = drv.host_alloc(nbytes)
        self.__array_interface__ = {"version": 3, "shape": (nbytes,), "typestr": "|u1", "data": (self.ptr, False)}

    def __del__(self):
        if getattr(self, "ptr", 0):
            self.drv.host_free(self.ptr)


def empty_pinned(shape, dtype=float):
    """A NumPy array in pinned (page-locked) host memory, like ``cupyx.empty_pinned``: copies between it and
    a GPU run at the full speed of the bus and, queued on a stream, without blocking the host
    (``rp.asarray(pinned, device="gpu")``, ``rp.asnumpy(x, out=pinned)``). Keep it alive (and do not write
    it) until such a copy has finished."""
    import numpy as np
    dtype = np.dtype(dtype)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    n = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    raw = np.asarray(_PinnedBlock(_driver(), max(n, 1)))  # the array keeps the block alive
    return raw[:n].view(dtype).reshape(shape)


def zeros_pinned(shape, dtype=float):
    a = empty_pinned(shape, dtype)
    a[...] = 0
    return a
