"""The OpenSearch backend: an alias over one concrete index per build, swapped atomically.

``index_name`` (default ``ctlex-provisions``) is an alias. Each build creates
``<alias>-v<mapping version>-<timestamp>``, fills and refreshes it, then moves the alias in one
``update_aliases`` call and deletes the index it replaced: searches see the old index or the
new one, never a half-built one. Writes are not refreshed implicitly: call :meth:`refresh`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import NotFoundError, TransportError

from search_index.base import (
    BackendUnavailable,
    ProgressFn,
    SearchHit,
    SearchPage,
    SearchQuery,
    check_mlt_args,
    normalize_filters,
)
from search_index.documents import MAPPING_VERSION, derived_text_fields, validate_document
from search_index.opensearch.mappings import build_index_body, pre_analyse, pre_analysed_groups
from search_index.opensearch.queries import build_mlt_body, build_search_body, parse_hit, parse_page
from search_index.query import parse_query

log = logging.getLogger("ctlex.search")

CHUNK = 500  # documents per bulk request
VERSION_CHECK_SECONDS = 30.0


class OpenSearchBackend:
    """Search through opensearch-py against an OpenSearch (or compatible) server."""

    name = "opensearch"

    def __init__(
        self,
        url: str,
        *,
        index_name: str = "ctlex-provisions",
        test_mapping: bool = False,
        timeout: float = 10.0,
        client: OpenSearch | None = None,
    ) -> None:
        """
        Args:
            url: server URL, e.g. ``http://127.0.0.1:9200``.
            index_name: the alias searched and moved on rebuild.
            test_mapping: use the osmem-compatible analyzers (tests only, see ``mappings``).
            timeout: seconds per request.
            client: an already configured client (authentication, TLS), instead of ``url``.
        """
        self.url = url
        self.alias = index_name
        self.test_mapping = test_mapping
        self.pre_analysed = pre_analysed_groups(test_mapping)
        self.client = client or OpenSearch(
            hosts=[url], timeout=timeout, max_retries=1, retry_on_timeout=False
        )
        self._version_checked = 0.0

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Connection problems and server-side unavailability -> BackendUnavailable."""
        try:
            yield
        except OSConnectionError as exc:
            raise BackendUnavailable(f"OpenSearch at {self.url} is unreachable ({exc})") from exc
        except NotFoundError as exc:
            if getattr(exc, "error", "") == "index_not_found_exception":
                raise BackendUnavailable(
                    f"OpenSearch has no index {self.alias!r}: run `ctlex reindex`"
                ) from exc
            raise
        except TransportError as exc:
            if exc.status_code in (429, 502, 503, 504):
                raise BackendUnavailable(
                    f"OpenSearch at {self.url} answered {exc.status_code}"
                ) from exc
            raise

    # -- indices and the alias ------------------------------------------------------------

    def _aliased(self) -> list[str]:
        """Concrete indices the alias points to (empty when it does not exist)."""
        if not self.client.indices.exists_alias(name=self.alias):
            return []
        return sorted(self.client.indices.get_alias(name=self.alias))

    def _create(self) -> str:
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime())
        name = f"{self.alias}-v{MAPPING_VERSION}-{stamp}-{uuid.uuid4().hex[:6]}"
        self.client.indices.create(
            index=name, body=build_index_body(test_variant=self.test_mapping)
        )
        return name

    def _live_version(self) -> int | None:
        indices = self._aliased()
        if not indices:
            return None
        mapping = self.client.indices.get_mapping(index=indices[0])[indices[0]]["mappings"]
        return int((mapping.get("_meta") or {}).get("mapping_version", 0))

    def _check_version(self) -> None:
        if time.monotonic() - self._version_checked < VERSION_CHECK_SECONDS:
            return
        version = self._live_version()
        if version is None:
            raise BackendUnavailable(f"OpenSearch has no index {self.alias!r}: run `ctlex reindex`")
        if version != MAPPING_VERSION:
            raise BackendUnavailable(
                f"the OpenSearch index was built with mapping version {version}, this code "
                f"needs {MAPPING_VERSION}: run `ctlex reindex`"
            )
        self._version_checked = time.monotonic()

    def ensure_index(self) -> None:
        with self._errors():
            if self._aliased() or self.client.indices.exists(index=self.alias):
                return
            name = self._create()
            self.client.indices.update_aliases(
                body={"actions": [{"add": {"index": name, "alias": self.alias}}]}
            )

    # -- writing --------------------------------------------------------------------------

    def _actions(self, docs: Iterable[Mapping[str, Any]], index: str) -> Iterator[dict[str, Any]]:
        for raw in docs:
            doc = validate_document(raw)
            source = {**doc, **derived_text_fields(doc)}
            for group in self.pre_analysed:  # test variant: see mappings.pre_analyse
                for name in (f"body_{group}", f"head_{group}"):
                    if name in source:
                        source[name] = [pre_analyse(group, v) for v in source[name]]
            yield {"_op_type": "index", "_index": index, "_id": doc["id"], "_source": source}

    def _bulk(self, actions: Iterable[dict[str, Any]], progress: ProgressFn | None = None) -> int:
        done, failures = 0, []
        for ok, item in helpers.streaming_bulk(
            self.client, actions, chunk_size=CHUNK, raise_on_error=False, max_retries=2
        ):
            result = next(iter(item.values()))
            if ok or (result.get("status") == 404 and "delete" in item):
                done += 1
            else:
                failures.append(result)
            if progress and done % CHUNK == 0:
                progress(done)
        if failures:
            raise RuntimeError(f"{len(failures)} bulk operations failed, first: {failures[0]}")
        return done

    def replace_all(
        self, docs: Iterable[Mapping[str, Any]], progress: ProgressFn | None = None
    ) -> int:
        with self._errors():
            old = self._aliased()
            name = self._create()
            try:
                count = self._bulk(self._actions(docs, name), progress)
                self.client.indices.refresh(index=name)
            except BaseException:
                self.client.indices.delete(index=name, ignore_unavailable=True)
                raise
            actions: list[dict[str, Any]] = [
                {"remove": {"index": index, "alias": self.alias}} for index in old
            ]
            if not old and self.client.indices.exists(index=self.alias):
                actions.append({"remove_index": {"index": self.alias}})  # a plain index in the way
            actions.append({"add": {"index": name, "alias": self.alias}})
            self.client.indices.update_aliases(body={"actions": actions})
            log.info("OpenSearch alias %s now on %s (%d documents)", self.alias, name, count)
            for index in old:
                self.client.indices.delete(index=index, ignore_unavailable=True)
            self._version_checked = 0.0
        if progress:
            progress(count)
        return count

    def index(self, docs: Iterable[Mapping[str, Any]]) -> int:
        with self._errors():
            self._check_version()
            return self._bulk(self._actions(docs, self.alias))

    def delete(self, ids: Iterable[str]) -> None:
        with self._errors():
            self._check_version()
            self._bulk({"_op_type": "delete", "_index": self.alias, "_id": i} for i in ids)

    def refresh(self) -> None:
        with self._errors():
            self.client.indices.refresh(index=self.alias)

    # -- reading --------------------------------------------------------------------------

    def count(self) -> int:
        """Documents behind the alias; 0 when there is no index or it needs a rebuild."""
        with self._errors():
            if self._live_version() != MAPPING_VERSION:
                return 0
            return int(self.client.count(index=self.alias)["count"])

    def health(self) -> dict[str, Any]:
        with self._errors():
            cluster = self.client.cluster.health()
            self._version_checked = 0.0
            self._check_version()
            return {
                "backend": self.name,
                "cluster_status": cluster.get("status"),
                "indices": self._aliased(),
                "mapping_version": MAPPING_VERSION,
                "documents": int(self.client.count(index=self.alias)["count"]),
            }

    def search(self, query: SearchQuery) -> SearchPage:
        node = parse_query(query.q)
        body = build_search_body(query, node, self.pre_analysed)
        with self._errors():
            self._check_version()
            response = self.client.search(index=self.alias, body=body)
        return parse_page(response, query)

    def more_like_this(
        self,
        text: str,
        *,
        size: int = 10,
        filters: Mapping[str, Sequence[str]] | None = None,
        exclude_ids: Iterable[str] = (),
    ) -> list[SearchHit]:
        check_mlt_args(text, size)
        body = build_mlt_body(text, size, normalize_filters(filters), exclude_ids)
        with self._errors():
            self._check_version()
            response = self.client.search(index=self.alias, body=body)
        return [parse_hit(h, include_text=False, scored=True) for h in response["hits"]["hits"]]

    def close(self) -> None:
        self.client.close()
