"""rdnarray benchmarks: per-op wall time beside peers measured in the same run on the same machine.

    python benchmarks/run.py [--sizes 1000 10000000] [--json bench.json] [--ops add sum ...]

Peers: NumPy always (on the host); CuPy and PyTorch when rdnarray's default device is a GPU and they are
installed. Prints a table (median time per call, ratio rdnarray/peer) and writes the same rows as JSON.
"""
import argparse
import json
import platform
import statistics
import time

import numpy as np

import rdnarray as rp

# name -> (setup(xp, n, dtype) -> args, op(xp, *args)); the same code runs on every library.
OPS = {
    "add": (lambda xp, n, dt: (xp.ones(n, dtype=dt), xp.ones(n, dtype=dt)), lambda xp, a, b: a + b),
    "mul_scalar": (lambda xp, n, dt: (xp.ones(n, dtype=dt),), lambda xp, a: a * 3.0),
    "a*b+c*d-a": (lambda xp, n, dt: tuple(xp.ones(n, dtype=dt) for _ in range(4)),
                  lambda xp, a, b, c, d: a * b + c * d - a),
    "sin": (lambda xp, n, dt: (xp.ones(n, dtype=dt),), lambda xp, a: xp.sin(a)),
    "sum": (lambda xp, n, dt: (xp.ones(n, dtype=dt),), lambda xp, a: xp.sum(a)),
    "sum_axis0": (lambda xp, n, dt: (xp.ones((int(n ** 0.5), int(n ** 0.5)), dtype=dt),),
                  lambda xp, a: xp.sum(a, axis=0)),
    "max": (lambda xp, n, dt: (xp.ones(n, dtype=dt),), lambda xp, a: xp.max(a)),
    "sort": (lambda xp, n, dt: (xp.asarray(np.random.default_rng(0).random(n).astype(dt)),),
             lambda xp, a: xp.sort(a)),
    "getitem_slice": (lambda xp, n, dt: (xp.ones(n, dtype=dt),), lambda xp, a: a[1:-1:2]),
    "setitem_slice": (lambda xp, n, dt: (xp.ones(n, dtype=dt),), lambda xp, a: a.__setitem__(slice(1, None, 2), 0)),
    "mask_getitem": (lambda xp, n, dt: (xp.ones(n, dtype=dt),), lambda xp, a: a[a > 0.5]),
    "matmul": (lambda xp, n, dt: (xp.ones((int(n ** (1 / 3)) * 4,) * 2, dtype=dt),) * 2,
               lambda xp, a, b: a @ b),
}


def _peers(device):
    """Libraries to compare with: (name, namespace, synchronize)."""
    peers = [("numpy", np, lambda: None)]
    if getattr(device, "kind", "cpu") == "gpu":
        try:
            import cupy
            peers.append(("cupy", cupy, cupy.cuda.Device().synchronize))
        except ImportError:
            pass
        try:
            import torch
            if torch.cuda.is_available():
                torch.set_default_device("cuda")
                peers.append(("torch", torch, torch.cuda.synchronize))
        except ImportError:
            pass
    return peers


def measure(op, args, sync, min_time=0.2, max_reps=10_000):
    """Median wall time of one call, synchronizing after each call (what a user waits for)."""
    op(*args)
    sync()
    times = []
    start = time.perf_counter()
    while len(times) < max_reps and (time.perf_counter() - start < min_time or len(times) < 5):
        t = time.perf_counter()
        op(*args)
        sync()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=float, nargs="+", default=[1e3, 1e7])
    p.add_argument("--dtype", default="float32")
    p.add_argument("--ops", nargs="+", default=list(OPS))
    p.add_argument("--json", default="bench.json")
    args = p.parse_args(argv)

    device = rp.__array_namespace_info__().default_device()
    rp_sync = getattr(getattr(rp, "gpu", None), "synchronize", lambda: None)
    peers = _peers(device)
    rows = []
    header = f"{'op':16s} {'n':>10s} {'rdnarray us':>12s}" + "".join(
        f" {name + ' us':>12s} {'ratio':>7s}" for name, _, _ in peers)
    print(f"rdnarray {rp.__version__} on {device} ({platform.processor() or platform.machine()}), "
          f"dtype {args.dtype}; ratio = rdnarray time / peer time (lower is better)")
    print(header)
    for name in args.ops:
        setup, op = OPS[name]
        for n in (int(s) for s in args.sizes):
            row = {"op": name, "n": n, "dtype": args.dtype, "device": str(device)}
            t_rp = measure(lambda *a: op(rp, *a), setup(rp, n, args.dtype), rp_sync)
            row["rdnarray_s"] = t_rp
            line = f"{name:16s} {n:10d} {t_rp * 1e6:12.2f}"
            for pname, xp, sync in peers:
                t = measure(lambda *a: op(xp, *a), setup(xp, n, args.dtype), sync)
                row[f"{pname}_s"] = t
                row[f"ratio_vs_{pname}"] = t_rp / t
                line += f" {t * 1e6:12.2f} {t_rp / t:7.2f}"
            print(line, flush=True)
            rows.append(row)
    with open(args.json, "w") as f:
        json.dump({"rdnarray": rp.__version__, "device": str(device), "rows": rows}, f, indent=1)
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
