"""Hostile source files beside good ones: every bad file fails alone, with a clear message, within
a memory ceiling, and nothing outside the corpus folder is read.

The corpus is generated in a tmp folder (nothing large is committed). The ingest runs in a fresh
Python process with ``workers=2`` so that (a) the peak RSS of its worker processes can be measured
with ``getrusage(RUSAGE_CHILDREN)`` without counting earlier tests' children, and (b) an audit hook
installed before the run sees every file that Python opens, in the ingest process and in its
forked workers (hooks survive ``fork``; each process appends to one log with ``O_APPEND``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest

from ingest.limits import DEFAULT_WORKER_MEMORY

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"
CEILING = DEFAULT_WORKER_MEMORY  # 1.5 GiB of address space per worker
GOOD = {
    "raw/gbr/gbr-terrorism-act-2000-revised-text.txt": ("GBR", "act", "2000", "en", "txt"),
    "raw/ita/ita-codice-penale-artt-270bis-280bis-excerpt.md": ("ITA", "code", "1930", "it", "md"),
    "raw/twn/twn-counter-terrorism-financing-act-I0030047-en.json": (
        "TWN",
        "act",
        "2016",
        "en",
        "json",
    ),
    "raw/usa/usc-18-2339A-2024.pdf": ("USA", "code", "2024", "en", "pdf"),
}
HEADER = (
    "path\tcountry\ttitle\ttitle_en\tdoc_type\tyear\tlanguage\tformat\tstatus\tpartial\t"
    "version_date\tshort_name\tlicence\tsource\tnotes\n"
)
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


# --- hostile file generators --------------------------------------------------------------------


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


def _one_page(contents: bytes, extra: bytes = b"") -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            _stream(contents, extra),
        ]
    )


def zeros_deflated(mib: int) -> bytes:
    """A zlib stream of ``mib`` MiB of zeros, built in ~1 s (full flushes make blocks repeat)."""
    chunk = b"\0" * 2**20
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(mib):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + block * mib + raw.flush() + adler.to_bytes(4, "big")


def bomb_pdf() -> bytes:
    """One Flate stream of 300 MiB: above the extractor's 256 MiB per-stream bound."""
    return _one_page(zeros_deflated(300), b"/Filter /FlateDecode ")


def double_bomb_pdf() -> bytes:
    """A 5 KB PDF whose content stream is Flate inside Flate and inflates to 2 GiB.

    The extractor's bomb check inflates one layer only (2 MB here); pdfium inflates both.
    """
    return _one_page(
        zlib.compress(zeros_deflated(2048), 9), b"/Filter [/FlateDecode /FlateDecode] "
    )


def encrypted_pdf() -> bytes:
    """Standard security handler with a user password we do not know."""
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /Length 40 /O <%s> /U <%s> /P -3904 >>" % (
        b"ab" * 32,
        b"cd" * 32,
    )
    file_id = b"<0123456789abcdef0123456789abcdef>"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            encrypt,
        ],
        b"/Encrypt 4 0 R /ID [%s %s] " % (file_id, file_id),
    )


def many_pages_pdf(pages: int = 50_000) -> bytes:
    """A tree of ``pages`` pages: the first has two sections, the others share one empty stream."""
    first = (
        b"BT /F1 12 Tf 72 720 Td 14 TL "
        b"(Section 1. Every person who finances terrorism commits an offence.) ' "
        b"(Section 2. Every person who recruits for a terrorist group commits an offence.) ' ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(first),
        _stream(b""),
    ]
    kids = []
    for i in range(pages):
        kids.append(b"%d 0 R" % (len(objects) + 1))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (4 if i == 0 else 5)
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return _pdf(objects)


def billion_laughs(levels: int = 9) -> bytes:
    """Nested internal entities: ``levels`` = 9 expands to 10**9 "lol"s (3 GB)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{"".join(entities)}]>\n'
        '<akomaNtoso><act><body><section eId="sec_1"><num>1</num><content>'
        f"<p>&lol{levels};</p></content></section></body></act></akomaNtoso>"
    ).encode()


EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<akomaNtoso><act><body><section eId="sec_1"><num>1</num><content><p>&xxe;</p></content>
</section></body></act></akomaNtoso>"""


def write_huge_text(path: Path, mib: int = 200) -> None:
    line = b"The minister reads the act aloud while the clerk copies every word of it.\n"
    block = line * (2**20 // len(line) + 1)
    with path.open("wb") as out:
        for _ in range(mib):
            out.write(block[: 2**20])


def hostile_files(real_pdf: bytes) -> dict[str, bytes]:
    noise = random.Random(20240607)
    garbage = bytes(noise.randrange(256) for _ in range(64 * 1024))
    utf8_text = "Article 1. Every person who finances terrorism commits an offence.\n"
    return {
        "truncated.pdf": real_pdf[: len(real_pdf) // 2],
        "corrupt.pdf": real_pdf[:3000] + garbage[:20000] + real_pdf[23000:],
        "bomb.pdf": bomb_pdf(),
        "double-bomb.pdf": double_bomb_pdf(),
        "encrypted.pdf": encrypted_pdf(),
        "pages-50000.pdf": many_pages_pdf(),
        "laughs.xml": billion_laughs(),
        "xxe.xml": EXTERNAL_ENTITY,
        "garbage.pdf": garbage,
        "garbage.html": garbage,
        "bad-utf8.txt": (utf8_text.encode() + b"Caf\xc3 \xff\xfe \x80\x81 terror.\n") * 200,
        "bad-utf16.txt": utf8_text.encode("utf-16-le")[:-1] + b"\x00\xd8A\x00",
    }


# --- the run --------------------------------------------------------------------------------------

# Runs in a fresh interpreter: argv[1] is a JSON object of paths and the ceiling.
CHILD = textwrap.dedent(
    r"""
    import json, os, sys
    from pathlib import Path

    args = json.loads(sys.argv[1])
    log_fd = os.open(args["audit_log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def audit(event, hook_args):
        # os.write on a descriptor opened beforehand: logging must not itself raise "open".
        if event == "open" and isinstance(hook_args[0], (str, bytes, os.PathLike)):
            name = os.path.abspath(os.fsdecode(hook_args[0]))
            os.write(log_fd, (name + "\n").encode("utf-8", "surrogateescape"))

    from sqlalchemy import select
    from app.db import make_engine, make_sessionmaker
    from app.migrate import upgrade_database
    from app.models import DocumentVersion, Provision
    from app.settings import Settings
    from ingest.limits import children_peak_rss, self_peak_rss
    from ingest.pipeline import run_ingest

    settings = Settings(data_dir=Path(args["data"]), worker_memory_bytes=args["ceiling"])
    upgrade_database(settings.sqlalchemy_url)
    sys.addaudithook(audit)
    os.write(log_fd, b"--- ingest starts\n")
    report = run_ingest(settings, [Path(args["corpus"])], workers=2)
    os.write(log_fd, b"--- ingest ends\n")
    engine = make_engine(settings.sqlalchemy_url)
    with make_sessionmaker(engine)() as session:
        warnings = {v.document_id: v.warnings for v in session.scalars(select(DocumentVersion))}
        leaked = session.scalar(
            select(Provision.uid).where(Provision.text.contains("root:x:0:0")).limit(1)
        )
    print(json.dumps({
        "files": [f.__dict__ for f in report.files],
        "seconds": report.seconds,
        "indexed": report.indexed,
        "warnings": warnings,
        "leaked": leaked,
        "workers_peak_rss": children_peak_rss(),
        "ingest_peak_rss": self_peak_rss(),
    }))
    """
)


def _row(path: str, country: str, doc_type: str, year: str, lang: str, fmt: str, slug: str) -> str:
    return (
        f"{path}\t{country}\tTitle {slug}\tTitle {slug}\t{doc_type}\t{year}\t{lang}\t{fmt}\t"
        f"official\tfalse\t\t{slug}\ttest\ttest\t\n"
    )


def build_corpus(tmp: Path) -> tuple[Path, Path]:
    """The tmp corpus (good files, hostile files, escaping rows) and a secret file beside it."""
    root = tmp / "corpus"
    secret = tmp / "secret.txt"
    secret.write_text("Article 1. This file is outside the corpus and must never be read.\n")
    lines = [HEADER]
    for i, (rel, (country, doc_type, year, lang, fmt)) in enumerate(GOOD.items()):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / rel, root / rel)
        lines.append(_row(rel, country, doc_type, year, lang, fmt, f"good-{i}"))
    bad = root / "raw" / "bad"
    bad.mkdir(parents=True)
    for i, (name, data) in enumerate(
        hostile_files((CORPUS / "raw/usa/usc-18-2339A-2024.pdf").read_bytes()).items()
    ):
        (bad / name).write_bytes(data)
        lines.append(
            _row(f"raw/bad/{name}", "FRA", "act", "2001", "fr", name.rsplit(".")[-1], f"bad-{i}")
        )
    write_huge_text(bad / "huge-200mb.txt")
    lines.append(_row("raw/bad/huge-200mb.txt", "FRA", "act", "2002", "en", "txt", "huge"))
    (bad / "link-out.txt").symlink_to(secret)
    escapes = [
        "../../etc/passwd",
        "/etc/passwd",
        str(secret),
        "raw/../../secret.txt",
        "raw/bad/link-out.txt",
    ]
    for i, path in enumerate(escapes):
        lines.append(_row(path, "FRA", "act", "2003", "fr", "txt", f"escape-{i}"))
    (root / "manifest.tsv").write_text("".join(lines), encoding="utf-8")
    return root, secret


class HostileRun:
    def __init__(self, corpus: Path, secret: Path, data: Path, result: dict, opened: list[str]):
        self.corpus, self.secret, self.data = corpus, secret, data
        self.files = {f["path"]: f for f in result["files"]}
        self.result = result
        self.opened = opened


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("hostile")
    corpus, secret = build_corpus(tmp)
    args = {
        "corpus": str(corpus),
        "data": str(tmp / "data"),
        "audit_log": str(tmp / "opened.log"),
        "ceiling": CEILING,
    }
    env = {**os.environ, "PYTHONPATH": str(REPO), "CTLEX_DATABASE_URL": ""}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    log = Path(args["audit_log"]).read_text(encoding="utf-8", errors="replace")
    opened = log.split("--- ingest starts\n", 1)[1].split("--- ingest ends\n", 1)[0].splitlines()
    mib = 2**20
    print(
        f"\nhostile ingest: {result['seconds']:.1f}s; worker peak RSS "
        f"{result['workers_peak_rss'] // mib} MiB; ingest process peak RSS "
        f"{result['ingest_peak_rss'] // mib} MiB; ceiling {CEILING // mib} MiB per worker"
    )
    yield HostileRun(corpus, secret, Path(args["data"]), result, opened)
    shutil.rmtree(tmp, ignore_errors=True)  # the 200 MB file goes at once


def test_good_files_beside_hostile_ones_are_stored(hostile_run: HostileRun) -> None:
    for rel in GOOD:
        found = hostile_run.files[rel]
        assert found["outcome"] == "new", found
        assert found["provisions"] > 0
    assert hostile_run.result["indexed"] > 0


# name -> (accepted outcomes, what the message or the stored warnings must say)
EXPECTED = {
    "truncated.pdf": ({"new", "failed"}, r"truncated|damaged"),
    "corrupt.pdf": ({"failed", "new"}, r"damaged|no text layer|truncated|no provisions"),
    "bomb.pdf": ({"failed"}, r"compression bomb"),
    "double-bomb.pdf": ({"failed"}, r"compression bomb|memory|died|no text layer"),
    "encrypted.pdf": ({"failed"}, r"password"),
    "pages-50000.pdf": ({"new"}, r"50000 pages; only the first 5000"),
    "laughs.xml": ({"failed"}, r"entit"),
    "xxe.xml": ({"failed"}, r"external entit"),
    "garbage.pdf": ({"failed"}, r"binary data"),
    "garbage.html": ({"failed"}, r"binary data"),
    "bad-utf8.txt": ({"new", "failed"}, r"."),
    "bad-utf16.txt": ({"new", "failed"}, r"."),
    "huge-200mb.txt": ({"failed"}, r"memory|too large"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_fails_alone_or_is_bounded(hostile_run: HostileRun, name: str) -> None:
    import re

    found = hostile_run.files[f"raw/bad/{name}"]
    outcomes, pattern = EXPECTED[name]
    assert found["outcome"] in outcomes, found
    if found["outcome"] == "failed":
        said = found["message"]
        assert said and not said.startswith("unexpected"), f"unclear message: {said!r}"
    else:
        said = " | ".join(hostile_run.result["warnings"].get(found["document_id"], []))
    assert re.search(pattern, said), f"{name}: {said!r} does not match {pattern!r}"
    print(f"{name}: {found['outcome']}: {said[:160]}")


def test_escaping_manifest_rows_are_refused(hostile_run: HostileRun) -> None:
    reported = hostile_run.result["files"]
    escapes = [f for f in reported if "escapes the corpus folder" in f["message"]]
    assert len(escapes) == 5, [f for f in reported if f["outcome"] == "failed"]
    assert all(f["outcome"] == "failed" for f in escapes)


def test_nothing_outside_the_corpus_folder_is_read(hostile_run: HostileRun) -> None:
    allowed = [
        hostile_run.corpus.resolve(),
        hostile_run.data.resolve(),
        Path(sys.prefix).resolve(),
        Path(sys.base_prefix).resolve(),
        *(
            REPO / d
            for d in ("app", "ingest", "search_index", "corpus/taxonomy", "corpus/reference")
        ),
        Path("/proc"),
        Path("/dev"),
        Path("/sys"),
    ]
    outside = sorted(
        {
            p
            for p in hostile_run.opened
            if not any(Path(p).resolve().is_relative_to(root) for root in allowed)
        }
    )
    assert outside == []
    assert hostile_run.result["leaked"] is None, "a provision holds /etc/passwd content"
    opened = {Path(p).resolve() for p in hostile_run.opened}
    assert hostile_run.secret.resolve() not in opened
    assert Path("/etc/passwd") not in opened
    # The hook did see the run: the good files were opened (hashing, then by the workers).
    assert (hostile_run.corpus / next(iter(GOOD))).resolve() in opened


def test_workers_stay_under_the_memory_ceiling(hostile_run: HostileRun) -> None:
    peak = hostile_run.result["workers_peak_rss"]
    assert 0 < peak < CEILING, f"worker peak RSS {peak // 2**20} MiB >= {CEILING // 2**20} MiB"
    # The ingest process is not capped; it holds one file's bytes at a time for hashing.
    assert hostile_run.result["ingest_peak_rss"] < CEILING


# --- the ceiling itself ---------------------------------------------------------------------------


def _allocate(mib: int) -> int:
    return len(bytearray(mib * 2**20))


def test_a_worker_over_the_ceiling_fails_only_its_own_task() -> None:
    from concurrent.futures import ProcessPoolExecutor

    from ingest.limits import address_space_bytes, apply_memory_limit, memory_limit

    # Workers fork from this process: in a full test session it has loaded the app, the
    # embedding model and indexes, so the ceiling must sit above its current size.
    ceiling = max(CEILING, address_space_bytes() + 512 * 2**20)
    with ProcessPoolExecutor(2, initializer=apply_memory_limit, initargs=(ceiling,)) as pool:
        big = pool.submit(_allocate, ceiling // 2**20 + 64)
        small = [pool.submit(_allocate, 16) for _ in range(4)]
        limit = pool.submit(memory_limit)
        with pytest.raises(MemoryError):
            big.result()
        assert [f.result() for f in small] == [16 * 2**20] * 4
        assert limit.result() == ceiling
    assert memory_limit() is None or memory_limit() != ceiling  # the test process is untouched


def test_a_ceiling_below_the_current_size_is_refused() -> None:
    from ingest.limits import (
        MemoryLimitError,
        address_space_bytes,
        apply_memory_limit,
        memory_limit,
    )

    before = memory_limit()
    with pytest.raises(MemoryLimitError, match="too low"):
        apply_memory_limit(address_space_bytes() // 2)
    assert memory_limit() == before


def test_ingest_refuses_an_unworkable_ceiling_before_starting(tmp_path: Path) -> None:
    from app.settings import Settings
    from ingest.limits import MemoryLimitError
    from ingest.pipeline import run_ingest

    settings = Settings(data_dir=tmp_path / "data", worker_memory_bytes=64 * 2**20)
    with pytest.raises(MemoryLimitError, match="CTLEX_WORKER_MEMORY_BYTES"):
        run_ingest(settings, [tmp_path], workers=2)
    assert not (tmp_path / "data").exists(), "nothing was started"
