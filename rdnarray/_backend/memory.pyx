"""The caching allocator: device memory for one GPU, reused instead of freed.

``cudaMalloc``/``hipMalloc`` cost tens of microseconds and synchronize the device, so freed blocks go to
a free list and the next request of the same size class on the same stream takes one from there (the
scheme of PyTorch's and CuPy's allocators). Blocks are stream-ordered: a block freed by work on stream S
is only handed out again for stream S, where every later kernel runs after the ones that used it.

Size classes: requests round up to 512 bytes below 1 MiB and to 2 MiB above, so a few classes serve
most of a program's arrays. (Splitting large cached blocks for smaller requests, as PyTorch does, is
not done: ``memory_stats()['fragmentation']`` shows what the rounding and caching hold back.)

On out-of-memory the cache is emptied and the allocation retried once; then ``OutOfMemoryError``.

Cython because every array allocation and release passes through here (issue 4's per-op host
overhead): a cache hit is a dict lookup and a list pop, and a Block going away returns its pointer to
the free list from its C destructor, with no Python call.
"""
cimport cython
from libc.stdlib cimport free, realloc

cdef enum:
    SMALL = 1 << 20
    SMALL_ROUND = 512
    LARGE_ROUND = 2 << 20


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


cdef inline size_t _size_class(size_t nbytes) noexcept:
    if nbytes <= SMALL:
        return max(<size_t>SMALL_ROUND, (nbytes + SMALL_ROUND - 1) // SMALL_ROUND * SMALL_ROUND)
    return (nbytes + LARGE_ROUND - 1) // LARGE_ROUND * LARGE_ROUND


def size_class(nbytes):
    return _size_class(nbytes)


# Not tracked by the cycle collector: a Block refers only to its Pool, which never refers to blocks, so
# it is never part of a cycle, and its pool is still set when the destructor runs.
@cython.no_gc
@cython.final
cdef class Block:
    """An allocation in use. When the last array using it goes away, it returns to the pool's cache."""

    def __init__(self, size_t ptr, size_t size, size_t stream, Pool pool):
        self.ptr = ptr
        self.size = size
        self.stream = stream
        self.pool = pool

    def __dealloc__(self):
        if self.pool is not None and self.ptr:
            self.pool.release(self.ptr, self.size, self.stream)


@cython.final
cdef class _Ptrs:
    """The cached blocks of one size class and stream: a stack of device pointers in C (a Python list
    would allocate an int per pointer and resize itself on every push and pop)."""

    def __dealloc__(self):
        free(self.data)

    cdef int push(self, size_t ptr) except -1:
        cdef size_t* grown
        if self.n == self.cap:
            grown = <size_t*>realloc(self.data, max(8, 2 * self.cap) * sizeof(size_t))
            if grown == NULL:
                raise MemoryError()
            self.data, self.cap = grown, max(8, 2 * self.cap)
        self.data[self.n] = ptr
        self.n += 1
        return 0

    cdef size_t pop(self) noexcept:
        self.n -= 1
        return self.data[self.n]

    def tolist(self):
        return [self.data[i] for i in range(self.n)]


@cython.final
cdef class _Cached:
    """The cached blocks of one stream: a _Ptrs per size class, the small classes in a list by index
    (no hashing on the hot path), the large ones in a dict."""

    def __init__(self):
        self.small = [None] * (SMALL // SMALL_ROUND + 1)
        self.large = {}

    cdef _Ptrs get(self, size_t size):
        """The cached pointers of size class ``size`` (created empty on first use)."""
        cdef _Ptrs ptrs
        if size <= SMALL:
            ptrs = <_Ptrs>self.small[size // SMALL_ROUND]
            if ptrs is None:
                ptrs = self.small[size // SMALL_ROUND] = _Ptrs()
        else:
            ptrs = self.large.get(size)
            if ptrs is None:
                ptrs = self.large[size] = _Ptrs()
        return ptrs

    def items(self):
        """[(size class, [ptr, ...])] of the size classes with cached blocks."""
        r = [(k * SMALL_ROUND, (<_Ptrs>p).tolist()) for k, p in enumerate(self.small) if p is not None]
        r += [(k, (<_Ptrs>p).tolist()) for k, p in self.large.items()]
        return [(k, p) for k, p in r if p]


@cython.final
cdef class Pool:
    """Device memory of one GPU: ``malloc(nbytes, stream)`` returns a Block, cached when released."""

    def __init__(self, drv, device_name):
        self._drv = drv
        self._device = device_name
        self._free = {}

    def malloc(self, size_t nbytes, size_t stream=0):
        return self.alloc(nbytes, stream)

    cdef _Cached _cached(self, size_t stream):
        """The cache of ``stream``: the last one used is kept at hand (most programs use one stream)."""
        cdef _Cached c
        if self._last is not None and stream == self._last_stream:
            return self._last
        c = self._free.get(stream)
        if c is None:
            c = self._free[stream] = _Cached()
        self._last, self._last_stream = c, stream
        return c

    cdef Block alloc(self, size_t nbytes, size_t stream):
        """A Block of at least ``nbytes`` for work on ``stream``: a cached one of its size class, else new."""
        cdef Block b = Block.__new__(Block)
        cdef _Ptrs cached
        cdef size_t size
        b.stream = stream
        if nbytes == 0:
            return b  # ptr 0 and no pool: nothing to give back
        size = _size_class(nbytes)
        self.n_alloc += 1
        cached = self._cached(stream).get(size)
        if cached.n:
            b.ptr = cached.pop()
            self.n_cache_hit += 1
        else:
            b.ptr = self._driver_malloc(size, nbytes)
        b.size = size
        b.pool = self
        self.allocated += size
        if self.allocated > self.peak_allocated:
            self.peak_allocated = self.allocated
        return b

    cdef size_t _driver_malloc(self, size_t size, size_t nbytes) except? 0:
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
                self.n_oom_retry += 1
                self.empty_cache()
        self.n_driver_alloc += 1
        self.reserved += size
        if self.reserved > self.peak_reserved:
            self.peak_reserved = self.reserved
        return ptr

    cdef void release(self, size_t ptr, size_t size, size_t stream) noexcept:
        """Put a block's memory on the free list of its stream and size class (from Block's destructor,
        which cannot raise: a failure to record it, out of host memory, leaks the block)."""
        self.n_free += 1
        self.allocated -= size
        try:
            self._cached(stream).get(size).push(ptr)
        except MemoryError:
            pass

    def empty_cache(self):
        """Give every cached (unused) block back to the driver."""
        blocks = self._blocks()
        if not blocks:
            return
        self._drv.synchronize()  # a cached block may still be read by queued work on its stream
        for size, ptrs in blocks:
            for ptr in ptrs:
                self._drv.free(ptr)
            self.n_driver_free += len(ptrs)
            self.reserved -= size * len(ptrs)
        self._free.clear()
        self._last = None

    def _blocks(self):
        """[(size class, [ptr, ...])] of every cached block, all streams."""
        return [item for c in self._free.values() for item in (<_Cached>c).items()]

    def cached(self):
        return self.reserved - self.allocated

    @property
    def counts(self):
        return {"alloc": self.n_alloc, "free": self.n_free, "cache_hit": self.n_cache_hit,
                "driver_alloc": self.n_driver_alloc, "driver_free": self.n_driver_free,
                "oom_retry": self.n_oom_retry}

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
            "cached_blocks": sum(len(p) for _, p in self._blocks()),
            **{f"num_{k}": v for k, v in self.counts.items()},
        }

    def reset_peak(self):
        self.peak_allocated = self.allocated
        self.peak_reserved = self.reserved
