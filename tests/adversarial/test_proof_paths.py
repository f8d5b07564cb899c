"""Issue 22, cases 5 and 13: ``proof`` on a session whose folder name holds ``#``, ``?`` and
``%20`` (the sanitiser keeps them), shot by ``shoot`` in another process without analysis:
it makes no stray file, checks the unanalysed shots itself and says so on its console, new
shots reach the phones and a shot rejected after the start is taken off them."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from tests.adversarial.helpers import ROOT, run_main
from tests.proofing_session import get


def _listed(link: str) -> list[str]:
    status, _h, body = get(link + "api/shots")
    assert status == 200
    return [s["name"] for s in json.loads(body)["shots"]]


def _wait_for(link: str, wanted: int) -> list[str]:
    names: list[str] = []
    for _ in range(600):                     # a bounded wait: the models load, then check
        names = _listed(link)
        if len(names) == wanted:
            return names
        time.sleep(0.1)
    return names


def test_proof_serves_a_session_named_with_url_characters(tmp_path):
    folder = tmp_path / "Smith #2 ?take %20"
    made = run_main("shoot", "--count", "2", "--session", str(folder), "--camera", "demo")
    assert made.returncode == 0, made.stderr
    before = sorted(p.name for p in tmp_path.iterdir())
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "proof", str(folder),
                                "--bind", "127.0.0.1"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        link = process.stdout.readline().strip()
        assert link.startswith("http://127.0.0.1:"), process.stderr.read()
        assert len(_wait_for(link, 2)) == 2          # checked by proof's own face model
        shot = run_main("shoot", "--count", "1", "--session", str(folder), "--camera", "demo")
        assert shot.returncode == 0, shot.stderr
        names = _wait_for(link, 3)
        assert len(names) == 3                        # a new shot reaches the phones
        marked = run_main("mark", str(folder), names[0], "--reject")
        assert marked.returncode == 0, marked.stderr
        assert sorted(_wait_for(link, 2)) == sorted(names[1:])    # the reject is taken off
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    err = process.stderr.read()
    assert code == 0, err
    assert "not yet checked by the face model: checking them now" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before      # no stray "Smith " file
