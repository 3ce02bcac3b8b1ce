// Portability prelude for rdnarray's kernels.
//
// One source compiles with NVRTC (CUDA 12/13), hiprtc (ROCm 5 and 6), clang -x hip, nvcc and, for
// host tests of the pure math, g++. Under the run-time compilers there is no C library, so the fixed
// width integers are typedef'd here; everything else (math functions, warpSize) is the compiler's.
//
// Provides RP_DEVICE / RP_HOST_DEVICE (inline device functions), RP_IF (overloads for one kind of
// element type) and, in namespace rp:
//   traits<T>          kind (bool, signed, unsigned, float, complex) and width of each element type
//   float_bits, ...    float/double <-> uint32/uint64 bits
//   half               float16 stored as 16 bits, computed as float (conversions round to nearest even)
//   cast<To>(x)        NumPy's unsafe cast between any two element types
//   m::sin(x), ...     real math functions overloaded for float and double
#ifndef RP_PRELUDE_H
#define RP_PRELUDE_H

#if defined(__CUDACC_RTC__) || defined(__HIPCC_RTC__)
// Run-time compilers: no libc headers. hiprtc (ROCm 5) predefines the 32/64-bit ones with these same
// types, and redeclaring a typedef to the same type is legal C++.
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long long int64_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
#elif defined(__HIP__)
#include <hip/hip_runtime.h>
#elif defined(__CUDACC__)
#include <stdint.h>
#else
// Host compiler (tests of the device math on the CPU): the CUDA keywords mean nothing.
#include <math.h>
#include <stdint.h>
#include <string.h>
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#ifndef __launch_bounds__
#define __launch_bounds__(...)
#endif
static const int warpSize = 32;
#define RP_HOST_ONLY 1
#endif

#define RP_DEVICE __device__ __forceinline__
#define RP_HOST_DEVICE __host__ __device__ __forceinline__

// First statement of a kernel launched with Function.launch_dependent: there (NVIDIA sm_90 and later) the
// kernel may start while the previous kernel in its stream is still running, and this waits until that
// kernel has finished and its writes are visible. A no-op for an ordinary launch and on other targets.
RP_DEVICE void rp_wait_previous_kernel() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900 && !defined(__HIP__) && !defined(__HIPCC_RTC__)
    asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}

// For overloads that exist only for one kind of element type: template <class T, RP_IF(is_int<T>::value)>
#define RP_IF(...) typename rp::enable_if<(__VA_ARGS__), int>::type = 0

namespace rp {

template <bool B, class T = void> struct enable_if {};
template <class T> struct enable_if<true, T> { typedef T type; };
template <class A, class B> struct same { static const bool value = false; };
template <class A> struct same<A, A> { static const bool value = true; };

// ---------------------------------------------------------------------------------------------------
// Bits of floats
// ---------------------------------------------------------------------------------------------------
#if defined(RP_HOST_ONLY)
inline uint32_t float_bits(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
inline float bits_float(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }
inline uint64_t double_bits(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
inline double bits_double(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }
#else
RP_DEVICE uint32_t float_bits(float x) { return __float_as_uint(x); }
RP_DEVICE float bits_float(uint32_t u) { return __uint_as_float(u); }
RP_DEVICE uint64_t double_bits(double x) { return (uint64_t)__double_as_longlong(x); }
RP_DEVICE double bits_double(uint64_t u) { return __longlong_as_double((long long)u); }
#endif

// ---------------------------------------------------------------------------------------------------
// float16: 16 bits of storage; arithmetic goes through float, as NumPy's float16 loops do.
// ---------------------------------------------------------------------------------------------------
// float -> half bits, round to nearest even (NumPy's npy_floatbits_to_halfbits, without the flags).
RP_DEVICE uint16_t float_to_half_bits(float value) {
    uint32_t f = float_bits(value);
    uint16_t h_sgn = (uint16_t)((f & 0x80000000u) >> 16);
    uint32_t f_exp = f & 0x7f800000u, f_sig;
    if (f_exp >= 0x47800000u) {  // overflow, inf or NaN
        f_sig = f & 0x007fffffu;
        if (f_exp == 0x7f800000u && f_sig != 0) {
            uint16_t ret = (uint16_t)(0x7c00u + (f_sig >> 13));
            return (uint16_t)(h_sgn + (ret == 0x7c00u ? ret + 1 : ret));  // keep it a NaN
        }
        return (uint16_t)(h_sgn + 0x7c00u);
    }
    if (f_exp <= 0x38000000u) {  // subnormal half or signed zero
        if (f_exp < 0x33000000u) return h_sgn;
        f_exp >>= 23;
        f_sig = 0x00800000u + (f & 0x007fffffu);
        f_sig >>= (113 - f_exp);
        if (((f_sig & 0x00003fffu) != 0x00001000u) || (f & 0x000007ffu)) f_sig += 0x00001000u;
        return (uint16_t)(h_sgn + (uint16_t)(f_sig >> 13));
    }
    uint16_t h_exp = (uint16_t)((f_exp - 0x38000000u) >> 13);
    f_sig = f & 0x007fffffu;
    if ((f_sig & 0x00003fffu) != 0x00001000u) f_sig += 0x00001000u;
    return (uint16_t)(h_sgn + (uint16_t)(h_exp + (uint16_t)(f_sig >> 13)));  // a carry rounds up the exponent
}

// double -> half bits directly (one rounding, NumPy's npy_doublebits_to_halfbits).
RP_DEVICE uint16_t double_to_half_bits(double value) {
    uint64_t d = double_bits(value);
    uint16_t h_sgn = (uint16_t)((d & 0x8000000000000000ULL) >> 48);
    uint64_t d_exp = d & 0x7ff0000000000000ULL, d_sig;
    if (d_exp >= 0x40f0000000000000ULL) {
        d_sig = d & 0x000fffffffffffffULL;
        if (d_exp == 0x7ff0000000000000ULL && d_sig != 0) {
            uint16_t ret = (uint16_t)(0x7c00u + (d_sig >> 42));
            return (uint16_t)(h_sgn + (ret == 0x7c00u ? ret + 1 : ret));
        }
        return (uint16_t)(h_sgn + 0x7c00u);
    }
    if (d_exp <= 0x3f00000000000000ULL) {
        if (d_exp < 0x3e60000000000000ULL) return h_sgn;
        d_exp >>= 52;
        d_sig = 0x0010000000000000ULL + (d & 0x000fffffffffffffULL);
        d_sig <<= (d_exp - 998);
        if ((d_sig & 0x003fffffffffffffULL) != 0x0010000000000000ULL) d_sig += 0x0010000000000000ULL;
        return (uint16_t)(h_sgn + (uint16_t)(d_sig >> 53));
    }
    uint16_t h_exp = (uint16_t)((d_exp - 0x3f00000000000000ULL) >> 42);
    d_sig = d & 0x000fffffffffffffULL;
    if ((d_sig & 0x000007ffffffffffULL) != 0x0000020000000000ULL) d_sig += 0x0000020000000000ULL;
    return (uint16_t)(h_sgn + (uint16_t)(h_exp + (uint16_t)(d_sig >> 42)));
}

RP_DEVICE float half_bits_to_float(uint16_t h) {
    uint32_t sign = ((uint32_t)h & 0x8000u) << 16;
    uint32_t h_exp = h & 0x7c00u, h_sig = h & 0x03ffu;
    if (h_exp == 0) {  // zero or subnormal: exact as sig * 2^-24
        float mag = (float)h_sig * 5.9604644775390625e-8f;
        return bits_float(float_bits(mag) | sign);
    }
    if (h_exp == 0x7c00u) return bits_float(sign | 0x7f800000u | (h_sig << 13));
    return bits_float(sign | (((uint32_t)(h & 0x7fffu) + 0x1c000u) << 13));
}

struct half {
    uint16_t bits;
    half() = default;
    RP_DEVICE explicit half(float f) : bits(float_to_half_bits(f)) {}
    RP_DEVICE explicit half(double d) : bits(double_to_half_bits(d)) {}
    RP_DEVICE explicit operator float() const { return half_bits_to_float(bits); }
    RP_DEVICE explicit operator double() const { return (double)half_bits_to_float(bits); }
    RP_DEVICE static half from_bits(uint16_t b) { half h; h.bits = b; return h; }
};

RP_DEVICE half operator+(half a, half b) { return half(float(a) + float(b)); }
RP_DEVICE half operator-(half a, half b) { return half(float(a) - float(b)); }
RP_DEVICE half operator*(half a, half b) { return half(float(a) * float(b)); }
RP_DEVICE half operator/(half a, half b) { return half(float(a) / float(b)); }
RP_DEVICE half operator-(half a) { return half::from_bits((uint16_t)(a.bits ^ 0x8000u)); }
RP_DEVICE bool operator==(half a, half b) { return float(a) == float(b); }
RP_DEVICE bool operator!=(half a, half b) { return float(a) != float(b); }
RP_DEVICE bool operator<(half a, half b) { return float(a) < float(b); }
RP_DEVICE bool operator<=(half a, half b) { return float(a) <= float(b); }
RP_DEVICE bool operator>(half a, half b) { return float(a) > float(b); }
RP_DEVICE bool operator>=(half a, half b) { return float(a) >= float(b); }

template <class T> struct complex;

// ---------------------------------------------------------------------------------------------------
// Element type traits
// ---------------------------------------------------------------------------------------------------
enum Kind { K_BOOL, K_SINT, K_UINT, K_FLOAT, K_COMPLEX };

template <class T> struct traits;
#define RP_TRAITS(T, KIND, BITS, UNSIGNED)                                                           \
    template <> struct traits<T> {                                                                   \
        static const int kind = KIND, bits = BITS;                                                   \
        typedef UNSIGNED unsigned_t;                                                                 \
    };
RP_TRAITS(bool, K_BOOL, 8, uint8_t)
RP_TRAITS(int8_t, K_SINT, 8, uint8_t)
RP_TRAITS(int16_t, K_SINT, 16, uint16_t)
RP_TRAITS(int32_t, K_SINT, 32, uint32_t)
RP_TRAITS(int64_t, K_SINT, 64, uint64_t)
RP_TRAITS(uint8_t, K_UINT, 8, uint8_t)
RP_TRAITS(uint16_t, K_UINT, 16, uint16_t)
RP_TRAITS(uint32_t, K_UINT, 32, uint32_t)
RP_TRAITS(uint64_t, K_UINT, 64, uint64_t)
RP_TRAITS(half, K_FLOAT, 16, uint16_t)
RP_TRAITS(float, K_FLOAT, 32, uint32_t)
RP_TRAITS(double, K_FLOAT, 64, uint64_t)
#undef RP_TRAITS
template <class R> struct traits<complex<R> > {
    static const int kind = K_COMPLEX, bits = 2 * traits<R>::bits;
    typedef R real_t;
};

template <class T> struct is_bool { static const bool value = traits<T>::kind == K_BOOL; };
template <class T> struct is_sint { static const bool value = traits<T>::kind == K_SINT; };
template <class T> struct is_uint { static const bool value = traits<T>::kind == K_UINT; };
template <class T> struct is_int { static const bool value = is_sint<T>::value || is_uint<T>::value; };
template <class T> struct is_float { static const bool value = traits<T>::kind == K_FLOAT; };
template <class T> struct is_complex { static const bool value = traits<T>::kind == K_COMPLEX; };
template <class T> struct is_real { static const bool value = !is_complex<T>::value; };

// The type a float type computes in: float for half, itself otherwise.
template <class T> struct calc { typedef T type; };
template <> struct calc<half> { typedef float type; };

// ---------------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------------
template <class T> struct limits;
template <> struct limits<float> {
    RP_DEVICE static float inf() { return bits_float(0x7f800000u); }
    RP_DEVICE static float nan() { return bits_float(0x7fc00000u); }
    RP_DEVICE static float max() { return 3.40282347e+38f; }
    RP_DEVICE static float min() { return 1.17549435e-38f; }  // smallest normal
    RP_DEVICE static float eps() { return 1.1920929e-07f; }
    enum { mant_dig = 24 };
};
template <> struct limits<double> {
    RP_DEVICE static double inf() { return bits_double(0x7ff0000000000000ULL); }
    RP_DEVICE static double nan() { return bits_double(0x7ff8000000000000ULL); }
    RP_DEVICE static double max() { return 1.7976931348623157e+308; }
    RP_DEVICE static double min() { return 2.2250738585072014e-308; }
    RP_DEVICE static double eps() { return 2.220446049250313e-16; }
    enum { mant_dig = 53 };
};

// ---------------------------------------------------------------------------------------------------
// Real math: one overload per precision, so templates write m::sin(x) for float and double alike.
// The run-time compilers provide these C functions as device builtins; g++ takes them from libm.
// ---------------------------------------------------------------------------------------------------
namespace m {
#define RP_MATH1(name)                                                                               \
    RP_DEVICE float name(float x) { return ::name##f(x); }                                           \
    RP_DEVICE double name(double x) { return ::name(x); }
#define RP_MATH2(name)                                                                               \
    RP_DEVICE float name(float x, float y) { return ::name##f(x, y); }                               \
    RP_DEVICE double name(double x, double y) { return ::name(x, y); }
RP_MATH1(sin) RP_MATH1(cos) RP_MATH1(tan) RP_MATH1(asin) RP_MATH1(acos) RP_MATH1(atan)
RP_MATH1(sinh) RP_MATH1(cosh) RP_MATH1(tanh) RP_MATH1(asinh) RP_MATH1(acosh) RP_MATH1(atanh)
RP_MATH1(exp) RP_MATH1(exp2) RP_MATH1(expm1) RP_MATH1(log) RP_MATH1(log2) RP_MATH1(log10)
RP_MATH1(log1p) RP_MATH1(sqrt) RP_MATH1(cbrt) RP_MATH1(floor) RP_MATH1(ceil) RP_MATH1(trunc)
RP_MATH1(rint) RP_MATH1(fabs)
RP_MATH2(atan2) RP_MATH2(hypot) RP_MATH2(pow) RP_MATH2(fmod) RP_MATH2(copysign) RP_MATH2(nextafter)
#undef RP_MATH1
#undef RP_MATH2
RP_DEVICE float frexp(float x, int* e) { return ::frexpf(x, e); }
RP_DEVICE double frexp(double x, int* e) { return ::frexp(x, e); }
RP_DEVICE float ldexp(float x, int e) { return ::ldexpf(x, e); }
RP_DEVICE double ldexp(double x, int e) { return ::ldexp(x, e); }
RP_DEVICE float fma(float x, float y, float z) { return ::fmaf(x, y, z); }
RP_DEVICE double fma(double x, double y, double z) { return ::fma(x, y, z); }
RP_DEVICE float modf(float x, float* i) { return ::modff(x, i); }
RP_DEVICE double modf(double x, double* i) { return ::modf(x, i); }
// Classification by comparisons (valid IEEE code: these kernels are never compiled with fast-math).
template <class T> RP_DEVICE bool isnan(T x) { return x != x; }
template <class T> RP_DEVICE bool isinf(T x) { return x == limits<T>::inf() || x == -limits<T>::inf(); }
template <class T> RP_DEVICE bool isfinite(T x) { return x - x == x - x; }  // false for inf and nan
RP_DEVICE bool signbit(float x) { return (float_bits(x) >> 31) != 0; }
RP_DEVICE bool signbit(double x) { return (double_bits(x) >> 63) != 0; }
}  // namespace m

// ---------------------------------------------------------------------------------------------------
// cast<To>(x): NumPy's unsafe casting. Float -> int follows what NumPy does on x86-64 (truncation,
// and the CPU's "integer indefinite" for NaN and out-of-range values, as cvttsd2si gives), so no
// input is undefined behaviour and results agree with the CPU backend on x86.
// ---------------------------------------------------------------------------------------------------
RP_DEVICE int64_t x86_double_to_int64(double v) {
    return (v >= -9223372036854775808.0 && v < 9223372036854775808.0) ? (int64_t)v
                                                                      : (int64_t)0x8000000000000000ULL;
}
RP_DEVICE int32_t x86_double_to_int32(double v) {
    return (v > -2147483649.0 && v < 2147483648.0) ? (int32_t)v : (int32_t)0x80000000u;
}
template <class To> RP_DEVICE To float_to_int(double v) {
    if (traits<To>::bits == 64) {
        if (is_uint<To>::value && v >= 9223372036854775808.0)
            return (To)((uint64_t)x86_double_to_int64(v - 9223372036854775808.0) ^ 0x8000000000000000ULL);
        return (To)x86_double_to_int64(v);
    }
    if (is_uint<To>::value && traits<To>::bits == 32) return (To)x86_double_to_int64(v);
    return (To)x86_double_to_int32(v);  // 8, 16 and signed 32 bits: a 32-bit conversion, truncated
}

template <class T> RP_DEVICE bool truthy(T x) { return x != T(0); }
RP_DEVICE bool truthy(bool x) { return x; }
RP_DEVICE bool truthy(half x) { return (x.bits & 0x7fffu) != 0; }
template <class R> RP_DEVICE bool truthy(complex<R> x);

// The widest plain type a float converts through without loss: float for half and float.
RP_DEVICE float widen(half x) { return float(x); }
RP_DEVICE float widen(float x) { return x; }
RP_DEVICE double widen(double x) { return x; }

enum Route { R_SAME, R_TO_BOOL, R_FROM_BOOL, R_INT_INT, R_FLOAT_INT, R_INT_FLOAT, R_FLOAT_FLOAT, R_COMPLEX };
template <class To, class From> struct route {
    enum {
        value = same<To, From>::value ? R_SAME
              : is_bool<To>::value ? R_TO_BOOL
              : is_bool<From>::value ? R_FROM_BOOL
              : (is_complex<To>::value || is_complex<From>::value) ? R_COMPLEX
              : is_int<To>::value ? (is_int<From>::value ? R_INT_INT : R_FLOAT_INT)
              : is_int<From>::value ? R_INT_FLOAT : R_FLOAT_FLOAT
    };
};
template <class To, class From, int R = route<To, From>::value> struct caster;
template <class To, class From> RP_DEVICE To cast(From x) { return caster<To, From>::run(x); }

template <class T> struct caster<T, T, R_SAME> {
    RP_DEVICE static T run(T x) { return x; }
};
template <class To, class From> struct caster<To, From, R_TO_BOOL> {
    RP_DEVICE static To run(From x) { return truthy(x); }
};
template <class To, class From> struct caster<To, From, R_FROM_BOOL> {
    RP_DEVICE static To run(From x) { return cast<To>((int32_t)(x ? 1 : 0)); }
};
template <class To, class From> struct caster<To, From, R_INT_INT> {
    RP_DEVICE static To run(From x) { return (To)x; }  // two's complement wrap-around
};
template <class To, class From> struct caster<To, From, R_FLOAT_INT> {
    RP_DEVICE static To run(From x) { return float_to_int<To>((double)widen(x)); }
};
template <class To, class From> struct caster<To, From, R_INT_FLOAT> {
    RP_DEVICE static To run(From x) { return To(x); }
};
template <class From> struct caster<half, From, R_INT_FLOAT> {
    RP_DEVICE static half run(From x) { return half((double)x); }  // exact for <= 32 bits, then one rounding
};
template <class To, class From> struct caster<To, From, R_FLOAT_FLOAT> {
    RP_DEVICE static To run(From x) { return To(widen(x)); }
};

}  // namespace rp

#endif  // RP_PRELUDE_H
