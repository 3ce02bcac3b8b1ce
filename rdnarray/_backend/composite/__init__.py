"""Named algorithms on the GPU composed of other array operations.

Each module here holds ``NATIVE = {name: run(backend, *args, **kwargs)}`` for names of ``backend.run``
(NumPy's function of that name, called with the arguments the public functions resolved: see host.pyx).
An implementation builds its result from rdnarray operations on the arrays it gets (each of which runs
as a GPU kernel on a GPU array) and small kernels of its own, so it works on any device: the tests run it
on CPU arrays against NumPy. It returns NotImplemented for an argument combination it does not cover, and
the executor then computes that call on the host.
"""
_MODULES = ("creation", "elementwise_like", "indexing_like", "padding_bits", "contractions", "statistics",
            "order", "sets", "histograms")


def native_table():
    import importlib
    table = {}
    for name in _MODULES:
        table.update(importlib.import_module(f"{__name__}.{name}").NATIVE)
    return table
