"""From a Spec to a Blueprint: the resources a generated REST API will have, with checked names.

Entity and field names come from untrusted text. The domain already sanitises them, but a Spec can
be built without validation (`model_construct`) or changed after it was validated, so every name
is sanitised again here and then checked against a strict pattern; nothing else reaches code.
The Blueprint also settles what the templates should not have to think about: duplicate
entities, names that would clash with what the generated modules define or import, relations to
entities that do not exist, required foreign keys that would form a cycle, and so on. Each such
adjustment is recorded in `Blueprint.notes` for the architecture document.
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass, field, replace
from typing import Any

from quantumlayer.domain import Entity, EntityField, Spec
from quantumlayer.domain.names import pluralize, singularize, slugify, to_identifier

from .rendering import clean_text, one_line, pyrepr

IDENT = re.compile(r"[a-z][a-z0-9_]*")
CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
# Long names are cut so that every generated line stays within the checked line length.
MAX_NAME = 30
MAX_ALIAS = 40

STRING_SIZES = {"string": 200, "email": 320, "url": 2048, "file": 1024}
TEXT_MAX = 10_000

# Names the generated modules define or import, which a field (a class attribute of the model and
# of the pydantic schemas, a query parameter of the list endpoint) must not shadow.
FIELD_RESERVED = frozenset(
    {
        # SQLAlchemy declarative attributes, and names the model modules use
        "metadata", "registry", "type_annotation_map", "sa", "mapped_column", "relationship",
        "annotations",
        # standard-library modules imported by generated code
        "datetime", "decimal", "uuid", "typing", "re", "os",
        # pydantic BaseModel attributes
        "construct", "copy", "dict", "from_orm", "json", "model_computed_fields", "model_config",
        "model_construct", "model_copy", "model_dump", "model_dump_json", "model_extra",
        "model_fields", "model_fields_set", "model_json_schema", "model_parametrized_name",
        "model_post_init", "model_rebuild", "model_validate", "model_validate_json",
        "model_validate_strings", "parse_file", "parse_obj", "parse_raw", "schema", "schema_json",
        "update_forward_refs", "validate", "field_validator", "model_validator",
        # parameters, locals and helpers of the routers
        "router", "session", "payload", "data", "limit", "offset", "item", "item_id", "select",
        "apply_filters", "paginate", "get_or_404", "ensure_unique", "require_existing",
        "require_all", "commit_or_conflict", "statement", "filters",
        # methods of the record classes of other archetypes (library, worker, ...)
        "create", "changed", "to_dict",
        # the search parameter of list endpoints
        "q",
    }
)

# CamelCase names the generated modules import or define; resource classes and their schema
# classes must not collide with them.
CLASS_RESERVED = frozenset(
    {
        "Any", "Annotated", "APIRouter", "AsyncIterator", "Base", "BaseModel", "ConfigDict",
        "Decimal", "DeclarativeBase", "Depends", "Engine", "FastAPI", "Field", "Generic",
        "HTTPException", "IntegrityError", "Iterator", "LimitParam", "Literal", "Mapped",
        "OffsetParam", "Page", "Path", "Query", "Select", "Self", "Session", "SessionDep",
        "TestClient", "TypeVar", "UUID", "Date", "DateTime", "Enum", "ModelT", "SchemaT",
        # the models and schemas of the features (auth, audit log, files, webhooks)
        "AuthUser", "AuditEntry", "StoredFile", "WebhookSubscription", "WebhookDelivery",
        "Entry", "SignIn", "Token", "RoleChange", "AccountRead", "RateLimiter",
    }
)

# Features that change the generated code (the others are described in the docs).
CODED_FEATURES = frozenset({"auth", "rbac", "search", "file_upload", "export_csv", "import_csv",
                            "audit_log", "rate_limiting", "webhooks"})

# Top-level names a generated package must not take: what generated code imports, and test dirs.
PACKAGE_RESERVED = frozenset({
    "app", "tests", "test", "conftest", "setup", "site", "typer", "click", "pytest", "fastapi",
    "pydantic", "sqlalchemy", "starlette", "httpx", "uvicorn", "pygame", "yaml", "worker",
    "pipeline", "game", "jwt",
})

PRICE_LIKE = frozenset({"price", "cost", "fee", "amount", "salary", "total", "balance"})
COUNT_LIKE = frozenset({"quantity", "stock", "count", "age", "capacity", "pages", "copies"})


def check_ident(name: str) -> str:
    """`name` if it is a safe snake_case identifier, else ValueError (a bug in the sanitiser)."""
    if not IDENT.fullmatch(name) or keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise ValueError(f"unsafe identifier: {name!r}")
    return name


def check_class(name: str) -> str:
    """`name` if it is a safe CamelCase class name, else ValueError."""
    if not CLASS_NAME.fullmatch(name) or keyword.iskeyword(name):
        raise ValueError(f"unsafe class name: {name!r}")
    return name


def safe_ident(text: str, *, fallback: str) -> str:
    """A checked identifier for `text`, at most MAX_NAME characters."""
    ident = to_identifier(str(text), fallback=fallback)
    if len(ident) > MAX_NAME:
        # Cut at a word boundary when that keeps a reasonable part of the name.
        head = ident[: MAX_NAME + 1].rsplit("_", 1)[0]
        cut = head if len(head) >= MAX_NAME // 2 else ident[:MAX_NAME]
        ident = to_identifier(cut.rstrip("_"), fallback=fallback)
    return check_ident(ident)


def camel(ident: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in ident.split("_") if part)


def _free(name: str, taken: set[str] | frozenset[str], suffix: str) -> str:
    """`name`, or `name` + suffix (+ a number) if that is taken."""
    if name not in taken:
        return name
    candidate, number = f"{name}{suffix}", 2
    while candidate in taken:
        candidate, number = f"{name}{suffix}{number}", number + 1
    return candidate


# --- the blueprint -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldPlan:
    """One column of a resource, with everything the templates need to write it."""

    name: str
    type: str
    required: bool
    unique: bool
    values: tuple[str, ...] = ()
    alias: str = ""  # the Literal type alias of an enum field
    label: str = ""  # what the Spec called it (for the docs)

    @property
    def has_default(self) -> bool:
        """Booleans default to false, so a client need not send them."""
        return self.type == "boolean"

    @property
    def max_length(self) -> int | None:
        if self.type in STRING_SIZES:
            return STRING_SIZES[self.type]
        if self.type == "enum":
            return max(1, *(len(v) for v in self.values))
        return TEXT_MAX if self.type == "text" else None

    @property
    def py_type(self) -> str:
        return {
            "integer": "int", "decimal": "decimal.Decimal", "float": "float", "boolean": "bool",
            "date": "datetime.date", "datetime": "datetime.datetime", "uuid": "uuid.UUID",
            "enum": self.alias,
        }.get(self.type, "str")

    @property
    def sa_type(self) -> str:
        if self.type in STRING_SIZES or self.type == "enum":
            return f"sa.String({self.max_length})"
        return {
            "text": "sa.Text()", "integer": "sa.Integer()", "decimal": "sa.Numeric(12, 2)",
            "float": "sa.Float()", "boolean": "sa.Boolean()", "date": "sa.Date()",
            "datetime": "sa.DateTime()", "uuid": "sa.Uuid()",
        }[self.type]

    @property
    def column_args(self) -> list[str]:
        args = [self.sa_type]
        if self.unique:
            args.append("unique=True")
        if self.type == "boolean" and self.required:
            args += ["default=False", "server_default=sa.false()"]
        return args

    @property
    def mapped_type(self) -> str:
        py = "str" if self.type == "enum" else self.py_type  # the model stores enums as strings
        return py if self.required else f"{py} | None"

    @property
    def constraints(self) -> list[str]:
        """Keyword arguments of pydantic's Field() that validate input."""
        out: list[str] = []
        if self.type in {"string", "file"} and self.required:
            out.append("min_length=1")
        if self.type in STRING_SIZES or self.type == "text":
            out.append(f"max_length={self.max_length}")
        if self.type == "email":
            out.append("pattern=EMAIL_PATTERN")
        if self.type == "url":
            out.append("pattern=URL_PATTERN")
        if self.type == "decimal":
            out += ["max_digits=12", "decimal_places=2"]
        words = set(self.name.split("_"))
        if self.type in {"decimal", "float"} and words & PRICE_LIKE:
            out.append("ge=0")
        if self.type == "integer" and words & COUNT_LIKE:
            out.append("ge=0")
        return out

    @property
    def filterable(self) -> bool:
        return self.type in {"string", "email", "enum", "boolean"}

    @property
    def sample_expr(self) -> str:
        """A Python expression (in terms of `n`) for a valid value, distinct for distinct n."""
        n = self.name
        return {
            "string": f'f"{n} {{n}}"',
            "text": f'f"{n} {{n}}"',
            "integer": "n",
            "decimal": 'f"{n}.50"',
            "float": "n + 0.5",
            "boolean": "True",
            "date": "day(n)",
            "datetime": "moment(n)",
            "email": f'f"{n}{{n}}@example.com"',
            "url": 'f"https://example.com/{n}"',
            "file": 'f"files/{n}.pdf"',
            "uuid": "str(uuid.UUID(int=n))",
            "enum": pyrepr(self.values[0]) if self.values else '""',
        }[self.type]

    @property
    def update_value(self) -> Any:
        """A valid value different from every sample (as JSON would carry it)."""
        return {
            "string": f"{self.name} updated",
            "text": f"{self.name} updated",
            "integer": 42,
            "decimal": "42.50",
            "float": 42.5,
            "boolean": False,
            "date": "2030-06-30",
            "datetime": "2030-06-30T12:00:00",
            "email": "updated@example.com",
            "url": "https://example.com/updated",
            "file": "files/updated.pdf",
            "uuid": "00000000-0000-0000-0000-00000000002a",
            "enum": self.values[-1] if self.values else "",
        }[self.type]

    @property
    def invalid_value(self) -> str:
        """A value the API must reject (for email and enum fields)."""
        if self.type == "enum":
            value = "not-a-valid-choice"
            while value in self.values:
                value += "-x"
            return value
        return "not-an-email"


@dataclass(frozen=True)
class ParentLink:
    """A many-to-one relation: a foreign-key column and a relationship attribute."""

    target: str  # class name of the resource pointed at
    target_ident: str
    target_plural: str
    target_path: str
    column: str
    attr: str
    required: bool
    self_ref: bool

    @property
    def target_a_words(self) -> str:
        """The target's singular name with its article ("an author")."""
        words = self.target_ident.replace("_", " ")
        return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"

    @property
    def ondelete(self) -> str:
        return "RESTRICT" if self.required else "SET NULL"


@dataclass(frozen=True)
class Association:
    """A many-to-many relation, owned by the resource that declares it first."""

    target: str
    target_ident: str
    target_plural: str
    attr: str
    ids_field: str
    table: str


@dataclass
class Resource:
    """One entity of the API: a table, a schema family, a router and a test module."""

    name: str  # class name, e.g. "Book"
    ident: str  # module name, e.g. "book"
    plural: str  # table name and path segment, e.g. "books"
    source: str  # the entity name in the Spec
    fields: list[FieldPlan] = field(default_factory=list)
    parents: list[ParentLink] = field(default_factory=list)
    links: list[Association] = field(default_factory=list)
    aliases: frozenset[str] = frozenset()  # every identifier the Spec's names map to
    entities: tuple[Entity, ...] = ()  # the Spec's entities this resource was made from

    @property
    def path(self) -> str:
        return "/" + self.plural.replace("_", "-")

    @property
    def words(self) -> str:
        """The singular name in words, for docstrings and messages ("loan item")."""
        return self.ident.replace("_", " ")

    @property
    def a_words(self) -> str:
        """The singular name with its indefinite article ("an author")."""
        return f"{'an' if self.words[0] in 'aeiou' else 'a'} {self.words}"

    @property
    def plural_words(self) -> str:
        return self.plural.replace("_", " ")

    @property
    def create(self) -> str:
        return f"{self.name}Create"

    @property
    def update(self) -> str:
        return f"{self.name}Update"

    @property
    def read(self) -> str:
        return f"{self.name}Read"

    @property
    def enum_fields(self) -> list[FieldPlan]:
        return [f for f in self.fields if f.type == "enum"]

    @property
    def required_fields(self) -> list[FieldPlan]:
        """Fields a client must send when creating (booleans default to false)."""
        return [f for f in self.fields if f.required and not f.has_default]

    @property
    def not_null_fields(self) -> list[str]:
        """Update fields that may be left out but not set to null."""
        return [f.name for f in self.fields if f.required] + [
            p.column for p in self.parents if p.required
        ]

    @property
    def unique_fields(self) -> list[FieldPlan]:
        return [f for f in self.fields if f.unique]

    @property
    def search_fields(self) -> list[str]:
        """Fields the list endpoint's `q` searches (text-like ones)."""
        return [f.name for f in self.fields if f.type in {"string", "text", "email"}]

    @property
    def filters(self) -> list[tuple[str, str]]:
        """(query parameter, type) pairs the list endpoint filters on, by equality."""
        out = [(f.name, f.py_type) for f in self.fields if f.filterable]
        return out + [(p.column, "int") for p in self.parents]

    def first(self, *types: str) -> FieldPlan | None:
        return next((f for f in self.fields if f.type in types), None)


@dataclass
class Requirement:
    id: str
    text: str


@dataclass
class Blueprint:
    """Everything the REST API templates render: checked names, free text kept as data."""

    slug: str
    title: str
    summary: str
    resources: list[Resource]
    features: list[str]
    functional: list[Requirement]
    non_functional: list[Requirement]
    notes: list[str]
    default_resource: bool

    def resource(self, name: str) -> Resource:
        """The resource for entity `name` (any spelling the Spec used); ValueError if none."""
        ident = _resource_ident(name)
        for res in self.resources:
            if name == res.name or ident in res.aliases:
                return res
        raise ValueError(f"the spec has no entity called {one_line(str(name))!r}")

    @property
    def enabled(self) -> frozenset[str]:
        """The features asked for that the archetypes implement in code (rbac brings auth)."""
        features = set(self.features) & CODED_FEATURES
        if "rbac" in features:
            features.add("auth")
        return frozenset(features)

    def has(self, feature: str) -> bool:
        return feature in self.enabled

    @property
    def package(self) -> str:
        """The import name of a generated package (CLI, library, desktop app), from the slug;
        never a standard-library module or a package the project imports."""
        name = safe_ident(self.slug.replace("-", "_"), fallback="project")
        if name in sys.stdlib_module_names or name in PACKAGE_RESERVED:
            name = safe_ident(f"{name[: MAX_NAME - 4]}_app", fallback="project")
        return name

    @property
    def has_email(self) -> bool:
        return any(f.type == "email" for r in self.resources for f in r.fields)


def _resource_ident(name: str) -> str:
    """The singular identifier of an entity name: "Books" and "book" are the same resource."""
    base = to_identifier(str(name), fallback="item")
    # Short last words are left alone: singularize() turns "os" into "o" and "gas" into "ga".
    if len(base.rsplit("_", 1)[-1]) > 3:
        base = singularize(base)
    return safe_ident(base, fallback="item")


DEFAULT_ENTITY = Entity.model_construct(
    name="Item",
    fields=[
        EntityField(name="name", type="string"),
        EntityField(name="description", type="text", required=False),
    ],
    relations=[],
)


def build(spec: Spec) -> Blueprint:
    """The blueprint of the REST API for `spec`."""
    notes: list[str] = []
    entities = list(spec.entities) or [DEFAULT_ENTITY]
    if not spec.entities:
        notes.append("The idea names no entities, so the API has one generic resource, Item.")
    groups, alias_of = _group_entities(entities, notes)
    claimed: set[str] = set(CLASS_RESERVED)
    resources = _name_resources(groups, alias_of, claimed, notes)
    _add_relations(resources, notes)
    for res in resources:
        _add_fields(res, notes)
        _name_enums(res, claimed)
    return Blueprint(
        slug=slugify(one_line(str(spec.name)), fallback="generated-api"),
        title=one_line(str(spec.title)) or "Generated API",
        summary=clean_text(str(spec.summary)).strip(),
        resources=resources,
        features=[one_line(str(f)) for f in spec.features],
        functional=[
            Requirement(one_line(str(r.id)), one_line(str(r.text)))
            for r in spec.functional_requirements
        ],
        non_functional=[
            Requirement(
                one_line(str(r.id)),
                one_line(f"[{r.category}] {r.text}"
                         + (f" (target: {r.target})" if r.target else "")),
            )
            for r in spec.non_functional_requirements
        ],
        notes=notes,
        default_resource=not spec.entities,
    )


def _group_entities(
    entities: list[Entity], notes: list[str]
) -> tuple[dict[str, list[Entity]], dict[str, str]]:
    """Entities grouped by resource (same singular identifier or table name), in Spec order,
    and the resource key of every identifier an entity name maps to."""
    groups: dict[str, list[Entity]] = {}
    by_plural: dict[str, str] = {}
    alias_of: dict[str, str] = {}
    for entity in entities:
        ident = _resource_ident(entity.name)
        plural = _plural(ident)
        key = ident if ident in groups else by_plural.get(plural, ident)
        if key in groups:
            notes.append(
                f"Entity {one_line(str(entity.name))!r} is the same resource as "
                f"{one_line(str(groups[key][0].name))!r}; their fields were merged."
            )
            groups[key].append(entity)
        else:
            groups[key] = [entity]
            by_plural[plural] = key
        alias_of[ident] = key
    return groups, alias_of


def _plural(ident: str) -> str:
    """The table name and path segment: the plural, itself a safe identifier ("a" gives "as",
    a keyword, so it becomes "as_item")."""
    return safe_ident(pluralize(ident), fallback="items")


def _suffixed(base: str, suffix: str) -> str:
    """`base` + `suffix`, `base` shortened so that the result stays within MAX_NAME."""
    return check_ident(base[: MAX_NAME - len(suffix)].rstrip("_") + suffix)


def _name_resources(
    groups: dict[str, list[Entity]], alias_of: dict[str, str], claimed: set[str], notes: list[str]
) -> list[Resource]:
    """One Resource per group, its class name (and schema names) clear of every other name."""
    resources = []
    for key, group in groups.items():
        ident, number = key, 1
        while True:
            name = camel(ident)
            family = {name, f"{name}Create", f"{name}Update", f"{name}Read"}
            if not family & claimed:
                break
            ident = _suffixed(key, "_resource" + (str(number) if number > 1 else ""))
            number += 1
        if ident != key:
            notes.append(f"Resource {key!r} is called {ident!r} to avoid a name clash.")
        claimed |= family
        resources.append(Resource(
            name=check_class(name),
            ident=check_ident(ident),
            plural=_plural(ident),
            source=one_line(str(group[0].name)),
            aliases=frozenset({ident} | {a for a, k in alias_of.items() if k == key}),
            entities=tuple(group),
        ))
    return resources


def _add_relations(resources: list[Resource], notes: list[str]) -> None:
    """Foreign keys and association tables from the relations of every resource's entities.

    one_to_many becomes many_to_one on the other side; relations to unknown entities are dropped;
    required foreign keys that would close a cycle (or point at their own table) become optional,
    otherwise no row could ever be created first.
    """

    def target_of(name: str) -> Resource | None:
        ident = _resource_ident(name)
        return next((r for r in resources if ident in r.aliases), None)

    many_to_one: dict[str, dict[str, bool]] = {r.ident: {} for r in resources}
    many_to_many: list[tuple[Resource, Resource]] = []
    pairs: set[tuple[str, str]] = set()
    for owner in resources:
        for entity in owner.entities:
            for relation in entity.relations:
                target = target_of(relation.target)
                if target is None:
                    notes.append(
                        f"{owner.name}: the relation to {one_line(str(relation.target))!r} was "
                        "ignored because the spec has no such entity."
                    )
                elif relation.kind == "many_to_many":
                    if owner is target:
                        notes.append(f"{owner.name}: a many-to-many relation with itself is not "
                                     "generated; model it as a separate resource.")
                    elif not pairs & {(owner.ident, target.ident), (target.ident, owner.ident)}:
                        pairs.add((owner.ident, target.ident))
                        many_to_many.append((owner, target))
                else:
                    child, parent = (owner, target) if relation.kind == "many_to_one" else (
                        target, owner
                    )
                    # Relation has no `required` flag (yet): a many-to-one link is required.
                    required = bool(getattr(relation, "required", True))
                    links = many_to_one[child.ident]
                    links[parent.ident] = links.get(parent.ident, False) or required

    by_ident = {r.ident: r for r in resources}
    required_edges: dict[str, set[str]] = {r.ident: set() for r in resources}

    def reaches(start: str, goal: str) -> bool:
        seen: set[str] = set()
        stack = [start]
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(required_edges[node])
        return False

    for child_ident, parents in many_to_one.items():
        child = by_ident[child_ident]
        for parent_ident, wanted in parents.items():
            self_ref = parent_ident == child_ident
            required = wanted and not self_ref and not reaches(parent_ident, child_ident)
            link = _parent_link(child, by_ident[parent_ident], required=required, self_ref=self_ref)
            if wanted and not required and not self_ref:
                notes.append(f"{child.name}.{link.column} is optional: requiring it would make "
                             "a cycle of required references.")
            if required:
                required_edges[child_ident].add(parent_ident)
            child.parents.append(link)

    tables = {r.plural for r in resources}
    for owner, target in many_to_many:
        taken = set(FIELD_RESERVED) | {"id"}
        taken |= {p.column for p in owner.parents} | {p.attr for p in owner.parents}
        taken |= {a.attr for a in owner.links} | {a.ids_field for a in owner.links}
        attr = _free(target.plural, taken, "_ref")
        ids_field = _free(f"{target.ident}_ids", taken | {attr}, "_ref")
        table = _free(f"{owner.ident}_{target.ident}_link", tables, "_")
        tables.add(table)
        owner.links.append(Association(
            target=target.name, target_ident=target.ident, target_plural=target.plural,
            attr=check_ident(attr), ids_field=check_ident(ids_field), table=check_ident(table),
        ))


def _add_fields(res: Resource, notes: list[str]) -> None:
    """The fields of the resource's entities: checked names, no duplicates, none that shadows a
    reserved name or a relation; a resource without fields gets a required `name`."""
    taken = set(FIELD_RESERVED) | {"id"}
    taken |= {p.column for p in res.parents} | {p.attr for p in res.parents}
    taken |= {a.attr for a in res.links} | {a.ids_field for a in res.links}
    seen: set[str] = set()
    for entity in res.entities:
        for spec_field in entity.fields:
            plan = _field_plan(res, spec_field, taken, seen, notes)
            if plan is not None:
                res.fields.append(plan)
                seen.add(plan.name)
    if not res.fields:
        notes.append(f"{res.name} had no fields; it was given a required name field.")
        res.fields.append(FieldPlan(name=_free("name", taken, "_field"), type="string",
                                    required=True, unique=False, label="name"))


def _name_enums(res: Resource, claimed: set[str]) -> None:
    """Enum fields get a Literal alias named after resource and field, clear of every class."""
    for index, plan in enumerate(res.fields):
        if plan.type == "enum":
            alias = res.name + camel(plan.name)
            if len(alias) > MAX_ALIAS:
                alias = camel(plan.name)[: MAX_ALIAS - 6] + "Choice"
            alias = _free(check_class(alias), claimed, "Value")
            claimed.add(alias)
            res.fields[index] = replace(plan, alias=alias)


def _parent_link(
    child: Resource, parent: Resource, *, required: bool, self_ref: bool
) -> ParentLink:
    base = "parent" if self_ref else parent.ident
    taken = FIELD_RESERVED | {"id"}
    taken |= {p.column for p in child.parents} | {p.attr for p in child.parents}
    attr = _free(base, taken, "_ref")
    column = _free(f"{base}_id", taken | {attr}, "_ref")
    return ParentLink(
        target=parent.name, target_ident=parent.ident, target_plural=parent.plural,
        target_path=parent.path, column=check_ident(column), attr=check_ident(attr),
        required=required, self_ref=self_ref,
    )


def _field_plan(
    res: Resource, spec_field: EntityField, taken: set[str], seen: set[str], notes: list[str]
) -> FieldPlan | None:
    label = one_line(str(spec_field.name))
    name = safe_ident(spec_field.name, fallback="field")
    if name in seen:
        notes.append(f"{res.name}: the duplicate field {label!r} was dropped.")
        return None
    if name in taken:
        renamed = _free(f"{name[: MAX_NAME - 6].rstrip('_')}_field", taken | seen, "")
        notes.append(f"{res.name}: field {label!r} is called {renamed!r} (the name is reserved).")
        name = renamed
    kind = str(spec_field.type)
    if kind not in {"string", "text", "integer", "decimal", "float", "boolean", "date", "datetime",
                    "email", "url", "file", "enum", "uuid"}:
        notes.append(f"{res.name}.{name}: unknown type {one_line(kind)!r}, stored as a string.")
        kind = "string"
    values = tuple(dict.fromkeys(clean_text(str(v)) for v in (spec_field.values or [])))
    if kind == "enum" and not values:
        notes.append(f"{res.name}.{name}: an enum without values is stored as a string.")
        kind = "string"
    unique = bool(spec_field.unique)
    if unique and kind in {"enum", "boolean"}:
        notes.append(f"{res.name}.{name}: a {kind} field cannot be unique; the flag was dropped.")
        unique = False
    return FieldPlan(
        name=check_ident(name), type=kind, required=bool(spec_field.required), unique=unique,
        values=values, label=label,
    )
