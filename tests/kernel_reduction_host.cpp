// Runs src_hip/reduce.hip's and cumulative.hip's kernels on the CPU, for
// tests/test_kernel_reduction_host.py.
//
// A block's 256 GPU threads are 256 POSIX threads: __syncthreads is a barrier of all of them, a warp
// shuffle a barrier of the warp's lanes around an exchange buffer, with the warp size chosen at launch
// (32: NVIDIA, RDNA; 64: CDNA). Blocks run one after another, so __shared__ variables become
// function-local statics shared by the (only) running block. Parameters arrive as CUDA's kernelParams
// do (an array of pointers into the buffer rdnarray's driver packs), so the argument formats of the
// planners are tested too.
// Build: g++ -std=c++17 -shared -fPIC -pthread -I<src_hip> -DRP_KERNEL_SOURCE='"<filled .hip>"'
//        -DRP_KERNEL_REDUCE (rp_reduce) or -DRP_KERNEL_SCAN (rp_scan_axis)
#include <pthread.h>
#include <stdlib.h>

#include "prelude.h"  // first, so that the warpSize below replaces the prelude's constant 32

struct rp_host_dim3 { unsigned x = 0, y = 0, z = 0; };
static thread_local rp_host_dim3 threadIdx, blockIdx;
static int rp_host_warp = 32;
#define warpSize rp_host_warp

static const int rp_host_threads = 256;
static pthread_barrier_t rp_host_block;
static pthread_barrier_t rp_host_warps[rp_host_threads / 32];
static int rp_host_exchange[rp_host_threads];

static void __syncthreads() { pthread_barrier_wait(&rp_host_block); }

namespace rp_red {
// Lane `lane` of the calling thread's warp reads what lane `src(lane)` put in.
template <class F> static int rp_host_shuffle(int v, F src) {
    int lane = (int)threadIdx.x % warpSize, warp = (int)threadIdx.x / warpSize;
    rp_host_exchange[threadIdx.x] = v;
    pthread_barrier_wait(&rp_host_warps[warp]);
    int r = rp_host_exchange[warp * warpSize + src(lane)];
    pthread_barrier_wait(&rp_host_warps[warp]);
    return r;
}
int shfl_down_word(int v, int delta, int width) {
    return rp_host_shuffle(v, [=](int l) { return l % width + delta < width ? l + delta : l; });
}
int shfl_up_word(int v, int delta, int width) {
    return rp_host_shuffle(v, [=](int l) { return l % width >= delta ? l - delta : l; });
}
int shfl_word(int v, int src, int width) {
    return rp_host_shuffle(v, [=](int l) { return l / width * width + src % width; });
}
}  // namespace rp_red

#define __global__
#define __shared__ static
#define __launch_bounds__(...)

#include RP_KERNEL_SOURCE

namespace {
struct Launch { unsigned gx, gy; void** params; int thread; };

void call(void** p) {
#if defined(RP_KERNEL_REDUCE)
    rp_reduce(*(const char**)p[0], *(char**)p[1], *(Layout*)p[2], *(int64_t*)p[3], *(int64_t*)p[4],
              *(int64_t*)p[5], *(int*)p[6], *(int64_t*)p[7], *(const acc_t**)p[8], *(double*)p[9],
              *(double*)p[10]);
#else
    rp_scan_axis(*(const char**)p[0], *(char**)p[1], *(Layout*)p[2], *(int64_t*)p[3], *(int64_t*)p[4],
                 *(int64_t*)p[5], *(int*)p[6], *(const acc_t**)p[7]);
#endif
}

void* run_thread(void* arg) {
    const Launch& l = *static_cast<const Launch*>(arg);
    threadIdx.x = l.thread;
    for (unsigned y = 0; y < l.gy; ++y) {
        for (unsigned x = 0; x < l.gx; ++x) {
            blockIdx.x = x;
            blockIdx.y = y;
            call(l.params);
            pthread_barrier_wait(&rp_host_block);  // the next block reuses the shared memory
        }
    }
    return nullptr;
}
}  // namespace

// Runs the kernel on a (gx, gy) grid of blocks of 256 threads with warps of `warp` lanes; `params`
// points at each kernel parameter, as cuLaunchKernel's kernelParams.
extern "C" int rp_host_launch(unsigned gx, unsigned gy, int warp, void** params) {
    rp_host_warp = warp;
    Launch launches[rp_host_threads];
    pthread_t ids[rp_host_threads];
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1 << 20);
    pthread_barrier_init(&rp_host_block, nullptr, rp_host_threads);
    for (int w = 0; w < rp_host_threads / warp; ++w) pthread_barrier_init(&rp_host_warps[w], nullptr, warp);
    for (int t = 0; t < rp_host_threads; ++t) {
        launches[t] = Launch{gx, gy, params, t};
        if (pthread_create(&ids[t], &attr, run_thread, &launches[t]) != 0) abort();
    }
    for (int t = 0; t < rp_host_threads; ++t) pthread_join(ids[t], nullptr);
    pthread_barrier_destroy(&rp_host_block);
    for (int w = 0; w < rp_host_threads / warp; ++w) pthread_barrier_destroy(&rp_host_warps[w]);
    pthread_attr_destroy(&attr);
    return 0;
}
