"""The pipeline on a small real corpus with bad files beside good ones, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import make_engine, make_sessionmaker
from app.migrate import upgrade_database
from app.models import Document, IngestFileResult, Provision, Tag
from app.settings import Settings
from ingest.pipeline import open_backend, run_ingest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
GOOD = {
    "raw/gbr/gbr-terrorism-act-2000-revised-text.txt": ("GBR", "act", "2000", "en", "txt"),
    "raw/ita/ita-codice-penale-artt-270bis-280bis-excerpt.md": ("ITA", "code", "1930", "it", "md"),
    "raw/twn/twn-counter-terrorism-financing-act-I0030047-en.json": (
        "TWN",
        "act",
        "2016",
        "en",
        "json",
    ),
}
HEADER = (
    "path\tcountry\ttitle\ttitle_en\tdoc_type\tyear\tlanguage\tformat\tstatus\tpartial\t"
    "version_date\tshort_name\tlicence\tsource\tnotes\n"
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<akomaNtoso><act><body><section eId="sec_1"><num>1</num><content><p>&lol3;</p></content>
</section></body></act></akomaNtoso>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<akomaNtoso><act><body><section eId="sec_1"><num>1</num><content><p>&xxe;</p></content>
</section></body></act></akomaNtoso>"""


def row(path: str, country: str, doc_type: str, year: str, lang: str, fmt: str, slug: str) -> str:
    return (
        f"{path}\t{country}\tTitle {slug}\tTitle {slug}\t{doc_type}\t{year}\t{lang}\t{fmt}\t"
        f"official\tfalse\t\t{slug}\ttest\ttest\t\n"
    )


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    lines = [HEADER]
    for i, (rel, (country, doc_type, year, lang, fmt)) in enumerate(GOOD.items()):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / rel, target)
        lines.append(row(rel, country, doc_type, year, lang, fmt, f"good-{i}"))
    bad = {
        "raw/bad/corrupt.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated",
        "raw/bad/empty.txt": b"",
        "raw/bad/garbage.html": bytes(range(256)) * 40,
        "raw/bad/laughs.xml": BILLION_LAUGHS,
        "raw/bad/xxe.xml": EXTERNAL_ENTITY,
    }
    for i, (rel, data) in enumerate(bad.items()):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        fmt = rel.rsplit(".", 1)[1]
        lines.append(row(rel, "FRA", "act", "2001", "fr", fmt, f"bad-{i}"))
    lines.append(row("raw/bad/missing.md", "FRA", "act", "2002", "fr", "md", "missing"))
    lines.append(row("../../etc/passwd", "FRA", "act", "2003", "fr", "txt", "escape"))
    (root / "raw/bad/unlisted.md").write_text("# Article 1\nNot in the manifest.\n")
    (root / "manifest.tsv").write_text("".join(lines), encoding="utf-8")
    return root


def test_bad_files_are_reported_and_good_ones_stored(
    database_url: str, tmp_path: Path, small_corpus: Path
) -> None:
    upgrade_database(database_url)
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url)
    report = run_ingest(settings, [small_corpus], workers=1)

    by_path = {f.path: f for f in report.files}
    for rel in GOOD:
        assert by_path[rel].outcome == "new", by_path[rel].message
        assert by_path[rel].provisions > 5
    failed = {f.path: f.message for f in report.failed}
    for rel in (
        "corrupt.pdf",
        "empty.txt",
        "garbage.html",
        "laughs.xml",
        "xxe.xml",
        "missing.md",
        "unlisted.md",
    ):
        assert any(rel in p for p in failed), f"{rel} not reported: {sorted(failed)}"
    assert any("passwd" in p or "escape" in m for p, m in failed.items())
    assert all(m for m in failed.values()), "every failure says why"
    assert report.exit_code == 1

    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == len(GOOD)
        assert session.scalar(select(func.count()).select_from(Provision)) > 50
        assert session.scalar(select(func.count()).select_from(Tag)) > 0
        assert session.scalar(select(func.count()).select_from(IngestFileResult)) == len(
            report.files
        )
    engine.dispose()
    assert open_backend(settings).count() > 50

    again = run_ingest(settings, [small_corpus], workers=1)
    assert {f.path: f.outcome for f in again.files if f.path in GOOD} == dict.fromkeys(
        GOOD, "unchanged"
    )
