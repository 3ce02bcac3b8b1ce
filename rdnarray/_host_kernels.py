"""User kernel sources run on the host: when the arrays of an ElementwiseKernel or ReductionKernel call
(or of rp.fuse's kernels) live on the CPU, the very source a GPU would compile is compiled with the
host's C++ compiler into a shared object and called on one thread (user_kernels.h makes the grid and
the block one thread each, so every grid-stride loop visits every index in order).

* Compiler: ``$CXX``, else g++, else clang++, else c++. None: NotImplementedError saying so.
* Cache: ``$RDNARRAY_CACHE_DIR/host/<sha256>.so`` (the compiler cache's directory), keyed by the source,
  the compiler's version line, the options and the checksum of the headers in src_hip; written
  atomically. In memory, (source, options) -> the loaded entry point: one dict lookup per call.
* Speed of compiling: the C++ headers under the prelude cost g++ ~0.6 s per kernel, so
  user_kernels.h is precompiled once per compiler and header checksum (a .gch beside the objects).
* Calling: ``rp_uk_host_entry(void** args, int64_t grid)`` (RP_UK_HOST_ENTRY in user_kernels.h)
  receives a pointer to each parameter, packed by its struct format exactly as the GPU launch packs
  them, and calls the kernel function with them once per block of the grid. Built with -fvisibility=hidden: the kernel's name is the user's, and must
  not bind to a library's symbol of the same name (libc exports `step`).
"""
import ctypes
import functools
import hashlib
import os
import shutil
import struct
import subprocess
import tempfile
import threading

__all__ = ["find_compiler", "run"]

_lock = threading.Lock()
_entries = {}   # (source, options) -> ctypes function: the hot path, one dict lookup


def find_compiler():
    """The host C++ compiler's path, or None."""
    for cand in (os.environ.get("CXX"), "g++", "clang++", "c++"):
        if cand and shutil.which(cand):
            return shutil.which(cand)
    return None


@functools.cache
def _host_compiler_id(cxx):
    r = subprocess.run([cxx, "--version"], capture_output=True, text=True)
    return r.stdout.splitlines()[0] if r.stdout else cxx


def _host_options(options):
    """The user's options that mean the same to the host compiler (-D, -U, -I, -std=); the rest (NVRTC's
    --use_fast_math, -arch, ...) concern the device and are left out."""
    return [o for o in options if o.startswith(("-D", "-U", "-I", "-std="))]


_FLAGS = ["-std=c++17", "-O2", "-fPIC", "-fno-math-errno", "-fvisibility=hidden"]


def _entry(source, name, options):
    """The compiled host entry of kernel ``name`` of ``source``: from memory, the disk cache, or the
    compiler."""
    entry = _entries.get((source, options))
    if entry is not None:
        return entry
    from ._backend import compiler as _compiler
    cxx = find_compiler()
    if cxx is None:
        raise NotImplementedError(
            f"{name}: user kernels on CPU arrays are compiled with the host's C++ compiler, and none "
            f"was found (set CXX, or install g++); or move the arrays to a GPU device")
    include = str(_compiler.source_dir())
    opts = _FLAGS + _host_options(options)
    key = hashlib.sha256("\0".join([source, _host_compiler_id(cxx), *opts,
                                    _compiler.header_checksum(include)]).encode()).hexdigest()
    with _lock:
        entry = _entries.get((source, options))
        if entry is None:
            path = _compiler.cache_dir() / "host" / f"{key}.so"
            if not path.exists():
                os.makedirs(path.parent, mode=0o700, exist_ok=True)
                pch = _pch(cxx, include, path.parent)
                _compile(cxx, [*opts, "-shared", *([f"-I{pch}"] if pch else []), f"-I{include}"],
                         source, name, path)
            lib = ctypes.CDLL(str(path))
            entry = lib.rp_uk_host_entry
            entry.argtypes = [ctypes.c_void_p, ctypes.c_int64]
            entry.restype = None
            _entries[(source, options)] = entry
    return entry


def _pch(cxx, include, root):
    """A directory holding a precompiled user_kernels.h (its C++ headers cost g++ ~0.6 s per kernel
    otherwise), built once per compiler and header checksum; None when it cannot be built (then
    kernels compile without it). Kernels compiled with other -D/-U options simply do not use it."""
    from ._backend import compiler as _compiler
    key = hashlib.sha256("\0".join([_host_compiler_id(cxx), *_FLAGS,
                                    _compiler.header_checksum(include)]).encode()).hexdigest()[:32]
    d = root / f"pch-{key}"
    if (d / "user_kernels.h.gch").exists():
        return d
    tmp = None
    try:
        tmp = tempfile.mkdtemp(dir=root, prefix="pch-tmp-")
        r = subprocess.run([cxx, *_FLAGS, f"-I{include}", "-x", "c++-header",
                            os.path.join(include, "user_kernels.h"), "-o", os.path.join(tmp, "user_kernels.h.gch")],
                           capture_output=True, text=True)
        if r.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            return None
        os.replace(tmp, d)  # atomic; another process may have won the race, which is as good
    except OSError:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return d if (d / "user_kernels.h.gch").exists() else None
    return d


def _compile(cxx, opts, source, name, path):
    with tempfile.TemporaryDirectory(prefix="rdnarray-host-") as tmp:
        src = os.path.join(tmp, "kernel.cpp")
        with open(src, "w", encoding="utf-8") as f:
            f.write(source)
        out = os.path.join(tmp, "kernel.so")
        r = subprocess.run([cxx, *opts, "-o", out, src], capture_output=True, text=True)
        if r.returncode != 0:
            from ._backend.driver import CompileError
            raise CompileError(os.path.basename(cxx), "host compile (device-only code cannot run on CPU "
                               "arrays)", name, r.stderr, tuple(opts))
        # Atomic: another process sees the old state or the complete file.
        fd, tmp_path = tempfile.mkstemp(dir=path.parent, suffix=".so.tmp")
        os.close(fd)
        shutil.copyfile(out, tmp_path)
        os.replace(tmp_path, path)


def run(source, name, options, args, grid=1):
    """Run kernel ``name`` of ``source`` on the host, ``grid`` blocks of one thread one after the other;
    ``args``: (struct format, values) per parameter, each packed at a 16-byte aligned address (as any
    C++ parameter type allows)."""
    entry = _entry(source, name, tuple(options))
    blob, offsets = bytearray(), []
    for fmt, values in args:
        offsets.append(len(blob))
        blob += struct.pack("@" + fmt, *values)
        blob += bytes(-len(blob) % 16)
    buf = ctypes.create_string_buffer(len(blob) + 16)
    base = ctypes.addressof(buf)
    base += -base % 16
    ctypes.memmove(base, bytes(blob), len(blob))
    entry((ctypes.c_void_p * max(1, len(offsets)))(*[base + off for off in offsets]), grid)
