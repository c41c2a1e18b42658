"""Pure builders: parsed query + filters -> OpenSearch request bodies, and responses -> pages.

Nothing here talks to a server, so every body can be checked in unit tests. Multi-select facets
follow the usual pattern: the text query and the version scope go in ``query``, the filters in
``post_filter`` (they narrow the hits, not the aggregations), and each facet aggregates under a
``filter`` of every active filter except its own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from search_index.base import (
    FACET_FIELDS,
    FACET_SIZE,
    SNIPPET_CHARS,
    SearchHit,
    SearchPage,
    SearchQuery,
)
from search_index.documents import (
    FILTER_FIELDS,
    GROUPS,
    PREFIX_FIELDS,
    SEARCH_FIELDS,
    group_for_language,
)
from search_index.opensearch.mappings import pre_analyse
from search_index.query import And, MatchAll, Node, Not, Or, Phrase, Prefix, Word, contains_cjk
from search_index.snippets import ELLIPSIS, plain_snippet

TIE_BREAKER = 0.1
HIGHLIGHT_FIELDS = ("text", *(f"body_{g}" for g in GROUPS))
SOURCE_EXCLUDES = ["meta", "body_*", "head_*"]
SORTS: Mapping[str, list[Any]] = {
    "relevance": ["_score", {"id": "asc"}],
    "year": [{"year": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
    "-year": [{"year": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
    "citation": [{"citation": "asc"}, {"id": "asc"}],
    "order": [{"order": "asc"}, {"id": "asc"}],
}
_MARK_TAGS = re.compile("</?mark>")
MLT_PARAMS = {"min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": 25, "min_word_length": 3}


def _pre_analysed_fields(groups: Collection[str]) -> list[tuple[str, str]]:
    """(field, group) of the search fields that hold pre-analysed text (test variant)."""
    return [(f"{kind}_{g}", g) for kind in ("body", "head") for g in GROUPS if g in groups]


def _text_leaf_query(text: str, pre_analysed: Collection[str]) -> dict[str, Any]:
    # A word is a phrase of the terms each field's analyzer makes of it (one term for most
    # words; several for 421-2-2 or CJK text), as the embedded engine does.
    special = _pre_analysed_fields(pre_analysed)
    skip = {name for name, _ in special}
    multi = {
        "multi_match": {
            "query": text,
            "type": "phrase",
            "fields": [name for name in SEARCH_FIELDS if name not in skip],
            "tie_breaker": TIE_BREAKER,
        }
    }
    if not special:
        return multi
    # Test variant: the same dis_max over fields, with the groups osmem cannot analyse
    # queried by the terms the embedded engine makes of the text (see mappings.pre_analyse).
    queries = [multi]
    for name, group in special:
        if terms := pre_analyse(group, text):
            queries.append({"match_phrase": {name: {"query": terms}}})
    return {"dis_max": {"queries": queries, "tie_breaker": TIE_BREAKER}}


def build_text_query(node: Node, pre_analysed: Collection[str] = ()) -> dict[str, Any]:
    """The query for a parsed full-text query (see ``search_index.query``).

    ``pre_analysed``: language groups indexed pre-analysed (the osmem test variant only).
    """
    if isinstance(node, Word | Phrase):
        return _text_leaf_query(node.text, pre_analysed)
    if isinstance(node, Prefix):
        value = node.text.lower()
        should = [{"prefix": {name: {"value": value}}} for name in PREFIX_FIELDS]
        return {"dis_max": {"queries": should, "tie_breaker": TIE_BREAKER}}
    if isinstance(node, And):
        must = [build_text_query(c, pre_analysed) for c in node.children if not isinstance(c, Not)]
        must_not = [
            build_text_query(c.child, pre_analysed) for c in node.children if isinstance(c, Not)
        ]
        body: dict[str, Any] = {"must": must or [{"match_all": {}}]}
        if must_not:
            body["must_not"] = must_not
        return {"bool": body}
    if isinstance(node, Or):
        return {
            "bool": {
                "should": [build_text_query(c, pre_analysed) for c in node.children],
                "minimum_should_match": 1,
            }
        }
    if isinstance(node, Not):
        return {
            "bool": {
                "must": [{"match_all": {}}],
                "must_not": [build_text_query(node.child, pre_analysed)],
            }
        }
    if isinstance(node, MatchAll):
        return {"match_all": {}}
    raise TypeError(f"unknown query node {node!r}")


def build_scope(as_of: str | None) -> dict[str, Any]:
    """Current versions, or the versions valid on ``as_of`` (ISO dates compare as strings)."""
    if as_of is None:
        return {"term": {"current": True}}
    return {
        "bool": {
            "filter": [
                {"range": {"valid_from": {"lte": as_of}}},
                {"range": {"valid_to": {"gt": as_of}}},
            ]
        }
    }


def build_filter_clauses(
    filters: Mapping[str, Iterable[str]], year_from: int | None = None, year_to: int | None = None
) -> dict[str, dict[str, Any]]:
    """One clause per active filter key (``year`` for the year range)."""
    out = {key: {"terms": {FILTER_FIELDS[key]: list(values)}} for key, values in filters.items()}
    if year_from is not None or year_to is not None:
        bounds = {"gte": year_from, "lte": year_to}
        out["year"] = {"range": {"year": {k: v for k, v in bounds.items() if v is not None}}}
    return out


def _all(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def build_facet_aggs(clauses: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Each facet counted under every active filter but its own."""
    return {
        name: {
            "filter": _all([c for key, c in clauses.items() if key != name]),
            "aggs": {"values": {"terms": {"field": field, "size": FACET_SIZE}}},
        }
        for name, field in FACET_FIELDS.items()
    }


def build_highlight(pre_analysed: Collection[str] = ()) -> dict[str, Any]:
    """Highlights of the text fields (not of pre-analysed ones: their text is terms)."""
    skip = {name for name, _ in _pre_analysed_fields(pre_analysed)}
    fields = {
        name: {"number_of_fragments": 1, "fragment_size": SNIPPET_CHARS}
        for name in HIGHLIGHT_FIELDS
        if name not in skip
    }
    return {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "require_field_match": True,
        "fields": fields,
    }


def build_search_body(
    query: SearchQuery, node: Node, pre_analysed: Collection[str] = ()
) -> dict[str, Any]:
    """The complete ``_search`` body for a query whose text part parsed to ``node``.

    ``pre_analysed``: language groups indexed pre-analysed (the osmem test variant only).
    """
    clauses = build_filter_clauses(query.filters, query.year_from, query.year_to)
    text = build_text_query(node, pre_analysed)
    body: dict[str, Any] = {
        "query": {"bool": {"must": [text], "filter": [build_scope(query.as_of)]}},
        "from": query.offset,
        "size": query.size,
        "track_total_hits": True,
        "sort": SORTS[query.sort],
        "_source": {"excludes": SOURCE_EXCLUDES},
    }
    if clauses:
        body["post_filter"] = _all(list(clauses.values()))
    if query.facets:
        body["aggs"] = build_facet_aggs(clauses)
    if query.highlight and query.size and not isinstance(node, MatchAll):
        body["highlight"] = build_highlight(pre_analysed)
    return body


def build_mlt_body(
    text: str,
    size: int,
    filters: Mapping[str, Iterable[str]],
    exclude_ids: Iterable[str] = (),
) -> dict[str, Any]:
    """More-like-this over the language-neutral text, current versions only.

    CJK text is compared through the bigram field (``min_word_length`` would drop every CJK
    unigram and bigram).
    """
    if contains_cjk(text):
        params = {k: v for k, v in MLT_PARAMS.items() if k != "min_word_length"}
        like = {"more_like_this": {"fields": ["body_cjk"], "like": text, **params}}
    else:
        like = {"more_like_this": {"fields": ["text"], "like": text, **MLT_PARAMS}}
    scope = [build_scope(None), *build_filter_clauses(filters).values()]
    boolean: dict[str, Any] = {"must": [like], "filter": scope}
    excluded = list(exclude_ids)
    if excluded:
        boolean["must_not"] = [{"terms": {"id": excluded}}]
    return {"query": {"bool": boolean}, "size": size, "_source": {"excludes": SOURCE_EXCLUDES}}


def _snippet(doc: Mapping[str, Any], text: str, highlight: Mapping[str, list[str]]) -> str:
    """The highlighted fragment with the most marks, preferring the document's language field."""
    group = group_for_language(doc.get("language"))
    preferred = f"body_{group}" if group else "text"
    best, best_marks = "", 0
    for name in (preferred, *HIGHLIGHT_FIELDS):
        for fragment in highlight.get(name, ()):
            marks = fragment.count("<mark>")
            if marks > best_marks:
                best, best_marks = fragment, marks
    if not best:
        return plain_snippet(text)
    best = best.replace("</mark><mark>", "")  # OpenSearch marks CJK characters one by one
    plain = html.unescape(_MARK_TAGS.sub("", best)).strip()
    head = "" if text.lstrip().startswith(plain[:20]) else ELLIPSIS
    tail = "" if text.rstrip().endswith(plain[-20:]) else ELLIPSIS
    return head + best.strip() + tail


def parse_hit(raw: Mapping[str, Any], include_text: bool, scored: bool) -> SearchHit:
    doc = dict(raw["_source"])
    text = doc["text"] if include_text else doc.pop("text")
    return SearchHit(
        id=doc["id"],
        score=raw.get("_score") if scored else None,
        doc=doc,
        snippet=_snippet(doc, text, raw.get("highlight") or {}),
    )


def _buckets(agg: Mapping[str, Any]) -> dict[str, int]:
    counts = {str(b["key"]): int(b["doc_count"]) for b in agg["values"]["buckets"]}
    counts.pop("", None)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def parse_page(response: Mapping[str, Any], query: SearchQuery) -> SearchPage:
    """A ``_search`` response as a :class:`SearchPage`."""
    scored = query.sort == "relevance"
    hits = [parse_hit(h, query.include_text, scored) for h in response["hits"]["hits"]]
    aggs = response.get("aggregations") or {}
    facets = {name: _buckets(aggs[name]) for name in FACET_FIELDS} if query.facets else {}
    return SearchPage(total=int(response["hits"]["total"]["value"]), hits=hits, facets=facets)
