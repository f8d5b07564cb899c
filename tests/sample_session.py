"""Builds review sessions for tests and benchmarks the way Catchlight stores them: camera
JPEGs with real EXIF (own DateTimeOriginal, serial number, embedded thumbnail) in a session
folder, each catalogued with its SHA-256. Copies of a few pictures differ in their EXIF
timestamp, so every file is distinct content."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from PIL import Image

from camera.simulated.sim_files import ExposureMeta, exif_tiff, splice_exif, thumbnail_of
from media.imaging import encode_jpeg, resize
from resources.locate import resource_path
from session.store.catalog import Catalog, StoredFile

START = 1_795_000_000.0   # 2026-11-18, a studio day


def portrait(width: int, height: int, shift: int = 0) -> np.ndarray:
    """The repo's public-domain portrait (astronaut.png) fitted to ``width`` x ``height``,
    moved sideways by ``shift`` px to tell copies apart."""
    with Image.open(resource_path("demo/astronaut.png")) as image:
        rgb = np.asarray(image.convert("RGB"))
    side = rgb.shape[0]
    canvas = np.zeros((side, side * width // height, 3), np.uint8) + 40
    left = (canvas.shape[1] - side) // 2 + shift
    canvas[:, max(0, left):left + side] = rgb[:, :canvas.shape[1] - max(0, left)][:, :side]
    return resize(canvas, (width, height))


def make_session(folder: Path, count: int, size: tuple[int, int] = (1500, 1000),
                 variants: int = 3, interval_s: float = 1.5, name: str = "Sample",
                 quality: int = 85, burst_every: int = 0, grain: float = 0.0) -> list[Path]:
    """``count`` catalogued JPEG shots in ``folder``; with ``burst_every`` n, a 20 s pause
    follows every n shots (a new pose); ``grain`` adds sensor-like noise (sigma in levels)
    so files have a camera's size and decode cost."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [portrait(*size, shift=40 * v) for v in range(variants)]
    if grain:
        rng = np.random.default_rng(7)
        sources = [np.clip(rgb + rng.normal(0, grain, rgb.shape[:2])[..., None], 0, 255)
                   .astype(np.uint8) for rgb in sources]
    bodies = [encode_jpeg(rgb, quality) for rgb in sources]
    thumbs = [thumbnail_of(rgb) for rgb in sources]
    catalog = Catalog(folder)
    catalog.db.execute("PRAGMA synchronous=OFF")   # building test data, not a real shoot
    catalog.set_meta("name", name)
    paths = []
    taken = START
    try:
        for i in range(count):
            taken += interval_s + (20.0 if burst_every and i and i % burst_every == 0 else 0)
            v = i % variants
            meta = ExposureMeta("Nikon", "D750", "3012345", taken, 1 / 125, 8.0, 100)
            data = splice_exif(bodies[v], exif_tiff(meta, *size, thumbs[v]))
            path = folder / f"{name}_{i + 1:04d}.jpg"
            path.write_bytes(data)
            catalog.add_shot(i + 1, taken, "Nikon D750", [StoredFile(
                path.name, len(data), hashlib.sha256(data).hexdigest())])
            paths.append(path)
    finally:
        catalog.close()
    return paths
