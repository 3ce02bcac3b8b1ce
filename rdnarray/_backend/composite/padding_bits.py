"""NumPy's pad, packbits and unpackbits as compositions of device operations (see __init__.py).

pad follows numpy/lib/_arraypad_impl.py step by step: a new array with the original in its middle, then
per axis the pad areas written from slices of itself (views and copies), constants, edge statistics or
linear ramps; odd reflections compute exactly NumPy's ``2 * edge - chunk`` in the same order, so values
are NumPy's bit for bit (statistics: wherever the device's reductions are). Each axis costs a few copies;
'reflect', 'symmetric' and 'wrap' repeat their step when a pad is wider than the original, as NumPy does.

packbits compares with zero, multiplies each group of 8 by its bit weights and sums them (uint8);
unpackbits shifts each byte by the 8 bit positions and masks.

Not covered (NotImplemented, the host computes them): a callable ``mode``, object dtypes.
"""
import operator

import numpy as np

import rdnarray as rp

from ..._core import views as _views
from ..._core.ndarray import ndarray

_UINT8 = np.dtype(np.uint8)
_WEIGHTS = {"big": [128, 64, 32, 16, 8, 4, 2, 1], "little": [1, 2, 4, 8, 16, 32, 64, 128]}


def _at(axis, sl):
    """NumPy's _slice_at_axis: ``sl`` on ``axis``, every other axis whole."""
    return (slice(None),) * axis + (sl,) + (Ellipsis,)


# -- packbits / unpackbits ----------------------------------------------------------------------------

def _weights(bitorder, ndim, axis, device, shifts=False):
    """The 8 bit weights (or shift counts) as uint8 along a new axis after ``axis`` of an ``ndim``-d array."""
    w = np.array(_WEIGHTS[bitorder], dtype=_UINT8)
    if shifts:
        w = np.log2(w).astype(_UINT8)
    return rp.reshape(rp.asarray(w, device=device), (8,) + (1,) * (ndim - axis - 1))


def packbits(backend, a, axis=None, bitorder="big"):
    """Groups of 8 elements along ``axis`` (nonzero = 1, the last group padded with 0) as uint8 bytes."""
    if not isinstance(a, ndarray) or a.dtype.kind not in "biu" or bitorder not in _WEIGHTS:
        return NotImplemented
    if axis is None:
        a = rp.reshape(a, (a.size,))
        axis = 0
    axis = operator.index(axis) % max(a.ndim, 1)
    if a.ndim == 0:
        return NotImplemented
    n = a.shape[axis]
    m = -(-n // 8)
    bits = rp.zeros(a.shape[:axis] + (8 * m,) + a.shape[axis + 1:], dtype=_UINT8, device=a.device)
    bits[_at(axis, slice(0, n))] = a if a.dtype.kind == "b" else rp.not_equal(a, 0)
    groups = rp.reshape(bits, a.shape[:axis] + (m, 8) + a.shape[axis + 1:])
    weighted = rp.multiply(groups, _weights(bitorder, a.ndim + 1, axis + 1, a.device))
    return rp.sum(weighted, axis=axis + 1, dtype=_UINT8)


def unpackbits(backend, a, axis=None, count=None, bitorder="big"):
    """The 8 bits of each uint8 along ``axis`` as uint8 0/1, cut or zero-padded to ``count`` when given."""
    if not isinstance(a, ndarray) or a.dtype != _UINT8 or bitorder not in _WEIGHTS:
        return NotImplemented
    if axis is None:
        a = rp.reshape(a, (a.size,))
        axis = 0
    axis = operator.index(axis) % max(a.ndim, 1)
    if a.ndim == 0:
        return NotImplemented
    n = a.shape[axis]
    total = 8 * n
    if count is not None:
        count = operator.index(count)
        if count < 0:
            if -count > total:
                raise ValueError("-count larger than number of elements")
            count += total
    expanded = _views.expand(a, (axis + 1,))
    bits = rp.bitwise_and(rp.bitwise_right_shift(expanded, _weights(bitorder, a.ndim + 1, axis + 1, a.device,
                                                                        shifts=True)), 1)
    bits = rp.reshape(bits, a.shape[:axis] + (total,) + a.shape[axis + 1:])
    if count is None or count == total:
        return bits
    if count < total:
        return bits[_at(axis, slice(0, count))]
    out = rp.zeros(a.shape[:axis] + (count,) + a.shape[axis + 1:], dtype=_UINT8, device=a.device)
    out[_at(axis, slice(0, total))] = bits
    return out


# -- pad: NumPy's helpers on rdnarray arrays -------------------------------------------------------------

def _as_pairs(x, ndim, as_index=False):
    """NumPy's _as_pairs: ``x`` (a scalar, a pair, or per-axis pairs) as ndim (before, after) pairs."""
    if x is None:
        return ((None, None),) * ndim
    x = np.array(x)
    if as_index:
        x = np.round(x).astype(np.intp, copy=False)
    if x.ndim < 3:
        if x.size == 1:
            x = x.ravel()
            if as_index and x < 0:
                raise ValueError("index can't contain negative values")
            return ((x[0], x[0]),) * ndim
        if x.size == 2 and x.shape != (2, 1):
            x = x.ravel()
            if as_index and (x[0] < 0 or x[1] < 0):
                raise ValueError("index can't contain negative values")
            return ((x[0], x[1]),) * ndim
    if as_index and x.min() < 0:
        raise ValueError("index can't contain negative values")
    return np.broadcast_to(x, (ndim, 2)).tolist()


def _view_roi(padded, original_area_slice, axis):
    axis += 1
    return padded[(slice(None),) * axis + original_area_slice[axis:]]


def _set_pad_area(padded, axis, width_pair, value_pair):
    if width_pair[0]:
        padded[_at(axis, slice(None, width_pair[0]))] = value_pair[0]
    if width_pair[1]:
        padded[_at(axis, slice(padded.shape[axis] - width_pair[1], None))] = value_pair[1]


def _get_edges(padded, axis, width_pair):
    left_index = width_pair[0]
    right_index = padded.shape[axis] - width_pair[1]
    return (padded[_at(axis, slice(left_index, left_index + 1))],
            padded[_at(axis, slice(right_index - 1, right_index))])


def _linspace(start, stop, num, dtype, axis):
    """np.linspace(start, stop, num, endpoint=False, dtype=dtype, axis=axis) for a Python scalar ``start``
    and an array ``stop``, with NumPy's arithmetic: the step is delta/num unless some step is 0 (then
    y/num*delta everywhere; decided on the device, both are computed), floor for integer dtypes."""
    dt = np.linspace(start, np.zeros((), stop.dtype), 0).dtype  # NumPy's working dtype for these operands
    delta = rp.subtract(stop, start, dtype=dt)
    y = rp.reshape(rp.arange(0, num, dtype=dt, device=stop.device), (-1,) + (1,) * delta.ndim)
    step = delta / num
    any_step_zero = rp.any(rp.equal(step, 0))
    y = rp.where(any_step_zero, y / num * delta, y * step)
    y = y + start
    y = rp.moveaxis(y, 0, axis)
    if np.issubdtype(dtype, np.integer):
        y = rp.floor(y)
    return rp.asarray(y, dtype=dtype)


def _get_linear_ramps(padded, axis, width_pair, end_value_pair):
    edge_pair = _get_edges(padded, axis, width_pair)
    ramps = [None if width == 0 else _linspace(end_value, rp.squeeze(edge, axis=axis), width, padded.dtype, axis)
             for end_value, edge, width in zip(end_value_pair, edge_pair, width_pair)]
    if ramps[1] is not None:
        ramps[1] = rp.flip(ramps[1], axis=axis)
    return ramps


def _round_if_needed(arr, dtype):
    return rp.round(arr) if np.issubdtype(dtype, np.integer) else arr


def _get_stats(padded, axis, width_pair, length_pair, stat_func):
    left_index = width_pair[0]
    right_index = padded.shape[axis] - width_pair[1]
    max_length = right_index - left_index
    left_length, right_length = length_pair
    if left_length is None or max_length < left_length:
        left_length = max_length
    if right_length is None or max_length < right_length:
        right_length = max_length
    if (left_length == 0 or right_length == 0) and stat_func in ("max", "min"):
        raise ValueError("stat_length of 0 yields no value for padding")
    stat = getattr(rp, stat_func)
    left_chunk = padded[_at(axis, slice(left_index, left_index + left_length))]
    left_stat = _round_if_needed(stat(left_chunk, axis=axis, keepdims=True), padded.dtype)
    if left_length == right_length == max_length:
        return left_stat, left_stat
    right_chunk = padded[_at(axis, slice(right_index - right_length, right_index))]
    right_stat = _round_if_needed(stat(right_chunk, axis=axis, keepdims=True), padded.dtype)
    return left_stat, right_stat


def _set_reflect_both(padded, axis, width_pair, method, original_period, include_edge=False):
    left_pad, right_pad = width_pair
    old_length = padded.shape[axis] - right_pad - left_pad
    if include_edge:
        old_length = old_length // original_period * original_period
        edge_offset = 1
    else:
        old_length = (old_length - 1) // (original_period - 1) * (original_period - 1) + 1
        edge_offset = 0
        old_length -= 1
    if left_pad > 0:
        chunk_length = min(old_length, left_pad)
        stop = left_pad - edge_offset
        start = stop + chunk_length
        left_chunk = padded[_at(axis, slice(start, stop, -1))]
        if method == "odd":
            left_chunk = 2 * padded[_at(axis, slice(left_pad, left_pad + 1))] - left_chunk
        padded[_at(axis, slice(left_pad - chunk_length, left_pad))] = left_chunk
        left_pad -= chunk_length
    if right_pad > 0:
        chunk_length = min(old_length, right_pad)
        start = -right_pad + edge_offset - 2
        stop = start - chunk_length
        right_chunk = padded[_at(axis, slice(start, stop, -1))]
        if method == "odd":
            right_chunk = 2 * padded[_at(axis, slice(-right_pad - 1, -right_pad))] - right_chunk
        start = padded.shape[axis] - right_pad
        padded[_at(axis, slice(start, start + chunk_length))] = right_chunk
        right_pad -= chunk_length
    return left_pad, right_pad


def _set_wrap_both(padded, axis, width_pair, original_period):
    left_pad, right_pad = width_pair
    period = padded.shape[axis] - right_pad - left_pad
    period = period // original_period * original_period
    new_left_pad = new_right_pad = 0
    if left_pad > 0:
        slice_end = left_pad + period
        slice_start = slice_end - min(period, left_pad)
        right_chunk = padded[_at(axis, slice(slice_start, slice_end))]
        if left_pad > period:
            pad_area = _at(axis, slice(left_pad - period, left_pad))
            new_left_pad = left_pad - period
        else:
            pad_area = _at(axis, slice(None, left_pad))
        padded[pad_area] = right_chunk
    if right_pad > 0:
        slice_start = -right_pad - period
        slice_end = slice_start + min(period, right_pad)
        left_chunk = padded[_at(axis, slice(slice_start, slice_end))]
        if right_pad > period:
            pad_area = _at(axis, slice(-right_pad, -right_pad + period))
            new_right_pad = right_pad - period
        else:
            pad_area = _at(axis, slice(-right_pad, None))
        padded[pad_area] = left_chunk
    return new_left_pad, new_right_pad


# Names, looked up when called: this module may be imported while rdnarray itself still is.
_STATS = {"maximum": "max", "minimum": "min", "mean": "mean", "median": "median"}
_ALLOWED = {"empty": (), "edge": (), "wrap": (), "constant": ("constant_values",),
            "linear_ramp": ("end_values",), "maximum": ("stat_length",), "mean": ("stat_length",),
            "median": ("stat_length",), "minimum": ("stat_length",), "reflect": ("reflect_type",),
            "symmetric": ("reflect_type",)}


def pad(backend, array, pad_width, mode="constant", **kwargs):
    """NumPy's pad for every string mode (see the module doc)."""
    if not isinstance(array, ndarray) or callable(mode) or array.dtype.kind == "O" or isinstance(pad_width, dict):
        return NotImplemented
    if mode not in _ALLOWED:
        raise ValueError(f"mode '{mode}' is not supported")
    unsupported = set(kwargs) - set(_ALLOWED[mode])
    if unsupported:
        raise ValueError(f"unsupported keyword arguments for mode '{mode}': {unsupported}")
    widths = np.asarray(pad_width)
    if widths.dtype.kind != "i" and array.ndim:
        raise TypeError("`pad_width` must be of integral type.")
    # A 0-d array has no axis to pad (NumPy returns a copy; its pad_width resolves to no pairs at all).
    pairs = _as_pairs(widths, array.ndim, as_index=True) if array.ndim else ()
    pad_width = [tuple(int(w) for w in pair) for pair in pairs]

    # NumPy's _pad_simple: the original in the middle of a new array, the pad areas undefined so far.
    new_shape = tuple(left + size + right for size, (left, right) in zip(array.shape, pad_width))
    padded = rp.empty(new_shape, dtype=array.dtype, device=array.device)
    original_area_slice = tuple(slice(left, left + size) for size, (left, _) in zip(array.shape, pad_width))
    padded[original_area_slice] = array
    axes = range(padded.ndim)

    if mode == "constant":
        values = _as_pairs(kwargs.get("constant_values", 0), padded.ndim)
        for axis, width_pair, value_pair in zip(axes, pad_width, values):
            roi = _view_roi(padded, original_area_slice, axis)
            _set_pad_area(roi, axis, width_pair, value_pair)
    elif mode == "empty":
        pass
    elif array.size == 0:
        for axis, width_pair in zip(axes, pad_width):
            if array.shape[axis] == 0 and any(width_pair):
                raise ValueError(f"can't extend empty axis {axis} using modes other than 'constant' or 'empty'")
    elif mode == "edge":
        for axis, width_pair in zip(axes, pad_width):
            roi = _view_roi(padded, original_area_slice, axis)
            _set_pad_area(roi, axis, width_pair, _get_edges(roi, axis, width_pair))
    elif mode == "linear_ramp":
        end_values = _as_pairs(kwargs.get("end_values", 0), padded.ndim)
        for axis, width_pair, value_pair in zip(axes, pad_width, end_values):
            roi = _view_roi(padded, original_area_slice, axis)
            ramps = _get_linear_ramps(roi, axis, width_pair, value_pair)
            _set_pad_area(roi, axis, width_pair, ramps)
    elif mode in _STATS:
        length = _as_pairs(kwargs.get("stat_length"), padded.ndim, as_index=True)
        for axis, width_pair, length_pair in zip(axes, pad_width, length):
            roi = _view_roi(padded, original_area_slice, axis)
            length_pair = [None if v is None else int(v) for v in length_pair]
            _set_pad_area(roi, axis, width_pair, _get_stats(roi, axis, width_pair, length_pair, _STATS[mode]))
    elif mode in ("reflect", "symmetric"):
        method = kwargs.get("reflect_type", "even")
        include_edge = mode == "symmetric"
        for axis, (left_index, right_index) in zip(axes, pad_width):
            if array.shape[axis] == 1 and (left_index > 0 or right_index > 0):
                # Extending a singleton axis repeats its one value (NumPy's legacy behaviour).
                edge_pair = _get_edges(padded, axis, (left_index, right_index))
                _set_pad_area(padded, axis, (left_index, right_index), edge_pair)
                continue
            roi = _view_roi(padded, original_area_slice, axis)
            while left_index > 0 or right_index > 0:
                left_index, right_index = _set_reflect_both(roi, axis, (left_index, right_index), method,
                                                            array.shape[axis], include_edge)
    else:  # wrap
        for axis, (left_index, right_index) in zip(axes, pad_width):
            roi = _view_roi(padded, original_area_slice, axis)
            original_period = padded.shape[axis] - right_index - left_index
            while left_index > 0 or right_index > 0:
                left_index, right_index = _set_wrap_both(roi, axis, (left_index, right_index), original_period)
    return padded


NATIVE = {"pad": pad, "packbits": packbits, "unpackbits": unpackbits}
