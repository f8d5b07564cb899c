"""What the landmarkers saw in one image, as plain immutable data (NumPy arrays, read-only).

Pure Python/NumPy; crosses threads freely. Coordinates are normalised to the analysed image
(x right, y down, 0..1), so they do not depend on the analysis resolution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class FaceObservation:
    landmarks: np.ndarray                 # (478, 3) normalised x, y and relative z
    blendshapes: dict[str, float]         # MediaPipe/ARKit names -> 0..1
    matrix: np.ndarray | None             # 4x4 facial transformation matrix

    @property
    def height(self) -> float:
        ys = self.landmarks[:, 1]
        return float(ys.max() - ys.min())

    def area(self) -> float:
        xs, ys = self.landmarks[:, 0], self.landmarks[:, 1]
        return float((xs.max() - xs.min()) * (ys.max() - ys.min()))


@dataclass(frozen=True)
class PoseObservation:
    landmarks: np.ndarray                 # (33, 4) normalised x, y, z and visibility
    world: np.ndarray | None              # (33, 3) metres, hip-centred
    # the other people the pose model found in a still (a group), each (33, 4) like landmarks;
    # the main pose is the one with the largest head
    others: tuple[np.ndarray, ...] = ()


@dataclass(frozen=True)
class Observation:
    width: int                            # of the analysed image
    height: int
    faces: tuple[FaceObservation, ...]
    pose: PoseObservation | None
    timestamp_ms: int = 0
    gray: np.ndarray | None = field(default=None, repr=False)  # for sharpness at the eyes
    rgb: np.ndarray | None = field(default=None, repr=False)   # for the light on the face

    @property
    def main_face(self) -> FaceObservation | None:
        """The main subject: the largest face."""
        return max(self.faces, key=lambda f: f.area()) if self.faces else None
