"""Accuracy of the Intent Processor on labelled ideas, and entity recall on DevBench PRDs.

    .venv/bin/python bench/intent_eval.py                      # the shared dev file
    .venv/bin/python bench/intent_eval.py tests/unit/intent_cases.jsonl -v
    .venv/bin/python bench/intent_eval.py --devbench [DIR]     # PRDs vs. their UML class diagrams

Prints type accuracy, entity recall (and precision), feature F1, NFR-category F1 and cloud
accuracy; -v lists what each idea got wrong. With --devbench: for each PRD the project type, the
entities found, and how many classes of the reference diagram they cover (strict and lenient
matching, see quantumlayer.intent.evaluation.class_recall).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from quantumlayer.intent import analyze
from quantumlayer.intent.evaluation import class_recall, evaluate, load_cases, reference_classes

ROOT = Path(__file__).resolve().parents[1]
DEV_FILE = ROOT.parent / "shared" / "eval" / "intents-dev.jsonl"
DEVBENCH = ROOT.parent / "shared" / "eval" / "devbench"


def run_cases(path: Path, *, verbose: bool, as_json: bool) -> None:
    cases = load_cases(path)
    started = time.perf_counter()
    report = evaluate(cases, analyze)
    elapsed = time.perf_counter() - started
    figures = report.figures()
    if as_json:
        print(json.dumps({"file": str(path), "ideas": report.n, **figures}))
        return
    print(f"{path} ({report.n} ideas, {elapsed:.2f} s)")
    for key, value in figures.items():
        print(f"  {key:<22} {value:.3f}")
    if verbose:
        for miss in report.misses:
            print("  -", miss)


def run_devbench(folder: Path, *, verbose: bool, as_json: bool) -> None:
    rows = []
    strict_total = lenient_total = class_total = 0
    for prd in sorted(folder.rglob("PRD.md")):
        uml = prd.with_name("UML_class.md")
        if not uml.exists():
            continue
        classes = reference_classes(uml.read_text(encoding="utf-8"))
        spec = analyze(prd.read_text(encoding="utf-8"))
        entities = [e.name for e in spec.entities]
        strict, lenient = class_recall(entities, classes)
        strict_total += strict
        lenient_total += lenient
        class_total += len(classes)
        project = prd.relative_to(folder).parts
        rows.append(
            {
                "project": "/".join(project[:2]),
                "type": spec.project_type.value,
                "classes": classes,
                "entities": entities,
                "strict": strict,
                "lenient": lenient,
                "features": spec.features,
                "nfrs": sorted({n.category for n in spec.non_functional_requirements}),
            }
        )
    summary = {
        "prds": len(rows),
        "classes": class_total,
        "class_recall_strict": round(strict_total / class_total, 3) if class_total else 0.0,
        "class_recall_lenient": round(lenient_total / class_total, 3) if class_total else 0.0,
    }
    if as_json:
        print(json.dumps({"summary": summary, "projects": rows}, indent=2))
        return
    for row in rows:
        print(
            f"{row['project']:<42} {row['type']:<12} {row['strict']}/{len(row['classes'])} strict,"
            f" {row['lenient']} lenient"
        )
        if verbose:
            print(f"    classes : {', '.join(row['classes'])}")
            print(f"    entities: {', '.join(row['entities'])}")
            print(f"    features: {', '.join(row['features'])}  nfrs: {', '.join(row['nfrs'])}")
    print(
        f"DevBench: {summary['prds']} PRDs, {class_total} reference classes; class recall "
        f"{summary['class_recall_strict']:.3f} strict, "
        f"{summary['class_recall_lenient']:.3f} lenient"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "path", nargs="?", type=Path, default=DEV_FILE, help="a labelled JSONL file"
    )
    parser.add_argument(
        "--devbench", nargs="?", type=Path, const=DEVBENCH, help="score DevBench PRDs instead"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show every miss")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.devbench:
        if not args.devbench.is_dir():
            print(f"no DevBench folder at {args.devbench}", file=sys.stderr)
            return 2
        run_devbench(args.devbench, verbose=args.verbose, as_json=args.json)
        return 0
    if not args.path.exists():
        print(f"no labelled file at {args.path}", file=sys.stderr)
        return 2
    run_cases(args.path, verbose=args.verbose, as_json=args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
