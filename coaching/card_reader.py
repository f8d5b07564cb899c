"""QR cards in live view: on a headshot day the person holds their card up to the camera and
the tether switches to them. The reader takes the newest live frame (newest wins, nothing
queues) a few times a second on its own thread, looks for QR codes with zxing-cpp, and
publishes what it read: a Catchlight card (``CL1:`` + roster id) or a foreign code (reported,
never taken for a person). The same card held up for several frames is published once until
it has been out of view for a moment.

Plain threading, no Qt. ``on_live_frame`` runs on the camera thread and returns at once;
``set_enabled`` from any thread; the decoding runs on the "card-reader" thread (~7 ms a frame).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import zxingcpp

from camera.listener import CameraListener
from camera.mailbox import Mailbox
from camera.types import LiveFrame
from session.roster import CARD_PREFIX

RATE_HZ = 8.0                 # >= 5 reads a second: a card is caught well within 0.5 s
FORGET_AFTER_S = 1.5          # the same card again after this long out of view: a new read


@dataclass(frozen=True)
class CardSeen:
    code: str                  # the QR code's text
    person_id: str | None      # the roster id when it is a Catchlight card, else None
    frame_seq: int


def luma(rgb: np.ndarray) -> np.ndarray:
    """8-bit luma for the decoder (integer arithmetic)."""
    total = rgb[:, :, 1].astype(np.uint16) * 2
    total += rgb[:, :, 0]
    total += rgb[:, :, 2]
    return (total >> 2).astype(np.uint8)


def read_codes(rgb: np.ndarray) -> list[str]:
    """The QR codes' texts in one frame (any thread)."""
    # Made per call: a zxing-cpp object kept at module level is reported as leaked at exit.
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    results = zxingcpp.read_barcodes(luma(rgb), formats=qr_only)
    return [r.text for r in results if r.valid and r.text]


def card_of(code: str) -> str | None:
    return (code[len(CARD_PREFIX):] or None) if code.startswith(CARD_PREFIX) else None


class CardReader(CameraListener):
    def __init__(self, publish: Callable[[CardSeen], None]) -> None:
        self.publish = publish
        self.frames: Mailbox[LiveFrame] = Mailbox()
        self.enabled = False
        self.read = 0
        self._last_seen: dict[str, float] = {}
        self._wake = threading.Event()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="card-reader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop = True
        self._wake.set()
        self._thread.join(timeout)

    def set_enabled(self, enabled: bool) -> None:
        """Read cards only on a headshot day (a roster exists); any thread."""
        self.enabled = enabled
        self._wake.set()

    def on_live_frame(self, frame: LiveFrame) -> None:
        if self.enabled:
            self.frames.put(frame)
            self._wake.set()

    def _run(self) -> None:
        started = 0.0
        while not self._stop:
            self._wake.wait(0.5)
            self._wake.clear()
            rest = started + 1.0 / RATE_HZ - time.monotonic()
            if rest > 0:
                time.sleep(rest)
            started = time.monotonic()
            frame = self.frames.take()
            if frame is None or self._stop:
                continue
            self.read += 1
            for seen in self.new_sightings(read_codes(frame.rgb), frame.seq, started):
                self.publish(seen)

    def new_sightings(self, codes: list[str], seq: int, now: float) -> list[CardSeen]:
        """The codes not seen in the last FORGET_AFTER_S (reader thread)."""
        fresh = [c for c in codes if now - self._last_seen.get(c, -1e9) > FORGET_AFTER_S]
        for code in codes:
            self._last_seen[code] = now
        return [CardSeen(code, card_of(code), seq) for code in fresh]
