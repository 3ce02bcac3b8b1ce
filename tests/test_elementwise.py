"""Every elementwise function (one per row of rdnarray/_core/ops.py) against NumPy: every dtype, mixed
dtypes, broadcasting, Python scalars, 0-d / empty / non-contiguous inputs, out=, dtype=, where=, the
two-output functions, dtype errors, and every Python operator."""
import operator

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import rdnarray as rp
from devices import strided_like
from rdnarray._core.ops import ALL, BINARY, UNARY

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

DTYPES = [np.dtype(n) for n in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                                 "uint64", "float16", "float32", "float64", "complex64", "complex128")]

# NumPy computes these on bools in int8 (True + True squared, ...): the result dtype is int8, not bool.
BOOL_TO_INT8 = {"square", "reciprocal", "conj", "pow", "floor_divide", "remainder", "fmod", "divmod",
                "bitwise_left_shift", "bitwise_right_shift"}


def sample(dt, n=7, seed=0):
    """Values in every op's interesting range for ``dt``: zeros, negatives where the dtype has them."""
    dt = np.dtype(dt)
    rng = np.random.default_rng(seed)
    if dt.kind == "b":
        return rng.integers(0, 2, n).astype(bool)
    if dt.kind in "iu":
        return rng.integers(0, 8, n).astype(dt)
    vals = rng.choice(np.array([0.0, 0.5, -0.5, 1.0, -1.5, 2.25, 3.0, -3.0, 0.75]), n)
    if dt.kind == "c":
        return (vals + 1j * rng.choice(np.array([0.0, 1.0, -0.5, 2.0]), n)).astype(dt)
    return vals.astype(dt)


def assert_same(got, expected):
    """``got`` (rdnarray) equals NumPy's ``expected``: dtype, shape, and values (NaNs equal)."""
    assert isinstance(got, rp.ndarray), type(got)
    g = rp.asnumpy(got)
    expected = np.asarray(expected)
    assert g.dtype == expected.dtype, (g.dtype, expected.dtype)
    assert g.shape == expected.shape, (g.shape, expected.shape)
    if expected.dtype.kind in "fc":
        tol = {2: 1e-3, 4: 1e-6, 8: 1e-6, 16: 1e-13}[expected.dtype.itemsize]
        np.testing.assert_allclose(g, expected, rtol=tol, atol=0, equal_nan=True)
    else:
        np.testing.assert_array_equal(g, expected)


def numpy_of(op, *args, **kwargs):
    """NumPy's result for an op row, or the exception type it raises."""
    with np.errstate(all="ignore"):
        return getattr(np, op.numpy)(*args, **kwargs)


def check_op(op, np_args, rp_args=None, **kwargs):
    """rdnarray's ``op`` on rp_args (default: np_args as rdnarray arrays) against NumPy's on np_args."""
    if rp_args is None:
        rp_args = [strided_like(a) if isinstance(a, np.ndarray) else a for a in np_args]
    f = getattr(rp, op.name)
    try:
        expected = numpy_of(op, *np_args, **kwargs)
    except TypeError:
        with pytest.raises(TypeError, match=op.name):
            f(*rp_args, **kwargs)
        return
    got = f(*rp_args, **kwargs)
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            assert_same(g, e)
    else:
        assert_same(got, expected)


def _params(rows):
    out = []
    for op in rows:
        for dt in DTYPES:
            out.append(pytest.param(op, dt, id=f"{op.name}-{dt}"))
    return out


def test_every_row_is_public():
    for name, op in ALL.items():
        f = getattr(rp, name)
        assert f.__name__ == name and f.nin == op.nin and f.nout == len(op.results)
        assert getattr(rp, op.numpy) is f or op.numpy in ("divmod",)  # NumPy's spelling is an alias


@pytest.mark.parametrize("op,dt", _params(UNARY))
def test_unary_every_dtype(op, dt):
    check_op(op, [sample(dt)])


@pytest.mark.parametrize("op,dt", _params(BINARY))
def test_binary_every_dtype(op, dt):
    check_op(op, [sample(dt, seed=1), sample(dt, seed=2)])


def _float_rule_differs(op, a, b):
    """NumPy computes a float function of two integers in the smallest float both cast to safely
    (int8, uint8 -> float16); the core applies the float rule to the promoted dtype (int16 -> float32)."""
    if "float" not in op.results or a.kind not in "iu" or b.kind not in "iu" or a.kind == b.kind:
        return False
    fa, fb = np.promote_types(a, np.float16), np.promote_types(b, np.float16)
    return np.promote_types(fa, fb) != np.promote_types(np.promote_types(a, b), np.float16)


MIXED_FLOAT_PAIRS = [(op, a, b) for op in BINARY for a in DTYPES for b in DTYPES
                     if a != b and _float_rule_differs(op, a, b)]


@pytest.mark.parametrize("op", BINARY, ids=lambda op: op.name)
def test_binary_mixed_dtypes(op):
    """Every pair of different dtypes: promotion, acceptance and values as in NumPy."""
    for a in DTYPES:
        for b in DTYPES:
            if a == b:
                continue
            check_op(op, [sample(a, 5, seed=3), sample(b, 5, seed=4)])


@pytest.mark.parametrize("op,a,b", MIXED_FLOAT_PAIRS[:: max(1, len(MIXED_FLOAT_PAIRS) // 12)],
                         ids=lambda v: getattr(v, "name", str(v)))
def test_binary_mixed_int_float_rule(op, a, b):
    check_op(op, [sample(a, 5, seed=3), sample(b, 5, seed=4)])


@pytest.mark.parametrize("op", UNARY, ids=lambda op: op.name)
def test_unary_layouts(op):
    """0-d, empty, broadcast-free 2-D, transposed and negative-stride inputs."""
    dt = np.dtype(np.float64) if op.accepts != "integer or boolean" and op.accepts != "integer" \
        else np.dtype(np.int32)
    base = sample(dt, 24).reshape(4, 6)
    for a in (base[1, 2], np.zeros((0, 3), dt), base, base.T, base[::-1, ::-2], base[:, 1:5:3]):
        a = np.asarray(a)
        if a.ndim == 0:
            continue  # see test_0d_inputs
        r = strided_like(a)
        assert r.strides == a.strides  # the view itself, not a contiguous copy
        check_op(op, [a], [r])


@pytest.mark.parametrize("op", BINARY, ids=lambda op: op.name)
def test_binary_broadcast_and_layouts(op):
    dt = np.dtype(np.int32) if "integer" in op.accepts else np.dtype(np.float64)
    a = sample(dt, 24, seed=5).reshape(2, 3, 4)
    b = sample(dt, 12, seed=6).reshape(3, 4)
    cases = [(a, b), (b, a), (a, b[:, :1]), (a[:, :1], b[:1]), (a.transpose(0, 2, 1), b[::-1, 1:2].T),
             (a[::-1, :, ::-2], b[::-1, ::2]), (np.zeros((0, 4), dt), b[:1]), (np.zeros((3, 0), dt), b[:, :1])]
    for x, y in cases:
        check_op(op, [x, y])


@pytest.mark.parametrize("op", [ALL["add"], ALL["sin"], ALL["less"]], ids=lambda op: op.name)
def test_0d_inputs(op):
    args = [np.asarray(np.float64(1.5))] * op.nin
    check_op(op, args)


def test_0d_inputs_two_outputs():
    check_op(ALL["divmod"], [np.asarray(7.5), np.asarray(2.0)])
    check_op(ALL["frexp"], [np.asarray(np.float32(7.5))])


def test_broadcast_error():
    with pytest.raises(ValueError, match=r"add: .*\(2, 3\) \(4,\)"):
        rp.add(rp.zeros((2, 3)), rp.zeros(4))
    with pytest.raises(ValueError, match="less"):
        rp.zeros((2, 3)) < rp.zeros((3, 2))


SCALAR_OPS = [ALL[n] for n in ("add", "subtract", "multiply", "divide", "floor_divide", "remainder", "pow",
                               "maximum", "less", "equal", "bitwise_and", "bitwise_left_shift", "atan2",
                               "logical_xor", "copysign")]


@pytest.mark.parametrize("op", SCALAR_OPS, ids=lambda op: op.name)
@pytest.mark.parametrize("dt", DTYPES, ids=str)
def test_python_scalar_either_side(op, dt):
    x = sample(dt, 6, seed=7)
    if op.name == "pow" and dt.kind in "iu":
        x = np.abs(x)
    scalars = [True, 2, 1.5, 0.5 - 1j]
    if op.name in BOOL_TO_INT8 and dt.kind == "b":
        scalars = [s for s in scalars if type(s) is not bool]
    for s in scalars:
        check_op(op, [x, s])
        if not (op.name == "pow" and dt.kind in "iu" and type(s) is not bool):
            check_op(op, [s, x])
        else:
            check_op(op, [3, x])


def test_scalars_only():
    assert_same(rp.add(1, 2), np.add(1, 2))
    assert_same(rp.multiply(2.5, True), np.asarray(2.5))
    assert_same(rp.sin(1.0), np.asarray(np.sin(1.0)))


# -- out= ----------------------------------------------------------------------------------------------
def test_out_same_and_castable_dtype():
    a, b = rp.asarray([1.0, 2.0, 3.0]), rp.asarray([0.5, 0.5, 0.5])
    o = rp.empty(3)
    r = rp.add(a, b, out=o)
    assert r is o
    assert_same(o, np.array([1.5, 2.5, 3.5]))
    o32 = rp.zeros(3, dtype=rp.float32)  # float64 -> float32 is a same_kind cast
    assert rp.multiply(a, b, out=o32) is o32
    assert_same(o32, np.array([0.5, 1.0, 1.5], np.float32))
    oc = rp.zeros(3, dtype=rp.complex128)
    rp.subtract(a, 1, out=oc)
    assert_same(oc, np.array([0, 1, 2], np.complex128))
    # Positional out, like NumPy.
    o2 = rp.empty(3)
    assert rp.add(a, b, o2) is o2
    # A non-contiguous out.
    ov = rp.zeros((3, 2))
    rp.add(a, 1, out=ov[:, 1])
    np.testing.assert_array_equal(rp.asnumpy(ov), [[0, 2], [0, 3], [0, 4]])
    # out aliasing an input.
    x = rp.asarray([1, 2, 3])
    rp.multiply(x, x, out=x)
    assert_same(x, np.array([1, 4, 9]))


def _untouched(o, before):
    np.testing.assert_array_equal(rp.asnumpy(o), before)


def test_out_errors_leave_out_untouched():
    a = rp.asarray([1.0, 2.0, 3.0])
    o = rp.asarray(np.array([7, 8, 9], np.int32))
    with pytest.raises(TypeError, match=r"add: .*float64.*int32"):
        rp.add(a, a, out=o)
    _untouched(o, [7, 8, 9])
    o = rp.asarray(np.array([7.0, 8.0]))
    with pytest.raises(ValueError, match=r"add: .*\(2,\).*\(3,\)"):
        rp.add(a, a, out=o)
    _untouched(o, [7, 8])
    o = rp.asarray(np.array([[7.0, 8.0, 9.0]]))  # broadcastable but not the result shape
    with pytest.raises(ValueError):
        rp.sin(a, out=o)
    _untouched(o, [[7, 8, 9]])
    with pytest.raises(TypeError, match="add"):
        rp.add(a, a, out=np.zeros(3))
    with pytest.raises(ValueError, match="divmod"):
        rp.divmod(a, a, out=rp.zeros(3))
    ro = np.zeros(3)
    ro.flags.writeable = False
    a_cpu = rp.asarray(a, device="cpu")
    with pytest.raises(ValueError, match="read-only"):
        rp.add(a_cpu, a_cpu, out=rp.asarray(ro, device="cpu"))  # shares the read-only memory
    _untouched(rp.asarray(ro), [0, 0, 0])
    o = rp.asarray(np.array([1, 2, 3], np.int8))
    with pytest.raises(TypeError, match="bitwise_and"):
        rp.bitwise_and(a, a, out=o)
    _untouched(o, [1, 2, 3])


def test_out_casting_keyword():
    a = rp.asarray([1.5, 2.5])
    o = rp.zeros(2, dtype=rp.int64)
    rp.add(a, a, out=o, casting="unsafe")
    assert_same(o, np.array([3, 5]))
    with pytest.raises(TypeError):
        rp.add(rp.asarray([1.0]), 1.0, out=rp.zeros(1, dtype=rp.float32), casting="safe")


def test_dtype_keyword():
    i8 = np.array([100, 50, -3], np.int8)
    for dt in ("int16", "float32", "float64", "complex64"):
        check_op(ALL["add"], [i8, i8], dtype=dt)
        check_op(ALL["multiply"], [i8, i8], dtype=dt)
    check_op(ALL["sqrt"], [np.array([1, 4, 9], np.int32)], dtype="float32")
    check_op(ALL["divide"], [np.array([1, 4, 9], np.int32), np.array([2, 2, 2], np.int32)], dtype="float32")
    with pytest.raises(TypeError):
        rp.add(rp.asarray([1, 2]), 1, dtype="U3")


@pytest.mark.skipif(not hasattr(rp, "copyto"), reason="where= needs rdnarray.copyto")
def test_where_keyword():
    a = np.array([1.0, 2.0, 3.0, 4.0])
    mask = np.array([True, False, True, False])
    out = np.full(4, -1.0)
    expected = np.add(a, 10, out=out.copy(), where=mask)
    o = rp.asarray(out.copy())
    r = rp.add(rp.asarray(a), 10, out=o, where=rp.asarray(mask))
    assert r is o
    assert_same(o, expected)
    # Broadcast where, no out: only the selected elements are defined.
    r = rp.multiply(rp.asarray(a.reshape(2, 2)), 2, where=rp.asarray([True, False]))
    np.testing.assert_array_equal(rp.asnumpy(r)[:, 0], [2.0, 6.0])
    # Two outputs.
    q, m = np.full(4, -1.0), np.full(4, -1.0)
    rq, rm = rp.asarray(q.copy()), rp.asarray(m.copy())
    np.divmod(a, 3, out=(q, m), where=mask)
    rp.divmod(rp.asarray(a), 3, out=(rq, rm), where=rp.asarray(mask))
    assert_same(rq, q)
    assert_same(rm, m)
    # A failing call writes nothing.
    o = rp.asarray(np.full(4, 5, np.int32))
    with pytest.raises(TypeError):
        rp.add(rp.asarray(a), 1.5, out=o, where=rp.asarray(mask))
    _untouched(o, [5, 5, 5, 5])


# -- two outputs ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("dt", ["float16", "float32", "float64", "int8", "int64", "uint16"])
def test_two_output_functions(dt):
    x = np.array([-3.5, -1.0, 0.0, 0.25, 2.0, 7.75]).astype(dt)
    y = np.array([2.0, -1.5, 3.0, 0.5, -4.0, 2.0]).astype(dt) if np.dtype(dt).kind != "u" \
        else np.array([2, 1, 3, 5, 4, 2], dt)
    check_op(ALL["divmod"], [x, y])
    check_op(ALL["modf"], [x])
    check_op(ALL["frexp"], [x])
    q, r = rp.divmod(rp.asarray(x), rp.asarray(y))
    np.testing.assert_array_equal(rp.asnumpy(q * rp.asarray(y) + r).astype(np.float64),
                                  x.astype(np.float64))
    # out= as a tuple of two arrays.
    if np.dtype(dt).kind == "f":
        m, e = rp.empty(6, dtype=dt), rp.empty(6, dtype=rp.int32)
        r = rp.frexp(rp.asarray(x), out=(m, e))
        assert r[0] is m and r[1] is e
        em, ee = np.frexp(x)
        assert_same(m, em)
        assert_same(e, ee)
        with pytest.raises(TypeError, match="frexp"):
            rp.frexp(rp.asarray(x), out=(rp.empty(6, dtype=dt), rp.empty(6, dtype=rp.bool)))
    assert divmod(rp.asarray(x), rp.asarray(y))[1].dtype == np.divmod(x, y)[1].dtype


# -- dtype errors --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,dt", [("bitwise_and", "float64"), ("bitwise_or", "float32"),
                                     ("bitwise_xor", "complex64"), ("bitwise_invert", "float16"),
                                     ("bitwise_left_shift", "float64"), ("gcd", "float32"),
                                     ("subtract", "bool"), ("negative", "bool"), ("floor", "complex128"),
                                     ("atan2", "complex64"), ("remainder", "complex128"),
                                     ("signbit", "complex64"), ("bitwise_count", "float32")])
def test_rejected_dtypes_name_the_op(name, dt):
    f = getattr(rp, name)
    args = [rp.asarray(sample(dt))] * f.nin
    with pytest.raises(TypeError, match=name):
        f(*args)
    # NumPy rejects them too.
    with pytest.raises(TypeError):
        getattr(np, ALL[name].numpy)(*[sample(dt)] * f.nin)


def test_wrong_number_of_arguments():
    with pytest.raises(TypeError, match="add"):
        rp.add(rp.zeros(2))
    with pytest.raises(TypeError, match="sin"):
        rp.sin(rp.zeros(2), rp.zeros(2), rp.zeros(2))


def test_comparison_with_out_of_range_python_int():
    # NumPy 2 compares a Python int outside the array's range by value instead of raising OverflowError.
    x, n = rp.asarray([1, -2], dtype=rp.int8), np.array([1, -2], np.int8)
    for fn in (operator.lt, operator.eq, operator.ne, operator.ge):
        assert_same(fn(x, 1000), fn(n, 1000))
        assert_same(fn(-1000, x), fn(-1000, n))
    assert_same(rp.asarray([1], dtype=rp.uint8) == -1, np.array([False]))
    with pytest.raises(OverflowError):
        rp.maximum(x, 1000)


def test_unsupported_operand():
    with pytest.raises(TypeError):
        rp.add(rp.zeros(2), "abc")


# -- Python operators ----------------------------------------------------------------------------------
BINOPS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod,
          operator.pow, operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift,
          operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge]
INPLACE = [operator.iadd, operator.isub, operator.imul, operator.itruediv, operator.ifloordiv, operator.imod,
           operator.ipow, operator.iand, operator.ior, operator.ixor, operator.ilshift, operator.irshift]


def _apply(fn, a, b):
    try:
        with np.errstate(all="ignore"):
            return fn(a, b), None
    except TypeError as e:
        return None, e


@pytest.mark.parametrize("fn", BINOPS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dt", ["int8", "uint32", "int64", "float32", "float64", "complex64", "bool"])
def test_binary_operators(fn, dt):
    a, b = sample(dt, 6, seed=8), sample(dt, 6, seed=9)
    if dt == "bool" and fn in (operator.floordiv, operator.mod, operator.pow, operator.lshift, operator.rshift):
        pytest.skip("bool arithmetic -> int8: see BOOL_TO_INT8")
    ra, rb = rp.asarray(a), rp.asarray(b)
    for x, y, rx, ry in ((a, b, ra, rb), (a, 3, ra, 3), (2, b, 2, rb), (a, 1.5, ra, 1.5), (0.5, b, 0.5, rb),
                         (a[::-1], b[:, None], rp.asarray(a[::-1]), rp.asarray(b[:, None]))):
        expected, err = _apply(fn, x, y)
        if err is not None:
            with pytest.raises(TypeError):
                fn(rx, ry)
            continue
        assert_same(fn(rx, ry), expected)


@pytest.mark.parametrize("fn", INPLACE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dt", ["int16", "uint8", "float32", "complex128"])
def test_inplace_operators(fn, dt):
    a, b = sample(dt, 6, seed=10), sample(dt, 6, seed=11)
    if dt == "uint8":
        b = b % 4
    for other in (b, 2, 1.5):
        x = a.copy()
        expected, err = _apply(fn, x, other)
        r = rp.asarray(a.copy())
        keep = r
        if err is not None:
            with pytest.raises(TypeError):
                fn(r, rp.asarray(other) if isinstance(other, np.ndarray) else other)
            np.testing.assert_array_equal(rp.asnumpy(keep), a)  # nothing written
            continue
        r = fn(r, rp.asarray(other) if isinstance(other, np.ndarray) else other)
        assert r is keep  # in place: the same object, the same memory
        assert_same(r, expected)


def test_inplace_through_a_view_writes_the_base():
    base = np.arange(12.0).reshape(3, 4)
    rb = rp.asarray(base)
    v = rb[:, ::-2]
    v += 100
    np.testing.assert_array_equal(rp.asnumpy(rb)[:, 3], [103, 107, 111])
    np.testing.assert_array_equal(rp.asnumpy(rb)[:, 0], [0, 4, 8])


def test_inplace_broadcast_result_shape_error():
    x = rp.zeros((3,))
    with pytest.raises(ValueError):
        x += rp.zeros((2, 3))
    np.testing.assert_array_equal(rp.asnumpy(x), [0, 0, 0])


@pytest.mark.parametrize("dt", ["int8", "int64", "float16", "float64", "complex64", "bool", "uint16"])
def test_unary_operators(dt):
    a = sample(dt, 6, seed=12)
    r = rp.asarray(a)
    for fn in (operator.neg, operator.pos, operator.abs, operator.invert):
        try:
            expected = fn(a)
        except TypeError:
            with pytest.raises(TypeError):
                fn(r)
            continue
        assert_same(fn(r), expected)


def test_divmod_builtin_and_reflected():
    a = np.array([7, -7, 5])
    q, m = divmod(rp.asarray(a), 3)
    assert_same(q, a // 3)
    assert_same(m, a % 3)
    q, m = divmod(17, rp.asarray(a))
    assert_same(q, 17 // a)
    assert_same(m, 17 % a)


@pytest.mark.skipif(not hasattr(rp, "matmul"), reason="matmul is not there yet")
def test_matmul_operator():
    a, b = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)
    assert_same(rp.asarray(a) @ rp.asarray(b), a @ b)
    assert_same(a.tolist() @ rp.asarray(b), a @ b)


# -- hypothesis ----------------------------------------------------------------------------------------
HYP_DTYPES = [np.dtype(n) for n in ("int8", "int32", "uint8", "uint64", "float32", "float64", "complex128")]
HYP_OPS = [ALL[n] for n in ("add", "subtract", "multiply", "divide", "maximum", "minimum", "less_equal",
                            "not_equal", "logaddexp", "hypot", "bitwise_or", "floor_divide", "copysign",
                            "fmax", "atan2", "logical_and")]


@st.composite
def binary_case(draw):
    op = draw(st.sampled_from(HYP_OPS))
    da, db = draw(st.sampled_from(HYP_DTYPES)), draw(st.sampled_from(HYP_DTYPES))
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4))
    a = draw(hnp.arrays(da, shapes.input_shapes[0], elements=_elements(da)))
    b = draw(hnp.arrays(db, shapes.input_shapes[1], elements=_elements(db)))
    return op, a, b


def _elements(dt):
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return st.integers(max(info.min, -1000), min(info.max, 1000))
    if dt.kind == "c":
        return st.complex_numbers(max_magnitude=1e6, allow_nan=False, allow_infinity=False)
    return st.floats(-1e6, 1e6, width=dt.itemsize * 8)


@given(binary_case())
@settings(max_examples=60, deadline=None)
def test_binary_hypothesis(case):
    op, a, b = case
    # 0-d inputs give NumPy scalars; as 1-element arrays they test the same arithmetic.
    a, b = (x.reshape(1) if x.ndim == 0 else x for x in (a, b))
    check_op(op, [a, b])


@given(st.sampled_from(UNARY), st.sampled_from(HYP_DTYPES),
       hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5), st.data())
@settings(max_examples=50, deadline=None)
def test_unary_hypothesis(op, dt, shape, data):
    a = data.draw(hnp.arrays(dt, shape, elements=_elements(dt)))
    check_op(op, [a])
