"""Index settings and mapping for OpenSearch: analyzers per language group, field types.

The production mapping uses OpenSearch's built-in language analyzers (``english``, ``arabic``,
``cjk``, ...). osmem-server 0.1.6, the in-memory server the tests run against, refuses some of
them (``arabic``, ``dutch``, ``turkish``, ``greek``, the Nordic ones, ``hungarian``,
``romanian``) and cannot stem or drop stop words in a custom analyzer either. The test variant
(:func:`build_index_body` with ``test_variant=True``) therefore indexes those groups, and only
those, pre-analysed: the backend sends the terms the embedded engine makes of the text
(:func:`pre_analyse`: the same Snowball stemmer and stop words), and osmem's ``whitespace``
analyzer only splits them. Never use the test variant against a real cluster.

The built-in analyzers stem with Lucene's algorithms (light stemmers for French, German, ...),
the embedded engine with Snowball: the two backends can differ on words whose stems differ
(English ``terrorism`` finds French ``terrorisme`` here, not in the embedded engine).
"""

from __future__ import annotations

from typing import Any

from search_index.base import MAX_PAGE_DEPTH
from search_index.documents import KEYWORD_FIELDS, MAPPING_VERSION, STD_FIELDS

# Language group -> built-in OpenSearch analyzer.
PRODUCTION_ANALYZERS: dict[str, str] = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "pt": "portuguese",
    "it": "italian",
    "nl": "dutch",
    "ru": "russian",
    "ar": "arabic",
    "tr": "turkish",
    "el": "greek",
    "sv": "swedish",
    "da": "danish",
    "no": "norwegian",
    "fi": "finnish",
    "hu": "hungarian",
    "ro": "romanian",
    "cjk": "cjk",
}
# Groups whose built-in analyzer osmem 0.1.6 refuses. Its custom analyzers are no way out: it
# ignores a `stop` filter, and a `snowball` or `stemmer` filter for Dutch makes every document
# match every phrase. The test variant indexes these groups pre-analysed instead.
OSMEM_REFUSED = ("nl", "tr", "sv", "da", "no", "fi", "hu", "ro", "ar", "el")
PRE_ANALYSED_ANALYZER = "whitespace"
# Stands for a removed stop word in pre-analysed text, so that phrases keep their positions.
# Terms are runs of letters and digits: this is never one.
GAP = "_"
STORED_ONLY = ("title", "title_en", "number", "label", "heading")


def group_analyzers(test_variant: bool = False) -> dict[str, str]:
    """Language group -> analyzer of its ``body_``/``head_`` fields."""
    names = dict(PRODUCTION_ANALYZERS)
    if test_variant:
        names.update(dict.fromkeys(OSMEM_REFUSED, PRE_ANALYSED_ANALYZER))
    return names


def pre_analysed_groups(test_variant: bool) -> tuple[str, ...]:
    """Groups whose fields hold :func:`pre_analyse` output rather than the text itself."""
    return OSMEM_REFUSED if test_variant else ()


def pre_analyse(group: str, text: str) -> str:
    """``text`` as the embedded engine analyses it for ``group``: its terms, space-separated,
    with :data:`GAP` where a stop word (or an over-long word) was removed.

    Used for documents and for query words alike, so a phrase matches where the embedded
    engine's phrase query does, except that a query's inner stop word must face a removed word
    in the document, where the embedded engine accepts any word.
    """
    from search_index.analysis import get_analyzer  # tantivy: only the test variant needs it

    tokens = get_analyzer(group).pre_tokenize(text).tokens
    words: list[str] = []
    for token in tokens:
        words.extend([GAP] * (token.position - tokens[0].position - len(words)))
        words.append(token.text)
    return " ".join(words)


def build_mappings(test_variant: bool = False) -> dict[str, Any]:
    """The field mapping (strict: a field not listed here is an indexing error)."""
    props: dict[str, Any] = {name: {"type": "keyword"} for name in KEYWORD_FIELDS}
    props.update({name: {"type": "text", "index": False} for name in STORED_ONLY})
    props.update(
        {
            "year": {"type": "integer"},
            "order": {"type": "integer"},
            "partial": {"type": "boolean"},
            "current": {"type": "boolean"},
        }
    )
    props.update({name: {"type": "text", "analyzer": "standard"} for name in STD_FIELDS})
    for group, analyzer in group_analyzers(test_variant).items():
        props[f"body_{group}"] = {"type": "text", "analyzer": analyzer}
        props[f"head_{group}"] = {"type": "text", "analyzer": analyzer}
    return {"dynamic": "strict", "_meta": {"mapping_version": MAPPING_VERSION}, "properties": props}


def build_index_body(
    *, test_variant: bool = False, shards: int = 1, replicas: int = 0
) -> dict[str, Any]:
    """Settings and mappings for a new index.

    One shard by default: the corpus is small (well under 10 M provisions) and a single shard
    keeps facet counts exact and BM25 statistics global.
    """
    settings: dict[str, Any] = {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "max_result_window": MAX_PAGE_DEPTH,
    }
    return {"settings": settings, "mappings": build_mappings(test_variant)}
