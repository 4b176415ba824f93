"""Wall time of `quantumlayer create` for the library idea, per phase (median of N runs).

Each run is a fresh QL_HOME, so it includes starting the embedded services, as a first-time user
would see it. Baseline in the same run: the bare interpreter start + CLI import (`quantumlayer
version`), so the figures can be read against this machine's speed.

    .venv/bin/python bench/create_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

IDEA = "A REST API for a library: books, authors, members and loans"
BIN = Path(sys.executable).parent / "quantumlayer"


def run_once(tmp: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QL_")}
    env["QL_HOME"] = str(tmp / "home")
    started = time.perf_counter()
    proc = subprocess.run(
        [str(BIN), "create", IDEA, "--out", str(tmp / "out"), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"create failed:\n{proc.stderr}\n{proc.stdout}")
    summary = json.loads(proc.stdout)
    phases = dict(summary["phases"])
    phases["total (reported)"] = summary["duration_s"]
    phases["total (wall, incl. process start)"] = wall
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    base = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run([str(BIN), "version"], capture_output=True, check=True)
        base.append(time.perf_counter() - t0)

    runs = []
    for i in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(run_once(Path(tmp)))
            print(
                f"run {i + 1}/{args.runs}: {runs[-1]['total (wall, incl. process start)']:.2f}s",
                file=sys.stderr,
            )
    print(f'quantumlayer create "{IDEA}" — median of {args.runs} runs, fresh QL_HOME each')
    print(f"{'phase':<36}{'median s':>10}{'min s':>10}{'max s':>10}")
    for key in runs[0]:
        values = [r[key] for r in runs]
        print(
            f"{key:<36}{statistics.median(values):>10.2f}{min(values):>10.2f}{max(values):>10.2f}"
        )
    print(
        f"{'baseline: quantumlayer version':<36}{statistics.median(base):>10.2f}"
        f"{min(base):>10.2f}{max(base):>10.2f}"
    )


if __name__ == "__main__":
    main()
