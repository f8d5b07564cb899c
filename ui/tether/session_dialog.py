"""New-session dialog: client or job name, where sessions live, the file-name template
(checked as you type) and an optional backup folder. GUI thread; it only collects values."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
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

from session.store.naming import DEFAULT_TEMPLATE, TOKENS, NameTemplate, TemplateError
from session.store.session import sessions_root
from ui.common.plain_text import plain_label


@dataclass(frozen=True)
class NewSessionRequest:
    name: str
    root: Path
    template: str
    backup_root: Path | None


def _folder_row(edit: QLineEdit, parent: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    browse = QPushButton("Browse…", parent)
    browse.clicked.connect(lambda: edit.setText(
        QFileDialog.getExistingDirectory(parent, "Choose a folder", edit.text()) or edit.text()))
    row.addWidget(browse)
    return row


class NewSessionDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, template: str = DEFAULT_TEMPLATE) -> None:
        super().__init__(parent)
        self.setWindowTitle("New session")
        self.name = QLineEdit()
        self.name.setPlaceholderText("Client or job, e.g. Acme board headshots")
        self.root = QLineEdit(str(sessions_root()))
        self.template = QLineEdit(template)
        self.backup = QLineEdit()
        self.backup.setPlaceholderText("optional: a second drive for a verified copy")
        self.problem = plain_label()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b")
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Sessions folder", _folder_row(self.root, self))
        form.addRow("File names", self.template)
        form.addRow("", QLabel("Tokens: " + " ".join("{" + t + "}" for t in TOKENS)))
        form.addRow("Backup folder", _folder_row(self.backup, self))
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        for edit in (self.name, self.template, self.root):
            edit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        message = ""
        if not self.name.text().strip():
            message = "Give the session a name."
        elif not self.root.text().strip():
            message = "Choose where sessions are kept."
        else:
            try:
                NameTemplate(self.template.text())
            except TemplateError as exc:
                message = str(exc)
        self.problem.setText(message)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not message)

    def request(self) -> NewSessionRequest:
        backup = self.backup.text().strip()
        return NewSessionRequest(self.name.text().strip(), Path(self.root.text().strip()),
                                 self.template.text(), Path(backup) if backup else None)
