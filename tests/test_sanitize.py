"""The one sanitiser, by properties: whatever a camera calls a file, the result is a single,
bounded, printable path component."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from session.store.naming import NameFields, NameTemplate
from session.store.sanitize import safe_component, split_camera_name

hostile_text = st.lists(
    st.one_of(st.characters(), st.sampled_from(
        ["/", "\\", "..", "\0", "\u202e", "\u200b", "\n", ":", "*", "con", " ", ".", "../"])),
    max_size=200).map("".join)


@settings(max_examples=400)
@given(hostile_text)
def test_safe_component_is_one_short_printable_component(text):
    name = safe_component(text)
    assert name and name not in (".", "..")
    assert "/" not in name and "\\" not in name and "\0" not in name
    assert len(name.encode("utf-8")) <= 120
    assert all(unicodedata.category(ch)[0] != "C" for ch in name)
    assert not name.startswith((".", " ")) and not name.endswith((".", " "))


@settings(max_examples=300)
@given(hostile_text, st.integers(min_value=1, max_value=10**6))
def test_rendered_names_stay_single_components(camera_name, seq):
    stem, ext = split_camera_name(camera_name)
    for template in ("{orig}_{seq:04d}", "{session}-{camera}-{seq}.{ext}", "{date}_{seq}"):
        name = NameTemplate(template).render(NameFields(camera_name, seq, 1.7e9, camera_name,
                                                        stem, ext))
        assert "/" not in name and "\0" not in name and name not in (".", "..")
        assert not name.startswith(".")
