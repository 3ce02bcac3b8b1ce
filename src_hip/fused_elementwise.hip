// rp.fuse's elementwise kernel for dense operands: every array argument and result is C-contiguous
// with the loop's shape (no broadcasting) and aligned to its vector. The general case (any strides,
// broadcasting) runs as an rp.ElementwiseKernel (user_elementwise.hip) with the same statements.
//
// Each step of the grid-stride loop takes VEC consecutive elements: one aligned load of VEC elements
// per input, the statements once per element (unrolled, in registers), one store per output; then the
// last n % VEC elements one by one: the same statements and conversions as the general kernel.
//
// _fusion_kernels.py fills the placeholders (each marker is replaced together with the default after it):
//   NAME        the kernel's name (the fused function's)
//   PREAMBLE    #include "ops.h" (rp::op::<name>::f, the device functions of rdnarray's elementwise kernels)
//   INDEX_T     int32_t when n < 2^30 (an index plus the grid's step fits), else int64_t
//   VEC, BLOCK  elements per step (VEC * the widest array item <= 16 bytes), threads per block
//   PARAMS      `, const char* _rp_p_a0` per input array, `, float s1_f` per scalar, `, char* _rp_p_v7`
//               per output (a result, or an argument updated in place)
//   ELEMENT     the parameters of one element: `const float a0` per input, `float& v7` per output
//   OPERATION   the fused statements (C++ of _fusion_kernels.Program) on them
//   LOAD        `const rp_fuse::Vec<float, VEC> _rp_v_a0 = rp_fuse::load<float, VEC>(_rp_p_a0, v);` per
//               input array and per output that is also read (an argument updated in place),
//               `rp_fuse::Vec<float, VEC> _rp_v_v7;` per other output
//   AT_VEC      the arguments of element k of a step: `_rp_v_a0.v[k]`, `s1_f`, `_rp_v_v7.v[k]`
//   STORE       `rp_fuse::store<float, VEC>(_rp_p_v7, v, _rp_v_v7);` per output
//   AT_ONE      the arguments of element i of the tail: `rp_fuse::at<float>(_rp_p_a0, i)`, ...
// With its defaults this file compiles on its own (an empty loop).
#include "user_kernels.h"

/*@PREAMBLE@*/

#define RP_FUSE_NAME /*@NAME@*/ rp_fused_elementwise
using rp_fuse_index_t = /*@INDEX_T@*/ int32_t;
constexpr int RP_FUSE_VEC = /*@VEC@*/ 4;
constexpr int RP_FUSE_BLOCK = /*@BLOCK@*/ 256;

#ifndef __launch_bounds__
#define __launch_bounds__(...)
#endif

namespace rp_fuse {
// N elements of T, loaded and stored as one access (N * sizeof(T) is a power of two up to 16).
template <class T, int N> struct alignas(sizeof(T) * N) Vec {
    T v[N];
};
template <class T, int N> RP_UK_FN Vec<T, N> load(const char* p, rp_fuse_index_t v) {
    return reinterpret_cast<const Vec<T, N>*>(p)[v];
}
template <class T, int N> RP_UK_FN void store(char* p, rp_fuse_index_t v, const Vec<T, N>& x) {
    reinterpret_cast<Vec<T, N>*>(p)[v] = x;
}
template <class T> RP_UK_FN T& at(char* p, rp_fuse_index_t i) { return reinterpret_cast<T*>(p)[i]; }
template <class T> RP_UK_FN const T& at(const char* p, rp_fuse_index_t i) {
    return reinterpret_cast<const T*>(p)[i];
}
}  // namespace rp_fuse

// The fused statements on one element: inputs by value, outputs by reference.
RP_UK_FN void rp_fuse_element(/*@ELEMENT@*/) {
    /*@OPERATION@*/
}

extern "C" __global__ void __launch_bounds__(RP_FUSE_BLOCK) RP_FUSE_NAME(int64_t _rp_n/*@PARAMS@*/) {
    rp_wait_previous_kernel();  // _fusion_kernels.py launches it with launch_dependent where it can
    constexpr int VEC = RP_FUSE_VEC;
    const rp_fuse_index_t n = (rp_fuse_index_t)_rp_n, nvec = n / VEC;
    const rp_fuse_index_t first = (rp_fuse_index_t)rp_uk::first_index(), step = (rp_fuse_index_t)rp_uk::index_step();
    for (rp_fuse_index_t v = first; v < nvec; v += step) {
        /*@LOAD@*/
#pragma unroll
        for (int k = 0; k < VEC; ++k) rp_fuse_element(/*@AT_VEC@*/);
        /*@STORE@*/
    }
    for (rp_fuse_index_t i = nvec * VEC + first; i < n; i += step) rp_fuse_element(/*@AT_ONE@*/);
}

RP_UK_HOST_ENTRY(RP_FUSE_NAME)
