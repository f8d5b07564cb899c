"""Data written by others: style profiles (any JSON, or not JSON at all) and XMP sidecars
(mutated, truncated, foreign) are read without a crash; what cannot be used is reported in a
sentence and the built-in or catalogued values stay in force."""

from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coaching.measure.cues import evaluate_once
from coaching.measure.measurements import Measurements
from coaching.measure.profiles import RANGE_KEYS, load_profiles, parse_profiles
from session.culling.culling import Culler
from session.culling.xmp_sidecar import CullMarks, SidecarUnreadable, read_sidecar, write_sidecar
from tests.fuzz.tally import tried

json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from([*RANGE_KEYS, "profiles", "version", "description", "Corporate",
                         "gaze_at_lens_min", "x"]) | st.text(max_size=8), inner, max_size=6),
    max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_any_profiles_file_loads_with_reported_problems(value):
    tried("style profiles")
    text = json.dumps(value) if random.random() < 0.9 else json.dumps(value)[:-3]
    profiles = parse_profiles(text, load_profiles(Path("/nonexistent")), "profiles.json")
    assert profiles.profiles                                    # always usable
    assert all(isinstance(p, str) and p for p in profiles.problems)
    profile = profiles.get(None)
    for key in RANGE_KEYS:
        low, high = profile.range(key)
        assert low <= high
    evaluate_once(Measurements(head_roll_deg=12.0, smile=0.1, eye_line=0.5), profile, None)


VALID = None


def valid_sidecar(tmp: Path) -> bytes:
    """A sidecar as Catchlight writes it from scratch (not merged into an earlier one)."""
    folder = tmp / "fresh"
    folder.mkdir(exist_ok=True)
    original = folder / "x.jpg"
    original.with_suffix(".xmp").unlink(missing_ok=True)
    write_sidecar(original, CullMarks(4, "Red", 1), 'Anna <&> "Smith"')
    return original.with_suffix(".xmp").read_bytes()


@settings(max_examples=500, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_and_foreign_sidecars_never_crash(tmp_path, data):
    tried("XMP sidecars")
    base = valid_sidecar(tmp_path)
    kind = data.draw(st.sampled_from(["flip", "truncate", "insert", "random", "foreign"]))
    raw = bytearray(base)
    if kind == "flip":
        for _ in range(data.draw(st.integers(1, 20))):
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    elif kind == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif kind == "insert":
        at = data.draw(st.integers(0, len(raw)))
        raw[at:at] = data.draw(st.sampled_from(
            [b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"&a;", b"\0", b"<x:Rating>9</x:Rating>",
             b'xmp:Rating="-7"', b'xmp:Label="' + b"A" * 5000 + b'"', b"]]>", b"<![CDATA["]))
    elif kind == "random":
        raw = bytearray(data.draw(st.binary(max_size=2000)))
    else:
        raw = bytearray(data.draw(st.sampled_from([
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
            b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
            b'><xmp:Rating>3</xmp:Rating><xmp:Label>Green</xmp:Label></rdf:Description>'
            b'</rdf:RDF></x:xmpmeta>',
            b'<?xpacket begin="\xef\xbb\xbf"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>',
            b"\xef\xbb\xbf" + base])))
    (tmp_path / "x.xmp").write_bytes(bytes(raw))
    try:
        marks = read_sidecar(tmp_path / "x.jpg")
    except SidecarUnreadable as exc:
        assert "x.xmp" in str(exc)
        return
    if marks is not None:
        assert -1 <= marks.rating <= 5 and marks.pick in (-1, 0, 1)
        assert len(marks.label) <= 64


def test_a_session_full_of_damaged_sidecars_opens(tmp_path):
    rng = random.Random(4)
    base = valid_sidecar(tmp_path)
    originals = {}
    for i in range(60):
        tried("XMP sidecars")
        original = tmp_path / f"s{i}.jpg"
        original.write_bytes(b"\xff\xd8\xff\xd9")
        raw = bytearray(base)
        for _ in range(rng.randint(1, 30)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        original.with_suffix(".xmp").write_bytes(bytes(raw[: rng.randint(0, len(raw))]))
        originals[original.name] = original
    culler = Culler(tmp_path, "S", originals)
    try:
        assert all(isinstance(p, str) for p in culler.problems)
        culler.press("s0.jpg", "5")                        # still works, writes a good one
        assert read_sidecar(tmp_path / "s0.jpg").rating == 5
    finally:
        culler.close()
