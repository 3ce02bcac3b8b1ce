"""Kernel generators of the GPU backend: each module fills a template of ``src_hip/`` with types and an
op, compiles it through ``backend.function`` and launches it.

    elementwise   every op of ``_core/ops.py`` (and dtype casts), contiguous or strided
    ctypes        the C++ type name of each NumPy dtype
"""
