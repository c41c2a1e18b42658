"""`ctlex search` and `ctlex export` on a small ingested corpus, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as Docx

from app.settings import REPO_ROOT
from tests.small_corpus import GBR, ITA, make_corpus


def ctlex(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTLEX_")}
    env["CTLEX_DATA_DIR"] = str(data)
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "ingest.cli", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    corpus = make_corpus(root / "corpus", [GBR, ITA])
    data = root / "data"
    assert ctlex(data, "db", "upgrade").returncode == 0
    done = ctlex(data, "ingest", str(corpus), "--workers", "1")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return data


def test_search_prints_the_api_answer_as_json(data: Path) -> None:
    r = ctlex(data, "search", "financing", "--country", "GBR", "--json", "--size", "5")
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    assert body["total"] > 0 and len(body["hits"]) <= 5
    assert all(h["country"] == "GBR" for h in body["hits"])
    assert "<mark>" in body["hits"][0]["snippet"]


def test_search_prints_citations_for_a_reader(data: Path) -> None:
    r = ctlex(data, "search", '"money or other property"', "--size", "3")
    assert r.returncode == 0, r.stderr
    assert "(GBR), s. 15" in r.stdout and "~part_III__sec_15" in r.stdout


def test_a_bad_query_is_a_clear_error_not_a_traceback(data: Path) -> None:
    r = ctlex(data, "search", '"unbalanced')
    assert r.returncode == 2
    assert "unbalanced quote" in r.stderr and "Traceback" not in r.stderr


def test_export_writes_a_word_file_with_citations(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "clauses.docx"
    r = ctlex(data, "export", "--offence", "financing", "--country", "GBR", "-o", str(target))
    assert r.returncode == 0, r.stderr
    text = "\n".join(p.text for p in Docx(str(target)).paragraphs)
    assert "(GBR), s. 15" in text and "/p/gbr/act/2000/terrorism-act/~part_III__sec_15" in text


def test_export_by_unknown_id_writes_nothing(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "none.md"
    r = ctlex(data, "export", "--id", "zzz/act/1/none/~sec_1", "--format", "md", "-o", str(target))
    assert r.returncode == 2 and "none of the given ids" in r.stderr
    assert not target.exists()
