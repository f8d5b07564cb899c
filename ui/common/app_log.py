"""Where the windowed app's messages go: a rotating log file under the XDG state folder
(``~/.local/state/Catchlight/catchlight.log``, 1 MB x 3), Qt's own warnings included, and the
C++ libraries' output in ``native.log`` beside it; the terminal stays quiet. ``--verbose``
keeps everything on the terminal instead. Call once on the GUI thread at start."""

from __future__ import annotations

import logging
import logging.handlers
import os

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from coaching.landmarking.native_output import log_folder, quiet_native_output

LOG_NAME = "catchlight.log"
QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
             QtMsgType.QtFatalMsg: logging.CRITICAL}
qt_log = logging.getLogger("qt")


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    qt_log.log(QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def log_to_file() -> None:
    """Unless CATCHLIGHT_VERBOSE is set: logging, Qt's messages and native output to files."""
    if os.environ.get("CATCHLIGHT_VERBOSE"):
        return
    root = logging.getLogger()
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / LOG_NAME, maxBytes=1 << 20, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()             # nowhere to write: stay quiet anyway
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s "
                                           "%(name)s: %(message)s"))
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    qInstallMessageHandler(_qt_message)
    quiet_native_output()
