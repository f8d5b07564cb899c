"""Issue 22, case 2, below the windows: one session listener that fails (a closed window's
bridge) is dropped; every other listener still hears every change, and the change itself is
kept."""

from __future__ import annotations

import logging

from session.model.live_session import SessionModel
from session.model.session_snapshot import load_snapshot
from tests.proofing_session import make_proofing_session


def test_a_failing_listener_is_dropped_and_the_others_still_hear(tmp_path, caplog):
    folder = tmp_path / "Day"
    make_proofing_session(folder)
    model = SessionModel()
    model.open(load_snapshot(folder))
    heard: list[str] = []
    calls = {"dead": 0}

    def dead(_event: object) -> None:
        calls["dead"] += 1
        raise RuntimeError("Signal source has been deleted")

    model.subscribe(lambda e: heard.append(f"first {type(e).__name__}"))
    model.subscribe(dead)
    model.subscribe(lambda e: heard.append(f"last {type(e).__name__}"))
    key = model.shots[0].key
    with caplog.at_level(logging.WARNING, logger="session.model.live_session"):
        model.press(key, "3")
        model.press(key, "p")
    assert heard == ["first ShotChanged", "last ShotChanged"] * 2
    assert calls["dead"] == 1                              # dropped after its first failure
    assert model.marks(key).rating == 3 and model.marks(key).pick == 1
    assert "dropped" in caplog.text
    model.close()
