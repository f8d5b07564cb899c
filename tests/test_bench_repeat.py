"""bench/repeat.py tells the truth about several runs: each figure as min–median–max, and
`target met` only when every run met it."""

from __future__ import annotations

from bench.repeat import merge, run_once


def test_figures_become_their_ranges_and_constant_targets_stay_single():
    lines = ["live view 29.1 fps (>=29), stall 18.0 ms",
             "live view 29.7 fps (>=29), stall 25.5 ms",
             "live view 29.4 fps (>=29), stall 12.0 ms"]
    assert merge(lines) == "live view 29.1–29.4–29.7 fps (>=29), stall 12.0–18.0–25.5 ms"
    assert merge(["a 1 b", "a 1 c"]) == "run 1: a 1 b | run 2: a 1 c"


def test_one_missed_run_is_a_missed_target(tmp_path):
    script = tmp_path / "flaky.py"
    counter = tmp_path / "count"
    script.write_text(
        "import pathlib, sys\n"
        f"p = pathlib.Path({str(counter)!r})\n"
        "n = int(p.read_text()) + 1 if p.exists() else 1\n"
        "p.write_text(str(n))\n"
        "print('noise', file=sys.stderr)\n"
        "print(f'target {\"missed\" if n == 2 else \"met\"}: figure {n}.0 ms')\n")
    results = [run_once([str(script)], tmp_path / f"run-{n}.log") for n in range(3)]
    assert [met for met, _figures in results] == [True, False, True]
    assert "noise" in (tmp_path / "run-0.log").read_text()        # kept, not on the terminal
    broken = tmp_path / "broken.py"
    broken.write_text("raise SystemExit(3)\n")
    met, said = run_once([str(broken)], tmp_path / "broken.log")
    assert not met and "code 3" in said
