"""Array API manipulation functions and NumPy's (transpose, ravel, hstack, split, ...)."""
import operator

from ._core import views as _views
from ._core.ndarray import ndarray
from ._core.transfer import asarray

__all__ = ["reshape", "permute_dims", "transpose", "matrix_transpose", "ravel"]


def _array(x):
    return x if isinstance(x, ndarray) else asarray(x)


def reshape(x, /, shape, *, copy=None, order="C"):
    x = _array(x)
    if order not in ("C", "A"):
        raise ValueError(f"reshape: only C order is supported, got order={order!r}")
    shape = _views.resolve_shape(shape, x.size)
    if copy:
        x = asarray(x, copy=True)
    view = _views.reshape_view(x, shape)
    if view is not None:
        return view
    if copy is False:
        raise ValueError(f"reshape: cannot reshape an array of shape {x.shape} with strides {x.strides} "
                         f"to {shape} without a copy")
    return _views.reshape_view(asarray(x, copy=True), shape)


def permute_dims(x, /, axes):
    x = _array(x)
    axes = tuple(_views.normalize_axis(a, x.ndim, "permute_dims") for a in axes)
    if sorted(axes) != list(range(x.ndim)):
        raise ValueError(f"permute_dims: axes {axes} are not a permutation of the {x.ndim} axes of {x.shape}")
    return _views.permute(x, axes)


def transpose(a, axes=None):
    a = _array(a)
    return permute_dims(a, tuple(range(a.ndim))[::-1] if axes is None else axes)


def matrix_transpose(x, /):
    x = _array(x)
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose: x must have at least 2 dimensions, got shape {x.shape}")
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return _views.permute(x, tuple(axes))


def ravel(a, order="C"):
    return reshape(a, (-1,), order=order)
