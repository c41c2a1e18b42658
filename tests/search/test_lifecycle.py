"""The write side of the backend contract, on both backends: atomic rebuilds while searches run,
upserts, deletes, counts, validation, and what a caller sees when the engine cannot answer.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from search_index import get_backend
from search_index.base import BackendUnavailable, SearchBackend, SearchQuery
from search_index.embedded import EmbeddedBackend
from search_index.opensearch.backend import OpenSearchBackend

REPO = Path(__file__).resolve().parents[2]
BACKENDS = ["embedded", pytest.param("opensearch", marks=pytest.mark.opensearch)]
ALL = SearchQuery(size=100, facets=False)


def ids(backend: SearchBackend, q: str = "") -> set[str]:
    return {hit.id for hit in backend.search(SearchQuery(q=q, size=100, facets=False)).hits}


def total_seen_by_another_process(data_dir: Path) -> int:
    """What a fresh process searching the embedded index in ``data_dir`` counts."""
    script = (
        "import sys; from search_index.embedded import EmbeddedBackend;"
        "from search_index.base import SearchQuery;"
        "print(EmbeddedBackend(sys.argv[1]).search(SearchQuery(size=0)).total)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return int(out.stdout)


def renamed(docs, prefix: str):  # type: ignore[no-untyped-def]
    return [{**d, "id": f"{prefix}/{d['id']}"} for d in docs]


@pytest.mark.parametrize("kind", BACKENDS)
def test_rebuild_swaps_atomically_while_a_reader_searches(make_backend, corpus, kind):
    backend = make_backend(kind)
    old_docs = [d for d in corpus if d["current"]][:20]
    new_docs = renamed([d for d in corpus if d["current"]], "new")
    backend.replace_all(old_docs)
    backend.refresh()
    old_ids, new_ids = {d["id"] for d in old_docs}, {d["id"] for d in new_docs}
    halfway, resume, done = threading.Event(), threading.Event(), threading.Event()
    seen: list[tuple[int, frozenset[str]]] = []
    errors: list[BaseException] = []

    def slow_docs():  # type: ignore[no-untyped-def]
        for i, doc in enumerate(new_docs):
            if i == len(new_docs) // 2:
                halfway.set()
                resume.wait(20)
            yield doc

    def reader() -> None:
        try:
            while not done.is_set():
                page = backend.search(ALL)
                seen.append((page.total, frozenset(h.id for h in page.hits)))
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    def build() -> None:
        try:
            backend.replace_all(slow_docs())
        finally:
            done.set()

    reading = threading.Thread(target=reader)
    building = threading.Thread(target=build)
    reading.start()
    building.start()
    assert halfway.wait(20)
    during = backend.search(ALL)  # the build is paused half way
    assert {h.id for h in during.hits} == old_ids and during.total == len(old_ids)
    if kind == "embedded":
        assert total_seen_by_another_process(backend.root.parent) == len(old_ids)
    resume.set()
    building.join(30)
    reading.join(30)
    assert not errors
    assert seen and all(hits in (old_ids, new_ids) and total == len(hits) for total, hits in seen)
    assert ids(backend) == new_ids


def test_embedded_reader_in_another_process_sees_old_then_new(make_backend, corpus):
    backend = make_backend("embedded")
    backend.replace_all(corpus[:5])
    current = sum(1 for d in corpus[:5] if d["current"])
    assert total_seen_by_another_process(backend.root.parent) == current
    backend.replace_all(renamed(corpus, "v2"))
    assert total_seen_by_another_process(backend.root.parent) == sum(d["current"] for d in corpus)


def test_embedded_keeps_only_the_live_and_previous_generations(make_backend, corpus):
    backend = make_backend("embedded")
    for round_ in range(4):
        backend.replace_all(renamed(corpus[:3], f"r{round_}"))
    generations = sorted(p.name for p in backend.root.glob("gen-*"))
    pointer = json.loads((backend.root / "CURRENT").read_text())
    assert generations == ["gen-000003", "gen-000004"]
    assert pointer["generation"] == "gen-000004"


@pytest.mark.opensearch
def test_opensearch_alias_moves_to_the_new_index_and_the_old_one_is_deleted(make_backend, corpus):
    backend = make_backend("opensearch")
    backend.replace_all(corpus[:3])
    first = backend.client.indices.get_alias(name=backend.alias)
    backend.replace_all(corpus[3:6])
    second = backend.client.indices.get_alias(name=backend.alias)
    assert len(first) == len(second) == 1 and set(first) != set(second)
    assert not backend.client.indices.exists(index=next(iter(first)))
    assert backend.count() == 3


@pytest.mark.parametrize("kind", BACKENDS)
def test_upsert_delete_and_count(make_backend, corpus, kind):
    backend = make_backend(kind)
    backend.ensure_index()
    backend.ensure_index()  # idempotent
    assert backend.count() == 0
    docs = [d for d in corpus if d["current"]][:10]
    assert backend.index(docs) == 10
    backend.refresh()
    assert backend.count() == 10
    # Searched before it exists: what the engine remembers about absent words (the embedded
    # backend skips fields that lack a term) must not hide it once it is indexed.
    assert ids(backend, "quixotic") == set()
    assert ids(backend, '"quixotic provision"') == set()
    changed = {**docs[0], "text": "Wholly rewritten: quixotic provision."}
    assert backend.index([changed]) == 1
    backend.refresh()
    assert backend.count() == 10
    assert ids(backend, "quixotic") == {docs[0]["id"]}
    assert ids(backend, '"quixotic provision"') == {docs[0]["id"]}
    backend.delete([docs[0]["id"], "no/such/provision"])
    backend.refresh()
    assert backend.count() == 9
    assert ids(backend, "quixotic") == set()
    assert docs[0]["id"] not in ids(backend)


@pytest.mark.parametrize("kind", BACKENDS)
def test_invalid_documents_are_refused_and_a_failed_rebuild_changes_nothing(
    make_backend, corpus, kind
):
    backend = make_backend(kind)
    backend.replace_all(corpus[:5])
    before = ids(backend)
    missing = {k: v for k, v in corpus[0].items() if k != "citation"}
    with pytest.raises(ValueError, match="citation"):
        backend.index([missing])
    with pytest.raises(ValueError, match="colour"):
        backend.replace_all([*corpus[5:10], {**corpus[0], "colour": "red"}])
    with pytest.raises(ValueError, match="status"):
        backend.index([{**corpus[0], "status": "draft"}])
    assert ids(backend) == before


@pytest.mark.opensearch
def test_unreachable_opensearch_is_backend_unavailable(closed_port_url):
    backend = OpenSearchBackend(closed_port_url, index_name="ctlex-down", timeout=2)
    for call in (backend.health, backend.count, lambda: backend.search(SearchQuery(q="x"))):
        with pytest.raises(BackendUnavailable, match="unreachable"):
            call()
    with pytest.raises(BackendUnavailable):
        backend.index([])


@pytest.mark.parametrize("kind", BACKENDS)
def test_missing_index_is_backend_unavailable_and_counts_zero(make_backend, kind):
    backend = make_backend(kind)
    with pytest.raises(BackendUnavailable, match="reindex"):
        backend.search(SearchQuery(q="terrorism"))
    with pytest.raises(BackendUnavailable, match="reindex"):
        backend.health()
    assert backend.count() == 0


def test_embedded_index_from_another_mapping_version_asks_for_a_reindex(make_backend, corpus):
    backend = make_backend("embedded")
    backend.replace_all(corpus[:3])
    pointer = backend.root / "CURRENT"
    body = json.loads(pointer.read_text())
    pointer.write_text(json.dumps({**body, "mapping_version": 0}))
    reader = EmbeddedBackend(backend.root.parent)
    with pytest.raises(BackendUnavailable, match="ctlex reindex"):
        reader.search(SearchQuery())
    assert reader.count() == 0
    reader.replace_all(corpus[:3])
    assert reader.count() == 3


def test_health_describes_the_live_index(loaded):
    health = loaded.health()
    assert health["backend"] == loaded.name and health["documents"] == loaded.count() == 60


@pytest.mark.opensearch
def test_get_backend(tmp_path, opensearch_url):
    embedded = get_backend("embedded", data_dir=tmp_path)
    assert isinstance(embedded, EmbeddedBackend) and isinstance(embedded, SearchBackend)
    remote = get_backend("opensearch", data_dir=tmp_path, opensearch_url=opensearch_url)
    assert isinstance(remote, OpenSearchBackend) and remote.alias == "ctlex-provisions"
    with pytest.raises(ValueError, match="URL"):
        get_backend("opensearch", data_dir=tmp_path)
    with pytest.raises(ValueError, match="embedded"):
        get_backend("solr", data_dir=tmp_path)


def test_equal_scores_keep_their_order_across_rebuilds_and_pages(make_backend, corpus):
    """Thirty copies of one clause score the same; their order must not depend on how the
    index was built (insertion order, segments), and pages must neither repeat nor skip."""
    clause = next(d for d in corpus if d["current"] and "terrorist" in d["text"])
    copies = [{**clause, "id": f"{clause['id']}#copy{n:02d}"} for n in range(30)]
    first, second = make_backend("embedded"), make_backend("embedded")
    first.replace_all(corpus + copies)
    second.replace_all(list(reversed(copies)) + corpus[::-1])

    def order(backend: SearchBackend, page: int, size: int = 7) -> list[str]:
        query = SearchQuery(
            q=clause["text"][:60].split(" ", 1)[0] + " terrorist", page=page, size=size
        )
        return [h.id for h in backend.search(query).hits]

    pages = [order(first, p) for p in range(1, 6)]
    assert pages == [order(second, p) for p in range(1, 6)]
    seen = [i for page in pages for i in page]
    assert len(seen) == len(set(seen))
    assert sum(i.startswith(clause["id"] + "#copy") for i in seen) >= 20
