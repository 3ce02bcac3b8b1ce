// Device-wide radix sort pass, step 3 of 3 (kernels/sorting.py runs them; step 1 is radix_count.hip,
// step 2 scan.hip): each block ranks its tile's keys stably by the pass's digit (radix.h's rank_in_warp),
// gathers them by digit in shared memory, and writes each digit's run contiguously to where the digit's
// keys of earlier tiles end (the scanned counts); int64 payloads (positions) follow their keys.
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

struct ScatterShared {
    union {
        K keys[TILE];
        long long payload[TILE];
    } buf;
    RankScratch<THREADS> rank;
    I dest[RADIX];  // where the tile's run of each digit starts in the output, minus its start in the tile
    I scan[2][RADIX];
};

// offsets: the counts after the exclusive scan of each digit row; totals: each digit's count over all
// tiles. keys_out may be null with F_NO_KEYS; pay_in may be null with F_IOTA.
extern "C" __global__ void __launch_bounds__(THREADS)
rp_radix_scatter(const K* keys_in, K* keys_out, const long long* pay_in, long long* pay_out, I n, int shift,
                 long long seg, int flags, const I* offsets, const I* totals, I tiles) {
    __shared__ ScatterShared s;
    const unsigned long long useg = (unsigned long long)seg;
    const I first = (I)blockIdx.x * TILE;
    const int count = (int)min_of<I>((I)TILE, n - first);
    const int warp = threadIdx.x / warpSize;
    rank_reset<THREADS>(s.rank);
    __syncthreads();

    // Rank the tile's keys (each warp a contiguous run of it: coalesced loads).
    K k[ITEMS];
    int at[ITEMS];
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) {
        int j = tile_position<ITEMS>(i);
        bool valid = j < count;
        k[i] = valid ? load_key<KIND>(keys_in[first + j], flags) : (K)0;
        at[i] = rank_in_warp<THREADS>(digit_of(k[i], shift, useg), valid, s.rank);
    }
    rank_finish<THREADS>(s.rank);
    // Digit d's run starts at s.rank.start[d] in the tile and at totals-prefix + offsets in the output.
    const int d0 = threadIdx.x;
    I before = block_exclusive_scan<RADIX>(totals[d0], s.scan, (I*)0);
    s.dest[d0] = before + offsets[(I)d0 * tiles + blockIdx.x] - (I)s.rank.start[d0];
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) {
        if (tile_position<ITEMS>(i) < count) {
            at[i] += (int)s.rank.base[warp][digit_of(k[i], shift, useg)];
            s.buf.keys[at[i]] = k[i];
        }
    }
    __syncthreads();
    // Write out in striped order: consecutive threads, consecutive positions of a digit's run.
    I dest[ITEMS];
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) {
        int j = i * THREADS + threadIdx.x;
        if (j < count) {
            K key = s.buf.keys[j];
            dest[i] = s.dest[digit_of(key, shift, useg)] + j;
            if (!(flags & F_NO_KEYS)) keys_out[dest[i]] = (flags & F_OUT) ? from_ordered<KIND>(key) : key;
        }
    }
    if (!(flags & F_PAYLOAD)) return;
    __syncthreads();  // every key is read out of buf
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) {
        int j = tile_position<ITEMS>(i);
        if (j < count) s.buf.payload[at[i]] = (flags & F_IOTA) ? (long long)(first + j) : pay_in[first + j];
    }
    __syncthreads();
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) {
        int j = i * THREADS + threadIdx.x;
        if (j < count) pay_out[dest[i]] = s.buf.payload[j];
    }
}
