"""The caching allocator: device memory for one GPU, reused instead of freed.

``cudaMalloc``/``hipMalloc`` cost tens of microseconds and synchronize the device, so freed blocks go to
a free list and the next request of the same size class on the same stream takes one from there (the
scheme of PyTorch's and CuPy's allocators). Blocks are stream-ordered: a block freed by work on stream S
is only handed out again for stream S, where every later kernel runs after the ones that used it.

Size classes: requests round up to 512 bytes below 1 MiB and to 2 MiB above, so a few classes serve
most of a program's arrays. (Splitting large cached blocks for smaller requests, as PyTorch does, is
not done: ``memory_stats()['fragmentation']`` shows what the rounding and caching hold back.)

On out-of-memory the cache is emptied and the allocation retried once; then ``OutOfMemoryError``.
"""

_SMALL = 1 << 20
_SMALL_ROUND = 512
_LARGE_ROUND = 2 << 20


class OutOfMemoryError(MemoryError):
    """A GPU allocation failed even after the allocator's cache was released."""

    def __init__(self, device, requested, allocated, reserved, detail=""):
        self.device = device
        self.requested = requested
        self.allocated = allocated
        self.reserved = reserved
        self.detail = detail
        super().__init__(str(self))

    def __str__(self):
        return (f"out of memory on {self.device}: tried to allocate {_fmt(self.requested)} "
                f"({_fmt(self.allocated)} allocated by rdnarray, {_fmt(self.reserved)} reserved)"
                + (f"; {self.detail}" if self.detail else ""))


def _fmt(n):
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} bytes" if unit == "bytes" else f"{n:.2f} {unit}"
        n /= 1024


def size_class(nbytes):
    if nbytes <= _SMALL:
        return max(_SMALL_ROUND, -(-nbytes // _SMALL_ROUND) * _SMALL_ROUND)
    return -(-nbytes // _LARGE_ROUND) * _LARGE_ROUND


class Block:
    """An allocation in use. When the last array using it goes away, it returns to the pool's cache."""

    __slots__ = ("ptr", "size", "stream", "pool", "__weakref__")

    def __init__(self, ptr, size, stream, pool):
        self.ptr = ptr
        self.size = size
        self.stream = stream
        self.pool = pool

    def __del__(self):
        pool = self.pool
        if pool is not None and self.ptr:
            pool._release(self)


class Pool:
    """Device memory of one GPU: ``malloc(nbytes, stream)`` returns a Block, cached when released."""

    def __init__(self, drv, device_name):
        self._drv = drv
        self._device = device_name
        self._free = {}        # (stream, size class) -> [ptr, ...]
        self.allocated = 0     # bytes in live blocks (size classes)
        self.reserved = 0      # bytes obtained from the driver (live + cached)
        self.peak_allocated = 0
        self.peak_reserved = 0
        self.counts = {"alloc": 0, "free": 0, "cache_hit": 0, "driver_alloc": 0, "driver_free": 0, "oom_retry": 0}

    def malloc(self, nbytes, stream=0):
        if nbytes == 0:
            return Block(0, 0, stream, None)
        size = size_class(nbytes)
        self.counts["alloc"] += 1
        cached = self._free.get((stream, size))
        if cached:
            ptr = cached.pop()
            self.counts["cache_hit"] += 1
        else:
            ptr = self._driver_malloc(size, nbytes)
        self.allocated += size
        if self.allocated > self.peak_allocated:
            self.peak_allocated = self.allocated
        return Block(ptr, size, stream, self)

    def _driver_malloc(self, size, nbytes):
        from .driver import DriverError
        for attempt in (0, 1):
            try:
                ptr = self._drv.malloc(size)
                break
            except DriverError as e:
                if not getattr(e, "out_of_memory", False):
                    raise
                if attempt == 1:
                    raise OutOfMemoryError(self._device, nbytes, self.allocated, self.reserved, str(e)) from None
                self.counts["oom_retry"] += 1
                self.empty_cache()
        self.counts["driver_alloc"] += 1
        self.reserved += size
        if self.reserved > self.peak_reserved:
            self.peak_reserved = self.reserved
        return ptr

    def _release(self, block):
        self.counts["free"] += 1
        self.allocated -= block.size
        self._free.setdefault((block.stream, block.size), []).append(block.ptr)

    def empty_cache(self):
        """Give every cached (unused) block back to the driver."""
        if not self._free:
            return
        self._drv.synchronize()  # a cached block may still be read by queued work on its stream
        for blocks in self._free.values():
            for ptr in blocks:
                self._drv.free(ptr)
        freed = sum(size * len(ptrs) for (_, size), ptrs in self._free.items())
        self.counts["driver_free"] += sum(len(p) for p in self._free.values())
        self.reserved -= freed
        self._free.clear()

    def cached(self):
        return self.reserved - self.allocated

    def stats(self):
        reserved = self.reserved
        return {
            "allocated_bytes": self.allocated,
            "reserved_bytes": reserved,
            "cached_bytes": reserved - self.allocated,
            "peak_allocated_bytes": self.peak_allocated,
            "peak_reserved_bytes": self.peak_reserved,
            # Share of reserved memory not holding live data: cached blocks plus nothing else (no splits).
            "fragmentation": (reserved - self.allocated) / reserved if reserved else 0.0,
            "cached_blocks": sum(len(p) for p in self._free.values()),
            **{f"num_{k}": v for k, v in self.counts.items()},
        }

    def reset_peak(self):
        self.peak_allocated = self.allocated
        self.peak_reserved = self.reserved
