"""The public namespace: every Array API 2025.12 name, NumPy coverage, where functions say they live, and
the long tail of NumPy names in rdnarray/_numpy_extras.py."""
import types

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import rdnarray as rp

# From the 2025.12 stubs (data-apis/array-api, src/array_api_stubs/_2025_12): the namespace's __all__ lists,
# the data types and constants.
ARRAY_API_NAMESPACE = [
    # constants
    "e", "inf", "nan", "newaxis", "pi",
    # data types
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128",
    # creation_functions
    "arange", "asarray", "empty", "empty_like", "eye", "from_dlpack", "full", "full_like", "linspace",
    "meshgrid", "ones", "ones_like", "tril", "triu", "zeros", "zeros_like",
    # data_type_functions
    "astype", "can_cast", "finfo", "iinfo", "isdtype", "result_type",
    # elementwise_functions
    "abs", "acos", "acosh", "add", "asin", "asinh", "atan", "atan2", "atanh", "bitwise_and", "bitwise_left_shift",
    "bitwise_invert", "bitwise_or", "bitwise_right_shift", "bitwise_xor", "ceil", "clip", "conj", "copysign",
    "cos", "cosh", "divide", "equal", "exp", "expm1", "floor", "floor_divide", "greater", "greater_equal",
    "hypot", "imag", "isfinite", "isinf", "isnan", "less", "less_equal", "log", "log1p", "log2", "log10",
    "logaddexp", "logical_and", "logical_not", "logical_or", "logical_xor", "maximum", "minimum", "multiply",
    "negative", "nextafter", "not_equal", "positive", "pow", "real", "reciprocal", "remainder", "round",
    "sign", "signbit", "sin", "sinh", "square", "sqrt", "subtract", "tan", "tanh", "trunc",
    # indexing_functions
    "take", "take_along_axis",
    # linear_algebra_functions
    "matmul", "matrix_transpose", "tensordot", "vecdot",
    # manipulation_functions
    "broadcast_arrays", "broadcast_shapes", "broadcast_to", "concat", "expand_dims", "flip", "moveaxis",
    "permute_dims", "repeat", "reshape", "roll", "squeeze", "stack", "tile", "unstack",
    # searching_functions
    "argmax", "argmin", "count_nonzero", "nonzero", "searchsorted", "where",
    # set_functions
    "isin", "unique_all", "unique_counts", "unique_inverse", "unique_values",
    # sorting_functions
    "argsort", "sort",
    # statistical_functions
    "cumulative_sum", "cumulative_prod", "max", "mean", "min", "prod", "std", "sum", "var",
    # utility_functions
    "all", "any", "diff",
    # info, and the extension modules
    "__array_namespace_info__", "__array_api_version__", "linalg", "fft",
]

ARRAY_API_LINALG = [
    "cholesky", "cross", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh", "inv", "matmul", "matrix_norm",
    "matrix_power", "matrix_rank", "matrix_transpose", "outer", "pinv", "qr", "slogdet", "solve", "svd", "svdvals",
    "tensordot", "trace", "vecdot", "vector_norm",
]

ARRAY_API_FFT = [
    "fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft", "fftfreq", "rfftfreq",
    "fftshift", "ifftshift",
]

ARRAY_API_INFO = ["capabilities", "default_device", "default_dtypes", "devices", "dtypes"]

# Public functions that are NumPy's own objects on purpose: pure metadata or NumPy's process-wide state
# (error handling, print options) that the host backend computes under.
NUMPY_OBJECTS = {
    "datetime_data", "get_printoptions", "getbufsize", "geterr", "geterrcall", "info", "issubdtype",
    "mintypecode", "printoptions", "set_printoptions", "setbufsize", "seterr", "seterrcall", "typename",
}

NUMPY_PUBLIC = [n for n in dir(np) if not n.startswith("_")]


@pytest.mark.parametrize("name", ARRAY_API_NAMESPACE)
def test_array_api_name(name):
    assert hasattr(rp, name), f"rdnarray.{name} is missing"


@pytest.mark.parametrize("name", ARRAY_API_LINALG)
def test_array_api_linalg_name(name):
    assert callable(getattr(rp.linalg, name, None)), f"rdnarray.linalg.{name} is missing"


@pytest.mark.parametrize("name", ARRAY_API_FFT)
def test_array_api_fft_name(name):
    assert callable(getattr(rp.fft, name, None)), f"rdnarray.fft.{name} is missing"


def test_array_api_info_and_version():
    info = rp.__array_namespace_info__()
    for name in ARRAY_API_INFO:
        assert callable(getattr(info, name, None)), f"__array_namespace_info__().{name} is missing"
    assert rp.__array_api_version__ == "2025.12"
    assert rp.asarray([1.0]).__array_namespace__() is rp


def test_array_api_dtypes_are_numpy_dtypes():
    for name in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                 "float32", "float64", "complex64", "complex128"):
        assert np.dtype(getattr(rp, name)) == np.dtype(name)


def test_all_lists_only_existing_names():
    missing = [n for n in rp.__all__ if not hasattr(rp, n)]
    assert not missing, f"in rdnarray.__all__ but not defined: {missing}"
    assert len(set(rp.__all__)) == len(rp.__all__), "rdnarray.__all__ has duplicates"


def numpy_coverage():
    """(fraction of NumPy's public top-level names that rdnarray has, the missing names)."""
    missing = [n for n in NUMPY_PUBLIC if not hasattr(rp, n)]
    return 1 - len(missing) / len(NUMPY_PUBLIC), missing


def test_numpy_coverage_is_measured():
    coverage, missing = numpy_coverage()
    print(f"\nrdnarray has {coverage:.1%} of NumPy's {len(NUMPY_PUBLIC)} public names; missing ({len(missing)}): "
          + " ".join(missing))
    assert 0 < coverage <= 1


def test_numpy_coverage_at_least_95_percent():
    coverage, missing = numpy_coverage()
    assert coverage >= 0.95, f"coverage {coverage:.1%}; missing: {' '.join(missing)}"


def public_functions():
    for name in dir(rp):
        if name.startswith("_"):
            continue
        obj = getattr(rp, name)
        if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
            yield name, obj


def test_functions_live_in_rdnarray():
    wrong = {name: obj.__module__ for name, obj in public_functions()
             if name not in NUMPY_OBJECTS and obj.__module__ != "rdnarray"}
    assert not wrong, f"public functions whose __module__ is not rdnarray: {wrong}"
    for ns, path in ((rp.linalg, "rdnarray.linalg"), (rp.fft, "rdnarray.fft"), (rp.random, "rdnarray.random")):
        wrong = {n: getattr(ns, n).__module__ for n in ns.__all__
                 if isinstance(getattr(ns, n), types.FunctionType)
                 and getattr(ns, n).__module__ not in (path, "rdnarray")}  # some are the top-level functions
        assert not wrong, f"{path} functions with another __module__: {wrong}"


def test_numpy_object_exceptions_are_numpy_objects():
    # The exception list must stay honest: each entry is NumPy's object, not a stale name.
    for name in NUMPY_OBJECTS:
        assert getattr(rp, name) is getattr(np, name), name


def test_ufuncs_live_in_rdnarray():
    for name in ("add", "sin", "equal", "bitwise_and"):
        f = getattr(rp, name)
        assert isinstance(f, rp.ufunc) and f.__module__ == "rdnarray" and f.__name__ == name


def test_numpy_metadata_reexports():
    # Scalar types and abstract dtype classes are NumPy's, so issubdtype and isinstance checks agree.
    assert rp.floating is np.floating and rp.intp is np.intp and rp.complexfloating is np.complexfloating
    assert rp.issubdtype(rp.asarray([1.0]).dtype, rp.floating)
    assert rp.errstate is np.errstate


# -- the long tail (rdnarray/_numpy_extras.py) --------------------------------------------------------------


def same(result, expected):
    assert isinstance(result, rp.ndarray), type(result)
    got, expected = rp.asnumpy(result), np.asarray(expected)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    assert_array_equal(got, expected)


def test_printing_goes_through_numpy():
    a = np.arange(6.0).reshape(2, 3)
    x = rp.asarray(a)
    assert rp.array2string(x, precision=2) == np.array2string(a, precision=2)
    assert rp.array_repr(x.T) == np.array_repr(a.T)
    assert rp.array_str(x[::-1]) == np.array_str(a[::-1])
    assert rp.format_float_positional(rp.asarray(np.float32(0.1))) == np.format_float_positional(np.float32(0.1))
    assert rp.format_float_scientific(1.5, precision=2) == np.format_float_scientific(1.5, precision=2)
    assert rp.binary_repr(rp.asarray(-5), width=8) == np.binary_repr(-5, width=8)
    assert rp.base_repr(255, 16, padding=2) == np.base_repr(255, 16, padding=2)
    with rp.printoptions(precision=1):
        assert repr(rp.asarray([1.234], device="cpu")) == "array([1.2])"
    with pytest.raises(TypeError):
        rp.binary_repr(1.5)


def test_save_load_roundtrip(tmp_path):
    a = np.arange(12, dtype=np.int16).reshape(3, 4)
    x = rp.asarray(a)
    rp.save(tmp_path / "a.npy", x.T)
    same(rp.load(tmp_path / "a.npy"), a.T)
    rp.savez(tmp_path / "b.npz", x, second=x[::-1])
    rp.savez_compressed(tmp_path / "c.npz", x)
    d = rp.load(tmp_path / "b.npz")
    same(d["arr_0"], a)
    same(d["second"], a[::-1])
    same(rp.load(tmp_path / "c.npz")["arr_0"], a)
    rp.savetxt(tmp_path / "t.txt", x, fmt="%d")
    same(rp.loadtxt(tmp_path / "t.txt", dtype=np.int16), a)
    same(rp.genfromtxt(tmp_path / "t.txt"), a.astype(np.float64))
    x.astype(rp.float32).__array__().tofile(tmp_path / "raw.bin")
    same(rp.fromfile(tmp_path / "raw.bin", dtype=rp.float32), a.ravel().astype(np.float32))
    with pytest.raises(TypeError):
        rp.fromfile(tmp_path / "raw.bin", dtype=np.float128 if hasattr(np, "float128") else object)


def test_from_buffers_and_memmap(tmp_path):
    same(rp.frombuffer(b"\x01\x02\x03\x04", dtype=rp.uint16), np.frombuffer(b"\x01\x02\x03\x04", np.uint16))
    assert rp.frombuffer(b"\x01\x02", dtype=rp.uint8, device="cpu").flags.writeable is False  # shares the bytes
    same(rp.fromiter((i * i for i in range(4)), dtype=rp.int32), np.arange(4, dtype=np.int32) ** 2)
    same(rp.fromstring("1, 2, 3", sep=","), np.array([1.0, 2.0, 3.0]))
    path = tmp_path / "m.dat"
    np.arange(4, dtype=np.float32).tofile(path)
    m = rp.memmap(path, dtype=rp.float32, mode="r+", shape=(4,), device="cpu")  # a GPU memmap is a copy
    same(m, np.arange(4, dtype=np.float32))
    m[0] = 42.0
    del m
    assert np.fromfile(path, np.float32)[0] == 42.0


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.float64, np.complex128])
def test_polynomials(dtype):
    p = np.array([1, -3, 2], dtype)
    q = np.array([1, 1], dtype)
    P, Q = rp.asarray(p), rp.asarray(q)
    same(rp.polyval(P, rp.asarray(np.array([0, 1, 2.5]))), np.polyval(p, np.array([0, 1, 2.5])))
    same(rp.polyadd(P, Q), np.polyadd(p, q))
    same(rp.polysub(P, Q), np.polysub(p, q))
    same(rp.polymul(P, Q[::-1]), np.polymul(p, q[::-1]))
    quot, rem = rp.polydiv(P, Q)
    same(quot, np.polydiv(p, q)[0])
    same(rem, np.polydiv(p, q)[1])
    same(rp.polyder(P, 1), np.polyder(p, 1))
    same(rp.polyint(P, 2), np.polyint(p, 2))
    assert_allclose(np.sort_complex(rp.asnumpy(rp.roots(P))), np.sort_complex(np.roots(p)))
    assert_allclose(rp.asnumpy(rp.poly(rp.asarray([1.0, 2.0]))), np.poly([1.0, 2.0]))


def test_polyfit():
    x = np.linspace(0, 1, 9)
    y = 3 * x ** 2 - x + 0.5
    same(rp.polyfit(rp.asarray(x), rp.asarray(y), 2), np.polyfit(x, y, 2))
    coef, cov = rp.polyfit(rp.asarray(x), rp.asarray(y + 0.01 * np.sin(9 * x)), 1, cov=True)
    assert coef.shape == (2,) and cov.shape == (2, 2) and isinstance(cov, rp.ndarray)


@pytest.mark.parametrize("M", [0, 1, 5, 8])
def test_windows(M):
    for name in ("bartlett", "blackman", "hamming", "hanning"):
        same(getattr(rp, name)(M), getattr(np, name)(M))
    same(rp.kaiser(M, 8.6), np.kaiser(M, 8.6))
    with pytest.raises(TypeError):
        rp.hanning(2.5)


def test_shape_queries():
    a = np.zeros((2, 3, 4))
    x = rp.asarray(a)
    assert (rp.ndim(x), rp.shape(x), rp.size(x)) == (3, (2, 3, 4), 24)
    assert rp.size(x, 1) == 3 and rp.size(x, (0, 2)) == 8 and rp.size([[1, 2]]) == 2
    assert rp.ndim(5) == 0 and rp.shape([[1, 2]]) == (1, 2)
    with pytest.raises(np.exceptions.AxisError):
        rp.size(x, 3)
    assert rp.iterable(x) and rp.iterable([1]) and not rp.iterable(rp.asarray(1.0)) and not rp.iterable(3)
    assert rp.isscalar(3.0) and rp.isscalar("a") and not rp.isscalar(rp.asarray(3.0)) and not rp.isscalar([1])


def test_memory_overlap():
    x = rp.arange(12).reshape(3, 4)
    assert rp.may_share_memory(x, x.T) and rp.shares_memory(x, x[1])
    assert not rp.may_share_memory(x[0], x[1])
    evens, odds = x.reshape(-1)[::2], x.reshape(-1)[1::2]
    assert rp.may_share_memory(evens, odds) and not rp.shares_memory(evens, odds)
    assert not rp.may_share_memory(x, rp.asarray(x, copy=True))
    assert not rp.shares_memory(x, rp.zeros(0))
    assert rp.shares_memory(x[::-1], x[2])


def test_layout_helpers():
    a = np.arange(6.0).reshape(2, 3)
    f = rp.asfortranarray(rp.asarray(a))
    assert f.flags.f_contiguous and not f.flags.c_contiguous and rp.isfortran(f)
    same(f, a)
    assert not rp.isfortran(rp.asarray(a))
    r = rp.require(f, requirements=["C", "W"])
    assert r.flags.c_contiguous
    same(r, a)
    same(rp.require([1, 2], dtype=rp.float32), np.array([1, 2], np.float32))
    with pytest.raises(ValueError):
        rp.require(a, requirements=["C", "F"])
    with pytest.raises(KeyError):
        rp.require(a, requirements="Z")
    same(rp.asarray_chkfinite([1.0, 2.0]), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="asarray_chkfinite"):
        rp.asarray_chkfinite(rp.asarray([1.0, np.nan]))


def test_iteration_helpers():
    a = np.arange(6).reshape(2, 3)
    x = rp.asarray(a)
    assert list(rp.ndenumerate(x.T)) == list(np.ndenumerate(a.T))
    assert list(rp.ndindex(2, 2)) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    b = rp.broadcast(x, rp.asarray([10, 20, 30]))
    nb = np.broadcast(a, np.array([10, 20, 30]))
    assert (b.shape, b.ndim, b.size, b.numiter) == (nb.shape, nb.ndim, nb.size, nb.numiter)
    assert list(b) == list(nb)
    with pytest.raises(ValueError, match="broadcast"):
        rp.broadcast(x, rp.zeros(4))
    assert x[rp.s_[::2, 1]].shape == (1,) and rp.index_exp[1] == (1,)


def test_apply_helpers():
    a = np.arange(12.0).reshape(3, 4)
    x = rp.asarray(a)
    seen = []

    def f(row):
        seen.append(type(row))
        return rp.add(rp.multiply(row, 2), row[0])

    same(rp.apply_along_axis(f, 1, x), np.apply_along_axis(lambda r: r * 2 + r[0], 1, a))
    assert set(seen) == {rp.ndarray}
    same(rp.apply_along_axis(lambda c: rp.asarray(c.shape[0]), 0, x.T), np.full(3, 4))
    with pytest.raises(np.exceptions.AxisError):
        rp.apply_along_axis(f, 2, x)

    def host_sum(arr, axis):
        return arr.device.backend.run("sum", arr, axis=axis)

    same(rp.apply_over_axes(host_sum, x, [0, 1]), np.apply_over_axes(np.sum, a, [0, 1]))
    same(rp.apply_over_axes(host_sum, x, 1), np.apply_over_axes(np.sum, a, 1))


def test_vectorize_and_frompyfunc_run_on_the_host():
    def clamp(v, hi):
        return v if v < hi else hi

    a = np.arange(6.0).reshape(2, 3)
    v = rp.vectorize(clamp)
    same(v(rp.asarray(a), 3.0), np.vectorize(clamp)(a, 3.0))
    same(rp.vectorize(clamp, otypes=[rp.float32])(rp.asarray(a).T, 2), np.vectorize(clamp, otypes=[np.float32])(a.T, 2))

    @rp.vectorize(otypes=[rp.int64])
    def double(v):
        return 2 * v

    same(double(rp.asarray([1, 2])), np.array([2, 4]))
    g = rp.frompyfunc(lambda p, q: (p + q, p * q), 2, 2)
    s, prod = g(rp.asarray([1, 2]), 3)
    same(s, np.array([4, 5]))
    same(prod, np.array([3, 6]))
    with pytest.raises(TypeError, match="frompyfunc"):
        g(rp.asarray([1]))
    with pytest.raises(ValueError):
        rp.frompyfunc(abs, 0, 1)


def test_piecewise():
    a = np.linspace(-2, 2, 9)
    x = rp.asarray(a)
    got = rp.piecewise(x, [x < 0, x >= 0], [lambda t: rp.negative(t), lambda t: rp.multiply(t, 2)])
    same(got, np.piecewise(a, [a < 0, a >= 0], [lambda t: -t, lambda t: 2 * t]))
    same(rp.piecewise(x, [x < 0], [-1, 1]), np.piecewise(a, [a < 0], [-1, 1]))


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(st.sampled_from([np.uint8, np.bool_, np.int32]), hnp.array_shapes(min_dims=1, max_dims=3,
                  min_side=0, max_side=9)),
       st.sampled_from(["big", "little"]), st.booleans())
def test_packbits_differential(a, bitorder, use_axis):
    axis = a.ndim - 1 if use_axis else None
    packed = rp.packbits(rp.asarray(a), axis=axis, bitorder=bitorder)
    same(packed, np.packbits(a, axis=axis, bitorder=bitorder))
    same(rp.unpackbits(packed, axis=axis, bitorder=bitorder),
         np.unpackbits(np.packbits(a, axis=axis, bitorder=bitorder), axis=axis, bitorder=bitorder))


def test_packbits_errors():
    with pytest.raises(TypeError, match="packbits"):
        rp.packbits(rp.asarray([1.0]))
    with pytest.raises(TypeError, match="unpackbits"):
        rp.unpackbits(rp.asarray([1], dtype=rp.int32))
    with pytest.raises(np.exceptions.AxisError):
        rp.packbits(rp.asarray([1, 0]), axis=1)
    same(rp.unpackbits(rp.asarray([255], dtype=rp.uint8), count=3), np.array([1, 1, 1], np.uint8))


def test_show_runtime_prints(capsys):
    rp.show_runtime()
    out = capsys.readouterr().out
    assert "numpy_version" in out and len(out.splitlines()) > 2
