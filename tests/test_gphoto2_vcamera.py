"""The gphoto2 backend, the worker, ingest and the command line against libgphoto2's virtual
camera (bundled with the python-gphoto2 wheel). Each runs in its own process because
VCAMERADIR is read when gphoto2 is imported."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from camera.simulated.sim_files import ExposureMeta, jpeg_with_exif

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.vcamera


@pytest.fixture
def vcamera_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "vcamera"
    folder.mkdir()
    rgb = np.random.default_rng(1).integers(0, 255, (300, 450, 3), dtype=np.uint8)
    meta = ExposureMeta("Nikon", "D750", "1234", 1.7e9, 1 / 125, 4.0, 200)
    (folder / "portrait.jpg").write_bytes(jpeg_with_exif(rgb, meta))
    return folder


def run(args: list[str], vcamera_dir: Path, timeout: int = 90) -> subprocess.CompletedProcess:
    env = dict(os.environ, VCAMERADIR=str(vcamera_dir))
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_backend_and_worker_against_the_virtual_camera(vcamera_dir, tmp_path):
    proc = run([str(ROOT / "tests" / "vcamera_scenario.py"), str(tmp_path / "session")],
               vcamera_dir)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["cameras"] == [["Nikon DSC D750", "usb:001,001"]]
    assert out["summary"]["battery"] == "50%" and out["summary"]["free"] > 0
    assert {"aperture", "shutterspeed", "exposurecompensation", "capturetarget"} <= set(
        out["settings"])
    assert out["settings"]["aperture"][0] == "f-number"
    wanted, got = out["aperture_set"]
    assert wanted == got == out["aperture_reread"]
    assert out["live_view"].startswith("This camera has no live view over USB")
    # The worker set the safe default capture target on connect.
    assert out["problems"] == []
    assert out["from_body_button"] == [False, True]
    source = (vcamera_dir / "portrait.jpg").read_bytes()
    digest = hashlib.sha256(source).hexdigest()
    assert [s[1] for s in out["shots"]] == [digest, digest]
    for (path,) in out["stored"]:
        assert Path(path).read_bytes() == source
        assert Path(path).parent == tmp_path / "session"


def test_cameras_command_lists_the_virtual_camera(vcamera_dir):
    proc = run(["main.py", "cameras"], vcamera_dir)
    assert proc.returncode == 0, proc.stderr
    assert "usb:001,001" in proc.stdout and "Nikon DSC D750" in proc.stdout
    assert "ready" in proc.stdout


def test_shoot_command_prints_one_line_per_verified_file(vcamera_dir, tmp_path):
    session = tmp_path / "shoot"
    proc = run(["main.py", "shoot", "--count", "3", "--session", str(session)], vcamera_dir)
    assert proc.returncode == 0, proc.stderr
    lines = [line.rsplit(None, 2) for line in proc.stdout.strip().splitlines()]
    assert len(lines) == 3
    for path, size, sha in lines:
        data = Path(path).read_bytes()
        assert len(data) == int(size) and hashlib.sha256(data).hexdigest() == sha
    from session.store.catalog import Catalog

    assert len(Catalog(session).shots()) == 3


def test_shoot_command_on_the_demo_camera(tmp_path):
    proc = subprocess.run([sys.executable, "main.py", "shoot", "--count", "2", "--session",
                           str(tmp_path / "demo"), "--camera", "demo"], cwd=ROOT,
                          capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.strip().splitlines()) == 2


def test_cameras_command_without_any_camera(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "VCAMERADIR"}
    proc = subprocess.run([sys.executable, "main.py", "cameras"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "No camera found" in proc.stdout and "--demo" in proc.stdout


def test_self_test_from_source_with_the_virtual_camera(vcamera_dir):
    proc = run(["main.py", "--self-test"], vcamera_dir, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [line.strip() for line in proc.stdout.splitlines()]
    for check in ("models", "coach", "qt", "virtual camera"):
        assert any(line.startswith(check) and " ok " in line for line in lines), check
    assert "1 shot captured, verified and catalogued" in proc.stdout
    assert proc.stdout.strip().endswith("self-test passed")


def test_self_test_reports_a_damaged_model_and_fails(tmp_path):
    import shutil

    copy = tmp_path / "catchlight"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "dist", "build",
                                                              "__pycache__", "*.jpg"))
    model = copy / "resources" / "models" / "pose_landmarker_full.task"
    data = bytearray(model.read_bytes())
    data[5000] ^= 0xFF
    model.write_bytes(bytes(data))
    proc = subprocess.run([sys.executable, "main.py", "--self-test"], cwd=copy,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "damaged (checksum mismatch)" in proc.stdout and "FAILED" in proc.stdout
