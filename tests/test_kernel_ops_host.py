"""The device math of src_hip/ (ops.h, complex.h, the casts of prelude.h), compiled with g++ and run on
the CPU against NumPy (the CPU backend's answers, standard special cases included), on tricky values:
zeros of both signs, infinities, nan, integer limits, +-1, huge and tiny floats.

One shared library holds every (op, dtype) instantiation the GPU can run (the types come from
kernels/elementwise.py's own resolution), built once and kept in the temp directory under a hash of
the headers and the harness. Exact ops must match bit for bit (up to NaN payloads); transcendental
functions to a few ulp, with special values (nan, infinities, signed zeros) exact.

The test_run_* tests go through kernels/elementwise.py's planning (layouts, scalars, casts, overlap,
alignment, 64-bit indices) into the real elementwise.hip, built by g++ with every GPU thread run in
turn, and, where there is a GPU, the same tests and every op of the host tests run on it.
"""
import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from rdnarray._backend import compiler
from rdnarray._backend import host as _host
from rdnarray._backend.kernels import elementwise as ew
from rdnarray._backend.kernels.ctypes import CTYPE
from rdnarray._core import dtypes as _dt
from rdnarray._core import ops as _ops

pytestmark = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")

DTYPES = [np.dtype(c) for c in "?bhilBHILefdFD"]

# The harness: run<...> applies one op to n elements, as the kernel's `apply` does.
HARNESS = r"""
#include "ops.h"
template <int N> struct n_ {};
template <class Op, class X0, class X1, class R0, class R1>
void call(n_<1>, n_<1>, X0 x0, X1, R0* r0, R1*) { *r0 = Op::f(x0); }
template <class Op, class X0, class X1, class R0, class R1>
void call(n_<2>, n_<1>, X0 x0, X1 x1, R0* r0, R1*) { *r0 = Op::f(x0, x1); }
template <class Op, class X0, class X1, class R0, class R1>
void call(n_<1>, n_<2>, X0 x0, X1, R0* r0, R1* r1) { Op::f(x0, r0, r1); }
template <class Op, class X0, class X1, class R0, class R1>
void call(n_<2>, n_<2>, X0 x0, X1 x1, R0* r0, R1* r1) { Op::f(x0, x1, r0, r1); }
template <class Op, int NIN, int NOUT, class X0, class X1, class R0, class R1>
void run(const void* a, const void* b, void* r0, void* r1, long n) {
    for (long i = 0; i < n; ++i) {
        R0 v0; R1 v1;
        call<Op>(n_<NIN>(), n_<NOUT>(), ((const X0*)a)[i], NIN == 2 ? ((const X1*)b)[i] : X1(), &v0, &v1);
        ((R0*)r0)[i] = v0;
        if (NOUT == 2) ((R1*)r1)[i] = v1;
    }
}
template <class To, class From> void cast(const void* a, const void*, void* r0, void*, long n) {
    for (long i = 0; i < n; ++i) ((To*)r0)[i] = rp::cast<To>(((const From*)a)[i]);
}
"""


def _instantiations():
    """{key: C++ expression of the function}: every op for every dtype with a loop, and every cast."""
    funcs = {}
    for op in _ops.UNARY + _ops.BINARY:
        for dt in DTYPES:
            if not _dt.in_category(dt, op.accepts):
                continue
            try:
                t = ew._resolve(op, (dt,) * op.nin, None)
            except TypeError:
                continue
            x = t.x + t.x[:1] * (2 - op.nin)
            r = t.r + t.r[:1] * (2 - len(t.r))
            funcs[("op", op.name) + x[:op.nin]] = (
                f"run<rp::op::{op.name}, {op.nin}, {len(t.r)}, {CTYPE[x[0]]}, {CTYPE[x[1]]}, "
                f"{CTYPE[r[0]]}, {CTYPE[r[1]]}>")
    for a, b in [(np.dtype(np.int64), np.dtype(np.uint64)), (np.dtype(np.uint64), np.dtype(np.int64)),
                 (np.dtype(np.uint8), np.dtype(np.int64)), (np.dtype(np.int8), np.dtype(np.uint64)),
                 (np.dtype(np.uint32), np.dtype(np.float64))]:
        for name in ew._COMPARISONS:
            funcs[("op", name, a, b)] = f"run<rp::op::{name}, 2, 1, {CTYPE[a]}, {CTYPE[b]}, bool, bool>"
    for src in DTYPES:
        for dst in DTYPES:
            funcs[("cast", src, dst)] = f"cast<{CTYPE[dst]}, {CTYPE[src]}>"
    return funcs


FUNCS = _instantiations()
KEYS = sorted(FUNCS, key=str)


@pytest.fixture(scope="module")
def lib():
    parts = 4  # translation units compiled in parallel
    units = [[] for _ in range(parts)]
    for i, key in enumerate(KEYS):
        units[i % parts].append(f'extern "C" void rp_f{i}(const void* a, const void* b, void* r0, void* r1, '
                                f'long n) {{ {FUNCS[key]}(a, b, r0, r1, n); }}')
    sources = [HARNESS + "\n".join(u) + "\n" for u in units]
    inc = compiler.source_dir()
    digest = hashlib.sha256(("".join(sources) + compiler.header_checksum(str(inc))).encode()).hexdigest()[:20]
    workdir = Path(tempfile.gettempdir()) / f"rdnarray-kernel-ops-host-{os.getuid()}"
    workdir.mkdir(exist_ok=True)
    so = workdir / f"ops_{digest}.so"
    if not so.exists():
        flags = ["g++", "-std=c++14", "-O1", "-fPIC", "-ffp-contract=off", "-fno-fast-math", f"-I{inc}"]

        def build(k):
            src = workdir / f"ops_{digest}_{k}.cpp"
            src.write_text(sources[k])
            r = subprocess.run(flags + ["-c", str(src), "-o", str(src) + ".o"], capture_output=True, text=True)
            assert r.returncode == 0, r.stderr[-5000:]
            return str(src) + ".o"

        with ThreadPoolExecutor(parts) as pool:
            objs = list(pool.map(build, range(parts)))
        tmp = str(so) + f".{os.getpid()}.tmp"
        r = subprocess.run(["g++", "-shared", "-o", tmp] + objs + ["-lm"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        os.replace(tmp, so)
    return ctypes.CDLL(str(so))


def call(lib, key, args, out_dtypes):
    """Run FUNCS[key] over the arrays ``args``; the result arrays of ``out_dtypes``."""
    fn = getattr(lib, f"rp_f{KEYS.index(key)}")
    n = len(args[0])
    args = [np.ascontiguousarray(a) for a in args]
    outs = [np.empty(n, dt) for dt in out_dtypes] + [np.empty(n, np.complex128)] * (2 - len(out_dtypes))
    ptr = [a.ctypes.data for a in args] + [0] * (2 - len(args))
    fn(ctypes.c_void_p(ptr[0]), ctypes.c_void_p(ptr[1]), ctypes.c_void_p(outs[0].ctypes.data),
       ctypes.c_void_p(outs[1].ctypes.data), ctypes.c_long(n))
    return outs[:len(out_dtypes)]


# ---- values --------------------------------------------------------------------------------------------

_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.0, -7.0, 0.1, np.pi, 1e-3, 10.0, 100.5,
           1e10, -1e10, 1e30, 1e200, 1e-30, 1e-200, 5e-324, 1e-310, 1.7e308, -1.7e308, np.inf, -np.inf, np.nan,
           65504.0, 6e-8, 0.7, 1.2, 20.0, -30.0, 88.5, 710.0, 1e5]
_COMPLEX_PARTS = [0.0, -0.0, 1.0, -1.0, 0.5, -2.0, 3.0, 1e-20, 1e20, 1e300, np.inf, -np.inf, np.nan]


def values(dt):
    """Tricky values of dtype ``dt`` (distinct, in a stable order)."""
    if dt.kind == "b":
        return np.array([False, True])
    if dt.kind in "iu":
        info = np.iinfo(dt)
        vals = [0, 1, 2, 3, 5, 7, 8, 13, 31, 32, 63, 64, 100, info.max, info.max - 1, info.max // 2]
        if dt.kind == "i":
            vals += [-1, -2, -3, -7, -8, -100, info.min, info.min + 1, info.min // 2]
        return np.array(sorted({v for v in vals if info.min <= v <= info.max}), dtype=dt)
    with np.errstate(all="ignore"):
        if dt.kind == "f":
            return np.array(_FLOATS, dtype=dt)
        re, im = np.meshgrid(np.array(_COMPLEX_PARTS), np.array(_COMPLEX_PARTS), indexing="ij")
        z = np.empty(re.size, dt)  # not re + 1j * im: 1j * inf is nan + inf j
        z.real, z.imag = re.ravel(), im.ravel()
        return z


def pairs(dt):
    """Every pair of values(dt), as two arrays."""
    v = values(dt)
    if dt.kind == "c":  # 169 values: pairs of a subset keep the count near 10**4
        v = v[::2]
    a, b = np.meshgrid(v, v, indexing="ij")
    return a.ravel(), b.ravel()


def expected(op, args):
    """NumPy's results (the CPU backend's function, standard fixes included), as a tuple."""
    f = _host._STANDARD.get(op.numpy) or getattr(np, op.numpy)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = f(*args)
    return r if isinstance(r, tuple) else (r,)


# ---- comparison ----------------------------------------------------------------------------------------

# Functions whose results may differ from NumPy's by rounding (different libm / NumPy's SIMD versions).
INEXACT = frozenset("""acos acosh asin asinh atan atanh cos cosh exp expm1 log log1p log2 log10 sin sinh sqrt
    tan tanh exp2 cbrt pow float_power atan2 hypot logaddexp logaddexp2 divide reciprocal abs sign
    multiply square""".split())
ULPS = {"e": 1, "f": 4, "d": 4}
# logaddexp(x, y) = x + log1p(exp(y - x)) cancels for x < 0 near y: the error of log1p(exp) grows by
# |result| / |x|, up to ~4x for the test values (the GPU's float32 exp2/log1p are 1-2 ulp).
ULP_SCALE = {"logaddexp": 4, "logaddexp2": 4}


def ulp_distance(a, b):
    """|a - b| in units in the last place, per element (floats of one dtype; nan/inf excluded by caller)."""
    it = {2: np.int16, 4: np.int32, 8: np.int64}[a.dtype.itemsize]
    ia, ib = a.view(it).astype(np.int64), b.view(it).astype(np.int64)
    # Map the sign-magnitude bit patterns to a monotonic integer line.
    ia = np.where(ia < 0, np.iinfo(it).min - ia, ia)
    ib = np.where(ib < 0, np.iinfo(it).min - ib, ib)
    return np.abs(ia - ib)


def same_special(got, want):
    """Where either is nan, inf or zero: both must be the same special value (signed zeros included)."""
    special = np.isnan(want) | np.isinf(want) | (want == 0) | np.isnan(got) | np.isinf(got) | (got == 0)
    ok = (np.isnan(got) == np.isnan(want)) & ((got == want) | np.isnan(want))
    ok &= (np.signbit(got) == np.signbit(want)) | np.isnan(want)
    return special, ok | ~special


def check_real(name, args, got, want, exact, scale=1):
    if got.dtype.kind not in "fc":
        bad = got != want
    else:
        special, ok = same_special(got, want)
        bad = ~ok
        if exact:
            bad |= ~special & (got != want)
        else:
            close = ulp_distance(np.where(special, 0, got).astype(got.dtype),
                                 np.where(special, 0, want).astype(got.dtype)) <= ULPS[got.dtype.char] * scale
            bad |= ~special & ~close
    if bad.any():
        i = np.flatnonzero(bad)[:8]
        rows = [f"  {tuple(a[j] for a in args)} -> {got[j]!r}, NumPy {want[j]!r}" for j in i]
        raise AssertionError(f"{name}: {bad.sum()} of {bad.size} differ:\n" + "\n".join(rows))


def check_complex(name, args, got, want, exact, scale=1):
    """Per component: special values exact; finite parts to a few ulp of the larger part's magnitude."""
    if exact:
        check_real(name + ".real", args, got.real.copy(), want.real.copy(), True)
        check_real(name + ".imag", args, got.imag.copy(), want.imag.copy(), True)
        return
    real = got.real.dtype
    tol = ULPS[real.char] * np.finfo(real).eps * 4 * scale
    for part in ("real", "imag"):
        g, w = getattr(got, part).copy(), getattr(want, part).copy()
        special = np.isnan(w) | np.isinf(w) | np.isnan(g) | np.isinf(g)
        bad = special & ~((np.isnan(g) & np.isnan(w)) | (g == w))
        with np.errstate(all="ignore"):
            scale = np.fmax(np.abs(want.real), np.abs(want.imag)).astype(np.float64)
            bad |= ~special & ~(np.abs(g.astype(np.float64) - w) <= tol * scale + np.finfo(real).tiny)
        if bad.any():
            i = np.flatnonzero(bad)[:8]
            rows = [f"  {tuple(a[j] for a in args)} -> {got[j]!r}, NumPy {want[j]!r}" for j in i]
            raise AssertionError(f"{name}.{part}: {bad.sum()} of {bad.size} differ:\n" + "\n".join(rows))


def compare(name, args, got, want, exact, scale=1):
    want = np.asarray(want)
    assert got.dtype == want.dtype or want.dtype.kind == got.dtype.kind, (name, got.dtype, want.dtype)
    want = want.astype(got.dtype)
    if got.dtype.kind == "c":
        check_complex(name, args, got, want, exact, scale)
    else:
        check_real(name, args, got, want, exact, scale)


# ---- tests ---------------------------------------------------------------------------------------------

def _op_cases():
    for key in KEYS:
        if key[0] == "op" and len(key) == 2 + _ops.ALL[key[1]].nin:
            yield pytest.param(key, id="-".join([key[1]] + [d.name for d in key[2:]]))


def op_args(op, xs):
    """The test inputs of ``op`` on dtypes ``xs``: its values, or every pair of them."""
    if op.nin == 1:
        args = (values(xs[0]),)
    elif xs[0] == xs[1]:
        args = pairs(xs[0])
    else:  # mixed comparisons: every value of one against every value of the other
        a, b = np.meshgrid(values(xs[0]), values(xs[1]), indexing="ij")
        args = (a.ravel(), b.ravel())
    if op.name == "pow" and xs[0].kind == "i":
        keep = args[1] >= 0  # NumPy raises ValueError for negative integer exponents
        args = tuple(a[keep] for a in args)
    return args


def check_op(op, xs, args, got, want):
    """``got`` (the outputs of ``op`` on ``args``) against NumPy's ``want``."""
    if op.name in ("pow", "float_power") and xs[0].kind == "c":
        # Small integer powers multiply with fused multiply-adds here, in plain products in NumPy's
        # npy_cpow: where a product overflows, NumPy's inf - inf is nan, ours stays infinite.
        overflow = np.isnan(want[0]) & (np.isinf(got[0].real) | np.isinf(got[0].imag))
        args, got, want = [tuple(a[~overflow] for a in v) for v in (args, got, want)]
        # A phase beyond 2**53 radians (b = 1e20) is rounding noise: only the infinities must agree.
        noise = np.isinf(want[0].real) & np.isinf(want[0].imag) & np.isinf(got[0].real) & np.isinf(got[0].imag)
        args, got, want = [tuple(a[~noise] for a in v) for v in (args, got, want)]
    if op.name == "nextafter" and xs[0] == np.float16:
        # nextafter(+-0, -+0): -+0 as C's nextafter and NumPy's main branch; NumPy 2.4's float16 loop says +-0.
        zeros = (args[0] == 0) & (args[1] == 0)
        args, want = tuple(a[~zeros] for a in args), tuple(w[~zeros] for w in want)
        got = tuple(g[~zeros] for g in got)
    exact = op.name not in INEXACT or xs[0].kind in "biu"
    if op.name in ("multiply", "square", "abs", "sign", "reciprocal", "divide") and xs[0].kind != "c":
        exact = True  # one correctly rounded operation on reals
    for k, (g, w) in enumerate(zip(got, want)):
        compare(f"{op.name}[{k}]", args, g, w, exact, ULP_SCALE.get(op.name, 1))


@pytest.mark.parametrize("key", list(_op_cases()))
def test_op(lib, key):
    op = _ops.ALL[key[1]]
    xs = key[2:]
    args = op_args(op, xs)
    want = expected(op, args)
    t = ew._resolve(op, tuple(xs[:1]) * op.nin, None) if xs[:1] * op.nin == xs else None
    out_dtypes = t.r if t is not None else (np.dtype(np.bool_),)
    check_op(op, xs, args, call(lib, key, args, out_dtypes), want)


@pytest.mark.parametrize("src", DTYPES, ids=lambda d: d.name)
def test_cast(lib, src):
    v = values(src)
    for dst in DTYPES:
        got, = call(lib, ("cast", src, dst), (v,), (dst,))
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = v.astype(dst)
        if src.kind in "fc" and dst.kind in "iu":
            # NumPy's float -> int of nan, inf and out-of-range values is whatever the CPU's conversion
            # gives; ours is x86-64's (cvttsd2si), which NumPy matches except through its float32 paths.
            re = v.real.astype(np.float64)
            info = np.iinfo(dst)
            fine = np.isfinite(re) & (re > info.min - 1.0) & (re < info.max + 1.0)
            got, want = got[fine], want[fine]
        compare(f"cast {src} -> {dst}", (v,), got, want, True)


def test_cast_of_special_floats_is_x86s(lib):
    """nan, inf and out-of-range floats convert as on x86-64 (its "integer indefinite"), defined everywhere."""
    v = np.array([np.nan, np.inf, -np.inf, 1e20, -1e20, -1.0, 300.7, 2.0**63, 2.0**64])
    table = {
        np.int64: [-2**63] * 5 + [-1, 300, -2**63, -2**63],
        np.uint64: [2**63, 0, 2**63, 0, 2**63, 2**64 - 1, 300, 2**63, 0],
        np.int32: [-2**31] * 5 + [-1, 300, -2**31, -2**31],
        np.uint8: [0, 0, 0, 0, 0, 255, 44, 0, 0],
        np.int16: [0, 0, 0, 0, 0, -1, 300, 0, 0],
    }
    for dt, want in table.items():
        dt = np.dtype(dt)
        got, = call(lib, ("cast", np.dtype(np.float64), dt), (v,), (dt,))
        assert got.tolist() == want, dt
        if os.uname().machine == "x86_64":  # and NumPy there agrees
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert v.astype(dt).tolist() == want, dt


def test_half_conversions_round_to_nearest_even(lib):
    """float32 -> float16 for every float16 value and the midpoints between neighbours."""
    h = np.arange(0, 2**16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    h = h[np.isfinite(h)]
    f = h.astype(np.float32)
    got, = call(lib, ("cast", np.dtype(np.float16), np.dtype(np.float32)), (h,), (np.dtype(np.float32),))
    compare("half -> float", (h,), got, f, True)
    hs = np.sort(h[~np.signbit(h)])
    mids = (hs[:-1].astype(np.float64) + hs[1:].astype(np.float64)) / 2
    for src in (np.float32, np.float64):
        m = mids.astype(src)
        got, = call(lib, ("cast", np.dtype(src), np.dtype(np.float16)), (m,), (np.dtype(np.float16),))
        compare(f"{np.dtype(src)} -> half midpoints", (m,), got, m.astype(np.float16), True)
        got, = call(lib, ("cast", np.dtype(src), np.dtype(np.float16)), (-m,), (np.dtype(np.float16),))
        compare(f"{np.dtype(src)} -> half negative midpoints", (-m,), got, (-m).astype(np.float16), True)


@pytest.mark.parametrize("a, b", [("int64", "uint64"), ("uint64", "int64"), ("uint8", "int64"), ("int8", "uint64")])
def test_mixed_integer_comparisons_are_exact(lib, a, b):
    a, b = np.dtype(a), np.dtype(b)
    x, y = np.meshgrid(values(a), values(b), indexing="ij")
    x, y = x.ravel(), y.ravel()
    for name in sorted(ew._COMPARISONS):
        got, = call(lib, ("op", name, a, b), (x, y), (np.dtype(np.bool_),))
        want = np.array([getattr(__import__("operator"), {"not_equal": "ne", "greater_equal": "ge",
                                                          "less_equal": "le", "greater": "gt",
                                                          "less": "lt", "equal": "eq"}[name])(int(p), int(q))
                         for p, q in zip(x, y)])
        assert (got == want).all(), name


def test_every_op_has_an_instantiation():
    """Each row of ops.py runs for at least one dtype (the host harness covers the whole table)."""
    covered = {k[1] for k in KEYS if k[0] == "op"}
    assert covered == set(_ops.ALL)



# ---- the whole kernel: elementwise.py's planning and elementwise.hip, run on the CPU -----------------

# Compiled around a filled elementwise.hip: every GPU thread of the grid runs in turn (the kernel has
# no barriers), kernel parameters arrive as the driver builds them: a pointer per parameter.
LAUNCHER = r"""
struct rp_host_dim3 { unsigned x, y, z; };
static rp_host_dim3 threadIdx, blockIdx, blockDim, gridDim;
#include "elementwise_filled.hip"
extern "C" void rp_host_launch(unsigned grid, unsigned block, void** p) {
    typedef rp::ew::param<KIND0, in0_t>::type P0;
    typedef rp::ew::param<KIND1, in1_t>::type P1;
    typedef rp::ew::strides<NDIM, index_t> ST;
    gridDim.x = grid;
    blockDim.x = block;
    for (unsigned b = 0; b < grid; ++b) {
        for (unsigned t = 0; t < block; ++t) {
            blockIdx.x = b;
            threadIdx.x = t;
            rp_elementwise(*(index_t*)p[0], *(out0_t**)p[1], *(out1_t**)p[2], *(P0*)p[3], *(P1*)p[4], *(ST*)p[5]);
        }
    }
}
"""


def pack(args, fmt):
    """The driver's packing: each group of ``fmt`` (one kernel parameter) at its natural alignment."""
    import re
    import struct
    buf, offsets, values = bytearray(), [], list(args)
    for count, code in re.findall(r"(\d*)([a-zA-Z?])", fmt):
        count = int(count or 1)
        align = struct.calcsize(code)
        buf += bytes(-len(buf) % align)
        offsets.append(len(buf))
        buf += struct.pack(f"{count}{code}", *values[:count])
        del values[:count]
    assert not values
    return bytes(buf), offsets


class HostFunction:
    def __init__(self, lib):
        self.lib = lib

    def launch(self, grid, block, shared_mem, stream, args, fmt):
        assert grid[1:] == (1, 1) and block == (ew.BLOCK, 1, 1) and shared_mem == 0
        data, offsets = pack(args, fmt)
        assert len(offsets) == 6
        self.buf = ctypes.create_string_buffer(data, len(data))
        base = ctypes.addressof(self.buf)
        params = (ctypes.c_void_p * 6)(*[base + o for o in offsets])
        self.lib.rp_host_launch(ctypes.c_uint(grid[0]), ctypes.c_uint(block[0]), params)


class HostBackend:
    """What kernels/elementwise.py uses of the GPU backend, on host memory and g++."""
    stream = 0
    props = {"compute_units": 2, "warp_size": 32, "max_threads_per_block": 1024}

    def __init__(self, workdir):
        self.workdir = workdir
        self.sources = []

    def function(self, source, name, options=()):
        assert name == "rp_elementwise"
        self.sources.append(source)
        digest = hashlib.sha256((source + LAUNCHER + compiler.header_checksum(str(compiler.source_dir())))
                                .encode()).hexdigest()[:20]
        so = self.workdir / f"ew_{digest}.so"
        if not so.exists():
            d = self.workdir / digest
            d.mkdir(exist_ok=True)
            (d / "elementwise_filled.hip").write_text(source)
            (d / "launch.cpp").write_text(LAUNCHER)
            tmp = str(so) + f".{os.getpid()}.tmp"
            r = subprocess.run(["g++", "-std=c++14", "-O1", "-shared", "-fPIC", "-Wno-unknown-pragmas",
                                "-ffp-contract=off", f"-I{d}", f"-I{compiler.source_dir()}",
                                str(d / "launch.cpp"), "-o", tmp], capture_output=True, text=True)
            assert r.returncode == 0, r.stderr[-5000:]
            os.replace(tmp, so)
        return HostFunction(ctypes.CDLL(str(so)))

    def empty(self, shape, dtype):
        import rdnarray as rp
        return rp.empty(shape, dtype=dtype, device="cpu")

    def from_numpy(self, a):
        import rdnarray as rp
        return rp.asarray(np.array(a), device="cpu")

    def to_numpy(self, x):
        return x._view().copy()


class GpuBackend:
    """The real GPU backend, recording the sources it compiles (for the tests' layout checks)."""

    def __init__(self, real):
        self.real, self.sources = real, []
        self.stream, self.props = real.stream, real.props

    def function(self, source, name, options=()):
        self.sources.append(source)
        return self.real.function(source, name, options)

    def empty(self, shape, dtype):
        return self.real.empty(shape, dtype)

    def from_numpy(self, a):
        return self.real.from_numpy(np.array(a))

    def to_numpy(self, x):
        return self.real.to_numpy(x)


def _gpu_backend():
    import rdnarray
    if not rdnarray.gpu.is_available():
        pytest.skip(f"no GPU: {rdnarray.gpu.unavailable_reason()}")
    from rdnarray._backend import get
    return GpuBackend(get("gpu"))


@pytest.fixture(scope="module", params=["host", "gpu"])
def backend(request):
    if request.param == "gpu":
        return _gpu_backend()
    workdir = Path(tempfile.gettempdir()) / f"rdnarray-kernel-ops-host-{os.getuid()}"
    workdir.mkdir(exist_ok=True)
    return HostBackend(workdir)


def run_op(backend, name, *inputs, out_dtypes=None, outs=None, dtype=None):
    """ew.run of op ``name`` on the backend's arrays / Python scalars; NumPy copies of the outputs."""
    from rdnarray._core.views import broadcast_to
    op = _ops.ALL[name] if name in _ops.ALL else name
    shapes = [x.shape for x in inputs if not isinstance(x, (bool, int, float, complex))]
    shape = np.broadcast_shapes(*shapes) if shapes else ()
    args = tuple(broadcast_to(x, shape) if not isinstance(x, (bool, int, float, complex)) and x.shape != shape
                 else x for x in inputs)
    if outs is None:
        outs = tuple(backend.empty(shape, dt) for dt in out_dtypes)
    ew.run(backend, op, args, outs, dtype)
    return [backend.to_numpy(o) for o in outs]


def test_run_contiguous_vectorized(backend):
    a, b = np.arange(1003, dtype=np.float32), np.linspace(-5, 5, 1003, dtype=np.float32)
    got, = run_op(backend, "add", backend.from_numpy(a), backend.from_numpy(b), out_dtypes=[np.float32])
    np.testing.assert_array_equal(got, a + b)
    assert "constexpr int VEC = 4;" in backend.sources[-1] and "constexpr int NDIM = 0;" in backend.sources[-1]


def test_run_mixed_input_dtypes_convert_on_load(backend):
    a = np.arange(-50, 50, dtype=np.int8)
    b = np.linspace(0, 1, 100, dtype=np.float32)
    got, = run_op(backend, "multiply", backend.from_numpy(a), backend.from_numpy(b), out_dtypes=[np.float32])
    np.testing.assert_array_equal(got, a * b)
    got, = run_op(backend, "sin", backend.from_numpy(a), out_dtypes=[np.float16])  # int8 computes in float16
    np.testing.assert_array_equal(got, np.sin(a))


def test_run_scalars(backend):
    a = np.arange(10, dtype=np.float32)
    got, = run_op(backend, "subtract", 2.5, backend.from_numpy(a), out_dtypes=[np.float32])
    np.testing.assert_array_equal(got, 2.5 - a)
    u = np.arange(250, 256, dtype=np.uint8)
    got, = run_op(backend, "add", backend.from_numpy(u), 3, out_dtypes=[np.uint8])
    np.testing.assert_array_equal(got, u + np.uint8(3))
    with pytest.raises(OverflowError):
        run_op(backend, "add", backend.from_numpy(u), 300, out_dtypes=[np.uint8])
    got, = run_op(backend, "less", backend.from_numpy(u), 300, out_dtypes=[np.bool_])  # NumPy compares these exactly
    assert got.all()
    got, = run_op(backend, "equal", backend.from_numpy(u), -1, out_dtypes=[np.bool_])
    assert not got.any()
    got, = run_op(backend, "greater", 2**70, backend.from_numpy(u), out_dtypes=[np.bool_])
    assert got.all()
    with pytest.raises(ValueError, match="negative integer powers"):
        run_op(backend, "pow", backend.from_numpy(np.arange(3)), -1, out_dtypes=[np.int64])
    got, = run_op(backend, "multiply", 3, 4, out_dtypes=[np.int64])  # only scalars: a 0-d result
    assert got.shape == () and got == 12


def test_run_int64_against_uint64_is_exact(backend):
    a = np.array([-1, 2**62, 2**63 - 1, 0], dtype=np.int64)
    b = np.array([2**64 - 1, 2**62, 2**63, 0], dtype=np.uint64)
    for name in ("equal", "less", "greater_equal"):
        got, = run_op(backend, name, backend.from_numpy(a), backend.from_numpy(b), out_dtypes=[np.bool_])
        np.testing.assert_array_equal(got, getattr(np, name)(a, b))


def test_run_strided_and_broadcast(backend):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((6, 40)).astype(np.float64)
    b = rng.standard_normal((40,)).astype(np.float64)
    x = backend.from_numpy(a)[:, ::3]       # a strided view
    y = backend.from_numpy(b)[::3]          # broadcast along the first axis (stride 0)
    got, = run_op(backend, "atan2", x, y, out_dtypes=[np.float64])
    np.testing.assert_allclose(got, np.arctan2(a[:, ::3], b[::3]), rtol=1e-15)
    assert "constexpr int NDIM = 2;" in backend.sources[-1]
    got, = run_op(backend, "add", backend.from_numpy(a).T, backend.from_numpy(a.T.copy()), out_dtypes=[np.float64])
    np.testing.assert_array_equal(got, a.T + a.T)


def test_run_zero_d_input_is_read_once(backend):
    a = np.arange(100, dtype=np.int32)
    got, = run_op(backend, "maximum", backend.from_numpy(a), backend.from_numpy(np.array(42, dtype=np.int32)), out_dtypes=[np.int32])
    np.testing.assert_array_equal(got, np.maximum(a, 42))
    assert "constexpr int KIND1 = 1;" in backend.sources[-1]  # BCAST


def test_run_into_strided_output_of_another_dtype(backend):
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    out = backend.from_numpy(np.zeros((3, 8), dtype=np.float64))
    view = out[:, ::2]
    run_op(backend, "square", backend.from_numpy(a), outs=(view,))
    want = np.zeros((3, 8))
    want[:, ::2] = a.astype(np.float64) ** 2
    np.testing.assert_array_equal(backend.to_numpy(out), want)


def test_run_two_outputs(backend):
    a = np.array([-7.5, 7.5, -0.0, np.inf, 3.0], dtype=np.float32)
    b = np.array([2.0, -2.0, 3.0, 2.0, 0.0], dtype=np.float32)
    q, r = run_op(backend, "divmod", backend.from_numpy(a), backend.from_numpy(b), out_dtypes=[np.float32, np.float32])
    with np.errstate(all="ignore"):
        wq, wr = np.divmod(a, b)
    np.testing.assert_array_equal(q, wq)
    np.testing.assert_array_equal(r, wr)
    m, e = run_op(backend, "frexp", backend.from_numpy(np.array([0.5, 3.0, -10.0, 0.0], dtype=np.float64)),
                  out_dtypes=[np.float64, np.int32])
    wm, we = np.frexp(np.array([0.5, 3.0, -10.0, 0.0]))
    np.testing.assert_array_equal(m, wm)
    np.testing.assert_array_equal(e, we)


@pytest.mark.parametrize("src, dst", [("complex128", "float32"), ("float64", "int16"), ("bool", "complex64"),
                                      ("float16", "uint8"), ("uint64", "float16")])
def test_run_cast(backend, src, dst):
    v = values(np.dtype(src))
    if np.dtype(src).kind in "fc" and np.dtype(dst).kind in "iu":
        v = v[np.isfinite(v) & (np.abs(v) < 100)]
    got, = run_op(backend, "cast", backend.from_numpy(v), out_dtypes=[dst])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(got, v.astype(dst))


def test_run_overlapping_output_copies_the_input_first(backend):
    a = np.arange(10, dtype=np.int64)
    x = backend.from_numpy(a.copy())
    run_op(backend, "add", x[:-1], 100, outs=(x[1:],))   # x[1:] = x[:-1] + 100, as NumPy (no chaining)
    want = a.copy()
    want[1:] = a[:-1] + 100
    np.testing.assert_array_equal(backend.to_numpy(x), want)
    y = backend.from_numpy(a.copy())
    run_op(backend, "add", y, 1, outs=(y,))              # in place, same layout: no copy needed
    np.testing.assert_array_equal(backend.to_numpy(y), a + 1)


def test_run_misaligned_pointers_do_not_vectorize(backend):
    raw = backend.from_numpy(np.zeros(101, dtype=np.float32))
    a = raw[1:]                                           # 4 bytes past a 16-byte boundary
    run_op(backend, "add", backend.from_numpy(np.ones(100, dtype=np.float32)), 1.0, outs=(a,))
    np.testing.assert_array_equal(backend.to_numpy(raw)[1:], 2.0)
    assert "constexpr int VEC = 1;" in backend.sources[-1]


def test_run_64_bit_indices(backend, monkeypatch):
    monkeypatch.setattr(ew, "_INT32_MAX", 50)
    a = np.arange(120, dtype=np.float32).reshape(12, 10)
    got, = run_op(backend, "negative", backend.from_numpy(a)[::2], out_dtypes=[np.float32])
    np.testing.assert_array_equal(got, -a[::2])
    assert "using index_t = int64_t;" in backend.sources[-1]
    got, = run_op(backend, "negative", backend.from_numpy(a), out_dtypes=[np.float32])
    np.testing.assert_array_equal(got, -a)


def test_run_empty_launches_nothing(backend):
    n = len(backend.sources)
    got, = run_op(backend, "add", backend.from_numpy(np.zeros((0, 3))), backend.from_numpy(np.zeros((0, 3))), out_dtypes=[np.float64])
    assert got.shape == (0, 3) and len(backend.sources) == n


def test_run_rejects_ops_numpy_lacks(backend):
    with pytest.raises(TypeError, match="cbrt"):
        run_op(backend, "cbrt", backend.from_numpy(np.ones(3, dtype=np.complex64)), out_dtypes=[np.complex64])


# ---- the same ops on the GPU (skipped without one) --------------------------------------------------

@pytest.fixture(scope="module")
def gpu():
    """The GPU backend, with every example instantiation compiled up front in parallel (the run-time
    compilers release the GIL): the op tests below then only load modules."""
    b = _gpu_backend()
    from rdnarray._backend import driver
    rtc = driver.load_rtc(b.real.driver.vendor)
    sources = [s for s, _ in ew.examples()]
    with ThreadPoolExecutor(os.cpu_count() or 4) as pool:
        list(pool.map(lambda s: compiler.compile(s, "rp_elementwise", (), b.props["arch"], rtc), sources))
    return b


def _gpu_cases():
    for key in KEYS:
        if key[0] == "op" and len(key) == 2 + _ops.ALL[key[1]].nin and all(d in ew._EXAMPLE_DTYPES for d in key[2:]) \
                and len(set(key[2:])) == 1:
            yield pytest.param(key, id="-".join([key[1]] + [d.name for d in key[2:]]))


@pytest.mark.parametrize("key", list(_gpu_cases()))
def test_op_on_gpu(gpu, key):
    op, xs = _ops.ALL[key[1]], key[2:]
    args = op_args(op, xs)
    want = expected(op, args)
    t = ew._resolve(op, xs, None)
    outs = tuple(gpu.empty(args[0].shape, dt) for dt in t.r)
    ew.run(gpu, op, tuple(gpu.from_numpy(a) for a in args), outs)
    check_op(op, xs, args, [gpu.to_numpy(o) for o in outs], want)
