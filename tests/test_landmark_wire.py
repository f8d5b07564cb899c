"""What an analysis process sends back: the faces and the poses of everyone it saw (a group's
other people included), as data only; a forged or cut answer is refused, never half read."""

from __future__ import annotations

import json

import numpy as np
import pytest

from coaching.landmarking.landmark_wire import WireError, decode_landmarks, encode_landmarks
from coaching.measure.observation import FaceObservation, PoseObservation


def _group() -> tuple[tuple[FaceObservation, ...], PoseObservation, int]:
    rng = np.random.default_rng(7)
    face = FaceObservation(rng.random((478, 3), dtype=np.float32), {"mouthSmileLeft": 0.5},
                           np.eye(4))
    people = [rng.random((33, 4), dtype=np.float32) for _ in range(3)]
    return (face,), PoseObservation(people[0], rng.random((33, 3), dtype=np.float32),
                                    (people[1], people[2])), 1234


def test_a_group_travels_whole():
    faces, pose, ts = _group()
    back_faces, back_pose, back_ts = decode_landmarks(encode_landmarks((faces, pose, ts)))
    assert back_ts == ts and len(back_faces) == 1
    assert back_pose is not None and len(back_pose.others) == 2
    for sent, got in zip((pose.landmarks, *pose.others),
                         (back_pose.landmarks, *back_pose.others), strict=True):
        assert np.array_equal(sent, got) and not got.flags.writeable


def _header_and_blobs(data: bytes) -> tuple[dict, bytes]:
    length = int.from_bytes(data[:4], "little")
    return json.loads(data[4:4 + length]), data[4 + length:]


def _rebuilt(header: dict, blobs: bytes) -> bytes:
    encoded = json.dumps(header).encode()
    return len(encoded).to_bytes(4, "little") + encoded + blobs


def test_a_forged_group_is_refused():
    data = encode_landmarks(_group())
    header, blobs = _header_and_blobs(data)
    header["pose"]["others"][0] = [33, 3]          # the wrong shape for a person's pose
    with pytest.raises(WireError):
        decode_landmarks(_rebuilt(header, blobs))
    header, blobs = _header_and_blobs(data)
    header["pose"]["others"] = [[33, 4]] * 50       # more people than a frame is read for
    with pytest.raises(WireError):
        decode_landmarks(_rebuilt(header, blobs))
    with pytest.raises(WireError):
        decode_landmarks(data[:-8])                 # cut short
