// Helpers of the user kernels: rp.ElementwiseKernel, rp.ReductionKernel and rp.fuse
// (user_elementwise.hip, user_reduction.hip; rdnarray/_user_kernels.py fills them in).
//
//   Dims<N>, Index<N, I>   a shape or byte strides passed by value; the multi-index of a flat C-order
//                          index i (unravelled once per element in index type I, int32 when it fits),
//                          and its byte offset under any strides (broadcast axes have stride 0)
//   Raw<T, N, C>           CuPy's `raw` parameter: the whole array, x[i] by flat C-order index (or by
//                          multi-index), x.size(), x.shape(), x.strides(); C = C-contiguous (x[i] direct)
//   Loop                   `_ind.size()` of CuPy's ElementwiseKernel: the number of loop indices
//
// The same source also runs on the host: when the arrays live on the CPU, _host_kernels.py compiles it
// with g++ into a shared object and calls it through rp_uk_host_entry, which runs the grid's blocks
// one after the other, each of one thread: every grid-stride loop visits every index in order, a block
// reduction is a sequential one. atomicAdd and friends are given their sequential meaning there.
#ifndef RP_USER_KERNELS_H
#define RP_USER_KERNELS_H

#include "prelude.h"
#include "complex.h"

#if defined(__HIPCC_RTC__)
// No <stddef.h> under hiprtc (NVRTC predefines ptrdiff_t); CuPy's kernels say ptrdiff_t for indices.
// Redeclaring a typedef to the same type is legal, so this is harmless where it is predefined.
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#elif defined(RP_HOST_ONLY)
#include <stddef.h>
#endif

#if defined(RP_HOST_ONLY)
#define RP_UK_SHARED
#define RP_UK_FN inline
#else
#define RP_UK_SHARED __shared__
#define RP_UK_FN __device__ __forceinline__
#endif

namespace rp_uk {

template <int N> struct Dims { int64_t v[N]; };
template <int N> struct Layout { int64_t shape[N]; int64_t strides[N]; };  // strides in bytes

#if defined(RP_HOST_ONLY)
// Blocks of one thread, run one after the other by rp_uk_host_entry (which sets these two).
inline int64_t& host_block() { static thread_local int64_t b = 0; return b; }
inline int64_t& host_grid() { static thread_local int64_t g = 1; return g; }
inline int64_t first_index() { return host_block(); }
inline int64_t index_step() { return host_grid(); }
inline int thread_in_block() { return 0; }
inline int64_t block_index() { return host_block(); }
inline int64_t block_count() { return host_grid(); }
inline void sync_block() {}
#else
RP_UK_FN int64_t first_index() { return (int64_t)blockIdx.x * blockDim.x + threadIdx.x; }
RP_UK_FN int64_t index_step() { return (int64_t)gridDim.x * blockDim.x; }
RP_UK_FN int thread_in_block() { return (int)threadIdx.x; }
RP_UK_FN int64_t block_index() { return (int64_t)blockIdx.x; }
RP_UK_FN int64_t block_count() { return (int64_t)gridDim.x; }
RP_UK_FN void sync_block() { __syncthreads(); }
#endif

// The multi-index of flat C-order index i in `shape`, computed in index type I.
template <int N, class I> struct Index {
    I idx[N];
    RP_UK_FN Index(int64_t i, const Dims<N>& shape) {
        I rest = (I)i;
        for (int d = N - 1; d > 0; --d) {
            I n = (I)shape.v[d];
            idx[d] = rest % n;
            rest /= n;
        }
        idx[0] = rest;
    }
    RP_UK_FN int64_t offset(const Dims<N>& strides) const {
        int64_t off = 0;
        for (int d = 0; d < N; ++d) off += (int64_t)idx[d] * strides.v[d];
        return off;
    }
};

template <class T> RP_UK_FN T& at(char* p, int64_t offset) { return *reinterpret_cast<T*>(p + offset); }
template <class T> RP_UK_FN const T& at(const char* p, int64_t offset) {
    return *reinterpret_cast<const T*>(p + offset);
}

template <class T, int N, bool C> struct Raw {
    char* p;
    Layout<N> l;
    int64_t n;
    RP_UK_FN Raw(char* data, const Layout<N>& layout) : p(data), l(layout), n(1) {
        for (int d = 0; d < N; ++d) n *= layout.shape[d];
    }
    RP_UK_FN T& operator[](ptrdiff_t i) const {
        if (C) return reinterpret_cast<T*>(p)[i];
        int64_t rest = i, off = 0;
        for (int d = N - 1; d >= 0; --d) {
            off += (rest % l.shape[d]) * l.strides[d];
            rest /= l.shape[d];
        }
        return at<T>(p, off);
    }
    RP_UK_FN T& operator[](const ptrdiff_t (&idx)[N]) const {
        int64_t off = 0;
        for (int d = 0; d < N; ++d) off += (int64_t)idx[d] * l.strides[d];
        return at<T>(p, off);
    }
    RP_UK_FN ptrdiff_t size() const { return n; }
    RP_UK_FN int ndim() const { return N; }
    RP_UK_FN const int64_t* shape() const { return l.shape; }
    RP_UK_FN const int64_t* strides() const { return l.strides; }
    RP_UK_FN T* data() const { return reinterpret_cast<T*>(p); }
};

struct Loop {
    int64_t n;
    RP_UK_FN ptrdiff_t size() const { return n; }
};

}  // namespace rp_uk

#if defined(RP_HOST_ONLY)
// One host thread runs the whole loop, so the atomic operations of device code are plain updates.
template <class T> inline T atomicAdd(T* p, T v) { T old = *p; *p = old + v; return old; }
template <class T> inline T atomicSub(T* p, T v) { T old = *p; *p = old - v; return old; }
template <class T> inline T atomicMax(T* p, T v) { T old = *p; if (v > old) *p = v; return old; }
template <class T> inline T atomicMin(T* p, T v) { T old = *p; if (v < old) *p = v; return old; }
template <class T> inline T atomicExch(T* p, T v) { T old = *p; *p = v; return old; }
template <class T> inline T atomicAnd(T* p, T v) { T old = *p; *p = old & v; return old; }
template <class T> inline T atomicOr(T* p, T v) { T old = *p; *p = old | v; return old; }
template <class T> inline T atomicXor(T* p, T v) { T old = *p; *p = old ^ v; return old; }
template <class T> inline T atomicCAS(T* p, T cmp, T v) { T old = *p; if (old == cmp) *p = v; return old; }
inline void __syncthreads() {}

namespace rp_uk {
// Calls kernel f with its parameters read from args[i] (pointers to packed values, like the
// kernelParams of a GPU launch): the exported entry of the host build.
template <int... I> struct seq {};
template <int N, int... I> struct make_seq : make_seq<N - 1, N - 1, I...> {};
template <int... I> struct make_seq<0, I...> { typedef seq<I...> type; };
template <class... A, int... I> inline void invoke(void (*f)(A...), void** args, seq<I...>) {
    f(*static_cast<A*>(args[I])...);
}
template <class... A> inline void invoke(void (*f)(A...), void** args) {
    invoke(f, args, typename make_seq<sizeof...(A)>::type());
}
}  // namespace rp_uk
// The only exported symbol (the build uses -fvisibility=hidden): the kernel's own name, the user's
// choice, must not be interposed by a library's symbol of that name (libc has a `step`).
#define RP_UK_HOST_ENTRY(f)                                                                         \
    extern "C" __attribute__((visibility("default"))) void rp_uk_host_entry(void** args, int64_t grid) { \
        rp_uk::host_grid() = grid;                                                                    \
        for (int64_t b = 0; b < grid; ++b) {                                                          \
            rp_uk::host_block() = b;                                                                  \
            rp_uk::invoke(&f, args);                                                                  \
        }                                                                                             \
    }
#else
#define RP_UK_HOST_ENTRY(f)
#endif

#endif  // RP_USER_KERNELS_H
