// Device-wide stable LSD radix sort by 8-bit digits, Onesweep (Adinets & Merrill 2022, the design of
// CUB's DeviceRadixSort and rocPRIM); kernels/sorting.py's radix_sort runs, in order:
//   rp_onesweep_histogram  one read of the keys: how many keys have each digit, for every pass at once
//   rp_onesweep_scan       each pass's counts -> where the keys of each digit start in the output
//   rp_onesweep_pass       once per digit, least significant first: each block takes the next tile,
//                          ranks its keys by the digit in shared memory, learns how many keys of each
//                          digit the earlier tiles hold by decoupled look-back, and writes its keys (and
//                          their payloads) there, grouped by digit through shared memory.
// So a pass reads and writes each key once (plus payloads): no counting pass, no per-tile count arrays.
//
// Keys move as the elements' own bits; digits are taken of to_key(bits) (radix.h), so the sort is
// NumPy's stable order, bit for bit. seg > 0 sorts by the digits of key / seg instead (row numbers of
// flat positions). Payloads (positions, for argsort) are C; the last pass may widen them to int64.
#include "radix.h"

#ifndef __launch_bounds__
#define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))
#endif

using K = /*@K@*/ uint32_t;            // the element's bits: uint8_t, uint16_t, uint32_t or uint64_t
constexpr int KIND = /*@KIND@*/ 2;     // rp_radix::UNSIGNED (and bool), SIGNED or FLOAT
constexpr bool ROWS = /*@ROWS@*/ 0;    // digits of key / seg (seg > 0), not of the key
using C = /*@C@*/ unsigned;            // counts, positions, status words: unsigned below 2**30 keys
constexpr int THREADS = /*@THREADS@*/ 256;  // threads of a pass's block (kernels/sorting.py mirrors these two)
constexpr int ITEMS = /*@ITEMS@*/ 16;       // keys per thread of a pass's tile
constexpr int FLAGS = /*@FLAGS@*/ 0;        // what a pass moves (below); fixed per kernel, so a sort
                                            // keeps no payload state in registers

using namespace rp_radix;

constexpr int TILE = THREADS * ITEMS;
constexpr int HIST_THREADS = RADIX;  // threads of the histogram and scan blocks: one per digit
static_assert(THREADS % 64 == 0 && THREADS >= RADIX, "whole warps of 32 or 64, and a thread per digit");

// Status words of the look-back, one per (tile, digit): a count of the digit in its low bits, and
// whether it is the tile's own count (AGGREGATE) or the count over this and every earlier tile (PREFIX);
// 0: not published yet. Counts fit below the two flag bits (kernels/sorting.py picks C for that).
constexpr C PREFIX = (C)1 << (8 * sizeof(C) - 1);
constexpr C AGGREGATE = (C)1 << (8 * sizeof(C) - 2);
constexpr C COUNT = AGGREGATE - 1;

// Flags of a pass.
enum {
    F_PAYLOAD = 1,  // move payloads along with the keys
    F_IOTA = 2,     // the payload of the key at position j is j (the first pass of an argsort)
    F_NO_KEYS = 4,  // store no keys (the last pass of a sort that only wants the payloads)
    F_WIDE = 8      // store the payloads as int64, to pay_wide (the last pass of an argsort)
};

// Bits whose key is all ones (a NaN for floats): digit RADIX - 1 in every pass.
constexpr K PAD = KIND == SIGNED ? (K)((K)~(K)0 >> 1) : (K)~(K)0;

RP_DEVICE unsigned digit(K bits, int shift, unsigned long long seg) {
    return ROWS ? digit_of(bits, shift, seg) : digit_of(to_key<KIND>(bits), shift, 0);
}

// ---- histograms of every pass ------------------------------------------------------------------------
constexpr int HIST_ITEMS = 16;                      // keys per thread per round of the grid-stride loop
constexpr int MAX_PASSES = (int)sizeof(K);          // 8-bit digits of a key (or of a row number of it)
constexpr int PARTS = 16 / (int)sizeof(K);          // copies of each counter, by lane: fewer lanes collide
                                                    // on a common digit; 16 KiB of counters in all

// hist[p * RADIX + d] += how many of the n keys have digit d at bits 8p (p < passes); hist starts zeroed.
extern "C" __global__ void __launch_bounds__(HIST_THREADS)
rp_onesweep_histogram(const K* keys, C n, int passes, long long seg, C* hist) {
    __shared__ uint32_t counts[MAX_PASSES][RADIX][PARTS];
    const unsigned long long useg = (unsigned long long)seg;
    for (int i = threadIdx.x; i < MAX_PASSES * RADIX * PARTS; i += HIST_THREADS) (&counts[0][0][0])[i] = 0;
    __syncthreads();
    const int part = (threadIdx.x % warpSize) % PARTS;
    const C chunk = HIST_THREADS * HIST_ITEMS;
    for (C first = (C)blockIdx.x * chunk; first < n; first += (C)gridDim.x * chunk) {
        K k[HIST_ITEMS];
#pragma unroll
        for (int i = 0; i < HIST_ITEMS; ++i) {  // all loads first: many in flight
            C j = first + i * HIST_THREADS + threadIdx.x;
            k[i] = j < n ? keys[j] : (K)0;
        }
#pragma unroll
        for (int i = 0; i < HIST_ITEMS; ++i) {
            if (first + i * HIST_THREADS + threadIdx.x < n) {
                K key = ROWS ? k[i] : to_key<KIND>(k[i]);
#pragma unroll
                for (int p = 0; p < MAX_PASSES; ++p)
                    if (p < passes) atomicAdd(&counts[p][digit_of(key, 8 * p, ROWS ? useg : 0)][part], 1u);
            }
        }
    }
    __syncthreads();
    const int d = threadIdx.x;
    for (int p = 0; p < passes; ++p) {
        uint32_t c = 0;
        for (int q = 0; q < PARTS; ++q) c += counts[p][d][q];
        if (c) atomicAdd(&hist[p * RADIX + d], (C)c);
    }
}

// In place, block p: hist[p * RADIX + d] = the number of keys with a smaller digit in pass p.
extern "C" __global__ void __launch_bounds__(HIST_THREADS) rp_onesweep_scan(C* hist) {
    __shared__ C buf[2][RADIX];
    C* row = hist + (C)blockIdx.x * RADIX;
    row[threadIdx.x] = block_exclusive_scan<RADIX>(row[threadIdx.x], buf, (C*)0);
}

// ---- one pass ----------------------------------------------------------------------------------------
struct PassShared {
    TileRank<THREADS> rank;  // apart from the keys: each key goes to its place as soon as it is ranked
    union {
        K keys[TILE];        // the tile's keys in digit order
        C payload[TILE];     // then their payloads
    } u;
    C dest[RADIX];  // where the tile's run of each digit goes in the output, minus its start in the tile
    C tile;
    int uniform;    // every key of the tile has one digit
};

// NVIDIA: registers for 1152 threads an SM in a sort (3 blocks of 384: 56 registers, the keys and little
// else), 768 when payloads (and their ranks) move too; left alone, ptxas takes more and fits fewer.
// HIP reads a second argument differently (waves per SIMD): its compiler chooses.
#if defined(RP_NVIDIA_PTX)
#define RP_PASS_BOUNDS __launch_bounds__(THREADS, ((FLAGS & F_PAYLOAD) ? 768 : 1152) / THREADS > 1 \
                                                   ? ((FLAGS & F_PAYLOAD) ? 768 : 1152) / THREADS : 1)
#else
#define RP_PASS_BOUNDS __launch_bounds__(THREADS)
#endif

RP_DEVICE void put_payload(C* pay_out, long long* pay_wide, C to, C v) {
    if (FLAGS & F_WIDE)
        pay_wide[to] = (long long)v;
    else
        pay_out[to] = v;
}

// Stable pass over the digit at `shift` of the n keys of keys_in (payloads pay_in, or positions with
// F_IOTA) into keys_out and pay_out (or pay_wide, as int64), as FLAGS says. offsets: this pass's
// scanned histogram. status: tiles x RADIX words, zeroed; next_status, when given, is zeroed here for
// the next pass (the previous pass used it). tile_counter: zeroed; hands out tiles in the order blocks
// start, so a block's look-back only waits on blocks that are running or done. Thread d < RADIX
// publishes and looks back for digit d.
//
// Registers bound the blocks an SM runs: a thread holds its ITEMS keys and nothing per key besides
// (digits are taken again where needed, ranks only when payloads follow).
extern "C" __global__ void RP_PASS_BOUNDS
rp_onesweep_pass(const K* keys_in, K* keys_out, const C* pay_in, C* pay_out, long long* pay_wide, C n,
                 int shift, long long seg, const C* offsets, C* status, C* next_status,
                 C* tile_counter) {
    __shared__ PassShared s;
    const unsigned long long useg = (unsigned long long)seg;
    const int d = threadIdx.x;
    if (d == 0) {
        s.tile = atomicAdd(tile_counter, (C)1);
        s.uniform = 0;
    }
    rank_reset<THREADS>(s.rank);
    __syncthreads();
    const C tile = s.tile;
    const C first = tile * TILE;
    const int count = (int)min_of<C>((C)TILE, n - first);
    C* mine = status + tile * RADIX + d;
    C digit_offset = 0;
    if (d < RADIX) {
        if (next_status) next_status[tile * RADIX + d] = 0;
        digit_offset = offsets[d];
    }

    // Load (each warp a contiguous run: coalesced; every load issued before any is used) and count;
    // padding takes the last digit, after the keys: the bits of PAD have it in every pass, so digits
    // need no bounds check (but for ROWS, whose digits are of key / seg).
    K k[ITEMS];
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) {
        int j = tile_position<ITEMS>(i);
        k[i] = j < count ? keys_in[first + j] : PAD;
    }
    // Digits are taken anew at each use: kept, they would cost a register per key.
    auto digit_at = [&](int i) {
        K key = k[i];
        fresh(key);
        return (!ROWS || tile_position<ITEMS>(i) < count) ? digit(key, shift, useg) : (unsigned)RADIX - 1;
    };
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) count_digit<THREADS>(digit_at(i), s.rank);
    const int total = digit_count<THREADS>(s.rank);
    if (d < RADIX) {
        status_store(mine, (tile == 0 ? PREFIX : AGGREGATE) | (C)total);  // early: later tiles need not wait
        if (total - (d == RADIX - 1 ? TILE - count : 0) == count) s.uniform = 1;
    }
    const int start = digit_start<THREADS>(s.rank, total);  // syncs: s.uniform is seen
    // A tile of one digit keeps its order (as CUB's short circuit): no ranking, keys stay in registers.
    const bool uniform = s.uniform != 0;
    int at[(FLAGS & F_PAYLOAD) ? ITEMS : 1];  // ranks, for the payloads
    if (!uniform) {
#pragma unroll
        for (int i = 0; i < ITEMS; ++i) {  // padding lands at [count, TILE)
            int r = rank_item<THREADS>(digit_at(i), s.rank);
            s.u.keys[r] = k[i];
            if (FLAGS & F_PAYLOAD) at[i] = r;
        }
    }

    // Look-back: the keys of digit d in earlier tiles, walking back to the nearest published prefix.
    // (Reading several tiles' words per round trip measured slower on the H100: the walk is short.)
    if (d < RADIX) {
        C before = 0;
        if (tile > 0) {
            for (C t = tile - 1;; --t) {
                C word;
                do {
                    word = status_load(status + t * RADIX + d);
                } while (word == 0);
                before += word & COUNT;
                if (word & PREFIX) break;
            }
            status_store(mine, PREFIX | (before + (C)total));
        }
        s.dest[d] = digit_offset + before - (C)start;  // unsigned: wraps, and + position wraps back
    }
    __syncthreads();

    if (uniform) {  // position j goes to dest + j, from registers, still coalesced
#pragma unroll
        for (int i = 0; i < ITEMS; ++i) {
            int j = tile_position<ITEMS>(i);
            if (j >= count) continue;
            C to = s.dest[digit_at(i)] + j;
            if (!(FLAGS & F_NO_KEYS)) keys_out[to] = k[i];
            if (FLAGS & F_PAYLOAD)
                put_payload(pay_out, pay_wide, to, (FLAGS & F_IOTA) ? first + j : pay_in[first + j]);
        }
        return;
    }

    // Write out in striped order: consecutive threads, consecutive positions of a digit's run.
    if (!(FLAGS & F_PAYLOAD)) {
#pragma unroll
        for (int i = 0; i < ITEMS; ++i) {
            int j = i * THREADS + threadIdx.x;
            K key = s.u.keys[j];
            if (j < count) keys_out[s.dest[digit(key, shift, useg)] + j] = key;
        }
        return;
    }
    unsigned dj[ITEMS];
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) {
        int j = i * THREADS + threadIdx.x;
        K key = s.u.keys[j];
        dj[i] = digit(key, shift, useg);
        if (!(FLAGS & F_NO_KEYS) && j < count) keys_out[s.dest[dj[i]] + j] = key;
    }
    C p[ITEMS];
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) {
        int j = tile_position<ITEMS>(i);
        p[i] = (FLAGS & F_IOTA) ? first + j : j < count ? pay_in[first + j] : (C)0;
    }
    __syncthreads();  // every key is read out of shared memory
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) s.u.payload[at[(FLAGS & F_PAYLOAD) ? i : 0]] = p[i];
    __syncthreads();
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) {
        int j = i * THREADS + threadIdx.x;
        if (j < count) put_payload(pay_out, pay_wide, s.dest[dj[i]] + j, s.u.payload[j]);
    }
}
