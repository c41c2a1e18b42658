"""OpenSearch request bodies and mappings, checked without a server."""

from __future__ import annotations

from search_index.base import FACET_FIELDS, FACET_SIZE, SearchQuery
from search_index.documents import DOC_FIELDS, GROUPS, SEARCH_FIELDS
from search_index.opensearch.mappings import (
    OSMEM_REFUSED,
    PRODUCTION_ANALYZERS,
    build_index_body,
    pre_analyse,
)
from search_index.opensearch.queries import (
    build_filter_clauses,
    build_highlight,
    build_mlt_body,
    build_scope,
    build_search_body,
    build_text_query,
    parse_page,
)
from search_index.query import parse_query


def test_words_are_phrases_in_every_search_field_and_prefixes_are_lowercased():
    word = build_text_query(parse_query("Terrorism"))["multi_match"]
    assert word["query"] == "Terrorism" and word["type"] == "phrase"
    assert word["fields"] == list(SEARCH_FIELDS)
    prefix = build_text_query(parse_query("Terror*"))["dis_max"]["queries"]
    assert prefix == [
        {"prefix": {"text": {"value": "terror"}}},
        {"prefix": {"meta": {"value": "terror"}}},
    ]


def test_boolean_structure():
    query = build_text_query(parse_query("a -b (c OR -d)"))
    must, must_not = query["bool"]["must"], query["bool"]["must_not"]
    assert [m.get("multi_match", {}).get("query") for m in must] == ["a", None]
    assert must_not[0]["multi_match"]["query"] == "b"
    either = must[1]["bool"]
    assert either["minimum_should_match"] == 1
    assert either["should"][1] == {
        "bool": {"must": [{"match_all": {}}], "must_not": [build_text_query(parse_query("d"))]}
    }
    only_not = build_text_query(parse_query("-a"))["bool"]
    assert only_not["must"] == [{"match_all": {}}]


def test_scope_and_filters():
    assert build_scope(None) == {"term": {"current": True}}
    assert build_scope("2010-01-01")["bool"]["filter"] == [
        {"range": {"valid_from": {"lte": "2010-01-01"}}},
        {"range": {"valid_to": {"gt": "2010-01-01"}}},
    ]
    clauses = build_filter_clauses({"offence": ("financing",), "country": ("GBR", "FRA")}, 2000)
    assert clauses == {
        "offence": {"terms": {"offences": ["financing"]}},
        "country": {"terms": {"country": ["GBR", "FRA"]}},
        "year": {"range": {"year": {"gte": 2000}}},
    }


def test_filters_narrow_hits_through_post_filter_and_facets_through_the_other_filters():
    query = SearchQuery(q="terrorism", filters={"country": ["GBR"], "offence": ["financing"]})
    body = build_search_body(query, parse_query(query.q))
    assert body["post_filter"]["bool"]["filter"] == [
        {"terms": {"country": ["GBR"]}},
        {"terms": {"offences": ["financing"]}},
    ]
    aggs = body["aggs"]
    assert set(aggs) == set(FACET_FIELDS)
    assert aggs["country"]["filter"] == {
        "bool": {"filter": [{"terms": {"offences": ["financing"]}}]}
    }
    assert aggs["offence"]["filter"] == {"bool": {"filter": [{"terms": {"country": ["GBR"]}}]}}
    assert len(aggs["language"]["filter"]["bool"]["filter"]) == 2
    assert aggs["year"]["aggs"]["values"]["terms"] == {"field": "year", "size": FACET_SIZE}
    assert body["track_total_hits"] is True
    assert body["query"]["bool"]["filter"] == [{"term": {"current": True}}]
    assert body["highlight"]["pre_tags"] == ["<mark>"] and body["highlight"]["encoder"] == "html"


def test_paging_sorting_and_optional_parts():
    body = build_search_body(
        SearchQuery(page=3, size=10, sort="-year", facets=False), parse_query("")
    )
    assert (body["from"], body["size"]) == (20, 10)
    assert body["sort"][0] == {"year": {"order": "desc", "missing": "_last"}}
    assert "aggs" not in body and "post_filter" not in body and "highlight" not in body


def test_more_like_this_body():
    body = build_mlt_body("some text", 5, {"country": ("USA",)}, ["x"])
    boolean = body["query"]["bool"]
    assert boolean["must"][0]["more_like_this"]["like"] == "some text"
    assert boolean["filter"] == [{"term": {"current": True}}, {"terms": {"country": ["USA"]}}]
    assert boolean["must_not"] == [{"terms": {"id": ["x"]}}]


def test_parse_page():
    response = {
        "hits": {
            "total": {"value": 7, "relation": "eq"},
            "hits": [
                {
                    "_id": "p1",
                    "_score": 1.5,
                    "_source": {"id": "p1", "language": "en", "text": "Acts of terrorism & more."},
                    "highlight": {"body_en": ["Acts of <mark>terrorism</mark> &amp; more."]},
                },
                {
                    "_id": "p2",
                    "_score": 1.0,
                    "_source": {"id": "p2", "language": "xx", "text": "<b>"},
                },
            ],
        },
        "aggregations": {
            name: {
                "doc_count": 7,
                "values": {"buckets": [{"key": 2000, "doc_count": 3}, {"key": "", "doc_count": 1}]},
            }
            for name in FACET_FIELDS
        },
    }
    page = parse_page(response, SearchQuery(q="terrorism"))
    assert page.total == 7
    assert [h.snippet for h in page.hits] == [
        "Acts of <mark>terrorism</mark> &amp; more.",
        "&lt;b&gt;",
    ]
    assert "text" not in page.hits[0].doc and page.hits[0].score == 1.5
    assert page.facets["year"] == {"2000": 3}


def test_production_mapping_uses_builtin_analyzers_and_the_test_variant_only_swaps_refused_ones():
    prod = build_index_body()["mappings"]["properties"]
    test = build_index_body(test_variant=True)["mappings"]["properties"]
    assert set(PRODUCTION_ANALYZERS) == set(GROUPS)
    for group in GROUPS:
        assert prod[f"body_{group}"]["analyzer"] == PRODUCTION_ANALYZERS[group]
        expected = "whitespace" if group in OSMEM_REFUSED else PRODUCTION_ANALYZERS[group]
        assert test[f"body_{group}"]["analyzer"] == test[f"head_{group}"]["analyzer"] == expected
    assert prod["body_ar"]["analyzer"] == "arabic" and prod["body_cjk"]["analyzer"] == "cjk"
    assert set(DOC_FIELDS) <= set(prod)
    assert {k: v for k, v in prod.items() if not k.startswith(("body_", "head_"))} == {
        k: v for k, v in test.items() if not k.startswith(("body_", "head_"))
    }
    body = build_index_body()
    assert body["settings"]["number_of_shards"] == 1
    assert body["mappings"]["dynamic"] == "strict"


def test_the_test_variant_queries_refused_groups_with_the_embedded_engines_terms():
    # Snowball Dutch, stop words kept as gaps so that phrases keep their positions.
    assert pre_analyse("nl", "van de Gijzelingen van het verdrag") == "gijzel _ _ verdrag"
    assert pre_analyse("nl", "hostages") == pre_analyse("nl", "hostage") == "hostag"
    assert pre_analyse("nl", "van het") == ""
    assert build_text_query(parse_query("hostage"), ()) == build_text_query(parse_query("hostage"))
    query = build_text_query(parse_query("hostages"), OSMEM_REFUSED)["dis_max"]["queries"]
    refused = {f"{kind}_{g}" for kind in ("body", "head") for g in OSMEM_REFUSED}
    assert query[0]["multi_match"]["fields"] == [f for f in SEARCH_FIELDS if f not in refused]
    assert {"match_phrase": {"body_nl": {"query": "hostag"}}} in query
    assert len(query) == 1 + len(refused)
    stop_only = build_text_query(parse_query("het"), OSMEM_REFUSED)["dis_max"]["queries"]
    assert "body_nl" not in str(stop_only)
    assert not refused & set(build_highlight(OSMEM_REFUSED)["fields"])
