cimport numpy as cnp
from libc.stdint cimport intptr_t


cdef class Buffer:
    """Memory on one device: a base address and the object that keeps it alive."""
    cdef readonly intptr_t ptr
    cdef readonly object owner
    cdef readonly object device
    cdef readonly bint readonly


cdef class ndarray:
    cdef readonly tuple shape
    cdef readonly tuple _strides      # in bytes, like NumPy's
    cdef readonly Py_ssize_t _offset  # bytes from buffer.ptr to element [0, ..., 0]
    cdef readonly object dtype        # numpy.dtype
    cdef readonly Buffer _buffer
    cdef object _host                 # cached NumPy view, host arrays only
    cdef object __weakref__

    cpdef object _view(self)


cdef ndarray make(Buffer buf, tuple shape, tuple strides, Py_ssize_t offset, object dtype)
cpdef ndarray wrap_host(cnp.ndarray arr, object device)
cpdef ndarray from_buffer(Buffer buf, tuple shape, tuple strides, Py_ssize_t offset, object dtype)
cpdef ndarray make_view(ndarray base, tuple shape, tuple strides, Py_ssize_t offset, object dtype=*)
