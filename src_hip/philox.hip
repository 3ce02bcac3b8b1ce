// Uniform floats in [0, 1) from NumPy's Philox4x64-10 stream: bit for bit what numpy.random.Generator(Philox)
// draws with random() (and uniform(low, high), which is low + (high - low) * random()).
//
// NumPy's stream is a sequence of 64-bit words: the words still buffered in the bit generator, then block
// after block of four, block j being Philox4x64-10 of (counter + 1 + j, key). A double takes one word,
// (w >> 11) * 2**-53; a float takes one 32-bit half, (u >> 8) * 2**-24, the low half of a word first, and
// a half left over by an earlier float draw comes before everything. kernels/philox.py reads the bit
// generator's state, passes what comes before the first block (`first`, `half`) and advances the state.
#include "prelude.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using T = /*@T@*/ double;  // float or double

constexpr int THREADS = 256;

struct Words4 {
    uint64_t v[4];
};

// Random123's philox4x64 with 10 rounds, as NumPy's philox4x64_R(10, counter, key).
RP_DEVICE Words4 philox4x64_10(Words4 c, uint64_t k0, uint64_t k1) {
#pragma unroll
    for (int r = 0; r < 10; ++r) {
        if (r > 0) {
            k0 += 0x9E3779B97F4A7C15ull;
            k1 += 0xBB67AE8584CAA73Bull;
        }
        const uint64_t a = 0xD2E7470EE14C6C93ull * c.v[0], ah = __umul64hi(0xD2E7470EE14C6C93ull, c.v[0]);
        const uint64_t b = 0xCA5A826395121157ull * c.v[2], bh = __umul64hi(0xCA5A826395121157ull, c.v[2]);
        Words4 n = {{bh ^ c.v[1] ^ k0, b, ah ^ c.v[3] ^ k1, a}};
        c = n;
    }
    return c;
}

// The 256-bit counter + d, wrapping.
RP_DEVICE Words4 counter_plus(Words4 c, uint64_t d) {
    c.v[0] += d;
    uint64_t carry = c.v[0] < d;
#pragma unroll
    for (int i = 1; i < 4; ++i) {
        c.v[i] += carry;
        carry = carry & (c.v[i] == 0);
    }
    return c;
}

RP_DEVICE float unit(uint32_t u) { return (float)(u >> 8) * (1.0f / 16777216.0f); }
RP_DEVICE double unit(uint64_t w) { return (double)(w >> 11) * (1.0 / 9007199254740992.0); }

// Draw number `i` of the stream, made of the words in `words` (64-bit words, or their 32-bit halves for floats).
// uniform(): low + range * u rounded after each operation, as NumPy's C computes it (no fused multiply-add).
RP_DEVICE double draw(const uint64_t* words, int i, double*, bool affine, double low, double range) {
    const double u = unit(words[i]);
    return affine ? __dadd_rn(low, __dmul_rn(range, u)) : u;
}
RP_DEVICE float draw(const uint64_t* words, int i, float*, bool, double, double) {
    return unit((uint32_t)(words[i / 2] >> (32 * (i % 2))));  // the low half of a word first
}

constexpr int PER_WORD = sizeof(T) == 4 ? 2 : 1;  // draws per 64-bit word
constexpr int TILE = 4 * THREADS;                 // words of the THREADS blocks a block computes at once

// out: n draws. They start with `h` (0 or 1: floats only) leftover half `half`, then `k` (0 to 3) buffered
// words `first`, then the words of `blocks` Philox blocks from counter + 1. Each thread computes one Philox
// block of a tile, the tile's words meet in shared memory, and the block writes the tile's draws out with
// consecutive threads on consecutive addresses (a thread writing its own four words would scatter stores).
extern "C" __global__ void __launch_bounds__(THREADS)
rp_philox_uniform(T* out, int64_t n, Words4 counter, uint64_t key0, uint64_t key1, Words4 first, int k, int h,
                  uint64_t half, int64_t blocks, int affine, double low, double range) {
    __shared__ uint64_t words[TILE];
    for (int64_t tile = (int64_t)blockIdx.x * THREADS; tile < blocks; tile += (int64_t)gridDim.x * THREADS) {
        const int64_t j = tile + threadIdx.x;
        if (j < blocks) {
            const Words4 w = philox4x64_10(counter_plus(counter, (uint64_t)j + 1), key0, key1);
#pragma unroll
            for (int l = 0; l < 4; ++l) words[4 * threadIdx.x + l] = w.v[l];
        }
        __syncthreads();
        // Draw i of the tile is draw h + PER_WORD * (k + 4 * tile) + i of the stream.
        const int64_t base = h + PER_WORD * (k + 4 * tile);
        for (int i = threadIdx.x; i < PER_WORD * TILE && base + i < n; i += THREADS)
            out[base + i] = draw(words, i, out, affine, low, range);
        __syncthreads();
    }
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        if (h && n > 0) out[0] = (T)unit((uint32_t)half);  // h is 0 for doubles
        for (int i = 0; i < PER_WORD * k && h + i < n; ++i) out[h + i] = draw(first.v, i, out, affine, low, range);
    }
}
