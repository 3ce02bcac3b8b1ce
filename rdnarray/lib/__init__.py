"""NumPy's ``numpy.lib`` as far as array code uses it: ``scimath`` (which is ``rdnarray.emath``) and
``stride_tricks``."""
from .. import emath as scimath
from . import stride_tricks

__all__ = ["scimath", "stride_tricks"]
