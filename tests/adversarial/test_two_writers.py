"""Issue case 5: two processes on one session (two ``shoot``s, or the window and ``shoot``).
One writer per session: the second is refused with a message naming the first; nothing is
stored twice, no uncatalogued copy appears, every catalogued SHA-256 matches its file. And
``write_verified`` racing another process for the same names never reports its neighbour's
bytes as verified."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from session.store.catalog import Catalog
from session.store.storage import TEMP_PREFIX, sha256_of_file
from tests.adversarial.helpers import ROOT, image_files, run_python


def shoot(folder: Path, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "shoot", "--count",
                             str(count), "--session", str(folder), "--camera", "demo"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_consistent(folder: Path) -> Catalog:
    catalog = Catalog(folder)
    files = {f.name: f for shot in catalog.shots() for f in shot.files}
    on_disk = {p.name for p in image_files(folder)}
    assert on_disk == set(files), "folder and catalog disagree"
    for name, entry in files.items():
        assert sha256_of_file(folder / name) == entry.sha256, name
    assert not [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert not [n for n in on_disk if "-2." in n]
    assert catalog.integrity_ok()
    return catalog


def test_a_second_shoot_is_refused_while_the_first_shoots(tmp_path):
    folder = tmp_path / "Smith"
    first = shoot(folder, 15)
    line = first.stdout.readline()                   # the first shot is on disk: it shoots
    assert line, first.stderr.read()
    second = shoot(folder, 5)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 2 and out == ""
    assert "is being shot by Catchlight shoot" in err and f"process {first.pid}" in err
    rest, err_first = first.communicate(timeout=120)
    assert first.returncode == 0, err_first
    assert len([line, *rest.splitlines()]) == 15
    catalog = assert_consistent(folder)
    assert len(catalog.shots()) == 15
    catalog.close()


def test_two_shoots_started_together_never_mix(tmp_path):
    folder = tmp_path / "Smith"
    folder.mkdir()
    runs = [shoot(folder, 8), shoot(folder, 8)]
    results = [(p, *p.communicate(timeout=120)) for p in runs]
    codes = sorted(p.returncode for p, _o, _e in results)
    assert codes in ([0, 0], [0, 2]), [e for _p, _o, e in results]   # one after the other
    stored = sum(len(o.splitlines()) for _p, o, _e in results)
    catalog = assert_consistent(folder)
    assert len(catalog.shots()) == stored
    catalog.close()


RACER = """
import json, os, sys
from pathlib import Path
from session.store.storage import StorageError, write_verified
folder, me, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
verified = []
for i in range(rounds):
    data = (me * 400).encode() + str(i).encode()
    try:
        write_verified(folder / f"x_{i}.jpg", data)
    except FileExistsError:
        continue
    verified.append(i)
print(json.dumps(verified))
"""


def test_write_verified_never_verifies_the_other_process_bytes(tmp_path):
    rounds = 1500
    procs = [subprocess.Popen([sys.executable, "-c", RACER, str(tmp_path), who, str(rounds)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for who in ("A", "B")]
    outcomes = {}
    for who, proc in zip("AB", procs, strict=True):
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outcomes[who] = set(json.loads(out))
    assert not outcomes["A"] & outcomes["B"]                 # never both
    assert outcomes["A"] | outcomes["B"] == set(range(rounds))
    for who, indices in outcomes.items():
        for i in indices:
            assert (tmp_path / f"x_{i}.jpg").read_bytes() == (who * 400).encode() + str(i).encode()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_the_lock_dies_with_its_holder(tmp_path):
    folder = tmp_path / "Smith"
    folder.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\n"
                               "from session.store.session_lock import SessionLock\n"
                               "SessionLock(__import__('pathlib').Path(sys.argv[1])).acquire()\n"
                               "print('held', flush=True); time.sleep(60)", str(folder)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    probe = "import sys\nfrom pathlib import Path\nfrom session.store.session_lock import " \
            "SessionLock, SessionBusy\ntry:\n    SessionLock(Path(sys.argv[1])).acquire()\n" \
            "    print('free')\nexcept SessionBusy as e:\n    print('busy', e.user_message)"
    assert run_python(probe, str(folder)).stdout.startswith("busy")
    holder.kill()                                      # a crash: SIGKILL
    holder.wait()
    time.sleep(0.1)
    assert run_python(probe, str(folder)).stdout.strip() == "free"
