"""Writes docs/keyboard-shortcuts.md from the app's own shortcut sheet (ui.common.shortcut_sheet,
which tests/test_shortcut_sheet.py checks against both windows' real menus), so the page
cannot drift from the app. tests/test_docs.py fails when the page is not what this makes.

    python docs/make_shortcuts.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "keyboard-shortcuts.md"


def page() -> str:
    """The page's Markdown."""
    sys.path.insert(0, str(ROOT))
    from ui.common.shortcut_sheet import SHEET, differs

    lines = ["# Keyboard shortcuts", "",
             "*Help → Keyboard shortcuts* (F1) shows this table in the app. The culling keys "
             "mean the same in both windows; a key marked **differs** does one thing at the "
             "tether and another in the review. Space always captures in the tether window and "
             "the share dialog, "
             "whichever widget has the keyboard.", "",
             "<!-- Made by docs/make_shortcuts.py from ui/common/shortcut_sheet.py: do not edit. "
             "-->", "",
             "| Key | Tether window | Review window | |", "|---|---|---|---|"]
    for key, tether, review in SHEET:
        mark = "**differs**" if differs(tether, review) else ""
        lines.append(f"| {key} | {tether} | {review} | {mark} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    PAGE.write_text(page(), encoding="utf-8")
