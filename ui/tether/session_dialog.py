"""New-session dialog: client or job name, where sessions live, the file-name template
(checked as you type, with the names it would give under it) and an optional backup folder.
GUI thread; it only collects values."""

from __future__ import annotations

import time
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

from session.people.roster import Person
from session.store.naming import (
    DEFAULT_TEMPLATE,
    TOKENS,
    NameFields,
    NameTemplate,
    TemplateError,
)
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


EXAMPLE_PEOPLE = (Person("E-17", "Zoë O'Brien", "Zoë", "O'Brien", dept="Sales"),
                  Person("E-19", "Fernando García-López", "Fernando", "García-López",
                         dept="Legal"))


def example_names(template: NameTemplate, session: str) -> str:
    """What the first shots would be called: Zoë's first and second, Fernando's first (the
    person tokens as on a headshot day)."""
    taken = time.mktime((2026, 3, 4, 14, 30, 5, 0, 0, -1))
    shots = ((EXAMPLE_PEOPLE[0], 1, 1), (EXAMPLE_PEOPLE[0], 2, 2), (EXAMPLE_PEOPLE[1], 3, 1))
    uses_people = any("{" + token in template.text for token in
                      ("person", "first", "last", "dept", "id", "pseq"))
    names = [template.render(NameFields(session, seq, taken, "Nikon Z 6", "DSC_0042", "JPG",
                                        person if uses_people else None, pseq))
             for person, seq, pseq in (shots if uses_people else shots[:2])]
    return ", ".join(names) + " …"


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
        self.example = plain_label()            # the name the next shot would get, as typed
        self.example.setStyleSheet("color: #7f8c8d")
        form.addRow("", self.example)
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
        try:
            template = NameTemplate(self.template.text())
        except TemplateError as exc:
            message = message or str(exc)
            self.example.setText("")
        else:
            self.example.setText("For example: " + example_names(
                template, self.name.text().strip() or "Session"))
        self.problem.setText(message)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not message)

    def request(self) -> NewSessionRequest:
        backup = self.backup.text().strip()
        return NewSessionRequest(self.name.text().strip(), Path(self.root.text().strip()),
                                 self.template.text(), Path(backup) if backup else None)
