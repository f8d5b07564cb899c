"""The simulated camera device: a portrait that moves, real settings, a card and a RAM buffer,
a shutter button on the 'body', an image processor that takes time, and a USB plug to pull.

Pure Python. The device is shared between its backend (used on the camera worker thread) and
tests or the demo (any thread): all state is behind one lock. Captures are rendered and encoded
on the device's own processing thread, so FILE_ADDED arrives later, as on a real body.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from camera.simulated.faults import FaultPlan
from camera.simulated.sim_capture import CaptureRenderer
from camera.simulated.sim_files import (
    ExposureMeta,
    encode_jpeg,
    exif_tiff,
    raw_with_preview,
    splice_exif,
)
from camera.simulated.sim_processor import ProcessorGone, ProcessorProcess
from camera.simulated.sim_scene import (
    MOTION_PERIOD_S,
    Scene,
    exposure_gain,
    qr_card,
    with_card,
)
from camera.types import CameraEvent, CameraFile, EventKind

log = logging.getLogger(__name__)
SIM_MAKE = "Catchlight"
SIM_MODEL = "Catchlight Demo Camera"
SIM_PORT = "sim:demo"
CARD_FOLDER = "/store_00010001/DCIM/100CLDEM"
RAM_FOLDER = "/"

# widget name -> (choices, default); keys match camera.backend.SETTING_WIDGETS.
SIM_SETTINGS: dict[str, tuple[tuple[str, ...], str]] = {
    "iso": (("100", "200", "400", "800", "1600", "3200", "6400"), "100"),
    "f-number": (("f/1.8", "f/2", "f/2.8", "f/4", "f/5.6", "f/8", "f/11", "f/16"), "f/5.6"),
    "shutterspeed": (("1/30", "1/60", "1/125", "1/250", "1/500", "1/1000", "1/2000", "1/4000"),
                     "1/125"),
    "exposurecompensation": (("-2", "-1.7", "-1.3", "-1", "-0.7", "-0.3", "0", "0.3", "0.7",
                              "1", "1.3", "1.7", "2"), "0"),
    "whitebalance": (("Auto", "Daylight", "Shade", "Cloudy", "Tungsten", "Fluorescent",
                      "Flash"), "Auto"),
    "imageformat": (("JPEG Fine", "RAW", "RAW + JPEG Fine"), "JPEG Fine"),
    "capturetarget": (("Internal RAM", "Memory card"), "Memory card"),
    "focusmode": (("AF-S", "AF-C", "Manual"), "AF-S"),
}


def parse_shutter(text: str) -> float:
    if "/" in text:
        num, den = text.split("/", 1)
        return float(num) / float(den)
    return float(text.rstrip("s"))


@dataclass(frozen=True)
class ProducedFile:
    """What the camera produced, for tests that check nothing was lost."""

    file: CameraFile
    sha256: str
    size: int


class SimulatedCamera:
    """A demo camera. ``live_size`` frames at ``fps`` (768x512: a Canon's medium live-view
    size); captures at ``capture_size``."""

    def __init__(self, port: str = SIM_PORT, fps: float = 30.0,
                 live_size: tuple[int, int] = (768, 512),
                 capture_size: tuple[int, int] = (6000, 4000),
                 capture_delay_s: float = 0.0, portrait: Path | None = None,
                 faults: FaultPlan | None = None, serial: str = "CL000042",
                 card_dir: Path | None = None, raw_payload_bytes: int = 4 * 1024 * 1024,
                 blink_every: int = 0, strobes: bool = False,
                 processor_process: bool = False) -> None:
        """``card_dir``: keep the memory card in this folder, so it outlives our process (as
        a real camera's card outlives the app); ``raw_payload_bytes``: sensor data per RAW;
        ``blink_every``: the sitter blinks on every n-th capture and now and then on live
        view (0: never; the demo uses 7, tests that count shots on the client use 0);
        ``strobes``: a strobe studio: live view shows the dimmer, warmer modelling lamps and
        the captures the flash (the demo's); ``processor_process``: render and encode the
        captures in a child process, as a real body's processor is its own hardware (the demo
        and the benches; tests keep it on a thread, which starts no process)."""
        self.blink_every = blink_every
        self.strobes = strobes
        self.port = port
        self.fps = fps
        self.live_size = live_size
        self.capture_size = capture_size
        self.capture_delay_s = capture_delay_s
        self.serial = serial
        self.faults = faults or FaultPlan()
        self.scene = Scene(portrait, blinks=blink_every > 0)
        self._card: tuple[np.ndarray, float] | None = None   # a card held up, until when
        self._grey_card_until = 0.0
        self._processor_process = ProcessorProcess(
            self.scene, portrait, blinks=blink_every > 0) if processor_process else None
        self.renderer = CaptureRenderer(self.scene, maker=self._processor_process.make
                                        if self._processor_process is not None else None)
        self.values = {name: default for name, (_choices, default) in SIM_SETTINGS.items()}
        self._lock = threading.Condition()
        self._events: deque[CameraEvent] = deque()
        self._files: dict[str, bytes] = {}
        self._mtimes: dict[str, float] = {}
        self.drop_file_events = 0      # the next N shots send no FILE_ADDED (as some bodies)
        self._plugged = True
        self._counter = 0
        self.pressed = 0          # shutter presses, and how many the processor has finished
        self.processed = 0
        self._t0 = time.monotonic()
        self._next_frame = self._t0
        self._live_cache: dict[int, bytes] = {}
        self._cached_gain = 0.0
        self._processor = ThreadPoolExecutor(1, thread_name_prefix="sim-camera-processor")
        self.produced: list[ProducedFile] = []
        self.battery = "85%"
        self.free_bytes = 64 * 1024**3
        self.card_dir = card_dir
        self.raw_payload_bytes = raw_payload_bytes
        if card_dir is not None:
            self._load_card(card_dir)

    def _load_card(self, card_dir: Path) -> None:
        card_dir.mkdir(parents=True, exist_ok=True)
        for path in sorted(card_dir.glob("DSC_*.*")):
            self._files[f"{CARD_FOLDER}/{path.name}"] = path.read_bytes()
            self._mtimes[f"{CARD_FOLDER}/{path.name}"] = path.stat().st_mtime
            digits = path.stem.removeprefix("DSC_")
            if digits.isdigit():
                self._counter = max(self._counter, int(digits))

    def _keep_on_card(self, name: str, data: bytes) -> None:
        """The card file is complete before the camera announces it (write, then rename)."""
        if self.card_dir is not None:
            temp = self.card_dir / f".{name}.writing"
            temp.write_bytes(data)
            temp.replace(self.card_dir / name)

    def list_files(self) -> list[CameraFile]:
        """Every file with its size and time, as a card listing gives them."""
        with self._lock:
            found = []
            for path, data in self._files.items():
                folder, name = path.rsplit("/", 1) if path.count("/") > 1 else ("/", path[1:])
                found.append(CameraFile(folder, name, len(data), self._mtimes.get(path, 0.0)))
            return found

    # --- plugging -------------------------------------------------------------------------
    @property
    def plugged(self) -> bool:
        with self._lock:
            return self._plugged

    def unplug(self) -> None:
        """Pull the USB cable: every call fails with -52 until ``replug``; RAM is lost."""
        with self._lock:
            self._plugged = False
            for path in [p for p in self._files if p.startswith(RAM_FOLDER + "capt")]:
                del self._files[path]
            self._events.clear()
            self._lock.notify_all()

    def replug(self, port: str | None = None) -> None:
        """Plug back in: a new USB session, so events from while it was out are gone (as on
        a real body); the shots themselves are on the card."""
        with self._lock:
            self._plugged = True
            self._events.clear()
            if port:
                self.port = port

    def shutdown(self) -> None:
        self._processor.shutdown(wait=True)
        if self._processor_process is not None:
            self._processor_process.close()

    # --- settings -----------------------------------------------------------------------
    def exposure(self) -> ExposureMeta:
        return ExposureMeta(make=SIM_MAKE, model=SIM_MODEL, serial=self.serial,
                            taken_at=time.time(),
                            exposure_s=parse_shutter(self.values["shutterspeed"]),
                            f_number=float(self.values["f-number"].removeprefix("f/")),
                            iso=int(self.values["iso"]),
                            bias_ev=float(self.values["exposurecompensation"]))

    def gain(self) -> float:
        meta = self.exposure()
        return exposure_gain(meta.iso, meta.exposure_s, meta.f_number, meta.bias_ev)

    def turn_dial(self, name: str, value: str) -> None:
        """The photographer changes a setting on the body: the camera reports it the way
        libgphoto2 does ('PTP Property ... changed, "name" to "value"')."""
        with self._lock:
            self.values[name] = value
            self._events.append(CameraEvent(
                EventKind.OTHER, detail=f'PTP Property 0000d001 changed, "{name}" to "{value}"'))
            self._lock.notify_all()

    # --- live view ------------------------------------------------------------------------
    def live_jpeg(self) -> bytes:
        """Block until the next frame is due (the camera's own rate), then return it as JPEG.
        Frames are rendered once per exposure setting and replayed (the motion is periodic),
        so the simulated camera costs our process little CPU, like a real one."""
        with self._lock:
            now = time.monotonic()
            due = max(self._next_frame, now - 1.0 / self.fps)
            self._next_frame = due + 1.0 / self.fps
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        frames_per_loop = round(MOTION_PERIOD_S * self.fps)
        index = round((time.monotonic() - self._t0) * self.fps) % frames_per_loop
        gain = round(self.gain(), 3)
        if gain != self._cached_gain:
            self._live_cache, self._cached_gain = {}, gain
        if self.scene.grey_card:                              # never from the cache
            if time.monotonic() >= self._grey_card_until:
                self.scene.grey_card = False
                self._live_cache = {}
            width, height = self.live_size
            return encode_jpeg(self.scene.render(width, height, index / self.fps, gain,
                                                 modelling=self.strobes), 80)
        card = self._card
        if card is not None and time.monotonic() < card[1]:     # never from the cache
            width, height = self.live_size
            return encode_jpeg(with_card(self.scene.render(
                width, height, index / self.fps, gain, modelling=self.strobes), card[0]), 80)
        jpeg = self._live_cache.get(index)
        if jpeg is None:
            width, height = self.live_size
            rgb = self.scene.render(width, height, index / self.fps, gain,
                                    modelling=self.strobes)
            jpeg = encode_jpeg(rgb, 80)
            self._live_cache[index] = jpeg
        return jpeg

    def hold_up_card(self, code: str, seconds: float = 4.0) -> None:
        """The next sitter sits down and holds a printed QR card with ``code`` up to the camera
        for ``seconds`` (on live view: so a headshot day's card switching can be tried on the
        demo). Any thread."""
        self.scene.next_sitter()
        self._live_cache = {}
        self._card = (qr_card(code), time.monotonic() + seconds)

    def hold_up_grey_card(self, seconds: float = 6.0) -> None:
        """The sitter holds a grey card up in the centre of the frame for ``seconds``, under
        the day's light (live view and captures show it), so the colour reference can be
        tried on the demo. Any thread."""
        self._grey_card_until = time.monotonic() + seconds
        self.scene.grey_card = True

    # --- capture ------------------------------------------------------------------------
    def press_shutter_button(self) -> None:
        """The photographer presses the shutter on the body (also used by trigger_capture)."""
        with self._lock:
            self._counter += 1
            self.pressed += 1
            number = self._counter
            t = time.monotonic() - self._t0
            meta, fmt, target = self.exposure(), self.values["imageformat"], \
                self.values["capturetarget"]
        self._processor.submit(self._process, number, t, meta, fmt, target)

    def _process(self, number: int, t: float, meta: ExposureMeta, fmt: str, target: str) -> None:
        try:
            self._make_files(number, t, meta, fmt, target)
        except ProcessorGone as exc:        # as a body that failed to write: no file, said
            log.warning("demo camera: shot %d was not made: %s", number, exc)
        finally:
            with self._lock:
                self.processed += 1

    def _make_files(self, number: int, t: float, meta: ExposureMeta, fmt: str,
                    target: str) -> None:
        if self.capture_delay_s:
            time.sleep(self.capture_delay_s)
        meta = replace(meta, number=number)
        blink = bool(self.blink_every) and number % self.blink_every == 0
        rendered = self.renderer.render(t, exposure_gain(
            meta.iso, meta.exposure_s, meta.f_number, meta.bias_ev), self.capture_size, blink)
        width, height = rendered.width, rendered.height
        outputs: list[tuple[str, bytes]] = []
        if "RAW" in fmt:
            payload = np.random.default_rng(number).bytes(self.raw_payload_bytes)
            outputs.append(("nef", raw_with_preview(rendered.preview, width, height, meta,
                                                    payload)))
        if "JPEG" in fmt:
            outputs.append(("jpg", splice_exif(rendered.body, exif_tiff(
                meta, width, height, rendered.thumbnail))))
        if target == "Internal RAM":
            folder, stem = RAM_FOLDER, f"capt{number - 1:04d}"
        else:
            folder, stem = CARD_FOLDER, f"DSC_{number:04d}"
        with self._lock:
            if not self._plugged and folder == RAM_FOLDER:
                return  # nowhere to keep it: a RAM shot with the cable out is never made
            silent = self.drop_file_events > 0
            self.drop_file_events -= int(silent)
            for ext, data in outputs:
                name = f"{stem}.{ext.upper() if folder == CARD_FOLDER else ext}"
                file = CameraFile(folder, name)
                if folder == CARD_FOLDER:
                    self._keep_on_card(name, data)
                self._files[file.path] = data
                self._mtimes[file.path] = time.time()
                self.produced.append(ProducedFile(file, hashlib.sha256(data).hexdigest(),
                                                  len(data)))
                if not silent:
                    self._events.append(CameraEvent(EventKind.FILE_ADDED, file))
            if not silent:
                self._events.append(CameraEvent(EventKind.CAPTURE_COMPLETE))
            self._lock.notify_all()

    def next_event(self, timeout_s: float) -> CameraEvent:
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while not self._events and self._plugged:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._lock.wait(remaining)
            if self._events and self._plugged:
                return self._events.popleft()
            return CameraEvent(EventKind.TIMEOUT)

    # --- storage ------------------------------------------------------------------------
    def file_bytes(self, file: CameraFile) -> bytes | None:
        with self._lock:
            return self._files.get(file.path)

    def delete_file(self, file: CameraFile) -> bool:
        with self._lock:
            if self.card_dir is not None and file.folder == CARD_FOLDER:
                (self.card_dir / file.name).unlink(missing_ok=True)
            self._mtimes.pop(file.path, None)
            return self._files.pop(file.path, None) is not None
