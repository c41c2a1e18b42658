"""JSON law collections: recognise the schema and extract its provisions.

Schemas:
- ``{"provisions": [{"provision_ref", "section"|"article", "title", "content", ...}]}``
  (Ansvar-Systems style, many countries): see ``json_ansvar``.
- Taiwan Ministry of Justice open data: ``{"法規內容": [{"條號", "條文內容"} | {"編章節"}]}``.
- Planalto (Brazil) scrapes: ``{"conteudo": "<html>..."}`` with "Art. 1º" paragraphs.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bs4 import BeautifulSoup

from ingest.errors import SourceParseError
from ingest.formats.json_ansvar import extract_ansvar
from ingest.formats.json_containers import ContainerTracker, parse_container_label
from ingest.formats.provision_builder import ProvisionBuilder, full_text
from ingest.numbering import normalise_number
from ingest.records import ExtractedText

EXPECTED_KEYS = ("provisions", "法規內容", "conteudo")
_PLANALTO_ARTICLE = re.compile(r"^Art\.\s*(\d+[ºo°]?(?:-[A-Z])?)\.?\s*(?:-\s*)?")
_PLANALTO_CONTAINER = re.compile(r"^(CAPÍTULO|TÍTULO|SEÇÃO|LIVRO|PARTE)\s+[IVXLCDM\d]+", re.I)
_PLANALTO_END = re.compile(r"^Brasília,")


def extract_json_law(data: bytes) -> ExtractedText:
    """Extract a JSON law file.

    Args:
        data: the raw bytes (UTF-8, optionally with a BOM).

    Returns:
        ExtractedText with provisions in document order.

    Raises:
        SourceParseError: malformed JSON, an unknown schema (the message names the keys it
            expected) or a file without any provision.
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceParseError(
            f"malformed JSON ({exc}): the file is truncated or not JSON; re-download it."
        ) from exc
    if isinstance(document, list):
        document = {"provisions": document}
    if not isinstance(document, dict):
        raise SourceParseError(_unknown_schema_message(document))
    if isinstance(document.get("provisions"), list):
        if not document["provisions"]:
            raise SourceParseError("JSON 'provisions' list is empty: the source has no text.")
        return extract_ansvar(document)
    if isinstance(document.get("法規內容"), list):
        return extract_moj(document)
    if isinstance(document.get("conteudo"), str):
        return extract_planalto(document)
    raise SourceParseError(_unknown_schema_message(document))


def _unknown_schema_message(document: Any) -> str:
    found = sorted(document)[:12] if isinstance(document, dict) else type(document).__name__
    return (
        f"unknown JSON law schema: expected an object with one of the keys "
        f"{', '.join(repr(k) for k in EXPECTED_KEYS)} (a list of provisions, Taiwan MOJ "
        f"articles, or Planalto HTML); found {found}."
    )


def extract_moj(document: dict[str, Any]) -> ExtractedText:
    """Extract Taiwan MOJ open data (Chinese or English): 第 3 條 / Article 3 -> number ``3``."""
    builder = ProvisionBuilder()
    containers = ContainerTracker(builder)
    for entry in document["法規內容"]:
        if not isinstance(entry, dict):
            continue
        if entry.get("編章節"):
            containers.enter(parse_container_label(str(entry["編章節"])))
            continue
        label = str(entry.get("條號") or "").strip()
        text = str(entry.get("條文內容") or "").replace("\r\n", "\n").strip()
        if not label and not text:
            continue
        number = normalise_number(label) or None
        builder.add(
            "article",
            number,
            label=re.sub(r"\s+", " ", label) or None,
            text=text,
            parent_eid=containers.parent(),
            eid_parent=containers.prefix(),
        )
    title = document.get("法規名稱") or document.get("英文法規名稱") or document.get("中文法規名稱")
    history = str(document.get("沿革內容") or "").replace("\r\n", "\n").strip()
    provisions = builder.build()
    if not provisions:
        raise SourceParseError("Taiwan MOJ JSON has no articles in '法規內容'.")
    return ExtractedText(
        text=full_text(title, provisions, front=history), provisions=provisions, title=title
    )


def _paragraphs(html_text: str) -> list[str]:
    soup = BeautifulSoup(html_text, "html.parser")
    for strike in soup.find_all(["strike", "s", "del"]):
        strike.decompose()  # text struck through on Planalto pages is no longer in force
    paragraphs = [re.sub(r"\s+", " ", p.get_text(" ")).strip() for p in soup.find_all("p")]
    return [re.sub(r"\s+([,.;:])", r"\1", p) for p in paragraphs if p]


def extract_planalto(document: dict[str, Any]) -> ExtractedText:
    """Extract a Planalto HTML law stored in JSON: one provision per "Art. Nº" paragraph."""
    builder = ProvisionBuilder()
    containers = ContainerTracker(builder)
    front: list[str] = []
    back: list[str] = []
    current: str | None = None
    for paragraph in _paragraphs(document["conteudo"]):
        if back or _PLANALTO_END.match(paragraph):
            back.append(paragraph)  # place, date, signatures, publication note
        elif match := _PLANALTO_ARTICLE.match(paragraph):
            if current is None and front:
                _add_planalto_preamble(builder, front)
            current = builder.add(
                "article",
                normalise_number(match.group(1)),
                label=f"Art. {match.group(1)}",
                text=paragraph[match.end() :],
                parent_eid=containers.parent(),
                eid_parent=containers.prefix(),
            )
        elif _PLANALTO_CONTAINER.match(paragraph):
            containers.enter(parse_container_label(paragraph))
        elif current:
            builder.append_text(current, paragraph)
        else:
            front.append(paragraph)
    if current is None:
        raise SourceParseError("Planalto HTML in 'conteudo' holds no 'Art.' paragraph.")
    title = _planalto_title(front) or document.get("nome") or document.get("titulo")
    provisions = builder.build()
    text = full_text(title, provisions) + "\n\n" + "\n".join(back)
    return ExtractedText(text=text, provisions=provisions, title=title)


def _planalto_title(front: list[str]) -> str | None:
    return next((p for p in front if re.match(r"^(LEI|DECRETO|MEDIDA)", p)), None)


def _add_planalto_preamble(builder: ProvisionBuilder, front: list[str]) -> None:
    """The ementa and enacting formula before Art. 1 (not the masthead or the law's title)."""
    title = _planalto_title(front)
    lines = [p for p in front if p != title and not p.startswith("Presidência")]
    if lines:
        builder.add("preamble", None, label="Preamble", text="\n".join(lines))
