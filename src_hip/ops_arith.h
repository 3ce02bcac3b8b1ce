// Elementwise ops, part 1: arithmetic, integer division, comparisons, logic and bits.
//
// One struct per row of rdnarray/_core/ops.py, named as the row; `f` has an overload per dtype
// category with NumPy's results (its loops in numpy/_core/src/umath). The kernel calls
// Op::f(x) / Op::f(x, y) for one output and Op::f(x, &r0, &r1) / Op::f(x, y, &r0, &r1) for two.
// Integer arithmetic wraps around (it goes through the unsigned type: signed overflow is undefined
// in C++); integer division by zero gives 0, as NumPy's result (NumPy also warns; a kernel cannot).
#ifndef RP_OPS_ARITH_H
#define RP_OPS_ARITH_H

#include "prelude.h"
#include "complex.h"

namespace rp {

template <bool C, class A, class B> struct choose { typedef A type; };
template <class A, class B> struct choose<false, A, B> { typedef B type; };
// The unsigned type integer arithmetic on T wraps in (never narrower than int: uint16 * uint16
// would otherwise overflow a promoted int).
template <class T> struct wrap_t { typedef typename choose<(traits<T>::bits > 32), uint64_t, uint32_t>::type type; };
template <class T> RP_DEVICE T wrap_add(T a, T b) { typedef typename wrap_t<T>::type U; return (T)(U(a) + U(b)); }
template <class T> RP_DEVICE T wrap_sub(T a, T b) { typedef typename wrap_t<T>::type U; return (T)(U(a) - U(b)); }
template <class T> RP_DEVICE T wrap_mul(T a, T b) { typedef typename wrap_t<T>::type U; return (T)(U(a) * U(b)); }

namespace op {

// Identity (the op of dtype conversion: the kernel converts on load and store).
struct copy {
    template <class T> RP_DEVICE static T f(T x) { return x; }
};

struct add {
    RP_DEVICE static bool f(bool a, bool b) { return a || b; }
    template <class T, RP_IF(is_int<T>::value)> RP_DEVICE static T f(T a, T b) { return wrap_add(a, b); }
    template <class T, RP_IF(!is_bool<T>::value && !is_int<T>::value)> RP_DEVICE static T f(T a, T b) { return a + b; }
};
struct subtract {
    template <class T, RP_IF(is_int<T>::value)> RP_DEVICE static T f(T a, T b) { return wrap_sub(a, b); }
    template <class T, RP_IF(!is_bool<T>::value && !is_int<T>::value)> RP_DEVICE static T f(T a, T b) { return a - b; }
};
struct multiply {
    RP_DEVICE static bool f(bool a, bool b) { return a && b; }
    template <class T, RP_IF(is_int<T>::value)> RP_DEVICE static T f(T a, T b) { return wrap_mul(a, b); }
    template <class T, RP_IF(!is_bool<T>::value && !is_int<T>::value)> RP_DEVICE static T f(T a, T b) { return a * b; }
};
struct divide {  // floats and complex only: integers divide in float64 (the core's 'divide' rule)
    template <class T> RP_DEVICE static T f(T a, T b) { return a / b; }
};

struct negative {
    template <class T, RP_IF(is_int<T>::value)> RP_DEVICE static T f(T x) { return wrap_sub(T(0), x); }
    template <class T, RP_IF(!is_int<T>::value && !is_bool<T>::value)> RP_DEVICE static T f(T x) { return -x; }
};
struct positive {
    template <class T> RP_DEVICE static T f(T x) { return x; }
};
struct conj {
    template <class T, RP_IF(is_real<T>::value)> RP_DEVICE static T f(T x) { return x; }
    template <class T, RP_IF(is_complex<T>::value)> RP_DEVICE static T f(T x) { return T(x.re, -x.im); }
};
struct square {
    template <class T, RP_IF(is_int<T>::value)> RP_DEVICE static T f(T x) { return wrap_mul(x, x); }
    template <class T, RP_IF(!is_int<T>::value && !is_bool<T>::value)> RP_DEVICE static T f(T x) { return x * x; }
};
struct reciprocal {
    // NumPy computes 1.0 / x in double and casts (x86: reciprocal(0) is the integer indefinite).
    template <class T, RP_IF(is_int<T>::value)> RP_DEVICE static T f(T x) { return cast<T>(1.0 / (double)x); }
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T x) { return T(1 / widen(x)); }
    template <class T, RP_IF(is_complex<T>::value)> RP_DEVICE static T f(T x) {
        typedef typename traits<T>::real_t R;
        if (m::fabs(x.im) <= m::fabs(x.re)) {
            R r = x.im / x.re, d = x.re + x.im * r;
            return T(1 / d, -r / d);
        }
        R r = x.re / x.im, d = x.re * r + x.im;
        return T(r / d, -1 / d);
    }
};

struct abs {
    RP_DEVICE static bool f(bool x) { return x; }
    template <class T, RP_IF(is_uint<T>::value)> RP_DEVICE static T f(T x) { return x; }
    template <class T, RP_IF(is_sint<T>::value)> RP_DEVICE static T f(T x) { return x < 0 ? wrap_sub(T(0), x) : x; }
    RP_DEVICE static half f(half x) { return half::from_bits((uint16_t)(x.bits & 0x7fffu)); }
    RP_DEVICE static float f(float x) { return m::fabs(x); }
    RP_DEVICE static double f(double x) { return m::fabs(x); }
    template <class R> RP_DEVICE static R f(complex<R> x) { return m::abs(x); }
};

struct sign {
    template <class T, RP_IF(is_uint<T>::value)> RP_DEVICE static T f(T x) { return x > 0 ? 1 : 0; }
    template <class T, RP_IF(is_sint<T>::value)> RP_DEVICE static T f(T x) { return x > 0 ? 1 : (x < 0 ? -1 : 0); }
    RP_DEVICE static half f(half x) {
        if ((x.bits & 0x7fffu) > 0x7c00u) return x;  // nan
        if ((x.bits & 0x7fffu) == 0) return half::from_bits(0);
        return half::from_bits((x.bits & 0x8000u) ? 0xbc00u : 0x3c00u);
    }
    template <class T, RP_IF(same<T, float>::value || same<T, double>::value)> RP_DEVICE static T f(T x) {
        return x > 0 ? T(1) : (x < 0 ? T(-1) : (x == 0 ? T(0) : x));
    }
    template <class R> RP_DEVICE static complex<R> f(complex<R> x) {
        R a = m::hypot(x.re, x.im);
        if (m::isnan(a)) return complex<R>(limits<R>::nan(), limits<R>::nan());
        if (m::isinf(a)) {
            if (m::isinf(x.re)) {
                if (m::isinf(x.im)) return complex<R>(limits<R>::nan(), limits<R>::nan());
                return complex<R>(x.re > 0 ? 1 : -1, 0);
            }
            return complex<R>(0, x.im > 0 ? 1 : -1);
        }
        if (a == 0) return complex<R>(0, 0);
        return complex<R>(x.re / a, x.im / a);
    }
};

// ---------------------------------------------------------------------------------------------------
// Division with Python's sign rules
// ---------------------------------------------------------------------------------------------------
// NumPy's npy_divmod for floats (from CPython): floor quotient and a remainder with the divisor's sign.
template <class T> RP_DEVICE T py_divmod(T a, T b, T* modulus) {
    T mod = m::fmod(a, b);
    if (!b) {
        *modulus = mod;
        return a / b;
    }
    T div = (a - mod) / b, floordiv;
    if (mod) {
        if ((b < 0) != (mod < 0)) {
            mod += b;
            div -= 1;
        }
    } else {
        mod = m::copysign(T(0), b);
    }
    if (div) {
        floordiv = m::floor(div);
        if (div - floordiv > T(0.5)) floordiv += 1;
    } else {
        floordiv = m::copysign(T(0), a / b);
    }
    *modulus = mod;
    return floordiv;
}

struct floor_divide {
    template <class T, RP_IF(is_uint<T>::value)> RP_DEVICE static T f(T a, T b) { return b == 0 ? 0 : (T)(a / b); }
    template <class T, RP_IF(is_sint<T>::value)> RP_DEVICE static T f(T a, T b) {
        if (b == 0) return 0;
        if (b == -1) return wrap_sub(T(0), a);  // MIN // -1 wraps to MIN, as in NumPy
        T q = (T)(a / b);
        if ((T)(a % b) != 0 && ((a < 0) != (b < 0))) q -= 1;
        return q;
    }
    // The standard's answer where an operand is infinite is x1 / x2 (NumPy's is nan or -1).
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T a, T b) {
        typename calc<T>::type x = widen(a), y = widen(b), mod;
        if (m::isinf(x) || m::isinf(y) || !y) return T(x / y);
        return T(py_divmod(x, y, &mod));
    }
};
struct remainder {
    template <class T, RP_IF(is_uint<T>::value)> RP_DEVICE static T f(T a, T b) { return b == 0 ? 0 : (T)(a % b); }
    template <class T, RP_IF(is_sint<T>::value)> RP_DEVICE static T f(T a, T b) {
        if (b == 0 || b == -1) return 0;
        T r = (T)(a % b);
        return (r != 0 && ((r < 0) != (b < 0))) ? (T)(r + b) : r;
    }
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T a, T b) {
        typename calc<T>::type x = widen(a), y = widen(b), mod;
        if (!y) return T(m::fmod(x, y));
        py_divmod(x, y, &mod);
        return T(mod);
    }
};
struct divmod {
    template <class T, RP_IF(is_int<T>::value)> RP_DEVICE static void f(T a, T b, T* q, T* r) {
        *q = floor_divide::f(a, b);
        *r = remainder::f(a, b);
    }
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static void f(T a, T b, T* q, T* r) {
        typename calc<T>::type mod;
        *q = T(py_divmod(widen(a), widen(b), &mod));
        *r = T(mod);
    }
};
struct fmod {
    template <class T, RP_IF(is_uint<T>::value)> RP_DEVICE static T f(T a, T b) { return b == 0 ? 0 : (T)(a % b); }
    template <class T, RP_IF(is_sint<T>::value)> RP_DEVICE static T f(T a, T b) {
        return (b == 0 || b == -1) ? 0 : (T)(a % b);
    }
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T a, T b) { return T(m::fmod(widen(a), widen(b))); }
};

// Integer power by squaring (NumPy's loop). Negative exponents raise ValueError in NumPy; the
// launcher checks scalar exponents, and here x ** -n is its integer truncation (0 unless |x| == 1).
struct pow {
    template <class T, RP_IF(is_int<T>::value)> RP_DEVICE static T f(T a, T b) {
        if (b < 0) return a == 1 ? 1 : (a == T(-1) ? ((b & 1) ? T(-1) : T(1)) : 0);
        if (b == 0 || a == 1) return 1;
        T out = (b & 1) ? a : T(1);
        for (b = (T)(b >> 1); b > 0; b = (T)(b >> 1)) {
            a = wrap_mul(a, a);
            if (b & 1) out = wrap_mul(out, a);
        }
        return out;
    }
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T a, T b) { return T(m::pow(widen(a), widen(b))); }
    template <class T, RP_IF(is_complex<T>::value)> RP_DEVICE static T f(T a, T b) { return m::pow(a, b); }
};
struct float_power : pow {};

// ---------------------------------------------------------------------------------------------------
// Maximum and minimum
// ---------------------------------------------------------------------------------------------------
// NumPy's complex ordering: lexicographic, and nan in an imaginary part makes '>' and '<' false.
template <class R> RP_DEVICE bool c_ge(complex<R> x, complex<R> y) {
    return (x.re > y.re && !m::isnan(x.im) && !m::isnan(y.im)) || (x.re == y.re && x.im >= y.im);
}
template <class R> RP_DEVICE bool c_le(complex<R> x, complex<R> y) {
    return (x.re < y.re && !m::isnan(x.im) && !m::isnan(y.im)) || (x.re == y.re && x.im <= y.im);
}
template <class R> RP_DEVICE bool c_gt(complex<R> x, complex<R> y) {
    return (x.re > y.re && !m::isnan(x.im) && !m::isnan(y.im)) || (x.re == y.re && x.im > y.im);
}
template <class R> RP_DEVICE bool c_lt(complex<R> x, complex<R> y) {
    return (x.re < y.re && !m::isnan(x.im) && !m::isnan(y.im)) || (x.re == y.re && x.im < y.im);
}
template <class R> RP_DEVICE bool c_isnan(complex<R> x) { return m::isnan(x.re) || m::isnan(x.im); }

// maximum/minimum propagate NaN (float32/64 as NumPy's x86 loops: (a > b) ? a : b, so of two zeros
// the second wins; float16 as NumPy's half loop: a >= b ? a : b).
struct maximum {
    template <class T, RP_IF(is_int<T>::value || is_bool<T>::value)> RP_DEVICE static T f(T a, T b) { return a > b ? a : b; }
    RP_DEVICE static half f(half a, half b) { return (a >= b || m::isnan(float(a))) ? a : b; }
    template <class T, RP_IF(same<T, float>::value || same<T, double>::value)> RP_DEVICE static T f(T a, T b) {
        return (m::isnan(a) || a > b) ? a : b;
    }
    template <class R> RP_DEVICE static complex<R> f(complex<R> a, complex<R> b) {
        return (c_isnan(a) || c_ge(a, b)) ? a : b;
    }
};
struct minimum {
    template <class T, RP_IF(is_int<T>::value || is_bool<T>::value)> RP_DEVICE static T f(T a, T b) { return a < b ? a : b; }
    RP_DEVICE static half f(half a, half b) { return (a <= b || m::isnan(float(a))) ? a : b; }
    template <class T, RP_IF(same<T, float>::value || same<T, double>::value)> RP_DEVICE static T f(T a, T b) {
        return (m::isnan(a) || a < b) ? a : b;
    }
    template <class R> RP_DEVICE static complex<R> f(complex<R> a, complex<R> b) {
        return (c_isnan(a) || c_le(a, b)) ? a : b;
    }
};
// fmax/fmin ignore NaN: the other operand wins.
struct fmax {
    template <class T, RP_IF(is_int<T>::value || is_bool<T>::value)> RP_DEVICE static T f(T a, T b) { return a > b ? a : b; }
    RP_DEVICE static half f(half a, half b) { return (a >= b || m::isnan(float(b))) ? a : b; }
    template <class T, RP_IF(same<T, float>::value || same<T, double>::value)> RP_DEVICE static T f(T a, T b) {
        return (m::isnan(b) || a > b) ? a : b;
    }
    template <class R> RP_DEVICE static complex<R> f(complex<R> a, complex<R> b) {
        return (c_isnan(b) || c_ge(a, b)) ? a : b;
    }
};
struct fmin {
    template <class T, RP_IF(is_int<T>::value || is_bool<T>::value)> RP_DEVICE static T f(T a, T b) { return a < b ? a : b; }
    RP_DEVICE static half f(half a, half b) { return (a <= b || m::isnan(float(b))) ? a : b; }
    template <class T, RP_IF(same<T, float>::value || same<T, double>::value)> RP_DEVICE static T f(T a, T b) {
        return (m::isnan(b) || a < b) ? a : b;
    }
    template <class R> RP_DEVICE static complex<R> f(complex<R> a, complex<R> b) {
        return (c_isnan(b) || c_le(a, b)) ? a : b;
    }
};

// ---------------------------------------------------------------------------------------------------
// Comparisons. The operands may differ in type: an int64 array against a uint64 one, or an integer
// array against a Python int outside its range, compare exactly (NumPy's comparison loops do).
// ---------------------------------------------------------------------------------------------------
// -1, 0, 1 for integers of any signedness and width.
template <class A, class B> RP_DEVICE int int_cmp(A a, B b) {
    if (is_sint<A>::value && !is_sint<B>::value && a < 0) return -1;
    if (is_sint<B>::value && !is_sint<A>::value && b < 0) return 1;
    if (is_sint<A>::value && is_sint<B>::value) return (int64_t)a < (int64_t)b ? -1 : ((int64_t)a > (int64_t)b);
    return (uint64_t)a < (uint64_t)b ? -1 : ((uint64_t)a > (uint64_t)b);  // both now non-negative
}
template <class A, class B, bool MIXED_INT = is_int<A>::value && is_int<B>::value && !same<A, B>::value>
struct compare {  // same types, or an integer against a double (Python ints beyond 64 bits)
    RP_DEVICE static bool eq(A a, B b) { return a == b; }
    RP_DEVICE static bool lt(A a, B b) { return a < b; }
    RP_DEVICE static bool le(A a, B b) { return a <= b; }
};
template <class A, class B> struct compare<A, B, true> {
    RP_DEVICE static bool eq(A a, B b) { return int_cmp(a, b) == 0; }
    RP_DEVICE static bool lt(A a, B b) { return int_cmp(a, b) < 0; }
    RP_DEVICE static bool le(A a, B b) { return int_cmp(a, b) <= 0; }
};
template <class R> struct compare<complex<R>, complex<R>, false> {
    RP_DEVICE static bool eq(complex<R> a, complex<R> b) { return a == b; }
    RP_DEVICE static bool lt(complex<R> a, complex<R> b) { return c_lt(a, b); }
    RP_DEVICE static bool le(complex<R> a, complex<R> b) { return c_le(a, b); }
};

struct equal {
    template <class A, class B> RP_DEVICE static bool f(A a, B b) { return compare<A, B>::eq(a, b); }
};
struct not_equal {
    template <class A, class B> RP_DEVICE static bool f(A a, B b) { return !compare<A, B>::eq(a, b); }
};
struct less {
    template <class A, class B> RP_DEVICE static bool f(A a, B b) { return compare<A, B>::lt(a, b); }
};
struct less_equal {
    template <class A, class B> RP_DEVICE static bool f(A a, B b) { return compare<A, B>::le(a, b); }
};
struct greater {
    template <class A, class B> RP_DEVICE static bool f(A a, B b) { return compare<B, A>::lt(b, a); }
};
struct greater_equal {
    template <class A, class B> RP_DEVICE static bool f(A a, B b) { return compare<B, A>::le(b, a); }
};

struct logical_and {
    template <class T> RP_DEVICE static bool f(T a, T b) { return truthy(a) && truthy(b); }
};
struct logical_or {
    template <class T> RP_DEVICE static bool f(T a, T b) { return truthy(a) || truthy(b); }
};
struct logical_xor {
    template <class T> RP_DEVICE static bool f(T a, T b) { return truthy(a) != truthy(b); }
};
struct logical_not {
    template <class T> RP_DEVICE static bool f(T x) { return !truthy(x); }
};

// ---------------------------------------------------------------------------------------------------
// Bits
// ---------------------------------------------------------------------------------------------------
struct bitwise_and {
    template <class T> RP_DEVICE static T f(T a, T b) { return (T)(a & b); }
};
struct bitwise_or {
    template <class T> RP_DEVICE static T f(T a, T b) { return (T)(a | b); }
};
struct bitwise_xor {
    template <class T> RP_DEVICE static T f(T a, T b) { return (T)(a ^ b); }
};
struct bitwise_invert {
    RP_DEVICE static bool f(bool x) { return !x; }
    template <class T, RP_IF(is_int<T>::value)> RP_DEVICE static T f(T x) { return (T)~x; }
};
// Shifts by the bit width or more (or by a negative count, which is huge as unsigned) give 0, or -1
// for a right shift of a negative number (NumPy's npy_lshift / npy_rshift).
struct bitwise_left_shift {
    template <class T> RP_DEVICE static T f(T a, T b) {
        typedef typename wrap_t<T>::type U;
        return (uint64_t)(typename traits<T>::unsigned_t)b < (uint64_t)traits<T>::bits ? (T)((U)a << b) : T(0);
    }
};
struct bitwise_right_shift {
    template <class T> RP_DEVICE static T f(T a, T b) {
        if ((uint64_t)(typename traits<T>::unsigned_t)b < (uint64_t)traits<T>::bits) return (T)(a >> b);
        return a < 0 ? T(-1) : T(0);
    }
};

RP_DEVICE int popcount64(uint64_t x) {
#if defined(__CUDACC_RTC__) || (defined(__CUDACC__) && !defined(__HIP__))
    return __popcll(x);
#else
    return __builtin_popcountll(x);
#endif
}
struct bitwise_count {  // of |x|, as NumPy
    RP_DEVICE static uint8_t f(bool x) { return x ? 1 : 0; }
    template <class T, RP_IF(is_int<T>::value)> RP_DEVICE static uint8_t f(T x) {
        typedef typename traits<T>::unsigned_t U;
        U u = (x < 0) ? (U)(U(0) - (U)x) : (U)x;
        return (uint8_t)popcount64((uint64_t)u);
    }
};

// gcd/lcm on |a|, |b| in the unsigned type (no overflow for MIN), cast back (NumPy's npy_gcd).
template <class U> RP_DEVICE U gcd_u(U a, U b) {
    while (a != 0) {
        U c = a;
        a = (U)(b % a);
        b = c;
    }
    return b;
}
template <class T> RP_DEVICE typename traits<T>::unsigned_t uabs(T x) {
    typedef typename traits<T>::unsigned_t U;
    return x < 0 ? (U)(U(0) - (U)x) : (U)x;
}
struct gcd {
    template <class T> RP_DEVICE static T f(T a, T b) { return (T)gcd_u(uabs(a), uabs(b)); }
};
struct lcm {
    template <class T> RP_DEVICE static T f(T a, T b) {
        typedef typename traits<T>::unsigned_t U;
        U x = uabs(a), y = uabs(b), g = gcd_u(x, y);
        return g == 0 ? T(0) : (T)(U)(x / g * y);
    }
};

}  // namespace op
}  // namespace rp

#endif  // RP_OPS_ARITH_H
