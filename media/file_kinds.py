"""Which files are pictures: RAW formats (and which of them are TIFF-based, so a download can
be checked for its header), the formats shown directly (a RAW+JPEG pair shows its JPEG), the
rest Catchlight recognises, and which files of a camera make one shot. The one table of file
kinds. Pure data and functions; any thread."""

from __future__ import annotations

RAW_EXTENSIONS = frozenset({"nef", "nrw", "cr2", "cr3", "arw", "sr2", "srf", "raf", "orf",
                            "rw2", "dng", "pef", "srw", "3fr", "erf", "kdc", "mef", "mos",
                            "iiq", "rwl"})
TIFF_BASED = frozenset({"nef", "nrw", "cr2", "arw", "sr2", "srf", "dng", "pef", "srw", "3fr",
                        "erf", "kdc", "mef", "mos", "iiq", "rwl", "tif", "tiff"})
JPEG_EXTENSIONS = frozenset({"jpg", "jpeg"})
DISPLAY_EXTENSIONS = ("jpg", "jpeg", "png", "tif", "tiff")    # in order of preference
OTHER_IMAGE_EXTENSIONS = frozenset({"heic", "heif"})
SIDECAR_EXTENSION = "xmp"


def extension(name: str) -> str:
    """The lower-case extension of ``name`` without the dot ('' when it has none)."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def stem_of(name: str) -> str:
    """The part of ``name`` that the files of one shot share (DSC_0007 of DSC_0007.NEF)."""
    stem, dot, ext = name.rpartition(".")
    return stem if dot and stem else name


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
