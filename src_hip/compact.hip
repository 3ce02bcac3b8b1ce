// Stream compaction, in order: nonzero / argwhere / flatnonzero, extract (x[mask]), count_nonzero, and
// the group numbers of unique's inverse. kernels/indexing.py runs, for n flags in tiles of TILE:
//
//   rp_count_tiles     per tile, how many elements are nonzero (tile_counts), and/or their sum (total)
//   (scan.hip)         exclusive scan of tile_counts: each tile's first output position
//   rp_compact_coords  each nonzero element's coordinates (C order), written at its rank
//   rp_compact_values  x[j] for each j where cond[j], written at its rank
//   rp_rank_scatter    for every j, the number of flags set in [0, j] minus one, written at perm[j]
//
// Elements are compared to zero by their bits: `mask` drops the sign bits of floats (and of both parts
// of a complex), so -0.0 counts as zero and NaN as nonzero, as in NumPy. A thread owns ITEMS
// consecutive elements, so its outputs are consecutive too; a block-wide scan of the per-thread counts
// places them.
#include "radix.h"
#include "strided.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using U = /*@U@*/ uint32_t;  // the element's storage: uint8_t .. uint64_t, or rp_strided::u128 (complex128)

constexpr int THREADS = 256;
constexpr int ITEMS = 16;
constexpr int TILE = THREADS * ITEMS;
constexpr int MAX_DIMS = 32;

struct Dims {
    long long n[MAX_DIMS];
};

template <class T> RP_DEVICE bool is_nonzero(T v, unsigned long long mask) {
    return ((unsigned long long)v & mask) != 0;
}
RP_DEVICE bool is_nonzero(rp_strided::u128 v, unsigned long long mask) { return ((v.lo | v.hi) & mask) != 0; }

// The output position of this thread's first selected element: the tile's offset plus the counts of the
// threads before it.
RP_DEVICE long long thread_base(int mine, long long tile_offset, long long (&buf)[2][THREADS]) {
    return tile_offset + rp_radix::block_exclusive_scan<THREADS>((long long)mine, buf, (long long*)0);
}

extern "C" __global__ void __launch_bounds__(THREADS)
rp_count_tiles(const U* x, long long n, long long mask, long long* tile_counts, unsigned long long* total) {
    __shared__ unsigned int count;
    if (threadIdx.x == 0) count = 0;
    __syncthreads();
    const unsigned long long m = (unsigned long long)mask;
    long long first = (long long)blockIdx.x * TILE;
    unsigned int mine = 0;
#pragma unroll
    for (int i = 0; i < ITEMS; ++i) {
        long long j = first + i * THREADS + threadIdx.x;  // striped: coalesced loads
        if (j < n && is_nonzero(x[j], m)) ++mine;
    }
    if (mine) atomicAdd(&count, mine);
    __syncthreads();
    if (threadIdx.x == 0) {
        if (tile_counts) tile_counts[blockIdx.x] = count;
        if (total) atomicAdd(total, (unsigned long long)count);
    }
}

// out[k * stride_k + d * stride_d] = coordinate d of the k-th nonzero element of x (shape[0..ndim)).
extern "C" __global__ void __launch_bounds__(THREADS)
rp_compact_coords(const U* x, long long n, long long mask, const long long* offsets, long long* out, long long stride_k,
                  long long stride_d, int ndim, Dims shape) {
    __shared__ long long buf[2][THREADS];
    const unsigned long long m = (unsigned long long)mask;
    long long first = (long long)blockIdx.x * TILE + (long long)threadIdx.x * ITEMS;
    int mine = 0;
    for (int i = 0; i < ITEMS; ++i)
        if (first + i < n && is_nonzero(x[first + i], m)) ++mine;
    long long k = thread_base(mine, offsets[blockIdx.x], buf);
    for (int i = 0; i < ITEMS && mine; ++i) {
        long long j = first + i;
        if (j < n && is_nonzero(x[j], m)) {
            long long* o = out + k * stride_k;
            for (int d = ndim - 1; d > 0; --d) {
                long long q = j / shape.n[d];
                o[d * stride_d] = j - q * shape.n[d];
                j = q;
            }
            o[0] = j;
            ++k;
            --mine;
        }
    }
}

// out[k] = x[j] for the k-th j with cond[j] != 0.
extern "C" __global__ void __launch_bounds__(THREADS)
rp_compact_values(const uint8_t* cond, const U* x, long long n, const long long* offsets, U* out) {
    __shared__ long long buf[2][THREADS];
    long long first = (long long)blockIdx.x * TILE + (long long)threadIdx.x * ITEMS;
    int mine = 0;
    for (int i = 0; i < ITEMS; ++i)
        if (first + i < n && cond[first + i]) ++mine;
    long long k = thread_base(mine, offsets[blockIdx.x], buf);
    for (int i = 0; i < ITEMS && mine; ++i) {
        long long j = first + i;
        if (j < n && cond[j]) {
            out[k++] = x[j];
            --mine;
        }
    }
}

// out[perm[j]] = (number of j' <= j with flags[j']) - 1, for every j (perm null: out[j]).
extern "C" __global__ void __launch_bounds__(THREADS)
rp_rank_scatter(const uint8_t* flags, long long n, const long long* offsets, const long long* perm, long long* out) {
    __shared__ long long buf[2][THREADS];
    long long first = (long long)blockIdx.x * TILE + (long long)threadIdx.x * ITEMS;
    int mine = 0;
    for (int i = 0; i < ITEMS; ++i)
        if (first + i < n && flags[first + i]) ++mine;
    long long rank = thread_base(mine, offsets[blockIdx.x], buf) - 1;
    for (int i = 0; i < ITEMS; ++i) {
        long long j = first + i;
        if (j < n) {
            if (flags[j]) ++rank;
            out[perm ? perm[j] : j] = rank;
        }
    }
}
