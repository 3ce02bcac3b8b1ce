// Element offsets in strided arrays that share one iteration space (gather, scatter, where, copyto).
//
// The planner (kernels/indexing.py) collapses the space to at most MAX_DIMS dimensions and passes, by
// value, their sizes and each operand's stride in bytes per dimension (0 where an operand broadcasts).
// Element o of the space, in C order, then lies at sum_d coord_d(o) * s[op][d] in operand op.
#ifndef RP_STRIDED_H
#define RP_STRIDED_H

#include "prelude.h"

namespace rp_strided {

enum { MAX_DIMS = 8 };

template <int OPS> struct Iter {
    long long n[MAX_DIMS];
    long long s[OPS][MAX_DIMS];
};

// off[op] = byte offset of element o in operand op. I: int when the space has < 2**31 elements (cheaper
// division), else long long.
template <int OPS, class I> RP_DEVICE void offsets(I o, int ndim, const Iter<OPS>& it, long long (&off)[OPS]) {
    for (int k = 0; k < OPS; ++k) off[k] = 0;
    for (int d = ndim - 1; d >= 0; --d) {
        I n = (I)it.n[d];
        I q = o / n;
        long long c = (long long)(o - q * n);
        for (int k = 0; k < OPS; ++k) off[k] += c * it.s[k][d];
        o = q;
    }
}

// An element of 16 bytes (complex128), copied as two 64-bit words.
struct u128 {
    unsigned long long lo, hi;
};

}  // namespace rp_strided

#endif  // RP_STRIDED_H
