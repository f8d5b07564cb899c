"""``make soak``: the long soak (1,000 captures by default) with its closing line
``produced=N stored=N lost=N duplicated=N faults=<kind>:<count>,...``; exit 1 if anything was
lost, duplicated, left without backup or left as a temporary file."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.soak.harness import SoakConfig, run_soak  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--captures", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="catchlight-soak-") as folder:
        report = run_soak(SoakConfig(captures=args.captures, seed=args.seed), Path(folder))
    print(f"{report.seconds:.0f} s; backup missing for {report.unbacked}; temporary files "
          f"left {report.temp_files}; catalog integrity {'ok' if report.catalog_ok else 'BAD'}")
    for problem in report.problems:
        print(f"  last problems: {problem}")
    print(report.line())
    return 0 if report.clean else 1


if __name__ == "__main__":
    sys.exit(main())
