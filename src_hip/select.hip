// Element-wise selection over a collapsed iteration space (strided.h), moving elements as bits of their
// size (U): the planner (kernels/indexing.py) has already cast the operands to the result's dtype.
//
//   rp_where         out[o] = cond ? a : b            (out C-contiguous; cond, a, b broadcast)
//   rp_copyto_where  dst[...] = src where mask        (dst any strides; src and mask broadcast)
#include "strided.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using U = /*@U@*/ uint32_t;  // uint8_t .. uint64_t, or rp_strided::u128
using I = /*@I@*/ int;       // iteration index: int, or long long for 2**31 elements and more

using namespace rp_strided;

constexpr int THREADS = 256;

// operands: 0 cond (bool), 1 a, 2 b
extern "C" __global__ void __launch_bounds__(THREADS)
rp_where(const char* cond, const char* a, const char* b, U* out, I total, int ndim, Iter<3> it) {
    for (I o = (I)blockIdx.x * THREADS + threadIdx.x; o < total; o += (I)gridDim.x * THREADS) {
        long long off[3];
        offsets(o, ndim, it, off);
        out[o] = *(const uint8_t*)(cond + off[0]) ? *(const U*)(a + off[1]) : *(const U*)(b + off[2]);
    }
}

// operands: 0 dst, 1 src, 2 mask (bool)
extern "C" __global__ void __launch_bounds__(THREADS)
rp_copyto_where(char* dst, const char* src, const char* mask, I total, int ndim, Iter<3> it) {
    for (I o = (I)blockIdx.x * THREADS + threadIdx.x; o < total; o += (I)gridDim.x * THREADS) {
        long long off[3];
        offsets(o, ndim, it, off);
        if (*(const uint8_t*)(mask + off[2])) *(U*)(dst + off[0]) = *(const U*)(src + off[1]);
    }
}
