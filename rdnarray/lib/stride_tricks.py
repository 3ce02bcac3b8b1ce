"""Views with hand-made strides: NumPy's ``sliding_window_view`` and ``as_strided``.

Both return views of the same buffer, computed by the core's layout arithmetic (no copy). Unlike NumPy's,
they are writable (rdnarray marks read-only per buffer, not per view): write through them with care, as
overlapping windows alias the same elements.
"""
import operator

from .._core.ndarray import make_view
from .._core.transfer import asarray
from .._core.views import normalize_axis

__all__ = ["sliding_window_view", "as_strided"]


def sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False):
    """Every window of ``window_shape`` over ``axis`` (all axes by default) as a view; the window
    dimensions come last, as in NumPy."""
    x = asarray(x)
    window_shape = tuple(window_shape) if hasattr(window_shape, "__iter__") else (window_shape,)
    window_shape = tuple(operator.index(w) for w in window_shape)
    if any(w < 0 for w in window_shape):
        raise ValueError(f"sliding_window_view: window_shape cannot contain negative values: {window_shape}")
    if axis is None:
        axis = tuple(range(x.ndim))
        if len(window_shape) != len(axis):
            raise ValueError(f"sliding_window_view: window_shape {window_shape} needs one entry per axis of "
                             f"x (shape {x.shape})")
    else:
        axis = tuple(axis) if hasattr(axis, "__iter__") else (axis,)
        if len(window_shape) != len(axis):
            raise ValueError(f"sliding_window_view: window_shape {window_shape} and axis {axis} differ in length")
    axis = tuple(normalize_axis(a, x.ndim, "sliding_window_view") for a in axis)
    shape = list(x.shape)
    for a, w in zip(axis, window_shape):
        if shape[a] < w:
            raise ValueError(f"sliding_window_view: window_shape {window_shape} is larger than x {x.shape} "
                             f"along axis {a}")
        shape[a] -= w - 1
    strides = x.strides + tuple(x.strides[a] for a in axis)
    return make_view(x, tuple(shape) + window_shape, strides, x._offset)


def as_strided(x, shape=None, strides=None, subok=False, writeable=True):
    """A view of ``x``'s memory with the given shape and byte strides. Like NumPy's, it trusts its
    arguments: strides that reach outside ``x``'s buffer read or write foreign memory."""
    x = asarray(x)
    shape = x.shape if shape is None else tuple(operator.index(s) for s in shape)
    strides = x.strides if strides is None else tuple(operator.index(s) for s in strides)
    if len(shape) != len(strides):
        raise ValueError(f"as_strided: shape {shape} and strides {strides} differ in length")
    return make_view(x, shape, strides, x._offset)
