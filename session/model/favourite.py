"""What the clients said about one shot, as the session model holds it (an immutable value;
any thread)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClientFavourite:
    """What the clients said about one shot: hearted by any phone, and every comment."""

    hearts: int = 0
    comments: tuple[str, ...] = ()

    @property
    def favourite(self) -> bool:
        return self.hearts > 0
