"""The kernels of an rp.fuse trace (see _fusion.py): a Program is one ReductionKernel per reduction, with
the elementwise statements its input needs fused into its map step, then one ElementwiseKernel for the
other results and the writes into arguments. When every array of that elementwise stage is dense (C
order, the loop's shape, aligned), a call runs it as src_hip/fused_elementwise.hip instead: the same
statements over VEC elements per step, with one vector load or store per array (``_Dense``).

Each traced statement becomes C++ that calls the device function of rdnarray's own elementwise kernels
(``rp::op::<name>::f`` of src_hip/ops.h) with the same dtype conversions (kernels/elementwise.py's
resolution: inputs converted to the op's compute dtypes, results to the variables' dtypes), so a fused
function computes what its ops compute one by one. Variables are C++ locals; arguments, results and
scalar arguments (one kernel parameter per dtype they are converted to) are the kernels' parameters.
"""
import math

import numpy as np

from . import _host_kernels
from ._core.ndarray import ndarray
from ._core.views import c_strides, is_c_contiguous
from ._fusion import REDUCTIONS, Const, FusionError, Var
from ._user_kernels import scalar_arg

__all__ = ["Program", "literal", "param_dtype", "param_uses"]

# The dense elementwise kernel (tunables: read when a Program is made).
FUSE_BLOCK = 256            # threads per block: a multiple of every warp size
FUSE_VECTOR_BYTES = 16      # widest load or store per array per step (VEC * the widest item size)
FUSE_BLOCKS_PER_CU = None   # grid-stride loops over this many blocks per CU; None: a step per thread


def _ew():
    from ._backend.kernels import elementwise
    return elementwise


def _ctype(dt):
    from ._backend.kernels.ctypes import CTYPE
    return CTYPE[np.dtype(dt)]


def param_uses(trace):
    """(statement index, operand index, Const) of every scalar-argument operand."""
    return [(i, j, o) for i, s in enumerate(trace.stmts) if s[0] == "ew"
            for j, o in enumerate(s[2]) if isinstance(o, Const) and o.param is not None]


def _operand_keys(operands):
    return tuple(o.dtype if isinstance(o, Var) else type(o.value) for o in operands)


def param_dtype(trace, use, value):
    """The dtype a scalar operand is converted to, as rdnarray's elementwise kernels convert it."""
    i, j, _ = use
    _, op, operands, dtype, _, _ = trace.stmts[i]
    ew = _ew()
    t = ew._resolve(op, _operand_keys(operands), dtype)
    dt = ew._scalar_dtype(value, t.x[j]) if op.name in ew._COMPARISONS else t.x[j]
    if t.negative_power_check and j == 1 and value < 0:
        raise ValueError(ew._NEGATIVE_POWER)
    return dt


def literal(value, dt):
    """A C++ expression of type CTYPE[dt] with the value ``value`` converted to ``dt`` (bit-exact)."""
    dt = np.dtype(dt)
    v = np.asarray(value, dtype=dt)
    if dt.kind == "b":
        return "true" if v else "false"
    if dt.kind in "iu":
        t = _ctype(dt)
        return f"(({t}){int(v)}{'ULL' if dt.kind == 'u' else 'LL'})" if int(v) != -2**63 \
            else "((int64_t)(-9223372036854775807LL - 1))"
    if dt.kind == "f":
        bits = int(v.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[dt.itemsize]))
        return {2: f"rp::half::from_bits({bits:#x})", 4: f"rp::bits_float({bits:#x}u)",
                8: f"rp::bits_double({bits:#x}ULL)"}[dt.itemsize]
    part = np.dtype(np.float32 if dt.itemsize == 8 else np.float64)
    return f"{_ctype(dt)}({literal(v.real, part)}, {literal(v.imag, part)})"


class Program:
    """The kernels of one trace: one ReductionKernel per reduction (the elementwise statements its input
    needs fused in), then one ElementwiseKernel for the other results and for writes to arguments."""

    def __init__(self, trace, param_dtypes, name):
        self.trace = trace
        self.param_dtypes = param_dtypes   # (stmt, operand, Const) -> dtype
        self.name = name
        self.stages = []                   # (kernel, input refs, output refs, reduction kwargs or None)
        self.dense = None                  # _Dense: the elementwise stage for dense arguments, if it can be
        reds = [s for s in trace.stmts if s[0] == "red"]
        self.producer = {}
        rewritten = False
        for i, s in enumerate(trace.stmts):
            for v in _written(s):
                rewritten |= v.n in self.producer or v.role == "arg"
                self.producer.setdefault(v.n, i)
        if reds and rewritten:
            raise FusionError(f"rp.fuse: {name}: writing into existing arrays (out=, +=, x[...] =) together "
                              f"with a reduction cannot be fused")
        if any(v.role == "const" for v in _flatten(trace.result)):
            raise FusionError(f"rp.fuse: {name} returns a constant, not a computed array")
        done = set()  # vars computed by an earlier stage (reduction results)
        for k, s in enumerate(reds):
            self._reduction(k, s, done)
            done.add(s[5].n)
        self._elementwise(done, bool(reds))

    # -- statements as C++ --
    def _needed(self, targets, done):
        """Indices of the statements that compute ``targets`` (vars), in order."""
        need, stack = set(), [v for v in targets if v.n not in done]
        while stack:
            v = stack.pop()
            i = self.producer.get(v.n)
            if i is None or i in need:
                continue
            need.add(i)
            for o in _read(self.trace.stmts[i]):
                if isinstance(o, Var) and o.n not in done:
                    stack.append(o)
        return sorted(need)

    def _live(self, targets):
        """Indices of the statements whose writes reach ``targets``, in order (statements may write a
        variable more than once here: every write to a live variable is kept)."""
        live, keep = {v.n for v in targets}, []
        for i in range(len(self.trace.stmts) - 1, -1, -1):
            s = self.trace.stmts[i]
            if any(v.n in live for v in _written(s)):
                keep.append(i)
                live.update(o.n for o in _read(s) if isinstance(o, Var))
        return keep[::-1]

    def _code(self, indices, refs):
        """(C++ statements of trace statements ``indices``, the function naming a var in them); ``refs``
        collects the kernel inputs used: name -> ('arg', k, dtype) / ('var', n, dtype) / ('scalar', k,
        dtype), and holds under '_outputs' the names of the vars that are kernel outputs."""
        lines, local = [], {}
        outputs = refs.setdefault("_outputs", {})

        def name(v):
            if v.n in outputs:
                return outputs[v.n]
            if v.n in local:
                return local[v.n]
            if v.role == "const":
                return literal(v.value, v.dtype)
            if v.role == "arg":
                refs[f"a{v.index}"] = ("arg", v.index, v.dtype)
                return f"a{v.index}"
            if self.producer.get(v.n) is None or self.producer[v.n] not in indices:
                refs[f"v{v.n}"] = ("var", v.n, v.dtype)  # an earlier stage's result
                return f"v{v.n}"
            local[v.n] = f"v{v.n}"
            lines.insert(0, f"{_ctype(v.dtype)} v{v.n};")
            return local[v.n]

        for i in indices:
            s = self.trace.stmts[i]
            if s[0] == "ew":
                lines.extend(self._ew_code(i, s, name, refs))
            elif s[0] == "copy":
                src = name(s[1]) if isinstance(s[1], Var) else literal(s[1].value, s[2].dtype)
                lines.append(f"{name(s[2])} = rp::cast<{_ctype(s[2].dtype)}>({src});")
            else:
                c, a, b = (name(o) for o in s[1])
                t = _ctype(s[2].dtype)
                lines.append(f"{name(s[2])} = {c} ? rp::cast<{t}>({a}) : rp::cast<{t}>({b});")
        return lines, name

    def _ew_code(self, i, s, name, refs):
        _, op, operands, dtype, outs, _ = s
        ew = _ew()
        t = ew._resolve(op, _operand_keys(operands), dtype)
        args = []
        for j, o in enumerate(operands):
            if isinstance(o, Var):
                args.append(f"rp::cast<{_ctype(t.x[j])}>({name(o)})")
            elif o.param is None:
                dt = ew._scalar_dtype(o.value, t.x[j]) if op.name in ew._COMPARISONS else t.x[j]
                if t.negative_power_check and j == 1 and o.value < 0:
                    raise ValueError(ew._NEGATIVE_POWER)
                args.append(literal(o.value, dt))
            else:
                dt = self.param_dtypes[(i, j, o)]
                refs[f"s{o.param}_{dt.char}"] = ("scalar", o.param, dt)
                args.append(f"s{o.param}_{dt.char}")
        f = f"rp::op::{t.opname}::f"
        if len(outs) == 1:
            return [f"{name(outs[0])} = rp::cast<{_ctype(outs[0].dtype)}>({f}({', '.join(args)}));"]
        rs = [f"_r{i}_{k}" for k in range(len(outs))]
        lines = [f"{_ctype(r)} {n};" for r, n in zip(t.r, rs)]
        lines.append(f"{f}({', '.join(args)}, {', '.join('&' + n for n in rs)});")
        lines += [f"{name(v)} = rp::cast<{_ctype(v.dtype)}>({n});" for v, n in zip(outs, rs)]
        return lines

    # -- stages --
    def _reduction(self, k, s, done):
        from ._user_kernels import ReductionKernel
        _, row, x, axes, keepdims, out, dtype = s
        refs = {"_outputs": {}}
        lines, name = self._code(self._needed([x], done), refs)
        value = name(x)
        acc = np.dtype(np.bool_) if row.name in ("all", "any") else np.dtype(dtype or out.dtype)
        if acc == np.float16 and row.name in ("sum", "prod", "mean"):
            acc = np.dtype(np.float32)  # float16 sums accumulate in float, as NumPy's pairwise sum does
        rt, ot = _ctype(acc), _ctype(out.dtype)
        post = f"rp::cast<{ot}>(a)"
        if row.name == "mean":
            count = math.prod(x.shape[d] for d in axes)
            post = f"rp::cast<{ot}>(rp::op::divide::f(a, rp::cast<{rt}>((int64_t){count})))"
        identity = {"sum": "0", "mean": "0", "prod": "1", "all": "true", "any": "false"}.get(row.name)
        ins = [n for n in refs if not n.startswith("_")]
        kernel = ReductionKernel(
            ", ".join(f"{refs[n][-1].name} {n}" for n in ins), f"{out.dtype.name} y",
            f"rp::cast<{rt}>({value})", f"rp::op::{REDUCTIONS[row.name]}::f(a, b)", f"y = {post}",
            None if identity is None else f"rp::cast<{rt}>({identity})", f"{self.name}_reduce{k}", rt,
            preamble=_OPS)
        kernel._map_prep = "\n".join(lines)
        self.stages.append((kernel, [refs[n] for n in ins], [("var", out.n, out.dtype)],
                            {"axis": axes, "keepdims": keepdims}))

    def _elementwise(self, done, after_reduction):
        from ._user_kernels import ElementwiseKernel
        results = [v for v in _flatten(self.trace.result) if v.role not in ("arg", "const") and v.n not in done]
        written = [] if after_reduction else sorted(
            {v.n: v for s in self.trace.stmts for v in _written(s) if v.role == "arg"}.values(), key=lambda v: v.n)
        targets = list({v.n: v for v in results}.values())
        if not targets and not written:
            return
        refs = {"_outputs": {**{v.n: f"v{v.n}" for v in targets}, **{v.n: f"a{v.index}" for v in written}}}
        indices = self._needed(targets, done) if after_reduction else self._live(targets + written)
        lines, _ = self._code(indices, refs)
        ins = [n for n in refs if not n.startswith("_") and n not in refs["_outputs"].values()]
        outs = [("var", v.n, v.dtype) for v in targets] + [("arg", v.index, v.dtype) for v in written]
        out_names = [f"v{v.n}" for v in targets] + [f"a{v.index}" for v in written]
        kernel = ElementwiseKernel(
            ", ".join(f"{refs[n][-1].name} {n}" for n in ins),
            ", ".join(f"{r[-1].name} {n}" for r, n in zip(outs, out_names)),
            "\n".join(lines), self.name, preamble=_OPS)
        shapes = [v.shape for v in targets + written]
        if len(set(shapes)) > 1:
            raise FusionError(f"rp.fuse: {self.name}: results and updated arguments of different shapes "
                              f"({', '.join(map(str, shapes))}) cannot come from one kernel")
        self.stages.append((kernel, [refs[n] for n in ins], outs, None))
        shape = shapes[0]
        if all(r[0] == "scalar" or self._shape(r) == shape for r in (refs[n] for n in ins)):
            self.dense = _Dense(self.name, shape, lines, [(n, refs[n]) for n in ins], list(zip(out_names, outs)))

    def _shape(self, ref):
        return self.trace.args[ref[1]].shape if ref[0] == "arg" else self.trace.vars[ref[1]].shape

    # -- running --
    def run(self, device, args):
        """Launch the stages on ``device`` (a GPU, or the CPU through the host compiler)."""
        env = {}
        if len(self.stages) == 1 and self.dense is not None and self.dense.run(device, args, env):
            return _result(self.trace.result, args, env)  # the common case, without the general machinery

        def get(ref, allocate=False):
            if ref[0] == "arg":
                return args[ref[1]]
            if ref[0] == "scalar":
                return np.asarray(args[ref[1]], dtype=ref[2])[()]
            a = env.get(ref[1])
            if a is None:
                a = env[ref[1]] = device.backend.empty(self.trace.vars[ref[1]].shape, ref[2])
            return a

        for kernel, ins, outs, reduction in self.stages:
            if reduction is None and self.dense is not None and self.dense.run(device, args, env):
                continue
            inputs = [get(r) for r in ins]
            outputs = [get(r) for r in outs]
            if reduction is None:
                kernel(*inputs, *outputs)
            else:
                kernel(*inputs, out=outputs[0], **reduction)
        return _result(self.trace.result, args, env)

    def sources(self, args):
        """[(C++ source, kernel name)] of the stages as a GPU would compile them, made without a device
        (from host arrays of the arguments' shapes): for compile checks."""
        from ._core.devices import CPU
        env, out = {}, []

        def get(ref):
            if ref[0] == "arg":
                a = args[ref[1]]
                return a if not isinstance(a, ndarray) else CPU.backend.empty(a.shape, a.dtype)
            if ref[0] == "scalar":
                return np.asarray(args[ref[1]], dtype=ref[2])[()]
            return env.setdefault(ref[1], CPU.backend.empty(self.trace.vars[ref[1]].shape, ref[2]))

        for kernel, ins, outs, reduction in self.stages:
            inputs, outputs = [get(r) for r in ins], [get(r) for r in outs]
            src = kernel.source(*inputs, *outputs) if reduction is None else \
                kernel.source(*inputs, out=outputs[0], block_size=256, **reduction)
            out.append((src, kernel.name))
        if self.dense is not None:
            out.append((self.dense.source, self.dense.name))
        return out


class _Dense:
    """The elementwise stage of a Program as fused_elementwise.hip, for calls whose arrays are all dense:
    C-contiguous with the loop's shape (inputs that broadcast make the stage ineligible when the Program
    is made) and aligned to their vector (checked per call: otherwise the ElementwiseKernel runs)."""

    def __init__(self, name, shape, lines, ins, outs):
        from ._backend.kernels import fill
        self.name, self.shape, self.n = name, shape, math.prod(shape)
        arrays = [r[2] for _, r in ins if r[0] != "scalar"] + [r[2] for _, r in outs]
        vec = max(1, FUSE_VECTOR_BYTES // max(dt.itemsize for dt in arrays))
        self.vec = vec
        self.inputs = []   # (kind, index, dtype, contiguous strides, alignment): kind 'arg' / 'var' / 'scalar'
        self.outputs = []  # the same, for the results ('var': allocated) and updated arguments ('arg')
        params, element, load, at_vec, store, at_one = [], [], [], [], [], []
        for n, (kind, k, dt) in ins:
            t = _ctype(dt)
            element.append(f"const {t} {n}")
            if kind == "scalar":
                params.append(f"{t} {n}")
                at_vec.append(n)
                at_one.append(n)
                self.inputs.append((kind, k, dt, None, 1))
                continue
            params.append(f"const char* _rp_p_{n}")
            load.append(f"const rp_fuse::Vec<{t}, VEC> _rp_v_{n} = rp_fuse::load<{t}, VEC>(_rp_p_{n}, v);")
            at_vec.append(f"_rp_v_{n}.v[k]")
            at_one.append(f"rp_fuse::at<{t}>(_rp_p_{n}, i)")
            self.inputs.append((kind, k, dt, c_strides(shape, dt.itemsize), vec * dt.itemsize))
        for n, (kind, k, dt) in outs:
            t = _ctype(dt)
            params.append(f"char* _rp_p_{n}")
            element.append(f"{t}& {n}")
            if kind == "arg":  # updated in place: the statements may read it first
                load.append(f"rp_fuse::Vec<{t}, VEC> _rp_v_{n} = rp_fuse::load<{t}, VEC>(_rp_p_{n}, v);")
            else:
                load.append(f"rp_fuse::Vec<{t}, VEC> _rp_v_{n};")
            at_vec.append(f"_rp_v_{n}.v[k]")
            store.append(f"rp_fuse::store<{t}, VEC>(_rp_p_{n}, v, _rp_v_{n});")
            at_one.append(f"rp_fuse::at<{t}>(_rp_p_{n}, i)")
            self.outputs.append((kind, k, dt, c_strides(shape, dt.itemsize), vec * dt.itemsize))
        # struct format of each kernel parameter: n, the inputs, the outputs
        self.formats = ["q"] + [scalar_arg(np.zeros((), dt))[0] if kind == "scalar" else "P"
                                for kind, _, dt, _, _ in self.inputs] + ["P"] * len(self.outputs)
        self.fmt = "".join(self.formats)
        index_t = "int32_t" if self.n < 2**30 else "int64_t"  # i + the grid's step stays below 2**31
        self.source = fill("fused_elementwise.hip", {
            "NAME": name, "PREAMBLE": _OPS, "INDEX_T": index_t,
            "VEC": str(vec), "BLOCK": str(FUSE_BLOCK), "PARAMS": "".join(", " + p for p in params),
            "ELEMENT": ", ".join(element), "OPERATION": "\n    ".join(lines), "LOAD": "\n        ".join(load),
            "AT_VEC": ", ".join(at_vec), "STORE": "\n        ".join(store), "AT_ONE": ", ".join(at_one)})
        self.grid = {}  # compute units -> blocks
        self.functions = {}  # backend -> the compiled kernel's launch method

    def run(self, device, args, env):
        """Launch for this call if its arrays are dense (outputs go into ``env``); False: they are not."""
        values, shape = [self.n], self.shape
        for kind, k, dt, strides, align in self.inputs:
            if kind == "scalar":
                values += scalar_arg(np.asarray(args[k], dtype=dt))[1]
                continue
            a = args[k] if kind == "arg" else env.get(k)
            if a is None:
                return False
            p = a._buffer.ptr + a._offset
            if p % align or (a._strides != strides and not is_c_contiguous(a)):
                return False
            values.append(p)
        for kind, k, dt, strides, align in self.outputs:
            if kind == "arg":
                a = args[k]
                if a._strides != strides and not is_c_contiguous(a):
                    return False
            else:
                a = env.get(k)
                if a is None:
                    a = env[k] = device.backend.empty(shape, dt)
            p = a._buffer.ptr + a._offset
            if p % align:
                return False
            values.append(p)
        if self.n == 0:
            return True
        backend = device.backend
        if device.kind == "cpu":  # the host build (tests): blocks of one thread
            params, rest = [], iter(values)
            for f in self.formats:
                params.append((f, tuple(next(rest) for _ in range(int(f[:-1] or 1)))))
            _host_kernels.run(self.source, self.name, (), params, 1)
            return True
        launch = self.functions.get(backend)
        if launch is None:
            # The kernel waits for the previous one first (rp_wait_previous_kernel): its launch may overlap that
            # kernel's end where the device allows.
            fn = backend.function(self.source, self.name)
            launch = fn.launch_dependent if backend.props.get("dependent_launch") else fn.launch
            self.functions[backend] = launch
        cu = backend.props["compute_units"]
        grid = self.grid.get(cu)
        if grid is None:
            blocks = -(-max(self.n // self.vec, 1) // FUSE_BLOCK)
            if FUSE_BLOCKS_PER_CU:
                blocks = min(blocks, cu * FUSE_BLOCKS_PER_CU)
            grid = self.grid[cu] = (min(blocks, 2**31 - 1), 1, 1)
        launch(grid, (FUSE_BLOCK, 1, 1), 0, backend.stream, values, self.fmt)
        return True


_OPS = '#include "ops.h"'  # rp::op::<name>::f, the device functions of rdnarray's own elementwise kernels


def _result(r, args, env):
    """The function's result ``r`` (Var, tuple, None) from the arguments and the computed variables."""
    if r is None:
        return None
    if isinstance(r, tuple):
        return tuple(_result(x, args, env) for x in r)
    if r.role == "arg":
        return args[r.index]
    return env[r.n]


def _written(s):
    if s[0] == "ew":
        return s[4]
    if s[0] in ("copy", "where"):
        return [s[2]]
    return [s[5]]


def _read(s):
    if s[0] == "ew":
        return s[2]
    if s[0] == "copy":
        return [s[1]]
    if s[0] == "where":
        return s[1]
    return [s[2]]


def _flatten(r):
    if r is None:
        return []
    if isinstance(r, tuple):
        return [v for x in r for v in _flatten(x)]
    return [r]
