"""What tests need to run unchanged on the CPU and on a GPU (RDNARRAY_DEVICE=gpu).

On the CPU, rp.asarray of a NumPy view shares its memory and keeps its strides; on a GPU it copies into a new
C-contiguous array. ``strided_like`` makes a device array with a NumPy view's exact strides on any device, so
tests of non-contiguous inputs keep testing them on the GPU.
"""
import ctypes

import numpy as np

import rdnarray as rp
from rdnarray.lib.stride_tricks import as_strided

DEFAULT = rp.__array_namespace_info__().default_device()
ON_CPU = DEFAULT.kind == "cpu"


def strided_like(a, force=False):
    """An rdnarray array on the default device with ``a``'s values, shape and byte strides."""
    a = np.asarray(a)
    if (ON_CPU and not force) or a.size == 0 or a.ndim == 0 or any(s % a.itemsize for s in a.strides):
        return rp.asarray(a)
    # The bytes from the lowest to the highest address a reaches, copied as they are; then the same strides.
    low = sum((n - 1) * s for n, s in zip(a.shape, a.strides) if s < 0)
    high = sum((n - 1) * s for n, s in zip(a.shape, a.strides) if s > 0) + a.itemsize
    start = a.__array_interface__["data"][0] + low
    span = np.frombuffer((ctypes.c_char * (high - low)).from_address(start), np.uint8).copy()
    flat = rp.asarray(span.view(a.dtype))
    return as_strided(flat[-low // a.itemsize:], a.shape, a.strides)
