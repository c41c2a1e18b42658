"""The contract both search backends keep: same hit sets, totals and facet counts for the same
queries, highlights, version scoping, pagination, sorting and errors.

Every test runs against the embedded (tantivy) backend and the OpenSearch backend (osmem-server
over HTTP). Scores and the order of close results are never compared.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from search_index.base import (
    FACET_FIELDS,
    FILTER_FIELDS,
    SNIPPET_CHARS,
    QuerySyntaxError,
    SearchQuery,
)
from search_index.documents import DOC_FIELDS
from tests.search.conftest import BACKEND_PARAMS

GBR_2000 = "gbr/act/2000/terrorism-act/~"
GBR_2006 = "gbr/act/2006/terrorism-act/~"
BILL = "gbr/bill/2018/counter-terrorism-border-security/~"
USC = "usa/code/1996/18-usc-113b/~"
CAN_EN = "can/code/1985/criminal-code/~"
CAN_FR = "can/code/1985/code-criminel/~"
FRA = "fra/code/1994/code-penal/~"
DEU = "deu/code/1998/stgb/~"
RUS = "rus/code/1996/uk-rf/~"
CHN_CT = "chn/law/2015/counter-terrorism-law/~"
CHN_CL = "chn/law/1997/criminal-law/~"
EGY = "egy/law/2015/anti-terrorism-law/~"
ARE = "are/law/2014/combating-terrorism/~"
FIN_CONV = "int/convention/1999/financing-convention/~"
BOMB_CONV = "int/convention/1997/bombings-convention/~"
OLD_15 = GBR_2000 + "sec_15@2000-07-20"
ALL = 100  # a page size above the corpus size


def ids(page) -> set[str]:  # type: ignore[no-untyped-def]
    return {hit.id for hit in page.hits}


def search(backend, **kwargs: Any):  # type: ignore[no-untyped-def]
    return backend.search(SearchQuery(size=kwargs.pop("size", ALL), **kwargs))


def reference(corpus, filters=None, year_from=None, year_to=None, as_of=None):  # type: ignore[no-untyped-def]
    """What a filter-only query must return, computed from the documents themselves."""
    filters = filters or {}

    def in_scope(doc) -> bool:  # type: ignore[no-untyped-def]
        return doc["current"] if as_of is None else doc["valid_from"] <= as_of < doc["valid_to"]

    def passes(doc, skip=None) -> bool:  # type: ignore[no-untyped-def]
        for key, values in filters.items():
            value = doc[FILTER_FIELDS[key]]
            if key != skip and not set(value if isinstance(value, list) else [value]) & set(values):
                return False
        if skip != "year" and (year_from is not None or year_to is not None):
            year = doc["year"]
            if year is None or (year_from and year < year_from) or (year_to and year > year_to):
                return False
        return True

    matching = {d["id"] for d in corpus if in_scope(d) and passes(d)}
    facets = {}
    for name, field in FACET_FIELDS.items():
        counts: Counter[str] = Counter()
        for doc in corpus:
            if in_scope(doc) and passes(doc, skip=name):
                values = doc[field] if isinstance(doc[field], list) else [doc[field]]
                counts.update(str(v) for v in values if v not in ("", None))
        facets[name] = dict(counts)
    return matching, facets


FILTER_CASES = [
    {},
    {"filters": {"country": ["GBR"]}},
    {"filters": {"country": ["GBR", "FRA"]}},
    {"filters": {"region": ["Europe"], "offence": ["financing"]}},
    {"filters": {"instrument": ["FINANCING-1999"]}},
    {"filters": {"language": ["fr"]}},
    {"filters": {"doc_type": ["convention"], "status": ["official"]}},
    {"filters": {"status": ["bill"]}},
    {"filters": {"document_id": ["fra/code/1994/code-penal"]}},
    {"year_from": 1995, "year_to": 2005},
    {"year_from": 2010},
    {"as_of": "2010-01-01"},
    {"as_of": "2010-01-01", "filters": {"country": ["GBR"]}},
    {"filters": {"offence": ["financing"], "country": ["GBR", "FRA", "CHN"]}, "year_to": 2000},
]


@pytest.mark.parametrize("case", FILTER_CASES, ids=lambda c: repr(c) if c else "all")
def test_filters_and_multi_select_facets_match_the_documents(loaded, corpus, case):
    page = search(loaded, **case)
    expected_ids, expected_facets = reference(corpus, **case)
    assert ids(page) == expected_ids
    assert page.total == len(expected_ids)
    assert page.facets == expected_facets


@pytest.mark.parametrize("case", FILTER_CASES[:5], ids=lambda c: repr(c) if c else "all")
def test_a_query_of_only_not_words_counts_facets_as_its_matches(loaded, corpus, case):
    """Facets of a text with no positive word are counted another way (postings): same counts."""
    page = search(loaded, q="NOT zzzunknownword", **case)
    expected_ids, expected_facets = reference(corpus, **case)
    assert ids(page) == expected_ids
    assert page.facets == expected_facets
    fewer = search(loaded, q="-terrorism", **case)  # a NOT that does exclude documents
    assert fewer.total < page.total
    for name, counts in fewer.facets.items():
        assert all(count <= page.facets[name][value] for value, count in counts.items())
    assert sum(fewer.facets["language"].values()) == fewer.total


def test_selecting_a_country_does_not_shrink_the_country_facet(loaded):
    unfiltered = search(loaded, size=0)
    selected = search(loaded, size=0, filters={"country": ["GBR"]})
    assert selected.facets["country"] == unfiltered.facets["country"]
    assert selected.facets["language"] == {"en": unfiltered.facets["country"]["GBR"]}
    assert set(selected.facets) == set(FACET_FIELDS)
    assert all(isinstance(k, str) for k in selected.facets["year"])


# (query, hits that must be found, hits that must not be)
TEXT_CASES = [
    (
        "explosives",
        {GBR_2000 + "sec_54", USC + "sec_2332f", BOMB_CONV + "art_2"},
        {GBR_2000 + "sec_11"},
    ),
    # A provision matches through its own words, not its act's title: the Financing Convention's
    # art. 2 says "provides or collects funds", "financing" is only in the Convention's title.
    ("terrorism financing", {USC + "sec_2339C"}, {GBR_2000 + "sec_11", FIN_CONV + "art_2"}),
    ("Suppression", set(), {FIN_CONV + "art_2", BOMB_CONV + "art_2"}),
    ('"proscribed organisation"', {GBR_2000 + "sec_11"}, {GBR_2000 + "sec_15"}),
    (
        "membership OR participation",
        {GBR_2000 + "sec_11", CAN_EN + "sec_83.18"},
        {USC + "sec_2339A"},
    ),
    ("(money OR funds) AND property", {GBR_2000 + "sec_15"}, {CAN_EN + "sec_83.02", OLD_15}),
    (
        "financ*",
        {USC + "sec_2339C", FRA + "art_421-2-2"},
        {GBR_2000 + "sec_11", FIN_CONV + "art_8"},  # art. 8: "funds"; "Financing": its title
    ),
    (
        "prepar*",
        {GBR_2006 + "sec_5", GBR_2000 + "sec_58", BILL + "clause_3"},
        {FRA + "art_421-2-6"},
    ),
    ("offence -training", {GBR_2000 + "sec_11"}, {GBR_2006 + "sec_6", GBR_2000 + "sec_54"}),
    (
        "NOT convention",
        {GBR_2000 + "sec_1", RUS + "art_205"},
        {FIN_CONV + "art_2", BOMB_CONV + "art_2"},
    ),
    ('"acts of terrorism"', {GBR_2006 + "sec_1", GBR_2006 + "sec_5"}, {GBR_2000 + "sec_11"}),
    ('"material support"', {USC + "sec_2339A", USC + "sec_2339B"}, {USC + "sec_2339C"}),
    ("Vereinigungen", {DEU + "para_129a", DEU + "para_129b"}, {DEU + "para_89c"}),
    (
        "террористической",
        {RUS + "art_205.1", RUS + "art_205.2", RUS + "art_205"},
        {DEU + "para_129a"},
    ),
    ("financement", {FRA + "art_421-2-2"}, {FRA + "art_421-1"}),
    (
        "恐怖活动",
        {CHN_CT + "art_14", CHN_CT + "art_80", CHN_CL + "art_120", CHN_CL + "art_120-1"},
        {CHN_CT + "art_3"},
    ),
    ("资助", {CHN_CL + "art_120-1"}, {CHN_CL + "art_120"}),
    ("الإرهاب", {EGY + "art_13", ARE + "art_29"}, {CHN_CT + "art_3"}),
    ("83.02", {CAN_EN + "sec_83.02", CAN_FR + "art_83.02"}, {CAN_EN + "sec_83.18"}),
    ("421-2-2", {FRA + "art_421-2-2"}, {FRA + "art_421-2-1"}),
    ("§ 129a", {DEU + "para_129a", DEU + "para_129b"}, {DEU + "para_89a"}),
    ("hitherto", set(), {OLD_15}),
    # British and American spellings find each other (Australian "organisation", US "organization")
    (
        '"terrorist organisation"',
        {"aus/act/1995/criminal-code-act/~sec_102.3", USC + "sec_2339B"},
        {USC + "sec_2339A"},
    ),
    (
        "organizations",
        {USC + "sec_2339B", "aus/act/1995/criminal-code-act/~sec_102.3"},
        {RUS + "art_205"},
    ),
]


@pytest.mark.parametrize(("q", "found", "absent"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_full_text_queries(loaded, q, found, absent):
    page = search(loaded, q=q)
    assert found <= ids(page)
    assert not absent & ids(page)
    assert page.total == len(page.hits)


# Stemming differs in places (OpenSearch's French light stemmer conflates English "terrorism"
# with "terrorisme", Snowball does not): the queries here are ones where both engines agree.
@pytest.mark.opensearch
@pytest.mark.parametrize("q", [c[0] for c in TEXT_CASES] + ["the", "Convention", "groupe"])
def test_backends_return_the_same_hits_totals_and_facets(loaded_backends, q):
    embedded = search(loaded_backends["embedded"], q=q, filters={"region": ["Europe", "Asia"]})
    opensearch = search(loaded_backends["opensearch"], q=q, filters={"region": ["Europe", "Asia"]})
    assert ids(embedded) == ids(opensearch)
    assert embedded.total == opensearch.total
    assert embedded.facets == opensearch.facets


def test_as_of_finds_the_version_valid_that_day(loaded):
    assert ids(search(loaded, q="hitherto", as_of="2010-01-01")) == {OLD_15}
    assert ids(search(loaded, q="hitherto", as_of="2020-01-01")) == set()
    then = ids(search(loaded, q="money", as_of="2010-01-01"))
    now = ids(search(loaded, q="money"))
    assert OLD_15 in then and GBR_2000 + "sec_15" not in then
    assert GBR_2000 + "sec_15" in now and OLD_15 not in now


def test_pages_cover_every_hit_once_and_beyond_the_end_is_empty(loaded, corpus):
    total = sum(1 for d in corpus if d["current"])
    seen: list[str] = []
    for page_number in range(1, total // 10 + 2):
        page = search(loaded, page=page_number, size=10, sort="citation")
        assert page.total == total
        seen += [hit.id for hit in page.hits]
    assert len(seen) == len(set(seen)) == total
    beyond = search(loaded, page=50, size=10)
    assert beyond.hits == [] and beyond.total == total


def test_size_zero_gives_total_and_facets_only(loaded, corpus):
    page = search(loaded, q="terrorism", size=0)
    assert page.hits == [] and page.total > 0
    assert sum(page.facets["country"].values()) >= page.total


@pytest.mark.parametrize("sort", ["year", "-year", "citation", "order"])
def test_sorting_by_a_field(loaded, sort):
    hits = search(loaded, sort=sort).hits
    assert all(hit.score is None for hit in hits)
    field = sort.lstrip("-")
    values = [hit.doc[field] for hit in hits]
    if field == "year":  # documents without a year come last in both directions
        known = [v for v in values if v is not None]
        assert values[: len(known)] == known
        assert known == sorted(known, reverse=sort.startswith("-"))
    elif field == "citation":
        assert values == sorted(values)
    else:  # `order` counts within a document: only its ascent is promised
        assert values[0] == min(values)


def test_hits_carry_the_stored_document_without_text_unless_asked(loaded):
    hit = search(loaded, q='"proscribed organisation"').hits[0]
    assert set(hit.doc) == set(DOC_FIELDS) - {"text"}
    assert hit.doc["offences"] == ["membership"] and hit.doc["year"] == 2000
    assert isinstance(hit.score, float)
    full = loaded.search(SearchQuery(q='"proscribed organisation"', include_text=True)).hits[0]
    assert full.doc["text"].startswith("A person commits an offence if he belongs")


@pytest.mark.parametrize(
    ("q", "hit_id", "marked"),
    [
        ("explosives", GBR_2000 + "sec_54", "<mark>explosives</mark>"),
        ("Explosives", USC + "sec_2332f", "<mark>explosive</mark>"),
        ("terror*", GBR_2006 + "sec_1", "<mark>terrorism</mark>"),
        ('"proscribed organisation"', GBR_2000 + "sec_11", "organisation</mark>"),
        ('"terrorist organisation"', USC + "sec_2339B", "organization</mark>"),
        ("恐怖活动", CHN_CL + "art_120", "<mark>恐怖活动</mark>"),
        ("Vereinigung", DEU + "para_129a", "<mark>Vereinigung</mark>"),
        ("amended", GBR_2000 + "sec_15", "&lt;Note: <mark>amended</mark> 2019 &amp; 2020&gt;"),
    ],
)
def test_snippets_mark_the_matched_words_and_escape_html(loaded, q, hit_id, marked):
    hits = {hit.id: hit for hit in search(loaded, q=q).hits}
    snippet = hits[hit_id].snippet
    assert marked in snippet
    assert "<Note" not in snippet and "<b>" not in snippet


def test_snippet_without_query_is_the_escaped_start_of_the_text(loaded):
    hits = search(loaded, filters={"document_id": ["gbr/act/2000/terrorism-act"]}).hits
    snippet = next(h.snippet for h in hits if h.id == GBR_2000 + "sec_15")
    assert snippet.startswith("A person commits an offence if he invites another")
    assert "<mark>" not in snippet and "<Note" not in snippet
    assert len(snippet) <= SNIPPET_CHARS + 20
    plain = search(loaded, q="explosives", highlight=False).hits
    assert plain and all("<mark>" not in hit.snippet for hit in plain)


def test_more_like_this_finds_similar_current_provisions(loaded):
    text = (
        "provides or collects funds with the intention that they should be used "
        "to carry out an act of terrorism"
    )
    hits = loaded.more_like_this(text, size=5, exclude_ids=[FIN_CONV + "art_2"])
    found = {hit.id for hit in hits}
    assert USC + "sec_2339C" in found
    assert FIN_CONV + "art_2" not in found and OLD_15 not in found
    assert all(hit.doc["current"] and "text" not in hit.doc for hit in hits)
    usa = loaded.more_like_this(text, filters={"country": ["USA"]})
    assert usa and {hit.doc["country"] for hit in usa} == {"USA"}
    chinese = loaded.more_like_this("资助恐怖活动组织的个人", size=3)
    assert CHN_CL + "art_120-1" in {hit.id for hit in chinese}


def test_unknown_filter_and_bad_parameters_are_value_errors(loaded):
    with pytest.raises(ValueError, match="valid filters are"):
        SearchQuery(filters={"colour": ["red"]})
    for bad in (
        {"size": 101},
        {"page": 0},
        {"sort": "score"},
        {"as_of": "2020-13-01"},
        {"year_from": 2010, "year_to": 2000},
        {"page": 200, "size": 100},
    ):
        with pytest.raises(ValueError):
            SearchQuery(**bad)
    with pytest.raises(ValueError):
        loaded.more_like_this("text", filters={"colour": ["red"]})


@pytest.mark.parametrize(
    ("q", "position"),
    [('"unclosed phrase', 0), ("(a OR b", 0), ("a)", 1), ("*a*b*c*", 0), ("a AND", 5)],
)
def test_malformed_query_raises_syntax_error_with_position(loaded, q, position):
    with pytest.raises(QuerySyntaxError) as info:
        loaded.search(SearchQuery(q=q))
    assert info.value.position == position


@pytest.mark.parametrize("kind", BACKEND_PARAMS)
def test_region_counts_stay_right_when_a_country_spans_regions(make_backend, corpus, kind):
    """The embedded engine sums region counts from country counts when each country has one
    region; an index where that does not hold (a country in two regions, a document without a
    region) must still count each region by its documents."""
    docs = [dict(d) for d in corpus]
    french = [d for d in docs if d["country"] == "FRA"]
    french[0]["region"] = "Atlantis"
    french[1]["region"] = ""
    backend = make_backend(kind)
    backend.replace_all(docs)
    backend.refresh()
    everything = search(backend)
    assert everything.facets["region"] == reference(docs)[1]["region"]
    assert everything.facets["region"]["Atlantis"] == 1
    assert everything.facets["region"]["Europe"] == reference(docs)[1]["region"]["Europe"]
    page = search(backend, q="terrorism")
    matching = [d for d in docs if d["id"] in ids(page)]
    assert page.facets["region"] == reference(matching)[1]["region"]
