"""A wheel built from the repo, installed in a fresh venv outside the checkout, really works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(ROOT)], check=True, cwd=tmp_path)
    wheel = next(dist.glob("quell-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # Reuse the test venv's dependencies (PySide6 is 250 MB) through a .pth file placed after
    # the new venv's own site-packages, where Quell itself is installed afresh from the wheel.
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"])
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", str(wheel)], check=True, cwd=tmp_path)
    env = {**os.environ, "QUELL_HOME": str(tmp_path / "home"), "PYTHONPATH": ""}
    quell = env_dir / ("Scripts/quell.exe" if os.name == "nt" else "bin/quell")
    where = subprocess.run(
        [str(python), "-c", "import desktop, desktop.ui.resources as r; "
         "print(desktop.__file__); print(r.resource_path('icons'))"],
        check=True, cwd=tmp_path, env=env, capture_output=True, text=True).stdout.split("\n")
    assert str(env_dir) in where[0], "imported the checkout, not the installed wheel"
    assert Path(where[1]).is_dir() and any(Path(where[1]).glob("*.svg"))

    logged = subprocess.run([str(quell), "log", "water", "300"], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert logged.returncode == 0, logged.stderr
    shown = subprocess.run([str(quell), "today", "--json"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True)
    water = next(h for h in json.loads(shown.stdout)["habits"] if h["key"] == "water")
    assert water["total"] == 300
