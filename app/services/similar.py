"""Exact cosine nearest neighbours over provision embeddings, and rank fusion with lexical hits.

The index is a dense float32 matrix held in memory (100 000 provisions x 512 dims = 205 MB) and
searched by one matrix-vector product: exact, no approximate index to build or tune, and a few
milliseconds per query at that size on 2 cores.

The multilingual model prefers texts in the query's own language: an English query ranks English
provisions on another offence above the French or German provision on the same offence. The
offence tags (language-independent codes given by the tagging rules) correct much of that: when
the query and the provisions are tagged, the score is the cosine plus ``TAG_WEIGHT`` times the
overlap of their offence codes (see ``_overlap``). A cap of ``MAX_PER_LANGUAGE`` results per
language then makes room for the other languages. Measured in bench/similar_quality.py (60
labelled pairs, 3 071 candidates): recall@10 of cross-country pairs 0.56 with the cosine alone,
0.84 with tags at 0.3, 0.89-0.91 with tags and at most 2 results per language (Jaccard overlap
and the present mixed overlap score the same "any" recall; the mixed one finds more of the
expected targets: "all" 0.24 against 0.22).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from ingest.embeddings import DIM, from_bytes, normalise

# Weight of the offence-tag overlap (Jaccard, 0..1) added to the cosine (measured, see above).
TAG_WEIGHT = 0.3
# Recommended ``max_per_language`` for cross-country queries (measured, see above).
MAX_PER_LANGUAGE = 2


class SimilarityIndex:
    """Provision embeddings with their countries, searchable by cosine similarity."""

    def __init__(
        self,
        ids: list[str],
        countries: list[str],
        matrix: np.ndarray,
        tags: Sequence[Iterable[str] | None] | None = None,
        languages: Sequence[str | None] | None = None,
    ) -> None:
        """Build an index.

        Args:
            ids: provision ids, one per row of ``matrix``.
            countries: ISO 3166-1 alpha-3 code of each provision's country.
            matrix: embeddings, shape ``(len(ids), dim)``; rows are L2-normalised here.
            tags: optional offence codes of each provision (same order as ``ids``).
            languages: optional ISO 639-1 language of each provision (for ``max_per_language``).
        """
        matrix = np.asarray(matrix, dtype=np.float32)
        if not ids:
            matrix = np.zeros((0, matrix.shape[-1] if matrix.ndim == 2 else DIM), np.float32)
        if matrix.ndim != 2 or len(ids) != len(countries) or len(ids) != len(matrix):
            raise ValueError(
                f"{len(ids)} ids, {len(countries)} countries and a matrix of shape "
                f"{matrix.shape}: there must be one of each per provision"
            )
        self.ids = list(ids)
        self.countries = np.asarray([(c or "").upper() for c in countries], dtype=object)
        self.matrix = np.ascontiguousarray(normalise(matrix))
        self._row = {pid: i for i, pid in enumerate(self.ids)}
        if languages is not None and len(languages) != len(ids):
            raise ValueError(f"{len(languages)} languages for {len(ids)} provisions")
        self.languages = np.asarray(
            [lang or "" for lang in languages] if languages is not None else [""] * len(ids),
            dtype=object,
        )
        self._codes: dict[str, int] = {}
        self._tags: np.ndarray | None = None
        if tags is not None:
            if len(tags) != len(ids):
                raise ValueError(f"{len(tags)} tag sets for {len(ids)} provisions")
            sets = [set(t or ()) for t in tags]
            self._codes = {c: i for i, c in enumerate(sorted(set().union(*sets)))}
            self._tags = np.zeros((len(ids), len(self._codes)), dtype=np.float32)
            for row, codes in enumerate(sets):
                self._tags[row, [self._codes[c] for c in codes]] = 1.0
            self._tag_counts = self._tags.sum(axis=1)

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any]]) -> SimilarityIndex:
        """Build from rows as stored in SQL.

        Each row is ``(provision id, country ISO3, vector bytes)``, optionally followed by the
        provision's offence codes (an iterable of strings, or one comma-separated string such as
        a ``group_concat``; enables the tag overlap) and its language (enables
        ``max_per_language``).
        """
        ids: list[str] = []
        countries: list[str] = []
        vectors: list[np.ndarray] = []
        tags: list[list[str]] = []
        languages: list[str | None] = []
        width = 3
        for row in rows:
            ids.append(row[0])
            countries.append(row[1] or "")
            vectors.append(from_bytes(row[2]))
            width = max(width, len(row))
            codes = row[3] if len(row) > 3 else None
            if isinstance(codes, str):
                codes = [c.strip() for c in codes.split(",") if c.strip()]
            tags.append(list(codes or ()))
            languages.append(row[4] if len(row) > 4 else None)
        matrix = np.vstack(vectors) if vectors else np.zeros((0, DIM), dtype=np.float32)
        return cls(
            ids,
            countries,
            matrix,
            tags if width > 3 else None,
            languages if width > 4 else None,
        )

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
        countries: Iterable[str] | None = None,
        max_per_country: int | None = None,
        max_per_language: int | None = None,
        tags: Iterable[str] | None = None,
        tag_weight: float = TAG_WEIGHT,
    ) -> list[tuple[str, float]]:
        """The provisions most similar to ``vector``, best first.

        Args:
            vector: a query embedding (normalised here).
            size: how many results to return at most.
            exclude_country: leave out provisions of this country (the query's own).
            exclude_ids: leave out these provision ids (the query itself).
            countries: keep only provisions of these countries (ISO3), when given.
            max_per_country: keep at most this many results per country, so that one code
                with many near-identical sections does not fill the list.
            max_per_language: keep at most this many results per language (needs languages):
                the model ranks texts in the query's language first, and a drafter asking
                for comparable provisions wants to see the other languages too.
            tags: the query's offence codes; when given (and the index has tags), each score
                gains ``tag_weight`` times the Jaccard overlap of the two sets of codes.
            tag_weight: weight of that overlap.

        Returns:
            ``(provision id, score)`` pairs, best first; the score is the cosine similarity plus
            the tag bonus, if any.
        """
        if size <= 0 or not self.ids:
            return []
        query = normalise(np.asarray(vector, dtype=np.float32).reshape(-1))
        if query.shape[0] != self.matrix.shape[1]:
            raise ValueError(f"query has {query.shape[0]} dims, index has {self.matrix.shape[1]}")
        scores = self.matrix @ query
        if tags is not None and self._tags is not None and tag_weight:
            scores += tag_weight * self._overlap(set(tags))
        if exclude_country:
            scores[self.countries == exclude_country.upper()] = -np.inf
        if countries:
            scores[~np.isin(self.countries, [c.upper() for c in countries])] = -np.inf
        for pid in exclude_ids:
            row = self._row.get(pid)
            if row is not None:
                scores[row] = -np.inf
        return self._top(
            scores, size, {"countries": max_per_country, "languages": max_per_language}
        )

    def _overlap(self, codes: set[str]) -> np.ndarray:
        """Overlap of the query's ``codes`` with every row's codes, 0..1 (0 where either set is
        empty): the mean of their Jaccard index and of the share of the query's codes the row
        carries. Jaccard alone penalises a provision that creates several offences at once
        (УК РФ 205.1 covers recruitment, training and financing) against one that creates one
        unrelated offence; coverage alone would favour catch-all provisions."""
        assert self._tags is not None
        if not codes:
            return np.zeros(len(self.ids), dtype=np.float32)
        query = np.zeros(len(self._codes), dtype=np.float32)
        query[[self._codes[c] for c in codes if c in self._codes]] = 1.0
        inter = self._tags @ query
        union = self._tag_counts + len(codes) - inter
        return 0.5 * inter / np.maximum(union, 1.0) + 0.5 * inter / len(codes)

    def _top(
        self, scores: np.ndarray, size: int, caps: dict[str, int | None]
    ) -> list[tuple[str, float]]:
        # With a cap the best `size` rows may not be enough: widen the candidate set until it
        # is, ending with a full sort (still only milliseconds at 100k rows).
        capped = {name: cap for name, cap in caps.items() if cap}
        want = size * 8 if capped else size
        while True:
            order = _top_order(scores, min(want, len(scores)))
            hits = self._pick(scores, order, size, capped)
            if len(hits) >= size or want >= len(scores):
                return hits
            want *= 8

    def _pick(
        self, scores: np.ndarray, order: np.ndarray, size: int, caps: dict[str, int]
    ) -> list[tuple[str, float]]:
        hits: list[tuple[str, float]] = []
        seen: dict[tuple[str, str], int] = {}
        for row in order:
            score = float(scores[row])
            if score == -np.inf:
                break
            # an unknown country or language ("") is not a group: it is never capped
            keys = [(name, getattr(self, name)[row]) for name in caps if getattr(self, name)[row]]
            if any(seen.get(key, 0) >= caps[key[0]] for key in keys):
                continue
            for key in keys:
                seen[key] = seen.get(key, 0) + 1
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
