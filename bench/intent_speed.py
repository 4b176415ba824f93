"""Throughput of the offline Intent Processor: analyse + plan, ideas per second on one core.

    .venv/bin/python bench/intent_speed.py [--rounds 7] [--words 60]

Runs `intent.analyze` (which includes the planner) over ~60-word ideas built from the labelled
sets, in one process (one core), after one pass that loads the lexicon. Each round empties the
word caches, warms the process on one half of the ideas and times the other half, so the timed
ideas are new to it; the median of seven rounds is printed, with the best and worst. The figure is
per CPU second (the wall-clock rate is printed too: on a shared machine it measures the
neighbours), beside a fixed Python loop timed in the same rounds as the machine's baseline. The
target is at least 200 ideas per second.
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


def baseline_rate() -> float:
    """Millions of simple Python loop steps per CPU second: how fast this machine is right now."""
    start = time.process_time()
    total = 0
    for i in range(2_000_000):
        total += i & 7
    return 2.0 / (time.process_time() - start)


def clear_caches() -> None:
    """Empty the per-word and per-name caches of the processor (not the loaded lexicon)."""
    import functools

    for name, module in list(sys.modules.items()):
        if not name.startswith(("quantumlayer.intent", "quantumlayer.domain")):
            continue
        for value in vars(module).values():
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    ideas = ideas_of_about(args.words)
    if not ideas:
        print("no labelled ideas found", file=sys.stderr)
        return 2
    for idea in ideas:  # load the lexicon and compile the patterns once
        analyze(idea)
    # Each round: empty the word caches, warm the process on one half of the ideas, then time
    # the other half, which this process state has never seen (halves swap every round).
    half = len(ideas) // 2
    halves = (ideas[:half], ideas[half:])
    cpu_rates, wall_rates, baselines = [], [], []
    for round_no in range(args.rounds):
        baselines.append(baseline_rate())
        clear_caches()
        warm, timed = halves[round_no % 2], halves[1 - round_no % 2]
        for idea in warm:
            analyze(idea)
        cpu, wall = time.process_time(), time.perf_counter()
        for idea in timed:
            analyze(idea)
        cpu_rates.append(len(timed) / (time.process_time() - cpu))
        wall_rates.append(len(timed) / (time.perf_counter() - wall))
    mean_words = statistics.mean(len(i.split()) for i in ideas)
    print(
        f"{statistics.median(cpu_rates):.0f} ideas/s per CPU second (analyse + plan, one process; "
        f"{len(ideas)} ideas of ~{mean_words:.0f} words, median of {args.rounds} rounds, best "
        f"{max(cpu_rates):.0f}, worst {min(cpu_rates):.0f}; wall clock "
        f"{statistics.median(wall_rates):.0f}/s on this machine's current load; each round times "
        "ideas the process has not seen, after warming it on the others)"
    )
    print(
        f"baseline in the same run: {statistics.median(baselines):.1f} M Python loop steps per CPU "
        f"second (best {max(baselines):.1f}, worst {min(baselines):.1f}); the host's speed varies, "
        "compare figures from different runs through this"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
