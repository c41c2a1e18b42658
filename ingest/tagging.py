"""Tag a provision with offence types and instruments, with evidence.

``tag_text(text, language, heading=...)`` applies the language's rules (``corpus/taxonomy/rules``)
and the instrument citations (``corpus/taxonomy/citations.toml``), then adds the instruments each
offence type implies (``codes.toml``). Pure: no I/O beyond the cached rule loading.

Matching runs on a folded copy of the text (lower case, Arabic diacritics and tatweel removed,
Arabic alef/yeh variants unified, soft hyphens and zero-width characters dropped, line breaks
inside CJK text removed); matched words are reported from the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from ingest.records import Evidence, TagAssignment
from ingest.taxonomy import (
    CHAR_FOLD,
    DROP_CHARS,
    TEXT_START,
    Rule,
    RuleSet,
    TaxonomyError,
    available_languages,
    load_citations,
    load_rules,
    load_taxonomy,
    trie_regex,
)

_TRANSLATE = str.maketrans(CHAR_FOLD)
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"  # no Hangul
# Dropped: Arabic diacritics and tatweel, soft hyphen, zero-width marks, spaces and line breaks
# inside Chinese/Japanese text, and whitespace following whitespace (runs collapse to one space).
_DROP = re.compile(rf"[{DROP_CHARS}]|(?<=[{_CJK}])\s+(?=[{_CJK}])|(?<=\s)\s+")
_SPACE = str.maketrans(dict.fromkeys("\t\n\r\x0b\x0c\xa0\u2002\u2003\u2009\u202f\u3000", " "))
_LETTER = re.compile(r"[^\W\d_]")
MIN_TEXT_LETTERS = 12  # below this the text is empty in substance ("[...]", "Section 23.")
_LANG_ALIASES = {"no": "nb", "nn": "nb", "zh-cn": "zh", "zh-tw": "zh", "iw": "he", "in": "ms"}


@dataclass(frozen=True)
class _Folded:
    text: str
    index: list[int] | None  # folded offset -> original offset (None: identical offsets)

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.index is None:
            return start, end
        return self.index[start], self.index[end - 1] + 1


_NEEDS_TRANSLATE = re.compile("[" + "".join(map(re.escape, map(chr, _TRANSLATE))) + "]")
_OTHER_SPACE = re.compile("[" + "".join(map(chr, _SPACE)).replace(" ", "") + "]")


# PDF extraction of the Arabic lam-alef ligature often yields its letters in visual order:
# "اإلرهاب" for "الإرهاب", "واألموال" for "والأموال", "إال" for "إلا". Alef, alef, lam does not
# occur in correctly spelled words, so the folded text swaps them back (same length: offsets
# stay valid).
_LAM_ALEF = re.compile("اال")


def _fold(text: str) -> _Folded:
    if _NEEDS_TRANSLATE.search(text):
        text = text.translate(_TRANSLATE)
        if "اال" in text:
            text = _LAM_ALEF.sub("الا", text)
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: keep it as is
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if not _DROP.search(lowered):
        return _Folded(_OTHER_SPACE.sub(" ", lowered), None)
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _DROP.finditer(lowered):
        parts.append(lowered[pos : m.start()])
        index.extend(range(pos, m.start()))
        pos = m.end()
    parts.append(lowered[pos:])
    index.extend(range(pos, len(lowered)))
    return _Folded(_OTHER_SPACE.sub(" ", "".join(parts)), index)


class _Scanner:
    """Finds which prefilter literals (word pieces) of some rule sets occur in a text.

    Literals contain only word characters, so each occurs inside one word of the text: the words
    are scanned once each (cached, since legal vocabulary repeats) with a trie regex.
    """

    _WORDS = re.compile(r"\w+")
    CACHE_SIZE = 200_000

    def __init__(self, rule_sets: list[RuleSet]) -> None:
        literals = sorted({lit for rs in rule_sets for k in rs.keys if k for lit in k})
        known = set(literals)
        # The trie alternation tries longer literals first, so each position reports the longest
        # literal starting there; shorter literals starting at the same place are its prefixes.
        self.prefixes = {
            w: tuple(w[:k] for k in range(1, len(w) + 1) if w[:k] in known) for w in literals
        }
        self.rx = re.compile(f"(?=({trie_regex(literals)}))") if literals else None
        self.cache: dict[str, frozenset[str]] = {}
        # document title -> its folded text and its lazily computed group matches per rule set
        # (the title is the same for every provision of a document: folded and matched once)
        self.titles: dict[str, _Title] = {}

    def word(self, w: str) -> frozenset[str]:
        found = self.cache.get(w)
        if found is None:
            found = frozenset(p for lit in set(self.rx.findall(w)) for p in self.prefixes[lit])
            if len(self.cache) >= self.CACHE_SIZE:
                self.cache.clear()
            self.cache[w] = found
        return found

    def __call__(self, text: str) -> frozenset[str]:
        if self.rx is None or not text:
            return frozenset()
        found: set[str] = set()
        for w in set(self._WORDS.findall(text)):
            found |= self.word(w)
        return frozenset(found)

    TITLE_CACHE_SIZE = 1024

    def title(self, title: str) -> _Title:
        found = self.titles.get(title)
        if found is None:
            folded = _fold(title)
            found = _Title(title, folded, self(folded.text), {})
            if len(self.titles) >= self.TITLE_CACHE_SIZE:
                self.titles.clear()
            self.titles[title] = found
        return found


@lru_cache(maxsize=64)
def _scanner(language: str | None) -> tuple[list[RuleSet], _Scanner]:
    rule_sets = _rule_sets(language)
    return rule_sets, _Scanner([*rule_sets, load_citations()])


@dataclass
class _Title:
    """A document title (folded) and its ``_Matches`` per rule set, computed once per title."""

    raw: str
    folded: _Folded
    present: frozenset[str]
    matches: dict[str, _Matches]

    def get(self, rs: RuleSet) -> _Matches:
        found = self.matches.get(rs.name)
        if found is None:
            found = self.matches[rs.name] = _Matches(rs, self.folded.text, self.present)
        return found


class _Matches:
    """Lazily computed match spans of each group of a rule set, for one piece of text.

    A group none of whose required literals occurs in the text cannot match and is not run.
    """

    __slots__ = ("groups", "keys", "present", "text", "spans")

    def __init__(self, rs: RuleSet, text: str, present: frozenset[str]) -> None:
        self.groups = rs.groups
        self.keys = rs.keys or (None,) * len(rs.groups)
        self.present = present
        self.text = text
        self.spans: list[list[tuple[int, int]] | None] = [None] * len(rs.groups)

    def get(self, g: int) -> list[tuple[int, int]]:
        found = self.spans[g]
        if found is None:
            keys = self.keys[g]
            if keys is not None and keys.isdisjoint(self.present):
                found = []
            else:
                found = [
                    m.span() for m in self.groups[g].finditer(self.text) if m.end() > m.start()
                ]
            self.spans[g] = found
        return found


def _near(spans: list[tuple[int, int]], starts: list[int], pos: int, within: int) -> int | None:
    """Index of a span starting within ``within`` characters of ``pos`` (closest first)."""
    i = bisect_left(starts, pos - within)
    best = None
    while i < len(starts) and starts[i] <= pos + within:
        if best is None or abs(starts[i] - pos) < abs(starts[best] - pos):
            best = i
        i += 1
    return best


# Commas and semicolons (Latin, Arabic "،" "؛", full-width "，" "；") and numbered items. Not the
# CJK enumeration comma "、": Chinese statutes enumerate the conduct and objects of one offence
# with it ("非法制造、买卖、运输...枪支、弹药、爆炸物的"), so it does not mark a list of offences.
_SEPARATORS = re.compile(r"[,;،؛，；]|\s(?:\d{1,2}\.|[a-z]\))\s")
LIST_CONTEXT = 60  # characters either side of a match examined by ``_in_list``
# Chinese/Japanese text packs a word into one or two characters: the same span of text is about
# a third as many characters, so the enumeration context is narrower there.
LIST_CONTEXT_CJK = 20
_IS_CJK = re.compile(f"[{_CJK}]")


def _in_list(text: str, start: int, end: int) -> bool:
    """True when a match sits inside an enumeration (e.g. a list of offences named in passing)."""
    width = LIST_CONTEXT_CJK if _IS_CJK.match(text, start) else LIST_CONTEXT
    a, b = max(0, start - width), end + width
    before, after = len(_SEPARATORS.findall(text, a, start)), len(_SEPARATORS.findall(text, end, b))
    # An enumerated item has separators on both sides; a run of verbs before the match ("places,
    # sends, detonates a bomb") or of objects after it is the provision's own conduct.
    return before + after >= 4 and before > 0 and after > 0


# A run of conduct verbs ending just before the topic, separated from it by a comma and at most
# an article ("delivers, places, discharges or detonates, an explosive"): the topic is the object
# of the provision's own conduct, not an item of an enumeration.
_VERB_TO_OBJECT = re.compile(r"[^\W\d_]*\s*[,،，]\s*(?:[^\W\d_]{1,3}\s+)?$")
OBJECT_GAP = 12


def _object_of(text: str, topic: tuple[int, int], others: list[list[tuple[int, int]]]) -> bool:
    """True when a match of another group of the rule ends just before the topic, across a comma
    (the provision's verb and its object)."""
    start = topic[0]
    return any(
        e <= start and start - e <= OBJECT_GAP and _VERB_TO_OBJECT.match(text, e, start)
        for spans in others
        for _, e in spans
    )


XREF_WORDS_BEFORE = 3  # words before a reference ("terrorist financing offence under s. 15")
_WORD_BACK = re.compile(rf"(?:[^\W\d]+[\s'-]*){{1,{XREF_WORDS_BEFORE}}}$")
_CLAUSE_END = re.compile(r"[.;:!?。；：]")


# Language-independent references (offence catalogues in any language): the title of a provision
# given in brackets after its number ("section 83.02 (providing or collecting property)",
# "article 76 (détournement d'un aéronef)") and an offence named with its provision number in
# brackets after it ("terrorcselekmény (314. §)", "убийство (статья 105)", "vražda (§ 140)").
# (a title whose closing bracket the source lost ends with its item: "83.201 (leaving Canada to
# commit offence for terrorist group, (i.072) ...")
_TITLE_AFTER_NUMBER = re.compile(
    r"(?<=\d)[^\W\d_]?\.?\s*(?:\(\w{1,5}\)\s*)*\(([^()]{4,160})(?:\)|(?=[,;]\s*\([\w.]{1,8}\)\s))"
)
_REF_HEAD = (
    r"\s*(?:(?:§§?|arts?\.|articles?|art[ií]culos?|articolo|artigo|čl\.|članak|člen|člán\w*|"
    r"чл\.|член\w*|члан\w*|ст\.|стать\w*|sec\.|sections?|s\.|straipsn\w*|pants\w*|"
    r"paragra\w*)\s*\d|\d{1,4}[^\W\d_]?\.?\s*§)"
)
# (in square brackets, subsection numbers may follow in parentheses: "[314. § (1)–(2) bekezdés]")
_NUMBER_AFTER_TITLE = re.compile(
    rf"\({_REF_HEAD}[^()\[\]]{{0,40}}\)|\[{_REF_HEAD}[^\[\]]{{0,80}}\]"
)
_ITEM_END = re.compile(r"\s*[,;:，；、]")  # the bracket closes an item of an enumeration
_REF_WORDS_BEFORE = re.compile(r"(?:[^\W\d]+[\s'-]*){1,8}$")


def _generic_zones(text: str) -> list[tuple[int, int]]:
    zones = []
    for m in _TITLE_AFTER_NUMBER.finditer(text):
        if _LETTER.search(m.group(1)):
            zones.append(m.span(1))
    for m in _NUMBER_AFTER_TITLE.finditer(text):
        w = _REF_WORDS_BEFORE.search(text, max(0, m.start() - 80), m.start())
        # Only as an item closed by punctuation ("Geiselnahme (Art. 185),"): in "Wer sich als
        # Mitglied (§ 278 Abs. 3) an einer ... beteiligt" the bracket refers to a definition.
        if _ITEM_END.match(text, m.end()):
            zones.append((w.start() if w else m.start(), m.end()))
    return zones


class _Xrefs:
    """Spans of the text inside references to other provisions, lazily.

    Two kinds: the ``xref`` term list of the language, covering the pattern match plus the few
    words just before it (the noun phrase naming the referred offence), not crossing a clause
    boundary; and bracketed provision titles and numbers (``_generic_zones``), in every language.
    """

    __slots__ = ("matches", "group", "zones", "generic")

    def __init__(self, matches: _Matches, group: int | None) -> None:
        self.matches, self.group = matches, group
        self.zones: list[tuple[int, int]] | None = None
        self.generic: list[tuple[int, int]] = []

    def _build(self) -> list[tuple[int, int]]:
        if self.zones is None:
            text = self.matches.text
            self.generic = _generic_zones(text)
            self.zones = list(self.generic)
            for s, e in self.matches.get(self.group) if self.group is not None else ():
                m = _WORD_BACK.search(text, max(0, s - 60), s)
                start = m.start() if m else s
                cut = [c.end() for c in _CLAUSE_END.finditer(text, start, s)]
                self.zones.append((cut[-1] if cut else start, e))
        return self.zones

    def inside(self, spans: list[tuple[int, int]]) -> bool:
        """True when every span lies inside some reference."""
        zones = self._build()
        return bool(zones) and all(any(zs <= s and e <= ze for zs, ze in zones) for s, e in spans)

    def names(self, span: tuple[int, int]) -> bool:
        """True when the span lies in a bracketed provision title or before a bracketed number:
        the words name another provision's offence ("Geiselnahme (Art. 185)")."""
        self._build()
        s, e = span
        return any(zs <= s and e <= ze for zs, ze in self.generic)


def _evaluate(  # noqa: C901
    rule: Rule,
    text: _Matches,
    head: _Matches | None,
    xrefs: _Xrefs | None = None,
    title: _Matches | None = None,
) -> list[tuple[str, int, int]] | None:
    """Return the evidence of a firing rule as (where, start, end) spans, or None.

    ``where``: "t" text, "h" heading, "d" document title.
    """
    from_title: list[tuple[str, int, int]] = []
    if rule.document:  # "d:" groups: in the document title only (none given: no match)
        for g, in_title in zip(rule.groups, rule.document, strict=True):
            if in_title:
                ds = title.get(g) if title is not None else None
                if not ds:
                    return None
                from_title.append(("d", *ds[0]))
    from_heading: list[tuple[int, tuple[str, int, int]]] = []
    open_groups: list = []
    only = rule.heading_only or (False,) * len(rule.groups)
    document = rule.document or (False,) * len(rule.groups)
    for i in rule.order or range(len(rule.groups)):  # most selective group first
        if document[i]:
            continue
        g, heading_only = rule.groups[i], only[i]
        hs = head.get(g) if (head is not None and (rule.use_heading or heading_only)) else []
        if hs:
            from_heading.append((i, ("h", *hs[0])))
        elif heading_only or not text.get(g):
            return None
        else:
            open_groups.append((i, g))
    evidence = [span for _, span in sorted(from_heading)]
    anywhere = rule.anywhere or (False,) * len(rule.groups)
    # "a:" groups (a context such as terrorism) need only match somewhere in the text; the
    # others must match near each other. (When only "a:" groups are left, they anchor as usual.)
    context = [g for i, g in sorted(open_groups) if anywhere[i]]
    open_groups = [g for i, g in sorted(open_groups) if not anywhere[i]] or context
    if open_groups is context:
        context = []
    for g in rule.unless_text:
        if text.get(g) or (head is not None and head.get(g)):
            return None
    if not open_groups:
        # Every group matched in the heading: ``unless`` (near the anchor) is not checked there; a
        # heading term that must block the rule belongs in ``unless_text`` (text and heading).
        return evidence + from_title
    # Anchor on the group with the fewest matches; every other group must match near it.
    topic = rule.groups[0] if not rule.lists and rule.groups[0] in open_groups else None
    open_groups.sort(key=lambda g: len(text.get(g)))
    anchor, others = open_groups[0], open_groups[1:]
    other_spans = [text.get(g) for g in others]
    other_starts = [[s for s, _ in spans] for spans in other_spans]
    unless = [(u, [s for s, _ in u]) for u in (text.get(g) for g in rule.unless) if u]
    for a_start, a_end in text.get(anchor):
        picked = []
        for spans, starts in zip(other_spans, other_starts, strict=True):
            j = _near(spans, starts, a_start, rule.within)
            if j is None:
                break
            picked.append(spans[j])
        else:
            if any(_near(u, us, a_start, rule.within) is not None for u, us in unless):
                continue
            if topic is not None:
                ts = (a_start, a_end) if anchor == topic else picked[others.index(topic)]
                if _in_list(text.text, *ts) and not _object_of(
                    text.text, ts, [text.get(g) for g in open_groups if g != topic]
                ):
                    continue
            if xrefs is not None:
                if not evidence and xrefs.inside([(a_start, a_end), *picked]):
                    continue  # only a reference to another provision ("an offence under s. 15")
                g0 = rule.groups[0]
                if g0 in open_groups:  # the rule's topic names a provision cited by number
                    ts = (a_start, a_end) if anchor == g0 else picked[others.index(g0)]
                    if xrefs.names(ts):
                        continue
            for g in context:  # the occurrence of the context nearest to the anchor
                spans = text.get(g)
                picked.append(spans[_near(spans, [s for s, _ in spans], a_start, len(text.text))])
            return evidence + [("t", a_start, a_end)] + [("t", *s) for s in picked] + from_title
    return None


def _normalise_language(language: str | None) -> str | None:
    if not language:
        return None
    lang = language.strip().lower().replace("_", "-")
    lang = _LANG_ALIASES.get(lang, lang.split("-")[0])
    return _LANG_ALIASES.get(lang, lang)


def _rule_sets(language: str | None) -> list[RuleSet]:
    """The rule sets to apply: the language's, or every language's when it is unknown."""
    lang = _normalise_language(language)
    if lang in available_languages():
        return [load_rules(lang)]
    return [load_rules(code) for code in available_languages()]


TITLE_EVIDENCE = 160  # characters of a title line shown in evidence (around the match)


def _title_words(title: _Title, s: int, e: int) -> str:
    """``document title: <the line of the title that matched>`` (long lines cut around it)."""
    raw = title.raw
    a, b = title.folded.span(s, e)
    start, end = raw.rfind("\n", 0, a) + 1, raw.find("\n", b)
    end = len(raw) if end < 0 else end
    if end - start > TITLE_EVIDENCE:
        start = max(start, a - TITLE_EVIDENCE // 2)
        end = min(end, max(b, start + TITLE_EVIDENCE))
    line = " ".join(raw[start:end].split())
    return f"document title: {line}"


def _words(
    folded: _Folded,
    original: str,
    spans: list[tuple[str, int, int]],
    hf,
    hs,
    title: _Title | None = None,
) -> tuple:
    out: list[str] = []
    for where, s, e in spans:
        if where == "d":
            word = _title_words(title, s, e)
            if word not in out:
                out.append(word)
            continue
        src, fold = (original, folded) if where == "t" else (hs, hf)
        a, b = fold.span(s, e)
        word = " ".join(src[a:b].split())
        if word and word not in out:
            out.append(word)
    return tuple(out)


def _starts_with(
    text: _Folded, heading: _Folded | None, in_heading: tuple, at_start: tuple
) -> bool:
    """True when a heading pattern matches the heading or a start pattern the text's start."""
    if heading is not None and any(p.search(heading.text) for p in in_heading):
        return True
    start = text.text[:TEXT_START]
    return any(p.search(start) for p in at_start)


def _vetoed(rs: RuleSet, text: _Folded, heading: _Folded | None) -> bool:
    return _starts_with(text, heading, rs.veto_heading, rs.veto_text_start)


def _definitions_article(rs: RuleSet, text: _Folded, heading: _Folded | None) -> bool:
    """A general definitions article ("In this Act ... means"): it establishes no measure."""
    return _starts_with(text, heading, rs.definitions_heading, rs.definitions_text_start)


def _skip(rs: RuleSet, text: _Folded, heading: _Folded | None) -> frozenset[str]:
    """The codes a general definitions article does not carry (none for other provisions).

    Such an article defines the words the law uses: it establishes no measure, and the offences
    its definitions enumerate are not its subject (offences too, unless a heading of its own,
    "Piracy", says the definitions only open an offence provision).
    """
    if not _definitions_article(rs, text, heading):
        return frozenset()
    taxonomy = load_taxonomy()
    only_defs = heading is None or any(p.search(heading.text) for p in rs.definitions_heading)
    return taxonomy.not_defined if only_defs else taxonomy.measures


QUOTE_GAP = 160  # characters between "substituting the following ..." and the opening quote
_OPEN_QUOTE = re.compile(r"[“\"]")
_QUOTE_DEPTH = {"“": 1, "”": -1}  # curly quotes nest


def _quoted_at(text: str, pos: int) -> tuple[int, int] | None:
    """The span of the quotation opening within ``QUOTE_GAP`` characters after ``pos``.

    Curly quotes nest (an inserted definition quotes its own terms); a straight quote runs to
    the next one.
    """
    m = _OPEN_QUOTE.search(text, pos, pos + QUOTE_GAP)
    if m is None or "”" in text[pos : m.start()]:
        return None
    if m.group() == '"':
        end = text.find('"', m.end())
        return (m.end(), end) if end > m.end() else None
    depth = 0
    for i in range(m.start(), len(text)):
        depth += _QUOTE_DEPTH.get(text[i], 0)
        if depth == 0:
            return (m.end(), i) if i > m.end() else None
    return m.end(), len(text)  # an unclosed quotation runs to the end of the text


def _inserted_text(rs: RuleSet, folded: _Folded, original: str) -> str:
    """The quotations an amending section inserts or substitutes, joined (original text)."""
    segments: list[str] = []
    taken = -1
    starts = sorted({m.end() for p in rs.amend_insert for m in p.finditer(folded.text)})
    for pos in starts:
        span = _quoted_at(folded.text, pos) if pos > taken else None
        if span is None:
            continue
        taken = span[1]
        if not any(p.fullmatch(folded.text, *span) for p in rs.amend_lists):
            a, b = folded.span(*span)
            segments.append(original[a:b])
    return "\n".join(segments)


def _amendment_ctx(rs: RuleSet, ctx: tuple, scan: _Scanner) -> tuple | None:
    """The tagging context of an amending section's inserted text, or None when ``rs`` has no
    ``[amendments]`` or the heading is not an amendment heading."""
    head = ctx[1]
    if head is None or not any(p.search(head.text) for p in rs.amend_heading):
        return None
    inserted = _inserted_text(rs, ctx[0], ctx[2])
    folded = _fold(inserted)
    present = scan(folded.text)
    return (folded, None, inserted, "", present, frozenset(), present, ctx[7])


def _apply(
    rs: RuleSet,
    ctx: tuple,
    found: dict[str, list[Evidence]],
    offences: bool,
    skip: frozenset[str] = frozenset(),
) -> None:
    """Fire the rules of ``rs`` of one kind, except those whose code is in ``skip``."""
    text, heading, original, heading_raw, present, head_present, all_present, title = ctx
    groups = {code: o.group for code, o in load_taxonomy().offences.items()}
    tm = _Matches(rs, text.text, present)
    hm = _Matches(rs, heading.text, head_present) if heading is not None else None
    dm = title.get(rs) if title is not None else None
    xrefs = _Xrefs(tm, rs.xref) if offences else None  # a citation is cited even in a reference
    for rule in rs.rules:
        if (rule.kind == "offence") != offences or (rule.code in skip and not rule.defines):
            continue
        if rule.document and dm is None:
            continue  # a document-context rule needs the document's title
        # A code is found by its first firing rule; a "keep_specialised" rule of a code already
        # found is still evaluated, to record that its code keeps the specialised codes.
        if rule.code in found and (
            not rule.keep_specialised or any(e.rule == rule.code for e in found.get("~keep", ()))
        ):
            continue
        for gate in rule.gates:
            if gate.isdisjoint(all_present):
                break  # a group of the rule cannot match in the text nor in the heading
        else:
            # Only what a provision criminalises or defines is suppressed inside a reference; a
            # measure ("a search warrant under paragraph 1") is the provision's own subject.
            xr = None if groups.get(rule.code) == "measure" else xrefs
            _fire(rule, tm, hm, found, ctx, xr, dm)


def _fire(
    rule: Rule,
    tm: _Matches,
    hm: _Matches | None,
    found: dict,
    ctx: tuple,
    xrefs: _Xrefs | None,
    dm: _Matches | None = None,
) -> None:
    """Evaluate one rule and record its evidence (and the instruments it implies) in ``found``."""
    text, heading, original, heading_raw = ctx[:4]
    spans = _evaluate(rule, tm, hm, xrefs, dm)
    if spans is None:
        return
    words = _words(text, original, spans, heading, heading_raw, ctx[7])
    if rule.keep_specialised:
        found.setdefault("~keep", []).append(Evidence(rule.code, ()))
        if rule.code in found:  # found by an earlier rule: only its evidence is added
            found[rule.code].append(Evidence(rule.id, words))
            return
    found[rule.code] = [Evidence(rule.id, words)]
    # The heading names the code only when the rule's topic (its first term group) matched there:
    # a generic heading word ("Offences", "public") does not name a specialised offence.
    g0 = rule.groups[0]
    g0_heading = rule.use_heading or (bool(rule.heading_only) and rule.heading_only[0])
    if rule.document and rule.document[0]:
        g0_heading = False  # the topic is the document's title, not the heading
    if hm is not None and g0_heading and hm.get(g0):  # (then group 0 was taken from it)
        found.setdefault("~heading", []).append(Evidence(rule.code, ()))
    if all(where != "t" for where, _, _ in spans):  # heading (and document title) only
        found.setdefault("~headonly", []).append(Evidence(rule.code, ()))
    else:  # where the evidence starts in the text (for the specialised-code policy)
        start = min(s for where, s, _ in spans if where == "t")
        found.setdefault("~start", []).append(Evidence(rule.code, (str(start),)))
    for code in rule.implies:
        found.setdefault("+" + code, []).append(Evidence(f"implied:{rule.code}", words))


SUBJECT_START = 40  # a specialised code whose evidence starts this early names the subject


def _apply_policy(found: dict[str, list[Evidence]], general: tuple, specialised: tuple) -> None:
    """Drop specialised codes found next to a general one, unless the heading names them or
    the text opens with them (within ``SUBJECT_START`` characters, before any general code).

    A code found by a rule with ``keep_specialised`` is exempt: a general one then drops nothing
    ("an attack on an internationally protected person for a terrorist purpose" keeps
    protected_persons next to terrorist_act), a specialised one is never dropped.
    """
    head_only = {e.rule for e in found.get("~headonly", [])}
    keep = {e.rule for e in found.get("~keep", [])}
    general = tuple(code for code in general if code not in keep)
    if not any(code in found and code not in head_only for code in general):
        return  # no general code, or only a heading like "Terrorist act" over a specific offence
    from_heading = {e.rule for e in found.get("~heading", [])}
    # A specialised offence the text opens with, before any general code's evidence, is the
    # provision's own subject ("Illegal acquisition of firearms ... committed with a terrorist
    # purpose" is arms trafficking made a terrorist offence), not an item of a general list.
    starts = {e.rule: int(e.matched[0]) for e in found.get("~start", [])}
    first_general = min((starts[c] for c in general if c in starts), default=None)
    for code in specialised:
        if code in keep:
            continue
        if (
            code in starts
            and first_general is not None
            and starts[code] < min(first_general, SUBJECT_START)
        ):
            continue
        if code in found and code not in from_heading:
            del found[code]
            for key in [k for k in found if k.startswith("+")]:
                found[key] = [e for e in found[key] if e.rule != f"implied:{code}"]
                if not found[key]:
                    del found[key]


def tag_text(
    text: str,
    language: str | None,
    *,
    heading: str | None = None,
    document_title: str | None = None,
) -> list[TagAssignment]:
    """Offence types and instruments of one provision, each with its evidence.

    Args:
        text: the provision text.
        language: ISO 639-1 code (``sr`` for Serbian, also Cyrillic); unknown or None applies
            the rules of every language.
        heading: the provision heading, if any; it counts as evidence for the whole provision.
        document_title: the title of the document the provision belongs to (may be the title
            and its English title joined by a newline). Only rules with a ``d:`` group read it
            ("an offence under this Act" in an Anti-Terrorism Act); None: those never fire.
            Folded and matched once per title (cached), not once per provision.

    Returns:
        Offence tags (taxonomy order) then instrument tags (taxonomy order). Instruments cited
        explicitly carry ``citation:...`` evidence; instruments implied by an offence type carry
        ``implied:<offence code>`` evidence.
    """
    taxonomy = load_taxonomy()
    folded = _fold(text or "")
    if folded.text.strip() and len(_LETTER.findall(folded.text, 0, 200)) < MIN_TEXT_LETTERS:
        heading = None  # a repealed or elided provision ("[...]", "Section 23."): its heading
        # says what the former provision was about, not what this text provides. (A container
        # with no text at all, e.g. a chapter, keeps the tags of its heading.)
    head = _fold(heading) if heading and heading.strip() else None
    lang = _normalise_language(language)
    rule_sets, scan = _scanner(lang if lang in available_languages() else None)
    present = scan(folded.text)
    head_present = scan(head.text) if head is not None else frozenset()
    title = scan.title(document_title) if document_title and document_title.strip() else None
    ctx = (
        *(folded, head, text or "", heading or ""),
        *(present, head_present, present | head_present, title),
    )
    found: dict[str, list[Evidence]] = {}
    for rs in rule_sets:
        amended = _amendment_ctx(rs, ctx, scan) if rs.amend_heading else None
        if amended is not None:  # an amending section: only the text it inserts counts
            if amended[0].text.strip():
                _apply(rs, amended, found, offences=True, skip=_skip(rs, amended[0], None))
        elif not _vetoed(rs, folded, head):
            _apply(rs, ctx, found, offences=True, skip=_skip(rs, folded, head))
    _apply_policy(found, taxonomy.general, taxonomy.specialised)
    cited: dict[str, list[Evidence]] = {}
    _apply(load_citations(), ctx, cited, offences=False)
    for code in [c for c in found if c[0] not in "+~"]:
        for inst in taxonomy.offences[code].implies:
            found.setdefault("+" + inst, []).append(
                Evidence(f"implied:{code}", found[code][0].matched)
            )
    tags = [
        TagAssignment(code, "offence", tuple(found[code]))
        for code in taxonomy.offences
        if code in found
    ]
    for code in taxonomy.instruments:
        evidence = cited.get(code, []) + found.get("+" + code, [])
        if evidence:
            tags.append(TagAssignment(code, "instrument", tuple(evidence)))
    return tags


def front_matter_tags(tags: list[TagAssignment]) -> list[TagAssignment]:
    """The tags a front-matter provision keeps: titles, enacting formulas, recitals, "objects and
    reasons" and tables of contents establish nothing, so only the instruments they cite
    explicitly remain (not those implied by the offences their words mention)."""
    kept = []
    for tag in tags:
        cited = tuple(e for e in tag.evidence if not e.rule.startswith("implied:"))
        if tag.kind == "instrument" and cited:
            kept.append(TagAssignment(tag.code, tag.kind, cited))
    return kept


def format_tags(tags: list[TagAssignment]) -> str:
    """Human-readable lines: kind, code, then each rule with the words it matched."""
    if not tags:
        return "no tags"
    lines = []
    for t in tags:
        ev = "; ".join(f"{e.rule}: {', '.join(e.matched)}" for e in t.evidence)
        lines.append(f"{t.kind:10} {t.code:22} {ev}")
    return "\n".join(lines)


__all__ = ["TaxonomyError", "format_tags", "front_matter_tags", "tag_text"]
