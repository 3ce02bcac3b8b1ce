// The operations of the reduction and scan kernels (reduce.hip, cumulative.hip), their element helpers
// and warp shuffles of any accumulator type.
//
// An operation is a struct with
//   acc_t                       the accumulator (T itself, or a small struct for mean/var/ptp/argmax)
//   identity()                  the accumulator of no elements
//   map(x, i)                   the accumulator of element x (its flat index i along the reduced axes)
//   combine(a, b)               associative (up to float rounding); b comes after a
//   post(a, n, ddof)            the result: n the number of reduced elements, ddof var/std's
// over template parameters In (the element type) and T (the accumulation type: float for half).
// NumPy's semantics in detail: integers wrap, NaN propagates through max/min/ptp and wins argmax/argmin,
// nan- variants skip NaN elements, complex numbers order lexicographically.
#ifndef RP_REDUCE_OPS_H
#define RP_REDUCE_OPS_H

#include "complex.h"

namespace rp_red {

// ---- element helpers ------------------------------------------------------------------------------

template <class T> struct real_of { typedef T type; };
template <class R> struct real_of<rp::complex<R> > { typedef R type; };

template <class T> RP_DEVICE bool is_nan(T x) { return x != x; }  // false for integers and bool
template <class R> RP_DEVICE bool is_nan(rp::complex<R> z) { return z.re != z.re || z.im != z.im; }

// Integer arithmetic in unsigned types: wraps like NumPy, with no signed overflow (undefined in C++).
template <class T> struct wide { typedef typename rp::enable_if<(rp::traits<T>::bits <= 32), uint32_t>::type type; };
template <> struct wide<int64_t> { typedef uint64_t type; };
template <> struct wide<uint64_t> { typedef uint64_t type; };

template <class T, RP_IF(rp::is_int<T>::value)> RP_DEVICE T add(T a, T b) {
    typedef typename wide<T>::type W;
    return (T)((W)a + (W)b);
}
template <class T, RP_IF(rp::is_int<T>::value)> RP_DEVICE T sub(T a, T b) {
    typedef typename wide<T>::type W;
    return (T)((W)a - (W)b);
}
template <class T, RP_IF(rp::is_int<T>::value)> RP_DEVICE T mul(T a, T b) {
    typedef typename wide<T>::type W;
    return (T)((W)a * (W)b);
}
template <class T, RP_IF(!rp::is_int<T>::value)> RP_DEVICE T add(T a, T b) { return a + b; }
template <class T, RP_IF(!rp::is_int<T>::value)> RP_DEVICE T sub(T a, T b) { return a - b; }
template <class T, RP_IF(!rp::is_int<T>::value)> RP_DEVICE T mul(T a, T b) { return a * b; }
RP_DEVICE bool add(bool a, bool b) { return a || b; }  // NumPy's bool sum with dtype=bool
RP_DEVICE bool mul(bool a, bool b) { return a && b; }
RP_DEVICE bool sub(bool a, bool b) { return a != b; }

// Orderings as NumPy's maximum/minimum use them: complex numbers compare lexicographically.
template <class T> RP_DEVICE bool ge(T a, T b) { return a >= b; }
template <class T> RP_DEVICE bool le(T a, T b) { return a <= b; }
template <class T> RP_DEVICE bool gt(T a, T b) { return a > b; }
template <class T> RP_DEVICE bool lt(T a, T b) { return a < b; }
template <class R> RP_DEVICE bool ge(rp::complex<R> a, rp::complex<R> b) {
    return a.re > b.re || (a.re == b.re && a.im >= b.im);
}
template <class R> RP_DEVICE bool le(rp::complex<R> a, rp::complex<R> b) {
    return a.re < b.re || (a.re == b.re && a.im <= b.im);
}
template <class R> RP_DEVICE bool gt(rp::complex<R> a, rp::complex<R> b) {
    return a.re > b.re || (a.re == b.re && a.im > b.im);
}
template <class R> RP_DEVICE bool lt(rp::complex<R> a, rp::complex<R> b) {
    return a.re < b.re || (a.re == b.re && a.im < b.im);
}

// The least and greatest values of a type: identities of max and min.
template <class T, int K = rp::traits<T>::kind> struct bounds;
template <class T> struct bounds<T, rp::K_BOOL> {
    RP_DEVICE static T lowest() { return false; }
    RP_DEVICE static T highest() { return true; }
};
template <class T> struct bounds<T, rp::K_SINT> {
    RP_DEVICE static T lowest() { return (T)((typename rp::traits<T>::unsigned_t)1 << (rp::traits<T>::bits - 1)); }
    RP_DEVICE static T highest() { return (T)~lowest(); }
};
template <class T> struct bounds<T, rp::K_UINT> {
    RP_DEVICE static T lowest() { return (T)0; }
    RP_DEVICE static T highest() { return (T)~(T)0; }
};
template <class T> struct bounds<T, rp::K_FLOAT> {
    RP_DEVICE static T lowest() { return -rp::limits<T>::inf(); }
    RP_DEVICE static T highest() { return rp::limits<T>::inf(); }
};
template <class T> struct bounds<T, rp::K_COMPLEX> {
    typedef typename real_of<T>::type R;
    RP_DEVICE static T lowest() { return T(-rp::limits<R>::inf(), -rp::limits<R>::inf()); }
    RP_DEVICE static T highest() { return T(rp::limits<R>::inf(), rp::limits<R>::inf()); }
};

// The identity of nanmax/nanmin: NaN where T has one (fmax(NaN, x) is x, and an all-NaN slice stays NaN).
template <class T, RP_IF(rp::is_float<T>::value)> RP_DEVICE T nan_or(T) { return rp::limits<T>::nan(); }
template <class T, RP_IF(rp::is_complex<T>::value)> RP_DEVICE T nan_or(T) {
    typedef typename real_of<T>::type R;
    return T(rp::limits<R>::nan(), rp::limits<R>::nan());
}
template <class T, RP_IF(!rp::is_float<T>::value && !rp::is_complex<T>::value)> RP_DEVICE T nan_or(T bound) {
    return bound;
}

template <class T> RP_DEVICE T zero() { return rp::cast<T>((int32_t)0); }
template <class T> RP_DEVICE T one() { return rp::cast<T>((int32_t)1); }

template <class T> RP_DEVICE T abs2(T x) { return x * x; }
template <class R> RP_DEVICE R abs2(rp::complex<R> z) { return z.re * z.re + z.im * z.im; }

// T divided by a count, in double and rounded once, as NumPy's true_divide of the sum by the (integer)
// count does; integer sums give a double (NumPy's mean with an integer dtype= truncates it on the cast).
template <class T, RP_IF(rp::is_int<T>::value)> RP_DEVICE double div_count(T a, double n) { return (double)a / n; }
RP_DEVICE double div_count(bool a, double n) { return (a ? 1.0 : 0.0) / n; }
template <class T, RP_IF(rp::is_float<T>::value)> RP_DEVICE T div_count(T a, double n) { return (T)((double)a / n); }
template <class R> RP_DEVICE rp::complex<R> div_count(rp::complex<R> a, double n) {
    return rp::complex<R>((R)((double)a.re / n), (R)((double)a.im / n));
}

// ---- operations -------------------------------------------------------------------------------------
// In: the element type; T: the accumulation type (float for half). Index: the reduced element's flat
// index (C order of the reduced axes), used by argmax/argmin only.
typedef int64_t Index;

// sum, nansum (SKIP_NAN: NaN elements count as 0)
template <class In, class T, bool SKIP_NAN> struct Sum {
    typedef T acc_t;
    RP_DEVICE static acc_t identity() { return zero<T>(); }
    RP_DEVICE static acc_t map(In x, Index) { return SKIP_NAN && is_nan(x) ? zero<T>() : rp::cast<T>(x); }
    RP_DEVICE static acc_t combine(acc_t a, acc_t b) { return add(a, b); }
    RP_DEVICE static T post(acc_t a, double, double) { return a; }
};

// prod, nanprod (SKIP_NAN: NaN elements count as 1)
template <class In, class T, bool SKIP_NAN> struct Prod {
    typedef T acc_t;
    RP_DEVICE static acc_t identity() { return one<T>(); }
    RP_DEVICE static acc_t map(In x, Index) { return SKIP_NAN && is_nan(x) ? one<T>() : rp::cast<T>(x); }
    RP_DEVICE static acc_t combine(acc_t a, acc_t b) { return mul(a, b); }
    RP_DEVICE static T post(acc_t a, double, double) { return a; }
};

// max (NaN wins, like np.maximum) and nanmax (NaN loses, like np.fmax; all-NaN gives NaN)
template <class In, class T, bool SKIP_NAN> struct Max {
    typedef T acc_t;
    RP_DEVICE static acc_t identity() { return SKIP_NAN ? nan_or(bounds<T>::lowest()) : bounds<T>::lowest(); }
    RP_DEVICE static acc_t map(In x, Index) { return rp::cast<T>(x); }
    RP_DEVICE static acc_t combine(acc_t a, acc_t b) {
        return (ge(a, b) || (SKIP_NAN ? is_nan(b) : is_nan(a))) ? a : b;
    }
    RP_DEVICE static T post(acc_t a, double, double) { return a; }
};

template <class In, class T, bool SKIP_NAN> struct Min {
    typedef T acc_t;
    RP_DEVICE static acc_t identity() { return SKIP_NAN ? nan_or(bounds<T>::highest()) : bounds<T>::highest(); }
    RP_DEVICE static acc_t map(In x, Index) { return rp::cast<T>(x); }
    RP_DEVICE static acc_t combine(acc_t a, acc_t b) {
        return (le(a, b) || (SKIP_NAN ? is_nan(b) : is_nan(a))) ? a : b;
    }
    RP_DEVICE static T post(acc_t a, double, double) { return a; }
};

// all, any: the element's truth (NaN is true), and / or. T is bool.
template <class In, class T> struct All {
    typedef bool acc_t;
    RP_DEVICE static acc_t identity() { return true; }
    RP_DEVICE static acc_t map(In x, Index) { return rp::cast<bool>(x); }
    RP_DEVICE static acc_t combine(acc_t a, acc_t b) { return a && b; }
    RP_DEVICE static bool post(acc_t a, double, double) { return a; }
};

template <class In, class T> struct Any {
    typedef bool acc_t;
    RP_DEVICE static acc_t identity() { return false; }
    RP_DEVICE static acc_t map(In x, Index) { return rp::cast<bool>(x); }
    RP_DEVICE static acc_t combine(acc_t a, acc_t b) { return a || b; }
    RP_DEVICE static bool post(acc_t a, double, double) { return a; }
};

// mean: the sum over the count n of reduced elements
template <class In, class T> struct Mean {
    typedef T acc_t;
    RP_DEVICE static acc_t identity() { return zero<T>(); }
    RP_DEVICE static acc_t map(In x, Index) { return rp::cast<T>(x); }
    RP_DEVICE static acc_t combine(acc_t a, acc_t b) { return add(a, b); }
    RP_DEVICE static auto post(acc_t a, double n, double) -> decltype(div_count(a, n)) { return div_count(a, n); }
};

// nanmean: sum and count of the elements that are not NaN (all-NaN gives 0 / 0 = NaN)
template <class T> struct SumCount {
    T sum;
    typename real_of<T>::type count;
};

template <class In, class T> struct NanMean {
    typedef typename real_of<T>::type R;
    typedef SumCount<T> acc_t;
    RP_DEVICE static acc_t identity() { acc_t a; a.sum = zero<T>(); a.count = (R)0; return a; }
    RP_DEVICE static acc_t map(In x, Index) {
        acc_t a;
        bool skip = is_nan(x);
        a.sum = skip ? zero<T>() : rp::cast<T>(x);
        a.count = skip ? (R)0 : (R)1;
        return a;
    }
    RP_DEVICE static acc_t combine(acc_t a, acc_t b) {
        acc_t c;
        c.sum = add(a.sum, b.sum);
        c.count = a.count + b.count;
        return c;
    }
    RP_DEVICE static T post(acc_t a, double, double) { return div_count(a.sum, (double)a.count); }
};

// var, std, nanvar, nanstd: count, mean and sum of squared deviations, merged pairwise (Chan et al.),
// so every partial is exact to working precision; complex variance is the mean of |x - mean|^2 (real).
template <class T> struct Moments {
    T mean;
    typename real_of<T>::type count, m2;
};

template <class T, class R> RP_DEVICE T scale(T a, R f) { return a * f; }
template <class R> RP_DEVICE rp::complex<R> scale(rp::complex<R> a, R f) {
    return rp::complex<R>(a.re * f, a.im * f);
}

template <class In, class T, bool SKIP_NAN, bool SQRT> struct Var {
    typedef typename real_of<T>::type R;
    typedef Moments<T> acc_t;
    RP_DEVICE static acc_t identity() { acc_t a; a.mean = zero<T>(); a.count = (R)0; a.m2 = (R)0; return a; }
    RP_DEVICE static acc_t map(In x, Index) {
        if (SKIP_NAN && is_nan(x)) return identity();
        acc_t a;
        a.mean = rp::cast<T>(x);
        a.count = (R)1;
        // NumPy's x - mean is NaN next to an infinite element, so its variance is NaN; Chan's update
        // would make it inf (or keep it finite): an infinite element starts with m2 = NaN instead.
        a.m2 = is_nan(sub(a.mean, a.mean)) ? rp::limits<R>::nan() : (R)0;
        return a;
    }
    RP_DEVICE static acc_t combine(acc_t a, acc_t b) {
        if (b.count == (R)0) return a;
        if (a.count == (R)0) return b;
        acc_t c;
        c.count = a.count + b.count;
        T delta = b.mean - a.mean;
        R f = b.count / c.count;
        c.mean = a.mean + scale(delta, f);
        c.m2 = a.m2 + b.m2 + abs2(delta) * a.count * f;
        return c;
    }
    // NumPy: sum of squares / max(count - ddof, 0) (x / 0 gives inf or NaN, with NumPy's warning);
    // nanvar of floats says NaN wherever count - ddof <= 0 (of integers it is var).
    RP_DEVICE static R post(acc_t a, double, double ddof) {
        double d = (double)a.count - ddof;
        if (SKIP_NAN && (rp::is_float<In>::value || rp::is_complex<In>::value) && !(d > 0))
            return rp::limits<R>::nan();
        R v = (R)((double)a.m2 / (d > 0 ? d : 0.0));
        return SQRT ? rp::m::sqrt(v) : v;
    }
};

// ptp: max - min (NaN propagates), in the accumulation type (integers wrap like NumPy)
template <class T> struct Range {
    T hi, lo;
};

template <class In, class T> struct Ptp {
    typedef Range<T> acc_t;
    RP_DEVICE static acc_t identity() { acc_t a; a.hi = bounds<T>::lowest(); a.lo = bounds<T>::highest(); return a; }
    RP_DEVICE static acc_t map(In x, Index) { acc_t a; a.hi = a.lo = rp::cast<T>(x); return a; }
    RP_DEVICE static acc_t combine(acc_t a, acc_t b) {
        acc_t c;
        c.hi = Max<T, T, false>::combine(a.hi, b.hi);
        c.lo = Min<T, T, false>::combine(a.lo, b.lo);
        return c;
    }
    RP_DEVICE static T post(acc_t a, double, double) { return sub(a.hi, a.lo); }
};

// argmax, argmin: the first index of the extreme value; the first NaN wins, as in NumPy.
template <class T> struct ValueIndex {
    T value;
    Index index;
};

template <class In, class T, bool IS_MAX> struct Arg {
    typedef ValueIndex<T> acc_t;
    RP_DEVICE static acc_t identity() {
        acc_t a;
        a.value = IS_MAX ? bounds<T>::lowest() : bounds<T>::highest();
        a.index = (Index)0x7fffffffffffffffLL;  // loses every tie
        return a;
    }
    RP_DEVICE static acc_t map(In x, Index i) { acc_t a; a.value = rp::cast<T>(x); a.index = i; return a; }
    RP_DEVICE static acc_t combine(acc_t a, acc_t b) {
        bool an = is_nan(a.value), bn = is_nan(b.value);
        if (an != bn) return an ? a : b;
        if (!an) {
            if (IS_MAX ? gt(a.value, b.value) : lt(a.value, b.value)) return a;
            if (IS_MAX ? gt(b.value, a.value) : lt(b.value, a.value)) return b;
        }
        return a.index <= b.index ? a : b;
    }
    RP_DEVICE static Index post(acc_t a, double, double) { return a.index; }
};

// Storage for the block's accumulators in shared memory: raw bytes, because __shared__ variables may
// not have constructors and some accumulators (complex) do.
struct alignas(16) Slot16 {
    unsigned char b[16];
};

// ---- warp shuffles of any accumulator ----------------------------------------------------------------
// HIP's __shfl_* work on the device's wave (32 or 64 lanes); CUDA's need the _sync form and a lane mask.
// Every lane of the warp must make the call.
#if defined(__HIP__) || defined(__HIPCC_RTC__)
RP_DEVICE int shfl_down_word(int v, int delta, int width) { return __shfl_down(v, (unsigned)delta, width); }
RP_DEVICE int shfl_up_word(int v, int delta, int width) { return __shfl_up(v, (unsigned)delta, width); }
RP_DEVICE int shfl_word(int v, int src, int width) { return __shfl(v, src, width); }
#elif !defined(RP_HOST_ONLY)
RP_DEVICE int shfl_down_word(int v, int delta, int width) {
    return __shfl_down_sync(0xffffffffu, v, (unsigned)delta, width);
}
RP_DEVICE int shfl_up_word(int v, int delta, int width) { return __shfl_up_sync(0xffffffffu, v, (unsigned)delta, width); }
RP_DEVICE int shfl_word(int v, int src, int width) { return __shfl_sync(0xffffffffu, v, src, width); }
#else
// g++ (tests/kernel_reduction_host.cpp runs the kernels on CPU threads and defines these).
int shfl_down_word(int v, int delta, int width);
int shfl_up_word(int v, int delta, int width);
int shfl_word(int v, int src, int width);
#endif

// memcpy (which NVRTC lacks): char access may alias anything; the compiler keeps it in registers.
RP_DEVICE void copy_bytes(void* to, const void* from, unsigned n) {
#pragma unroll
    for (unsigned k = 0; k < n; ++k) ((char*)to)[k] = ((const char*)from)[k];
}

// An accumulator of any type moves as 32-bit words. MODE: 0 down by `d`, 1 up by `d`, 2 from lane `d`.
template <int MODE, class V> RP_DEVICE V shfl_any(V v, int d, int width) {
    enum { W = (sizeof(V) + 3) / 4 };
    int w[W];
    w[W - 1] = 0;
    copy_bytes(w, &v, sizeof(V));
#pragma unroll
    for (int k = 0; k < W; ++k)
        w[k] = MODE == 0 ? shfl_down_word(w[k], d, width) : MODE == 1 ? shfl_up_word(w[k], d, width)
                                                                    : shfl_word(w[k], d, width);
    copy_bytes(&v, w, sizeof(V));
    return v;
}
template <class V> RP_DEVICE V shfl_down(V v, int delta, int width) { return shfl_any<0>(v, delta, width); }
template <class V> RP_DEVICE V shfl_up(V v, int delta, int width) { return shfl_any<1>(v, delta, width); }
template <class V> RP_DEVICE V shfl(V v, int src, int width) { return shfl_any<2>(v, src, width); }

}  // namespace rp_red

#endif  // RP_REDUCE_OPS_H
