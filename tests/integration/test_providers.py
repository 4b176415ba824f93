"""LLM providers through the official SDKs (openai, anthropic, ollama) against a local server that
speaks each wire protocol (llm_servers.py): calls, retries, the circuit breaker, malformed
answers, the Redis cache, budgets, agent state — first one task at a time, then whole project
runs on Temporal (per provider, a cached re-run, a budget stop, the repair loop)."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis as redis_lib

from quantumlayer import agents, intent, sandbox
from quantumlayer.agents import AgentManager, RunControls, build_manager
from quantumlayer.agents.messages import ChatMessage, CompletionRequest
from quantumlayer.agents.providers import build_provider
from quantumlayer.config import Settings
from quantumlayer.domain import Spec, Task
from quantumlayer.orchestrator import client as wf
from quantumlayer.orchestrator.activities import ProjectActivities
from quantumlayer.orchestrator.models import ProjectInput, ProjectOptions, TaskQueues
from quantumlayer.orchestrator.worker import running_workers
from quantumlayer.store import repositories as repo

from ..conftest import require_services
from .llm_servers import LLMServer, TeamScript
from .workflow_harness import LIBRARY, make_sessions, new_project

pytestmark = pytest.mark.integration
PROVIDERS = ["openai", "anthropic", "ollama"]
MODELS = {"openai": "gpt-4o-mini", "anthropic": "claude-3-5-haiku-latest", "ollama": "llama3.1"}
REDIS_URL = os.environ.get("QL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


# -- fixtures and helpers ------------------------------------------------------------------------


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of its own in the real Redis; its keys are deleted after the test."""
    client = redis_lib.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis_lib.RedisError as exc:
        if require_services():
            pytest.fail(f"Redis at {REDIS_URL} is not reachable: {exc}")
        pytest.skip("Redis is not reachable")
    prefix = f"qltest:{uuid.uuid4().hex[:10]}:"
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.fixture(scope="module")
def library() -> Spec:
    return intent.analyze(LIBRARY)


def settings_for(server: LLMServer, provider: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "llm_provider": provider,
        "llm_model": MODELS[provider],
        "openai_api_key": "sk-test",
        "openai_base_url": server.openai_base_url,
        "anthropic_api_key": "sk-ant-test",
        "anthropic_base_url": server.anthropic_base_url,
        "ollama_host": server.ollama_host,
        "llm_retry_max_wait_s": 5.0,
        "llm_timeout_s": 30.0,
    }
    values.update(overrides)
    return Settings(**values)


def manager_for(
    server: LLMServer, provider: str, prefix: str | None, **overrides: Any
) -> AgentManager:
    manager = build_manager(
        settings_for(server, provider, **overrides),
        redis_url=REDIS_URL if prefix else None,
        redis_prefix=prefix or "ql:",
    )
    assert manager is not None
    return manager


def task(spec: Spec, task_id: str) -> Task:
    return next(t for t in spec.tasks if t.id == task_id)


def refine(manager: AgentManager, spec: Spec, task_id: str, **controls: Any) -> Any:
    """Refine one task on its scaffold alone (no other files), as the activity would."""
    t = task(spec, task_id)
    scaffold = agents.run_task(spec=spec, task=t).artifacts
    return manager.refine(
        spec=spec,
        task=t,
        scaffold=scaffold,
        project_files={},
        context_paths=[],
        controls=RunControls(project_id=controls.pop("project_id", "p1"), **controls),
    )


# -- one call at a time --------------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_official_sdk_round_trip(provider: str) -> None:
    with LLMServer(lambda call: f"hi from {call.protocol}") as server:
        client = build_provider(settings_for(server, provider))
        assert client is not None
        completion = client.complete(
            CompletionRequest(
                messages=(ChatMessage("system", "be brief"), ChatMessage("user", "hello")),
                model=MODELS[provider],
                max_tokens=64,
                json_schema={"type": "object"},
                context_tokens=8192,
            )
        )
    assert completion.text == f"hi from {provider}"
    assert completion.tokens_in > 0 and completion.tokens_out > 0
    (sent,) = server.requests
    assert sent.call is not None
    assert [m["role"] for m in sent.call.messages] == ["system", "user"]
    if provider == "openai":
        assert sent.path == "/v1/chat/completions"
        assert sent.headers["authorization"] == "Bearer sk-test"
        assert sent.body["response_format"]["type"] == "json_schema"
        assert sent.body["max_tokens"] == 64  # a compatible server: max_tokens
    elif provider == "anthropic":
        assert sent.path == "/v1/messages"
        # The key goes as x-api-key (older SDKs) or a bearer token (newer ones).
        auth = sent.headers.get("x-api-key") or sent.headers.get("authorization", "")
        assert auth.endswith("sk-ant-test") and "anthropic-version" in sent.headers
        assert sent.body["system"] == "be brief"  # not a message: the API's own field
    else:
        assert sent.path == "/api/chat"
        assert sent.body["options"]["num_ctx"] == 8192  # no silent truncation by Ollama
        assert sent.body["stream"] is False


@pytest.mark.parametrize("provider", PROVIDERS)
def test_429_with_retry_after_is_honoured(provider: str, library: Spec) -> None:
    with LLMServer(TeamScript()) as server:
        server.fail_next(429, headers={"Retry-After": "1"})
        outcome = refine(manager_for(server, provider, None), library, "T1")
    first, second = server.requests
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 1.0, "called again before Retry-After had passed"
    assert outcome.stop is None and outcome.calls == 1
    assert any("429" in i.content and "retry 1" in i.content for i in outcome.interactions)


def test_permanent_errors_are_not_retried(library: Spec) -> None:
    with LLMServer(TeamScript()) as server:
        server.fail_next(401, message="invalid x-api-key")
        outcome = refine(manager_for(server, "anthropic", None), library, "T1")
    assert len(server.requests) == 1
    assert outcome.stop == "provider" and "401" in (outcome.stop_message or "")


def test_circuit_breaker_stops_hammering_a_failing_provider(library: Spec) -> None:
    with LLMServer(TeamScript()) as server:
        server.fail_next(503, times=50)
        manager = manager_for(
            server, "openai", None, llm_max_retries=2, llm_breaker_failures=3,
            llm_breaker_reset_s=60,
        )
        first = refine(manager, library, "T1")
        second = refine(manager, library, "T2")
    assert len(server.requests) == 3  # 1 call + 2 retries, then the circuit opened
    assert first.stop is None and "scaffold stands" in (first.note or "")
    assert "circuit breaker" in (second.note or "")
    assert not first.changed and first.artifacts  # the scaffold is still the task's output


def test_malformed_answer_is_rejected_with_the_error_fed_back(library: Spec) -> None:
    with LLMServer(TeamScript(malformed_first={"T7"})) as server:
        outcome = refine(manager_for(server, "openai", None, llm_reviews=False), library, "T7")
    first, second = server.chat_requests()
    retry = second.call.last_user
    assert "Your answer was rejected" in retry and "outside the project" in retry
    assert "text outside a FILE/DIFF block" in retry
    assert outcome.changed
    router = next(a for a in outcome.artifacts if a.path == "app/routers/book.py")
    assert router.content.startswith("# Business rules")
    assert [i.kind for i in outcome.interactions] == [
        "prompt", "response", "note", "prompt", "response",
    ]
    assert first.call.messages[0]["role"] == "system"


def test_an_agent_repeating_a_bad_answer_is_stopped_and_the_scaffold_stands(
    library: Spec,
) -> None:
    bad = "FILE: /etc/passwd\n```\nroot\n```\n"
    with LLMServer(lambda _call: bad) as server:
        outcome = refine(manager_for(server, "ollama", None, llm_output_retries=5), library, "T3")
    assert len(server.requests) == 2  # the loop detector stops it at the repeat, not after 6
    assert not outcome.changed
    assert "same answer again" in (outcome.note or "") and "scaffold stands" in outcome.note
    scaffold = agents.run_task(spec=library, task=task(library, "T3")).artifacts
    assert [(a.path, a.content) for a in outcome.artifacts] == [
        (a.path, a.content) for a in scaffold
    ]


def test_cache_answers_the_same_question_without_a_request(
    library: Spec, redis_prefix: str
) -> None:
    with LLMServer(TeamScript()) as server:
        manager = manager_for(server, "openai", redis_prefix)
        first = refine(manager, library, "T7", project_id="a")
        calls = len(server.requests)
        second = refine(manager, library, "T7", project_id="b")
        assert len(server.requests) == calls  # zero new requests
        third = refine(manager, library, "T7", project_id="c", use_cache=False)
        assert len(server.requests) == 2 * calls  # --no-cache asks again
    assert (first.calls, first.cache_hits) == (calls, 0)
    assert (second.calls, second.cache_hits) == (0, calls)
    assert second.tokens_in == 0 and second.cost_usd == 0
    assert [(a.path, a.content) for a in second.artifacts] == [
        (a.path, a.content) for a in first.artifacts
    ]
    assert third.calls == calls


def test_budget_stops_before_the_call_that_would_pass_it(
    library: Spec, redis_prefix: str
) -> None:
    with LLMServer(TeamScript()) as server:
        manager = manager_for(server, "openai", redis_prefix, llm_cache=False)
        ok = refine(manager, library, "T1", project_id="p", budget_usd=0.01)
        spent = manager.ledger.spent("p")
        assert 0 < spent <= 0.01 and ok.stop is None
        before = len(server.requests)
        stopped = refine(manager, library, "T7", project_id="p", budget_usd=spent + 0.0001)
    assert len(server.requests) == before  # the call was never made
    assert stopped.stop == "budget" and "budget" in (stopped.stop_message or "")
    assert manager.ledger.spent("p") == pytest.approx(spent)


def test_agent_state_lives_in_redis_while_the_agent_runs(
    library: Spec, redis_prefix: str
) -> None:
    seen: list[list[dict[str, str]]] = []
    with LLMServer(TeamScript()) as server:
        manager = manager_for(server, "anthropic", redis_prefix, llm_cache=False)
        server.on_request = lambda _call: seen.append(manager.states.running("proj"))
        refine(manager, library, "T1", project_id="proj")
        after = manager.states.running("proj")
    (during,) = seen
    assert [(s["task_id"], s["role"], s["status"]) for s in during] == [
        ("T1", "architect", "running")
    ]
    assert during[0]["model"] == MODELS["anthropic"]
    assert after == []  # destroyed at the end


def test_parallel_agents_cannot_overspend_a_budget_together(redis_prefix: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from quantumlayer.agents.budget import BudgetExceeded, RedisSpendLedger

    ledger = RedisSpendLedger(redis_lib.Redis.from_url(REDIS_URL), prefix=redis_prefix)

    def reserve(_: int) -> bool:
        try:
            ledger.reserve("p", 0.1, 1.0)
        except BudgetExceeded:
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        granted = sum(pool.map(reserve, range(30)))
    assert granted == 10 and ledger.spent("p") == pytest.approx(1.0)
    ledger.settle("p", 0.1, 0.05)
    assert ledger.spent("p") == pytest.approx(0.95)


# -- whole project runs on Temporal --------------------------------------------------------------


def _activities(tmp: Path, sessions: Any, manager: AgentManager, graph: Any = None) -> Any:
    return ProjectActivities(
        sessions=sessions,
        work_dir=tmp / "work",
        graph=graph,
        sandbox_limits=sandbox.SandboxLimits(timeout_s=180),
        agent_manager=manager,
    )


async def _run(
    client: Any, activities: Any, prefix: str, project_id: str, options: ProjectOptions
) -> Any:
    queues = TaskQueues.with_prefix(prefix)
    async with running_workers(client, activities, queues):
        handle = await wf.start_project(
            client,
            ProjectInput(project_id=project_id, intent=LIBRARY, options=options, queues=queues),
        )
        return await asyncio.wait_for(handle.result(), timeout=240)


def _project(sessions: Any) -> str:
    project_id = uuid.uuid4().hex[:12]
    new_project(sessions, project_id)
    return project_id


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("provider", PROVIDERS)
async def test_project_run_per_provider(
    provider: str, temporal_env: Any, tmp_path: Path, unique_prefix: str, redis_prefix: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sessions = make_sessions(f"sqlite:///{tmp_path / 'ql.db'}")
    script = TeamScript()
    with LLMServer(script) as server:
        manager = manager_for(server, provider, redis_prefix)
        project_id = _project(sessions)
        out = tmp_path / "out"
        # The refined project is the same whatever the protocol; its tests run once (openai)
        # to keep the suite short.
        gate = provider == "openai"
        result = await _run(
            temporal_env.client, _activities(tmp_path, sessions, manager), unique_prefix,
            project_id,
            ProjectOptions(output_dir=str(out), max_parallel=4, run_quality_gate=gate),
        )
        requests = len(server.chat_requests())

    assert result.status == "succeeded", result.error
    if gate:
        assert result.tests.passed > 0 and result.tests.failed == 0 and result.tests.errors == 0
    tasks = len(result.tasks)
    reviews = sum(1 for kind, _ in script.log if kind == "review")
    # One refine per task, a review of each change (router, extra test, guide), one answer.
    assert requests == tasks + reviews + 1 == result.llm.calls
    assert reviews == 3
    assert result.llm.tokens_in > 0 and result.llm.tokens_out > 0 and result.llm.cache_hits == 0
    assert (out / "docs" / "GUIDE.md").is_file()
    assert (out / "tests" / "test_book_extra.py").is_file()
    router = (out / "app" / "routers" / "book.py").read_text()
    assert router.startswith("# Business rules") and "validated by the pydantic" in router
    with sessions() as session:
        rows = repo.list_interactions(session, project_id=project_id)
        agents_rows = repo.list_agents(session, project_id=project_id)
    assert {r.kind for r in rows} >= {"prompt", "response", "review", "answer", "note"}
    responses = [r for r in rows if r.kind in ("response", "review", "answer")]
    assert sum(r.tokens_in for r in responses) == result.llm.tokens_in
    assert all(r.provider == provider and r.model == MODELS[provider] for r in responses)
    assert all(r.prompt_version and "/v" in r.prompt_version for r in responses)
    assert len(agents_rows) == tasks and all(a.destroyed_at is not None for a in agents_rows)
    with capsys.disabled():
        print(f"[{provider}] requests={requests} tokens_in={result.llm.tokens_in} "
              f"tokens_out={result.llm.tokens_out} cost_usd={result.llm.cost_usd:.6f}")


@pytest.mark.slow
@pytest.mark.asyncio
async def test_rerun_is_served_from_the_cache_and_logs_show_it(
    temporal_env: Any, tmp_path: Path, unique_prefix: str, embedded: Any,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """The bundled (embedded) Redis holds the cache; the graph gets the agent messages."""
    from typer.testing import CliRunner

    from quantumlayer.cli import app
    from quantumlayer.store.graph import GraphStore

    database = tmp_path / "ql.db"
    sessions = make_sessions(f"sqlite:///{database}")
    graph = GraphStore(embedded.graph_url)
    options = ProjectOptions(run_quality_gate=False, max_parallel=4)
    with LLMServer(TeamScript()) as server:
        manager = build_manager(
            settings_for(server, "openai"), redis_url=embedded.redis_url,
            redis_prefix=f"qltest:{unique_prefix}:",
        )
        assert manager is not None
        activities = _activities(tmp_path, sessions, manager, graph)
        first_id, second_id = _project(sessions), _project(sessions)
        first = await _run(temporal_env.client, activities, f"{unique_prefix}a", first_id, options)
        after_first = len(server.chat_requests())
        second = await _run(temporal_env.client, activities, f"{unique_prefix}b", second_id,
                            options)
        after_second = len(server.chat_requests())

    assert first.status == second.status == "succeeded"
    assert after_second == after_first  # the re-run made no request at all
    assert second.llm.calls == 0 and second.llm.cache_hits == first.llm.calls > 0
    assert second.llm.cost_usd == 0 and first.llm.cost_usd > 0
    messages = graph.agent_messages(project_id=first_id)
    assert ("T7", "security", "backend", "review") in messages
    assert ("T7", "backend", "security", "answer") in messages

    monkeypatch.setenv("QL_DATABASE_URL", f"sqlite:///{database}")
    shown = CliRunner().invoke(app, ["logs", second_id, "--json"])
    assert shown.exit_code == 0, shown.output
    report = json.loads(shown.output)
    assert report["totals"]["calls"] == 0 and report["totals"]["cached"] == first.llm.calls
    assert {"task_id": "T7", "from": "security", "to": "backend", "kind": "review"} in report[
        "messages"
    ]
    text = CliRunner().invoke(app, ["logs", first_id, "--task", "T7"])
    assert text.exit_code == 0 and "review" in text.output and "provider calls" in text.output
    with capsys.disabled():
        print(f"\n[cache] first run requests={after_first} calls={first.llm.calls}; "
              f"re-run requests={after_second - after_first} "
              f"cache_hits={second.llm.cache_hits}")


@pytest.mark.slow
@pytest.mark.asyncio
async def test_budget_stops_the_run_cleanly(
    temporal_env: Any, tmp_path: Path, unique_prefix: str, redis_prefix: str
) -> None:
    sessions = make_sessions(f"sqlite:///{tmp_path / 'ql.db'}")
    budget = 0.004  # a few gpt-4o-mini calls of this size, far from a whole project
    with LLMServer(TeamScript()) as server:
        manager = manager_for(server, "openai", redis_prefix)
        project_id = _project(sessions)
        result = await _run(
            temporal_env.client, _activities(tmp_path, sessions, manager), unique_prefix,
            project_id, ProjectOptions(budget_usd=budget, max_parallel=2),
        )
        requests = len(server.chat_requests())

    assert result.status == "failed"
    assert result.error and "budget" in result.error and "stopped cleanly" in result.error
    assert 0 < requests < len(result.tasks)
    assert 0 < result.llm.cost_usd <= budget
    assert any(t.state == "skipped" for t in result.tasks)
    assert "qa" not in result.phases  # nothing ran after the stop
    with sessions() as session:
        spent = sum(r.cost_usd for r in repo.list_interactions(session, project_id=project_id))
    assert spent == pytest.approx(result.llm.cost_usd) and spent <= budget


@pytest.mark.slow
@pytest.mark.asyncio
async def test_repair_loop_fixes_a_planted_failing_test(
    temporal_env: Any, tmp_path: Path, unique_prefix: str, redis_prefix: str
) -> None:
    sessions = make_sessions(f"sqlite:///{tmp_path / 'ql.db'}")
    script = TeamScript(plant_failure=True)
    with LLMServer(script) as server:
        manager = manager_for(server, "openai", redis_prefix, llm_reviews=False)
        project_id = _project(sessions)
        out = tmp_path / "out"
        result = await _run(
            temporal_env.client, _activities(tmp_path, sessions, manager), unique_prefix,
            project_id, ProjectOptions(output_dir=str(out), max_repairs=3),
        )
    assert result.status == "succeeded", result.error
    assert result.repairs == 1 and ("repair", "") in script.log
    assert result.tests.failed == 0 and result.tests.passed > 0
    assert '{"status": "ok"}' in (out / "tests" / "test_book_extra.py").read_text()
    with sessions() as session:
        repair = repo.list_interactions(session, project_id=project_id, task_id="R1")
        agent = next(a for a in repo.list_agents(session, project_id=project_id)
                     if a.task_id == "R1")
    prompt = next(r for r in repair if r.kind == "prompt")
    assert "tests/test_book_extra.py" in prompt.content and "healthy" in prompt.content
    assert agent.role == "qa"  # the role that wrote the failing test got it back


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_run_with_failing_tests_never_succeeds(
    temporal_env: Any, tmp_path: Path, unique_prefix: str, redis_prefix: str
) -> None:
    """The repair agent repeats a fix that does not work: the loop detector ends the loop."""
    sessions = make_sessions(f"sqlite:///{tmp_path / 'ql.db'}")

    class Stubborn(TeamScript):
        def _repair(self, prompt: str) -> str:  # noqa: ARG002 - the same answer whatever it says
            self.log.append(("repair", ""))
            return "SUMMARY: add a comment\n\nFILE: NOTES.md\n```\nlooked at it\n```\n"

    script = Stubborn(plant_failure=True)
    with LLMServer(script) as server:
        manager = manager_for(server, "openai", redis_prefix, llm_reviews=False)
        project_id = _project(sessions)
        result = await _run(
            temporal_env.client, _activities(tmp_path, sessions, manager), unique_prefix,
            project_id, ProjectOptions(max_repairs=3),
        )
    assert result.status == "failed"
    assert result.tests.failed > 0
    assert result.repairs == 2  # round 2 repeated round 1's answer: stopped, not 3 rounds
    assert any("repeated an earlier answer" in n for n in result.notes)
