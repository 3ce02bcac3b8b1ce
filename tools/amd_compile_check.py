"""AMD compile check without a GPU: every kernel template, instantiated by the generators' ``examples()``,
compiled for real AMD targets with Debian's clang-19, plus hiprtc through rdnarray's own HIP runtime table.

    python tools/amd_compile_check.py [--arch gfx1030 gfx1100 gfx90a] [--modules elementwise ...]
                                      [--per-module 24] [--rtc-per-module 3] [--jobs N]

Needs (Debian 12): clang-19 lld-19 llvm-19 rocm-device-libs libamdhip64-dev. For each (kernel, target) it runs

    clang++-19 -x hip --cuda-device-only --no-gpu-bundle-output --offload-arch=gfx1100 -O3 -std=c++17
               --rocm-path=/usr --rocm-device-lib-path=<temp copy of the bitcode dir> -I src_hip
               -o kernel.co kernel.hip

(src_hip/prelude.h includes hip/hip_runtime.h under clang, which hiprtc includes implicitly), then checks
that the code object is an ELF for that target holding the kernel's symbol and descriptor, with the target's
wavefront size in its metadata, and, for wave32 targets, no 64-bit exec-mask instruction. The same sources go
through ``rdnarray._backend.driver.load_rtc('hip').compile`` for gfx1030 and gfx90a (that old hiprtc aborts
the process for gfx11: never ask it). Nothing is cached between runs. Exit status 1 on any failure.
"""
import argparse
import concurrent.futures
import glob
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Target -> wavefront size: RDNA2 and RDNA3 run wave32, CDNA2 wave64.
TARGETS = {"gfx1030": 32, "gfx1100": 32, "gfx90a": 64}
RTC_TARGETS = ("gfx1030", "gfx90a")
GENERATORS = ("elementwise", "reduction", "scan", "sorting", "indexing", "gemm", "iota", "segments", "philox")
# Wave32 code masks lanes with exec_lo; a 64-bit exec operand or saveexec means code built for wave64.
# (exec_hi alone is no sign: LLVM reads it in wave32 code when it widens lane masks to 64 bits.)
WAVE64_EXEC = re.compile(r"\bexec\b|saveexec_b64")
LOG_LINES = 40  # of each failure's compiler log: the first errors are the ones that matter


def find_tool(*names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit(f"amd_compile_check: none of {', '.join(names)} found on PATH; "
                     "install clang-19 lld-19 llvm-19 rocm-device-libs libamdhip64-dev (Debian 12)")


def rocm_paths():
    """(root whose include/ holds hip/hip_runtime.h, directory of the amdgcn device-library bitcode)."""
    roots = [os.environ.get("ROCM_PATH"), "/opt/rocm", "/usr"]
    root = next((r for r in roots if r and Path(r, "include/hip/hip_runtime.h").is_file()), None)
    libs = ([os.environ["ROCM_DEVICE_LIB_PATH"]] if "ROCM_DEVICE_LIB_PATH" in os.environ else []) + [
        f"{r}/amdgcn/bitcode" for r in roots if r] + glob.glob("/usr/lib/*/amdgcn/bitcode")
    lib = next((d for d in libs if Path(d, "ocml.bc").is_file()), None)
    if root is None or lib is None:
        raise SystemExit("amd_compile_check: HIP headers (hip/hip_runtime.h) or the amdgcn device libraries "
                         f"(ocml.bc) not found; looked in {roots} and {libs}")
    return root, lib


def isa_version(arch):
    """The device libraries' ISA number: gfx1100 -> 11000, gfx1030 -> 10300, gfx90a -> 9010."""
    major, minor, stepping = arch[3:-2], arch[-2], arch[-1]
    return int(major) * 1000 + int(minor, 16) * 100 + int(stepping, 16)


def device_lib_dir(clang, libdir, archs, into):
    """A temporary copy (links) of the bitcode directory, plus an ``oclc_isa_version_*.bc`` for each target
    the distribution lacks (Debian's ROCm 5.2 libraries stop before gfx11): one constant, built by clang."""
    into.mkdir()
    for f in Path(libdir).glob("*.bc"):
        (into / f.name).symlink_to(f)
    for arch in archs:
        bc = into / f"oclc_isa_version_{arch[3:]}.bc"
        if bc.exists():
            continue
        ll = into / f"oclc_isa_version_{arch[3:]}.ll"
        ll.write_text('target triple = "amdgcn-amd-amdhsa"\n'
                      "@__oclc_ISA_version = linkonce_odr protected local_unnamed_addr addrspace(4) "
                      f"constant i32 {isa_version(arch)}, align 4\n")
        subprocess.run([clang, "-c", "-emit-llvm", "-nogpulib", "-target", "amdgcn-amd-amdhsa", str(ll), "-o",
                        str(bc)], check=True)
    return into


def sample(examples, limit):
    """Indices of at most ``limit`` examples (all when ``limit`` is 0 or more than there are): the first
    instantiation of every kernel name, then evenly spaced ones, so each template and a spread of its
    ops and dtypes are compiled within CI's time (about a second of CPU per compile)."""
    n = len(examples)
    if not limit or n <= limit:
        return list(range(n))
    first = {}
    for i, (_, name) in enumerate(examples):
        first.setdefault(name, i)
    chosen = list(first.values())
    for k in range(n):
        if len(chosen) >= limit:
            break
        i = k * n // limit
        if i not in chosen:
            chosen.append(i)
    return chosen


def collect(modules, limit=0):
    """([(label, source, kernel name)], [error]) from each generator's examples(), at most ``limit`` each
    (see ``sample``); the label names the generator and the example's index in its list."""
    kernels, errors = [], []
    for mod in modules:
        try:
            examples = importlib.import_module(f"rdnarray._backend.kernels.{mod}").examples()
        except Exception as e:  # a generator that cannot even produce its sources is a failure of the check
            errors.append(f"{mod}: examples() failed: {type(e).__name__}: {e}")
            continue
        if not examples:
            errors.append(f"{mod}: examples() returned nothing")
        kernels += [(f"{mod}[{i}]", *examples[i]) for i in sample(examples, limit)]
    return kernels, errors


def kernel_metadata(notes):
    """{kernel name: {key: value}} from ``llvm-readelf --notes`` (the kernel-level keys of amdhsa.kernels)."""
    kernels, current = {}, None
    for line in notes.splitlines():
        m = re.match(r"^  (?:- |  )\.(\w+):\s*(\S*)", line)
        if not m:
            continue
        if line.startswith("  - "):
            current = {}
        if current is not None:
            current[m.group(1)] = m.group(2)
            if m.group(1) == "name":
                kernels[m.group(2)] = current
    return kernels


def inspect(tools, path, name, arch):
    """Problems with the code object at ``path`` (empty when it holds ``name`` built for ``arch``)."""
    run = lambda *a: subprocess.run([*a, str(path)], capture_output=True, text=True)  # noqa: E731
    out = run(tools["readelf"], "--file-header", "--dyn-syms", "--notes")
    if out.returncode:
        return [f"not an ELF code object: {out.stderr.strip()}"]
    problems = []
    if not re.search(rf"Flags:.*\b{arch}\b", out.stdout):
        problems.append(f"ELF header is not for {arch}")
    syms = re.findall(r"(FUNC|OBJECT)\s+GLOBAL\s+\w+\s+\S+\s+(\S+)$", out.stdout, re.M)
    if ("FUNC", name) not in syms or ("OBJECT", name + ".kd") not in syms:
        problems.append(f"symbol {name} (and {name}.kd) missing; kernels present: "
                        f"{sorted(s for k, s in syms if k == 'FUNC')}")
    meta = kernel_metadata(out.stdout).get(name)
    wave = TARGETS[arch]
    if meta is not None and meta.get("wavefront_size") != str(wave):  # None: reported as missing above
        problems.append(f"wavefront size {meta.get('wavefront_size')} in the metadata, expected {wave}")
    if wave == 32:
        asm = run(tools["objdump"], "-d").stdout  # the target comes from the ELF flags
        bad = [ln.strip() for ln in asm.splitlines() if "\t" in ln and WAVE64_EXEC.search(ln.split("//")[0])]
        if bad:
            problems.append(f"wave64 exec-mask instructions in wave32 code: {bad[:3]}")
    return problems


def clang_compile(tools, opts, workdir, job):
    """Compile one (label, source, name) for one arch; returns a result row (see ``check``)."""
    (label, source, name), arch = job
    stem = workdir / (re.sub(r"\W", "_", label) + "_" + arch)
    stem.with_suffix(".hip").write_text(source)
    t = time.perf_counter()
    cmd = [tools["clang"], "-x", "hip", "--cuda-device-only", "--no-gpu-bundle-output", f"--offload-arch={arch}",
           *opts, "-o", str(stem.with_suffix(".co")), str(stem.with_suffix(".hip"))]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    problems = ([f"clang failed:\n{out.stderr.strip()}"] if out.returncode
                else inspect(tools, stem.with_suffix(".co"), name, arch))
    return "clang", label, name, arch, time.perf_counter() - t, problems


def rtc_compile(tools, chosen, include, workdir):
    """Each (label, source, name) through rdnarray's own hiprtc table for RTC_TARGETS; yields result rows."""
    try:
        from rdnarray._backend import driver
        rtc = driver.load_rtc("hip")
    except Exception as e:  # no libamdhip64 / hiprtc: every one of these compiles fails
        for arch in RTC_TARGETS:
            yield "hiprtc", "load_rtc('hip')", "-", arch, 0.0, [f"no hiprtc: {type(e).__name__}: {e}"]
        return
    options = [f"-I{include}"]  # what compiler.compile passes; the Compiler adds --offload-arch, -O3, -std=c++17
    for arch in RTC_TARGETS:
        for label, source, name in chosen:
            print(f"  hiprtc {arch} {label} {name} ...", end="", flush=True)  # a hiprtc abort names its kernel
            t = time.perf_counter()
            try:
                image = rtc.compile(source, name, options, arch)
            except Exception as e:
                problems = [f"hiprtc failed: {type(e).__name__}: {e}"]
            else:
                path = workdir / ("rtc_" + re.sub(r"\W", "_", label) + "_" + arch + ".co")
                path.write_bytes(image)
                problems = inspect(tools, path, name, arch)
            dt = time.perf_counter() - t
            print(f" {'ok' if not problems else 'FAILED'} ({dt:.1f} s)", flush=True)
            yield "hiprtc", label, name, arch, dt, problems


def check(kernels, archs=tuple(TARGETS), include=REPO / "src_hip", jobs=None, rtc=()):
    """Compile every (label, source, name) in ``kernels`` for ``archs`` with clang, and those in ``rtc`` with
    hiprtc; returns rows (via, label, name, arch, seconds, problems), problems empty when all is well."""
    tools = {"clang": find_tool("clang++-19", "clang++"), "readelf": find_tool("llvm-readelf-19", "llvm-readelf"),
             "objdump": find_tool("llvm-objdump-19", "llvm-objdump")}
    jobs = jobs or len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="rdnarray-amd-check-") as tmp:
        tmp = Path(tmp)
        root, libdir = rocm_paths()
        libs = device_lib_dir(tools["clang"], libdir, archs, tmp / "bitcode")
        opts = ["-O3", "-std=c++17", f"--rocm-path={root}", f"--rocm-device-lib-path={libs}", f"-I{include}"]
        work = [(k, arch) for k in kernels for arch in archs]
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            rows = list(pool.map(lambda j: clang_compile(tools, opts, tmp, j), work))
        rows += list(rtc_compile(tools, rtc, include, tmp)) if rtc else []
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--arch", nargs="+", default=list(TARGETS), choices=list(TARGETS))
    p.add_argument("--modules", nargs="+", default=list(GENERATORS))
    p.add_argument("--include", default=str(REPO / "src_hip"), help="directory of prelude.h and the templates")
    p.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    p.add_argument("--per-module", type=int, default=24, help="examples per generator for clang (0: all)")
    p.add_argument("--rtc-per-module", type=int, default=3, help="of those, how many through hiprtc (0: none)")
    args = p.parse_args(argv)

    t0 = time.perf_counter()
    kernels, failures = collect(args.modules, args.per_module)
    chosen, seen = [], {}
    for k in kernels:  # the first few of each generator: sample() put one of each kernel name first
        mod = k[0].split("[")[0]
        seen[mod] = seen.get(mod, 0) + 1
        if seen[mod] <= args.rtc_per_module:
            chosen.append(k)
    print(f"{len(kernels)} kernels from {args.modules}: clang for {args.arch} on {args.jobs} cores, "
          f"{len(chosen)} of them through hiprtc for {list(RTC_TARGETS)}", flush=True)
    rows = check(kernels, args.arch, args.include, args.jobs, chosen)

    # Failures first (each log cut to its first errors), the summary last, where a CI log's tail shows it.
    summary = {}  # (generator, via, arch) -> [compiles, ok, slowest seconds]
    for via, label, name, arch, dt, problems in rows:
        s = summary.setdefault((label.split("[")[0], via, arch), [0, 0, 0.0])
        s[0], s[1], s[2] = s[0] + 1, s[1] + (not problems), max(s[2], dt)
        failures += [f"{via} {label} {name} for {arch}: {problem}" for problem in problems]
    for f in failures:
        lines = f.splitlines()
        print("--- FAILED " + "\n".join(lines[:LOG_LINES]))
        if len(lines) > LOG_LINES:
            print(f"    [... {len(lines) - LOG_LINES} more lines]")
    print(f"{'generator':12s} {'via':7s} {'arch':8s} {'ok':>9s} {'slowest s':>10s}")
    for (mod, via, arch), (n, ok, slow) in summary.items():
        print(f"{mod:12s} {via:7s} {arch:8s} {ok:4d}/{n:<4d} {slow:10.1f}")
    print(f"{len(rows)} compiles in {time.perf_counter() - t0:.0f} s: "
          + (f"{len(failures)} FAILURE(S)" if failures else "AMD compile check: all ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
