"""The elementwise kernel sources (src_hip/elementwise.hip as kernels/elementwise.py fills it) compile for
NVIDIA without a GPU, through NVRTC for sm_90. The AMD compile check (tools/amd_compile_check.py) compiles
the same ``examples()`` with clang and hiprtc; running them is tests/test_kernel_ops_host.py's part.

NVRTC takes about a second per instantiation, so by default a sample runs: the template as it stands,
and the examples of a few ops that between them exercise every code path of ops.h, layouts and casts. ``RDNARRAY_ALL_KERNELS=1`` compiles all ~800 examples.
"""
import concurrent.futures
import hashlib
import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest

from rdnarray._backend import compiler
from rdnarray._backend.kernels import elementwise as ew
from rdnarray._core import ops as _ops

def _label(source):
    """'op dtypes layout' of a filled source, for test ids and messages."""
    v = dict(re.findall(r"using (\w+) = ([^;]+);", source))
    n = dict(re.findall(r"constexpr int (\w+) = (\d+);", source))
    return (f"{v['op_t'].split('::')[-1]} {v['x0_t']}->{v['out0_t']} ndim={n['NDIM']} vec={n['VEC']} "
            f"{v['index_t']}")


def test_placeholders_are_all_filled():
    examples = ew.examples()
    sources = [s for s, _ in examples]
    assert {name for _, name in examples} == {"rp_elementwise"}
    assert all("/*@" not in s for s in sources)
    assert len(set(sources)) == len(sources)  # every example is a distinct instantiation
    ops = {re.search(r"using op_t = rp::op::(\w+);", s).group(1) for s in sources}
    assert ops == set(_ops.ALL) | {"copy"}


def test_fill_rejects_missing_and_unknown_values():
    values = ew._values("add", (np.dtype("f"),) * 2, (0, 0), (np.dtype("f"),) * 2, (np.dtype("f"),),
                        (np.dtype("f"),), 0, 4, False)
    assert "using x1_t = float;" in ew.source(values)
    with pytest.raises(ValueError, match="placeholders"):
        ew.source({k: v for k, v in values.items() if k != "VEC"})
    with pytest.raises(ValueError, match="placeholders"):
        ew.source(dict(values, EXTRA=1))


def test_unary_and_single_output_are_padded():
    f = np.dtype(np.float32)
    v = ew._values("sin", (f,), (0,), (f,), (f,), (f,), 2, 1, True)
    assert v["NIN"] == 1 and v["KIND1"] == ew.SCALAR and v["x1_t"] == "float"
    assert v["NOUT"] == 1 and v["out1_t"] == "float" and v["index_t"] == "int64_t" and v["NDIM"] == 2


def _nvrtc():
    driver = pytest.importorskip("rdnarray._backend.driver", reason="the driver module is not built")
    try:
        return driver.load_rtc("cuda")
    except driver.Unavailable as e:
        pytest.skip(f"NVRTC is not installed: {e}")


def _compile_all(rtc, sources):
    """Compile every source for sm_90; a source that compiled before with the same headers and NVRTC
    is skipped (a marker file in the temp directory), so repeated runs cost nothing."""
    done = Path(tempfile.gettempdir()) / f"rdnarray-nvrtc-ok-{os.getuid()}"
    done.mkdir(exist_ok=True)
    salt = compiler.header_checksum(str(compiler.source_dir())) + str(rtc.version())

    def build(source):
        marker = done / hashlib.sha256((salt + source).encode()).hexdigest()
        if marker.exists():
            return None
        try:
            rtc.compile(source, "rp_elementwise", [f"-I{compiler.source_dir()}"], "sm_90")
        except Exception as e:  # driver.CompileError: the log is in the message
            return f"{_label(source)}:\n{str(e)[-3000:]}"
        marker.touch()
        return None

    with concurrent.futures.ThreadPoolExecutor(max(2, os.cpu_count() or 1)) as pool:
        failures = [f for f in pool.map(build, sources) if f]
    assert not failures, "\n\n".join(failures[:5])


def test_template_compiles_on_its_own_with_nvrtc():
    rtc = _nvrtc()
    _compile_all(rtc, [compiler.read_source("elementwise.hip")])


def test_examples_compile_with_nvrtc():
    rtc = _nvrtc()
    quick = os.environ.get("RDNARRAY_ALL_KERNELS", "") in ("", "0")
    examples = ew.examples(quick=quick)
    assert not quick or 20 <= len(examples) <= 40
    _compile_all(rtc, [s for s, _ in examples])
