"""QR cards in live view: on a headshot day the person holds their card up to the camera and
the tether switches to them. The reader takes the newest live frame (newest wins, nothing
queues) a few times a second on its own thread, looks for QR codes with zxing-cpp, and
publishes what it read: a Catchlight card (``CL1:`` + roster id) or a foreign code (reported,
never taken for a person). The same card held up for several frames is published once until
it has been out of view for a moment.

Plain threading, no Qt. ``on_live_frame`` runs on the camera thread and returns at once;
``set_enabled`` from any thread; the decoding runs on the "card-reader" thread (about 1 ms
a frame; coaching.live.frame_worker keeps the newest frame and the rate).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from camera.types import LiveFrame
from coaching.live.frame_worker import NewestFrameWorker
from coaching.measure.card_codes import card_of, read_codes

RATE_HZ = 8.0                 # >= 5 reads a second: a card is caught well within 0.5 s
FORGET_AFTER_S = 1.5          # the same card again after this long out of view: a new read


@dataclass(frozen=True)
class CardSeen:
    code: str                  # the QR code's text
    person_id: str | None      # the roster id when it is a Catchlight card, else None
    frame_seq: int


class CardReader(NewestFrameWorker):
    def __init__(self, publish: Callable[[CardSeen], None]) -> None:
        super().__init__("card-reader", RATE_HZ)
        self.publish = publish
        self.enabled = False
        self.read = 0
        self._last_seen: dict[str, float] = {}

    def set_enabled(self, enabled: bool) -> None:
        """Read cards only on a headshot day (a roster exists); any thread."""
        self.enabled = enabled
        self.wake()

    def wanted(self) -> bool:
        return self.enabled

    def work(self, frame: LiveFrame, now: float) -> None:
        self.read += 1
        for seen in self.new_sightings(read_codes(frame.rgb), frame.seq, now):
            self.publish(seen)

    def new_sightings(self, codes: list[str], seq: int, now: float) -> list[CardSeen]:
        """The codes not seen in the last FORGET_AFTER_S (reader thread)."""
        fresh = [c for c in codes if now - self._last_seen.get(c, -1e9) > FORGET_AFTER_S]
        for code in codes:
            self._last_seen[code] = now
        return [CardSeen(code, card_of(code), seq) for code in fresh]
