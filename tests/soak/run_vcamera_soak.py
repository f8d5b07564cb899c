"""``make soak``'s second half: tests/soak/vcamera_soak.py against libgphoto2's virtual camera
(26 captures, the most it takes per connection), in its own process with VCAMERADIR set."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from camera.simulated.sim_files import ExposureMeta, jpeg_with_exif  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="catchlight-vsoak-") as folder:
        vcamera = Path(folder) / "vcamera"
        vcamera.mkdir()
        rgb = np.random.default_rng(2).integers(0, 255, (300, 450, 3), dtype=np.uint8)
        meta = ExposureMeta("Nikon", "D750", "1234", 1.7e9, 1 / 125, 4.0, 200)
        (vcamera / "portrait.jpg").write_bytes(jpeg_with_exif(rgb, meta))
        return subprocess.run([sys.executable, str(ROOT / "tests/soak/vcamera_soak.py"),
                               str(Path(folder) / "sessions"), "26"], cwd=ROOT,
                              env=dict(os.environ, VCAMERADIR=str(vcamera))).returncode


if __name__ == "__main__":
    sys.exit(main())
