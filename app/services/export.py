"""Export of chosen clauses with exact citations: DOCX, CSV, JSON, Markdown."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.schemas import ProvisionPublic
from app.services.provisions import NotFound, load_provisions
from app.services.search import SearchParams, to_query
from search_index.base import MAX_SIZE, SearchBackend

EXPORT_MAX = 500
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
}
STATUS_NOTE = {
    "official": "official text",
    "official_translation": "official translation",
    "unofficial": "unofficial text: check against the official publication",
    "bill": "bill: not enacted law",
    "extract": "extract: only part of the act",
}
CSV_COLUMNS = (
    "citation",
    "country",
    "document_id",
    "document_title",
    "label",
    "heading",
    "language",
    "status",
    "partial",
    "version_date",
    "offences",
    "instruments",
    "permalink",
    "penalty",
    "text",
)


def penalty_text(p: Any) -> str:
    """A penalty in words: "up to 10 years' imprisonment, fine"."""
    if p is None:
        return ""
    p = p if isinstance(p, dict) else p.model_dump()
    parts = []
    if p.get("death"):
        parts.append("death penalty")
    if p.get("life"):
        parts.append("life imprisonment")
    if p.get("max_years"):
        low = f"{p['min_years']:g} to " if p.get("min_years") else "up to "
        parts.append(f"{low}{p['max_years']:g} years' imprisonment")
    elif p.get("min_years"):
        parts.append(f"at least {p['min_years']:g} years' imprisonment")
    if p.get("fine"):
        parts.append("fine" + (f" ({p['fine_amount']})" if p.get("fine_amount") else ""))
    return ", ".join(parts) or "stated"


def _penalty_line(p: ProvisionPublic) -> str:
    """The stated maximum penalty and the words that state it, or "none stated"."""
    if p.penalty is None:
        return "none stated"
    return (
        f"{penalty_text(p.penalty)} ({p.penalty.evidence})"
        if p.penalty.evidence
        else (penalty_text(p.penalty))
    )


def _line(p: ProvisionPublic) -> dict[str, str]:
    return {
        "citation": p.citation,
        "country": p.country,
        "document_id": p.document_id,
        "document_title": p.document_title,
        "label": p.label or "",
        "heading": p.heading or "",
        "language": p.language or "",
        "status": p.status,
        "partial": str(p.partial).lower(),
        "version_date": p.version_date or "",
        "offences": " ".join(p.offences),
        "instruments": " ".join(p.instruments),
        "permalink": p.permalink,
        "penalty": _penalty_line(p),
        "text": p.text,
    }


def clauses_by_id(session: Session, ids: list[str]) -> tuple[list[ProvisionPublic], str]:
    """The provisions named by ``ids`` (unknown ones left out) and a description of the choice.

    Raises:
        NotFound: none of the ids is a known provision.
    """
    chosen = load_provisions(session, ids)
    if not chosen:
        raise NotFound("none of the given ids is a known provision: copy ids from a search")
    missing = len(set(ids)) - len({p.id for p in chosen})
    description = f"{len(chosen)} chosen provision(s)" + (
        f"; {missing} unknown id(s) left out" if missing else ""
    )
    return chosen, description


def clauses_by_search(
    session: Session, backend: SearchBackend, params: SearchParams, size: int
) -> tuple[list[ProvisionPublic], str]:
    """Up to ``size`` provisions matching a search (paged through the 100-hit page limit), in
    the search's order, and a description of the search for the export's title page."""
    hits: list[str] = []
    total = 0
    for number in range(1, size // MAX_SIZE + 2):
        page = backend.search(to_query(replace(params, page=number, size=MAX_SIZE)))
        hits.extend(h.id for h in page.hits)
        total = page.total
        if len(page.hits) < MAX_SIZE or len(hits) >= size:
            break
    chosen = load_provisions(session, hits[:size])
    shown = {k: v for k, v in params.filters.items() if v}
    description = (
        f"Search: q={params.q!r} filters={shown}; {len(chosen)} of {total} matching provision(s)"
    )
    return chosen, description


def export(
    provisions: list[ProvisionPublic], fmt: str, *, description: str, base_url: str = ""
) -> bytes:
    """Render ``provisions`` in ``fmt``; permalinks are made absolute with ``base_url``."""
    provisions = [p.model_copy(update={"permalink": base_url + p.permalink}) for p in provisions]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if fmt == "json":
        return json.dumps(
            {
                "exported_at": when,
                "description": description,
                "clauses": [p.model_dump() for p in provisions],
            },
            ensure_ascii=False,
            indent=2,
        ).encode()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for p in provisions:
            writer.writerow({k: _inert(v) for k, v in _line(p).items()})
        return out.getvalue().encode("utf-8-sig")  # BOM so spreadsheet programs read UTF-8
    if fmt == "md":
        return _markdown(provisions, description, when).encode()
    if fmt == "docx":
        return _docx(provisions, description, when)
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    """Quote a cell a spreadsheet would run as a formula (CSV injection); text stays readable."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _markdown(provisions: list[ProvisionPublic], description: str, when: str) -> str:
    parts = [
        f"# ctlex clause export\n\n{description}\n\nExported {when}; {len(provisions)} clause(s).\n"
    ]
    for p in provisions:
        parts.append(
            f"\n## {p.citation}\n\n"
            f"- Country: {p.country}\n- Document: {p.document_title}\n"
            f"- Version date: {p.version_date or 'unknown'}\n"
            f"- Text status: {STATUS_NOTE.get(p.status, p.status)}"
            f"{' (partial source)' if p.partial else ''}\n"
            f"- Permalink: {p.permalink}\n"
            f"- Penalty: {_penalty_line(p)}\n\n"
            + (f"**{p.heading}**\n\n" if p.heading else "")
            + p.text.strip()
            + "\n"
        )
    return "".join(parts)


def _docx(provisions: list[ProvisionPublic], description: str, when: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = "ctlex clause export"
    doc.add_heading("ctlex clause export", level=0)
    doc.add_paragraph(description)
    doc.add_paragraph(
        f"Exported {when}. {len(provisions)} clause(s). Each clause is given in "
        "its original language with its citation, source document, version date "
        "and permalink."
    )
    for i, p in enumerate(provisions, 1):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(f"{i}. {p.citation}", level=1)
        meta = doc.add_paragraph()
        for label, value in (
            ("Country", p.country),
            ("Document", p.document_title),
            ("Version date", p.version_date or "unknown"),
            (
                "Text status",
                STATUS_NOTE.get(p.status, p.status) + (" (partial source)" if p.partial else ""),
            ),
            ("Permalink", p.permalink),
            ("Tags", ", ".join([*p.offences, *p.instruments]) or "none"),
            ("Penalty", _penalty_line(p)),
        ):
            meta.add_run(f"{label}: ").bold = True
            meta.add_run(f"{value}\n")
        if p.heading:
            doc.add_heading(p.heading, level=2)
        for para in p.text.strip().split("\n"):
            if para.strip():
                run = doc.add_paragraph().add_run(para.strip())
                run.font.size = Pt(11)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
