"""The short soak in ``make test`` (``make soak`` runs 1,000 captures): the simulated camera
and the disk misbehave in every way the harness knows, and nothing is lost, duplicated, left
without its backup or left as a temporary file. The same against libgphoto2's virtual camera
for the faults it allows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from camera.simulated.sim_files import ExposureMeta, jpeg_with_exif
from tests.fuzz.tally import LINES
from tests.soak.harness import SoakConfig, run_soak

ROOT = Path(__file__).resolve().parents[2]


def test_short_soak_loses_nothing(tmp_path):
    report = run_soak(SoakConfig(captures=160, seed=11, disk_full_rate=0.02), tmp_path)
    LINES.append(f"soak (simulated camera): {report.line()}")
    kinds = set(report.faults)
    assert {"busy", "disconnect", "slow_disk", "enospc", "raw_jpeg_pairs",
            "body_button"} <= kinds, report.faults
    assert report.produced >= 100
    assert report.lost == 0 and report.duplicated == 0, report.line()
    assert report.unbacked == 0 and report.temp_files == 0 and report.catalog_ok
    assert report.foreign_changed == 0 and report.second_writer_admitted == 0, report.line()
    assert {"foreign_files", "second_writers_refused"} <= kinds, report.faults


@pytest.mark.vcamera
def test_virtual_camera_soak_loses_nothing(tmp_path):
    vcamera = tmp_path / "vcamera"
    vcamera.mkdir()
    rgb = np.random.default_rng(2).integers(0, 255, (300, 450, 3), dtype=np.uint8)
    meta = ExposureMeta("Nikon", "D750", "1234", 1.7e9, 1 / 125, 4.0, 200)
    (vcamera / "portrait.jpg").write_bytes(jpeg_with_exif(rgb, meta))
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "soak" / "vcamera_soak.py"),
                           str(tmp_path / "sessions"), "26"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, VCAMERADIR=str(vcamera)))
    last = proc.stdout.strip().splitlines()[-1]
    LINES.append(f"soak (virtual camera): {last}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert last.startswith("produced=26 stored=26 lost=0 duplicated=0")
