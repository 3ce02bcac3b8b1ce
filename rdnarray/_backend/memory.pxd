# The caching allocator's classes, for the Cython fast path (fastpath.pyx) to allocate without Python calls.

cdef class Pool

cdef class Block:
    cdef readonly size_t ptr
    cdef readonly size_t size
    cdef readonly size_t stream
    cdef Pool pool
    cdef object __weakref__


cdef class _Ptrs:
    cdef size_t* data
    cdef Py_ssize_t n, cap
    cdef int push(self, size_t ptr) except -1
    cdef size_t pop(self) noexcept


cdef class _Cached:
    cdef list small                       # [_Ptrs or None] by size class // 512, classes up to 1 MiB
    cdef dict large                       # size class -> _Ptrs
    cdef _Ptrs get(self, size_t size)


cdef class Pool:
    cdef object _drv
    cdef str _device
    cdef dict _free                       # stream -> _Cached: its cached blocks
    cdef _Cached _last                    # the cache of the stream used last
    cdef size_t _last_stream
    cdef readonly Py_ssize_t allocated    # bytes in live blocks (size classes)
    cdef readonly Py_ssize_t reserved     # bytes obtained from the driver (live + cached)
    cdef readonly Py_ssize_t peak_allocated
    cdef readonly Py_ssize_t peak_reserved
    cdef Py_ssize_t n_alloc, n_free, n_cache_hit, n_driver_alloc, n_driver_free, n_oom_retry

    cdef _Cached _cached(self, size_t stream)
    cdef Block alloc(self, size_t nbytes, size_t stream)
    cdef size_t _driver_malloc(self, size_t size, size_t nbytes) except? 0
    cdef void release(self, size_t ptr, size_t size, size_t stream) noexcept
