"""The culling keys, one list for the tether window's Cull menu and the review window's
shortcut sheet: 1-5 stars, 0 clears, P pick, X reject, U unflag, 6-9 colour labels."""

from __future__ import annotations

KEYS = [("1", "1 star"), ("2", "2 stars"), ("3", "3 stars"), ("4", "4 stars"),
        ("5", "5 stars"), ("0", "Clear stars"), ("P", "Pick"), ("X", "Reject"),
        ("U", "Unflag"), ("6", "Red label"), ("7", "Yellow label"), ("8", "Green label"),
        ("9", "Blue label")]
