"""The kernel compilation caches (rdnarray/_backend/compiler.py): memory, disk, and their failure modes.

No GPU needed. Real compiles use NVRTC (CUDA C++ -> CUBIN for sm_90) where the NVRTC library can be
loaded; the rest use a fake compiler that records its calls.
"""
import hashlib
import json
import os
import stat
import subprocess
import sys
import textwrap

import pytest

from rdnarray._backend import compiler, driver

KERNEL = textwrap.dedent("""\
    #include "twice.h"
    extern "C" __global__ void scale(float* x, int n) {
        int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i < n) x[i] = twice(x[i]);
    }
    """)
HEADER = "__device__ inline float twice(float v) { return 2.0f * v; }\n"


class FakeRtc:
    """Stands in for driver.load_rtc(vendor): records every compile, returns a deterministic image."""
    vendor = "fake"

    def __init__(self, fail=False):
        self.calls = []
        self.fail = fail

    def version(self):
        return "fake 1.0"

    def compile(self, source, name, options, arch):
        self.calls.append((name, tuple(options), arch))
        if self.fail:
            raise RuntimeError(f"fake compile error in {name}")
        return b"IMAGE " + hashlib.sha256(repr((source, name, options, arch)).encode()).digest()


def _real(vendor):
    """driver.load_rtc(vendor), or the Unavailable saying why not."""
    try:
        return driver.load_rtc(vendor)
    except driver.Unavailable as e:
        return e


_NVRTC = _real("cuda")
ARCH = {"fake": "fake_arch", "cuda": "sm_90", "hip": "gfx1030"}


@pytest.fixture(params=["fake", "cuda", "hip"])
def rtc(request):
    """The fake compiler, NVRTC and hiprtc: every cache test runs against each that loads here."""
    if request.param == "fake":
        return FakeRtc()
    r = _real(request.param)
    if isinstance(r, Exception):
        pytest.skip(f"{request.param} run-time compiler unavailable: {r}")
    return r


@pytest.fixture(autouse=True)
def fresh_cache(tmp_path, monkeypatch):
    """Each test gets an empty cache directory, an empty memory cache and zeroed counters."""
    monkeypatch.setenv("RDNARRAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RDNARRAY_NO_COMPILE", raising=False)
    compiler.clear_memory_cache()
    compiler.reset_stats()
    yield tmp_path / "cache"
    compiler.clear_memory_cache()


@pytest.fixture
def include(tmp_path):
    d = tmp_path / "include"
    d.mkdir()
    (d / "twice.h").write_text(HEADER)
    return d


def _arch(rtc):
    return ARCH[rtc.vendor]


def _compile(rtc, include, source=KERNEL, options=(), arch=None):
    return compiler.compile(source, "scale", options, arch or _arch(rtc), rtc, include_dir=include)


def _files(cache):
    return sorted(p.name for p in cache.iterdir()) if cache.exists() else []


def test_memory_hit(rtc, include):
    a = _compile(rtc, include)
    b = _compile(rtc, include)
    assert a == b and len(a) > 0
    assert compiler.stats()["compiles"] == 1
    assert compiler.stats()["memory_hits"] == 1


def test_disk_hit(rtc, include, fresh_cache):
    a = _compile(rtc, include)
    assert len(_files(fresh_cache)) == 1
    compiler.clear_memory_cache()
    b = _compile(rtc, include)
    assert a == b
    s = compiler.stats()
    assert (s["compiles"], s["disk_hits"], s["memory_hits"]) == (1, 1, 0)


@pytest.mark.parametrize("vendor", ["cuda", "hip"])
def test_real_compile_produces_elf(vendor, include):
    rtc = _real(vendor)
    if isinstance(rtc, Exception):
        pytest.skip(f"{vendor} run-time compiler unavailable: {rtc}")
    assert _compile(rtc, include)[:4] == b"\x7fELF"      # CUBIN and AMD code objects are ELF files


def test_cache_dir_created_private(include, fresh_cache):
    assert not fresh_cache.exists()
    _compile(FakeRtc(), include)
    assert stat.S_IMODE(fresh_cache.stat().st_mode) == 0o700


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("RDNARRAY_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert compiler.cache_dir() == tmp_path / ".cache" / "rdnarray"


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage", "wrong_key"])
def test_corrupt_file_is_rebuilt(damage, include, fresh_cache):
    rtc = FakeRtc()
    good = _compile(rtc, include)
    (path,) = fresh_cache.iterdir()
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[:-5])
    elif damage == "flip":
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "garbage":
        path.write_bytes(os.urandom(len(data)))
    else:   # a valid file of another kernel under this name
        other = _compile(rtc, include, options=("-DX",))
        assert other != good
        (path_other,) = [p for p in fresh_cache.iterdir() if p != path]
        path.write_bytes(path_other.read_bytes())
    compiler.clear_memory_cache()
    compiler.reset_stats()
    assert _compile(rtc, include) == good
    assert compiler.stats()["corrupt_files"] == 1 and compiler.stats()["compiles"] == 1
    # ... and the file was replaced by a good one: the next process reads it.
    compiler.clear_memory_cache()
    assert _compile(rtc, include) == good
    assert compiler.stats()["disk_hits"] == 1 and compiler.stats()["compiles"] == 1


def test_failed_compile_writes_nothing(include, fresh_cache):
    with pytest.raises(RuntimeError, match="fake compile error"):
        _compile(FakeRtc(fail=True), include)
    assert _files(fresh_cache) == []


def test_real_compile_error_writes_nothing(include, fresh_cache):
    if isinstance(_NVRTC, Exception):
        pytest.skip(f"NVRTC unavailable: {_NVRTC}")
    with pytest.raises(driver.CompileError, match="undefined_thing"):
        _compile(_NVRTC, include, source=KERNEL.replace("twice(x[i])", "undefined_thing(x[i])"))
    assert _files(fresh_cache) == []


def test_interrupted_write_leaves_no_partial_file(include, fresh_cache, monkeypatch):
    def fail(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(compiler.os, "replace", fail)
    image = _compile(FakeRtc(), include)
    assert image.startswith(b"IMAGE")                      # the kernel still works
    assert _files(fresh_cache) == []                       # the temporary file is gone
    assert compiler.stats()["write_errors"] == 1


def test_unwritable_cache_dir_still_compiles(include, tmp_path, monkeypatch):
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("")
    monkeypatch.setenv("RDNARRAY_CACHE_DIR", str(blocker / "cache"))
    assert _compile(FakeRtc(), include).startswith(b"IMAGE")
    assert compiler.stats()["write_errors"] == 1


def test_headers_found_through_include_dir(include):
    rtc = FakeRtc()
    _compile(rtc, include, options=("-DA=1",))
    (name, options, arch), = rtc.calls
    assert options == ("-DA=1", f"-I{include}")


def test_key_covers_every_input(include):
    base = dict(source=KERNEL, name="scale", options=("-DA=1",), arch="gfx1100", vendor="hip",
                compiler_version="6.2", include_dir=include)
    key = compiler.cache_key(**base)
    for field, value in [("source", KERNEL + " "), ("name", "scale2"), ("options", ("-DA=2",)),
                         ("options", ()), ("arch", "gfx1030"), ("vendor", "cuda"),
                         ("compiler_version", "6.3")]:
        assert compiler.cache_key(**{**base, field: value}) != key, field
    assert compiler.cache_key(**base) == key


def test_key_changes_with_a_header(rtc, include):
    _compile(rtc, include)
    (include / "twice.h").write_text(HEADER.replace("2.0f", "3.0f"))
    _compile(rtc, include)
    assert compiler.stats()["compiles"] == 1     # headers are hashed once per process ...
    compiler.header_checksum.cache_clear()       # ... so a new process would see the change:
    _compile(rtc, include)
    assert compiler.stats()["compiles"] == 2
    (include / "new.h").write_text("// a new header\n")
    compiler.header_checksum.cache_clear()
    _compile(rtc, include)
    assert compiler.stats()["compiles"] == 3


def test_key_ignores_include_dir_location(include, tmp_path):
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    (copy / "twice.h").write_text(HEADER)
    args = (KERNEL, "scale", (), "sm_90", "cuda", "13.0")
    assert compiler.cache_key(*args, include_dir=include) == compiler.cache_key(*args, include_dir=copy)


def test_no_compile_switch(include, monkeypatch):
    monkeypatch.setenv("RDNARRAY_NO_COMPILE", "1")
    with pytest.raises(RuntimeError, match="would compile scale for fake_arch, but RDNARRAY_NO_COMPILE is set"):
        _compile(FakeRtc(), include)


SECOND_PROCESS = textwrap.dedent("""\
    import json, sys
    from rdnarray._backend import compiler, driver
    sys.path.insert(0, sys.argv[2])
    from test_compiler_cache import FakeRtc, KERNEL, _real
    job = json.load(open(sys.argv[1]))
    rtc = FakeRtc() if job["rtc"] == "fake" else _real(job["rtc"])
    images = [compiler.compile(KERNEL, "scale", opts, job["arch"], rtc, include_dir=job["include"]).hex()
              for opts in job["options"]]
    print(json.dumps({"images": images, "stats": compiler.stats(), "calls": len(getattr(rtc, "calls", []))}))
    """)


def test_second_process_compiles_nothing(rtc, include, fresh_cache, tmp_path):
    options = [[], ["-DA=1"], ["-DA=2", "-DRP_TEST_B"]]
    images = [_compile(rtc, include, options=o).hex() for o in options]
    assert compiler.stats()["compiles"] == 3
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"rtc": rtc.vendor, "arch": _arch(rtc),
                               "include": str(include), "options": options}))
    script = tmp_path / "second.py"
    script.write_text(SECOND_PROCESS)
    env = {**os.environ, "RDNARRAY_NO_COMPILE": "1", "RDNARRAY_CACHE_DIR": str(fresh_cache)}
    r = subprocess.run([sys.executable, str(script), str(job), os.path.dirname(__file__)],
                       env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    child = json.loads(r.stdout.splitlines()[-1])
    assert child["images"] == images
    assert child["stats"]["compiles"] == 0 and child["stats"]["disk_hits"] == 3
    assert child["calls"] == 0


# ---- get_function: the per-(driver, device) loaded-function cache ------------------------------------

class FakeDriver:
    vendor = "fake"

    def __init__(self, rtc):
        self.rtc = rtc
        self.loaded = []
        self.current = None

    def compiler(self):
        return self.rtc

    def properties(self, index):
        return {"arch": f"fake_arch{index}"}

    def set_device(self, index):
        self.current = index

    def module_load(self, image):
        self.loaded.append((self.current, image))
        return len(self.loaded)

    def get_function(self, module, name):
        return ("function", module, name)


def test_get_function_caches_per_device():
    fake_rtc = FakeRtc()
    drv = FakeDriver(fake_rtc)
    src = '#include "prelude.h"\nextern "C" __global__ void k() {}\n'
    f0 = compiler.get_function(drv, 0, src, "k")
    assert compiler.get_function(drv, 0, src, "k") is f0
    assert compiler.get_function(drv, 0, src, "k", ()) is f0
    f1 = compiler.get_function(drv, 1, src, "k")
    assert f1 != f0
    assert [d for d, _ in drv.loaded] == [0, 1]                    # loaded with its device current
    assert [c[2] for c in fake_rtc.calls] == ["fake_arch0", "fake_arch1"]   # each device's own arch
    compiler.get_function(drv, 0, src, "k", ["-DX"])
    assert len(drv.loaded) == 3


def test_source_dir():
    d = compiler.source_dir()
    assert d.is_dir() and d.name == "src_hip"
    assert "#define RP_PRELUDE_H" in compiler.read_source("prelude.h")


# ---- on a GPU: compiled through the prelude, loaded, launched; a second process loads from disk -------

GPU_KERNEL = textwrap.dedent("""\
    #include "prelude.h"
    extern "C" __global__ void add_one(float* x, int32_t n) {
        int32_t i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i < n) x[i] = x[i] + 1.0f;
    }
    """)

GPU_CHILD = textwrap.dedent("""\
    import sys
    import numpy as np
    from rdnarray._backend import compiler, driver
    sys.path.insert(0, sys.argv[1])
    from test_compiler_cache import GPU_KERNEL, _add_one
    drv = driver.load()
    drv.set_device(0)
    assert list(_add_one(drv, np.arange(5, dtype=np.float32))) == [1, 2, 3, 4, 5]
    assert compiler.stats()["compiles"] == 0 and compiler.stats()["disk_hits"] == 1, compiler.stats()
    print("ok")
    """)


@pytest.mark.parametrize("vendor", ["cuda", "hip"])
def test_prelude_found_in_source_dir(vendor):
    """The installed (or in-tree) src_hip/ is the include directory: the prelude compiles from there."""
    rtc = _real(vendor)
    if isinstance(rtc, Exception):
        pytest.skip(f"{vendor} run-time compiler unavailable: {rtc}")
    assert compiler.compile(GPU_KERNEL, "add_one", (), ARCH[vendor], rtc)[:4] == b"\x7fELF"


def _add_one(drv, host):
    f = compiler.get_function(drv, 0, GPU_KERNEL, "add_one")
    ptr = drv.malloc(host.nbytes)
    try:
        drv.memcpy_htod(ptr, host.ctypes.data, host.nbytes)
        f.launch(((host.size + 255) // 256, 1, 1), (256, 1, 1), 0, 0, (ptr, host.size), "Pi")
        out = host.copy()
        drv.memcpy_dtoh(out.ctypes.data, ptr, out.nbytes)
        drv.synchronize()
        return out
    finally:
        drv.free(ptr)


def test_gpu_launch_and_second_process(fresh_cache, tmp_path):
    import numpy as np
    try:
        drv = driver.load()
    except driver.Unavailable as e:
        pytest.skip(f"no GPU runtime: {e}")
    if drv.device_count() == 0:
        pytest.skip(f"the {drv.vendor} runtime reports no GPU")
    drv.set_device(0)
    x = np.arange(1000, dtype=np.float32)
    np.testing.assert_array_equal(_add_one(drv, x), x + 1)
    f = compiler.get_function(drv, 0, GPU_KERNEL, "add_one")
    assert compiler.get_function(drv, 0, GPU_KERNEL, "add_one") is f
    assert compiler.stats()["compiles"] == 1
    script = tmp_path / "gpu_child.py"
    script.write_text(GPU_CHILD)
    env = {**os.environ, "RDNARRAY_NO_COMPILE": "1", "RDNARRAY_CACHE_DIR": str(fresh_cache)}
    r = subprocess.run([sys.executable, str(script), os.path.dirname(__file__)], env=env, cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr
