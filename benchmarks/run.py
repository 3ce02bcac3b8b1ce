"""rdnarray benchmarks: per-op wall time beside peers measured in the same run on the same machine.

    python benchmarks/run.py [--sizes 1000 10000000] [--json bench.json] [--ops add sum ...]   # CPU mode
    python benchmarks/run.py [--only add sum ...] [--quick] [--json bench.json]               # GPU mode

CPU mode (rdnarray's default device is the CPU): each op of OPS at each size beside NumPy; prints a table
(median time per call, ratio rdnarray/peer) and writes the same rows as JSON.

GPU mode (the default device is a GPU, or --gpu): the cases of issue 4's targets, each measured with rdnarray,
CuPy and PyTorch (CUDA) in one run: a warm-up call (compiles, allocates), then loops of calls between two
device synchronizations, time per call = loop time / calls, median of a few loops. Bandwidth counts bytes read
plus written; "copy" (each library's device-to-device copy of the same bytes) gives the device's copy
bandwidth, the best of the libraries. ratio = rdnarray's rate (bytes/s, FLOP/s or calls/s) / the target's
reference rate, so higher is better and "met" is ratio >= the target's factor. Also: `import` time in a fresh
interpreter (best of a few) and a second process run with RDNARRAY_NO_COMPILE=1 that must find every kernel
of the selected cases in the disk cache. Libraries that are missing are reported as absent.
--generic runs the CPU mode's table on a GPU (with CuPy and PyTorch as peers).
"""
import argparse
import functools
import json
import operator
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from types import SimpleNamespace

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


def run_table(args, device):
    """The CPU mode: each op of OPS at each size, beside NumPy (and CuPy and PyTorch on a GPU)."""
    rp_sync = rp.gpu.synchronize if device.kind == "gpu" else (lambda: None)
    min_time = 0.02 if args.quick else 0.2
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
            t_rp = measure(lambda *a: op(rp, *a), setup(rp, n, args.dtype), rp_sync, min_time)
            row["rdnarray_s"] = t_rp
            line = f"{name:16s} {n:10d} {t_rp * 1e6:12.2f}"
            for pname, xp, sync in peers:
                dt = getattr(xp, args.dtype) if pname == "torch" else args.dtype  # torch.float32, ...
                try:
                    t = measure(lambda *a: op(xp, *a), setup(xp, n, dt), sync, min_time)
                except Exception as e:  # a peer lacking an op is reported, not fatal
                    row[f"{pname}_error"] = f"{type(e).__name__}: {e}"
                    line += f" {'error':>12s} {'-':>7s}"
                    continue
                row[f"{pname}_s"] = t
                row[f"ratio_vs_{pname}"] = t_rp / t
                line += f" {t * 1e6:12.2f} {t_rp / t:7.2f}"
            print(line, flush=True)
            rows.append(row)
    with open(args.json, "w") as f:
        json.dump({"rdnarray": rp.__version__, "device": str(device), "rows": rows}, f, indent=1)
    print(f"wrote {args.json}")
    return 0


# ---- GPU mode ----------------------------------------------------------------------------------------
# Each library offers the same few operations, so one case body measures all three.

def _rdnarray_lib(dt):
    try:
        why = rp.gpu.unavailable_reason()
    except Exception as e:  # a broken GPU backend is reported like a missing one
        why = f"{type(e).__name__}: {e}"
    if why is not None:
        return f"no GPU: {why}"
    return SimpleNamespace(
        sync=rp.gpu.synchronize, asarray=rp.asarray, ones=lambda shape: rp.ones(shape, dtype=dt),
        copy=lambda x: x.copy(), sum=lambda x, axis=None: rp.sum(x, axis=axis),
        sort=lambda x: rp.sort(x, stable=True), fuse=getattr(rp, "fuse", None), empty_cache=rp.gpu.empty_cache,
        random=functools.partial(rp.random.default_rng(0).random, dtype=dt, device="gpu"),
        device_name=rp.gpu.get_device_name, version=rp.__version__)


def _cupy_lib(dt):
    try:
        import cupy as cp
        cp.cuda.runtime.getDeviceCount()
    except Exception as e:  # not installed, or no CUDA device / driver
        return f"{type(e).__name__}: {e}"
    return SimpleNamespace(
        sync=lambda: cp.cuda.Device().synchronize(), asarray=cp.asarray, ones=lambda shape: cp.ones(shape, dtype=dt),
        copy=lambda x: x.copy(), sum=lambda x, axis=None: cp.sum(x, axis=axis),
        sort=cp.sort,  # CUB radix sort: stable
        fuse=cp.fuse, empty_cache=cp.get_default_memory_pool().free_all_blocks,
        random=functools.partial(cp.random.default_rng(0).random, dtype=dt),  # XORWOW (cuRAND)
        device_name=lambda: cp.cuda.runtime.getDeviceProperties(cp.cuda.Device().id)["name"].decode(),
        version=cp.__version__)


def _torch_lib(dt):
    try:
        import torch
    except ImportError as e:
        return str(e)
    if not torch.cuda.is_available():
        return f"torch {torch.__version__}: no CUDA device"
    tdt = getattr(torch, dt.name, None)  # NumPy and PyTorch share the names: float32, int64, bool, complex64
    if not isinstance(tdt, torch.dtype):
        return f"torch has no dtype {dt.name}"
    return SimpleNamespace(
        sync=torch.cuda.synchronize, asarray=lambda a: torch.as_tensor(a, device="cuda"),
        ones=lambda shape: torch.ones(shape, dtype=tdt, device="cuda"), copy=lambda x: x.clone(),
        sum=lambda x, axis=None: torch.sum(x) if axis is None else torch.sum(x, dim=axis),
        sort=lambda x: torch.sort(x, stable=True).values, fuse=None, empty_cache=torch.cuda.empty_cache,
        random=lambda n: torch.rand(n, dtype=tdt, device="cuda"),  # Philox4x32-10
        device_name=torch.cuda.get_device_name, version=torch.__version__)


GPU_LIBS = {"rdnarray": _rdnarray_lib, "cupy": _cupy_lib, "torch": _torch_lib}


@functools.cache
def _random(shape, dt):
    """The same random data for every library (made once on the host)."""
    return np.random.default_rng(0).random(shape, dtype=np.float64).astype(dt)


def _fma4(a, b, c, d):
    return a * b + c * d - a


def _fused(L):
    return L.fuse(_fma4) if L.fuse is not None else None


def _sum0(L):
    return lambda a: L.sum(a, axis=0)


# name -> (size label, setup(L, dt) -> args, op(L) -> callable or None (absent), work(itemsize) -> (amount,
# unit) with unit 'B' (bytes read + written), 'FLOP' or None (time only), target (reference, factor)):
# met when rdnarray's rate >= factor * the reference's rate; reference 'copy' = the best copy bandwidth,
# else the peers named (each of them). None: reported, no target.
_N28, _N26, _SQ, _MM = 2 ** 28, 2 ** 26, 16384, 8192
GPU_CASES = {
    "copy": ("2^28", lambda L, dt: (L.ones(_N28),), lambda L: L.copy,
             lambda s: (2 * _N28 * s, "B"), None),
    "add": ("2^28", lambda L, dt: (L.ones(_N28), L.ones(_N28)), lambda L: operator.add,
            lambda s: (3 * _N28 * s, "B"), ("copy", 0.95)),
    "sum": ("2^28", lambda L, dt: (L.ones(_N28),), lambda L: L.sum,
            lambda s: (_N28 * s, "B"), (("cupy",), 1.0)),
    "sum_axis0": (f"{_SQ}x{_SQ}", lambda L, dt: (L.ones((_SQ, _SQ)),), _sum0,
                  lambda s: ((_SQ + 1) * _SQ * s, "B"), ("copy", 0.9)),
    "add_small": ("1000", lambda L, dt: (L.ones(1000), L.ones(1000)), lambda L: operator.add,
                  lambda s: (1, None), (("cupy", "torch"), 1.0)),
    "sum_small": ("1000", lambda L, dt: (L.ones(1000),), lambda L: L.sum,
                  lambda s: (1, None), (("cupy", "torch"), 1.0)),
    "a*b+c*d-a": ("2^26", lambda L, dt: tuple(L.ones(_N26) for _ in range(4)), lambda L: _fma4,
                  lambda s: (5 * _N26 * s, "B"), (("cupy",), 1.0)),
    "fused a*b+c*d-a": ("2^26", lambda L, dt: tuple(L.ones(_N26) for _ in range(4)), _fused,
                        lambda s: (5 * _N26 * s, "B"), (("cupy",), 1.0)),
    "sort": ("2^26", lambda L, dt: (L.asarray(_random(_N26, dt)),), lambda L: L.sort,
             lambda s: (1, None), (("cupy",), 1.0)),
    "random": ("2^26", lambda L, dt: (_N26,), lambda L: L.random, lambda s: (_N26 * s, "B"), None),
    "matmul": (f"{_MM}^2", lambda L, dt: (L.asarray(_random((_MM, _MM), dt)), L.asarray(_random((_MM, _MM), dt))),
               lambda L: operator.matmul, lambda s: (2 * _MM ** 3, "FLOP"), (("torch",), 0.6)),
}


def gpu_time(fn, args, sync, min_time, repeats):
    """Seconds per call: warm-up, then ``repeats`` loops of enough calls to last ``min_time``, each loop
    between two device synchronizations; the median loop."""
    fn(*args)  # compiles, allocates, fills caches
    sync()
    t = time.perf_counter()
    fn(*args)
    sync()
    reps = max(1, min(20_000, int(min_time / max(time.perf_counter() - t, 1e-7))))
    samples = []
    for _ in range(repeats):
        sync()
        t = time.perf_counter()
        for _ in range(reps):
            fn(*args)
        sync()
        samples.append((time.perf_counter() - t) / reps)
    return statistics.median(samples)


def import_time(module, tries):
    """Best wall time of ``python -c 'import module'`` in a fresh interpreter, outside the source tree."""
    best = None
    for _ in range(tries):
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=tempfile.gettempdir(),
                           capture_output=True, text=True)
        dt = time.perf_counter() - t
        if r.returncode:
            return None, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"exit {r.returncode}"
        best = dt if best is None else min(best, dt)
    return best, None


def _fmt_time(t):
    return f"{t * 1e6:.1f} us" if t < 1e-3 else f"{t * 1e3:.2f} ms"


def _fmt_rate(amount, unit, t):
    if unit == "B":
        return f"{amount / t / 1e9:.0f} GB/s"
    if unit == "FLOP":
        return f"{amount / t / 1e12:.1f} TFLOP/s"
    return ""


def _judge(row, target, copy_rate):
    """Fill ratio/target/met of ``row`` (rates are amount / time: higher is better)."""
    if target is None:
        return
    ref, factor = target
    rp_rate = row["rates"].get("rdnarray")
    if ref == "copy":
        row["target"] = f">= {factor}x copy BW"
        refs = [copy_rate] if copy_rate else []
    else:
        row["target"] = f"time <= {', '.join(ref)}" if factor == 1.0 else f">= {factor}x {', '.join(ref)} rate"
        refs = [row["rates"][p] for p in ref if p in row["rates"]]
    if rp_rate is None or not refs:
        row["met"] = None  # nothing to compare: a library is absent
        return
    row["ratio"] = min(rp_rate / r for r in refs)
    row["met"] = row["ratio"] >= factor


def _cache_check(cases):
    """Run the cases once in a child with RDNARRAY_NO_COMPILE=1: (passed, message)."""
    env = dict(os.environ, RDNARRAY_NO_COMPILE="1")
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--cache-child", "--only", *cases],
                       env=env, capture_output=True, text=True, cwd=tempfile.gettempdir())
    lines = (r.stdout + r.stderr).strip().splitlines()
    return r.returncode == 0, lines[-1] if lines else f"exit {r.returncode}"


def cache_child(args):
    """One call of each selected case with rdnarray: a compile (RDNARRAY_NO_COMPILE=1) raises."""
    dt = np.dtype(args.dtype)
    L = _rdnarray_lib(dt)
    if isinstance(L, str):
        print(f"rdnarray absent: {L}")
        return 1
    for name in args.only:
        _, setup, op, _, _ = GPU_CASES[name]
        fn = op(L)
        if fn is not None:
            fn(*setup(L, dt))
            L.sync()
    print(f"all kernels of {len(args.only)} cases came from the disk cache")
    return 0


def run_gpu(args, device):
    dt = np.dtype(args.dtype)
    selected = args.only or [*GPU_CASES, "import", "cache"]
    cases = [c for c in selected if c in GPU_CASES]
    if any(GPU_CASES[c][4] and GPU_CASES[c][4][0] == "copy" for c in cases) and "copy" not in cases:
        cases.insert(0, "copy")  # the reference bandwidth
    min_time, repeats, tries = (0.05, 3, 2) if args.quick else (0.2, 5, 4)
    libs, absent = {}, {}
    for name, make in GPU_LIBS.items():
        lib = make(dt)
        (absent if isinstance(lib, str) else libs)[name] = lib
    gpu_name = next((L.device_name() for L in libs.values()), "no GPU")
    print(f"rdnarray {rp.__version__}, default device {device}, {gpu_name}, dtype {dt.name}; "
          + ", ".join(f"{n} {L.version}" for n, L in libs.items() if n != "rdnarray"))
    for name, why in absent.items():
        print(f"  {name}: absent ({why})")
    print("time per call (rate); ratio = rdnarray rate / reference rate, met when ratio >= the target's factor")
    names = list(GPU_LIBS)
    print(f"{'op':16s} {'size':>11s}" + "".join(f" {n:>22s}" for n in names) + f" {'ratio':>6s} {'target':24s} met")

    rows, copy_rate = [], None
    for case in cases:
        size, setup, op, work, target = GPU_CASES[case]
        amount, unit = work(dt.itemsize)
        row = {"op": case, "size": size, "dtype": dt.name, "unit": unit, "amount": amount,
               "times": {}, "rates": {}, "ratio": None, "target": None, "met": None, "errors": {}}
        for name, L in libs.items():
            fn = op(L)
            if fn is None:
                row["errors"][name] = "not offered"
                continue
            try:
                a = setup(L, dt)
                t = gpu_time(fn, a, L.sync, min_time, repeats)
            except Exception as e:  # one library failing a case must not hide the others' numbers
                row["errors"][name] = f"{type(e).__name__}: {e}"
                continue
            finally:
                a = None
                L.empty_cache()
            row["times"][name], row["rates"][name] = t, amount / t
        if case == "copy" and row["rates"]:
            copy_rate = max(row["rates"].values())
        _judge(row, target, copy_rate)
        rows.append(row)
        _print_row(row, names, absent)

    if "import" in selected:
        row = {"op": "import", "size": "", "times": {}, "rates": {}, "errors": {}, "ratio": None,
               "target": "report (vs cupy)", "met": None}
        for name in names:
            t, err = import_time(name, tries)
            if t is None:
                row["errors"][name] = err
            else:
                row["times"][name], row["rates"][name] = t, 1 / t
        if "rdnarray" in row["rates"] and "cupy" in row["rates"]:
            row["ratio"] = row["rates"]["rdnarray"] / row["rates"]["cupy"]
        rows.append(row)
        _print_row(row, names, {n for n, e in row["errors"].items() if e.startswith("ModuleNotFoundError")})
    if "cache" in selected:
        ok, msg = ((None, "rdnarray absent") if "rdnarray" not in libs else
                   (None, "no kernel cases selected") if not cases else _cache_check(cases))
        rows.append({"op": "disk cache", "size": "2nd process", "target": "every kernel from disk", "met": ok,
                     "message": msg})
        print(f"{'disk cache':16s} {'2nd process':>11s} RDNARRAY_NO_COMPILE=1: {msg}  met: {_yes(ok)}")

    with open(args.json, "w") as f:
        json.dump({"rdnarray": rp.__version__, "mode": "gpu", "device": str(device), "gpu": gpu_name,
                   "versions": {n: L.version for n, L in libs.items()}, "copy_bandwidth_Bps": copy_rate,
                   "absent": absent, "rows": rows}, f, indent=1)
    judged = [r for r in rows if r.get("met") is not None]
    print(f"targets met: {sum(r['met'] for r in judged)}/{len(judged)}; wrote {args.json}")
    return 0


def _yes(met):
    return "-" if met is None else ("yes" if met else "NO")


def _print_row(row, names, absent):
    cells = []
    for n in names:
        if n in row["times"]:
            t = row["times"][n]
            rate = _fmt_rate(row.get("amount"), row.get("unit"), t) if row["op"] != "import" else ""
            cells.append(f"{_fmt_time(t)}{' ' + rate if rate else ''}")
        else:
            cells.append("absent" if n in absent else ("n/a" if row["errors"].get(n) == "not offered" else "error"))
    ratio = f"{row['ratio']:.2f}" if row.get("ratio") is not None else "-"
    print(f"{row['op']:16s} {row['size']:>11s}" + "".join(f" {c:>22s}" for c in cells)
          + f" {ratio:>6s} {row.get('target') or '':24s} {_yes(row.get('met'))}", flush=True)
    for n, err in row["errors"].items():
        if err != "not offered" and n not in absent:
            print(f"    {n}: {err[:300]}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=float, nargs="+", default=[1e3, 1e7], help="CPU mode: element counts")
    p.add_argument("--dtype", default="float32")
    p.add_argument("--ops", nargs="+", default=list(OPS), help="CPU mode: ops of OPS")
    p.add_argument("--json", default="bench.json")
    p.add_argument("--gpu", action="store_true", help="GPU mode even when rdnarray's default device is the CPU")
    p.add_argument("--generic", action="store_true", help="the CPU mode's table, on whatever device is default")
    p.add_argument("--only", nargs="+", choices=[*GPU_CASES, "import", "cache"], help="GPU mode: these cases")
    p.add_argument("--quick", action="store_true", help="shorter timing loops")
    p.add_argument("--cache-child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    device = rp.__array_namespace_info__().default_device()
    if args.cache_child:
        return cache_child(args)
    if (args.gpu or device.kind == "gpu") and not args.generic:
        return run_gpu(args, device)
    return run_table(args, device)


if __name__ == "__main__":
    sys.exit(main())
