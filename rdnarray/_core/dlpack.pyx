# cython: language_level=3
"""DLPack in both directions: ``ndarray.__dlpack__`` exports an array as a capsule, ``from_dlpack`` imports
any producer's capsule as an rdnarray array, sharing the memory in both directions.

Spec: https://dmlc.github.io/dlpack/latest/python_spec.html and the Array API's ``__dlpack__``. A capsule
holds a ``DLManagedTensorVersioned`` (DLPack 1.x, named "dltensor_versioned") when the consumer passes
``max_version >= (1, 0)``, else the legacy ``DLManagedTensor`` ("dltensor"). The consumer renames it to
"used_dltensor(_versioned)" and calls its deleter when done; a capsule nobody consumed calls the deleter
from its own destructor. DLPack strides count elements, NumPy's and rdnarray's count bytes.
"""
cimport numpy as cnp
from cpython.exc cimport PyErr_Fetch, PyErr_Restore
from cpython.object cimport PyTypeObject
from cpython.pycapsule cimport PyCapsule_GetPointer, PyCapsule_IsValid, PyCapsule_New, PyCapsule_SetName
from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF
from libc.stdint cimport int32_t, int64_t, intptr_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc

import numpy as np

from .ndarray cimport Buffer, from_buffer, ndarray, wrap_host
from .devices import CPU, as_device
from .dtypes import SUPPORTED as _SUPPORTED
from . import transfer as _transfer

cnp.import_array()

__all__ = ["from_dlpack", "to_dlpack", "dlpack_device"]

cdef extern from "numpy/arrayobject.h":
    ctypedef struct _Descr "PyArray_Descr"
    object PyArray_NewFromDescr(PyTypeObject* subtype, _Descr* descr, int nd, cnp.npy_intp* dims,
                                cnp.npy_intp* strides, void* data, int flags, object obj)


# -- the DLPack C ABI (dlpack.h, version 1.1) ------------------------------------------------------------
ctypedef struct DLPackVersion:
    uint32_t major
    uint32_t minor

ctypedef struct DLDevice:
    int32_t device_type      # DLDeviceType, a C enum (int-sized)
    int32_t device_id

ctypedef struct DLDataType:
    uint8_t code             # DLDataTypeCode
    uint8_t bits
    uint16_t lanes

ctypedef struct DLTensor:
    void* data
    DLDevice device
    int32_t ndim
    DLDataType dtype
    int64_t* shape
    int64_t* strides         # in elements; NULL means C-contiguous
    uint64_t byte_offset

cdef struct DLManagedTensor:
    DLTensor dl_tensor
    void* manager_ctx
    void (*deleter)(DLManagedTensor*) noexcept nogil

cdef struct DLManagedTensorVersioned:
    DLPackVersion version
    void* manager_ctx
    void (*deleter)(DLManagedTensorVersioned*) noexcept nogil
    uint64_t flags
    DLTensor dl_tensor

cdef enum:
    kDLCPU = 1
    kDLCUDA = 2
    kDLCUDAHost = 3
    kDLROCM = 10
    kDLROCMHost = 11

cdef enum:
    kDLInt = 0
    kDLUInt = 1
    kDLFloat = 2
    kDLBfloat = 4
    kDLComplex = 5
    kDLBool = 6

cdef uint64_t FLAG_READ_ONLY = 1
cdef uint64_t FLAG_IS_COPIED = 2

# The newest DLPack version this module reads and writes.
DLPACK_VERSION = (1, 1)

# Device types whose memory the CPU can address directly (pinned host memory of CUDA and ROCm included).
_HOST_TYPES = frozenset((kDLCPU, kDLCUDAHost, kDLROCMHost))
_DEVICE_NAMES = {1: "kDLCPU", 2: "kDLCUDA", 3: "kDLCUDAHost", 4: "kDLOpenCL", 7: "kDLVulkan", 8: "kDLMetal",
                 9: "kDLVPI", 10: "kDLROCM", 11: "kDLROCMHost", 12: "kDLExtDev", 13: "kDLCUDAManaged",
                 14: "kDLOneAPI", 15: "kDLWebGPU", 16: "kDLHexagon", 17: "kDLMAIA"}

# numpy dtype kind -> DLDataTypeCode, and back (bits = 8 * itemsize; lanes are always 1).
_KIND_TO_CODE = {"b": kDLBool, "i": kDLInt, "u": kDLUInt, "f": kDLFloat, "c": kDLComplex}
_CODE_TO_KIND = {kDLBool: "b", kDLInt: "i", kDLUInt: "u", kDLFloat: "f", kDLComplex: "c"}
_CODE_NAMES = {kDLInt: "int", kDLUInt: "uint", kDLFloat: "float", 3: "opaque handle", kDLBfloat: "bfloat",
               kDLComplex: "complex", kDLBool: "bool"}


def _device_name(device_type):
    return _DEVICE_NAMES.get(device_type, f"device type {device_type}")


# -- export ----------------------------------------------------------------------------------------------
cdef void _release_array(void* manager_ctx) noexcept nogil:
    with gil:
        Py_XDECREF(<PyObject*>manager_ctx)


cdef void _delete_legacy(DLManagedTensor* m) noexcept nogil:
    _release_array(m.manager_ctx)
    free(m)  # shape and strides live in the same allocation


cdef void _delete_versioned(DLManagedTensorVersioned* m) noexcept nogil:
    _release_array(m.manager_ctx)
    free(m)


cdef void _legacy_capsule_destructor(object capsule) noexcept:
    # A capsule that no consumer renamed still owns its tensor. Keep any exception being raised intact.
    cdef PyObject *etype, *evalue, *etb
    cdef DLManagedTensor* m
    if PyCapsule_IsValid(capsule, "dltensor"):
        PyErr_Fetch(&etype, &evalue, &etb)
        m = <DLManagedTensor*>PyCapsule_GetPointer(capsule, "dltensor")
        if m.deleter != NULL:
            m.deleter(m)
        PyErr_Restore(etype, evalue, etb)


cdef void _versioned_capsule_destructor(object capsule) noexcept:
    cdef PyObject *etype, *evalue, *etb
    cdef DLManagedTensorVersioned* m
    if PyCapsule_IsValid(capsule, "dltensor_versioned"):
        PyErr_Fetch(&etype, &evalue, &etb)
        m = <DLManagedTensorVersioned*>PyCapsule_GetPointer(capsule, "dltensor_versioned")
        if m.deleter != NULL:
            m.deleter(m)
        PyErr_Restore(etype, evalue, etb)


def _gpu_type(device):
    """The DLPack device type of one of our GPUs: kDLROCM on AMD (HIP), kDLCUDA on NVIDIA."""
    return kDLROCM if device.backend.driver.vendor == "hip" else kDLCUDA


def _our_gpu(int device_type, int device_id):
    """Our Device for a DLPack GPU device, or None when the GPU backend cannot address its memory."""
    from .. import _backend
    if device_type not in (kDLCUDA, kDLROCM) or not _backend.available("gpu"):
        return None
    dev = as_device(f"gpu:{device_id}")
    return dev if _gpu_type(dev) == device_type else None


def _consumer_stream(device):
    """The stream argument that asks a producer to order its work before ours (our current stream)."""
    handle = device.backend.stream
    if handle == 0 and _gpu_type(device) == kDLCUDA:
        return 1  # DLPack's name for CUDA's legacy default stream (0 is not allowed there)
    return handle


def dlpack_device(ndarray x):
    """``x.__dlpack_device__()``: (kDLCPU, 0) for host arrays, (kDLCUDA or kDLROCM, N) for GPU N's."""
    dev = x._buffer.device
    if dev.kind != "cpu":
        return (_gpu_type(dev), dev.index)
    return (kDLCPU, 0)


cdef _order_before_consumer(ndarray x, stream):
    """Make the consumer's ``stream`` see every write queued for ``x`` (DLPack's stream contract)."""
    backend = x._buffer.device.backend
    if stream == -1:
        return  # the consumer orders the work itself
    consumer = 0 if stream is None or (stream == 1 and _gpu_type(x._buffer.device) == kDLCUDA) else stream
    if consumer != backend.stream:
        backend.driver.stream_synchronize(backend.stream)


cdef object _host_copy(ndarray x):
    return wrap_host(_transfer.to_numpy(x, None, True), CPU)


def to_dlpack(ndarray x, stream=None, max_version=None, dl_device=None, copy=None):
    """``x.__dlpack__(stream=, max_version=, dl_device=, copy=)``: a DLPack capsule viewing ``x`` (or a
    copy when ``copy=True``), versioned when ``max_version >= (1, 0)``."""
    cdef bint versioned = False
    cdef bint copied = False
    cdef uint32_t minor = DLPACK_VERSION[1]
    if max_version is not None:
        major, req_minor = max_version
        versioned = major >= 1
        if major == 1:
            minor = min(req_minor, DLPACK_VERSION[1])
    on_host = x._buffer.device.kind == "cpu"
    if dl_device is not None:
        want = (int(dl_device[0]), int(dl_device[1]))
        if want != dlpack_device(x) and want != (kDLCPU, 0):
            raise BufferError(f"__dlpack__: cannot export an array on {x._buffer.device} to "
                              f"{_device_name(want[0])} {want[1]}: rdnarray exports to the array's own device "
                              f"{dlpack_device(x)} or to kDLCPU (1, 0)")
        if not on_host and want == (kDLCPU, 0):
            if copy is False:
                raise BufferError(f"__dlpack__: exporting an array on {x._buffer.device} to the host needs a "
                                  "copy, but copy=False")
            x, copied = _host_copy(x), True
    if x._buffer.device.kind == "cpu":
        if stream is not None:
            raise ValueError(f"__dlpack__: stream must be None for an array on the CPU, got {stream!r}")
        if copy and not copied:
            x, copied = _host_copy(x), True
    else:
        if copy:
            x, copied = _transfer.asarray(x, copy=True), True
        _order_before_consumer(x, stream)
    if x._buffer.readonly and not versioned:
        raise BufferError("__dlpack__: cannot export a read-only array as a legacy (DLPack 0.x) capsule, which "
                          "cannot say it is read-only; the consumer must pass max_version=(1, 0) or newer")

    # Validate the layout before allocating anything.
    dtype = x.dtype
    code = _KIND_TO_CODE.get(dtype.kind)
    if code is None or not dtype.isnative:
        raise BufferError(f"__dlpack__: the data type {dtype} has no DLPack equivalent")
    cdef Py_ssize_t itemsize = dtype.itemsize
    cdef int ndim = len(x.shape), i
    for i in range(ndim):
        if x.shape[i] > 1 and x._strides[i] % itemsize:
            raise BufferError(f"__dlpack__: the strides {x._strides} of an array of {dtype} are not a multiple "
                              f"of its item size {itemsize}; DLPack counts strides in elements")

    cdef void* data = <void*>(x._buffer.ptr + x._offset)
    cdef DLManagedTensor* ml = NULL
    cdef DLManagedTensorVersioned* mv = NULL
    cdef DLTensor* t
    cdef size_t head = sizeof(DLManagedTensorVersioned) if versioned else sizeof(DLManagedTensor)
    cdef char* mem = <char*>malloc(head + 2 * max(ndim, 1) * sizeof(int64_t))
    if mem == NULL:
        raise MemoryError("__dlpack__: out of host memory for the DLPack tensor descriptor")
    if versioned:
        mv = <DLManagedTensorVersioned*>mem
        mv.version.major = 1
        mv.version.minor = minor
        mv.flags = (FLAG_READ_ONLY if x._buffer.readonly else 0) | (FLAG_IS_COPIED if copied else 0)
        mv.manager_ctx = <void*>x
        mv.deleter = _delete_versioned
        t = &mv.dl_tensor
    else:
        ml = <DLManagedTensor*>mem
        ml.manager_ctx = <void*>x
        ml.deleter = _delete_legacy
        t = &ml.dl_tensor
    t.data = data
    t.device.device_type, t.device.device_id = dlpack_device(x)
    t.ndim = ndim
    t.dtype.code = <uint8_t>code
    t.dtype.bits = <uint8_t>(8 * itemsize)
    t.dtype.lanes = 1
    t.shape = <int64_t*>(mem + head)
    t.strides = t.shape + ndim
    t.byte_offset = 0
    for i in range(ndim):
        t.shape[i] = x.shape[i]
        t.strides[i] = x._strides[i] // itemsize
    Py_INCREF(x)  # released by the deleter
    if versioned:
        return PyCapsule_New(mv, "dltensor_versioned", _versioned_capsule_destructor)
    return PyCapsule_New(ml, "dltensor", _legacy_capsule_destructor)


# -- import ----------------------------------------------------------------------------------------------
cdef class _DLPackOwner:
    """Keeps a consumed DLPack tensor alive; its deleter runs when the last array viewing it goes away."""
    cdef DLManagedTensor* legacy
    cdef DLManagedTensorVersioned* versioned

    def __dealloc__(self):
        if self.versioned != NULL and self.versioned.deleter != NULL:
            self.versioned.deleter(self.versioned)
        if self.legacy != NULL and self.legacy.deleter != NULL:
            self.legacy.deleter(self.legacy)


cdef object _dtype_of(DLDataType dt):
    kind = _CODE_TO_KIND.get(dt.code)
    if kind is None or dt.lanes != 1 or dt.bits % 8:
        raise BufferError(f"from_dlpack: the DLPack data type ({_CODE_NAMES.get(dt.code, dt.code)}, bits={dt.bits}, "
                          f"lanes={dt.lanes}) has no rdnarray equivalent")
    try:
        dtype = np.dtype(f"{kind}{dt.bits // 8}")
    except TypeError:
        dtype = None
    if dtype is None or (kind == "b" and dt.bits != 8) or dtype not in _SUPPORTED:
        raise BufferError(f"from_dlpack: the DLPack data type ({_CODE_NAMES[dt.code]}, bits={dt.bits}) has no "
                          "rdnarray equivalent")
    return dtype


cdef ndarray _consume(object capsule, object gpu):
    """The array viewing the tensor in ``capsule`` (on the host, or on ``gpu`` when that is where it was
    asked for), which is marked used and owned from now on."""
    cdef DLManagedTensor* ml = NULL
    cdef DLManagedTensorVersioned* mv = NULL
    cdef DLTensor* t
    cdef bint readonly = False
    cdef cnp.npy_intp dims[64]
    cdef cnp.npy_intp strides[64]
    cdef int i
    cdef Py_ssize_t step
    if PyCapsule_IsValid(capsule, "dltensor_versioned"):
        mv = <DLManagedTensorVersioned*>PyCapsule_GetPointer(capsule, "dltensor_versioned")
        if mv.version.major != 1:
            raise BufferError(f"from_dlpack: the producer exported DLPack {mv.version.major}.{mv.version.minor}; "
                              f"rdnarray reads DLPack 1.x")
        t = &mv.dl_tensor
        readonly = (mv.flags & FLAG_READ_ONLY) != 0
    elif PyCapsule_IsValid(capsule, "dltensor"):
        ml = <DLManagedTensor*>PyCapsule_GetPointer(capsule, "dltensor")
        t = &ml.dl_tensor
    else:
        raise ValueError("from_dlpack: __dlpack__ did not return an unused DLPack capsule (named 'dltensor' or "
                         "'dltensor_versioned')")

    if t.device.device_type in _HOST_TYPES:
        gpu = None
    elif gpu is None or _our_gpu(t.device.device_type, t.device.device_id) != gpu:
        raise BufferError(f"from_dlpack: the tensor is on {_device_name(t.device.device_type)} "
                          f"{t.device.device_id}, not where it was asked for ({gpu or 'the host'}); the GPU "
                          "backend of rdnarray cannot take it there")
    dtype = _dtype_of(t.dtype)
    if not 0 <= t.ndim <= 64:
        raise BufferError(f"from_dlpack: tensors of {t.ndim} dimensions are not supported (at most 64)")
    step = dtype.itemsize
    for i in range(t.ndim - 1, -1, -1):
        dims[i] = <cnp.npy_intp>t.shape[i]
        if t.strides != NULL:
            strides[i] = <cnp.npy_intp>t.strides[i] * dtype.itemsize
        else:
            strides[i] = step
            step *= max(dims[i], 1)

    # From here on the owner calls the deleter, whatever happens.
    owner = _DLPackOwner()
    if mv != NULL:
        owner.versioned = mv
        PyCapsule_SetName(capsule, "used_dltensor_versioned")
    else:
        owner.legacy = ml
        PyCapsule_SetName(capsule, "used_dltensor")
    if gpu is not None:
        return from_buffer(Buffer(<intptr_t>t.data + <intptr_t>t.byte_offset, owner, gpu, readonly),
                           tuple([dims[i] for i in range(t.ndim)]), tuple([strides[i] for i in range(t.ndim)]),
                           0, dtype)
    Py_INCREF(dtype)  # PyArray_NewFromDescr steals a reference
    arr = PyArray_NewFromDescr(<PyTypeObject*>np.ndarray, <_Descr*>dtype, t.ndim, dims, strides,
                               <void*>(<char*>t.data + t.byte_offset),
                               0 if readonly else cnp.NPY_ARRAY_WRITEABLE, None)
    cnp.set_array_base(arr, owner)
    return wrap_host(arr, CPU)


def from_dlpack(x, /, *, device=None, copy=None):
    """An rdnarray array of the data of ``x`` (any object with ``__dlpack__``), sharing its memory unless
    ``copy=True`` or ``device`` asks for a move; ``copy=False`` raises BufferError when a copy is needed."""
    if not hasattr(x, "__dlpack__") or not hasattr(x, "__dlpack_device__"):
        raise AttributeError(f"from_dlpack: {type(x).__name__} objects do not support DLPack (no __dlpack__ "
                             "and __dlpack_device__ methods); use rdnarray.asarray")
    target = None if device is None else as_device(device)
    src_type, src_id = x.__dlpack_device__()
    src_type, src_id = int(src_type), int(src_id)
    on_host = src_type in _HOST_TYPES
    if target is not None and target.kind != "cpu":
        if on_host:  # to a GPU: read the host tensor, then copy it over
            if copy is False:
                raise BufferError(f"from_dlpack: moving {type(x).__name__} from the host to {target} needs a "
                                  "copy, but copy=False")
            return _transfer.to_device(from_dlpack(x), target)
        if _our_gpu(src_type, src_id) != target:
            raise BufferError(f"from_dlpack: {type(x).__name__} is on {_device_name(src_type)} {src_id}; "
                              f"importing it to {target} is not supported")
    gpu = None if on_host or (target is not None and target.kind == "cpu") else _our_gpu(src_type, src_id)
    if not on_host and target is None and gpu is None:
        raise BufferError(f"from_dlpack: {type(x).__name__} is on {_device_name(src_type)} {src_id}; the GPU "
                          "backend of rdnarray is not available for that device type (pass device='cpu' "
                          "to copy it to the host)")
    dl_device = None if on_host or gpu is not None else (kDLCPU, 0)
    try:
        if gpu is not None:  # zero copy on the same GPU; the producer orders its work before our stream
            capsule = x.__dlpack__(max_version=DLPACK_VERSION, stream=_consumer_stream(gpu), copy=copy)
        else:
            capsule = x.__dlpack__(max_version=DLPACK_VERSION, dl_device=dl_device, copy=copy)
        copy_done = True  # the producer honoured copy=
    except TypeError:
        # A producer older than the 2023.12 keywords: it exports its own memory, we copy when asked.
        if not on_host and gpu is None:
            raise BufferError(f"from_dlpack: {type(x).__name__} on {_device_name(src_type)} cannot export a "
                              "host copy (its __dlpack__ takes no dl_device)") from None
        capsule = x.__dlpack__() if gpu is None else x.__dlpack__(stream=_consumer_stream(gpu))
        copy_done = False
    result = _consume(capsule, gpu)
    if copy and not copy_done:
        result = _transfer.asarray(result, copy=True) if gpu is not None else _host_copy(result)
    return result
