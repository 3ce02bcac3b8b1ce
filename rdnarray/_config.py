"""``rdnarray.show_config()``: the version, the devices found and why any backend is unavailable.

For the GPU it reports, per vendor (HIP, CUDA), the runtime library that loaded (path and version) and its
devices, or every path tried; the run-time compiler likewise; the AMD GPUs the kernel driver (KFD) lists
when the HIP runtime cannot serve them; and where compiled kernels are cached.
"""
import platform
import sys

import numpy as np

from . import _backend
from ._core import devices as _devices
from ._version import __version__

# What GPU arrays do not (yet) compute on the GPU: they are copied to the host and back.
GPU_HOST_FALLBACK = "linalg and fft of GPU arrays compute on the host for now (copied there and back)"


def _device(drv, i):
    p = drv.properties(i)
    return {"index": i, "name": p["name"], "arch": p["arch"], "compute_units": p["compute_units"],
            "total_memory": p["total_memory"], "warp_size": p["warp_size"]}


def _vendor(driver, vendor):
    """What loads of one vendor's runtime and compiler, or why not."""
    v = {}
    try:
        drv = driver.load(vendor)
        v["runtime"] = drv.describe()
        v["library"] = drv.library
        v["devices"] = [_device(drv, i) for i in range(drv.device_count())]
    except (driver.Unavailable, driver.DriverError) as e:
        v["runtime_error"] = str(e)
    try:
        rtc = driver.load_rtc(vendor)
        v["compiler"] = rtc.version()
        v["compiler_library"] = rtc.library
    except driver.Unavailable as e:
        v["compiler_error"] = str(e)
    return v


def _amd_without_runtime(kfd, hip):
    """Lines for the AMD GPUs in the KFD topology that the HIP runtime does not serve (else [])."""
    if hip.get("devices"):
        return []
    if "runtime_error" in hip:
        return kfd.describe()
    why = kfd.device_access() or "the ROCm release may predate these GPUs; install ROCm >= 6"
    return [f"found {g}, but the HIP runtime reports no device: {why}" for g in kfd.gpus()]


def gpu_config():
    """The GPU part of ``config()``: availability, the vendor in use, each vendor's runtime and compiler
    (path and version, or why not), devices, AMD GPUs without a runtime, the kernel cache and what still
    computes on the host."""
    from ._backend import compiler, driver, kfd
    why = _backend.unavailable_reason("gpu")
    cfg = {"available": why is None}
    if why is None:
        cfg["detail"] = _backend.get("gpu").describe()
        cfg["vendor"] = driver.load().vendor
    else:
        cfg["reason"] = why
    cfg["vendors"] = {vendor: _vendor(driver, vendor) for vendor in driver.VENDORS}
    cfg["amd_without_runtime"] = _amd_without_runtime(kfd, cfg["vendors"]["hip"])
    cfg["kernel_cache"] = str(compiler.cache_dir())
    cfg["host_fallback"] = GPU_HOST_FALLBACK
    return cfg


def config():
    """The configuration as a dict (what ``show_config`` prints)."""
    backends = {}
    for kind in _backend.KINDS:
        if kind == "gpu":
            backends[kind] = gpu_config()
            continue
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


def _gpu_lines(g):
    indent = " " * 7
    lines = []
    for vendor, v in g["vendors"].items():
        name = vendor.upper() + (" (in use)" if g.get("vendor") == vendor else "")
        if "runtime" in v:
            lines.append(f"{name}: {v['runtime']}, {len(v['devices'])} device(s)")
            for d in v["devices"]:
                lines.append(f"  gpu:{d['index']} {d['name']}: {d['arch']}, {d['compute_units']} compute units, "
                             f"{d['total_memory'] / 2**30:.1f} GiB, warp size {d['warp_size']}")
        else:
            lines.append(f"{name}: runtime unavailable: {v['runtime_error']}")
        lines.append("  compiler: " + (f"{v['compiler']} at {v['compiler_library']}" if "compiler" in v
                                       else f"unavailable: {v['compiler_error']}"))
    lines += g["amd_without_runtime"]
    lines.append(f"kernel cache: {g['kernel_cache']}")
    lines.append(g["host_fallback"])
    return [indent + line for line in lines]


def show_config():
    cfg = config()
    print(f"rdnarray {cfg['rdnarray']} (Python {cfg['python']}, NumPy {cfg['numpy']}, {cfg['platform']})")
    for kind, b in cfg["backends"].items():
        state = b["detail"] if b["available"] else f"unavailable: {b['reason']}"
        print(f"  {kind:4s} {state}")
        if kind == "gpu":
            print("\n".join(_gpu_lines(b)))
    print(f"  default device: {cfg['default device']}")
