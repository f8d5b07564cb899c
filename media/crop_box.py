"""The photographer's crop (the aspect mask) as a rectangle: the largest centred rectangle of
a given aspect inside a frame. One rule for live view's mask, the coach's framing, the client's
screen and the phones' pictures. Pure arithmetic; any thread."""

from __future__ import annotations


def centred_box(width: float, height: float, ratio: tuple[int, int]
                ) -> tuple[float, float, float, float]:
    """(left, top, width, height) of the largest centred ``ratio`` (width, height) crop of a
    ``width`` x ``height`` frame, in the frame's own units."""
    rw, rh = ratio
    if width * rh > height * rw:              # wider than the crop: trim the sides
        kept = height * rw / rh
        return (width - kept) / 2, 0.0, kept, height
    kept = width * rh / rw                    # taller: trim top and bottom
    return 0.0, (height - kept) / 2, width, kept
