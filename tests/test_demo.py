"""The README's first Quick start command runs the demo: `python -m rdnarray` must work on any machine."""
import os
import subprocess
import sys


def test_demo_runs_and_agrees_with_numpy(tmp_path):
    # From a folder outside the source tree, so the installed build is imported.
    env = dict(os.environ, RDNARRAY_CACHE_DIR=str(tmp_path / "cache"))
    r = subprocess.run([sys.executable, "-m", "rdnarray"], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "default device:" in r.stdout
    assert "results agree with NumPy: True" in r.stdout
