"""Host overhead of small GPU ops, measured without a GPU: the microseconds rdnarray spends in Python and
Cython between ``a + b`` and the kernel launch.

    python -P benchmarks/host_overhead.py [--n 1000] [--json host.json]

The GPU backend (rdnarray/_backend/gpu.py) runs here on a fake driver: allocations are fake addresses,
copies and launches do nothing, and kernels are never compiled (``Backend.function`` returns a stand-in).
So a row is host time only: add the runtime's own launch cost (cuLaunchKernel/hipModuleLaunchKernel,
about 2-3 us) to compare with a GPU run of benchmarks/run.py (its add_small case loops ``a + b`` between
two synchronizations, which is this same host time plus the launch). The fake launch is a Python method
(about 0.1 us here); the real Function.launch packs the arguments in C (about 0.15 us).

Columns: ``us`` is the time per call; ``general us`` the same call with the fast path of
rdnarray/_backend/fastpath.pyx switched off (the general path, kernels/elementwise.run), where the
backend has one. Best of several loops (a shared or busy machine only makes numbers larger).

``fake_backend()`` is also the fixture of tests/test_gpu_fastpath.py.
"""
import argparse
import json
import timeit

import numpy as np

from rdnarray._backend import driver, gpu
from rdnarray._core import devices


class FakeFunction:
    """A kernel stand-in: ``launch`` appends its arguments to ``log`` when one is given."""

    def __init__(self, source, name, log):
        self.source, self.name, self.log = source, name, log

    def launch(self, grid, block, shared_mem, stream, args, fmt):
        if self.log is not None:
            self.log.append((self, grid, block, shared_mem, stream, args, fmt))


class FakeDriver:
    """The driver methods the GPU backend calls, with no device behind them (addresses are 256-byte
    aligned like the vendors' allocations, and never reused)."""

    vendor = name = "fake"
    library = "(no library)"

    def __init__(self, devices=4):
        self._devices = devices
        self._next = 1 << 40
        self.mallocs = []   # sizes passed to malloc
        self.frees = []     # pointers passed to free
        self.oom = 0        # the next `oom` mallocs fail as out of memory

    def device_count(self):
        return self._devices

    def set_device(self, index):
        pass

    def properties(self, index):
        return {"name": "fake GPU", "arch": "sm_90", "compute_units": 132, "warp_size": 32,
                "total_memory": 80 << 30, "max_threads_per_block": 1024,
                "max_shared_memory_per_block": 48 << 10, "compute_capability": (9, 0)}

    def malloc(self, size):
        if self.oom:
            self.oom -= 1
            raise driver.DriverError("FAKE", "malloc", 2, "FAKE_OUT_OF_MEMORY", f"{size} bytes", True)
        self.mallocs.append(size)
        p = self._next
        self._next += -(-size // 256) * 256
        return p

    def free(self, ptr):
        self.frees.append(ptr)

    def memset_d8(self, dst, value, n, stream=0):
        pass

    def memcpy_htod(self, dst, src, n, stream=0):
        pass

    def memcpy_dtoh(self, dst, src, n, stream=0):
        pass

    def memcpy_dtod(self, dst, src, n, stream=0):
        pass

    def synchronize(self):
        pass

    def stream_synchronize(self, stream):
        pass


def fake_backend(index=3, log=None):
    """A gpu.Backend on a FakeDriver, with its own Device('gpu', index) (not registered: ``as_device``
    still finds the real GPUs). Kernels are FakeFunctions, one per source, logging into ``log``."""
    load = driver.load
    driver.load = lambda vendor=None: FakeDriver()
    try:
        backend = gpu.Backend(index)
    finally:
        driver.load = load
    functions = {}

    def function(source, name, options=()):
        key = (source, name, tuple(options))
        f = functions.get(key)
        if f is None:
            f = functions[key] = FakeFunction(source, name, log)
        return f

    backend.function = function
    device = devices.Device("gpu", index)
    device._backend = backend
    backend._device = device
    return backend


def cases(backend, n):
    """name -> (statement, namespace) of the small ops measured."""
    import rdnarray as rp
    a = backend.from_numpy(np.ones(n, np.float32))
    b = backend.from_numpy(np.ones(n, np.float32))
    d = backend.from_numpy(np.ones(n, np.float64))
    i = backend.from_numpy(np.ones(n, np.int32))
    ns = {"rp": rp, "a": a, "b": b, "d": d, "i": i, "backend": backend, "f32": np.dtype(np.float32)}
    return {
        "a + b (float32)": "a + b",
        "d + d (float64)": "d + d",
        "a * 3.0": "a * 3.0",
        "i + 1 (int32)": "i + 1",
        "-a": "-a",
        "rp.sin(a)": "rp.sin(a)",
        "a < b": "a < b",
        "a * b + a": "a * b + a",
        "backend.empty((n,), float32)": f"backend.empty(({n},), f32)",
    }, ns


def per_call(stmt, ns, number=20000, repeat=15):
    """Best time per call in microseconds (after a warm-up call that plans and 'compiles')."""
    exec(stmt, ns)
    return min(timeit.repeat(stmt, globals=ns, number=number, repeat=repeat)) / number * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="elements per array (default 1000)")
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()

    backend = fake_backend()
    stmts, ns = cases(backend, args.n)
    general = getattr(backend, "_general_elementwise", None)
    rows = []
    print(f"host overhead per call, fake driver (no GPU), {args.n} elements")
    print(f"{'op':32s} {'us':>8s} {'general us':>11s}")
    for name, stmt in stmts.items():
        us = per_call(stmt, ns)
        gen = None
        if general is not None and "elementwise" not in stmt and "empty" not in stmt:
            backend.elementwise = general  # the instance attribute hides the fast path
            try:
                gen = per_call(stmt, ns)
            finally:
                del backend.elementwise
        rows.append({"op": name, "us": round(us, 3), "general_us": None if gen is None else round(gen, 3)})
        print(f"{name:32s} {us:8.2f} {'' if gen is None else f'{gen:11.2f}'}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"n": args.n, "driver": "fake (host overhead only)", "rows": rows}, f, indent=1)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
