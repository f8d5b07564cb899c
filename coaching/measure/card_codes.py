"""QR codes in a picture and which of them are Catchlight cards (``CL1:`` + roster id): for
live view (coaching.live.card_reader) and for stills alike. Any thread; about 1 ms a frame."""

from __future__ import annotations

import numpy as np
import zxingcpp

from session.people.roster import CARD_PREFIX


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
