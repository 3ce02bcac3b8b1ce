// Radix sorting building blocks: keys and stable in-block ranking for sort_block.hip, radix_count.hip,
// radix_scatter.hip, search.hip and unique.hip.
//
// Keys: an element's bits K (uint8_t .. uint64_t of its width) map to an unsigned key whose unsigned
// order is NumPy's order of the values. Two maps:
//   to_key      NumPy's comparison: -0.0 == +0.0 and every NaN equal to every other NaN and after +inf.
//               Not invertible; a stable sort, searchsorted and unique use it (values are read back
//               from the input, not from keys).
//   to_ordered  a bijection for keys-only sorts: -0.0 before +0.0, NaNs after +inf (by their bits).
//               from_ordered inverts it, so a sorted key is the sorted value, bit for bit.
// Integers: the sign bit flipped (signed) or the bits as they are (unsigned, bool); both maps agree.
//
// Ranking: rank_round gives each item of a round of THREADS items its position among the items of the
// same 8-bit digit seen so far in the block, in (round, thread) order: a stable counting sort of a tile
// in shared memory. Lanes of a warp find equal digits with 8 ballots; warps are combined through
// per-warp counters. The warp size is the device's (warpSize): 32 on NVIDIA and RDNA, 64 on CDNA.
#ifndef RP_RADIX_H
#define RP_RADIX_H

#include "prelude.h"

namespace rp_radix {

enum { UNSIGNED = 0, SIGNED = 1, FLOAT = 2 };
enum { RADIX = 256, DIGIT_BITS = 8 };

template <class K> RP_DEVICE K top_bit() { return (K)((K)1 << (8 * sizeof(K) - 1)); }
template <class K> RP_DEVICE K all_ones() { return (K)~(K)0; }
// The bits of +inf for a float of K's width (float16, float32, float64).
template <class K> RP_DEVICE K inf_bits() {
    return sizeof(K) == 2 ? (K)0x7c00u : sizeof(K) == 4 ? (K)0x7f800000u : (K)0x7ff0000000000000ULL;
}
// The mantissa bits: also the number of negative-NaN bit patterns.
template <class K> RP_DEVICE K mantissa_bits() { return (K)~(K)(top_bit<K>() | inf_bits<K>()); }

// Sign-magnitude float bits -> unsigned order: negatives reversed below positives.
template <class K> RP_DEVICE K float_order(K u) {
    return (u & top_bit<K>()) ? (K)~u : (K)(u | top_bit<K>());
}

template <int KIND, class K> RP_DEVICE K to_key(K u) {
    if (KIND == SIGNED) return (K)(u ^ top_bit<K>());
    if (KIND == FLOAT) {
        K magnitude = (K)(u & (K)~top_bit<K>());
        if (magnitude > inf_bits<K>()) return all_ones<K>();  // NaN: one key for all, after +inf
        if (magnitude == 0) u = 0;                            // -0.0 sorts with +0.0
        return float_order(u);
    }
    return u;
}

// float_order puts negative NaNs first, in [0, mantissa_bits): rotating by that count moves them after
// the positive NaNs and keeps the map a bijection.
template <int KIND, class K> RP_DEVICE K to_ordered(K u) {
    if (KIND == FLOAT) return (K)(float_order(u) - mantissa_bits<K>());
    return to_key<KIND>(u);
}

template <int KIND, class K> RP_DEVICE K from_ordered(K k) {
    if (KIND == SIGNED) return (K)(k ^ top_bit<K>());
    if (KIND == FLOAT) {
        k = (K)(k + mantissa_bits<K>());
        return (k & top_bit<K>()) ? (K)(k & (K)~top_bit<K>()) : (K)~k;
    }
    return k;
}

// The 8-bit digit at `shift` of a key; with seg > 0, of key / seg (the row of a flat position).
template <class K> RP_DEVICE unsigned digit_of(K k, int shift, unsigned long long seg) {
    unsigned long long v = (unsigned long long)k;
    if (seg) v /= seg;
    return (unsigned)(v >> shift) & (RADIX - 1);
}

template <class T> RP_DEVICE T min_of(T a, T b) { return a < b ? a : b; }

// ---- device-wide passes (radix_count.hip, radix_scatter.hip) ---------------------------------------------
enum { ITEMS = 16 };  // keys per thread of a device-wide tile

// Flags of a device-wide pass.
enum {
    F_IN = 1,        // the keys are the input's values: map them to keys on load (the first pass)
    F_ORDERED = 2,   // that map is to_ordered (a keys-only sort), else to_key
    F_OUT = 4,       // store from_ordered(key): the values themselves (the last pass of a keys-only sort)
    F_NO_KEYS = 8,   // store no keys (the last pass of a sort that only wants the payload)
    F_PAYLOAD = 16,  // move int64 payloads along with the keys
    F_IOTA = 32      // the payload of the item at position j is j (the first pass of an argsort)
};

template <int KIND, class K> RP_DEVICE K load_key(K v, int flags) {
    if (!(flags & F_IN)) return v;
    return (flags & F_ORDERED) ? to_ordered<KIND>(v) : to_key<KIND>(v);
}

#if !defined(RP_HOST_ONLY)

// ---- warp votes: the one place where the vendors' spellings differ ------------------------------------
// A mask of the lanes of the calling warp (all lanes active) for which `p` holds; bit i is lane i.
RP_DEVICE unsigned long long ballot(bool p) {
#if defined(__HIP__) || defined(__HIPCC_RTC__)
#if defined(__AMDGCN_WAVEFRONT_SIZE) && __AMDGCN_WAVEFRONT_SIZE == 32
    return __builtin_amdgcn_ballot_w32(p);  // wave32 code must not touch exec_hi (HIP's __ballot does)
#else
    return __builtin_amdgcn_ballot_w64(p);
#endif
#else
    return (unsigned long long)__ballot_sync(0xffffffffu, p);
#endif
}

RP_DEVICE int popcount(unsigned long long m) { return __popcll(m); }

// The lanes of the calling warp (all lanes active) that are valid and hold the same 8-bit digit d.
RP_DEVICE unsigned long long same_digit_lanes(unsigned d, bool valid) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 700
    // One instruction on NVIDIA (warps of 32); an invalid lane votes a value of its own (256 + lane), so it
    // matches no other lane.
    unsigned vote = valid ? d : RADIX + (unsigned)(threadIdx.x % 32u);
    unsigned lanes = __match_any_sync(0xffffffffu, vote);
    return valid ? (unsigned long long)lanes : 0ULL;
#else
    unsigned long long peers = ballot(valid);
#pragma unroll
    for (int b = 0; b < DIGIT_BITS; ++b) {
        bool bit = (d >> b) & 1u;
        unsigned long long voters = ballot(bit);
        peers &= bit ? voters : ~voters;
    }
    return peers;
#endif
}

// ---- block-wide exclusive scan of one value per thread (Hillis-Steele, double buffered) ----------------
// Every thread of the block calls it; N == blockDim.x. Returns the sum of the values of the threads
// before this one and sets *total (when given) to the sum over the block.
template <int N, class T> RP_DEVICE T block_exclusive_scan(T v, T (&buf)[2][N], T* total) {
    int t = threadIdx.x;
    buf[0][t] = v;
    __syncthreads();
    int cur = 0;
    for (int off = 1; off < N; off <<= 1) {
        T x = buf[cur][t];
        if (t >= off) x += buf[cur][t - off];
        buf[cur ^ 1][t] = x;
        cur ^= 1;
        __syncthreads();
    }
    T inclusive = buf[cur][t];
    if (total) *total = buf[cur][N - 1];
    __syncthreads();  // buf may be reused right after
    return inclusive - v;
}

// ---- stable ranking of a tile by 8-bit digits ------------------------------------------------------------
// Per-warp digit counts of the current round, their exclusive prefix over the warps, and per-digit
// totals over the rounds so far. 16-bit counters: a tile holds fewer than 65536 items.
template <int THREADS> struct RankScratch {
    enum { MAX_WARPS = THREADS / 32 };  // the smallest warp size is 32
    uint16_t count[MAX_WARPS][RADIX];
    uint16_t prefix[MAX_WARPS][RADIX];
    uint32_t total[RADIX];
};

// Zero the counters (before the first round of a tile); callers sync before the first rank_round.
template <int THREADS> RP_DEVICE void rank_reset(RankScratch<THREADS>& s) {
    for (int d = threadIdx.x; d < RADIX; d += THREADS) {
        for (int w = 0; w < RankScratch<THREADS>::MAX_WARPS; ++w) s.count[w][d] = 0;
        s.total[d] = 0;
    }
}

// One round: every thread of the block calls it with its item's digit (ignored where !valid). Returns
// the item's rank among the valid items of its digit over this and the earlier rounds, in (round, thread)
// order. Afterwards s.total[d] counts the valid items of digit d so far.
template <int THREADS> RP_DEVICE int rank_round(unsigned d, bool valid, RankScratch<THREADS>& s) {
    const int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
    unsigned long long peers = same_digit_lanes(d, valid);
    unsigned long long below = peers & ((1ULL << lane) - 1ULL);
    int rank = popcount(below);
    if (valid && below == 0) s.count[warp][d] = (uint16_t)popcount(peers);  // the lowest lane of the digit
    __syncthreads();
    const int warps = THREADS / warpSize;
    for (int dd = threadIdx.x; dd < RADIX; dd += THREADS) {
        uint32_t run = s.total[dd];
        for (int w = 0; w < warps; ++w) {
            uint32_t c = s.count[w][dd];
            s.count[w][dd] = 0;
            s.prefix[w][dd] = (uint16_t)run;
            run += c;
        }
        s.total[dd] = run;
    }
    __syncthreads();
    return valid ? (int)s.prefix[warp][d] + rank : 0;
}

#endif  // !RP_HOST_ONLY

}  // namespace rp_radix

#endif  // RP_RADIX_H
