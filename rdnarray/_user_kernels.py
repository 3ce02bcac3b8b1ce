"""User kernels with CuPy's API: ``ElementwiseKernel``, ``ReductionKernel``, ``RawKernel``, ``RawModule``.

    add_mul = rp.ElementwiseKernel("T x, T y, float32 a", "T z", "z = a * x + y", "axpy")
    z = add_mul(x, y, 2.0)                          # broadcasts x and y; T is their dtype
    l2 = rp.ReductionKernel("T x", "T y", "x * x", "a + b", "y = sqrt(a)", "0", "l2norm")
    n = l2(x, axis=1)
    k = rp.RawKernel(r'extern "C" __global__ void f(float* x, int n) {...}', "f")
    k((blocks,), (256,), (x, np.int32(n)))        # GPU arrays only

The C++ is HIP's dialect, which NVRTC also compiles, behind rdnarray's prelude (src_hip/prelude.h):
int8_t .. uint64_t, ``rp::half`` (float16), ``rp::complex<float/double>``. ElementwiseKernel and
ReductionKernel fill the templates src_hip/user_elementwise.hip and user_reduction.hip.

Parameters are written ``[raw] type name``: ``type`` is a dtype name (float32, int64, bool, ...) or a
one-letter placeholder (T) that takes the dtype of the arrays passed for it (all equal, or TypeError);
a placeholder that only scalars fill takes the scalar's dtype (Python int -> int64, float -> float64).
An array passed for a typed parameter must have exactly that dtype; scalars are converted to it.
Non-raw arrays broadcast together; ``raw`` ones are passed whole (``x[i]`` by flat index, ``x.size()``).

On a GPU the source is compiled for the device (cached in memory and on disk). On the CPU the very same
source is compiled with the host's C++ compiler (``$CXX``, else g++, else clang++) into a shared object
(cached on disk by a hash of everything that goes into it) and run on one thread, so kernels written
for the GPU give the same answers on CPU arrays; device-only code (warp intrinsics, ``blockIdx``) does
not compile there. Without a C++ compiler, CPU arrays raise NotImplementedError. RawKernel needs a GPU.
"""
import functools
import math
import re
from collections import namedtuple

import numpy as np

from . import _host_kernels
from ._backend.kernels import fill
from ._core import dtypes as _dt
from ._core.devices import default_device
from ._core.elementwise import broadcast_shapes
from ._core.ndarray import ndarray
from ._core.views import broadcast_to, is_c_contiguous, normalize_axes

__all__ = ["ElementwiseKernel", "ReductionKernel", "RawKernel", "RawModule"]

# ---- parameters -------------------------------------------------------------------------------------

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Names that mean one type in C and another in NumPy: refused rather than silently taken as NumPy's.
_AMBIGUOUS = {"float": "float32 or float64", "int": "int32 or int64", "uint": "uint32 or uint64",
              "long": "int64", "ulong": "uint64", "complex": "complex64 or complex128"}


class Param(namedtuple("Param", "name dtype placeholder raw")):
    """One kernel parameter: ``dtype`` (numpy.dtype) or ``placeholder`` (a letter), and ``raw``."""
    __slots__ = ()


def parse_params(text, kernel, what):
    """``'T x, raw float32 y'`` as a tuple of Param; ValueError naming the kernel on bad syntax."""
    if not text or not text.strip():
        return ()
    params = []
    for item in text.split(","):
        words = item.split()
        if len(words) < 2:
            raise ValueError(f"{kernel}: {what} parameter {item.strip()!r} needs a type and a name")
        *mods, t, name = words
        if any(m != "raw" for m in mods):
            raise ValueError(f"{kernel}: unknown keyword in {what} parameter {item.strip()!r} (only 'raw')")
        if not _IDENT.match(name) or name == "i" or name.startswith("_rp") or name.startswith("_ind"):
            raise ValueError(f"{kernel}: {name!r} cannot name a parameter (reserved or not an identifier)")
        if len(t) == 1 and t.isalpha():
            params.append(Param(name, None, t, bool(mods)))
            continue
        if t in _AMBIGUOUS:
            raise ValueError(f"{kernel}: the type {t!r} of {name} is ambiguous (C and NumPy differ); "
                             f"write {_AMBIGUOUS[t]}")
        try:
            dt = _dt.normalize(t)
        except TypeError:
            raise ValueError(f"{kernel}: unknown type {t!r} of parameter {name} (a NumPy dtype name such "
                             f"as float32, or a one-letter type placeholder)") from None
        params.append(Param(name, dt, None, bool(mods)))
    return tuple(params)


def _check_names(kernel, *groups):
    seen = set()
    for p in (p for g in groups for p in g):
        if p.name in seen:
            raise ValueError(f"{kernel}: parameter name {p.name!r} is used twice")
        seen.add(p.name)


def _check_kernel_name(name):
    if not isinstance(name, str) or not _IDENT.match(name) or name.startswith("_rp"):
        raise ValueError(f"invalid kernel name {name!r}: a C identifier is needed")


# ---- arguments ----------------------------------------------------------------------------------------

_SCALAR_TYPES = (bool, int, float, complex, np.generic)


def scalar_dtype(v):
    """The dtype a scalar argument has when nothing else decides: NumPy's for NumPy scalars, int64 /
    float64 / complex128 / bool for Python's (uint64 for ints from 2**63, as CuPy)."""
    if isinstance(v, np.generic):
        return _dt.normalize(v.dtype)
    if isinstance(v, bool):
        return np.dtype(np.bool_)
    if isinstance(v, int):
        return np.dtype(np.uint64 if v >= 2**63 else np.int64)
    if isinstance(v, float):
        return np.dtype(np.float64)
    return np.dtype(np.complex128)


def _classify(kernel, params, args, what):
    """Check each argument is an array or a scalar, as its parameter allows."""
    for p, a in zip(params, args):
        if isinstance(a, ndarray):
            continue
        if not isinstance(a, _SCALAR_TYPES):
            raise TypeError(f"{kernel}: {what} {p.name} must be an rdnarray array or a scalar, not "
                            f"{type(a).__module__}.{type(a).__name__} (convert it with rdnarray.asarray)")
        if p.raw:
            raise TypeError(f"{kernel}: raw parameter {p.name} needs an array, got a scalar")


def _device_of(kernel, args):
    device = None
    for a in args:
        if isinstance(a, ndarray):
            if device is None:
                device = a.device
            elif a.device != device:
                raise ValueError(f"{kernel}: arrays are on different devices ({device} and {a.device}); "
                                 f"move them with to_device()")
    return default_device() if device is None else device


def resolve_types(kernel, in_params, out_params, in_args, out_args):
    """(input dtypes, output dtypes, {placeholder: dtype}) by CuPy's rules (see the module docstring)."""
    bound = {}

    def bind(p, dt):
        if p.dtype is not None:
            if dt != p.dtype:
                raise TypeError(f"{kernel}: parameter {p.name} is {p.dtype}, but the array passed for it "
                                f"has dtype {dt}")
        elif bound.setdefault(p.placeholder, dt) != dt:
            raise TypeError(f"{kernel}: type {p.placeholder} is {bound[p.placeholder]}, but the array passed "
                            f"for {p.name} has dtype {dt}")

    for p, a in zip(out_params, out_args):
        bind(p, a.dtype)
    for p, a in zip(in_params, in_args):
        if isinstance(a, ndarray):
            bind(p, a.dtype)
    for p, a in zip(in_params, in_args):
        if p.placeholder is not None and not isinstance(a, ndarray):
            bound.setdefault(p.placeholder, scalar_dtype(a))
    for p in out_params:
        if p.dtype is None and p.placeholder not in bound:
            raise TypeError(f"{kernel}: cannot tell the type {p.placeholder} of output {p.name}: no input "
                            f"has it; pass the output array")
    return (tuple(p.dtype if p.dtype is not None else bound[p.placeholder] for p in in_params),
            tuple(p.dtype if p.dtype is not None else bound[p.placeholder] for p in out_params),
            bound)


def _scalar_value(kernel, p, v, dt):
    """Scalar ``v`` converted to ``dt`` (NumPy's assignment rules: out-of-range Python ints raise)."""
    try:
        return np.asarray(v).astype(dt) if isinstance(v, np.generic) else np.asarray(v, dtype=dt)
    except (OverflowError, TypeError, ValueError) as e:
        raise type(e)(f"{kernel}: scalar {v!r} for parameter {p.name} does not fit {dt}: {e}") from None


def _check_outputs(kernel, params, outs, shape, device):
    for p, o in zip(params, outs):
        if not isinstance(o, ndarray):
            raise TypeError(f"{kernel}: output {p.name} must be an rdnarray array, not {type(o).__name__}")
        if o.device != device:
            raise ValueError(f"{kernel}: output {p.name} is on {o.device}, the inputs on {device}")
        if o.data.readonly:
            raise ValueError(f"{kernel}: output {p.name} is read-only")
        if shape is not None and not p.raw and o.shape != shape:
            raise ValueError(f"{kernel}: output {p.name} has shape {o.shape}, but the kernel's shape is {shape}")


# ---- C++ generation ---------------------------------------------------------------------------------

@functools.cache
def _ctype_table():
    from ._backend.kernels.ctypes import CTYPE
    return CTYPE


def ctype(dt):
    """The C++ name of dtype ``dt`` in kernels (``float``, ``rp::half``, ``rp::complex<double>``, ...)."""
    return _ctype_table()[np.dtype(dt)]


# struct format of one scalar kernel parameter of each dtype (complex: two floats).
_FMT = {"?": "B", "b": "b", "B": "B", "h": "h", "H": "H", "i": "i", "I": "I", "l": "q", "q": "q",
        "L": "Q", "Q": "Q", "e": "e", "f": "f", "d": "d", "F": "2f", "D": "2d"}


def scalar_arg(value):
    """(struct format, values) of a 0-d NumPy array or NumPy scalar passed by value."""
    v = np.asarray(value)
    fmt = _FMT[v.dtype.char]
    if v.dtype.kind == "c":
        c = complex(v)
        return fmt, (c.real, c.imag)
    return fmt, (v.item() if v.dtype.kind != "b" else int(v),)


def _typedefs(bound):
    return "".join(f"typedef {ctype(dt)} {k};\n" for k, dt in sorted(bound.items()))


def _index_t(n):
    return "int32_t" if n < 2**31 else "int64_t"


def collapse(shape, strides_lists):
    """(shape, strides lists) with length-1 axes dropped and neighbours merged where every array steps
    through them as through one axis; at least one axis."""
    keep = [d for d, n in enumerate(shape) if n != 1]
    out_shape = []
    out_strides = [[] for _ in strides_lists]
    for d in keep:
        if out_shape and all(s[-1] == st[d] * shape[d] for s, st in zip(out_strides, strides_lists)):
            out_shape[-1] *= shape[d]
            for s, st in zip(out_strides, strides_lists):
                s[-1] = st[d]
            continue
        out_shape.append(shape[d])
        for s, st in zip(out_strides, strides_lists):
            s.append(st[d])
    if not out_shape:
        return (1,), [(0,) for _ in strides_lists]
    return tuple(out_shape), [tuple(s) for s in out_strides]


def _ptr(x):
    return x._buffer.ptr + x._offset


def _raw_layout(x):
    """(ndim, C-contiguous, shape + strides) of an array passed to a raw parameter (0-d as 1-d)."""
    shape, strides = (x.shape, x.strides) if x.ndim else ((1,), (0,))
    return len(shape), is_c_contiguous(x), tuple(shape) + tuple(strides)


# ---- running: GPU launch or host shared object ------------------------------------------------------

class Launch:
    """One kernel call: its source, name, options and arguments (``fmt`` groups and their values)."""
    __slots__ = ("source", "name", "options", "args")

    def __init__(self, source, name, options):
        self.source, self.name, self.options = source, name, tuple(options)
        self.args = []  # (struct format of one kernel parameter, its values)

    def arg(self, fmt, *values):
        self.args.append((fmt, values))

    def run(self, device, grid, block, shared_mem=0):
        if device.kind == "cpu":
            _host_kernels.run(self.source, self.name, self.options, self.args, grid[0])
            return
        backend = device.backend
        f = backend.function(self.source, self.name, self.options)
        f.launch(grid, block, shared_mem, backend.stream, tuple(v for _, vs in self.args for v in vs),
                 "".join(fmt for fmt, _ in self.args))


def _grid(device, n, block, per_unit=32):
    """Blocks for ``n`` work items of ``block`` threads: enough to fill the device, for grid-stride loops."""
    units = device.backend.props.get("compute_units", 1) if device.kind != "cpu" else 1
    return max(1, min(-(-n // block), units * per_unit, 2**31 - 1))


# ---- ElementwiseKernel ----------------------------------------------------------------------------

def _scalar_key(a):
    """What of a scalar argument decides its kernel's types: its type (NumPy's dtype; for Python ints,
    whether they need uint64); anything else is rejected later by _classify."""
    if isinstance(a, np.generic):
        return a.dtype
    return (int, a >= 2**63) if type(a) is int else type(a)


class _Plan:
    """What one kind of ElementwiseKernel call needs besides the pointers and scalar values: the device,
    dtypes, loop shape (and collapsed), per parameter its (format, values) of strides/layout (None for
    a scalar), and the source."""
    __slots__ = ("device", "params", "types", "out_types", "shape", "n", "lshape", "nd", "layouts", "source")

    def __init__(self, device, params, types, out_types, shape, n):
        self.device, self.params, self.types, self.out_types, self.shape, self.n = \
            device, params, types, out_types, shape, n
        self.lshape, self.nd, self.layouts, self.source = None, 0, [], None


class ElementwiseKernel:
    """A kernel that runs ``operation`` (C++ statements) for every element of the broadcast arguments.

    ``ElementwiseKernel(in_params, out_params, operation, name='kernel', reduce_dims=True, preamble='',
    no_return=False, return_tuple=False, loop_prep='', after_loop='', options=())``, as CuPy's. Called
    as ``k(*inputs[, *outputs], size=None, block_size=None)``: ``size`` gives the loop length when every
    array is raw; outputs not passed are allocated with the broadcast shape and their parameter's dtype.
    In ``operation``, ``i`` is the flat C-order index and ``_ind.size()`` the number of indices.
    """

    def __init__(self, in_params, out_params, operation, name="kernel", reduce_dims=True, preamble="",
                 no_return=False, return_tuple=False, loop_prep="", after_loop="", options=()):
        _check_kernel_name(name)
        self.name = self.__name__ = name
        self.in_params = parse_params(in_params, name, "input")
        self.out_params = parse_params(out_params, name, "output")
        _check_names(name, self.in_params, self.out_params)
        if not self.out_params:
            raise ValueError(f"{name}: an ElementwiseKernel needs at least one output parameter")
        self.nin, self.nout = len(self.in_params), len(self.out_params)
        self.nargs = self.nin + self.nout
        self.operation = operation
        self.reduce_dims = bool(reduce_dims)
        self.preamble = preamble
        self.no_return = bool(no_return)
        self.return_tuple = bool(return_tuple)
        self.loop_prep = loop_prep
        self.after_loop = after_loop
        self.options = tuple(options)
        self._sources = {}
        self._plans = {}

    def __repr__(self):
        return f"<rdnarray.ElementwiseKernel {self.name!r}>"

    def __call__(self, *args, size=None, block_size=None):
        launch, device, outs, n, block = self._prepare(args, size, block_size)
        if launch is not None:
            launch.run(device, (_grid(device, n, block), 1, 1), (block, 1, 1))
        if self.no_return:
            return None
        return outs[0] if self.nout == 1 and not self.return_tuple else tuple(outs)

    def _prepare(self, args, size, block_size):
        """Everything up to the launch: (Launch or None when there is nothing to do, device, outputs,
        loop length, block size). The work that depends only on the arguments' dtypes, shapes, strides
        and devices (types, broadcasting, layout, source) is a _Plan, cached by those."""
        name = self.name
        if len(args) not in (self.nin, self.nargs):
            raise TypeError(f"{name}: takes {self.nin} inputs (and optionally {self.nout} outputs), "
                            f"{len(args)} arguments given")
        block = 128 if block_size is None else int(block_size)
        if block <= 0:
            raise ValueError(f"{name}: block_size must be positive, got {block_size}")
        sig = (size, tuple([(a.dtype, a.shape, a._strides, a._buffer.device, a._buffer.readonly)
                            if type(a) is ndarray else _scalar_key(a) for a in args]))
        plan = self._plans.get(sig)
        if plan is None:
            plan = self._plan(args, size)
            if len(self._plans) > 256:
                self._plans.clear()
            self._plans[sig] = plan
        device, n = plan.device, plan.n
        outs = list(args[self.nin:]) or [device.backend.empty(plan.shape, dt) for dt in plan.out_types]
        if n == 0:
            return None, device, outs, 0, block
        launch = Launch(plan.source, name, self.options)
        launch.arg(f"{plan.nd}q", *plan.lshape)
        launch.arg("q", n)
        for k, a in enumerate(args[:self.nin] + tuple(outs) if len(args) == self.nin else args):
            layout = plan.layouts[k]
            if layout is None:
                fmt, values = scalar_arg(_scalar_value(name, plan.params[k], a, plan.types[k]))
                launch.arg(fmt, *values)
            else:
                launch.arg("P", _ptr(a))
                launch.arg(layout[0], *layout[1])
        return launch, device, outs, n, block

    def _plan(self, args, size):
        """The _Plan of a call with these arguments (checks them all)."""
        name = self.name
        ins, outs = list(args[:self.nin]), list(args[self.nin:])
        params = self.in_params + self.out_params
        _classify(name, self.in_params, ins, "input")
        device = _device_of(name, args)
        if outs:
            _check_outputs(name, self.out_params, outs, None, device)
        in_types, out_types, bound = resolve_types(name, self.in_params, self.out_params, ins, outs)

        # The loop shape: the broadcast of every non-raw array (outputs included), or (size,).
        shapes = [a.shape for p, a in zip(params, ins + outs) if isinstance(a, ndarray) and not p.raw]
        if size is not None:
            if shapes:
                raise ValueError(f"{name}: size= can be given only when every array argument is raw")
            shape = (int(size),)
        elif not shapes:
            raise ValueError(f"{name}: the loop size is undecided (every array is raw): pass size=")
        else:
            shape = broadcast_shapes(tuple(shapes), name)
        if outs:
            _check_outputs(name, self.out_params, outs, shape, device)
        else:
            for p in self.out_params:
                if p.raw and size is None:
                    raise ValueError(f"{name}: the size of raw output {p.name} is undecided: pass it or size=")
            outs = [device.backend.empty(shape, dt) for dt in out_types]  # stand-ins: their layout
        n = math.prod(shape)
        types = in_types + out_types
        plan = _Plan(device, params, types, out_types, shape, n)
        if n == 0:
            return plan

        # Layout of the non-raw arrays over the loop shape, collapsed.
        args = ins + outs
        arrays = [k for k, (p, a) in enumerate(zip(params, args)) if isinstance(a, ndarray) and not p.raw]
        strides = [args[k].strides if args[k].shape == shape else broadcast_to(args[k], shape).strides
                   for k in arrays]
        if self.reduce_dims:
            lshape, strides = collapse(shape, strides)
        else:
            lshape, strides = (shape, strides) if shape else ((1,), [(0,) for _ in arrays])
        stride_of = dict(zip(arrays, strides))
        plan.lshape, plan.nd = lshape, len(lshape)
        kinds = []  # per parameter: 0 an array, None a scalar, (ndim, C-contiguous) a raw array
        for k, (p, a) in enumerate(zip(params, args)):
            if p.raw:
                rnd, contig, layout = _raw_layout(a)
                plan.layouts.append((f"{2 * rnd}q", layout))
                kinds.append((rnd, contig))
            elif isinstance(a, ndarray):
                plan.layouts.append((f"{plan.nd}q", stride_of[k]))
                kinds.append(0)
            else:
                plan.layouts.append(None)
                kinds.append(None)
        key = (tuple(kinds), types, plan.nd, _index_t(n))
        plan.source = self._sources.get(key) or self._source(key, bound)
        return plan

    def _source(self, key, bound):
        """user_elementwise.hip filled for one kind of call (``key`` from _prepare)."""
        kinds, types, nd, index_t = key
        params, raw, bind = [], [], []
        for k, (p, kind) in enumerate(zip(self.in_params + self.out_params, kinds)):
            t, n = p.placeholder or ctype(types[k]), p.name
            if kind is None:
                params.append(f"{t} {n}")
            elif kind == 0:
                const, ref = ("", "&") if k >= self.nin else ("const ", "")
                params.append(f"{const}char* _rp_p_{n}, rp_uk::Dims<{nd}> _rp_s_{n}")
                bind.append(f"{const}{t}{ref} {n} = rp_uk::at<{t}>(_rp_p_{n}, _rp_at.offset(_rp_s_{n}));")
            else:
                rnd, contig = kind
                params.append(f"char* _rp_p_{n}, rp_uk::Layout<{rnd}> _rp_l_{n}")
                raw.append(f"rp_uk::Raw<{t}, {rnd}, {'true' if contig else 'false'}> {n}(_rp_p_{n}, _rp_l_{n});")
        src = self._sources[key] = fill("user_elementwise.hip", {
            "TYPEDEFS": _typedefs(bound), "PREAMBLE": self.preamble, "NAME": self.name,
            "INDEX_T": index_t, "NDIM": str(nd), "PARAMS": "".join(", " + s for s in params),
            "RAW": " ".join(raw), "BIND": "\n        ".join(bind), "LOOP_PREP": self.loop_prep,
            "OPERATION": self.operation, "AFTER_LOOP": self.after_loop})
        return src

    @property
    def cached_codes(self):
        """The sources generated so far (a dict: key -> C++), for debugging."""
        return dict(self._sources)

    def source(self, *args, size=None):
        """The C++ source this call would compile (no launch; outputs not passed are allocated)."""
        launch = self._prepare(args, size, None)[0]
        return None if launch is None else launch.source


# ---- ReductionKernel -------------------------------------------------------------------------------

class ReductionKernel:
    """A reduction: ``map_expr`` of the (broadcast) inputs, combined with ``reduce_expr`` of ``a`` and
    ``b`` over ``axis``, then ``post_map_expr`` (a statement of ``a`` and the outputs) stores the result.

    ``ReductionKernel(in_params, out_params, map_expr, reduce_expr, post_map_expr, identity,
    name='reduce_kernel', reduce_type=None, reduce_dims=True, preamble='', options=())``, as CuPy's.
    ``identity`` (a C++ expression, or None) is the value of an empty reduction: without one, reducing
    zero elements raises ValueError. ``reduce_expr`` must be associative (the order is a tree). Called
    as ``k(*inputs[, *outputs], out=None, axis=None, keepdims=False)``.
    """

    def __init__(self, in_params, out_params, map_expr, reduce_expr, post_map_expr, identity,
                 name="reduce_kernel", reduce_type=None, reduce_dims=True, preamble="", options=()):
        _check_kernel_name(name)
        self.name = self.__name__ = name
        self.in_params = parse_params(in_params, name, "input")
        self.out_params = parse_params(out_params, name, "output")
        _check_names(name, self.in_params, self.out_params)
        if not self.out_params:
            raise ValueError(f"{name}: a ReductionKernel needs at least one output parameter")
        for p in self.in_params + self.out_params:
            if p.raw:
                raise NotImplementedError(f"{name}: raw parameters ({p.name}) are not supported in a "
                                          f"ReductionKernel")
        self.nin, self.nout = len(self.in_params), len(self.out_params)
        self.nargs = self.nin + self.nout
        self.map_expr, self.reduce_expr, self.post_map_expr = map_expr, reduce_expr, post_map_expr
        self.identity = None if identity is None else str(identity)
        self.reduce_type = reduce_type
        self.reduce_dims = bool(reduce_dims)
        self.preamble = preamble
        self.options = tuple(options)
        self._sources = {}
        self._plans = {}
        self._map_prep = ""  # statements before map_expr (rp.fuse puts the fused elementwise work here)

    def __repr__(self):
        return f"<rdnarray.ReductionKernel {self.name!r}>"

    def __call__(self, *args, out=None, axis=None, keepdims=False):
        launches, device, outs, _scratch = self._prepare(args, out, axis, keepdims, None, None)
        for launch, grid, block in launches:
            launch.run(device, (grid, 1, 1), (block, 1, 1))
        return outs[0] if self.nout == 1 else tuple(outs)

    def _reduce_ctype(self, out_types):
        """The C++ type of a and b: reduce_type as written (a C++ type: float, T, a struct of the
        preamble), NumPy names (float32) and dtypes translated; default the first output's type."""
        rt = self.reduce_type
        if rt is None:
            return self.out_params[0].placeholder or ctype(out_types[0])
        if not isinstance(rt, str) or re.fullmatch(r"bool|(u?int|float|complex)\d+", rt):
            return ctype(_dt.normalize(rt))
        return rt

    def _identity(self, out_types):
        """The identity as an initializer of _type_reduce: through rp::cast when that is an element type
        (so that "0" initializes a complex or a half), else as written (a struct of the preamble)."""
        if not self.identity:
            return ""
        if self._reduce_ctype(out_types) in _ctype_table().values() or (
                self.reduce_type is None or self.reduce_type in _PLACEHOLDERS):
            return f"rp::cast<_type_reduce>({self.identity})"
        return self.identity

    def _prepare(self, args, out, axis, keepdims, block_size, parts):
        """([(Launch, grid, block)] (none when there is nothing to do), device, outputs, scratch memory
        that must live until the launches are queued). As for ElementwiseKernel, what depends only on
        the arguments' dtypes, shapes, strides and devices (and axis, ...) is a cached _ReductionPlan."""
        name = self.name
        if len(args) not in (self.nin, self.nargs):
            raise TypeError(f"{name}: takes {self.nin} inputs (and optionally {self.nout} outputs), "
                            f"{len(args)} arguments given")
        if out is not None:
            if self.nout != 1:
                raise ValueError(f"{name}: out= needs a kernel with one output; pass the outputs positionally")
            if len(args) != self.nin:
                raise ValueError(f"{name}: the output was passed both positionally and as out=")
            args = args + (out,)
        sig = (axis if not isinstance(axis, list) else tuple(axis), bool(keepdims), block_size, parts,
               tuple([(a.dtype, a.shape, a._strides, a._buffer.device, a._buffer.readonly)
                      if type(a) is ndarray else _scalar_key(a) for a in args]))
        plan = self._plans.get(sig)
        if plan is None:
            plan = self._plan(args, axis, bool(keepdims), block_size, parts)
            if len(self._plans) > 256:
                self._plans.clear()
            self._plans[sig] = plan
        device = plan.device
        outs = list(args[self.nin:]) or [device.backend.empty(plan.out_shape, dt) for dt in plan.out_types]
        if not plan.launches:
            return [], device, outs, None
        tail = []
        for k, a in enumerate(args[:self.nin] + tuple(outs) if len(args) == self.nin else args):
            layout = plan.layouts[k]
            if layout is None:
                tail.append(scalar_arg(_scalar_value(name, plan.params[k], a, plan.types[k])))
            else:
                tail.append(("P", (_ptr(a),)))
                tail += layout
        scratch = device.backend.empty((plan.scratch,), np.uint8) if plan.scratch else None
        launches = []
        for src, grid, block, head in plan.launches:
            lc = Launch(src, name, self.options)
            lc.args = head + [("P", (0 if scratch is None else _ptr(scratch),))] + tail
            launches.append((lc, grid, block))
        return launches, device, outs, scratch

    def _plan(self, args, axis, keepdims, block_size, parts):
        """The _ReductionPlan of a call with these arguments (checks them all)."""
        name = self.name
        ins, outs = list(args[:self.nin]), list(args[self.nin:])
        _classify(name, self.in_params, ins, "input")
        device = _device_of(name, ins + outs)
        if outs:
            _check_outputs(name, self.out_params, outs, None, device)
        in_types, out_types, bound = resolve_types(name, self.in_params, self.out_params, ins, outs)

        arrays = [(p, a) for p, a in zip(self.in_params, ins) if isinstance(a, ndarray)]
        shape = broadcast_shapes(tuple(a.shape for _, a in arrays), name) if arrays else ()
        axes = normalize_axes(axis, len(shape), name)
        kept = [d for d in range(len(shape)) if d not in axes]
        out_shape = tuple(1 if d in axes else shape[d] for d in range(len(shape))) if keepdims \
            else tuple(shape[d] for d in kept)
        if outs:
            _check_outputs(name, self.out_params, outs, out_shape, device)
        else:
            outs = [device.backend.empty(out_shape, dt) for dt in out_types]  # stand-ins: their layout
        plan = _ReductionPlan(device, self.in_params + self.out_params, in_types + out_types, out_types, out_shape)
        n_out = math.prod(shape[d] for d in kept)
        n_red = math.prod(shape[d] for d in axes)
        if n_out == 0:
            return plan
        if n_red == 0 and self.identity is None:
            raise ValueError(f"{name}: zero-size reduction (shape {shape}, axis {axis}) and the kernel has "
                             f"no identity")

        # Inputs as (kept axes, reduced axes); outputs over the kept axes.
        in_strides = [broadcast_to(a, shape).strides if a.shape != shape else a.strides for _, a in arrays]
        kept_shape = tuple(shape[d] for d in kept)
        red_shape = tuple(shape[d] for d in axes)
        out_strides = [tuple(s for d, s in enumerate(o.strides) if not (keepdims and d in axes)) for o in outs]
        kept_lists = [tuple(s[d] for d in kept) for s in in_strides] + out_strides
        red_lists = [tuple(s[d] for d in axes) for s in in_strides]
        if self.reduce_dims:
            kshape, kept_lists = collapse(kept_shape, kept_lists)
            rshape, red_lists = collapse(red_shape, red_lists)
        else:
            kshape, rshape = kept_shape or (1,), red_shape or (1,)
            kept_lists = [s or (0,) for s in kept_lists]
            red_lists = [s or (0,) for s in red_lists]
        ond, rnd = len(kshape), len(rshape)

        if device.kind == "cpu" and block_size is None:
            block, stride = 1, 1  # the host build runs blocks of one thread
        else:
            block = 256 if block_size is None else int(block_size)
            stride = _block_stride(block, n_red, kshape, kept_lists[:len(arrays)], [a.itemsize for _, a in arrays])
        out_blocks = -(-n_out // stride)
        if parts is None:
            parts = _parts(device, out_blocks, n_red, block // stride)

        # Per-parameter layouts and C++, common to every pass.
        params, bind, out_bind, kinds = [], [], [], []
        k = 0
        for p, a, dt in zip(self.in_params, ins, in_types):
            t = p.placeholder or ctype(dt)
            if isinstance(a, ndarray):
                params.append(f"const char* _rp_p_{p.name}, rp_uk::Dims<{ond}> _rp_so_{p.name}, "
                              f"rp_uk::Dims<{rnd}> _rp_sr_{p.name}")
                bind.append(f"const {t} {p.name} = rp_uk::at<{t}>(_rp_p_{p.name}, _rp_out_at.offset("
                            f"_rp_so_{p.name}) + _rp_red_at.offset(_rp_sr_{p.name}));")
                plan.layouts.append([(f"{ond}q", kept_lists[k]), (f"{rnd}q", red_lists[k])])
                k += 1
                kinds.append("array")
            else:
                params.append(f"{t} {p.name}")
                plan.layouts.append(None)
                kinds.append("scalar")
        for j, (p, o, dt) in enumerate(zip(self.out_params, outs, out_types)):
            t = p.placeholder or ctype(dt)
            params.append(f"char* _rp_p_{p.name}, rp_uk::Dims<{ond}> _rp_s_{p.name}")
            out_bind.append(f"{t}& {p.name} = rp_uk::at<{t}>(_rp_p_{p.name}, _rp_out_at.offset(_rp_s_{p.name}));")
            plan.layouts.append([(f"{ond}q", kept_lists[len(arrays) + j])])
        index_t = _index_t(max(n_out, n_red))
        rt = self._reduce_ctype(out_types)
        item = _ITEMSIZE.get(rt, 64)
        head = [(f"{ond}q", kshape), (f"{rnd}q", rshape), ("q", (n_out,)), ("q", (n_red,)), ("i", (stride,)),
                ("q", (parts,))]

        def launch(pass_, grid):
            key = (tuple(kinds), in_types, out_types, tuple(sorted(bound.items())), ond, rnd, block, index_t,
                   pass_, item)
            src = self._sources.get(key)
            if src is None:
                src = self._sources[key] = fill("user_reduction.hip", {
                    "TYPEDEFS": _typedefs(bound), "PREAMBLE": self.preamble, "NAME": name,
                    "INDEX_T": index_t, "REDUCE_T": rt, "OUT_NDIM": str(ond), "RED_NDIM": str(rnd),
                    "BLOCK": str(block), "PASS": str(pass_), "ITEM": str(item),
                    "REDUCE_EXPR": self.reduce_expr, "PARAMS": "".join(", " + s for s in params),
                    "BIND": "\n                ".join(bind + [self._map_prep]), "MAP_EXPR": self.map_expr,
                    "IDENTITY": self._identity(out_types), "OUT_BIND": "\n            ".join(out_bind),
                    "POST_MAP": self.post_map_expr})
            return src, grid, block, head

        if parts > 1:
            plan.scratch = n_out * parts * (item + 1)
            plan.launches = [launch(1, out_blocks * parts), launch(2, _grid(device, out_blocks, 1))]
        else:
            plan.launches = [launch(0, _grid(device, out_blocks, 1))]
        return plan

    @property
    def cached_codes(self):
        return dict(self._sources)

    def source(self, *args, out=None, axis=None, keepdims=False, block_size=None, parts=1):
        """The C++ source this call would compile for a GPU (block of 256 unless given; no launch); with
        ``parts`` > 1, the sources of the two passes of a split reduction, joined."""
        launches = self._prepare(args, out, axis, keepdims, 256 if block_size is None else block_size, parts)[0]
        return "\n".join(lc.source for lc, _, _ in launches) or None

    def _run(self, *args, out=None, axis=None, keepdims=False, parts=None):
        """__call__ with the range split into ``parts`` (for tests of split reductions on any device)."""
        launches, device, outs, _scratch = self._prepare(args, out, axis, keepdims, None, parts)
        for launch, grid, block in launches:
            launch.run(device, (grid, 1, 1), (block, 1, 1))
        return outs[0] if self.nout == 1 else tuple(outs)


class _ReductionPlan:
    """A ReductionKernel call without its pointers and scalar values: device, parameters and dtypes,
    output shape, per parameter its stride arguments (None for a scalar), the launches as (source,
    grid, block, leading arguments) and the bytes of scratch memory a split reduction needs."""
    __slots__ = ("device", "params", "types", "out_types", "out_shape", "layouts", "launches", "scratch")

    def __init__(self, device, params, types, out_types, out_shape):
        self.device, self.params, self.types, self.out_types, self.out_shape = \
            device, params, types, out_types, out_shape
        self.layouts, self.launches, self.scratch = [], [], 0


_PLACEHOLDERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# Bytes of a partial value of a split reduction, by C++ type; other types (a struct of the preamble)
# get 64, which user_reduction.hip checks with a static_assert.
_ITEMSIZE = {"bool": 1, "int8_t": 1, "uint8_t": 1, "int16_t": 2, "uint16_t": 2, "rp::half": 2, "int32_t": 4,
             "uint32_t": 4, "float": 4, "int64_t": 8, "uint64_t": 8, "double": 8, "rp::complex<float>": 8,
             "rp::complex<double>": 16}


def _parts(device, out_blocks, n_red, reducers):
    """Into how many parts to split the range when the outputs alone would leave the GPU idle (fewer
    blocks than twice its compute units) and each part still gets 8 elements per reducer: a full
    reduction of 10**7 elements takes one block ~10 ms, a split one two launches of ~20 us."""
    if device.kind == "cpu":
        return 1
    units = device.backend.props.get("compute_units", 1)
    if out_blocks >= 2 * units:
        return 1
    return max(1, min(-(-4 * units // out_blocks), n_red // (8 * reducers), 1024))


def _block_stride(block, n_red, kshape, in_kept_strides, itemsizes):
    """Outputs per block (a power of two): enough that the reducers are not idle when the reduction is
    short, and at least the run of outputs that lie contiguous in memory (up to 32), so that the
    threads of a warp read neighbouring elements (CuPy's _get_block_specs)."""
    contiguous = 1
    for strides, size in zip(in_kept_strides, itemsizes):
        run = 1
        for n, s in zip(reversed(kshape), reversed(strides)):
            if s != run * size:
                break
            run *= n
        contiguous = max(contiguous, run)
    stride = max(min(contiguous, 32), block // max(1, n_red))
    p = 1
    while p * 2 <= min(stride, block):
        p *= 2
    return p


# ---- RawKernel, RawModule -------------------------------------------------------------------------

_PRELUDE = '#include "prelude.h"\n#include "complex.h"\n'


def _raw_arg(kernel, k, a):
    """(struct format, values) of argument ``k`` of a RawKernel call."""
    if isinstance(a, ndarray):
        return "P", (_ptr(a),)
    if isinstance(a, np.generic):
        return scalar_arg(a)
    if isinstance(a, (bool, int, float, complex)):
        return scalar_arg(np.asarray(a, dtype=scalar_dtype(a)))
    raise TypeError(f"{kernel}: argument {k} must be an rdnarray array or a scalar, not {type(a).__name__}")


def _dim3(v, what, kernel):
    t = (v,) if isinstance(v, int) else tuple(v)
    if not 1 <= len(t) <= 3 or any(not isinstance(n, int) or n < 1 for n in t):
        raise ValueError(f"{kernel}: {what} must be 1 to 3 positive ints, got {v!r}")
    return t + (1,) * (3 - len(t))


class RawKernel:
    """A kernel from HIP/CUDA C++ source, launched on GPU arrays: ``RawKernel(code, name, options=())``,
    called as ``k(grid, block, args, shared_mem=0)`` (CuPy's API).

    ``code`` must declare ``extern "C" __global__ void name(...)``; rdnarray's prelude is included first
    (int8_t .. uint64_t, ``rp::half``, ``rp::complex<T>``), so the same source compiles with NVRTC and
    hiprtc; pass ``prelude=False`` to compile ``code`` exactly as given. Arguments: arrays pass the
    address of their element [0, ...] (strides are the kernel's business, as in CuPy); NumPy scalars
    pass their exact type; Python bool, int and float pass bool, int64 and float64 (so write
    ``np.int32(n)`` for an ``int`` parameter). Needs a GPU: CPU arrays raise RuntimeError.
    """

    def __init__(self, code, name, options=(), backend=None, *, translate_cucomplex=False,
                 enable_cooperative_groups=False, jitify=False, prelude=True):
        _check_kernel_name(name)
        if translate_cucomplex or enable_cooperative_groups or jitify:
            raise NotImplementedError(f"{name}: translate_cucomplex, enable_cooperative_groups and jitify "
                                      f"are not supported")
        if backend not in (None, "nvrtc", "hiprtc"):
            raise ValueError(f"{name}: backend must be 'nvrtc' or 'hiprtc' (the device's run-time compiler "
                             f"is used either way), not {backend!r}")
        self.code = code
        self.name = self.__name__ = name
        self.options = tuple(options)
        self.source = (_PRELUDE + code) if prelude else code

    def __repr__(self):
        return f"<rdnarray.RawKernel {self.name!r}>"

    def __call__(self, grid, block, args, *, shared_mem=0):
        name = self.name
        grid, block = _dim3(grid, "grid", name), _dim3(block, "block", name)
        if not isinstance(args, (tuple, list)):
            raise TypeError(f"{name}: args must be a tuple of arrays and scalars")
        device = _device_of(name, args)
        if device.kind == "cpu":
            raise RuntimeError(f"{name}: a RawKernel runs on a GPU, but its arrays are on the CPU (or no "
                               f"GPU is the default device); move them with to_device('gpu')")
        launch = Launch(self.source, name, self.options)
        for k, a in enumerate(args):
            fmt, values = _raw_arg(name, k, a)
            launch.arg(fmt, *values)
        launch.run(device, grid, block, int(shared_mem))

    def compile(self, device=None):
        """Compile now for ``device`` (default: the default device), instead of at the first call."""
        from ._core.devices import as_device
        device = as_device(device)
        if device.kind == "cpu":
            raise RuntimeError(f"{self.name}: a RawKernel compiles for a GPU; {device} is not one")
        return device.backend.function(self.source, self.name, self.options)


class RawModule:
    """Several kernels of one source: ``RawModule(code=..., options=())``, ``m.get_function(name)``
    gives a RawKernel (CuPy's API; ``path=`` and ``name_expressions=`` are not supported: kernels are
    compiled from source for the device's own architecture)."""

    def __init__(self, code=None, *, path=None, options=(), backend=None, translate_cucomplex=False,
                 enable_cooperative_groups=False, name_expressions=None, jitify=False, prelude=True):
        if path is not None or code is None:
            raise NotImplementedError("RawModule: only code= (source) is supported, not path= (binaries are "
                                      "built for the device's own architecture at run time)")
        if name_expressions:
            raise NotImplementedError("RawModule: name_expressions (C++ template kernels) are not supported; "
                                      "instantiate them in extern \"C\" wrappers")
        RawKernel(code, "rp_module_check", options, backend, translate_cucomplex=translate_cucomplex,
                  enable_cooperative_groups=enable_cooperative_groups, jitify=jitify)  # validates the options
        self.code = code
        self.options = tuple(options)
        self._prelude = prelude
        self._kernels = {}

    def get_function(self, name):
        k = self._kernels.get(name)
        if k is None:
            k = self._kernels[name] = RawKernel(self.code, name, self.options, prelude=self._prelude)
        return k


# ---- examples for the compile checks ------------------------------------------------------------------

def _pass(joined, k):
    """Source of pass ``k`` (1, 2) from ReductionKernel.source(..., parts=N)'s two joined sources."""
    head = "// rp.ReductionKernel"
    return head + joined.split(head)[k]


def examples():
    """[(source, kernel name)]: representative ElementwiseKernel and ReductionKernel instantiations as a
    GPU compiles them (every kind of parameter; half and complex; 32- and 64-bit indices are the same
    text but for one typedef), made from host arrays: for the AMD/NVRTC compile checks."""
    from ._core.transfer import asarray

    def host(a):
        return asarray(a, device="cpu")

    f32, out = host(np.ones((4, 3), np.float32)), host(np.ones(12, np.float32))
    k = ElementwiseKernel("T x, T y, float32 a", "T z", "z = a * x + y", "rp_ex_axpy")
    raw = ElementwiseKernel("raw T x, int64 n", "T y", "y = x[_ind.size() - i - 1] + (T)n", "rp_ex_rev",
                            loop_prep="(void)n;", after_loop="(void)0;")
    half = ElementwiseKernel("T x", "T y", "y = T(float(x) * 2.0f)", "rp_ex_half")
    cplx = ElementwiseKernel("T x, T y", "T z, raw bool w", "z = x * y + x; w[i] = true", "rp_ex_cplx")
    z = host(np.ones(5, np.complex128))
    l2 = ReductionKernel("T x", "T y", "x * x", "a + b", "y = sqrt(a)", "0", "rp_ex_l2")
    csum = ReductionKernel("T x, T y", "T s, float64 n", "x * y", "a + b", "s = a; n = 1", "", "rp_ex_csum")
    c = host(np.ones((3, 4), np.complex64))
    return [
        (k.source(f32, host(np.ones(3, np.float32)), 1.0), k.name),
        (raw.source(f32, 3, out), raw.name),
        (half.source(host(np.ones(5, np.float16))), half.name),
        (cplx.source(z, z, host(np.ones(5, np.complex128)), host(np.ones(5, np.bool_))), cplx.name),
        (l2.source(f32, axis=0, block_size=256), l2.name),
        (_pass(l2.source(f32, block_size=256, parts=4), 1), l2.name),
        (_pass(l2.source(f32, block_size=256, parts=4), 2), l2.name),
        (csum.source(c, c, axis=(0, 1), block_size=256), csum.name),
    ]
