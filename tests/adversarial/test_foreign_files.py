"""Issue cases 1, 8 and 9: what real folders hold never stops saving. A file whose name is
not UTF-8 (Latin-1 from an old zip or FAT card), a file nobody may read, a dangling link or
a folder at the next file name, a foreign sidecar, another process's temporary file, and
session names longer than a file name may be."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from session.ingest.ingest import Ingester
from session.review.review_listing import list_session
from session.store.catalog import Catalog
from session.store.filenames import shown
from session.store.session import create_session, open_session
from session.store.storage import HOST_TAG, TEMP_PREFIX, TEMP_SUFFIX
from tests.adversarial.helpers import image_files, run_main, shot_of

LATIN1 = os.fsdecode(b"Portr\xe4t.jpg")       # 'Porträt.jpg' as a Latin-1 zip stores it


@pytest.fixture
def session(tmp_path: Path):
    return create_session("Smith", root=tmp_path / "sessions")


def test_a_latin1_file_name_is_recorded_losslessly_and_saving_goes_on(tmp_path):
    folder = tmp_path / "Smith"
    folder.mkdir()
    (folder / LATIN1).write_bytes(b"\xff\xd8 old scan \xff\xd9")
    proc = run_main("shoot", "--count", "2", "--session", str(folder), "--camera", "demo")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stdout.splitlines()) == 2                   # both shots verified
    assert (folder / LATIN1).read_bytes() == b"\xff\xd8 old scan \xff\xd9"   # untouched
    db = sqlite3.connect(folder / "catalog.sqlite")
    stored = dict(db.execute("SELECT name, typeof(name) FROM files").fetchall())
    db.close()
    assert stored[os.fsencode(LATIN1)] == "blob"                 # the exact bytes
    catalog = Catalog(folder)
    assert LATIN1 in catalog.known_names()
    catalog.close()
    listing = list_session(folder)
    shots = {s.name: s for s in listing.shots}
    assert LATIN1 in shots and shots[LATIN1].display_name == "Portr\\xe4t.jpg"
    assert shots[LATIN1].path.read_bytes().startswith(b"\xff\xd8")


def test_a_file_nobody_may_read_is_skipped_and_reported_and_saving_goes_on(tmp_path):
    folder = tmp_path / "Smith"
    folder.mkdir()
    locked = folder / "Locked.jpg"
    locked.write_bytes(b"\xff\xd8 private \xff\xd9")
    locked.chmod(0)
    os.chmod(tmp_path, 0o755)
    proc = run_main("shoot", "--count", "2", "--session", str(folder), "--camera", "demo",
                    as_user=True)
    assert proc.returncode == 0, proc.stderr
    assert "Locked.jpg" in proc.stderr and "could not be read" in proc.stderr
    assert len(proc.stdout.splitlines()) == 2
    locked.chmod(0o644)
    assert locked.read_bytes() == b"\xff\xd8 private \xff\xd9"   # left exactly as it was


def test_a_dangling_link_or_a_folder_at_the_next_name_is_stepped_over(session):
    (session.folder / "Smith_0001.jpg").symlink_to(session.folder / "nowhere.jpg")
    (session.folder / "Smith_0002.jpg").mkdir()
    ingester = Ingester(session)
    first = ingester.submit(shot_of("DSC_0001.JPG"))[0]
    second = ingester.submit(shot_of("DSC_0002.JPG"))[0]
    ingester.close()
    assert first.paths[0].name == "Smith_0001-2.jpg"
    assert second.paths[0].name == "Smith_0002-2.jpg"
    assert os.readlink(session.folder / "Smith_0001.jpg") == str(session.folder / "nowhere.jpg")
    assert (session.folder / "Smith_0002.jpg").is_dir()
    assert first.paths[0].read_bytes() == first.shot.files[0].data


def test_a_foreign_sidecar_does_not_pair_with_a_new_shot(session):
    foreign = session.folder / "Smith_0001.xmp"
    foreign.write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    ingester = Ingester(session)
    (result,) = ingester.submit(shot_of("DSC_0001.JPG"))
    ingester.close()
    assert result.paths[0].stem != "Smith_0001"
    assert foreign.read_text() == "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"


@pytest.mark.parametrize("name", ["Ж" * 65, "Ж" * 200, "🙂" * 70, "a" * 300])
def test_long_session_names_keep_the_sequence_number_and_extension(tmp_path, name):
    session = create_session(name, root=tmp_path / "sessions")
    ingester = Ingester(session)
    results = [ingester.submit(shot_of(f"DSC_{i:04d}.JPG"))[0] for i in (1, 2, 3)]
    ingester.close()
    names = [r.paths[0].name for r in results]
    assert [n[-9:] for n in names] == ["_0001.jpg", "_0002.jpg", "_0003.jpg"]
    assert all(len(n.encode()) <= 130 for n in names)
    assert names[0].startswith(name[:10])


def test_repair_leaves_a_live_process_temporary_file_alone(session):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = session.folder / f"{TEMP_PREFIX}{HOST_TAG}-{sleeper.pid}-abc{TEMP_SUFFIX}"
        live.write_bytes(b"being written by another process")
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True).stdout.strip()
        dead = session.folder / f"{TEMP_PREFIX}{HOST_TAG}-{gone}-def{TEMP_SUFFIX}"
        dead.write_bytes(b"left by a crash")
        other_host = session.folder / f"{TEMP_PREFIX}0badf00d-1-xyz{TEMP_SUFFIX}"
        other_host.write_bytes(b"another machine on a shared drive")
        ingester = Ingester(open_session(session.folder))
        report = ingester.repair_report
        ingester.close()
        assert live.exists() and other_host.exists() and not dead.exists()
        assert report.temp_removed == 1
    finally:
        sleeper.kill()
        sleeper.wait()


def test_the_review_lists_a_folder_holding_a_non_utf8_name(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / LATIN1).write_bytes(b"\xff\xd8\xff\xd9")
    (folder / "ok.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    listing = list_session(folder)
    assert {s.name for s in listing.shots} == {LATIN1, "ok.jpg"}
    assert shown(LATIN1) in {s.display_name for s in listing.shots}
    assert not (folder / "catalog.sqlite").exists()                  # nothing written into it
    assert image_files(folder) == sorted([folder / "ok.jpg", folder / LATIN1])


def test_a_recovered_file_keeps_its_capture_order_time(session):
    path = session.folder / "scan.jpg"
    path.write_bytes(b"\xff\xd8\xff\xd9")
    when = time.time() - 7200
    os.utime(path, (when, when))
    ingester = Ingester(session)
    shots = ingester.catalog.shots()
    ingester.close()
    assert abs(shots[0].captured_at - when) < 1 and shots[0].recovered
