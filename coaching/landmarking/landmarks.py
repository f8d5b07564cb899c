"""MediaPipe Tasks FaceLandmarker and PoseLandmarker behind one small interface.

A Landmarkers object is created, used and closed on one worker thread (the live coach's or the
capture analyser's); ``detect`` blocks for the inference (~15 ms face, ~40 ms pose at 640 px on
this class of CPU). VIDEO mode (live view) needs strictly increasing millisecond timestamps;
IMAGE mode (captures) is stateless. In VIDEO mode a face too small for the face model's own
detector (a three-quarter or full-length framing) is looked for at the head the pose model
finds (coaching.landmarking.head_box), by a still-image face model of its own.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

import numpy as np

from coaching.landmarking.head_box import HeadBox, head_box, head_span, on_whole_frame
from coaching.landmarking.models import FACE_MODEL, POSE_MODEL, ModelUnavailable, verified_model
from coaching.measure.observation import FaceObservation, Observation, PoseObservation
from media.imaging import grey, resize

MAX_FACES = 4
Landmarks = tuple[tuple[FaceObservation, ...], PoseObservation | None, int]   # faces, pose, ms


class Landmarking(Protocol):
    """Landmarks of an image: the models here (Landmarkers) or in the analysis process
    (coaching.landmarking.analysis_process.RemoteLandmarkers). Used from one thread."""

    def detect(self, rgb: np.ndarray, timestamp_ms: int = 0, run_pose: bool = True
               ) -> Observation: ...

    def detect_faces(self, rgb: np.ndarray) -> Observation: ...

    def add_pose(self, observation: Observation, rgb: np.ndarray) -> Observation: ...

    def close(self) -> None: ...


def observation_of(rgb: np.ndarray, found: Landmarks) -> Observation:
    faces, pose, timestamp_ms = found
    return Observation(rgb.shape[1], rgb.shape[0], faces, pose, timestamp_ms, grey(rgb), rgb)


def downscale(rgb: np.ndarray, long_edge: int) -> np.ndarray:
    h, w = rgb.shape[:2]
    scale = long_edge / max(h, w)
    if scale >= 1:
        return rgb
    return resize(rgb, (round(w * scale), round(h * scale)))


class Landmarkers:
    """Face (blendshapes and transformation matrix on) and pose landmarkers."""

    def __init__(self, video: bool, with_pose: bool = True) -> None:
        try:
            import mediapipe as mp
            from mediapipe.tasks.python import BaseOptions, vision
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelUnavailable(f"MediaPipe is not installed ({exc}); coaching is off.") from exc
        self._mp = mp
        self._vision = (vision, BaseOptions)
        self._crop_face: Any = None          # made when live view first needs it
        mode = vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE
        self.video = video
        self._last_ts = -1
        try:
            self.face = vision.FaceLandmarker.create_from_options(vision.FaceLandmarkerOptions(
                base_options=BaseOptions(model_asset_buffer=verified_model(FACE_MODEL)),
                running_mode=mode, num_faces=MAX_FACES, output_face_blendshapes=True,
                output_facial_transformation_matrixes=True))
            self.pose = vision.PoseLandmarker.create_from_options(vision.PoseLandmarkerOptions(
                base_options=BaseOptions(model_asset_buffer=verified_model(POSE_MODEL)),
                running_mode=mode, num_poses=1 if video else MAX_FACES)) if with_pose else None
        except ModelUnavailable:
            raise
        except (RuntimeError, ValueError) as exc:
            raise ModelUnavailable(f"The coaching models could not be loaded ({exc}); "
                                   "coaching is off.") from exc

    def close(self) -> None:
        """Release the models (explicitly, on the thread that uses them)."""
        for task in (self.face, self.pose, self._crop_face):
            if task is not None:
                task.close()
        self.face = None
        self.pose = None
        self._crop_face = None

    def landmarks(self, rgb: np.ndarray, timestamp_ms: int = 0, faces: bool = True,
                  pose: bool = True) -> Landmarks:
        """The raw landmarks of ``rgb`` (unmirrored, uint8 RGB): what the analysis process
        sends back. In VIDEO mode ``timestamp_ms`` is forced strictly increasing."""
        image = self._image(rgb)
        timestamp_ms = self._timestamp(timestamp_ms)
        found = self._faces(image, timestamp_ms) if faces else ()
        body = self._pose(image, timestamp_ms) if pose or (faces and not found and self.video) \
            else None
        if faces and not found and self.video:
            found = self._faces_at_head(rgb, body)
        return found, body if pose else None, timestamp_ms

    def _faces_at_head(self, rgb: np.ndarray, body: PoseObservation | None
                       ) -> tuple[FaceObservation, ...]:
        """Live view with the face too small for the face model's detector (a three-quarter
        or full-length framing): the face model, in a still-image instance of its own (the
        live one's tracking is left alone), on a crop around the head the pose model
        found, its landmarks put back into the whole frame."""
        box = head_box(body, rgb.shape[1] / rgb.shape[0])
        if box is None or self.pose is None:
            return ()
        height, width = rgb.shape[:2]
        x0, y0 = round(box.left * width), round(box.top * height)
        x1, y1 = round((box.left + box.width) * width), round((box.top + box.height) * height)
        if min(x1 - x0, y1 - y0) < 16:
            return ()
        if self._crop_face is None:
            vision, base = self._vision
            self._crop_face = vision.FaceLandmarker.create_from_options(
                vision.FaceLandmarkerOptions(
                    base_options=base(model_asset_buffer=verified_model(FACE_MODEL)),
                    running_mode=vision.RunningMode.IMAGE, num_faces=1,
                    output_face_blendshapes=True, output_facial_transformation_matrixes=True))
        crop = self._image(np.ascontiguousarray(rgb[y0:y1, x0:x1]))
        exact = HeadBox(x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height)
        return tuple(on_whole_frame(face, exact)
                     for face in self._read_faces(self._crop_face.detect(crop)))

    def detect(self, rgb: np.ndarray, timestamp_ms: int = 0, run_pose: bool = True
               ) -> Observation:
        """Landmarks of ``rgb`` (unmirrored, uint8 RGB). In VIDEO mode ``timestamp_ms`` is
        forced strictly increasing."""
        return observation_of(rgb, self.landmarks(rgb, timestamp_ms, True, run_pose))

    def detect_faces(self, rgb: np.ndarray) -> Observation:
        """The faces only (IMAGE mode): the first stage of a capture's analysis."""
        return observation_of(rgb, self.landmarks(rgb, 0, True, False))

    def add_pose(self, observation: Observation, rgb: np.ndarray) -> Observation:
        """``observation`` (of ``rgb``, from detect_faces) completed with the pose."""
        return replace(observation, pose=self.landmarks(rgb, 0, False, True)[1])

    def _image(self, rgb: np.ndarray) -> object:        # a MediaPipe Image
        mp = self._mp
        return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))

    def _timestamp(self, timestamp_ms: int) -> int:
        if not self.video:
            return timestamp_ms
        timestamp_ms = max(int(timestamp_ms), self._last_ts + 1)
        self._last_ts = timestamp_ms
        return timestamp_ms

    def _faces(self, image: object, timestamp_ms: int) -> tuple[FaceObservation, ...]:
        return self._read_faces(self.face.detect_for_video(image, timestamp_ms) if self.video
                                else self.face.detect(image))

    @staticmethod
    def _read_faces(face_result: Any) -> tuple[FaceObservation, ...]:
        faces = []
        for i, marks in enumerate(face_result.face_landmarks):
            points = np.array([(p.x, p.y, p.z) for p in marks], dtype=np.float32)
            shapes = {c.category_name: float(c.score) for c in face_result.face_blendshapes[i]} \
                if face_result.face_blendshapes else {}
            matrices = face_result.facial_transformation_matrixes
            matrix = np.asarray(matrices[i], dtype=np.float64) if matrices else None
            for array in (points, matrix):
                if array is not None:
                    array.setflags(write=False)
            faces.append(FaceObservation(points, shapes, matrix))
        return tuple(faces)

    def _pose(self, image: object, timestamp_ms: int) -> PoseObservation | None:
        if self.pose is None:
            return None
        pose_result = self.pose.detect_for_video(image, timestamp_ms) if self.video \
            else self.pose.detect(image)
        if not pose_result.pose_landmarks:
            return None
        people = [np.array([(p.x, p.y, p.z, p.visibility or 0.0) for p in marks],
                           dtype=np.float32) for marks in pose_result.pose_landmarks]
        for points in people:
            points.setflags(write=False)
        main = max(range(len(people)), key=lambda i: head_span(people[i]))
        world = None
        if len(pose_result.pose_world_landmarks) > main:
            world = np.array([(p.x, p.y, p.z) for p in pose_result.pose_world_landmarks[main]],
                             dtype=np.float32)
            world.setflags(write=False)
        others = tuple(points for i, points in enumerate(people) if i != main)
        return PoseObservation(people[main], world, others)
