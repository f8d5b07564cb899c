"""Issue cases 11 and 12: an export never lands inside a session (its copies would come back
as "recovered" shots) and its files never pair with a foreign sidecar; a session on read-only
media is reviewed read-only with culling off, and a plain folder is reviewed without writing
anything into it."""

from __future__ import annotations

import errno
import json
import subprocess
from pathlib import Path

import pytest

from session.culling.culling import Culler
from session.delivery.export import ExportOptions, export_shots
from session.model.session_snapshot import load_snapshot
from session.review.review_listing import list_session
from session.store import storage
from tests.adversarial.helpers import run_python
from tests.sample_session import make_session


@pytest.fixture
def session(tmp_path: Path) -> Path:
    folder = tmp_path / "Anna"
    make_session(folder, 3, size=(300, 200), name="Anna")
    return folder


@pytest.mark.parametrize("where", [".", "exports", "exports/jpeg"])
def test_export_into_a_session_folder_is_refused(session, where):
    shots = list(list_session(session).shots)
    with pytest.raises(ValueError, match="outside"):
        export_shots(shots, "Anna", ExportOptions(session / where))
    assert not (session / "exports").exists()


def test_export_into_another_session_is_refused_too(session, tmp_path):
    other = tmp_path / "Ben"
    make_session(other, 1, size=(300, 200), name="Ben")
    with pytest.raises(ValueError, match="outside"):
        export_shots(list(list_session(session).shots), "Anna", ExportOptions(other))


def test_exported_files_never_pair_with_a_foreign_sidecar(session, tmp_path):
    out = tmp_path / "delivery" / "Originals"      # where the originals of an export go
    out.mkdir(parents=True)
    (out / "Anna_0001.jpg").write_bytes(b"the client's earlier delivery")
    (out / "Anna_0001-2.xmp").write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")  # foreign
    shots = list(list_session(session).shots)[:1]
    culler = Culler(session, "Anna", {s.name: s.path for s in shots})
    culler.press(shots[0].name, "5")
    culler.close()
    report = export_shots(shots, "Anna", ExportOptions(out.parent, jpeg=False))
    (image,) = report.written
    assert image.name == "Anna_0001-3.jpg"                  # -2 would meet the foreign .xmp
    assert (out / "Anna_0001-3.xmp").is_file()              # its own sidecar, same stem
    assert (out / "Anna_0001-2.xmp").read_text() == "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"
    assert (out / "Anna_0001.jpg").read_bytes() == b"the client's earlier delivery"


def test_a_full_disk_stops_the_export_with_a_true_message(session, tmp_path, monkeypatch):
    def full(_fd, _data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage, "_write_all", full)
    report = export_shots(list(list_session(session).shots), "Anna",
                          ExportOptions(tmp_path / "out"))
    assert report.stopped and "full" in report.summary()
    assert "will be saved" not in report.summary() and "kept" not in report.summary()
    assert "export stopped" in report.failures[0]


REVIEW_READ_ONLY = """
import json, sys
from pathlib import Path
from session.culling.culling import Culler, scan_sidecars
from session.model.session_snapshot import load_snapshot
folder = Path(sys.argv[1])
data = load_snapshot(folder)
shots = {s.key: s.path for s in data.shots}
culler = Culler(folder, "Anna", shots, scan_sidecars(folder, shots))
pressed = culler.press(next(iter(shots)), "5")
print(json.dumps({"shots": len(shots), "readonly": data.readonly,
                  "culler_readonly": culler.readonly, "pressed": pressed is not None,
                  "problems": list(data.problems)}))
"""


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_session_that_may_not_be_written_is_reviewed_read_only(session, tmp_path):
    before = files_of(session)
    session.chmod(0o555)
    tmp_path.chmod(0o755)
    try:
        proc = run_python(REVIEW_READ_ONLY, str(session), as_user=True)
    finally:
        session.chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    outcome = json.loads(proc.stdout)
    assert outcome["shots"] == 3 and outcome["culler_readonly"] and not outcome["pressed"]
    assert "read-only" in outcome["readonly"]
    assert files_of(session) == before                       # not one byte written


def test_a_session_on_a_read_only_mount_is_reviewed(session, tmp_path):
    mount = tmp_path / "card"
    mount.mkdir()
    made = subprocess.run(["mount", "--bind", str(session), str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"no read-only mount can be made here ({made.stderr.decode().strip()})")
    try:
        ro = subprocess.run(["mount", "-o", "remount,ro,bind", str(mount)], capture_output=True)
        if ro.returncode != 0:
            pytest.skip(f"the bind mount cannot be made read-only ({ro.stderr.decode().strip()})")
        data = load_snapshot(mount)
        assert len(data.shots) == 3 and data.readonly
        culler = Culler(mount, "Anna", {s.key: s.path for s in data.shots})
        assert culler.readonly and culler.press(data.shots[0].key, "3") is None
        culler.close()
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_plain_folder_is_reviewed_without_writing_into_it(tmp_path, isolated_settings):
    folder = tmp_path / "card dump"
    make_session(folder, 2, size=(300, 200), name="x")
    (folder / "catalog.sqlite").unlink()
    for side in folder.glob("catalog.sqlite-*"):
        side.unlink()
    before = files_of(folder)
    data = load_snapshot(folder)
    assert len(data.shots) == 2 and not data.readonly
    assert files_of(folder) == before
    assert list((isolated_settings / "cache" / "Catchlight" / "folders").glob("*/catalog.sqlite"))
