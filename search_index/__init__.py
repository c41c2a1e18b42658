"""Full-text search of provisions: one protocol, two engines (embedded tantivy, OpenSearch).

``search_index`` imports nothing from ``app`` or ``ingest``: it receives search documents as
dicts and returns plain values.
"""

from __future__ import annotations

from pathlib import Path

from search_index.base import SearchBackend

DEFAULT_INDEX_NAME = "ctlex-provisions"


def get_backend(
    kind: str,
    *,
    data_dir: Path,
    opensearch_url: str | None = None,
    index_name: str = DEFAULT_INDEX_NAME,
    opensearch_test_mapping: bool = False,
) -> SearchBackend:
    """Create the configured backend.

    Args:
        kind: ``embedded`` (tantivy under ``data_dir/index``) or ``opensearch``.
        data_dir: the application's data directory.
        opensearch_url: required for ``opensearch``, e.g. ``http://127.0.0.1:9200``.
        index_name: the OpenSearch alias searched and swapped on rebuild.
        opensearch_test_mapping: use the analyzers osmem-server accepts (tests only).

    Raises:
        ValueError: on an unknown kind or a missing OpenSearch URL.
    """
    if kind == "embedded":
        from search_index.embedded import EmbeddedBackend

        return EmbeddedBackend(data_dir)
    if kind == "opensearch":
        if not opensearch_url:
            raise ValueError("the opensearch backend needs an URL (CTLEX_OPENSEARCH_URL)")
        from search_index.opensearch.backend import OpenSearchBackend

        return OpenSearchBackend(
            opensearch_url, index_name=index_name, test_mapping=opensearch_test_mapping
        )
    raise ValueError(f"unknown search backend {kind!r}; use 'embedded' or 'opensearch'")


__all__ = ["DEFAULT_INDEX_NAME", "SearchBackend", "get_backend"]
