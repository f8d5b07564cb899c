"""Coaching pieces without models: geometry on synthetic landmarks, the One Euro filter,
sharpness normalisation, profiles with bad values, cue hysteresis and dwell."""

from __future__ import annotations

import json
import math

import cv2
import numpy as np
import pytest

from coaching.landmarking.models import ModelUnavailable, verified_model
from coaching.live.cue_engine import CueEngine
from coaching.live.smoothing import OneEuroFilter
from coaching.measure.cues import NeutralBaseline, evaluate_once
from coaching.measure.measurements import (
    EAR_POINTS,
    Measurements,
    eye_aspect_ratio,
    eye_closure,
    eye_line_roll,
    head_angles,
    measure,
    shoulders,
)
from coaching.measure.observation import FaceObservation, Observation, PoseObservation
from coaching.measure.profiles import load_profiles, parse_profiles
from coaching.measure.sharpness import eye_sharpness


def rotation(yaw_deg: float = 0, pitch_deg: float = 0) -> np.ndarray:
    """A head rotation as MediaPipe's matrix holds it (camera looks down -Z)."""
    y, p = math.radians(yaw_deg), math.radians(-pitch_deg)
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    m = np.eye(4)
    m[:3, :3] = ry @ rx
    return m


@pytest.mark.parametrize("yaw, pitch", [(0, 0), (20, 0), (-35, 0), (0, 12), (15, -10)])
def test_head_angles_recover_a_known_rotation(yaw, pitch):
    got_yaw, got_pitch = head_angles(rotation(yaw, pitch))
    assert got_yaw == pytest.approx(yaw, abs=0.5) and got_pitch == pytest.approx(pitch, abs=0.5)


def synthetic_face(roll_deg: float = 0.0, ear: float = 0.3, chin_y: float = 0.7,
                   forehead_y: float = 0.3, centre_x: float = 0.5) -> np.ndarray:
    """478 landmarks with two eyes of aspect ratio ``ear`` on a line rolled by ``roll_deg``
    (counter-clockwise as seen), forehead and chin at the given heights."""
    points = np.zeros((478, 3), np.float32)
    points[:, 0], points[:, 1] = centre_x, 0.5
    points[:, 0] += np.linspace(-0.1, 0.1, 478)
    angle = math.radians(roll_deg)
    direction = np.array([math.cos(angle), -math.sin(angle)])
    normal = np.array([math.sin(angle), math.cos(angle)])
    for side, ids in ((-1, EAR_POINTS[0]), (1, EAR_POINTS[1])):
        centre = np.array([centre_x, 0.4]) + side * 0.06 * direction
        p1, p2, p3, p4, p5, p6 = ids
        half = 0.02
        points[p1, :2] = centre - half * direction
        points[p4, :2] = centre + half * direction
        for top, bottom, t in ((p2, p6, -0.35), (p3, p5, 0.35)):
            x = centre + t * half * direction
            points[top, :2] = x - ear * half * normal
            points[bottom, :2] = x + ear * half * normal
    points[10, 1], points[152, 1] = forehead_y, chin_y
    points[468, :2] = np.array([centre_x, 0.4]) - 0.06 * direction
    points[473, :2] = np.array([centre_x, 0.4]) + 0.06 * direction
    return points


@pytest.mark.parametrize("roll", [-15, -5, 0, 8, 20])
def test_roll_is_positive_when_the_eye_line_rises_to_the_right(roll):
    points = synthetic_face(roll_deg=roll)[:, :2] * (1000, 1000)
    assert eye_line_roll(points) == pytest.approx(roll, abs=0.5)


def test_eye_aspect_ratio_and_closure():
    open_pts = synthetic_face(ear=0.30)[:, :2] * 1000
    shut_pts = synthetic_face(ear=0.05)[:, :2] * 1000
    assert eye_aspect_ratio(shut_pts, EAR_POINTS[1]) == pytest.approx(0.05, abs=0.01)
    assert eye_aspect_ratio(open_pts, EAR_POINTS[0]) == pytest.approx(0.30, abs=0.01)
    assert eye_closure(0.30, 0.05, 0.0) < 0.1
    assert eye_closure(0.05, 0.9, 0.0) > 0.8
    # A big smile narrows the eyes without closing them.
    assert eye_closure(0.20, 0.25, 1.0) < eye_closure(0.20, 0.25, 0.0) < 0.5


def test_framing_measurements_from_landmarks():
    face = FaceObservation(synthetic_face(forehead_y=0.25, chin_y=0.65, centre_x=0.6), {},
                           rotation())
    m = measure(Observation(1200, 800, (face,), None))
    assert m.face_height == pytest.approx(0.40, abs=1e-3)
    assert m.eye_line == pytest.approx(0.40, abs=1e-3)
    assert m.face_center_x == pytest.approx(0.6, abs=1e-3)
    assert m.head_yaw_deg == pytest.approx(0.0, abs=1e-6)


def test_main_subject_is_the_largest_face():
    small = FaceObservation(synthetic_face(forehead_y=0.45, chin_y=0.55, centre_x=0.2) * 0.5,
                            {}, rotation(30))
    large = FaceObservation(synthetic_face(), {}, rotation(-10))
    m = measure(Observation(800, 800, (small, large), None))
    assert m.head_yaw_deg == pytest.approx(-10, abs=0.5)


def pose_with(left_xyz, right_xyz, visibility=0.99) -> PoseObservation:
    marks = np.zeros((33, 4), np.float32)
    world = np.zeros((33, 3), np.float32)
    marks[11] = (*left_xyz[:2], 0, visibility)
    marks[12] = (*right_xyz[:2], 0, visibility)
    world[11] = (left_xyz[0] - 0.5, left_xyz[1] - 0.5, left_xyz[2])
    world[12] = (right_xyz[0] - 0.5, right_xyz[1] - 0.5, right_xyz[2])
    return PoseObservation(marks, world)


def test_shoulder_angle_and_tilt_signs():
    square = pose_with((0.3, 0.8, 0.0), (0.7, 0.8, 0.0))
    angle, tilt = shoulders(square, 1000, 1000)
    assert abs(angle) < 1 and abs(tilt) < 1
    # The shoulder on the image's right is nearer the camera (smaller z): positive angle.
    turned = pose_with((0.35, 0.8, 0.1), (0.65, 0.8, -0.1))
    assert shoulders(turned, 1000, 1000)[0] == pytest.approx(math.degrees(math.atan2(0.2, 0.3)),
                                                             abs=0.5)
    rising = pose_with((0.3, 0.85, 0.0), (0.7, 0.75, 0.0))
    assert shoulders(rising, 1000, 1000)[1] > 10
    assert shoulders(pose_with((0.3, 0.8, 0), (0.7, 0.8, 0), 0.1), 1000, 1000) == (None, None)


def test_one_euro_reduces_jitter_and_follows_a_step():
    rng = np.random.default_rng(0)
    filt = OneEuroFilter(1.0, 0.05)
    noisy = 10 + rng.normal(0, 1.0, 200)
    out = [filt(v, i / 30) for i, v in enumerate(noisy)]
    assert np.std(out[50:]) < 0.5 * np.std(noisy[50:])
    step = OneEuroFilter(1.0, 0.05)
    values = [step(0.0 if i < 30 else 20.0, i / 30) for i in range(90)]
    assert values[-1] == pytest.approx(20.0, abs=0.5)


def eye_image(scale: float, blur: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """A face-like test card with textured eyes at ``scale``; landmarks normalised."""
    size = int(800 * scale)
    rng = np.random.default_rng(1)
    texture = rng.integers(0, 255, (64, 64), dtype=np.uint8)
    img = np.full((size, size), 128, np.uint8)
    pts = synthetic_face()
    for ids in EAR_POINTS:
        cx, cy = pts[list(ids), 0].mean() * size, pts[list(ids), 1].mean() * size
        half = int(0.05 * size)
        patch = cv2.resize(texture, (2 * half, 2 * half), interpolation=cv2.INTER_NEAREST)
        img[int(cy) - half:int(cy) + half, int(cx) - half:int(cx) + half] = patch
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), blur * scale)
    rings = np.tile(pts[list(EAR_POINTS[0])].mean(axis=0), (478, 1))
    from coaching.measure.sharpness import EYE_RINGS
    rings[list(EYE_RINGS[0])] = pts[list(EAR_POINTS[0])].mean(axis=0)
    rings[list(EYE_RINGS[1])] = pts[list(EAR_POINTS[1])].mean(axis=0)
    return img, rings


def test_eye_sharpness_separates_sharp_from_soft_at_any_resolution():
    sharp_big = eye_sharpness(*eye_image(2.0))
    sharp_small = eye_sharpness(*eye_image(1.0))
    soft_big = eye_sharpness(*eye_image(2.0, blur=6.0))
    soft_small = eye_sharpness(*eye_image(1.0, blur=6.0))
    assert min(sharp_big, sharp_small) > 0.35 > max(soft_big, soft_small)
    assert sharp_big == pytest.approx(sharp_small, rel=0.35)


def test_missing_and_damaged_models_give_clear_messages(tmp_path):
    from resources.locate import resource_path

    src = resource_path("models")
    (tmp_path / "SHA256SUMS").write_text((src / "SHA256SUMS").read_text())
    with pytest.raises(ModelUnavailable, match="missing"):
        verified_model("face_landmarker.task", tmp_path)
    data = bytearray((src / "face_landmarker.task").read_bytes())
    data[1000] ^= 0xFF
    (tmp_path / "face_landmarker.task").write_bytes(bytes(data))
    with pytest.raises(ModelUnavailable, match="damaged"):
        verified_model("face_landmarker.task", tmp_path)
    assert len(verified_model("face_landmarker.task")) == 3_758_596


def test_profiles_builtin_have_the_three_styles():
    profiles = load_profiles()
    assert {"Corporate", "Actor", "Editorial"} <= set(profiles.profiles)
    assert profiles.problems == ()


def test_bad_values_in_a_users_profile_file_are_reported_not_fatal(tmp_path):
    user = tmp_path / "profiles.json"
    user.write_text(json.dumps({"profiles": {
        "Corporate": {"head_roll_deg": [10, -10], "smile": "lots", "gaze_at_lens_min": 7},
        "Mine": {"head_roll_deg": [-2, 2], "face_height": [0.4, 0.6]},
        "Broken": 12}}))
    profiles = load_profiles(user)
    text = "\n".join(profiles.problems)
    assert "head_roll_deg" in text and "smile" in text and "gaze_at_lens_min" in text
    assert "Broken" in text
    corporate = profiles.get("Corporate")
    assert corporate.range("head_roll_deg") == (-4, 4)  # the built-in value is kept
    mine = profiles.get("Mine")
    assert mine.range("face_height") == (0.4, 0.6)
    assert mine.range("smile") == corporate.range("smile")  # unset keys inherit
    broken_json = parse_profiles("{nope", load_profiles(), "x.json")
    assert "not valid JSON" in broken_json.problems[0] and broken_json.profiles


def values(**overrides):
    base = {"head_yaw_deg": 0.0, "head_pitch_deg": 0.0, "head_roll_deg": 0.0,
            "eye_closed_left": 0.05, "eye_closed_right": 0.05, "smile": 0.6,
            "gaze_at_lens": 0.9, "shoulder_angle_deg": 20.0, "shoulder_tilt_deg": 0.0,
            "eye_line": 0.35, "face_height": 0.4, "face_center_x": 0.5}
    base.update(overrides)
    return Measurements(**{k: (float(v) if isinstance(v, int) else v) for k, v in base.items()})


def test_a_good_pose_raises_no_cue_and_each_fault_its_own():
    profile = load_profiles().get("Corporate")
    assert evaluate_once(values(), profile) == []
    cases = {"eyes_closed": {"eye_closed_left": 0.8}, "look_at_lens": {"gaze_at_lens": 0.1},
             "level_head": {"head_roll_deg": 9.0}, "chin_down": {"head_pitch_deg": 15.0},
             "chin_up": {"head_pitch_deg": -25.0}, "bring_nose_back": {"head_yaw_deg": 30.0},
             "square_up": {"shoulder_angle_deg": 60.0},
             "level_shoulders": {"shoulder_tilt_deg": 9.0}, "more_smile": {"smile": 0.1},
             "zoom_in": {"face_height": 0.15}, "zoom_out": {"face_height": 0.7},
             "eyes_to_upper_third": {"eye_line": 0.55}, "center_subject": {"face_center_x": 0.8}}
    for cue_id, change in cases.items():
        assert [c.id for c in evaluate_once(values(**change), profile)] == [cue_id], cue_id
    actor = load_profiles().get("Actor")
    assert [c.id for c in evaluate_once(values(shoulder_angle_deg=2.0), actor)] == \
        ["angle_shoulders"]
    assert [c.id for c in evaluate_once(values(smile=0.95), actor)] == ["soften_smile"]


def test_chin_and_smile_cues_use_the_clients_neutral_baseline():
    profile = load_profiles().get("Corporate")
    baseline = NeutralBaseline(pitch=-14.0, smile=0.05, eye_aperture=0.28)
    # -14 is this client's level: no chin cue, although it is outside the absolute range.
    assert "chin_up" not in [c.id for c in evaluate_once(values(head_pitch_deg=-17.0), profile,
                                                          baseline)]
    assert "chin_down" in [c.id for c in evaluate_once(values(head_pitch_deg=-4.0), profile,
                                                        baseline)]


def test_engine_hysteresis_dwell_and_at_most_two_cues():
    engine = CueEngine(load_profiles().get("Corporate"))
    t = 0.0
    shown = ()
    # Roll hovering around the threshold (4 deg) after entering: must not flicker.
    for i in range(60):
        roll = 6.0 if i < 20 else (3.5 if i % 2 else 4.5)
        shown = engine.update(values(head_roll_deg=roll), t)
        if i == 10:
            assert shown == (), "not before the dwell time"
        if i >= 20:
            assert [c.id for c in shown] == ["level_head"], f"flicker at frame {i}"
        t += 1 / 30
    # Four faults at once: the two most urgent are shown.
    for _ in range(30):
        shown = engine.update(values(head_roll_deg=9, gaze_at_lens=0.0, face_height=0.1,
                                     eye_closed_left=0.9), t)
        t += 1 / 30
    assert [c.id for c in shown] == ["eyes_closed", "look_at_lens"]
    # All good again: cues leave after the exit dwell, not at once.
    shown = engine.update(values(), t)
    assert shown
    for _ in range(90):
        t += 1 / 30
        shown = engine.update(values(), t)
    assert shown == ()


def test_camera_problems_reach_the_live_coach_without_breaking_the_camera_thread():
    """The live coach listens to the camera: a problem the camera thread reports (a missed
    shot, a busy camera) must not raise there (it once met the coach's own one-argument
    problem callback under the same name and stopped the camera thread)."""
    from camera.owner.listener import CameraListener, FanOut
    from coaching.live.live_coach import LiveCoach
    from coaching.measure.profiles import load_profiles

    coach_problems: list[str] = []
    coach = LiveCoach(load_profiles().get(None), lambda _state: None, coach_problems.append)
    FanOut(CameraListener(), coach).on_problem("2 shot(s) had not reached the session", "info")
    assert coach_problems == []          # camera news is not the coach's own problem


def test_camera_cues_speak_to_the_photographer_and_subject_cues_to_the_client():
    from coaching.measure.cues import CAMERA, SUBJECT, VOICES

    profile = load_profiles().get("Corporate")
    faults = {"zoom_in": {"face_height": 0.05}, "zoom_out": {"face_height": 0.9},
              "eyes_to_upper_third": {"eye_line": 0.7}, "center_subject": {"face_center_x": 0.9},
              "level_head": {"head_roll_deg": 15.0}, "bring_nose_back": {"head_yaw_deg": 40.0},
              "chin_up": {"head_pitch_deg": -30.0}}
    for cue_id, change in faults.items():
        (cue,) = [c for c in evaluate_once(values(**change), profile) if c.id == cue_id]
        if VOICES[cue_id] == CAMERA:
            assert cue.text.startswith("Camera: ") and "your" not in cue.text, cue.text
        else:
            assert VOICES[cue_id] == SUBJECT and not cue.text.startswith("Camera"), cue.text
    nose = [c for c in evaluate_once(values(head_yaw_deg=40.0), profile)
            if c.id == "bring_nose_back"][0]
    assert nose.text.endswith("to your right")    # nose toward the image's right: turned left


# --- set neutral: refused with the reason when it is no neutral ---------------------------------

def _samples(n: int = 20, **changes) -> list:
    from coaching.measure.measurements import Measurements

    base = dict(head_yaw_deg=2.0, head_pitch_deg=-5.0, head_roll_deg=1.0, smile=0.08,
                eye_closed_left=0.1, eye_closed_right=0.1, eye_aperture=0.28,
                face_center_x=0.5)
    out = []
    for i in range(n):
        values = dict(base)
        for key, value in changes.items():
            values[key] = value(i) if callable(value) else value
        out.append(Measurements(**values))
    return out


def test_a_relaxed_still_face_becomes_the_neutral():
    from coaching.measure.baseline import judge_neutral

    verdict = judge_neutral(_samples())
    assert verdict.baseline is not None and verdict.baseline.smile == pytest.approx(0.08)
    assert verdict.message.startswith("Neutral set")


@pytest.mark.parametrize(("changes", "reason"), [
    ({"smile": 0.8}, "smiling"),
    ({"eye_closed_left": 0.9, "eye_closed_right": 0.8}, "eyes were closed"),
    ({"head_yaw_deg": 32.0}, "turned 32° away"),
    ({"head_yaw_deg": lambda i: -12.0 + 1.5 * i}, "moving"),
    ({"face_center_x": lambda i: 0.3 + 0.02 * i}, "moving"),
])
def test_a_neutral_that_is_not_one_is_refused_with_the_reason(changes, reason):
    from coaching.measure.baseline import judge_neutral

    verdict = judge_neutral(_samples(**changes))
    assert verdict.baseline is None
    assert verdict.message.startswith("Neutral not set:") and reason in verdict.message


def test_no_face_for_the_neutral_says_so():
    from coaching.measure.baseline import judge_neutral

    verdict = judge_neutral(_samples(3))
    assert verdict.baseline is None and "not in view" in verdict.message


# --- the crop is the coach's frame --------------------------------------------------------------

def test_framing_is_judged_inside_the_aspect_crop():
    from coaching.measure.crop import Crop, centred_crop, within_crop
    from coaching.measure.measurements import Measurements

    crop = centred_crop(1500, 1000, (4, 5))
    assert crop.height == 1.0 and crop.width == pytest.approx(800 / 1500)
    assert centred_crop(1500, 1000, None) == Crop()
    # Eyes on the upper third of the 3:2 frame, and centred: fine without the crop.
    m = Measurements(eye_line=0.333, face_center_x=0.58, face_height=0.3)
    profile = load_profiles().get(None)
    assert "center_subject" not in {c.id for c in evaluate_once(m, profile)}
    # In a 4:5 crop the same face sits well right of centre: the camera is asked to pan.
    inside = within_crop(m, crop)
    assert inside.face_center_x == pytest.approx((0.58 - crop.x) / crop.width)
    assert "center_subject" in {c.id for c in evaluate_once(inside, profile)}
    tall = within_crop(m, centred_crop(1000, 1500, (1, 1)))
    assert tall.eye_line == pytest.approx((0.333 - 1 / 6) / (2 / 3))


def test_under_strobes_live_view_gives_no_light_cues_but_the_same_frame_does_when_continuous():
    """Live view under strobes shows the modelling lamps: a face 4 stops under on live view
    says nothing of the flash exposure, so no light cue; with continuous light the same
    frames give the cue, as the capture's own analysis does (evaluate_once)."""
    profile = load_profiles().get("Corporate")
    dark = values(face_exposure_ev=profile.face_ev_floor - 4)
    strobes, continuous = CueEngine(profile), CueEngine(profile)
    strobes.live_light = False
    t, shown_strobes, shown_continuous = 0.0, (), ()
    for _ in range(60):
        shown_strobes = strobes.update(dark, t)
        shown_continuous = continuous.update(dark, t)
        t += 1 / 30
    assert shown_strobes == ()
    assert "face_too_dark" in [c.id for c in shown_continuous]
    assert "face_too_dark" in [c.id for c in evaluate_once(dark, profile)]   # the capture


def test_the_clients_line_is_the_first_cue_meant_for_them():
    """A light cue (the photographer's) above a posing cue: the TV still says the posing one."""
    from coaching.live.live_coach import CoachState
    from coaching.measure.cues import ActiveCue
    from ui.client.client_controller import friendly_line

    light = ActiveCue("face_too_bright", "Skin is clipping", "light", 2)
    chin = ActiveCue("chin_down", "Chin down a touch", "direct", 3)
    state = CoachState(1, 0.0, 0.0, values(), (light, chin), None, None, 1)
    assert light.client == "" and chin.client
    assert friendly_line(state) == chin.client
    assert friendly_line(CoachState(1, 0.0, 0.0, values(), (light,), None, None, 1)) == ""
