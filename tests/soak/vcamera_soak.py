"""The soak's subset that libgphoto2's virtual camera supports: remote captures through the
real gphoto2 backend, worker and ingest, with the disk misbehaving (slow writes, bursts of
"disk full"); afterwards every file the camera made is in the session exactly once and
byte-identical. (The virtual camera answers -1 from the 27th capture of a connection, and
reopening it resets its files, so one run is at most 26 captures; faults inside libgphoto2
cannot be injected.) Run in its own process (VCAMERADIR must be set before gphoto2 is imported):

    VCAMERADIR=<folder with one JPEG> python tests/soak/vcamera_soak.py SESSION_ROOT N
Prints the soak's closing line; exit 1 on any loss or duplicate.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from camera.libgphoto2.gphoto2_backend import Gphoto2Backend  # noqa: E402
from camera.owner.listener import CameraListener  # noqa: E402
from camera.owner.worker import WorkerOptions  # noqa: E402
from session.ingest.tether import Tether  # noqa: E402
from session.store.catalog import Catalog  # noqa: E402
from session.store.session import create_session  # noqa: E402
from session.store.storage import TEMP_PREFIX, sha256_of_file  # noqa: E402
from tests.soak.disk_faults import DiskFaults  # noqa: E402


class Connected(CameraListener):
    def __init__(self) -> None:
        self.event = threading.Event()
        self.shots = 0

    def on_connected(self, *args: object) -> None:
        self.event.set()

    def on_shot(self, shot: object) -> None:
        self.shots += 1

    def on_problem(self, message: str, severity: str) -> None:
        print(f"{severity}: {message}", file=sys.stderr)


def main(root: Path, captures: int) -> int:
    source = next(Path(os.environ["VCAMERADIR"]).glob("*.jpg"))
    source_sha = hashlib.sha256(source.read_bytes()).hexdigest()
    backend = Gphoto2Backend()
    port = backend.list_cameras()[0].port
    backend.open(port)
    before = {f.path for f in backend.list_files()}
    backend.close()
    session = create_session("VSoak", root=root)
    stored: Counter[str] = Counter()
    listener = Connected()

    def on_stored(result) -> None:  # type: ignore[no-untyped-def]
        for file in result.shot.files:
            stored[file.source.path] += 0 if result.already_stored else 1

    tether = Tether(backend, port, session, listener, on_stored,
                    options=WorkerOptions(reconnect_interval_s=0.1), retry_interval_s=0.2)
    worker, ingest = tether.worker, tether.ingest
    rng = random.Random(5)
    with DiskFaults(5, slow_rate=0.1, slow_s=0.03) as disk:
        tether.start()
        listener.event.wait(20)
        for index in range(captures):
            worker.capture()
            if rng.random() < 0.08:
                disk.disk_full_for(4)
            deadline = time.monotonic() + 20
            while listener.shots < index + 1 and time.monotonic() < deadline:
                time.sleep(0.005)
        deadline = time.monotonic() + 60
        while (sum(stored.values()) < listener.shots or ingest.waiting) and \
                time.monotonic() < deadline:
            time.sleep(0.01)
        # The virtual camera's files live only as long as its connection: list them on the
        # camera thread, through the worker, before it closes.
        listed: list[str] = []
        worker._post(lambda: listed.extend(f.path for f in backend.list_files()))
        deadline = time.monotonic() + 20
        while not listed and time.monotonic() < deadline:
            time.sleep(0.01)
        tether.stop()
    made = set(listed) - before
    catalog = Catalog(session.folder)
    files = [f for shot in catalog.shots() for f in shot.files]
    ok = catalog.integrity_ok()
    catalog.close()
    by_path = Counter(f.camera_path for f in files)
    lost = sum(1 for path in made if by_path[path] == 0)
    duplicated = sum(n - 1 for n in by_path.values() if n > 1)
    wrong = sum(1 for f in files if f.sha256 != source_sha
                or sha256_of_file(session.folder / f.name) != source_sha)
    temps = sum(1 for p in session.folder.iterdir() if p.name.startswith(TEMP_PREFIX))
    faults = ",".join(f"{k}:{v}" for k, v in sorted(disk.fired.items()) if v)
    print(f"catalog integrity {'ok' if ok else 'BAD'}; files differing from the camera's "
          f"{wrong}; temporary files left {temps}")
    print(f"produced={len(made)} stored={len(made) - lost} lost={lost} duplicated={duplicated} "
          f"faults={faults}")
    return 0 if made and not (lost or duplicated or wrong or temps) and ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2])))
