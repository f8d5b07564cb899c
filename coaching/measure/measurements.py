"""Measurements of the main subject, as pure functions from landmarks to numbers.

Left and right are as seen in the image. Signs: yaw > 0 when the nose points toward the
image's right edge; roll > 0 when the eye line rises toward the image's right; pitch > 0 chin
up. Pure Python/NumPy, no Qt; any thread; microseconds.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from coaching.measure.light import Light, measure_light
from coaching.measure.observation import FaceObservation, Observation, PoseObservation
from coaching.measure.sharpness import eye_sharpness

# Eye aspect-ratio points (p1..p6) for the two eyes of the 478-point mesh.
EAR_POINTS = ((33, 160, 158, 133, 153, 144), (362, 385, 387, 263, 373, 380))
IRIS_CENTRES = (468, 473)
FOREHEAD, CHIN = 10, 152
EAR_OPEN, EAR_SHUT = 0.28, 0.08
SMILE_EAR_DROP = 0.06        # eyes narrow this much (EAR) in a full smile without closing
EYE_ANGLE_PER_UNIT = 30.0    # degrees of eye rotation per unit of eyeLook* blendshape
GAZE_SIGMA_YAW, GAZE_SIGMA_PITCH = 10.0, 15.0
L_SHOULDER, R_SHOULDER = 11, 12
MIN_VISIBILITY = 0.5


@dataclass(frozen=True)
class Measurements:
    head_yaw_deg: float | None = None
    head_pitch_deg: float | None = None
    head_roll_deg: float | None = None
    eye_closed_left: float | None = None
    eye_closed_right: float | None = None
    smile: float | None = None
    duchenne: bool | None = None
    gaze_at_lens: float | None = None
    shoulder_angle_deg: float | None = None
    shoulder_tilt_deg: float | None = None
    eye_line: float | None = None
    face_height: float | None = None
    face_center_x: float | None = None
    eye_sharpness: float | None = None
    eye_aperture: float | None = None   # mean eye aspect ratio, for the neutral baseline
    # The light on the face (coaching.measure.light): linear light, left/right as seen in the image.
    face_exposure_ev: float | None = None
    face_clipped: float | None = None
    face_crushed: float | None = None
    lighting_ratio_stops: float | None = None
    key_side: str | None = None         # "image_left" | "image_right" | None (even light)
    catchlight_left: bool | None = None
    catchlight_right: bool | None = None
    catchlight_clock: float | None = None
    backdrop_ev: float | None = None
    cheek_warmth_difference: float | None = None   # image left minus right, log2 red/blue
    backdrop_warmth: float | None = None           # the backdrop's log2 red/blue
    face_warmth: float | None = None               # the skin's (against its own reference)

    def as_dict(self) -> dict[str, float | bool | str | None]:
        return asdict(self)


def head_angles(matrix: np.ndarray) -> tuple[float, float]:
    """(yaw, pitch) in degrees from the facial transformation matrix, in our sign convention."""
    r = matrix[:3, :3]
    yaw = math.degrees(math.atan2(-r[2, 0], math.hypot(r[0, 0], r[1, 0])))
    pitch = -math.degrees(math.atan2(r[2, 1], r[2, 2]))
    return yaw, pitch


def pixel_points(face: FaceObservation, width: int, height: int) -> np.ndarray:
    return face.landmarks[:, :2] * np.array([width, height], dtype=np.float32)


def eye_line_roll(points: np.ndarray) -> float:
    """Roll from the outer eye corners (steadier than the matrix when the head is turned)."""
    a, b = points[33], points[263]
    if a[0] > b[0]:
        a, b = b, a
    return math.degrees(math.atan2(-(b[1] - a[1]), b[0] - a[0]))


def eye_aspect_ratio(points: np.ndarray, ids: tuple[int, ...]) -> float:
    p1, p2, p3, p4, p5, p6 = (points[i] for i in ids)
    width = float(np.linalg.norm(p1 - p4))
    if width < 1e-6:
        return 0.0
    return float((np.linalg.norm(p2 - p6) + np.linalg.norm(p3 - p5)) / (2 * width))


def eye_closure(ear: float, blink: float, smile: float, ear_open: float = EAR_OPEN) -> float:
    """0 open .. 1 shut: the lid geometry (allowing for a smile's narrowing) and the model's
    blink score, averaged; each alone is fooled (glasses, squints, laughter)."""
    expected = ear_open - SMILE_EAR_DROP * smile
    geometric = float(np.clip((expected - ear) / max(expected - EAR_SHUT, 1e-3), 0.0, 1.0))
    return float(np.clip(0.5 * geometric + 0.5 * blink, 0.0, 1.0))


def eyes_by_image_side(points: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """EAR point sets ordered (image left, image right)."""
    first, second = EAR_POINTS
    return (first, second) if points[33][0] <= points[263][0] else (second, first)


def eye_yaw_pitch(shapes: dict[str, float]) -> tuple[float, float]:
    """Eye rotation within the head, degrees (yaw > 0 toward the image's right, pitch > 0 up).
    Blendshapes follow ARKit: "Left" is the subject's left eye, on the image's right in an
    unmirrored frame. Its "in" points toward the nose, i.e. toward the image's left."""
    g = shapes.get
    image_left_eye = g("eyeLookInRight", 0.0) - g("eyeLookOutRight", 0.0)
    image_right_eye = g("eyeLookOutLeft", 0.0) - g("eyeLookInLeft", 0.0)
    up = (g("eyeLookUpLeft", 0.0) + g("eyeLookUpRight", 0.0)) / 2
    down = (g("eyeLookDownLeft", 0.0) + g("eyeLookDownRight", 0.0)) / 2
    return (EYE_ANGLE_PER_UNIT * (image_left_eye + image_right_eye) / 2,
            EYE_ANGLE_PER_UNIT * (up - down))


def shoulders(pose: PoseObservation | None, width: int, height: int
              ) -> tuple[float | None, float | None]:
    """(angle to the camera, tilt) in degrees. Angle 0 = square, > 0 when the shoulder on the
    image's right is nearer the camera; tilt > 0 when the line rises toward the image's right."""
    if pose is None:
        return None, None
    a, b = pose.landmarks[L_SHOULDER], pose.landmarks[R_SHOULDER]
    if min(a[3], b[3]) < MIN_VISIBILITY:
        return None, None
    left, right = (a, b) if a[0] <= b[0] else (b, a)
    dx = (right[0] - left[0]) * width
    dy = (right[1] - left[1]) * height
    tilt = math.degrees(math.atan2(-dy, dx))
    angle = None
    if pose.world is not None:
        wa, wb = pose.world[L_SHOULDER], pose.world[R_SHOULDER]
        wl, wr = (wa, wb) if a[0] <= b[0] else (wb, wa)
        angle = math.degrees(math.atan2(wl[2] - wr[2], abs(wr[0] - wl[0]) + 1e-6))
    return angle, tilt


def measure(observation: Observation, ear_open: float = EAR_OPEN) -> Measurements:
    """Every measurement of the main subject (largest face); None where not measurable."""
    face = observation.main_face
    shoulder_angle, shoulder_tilt = shoulders(observation.pose, observation.width,
                                              observation.height)
    if face is None:
        return Measurements(shoulder_angle_deg=shoulder_angle, shoulder_tilt_deg=shoulder_tilt)
    w, h = observation.width, observation.height
    points = pixel_points(face, w, h)
    shapes = face.blendshapes
    yaw, pitch = head_angles(face.matrix) if face.matrix is not None else (None, None)
    smile = (shapes.get("mouthSmileLeft", 0.0) + shapes.get("mouthSmileRight", 0.0)) / 2
    left_ids, right_ids = eyes_by_image_side(points)
    ears = (eye_aspect_ratio(points, left_ids), eye_aspect_ratio(points, right_ids))
    # The blink blendshapes barely tell the two eyes apart (on mirrored photos the same eye
    # keeps the higher score), so their mean joins each eye's own lid geometry.
    blink = (shapes.get("eyeBlinkLeft", 0.0) + shapes.get("eyeBlinkRight", 0.0)) / 2
    closed_left = eye_closure(ears[0], blink, smile, ear_open)
    closed_right = eye_closure(ears[1], blink, smile, ear_open)
    aperture = (ears[0] + ears[1]) / 2
    duchenne = smile >= 0.5 and aperture <= ear_open * 0.9
    gaze = None
    if yaw is not None:
        eye_yaw, eye_pitch = eye_yaw_pitch(shapes)
        gaze_yaw = yaw + eye_yaw
        gaze = math.exp(-0.5 * ((gaze_yaw / GAZE_SIGMA_YAW) ** 2
                                + (eye_pitch / GAZE_SIGMA_PITCH) ** 2))
    iris = face.landmarks[list(IRIS_CENTRES), :2]
    xs = face.landmarks[:, 0]
    sharp = eye_sharpness(observation.gray, face.landmarks) \
        if observation.gray is not None else None
    light = measure_light(observation.rgb, face.landmarks, (closed_left, closed_right)) \
        if observation.rgb is not None else Light()
    return Measurements(
        head_yaw_deg=yaw, head_pitch_deg=pitch, head_roll_deg=eye_line_roll(points),
        eye_closed_left=closed_left, eye_closed_right=closed_right, smile=smile,
        duchenne=duchenne, gaze_at_lens=gaze, shoulder_angle_deg=shoulder_angle,
        shoulder_tilt_deg=shoulder_tilt, eye_line=float(iris[:, 1].mean()),
        face_height=float(face.landmarks[CHIN, 1] - face.landmarks[FOREHEAD, 1]),
        face_center_x=float((xs.min() + xs.max()) / 2), eye_sharpness=sharp,
        eye_aperture=aperture, **asdict(light))
