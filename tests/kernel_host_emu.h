// Runs kernel sources on the CPU, for tests without a GPU (tests/test_kernel_sort_sources.py): each GPU
// thread of a block is a fiber of one host thread (started with makecontext/setcontext, switched with
// _setjmp/_longjmp, which skip the signal-mask system calls of swapcontext); __syncthreads waits for the
// block, a warp vote for the warp; __shared__ variables are statics (blocks run one after another). It
// executes the real kernel code, so a barrier that not every thread reaches shows as a reported deadlock.
//
// Include it first, then the kernel source (a .hip file, placeholders filled), then
//     RP_EMU_EXPORT(kernel_name)
// which defines extern "C" emu_launch(grid, block, params): the kernel's parameters are read from
// params[i] (pointers to each value, as cuLaunchKernel takes them). Compile with g++ -std=c++17
// -U_FORTIFY_SOURCE (its longjmp check rejects jumps between stacks) and -DRP_EMU_WARP=64 to run wave64.
#ifndef RP_KERNEL_HOST_EMU_H
#define RP_KERNEL_HOST_EMU_H

#include <functional>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <utility>
#include <vector>

#ifndef RP_EMU_WARP
#define RP_EMU_WARP 32
#endif

// The prelude's CUDA path, on the host.
#define __CUDACC__ 1
#define __device__
#define __host__
#define __global__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(n)

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};
inline dim3 threadIdx, blockIdx, blockDim, gridDim;
static const int warpSize = RP_EMU_WARP;

namespace rp_emu {

struct Fiber {
    ucontext_t start;  // made once: enters trampoline() on the fiber's own stack
    jmp_buf resume;    // where the fiber waits
    int wait;          // -1 runnable, 0 the block's barrier, 1 + w warp w's barrier
    bool started, done;
};
inline std::vector<Fiber> fibers;
inline std::vector<char> stacks;
inline jmp_buf scheduler;
inline int current = 0;
inline std::function<void()> body;
inline bool votes[1024];
const size_t STACK = 256 * 1024;

inline void wait_at(int barrier) {
    fibers[current].wait = barrier;
    if (!_setjmp(fibers[current].resume)) _longjmp(scheduler, 1);
}

inline void trampoline() {
    body();
    fibers[current].done = true;
    _longjmp(scheduler, 1);
}

inline void prepare(unsigned block) {
    if (fibers.size() >= block) return;
    fibers.resize(block);
    stacks.assign(block * STACK, 0);
    for (unsigned t = 0; t < block; ++t) {
        Fiber& f = fibers[t];
        getcontext(&f.start);
        f.start.uc_stack.ss_sp = stacks.data() + t * STACK;
        f.start.uc_stack.ss_size = STACK;
        f.start.uc_link = nullptr;
        makecontext(&f.start, trampoline, 0);
    }
}

// Runs one block: every fiber until it waits or ends; a barrier opens when its whole group waits.
inline void run_block(unsigned block) {
    prepare(block);
    for (unsigned t = 0; t < block; ++t) {
        fibers[t].wait = -1;
        fibers[t].started = fibers[t].done = false;
    }
    const int warps = (int)((block + warpSize - 1) / warpSize);
    std::vector<int> waiting(1 + warps);
    for (;;) {
        bool ran = false, all_done = true;
        for (unsigned t = 0; t < block; ++t) {
            Fiber& f = fibers[t];
            if (f.done) continue;
            all_done = false;
            if (f.wait != -1) continue;
            current = (int)t;
            threadIdx.x = t;
            ran = true;
            if (!_setjmp(scheduler)) {
                if (f.started) _longjmp(f.resume, 1);
                f.started = true;
                setcontext(&f.start);
            }
        }
        if (all_done) return;
        // Open every barrier that its whole group waits at.
        for (int& w : waiting) w = 0;
        for (unsigned t = 0; t < block; ++t)
            if (!fibers[t].done && fibers[t].wait >= 0) ++waiting[fibers[t].wait];
        bool opened = false;
        for (int b = 0; b <= warps; ++b) {
            int size = b == 0 ? (int)block : warpSize;
            if (waiting[b] == size) {
                for (unsigned t = 0; t < block; ++t)
                    if (!fibers[t].done && fibers[t].wait == b) fibers[t].wait = -1;
                opened = true;
            }
        }
        if (!ran && !opened) {
            fprintf(stderr, "kernel_host_emu: deadlock in block %u (a barrier not every thread reaches)\n",
                    blockIdx.x);
            abort();
        }
    }
}

}  // namespace rp_emu

inline void __syncthreads() { rp_emu::wait_at(0); }

inline unsigned long long rp_emu_ballot(bool p) {
    int warp = threadIdx.x / warpSize;
    rp_emu::votes[threadIdx.x] = p;
    rp_emu::wait_at(1 + warp);
    unsigned long long m = 0;
    for (int l = 0; l < warpSize; ++l)
        if (rp_emu::votes[warp * warpSize + l]) m |= 1ULL << l;
    rp_emu::wait_at(1 + warp);  // every lane has read the votes
    return m;
}
// radix.h's CUDA spelling; with RP_EMU_WARP 64 it returns all 64 lanes, as HIP's does.
inline unsigned long long __ballot_sync(unsigned, bool p) { return rp_emu_ballot(p); }
inline int __popcll(unsigned long long m) { return __builtin_popcountll(m); }

inline int __shfl_sync(unsigned, int v, int lane) {
    static int values[1024];
    int warp = threadIdx.x / warpSize;
    values[threadIdx.x] = v;
    rp_emu::wait_at(1 + warp);
    int r = values[warp * warpSize + ((lane % warpSize) + warpSize) % warpSize];
    rp_emu::wait_at(1 + warp);
    return r;
}

inline void __syncwarp(unsigned = 0xffffffffu) { rp_emu::wait_at(1 + (int)(threadIdx.x / warpSize)); }

template <class T> inline T atomicAdd(T* p, T v) {
    T old = *p;  // fibers never interleave inside a call
    *p = old + v;
    return old;
}

inline unsigned __float_as_uint(float x) { unsigned u; memcpy(&u, &x, 4); return u; }
inline float __uint_as_float(unsigned u) { float x; memcpy(&x, &u, 4); return x; }
inline long long __double_as_longlong(double x) { long long u; memcpy(&u, &x, 8); return u; }
inline double __longlong_as_double(long long u) { double x; memcpy(&x, &u, 8); return x; }

namespace rp_emu {

template <class... A, std::size_t... I>
void call(void (*k)(A...), void** params, std::index_sequence<I...>) {
    k(*static_cast<A*>(params[I])...);
}

template <class... A> void launch(void (*k)(A...), unsigned grid, unsigned block, void** params) {
    gridDim.x = grid;
    blockDim.x = block;
    body = [=] { call(k, params, std::index_sequence_for<A...>{}); };
    for (unsigned b = 0; b < grid; ++b) {
        blockIdx.x = b;
        run_block(block);
    }
}

}  // namespace rp_emu

#define RP_EMU_EXPORT(name) \
    extern "C" void emu_launch(unsigned grid, unsigned block, void** params) { rp_emu::launch(name, grid, block, params); }

#endif  // RP_KERNEL_HOST_EMU_H
