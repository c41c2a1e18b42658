"""The search document: its fields, their checks, and the text fields derived for analysis.

A search document is a flat dict built from SQL rows elsewhere (``app.services.indexing``).
Both backends index it the same way: the raw text in a language-neutral field (``text``),
the provision's label and heading in ``meta``, and copies of the text and heading in one field
per language group (``body_en``, ``head_en``, ...) analysed with that language's stemmer.

A provision matches a query through its own words only: the title of its act (and the citation,
which repeats it) is stored and shown but not searched. Users search for provisions, not whole
acts. With titles searched, ``terrorism`` matched every provision of every act with the word in
its title ("Short title", "Commencement", ...): 4,363 provisions of the bundled corpus, of which
530 use the word in their own text or heading; every facet count was swollen the same way, and
``terrorisme`` ranked a "Titre abrégé" first. An act is found by its title with
``/api/documents?title=``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

# Bump when the fields or their analysis change: an index built by another version is refused
# for writes and reported by health() until `ctlex reindex` rebuilds it.
MAPPING_VERSION = 6

STATUSES = ("official", "official_translation", "unofficial", "bill", "extract")
OPEN_END = "9999-12-31"

# field -> accepted Python types (None allowed only where listed).
DOC_FIELDS: Mapping[str, tuple[type, ...]] = {
    "id": (str,),
    "document_id": (str,),
    "version_id": (str,),
    "country": (str,),
    "region": (str,),
    "subregion": (str,),
    "language": (str,),
    "doc_type": (str,),
    "year": (int, type(None)),
    "status": (str,),
    "partial": (bool,),
    "title": (str,),
    "title_en": (str,),
    "citation": (str,),
    "kind": (str,),
    "number": (str,),
    "label": (str,),
    "heading": (str,),
    "text": (str,),
    "offences": (list, tuple),
    "instruments": (list, tuple),
    "order": (int,),
    "version_date": (str,),
    "valid_from": (str,),
    "valid_to": (str,),
    "current": (bool,),
}
KEYWORD_FIELDS = (
    "id",
    "document_id",
    "version_id",
    "country",
    "region",
    "subregion",
    "language",
    "doc_type",
    "status",
    "kind",
    "offences",
    "instruments",
    "citation",
    "version_date",
    "valid_from",
    "valid_to",
)

# Filter key (API name) -> document field. Values are OR-ed within a key, AND-ed across keys.
FILTER_FIELDS: Mapping[str, str] = {
    "country": "country",
    "region": "region",
    "instrument": "instruments",
    "offence": "offences",
    "language": "language",
    "doc_type": "doc_type",
    "status": "status",
    "document_id": "document_id",
}
# Facet name -> document field; each facet is counted under all the other filters.
FACET_FIELDS: Mapping[str, str] = {
    "country": "country",
    "region": "region",
    "instrument": "instruments",
    "offence": "offences",
    "language": "language",
    "doc_type": "doc_type",
    "year": "year",
}

# ISO 639-1 -> analysis group. Each group has a stemmer in both engines (tantivy's Snowball
# stemmers, OpenSearch's language analyzers); "cjk" is bigram-analysed. Other languages are
# searched through the language-neutral fields only.
LANGUAGE_GROUPS: Mapping[str, str] = {
    "en": "en",
    "fr": "fr",
    "de": "de",
    "es": "es",
    "pt": "pt",
    "it": "it",
    "nl": "nl",
    "ru": "ru",
    "ar": "ar",
    "tr": "tr",
    "el": "el",
    "sv": "sv",
    "da": "da",
    "no": "no",
    "nb": "no",
    "nn": "no",
    "fi": "fi",
    "hu": "hu",
    "ro": "ro",
    "zh": "cjk",
    "ja": "cjk",
    "ko": "cjk",
}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(LANGUAGE_GROUPS.values()))
STD_FIELDS = ("text", "meta")  # language-neutral: lower-cased words, no stemming
SEARCH_FIELDS: tuple[str, ...] = (
    *STD_FIELDS,
    *(f"body_{g}" for g in GROUPS),
    *(f"head_{g}" for g in GROUPS),
)
PREFIX_FIELDS = STD_FIELDS  # prefixes match surface words, not stems
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_iso_date(value: str, name: str) -> str:
    """Return ``value`` if it is a ``YYYY-MM-DD`` date, else raise ValueError naming ``name``."""
    if isinstance(value, str) and _valid_date(value):
        return value
    raise ValueError(f"{name} must be an ISO date YYYY-MM-DD, got {value!r}")


@lru_cache(maxsize=65536)
def _valid_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def group_for_language(language: str | None) -> str | None:
    """The analysis group of an ISO 639-1 code (``zh-cn`` -> ``cjk``), or None."""
    if not language:
        return None
    primary = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return LANGUAGE_GROUPS.get(primary)


def validate_document(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Check a search document and return a normalised copy.

    Raises:
        ValueError: on a missing or unknown key, or a value of the wrong type or form.
    """
    missing = [k for k in DOC_FIELDS if k not in doc]
    extra = [k for k in doc if k not in DOC_FIELDS]
    ident = doc.get("id", "?")
    if missing or extra:
        raise ValueError(f"search document {ident!r}: missing keys {missing}, unknown keys {extra}")
    out: dict[str, Any] = {}
    for key, types in DOC_FIELDS.items():
        value = doc[key]
        # bool is an int subclass: refuse it where an int is meant.
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            raise ValueError(f"search document {ident!r}: {key} has type {type(value).__name__}")
        out[key] = value
    if not out["id"]:
        raise ValueError("search document without an id")
    for key in ("offences", "instruments"):
        if not all(isinstance(v, str) for v in out[key]):
            raise ValueError(f"search document {ident!r}: {key} must be a list of strings")
        out[key] = list(dict.fromkeys(out[key]))
    if out["status"] not in STATUSES:
        raise ValueError(f"search document {ident!r}: status must be one of {STATUSES}")
    check_iso_date(out["valid_from"], "valid_from")
    check_iso_date(out["valid_to"], "valid_to")
    if out["version_date"]:
        check_iso_date(out["version_date"], "version_date")
    return out


def derived_text_fields(doc: Mapping[str, Any]) -> dict[str, list[str]]:
    """The analysed copies of a validated document's text: ``meta``, ``body_<g>``, ``head_<g>``.

    ``text`` itself is indexed as it is (language-neutral analysis) and is not repeated here.
    """
    out: dict[str, list[str]] = {}
    meta = [doc[k] for k in ("label", "heading") if doc[k]]
    if meta:
        out["meta"] = meta
    group = group_for_language(doc["language"])
    if group:
        if doc["text"]:
            out[f"body_{group}"] = [doc["text"]]
        if doc["heading"]:
            out[f"head_{group}"] = [doc["heading"]]
    return out


def date_number(value: str) -> int:
    """``2019-04-12`` -> ``20190412`` (an order-preserving integer for range queries)."""
    return int(value.replace("-", ""))
