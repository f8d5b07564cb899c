"""Issue cases 6 and 7: a catalog that may not be written costs no extra copies (the verified
file is written once, only the record is retried); a truncated or garbage catalog is set
aside (never deleted) and rebuilt from the folder with a clear message, no traceback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from session.store.catalog import Catalog
from session.store.session import create_session
from tests.adversarial.helpers import image_files, run_main, run_python

READ_ONLY_CATALOG = """
import json, os, sys
from pathlib import Path
from session.ingest.ingest import Ingester
from session.store.session import open_session
from session.store.storage import StorageError
from tests.adversarial.helpers import shot_of
folder = Path(sys.argv[1])
ingester = Ingester(open_session(folder))
errors = []
try:
    ingester.submit(shot_of("DSC_0001.JPG"))
except StorageError as exc:
    errors.append(exc.user_message)
for _ in range(5):                                    # the 3 s retries
    try:
        ingester.retry()
    except StorageError as exc:
        errors.append(exc.user_message)
files_while_refused = sorted(p.name for p in folder.glob("*.jpg"))
os.chmod(folder / "catalog.sqlite", 0o644)            # the photographer fixes it
stored = ingester.retry()
notices = list(ingester.notices)
ingester.close()
print(json.dumps({"errors": errors, "while": files_while_refused,
                  "stored": [p.name for r in stored for p in r.paths], "notices": notices}))
"""


def test_a_read_only_catalog_costs_no_extra_copies(tmp_path):
    session = create_session("Smith", root=tmp_path / "sessions")
    tmp_path.chmod(0o755)
    (session.folder / "catalog.sqlite").chmod(0o444)
    proc = run_python(READ_ONLY_CATALOG, str(session.folder), as_user=True)
    assert proc.returncode == 0, proc.stderr
    outcome = json.loads(proc.stdout)
    assert len(outcome["errors"]) == 6
    assert all("saved and verified" in e for e in outcome["errors"])
    assert outcome["while"] == ["Smith_0001.jpg"]                  # one copy, written once
    assert outcome["stored"] == ["Smith_0001.jpg"]
    assert [p.name for p in image_files(session.folder)] == ["Smith_0001.jpg"]
    catalog = Catalog(session.folder)
    assert [f.name for s in catalog.shots() for f in s.files] == ["Smith_0001.jpg"]
    catalog.close()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "zeroed"])
def test_shoot_sets_a_damaged_catalog_aside_and_rebuilds_it(tmp_path, damage):
    folder = tmp_path / "2026-11-29_Smith"
    assert run_main("shoot", "--count", "3", "--session", str(folder),
                    "--camera", "demo").returncode == 0
    assert run_main("mark", str(folder), "Smith_0002.jpg", "--rating", "4").returncode == 0
    path = folder / "catalog.sqlite"
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    original = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(original[:len(original) // 3])
    elif damage == "garbage":
        path.write_bytes(b"this is not a database at all" * 100)
    else:
        path.write_bytes(original[:100] + bytes(len(original) - 100))
    damaged = path.read_bytes()
    proc = run_main("shoot", "--count", "2", "--session", str(folder), "--camera", "demo")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "catalog was damaged" in proc.stderr and "catalog.sqlite.damaged-" in proc.stderr
    (kept,) = folder.glob("catalog.sqlite.damaged-*[0-9]")
    assert kept.read_bytes() == damaged                              # set aside, not deleted
    catalog = Catalog(folder)
    names = sorted(f.name for s in catalog.shots() for f in s.files)
    assert catalog.get_meta("name") == "Smith"
    catalog.close()
    assert names == [f"Smith_{i:04d}.jpg" for i in range(1, 6)]      # rebuilt + the new two
    marks = run_main("mark", str(folder), "Smith_0002.jpg")          # marks came back from XMP
    assert marks.stdout.strip() == "Smith_0002.jpg: ★★★★"


def test_the_review_of_a_damaged_catalog_lists_the_folder(tmp_path):
    from session.review.review_listing import list_session

    session = create_session("Smith", root=tmp_path)
    (session.folder / "Smith_0001.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    (session.folder / "catalog.sqlite").write_bytes(b"garbage" * 1000)
    listing = list_session(session.folder)
    assert [s.name for s in listing.shots] == ["Smith_0001.jpg"]
    assert not listing.catalog_sound and "damaged" in listing.problems[0]
    assert (session.folder / "catalog.sqlite").read_bytes() == b"garbage" * 1000  # untouched


def test_nothing_but_sqlite_ever_opens_the_catalog_file(tmp_path, monkeypatch):
    """Closing any descriptor of a database file drops every SQLite lock this process holds
    on it (POSIX lock semantics): the soak's second writers found it as "disk I/O error"."""
    import os as real_os

    from session.culling.culling_store import CullingStore
    from session.store.catalog_place import place_of
    from session.store.session_lock import SessionLock

    session = create_session("Smith", root=tmp_path)
    opened: list[str] = []
    real_open = real_os.open

    def spy(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(real_os, "open", spy)
    catalog = Catalog(session.folder)
    place_of(session.folder)
    CullingStore(session.folder).close()
    with SessionLock(session.folder):                 # the spy sees what Python opens
        pass
    catalog.close()
    assert [p for p in opened if Path(p).name == ".catchlight.lock"]
    assert not [p for p in opened if Path(p).name.startswith("catalog.sqlite")]


CARD_ON_A_READ_ONLY_CATALOG = """
import logging, sys
from pathlib import Path
from camera.owner.card_sync import CardSync
from camera.types import CameraFile
from session.ingest.card_ledger import CardLedger
logging.basicConfig(level=logging.WARNING)
sync = CardSync()
sync.memory = CardLedger(Path(sys.argv[1]))

class Card:
    def list_files(self):
        return [CameraFile("/DCIM/100", "DSC_0001.JPG", 4096, 1.0)]

print(len(sync.missed_shots(Card(), lambda call: call(), "Nikon DSC D750", set())))
"""


def test_a_read_only_catalog_asks_nothing_of_the_card_and_prints_no_traceback(tmp_path):
    """Issue 22, case 13: the camera's card is checked against a session whose catalog may
    not be written: nothing is fetched into it and the terminal stays quiet."""
    session = create_session("Smith", root=tmp_path / "sessions")
    tmp_path.chmod(0o755)
    (session.folder / "catalog.sqlite").chmod(0o444)
    proc = run_python(CARD_ON_A_READ_ONLY_CATALOG, str(session.folder), as_user=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0" and proc.stderr == ""
