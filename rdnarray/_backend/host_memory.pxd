# The host caching allocator, for host.pyx to call without a Python call.

cdef enum:
    POOLED = 1 << 20  # bytes: arrays at least this large come from the cache

cpdef object empty(object shape, object dtype)
