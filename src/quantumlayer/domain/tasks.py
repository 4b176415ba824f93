"""Tasks and the task graph (a DAG of work, each task owned by an agent role)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class AgentRole(StrEnum):
    ARCHITECT = "architect"
    BACKEND = "backend"
    FRONTEND = "frontend"
    QA = "qa"
    DEVOPS = "devops"
    WRITER = "writer"
    SECURITY = "security"


class Task(BaseModel):
    """One unit of work. `kind` and `entity` tell the built-in engine what to produce."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    role: AgentRole
    depends_on: list[str] = Field(default_factory=list)
    estimate_hours: float = Field(default=1.0, ge=0)
    covers: list[str] = Field(default_factory=list)
    kind: str = Field(default="generic", description="what the task produces, e.g. 'model'")
    entity: str | None = Field(default=None, description="the entity the task is about, if any")


class TaskGraphError(ValueError):
    """The tasks do not form a valid DAG."""


class TaskGraph(BaseModel):
    """A validated DAG of tasks."""

    model_config = ConfigDict(extra="forbid")

    tasks: list[Task] = Field(default_factory=list)

    def by_id(self) -> dict[str, Task]:
        return {t.id: t for t in self.tasks}

    def validate_dag(self) -> None:
        """Raise TaskGraphError unless ids are unique, dependencies exist and nothing cycles."""
        ids = [t.id for t in self.tasks]
        if len(ids) != len(set(ids)):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            raise TaskGraphError(f"duplicate task ids: {', '.join(dupes)}")
        known = set(ids)
        for task in self.tasks:
            missing = [d for d in task.depends_on if d not in known]
            if missing:
                raise TaskGraphError(
                    f"task {task.id} depends on unknown tasks: {', '.join(missing)}"
                )
            if task.id in task.depends_on:
                raise TaskGraphError(f"task {task.id} depends on itself")
        self.topological_order()

    def topological_order(self) -> list[Task]:
        """Tasks in an order where every task comes after its dependencies (stable by position).

        In waves: first the tasks with no dependencies, then those whose dependencies are all in
        the first wave, and so on, each wave in the order of the task list.
        """
        position = {t.id: i for i, t in enumerate(self.tasks)}
        waiting = {t.id: len(set(t.depends_on)) for t in self.tasks}
        needed_by: dict[str, list[str]] = {}
        for task in self.tasks:
            for dep in set(task.depends_on):
                needed_by.setdefault(dep, []).append(task.id)
        tasks = self.by_id()
        wave = [t.id for t in self.tasks if not waiting[t.id]]
        order: list[Task] = []
        while wave:
            order.extend(tasks[tid] for tid in wave)
            freed = []
            for tid in wave:
                del waiting[tid]
                for later in needed_by.get(tid, ()):
                    waiting[later] -= 1
                    if not waiting[later]:
                        freed.append(later)
            wave = sorted(freed, key=position.__getitem__)
        if waiting:
            raise TaskGraphError(f"dependency cycle among tasks: {', '.join(sorted(waiting))}")
        return order

    def ready(self, done: Iterable[str], started: Iterable[str] = ()) -> list[Task]:
        """Tasks not yet started whose dependencies are all done, in graph order."""
        done_set, started_set = set(done), set(started)
        return [
            t
            for t in self.tasks
            if t.id not in done_set and t.id not in started_set and set(t.depends_on) <= done_set
        ]

    def levels(self) -> list[list[Task]]:
        """Tasks grouped by depth: every task of level n depends only on tasks of levels < n."""
        depth: dict[str, int] = {}
        for task in self.topological_order():
            depth[task.id] = 1 + max((depth[d] for d in task.depends_on), default=-1)
        out: list[list[Task]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
        for task in self.tasks:
            out[depth[task.id]].append(task)
        return out
