"""Front matter (an act's title, enacting formula, recitals, objects and reasons) establishes
nothing: it keeps only the instruments it cites, never offence codes."""

from __future__ import annotations

from functools import cache

from ingest.manifest import default_corpus_dir, read_manifest
from ingest.process import ProcessedDocument, process_file
from ingest.tagging import front_matter_tags, tag_text


@cache
def _process(path: str) -> ProcessedDocument:
    root = default_corpus_dir()
    entry = next(e for e in read_manifest(root / "manifest.tsv").entries if e.path == path)
    return process_file(entry, (root / path).read_bytes())


def test_front_matter_keeps_cited_instruments_only() -> None:
    recital = (
        "A person who provides or collects funds intending that they be used to carry out a "
        "terrorist act commits an offence, as required by the International Convention for the "
        "Suppression of the Financing of Terrorism."
    )
    tags = tag_text(recital, "en")
    assert "financing" in {t.code for t in tags}  # the words alone tag the offence
    kept = front_matter_tags(tags)
    # FINANCING-1999 is cited; UNSCR-1373 was only implied by the offence
    assert [(t.kind, t.code) for t in kept] == [("instrument", "FINANCING-1999")]
    assert all(not e.rule.startswith("implied:") for t in kept for e in t.evidence)


def test_an_acts_preamble_carries_no_offence_in_the_database() -> None:
    doc = _process("raw/intl/un-1999-convention-suppression-financing-terrorism-en.html")
    preamble = next(p for p in doc.processed if p.draft.kind == "preamble")
    assert "financing" in preamble.draft.text.lower()
    assert not [t.code for t in preamble.tags if t.kind == "offence"]
    article_2 = next(p for p in doc.processed if p.draft.number == "2")
    assert "financing" in {t.code for t in article_2.tags}


def test_a_one_section_file_numbers_its_section_from_the_front_matter() -> None:
    doc = _process("raw/ind/ind-bharatiya-nyaya-sanhita-2023-section-113-terrorist-act.md")
    (section,) = [p for p in doc.processed if p.draft.kind != "preamble"]
    assert (section.draft.number, section.draft.label) == ("113", "Section 113")
    assert "terrorist_act" in {t.code for t in section.tags}
