"""The search document schema, the derived analysis fields, and snippets."""

from __future__ import annotations

from html import escape

import pytest

from search_index.analysis import analyze
from search_index.documents import (
    DOC_FIELDS,
    derived_text_fields,
    group_for_language,
    validate_document,
)
from search_index.query import Phrase, Prefix, Word
from search_index.snippets import highlight, plain_snippet, render_snippet


@pytest.fixture
def doc(corpus):  # type: ignore[no-untyped-def]
    return dict(corpus[0])


def test_valid_document_round_trips(doc):
    assert validate_document(doc) == doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"year": "2000"}, "year"),
        ({"partial": 0}, "partial"),
        ({"order": True}, "order"),
        ({"offences": ["financing", 3]}, "offences"),
        ({"status": "draft"}, "status"),
        ({"valid_to": "31/12/9999"}, "valid_to"),
        ({"valid_from": "2019-02-30"}, "valid_from"),
        ({"id": ""}, "id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_documents(doc, change, message):
    with pytest.raises(ValueError, match=message):
        validate_document({**doc, **change})


def test_missing_key(doc):
    del doc["valid_to"]
    with pytest.raises(ValueError, match="valid_to"):
        validate_document(doc)
    assert len(DOC_FIELDS) == 26


def test_language_groups_and_derived_fields(doc):
    assert group_for_language("zh-cn") == group_for_language("ja") == "cjk"
    assert group_for_language("nb") == "no"
    assert group_for_language("sr") is None and group_for_language("") is None
    fields = derived_text_fields({**doc, "language": "fr", "title_en": "Terrorism Act (English)"})
    assert fields["body_fr"] == [doc["text"]]
    assert fields["head_fr"] == [doc["heading"]]
    assert fields["meta"] == [doc["label"], doc["heading"]]
    # The act's titles and the citation (which repeats the title) are not searched.
    searched = [v for values in fields.values() for v in values]
    assert not {doc["title"], "Terrorism Act (English)", doc["citation"]} & set(searched)
    assert "head_en" not in fields
    unknown = derived_text_fields({**doc, "language": "sr"})
    assert not any(k.startswith("body_") for k in unknown)


def test_analysis_cuts_words_and_cjk_characters():
    # Numbers with dots become phrases: "83.02" finds "83.02" (and "83 02").
    assert [t for _, t in analyze("std", "s.15 Article 83.02, 421-2-2 l'article")] == [
        "s",
        "15",
        "article",
        "83",
        "02",
        "421",
        "2",
        "2",
        "l",
        "article",
    ]
    assert [t for _, t in analyze("std", "反恐怖主义法 ISIL第120条")] == [
        *"反恐怖主义法",
        "isil",
        "第",
        "120",
        "条",
    ]
    assert [t for _, t in analyze("cjk", "恐怖主义 ISIL 法")] == [
        "恐怖",
        "怖主",
        "主义",
        "isil",
        "法",
    ]
    assert analyze("en", "acts of terrorism") == ((0, "act"), (2, "terror"))


def test_snippets():
    text = "Acts of terrorism <b>include</b> the use of explosives & firearms."
    # "terrorist" and "terrorism" have different Snowball stems: nothing to mark.
    assert highlight(text, "en", [Word("terrorist")]) == escape(text)
    marked = highlight(text, "en", [Word("act"), Prefix("explos"), Phrase("the use")])
    assert marked.startswith("<mark>Acts</mark> of terrorism &lt;b&gt;include&lt;/b&gt;")
    assert "<mark>the use</mark> of <mark>explosives</mark> &amp; firearms." in marked
    long = "word " * 200 + "terrorism " + "word " * 200
    snippet = render_snippet(long, [(1000, 1009)])
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>terrorism</mark>" in snippet
    assert plain_snippet("a < b") == "a &lt; b"
    assert plain_snippet("word " * 100).endswith("…")
