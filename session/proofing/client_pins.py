"""A retouch note pinned by a client on the proofing page's full-screen picture ("please
soften this", "keep the freckles"): the spot is where they touched the picture they see (the
photographer's crop, when the aspect mask is on), turned back into the spot of the whole
frame, and kept like the photographer's notes (session.culling.retouch_notes), by "client".

Pure Python; runs on the proofing server's worker threads; blocks for a header read and a
few small writes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from media.crop_box import centred_box
from media.decode.jpeg_export import upright_size
from session.culling.retouch_notes import (
    MAX_NOTE,
    NoteRefused,
    RetouchNote,
    RetouchStore,
    pin_note,
)

MAX_CLIENT_PINS = 12            # on one shot, from every phone together


def parse_pin(body: object) -> tuple[float, float, str, str]:
    """(x, y, text, device) of a pin request; NoteRefused saying what is wrong."""
    if not isinstance(body, dict):
        raise NoteRefused("send {x, y, text}")
    x, y, text, device = (body.get(k) for k in ("x", "y", "text", "device"))
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y)):
        raise NoteRefused("x and y are where on the picture, from 0 to 1")
    if not isinstance(text, str) or not isinstance(device, str | type(None)):
        raise NoteRefused("text is the note")
    if len(text) > MAX_NOTE:
        raise NoteRefused(f"a note is at most {MAX_NOTE} characters")
    assert isinstance(x, int | float) and isinstance(y, int | float)
    return float(x), float(y), text, device or ""


def whole_frame_spot(path: Path, crop: tuple[int, int] | None, x: float, y: float
                     ) -> tuple[float, float]:
    """The spot (0..1 of the whole upright frame) of (x, y) on the picture the client saw."""
    if crop is None:
        return x, y
    with Image.open(path) as image:
        width, height = upright_size(image)
    left, top, kept_w, kept_h = centred_box(width, height, crop)
    return (left + x * kept_w) / width, (top + y * kept_h) / height


def pin_for_client(folder: Path, path: Path, crop: tuple[int, int] | None, x: float, y: float,
                   text: str) -> tuple[RetouchNote, ...]:
    """Pin the client's note; NoteRefused past MAX_CLIENT_PINS clients' notes on the shot (as
    the catalog has them now), or off the picture."""
    with RetouchStore(folder) as store:
        from_phones = sum(1 for note in store.notes(path.name) if note.author == "client")
    if from_phones >= MAX_CLIENT_PINS:
        raise NoteRefused(f"this picture already has {MAX_CLIENT_PINS} notes; tell the "
                          "photographer the rest")
    if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
        raise NoteRefused("a note goes on the picture itself")
    fx, fy = whole_frame_spot(path, crop, x, y)
    return pin_note(folder, path, fx, fy, text, author="client")
