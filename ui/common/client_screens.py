"""Which screen the client display uses: pure policy, no Qt (tested on plain values).

The remembered screen wins when it is connected; otherwise the first screen that is not the
photographer's (primary) one. With only the primary screen the display stays closed unless the
photographer asked for it there. Any thread; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

ON_UNPLUG_CLOSE = "close"
ON_UNPLUG_MOVE = "move"


@dataclass(frozen=True)
class ScreenInfo:
    name: str
    primary: bool


def choose_screen(screens: list[ScreenInfo], remembered: str | None,
                  allow_primary: bool = False) -> str | None:
    names = [s.name for s in screens]
    if remembered and remembered in names:
        chosen = next(s for s in screens if s.name == remembered)
        if not chosen.primary or allow_primary:
            return remembered
    secondary = [s.name for s in screens if not s.primary]
    if secondary:
        return secondary[0]
    if allow_primary and screens:
        return screens[0].name
    return None


def next_screen(screens: list[ScreenInfo], current: str | None) -> str | None:
    """The screen after ``current`` (for 'move to the next screen'), primary included."""
    if not screens:
        return None
    names = [s.name for s in screens]
    if current not in names:
        return names[0]
    return names[(names.index(current) + 1) % len(names)]


def after_unplug(screens: list[ScreenInfo], policy: str) -> str | None:
    """Where the display goes when its screen disappears: nowhere (closed) or the remaining
    screen the photographer allowed."""
    if policy != ON_UNPLUG_MOVE:
        return None
    return choose_screen(screens, None, allow_primary=True)
