"""Kernel compilation with two caches: a dict in memory and files on disk.

Kernels are compiled at run time for the exact architecture the device reports (gfx1100, sm_90, ...).
Compiling takes 10-500 ms, so every result is kept:

* ``get_function(drv, device, source, name, options)`` -> a launchable ``driver.Function``. The hot path
  is one dict lookup keyed by the arguments themselves (Python caches ``str`` hashes).
* ``compile(source, name, options, arch, rtc)`` -> the code object (CUBIN / AMD code object) as bytes:
  from memory, else from the disk cache, else from the run-time compiler ``rtc`` (``driver.load_rtc``).

The disk cache lives in ``$RDNARRAY_CACHE_DIR`` (default ``~/.cache/rdnarray``), a directory created
with mode 0700 because its files are code that runs on the GPU. A file is named by the SHA-256 of
everything the compiled image depends on: the source, a checksum of every header in the include
directory, the options, the target arch, the vendor and version of the compiler, and the rdnarray
version. Files are written atomically (temporary file in the same directory + ``os.replace``) and carry
a checksum of their payload that is verified on load; a corrupt or truncated file is compiled again and
replaced.

``RDNARRAY_NO_COMPILE=1`` turns every actual compilation into a RuntimeError, so that a test (or a user
shipping a warmed cache) can prove that every kernel came from the cache.
"""
import functools
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

from .._version import __version__

# Bump when the file format or the key's recipe changes: old files then simply stop matching.
_FORMAT = 1
_MAGIC = b"rdnarray kernel cache %d\n" % _FORMAT

_images = {}        # cache key (hex digest) -> code object bytes
_functions = {}     # (drv, device, source, name, options) -> driver.Function; the hot path
_lock = threading.Lock()
_stats = {"compiles": 0, "memory_hits": 0, "disk_hits": 0, "corrupt_files": 0, "write_errors": 0}


# ---- kernel sources ----------------------------------------------------------------------------------

@functools.cache
def source_dir():
    """The directory of the kernel sources (``.hip`` templates and ``.h`` headers).

    Installed, they are package data in ``rdnarray/src_hip``; in the source tree (and the editable
    install, which imports the package from it) they are the repository's top-level ``src_hip/``.
    """
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "src_hip", package.parent / "src_hip"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"rdnarray: kernel sources not found in {package / 'src_hip'} "
                            f"or {package.parent / 'src_hip'}: the installation is incomplete")


def read_source(relpath):
    """The text of a kernel source file, ``relpath`` relative to ``source_dir()``."""
    return (source_dir() / relpath).read_text(encoding="utf-8")


@functools.cache
def header_checksum(include_dir):
    """SHA-256 over the names and contents of every ``.h`` file under ``include_dir``.

    Computed once per directory per process: headers do not change under a running program.
    """
    h = hashlib.sha256()
    root = Path(include_dir)
    for path in sorted(root.rglob("*.h")):
        data = path.read_bytes()
        h.update(str(path.relative_to(root)).encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return h.hexdigest()


# ---- the disk cache ----------------------------------------------------------------------------------

def cache_dir():
    """``$RDNARRAY_CACHE_DIR``, else ``~/.cache/rdnarray`` (not created here)."""
    return Path(os.environ.get("RDNARRAY_CACHE_DIR") or Path.home() / ".cache" / "rdnarray")


def _read_cached(path, key):
    """The payload of the cache file at ``path``, or None when it is missing or fails verification."""
    try:
        data = path.read_bytes()
    except OSError:         # missing (the usual miss) or unreadable: compile instead
        return None
    # Layout: MAGIC, key (64 hex) \n, sha256(payload) (64 hex) \n, payload.
    head = len(_MAGIC) + 130
    if (len(data) >= head and data.startswith(_MAGIC)
            and data[len(_MAGIC):len(_MAGIC) + 65] == key.encode() + b"\n"
            and data[head - 1:head] == b"\n"):
        payload = data[head:]
        if hashlib.sha256(payload).hexdigest().encode() == data[len(_MAGIC) + 65:head - 1]:
            return payload
    _stats["corrupt_files"] += 1
    return None


def _write_cached(path, key, payload):
    """Write atomically: readers see the old file or the complete new one, never a partial file."""
    blob = _MAGIC + key.encode() + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    tmp = None
    try:
        # Private: the files are code that runs on the GPU. 0700 applies to the leaf only, and a
        # directory that already exists keeps the mode its owner gave it (RDNARRAY_CACHE_DIR may
        # deliberately name a cache shared by a group).
        os.makedirs(path.parent, mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        # A read-only, full or uncreatable cache costs a recompilation in the next process, not
        # this launch.
        _stats["write_errors"] += 1
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


# ---- compile -----------------------------------------------------------------------------------------

def cache_key(source, name, options, arch, vendor, compiler_version, include_dir=None):
    """The hex SHA-256 naming a compiled image: everything the image depends on, nothing else.

    The include directory's path is left out (only its headers' checksum counts), so an installed
    and an in-tree copy of the same sources share cache entries.
    """
    include_dir = source_dir() if include_dir is None else include_dir
    recipe = [_FORMAT, __version__, vendor, str(compiler_version), arch, name, list(options),
              header_checksum(str(include_dir)), source]
    return hashlib.sha256(json.dumps(recipe).encode()).hexdigest()


def compile(source, name, options, arch, rtc, include_dir=None):
    """The code object for kernel ``name`` of ``source`` built for ``arch``: from memory, disk, or ``rtc``.

    ``rtc`` is a run-time compiler (``driver.load_rtc(vendor)``, ``drv.compiler()``): ``rtc.vendor``,
    ``rtc.version()`` and ``rtc.compile(source, name, options, arch) -> bytes``, which raises
    ``driver.CompileError``. Headers are found through ``-I<include_dir>`` (default ``source_dir()``).
    """
    include_dir = source_dir() if include_dir is None else Path(include_dir)
    options = tuple(options)
    key = cache_key(source, name, options, arch, rtc.vendor, rtc.version(), include_dir)
    image = _images.get(key)
    if image is not None:
        _stats["memory_hits"] += 1
        return image
    path = cache_dir() / key
    image = _read_cached(path, key)
    if image is not None:
        _stats["disk_hits"] += 1
    else:
        if os.environ.get("RDNARRAY_NO_COMPILE", "") not in ("", "0"):
            raise RuntimeError(f"rdnarray would compile {name} for {arch}, but RDNARRAY_NO_COMPILE is set "
                               f"(no entry {key} in the kernel cache {cache_dir()})")
        image = bytes(rtc.compile(source, name, [*options, f"-I{include_dir}"], arch))
        _stats["compiles"] += 1
        _write_cached(path, key, image)
    _images[key] = image
    return image


def get_function(drv, device, source, name, options=()):
    """The launchable ``name`` from ``source`` for device ``device`` of driver ``drv``.

    Compiled for the device's own arch, loaded once per (driver, device): later calls are a dict
    lookup. On a miss the device is made current for this thread (CUDA loads modules into the
    current context), which is where the caller launches anyway.
    """
    k = (drv, device, source, name, options if type(options) is tuple else tuple(options))
    f = _functions.get(k)
    if f is not None:
        return f
    with _lock:
        f = _functions.get(k)
        if f is None:
            image = compile(source, name, k[4], drv.properties(device)["arch"], drv.compiler())
            drv.set_device(device)
            f = _functions[k] = drv.get_function(drv.module_load(image), name)
    return f


def stats():
    """Counters since the process started (or ``reset_stats()``): compiles, memory/disk hits, corrupt
    cache files rebuilt, failed cache writes."""
    return dict(_stats)


def reset_stats():
    for k in _stats:
        _stats[k] = 0


def clear_memory_cache():
    """Forget the compiled images kept in memory (loaded functions stay loaded): the next ``compile``
    goes to the disk cache. For tests and benchmarks of the disk cache."""
    _images.clear()
