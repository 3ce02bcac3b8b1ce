// Sums in NumPy's order (kernels/segments.py): each sum is one chain of additions, element after element,
// as NumPy's loops add them, so the rounding is NumPy's. A parallel tree would round differently.
//
//   rp_segment_sum   out[k] = ((0 + v[b[k]]) + v[b[k] + 1]) + ... + v[b[k + 1] - 1], in acc_t
//                    (np.bincount's weighted loop for double, ``n += block`` of histogram for others)
//   rp_row_cumsum    out[r, i] = v[r, 0] + v[r, 1] + ... + v[r, i] for each row of n, in acc_t (np.cumsum)
//
// One thread per segment or row: its additions depend on each other, and segments are independent.
#include "prelude.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using in_t = /*@IN@*/ float;    // element type of the values
using acc_t = /*@ACC@*/ double; // the type NumPy adds in (and the output's)

constexpr int THREADS = 256;

extern "C" __global__ void __launch_bounds__(THREADS)
rp_segment_sum(const in_t* values, const long long* bounds, long long segments, acc_t* out) {
    for (long long k = (long long)blockIdx.x * THREADS + threadIdx.x; k < segments;
         k += (long long)gridDim.x * THREADS) {
        acc_t acc = rp::cast<acc_t>((int32_t)0);
        const long long end = bounds[k + 1];
        for (long long i = bounds[k]; i < end; ++i) acc = (acc_t)(acc + rp::cast<acc_t>(values[i]));
        out[k] = acc;
    }
}

extern "C" __global__ void __launch_bounds__(THREADS)
rp_row_cumsum(const in_t* values, long long rows, long long n, acc_t* out) {
    for (long long r = (long long)blockIdx.x * THREADS + threadIdx.x; r < rows; r += (long long)gridDim.x * THREADS) {
        const in_t* v = values + r * n;
        acc_t* o = out + r * n;
        acc_t acc = rp::cast<acc_t>(v[0]);  // NumPy's accumulate starts from the first element, not from 0
        o[0] = acc;
        for (long long i = 1; i < n; ++i) {
            acc = (acc_t)(acc + rp::cast<acc_t>(v[i]));
            o[i] = acc;
        }
    }
}
