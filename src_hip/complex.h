// rp::complex<T> (complex64, complex128) and its math, with NumPy's results.
//
// Arithmetic is NumPy's loops (Smith's division); the elementary functions are NumPy's npymath
// versions (npy_math_complex.c.src, from FreeBSD's msun), which follow C99 Annex G for special
// values, as the Array API standard's special cases do.
#ifndef RP_COMPLEX_H
#define RP_COMPLEX_H

#include "prelude.h"

namespace rp {

template <class T> struct complex {
    T re, im;
    complex() = default;
    RP_DEVICE complex(T r, T i) : re(r), im(i) {}
};

template <class T> RP_DEVICE complex<T> operator+(complex<T> a, complex<T> b) {
    return complex<T>(a.re + b.re, a.im + b.im);
}
template <class T> RP_DEVICE complex<T> operator-(complex<T> a, complex<T> b) {
    return complex<T>(a.re - b.re, a.im - b.im);
}
template <class T> RP_DEVICE complex<T> operator-(complex<T> a) { return complex<T>(-a.re, -a.im); }
// NumPy's multiply loop on FMA hardware (x86-64 with AVX2, its SIMD dispatch): re = fma(ar, br, -ai*bi),
// im = fma(ar, bi, ai*br). Fused, an overflowing product can still cancel (no inf - inf = nan).
template <class T> RP_DEVICE complex<T> operator*(complex<T> a, complex<T> b) {
    return complex<T>(m::fma(a.re, b.re, -(a.im * b.im)), m::fma(a.re, b.im, a.im * b.re));
}
// NumPy's complex divide loop: Smith's algorithm; division by zero gives inf/nan parts.
template <class T> RP_DEVICE complex<T> operator/(complex<T> a, complex<T> b) {
    T abs_br = m::fabs(b.re), abs_bi = m::fabs(b.im);
    if (abs_br >= abs_bi) {
        if (abs_br == 0 && abs_bi == 0) return complex<T>(a.re / abs_br, a.im / abs_bi);
        T rat = b.im / b.re, scl = T(1) / (b.re + b.im * rat);
        return complex<T>((a.re + a.im * rat) * scl, (a.im - a.re * rat) * scl);
    }
    T rat = b.re / b.im, scl = T(1) / (b.im + b.re * rat);
    return complex<T>((a.re * rat + a.im) * scl, (a.im * rat - a.re) * scl);
}
template <class T> RP_DEVICE bool operator==(complex<T> a, complex<T> b) { return a.re == b.re && a.im == b.im; }
template <class T> RP_DEVICE bool operator!=(complex<T> a, complex<T> b) { return a.re != b.re || a.im != b.im; }

template <class R> RP_DEVICE bool truthy(complex<R> x) { return x.re != 0 || x.im != 0; }

// Casts to and from complex (the R_COMPLEX route of prelude.h): complex -> real keeps the real part.
template <class R, class From> struct caster<complex<R>, From, R_COMPLEX> {
    RP_DEVICE static complex<R> run(From x) { return complex<R>(cast<R>(x), R(0)); }
};
template <class To, class S> struct caster<To, complex<S>, R_COMPLEX> {
    RP_DEVICE static To run(complex<S> x) { return cast<To>(x.re); }
};
template <class R, class S> struct caster<complex<R>, complex<S>, R_COMPLEX> {
    RP_DEVICE static complex<R> run(complex<S> x) { return complex<R>((R)x.re, (R)x.im); }
};

// Per-precision constants of the msun algorithms.
template <class T> struct cconst;
template <> struct cconst<float> {
    RP_DEVICE static float loge2() { return 0.693147180559945309417232121458176568f; }
    RP_DEVICE static float log2e() { return 1.442695040888963407359924681001892137f; }
    RP_DEVICE static float log10e() { return 0.434294481903251827651128918916605082f; }
    RP_DEVICE static float e() { return 2.718281828459045235360287471352662498f; }
    RP_DEVICE static float pi_2() { return 1.570796326794896619231321691639751442f; }
    RP_DEVICE static float sqrt2() { return 1.414213562373095048801688724209698079f; }
    RP_DEVICE static float scaled_cexp_lower() { return 88.722839f; }
    RP_DEVICE static float scaled_cexp_upper() { return 192.69492f; }
    enum { scaled_cexp_k = 235 };
    RP_DEVICE static float cosh_big() { return 9.0f; }
    RP_DEVICE static float cosh_huge() { return 1.70141183e+38f; }
    RP_DEVICE static float tanh_huge() { return 11.0f; }
    RP_DEVICE static float four_sqrt_min() { return 4.3368086899420177e-19f; }
    RP_DEVICE static float quarter_sqrt_max() { return 4.611685743549481e+18f; }
    RP_DEVICE static float sqrt_min() { return 1.0842021724855044e-19f; }
    RP_DEVICE static float sqrt_6_eps() { return 8.4572793338e-4f; }
    RP_DEVICE static float sqrt_3_eps() { return 5.9801995673e-4f; }
    RP_DEVICE static float pio2_lo() { return 7.5497899549e-9f; }
};
template <> struct cconst<double> {
    RP_DEVICE static double loge2() { return 0.693147180559945309417232121458176568; }
    RP_DEVICE static double log2e() { return 1.442695040888963407359924681001892137; }
    RP_DEVICE static double log10e() { return 0.434294481903251827651128918916605082; }
    RP_DEVICE static double e() { return 2.718281828459045235360287471352662498; }
    RP_DEVICE static double pi_2() { return 1.570796326794896619231321691639751442; }
    RP_DEVICE static double sqrt2() { return 1.414213562373095048801688724209698079; }
    RP_DEVICE static double scaled_cexp_lower() { return 710.47586007394386; }
    RP_DEVICE static double scaled_cexp_upper() { return 1454.9159319953251; }
    enum { scaled_cexp_k = 1799 };
    RP_DEVICE static double cosh_big() { return 22.0; }
    RP_DEVICE static double cosh_huge() { return 8.9884656743115795e+307; }
    RP_DEVICE static double tanh_huge() { return 22.0; }
    RP_DEVICE static double four_sqrt_min() { return 5.9666725849601654e-154; }
    RP_DEVICE static double quarter_sqrt_max() { return 3.3519519824856489e+153; }
    RP_DEVICE static double sqrt_min() { return 1.4916681462400413e-154; }
    RP_DEVICE static double sqrt_6_eps() { return 3.65002414998885671e-08; }
    RP_DEVICE static double sqrt_3_eps() { return 2.5809568279517849e-8; }
    RP_DEVICE static double pio2_lo() { return 6.1232339957367659e-17; }
};

namespace cm {  // implementation details of the complex functions

// exp(x) * (cos(y) + i sin(y)) * 2^expt without overflowing exp for x in the scaled range.
template <class T> RP_DEVICE complex<T> scaled_cexp(T x, T y, int expt) {
    const int k = cconst<T>::scaled_cexp_k;
    int ex, excos, exsin;
    T mant = m::frexp(m::exp(x - k * cconst<T>::loge2()), &ex);
    T mantcos = m::frexp(m::cos(y), &excos);
    T mantsin = m::frexp(m::sin(y), &exsin);
    expt += ex + k;
    return complex<T>(m::ldexp(mant * mantcos, expt + excos), m::ldexp(mant * mantsin, expt + exsin));
}

// (hypot(a, b) - b) / 2 without cancellation.
template <class T> RP_DEVICE T f(T a, T b, T hypot_a_b) {
    if (b < 0) return (hypot_a_b - b) / 2;
    if (b == 0) return a / 2;
    return a * a / (hypot_a_b + b) / 2;
}

// The shared core of casinh and cacos (Hull, Fairgrieve and Tang); x, y >= 0, < 1/eps.
template <class T>
RP_DEVICE void do_hard_work(T x, T y, T* rx, bool* B_is_usable, T* B, T* sqrt_A2my2, T* new_y) {
    const T A_crossover = T(10), B_crossover = T(0.6417), eps = limits<T>::eps();
    T R = m::hypot(x, y + 1), S = m::hypot(x, y - 1);
    T A = (R + S) / 2, Am1, Amy;
    if (A < 1) A = 1;
    if (A < A_crossover) {
        if (y == 1 && x < eps * eps / 128) {
            *rx = m::sqrt(x);
        } else if (x >= eps * m::fabs(y - 1)) {
            Am1 = f(x, 1 + y, R) + f(x, 1 - y, S);
            *rx = m::log1p(Am1 + m::sqrt(Am1 * (A + 1)));
        } else if (y < 1) {
            *rx = x / m::sqrt((1 - y) * (1 + y));
        } else {
            *rx = m::log1p((y - 1) + m::sqrt((y - 1) * (y + 1)));
        }
    } else {
        *rx = m::log(A + m::sqrt(A * A - 1));
    }
    *new_y = y;
    if (y < cconst<T>::four_sqrt_min()) {
        *B_is_usable = false;
        *sqrt_A2my2 = A * (2 / eps);
        *new_y = y * (2 / eps);
        return;
    }
    *B = y / A;
    *B_is_usable = true;
    if (*B > B_crossover) {
        *B_is_usable = false;
        if (y == 1 && x < eps / 128) {
            *sqrt_A2my2 = m::sqrt(x) * m::sqrt((A + y) / 2);
        } else if (x >= eps * m::fabs(y - 1)) {
            Amy = f(x, y + 1, R) + f(x, y - 1, S);
            *sqrt_A2my2 = m::sqrt(Amy * (A + y));
        } else if (y > 1) {
            *sqrt_A2my2 = x * (4 / eps / eps) * y / m::sqrt((y + 1) * (y - 1));
            *new_y = y * (4 / eps / eps);
        } else {
            *sqrt_A2my2 = m::sqrt((1 - y) * (1 + y));
        }
    }
}

// log of a complex with |z| finite and larger than ~1/eps.
template <class T> RP_DEVICE void clog_for_large_values(T x, T y, T* rr, T* ri) {
    T ax = m::fabs(x), ay = m::fabs(y);
    if (ax < ay) { T t = ax; ax = ay; ay = t; }
    if (ax > limits<T>::max() / 2) {
        *rr = m::log(m::hypot(x / cconst<T>::e(), y / cconst<T>::e())) + 1;
    } else if (ax > cconst<T>::quarter_sqrt_max() || ay < cconst<T>::sqrt_min()) {
        *rr = m::log(m::hypot(x, y));
    } else {
        *rr = m::log(ax * ax + ay * ay) / 2;
    }
    *ri = m::atan2(y, x);
}

// x*x + y*y, or x*x when y*y would underflow.
template <class T> RP_DEVICE T sum_squares(T x, T y) {
    return y < cconst<T>::sqrt_min() ? x * x : x * x + y * y;
}

// Re(1 / (x + iy)) without spurious underflow; one of x, y is larger than 1/eps.
RP_DEVICE float real_part_reciprocal(float x, float y) {
    const int32_t cutoff = 24 / 2 + 1, bias = 127;
    int32_t ix = (int32_t)(float_bits(x) & 0x7f800000u), iy = (int32_t)(float_bits(y) & 0x7f800000u);
    if (ix - iy >= (cutoff << 23) || m::isinf(x)) return 1 / x;
    if (iy - ix >= (cutoff << 23)) return x / y / y;
    if (ix <= ((bias + 128 / 2 - cutoff) << 23)) return x / (x * x + y * y);
    float scale = bits_float((uint32_t)(0x7f800000 - ix));
    x *= scale;
    y *= scale;
    return x / (x * x + y * y) * scale;
}
RP_DEVICE double real_part_reciprocal(double x, double y) {
    const int32_t cutoff = 53 / 2 + 1, bias = 1023;
    int32_t hx = (int32_t)((double_bits(x) >> 32) & 0x7ff00000u);
    int32_t hy = (int32_t)((double_bits(y) >> 32) & 0x7ff00000u);
    if (hx - hy >= (cutoff << 20) || m::isinf(x)) return 1 / x;
    if (hy - hx >= (cutoff << 20)) return x / y / y;
    if (hx <= ((bias + 1024 / 2 - cutoff) << 20)) return x / (x * x + y * y);
    double scale = bits_double((uint64_t)(uint32_t)(0x7ff00000 - hx) << 32);
    x *= scale;
    y *= scale;
    return x / (x * x + y * y) * scale;
}

// z * w as C99 Annex G's _Cmultd (what C compilers emit for complex '*'): an inf * 0 term no longer
// turns an infinite product into nan + nan i.
template <class T> RP_DEVICE complex<T> mul_c99(complex<T> z, complex<T> w) {
    T a = z.re, b = z.im, c = w.re, d = w.im;
    T ac = a * c, bd = b * d, ad = a * d, bc = b * c;
    T x = ac - bd, y = ad + bc;
    if (m::isnan(x) && m::isnan(y)) {
        bool recalc = false;
        if (m::isinf(a) || m::isinf(b)) {
            a = m::copysign(m::isinf(a) ? T(1) : T(0), a);
            b = m::copysign(m::isinf(b) ? T(1) : T(0), b);
            if (m::isnan(c)) c = m::copysign(T(0), c);
            if (m::isnan(d)) d = m::copysign(T(0), d);
            recalc = true;
        }
        if (m::isinf(c) || m::isinf(d)) {
            c = m::copysign(m::isinf(c) ? T(1) : T(0), c);
            d = m::copysign(m::isinf(d) ? T(1) : T(0), d);
            if (m::isnan(a)) a = m::copysign(T(0), a);
            if (m::isnan(b)) b = m::copysign(T(0), b);
            recalc = true;
        }
        if (!recalc && (m::isinf(ac) || m::isinf(bd) || m::isinf(ad) || m::isinf(bc))) {
            if (m::isnan(a)) a = m::copysign(T(0), a);
            if (m::isnan(b)) b = m::copysign(T(0), b);
            if (m::isnan(c)) c = m::copysign(T(0), c);
            if (m::isnan(d)) d = m::copysign(T(0), d);
            recalc = true;
        }
        if (recalc) {
            x = limits<T>::inf() * (a * c - b * d);
            y = limits<T>::inf() * (a * d + b * c);
        }
    }
    return complex<T>(x, y);
}

}  // namespace cm

namespace m {

// Special values (an infinite or nan part, and the zeros the C library singles out) follow glibc's
// complex functions, which NumPy calls on Linux; finite values use NumPy's npymath algorithms. Where
// C99 Annex G leaves a sign unspecified, glibc's choice is deterministic (it never copies the sign of
// a NaN computed inside the function), and so is ours.

template <class T> RP_DEVICE T abs(complex<T> z) { return hypot(z.re, z.im); }
template <class T> RP_DEVICE T arg(complex<T> z) { return atan2(z.im, z.re); }

template <class T> RP_DEVICE complex<T> exp(complex<T> z) {
    T r = z.re, i = z.im;
    if (isfinite(r)) {
        if (!isfinite(i)) return complex<T>(limits<T>::nan(), limits<T>::nan());
        if (i == 0) return complex<T>(exp(r), i);  // not inf * 0 when exp(r) overflows
        if (r >= cconst<T>::scaled_cexp_lower() && r <= cconst<T>::scaled_cexp_upper())
            return cm::scaled_cexp(r, i, 0);
        T x = exp(r);
        return complex<T>(x * cos(i), x * sin(i));
    }
    if (isinf(r)) {
        if (isfinite(i)) {
            T value = signbit(r) ? T(0) : limits<T>::inf();
            if (i == 0) return complex<T>(value, i);
            return complex<T>(copysign(value, cos(i)), copysign(value, sin(i)));
        }
        if (!signbit(r)) return complex<T>(limits<T>::inf(), limits<T>::nan());
        return complex<T>(0, copysign(T(0), i));
    }
    return complex<T>(limits<T>::nan(), i == 0 ? i : limits<T>::nan());
}

// CPython's algorithm: rescaling for tiny and huge |z|, log1p near |z| = 1.
template <class T> RP_DEVICE complex<T> log(complex<T> z) {
    T ax = fabs(z.re), ay = fabs(z.im), rr;
    if (isnan(z.re) || isnan(z.im))
        return complex<T>((isinf(z.re) || isinf(z.im)) ? limits<T>::inf() : limits<T>::nan(), limits<T>::nan());
    if (ax > limits<T>::max() / 4 || ay > limits<T>::max() / 4) {
        rr = log(hypot(ax / 2, ay / 2)) + cconst<T>::loge2();
    } else if (ax < limits<T>::min() && ay < limits<T>::min()) {
        if (ax > 0 || ay > 0) {
            const int md = limits<T>::mant_dig;
            rr = log(hypot(ldexp(ax, md), ldexp(ay, md))) - md * cconst<T>::loge2();
        } else {
            return complex<T>(-limits<T>::inf(), arg(z));  // log(+-0 +-0i)
        }
    } else {
        T h = hypot(ax, ay);
        if (T(0.71) <= h && h <= T(1.73)) {
            T am = ax > ay ? ax : ay, an = ax > ay ? ay : ax;
            rr = log1p((am - 1) * (am + 1) + an * an) / 2;
        } else {
            rr = log(h);
        }
    }
    return complex<T>(rr, arg(z));
}

template <class T> RP_DEVICE complex<T> sqrt(complex<T> z) {
    T a = z.re, b = z.im, t;
    if (isinf(b)) return complex<T>(limits<T>::inf(), b);
    if (isinf(a)) {
        if (a < 0) return complex<T>(isnan(b) ? limits<T>::nan() : T(0), copysign(limits<T>::inf(), b));
        return complex<T>(a, isnan(b) ? limits<T>::nan() : copysign(T(0), b));
    }
    if (isnan(a) || isnan(b)) return complex<T>(limits<T>::nan(), limits<T>::nan());
    if (a == 0 && b == 0) return complex<T>(0, b);
    const T thresh = limits<T>::max() / (1 + cconst<T>::sqrt2());
    bool scale = fabs(a) >= thresh || fabs(b) >= thresh;
    if (scale) { a *= T(0.25); b *= T(0.25); }
    complex<T> result;
    if (a >= 0) {
        t = sqrt((a + hypot(a, b)) * T(0.5));
        result = complex<T>(t, b / (2 * t));
    } else {
        t = sqrt((-a + hypot(a, b)) * T(0.5));
        result = complex<T>(fabs(b) / (2 * t), copysign(t, b));
    }
    if (scale) result.re *= 2;
    return result;
}

template <class T> RP_DEVICE complex<T> cosh(complex<T> z) {
    T x = z.re, y = z.im, h, absx;
    if (isfinite(x)) {
        if (!isfinite(y)) return complex<T>(limits<T>::nan(), x == 0 ? T(0) : limits<T>::nan());
        if (y == 0) return complex<T>(cosh(x), x * y);
        absx = fabs(x);
        if (absx < cconst<T>::cosh_big()) return complex<T>(cosh(x) * cos(y), sinh(x) * sin(y));
        if (absx < cconst<T>::scaled_cexp_lower()) {
            h = exp(absx) * T(0.5);
            return complex<T>(h * cos(y), copysign(h, x) * sin(y));
        }
        if (absx < cconst<T>::scaled_cexp_upper()) {
            complex<T> w = cm::scaled_cexp(absx, y, -1);
            return complex<T>(w.re, w.im * copysign(T(1), x));
        }
        h = cconst<T>::cosh_huge() * x;
        return complex<T>(h * h * cos(y), h * sin(y));
    }
    if (isinf(x)) {
        if (y == 0) return complex<T>(limits<T>::inf(), y * copysign(T(1), x));
        if (!isfinite(y)) return complex<T>(limits<T>::inf(), limits<T>::nan());
        return complex<T>(copysign(limits<T>::inf(), cos(y)), copysign(limits<T>::inf(), sin(y)) * copysign(T(1), x));
    }
    return complex<T>(limits<T>::nan(), y == 0 ? y : limits<T>::nan());
}

template <class T> RP_DEVICE complex<T> sinh(complex<T> z) {
    T x = z.re, y = z.im, h, absx;
    if (isfinite(x)) {
        if (!isfinite(y)) return complex<T>(x == 0 ? x : limits<T>::nan(), limits<T>::nan());
        if (y == 0) return complex<T>(sinh(x), y);
        absx = fabs(x);
        if (absx < cconst<T>::cosh_big()) return complex<T>(sinh(x) * cos(y), cosh(x) * sin(y));
        if (absx < cconst<T>::scaled_cexp_lower()) {
            h = exp(fabs(x)) * T(0.5);
            return complex<T>(copysign(h, x) * cos(y), h * sin(y));
        }
        if (x < cconst<T>::scaled_cexp_upper()) {  // sic: x, not |x|, as in NumPy
            complex<T> w = cm::scaled_cexp(absx, y, -1);
            return complex<T>(w.re * copysign(T(1), x), w.im);
        }
        h = cconst<T>::cosh_huge() * x;
        return complex<T>(h * cos(y), h * h * sin(y));
    }
    if (isinf(x)) {
        if (y == 0) return complex<T>(x, y);
        if (!isfinite(y)) return complex<T>(limits<T>::inf(), limits<T>::nan());
        return complex<T>(copysign(limits<T>::inf(), cos(y)) * copysign(T(1), x), copysign(limits<T>::inf(), sin(y)));
    }
    return complex<T>(limits<T>::nan(), y == 0 ? y : limits<T>::nan());
}

// Kahan's algorithm.
template <class T> RP_DEVICE complex<T> tanh(complex<T> z) {
    T x = z.re, y = z.im;
    if (isinf(x)) {
        T im = (isfinite(y) && fabs(y) > 1) ? copysign(T(0), sin(y) * cos(y)) : copysign(T(0), y);
        return complex<T>(copysign(T(1), x), im);
    }
    if (!isfinite(x) || !isfinite(y)) {
        if (y == 0) return z;
        return complex<T>(x == 0 ? x : limits<T>::nan(), limits<T>::nan());
    }
    if (fabs(x) >= cconst<T>::tanh_huge()) {
        T exp_mx = exp(-fabs(x));
        return complex<T>(copysign(T(1), x), 4 * sin(y) * cos(y) * exp_mx * exp_mx);
    }
    T t = tan(y), beta = 1 + t * t, s = sinh(x), rho = sqrt(1 + s * s), denom = 1 + beta * s * s;
    return complex<T>((beta * rho * s) / denom, t / denom);
}

// cos(z) = cosh(iz), tan(z) = -i tanh(iz); sin(z) = -i sinh(iz) for finite z.
template <class T> RP_DEVICE complex<T> cos(complex<T> z) { return cosh(complex<T>(-z.im, z.re)); }
template <class T> RP_DEVICE complex<T> tan(complex<T> z) {
    complex<T> w = tanh(complex<T>(-z.im, z.re));
    return complex<T>(w.im, -w.re);
}
template <class T> RP_DEVICE complex<T> sin(complex<T> z) {
    T x = z.re, y = z.im;
    if (!isfinite(x) || !isfinite(y)) {
        if (isfinite(y)) return complex<T>(limits<T>::nan(), y == 0 ? y : limits<T>::nan());
        if (x == 0) return complex<T>(x, isinf(y) ? y : limits<T>::nan());
        if (isinf(y) && isfinite(x)) {
            return complex<T>(copysign(limits<T>::inf(), sin(x)),
                              copysign(limits<T>::inf(), cos(x)) * copysign(T(1), y));
        }
        return complex<T>(limits<T>::nan(), isinf(y) ? limits<T>::inf() : limits<T>::nan());
    }
    complex<T> w = sinh(complex<T>(-y, x));
    return complex<T>(w.im, -w.re);
}

template <class T> RP_DEVICE complex<T> asinh(complex<T> z) {
    const T recip_eps = 1 / limits<T>::eps();
    T x = z.re, y = z.im, ax = fabs(x), ay = fabs(y), wx, wy, rx, ry, B, sqrt_A2my2, new_y;
    bool B_is_usable;
    if (!isfinite(x) || !isfinite(y)) {
        if (isinf(y)) {
            T im = isnan(x) ? limits<T>::nan() : copysign(isfinite(x) ? cconst<T>::pi_2() : cconst<T>::pi_2() / 2, y);
            return complex<T>(copysign(limits<T>::inf(), x), im);
        }
        if (!isfinite(x)) {
            bool zero = (isinf(x) && isfinite(y)) || (isnan(x) && y == 0);
            return complex<T>(x, zero ? copysign(T(0), y) : limits<T>::nan());
        }
        return complex<T>(limits<T>::nan(), limits<T>::nan());
    }
    if (ax > recip_eps || ay > recip_eps) {
        if (!signbit(x)) {
            cm::clog_for_large_values(x, y, &wx, &wy);
        } else {
            cm::clog_for_large_values(-x, -y, &wx, &wy);
        }
        wx += cconst<T>::loge2();
        return complex<T>(copysign(wx, x), copysign(wy, y));
    }
    if (x == 0 && y == 0) return z;
    if (ax < cconst<T>::sqrt_6_eps() / 4 && ay < cconst<T>::sqrt_6_eps() / 4) return z;
    cm::do_hard_work(ax, ay, &rx, &B_is_usable, &B, &sqrt_A2my2, &new_y);
    ry = B_is_usable ? asin(B) : atan2(new_y, sqrt_A2my2);
    return complex<T>(copysign(rx, x), copysign(ry, y));
}

// asin(z) = -i asinh(iz)
template <class T> RP_DEVICE complex<T> asin(complex<T> z) {
    if (isnan(z.re) || isnan(z.im)) {
        if (z.re == 0) return z;
        if (isinf(z.re) || isinf(z.im)) return complex<T>(limits<T>::nan(), copysign(limits<T>::inf(), z.im));
        return complex<T>(limits<T>::nan(), limits<T>::nan());
    }
    complex<T> w = asinh(complex<T>(-z.im, z.re));
    return complex<T>(w.im, -w.re);
}

template <class T> RP_DEVICE complex<T> acos(complex<T> z) {
    const T pio2_hi = cconst<T>::pi_2(), pio2_lo = cconst<T>::pio2_lo(), recip_eps = 1 / limits<T>::eps();
    T x = z.re, y = z.im, ax = fabs(x), ay = fabs(y), wx, wy, rx, ry, B, sqrt_A2mx2, new_x;
    bool sx = signbit(x), sy = signbit(y), B_is_usable;
    if (!isfinite(x) || !isfinite(y)) {  // pi/2 - asin(z)
        complex<T> w = asin(z);
        rx = cconst<T>::pi_2() - w.re;
        return complex<T>(rx == 0 ? T(0) : rx, -w.im);
    }
    if (ax > recip_eps || ay > recip_eps) {
        cm::clog_for_large_values(x, y, &wx, &wy);
        rx = fabs(wy);
        ry = wx + cconst<T>::loge2();
        if (!sy) ry = -ry;
        return complex<T>(rx, ry);
    }
    if (x == 1 && y == 0) return complex<T>(0, -y);
    if (ax < cconst<T>::sqrt_6_eps() / 4 && ay < cconst<T>::sqrt_6_eps() / 4)
        return complex<T>(pio2_hi - (x - pio2_lo), -y);
    cm::do_hard_work(ay, ax, &ry, &B_is_usable, &B, &sqrt_A2mx2, &new_x);
    if (B_is_usable) {
        rx = sx ? acos(-B) : acos(B);
    } else {
        rx = sx ? atan2(sqrt_A2mx2, -new_x) : atan2(sqrt_A2mx2, new_x);
    }
    if (!sy) ry = -ry;
    return complex<T>(rx, ry);
}

template <class T> RP_DEVICE complex<T> acosh(complex<T> z) {
    T x = z.re, y = z.im;
    if (!isfinite(x) || !isfinite(y)) {
        const T pi = 2 * cconst<T>::pi_2(), pi_4 = cconst<T>::pi_2() / 2;
        if (isinf(y)) {
            T a = isinf(x) ? (x < 0 ? pi - pi_4 : pi_4) : cconst<T>::pi_2();
            return complex<T>(limits<T>::inf(), isnan(x) ? limits<T>::nan() : copysign(a, y));
        }
        if (isinf(x))
            return complex<T>(limits<T>::inf(), isnan(y) ? limits<T>::nan() : copysign(signbit(x) ? pi : T(0), y));
        return complex<T>(limits<T>::nan(), x == 0 ? cconst<T>::pi_2() : limits<T>::nan());
    }
    complex<T> w = acos(z);
    return complex<T>(fabs(w.im), copysign(w.re, y));
}

template <class T> RP_DEVICE complex<T> atanh(complex<T> z) {
    const T pio2_hi = cconst<T>::pi_2(), pio2_lo = cconst<T>::pio2_lo(), recip_eps = 1 / limits<T>::eps();
    const T eps = limits<T>::eps();
    T x = z.re, y = z.im, ax = fabs(x), ay = fabs(y), rx, ry;
    if (!isfinite(x) || !isfinite(y)) {
        if (isinf(y)) return complex<T>(copysign(T(0), x), copysign(pio2_hi, y));
        if (isinf(x) || x == 0)
            return complex<T>(copysign(T(0), x), isnan(y) ? limits<T>::nan() : copysign(pio2_hi, y));
        return complex<T>(limits<T>::nan(), limits<T>::nan());
    }
    if (y == 0 && ax <= 1) return complex<T>(atanh(x), y);
    if (x == 0) return complex<T>(x, atan(y));
    if (ax > recip_eps || ay > recip_eps)
        return complex<T>(cm::real_part_reciprocal(x, y), copysign(pio2_hi + pio2_lo, y));
    if (ax < cconst<T>::sqrt_3_eps() / 2 && ay < cconst<T>::sqrt_3_eps() / 2) return z;
    if (ax == 1 && ay < eps) {
        rx = (cconst<T>::loge2() - log(ay)) / 2;
    } else {
        rx = log1p(4 * ax / cm::sum_squares(ax - 1, ay)) / 4;
    }
    if (ax == 1) {
        ry = atan2(T(2), -ay) / 2;
    } else if (ay < eps) {
        ry = atan2(2 * ay, (1 - ax) * (1 + ax)) / 2;
    } else {
        ry = atan2(2 * ay, (1 - ax) * (1 + ax) - ay * ay) / 2;
    }
    return complex<T>(copysign(rx, x), copysign(ry, y));
}

// atan(z) = -i atanh(iz)
template <class T> RP_DEVICE complex<T> atan(complex<T> z) {
    T x = z.re, y = z.im;
    if (!isfinite(x) || !isfinite(y)) {
        if (isinf(x)) return complex<T>(copysign(cconst<T>::pi_2(), x), copysign(T(0), y));
        if (isinf(y)) return complex<T>(isnan(x) ? limits<T>::nan() : copysign(cconst<T>::pi_2(), x), copysign(T(0), y));
        if (y == 0) return complex<T>(limits<T>::nan(), copysign(T(0), y));
        return complex<T>(limits<T>::nan(), limits<T>::nan());
    }
    complex<T> w = atanh(complex<T>(y, x));  // i conj(atanh(i conj(z)))
    return complex<T>(w.im, w.re);
}

// NumPy's npy_cpow: exact small integer powers by repeated multiplication, else glibc's cpow,
// exp(b log a) with C99's complex multiplication (which recovers infinities from inf * 0 terms).
template <class T> RP_DEVICE complex<T> pow(complex<T> a, complex<T> b) {
    T br = b.re, bi = b.im;
    if (br == 0 && bi == 0) return complex<T>(1, 0);
    if (a.re == 0 && a.im == 0) {
        if (br > 0) return complex<T>(0, 0);
        return complex<T>(limits<T>::nan(), limits<T>::nan());
    }
    if (bi == 0 && br > -100 && br < 100) {
        int n = (int)br;
        if (n == br) {
            if (n == 1) return a;
            if (n == 2) return a * a;
            if (n == 3) return a * (a * a);
            int k = n < 0 ? -n : n, mask = 1;
            complex<T> aa(1, 0), p = a;
            while (true) {
                if (k & mask) aa = aa * p;
                mask <<= 1;
                if (k < mask || mask <= 0) break;
                p = p * p;
            }
            if (br < 0) aa = complex<T>(1, 0) / aa;
            return aa;
        }
    }
    return exp(cm::mul_c99(b, log(a)));
}

}  // namespace m
}  // namespace rp

#endif  // RP_COMPLEX_H
