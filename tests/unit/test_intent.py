"""The first Intent Processor: REST-API ideas, the Spec contract, bad input, the planner."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quantumlayer.domain import Spec, TaskGraph
from quantumlayer.errors import UserError
from quantumlayer.intent import analyze, plan

LIBRARY = "A REST API for a library: books, authors, members and loans"

CONTRACT_KEYS = {
    "name",
    "title",
    "summary",
    "project_type",
    "entities",
    "features",
    "functional_requirements",
    "non_functional_requirements",
    "cloud",
    "complexity",
    "questions",
    "tasks",
}


def test_library_idea() -> None:
    spec = analyze(LIBRARY)
    assert spec.project_type == "rest_api"
    assert spec.name == "library-api"
    assert [e.name for e in spec.entities] == ["Book", "Author", "Member", "Loan"]
    loan = spec.entity("loans")
    assert loan is not None
    assert {r.target for r in loan.relations} == {"Member", "Book"}
    assert {f.type for f in loan.fields} >= {"date"}
    assert spec.entity("Member") is not None
    assert any(f.type == "email" for f in spec.entity("Member").fields)  # type: ignore[union-attr]


def test_spec_json_has_the_contract_keys() -> None:
    data = json.loads(
        analyze(LIBRARY + ". Members log in with JWT. Host on AWS.").model_dump_json()
    )
    assert set(data) >= CONTRACT_KEYS
    assert data["cloud"] == "aws"
    assert "auth" in data["features"]
    assert {"id", "text", "priority", "source"} <= set(data["functional_requirements"][0])
    assert {"score", "size", "effort_hours", "drivers"} <= set(data["complexity"])
    assert Spec.model_validate(data).name == "library-api"


def test_nfr_targets_are_measurable() -> None:
    spec = analyze(
        "A REST API for orders and customers on AWS with 99.9% uptime, "
        "p99 under 50 ms and 2000 orders per minute. GDPR applies."
    )
    targets = {(n.category, n.target) for n in spec.non_functional_requirements}
    assert ("availability", "99.9%") in targets
    assert ("performance", "p99 < 50 ms") in targets
    assert ("performance", "33.33 req/s") in targets or ("performance", "33 req/s") in targets
    assert ("compliance", "GDPR") in targets


def test_planner_graph_is_a_dag_covering_every_requirement() -> None:
    spec = analyze(LIBRARY + ". Members log in with JWT. It must be available 99.9% of the time.")
    graph = TaskGraph(tasks=spec.tasks)
    graph.validate_dag()
    ids = {t.id for t in spec.tasks}
    assert all(set(t.depends_on) <= ids for t in spec.tasks)
    covered = {c for t in spec.tasks for c in t.covers}
    required = {r.id for r in spec.functional_requirements} | {
        n.id for n in spec.non_functional_requirements
    }
    assert required <= covered
    by_kind = {(t.kind, t.entity): t for t in spec.tasks}
    # the data model comes before the endpoints that use it; tests after the code
    loan_api = by_kind[("api", "Loan")]
    assert by_kind[("model", "Loan")].id in loan_api.depends_on
    assert by_kind[("model", "Member")].id in loan_api.depends_on
    assert loan_api.id in by_kind[("tests", "Loan")].depends_on
    assert any(t.role == "security" for t in spec.tasks)  # auth asks for a review
    assert plan(spec).tasks == spec.tasks


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n\t  ", "empty"),
        ("x" * 100_001, "limit"),
        ("\x00\x01\x02\x03" * 50, "binary"),
        ("!!! ??? 123", "no words"),
    ],
)
def test_bad_input_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        analyze(text)


def test_hostile_entity_names_become_safe_identifiers() -> None:
    spec = analyze("A REST API for: __import__('os').system('x'), ../../etc and loans")
    for entity in spec.entities:
        assert entity.name.isidentifier() and entity.name.isalnum()
        for field in entity.fields:
            assert field.name.isidentifier()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_gives_a_spec_or_a_clear_error(text: str) -> None:
    try:
        spec = analyze(text)
    except UserError:
        return
    TaskGraph(tasks=spec.tasks).validate_dag()
    assert 1 <= spec.complexity.score <= 10
