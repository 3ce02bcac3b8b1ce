"""The host caching allocator: memory of large CPU arrays, reused instead of given back to the OS.

NumPy gets a large array's memory from malloc, which above its mmap threshold maps fresh pages from the
kernel and unmaps them on free: every new 40 MB result pays ~10k page faults (or ~20 huge-page faults)
and the kernel zeroing 40 MB, often more than the operation itself. NumPy hides part of this by reusing
temporaries in place (``a*b + c`` adds into the product when its reference count says nobody else sees
it); rdnarray's arrays cannot offer that, so instead freed large blocks are kept and handed out again,
like the GPU pool (memory.pyx) and PyTorch's caching allocators: a loop in steady state faults nothing.

- Only requests of at least ``THRESHOLD`` bytes come here (below it malloc already reuses memory).
- Sizes round up to a size class, an eighth of the power of two below the request (at least a page), so
  near sizes (``n`` and ``n - 2`` elements) share blocks; the waste is under 12.5 %, and pages of the
  tail that no array touches are never faulted in.
- Blocks are anonymous mmaps (page aligned); those of 4 MiB and more are advised as transparent huge
  pages, as NumPy does for its own large arrays.
- The idle cache is bounded: ``RDNARRAY_HOST_CACHE_BYTES`` (default min(1 GiB, RAM / 8); 0 disables the
  cache). Over the limit, the blocks idle longest go back to the OS first.
- On a failed mmap the cache is emptied and the mmap retried once, then MemoryError.

The state is C statics, not Python objects: a block freed at interpreter shutdown, after this module's
Python state is gone, still finds it. Not thread-safe without the GIL: every entry point is called
holding it (a block's release runs in its destructor, which holds it too); a free-threaded build would
need a lock here.
"""
# cython: language_level=3
cimport cython
cimport numpy as cnp
from cpython.buffer cimport PyBuffer_FillInfo
from cpython.object cimport PyTypeObject
from cpython.ref cimport Py_INCREF
from libc.stdlib cimport realloc
from libc.string cimport memmove
from posix.mman cimport MAP_ANONYMOUS, MAP_FAILED, MAP_PRIVATE, PROT_READ, PROT_WRITE, madvise, mmap, munmap

import os

import numpy as np

cnp.import_array()

cdef object _np_empty = np.empty  # looked up once: small arrays pass through here on every allocation

cdef extern from *:
    """
    #include <sys/mman.h>
    #ifndef MADV_HUGEPAGE
    #define MADV_HUGEPAGE MADV_NORMAL  /* not Linux: no transparent huge pages to ask for */
    #endif
    """
    int MADV_HUGEPAGE

cdef extern from "numpy/arrayobject.h":
    ctypedef struct _Descr "PyArray_Descr"
    object PyArray_NewFromDescr(PyTypeObject* subtype, _Descr* descr, int nd, cnp.npy_intp* dims,
                                cnp.npy_intp* strides, void* data, int flags, object obj)

THRESHOLD = POOLED
cdef enum:
    _HUGE = 4 << 20  # NumPy's threshold for MADV_HUGEPAGE
    _MAX_DIMS = 64


cdef struct Entry:
    char* ptr
    size_t size

# The cache: idle blocks, oldest first; a hit takes the newest of its size class (its pages are the
# likeliest to still be in the CPU's caches and TLB), eviction the oldest.
cdef Entry* _cache = NULL
cdef Py_ssize_t _n = 0
cdef Py_ssize_t _room = 0
cdef size_t _page = 4096
cdef size_t _limit = 0
cdef size_t _cached = 0          # bytes in idle blocks
cdef size_t _in_use = 0          # bytes in live blocks
cdef size_t _peak_in_use = 0
cdef size_t _n_alloc = 0, _n_hit = 0, _n_os_alloc = 0, _n_os_free = 0, _n_oom_retry = 0


cdef inline size_t _size_class(size_t nbytes) noexcept:
    """``nbytes`` rounded up to a multiple of an eighth of the power of two at or below it, and of a page."""
    cdef size_t g = 1
    while g <= nbytes >> 1:
        g <<= 1
    g = max(g >> 3, _page)
    return (nbytes + g - 1) // g * g


def size_class(size_t nbytes):
    return _size_class(nbytes)


cdef void _os_free(char* ptr, size_t size) noexcept:
    global _n_os_free
    munmap(ptr, size)
    _n_os_free += 1


cdef void _evict_until(size_t target) noexcept:
    """Give the oldest idle blocks back to the OS until at most ``target`` bytes stay cached."""
    global _n, _cached
    cdef Py_ssize_t k = 0
    while k < _n and _cached > target:
        _os_free(_cache[k].ptr, _cache[k].size)
        _cached -= _cache[k].size
        k += 1
    if k:
        memmove(_cache, _cache + k, (_n - k) * sizeof(Entry))
        _n -= k


cdef void _release(char* ptr, size_t size) noexcept:
    """A live block's memory becomes idle: cached, or given back when it does not fit under the limit."""
    global _cache, _n, _room, _cached, _in_use
    cdef Entry* grown
    _in_use -= size
    if size > _limit:
        _os_free(ptr, size)
        return
    _evict_until(_limit - size)
    if _n == _room:
        grown = <Entry*>realloc(_cache, max(16, 2 * _room) * sizeof(Entry))
        if grown == NULL:  # no memory to remember it: give it back instead
            _os_free(ptr, size)
            return
        _cache, _room = grown, max(16, 2 * _room)
    _cache[_n].ptr = ptr
    _cache[_n].size = size
    _n += 1
    _cached += size


cdef char* _take(size_t size) noexcept:
    """The newest idle block of exactly ``size`` bytes, removed from the cache, or NULL."""
    global _n, _cached
    cdef Py_ssize_t k = _n - 1
    cdef char* ptr
    while k >= 0:
        if _cache[k].size == size:
            ptr = _cache[k].ptr
            memmove(_cache + k, _cache + k + 1, (_n - k - 1) * sizeof(Entry))
            _n -= 1
            _cached -= size
            return ptr
        k -= 1
    return NULL


cdef char* _os_alloc(size_t size) noexcept:
    cdef void* p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    if p == MAP_FAILED:
        return NULL
    if size >= _HUGE:
        madvise(p, size, MADV_HUGEPAGE)  # advice only: failure changes nothing
    return <char*>p


# Not tracked by the cycle collector: a block refers to no Python object.
@cython.no_gc
@cython.final
cdef class HostBlock:
    """Page-aligned host memory of ``size`` bytes (a size class) for a request of ``nbytes``; a writable
    buffer. When the last array over it goes away, the memory goes back to the cache, not to the OS."""
    cdef char* ptr
    cdef readonly size_t size
    cdef readonly size_t nbytes

    def __cinit__(self):
        self.ptr = NULL

    def __dealloc__(self):
        if self.ptr != NULL:
            _release(self.ptr, self.size)

    def __getbuffer__(self, Py_buffer* view, int flags):
        PyBuffer_FillInfo(view, self, self.ptr, self.nbytes, 0, flags)

    @property
    def address(self):
        return <size_t>self.ptr


cdef HostBlock _alloc(size_t nbytes):
    """A block of at least ``nbytes`` (> 0): a cached one of its size class, else a new mmap."""
    global _in_use, _peak_in_use, _n_alloc, _n_hit, _n_os_alloc, _n_oom_retry
    if nbytes > (<size_t>-1) >> 2:  # the size class would overflow; no machine has this much memory
        raise MemoryError(f"cannot allocate {nbytes} bytes of host memory")
    cdef HostBlock b = HostBlock.__new__(HostBlock)  # first: nothing to leak if this fails
    cdef size_t size = _size_class(nbytes)
    cdef char* ptr = _take(size)
    _n_alloc += 1
    if ptr != NULL:
        _n_hit += 1
    else:
        ptr = _os_alloc(size)
        if ptr == NULL:
            _n_oom_retry += 1
            _evict_until(0)
            ptr = _os_alloc(size)
            if ptr == NULL:
                raise MemoryError(f"cannot allocate {nbytes} bytes of host memory "
                                  f"({_in_use} bytes in use by large rdnarray arrays; cache emptied)")
        _n_os_alloc += 1
    b.ptr = ptr
    b.size = size
    b.nbytes = nbytes
    _in_use += size
    if _in_use > _peak_in_use:
        _peak_in_use = _in_use
    return b


def alloc(size_t nbytes):
    """A HostBlock of at least ``nbytes`` bytes (any size: the threshold applies to ``empty`` only)."""
    if nbytes == 0:
        raise ValueError("alloc: nbytes must be positive")
    return _alloc(nbytes)


cpdef object empty(object shape, object dtype):
    """``numpy.empty(shape, dtype)`` (C order); from the cache when it is at least THRESHOLD bytes of a
    dtype without references (an object array must start as NULLs, a cached block holds old bytes)."""
    cdef cnp.npy_intp dims[_MAX_DIMS]
    cdef Py_ssize_t nd, i, d
    cdef size_t nbytes
    cdef cnp.dtype descr = dtype if isinstance(dtype, cnp.dtype) else np.dtype(dtype)
    if not isinstance(shape, tuple):
        shape = tuple(shape) if isinstance(shape, list) else (shape,)
    nd = len(shape)
    nbytes = descr.itemsize
    try:
        for i in range(min(nd, _MAX_DIMS)):
            d = shape[i]
            if d < 0:
                return _np_empty(shape, descr)  # NumPy's error
            dims[i] = d
            if d and nbytes > (<size_t>-1 >> 2) // <size_t>d:
                return _np_empty(shape, descr)  # NumPy's "array is too big" error
            nbytes *= <size_t>d
    except (TypeError, OverflowError):  # not integers: NumPy's error
        return _np_empty(shape, descr)
    # Only kinds without references may start as old bytes (object and StringDType arrays must not).
    if nbytes < POOLED or _limit == 0 or nd > _MAX_DIMS or descr.kind not in b"biufcmM":
        return _np_empty(shape, descr)
    block = _alloc(nbytes)
    Py_INCREF(descr)  # PyArray_NewFromDescr steals a reference
    arr = PyArray_NewFromDescr(<PyTypeObject*>np.ndarray, <_Descr*>descr, <int>nd, dims, NULL,
                               (<HostBlock>block).ptr, cnp.NPY_ARRAY_CARRAY, None)
    cnp.set_array_base(arr, block)
    return arr


# -- control and statistics ------------------------------------------------------------------------
def empty_cache():
    """Give every idle block back to the OS."""
    _evict_until(0)


def set_limit(size_t nbytes):
    """Cache at most ``nbytes`` of idle blocks (0: none, every large array is a fresh mmap, as NumPy's
    are); returns the previous limit. Idle blocks over the new limit go back to the OS at once."""
    global _limit
    previous = _limit
    _limit = nbytes
    _evict_until(_limit)
    return previous


def get_limit():
    return _limit


def stats():
    """Bytes and counts of the cache: ``in_use_bytes`` (live blocks, in size classes), ``cached_bytes``
    (idle blocks), ``limit_bytes``; allocations, cache hits, mmaps, munmaps, out-of-memory retries."""
    return {
        "in_use_bytes": _in_use,
        "cached_bytes": _cached,
        "peak_in_use_bytes": _peak_in_use,
        "limit_bytes": _limit,
        "cached_blocks": _n,
        "num_alloc": _n_alloc,
        "num_cache_hit": _n_hit,
        "num_os_alloc": _n_os_alloc,
        "num_os_free": _n_os_free,
        "num_oom_retry": _n_oom_retry,
    }


def _default_limit():
    value = os.environ.get("RDNARRAY_HOST_CACHE_BYTES")
    if value is not None:
        try:
            n = int(value)
        except ValueError:
            n = -1
        if n < 0:
            raise ValueError(f"RDNARRAY_HOST_CACHE_BYTES must be a number of bytes >= 0, got {value!r}")
        return n
    try:
        ram = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        ram = 8 << 30
    return min(1 << 30, ram // 8)


_page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_limit = _default_limit()
