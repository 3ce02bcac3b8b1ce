"""``rp.fuse``: a Python function of elementwise operations and reductions becomes GPU kernels, one for
the elementwise work (CuPy's ``cupy.fuse``).

    @rp.fuse
    def softplus_sum(x, beta):
        return rp.sum(rp.log1p(rp.exp(beta * x)) / beta, axis=-1)

How: the function is called once with stand-in arrays of the arguments' dtypes and shapes that live on
a tracing device, whose backend records the work the core hands it (the core has already resolved
dtypes, broadcasting and ``out=`` exactly as for a real call) instead of running it. The record is a
straight-line program over variables of elementwise ops (rows of ``_core/ops.py``, operators included),
``where``, dtype conversions (``astype``), writes into arguments (``x += y``, ``x[...] = y``) and the
reductions sum, prod, max, min, all, any and mean. On a GPU it becomes one ``ElementwiseKernel`` whose
statements call the ``rp::op::<name>::f`` device functions of rdnarray's own kernels, with the same
dtype conversions; each reduction is one ``ReductionKernel`` before it, with the elementwise work that
feeds it fused into its map step. On the CPU the record is replayed op by op on the host backend (the
results of calling the function directly), after the same checks as on a GPU.

Anything else raises TypeError (FusionError) at trace time, naming it: indexing and other views (but a
view of a whole array, ``x[...]``, is the array), functions that are no elementwise op or these
reductions (clip, matmul, var, ...), Python control flow on array values (``if x > 0``, ``float(x)``),
arrays created inside the function, writes into arrays together with a reduction. Arguments: rdnarray
arrays (one device) and Python/NumPy scalars (NumPy scalars are 0-d arrays, as in NumPy's promotion);
with no array among them, the function is simply called (as CuPy does).

A trace is cached per argument dtypes and shapes. Python scalar arguments are kernel parameters, not
constants: the function is traced with two different values and the records compared; if a scalar was
used in Python arithmetic (``x * (dt / 2)``) or control flow, the records differ and that call's scalar
values become part of the cache key instead (correct, but one kernel per value). Python bools are
always part of the key.
"""
import functools
import re
import struct
import threading

import numpy as np

from ._core import devices as _devices
from ._core.ndarray import Buffer, from_buffer, ndarray
from ._core.views import c_strides

__all__ = ["fuse"]

# Reductions a fused kernel computes: row name -> the elementwise op that combines two partial values.
REDUCTIONS = {"sum": "add", "prod": "multiply", "max": "maximum", "min": "minimum", "all": "logical_and",
              "any": "logical_or", "mean": "add"}


class FusionError(TypeError):
    """Something in a function given to rp.fuse cannot be traced into a kernel."""


# ---- the tracing device and its backend --------------------------------------------------------------

class _TraceDevice(_devices.Device):
    """The device of the stand-in arrays a fused function is traced with."""

    def __init__(self, backend):
        self.kind, self.index, self._backend = "rp.fuse", 0, backend

    def __str__(self):
        return "rp.fuse (tracing)"

    def __repr__(self):
        return "Device('rp.fuse')"


class _Tracer:
    """The backend of the tracing device: the methods the core calls record work in the current
    thread's trace (see host.pyx for the contract); those that need values or other algorithms raise."""
    kind = "rp.fuse"

    def __init__(self):
        self._local = threading.local()
        self.device = _TraceDevice(self)

    @property
    def trace(self):
        t = getattr(self._local, "trace", None)
        if t is None:
            raise FusionError("rp.fuse: an array of a traced function was used after tracing ended "
                              "(do not keep the arguments of a fused function)")
        return t

    def describe(self):
        return "the tracer of rp.fuse"

    def empty(self, shape, dtype):
        return self.trace.new_var(tuple(shape), np.dtype(dtype), "empty")

    def elementwise(self, op, inputs, shape, out_dtypes, outs, dtype):
        return self.trace.elementwise(op, inputs, tuple(shape), out_dtypes, outs, dtype)

    def reduce(self, op, x, axes, keepdims, out, dtype, **params):
        self.trace.reduce(op, x, axes, keepdims, out, dtype, params)

    def copy(self, src, dst):
        self.trace.copy(src, dst)

    def from_numpy(self, arr):
        if arr.ndim != 0:
            raise FusionError(f"rp.fuse: arrays cannot be created inside a fused function (an array of shape "
                              f"{arr.shape}); pass it as an argument")
        return self.trace.constant(arr)

    def to_numpy(self, x):
        raise FusionError("rp.fuse: the values of arrays are unknown while a fused function is traced: Python "
                          "control flow on them (if x > 0, while, bool(), float(), int(), printing) cannot "
                          "be fused; use rp.where, or compute it outside the fused function")

    def run(self, name, *args, **kwargs):
        if name == "where" and len(args) == 3 and not kwargs:
            return self.trace.where(*args)
        raise FusionError(f"rp.fuse: {name} cannot be fused (only elementwise functions and operators, "
                          f"where, astype, and the reductions {', '.join(REDUCTIONS)} can)")

    @property
    def props(self):  # what a user kernel's launch asks first
        raise FusionError("rp.fuse: user kernels (ElementwiseKernel, ReductionKernel, RawKernel) cannot be "
                          "called inside a fused function")

    function = stream = props

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)

        def unsupported(*args, **kwargs):
            raise FusionError(f"rp.fuse: {name.replace('_', ' ')} cannot be fused (only elementwise functions "
                              f"and operators, where, astype, and the reductions {', '.join(REDUCTIONS)} "
                              f"can)")
        return unsupported


_TRACER = _Tracer()
# The core finds a device object by (kind, index) (devices.as_device) when it converts NumPy scalars
# for an operation with an array of the device: the tracing device must be found there too.
_devices._interned[("rp.fuse", 0)] = _TRACER.device


# ---- the record -------------------------------------------------------------------------------------

class Var:
    """A variable of the traced program: ``role`` is 'arg' (argument ``index``), 'tmp' (a result),
    'empty' (allocated, not yet written), 'const' (a 0-d constant ``value``)."""
    __slots__ = ("n", "shape", "dtype", "role", "index", "value")

    def __init__(self, n, shape, dtype, role, index=None, value=None):
        self.n, self.shape, self.dtype, self.role, self.index, self.value = n, shape, dtype, role, index, value


class Const:
    """A Python scalar operand: a literal, or (``param`` = k) the scalar argument k."""
    __slots__ = ("value", "param")

    def __init__(self, value, param=None):
        self.value, self.param = value, param


# Statements: ("ew", op, operands, dtype, outs, fresh), ("copy", src, dst), ("where", [cond, a, b], out),
# ("red", row, x, axes, keepdims, out, dtype); operands are Var or Const, outs Var.

class Trace:
    def __init__(self, name):
        self.name = name
        self.vars = []        # Var by number
        self.arrays = {}      # id(stand-in ndarray) -> Var
        self.buffers = {}     # id(its Buffer) -> Var (for views of a whole stand-in: x[...], x.reshape(x.shape))
        self.keep = []        # the stand-ins, alive while the trace is (ids stay unique)
        self.stmts = []
        self.args = []        # per argument of the function: Var (array) or Const (scalar)
        self.result = None    # Var, tuple of Var, or None
        self.param_uses = None  # (statement, operand, Const) of the scalar-argument operands, once known

    # -- variables --
    def new_var(self, shape, dtype, role, index=None, value=None):
        v = Var(len(self.vars), shape, dtype, role, index, value)
        self.vars.append(v)
        a = from_buffer(Buffer(0, None, _TRACER.device), shape, c_strides(shape, dtype.itemsize), 0, dtype)
        self.arrays[id(a)] = v
        self.buffers[id(a._buffer)] = v
        self.keep.append(a)
        return a

    def var(self, a, what):
        v = self.arrays.get(id(a))
        if v is None:
            # A view with the whole array's layout is the array (x[...] = y assigns to x).
            v = self.buffers.get(id(a._buffer))
            if v is not None and (a.shape, a.dtype, a._offset) == (v.shape, v.dtype, 0) and \
                    a.strides == c_strides(v.shape, v.dtype.itemsize):
                return v
            v = None
        if v is None:
            raise FusionError(f"rp.fuse: {self.name}: {what} is a view of an array (indexing, reshape, "
                              f"transpose, ...), which cannot be fused; pass the view as an argument")
        return v

    def operand(self, a, what):
        if isinstance(a, ndarray):
            v = self.var(a, what)
            if v.role == "empty":
                raise FusionError(f"rp.fuse: {self.name}: {what} reads an uninitialized array (rp.empty)")
            return v
        if type(a) in (bool, int, float, complex):
            return Const(a)
        raise FusionError(f"rp.fuse: {self.name}: {what} is a {type(a).__name__}, not an array or a scalar")

    def constant(self, arr):
        return self.new_var((), arr.dtype, "const", value=arr[()])

    # -- statements --
    def elementwise(self, op, inputs, shape, out_dtypes, outs, dtype):
        operands = [self.operand(a, f"input {k} of {op.name}") for k, a in enumerate(inputs)]
        fresh = outs is None
        if fresh:
            outs = tuple(self.new_var(shape, np.dtype(dt), "tmp") for dt in out_dtypes)
        out_vars = [self.var(o, f"out= of {op.name}") for o in outs]
        for v in out_vars:
            if v.role == "empty":
                v.role = "tmp"
        self.stmts.append(("ew", op, operands, dtype, out_vars, fresh))
        return outs

    def copy(self, src, dst):
        d = self.var(dst, "the target of a copy")
        s = self.operand(src, "the source of a copy")
        if d.role == "empty":
            d.role = "tmp"
        self.stmts.append(("copy", s, d))

    def where(self, cond, a, b):
        """rp.where(cond, a, b): the core has made all three arrays (cond bool) and checked the shapes."""
        ops = [self.operand(v, f"argument {k} of where") for k, v in enumerate((cond, a, b))]
        shape = np.broadcast_shapes(*(o.shape for o in ops))
        out = self.new_var(shape, np.result_type(ops[1].dtype, ops[2].dtype), "tmp")
        self.stmts.append(("where", ops, self.arrays[id(out)]))
        return out

    def reduce(self, row, x, axes, keepdims, out, dtype, params):
        if row.name not in REDUCTIONS or params:
            extra = f" with {', '.join(params)}" if params else ""
            raise FusionError(f"rp.fuse: {self.name}: {row.name}{extra} cannot be fused (the reductions that "
                              f"can: {', '.join(REDUCTIONS)})")
        xv = self.operand(x, f"the input of {row.name}")
        ov = self.var(out, f"out= of {row.name}")
        if ov.role == "empty":
            ov.role = "tmp"
        self.stmts.append(("red", row, xv, tuple(axes), bool(keepdims), ov, dtype))

    # -- comparison of two traces of one function (scalar arguments as parameters) --
    def shape_key(self):
        """Everything but the literal values: equal for two traces with equal control flow."""
        def op_key(o):
            return ("v", o.n) if isinstance(o, Var) else ("c", type(o.value))
        key = [(v.shape, v.dtype.str, v.role, v.index) for v in self.vars]
        for s in self.stmts:
            if s[0] == "ew":
                key.append(("ew", s[1].name, tuple(op_key(o) for o in s[2]), str(s[3]),
                            tuple(o.n for o in s[4]), s[5]))
            elif s[0] == "copy":
                key.append(("copy", op_key(s[1]), s[2].n))
            elif s[0] == "where":
                key.append(("where", tuple(o.n for o in s[1]), s[2].n))
            else:
                key.append(("red", s[1].name, s[2].n, s[3], s[4], s[5].n, str(s[6])))
        return key, _result_key(self.result)

    def literals(self):
        """Every literal operand, in statement order, then the constant variables."""
        out = [o for s in self.stmts if s[0] == "ew" for o in s[2] if isinstance(o, Const)]
        out += [s[1] for s in self.stmts if s[0] == "copy" and isinstance(s[1], Const)]
        return out + [v for v in self.vars if v.role == "const"]


def _result_key(r):
    if r is None:
        return None
    if isinstance(r, Var):
        return r.n
    return tuple(_result_key(x) for x in r)


def _same_value(a, b):
    """Equal, of the same type, bit for bit for floats (so that nan equals nan and -0.0 differs)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, complex):
        return _same_value(a.real, b.real) and _same_value(a.imag, b.imag)
    if isinstance(a, np.generic):
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()
    return a == b


def _perturbed(v, k):
    """A second value for scalar argument k: another value of the same type (None if none is found)."""
    if isinstance(v, bool):
        return None
    w = v + (k + 1) if not isinstance(v, complex) else v + complex(k + 1, k + 2)
    if _same_value(w, v):
        w = v * (k + 2)
    return None if _same_value(w, v) else w


# ---- tracing ----------------------------------------------------------------------------------------

def _trace(func, name, args):
    """Call ``func`` on stand-ins of ``args`` (arrays) and the scalars themselves; the Trace."""
    t = Trace(name)
    call_args = []
    for k, a in enumerate(args):
        if isinstance(a, ndarray):
            stand_in = t.new_var(a.shape, a.dtype, "arg", index=k)
            t.args.append(t.arrays[id(stand_in)])
            call_args.append(stand_in)
        else:
            t.args.append(Const(a, k))
            call_args.append(a)
    local = _TRACER._local
    outer = getattr(local, "trace", None)
    local.trace = t
    try:
        result = func(*call_args)
    except FusionError:
        raise
    except Exception as e:
        e.add_note(f"(while rp.fuse traced {name})")
        raise
    finally:
        local.trace = outer
    t.result = _result_vars(t, result)
    return t


def _result_vars(t, r):
    if r is None:
        return None
    if isinstance(r, ndarray):
        return t.var(r, "a result")
    if isinstance(r, tuple):
        return tuple(_result_vars(t, x) for x in r)
    raise FusionError(f"rp.fuse: {t.name} must return arrays (an array, a tuple of arrays, or None), not "
                      f"{type(r).__name__}")


def _parametrize(a, b, args, perturbed):
    """Mark in trace ``a`` the literals that are scalar arguments, by comparing with trace ``b`` (the
    same function, scalar argument k = perturbed[k]). False when a literal depends on a scalar in some
    other way (then the values must be baked in)."""
    if a.shape_key() != b.shape_key():
        return False
    for la, lb in zip(a.literals(), b.literals()):
        va, vb = la.value, lb.value
        if _same_value(va, vb):
            continue
        ks = [k for k, p in perturbed.items() if _same_value(va, args[k]) and _same_value(vb, p)]
        if len(ks) != 1 or isinstance(la, Var):
            return False
        la.param = ks[0]
    return True


# ---- the fused function ------------------------------------------------------------------------------

class Fusion:
    """A function compiled by ``rp.fuse``: call it like the function."""

    def __init__(self, func, kernel_name=None):
        self.func = func
        self.name = kernel_name or getattr(func, "__name__", "fused")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", self.name):  # the kernels' names: C identifiers
            self.name = "fused_" + re.sub(r"\W", "_", self.name).strip("_")
        functools.update_wrapper(self, func)
        self._traces = {}     # argument key -> Trace
        self._bake = set()    # type keys whose scalar values are part of the key
        self._programs = {}   # (id(Trace), scalar dtypes) -> Program
        self._ready = {}      # per argument (dtype, shape, id(device)), arrays only -> (Trace, Program, device)

    def __repr__(self):
        return f"<rdnarray.fuse of {self.func!r}>"

    def __call__(self, *args):
        # The common call: arrays only (a scalar makes a key no entry has), on one device, of dtypes and
        # shapes seen before: one dict lookup. (Devices are interned: their ids are stable, and cheaper
        # to hash and compare than the Device objects.)
        ready = self._ready.get(tuple([(a.dtype, a.shape, id(a._buffer.device)) if type(a) is ndarray else None
                                       for a in args]))
        if ready is not None:
            trace, program, device = ready
            return replay(trace, device.backend, args) if device.kind == "cpu" else program.run(device, args)
        device = None
        for a in args:
            if isinstance(a, ndarray):
                if device is None:
                    device = a.device
                elif a.device != device:
                    raise ValueError(f"{self.name}: arrays are on different devices ({device} and {a.device})")
            elif not isinstance(a, (bool, int, float, complex, np.generic)):
                raise TypeError(f"{self.name}: rp.fuse arguments must be rdnarray arrays or scalars, not "
                                f"{type(a).__module__}.{type(a).__name__}")
        if device is None or device is _TRACER.device:
            return self.func(*args)  # no array (as CuPy), or called from a function being traced: inlined
        # A NumPy scalar is a 0-d array in NumPy 2's promotion rules (not a weak Python scalar).
        args = tuple(a if not isinstance(a, np.generic) else _asarray(a, device) for a in args)
        trace = self.trace(args)
        program = self.program(trace, args)  # on the CPU too: the same checks as on a GPU
        if all(type(a) is ndarray and a._buffer.device is device for a in args):
            # No scalar: the program depends on nothing else. (The entry keeps `device`, so its id stays.)
            self._ready[tuple([(a.dtype, a.shape, id(device)) for a in args])] = (trace, program, device)
        if device.kind == "cpu":
            return replay(trace, device.backend, args)
        return program.run(device, args)

    def program(self, trace, args):
        """The compiled Program of ``trace`` for these arguments' scalar values (their dtypes can depend
        on them: a Python int beyond an array's range compares in int64)."""
        from ._fusion_kernels import Program, param_dtype, param_uses  # (imports the user kernels: lazily)
        uses = trace.param_uses
        if uses is None:
            uses = trace.param_uses = param_uses(trace)
        key = (id(trace), tuple(param_dtype(trace, u, args[u[2].param]) for u in uses))
        p = self._programs.get(key)
        if p is None:
            p = self._programs[key] = Program(trace, dict(zip(uses, key[1])), self.name)
        return p

    def trace(self, args):
        """The Trace for these arguments (cached by dtypes, shapes and scalar types)."""
        tkey = tuple((a.dtype, a.shape) if isinstance(a, ndarray) else
                     (bool, a) if isinstance(a, bool) else type(a) for a in args)
        key = (tkey, _values_key(args)) if tkey in self._bake else tkey
        t = self._traces.get(key)
        if t is not None:
            return t
        if len(self._traces) >= 1024:  # baked scalar values: one trace per value, so bound the caches
            self._traces.clear()
            self._programs.clear()
            self._ready.clear()
        t = _trace(self.func, self.name, args)
        scalars = {k: a for k, a in enumerate(args) if type(a) in (int, float, complex)}
        if scalars:
            perturbed = {k: _perturbed(a, k) for k, a in scalars.items()}
            if any(p is None for p in perturbed.values()) or not _parametrize(
                    t, _trace(self.func, self.name, tuple(perturbed.get(k, a) for k, a in enumerate(args))),
                    args, perturbed):
                self._bake.add(tkey)
                key = (tkey, _values_key(args))
                t = _trace(self.func, self.name, args)  # fresh: no literal marked as a parameter
        self._traces[key] = t
        return t


def _values_key(args):
    """The scalar arguments' values, bit for bit (-0.0 is not 0.0, and a NaN equals itself)."""
    return tuple(struct.pack("<dd", a.real, a.imag) if isinstance(a, (float, complex)) else a
                 for a in args if not isinstance(a, ndarray))


def _asarray(a, device):
    from ._core.transfer import asarray
    return asarray(a, device=device)


def fuse(*args, kernel_name=None):
    """Decorator: ``@rp.fuse``, ``@rp.fuse()`` or ``@rp.fuse(kernel_name='name')`` (see the module doc)."""
    if len(args) == 1 and callable(args[0]) and kernel_name is None:
        return Fusion(args[0])
    if args:
        raise TypeError("rp.fuse: use @rp.fuse, @rp.fuse() or @rp.fuse(kernel_name=...)")
    return lambda f: Fusion(f, kernel_name)


# ---- replay on a backend (the CPU path, and the reference for the kernels) ---------------------------

def replay(trace, backend, args):
    """Run ``trace`` op by op on ``backend`` with the real arguments: what calling the function does."""
    env = {}
    for v, a in zip(trace.args, args):
        if isinstance(v, Var):
            env[v.n] = a

    def value(o):
        if isinstance(o, Const):
            return o.value if o.param is None else args[o.param]
        if o.role == "const":
            return env.setdefault(o.n, backend.from_numpy(np.asarray(o.value)))
        return env[o.n]

    for s in trace.stmts:
        if s[0] == "ew":
            _, op, operands, dtype, outs, fresh = s
            inputs = [value(o) for o in operands]
            shape = outs[0].shape
            if fresh:
                results = backend.elementwise(op, inputs, shape, [o.dtype for o in outs], None, dtype)
                for o, r in zip(outs, results):
                    env[o.n] = r
            else:
                for o in outs:
                    if o.n not in env:
                        env[o.n] = backend.empty(o.shape, o.dtype)
                backend.elementwise(op, inputs, shape, [o.dtype for o in outs],
                                    tuple(env[o.n] for o in outs), dtype)
        elif s[0] == "where":
            env[s[2].n] = backend.run("where", *[value(o) for o in s[1]])
        elif s[0] == "copy":
            _, src, dst = s
            if dst.n not in env:
                env[dst.n] = backend.empty(dst.shape, dst.dtype)
            backend.copy(value(src), env[dst.n])
        else:
            _, row, x, axes, keepdims, out, dtype = s
            if out.n not in env:
                env[out.n] = backend.empty(out.shape, out.dtype)
            backend.reduce(row, value(x), axes, keepdims, env[out.n], dtype)
    return _results(trace.result, env)


def _results(r, env):
    if r is None:
        return None
    if isinstance(r, Var):
        return env[r.n]
    return tuple(_results(x, env) for x in r)


# ---- examples for the compile checks ------------------------------------------------------------------

def examples():
    """[(source, kernel name)] of fused functions (elementwise with in-place updates, where and two-output
    ops; reductions with fused maps, keepdims and mean), made from host arrays: for the compile checks."""
    from . import _elementwise_functions as ew
    from . import _statistical as st
    from ._core.transfer import asarray

    def f(x, y, beta):
        z = ew.log1p(ew.exp(beta * x)) / beta + y
        return z, st.sum(z * z, axis=0), st.max(x), st.mean(z, axis=1, keepdims=True)

    def g(v, i_in, tau):
        v += (i_in - v) / tau
        q, r = ew.divmod(v, 2.5)
        return st_where(v > 1.0, q, r).astype(np.float16), v == 0

    def st_where(c, a, b):
        from ._searching import where
        return where(c, a, b)

    out = []
    for func, args in ((f, (asarray(np.ones((3, 4), np.float32), device="cpu"),
                            asarray(np.ones(4, np.float32), device="cpu"), 1.5)),
                       (g, (asarray(np.ones(8), device="cpu"), asarray(np.ones(8), device="cpu"), 2.0))):
        fused = Fusion(func)
        out += fused.program(fused.trace(args), args).sources(args)
    return out
