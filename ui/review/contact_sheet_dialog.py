"""The contact sheet dialog: where to save it, A4 or US Letter, how many photos a page, and
whether the studio's own marks are printed (off: the sheet is for the client). Choices are
remembered. GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ui.common.settings import SHEET_LAYOUT, SHEET_MARKS, SHEET_PAGE, AppSettings
from ui.review.contact_sheet import SheetOptions, locale_page

LAYOUT_CHOICES = (("auto", "Fit the photos (1 to 20 a page, as few pages as it takes)"),
                  ("2x3", "6 a page (2 × 3)"), ("3x4", "12 a page (3 × 4)"),
                  ("4x5", "20 a page (4 × 5)"))
PAGE_CHOICES = (("A4", "A4"), ("Letter", "US Letter"))


class ContactSheetDialog(QDialog):
    def __init__(self, parent: QWidget | None, count: int, target: Path,
                 settings: AppSettings) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Contact sheet")
        self.setMinimumWidth(560)
        self.target = QLineEdit(str(target), self)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(browse)
        self.page = QComboBox(self)
        for key, text in PAGE_CHOICES:
            self.page.addItem(text, key)
        self.page.setCurrentIndex(self.page.findData(settings.get(SHEET_PAGE) or locale_page()))
        self.layout_choice = QComboBox(self)
        for key, text in LAYOUT_CHOICES:
            self.layout_choice.addItem(text, key)
        self.layout_choice.setCurrentIndex(self.layout_choice.findData(
            settings.get(SHEET_LAYOUT)))
        self.marks = QCheckBox("Print ratings, picks and labels (for the studio, not the "
                               "client)", self)
        self.marks.setChecked(settings.get(SHEET_MARKS))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"<b>Contact sheet of {count} photo{'s' if count != 1 else ''}</b>",
                           self))
        form.addRow("File", row)
        form.addRow("Paper", self.page)
        form.addRow("Photos a page", self.layout_choice)
        form.addRow(self.marks)
        form.addRow(buttons)

    def _choose(self) -> None:
        target, _filter = QFileDialog.getSaveFileName(self, "Save contact sheet",
                                                      self.target.text(), "PDF (*.pdf)")
        if target:
            self.target.setText(target)

    def path(self) -> Path:
        text = self.target.text().strip()
        return Path(text if text.lower().endswith(".pdf") else f"{text}.pdf").expanduser()

    def options(self, title: str, date: str) -> SheetOptions:
        return SheetOptions(title, date, str(self.page.currentData()),
                            str(self.layout_choice.currentData()), self.marks.isChecked())

    def _accept(self) -> None:
        self.settings.set(SHEET_PAGE, str(self.page.currentData()))
        self.settings.set(SHEET_LAYOUT, str(self.layout_choice.currentData()))
        self.settings.set(SHEET_MARKS, self.marks.isChecked())
        self.accept()
