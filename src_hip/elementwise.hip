// The elementwise kernel: outputs[i] = op(inputs[i]) for every element i.
//
// rdnarray/_backend/kernels/elementwise.py replaces each default marked by an @KEY@ comment below and
// compiles one instantiation per (op, dtypes, operand kinds, layout, index width). The defaults make
// this file compile on its own: float32 + float32 -> float32, contiguous, 32-bit indices.
//
// Operand kinds: ARRAY (a pointer, stepped through), BCAST (a pointer to one element that every
// index reads: a 0-d array broadcast), SCALAR (a Python scalar passed by value, already converted to
// the compute type). Inputs are converted from their storage type (in_t) to the compute type (x_t)
// on load; the op's results (r_t) to the storage type of the outputs (out_t) on store.
//
// Layouts: NDIM == 0 is the contiguous kernel (every array operand dense and in the same order: a
// flat index, VEC elements per step, loaded as one aligned vector per operand; the launcher checked
// the alignment). NDIM > 0 is the strided kernel over that many (collapsed) dimensions, with byte
// strides per operand (0 on broadcast dimensions). index_t is int32_t when every element index and
// byte offset fits in it, else int64_t.
#include "ops.h"

using op_t = /*@op_t@*/ rp::op::add;
using in0_t = /*@in0_t@*/ float;       // storage types of the inputs
using in1_t = /*@in1_t@*/ float;
using x0_t = /*@x0_t@*/ float;         // compute types of the inputs
using x1_t = /*@x1_t@*/ float;
using r0_t = /*@r0_t@*/ float;         // result types of the op
using r1_t = /*@r1_t@*/ float;
using out0_t = /*@out0_t@*/ float;     // storage types of the outputs
using out1_t = /*@out1_t@*/ float;
using index_t = /*@index_t@*/ int32_t;
constexpr int NIN = /*@NIN@*/ 2;       // 1 or 2 (a unary op gets a SCALAR second input it ignores)
constexpr int NOUT = /*@NOUT@*/ 1;     // 1 or 2 (the second output is not written when 1)
constexpr int KIND0 = /*@KIND0@*/ 0;   // 0 ARRAY, 1 BCAST, 2 SCALAR
constexpr int KIND1 = /*@KIND1@*/ 0;
constexpr int NDIM = /*@NDIM@*/ 0;
constexpr int VEC = /*@VEC@*/ 4;
constexpr int BLOCK = /*@BLOCK@*/ 256;

namespace rp {
namespace ew {

enum { ARRAY = 0, BCAST = 1, SCALAR = 2 };

// A Python scalar: the bytes of its value in the compute type, passed by value.
struct scalar_arg {
    int64_t w[2];
};
template <class T> RP_DEVICE T unpack(scalar_arg s) {
    union {
        scalar_arg s;
        T v;
    } u;
    u.s = s;
    return u.v;
}

template <int KIND, class IN> struct param { typedef const IN* type; };
template <class IN> struct param<SCALAR, IN> { typedef scalar_arg type; };

// Shape and byte strides for the strided kernel; operand slots: out0, out1, in0, in1.
template <int N, class I> struct strides {
    I shape[N];
    I step[4][N];
};
template <class I> struct strides<0, I> {  // the contiguous kernel passes one unused word
    I unused;
};

template <class T, int N> struct alignas(sizeof(T) * N) vec {
    T v[N];
};

// One input, read in its compute type X. BCAST and SCALAR inputs are read once, into `value`.
template <int KIND, class X, class IN> struct input {
    const IN* p;
    X value;
    RP_DEVICE explicit input(const IN* ptr) : p(ptr) {
        if (KIND == BCAST) value = cast<X>(ptr[0]);
    }
    RP_DEVICE explicit input(scalar_arg s) : p(0), value(unpack<X>(s)) {}
    template <class I> RP_DEVICE X at(I i) const { return KIND == ARRAY ? cast<X>(p[i]) : value; }
    template <class I> RP_DEVICE X at_byte(I offset) const {
        return KIND == ARRAY ? cast<X>(*(const IN*)((const char*)p + offset)) : value;
    }
};

template <int I> struct int_ {};

// The op on one element, by the numbers of inputs and outputs.
template <class Op, class X0, class X1, class R0, class R1>
RP_DEVICE void apply(int_<1>, int_<1>, X0 x0, X1, R0& r0, R1&) { r0 = Op::f(x0); }
template <class Op, class X0, class X1, class R0, class R1>
RP_DEVICE void apply(int_<2>, int_<1>, X0 x0, X1 x1, R0& r0, R1&) { r0 = Op::f(x0, x1); }
template <class Op, class X0, class X1, class R0, class R1>
RP_DEVICE void apply(int_<1>, int_<2>, X0 x0, X1, R0& r0, R1& r1) { Op::f(x0, &r0, &r1); }
template <class Op, class X0, class X1, class R0, class R1>
RP_DEVICE void apply(int_<2>, int_<2>, X0 x0, X1 x1, R0& r0, R1& r1) { Op::f(x0, x1, &r0, &r1); }

typedef input<KIND0, x0_t, in0_t> input0;
typedef input<KIND1, x1_t, in1_t> input1;

RP_DEVICE void element(x0_t x0, x1_t x1, r0_t& r0, r1_t& r1) {
    apply<op_t>(int_<NIN>(), int_<NOUT>(), x0, x1, r0, r1);
}

// Contiguous: whole aligned vectors, then the tail of fewer than VEC elements.
template <class ST>
RP_DEVICE void run(int_<0>, index_t i, index_t step, index_t n, out0_t* o0, out1_t* o1, const input0& a,
                   const input1& b, const ST&) {
    r0_t r0;
    r1_t r1;
    const index_t nvec = n / VEC;
    for (index_t v = i; v < nvec; v += step) {
        const index_t base = v * VEC;
        vec<in0_t, VEC> va;
        vec<in1_t, VEC> vb;
        vec<out0_t, VEC> vo0;
        vec<out1_t, VEC> vo1;
        if (KIND0 == ARRAY) va = *(const vec<in0_t, VEC>*)(a.p + base);
        if (KIND1 == ARRAY) vb = *(const vec<in1_t, VEC>*)(b.p + base);
#pragma unroll
        for (int k = 0; k < VEC; ++k) {
            element(KIND0 == ARRAY ? cast<x0_t>(va.v[k]) : a.value, KIND1 == ARRAY ? cast<x1_t>(vb.v[k]) : b.value,
                    r0, r1);
            vo0.v[k] = cast<out0_t>(r0);
            if (NOUT == 2) vo1.v[k] = cast<out1_t>(r1);
        }
        *(vec<out0_t, VEC>*)(o0 + base) = vo0;
        if (NOUT == 2) *(vec<out1_t, VEC>*)(o1 + base) = vo1;
    }
    for (i += nvec * VEC; i < n; i += step) {
        element(a.at(i), b.at(i), r0, r1);
        o0[i] = cast<out0_t>(r0);
        if (NOUT == 2) o1[i] = cast<out1_t>(r1);
    }
}

// Strided: the byte offset of element i in each operand, from its coordinates (innermost last).
template <int N, class ST>
RP_DEVICE void run(int_<N>, index_t i, index_t step, index_t n, out0_t* o0, out1_t* o1, const input0& a,
                   const input1& b, const ST& st) {
    r0_t r0;
    r1_t r1;
    for (; i < n; i += step) {
        index_t rest = i, off[4] = {0, 0, 0, 0};
#pragma unroll
        for (int d = N - 1; d >= 0; --d) {
            const index_t k = d == 0 ? rest : rest % st.shape[d];
            rest = d == 0 ? 0 : rest / st.shape[d];
#pragma unroll
            for (int s = 0; s < 4; ++s) off[s] += k * st.step[s][d];
        }
        element(a.at_byte(off[2]), b.at_byte(off[3]), r0, r1);
        *(out0_t*)((char*)o0 + off[0]) = cast<out0_t>(r0);
        if (NOUT == 2) *(out1_t*)((char*)o1 + off[1]) = cast<out1_t>(r1);
    }
}

}  // namespace ew
}  // namespace rp

extern "C" __global__ void __launch_bounds__(BLOCK)
rp_elementwise(index_t n, out0_t* o0, out1_t* o1, rp::ew::param<KIND0, in0_t>::type a0,
               rp::ew::param<KIND1, in1_t>::type a1, rp::ew::strides<NDIM, index_t> st) {
    const rp::ew::input0 a(a0);
    const rp::ew::input1 b(a1);
    const index_t i = (index_t)blockIdx.x * (index_t)blockDim.x + (index_t)threadIdx.x;
    const index_t step = (index_t)gridDim.x * (index_t)blockDim.x;
    rp::ew::run(rp::ew::int_<NDIM>(), i, step, n, o0, o1, a, b, st);
}
