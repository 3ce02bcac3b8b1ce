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
// Ranking (rank_reset, rank_in_warp per round, rank_finish): each item's position in a stable counting
// sort of a tile by an 8-bit digit, in shared memory. Each warp owns a contiguous run of the tile; its
// lanes find equal digits in one match (NVIDIA) or 8 ballots, and per-warp counters carry the ranks from
// round to round; one pass over the counters per tile combines the warps. The warp size is the device's
// (warpSize): 32 on NVIDIA and RDNA, 64 on CDNA. The only vendor-specific lines are the warp primitives
// below (ballot, match, shuffle, warp sync).
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
#ifndef __has_builtin
#define __has_builtin(x) 0
#endif

RP_DEVICE unsigned long long ballot(bool p) {
#if defined(__HIP__) || defined(__HIPCC_RTC__)
#if defined(__AMDGCN_WAVEFRONT_SIZE) && __AMDGCN_WAVEFRONT_SIZE == 32 && __has_builtin(__builtin_amdgcn_ballot_w32)
    return __builtin_amdgcn_ballot_w32(p);  // wave32 code must not touch exec_hi (HIP's __ballot does)
#elif __has_builtin(__builtin_amdgcn_ballot_w64)
    return __builtin_amdgcn_ballot_w64(p);
#else
    // Older compilers (ROCm 5's hiprtc): HIP's 64-bit vote; on wave32 only the low 32 bits are lanes.
    unsigned long long m = __ballot(p);
    return warpSize == 64 ? m : (m & 0xffffffffULL);
#endif
#else
    return (unsigned long long)__ballot_sync(0xffffffffu, p);
#endif
}

RP_DEVICE int popcount(unsigned long long m) { return __popcll(m); }

// Lane `lane`'s value of v (all lanes active).
RP_DEVICE int shfl(int v, int lane) {
#if defined(__HIP__) || defined(__HIPCC_RTC__)
    return __shfl(v, lane);
#else
    return __shfl_sync(0xffffffffu, v, lane);
#endif
}

// The lanes' shared-memory writes before it are seen by the lanes' reads after it.
RP_DEVICE void warp_sync() {
#if defined(__HIP__) || defined(__HIPCC_RTC__)
    __builtin_amdgcn_fence(__ATOMIC_RELEASE, "wavefront");  // a wavefront runs in lockstep: order is enough
    __builtin_amdgcn_wave_barrier();
    __builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "wavefront");
#else
    __syncwarp();
#endif
}

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
// Each warp ranks a contiguous run of the tile: item i of lane l of warp w is at tile position
// tile_position(i) = (w * ITEMS_PER_THREAD + i) * warpSize + l, so (warp, round, lane) order is position
// order, and the ranks are stable. In a round, lanes of one digit find each other (same_digit_lanes); the
// lowest of them advances the warp's counter of that digit, so no round needs the block. rank_finish then
// turns the per-warp counts into each warp's first position of each digit, once per tile.
// 16-bit counters: a tile holds fewer than 65536 items.
template <int THREADS> struct RankScratch {
    enum { MAX_WARPS = THREADS / 32 };    // the smallest warp size is 32
    uint16_t base[MAX_WARPS][RADIX];      // counts per warp and digit; after rank_finish, first positions
    uint32_t start[RADIX];                // after rank_finish: where each digit's items start in the tile
    uint32_t scan[2][RADIX];
};

template <int ITEMS_PER_THREAD> RP_DEVICE int tile_position(int i) {
    int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
    return (warp * ITEMS_PER_THREAD + i) * warpSize + lane;
}

// Zero the counters before the first round of a tile; callers sync before the first rank_in_warp.
template <int THREADS> RP_DEVICE void rank_reset(RankScratch<THREADS>& s) {
    for (int d = threadIdx.x; d < RADIX; d += THREADS)
        for (int w = 0; w < RankScratch<THREADS>::MAX_WARPS; ++w) s.base[w][d] = 0;
}

// One round of the calling warp (all its lanes call it, `valid` or not): the item's rank among its warp's
// valid items of digit d over this and the earlier rounds.
template <int THREADS> RP_DEVICE int rank_in_warp(unsigned d, bool valid, RankScratch<THREADS>& s) {
    const int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
    unsigned long long peers = same_digit_lanes(d, valid);
    unsigned long long below = peers & ((1ULL << lane) - 1ULL);
    int before = 0;
    if (valid && below == 0) {  // the lowest lane of the digit: one per digit and warp
        before = s.base[warp][d];
        s.base[warp][d] = (uint16_t)(before + popcount(peers));
    }
    int first = valid ? popcount((peers & (~peers + 1ULL)) - 1ULL) : lane;  // the lowest lane's number
    before = shfl(before, first);
    warp_sync();  // the next round's reads see this round's counts
    return before + popcount(below);
}

// After the last round (every thread calls it): s.base[w][d] = the tile position of warp w's first item
// of digit d, s.start[d] = the position of the tile's first item of digit d. THREADS == RADIX.
template <int THREADS> RP_DEVICE void rank_finish(RankScratch<THREADS>& s) {
    __syncthreads();
    const int d = threadIdx.x, warps = THREADS / warpSize;
    uint32_t total = 0;
    for (int w = 0; w < warps; ++w) {
        uint32_t c = s.base[w][d];
        s.base[w][d] = (uint16_t)total;
        total += c;
    }
    uint32_t start = block_exclusive_scan<RADIX>(total, s.scan, (uint32_t*)0);
    s.start[d] = start;
    for (int w = 0; w < warps; ++w) s.base[w][d] = (uint16_t)(s.base[w][d] + start);
    __syncthreads();
}

#endif  // !RP_HOST_ONLY

}  // namespace rp_radix

#endif  // RP_RADIX_H
