"""Issue 22, case 13: a backup copy killed half-way (SIGKILL while the backup drive syncs)
leaves a part file on the drive; the next time the session is opened it is removed, while a
part file of a live process and one of another machine are left alone."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys

from session.ingest.ingest import Ingester
from session.store.session import create_session
from session.store.storage import TEMP_PREFIX, TEMP_SUFFIX
from tests.adversarial.helpers import ROOT

DAY = dt.date(2026, 12, 2)

# The ingest of one shot whose backup copy never finishes syncing (as a slow drive): the
# primary is written, then the backup's fsync hangs until the process is killed.
STALLED_BACKUP = """
import os, sys, time
from pathlib import Path
from session.store.session import open_session
from session.ingest.ingest import Ingester
from tests.adversarial.helpers import shot_of
session = open_session(Path(sys.argv[1]))
backup = str(session.backup_folder)
real_fsync = os.fsync
def fsync(fd):
    if os.readlink(f"/proc/self/fd/{fd}").startswith(backup):
        print("syncing", flush=True)
        time.sleep(600)
    real_fsync(fd)
os.fsync = fsync
Ingester(session).submit(shot_of("DSC_0001.JPG"))
"""


def _parts(folder):
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(TEMP_PREFIX) and p.name.endswith(TEMP_SUFFIX))


def test_a_killed_backup_copy_leaves_nothing_behind_on_the_drive(tmp_path):
    session = create_session("Smith", root=tmp_path / "studio", backup_root=tmp_path / "drive",
                             day=DAY)
    child = subprocess.Popen([sys.executable, "-c", STALLED_BACKUP, str(session.folder)],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout.readline().strip() == "syncing", child.stderr.read()
        dead = _parts(session.backup_folder)
        assert len(dead) == 1                                  # killed half-way
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        host = dead[0][len(TEMP_PREFIX):].split("-")[0]
        live = f"{TEMP_PREFIX}{host}-{sleeper.pid}-aaaaaaaaaaaa{TEMP_SUFFIX}"
        other_machine = f"{TEMP_PREFIX}00000000-{os.getpid()}-bbbbbbbbbbbb{TEMP_SUFFIX}"
        for name in (live, other_machine):
            (session.backup_folder / name).write_bytes(b"half a file")
        Ingester(session).close()                              # the session opened again
        assert _parts(session.backup_folder) == sorted([live, other_machine])
    finally:
        sleeper.kill()
        sleeper.wait()
