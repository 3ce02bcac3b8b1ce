"""``rdnarray.show_config()``: the version, the devices found and why any backend is unavailable."""
import platform
import sys

import numpy as np

from . import _backend
from ._core import devices as _devices
from ._version import __version__


def config():
    """The configuration as a dict (what ``show_config`` prints)."""
    backends = {}
    for kind in _backend.KINDS:
        why = _backend.unavailable_reason(kind)
        backends[kind] = ({"available": True, "detail": _backend.get(kind).describe()} if why is None
                          else {"available": False, "reason": why})
    return {
        "rdnarray": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "numpy": np.__version__,
        "backends": backends,
        "default device": str(_devices.default_device()),
    }


def show_config():
    cfg = config()
    print(f"rdnarray {cfg['rdnarray']} (Python {cfg['python']}, NumPy {cfg['numpy']}, {cfg['platform']})")
    for kind, b in cfg["backends"].items():
        state = b["detail"] if b["available"] else f"unavailable: {b['reason']}"
        print(f"  {kind:4s} {state}")
    print(f"  default device: {cfg['default device']}")
