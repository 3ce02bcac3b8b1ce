"""Kernel generators of the GPU backend, one module per family (elementwise, reductions, sorting, ...):
each fills a template of ``src_hip/`` with types and an op (``/*@KEY@*/ default`` placeholders), compiles
it through ``backend.function`` and launches it. ``ctypes.CTYPE`` names the C++ type of each dtype.
"""
import re

# A marker and the default after it, up to the next ``;``, ``)`` or line end (so the file compiles alone).
_PLACEHOLDER = re.compile(r"/\*@(\w+)@\*/[^;)\n]*")
_templates = {}


def fill(file, values):
    """``src_hip/file`` with each ``/*@KEY@*/ default`` replaced by ``str(values[KEY])``; the values must
    name every placeholder of the file and nothing else."""
    template = _templates.get(file)
    if template is None:
        from .. import compiler
        template = _templates[file] = compiler.read_source(file)
    names = set(_PLACEHOLDER.findall(template))
    if names != set(values):
        raise ValueError(f"{file}: placeholders {sorted(names)}, got values for {sorted(values)}")
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)
