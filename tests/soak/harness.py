"""The soak: many captures through the real camera worker and ingest thread while the
simulated camera and the disk misbehave (busy answers, cable pulls, truncated and damaged
transfers, slow writes, bursts of "disk full", RAW+JPEG pairs, body-button shots during live
view), the session folder holds what real folders hold (a Latin-1 file name, a dangling link
and a folder at future shot names, a foreign sidecar, another process's temporary file, files
copied in while shooting) and other processes try to shoot into the same session. Afterwards
every file the camera produced must be in the session exactly once, byte-identical,
catalogued and backed up, with no temporary file of ours left and a sound catalog; every
foreign file must be untouched and every second writer refused.

Plain threading; ``run_soak`` blocks the calling thread for the whole soak.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from camera.owner.listener import CameraListener
from camera.owner.worker import WorkerOptions
from camera.simulated.faults import FaultPlan
from camera.simulated.simulated_backend import SimulatedBackend
from camera.simulated.simulated_camera import SimulatedCamera
from camera.types import DownloadedShot
from session.ingest.tether import Tether
from session.store.catalog import Catalog
from session.store.session import create_session
from session.store.storage import HOST_TAG, TEMP_PREFIX, TEMP_SUFFIX, sha256_of_file
from tests.soak.disk_faults import DiskFaults

IMAGE_SUFFIXES = (".jpg", ".nef")


@dataclass
class SoakConfig:
    captures: int = 1000
    seed: int = 1
    busy_rate: float = 0.10
    disconnect_rate: float = 0.02
    truncate_rate: float = 0.01
    corrupt_rate: float = 0.01
    slow_disk_rate: float = 0.05
    slow_disk_s: float = 0.03
    disk_full_rate: float = 0.004        # a burst of ENOSPC starts at this rate per capture
    disk_full_writes: int = 12
    body_button_rate: float = 0.15
    raw_jpeg_every: int = 40             # switch JPEG <-> RAW+JPEG every N captures
    in_flight: int = 4                   # the photographer does not outrun the camera by more
    foreign_files: bool = True           # what real folders hold, before and during the shoot
    second_writers: int = 2              # other processes trying to shoot into the session


@dataclass
class SoakReport:
    produced: int = 0
    stored: int = 0
    lost: int = 0
    duplicated: int = 0
    unbacked: int = 0
    temp_files: int = 0
    catalog_ok: bool = False
    foreign_changed: int = 0             # foreign files changed or removed (must be 0)
    second_writer_admitted: int = 0      # other processes let in as writers (must be 0)
    faults: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return (self.lost == 0 and self.duplicated == 0 and self.unbacked == 0
                and self.temp_files == 0 and self.catalog_ok and self.produced > 0
                and self.foreign_changed == 0 and self.second_writer_admitted == 0)

    def line(self) -> str:
        faults = ",".join(f"{k}:{v}" for k, v in sorted(self.faults.items()))
        return (f"produced={self.produced} stored={self.stored} lost={self.lost} "
                f"duplicated={self.duplicated} foreign_changed={self.foreign_changed} "
                f"second_writer_admitted={self.second_writer_admitted} faults={faults}")


SECOND_WRITER = """
import sys
from pathlib import Path
from session.ingest.ingest import Ingester
from session.store.session import open_session
from session.store.session_lock import SessionBusy
try:
    Ingester(open_session(Path(sys.argv[1]))).close()
    print("admitted")
except SessionBusy:
    print("refused")
"""


class ForeignFiles:
    """What real folders hold, planted in the session folder; checked untouched at the end."""

    def __init__(self, folder: Path, template: str) -> None:
        self.folder = folder
        self.template = template
        self.files: dict[str, bytes] = {}
        self.links: dict[str, str] = {}
        self.planted = 0
        self._sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def plant_before(self) -> None:
        self._file(os.fsdecode(b"Portr\xe4t.jpg"), b"\xff\xd8 a Latin-1 name \xff\xd9")
        self._file(f"{self.template}_0004.xmp", b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
        self._file(f"{TEMP_PREFIX}{HOST_TAG}-{self._sleeper.pid}-live{TEMP_SUFFIX}",
                   b"another live process is writing this")
        link = self.folder / f"{self.template}_0003.jpg"
        link.symlink_to(self.folder / "nowhere.jpg")
        self.links[link.name] = str(self.folder / "nowhere.jpg")
        (self.folder / f"{self.template}_0006.jpg").mkdir()
        self.planted += 2

    def plant_during(self, index: int) -> None:
        self._file(f"IMG_{index:04d}.JPG", b"\xff\xd8 copied in from a card reader " +
                   str(index).encode() + b"\xff\xd9")

    def _file(self, name: str, data: bytes) -> None:
        (self.folder / name).write_bytes(data)
        self.files[name] = data
        self.planted += 1

    def changed(self) -> int:
        self._sleeper.kill()
        self._sleeper.wait()
        bad = sum(1 for name, data in self.files.items()
                  if not (self.folder / name).is_file() or (self.folder / name).read_bytes()
                  != data)
        bad += sum(1 for name, target in self.links.items()
                   if not os.path.islink(self.folder / name)
                   or os.readlink(self.folder / name) != target)
        return bad + (0 if (self.folder / f"{self.template}_0006.jpg").is_dir() else 1)


class _Counter(CameraListener):
    def __init__(self) -> None:
        self.shots = 0
        self.lost = 0
        self.problems: list[str] = []
        self.connected = threading.Event()

    def on_connected(self, *args: object) -> None:
        self.connected.set()

    def on_shot(self, shot: DownloadedShot) -> None:
        self.shots += 1

    def on_lost(self, message: str) -> None:
        self.lost += 1
        self.connected.clear()

    def on_problem(self, message: str, severity: str) -> None:
        self.problems.append(message)


def run_soak(config: SoakConfig, root: Path) -> SoakReport:
    rng = random.Random(config.seed)
    faults = FaultPlan(busy_rate=config.busy_rate, truncate_rate=config.truncate_rate,
                       corrupt_rate=config.corrupt_rate, seed=config.seed)
    camera = SimulatedCamera(fps=30, live_size=(320, 214), capture_size=(480, 320),
                             faults=faults, raw_payload_bytes=48 * 1024)
    session = create_session("Soak", root=root / "sessions", backup_root=root / "backup")
    stored_files = Counter[str]()
    lock = threading.Lock()
    listener = _Counter()

    def on_stored(result) -> None:  # type: ignore[no-untyped-def]
        with lock:
            for file in result.shot.files:
                stored_files[file.source.path] += 0 if result.already_stored else 1

    tether = Tether(SimulatedBackend(camera), camera.port, session, listener, on_stored,
                    options=WorkerOptions(reconnect_interval_s=0.05, idle_poll_ms=10,
                                          download_attempts=3), retry_interval_s=0.2)
    worker, ingest = tether.worker, tether.ingest
    extra = Counter[str]()
    foreign = ForeignFiles(session.folder, "Soak")
    if config.foreign_files:
        foreign.plant_before()
    writers: list[subprocess.Popen] = []
    writer_at = {config.captures * (i + 1) // (config.second_writers + 1)
                 for i in range(config.second_writers)}
    start = time.monotonic()
    with DiskFaults(config.seed, config.slow_disk_rate, config.slow_disk_s) as disk:
        tether.start()
        listener.connected.wait(10)
        worker.start_live_view()
        raw = False
        for index in range(config.captures):
            if config.raw_jpeg_every and index and index % config.raw_jpeg_every == 0:
                raw = not raw
                worker.set_setting("imageformat", "RAW + JPEG Fine" if raw else "JPEG Fine")
                extra["format_switches"] += 1
            _wait(lambda: camera.pressed - listener.shots <= config.in_flight, 20)
            if rng.random() < config.body_button_rate:
                camera.press_shutter_button()     # the body fires whether or not we listen
                extra["body_button"] += 1
            else:
                listener.connected.wait(10)       # the banner says the camera is back
                before = (camera.pressed, len(listener.problems), listener.lost)
                worker.capture()                  # fired, or refused with a message
                _wait(lambda b=before: (camera.pressed, len(listener.problems),
                                        listener.lost) != b, 5)
            if rng.random() < config.disk_full_rate:
                disk.disk_full_for(config.disk_full_writes)
            if index in writer_at:
                writers.append(subprocess.Popen(
                    [sys.executable, "-c", SECOND_WRITER, str(session.folder)],
                    cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, text=True))
            if config.foreign_files and index % 50 == 25:
                foreign.plant_during(index)
            if rng.random() < config.disconnect_rate:
                time.sleep(rng.uniform(0.0, 0.05))
                camera.unplug()
                extra["disconnect"] += 1
                time.sleep(rng.uniform(0.05, 0.3))
                camera.replug()
        _wait(lambda: camera.processed == camera.pressed, 60)
        produced_paths = lambda: {f.file.path for f in camera.produced}  # noqa: E731
        _wait(lambda: len(produced_paths() - set(stored_files)) == 0
              and ingest.waiting == 0, 120)
        tether.stop()
    camera.shutdown()
    answers = [w.communicate(timeout=60)[0].strip() for w in writers]
    report = _verify(camera, session.folder, session.backup_folder, stored_files)
    report.foreign_changed = foreign.changed()
    report.second_writer_admitted = sum(1 for a in answers if a != "refused")
    if writers:
        extra["second_writers_refused"] = sum(1 for a in answers if a == "refused")
    if foreign.planted:
        extra["foreign_files"] = foreign.planted
    report.seconds = time.monotonic() - start
    report.faults = {**{k: v for k, v in faults.fired.items() if v},
                     **{k: v for k, v in disk.fired.items() if v}, **dict(extra),
                     "raw_jpeg_pairs": sum(1 for f in camera.produced
                                           if f.file.name.lower().endswith(".nef"))}
    report.problems = listener.problems[-5:]
    return report


def _wait(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def _verify(camera: SimulatedCamera, folder: Path, backup: Path | None,
            stored_files: Counter[str]) -> SoakReport:
    report = SoakReport(produced=len(camera.produced))
    in_folder = Counter(sha256_of_file(p) for p in folder.iterdir()
                        if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
                        and not p.is_symlink())
    in_backup = Counter(sha256_of_file(p) for p in backup.iterdir()
                        if p.suffix.lower() in IMAGE_SUFFIXES) if backup else Counter()
    catalog = Catalog(folder)
    try:
        files = [f for shot in catalog.shots() for f in shot.files]
        report.catalog_ok = catalog.integrity_ok()
    finally:
        catalog.close()
    catalogued = Counter(f.sha256 for f in files)
    backed = {f.sha256 for f in files if f.backup_path}
    for produced in camera.produced:
        sha = produced.sha256
        if in_folder[sha] >= 1 and catalogued[sha] >= 1:
            report.stored += 1
        else:
            report.lost += 1
        if sha not in backed or in_backup[sha] < 1:
            report.unbacked += 1
    report.duplicated = (sum(n - 1 for n in in_folder.values() if n > 1)
                         + sum(n - 1 for n in catalogued.values() if n > 1))
    report.temp_files = sum(1 for base in (folder, backup) if base
                            for p in base.iterdir() if p.name.startswith(TEMP_PREFIX)
                            and "-live" not in p.name)        # not the foreign one
    return report
