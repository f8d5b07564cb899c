"""Camera-supplied names and strings end to end: whatever the camera calls a file (path
separators, "..", NUL, control and right-to-left characters, very long names, names that
collide after sanitising), ingest stores it inside the session folder, once, under a safe
name, and the catalog stays sound. Templates are either refused with a message or give safe
single-component names."""

from __future__ import annotations

import hashlib
import time
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from camera.types import CameraFile, CaptureTarget, DownloadedFile, DownloadedShot
from session.ingest.ingest import Ingester
from session.store.naming import TOKENS, NameFields, NameTemplate, TemplateError
from session.store.session import create_session
from tests.fuzz.tally import tried

PIECES = ["/", "\\", "..", "\0", "\u202e", "\u2066", "\u200b", "\n", "\r", ":", "*", "?",
          "con", "NUL", " ", ".", "../", "..\\", "~", "$HOME", "%s", "{seq}", "ext", "é", "日本"]
hostile = st.lists(st.one_of(st.characters(), st.sampled_from(PIECES)),
                   min_size=0, max_size=300).map("".join)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(hostile, min_size=1, max_size=3), hostile)
def test_hostile_camera_names_never_leave_the_session(tmp_path_factory, names, folder):
    root = tmp_path_factory.mktemp("hostile")
    session = create_session("Hostile", root=root / "sessions")
    files = []
    for name in names:
        tried("camera file names")
        data = hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest() * 8
        files.append(DownloadedFile(CameraFile(folder or "/", name), data,
                                    hashlib.sha256(data).hexdigest()))
    ingester = Ingester(session)
    try:
        shot = DownloadedShot(tuple(files), time.time(), folder, CaptureTarget.CARD, False)
        (result,) = ingester.submit(shot)
        assert len(result.paths) == len(files)
        for path, file in zip(result.paths, files, strict=True):
            assert path.parent == session.folder                  # nowhere else
            assert path.read_bytes() == file.data
            assert all(unicodedata.category(c)[0] != "C" for c in path.name)
            assert len(path.name.encode()) <= 130
        assert ingester.catalog.integrity_ok()
    finally:
        ingester.close()
    outside = [p for p in root.rglob("*") if p.is_file() and session.folder not in p.parents]
    assert outside == []


template_text = st.lists(st.one_of(
    st.sampled_from([f"{{{t}}}" for t in TOKENS] + ["{seq:04d}", "{seq:>9}", "{seq!r}",
                                                    "{", "}", "{{", "}}", "{nope}", "{seq:q}",
                                                    "/", "..", "\0", "_", "-", " "]),
    st.characters()), max_size=20).map("".join)


@settings(max_examples=600, deadline=None)
@given(template_text, hostile, st.integers(0, 10**9))
@example("{seq}\ud800", "", 0)          # a lone surrogate once crashed the validator (CI run)
def test_templates_are_refused_with_a_message_or_give_safe_names(text, camera, seq):
    tried("naming templates")
    try:
        template = NameTemplate(text)
    except TemplateError as exc:
        assert len(str(exc)) > 20                                  # says why
        return
    name = template.render(NameFields(camera, seq, 1.7e9, camera, camera, "jpg"))
    assert name and "/" not in name and "\\" not in name and "\0" not in name
    assert name not in (".", "..") and not name.startswith(".")
