"""The planner: a Spec becomes a DAG of tasks, each owned by a role, covering every requirement."""

from __future__ import annotations

from quantumlayer.domain import AgentRole, Spec, Task, TaskGraph
from quantumlayer.domain.names import to_identifier

_SECURITY_FEATURES = {"auth", "rbac", "payments", "multi_tenancy", "file_upload"}


def plan(spec: Spec) -> TaskGraph:
    """The task graph for `spec`: design, scaffold, model/api/tests per entity, docs, devops...

    Order follows the work: the data model before the endpoints that use it (and before those of
    entities that point at it), tests after the code they test, deployment files after the design.
    """
    tasks: list[Task] = []
    counter = iter(range(1, 10_000))

    def add(
        title: str,
        role: AgentRole,
        kind: str,
        deps: list[str],
        hours: float,
        covers: list[str] | None = None,
        entity: str | None = None,
    ) -> Task:
        task = Task(
            id=f"T{next(counter)}",
            title=title,
            role=role,
            kind=kind,
            depends_on=deps,
            estimate_hours=hours,
            covers=covers or [],
            entity=entity,
        )
        tasks.append(task)
        return task

    nfr_ids = [n.id for n in spec.non_functional_requirements]
    design = add(
        "Design the architecture and data model",
        AgentRole.ARCHITECT,
        "design",
        [],
        3,
        covers=nfr_ids,
    )
    scaffold = add(
        "Scaffold the service (app, database, pagination)",
        AgentRole.BACKEND,
        "scaffold",
        [design.id],
        2,
    )

    entities = spec.entities or []
    fr_by_entity = {
        e.name: [
            fr.id
            for fr in spec.functional_requirements
            if fr.id.startswith("FR") and e.name.lower() in fr.text.lower()
        ]
        for e in entities
    }
    models: dict[str, Task] = {}
    for entity in entities:
        models[entity.name] = add(
            f"Model {entity.name}",
            AgentRole.BACKEND,
            "model",
            [scaffold.id],
            1 + 0.25 * len(entity.fields),
            entity=entity.name,
        )
    apis: dict[str, Task] = {}
    for entity in entities:
        deps = [models[entity.name].id] + [
            models[r.target].id
            for r in entity.relations
            if r.target in models and r.target != entity.name
        ]
        apis[entity.name] = add(
            f"CRUD endpoints for {entity.name}",
            AgentRole.BACKEND,
            "api",
            list(dict.fromkeys(deps)),
            2,
            covers=fr_by_entity[entity.name],
            entity=entity.name,
        )
    tests: list[Task] = []
    for entity in entities:
        deps = [apis[entity.name].id] + [
            apis[r.target].id for r in entity.relations if r.target in apis
        ]
        tests.append(
            add(
                f"Tests for the {entity.name} endpoints",
                AgentRole.QA,
                "tests",
                list(dict.fromkeys(deps)),
                1.5,
                covers=fr_by_entity[entity.name],
                entity=entity.name,
            )
        )
    all_api = [t.id for t in apis.values()] or [scaffold.id]

    covered = {c for t in tasks for c in t.covers}
    leftover_frs = [fr.id for fr in spec.functional_requirements if fr.id not in covered]
    add("Write the README and API guide", AgentRole.WRITER, "docs", all_api, 1, covers=leftover_frs)
    add(
        "Dockerfile and CI pipeline",
        AgentRole.DEVOPS,
        "devops",
        [scaffold.id],
        1.5,
        covers=[
            n.id
            for n in spec.non_functional_requirements
            if n.category in {"availability", "scalability", "observability", "portability"}
        ],
    )
    sensitive = (set(spec.features) & _SECURITY_FEATURES) or any(
        n.category in {"security", "compliance"} for n in spec.non_functional_requirements
    )
    if sensitive:
        add(
            "Security review",
            AgentRole.SECURITY,
            "security",
            [*all_api, *(t.id for t in tests)],
            1,
            covers=[
                n.id
                for n in spec.non_functional_requirements
                if n.category in {"security", "compliance"}
            ],
        )
    graph = TaskGraph(tasks=tasks)
    graph.validate_dag()
    return graph


def task_key(task: Task) -> str:
    """A stable, safe key for a task (used in file names and logs)."""
    return to_identifier(f"{task.id}_{task.kind}_{task.entity or ''}")
