// Runs kernel sources on the CPU, for tests without a GPU (tests/test_kernel_sort_sources.py): each GPU
// thread of a block is a fiber of one host thread (started with makecontext/setcontext, switched with
// _setjmp/_longjmp, which skip the signal-mask system calls of swapcontext); __syncthreads waits for the
// block, a warp vote for the warp. It executes the real kernel code, so a barrier that not every thread
// reaches shows as a reported deadlock.
//
// Blocks: RP_EMU_BLOCKS of them run at once, each on a host thread of its own (default 1: one after
// another, in blockIdx order), taking the next block index as they finish, as a GPU's multiprocessors do,
// and stalling at random barriers. __shared__ variables are thread_local statics (one copy per running
// block), atomics are real atomics, and __ldcv / __stcg (radix.h's look-back status words) are atomic
// accesses; __ldcv yields the host thread, so a block that spins on another block's word lets it run,
// and aborts with a message after a minute on one word (a look-back that waits on a word nobody writes).
//
// Include it first, then the kernel source (a .hip file, placeholders filled), then for each kernel
//     RP_EMU_EXPORT(kernel_name)
// which defines extern "C" emu_launch_<kernel_name>(grid, block, params): the kernel's parameters are
// read from params[i] (pointers to each value, as cuLaunchKernel takes them). Compile with g++ -std=c++17
// -pthread -U_FORTIFY_SOURCE (its longjmp check rejects jumps between stacks); -DRP_EMU_WARP=64 runs wave64.
#ifndef RP_KERNEL_HOST_EMU_H
#define RP_KERNEL_HOST_EMU_H

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thread>
#include <ucontext.h>
#include <utility>
#include <vector>

#ifndef RP_EMU_WARP
#define RP_EMU_WARP 32
#endif
#ifndef RP_EMU_BLOCKS
#define RP_EMU_BLOCKS 1
#endif

// The prelude's CUDA path, on the host; wave64 takes radix.h's 64-bit lane masks, as AMD does.
#define __CUDACC__ 1
#if RP_EMU_WARP == 64
#define RP_LANES_64 1
#endif
#define __device__
#define __host__
#define __global__
#define __forceinline__ inline
#define __shared__ static thread_local
#define __launch_bounds__(n)

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};
inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;
static const int warpSize = RP_EMU_WARP;

namespace rp_emu {

struct Fiber {
    ucontext_t start;  // made once: enters trampoline() on the fiber's own stack
    jmp_buf resume;    // where the fiber waits
    int wait;          // -1 runnable, 0 the block's barrier, 1 + w warp w's barrier
    bool started, done;
};
// Per host thread: the fibers of the block it runs.
inline thread_local std::vector<Fiber> fibers;
inline thread_local std::unique_ptr<char[]> stacks;  // untouched until used: pages come on demand
inline thread_local jmp_buf scheduler;
inline thread_local int current = 0;
inline thread_local bool votes[1024];
inline thread_local int lane_values[1024];
inline std::function<void()> body;  // the kernel call; set before a launch, read by every host thread
const size_t STACK = 256 * 1024;
// __ldcv's watchdog: the status word read last, and since when, until a barrier or another word.
inline thread_local const void* spin_on = nullptr;
inline thread_local std::chrono::steady_clock::time_point spin_since;

inline void wait_at(int barrier) {
    spin_on = nullptr;
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
    stacks.reset(new char[block * STACK]);
    for (unsigned t = 0; t < block; ++t) {
        Fiber& f = fibers[t];
        getcontext(&f.start);
        f.start.uc_stack.ss_sp = stacks.get() + t * STACK;
        f.start.uc_stack.ss_size = STACK;
        f.start.uc_link = nullptr;
        makecontext(&f.start, trampoline, 0);
    }
}

// With blocks at once, a block stalls at one in 16 of its __syncthreads, a little while, at random: so
// the others see it in every state (a look-back finds words not yet published, and waits).
inline void stall() {
    if (RP_EMU_BLOCKS == 1) return;
    static thread_local unsigned state = 0x9e3779b9u;
    state ^= state << 13, state ^= state >> 17, state ^= state << 5;  // xorshift32
    if (state % 16 == 0) std::this_thread::sleep_for(std::chrono::microseconds(20 + state % 100));
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
                if (b == 0) stall();
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
inline int __popc(unsigned m) { return __builtin_popcount(m); }
inline int __popcll(unsigned long long m) { return __builtin_popcountll(m); }
inline int __clz(int m) { return m ? __builtin_clz((unsigned)m) : 32; }
inline int __clzll(long long m) { return m ? __builtin_clzll((unsigned long long)m) : 64; }

inline int __shfl_sync(unsigned, int v, int lane) {
    int warp = threadIdx.x / warpSize;
    rp_emu::lane_values[threadIdx.x] = v;
    rp_emu::wait_at(1 + warp);
    int r = rp_emu::lane_values[warp * warpSize + ((lane % warpSize) + warpSize) % warpSize];
    rp_emu::wait_at(1 + warp);
    return r;
}

inline void __syncwarp(unsigned = 0xffffffffu) { rp_emu::wait_at(1 + (int)(threadIdx.x / warpSize)); }

// Real atomics: blocks on other host threads may touch the same global memory.
template <class T> inline T atomicAdd(T* p, T v) {
    T old, sum;
    __atomic_load(p, &old, __ATOMIC_SEQ_CST);
    do {
        sum = (T)(old + v);
    } while (!__atomic_compare_exchange(p, &old, &sum, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    return old;
}

template <class T> inline T __ldcv(const T* p) {
    T v;
    __atomic_load(p, &v, __ATOMIC_SEQ_CST);
    auto now = std::chrono::steady_clock::now();
    if (rp_emu::spin_on != (const void*)p) {
        rp_emu::spin_on = p;
        rp_emu::spin_since = now;
    } else if (now - rp_emu::spin_since > std::chrono::seconds(60)) {
        fprintf(stderr, "kernel_host_emu: block %u thread %u spun a minute on one status word\n", blockIdx.x,
                threadIdx.x);
        abort();
    }
    std::this_thread::yield();
    return v;
}
template <class T> inline void __stcg(T* p, T v) { __atomic_store(p, &v, __ATOMIC_SEQ_CST); }

inline unsigned __float_as_uint(float x) { unsigned u; memcpy(&u, &x, 4); return u; }
inline float __uint_as_float(unsigned u) { float x; memcpy(&x, &u, 4); return x; }
inline long long __double_as_longlong(double x) { long long u; memcpy(&u, &x, 8); return u; }
inline double __longlong_as_double(long long u) { double x; memcpy(&x, &u, 8); return x; }
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) {
    return (unsigned long long)(((unsigned __int128)a * b) >> 64);
}
// Correctly rounded operations: the host compiler does not fuse them (no -ffp-contract=fast, no FMA target).
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dmul_rn(double a, double b) { return a * b; }

namespace rp_emu {

template <class... A, std::size_t... I>
void call(void (*k)(A...), void** params, std::index_sequence<I...>) {
    k(*static_cast<A*>(params[I])...);
}

template <class... A> void launch(void (*k)(A...), unsigned grid, unsigned block, void** params) {
    gridDim.x = grid;
    blockDim.x = block;
    body = [=] { call(k, params, std::index_sequence_for<A...>{}); };
    std::atomic<unsigned> next(0);
    auto worker = [&] {
        for (unsigned b; (b = next.fetch_add(1)) < grid;) {
            blockIdx.x = b;
            run_block(block);
        }
    };
    std::vector<std::thread> others;
    for (int w = 1; w < RP_EMU_BLOCKS && (unsigned)w < grid; ++w) others.emplace_back(worker);
    worker();
    for (std::thread& t : others) t.join();
}

}  // namespace rp_emu

#define RP_EMU_EXPORT(name)                                                            \
    extern "C" void emu_launch_##name(unsigned grid, unsigned block, void** params) { \
        rp_emu::launch(name, grid, block, params);                                     \
    }

#endif  // RP_KERNEL_HOST_EMU_H
