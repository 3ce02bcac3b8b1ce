"""``poly1d``: NumPy's one-variable polynomial class, with its coefficients (highest power first) stored as an
rdnarray array. Arithmetic and evaluation go through rdnarray's polynomial functions (``polyval``,
``polymul``, ...); the text form is NumPy's, made from a host copy of the coefficients.
"""
import numpy as np

from . import _elementwise_functions as _ew
from ._core.ndarray import ndarray
from ._core.transfer import asarray, asnumpy
from ._manipulation import concat
from ._creation import zeros
from ._searching import nonzero
from ._numpy_extras import isscalar, poly, polyadd, polyder, polydiv, polyint, polymul, polysub, polyval, roots

__all__ = ["poly1d"]


class poly1d:
    """A one-dimensional polynomial: ``poly1d([1, 2, 3])`` is x**2 + 2x + 3; ``poly1d([1, 2], r=True)`` is
    the monic polynomial with roots 1 and 2. ``p(x)`` evaluates it, ``p(q)`` composes two polynomials."""

    __hash__ = None

    def __init__(self, c_or_r, r=False, variable=None):
        if isinstance(c_or_r, poly1d):
            self._coeffs, self._variable = c_or_r._coeffs, c_or_r._variable
            if variable is not None:
                self._variable = variable
            return
        if r:
            c_or_r = poly(c_or_r)
        c = asarray(c_or_r)
        if c.ndim == 0:
            c = c.reshape((1,))
        if c.ndim > 1:
            raise ValueError(f"poly1d: the coefficients must be 1-d, got shape {c.shape}")
        nz = nonzero(_ew.not_equal(c, 0))[0]  # leading zeros do not count
        c = c[int(nz[0]):] if nz.shape[0] else c[c.shape[0]:]
        if c.shape[0] == 0:
            c = zeros((1,), dtype=c.dtype, device=c.device)
        self._coeffs = c
        self._variable = "x" if variable is None else variable

    @property
    def coeffs(self):
        return self._coeffs

    @coeffs.setter
    def coeffs(self, value):
        # Only in-place updates (p.coeffs *= 2) may assign, as in NumPy.
        if value is not self._coeffs:
            raise AttributeError("poly1d: cannot set the coefficients; build a new poly1d")

    @property
    def variable(self):
        return self._variable

    @property
    def order(self):
        return self._coeffs.shape[0] - 1

    @property
    def roots(self):
        return roots(self._coeffs)

    r = roots
    c = coef = coefficients = coeffs
    o = order

    def __array__(self, dtype=None, copy=None):
        arr = asnumpy(self._coeffs)
        return arr if dtype is None else arr.astype(dtype, copy=False)

    def _host(self):
        return np.poly1d(asnumpy(self._coeffs), variable=self._variable)

    def __repr__(self):
        return repr(self._host())

    def __str__(self):
        return str(self._host())

    def __len__(self):
        return self.order

    def __call__(self, val):
        if isinstance(val, poly1d):
            # Composition by Horner's rule: p(q) = (...(c0 q + c1) q + ...) + cn.
            res = poly1d(zeros((1,), dtype=self._coeffs.dtype, device=self._coeffs.device))
            for k in range(self._coeffs.shape[0]):
                res = res * val + poly1d(self._coeffs[k:k + 1])
            return res
        return polyval(self._coeffs, val)

    def __neg__(self):
        return poly1d(_ew.negative(self._coeffs))

    def __pos__(self):
        return self

    def __mul__(self, other):
        if isscalar(other):
            return poly1d(_ew.multiply(self._coeffs, other))
        return poly1d(polymul(self._coeffs, poly1d(other)._coeffs))

    def __rmul__(self, other):
        if isscalar(other):
            return poly1d(_ew.multiply(other, self._coeffs))
        return poly1d(polymul(poly1d(other)._coeffs, self._coeffs))

    def __add__(self, other):
        return poly1d(polyadd(self._coeffs, poly1d(other)._coeffs))

    __radd__ = __add__

    def __sub__(self, other):
        return poly1d(polysub(self._coeffs, poly1d(other)._coeffs))

    def __rsub__(self, other):
        return poly1d(polysub(poly1d(other)._coeffs, self._coeffs))

    def __pow__(self, val):
        if not isscalar(val) or int(val) != val or val < 0:
            raise ValueError(f"poly1d: powers must be non-negative integers, got {val!r}")
        res = asarray([1], device=self._coeffs.device)
        for _ in range(int(val)):
            res = polymul(self._coeffs, res)
        return poly1d(res)

    def __truediv__(self, other):
        """A scalar divides the coefficients; a polynomial gives (quotient, remainder) as poly1d's."""
        if isscalar(other):
            return poly1d(_ew.divide(self._coeffs, other))
        q, r = polydiv(self._coeffs, poly1d(other)._coeffs)
        return poly1d(q), poly1d(r)

    def __rtruediv__(self, other):
        if isscalar(other):
            return poly1d(_ew.divide(other, self._coeffs))
        q, r = polydiv(poly1d(other)._coeffs, self._coeffs)
        return poly1d(q), poly1d(r)

    def __eq__(self, other):
        if not isinstance(other, poly1d):
            return NotImplemented
        if self._coeffs.shape != other._coeffs.shape:
            return False
        return bool(_ew.equal(self._coeffs, other._coeffs).all())

    def __ne__(self, other):
        if not isinstance(other, poly1d):
            return NotImplemented
        return not self.__eq__(other)

    def __getitem__(self, val):
        """The coefficient of x**val (zero beyond the order or for negative powers)."""
        if val > self.order or val < 0:
            return self._coeffs.dtype.type(0)
        return self._coeffs[self.order - val]

    def __setitem__(self, key, val):
        if key < 0:
            raise ValueError("poly1d: negative powers are not supported")
        if key > self.order:
            pad = zeros((key - self.order,), dtype=self._coeffs.dtype, device=self._coeffs.device)
            self._coeffs = concat([pad, self._coeffs])
        self._coeffs[self.order - key] = val

    def __iter__(self):
        return iter(self._coeffs)

    def integ(self, m=1, k=0):
        """The ``m``-th antiderivative, with integration constants ``k``."""
        return poly1d(polyint(self._coeffs, m=m, k=k))

    def deriv(self, m=1):
        """The ``m``-th derivative."""
        return poly1d(polyder(self._coeffs, m=m))


poly1d.__module__ = "rdnarray"
