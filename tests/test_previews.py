"""Instant display: embedded previews of JPEG and RAW files, reduced-scale decode that fits
the window, and clear messages for corrupt, truncated and non-image files."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

from camera.simulated.sim_files import ExposureMeta, jpeg_with_exif, tiff_raw
from media.decode.previews import (
    ImageUnreadable,
    decode_for_display,
    embedded_preview,
    reduction_factor,
)
from media.decode.tiff_reader import jpeg_size

META = ExposureMeta("Catchlight", "Test", "S1", 1.7e9, 1 / 100, 4.0, 400)


@pytest.fixture
def photo() -> np.ndarray:
    rng = np.random.default_rng(3)
    base = np.linspace(0, 255, 2400, dtype=np.float32)[None, :, None]
    return np.clip(base + rng.normal(0, 8, (1600, 2400, 3)), 0, 255).astype(np.uint8)


def test_jpeg_embedded_thumbnail_is_found_and_matches(photo, tmp_path):
    path = tmp_path / "a.jpg"
    path.write_bytes(jpeg_with_exif(photo, META))
    preview = embedded_preview(path)
    assert preview is not None and preview.embedded
    assert preview.rgb.shape[1] == 320 and preview.source_size == (2400, 1600)
    # Same picture: the gradient runs dark to light, left to right.
    assert preview.rgb[:, :20].mean() < 60 < 190 < preview.rgb[:, -20:].mean()


def test_raw_embedded_preview(photo, tmp_path):
    path = tmp_path / "a.nef"
    path.write_bytes(tiff_raw(photo, META, b"\0" * 4096))
    preview = embedded_preview(path)
    assert preview is not None and preview.rgb.shape[1] == 1620
    full = decode_for_display(path, (800, 600))
    assert full.rgb.shape[1] == 800 and not full.embedded


def test_reduced_decode_fits_the_window_and_keeps_aspect(photo, tmp_path):
    path = tmp_path / "a.jpg"
    path.write_bytes(jpeg_with_exif(photo, META))
    shown = decode_for_display(path, (1000, 1000))
    assert shown.rgb.shape[:2] == (667, 1000) and not shown.warning
    assert not shown.rgb.flags.writeable


@pytest.mark.parametrize("source, target, factor", [
    ((6000, 4000), (1600, 1000), 4), ((6000, 4000), (3000, 2000), 2),
    ((6000, 4000), (700, 400), 8), ((6000, 4000), (6000, 4000), 1), ((640, 480), (1600, 1000), 1),
])
def test_reduction_factor_never_goes_below_the_window(source, target, factor):
    assert reduction_factor(source, target) == factor


def test_truncated_jpeg_is_shown_with_a_warning(photo, tmp_path):
    data = jpeg_with_exif(photo, META)
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) * 2 // 3])
    shown = decode_for_display(path, (800, 600))
    assert "truncated" in shown.warning and shown.rgb.shape[1] == 800


@pytest.mark.parametrize("content, name", [
    (b"", "empty.jpg"), (b"not an image at all", "notes.jpg"),
    (b"\xff\xd8\xff\xe1\x00\x10Exif\0\0II*\0\xff\xff\xff\xff", "garbage.jpg"),
    (b"%PDF-1.4 ...", "invoice.pdf"),
])
def test_unreadable_files_give_a_clear_message(tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    assert embedded_preview(path) is None
    with pytest.raises(ImageUnreadable) as info:
        decode_for_display(path, (800, 600))
    assert name in str(info.value)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ImageUnreadable) as info:
        decode_for_display(tmp_path / "gone.jpg", (800, 600))
    assert "cannot be read" in str(info.value)


def test_random_bytes_never_crash_the_parsers(tmp_path):
    rng = np.random.default_rng(9)
    good = jpeg_with_exif(rng.integers(0, 255, (64, 96, 3), dtype=np.uint8), META)
    tried = 0
    for i in range(300):
        mutated = bytearray(good)
        for _ in range(int(rng.integers(1, 20))):
            mutated[int(rng.integers(0, len(mutated)))] = int(rng.integers(0, 256))
        if i % 3 == 0:
            mutated = mutated[: int(rng.integers(2, len(mutated)))]
        path = tmp_path / f"m{i}.jpg"
        path.write_bytes(bytes(mutated))
        jpeg_size(bytes(mutated))
        embedded_preview(path)
        with contextlib.suppress(ImageUnreadable):
            decode_for_display(path, (64, 64))
        tried += 1
    print(f"mutated JPEGs tried: {tried}")
    assert tried == 300
