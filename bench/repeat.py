"""Runs one benchmark script several times (3 unless told) and says what held on every run: each
figure of its closing line as min–median–max over the runs, and `target met` only if every run
met its target (a target that holds on some runs only is a target missed). Each run's other
output goes to a log file (the terminal stays quiet); its path is printed.

Plain Python, no Qt; the runs are child processes, one after another.

    python bench/repeat.py [--runs 3] bench/liveview.py [its arguments...]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
VERDICT = re.compile(r"^target (met|missed): (.*)$")


def spread(values: list[float], decimals: int) -> str:
    """``values`` as one number when they agree, else min–median–max."""
    low, mid, high = min(values), statistics.median(values), max(values)
    if low == high:
        return f"{low:.{decimals}f}"
    return f"{low:.{decimals}f}–{mid:.{decimals}f}–{high:.{decimals}f}"


def merge(lines: list[str]) -> str:
    """The runs' closing lines as one: where all runs have the same words, each number
    becomes its min–median–max; lines of different shapes are listed apart."""
    shapes = {NUMBER.sub("#", line) for line in lines}
    if len(shapes) != 1:
        return " | ".join(f"run {n + 1}: {line}" for n, line in enumerate(lines))
    columns = [NUMBER.findall(line) for line in lines]
    merged = shapes.pop()
    for position in range(len(columns[0])):
        texts = [column[position] for column in columns]
        decimals = max(len(text.partition(".")[2]) for text in texts)
        merged = merged.replace("#", spread([float(t) for t in texts], decimals), 1)
    return merged


def run_once(script: list[str], log: Path) -> tuple[bool, str]:
    """One run of the bench; (met, its closing line's figures). Its output goes to ``log``."""
    with open(log, "w") as out:
        done = subprocess.run([sys.executable, *script], stdout=subprocess.PIPE,
                              stderr=out, text=True, check=False)
        out.write(done.stdout)
    closing = [m for line in done.stdout.splitlines() if (m := VERDICT.match(line.strip()))]
    if done.returncode != 0 or not closing:
        return False, f"the run ended with code {done.returncode} and no closing line (see {log})"
    return closing[-1].group(1) == "met", closing[-1].group(2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 3)))
    parser.add_argument("script", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if not args.script:
        parser.error("name a bench script")
    logs = Path(tempfile.mkdtemp(prefix=f"catchlight-{Path(args.script[0]).stem}-"))
    results = [run_once(args.script, logs / f"run-{n + 1}.log") for n in range(args.runs)]
    met = [ok for ok, _figures in results]
    name = Path(args.script[0]).stem
    print(f"{name}: {args.runs} runs, met on {sum(met)}; each run's output in {logs}")
    figures = merge([figures for _ok, figures in results])
    if all(met):
        print(f"target met: {name} on every run: {figures}")
    else:
        missed = ", ".join(str(n + 1) for n, ok in enumerate(met) if not ok)
        print(f"target missed: {name} missed on run {missed}: {figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
