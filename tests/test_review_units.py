"""Review without Qt: listing a session (with a truncated JPEG and a non-image among the
shots), thumbnails and their content-keyed cache, similar-shot bursts with a suggested best
frame, export (verified copies, resize, metadata stripping, a bad file among good ones,
cancel), and the sessions index."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from PIL import Image

from media.decode.thumbnails import make_thumbnail
from session.culling.culling import Culler
from session.delivery.export import ExportOptions, export_shots
from session.model.session_snapshot import load_snapshot
from session.review.bursts import ShotFacts, group_bursts
from session.review.review_data import bursts_for, eyes_of
from session.review.review_listing import list_session
from session.store.naming import TemplateError
from session.store.session_index import list_sessions
from session.store.thumb_cache import ThumbCache
from tests.sample_session import make_session

EXIFTOOL = shutil.which("exiftool")


@pytest.fixture
def session(tmp_path: Path) -> Path:
    folder = tmp_path / "2026-11-18_Anna Headshots"
    make_session(folder, 6, name="Anna")
    return folder


def damage(folder: Path) -> None:
    good = (folder / "Anna_0002.jpg").read_bytes()
    (folder / "cut.jpg").write_bytes(good[: len(good) // 2])
    (folder / "notes.txt").write_text("call the client back")
    (folder / "fake.jpg").write_bytes(b"this is not a JPEG at all")


def test_listing_keeps_capture_order_and_reports_what_is_not_an_image(session: Path):
    damage(session)
    listing = list_session(session)
    names = [s.name for s in listing.shots]
    assert names[:6] == [f"Anna_{i:04d}.jpg" for i in range(1, 7)]
    assert set(names[6:]) == {"cut.jpg", "fake.jpg"}          # shown, with their problems
    assert listing.session_name == "Anna"
    assert any("notes.txt is not an image" in p for p in listing.problems)
    assert listing.shots[0].content_key == hashlib.sha256(
        (session / "Anna_0001.jpg").read_bytes()).hexdigest()


def test_thumbnails_come_from_the_embedded_preview_and_report_damage(session: Path):
    damage(session)
    good = make_thumbnail(session / "Anna_0001.jpg")
    assert good.jpeg and not good.problem and max(good.width, good.height) <= 320
    cut = make_thumbnail(session / "cut.jpg")
    assert "truncated" in cut.problem and cut.jpeg       # the part that is there is shown
    fake = make_thumbnail(session / "fake.jpg")
    assert not fake.jpeg and "fake.jpg" in fake.problem


def test_cache_is_keyed_on_content_so_copies_are_not_free(session: Path, tmp_path: Path):
    listing = list_session(session)
    keys = [s.content_key for s in listing.shots]
    assert len(set(keys)) == len(keys)    # same picture, own EXIF time: distinct content
    cache = ThumbCache(tmp_path / "thumbs.sqlite")
    cache.put_many([(keys[0], make_thumbnail(listing.shots[0].path))])
    assert cache.known(keys) == {keys[0]}
    assert cache.get(keys[0]).jpeg
    cache.close()


def facts(name, t, yaw=0.0, closed=0.05, sharp=0.6, smile=0.5, flags=()):
    return ShotFacts(name, t, {"head_yaw_deg": yaw, "head_roll_deg": 0.0,
                               "face_center_x": 0.5, "face_height": 0.3,
                               "eye_closed_left": closed, "eye_closed_right": closed,
                               "eye_sharpness": sharp, "smile": smile, "gaze_at_lens": 0.8},
                     tuple(flags))


def test_a_burst_is_grouped_and_its_best_frame_has_open_sharp_eyes():
    shots = [facts("a1", 0.0, sharp=0.9, closed=0.8, flags=("eyes_closed",)),
             facts("a2", 1.0, sharp=0.7),
             facts("a3", 2.1, sharp=0.5),
             facts("b1", 30.0, yaw=25.0),                   # new pose after a pause
             facts("b2", 31.0, yaw=2.0),                    # turned to camera: new group
             facts("b3", 32.0, yaw=3.0, sharp=0.2, flags=("eyes_soft",))]
    bursts = group_bursts(shots)
    assert [b.names for b in bursts] == [("a1", "a2", "a3"), ("b1",), ("b2", "b3")]
    assert bursts[0].best == "a2" and "eyes open" in bursts[0].reasons
    assert bursts[2].best == "b2"


def test_with_a_house_look_the_best_frame_is_the_one_nearest_it():
    """Two equally good frames of one pose: the one framed like the approved house look is
    suggested (the eye line 4 % higher is not), and the reason says so."""
    from session.people.house_look import HouseLook

    near = ShotFacts("near", 0.0, {**facts("x", 0).measurements, "eye_line": 0.38}, ())
    off = ShotFacts("off", 1.0, {**facts("x", 0).measurements, "eye_line": 0.34,
                                 "eye_sharpness": 0.65}, ())
    assert group_bursts([near, off])[0].best == "off"             # sharper, no house look
    look = HouseLook(eye_line=0.38, face_height=0.3)
    (burst,) = group_bursts([near, off], look=look)
    assert burst.best == "near" and "nearest the house look" in burst.reasons


def test_bursts_without_analysis_suggest_nothing():
    bursts = group_bursts([ShotFacts("x", 0.0, {}), ShotFacts("y", 1.0, {})])
    assert len(bursts) == 1 and bursts[0].best == ""


def test_eyes_come_from_the_analysis_or_fall_back_to_face_centre_and_eye_line():
    assert eyes_of({"eyes": [0.31, 0.42]}) == (0.31, 0.42)
    assert eyes_of({"measurements": {"face_center_x": 0.5, "eye_line": 0.3}}) == (0.5, 0.3)
    assert eyes_of(None) is None


def test_a_loaded_session_groups_into_bursts(tmp_path: Path):
    folder = tmp_path / "s"
    make_session(folder, 9, burst_every=3)
    bursts = bursts_for(load_snapshot(folder).shots, (0.3, 1.0))
    assert [len(b.names) for b in bursts] == [3, 3, 3]


def test_export_verified_copies_with_sidecars_and_private_jpegs(session: Path, tmp_path: Path):
    shots = list(list_session(session).shots)
    culler = Culler(session, "Anna", {s.name: s.path for s in shots})
    culler.press(shots[0].name, "5")
    culler.close()
    out = tmp_path / "delivery"
    report = export_shots(shots[:2], "Anna", ExportOptions(out, originals=True, jpeg=True,
                                                           long_edge=600, quality=80,
                                                           strip_private=True))
    assert not report.failures and not report.cancelled
    assert report.summary() == f"2 shots: 2 originals and 2 JPEGs exported to {out}"
    for shot in shots[:2]:
        assert (out / "Originals" / shot.name).read_bytes() == shot.path.read_bytes()
    assert (out / "Originals" / "Anna_0001.xmp").is_file()                # the rating travels
    jpeg = out / "JPEG 600px" / "Anna_0001.jpg"
    with Image.open(jpeg) as image:
        assert max(image.size) == 600
        exif = image.getexif()
        assert 0x8825 not in exif                                         # no GPS
        assert 0xA431 not in exif.get_ifd(0x8769)                         # no body serial
        assert exif.get_ifd(0x8769).get(0x9003)                           # time kept
        # The EXIF describes the delivered pixels, not the camera's.
        assert (exif.get_ifd(0x8769)[0xA002], exif.get_ifd(0x8769)[0xA003]) == image.size


def test_jpegs_only_go_to_the_same_place_and_carry_the_credit(session: Path, tmp_path: Path):
    from media.decode.jpeg_export import Credit

    shots = list(list_session(session).shots)
    out = tmp_path / "delivery"
    report = export_shots(shots[:3], "Anna", ExportOptions(
        out, originals=False, jpeg=True, long_edge=500,
        credit=Credit("Maria Lopez", "© 2026 Lopez Studio")))
    assert report.summary() == f"3 shots: 3 JPEGs exported to {out}"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        f"JPEG 500px/Anna_000{i}.jpg" for i in (1, 2, 3)]
    with Image.open(out / "JPEG 500px" / "Anna_0001.jpg") as image:
        exif = image.getexif()
        as_utf8 = {tag: str(exif[tag]).encode("latin-1").decode("utf-8")
                   for tag in (0x013B, 0x8298)}              # Pillow reads them as Latin-1
        assert as_utf8 == {0x013B: "Maria Lopez", 0x8298: "© 2026 Lopez Studio"}


@pytest.mark.skipif(EXIFTOOL is None, reason="exiftool is not installed (Debian: "
                    "libimage-exiftool-perl); it reads the delivery JPEG as a client would")
def test_exiftool_finds_no_serial_but_the_time_and_srgb(session: Path, tmp_path: Path):
    from media.decode.jpeg_export import Credit

    shots = list(list_session(session).shots)
    out = tmp_path / "delivery"
    export_shots(shots[:1], "Anna", ExportOptions(out, originals=False, jpeg=True,
                                                  long_edge=600, strip_private=True,
                                                  credit=Credit("José", "© Lopez Studio")))
    text = subprocess.run([EXIFTOOL, "-s", "-SerialNumber", "-DateTimeOriginal",
                           "-ProfileDescription", "-ExifImageWidth", "-ImageWidth",
                           "-Artist", "-Copyright",
                           str(out / "JPEG 600px" / "Anna_0001.jpg")],
                          capture_output=True, text=True, check=True).stdout
    assert "SerialNumber" not in text and "DateTimeOriginal" in text
    assert "sRGB" in text
    fields = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in
                                                 text.splitlines())}
    assert fields["ExifImageWidth"] == fields["ImageWidth"] == "600"
    assert fields["Artist"] == "José" and fields["Copyright"] == "© Lopez Studio"


def test_exif_is_kept_when_asked(session: Path, tmp_path: Path):
    shots = list(list_session(session).shots)
    export_shots(shots[:1], "Anna", ExportOptions(tmp_path / "o", originals=False, jpeg=True,
                                                  long_edge=400, strip_private=False))
    with Image.open(tmp_path / "o" / "JPEG 400px" / "Anna_0001.jpg") as image:
        assert image.getexif().get_ifd(0x8769).get(0xA431) == "3012345"


def test_one_unreadable_file_is_reported_and_the_rest_go_on(session: Path, tmp_path: Path):
    damage(session)
    shots = [s for s in list_session(session).shots if s.name in ("Anna_0001.jpg", "fake.jpg",
                                                                   "Anna_0003.jpg")]
    report = export_shots(shots, "Anna", ExportOptions(tmp_path / "o", originals=False,
                                                       jpeg=True, long_edge=300))
    assert len(report.written) == 2
    assert len(report.failures) == 1 and "fake.jpg" in report.failures[0]
    assert "1 failed" in report.summary()


def test_export_never_overwrites_and_names_by_template(session: Path, tmp_path: Path):
    shots = list(list_session(session).shots)[:2]
    options = ExportOptions(tmp_path / "o", template="{session}-{seq:03d}")
    export_shots(shots, "Anna <&> \"Smith\"", options)
    export_shots(shots, "Anna <&> \"Smith\"", options)
    names = sorted(p.name for p in (tmp_path / "o" / "Originals").iterdir()
                   if p.suffix == ".jpg")
    assert names == ["Anna _&_ _Smith_-001-2.jpg", "Anna _&_ _Smith_-001.jpg",
                     "Anna _&_ _Smith_-002-2.jpg", "Anna _&_ _Smith_-002.jpg"]
    with pytest.raises(TemplateError):
        export_shots(shots, "Anna", ExportOptions(tmp_path / "o", template="{session}/x"))
    with pytest.raises(TemplateError):
        export_shots(shots, "Anna", ExportOptions(tmp_path / "o", template="{session}"))


def test_export_can_be_cancelled_between_files(session: Path, tmp_path: Path):
    shots = list(list_session(session).shots)
    cancel = threading.Event()
    seen = []

    def progress(done: int, total: int, name: str) -> None:
        seen.append(done)
        if done == 2:
            cancel.set()

    report = export_shots(shots, "Anna", ExportOptions(tmp_path / "o"), cancel, progress)
    assert report.cancelled and len(report.written) == 2
    assert "cancelled" in report.summary()


def test_sessions_index_shows_name_date_count_and_cover(tmp_path: Path, session: Path):
    other = tmp_path / "2026-11-20_Ben"
    make_session(other, 3, name="Ben")
    culler = Culler(other, "Ben", {f"Ben_{i:04d}.jpg": other / f"Ben_{i:04d}.jpg"
                                   for i in range(1, 4)})
    culler.press("Ben_0002.jpg", "p")
    culler.close()
    (tmp_path / "not a session").mkdir()
    found = list_sessions(tmp_path)
    assert [(s.name, s.day.isoformat(), s.shots) for s in found] == [
        ("Ben", "2026-11-20", 3), ("Anna", "2026-11-18", 6)]
    assert found[0].cover == other / "Ben_0002.jpg" and found[0].picks == 1
    assert found[1].cover == session / "Anna_0001.jpg"


def test_delivery_jpeg_turns_the_picture_upright(tmp_path: Path):
    from media.decode.jpeg_export import render_jpeg

    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (600, 400), "red").save(tmp_path / "r.jpg", exif=exif.tobytes())
    with Image.open(io.BytesIO(render_jpeg(tmp_path / "r.jpg", 300, 90, True))) as image:
        assert image.size == (200, 300) and image.getexif().get(0x0112) == 1


def test_a_damaged_or_unwritable_cache_is_only_slower(tmp_path: Path, session: Path):
    damaged = tmp_path / "thumbs.sqlite"
    damaged.write_bytes(b"not a database" * 100)
    cache = ThumbCache(damaged)
    thumb = make_thumbnail(session / "Anna_0001.jpg")
    cache.put_many([("k", thumb)])
    assert cache.get("k").jpeg == thumb.jpeg
    cache.close()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    nowhere = ThumbCache(blocker / "cache" / "thumbs.sqlite")   # parent is a file
    nowhere.put_many([("k", thumb)])
    assert nowhere.get("k") is not None
    nowhere.close()


def test_the_cache_keeps_the_newest_thumbnails_within_its_limit(tmp_path: Path, session: Path):
    cache = ThumbCache(tmp_path / "thumbs.sqlite", limit=3)
    thumb = make_thumbnail(session / "Anna_0001.jpg")
    for key in "abcde":
        cache.put_many([(key, thumb)])
    assert cache.known(list("abcde")) == {"c", "d", "e"}
    cache.close()
