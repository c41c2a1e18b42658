"""The tag taxonomy and the tagging rules, loaded from ``corpus/taxonomy`` (data, not code).

Files:

- ``codes.toml``: every instrument and offence-type code with its name, group and year, and the
  table "offence type implies instruments".
- ``citations.toml``: explicit citations of instruments (names, abbreviations, resolution numbers)
  in many languages; they apply to text in any language.
- ``rules/<lang>.toml``: per language, named term lists and rules per offence code.

A language file may also name the provisions that are general definitions articles ("In this Act,
unless the context otherwise requires, ..."): ``[definitions]`` with ``heading`` patterns (matched
against the heading) and ``text_start`` patterns (against the first ``TEXT_START`` characters).
Such an article defines the words the law uses ("freezing", "listed entity"...); it does not
itself provide for a measure nor create the offences its definitions mention, so it carries only
the codes of ``[policy] definitions`` in ``codes.toml`` (terrorism_definition, and e.g. "financing
of terrorism means..."). When the heading is not a definitions heading ("Piracy" over "(1) In this
Part ... (2) Any person who..."), only the measures are withheld.

A rule is a conjunction of term groups that must all match within ``within`` characters of each
other (the provision heading, when given, can satisfy a group for the whole provision), minus
``unless`` exclusions. Prefixes in ``all``: ``"h:@list"`` must match in the heading;
``"a:@list"`` (a context, e.g. ``all = ['@recruit', '@penal', 'a:@terror']``) must match
somewhere in the provision or its heading but not near the other groups, so a rule can require a
terrorism context stated in another paragraph ("(3) ... if committed for a terrorist purpose")
without widening its window. ``"d:@list"`` (a document context, e.g. ``all = ['@confiscat',
'@offence_this_act', 'd:@terror_title']``) must match the title of the document the provision
belongs to (``tag_text(..., document_title=...)``: the title and its English title, folded like
the text), and only there: many provisions of a counter-terrorism or AML act say only "an offence
under this Act" or "الجرائم المنصوص عليها في هذا القانون", so the act's title supplies the
terrorism context; a rule with a "d:" group never fires when no title is given, and its evidence
includes ``"document title: <the line of the title that matched>"``. At least one group of a rule
has neither "a:" nor "d:" (a rule is always anchored in the provision's text or heading).
``unless`` is checked near each occurrence of the anchor (the group with the fewest matches):
an excluded use of a word ("the Convention against the Taking of Hostages") blocks that
occurrence only, and another occurrence elsewhere in the provision still fires; when every group
matched in the heading, ``unless`` is not checked. ``unless_text`` blocks the rule wherever it
matches, text or heading.
``lists = false``: a match of the first group inside an enumeration (separators on both sides:
commas, semicolons incl. Arabic and full-width ones, numbered items) does not count, unless a
match of another group ends just before it across a comma (the provision's own run of conduct
verbs and their object: "places, discharges or detonates, an explosive"). The special term list
``xref`` (optional, per language) matches references
to other provisions ("an offence under section 15", "au sens de l'article 421-1"): a rule whose
every match in the text lies inside such a reference does not fire. In every language, bracketed
provision titles after a number ("section 83.02 (providing or collecting property)") and offences
listed with their provision number in brackets ("Geiselnahme (Art. 185),") are references too,
and an offence rule whose topic (first group) matches inside one does not fire. Patterns are
Python regular expressions matched against the folded text (lower case, Arabic diacritics removed,
lines joined inside CJK text): write them in lower case.

Term groups: a group (an item of ``all``, ``unless``, ``unless_text`` or of a term list) is a
pattern, a term list reference ``"@name"``, a list of those, or a mixed string whose top-level
alternatives are term list references and patterns: ``'@penal|multa|infracci'`` means any term of
``penal`` or either pattern (prefixes stay in front: ``'a:@terror|yihad'``). ``"{{name}}"`` inside
a pattern inserts the term list as a group (``'{{give}} (?:funds|money)'``).

Placeholder ``{sent}``: one character of the same sentence, written where ``[^.;]`` would be
(``'(?:punish|liable){sent}{0,80}terror'``). Like ``[^.;]`` (also not ``؛``, ``；``, ``。``), except
that a period passes when it belongs to a legal reference or an abbreviation: "Art. 17 Abs. 1
Satz 1", "§ 20 odst. 1", "s. 83.01", "para. 3", "No. 25 of 2005", "u.s.c.", "a Btk. 314. §-a",
"2001. évi", "Sb., trestní zákoník" (``SENT_ABBREVIATIONS``, ``SENT_ORDINAL_NEXT``, ``SENT``).
It is an atom, not a class body: not inside ``[...]``.

Specialised-code policy (``[policy]`` in ``codes.toml``): a specialised code (hostage_taking,
protected_persons, CBRN...) found next to a general one (terrorist_act...) is dropped as an item of
a general list. ``keep_specialised = true`` on a rule exempts the code it assigns: a general code
assigned by such a rule drops nothing ("whoever attacks an internationally protected person for a
terrorist purpose": terrorist_act and protected_persons), a specialised one is never dropped. The
rule counts even when an earlier rule assigned the same code (its evidence is then added).

Definitions policy (``definitions`` in ``[policy]``): a general definitions article carries only
the codes listed there. ``defines = true`` on a rule lets it fire there all the same: the rule
recognises the definition of its code's own subject ("nuclear material means", "explosive or other
lethal device means"), an element of the offences, not an item a definition happens to list.

Amending sections (opt-in per language file, ``[amendments]``): a provision whose heading matches
an ``amendments.heading`` pattern ("Amendment of section 12 of Act of 1994") is tagged by the text
it inserts or substitutes, not by its wrapper ("Section 12 ... is amended by substituting ... for
subsection (2)") nor by the section numbers it swaps. The inserted text is each quotation (“...”
or "...") opening just after a match of an ``amendments.insert`` pattern ("substituting the
following", "is replaced by the following"); the language's rules then run on those quotations
alone, without the heading; a quotation matched whole by an ``amendments.lists`` pattern (an
item that only names offences by section number: "7A. Any offence under section 2 of the Maritime
Security Act 2004.") is left out. No such quotation: no offence code from that language. Instrument
citations still read the whole provision. Files without ``[amendments]`` are unaffected.

Everything is compiled once and cached; the loaders are the only I/O of the tagging stage.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from re import _constants as _sre_c  # CPython's regex parser: used only to derive prefilters
from re import _parser as _sre_p

TAXONOMY_DIR = Path(__file__).resolve().parent.parent / "corpus" / "taxonomy"
DEFAULT_WINDOW = 300
_INLINE = re.compile(r"\{\{(\w+)\}\}")  # "{{name}}" inside a pattern: the term list as a group
_LIST_REF = re.compile(r"@\w+")  # an alternative of a mixed group naming a term list
# Words (folded, lower case) after which a period does not end a sentence: abbreviations of
# provision parts and references ("art.", "abs.", "odst.", "para.", "no.", "ст.") and common
# abbreviations ("cf.", "bzw.", "pl."). Single letters ("s. 83", "č. 40", "ч. 1"), dotted
# abbreviations ("i.e.", "u.s.c.", "z.b.") and numbers ("83.01") are handled in ``SENT``.
SENT_ABBREVIATIONS = (
    *("art", "arts", "ss", "sec", "secs", "subs", "subsec", "para", "paras", "no", "nos", "cap"),
    *("ch", "pt", "pts", "cl", "sch", "reg", "regs", "cf", "viz", "vol", "ord", "sub", "ibid"),
    *("abs", "nr", "ziff", "lit", "buchst", "bzw", "vgl", "gem", "ggf", "sog", "bgbl", "insb"),
    *("abschn", "anh", "al", "alin", "chap", "pén", "proc", "núm", "inc", "incs", "apdo"),
    *("apdos", "párr", "fracc", "frac", "nro", "cód", "odst", "ods", "písm", "zák", "sb", "btk"),
    *("bek", "tv", "pl", "pkt", "ust", "poz", "dz", "jo", "bijv", "kap", "jfr"),
    *("ст", "стст", "пп", "чч", "см", "абз", "подп", "ред"),
)
# After a number, a period followed by one of these is an ordinal ("314. §", "2001. évi",
# "15. Juli 2009"), not the end of a sentence.
SENT_ORDINAL_NEXT = (
    *("§", "évi", "cikk", "pont", "alpont", "bekezd", "fejezet", "számú", "melléklet"),
    *("januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august"),
    *("september", "oktober", "november", "dezember", "január", "február", "március"),
    *("április", "május", "június", "július", "augusztus", "szeptember", "október"),
    *("ledna", "února", "března", "dubna", "května", "června", "července", "srpna", "září"),
    *("října", "listopadu", "prosince"),
)


def _sent_class() -> str:
    by_length: dict[int, list[str]] = {}
    for word in SENT_ABBREVIATIONS:
        by_length.setdefault(len(word), []).append(re.escape(word))
    # a lookbehind must have a fixed width: one per length of abbreviation
    abbreviations = "|".join(
        rf"(?<=\b(?:{'|'.join(sorted(ws))})\.)" for _, ws in sorted(by_length.items())
    )
    ordinal = "|".join(map(re.escape, SENT_ORDINAL_NEXT))
    passes = (
        r"(?=\w)",  # "83.01", "u.s.c", "z.b": no space after the period
        r"(?=\s?[,:)\]/])",  # "Sb., trestní zákoník", "(cf. art. 5.)"
        r"(?<=\b[^\W\d_]\.)(?=\s?[\d№§(«])",  # a single letter before a number: "s. 83", "č. 40"
        r"(?<=\b[^\W\d_]\.[^\W\d_]\.)",  # the last period of "i.e.", "u.s.c.", "т.е."
        rf"(?<=\d\.)(?=\s?(?:{ordinal}))",
        abbreviations,
    )
    return r"(?:[^.;؛；。]|\.(?:" + "|".join(passes) + "))"


# "{sent}" in a pattern: one character of the same sentence. Like ``[^.;]`` (also not the Arabic
# and full-width semicolons nor the ideographic full stop), except that a period passes when it is
# part of a legal reference or an abbreviation ("Art. 17 Abs. 1 Satz 1", "§ 20 odst. 1",
# "s. 83.01", "para. 3", "No. 25 of 2005", "2001. évi"). Written like a character class:
# ``'{sent}{0,80}'``.
SENT = _sent_class()
_PLACEHOLDERS = {"sent": SENT}
_PLACEHOLDER = re.compile(r"(?<!\{)\{(" + "|".join(_PLACEHOLDERS) + r")\}(?!\})")


def expand_placeholders(pattern: str) -> str:
    """A pattern with its named placeholders (``{sent}``) replaced by their regexes."""
    if "{" not in pattern:
        return pattern
    return _PLACEHOLDER.sub(lambda m: _PLACEHOLDERS[m.group(1)], pattern)


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex (``a|(?:b|c)|[|]`` -> ``a``, ``(?:b|c)``, ``[|]``)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # "[]...]": a literal "]" first
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


TEXT_START = 160  # characters of text checked by ``veto.text_start`` patterns
# Character folding shared by the text (ingest.tagging) and the patterns: a pattern written with
# a character the text never contains after folding ("على", "σύμβαση", "أكتوبر") would never
# match, so patterns are folded the same way when compiled.
CHAR_FOLD = {
    "İ": "i",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    **dict(zip("άέήίόύώϊϋΐΰΆΈΉΊΌΎΏΪΫ", "αεηιουωιυιυαεηιουωιυ", strict=True)),  # Greek accents
    # Bengali letters with nukta come precomposed (U+09DC, U+09DD, U+09DF) or as letter + nukta
    # (U+09BC, dropped below): both fold to the base letter.
    "\u09dc": "\u09a1",
    "\u09dd": "\u09a2",
    "\u09df": "\u09af",
}
# Dropped from text and patterns: Arabic diacritics and tatweel, Bengali nukta, soft hyphen,
# zero-width marks (a character class body; written as escapes, which patterns may use as such).
DROP_CHARS = r"\u064b-\u0652\u0670\u0640\u09bc\u00ad\u200b-\u200f\u2060\ufeff"
_PATTERN_FOLD = str.maketrans(CHAR_FOLD)
_PATTERN_DROP = re.compile(f"[{DROP_CHARS}]")


def fold_pattern(pattern: str) -> str:
    """A pattern with the characters the text folding replaces or drops folded the same way."""
    return _PATTERN_DROP.sub("", pattern.translate(_PATTERN_FOLD))


class TaxonomyError(ValueError):
    """A taxonomy or rule file is malformed or refers to an unknown code."""


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    group: str  # universal, unsc, regional, related
    year: int | None = None
    articles: str = ""


@dataclass(frozen=True)
class OffenceType:
    code: str
    name: str
    group: str  # definition, offence, measure, related_crime
    covers: str = ""
    implies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    instruments: dict[str, Instrument]
    offences: dict[str, OffenceType]
    general: tuple[str, ...] = ()  # codes whose provisions name other offences ([policy])
    specialised: tuple[str, ...] = ()  # dropped next to a general code unless in the heading
    # codes a general definitions article does not carry (all but [policy] definitions)
    not_defined: frozenset[str] = frozenset()
    measures: frozenset[str] = frozenset()  # codes of the group "measure"

    def kind_of(self, code: str) -> str | None:
        if code in self.offences:
            return "offence"
        if code in self.instruments:
            return "instrument"
        return None


@dataclass(frozen=True)
class Rule:
    """One compiled rule: every group (an index into ``RuleSet.groups``) must match."""

    id: str  # full id, e.g. "en.financing.provide_funds" or "citation:icsft-name"
    code: str
    kind: str  # offence | instrument
    groups: tuple[int, ...]
    within: int
    heading_only: tuple[bool, ...] = ()  # per group: must match in the heading ("h:" prefix)
    anywhere: tuple[bool, ...] = ()  # per group: may match anywhere, not only near ("a:" prefix)
    document: tuple[bool, ...] = ()  # per group: must match the document title ("d:" prefix)
    unless: tuple[int, ...] = ()  # groups that must not match near the anchor
    unless_text: tuple[int, ...] = ()  # groups that must not match anywhere
    use_heading: bool = True
    lists: bool = True  # False: ignore matches of the first group inside an enumeration
    keep_specialised: bool = False  # its code does not make the policy drop specialised codes
    # fires in a general definitions article too: it recognises the definition of its code's own
    # subject ("explosive or other lethal device means ...": bombing), not an item of a list
    defines: bool = False
    gates: tuple[frozenset[str], ...] = ()  # per group with a prefilter: its literals, one needed
    order: tuple[int, ...] = ()  # indices of ``groups``, most selective (fewest literals) first
    implies: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    """All rules of one language (or the citations), with their deduplicated regexes.

    ``keys[i]``: literal strings one of which occurs in every match of ``groups[i]`` (or None);
    a text containing none of them cannot match, which spares most regex scans.
    """

    name: str
    groups: tuple[re.Pattern[str], ...]
    rules: tuple[Rule, ...]
    veto_heading: tuple[re.Pattern[str], ...] = ()
    veto_text_start: tuple[re.Pattern[str], ...] = ()
    definitions_heading: tuple[re.Pattern[str], ...] = ()  # general definitions articles
    definitions_text_start: tuple[re.Pattern[str], ...] = ()
    amend_heading: tuple[re.Pattern[str], ...] = ()  # amending sections: tagged by what they insert
    amend_insert: tuple[re.Pattern[str], ...] = ()  # "... the following": the inserted text follows
    amend_lists: tuple[re.Pattern[str], ...] = ()  # an inserted item naming offences by number
    extra: dict[str, str] = field(default_factory=dict)
    keys: tuple[frozenset[str] | None, ...] = ()  # per group: required literals (or None)
    xref: int | None = None  # group of the special term list "xref" (references to provisions)


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{path}: {exc}") from exc


@lru_cache(maxsize=1)
def load_taxonomy(directory: Path | None = None) -> Taxonomy:
    """Read ``codes.toml``: instrument and offence-type codes (cached)."""
    data = _read((directory or TAXONOMY_DIR) / "codes.toml")
    instruments = {
        code: Instrument(code, v["name"], v["group"], v.get("year"), v.get("articles", ""))
        for code, v in data.get("instruments", {}).items()
    }
    offences = {
        code: OffenceType(
            code, v["name"], v["group"], v.get("covers", ""), tuple(v.get("implies", ()))
        )
        for code, v in data.get("offences", {}).items()
    }
    for o in offences.values():
        unknown = [c for c in o.implies if c not in instruments]
        if unknown:
            raise TaxonomyError(f"offence {o.code} implies unknown instruments {unknown}")
    policy = data.get("policy", {})
    general, specialised = tuple(policy.get("general", ())), tuple(policy.get("specialised", ()))
    defined = tuple(policy.get("definitions", ()))
    unknown = [c for c in general + specialised + defined if c not in offences]
    if unknown:
        raise TaxonomyError(f"[policy] names unknown offence codes {unknown}")
    measures = frozenset(c for c, o in offences.items() if o.group == "measure")
    not_defined = measures | frozenset(c for c in offences if defined and c not in defined)
    return Taxonomy(instruments, offences, general, specialised, not_defined, measures)


_REPEATS = (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, getattr(_sre_c, "POSSESSIVE_REPEAT", None))


def required_literals(parsed) -> frozenset[str] | None:
    """Literal strings one of which occurs in every match of a parsed regex (None: unknown)."""
    best: frozenset[str] | None = None
    runs: set[str] = {""}  # literal runs ending here (small character classes multiply them)

    def consider(cand: frozenset[str] | None) -> None:
        nonlocal best
        if cand and (best is None or min(map(len, cand)) > min(map(len, best))):
            best = cand

    def flush() -> None:
        nonlocal runs
        if min(map(len, runs)) >= 2:
            consider(frozenset(runs))
        runs = {""}

    for op, av in parsed:
        if op is _sre_c.LITERAL:
            runs = {r + chr(av) for r in runs}
            continue
        if (
            op is _sre_c.IN
            and all(o is _sre_c.LITERAL for o, _ in av)
            and len(av) * len(runs) <= 16
        ):
            runs = {r + chr(c) for r in runs for _, c in av}
            continue
        if op is _sre_c.AT:  # zero-width (\b, ^): the literal run goes on
            continue
        flush()
        if op is _sre_c.SUBPATTERN:
            consider(required_literals(av[-1]))
        elif op is _sre_c.BRANCH:
            alternatives = [required_literals(b) for b in av[1]]
            if all(alternatives):
                consider(frozenset().union(*alternatives))
        elif op in _REPEATS and av[0] >= 1:
            consider(required_literals(av[2]))
    flush()
    return best


def trie_regex(words: list[str]) -> str:
    """A regex alternation of literal words arranged as a trie (one branch per first character)."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # end of a word

    def emit(node: dict) -> str:
        parts = []
        for ch, child in sorted(node.items()):
            if not ch:
                continue
            run = [ch]
            while len(child) == 1 and "" not in child:  # compress single-child chains
                ((c, child),) = child.items()
                run.append(c)
            parts.append(re.escape("".join(run)) + emit(child))
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")" if parts else ""
        return f"(?:{body})?" if "" in node and body else body

    return emit(root)


_WORD = re.compile(r"\w+")


def _prefilter(pattern: str) -> frozenset[str] | None:
    """Word pieces one of which occurs in every match of ``pattern`` (None: no usable piece).

    Each required literal is reduced to its longest run of word characters, so that a text can be
    checked word by word (a weaker but still necessary condition).
    """
    try:
        literals = required_literals(_sre_p.parse(pattern))
    except Exception:  # noqa: BLE001 - an unusual construct only costs the optimisation
        return None
    if not literals:
        return None
    pieces = set()
    for lit in literals:
        words = _WORD.findall(lit)
        if not words or max(map(len, words)) < 2:
            return None
        pieces.add(max(words, key=len))
    return frozenset(pieces)


@lru_cache(maxsize=8)
def available_languages(directory: Path | None = None) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in ((directory or TAXONOMY_DIR) / "rules").glob("*.toml")))


class _Builder:
    """Collects deduplicated compiled groups while rules are compiled."""

    def __init__(self, name: str, terms: dict[str, list[str]]) -> None:
        self.name = name
        self.terms = terms
        self.keys: dict[tuple[str, ...], int] = {}
        self.compiled: list[re.Pattern[str]] = []
        self.literal_keys: list[frozenset[str] | None] = []

    def patterns(self, spec: str | list[str]) -> list[str]:
        items = [spec] if isinstance(spec, str) else list(spec)
        out: list[str] = []
        for item in items:
            if item.startswith("@") and item[1:] in self.terms:
                out.extend(self.patterns(self.terms[item[1:]]))
                continue
            # a mixed group: term lists and patterns as alternatives ('@penal|multa|infracci')
            alternatives = split_alternatives(item) if "@" in item else [item]
            if len(alternatives) > 1 and any(_LIST_REF.fullmatch(a) for a in alternatives):
                out.extend(self.patterns(alternatives))
            elif item.startswith("@"):
                raise TaxonomyError(f"{self.name}: unknown term list {item}")
            else:
                out.append(_INLINE.sub(self._inline, expand_placeholders(fold_pattern(item))))
        return out

    def _inline(self, m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in self.terms:
            raise TaxonomyError(f"{self.name}: unknown term list {{{{{name}}}}}")
        return "(?:" + "|".join(self.patterns(self.terms[name])) + ")"

    def group(self, spec: str | list[str]) -> int:
        pats = tuple(self.patterns(spec))
        if not pats:
            raise TaxonomyError(f"{self.name}: empty term group")
        if pats not in self.keys:
            try:
                rx = re.compile("|".join(f"(?:{p})" for p in pats))
            except re.error as exc:
                raise TaxonomyError(f"{self.name}: bad pattern in {pats!r}: {exc}") from exc
            self.keys[pats] = len(self.compiled)
            self.compiled.append(rx)
            self.literal_keys.append(_prefilter(rx.pattern))
        return self.keys[pats]


RULE_KEYS = frozenset(
    {"id", "code", "instrument", "all", "any", "within", "unless", "unless_text", "heading"}
    | {"lists", "keep_specialised", "implies", "defines"}
)


def _compile_rule(b: _Builder, raw: dict, rule_id: str, code: str, kind: str, window: int) -> Rule:
    unknown = sorted(set(raw) - RULE_KEYS)
    if unknown:  # a misspelt setting would otherwise be ignored without a word
        raise TaxonomyError(
            f"{rule_id}: unknown rule key(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(RULE_KEYS))}"
        )
    spec = raw.get("all") or ([raw["any"]] if "any" in raw else None)
    if not spec:
        raise TaxonomyError(f"{rule_id}: a rule needs 'all' (list of groups) or 'any'")
    within = raw.get("within", window)
    heading_only = tuple(isinstance(g, str) and g.startswith("h:") for g in spec)
    anywhere = tuple(isinstance(g, str) and g.startswith("a:") for g in spec)
    document = tuple(isinstance(g, str) and g.startswith("d:") for g in spec)
    if all(a or d for a, d in zip(anywhere, document, strict=True)):
        raise TaxonomyError(
            f"{rule_id}: every group is 'a:' (anywhere) or 'd:' (document title): one must anchor"
            " the rule in the provision"
        )
    spec = [g[2:] if isinstance(g, str) and g[:2] in ("h:", "a:", "d:") else g for g in spec]
    groups = tuple(b.group(g) for g in spec)
    # (a "d:" group matches the title, not the provision: it does not gate the provision's text)
    gates = tuple(
        sorted(
            {
                b.literal_keys[g]
                for g, d in zip(groups, document, strict=True)
                if b.literal_keys[g] is not None and not d
            },
            key=len,
        )
    )
    return Rule(
        id=rule_id,
        code=code,
        kind=kind,
        groups=groups,
        gates=gates,
        order=tuple(
            sorted(range(len(groups)), key=lambda i: len(b.literal_keys[groups[i]] or ()) or 10**6)
        ),
        within=int(within),
        heading_only=heading_only,
        anywhere=anywhere if any(anywhere) else (),
        document=document if any(document) else (),
        unless=tuple(b.group(g) for g in raw.get("unless", ())),
        unless_text=tuple(b.group(g) for g in raw.get("unless_text", ())),
        use_heading=bool(raw.get("heading", True)),
        lists=bool(raw.get("lists", True)),
        keep_specialised=bool(raw.get("keep_specialised", False)),
        defines=bool(raw.get("defines", False)),
        implies=tuple(raw.get("implies", ())),
    )


def _check_codes(rs: RuleSet, taxonomy: Taxonomy) -> None:
    for r in rs.rules:
        if taxonomy.kind_of(r.code) != r.kind:
            raise TaxonomyError(f"{r.id}: unknown {r.kind} code {r.code!r}")
        bad = [c for c in r.implies if c not in taxonomy.instruments]
        if bad:
            raise TaxonomyError(f"{r.id}: implies unknown instruments {bad}")


def compile_rules(data: dict, name: str, taxonomy: Taxonomy) -> RuleSet:
    """Compile one parsed rule file (a language file or the citations file)."""
    b = _Builder(name, {k: list(v) for k, v in data.get("terms", {}).items()})
    window = int(data.get("window", DEFAULT_WINDOW))
    rules: list[Rule] = []
    for raw in data.get("rule", []):
        code = raw.get("code", "")
        rules.append(_compile_rule(b, raw, f"{name}.{code}.{raw['id']}", code, "offence", window))
    for raw in data.get("citation", []):
        rid = f"citation:{raw['id']}"
        rules.append(_compile_rule(b, raw, rid, raw.get("instrument", ""), "instrument", window))
    veto, defs = data.get("veto", {}), data.get("definitions", {})
    amend = data.get("amendments", {})

    def _compiled(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
        try:
            return tuple(re.compile(expand_placeholders(fold_pattern(p))) for p in patterns)
        except re.error as exc:
            raise TaxonomyError(f"{name}: bad pattern in {patterns!r}: {exc}") from exc

    xref = b.group("@xref") if "xref" in b.terms else None
    rs = RuleSet(
        name=name,
        groups=tuple(b.compiled),
        rules=tuple(rules),
        veto_heading=_compiled(veto.get("heading", [])),
        veto_text_start=_compiled(veto.get("text_start", [])),
        definitions_heading=_compiled(defs.get("heading", [])),
        definitions_text_start=_compiled(defs.get("text_start", [])),
        amend_heading=_compiled(amend.get("heading", [])),
        amend_insert=_compiled(amend.get("insert", [])),
        amend_lists=_compiled(amend.get("lists", [])),
        extra={k: v for k, v in data.items() if isinstance(v, str)},
        keys=tuple(b.literal_keys),
        xref=xref,
    )
    _check_codes(rs, taxonomy)
    return rs


@lru_cache(maxsize=64)
def load_rules(language: str, directory: Path | None = None) -> RuleSet:
    """The compiled rules of one language (``rules/<language>.toml``), cached."""
    root = directory or TAXONOMY_DIR
    path = root / "rules" / f"{language}.toml"
    if not path.is_file():
        raise TaxonomyError(f"no tagging rules for language {language!r} ({path})")
    return compile_rules(_read(path), language, load_taxonomy(directory))


@lru_cache(maxsize=1)
def load_citations(directory: Path | None = None) -> RuleSet:
    """The compiled instrument citations (all languages), cached."""
    root = directory or TAXONOMY_DIR
    return compile_rules(_read(root / "citations.toml"), "citation", load_taxonomy(directory))
