"""Provisions that a scraped JSON law collection printed inside the text of the one before them.

- "1\\n[6. Terrorism.___ (1) In this Act ...": a section an amending act substituted or inserted,
  printed at a line start inside the previous section (Pakistan Code style);
- "...md.)Terör suçlusuMadde2 – Birinci maddede ...": a Turkish article glued, heading and all,
  to the end of the previous one;
- "[100. gr. a." on a line of its own: an Icelandic article inserted after article 100.

A start only counts when its number falls between the number of the provision that holds it and
the next provision's number, in increasing order, so a cross-reference never opens a provision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.numbering import normalise_number

_EMBEDDED = [
    re.compile(
        r"(?:^|\n)(?:\d{1,2}\s*\n)?[ \t]*(?P<bracket>\[?)[ \t]*(?P<num>\d+[A-Z]{0,6})\.\s+"
        r"(?P<head>[A-Z][^\n_]{1,160}?)\s*(?:\.?_{2,}|\.\s*[–—]\s*)"
    ),
    re.compile(
        r"(?<=[.)\]])\s*(?P<head>[A-ZÇĞİÖŞÜ][^.\n\[\]()]{1,100}?)\s*(?P<word>Madde)\s*"
        r"(?P<num>\d+(?:/[A-Z])?)\s*[–-]\s*"
    ),
]


# "[100. gr. a.]" alone on a line: an Icelandic article inserted after article 100.
_ICELANDIC_SUB = re.compile(r"^\[?(\d+)\. gr\. ([a-z])\.\]?\s*$", re.M)


@dataclass(frozen=True)
class EmbeddedProvision:
    printed: str  # the number as printed: "11EEE", "8/A"
    number: str  # normalised (design §2)
    label: str | None  # as printed when the start shows a designation ("Madde 8/A", "100. gr. a")
    heading: str | None  # None: the start prints none
    text: str


def split_icelandic(number: str | None, content: str) -> tuple[str, list[EmbeddedProvision]]:
    """Split "[100. gr. a." blocks that a scraper left inside article 100 into articles 100a..."""
    parts = [m for m in _ICELANDIC_SUB.finditer(content) if m.group(1) == number]
    found = []
    for i, match in enumerate(parts):
        end = parts[i + 1].start() if i + 1 < len(parts) else len(content)
        printed = f"{match.group(1)}{match.group(2)}"
        label = f"{match.group(1)}. gr. {match.group(2)}"
        text = content[match.end() : end].strip()
        found.append(EmbeddedProvision(printed, printed, label, None, text))
    return (content[: parts[0].start()].rstrip(), found) if parts else (content, [])


def sequence_key(number: str | None) -> tuple[int, str] | None:
    """ "11" < "11a" < "11cc" < "11d" < "11ee" < "11eee" < "12" (and "8/a"): digits, letters."""
    match = re.fullmatch(r"(\d+)/?([a-z]*)", (number or "").lower())
    return (int(match.group(1)), match.group(2)) if match else None


def _starts(number: str | None, content: str, following: str | None) -> list[re.Match[str]]:
    low, high = sequence_key(number), sequence_key(following)
    if low is None:
        return []
    if high is not None and high <= low:
        high = None  # the numbering restarts after this provision (supplementary articles)
    matches = sorted(
        (m for pattern in _EMBEDDED for m in pattern.finditer(content)), key=lambda m: m.start()
    )
    parts: list[re.Match[str]] = []
    for match in matches:
        key = sequence_key(normalise_number(match.group("num")))
        previous = sequence_key(normalise_number(parts[-1].group("num"))) if parts else low
        if key and previous and key > previous and (high is None or key < high):
            parts.append(match)
    return parts


def split_embedded(
    number: str | None, content: str, following: str | None
) -> tuple[str, list[EmbeddedProvision]]:
    """Split the provisions embedded in ``content`` off it.

    Args:
        number: the normalised number of the provision that holds ``content``.
        content: its text.
        following: the normalised number of the next provision in the document, if any.

    Returns:
        The text that stays with the provision, and the embedded provisions in order (empty
        when there are none: the text is then returned unchanged).
    """
    parts = _starts(number, content, following)
    if not parts:
        return content, []
    found = []
    for i, match in enumerate(parts):
        end = parts[i + 1].start() if i + 1 < len(parts) else len(content)
        text = content[match.end() : end].strip()
        if match.groupdict().get("bracket") and text.endswith("]"):
            text = text[:-1].rstrip()  # the amendment's closing bracket
        printed = match.group("num")
        word = match.groupdict().get("word")
        label = f"{word} {printed}" if word else None
        heading = match.group("head").strip()
        found.append(EmbeddedProvision(printed, normalise_number(printed), label, heading, text))
    return content[: parts[0].start()].rstrip(), found


__all__ = ["EmbeddedProvision", "sequence_key", "split_embedded", "split_icelandic"]
