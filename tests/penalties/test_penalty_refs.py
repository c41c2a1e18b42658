"""Penalties stated in one provision for offences created by others (UK s. 22, Code pénal
421-5), on the real corpus files and on small constructed documents."""

from __future__ import annotations

import pytest

from ingest.manifest import default_corpus_dir, read_manifest
from ingest.penalties import extract_penalty
from ingest.penalty_refs import inherit_penalties, referenced_numbers
from ingest.process import process_file
from ingest.records import ProvisionDraft


def _document(path: str):  # type: ignore[no-untyped-def]
    root = default_corpus_dir()
    entry = next(e for e in read_manifest(root / "manifest.tsv").entries if e.path == path)
    doc = process_file(entry, (root / path).read_bytes())
    found = {}
    for p in doc.processed:  # the body's provision, not a schedule paragraph of that number
        if p.draft.number and p.draft.number not in found:
            found[p.draft.number] = p
    return found


@pytest.fixture(scope="module")
def terrorism_act():  # type: ignore[no-untyped-def]
    return _document("raw/gbr/gbr-terrorism-act-2000-revised-text.txt")


@pytest.fixture(scope="module")
def code_penal():  # type: ignore[no-untyped-def]
    return _document("raw/fra/fra-code-penal-LEGITEXT000006070719.md")


@pytest.mark.parametrize("number", ["15", "16", "17", "18"])
def test_uk_fundraising_offences_carry_the_penalty_of_section_22(terrorism_act, number) -> None:  # type: ignore[no-untyped-def]
    penalty = terrorism_act[number].penalty
    assert penalty is not None and penalty.max_years == 14
    assert penalty.evidence.startswith("stated in s. 22: ")


def test_a_provision_stating_its_own_penalty_keeps_it(terrorism_act) -> None:  # type: ignore[no-untyped-def]
    own = terrorism_act["22"].penalty
    assert own is not None and not own.evidence.startswith("stated in")


def test_french_financing_offence_carries_the_penalty_of_421_5(code_penal) -> None:  # type: ignore[no-untyped-def]
    penalty = code_penal["421-2-2"].penalty
    assert penalty is not None and penalty.max_years == 10
    assert penalty.evidence.startswith("stated in Article 421-5: ")


def _draft(eid: str, number: str, text: str) -> ProvisionDraft:
    return ProvisionDraft(eid, "section", number, f"s. {number}", None, text)


def _inherit(drafts: list[ProvisionDraft], offences: list[bool]):  # type: ignore[no-untyped-def]
    own = [extract_penalty(d.text, "en") for d in drafts]
    return inherit_penalties(drafts, own, offences, lambda s: extract_penalty(s, "en"))


def test_descriptive_references_and_schedules_do_not_take_a_penalty() -> None:
    drafts = [
        _draft("sec_1", "1", "In this Act terrorism means the use of violence."),
        _draft("sec_2", "2", "A person who finances terrorism commits an offence."),
        _draft(
            "sec_3",
            "3",
            "A person who, for terrorism as defined in section 1, trains another commits an "
            "offence and is liable to imprisonment for a term not exceeding 10 years.",
        ),
        _draft("sched_1__para_2", "2", "A person who fails to report commits an offence."),
    ]
    result = _inherit(drafts, [False, True, True, True])
    assert result[0] is None, "'as defined in section 1' states no penalty for section 1"
    assert result[1] is None, "section 2 is not referenced"
    assert result[3] is None


def test_a_range_takes_the_provisions_between_in_document_order() -> None:
    numbers = ["15", "16", "17", "17A", "18", "19"]
    found = referenced_numbers("an offence under any of sections 15 to 18", numbers)
    assert set(found) == {"15", "16", "17", "17a", "18"}
    assert referenced_numbers("définis aux articles 421-2-1 et 421-2-2", ["421-2-1", "421-2-2"])
    assert referenced_numbers("im Sinne des § 129a", ["129a"]) == []


def test_fine_only_clauses_are_not_inherited() -> None:
    drafts = [
        _draft("sec_1", "1", "A person who finances terrorism commits an offence."),
        _draft(
            "sec_2",
            "2",
            "A body corporate guilty of an offence under section 1 is liable to a fine.",
        ),
    ]
    assert _inherit(drafts, [True, False])[0] is None
