"""Safe ingest: names from templates, atomic verified writes, backup verification, hostile
camera names, disk full and unwritable folders, crash repair."""

from __future__ import annotations

import errno
import hashlib
import os
import time
from pathlib import Path

import pytest

from camera.types import CameraFile, CaptureTarget, DownloadedFile, DownloadedShot
from session.ingest.ingest import Ingester
from session.store import storage
from session.store.catalog import Catalog
from session.store.naming import NameTemplate, TemplateError
from session.store.session import create_session, open_session, save_template
from session.store.storage import StorageError


def shot_of(*names: str, folder: str = "/DCIM/100", body: bool = False) -> DownloadedShot:
    files = []
    for name in names:
        data = os.urandom(2048) + name.encode("utf-8", "replace")
        files.append(DownloadedFile(CameraFile(folder, name), data,
                                    hashlib.sha256(data).hexdigest()))
    return DownloadedShot(tuple(files), time.time(), "Nikon DSC D750", CaptureTarget.CARD, body)


@pytest.fixture
def session(tmp_path: Path):
    return create_session("Smith headshots", root=tmp_path / "sessions")


def test_session_folder_is_dated_under_pictures_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("CATCHLIGHT_SESSIONS_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    s = create_session("Acme / Board")
    assert s.folder.parent == tmp_path / "Pictures" / "Catchlight"
    assert s.folder.name == f"{time.strftime('%Y-%m-%d')}_Acme _ Board"
    assert s.name == "Acme / Board"


def test_ingest_writes_verifies_and_catalogs(session):
    ingester = Ingester(session)
    shot = shot_of("DSC_0001.JPG")
    (result,) = ingester.submit(shot)
    path = result.paths[0]
    assert path.name == "Smith headshots_0001.jpg"
    assert path.read_bytes() == shot.files[0].data
    records = ingester.catalog.shots()
    assert [r.seq for r in records] == [1]
    assert records[0].files[0].sha256 == shot.files[0].sha256
    assert records[0].files[0].camera_path == "/DCIM/100/DSC_0001.JPG"
    assert not list(session.folder.glob(".catchlight-*"))
    ingester.close()
    assert Catalog(session.folder).db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_raw_and_jpeg_share_one_sequence_number(session):
    ingester = Ingester(session)
    ingester.submit(shot_of("DSC_0007.NEF", "DSC_0007.JPG"))
    ingester.submit(shot_of("DSC_0008.JPG"))
    names = sorted(p.name for p in session.folder.iterdir() if p.suffix != ".sqlite"
                   and not p.name.startswith(".")
                   and not p.name.startswith("catalog"))
    assert names == ["Smith headshots_0001.jpg", "Smith headshots_0001.nef",
                     "Smith headshots_0002.jpg"]
    assert len(ingester.catalog.shots()[0].files) == 2


@pytest.mark.parametrize("hostile", [
    "../../x.jpg", "/etc/passwd", "..\\..\\evil.JPG", "a\0b.jpg", "\u202egpj.exe",
    "con.jpg", "x" * 600 + ".jpg", "....", "dir/../../up.jpg", "\n\r\t.jpg",
])
def test_hostile_camera_names_never_leave_the_session(session, hostile):
    template = "{orig}_{seq:03d}"
    s = save_template(session, template)
    ingester = Ingester(s)
    (result,) = ingester.submit(shot_of(hostile))
    for path in result.paths:
        assert path.resolve().parent == s.folder.resolve()
        assert "\0" not in path.name and "/" not in path.name and len(path.name.encode()) < 200
        assert "\u202e" not in path.name
    outside = {p for p in s.folder.parent.rglob("*") if s.folder not in p.parents
               and p != s.folder}
    assert outside == set()


def test_names_that_collide_after_sanitising_get_distinct_files(session):
    ingester = Ingester(session.with_template("{orig}_{seq}"))
    (result,) = ingester.submit(shot_of("a/b.jpg", "a\\b.jpg", "b.jpg"))
    assert sorted(p.name for p in result.paths) == ["b_1-2.jpg", "b_1-3.jpg", "b_1.jpg"]
    assert len({p.read_bytes() for p in result.paths}) == 3


def test_existing_file_is_never_overwritten(session):
    (session.folder / "Smith headshots_0001.jpg").write_bytes(b"someone else's file")
    ingester = Ingester(session)  # repair records the stranger as shot 1
    (result,) = ingester.submit(shot_of("DSC_0001.JPG"))
    assert (session.folder / "Smith headshots_0001.jpg").read_bytes() == b"someone else's file"
    assert result.paths[0].read_bytes() == result.shot.files[0].data


@pytest.mark.parametrize("template, fragment", [
    ("../{seq}", "'/'"), ("/abs/{seq}", "'/'"), ("{session}", "{seq}"),
    ("{nope}_{seq}", "Unknown token"), ("{seq:04q}", "not a valid format"),
    ("{seq", "braces"), ("", "empty"), ("{ext}_{seq}", "end"), ("{seq!r}", "conversion"),
])
def test_bad_templates_are_refused_with_a_clear_message(template, fragment):
    with pytest.raises(TemplateError) as info:
        NameTemplate(template)
    assert fragment in str(info.value)


def test_template_tokens_render(session):
    t = NameTemplate("{date}_{time}_{camera}_{orig}_{seq:05d}.{ext}")
    from session.store.naming import NameFields
    name = t.render(NameFields("S", 12, time.mktime((2026, 3, 4, 5, 6, 7, 0, 0, -1)),
                               "Nikon D750", "DSC_0042", "NEF"))
    assert name == "2026-03-04_050607_Nikon D750_DSC_0042_00012.nef"


def test_disk_full_keeps_the_shot_and_the_next_attempt_stores_it(session, monkeypatch):
    ingester = Ingester(session)
    real_write = storage._write_all
    full = {"on": True}

    def write_all(fd, data):
        if full["on"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(fd, data)

    monkeypatch.setattr(storage, "_write_all", write_all)
    shot = shot_of("DSC_0001.JPG")
    with pytest.raises(StorageError) as info:
        ingester.submit(shot)
    assert "full" in info.value.user_message
    assert ingester.queued() == [shot]
    assert not [p for p in session.folder.iterdir() if p.suffix == ".jpg" or ".part" in p.name]
    assert ingester.catalog.shots() == []
    full["on"] = False
    second = shot_of("DSC_0002.JPG")
    results = ingester.submit(second)
    assert [r.shot for r in results] == [shot, second]
    assert not ingester.pending


def test_read_only_folder_via_eacces(session, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    ingester = Ingester(session)
    monkeypatch.setattr(storage.os, "open", refuse)
    with pytest.raises(StorageError) as info:
        ingester.submit(shot_of("DSC_0001.JPG"))
    assert "may not write" in info.value.user_message and ingester.pending


def test_backup_copy_is_written_and_verified(tmp_path):
    s = create_session("B", root=tmp_path / "main", backup_root=tmp_path / "backup")
    ingester = Ingester(s)
    (result,) = ingester.submit(shot_of("DSC_0001.JPG"))
    backup = Path(ingester.catalog.shots()[0].files[0].backup_path)
    assert backup.parent == tmp_path / "backup" / s.folder.name
    assert backup.read_bytes() == result.paths[0].read_bytes()


def test_failed_backup_never_loses_the_primary_copy(tmp_path, monkeypatch):
    s = create_session("B", root=tmp_path / "main", backup_root=tmp_path / "backup")
    ingester = Ingester(s)
    real = storage.write_verified

    def flaky(path, data, *consequence):
        if (tmp_path / "backup") in path.parents:
            raise StorageError("The disk holding the backup is full.", errno.ENOSPC)
        real(path, data)

    monkeypatch.setattr("session.ingest.backup_copy.write_verified", flaky)
    (result,) = ingester.submit(shot_of("DSC_0001.JPG"))
    assert result.paths[0].exists()
    assert "Backup copy failed" in result.backup_problem
    assert ingester.catalog.shots()[0].files[0].backup_path is None
    assert ingester.backups_missing                       # to be made later
    monkeypatch.undo()                                    # the backup drive has room again
    assert ingester.retry() == []
    backup = ingester.catalog.shots()[0].files[0].backup_path
    assert backup and Path(backup).read_bytes() == result.paths[0].read_bytes()
    assert not ingester.backups_missing
    ingester.close()


def test_corrupted_write_is_detected(session, monkeypatch):
    real = storage._write_all
    monkeypatch.setattr(storage, "_write_all", lambda fd, data: real(fd, data[:-1] + b"X"))
    ingester = Ingester(session)
    with pytest.raises(StorageError) as info:
        ingester.submit(shot_of("DSC_0001.JPG"))
    assert "did not read back identically" in info.value.user_message
    assert ingester.pending and not list(session.folder.glob("*.jpg"))


def test_crash_between_write_and_catalog_is_repaired_at_next_start(session):
    (session.folder / "Smith headshots_0001.jpg").write_bytes(b"\xff\xd8 saved before crash")
    (session.folder / ".catchlight-Smith headshots_0002.jpg.part").write_bytes(b"half")
    ingester = Ingester(open_session(session.folder))
    report = ingester.repair_report
    assert report.recovered == ("Smith headshots_0001.jpg",) and report.temp_removed == 1
    assert "not in the catalog were recorded" in report.message
    shots = ingester.catalog.shots()
    assert shots[0].recovered and shots[0].files[0].name == "Smith headshots_0001.jpg"
    (result,) = ingester.submit(shot_of("DSC_0002.JPG"))
    assert result.paths[0].name == "Smith headshots_0002.jpg"
    assert ingester.catalog.integrity_ok()
    assert Ingester(open_session(session.folder)).repair_report.recovered == ()


def test_shots_stored_before_the_disk_fills_are_still_reported(session, monkeypatch):
    """Two shots queued; the disk fills after the first: the first must still reach the
    filmstrip (and its RAM copy be released), the second stays queued."""
    from session.ingest.ingest_worker import IngestWorker

    real_write = storage._write_all
    writes = {"n": 0, "fail_from": None}

    def write_all(fd, data):
        writes["n"] += 1
        if writes["fail_from"] is not None and writes["n"] >= writes["fail_from"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(fd, data)

    monkeypatch.setattr(storage, "_write_all", write_all)
    ingester = Ingester(session)
    first, second = shot_of("DSC_0001.JPG"), shot_of("DSC_0002.JPG")
    ingester.queue(first)
    ingester.queue(second)
    writes["fail_from"] = 2                    # the first shot's write succeeds, then full
    worker = IngestWorker(session, lambda r: None, lambda m, n: None)
    reported, failures = [], []
    worker.on_stored = reported.append
    worker.on_failed = lambda message, waiting: failures.append(waiting)
    worker._waiting = 2
    worker._attempt(ingester, None)
    assert [r.shot for r in reported] == [first] and failures == [1]
    assert worker.waiting == 1 and ingester.queued() == [second]
    ingester.close()


def test_each_person_has_their_own_shot_numbers(session):
    """{pseq}: Zoë's shots are 001, 002, 003 however many colleagues come between (a RAW+JPEG
    pair is one number), and the numbering goes on after the session is opened again."""
    from session.people.roster import Person
    from session.people.roster_store import RosterStore

    zoe, fernando = Person("E-17", "Zoë O'Brien"), Person("E-19", "Fernando García-López")
    session = save_template(session, "{id}_{pseq:03d}")
    ingester = Ingester(session)
    names: list[str] = []

    def take(person: Person, *files: str) -> None:
        ingester.person = person
        (result,) = ingester.submit(shot_of(*files))
        store = RosterStore(session.folder)           # the roster panel records whose it is
        for path in result.paths:
            store.assign(path.name, person.id)
        store.close()
        names.extend(path.name for path in result.paths)

    take(zoe, "DSC_0001.JPG")
    take(zoe, "DSC_0002.NEF", "DSC_0002.JPG")
    take(fernando, "DSC_0003.JPG")
    ingester.close()
    again = Ingester(open_session(session.folder))
    again.person = zoe
    (result,) = again.submit(shot_of("DSC_0004.JPG"))
    again.close()
    assert names == ["E-17_001.jpg", "E-17_002.nef", "E-17_002.jpg", "E-19_001.jpg"]
    assert result.paths[0].name == "E-17_003.jpg"


def test_a_person_number_alone_is_refused():
    with pytest.raises(TemplateError, match="pseq"):
        NameTemplate("{session}_{pseq:03d}")
