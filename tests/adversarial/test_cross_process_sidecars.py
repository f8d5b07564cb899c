"""Issue 22, case 1: a client's heart (the proofing server's own process) and the
photographer's marks (``mark``, another process) racing on one shot. One writer per sidecar
across processes: afterwards the catalog and the sidecar say the same, the SHA-256 the catalog
keeps is the file's, and a catalog rebuilt from the sidecars never shows a reject to the
client."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from session.culling.culling import Culler, scan_sidecars
from session.culling.culling_store import CullingStore
from session.culling.xmp_sidecar import read_sidecar, sidecar_digest
from session.review.review_listing import list_session
from tests.adversarial.helpers import ROOT, run_main

ROUNDS = 150

# The photographer's side: rejects and un-rejects, stars, and before every press a look at the
# sidecar: only this process changes marks, so the sidecar must say what it last wrote (a
# heart that read the sidecar before a mark and wrote it after would put the old marks back).
MARKER = """
import sys, time
from pathlib import Path
from session.culling.culling import Culler, scan_sidecars
from session.review.review_listing import list_session
from session.culling.xmp_sidecar import read_sidecar
folder = Path(sys.argv[1])
listing = list_session(folder)
originals = {s.name: s.path for s in listing.shots}
name = next(iter(originals))
culler = Culler(folder, listing.session_name, originals, scan_sidecars(folder, originals))
(folder.parent / "marker-ready").touch()
while not (folder.parent / "hearts-ready").exists():
    time.sleep(0.005)
stale = 0
for round in range(int(sys.argv[2])):
    time.sleep(0.002)
    if read_sidecar(originals[name]) not in (None, culler.marks(name)):
        stale += 1
    culler.press(name, "x" if round % 2 == 0 else "u")
    culler.press(name, str(1 + round % 5))
culler.press(name, "x")
culler.close()
(folder.parent / "marker-done").touch()
print(stale)
"""

# The client's side, as the proofing server's child keeps a heart: catalog, then sidecar.
HEARTS = """
import sys, time
from pathlib import Path
from session.culling.client_favourites import FavouritesStore, write_favourite
from session.review.review_listing import list_session
folder = Path(sys.argv[1])
shot = list_session(folder).shots[0]
(folder.parent / "hearts-ready").touch()
while not (folder.parent / "marker-ready").exists():
    time.sleep(0.005)
round = 0
while not (folder.parent / "marker-done").exists() or round < 20:
    store = FavouritesStore(folder)
    said = store.set(shot.name, f"phone-{round % 3}", round % 2 == 0, "")
    store.close()
    write_favourite(folder, shot.path, said)
    round += 1
"""


def _start(code: str, folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, str(folder), str(ROUNDS)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_hearts_and_rejects_on_one_shot_from_two_processes_agree(tmp_path):
    folder = tmp_path / "Smith"
    made = run_main("shoot", "--count", "1", "--session", str(folder), "--camera", "demo")
    assert made.returncode == 0, made.stderr
    marker, hearts = _start(MARKER, folder), _start(HEARTS, folder)
    stale, err = marker.communicate(timeout=300)
    assert marker.returncode == 0, err
    _out, err = hearts.communicate(timeout=300)
    assert hearts.returncode == 0, err
    assert int(stale) == 0, f"{stale.strip()} of {ROUNDS} looks found a mark undone by a heart"

    shot = list_session(folder).shots[0]
    store = CullingStore(folder)
    catalog_marks = store.marks()[shot.name][0]
    recorded = store.sidecar_shas()[shot.name]
    store.close()
    assert catalog_marks.pick == -1                                # the last word was a reject
    assert read_sidecar(shot.path) == catalog_marks                 # the sidecar says the same
    assert recorded == sidecar_digest(shot.path)                    # the files are the ones kept

    # A catalog rebuilt from the sidecars alone: the shot is still a reject.
    (folder / "catalog.sqlite").rename(tmp_path / "catalog.sqlite.old")
    for side in ("-wal", "-shm"):
        Path(f"{folder / 'catalog.sqlite'}{side}").unlink(missing_ok=True)
    originals = {s.name: s.path for s in list_session(folder).shots}
    rebuilt = Culler(folder, "Smith", originals, scan_sidecars(folder, originals))
    try:
        assert rebuilt.marks(shot.name).pick == -1
    finally:
        rebuilt.close()
