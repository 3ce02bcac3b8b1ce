// Runs src_hip/gemm.hip's kernels on the CPU, for tests/test_kernel_gemm_host.py.
//
// A block's 256 GPU threads are 256 POSIX threads and __syncthreads is a barrier; blocks run one after
// another, so the kernels' __shared__ variables become function-local statics that every thread of the
// (only) running block shares. (pthreads rather than <thread>: the C++ headers triple the build time.)
// Build: g++ -std=c++17 -shared -fPIC -pthread
// -I<src_hip> -DRP_GEMM_SOURCE='"<gemm.hip filled by kernels/gemm.py>"'.
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct rp_host_dim3 { unsigned x = 0, y = 0, z = 0; };
static thread_local rp_host_dim3 threadIdx, blockIdx;
static pthread_barrier_t rp_host_barrier;
static void __syncthreads() { pthread_barrier_wait(&rp_host_barrier); }
#define __global__
#define __shared__ static
#define __launch_bounds__(...)  // the GPU compilers define it

#include RP_GEMM_SOURCE

namespace {
struct Launch { long long blocks; const long long* a; int thread; };

void* run_thread(void* p) {
    const Launch& l = *static_cast<const Launch*>(p);
    const long long* a = l.a;
    threadIdx.x = l.thread;
    for (long long b = 0; b < l.blocks; ++b) {
        blockIdx.x = (unsigned)b;
        const T* A = (const T*)a[0];
        const T* B = (const T*)a[1];
        T* C = (T*)a[2];
#if RP_GEMM_TILED
        rp_gemm_tiled(A, B, C, (int)a[3], (int)a[4], (int)a[5], a[6], a[7], a[8], (int)a[9], a[10], a[11],
                      a[12], a[13], a[14], a[15]);
#else
        rp_gemm_generic(A, B, C, (int)a[3], (int)a[4], (int)a[5], a[6], a[7], a[8], a[9], a[10], a[11],
                        (int)a[12], a[13], a[14], a[15], a[16], a[17], a[18]);
#endif
        pthread_barrier_wait(&rp_host_barrier);  // the next block reuses the shared memory
    }
    return nullptr;
}
}  // namespace

// Runs `kernel` on a 1-D grid of `blocks` blocks of 256 threads; `a` holds the kernel's parameters in
// order as 64-bit integers (pointers are host addresses). 1: the source has no kernel of that name.
extern "C" int rp_host_launch(const char* kernel, long long blocks, const long long* a) {
    if (strcmp(kernel, RP_GEMM_TILED ? "rp_gemm_tiled" : "rp_gemm_generic") != 0) return 1;
    const int threads = 256;
    Launch launches[threads];
    pthread_t ids[threads];
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1 << 20);  // a GPU thread needs little; 256 default stacks are 2 GiB
    pthread_barrier_init(&rp_host_barrier, nullptr, threads);
    for (int t = 0; t < threads; ++t) {
        launches[t] = Launch{blocks, a, t};
        if (pthread_create(&ids[t], &attr, run_thread, &launches[t]) != 0) abort();
    }
    for (int t = 0; t < threads; ++t) pthread_join(ids[t], nullptr);
    pthread_barrier_destroy(&rp_host_barrier);
    pthread_attr_destroy(&attr);
    return 0;
}

// The index math on its own: 0 when every check passes, else the number of the first that failed.
extern "C" int rp_host_check_index_math() {
    using namespace rp_gemm;
    // tile_of visits every (batch, tile row, tile column) exactly once, for ragged groups too.
    for (int tm = 1; tm <= 20; ++tm)
        for (int tn = 1; tn <= 7; ++tn) {
            int seen[3 * 20 * 7] = {};
            for (int bid = 0; bid < 3 * tm * tn; ++bid) {
                Tile t = tile_of(bid, tm, tn, 8);
                if (t.batch < 0 || t.batch >= 3 || t.tm < 0 || t.tm >= tm || t.tn < 0 || t.tn >= tn) return 1;
                if (seen[(t.batch * tm + t.tm) * tn + t.tn]++) return 2;
            }
        }
    // batch_offset splits b into (outer, inner).
    if (batch_offset(7, 3, 100, 10) != 2 * 100 + 1 * 10) return 3;
    // load_slot covers a BK x 128 tile (either orientation) exactly once per k tile.
    const int contiguous_lengths[2] = {BK, BM};
    for (int contiguous : contiguous_lengths) {
        int seen[BK * BM] = {};
        for (int q = 0; q < LOADS * THREADS; ++q) {
            Slot s = load_slot(q, contiguous);
            for (int i = 0; i < 4; ++i) {
                int line = s.line, pos = s.pos + i;
                if (pos >= contiguous || line >= BK * BM / contiguous) return 4;
                if (seen[line * contiguous + pos]++) return 5;
            }
        }
    }
    // micro_index gives each of 16 x 16 threads 8 distinct rows, all 128 covered.
    int rows[BM] = {};
    for (int t16 = 0; t16 < 16; ++t16)
        for (int i = 0; i < 8; ++i) {
            int r = micro_index(i, t16);
            if (r < 0 || r >= BM || rows[r]++) return 6;
        }
    return 0;
}
