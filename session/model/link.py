"""A proofing link as the session model holds it: a bearer token and what it opens (the lead's
every client-safe shot, or one person's own). An immutable value; any thread."""

from __future__ import annotations

from dataclasses import dataclass

LEAD = "lead"
PERSON = "person:"


@dataclass(frozen=True)
class Link:
    token: str
    scope: str                 # LEAD or "person:<roster id>"

    @property
    def person_id(self) -> str | None:
        return self.scope[len(PERSON):] if self.scope.startswith(PERSON) else None
