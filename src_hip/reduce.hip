// Reductions: sum, prod, max, min, all, any, mean, var, std, ptp, their nan- variants, argmax, argmin,
// over any set of axes of an array with any strides. kernels/reduction.py plans the call and fills the
// placeholders below; their defaults make this file compile on its own.
//
// The planner has collapsed the array into `KEPT` kept dimensions (the output's, M elements in all) and
// `RED` reduced dimensions (N elements per output), with byte strides. One kernel, `rp_reduce`, serves
// every layout: a block of BLOCK threads holds BLOCK / ry groups of outputs and `ry` lanes per group.
//
//   ROW     lanes of one output are consecutive threads (a warp or the whole block): they stride along
//           the reduced elements, which lie contiguous (last-axis and full reductions), VEC elements per
//           16-byte load. Combined with warp shuffles, then across the warps of the block through shared
//           memory.
//   column  consecutive threads own consecutive groups of VEC outputs (the kept axis is the contiguous
//           one, e.g. sum over axis 0 of a C array): each thread walks down its VEC columns with one load
//           of VEC adjacent elements per row, coalesced with its neighbours; when outputs are few, ry > 1
//           lanes split the rows and meet in shared memory.
// Every lane keeps UNROLL independent loads in flight: what a memory-bound kernel needs to reach the
// device's bandwidth.
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
#define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))
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
constexpr int VEC = /*@VEC@*/ 1;                  // elements per load (ROW: 16 bytes; column: outputs per thread)
constexpr int UNROLL = /*@UNROLL@*/ 4;            // independent loads in flight per lane
constexpr int MIN_BLOCKS = /*@MIN_BLOCKS@*/ 8;    // NVIDIA: resident blocks per SM the registers must allow
constexpr int ACC_SIZE = /*@ACC_SIZE@*/ 4;        // sizeof(acc_t) as the planner computed it
constexpr int BLOCK = 256;                        // threads per block: a multiple of every warp size
constexpr int OUTS = ROW ? 1 : VEC;               // outputs per thread

typedef Op::acc_t acc_t;
static_assert(sizeof(acc_t) == ACC_SIZE, "reduction.py's accumulator size disagrees with the kernel's");
static_assert(VEC >= 1 && (VEC & (VEC - 1)) == 0 && VEC * sizeof(in_t) <= 16, "a load is at most 16 bytes");
static_assert(!ROW || VEC == 1 || VEC * sizeof(in_t) == 16, "ROW loads fill 16 bytes");
static_assert(STAGE != 2 || VEC == 1, "partials are read one accumulator at a time");
static_assert(UNROLL >= 1 && UNROLL <= 16, "UNROLL loads per lane");

// NVIDIA: cap the registers so that MIN_BLOCKS blocks fit on an SM (the planner sizes a split grid in
// whole waves of them). HIP reads a second argument differently (waves per SIMD): its compiler chooses.
#if defined(__CUDACC__) && !defined(__HIP__) && !defined(__HIPCC_RTC__)
#define RP_RED_BOUNDS __launch_bounds__(BLOCK, MIN_BLOCKS)
#else
#define RP_RED_BOUNDS __launch_bounds__(BLOCK)
#endif

// Kept dimensions with their x and out byte strides, reduced ones with their x byte strides; C order
// (the last dimension varies fastest). One by-value kernel argument of 3 * KEPT + 2 * RED int64.
struct Layout {
    int64_t kept_shape[KEPT], kept_x[KEPT], kept_out[KEPT];
    int64_t red_shape[RED], red_x[RED];
};

// N elements read as one aligned load (N * sizeof(E) is a power of two).
template <class E, int N> struct alignas(sizeof(E) * N) Pack {
    E v[N];
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

// What a lane loads at one reduced index: W adjacent elements (W outputs' worth, or one), mapped by the
// operation; or (STAGE 2) one partial accumulator.
template <int S, int W> struct Load {
    typedef Pack<in_t, W> type;
    RP_DEVICE static acc_t at(const type& e, int k, index_t i) { return Op::map(e.v[k], (rp_red::Index)i); }
};
template <int W> struct Load<2, W> {
    typedef acc_t type;
    RP_DEVICE static acc_t at(const type& e, int, index_t) { return e; }
};

// ---- one lane: reduced indices i, i + lanes, ... below end, W outputs at once ------------------------
template <int W>
RP_DEVICE void reduce_strided(const char* base, const Layout& L, index_t i, index_t end, index_t lanes,
                              acc_t (&acc)[W]) {
    typedef Load<STAGE, W> Ld;
    typedef typename Ld::type E;
#pragma unroll 1
    for (; i + (UNROLL - 1) * lanes < end; i += UNROLL * lanes) {
        E e[UNROLL];  // every load issued before the first is used
#pragma unroll
        for (int u = 0; u < UNROLL; ++u) e[u] = *(const E*)(base + red_offset(L, i + u * lanes));
#pragma unroll
        for (int u = 0; u < UNROLL; ++u)
#pragma unroll
            for (int k = 0; k < W; ++k) acc[k] = Op::combine(acc[k], Ld::at(e[u], k, i + u * lanes));
    }
    for (; i < end; i += lanes) {
        const E e = *(const E*)(base + red_offset(L, i));
#pragma unroll
        for (int k = 0; k < W; ++k) acc[k] = Op::combine(acc[k], Ld::at(e, k, i));
    }
}

// ROW: the reduced elements start + lane, start + lane + lanes, ... below end of one output.
RP_DEVICE acc_t reduce_row(const char* base, const Layout& L, index_t start, index_t end, index_t lane,
                           index_t lanes) {
    acc_t acc[1] = {Op::identity()};
    index_t i = start + lane;
    if (RED == 1 && VEC > 1) {
        // 16-byte loads: the planner guarantees an aligned unit-stride run and start % VEC == 0.
        typedef Pack<in_t, VEC> P;
        const P* p = (const P*)base;
        index_t v = start / VEC + lane;
        const index_t vend = end / VEC;
#pragma unroll 1
        for (; v + (UNROLL - 1) * lanes < vend; v += UNROLL * lanes) {
            P e[UNROLL];
#pragma unroll
            for (int u = 0; u < UNROLL; ++u) e[u] = p[v + u * lanes];
#pragma unroll
            for (int u = 0; u < UNROLL; ++u)
#pragma unroll
                for (int k = 0; k < VEC; ++k)
                    acc[0] = Op::combine(acc[0], Op::map(e[u].v[k], (rp_red::Index)(v + u * lanes) * VEC + k));
        }
        for (; v < vend; v += lanes) {
            const P e = p[v];
#pragma unroll
            for (int k = 0; k < VEC; ++k) acc[0] = Op::combine(acc[0], Op::map(e.v[k], (rp_red::Index)v * VEC + k));
        }
        i = vend * VEC + lane;  // the last < VEC elements
    }
    reduce_strided<1>(base, L, i, end, lanes, acc);
    return acc[0];
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
        // Column lanes of one output are BLOCK / ry threads apart: a tree in shared memory. (A thread
        // writes and last reads only its own slot, so calls may follow each other without a barrier.)
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

// Grid: (blocks of BLOCK / ry output groups, chunks of the reduced range). Block: BLOCK threads.
//   x, out        addresses of element [0, ..., 0] (out: of the partials when STAGE == 1)
//   M, N, chunk   outputs, reduced elements per output, reduced elements per blockIdx.y
//   ry            lanes per output group: ROW a power of two up to the warp size, or BLOCK; column any
//                 power of two up to BLOCK
//   split_stride  STAGE 1: bytes between the partials of consecutive chunks
//   init          NumPy's initial= as an accumulator, or null
//   n, ddof       the count of reduced elements (mean) and var/std's ddof
// Column groups of OUTS outputs lie along the last kept dimension (the planner made its length a multiple
// of OUTS): output k of a group is k * sizeof(in_t) bytes into x and k * kept_out[KEPT - 1] into out.
// x and out never overlap (the planner reduces into a temporary first).
extern "C" __global__ void RP_RED_BOUNDS
rp_reduce(const char* __restrict__ x, char* __restrict__ out, Layout L, int64_t M_, int64_t N_, int64_t chunk_,
          int ry, int64_t split_stride, const acc_t* init, double n, double ddof) {
    rp_wait_previous_kernel();  // reduction.py launches this kernel with launch_dependent where it can
    __shared__ rp_red::Slot16 smem_raw[(BLOCK * sizeof(acc_t) + 15) / 16];
    acc_t* smem = reinterpret_cast<acc_t*>(smem_raw);
    const index_t groups = (index_t)M_ / OUTS, N = (index_t)N_, chunk = (index_t)chunk_;
    const int tid = threadIdx.x;
    const int per_block = BLOCK / ry;  // output groups per block
    const int local = ROW ? tid / ry : tid % per_block;
    const int lane = ROW ? tid % ry : tid / per_block;
    const index_t g = (index_t)blockIdx.x * per_block + local;
    const index_t start = (index_t)blockIdx.y * chunk;
    const index_t end = N - start < chunk ? N : start + chunk;
    acc_t acc[OUTS];
#pragma unroll
    for (int k = 0; k < OUTS; ++k) acc[k] = Op::identity();
    int64_t x_off = 0, out_off = 0;
    if (g < groups) {
        kept_offsets(L, g * OUTS, x_off, out_off);
        if (ROW)
            acc[0] = reduce_row(x + x_off, L, start, end, lane, ry);
        else
            reduce_strided<OUTS>(x + x_off, L, start + lane, end, ry, acc);
    }
#pragma unroll
    for (int k = 0; k < OUTS; ++k) acc[k] = combine_lanes(acc[k], ry, tid, smem);  // every thread takes part
    if (g < groups && lane == 0) {
        const int64_t out_step = L.kept_out[KEPT - 1];
#pragma unroll
        for (int k = 0; k < OUTS; ++k) {
            char* o = out + out_off + k * out_step;
            if (STAGE == 1) {
                *(acc_t*)(o + (int64_t)blockIdx.y * split_stride) = acc[k];
            } else {
                acc_t a = acc[k];
                if (init) a = Op::combine(*init, a);
                *(out_t*)o = rp::cast<out_t>(Op::post(a, n, ddof));
            }
        }
    }
}
