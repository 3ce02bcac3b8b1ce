// searchsorted: one binary search per value, comparing radix keys (radix.h's to_key), which order values
// exactly as NumPy compares them: -0.0 == +0.0, NaN equal to NaN and after everything else.
//
//   rp_searchsorted   out[i] = the first position p in [0, n] of the sorted `a` (read through `sorter`
//                     when given) with a[p] >= v[i] (side left) or a[p] > v[i] (side right).
//   rp_check_sorter   *bad = 1 when an entry of sorter lies outside [0, n) (NumPy raises then; the
//                     caller leaves that to the host).
#include "radix.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using K = /*@K@*/ uint32_t;         // the element's bits (a and v share the dtype)
constexpr int KIND = /*@KIND@*/ 2;  // rp_radix::UNSIGNED (and bool), SIGNED or FLOAT

using namespace rp_radix;

constexpr int THREADS = 256;

// a: the sorted array's first element and its stride in bytes; v: contiguous values.
extern "C" __global__ void __launch_bounds__(THREADS)
rp_searchsorted(const char* a, long long n, long long a_stride, const long long* sorter, const K* v, long long m,
                int right, long long* out) {
    for (long long i = (long long)blockIdx.x * THREADS + threadIdx.x; i < m; i += (long long)gridDim.x * THREADS) {
        K key = to_key<KIND>(v[i]);
        long long lo = 0, hi = n;
        while (lo < hi) {
            long long mid = lo + (hi - lo) / 2;
            long long at = mid;
            if (sorter) {
                at = sorter[mid];
                at = at < 0 ? 0 : at >= n ? n - 1 : at;  // out of range: the result is discarded
            }
            K k = to_key<KIND>(*(const K*)(a + at * a_stride));
            if (right ? k <= key : k < key)
                lo = mid + 1;
            else
                hi = mid;
        }
        out[i] = lo;
    }
}

extern "C" __global__ void __launch_bounds__(THREADS)
rp_check_sorter(const long long* sorter, long long n, int* bad) {
    for (long long i = (long long)blockIdx.x * THREADS + threadIdx.x; i < n; i += (long long)gridDim.x * THREADS)
        if (sorter[i] < 0 || sorter[i] >= n) *bad = 1;
}
