"""A wheel built from the repo works when installed in a fresh virtual environment."""
from __future__ import annotations

import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_scans(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path / "dist")], check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("phiguard_lint-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "phiguard/rules/age-over-89.yaml" in names
    assert "phiguard/cli.py" in names
    assert {"phiguard/web/index.html", "phiguard/web/app.js", "phiguard/web/style.css"} <= set(names)  # the page

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True,
                   capture_output=True, timeout=300)
    # Dependencies come from this environment; the package itself only from the wheel.
    deps = [p for p in site.getsitepackages() if "site-packages" in p]
    purelib = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "deps.pth").write_text("\n".join(deps) + "\n")

    phiguard = env_dir / "bin" / "phiguard"
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / "post.md").write_text("Our 93-year-old patient went home.\n")
    version = subprocess.run([phiguard, "--version"], capture_output=True, text=True, cwd=workdir)
    assert version.returncode == 0 and "0." in version.stdout
    where = subprocess.run([py, "-c", "import phiguard; print(phiguard.__file__)"], capture_output=True,
                           text=True, cwd=workdir).stdout
    assert str(env_dir) in where
    scan = subprocess.run([phiguard, "scan", "post.md", "--format", "text"], capture_output=True, text=True,
                          cwd=workdir, timeout=300)
    assert scan.returncode == 1, scan.stderr
    assert "age-over-89" in scan.stdout
