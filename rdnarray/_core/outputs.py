"""Validation of a user's ``out=`` array, shared by every function that takes one."""
import numpy as np

from .ndarray import ndarray


def check_out(op, out, shape, dtype, device, casting="same_kind"):
    """Validate ``out`` for a result of ``shape`` and ``dtype`` on ``device``; nothing is written before this."""
    shape = tuple(shape)
    if not isinstance(out, ndarray):
        raise TypeError(f"{op}: out must be an rdnarray.ndarray, not {type(out).__name__}")
    if out.shape != shape:
        raise ValueError(f"{op}: output array has shape {out.shape}, but the result has shape {shape}")
    if not np.can_cast(dtype, out.dtype, casting):
        raise TypeError(f"{op}: cannot cast the result dtype {dtype} to the output dtype {out.dtype} "
                        f"with casting rule '{casting}'")
    if out.device != device:
        raise ValueError(f"{op}: out is on {out.device}, the inputs on {device}")
    if out.data.readonly:
        raise ValueError(f"{op}: output array is read-only")
    return out
