"""Shared benchmark helpers: a realistic 24 MP test JPEG, timing, and the closing line.
Plain Python; used only by the scripts in bench/."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from camera.simulated.sim_files import ExposureMeta, jpeg_with_exif  # noqa: E402
from camera.simulated.sim_scene import Scene  # noqa: E402

# Sensor grain after in-camera noise reduction at base ISO: about 2-3 levels of 255.
GRAIN_SIGMA = 3.0


def make_24mp_jpeg(path: Path, seed: int = 0, t: float = 3.0) -> Path:
    """A 6000x4000 portrait JPEG with sensor-like grain (about 7 MB at quality 95), real EXIF
    and an embedded thumbnail."""
    rgb = Scene().render(6000, 4000, t)
    grain = np.random.default_rng(seed).normal(0, GRAIN_SIGMA, rgb.shape[:2])[..., None]
    noisy = np.clip(rgb.astype(np.float32) + grain, 0, 255).astype(np.uint8)
    meta = ExposureMeta("Catchlight", "Bench Camera", "B0001", time.time(), 1 / 160, 5.6, 200)
    path.write_bytes(jpeg_with_exif(noisy, meta, quality=95))
    return path


def median_ms(call: Callable[[], object], runs: int, warmup: int = 1) -> tuple[float, float]:
    """(median, worst) wall time of ``call`` in ms."""
    for _ in range(warmup):
        call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def verdict(met: bool, figures: str) -> None:
    """The closing line every benchmark ends with."""
    print(f"target met: {figures}" if met else f"target missed: {figures}")


# A CPU-bound competitor that also ends when the bench does (even if the bench crashes).
HOG_CODE = "import os\nparent = os.getppid()\nwhile os.getppid() == parent: pass"


def start_hog() -> subprocess.Popen:
    """One busy process beside the bench (stop it with stop_hog)."""
    return subprocess.Popen([sys.executable, "-c", HOG_CODE], stdout=subprocess.DEVNULL)


def stop_hog(hog: subprocess.Popen | None) -> None:
    if hog is not None:
        hog.kill()
        hog.wait()
