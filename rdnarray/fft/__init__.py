"""The Array API ``fft`` extension (2025.12) and NumPy's 2-D helpers (fft2, ifft2, rfft2, irfft2).

Lengths, axes, norms and dtypes are resolved here; each transform is one backend operation ("fft.fft",
"fft.rfftn", ...) with every argument explicit. float32/complex64 inputs give complex64 (float32 for
the real-output transforms) as in NumPy 2; integer and boolean inputs are computed in double precision.
"""
import operator

from .._core import dtypes as _dt
from .._core import views as _views
from .._core.devices import as_device
from .._core.transfer import asarray
from .._linear_algebra_functions import _arrays

__all__ = [
    "fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft",
    "fftfreq", "rfftfreq", "fftshift", "ifftshift",
    "fft2", "ifft2", "rfft2", "irfft2",
]

_NORMS = ("backward", "ortho", "forward")


def _norm(op, norm):
    if norm is None:
        return "backward"
    if norm not in _NORMS:
        raise ValueError(f"{op}: invalid norm {norm!r}; use 'backward', 'ortho' or 'forward'")
    return norm


def _input(op, x, real):
    """``x`` as an array the transform takes: ``real`` transforms need real input (TypeError otherwise)."""
    (x,) = _arrays(op, x)
    if x.ndim == 0:
        raise ValueError(f"{op}: x must have at least 1 dimension, got a 0-d array")
    if real and x.dtype.kind == "c":
        raise TypeError(f"{op}: x must be real-valued, got dtype {x.dtype}")
    if x.dtype.kind in "biu":
        x = asarray(x, dtype=_dt.DEFAULT_FLOAT)
    return x


def _length(op, n):
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"{op}: n must be an integer, got {type(n).__name__}") from None
    if n < 1:
        raise ValueError(f"{op}: invalid number of data points ({n}) specified")
    return n


def _one(op, name, x, n, axis, norm, real_in=False, default_n=None):
    x = _input(op, x, real_in)
    axis = _views.normalize_axis(axis, x.ndim, op)
    if n is None and default_n is not None:
        n = default_n(x.shape[axis])
    n = x.shape[axis] if n is None else _length(op, n)
    return x.device.backend.run("fft." + name, x, n=n, axis=axis, norm=_norm(op, norm))


def fft(x, /, n=None, axis=-1, norm="backward"):
    return _one("fft", "fft", x, n, axis, norm)


def ifft(x, /, n=None, axis=-1, norm="backward"):
    return _one("ifft", "ifft", x, n, axis, norm)


def rfft(x, /, n=None, axis=-1, norm="backward"):
    """Transform of real input: the n//2 + 1 non-negative frequency terms."""
    return _one("rfft", "rfft", x, n, axis, norm, real_in=True)


def irfft(x, /, n=None, axis=-1, norm="backward"):
    """Inverse of ``rfft``: real output of length n (default 2 * (m - 1))."""
    return _one("irfft", "irfft", x, n, axis, norm, default_n=lambda m: 2 * (m - 1))


def hfft(x, /, n=None, axis=-1, norm="backward"):
    """Transform of a Hermitian-symmetric signal given by its first half: real output of length n."""
    return _one("hfft", "hfft", x, n, axis, norm, default_n=lambda m: 2 * (m - 1))


def ihfft(x, /, n=None, axis=-1, norm="backward"):
    return _one("ihfft", "ihfft", x, n, axis, norm, real_in=True)


def _many(op, name, x, s, axes, norm, real_in=False, half_last=False):
    """An n-dimensional transform with ``s`` and ``axes`` resolved to explicit, equal-length lists."""
    x = _input(op, x, real_in)
    if s is not None:
        s = list(s)
    if axes is None:
        axes = list(range(x.ndim - (len(s) if s is not None else x.ndim), x.ndim))
        if s is not None and len(s) > x.ndim:
            raise ValueError(f"{op}: s {tuple(s)} has more entries than x has dimensions ({x.shape})")
    else:
        axes = [_views.normalize_axis(a, x.ndim, op) for a in (axes if hasattr(axes, "__iter__") else [axes])]
    if s is None:
        s = [x.shape[a] for a in axes]
        if half_last and axes:
            s[-1] = 2 * (x.shape[axes[-1]] - 1)
    elif len(s) != len(axes):
        raise ValueError(f"{op}: s {tuple(s)} and axes {tuple(axes)} must have the same length")
    else:
        # -1 in s means the input's own length along that axis (the standard's rule).
        for i, (n, a) in enumerate(zip(s, axes)):
            if n == -1:
                s[i] = 2 * (x.shape[a] - 1) if half_last and i == len(s) - 1 else x.shape[a]
            else:
                s[i] = _length(op, n)
    if half_last and axes and s[-1] < 1:
        raise ValueError(f"{op}: invalid number of data points ({s[-1]}) specified")
    return x.device.backend.run("fft." + name, x, s=tuple(s), axes=tuple(axes), norm=_norm(op, norm))


def fftn(x, /, s=None, axes=None, norm="backward"):
    return _many("fftn", "fftn", x, s, axes, norm)


def ifftn(x, /, s=None, axes=None, norm="backward"):
    return _many("ifftn", "ifftn", x, s, axes, norm)


def rfftn(x, /, s=None, axes=None, norm="backward"):
    return _many("rfftn", "rfftn", x, s, axes, norm, real_in=True)


def irfftn(x, /, s=None, axes=None, norm="backward"):
    return _many("irfftn", "irfftn", x, s, axes, norm, half_last=True)


def fft2(a, s=None, axes=(-2, -1), norm="backward"):
    return _many("fft2", "fftn", a, s, axes, norm)


def ifft2(a, s=None, axes=(-2, -1), norm="backward"):
    return _many("ifft2", "ifftn", a, s, axes, norm)


def rfft2(a, s=None, axes=(-2, -1), norm="backward"):
    return _many("rfft2", "rfftn", a, s, axes, norm, real_in=True)


def irfft2(a, s=None, axes=(-2, -1), norm="backward"):
    return _many("irfft2", "irfftn", a, s, axes, norm, half_last=True)


def _freq(op, name, n, d, dtype, device):
    n = operator.index(n)
    if n < 1:
        raise ValueError(f"{op}: n must be a positive integer, got {n}")
    dt = _dt.normalize(dtype) or _dt.DEFAULT_FLOAT
    if dt.kind != "f":
        raise ValueError(f"{op}: dtype must be a real floating-point dtype, got {dt}")
    out = as_device(device).backend.run("fft." + name, n, d=d)
    return out if out.dtype == dt else asarray(out, dtype=dt)


def fftfreq(n, /, d=1.0, *, dtype=None, device=None):
    """Sample frequencies [0, 1, ..., -2, -1] / (d * n) of an n-point transform."""
    return _freq("fftfreq", "fftfreq", n, d, dtype, device)


def rfftfreq(n, /, d=1.0, *, dtype=None, device=None):
    """Non-negative sample frequencies [0, 1, ..., n // 2] / (d * n) of an n-point rfft."""
    return _freq("rfftfreq", "rfftfreq", n, d, dtype, device)


def _shift(op, name, x, axes):
    (x,) = _arrays(op, x)
    axes = tuple(range(x.ndim)) if axes is None else tuple(
        _views.normalize_axis(a, x.ndim, op) for a in (axes if hasattr(axes, "__iter__") else [axes]))
    return x.device.backend.run("fft." + name, x, axes=axes)


def fftshift(x, /, axes=None):
    """Move the zero-frequency term to the centre along ``axes`` (all by default)."""
    return _shift("fftshift", "fftshift", x, axes)


def ifftshift(x, /, axes=None):
    return _shift("ifftshift", "ifftshift", x, axes)
