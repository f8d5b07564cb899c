"""Issue 28: colour on the face. Mixed light (a warm lamp on one side of the face) is said in
studio words, judged on the same skin's two sides (never a skin tone); the backdrop's colour
says the white balance, and the team's drift of it is in the consistency report."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from coaching.landmarking.landmarks import Landmarkers
from coaching.measure.cues import evaluate_once
from coaching.measure.measurements import measure
from coaching.measure.profiles import load_profiles
from resources.locate import resource_path


@pytest.fixture(scope="module")
def portrait():
    with Image.open(resource_path("demo/astronaut.png")) as image:
        return np.asarray(image.convert("RGB"))


@pytest.fixture(scope="module")
def models():
    landmarkers = Landmarkers(video=False)
    yield landmarkers
    landmarkers.close()


def _tinted(rgb: np.ndarray, gains: tuple[float, float, float], columns: slice) -> np.ndarray:
    out = rgb.astype(np.float32)
    out[:, columns] *= np.array(gains, np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def _read(models, rgb):  # type: ignore[no-untyped-def]
    observation = models.detect(rgb)
    values = measure(observation)
    cues = evaluate_once(values, load_profiles().get(None), None)
    return values, [c.id for c in cues], {c.id: c.text for c in cues}


def test_a_warm_lamp_on_one_side_is_mixed_light(models, portrait):
    plain, plain_cues, _ = _read(models, portrait)
    assert abs(plain.cheek_warmth_difference) < 0.1 and "mixed_light" not in plain_cues
    face_x = round(plain.face_center_x * portrait.shape[1])
    warm_left = _tinted(portrait, (1.12, 1.0, 0.78), slice(0, face_x))   # tungsten, camera left
    mixed, cues, texts = _read(models, warm_left)
    assert mixed.cheek_warmth_difference > 0.25
    assert "mixed_light" in cues and "camera-left side of the face is warmer" in \
        texts["mixed_light"]
    # The same cast over the whole picture is a white balance, not mixed light.
    warm_all = _tinted(portrait, (1.08, 1.0, 0.8), slice(None))
    even, even_cues, _ = _read(models, warm_all)
    assert abs(even.cheek_warmth_difference) < 0.2 and "mixed_light" not in even_cues
    assert even.backdrop_warmth - plain.backdrop_warmth > 0.3


def test_a_darker_skin_under_even_light_is_not_mixed_light(models, portrait):
    """Judged on the same skin's two sides: darkening the whole picture (a darker face under
    the same light) does not change the verdict."""
    darker = (portrait.astype(np.float32) * 0.45).astype(np.uint8)
    values, cues, _ = _read(models, darker)
    assert values.cheek_warmth_difference is not None
    assert abs(values.cheek_warmth_difference) < 0.15 and "mixed_light" not in cues


def test_the_team_report_gives_the_white_balance_drift():
    from session.people.consistency import Report, row_for

    rows = tuple(row_for(f"s{i}.jpg", f"P{i}", {"eye_line": 0.4, "face_height": 0.3,
                                                 "backdrop_warmth": w}, None)
                 for i, w in enumerate((0.10, 0.12, 0.50)))
    lines = Report(rows).spread_lines()
    drift = next(line for line in lines if line.startswith("white balance on the backdrop"))
    assert drift.endswith("stops red/blue") and "0.18" in drift


def test_a_cast_since_the_clients_own_reference_is_said(models, portrait):
    """The reference is this client's neutral recording: the same face gone warm (the
    modelling lamp took over) is said; another client's darker or lighter skin never is."""
    from dataclasses import replace

    from coaching.measure.cues import NeutralBaseline

    profile = load_profiles().get(None)
    plain = measure(models.detect(portrait))
    reference = NeutralBaseline(pitch=plain.head_pitch_deg or 0.0, smile=plain.smile or 0.0,
                                eye_aperture=plain.eye_aperture or 0.3,
                                face_exposure_ev=plain.face_exposure_ev,
                                face_warmth=plain.face_warmth)
    assert "colour_drift" not in [c.id for c in evaluate_once(plain, profile, reference)]
    warm = measure(models.detect(_tinted(portrait, (1.1, 1.0, 0.8), slice(None))))
    said = {c.id: c.text for c in evaluate_once(warm, profile, reference)}
    assert said["colour_drift"].startswith("Warm cast on the face since the reference")
    assert "colour_drift" not in [c.id for c in evaluate_once(warm, profile, None)]
    assert "colour_drift" not in [c.id for c in evaluate_once(
        warm, profile, replace(reference, face_warmth=warm.face_warmth))]
