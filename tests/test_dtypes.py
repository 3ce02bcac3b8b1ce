"""Dtypes, type promotion (Array API table, NumPy for mixed kinds, NEP 50 for Python scalars), can_cast,
isdtype, finfo/iinfo, astype and ``__array_namespace_info__``."""
import functools
import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import rdnarray as rp

DTYPES = [np.dtype(n) for n in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                                 "uint64", "float16", "float32", "float64", "complex64", "complex128")]
SPEC_DTYPES = [d for d in DTYPES if d != np.float16]  # the dtypes the standard names
PAIRS = list(itertools.product(DTYPES, DTYPES))


def _spec_promotion(a, b):
    """The Array API promotion table (type_promotion.html), or None where the standard leaves it undefined."""
    if a == b:
        return a
    ka, kb = a.kind, b.kind
    if "b" in (ka, kb):
        return None  # bool only promotes with bool
    if ka in "iu" and kb in "iu":
        if ka == kb:
            return max(a, b, key=lambda d: d.itemsize)
        i, u = (a, b) if ka == "i" else (b, a)
        if i.itemsize > u.itemsize:
            return i
        if u.itemsize == 8:
            return None  # int64 with uint64: undefined
        return np.dtype(f"int{16 * u.itemsize}")
    if ka in "fc" and kb in "fc":
        bits = max(a.itemsize // (2 if ka == "c" else 1), b.itemsize // (2 if kb == "c" else 1))
        if "c" in (ka, kb):
            return np.dtype(f"complex{16 * bits}")
        return np.dtype(f"float{8 * bits}")
    return None  # integer with floating point: mixed kinds


SPEC_PAIRS = [(a, b, _spec_promotion(a, b)) for a, b in itertools.product(SPEC_DTYPES, SPEC_DTYPES)
              if _spec_promotion(a, b) is not None]


def test_dtype_objects_are_numpys():
    assert rp.float32 is np.float32 and rp.bool is np.bool_ and rp.complex128 is np.complex128
    assert rp.dtype is np.dtype
    for name in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                 "float16", "float32", "float64", "complex64", "complex128"):
        assert np.dtype(getattr(rp, name)) == np.dtype(name)


def test_spec_table_has_all_defined_pairs():
    # 13 spec dtypes: bool, 4 int, 4 uint, 2 float, 2 complex. Signed with unsigned is defined except
    # uint64 with any signed integer; float and complex mix freely.
    assert len(SPEC_PAIRS) == 1 + 16 + 16 + 2 * (16 - 4) + 16


@pytest.mark.parametrize("a,b,expected", SPEC_PAIRS, ids=[f"{a}-{b}" for a, b, _ in SPEC_PAIRS])
def test_promotion_spec_table(a, b, expected):
    assert rp.result_type(a, b) == expected
    assert rp.promote_types(a, b) == expected
    # The same rule through arrays and through an operation.
    assert rp.result_type(rp.zeros(2, dtype=a), rp.zeros((), dtype=b)) == expected
    assert rp.add(rp.zeros(2, dtype=a), rp.zeros(2, dtype=b)).dtype == expected


@pytest.mark.parametrize("a,b", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_result_type_matches_numpy(a, b):
    # Mixed kinds (int + float, bool + int, int64 + uint64) are left to the implementation: NumPy's.
    assert rp.result_type(a, b) == np.result_type(a, b)
    assert rp.result_type(rp.ones(1, dtype=a), b) == np.result_type(np.ones(1, dtype=a), b)


def test_result_type_many():
    # Several arguments promote pairwise, left to right, like the operations they describe; NumPy's
    # all-at-once result_type differs on such mixed kinds (float16 here), which the standard leaves open.
    assert rp.result_type(rp.int8, rp.uint8, rp.float16) == np.float32
    assert rp.result_type(rp.int8, rp.uint8, rp.float16) == (rp.ones(1, dtype=rp.int8) + rp.ones(1, dtype=rp.uint8)
                                                              + rp.ones(1, dtype=rp.float16)).dtype
    assert rp.result_type(rp.int8) == np.int8
    assert rp.result_type(rp.asarray([1, 2], dtype=rp.int16), rp.float32, 1j) == np.complex64
    # NumPy scalars are strong, like arrays.
    assert rp.result_type(rp.int8, np.int64(1)) == np.int64
    assert rp.result_type(np.float32(1.0), 1.0) == np.float32


def test_result_type_errors():
    with pytest.raises(ValueError):
        rp.result_type()
    with pytest.raises(TypeError):
        rp.result_type("U5")
    with pytest.raises(TypeError):
        rp.result_type(np.dtype("M8[s]"), rp.int8)
    with pytest.raises(TypeError):
        rp.result_type(object)


# NEP 50: Python scalars are weak; they take the array's dtype within their kind.
SCALARS = [True, 1, -1, 2.5, 1j]


@pytest.mark.parametrize("dt", DTYPES, ids=str)
@pytest.mark.parametrize("s", SCALARS, ids=repr)
def test_weak_scalar_promotion_matches_numpy(dt, s):
    if dt.kind == "u" and s == -1:
        with pytest.raises(OverflowError):
            rp.asarray([1], dtype=dt) + s
        return
    expected = (np.ones(2, dtype=dt) + s).dtype
    assert rp.result_type(dt, s) == expected
    assert rp.result_type(s, dt) == expected
    assert (rp.ones(2, dtype=dt) + s).dtype == expected
    assert (s + rp.ones(2, dtype=dt)).dtype == expected


@pytest.mark.parametrize("dt", ["int8", "float32"])
def test_weak_scalar_promotion_0d(dt):
    assert rp.add(rp.ones((), dtype=dt), 1).dtype == dt


def test_nep50_examples():
    i8 = rp.asarray([1, 2, 3], dtype=rp.int8)
    assert (i8 + 1).dtype == rp.int8
    assert (i8 + 1.5).dtype == rp.float64  # NumPy 2: int + Python float -> default float
    assert (rp.asarray([1.0], dtype=rp.float32) + 1j).dtype == rp.complex64
    assert (rp.asarray([1.0], dtype=rp.float16) + 1j).dtype == rp.complex64
    assert (rp.asarray([1.0], dtype=rp.float32) + 1.5).dtype == rp.float32
    assert (rp.asarray([True]) + 1).dtype == rp.int64
    assert (rp.asarray([True]) + True).dtype == rp.bool
    assert (rp.asarray([1], dtype=rp.uint8) + 255).dtype == rp.uint8
    # Scalars only: the default dtypes.
    assert rp.result_type(1, 2.0) == rp.float64
    assert rp.result_type(True, 1) == rp.int64
    assert rp.result_type(1, 1j) == rp.complex128
    assert rp.result_type(True) == rp.bool


@pytest.mark.parametrize("dt,value", [("int8", 1000), ("int8", -129), ("uint8", 256), ("uint8", -1),
                                      ("int16", 2**15), ("uint64", -1), ("int64", 2**63)])
def test_out_of_range_python_int_raises(dt, value):
    x = rp.asarray([1, 2], dtype=dt)
    with pytest.raises(OverflowError):
        x + value
    with pytest.raises(OverflowError):
        value - x
    with pytest.raises(OverflowError):
        rp.multiply(x, value)
    with pytest.raises(OverflowError):
        np.ones(2, dt) + value  # the reference agrees


@given(st.lists(st.sampled_from(DTYPES), min_size=1, max_size=4),
       st.lists(st.sampled_from([True, 0, 7, 3.5, -2.0, 2j]), max_size=2))
@settings(max_examples=50, deadline=None)
def test_result_type_hypothesis(dtypes, scalars):
    args = list(dtypes) + list(scalars)
    # Pairwise, left to right (see test_result_type_many); each step is NumPy's rule.
    assert rp.result_type(*args) == functools.reduce(np.result_type, args)
    if len({np.dtype(d).kind for d in dtypes}) == 1:
        assert rp.result_type(*dtypes) == np.result_type(*dtypes)


@pytest.mark.parametrize("a", [d for d in DTYPES if d.kind != "c"], ids=str)
def test_float_result_of_matches_numpy(a):
    """The helper the core's 'float' rule needs (see test_elementwise.test_binary_mixed_int_float_rule)."""
    from rdnarray._core.dtypes import float_result_of
    x = np.ones(2, a)
    for b in [d for d in DTYPES if d.kind != "c"]:
        assert float_result_of((a, b)) == np.arctan2(x, np.ones(2, b)).dtype, b
    for s in (True, 2, 2.5):
        assert float_result_of((a, type(s))) == np.arctan2(x, s).dtype, s
        assert float_result_of((type(s), a)) == np.arctan2(s, x).dtype, s
    assert float_result_of((a,)) == np.sin(x).dtype
    assert float_result_of((np.dtype(rp.complex64), float)) == np.sin(np.ones(1, np.complex64) + 1.5).dtype
    assert float_result_of((int, float)) == np.float64


def test_int_result_matches_numpy():
    from rdnarray._core.dtypes import int_result
    for dt in DTYPES:
        if dt.kind != "c":
            assert int_result(dt) == np.floor_divide(np.ones(1, dt), np.ones(1, dt)).dtype


# -- can_cast ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("a,b", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_can_cast_matches_numpy(a, b):
    assert rp.can_cast(a, b) is bool(np.can_cast(a, b))
    assert rp.can_cast(rp.zeros(1, dtype=a), b) is bool(np.can_cast(a, b))
    for casting in ("no", "equiv", "same_kind", "unsafe"):
        assert rp.can_cast(a, b, casting) is bool(np.can_cast(a, b, casting))


def test_can_cast_spec_examples():
    assert rp.can_cast(rp.int8, rp.int16)
    assert not rp.can_cast(rp.int16, rp.int8)
    assert rp.can_cast(rp.uint8, rp.int16)
    assert not rp.can_cast(rp.float64, rp.float32)
    assert not rp.can_cast(rp.complex64, rp.float64)
    assert rp.can_cast(rp.bool, rp.float16)
    with pytest.raises(TypeError):
        rp.can_cast(rp.int8, "U5")


# -- isdtype -------------------------------------------------------------------------------------------
KINDS = {
    "bool": {"bool"},
    "signed integer": {"int8", "int16", "int32", "int64"},
    "unsigned integer": {"uint8", "uint16", "uint32", "uint64"},
    "integral": {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"},
    "real floating": {"float16", "float32", "float64"},
    "complex floating": {"complex64", "complex128"},
    "numeric": {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                "float16", "float32", "float64", "complex64", "complex128"},
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("dt", DTYPES, ids=str)
def test_isdtype_kinds(dt, kind):
    assert rp.isdtype(dt, kind) is (dt.name in KINDS[kind])
    assert rp.isdtype(dt, kind) == np.isdtype(dt, kind)


def test_isdtype_dtypes_and_tuples():
    assert rp.isdtype(rp.float32, rp.float32)
    assert not rp.isdtype(rp.float32, rp.float64)
    assert rp.isdtype(np.dtype("int8"), np.int8)
    assert rp.isdtype(rp.int8, ("real floating", "signed integer"))
    assert not rp.isdtype(rp.uint8, ("real floating", "signed integer"))
    assert rp.isdtype(rp.uint8, ("bool", rp.uint8))
    assert rp.isdtype(rp.complex64, ("bool", "complex floating"))
    assert not rp.isdtype(rp.int32, ())
    for dt in DTYPES:
        for k1, k2 in itertools.combinations(KINDS, 2):
            assert rp.isdtype(dt, (k1, k2)) == np.isdtype(dt, (k1, k2))


def test_isdtype_errors():
    with pytest.raises(ValueError, match="isdtype"):
        rp.isdtype(rp.int8, "integer")  # not one of the standard's kind names
    with pytest.raises(ValueError):
        rp.isdtype(rp.int8, ("bool", "real"))
    with pytest.raises(ValueError):
        rp.isdtype(rp.bool, ("bool", "real"))  # every kind is checked, not only up to the first match
    with pytest.raises(TypeError):
        rp.isdtype(rp.int8, 3)


# -- finfo / iinfo -------------------------------------------------------------------------------------
@pytest.mark.parametrize("dt", ["float16", "float32", "float64", "complex64", "complex128"])
def test_finfo(dt):
    f, ref = rp.finfo(dt), np.finfo(dt)
    for attr in ("bits", "eps", "max", "min", "smallest_normal", "resolution"):
        assert getattr(f, attr) == getattr(ref, attr)
    assert f.dtype == ref.dtype
    assert rp.finfo(rp.zeros(2, dtype=dt)).eps == ref.eps
    if dt.startswith("complex"):
        assert f.dtype == (np.float32 if dt == "complex64" else np.float64)


@pytest.mark.parametrize("dt", ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"])
def test_iinfo(dt):
    i, ref = rp.iinfo(dt), np.iinfo(dt)
    assert (i.bits, i.min, i.max, i.dtype) == (ref.bits, ref.min, ref.max, ref.dtype)
    assert rp.iinfo(rp.zeros(2, dtype=dt)).max == ref.max


def test_finfo_iinfo_errors():
    with pytest.raises(ValueError):
        rp.finfo(rp.int32)
    with pytest.raises(ValueError):
        rp.iinfo(rp.float32)


# -- astype --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("src,dst", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_astype_values_match_numpy(src, dst):
    base = np.array([0, 1, 3, 7, 100, 2], dtype=np.int64)
    ref = base.astype(src)
    with _nowarn():
        expected = ref.astype(dst)
        got = rp.astype(rp.asarray(ref), dst)
    assert got.dtype == dst
    np.testing.assert_array_equal(rp.asnumpy(got), expected)


def _nowarn():
    """Casting NaN/inf or complex to real warns in NumPy; the values are what is compared."""
    return warnings.catch_warnings(action="ignore")


def test_astype_copy_semantics():
    x = rp.asarray([1, 2, 3], dtype=rp.int32)
    assert rp.astype(x, rp.int32, copy=False) is x
    y = rp.astype(x, rp.int32)  # copy=True: always new memory
    assert y is not x and not rp.shares_memory(y, x)
    z = rp.astype(x, rp.int64, copy=False)  # a dtype change must copy
    assert z.dtype == rp.int64 and not rp.shares_memory(z, x)
    assert rp.astype(x, rp.int32, copy=False, device=x.device) is x
    assert x.astype(rp.int32, copy=False) is x
    w = x.astype(rp.float32)
    assert w.dtype == rp.float32 and w.device == x.device
    # Non-contiguous input.
    n = np.arange(12.0).reshape(3, 4)[:, ::-2]
    np.testing.assert_array_equal(rp.asnumpy(rp.astype(rp.asarray(n), rp.int16)), n.astype(np.int16))


def test_astype_errors():
    x = rp.asarray([1.5, 2.5])
    with pytest.raises(TypeError, match="astype"):
        rp.astype(x, rp.int32, casting="safe")
    with pytest.raises(TypeError):
        rp.astype(x, "U3")
    with pytest.raises(TypeError, match="astype"):
        rp.astype(np.ones(2), rp.int32)
    assert rp.astype(x, rp.complex64, casting="same_kind").dtype == rp.complex64


def test_astype_complex_to_real_and_bool():
    x = rp.asarray([1 + 2j, 0j, -3.5 + 0j])
    with _nowarn():
        np.testing.assert_array_equal(rp.asnumpy(rp.astype(x, rp.float64)), np.array([1.0, 0.0, -3.5]))
    np.testing.assert_array_equal(rp.asnumpy(rp.astype(x, rp.bool)), np.array([True, False, True]))


# -- __array_namespace_info__ --------------------------------------------------------------------------
def test_info_devices_and_defaults():
    info = rp.__array_namespace_info__()
    devices = info.devices()
    assert isinstance(devices, tuple)  # 2025.12: a tuple
    assert rp.Device("cpu") in devices
    assert info.default_device() in devices
    assert rp.zeros(1).device == info.default_device()
    for dev in devices:
        assert rp.zeros(2, device=dev).device == dev
    caps = info.capabilities()
    assert set(caps) >= {"boolean indexing", "data-dependent shapes", "max dimensions"}
    assert caps["max dimensions"] is None or caps["max dimensions"] >= 32
    d = info.default_dtypes(device="cpu")
    assert d == {"real floating": rp.float64, "complex floating": rp.complex128,
                 "integral": rp.int64, "indexing": rp.int64}
    assert info.default_dtypes() == d
    assert rp.asarray(1.0).dtype == d["real floating"] and rp.asarray(1).dtype == d["integral"]
    assert rp.asarray(1j).dtype == d["complex floating"]


def test_info_dtypes():
    info = rp.__array_namespace_info__()
    all_ = info.dtypes()
    for name in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                 "float32", "float64", "complex64", "complex128"):
        assert all_[name] == np.dtype(name)
    assert all(np.dtype(k) == v for k, v in all_.items())
    assert info.dtypes(device="cpu") == all_
    for kind, names in KINDS.items():
        assert set(info.dtypes(kind=kind)) == names & set(all_)
    assert set(info.dtypes(kind=("bool", "complex floating"))) == {"bool", "complex64", "complex128"}
    assert info.dtypes(kind=()) == {}
    with pytest.raises(ValueError):
        info.dtypes(kind="floating")
    with pytest.raises(ValueError):
        info.dtypes(device="nodevice")
