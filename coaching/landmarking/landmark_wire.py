"""What travels between the app and its analysis processes, as bytes that carry data only
(JSON headers and raw little-endian arrays; never pickle: a process that read a hostile file
must not be able to run code in the app). The app checks every answer's sizes, types and
ranges before using it. Pure Python/NumPy; any thread.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np

from coaching.measure.observation import FaceObservation, PoseObservation

Landmarks = tuple[tuple[FaceObservation, ...], PoseObservation | None, int]
MAX_FACES = 8
MAX_POINTS = 1000
MAX_HEADER = 1 << 16


class WireError(ValueError):
    """An answer that is not what an analysis process sends."""


@dataclass(frozen=True)
class Request:
    """Landmarks of the ``shape`` image in shared memory ``memory``."""

    memory: str
    shape: tuple[int, int, int]
    timestamp_ms: int = 0
    faces: bool = True
    pose: bool = True


def encode_request(request: Request) -> bytes:
    return json.dumps({"memory": request.memory, "shape": list(request.shape),
                       "ts": request.timestamp_ms, "faces": request.faces,
                       "pose": request.pose}).encode()


def decode_request(data: bytes) -> Request:
    try:
        raw = json.loads(data)
        shape = tuple(int(v) for v in raw["shape"])
        if len(shape) != 3 or shape[2] != 3 or min(shape) <= 0:
            raise WireError("bad image shape")
        return Request(str(raw["memory"]), (shape[0], shape[1], shape[2]), int(raw["ts"]),
                       bool(raw["faces"]), bool(raw["pose"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise WireError(f"bad request ({exc})") from exc


def encode_ready(error: str = "") -> bytes:
    return json.dumps({"ready": True, "error": error}).encode()


def decode_ready(data: bytes) -> str:
    """The models' load error ('' when they loaded)."""
    try:
        raw = json.loads(data)
        if raw.get("ready") is not True:
            raise WireError("not a ready message")
        return str(raw.get("error", ""))
    except (AttributeError, ValueError) as exc:
        raise WireError(f"bad ready message ({exc})") from exc


def _array(array: np.ndarray | None, dtype: str) -> tuple[list[int] | None, bytes]:
    if array is None:
        return None, b""
    data = np.ascontiguousarray(array, dtype=dtype)
    return list(data.shape), data.tobytes()


def encode_landmarks(found: Landmarks) -> bytes:
    faces, pose, timestamp_ms = found
    blobs: list[bytes] = []
    face_headers = []
    for face in faces:
        points, points_data = _array(face.landmarks, "<f4")
        matrix, matrix_data = _array(face.matrix, "<f8")
        blobs += [points_data, matrix_data]
        face_headers.append({"points": points, "matrix": matrix,
                             "shapes": {k: float(v) for k, v in face.blendshapes.items()}})
    pose_header = None
    if pose is not None:
        points, points_data = _array(pose.landmarks, "<f4")
        world, world_data = _array(pose.world, "<f4")
        blobs += [points_data, world_data]
        others = []
        for other in pose.others[:MAX_FACES]:
            shape, data = _array(other, "<f4")
            blobs.append(data)
            others.append(shape)
        pose_header = {"points": points, "world": world, "others": others}
    header = json.dumps({"faces": face_headers, "pose": pose_header, "ts": int(timestamp_ms)})
    encoded = header.encode()
    return len(encoded).to_bytes(4, "little") + encoded + b"".join(blobs)


class _Reader:
    def __init__(self, data: bytes, start: int) -> None:
        self.data, self.at = memoryview(data), start

    def array(self, shape: object, dtype: str, columns: tuple[int, ...]) -> np.ndarray | None:
        if shape is None:
            return None
        if (not isinstance(shape, list) or len(shape) != 2
                or not all(isinstance(v, int) for v in shape)
                or not 0 < shape[0] <= MAX_POINTS or shape[1] not in columns):
            raise WireError(f"bad array shape {shape!r}")
        size = shape[0] * shape[1] * np.dtype(dtype).itemsize
        if self.at + size > len(self.data):
            raise WireError("answer cut short")
        array = np.frombuffer(self.data[self.at:self.at + size], dtype=dtype).reshape(shape)
        self.at += size
        if not np.isfinite(array).all():
            raise WireError("non-finite landmarks")
        out = array.astype(np.float32 if dtype == "<f4" else np.float64)
        out.setflags(write=False)
        return out


def decode_landmarks(data: bytes) -> Landmarks:
    """The landmarks of an answer; WireError for anything else."""
    if len(data) < 4:
        raise WireError("answer too short")
    length = int.from_bytes(data[:4], "little")
    if not 0 < length <= MAX_HEADER or 4 + length > len(data):
        raise WireError("bad header length")
    try:
        header = json.loads(bytes(data[4:4 + length]))
        faces_raw, pose_raw, timestamp_ms = header["faces"], header["pose"], int(header["ts"])
    except (KeyError, TypeError, ValueError) as exc:
        raise WireError(f"bad header ({exc})") from exc
    if not isinstance(faces_raw, list) or len(faces_raw) > MAX_FACES:
        raise WireError("bad face list")
    reader = _Reader(data, 4 + length)
    faces = []
    for face in faces_raw:
        if not isinstance(face, dict) or not isinstance(face.get("shapes"), dict):
            raise WireError("bad face")
        points = reader.array(face.get("points"), "<f4", (3,))
        matrix = reader.array(face.get("matrix"), "<f8", (4,))
        if points is None or (matrix is not None and matrix.shape != (4, 4)):
            raise WireError("bad face arrays")
        shapes = {str(k): float(v) for k, v in face["shapes"].items()
                  if isinstance(v, int | float) and math.isfinite(v)}
        faces.append(FaceObservation(points, shapes, matrix))
    pose = None
    if pose_raw is not None:
        if not isinstance(pose_raw, dict):
            raise WireError("bad pose")
        points = reader.array(pose_raw.get("points"), "<f4", (4,))
        world = reader.array(pose_raw.get("world"), "<f4", (3,))
        others_raw = pose_raw.get("others", [])
        if points is None or not isinstance(others_raw, list) or len(others_raw) > MAX_FACES:
            raise WireError("bad pose arrays")
        others = tuple(reader.array(shape, "<f4", (4,)) for shape in others_raw)
        if any(other is None or other.shape != points.shape for other in others):
            raise WireError("bad pose arrays")
        pose = PoseObservation(points, world, tuple(o for o in others if o is not None))
    if reader.at != len(data):
        raise WireError("trailing bytes")
    return tuple(faces), pose, timestamp_ms
