"""Search latency and build time on synthetic provisions.

    .venv/bin/python bench/search_backends.py [--docs 100000] [--rounds 300]
        [--opensearch URL [--osmem]]

Builds an embedded index (and, with --opensearch, an index on that server) from synthetic
provisions (130 countries, 8 languages, tags, years), then times queries with every facet and
prints p50/p99 per query in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search_index.base import SearchBackend, SearchQuery  # noqa: E402
from search_index.embedded import EmbeddedBackend  # noqa: E402


def _words(text: str) -> list[str]:
    return text.split()


WORDS = {
    "en": _words(
        "person offence terrorism terrorist funds property provides collects organisation "
        "membership training explosives weapons support material conspiracy incitement public "
        "act shall punished imprisonment years intention knowledge purpose government"
    ),
    "fr": _words(
        "personne infraction terrorisme terroriste fonds biens fournit réunit organisation "
        "participation formation explosifs armes soutien apologie public acte puni "
        "emprisonnement années intention connaissance but gouvernement"
    ),
    "de": _words(
        "Person Straftat Terrorismus terroristische Vermögenswerte sammelt Vereinigung "
        "Mitglied Ausbildung Sprengstoff Waffen Unterstützung öffentlich Tat bestraft "
        "Freiheitsstrafe Jahren Absicht Wissen Zweck Regierung"
    ),
    "es": _words(
        "persona delito terrorismo terrorista fondos bienes organización grupo colaboración "
        "explosivos armas enaltecimiento público castigado prisión años intención"
    ),
    "ru": _words(
        "лицо преступление терроризм террористической финансирование имущество организации "
        "участие обучение взрывчатых оружия содействие публичные наказывается лишением "
        "свободы лет целях"
    ),
    "ar": _words(
        "الشخص جريمة الإرهاب الإرهابية تمويل الأموال جماعة عضوية تدريب المتفجرات الأسلحة دعم "
        "التحريض يعاقب بالسجن سنوات بقصد"
    ),
    "zh": _words(
        "恐怖活动 组织 资助 恐怖主义 宣扬 煽动 培训 爆炸 武器 "
        "有期徒刑 处 年 以上 以下 国家 安全 资金 财产"
    ),
    "pt": _words(
        "pessoa crime terrorismo terrorista recursos bens organização participação "
        "treinamento explosivos armas apoio público pena reclusão anos intenção"
    ),
}
OFFENCES = _words("financing membership training incitement preparation material_support bombing")
INSTRUMENTS = _words("FINANCING-1999 BOMBINGS-1997 UNSCR-1373 UNSCR-1624 UNSCR-2178")
REGIONS = ["Europe", "Asia", "Africa", "Americas", "Oceania"]
QUERIES: dict[str, SearchQuery] = {
    "match all + facets": SearchQuery(size=10),
    "one word + facets": SearchQuery(q="terrorism", size=10),
    "two words + facets": SearchQuery(q="terrorist funds", size=10),
    "phrase + facets": SearchQuery(q='"terrorist organisation"', size=10),
    "prefix + facets": SearchQuery(q="terror*", size=10),
    "boolean + 2 filters": SearchQuery(
        q="(funds OR property) -training",
        filters={"country": ["C001", "C002", "C003"], "offence": ["financing"]},
        size=10,
    ),
    "word, no facets": SearchQuery(q="terrorism", size=10, facets=False),
}


def synthetic_docs(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rnd = random.Random(seed)
    langs = list(WORDS)
    for i in range(n):
        lang = langs[i % len(langs)]
        vocab = WORDS[lang]
        sep = "" if lang == "zh" else " "
        text = sep.join(rnd.choice(vocab) for _ in range(rnd.randint(25, 90)))
        country = f"C{i % 130:03d}"
        year = 1960 + (i * 7) % 64
        yield {
            "id": f"{country.lower()}/act/{year}/law-{i // 40}/~sec_{i % 40}",
            "document_id": f"{country.lower()}/act/{year}/law-{i // 40}",
            "version_id": str(i // 40),
            "country": country,
            "region": REGIONS[i % 130 % len(REGIONS)],
            "subregion": "",
            "language": lang,
            "doc_type": rnd.choice(["act", "code", "law", "decree"]),
            "year": year,
            "status": "official",
            "partial": False,
            "title": f"Law {i // 40}",
            "title_en": f"Law {i // 40}",
            "citation": f"Law {i // 40} ({country}), s. {i % 40}",
            "kind": "section",
            "number": str(i % 40),
            "label": f"s. {i % 40}",
            "heading": "",
            "text": text,
            "offences": rnd.sample(OFFENCES, rnd.randint(0, 2)),
            "instruments": rnd.sample(INSTRUMENTS, rnd.randint(0, 1)),
            "order": i % 40,
            "version_date": "",
            "valid_from": "2000-01-01",
            "valid_to": "9999-12-31",
            "current": True,
        }


def measure(backend: SearchBackend, rounds: int) -> None:
    # Wall-clock percentiles, and the mean CPU time of this process (a fairer figure on a busy
    # machine; tantivy searches on the calling thread).
    print(f"{'query':<24} {'total':>7} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms':>8}")
    for name, query in QUERIES.items():
        backend.search(query)  # warm caches
        times = []
        cpu = time.process_time()
        for _ in range(rounds):
            start = time.perf_counter()
            page = backend.search(query)
            times.append((time.perf_counter() - start) * 1000)
        cpu_ms = (time.process_time() - cpu) * 1000 / rounds
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        p50 = statistics.median(times)
        print(f"{name:<24} {page.total:>7} {p50:>8.2f} {p99:>8.2f} {cpu_ms:>8.2f}")


def build(backend: SearchBackend, n: int) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    count = backend.replace_all(synthetic_docs(n))
    backend.refresh()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{backend.name}: indexed {count} documents in {wall:.1f} s ({cpu:.1f} s CPU)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--opensearch", help="also measure an OpenSearch server at this URL")
    parser.add_argument(
        "--osmem", action="store_true", help="the OpenSearch server is osmem (test mapping)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        embedded = EmbeddedBackend(Path(tmp))
        build(embedded, args.docs)
        size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
        print(f"embedded index size: {size / 1e6:.1f} MB")
        measure(embedded, args.rounds)
    if args.opensearch:
        from search_index.opensearch.backend import OpenSearchBackend

        remote = OpenSearchBackend(
            args.opensearch, index_name="ctlex-bench", test_mapping=args.osmem, timeout=120
        )
        build(remote, args.docs)
        measure(remote, args.rounds)


if __name__ == "__main__":
    main()
