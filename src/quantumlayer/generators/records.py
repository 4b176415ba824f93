"""Pieces of code shared by the archetypes whose records are plain data (not an ORM): the field
declarations of `common/record.py.j2` and test values, from a resource's checked names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .blueprint import Blueprint, FieldPlan, Resource
from .rendering import call, pyrepr, pystr, pytuple


def record_field(f: FieldPlan) -> str:
    """`Field("name", "kind", ...)` for `common/fields.py`."""
    args = [pyrepr(f.name), pyrepr(f.type)]
    if not f.required:
        args.append("required=False")
    if f.unique:
        args.append("unique=True")
    if f.values:
        args.append("choices=" + pytuple(list(f.values), 8, 16))
    if f.max_length and f.type != "enum":
        args.append(f"max_length={f.max_length}")
    if "ge=0" in f.constraints:
        args.append("minimum=0")
    return call("Field", args, 4)


def sample_text(f: FieldPlan) -> str:
    """A Python expression (in terms of `n`) giving a valid value as text, as a user types it."""
    return {
        "string": f'f"{f.name} {{n}}"',
        "text": f'f"{f.name} {{n}}"',
        "integer": "str(n)",
        "decimal": 'f"{n}.50"',
        "float": 'f"{n}.5"',
        "boolean": '"true"',
        "date": "day(n)",
        "datetime": "moment(n)",
        "email": f'f"{f.name}{{n}}@example.com"',
        "url": f'f"https://example.com/{f.name}/{{n}}"',
        "file": f'f"files/{f.name}{{n}}.pdf"',
        "uuid": "str(uuid.UUID(int=n))",
        "enum": pyrepr(f.values[0]) if f.values else '""',
    }[f.type]


def invalid_text(f: FieldPlan) -> str | None:
    """A value the field must refuse, as a Python literal (None if every text is valid)."""
    bad: dict[str, Any] = {
        "integer": "many", "decimal": "lots", "float": "far", "boolean": "perhaps",
        "date": "yesterday", "datetime": "soon", "email": "not-an-email", "url": "nowhere",
        "uuid": "not-a-uuid",
    }
    if f.type == "enum":
        value = "not-a-valid-choice"
        while value in f.values:
            value += "-x"
        return pyrepr(value)
    if f.type in bad:
        return pyrepr(bad[f.type])
    return None


def needs_std(bp: Blueprint) -> dict[str, bool]:
    """Which standard modules the generated test helpers need for the sample values."""
    types = {f.type for r in bp.resources for f in r.fields}
    return {"datetime": bool(types & {"date", "datetime"}), "uuid": "uuid" in types}


def checked_field(res: Resource) -> FieldPlan | None:
    """The first field with a value to refuse (for an 'invalid input' test)."""
    return next((f for f in res.fields if invalid_text(f) is not None), None)


def record_context() -> dict[str, object]:
    return {
        "record_field": record_field,
        "sample_text": sample_text,
        "invalid_text": invalid_text,
        "checked_field": checked_field,
        "pyrepr": pyrepr,
        "pystr": pystr,
    }


def feature_status(implemented: dict[str, str]) -> Callable[[str], str]:
    """What the ARCHITECTURE document says about each feature asked for."""

    def status(feature: str) -> str:
        return implemented.get(
            feature, "not generated for this kind of project; left to the next iteration"
        )

    return status


def base_context(bp: Blueprint, **extra: object) -> dict[str, object]:
    """The context of the common/ templates, with the archetype's own entries."""
    from .rest_api import _validation

    context: dict[str, object] = {
        **record_context(),
        "validation": _validation,
        "std": needs_std(bp),
        "show_resources": True,
        "not_generated": [],
        "decisions": [],
        "deploy_note": "",
        "feature_status": feature_status({}),
        "security_present": [],
        "security_todo": [],
        "test_commands": ["pytest"],
    }
    return context | extra
