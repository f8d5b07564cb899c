"""A shot's tooltip in the filmstrip and the review grid: its files, what the clients said on
their phones (hearts and notes) and its retouch notes, shown exactly as typed (never as rich
text). GUI thread; pure string work."""

from __future__ import annotations

import html

from session.model.live_session import Shot
from session.store.filenames import shown


def shot_tip(shot: Shot) -> str:
    lines = [shown(name) for name in shot.names]
    said = shot.client
    if said.hearts:
        lines.append(f"♥ from {said.hearts} phone{'s' if said.hearts != 1 else ''}")
    lines += [f"Client note: “{comment}”" for comment in said.comments]
    lines += [f"Retouch {note.number}: {note.text}" for note in shot.notes]
    return "<qt>" + "<br>".join(html.escape(line) for line in lines) + "</qt>"
