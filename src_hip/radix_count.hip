// Device-wide radix sort pass, step 1 of 3 (kernels/sorting.py runs them): per tile of TILE keys, how
// many have each 8-bit digit. counts[digit * tiles + tile] is digit-major, so that an exclusive scan of
// each digit's row (scan.hip) gives every tile its place among the keys of that digit; step 3 is
// radix_scatter.hip.
#include "radix.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using K = /*@K@*/ uint32_t;         // the element's bits: uint8_t, uint16_t, uint32_t or uint64_t
constexpr int KIND = /*@KIND@*/ 2;  // rp_radix::UNSIGNED (and bool), SIGNED or FLOAT
using I = /*@I@*/ int;              // positions and counts: int, or long long past 2**31 items

using namespace rp_radix;

constexpr int THREADS = 256;             // == RADIX: one thread per digit in the digit loops
constexpr int TILE = THREADS * ITEMS;    // radix.h's ITEMS: 4096 items a tile (kernels/sorting.py mirrors it)
static_assert(THREADS == RADIX, "the digit loops assume one thread per digit");

extern "C" __global__ void __launch_bounds__(THREADS)
rp_radix_count(const K* keys, I n, int shift, long long seg, int flags, I* counts, I tiles) {
    __shared__ uint32_t hist[RADIX];
    hist[threadIdx.x] = 0;
    __syncthreads();
    I first = (I)blockIdx.x * TILE;
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) {
        I j = first + i * THREADS + threadIdx.x;
        if (j < n) atomicAdd(&hist[digit_of(load_key<KIND>(keys[j], flags), shift, (unsigned long long)seg)], 1u);
    }
    __syncthreads();
    counts[(I)threadIdx.x * tiles + blockIdx.x] = (I)hist[threadIdx.x];
}
