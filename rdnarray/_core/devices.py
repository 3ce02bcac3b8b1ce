"""Devices and the choice of the default one.

A device is ``Device('cpu')`` or ``Device('gpu', N)``; its backend (the object that allocates memory and
runs kernels for it) comes from the registry in ``rdnarray._backend``. The default device is the one
named by ``RDNARRAY_DEVICE`` (cpu, gpu or gpu:N), else the first working GPU, else the CPU.
"""
import os

from .. import _backend


class Device:
    """A place where arrays live: ``Device('cpu')``, ``Device('gpu')`` or ``Device('gpu:1')``."""

    __slots__ = ("kind", "index", "_backend")

    def __init__(self, kind="cpu", index=None):
        if isinstance(kind, Device):
            kind, index = kind.kind, kind.index
        name, _, num = str(kind).partition(":")
        if num:
            if index is not None:
                raise ValueError(f"device {kind!r} already names an index")
            index = int(num)
        if name not in _backend.KINDS:
            raise ValueError(f"unknown device {kind!r}: rdnarray knows {', '.join(_backend.KINDS)} "
                             "(written 'cpu', 'gpu' or 'gpu:N')")
        self.kind = name
        self.index = 0 if index is None else int(index)
        self._backend = None

    @property
    def backend(self):
        """The executor for this device (loaded on first use; raises with the reason if unavailable)."""
        b = self._backend
        if b is None:
            b = self._backend = _backend.get(self.kind, self.index)
        return b

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = Device(other)
            except ValueError:
                return False
        return isinstance(other, Device) and other.kind == self.kind and other.index == self.index

    def __hash__(self):
        return hash((self.kind, self.index))

    def __str__(self):
        return self.kind if self.kind == "cpu" else f"{self.kind}:{self.index}"

    def __repr__(self):
        return f"Device({str(self)!r})"

    def __enter__(self):
        _stack.append(self)
        return self

    def __exit__(self, *exc):
        _stack.pop()


CPU = Device("cpu")
_interned = {("cpu", 0): CPU}
_stack = []
_default = None


def as_device(device):
    """``device`` (None, a Device, 'cpu', 'gpu:1', a DLPack (type, id) tuple) as an interned Device."""
    if device is None:
        return default_device()
    if isinstance(device, Device):
        key = (device.kind, device.index)
    else:
        d = Device(device)
        key = (d.kind, d.index)
    dev = _interned.get(key)
    if dev is None:
        dev = Device(*key)
        dev.backend  # fail here, clearly, if this device cannot be used
        dev = _interned.setdefault(key, dev)
    return dev


def default_device():
    if _stack:
        return _stack[-1]
    global _default
    if _default is None:
        _default = _choose_default()
    return _default


def _choose_default():
    wanted = os.environ.get("RDNARRAY_DEVICE", "").strip()
    if wanted:
        return as_device(wanted)
    for kind in _backend.KINDS:
        if kind != "cpu" and _backend.available(kind):
            return as_device(kind)
    return CPU
