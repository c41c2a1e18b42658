"""Arabic text whose lam-alef ligatures were extracted in visual order ("اإلرهاب") is repaired
so that it reads, and is found, as written in the law ("الإرهاب"); correct Arabic is untouched."""

from __future__ import annotations

from functools import cache

import pytest

from ingest.arabic_repair import needs_repair, repair_extracted, repair_text
from ingest.manifest import default_corpus_dir, read_manifest
from ingest.process import ProcessedDocument, process_file
from ingest.records import ExtractedText, ProvisionDraft

MOROCCO_CT_LAW = "raw/mar/mar-loi-03-03-lutte-contre-le-terrorisme-2003-ar.json"
QATAR_CT_LAW = "raw/qat/qat-law-27-2019-combating-terrorism-ar.json"


@cache
def _process(path: str) -> ProcessedDocument:
    root = default_corpus_dir()
    entry = next(e for e in read_manifest(root / "manifest.tsv").entries if e.path == path)
    return process_file(entry, (root / path).read_bytes())


def _text(doc: ProcessedDocument) -> str:
    return "\n".join(f"{p.heading or ''}\n{p.text}" for p in doc.provisions)


def test_moroccan_law_reads_terrorism_as_written_in_the_law() -> None:
    doc = _process(MOROCCO_CT_LAW)
    text = _text(doc)
    assert "اإلرهاب" not in text and "األموال" not in text
    assert text.count("الإرهاب") >= 20  # the law's subject, in most of its articles
    assert any("ligatures" in w and "repaired" in w for w in doc.warnings), doc.warnings


def test_moroccan_law_is_tagged_from_the_repaired_text() -> None:
    doc = _process(MOROCCO_CT_LAW)
    financing = [p for p in doc.processed if any(t.code == "financing" for t in p.tags)]
    assert financing, "the financing article of law 03-03 lost its tag"
    assert all(
        "اإل" not in e for p in financing for t in p.tags for v in t.evidence for e in v.matched
    )


def test_correct_arabic_is_left_as_it_is() -> None:
    doc = _process(QATAR_CT_LAW)
    assert not any("ligatures" in w for w in doc.warnings)
    assert "الإرهاب" in _text(doc)


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("تمويل اإلرهاب", "تمويل الإرهاب"),  # word start: an alef cannot follow an alef
        ("واألموال المحجوزة", "والأموال المحجوزة"),  # after the clitic "و"
        ("حمل السالح", "حمل السلاح"),  # inside a word, chosen by frequency
        ("عالوة على ذلك", "علاوة على ذلك"),
        ("المال العام", "المال العام"),  # a real "ال" stays
        ("عقوبة ،بمقتضى الفصل 517من", "عقوبة، بمقتضى الفصل 517 من"),
    ],
)
def test_words_take_their_written_form(broken: str, repaired: str) -> None:
    assert repair_text(broken)[0] == repaired


def test_only_files_showing_the_fault_are_repaired() -> None:
    correct = "يعاقب كل من قام بتمويل الإرهاب أو الأموال المخصصة للإرهاب، والأشخاص."
    assert not needs_repair(correct)
    extracted = ExtractedText(text=correct)
    assert repair_extracted(extracted) is extracted
    broken = "تمويل اإلرهاب واألموال األشخاص اإلقليمية"
    draft = ProvisionDraft("art_1", "article", "1", "الفصل 1", "تمويل اإلرهاب", broken)
    repaired = repair_extracted(ExtractedText(text="", provisions=(draft,)))
    assert repaired.provisions[0].heading == "تمويل الإرهاب"
    assert repaired.provisions[0].text.startswith("تمويل الإرهاب والأموال الأشخاص")
