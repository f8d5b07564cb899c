"""Issue 22, case 12: house-look files that are huge, deeply nested, or hold absurd values are
refused naming the file (never a traceback), and ``deliver`` exits 2 for them."""

from __future__ import annotations

import json

import pytest

from session.people.house_look import HouseLookError, load_look
from tests.adversarial.helpers import run_main
from tests.sample_session import make_session


def _look(**values: object) -> str:
    return json.dumps({"format": "catchlight-house-look", "version": 1, "eye_line": 0.38,
                       "face_height": 0.3, **values})


CASES = {
    "huge number": _look().replace('"eye_line": 0.38', '"eye_line": ' + "9" * 400),
    "deep nesting": '{"format": "catchlight-house-look", "eye_line": ' + "[" * 100000
                    + "]" * 100000 + "}",
    "tiny face": _look(face_height=1e-300),
    "absurd roll": _look(head_roll_deg=1e308),
    "absurd ratio": _look(lighting_ratio_stops=-40),
    "text for a number": _look(backdrop_ev="bright"),
    "megabytes": _look(source="x" * 2_000_000),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_house_look_is_refused_naming_the_file(tmp_path, case):
    path = tmp_path / f"{case}.json"
    path.write_text(CASES[case], encoding="utf-8")
    with pytest.raises(HouseLookError) as refused:
        load_look(path)
    assert str(path) in str(refused.value)
    assert len(str(refused.value)) < 300                       # a sentence, not the file


def test_deliver_exits_2_for_a_hostile_house_look(tmp_path):
    folder = tmp_path / "Day"
    make_session(folder, 2)
    path = tmp_path / "look.json"
    path.write_text(CASES["deep nesting"], encoding="utf-8")
    done = run_main("deliver", str(folder), "--to", str(tmp_path / "out"), "--house-look",
                    str(path), timeout=300)
    assert done.returncode == 2, done.stderr
    assert str(path) in done.stderr and "Traceback" not in done.stderr
