"""Exact cosine nearest neighbours over provision embeddings, and rank fusion with lexical hits.

The index is a dense float32 matrix held in memory (100 000 provisions x 512 dims = 205 MB) and
searched by one matrix-vector product: exact, no approximate index to build or tune, and a few
milliseconds per query at that size on 2 cores.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np

from ingest.embeddings import from_bytes, normalise


class SimilarityIndex:
    """Provision embeddings with their countries, searchable by cosine similarity."""

    def __init__(self, ids: list[str], countries: list[str], matrix: np.ndarray) -> None:
        """Build an index.

        Args:
            ids: provision ids, one per row of ``matrix``.
            countries: ISO 3166-1 alpha-3 code of each provision's country.
            matrix: embeddings, shape ``(len(ids), dim)``; rows are L2-normalised here.
        """
        matrix = np.asarray(matrix, dtype=np.float32)
        if matrix.ndim != 2 and not (matrix.size == 0 and not ids):
            raise ValueError(f"matrix must be 2-D, got shape {matrix.shape}")
        if len(ids) != len(countries) or len(ids) != len(matrix):
            raise ValueError(
                f"{len(ids)} ids, {len(countries)} countries and {len(matrix)} rows: "
                "there must be one of each per provision"
            )
        self.ids = list(ids)
        self.countries = np.asarray([c.upper() for c in countries], dtype=object)
        self.matrix = np.ascontiguousarray(normalise(matrix.reshape(len(ids), -1)))
        self._row = {pid: i for i, pid in enumerate(self.ids)}

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, bytes]]) -> SimilarityIndex:
        """Build from ``(provision id, country ISO3, vector bytes)`` rows as stored in SQL."""
        ids: list[str] = []
        countries: list[str] = []
        vectors: list[np.ndarray] = []
        for pid, country, blob in rows:
            ids.append(pid)
            countries.append(country or "")
            vectors.append(from_bytes(blob))
        dim = len(vectors[0]) if vectors else 512
        matrix = np.vstack(vectors) if vectors else np.zeros((0, dim), dtype=np.float32)
        return cls(ids, countries, matrix)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, pid: object) -> bool:
        return pid in self._row

    def vector(self, pid: str) -> np.ndarray | None:
        """The stored (normalised) vector of a provision, or None if it is not indexed."""
        row = self._row.get(pid)
        return None if row is None else self.matrix[row]

    def query(
        self,
        vector: np.ndarray,
        *,
        size: int = 10,
        exclude_country: str | None = None,
        exclude_ids: Iterable[str] = (),
        max_per_country: int | None = None,
    ) -> list[tuple[str, float]]:
        """The provisions most similar to ``vector``, best first.

        Args:
            vector: a query embedding (normalised here).
            size: how many results to return at most.
            exclude_country: leave out provisions of this country (the query's own).
            exclude_ids: leave out these provision ids (the query itself).
            max_per_country: keep at most this many results per country, so that one code
                with many near-identical sections does not fill the list.

        Returns:
            ``(provision id, cosine similarity)`` pairs, highest similarity first.
        """
        if size <= 0 or not self.ids:
            return []
        query = normalise(np.asarray(vector, dtype=np.float32).reshape(-1))
        if query.shape[0] != self.matrix.shape[1]:
            raise ValueError(f"query has {query.shape[0]} dims, index has {self.matrix.shape[1]}")
        scores = self.matrix @ query
        if exclude_country:
            scores[self.countries == exclude_country.upper()] = -np.inf
        for pid in exclude_ids:
            row = self._row.get(pid)
            if row is not None:
                scores[row] = -np.inf
        return self._top(scores, size, max_per_country)

    def _top(
        self, scores: np.ndarray, size: int, max_per_country: int | None
    ) -> list[tuple[str, float]]:
        # With a per-country cap the best `size` rows may not be enough: widen the candidate set
        # until it is, ending with a full sort (still only milliseconds at 100k rows).
        want = size if not max_per_country else size * 8
        while True:
            order = _top_order(scores, want)
            hits = self._pick(scores, order, size, max_per_country)
            if len(hits) >= size or want >= len(scores):
                return hits
            want = min(len(scores), want * 8)

    def _pick(
        self, scores: np.ndarray, order: np.ndarray, size: int, max_per_country: int | None
    ) -> list[tuple[str, float]]:
        hits: list[tuple[str, float]] = []
        per_country: dict[str, int] = {}
        for row in order:
            score = float(scores[row])
            if score == -np.inf:
                break
            if max_per_country:
                country = self.countries[row]
                if per_country.get(country, 0) >= max_per_country:
                    continue
                per_country[country] = per_country.get(country, 0) + 1
            hits.append((self.ids[row], score))
            if len(hits) == size:
                break
        return hits


def _top_order(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, highest first (ties by row order)."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def combine(
    semantic: Sequence[tuple[Hashable, float]],
    lexical: Sequence[tuple[Hashable, float]],
    weight: float,
    *,
    k: int = 60,
) -> list[tuple[Hashable, float]]:
    """Fuse a semantic and a lexical ranking by weighted reciprocal rank fusion.

    Each list contributes ``w / (k + rank)`` for every id it contains (rank from 1), with
    ``w = 1 - weight`` for the semantic list and ``weight`` for the lexical one. Ranks, not raw
    scores, are fused because BM25 scores are unbounded and not comparable across queries.

    Args:
        semantic: ``(id, score)`` best first, e.g. from ``SimilarityIndex.query``.
        lexical: ``(id, score)`` best first, e.g. more-like-this hits of the search backend.
        weight: share of the lexical ranking, 0 (semantic only) to 1 (lexical only).
        k: the RRF damping constant (60 in the original paper).

    Returns:
        ``(id, fused score)`` for the union of both lists, best first.
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"weight must be between 0 and 1, got {weight}")
    fused: dict[Hashable, float] = {}
    for hits, share in ((semantic, 1.0 - weight), (lexical, weight)):
        if share == 0.0:
            continue
        for rank, (pid, _score) in enumerate(hits, 1):
            fused[pid] = fused.get(pid, 0.0) + share / (k + rank)
    # Ties (an id at the same ranks) keep semantic order first: dict order is insertion order.
    return sorted(fused.items(), key=lambda item: item[1], reverse=True)
