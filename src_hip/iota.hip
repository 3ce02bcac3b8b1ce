// The integer sequence out[i] = start + i * step, for the creation functions (kernels/iota.py,
// composite/creation.py).
//
// The arithmetic is unsigned 64-bit (wrapping, so no input is undefined behaviour) and the store keeps the
// low bits of the element type. That is NumPy's integer arange exactly: its fill computes start + i * delta
// in npy_intp (or the 64-bit unsigned type) and stores the low bits, and the low bits of sums and products
// depend only on the low bits of their operands. Float sequences are cast from an int64 one.
#include "prelude.h"

#ifndef __launch_bounds__
#define __launch_bounds__(n) __attribute__((launch_bounds(n)))
#endif

using T = /*@T@*/ int64_t;  // the element type: int8_t .. uint64_t
using I = /*@I@*/ int;      // element index: int, or long long where an index can pass 2**31 - 1

constexpr int THREADS = 256;

extern "C" __global__ void __launch_bounds__(THREADS)
rp_iota(T* out, I n, uint64_t start, uint64_t step) {
    for (I i = (I)blockIdx.x * THREADS + threadIdx.x; i < n; i += (I)gridDim.x * THREADS)
        out[i] = (T)(start + (uint64_t)i * step);
}
