"""DLPack both ways: rdnarray as producer (``__dlpack__``) and consumer (``from_dlpack``), with NumPy and
PyTorch, sharing memory (pointer equality), for every dtype, views, 0-d arrays and the capsule contract."""
import ctypes
import gc
import weakref

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_array_equal

import rdnarray as rp
from rdnarray._core import views

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float16, np.float32, np.float64, np.complex64, np.complex128]


@pytest.fixture(autouse=True)
def on_the_cpu(request):
    """These tests exchange host memory with NumPy and PyTorch on the CPU: their arrays are CPU arrays
    whatever the default device (GPU arrays: the test_gpu_* tests at the end)."""
    if request.node.name.startswith("test_gpu_"):
        yield
        return
    with rp.Device("cpu"):
        yield


def ptr(x):
    """Address of element [0, ..., 0] of an rdnarray array."""
    return x.data.ptr + x._offset


def sample(dtype, shape=(3, 4)):
    a = (np.arange(int(np.prod(shape))) % 7).reshape(shape)
    if np.dtype(dtype).kind == "c":
        return (a + 1j * a[::-1]).astype(dtype)
    return a.astype(dtype)


# -- reading capsules with ctypes: the C ABI of dlpack.h ---------------------------------------------
class DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device", DLDevice), ("ndim", ctypes.c_int32),
                ("dtype", DLDataType), ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64)), ("byte_offset", ctypes.c_uint64)]


class DLManagedTensor(ctypes.Structure):
    _fields_ = [("dl_tensor", DLTensor), ("manager_ctx", ctypes.c_void_p), ("deleter", ctypes.c_void_p)]


class DLManagedTensorVersioned(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32), ("manager_ctx", ctypes.c_void_p),
                ("deleter", ctypes.c_void_p), ("flags", ctypes.c_uint64), ("dl_tensor", DLTensor)]


_api = ctypes.pythonapi
_api.PyCapsule_IsValid.restype = ctypes.c_int
_api.PyCapsule_IsValid.argtypes = [ctypes.py_object, ctypes.c_char_p]
_api.PyCapsule_GetPointer.restype = ctypes.c_void_p
_api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


def capsule_name(cap):
    for name in (b"dltensor", b"dltensor_versioned", b"used_dltensor", b"used_dltensor_versioned"):
        if _api.PyCapsule_IsValid(cap, name):
            return name.decode()
    return None


def managed(cap):
    """The DLManagedTensor(Versioned) struct inside an unused capsule."""
    name = capsule_name(cap)
    struct = DLManagedTensorVersioned if name == "dltensor_versioned" else DLManagedTensor
    return struct.from_address(_api.PyCapsule_GetPointer(cap, name.encode()))


def tensor_info(t):
    shape = tuple(t.shape[i] for i in range(t.ndim))
    strides = tuple(t.strides[i] for i in range(t.ndim))
    return shape, strides


class Producer:
    """A DLPack producer wrapping a NumPy array that records how it was called."""

    def __init__(self, arr, device=(1, 0), legacy=False):
        self.arr, self.device, self.legacy, self.calls = arr, device, legacy, []

    def __dlpack_device__(self):
        return self.device

    def __dlpack__(self, stream=None, **kwargs):
        if self.legacy and kwargs:
            raise TypeError("__dlpack__() got an unexpected keyword argument")
        self.calls.append(dict(kwargs))
        kwargs.pop("dl_device", None)  # it always exports host memory
        return self.arr.__dlpack__(**kwargs)


# -- export: rdnarray -> NumPy ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_consumes_rdnarray(dtype):
    a = sample(dtype)
    x = rp.asarray(a)
    n = np.from_dlpack(x)
    assert n.ctypes.data == ptr(x) == a.ctypes.data
    assert n.dtype == a.dtype and n.shape == a.shape and n.strides == a.strides
    assert_array_equal(n, a)
    n[0, 0] = n[1, 1]  # writes through to the same memory
    assert a[0, 0] == a[1, 1]


@pytest.mark.parametrize("dtype", DTYPES)
def test_rdnarray_consumes_numpy(dtype):
    a = sample(dtype)
    x = rp.from_dlpack(a)
    assert isinstance(x, rp.ndarray)
    assert ptr(x) == a.ctypes.data
    assert x.dtype == a.dtype and x.shape == a.shape and x.strides == a.strides
    assert x.device == rp.Device("cpu")
    assert_array_equal(rp.asnumpy(x), a)


@pytest.mark.parametrize("dtype", DTYPES)
def test_capsule_dtype_fields(dtype):
    x = rp.asarray(sample(dtype))
    t = managed(x.__dlpack__(max_version=(1, 0))).dl_tensor
    code = {"b": 6, "i": 0, "u": 1, "f": 2, "c": 5}[np.dtype(dtype).kind]
    assert (t.dtype.code, t.dtype.bits, t.dtype.lanes) == (code, 8 * np.dtype(dtype).itemsize, 1)
    assert (t.device.device_type, t.device.device_id) == (1, 0)
    assert x.__dlpack_device__() == (1, 0)


VIEWS = {
    "step": lambda a: a[::2],
    "transpose": lambda a: a.T,
    "reversed": lambda a: a[::-1],
    "reversed columns": lambda a: a[:, ::-2],
    "offset": lambda a: a[1:, 2:],
    "broadcast": lambda a: np.broadcast_to(a[:1], (3, 6)),
    "empty": lambda a: a[:0],
    "0-d": lambda a: a[1:2, 2:3].reshape(()),
}


@pytest.mark.parametrize("view", VIEWS, ids=list(VIEWS))
def test_views_both_ways(view):
    base = sample(np.float32, (4, 6))
    a = VIEWS[view](base)
    x = rp.asarray(a)
    n = np.from_dlpack(x)
    assert n.ctypes.data == a.ctypes.data and n.strides == a.strides and n.shape == a.shape
    assert_array_equal(n, a)
    y = rp.from_dlpack(a)
    assert ptr(y) == a.ctypes.data and y.strides == a.strides and y.shape == a.shape
    assert_array_equal(rp.asnumpy(y), a)


def test_rdnarray_views_export_at_their_offset():
    a = sample(np.int64, (4, 6))
    x = rp.asarray(a)
    for v, expected in [(rp.transpose(x), a.T), (views.flip(x, (0, 1)), a[::-1, ::-1]),
                        (views.diagonal(x, 1, 0, 1), np.diagonal(a, 1)), (views.imag_view(rp.asarray(a + 2j)), None)]:
        n = np.from_dlpack(v)
        assert n.ctypes.data == ptr(v)
        assert n.strides == v.strides
        if expected is not None:
            assert_array_equal(n, expected)
    t = managed(views.flip(x, (0,)).__dlpack__(max_version=(1, 0))).dl_tensor
    assert tensor_info(t) == ((4, 6), (-6, 1)) and t.byte_offset == 0  # strides in elements


def test_zero_d_and_empty():
    for a in (np.array(3.5), np.array(7, dtype=np.int8), np.zeros((0, 3)), np.zeros((2, 0, 5), np.complex64)):
        x = rp.asarray(a)
        n = np.from_dlpack(x)
        assert n.shape == a.shape and n.dtype == a.dtype
        assert_array_equal(n, a)
        y = rp.from_dlpack(a)
        assert y.shape == a.shape and y.dtype == a.dtype
        assert_array_equal(rp.asnumpy(y), a)


# -- the capsule contract --------------------------------------------------------------------------------
def test_max_version_selects_the_capsule():
    x = rp.asarray(sample(np.float64))
    assert capsule_name(x.__dlpack__()) == "dltensor"
    assert capsule_name(x.__dlpack__(max_version=(0, 8))) == "dltensor"
    for requested, version in [((1, 0), (1, 0)), ((1, 1), (1, 1)), ((1, 7), (1, 1)), ((2, 0), (1, 1))]:
        cap = x.__dlpack__(max_version=requested)
        assert capsule_name(cap) == "dltensor_versioned"
        m = managed(cap)
        assert (m.major, m.minor) == version
        assert m.flags == 0  # neither read-only nor copied
        assert m.dl_tensor.data == ptr(x)
        assert tensor_info(m.dl_tensor) == ((3, 4), (4, 1))


def test_read_only():
    a = sample(np.int32)
    a.flags.writeable = False
    x = rp.asarray(a)
    cap = x.__dlpack__(max_version=(1, 0))
    assert managed(cap).flags & 1  # DLPACK_FLAG_BITMASK_READ_ONLY
    n = np.from_dlpack(x)
    assert not n.flags.writeable and n.ctypes.data == a.ctypes.data
    with pytest.raises(BufferError, match="read-only"):
        x.__dlpack__()  # a legacy capsule cannot say so
    y = rp.from_dlpack(a)
    assert y.data.readonly and not y.flags.writeable and ptr(y) == a.ctypes.data
    w = rp.from_dlpack(sample(np.int32))
    assert not w.data.readonly


def test_copy_true_makes_a_distinct_buffer():
    a = sample(np.float64)
    x = rp.asarray(a)
    cap = x.__dlpack__(max_version=(1, 0), copy=True)
    m = managed(cap)
    assert m.flags & 2 and m.dl_tensor.data != ptr(x)  # DLPACK_FLAG_BITMASK_IS_COPIED
    n = np.from_dlpack(x, copy=True)
    assert n.ctypes.data != a.ctypes.data
    assert_array_equal(n, a)
    n[0, 0] = 100
    assert a[0, 0] == 0
    y = rp.from_dlpack(a, copy=True)
    assert ptr(y) != a.ctypes.data
    assert_array_equal(rp.asnumpy(y), a)
    assert ptr(rp.from_dlpack(a, copy=False)) == a.ctypes.data
    ro = sample(np.float64)
    ro.flags.writeable = False
    assert managed(rp.asarray(ro).__dlpack__(max_version=(1, 0), copy=True)).flags == 2  # a writable copy


def test_dl_device_and_stream():
    x = rp.asarray(sample(np.float32))
    assert managed(x.__dlpack__(max_version=(1, 0), dl_device=(1, 0), copy=False)).dl_tensor.data == ptr(x)
    with pytest.raises(BufferError, match="kDLCUDA"):
        x.__dlpack__(max_version=(1, 0), dl_device=(2, 0))
    with pytest.raises(BufferError, match="kDLROCM"):
        x.__dlpack__(max_version=(1, 0), dl_device=(10, 0), copy=True)
    with pytest.raises(ValueError, match="stream"):
        x.__dlpack__(stream=1)


def test_strides_not_a_multiple_of_the_itemsize():
    raw = np.zeros(16, np.int8)
    a = np.lib.stride_tricks.as_strided(raw[:14].view(np.int16), shape=(4,), strides=(3,))
    x = rp.asarray(a)
    with pytest.raises(BufferError, match="strides"):
        x.__dlpack__(max_version=(1, 0))
    # Strides of length-1 dimensions are never used, so they do not matter.
    b = np.lib.stride_tricks.as_strided(raw[:14].view(np.int16), shape=(1, 4), strides=(3, 2))
    assert_array_equal(np.from_dlpack(rp.asarray(b)), b)


def test_unconsumed_capsule_releases_the_array():
    x = rp.asarray(sample(np.float64))
    ref = weakref.ref(x)
    caps = [x.__dlpack__(), x.__dlpack__(max_version=(1, 0))]
    del x
    gc.collect()
    assert ref() is not None  # the capsules keep it alive
    del caps
    gc.collect()
    assert ref() is None


def test_consumed_capsule_lives_as_long_as_the_array():
    a = sample(np.float64)
    ref = weakref.ref(a)
    y = rp.from_dlpack(a)
    z = y.T
    del a, y
    gc.collect()
    assert ref() is not None
    assert_array_equal(rp.asnumpy(z), sample(np.float64).T)
    del z
    gc.collect()
    assert ref() is None  # the deleter ran: NumPy released its array

    x = rp.asarray(sample(np.int16))
    ref = weakref.ref(x)
    n = np.from_dlpack(x)
    del x
    gc.collect()
    assert ref() is not None
    assert_array_equal(n, sample(np.int16))
    del n
    gc.collect()
    assert ref() is None


# -- from_dlpack's arguments and errors ------------------------------------------------------------------
def test_from_dlpack_requires_dlpack():
    for obj in ([1, 2], 3.0, object()):
        with pytest.raises(AttributeError, match="from_dlpack"):
            rp.from_dlpack(obj)


def test_from_dlpack_device_argument():
    a = sample(np.float64)
    for device in ("cpu", rp.Device("cpu")):
        y = rp.from_dlpack(a, device=device)
        assert ptr(y) == a.ctypes.data and y.device == rp.Device("cpu")


def test_from_dlpack_asks_for_version_1_and_passes_copy():
    p = Producer(sample(np.float32))
    y = rp.from_dlpack(p, copy=False)
    assert p.calls == [{"max_version": (1, 1), "dl_device": None, "copy": False}]
    assert ptr(y) == p.arr.ctypes.data


def test_from_dlpack_legacy_producer():
    p = Producer(sample(np.float32), legacy=True)
    y = rp.from_dlpack(p)
    assert ptr(y) == p.arr.ctypes.data
    assert_array_equal(rp.asnumpy(y), p.arr)
    c = rp.from_dlpack(p, copy=True)  # the producer ignores copy=, so rdnarray copies
    assert ptr(c) != p.arr.ctypes.data
    assert_array_equal(rp.asnumpy(c), p.arr)


def test_from_dlpack_gpu_producer():
    p = Producer(sample(np.float32), device=(10, 0))
    with pytest.raises(BufferError, match="GPU backend"):
        rp.from_dlpack(p)
    assert p.calls == []  # refused before asking for a capsule
    y = rp.from_dlpack(p, device="cpu")  # the producer is asked for a host copy
    assert p.calls == [{"max_version": (1, 1), "dl_device": (1, 0), "copy": None}]
    assert_array_equal(rp.asnumpy(y), p.arr)
    with pytest.raises(BufferError):
        rp.from_dlpack(Producer(p.arr, device=(2, 0), legacy=True), device="cpu")


class Lying:
    """Says its data is on the CPU, then exports a capsule on kDLCUDA."""

    def __init__(self, arr, device_type):
        self.arr, self.device_type = arr, device_type

    def __dlpack_device__(self):
        return (1, 0)

    def __dlpack__(self, **kwargs):
        cap = self.arr.__dlpack__(**kwargs)
        managed(cap).dl_tensor.device.device_type = self.device_type
        self.capsule = cap
        return cap


def test_from_dlpack_refuses_device_memory_without_consuming():
    a = sample(np.float64)
    ref = weakref.ref(a)
    p = Lying(a, 2)
    with pytest.raises(BufferError, match="kDLCUDA.*GPU backend"):
        rp.from_dlpack(p)
    assert capsule_name(p.capsule) == "dltensor_versioned"  # not consumed: its destructor frees it
    del a, p
    gc.collect()
    assert ref() is None


def test_from_dlpack_pinned_host_memory_is_host_memory():
    a = sample(np.float64)
    y = rp.from_dlpack(Lying(a, 3))  # kDLCUDAHost
    assert ptr(y) == a.ctypes.data


def test_from_dlpack_unsupported_dtype():
    class Bfloat(Lying):
        def __dlpack__(self, **kwargs):
            cap = self.arr.__dlpack__(**kwargs)
            managed(cap).dl_tensor.dtype.code = 4  # kDLBfloat
            self.capsule = cap
            return cap

    p = Bfloat(np.zeros(3, np.float16), 1)
    with pytest.raises(BufferError, match="bfloat"):
        rp.from_dlpack(p)
    assert capsule_name(p.capsule) == "dltensor_versioned"


def test_a_capsule_is_consumed_once():
    a = sample(np.float64)
    cap = a.__dlpack__(max_version=(1, 0))

    class Same:
        def __dlpack_device__(self):
            return (1, 0)

        def __dlpack__(self, **kwargs):
            return cap

    y = rp.from_dlpack(Same())
    assert capsule_name(cap) == "used_dltensor_versioned"
    with pytest.raises(ValueError, match="capsule"):
        rp.from_dlpack(Same())
    assert_array_equal(rp.asnumpy(y), a)


def test_rdnarray_to_rdnarray():
    a = sample(np.complex64)
    x = rp.asarray(a)
    v = views.flip(x, (1,))
    ref = weakref.ref(v)  # the exported array is held by the DLPack manager
    y = rp.from_dlpack(v)
    assert ptr(y) == ptr(x) + 3 * 8 and y.strides == (32, -8)
    assert_array_equal(rp.asnumpy(y), a[:, ::-1])
    del x, v
    gc.collect()
    assert ref() is not None
    del y
    gc.collect()
    assert ref() is None


def test_asarray_uses_dlpack():
    a = sample(np.float32)
    y = rp.asarray(Producer(a))
    assert ptr(y) == a.ctypes.data


# -- differential: arbitrary arrays and views round-trip both ways ---------------------------------------
@settings(max_examples=50, deadline=None)
@given(hnp.arrays(st.sampled_from(DTYPES), hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)),
       st.data())
def test_round_trip_hypothesis(a, data):
    if a.ndim:
        steps = data.draw(st.lists(st.sampled_from([1, 2, -1, -2]), min_size=a.ndim, max_size=a.ndim))
        a = a[tuple(slice(None, None, s) for s in steps)]
    x = rp.asarray(a)
    n = np.from_dlpack(x)
    assert n.ctypes.data == a.ctypes.data and n.strides == a.strides
    assert_array_equal(n, a)
    y = rp.from_dlpack(a)
    assert ptr(y) == a.ctypes.data and y.strides == a.strides
    assert_array_equal(np.from_dlpack(y), a)


# -- PyTorch on the CPU ----------------------------------------------------------------------------------
TORCH_DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64",
                "complex64", "complex128"]


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", reason="PyTorch is not installed: the DLPack exchange with it is untested")


@pytest.mark.parametrize("name", TORCH_DTYPES)
def test_torch_consumes_rdnarray(torch, name):
    a = sample(getattr(np, name if name != "bool" else "bool_"))
    x = rp.asarray(a)
    t = torch.from_dlpack(x)
    assert t.data_ptr() == ptr(x)
    assert t.dtype == getattr(torch, name)
    assert_array_equal(t.numpy(), a)


@pytest.mark.parametrize("name", TORCH_DTYPES)
def test_rdnarray_consumes_torch(torch, name):
    t = torch.from_numpy(sample(getattr(np, name if name != "bool" else "bool_")))
    y = rp.from_dlpack(t)
    assert ptr(y) == t.data_ptr()
    assert_array_equal(rp.asnumpy(y), t.numpy())


def test_torch_views_and_writes(torch):
    t = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    for v in (t.T, t[::2, 1::3], t[1:, 2]):
        y = rp.from_dlpack(v)
        assert ptr(y) == v.data_ptr()
        assert y.strides == tuple(s * 4 for s in v.stride())
        assert_array_equal(rp.asnumpy(y), v.numpy())
    a = sample(np.float32, (4, 6))
    x = rp.asarray(a)
    back = torch.from_dlpack(rp.transpose(x))
    assert back.stride() == (1, 6) and back.data_ptr() == ptr(x)
    back[0, 1] = -5  # torch writes into rdnarray's memory
    assert a[1, 0] == -5


def test_torch_lifetime(torch):
    t = torch.arange(10, dtype=torch.float64) * 3
    y = rp.from_dlpack(t)
    del t
    gc.collect()
    assert_array_equal(rp.asnumpy(y), np.arange(10) * 3.0)

    a = sample(np.int64)
    x = rp.asarray(a.copy())
    t = torch.from_dlpack(x)
    ref = weakref.ref(x)
    del x
    gc.collect()
    assert ref() is not None  # torch holds the array through the DLPack manager
    assert_array_equal(t.numpy(), a)
    del t
    gc.collect()
    assert ref() is None


# -- GPU arrays with PyTorch on the same GPU ------------------------------------------------------------
def _torch_on_this_gpu():
    torch = pytest.importorskip("torch")
    if not rp.gpu.is_available() or not torch.cuda.is_available():
        pytest.skip("needs a GPU and PyTorch with that GPU")
    if rp.gpu.get_device_properties().arch.startswith("gfx") != bool(getattr(torch.version, "hip", None)):
        pytest.skip("PyTorch here is built for another GPU vendor")
    return torch


@pytest.mark.parametrize("name", TORCH_DTYPES)
def test_gpu_arrays_both_ways_with_torch(name):
    torch = _torch_on_this_gpu()
    a = sample(getattr(np, name if name != "bool" else "bool_"), (4, 6))
    x = rp.asarray(a, device="gpu")
    # (No negative strides: PyTorch 2.11 aborts the process on them instead of raising BufferError.)
    for v, expected in [(x, a), (x.T, a.T), (x[1:, 1::2], a[1:, 1::2]), (x[1:2, 3:4].reshape(()), a[1, 3])]:
        t = torch.from_dlpack(v)
        assert t.device.type == "cuda" and t.data_ptr() == ptr(v)
        assert tuple(t.stride()) == tuple(s // a.itemsize for s in v.strides)
        assert_array_equal(t.cpu().numpy(), expected)
    t = torch.from_numpy(a).to("cuda").t()
    y = rp.from_dlpack(t)
    assert y.device.kind == "gpu" and ptr(y) == t.data_ptr() and y.strides == tuple(s * a.itemsize for s in t.stride())
    assert_array_equal(rp.asnumpy(y), a.T)
    with pytest.raises(BufferError):
        np.from_dlpack(x)  # NumPy cannot read device memory


def test_gpu_export_waits_for_the_consumer_stream():
    torch = _torch_on_this_gpu()
    x = rp.arange(1 << 20, dtype=rp.float32, device="gpu") * 2
    s = torch.cuda.Stream()
    with torch.cuda.stream(s):
        t = torch.from_dlpack(x)  # torch passes its stream; the producer's work is ordered before it
        total = float(t.sum())
    assert total == float(np.sum(np.arange(1 << 20, dtype=np.float64) * 2))
