// Reductions: sum, prod, max, min, all, any, mean, var, std, ptp, their nan- variants, argmax, argmin,
// over any set of axes of an array with any strides. kernels/reduction.py plans the call and fills the
// placeholders below; their defaults make this file compile on its own.
//
// The planner has collapsed the array into `KEPT` kept dimensions (the output's, M elements in all) and
// `RED` reduced dimensions (N elements per output), with byte strides. One kernel, `rp_reduce`, serves
// every layout: a block of BLOCK threads holds BLOCK / ry outputs and `ry` lanes per output.
//
//   ROW     lanes of one output are consecutive threads (a warp or the whole block): they stride along
//           the reduced elements, which lie contiguous (last-axis and full reductions). Combined with
//           warp shuffles, then across the warps of the block through shared memory.
//   column  consecutive threads own consecutive outputs (the kept axis is the contiguous one, e.g. sum
//           over axis 0 of a C array): each thread walks down its column, coalesced with its
//           neighbours; when outputs are few, ry > 1 lanes split a column and meet in shared memory.
//
// Few outputs with many elements: blockIdx.y splits the reduced range into chunks. STAGE 1 then writes
// one partial accumulator per (chunk, output) to a temporary ([chunk][output], contiguous), and a second
// launch of this same kernel with STAGE 2 combines them (its input is accumulators, not elements).
// STAGE 0 is the single launch. No atomics: the same launch geometry gives the same bits every run.
//
// The operations (reduce_ops.h) are structs with acc_t, identity(), map(x, i), combine(a, b) and
// post(a, n, ddof): Python picks one and the types; nothing else changes between instantiations.
#include "reduce_ops.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

// ---- placeholders (kernels/reduction.py replaces each marker together with the default after it) -----
using in_t = /*@IN@*/ float;                      // element type of x
using T = /*@T@*/ float;                          // accumulation type (float for half)
using out_t = /*@OUT@*/ float;                    // element type of out
using Op = /*@OP@*/ rp_red::Sum<in_t, T, false>;  // the operation
using index_t = /*@INDEX@*/ int32_t;              // outputs and reduced elements: int32_t below 2**31
constexpr int STAGE = /*@STAGE@*/ 0;              // 0: x -> out; 1: x -> partials; 2: partials -> out
constexpr bool ROW = /*@ROW@*/ true;              // lanes of an output are consecutive threads
constexpr int KEPT = /*@KEPT@*/ 1;                // collapsed kept dimensions (at least 1)
constexpr int RED = /*@RED@*/ 1;                  // collapsed reduced dimensions (at least 1)
constexpr int VEC = /*@VEC@*/ 1;                  // > 1: 16-byte loads of VEC elements (contiguous rows)
constexpr int ACC_SIZE = /*@ACC_SIZE@*/ 4;        // sizeof(acc_t) as the planner computed it
constexpr int BLOCK = 256;                        // threads per block: a multiple of every warp size

typedef Op::acc_t acc_t;
static_assert(sizeof(acc_t) == ACC_SIZE, "reduction.py's accumulator size disagrees with the kernel's");
static_assert(VEC == 1 || VEC * sizeof(in_t) == 16, "VEC elements must fill 16 bytes");

// Kept dimensions with their x and out byte strides, reduced ones with their x byte strides; C order
// (the last dimension varies fastest). One by-value kernel argument of 3 * KEPT + 2 * RED int64.
struct Layout {
    int64_t kept_shape[KEPT], kept_x[KEPT], kept_out[KEPT];
    int64_t red_shape[RED], red_x[RED];
};

// ---- addressing -------------------------------------------------------------------------------------
RP_DEVICE void kept_offsets(const Layout& L, index_t o, int64_t& x_off, int64_t& out_off) {
    int64_t xo = 0, oo = 0;
#pragma unroll
    for (int d = KEPT - 1; d > 0; --d) {
        index_t n = (index_t)L.kept_shape[d], q = o / n, c = o - q * n;
        xo += (int64_t)c * L.kept_x[d];
        oo += (int64_t)c * L.kept_out[d];
        o = q;
    }
    x_off = xo + (int64_t)o * L.kept_x[0];
    out_off = oo + (int64_t)o * L.kept_out[0];
}

RP_DEVICE int64_t red_offset(const Layout& L, index_t i) {
    int64_t off = 0;
#pragma unroll
    for (int d = RED - 1; d > 0; --d) {
        index_t n = (index_t)L.red_shape[d], q = i / n;
        off += (int64_t)(i - q * n) * L.red_x[d];
        i = q;
    }
    return off + (int64_t)i * L.red_x[0];
}

// What a lane reads: elements mapped by the operation, or (STAGE 2) partial accumulators.
template <int S> struct Source {
    RP_DEVICE static acc_t at(const char* p, index_t i) { return Op::map(*(const in_t*)p, (rp_red::Index)i); }
};
template <> struct Source<2> {
    RP_DEVICE static acc_t at(const char* p, index_t) { return *(const acc_t*)p; }
};

// ---- one lane: reduced elements start + lane, start + lane + lanes, ... below end -----------------
RP_DEVICE acc_t reduce_lane(const char* base, const Layout& L, index_t start, index_t end, index_t lane,
                            index_t lanes) {
    typedef Source<STAGE> S;
    acc_t acc = Op::identity();
    if (RED == 1) {
        const int64_t st = L.red_x[0];
        index_t i = start + lane;
        if (VEC > 1) {
            // 16-byte loads: the planner guarantees aligned rows, unit stride and start % VEC == 0.
            struct alignas(16) Pack {
                in_t v[VEC];
            };
            const Pack* p = (const Pack*)base;
            index_t v = start / VEC + lane, vend = end / VEC;
            for (; v + lanes < vend; v += 2 * lanes) {
                Pack a = p[v], b = p[v + lanes];
#pragma unroll
                for (int k = 0; k < VEC; ++k) acc = Op::combine(acc, Op::map(a.v[k], (rp_red::Index)v * VEC + k));
#pragma unroll
                for (int k = 0; k < VEC; ++k)
                    acc = Op::combine(acc, Op::map(b.v[k], (rp_red::Index)(v + lanes) * VEC + k));
            }
            if (v < vend) {
                Pack a = p[v];
#pragma unroll
                for (int k = 0; k < VEC; ++k) acc = Op::combine(acc, Op::map(a.v[k], (rp_red::Index)v * VEC + k));
            }
            i = vend * VEC + lane;  // the last < VEC elements
        }
        // Four independent loads in flight per lane, combined in order.
        for (; i + 3 * lanes < end; i += 4 * lanes) {
            acc_t a0 = S::at(base + (int64_t)i * st, i);
            acc_t a1 = S::at(base + (int64_t)(i + lanes) * st, i + lanes);
            acc_t a2 = S::at(base + (int64_t)(i + 2 * lanes) * st, i + 2 * lanes);
            acc_t a3 = S::at(base + (int64_t)(i + 3 * lanes) * st, i + 3 * lanes);
            acc = Op::combine(Op::combine(Op::combine(Op::combine(acc, a0), a1), a2), a3);
        }
        for (; i < end; i += lanes) acc = Op::combine(acc, S::at(base + (int64_t)i * st, i));
    } else {
        for (index_t i = start + lane; i < end; i += lanes) acc = Op::combine(acc, S::at(base + red_offset(L, i), i));
    }
    return acc;
}

// ---- the ry lanes of each output meet; the result is valid in the output's lane 0 --------------------
RP_DEVICE acc_t combine_lanes(acc_t acc, int ry, int tid, acc_t* smem) {
    if (ROW) {
        const int width = ry < warpSize ? ry : warpSize;
        for (int off = width / 2; off > 0; off >>= 1) acc = Op::combine(acc, rp_red::shfl_down(acc, off, width));
        if (ry > warpSize) {  // ry == BLOCK: one output per block, one partial per warp
            const int warp = tid / warpSize, lane = tid % warpSize, nwarps = BLOCK / warpSize;
            if (lane == 0) smem[warp] = acc;
            __syncthreads();
            if (warp == 0) {
                acc = lane < nwarps ? smem[lane] : Op::identity();
                for (int off = warpSize / 2; off > 0; off >>= 1) acc = Op::combine(acc, rp_red::shfl_down(acc, off, warpSize));
            }
        }
    } else if (ry > 1) {
        // Column lanes of one output are BLOCK / ry threads apart: a tree in shared memory.
        const int ox = BLOCK / ry;
        smem[tid] = acc;
        for (int h = ry / 2; h > 0; h >>= 1) {
            __syncthreads();
            if (tid / ox < h) smem[tid] = Op::combine(smem[tid], smem[tid + h * ox]);
        }
        __syncthreads();
        acc = smem[tid];
    }
    return acc;
}

// Grid: (blocks of BLOCK / ry outputs, chunks of the reduced range). Block: BLOCK threads.
//   x, out        addresses of element [0, ..., 0] (out: of the partials when STAGE == 1)
//   M, N, chunk   outputs, reduced elements per output, reduced elements per blockIdx.y
//   ry            lanes per output: ROW a power of two up to the warp size, or BLOCK; column any
//                 power of two up to BLOCK
//   split_stride  STAGE 1: bytes between the partials of consecutive chunks
//   init          NumPy's initial= as an accumulator, or null
//   n, ddof       the count of reduced elements (mean) and var/std's ddof
extern "C" __global__ void __launch_bounds__(BLOCK)
rp_reduce(const char* x, char* out, Layout L, int64_t M_, int64_t N_, int64_t chunk_, int ry, int64_t split_stride,
          const acc_t* init, double n, double ddof) {
    __shared__ rp_red::Slot16 smem_raw[(BLOCK * sizeof(acc_t) + 15) / 16];
    acc_t* smem = reinterpret_cast<acc_t*>(smem_raw);
    const index_t M = (index_t)M_, N = (index_t)N_, chunk = (index_t)chunk_;
    const int tid = threadIdx.x;
    const int per_block = BLOCK / ry;  // outputs per block
    const int local = ROW ? tid / ry : tid % per_block;
    const int lane = ROW ? tid % ry : tid / per_block;
    const index_t o = (index_t)blockIdx.x * per_block + local;
    const index_t start = (index_t)blockIdx.y * chunk;
    const index_t end = N - start < chunk ? N : start + chunk;
    acc_t acc = Op::identity();
    int64_t x_off = 0, out_off = 0;
    if (o < M) {
        kept_offsets(L, o, x_off, out_off);
        acc = reduce_lane(x + x_off, L, start, end, lane, ry);
    }
    acc = combine_lanes(acc, ry, tid, smem);  // every thread of the block takes part
    if (o < M && lane == 0) {
        if (STAGE == 1) {
            *(acc_t*)(out + out_off + (int64_t)blockIdx.y * split_stride) = acc;
        } else {
            if (init) acc = Op::combine(*init, acc);
            *(out_t*)(out + out_off) = rp::cast<out_t>(Op::post(acc, n, ddof));
        }
    }
}

