"""YAML and JSON output: built from data with a safe dumper, so no value can become structure."""

from __future__ import annotations

import json
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML has no type hints here
    """SafeDumper that indents lists under their key (the style of most Kubernetes docs)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: ARG002
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(document: Any, *, header: str = "") -> str:
    """One YAML document; `header` (our own text, never user input) as a leading comment."""
    body: str = yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=100,
        allow_unicode=False,
    )
    lead = "".join(f"# {line}\n" for line in header.splitlines()) if header else ""
    return lead + body


def dump_yaml_all(documents: list[Any], *, header: str = "") -> str:
    """Several YAML documents separated by `---`."""
    parts = [dump_yaml(doc) for doc in documents]
    lead = "".join(f"# {line}\n" for line in header.splitlines()) if header else ""
    return lead + "---\n".join(parts)


def dump_json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"
