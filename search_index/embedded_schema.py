"""The tantivy schema, search documents as tantivy documents, and queries compiled for tantivy."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tantivy import Document, FieldType, Occur, Query, Schema, SchemaBuilder

from search_index.analysis import (
    CJK,
    analyze,
    cjk_spans,
    field_analyzer,
    needs_pretokenizing,
    pretokenized,
    tokenizer_name,
)
from search_index.base import SearchQuery
from search_index.documents import (
    FILTER_FIELDS,
    PREFIX_FIELDS,
    SEARCH_FIELDS,
    date_number,
    derived_text_fields,
)
from search_index.query import And, MatchAll, Node, Not, Or, Phrase, Prefix, Word, contains_cjk

SOURCE = "_source"  # the whole search document as JSON, stored, not indexed
KEYWORDS = (
    "id",
    "document_id",
    "country",
    "region",
    "language",
    "doc_type",
    "status",
    "offences",
    "instruments",
    "citation",
)
INTEGERS = ("year", "order", "valid_from", "valid_to")
# Multi-valued keyword fields -> a single-valued copy holding the document's whole set of codes
# ("financing|training"). A terms aggregation over a multi-valued fast field costs ~60 ns per
# matching document; over a single-valued one a few ns: facets count the sets and split them.
CODE_SETS = {"offences": "offence_set", "instruments": "instrument_set"}
SET_SEPARATOR = "|"
NO_CODES = "-"
ID_KEY = "id_key"  # see id_key()


@dataclass(frozen=True)
class Packed:
    """Facet fields with few distinct combinations copied into one keyword ("en\x1fact\x1f2000"):
    facets read one column per matching document instead of one per field, and split the
    counts. Every document has exactly one value, so the counts also sum to the matches."""

    field: str
    parts: tuple[str, ...]  # search-document fields, in the keyword's order
    separator: str
    sets: bool = False  # each part is a code set (``code_set``), not a single value

    def key(self, doc: Mapping[str, Any]) -> str:
        if self.sets:
            return self.separator.join(code_set(doc[name]) for name in self.parts)
        return self.separator.join("" if doc.get(n) is None else str(doc[n]) for n in self.parts)


PACKED = (
    Packed("facet_combo", ("language", "doc_type", "year"), "\x1f"),
    # a few hundred distinct (offences, instruments) pairs in the corpus
    Packed("code_pair", tuple(CODE_SETS), "\x1e", sets=True),
)
TIE_BREAKER = 0.1  # dis_max over fields, as OpenSearch's multi_match best_fields
MLT_TERMS = 25  # words (or CJK bigrams) a more-like-this query keeps


def build_schema() -> Schema:
    """Keywords (raw, fast: filters, facets, sort), integers, analysed text, the stored source."""
    sb = SchemaBuilder()
    for name in (*KEYWORDS, *CODE_SETS.values(), *(packed.field for packed in PACKED)):
        sb.add_text_field(name, fast=True, tokenizer_name="raw")
    for name in INTEGERS:
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_boolean_field("current", indexed=True, fast=True)
    sb.add_unsigned_field(ID_KEY, fast=True)
    for name in SEARCH_FIELDS:
        analyzer = field_analyzer(name)
        # CJK fields are indexed pre-tokenized; their tokenizer only matters for re-analysis.
        sb.add_text_field(
            name, tokenizer_name=tokenizer_name("std" if analyzer == CJK else analyzer)
        )
    sb.add_bytes_field(SOURCE, stored=True)
    return sb.build()


SCHEMA = build_schema()


def to_tantivy(doc: Mapping[str, Any]) -> Document:
    """A validated search document as a tantivy document."""
    out = Document()
    for name in KEYWORDS:
        for value in doc[name] if isinstance(doc[name], list) else (doc[name],):
            out.add_text(name, value)
    for name, set_name in CODE_SETS.items():
        out.add_text(set_name, code_set(doc[name]))
    for packed in PACKED:
        out.add_text(packed.field, packed.key(doc))
    out.add_unsigned(ID_KEY, id_key(doc["id"]))
    if doc["year"] is not None:
        out.add_integer("year", doc["year"])
    out.add_integer("order", doc["order"])
    out.add_integer("valid_from", date_number(doc["valid_from"]))
    out.add_integer("valid_to", date_number(doc["valid_to"]))
    out.add_boolean("current", doc["current"])
    fields = derived_text_fields(doc)
    if doc["text"]:
        fields["text"] = [doc["text"]]
    for name, values in fields.items():
        analyzer = field_analyzer(name)
        for value in values:
            if needs_pretokenizing(analyzer, value):
                out.add_pre_tokenized_text(name, pretokenized(analyzer, value))
            else:
                out.add_text(name, value)
    out.add_bytes(SOURCE, json.dumps(doc, ensure_ascii=False).encode())
    return out


def id_key(doc_id: str) -> int:
    """A stable 64-bit hash of a document id: orders equal scores without reading documents."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=8).digest(), "big")


def code_set(codes: Iterable[str]) -> str:
    """The single keyword standing for a set of codes (sorted, so equal sets are equal).

    The empty set has a keyword too: a value in every document keeps the column dense, which
    tantivy reads faster than a column that documents may lack.
    """
    return SET_SEPARATOR.join(sorted(codes)) or NO_CODES


def _all_of(queries: Iterable[Query], negated: Iterable[Query] = ()) -> Query:
    must = [(Occur.Must, q) for q in queries]
    must_not = [(Occur.MustNot, q) for q in negated]
    if not must:  # tantivy's boolean query matches nothing without a positive clause
        must = [(Occur.Must, Query.all_query())]
    return Query.boolean_query(must + must_not)


# Whether a field of the searched index holds a term: a word or phrase is only looked for in the
# fields that hold all its terms (see ``_text_query``).
Presence = Callable[[str, str], bool]


@lru_cache(maxsize=4096)
def _field_terms(text: str) -> tuple[tuple[str, tuple[tuple[int, str], ...]], ...]:
    """Each search field with the terms it analyses ``text`` into (fields keeping none left out)."""
    out = []
    for name in SEARCH_FIELDS:
        terms = analyze(field_analyzer(name), text)
        if terms:
            out.append((name, terms))
    return tuple(out)


def _text_query(text: str, scoring: bool = True, present: Presence | None = None) -> Query:
    """A word or phrase in any search field, each field analysing it its own way.

    Scored, the fields are combined as OpenSearch's best_fields (dis_max); for counting only
    (facets), as a plain union, which matches the same documents about 15% faster.

    With ``present``, a field lacking one of the terms is left out: it cannot match, but
    tantivy would still set up its scorer in every segment. Of the 38 search fields a word
    usually occurs in a handful; a phrase over all of them cost 4.3 ms at a million provisions
    where the fields that hold both words cost 1.5.
    """
    per_field = []
    for name, terms in _field_terms(text):
        if present is not None and not all(present(name, term) for _, term in terms):
            continue
        if len(terms) == 1:
            per_field.append(Query.term_query(SCHEMA, name, terms[0][1]))
        else:
            per_field.append(Query.phrase_query(SCHEMA, name, list(terms)))
    if not per_field:  # only stop words, nothing a field keeps, or in no document
        return Query.empty_query()
    if not scoring:
        return Query.boolean_query([(Occur.Should, q) for q in per_field])
    return Query.disjunction_max_query(per_field, TIE_BREAKER)


@lru_cache(maxsize=1024)
def _prefix_query(prefix: str) -> Query:
    pattern = re.escape(prefix.lower()) + ".*"
    return Query.disjunction_max_query(
        [Query.regex_query(SCHEMA, name, pattern) for name in PREFIX_FIELDS], TIE_BREAKER
    )


def compile_node(node: Node, scoring: bool = True, present: Presence | None = None) -> Query:
    """The tantivy query for a parsed full-text query (``scoring=False``: to count matches;
    ``present``: which fields hold a term, to skip those that cannot match)."""
    if isinstance(node, Word | Phrase):
        return _text_query(node.text, scoring, present)
    if isinstance(node, Prefix):
        return _prefix_query(node.text)
    if isinstance(node, And):
        children = node.children
        positive = [compile_node(c, scoring, present) for c in children if not isinstance(c, Not)]
        negative = [compile_node(c.child, scoring, present) for c in children if isinstance(c, Not)]
        return _all_of(positive, negative)
    if isinstance(node, Or):
        return Query.boolean_query(
            [(Occur.Should, compile_node(c, scoring, present)) for c in node.children]
        )
    if isinstance(node, Not):
        return _all_of([], [compile_node(node.child, scoring, present)])
    if isinstance(node, MatchAll):
        return Query.all_query()
    raise TypeError(f"unknown query node {node!r}")


Clause = tuple[Occur, Query]


def scope_clauses(as_of: str | None) -> list[Clause]:
    """Current versions, or the versions valid on ``as_of``, as clauses that do not score.

    "Current" is asked as "not superseded": a must-not over the few superseded versions costs a
    seek per candidate into a short list, where a must over ``current`` would seek into a list
    of nearly every document (a third of a one-word query's time at a million provisions).
    """
    if as_of is None:
        return [(Occur.MustNot, Query.term_query(SCHEMA, "current", False))]
    day = date_number(as_of)
    valid = _all_of(
        [
            Query.range_query(SCHEMA, "valid_from", FieldType.Integer, upper_bound=day),
            Query.range_query(
                SCHEMA, "valid_to", FieldType.Integer, lower_bound=day, include_lower=False
            ),
        ]
    )
    return [(Occur.Must, Query.const_score_query(valid, 0.0))]


def filter_queries(
    filters: Mapping[str, tuple[str, ...]],
    year_from: int | None = None,
    year_to: int | None = None,
) -> dict[str, Query]:
    """One query per active filter key (``year`` for the year range)."""
    out = {
        key: Query.term_set_query(SCHEMA, FILTER_FIELDS[key], list(values))
        for key, values in filters.items()
    }
    if year_from is not None or year_to is not None:
        out["year"] = Query.range_query(
            SCHEMA, "year", FieldType.Integer, lower_bound=year_from, upper_bound=year_to
        )
    return out


def combine(text: Query, scope: Sequence[Clause], filters: Iterable[Query]) -> Query:
    """Text AND scope AND filters; filters and scope do not change scores."""
    clauses = [(Occur.Must, text), *scope]
    clauses += [(Occur.Must, Query.const_score_query(f, 0.0)) for f in filters]
    return Query.boolean_query(clauses)


def query_filters(query: SearchQuery) -> dict[str, Query]:
    return filter_queries(query.filters, query.year_from, query.year_to)


def like_query(text: str) -> Query:
    """Documents sharing the most telling words of ``text``."""
    if contains_cjk(text):
        # tantivy's more-like-this would cut CJK text with the field's simple tokenizer, which
        # keeps a run of Han characters whole: ask for the text's commonest bigrams instead.
        common = Counter(term for term, _, _ in cjk_spans(text)).most_common(MLT_TERMS)
        terms = [Query.term_query(SCHEMA, "body_cjk", term) for term, _ in common]
        return Query.boolean_query([(Occur.Should, q) for q in terms])
    return Query.more_like_this_document_fields_query(
        SCHEMA,
        {"text": [text]},
        min_doc_frequency=1,
        min_term_frequency=1,
        max_query_terms=MLT_TERMS,
        min_word_length=3,
    )
