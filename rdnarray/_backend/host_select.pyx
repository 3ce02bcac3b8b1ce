# cython: language_level=3
"""``x[mask]`` on the host: the elements of ``x`` where a boolean ``mask`` of its shape is true, in C order.

NumPy has two ways to do it and neither is good in general: ``x[mask]`` copies runs of true elements (one
memcpy per run: fast for long runs, ~3x slower than ``compress`` for a random mask), while ``compress`` and
``extract`` go element by element even where every element is selected (~2.5x slower than ``x[mask]``).

``select`` counts the true elements (NumPy's SIMD count), allocates the result, then makes one pass in
blocks of 64 mask bytes, each summed from eight 8-byte words: a block with no true element is skipped, one
with only true ones is one memcpy. The other blocks depend on the density of the whole mask:
  dense (at least 1 in 32 selected)  copied without a branch per element (``out[j] = x[i]; j += m[i]``), so
                                     a random mask mispredicts nothing;
  sparse                             the positions of a few hundred selected elements are noted first (from
                                     the nonzero words only), then loaded together: their cache misses
                                     overlap, and most of ``x`` is never read.
Elements move as their bytes (itemsize 1, 2, 4, 8 or 16), so every dtype without Python objects is served by
five instances of one loop. Every write is bounded by the count, so a mask changed by another thread during
the pass (the GIL is released) gives wrong values, never a write out of bounds.

``compress`` and ``extract`` have NumPy's signatures; the host backend runs them for the names of the
same name. What ``select`` does not cover (non-boolean conditions, a condition of another shape, ``axis``
on an N-d array, ``out=``, object dtypes) goes to NumPy's function.
"""
cimport numpy as cnp
from cpython.object cimport PyTypeObject
from cpython.ref cimport Py_INCREF
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memcpy

import numpy as np

cnp.import_array()

cdef extern from "numpy/arrayobject.h":
    ctypedef struct _Descr "PyArray_Descr"
    object PyArray_NewFromDescr(PyTypeObject* subtype, _Descr* descr, int nd, cnp.npy_intp* dims,
                                cnp.npy_intp* strides, void* data, int flags, object obj)
    cnp.npy_intp PyArray_CountNonzero(cnp.ndarray a) except -1
    bint PyDataType_REFCHK(_Descr* d)

ctypedef struct bytes16:
    uint64_t lo, hi

# One loop per item size; the type only fixes sizeof(item) (bytes move with memcpy, so no alignment is needed).
ctypedef fused item:
    uint8_t
    uint16_t
    uint32_t
    uint64_t
    bytes16

cdef enum:
    BLOCK = 64   # mask bytes decided at once: 8 words
    CAP = 512    # indices of a sparse mask gathered at once

cdef uint64_t LOW7 = 0x7f7f7f7f7f7f7f7f
cdef uint64_t ONES = 0x0101010101010101


cdef inline uint64_t _nonzero_bytes(uint64_t w) noexcept nogil:
    """1 in each byte of ``w`` that is nonzero, else 0 (a bool byte may hold any nonzero value)."""
    return ((((w & LOW7) + LOW7) | w) >> 7) & ONES


cdef inline Py_ssize_t _gather(item* kind, const char* x, Py_ssize_t xs, const Py_ssize_t* idx, Py_ssize_t c,
                               char* out, Py_ssize_t room) noexcept nogil:
    """out[t] = x[idx[t]] for t < c (at most ``room``): independent loads, so the cache misses of a sparse
    mask overlap."""
    cdef Py_ssize_t t
    if c > room:
        c = room
    for t in range(c):
        memcpy(out + t * sizeof(item), x + idx[t] * xs, sizeof(item))
    return c


cdef Py_ssize_t _row(item* kind, const uint8_t* m, Py_ssize_t ms, const char* x, Py_ssize_t xs,
                     Py_ssize_t n, char* out, Py_ssize_t room, bint sparse) noexcept nogil:
    """Copies the ``x`` elements of a row of ``n`` (strides ``ms`` and ``xs`` bytes) whose mask byte is
    nonzero to ``out``; returns how many.

    Dense masks copy directly without branches; ``room`` is the space left in ``out``, since that copy
    writes one element past the last selected one, it runs only where a whole block of them fits.
    Sparse masks (``sparse``) first note the positions of a few hundred selected elements, then load
    them at once: a direct copy would wait on one cache miss after another, or read all of ``x``.
    ``kind`` only picks the item size (a null pointer of the fused type)."""
    cdef Py_ssize_t S = sizeof(item)
    cdef Py_ssize_t i = 0, j = 0, c = 0, k, b, q
    cdef uint64_t w[8]
    cdef uint64_t total, z
    cdef Py_ssize_t idx[CAP]
    while i < n:
        b = n - i if n - i < BLOCK else BLOCK
        if ms == 1 and b == BLOCK:
            total = 0  # how many of the 64 bytes are nonzero: per-byte counts (<= 8) summed across bytes
            for q in range(8):
                memcpy(&w[q], m + i + 8 * q, 8)
                w[q] = _nonzero_bytes(w[q])
                total += w[q]
            total = (total * ONES) >> 56
            if total == 0:
                i += BLOCK
                continue
            if total == BLOCK and j + c + BLOCK <= room:
                if c:
                    j += _gather(kind, x, xs, idx, c, out + j * S, room - j)
                    c = 0
                if xs == S:
                    memcpy(out + j * S, x + i * S, BLOCK * S)
                else:
                    for k in range(BLOCK):
                        memcpy(out + (j + k) * S, x + (i + k) * xs, S)
                j += BLOCK
                i += BLOCK
                continue
            if sparse:
                for q in range(8):
                    z = w[q]
                    if z:
                        for k in range(8):
                            idx[c] = i + 8 * q + k
                            c += (z >> (8 * k)) & 1
                if c > CAP - BLOCK:
                    j += _gather(kind, x, xs, idx, c, out + j * S, room - j)
                    c = 0
                i += BLOCK
                continue
        if sparse:
            for k in range(i, i + b):
                idx[c] = k
                c += m[k * ms] != 0
            if c > CAP - BLOCK:
                j += _gather(kind, x, xs, idx, c, out + j * S, room - j)
                c = 0
        elif j + b <= room:
            for k in range(i, i + b):
                memcpy(out + j * S, x + k * xs, S)
                j += m[k * ms] != 0
        else:
            for k in range(i, i + b):
                if m[k * ms] and j < room:
                    memcpy(out + j * S, x + k * xs, S)
                    j += 1
        i += b
    if c:
        j += _gather(kind, x, xs, idx, c, out + j * S, room - j)
    return j


cdef Py_ssize_t _select(const uint8_t* m, const char* x, int nd, const cnp.npy_intp* shape,
                        const cnp.npy_intp* ms, const cnp.npy_intp* xs, Py_ssize_t itemsize, char* out,
                        Py_ssize_t room) noexcept nogil:
    """The N-d walk: every row along the last axis, outer indices in C order (an odometer)."""
    cdef cnp.npy_intp idx[32]
    cdef Py_ssize_t j = 0, d, n = shape[nd - 1], rows = 1
    cdef const uint8_t* mp = m
    cdef const char* xp = x
    for d in range(nd - 1):
        idx[d] = 0
        rows *= shape[d]
    # Sparse below 1 selected element in 32: the measured crossover is 2.5% (float32) to 5% (uint8).
    cdef bint sparse = room * 32 < rows * n
    while rows:
        if itemsize == 1:
            j += _row(<uint8_t*>NULL, mp, ms[nd - 1], xp, xs[nd - 1], n, out + j, room - j, sparse)
        elif itemsize == 2:
            j += _row(<uint16_t*>NULL, mp, ms[nd - 1], xp, xs[nd - 1], n, out + 2 * j, room - j, sparse)
        elif itemsize == 4:
            j += _row(<uint32_t*>NULL, mp, ms[nd - 1], xp, xs[nd - 1], n, out + 4 * j, room - j, sparse)
        elif itemsize == 8:
            j += _row(<uint64_t*>NULL, mp, ms[nd - 1], xp, xs[nd - 1], n, out + 8 * j, room - j, sparse)
        else:
            j += _row(<bytes16*>NULL, mp, ms[nd - 1], xp, xs[nd - 1], n, out + 16 * j, room - j, sparse)
        rows -= 1
        d = nd - 2
        while d >= 0:
            idx[d] += 1
            mp += ms[d]
            xp += xs[d]
            if idx[d] < shape[d]:
                break
            mp -= ms[d] * shape[d]
            xp -= xs[d] * shape[d]
            idx[d] = 0
            d -= 1
    return j


cdef bint _fits(object m, object a):
    """Whether ``select`` takes (m, a): NumPy arrays of one shape, a bool mask, a dtype without objects."""
    if type(m) is not np.ndarray or type(a) is not np.ndarray:
        return False
    cdef cnp.ndarray mask = m, x = a
    if cnp.PyArray_TYPE(mask) != cnp.NPY_BOOL or cnp.PyArray_NDIM(mask) != cnp.PyArray_NDIM(x):
        return False
    if cnp.PyArray_NDIM(x) > 32 or PyDataType_REFCHK(<_Descr*><void*>cnp.PyArray_DESCR(x)):
        return False
    cdef Py_ssize_t s = cnp.PyArray_ITEMSIZE(x)
    if s != 1 and s != 2 and s != 4 and s != 8 and s != 16:
        return False
    cdef int d
    for d in range(cnp.PyArray_NDIM(x)):
        if cnp.PyArray_DIMS(mask)[d] != cnp.PyArray_DIMS(x)[d]:
            return False
    return True


cdef cnp.ndarray _take(cnp.ndarray mask, cnp.ndarray x):
    """``x[mask]`` for arrays that _fits accepts: a new 1-D C-contiguous array of x's dtype."""
    cdef cnp.npy_intp count = PyArray_CountNonzero(mask)
    cdef object descr = <object>cnp.PyArray_DESCR(x)
    Py_INCREF(descr)  # PyArray_NewFromDescr steals a reference
    cdef cnp.ndarray out = PyArray_NewFromDescr(<PyTypeObject*>np.ndarray, <_Descr*>descr, 1, &count, NULL,
                                                NULL, 0, None)
    if count == 0:
        return out
    # Drop axes of length 1 (their strides are arbitrary), then merge axes that are contiguous in both
    # arrays, so a C-contiguous pair is one row and the per-row work is paid once.
    cdef cnp.npy_intp shape[32]
    cdef cnp.npy_intp ms[32]
    cdef cnp.npy_intp xs[32]
    cdef int nd = 0, d
    cdef cnp.npy_intp n
    for d in range(cnp.PyArray_NDIM(x)):
        n = cnp.PyArray_DIMS(x)[d]
        if n == 1:
            continue
        if nd and ms[nd - 1] == n * cnp.PyArray_STRIDES(mask)[d] and xs[nd - 1] == n * cnp.PyArray_STRIDES(x)[d]:
            shape[nd - 1] *= n
            ms[nd - 1] = cnp.PyArray_STRIDES(mask)[d]
            xs[nd - 1] = cnp.PyArray_STRIDES(x)[d]
            continue
        shape[nd] = n
        ms[nd] = cnp.PyArray_STRIDES(mask)[d]
        xs[nd] = cnp.PyArray_STRIDES(x)[d]
        nd += 1
    if nd == 0:  # a single element (0-d, or every axis of length 1), and it is selected
        shape[0] = 1
        ms[0] = xs[0] = 0
        nd = 1
    cdef const uint8_t* m = <const uint8_t*>cnp.PyArray_DATA(mask)
    cdef const char* xp = <const char*>cnp.PyArray_DATA(x)
    cdef char* o = <char*>cnp.PyArray_DATA(out)
    cdef Py_ssize_t itemsize = cnp.PyArray_ITEMSIZE(x)
    with nogil:
        _select(m, xp, nd, shape, ms, xs, itemsize, o, count)
    return out


def select(mask, x):
    """``x[mask]`` for a boolean NumPy ``mask`` of ``x``'s shape: the selected elements in C order."""
    if _fits(mask, x):
        return _take(mask, x)
    return x[mask]


def extract(condition, arr):
    """NumPy's ``extract``: the elements of ``arr`` where ``condition`` is nonzero, in C order."""
    if _fits(condition, arr):
        return _take(condition, arr)
    return np.extract(condition, arr)


def compress(condition, a, axis=None, out=None):
    """NumPy's ``compress``; the one-pass copy serves a boolean condition over a whole 1-D array."""
    if out is None and (axis is None or axis == 0 or axis == -1) and _fits(condition, a) \
            and cnp.PyArray_NDIM(<cnp.ndarray>a) == 1:
        return _take(condition, a)
    return np.compress(condition, a, axis=axis, out=out)
