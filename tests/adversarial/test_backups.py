"""Issue case 4: one backup drive for many sessions. A backup never deletes or replaces
anything already there: another session's file of the same name keeps its place, ours takes
a free name, and each catalog records where its copy really is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from session.ingest.ingest import Ingester
from session.store.catalog import Catalog
from session.store.session import create_session
from session.store.storage import sha256_of_file
from tests.adversarial.helpers import run_main, shot_of

DAY = dt.date(2026, 11, 29)


def backups_of(folder: Path) -> dict[str, tuple[str, str]]:
    catalog = Catalog(folder)
    try:
        return {f.name: (f.backup_path or "", f.sha256) for s in catalog.shots() for f in s.files}
    finally:
        catalog.close()


def test_two_smith_sessions_on_one_backup_drive_keep_both_copies(tmp_path):
    drive = tmp_path / "backup drive"
    first = create_session("Smith", root=tmp_path / "studio A", backup_root=drive, day=DAY)
    second = create_session("Smith", root=tmp_path / "studio B", backup_root=drive, day=DAY)
    assert first.backup_folder == second.backup_folder      # same day, same name
    a = Ingester(first)
    a.submit(shot_of("DSC_0001.JPG", seed=b"first"))
    a.close()
    b = Ingester(second)
    b.submit(shot_of("DSC_0001.JPG", seed=b"second"))
    b.close()
    for session in (first, second):
        for name, (backup, sha) in backups_of(session.folder).items():
            assert backup, f"{name} has no backup"
            assert sha256_of_file(Path(backup)) == sha         # each points at its own bytes
            assert sha256_of_file(session.folder / name) == sha
    paths = {backups_of(s.folder)["Smith_0001.jpg"][0] for s in (first, second)}
    assert len(paths) == 2                                     # two files, none replaced


def test_a_late_backup_copy_never_replaces_another_sessions_file(tmp_path):
    drive = tmp_path / "drive"
    session = create_session("Smith", root=tmp_path / "s", backup_root=drive, day=DAY)
    drive_folder = session.backup_folder
    drive_folder.rmdir()                                       # the drive is not mounted yet
    drive.rmdir()
    ingester = Ingester(session)
    blocker = drive                                            # a file where the folder goes
    blocker.write_bytes(b"not a folder")
    (result,) = ingester.submit(shot_of("DSC_0001.JPG"))
    assert result.backup_problem
    blocker.unlink()                                           # the drive arrives, holding
    drive_folder.mkdir(parents=True)                           # another session's Smith_0001
    (drive_folder / "Smith_0001.jpg").write_bytes(b"another session's picture")
    assert ingester.retry_backups() == ""
    ingester.close()
    assert (drive_folder / "Smith_0001.jpg").read_bytes() == b"another session's picture"
    backup, sha = backups_of(session.folder)["Smith_0001.jpg"]
    assert Path(backup).name == "Smith_0001-2.jpg" and sha256_of_file(Path(backup)) == sha


def test_the_same_bytes_already_on_the_drive_count_as_the_copy(tmp_path):
    drive = tmp_path / "drive"
    session = create_session("Smith", root=tmp_path / "s", backup_root=drive, day=DAY)
    shot = shot_of("DSC_0001.JPG")
    (session.backup_folder / "Smith_0001.jpg").write_bytes(shot.files[0].data)
    ingester = Ingester(session)
    ingester.submit(shot)
    ingester.close()
    assert sorted(p.name for p in session.backup_folder.iterdir()) == ["Smith_0001.jpg"]


def test_shoot_backs_up_into_a_folder_per_session(tmp_path):
    drive = tmp_path / "drive"
    for name in ("Anna", "Ben"):
        proc = run_main("shoot", "--count", "1", "--session", str(tmp_path / name),
                        "--camera", "demo", "--backup", str(drive))
        assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in drive.iterdir()) == ["Anna", "Ben"]
    assert [p.name for p in (drive / "Anna").iterdir()] == ["Anna_0001.jpg"]
