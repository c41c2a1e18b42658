"""Turkish supplementary (Ek) and provisional (Geçici) articles in scraped law collections.

The scrape of the Anti-Terror Law 3713 prints each of them as a stub record ("Geçici Madde 1 -
Madde 1 –", section "G1") followed by a record that holds its text under the bare number
("Madde 1 - 8/4/1991 tarihine kadar ..."), which then collides with article 1 of the law. A few
stubs are missing (Ek Madde 1, Geçici Madde 5 and 17), and the text records carry a stale
chapter ("32/17 md.)DÖRDÜNCÜ BÖLÜM..."). Here each stub and its text become one record numbered
``e1`` / ``g1`` and labelled as printed, under one "Ek Maddeler" / "Geçici Maddeler" chapter.
The law's closing articles (23-25), glued to the end of the last one, are split off by
``json_ansvar`` as other embedded articles are.

Its chapter headings (and those of Law 6415) are glued to the end of the article before them,
with the next article's heading ("...hükmolunur.İKİNCİBÖLÜMYargılama UsulleriGörev ve yargı
çevresinin belirlenmesi [7]"), sometimes with that article itself ("...Çeşitli
HükümlerÖdüllendirmeMadde19 – ..."). ``place_glued_chapters``, which ``json_ansvar`` runs on every
JSON law, cuts them off and puts the articles under them: the Ek articles end up under the printed
chapter "Çeşitli Hükümler", the Geçici ones under "Geçici Hükümler".
"""

from __future__ import annotations

import re
from typing import Any

from ingest.formats.json_cleanup import clean_value

_STUB = re.compile(r"^(Ek|Geçici)\s+Madde\s+(\d+)\s*[-–]\s*Madde\s+\2\s*[-–]?\s*$", re.IGNORECASE)
_BARE_LABEL = re.compile(r"^Madde\s+\d+\s*[-–]\s*", re.IGNORECASE)
_CHAPTER = {"ek": "Ek Maddeler", "geçici": "Geçici Maddeler"}
_ORDINALS = "BİRİNCİ|İKİNCİ|ÜÇÜNCÜ|DÖRDÜNCÜ|BEŞİNCİ|ALTINCI|YEDİNCİ|SEKİZİNCİ|DOKUZUNCU|ONUNCU"
# "<sentence end>ÜÇÜNCÜ BÖLÜMCezaların İnfazıCezaların infazı ...Madde16 – ..." (upper case only)
_GLUED_CHAPTER = re.compile(
    rf"(?<=[.)\]])\s*(?:{_ORDINALS})\s*BÖLÜM\s*(?P<title>[^\n]*?)"
    r"(?:Madde\s*(?P<num>\d+(?:/[A-Z])?)\s*[–-]\s*(?P<body>.*))?$",
    re.S,
)
# chapter title | article heading: the first lower-case letter glued to a capital
_TITLE_END = re.compile(r"(?<=[a-zçğıöşü])(?=[A-ZÇĞİÖŞÜ])")
_FOOTNOTE_MARK = re.compile(r"\s*\[\d+\]\s*$")
_GLUED_PROVISIONAL = re.compile(r"(?<=[a-zçğıöşü])GEÇİCİ\s*$")


def _text(record: dict[str, Any], key: str) -> str:
    return clean_value(record.get(key))


def _stub(record: dict[str, Any]) -> re.Match[str] | None:
    return _STUB.match(_text(record, "content"))


def _supplementary(record: dict[str, Any], zone: str, number: str) -> dict[str, Any]:
    prefix = "E" if zone == "ek" else "G"
    label = f"{'Ek' if zone == 'ek' else 'Geçici'} Madde {number}"
    return {
        **record,
        "section": f"{prefix}{number}",
        "title": "",  # the scraper's title is the first words of the text
        "content": _BARE_LABEL.sub("", _text(record, "content"), count=1),
        "chapter": _CHAPTER[zone],
        "metadata": {**(record.get("metadata") or {}), "source_heading": label},
    }


def merge_supplementary_articles(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records with each Ek/Geçici stub merged with its text, and a provisional article whose
    label is glued to the article before it numbered as one (unchanged without either).

    A bare-numbered record after the stubs start whose number does not continue the main
    sequence (1 after 22) belongs to the zone of the nearest stub before it, or after it when
    none came before (Ek Madde 1 precedes the first Ek stub). Only Law 3713 (stubs) and Law
    6415 (a glued "GEÇİCİ") are changed.
    """
    records = _glued_provisional_labels(records)
    stubs = [i for i, r in enumerate(records) if _stub(r)]
    if len(stubs) < 2:
        return records
    return _merge(records, stubs)


def _glued_provisional_labels(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Law 6415 prints its provisional article without a stub: "GEÇİCİ" is glued to the end of
    the article before ("...Mevcut kararların uygulanmasıGEÇİCİ") and the next record is a bare
    "Madde 1" colliding with article 1. That record becomes ``g1``, labelled "Geçici Madde 1";
    the word leaves the text before it (the heading before it is placed as any other)."""
    out: list[dict[str, Any]] = []
    highest = 0
    for record in records:
        section = _text(record, "section")
        before = out[-1] if out else None
        glued = _GLUED_PROVISIONAL.search(_text(before, "content")) if before else None
        if glued and section.isdigit() and int(section) <= highest:
            out[-1] = {**before, "content": _text(before, "content")[: glued.start()]}
            provisional = _supplementary(record, "geçici", section)
            out.append({**provisional, "chapter": record.get("chapter")})
            continue
        if section.isdigit():
            highest = max(highest, int(section))
        out.append(record)
    return out


def _merge(records: list[dict[str, Any]], stubs: list[int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    highest, zone, index = 0, None, 0
    while index < len(records):
        record = records[index]
        stub = _stub(record)
        if stub:
            zone, number = stub.group(1).lower(), stub.group(2)
            following = records[index + 1] if index + 1 < len(records) else None
            if following is not None and _text(following, "section") == number:
                out.append(_supplementary(following, zone, number))
                index += 2
                continue
            out.append(_supplementary(record, zone, number))
            index += 1
            continue
        section = _text(record, "section")
        if section.isdigit() and int(section) <= highest and index > stubs[0] - 2:
            ahead = next((_stub(records[i]) for i in stubs if i > index), None)
            found = zone or (ahead.group(1).lower() if ahead else None)
            if found:
                out.append(_supplementary(record, found, section))
                index += 1
                continue
        if section.isdigit():
            highest, zone = max(highest, int(section)), None
        out.append(record)
        index += 1
    return out


def _split_title(rest: str) -> tuple[str, str]:
    """("Çeşitli Hükümler", "Ödüllendirme") from "Çeşitli HükümlerÖdüllendirme"."""
    match = _TITLE_END.search(rest)
    if not match:
        return rest.strip(), ""
    heading = _FOOTNOTE_MARK.sub("", rest[match.start() :])
    return rest[: match.start()].strip(), heading.strip()


def place_glued_chapters(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records with the Turkish chapter headings glued in their texts placed as chapters.

    "...hükmolunur.İKİNCİBÖLÜMYargılama UsulleriGörev ve yargı çevresinin belirlenmesi [7]"
    leaves the text; "Yargılama Usulleri" becomes the chapter of the records from the next
    one on (over the scrape's stale "chapter" fields) and "Görev ve yargı çevresinin
    belirlenmesi" the title of the next record. When the article itself follows ("...Çeşitli
    HükümlerÖdüllendirmeMadde19 – ..."), it becomes a record of its own. The ordinal word
    ("DÖRDÜNCÜ") is not kept: a numbered chapter would change the eIds of its articles.
    Records are returned unchanged when no text holds such a heading.
    """
    if not any(_GLUED_CHAPTER.search(_text(r, "content")) for r in records):
        return records
    out: list[dict[str, Any]] = []
    chapter: str | None = None
    pending_heading = ""
    for record in records:
        record = dict(record)
        if chapter:
            record["chapter"] = chapter
        if pending_heading:
            record["title"], pending_heading = pending_heading, ""
        content = _text(record, "content")
        match = _GLUED_CHAPTER.search(content)
        if not match:
            out.append(record)
            continue
        record["content"] = content[: match.start()].rstrip()
        out.append(record)
        chapter, heading = _split_title(match.group("title"))
        if not match.group("num"):
            pending_heading = heading
            continue
        number = match.group("num")
        out.append(
            {
                "provision_ref": f"madde{number.replace('/', '_')}",
                "section": number,
                "title": heading,
                "content": f"Madde {number} - {match.group('body')}",  # as other records
                "chapter": chapter,
            }
        )
    return out
