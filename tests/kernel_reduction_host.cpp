// Runs src_hip/reduce.hip's and cumulative.hip's kernels on the CPU, for
// tests/test_kernel_reduction_host.py.
//
// A block's 256 GPU threads are 256 fibers (ucontext) on one OS thread, switched only where GPU threads
// wait for each other: __syncthreads waits for every live thread of the block, a warp shuffle for every
// live lane of the warp (an exchange buffer between two such waits), with the warp size chosen at launch
// (32: NVIDIA, RDNA; 64: CDNA). Threads that have returned count as arrived, as on the GPU. A wait that
// can never complete (a barrier in divergent code) aborts. Blocks run one after another, so __shared__
// variables become function-local statics. Parameters arrive as CUDA's kernelParams do (pointers into
// the buffer rdnarray's driver packs), so the planners' argument formats are tested too.
// Build: g++ -std=c++17 -shared -fPIC -I<src_hip> -DRP_KERNEL_SOURCE='"<filled .hip>"'
//        -DRP_KERNEL_REDUCE (rp_reduce) or -DRP_KERNEL_SCAN (rp_scan_axis)
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#include "prelude.h"  // first, so that the warpSize below replaces the prelude's constant 32

struct rp_host_dim3 { unsigned x = 0, y = 0, z = 0; };
static rp_host_dim3 threadIdx, blockIdx;
static int rp_host_warp = 32;
#define warpSize rp_host_warp

namespace rp_host {
const int THREADS = 256, STACK = 1 << 16;
enum State { RUNNABLE, AT_BLOCK, AT_WARP, DONE };
struct Fiber {
    ucontext_t ctx;
    State state;
};
Fiber fibers[THREADS];
ucontext_t scheduler;
char* stacks;
int current;
int exchange[THREADS];

void wait(State s) {
    fibers[current].state = s;
    swapcontext(&fibers[current].ctx, &scheduler);
}

template <class F> int shuffle(int v, F src) {
    int lane = current % warpSize, warp = current / warpSize;
    exchange[current] = v;
    wait(AT_WARP);
    int r = exchange[warp * warpSize + src(lane)];
    wait(AT_WARP);  // every lane has read before any writes again
    return r;
}
}  // namespace rp_host

static void __syncthreads() { rp_host::wait(rp_host::AT_BLOCK); }

namespace rp_red {
int shfl_down_word(int v, int delta, int width) {
    return rp_host::shuffle(v, [=](int l) { return l % width + delta < width ? l + delta : l; });
}
int shfl_up_word(int v, int delta, int width) {
    return rp_host::shuffle(v, [=](int l) { return l % width >= delta ? l - delta : l; });
}
int shfl_word(int v, int src, int width) {
    return rp_host::shuffle(v, [=](int l) { return l / width * width + src % width; });
}
}  // namespace rp_red

#define __global__
#define __shared__ static
#define __launch_bounds__(...)

#include RP_KERNEL_SOURCE

namespace rp_host {
void** params;

void entry() {
    void** p = params;
#if defined(RP_KERNEL_REDUCE)
    rp_reduce(*(const char**)p[0], *(char**)p[1], *(Layout*)p[2], *(int64_t*)p[3], *(int64_t*)p[4],
              *(int64_t*)p[5], *(int*)p[6], *(int64_t*)p[7], *(const acc_t**)p[8], *(double*)p[9],
              *(double*)p[10]);
#else
    rp_scan_axis(*(const char**)p[0], *(char**)p[1], *(Layout*)p[2], *(int64_t*)p[3], *(int64_t*)p[4],
                 *(int64_t*)p[5], *(int*)p[6], *(const acc_t**)p[7]);
#endif
    fibers[current].state = DONE;  // then uc_link returns to the scheduler
}

// Runs one block to completion; 1 on a deadlock.
int run_block() {
    for (int t = 0; t < THREADS; ++t) {
        getcontext(&fibers[t].ctx);
        fibers[t].ctx.uc_stack.ss_sp = stacks + (size_t)t * STACK;
        fibers[t].ctx.uc_stack.ss_size = STACK;
        fibers[t].ctx.uc_link = &scheduler;
        makecontext(&fibers[t].ctx, entry, 0);
        fibers[t].state = RUNNABLE;
    }
    for (;;) {
        for (int t = 0; t < THREADS; ++t) {
            if (fibers[t].state != RUNNABLE) continue;
            current = t;
            threadIdx.x = (unsigned)t;
            swapcontext(&scheduler, &fibers[t].ctx);
        }
        // Everyone waits or is done: release the waits that are complete.
        bool released = false, live = false, all_at_block = true;
        for (int w = 0; w < THREADS / warpSize; ++w) {
            bool complete = true, any = false;
            for (int l = w * warpSize; l < (w + 1) * warpSize; ++l) {
                if (fibers[l].state == DONE) continue;
                any = true;
                complete = complete && fibers[l].state == AT_WARP;
            }
            if (any && complete) {
                for (int l = w * warpSize; l < (w + 1) * warpSize; ++l)
                    if (fibers[l].state == AT_WARP) fibers[l].state = RUNNABLE;
                released = true;
            }
        }
        for (int t = 0; t < THREADS; ++t) {
            if (fibers[t].state == DONE) continue;
            live = true;
            all_at_block = all_at_block && fibers[t].state == AT_BLOCK;
        }
        if (!live) return 0;
        if (!released && all_at_block) {
            for (int t = 0; t < THREADS; ++t)
                if (fibers[t].state == AT_BLOCK) fibers[t].state = RUNNABLE;
            released = true;
        }
        if (!released) {
            fprintf(stderr, "rp_host_launch: deadlock in block (%u, %u)\n", blockIdx.x, blockIdx.y);
            return 1;
        }
    }
}
}  // namespace rp_host

// Runs the kernel on a (gx, gy) grid of blocks of 256 threads with warps of `warp` lanes; `params`
// points at each kernel parameter, as cuLaunchKernel's kernelParams. 0 on success.
extern "C" int rp_host_launch(unsigned gx, unsigned gy, int warp, void** params) {
    using namespace rp_host;
    rp_host_warp = warp;
    rp_host::params = params;
    if (!stacks) stacks = (char*)malloc((size_t)THREADS * STACK);
    for (unsigned y = 0; y < gy; ++y) {
        for (unsigned x = 0; x < gx; ++x) {
            blockIdx.x = x;
            blockIdx.y = y;
            if (run_block() != 0) return 1;
        }
    }
    return 0;
}
