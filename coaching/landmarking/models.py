"""The vendored MediaPipe model bundles: where they are and whether they are intact.

Pure Python; ``verified_model`` hashes a file (a few ms for the 13 MB of models) and runs on
whichever worker thread loads the models, never on the GUI thread.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from resources.locate import resource_path

FACE_MODEL = "face_landmarker.task"
POSE_MODEL = "pose_landmarker_full.task"
MODELS_DIR = "models"
MODELS_ENV = "CATCHLIGHT_MODELS_DIR"     # another folder of models (the analysis processes too)


class ModelUnavailable(Exception):
    """A model is missing or damaged; coaching is off, everything else keeps working."""


def expected_checksums(folder: Path) -> dict[str, str]:
    sums: dict[str, str] = {}
    try:
        lines = (folder / "SHA256SUMS").read_text().splitlines()
    except OSError as exc:
        raise ModelUnavailable(f"The model checksum list is missing from {folder}; coaching "
                               "is off.") from exc
    for line in lines:
        parts = line.split()
        if len(parts) == 2:
            sums[parts[1].lstrip("*")] = parts[0].lower()
    return sums


def verified_model(name: str, folder: Path | None = None) -> bytes:
    """The bytes of model ``name`` after checking its SHA-256 against SHA256SUMS."""
    folder = folder or (Path(os.environ[MODELS_ENV]) if os.environ.get(MODELS_ENV)
                        else resource_path(MODELS_DIR))
    path = folder / name
    expected = expected_checksums(folder).get(name)
    if expected is None:
        raise ModelUnavailable(f"No checksum is listed for {name}; coaching is off.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc
        raise ModelUnavailable(f"The coaching model {name} is missing from {folder} "
                               f"({reason}); coaching is off, shooting works.") from exc
    if hashlib.sha256(data).hexdigest() != expected:
        raise ModelUnavailable(f"The coaching model {name} is damaged (checksum mismatch); "
                               "coaching is off, shooting works. Reinstall Catchlight.")
    return data
