"""A shoot that the crash test kills with SIGKILL at a random moment: the real camera worker
and ingest thread, the demo camera with its card kept in a folder (so the card outlives the
process, as a real camera's does), slow writes so that kills land inside writes too.

    python tests/crash/crash_child.py SESSION CARD shoot SEED   # shoots until killed
    python tests/crash/crash_child.py SESSION CARD settle 0     # catch up, then exit 0
Prints one line per event: "opened <repair message>", "stored <name>", "settled".
"""

from __future__ import annotations

import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from camera.owner.listener import CameraListener  # noqa: E402
from camera.owner.worker import WorkerOptions  # noqa: E402
from camera.simulated.simulated_backend import SimulatedBackend  # noqa: E402
from camera.simulated.simulated_camera import SimulatedCamera  # noqa: E402
from coaching.cli.shoot import session_at  # noqa: E402
from session.ingest.tether import Tether  # noqa: E402
from tests.soak.disk_faults import DiskFaults  # noqa: E402


class Events(CameraListener):
    def __init__(self) -> None:
        self.connected = threading.Event()
        self.last_shot = time.monotonic()

    def on_connected(self, *args: object) -> None:
        self.connected.set()

    def on_shot(self, shot: object) -> None:
        self.last_shot = time.monotonic()


def say(text: str) -> None:
    print(text, flush=True)


def main(session_dir: Path, card: Path, mode: str, seed: int) -> int:
    camera = SimulatedCamera(capture_size=(900, 600), card_dir=card, raw_payload_bytes=96_000)
    session = session_at(session_dir, session_dir.parent / "backup")
    events = Events()

    def stored(result) -> None:  # type: ignore[no-untyped-def]
        for path in result.paths:
            say(f"stored {path.name}")

    tether = Tether(SimulatedBackend(camera), camera.port, session, events, stored,
                    lambda message, _waiting: say(f"failed {message}"),
                    lambda report, _shots: say(f"opened {report.message}"),
                    WorkerOptions(reconnect_interval_s=0.05, idle_poll_ms=10), 0.2)
    worker, ingest = tether.worker, tether.ingest
    rng = random.Random(seed)
    with DiskFaults(seed, slow_rate=0.5, slow_s=0.02):
        tether.start()
        events.connected.wait(10)
        if mode == "shoot":
            if rng.random() < 0.5:
                worker.set_setting("imageformat", "RAW + JPEG Fine")
            while True:                               # until SIGKILL
                if rng.random() < 0.3:
                    camera.press_shutter_button()
                else:
                    worker.capture()
                time.sleep(rng.uniform(0.02, 0.12))
        while time.monotonic() - events.last_shot < 1.5 or ingest.waiting:
            time.sleep(0.05)
        tether.stop()
    camera.shutdown()
    say("settled")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])))
