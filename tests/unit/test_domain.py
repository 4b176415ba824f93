"""Domain types: names are always safe, task graphs are validated DAGs."""

from __future__ import annotations

import keyword
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quantumlayer.domain import Artifact, Task, TaskGraph, TaskGraphError, safe_relative_path
from quantumlayer.domain.names import (
    pluralize,
    singularize,
    slugify,
    to_class_name,
    to_identifier,
)


@given(st.text(max_size=200))
def test_identifiers_are_always_safe(text: str) -> None:
    ident = to_identifier(text)
    assert re.fullmatch(r"[a-z][a-z0-9_]*", ident)
    assert not keyword.iskeyword(ident)
    cls = to_class_name(text)
    assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", cls)


@given(st.text(max_size=60), st.text(max_size=20))
def test_identifiers_are_safe_whatever_the_fallback(text: str, fallback: str) -> None:
    # An empty or unusable fallback used to raise IndexError.
    ident = to_identifier(text, fallback=fallback)
    assert re.fullmatch(r"[a-z][a-z0-9_]*", ident)
    assert not keyword.iskeyword(ident)
    assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", to_class_name(text, fallback=fallback))


@pytest.mark.parametrize(
    ("text", "ident"),
    [
        ("__import__('os').system('x')", "import_os_system_x"),
        ("../../etc", "etc"),
        ("class", "class_item"),
        ("Due Date", "due_date"),
        ("LoanItem", "loan_item"),
        ("", "item"),
        ("7 wonders", "n_7_wonders"),
        ("Café crème", "cafe_creme"),
    ],
)
def test_to_identifier_examples(text: str, ident: str) -> None:
    assert to_identifier(text) == ident


def test_slugify() -> None:
    assert slugify("Library API!") == "library-api"
    assert slugify("../../") == "project"
    assert len(slugify("x" * 500)) <= 40


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("book", "books"),
        ("category", "categories"),
        ("address", "address"),
        ("box", "boxes"),
        ("person", "people"),
        ("loan_item", "loan_items"),
        ("day", "days"),
        ("status", "status"),
        ("leaf", "leaves"),
        ("knife", "knives"),
        ("saas", "saas"),
    ],
)
def test_plural_forms(singular: str, plural: str) -> None:
    assert pluralize(singular) == plural
    if plural != singular:
        assert singularize(plural) == singular


def _t(tid: str, *deps: str) -> Task:
    return Task(id=tid, title=tid, role="backend", depends_on=list(deps))


def test_task_graph_order_and_levels() -> None:
    graph = TaskGraph(tasks=[_t("A"), _t("B", "A"), _t("C", "A"), _t("D", "B", "C")])
    graph.validate_dag()
    assert [t.id for t in graph.topological_order()] == ["A", "B", "C", "D"]
    assert [[t.id for t in level] for level in graph.levels()] == [["A"], ["B", "C"], ["D"]]
    assert [t.id for t in graph.ready(done=["A"])] == ["B", "C"]
    assert [t.id for t in graph.ready(done=["A"], started=["B"])] == ["C"]
    assert graph.ready(done=["A", "B"]) == [graph.by_id()["C"]]


def test_task_graph_order_goes_in_waves_kept_in_list_order() -> None:
    # listed out of dependency order: each wave keeps the order of the list
    graph = TaskGraph(
        tasks=[_t("D", "B", "C"), _t("C", "A"), _t("B", "A", "A"), _t("A"), _t("E"), _t("F", "D")]
    )
    assert [t.id for t in graph.topological_order()] == ["A", "E", "C", "B", "D", "F"]


def test_task_graph_cycle_names_the_tasks_it_blocks() -> None:
    graph = TaskGraph(tasks=[_t("A"), _t("B", "C"), _t("C", "B"), _t("D", "C"), _t("E", "A")])
    with pytest.raises(TaskGraphError, match=r"dependency cycle among tasks: B, C, D$"):
        graph.topological_order()


@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ([_t("A", "B"), _t("B", "A")], "cycle"),
        ([_t("A", "Z")], "unknown"),
        ([_t("A"), _t("A")], "duplicate"),
        ([_t("A", "A")], "itself"),
    ],
)
def test_task_graph_rejects_invalid(tasks: list[Task], message: str) -> None:
    with pytest.raises(TaskGraphError, match=message):
        TaskGraph(tasks=tasks).validate_dag()


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "a/../../b", "", "a\\b", "x\x00y", "."])
def test_artifact_paths_cannot_escape(path: str) -> None:
    with pytest.raises(ValueError):
        safe_relative_path(path)
    with pytest.raises(ValueError):
        Artifact(path=path, content="")


def test_artifact_is_content_addressed() -> None:
    a = Artifact(path="app/./main.py", content="print('hi')\n")
    assert a.path == "app/main.py"
    assert a.sha256 == Artifact(path="other.py", content="print('hi')\n").sha256
    assert a.sha256 != Artifact(path="app/main.py", content="print('bye')\n").sha256
