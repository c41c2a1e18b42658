"""Document-context rules: a ``d:`` group matches the title of the provision's document.

Many provisions of a counter-terrorism or AML act say only "an offence under this Act" or
"الجرائم المنصوص عليها في هذا القانون"; the act's title supplies the terrorism context. The
engine tests use small rule sets of their own (independent of the language files); the last
tests check that the ingest step passes each document's title to the tagger.
"""

from __future__ import annotations

import tomllib

import pytest

import ingest.tagging as tagging
from ingest.records import ManifestEntry, ProvisionDraft
from ingest.tagging import tag_text
from ingest.taxonomy import TaxonomyError, compile_rules, load_citations, load_taxonomy

RULES = """
[terms]
terror_title = ['terroris', 'ارهاب']
this_act = ['offence under this act', 'الجرائم المنصوص عليها في هذا (?:القانون|النظام)']

[[rule]]
id = "forfeit_this_act"
code = "asset_freezing"
all = ['forfeit|مصادرة', '@this_act', 'd:@terror_title']
within = 120
"""
EN = (
    "The court may order the forfeiture of any property used in the commission of an offence "
    "under this Act."
)
AR = "يجوز للمحكمة أن تحكم بمصادرة الأموال المتحصلة من الجرائم المنصوص عليها في هذا القانون."
EN_TITLE = "Anti-Terrorism Act, 2008 (Act 762)"
AR_TITLE = "قانون مكافحة الإرهاب رقم 94 لسنة 2015\nLaw No. 94 of 2015 on Combating Terrorism"


@pytest.fixture
def rules(monkeypatch):
    """Tag with the rules of a TOML text instead of the language files."""

    def use(toml_text: str = RULES) -> None:
        rs = compile_rules(tomllib.loads(toml_text), "xx", load_taxonomy())
        scanner = tagging._Scanner([rs, load_citations()])
        monkeypatch.setattr(tagging, "_scanner", lambda language: ([rs], scanner))

    return use


def _offences(tags) -> set[str]:
    return {t.code for t in tags if t.kind == "offence"}


@pytest.mark.parametrize(("text", "lang", "title"), [(EN, "en", EN_TITLE), (AR, "ar", AR_TITLE)])
def test_a_document_rule_fires_only_with_a_matching_title(rules, text, lang, title) -> None:
    rules()
    tags = tag_text(text, lang, document_title=title)
    assert _offences(tags) == {"asset_freezing"}
    assert not _offences(tag_text(text, lang))  # no title: never fires
    assert not _offences(tag_text(text, lang, document_title=""))
    other = "Criminal Procedure Code\nقانون الإجراءات الجنائية"
    assert not _offences(tag_text(text, lang, document_title=other))  # another act


def test_the_evidence_shows_the_title(rules) -> None:
    rules()
    (tag,) = [t for t in tag_text(EN, "en", document_title=EN_TITLE) if t.kind == "offence"]
    (ev,) = tag.evidence
    assert ev.rule == "xx.asset_freezing.forfeit_this_act"
    assert ev.matched[:2] == ("forfeit", "offence under this Act")
    assert ev.matched[-1] == "document title: Anti-Terrorism Act, 2008 (Act 762)"
    # title and English title on two lines: the line that matched is shown
    (tag,) = [t for t in tag_text(AR, "ar", document_title=AR_TITLE) if t.kind == "offence"]
    assert tag.evidence[0].matched[-1] == "document title: قانون مكافحة الإرهاب رقم 94 لسنة 2015"
    english_only = "قانون رقم 94 لسنة 2015\nLaw No. 94 of 2015 on Combating Terrorism"
    (tag,) = [t for t in tag_text(AR, "ar", document_title=english_only) if t.kind == "offence"]
    assert tag.evidence[0].matched[-1] == (
        "document title: Law No. 94 of 2015 on Combating Terrorism"
    )


def test_a_document_group_matches_the_title_only(rules) -> None:
    rules()
    # the terrorism context in the text or the heading does not satisfy a "d:" group
    text = EN + " This section applies to terrorism."
    assert not _offences(tag_text(text, "en", heading="Terrorism", document_title="Penal Code"))
    # the other groups still have to match in the provision
    assert not _offences(tag_text("This Act may be cited as such.", "en", document_title=EN_TITLE))


def test_the_title_is_folded_like_the_text(rules) -> None:
    rules()
    # diacritics, hamza forms and tatweel are folded in the title as in the text
    title = "نظام مكافحة جرائم الإرْهـاب وتمويله"
    assert _offences(tag_text(AR, "ar", document_title=title)) == {"asset_freezing"}
    assert _offences(tag_text(EN, "en", document_title="ANTI-TERRORISM ACT")) == {"asset_freezing"}


def test_rules_without_document_groups_ignore_the_title(rules) -> None:
    rules(RULES + "\n[[rule]]\nid = 'plain'\ncode = 'investigation'\nall = ['search warrant']\n")
    text = "A constable may apply for a search warrant."
    for title in (None, EN_TITLE, "Penal Code"):
        assert _offences(tag_text(text, "en", document_title=title)) == {"investigation"}


def test_a_rule_needs_a_group_anchored_in_the_provision() -> None:
    bad = "[[rule]]\nid = 'x'\ncode = 'asset_freezing'\nall = ['d:terroris', 'a:forfeit']\n"
    with pytest.raises(TaxonomyError, match="'d:'"):
        compile_rules(tomllib.loads(bad), "xx", load_taxonomy())
    ok = compile_rules(
        tomllib.loads(bad.replace("'a:forfeit'", "'forfeit'")), "xx", load_taxonomy()
    )
    assert ok.rules[0].document == (True, False)
    # the title's words do not gate the provision text (the text never contains them)
    assert all("terroris" not in gate for gate in ok.rules[0].gates)


def test_the_title_is_matched_once_per_document(rules, monkeypatch) -> None:
    rules()
    calls = []
    fold = tagging._fold
    monkeypatch.setattr(tagging, "_fold", lambda text: calls.append(text) or fold(text))
    for _ in range(3):
        tag_text(EN, "en", document_title=EN_TITLE)
    assert calls.count(EN_TITLE) == 1


# --- the ingest step passes each document's title -------------------------------------------


def _entry(**kw) -> ManifestEntry:
    values = {
        "path": "raw/xxx/xxx-anti-terrorism-act.md",
        "country": "XXX",
        "title": "Anti-Terrorism Act 2008",
        "title_en": "Anti-Terrorism Act 2008",
        "doc_type": "act",
        "year": 2008,
        "language": "en",
        "format": "md",
        "status": "official",
        "partial": False,
        "version_date": None,
        "short_name": "anti-terrorism-act",
    }
    return ManifestEntry(**{**values, **kw})


def test_document_title_joins_title_and_english_title() -> None:
    from ingest.process import document_title

    assert document_title(_entry()) == "Anti-Terrorism Act 2008"  # the same twice: once
    assert document_title(_entry(title="قانون مكافحة الإرهاب", title_en="Anti-Terrorism Law")) == (
        "قانون مكافحة الإرهاب\nAnti-Terrorism Law"
    )
    assert document_title(_entry(title="", title_en=" ")) is None


def test_the_process_step_passes_the_title_to_the_tagger(monkeypatch) -> None:
    from ingest import process

    seen = []

    def spy(text, language, *, heading=None, document_title=None):
        seen.append(document_title)
        return []

    monkeypatch.setattr(tagging, "tag_text", spy)
    drafts = [
        ProvisionDraft(f"sec_{i}", "section", str(i), f"s. {i}", None, f"Section {i} of the act.")
        for i in (1, 2)
    ]
    process._analyse(drafts, "en", "Anti-Terrorism Act 2008")
    assert seen == ["Anti-Terrorism Act 2008"] * 2
    # the whole step: a file processed with its manifest entry
    seen.clear()
    text = "# Anti-Terrorism Act 2008\n\n## Section 1. Forfeiture\n\nThe court may order ...\n"
    entry = _entry(title="Loi antiterroriste", title_en="Anti-Terrorism Act 2008")
    doc = process.process_file(entry, text.encode())
    assert doc.processed and set(seen) == {"Loi antiterroriste\nAnti-Terrorism Act 2008"}


# --- the document-context rules of the language files ----------------------------------------


def test_language_rules_read_the_document_title() -> None:
    # Saudi Law on Combating Terrorism Crimes and its Financing, art. 59: value confiscation
    ar = (
        "إذا تعذر مصادرة الأموال أو الوسائط أو المتحصلات وفقاً للمادة (الثامنة والخمسين) من النظام "
        "أو لم يمكن تحديد مكانها، فتصادر بحكم قضائي أي أموال أخرى تعادل قيمة تلك الأموال."
    )
    title = "نظام مكافحة جرائم الإرهاب وتمويله\nLaw on Combating Terrorism Crimes and Its Financing"
    tags = tag_text(ar, "ar", document_title=title)
    assert "asset_freezing" in _offences(tags)
    assert not _offences(tag_text(ar, "ar"))
    assert not _offences(tag_text(ar, "ar", document_title="نظام الإجراءات الجزائية"))
    # UAE Federal Law No. 7 of 2014 on Combating Terrorism Crimes (English translation), art. 58
    en = "The court may order a prohibition from travelling until the completion of the trial."
    title = "Federal Law No. (7) of 2014 Combating Terrorism Crimes"
    (tag,) = [t for t in tag_text(en, "en", document_title=title) if t.kind == "offence"]
    assert tag.code == "foreign_fighters", tag
    assert f"document title: {title}" in tag.evidence[0].matched
    assert not _offences(tag_text(en, "en"))
    assert not _offences(tag_text(en, "en", document_title="Immigration Act 1959"))
