"""``Generator``: NumPy's Generator API on a Philox4x64-10 stream, returning rdnarray arrays.

Draws are made by a ``numpy.random.Generator`` wrapping a ``numpy.random.Philox`` on the host and then placed
on the requested device, except large uniform draws (``random``, ``uniform`` with scalar bounds) for a GPU: its
kernel computes the same Philox words and floats, bit for bit, and the host only advances the bit generator's
state (kernels/philox.py). Gathers (choice from an array, permutation, shuffle, permuted) draw only the indices
on the host and move the data with ``take``/``take_along_axis`` on the array's device.
"""
import operator

import numpy as np

from .._core import dtypes as _dt
from .._core import views as _views
from .._core.devices import as_device
from .._core.ndarray import ndarray
from .._core.transfer import asarray, to_numpy
from .._indexing_functions import take, take_along_axis

__all__ = ["Generator", "default_rng"]

_REWRAPPED = (ValueError, TypeError, OverflowError)
DEVICE_DRAW_MIN = 1 << 14  # a GPU computes uniform draws from this many on (fewer: host draws + one copy)


def _call(op, fn, *args, **kwargs):
    """``fn(*args, **kwargs)``; NumPy's plain ValueError/TypeError/OverflowError get ``op`` as a prefix."""
    try:
        return fn(*args, **kwargs)
    except _REWRAPPED as e:
        if type(e) not in _REWRAPPED:
            raise
        raise type(e)(f"{op}: {e}") from None


def _host(value):
    """A parameter as NumPy sees it: rdnarray arrays are copied to the host, everything else passes."""
    return to_numpy(value) if isinstance(value, ndarray) else value


def _device(device, *params):
    """The result's device: ``device`` if given, else that of the first rdnarray parameter, else the default."""
    if device is None:
        for p in params:
            if isinstance(p, ndarray):
                return p.device
    return as_device(device)


def _place(values, device):
    """Host values (a NumPy array or scalar) as an rdnarray array on ``device``."""
    return asarray(np.asarray(values), device=device)


def _float_dtype(op, dtype):
    dt = _dt.normalize(dtype)
    if dt not in (np.float32, np.float64):
        raise TypeError(f"{op}: unsupported dtype {dt}; use float32 or float64")
    return dt


def _check_out(op, out, size, dtype):
    """Validate ``out`` before anything is drawn (so a failing call neither writes nor advances the stream)."""
    if not isinstance(out, ndarray):
        raise TypeError(f"{op}: out must be an rdnarray.ndarray, not {type(out).__name__}")
    if size is not None:
        shape = _call(op, _size_tuple, size)
        if shape != out.shape:
            raise ValueError(f"{op}: size {shape} must match out.shape {out.shape} when used together")
    if out.dtype != dtype:
        raise TypeError(f"{op}: out has dtype {out.dtype}, expected {dtype}")
    if out.data.readonly:
        raise ValueError(f"{op}: output array is read-only")


def _size_tuple(size):
    if isinstance(size, ndarray) or not hasattr(size, "__iter__"):
        size = (size,)
    return tuple(operator.index(s) for s in size)


def _device_draws(bit_generator, shape, dtype, device, out=None, low=None, high=None):
    """Uniform draws computed by ``device`` itself (bit for bit the host's) into ``out`` or a new array, or
    None where the host must draw: a device without a Philox kernel, or fewer than DEVICE_DRAW_MIN draws."""
    fill = getattr(device.backend, "philox_uniform", None)
    n = 1
    for d in shape:
        n *= d
    if fill is None or n < DEVICE_DRAW_MIN:
        return None
    from .._creation import empty
    target = out if out is not None and out.flags.c_contiguous else empty(shape, dtype=dtype, device=device)
    fill(target, bit_generator, low, high)
    if target is not out and out is not None:
        device.backend.copy(target, out)
        return out
    return target


def _as_array(op, x, device=None):
    """``x`` as an rdnarray array (array-likes are placed on ``device``)."""
    if isinstance(x, ndarray):
        return x
    return _call(op, asarray, x, device=device)


class Generator:
    """NumPy's ``Generator`` on a ``numpy.random.Philox`` (Philox4x64-10) bit generator, returning rdnarray
    arrays. ``Generator(numpy.random.Philox(seed))`` equals ``rdnarray.random.default_rng(seed)``.

    Methods take NumPy's arguments plus a keyword ``device=`` for the result (default: the device of the first
    rdnarray argument, else the default device). With ``size=None`` and scalar parameters the result is a 0-d
    array, as in CuPy. The draws are those of ``numpy.random.Generator(numpy.random.Philox(seed))``, bit for bit.
    """

    def __init__(self, bit_generator):
        if not isinstance(bit_generator, np.random.Philox):
            raise TypeError("Generator: rdnarray streams are Philox4x64-10 so that every device can reproduce "
                            "them; pass a numpy.random.Philox, got "
                            f"{type(bit_generator).__module__}.{type(bit_generator).__name__}")
        self._gen = np.random.Generator(bit_generator)

    @property
    def bit_generator(self):
        """The ``numpy.random.Philox`` whose counter this generator advances."""
        return self._gen.bit_generator

    def __repr__(self):
        return "Generator(Philox)"

    def __reduce__(self):
        return Generator, (self.bit_generator,)

    def spawn(self, n_children):
        """``n_children`` independent generators (their keys come from this one's SeedSequence)."""
        return [Generator(g.bit_generator) for g in _call("spawn", self._gen.spawn, n_children)]

    # Uniform and standard distributions with dtype= and out=.

    def _standard(self, op, size, dtype, out, device, **kwargs):
        dt = _float_dtype(op, dtype)
        if out is None:
            device = as_device(device)
            if op == "random" and size is not None:
                shape = _call(op, _size_tuple, size)
                if min(shape, default=0) >= 0:  # else NumPy's error, below
                    drawn = _device_draws(self.bit_generator, shape, dt, device)
                    if drawn is not None:
                        return drawn
            return _place(_call(op, getattr(self._gen, op), size=size, dtype=dt, **kwargs), device)
        _check_out(op, out, size, dt)
        if op == "random" and _device_draws(self.bit_generator, out.shape, dt, out.device, out) is not None:
            return out
        values = _call(op, getattr(self._gen, op), size=out.shape, dtype=dt, **kwargs)
        out.device.backend.copy(_place(values, out.device), out)
        return out

    def random(self, size=None, dtype=np.float64, out=None, *, device=None):
        """Floats in [0, 1)."""
        return self._standard("random", size, dtype, out, device)

    def standard_normal(self, size=None, dtype=np.float64, out=None, *, device=None):
        return self._standard("standard_normal", size, dtype, out, device)

    def standard_exponential(self, size=None, dtype=np.float64, method="zig", out=None, *, device=None):
        return self._standard("standard_exponential", size, dtype, out, device, method=method)

    def standard_gamma(self, shape, size=None, dtype=np.float64, out=None, *, device=None):
        device = _device(device, shape)
        return self._standard("standard_gamma", size, dtype, out, device, shape=_host(shape))

    def integers(self, low, high=None, size=None, dtype=np.int64, endpoint=False, *, device=None):
        """Integers in [low, high) (or [low, high] with ``endpoint=True``); ``high=None`` means [0, low)."""
        device = _device(device, low, high)
        values = _call("integers", self._gen.integers, _host(low), _host(high), size=size,
                       dtype=_dt.normalize(dtype), endpoint=endpoint)
        return _place(values, device)

    def bytes(self, length):
        """``length`` random bytes (a Python ``bytes``)."""
        return _call("bytes", self._gen.bytes, length)

    # Parametrised distributions: parameters may be scalars, array-likes or rdnarray arrays.

    def _dist(self, op, params, size, device, **kwargs):
        device = _device(device, *params)
        return _place(_call(op, getattr(self._gen, op), *(_host(p) for p in params), size=size, **kwargs), device)

    def uniform(self, low=0.0, high=1.0, size=None, *, device=None):
        if size is not None and not isinstance(low, ndarray) and not isinstance(high, ndarray) \
                and np.ndim(low) == 0 and np.ndim(high) == 0 and hasattr(as_device(device).backend, "philox_uniform"):
            shape = _call("uniform", _size_tuple, size)
            if min(shape, default=0) >= 0:
                _call("uniform", self._gen.uniform, low, high, size=0)  # NumPy's checks, drawing nothing
                drawn = _device_draws(self.bit_generator, shape, np.float64, as_device(device), low=low, high=high)
                if drawn is not None:
                    return drawn
        return self._dist("uniform", (low, high), size, device)

    def normal(self, loc=0.0, scale=1.0, size=None, *, device=None):
        return self._dist("normal", (loc, scale), size, device)

    def lognormal(self, mean=0.0, sigma=1.0, size=None, *, device=None):
        return self._dist("lognormal", (mean, sigma), size, device)

    def exponential(self, scale=1.0, size=None, *, device=None):
        return self._dist("exponential", (scale,), size, device)

    def gamma(self, shape, scale=1.0, size=None, *, device=None):
        return self._dist("gamma", (shape, scale), size, device)

    def beta(self, a, b, size=None, *, device=None):
        return self._dist("beta", (a, b), size, device)

    def poisson(self, lam=1.0, size=None, *, device=None):
        return self._dist("poisson", (lam,), size, device)

    def binomial(self, n, p, size=None, *, device=None):
        return self._dist("binomial", (n, p), size, device)

    def multivariate_normal(self, mean, cov, size=None, check_valid="warn", tol=1e-8, *, method="svd",
                            device=None):
        """Computed on the host (it factorizes ``cov``), then placed on the device."""
        return self._dist("multivariate_normal", (mean, cov), size, device, check_valid=check_valid, tol=tol,
                          method=method)

    # Sampling and permutations: indices are drawn on the host, the data moves on its device.

    def choice(self, a, size=None, replace=True, p=None, axis=0, shuffle=True, *, device=None):
        """Samples from ``a`` (an int n means arange(n)) along ``axis``; ``p`` gives the probabilities."""
        if isinstance(a, ndarray) and a.ndim == 0:
            a = _call("choice", operator.index, a.item())
        if not isinstance(a, ndarray) and np.ndim(a) == 0:
            pop = _call("choice", operator.index, a)
            idx = _call("choice", self._gen.choice, pop, size=size, replace=replace, p=_host(p), shuffle=shuffle)
            return _place(idx, _device(device, p))
        a = _as_array("choice", a, device)
        axis = _views.normalize_axis(axis, a.ndim, "choice")
        pop = a.shape[axis]
        if pop == 0:
            n = 1 if size is None else int(np.prod(_call("choice", _size_tuple, size)))
            if n:
                raise ValueError("choice: a cannot be empty unless no samples are taken")
        idx = _call("choice", self._gen.choice, pop, size=size, replace=replace, p=_host(p), shuffle=shuffle)
        return take(a, asarray(np.asarray(idx, dtype=np.int64), device=a.device), axis=axis)

    def _perm(self, n, device):
        return asarray(self._gen.permutation(n), device=device)

    def permutation(self, x, axis=0, *, device=None):
        """A permuted copy of ``x`` along ``axis``; an int n gives a permutation of arange(n)."""
        if not isinstance(x, ndarray) and np.ndim(x) == 0:
            return _place(_call("permutation", self._gen.permutation, _call("permutation", operator.index, x)),
                          as_device(device))
        x = _as_array("permutation", x, device)
        axis = _views.normalize_axis(axis, x.ndim, "permutation")
        return take(x, self._perm(x.shape[axis], x.device), axis=axis)

    def shuffle(self, x, axis=0):
        """Shuffle the rdnarray array ``x`` along ``axis`` in place."""
        if not isinstance(x, ndarray):
            raise TypeError(f"shuffle: x must be an rdnarray.ndarray (shuffled in place on its device), "
                            f"not {type(x).__name__}")
        if x.ndim == 0:
            raise TypeError("shuffle: x must be at least 1-dimensional, got a 0-d array")
        axis = _views.normalize_axis(axis, x.ndim, "shuffle")
        if x.data.readonly:
            raise ValueError("shuffle: array is read-only")
        x[...] = take(x, self._perm(x.shape[axis], x.device), axis=axis)

    def permuted(self, x, axis=None, out=None):
        """``x`` with each slice along ``axis`` shuffled independently (all elements when axis is None)."""
        x = _as_array("permuted", x)
        if axis is not None:
            axis = _views.normalize_axis(axis, x.ndim, "permuted")
        if out is not None:
            if not isinstance(out, ndarray):
                raise TypeError(f"permuted: out must be an rdnarray.ndarray, not {type(out).__name__}")
            if out.shape != x.shape:
                raise ValueError(f"permuted: out has shape {out.shape}, x has shape {x.shape}")
            if out.device != x.device:
                raise ValueError(f"permuted: out is on {out.device}, x on {x.device}")
            if not np.can_cast(x.dtype, out.dtype, "safe"):
                raise TypeError(f"permuted: cannot cast {x.dtype} to out's {out.dtype} under the 'safe' rule")
            if out.data.readonly:
                raise ValueError("permuted: output array is read-only")
        if axis is None:
            # NumPy shuffles the C-ordered flattened copy: the same draws as a permutation of its length.
            result = take(x, self._perm(x.size, x.device)).reshape(x.shape)
        else:
            # Permuting an index grid consumes the stream exactly as permuting x itself (same slice lengths,
            # same C-order iteration over slices).
            shape = [1] * x.ndim
            shape[axis] = x.shape[axis]
            grid = np.broadcast_to(np.arange(x.shape[axis]).reshape(shape), x.shape).copy()
            idx = self._gen.permuted(grid, axis=axis, out=grid)
            result = take_along_axis(x, asarray(idx, device=x.device), axis=axis)
        if out is None:
            return result
        out.device.backend.copy(result, out)
        return out


Generator.__module__ = "rdnarray.random"


def default_rng(seed=None):
    """A ``Generator`` on ``numpy.random.Philox(seed)``: the same seed gives the same numbers on every device.

    ``seed`` is None (fresh OS entropy), an int or sequence of ints, a ``numpy.random.SeedSequence``, a
    ``numpy.random.Philox``, or a ``Generator`` (returned unaltered, as NumPy does).
    """
    if isinstance(seed, Generator):
        return seed
    if isinstance(seed, np.random.Generator):
        return Generator(seed.bit_generator)
    if isinstance(seed, np.random.BitGenerator):
        return Generator(seed)
    return Generator(_call("default_rng", np.random.Philox, _host(seed)))


default_rng.__module__ = "rdnarray.random"
