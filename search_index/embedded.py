"""The default search backend: a tantivy index in the data directory, no server.

Layout under ``<data_dir>/index/``:

- ``gen-000001/``, ``gen-000002/``, ...: one tantivy index per generation;
- ``CURRENT``: a small JSON pointer naming the live generation (and the mapping version it was
  built with), replaced with ``os.replace`` so that readers see the old or the new generation,
  never a half-built one;
- ``.lock``: an ``flock`` held by whoever writes, so that an upsert cannot land in a generation
  that a concurrent rebuild is about to retire.

Readers (in this process or any other) check the pointer before each search and switch when it
changes. A rebuild keeps the previous generation on disk (a reader in another process may still
be on it) and removes older ones.

Search results are cached (LRU, per backend object): counting every facet over a broad query
costs tens of milliseconds at a million provisions, and the same query (with the same filters
and page) is asked again and again. An entry is keyed by the live generation and the signature
of its ``meta.json`` (which every commit, in any process, replaces), so a write anywhere makes
the old entries unreachable; a changed signature also reloads the reader first.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tantivy import Index, Occur, Order, Query, Searcher

from search_index.analysis import register_analyzers
from search_index.base import (
    FACET_FIELDS,
    FACET_SIZE,
    BackendUnavailable,
    ProgressFn,
    SearchHit,
    SearchPage,
    SearchQuery,
    check_mlt_args,
    normalize_filters,
)
from search_index.documents import MAPPING_VERSION, validate_document
from search_index.embedded_schema import (
    CODE_SETS,
    ID_KEY,
    NO_CODES,
    PACKED,
    SCHEMA,
    SET_SEPARATOR,
    SOURCE,
    Packed,
    combine,
    compile_node,
    filter_queries,
    like_query,
    query_filters,
    scope_clauses,
    to_tantivy,
)
from search_index.query import parse_query, positive_leaves
from search_index.snippets import highlight, plain_snippet

log = logging.getLogger("ctlex.search")

POINTER = "CURRENT"
# A rebuild indexes on one thread with a large memory budget (allocated as it fills): a
# million provisions end up in two or three segments instead of a dozen, and every search
# then visits fewer segments (about 15% faster at 250,000 provisions). The documents come
# from Python slower than one thread indexes them, so a second thread would not build faster.
BUILD_HEAP = 1_000_000_000  # bytes
BUILD_THREADS = 1
UPSERT_HEAP = 50_000_000
SORT_FIELDS = {
    "year": ("year", Order.Asc),
    "-year": ("year", Order.Desc),
    "citation": ("citation", Order.Asc),
    "order": ("order", Order.Asc),
}
PROGRESS_EVERY = 1000
CACHE_SIZE = 256  # search pages kept; one is ~20-50 kB
# Exact counts: every shard (segment) reports every value.
TERMS = {"size": FACET_SIZE, "segment_size": FACET_SIZE}
# Distinct code sets counted per facet; above any real number (hundreds), and checked: if a set
# was left out, the facet is counted again over the multi-valued field.
SET_BUCKETS = 65_536
SET_TERMS = {"size": SET_BUCKETS, "segment_size": SET_BUCKETS}


# Hits read past the page end to find where a run of equal scores stops (see _top_by_score).
TIE_MARGIN = 50
PRESENCE_CACHE = 100_000  # (field, term) lookups remembered per commit
# Facet counting runs on these threads while the calling thread finds and renders the hits
# (tantivy releases the GIL); what they have not started when the caller needs it, the caller
# counts itself, so a busy server does the same work as before, never queued behind others.
FACET_WORKERS = 2


@dataclass(frozen=True)
class _Live:
    generation: str
    mapping_version: int
    index: Index


class EmbeddedBackend:
    """Tantivy index directories under ``data_dir/index`` with atomic generation swaps."""

    name = "embedded"

    def __init__(self, data_dir: Path | str, cache_size: int = CACHE_SIZE) -> None:
        self.root = Path(data_dir) / "index"
        self.schema = SCHEMA
        self._live: _Live | None = None
        self._signature: tuple[int, int, int] | None = None
        self._switch = threading.Lock()
        self._cache: OrderedDict[tuple, SearchPage] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()
        self._commit: tuple[str, tuple[int, int, int] | None] | None = None
        self._regions_cache: tuple[tuple, Mapping[str, str] | None] | None = None
        self._presence_cache: tuple[tuple | None, dict[tuple[str, str], bool]] = (None, {})

    # -- generations and the pointer ------------------------------------------------------

    def _pointer_signature(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.root / POINTER)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _open(self, generation: str) -> Index:
        index = Index.open(str(self.root / generation))
        register_analyzers(index)
        return index

    def _current(self) -> _Live | None:
        """The live generation, switching to a new one when the pointer changed."""
        signature = self._pointer_signature()
        if signature == self._signature:
            return self._live
        with self._switch:
            if signature == self._signature:
                return self._live
            if signature is None:
                self._live, self._signature = None, None
                return None
            pointer = json.loads((self.root / POINTER).read_text())
            generation = pointer["generation"]
            if self._live is None or self._live.generation != generation:
                self._live = _Live(generation, pointer["mapping_version"], self._open(generation))
            self._signature = signature
            return self._live

    def _require(self) -> _Live:
        live = self._current()
        if live is None:
            raise BackendUnavailable("no search index has been built yet: run `ctlex reindex`")
        if live.mapping_version != MAPPING_VERSION:
            raise BackendUnavailable(
                f"the search index was built with mapping version {live.mapping_version}, "
                f"this code needs {MAPPING_VERSION}: run `ctlex reindex`"
            )
        return live

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _new_generation(self) -> str:
        numbers = [int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()]
        name = f"gen-{max(numbers, default=0) + 1:06d}"
        (self.root / name).mkdir()
        return name

    def _publish(self, generation: str) -> None:
        tmp = self.root / f"{POINTER}.{os.getpid()}.tmp"
        body = {"generation": generation, "mapping_version": MAPPING_VERSION}
        with open(tmp, "w") as handle:
            json.dump(body, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.root / POINTER)

    def _remove_old(self, keep: set[str]) -> None:
        for path in self.root.glob("gen-*"):
            if path.name not in keep:
                log.info("removing old search index %s", path.name)
                shutil.rmtree(path, ignore_errors=True)

    # -- writing --------------------------------------------------------------------------

    def ensure_index(self) -> None:
        with self._write_lock():
            if self._pointer_signature() is not None:
                return
            generation = self._new_generation()
            index = Index(self.schema, path=str(self.root / generation))
            writer = index.writer(UPSERT_HEAP, 1)
            writer.commit()
            writer.wait_merging_threads()
            self._publish(generation)

    def replace_all(
        self, docs: Iterable[Mapping[str, Any]], progress: ProgressFn | None = None
    ) -> int:
        with self._write_lock():
            previous = self._current()
            generation = self._new_generation()
            try:
                count = self._build(generation, docs, progress)
            except BaseException:
                shutil.rmtree(self.root / generation, ignore_errors=True)
                raise
            self._publish(generation)
            log.info("search index %s is live with %d documents", generation, count)
            self._current()
            self._remove_old({generation} | ({previous.generation} if previous else set()))
        if progress:
            progress(count)
        return count

    def _build(
        self, generation: str, docs: Iterable[Mapping[str, Any]], progress: ProgressFn | None
    ) -> int:
        index = Index(self.schema, path=str(self.root / generation))
        register_analyzers(index)
        writer = index.writer(BUILD_HEAP, BUILD_THREADS)
        seen: set[str] = set()
        try:
            for raw in docs:
                doc = validate_document(raw)
                if doc["id"] in seen:  # the last one wins, as an upsert would
                    writer.delete_documents_by_term("id", doc["id"])
                seen.add(doc["id"])
                writer.add_document(to_tantivy(doc))
                if progress and len(seen) % PROGRESS_EVERY == 0:
                    progress(len(seen))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        return len(seen)

    @contextmanager
    def _writer(self) -> Iterator[Any]:
        with self._write_lock():
            live = self._require()
            writer = live.index.writer(UPSERT_HEAP, 1)
            try:
                yield writer
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
            live.index.reload()

    def index(self, docs: Iterable[Mapping[str, Any]]) -> int:
        count = 0
        with self._writer() as writer:
            for raw in docs:
                doc = validate_document(raw)
                writer.delete_documents_by_term("id", doc["id"])
                writer.add_document(to_tantivy(doc))
                count += 1
        return count

    def delete(self, ids: Iterable[str]) -> None:
        with self._writer() as writer:
            for ident in ids:
                writer.delete_documents_by_term("id", ident)

    def refresh(self) -> None:
        live = self._current()
        if live is not None:
            live.index.reload()

    # -- reading --------------------------------------------------------------------------

    def count(self) -> int:
        """Documents in the live index; 0 when there is none or it needs a rebuild."""
        try:
            return self._require().index.searcher().num_docs
        except BackendUnavailable:
            return 0

    def health(self) -> dict[str, Any]:
        live = self._require()
        return {
            "backend": self.name,
            "generation": live.generation,
            "mapping_version": live.mapping_version,
            "documents": live.index.searcher().num_docs,
            "path": str(self.root),
        }

    def _commit_signature(self, live: _Live) -> tuple[str, tuple[int, int, int] | None]:
        """The live generation and its last commit; reloads the reader when that changed."""
        try:
            st = os.stat(self.root / live.generation / "meta.json")
            commit = (live.generation, (st.st_ino, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            commit = (live.generation, None)
        if commit != self._commit:
            live.index.reload()
            self._commit = commit
        return commit

    def search(self, query: SearchQuery) -> SearchPage:
        if self._cache_size <= 0:
            return self._search(query)
        ast = parse_query(query.q)  # syntax errors are raised, never cached
        key = (self._commit_signature(self._require()), _query_key(query))
        with self._cache_lock:
            page = self._cache.get(key)
            if page is not None:
                self._cache.move_to_end(key)
        if page is None:
            page = self._search(query, ast)
            with self._cache_lock:
                self._cache[key] = page
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return _copy_page(page)

    def _search(self, query: SearchQuery, ast: Any = None) -> SearchPage:
        ast = parse_query(query.q) if ast is None else ast
        live = self._require()
        commit = self._commit_signature(live)  # before the searcher: see _presence
        searcher = live.index.searcher()
        present = self._presence(commit, searcher)
        text = compile_node(ast, present=present)
        scope = scope_clauses(query.as_of)
        filters = query_filters(query)
        main = combine(text, scope, filters.values())
        positive = positive_leaves(ast)
        counting = None
        if query.facets:  # counted on the workers while this thread finds the hits
            # Without a positive word the text matches (nearly) everything: cheap to evaluate.
            matching = compile_node(ast, scoring=False, present=present)
            counting = _FacetCounting(
                searcher,
                matching,
                scope,
                filters,
                everything=not positive,
                regions=self._regions(live.generation, searcher),
            )
        # The facet pass counts the matches anyway: the hit search need not count them too.
        counted = counting is not None and counting.counts_total
        total, found = self._top(searcher, main, query, count=not counted)
        leaves = positive if query.highlight else []
        hits = [self._hit(searcher, score, address, leaves, query) for score, address in found]
        facets = counting.result() if counting is not None else {}
        if counted:
            total = counting.total
            if total is None:  # not expected: count as before rather than answer without one
                total = searcher.search(main, 1, count=True).count
        return SearchPage(total=total, hits=hits, facets=facets)

    def _presence(self, commit: tuple, searcher: Searcher) -> Callable[[str, str], bool]:
        """Whether a field holds a term (in any document, deleted ones included), looked up in
        ``searcher`` and remembered until the next commit.

        ``commit`` is read before the searcher is taken, so the searcher is at least that new:
        a term it finds absent is absent in that commit, and a later commit changes the key.
        """
        with self._cache_lock:
            if self._presence_cache[0] != commit:
                self._presence_cache = (commit, {})
            known = self._presence_cache[1]

        def present(field: str, term: str) -> bool:
            key = (field, term)
            found = known.get(key)
            if found is None:
                if len(known) > PRESENCE_CACHE:
                    known.clear()
                found = known[key] = searcher.doc_freq(field, term) > 0
            return found

        return present

    def _regions(self, generation: str, searcher: Searcher) -> Mapping[str, str] | None:
        """Each country's region, read once per index state (see ``_country_regions``)."""
        key = (generation, searcher.num_docs, searcher.num_segments)
        cached = self._regions_cache
        if cached is None or cached[0] != key:
            cached = self._regions_cache = (key, _country_regions(searcher))
        return cached[1]

    def _top(
        self, searcher: Searcher, main: Query, query: SearchQuery, count: bool = True
    ) -> tuple[int | None, list]:
        """The total (None unless ``count``) and the page's (score, address) pairs."""
        if query.size == 0:  # search(q, 0) panics in tantivy
            return (searcher.search(main, 1, count=True).count if count else None), []
        kwargs: dict[str, Any] = {"offset": query.offset, "count": count}
        if query.sort in SORT_FIELDS:
            kwargs["order_by_field"], kwargs["order"] = SORT_FIELDS[query.sort]
        if query.sort == "relevance":
            return self._top_by_score(searcher, main, query, count)
        result = searcher.search(main, query.size, **kwargs)
        return result.count, [(None, a) for _s, a in result.hits]

    def _top_by_score(
        self, searcher: Searcher, main: Query, query: SearchQuery, count: bool = True
    ) -> tuple[int | None, list]:
        """Best first, equal scores in the order of a stable hash of their ids (``ID_KEY``).

        tantivy breaks ties by its internal document address, which depends on how the index
        was built (threads, segments): the same query could order identical clauses differently
        after a rebuild. Only the runs of equal scores that touch this page are re-sorted, by a
        fast field (no stored document is read); a run longer than ``TIE_MARGIN`` past the page
        end is cut there. (The OpenSearch backend orders ties by id; tie order is not part of
        the contract between the backends, only that it stays the same.)
        """
        end = query.offset + query.size
        result = searcher.search(main, end + TIE_MARGIN, count=count)
        hits = list(result.hits)
        start = 0
        while start < min(end, len(hits)):
            stop = start + 1
            while stop < len(hits) and hits[stop][0] == hits[start][0]:
                stop += 1
            if stop - start > 1 and stop > query.offset:
                run = hits[start:stop]
                keys = searcher.fast_field_values(ID_KEY, [address for _score, address in run])
                order = sorted(range(len(run)), key=keys.__getitem__)
                hits[start:stop] = [run[k] for k in order]
            start = stop
        return result.count, hits[query.offset : end]

    def _hit(  # type: ignore[no-untyped-def]
        self, searcher: Searcher, score, address, leaves, query: SearchQuery
    ) -> SearchHit:
        doc = json.loads(_source(searcher, address))
        text = doc["text"] if query.include_text else doc.pop("text")
        snippet = highlight(text, doc["language"], leaves) if leaves else plain_snippet(text)
        return SearchHit(id=doc["id"], score=score, doc=doc, snippet=snippet)

    def more_like_this(
        self,
        text: str,
        *,
        size: int = 10,
        filters: Mapping[str, Sequence[str]] | None = None,
        exclude_ids: Iterable[str] = (),
    ) -> list[SearchHit]:
        check_mlt_args(text, size)
        normalized = normalize_filters(filters)
        searcher = self._require().index.searcher()
        main = combine(like_query(text), scope_clauses(None), filter_queries(normalized).values())
        excluded = list(exclude_ids)
        if excluded:
            main = Query.boolean_query(
                [
                    (Occur.Must, main),
                    (Occur.MustNot, Query.term_set_query(self.schema, "id", excluded)),
                ]
            )
        result = searcher.search(main, size)
        page = SearchQuery(size=size)
        return [self._hit(searcher, s, a, [], page) for s, a in result.hits]

    def close(self) -> None:
        with self._switch:
            self._live, self._signature = None, None
        with self._cache_lock:
            self._cache.clear()
            self._commit = None


class _Job:
    """A function queued on the shared workers that its owner may still run itself."""

    def __init__(self, future: Future, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.future, self.fn, self.args = future, fn, args

    def result(self) -> Any:
        """The job's result; run here when no worker has started it yet (work stealing)."""
        if self.future.cancel():
            return self.fn(*self.args)
        return self.future.result()


class _Workers:
    """A small shared thread pool whose queued jobs their submitter takes back when it is ready
    for their results: a search never waits behind other searches' queued counting."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    def submit(self, fn: Callable[..., Any], *args: Any) -> _Job:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self._size, "ctlex-facets")
            executor = self._executor
        return _Job(executor.submit(fn, *args), fn, args)

    def forget(self) -> None:
        """In a forked child: the parent's threads do not exist here, start afresh."""
        self._lock, self._executor = threading.Lock(), None


_WORKERS = _Workers(FACET_WORKERS)
os.register_at_fork(after_in_child=_WORKERS.forget)


class _FacetCounting:
    """Each facet under every filter but its own; facets without a filter share one pass.

    Facets fall in groups by the query they are counted under: ``text`` (compiled to count,
    not to score) under every filter for the facets without a filter, and for each filtered
    facet the same without its own filter. Each group is one
    terms aggregation, that is one evaluation of its query, started on the shared workers as
    soon as the object is made. Multi-valued code lists are counted through their single-valued
    code sets (``CODE_SETS``) and split, which gives the same counts for a fraction of the cost.

    A group whose query is (nearly) every current document (browsing without a query or with
    only NOT words, the facet of the only filter) counts its code lists from their postings
    instead, in a second job: an aggregation there visits a million documents, the postings of
    some thirty codes are shorter (at a million provisions, browsing went from 19 to about 10 ms
    of counting).
    """

    def __init__(
        self,
        searcher: Searcher,
        text: Query,
        scope: Sequence[Any],
        filters: Mapping[str, Query],
        everything: bool = False,
        regions: Mapping[str, str] | None = None,
    ) -> None:
        # Counted under the same query as the countries, regions are their sums: one facet
        # column less to read per matching document (about a tenth of the counting).
        self.regions = regions if "country" not in filters and "region" not in filters else None
        owners: dict[str | None, list[str]] = {}
        for name in FACET_FIELDS:
            if not (name == "region" and self.regions is not None):
                owners.setdefault(name if name in filters else None, []).append(name)
        self.jobs: list[_Job] = []
        # The group under the whole query counts every match once in a packed column.
        self.counts_total = bool(_packed_groups(owners.get(None, [])))
        self.total: int | None = None
        for own, names in owners.items():
            others = [q for key, q in filters.items() if key != own]
            query = combine(text, scope, others)
            lists = [n for n in names if FACET_FIELDS[n] in CODE_SETS]
            if everything and not others and lists:
                names = [n for n in names if n not in lists]
                self.jobs.append(_WORKERS.submit(_postings, searcher, query, lists))
            if names:
                self.jobs.append(_WORKERS.submit(_aggregate, searcher, query, names))

    def result(self) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {}
        for job in self.jobs:
            facets.update(job.result())
        self.total = facets.pop(TOTAL, None)
        if self.regions is not None:
            regions = self.regions
            pairs = ((regions.get(country, ""), n) for country, n in facets["country"].items())
            facets["region"] = _counts(pairs)
        return {name: facets[name] for name in FACET_FIELDS}


def _country_regions(searcher: Searcher) -> dict[str, str] | None:
    """Country -> region over the whole index, or None unless each country has one region
    (or none) on all its documents: only then are region counts sums of country counts."""
    request = {
        "c": {"terms": {"field": "country", **TERMS}, "aggs": {"r": {"terms": {"field": "region"}}}}
    }
    result = searcher.aggregate(Query.all_query(), request)["c"]
    if result.get("sum_other_doc_count"):
        return None
    regions = {}
    for bucket in result["buckets"]:
        inner = bucket["r"]["buckets"]
        if len(inner) > 1 or (inner and inner[0]["doc_count"] != bucket["doc_count"]):
            return None
        regions[_key(bucket["key"])] = _key(inner[0]["key"]) if inner else ""
    return regions


def _packed_groups(names: list[str]) -> list[tuple[Packed, list[str]]]:
    """The packed keywords worth reading for ``names``: those holding two or more of them."""
    groups = []
    for packed in PACKED:
        members = [n for n in names if FACET_FIELDS[n] in packed.parts]
        if len(members) >= 2:
            groups.append((packed, members))
    return groups


def _aggregate(searcher: Searcher, query: Query, names: list[str]) -> dict[str, dict[str, int]]:
    """The facets ``names`` under ``query``, in one aggregation (one pass over its matches)."""
    groups = _packed_groups(names)
    packed_names = {n for _packed, members in groups for n in members}
    request: dict[str, Any] = {
        packed.field: {"terms": {"field": packed.field, **SET_TERMS}} for packed, _ in groups
    }
    for name in names:
        if name in packed_names:
            continue
        field = FACET_FIELDS[name]
        if field in CODE_SETS:
            request[name] = {"terms": {"field": CODE_SETS[field], **SET_TERMS}}
        else:
            request[name] = {"terms": {"field": field, **TERMS}}
    result = searcher.aggregate(query, request)
    out = {}
    for packed, members in groups:
        counted = result[packed.field]
        buckets, other = counted["buckets"], counted.get("sum_other_doc_count")
        out[TOTAL] = sum(int(b["doc_count"]) for b in buckets) + int(other or 0)
        if other:  # more combinations than buckets: count the members apart
            out.update(_aggregate(searcher, query, members[:1]))
            out.update(_aggregate(searcher, query, members[1:]))
        else:
            out.update(_split_packed(buckets, packed, members))
    for name in names:
        if name in packed_names:
            continue
        buckets = result[name]["buckets"]
        pairs = ((b["key"], b["doc_count"]) for b in buckets)
        if FACET_FIELDS[name] in CODE_SETS:
            if result[name].get("sum_other_doc_count"):  # more sets than buckets: count codes
                request = {name: {"terms": {"field": FACET_FIELDS[name], **TERMS}}}
                buckets = searcher.aggregate(query, request)[name]["buckets"]
                pairs = ((b["key"], b["doc_count"]) for b in buckets)
            else:
                pairs = _split_sets(buckets)
        out[name] = _counts(pairs)
    return out


def _postings(searcher: Searcher, query: Query, names: list[str]) -> dict[str, dict[str, int]]:
    """Facets counted per value: the documents of each value's postings that match ``query``."""
    return {
        name: _counts(searcher.terms_with_prefix(FACET_FIELDS[name], "", filter_query=query))
        for name in names
    }


TOTAL = "\x00total"  # in an aggregation's facets: the matches it counted (see Packed)


def _split_packed(
    buckets: Iterable[Mapping[str, Any]], packed: Packed, names: list[str]
) -> dict[str, dict[str, int]]:
    """Counts per value of each facet in ``names`` from counts per ``packed`` keyword."""
    columns = [packed.parts.index(FACET_FIELDS[name]) for name in names]
    counts: list[dict[str, int]] = [{} for _ in names]
    separator = packed.separator
    for bucket in buckets:  # summed in place: a few hundred buckets on every search
        parts, n = bucket["key"].split(separator), int(bucket["doc_count"])
        for out, column in zip(counts, columns, strict=True):
            value = parts[column]
            if not packed.sets:
                out[value] = out.get(value, 0) + n
            elif value != NO_CODES:
                for code in value.split(SET_SEPARATOR):
                    out[code] = out.get(code, 0) + n
    return {name: _ordered(out) for name, out in zip(names, counts, strict=True)}


def _split_sets(buckets: Iterable[Mapping[str, Any]]) -> Iterator[tuple[str, int]]:
    """Documents per code from documents per code set."""
    for bucket in buckets:
        if bucket["key"] != NO_CODES:
            for code in bucket["key"].split(SET_SEPARATOR):
                yield code, bucket["doc_count"]


def _source(searcher: Searcher, address: Any) -> bytes:
    return searcher.doc(address)[SOURCE][0]


def _query_key(query: SearchQuery) -> tuple:
    filters = tuple(sorted((k, tuple(v)) for k, v in query.filters.items()))
    return (
        query.q,
        filters,
        query.year_from,
        query.year_to,
        query.as_of,
        query.page,
        query.size,
        query.sort,
        query.facets,
        query.highlight,
        query.include_text,
    )


def _copy_page(page: SearchPage) -> SearchPage:
    """A copy that callers may change without changing the cached page."""
    hits = [
        SearchHit(
            id=h.id,
            score=h.score,
            doc={k: list(v) if isinstance(v, list) else v for k, v in h.doc.items()},
            snippet=h.snippet,
        )
        for h in page.hits
    ]
    return SearchPage(
        total=page.total, hits=hits, facets={k: dict(v) for k, v in page.facets.items()}
    )


def _counts(pairs: Iterable[tuple[Any, int]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key, count in pairs:
        name = key if type(key) is str else _key(key)
        counts[name] = counts.get(name, 0) + int(count)
    return _ordered(counts)


def _ordered(counts: dict[str, int]) -> dict[str, int]:
    """Facet counts most frequent first (then by value), without empty values and zeros."""
    counts.pop("", None)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {key: n for key, n in ranked if n}


def _key(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
