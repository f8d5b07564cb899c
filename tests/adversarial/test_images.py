"""Issue cases 13 and 14 (images): 16-bit greyscale PNG and TIFF are scaled, not clipped to
white, everywhere (display, thumbnail, delivery, the coach); a valid 300 MP JPEG is decoded
at reduced scale, not called corrupt; mirrored EXIF orientations are turned upright."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from coaching.landmarking.landmarks import Landmarkers
from coaching.measure.profiles import load_profiles
from coaching.stills.analysis import analyze_image
from media.decode.jpeg_export import render_jpeg
from media.decode.previews import decode_for_display
from media.decode.thumbnails import decode_thumbnail, make_thumbnail
from media.imaging import decode, oriented

MEAN_8BIT = 115


def sixteen_bit_grey(path: Path, fmt: str) -> None:
    """A 16-bit greyscale picture whose mean is MEAN_8BIT in 8-bit terms."""
    ramp = np.linspace(MEAN_8BIT - 60, MEAN_8BIT + 60, 480) * 257
    values = np.broadcast_to(ramp, (320, 480)).astype(np.uint16)
    Image.fromarray(values).save(path, fmt)


@pytest.mark.parametrize("fmt, suffix", [("PNG", ".png"), ("TIFF", ".tif")])
def test_sixteen_bit_greyscale_is_scaled_everywhere(tmp_path, fmt, suffix):
    path = tmp_path / f"scan{suffix}"
    sixteen_bit_grey(path, fmt)
    assert Image.open(path).mode.startswith("I")                  # really 16-bit
    shown = decode_for_display(path, (1600, 1000))
    assert abs(shown.rgb.mean() - MEAN_8BIT) < 3
    thumb = decode_thumbnail(make_thumbnail(path))
    assert abs(thumb.mean() - MEAN_8BIT) < 3
    delivered = np.asarray(Image.open(io.BytesIO(render_jpeg(path, 2048, 90, True))))
    assert abs(delivered.mean() - MEAN_8BIT) < 3


@pytest.fixture(scope="module")
def landmarkers():
    marks = Landmarkers(video=False)
    yield marks
    marks.close()


def test_the_coach_finds_the_face_in_a_sixteen_bit_grey_portrait(tmp_path, shared_photos,
                                                                 landmarkers):
    rgb = np.asarray(Image.open(shared_photos / "neutral/man_neutral_frontal_square.png")
                     .convert("L"), np.float32)
    path = tmp_path / "portrait16.png"
    Image.fromarray((rgb * 257).astype(np.uint16)).save(path)
    result = analyze_image(path, landmarkers, load_profiles().get(None))
    assert result.ok and result.faces == 1 and "no_face" not in result.flags


def test_a_300_megapixel_jpeg_is_shown_not_called_corrupt(tmp_path):
    width, height = 20000, 15000
    row = np.linspace(40, 220, width).astype(np.uint8)
    path = tmp_path / "stitched.jpg"
    Image.fromarray(np.broadcast_to(row, (height, width)).copy()).save(path, quality=60)
    shown = decode_for_display(path, (1600, 1000))
    assert shown.source_size == (width, height) and shown.rgb.shape[1] == 1333
    full = decode_for_display(path, (width, height))             # the loupe's 100 %
    assert full.rgb.shape[1] == 10000 and "too large to decode in full" in full.warning
    assert make_thumbnail(path).jpeg and not make_thumbnail(path).problem
    delivered = Image.open(io.BytesIO(render_jpeg(path, 2048, 85, True)))
    assert delivered.size == (2048, 1536)


def test_a_header_claiming_more_than_its_data_can_hold_is_still_refused():
    image = Image.fromarray(np.zeros((8, 8), np.uint8))
    out = io.BytesIO()
    image.save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = (30000).to_bytes(2, "big") + (30000).to_bytes(2, "big")
    assert decode(bytes(data), (1600, 1000)) is None


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_turns_upright_like_pillow(orientation):
    rgb = np.random.default_rng(orientation).integers(0, 255, (3, 5, 3), dtype=np.uint8)
    image = Image.fromarray(rgb)
    exif = image.getexif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif.tobytes())
    expected = np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(out.getvalue()))))
    assert np.array_equal(oriented(rgb, orientation), expected)


def test_a_mirrored_orientation_analyses_like_the_upright_picture(tmp_path, shared_photos,
                                                                 landmarkers):
    upright = Image.open(shared_photos / "yaw/woman_over_shoulder_yaw_hair_over_eye.png") \
        .convert("RGB")
    plain = tmp_path / "plain.jpg"
    upright.save(plain, quality=92)
    stored = ImageOps.mirror(upright)                      # the pixels as the camera stored them
    exif = stored.getexif()
    exif[0x0112] = 2                                       # "mirror horizontal" to show upright
    tagged = tmp_path / "tagged.jpg"
    stored.save(tagged, quality=92, exif=exif.tobytes())
    profile = load_profiles().get(None)
    a = analyze_image(plain, landmarkers, profile).measurements
    b = analyze_image(tagged, landmarkers, profile).measurements
    assert a.head_yaw_deg is not None and b.head_yaw_deg is not None
    assert abs(a.head_yaw_deg - b.head_yaw_deg) < 3 and abs(a.head_yaw_deg) > 10
