"""NumPy's random API producing rdnarray arrays, on a counter-based stream (Philox4x64-10).

    rng = rdnarray.random.default_rng(42)
    x = rng.standard_normal((1000, 3), dtype=rdnarray.float32)
    i = rng.integers(0, 10, size=5, device="cpu")

The stream is NumPy's ``numpy.random.Philox`` bit generator (Philox4x64-10: a 256-bit key derived from the seed
by ``SeedSequence``, a 256-bit counter that advances with each draw), and the distributions are those of
``numpy.random.Generator``. ``default_rng(s)`` therefore draws exactly the numbers of
``numpy.random.Generator(numpy.random.Philox(s))``, bit for bit.

Results go to the requested device (``device=``; default: the device of the first rdnarray argument, else the
default device). A GPU computes large uniform draws itself (``random``/``rand``/``random_sample`` and
``uniform`` with scalar bounds, from 16384 values): its kernel reproduces Philox4x64-10 with NumPy's
key/counter layout and NumPy's 53-bit doubles and 24-bit floats, and the bit generator's state advances as
NumPy's would. Every other draw is made on the host and copied: NumPy's algorithms there (ziggurat normals,
rejection sampling) consume a data-dependent number of words, which a device would have to replay exactly.
Gathers (choice from an array, permutation, shuffle, permuted) draw only indices on the host and move the data
on the array's device. So the same seed gives the same numbers on every device and in every run.

The legacy module-level functions (seed, rand, randn, randint, random, ...) use one global Philox-based
``Generator``. They cannot reproduce NumPy's legacy MT19937 numbers: the same seed gives the same numbers across
rdnarray devices and runs, not the numbers of ``numpy.random.seed``. ``get_state``/``set_state`` describe an
MT19937 state and raise TypeError; use ``default_rng(seed).bit_generator.state`` instead.
"""
from numpy.random import Philox, SeedSequence

from ._generator import Generator, default_rng

__all__ = [
    "Generator", "default_rng", "Philox", "SeedSequence",
    "seed", "get_state", "set_state", "rand", "randn", "randint", "random", "random_sample", "standard_normal",
    "uniform", "normal", "lognormal", "exponential", "standard_exponential", "gamma", "beta", "poisson",
    "binomial", "multivariate_normal", "choice", "permutation", "shuffle", "bytes",
]

_global = None


def _rng():
    global _global
    if _global is None:
        _global = Generator(Philox())
    return _global


def seed(seed=None):
    """Reseed the global generator with ``Philox(seed)`` (not NumPy's MT19937: see the module docstring)."""
    global _global
    _global = default_rng(seed)


def get_state(legacy=True):
    raise TypeError("get_state: rdnarray's global generator is Philox4x64-10, not NumPy's MT19937, so it has no "
                    "legacy state; use rdnarray.random.default_rng(seed).bit_generator.state")


def set_state(state):
    raise TypeError("set_state: rdnarray's global generator is Philox4x64-10, not NumPy's MT19937, so it takes no "
                    "legacy state; use rdnarray.random.seed(seed) or a Generator(numpy.random.Philox(...))")


def rand(*shape, device=None):
    """Floats in [0, 1) of the given shape (``rand(2, 3)``)."""
    return _rng().random(shape, device=device)


def randn(*shape, device=None):
    """Standard normal floats of the given shape (``randn(2, 3)``)."""
    return _rng().standard_normal(shape, device=device)


def randint(low, high=None, size=None, dtype=int, *, device=None):
    """Integers in [low, high) (or [0, low) when high is None)."""
    return _rng().integers(low, high, size=size, dtype=dtype, device=device)


def random(size=None, *, device=None):
    """Floats in [0, 1)."""
    return _rng().random(size, device=device)


def random_sample(size=None, *, device=None):
    """Floats in [0, 1) (NumPy's legacy name for ``random``)."""
    return _rng().random(size, device=device)


def standard_normal(size=None, *, device=None):
    return _rng().standard_normal(size, device=device)


def uniform(low=0.0, high=1.0, size=None, *, device=None):
    return _rng().uniform(low, high, size, device=device)


def normal(loc=0.0, scale=1.0, size=None, *, device=None):
    return _rng().normal(loc, scale, size, device=device)


def lognormal(mean=0.0, sigma=1.0, size=None, *, device=None):
    return _rng().lognormal(mean, sigma, size, device=device)


def exponential(scale=1.0, size=None, *, device=None):
    return _rng().exponential(scale, size, device=device)


def standard_exponential(size=None, *, device=None):
    return _rng().standard_exponential(size, device=device)


def gamma(shape, scale=1.0, size=None, *, device=None):
    return _rng().gamma(shape, scale, size, device=device)


def beta(a, b, size=None, *, device=None):
    return _rng().beta(a, b, size, device=device)


def poisson(lam=1.0, size=None, *, device=None):
    return _rng().poisson(lam, size, device=device)


def binomial(n, p, size=None, *, device=None):
    return _rng().binomial(n, p, size, device=device)


def multivariate_normal(mean, cov, size=None, check_valid="warn", tol=1e-8, *, device=None):
    return _rng().multivariate_normal(mean, cov, size, check_valid, tol, device=device)


def choice(a, size=None, replace=True, p=None, *, device=None):
    """Samples from ``a`` (an int n means arange(n)) with probabilities ``p``."""
    return _rng().choice(a, size, replace, p, device=device)


def permutation(x, *, device=None):
    """A permuted copy of ``x`` along its first axis; an int n gives a permutation of arange(n)."""
    return _rng().permutation(x, device=device)


def shuffle(x):
    """Shuffle the rdnarray array ``x`` along its first axis, in place."""
    _rng().shuffle(x)


def bytes(length):
    return _rng().bytes(length)
