"""Throughput of the offline Intent Processor: analyse + plan, ideas per second on one core.

    .venv/bin/python bench/intent_speed.py [--seconds 5]

Runs `intent.analyze` (which includes the planner) over ~60-word ideas built from the labelled
sets, in one process (one core), after one warm-up pass that loads the lexicon, and prints the
median of three timed rounds. The figure is per CPU second (the wall-clock rate is printed too:
on a shared machine it measures the neighbours). The target is at least 200 ideas per second.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from quantumlayer.intent import analyze

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT.parent / "shared" / "eval" / "intents-dev.jsonl",
    ROOT / "tests" / "unit" / "intent_cases.jsonl",
    ROOT / "tests" / "unit" / "intent_cases.holdout.jsonl",
    ROOT / "tests" / "unit" / "intent_cases.blind.jsonl",
]


def ideas_of_about(words: int) -> list[str]:
    """Ideas of about `words` words: each labelled prompt, joined with the next ones."""
    prompts = [
        json.loads(line)["prompt"]
        for path in SOURCES
        if path.exists()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    out = []
    for i, prompt in enumerate(prompts):
        text, j = prompt, i + 1
        while len(text.split()) < words:
            text += " " + prompts[j % len(prompts)]
            j += 1
        out.append(" ".join(text.split()[: int(words * 1.1)]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    ideas = ideas_of_about(args.words)
    if not ideas:
        print("no labelled ideas found", file=sys.stderr)
        return 2
    for idea in ideas:  # warm-up: lexicon load, regex caches
        analyze(idea)
    cpu_rates, wall_rates = [], []
    for _ in range(args.rounds):
        cpu, wall = time.process_time(), time.perf_counter()
        for idea in ideas:
            analyze(idea)
        cpu_rates.append(len(ideas) / (time.process_time() - cpu))
        wall_rates.append(len(ideas) / (time.perf_counter() - wall))
    mean_words = statistics.mean(len(i.split()) for i in ideas)
    print(
        f"{statistics.median(cpu_rates):.0f} ideas/s per CPU second (analyse + plan, one process; "
        f"{len(ideas)} ideas of ~{mean_words:.0f} words, median of {args.rounds} rounds; "
        f"wall clock {statistics.median(wall_rates):.0f}/s on this machine's current load)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
