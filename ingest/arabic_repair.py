"""Repair Arabic text whose lam-alef ligatures were extracted in visual order.

Some sources were converted from PDF by tools that write the ligature ﻻ (lam + alef) as alef +
lam: "الإرهاب" (terrorism) comes out as "اإلرهاب", "علاقة" as "عالقة". Such text reads oddly and,
worse, a search for "الإرهاب" never finds it. The damage is systematic within a file, so a file
is repaired only when it shows the impossible word starts ("اإل", "األ", "اال": an alef cannot
be followed by another alef) that only this fault produces.

Which "alef + lam" pairs are swapped ligatures cannot be told from the letters alone ("المال" is
right, "عالوة" is not), so each word takes the spelling, among its possible un-swappings, that
is most frequent in Arabic (``wordfreq``); a tie keeps the word as written. The same fault puts
the comma before the space ("عقوبة ،بمقتضى"), glues numbers to the next word ("517من") and
moves item marks and colons to the wrong side of numbers (" - 1 حمل", "الفرع :2"); these are
mended in repaired files only.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from itertools import combinations

from ingest.records import ExtractedText

_ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")
_SWAPPED_PAIR = re.compile(r"[اأإآ]ل")
# An alef followed by another alef at a word start (after one-letter clitics): only the fault.
_IMPOSSIBLE_START = re.compile(r"(?<![\u0621-\u064a])[وفبكل]?ا[اأإآ]ل")
_RIGHT_START = re.compile(r"(?<![\u0621-\u064a])[وفبكل]?ال[أإآ]")
_COMMA_BEFORE_SPACE = re.compile(r" ([،؛])(?=[\u0621-\u064a])")
_NUMBER_GLUED = re.compile(r"(?<=\d)(?=[\u0621-\u064a])")
# Punctuation that went to the wrong side of a number: " - 1 حمل" (item 1), "الفرع :2",
# "الفصل .40" at a line end.
_ITEM_MARK = re.compile(r"^[ \t]*-[ \t]*(\d+)[ \t]+", re.MULTILINE)
_COLON_NUMBER = re.compile(r" :(\d+)(?=\s)")
_PERIOD_NUMBER = re.compile(r" \.(\d+)$", re.MULTILINE)
_MIN_EVIDENCE = 3
_MAX_PAIRS = 4  # un-swapping tries every subset of a word's pairs: 16 spellings at most


def needs_repair(text: str) -> bool:
    """Whether ``text`` shows the swapped-ligature fault (and more often than the right form)."""
    faults = len(_IMPOSSIBLE_START.findall(text))
    return faults >= _MIN_EVIDENCE and faults > len(_RIGHT_START.findall(text))


@lru_cache(maxsize=65536)
def _best_spelling(word: str) -> str:
    from wordfreq import zipf_frequency

    pairs = [m.start() for m in _SWAPPED_PAIR.finditer(word)][:_MAX_PAIRS]
    best, best_score = word, zipf_frequency(word, "ar")
    for size in range(1, len(pairs) + 1):
        for chosen in combinations(pairs, size):
            letters = list(word)
            for at in chosen:
                letters[at], letters[at + 1] = letters[at + 1], letters[at]
            candidate = "".join(letters)
            score = zipf_frequency(candidate, "ar")
            if score > best_score:
                best, best_score = candidate, score
    return best


def repair_text(text: str) -> tuple[str, int]:
    """``text`` with its swapped ligatures restored; also how many words changed."""
    changed = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group()
        if not _SWAPPED_PAIR.search(word):
            return word
        better = _best_spelling(word)
        changed += better != word
        return better

    text = _ARABIC_WORD.sub(fix, text)
    text = _COMMA_BEFORE_SPACE.sub(r"\1 ", text)
    text = _NUMBER_GLUED.sub(" ", text)
    text = _ITEM_MARK.sub(r"\1 - ", text)
    text = _COLON_NUMBER.sub(r" \1:", text)
    return _PERIOD_NUMBER.sub(r" \1.", text), changed


def repair_extracted(extracted: ExtractedText) -> ExtractedText:
    """The extraction with swapped Arabic ligatures repaired, and a warning saying so; unchanged
    when the fault is absent (the check reads the text, or the structured provisions)."""
    sample = extracted.text or "\n".join(
        f"{p.heading or ''}\n{p.text}" for p in extracted.provisions
    )
    if not needs_repair(sample):
        return extracted
    total = 0

    def mend(value: str | None) -> str | None:
        nonlocal total
        if not value:
            return value
        fixed, changed = repair_text(value)
        total += changed
        return fixed

    provisions = tuple(
        replace(p, text=mend(p.text) or "", heading=mend(p.heading)) for p in extracted.provisions
    )
    text = mend(extracted.text) or ""
    warning = (
        f"Arabic lam-alef ligatures extracted in visual order: {total} words repaired "
        "(e.g. اإلرهاب -> الإرهاب); check quotations against the source"
    )
    return replace(
        extracted, text=text, provisions=provisions, warnings=(*extracted.warnings, warning)
    )


__all__ = ["needs_repair", "repair_extracted", "repair_text"]
