"""Keyboard culling: keys change catalog and sidecar together, undo, filters, and sidecars
edited elsewhere are read back at open (the newer wins) and reported."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from session.culling.culling import Culler, CullFilter, apply_key
from session.culling.culling_store import CullingStore
from session.culling.xmp_sidecar import (
    CullMarks,
    darktable_sidecar_path,
    read_sidecar,
    write_sidecar,
)
from session.store.session import create_session


@pytest.fixture
def shots(tmp_path):
    session = create_session("Cull & <Co>", root=tmp_path)
    originals = {}
    for i in range(1, 4):
        path = session.folder / f"Cull_{i:04d}.jpg"
        path.write_bytes(b"\xff\xd8\xff\xd9")
        originals[path.name] = path
    return session, originals


def test_keys_follow_photographers_conventions():
    m = CullMarks()
    assert apply_key(m, "3") == CullMarks(3, "", 0)
    assert apply_key(CullMarks(3), "0") == CullMarks(0)
    assert apply_key(m, "P").pick == 1 and apply_key(m, "x").pick == -1
    assert apply_key(CullMarks(2, "", -1), "u") == CullMarks(2, "", 0)
    assert apply_key(m, "6").label == "Red" and apply_key(CullMarks(0, "Red"), "6").label == ""
    assert apply_key(CullMarks(0, "", -1), "4") == CullMarks(4, "", 0)  # rating un-rejects
    assert apply_key(m, "q") is None


def test_each_key_changes_catalog_and_sidecar_together_and_undoes(shots):
    session, originals = shots
    culler = Culler(session.folder, session.name, originals)
    culler.press("Cull_0001.jpg", "5")
    culler.press("Cull_0001.jpg", "7")
    culler.press("Cull_0002.jpg", "x")
    expected = CullMarks(5, "Yellow", 0)
    assert culler.marks("Cull_0001.jpg") == expected
    assert read_sidecar(originals["Cull_0001.jpg"]) == expected
    store = CullingStore(session.folder)
    assert store.marks()["Cull_0001.jpg"][0] == expected
    assert store.rejected() == {"Cull_0002.jpg"}
    store.close()
    assert read_sidecar(originals["Cull_0002.jpg"]).pick == -1
    assert 'xmp:Rating="-1"' in originals["Cull_0002.jpg"].with_suffix(".xmp").read_text()
    assert culler.undo() == ("Cull_0002.jpg", CullMarks())
    assert read_sidecar(originals["Cull_0002.jpg"]) == CullMarks()
    assert culler.undo() == ("Cull_0001.jpg", CullMarks(5, "", 0))
    culler.close()


def test_filters():
    flags = ["eyes_closed"]
    assert CullFilter(picks_only=True).accepts(CullMarks(0, "", 1))
    assert not CullFilter(picks_only=True).accepts(CullMarks(5))
    assert CullFilter(min_rating=3).accepts(CullMarks(4))
    assert not CullFilter(min_rating=3).accepts(CullMarks(2))
    assert not CullFilter(unflagged_only=True).accepts(CullMarks(0, "", -1))
    assert CullFilter(label="Green").accepts(CullMarks(0, "Green"))
    assert not CullFilter(hide_eye_problems=True).accepts(CullMarks(5), flags)
    assert CullFilter(hide_eye_problems=True).accepts(CullMarks(5), ["not_looking"])
    light = CullFilter(hide_light_problems=True)
    assert not light.accepts(CullMarks(5), ["face_clipped"])
    assert not light.accepts(CullMarks(5), ["no_catchlight"])
    assert light.accepts(CullMarks(5), ["eyes_soft"]) and CullFilter().accepts(CullMarks(5),
                                                                                ["face_clipped"])


def test_a_sidecar_edited_by_another_program_wins_when_newer(shots):
    session, originals = shots
    culler = Culler(session.folder, session.name, originals)
    culler.press("Cull_0001.jpg", "2")
    culler.press("Cull_0003.jpg", "4")
    culler.close()
    time.sleep(0.05)
    write_sidecar(originals["Cull_0001.jpg"], CullMarks(5, "Green", 0))  # edited elsewhere
    old = originals["Cull_0003.jpg"]
    write_sidecar(old, CullMarks(1))
    stale = time.time() - 3600
    for sidecar in (old.with_suffix(".xmp"), darktable_sidecar_path(old)):
        os.utime(sidecar, (stale, stale))   # an older edit loses
    (originals["Cull_0002.jpg"].with_suffix(".xmp")).write_text("garbage")
    reopened = Culler(session.folder, session.name, originals)
    assert reopened.conflicts == ["Cull_0001.jpg"]
    assert reopened.marks("Cull_0001.jpg") == CullMarks(5, "Green", 0)
    assert reopened.marks("Cull_0003.jpg") == CullMarks(4)
    assert any("Cull_0002.xmp" in p for p in reopened.problems)
    reopened.close()


def test_old_catalogs_gain_rating_columns(tmp_path: Path):
    import sqlite3

    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    db.execute("CREATE TABLE culling (name TEXT PRIMARY KEY, pick INTEGER NOT NULL DEFAULT 0, "
               "changed_at REAL NOT NULL)")
    db.execute("INSERT INTO culling VALUES ('a.jpg', -1, 1.0)")
    db.commit()
    db.close()
    store = CullingStore(tmp_path)
    assert store.marks()["a.jpg"][0] == CullMarks(0, "", -1)
    store.close()
