"""LLM agents per provider: requests, tokens, cost and time of one project's tasks, then the same
project again (the cache answers), through the official SDKs against the scripted loopback
server of the test suite (tests/integration/llm_servers.py).

    .venv/bin/python bench/agent_providers.py [--redis redis://127.0.0.1:6379/0]

Every task of the library project is done with `ProjectActivities.do_agent_task` in dependency
order (no Temporal: this measures the agent layer — prompts, context, parsing, the SDK call over
HTTP, Redis, SQLite). The scripted team makes a few real edits (a diff, new files, a review with
changes and an answer), so the figures include reviews; the server's token counts are 1 per 4
characters, as real tokenizers roughly count.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.integration.llm_servers import LLMServer, TeamScript  # noqa: E402

from quantumlayer import intent  # noqa: E402
from quantumlayer.agents import build_manager  # noqa: E402
from quantumlayer.config import Settings  # noqa: E402
from quantumlayer.orchestrator.activities import ProjectActivities  # noqa: E402
from quantumlayer.orchestrator.models import AgentTaskInput, LLMUsage  # noqa: E402
from quantumlayer.store import db  # noqa: E402
from quantumlayer.store import repositories as repo  # noqa: E402

IDEA = "A REST API for a library: books, authors, members and loans"
MODELS = {"openai": "gpt-4o-mini", "anthropic": "claude-3-5-haiku-latest", "ollama": "llama3.1"}


def run_project(activities: ProjectActivities, sessions, spec) -> tuple[LLMUsage, float]:  # noqa: ANN001
    project_id = uuid.uuid4().hex[:12]
    with sessions.begin() as session:
        repo.create_project(session, id=project_id, intent=IDEA)
    usage = LLMUsage()
    started = time.perf_counter()
    for task in spec.tasks:  # the planner's order is a topological order
        result = activities.do_agent_task(
            AgentTaskInput(project_id=project_id, workflow_id=f"bench-{project_id}", spec=spec,
                           task=task)
        )
        usage.add(result.usage)
    return usage, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    spec = intent.analyze(IDEA)
    print(f"{len(spec.tasks)} tasks; Redis {args.redis}")
    print(f"{'provider':<10} {'run':<7} {'requests':>8} {'calls':>6} {'cached':>6} "
          f"{'tokens in':>10} {'tokens out':>10} {'USD':>9} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as tmp, LLMServer(TeamScript()) as server:
        engine = db.create_engine_for(f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.migrate(engine)
        sessions = db.session_factory(engine)
        for provider, model in MODELS.items():
            settings = Settings(
                llm_provider=provider, llm_model=model, openai_api_key="sk-bench",
                openai_base_url=server.openai_base_url, anthropic_api_key="sk-bench",
                anthropic_base_url=server.anthropic_base_url, ollama_host=server.ollama_host,
            )
            manager = build_manager(settings, redis_url=args.redis,
                                    redis_prefix=f"qlbench:{uuid.uuid4().hex[:8]}:")
            activities = ProjectActivities(sessions=sessions, work_dir=Path(tmp) / "work",
                                           agent_manager=manager)
            for label in ("first", "again"):
                before = len(server.chat_requests())
                usage, seconds = run_project(activities, sessions, spec)
                requests = len(server.chat_requests()) - before
                print(f"{provider:<10} {label:<7} {requests:>8} {usage.calls:>6} "
                      f"{usage.cache_hits:>6} {usage.tokens_in:>10,} {usage.tokens_out:>10,} "
                      f"{usage.cost_usd:>9.5f} {seconds:>8.2f}")
            if manager is not None and manager.cache is not None:
                redis = manager.cache._redis  # noqa: SLF001 - tidy the bench's own keys
                keys = list(redis.scan_iter(match="qlbench:*", count=500))
                if keys:
                    redis.delete(*keys)


if __name__ == "__main__":
    main()
