// Radix keys of complex numbers in NumPy's sort order, for kernels/sorting.py, which sorts by them
// stably, least significant first (sec, then pri, then cls). NumPy orders
//   [R + Rj, R + nanj, nan + Rj, nan + nanj]   (R: not NaN)
// and each of these classes by its parts that are not NaN, real first; -0.0 equals +0.0 (radix.h's
// to_key of each part).
//   cls  the class, 0 to 3 as listed
//   pri  the key of the real part (classes 0 and 1), of the imaginary part (class 2); 0 (class 3)
//   sec  the key of the imaginary part (class 0); 0 otherwise
#include "radix.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using H = /*@H@*/ uint32_t;  // the bits of one part: uint32_t (complex64) or uint64_t (complex128)

using namespace rp_radix;

constexpr int THREADS = 256;

RP_DEVICE bool is_nan(H bits) { return (H)(bits & (H)~top_bit<H>()) > inf_bits<H>(); }

extern "C" __global__ void __launch_bounds__(THREADS)
rp_complex_keys(const H* z, long long n, unsigned long long* sec, unsigned long long* pri,
                unsigned long long* cls_out) {
    for (long long i = (long long)blockIdx.x * THREADS + threadIdx.x; i < n; i += (long long)gridDim.x * THREADS) {
        const H re = z[2 * i], im = z[2 * i + 1];
        const int cls = 2 * is_nan(re) + is_nan(im);
        const H kr = to_key<FLOAT>(re), ki = to_key<FLOAT>(im);
        sec[i] = cls == 0 ? ki : 0;
        pri[i] = cls < 2 ? kr : cls == 2 ? ki : 0;
        cls_out[i] = (unsigned long long)cls;
    }
}
