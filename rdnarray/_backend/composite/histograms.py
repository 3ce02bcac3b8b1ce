"""Counting and histograms built from sorts, binary searches, gathers and sequential per-bin sums, so the
data stay where they are: NumPy's bincount, digitize, histogram, histogram_bin_edges, histogram2d and
histogramdd (names of ``backend.run``).

Each follows numpy/lib/_histograms_impl.py (and np.bincount / np.digitize) step by step in NumPy's dtypes:

* Counts are exact integers whatever the order: a sort, then binary searches for where each bin starts.
* Weighted sums must add in NumPy's order to round as NumPy does. np.bincount adds each bin's weights in
  the order of the data: a stable sort by bin keeps that order, and kernels/segments.py sums each bin
  as one chain. np.histogram works in blocks of 65536 elements (per-block sums, then ``n += block``), and
  with explicit edges through a per-block sort and cumsum: the same blocks are kept here.
* The edges come from NumPy itself (np.linspace on the host, from the range or the data's min and max: a
  transfer of two numbers per dimension, since the edges are computed from them as Python scalars).

Where the results can differ from NumPy's in the last bit: weighted histograms with explicit edges when
values repeat (NumPy orders equal values by its unstable sort, which decides the order their weights are
added in); ``density=True`` with weights (the normalising sum is the device's reduction, not NumPy's
pairwise sum).

Device-to-host transfers, each of a few numbers: bincount's length (the maximum); digitize's direction
(the bins' monotonicity); histogram's outer edges from the data (min and max, when no range is given), the
check that explicit edges increase, and for the estimators ('auto', 'fd', ...) the data's min, max and
quartiles; histogramdd's mins and maxes (one transfer for all dimensions). Bin edges made from numbers
(np.linspace) and the positions that ``arange`` gives are made on the host and copied to the device.

Not covered (NotImplemented, the host computes): complex data; bins 'scott', 'doane' and 'stone' (their
width needs NumPy's std/mean reductions or ~100 histograms); weights of complex64 past one block, or of
bool/complex with explicit edges; bins given as one array to histogramdd (or of length 1 or 2 to
histogram2d); every input NumPy rejects (non-monotonic edges or bins, non-finite ranges, ...: small
transfers find out, NumPy then raises).
"""
import numbers
import operator
import warnings

import numpy as np

import rdnarray as rp

from ..._core.ndarray import ndarray
from ..kernels import segments

BLOCK = 65536  # np.histogram's block of elements
_INT64 = np.dtype(np.int64)
_FLOAT64 = np.dtype(np.float64)
_UNSIGNED = {np.dtype(t): np.dtype(u) for t, u in ((np.int8, np.uint8), (np.int16, np.uint16),
                                                      (np.int32, np.uint32), (np.int64, np.uint64))}


# ---- counting ----------------------------------------------------------------------------------------------

def _iota(device, n):
    return rp.arange(n, dtype=_INT64, device=device)


def _counts(backend, idx, nbins):
    """np.bincount(idx, minlength=nbins) for 1-D integer ``idx`` with values in [0, nbins)."""
    s = backend.run("sort", idx, axis=0, stable=False)
    starts = backend.run("searchsorted", s, _iota(idx.device, nbins + 1), side="left")
    return rp.subtract(starts[1:], starts[:nbins])


def _bin_sums(backend, idx, w, nbins, acc=_FLOAT64):
    """Each bin's weights added in order (np.bincount(idx, weights=w, minlength=nbins) for acc float64)."""
    order = backend.run("argsort", idx, axis=0, stable=True)
    bounds = backend.run("searchsorted", backend.run("take", idx, order, axis=0, mode="clip"),
                         _iota(idx.device, nbins + 1), side="left")
    return segments.segment_sum(backend, backend.run("take", w, order, axis=0, mode="clip"), bounds, acc)


def _column_sums(backend, m, acc):
    """Sequential sums down the columns of the 2-D ``m`` (``n += row`` for each row, from zeros)."""
    rows, cols = m.shape
    t = rp.reshape(rp.permute_dims(m, (1, 0)), (rows * cols,))
    return segments.segment_sum(backend, t, rp.arange(0, rows * cols + 1, rows, dtype=_INT64, device=m.device),
                                acc)


def bincount(backend, x, weights=None, minlength=0):
    if not isinstance(x, ndarray) or x.ndim != 1 or x.dtype.kind not in "biu":
        return NotImplemented
    if weights is not None and (not isinstance(weights, ndarray) or weights.shape != x.shape
                                or weights.dtype.kind not in "biuf"):
        return NotImplemented  # NumPy raises for complex weights
    nbins = minlength
    if x.size:
        nbins = max(int(rp.max(x)) + 1, minlength)  # the result's length: one small transfer
    if weights is None or x.size == 0:  # NumPy counts (int64) when there is nothing to weigh
        return _counts(backend, x, nbins)
    return _bin_sums(backend, x, rp.astype(weights, _FLOAT64), nbins)


# ---- digitize -------------------------------------------------------------------------------------------

def _monotonicity(bins):
    """NumPy's _monotonicity(bins) (1 increasing, -1 decreasing, 0 neither; compared as float64): the
    first value that differs from bins[0] sets the direction, and no later step may go against it."""
    n = bins.shape[0]
    if n <= 1:
        return 1
    d = rp.astype(bins, _FLOAT64)
    steps = _iota(bins.device, n - 1)  # step p compares d[p] and d[p + 1]
    differs = rp.not_equal(d[1:], d[0])
    first = rp.min(rp.where(differs, steps, n - 1))  # the step reaching the first differing value
    rising = rp.any(rp.logical_and(rp.equal(steps, first), rp.less(d[0], d[1:])))
    later = rp.greater(steps, first)
    down = rp.any(rp.logical_and(later, rp.greater(d[:n - 1], d[1:])))
    up = rp.any(rp.logical_and(later, rp.less(d[:n - 1], d[1:])))
    mono = rp.where(rp.any(differs), rp.where(rising, rp.where(down, 0, 1), rp.where(up, 0, -1)), 1)
    return int(mono)  # the branch NumPy takes: one small transfer


def digitize(backend, x, bins, right=False):
    if not isinstance(x, ndarray) or not isinstance(bins, ndarray) or bins.ndim != 1:
        return NotImplemented
    if x.dtype.kind not in "biuf" or bins.dtype.kind not in "biuf":
        return NotImplemented
    mono = _monotonicity(bins)
    if mono == 0:
        return NotImplemented  # NumPy raises
    side = "left" if right else "right"
    if mono == -1:
        return rp.subtract(bins.shape[0], backend.run("searchsorted", rp.flip(bins), x, side=side))
    return backend.run("searchsorted", bins, x, side=side)


# ---- edges --------------------------------------------------------------------------------------------

def _unsigned_subtract(a, b):
    """NumPy's _unsigned_subtract on scalars: a - b, unsigned for signed integer types."""
    dt = np.result_type(a, b)
    unsigned = _UNSIGNED.get(dt)
    if unsigned is None:
        return np.subtract(a, b, dtype=dt)
    return np.subtract(np.asarray(a, dtype=dt), np.asarray(b, dtype=dt), casting="unsafe", dtype=unsigned)


def _min_max(backend, x):
    """(x.min(), x.max()) as NumPy scalars of x's dtype: one transfer of two numbers."""
    both = backend.to_numpy(rp.stack([rp.min(x), rp.max(x)]))
    return both[0], both[1]


def _outer_edges(backend, x, range):
    """NumPy's _get_outer_edges, or None where NumPy raises."""
    if range is not None:
        first, last = range
        if first > last or not (np.isfinite(first) and np.isfinite(last)):
            return None
    elif x.size == 0:
        first, last = 0, 1
    else:
        first, last = _min_max(backend, x)
        if not (np.isfinite(first) and np.isfinite(last)):
            return None
    if first == last:
        first, last = first - 0.5, last + 0.5
    return first, last


def _ptp(mn, mx):
    return _unsigned_subtract(mx, mn)


def _bin_width(backend, name, x):
    """The width NumPy's estimator ``name`` picks for the (trimmed, non-empty) data ``x``."""
    size = x.size
    ptp = _ptp(*_min_max(backend, x))
    sqrt = ptp / np.sqrt(size)
    sturges = ptp / (np.log2(size) + 1.0)
    if name == "sqrt":
        return sqrt
    if name == "sturges":
        return sturges
    if name == "rice":
        return ptp / (2.0 * size ** (1.0 / 3))
    from .order import NATIVE as order
    quartiles = backend.to_numpy(order["percentile"](backend, x, backend.from_numpy(np.array([75, 25]))))
    fd = 2.0 * np.subtract(*quartiles) * size ** (-1.0 / 3.0)
    if name == "fd":
        return fd
    return min(max(fd, sqrt / 2), sturges)  # auto


_ESTIMATORS = ("auto", "fd", "rice", "sturges", "sqrt")


def _bin_edges(backend, x, bins, range, weights):
    """NumPy's _get_bin_edges on the raveled data: (edges, (first, last, count) for uniform bins or None),
    or None where this does not cover the case or NumPy raises."""
    if isinstance(bins, str):
        if bins not in _ESTIMATORS or weights is not None:
            return None
        outer = _outer_edges(backend, x, range)
        if outer is None:
            return None
        first, last = outer
        kept = x
        if range is not None:
            kept = backend.run("compress", rp.logical_and(rp.greater_equal(x, first), rp.less_equal(x, last)),
                               x, axis=0)
        count = 1
        if kept.size:
            width = _bin_width(backend, bins, kept)
            if width:
                if x.dtype.kind in "iu" and width < 1:
                    width = 1
                count = int(np.ceil(_unsigned_subtract(last, first) / width))
    elif isinstance(bins, numbers.Integral):
        count = operator.index(bins)
        if count < 1:
            return None
        outer = _outer_edges(backend, x, range)
        if outer is None:
            return None
        first, last = outer
    elif isinstance(bins, ndarray) and bins.ndim == 1:
        if bins.shape[0] > 1 and bool(rp.any(rp.greater(bins[:-1], bins[1:]))):
            return None  # not increasing: NumPy raises
        return bins, None
    else:
        return None
    bin_type = np.result_type(first, last, x.dtype)
    if np.issubdtype(bin_type, np.integer):
        bin_type = np.result_type(bin_type, float)
    edges = np.linspace(first, last, count + 1, endpoint=True, dtype=bin_type)
    if np.any(edges[:-1] >= edges[1:]):
        return None  # too many bins for the range: NumPy raises
    return backend.from_numpy(edges), (first, last, count)


# ---- histogram ------------------------------------------------------------------------------------------

def _uniform_bins(backend, x, edges, first, last, count):
    """NumPy's equal-width fast path: each value's bin, ``count`` for values outside [first, last] (NumPy
    drops those; their arithmetic here starts from the first edge, which keeps it finite and in range)."""
    keep = rp.logical_and(rp.greater_equal(x, first), rp.less_equal(x, last))
    v = rp.where(keep, rp.astype(x, edges.dtype), edges[0])
    denom = _unsigned_subtract(last, first)
    f = rp.multiply(rp.divide(rp.subtract(v, first, dtype=np.result_type(v.dtype, first)), denom), count)
    idx = rp.astype(f, _INT64)
    idx = rp.where(rp.equal(idx, count), count - 1, idx)
    # The division can be an ulp off at an edge: the edges themselves decide.
    idx = rp.where(rp.less(v, backend.run("take", edges, idx, axis=0, mode="clip")), rp.subtract(idx, 1), idx)
    up = rp.logical_and(rp.greater_equal(v, backend.run("take", edges, rp.add(idx, 1), axis=0, mode="clip")),
                        rp.not_equal(idx, count - 1))
    return rp.where(keep, rp.where(up, rp.add(idx, 1), idx), count)


def _uniform_weighted(backend, idx, w, count):
    """NumPy's per-block np.bincount(weights) and ``n += block.astype(ntype)`` (``idx`` from _uniform_bins):
    None where not covered."""
    ntype = w.dtype
    blocks = max(1, -(-w.shape[0] // BLOCK))
    cells = blocks * count  # (block, bin) pairs; values outside the range go to one more, left out
    keys = rp.where(rp.equal(idx, count), cells,
                    rp.add(rp.multiply(rp.floor_divide(_iota(w.device, w.shape[0]), BLOCK), count), idx))

    def per_block(weights):  # (blocks, count) float64 sums, each in the data's order
        return rp.reshape(_bin_sums(backend, keys, rp.astype(weights, _FLOAT64), cells + 1)[:cells], (blocks, count))

    if ntype.kind == "c":
        real = np.dtype(ntype.char.lower())
        if real != _FLOAT64 and blocks > 1:
            return None  # NumPy adds each float64 block sum into the float32 parts: not repeated here
        n = rp.empty((count,), dtype=ntype, device=w.device)
        n.real[...] = _column_sums(backend, per_block(rp.real(w)), _FLOAT64)
        n.imag[...] = _column_sums(backend, per_block(rp.imag(w)), _FLOAT64)
        return n
    return _column_sums(backend, rp.astype(per_block(w), ntype), ntype)


def _edges_weighted(backend, x, w, edges):
    """NumPy's cumulative histogram with weights, block by block (sort, cumsum, cw[searchsorted]); the
    cumulative counts at the edges (ntype), or None where not covered."""
    ntype = w.dtype
    n = x.shape[0]
    blocks = max(1, -(-n // BLOCK))
    width = min(n, BLOCK) if blocks == 1 else BLOCK
    nedges = edges.shape[0]
    if ntype.kind in "iu":  # integer sums wrap the same way in any order: plain cumulative sums
        acc = np.dtype(np.uint64) if ntype.kind == "u" else _INT64
        s_order = backend.run("argsort", x, axis=0, stable=False)
        cw = rp.cumulative_sum(rp.astype(backend.run("take", w, s_order, axis=0, mode="clip"), acc),
                               include_initial=True)
        s = backend.run("take", x, s_order, axis=0, mode="clip")
        at = rp.concat([backend.run("searchsorted", s, edges[:nedges - 1], side="left"),
                        backend.run("searchsorted", s, edges[nedges - 1:], side="right")])
        return rp.astype(backend.run("take", cw, at, axis=0, mode="clip"), ntype)
    if ntype.kind != "f":
        return None
    if n == 0:
        return rp.zeros((nedges,), dtype=ntype, device=x.device)
    # Pad the last block to a full one with values that sort last and weights that add nothing (-0.0).
    pad = blocks * width - n
    if pad:
        fill = np.nan if x.dtype.kind == "f" else np.iinfo(x.dtype).max
        x = rp.concat([x, rp.full((pad,), fill, dtype=x.dtype, device=x.device)])
        w = rp.concat([w, rp.full((pad,), -0.0, dtype=ntype, device=w.device)])
    xb, wb = rp.reshape(x, (blocks, width)), rp.reshape(w, (blocks, width))
    order = backend.run("argsort", xb, axis=1, stable=False)
    sa = backend.run("take_along_axis", xb, order, axis=1)
    cw = segments.row_cumsum(backend, backend.run("take_along_axis", wb, order, axis=1), ntype)
    # Per block: how many values lie below each edge (above-or-at for the last edge). Within a sorted block
    # the number of edges at or below a value never decreases, so block * (nedges + 1) + that number is
    # sorted over all blocks, and one binary search per (block, edge) counts.
    flat = rp.reshape(sa, (-1,))
    base = rp.multiply(rp.floor_divide(_iota(x.device, blocks * width), width), nedges + 1)
    row = rp.reshape(rp.multiply(_iota(x.device, blocks), nedges + 1), (blocks, 1))
    below = rp.add(base, backend.run("searchsorted", edges, flat, side="right"))
    at_most = rp.add(base, backend.run("searchsorted", edges, flat, side="left"))
    start = rp.multiply(_iota(x.device, blocks), width)
    inner = rp.subtract(rp.reshape(backend.run("searchsorted", below, rp.reshape(
        rp.add(row, _iota(x.device, nedges - 1)), (-1,)), side="right"), (blocks, nedges - 1)),
        rp.reshape(start, (blocks, 1)))
    outer = rp.subtract(rp.reshape(backend.run("searchsorted", at_most, rp.reshape(
        rp.add(row, nedges - 1), (-1,)), side="right"), (blocks, 1)), rp.reshape(start, (blocks, 1)))
    at = rp.concat([inner, outer], axis=1)  # (blocks, nedges): NumPy's bin_index
    got = backend.run("take_along_axis", cw, rp.maximum(rp.subtract(at, 1), 0), axis=1)
    got = rp.where(rp.equal(at, 0), rp.zeros((), dtype=ntype, device=x.device), got)  # cw[0] is NumPy's zero
    return _column_sums(backend, got, ntype)


def histogram(backend, a, bins=10, range=None, density=None, weights=None):
    if not isinstance(a, ndarray) or a.dtype.kind not in "biuf":
        return NotImplemented
    if weights is not None and (not isinstance(weights, ndarray) or weights.shape != a.shape
                                or weights.dtype.kind not in "biufc"):
        return NotImplemented
    x = _raveled(a)
    w = None if weights is None else rp.reshape(weights, (-1,))
    got = _bin_edges(backend, x, bins, range, w)
    if got is None:
        return NotImplemented
    edges, uniform = got
    if uniform is not None:
        first, last, count = uniform
        idx = _uniform_bins(backend, x, edges, first, last, count)
        if w is None:
            n = _counts(backend, idx, count + 1)[:count]
        else:
            n = _uniform_weighted(backend, idx, w, count)
            if n is None:
                return NotImplemented
    elif w is None:
        s = backend.run("sort", x, axis=0, stable=False)
        nedges = edges.shape[0]
        cum = rp.concat([backend.run("searchsorted", s, edges[:nedges - 1], side="left"),
                         backend.run("searchsorted", s, edges[nedges - 1:], side="right")])
        n = rp.subtract(cum[1:], cum[:nedges - 1])
    else:
        cum = _edges_weighted(backend, x, w, edges)
        if cum is None:
            return NotImplemented
        n = rp.subtract(cum[1:], cum[:cum.shape[0] - 1])
    if density:
        widths = rp.astype(rp.subtract(edges[1:], edges[:edges.shape[0] - 1]), _FLOAT64)
        return rp.divide(rp.divide(n, widths), rp.sum(n)), edges
    return n, edges


def _raveled(a):
    """NumPy's _ravel_and_check_weights on the data: bool becomes uint8 (with NumPy's warning)."""
    x = rp.reshape(a, (-1,))
    if x.dtype.kind == "b":
        warnings.warn(f"Converting input from {x.dtype} to {np.dtype(np.uint8)} for compatibility.",
                      RuntimeWarning, stacklevel=3)
        x = rp.astype(x, np.uint8)
    return x


def histogram_bin_edges(backend, a, bins=10, range=None, weights=None):
    if not isinstance(a, ndarray) or a.dtype.kind not in "biuf":
        return NotImplemented
    if weights is not None and (not isinstance(weights, ndarray) or weights.shape != a.shape):
        return NotImplemented
    got = _bin_edges(backend, _raveled(a), bins, range, None if weights is None else rp.reshape(weights, (-1,)))
    return NotImplemented if got is None else got[0]


# ---- histogramdd, histogram2d ---------------------------------------------------------------------------

def _dd_edges(backend, sample, bins, ranges):
    """NumPy's per-dimension edges of histogramdd (device arrays), or None."""
    n, dims = sample.shape
    if isinstance(bins, numbers.Integral):
        bins = [bins] * dims
    elif not isinstance(bins, (list, tuple)) or len(bins) != dims:
        return None
    if ranges is None:
        ranges = (None,) * dims
    elif len(ranges) != dims:
        return None
    need = [i for i in range(dims) if isinstance(bins[i], numbers.Integral) and ranges[i] is None]
    lows = highs = None
    if need and n:
        both = backend.to_numpy(rp.stack([rp.min(sample, axis=0), rp.max(sample, axis=0)]))  # one transfer
        lows, highs = both[0], both[1]
    edges = []
    for i in range(dims):
        b = bins[i]
        if isinstance(b, numbers.Integral):
            if b < 1:
                return None
            if ranges[i] is not None:
                outer = _outer_edges(backend, None, ranges[i])
            elif n == 0:
                outer = (0, 1)
            else:
                outer = (lows[i], highs[i])
                if not (np.isfinite(outer[0]) and np.isfinite(outer[1])):
                    return None
                if outer[0] == outer[1]:
                    outer = (outer[0] - 0.5, outer[1] + 0.5)
            if outer is None:
                return None
            edges.append(backend.from_numpy(np.linspace(outer[0], outer[1], operator.index(b) + 1)))
        elif isinstance(b, ndarray) and b.ndim == 1 and b.shape[0]:
            if bool(rp.any(rp.greater(b[:-1], b[1:]))):
                return None
            edges.append(b)
        elif isinstance(b, (list, tuple)):
            e = np.asarray(b)
            if e.ndim != 1 or not e.size or np.any(e[:-1] > e[1:]):
                return None
            edges.append(backend.from_numpy(e))
        else:
            return None
    return edges


def histogramdd(backend, sample, bins=10, range=None, density=None, weights=None):
    if not isinstance(sample, ndarray) or sample.ndim != 2 or sample.dtype.kind not in "biuf":
        return NotImplemented
    n, dims = sample.shape
    if weights is not None and (not isinstance(weights, ndarray) or weights.shape != (n,)
                                or weights.dtype.kind not in "biuf"):
        return NotImplemented
    edges = _dd_edges(backend, sample, bins, range)
    if edges is None:
        return NotImplemented
    nbin = [e.shape[0] + 1 for e in edges]  # an outlier bin on each side
    flat = rp.zeros((n,), dtype=_INT64, device=sample.device)
    for i, e in enumerate(edges):
        column = sample[:, i]
        k = backend.run("searchsorted", e, column, side="right")
        k = rp.subtract(k, rp.astype(rp.equal(column, e[e.shape[0] - 1]), _INT64))  # the last edge belongs in
        flat = rp.add(rp.multiply(flat, nbin[i]), k)
    total = 1
    for m in nbin:
        total *= m
    if weights is None:
        hist = _counts(backend, flat, total)
    else:
        hist = _bin_sums(backend, flat, rp.astype(weights, _FLOAT64), total)
    hist = rp.astype(rp.reshape(hist, tuple(nbin)), _FLOAT64)
    hist = hist[tuple(slice(1, m - 1) for m in nbin)]
    if density:
        s = rp.sum(hist)
        for i, e in enumerate(edges):
            shape = [1] * dims
            shape[i] = nbin[i] - 2
            hist = rp.divide(hist, rp.reshape(rp.subtract(e[1:], e[:e.shape[0] - 1]), tuple(shape)))
        hist = rp.divide(hist, s)
    return hist, edges


def histogram2d(backend, x, y, bins=10, range=None, density=None, weights=None):
    if not isinstance(x, ndarray) or not isinstance(y, ndarray) or x.ndim != 1 or x.shape != y.shape:
        return NotImplemented
    if isinstance(bins, (ndarray, list, tuple)) and len(bins) not in (1, 2):
        bins = [bins, bins]  # one set of edges for both (NumPy's rule: a sequence of neither 1 nor 2 items)
    got = histogramdd(backend, rp.stack([x, y], axis=1), bins, range, density, weights)
    if got is NotImplemented:
        return got
    hist, edges = got
    return hist, edges[0], edges[1]


NATIVE = {"bincount": bincount, "digitize": digitize, "histogram": histogram,
          "histogram_bin_edges": histogram_bin_edges, "histogram2d": histogram2d, "histogramdd": histogramdd}
