"""The registry of backends: one module per device kind, each implementing the same contract.

A backend module exposes ``Backend(index)``, an object with the memory and execution methods the core
calls (see host.py, the reference implementation), and ``probe()``, which returns None when the backend
can run here or a sentence saying why not.
"""
import importlib

# Device kind -> module implementing it. The GPU executor registers here.
KINDS = {
    "cpu": "rdnarray._backend.host",
    "gpu": "rdnarray._backend.gpu",
}

_instances = {}


def _module(kind):
    try:
        return importlib.import_module(KINDS[kind])
    except ModuleNotFoundError as e:
        if e.name != KINDS[kind]:
            raise
        return None


def unavailable_reason(kind):
    """None when the backend for ``kind`` can run here, else why it cannot."""
    mod = _module(kind)
    if mod is None:
        return f"the {kind} backend is not part of this build of rdnarray"
    return mod.probe()


def available(kind):
    return unavailable_reason(kind) is None


def get(kind, index=0):
    key = (kind, index)
    b = _instances.get(key)
    if b is None:
        why = unavailable_reason(kind)
        if why is not None:
            raise RuntimeError(f"rdnarray: device {kind}:{index} is unavailable: {why}")
        b = _instances[key] = _module(kind).Backend(index)
    return b
