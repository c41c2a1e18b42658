"""Accuracy of ingest.penalties.extract_penalty on the hand-labelled sample.

Usage: ``.venv/bin/python bench/penalty_quality.py [--failures dev|holdout|all] [--speed]``

A case is correct when the prediction is None exactly when the label is null, and otherwise
``max_years``, ``life`` and ``death`` match and ``min_years`` matches when the label states it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from ingest.penalties import Penalty, extract_penalty  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "labelled_penalties.jsonl"


def load_cases(path: Path = LABELS) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 0.01


def is_correct(expected: dict | None, got: Penalty | None) -> bool:
    """The scoring rule of the brief (see the module docstring)."""
    if expected is None or got is None:
        return expected is None and got is None
    if expected.get("min_years") is not None and not _close(expected["min_years"], got.min_years):
        return False
    return (
        _close(expected.get("max_years"), got.max_years)
        and bool(expected.get("life")) == got.life
        and bool(expected.get("death")) == got.death
    )


def score(cases: list[dict]) -> dict[str, dict[str, list[int]]]:
    """{split: {language or "ALL": [correct, total]}}."""
    table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for case in cases:
        ok = is_correct(case["expected"], extract_penalty(case["text"], case["language"]))
        for split in (case.get("split", "dev"), "all"):
            for key in (case["language"], "ALL"):
                table[split][key][0] += ok
                table[split][key][1] += 1
    return table


def format_table(table: dict[str, dict[str, list[int]]]) -> str:
    splits = [s for s in ("dev", "holdout", "all") if s in table]
    langs = sorted({lang for s in splits for lang in table[s]} - {"ALL"}) + ["ALL"]
    lines = ["lang   " + "".join(f"{s:>16}" for s in splits)]
    for lang in langs:
        cells = []
        for s in splits:
            c, n = table[s].get(lang, [0, 0])
            cells.append(f"{c:>4}/{n:<3} {c / n:6.1%}" if n else f"{'-':>16}")
        lines.append(f"{lang:<7}" + "".join(f"{cell:>16}" for cell in cells))
    return "\n".join(lines)


def _failures(cases: list[dict], split: str) -> None:
    for case in cases:
        if split != "all" and case.get("split", "dev") != split:
            continue
        got = extract_penalty(case["text"], case["language"])
        if not is_correct(case["expected"], got):
            print(f"--- {case['id']} [{case['language']}] {case['source']}")
            print(f"    expected {case['expected']}")
            print(f"    got      {got}")


def corpus_provisions(root: Path = ROOT / "corpus") -> list[tuple[str, str | None]]:
    """(text, language) of every provision in the corpus JSON files that list provisions."""
    with (root / "SOURCES-MANIFEST.tsv").open(encoding="utf-8") as fh:
        langs = {row["path"]: row["language"] for row in csv.DictReader(fh, delimiter="\t")}
    out = []
    for path in sorted((root / "raw").glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lang = (langs.get(str(path.relative_to(root / "raw"))) or "").split("-")[0] or None
        for prov in data.get("provisions", []) if isinstance(data, dict) else []:
            if isinstance(prov, dict) and prov.get("content"):
                out.append((str(prov["content"]), lang))
    return out


def _throughput(label: str, texts: list[tuple[str, str | None]]) -> None:
    for text, lang in texts[:200]:  # warm the per-language rule cache
        extract_penalty(text, lang)
    cpu, wall = time.process_time(), time.perf_counter()
    for text, lang in texts:
        extract_penalty(text, lang)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{label}: {len(texts):,} provisions, {len(texts) / cpu:,.0f}/s CPU, "
        f"{len(texts) / wall:,.0f}/s wall"
    )


def _speed(cases: list[dict]) -> None:
    _throughput("labelled sample x10", [(c["text"], c["language"]) for c in cases] * 10)
    _throughput("corpus JSON provisions", corpus_provisions())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--failures", choices=["dev", "holdout", "all"])
    parser.add_argument("--speed", action="store_true")
    args = parser.parse_args()
    cases = load_cases()
    print(format_table(score(cases)))
    if args.failures:
        _failures(cases, args.failures)
    if args.speed:
        _speed(cases)


if __name__ == "__main__":
    main()
