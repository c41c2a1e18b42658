"""How the pages mark evidence words and name things (pure functions of app.web; no browser)."""

from __future__ import annotations

from app.web import (
    evidence_in_text,
    evidence_spans,
    highlight_evidence,
    language_name,
    provision_title,
    search_url,
)


def _marked(text: str, words: list[str]) -> str:
    return highlight_evidence(text, evidence_spans(text, words))


def test_evidence_is_widened_to_whole_words() -> None:
    assert _marked("a predicate offence to money laundering", ["predicate offen"]) == (
        "a <mark>predicate offence</mark> to money laundering"
    )
    assert _marked("Terrorism and terrorists", ["terror"]) == (
        "<mark>Terrorism</mark> and <mark>terrorists</mark>"
    )


def test_arabic_words_are_marked_whole_and_chinese_exactly() -> None:
    assert _marked("جريمة الإرهابية و", ["إرهاب"]) == "جريمة <mark>الإرهابية</mark> و"
    assert _marked("资助恐怖活动组织", ["恐怖"]) == "资助<mark>恐怖</mark>活动组织"


def test_text_is_escaped_and_overlaps_are_merged() -> None:
    assert _marked("<b>funds</b> & funding", ["fund", "funds"]) == (
        "&lt;b&gt;<mark>funds</mark>&lt;/b&gt; &amp; <mark>funding</mark>"
    )
    assert _marked("nothing here", []) == "nothing here"


def test_evidence_listed_per_tag_comes_from_the_text() -> None:
    text = "Whoever finances terrorism or terrorist acts shall be punished"
    segments = [text[a:b] for a, b in evidence_spans(text, ["financ", "terror"])]
    assert evidence_in_text(segments, ["terror"]) == ["terrorism", "terrorist"]
    assert evidence_in_text(segments, ["Prohibit"]) == ["Prohibit"], "not in the text: as given"


def test_names_and_urls() -> None:
    assert language_name("ar") == "Arabic"
    assert language_name("xx") == "xx"
    assert provision_title({"label": None, "number": None, "kind": "preamble"}) == "Preamble"
    assert provision_title({"label": "s. 15", "number": "15", "kind": "section"}) == "s. 15"
    assert search_url("", {}) == "/"
    assert search_url("a b", {"country": ["GBR", "FRA"]}, page=1, sort="relevance") == (
        "/?q=a+b&country=GBR&country=FRA"
    )
    assert search_url("", {}, page=3, sort="-year") == "/?page=3&sort=-year"
