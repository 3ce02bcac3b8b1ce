// Sorts short rows completely inside one block each (kernels/sorting.py's plan for rows of at most
// BLOCK_TILE items, and for every small array): a block loads BLOCK_TILE / len whole rows, runs a stable
// counting sort pass in shared memory for every 8-bit digit of the keys (radix.h's to_key) and then for
// every digit of the row number (so rows stay apart), and writes the values, gathered from the input by
// their original position (bit-exact: -0.0 and NaN payloads survive), or each row's argsort.
#include "radix.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using K = /*@K@*/ uint32_t;         // the element's bits: uint8_t, uint16_t, uint32_t or uint64_t
constexpr int KIND = /*@KIND@*/ 2;  // rp_radix::UNSIGNED (and bool), SIGNED or FLOAT

using namespace rp_radix;

constexpr int THREADS = 256;  // == RADIX: one thread per digit in the digit loops
// 16 items per thread, 8 for 8-byte keys: shared memory stays under 48 KiB (kernels/sorting.py mirrors it).
constexpr int BLOCK_ITEMS = sizeof(K) == 8 ? 8 : 16;
constexpr int BLOCK_TILE = THREADS * BLOCK_ITEMS;
static_assert(THREADS == RADIX, "the digit loops assume one thread per digit");
static_assert(BLOCK_TILE < 65536, "block-local positions are 16-bit");

struct BlockShared {
    K keys[BLOCK_TILE];
    uint16_t pos[BLOCK_TILE];  // each item's position in the block's input
    TileRank<THREADS> rank;
};

// One stable counting-sort pass of the block's tile by the digit at `shift` of the key (seg == 0) or of
// pos / seg (the row within the block).
RP_DEVICE void block_pass(BlockShared& s, int shift, unsigned seg) {
    K k[BLOCK_ITEMS];
    uint16_t p[BLOCK_ITEMS];
    unsigned d[BLOCK_ITEMS];
    int at[BLOCK_ITEMS];
    rank_reset<THREADS>(s.rank);
    __syncthreads();
#pragma unroll
    for (int i = 0; i < BLOCK_ITEMS; ++i) {
        int j = tile_position<BLOCK_ITEMS>(i);
        k[i] = s.keys[j];
        p[i] = s.pos[j];
        d[i] = seg ? digit_of(p[i], shift, seg) : digit_of(k[i], shift, 0);
    }
    count_digits<THREADS, BLOCK_ITEMS>(d, s.rank);
    digit_start<THREADS>(s.rank, digit_count<THREADS>(s.rank));  // syncs: every item above is loaded
    rank_items<THREADS, BLOCK_ITEMS>(d, at, s.rank);
#pragma unroll
    for (int i = 0; i < BLOCK_ITEMS; ++i) {
        s.keys[at[i]] = k[i];
        s.pos[at[i]] = p[i];
    }
    __syncthreads();
}

// Sorts rows of `len` items (len <= BLOCK_TILE), rows_per_block = BLOCK_TILE / len of them per block; row_passes
// digits of the row number (0 when one row per block). Writes values to out_values or, when that is
// null, each row's argsort to out_indices.
extern "C" __global__ void __launch_bounds__(THREADS)
rp_sort_block(const K* x, K* out_values, long long* out_indices, long long rows, int len, int rows_per_block,
              int row_passes) {
    __shared__ BlockShared s;
    long long row0 = (long long)blockIdx.x * rows_per_block;
    int count = (int)min_of<long long>(rows_per_block, rows - row0) * len;
    long long base = row0 * len;
    for (int j = threadIdx.x; j < BLOCK_TILE; j += THREADS) {
        // Padding sorts after every item (largest key, then largest row number).
        s.keys[j] = j < count ? to_key<KIND>(x[base + j]) : all_ones<K>();
        s.pos[j] = (uint16_t)j;
    }
    __syncthreads();
    // One loop (one inlined copy of the pass): the key's digits, then the row number's.
    const int key_passes = (int)sizeof(K);
    for (int p = 0; p < key_passes + row_passes; ++p) {
        bool by_row = p >= key_passes;
        block_pass(s, (by_row ? p - key_passes : p) * DIGIT_BITS, by_row ? (unsigned)len : 0u);
    }
    for (int j = threadIdx.x; j < count; j += THREADS) {
        int from = s.pos[j];
        if (out_values)
            out_values[base + j] = x[base + from];
        else
            out_indices[base + j] = from % len;
    }
}
