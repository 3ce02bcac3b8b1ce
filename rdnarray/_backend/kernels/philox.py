"""Uniform draws of NumPy's Philox4x64-10 stream on the GPU (src_hip/philox.hip): the numbers of
``numpy.random.Generator(Philox).random(n, dtype)`` and ``.uniform(low, high, n)``, bit for bit, with the bit
generator's state advanced exactly as NumPy advances it.

``plan(state, n, single)`` is the pure part: from a ``numpy.random.Philox`` state dict, what precedes the first
Philox block the kernel computes (a leftover 32-bit half, buffered words), how many blocks, and the state after
the draw (NumPy's own Philox computes the block that stays buffered). ``fill`` launches the kernel.
"""
import threading
from collections import namedtuple

import numpy as np

from .sorting import THREADS, grid_for, kernel, ptr, source

_U64 = 2**64 - 1
_CTYPES = {np.dtype(np.float32): "float", np.dtype(np.float64): "double"}

Plan = namedtuple("Plan", "counter key first half h blocks state")
_scratch = threading.local()  # a numpy.random.Philox per thread, to compute the block that stays buffered


def _number(words):
    return sum(int(w) << (64 * i) for i, w in enumerate(words))


def _words(x, count):
    return np.array([(x >> (64 * i)) & _U64 for i in range(count)], np.uint64)


def plan(state, n, single):
    """The kernel's inputs for ``n`` draws (floats if ``single``, else doubles) from the Philox state dict
    ``state``, and the state NumPy would have after them."""
    counter, key = state["state"]["counter"], state["state"]["key"]
    pos, buffer = int(state["buffer_pos"]), state["buffer"]
    h = int(state["has_uint32"]) if single else 0  # doubles ignore a leftover half (NumPy's next_double)
    h = min(h, n)
    words = -(-(n - h) // 2) if single else n
    k = min(4 - pos, words)  # words still in the buffer
    first = [int(w) for w in buffer[pos:pos + k]]
    blocks = -(-(words - k) // 4)
    new = {"bit_generator": "Philox", "state": {"counter": counter.copy(), "key": key.copy()},
           "buffer": buffer.copy(), "buffer_pos": pos + k, "has_uint32": int(state["has_uint32"]),
           "uinteger": int(state["uinteger"])}
    last = first[-1] if first else None
    if blocks:
        # NumPy's Philox, set just before the last block, draws that block's words into its buffer.
        g = getattr(_scratch, "philox", None)
        if g is None:
            g = _scratch.philox = np.random.Philox(0)
        start = (_number(counter) + blocks - 1) & (2**256 - 1)
        g.state = {"bit_generator": "Philox", "state": {"counter": _words(start, 4), "key": key},
                   "buffer": buffer, "buffer_pos": 4, "has_uint32": 0, "uinteger": 0}
        last = int(g.random_raw(words - k - 4 * (blocks - 1))[-1])
        done = g.state
        new["state"]["counter"], new["buffer"], new["buffer_pos"] = (
            done["state"]["counter"], done["buffer"], done["buffer_pos"])
    if single and n:
        m = n - h  # halves taken from words
        new["has_uint32"] = m % 2
        if m:
            new["uinteger"] = last >> 32  # NumPy keeps a word's high half, used or not
    return Plan(counter, key, first, int(state["uinteger"]), h, blocks, new)


def fill(backend, out, bit_generator, low=None, high=None):
    """Fill the C-contiguous float32/float64 array ``out`` with ``bit_generator``'s next uniform draws in
    [0, 1) (or NumPy's ``uniform(low, high)``: float64 only, Python floats with a finite difference) and
    advance its state. Returns ``out``."""
    n = out.size
    single = out.dtype == np.float32
    p = plan(bit_generator.state, n, single)
    affine = low is not None
    if n:
        f = kernel(backend, "philox.hip", "rp_philox_uniform", T=_CTYPES[out.dtype])
        first = [*p.first, 0, 0, 0, 0][:4]
        args = (ptr(out), n, *(int(c) for c in p.counter), int(p.key[0]), int(p.key[1]), *first, len(p.first), p.h,
                p.half, p.blocks, int(affine), float(low) if affine else 0.0,
                float(high) - float(low) if affine else 0.0)
        f.launch((grid_for(backend, max(p.blocks, 1)), 1, 1), (THREADS, 1, 1), 0, backend.stream, args,
                 "Pq4QQQ4QiiQqidd")
    bit_generator.state = p.state
    return out


def examples():
    """(source, kernel name) for the compile checks."""
    return [(source("philox.hip", T=t), "rp_philox_uniform") for t in ("float", "double")]
