"""The whole app switched to OpenSearch (`CTLEX_SEARCH_BACKEND=opensearch`, then `ctlex
reindex`) answers the API with the same totals and facets as the embedded default."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.db import make_engine, make_sessionmaker
from app.main import create_app
from app.services.indexing import rebuild_index
from ingest.pipeline import open_backend

pytestmark = pytest.mark.opensearch

# Filters, and words whose analysis agrees between tantivy's and OpenSearch's analyzers. Not
# "terrorist organisation": tantivy's Snowball German stemmer makes "terroristischen
# Organisation" (German provisions) the phrase "terrorist organisation", OpenSearch's `german`
# analyzer (a light stemmer, not Snowball) "terroristisch organisation", so a real cluster
# differs from the embedded engine there as much as osmem does.
REQUESTS = [
    {},
    {"offence": "financing"},
    {"offence": "financing", "country": "GBR"},
    {"instrument": "UNSCR-1373", "region": "Africa"},
    {"q": "hostage"},
    {"q": '"terrorist group"'},
    {"q": "financing AND property", "language": "en"},
    {"language": "fr", "offence": "membership"},
]


def test_opensearch_app_matches_embedded(ingested_corpus, osmem_url: str) -> None:
    embedded = ingested_corpus.settings
    opensearch = embedded.model_copy(
        update={
            "search_backend": "opensearch",
            "opensearch_url": osmem_url,
            "opensearch_index": "ctlex-app-test",
            "opensearch_test_mapping": True,
        }
    )
    engine = make_engine(opensearch.sqlalchemy_url)
    with make_sessionmaker(engine)() as session:
        indexed = rebuild_index(session, open_backend(opensearch))
    engine.dispose()
    assert indexed == open_backend(embedded).count()

    with TestClient(create_app(embedded)) as a, TestClient(create_app(opensearch)) as b:
        for params in REQUESTS:
            left = a.get("/api/search", params={**params, "size": 0}).json()
            right = b.get("/api/search", params={**params, "size": 0}).json()
            assert left["total"] == right["total"], params
            assert left["facets"] == right["facets"], params
        health = b.get("/api/health").json()
        assert health["indexed"] == indexed
