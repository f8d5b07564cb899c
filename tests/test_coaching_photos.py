"""The coach on real photos: the repo's own portrait always; the licensed photos in
../shared/photos when present. Metamorphic tests (rotate, mirror, crop) and labelled photos."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from coaching.landmarking.landmarks import Landmarkers
from coaching.measure.cues import evaluate_once
from coaching.measure.measurements import measure
from coaching.measure.profiles import load_profiles
from coaching.stills.analysis import analyze_image
from resources.locate import resource_path

ROOT = Path(__file__).resolve().parent.parent
PORTRAIT = resource_path("demo/astronaut.png")


@pytest.fixture(scope="module")
def landmarkers():
    marks = Landmarkers(video=False)
    yield marks
    marks.close()


def load(path: Path) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)


def measured(landmarkers, rgb):
    observation = landmarkers.detect(rgb)
    return observation, measure(observation)


def rotated(rgb: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate counter-clockwise as seen about the centre (corners filled by replication)."""
    h, w = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(rgb, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)


def photo(shared_photos: Path, name: str) -> np.ndarray:
    return load(shared_photos / name)


def test_repo_portrait_is_read_as_a_smiling_open_eyed_subject(landmarkers):
    observation, m = measured(landmarkers, load(PORTRAIT))
    assert len(observation.faces) == 1
    assert m.smile > 0.5 and max(m.eye_closed_left, m.eye_closed_right) < 0.35
    assert m.gaze_at_lens > 0.5 and abs(m.head_yaw_deg) < 10


@pytest.mark.parametrize("degrees", [10, -10])
def test_rotating_the_image_changes_roll_by_the_same_angle(landmarkers, degrees):
    rgb = load(PORTRAIT)
    base = measured(landmarkers, rotated(rgb, 0))[1].head_roll_deg
    turned = measured(landmarkers, rotated(rgb, degrees))[1].head_roll_deg
    assert turned - base == pytest.approx(degrees, abs=3)


def test_cropping_in_raises_face_height_in_proportion(landmarkers):
    rgb = load(PORTRAIT)
    h, w = rgb.shape[:2]
    _, full = measured(landmarkers, rgb)
    crop = rgb[int(h * 0.05):int(h * 0.05) + h // 2, w // 4:w // 4 + w // 2]
    _, tight = measured(landmarkers, crop)
    assert tight.face_height / full.face_height == pytest.approx(2.0, rel=0.15)


def test_a_picture_without_people_has_no_face(landmarkers, tmp_path):
    gradient = np.tile(np.linspace(0, 255, 640, dtype=np.uint8), (480, 1))
    path = tmp_path / "wall.png"
    cv2.imwrite(str(path), np.dstack([gradient] * 3))
    result = analyze_image(path, landmarkers, load_profiles().get(None))
    assert result.ok and result.faces == 0 and result.flags == ("no_face",)
    assert result.measurements.head_yaw_deg is None


@pytest.mark.parametrize("name, expected_sign, eyes_visible", [
    # Nose toward the image's left; one eye is hidden by hair, so its closure is not compared.
    ("yaw/woman_over_shoulder_yaw_hair_over_eye.png", -1, False),
    ("framing/biden_standing_face_small_tilt.jpg", +1, True),   # nose toward the image's right
    ("smile/chris_pratt_closed_mouth_smile.jpeg", +1, True),
    ("roll/woman_head_tilt_hand_on_chin.jpg", -1, True),
])
def test_yaw_sign_and_mirroring(landmarkers, shared_photos, name, expected_sign, eyes_visible):
    rgb = photo(shared_photos, name)
    _, m = measured(landmarkers, rgb)
    _, mirrored = measured(landmarkers, rgb[:, ::-1].copy())
    assert np.sign(m.head_yaw_deg) == expected_sign
    assert np.sign(mirrored.head_yaw_deg) == -expected_sign
    assert mirrored.head_yaw_deg == pytest.approx(-m.head_yaw_deg, abs=8)
    if not eyes_visible:
        return
    # Left and right are as seen: mirroring swaps the two eyes' closure.
    assert mirrored.eye_closed_left == pytest.approx(m.eye_closed_right, abs=0.08)
    assert mirrored.eye_closed_right == pytest.approx(m.eye_closed_left, abs=0.08)


def test_pitch_sign_on_labelled_photos(landmarkers, shared_photos):
    _, up = measured(landmarkers, photo(shared_photos,
                                        "neutral/woman_facepaint_neutral_chin_slightly_up.png"))
    _, down = measured(landmarkers, photo(shared_photos, "pitch/man_chin_down_gaze_averted.jpg"))
    assert up.head_pitch_deg > 0 > down.head_pitch_deg


def test_roll_on_labelled_and_rotated_photos(landmarkers, shared_photos):
    rgb = photo(shared_photos, "roll/woman_head_tilt_hand_on_chin.jpg")
    _, m = measured(landmarkers, rgb)
    assert abs(m.head_roll_deg) == pytest.approx(10, abs=4)
    for name in ("neutral/grace_hopper_navy_portrait_neutral.jpg",
                 "smile/obama_official_portrait_smile.jpg"):
        base = measured(landmarkers, rotated(photo(shared_photos, name), 0))[1].head_roll_deg
        turned = measured(landmarkers, rotated(photo(shared_photos, name), 10))[1].head_roll_deg
        assert turned - base == pytest.approx(10, abs=3), name


def test_labelled_photos_get_matching_flags_and_ordering(landmarkers, shared_photos):
    profile = load_profiles().get(None)
    results = {p.relative_to(shared_photos).as_posix(): analyze_image(p, landmarkers, profile)
               for p in sorted(shared_photos.glob("*/*")) if p.suffix != ".tsv"}
    half = results["eyes_closed/man_eyes_half_closed_shouting_selfie_blurry.jpg"]
    assert "half_blink" in half.flags or "eyes_closed" in half.flags
    open_eyed = [r for k, r in results.items() if k.startswith(("neutral/", "smile/"))]
    assert all("eyes_closed" not in r.flags and "half_blink" not in r.flags for r in open_eyed)
    closure = lambda r: max(r.measurements.eye_closed_left, r.measurements.eye_closed_right)  # noqa: E731
    assert closure(half) > max(closure(r) for r in open_eyed)
    smiles = [r.measurements.smile for k, r in results.items()
              if k.startswith("smile/") and "closed_mouth" not in k]
    neutrals = [r.measurements.smile for k, r in results.items() if k.startswith("neutral/")]
    assert min(smiles) > 0.5 > 0.2 > max(neutrals)
    # Tiny faces in a group photo: the heads the pose model finds are measured and counted
    # (issue 28): all three astronauts, the larger two first seen by the pose model, the third
    # once those two are covered.
    crew = results["framing/apollo11_crew_faces_tiny.jpg"]
    assert crew.faces == 3 and crew.measurements.face_height < 0.15
    assert "multiple_faces" in crew.flags
    assert "multiple_faces" in results["blur_lowres/three_people_soft_noisy.jpg"].flags
    assert "eyes_soft" in results["derived_synthetic/grace_hopper_gaussblur_sigma4.png"].flags
    assert "eyes_soft" not in results["neutral/grace_hopper_navy_portrait_neutral.jpg"].flags
    assert "not_looking" in results["pitch/man_chin_down_gaze_averted.jpg"].flags
    assert "not_looking" not in results["neutral/grace_hopper_navy_portrait_neutral.jpg"].flags
    tight = results["framing/obama_tight_crop_face_fills.jpg"].measurements.face_height
    small = results["framing/biden_standing_face_small_tilt.jpg"].measurements.face_height
    assert tight > 0.5 > 0.2 > small


def test_analyze_command_json_with_bad_files(tmp_path):
    good = tmp_path / "portrait.png"
    good.write_bytes(PORTRAIT.read_bytes())
    data = cv2.imencode(".jpg", load(PORTRAIT)[:, :, ::-1])[1].tobytes()
    (tmp_path / "truncated.jpg").write_bytes(data[: len(data) // 3])
    (tmp_path / "corrupt.jpg").write_bytes(b"\xff\xd8" + bytes(range(256)) * 10)
    (tmp_path / "notes.txt").write_text("not an image")
    proc = subprocess.run([sys.executable, "main.py", "analyze", "--json", "--profile", "Actor",
                           str(good), str(tmp_path / "corrupt.jpg"), str(tmp_path / "notes.txt"),
                           str(tmp_path / "truncated.jpg")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [Path(r["file"]).name for r in rows] == ["portrait.png", "corrupt.jpg", "notes.txt",
                                                    "truncated.jpg"]
    first = rows[0]
    assert first["ok"] and first["faces"] == 1 and first["width"] == 512
    assert set(first["measurements"]) == {
        "head_yaw_deg", "head_pitch_deg", "head_roll_deg", "eye_closed_left",
        "eye_closed_right", "smile", "duchenne", "gaze_at_lens", "shoulder_angle_deg",
        "shoulder_tilt_deg", "eye_line", "face_height", "face_center_x", "eye_sharpness",
        "face_exposure_ev", "face_clipped", "face_crushed", "lighting_ratio_stops", "key_side",
        "catchlight_left", "catchlight_right", "catchlight_clock", "backdrop_ev",
        "cheek_warmth_difference", "backdrop_warmth", "face_warmth"}
    assert all(set(c) == {"id", "text"} for c in first["cues"])
    for row in rows[1:3]:
        assert row["ok"] is False and row["error"] and row["faces"] == 0
        assert all(v is None for v in row["measurements"].values())
    # A truncated file is analysed for what it shows, but not vouched for.
    assert rows[3]["ok"] is False and "truncated" in rows[3]["error"]


def test_analyze_command_refuses_an_unknown_profile():
    proc = subprocess.run([sys.executable, "main.py", "analyze", "--profile", "Wedding",
                           str(PORTRAIT)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Corporate" in proc.stderr


def test_analysis_says_where_the_eyes_are_in_the_upright_frame(landmarkers, tmp_path):
    """The loupe zooms to these coordinates: they must hold for a file stored sideways with
    an EXIF orientation, as cameras write portrait-orientation shots."""
    from PIL import Image

    profile = load_profiles().get(None)
    upright = analyze_image(PORTRAIT, landmarkers, profile)
    x, y = upright.eyes
    assert 0.4 < x < 0.5 and 0.15 < y < 0.25         # her eyes: upper middle, 102 px of 512
    assert y == pytest.approx(upright.measurements.eye_line, abs=0.01)
    exif = Image.Exif()
    exif[0x0112] = 6                                  # "rotate 90 CW to view"
    with Image.open(PORTRAIT) as image:
        image.convert("RGB").rotate(90, expand=True).save(tmp_path / "sideways.jpg",
                                                          exif=exif.tobytes(), quality=95)
    turned = analyze_image(tmp_path / "sideways.jpg", landmarkers, profile)
    assert turned.eyes == pytest.approx(upright.eyes, abs=0.02)
    assert turned.as_json()["eyes"] == pytest.approx(list(upright.eyes), abs=0.02)


def test_subject_cues_speak_in_the_subjects_own_frame(landmarkers, shared_photos):
    """'Your left shoulder' is the client's left: mirroring the photo (the same head tilted
    the other way) names the other shoulder, and camera cues never address the client."""
    from coaching.measure.measurements import measure

    profile = load_profiles().get(None)
    rgb = photo(shared_photos, "roll/woman_head_tilt_hand_on_chin.jpg")
    texts = []
    for picture in (rgb, np.ascontiguousarray(rgb[:, ::-1])):
        m = measure(landmarkers.detect(picture))
        cues = {c.id: c for c in evaluate_once(m, profile)}
        assert "level_head" in cues
        texts.append(cues["level_head"].text)
        roll = m.head_roll_deg
        # Eye line rising toward the image's right: the client leans to their right
        # shoulder, so they are asked to tilt toward their left one (and the reverse).
        assert ("left shoulder" in cues["level_head"].text) == (roll > 0)
    assert texts[0] != texts[1] and {"left" in t for t in texts} == {True, False}


def test_analyze_shows_two_cues_unless_asked_for_all(landmarkers, shared_photos, tmp_path):
    import io

    from coaching.cli.analyze_cli import run_analyze

    wide = shared_photos / "yaw/woman_over_shoulder_yaw_hair_over_eye.png"
    out = io.StringIO()
    assert run_analyze([wide], "actor", True, out, io.StringIO()) == 0      # any case
    two = json.loads(out.getvalue())
    out = io.StringIO()
    run_analyze([wide], "ACTOR", True, out, io.StringIO(), all_cues=True)
    every = json.loads(out.getvalue())
    assert len(two["cues"]) <= 2 < len(every["cues"])
    assert two["cues"] == every["cues"][:2]                             # the most urgent
