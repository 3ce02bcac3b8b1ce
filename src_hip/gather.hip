// Gathers and scatters along one axis with int64 indices that the core has already checked to be in range
// (kernels/indexing.py plans them over a collapsed iteration space, strided.h).
//
//   rp_gather        out[o] = x[offset_x(o) + ind[offset_ind(o)] * axis_stride]: take (x's other axes and
//                    the index array's axes make the space) and take_along_axis (one space, broadcast).
//   rp_scatter_slots slots[o] = which element of the target element o writes, as its C-order index (the
//                    planner sorts these stably to find, for each target, the last writer).
//   rp_scatter       arr[offset_arr(o) + ind[offset_ind(o)] * axis_stride] = vals[offset_vals(o)] for the
//                    o = perm[p] that are the last of their run of equal slots in sorted order, so the
//                    last write in C order wins, as in NumPy; perm and slots null: every o writes (a
//                    space of one element).
//   rp_sort_finish   after a sort of positions: out[i] = x[perm[i]] (values), or perm[i] relative to its
//                    row of `len` (an argsort of rows).
// Elements are moved as bits of their size (U), never converted.
#include "strided.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using U = /*@U@*/ uint32_t;  // uint8_t .. uint64_t, or rp_strided::u128
using I = /*@I@*/ int;       // iteration index: int, or long long for 2**31 elements and more

using namespace rp_strided;

constexpr int THREADS = 256;

// operands: 0 x, 1 ind
extern "C" __global__ void __launch_bounds__(THREADS)
rp_gather(const char* x, const char* ind, U* out, I total, int ndim, long long axis_stride, Iter<2> it) {
    for (I o = (I)blockIdx.x * THREADS + threadIdx.x; o < total; o += (I)gridDim.x * THREADS) {
        long long off[2];
        offsets(o, ndim, it, off);
        long long j = *(const long long*)(ind + off[1]);
        out[o] = *(const U*)(x + off[0] + j * axis_stride);
    }
}

// operands: 0 arr, 1 ind, 2 vals, 3 the target's C-order index in elements (not bytes)
extern "C" __global__ void __launch_bounds__(THREADS)
rp_scatter_slots(const char* ind, unsigned long long* slots, I total, int ndim, long long axis_elements, Iter<4> it) {
    for (I o = (I)blockIdx.x * THREADS + threadIdx.x; o < total; o += (I)gridDim.x * THREADS) {
        long long off[4];
        offsets(o, ndim, it, off);
        long long j = *(const long long*)(ind + off[1]);
        slots[o] = (unsigned long long)(off[3] + j * axis_elements);
    }
}

extern "C" __global__ void __launch_bounds__(THREADS)
rp_scatter(const long long* perm, const unsigned long long* slots, char* arr, const char* ind, const char* vals,
           I total, int ndim, long long axis_stride, Iter<4> it) {
    for (I p = (I)blockIdx.x * THREADS + threadIdx.x; p < total; p += (I)gridDim.x * THREADS) {
        I o = p;
        if (perm) {
            o = (I)perm[p];
            if (p + 1 < total && slots[perm[p + 1]] == slots[o]) continue;  // a later write wins
        }
        long long off[4];
        offsets(o, ndim, it, off);
        long long j = *(const long long*)(ind + off[1]);
        *(U*)(arr + off[0] + j * axis_stride) = *(const U*)(vals + off[2]);
    }
}

// perm: flat positions in sorted order (rows of `len`). out_values[i] = x[perm[i]]; or, when out_values
// is null, out_indices[i] = perm[i] relative to its row.
extern "C" __global__ void __launch_bounds__(THREADS)
rp_sort_finish(const long long* perm, const U* x, U* out_values, long long* out_indices, I n, long long len) {
    for (I i = (I)blockIdx.x * THREADS + threadIdx.x; i < n; i += (I)gridDim.x * THREADS) {
        long long p = perm[i];
        if (out_values)
            out_values[i] = x[p];
        else
            out_indices[i] = p - ((long long)i / len) * len;
    }
}
