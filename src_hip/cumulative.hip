// Cumulative sums and products along one axis (cumsum, cumprod, nancumsum, nancumprod) of an array with
// any strides. kernels/scan.py plans the call and fills the placeholders below; their defaults make this
// file compile on its own. The operations are reduce_ops.h's Sum and Prod (NaN skipped for nan-).
//
// The planner collapses the other axes into `BATCH` dimensions (B rows in all); each row of N elements
// is scanned along the axis. Three ways to hand rows to threads:
//
//   column  one thread per row, walking the axis (consecutive threads own consecutive rows: coalesced
//           when the axis is not the contiguous dimension, and right for short rows)
//   warp    one warp per row (lanes == the device's warp size): tiles of warpSize * ITEMS elements,
//           scanned with shuffles only
//   block   one block per row (lanes == BLOCK): tiles of BLOCK * ITEMS, shuffles then shared memory
//
// Long rows with few of them split into chunks (blockIdx.y) in three launches: reduce.hip (STAGE 1)
// writes each chunk's total, this kernel scans the totals of each row in place, then this kernel scans
// every chunk starting from the scanned total of the chunks before it (`carry`). Deterministic.
#include "reduce_ops.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

// ---- placeholders (kernels/scan.py replaces each marker together with the default after it) ----------
using in_t = /*@IN@*/ float;                      // element type of x
using T = /*@T@*/ float;                          // accumulation type (float for half)
using out_t = /*@OUT@*/ float;                    // element type of out
using Op = /*@OP@*/ rp_red::Sum<in_t, T, false>;  // the operation
using index_t = /*@INDEX@*/ int32_t;              // rows and elements: int32_t below 2**31
constexpr int MODE = /*@MODE@*/ 2;                // 0 column, 1 warp, 2 block (see above)
constexpr int BATCH = /*@BATCH@*/ 1;              // collapsed batch dimensions (at least 1)
constexpr int BLOCK = 256;                        // threads per block: a multiple of every warp size
constexpr int ITEMS = 4;                          // tiles loaded together (memory-level parallelism)

typedef Op::acc_t acc_t;

// Batch dimensions with their x and out byte strides (C order), then the axis's x and out strides.
struct Layout {
    int64_t batch_shape[BATCH], batch_x[BATCH], batch_out[BATCH];
    int64_t axis_x, axis_out;
};

RP_DEVICE void batch_offsets(const Layout& L, index_t b, int64_t& x_off, int64_t& out_off) {
    int64_t xo = 0, oo = 0;
#pragma unroll
    for (int d = BATCH - 1; d > 0; --d) {
        index_t n = (index_t)L.batch_shape[d], q = b / n, c = b - q * n;
        xo += (int64_t)c * L.batch_x[d];
        oo += (int64_t)c * L.batch_out[d];
        b = q;
    }
    x_off = xo + (int64_t)b * L.batch_x[0];
    out_off = oo + (int64_t)b * L.batch_out[0];
}

RP_DEVICE acc_t load(const char* x, const Layout& L, index_t i) {
    return Op::map(*(const in_t*)(x + (int64_t)i * L.axis_x), (rp_red::Index)i);
}

RP_DEVICE void store(char* out, const Layout& L, index_t i, acc_t v) {
    *(out_t*)(out + (int64_t)i * L.axis_out) = rp::cast<out_t>(v);
}

// Inclusive scan of v over the `lanes` threads of a row (a warp, or the whole block when lanes ==
// BLOCK); `total` gets the combination of all of them. Every thread of the block calls this (block) or
// every lane of the warp (warp).
RP_DEVICE acc_t group_scan(acc_t v, int lanes, acc_t* smem, acc_t& total) {
    const int lane = threadIdx.x % warpSize;
    for (int off = 1; off < warpSize; off <<= 1) {
        acc_t u = rp_red::shfl_up(v, off, warpSize);
        if (lane >= off) v = Op::combine(u, v);
    }
    if (lanes <= warpSize) {
        total = rp_red::shfl(v, warpSize - 1, warpSize);
        return v;
    }
    const int warp = threadIdx.x / warpSize, nwarps = BLOCK / warpSize;
    if (lane == warpSize - 1) smem[warp] = v;
    __syncthreads();
    if (warp == 0) {  // scan of the warp totals (nwarps <= warpSize)
        acc_t w = lane < nwarps ? smem[lane] : Op::identity();
        for (int off = 1; off < nwarps; off <<= 1) {
            acc_t u = rp_red::shfl_up(w, off, warpSize);
            if (lane >= off) w = Op::combine(u, w);
        }
        if (lane < nwarps) smem[lane] = w;
    }
    __syncthreads();
    if (warp > 0) v = Op::combine(smem[warp - 1], v);
    total = smem[nwarps - 1];
    __syncthreads();  // smem is reused by the next tile
    return v;
}

// Grid: (row groups, chunks). Block: BLOCK threads.
//   x, out     addresses of element [0, ..., 0]; may be the same array (in place)
//   B, N       rows, elements per row; chunk: elements per blockIdx.y
//   lanes      threads per row: 1 (column), the warp size (warp) or BLOCK (block)
//   carry      scanned chunk totals [chunk][row] (chunk s starts from entry s - 1), or null
extern "C" __global__ void __launch_bounds__(BLOCK)
rp_scan_axis(const char* x, char* out, Layout L, int64_t B_, int64_t N_, int64_t chunk_, int lanes, const acc_t* carry) {
    __shared__ rp_red::Slot16 smem_raw[(BLOCK / 32 * sizeof(acc_t) + 15) / 16 + 1];
    acc_t* smem = reinterpret_cast<acc_t*>(smem_raw);
    const index_t B = (index_t)B_, N = (index_t)N_, chunk = (index_t)chunk_;
    const int rows_per_block = BLOCK / lanes;
    const index_t b = (index_t)blockIdx.x * rows_per_block + (index_t)(threadIdx.x / lanes);
    const index_t start = (index_t)blockIdx.y * chunk;
    const index_t end = N - start < chunk ? N : start + chunk;
    // block: the whole block has one row, so b < B for every thread (no early exit before a barrier);
    // warp: a whole warp shares b; column: no barriers at all.
    if (b >= B) return;
    int64_t x_off, out_off;
    batch_offsets(L, b, x_off, out_off);
    const char* px = x + x_off;
    char* po = out + out_off;
    acc_t run = carry && blockIdx.y > 0 ? carry[(int64_t)(blockIdx.y - 1) * B + b] : Op::identity();

    if (MODE == 0) {
        index_t i = start;
        for (; i + 3 < end; i += 4) {  // four loads in flight, then the serial scan
            acc_t a0 = load(px, L, i), a1 = load(px, L, i + 1), a2 = load(px, L, i + 2), a3 = load(px, L, i + 3);
            run = Op::combine(run, a0);
            store(po, L, i, run);
            run = Op::combine(run, a1);
            store(po, L, i + 1, run);
            run = Op::combine(run, a2);
            store(po, L, i + 2, run);
            run = Op::combine(run, a3);
            store(po, L, i + 3, run);
        }
        for (; i < end; ++i) {
            run = Op::combine(run, load(px, L, i));
            store(po, L, i, run);
        }
        return;
    }

    const int lane = threadIdx.x % lanes;
    for (index_t base = start; base < end; base += (index_t)lanes * ITEMS) {
        acc_t v[ITEMS];
#pragma unroll
        for (int k = 0; k < ITEMS; ++k) {
            index_t i = base + k * lanes + lane;
            v[k] = i < end ? load(px, L, i) : Op::identity();
        }
#pragma unroll
        for (int k = 0; k < ITEMS; ++k) {
            acc_t total;
            acc_t s = group_scan(v[k], lanes, smem, total);
            index_t i = base + k * lanes + lane;
            if (i < end) store(po, L, i, Op::combine(run, s));
            run = Op::combine(run, total);
        }
    }
}

