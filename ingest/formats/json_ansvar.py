"""JSON law collections shaped ``{"provisions": [{"provision_ref", "section"|"article",
"title", "content", "chapter"?}, ...]}`` (the Ansvar-Systems "law MCP" seeds and alike).

Scrapers differ per country, so each document is first profiled (does the content repeat the
label? are headings glued to the previous provision? are list items duplicated?) and a repair
is applied only when the whole document shows the pattern. Every repair keeps the legal text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any

from ingest.formats.json_cleanup import (
    clean_value,
    dedupe_repeats,
    first_line_heading,
    has_repeat,
    split_notes,
    strip_page_furniture,
    trailing_heading,
)
from ingest.formats.json_containers import (
    ContainerLabel,
    ContainerTracker,
    parse_container_label,
    place_trailing_containers,
)
from ingest.formats.json_embedded import sequence_key, split_embedded, split_icelandic
from ingest.formats.json_supplementary import merge_supplementary_articles, place_glued_chapters
from ingest.formats.provision_builder import ProvisionBuilder, full_text
from ingest.numbering import normalise_number
from ingest.records import ExtractedText

_DIGIT = r"[\d\u0660-\u0669\u06f0-\u06f9\u09e6-\u09ef]"
_LABEL_HEAD = (
    r"^\s*(?P<bracket>\[?)(?P<label>(?:§+\s*)?(?:[^\W\d_][^\s\d]*\.?\s+){0,2}\(?\s*"
    + _DIGIT
    + r"[\w^/.\-]*"
)
_LABEL_TAIL = r"\s*\)?\s*(?:§|straipsnis|gr\.)?)(?:[\s.:\-–—।]+|$)"
_LABEL = re.compile(_LABEL_HEAD + _LABEL_TAIL)
_SUFFIX = r"(?:[a-z]|bis|ter|quater|quinquies|sexies|septies|octies|nonies|novies|decies)"
_LABEL_LETTER = re.compile(
    _LABEL_HEAD + rf"\s(?i:{_SUFFIX})(?=[.\s\-])" + _LABEL_TAIL
)  # "§ 7 a.", "ARTÍCULO 69 bis.-"
_SPLIT_SUPERSCRIPT = re.compile(r"^\s*(?P<label>(?:[^\W\d_]\S*\s+){0,2}(\d+)\s+(\d+))\s*\.\s+")
_BARE_LABEL = re.compile(rf"^{_DIGIT}+[^\W\d_]?[.।]?$")
_TITLE_FOOTNOTE = re.compile(r"\u200b\d+\s*$")
_ARTICLE_WORDS = re.compile(
    r"(?i)^(art|madde|člen|член|члан|чл|стаття|статья|άρθρο|მუხლი|المادة|مادة|artikel|"
    r"artículo|articolul|article|\d+\S*\s+straipsnis|\d+\.\s*gr)"
)
_SECTION_WORDS = re.compile(r"(?i)^(section|sec\b|s\.|ধারা|sek)")
_SEPARATOR_HEADING = re.compile(r"^([^_\n]{2,150}?)\s*\.?_{1,3}\s*")
_RUBRIC = re.compile(r"^([^.\n]{2,60}(?:\n[^.\n]{1,60})?)\.\s?-\s*")
_LEAD_HEADING = re.compile(r"^([A-Z][^.\n(]{2,80})\.\s+(?=\((?:1|a|i)\))")


@dataclass
class _Row:
    index: int
    number: str | None
    confirmed: bool
    title: str
    content: str
    kind: str
    label: str | None = None
    renumbered: bool = False
    heading: str | None = None
    notes: list[str] = field(default_factory=list)
    chapter: list[ContainerLabel] | None = None


def _number_from_key(record: dict[str, Any]) -> str | None:
    for key in ("article", "section"):
        raw = clean_value(record.get(key))
        if raw and (re.search(_DIGIT, raw) or " " not in raw):
            number = normalise_number(raw)
            if number:
                return number
    return None


def _label_split(text: str, number: str | None) -> tuple[str | None, str]:
    """("Section 2", "Definitions") from "Section 2. Definitions" when the label matches."""
    for pattern in (_LABEL_LETTER, _LABEL):
        match = pattern.match(text)
        if match and match.group("label").startswith("("):
            continue  # "(1)" opens a subsection; it is not the provision's label
        if match and number and normalise_number(match.group("label")) == number:
            return match.group("label").strip(" .:-–—"), text[match.end() :]
    match = _SPLIT_SUPERSCRIPT.match(text)  # "მუხლი 331 1 . ..." is article 331¹
    if match and number == f"{match.group(2)}.{match.group(3)}":
        return match.group("label"), text[match.end() :]
    if number and text and len(text) <= 80 and normalise_number(text) == number:
        return text.strip(), ""
    return None, text


def _kind(label: str | None, record: dict[str, Any]) -> str:
    ref = clean_value(record.get("provision_ref")).lower()
    meta = record.get("metadata") or {}
    probe = label or clean_value(meta.get("source_heading"))
    if "§" in probe:
        return "paragraph"
    if (
        _ARTICLE_WORDS.match(probe)
        or "article" in record
        or ref.startswith(("art", "madde", "gecici"))
    ):
        return "article"
    if _SECTION_WORDS.match(probe) or re.match(r"^(s|sec)\d", ref):
        return "section"
    return "article" if meta.get("section_format") == "article" else "section"


def _make_row(index: int, record: dict[str, Any]) -> _Row:
    number = _number_from_key(record)
    confirmed = number is not None
    # Lovdata marks a footnote in a title with a zero-width space and the footnote's number
    # ("Hvitvasking\u200b1"); the footnote itself is the "0 Tilføyd ..." line moved to the notes.
    title = clean_value(_TITLE_FOOTNOTE.sub("", str(record.get("title") or "")))
    content = clean_value(record.get("content"))
    if number is None:
        ref = re.sub(r"^[^:]*:", "", clean_value(record.get("provision_ref")))
        number = normalise_number(ref) or None
    label, _ = _label_split(title, number)
    if label is None:
        label, _ = _label_split(content, number)
        if label and label[0].islower():
            label = None  # "artículo 137 de la Constitución": a reference, not a label
    confirmed = confirmed or label is not None
    if label is None:
        heading_label = clean_value((record.get("metadata") or {}).get("source_heading"))
        label = heading_label.rstrip(". ") or None
    kind = _kind(label, record)
    if label and _BARE_LABEL.match(label + "."):
        label = None  # a bare "12." is no label: the default ("s. 12") is built later
    return _Row(index, number, confirmed, title, content, kind, label=label)


@dataclass(frozen=True)
class _Profile:
    strip_bare: bool
    trailing_headings: bool
    first_line_headings: bool
    dedupe: bool
    titles_are_first_lines: bool = False


def _profile(rows: list[_Row]) -> _Profile:
    def share(flags: list[bool]) -> float:
        return sum(flags) / len(flags) if flags else 0.0

    numbered = [r for r in rows if r.number and r.number != "1"]
    bare: list[bool] = []
    for row in numbered:
        match = _LABEL.match(row.content)
        if match and not _BARE_LABEL.match(match.group("label").strip()):
            continue  # "Чл. 2." and alike are always stripped
        bare.append(bool(match) and normalise_number(match.group("label")) == row.number)
    untitled = share([not r.title for r in rows]) > 0.9
    return _Profile(
        strip_bare=share(bare) >= 0.5,
        # 0.2: Law 3713's many repealed stubs ("(Mülga: ...)") end with no heading after them
        trailing_headings=share([trailing_heading(r.content)[1] is not None for r in rows]) >= 0.2,
        first_line_headings=untitled
        and share([first_line_heading(r.content)[0] is not None for r in rows]) >= 0.5,
        dedupe=share([has_repeat(r.content) for r in rows]) >= 0.2,
        titles_are_first_lines=share(
            [_title_is_wrapped_first_line(r) for r in rows if r.title and r.content]
        )
        >= 0.3,
    )


def _title_is_wrapped_first_line(row: _Row) -> bool:
    """True when the record's title is only the first printed line of its text, cut where the
    PDF line broke ("... por hechos que no estén expresamente" + "calificados, como ...")."""
    _, rest = _label_split(row.title, row.number)
    lines = _LABEL.sub("", row.content, count=1).strip().split("\n")
    return (
        len(lines) > 1
        and lines[0].strip().rstrip(" .:") == rest.strip().rstrip(" .:")
        and _is_lower(lines[1].strip()[:1])
    )


def _printed_number(content: str) -> str | None:
    match = _LABEL.match(content)
    if match and _BARE_LABEL.match(match.group("label").strip()):
        return normalise_number(match.group("label"))
    return None


def _prefer_printed_numbers(rows: list[_Row]) -> list[_Row]:
    """Use the numbers printed at the start of each text when the scraper renumbered.

    Some scrapes number records 1, 2, 3... while the text prints "20ক।", "23ক।" (Bangladesh):
    when nearly every text starts with its own distinct number, the printed one wins.
    """
    printed = [_printed_number(r.content) for r in rows]
    known = [p for p in printed if p]
    if len(known) < 0.8 * len(rows) or len(set(known)) < 0.8 * len(rows):
        return rows
    if all(p == r.number for p, r in zip(printed, rows, strict=True) if p):
        return rows
    for row, number in zip(rows, printed, strict=True):
        if number:
            row.number, row.label, row.confirmed, row.renumbered = number, None, True, True
    return rows


def _strip_content_label(row: _Row, profile: _Profile) -> str:
    match = next(
        (m for p in (_LABEL_LETTER, _LABEL) if (m := p.match(row.content))
         and not m.group("label").startswith("(")
         and normalise_number(m.group("label")) == row.number),
        None,
    )  # fmt: skip
    if not match:
        return row.content
    if _BARE_LABEL.match(match.group("label").strip()) and not profile.strip_bare:
        return row.content
    return match.group("bracket") + row.content[match.end() :]


def _is_lower(char: str) -> bool:
    """Lower-case letter of a script where case marks a sentence start (not Georgian)."""
    if not char or not char.islower():
        return False
    return unicodedata.name(char, "").startswith(("LATIN", "CYRILLIC", "GREEK", "ARMENIAN"))


# A title cut where the printed line broke ends on an article or conjunction that a heading never
# ends on ("ARTÍCULO 121.—La Unidad de Registros y" + "Consultas estructurará ..."). Only Spanish
# and Portuguese words: "de", "en", "for", "den" end real Dutch, Nordic and English headings.
_WRAPPED_TITLE = re.compile(
    r"\s(?:y|del|el|la|los|las|que|por|para|con|al|sus|una|dos|das|pelo|pela)$"
)


def _heading_and_body(row: _Row, profile: _Profile) -> tuple[str | None, str]:
    _, rest = _label_split(row.title, row.number)
    if row.renumbered:
        rest = re.sub(r"^\d+\.\s+", "", rest)  # the scraper's own sequence number
    rest = rest.strip().lstrip("-–— ").strip()
    body = _strip_content_label(row, profile).strip()
    flat_rest, flat_body = " ".join(rest.split()), " ".join(body.split())
    heading: str | None = rest or None
    position = flat_body[:400].find(flat_rest[:40]) if rest else -1
    if position == 0 and profile.titles_are_first_lines and not rest.endswith(".-"):
        heading = None  # a scraper's title that copies the first printed line: text, not heading
    elif position == 0:
        after = flat_body[len(flat_rest) :].lstrip()[:1]
        if after and not _is_lower(after) and not rest.startswith("("):
            body = flat_body[len(flat_rest) :].lstrip(" .:-–—")  # heading repeated in the text
        else:
            heading = None  # the title is a copy of the start of the text
    elif 0 < position <= 12 and len(flat_rest) >= 30:
        heading = None  # the title copies the first sentence of the text ("(1) ...")
    elif rest and (_is_lower(body[:1]) or rest.endswith(":") or _WRAPPED_TITLE.search(rest)):
        heading, body = None, f"{rest}\n{body}" if rest.endswith(":") else f"{rest} {body}"
    if heading and "_" in heading:
        body, heading = f"{heading} {body}", None
    if heading is None and row.label:
        match = _SEPARATOR_HEADING.match(body)
        if match and "_" in body[: match.end()]:
            heading, body = match.group(1).strip(), body[match.end() :]
    body = body.lstrip("_-–— \n")
    if heading is None and row.label:
        match = _LEAD_HEADING.match(body)  # "Training. (1) Weapons training: ..."
        if match:
            heading, body = match.group(1), body[match.end() :]
    if heading is None:
        match = _RUBRIC.match(body)
        if match and len(match.group(1).split()) <= 12:
            heading, body = " ".join(match.group(1).split()), body[match.end() :]
    if heading is None and profile.first_line_headings:
        heading, body = first_line_heading(body)
    return (heading.rstrip(" .:") or None) if heading else None, body


def _split_embedded_sections(rows: list[_Row]) -> list[_Row]:
    """Cut the provisions a scrape printed inside another provision's text (``json_embedded``)
    into rows of their own, right after it. Icelandic inserted articles keep the heading of the
    article they were printed in (the scrape gives them none)."""
    out: list[_Row] = []
    highest = 0  # of the main sequence: what follows a supplementary article ("g19") continues it
    for index, row in enumerate(rows):
        following = rows[index + 1].number if index + 1 < len(rows) else None
        supplementary = bool(re.fullmatch(r"[eg]\d+", row.number or ""))
        if not supplementary and (key := sequence_key(row.number)):
            highest = max(highest, key[0])
        kept, embedded = split_icelandic(row.number, row.content)
        if not embedded:
            low = str(highest) if supplementary else row.number
            kept, embedded = split_embedded(low, row.content, following)
        if not embedded:
            out.append(row)
            continue
        out.append(replace(row, content=kept))
        for item in embedded:
            label = item.label
            if label is None and row.kind == "section":
                label = f"Section {item.printed}"
            heading = row.heading if item.heading is None else item.heading
            out.append(replace(row, number=item.number, title="", notes=[], label=label,
                               heading=heading, content=item.text,
                               chapter=None if supplementary else row.chapter))  # fmt: skip
    return out


def _chapter_levels(record: dict[str, Any]) -> list[ContainerLabel] | None:
    chapter = clean_value(record.get("chapter"))
    section = clean_value(record.get("section"))
    levels = parse_container_label(chapter) if chapter else []
    if "article" in record and section and section != chapter:
        sub = parse_container_label(section)
        levels += [replace(x, kind="division") if x.kind == "chapter" else x for x in sub]
    return levels or None


def _dedupe_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for record in records:
        key = tuple(clean_value(record.get(k)) for k in ("provision_ref", "title", "content"))
        if key not in seen:
            seen.add(key)
            out.append(record)
    return out


def extract_ansvar(data: dict[str, Any]) -> ExtractedText:
    """Extract a ``{"provisions": [...]}`` JSON law collection.

    Args:
        data: the decoded JSON object.

    Returns:
        ExtractedText with containers from ``chapter`` and one provision per record.
    """
    records = [r for r in _dedupe_records(data["provisions"]) if isinstance(r, dict)]
    records = place_glued_chapters(merge_supplementary_articles(records))
    rows = _prefer_printed_numbers([_make_row(i, r) for i, r in enumerate(records)])
    for row, record in zip(rows, records, strict=True):
        row.chapter = _chapter_levels(record)
    for row in rows:
        row.content, row.notes = split_notes(row.content)
    contents, _ = strip_page_furniture([row.content for row in rows])
    for row, content in zip(rows, contents, strict=True):
        row.content = content
    profile = _profile(rows)
    for row in rows:
        row.heading, row.content = _heading_and_body(row, profile)
        if profile.dedupe:
            row.content, _ = dedupe_repeats(row.content, min_words=3)
    if profile.trailing_headings:
        for row, following in zip(rows, rows[1:], strict=False):
            text, fragment = trailing_heading(row.content)
            if fragment and not following.heading:
                row.content, following.heading = text, fragment
    contents, chapters = place_trailing_containers(
        [row.content for row in rows], [row.chapter for row in rows]
    )
    for row, content, chapter in zip(rows, contents, chapters, strict=True):
        row.content, row.chapter = content, chapter
    rows = _split_embedded_sections(rows)
    _repair_numbers(rows)
    return _build(rows, data)


def _repair_numbers(rows: list[_Row]) -> None:
    """Undo two extraction accidents seen in the corpus, in document order.

    - a superscript glued to its article ("2501" right after article 250 is 250¹ -> ``250.1``);
    - right-to-left text reversed by PDF extraction ("1-218" among "218-x" is ``218-1``).
    """
    numbers = {r.number for r in rows if r.number}
    base: int | None = None
    for row in rows:
        number = row.number or ""
        if base and re.fullmatch(rf"{base}\d{{1,2}}", number) and int(number) > 10 * base:
            row.number = f"{base}.{number[len(str(base)) :]}"
        swapped = re.fullmatch(r"(\d+)-(\d+)", number)
        if swapped and int(swapped.group(1)) < int(swapped.group(2)):
            head = swapped.group(2)
            if base == int(head) or any(n.startswith(f"{head}-") for n in numbers):
                row.number = f"{head}-{swapped.group(1)}"
        leading = re.match(r"\d+", row.number or "")
        if leading and "." not in (row.number or "") and "-" not in (row.number or ""):
            base = int(leading.group(0))


def _build(rows: list[_Row], data: dict[str, Any]) -> ExtractedText:
    builder = ProvisionBuilder()
    containers = ContainerTracker(builder)
    last_chapter: list[ContainerLabel] | None = None
    seen: set[str] = set()
    in_schedule = False
    for position, row in enumerate(rows):
        if row.chapter and row.chapter != last_chapter:
            containers.enter(row.chapter)
            last_chapter = row.chapter
        if row.number == "1" and "1" in seen and not in_schedule and row.kind == "section":
            # numbering restarts at 1 after the sections: a schedule's paragraphs follow
            containers.enter([ContainerLabel("schedule", None, "Schedule", None)])
            in_schedule = True
        seen.add(row.number or "")
        if not row.confirmed and position == 0 and len(rows) > 1:
            kind, number, label = "preamble", None, "Preamble"  # e.g. a certification note
        elif in_schedule:
            kind, number, label = "paragraph", row.number, f"para. {row.number}"
        else:
            kind, number, label = row.kind, row.number, row.label or _default_label(row)
        builder.add(
            kind,
            number,
            label=label,
            heading=row.heading,
            text=row.content,
            parent_eid=containers.parent(),
            eid_parent=containers.prefix(),
            notes=row.notes,
        )
    documents = data.get("documents") or [{}]
    title = clean_value(data.get("title") or documents[0].get("title")) or None
    provisions = builder.build()
    return ExtractedText(text=full_text(title, provisions), provisions=provisions, title=title)


def _default_label(row: _Row) -> str | None:
    if not row.number:
        return None
    prefix = {"article": "Art.", "section": "s.", "paragraph": "§"}.get(row.kind, "")
    return f"{prefix} {row.number}".strip()
