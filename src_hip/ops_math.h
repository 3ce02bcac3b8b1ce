// Elementwise ops, part 2: floating-point functions, rounding and classification.
//
// float16 computes in float32 and rounds once at the end (NumPy's 'e' loops call the float
// function); complex64/complex128 use complex.h. Integer inputs of these functions never arrive
// here: the core computes them in a float dtype (its 'float' result rule).
#ifndef RP_OPS_MATH_H
#define RP_OPS_MATH_H

#include "prelude.h"
#include "complex.h"

namespace rp {
namespace op {

// A function of one float or complex argument, from the overloads in rp::m.
#define RP_FLOAT_FUNCTION(NAME)                                                                      \
    struct NAME {                                                                                    \
        template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T x) { return T(m::NAME(widen(x))); } \
        template <class T, RP_IF(is_complex<T>::value)> RP_DEVICE static T f(T x) { return m::NAME(x); } \
    };
RP_FLOAT_FUNCTION(acos) RP_FLOAT_FUNCTION(acosh) RP_FLOAT_FUNCTION(asin) RP_FLOAT_FUNCTION(asinh)
RP_FLOAT_FUNCTION(atan) RP_FLOAT_FUNCTION(atanh) RP_FLOAT_FUNCTION(cos) RP_FLOAT_FUNCTION(cosh)
RP_FLOAT_FUNCTION(sin) RP_FLOAT_FUNCTION(sinh) RP_FLOAT_FUNCTION(tan) RP_FLOAT_FUNCTION(tanh)
RP_FLOAT_FUNCTION(exp) RP_FLOAT_FUNCTION(log) RP_FLOAT_FUNCTION(sqrt) RP_FLOAT_FUNCTION(cbrt)
#undef RP_FLOAT_FUNCTION

// NumPy's complex formulas for these (funcs.inc.src), the C functions for reals.
struct exp2 {
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T x) { return T(m::exp2(widen(x))); }
    template <class R> RP_DEVICE static complex<R> f(complex<R> z) {
        return m::exp(complex<R>(z.re * cconst<R>::loge2(), z.im * cconst<R>::loge2()));
    }
};
struct log2 {
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T x) { return T(m::log2(widen(x))); }
    template <class R> RP_DEVICE static complex<R> f(complex<R> z) {
        complex<R> w = m::log(z);
        return complex<R>(w.re * cconst<R>::log2e(), w.im * cconst<R>::log2e());
    }
};
struct log10 {
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T x) { return T(m::log10(widen(x))); }
    template <class R> RP_DEVICE static complex<R> f(complex<R> z) {
        complex<R> w = m::log(z);
        return complex<R>(w.re * cconst<R>::log10e(), w.im * cconst<R>::log10e());
    }
};
struct log1p {
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T x) { return T(m::log1p(widen(x))); }
    template <class R> RP_DEVICE static complex<R> f(complex<R> z) {
        return complex<R>(m::log(m::hypot(z.re + 1, z.im)), m::atan2(z.im, z.re + 1));
    }
};
// Complex expm1: NumPy's formula, except at zero and non-finite values where the standard's special
// cases are those of exp(z) - 1 (as the CPU backend's _expm1).
struct expm1 {
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T x) { return T(m::expm1(widen(x))); }
    template <class R> RP_DEVICE static complex<R> f(complex<R> z) {
        if (!m::isfinite(z.re) || !m::isfinite(z.im) || (z.re == 0 && z.im == 0)) {
            complex<R> w = m::exp(z);
            return complex<R>(w.re - 1, w.im);
        }
        R a = m::sin(z.im / 2);
        return complex<R>(m::expm1(z.re) * m::cos(z.im) - 2 * a * a, m::exp(z.re) * m::sin(z.im));
    }
};

// Rounding: integers and bool are their own ceil/floor/trunc (NumPy has identity loops for them).
#define RP_ROUNDING(NAME)                                                                            \
    struct NAME {                                                                                    \
        template <class T, RP_IF(!is_float<T>::value)> RP_DEVICE static T f(T x) { return x; }       \
        template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T x) { return T(m::NAME(widen(x))); } \
    };
RP_ROUNDING(ceil) RP_ROUNDING(floor) RP_ROUNDING(trunc)
#undef RP_ROUNDING
struct rint {  // round half to even (the default rounding mode)
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static T f(T x) { return T(m::rint(widen(x))); }
    template <class R> RP_DEVICE static complex<R> f(complex<R> z) { return complex<R>(m::rint(z.re), m::rint(z.im)); }
};
struct fabs {
    template <class T> RP_DEVICE static T f(T x) { return T(m::fabs(widen(x))); }
};

struct deg2rad {
    RP_DEVICE static half f(half x) { return half(float(x) * (3.14159265358979323846f / 180.0f)); }
    RP_DEVICE static float f(float x) { return x * (3.14159265358979323846f / 180.0f); }
    RP_DEVICE static double f(double x) { return x * (3.14159265358979323846 / 180.0); }
};
struct radians : deg2rad {};
struct rad2deg {
    RP_DEVICE static half f(half x) { return half(float(x) * (180.0f / 3.14159265358979323846f)); }
    RP_DEVICE static float f(float x) { return x * (180.0f / 3.14159265358979323846f); }
    RP_DEVICE static double f(double x) { return x * (180.0 / 3.14159265358979323846); }
};
struct degrees : rad2deg {};

// The distance to the next float away from zero (NumPy's npy_spacing: +min subnormal at +-0).
struct spacing {
    RP_DEVICE static float f(float x) {
        if (m::isinf(x)) return limits<float>::nan();
        if (x == 0) return bits_float(1);
        return bits_float(float_bits(x) + 1) - x;  // nan stays nan
    }
    RP_DEVICE static double f(double x) {
        if (m::isinf(x)) return limits<double>::nan();
        if (x == 0) return bits_double(1);
        return bits_double(double_bits(x) + 1) - x;
    }
    RP_DEVICE static half f(half x) {  // npy_half_spacing: always positive, on the bits
        uint16_t h = x.bits, h_exp = h & 0x7c00u, h_sig = h & 0x03ffu, r;
        if (h_exp == 0x7c00u) r = 0x7e00u;
        else if (h == 0x7bffu) r = 0x7c00u;
        else if ((h & 0x8000u) && h_sig == 0) {
            if (h_exp > 0x2c00u) r = (uint16_t)(h_exp - 0x2c00u);
            else if (h_exp > 0x0400u) r = (uint16_t)(1u << ((h_exp >> 10) - 2));
            else r = 0x0001u;
        } else if (h_exp > 0x2800u) r = (uint16_t)(h_exp - 0x2800u);
        else if (h_exp > 0x0400u) r = (uint16_t)(1u << ((h_exp >> 10) - 1));
        else r = 0x0001u;
        return half::from_bits(r);
    }
};

struct isnan {
    template <class T, RP_IF(is_int<T>::value || is_bool<T>::value)> RP_DEVICE static bool f(T) { return false; }
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static bool f(T x) { return m::isnan(widen(x)); }
    template <class R> RP_DEVICE static bool f(complex<R> z) { return m::isnan(z.re) || m::isnan(z.im); }
};
struct isinf {
    template <class T, RP_IF(is_int<T>::value || is_bool<T>::value)> RP_DEVICE static bool f(T) { return false; }
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static bool f(T x) { return m::isinf(widen(x)); }
    template <class R> RP_DEVICE static bool f(complex<R> z) { return m::isinf(z.re) || m::isinf(z.im); }
};
struct isfinite {
    template <class T, RP_IF(is_int<T>::value || is_bool<T>::value)> RP_DEVICE static bool f(T) { return true; }
    template <class T, RP_IF(is_float<T>::value)> RP_DEVICE static bool f(T x) { return m::isfinite(widen(x)); }
    template <class R> RP_DEVICE static bool f(complex<R> z) { return m::isfinite(z.re) && m::isfinite(z.im); }
};
struct signbit {
    RP_DEVICE static bool f(bool) { return false; }
    template <class T, RP_IF(is_int<T>::value)> RP_DEVICE static bool f(T x) { return x < 0; }
    RP_DEVICE static bool f(half x) { return (x.bits & 0x8000u) != 0; }
    RP_DEVICE static bool f(float x) { return m::signbit(x); }
    RP_DEVICE static bool f(double x) { return m::signbit(x); }
};

// Two outputs: (fractional part, integral part) and (mantissa, exponent).
struct modf {
    template <class T> RP_DEVICE static void f(T x, T* frac, T* integral) {
        typename calc<T>::type i, r = m::modf(widen(x), &i);
        *frac = T(r);
        *integral = T(i);
    }
};
struct frexp {
    template <class T> RP_DEVICE static void f(T x, T* mantissa, int32_t* exponent) {
        int e = 0;
        typename calc<T>::type v = widen(x), r = m::frexp(v, &e);
        *mantissa = T(r);
        *exponent = m::isfinite(v) ? e : 0;  // the C library leaves it unspecified for inf and nan
    }
};

struct atan2 {
    template <class T> RP_DEVICE static T f(T y, T x) { return T(m::atan2(widen(y), widen(x))); }
};
struct hypot {
    template <class T> RP_DEVICE static T f(T a, T b) { return T(m::hypot(widen(a), widen(b))); }
};
struct copysign {
    template <class T> RP_DEVICE static T f(T a, T b) { return T(m::copysign(widen(a), widen(b))); }
    RP_DEVICE static half f(half a, half b) { return half::from_bits((uint16_t)((a.bits & 0x7fffu) | (b.bits & 0x8000u))); }
};
struct nextafter {
    template <class T> RP_DEVICE static T f(T a, T b) { return m::nextafter(a, b); }
    RP_DEVICE static half f(half a, half b) {  // npy_half_nextafter, on the bits
        uint16_t x = a.bits, y = b.bits;
        if ((x & 0x7fffu) > 0x7c00u || (y & 0x7fffu) > 0x7c00u) return half::from_bits(0x7e00u);
        if (a == b) return b;  // as C's nextafter: nextafter(0, -0) is -0
        if ((x & 0x7fffu) == 0) return half::from_bits((uint16_t)((y & 0x8000u) + 1));
        if (!(x & 0x8000u)) return half::from_bits((uint16_t)((int16_t)x > (int16_t)y ? x - 1 : x + 1));
        if (!(y & 0x8000u) || (x & 0x7fffu) > (y & 0x7fffu)) return half::from_bits((uint16_t)(x - 1));
        return half::from_bits((uint16_t)(x + 1));
    }
};

// NumPy's npy_logaddexp / npy_logaddexp2.
struct logaddexp {
    template <class C> RP_DEVICE static C g(C x, C y) {
        if (x == y) return x + cconst<C>::loge2();  // infinities of one sign
        C d = x - y;
        if (d > 0) return x + m::log1p(m::exp(-d));
        if (d <= 0) return y + m::log1p(m::exp(d));
        return d;  // nan
    }
    template <class T> RP_DEVICE static T f(T x, T y) { return T(g(widen(x), widen(y))); }
};
struct logaddexp2 {
    template <class C> RP_DEVICE static C g(C x, C y) {
        if (x == y) return x + 1;
        C d = x - y;
        if (d > 0) return x + cconst<C>::log2e() * m::log1p(m::exp2(-d));
        if (d <= 0) return y + cconst<C>::log2e() * m::log1p(m::exp2(d));
        return d;
    }
    template <class T> RP_DEVICE static T f(T x, T y) { return T(g(widen(x), widen(y))); }
};
struct heaviside {
    template <class C> RP_DEVICE static C g(C x, C h0) {
        if (m::isnan(x)) return limits<C>::nan();
        if (x == 0) return h0;
        return x < 0 ? C(0) : C(1);
    }
    template <class T> RP_DEVICE static T f(T x, T h0) { return T(g(widen(x), widen(h0))); }
};

}  // namespace op
}  // namespace rp

#endif  // RP_OPS_MATH_H
