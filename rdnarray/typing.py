"""Type annotations for code that uses rdnarray, in the spirit of ``numpy.typing``."""
from typing import Union

import numpy.typing as _npt

from ._core.ndarray import ndarray

__all__ = ["ArrayLike", "DTypeLike", "NDArray"]

#: Anything rdnarray.asarray accepts: rdnarray arrays and everything NumPy converts.
ArrayLike = Union[ndarray, _npt.ArrayLike]
#: Anything rdnarray accepts as a dtype (NumPy's dtype objects, types and names).
DTypeLike = _npt.DTypeLike
#: The rdnarray array type (its dtype is not part of the annotation).
NDArray = ndarray
