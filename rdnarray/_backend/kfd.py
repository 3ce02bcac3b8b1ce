"""AMD GPUs as the Linux kernel driver (amdgpu/KFD) lists them, read from sysfs without ROCm.

When the HIP runtime cannot be loaded, this still tells the user what hardware is there and what to
install: "found gfx1100 (AMD Radeon RX 7900 XTX, 96 CUs, 24 GiB), but no HIP runtime: install ROCm >= 6
(libamdhip64.so)". Nothing here is on a hot path or needs privileges: the files are world-readable.

Layout (kfd_topology.c): ``/sys/class/kfd/kfd/topology/nodes/N/properties`` has one "key value" line per
property; CPU nodes have ``simd_count 0``. ``nodes/N/mem_banks/M/properties`` gives ``heap_type`` and
``size_in_bytes``.
"""
import os
from dataclasses import dataclass
from pathlib import Path

NODES = "/sys/class/kfd/kfd/topology/nodes"
DEVICE = "/dev/kfd"      # the HIP runtime opens it read-write
DRM = "/sys/class/drm"
# libdrm's table of marketing names; ROCm ships its own libdrm under /opt/amdgpu.
AMDGPU_IDS = ("/usr/share/libdrm/amdgpu.ids", "/opt/amdgpu/share/libdrm/amdgpu.ids")

# HSA heap types of a memory bank: 0 system memory, 1 frame buffer (public), 2 frame buffer (private).
_VRAM_HEAPS = (1, 2)


@dataclass(frozen=True)
class AmdGpu:
    node: int                # KFD topology node number
    arch: str                # LLVM target, e.g. 'gfx1100', 'gfx90a'
    name: str                # marketing name when known, else 'AMD GPU 0x744c'
    compute_units: int
    vram_bytes: int
    warp_size: int           # 32 on RDNA (gfx10+), 64 on GCN/CDNA (gfx9 and older)
    device_id: int           # PCI device id
    drm_render_minor: int    # /dev/dri/renderD<minor>

    def __str__(self):
        return (f"{self.arch} ({self.name}, {self.compute_units} CUs, {_gib(self.vram_bytes)}, "
                f"wave{self.warp_size})")


def gfx_arch(gfx_target_version):
    """The LLVM target name of a KFD ``gfx_target_version``: 110000 -> 'gfx1100', 90010 -> 'gfx90a'.

    The kernel encodes major * 10000 + minor * 100 + stepping in decimal (kfd_device.c: Aldebaran,
    IP 9.4.2, is 90010); LLVM writes minor and stepping as one hex digit each (gfx90a, gfx90c).
    """
    v = int(gfx_target_version)
    major, minor, stepping = v // 10000, (v // 100) % 100, v % 100
    return f"gfx{major}{minor:x}{stepping:x}"


def wave_size(arch):
    """The default wavefront size HIP compiles for: wave32 on gfx10 and later (RDNA), else wave64."""
    return 32 if int(arch[3:-2]) >= 10 else 64


def _properties(path):
    props = {}
    try:
        text = Path(path).read_text()
    except (OSError, UnicodeDecodeError):
        return props
    for line in text.splitlines():
        key, _, value = line.partition(" ")
        try:
            props[key] = int(value)
        except ValueError:
            pass
    return props


def _vram(node_dir):
    total = 0
    for bank in sorted((node_dir / "mem_banks").glob("*/properties")):
        p = _properties(bank)
        if p.get("heap_type") in _VRAM_HEAPS:
            total += p.get("size_in_bytes", 0)
    return total


def _marketing_name(device_id, drm_render_minor, drm_root, ids_paths):
    """libdrm's name for (device id, PCI revision), as rocminfo shows it; None when not listed."""
    try:
        revision = int((Path(drm_root) / f"renderD{drm_render_minor}" / "device" / "revision")
                       .read_text().strip(), 16)
    except (OSError, ValueError):
        revision = None
    for ids in ids_paths:
        try:
            lines = Path(ids).read_text().splitlines()
        except OSError:
            continue
        fallback = None
        for line in lines:
            fields = [f.strip() for f in line.split(",", 2)]
            if len(fields) != 3 or line.startswith("#"):
                continue
            try:
                dev, rev = int(fields[0], 16), int(fields[1], 16)
            except ValueError:
                continue
            if dev == device_id:
                if rev == revision:
                    return fields[2]
                fallback = fallback or fields[2]
        if fallback:
            return fallback
    return None


def gpus(root=None, drm_root=None, ids_paths=None):
    """The AMD GPUs in the KFD topology under ``root`` (default ``NODES``), in node order; [] without
    amdgpu/KFD. ``drm_root`` and ``ids_paths`` (defaults ``DRM``, ``AMDGPU_IDS``) find marketing names."""
    found = []
    root = Path(NODES if root is None else root)
    drm_root = DRM if drm_root is None else drm_root
    ids_paths = AMDGPU_IDS if ids_paths is None else ids_paths
    try:
        nodes = sorted((p for p in root.iterdir() if p.name.isdigit()), key=lambda p: int(p.name))
    except OSError:
        return found
    for node_dir in nodes:
        p = _properties(node_dir / "properties")
        if p.get("simd_count", 0) <= 0 or p.get("gfx_target_version", 0) == 0:
            continue        # a CPU node
        arch = gfx_arch(p["gfx_target_version"])
        device_id, minor = p.get("device_id", 0), p.get("drm_render_minor", -1)
        found.append(AmdGpu(
            node=int(node_dir.name),
            arch=arch,
            name=_marketing_name(device_id, minor, drm_root, ids_paths) or f"AMD GPU 0x{device_id:04x}",
            compute_units=p["simd_count"] // max(p.get("simd_per_cu", 1), 1),
            vram_bytes=_vram(node_dir),
            warp_size=wave_size(arch),
            device_id=device_id,
            drm_render_minor=minor,
        ))
    return found


def describe(root=None, drm_root=None, ids_paths=None):
    """One line per AMD GPU found, for ``show_config`` when the HIP runtime could not be loaded."""
    return [f"found {g}, but no HIP runtime: install ROCm >= 6 (libamdhip64.so)"
            for g in gpus(root, drm_root, ids_paths)]


def device_access(path=None):
    """None when this process may open ``path`` (default ``DEVICE``) read-write, as the HIP runtime
    must, else why not."""
    path = DEVICE if path is None else path
    if not os.path.exists(path):
        return f"{path} does not exist: the amdgpu kernel driver is not loaded"
    if not os.access(path, os.R_OK | os.W_OK):
        return (f"{path} is not readable and writable by this user: add the user to the 'render' and "
                "'video' groups")
    return None


def _gib(n):
    return f"{n / 2**30:.0f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"
