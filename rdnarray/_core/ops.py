"""Elementwise operations as data: one row per function.

A row says which dtypes the function accepts (the standard's category words, applied to the promoted
input dtype), what dtype each output has, and which NumPy ufunc the host backend runs. The GPU backend
adds its HIP C++ expression per row. Nothing here is special-cased by name elsewhere.

Result rules:
  same     the promoted input dtype
  bool     bool (comparisons, predicates)
  float    NumPy's float for the input: int8 -> float16, int16 -> float32, int32/int64 -> float64
  divide   true division: integers and bool -> float64
  real     the real dtype of the same precision (complex64 -> float32)
  int32    int32 (the exponent of frexp)
  float64  at least float64 (float_power)
  uint8    uint8 (bitwise_count)
  int      the promoted dtype, but int8 for bool (ops without a bool loop: square, power, shifts)
"""
from collections import namedtuple

Op = namedtuple("Op", "name numpy nin accepts results")


def _rows(nin, accepts, results, names):
    """Rows for ``names`` = 'apiname[:numpyname] ...' sharing one signature."""
    rows = []
    for spec in names.split():
        name, _, npname = spec.partition(":")
        rows.append(Op(name, npname or name, nin, accepts, results))
    return rows


UNARY = (
    _rows(1, "numeric", ("float",),
          "acos:arccos acosh:arccosh asin:arcsin asinh:arcsinh atan:arctan atanh:arctanh cos cosh "
          "exp expm1 log log1p log2 log10 sin sinh sqrt tan tanh exp2 cbrt "
          "deg2rad rad2deg degrees radians spacing")
    + _rows(1, "real-valued", ("float",), "fabs")
    + _rows(1, "numeric", ("real",), "abs:absolute")
    + _rows(1, "numeric without boolean", ("same",), "negative positive sign")
    + _rows(1, "numeric", ("int",), "square reciprocal conj:conjugate")
    + _rows(1, "numeric", ("float",), "rint")
    + _rows(1, "real-valued", ("same",), "ceil floor trunc")
    + _rows(1, "integer or boolean", ("same",), "bitwise_invert:invert")
    + _rows(1, "integer or boolean", ("uint8",), "bitwise_count")
    + _rows(1, "numeric", ("bool",), "isfinite isinf isnan")
    + _rows(1, "real-valued", ("bool",), "signbit")
    + _rows(1, "any", ("bool",), "logical_not")
    + _rows(1, "real-valued", ("float", "float"), "modf")
    + _rows(1, "real-valued", ("float", "int32"), "frexp")
)

BINARY = (
    _rows(2, "any", ("same",), "add multiply maximum minimum fmax fmin")
    + _rows(2, "numeric without boolean", ("same",), "subtract")
    + _rows(2, "numeric", ("divide",), "divide")
    + _rows(2, "real-valued", ("int",), "floor_divide remainder fmod")
    + _rows(2, "real-valued", ("int", "int"), "divmod")
    + _rows(2, "numeric", ("int",), "pow:power")
    + _rows(2, "numeric", ("float64",), "float_power")
    + _rows(2, "real-valued", ("float",),
            "atan2:arctan2 hypot copysign nextafter logaddexp logaddexp2 heaviside")
    + _rows(2, "any", ("bool",), "equal not_equal greater greater_equal less less_equal")
    + _rows(2, "any", ("bool",), "logical_and logical_or logical_xor")
    + _rows(2, "integer or boolean", ("same",), "bitwise_and bitwise_or bitwise_xor")
    + _rows(2, "integer or boolean", ("int",), "bitwise_left_shift:left_shift bitwise_right_shift:right_shift")
    + _rows(2, "integer", ("same",), "gcd lcm")
)

ALL = {op.name: op for op in UNARY + BINARY}
