"""The planner: a Spec becomes a DAG of tasks, each owned by a role, covering every requirement.

The order follows the work: the architecture first; the scaffold on it; each data model after the
models it points at; the endpoints of an entity after its model and those of the entities it
refers to; its tests after its endpoints; the deployment files (Dockerfile, CI, IaC) after the
architecture and the scaffold; the docs after the endpoints; a security review after the code and
its tests whenever sign-in, payments, tenants, uploads or security/compliance NFRs appear.

Task kinds are exactly those the built-in engine produces (design, scaffold, model, api, tests,
docs, devops, security); per-entity tasks name an entity of the Spec. The hours of the estimate
(`spec.complexity.effort_hours`) are shared out over the tasks by phase: design 10%, scaffold 10%,
models 15%, endpoints 25%, tests 20%, docs 5%, deployment 8%, security 7%, each entity's part in
proportion to its fields and relations.
"""

from __future__ import annotations

from dataclasses import dataclass

from quantumlayer.domain import AgentRole, Spec, Task, TaskGraph
from quantumlayer.domain.names import to_identifier, words

_SECURITY_FEATURES = {"auth", "rbac", "payments", "multi_tenancy", "file_upload", "audit_log"}
_SCAFFOLD_FEATURES = {
    "auth",
    "rbac",
    "multi_tenancy",
    "i18n",
    "caching",
    "rate_limiting",
    "realtime",
    "admin_panel",
    "audit_log",
    "notifications_email",
    "notifications_push",
    "notifications_sms",
    "webhooks",
    "scheduling",
    "chat",
    "analytics",
    "reporting",
    "recommendations",
    "payments",
}
_DEVOPS_NFRS = {
    "performance",
    "scalability",
    "availability",
    "observability",
    "portability",
    "cost",
}
_SECURITY_NFRS = {"security", "compliance"}
_DOCS_NFRS = {"usability", "maintainability"}
_SHARES = {
    "design": 0.10,
    "scaffold": 0.10,
    "model": 0.15,
    "api": 0.25,
    "tests": 0.20,
    "docs": 0.05,
    "devops": 0.08,
    "security": 0.07,
}


def plan(spec: Spec) -> TaskGraph:
    """The task graph for `spec` (see the module docstring); every FR and NFR is covered."""
    tasks: list[_Draft] = []

    def add(
        title: str,
        role: AgentRole,
        kind: str,
        deps: list[str],
        covers: list[str] | None = None,
        entity: str | None = None,
    ) -> _Draft:
        task = _Draft(
            id=f"T{len(tasks) + 1}",
            title=title,
            role=role,
            kind=kind,
            depends_on=list(dict.fromkeys(deps)),
            covers=list(dict.fromkeys(covers or [])),
            entity=entity,
        )
        tasks.append(task)
        return task

    nfrs = spec.non_functional_requirements
    frs = spec.functional_requirements
    feature_fr = _feature_requirements(spec)
    entity_fr = _entity_requirements(spec)

    design = add(
        "Design the architecture and data model",
        AgentRole.ARCHITECT,
        "design",
        [],
        covers=[n.id for n in nfrs if n.category not in _DOCS_NFRS],
    )
    scaffold = add(
        "Scaffold the project (app, configuration, database, cross-cutting features)",
        AgentRole.BACKEND,
        "scaffold",
        [design.id],
        covers=[fr for fid, ids in feature_fr.items() if fid in _SCAFFOLD_FEATURES for fr in ids],
    )
    entities = list(spec.entities)
    names = {e.name for e in entities}

    by_name = {e.name: e for e in entities}

    def parents(entity_name: str) -> list[str]:
        return [
            r.target
            for r in by_name[entity_name].relations
            if r.target in names and r.target != entity_name
        ]

    models: dict[str, _Draft] = {}
    for entity in _parents_first(entities):
        models[entity.name] = add(
            f"Data model for {entity.name}",
            AgentRole.BACKEND,
            "model",
            [scaffold.id, *(models[p].id for p in parents(entity.name) if p in models)],
            covers=entity_fr.get(entity.name, [])[:1],
            entity=entity.name,
        )
    apis: dict[str, _Draft] = {}
    item_features = [
        fr for fid, ids in feature_fr.items() if fid not in _SCAFFOLD_FEATURES for fr in ids
    ]
    for index, entity in enumerate(entities):
        apis[entity.name] = add(
            f"Endpoints for {entity.name} (create, read, update, delete, list)",
            AgentRole.BACKEND,
            "api",
            [models[entity.name].id, *(models[p].id for p in parents(entity.name))],
            covers=entity_fr.get(entity.name, []) + (item_features if index == 0 else []),
            entity=entity.name,
        )
    tests: list[_Draft] = []
    for entity in entities:
        tests.append(
            add(
                f"Tests for the {entity.name} endpoints",
                AgentRole.QA,
                "tests",
                [apis[entity.name].id, *(apis[p].id for p in parents(entity.name))],
                covers=entity_fr.get(entity.name, [])[:1],
                entity=entity.name,
            )
        )
    all_api = [t.id for t in apis.values()] or [scaffold.id]
    add(
        "Dockerfile, CI pipeline and infrastructure as code"
        + (f" ({', '.join(spec.deployment_hints)})" if spec.deployment_hints else ""),
        AgentRole.DEVOPS,
        "devops",
        [design.id, scaffold.id],
        covers=[n.id for n in nfrs if n.category in _DEVOPS_NFRS],
    )
    sensitive = bool(set(spec.features) & _SECURITY_FEATURES) or any(
        n.category in _SECURITY_NFRS for n in nfrs
    )
    if sensitive:
        add(
            "Security review (authentication, secrets, data protection, dependencies)",
            AgentRole.SECURITY,
            "security",
            [*all_api, *(t.id for t in tests)],
            covers=[n.id for n in nfrs if n.category in _SECURITY_NFRS]
            + [fr for fid, ids in feature_fr.items() if fid in _SECURITY_FEATURES for fr in ids],
        )
    covered = {c for t in tasks for c in t.covers}
    leftover = [fr.id for fr in frs if fr.id not in covered]
    add(
        "README, API guide and user documentation",
        AgentRole.WRITER,
        "docs",
        all_api,
        covers=leftover + [n.id for n in nfrs if n.category in _DOCS_NFRS],
    )
    _share_hours(tasks, spec)
    # One validation of all the tasks at the end (pydantic's core does it faster than building
    # each Task on its own).
    graph = TaskGraph.model_validate({"tasks": [vars(t) for t in tasks]})
    graph.validate_dag()
    return graph


@dataclass
class _Draft:
    """A task while the plan is being built: the fields of Task, checked once at the end."""

    id: str
    title: str
    role: AgentRole
    kind: str
    depends_on: list[str]
    covers: list[str]
    entity: str | None
    estimate_hours: float = 1.0


def trace(spec: Spec) -> list[tuple[str, str, list[str]]]:
    """Requirement -> tasks: (requirement id, its text, ids of the tasks that cover it)."""
    tasks = spec.tasks or plan(spec).tasks
    rows = [
        (fr.id, fr.text, [t.id for t in tasks if fr.id in t.covers])
        for fr in spec.functional_requirements
    ]
    rows += [
        (n.id, f"[{n.category}] {n.text}", [t.id for t in tasks if n.id in t.covers])
        for n in spec.non_functional_requirements
    ]
    return rows


def task_key(task: Task) -> str:
    """A stable, safe key for a task (used in file names and logs)."""
    return to_identifier(f"{task.id}_{task.kind}_{task.entity or ''}")


def _parents_first(entities: list) -> list:  # type: ignore[type-arg]
    """Entities ordered so that each comes after the entities it points at (cycles broken)."""
    names = {e.name for e in entities}
    done: list = []  # type: ignore[type-arg]
    visiting: set[str] = set()
    by_name = {e.name: e for e in entities}

    def visit(name: str) -> None:
        if name in visiting or any(e.name == name for e in done):
            return
        visiting.add(name)
        for r in by_name[name].relations:
            if r.target in names and r.target != name:
                visit(r.target)
        visiting.discard(name)
        done.append(by_name[name])

    for e in entities:
        visit(e.name)
    return done


def _entity_requirements(spec: Spec) -> dict[str, list[str]]:
    """FR ids per entity: its CRUD requirement and the behaviours that name it."""
    out: dict[str, list[str]] = {e.name: [] for e in spec.entities}
    parts = {e.name: tuple(words(e.name)) or (e.name.lower(),) for e in spec.entities}
    for fr in spec.functional_requirements:
        if fr.text.startswith("Manage ") and " records:" in fr.text:
            name = fr.text[len("Manage ") :].split(" records:", 1)[0]
            if name in out:
                out[name].append(fr.id)
            continue
        text_words = words(fr.text.lower())  # lower first: "BigQuery" in a text is one word
        present = set(text_words)
        for name, name_parts in parts.items():
            if _mentions(text_words, present, name_parts):
                out[name].append(fr.id)
                break
    return out


def _feature_requirements(spec: Spec) -> dict[str, list[str]]:
    """FR ids per feature id (the feature FRs come right after the entity ones, in order)."""
    from quantumlayer.intent.requirements import FEATURE_TEXT

    by_text = {text: fid for fid, text in FEATURE_TEXT.items()}
    out: dict[str, list[str]] = {}
    for fr in spec.functional_requirements:
        fid = by_text.get(fr.text)
        if fid:
            out.setdefault(fid, []).append(fr.id)
    return out


def _mentions(text_words: list[str], present: set[str], parts: tuple[str, ...]) -> bool:
    """True when the words name the entity: "loan item(s)" or "loanitem(s)" for LoanItem.

    (A word search instead of a regular expression per entity: compiling one for every new
    name cost a tenth of the analyser's time.)
    """
    last, joined = parts[-1], "".join(parts)
    if present.isdisjoint((*_forms(last), *_forms(joined))):
        return False  # the cheap test first: neither its last word nor its joined name is there
    n = len(parts)
    for i, word in enumerate(text_words):
        if _plural_of(word, joined):
            return True
        if (
            n > 1
            and word == parts[0]
            and tuple(text_words[i + 1 : i + n - 1]) == parts[1:-1]
            and i + n <= len(text_words)
            and _plural_of(text_words[i + n - 1], last)
        ):
            return True
    return False


def _forms(base: str) -> tuple[str, str, str]:
    """A word and its plural spellings: "loan", "loans", "loanes" (the last is harmless)."""
    return base, base + "s", base + "es"


def _plural_of(word: str, base: str) -> bool:
    return word in _forms(base)


def _share_hours(tasks: list[_Draft], spec: Spec) -> None:
    """Share the estimated effort over the tasks by phase (see the module docstring)."""
    total = spec.complexity.effort_hours if spec.complexity else 0.0
    weights = {e.name: 1 + 0.25 * len(e.fields) + 0.5 * len(e.relations) for e in spec.entities}
    present = {t.kind for t in tasks}
    share_sum = sum(v for k, v in _SHARES.items() if k in present) or 1.0
    kind_weight: dict[str, float] = {}
    for task in tasks:
        if task.entity:
            kind_weight[task.kind] = kind_weight.get(task.kind, 0) + weights.get(task.entity, 1)
    for task in tasks:
        phase = total * _SHARES.get(task.kind, 0.05) / share_sum
        if task.entity:
            phase *= weights.get(task.entity, 1) / (kind_weight[task.kind] or 1)
        task.estimate_hours = max(0.5, round(phase * 2) / 2)
