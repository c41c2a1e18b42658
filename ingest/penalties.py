"""Extract the penalty a provision states (prison term, life, death, fine).

The rules are data: ``corpus/taxonomy/penalties/<lang>.toml`` holds the number words, unit
words, cue words and keywords of each language; this module only interprets them.

How a provision is read:

1. The text is normalised one character for one character (Arabic-Indic, Bengali and full-width
   digits to ASCII, Arabic alef variants, odd spaces) and lower-cased, so offsets stay valid.
2. Near the keyword stems only (speed), one regex per language finds numbers (a unit word is
   looked for right after each), keywords (prison, life, death, fine) and *blockers* (other
   penalties or periods: probation, disqualification, "за период").
3. Numbers with units are *terms*. Cue words right before or after a term give its role
   ("not exceeding", "以下", "lägst", "from ... to"); terms joined only by cue words and
   punctuation form one *branch* ("vähintään kahdeksi ja enintään kahdeksitoista vuodeksi").
4. A branch counts when the keyword it belongs to (a prison keyword right after it, else the
   nearest keyword before it) is a prison keyword, a sanction word ("liable", "bestraft", "处")
   is in the same sentence, and no referential cue ("an offence punishable by", "bedroht",
   "שדינה") shows the penalty is only cited.

Aggregation rule, when the provision states several penalties (aggravated cases):
``max_years`` is the largest upper bound any branch states and ``min_years`` the lower bound of
that same branch (on a tie, the highest one). When no branch states an upper bound
("nicht unter fünf Jahren", "十年以上"), ``max_years`` is None and ``min_years`` is the largest
lower bound. ``life``/``death`` are True when any branch states them; ``fine`` when a fine is
stated as a penalty. A fixed term ("מאסר עשר שנים", "dix ans d'emprisonnement") is an upper
bound. Months, weeks and days are converted to years (6 months = 0.5).
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

RULES_DIR = Path(__file__).resolve().parents[1] / "corpus" / "taxonomy" / "penalties"

# A letter, including the combining signs Python's \w misses (Indic vowel signs, Hebrew points).
_L = (
    r"(?:[^\W\d_]|[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    r"\u0900-\u0963\u0966-\u0dff])"
)
_LB, _RB = rf"(?<!{_L})", rf"(?!{_L})"
_PUNCT = r"[\s,()\[\]\-–—:/]"
_SENT = re.compile(r"[.!?](?=\s)|[。！？]|\n[ \t]*\n")
_WORD_BEFORE = re.compile(rf"(?:{_L}+|\d+)\s*$")
_ABBREV = frozenset(
    [
        "art",
        "no",
        "nr",
        "abs",
        "ziff",
        "lit",
        "cf",
        "cap",
        "ch",
        "st",
        "ust",
        "pkt",
        "poz",
        "dz",
        "u",
        "al",
        "alin",
        "pct",
        "par",
        "sec",
        "s",
        "ss",
        "para",
        "ст",
        "ч",
        "п",
        "чл",
        "ал",
        "стр",
        "vol",
        "p",
        "pp",
        "bzw",
        "vgl",
        "lid",
    ]
)
_SENTENCE_REACH = 900  # characters searched around a keyword for the ends of its sentence
_KW_KINDS = ("life", "death", "block", "prison", "fine")
_UNIT_KINDS = {"year": 1.0, "month": 1 / 12, "week": 1 / 52, "day": 1 / 365}
_ROLES = {
    "maxpre": "max",
    "minpre": "min",
    "from": "from",
    "to": "to",
    "join": None,
    "maxpost": "max",
    "minpost": "min",
}
_CJK_DIGITS = dict(
    zip("〇零一二两兩三四五六七八九", (0, 0, 1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000, "萬": 10000}
_NORMALISE = {
    **{
        chr(start + i): str(i)
        for start in (0x0660, 0x06F0, 0x09E6, 0x0966, 0xFF10)
        for i in range(10)
    },
    **dict.fromkeys("\r\t\xa0\u2007\u202f\u2009\u200b\ufeffـ", " "),
    **dict(zip("أإآٱى’ʼ`‘İ", "ااااي''''i", strict=True)),  # İ: lower() would add a dot
}
_NEEDS_NORMALISING = re.compile("[" + "".join(_NORMALISE) + "]")
# Bengali letters with nukta and the vowel signs ো ৌ exist precomposed and decomposed; rules
# accept both spellings.
_BENGALI_VARIANTS = {
    "\u09af\u09bc": "\u09df",
    "\u09a1\u09bc": "\u09dc",
    "\u09a2\u09bc": "\u09dd",
    "\u09c7\u09be": "\u09cb",
    "\u09c7\u09d7": "\u09cc",
}


@dataclass(frozen=True)
class Penalty:
    """The most severe penalty a provision states (see the module docstring for the rule)."""

    min_years: float | None
    max_years: float | None
    life: bool
    death: bool
    fine: bool
    fine_amount: str | None  # as printed, e.g. "225 000 euros", "N$50 million"
    evidence: str  # the matched words exactly as printed; several pieces joined by " … "
    imprisonment: bool = False  # a custodial penalty is stated, with or without a term


class _Tok(NamedTuple):
    kind: str
    start: int
    end: int
    text: str


@dataclass
class _Item:
    """A term in years, or a bare number that takes the unit of its neighbour."""

    value: float | None
    start: int  # including the cue word before it
    end: int  # including the cue word after it
    raw: str = ""  # a bare number, read only if it joins a term
    per: float | None = None  # years per unit of the term (1/12 for months)
    role: str | None = None  # "min"/"max" (strong cue) or "from"/"to" (range connector)
    cued: bool = False  # a cue word links it to the previous item


@dataclass
class _Branch:
    min_years: float | None
    max_years: float | None
    start: int
    end: int
    owner: int = -1  # offset of the prison keyword the branch belongs to


@dataclass(frozen=True)
class _Rules:
    stems: tuple[str, ...]  # lower-case substrings: every keyword contains one of them
    span: tuple[int, int]  # characters tokenised before and after each stem
    master: re.Pattern[str]
    units: re.Pattern[str]
    cue_before: re.Pattern[str]
    cue_after: re.Pattern[str]
    link: re.Pattern[str]
    number_forms: tuple[tuple[re.Pattern[str], float, float], ...]  # (form, value, multiplier)
    implicit: tuple[tuple[re.Pattern[str], float], ...]
    sanction: re.Pattern[str]
    referential: re.Pattern[str] | None
    referential_after: re.Pattern[str] | None
    same_term: re.Pattern[str] | None  # "лишением свободы на тот же срок"
    amount: re.Pattern[str]
    position: str
    window_before: int
    window_after: int
    cjk: bool


def _alt(patterns: list[str], right: bool) -> str:
    """Alternation, longest first; ``right`` adds an end-of-word boundary (not after "d'")."""
    rb = _RB if right else ""
    return "|".join(
        f"(?:{p}){'' if p.endswith(chr(39)) else rb}"
        for p in sorted(set(patterns), key=len, reverse=True)
    )


def _top_level_split(pattern: str) -> list[str]:
    """Split "a|b(?:c|d)" on its top-level bars only."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*parts, pattern[start:]]


def _lower_pattern(pattern: str) -> str:
    """Lower-case a regex but not its escapes ("\\S" stays): texts are matched lower-cased,
    because case-insensitive matching is several times slower in ``re``. A space in a rule
    matches any run of white space (texts wrap lines anywhere)."""
    out, i = [], 0
    while i < len(pattern):
        step = 2 if pattern[i] == "\\" else 1
        ch = pattern[i : i + 2] if step == 2 else pattern[i].lower()
        out.append(r"\s+" if ch == " " else ch)
        i += step
    return "".join(out)


def _read_rules_file(lang: str) -> dict:
    source = (RULES_DIR / f"{lang}.toml").read_text(encoding="utf-8")
    for decomposed, composed in _BENGALI_VARIANTS.items():
        source = source.replace(composed, decomposed).replace(
            decomposed, f"(?:{decomposed}|{composed})"
        )
    return tomllib.loads(source)


def _number_pattern(data: dict, words: list[str]) -> str:
    if data.get("cjk"):
        return r"\d{1,3}(?:[.,]\d+)?|[〇零一二两兩三四五六七八九十百千]+"
    word = f"(?:{'|'.join(words) or '(?!)'}){data.get('number_suffix', '')}"
    joiner = data.get("number_joiner", r"(?:\s*-\s*|\s+)")
    chain = f"{word}(?:{joiner}{word})*{_RB if data.get('number_right_boundary', True) else ''}"
    digits = r"(?<![\d.,])\d{1,3}(?:[.,]\d+)?(?!\d)"
    return rf"{digits}(?:\s*\(\s*{chain}\s*\))?|{chain}(?:\s*\(\s*\d{{1,3}}\s*\))?"  # "ocho (8)"


@lru_cache(maxsize=64)
def _load_rules(lang: str) -> _Rules:
    data = _read_rules_file(lang)
    bounded = bool(data.get("word_boundaries", not data.get("cjk", False)))
    lb = _LB if bounded and data.get("left_boundary", True) else ""  # Arabic: prefixes, glued text
    pat = {k: [_lower_pattern(p) for p in v] for k, v in data.get("patterns", {}).items()}
    numbers = {_lower_pattern(k): v for k, v in data.get("numbers", {}).items()}
    mults = {_lower_pattern(k): v for k, v in data.get("multipliers", {}).items()}
    implicit = {_lower_pattern(k): v for k, v in data.get("implicit", {}).items()}
    words = sorted([*numbers, *mults], key=len, reverse=True)
    num = _number_pattern(data, words)
    sources = {**pat, "yb": pat.get("year_before", []), "implicit": list(implicit)}

    def named(kinds: tuple[str, ...]) -> str:
        return "|".join(f"(?P<{k}>{_alt(sources[k], bounded)})" for k in kinds if sources.get(k))

    def rx(key: str) -> re.Pattern[str] | None:
        return re.compile(f"{lb}(?:{_alt(pat[key], bounded)})") if pat.get(key) else None

    cues_pre, cues_post = ("maxpre", "minpre", "from", "to", "join"), ("maxpost", "minpost")
    any_cue = _alt([p for k in (*cues_pre, *cues_post) for p in pat.get(k, [])], bounded) or "(?!)"
    currency = _alt(pat.get("currency", []), bounded) or "(?!)"
    position, w_before, w_after = (
        data.get("keyword_position", "before"),
        int(data.get("window_before", 60)),
        int(data.get("window_after", 0)),
    )
    return _Rules(
        stems=tuple(s.lower() for s in data.get("stems", [])),
        # a term sits after its keyword ("before" languages) or before it; 60-80 is room for a range
        span=(w_after + 60 if w_after else 25, w_before + 80 if position != "after" else 30),
        master=re.compile(f"{lb}(?:(?P<num>{num})|{named((*_KW_KINDS, 'yb', 'implicit'))})"),
        units=re.compile(r"[\s\-–\])]{0,3}(?:" + named(tuple(_UNIT_KINDS)) + ")"),
        cue_before=re.compile(f"{lb}(?:{named(cues_pre) or '(?!)'}){_PUNCT}*$"),
        cue_after=re.compile(f"{_PUNCT}*(?:{named(cues_post) or '(?!)'})"),
        link=re.compile(f"(?:{_PUNCT}|{lb}(?:{any_cue}))*"),
        number_forms=tuple(
            (re.compile(f), float(numbers.get(k, 0)), float(mults.get(k, 0)))
            for k in words
            for f in _top_level_split(k)
        ),
        implicit=tuple((re.compile(k), float(v)) for k, v in implicit.items()),
        sanction=rx("sanction") or re.compile("(?!)"),
        referential=rx("referential"),
        referential_after=rx("referential_after"),
        same_term=re.compile(rf"\s*(?:{_alt(pat['same_term'], bounded)})")
        if pat.get("same_term")
        else None,
        amount=re.compile(
            rf"(?:[$€£¥₹₩]|n\$|us\$|eur|usd|gbp|chf|rs\.?|rm)\s?\d[\d\s.,']*\d"
            rf"(?:\s?(?:million|billion))?|(?:\d[\d\s.,']*\d|\d|(?:{num}))\s*"
            rf"(?:million\s+|billion\s+)?(?:{currency})"
        ),
        position=position,
        window_before=w_before,
        window_after=w_after,
        cjk=bool(data.get("cjk", False)),
    )


def supported_languages() -> list[str]:
    """ISO 639-1 codes that have a rules file."""
    return sorted(p.stem for p in RULES_DIR.glob("*.toml"))


_LANG_ALIASES = {"no": "nb", "nn": "nb", "iw": "he", "in": "ms", "sh": "sr", "hr": "sr", "bs": "sr"}
_SCRIPT_GUESS = (
    ("\u3040", "\u30ff", "ja"),
    ("\u4e00", "\u9fff", "zh"),
    ("\uac00", "\ud7af", "ko"),
    ("\u0600", "\u06ff", "ar"),
    ("\u0590", "\u05ff", "he"),
    ("\u10a0", "\u10ff", "ka"),
    ("\u0980", "\u09ff", "bn"),
    ("\u0370", "\u03ff", "el"),
    ("\u0400", "\u04ff", "ru"),
)


@lru_cache(maxsize=256)
def _known_language(language: str) -> str | None:
    code = language.lower().replace("_", "-").split("-")[0]
    code = _LANG_ALIASES.get(code, code)
    return code if (RULES_DIR / f"{code}.toml").exists() else None


def _resolve_language(language: str | None, text: str) -> str:
    """The rules to use: the given language, else a guess from the script, else English."""
    code = _known_language(language) if language else None
    if code:
        return code
    for lo, hi, guess in _SCRIPT_GUESS:
        if any(lo <= ch <= hi for ch in text[:2000]):
            return guess
    return "en"


def _normalise(text: str) -> str:
    """One character for one character, so offsets into the original text stay valid."""
    for ch, rep in _NORMALISE.items():
        if ch in text:  # str.replace per present character beats str.translate with a dict
            text = text.replace(ch, rep)
    return text


def _cjk_number(s: str) -> float:
    total, section, digit = 0, 0, 0
    for ch in s:
        if ch in _CJK_DIGITS:
            digit = _CJK_DIGITS[ch]
        elif ch in _CJK_UNITS:
            unit = _CJK_UNITS[ch]
            if unit == 10000:
                total, section, digit = total + (section + digit) * unit, 0, 0
            else:
                section, digit = section + (digit or 1) * unit, 0
    return float(total + section + digit)


def _number_value(text: str, rules: _Rules) -> float | None:
    """The value of a number as printed (cached: the same words recur in every provision)."""
    key = (text, id(rules))
    if key not in _NUMBER_CACHE:
        if len(_NUMBER_CACHE) > 50_000:
            _NUMBER_CACHE.clear()
        _NUMBER_CACHE[key] = _read_number(text, rules)
    return _NUMBER_CACHE[key]


_NUMBER_CACHE: dict[tuple[str, int], float | None] = {}


def _read_number(text: str, rules: _Rules) -> float | None:
    """Digits, CJK numerals, or number words summed ("fünf|und|zwanzig"); multipliers scale the
    running value ("kaksi|kymmentä" = 20, "dua puluh lima" = 25)."""
    head = text.split("(")[0].strip()
    if not head:
        inner = re.search(r"\d+", text)
        return float(inner.group()) if inner else None
    if head[0].isdigit():
        try:
            return float(head.replace(",", "."))
        except ValueError:
            return None
    if rules.cjk:
        return _cjk_number(head)
    total, current, pos = 0.0, 0.0, 0
    while pos < len(head):  # at each position the longest form wins ("עשרים" over "עשר")
        best, best_end = None, pos
        for form, value, factor in rules.number_forms:
            m = form.match(head, pos)
            if m and m.end() > best_end:
                best, best_end = (value, factor), m.end()
        if best is None:
            pos += 1
            continue
        pos, (value, factor) = best_end, best
        if factor:
            current = (current or 1) * factor
            if factor >= 1000:
                total, current = total + current, 0.0
        else:
            current += value
    return total + current or None


def _windows(low: str, rules: _Rules) -> list[tuple[int, int]]:
    """Stretches of text around the keyword stems: only these are tokenised (speed)."""
    spans = []
    for stem in rules.stems:
        pos = low.find(stem)
        while pos >= 0:
            spans.append((max(0, pos - rules.span[0]), pos + len(stem) + rules.span[1]))
            pos = low.find(stem, pos + len(stem))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _tokenize(text: str, low: str, rules: _Rules) -> tuple[list[_Tok], list[int]]:
    """Tokens near the keywords, and the sentence ends around them."""
    toks, consumed, windows = [], 0, _windows(low, rules)
    for a, b in windows:
        for m in rules.master.finditer(low, a, b):
            if m.start() < consumed:
                continue  # inside the unit of the previous number
            toks.append(_Tok(m.lastgroup or "", m.start(), m.end(), m.group()))
            if m.lastgroup == "num" and (u := rules.units.match(low, m.end())):
                kind = u.lastgroup or "year"
                toks.append(_Tok(kind, u.start(kind), u.end(), u.group(kind)))
                consumed = u.end()
    sents, last = [], 0
    for a, b in windows:
        for m in _SENT.finditer(text, max(a - _SENTENCE_REACH, last), b + _SENTENCE_REACH):
            if _is_sentence_end(text, m):
                sents.append(m.start())
        last = max(last, b + _SENTENCE_REACH)
    return toks, sents


def _is_sentence_end(text: str, m: re.Match[str]) -> bool:
    if text[m.start()] == "\n":  # a blank line ends a sentence only after . ! ? (not "und", ":")
        before = text[max(0, m.start() - 40) : m.start()].rstrip()
        return before[-1:] in (".", "!", "?", "。")
    if text[m.start()] != ".":
        return True
    nxt = text[m.end() : m.end() + 3].lstrip()[:1]
    if nxt.islower() and nxt < "\u0530":  # Latin, Greek, Cyrillic (Georgian has no case in use)
        return False  # a sentence does not start in lower case ("s. 12 of", "z. B. die")
    if text[m.start() - 1 : m.start()] in ("°", "º"):
        return False  # "gestraft: 1°. met gevangenisstraf"
    if text[m.start() - 1 : m.start()] == "." or text[m.end() : m.end() + 1] == ".":
        return False  # an ellipsis ("sektum ... eða") does not end the sentence
    word = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.start())
    w = word.group().strip().lower() if word else ""
    return not (w in _ABBREV or w.isdigit() or len(w) == 1)  # "Art. 5", "s. 12", "1."


def _items(low: str, toks: list[_Tok], rules: _Rules) -> list[list[_Item]]:
    """Terms with their cue words, chained when only cue words and punctuation separate them."""
    chains: list[list[_Item]] = []
    prev_end, prev_item = 0, None
    i = 0
    while i < len(toks):
        t, nxt = toks[i], toks[i + 1] if i + 1 < len(toks) else None
        item = None
        if t.kind == "num" and nxt and nxt.kind in _UNIT_KINDS:
            value = _number_value(t.text, rules)
            per = _UNIT_KINDS[nxt.kind]
            item = _Item(value * per, t.start, nxt.end, per=per) if value else None
            i += 1
        elif t.kind == "num":
            item = _Item(None, t.start, t.end, raw=t.text)
        elif t.kind == "yb" and nxt and nxt.kind == "num" and nxt.start - t.end <= 3:
            value = _number_value(nxt.text, rules)  # "od lat 2", "di anni trenta"
            item = _Item(value, t.start, nxt.end, per=1.0) if value else None
            i += 1
        elif t.kind == "implicit":  # "שנתיים", "سنة", "roku": the unit word carries the number
            value = next((v for r, v in rules.implicit if r.fullmatch(t.text)), None)
            item = (
                _Item(value, t.start, t.end, per=1.0 if value and value >= 1 else 1 / 12)
                if value
                else None
            )
        i += 1
        if item is None:
            prev_end, prev_item = max(prev_end, toks[i - 1].end), None
            continue
        nxt_start = toks[i].start if i < len(toks) else len(low)
        _attach_cues(low, item, rules, prev_end, nxt_start)
        if prev_item is not None and _linked(low, prev_item, item, rules):
            chains[-1].append(item)
        else:
            chains.append([item])
        prev_end, prev_item = item.end, item
    return [c for c in chains if any(it.value is not None for it in c)]


def _attach_cues(low: str, item: _Item, rules: _Rules, prev_end: int, next_start: int) -> None:
    before = rules.cue_before.search(low, max(prev_end, item.start - 28), item.start)
    if before:
        item.role, item.cued, item.start = _ROLES[before.lastgroup or "join"], True, before.start()
    after = rules.cue_after.match(low, item.end, next_start)
    if after:
        item.role, item.end = _ROLES[after.lastgroup or "join"], after.end()


def _linked(low: str, a: _Item, b: _Item, rules: _Rules) -> bool:
    if b.start - a.end > 40 or not rules.link.fullmatch(low, a.end, b.start):
        return False
    if b.raw and b.role not in ("to", "max", "min"):
        return False  # a bare number after a term joins it only as its other end ("od lat 2 do 12")
    gap = low[a.end : b.start]
    # "15 שנים: (1)": terms side by side, with no cue word, need a plain space between them
    return b.cued or gap.strip(" -–") == "" or any(ch.isalpha() for ch in gap)


def _branch(chain: list[_Item], rules: _Rules) -> _Branch | None:
    for idx, it in enumerate(chain):  # "fünf bis zehn Jahren": a bare number takes the next unit
        if it.value is None and it.raw:
            unit = next((o for o in chain[idx + 1 :] if o.per), None) or next(
                (o for o in reversed(chain[:idx]) if o.per), None
            )
            number = _number_value(it.raw, rules)
            it.value = number * unit.per if number is not None and unit else None
    items = [it for it in chain if it.value is not None]
    for a, b in zip(items, items[1:], strict=False):  # "vier jaren en zes maanden" = 4.5
        if a.value and b.value and b.role is None and b.value < 1 <= a.value and a.role != "min":
            a.value, a.end, b.value = a.value + b.value, b.end, None
    items = [it for it in items if it.value is not None]
    if not items:
        return None
    start, end = items[0].start, items[-1].end
    if len(items) == 1:
        v = items[0].value
        return (
            _Branch(v, None, start, end) if items[0].role == "min" else _Branch(None, v, start, end)
        )
    mins = [i.value for i in items if i.role == "min"]
    maxs = [i.value for i in items if i.role in ("max", "to")]
    free = [i.value for i in items if i.role not in ("min", "max", "to")]
    if free and not mins:
        mins.append(free.pop(0))
    if free and not maxs:
        maxs.append(free[-1])
    return _Branch(min(mins) if mins else None, max(maxs) if maxs else None, start, end)


class _Context:
    """Keywords and sentence ends of one text, for the proximity checks."""

    def __init__(self, low: str, toks: list[_Tok], sents: list[int], rules: _Rules) -> None:
        self.text, self.rules, self.sents = low, rules, sents
        self.kws = [t for t in toks if t.kind in _KW_KINDS]
        self._sanctioned: dict[tuple[int, int], bool] = {}

    def _crosses(self, a: int, b: int) -> bool:
        i = bisect_left(self.sents, a)
        return i < len(self.sents) and self.sents[i] < b

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect_left(self.sents, pos)  # sents[i - 1] < pos <= sents[i]
        start = self.sents[i - 1] + 1 if i else max(0, pos - _SENTENCE_REACH)
        end = self.sents[i] if i < len(self.sents) else min(len(self.text), pos + _SENTENCE_REACH)
        return start, end

    def owner(self, start: int, end: int) -> _Tok | None:
        """The keyword a term belongs to: a prison keyword right after it, else the one before."""
        r = self.rules
        after = next((k for k in self.kws if k.start >= end), None)
        if (
            after
            and after.kind in ("prison", "life")
            and after.start - end <= r.window_after
            and not self._crosses(end, after.start)
        ):
            return after
        before = next((k for k in reversed(self.kws) if k.end <= start), None)
        if (
            before
            and r.position != "after"
            and start - before.end <= r.window_before
            and not self._crosses(before.end, start)
        ):
            return before
        return None

    def referential(self, start: int, end: int, term_start: int | None = None) -> bool:
        """Is the penalty only cited ("an offence punishable by ...", "שדינה", "bedroht")?"""
        r, text = self.rules, self.text
        s0, s1 = self.sentence(start)
        stop = start if term_start is None else max(start, term_start)
        if r.referential:
            hits = list(r.referential.finditer(text, max(s0, start - 60), stop))
            if hits and not r.sanction.search(text, hits[-1].end(), stop):
                return True
        if r.referential_after:
            hit = r.referential_after.search(text, end, min(s1, end + 50))
            if hit and not r.sanction.search(text, end, hit.start()):
                return True
        return False

    def sanctioned(self, pos: int) -> bool:
        """Is there a sanction word ("liable", "bestraft", "处") in the same sentence, or in the
        sentence that opens a list of penalties ("sancionado con las siguientes penas: 1) ...")?"""
        key = self.sentence(pos)
        if key not in self._sanctioned:
            found, (s0, s1) = False, key
            for _ in range(4):
                found = self.rules.sanction.search(self.text, s0, s1) is not None
                if found or s0 == 0 or ":" in self.text[s0:s1]:
                    break
                s0, s1 = self.sentence(s0 - 1)
                if ":" not in self.text[s0:s1]:
                    break
                found = self.rules.sanction.search(self.text, s0, s1) is not None
                break
            self._sanctioned[key] = found
        return self._sanctioned[key]

    def sanctioned_near(self, tok: _Tok, reach: int = 80) -> bool:
        """A sanction word near a keyword that has no term ("يعاقب بالسجن", "puni de l'amende"),
        outside the keyword itself ("pecuniary penalty" is not its own sanction)."""
        s0, s1 = self.sentence(tok.start)
        search = self.rules.sanction.search
        return bool(
            search(self.text, max(s0, tok.start - reach), tok.start)
            or search(self.text, tok.end, min(s1, tok.end + reach))
        )

    def amount(self, fine: _Tok) -> tuple[int, int] | None:
        """Where the amount nearest to a fine keyword is printed, in the same sentence."""
        s0, s1 = self.sentence(fine.start)
        hits = self.rules.amount.finditer(
            self.text, max(s0, fine.start - 60), min(s1, fine.end + 90)
        )
        best = min(
            hits,
            key=lambda m: min(abs(m.start() - fine.end), abs(fine.start - m.end())),
            default=None,
        )
        return best.span() if best else None


def _branches(low: str, toks: list[_Tok], ctx: _Context, rules: _Rules) -> list[_Branch]:
    branches: list[_Branch] = []
    candidates = [b for b in (_branch(c, rules) for c in _items(low, toks, rules)) if b]
    for branch in candidates:
        kw = ctx.owner(branch.start, branch.end)
        if kw is None or kw.kind not in ("prison", "life"):
            continue
        if ctx.referential(
            min(kw.start, branch.start), max(kw.end, branch.end), branch.start
        ) or not ctx.sanctioned(branch.start):
            continue
        branch.start, branch.end = min(kw.start, branch.start), max(kw.end, branch.end)
        branch.owner = kw.start
        prev = branches[-1] if branches else None
        if (
            prev
            and prev.owner == branch.owner
            and (prev.min_years is None) != (branch.min_years is None)
            and (prev.max_years is None) != (branch.max_years is None)
        ):
            # "up to 14 years ..., but not less than 4 years" on one keyword is one branch
            prev.min_years = branch.min_years if prev.min_years is None else prev.min_years
            prev.max_years = branch.max_years if prev.max_years is None else prev.max_years
            prev.end = max(prev.end, branch.end)
            continue
        branches.append(branch)
    return branches + _same_term_branches(low, candidates, ctx, rules)


def _same_term_branches(
    low: str, candidates: list[_Branch], ctx: _Context, rules: _Rules
) -> list[_Branch]:
    """ "принудительными работами на срок до трех лет, либо лишением свободы на тот же срок":
    the prison term is the term stated just before, for another penalty."""
    out = []
    for kw in ctx.kws:
        if (
            kw.kind != "prison"
            or not rules.same_term
            or not (m := rules.same_term.match(low, kw.end))
        ):
            continue
        before = [b for b in candidates if b.end <= kw.start and not ctx._crosses(b.end, kw.start)]
        if before and ctx.sanctioned(kw.start) and not ctx.referential(kw.start, kw.end):
            b = before[-1]
            out.append(_Branch(b.min_years, b.max_years, kw.start, m.end(), kw.start))
    return out


def extract_penalty(text: str, language: str | None) -> Penalty | None:
    """Extract the most severe penalty a provision states.

    Args:
        text: The provision text as printed.
        language: ISO 639-1 code ("de", "sr", "zh"); None guesses from the script (else "en").

    Returns:
        A Penalty (several stated penalties are combined as the module docstring says), or
        None when the text states no penalty (definitions, procedure, penalties only cited).
    """
    if not text:
        return None
    rules = _load_rules(_resolve_language(language, text))
    norm = _normalise(text) if _NEEDS_NORMALISING.search(text) else text
    low = norm.lower()
    if len(low) != len(norm):  # a letter whose lower case is longer: keep offsets aligned
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in norm)
    if not any(stem in low for stem in rules.stems):
        return None
    toks, sents = _tokenize(norm, low, rules)
    ctx = _Context(low, toks, sents, rules)
    branches = _branches(low, toks, ctx, rules)
    found: dict[str, _Tok] = {}
    term_sentences = {ctx.sentence(b.start) for b in branches}
    for t in ctx.kws:
        if t.kind in found or t.kind == "block" or not ctx.sanctioned(t.start):
            continue
        if (
            t.kind in ("prison", "fine")
            and not ctx.sanctioned_near(t)
            and (t.kind == "prison" or ctx.sentence(t.start) not in term_sentences)
        ):
            continue  # a bare keyword needs its sanction word close by (or a term beside it)
        if t.kind == "fine" or not ctx.referential(t.start, t.end):
            found[t.kind] = t
    if not branches and not found:
        return None
    return _penalty(text, branches, found, ctx)


def _penalty(text: str, branches: list[_Branch], found: dict[str, _Tok], ctx: _Context) -> Penalty:
    bounded = [b for b in branches if b.max_years is not None]
    top = max(bounded, key=lambda b: (b.max_years, b.min_years or 0.0), default=None)
    if top is None and branches:
        top = max(branches, key=lambda b: b.min_years or 0.0)
    pieces = [(top.start, top.end)] if top else []
    pieces += [(t.start, t.end) for k, t in found.items() if k in ("life", "death")]
    for kind in ("prison", "fine"):
        if not pieces and kind in found:
            pieces.append((found[kind].start, found[kind].end))
    fine = found.get("fine")
    amount = ctx.amount(fine) if fine else None
    return Penalty(
        min_years=_round(top.min_years) if top else None,
        max_years=_round(top.max_years) if top else None,
        life="life" in found,
        death="death" in found,
        fine=fine is not None,
        fine_amount=text[amount[0] : amount[1]].strip() if amount else None,
        evidence=" … ".join(text[a:b].strip() for a, b in sorted(set(pieces))),
        imprisonment=bool(branches) or "prison" in found or "life" in found,
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
