// Matrix products C = A @ B over a batch of matrices (NumPy's matmul), our own kernels for devices or
// dtypes without a vendor BLAS. kernels/gemm.py plans the call (1-D operands, batch broadcasting, layouts,
// alignment) and fills the placeholders below; their defaults make this file compile on its own.
//
//   rp_gemm_tiled    float / double, the fast path: a 128 x 128 block tile, 256 threads that each own an
//                    8 x 8 register tile, shared memory double buffered, 16-byte loads and stores where the
//                    planner proved them aligned. A and B are each row-major or transposed (TRANS_*), so
//                    x @ y.mT needs no copy; C is row-major with unit column stride.
//   rp_gemm_generic  every dtype, any strides (negative and zero too): a 64 x 64 tile, 4 x 4 per thread,
//                    accumulating in ACC (float for half; unsigned for integers so that overflow wraps
//                    like NumPy without C++'s undefined signed overflow; bool as or-of-ands).
//
// A filled source holds one of the two (RP_GEMM_TILED). Both use a 1-D grid: block b computes tile
// tile_of(b) of matrix b / tiles of the batch. The batch is at most two collapsed dimensions (outer,
// inner) with element strides per operand; the planner loops over any further ones. Only __syncthreads
// and plain loads/stores: the same source runs on NVIDIA (warp 32) and AMD (wave32 RDNA, wave64 CDNA);
// shared memory stays under 48 KiB (CUDA's static limit; AMD's is 64 KiB). The index math is in small
// functions that the host tests (tests/kernel_gemm_host.cpp) run with g++.
#include "complex.h"  // rp::complex, and prelude.h

// ---- placeholders (kernels/gemm.py replaces each marker together with the default after it) ----------
// 1: this source is rp_gemm_tiled (T float or double); 0: rp_gemm_generic.
#define RP_GEMM_TILED /*@TILED@*/ 1
using T = /*@T@*/ float;      // element type of A, B and C
using ACC = /*@ACC@*/ float;  // rp_gemm_generic: the type the products are summed in
// rp_gemm_tiled: A[m, k] is at A + k * lda + m rather than A + m * lda + k (A is the transpose of a
// row-major K x M); B[k, n] at B + n * ldb + k rather than B + k * ldb + n; A, B and C rows all start
// 16-byte aligned (vector loads and stores).
constexpr bool TRANS_A = /*@TRANS_A@*/ false;
constexpr bool TRANS_B = /*@TRANS_B@*/ false;
constexpr bool VEC = /*@VEC@*/ true;

namespace rp_gemm {

RP_DEVICE int imin(int a, int b) { return a < b ? a : b; }

// Block `bid`'s tile: batch index and tile row/column. Tiles go in groups of `group` tile rows, down a
// column of the group first, so that blocks running together share panels of A and B in the L2 cache.
struct Tile { int batch, tm, tn; };

RP_DEVICE Tile tile_of(int bid, int tiles_m, int tiles_n, int group) {
    int per_matrix = tiles_m * tiles_n;
    int batch = bid / per_matrix;
    int t = bid - batch * per_matrix;
    int per_group = group * tiles_n;
    int first = (t / per_group) * group;
    int rows = imin(tiles_m - first, group);
    int r = t % per_group;
    return Tile{batch, first + r % rows, r / rows};
}

// Element offset of matrix `b` of the batch: b = outer * inner_count + inner.
RP_DEVICE long long batch_offset(int b, int inner_count, long long outer_stride, long long inner_stride) {
    return (long long)(b / inner_count) * outer_stride + (long long)(b % inner_count) * inner_stride;
}

// ---- rp_gemm_tiled's geometry ------------------------------------------------------------------------
constexpr int BM = 128, BN = 128, THREADS = 256;
constexpr int BK = sizeof(T) <= 4 ? 16 : 8;     // shared memory: 2 buffers x (A + B) = 33 KiB either way
constexpr int LDS = BM + 4;                     // padded shared row: fewer bank conflicts when transposing
constexpr int LOADS = BK * BM / (4 * THREADS);  // 4-element groups of A (and of B) per thread per k tile
// Blocks per multiprocessor to fit registers for: 2 caps float at 128 registers, so that two blocks share
// a multiprocessor (H100, 8192^3: 42 TFLOP/s; 38 to 42 in two runs with one block of 165 registers);
// double's 64 accumulators alone take 128 registers.
constexpr int MIN_BLOCKS = sizeof(T) <= 4 ? 2 : 1;

// Where a thread's q-th group of 4 contiguous elements of an operand tile lies: `line` along the tile's
// strided dimension, `pos` (a multiple of 4) along its contiguous one, of length `contiguous`.
struct Slot { int line, pos; };

RP_DEVICE Slot load_slot(int q, int contiguous) {
    return Slot{q / (contiguous / 4), (q % (contiguous / 4)) * 4};
}

// The thread's i-th row (or column) of the 128-wide block tile, i < 8: two 4-wide strips 64 apart, so
// that a warp reads shared memory as 16-byte broadcasts and consecutive 16-byte words.
RP_DEVICE int micro_index(int i, int t16) { return (i / 4) * 64 + t16 * 4 + i % 4; }

}  // namespace rp_gemm

#if RP_GEMM_TILED
namespace rp_gemm {

constexpr int PACK = 16 / sizeof(T);  // elements per 16-byte access: 4 floats, 2 doubles
struct alignas(16) Pack { T v[PACK]; };

// Four consecutive elements at p, 16-byte aligned: one or two 16-byte accesses.
RP_DEVICE void load4(const T* p, T* r) {
#pragma unroll
    for (int i = 0; i < 4; i += PACK) {
        Pack q = *reinterpret_cast<const Pack*>(p + i);
#pragma unroll
        for (int j = 0; j < PACK; ++j) r[i + j] = q.v[j];
    }
}

RP_DEVICE void store4(T* p, const T* r) {
#pragma unroll
    for (int i = 0; i < 4; i += PACK) {
        Pack q;
#pragma unroll
        for (int j = 0; j < PACK; ++j) q.v[j] = r[i + j];
        *reinterpret_cast<Pack*>(p + i) = q;
    }
}

struct alignas(16) Shared {
    T a[2][BK][LDS];  // a[buffer][k][m]: A's tile, k-major whatever A's layout
    T b[2][BK][LDS];  // b[buffer][k][n]
};

// One operand's share of the global -> shared copies of a 128 x BK tile. K_CONTIGUOUS: the operand's k
// index is the contiguous one in memory (A row-major, B transposed), so each group of 4 is 4 k's of one
// row (column) and is stored transposed; else it is 4 rows (columns) of one k and is stored as is.
// `extent` is M for A and N for B; `first` the block tile's first row (column).
template <bool K_CONTIGUOUS>
struct Loader {
    const T* p[LOADS];  // the group's first element at the current k tile
    int line[LOADS], pos[LOADS];
    int first, extent, K;
    long long step;  // elements between consecutive k tiles

    RP_DEVICE Loader(const T* base, long long ld, int first_, int extent_, int K_, int tid)
        : first(first_), extent(extent_), K(K_), step(K_CONTIGUOUS ? BK : BK * ld) {
#pragma unroll
        for (int g = 0; g < LOADS; ++g) {
            Slot s = load_slot(tid + g * THREADS, K_CONTIGUOUS ? BK : BM);
            line[g] = s.line;
            pos[g] = s.pos;
            p[g] = K_CONTIGUOUS ? base + (long long)(first + s.line) * ld + s.pos
                                : base + (long long)s.line * ld + first + s.pos;
        }
    }

    // This thread's elements of the k tile starting at k0 (zero outside the matrix).
    RP_DEVICE void fetch(int k0, T (&r)[LOADS][4]) const {
#pragma unroll
        for (int g = 0; g < LOADS; ++g) {
            if (K_CONTIGUOUS) {
                bool in = first + line[g] < extent;
                int k = k0 + pos[g];
                if (VEC && in && k + 3 < K) {
                    load4(p[g], r[g]);
                } else {
#pragma unroll
                    for (int i = 0; i < 4; ++i) r[g][i] = in && k + i < K ? p[g][i] : T(0);
                }
            } else {
                bool in = k0 + line[g] < K;
                int m = first + pos[g];
                if (VEC && in && m + 3 < extent) {
                    load4(p[g], r[g]);
                } else {
#pragma unroll
                    for (int i = 0; i < 4; ++i) r[g][i] = in && m + i < extent ? p[g][i] : T(0);
                }
            }
        }
    }

    RP_DEVICE void advance() {
#pragma unroll
        for (int g = 0; g < LOADS; ++g) p[g] += step;
    }

    RP_DEVICE void store(T (*s)[LDS], const T (&r)[LOADS][4]) const {
#pragma unroll
        for (int g = 0; g < LOADS; ++g) {
            if (K_CONTIGUOUS) {
#pragma unroll
                for (int i = 0; i < 4; ++i) s[pos[g] + i][line[g]] = r[g][i];
            } else {
                store4(&s[line[g]][pos[g]], r[g]);
            }
        }
    }
};

}  // namespace rp_gemm

// C[M, N] = A[M, K] @ B[K, N] for each matrix of the batch; lda/ldb/ldc in elements (see TRANS_*).
// Grid: tiles_m * tiles_n * batch blocks of 256 threads, batch = outer count * inner_count.
extern "C" __global__ void __launch_bounds__(256, rp_gemm::MIN_BLOCKS)
rp_gemm_tiled(const T* __restrict__ A, const T* __restrict__ B, T* __restrict__ C, int M, int N, int K,
              long long lda, long long ldb, long long ldc, int inner_count,
              long long sa_outer, long long sa_inner, long long sb_outer, long long sb_inner,
              long long sc_outer, long long sc_inner) {
    using namespace rp_gemm;
    __shared__ Shared sm;
    const int tid = threadIdx.x;
    const Tile tile = tile_of(blockIdx.x, (M + BM - 1) / BM, (N + BN - 1) / BN, 8);
    const int m0 = tile.tm * BM, n0 = tile.tn * BN;
    A += batch_offset(tile.batch, inner_count, sa_outer, sa_inner);
    B += batch_offset(tile.batch, inner_count, sb_outer, sb_inner);
    C += batch_offset(tile.batch, inner_count, sc_outer, sc_inner);

    Loader<!TRANS_A> la(A, lda, m0, M, K, tid);
    Loader<TRANS_B> lb(B, ldb, n0, N, K, tid);
    T ra[LOADS][4], rb[LOADS][4];
    T acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; ++i)
#pragma unroll
        for (int j = 0; j < 8; ++j) acc[i][j] = T(0);

    const int tx = tid % 16, ty = tid / 16;
    const int ktiles = (K + BK - 1) / BK;
    if (ktiles > 0) {
        la.fetch(0, ra);
        lb.fetch(0, rb);
        la.store(sm.a[0], ra);
        lb.store(sm.b[0], rb);
        __syncthreads();
    }
    for (int kt = 0; kt < ktiles; ++kt) {
        const int buf = kt & 1;
        const bool more = kt + 1 < ktiles;
        if (more) {  // the next k tile's global loads are in flight while this one is multiplied
            la.advance();
            lb.advance();
            la.fetch((kt + 1) * BK, ra);
            lb.fetch((kt + 1) * BK, rb);
        }
#pragma unroll
        for (int k = 0; k < BK; ++k) {
            T a[8], b[8];
            load4(&sm.a[buf][k][ty * 4], a);
            load4(&sm.a[buf][k][64 + ty * 4], a + 4);
            load4(&sm.b[buf][k][tx * 4], b);
            load4(&sm.b[buf][k][64 + tx * 4], b + 4);
#pragma unroll
            for (int i = 0; i < 8; ++i)
#pragma unroll
                for (int j = 0; j < 8; ++j) acc[i][j] += a[i] * b[j];
        }
        if (more) {
            // Nobody reads buffer buf ^ 1 now: its last readers (iteration kt - 1) passed the barrier below.
            la.store(sm.a[buf ^ 1], ra);
            lb.store(sm.b[buf ^ 1], rb);
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 8; ++i) {
        const int m = m0 + micro_index(i, ty);
        if (m >= M) continue;
        T* row = C + (long long)m * ldc;
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            const int n = n0 + micro_index(h * 4, tx);
            const T* v = &acc[i][h * 4];
            if (VEC && n + 3 < N) {
                store4(row + n, v);
            } else {
#pragma unroll
                for (int j = 0; j < 4; ++j)
                    if (n + j < N) row[n + j] = v[j];
            }
        }
    }
}

#else  // rp_gemm_generic
namespace rp_gemm {

constexpr int GBM = 64, GBN = 64, GBK = 16;

// Multiply-add in the accumulator type; bool is NumPy's logical or of ands.
template <class X> RP_DEVICE X madd(X acc, X a, X b) { return acc + a * b; }
template <> RP_DEVICE bool madd<bool>(bool acc, bool a, bool b) { return acc || (a && b); }

}  // namespace rp_gemm

// Like rp_gemm_tiled with every operand's row and column strides in elements (s?m, s?k, s?n), any sign.
extern "C" __global__ void __launch_bounds__(256)
rp_gemm_generic(const T* __restrict__ A, const T* __restrict__ B, T* __restrict__ C, int M, int N, int K,
                long long sam, long long sak, long long sbk, long long sbn, long long scm, long long scn,
                int inner_count, long long sa_outer, long long sa_inner, long long sb_outer,
                long long sb_inner, long long sc_outer, long long sc_inner) {
    using namespace rp_gemm;
    __shared__ ACC as[GBK][GBM + 1];  // + 1: the k-fast fill pattern hits distinct banks
    __shared__ ACC bs[GBK][GBN + 1];
    const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
    const Tile tile = tile_of(blockIdx.x, (M + GBM - 1) / GBM, (N + GBN - 1) / GBN, 8);
    const int m0 = tile.tm * GBM, n0 = tile.tn * GBN;
    A += batch_offset(tile.batch, inner_count, sa_outer, sa_inner);
    B += batch_offset(tile.batch, inner_count, sb_outer, sb_inner);
    C += batch_offset(tile.batch, inner_count, sc_outer, sc_inner);
    // Consecutive threads walk the operand's smaller stride (coalesced when it is the unit one).
    const bool a_m_fast = (sam < 0 ? -sam : sam) <= (sak < 0 ? -sak : sak);
    const bool b_n_fast = (sbn < 0 ? -sbn : sbn) <= (sbk < 0 ? -sbk : sbk);

    ACC acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) acc[i][j] = ACC();

    for (int k0 = 0; k0 < K; k0 += GBK) {
#pragma unroll
        for (int e = 0; e < GBK * GBM / 256; ++e) {
            const int q = tid + e * 256;
            int m = a_m_fast ? q % GBM : q / GBK, k = a_m_fast ? q / GBM : q % GBK;
            as[k][m] = m0 + m < M && k0 + k < K
                ? rp::cast<ACC>(A[(long long)(m0 + m) * sam + (long long)(k0 + k) * sak]) : ACC();
            int n = b_n_fast ? q % GBN : q / GBK;
            k = b_n_fast ? q / GBN : q % GBK;
            bs[k][n] = n0 + n < N && k0 + k < K
                ? rp::cast<ACC>(B[(long long)(k0 + k) * sbk + (long long)(n0 + n) * sbn]) : ACC();
        }
        __syncthreads();
#pragma unroll
        for (int k = 0; k < GBK; ++k) {
            ACC a[4], b[4];
#pragma unroll
            for (int i = 0; i < 4; ++i) a[i] = as[k][ty + 16 * i];
#pragma unroll
            for (int j = 0; j < 4; ++j) b[j] = bs[k][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < 4; ++i)
#pragma unroll
                for (int j = 0; j < 4; ++j) acc[i][j] = madd(acc[i][j], a[i], b[j]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; ++i) {
        const int m = m0 + ty + 16 * i;
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            const int n = n0 + tx + 16 * j;
            if (m < M && n < N) C[(long long)m * scm + (long long)n * scn] = rp::cast<T>(acc[i][j]);
        }
    }
}
#endif
