"""The search backend protocol, the values it takes and returns, its errors and its limits.

Both backends (``embedded`` tantivy and ``opensearch``) implement :class:`SearchBackend` and are
held to the same contract by ``tests/search/test_contract.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from search_index.documents import FACET_FIELDS as FACET_FIELDS  # re-exported for callers
from search_index.documents import FILTER_FIELDS, check_iso_date

# Limits. They bound the work one request can cause (a query is parsed and expanded into one
# clause per word and per language field, facets are counted over every hit).
MAX_QUERY_LENGTH = 1000  # characters of `q`
MAX_CLAUSES = 64  # words, phrases and prefixes in one query
MAX_DEPTH = 16  # nesting of parentheses and NOT
MAX_SIZE = 100  # hits per page
MAX_PAGE_DEPTH = 10_000  # page * size; OpenSearch's default max_result_window
MAX_FILTER_VALUES = 100  # values of one filter key
MAX_MLT_TEXT = 20_000  # characters of a more-like-this text
FACET_SIZE = 5_000  # values counted per facet; above every facet's cardinality, so counts are exact
SNIPPET_CHARS = 240  # visible characters of a snippet

SORTS = ("relevance", "year", "-year", "citation", "order")


class SearchError(Exception):
    """Base of the errors a backend raises on purpose."""


class QuerySyntaxError(SearchError):
    """The query string cannot be parsed; ``position`` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


class BackendUnavailable(SearchError):
    """The search engine cannot answer: server down, index missing or built by older code."""


def normalize_filters(filters: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    """Check filter keys and values; drop keys without values.

    Raises:
        ValueError: on an unknown key (the message lists the valid ones) or bad values.
    """
    result: dict[str, tuple[str, ...]] = {}
    for key, values in (filters or {}).items():
        if key not in FILTER_FIELDS:
            valid = ", ".join(FILTER_FIELDS)
            raise ValueError(f"unknown filter {key!r}; valid filters are: {valid}")
        vals = (values,) if isinstance(values, str) else tuple(values)
        if len(vals) > MAX_FILTER_VALUES:
            raise ValueError(f"filter {key!r} has more than {MAX_FILTER_VALUES} values")
        for v in vals:
            if not isinstance(v, str):
                raise ValueError(f"filter {key!r} values must be strings, got {v!r}")
        if vals:
            result[key] = tuple(dict.fromkeys(vals))
    return result


@dataclass(frozen=True)
class SearchQuery:
    """One search request.

    Attributes:
        q: full-text query (see ``search_index.query``); empty matches everything.
        filters: filter key -> accepted values (OR within a key, AND across keys).
        year_from, year_to: inclusive bounds on the document year (documents without a year
            are excluded when either is set).
        as_of: ISO date; matches versions valid on that day (valid_from <= as_of < valid_to).
            None searches current versions only.
        page, size: 1-based page; size 0 returns only the total and the facets.
        sort: relevance, year, -year, citation or order.
        facets, highlight: compute facet counts / highlighted snippets.
        include_text: keep ``text`` in each hit's ``doc``.
    """

    q: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    as_of: str | None = None
    page: int = 1
    size: int = 20
    sort: str = "relevance"
    facets: bool = True
    highlight: bool = True
    include_text: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.q, str):
            raise ValueError("q must be a string")
        object.__setattr__(self, "filters", normalize_filters(self.filters))
        for name in ("year_from", "year_to"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"{name} must be an integer year")
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise ValueError("year_from must not be after year_to")
        if self.as_of is not None:
            check_iso_date(self.as_of, "as_of")
        if self.page < 1:
            raise ValueError("page must be 1 or more")
        if not 0 <= self.size <= MAX_SIZE:
            raise ValueError(f"size must be between 0 and {MAX_SIZE}")
        if self.page * self.size > MAX_PAGE_DEPTH:
            raise ValueError(
                f"page * size must not exceed {MAX_PAGE_DEPTH}: narrow the query or the filters"
            )
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}; valid sorts are: {', '.join(SORTS)}")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


@dataclass(frozen=True)
class SearchHit:
    """One matching provision.

    ``doc`` holds the stored search document without ``text`` (unless asked for); ``snippet``
    is HTML-escaped text with matches wrapped in ``<mark>``; ``score`` is None when the results
    are sorted by a field.
    """

    id: str
    score: float | None
    doc: dict[str, Any]
    snippet: str = ""


@dataclass(frozen=True)
class SearchPage:
    """A page of hits, the total number of matches and facet counts (value -> count)."""

    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]


ProgressFn = Callable[[int], None]


@runtime_checkable
class SearchBackend(Protocol):
    """What the application needs from a search engine."""

    name: str

    def ensure_index(self) -> None:
        """Create an empty index if there is none (idempotent)."""

    def replace_all(
        self, docs: Iterable[Mapping[str, Any]], progress: ProgressFn | None = None
    ) -> int:
        """Build a fresh index from ``docs`` and swap it in atomically; returns the count.

        Searches made during the build keep answering from the previous index.
        """

    def index(self, docs: Iterable[Mapping[str, Any]]) -> int:
        """Insert or replace documents by id; returns how many were written."""

    def delete(self, ids: Iterable[str]) -> None:
        """Delete documents by id (unknown ids are ignored)."""

    def refresh(self) -> None:
        """Make every write so far visible to searches."""

    def count(self) -> int:
        """Number of documents in the live index (all versions)."""

    def search(self, query: SearchQuery) -> SearchPage:
        """Run a query. Raises QuerySyntaxError, BackendUnavailable."""

    def more_like_this(
        self,
        text: str,
        *,
        size: int = 10,
        filters: Mapping[str, Sequence[str]] | None = None,
        exclude_ids: Iterable[str] = (),
    ) -> list[SearchHit]:
        """Current provisions whose wording resembles ``text``."""

    def health(self) -> dict[str, Any]:
        """Details about the live index; raises BackendUnavailable when it cannot answer."""

    def close(self) -> None:
        """Release files, threads and connections."""


def check_mlt_args(text: str, size: int) -> None:
    """Validate more_like_this arguments (shared by both backends)."""
    if not isinstance(text, str):
        raise ValueError("text must be a string")
    if len(text) > MAX_MLT_TEXT:
        raise ValueError(f"text must not exceed {MAX_MLT_TEXT} characters")
    if not 1 <= size <= MAX_SIZE:
        raise ValueError(f"size must be between 1 and {MAX_SIZE}")
