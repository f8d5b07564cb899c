"""Run in its own process (VCAMERADIR must be set before gphoto2 is imported): exercises the
gphoto2 backend and the worker against libgphoto2's virtual camera and prints one JSON object
with what it observed. Driven by tests/test_gphoto2_vcamera.py."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from camera.errors import NoLiveView  # noqa: E402
from camera.libgphoto2.gphoto2_backend import Gphoto2Backend  # noqa: E402
from camera.owner.listener import FanOut  # noqa: E402
from camera.owner.worker import CameraWorker  # noqa: E402
from coaching.cli.shoot import session_at  # noqa: E402
from session.ingest.ingest_worker import IngestWorker  # noqa: E402
from tests.helpers import Recorder, wait_until  # noqa: E402


def main(session_dir: str) -> None:
    out: dict = {}
    backend = Gphoto2Backend()
    cameras = backend.list_cameras()
    out["cameras"] = [[c.model, c.port] for c in cameras]
    port = cameras[0].port
    backend.open(port)
    summary = backend.summary()
    out["summary"] = {"model": summary.model, "serial": summary.serial,
                      "battery": summary.battery, "free": summary.free_bytes}
    settings = {s.key: s for s in backend.settings()}
    out["settings"] = {k: [s.name, s.value, list(s.choices)] for k, s in settings.items()}
    target = [c for c in settings["aperture"].choices if c != settings["aperture"].value][-1]
    out["aperture_set"] = [target, backend.set_setting("aperture", target).value]
    out["aperture_reread"] = {s.key: s.value for s in backend.settings()}["aperture"]
    try:
        backend.start_live_view()
        backend.capture_preview()
        out["live_view"] = "frame"
    except NoLiveView as exc:
        out["live_view"] = str(exc)
    backend.close()

    # The worker: remote capture, a body-button shot, verified ingest.
    session = session_at(Path(session_dir))
    rec, stored = Recorder(), []
    worker: CameraWorker

    def on_stored(result):
        stored.append([str(p) for p in result.paths])
        worker.release_stored(result.shot)

    ingest = IngestWorker(session, on_stored, lambda m, n: rec.on_problem(m, "error"))
    worker = CameraWorker(backend, port, FanOut(ingest, rec))
    ingest.start()
    worker.start()
    try:
        wait_until(lambda: rec.connected, 20, "connect")
        worker.start_live_view()
        wait_until(lambda: rec.no_live_view, 20, "no live view answer")
        t0 = time.monotonic()
        worker.capture()
        wait_until(lambda: len(stored) == 1, 20, "remote capture stored")
        out["remote_capture_s"] = time.monotonic() - t0
        worker._post(backend.trigger_capture)  # the shutter button pressed on the body
        wait_until(lambda: len(stored) == 2, 20, "body-button shot stored")
        out["from_body_button"] = [s.from_body_button for s in rec.shots]
        out["shots"] = [[f.source.path, f.sha256, len(f.data)] for s in rec.shots
                        for f in s.files]
        out["stored"] = stored
        out["problems"] = rec.problems
    finally:
        worker.stop()
        ingest.stop()
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
