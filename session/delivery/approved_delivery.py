"""The approved shot's delivery, rendered the moment the photographer confirms it: the person's
face-anchored crop (the house look, else the shot's own framing, at the studio's aspect and
size, named for the person), written and verified in the folder beside the session's
(``<session> approved``: a file inside the session would be taken for a new shot), and the
approval recorded with the file and its SHA-256. A change of mind delivers again under the
next free name; an earlier file is never overwritten.

Pure Python; runs on a background thread (the GUI's) or the command line's; blocks for one
decode, crop and verified write (about a second for a 24 MP capture).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from media.thread_priority import lower_this_thread
from session.delivery.common_framing import common_look, frame_size
from session.delivery.deliver import DeliverItem, DeliverOptions, deliver
from session.model.live_session import Shot
from session.people.approvals import Approval, ApprovalStore
from session.people.house_look import HouseLook
from session.people.roster import Person
from session.people.team import measurements_of
from session.review.review_data import eyes_of

APPROVED = " approved"          # the delivered files' folder: the session's name + this


def approved_folder(folder: Path) -> Path:
    """Where ``folder``'s approved headshots are delivered: beside it."""
    return folder.parent / f"{folder.name}{APPROVED}"


def delivered_path(folder: Path, approval: Approval) -> Path:
    """The file an approval delivered (its path is kept relative to the session's parent,
    so the two folders can move together)."""
    return folder.parent / approval.delivered


class NotDelivered(ValueError):
    """The approved shot could not be delivered; the message says why, in words."""


@dataclass(frozen=True)
class SignOff:
    approval: Approval
    path: Path               # the delivered file
    seconds: float           # from the start of the render to the verified file


def deliver_approved(folder: Path, shot: Shot, person: Person, look: HouseLook | None,
                     aspect: tuple[int, int] = (4, 5), long_edge: int = 2048,
                     yield_to_live_view: bool = False) -> SignOff:
    """Deliver ``shot`` as ``person``'s approved headshot and record the approval.
    ``yield_to_live_view``: the calling thread is a background one of the tether's (it
    lowers its own priority first, and the render thread it starts inherits it: live view
    and the coach keep the cores)."""
    if yield_to_live_view:
        lower_this_thread()
    started = time.perf_counter()
    with ApprovalStore(folder) as store:
        if store.closed_at() is not None:
            raise NotDelivered("The day is closed: approvals can no longer change.")
        return _deliver(folder, store, shot, person, look, aspect, long_edge, started)


def _deliver(folder: Path, store: ApprovalStore, shot: Shot, person: Person,
             look: HouseLook | None, aspect: tuple[int, int], long_edge: int,
             started: float) -> SignOff:
    measured = measurements_of(shot)
    aimed = look or common_look([(measured, frame_size(shot.path))], aspect)
    if aimed is None:
        raise NotDelivered(f"{shot.display_name}: no face was measured in it, so it cannot be "
                           "cropped for delivery. Choose another shot.")
    item = DeliverItem(shot.path, measured, person.name, person.id, eyes_of(shot.analysis))
    options = DeliverOptions(approved_folder(folder), aspect=aspect, long_edge=long_edge,
                             write_csv=False)
    try:
        report = deliver([item], aimed, options)
    except ValueError as exc:
        raise NotDelivered(str(exc)) from exc
    if report.stopped or report.failures or not report.written:
        why = report.stopped or "; ".join(report.failures) or "nothing was written"
        raise NotDelivered(f"{shot.display_name} was not delivered: {why}")
    path = report.written[0]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    approval = Approval(person.id, shot.key, time.time(),
                        path.relative_to(folder.parent).as_posix(), digest)
    store.add(approval)
    return SignOff(approval, path, time.perf_counter() - started)
