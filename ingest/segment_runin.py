"""Run-in division headings: the next Part / Chapter / Title glued to the end of a provision.

Scrapers and PDF layouts often print the heading of the next division at the end of the previous
provision's text ("... shall be punished by life imprisonment.\\nChapter Three Crimes of
Conspiracy", "... skal sæta sektum.\\nXII. kafli. Brot gegn valdstjórninni.", "... الفرع الثالث:
تسليم المجرمين"). Quoted, that provision gets a wrong tail; the tagger reads the next chapter's
title as its text; and the chapter loses its heading.

A run-in is recognised with the segmenter's own container patterns (``container_candidate``),
only where it cannot be a cross-reference: on the provision's last line after a line that
closes a sentence, or on its last line after the final sentence punctuation. It then becomes
the heading of the container that follows (when the source has it) or a new container (when it
has not); the provisions it holds keep their eIds and get it as parent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ingest.numbering import EidAllocator
from ingest.records import STRUCTURAL_KINDS, ProvisionDraft
from ingest.segment_containers import (
    BRANCH_KINDS,
    HEADING_START,
    container_candidate,
    romance_sections,
)
from ingest.segment_headings import clean_title
from ingest.segment_numbers import number_key
from ingest.segment_patterns import Candidate

CONTAINER_KINDS = STRUCTURAL_KINDS | {"schedule", "annex"}
# What closes the text before a run-in. Not ":" ("... is amended by adding the following:\nPart
# 2 ...") nor a word ("... proceedings under\nPart VIII"): a heading quoted or referred to.
_CLOSED = re.compile(r"(?:[.!?;。…)\]\u061f\u06d4]|\.[\]\)”\"»’]+)\s*$")
# Inline, after: a full stop, a definition list's ";", an amendment note "[Act 1 of 2012 s. 17]".
_SENTENCE_END = re.compile(r"(?:[.!?;。\]]|\.[\]\)”\"»’]+)\s+")
# Words after which a designation is a reference, not a second heading: "Offences under Part 8".
_REFERENCE_WORDS = re.compile(
    r"(?:\b(?:under|of|in|to|by|and|or|see|with|from|this|that|the|de|du|des|la|le|del|en|y|et"
    r"|und|der|im|van|het|af|og|í|um)|[,(])\s*$",
    re.IGNORECASE,
)
_MAX_TAIL = 300
_MAX_BLOCK = 4  # lines of a run-in block: two headings with their titles


@dataclass(frozen=True)
class RunIn:
    """A division heading cut from the end of a provision."""

    kind: str  # part, chapter, title, division ... (``CONTAINER_WORDS``)
    number: str  # the container's number, normalised (``container_number``)
    label: str  # as printed: "Part VIII", "XVII. kafli", "الفرع الثالث"
    heading: str | None  # the title printed with it, if any
    family: str  # the designation word, lower case: matches a container of the same word


def find_run_ins(text: str, *, romance: bool = False) -> tuple[str, list[RunIn]]:
    """Cut the run-in headings from the end of a provision's text.

    Args:
        text: a provision's text.
        romance: "Section" names a container in this document (``romance_sections``).

    Returns:
        The text without them, and the headings in document order (outermost first: "Part II
        – Offences Chapter 1 Terrorist acts" gives Part II then Chapter 1). The text is
        returned unchanged, with an empty list, when it ends with no run-in.
    """
    found: list[RunIn] = []
    while True:
        cut = _last_run_in(text, romance)
        if cut is None or not cut[0].strip():
            break  # a provision that is nothing but a heading keeps it
        text, items = cut
        found[0:0] = items
    return text, _dedupe(found)


def split_run_in_headings(
    drafts: Sequence[ProvisionDraft], *, language: str | None = None, country: str | None = None
) -> list[ProvisionDraft]:
    """Move run-in headings out of provision texts into the containers they open.

    A heading that repeats the container right after the provision (same number and designation
    word) fills that container's heading when it has none; otherwise a container is created
    before the next provision, under that provision's parent, and the provisions after it that
    share that parent move into it (their eIds are kept: citations stay valid). The next
    container of the source ends it. Headings of a kind whose numbers come out of order in the
    document are only cut (see ``_ordered_kinds``).

    Args:
        drafts: provisions in document order (from the segmenter or a structured extractor).
        language: ISO 639-1 code of the document.
        country: ISO 3166-1 alpha-3 code of the document.

    Returns:
        The drafts, with the same eIds plus one per created container.
    """
    romance = romance_sections(language, country)
    cuts = {}
    for index, draft in enumerate(drafts):
        if draft.kind not in CONTAINER_KINDS:
            text, found = find_run_ins(draft.text, romance=romance)
            if found:
                cuts[index] = (text, found)
    creatable = _ordered_kinds([item for _, found in cuts.values() for item in found])
    eids = EidAllocator()
    eids.taken.update(d.eid for d in drafts)
    tree = _Inserted(drafts, eids)
    out: list[ProvisionDraft] = []
    pending: list[RunIn] = []
    for index, draft in enumerate(drafts):
        if draft.kind in CONTAINER_KINDS:
            draft, pending = _fill_existing(draft, pending)
            tree.reset()
            out.append(draft)
            continue
        if pending:
            out += tree.insert([item for item in pending if item.kind in creatable], draft)
            pending = []
        draft = replace(draft, parent_eid=tree.parent_for(draft.parent_eid))
        if index in cuts:
            draft, pending = replace(draft, text=cuts[index][0]), cuts[index][1]
        out.append(draft)
    return out


def _ordered_kinds(items: list[RunIn]) -> set[str]:
    """Kinds whose run-ins number in order (II, III, IV ...; restarting only after another
    kind's heading): the act's structure, seen whole enough to rebuild. Where a scraper kept
    only a few headings out of order ("SECCIÓN IV", "SECCIÓN III", "Sección VIII"), containers
    would gather the wrong provisions: those headings are only cut."""
    last: dict[str, tuple[int, ...] | None] = {}
    broken: set[str] = set()
    for item in items:
        key = number_key(item.number.lower()) if item.number else None
        previous = last.get(item.kind)
        if previous is not None and key is not None and key <= previous:
            broken.add(item.kind)
        last[item.kind] = key
        for other in last:
            if other != item.kind:
                last[other] = None  # a different heading may restart the numbering below it
    return {item.kind for item in items} - broken


class _Inserted:
    """The containers created since the source's last container, with the chain of
    containers (source and created) they hang from."""

    def __init__(self, drafts: Sequence[ProvisionDraft], eids: EidAllocator) -> None:
        self.eids = eids
        self.parents = {d.eid: d.parent_eid for d in drafts if d.kind in CONTAINER_KINDS}
        self.kinds = {d.eid: d.kind for d in drafts if d.kind in CONTAINER_KINDS}
        self.depth: dict[str, int] = {}  # how deep the source nests each container kind
        for eid, kind in self.kinds.items():
            level = len(self._ancestors(eid)) - 1
            self.depth[kind] = min(level, self.depth.get(kind, level))
        self.base: str | None = None  # the parent the source gave the provisions that follow
        self.chain: list[tuple[str, str]] = []  # (kind, eid) from the top, created ones last
        self.created = False
        self.made: set[str] = set()  # eIds of the containers created here

    def _ancestors(self, eid: str | None) -> list[tuple[str, str]]:
        chain: list[tuple[str, str]] = []
        while eid is not None and eid in self.kinds and len(chain) < 20:
            chain.insert(0, (self.kinds[eid], eid))
            eid = self.parents.get(eid)
        return chain

    def reset(self) -> None:
        self.base, self.chain, self.created = None, [], False

    def parent_for(self, parent: str | None) -> str | None:
        if self.created and parent == self.base:
            return self.chain[-1][1]
        return parent

    def insert(self, items: list[RunIn], following: ProvisionDraft) -> list[ProvisionDraft]:
        if not self.created or following.parent_eid != self.base:
            self.base = following.parent_eid
            self.chain = self._ancestors(self.base)
        made = []
        for item in items:
            kinds = [kind for kind, _ in self.chain]
            if item.kind in self.depth:  # where the source puts that kind, under the created
                source = [e for e in self.chain if e[1] not in self.made][: self.depth[item.kind]]
                above = [
                    e for e in self.chain if e[1] in self.made and _rank(e[0]) < _rank(item.kind)
                ]
                self.chain = source + above  # "LIBRO TERCERO / TITULO UNICO": the title in the book
            else:  # a kind the source does not have: closes its peers and smaller divisions
                lower = [k for k, kind in enumerate(kinds) if _rank(kind) >= _rank(item.kind)]
                del self.chain[lower[0] if lower else len(kinds) :]
            outer = self.chain[-1][1] if self.chain else None
            eid = self.eids.allocate(item.kind, item.number, outer)
            made.append(
                ProvisionDraft(eid, item.kind, item.number, item.label, item.heading, "", outer)
            )
            self.chain.append((item.kind, eid))
            self.made.add(eid)
            self.created = True
        return made


# Usual nesting of divisions, for a kind the source does not show (the order of appearance
# decides in the segmenter; here only a few headings are seen).
_RANKS = ("book", "part", "subpart", "title", "subtitle", "chapter", "subchapter", "division")
_RANKS += ("subdivision", "section_group")


def _rank(kind: str) -> int:
    return _RANKS.index(kind) if kind in _RANKS else len(_RANKS)


def _fill_existing(
    container: ProvisionDraft, pending: list[RunIn]
) -> tuple[ProvisionDraft, list[RunIn]]:
    """The source's own container repeats a run-in: give it the heading, forget the run-in."""
    for position, item in enumerate(pending):
        if _same_container(container, item):
            if not container.heading and item.heading:
                container = replace(container, heading=item.heading)
            return container, pending[position + 1 :]
    return container, pending if not pending else []


def _same_container(container: ProvisionDraft, item: RunIn) -> bool:
    if (container.number or "").lower() != item.number.lower():
        numbers = (container.label or "").split()
        if item.number.lower() not in (n.lower().strip(".:") for n in numbers):
            return False
    word = (container.label or "").split()[:1]
    return container.kind == item.kind or (bool(word) and _stem(word[0]) == _stem(item.family))


def _stem(word: str) -> str:
    """The designation word without case or Arabic article: "الباب" and "باب" are one word."""
    return re.sub(r"^(?:ال|ا)(?=\w{3})", "", word.lower().rstrip(".:"))


def _last_run_in(text: str, romance: bool) -> tuple[str, list[RunIn]] | None:
    starts = [m.start() for m in re.finditer(r"(?m)^.*\S.*$", text)]  # non-blank lines
    if not starts:
        return None
    lines = [text[start:].split("\n", 1)[0] for start in starts]
    for size in range(min(_MAX_BLOCK, len(lines) - 1), 0, -1):
        # "TÍTULO VI / Destrucción de Plantaciones / CAPÍTULO ÚNICO": headings, each with an
        # optional title line, after a line that closes the provision's last sentence.
        if _CLOSED.search(lines[-size - 1]):
            items = _block([line.strip() for line in lines[-size:]], romance)
            if items:
                return text[: starts[-size]].rstrip(), items
    last = lines[-1]
    for match in _SENTENCE_END.finditer(last):
        tail = last[match.end() :]
        if len(tail) > _MAX_TAIL:
            continue
        items = _headings(tail, romance)
        if items:
            return text[: starts[-1] + match.end()].rstrip(), items
    return None


def _block(block: list[str], romance: bool) -> list[RunIn] | None:
    items: list[RunIn] = []
    position = 0
    while position < len(block):
        found = _headings(block[position], romance)
        if not found:
            return None
        position += 1
        title = block[position] if position < len(block) else None
        heading_missing = title is not None and found[-1].heading is None
        if heading_missing and _title_like(title) and not _headings(title, romance):
            found[-1] = replace(found[-1], heading=clean_title(title))
            position += 1
        items += found
    return items


def _headings(tail: str, romance: bool) -> list[RunIn] | None:
    """``tail`` read as one or more division headings, or None."""
    tail = tail.strip().strip("*_").strip()
    if not tail or len(tail) > _MAX_TAIL:
        return None
    pieces: list[str] = []
    start = 0
    for match in HEADING_START.finditer(tail):
        before = tail[start : match.start()]
        if match.start() > 0 and not _REFERENCE_WORDS.search(before):
            pieces.append(before)
            start = match.start()
    pieces.append(tail[start:])
    items = [_heading(piece.strip(), romance) for piece in pieces]
    return None if any(item is None for item in items) else items  # type: ignore[return-value]


def _heading(text: str, romance: bool) -> RunIn | None:
    candidate: Candidate | None = container_candidate(0, text, romance=romance)
    if candidate is None or candidate.kind in BRANCH_KINDS or not candidate.number:
        return None
    rest = candidate.rest.strip()
    if rest and not _title_like(rest):
        return None
    heading = clean_title(rest) if rest else None
    return RunIn(candidate.kind, candidate.number, candidate.label, heading, candidate.family)


def _title_like(text: str) -> bool:
    """A short title, not a sentence: "Mutual Legal Assistance", "Brot gegn valdstjórninni."."""
    words = text.split()
    if not words or len(words) > 16 or len(text) > 160:
        return False
    if text[0].islower() or text.endswith((",", ";", ":", "—", "–", "-")):
        return False
    if re.search(r"[.;]\s+\S", text.rstrip(".")):
        return False  # two sentences
    return not (text.endswith(".") and len(words) > 10)


def _dedupe(items: list[RunIn]) -> list[RunIn]:
    """Scrapes repeat a heading ("Chapter II – Elements ... Chapter II Elements ..."): keep one,
    with the fuller title."""
    out: list[RunIn] = []
    for item in items:
        if out and (out[-1].kind, out[-1].number) == (item.kind, item.number):
            if not out[-1].heading:
                out[-1] = item
            continue
        out.append(item)
    return out
