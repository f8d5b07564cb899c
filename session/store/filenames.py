"""File names as the file system has them, kept losslessly: a name that is not valid UTF-8
(``Porträt.jpg`` in Latin-1 from an old zip or FAT card) arrives from ``os`` with surrogate
escapes; it is stored in SQLite as its raw bytes and shown with visible escapes
(``Portr\\xe4t.jpg``), never dropped or mangled.

Pure functions; any thread; non-blocking.
"""

from __future__ import annotations

import os


def is_clean(name: str) -> bool:
    """True when ``name`` is valid UTF-8 text (no escaped bytes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def to_db(name: str) -> str | bytes:
    """What SQLite stores for ``name``: the text itself, or its raw bytes (a BLOB) when it
    holds bytes that are not UTF-8."""
    return name if is_clean(name) else os.fsencode(name)


def from_db(value: str | bytes) -> str:
    """The file name a stored value stands for (inverse of ``to_db``)."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def shown(name: str) -> str:
    """``name`` as text a person can read and Qt can hold: undecodable bytes as \\xNN."""
    if is_clean(name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
