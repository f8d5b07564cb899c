"""The one sanitiser for text that becomes part of a file name (camera names, session names,
template output). Pure Python, any thread, non-blocking.

Camera-supplied names are untrusted: path separators, ``..``, NUL, control and bidirectional
formatting characters, reserved names and overlong names never reach the file system.
"""

from __future__ import annotations

import re
import unicodedata

MAX_COMPONENT_BYTES = 120
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}
_UNSAFE = re.compile(r'[\\/:*?"<>|]')


def _allowed(char: str) -> bool:
    # Cc: control (incl. NUL), Cf: format (RTL overrides, zero-width), Cs/Co/Cn: invalid.
    return unicodedata.category(char)[0] != "C" and char not in "\u2028\u2029"


def safe_component(text: str, fallback: str = "unnamed",
                   max_bytes: int = MAX_COMPONENT_BYTES) -> str:
    """A single path component that is safe on Linux, macOS and Windows file systems."""
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(ch if _allowed(ch) else "_" for ch in text)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = re.sub(r"\.{2,}", ".", text)
    if text.split(".", 1)[0].lower() in _WINDOWS_RESERVED:
        text = f"_{text}"
    return cut_to_bytes(text, max_bytes).rstrip(" .") or fallback


def cut_to_bytes(text: str, max_bytes: int) -> str:
    """``text`` shortened to at most ``max_bytes`` of UTF-8, on a character boundary, never
    to nothing (one character is kept)."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    cut = encoded[:max(max_bytes, 0)].decode("utf-8", "ignore")
    return cut or text[:1]


def safe_extension(ext: str) -> str:
    """A short alphanumeric extension without the dot, lower case ('' when none is usable)."""
    cleaned = re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", ext).lower())
    return cleaned[:8]


def split_camera_name(name: str) -> tuple[str, str]:
    """Split an untrusted camera file name into a safe stem and extension. Anything before the
    last path separator is dropped."""
    base = re.split(r"[\\/]", str(name).replace("\0", ""))[-1]
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    return safe_component(stem, "image"), safe_extension(ext)
