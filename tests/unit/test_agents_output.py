"""The strict answer format: parsing FILE/DIFF blocks, applying diffs, and every way to be wrong."""

from __future__ import annotations

import pytest

from quantumlayer.agents.diffs import DiffError, apply_unified_diff, unified_diff
from quantumlayer.agents.output import (
    OutputRejected,
    apply_answer,
    check_answer,
    check_content,
    parse_answer,
)

ROUTER = '"""Books."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n'


def test_parses_files_diffs_and_the_summary() -> None:
    answer = parse_answer(
        "SUMMARY: add a guide\n\n"
        "FILE: docs/GUIDE.md\n```markdown\n# Guide\n```\n\n"
        "DIFF: app/main.py\n```diff\n@@ -1 +1 @@\n-a\n+b\n```\n"
    )
    assert answer.summary == "add a guide"
    assert [(e.kind, e.path) for e in answer.edits] == [
        ("file", "docs/GUIDE.md"), ("diff", "app/main.py"),
    ]
    assert answer.edits[0].body == "# Guide\n"


def test_a_longer_fence_carries_content_with_fences() -> None:
    text = "FILE: README.md\n````markdown\n# R\n\n```bash\nmake\n```\n````\n"
    (edit,) = parse_answer(text).edits
    assert edit.body == "# R\n\n```bash\nmake\n```\n"


def test_a_summary_alone_means_no_change() -> None:
    assert check_answer("SUMMARY: nothing to change\n", {"a.py": "x = 1\n"}) == {}
    assert check_answer("NO CHANGES", {}) == {}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Sure! Here you go:\nFILE: a.py\n```\nx = 1\n```\n", "text outside a FILE/DIFF block"),
        ("FILE: a.py\nx = 1\n", "must be followed by a ``` fence"),
        ("FILE: a.py\n```python\nx = 1\n", "never closed"),
        ("```python\nx = 1\n```\n", "without a FILE: or DIFF: line"),
    ],
)
def test_format_errors_are_rejected_with_a_reason(text: str, problem: str) -> None:
    with pytest.raises(OutputRejected, match="does not follow the format") as err:
        parse_answer(text)
    assert problem in str(err.value)


@pytest.mark.parametrize(
    "path", ["../outside.py", "/etc/passwd", "app/../../x.py", ".git/config", "a\\b.py"]
)
def test_paths_outside_the_project_are_rejected(path: str) -> None:
    with pytest.raises(OutputRejected) as err:
        check_answer(f"FILE: {path}\n```\nx\n```\n", {})
    assert repr(path) in str(err.value)


def test_every_problem_is_reported_at_once() -> None:
    text = "Hello\nFILE: ../x.py\n```\nx\n```\nFILE: ok.py\n```python\ndef broken(:\n```\n"
    with pytest.raises(OutputRejected) as err:
        check_answer(text, {})
    message = str(err.value)
    assert "text outside" in message and "outside the project" in message
    assert "ok.py is not valid Python" in message


@pytest.mark.parametrize(
    ("path", "content", "problem"),
    [
        ("a.py", "def f(:\n", "not valid Python"),
        ("a.json", "{not json}", "not valid JSON"),
        ("pyproject.toml", "[project\nname=1", "not valid TOML"),
        ("a.txt", "nul\x00byte", "NUL"),
    ],
)
def test_broken_content_is_rejected(path: str, content: str, problem: str) -> None:
    with pytest.raises(OutputRejected, match=problem):
        check_content(path, content)


def test_the_write_policy_decides_which_files_an_agent_may_touch() -> None:
    files = {"mine.py": "x = 1\n", "theirs.py": "y = 1\n"}

    def only_mine(path: str, exists: bool) -> str | None:
        return None if path == "mine.py" or not exists else f"{path} belongs to another task"

    answer = parse_answer(
        "FILE: mine.py\n```\nx = 2\n```\nFILE: new.py\n```\nz = 1\n```\n"
    )
    assert apply_answer(answer, files, may_write=only_mine) == {
        "mine.py": "x = 2\n", "new.py": "z = 1\n",
    }
    with pytest.raises(OutputRejected, match="theirs.py belongs to another task"):
        check_answer("FILE: theirs.py\n```\ny = 2\n```\n", files, may_write=only_mine)


def test_a_diff_is_applied_against_the_file_shown() -> None:
    diff = (
        "--- a/app/routers/book.py\n+++ b/app/routers/book.py\n"
        "@@ -3,3 +3,4 @@\n from fastapi import APIRouter\n \n+# Routes for books.\n"
        " router = APIRouter()\n"
    )
    changed = check_answer(f"DIFF: app/routers/book.py\n```diff\n{diff}```\n",
                           {"app/routers/book.py": ROUTER})
    assert changed["app/routers/book.py"].splitlines()[4] == "# Routes for books."


def test_a_diff_of_a_missing_file_or_that_does_not_apply_is_rejected() -> None:
    with pytest.raises(OutputRejected, match="no such file"):
        check_answer("DIFF: nope.py\n```diff\n@@ -1 +1 @@\n-a\n+b\n```\n", {})
    with pytest.raises(OutputRejected, match="hunk 1 does not apply"):
        check_answer(
            "DIFF: r.py\n```diff\n@@ -1 +1 @@\n-not there\n+x\n```\n", {"r.py": ROUTER}
        )


def test_diffs_tolerate_wrong_line_numbers_and_trailing_space_but_not_wrong_text() -> None:
    original = "a\nb\nc\nd\n"
    assert apply_unified_diff(original, "@@ -40,2 +40,2 @@\n c\n-d\n+D\n") == "a\nb\nc\nD\n"
    assert apply_unified_diff("a  \nb\n", "@@ -1,2 +1,2 @@\n a\n-b\n+B\n") == "a\nB\n"
    with pytest.raises(DiffError):
        apply_unified_diff(original, "@@ -1,1 +1,1 @@\n-z\n+y\n")
    with pytest.raises(DiffError, match="before the first @@"):
        apply_unified_diff(original, "garbage\n@@ -1 +1 @@\n-a\n+b\n")
    with pytest.raises(DiffError, match="no @@ hunk"):
        apply_unified_diff(original, "--- a/x\n+++ b/x\n")


def test_a_diff_made_by_unified_diff_applies_back() -> None:
    before = "one\ntwo\nthree\nfour\nfive\n"
    after = "one\n2\nthree\nfour\nfive\nsix\n"
    assert apply_unified_diff(before, unified_diff("f.txt", before, after)) == after
    new = unified_diff("n.txt", None, "hello\n")
    assert new.startswith("--- /dev/null\n+++ b/n.txt\n")


def test_unchanged_files_are_not_reported_as_changes() -> None:
    assert check_answer("FILE: a.py\n```\nx = 1\n```\n", {"a.py": "x = 1\n"}) == {}
