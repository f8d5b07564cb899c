"""The grey card: the neutral reference for colour. At the start of the day the card is held in
the centre of the frame (under the chin, or filling the centre square, as for a camera's custom
white balance) and read: live view under continuous light, the next capture under strobes
(live view shows the modelling lamps then). Its red/blue balance says whether the white balance
is right for this light; the backdrop's balance at that moment lets a later cast be measured
without the card in view (the light's colour moves the backdrop and the face alike). Only the
light is judged, never a skin colour.

Pure Python/NumPy; any thread (the live coach's or the capture pipeline's); about a millisecond.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from coaching.measure.light import ev, linear, luminance

SPOT = 0.16                 # the centre square read, in frame heights
BLOCKS = 4                  # the square is judged as BLOCKS x BLOCKS tiles
EVEN_MAX = 0.35             # the tiles' luminance range over their median: a card, not a face
HUE_SPREAD_MAX = 0.12       # the tiles' red/blue range (log2): one surface, one colour
DARK_EV, CLIPPED_EV = -4.0, 2.2   # a card too dark or burnt out to read a colour from
NEUTRAL_WITHIN = 0.10       # log2 red/blue (and green/magenta) within this is neutral (~7 %)
MIN_READINGS = 3            # of about a second of live frames; one capture under strobes


@dataclass(frozen=True)
class CardSpot:
    """The centre square's colour, when it is even enough to be a card."""

    warmth: float           # log2 red / blue, linear light (0: neutral)
    tint: float             # log2 green / sqrt(red * blue) (> 0: green, < 0: magenta)
    level_ev: float


@dataclass(frozen=True)
class GreyCard:
    """The day's neutral reference: the card's balance and the backdrop's at that moment."""

    warmth: float
    tint: float
    backdrop_warmth: float | None = None   # filled in from the first measured backdrop

    def cast(self, backdrop_warmth: float | None) -> float:
        """How far from neutral the light is now (log2 red/blue; > 0 warm): the card's own
        offset, plus how far the backdrop's balance has moved since the card was read."""
        if backdrop_warmth is None or self.backdrop_warmth is None:
            return self.warmth
        return self.warmth + backdrop_warmth - self.backdrop_warmth


@dataclass(frozen=True)
class CardVerdict:
    card: GreyCard | None
    message: str            # what the photographer reads, either way
    neutral: bool = False   # read, and the white balance is right for this light


def read_spot(rgb: np.ndarray) -> CardSpot | None:
    """The centre square of ``rgb`` (uint8 RGB) as a card reading; None when it is not one
    even surface (a face, a shirt's pattern, an edge) or too dark or bright to read."""
    height, width = rgb.shape[:2]
    side = max(BLOCKS * 4, round(SPOT * height))
    x0, y0 = (width - side) // 2, (height - side) // 2
    spot = linear(rgb[y0:y0 + side, x0:x0 + side]).astype(np.float64)
    tile = side // BLOCKS
    tiles = spot[:tile * BLOCKS, :tile * BLOCKS].reshape(BLOCKS, tile, BLOCKS, tile, 3)
    means = tiles.mean(axis=(1, 3)).reshape(-1, 3)
    if (means <= 1e-4).any():
        return None
    level = means @ np.array([0.2126, 0.7152, 0.0722])
    hue = np.log2(means[:, 0] / means[:, 2])
    median_level = float(np.median(level))
    if (float(level.max() - level.min()) / median_level > EVEN_MAX
            or float(hue.max() - hue.min()) > HUE_SPREAD_MAX):
        return None
    level_ev = ev(float(np.median(luminance(rgb[y0:y0 + side, x0:x0 + side]))))
    if level_ev is None or not DARK_EV <= level_ev <= CLIPPED_EV:
        return None
    red, green, blue = (float(np.median(means[:, c])) for c in range(3))
    return CardSpot(math.log2(red / blue), math.log2(green / math.sqrt(red * blue)), level_ev)


def _percent(log2_ratio: float) -> int:
    return round(abs(2 ** log2_ratio - 1) * 100)


def judge_card(spots: Sequence[CardSpot | None], backdrop_warmth: float | None = None,
               needed: int = MIN_READINGS) -> CardVerdict:
    """The card from the readings of about a second of frames (or one capture)."""
    read = [s for s in spots if s is not None]
    if len(read) < needed:
        return CardVerdict(None, "Grey card not read: hold it flat in the centre of the frame, "
                                 "evenly lit and filling the centre square, then press "
                                 "Shift+G again.")
    warmth = statistics.median(s.warmth for s in read)
    tint = statistics.median(s.tint for s in read)
    card = GreyCard(warmth, tint, backdrop_warmth)
    if abs(warmth) <= NEUTRAL_WITHIN and abs(tint) <= NEUTRAL_WITHIN:
        return CardVerdict(card, "Grey card read: the white balance is neutral for this "
                                 "light. Colour cues now follow it.", True)
    parts = []
    if abs(warmth) > NEUTRAL_WITHIN:
        parts.append(f"{_percent(warmth)} % {'warm' if warmth > 0 else 'cool'}")
    if abs(tint) > NEUTRAL_WITHIN:
        parts.append(f"{_percent(tint)} % {'green' if tint > 0 else 'magenta'}")
    return CardVerdict(card, f"Grey card read: it is {' and '.join(parts)}. Set the white "
                             "balance on the card (custom white balance), then read it again "
                             "(Shift+G).")


CARD_SECONDS = 1.0


@dataclass
class CardRecorder:
    """About a second of live frames read for the card (the live coach thread)."""

    started_at: float
    spots: list[CardSpot | None] = field(default_factory=list)
    backdrops: list[float] = field(default_factory=list)

    def add(self, rgb: np.ndarray, backdrop_warmth: float | None) -> None:
        self.spots.append(read_spot(rgb))
        if backdrop_warmth is not None:
            self.backdrops.append(backdrop_warmth)

    def done(self, now: float) -> bool:
        return now - self.started_at >= CARD_SECONDS

    def result(self) -> CardVerdict:
        backdrop = statistics.median(self.backdrops) if self.backdrops else None
        return judge_card(self.spots, backdrop)
