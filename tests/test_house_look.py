"""The house look: recorded from an approved shot, kept in the session catalog and in a file
another session loads; the coach's framing and light cues aim at it ("Camera: lower it a
touch: eyes 4 % below the house line", "Backdrop 1/3 stop darker than the house look"), and a
compact meter shows each deviation; without one the style profile's ranges speak as before."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coaching.measure.cues import evaluate_once
from coaching.measure.house_meter import house_meter
from coaching.measure.measurements import Measurements
from coaching.measure.profiles import load_profiles
from session.people.house_look import (
    HouseLook,
    HouseLookError,
    deviation,
    from_measurements,
    load_look,
    median_look,
    outlier_reasons,
    save_look,
)

HOUSE = HouseLook(eye_line=0.36, face_height=0.30, head_roll_deg=0.0, face_center_x=0.5,
                  face_exposure_ev=-0.6, lighting_ratio_stops=1.2, backdrop_ev=-1.0,
                  source="Team day_0007.jpg")
# The person in front of the camera, framed and lit exactly like the house shot.
MATCH = Measurements(eye_line=0.36, face_height=0.30, head_roll_deg=0.0, face_center_x=0.5,
                     face_exposure_ev=-0.6, lighting_ratio_stops=1.2, backdrop_ev=-1.0,
                     head_yaw_deg=0.0, head_pitch_deg=0.0, eye_closed_left=0.0,
                     eye_closed_right=0.0, smile=0.4, gaze_at_lens=1.0,
                     catchlight_left=True, catchlight_right=True, face_clipped=0.0,
                     face_crushed=0.0)


def profile(house: HouseLook | None = HOUSE):
    return replace(load_profiles().get("Corporate"), house=house)


def texts(values: Measurements, house: HouseLook | None = HOUSE) -> dict[str, str]:
    return {c.id: c.text for c in evaluate_once(values, profile(house))}


def test_a_shot_matching_the_house_look_gets_no_framing_or_light_cue():
    said = texts(MATCH)
    assert not {"zoom_in", "zoom_out", "eyes_to_upper_third", "center_subject",
                "face_too_bright", "face_too_dark", "more_fill", "more_contrast",
                "match_backdrop", "level_head"} & said.keys(), said
    assert all(not item.off for item in house_meter(MATCH, HOUSE))


def test_eyes_below_the_house_line_tell_the_camera_how_far():
    said = texts(replace(MATCH, eye_line=0.40))
    assert said["eyes_to_upper_third"] == \
        "Camera: lower it a touch: eyes 4 % below the house line"
    said = texts(replace(MATCH, eye_line=0.31))
    assert said["eyes_to_upper_third"] == \
        "Camera: raise it a touch: eyes 5 % above the house line"
    # Within 2 % of the frame the line holds.
    assert "eyes_to_upper_third" not in texts(replace(MATCH, eye_line=0.375))


def test_face_size_and_centre_against_the_house_look():
    assert texts(replace(MATCH, face_height=0.27))["zoom_in"] == \
        "Camera: step in a touch: face 10 % smaller than the house look"
    assert texts(replace(MATCH, face_height=0.345))["zoom_out"] == \
        "Camera: step back a touch: face 15 % larger than the house look"
    assert texts(replace(MATCH, face_center_x=0.56))["center_subject"] == \
        "Camera: pan a touch right: face 6 % right of the house centre"
    assert "zoom_in" not in texts(replace(MATCH, face_height=0.29))


def test_the_light_is_judged_against_the_house_look_in_thirds():
    said = texts(replace(MATCH, backdrop_ev=-1.33))
    assert said["match_backdrop"] == ("Backdrop 1/3 stop darker than the house look: raise "
                                      "the background light 1/3")
    said = texts(replace(MATCH, backdrop_ev=-0.3))
    assert said["match_backdrop"].startswith("Backdrop 2/3 stop brighter than the house look: "
                                             "lower")
    # Another person's face is no exposure reference: the difference would be their skin.
    assert not {"face_too_bright", "face_too_dark"} & texts(
        replace(MATCH, face_exposure_ev=-1.6)).keys()
    assert not {"face_too_bright", "face_too_dark"} & texts(
        replace(MATCH, face_exposure_ev=0.4)).keys()
    said = texts(replace(MATCH, lighting_ratio_stops=2.0))
    assert said["more_fill"] == ("Ratio 2.0 stops, the house look has 1.2: add fill or "
                                 "feather the key")
    said = texts(replace(MATCH, lighting_ratio_stops=0.6))
    assert "the house look has 1.2" in said["more_contrast"]


def test_without_a_house_look_the_style_profile_speaks_as_before():
    said = texts(replace(MATCH, eye_line=0.52, backdrop_ev=-3.0), house=None)
    assert said["eyes_to_upper_third"] == "Camera: tilt down a touch (eyes to the upper third)"
    assert "match_backdrop" not in said


def test_the_meter_marks_what_is_off_and_who_acts_on_it():
    items = {i.key: i for i in house_meter(replace(MATCH, eye_line=0.40, backdrop_ev=-1.4,
                                                   face_height=0.31), HOUSE)}
    assert items["eye_line"].text == "eyes ↓4 %" and items["eye_line"].off
    assert items["eye_line"].kind == "framing"
    assert items["backdrop_ev"].text == "bg −0.4 EV" and items["backdrop_ev"].off
    assert items["backdrop_ev"].kind == "light"
    assert items["face_height"].text == "size +3 %" and not items["face_height"].off
    # Nothing is shown for what was not measured.
    assert "backdrop_ev" not in {i.key for i in house_meter(replace(MATCH, backdrop_ev=None),
                                                            HOUSE)}


def test_deviations_and_outlier_reasons_in_words():
    dev = deviation(replace(MATCH, eye_line=0.39, face_height=0.33, head_roll_deg=4.0,
                            backdrop_ev=-0.5).as_dict(), HOUSE)
    assert dev.eye_line == pytest.approx(0.03) and dev.face_height == pytest.approx(0.10)
    assert outlier_reasons(dev) == ["eye line +3% of the frame", "face height +10%",
                                    "roll +4.0°", "backdrop +0.5 EV"]
    assert outlier_reasons(deviation(MATCH.as_dict(), HOUSE)) == []


def test_a_look_needs_a_measured_face_and_the_median_ignores_shots_without_one():
    assert from_measurements(Measurements().as_dict()) is None
    looks = [replace(MATCH, eye_line=v, face_height=h).as_dict()
             for v, h in ((0.30, 0.25), (0.40, 0.35), (0.35, 0.28))] + [Measurements().as_dict()]
    median = median_look(looks)
    assert median is not None and (median.eye_line, median.face_height) == (0.35, 0.28)
    assert median.source == "median of 3 shots"
    assert median_look([Measurements().as_dict()]) is None


def test_a_saved_look_loads_into_another_session_and_bad_files_are_refused(tmp_path):
    path = tmp_path / "Acme house look.json"
    save_look(HOUSE, path)
    assert load_look(path) == HOUSE
    assert not list(tmp_path.glob(".*.part"))
    for text, reason in (("{", "not JSON"), ('{"eye_line": 0.3}', "not a Catchlight house look"),
                         ('{"format": "catchlight-house-look", "eye_line": 3, '
                          '"face_height": 0.3}', "fractions of the frame")):
        path.write_text(text)
        with pytest.raises(HouseLookError, match=reason):
            load_look(path)
    with pytest.raises(HouseLookError, match="cannot be read"):
        load_look(tmp_path / "missing.json")


def test_the_session_keeps_its_look_in_the_catalog(tmp_path):
    from session.people.house_look_store import HouseLookStore, session_look
    from session.store.session import create_session

    folder = create_session("Team day", root=tmp_path).folder
    assert session_look(folder) is None
    store = HouseLookStore(folder)
    store.set(HOUSE)
    store.set(replace(HOUSE, eye_line=0.34))       # another approved shot replaces it
    store.close()
    assert session_look(folder) == replace(HOUSE, eye_line=0.34)
    store = HouseLookStore(folder)
    store.set(None)
    store.close()
    assert session_look(folder) is None


def test_a_flawed_shot_is_refused_or_said_when_it_would_become_the_house_look():
    from session.people.house_look import look_flaws

    good = HouseLook(eye_line=0.38, face_height=0.31, head_roll_deg=1.0)
    assert look_flaws(good, ()) == ([], [])
    refused, _warned = look_flaws(good, ("eyes_closed",))
    assert refused == ["the eyes are closed"]
    leaning = HouseLook(eye_line=0.38, face_height=0.31, head_roll_deg=-5.2)
    assert look_flaws(leaning, ())[1] == [
        "the head leans 5° (every head would be aimed to lean the same way)"]
    tight = HouseLook(eye_line=0.22, face_height=0.36)
    assert look_flaws(tight, ("face_clipped",))[1] == [
        "the skin is clipped", "there is almost no room above the head"]
