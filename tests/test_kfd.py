"""AMD GPU discovery from the KFD sysfs topology (rdnarray/_backend/kfd.py) on a fake sysfs tree."""
import os

import pytest

from rdnarray._backend import kfd

GIB = 2**30


def _props(path, **values):
    path.mkdir(parents=True, exist_ok=True)
    (path / "properties").write_text("".join(f"{k} {v}\n" for k, v in values.items()))


def _node(root, n, mem_banks=(), **values):
    node = root / str(n)
    _props(node, **values)
    (node / "mem_banks").mkdir()
    for i, (heap_type, size) in enumerate(mem_banks):
        _props(node / "mem_banks" / str(i), heap_type=heap_type, size_in_bytes=size, flags=0, width=64)
    return node


@pytest.fixture
def sysfs(tmp_path):
    """A machine with a CPU node, a Radeon RX 7900 XTX (RDNA3) and one MI250X die (CDNA2)."""
    nodes = tmp_path / "kfd" / "topology" / "nodes"
    _node(nodes, 0, [(0, 64 * GIB)], cpu_cores_count=16, simd_count=0, simd_per_cu=0, gfx_target_version=0,
          vendor_id=0, device_id=0, drm_render_minor=0)
    _node(nodes, 1, [(1, 24 * GIB)], cpu_cores_count=0, simd_count=192, simd_per_cu=2,
          gfx_target_version=110000, vendor_id=4098, device_id=0x744C, drm_render_minor=128,
          wave_front_size=32, local_mem_size=0)
    _node(nodes, 2, [(1, 32 * GIB), (2, 32 * GIB), (0, 1 * GIB)], cpu_cores_count=0, simd_count=440,
          simd_per_cu=4, gfx_target_version=90010, vendor_id=4098, device_id=0x740C, drm_render_minor=129,
          wave_front_size=64)
    (nodes / "not_a_node").mkdir()
    drm = tmp_path / "drm"
    for minor, rev in ((128, "0xc8"), (129, "0x01")):
        (drm / f"renderD{minor}" / "device").mkdir(parents=True)
        (drm / f"renderD{minor}" / "device" / "revision").write_text(rev + "\n")
    ids = tmp_path / "amdgpu.ids"
    ids.write_text("# List of AMDGPU IDs\n#\n\n1.0.0\n"
                   "740C,\t01,\tAMD Instinct MI250X / MI250\n"
                   "744C,\tC8,\tAMD Radeon RX 7900 XTX\n"
                   "744C,\tCC,\tAMD Radeon RX 7900 XT\n")
    return {"root": nodes, "drm_root": drm, "ids_paths": (tmp_path / "missing.ids", ids)}


@pytest.mark.parametrize("version, arch", [
    (110000, "gfx1100"), (110001, "gfx1101"), (110501, "gfx1151"), (100300, "gfx1030"),
    (100301, "gfx1031"), (90010, "gfx90a"), (90012, "gfx90c"), (90402, "gfx942"), (90006, "gfx906"),
    (120001, "gfx1201"), (80003, "gfx803"),
])
def test_gfx_arch(version, arch):
    assert kfd.gfx_arch(version) == arch


@pytest.mark.parametrize("arch, size", [("gfx1100", 32), ("gfx1030", 32), ("gfx1201", 32), ("gfx1151", 32),
                                        ("gfx90a", 64), ("gfx942", 64), ("gfx906", 64), ("gfx803", 64)])
def test_wave_size(arch, size):
    assert kfd.wave_size(arch) == size


def test_gpus(sysfs):
    rdna3, cdna2 = kfd.gpus(**sysfs)
    assert rdna3 == kfd.AmdGpu(node=1, arch="gfx1100", name="AMD Radeon RX 7900 XTX", compute_units=96,
                               vram_bytes=24 * GIB, warp_size=32, device_id=0x744C, drm_render_minor=128)
    assert cdna2 == kfd.AmdGpu(node=2, arch="gfx90a", name="AMD Instinct MI250X / MI250", compute_units=110,
                               vram_bytes=64 * GIB, warp_size=64, device_id=0x740C, drm_render_minor=129)


def test_name_without_revision_or_ids(sysfs, tmp_path):
    (sysfs["drm_root"] / "renderD128" / "device" / "revision").unlink()
    assert kfd.gpus(**sysfs)[0].name == "AMD Radeon RX 7900 XTX"     # the first entry for the device
    g = kfd.gpus(sysfs["root"], sysfs["drm_root"], ids_paths=())[0]
    assert g.name == "AMD GPU 0x744c"


def test_describe(sysfs):
    assert kfd.describe(**sysfs) == [
        "found gfx1100 (AMD Radeon RX 7900 XTX, 96 CUs, 24 GiB, wave32), but no HIP runtime: "
        "install ROCm >= 6 (libamdhip64.so)",
        "found gfx90a (AMD Instinct MI250X / MI250, 110 CUs, 64 GiB, wave64), but no HIP runtime: "
        "install ROCm >= 6 (libamdhip64.so)",
    ]


def test_no_kfd(tmp_path):
    assert kfd.gpus(tmp_path / "absent") == []
    assert kfd.describe(tmp_path / "absent") == []


def test_unreadable_node_is_skipped(sysfs):
    (sysfs["root"] / "1" / "properties").unlink()
    assert [g.arch for g in kfd.gpus(**sysfs)] == ["gfx90a"]


def test_this_machine():
    """Whatever the real sysfs holds, reading it does not fail."""
    for g in kfd.gpus():
        assert g.arch.startswith("gfx") and g.warp_size in (32, 64)


def test_device_access(tmp_path):
    assert "does not exist" in kfd.device_access(tmp_path / "kfd")
    dev = tmp_path / "kfd"
    dev.write_text("")
    assert kfd.device_access(dev) is None
    if os.geteuid() != 0:       # root may open anything
        dev.chmod(0o400)
        assert "render" in kfd.device_access(dev)


# ---- show_config: what it says about GPUs ------------------------------------------------------------

class FakeDriver:
    def __init__(self, vendor, devices):
        self.vendor, self.library, self.devices = vendor, f"/opt/{vendor}/lib{vendor}.so", devices

    def describe(self):
        return f"{self.vendor.upper()} 1.0 ({self.library})"

    def device_count(self):
        return len(self.devices)

    def properties(self, i):
        return self.devices[i]


H100 = {"name": "NVIDIA H100 80GB HBM3", "arch": "sm_90", "compute_units": 132, "total_memory": 85 * 10**9,
        "warp_size": 32, "max_threads_per_block": 1024}


@pytest.fixture
def machine(sysfs, monkeypatch):
    """Point show_config at the fake sysfs and at fake runtimes: `set(hip=..., cuda=...)` with a
    FakeDriver or a reason string for each vendor."""
    from rdnarray import _backend, _config
    from rdnarray._backend import driver
    monkeypatch.setattr(kfd, "NODES", str(sysfs["root"]))
    monkeypatch.setattr(kfd, "DRM", str(sysfs["drm_root"]))
    monkeypatch.setattr(kfd, "AMDGPU_IDS", sysfs["ids_paths"])
    monkeypatch.setattr(kfd, "DEVICE", str(sysfs["root"] / "no_dev_kfd"))

    def set(**vendors):
        def load(vendor=None):
            if vendor is None:
                vendor = next(v for v, d in vendors.items() if not isinstance(d, str) and d.devices)
            d = vendors[vendor]
            if isinstance(d, str):
                raise driver.Unavailable(d)
            return d
        monkeypatch.setattr(driver, "load", load)
        usable = [d for d in vendors.values() if not isinstance(d, str) and d.devices]
        reason = None if usable else "no GPU runtime could be loaded: " + " | ".join(
            d for d in vendors.values() if isinstance(d, str))
        monkeypatch.setattr(_backend, "unavailable_reason", lambda kind: reason if kind == "gpu" else None)
        gpu_backend = type("B", (), {"describe": lambda self: "NVIDIA H100 80GB HBM3 (sm_90, ...)"})()
        real_get = _backend.get
        monkeypatch.setattr(_backend, "get", lambda kind, i=0: gpu_backend if kind == "gpu" else real_get(kind, i))
        monkeypatch.setattr(_config._devices, "default_device", lambda: "gpu:0" if usable else "cpu")
    return set


def _shown(capsys):
    from rdnarray import _config
    _config.show_config()
    return capsys.readouterr().out


def test_show_config_amd_without_runtime(machine, capsys):
    machine(hip="HIP runtime not found (tried /opt/rocm/lib/libamdhip64.so: no such file)",
            cuda="CUDA driver not found (tried libcuda.so.1: no such file)")
    from rdnarray import _config
    g = _config.config()["backends"]["gpu"]
    assert not g["available"] and "/opt/rocm/lib/libamdhip64.so" in g["reason"]
    assert g["amd_without_runtime"] == kfd.describe(**_sysfs_args())
    out = _shown(capsys)
    assert "found gfx1100 (AMD Radeon RX 7900 XTX, 96 CUs, 24 GiB, wave32), but no HIP runtime" in out
    assert "HIP: runtime unavailable: HIP runtime not found (tried /opt/rocm/lib/libamdhip64.so" in out
    assert "CUDA: runtime unavailable: CUDA driver not found (tried libcuda.so.1" in out
    assert "linalg and fft of GPU arrays compute on the host" in out
    assert "kernel cache: " in out
    assert "default device: cpu" in out


def _sysfs_args():
    return {"root": kfd.NODES, "drm_root": kfd.DRM, "ids_paths": kfd.AMDGPU_IDS}


def test_show_config_hip_without_devices(machine, capsys):
    machine(hip=FakeDriver("hip", []), cuda="CUDA driver not found")
    out = _shown(capsys)
    assert "HIP: HIP 1.0 (/opt/hip/libhip.so), 0 device(s)" in out
    assert ("found gfx90a (AMD Instinct MI250X / MI250, 110 CUs, 64 GiB, wave64), but the HIP runtime "
            "reports no device: ") in out
    assert "no_dev_kfd does not exist" in out


def test_show_config_cuda_devices(machine, capsys):
    machine(hip="HIP runtime not found", cuda=FakeDriver("cuda", [H100]))
    from rdnarray import _config
    g = _config.config()["backends"]["gpu"]
    assert g["available"] and g["vendor"] == "cuda"
    assert g["vendors"]["cuda"]["devices"] == [{"index": 0, "name": "NVIDIA H100 80GB HBM3", "arch": "sm_90",
                                               "compute_units": 132, "total_memory": 85 * 10**9, "warp_size": 32}]
    out = _shown(capsys)
    assert "CUDA (in use): CUDA 1.0 (/opt/cuda/libcuda.so), 1 device(s)" in out
    assert "gpu:0 NVIDIA H100 80GB HBM3: sm_90, 132 compute units, 79.2 GiB, warp size 32" in out
    assert "default device: gpu:0" in out


def test_show_config_this_machine(capsys):
    """Whatever this machine has, show_config prints without failing and config() is a dict."""
    import rdnarray as rp
    from rdnarray import _config
    assert isinstance(_config.config()["backends"]["gpu"], dict)
    rp.show_config()
    assert "gpu" in capsys.readouterr().out
