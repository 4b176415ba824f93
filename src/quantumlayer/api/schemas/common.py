"""Shared pieces of the API models: strict request bodies and safe strings."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


SafeText = Annotated[str, AfterValidator(_clean_text)]
Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$"),
    AfterValidator(_clean_text),
]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class RequestBody(BaseModel):
    """Base of request bodies: unknown fields are an error, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class PublicModel(BaseModel):
    """Base of responses: built from ORM rows, unknown attributes ignored."""

    model_config = ConfigDict(from_attributes=True)
