"""rdnarray: NumPy and the Python Array API standard on AMD GPUs (HIP), NVIDIA GPUs and the CPU.

    import rdnarray as rp
    x = rp.linspace(0, 1, 1_000_000)
    y = rp.sin(x) ** 2 + rp.cos(x) ** 2

Arrays live on a device: the first working GPU by default, else the CPU (see ``rp.show_config()``).
"""
import math as _math

import numpy as _np

from . import _core
from ._core import (devices as _devices, dlpack as _dlpack, elementwise as _elementwise, indexing as _indexing,
                    ndarray as _ndarray_mod, protocols as _protocols, transfer as _transfer,
                    ufunc_methods as _ufunc_methods, views as _views)
from ._core.devices import Device
from ._core.dtypes import *  # noqa: F401,F403
from ._core.dtypes import __all__ as _dtypes_all
from ._core.elementwise import Ufunc as ufunc
from ._core.ndarray import ndarray
from ._core.transfer import asnumpy
from ._version import __version__
from ._config import show_config
from ._creation import *  # noqa: F401,F403
from ._creation import __all__ as _creation_all
from ._data_type_functions import *  # noqa: F401,F403
from ._data_type_functions import __all__ as _data_type_all
from ._elementwise_functions import *  # noqa: F401,F403
from ._elementwise_functions import __all__ as _elementwise_all
from ._elementwise_extras import *  # noqa: F401,F403
from ._elementwise_extras import __all__ as _elementwise_extras_all
from ._indexing_functions import *  # noqa: F401,F403
from ._indexing_functions import __all__ as _indexing_all
from ._info import __array_namespace_info__
from ._linear_algebra_functions import *  # noqa: F401,F403
from ._linear_algebra_functions import __all__ as _linear_algebra_all
from ._manipulation import *  # noqa: F401,F403
from ._resizing import *  # noqa: F401,F403
from ._resizing import __all__ as _resizing_all
from ._manipulation import __all__ as _manipulation_all
from ._searching import *  # noqa: F401,F403
from ._searching import __all__ as _searching_all
from ._set import *  # noqa: F401,F403
from ._set import __all__ as _set_all
from ._sorting import *  # noqa: F401,F403
from ._sorting import __all__ as _sorting_all
from ._statistical import *  # noqa: F401,F403
from ._statistical import __all__ as _statistical_all
from ._numpy_extras import *  # noqa: F401,F403
from ._numpy_extras import __all__ as _numpy_extras_all
from ._index_tricks import *  # noqa: F401,F403
from ._index_tricks import __all__ as _index_tricks_all
from ._polynomial_class import *  # noqa: F401,F403
from ._polynomial_class import __all__ as _polynomial_class_all
from ._user_kernels import *  # noqa: F401,F403
from ._user_kernels import __all__ as _user_kernels_all
from ._fusion import fuse
from . import emath, fft, gpu, lib, linalg, random, typing  # noqa: E402
from ._backend.memory import OutOfMemoryError

__array_api_version__ = "2025.12"
_SUPPORTED_API_VERSIONS = ("2021.12", "2022.12", "2023.12", "2024.12", "2025.12")

# Constants.
e = _math.e
pi = _math.pi
inf = _math.inf
nan = _math.nan
newaxis = None
euler_gamma = _np.euler_gamma

# NumPy's spellings of Array API names, in one place.
absolute = abs
acos, acosh, asin, asinh, atan, atanh, atan2 = acos, acosh, asin, asinh, atan, atanh, atan2
arccos, arccosh, arcsin, arcsinh, arctan, arctanh, arctan2 = acos, acosh, asin, asinh, atan, atanh, atan2
power = pow
invert = bitwise_not = bitwise_invert
left_shift = bitwise_left_shift
right_shift = bitwise_right_shift
conjugate = conj
true_divide = divide
mod = remainder


def __getattr__(name):
    # rdnarray.testing imports numpy.testing (~70 ms): made on first use, as NumPy makes its own.
    if name == "testing":
        import importlib
        return importlib.import_module(".testing", __name__)
    raise AttributeError(f"module 'rdnarray' has no attribute {name!r}")


__all__ = (
    ["ndarray", "Device", "ufunc", "asnumpy", "show_config", "__version__", "__array_api_version__",
     "__array_namespace_info__", "e", "pi", "inf", "nan", "newaxis", "euler_gamma", "emath", "fft", "gpu", "lib", "linalg", "random", "testing", "typing",
     "OutOfMemoryError",
     "absolute", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "arctan2", "power", "invert",
     "bitwise_not", "left_shift", "right_shift", "conjugate", "true_divide", "mod"]
    + _dtypes_all + _creation_all + _data_type_all + _elementwise_all + _elementwise_extras_all + _indexing_all
    + _linear_algebra_all + _manipulation_all + _resizing_all + _searching_all + _set_all + _sorting_all + _statistical_all
    + _numpy_extras_all + _index_tricks_all + _polynomial_class_all + _user_kernels_all + ["fuse"]
)


def _set_public_module(namespace, module):
    """Functions and classes report the public path they are used by (``rdnarray.sum``, not
    ``rdnarray._statistical.sum``), in help(), reprs and pickles, as NumPy's ``set_module`` does."""
    for name in namespace.__all__:
        obj = vars(namespace).get(name)  # not getattr: that would import the lazy submodules
        if isinstance(obj, (_types.FunctionType, type)) and obj.__module__.startswith("rdnarray."):
            try:
                obj.__module__ = module
            except TypeError:
                pass  # compiled (Cython) types are immutable and keep their module


import sys as _sys  # noqa: E402
import types as _types  # noqa: E402

_set_public_module(_sys.modules[__name__], "rdnarray")
_set_public_module(linalg, "rdnarray.linalg")
_set_public_module(fft, "rdnarray.fft")
_set_public_module(random, "rdnarray.random")
_set_public_module(gpu, "rdnarray.gpu")

# The array and the ufuncs call back into this namespace for every operator and method.

_ndarray_mod._bind(_sys.modules[__name__])
_elementwise._bind(_sys.modules[__name__])
