"""Reading pytest's final summary line ("3 passed, 1 failed, 2 errors in 0.5s") into counts."""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_DURATION = re.compile(r"\bin \d+(?:\.\d+)?s\b")
_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)\b")

# xfailed tests were expected to fail and are not run as checks; xpassed ones did pass.
_FIELD = {
    "passed": "passed", "xpassed": "passed", "failed": "failed", "error": "errors",
    "errors": "errors", "skipped": "skipped", "xfailed": "skipped",
}


def parse_pytest_summary(output: str) -> dict[str, int]:
    """Return {"passed", "failed", "errors", "skipped"} from pytest's last summary line.

    All zero if there is no summary (e.g. pytest was killed, or "no tests ran").
    """
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    for raw in reversed(output.splitlines()):
        line = _ANSI.sub("", raw).strip(" =")
        if not _DURATION.search(line):
            continue
        found = _COUNT.findall(line)
        if not found and "no tests ran" not in line:
            continue
        for number, word in found:
            counts[_FIELD[word]] += int(number)
        break
    return counts
