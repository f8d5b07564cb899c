"""The programs that read Catchlight's files next, run for real: exiftool, exiv2 and darktable
(``darktable-cli`` importing a picture into a library file of the test's own, then that
library read with sqlite3). Each is a Debian package CI installs; a test that needs one is
skipped with the package named when it is absent."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

needs_exiftool = pytest.mark.skipif(shutil.which("exiftool") is None,
                                    reason="exiftool not installed (libimage-exiftool-perl)")
needs_exiv2 = pytest.mark.skipif(shutil.which("exiv2") is None,
                                 reason="exiv2 not installed (Debian package exiv2)")
needs_darktable = pytest.mark.skipif(shutil.which("darktable-cli") is None,
                                     reason="darktable-cli not installed (Debian: darktable)")
DARKTABLE_REJECTED = 0x8          # darktable's image flag for a reject
DARKTABLE_STARS = 0x7
DARKTABLE_COLOURS = ("Red", "Yellow", "Green", "Blue", "Purple")


def exiftool(path: Path, *tags: str) -> dict:
    out = subprocess.run(["exiftool", "-j", "-G1", "-struct", *tags, str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)[0]


def exiv2_set(path: Path, *commands: str) -> None:
    """Rewrite ``path`` through exiv2 (as digiKam, Gwenview and ``exiv2 -M`` do)."""
    subprocess.run(["exiv2", *[f"-M{c}" for c in commands], "modify", str(path)],
                   check=True, capture_output=True)


def exiv2_values(path: Path) -> dict[str, str]:
    out = subprocess.run(["exiv2", "-PXkv", str(path)], capture_output=True, text=True,
                         check=False).stdout
    values: dict[str, str] = {}
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        values[key] = value.strip()
    return values


@dataclass(frozen=True)
class DarktableSees:
    rejected: bool
    stars: int
    labels: tuple[str, ...]
    tags: tuple[str, ...]


def darktable_import(picture: Path, work: Path) -> DarktableSees:
    """What darktable makes of ``picture`` and the sidecars beside it when it imports it:
    darktable-cli imports it into a library of our own (``work``), exports it, and the
    library says the rating, reject, colour labels and tags it read."""
    library, config, out = work / "library.db", work / "darktable-config", work / "out.jpg"
    for stale in (library, out):
        stale.unlink(missing_ok=True)
    shutil.rmtree(config, ignore_errors=True)
    done = subprocess.run(["darktable-cli", str(picture), str(out), "--core", "--library",
                           str(library), "--configdir", str(config)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    db = sqlite3.connect(library)
    try:
        db.execute("ATTACH DATABASE ? AS data", (str(config / "data.db"),))
        (image_id, flags), = db.execute("SELECT id, flags FROM images").fetchall()
        labels = tuple(DARKTABLE_COLOURS[c] for (c,) in db.execute(
            "SELECT color FROM color_labels WHERE imgid=? ORDER BY color", (image_id,)))
        tags = tuple(sorted(name for (name,) in db.execute(
            "SELECT t.name FROM tagged_images i JOIN data.tags t ON t.id = i.tagid "
            "WHERE i.imgid=? AND t.name NOT LIKE 'darktable|%'", (image_id,))))
    finally:
        db.close()
    return DarktableSees(bool(flags & DARKTABLE_REJECTED), flags & DARKTABLE_STARS, labels,
                         tags)


def darktable_rewrites(picture: Path, work: Path, display: str, timeout: float = 120.0
                       ) -> bytes:
    """darktable (the application, on ``display``) imports ``picture`` into a library of our
    own and writes its sidecar ``<file>.<ext>.xmp`` from its own database, as it does on every
    import; returns what it wrote. darktable is closed as soon as the sidecar is its own."""
    import os
    import time

    sidecar = picture.with_name(picture.name + ".xmp")
    env = dict(os.environ, DISPLAY=display, HOME=str(work), XDG_CONFIG_HOME=str(work))
    proc = subprocess.Popen(["darktable", "--library", str(work / "gui-library.db"),
                             "--configdir", str(work / "darktable-gui"), str(picture)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = sidecar.read_bytes() if sidecar.exists() else b""
            if b"darktable:xmp_version" in text and b"darktable:history" in text:
                time.sleep(0.5)            # let it finish the file it is writing
                return sidecar.read_bytes()
            assert proc.poll() is None, "darktable ended before writing its sidecar"
            time.sleep(0.2)
        raise AssertionError("darktable did not write its sidecar in time")
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
