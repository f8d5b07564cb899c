"""Face-anchored delivery: the crop geometry of ../shared/docs/headshot-day-notes.md (shifted
inside and reported, shrunk and reported, never padded, never enlarged past the limit), and
``python main.py deliver`` on people shot at different distances (derived in code from the
shared team photos): in the delivered files, measured with ``analyze``, the eye line's spread
is at most 1 % of the frame height and the face height's at most 2 %. A session delivers its
picks into one folder per person; a bad file is named and the rest delivered."""

from __future__ import annotations

import csv
import hashlib
import json
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from session.delivery.face_crop import Anchor, Target, parse_aspect, plan_crop

ROOT = Path(__file__).resolve().parent.parent
# (scale, dx, dy): each person twice, nearer and farther, higher and lower in the frame.
VARIANTS = ((0.95, 0, -40), (0.7, 60, 80), (0.8, -50, 150), (0.6, 30, -60))
FRAME = (1200, 1500)


def test_the_crop_follows_the_notes_formula():
    plan = plan_crop((4000, 6000), Anchor(eye_y=2000, face_height=1200, centre_x=2100),
                     Target((4, 5), eye_line=0.4, face_height=0.3, long_edge=2000))
    # Hc = h / f = 4000; Wc = Hc * 4 / 5 = 3200; top = y_e - e Hc = 400; left = x_c - Wc/2.
    assert (plan.height, plan.width, plan.top, plan.left) == (4000, 3200, 400, 500)
    assert plan.out_size == (1600, 2000) and plan.problems == ()


def test_a_crop_leaving_the_frame_is_shifted_inside_and_reported():
    plan = plan_crop((4000, 6000), Anchor(eye_y=900, face_height=1200, centre_x=3900),
                     Target((4, 5), 0.4, 0.3, 2000))
    assert (plan.top, plan.left) == (0, 800)               # inside, never padded
    assert any("near the top edge" in p for p in plan.problems)
    assert any("near the right edge" in p for p in plan.problems)


def test_a_crop_larger_than_the_frame_is_fitted_and_reported():
    plan = plan_crop((3000, 2000), Anchor(eye_y=800, face_height=900, centre_x=1500),
                     Target((4, 5), 0.4, 0.3, 2000))
    assert plan.height == 2000 and plan.width == 1600       # the largest 4:5 box that fits
    assert plan.top >= 0 and plan.top + plan.height <= 2000
    assert any("shot tighter than the house look: the face is 50% larger" in p
               for p in plan.problems)


def test_never_enlarged_past_the_limit():
    plan = plan_crop((1000, 1000), Anchor(500, 200, 500), Target((1, 1), 0.4, 0.3, 2048))
    assert plan.out_size == (667, 667)
    assert "delivered at 667 px, not 2048" in plan.problems[0]
    twice = plan_crop((1000, 1000), Anchor(500, 200, 500), Target((1, 1), 0.4, 0.3, 2048, 2.0))
    assert twice.out_size == (1333, 1333)


def test_every_box_lies_inside_its_picture():
    rng = np.random.default_rng(16)
    for _ in range(2000):
        size = (int(rng.integers(200, 8000)), int(rng.integers(200, 8000)))
        anchor = Anchor(float(rng.uniform(0, size[1])), float(rng.uniform(5, size[1])),
                        float(rng.uniform(0, size[0])))
        aspect = (int(rng.integers(1, 20)), int(rng.integers(1, 20)))
        plan = plan_crop(size, anchor, Target(aspect, float(rng.uniform(0.1, 0.9)),
                                              float(rng.uniform(0.05, 1.0)), 2048))
        left, top, right, bottom = plan.box
        assert 0 <= left <= right <= size[0] + 1e-6 and 0 <= top <= bottom <= size[1] + 1e-6
        assert plan.width / plan.height == pytest.approx(aspect[0] / aspect[1], rel=1e-6)
        assert max(plan.out_size) <= max(plan.width, plan.height) + 1


def test_aspects_are_read_or_refused():
    assert parse_aspect("4:5") == (4, 5) and parse_aspect("2x3") == (2, 3)
    for bad in ("4:", "square", "0:5", "-4:5", "1000:1"):
        with pytest.raises(ValueError, match="aspect"):
            parse_aspect(bad)


def derive_team(team_set: Path, folder: Path) -> list[Path]:
    """Each team photo twice, as if shot from different distances with the camera a little
    higher or lower: scaled, moved and set into a 4:5 frame of the same backdrop."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i, path in enumerate(sorted(team_set.glob("*.jpg"))):
        with Image.open(path) as image:
            rgb = image.convert("RGB")
        for j, (scale, dx, dy) in enumerate((VARIANTS[i:] + VARIANTS[:i])[:2]):
            small = np.asarray(rgb.resize((round(rgb.width * scale), round(rgb.height * scale)),
                                          Image.Resampling.LANCZOS))
            left = (FRAME[0] - small.shape[1]) // 2 + dx
            top = (FRAME[1] - small.shape[0]) // 2 + dy
            pad = ((max(top, 0), max(FRAME[1] - top - small.shape[0], 0)),
                   (max(left, 0), max(FRAME[0] - left - small.shape[1], 0)), (0, 0))
            frame = np.pad(small, pad, mode="edge")[:FRAME[1], :FRAME[0]]
            out = folder / f"{path.stem}_{j}.jpg"
            Image.fromarray(frame).save(out, quality=92)
            made.append(out)
    return made


def main_py(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)


def analysed(folder: Path) -> dict[str, dict]:
    done = main_py("analyze", str(folder), "--json")
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return {Path(r["file"]).name: r["measurements"] for r in rows}


def spread(values: dict[str, dict], key: str) -> float:
    return statistics.pstdev(v[key] for v in values.values())


def test_delivered_crops_share_one_eye_line_and_face_height(shared_photos, tmp_path):
    from session.people.house_look import from_measurements, save_look

    inputs = derive_team(shared_photos / "team_set", tmp_path / "shoot")
    before = analysed(tmp_path / "shoot")
    # The approved shot: the one framed tightest (the others have room around the face).
    approved = max(before, key=lambda name: before[name]["face_height"])
    look = from_measurements(before[approved], approved)
    save_look(look, tmp_path / "house.json")
    done = main_py("deliver", str(tmp_path / "shoot"), "--to", str(tmp_path / "out"),
                   "--aspect", "4:5", "--long-edge", "1000", "--house-look",
                   str(tmp_path / "house.json"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "8 of 8 delivered" in done.stdout and "s per file" in done.stdout
    after = analysed(tmp_path / "out")
    assert set(after) == {p.name for p in inputs}
    eye_before, eye_after = spread(before, "eye_line"), spread(after, "eye_line")
    face_before, face_after = spread(before, "face_height"), spread(after, "face_height")
    assert eye_after <= 0.01 and face_after <= 0.02, (eye_after, face_after)
    assert eye_before > 4 * eye_after and face_before > 4 * face_after
    assert all(abs(v["eye_line"] - look.eye_line) < 0.025 for v in after.values())
    for out in (tmp_path / "out").glob("*.jpg"):
        with Image.open(out) as image:
            assert image.width / image.height == pytest.approx(0.8, abs=0.01)
            assert max(image.size) <= 1000
    with (tmp_path / "out" / "consistency.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["file", "person", "eye_line", "face_height", "roll",
                             "face_exposure_ev", "backdrop_ev", "outlier_reasons"]
    assert {r["file"] for r in rows} == {p.name for p in inputs}
    for row in rows:   # the file's own framing as delivered, checked against analyze
        assert float(row["eye_line"]) == pytest.approx(after[row["file"]]["eye_line"], abs=0.02)
    # Delivered again to the same folder: nothing is overwritten.
    again = main_py("deliver", str(tmp_path / "shoot"), "--to", str(tmp_path / "out"),
                    "--long-edge", "600", "--house-look", "median")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "out" / "consistency-2.csv").is_file()
    assert len(list((tmp_path / "out").glob("*.jpg"))) == 16


def make_team_session(tmp_path: Path, team_set: Path) -> Path:
    from session.people.roster import parse_roster
    from session.people.roster_store import RosterStore
    from session.store.catalog import Catalog, StoredFile

    folder = tmp_path / "Acme team day"
    shots = derive_team(team_set, folder)
    catalog = Catalog(folder)
    catalog.set_meta("name", "Acme team day")
    for seq, path in enumerate(shots, 1):
        data = path.read_bytes()
        catalog.add_shot(seq, 1_795_000_000.0 + seq, "Nikon D750",
                         [StoredFile(path.name, len(data), hashlib.sha256(data).hexdigest())])
    catalog.close()
    store = RosterStore(folder)
    store.import_people(parse_roster("Name,ID\nZoë O'Brien,1\n../../etc/passwd,2\n"
                                     "=HYPERLINK(\"x\"),3\nNo Pick,4\n".encode()))
    people = {"london_002": "1", "london_005": "2", "london_006": "1", "london_025": "3"}
    for path in shots:
        store.assign(path.name, people[path.stem.rsplit("_", 1)[0]])
    store.close()
    return folder


def test_a_session_delivers_its_picks_one_folder_per_person(shared_photos, tmp_path):
    folder = make_team_session(tmp_path, shared_photos / "team_set")
    picks = sorted(folder.glob("*_0.jpg"))
    marked = main_py("mark", str(folder), *(p.name for p in picks), "--pick")
    assert marked.returncode == 0, marked.stderr
    (folder / "london_006_0.jpg").write_bytes(b"\xff\xd8 not a picture")   # damaged on disk
    done = main_py("deliver", str(folder), "--to", str(tmp_path / "delivery"), "--picks-only",
                   "--by-person", "--long-edge", "800", "--artist", "Maria López")
    assert done.returncode == 1
    assert "london_006_0.jpg" in done.stderr                    # the failure is named
    delivered = [p.relative_to(tmp_path / "delivery")
                 for p in (tmp_path / "delivery").rglob("*.jpg")]
    assert len(delivered) == 3                                  # 4 picks, one damaged
    folders = {p.parts[0] for p in delivered}
    assert len(folders) == 3 and "Zoë O'Brien" in folders       # one folder per person
    assert all(len(p.parts) == 2 and p.stem == p.parts[0] for p in delivered)
    assert all(".." not in p.parts for p in delivered) and not (tmp_path / "etc").exists()
    with Image.open(tmp_path / "delivery" / delivered[0]) as image:   # the export's rules
        artist = image.getexif()[0x013B].encode("latin-1").decode("utf-8")   # UTF-8, as exiftool
        assert artist == "Maria López" and image.info.get("icc_profile")
    text = (tmp_path / "delivery" / "consistency.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text                                # a name, not a formula
    assert "not delivered" in text and "london_006_0.jpg" in text


@pytest.mark.parametrize("orientation", range(1, 9))
def test_the_crop_is_the_same_whatever_the_exif_orientation(tmp_path, orientation):
    """The crop is taken from the stored pixels through the orientation (no full-picture
    turn): it must show what the upright picture shows there."""
    import io

    from PIL import ImageOps

    from session.delivery.face_crop import Target
    from session.delivery.face_render import FaceFrame, render_face_crop

    rng = np.random.default_rng(orientation)
    stored = (rng.random((300, 480, 3)) * 40).astype(np.uint8)
    stored[:, :, 0] += np.linspace(0, 200, 480, dtype=np.uint8)[None, :]
    stored[:, :, 1] += np.linspace(0, 200, 300, dtype=np.uint8)[:, None]
    stored[40:80, 60:90] = (255, 255, 255)                 # a mark only one place shows
    image = Image.fromarray(stored)
    exif = image.getexif()
    exif[0x0112] = orientation
    path = tmp_path / f"o{orientation}.jpg"
    image.save(path, quality=95, exif=exif.tobytes())
    face = FaceFrame(eye_line=0.4, face_height=0.25, centre_x=0.45, eye_x=0.45)
    rendered = render_face_crop(path, face, Target((4, 5), 0.4, 0.3, 200), 95, True)
    with Image.open(path) as source:
        upright = ImageOps.exif_transpose(source).convert("RGB")
    expected = np.asarray(upright.resize(rendered.plan.out_size, Image.Resampling.BICUBIC,
                                         box=rendered.plan.box), dtype=np.float32)
    got = np.asarray(Image.open(io.BytesIO(rendered.data)).convert("RGB"), dtype=np.float32)
    assert got.shape == expected.shape
    assert np.abs(got - expected).mean() < 4.0


def test_level_straightens_a_leaning_head_even_when_the_crop_is_tight(tmp_path):
    """--level: an eye line leaning 5° comes out level; where the turned crop would leave the
    frame it is made a little tighter about the eyes (and says so) rather than left leaning."""
    import io
    import math

    from session.delivery.face_crop import Target
    from session.delivery.face_render import FaceFrame, render_face_crop

    width, height, roll = 480, 300, 5.0
    eye_x, eye_y = 0.45 * width, 0.4 * height
    picture = np.full((height, width, 3), 200, np.uint8)
    for x in range(width):                              # the eye line, rising to the right
        y = round(eye_y - math.tan(math.radians(roll)) * (x - eye_x))
        if y - 2 >= 0 and y + 2 < height:
            picture[y - 2:y + 3, x] = 20
    path = tmp_path / "leaning.jpg"
    Image.fromarray(picture).save(path, quality=95)
    face = FaceFrame(eye_line=0.4, face_height=0.28, centre_x=0.45, eye_x=0.45, roll_deg=roll)
    rendered = render_face_crop(path, face, Target((4, 5), 0.4, 0.3, 200), 95, True,
                                level=True)
    assert rendered.roll_corrected == roll
    assert any("tighter" in problem for problem in rendered.plan.problems)
    out = np.asarray(Image.open(io.BytesIO(rendered.data)).convert("L"), dtype=np.float32)
    rows = [int(np.argmin(out[:, column])) for column in (out.shape[1] // 5,
                                                          out.shape[1] * 4 // 5)]
    assert abs(rows[0] - rows[1]) <= 2, f"the eye line still leans: rows {rows}"
    plain = render_face_crop(path, face, Target((4, 5), 0.4, 0.3, 200), 95, True)
    out = np.asarray(Image.open(io.BytesIO(plain.data)).convert("L"), dtype=np.float32)
    rows = [int(np.argmin(out[:, column])) for column in (out.shape[1] // 5,
                                                          out.shape[1] * 4 // 5)]
    assert rows[0] - rows[1] > 8                         # without --level it leans


def test_without_a_chosen_look_every_face_is_delivered_alike(shared_photos, tmp_path):
    """A plain folder of people shot at different distances, no house look: the common
    framing every shot can reach (never the median, which half the shots cannot reach)."""
    inputs = derive_team(shared_photos / "team_set", tmp_path / "shoot")
    before = analysed(tmp_path / "shoot")
    done = main_py("deliver", str(tmp_path / "shoot"), "--to", str(tmp_path / "out"),
                   "--aspect", "4:5", "--long-edge", "800", "--max-upscale", "4")
    assert done.returncode == 0, done.stderr
    assert "the common framing of 8 shots" in done.stdout
    assert "8 of 8 delivered" in done.stdout
    after = analysed(tmp_path / "out")
    assert set(after) == {p.name for p in inputs}
    eye_after, face_after = spread(after, "eye_line"), spread(after, "face_height")
    assert eye_after <= 0.01 and face_after <= 0.02, (eye_after, face_after)
    assert spread(before, "face_height") > 4 * face_after
    assert "tighter than the house look" not in done.stdout      # nothing needed padding
