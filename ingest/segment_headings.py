"""Headings of the segmenter: on the head's own line, on the line after it, or before it.

Printers differ: "§ 89a Vorbereitung ..." (same line), "15 / Fund-raising." (UK, after),
"(目的) / 第一条" (Japanese captions, before), Swiss marginal titles on either side. A vote over
the document decides which positions to trust; a heading found is removed from the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.segment_clean import Line, strip_uk_markers
from ingest.segment_containers import BRANCH_KINDS
from ingest.segment_patterns import WEAK_STYLES, Candidate

# A line that starts an enumerated item: "(1)", "(a)", "a)", "1.", "1 Wer", "2°", "２", "イ ".
ENUM_START = re.compile(
    r"^(?:\(\s*[\w.]{1,6}\s*\)|[a-zα-ω]{1,4}\)|\d{1,3}[a-z]?[.)°º]\s|\d{1,3}\.?\s*[ºª°]"
    r"|\d{1,2}\s+[A-ZÄÖÜ]|[0-9０-９]{1,2}[\s\u3000]|[一二三四五六七八九十]{1,3}[\s\u3000]"
    r"|[イロハニホヘトチリヌ][\s\u3000]|[-•–]\s|[a-z]{1,3}\.\s)"
)
BARE_ENUM = re.compile(r"^(?:\(\s*[\w.]{1,6}\s*\)|[a-z]{1,4}[.)]|\d{1,3}\.)$")
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_TITLE_PUNCT = re.compile(r"^[\[(（【]?\s*(.*?)\s*[\])）】]?$")
_NUMBERED_TITLE = re.compile(r"^\d{1,2}\.\s+[A-ZÄÖÜ][^.,;:]{2,90}(?:\.\s+[A-ZÄÖÜ][^.,;:]{2,60})*$")
_CJK_BRACKET_TITLE = re.compile(r"^[(（][^()（）]*[\u3040-\u9fff][^()（）]{0,40}[)）]$")
# Sentences, not headings, begin with a determiner: "The Parties shall cooperate."
_SENTENCE_START = re.compile(
    r"^(?:The|This|These|A|An|Any|Each|Every|No|Le|La|Les|Un|Une|Ce|Cette|Tout|Toute|Der|Die|Das"
    r"|Ein|Eine|Jeder|El|Los|Las|Il|Lo|Gli|De|Het|Een)\s"
)
FOOTNOTE_DIGITS = re.compile(r"^\d{1,4}(?:\s+\d{1,4})*$")
REPEATED_NUMBER = re.compile(r"^\**\s*\d{1,4}[A-Z]{0,3}\.\**\s*[—–-]+\s*")


@dataclass(frozen=True)
class Options:
    """What the builder needs to know about the document's conventions."""

    ukleg: bool = False
    us_sections: bool = False
    cjk: bool = False


class HeadingFinder:
    """Finds each head's heading: on its own line, after it, or (some printers) before it."""

    def __init__(
        self,
        lines: Sequence[Line],
        heads: list[Candidate],
        options: Options,
    ) -> None:
        self.lines, self.options = lines, options
        self.head_lines = {h.line for h in heads}
        self.used: set[int] = set()
        self.rest_is_title: set[int] = set()
        self.found: dict[int, str] = {}
        provisions = [h for h in heads if h.style != "container"]
        self.mode = self._vote(provisions)
        for head in heads:
            title = self._find(head)
            if title:
                self.found[head.line] = title

    def heading(self, head: Candidate) -> str | None:
        title = self.found.get(head.line)
        if title and self.options.ukleg:
            title = clean_title(strip_uk_markers(title).replace("[", "").replace("]", ""))
        return title

    def _vote(self, provisions: list[Candidate]) -> str:
        bare = [h for h in provisions if not self._rest_title(h)]
        if not bare:
            return "none"
        after = sum(1 for h in bare if not h.rest and self._after(h, probe=True))
        before = sum(1 for h in bare if self._before(h, probe=True))
        if after >= 0.3 * len(bare):
            return "after"
        # Marginal notes put before their section by the PDF extractor may end with a full
        # stop ("Short title and date of operation." / "1. This Act may be cited ..."): a
        # document where most heads follow such a line prints its headings before the head.
        stopped = sum(1 for h in bare if self._before(h, probe=True, stopped=True))
        if stopped >= 0.6 * len(bare) and stopped > before:
            return "before_stopped"
        if before >= 0.5 * len(bare):
            return "before"
        return "either" if after + before >= 0.5 * len(bare) else "none"

    def _find(self, head: Candidate) -> str | None:
        rest_title = self._rest_title(head, probe=False)
        if rest_title:
            self.rest_is_title.add(head.line)
            return rest_title
        if head.style == "container":
            return self._after(head, probe=False, container=True)
        body_on_line = bool(head.rest) and not FOOTNOTE_DIGITS.match(head.rest)
        if not body_on_line and (self.mode in ("after", "either") or self._strong_after(head)):
            title = self._after(head, probe=False)
            if title:
                return title
        if self.mode in ("before", "either", "before_stopped"):
            return self._before(head, probe=False, stopped=self.mode == "before_stopped")
        return None

    def _rest_title(self, head: Candidate, *, probe: bool = True) -> str | None:
        rest = head.rest.strip()
        if not rest or FOOTNOTE_DIGITS.match(rest):
            return None
        line = self.lines[head.line]
        if head.style == "korean" or (head.style == "cjk" and rest.startswith(("（", "("))):
            match = re.match(r"^[(（]([^)）]{1,40})[)）]", rest)
            return match.group(1) if match else None
        if (
            head.style in ("cjk", "arabic", "sign_after")
            or rest.startswith("(")
            or ENUM_START.match(rest)
        ):
            return None  # "第一条 この法律は…", "1 § Denna lag gäller…": the text itself
        if line.md_level or line.emphasis or head.style == "container":
            return clean_title(rest) if len(rest) <= 250 else None
        nxt = self._next(head.line)
        continues = nxt is not None and nxt.text[:1].islower() and not nxt.blank_before
        limit = 250 if re.search(r"[.:–—-]", head.sep) else 120  # "Статья 205². Long title"
        limit_words = 8 if head.style in WEAK_STYLES else 14
        if rest.endswith(".") and (len(rest.split()) > limit_words or _SENTENCE_START.match(rest)):
            return None  # a sentence: "1 The Lord Chancellor may appoint officers ..."
        if _SENTENCE_START.match(rest) and len(rest.split()) > limit_words:
            return None  # its first line: "4B. No transaction shall, except with the ..."
        one_phrase = not re.search(r"[.;]\s+\S", rest.rstrip("."))
        if len(rest) <= limit and one_phrase and not continues:
            # "-" closes a lead-in as a dash does (Sri Lanka): "... therefor:-", "... entitled -"
            return None if rest.endswith((",", ";", ":", "—", "–", "-")) else clean_title(rest)
        wrapped = self._wrapped_title_end(head.line) if self.options.ukleg else None
        if wrapped is not None and one_phrase and len(rest) <= limit and len(rest.split()) <= 14:
            # "63D Terrorist attacks ... UK diplomatic premises / etc: jurisdiction / (1) If—"
            if not probe:
                self.used.add(wrapped)
            return clean_title(f"{rest} {self.lines[wrapped].text}")
        return None

    def _wrapped_title_end(self, index: int) -> int | None:
        """The line finishing a heading wrapped after its number's line, if it is one: short,
        lower-case start, followed by the body's "(1)" or by the next head."""
        following = index + 1
        if following + 1 >= len(self.lines) or following in self.head_lines:
            return None
        line = self.lines[following]
        if line.note or line.blank_before or len(line.text) > 40:
            return None
        if line.text.endswith((".", ",", ";", ":", "—", "–")):
            return None  # "...is satisfied / that—": the first sentence, not a heading
        after = self.lines[following + 1]
        if following + 1 in self.head_lines or re.match(r"^\(\w{1,4}\)\s", after.text):
            return following
        return None

    def _strong_after(self, head: Candidate) -> bool:
        """A short line without final stop, followed by "(1)" or another head, is a heading
        whatever the document's habit."""
        index = head.line + 1
        if head.rest or index + 1 >= len(self.lines) or index in self.head_lines:
            return False
        title, following = self.lines[index], self.lines[index + 1]
        if len(title.text) > 80 or title.text.endswith(".") or title.note:
            return False
        return index + 1 in self.head_lines or bool(re.match(r"^\(\w{1,4}\)\s", following.text))

    def _next(self, index: int) -> Line | None:
        for line in self.lines[index + 1 :]:
            if not line.note:
                return line
        return None

    def _after(self, head: Candidate, *, probe: bool, container: bool = False) -> str | None:
        index = head.line + 1
        while index < len(self.lines) and self.lines[index].note:
            index += 1
        if container and head.kind in BRANCH_KINDS:
            index = self._skip_schedule_reference(index)
        if index >= len(self.lines) or index in self.head_lines:
            return None
        first = self.lines[index]
        if not self._title_like(first, container=container, numbered=not container):
            return None
        if container and _CJK_BRACKET_TITLE.match(first.text):
            return None  # "(目的)" is the caption of the first article, not the chapter's
        plain = not (first.md_level or first.emphasis or _upper(first.text))
        sentence = len(first.text) > 120 or (first.text.endswith(".") and not self.options.ukleg)
        if container and plain and sentence:
            return None
        taken = [index]
        while taken[-1] + 1 not in self.head_lines and taken[-1] + 1 < len(self.lines):
            nxt = self.lines[taken[-1] + 1]
            if nxt.blank_before or len(nxt.text) > 40 or ENUM_START.match(nxt.text) or nxt.note:
                break
            previous = self.lines[taken[-1]].text
            wrapped = nxt.text[:1].islower() and not previous.endswith((".", ")", "]"))
            if previous.endswith(".") or not (wrapped or self._title_like(nxt)):
                break
            if container and _upper(nxt.text) != _upper(first.text):
                break  # "PART III / TERRORIST PROPERTY / Interpretation": a cross-heading
            taken.append(taken[-1] + 1)
        if not probe:
            self.used.update(taken)
        return clean_title(" ".join(self.lines[k].text for k in taken))

    def _skip_schedule_reference(self, index: int) -> int:
        """UK schedules print the enabling section first: "SCHEDULE 2 / Section 3. / TITLE"."""
        if index < len(self.lines) and re.match(r"^Sections?\s+\d", self.lines[index].text):
            return index + 1
        return index

    def _before(self, head: Candidate, *, probe: bool, stopped: bool = False) -> str | None:
        """The line before ``head`` when it reads as its heading. ``stopped``: the heading may
        end with a full stop and run to many words (a marginal note), provided the
        line before it closes the previous provision."""
        index = head.line - 1
        while index >= 0 and self.lines[index].note:
            index -= 1
        if index < 0 or index in self.head_lines:
            return None
        line = self.lines[index]
        separated = line.blank_before or line.md_level or line.emphasis
        separated = separated or line.text.startswith(("（", "(")) or self._after_stop(index)
        strict = separated and self._title_like(line)
        if not strict and not (
            stopped
            and self._after_stop(index, stopped=True)
            and self._title_like(line, stopped=True)
        ):
            return None
        if line.text.startswith("(") and not line.text.endswith(")"):
            return None
        if not probe:
            self.used.add(index)
        return clean_title(line.text)

    def _after_stop(self, index: int, *, stopped: bool = False) -> bool:
        """The line before ``index`` closes a sentence or is a head: "... effect.] / Short title
        / 1. This Act ..." reads as a heading between two provisions. ``stopped``: the line at
        ``index`` may itself end with a full stop."""
        if self.lines[index].text.endswith((",", ";", ":") if stopped else (".", ",", ";", ":")):
            return False
        previous = index - 1
        while previous >= 0 and self.lines[previous].note:
            previous -= 1
        if previous < 0 or previous in self.head_lines or previous in self.used:
            return True
        closed = self.lines[previous].text
        if stopped:  # "... “explosive”.”" closes an amendment; "as follows:-" an enacting formula
            closed = closed.rstrip('”’"').replace(":-", ":").replace(":–", ":")
        return closed.endswith((".", ";", ":", ")", "]", "—"))

    def _title_like(
        self, line: Line, *, container: bool = False, numbered: bool = False, stopped: bool = False
    ) -> bool:
        text = line.text
        if line.note or not text or len(text) > (200 if container else 160):
            return False
        if text.startswith("(") and not text.endswith(")"):
            return False
        if numbered and _NUMBERED_TITLE.match(text):
            return True  # Swiss marginal titles: "2. Zeitlicher Geltungsbereich"
        if _CJK_BRACKET_TITLE.match(text):
            return True  # Japanese article captions: "(目的)"
        if ENUM_START.match(text) or text.endswith((",", ";", ":", "—", "–", "-")):
            return False
        styled = line.md_level or line.emphasis or line.indent >= 4 or self.options.ukleg
        sentence = len(text.split()) > 5 or _SENTENCE_START.match(text)
        if text.endswith(".") and not styled and sentence:
            if not stopped or _SENTENCE_START.match(text) or re.search(r"\.\s+[A-Z]", text):
                return False  # a marginal note is one phrase, not a determiner's sentence
            if not (text[0].isupper() or text[0] in '“"'):
                return False  # "[Akta 297] dan ... selanjutnya.": a sentence's last line
        first = text[0]
        return (
            first.isupper()
            or first in '（(“"['
            or bool(CJK_CHAR.match(first))
            or (not first.isascii() and first.isalpha() and not first.islower())
        )


def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def clean_title(text: str) -> str:
    """Tidy a heading: no emphasis marks, amendment markers, brackets, unclosed opening quote
    or final full stop."""
    text = re.sub(r"^\s*(?:F\d+\s*)?\[?\s*", "", text)
    text = re.sub(r"\s*\]\s*$", "", text)
    match = _TITLE_PUNCT.match(text.strip())
    text = match.group(1) if match else text
    text = re.sub(r"\s+", " ", text).strip(" *_")
    if text.startswith("“") and "”" not in text:
        text = text[1:]  # the quotation of an inserted section opens before its marginal note
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text.strip()
