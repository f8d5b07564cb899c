"""One capture pipeline: a new capture is decoded once per size (the views' display size and
the models' analysis size, as `analyze` decodes it) and looked at once by the face model, and
every view (review pane, filmstrip tile, client screen, the review window's loupe) and the
stored flags take that one decode and that one answer. Full resolution only when asked
for."""

from __future__ import annotations

import sys

import pytest

from coaching.landmarking.analysis_process import AnalysisProcess
from coaching.landmarking.landmarks import Landmarkers
from coaching.stills.analysis import ANALYSIS_EDGE
from media.decode import previews
from session.store.analysis_store import AnalysisStore


@pytest.fixture
def counted(monkeypatch):
    """Counts every display-scale decode (wherever it is called from) and every face
    inference of an IMAGE-mode landmarker (the pipeline's; the live coach's is VIDEO), here
    or asked of the stills analysis process."""
    decodes: list[tuple[str, tuple[int, int]]] = []
    faces: list[str] = []
    original = previews.decode_for_display

    def decode(path, target):  # type: ignore[no-untyped-def]
        decodes.append((path.name, tuple(target)))
        return original(path, target)

    for module in list(sys.modules.values()):
        if getattr(module, "decode_for_display", None) is original:
            monkeypatch.setattr(module, "decode_for_display", decode)
    real_faces = Landmarkers._faces

    def count_faces(self, image, timestamp_ms):  # type: ignore[no-untyped-def]
        if not self.video:
            faces.append("face")
        return real_faces(self, image, timestamp_ms)

    monkeypatch.setattr(Landmarkers, "_faces", count_faces)
    real_ask = AnalysisProcess.ask

    def count_asks(self, rgb, timestamp_ms, want_faces, pose):  # type: ignore[no-untyped-def]
        if want_faces and self.kind == "stills":         # the analysis process's models
            faces.append("face")
        return real_ask(self, rgb, timestamp_ms, want_faces, pose)

    monkeypatch.setattr(AnalysisProcess, "ask", count_asks)
    return decodes, faces


def test_a_capture_is_decoded_once_and_its_face_inferred_once(app_factory, qtbot, counted):
    decodes, faces = counted
    app = app_factory(session="Once", analyse=True)
    app.client.open()
    qtbot.waitUntil(lambda: app.client.client.isVisible(), timeout=3000)
    app.parts.capture.client_size = (1920, 1200)   # a client screen larger than the models'
    with qtbot.waitSignal(app.parts.capture.capture_analysed, timeout=30000) as analysed:
        app.controller.capture()
    key = analysed.args[0].key
    qtbot.waitUntil(lambda: app.window.review.final, timeout=5000)         # the pane shows it
    qtbot.waitUntil(lambda: app.client.client.shown_path.endswith(key), timeout=5000)
    # One decode per size: the views' and the models' (as `analyze` decodes a file) ...
    assert [name for name, _target in decodes] == [key, key]
    targets = {t for _name, t in decodes}
    assert len(targets) == 2 and (ANALYSIS_EDGE, ANALYSIS_EDGE) in targets
    (display,) = targets - {(ANALYSIS_EDGE, ANALYSIS_EDGE)}
    assert ANALYSIS_EDGE <= display[0] <= 4000     # ... at display scale, not full resolution
    assert faces == ["face"]                                            # one face inference
    flags = analysed.args[0].result.flags
    assert app.model.shot(key).flags == flags                          # one set of flags
    store = AnalysisStore(app.session.folder)
    assert tuple(store.flags()[key]) == flags
    store.close()
    qtbot.waitUntil(lambda: app.window.filmstrip_model.has_tile(app.session.folder / key),
                    timeout=3000)                 # the filmstrip tile, from the same decode
    assert len(decodes) == 2

    # The review window opened on the session: the loupe shows the new capture from the same
    # decode (the picture cache the pipeline filled), not a second one.
    app.parts.review.review_current()
    review = app.parts.review.review
    assert review is not None
    controller = review.controller
    qtbot.waitUntil(lambda: controller.model is not None
                    and controller.model.rowCount() == 1, timeout=10000)
    with qtbot.waitSignal(controller.panel_shown, timeout=10000) as shown_in_loupe:
        review.window.grid.go_to(0)
        controller.set_mode("loupe")
    assert shown_in_loupe.args == [str(app.session.folder / key), False]
    assert len(decodes) == 2
    review.window.close()



def test_every_view_has_the_picture_before_the_verdict_arrives(tmp_path):
    """The client's screen shows (or holds back) a capture when it hears the face model's
    verdict; the pipeline hands the capture's picture first, even when the picture is slow
    to make (here: slower than the verdict, on the helper thread)."""
    import threading
    import time

    from PIL import Image

    from coaching.measure.profiles import load_profiles
    from coaching.stills.capture_pipeline import CapturePipeline

    heard: list[tuple[str, str]] = []
    done = threading.Event()

    class SlowPictures:
        def decoded(self, capture):  # type: ignore[no-untyped-def]
            if not capture.preview:
                time.sleep(0.3)                   # slower than the face model's first look
                heard.append(("picture", capture.key))

        def checked(self, capture):  # type: ignore[no-untyped-def]
            heard.append(("verdict", capture.key))

        def analysed(self, capture):  # type: ignore[no-untyped-def]
            if capture.key == "b.jpg":
                done.set()

        def problem(self, message):  # type: ignore[no-untyped-def]
            heard.append(("problem", message))

    for name in ("a.jpg", "b.jpg"):
        Image.open("resources/demo/astronaut.png").convert("RGB").save(tmp_path / name)
    pipeline = CapturePipeline(load_profiles().get(None), SlowPictures())
    pipeline.start()
    try:
        pipeline.submit(tmp_path, "a.jpg")
        pipeline.submit(tmp_path, "b.jpg")
        assert done.wait(120)
    finally:
        pipeline.stop()
    assert heard == [("picture", "a.jpg"), ("verdict", "a.jpg"),
                     ("picture", "b.jpg"), ("verdict", "b.jpg")]
