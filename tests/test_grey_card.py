"""Issue 28: a grey card as the day's colour reference. The card held up in the centre of the
frame is read (live view under continuous light, the next capture under strobes); its balance
says whether the white balance is right, and later casts are measured against it through the
backdrop, the light only, never a skin colour. The demo camera's sitters each stand in their
own light, so the card reads neutral under one and warm or cool under the others."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

from camera.simulated.sim_scene import Scene
from camera.types import LiveFrame
from coaching.measure.cues import evaluate_once
from coaching.measure.grey_card import GreyCard, judge_card, read_spot
from coaching.measure.measurements import Measurements
from coaching.measure.profiles import load_profiles

NEUTRAL, WARM, COOL = 0, 1, 2          # the demo's sitters: daylight, warm, cool light


def _frame(sitter: int, card: bool, size: tuple[int, int] = (1024, 683)) -> np.ndarray:
    scene = Scene()
    scene.sitter, scene.grey_card = sitter, card
    return scene.render(*size, 0.0)


def test_the_card_says_whether_the_white_balance_is_right():
    neutral = judge_card([read_spot(_frame(NEUTRAL, True))] * 3)
    assert neutral.card is not None and neutral.neutral
    assert "neutral" in neutral.message
    warm = judge_card([read_spot(_frame(WARM, True))] * 3)
    assert warm.card is not None and not warm.neutral and warm.card.warmth > 0.3
    assert "warm" in warm.message and "Set the white balance on the card" in warm.message
    cool = judge_card([read_spot(_frame(COOL, True))] * 3)
    assert cool.card is not None and cool.card.warmth < -0.3 and "cool" in cool.message


def test_no_card_in_the_centre_is_refused_in_words():
    assert read_spot(_frame(NEUTRAL, False)) is None           # the chin and the suit
    noise = np.random.default_rng(3).integers(0, 255, (683, 1024, 3), dtype=np.uint8)
    assert read_spot(noise) is None
    verdict = judge_card([None, None, None])
    assert verdict.card is None and "hold it flat in the centre" in verdict.message


def _cues(card: GreyCard | None, backdrop: float | None, face: float | None = 0.5) -> list:
    profile = replace(load_profiles().get(None), card=card)
    m = Measurements(face_height=0.3, face_warmth=face, backdrop_warmth=backdrop)
    return [c for c in evaluate_once(m, profile, None) if c.id == "light_cast"]


def test_a_cast_is_measured_against_the_card_through_the_backdrop():
    assert _cues(None, 0.0) == []                                   # no card: no judgement
    assert _cues(GreyCard(0.0, 0.0, 0.1), 0.12) == []               # the light unchanged
    drifted = _cues(GreyCard(0.0, 0.0, 0.1), 0.45)                  # the backdrop 27 % warmer
    assert drifted and drifted[0].text.startswith("Warm cast on the face")
    assert "set the white balance on the card" in drifted[0].text
    cooler = _cues(GreyCard(0.0, 0.0, 0.1), -0.2)
    assert cooler and cooler[0].text.startswith("Cool cast")
    unset = _cues(GreyCard(0.4, 0.0, None), None)                   # the card itself warm
    assert unset and "Warm cast" in unset[0].text
    # Only the light is judged: the face's own colour changes nothing.
    for face in (-0.5, 0.0, 0.3, 1.2, None):
        assert [c.text for c in _cues(GreyCard(0.0, 0.0, 0.1), 0.45, face)] == \
            [c.text for c in drifted]


def _live(rgb: np.ndarray, seq: int, t: float) -> LiveFrame:
    return LiveFrame(seq, t, b"", rgb, np.zeros((1, 1, 4), np.uint8))


def test_live_view_reads_the_card_then_the_coach_says_the_cast():
    """Continuous light, the warm sitter: Shift+G while the card is up reads it warm; with
    the card down the backdrop becomes the card's stand-in and the coach's light cue says the
    cast (judged here on what the coach measured live, whatever other cues take the two
    places on screen)."""
    from coaching.live.live_coach import LiveCoach

    verdicts, states = [], []
    read = threading.Event()
    coach = LiveCoach(load_profiles().get(None), states.append, lambda _m: None,
                      on_card=lambda v: (verdicts.append(v), read.set()))
    coach.start()
    try:
        with_card, without = _frame(WARM, True), _frame(WARM, False)
        coach.read_grey_card()
        seq = 0
        while not read.is_set() and seq < 2000:
            seq += 1
            coach.on_live_frame(_live(with_card, seq, seq / 30))
            read.wait(1 / 30)
        assert verdicts and verdicts[0].card is not None
        assert "warm" in verdicts[0].message
        for _ in range(120):
            seq += 1
            coach.on_live_frame(_live(without, seq, seq / 30))
            threading.Event().wait(1 / 30)
            if states and states[-1].card is not None and \
                    states[-1].card.backdrop_warmth is not None:
                break
    finally:
        coach.stop()
    last = states[-1]
    assert last.card is not None and last.card.backdrop_warmth is not None
    profile = replace(load_profiles().get(None), card=last.card)
    said = [c for c in evaluate_once(last.measurements, profile) if c.id == "light_cast"]
    assert said and said[0].text.startswith("Warm cast on the face")


def test_under_strobes_the_card_is_read_from_the_next_capture(tmp_path: Path):
    from coaching.stills.capture_pipeline import CapturePipeline

    verdicts = []
    read = threading.Event()

    class Quiet:
        def decoded(self, capture):  # type: ignore[no-untyped-def]
            pass

        def checked(self, capture):  # type: ignore[no-untyped-def]
            pass

        def analysed(self, capture):  # type: ignore[no-untyped-def]
            pass

        def problem(self, message):  # type: ignore[no-untyped-def]
            pass

    Image.fromarray(_frame(COOL, True, (1536, 1024))).save(tmp_path / "card.jpg", quality=92)
    Image.fromarray(_frame(COOL, False, (1536, 1024))).save(tmp_path / "next.jpg", quality=92)
    pipeline = CapturePipeline(load_profiles().get(None), Quiet(), analyse=False)
    pipeline.on_card = lambda v: (verdicts.append(v), read.set())
    pipeline.read_card_next = True
    pipeline.start()
    try:
        pipeline.submit(tmp_path, "card.jpg")
        pipeline.submit(tmp_path, "next.jpg")
        assert read.wait(60)
    finally:
        pipeline.stop()
    assert len(verdicts) == 1 and verdicts[0].card is not None      # that capture, once
    assert verdicts[0].card.warmth < -0.3 and "cool" in verdicts[0].message
