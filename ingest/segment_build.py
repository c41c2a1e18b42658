"""Turn the chosen heads into ProvisionDrafts: headings, bodies, notes and the container tree."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.numbering import EidAllocator
from ingest.records import ProvisionDraft
from ingest.segment_clean import Line, strip_uk_markers
from ingest.segment_containers import BRANCH_KINDS
from ingest.segment_headings import (
    BARE_ENUM,
    CJK_CHAR,
    ENUM_START,
    FOOTNOTE_DIGITS,
    REPEATED_NUMBER,
    HeadingFinder,
    Options,
)
from ingest.segment_patterns import WEAK_STYLES, Candidate
from ingest.segment_select import Selection


def build_drafts(
    lines: Sequence[Line], selection: Selection, options: Options
) -> list[ProvisionDraft]:
    """Cut the document at its heads and build one draft per head (plus a preamble)."""
    heads = list(selection.heads)
    keep = [not line.note and i not in selection.toc_lines for i, line in enumerate(lines)]
    spans = _spans(heads, len(lines))
    titles = HeadingFinder(lines, heads, options)
    drafts: list[ProvisionDraft] = []
    first = heads[0].line if heads else len(lines)
    preamble = [lines[i] for i in range(first) if keep[i] and i not in titles.used]
    preamble_notes = [lines[i] for i in range(first) if lines[i].note]
    text = compose(preamble, options)
    if len(text) >= 40:
        drafts.append(
            ProvisionDraft("preamble", "preamble", None, None, None, text, None,
                           compose_notes(preamble_notes))
        )  # fmt: skip
    tree = _Tree()
    for position, (head, (start, end)) in enumerate(zip(heads, spans, strict=True)):
        heading = titles.heading(head)
        body = [lines[i] for i in range(start, end) if keep[i] and i not in titles.used]
        following = heads[position + 1] if position + 1 < len(heads) else None
        if following is not None and following.style != "container":
            body = _drop_cross_heading(body, container=head.style == "container")
        notes = [lines[i] for i in range(start, end) if lines[i].note]
        text = compose(body, options)
        if head.rest and head.line not in titles.rest_is_title:
            rest = REPEATED_NUMBER.sub("", head.rest)
            rest = strip_uk_markers(rest) if options.ukleg else rest
            text = f"{rest}\n{text}".strip() if not FOOTNOTE_DIGITS.match(rest) else text
        text = _strip_repeated_number(text, head)
        drafts.append(tree.draft(head, heading, text, compose_notes(notes), options))
    return drafts


def _drop_cross_heading(body: list[Line], *, container: bool) -> list[Line]:
    """UK acts group sections under cross-headings ("Offences", "Seizure of terrorist cash")
    printed between the end of one section and the number of the next: not part of either."""
    if not body:
        return body
    last = body[-1]
    # an inserted cross-heading keeps its bracket and marker: "[F166Extra-territorial ... etc."
    text = re.sub(r"^\[\s*(?:[FX]\d+)?|\s+etc\.$", "", last.text).strip()
    title = (
        len(text) <= 80
        and text[:1].isupper()
        and not re.search(r"[\d.;:,—–)\]]$|\d", text)
        and not ENUM_START.match(text)
        and not last.md_level
    )
    closes = (
        len(body) == 1
        and container
        or (len(body) > 1 and body[-2].text.endswith((".", ";", ":", ")", "]", ".]")))
    )
    return body[:-1] if title and closes else body


def _spans(heads: list[Candidate], total: int) -> list[tuple[int, int]]:
    starts = [h.line for h in heads]
    return [(s + 1, starts[k + 1] if k + 1 < len(starts) else total) for k, s in enumerate(starts)]


def _strip_repeated_number(text: str, head: Candidate) -> str:
    """Irish texts repeat the number in bold at the start of the body: "**6.**—(1) ..."."""
    if head.number and head.style in WEAK_STYLES:
        pattern = rf"^\s*{re.escape(head.label)}\.\s*[—–-]+\s*"
        return re.sub(pattern, "", text, count=1)
    return text


class _Tree:
    """Keeps the stack of open containers and hands out eIds."""

    def __init__(self) -> None:
        self.eids = EidAllocator()
        self.ranks: dict[str, float] = {}
        self.stack: list[tuple[float, str, str]] = []  # (rank, eid, kind)

    def draft(
        self, head: Candidate, heading: str | None, text: str, notes: str, options: Options
    ) -> ProvisionDraft:
        if head.style == "container":
            return self._container(head, heading, text, notes)
        if head.style == "spanish_disposition":
            self.stack = []  # "Disposición final primera" closes every Título and Capítulo
        in_schedule = any(kind in BRANCH_KINDS for _, _, kind in self.stack)
        kind, label = head.kind, head.label
        if head.style in WEAK_STYLES:
            kind = "paragraph" if in_schedule else "section"
            label = f"para. {head.label}" if in_schedule else f"s. {head.label}"
        elif head.style == "para_sign" and options.us_sections:
            kind = "section"
        parent = self.stack[-1][1] if self.stack else None
        eid = self.eids.allocate(kind, head.number, parent)
        return ProvisionDraft(eid, kind, head.number, label, heading, text, parent, notes)

    def _new_rank(self, kind: str) -> float:
        """A container family seen for the first time nests under the open ones, unless it is
        a book or a part: those sit above titles, chapters and divisions whatever came first."""
        open_ranks = [(r, k) for r, _, k in self.stack if r >= 0]
        if kind in ("book", "part") and open_ranks:
            below = [r for r, k in open_ranks if k not in ("book", "part")]
            if below:
                return min(below) - 0.5
        return max((r for r, _ in open_ranks), default=-1) + 1

    def _container(
        self, head: Candidate, heading: str | None, text: str, notes: str
    ) -> ProvisionDraft:
        if head.kind in BRANCH_KINDS:
            self.stack, rank = [], -1.0
        else:
            family = head.family or head.kind
            if family not in self.ranks:
                self.ranks[family] = self._new_rank(head.kind)
            rank = self.ranks[family]
            while self.stack and self.stack[-1][0] >= rank:
                self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        eid = self.eids.allocate(head.kind, head.number, parent)
        self.stack.append((rank, eid, head.kind))
        return ProvisionDraft(eid, head.kind, head.number, head.label, heading, text, parent, notes)


def compose(lines: Sequence[Line], options: Options) -> str:
    """Join a provision's lines into readable text: wrapped lines are rejoined, every
    enumerated item ("(1)", "(a)", "1°") and every paragraph starts on its own line."""
    paragraphs: list[str] = []
    for line in lines:
        text = strip_uk_markers(line.text) if options.ukleg else line.text
        if not text:
            continue
        if not paragraphs:
            paragraphs.append(text)
            continue
        previous = paragraphs[-1]
        if BARE_ENUM.match(previous):
            paragraphs[-1] = f"{previous} {text}"
        elif _starts_paragraph(line, text, previous, options):
            paragraphs.append(text)
        elif options.cjk and CJK_CHAR.search(previous[-1:] + text[:1]):
            paragraphs[-1] = previous + text
        elif previous.endswith("-") and text[:1].islower() and previous[-2:-1].isalpha():
            paragraphs[-1] = previous[:-1] + text
        else:
            paragraphs[-1] = f"{previous} {text}"
    return "\n".join(paragraphs).strip()


_NOTE_START = re.compile(r"^(?:[FCIMEXP]\d+\b|\d{1,4}\s|[A-Z][\w .()]+:?$)")


def compose_notes(lines: Sequence[Line]) -> str:
    """Join annotation lines: each marked entry ("F31 ...", "C6", "345 Eingefügt ...") on its
    own line, wrapped continuation lines rejoined."""
    entries: list[str] = []
    for line in lines:
        text = line.text
        if entries and re.fullmatch(r"[FCIMEXP]\d+", entries[-1]):
            entries[-1] = f"{entries[-1]} {text}"
        elif not entries or _NOTE_START.match(text) or line.blank_before:
            entries.append(text)
        else:
            entries[-1] = f"{entries[-1]} {text}"
    return "\n".join(dict.fromkeys(entries))  # an amendment noted twice is one note


def _starts_paragraph(line: Line, text: str, previous: str, options: Options) -> bool:
    if ENUM_START.match(text) or line.md_level:
        return True
    if options.cjk:
        return previous.endswith(("。", "：", ":")) or bool(re.match(r"^[０-９0-9]", text))
    if line.blank_before:
        return True
    return previous.endswith((".", ":", ";", "—", "–", "!", "?", "»", "”")) and (
        text[:1].isupper() or text[:1] in '(“"«[§'
    )
