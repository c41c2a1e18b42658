"""Text analysis for the embedded (tantivy) engine, mirroring the OpenSearch mapping.

- ``std`` (fields ``text`` and ``meta``): words (runs of letters and digits), lower-cased, no
  stemming: it matches surface forms in any language, and prefixes. Each CJK character is a
  word of its own, as in Lucene's standard tokenizer, so a CJK word or phrase matches as a
  substring.
- one analyzer per language group (``body_<g>``, ``head_<g>``): the same words, that language's
  stop words where tantivy has a list, and its Snowball stemmer.
- ``cjk``: bigrams of adjacent CJK characters (a lone character stays whole), indexed
  pre-tokenized, because tantivy's n-gram tokenizer gives every gram position 0 and so cannot
  serve phrase queries.

Words are cut by tantivy's simple tokenizer (six times faster than its regex tokenizer): any
character that is not a letter or digit separates words, so ``83.02`` is the phrase ``83 02``
and ``l'article`` is ``l article`` (tantivy has no elision filter; this lets ``article`` find
``l'article`` as OpenSearch's French analyzer does). Text containing CJK characters is cut here
in Python instead, since the simple tokenizer would keep a run of Han characters as one word.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from tantivy import Filter, Index, PreTokenizedString, TextAnalyzer, TextAnalyzerBuilder, Token
from tantivy import Tokenizer as TantivyTokenizer

from search_index.documents import GROUPS
from search_index.query import CJK_RE, contains_cjk

MAX_TOKEN_BYTES = 255
STD = "std"
CJK = "cjk"
# group -> (tantivy Snowball stemmer, tantivy stop-word list or None)
STEMMERS: dict[str, tuple[str, str | None]] = {
    "en": ("english", "english"),
    "fr": ("french", "french"),
    "de": ("german", "german"),
    "es": ("spanish", "spanish"),
    "pt": ("portuguese", "portuguese"),
    "it": ("italian", "italian"),
    "nl": ("dutch", "dutch"),
    "ru": ("russian", "russian"),
    "ar": ("arabic", None),
    "tr": ("turkish", None),
    "el": ("greek", None),
    "sv": ("swedish", "swedish"),
    "da": ("danish", "danish"),
    "no": ("norwegian", "norwegian"),
    "fi": ("finnish", "finnish"),
    "hu": ("hungarian", "hungarian"),
    "ro": ("romanian", None),
}
_CJK_CLASS = CJK_RE.pattern[1:-1]
# A run of CJK characters, or a run of other letters and digits (the simple tokenizer's words).
_CJK_OR_WORD = re.compile(rf"([{_CJK_CLASS}]+)|((?:(?![{_CJK_CLASS}])[^\W_])+)")

Span = tuple[str, int, int]  # term, start and end character offsets


def tokenizer_name(analyzer: str) -> str:
    return f"ctlex_{analyzer}"


def field_analyzer(field: str) -> str:
    """The analyzer of a text field: ``std``, ``cjk`` or a language group."""
    if field in ("text", "meta"):
        return STD
    return field.split("_", 1)[1]


def _base() -> TextAnalyzerBuilder:
    return (
        TextAnalyzerBuilder(TantivyTokenizer.simple())
        .filter(Filter.remove_long(MAX_TOKEN_BYTES))
        .filter(Filter.lowercase())
    )


@cache
def get_analyzer(name: str) -> TextAnalyzer:
    """The tantivy analyzer called ``name`` (``std`` or a group; ``cjk`` uses ``std`` words)."""
    if name in (STD, CJK):
        return _base().build()
    stemmer, stopwords = STEMMERS[name]
    builder = _base()
    if stopwords:
        builder = builder.filter(Filter.stopword(stopwords))
    return builder.filter(Filter.stemmer(stemmer)).build()


def register_analyzers(index: Index) -> None:
    """Register every analyzer on an opened index (tantivy does not persist them)."""
    for name in (STD, *GROUPS):
        index.register_tokenizer(tokenizer_name(name), get_analyzer(name))


def _python_words(text: str) -> list[tuple[str, int, int, bool]]:
    """(word, start, end, is a CJK character) for text the simple tokenizer cannot cut."""
    out = []
    for match in _CJK_OR_WORD.finditer(text):
        start, run = match.start(), match.group(1)
        if run is not None:  # each CJK character is a word
            out.extend((ch, start + i, start + i + 1, True) for i, ch in enumerate(run))
        elif len(word := match.group(2).lower()) * 4 <= MAX_TOKEN_BYTES or (
            len(word.encode()) <= MAX_TOKEN_BYTES
        ):
            out.append((word, start, match.end(), False))
    return out


def std_spans(text: str) -> list[Span]:
    """The ``std`` words of ``text`` with their offsets."""
    if contains_cjk(text):
        return [(w, a, b) for w, a, b, _ in _python_words(text)]
    tokens = get_analyzer(STD).pre_tokenize(text).tokens
    return [(t.text, t.char_offset_from, t.char_offset_to) for t in tokens]


def cjk_spans(text: str) -> list[Span]:
    """Bigrams of each run of adjacent CJK characters (a lone one stays whole), other words."""
    out: list[Span] = []
    run: list[tuple[str, int, int]] = []
    for word, start, end, cjk in [*_python_words(text), ("", -1, -1, False)]:
        if cjk and run and run[-1][2] == start:
            run.append((word, start, end))
            continue
        if len(run) == 1:
            out.append(run[0])
        out.extend((a[0] + b[0], a[1], b[2]) for a, b in zip(run, run[1:], strict=False))
        run = [(word, start, end)] if cjk else []
        if not cjk and start >= 0:
            out.append((word, start, end))
    return out


def pretokenized(analyzer: str, text: str) -> PreTokenizedString:
    """``text`` cut by :func:`std_spans` or :func:`cjk_spans`, for indexing."""
    spans = cjk_spans(text) if analyzer == CJK else std_spans(text)
    return PreTokenizedString(text, [Token(w, i, a, b) for i, (w, a, b) in enumerate(spans)])


def needs_pretokenizing(analyzer: str, text: str) -> bool:
    return analyzer == CJK or (analyzer == STD and contains_cjk(text))


@lru_cache(maxsize=8192)
def analyze(analyzer: str, text: str) -> tuple[tuple[int, str], ...]:
    """Terms of ``text`` as (relative position, term), as the field's index holds them."""
    if analyzer == CJK:
        tokens = [(i, w) for i, (w, _, _) in enumerate(cjk_spans(text))]
    elif analyzer == STD:
        tokens = [(i, w) for i, (w, _, _) in enumerate(std_spans(text))]
    else:
        tokens = [(t.position, t.text) for t in get_analyzer(analyzer).pre_tokenize(text).tokens]
    if not tokens:
        return ()
    first = tokens[0][0]
    return tuple((pos - first, term) for pos, term in tokens)
