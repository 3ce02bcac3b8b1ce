"""Kernel generators of the GPU backend, one module per family (elementwise, reductions, sorting, ...):
each fills a template of ``src_hip/`` with types and an op (``/*@KEY@*/ default`` placeholders), compiles
it through ``backend.function`` and launches it. ``ctypes.CTYPE`` names the C++ type of each dtype.
"""
