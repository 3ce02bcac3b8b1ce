// Radix sorting building blocks: keys, stable in-block ranking and look-back status words, for
// sort_block.hip, radix_onesweep.hip, search.hip and unique.hip.
//
// Keys: an element's bits K (uint8_t .. uint64_t of its width) map to an unsigned key whose unsigned
// order is NumPy's order of the values. Two maps:
//   to_key      NumPy's comparison: -0.0 == +0.0 and every NaN equal to every other NaN and after +inf.
//               Not invertible: the sorts move the elements' own bits and take digits of to_key(bits),
//               so a stable sort is NumPy's stable sort bit for bit (-0.0 and NaN payloads survive).
//   to_ordered  a bijection (-0.0 before +0.0, NaNs after +inf by their bits) with its inverse
//               from_ordered. No kernel needs it since the sorts move the bits themselves;
//               tests/radix_keys_host.cpp still checks it.
// Integers: the sign bit flipped (signed) or the bits as they are (unsigned, bool); both maps agree.
//
// Ranking (rank_reset, count_digits, digit_count, digit_start, rank_items): each item's position in a
// stable counting sort of a tile by an 8-bit digit, in shared memory, as CUB's match-based ranking with
// early counts. Each warp owns a contiguous run of the tile; per-warp digit counts (shared atomics) give
// the tile's count of each digit before any item is ranked (the look-back publishes them early), then
// a scan turns them into each warp's first position of each digit, and each round the lanes of one
// digit find each other (8 ballots) and the lowest of them takes their positions from the warp's
// counter. The warp size is the device's (warpSize): 32 on NVIDIA and RDNA, 64 on CDNA. The only
// vendor-specific lines are the warp primitives and the status word accesses.
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

// Sign-magnitude float bits -> unsigned order: negatives reversed below positives. (Selects, no
// branches: the sorts take a key of every element in every pass.)
template <class K> RP_DEVICE K float_order(K u) {
    return (K)(u ^ ((u & top_bit<K>()) ? all_ones<K>() : top_bit<K>()));
}

template <int KIND, class K> RP_DEVICE K to_key(K u) {
    if (KIND == SIGNED) return (K)(u ^ top_bit<K>());
    if (KIND == FLOAT) {
        K magnitude = (K)(u & (K)~top_bit<K>());
        K ordered = float_order(magnitude == 0 ? (K)0 : u);            // -0.0 sorts with +0.0
        return magnitude > inf_bits<K>() ? all_ones<K>() : ordered;  // NaN: one key for all, after +inf
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

// The 8-bit digit at `shift` of a key; with seg > 0, of key / seg (the row of a flat position). Keys of
// up to 32 bits shift in 32 bits; a constant seg of 0 leaves no division in the code.
template <class K> RP_DEVICE unsigned digit_of(K k, int shift, unsigned long long seg) {
    if (seg) return (unsigned)(((unsigned long long)k / seg) >> shift) & (RADIX - 1);
    return (unsigned)(k >> shift) & (RADIX - 1);
}

template <class T> RP_DEVICE T min_of(T a, T b) { return a < b ? a : b; }

#if !defined(RP_HOST_ONLY)

// ---- warp votes: the one place where the vendors' spellings differ ------------------------------------
#ifndef __has_builtin
#define __has_builtin(x) 0
#endif

// A mask of the lanes of a warp, bit i for lane i: 32 bits on NVIDIA, whose warps are 32 lanes (64-bit
// masks would double the mask arithmetic of the ranking); 64 on AMD, where wave32 uses the low half.
// RP_LANES_64: a host emulation of 64-lane warps (tests/kernel_host_emu.h).
// RP_NVIDIA_PTX: NVIDIA device code, where inline PTX may be used (not the host emulation, which
// defines __CUDACC__ too).
#if !defined(__HIP__) && !defined(__HIPCC_RTC__) && (defined(__CUDACC__) || defined(__CUDACC_RTC__)) && \
    !defined(RP_KERNEL_HOST_EMU_H)
#define RP_NVIDIA_PTX 1
#endif

#if defined(__HIP__) || defined(__HIPCC_RTC__) || defined(RP_LANES_64)
typedef unsigned long long lanes_t;
#else
typedef unsigned lanes_t;
#endif

// The lanes of the calling warp (all lanes active) for which `p` holds.
RP_DEVICE lanes_t ballot(bool p) {
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
    return __ballot_sync(0xffffffffu, p);
#endif
}

RP_DEVICE int popcount(unsigned m) { return __popc(m); }
RP_DEVICE int popcount(unsigned long long m) { return __popcll(m); }

// The highest lane of a nonempty mask (a count of leading zeros is one instruction; the lowest lane is not).
RP_DEVICE int highest_lane(unsigned m) { return 31 - __clz((int)m); }
RP_DEVICE int highest_lane(unsigned long long m) { return 63 - __clzll((long long)m); }

// Lane `lane`'s value of v (all lanes active).
RP_DEVICE int shfl(int v, int lane) {
#if defined(__HIP__) || defined(__HIPCC_RTC__)
    return __shfl(v, lane);
#else
    return __shfl_sync(0xffffffffu, v, lane);
#endif
}

// Sum of v over the lanes of the calling warp up to this one (all lanes active).
RP_DEVICE int warp_inclusive_sum(int v) {
    const int lane = threadIdx.x % warpSize;
    for (int off = 1; off < warpSize; off <<= 1) {
        int u = shfl(v, lane - off);
        if (lane >= off) v += u;
    }
    return v;
}

// The lanes of the calling warp (all lanes active) whose d has `bit` (a power of two) as this lane's d
// has it. On NVIDIA in PTX, as CUB's MatchAny: 4 instructions, where the C++ below compiles to 6.
RP_DEVICE lanes_t same_bit_lanes(unsigned d, unsigned bit) {
#if defined(RP_NVIDIA_PTX)
    unsigned lanes;
    asm("{\n .reg .pred p;\n and.b32 %0, %1, %2;\n setp.ne.u32 p, %0, 0;\n"
        " vote.ballot.sync.b32 %0, p, 0xffffffff;\n @!p not.b32 %0, %0;\n}"
        : "=r"(lanes) : "r"(d), "r"(bit));
    return lanes;
#else
    lanes_t lanes = ballot((d & bit) != 0);
    return (d & bit) ? lanes : ~lanes;
#endif
}

// The lanes of the calling warp (all lanes active) that hold the same 8-bit digit d: 8 ballots. (NVIDIA's
// __match_any_sync is slower for a few bits, CCCL finds, and AMD has no match instruction.)
RP_DEVICE lanes_t same_digit_lanes(unsigned d) {
    lanes_t peers = warpSize == 8 * (int)sizeof(lanes_t) ? ~(lanes_t)0 : (((lanes_t)1 << warpSize) - 1);
#pragma unroll
    for (int b = 0; b < DIGIT_BITS; ++b) peers &= same_bit_lanes(d, 1u << b);
    return peers;
}

// Makes v look new to the compiler, so that what is computed from it is computed again rather than kept
// in registers (a hint on NVIDIA; nothing elsewhere).
template <class T> RP_DEVICE void fresh(T& v) {
#if defined(RP_NVIDIA_PTX)
    if (sizeof(T) == 8) {
        unsigned long long u = (unsigned long long)v;
        asm volatile("" : "+l"(u));
        v = (T)u;
    } else {
        unsigned u = (unsigned)v;
        asm volatile("" : "+r"(u));
        v = (T)u;
    }
#else
    (void)v;
#endif
}

// ---- decoupled look-back status words (radix_onesweep.hip) ---------------------------------------------
// Each word is a whole message (a count and its flags), so relaxed atomics at device scope are all the
// ordering the look-back needs. They must be atomics: with NVIDIA's weak cache-hinted accesses
// (__ldcv/__stcg) instead, sorts on the H100 now and then misplaced keys or wrote out of bounds.
#if defined(__HIP__) || defined(__HIPCC_RTC__)
template <class C> RP_DEVICE C status_load(const C* p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
template <class C> RP_DEVICE void status_store(C* p, C v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }
#elif defined(RP_NVIDIA_PTX)
RP_DEVICE unsigned status_load(const unsigned* p) {
    unsigned v;
    asm volatile("ld.relaxed.gpu.global.u32 %0, [%1];" : "=r"(v) : "l"(p) : "memory");
    return v;
}
RP_DEVICE unsigned long long status_load(const unsigned long long* p) {
    unsigned long long v;
    asm volatile("ld.relaxed.gpu.global.u64 %0, [%1];" : "=l"(v) : "l"(p) : "memory");
    return v;
}
RP_DEVICE void status_store(unsigned* p, unsigned v) {
    asm volatile("st.relaxed.gpu.global.u32 [%0], %1;" : : "l"(p), "r"(v) : "memory");
}
RP_DEVICE void status_store(unsigned long long* p, unsigned long long v) {
    asm volatile("st.relaxed.gpu.global.u64 [%0], %1;" : : "l"(p), "l"(v) : "memory");
}
#else  // tests/kernel_host_emu.h (CUDA paths on the host): atomic accesses; the load lets other blocks run
template <class C> RP_DEVICE C status_load(const C* p) { return __ldcv(p); }
template <class C> RP_DEVICE void status_store(C* p, C v) { __stcg(p, v); }
#endif

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
// tile_position(i) = (w * ITEMS + i) * warpSize + l, so (warp, round, lane) order is position order, and
// the ranks are stable. Every thread of the block calls each step; THREADS >= RADIX threads, of which
// thread d < RADIX owns digit d in digit_count and digit_start. A tile holds fewer than 2**31 items.
template <int THREADS> struct TileRank {
    enum { MAX_WARPS = THREADS / 32 };  // the smallest warp size is 32
    int counts[MAX_WARPS][RADIX];       // per warp and digit: counts, then first positions, then next positions
    int warp_sums[RADIX / 32];
};

template <int ITEMS> RP_DEVICE int tile_position(int i) {
    int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
    return (warp * ITEMS + i) * warpSize + lane;
}

// Zero the counters; callers sync before count_digits.
template <int THREADS> RP_DEVICE void rank_reset(TileRank<THREADS>& s) {
    for (int d = threadIdx.x; d < RADIX; d += THREADS)
        for (int w = 0; w < TileRank<THREADS>::MAX_WARPS; ++w) s.counts[w][d] = 0;
}

// Count digit d of one of the calling thread's items into its warp's counters.
template <int THREADS> RP_DEVICE void count_digit(unsigned d, TileRank<THREADS>& s) {
    atomicAdd(&s.counts[threadIdx.x / warpSize][d], 1);
}

template <int THREADS, int ITEMS> RP_DEVICE void count_digits(const unsigned (&d)[ITEMS], TileRank<THREADS>& s) {
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) count_digit<THREADS>(d[i], s);
}

// The tile's count of digit threadIdx.x (0 past the digits); the warps' counts of it become their offsets
// among its items.
template <int THREADS> RP_DEVICE int digit_count(TileRank<THREADS>& s) {
    __syncthreads();
    const int d = threadIdx.x, warps = THREADS / warpSize;
    int total = 0;
    if (d < RADIX) {
        for (int w = 0; w < warps; ++w) {
            int c = s.counts[w][d];
            s.counts[w][d] = total;
            total += c;
        }
    }
    return total;
}

// Given digit_count's result: the tile position of the first item of digit threadIdx.x; afterwards each
// warp's counter of a digit holds the position of its first item of that digit. The digits' threads
// are whole warps: a scan in each warp, then over the warps' sums.
template <int THREADS> RP_DEVICE int digit_start(TileRank<THREADS>& s, int total) {
    const int d = threadIdx.x, lane = d % warpSize, warps = THREADS / warpSize;
    int start = 0;
    if (d < RADIX) {
        int inclusive = warp_inclusive_sum(total);
        if (lane == warpSize - 1) s.warp_sums[d / warpSize] = inclusive;
        start = inclusive - total;
    }
    __syncthreads();
    if (d < RADIX) {
        for (int w = 0; w < d / warpSize; ++w) start += s.warp_sums[w];
        for (int w = 0; w < warps; ++w) s.counts[w][d] += start;
    }
    __syncthreads();
    return start;
}

// The tile position, in the stable order by digit, of the calling thread's next item (its items in
// order; after digit_start), of digit d.
template <int THREADS> RP_DEVICE int rank_item(unsigned d, TileRank<THREADS>& s) {
    const int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
    const lanes_t below = ((lanes_t)1 << lane) - 1;
    lanes_t peers = same_digit_lanes(d);
    int leader = highest_lane(peers);
    int base = 0;
    if (lane == leader) base = atomicAdd(&s.counts[warp][d], popcount(peers));
    return shfl(base, leader) + popcount(peers & below);  // shfl: every lane, every round
}

// Each item's tile position in the stable order by digit (after digit_start).
template <int THREADS, int ITEMS>
RP_DEVICE void rank_items(const unsigned (&d)[ITEMS], int (&rank)[ITEMS], TileRank<THREADS>& s) {
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) rank[i] = rank_item<THREADS>(d[i], s);
}

#endif  // !RP_HOST_ONLY

}  // namespace rp_radix

#endif  // RP_RADIX_H
