// Exclusive prefix sums of rows of counts, in place: block r scans row r (of `len` entries) and writes the
// row's sum to totals[r]. The radix sort scans its 256 digit rows of per-tile counts with it; compaction
// (nonzero, extract, unique) scans its one row of per-tile counts.
#include "radix.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using I = /*@I@*/ int;  // int, or long long past 2**31 items

constexpr int THREADS = 256;
constexpr int ITEMS = 8;  // consecutive entries per thread per chunk

extern "C" __global__ void __launch_bounds__(THREADS) rp_scan_rows(I* data, I len, I* totals) {
    __shared__ I buf[2][THREADS];
    I* row = data + (I)blockIdx.x * len;
    I carry = 0;
    for (I chunk = 0; chunk < len; chunk += THREADS * ITEMS) {
        I first = chunk + (I)threadIdx.x * ITEMS;
        I v[ITEMS];
        I sum = 0;
#pragma unroll
        for (int i = 0; i < ITEMS; ++i) {
            v[i] = first + i < len ? row[first + i] : (I)0;
            sum += v[i];
        }
        I chunk_total;
        I run = carry + rp_radix::block_exclusive_scan<THREADS>(sum, buf, &chunk_total);
#pragma unroll
        for (int i = 0; i < ITEMS; ++i) {
            if (first + i < len) row[first + i] = run;
            run += v[i];
        }
        carry += chunk_total;
    }
    if (threadIdx.x == 0) totals[blockIdx.x] = carry;
}
