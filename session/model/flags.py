"""The capture flags, one vocabulary for the analyser that raises them (coaching), the
catalog that keeps them (session) and the windows that show them (ui): what a reviewer must
know about a shot at a glance, and which of them keep a shot from the client's screen.

Pure data; any thread. Values are the strings stored in catalogs, so stored flags read back.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Flag(StrEnum):
    NO_FACE = "no_face"
    MULTIPLE_FACES = "multiple_faces"
    EYES_CLOSED = "eyes_closed"
    HALF_BLINK = "half_blink"
    EYES_SOFT = "eyes_soft"
    NOT_LOOKING = "not_looking"
    UNREADABLE = "unreadable"
    FACE_CLIPPED = "face_clipped"
    NO_CATCHLIGHT = "no_catchlight"
    CARD_FRAME = "card_frame"          # a headshot day's QR card held up: not a portrait


# Not a capture flag: the tag windows show (badge, filter) for a shot a client hearted on
# the proofing page.
CLIENT_FAVOURITE = "client_favourite"

# Never shown to the client automatically (the photographer may allow them).
CLIENT_UNSAFE = frozenset({Flag.EYES_CLOSED, Flag.NO_FACE, Flag.UNREADABLE, Flag.CARD_FRAME})
# Hidden by the review's "hide eyes closed / soft eyes" filter.
EYE_PROBLEMS = frozenset({Flag.EYES_CLOSED, Flag.HALF_BLINK, Flag.EYES_SOFT})
# Hidden by the review's "hide clipped skin / no catchlight" filter.
LIGHT_PROBLEMS = frozenset({Flag.FACE_CLIPPED, Flag.NO_CATCHLIGHT})


def flags_from(values: Iterable[object]) -> tuple[Flag, ...]:
    """Flags from stored text (catalog JSON); unknown values (a newer version's) are left
    out, order kept, duplicates dropped."""
    known = {flag.value for flag in Flag}
    out: list[Flag] = []
    for value in values:
        if isinstance(value, str) and value in known and Flag(value) not in out:
            out.append(Flag(value))
    return tuple(out)


def client_safe(flags: Iterable[object]) -> bool:
    return not any(flag in CLIENT_UNSAFE for flag in flags)
