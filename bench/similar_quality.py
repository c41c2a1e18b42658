"""Quality and speed of cross-language "similar provisions" on the labelled pairs.

The candidate pool is the expected targets of every labelled pair plus distractors: the corpus
files under corpus/raw split crudely into article-sized chunks (no real segmenter). Chunks that
repeat a labelled provision are dropped so each provision is in the pool once. A pair is found
("any") when one of its expected targets is in the query's top k, and "all" when every one is,
leaving out the query's own country (or, for pairs of language versions of the same country's
text, only the query itself).

Run: .venv/bin/python bench/similar_quality.py [--pool 3000] [--max-chars 600] [--tag-weight 0.2]
     [--lexical 0.3] [--max-per-country 2] [--misses]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.services.similar import (  # noqa: E402
    MAX_PER_LANGUAGE,
    TAG_WEIGHT,
    SimilarityIndex,
    combine,
)
from ingest.embeddings import MAX_CHARS, embed_texts, prepare_text  # noqa: E402

RAW = ROOT / "corpus" / "raw"
PAIRS = ROOT / "tests" / "data" / "similar_pairs.jsonl"
MANIFEST = ROOT / "corpus" / "SOURCES-MANIFEST.tsv"

# A line that starts a new provision in most numbering styles of the corpus.
_HEAD = re.compile(
    r"^\s*(#{1,6}\s|\[?(Art\.|Article|Artikel|Artículo|Articolo|Artigo|Artykuł|Article|Section|"
    r"Sec\.|§|Статья|Стаття|Член|Članak|Člen|Άρθρο|Madde|المادة|الفصل|第[一二三四五六七八九十百千\d]+条|"
    r"제\d+조|\d+[A-Z]?\.?\s*$|\d+[A-Z]?\.\s+[A-Z]))"
)


@dataclass(frozen=True)
class Chunk:
    id: str
    country: str
    heading: str | None
    text: str
    language: str | None = None  # the manifest's language of the file


@dataclass
class Pool:
    """The candidates: full text (tagged) and the string embedded for each."""

    ids: list[str]
    countries: list[str]
    languages: list[str | None]
    headings: list[str | None]
    texts: list[str]


def load_pairs(path: Path = PAIRS) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def target_id(item: dict) -> str:
    """Pool id of a labelled provision (the language tells apart the two versions of a bilingual
    file such as the conventions published in English and Dutch)."""
    return f"{item['source']}#{item['number']}@{item['language']}"


def query_id(pair: dict) -> str:
    return f"{pair['query_source']}@{pair['query_language']}"


# ---------------------------------------------------------------- crude corpus chunking


def _split_text(text: str, source: str, country: str) -> list[Chunk]:
    pieces: list[list[str]] = [[]]
    for line in text.splitlines():
        if _HEAD.match(line) and sum(map(len, pieces[-1])) > 150:
            pieces.append([])
        pieces[-1].append(line)
    out: list[Chunk] = []
    for lines in pieces:
        body = re.sub(r"\s+", " ", " ".join(lines)).strip()
        for start in range(0, len(body), 2500):  # overlong pieces: cut into 2500-char chunks
            part = body[start : start + 2500]
            if len(part) >= 80:
                out.append(Chunk(f"{source}~{len(out)}", country, None, part))
    return out


def _file_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    if suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    raw = path.read_text(encoding="utf-8", errors="replace")
    if suffix in {".html", ".htm", ".xml"}:
        from bs4 import BeautifulSoup

        return BeautifulSoup(raw, "lxml" if suffix != ".xml" else "xml").get_text("\n")
    return raw


def _json_chunks(path: Path, source: str, country: str) -> list[Chunk] | None:
    data = json.loads(path.read_text(encoding="utf-8"))
    items: Iterable[tuple[str | None, str]] = ()
    if isinstance(data.get("provisions"), list):
        items = ((p.get("title"), p.get("content") or "") for p in data["provisions"])
    elif isinstance(data.get("artigos"), dict):
        items = ((None, a.get("texto") or "") for a in data["artigos"].values())
    elif isinstance(data.get("法規內容"), list):
        items = ((None, a.get("條文內容") or "") for a in data["法規內容"] if isinstance(a, dict))
    out = []
    for heading, text in items:
        text = re.sub(r"\s+", " ", text).strip()
        if len(text) >= 40:
            out.append(Chunk(f"{source}~{len(out)}", country, heading, text[:2500]))
    return out or None


def corpus_chunks(
    raw: Path = RAW, manifest: Path = MANIFEST, suffixes: set[str] | None = None
) -> list[Chunk]:
    """Every file of the corpus (or those with one of ``suffixes``) cut into article-sized
    chunks, with its country and language."""
    with manifest.open(encoding="utf-8") as fh:
        rows = {row["path"]: row for row in csv.DictReader(fh, delimiter="\t")}
    chunks: list[Chunk] = []
    for path in sorted(raw.rglob("*")):
        rel = path.relative_to(raw).as_posix()
        if not path.is_file() or rel not in rows or (suffixes and path.suffix not in suffixes):
            continue
        source = f"raw/{rel}"
        country = {"EU": "EUU"}.get(rows[rel]["country_iso3"], rows[rel]["country_iso3"])
        found = _json_chunks(path, source, country) if path.suffix == ".json" else None
        lang = rows[rel]["language"].split("-")[0] or None
        chunks.extend(
            Chunk(c.id, c.country, c.heading, c.text, lang)
            for c in found or _split_text(_file_text(path), source, country)
        )
    return chunks


# ---------------------------------------------------------------- pool and evaluation


def _probe_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _repeats(chunk_text: str, probes: list[str]) -> bool:
    return any(p in chunk_text for p in probes)


def build_pool(pairs: list[dict], chunks: list[Chunk], size: int, seed: int = 13) -> Pool:
    """Every expected target of the pairs, plus ``size`` distractor chunks (0 = all of them)."""
    pool = Pool([], [], [], [], [])
    probes: list[str] = []
    for pair in pairs:
        for item in [*pair["expected"], _query_item(pair)]:
            key = _probe_key(item["text"])
            probes.extend(key[i : i + 40] for i in (10, len(key) // 2) if len(key) > i + 40)
        for item in pair["expected"]:
            if target_id(item) not in pool.ids:
                _add(
                    pool,
                    target_id(item),
                    item["country"],
                    item["language"],
                    item.get("heading"),
                    item["text"],
                )
    candidates = [c for c in chunks if not _repeats(_probe_key(c.text), probes)]
    rng = random.Random(seed)
    picked = candidates if size <= 0 or size >= len(candidates) else rng.sample(candidates, size)
    for c in picked:
        _add(pool, c.id, c.country, c.language, c.heading, c.text)
    return pool


def _add(pool: Pool, pid: str, country: str, lang: str | None, head: str | None, text: str) -> None:
    pool.ids.append(pid)
    pool.countries.append(country)
    pool.languages.append(lang)
    pool.headings.append(head)
    pool.texts.append(text)


def _query_item(pair: dict) -> dict:
    return {"text": pair["query_text"], "heading": pair.get("query_heading")}


def offence_tags(texts: list[str], languages: list[str | None], headings: list[str | None]):
    """Offence codes of each text by the project's tagging rules (as stored for provisions)."""
    from ingest.tagging import tag_text

    return [
        frozenset(t.code for t in tag_text(text, lang, heading=head) if t.kind == "offence")
        for text, lang, head in zip(texts, languages, headings, strict=True)
    ]


def ranks(
    pairs: list[dict],
    index: SimilarityIndex,
    query_vectors: np.ndarray,
    *,
    k: int = 10,
    query_tags: list[frozenset[str]] | None = None,
    tag_weight: float = 0.0,
    max_per_country: int | None = None,
    max_per_language: int | None = None,
    lexical: LexicalIndex | None = None,
    lexical_weight: float = 0.0,
) -> list[list[int | None]]:
    """For each pair, the 1-based rank of each expected target in the top k (None if absent)."""
    out = []
    for n, (pair, vec) in enumerate(zip(pairs, query_vectors, strict=True)):
        # Language versions of one country's text test the model itself: the API leaves out
        # the query's country, so its settings (tag bonus, caps) do not apply to them.
        same = bool(pair.get("same_country"))
        exclude = None if same else pair["query_country"]
        own = (query_id(pair),)
        hits = index.query(
            vec,
            size=k * 3,
            exclude_country=exclude,
            exclude_ids=own,
            max_per_country=None if same else max_per_country,
            max_per_language=None if same else max_per_language,
            tags=None if same or not query_tags else query_tags[n],
            tag_weight=tag_weight,
        )
        if lexical is not None and lexical_weight > 0:
            lex = lexical.query(pair["query_text"], k * 3, exclude, own)
            hits = combine(hits, lex, lexical_weight)
        top = [pid for pid, _ in hits[:k]]
        out.append(
            [top.index(t) + 1 if t in top else None for t in map(target_id, pair["expected"])]
        )
    return out


def summarise(pairs: list[dict], found: list[list[int | None]]) -> dict:
    by_lang: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for pair, r in zip(pairs, found, strict=True):
        got = [x is not None for x in r]
        for item, hit in zip(pair["expected"], got, strict=True):
            by_lang[f"{pair['query_language']}->{item['language']}"].append((hit, hit))
        by_lang["ALL"].append((any(got), all(got)))
    return {
        key: (sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v), len(v))
        for key, v in by_lang.items()
    }


class LexicalIndex:
    """BM25 over the pool with the top tf-idf terms of the query (like more-like-this)."""

    def __init__(self, ids: list[str], countries: list[str], texts: list[str]) -> None:
        self.ids, self.countries = ids, countries
        self.docs = [Counter(_terms(t)) for t in texts]
        self.lens = np.array([sum(d.values()) for d in self.docs], dtype=float)
        self.df = Counter(term for d in self.docs for term in d)

    def idf(self, term: str) -> float:
        n = len(self.docs)
        return math.log(1 + (n - self.df.get(term, 0) + 0.5) / (self.df.get(term, 0) + 0.5))

    def query(self, text: str, size: int, exclude_country, exclude_ids) -> list[tuple[str, float]]:
        tf = Counter(_terms(text))
        terms = sorted(tf, key=lambda t: -tf[t] * self.idf(t))[:25]
        avg = self.lens.mean()
        scores = np.zeros(len(self.docs))
        for i, doc in enumerate(self.docs):
            for t in terms:
                f = doc.get(t, 0)
                if f:
                    scores[i] += (
                        self.idf(t) * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * self.lens[i] / avg))
                    )
        order = np.argsort(-scores)
        hits = []
        for i in order:
            if scores[i] <= 0 or len(hits) == size:
                break
            if self.countries[i] != exclude_country and self.ids[i] not in exclude_ids:
                hits.append((self.ids[i], float(scores[i])))
        return hits


def _terms(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) > 2 and not w.isdigit()]


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pool", type=int, default=3000, help="distractors (0 = every chunk)")
    ap.add_argument("--max-chars", type=int, default=MAX_CHARS, help="text embedded per provision")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--tag-weight", type=float, default=TAG_WEIGHT, help="0 = embeddings only")
    ap.add_argument("--max-per-country", type=int, default=None)
    ap.add_argument("--max-per-language", type=int, default=MAX_PER_LANGUAGE, help="0 = no cap")
    ap.add_argument("--lexical", type=float, default=0.0, help="RRF weight of a BM25 ranking")
    ap.add_argument("--no-query-heading", action="store_true", help="embed query text only")
    ap.add_argument("--misses", action="store_true", help="list the pairs with a missed target")
    args = ap.parse_args(argv)

    pairs = load_pairs()
    t0 = time.perf_counter()
    chunks = corpus_chunks()
    pool = build_pool(pairs, chunks, args.pool)
    print(
        f"corpus: {len(chunks)} chunks ({time.perf_counter() - t0:.1f} s); pool: "
        f"{len(pool.ids)} texts from {len(set(pool.countries))} countries"
    )
    texts = [
        prepare_text(h, t, args.max_chars) for h, t in zip(pool.headings, pool.texts, strict=True)
    ]
    t0 = time.perf_counter()
    embed_texts(["model load"])
    print(f"model load: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    matrix = embed_texts(texts)
    dt = time.perf_counter() - t0
    chars = sum(map(len, texts))
    print(
        f"embedding: {len(texts) / dt:.1f} texts/s, {chars / dt:.0f} chars/s "
        f"(mean {chars / len(texts):.0f} chars, max-chars {args.max_chars}, {dt:.1f} s)"
    )
    tags = query_tags = None
    if args.tag_weight:
        t0 = time.perf_counter()
        tags = offence_tags(pool.texts, pool.languages, pool.headings)
        query_tags = offence_tags(
            [p["query_text"] for p in pairs],
            [p["query_language"] for p in pairs],
            [p.get("query_heading") for p in pairs],
        )
        print(f"tagging: {len(tags) / (time.perf_counter() - t0):.0f} texts/s")
    index = SimilarityIndex(pool.ids, pool.countries, matrix, tags, pool.languages)
    queries = [
        prepare_text(
            None if args.no_query_heading else p.get("query_heading"),
            p["query_text"],
            args.max_chars,
        )
        for p in pairs
    ]
    qvec = embed_texts(queries)
    t0 = time.perf_counter()
    for v, qt in zip(qvec, query_tags or [None] * len(qvec), strict=True):
        index.query(v, size=10, exclude_country="DEU", tags=qt)
    print(f"query: {(time.perf_counter() - t0) / len(qvec) * 1000:.2f} ms on {len(pool.ids)} rows")
    lexical = LexicalIndex(pool.ids, pool.countries, pool.texts) if args.lexical else None
    found = ranks(
        pairs,
        index,
        qvec,
        k=args.k,
        query_tags=query_tags,
        tag_weight=args.tag_weight,
        max_per_country=args.max_per_country,
        lexical=lexical,
        lexical_weight=args.lexical,
    )
    print_report(pairs, found, args.k, args.misses)
    return 0


def print_report(pairs: list[dict], found: list[list[int | None]], k: int, misses: bool) -> None:
    groups = {
        "ALL pairs": pairs,
        "cross-country": [p for p in pairs if not p.get("same_country")],
        "language versions": [p for p in pairs if p.get("same_country")],
    }
    rank_of = {id(p): r for p, r in zip(pairs, found, strict=True)}
    print(
        f"\nrecall@{k}: any = one expected target found, all = every one; "
        "targets = share of expected targets found"
    )
    for name, group in groups.items():
        rs = [rank_of[id(p)] for p in group]
        hit = [x is not None for r in rs for x in r]
        print(
            f"  {name:18} any {_mean(any(x is not None for x in r) for r in rs):.2f}  "
            f"all {_mean(all(x is not None for x in r) for r in rs):.2f}  "
            f"targets {_mean(hit):.2f}  pairs={len(rs)}"
        )
    print("\nper language pair (query->target): share of expected targets found")
    for key, (share, _, n) in sorted(summarise(pairs, found).items()):
        if key != "ALL":
            print(f"  {key:8} {share:.2f}  n={n}")
    if misses:
        print("\nmisses:")
        for pair, r in zip(pairs, found, strict=True):
            gone = [
                target_id(e).split("/")[-1]
                for e, x in zip(pair["expected"], r, strict=True)
                if x is None
            ]
            if gone:
                print(f"  {pair['query_source'].split('/')[-1]:55} ranks {r} missing {gone}")


def _mean(values: Iterable[bool]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
