// unique, from a stable sort (kernels/sorting.py): marks where each run of equal values starts.
//
//   rp_unique_mark    sorted[i] = x[perm[i]] (perm null: x is sorted already, sorted[i] = x[i]) and
//                     flags[i] = 1 where a new value starts: i == 0, or its radix key (radix.h's to_key:
//                     -0.0 == +0.0, NaN == NaN) differs from the one before; with equal_nan == 0 every
//                     NaN starts its own run, as in NumPy.
//   rp_unique_counts  counts[k] = starts[k + 1] - starts[k] (n after the last start).
// Compaction of the flags (compact.hip) then gives the values, first indices and inverse.
#include "radix.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using K = /*@K@*/ uint32_t;         // the element's bits
constexpr int KIND = /*@KIND@*/ 2;  // rp_radix::UNSIGNED (and bool), SIGNED or FLOAT

using namespace rp_radix;

constexpr int THREADS = 256;

extern "C" __global__ void __launch_bounds__(THREADS)
rp_unique_mark(const K* x, const long long* perm, long long n, int equal_nan, K* sorted, uint8_t* flags) {
    for (long long i = (long long)blockIdx.x * THREADS + threadIdx.x; i < n; i += (long long)gridDim.x * THREADS) {
        K v = x[perm ? perm[i] : i];
        sorted[i] = v;
        K key = to_key<KIND>(v);
        bool start = i == 0 || key != to_key<KIND>(x[perm ? perm[i - 1] : i - 1]);
        if (KIND == FLOAT && !equal_nan && key == all_ones<K>()) start = true;  // the one key of NaN
        flags[i] = start;
    }
}

extern "C" __global__ void __launch_bounds__(THREADS)
rp_unique_counts(const long long* starts, long long m, long long n, long long* counts) {
    for (long long k = (long long)blockIdx.x * THREADS + threadIdx.x; k < m; k += (long long)gridDim.x * THREADS)
        counts[k] = (k + 1 < m ? starts[k + 1] : n) - starts[k];
}
