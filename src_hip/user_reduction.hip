// rp.ReductionKernel (CuPy's API) and the reductions of rp.fuse: for each output element, the values
// map_expr takes over the reduced axes are combined with reduce_expr, then post_map_expr stores them.
//
// Layout: the input arrays are viewed as (kept axes..., reduced axes...), each part collapsed and
// unravelled on its own (OUT_NDIM, RED_NDIM). A block of BLOCK threads (a power of two; 1 on the host)
// serves _rp_block_stride outputs at a time, a power of two: thread t works for output
// base + t % stride, as reducer t / stride of BLOCK / stride, so that neighbouring threads read
// neighbouring outputs where the kept axes are the contiguous ones (CuPy's scheme). The reducers of an
// output combine through shared memory in a tree; only __syncthreads, no warp-size assumption.
// A reducer that saw no element carries a flag instead of a value, so no identity is needed
// (identity is only the value of an empty reduction; without one, the Python side refuses those).
//
// Few outputs over a long range (a full reduction: one output) would leave most of the device idle, so
// the launcher splits the range into _rp_parts parts: PASS 1 (one block per part and group of outputs,
// exactly one round) writes each part's partial value and flag to _rp_partial, PASS 2 combines the
// parts per output and applies post_map_expr. PASS 0 is the single pass.
//
// _user_kernels.py fills the placeholders (each marker with the default after it):
//   NAME, TYPEDEFS, PREAMBLE, INDEX_T      as in user_elementwise.hip
//   REDUCE_T    the type of a and b (CuPy's reduce_type, default the first output's type)
//   OUT_NDIM, RED_NDIM, BLOCK
//   PASS        0 (one pass), 1 or 2 (the passes of a split reduction)
//   ITEM        the bytes the launcher gave each partial value (at least sizeof(_type_reduce))
//   PARAMS      `const char* _rp_p_x, rp_uk::Dims<OUT_NDIM> _rp_so_x, rp_uk::Dims<RED_NDIM> _rp_sr_x` per
//               input array, `char* _rp_p_y, rp_uk::Dims<OUT_NDIM> _rp_s_y` per output, `T x` per scalar
//   BIND        `const T x = rp_uk::at<T>(_rp_p_x, _rp_out_at.offset(_rp_so_x) + _rp_red_at.offset(_rp_sr_x));`
//   MAP_EXPR, REDUCE_EXPR (of a and b), IDENTITY (empty: _type_reduce())
//   OUT_BIND    `T& y = rp_uk::at<T>(_rp_p_y, _rp_out_at.offset(_rp_s_y));` per output
//   POST_MAP    the user's post_map_expr (of a and the outputs)
#include "user_kernels.h"

/*@TYPEDEFS@*/
/*@PREAMBLE@*/

#define RP_UK_NAME /*@NAME@*/ rp_user_reduction
using rp_uk_index_t = /*@INDEX_T@*/ int64_t;
using _type_reduce = /*@REDUCE_T@*/ float;
#define RP_UK_OUT_NDIM /*@OUT_NDIM@*/ 1
#define RP_UK_RED_NDIM /*@RED_NDIM@*/ 1
#define RP_UK_BLOCK /*@BLOCK@*/ 256
#define RP_UK_PASS /*@PASS@*/ 0
#define RP_UK_ITEM /*@ITEM@*/ 64
static_assert(RP_UK_PASS == 0 || sizeof(_type_reduce) <= RP_UK_ITEM,
              "a split reduction's partial values have RP_UK_ITEM bytes each: _type_reduce is larger");

RP_UK_FN _type_reduce rp_uk_reduce(const _type_reduce& a, const _type_reduce& b) {
    return /*@REDUCE_EXPR@*/ a + b;
}

extern "C" __global__ void RP_UK_NAME(rp_uk::Dims<RP_UK_OUT_NDIM> _rp_out_shape,
                                      rp_uk::Dims<RP_UK_RED_NDIM> _rp_red_shape, int64_t _rp_out_size,
                                      int64_t _rp_red_size, int32_t _rp_block_stride, int64_t _rp_parts,
                                      char* _rp_partial /*@PARAMS@*/) {
    // Raw bytes, not _type_reduce[]: a type with a constructor (complex) may not be __shared__ itself.
    alignas(16) RP_UK_SHARED char _rp_sraw[RP_UK_BLOCK * sizeof(_type_reduce)];
    RP_UK_SHARED bool _rp_sflag[RP_UK_BLOCK];
    _type_reduce* _rp_sdata = reinterpret_cast<_type_reduce*>(_rp_sraw);
    const int _rp_tid = rp_uk::thread_in_block();
    const int _rp_reducer = _rp_tid / _rp_block_stride;
    const int _rp_reducers = RP_UK_BLOCK / _rp_block_stride;
    // Split reductions: partial values (and their flags, after them) of output o, part p at o * parts + p.
    _type_reduce* _rp_pval = reinterpret_cast<_type_reduce*>(_rp_partial);
    bool* _rp_pflag = reinterpret_cast<bool*>(_rp_partial + _rp_out_size * _rp_parts * sizeof(_type_reduce));
    (void)_rp_pval;
    (void)_rp_pflag;
#if RP_UK_PASS == 1
    // Block b reduces part b / out_blocks of the range for the outputs of block b % out_blocks.
    const int64_t _rp_out_blocks = (_rp_out_size + _rp_block_stride - 1) / _rp_block_stride;
    const int64_t _rp_part = rp_uk::block_index() / _rp_out_blocks;
    const int64_t _rp_chunk = (_rp_red_size + _rp_parts - 1) / _rp_parts;
    const int64_t _rp_lo = _rp_part * _rp_chunk;
    const int64_t _rp_hi = _rp_lo + _rp_chunk < _rp_red_size ? _rp_lo + _rp_chunk : _rp_red_size;
    const int64_t _rp_first = rp_uk::block_index() % _rp_out_blocks, _rp_blocks = _rp_out_blocks;
#else
    const int64_t _rp_lo = 0, _rp_hi = _rp_red_size;
    const int64_t _rp_first = rp_uk::block_index(), _rp_blocks = rp_uk::block_count();
#endif

    for (int64_t _rp_base = _rp_first * _rp_block_stride; _rp_base < _rp_out_size;
         _rp_base += _rp_blocks * _rp_block_stride) {
        const int64_t _rp_o = _rp_base + _rp_tid % _rp_block_stride;
        _type_reduce _rp_acc = _type_reduce();
        bool _rp_seen = false;
        if (_rp_o < _rp_out_size) {
#if RP_UK_PASS == 2
            // The second pass of a split reduction: combine the parts' partial values.
            for (int64_t _rp_j = _rp_reducer; _rp_j < _rp_parts; _rp_j += _rp_reducers) {
                if (_rp_pflag[_rp_o * _rp_parts + _rp_j]) {
                    const _type_reduce _rp_a = _rp_pval[_rp_o * _rp_parts + _rp_j];
                    _rp_acc = _rp_seen ? rp_uk_reduce(_rp_acc, _rp_a) : _rp_a;
                    _rp_seen = true;
                }
            }
#else
            const rp_uk::Index<RP_UK_OUT_NDIM, rp_uk_index_t> _rp_out_at(_rp_o, _rp_out_shape);
            for (int64_t _rp_j = _rp_lo + _rp_reducer; _rp_j < _rp_hi; _rp_j += _rp_reducers) {
                const rp_uk::Index<RP_UK_RED_NDIM, rp_uk_index_t> _rp_red_at(_rp_j, _rp_red_shape);
                (void)_rp_red_at;
                /*@BIND@*/
                const _type_reduce _rp_a = static_cast<_type_reduce>(/*@MAP_EXPR@*/ 0);
                _rp_acc = _rp_seen ? rp_uk_reduce(_rp_acc, _rp_a) : _rp_a;
                _rp_seen = true;
            }
#endif
        }
        _rp_sdata[_rp_tid] = _rp_acc;
        _rp_sflag[_rp_tid] = _rp_seen;
        rp_uk::sync_block();
        for (int _rp_half = RP_UK_BLOCK / 2; _rp_half >= _rp_block_stride; _rp_half >>= 1) {
            if (_rp_tid < _rp_half && _rp_sflag[_rp_tid + _rp_half]) {
                _rp_sdata[_rp_tid] = _rp_sflag[_rp_tid] ? rp_uk_reduce(_rp_sdata[_rp_tid], _rp_sdata[_rp_tid + _rp_half])
                                                        : _rp_sdata[_rp_tid + _rp_half];
                _rp_sflag[_rp_tid] = true;
            }
            rp_uk::sync_block();
        }
        if (_rp_tid < _rp_block_stride && _rp_o < _rp_out_size) {
#if RP_UK_PASS == 1
            _rp_pval[_rp_o * _rp_parts + _rp_part] = _rp_sdata[_rp_tid];
            _rp_pflag[_rp_o * _rp_parts + _rp_part] = _rp_sflag[_rp_tid];
#else
            const rp_uk::Index<RP_UK_OUT_NDIM, rp_uk_index_t> _rp_out_at(_rp_o, _rp_out_shape);
            (void)_rp_out_at;
            const _type_reduce a = _rp_sflag[_rp_tid] ? _rp_sdata[_rp_tid] : _type_reduce(/*@IDENTITY@*/);
            /*@OUT_BIND@*/
            /*@POST_MAP@*/;
#endif
        }
        rp_uk::sync_block();  // the next round reuses the shared memory
    }
}

RP_UK_HOST_ENTRY(RP_UK_NAME)
