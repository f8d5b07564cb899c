"""The shots a command line names: each FILE a name in the session or a path to one of its
files (either file of a RAW+JPEG pair names the shot), in the order given; the ones that are
not the session's are said on stderr. Command line only."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from session.review.review_listing import ReviewListing, ReviewShot


def named_shots(listing: ReviewListing, files: list[str], err: TextIO
                ) -> tuple[list[ReviewShot], int]:
    """(the shots named, 0) or, when one is not a shot of the session, (those that are, 1)."""
    shot_of = {name: shot for shot in listing.shots for name in shot.names}
    found: list[ReviewShot] = []
    status = 0
    for given in files:
        shot = shot_of.get(Path(given).name)
        if shot is None:
            print(f"error: {given} is not a shot of this session", file=err)
            status = 1
            continue
        if all(shot.name != other.name for other in found):   # a pair named twice: once
            found.append(shot)
    return found, status
