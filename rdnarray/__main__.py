"""``python -m rdnarray``: the devices found, then a short NumPy-style script timed on the default device
beside NumPy on the host."""
import time

import numpy as np

import rdnarray as rp


def simulate(xp, n=1_000_000, steps=20):
    """A NumPy-style script: a damped wave on a 1-D grid, explicit finite differences, plus statistics."""
    x = xp.linspace(0.0, 2 * xp.pi, n)
    u = xp.sin(x) * xp.exp(-((x - xp.pi) ** 2))
    v = xp.zeros_like(u)
    dt, c2 = 1e-3, 0.5
    for _ in range(steps):
        lap = xp.zeros_like(u)
        lap[1:-1] = u[2:] - 2 * u[1:-1] + u[:-2]
        v = 0.999 * v + dt * c2 * lap * n
        u = u + dt * v
    energy = float(xp.sum(u * u + v * v))
    peak = int(xp.argmax(xp.abs(u)))
    return energy, peak, float(xp.mean(u)), float(xp.std(u))


def _timed(xp, sync):
    simulate(xp, n=1000, steps=2)  # warm up (and compile, on a GPU)
    t = time.perf_counter()
    result = simulate(xp)
    sync()
    return result, time.perf_counter() - t


def main():
    rp.show_config()
    device = rp.__array_namespace_info__().default_device()
    print(f"\nDemo: damped wave, 1,000,000 points, 20 steps, on {device} (rdnarray) and NumPy (host)")
    # GPU work is queued: wait for it before reading the clock.
    sync = (lambda: rp.gpu.synchronize(device)) if device.kind == "gpu" else (lambda: None)
    ours, t_ours = _timed(rp, sync)
    theirs, t_np = _timed(np, lambda: None)
    print(f"  {'':10s} {'energy':>14s} {'argmax':>8s} {'mean':>12s} {'std':>12s} {'time':>10s}")
    for name, (e, p, m, s), t in (("rdnarray", ours, t_ours), ("numpy", theirs, t_np)):
        print(f"  {name:10s} {e:14.6g} {p:8d} {m:12.4e} {s:12.4e} {t * 1e3:8.1f} ms")
    same = np.allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    print(f"  results agree with NumPy: {same}; time ratio rdnarray/numpy = {t_ours / t_np:.2f}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
