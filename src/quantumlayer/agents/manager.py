"""The Agent Manager with an LLM provider: scaffold, then refine; review and answer; repair.

For every task the built-in engine's scaffold is the starting point. An agent of the task's role
is created (its profile from the settings and `agent_configurations`, its state in Redis), shown
the scaffold and the most relevant files that fit the model's window, and asked to refine them in
the strict answer format (agents/output.py). An answer that does not parse, touches files it may
not, or breaks a file is rejected and the error is sent back; after the retry budget the
scaffold stands and the outcome says so. A reviewer (security or architect) then comments on the
change, and the author answers or revises. When the project's tests fail, `repair` gives the
failing output to the owning role for a fix.

Every call goes through one path: the cache (Redis), the budget (reserve, then settle), the
circuit breaker, retries with backoff honouring Retry-After, a hard timeout, heartbeats; tokens
and cost are counted per call. No Temporal, HTTP or database here: the activity passes in the
files and stores what comes back.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from quantumlayer.agents import context as ctx
from quantumlayer.agents.budget import BudgetExceeded, MemorySpendLedger, SpendLedger
from quantumlayer.agents.cache import LLMCache, cache_key
from quantumlayer.agents.diffs import unified_diff
from quantumlayer.agents.engine import AgentMessage, AgentOutcome, Interaction
from quantumlayer.agents.lifecycle import AgentProfile, AgentStateStore, resolve_profile
from quantumlayer.agents.messages import (
    ChatMessage,
    Completion,
    CompletionRequest,
    parse_json_answer,
)
from quantumlayer.agents.output import OutputRejected, check_answer
from quantumlayer.agents.pricing import PriceTable
from quantumlayer.agents.prompts import goal_for, render_mode, render_prompt
from quantumlayer.agents.providers.base import Provider, ProviderCallError, ProviderUnavailable
from quantumlayer.agents.resilience import (
    CircuitBreaker,
    LoopDetector,
    RetryPolicy,
    call_with_retries,
    run_with_heartbeat,
    sleep_with_heartbeat,
)
from quantumlayer.domain import AgentRole, Artifact, Spec, Task

T = TypeVar("T")

# Room kept free in every prompt for the feedback on a rejected answer.
FEEDBACK_RESERVE_TOKENS = 1500
REFINE_RULES = [
    "Change only the files listed under 'Files of this task'; you may also add new files."
]
# Who reviews whose output, and what they look for.
REVIEWERS = {
    "backend": "security",
    "devops": "security",
    "frontend": "architect",
    "qa": "architect",
    "writer": "architect",
}
REVIEW_FOCUS = {
    "security": "security weaknesses (injection, missing validation or authorisation, secrets in "
    "files, unsafe defaults)",
    "architect": "consistency with the design and the requirements",
}
REVIEW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "verdict": {"type": "string", "enum": ["approve", "changes"]},
        "comments": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["verdict", "comments"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class LLMOptions:
    """How agents use the provider (from Settings; see `from_settings`)."""

    provider: str
    models: Mapping[str, str]
    temperature: float = 0.2
    max_output_tokens: int = 4096
    timeout_s: float = 120.0
    output_retries: int = 2
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    context_tokens: int | None = None
    reviews: bool = True

    @classmethod
    def from_settings(cls, settings: Any) -> LLMOptions:
        return cls(
            provider=settings.llm_provider,
            models={r.value: settings.llm_model_for(r.value) or "" for r in AgentRole},
            temperature=settings.llm_temperature,
            max_output_tokens=settings.llm_max_output_tokens,
            timeout_s=settings.llm_timeout_s,
            output_retries=settings.llm_output_retries,
            retry=RetryPolicy(
                max_retries=settings.llm_max_retries, max_delay_s=settings.llm_retry_max_wait_s
            ),
            context_tokens=settings.llm_context_tokens,
            reviews=settings.llm_reviews,
        )

    def profile(self, role: str, configuration: Mapping[str, Any] | None = None) -> AgentProfile:
        return resolve_profile(
            role,
            provider=self.provider,
            model=self.models.get(role, ""),
            temperature=self.temperature,
            max_tokens=self.max_output_tokens,
            configuration=configuration,
        )


@dataclass(frozen=True)
class RunControls:
    """Per-run knobs of one task: whose money, how much, cache or not, and the heartbeat."""

    project_id: str
    budget_usd: float | None = None
    use_cache: bool = True
    heartbeat: Callable[[], None] | None = None


class _Rejected(Exception):
    """No acceptable answer: `reason` says why (for the outcome's note)."""

    def __init__(self, reason: str, *, repeated: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.repeated = repeated


@dataclass
class _Turn:
    """One agent's side of a conversation within a task."""

    profile: AgentProfile
    task: Task
    messages: list[ChatMessage]
    prompt_version: str
    loop: LoopDetector = field(default_factory=LoopDetector)
    last_answer: str = ""


class AgentManager:
    """Runs LLM-backed agents; one per worker, shared by its activity threads."""

    def __init__(
        self,
        provider: Provider,
        *,
        options: LLMOptions,
        prices: PriceTable | None = None,
        cache: LLMCache | None = None,
        ledger: SpendLedger | None = None,
        states: AgentStateStore | None = None,
        breaker: CircuitBreaker | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.provider = provider
        self.options = options
        self.prices = prices or PriceTable.load()
        self.cache = cache
        self.ledger = ledger or MemorySpendLedger()
        self.states = states or AgentStateStore()
        self.breaker = breaker or CircuitBreaker(name=provider.describe())
        self._rng = rng or random.Random()

    # -- public surface -------------------------------------------------------------------------
    def check_configurations(self, rows: Any) -> None:
        """ProviderError now if an agent_configurations row cannot work with this provider."""
        for row in rows:
            self.options.profile(
                row.role,
                {"provider": row.provider, "model": row.model, "enabled": row.enabled},
            )

    def context_window(self, model: str) -> int:
        return self.options.context_tokens or self.prices.context_tokens(model)

    def refine(
        self,
        *,
        spec: Spec,
        task: Task,
        scaffold: list[Artifact],
        project_files: Mapping[str, str],
        context_paths: list[str],
        direct_paths: Sequence[str] = (),
        configurations: Mapping[str, Mapping[str, Any]] | None = None,
        controls: RunControls,
    ) -> AgentOutcome:
        """Refine the scaffold of `task`; on any failure short of a stop, the scaffold stands.

        `project_files` is the project as it stands (path -> content); `context_paths` are the
        files the agent may be shown (those of the tasks it depends on, for answers that do not
        depend on which parallel task finished first); the agent may change only the scaffold's
        files and add new ones.
        """
        configurations = configurations or {}
        profile = self.options.profile(task.role.value, configurations.get(task.role.value))
        outcome = AgentOutcome(
            task_id=task.id,
            artifacts=list(scaffold),
            provider=self.provider.name if profile.uses_llm else "builtin",
            model=profile.model,
            changed=False,
        )
        if not profile.uses_llm:
            outcome.note = f"{task.id}: role {profile.role} uses the built-in engine"
            return outcome
        started = time.perf_counter()
        self.states.create(controls.project_id, task.id, profile)
        outcome.spawn_time_s = time.perf_counter() - started
        try:
            self._refine(spec, task, scaffold, project_files, context_paths, list(direct_paths),
                         profile, configurations, controls, outcome)
        except BudgetExceeded as err:
            outcome.stop, outcome.stop_message = "budget", str(err)
        except ProviderUnavailable as err:
            outcome.note = f"{task.id}: {err}; the scaffold stands"
            outcome.interactions.append(Interaction("note", outcome.note, role=profile.role))
        except ProviderCallError as err:  # a permanent error: wrong key, model, request
            outcome.stop, outcome.stop_message = "provider", str(err)
        finally:
            self.states.destroy(controls.project_id, task.id, profile.role)
        if outcome.stop:
            outcome.artifacts, outcome.changed = list(scaffold), False
        return outcome

    def repair(
        self,
        *,
        spec: Spec,
        task: Task,
        files: Mapping[str, str],
        failure_output: str,
        round_number: int,
        earlier_answers: Sequence[str] = (),
        configurations: Mapping[str, Mapping[str, Any]] | None = None,
        controls: RunControls,
    ) -> AgentOutcome:
        """Ask the owning role for a fix of the failing tests; `changed` says if it gave one."""
        configurations = configurations or {}
        profile = self.options.profile(task.role.value, configurations.get(task.role.value))
        outcome = AgentOutcome(
            task_id=task.id, artifacts=[], provider=self.provider.name, model=profile.model,
            changed=False,
        )
        if not profile.uses_llm:
            outcome.note = f"role {profile.role} uses the built-in engine, which cannot repair"
            return outcome
        started = time.perf_counter()
        self.states.create(controls.project_id, task.id, profile)
        outcome.spawn_time_s = time.perf_counter() - started
        try:
            self._repair(spec, task, files, failure_output, round_number, list(earlier_answers),
                         profile, controls, outcome)
        except BudgetExceeded as err:
            outcome.stop, outcome.stop_message = "budget", str(err)
        except ProviderUnavailable as err:
            outcome.note = f"{task.id}: {err}; no repair this round"
            outcome.interactions.append(Interaction("note", outcome.note, role=profile.role))
        except ProviderCallError as err:
            outcome.stop, outcome.stop_message = "provider", str(err)
        finally:
            self.states.destroy(controls.project_id, task.id, profile.role)
        return outcome

    # -- refine, review, answer -----------------------------------------------------------------
    def _refine(
        self,
        spec: Spec,
        task: Task,
        scaffold: list[Artifact],
        project_files: Mapping[str, str],
        context_paths: list[str],
        direct_paths: list[str],
        profile: AgentProfile,
        configurations: Mapping[str, Mapping[str, Any]],
        controls: RunControls,
        outcome: AgentOutcome,
    ) -> None:
        editable = {a.path: a.content for a in scaffold}
        files_now = {**project_files, **editable}
        readonly = {p: project_files[p] for p in context_paths if p in project_files}
        readonly = {p: c for p, c in readonly.items() if p not in editable}
        system = render_prompt(spec=spec, task=task)
        requirements = _requirements(spec, task)
        rules = REFINE_RULES
        fixed = {
            "task": task, "role": task.role.value, "goal": goal_for(task),
            "requirements": requirements, "rules": rules,
        }
        empty = render_mode("refine", selection=ctx.ContextSelection(), **fixed)
        budget = ctx.prompt_budget(self.context_window(profile.model), profile.max_tokens)
        room = budget - ctx.conversation_tokens(
            [ChatMessage("system", system.text), ChatMessage("user", empty.text)]
        ) - FEEDBACK_RESERVE_TOKENS
        mentioned = ctx.mentioned_paths(" ".join(r.text for r in requirements), readonly)
        ranked = ctx.rank_files(readonly, spec=spec, task=task, direct=direct_paths,
                                mentioned=mentioned)
        selection = ctx.select_context(
            editable=editable, readonly=readonly, ranked_readonly=ranked, budget_tokens=room
        )
        if editable and not selection.editable:
            outcome.note = (
                f"{task.id}: its files do not fit the context window of {profile.model} "
                f"({self.context_window(profile.model)} tokens); the scaffold stands"
            )
            outcome.interactions.append(Interaction("note", outcome.note, role=profile.role))
            return
        mode = render_mode("refine", selection=selection, **fixed)
        shown = {f.path for f in selection.editable}
        hidden = set(selection.omitted_editable)

        def may_write(path: str, exists: bool) -> str | None:
            if path in shown or (not exists and path not in hidden):
                return None
            if path in hidden:
                return f"{path} was not shown to you; leave it as it is"
            return (
                f"{path} belongs to another task; change only {', '.join(sorted(shown))}, "
                "or add new files"
            )

        turn = _Turn(
            profile=profile,
            task=task,
            messages=[ChatMessage("system", system.text), ChatMessage("user", mode.text)],
            prompt_version=f"{system.version}+{mode.version}",
        )
        outcome.prompt_version = turn.prompt_version
        try:
            changed, _ = self._converse(
                turn,
                parse=lambda text: _parse_files(text, files_now, may_write),
                kind="response",
                controls=controls,
                outcome=outcome,
            )
        except _Rejected as err:
            outcome.note = f"{task.id}: {err.reason}; the scaffold stands"
            outcome.interactions.append(Interaction("note", outcome.note, role=profile.role))
            return
        if not changed:
            return
        reviewer = REVIEWERS.get(profile.role) if self.options.reviews else None
        if reviewer is not None:
            reviewer_profile = self.options.profile(reviewer, configurations.get(reviewer))
            if reviewer_profile.uses_llm:
                changed = self._review(
                    spec, task, turn, reviewer_profile, files_now, changed, may_write,
                    controls, outcome,
                )
        merged = {**editable, **changed}
        outcome.artifacts = [
            Artifact(path=p, content=c, task_id=task.id) for p, c in merged.items()
        ]
        outcome.changed = any(editable.get(p) != c for p, c in merged.items())

    def _review(
        self,
        spec: Spec,
        task: Task,
        author: _Turn,
        reviewer: AgentProfile,
        files_now: dict[str, str],
        changed: dict[str, str],
        may_write: Callable[[str, bool], str | None],
        controls: RunControls,
        outcome: AgentOutcome,
    ) -> dict[str, str]:
        """The reviewer comments on the change; the author answers or revises. The (possibly
        revised) changes come back; a review that fails leaves the change as it is."""
        change = "".join(unified_diff(p, files_now.get(p), c) for p, c in sorted(changed.items()))
        budget = ctx.prompt_budget(self.context_window(reviewer.model), reviewer.max_tokens)
        if ctx.estimate_tokens(change) > budget // 2:
            note = f"{task.id}: the change is too large to review within the context window"
            outcome.interactions.append(Interaction("note", note, role=reviewer.role))
            return changed
        system = render_prompt(spec=spec, task=task, role=AgentRole(reviewer.role))
        mode = render_mode(
            "review", author=author.profile.role, task=task, role=reviewer.role,
            focus=REVIEW_FOCUS.get(reviewer.role, ""), change=change,
        )
        turn = _Turn(
            profile=reviewer,
            task=task,
            messages=[ChatMessage("system", system.text), ChatMessage("user", mode.text)],
            prompt_version=f"{system.version}+{mode.version}",
        )
        self.states.create(controls.project_id, task.id, reviewer)
        try:
            verdict, comments = self._converse(
                turn, parse=_parse_review, kind="review", controls=controls, outcome=outcome,
                json_schema=REVIEW_SCHEMA,
            )[0]
        except _Rejected as err:
            note = f"{task.id}: the {reviewer.role} review failed ({err.reason}); the change stands"
            outcome.interactions.append(Interaction("note", note, role=reviewer.role))
            return changed
        finally:
            self.states.destroy(controls.project_id, task.id, reviewer.role)
        outcome.messages.append(AgentMessage(reviewer.role, author.profile.role, "review"))
        if verdict == "approve":
            return changed
        after = {**files_now, **changed}
        answer = render_mode(
            "answer", reviewer=reviewer.role, comments=comments, rules=REFINE_RULES,
            files=[ctx.ContextFile(p, after[p]) for p in sorted(changed)],
        )
        author.messages = [
            *author.messages,
            ChatMessage("assistant", author.last_answer),
            ChatMessage("user", answer.text),
        ]
        author.prompt_version = f"{author.prompt_version.split('+refine')[0]}+{answer.version}"
        try:
            revised, _ = self._converse(
                author,
                parse=lambda text: _parse_files(text, after, may_write),
                kind="answer",
                controls=controls,
                outcome=outcome,
                prompt_text=answer.text,
            )
        except _Rejected as err:
            note = f"{task.id}: the answer to the review was rejected ({err.reason})"
            outcome.interactions.append(Interaction("note", note, role=author.profile.role))
            return changed
        outcome.messages.append(AgentMessage(author.profile.role, reviewer.role, "answer"))
        return {**changed, **revised}

    # -- repair ---------------------------------------------------------------------------------
    def _repair(
        self,
        spec: Spec,
        task: Task,
        files: Mapping[str, str],
        failure_output: str,
        round_number: int,
        earlier_answers: list[str],
        profile: AgentProfile,
        controls: RunControls,
        outcome: AgentOutcome,
    ) -> None:
        system = render_prompt(spec=spec, task=task)
        budget = ctx.prompt_budget(self.context_window(profile.model), profile.max_tokens)
        # The test output is a log, not a file: its end (where pytest sums up) is what matters,
        # and it may use up to a quarter of the budget.
        keep = max(2000, budget // 4 * ctx.CHARS_PER_TOKEN)
        failure = failure_output[-keep:]
        fixed = {"round": round_number, "failure": failure, "rules": []}
        empty = render_mode("repair", selection=ctx.ContextSelection(), **fixed)
        room = budget - ctx.conversation_tokens(
            [ChatMessage("system", system.text), ChatMessage("user", empty.text)]
        ) - FEEDBACK_RESERVE_TOKENS
        mentioned = ctx.mentioned_paths(failure, files)
        ranked = ctx.rank_files(files, spec=spec, task=task, mentioned=mentioned)
        chosen = ctx.select_context(
            editable={}, readonly=dict(files), ranked_readonly=ranked, budget_tokens=room
        )
        selection = ctx.ContextSelection(
            editable=chosen.readonly, omitted_editable=chosen.omitted
        )
        mode = render_mode("repair", selection=selection, **fixed)
        turn = _Turn(
            profile=profile,
            task=task,
            messages=[ChatMessage("system", system.text), ChatMessage("user", mode.text)],
            prompt_version=f"{system.version}+{mode.version}",
            loop=LoopDetector(earlier_answers),
        )
        outcome.prompt_version = turn.prompt_version
        try:
            changed, _ = self._converse(
                turn,
                parse=lambda text: _parse_files(text, dict(files), lambda _p, _e: None),
                kind="response",
                controls=controls,
                outcome=outcome,
            )
        except _Rejected as err:
            outcome.note = (
                f"{task.id}: the {profile.role} agent repeated an earlier answer; no new fix"
                if err.repeated
                else f"{task.id}: {err.reason}; no fix this round"
            )
            outcome.interactions.append(Interaction("note", outcome.note, role=profile.role))
            return
        outcome.artifacts = [
            Artifact(path=p, content=c, task_id=task.id) for p, c in sorted(changed.items())
        ]
        outcome.changed = bool(changed)
        if not changed:
            outcome.note = f"{task.id}: the {profile.role} agent proposed no change"

    # -- the conversation and the call ------------------------------------------------------------
    def _converse(
        self,
        turn: _Turn,
        *,
        parse: Callable[[str], T],
        kind: str,
        controls: RunControls,
        outcome: AgentOutcome,
        json_schema: dict[str, Any] | None = None,
        prompt_text: str | None = None,
    ) -> tuple[T, str]:
        """Ask until an answer parses (1 + output_retries tries), feeding errors back.

        `prompt_text` is what is recorded as the prompt (default: the whole conversation).
        Raises _Rejected when no answer is acceptable, or at once when the agent repeats an
        answer it gave before (the loop detector).
        """
        if prompt_text is None:
            prompt_text = "\n\n".join(m.content for m in turn.messages if m.role != "assistant")
        last_error = ""
        for attempt in range(1 + self.options.output_retries):
            completion = self._call(
                turn, prompt_text=prompt_text, kind=kind, controls=controls, outcome=outcome,
                json_schema=json_schema,
            )
            text = completion.text
            if turn.loop.repeated(text):
                raise _Rejected("the agent gave the same answer again", repeated=True)
            try:
                result = parse(text)
            except (OutputRejected, ValueError) as err:
                last_error = str(err)
                if completion.finish_reason in ("length", "max_tokens"):
                    last_error += (
                        f"\n(Your answer was cut off at {turn.profile.max_tokens} tokens: "
                        "send DIFF blocks instead of whole files.)"
                    )
                outcome.interactions.append(
                    Interaction(
                        "note",
                        f"answer {attempt + 1} rejected: {last_error}",
                        role=turn.profile.role,
                    )
                )
                feedback = (
                    f"Your answer was rejected:\n{last_error}\n\n"
                    "Answer again, complete, in the required format."
                )
                turn.messages = [
                    *turn.messages,
                    ChatMessage("assistant", text),
                    ChatMessage("user", feedback),
                ]
                prompt_text = feedback
                continue
            turn.last_answer = text
            return result, text
        raise _Rejected(
            f"no acceptable answer after {1 + self.options.output_retries} tries "
            f"(last: {last_error.splitlines()[0] if last_error else 'none'})"
        )

    def _call(
        self,
        turn: _Turn,
        *,
        prompt_text: str,
        kind: str,
        controls: RunControls,
        outcome: AgentOutcome,
        json_schema: dict[str, Any] | None,
    ) -> Completion:
        profile = turn.profile
        budget = ctx.prompt_budget(self.context_window(profile.model), profile.max_tokens)
        request = CompletionRequest(
            messages=tuple(ctx.fit_conversation(turn.messages, budget)),
            model=profile.model,
            max_tokens=profile.max_tokens,
            temperature=profile.temperature,
            json_schema=json_schema,
            timeout_s=self.options.timeout_s,
            context_tokens=self.context_window(profile.model),
        )
        common: dict[str, Any] = {
            "role": profile.role, "prompt_version": turn.prompt_version, "model": profile.model,
        }
        outcome.interactions.append(Interaction("prompt", prompt_text, **common))
        key = cache_key(
            provider=self.provider.name, prompt_version=turn.prompt_version, request=request
        )
        use_cache = self.cache is not None and controls.use_cache
        if use_cache:
            assert self.cache is not None
            hit = self.cache.get(key)
            if hit is not None:
                outcome.cache_hits += 1
                outcome.interactions.append(Interaction(kind, hit.text, cached=True, **common))
                return hit
        reserved = 0.0
        if controls.budget_usd is not None:
            reserved = self.prices.cost(
                profile.model, ctx.conversation_tokens(request.messages), request.max_tokens
            )
            self.ledger.reserve(controls.project_id, reserved, controls.budget_usd)

        def on_retry(number: int, err: ProviderCallError, wait: float) -> None:
            outcome.interactions.append(
                Interaction("note", f"{err}; retry {number} in {wait:.1f}s", role=profile.role)
            )

        try:
            completion = call_with_retries(
                lambda: run_with_heartbeat(
                    lambda: self.provider.complete(request),
                    heartbeat=controls.heartbeat,
                    timeout_s=self.options.timeout_s + 5,
                ),
                policy=self.options.retry,
                breaker=self.breaker,
                sleep=lambda s: sleep_with_heartbeat(s, heartbeat=controls.heartbeat),
                rng=self._rng,
                on_retry=on_retry,
            )
        except BaseException:
            if reserved:
                self.ledger.settle(controls.project_id, reserved, 0.0)
            raise
        cost = self.prices.cost(completion.model or profile.model, completion.tokens_in,
                                completion.tokens_out)
        if controls.budget_usd is not None:
            self.ledger.settle(controls.project_id, reserved, cost)
        outcome.calls += 1
        outcome.tokens_in += completion.tokens_in
        outcome.tokens_out += completion.tokens_out
        outcome.cost_usd += cost
        self.states.record_call(
            controls.project_id, turn.task.id, profile.role,
            tokens_in=completion.tokens_in, tokens_out=completion.tokens_out,
        )
        outcome.interactions.append(
            Interaction(
                kind, completion.text, tokens_in=completion.tokens_in,
                tokens_out=completion.tokens_out, cost_usd=cost, **common,
            )
        )
        if use_cache:
            assert self.cache is not None
            self.cache.put(key, completion)
        return completion


def _requirements(spec: Spec, task: Task) -> list[Any]:
    covered = set(task.covers)
    found: list[Any] = [r for r in spec.functional_requirements if r.id in covered]
    return found + [r for r in spec.non_functional_requirements if r.id in covered]


def _parse_files(
    text: str, files: dict[str, str], may_write: Callable[[str, bool], str | None]
) -> dict[str, str]:
    return check_answer(text, files, may_write=may_write)


def _parse_review(text: str) -> tuple[str, list[str]]:
    data = parse_json_answer(text)
    shape = 'expected one JSON object {"verdict": "approve" or "changes", "comments": [...]}'
    if not isinstance(data, dict) or data.get("verdict") not in ("approve", "changes"):
        raise OutputRejected(shape)
    comments = data.get("comments", [])
    if not isinstance(comments, list) or not all(isinstance(c, str) for c in comments):
        raise OutputRejected(f"{shape}; comments must be a list of strings")
    comments = [c.strip() for c in comments if c.strip()]
    if data["verdict"] == "changes" and not comments:
        raise OutputRejected("a 'changes' verdict needs at least one comment saying what to change")
    return data["verdict"], comments


def build_manager(
    settings: Any, *, redis_url: str | None = None, redis_prefix: str = "ql:"
) -> AgentManager | None:
    """The Agent Manager for the configured provider, or None for the built-in engine.

    Fails fast (at worker start-up): a misconfigured provider is a ProviderError saying what to
    set; an unreachable Redis is ServiceUnavailable. Without a Redis URL the cache is off and
    budgets and agent state are kept per process.
    """
    from quantumlayer.agents.budget import RedisSpendLedger
    from quantumlayer.agents.providers import build_provider

    provider = build_provider(settings)
    if provider is None:
        return None
    options = LLMOptions.from_settings(settings)
    prices = PriceTable.load(settings.llm_prices_file)
    redis = connect_redis(redis_url) if redis_url else None
    return AgentManager(
        provider,
        options=options,
        prices=prices,
        cache=(
            LLMCache(redis, prefix=redis_prefix, ttl_s=settings.llm_cache_ttl_s)
            if redis is not None and settings.llm_cache
            else None
        ),
        ledger=RedisSpendLedger(redis, prefix=redis_prefix) if redis is not None else None,
        states=AgentStateStore(redis, prefix=redis_prefix),
        breaker=CircuitBreaker(
            failures=settings.llm_breaker_failures,
            reset_s=settings.llm_breaker_reset_s,
            name=provider.describe(),
        ),
    )


def connect_redis(url: str) -> Any:
    """A Redis client for `url`, checked with PING; ServiceUnavailable if it does not answer."""
    import redis as redis_lib

    from quantumlayer.errors import ServiceUnavailable, UserError

    try:
        client = redis_lib.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
    except ValueError as err:
        raise UserError(f"QL_REDIS_URL={url!r} is not a Redis URL: {err}") from err
    try:
        client.ping()
    except redis_lib.RedisError as err:
        raise ServiceUnavailable(f"Redis at {url} does not answer: {err}") from err
    return client
