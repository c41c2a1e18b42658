"""The ingest run report: what happened to every file, and what needs a human look."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

OUTCOMES = ("new", "changed", "reprocessed", "unchanged", "failed")


@dataclass
class FileReport:
    path: str
    outcome: str  # one of OUTCOMES
    document_id: str | None = None
    message: str = ""
    provisions: int = 0
    tags: int = 0
    seconds: float = 0.0
    qa: list[str] = field(default_factory=list)
    diff: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class RunReport:
    run_id: int | None = None
    files: list[FileReport] = field(default_factory=list)
    tag_counts: Counter[str] = field(default_factory=Counter)
    indexed: int | None = None
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        found = Counter(f.outcome for f in self.files)
        return {outcome: found.get(outcome, 0) for outcome in OUTCOMES}

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.outcome == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def summary(self) -> dict[str, Any]:
        return {
            "files": self.counts(),
            "provisions": sum(f.provisions for f in self.files),
            "tags": dict(sorted(self.tag_counts.items())),
            "indexed": self.indexed,
            "seconds": round(self.seconds, 2),
            "qa": {f.path: f.qa for f in self.files if f.qa},
        }
