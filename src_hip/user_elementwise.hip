// rp.ElementwiseKernel (CuPy's API) and the elementwise part of rp.fuse: the user's `operation` runs
// once per index i of the broadcast shape, with each non-raw parameter bound to its element.
//
// _user_kernels.py fills the placeholders (each marker is replaced together with the default after it):
//   NAME        the kernel's name (the user's, for profilers)
//   TYPEDEFS    typedef float T; ... for the type placeholders of the parameters
//   PREAMBLE    the user's preamble
//   INDEX_T     int32_t when the loop has fewer than 2^31 indices, else int64_t
//   NDIM        dimensions of the (collapsed) loop shape, at least 1
//   PARAMS      per parameter: `const char* _rp_p_x, rp_uk::Dims<NDIM> _rp_s_x` for an array (address of
//               element [0, ...] and byte strides broadcast to the loop shape), `char* _rp_p_x,
//               rp_uk::Layout<N> _rp_l_x` for a raw array, `T x` for a scalar
//   RAW         `rp_uk::Raw<T, N, C> x(_rp_p_x, _rp_l_x);` per raw parameter
//   BIND        `const T x = rp_uk::at<T>(_rp_p_x, _rp_at.offset(_rp_s_x));` per input array and
//               `T& y = rp_uk::at<T>(...)` per output array
//   LOOP_PREP, OPERATION, AFTER_LOOP   the user's code
//
// Visible to the user's code, as in CuPy: i (the flat C-order index of the element, ptrdiff_t),
// _ind.size() (the number of indices), the parameters by name, the type placeholders.
// With its defaults this file compiles on its own (an empty loop).
#include "user_kernels.h"

/*@TYPEDEFS@*/
/*@PREAMBLE@*/

#define RP_UK_NAME /*@NAME@*/ rp_user_elementwise
using rp_uk_index_t = /*@INDEX_T@*/ int64_t;
#define RP_UK_NDIM /*@NDIM@*/ 1

extern "C" __global__ void RP_UK_NAME(rp_uk::Dims<RP_UK_NDIM> _rp_shape, int64_t _rp_size /*@PARAMS@*/) {
    const rp_uk::Loop _ind = {_rp_size};
    (void)_ind;
    /*@RAW@*/
    /*@LOOP_PREP@*/
    for (ptrdiff_t i = rp_uk::first_index(); i < _rp_size; i += rp_uk::index_step()) {
        const rp_uk::Index<RP_UK_NDIM, rp_uk_index_t> _rp_at(i, _rp_shape);
        (void)_rp_at;
        /*@BIND@*/
        /*@OPERATION@*/;
    }
    /*@AFTER_LOOP@*/
}

RP_UK_HOST_ENTRY(RP_UK_NAME)
