"""User kernels (rp.ElementwiseKernel, rp.ReductionKernel, rp.RawKernel, rp.RawModule) and rp.fuse.

On the CPU, ElementwiseKernel and ReductionKernel compile their source with the host C++ compiler (the
same source a GPU compiles), and fuse replays its trace on the host backend; both are checked against
NumPy here, and fuse's compiled kernels (run through the host compiler) against its replay. The
generated GPU sources are compiled with NVRTC for sm_90 where NVRTC is installed; running on a GPU
needs one (rdnarray.gpu.is_available()).
"""
import numpy as np
import pytest

import rdnarray as rp
from rdnarray._core.devices import CPU
from rdnarray._fusion import FusionError, fuse
from rdnarray._host_kernels import find_compiler
from rdnarray._user_kernels import ElementwiseKernel, RawKernel, RawModule, ReductionKernel, _pass

needs_cxx = pytest.mark.skipif(find_compiler() is None, reason="no host C++ compiler (g++) to run user kernels "
                               "on CPU arrays")


def gpu_available():
    try:
        from rdnarray import gpu
        return gpu.is_available()
    except ImportError:  # a build without the GPU backend
        return False


needs_gpu = pytest.mark.skipif(not gpu_available(), reason="needs a GPU (rdnarray.gpu.is_available() is False)")


def cpu(a):
    return rp.asarray(a, device="cpu")


def nvrtc():
    from rdnarray._backend import driver
    try:
        return driver.load_rtc("cuda")
    except Exception as e:  # driver.Unavailable, or a build without the driver
        pytest.skip(f"NVRTC is not available: {e}")


def nvrtc_compile(source, name):
    from rdnarray._backend import compiler
    image = nvrtc().compile(source, name, [f"-I{compiler.source_dir()}"], "sm_90")
    assert len(image) > 0


AXPY = ElementwiseKernel("T x, T y, float32 a", "T z", "z = a * x + y", "axpy")
SQUARE_SUM = ReductionKernel("T x", "T y", "x * x", "a + b", "y = a", "0", "square_sum")
L2 = ReductionKernel("T x", "T y", "x * x", "a + b", "y = sqrt(a)", "0", "l2norm")
DTYPES = [np.bool_, np.int8, np.uint16, np.int32, np.int64, np.float16, np.float32, np.float64,
          np.complex64, np.complex128]


# ---- ElementwiseKernel ----------------------------------------------------------------------------

@needs_cxx
def test_elementwise_broadcast_and_scalar():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    y = np.linspace(-1, 1, 4, dtype=np.float32)
    z = AXPY(cpu(x), cpu(y), 2.5)
    assert z.dtype == np.float32 and z.shape == (3, 4)
    np.testing.assert_array_equal(rp.asnumpy(z), np.float32(2.5) * x + y)


@needs_cxx
@pytest.mark.parametrize("dtype", DTYPES)
def test_elementwise_every_dtype(dtype):
    k = ElementwiseKernel("T x, T y", "T z", "z = x + y", "add_t")
    rng = np.random.default_rng(0)
    x = (rng.integers(-50, 50, 24) * (1 + 1j if np.dtype(dtype).kind == "c" else 1)).astype(dtype)
    y = x[::-1].copy()
    expected = x + y
    got = rp.asnumpy(k(cpu(x), cpu(y)))
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, expected)


@needs_cxx
def test_elementwise_views_negative_strides_and_reduce_dims():
    base = np.arange(60, dtype=np.float64).reshape(3, 4, 5)
    x = cpu(base)[:, ::-2, 1::2]          # a strided view with a negative stride
    y = cpu(base)[0, 0]                    # broadcast along the first two axes (shape (5,)) -> sliced
    expected = 2.0 * base[:, ::-2, 1::2] + base[0, 0, 1::2]
    for k in (ElementwiseKernel("T x, T y", "T z", "z = 2 * x + y", "viewk"),
              ElementwiseKernel("T x, T y", "T z", "z = 2 * x + y", "viewk", reduce_dims=False)):
        np.testing.assert_array_equal(rp.asnumpy(k(x, y[1::2])), expected)


@needs_cxx
def test_elementwise_outputs_given_and_checked():
    x = cpu(np.arange(6, dtype=np.float32))
    out = rp.empty((6,), dtype=rp.float32, device="cpu")
    r = AXPY(x, x, 1.0, out)
    assert r is out
    np.testing.assert_array_equal(rp.asnumpy(out), 2 * np.arange(6, dtype=np.float32))
    with pytest.raises(ValueError, match="shape"):
        AXPY(x, x, 1.0, rp.empty((5,), dtype=rp.float32, device="cpu"))
    with pytest.raises(TypeError, match="float64"):
        AXPY(x, x, 1.0, rp.empty((6,), dtype=rp.float64, device="cpu"))
    with pytest.raises(TypeError, match="dtype"):
        AXPY(x, cpu(np.zeros(6)), 1.0)   # T is float32 from x, float64 from y
    before = rp.asnumpy(out).copy()
    with pytest.raises(ValueError, match="read-only"):
        AXPY(x, x, 1.0, rp.broadcast_to(out, (6,)) if False else _readonly(6))
    np.testing.assert_array_equal(rp.asnumpy(out), before)


def _readonly(n):
    a = np.zeros(n, dtype=np.float32)
    a.flags.writeable = False
    return cpu(a)


@needs_cxx
def test_elementwise_raw_index_and_size():
    rev = ElementwiseKernel("raw T x", "T y", "y = x[_ind.size() - i - 1]", "reverse")
    x = np.arange(10, dtype=np.int32)
    np.testing.assert_array_equal(rp.asnumpy(rev(cpu(x), rp.empty((10,), dtype=rp.int32, device="cpu"))),
                                  x[::-1])
    # A raw 2-d view: x[i] walks it in C order through its strides.
    m = np.arange(12, dtype=np.float64).reshape(3, 4)
    flat = ElementwiseKernel("raw T x", "raw T y", "y[i] = x[i] + x.size()", "flat_raw")
    out = flat(cpu(m).T, rp.empty((12,), dtype=rp.float64, device="cpu"), size=12)
    np.testing.assert_array_equal(rp.asnumpy(out), m.T.ravel() + 12)
    with pytest.raises(ValueError, match="size"):
        rev(cpu(x))                                         # raw output, no size
    with pytest.raises(ValueError, match="raw"):
        AXPY(cpu(x.astype(np.float32)), cpu(x.astype(np.float32)), 1.0, size=10)
    iota = ElementwiseKernel("", "raw int64 y", "y[i] = i * i", "iota2")
    np.testing.assert_array_equal(rp.asnumpy(iota(size=5)), np.arange(5) ** 2)


@needs_cxx
def test_elementwise_preamble_loop_prep_and_returns():
    k = ElementwiseKernel("T x", "T y, T w", "y = twice(x) + bias; w = -x", "pre",
                          preamble="template <class T> __device__ T twice(T v) { return v + v; }",
                          loop_prep="const T bias = (T)1;", return_tuple=False)
    y, w = k(cpu(np.arange(4.0)))
    np.testing.assert_array_equal(rp.asnumpy(y), 2 * np.arange(4.0) + 1)
    np.testing.assert_array_equal(rp.asnumpy(w), -np.arange(4.0))
    one = ElementwiseKernel("T x", "T y", "y = x", "ident", return_tuple=True)
    assert isinstance(one(cpu(np.ones(2))), tuple)
    assert ElementwiseKernel("T x", "T y", "y = x", "ident", no_return=True)(cpu(np.ones(2))) is None


@needs_cxx
def test_elementwise_scalar_types_and_empty():
    k = ElementwiseKernel("T x, int8 s", "T y", "y = x * s", "scale_i8")
    np.testing.assert_array_equal(rp.asnumpy(k(cpu(np.arange(3.0)), 3)), np.arange(3.0) * 3)
    with pytest.raises(OverflowError, match="int8"):
        k(cpu(np.arange(3.0)), 300)
    only_scalar = ElementwiseKernel("T a", "T y", "y = a", "fill_t")
    out = only_scalar(2.5, rp.empty((3,), dtype=rp.float64, device="cpu"))
    np.testing.assert_array_equal(rp.asnumpy(out), [2.5, 2.5, 2.5])
    e = AXPY(cpu(np.zeros((0, 3), np.float32)), cpu(np.zeros(3, np.float32)), 1.0)
    assert e.shape == (0, 3) and e.dtype == np.float32


def test_elementwise_declaration_errors():
    with pytest.raises(ValueError, match="ambiguous"):
        ElementwiseKernel("float x", "float32 y", "y = x", "k")
    with pytest.raises(ValueError, match="'i'"):
        ElementwiseKernel("T i", "T y", "y = i", "k")
    with pytest.raises(ValueError, match="twice"):
        ElementwiseKernel("T x", "T x", "x = x", "k")
    with pytest.raises(ValueError, match="kernel name"):
        ElementwiseKernel("T x", "T y", "y = x", "not a name")
    with pytest.raises(ValueError, match="unknown type"):
        ElementwiseKernel("float33 x", "T y", "y = x", "k")
    with pytest.raises(TypeError, match="takes 3 inputs"):
        AXPY(cpu(np.ones(2, np.float32)))
    with pytest.raises(TypeError, match="numpy.ndarray"):
        AXPY(np.ones(2, np.float32), np.ones(2, np.float32), 1.0)
    with pytest.raises(TypeError, match="cannot tell the type U"):
        ElementwiseKernel("T x", "U y", "y = x", "k")(cpu(np.ones(2)))


@needs_cxx
def test_elementwise_compile_error_and_cache():
    from rdnarray._backend.driver import CompileError
    bad = ElementwiseKernel("T x", "T y", "y = undefined_function(x)", "bad_k")
    with pytest.raises(CompileError, match="undefined_function"):
        bad(cpu(np.ones(3)))
    k = ElementwiseKernel("T x", "T y", "y = x * x", "cached_k")
    for n in (3, 5, 7):
        k(cpu(np.ones(n)))
    assert len(k.cached_codes) == 1  # one source for every length of one ndim and dtype


# ---- ReductionKernel ------------------------------------------------------------------------------

@needs_cxx
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2), (0, 1, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_axes(axis, keepdims):
    x = np.arange(60, dtype=np.float64).reshape(3, 4, 5) - 20
    got = SQUARE_SUM(cpu(x), axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(rp.asnumpy(got), np.sum(x * x, axis=axis, keepdims=keepdims))


@needs_cxx
@pytest.mark.parametrize("parts", [2, 5, 64])
def test_reduction_split_in_parts(parts):
    # What a GPU does for few outputs over a long range: parts of the range, then their partial values.
    x = np.arange(300, dtype=np.float64).reshape(3, 100) - 150
    for axis in (None, 1, 0):
        np.testing.assert_allclose(rp.asnumpy(SQUARE_SUM._run(cpu(x), axis=axis, parts=parts)),
                                   np.sum(x * x, axis=axis))
    mx = ReductionKernel("T x", "T y", "x", "a > b ? a : b", "y = a", None, "maxk")
    np.testing.assert_array_equal(rp.asnumpy(mx._run(cpu(x[:, :3]), axis=1, parts=parts)), x[:, :3].max(1))


@needs_cxx
@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.float32, np.complex64, np.complex128])
def test_reduction_dtypes(dtype):
    x = (np.arange(60) % 23 * (1 - 1j if np.dtype(dtype).kind == "c" else 1)).astype(dtype).reshape(6, 10)
    for axis in (None, 1):
        got = rp.asnumpy(SQUARE_SUM(cpu(x), axis=axis))
        assert got.dtype == dtype
        np.testing.assert_allclose(got, np.sum(x * x, axis=axis, dtype=dtype), rtol=1e-6)


@needs_cxx
def test_reduction_post_map_broadcast_views_and_out():
    x = np.arange(20, dtype=np.float32).reshape(4, 5)
    np.testing.assert_allclose(rp.asnumpy(L2(cpu(x).T, axis=1)), np.sqrt((x.T ** 2).sum(1)), rtol=1e-6)
    dot = ReductionKernel("T x, T y", "T z", "x * y", "a + b", "z = a", "0", "dot")
    y = np.arange(5, dtype=np.float32)
    np.testing.assert_allclose(rp.asnumpy(dot(cpu(x), cpu(y), axis=1)), x @ y)
    out = rp.empty((4,), dtype=rp.float32, device="cpu")
    assert dot(cpu(x), cpu(y), axis=1, out=out) is out
    np.testing.assert_allclose(rp.asnumpy(out), x @ y)
    with pytest.raises(ValueError, match="shape"):
        dot(cpu(x), cpu(y), axis=0, out=out)


@needs_cxx
def test_reduction_identity_and_empty():
    mx = ReductionKernel("T x", "T y", "x", "a > b ? a : b", "y = a", None, "maxk")
    x = -np.arange(1, 13, dtype=np.int32).reshape(3, 4)
    np.testing.assert_array_equal(rp.asnumpy(mx(cpu(x), axis=0)), x.max(0))   # no identity needed
    with pytest.raises(ValueError, match="identity"):
        mx(cpu(np.zeros((0, 3), np.int32)), axis=0)
    np.testing.assert_array_equal(rp.asnumpy(mx(cpu(np.zeros((0, 3), np.int32)), axis=1)),
                                  np.zeros((0,), np.int32))  # nothing to reduce into: fine
    s = SQUARE_SUM(cpu(np.zeros((0, 3))), axis=0)
    np.testing.assert_array_equal(rp.asnumpy(s), np.zeros(3))


@needs_cxx
def test_reduction_types():
    # reduce_type as a C++ type ('double'), and as a NumPy name
    mean = ReductionKernel("T x", "float64 y", "x", "a + b", "y = a / _rp_count", "0", "mean_k",
                           reduce_type="double", preamble="#define _rp_count 4.0")
    x = np.arange(8, dtype=np.int16).reshape(2, 4)
    np.testing.assert_allclose(rp.asnumpy(mean(cpu(x), axis=1)), x.mean(1))
    wide = ReductionKernel("T x", "int64 y", "x", "a + b", "y = a", "0", "wide_sum", reduce_type="int64")
    big = np.full(1000, 100, dtype=np.int8)
    assert int(rp.asnumpy(wide(cpu(big)))) == 100_000
    cs = ReductionKernel("T x", "T y", "x", "a + b", "y = a", "", "csum")
    z = (np.arange(6) + 1j * np.arange(6)).astype(np.complex64)
    np.testing.assert_allclose(rp.asnumpy(cs(cpu(z))), z.sum())
    with pytest.raises(NotImplementedError, match="raw"):
        ReductionKernel("raw T x", "T y", "x[0]", "a + b", "y = a", "0", "k")


# ---- RawKernel / RawModule ----------------------------------------------------------------------

RAW_SRC = r'''
extern "C" __global__ void raw_axpy(const float* x, float* y, float a, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i];
}
'''


def test_raw_kernel_needs_gpu_and_validates():
    k = RawKernel(RAW_SRC, "raw_axpy")
    x = cpu(np.ones(4, np.float32))
    with pytest.raises(RuntimeError, match="GPU"):
        k((1,), (32,), (x, x, np.float32(2), np.int32(4)))
    with pytest.raises(ValueError, match="grid"):
        k((0,), (32,), (x,))
    with pytest.raises(NotImplementedError):
        RawKernel(RAW_SRC, "raw_axpy", jitify=True)
    m = RawModule(code=RAW_SRC)
    assert m.get_function("raw_axpy").name == "raw_axpy"
    with pytest.raises(NotImplementedError, match="path"):
        RawModule(path="kernel.cubin")


def test_raw_kernel_source_compiles_with_nvrtc():
    nvrtc_compile(RawKernel(RAW_SRC, "raw_axpy").source, "raw_axpy")


@needs_gpu
def test_raw_kernel_on_gpu():
    x = rp.asarray(np.arange(100, dtype=np.float32), device="gpu")
    y = rp.asarray(np.ones(100, dtype=np.float32), device="gpu")
    RawKernel(RAW_SRC, "raw_axpy")((1,), (128,), (x, y, np.float32(2), np.int32(100)))
    np.testing.assert_array_equal(rp.asnumpy(y), 2 * np.arange(100, dtype=np.float32) + 1)


# ---- generated sources compile for a GPU ---------------------------------------------------------

@pytest.mark.parametrize("case", ["axpy", "raw", "half", "complex", "reduction", "reduction_complex"])
def test_generated_sources_compile_with_nvrtc(case):
    f32 = cpu(np.ones((4, 3), np.float32))
    if case == "axpy":
        src, name = AXPY.source(f32, cpu(np.ones(3, np.float32)), 1.0), "axpy"
    elif case == "raw":
        k = ElementwiseKernel("raw T x, int64 n", "T y", "y = x[_ind.size() - i - 1] + (T)n", "rev_n")
        src, name = k.source(f32, 3, rp.empty((12,), dtype=rp.float32, device="cpu")), "rev_n"
    elif case == "half":
        k = ElementwiseKernel("T x", "T y", "y = T(float(x) * 2.0f)", "half_k")
        src, name = k.source(cpu(np.ones(5, np.float16))), "half_k"
    elif case == "complex":
        k = ElementwiseKernel("T x, T y", "T z", "z = x * y + x", "cplx")
        z = cpu(np.ones(5, np.complex128))
        src, name = k.source(z, z), "cplx"
    elif case == "reduction":
        src, name = L2.source(f32, axis=0), "l2norm"
        for k in (1, 2):  # the passes of a split reduction
            nvrtc_compile(_pass(L2.source(f32, parts=4), k), name)
    else:
        cs = ReductionKernel("T x", "T y", "x", "a + b", "y = a", "", "csum")
        src, name = cs.source(cpu(np.ones((3, 4), np.complex64)), axis=(0, 1)), "csum"
    assert "RP_UK_BLOCK 256" in src or case not in ("reduction", "reduction_complex")
    nvrtc_compile(src, name)


# ---- fuse --------------------------------------------------------------------------------------

def compiled(f, *args):
    """f's kernels run through the host compiler (what a GPU runs, on the CPU)."""
    t = f.trace(args)
    return f.program(t, args).run(CPU, args)


def assert_same(a, b, rtol=0):
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y, rtol)
        return
    a, b = rp.asnumpy(a), rp.asnumpy(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    if rtol:
        np.testing.assert_allclose(a, b, rtol=rtol)
    else:
        np.testing.assert_array_equal(a, b)


@fuse
def softplus_stats(x, y, beta):
    z = rp.log1p(rp.exp(beta * x)) / beta + y
    return z, rp.sum(z * z, axis=0), rp.max(x), rp.mean(z, axis=1, keepdims=True)


@fuse
def mixed(x, y):
    q, r = rp.divmod(x, 2.5)
    return rp.where(x > 2, x, y * 3), q, r, (x > 1) & (y < 2), x.astype(rp.int16) // 3


@needs_cxx
def test_fuse_matches_direct_call_and_kernels():
    x = cpu(np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4))
    y = cpu(np.linspace(0, 1, 4, dtype=np.float32))
    for f, args in ((softplus_stats, (x, y, 1.5)), (mixed, (x, y))):
        direct = f.func(*args)
        assert_same(f(*args), direct)                    # replay on the CPU: the very same operations
        assert_same(compiled(f, *args), direct, rtol=2e-6)


@needs_cxx
@pytest.mark.parametrize("dtype", [np.int8, np.uint32, np.int64, np.float16, np.float64, np.complex64])
def test_fuse_dtypes(dtype):
    @fuse
    def f(a, b):
        return a * b + 3, rp.sum(a, axis=-1), a == b
    a = cpu((np.arange(12) % 7).astype(dtype).reshape(2, 6))
    b = cpu((np.arange(6) % 5 + 1).astype(dtype))
    assert_same(f(a, b), f.func(a, b))
    assert_same(compiled(f, a, b), f.func(a, b), rtol=1e-3 if dtype == np.float16 else 1e-12)


@needs_cxx
def test_fuse_in_place_updates():
    @fuse
    def step(v, i_in, tau):
        v += (i_in - v) / tau
        spike = v > 1.0
        v[...] = rp.where(spike, 0.0, v)
        return spike
    i_in = cpu(np.linspace(0, 3, 8))
    v1, v2 = cpu(np.full(8, 0.9)), cpu(np.full(8, 0.9))
    s1 = step(v1, i_in, 2.0)
    s2 = compiled(step, v2, i_in, 2.0)
    assert_same(s1, s2)
    assert_same(v1, v2)
    ref = np.full(8, 0.9) + (np.linspace(0, 3, 8) - 0.9) / 2.0
    np.testing.assert_allclose(rp.asnumpy(v1), np.where(ref > 1, 0, ref))


@needs_cxx
def test_fuse_assigns_a_scalar_to_a_whole_argument():
    @fuse
    def reset(v, level):
        before = v * 2
        v[...] = level        # a Python scalar (a kernel parameter), cast to v's dtype as NumPy casts it
        return before
    for dtype, level in ((np.float64, 0.5), (np.int32, 7), (np.float32, -2.25)):
        v1, v2 = cpu(np.arange(6, dtype=dtype)), cpu(np.arange(6, dtype=dtype))
        assert_same(reset(v1, level), compiled(reset, v2, level))
        assert_same(v1, v2)
        np.testing.assert_array_equal(rp.asnumpy(v2), np.full(6, level, dtype=dtype))
        assert_same(compiled(reset, v2, level), cpu(np.full(6, level, dtype=dtype) * 2))


@needs_cxx
def test_fuse_scalars_are_parameters_unless_used_in_python():
    @fuse
    def scale(x, a):
        return x * a
    x = cpu(np.arange(4, dtype=np.float32))
    for a in (2.0, 3.0, -1.5):
        assert_same(scale(x, a), x * a)
        assert_same(compiled(scale, x, a), x * a)
    assert len(scale._traces) == 1 and not scale._bake

    @fuse
    def half_dt(x, dt):
        return x * (dt / 2)               # Python arithmetic on dt: its value becomes part of the key
    for dt in (1.0, 4.0):
        assert_same(half_dt(x, dt), x * (dt / 2))
        assert_same(compiled(half_dt, x, dt), x * (dt / 2))
    assert half_dt._bake and len(half_dt._traces) == 2

    @fuse
    def count(x, n):
        for _ in range(n):                # control flow on n: baked too
            x = x + 1
        return x
    assert_same(count(x, 2), x + 2)
    assert_same(count(x, 3), x + 3)


@needs_cxx
def test_fuse_scalar_kinds():
    @fuse
    def f(x, k, flag, s):
        return (x + 2) * s, x > k, rp.logical_and(x > 0, flag)
    x = cpu(np.arange(6, dtype=np.uint8))
    args = (x, 300, True, np.float32(0.5))  # 300 is beyond uint8: the comparison stays exact
    assert_same(f(*args), f.func(x, 300, True, rp.asarray(np.float32(0.5), device="cpu")))
    assert_same(compiled(f, x, 300, True, cpu(np.float32(0.5))), f(*args))


@fuse
def fma4(a, b, c, d):
    return a * b + c * d - a


@fuse
def dense_mixed(x, h, k, scale):
    y = x * scale + h          # float32 * Python float + float16 -> float32
    x += 1.0                   # an argument updated in place (loaded, then stored)
    return y, (y > k) | (h < 0), rp.sqrt(rp.abs(y)).astype(rp.float16)


@needs_cxx
@pytest.mark.parametrize("n", [1, 7, 64, 1027])
def test_fuse_dense_kernel(n):
    # Arrays of the loop's shape: the dense kernel (vector loads; n % VEC elements in the tail) on
    # dense, aligned arguments, and the general ElementwiseKernel on views; the same bits either way.
    rng = np.random.default_rng(n)
    a, b, c, d = (rng.standard_normal(n).astype(np.float32) for _ in range(4))
    args = tuple(cpu(v) for v in (a, b, c, d))
    program = fma4.program(fma4.trace(args), args)
    assert program.dense is not None and program.dense.vec == 4
    assert program.dense.run(CPU, args, {})
    assert_same(compiled(fma4, *args), fma4.func(*args))
    assert_same(fma4(*args), fma4.func(*args))
    assert_same(fma4(*args), fma4.func(*args))  # the second call: one lookup finds trace and program
    assert ((np.dtype(np.float32), (n,), id(CPU)),) * 4 in fma4._ready
    base = cpu(np.concatenate([a, a]))
    shifted = base[1:n + 1]                       # misaligned: the general kernel
    assert not program.dense.run(CPU, (shifted,) + args[1:], {})
    assert_same(compiled(fma4, shifted, *args[1:]), fma4.func(shifted, *args[1:]))
    strided = base[::2]                           # not contiguous (but for n == 1): the general kernel
    assert program.dense.run(CPU, (strided,) + args[1:], {}) == (n == 1)
    assert_same(compiled(fma4, strided, *args[1:]), fma4.func(strided, *args[1:]))

    @fuse
    def product_and_sums(a, b):  # a reduction first, then the dense kernel for the elementwise result
        z = a * b
        return z, rp.sum(z, axis=0), rp.max(z)
    pos = (cpu(np.abs(a)), cpu(np.abs(b)))  # (a sum of positive terms: a relative tolerance applies)
    program = product_and_sums.program(product_and_sums.trace(pos), pos)
    assert len(program.stages) == 3 and program.dense is not None
    assert_same(compiled(product_and_sums, *pos), product_and_sums.func(*pos), rtol=1e-5)

    x = rng.standard_normal((n, 3)).astype(np.float32)
    h = rng.standard_normal((n, 3)).astype(np.float16)
    k = np.array(0.25, np.float32)
    x1, x2 = cpu(x.copy()), cpu(x.copy())
    program = dense_mixed.program(dense_mixed.trace((x1, cpu(h), cpu(k), 1.5)), (x1, cpu(h), cpu(k), 1.5))
    assert program.dense is None  # k is 0-d: it broadcasts
    got = compiled(dense_mixed, x1, cpu(h), 0.25, 1.5)
    want = dense_mixed.func(x2, cpu(h), 0.25, 1.5)
    dense = dense_mixed.program(dense_mixed.trace((x1, cpu(h), 0.25, 1.5)), (x1, cpu(h), 0.25, 1.5)).dense
    assert dense is not None and dense.vec == 4
    assert_same(got, want)
    assert_same(x1, x2)


def test_fuse_unsupported_constructs_raise():
    x = cpu(np.arange(6, dtype=np.float64).reshape(2, 3))

    @fuse
    def control(x):
        if rp.sum(x) > 0:
            return x
        return -x

    @fuse
    def view(x):
        return x[0] + 1

    @fuse
    def other(x):
        return rp.matmul(x, x.T)

    @fuse
    def variance(x):
        return rp.var(x)

    @fuse
    def created(x):
        return x + rp.asarray([1.0, 2.0, 3.0])

    @fuse
    def write_and_reduce(x):
        x += 1
        return rp.sum(x)

    @fuse
    def user_kernel(x):
        return AXPY(x, x, 1.0)

    for f, match in ((control, "control flow"), (view, "view"), (other, "matmul"), (variance, "var"),
                     (created, "different devices|created"), (write_and_reduce, "reduction"),
                     (user_kernel, "user kernels")):
        with pytest.raises((TypeError, ValueError), match=match):
            f(x)
    with pytest.raises(TypeError, match="arrays or scalars"):
        fuse(lambda a: a)(np.ones(3))
    assert fuse(lambda a, b: a + b)(1, 2) == 3    # no array: the function itself, as in CuPy
    assert issubclass(FusionError, TypeError)


def test_fuse_nested_is_inlined():
    @fuse
    def inner(x):
        return x * 2

    @fuse
    def outer(x):
        return inner(x) + 1
    x = cpu(np.arange(3.0))
    assert_same(outer(x), x * 2 + 1)
    assert len(outer.program(outer.trace((x,)), (x,)).stages) == 1


def test_fuse_decorator_forms():
    def f(x):
        return x + 1
    x = cpu(np.arange(3.0))
    for g in (fuse(f), fuse()(f), fuse(kernel_name="plus_one")(f)):
        assert_same(g(x), x + 1)
    assert fuse(kernel_name="plus_one")(f).name == "plus_one"
    assert fuse(lambda a: a * 2).name == "fused_lambda"


def test_fused_sources_compile_with_nvrtc():
    x = cpu(np.ones((3, 4), np.float32))
    y = cpu(np.ones(4, np.float32))
    args = (x, y, 1.5)
    program = softplus_stats.program(softplus_stats.trace(args), args)
    sources = program.sources(args)
    assert len(sources) == 4  # three reductions, then one elementwise kernel
    for src, name in sources:
        nvrtc_compile(src, name)
    args = (x, y)
    for src, name in mixed.program(mixed.trace(args), args).sources(args):
        nvrtc_compile(src, name)
    # the dense kernel, beside the general one (float16 and bool arrays, scalars, an update in place)
    for f, args in ((fma4, (x,) * 4), (dense_mixed, (x, cpu(np.ones((3, 4), np.float16)), 0.5, 1.5))):
        program = f.program(f.trace(args), args)
        sources = program.sources(args)
        assert program.dense is not None and sources[-1] == (program.dense.source, program.dense.name)
        for src, name in sources:
            nvrtc_compile(src, name)


def gpu(a):
    return rp.asarray(a, device="gpu")


@needs_gpu
@pytest.mark.parametrize("dtype", DTYPES)
def test_elementwise_and_reduction_on_gpu(dtype):
    k = ElementwiseKernel("T x, T y", "T z", "z = x + y", "add_t")
    x = (np.arange(3000) % 97 * (1 + 1j if np.dtype(dtype).kind == "c" else 1)).astype(dtype).reshape(30, 100)
    y = x[0].copy()
    np.testing.assert_array_equal(rp.asnumpy(k(gpu(x), gpu(y))), x + y)
    np.testing.assert_array_equal(rp.asnumpy(k(gpu(x)[:, ::-3], gpu(y)[::-3])), x[:, ::-3] + y[::-3])
    if dtype in (np.float16, np.bool_):
        return
    for axis in (None, 0, 1, (0, 1)):
        for keepdims in (False, True):
            got = rp.asnumpy(SQUARE_SUM(gpu(x), axis=axis, keepdims=keepdims))
            np.testing.assert_allclose(got, np.sum(x * x, axis=axis, keepdims=keepdims, dtype=dtype), rtol=1e-5)
    big = np.arange(200_001, dtype=np.float64) % 13
    np.testing.assert_allclose(rp.asnumpy(SQUARE_SUM(gpu(big))), (big * big).sum())


@needs_gpu
def test_user_kernels_on_gpu():
    x = np.linspace(-2, 2, 3000, dtype=np.float32).reshape(30, 100)
    y = np.linspace(0, 1, 100, dtype=np.float32)
    gx, gy = gpu(x), gpu(y)
    np.testing.assert_allclose(rp.asnumpy(AXPY(gx, gy, 2.0)), 2 * x + y, rtol=1e-6)
    for axis in (None, 0, 1):
        np.testing.assert_allclose(rp.asnumpy(L2(gx, axis=axis)), np.sqrt((x * x).sum(axis=axis)), rtol=1e-5)
    rev = ElementwiseKernel("raw T x", "T y", "y = x[_ind.size() - i - 1]", "reverse")
    np.testing.assert_array_equal(rp.asnumpy(rev(gx.T, rp.empty((3000,), dtype=rp.float32, device="gpu"))),
                                  x.T.ravel()[::-1])
    mx = ReductionKernel("T x", "T y", "x", "a > b ? a : b", "y = a", None, "maxk")
    np.testing.assert_array_equal(rp.asnumpy(mx(gpu(-x - 5), axis=1)), (-x - 5).max(1))


@needs_gpu
def test_fuse_on_gpu():
    x = np.linspace(-3, 3, 1200, dtype=np.float32).reshape(30, 40)
    y = np.linspace(0, 1, 40, dtype=np.float32)
    for f, args in ((softplus_stats, (x, y, 1.5)), (mixed, (x, y))):
        host = f(*[cpu(a) if isinstance(a, np.ndarray) else a for a in args])
        dev = f(*[gpu(a) if isinstance(a, np.ndarray) else a for a in args])
        assert_same(dev, host, rtol=2e-6)

    @fuse
    def step(v, i_in, tau):
        v += (i_in - v) / tau
        spike = v > 1.0
        v[...] = rp.where(spike, 0.0, v)
        return spike
    i_in = np.linspace(0, 3, 1000)
    vh, vd = cpu(np.full(1000, 0.9)), gpu(np.full(1000, 0.9))
    for tau in (2.0, 3.0):
        assert_same(step(vd, gpu(i_in), tau), step(vh, cpu(i_in), tau))
        assert_same(vd, vh)
    # the dense kernel (vector loads, a tail) and the general one on views of the same data
    # (the GPU compiler may contract a * b + c into one fma: equal to NumPy's within a rounding)
    for n in (1, 4099, 1 << 20):
        a = [np.random.default_rng(k).standard_normal(n + 1).astype(np.float32) for k in range(4)]
        want = rp.asnumpy(fma4.func(*[cpu(v[:n]) for v in a]))
        np.testing.assert_allclose(rp.asnumpy(fma4(*[gpu(v[:n]) for v in a])), want, rtol=1e-6, atol=1e-6)
        want = rp.asnumpy(fma4.func(*[cpu(v[1:]) for v in a]))
        np.testing.assert_allclose(rp.asnumpy(fma4(*[gpu(v)[1:] for v in a])), want, rtol=1e-6, atol=1e-6)
    x = np.random.default_rng(5).standard_normal((300, 7)).astype(np.float32)
    h = np.random.default_rng(6).standard_normal((300, 7)).astype(np.float16)
    xh, xd = cpu(x.copy()), gpu(x.copy())
    got, want = dense_mixed(xd, gpu(h), 0.25, 1.5), dense_mixed(xh, cpu(h), 0.25, 1.5)
    np.testing.assert_allclose(rp.asnumpy(got[0]), rp.asnumpy(want[0]), rtol=1e-6, atol=1e-6)
    assert_same(got[2], want[2], rtol=1e-3)
    assert_same(xd, xh)
