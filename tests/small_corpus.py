"""Build small corpus folders (real files + a manifest) for pipeline tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
HEADER = (
    "path\tcountry\ttitle\ttitle_en\tdoc_type\tyear\tlanguage\tformat\tstatus\tpartial\t"
    "version_date\tshort_name\tlicence\tsource\tnotes\n"
)


@dataclass(frozen=True)
class Row:
    path: str
    country: str
    doc_type: str
    year: int
    language: str
    fmt: str
    short_name: str
    version_date: str = ""

    @property
    def document_id(self) -> str:
        return f"{self.country.lower()}/{self.doc_type}/{self.year}/{self.short_name}"

    def line(self) -> str:
        return (
            f"{self.path}\t{self.country}\tTitle {self.short_name}\tTitle {self.short_name}\t"
            f"{self.doc_type}\t{self.year}\t{self.language}\t{self.fmt}\tofficial\tfalse\t"
            f"{self.version_date}\t{self.short_name}\ttest\ttest\t\n"
        )


GBR = Row(
    "raw/gbr/gbr-terrorism-act-2000-revised-text.txt",
    "GBR",
    "act",
    2000,
    "en",
    "txt",
    "terrorism-act",
    "2020-01-01",
)
ITA = Row(
    "raw/ita/ita-codice-penale-artt-270bis-280bis-excerpt.md",
    "ITA",
    "code",
    1930,
    "it",
    "md",
    "codice-penale",
    "2010-01-01",
)
TWN = Row(
    "raw/twn/twn-counter-terrorism-financing-act-I0030047-en.json",
    "TWN",
    "act",
    2016,
    "en",
    "json",
    "ctf-act",
    "2018-11-07",
)


def write_manifest(root: Path, rows: list[Row]) -> None:
    (root / "manifest.tsv").write_text(HEADER + "".join(r.line() for r in rows), "utf-8")


def make_corpus(root: Path, rows: list[Row]) -> Path:
    """Copy the rows' bundled files under ``root`` and write their manifest."""
    for row in rows:
        target = root / row.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / row.path, target)
    write_manifest(root, rows)
    return root
