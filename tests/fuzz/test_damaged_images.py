"""Truncated and corrupted JPEG and RAW files, made by byte mutation of real ones, fed to
everything that reads images: display (embedded preview and reduced decode), thumbnails, the
review listing, delivery-JPEG export and the coach's analysis. Each either works or says what
is wrong in a sentence; nothing raises anything else, nothing hangs."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camera.simulated.sim_files import ExposureMeta, jpeg_with_exif, tiff_raw
from media.decode.jpeg_export import render_jpeg
from media.decode.previews import ImageUnreadable, decode_for_display, embedded_preview
from media.decode.thumbnails import make_thumbnail
from session.review.review_listing import list_session
from tests.fuzz.tally import tried
from tests.sample_session import portrait

META = ExposureMeta("Nikon", "D750", "3012345", 1.7e9, 1 / 125, 5.6, 200)


def originals() -> dict[str, bytes]:
    rgb = portrait(900, 600)
    return {"jpg": jpeg_with_exif(rgb, META),
            "nef": tiff_raw(rgb, META, np.random.default_rng(1).bytes(50_000))}


ORIGINALS = originals()


def mutate(data: bytes, rng: random.Random) -> bytes:
    raw = bytearray(data)
    kind = rng.choice(["truncate", "flip", "flip_header", "zero_tail", "insert", "sof", "swap"])
    if kind == "truncate":
        return bytes(raw[: rng.randrange(len(raw))])
    if kind == "flip":
        for _ in range(rng.randint(1, 50)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
    elif kind == "flip_header":
        for _ in range(rng.randint(1, 10)):
            raw[rng.randrange(min(len(raw), 4096))] = rng.randrange(256)
    elif kind == "zero_tail":
        cut = rng.randrange(len(raw))
        raw[cut:] = bytes(len(raw) - cut)
    elif kind == "insert":
        at = rng.randrange(len(raw))
        raw[at:at] = rng.randbytes(rng.randint(1, 3000))
    elif kind == "sof":                                 # claim an absurd picture size
        at = raw.find(b"\xff\xc0")
        if at > 0:
            raw[at + 5:at + 9] = struct.pack(">HH", rng.randrange(65536), rng.randrange(65536))
    else:
        a, b = sorted(rng.randrange(len(raw)) for _ in range(2))
        raw[a:b] = raw[a:b][::-1]
    return bytes(raw)


def check_all_readers(path: Path) -> None:
    for read in (lambda: decode_for_display(path, (800, 800)), lambda: embedded_preview(path),
                 lambda: render_jpeg(path, 400, 85, True)):
        try:
            read()
        except ImageUnreadable as exc:
            assert path.name in str(exc) and len(str(exc)) > len(path.name) + 10
    thumb = make_thumbnail(path)
    assert thumb.jpeg or thumb.problem


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["jpg", "nef"]), st.integers(0, 2**32))
def test_mutated_files_never_crash_display_thumbnails_or_export(tmp_path, ext, seed):
    tried(f"damaged {ext.upper()} files")
    path = tmp_path / f"shot.{ext}"
    path.write_bytes(mutate(ORIGINALS[ext], random.Random(seed)))
    check_all_readers(path)


def test_a_folder_of_damaged_files_lists_for_review(tmp_path):
    rng = random.Random(9)
    images = 0
    for i in range(40):
        tried("damaged files in a reviewed folder")
        ext = rng.choice(["jpg", "nef", "png", "txt"])
        images += ext != "txt"
        (tmp_path / f"f{i:02d}.{ext}").write_bytes(mutate(ORIGINALS["jpg" if ext != "nef"
                                                                   else "nef"], rng))
    listing = list_session(tmp_path)
    assert len(listing.shots) == images and all("not an image" in p for p in listing.problems)
    for shot in listing.shots:
        thumb = make_thumbnail(shot.path)
        assert thumb.jpeg or (thumb.problem and shot.name in thumb.problem)  # a picture or why


@pytest.fixture(scope="module")
def landmarkers():
    from coaching.landmarking.landmarks import Landmarkers

    marks = Landmarkers(video=False)
    yield marks
    marks.close()


def test_the_coach_reports_damaged_files_in_a_sentence(tmp_path, landmarkers):
    from coaching.measure.profiles import load_profiles
    from coaching.stills.analysis import analyze_image

    profile = load_profiles().get(None)
    rng = random.Random(3)
    for i in range(40):
        tried("damaged files analysed by the coach")
        ext = rng.choice(["jpg", "nef"])
        path = tmp_path / f"a{i}.{ext}"
        path.write_bytes(mutate(ORIGINALS[ext], rng))
        result = analyze_image(path, landmarkers, profile)
        assert result.ok or (result.error and path.name in result.error)
