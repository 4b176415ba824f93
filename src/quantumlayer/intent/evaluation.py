"""Scoring the Intent Processor against labelled ideas (used by bench/intent_eval.py and tests).

A labelled case is one JSON object per line: ``{"id", "prompt", "project_type", "entities",
"features", "nfr_categories", "cloud"}`` (the format of ``shared/eval/intents-dev.jsonl``).

Entity names are compared as singular lower-case words: an extracted entity matches a labelled
one when the words are equal, or when the extracted name ends with the labelled one (it is more
specific: "shopping cart" matches "cart"), or when both read the same without spaces
("shorturl" / "short url"), also at the end of a longer name ("bitewing xray" / "x-ray").
Features and NFR categories are scored as sets per idea, micro-averaged
(precision and recall over all ideas together).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from quantumlayer.domain import Spec
from quantumlayer.domain.names import RESERVED, singularize, words


@dataclass(frozen=True)
class LabelledIdea:
    id: str
    prompt: str
    project_type: str
    entities: tuple[str, ...]
    features: tuple[str, ...]
    nfr_categories: tuple[str, ...]
    cloud: str | None


def load_cases(path: str | Path) -> list[LabelledIdea]:
    """Labelled ideas from a JSONL file (blank lines skipped)."""
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            cases.append(
                LabelledIdea(
                    id=str(raw.get("id", number)),
                    prompt=raw["prompt"],
                    project_type=raw["project_type"],
                    entities=tuple(raw.get("entities", [])),
                    features=tuple(raw.get("features", [])),
                    nfr_categories=tuple(raw.get("nfr_categories", [])),
                    cloud=raw.get("cloud"),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a labelled idea ({exc})") from exc
    return cases


def name_key(name: str) -> tuple[str, ...]:
    """A name as singular lower-case words: "Loyalty Points" -> ("loyalty", "point").

    The "Item" that safe naming appends to reserved words ("SessionItem") is dropped again.
    """
    key = tuple(singularize(w) for w in words(name))
    if len(key) >= 2 and key[-1] == "item" and "_".join(key[:-1]) in RESERVED:
        key = key[:-1]
    return key


def names_match(extracted: str, expected: str) -> bool:
    """True when `extracted` names the same thing as `expected` (see the module docstring)."""
    got, want = name_key(extracted), name_key(expected)
    if not got or not want:
        return False
    if got == want or "".join(got) == "".join(want):
        return True
    if len(got) > len(want) and got[-len(want) :] == want:
        return True
    # "BitewingXray" names an "x-ray": the label's words joined are the name's last words
    joined = "".join(want)
    return any("".join(got[k:]) == joined for k in range(1, len(got)))


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, got: Iterable[str], want: Iterable[str]) -> None:
        g, w = set(got), set(want)
        self.tp += len(g & w)
        self.fp += len(g - w)
        self.fn += len(w - g)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    n: int = 0
    type_correct: int = 0
    cloud_correct: int = 0
    entities_expected: int = 0
    entities_found: int = 0
    entities_found_by_head: int = 0
    entities_extracted: int = 0
    entities_precise: int = 0
    features: Counts = field(default_factory=Counts)
    nfrs: Counts = field(default_factory=Counts)
    misses: list[str] = field(default_factory=list)

    @property
    def type_accuracy(self) -> float:
        return self.type_correct / self.n if self.n else 0.0

    @property
    def cloud_accuracy(self) -> float:
        return self.cloud_correct / self.n if self.n else 0.0

    @property
    def entity_recall(self) -> float:
        return self.entities_found / self.entities_expected if self.entities_expected else 1.0

    @property
    def entity_recall_by_head(self) -> float:
        """Lenient recall: a label counts when an extracted entity has its head noun
        ("Score" for "fraud score"), as DevBench's lenient class recall does."""
        if not self.entities_expected:
            return 1.0
        return self.entities_found_by_head / self.entities_expected

    @property
    def entity_precision(self) -> float:
        return self.entities_precise / self.entities_extracted if self.entities_extracted else 1.0

    def figures(self) -> dict[str, float]:
        return {
            "type_accuracy": round(self.type_accuracy, 3),
            "entity_recall": round(self.entity_recall, 3),
            "entity_recall_by_head": round(self.entity_recall_by_head, 3),
            "entity_precision": round(self.entity_precision, 3),
            "feature_f1": round(self.features.f1, 3),
            "nfr_category_f1": round(self.nfrs.f1, 3),
            "cloud_accuracy": round(self.cloud_accuracy, 3),
        }


def evaluate(cases: Iterable[LabelledIdea], analyze: Callable[[str], Spec]) -> Report:
    """Run `analyze` on every case and score it; `misses` says what went wrong, case by case."""
    report = Report()
    for case in cases:
        spec = analyze(case.prompt)
        report.n += 1
        notes: list[str] = []
        if spec.project_type.value == case.project_type:
            report.type_correct += 1
        else:
            notes.append(f"type {spec.project_type.value} != {case.project_type}")
        if spec.cloud == case.cloud:
            report.cloud_correct += 1
        else:
            notes.append(f"cloud {spec.cloud} != {case.cloud}")
        got = [e.name for e in spec.entities]
        found = [w for w in case.entities if any(names_match(g, w) for g in got)]
        precise = [g for g in got if any(names_match(g, w) for w in case.entities)]
        report.entities_expected += len(case.entities)
        report.entities_found += len(found)
        heads = {name_key(g)[-1] for g in got if name_key(g)}
        report.entities_found_by_head += sum(
            1 for w in case.entities if w in found or (name_key(w) and name_key(w)[-1] in heads)
        )
        report.entities_extracted += len(got)
        report.entities_precise += len(precise)
        missing = [w for w in case.entities if w not in found]
        extra = [g for g in got if g not in precise]
        if missing or extra:
            notes.append(f"entities missing {missing} extra {extra}")
        report.features.add(spec.features, case.features)
        fset, fwant = set(spec.features), set(case.features)
        if fset != fwant:
            notes.append(f"features +{sorted(fset - fwant)} -{sorted(fwant - fset)}")
        cats = {n.category for n in spec.non_functional_requirements}
        report.nfrs.add(cats, case.nfr_categories)
        if cats != set(case.nfr_categories):
            notes.append(
                f"nfr +{sorted(cats - set(case.nfr_categories))} "
                f"-{sorted(set(case.nfr_categories) - cats)}"
            )
        if notes:
            report.misses.append(f"{case.id}: " + "; ".join(notes))
    return report


# -- DevBench: entities against the classes of the reference UML diagram -------------------------

_FENCED = re.compile(r"```[^\n]*\n(.*?)```", re.S)
_CLASS = re.compile(r"^\s*class\s+([A-Za-z_]\w*)", re.M)
# Not real classes: the diagrams' stand-ins for free functions, and the program entry point.
_PSEUDO = re.compile(r"^(global(_functions(_and_types)?)?|main)$", re.I)


def reference_classes(uml_markdown: str) -> list[str]:
    """The class names of a DevBench UML_class.md (fenced classDiagram blocks), pseudo-classes
    out."""
    names: list[str] = []
    for block in _FENCED.findall(uml_markdown):
        if "classDiagram" not in block:
            continue
        for name in _CLASS.findall(block):
            if not _PSEUDO.match(name) and name not in names:
                names.append(name)
    return names


def class_recall(extracted: list[str], classes: list[str]) -> tuple[int, int]:
    """(strict, lenient) counts of reference classes matched by an extracted entity.

    Strict: the same words, or one name ends with the other ("LeftistHeap" ~ "Heap" counts only
    when the entity is the longer one, as for labelled ideas). Lenient: the entity shares the
    class's head noun, its last word ("ActorGraph" ~ "Graph", "HeapNode" ~ "Node").
    """
    strict = lenient = 0
    for cls in classes:
        key = name_key(cls)
        if any(names_match(e, cls) for e in extracted):
            strict += 1
            lenient += 1
        elif any(key and name_key(e)[-1:] == key[-1:] for e in extracted):
            lenient += 1
    return strict, lenient
