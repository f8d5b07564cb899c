"""Help → Keyboard shortcuts lists exactly the keys the two windows have (read from their
real menus), says what each does in each window, and marks the ones that differ; no key
means one thing in a window and something else in the other unless the sheet says so."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from ui.app import build_review
from ui.common.settings import AppSettings
from ui.common.shortcut_sheet import SHEET, ShortcutSheet, differs, keys_of


def shortcuts(window) -> set[str]:
    """The window's keys, less the platform's Help key (F1) that opens the sheet itself."""
    help_key = QKeySequence(QKeySequence.StandardKey.HelpContents).toString()
    return {a.shortcut().toString() for a in window.findChildren(QAction)
            if not a.shortcut().isEmpty()} - {help_key}


def test_the_sheet_lists_every_key_of_both_windows(app_factory, qtbot, tmp_path):
    app = app_factory(session="Keys", coach=True)
    review = build_review(AppSettings(tmp_path / "review.ini"))
    qtbot.addWidget(review.window)
    tether_keys = {k for key, tether, _r in SHEET if tether for k in keys_of(key)}
    review_keys = {k for key, _t, review_text in SHEET if review_text for k in keys_of(key)}
    assert shortcuts(app.window) == tether_keys
    assert shortcuts(review.window) == review_keys
    # The keys shared by the two windows mean the same, except the ones the sheet marks.
    marked = {key for key, tether, review_text in SHEET if differs(tether, review_text)}
    assert marked == {"B", "G", "Z"}     # Z: zebra at the tether, 100 % in the review; B: blank
    review.window.close()


def test_the_sheet_marks_what_differs(qtbot):
    sheet = ShortcutSheet()
    qtbot.addWidget(sheet)
    rows = {sheet.table.item(r, 0).text(): r for r in range(sheet.table.rowCount())}
    g = sheet.table.item(rows["G"], 1)
    p = sheet.table.item(rows["P"], 1)
    assert g.toolTip() and not p.toolTip()
    assert g.background().color() != p.background().color()
    assert sheet.table.item(rows["N"], 2).text() == "Compare 4-up"
    assert sheet.table.item(rows["Shift+N"], 1).text().startswith("Set neutral")
