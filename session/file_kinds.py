"""Which files are pictures: RAW formats, the formats shown directly (a RAW+JPEG pair shows
its JPEG), and the rest Catchlight recognises. Pure data and functions; any thread."""

from __future__ import annotations

RAW_EXTENSIONS = frozenset({"nef", "nrw", "cr2", "cr3", "arw", "sr2", "srf", "raf", "orf",
                            "rw2", "dng", "pef", "srw", "3fr", "erf", "kdc", "mef", "mos",
                            "iiq", "rwl"})
DISPLAY_EXTENSIONS = ("jpg", "jpeg", "png", "tif", "tiff")    # in order of preference
OTHER_IMAGE_EXTENSIONS = frozenset({"heic", "heif"})
SIDECAR_EXTENSION = "xmp"


def extension(name: str) -> str:
    """The lower-case extension of ``name`` without the dot ('' when it has none)."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def is_raw_name(name: str) -> bool:
    return extension(name) in RAW_EXTENSIONS


def is_image_name(name: str) -> bool:
    ext = extension(name)
    return ext in RAW_EXTENSIONS or ext in DISPLAY_EXTENSIONS or ext in OTHER_IMAGE_EXTENSIONS


def display_first(names: list[str] | tuple[str, ...]) -> list[str]:
    """The files of one shot, the one to show first (JPEG before RAW)."""
    def rank(name: str) -> tuple[int, str]:
        ext = extension(name)
        return (DISPLAY_EXTENSIONS.index(ext) if ext in DISPLAY_EXTENSIONS else 99, name)
    return sorted(names, key=rank)
