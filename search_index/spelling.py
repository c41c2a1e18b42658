"""British and American spellings of English legal words, so a search finds both.

An adviser typing ``"terrorist organisation"`` means the UK, Irish and Australian wording and
equally the US, Canadian and many African acts' ``"terrorist organization"``; ``offence`` and
``offense`` are the same crime. The query parser (``search_index.query``) searches a word or
phrase and its other spelling together; the index keeps every text as printed.

Only spellings that differ regularly are covered: ``-isation/-ization`` and the ``-ise`` verb
forms, ``-yse/-yze``, the ``-ence/-ense`` nouns, ``-our/-or`` and a few single words. A variant
that exists in no provision costs one empty term lookup.
"""

from __future__ import annotations

import re

# Words whose "-ise" is not the verb suffix, or whose "-ize" has no "-ise" twin in legal usage.
_NOT_ISE = frozenset(
    re.findall(
        r"[a-z]+",
        """advertise advise arise comprise compromise concise demise despise devise disguise
        enterprise excise exercise expertise franchise improvise incise merchandise noise
        otherwise poise praise precise premise promise raise revise rise supervise surmise
        surprise televise treatise wise chastise circumcise prize size seize capsize""",
    )
)
_ISE = re.compile(r"^([a-z]{3,}i)([sz])(ation|ations|e|ed|es|er|ers|ing)$")
_YSE = re.compile(r"^([a-z]{2,}l)y([sz])(e|ed|es|er|ers|ing)$")  # analyse, paralyse
_ENCE = {"offence": "offense", "defence": "defense", "licence": "license", "pretence": "pretense"}
_OUR = re.findall(
    r"[a-z]+",
    """harbour behaviour favour labour honour endeavour neighbour rumour vigour armour colour
    savour odour parlour""",
)
_WORDS = {
    "programme": "program",
    "judgement": "judgment",
    "catalogue": "catalog",
    "gaol": "jail",
    "manoeuvre": "maneuver",
    "fulfil": "fulfill",
    "enrol": "enroll",
    "enrolment": "enrollment",
    "instalment": "installment",
    "aluminium": "aluminum",
    "sulphur": "sulfur",
}


def _pairs() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for uk, us in (*_ENCE.items(), *_WORDS.items()):
        pairs[uk], pairs[us] = us, uk
        pairs[uk + "s"], pairs[us + "s"] = us + "s", uk + "s"
    for word in _OUR:
        stem = word[:-3]
        for end in ("", "s", "ed", "ing", "able", "ite", "ites"):
            pairs[f"{stem}our{end}"], pairs[f"{stem}or{end}"] = f"{stem}or{end}", f"{stem}our{end}"
    return pairs


_PAIRS = _pairs()


def spelling_variant(word: str) -> str | None:
    """The other spelling of an English ``word`` (lower case), or None when it has none.

    >>> spelling_variant("organisation"), spelling_variant("criminalized")
    ('organization', 'criminalised')
    >>> spelling_variant("offences"), spelling_variant("harbouring"), spelling_variant("exercise")
    ('offenses', 'harboring', None)
    """
    if word in _PAIRS:
        return _PAIRS[word]
    m = _ISE.match(word)
    if m:
        stem, letter, end = m.groups()
        if stem + letter + "e" in _NOT_ISE:
            return None
        return stem + ("z" if letter == "s" else "s") + end
    m = _YSE.match(word)
    if m:
        stem, letter, end = m.groups()
        return f"{stem}y{'z' if letter == 's' else 's'}{end}"
    return None


def phrase_variant(phrase: str) -> str | None:
    """The phrase with every word that has another spelling respelled, or None when none has.

    Words keep their separators, so ``"terrorist organisation"`` becomes
    ``"terrorist organization"``; only lower-case ASCII words are looked at (case folding
    happens in the index analyzers, so the variant is searched in lower case).
    """
    changed = False

    def respell(m: re.Match[str]) -> str:
        nonlocal changed
        variant = spelling_variant(m.group(0).lower())
        if variant is None:
            return m.group(0)
        changed = True
        return variant

    out = re.sub(r"[A-Za-z]+", respell, phrase)
    return out if changed else None


__all__ = ["phrase_variant", "spelling_variant"]
