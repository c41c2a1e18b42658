"""Penalties stated by one provision for offences created by others (pure, per document).

Many acts create an offence in one provision and set its penalty in another: "A person guilty
of an offence under any of sections 15 to 18 shall be liable ... 14 years" (UK Terrorism Act
2000 s. 22); "Les actes de terrorisme définis aux articles 421-2-1 et 421-2-2 sont punis de dix
ans d'emprisonnement" (Code pénal art. 421-5). An adviser comparing penalties needs them on the
offence. Each sentence of a provision that states a penalty is read for references to other
provisions of the same document; an offence provision so referenced that states no penalty of
its own takes that penalty, with evidence naming where it is stated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ingest.penalties import Penalty
from ingest.records import ProvisionDraft

_KEYWORD = (
    r"(?:sections?|ss?\.|articles?|arts?\.|artículos?|artigos?|articol[io]|artikel(?:en|s|n)?"
    r"|§§?|статьями|статьей|статьёй|статьи|статья|статей|частью)"
)
_NUMBER = r"\d+(?:[.\-]\d+)*(?:[A-Za-z]{1,2}\b|\s?(?:bis|ter|quater|quinquies|sexies)\b)?"
_SEPARATOR = r"\s*(?:,|and|or|to|à|et|ou|und|oder|bis|y|a|o|e|и|или|до|—|–)\s*"
_RANGE_WORDS = {"to", "à", "bis", "a", "до", "—", "–"}
_REFERENCE = re.compile(
    rf"(?<!\w){_KEYWORD}\s*(?P<list>{_NUMBER}(?:{_SEPARATOR}{_NUMBER})*)", re.IGNORECASE
)
# A reference states whose penalty this is only after words like these ("an offence under",
# "contravenes", "définis aux", "nach"); "im Sinne des § 129a" or "as defined in section 1"
# describe the offence instead and do not count.
_CUE = re.compile(
    r"(?:offen[cs]es?\s+(?:under|against|referred\s+to\s+in|in)|contraven\w*|under|"
    r"défini\w*|prévu\w*|visé\w*|mentionné\w*|réprimé\w*|previst\w*|tipificad\w*|"
    r"contemplad\w*|nach|gemäß|предусмотренн\w*)"
    r"(?:\s+(?:any|one|either)\s+of)?"
    r"(?:\s*(?:the|aux|au|à|la|l'|les|des|en|el|los|las|den|dem|der|del|dei|degli|agli|alla|"
    r"alle|all'|a)(?=\s|$|(?<=')))*\s*$",
    re.IGNORECASE,
)
_ITEM = re.compile(rf"(?P<number>{_NUMBER})|(?P<sep>{_SEPARATOR})", re.IGNORECASE)
# A sentence ends with a full stop at the end of a line: the liability clauses of common-law
# acts run over several lines ("shall be liable—\n(a) ... or\n(b) ...") inside one sentence.
_SENTENCES = re.compile(r"(?<=\.)\s*\n+")
# Schedules and annexes number their paragraphs afresh: a reference never crosses into them.
_SCHEDULE = re.compile(r"^(?:sched|annex|appendix)", re.IGNORECASE)


@dataclass(frozen=True)
class _Stated:
    penalty: Penalty
    source: int  # index of the provision that states it


def _norm(number: str) -> str:
    return re.sub(r"\s+", "", number).lower()


def _document_order(document_numbers: Sequence[str]) -> dict[str, int]:
    """Each distinct (normalised) provision number of a document -> its rank in the document."""
    order: dict[str, int] = {}
    for number in document_numbers:
        if number:
            order.setdefault(_norm(number), len(order))
    return order


def referenced_numbers(sentence: str, document_numbers: Sequence[str]) -> list[str]:
    """Provision numbers a sentence refers to, ranges ("15 to 18") expanded over the numbers
    of the document in document order."""
    return _references(sentence, _document_order(document_numbers))


def _references(sentence: str, order: dict[str, int]) -> list[str]:
    ordered: list[str] | None = None  # built only when a range has to be expanded
    found: list[str] = []
    for match in _REFERENCE.finditer(sentence):
        if not _CUE.search(sentence[max(0, match.start() - 60) : match.start()]):
            continue
        previous: str | None = None
        pending_range = False
        for item in _ITEM.finditer(match.group("list")):
            if item.group("sep") is not None:
                pending_range = item.group("sep").strip().lower() in _RANGE_WORDS
                continue
            number = _norm(item.group("number"))
            if pending_range and previous in order and number in order:
                start, end = order[previous], order[number]
                if start < end:
                    ordered = ordered or list(order)
                    found.extend(ordered[start + 1 : end])
            found.append(number)
            previous, pending_range = number, False
    return [n for n in dict.fromkeys(found) if n in order]


def _severity(p: Penalty) -> tuple:
    return (p.death, p.life, p.max_years or 0.0, p.min_years or 0.0, p.fine)


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def inherit_penalties(
    drafts: Sequence[ProvisionDraft],
    penalties: Sequence[Penalty | None],
    offences: Sequence[bool],
    extract: Callable[[str], Penalty | None],
) -> list[Penalty | None]:
    """Penalties with those stated elsewhere filled in for offence provisions that state none.

    Args:
        drafts: the document's provisions in order.
        penalties: each provision's own penalty (None when it states none).
        offences: whether each provision is tagged with an offence type.
        extract: the penalty extractor for one sentence (in the document's language).

    Returns:
        One penalty per provision: its own, or the most severe one stated for it by another
        provision of the document (its evidence names that provision), or None.
    """
    numbers = [d.number or "" for d in drafts]
    order = _document_order(numbers)  # once per document, not once per sentence
    by_number: dict[str, list[int]] = {}
    for i, number in enumerate(numbers):
        if number:
            by_number.setdefault(_norm(number), []).append(i)
    stated: dict[int, _Stated] = {}
    for source, (draft, own) in enumerate(zip(drafts, penalties, strict=True)):
        if own is None:
            continue
        for sentence in _SENTENCES.split(draft.text):
            refs = _references(sentence, order)
            if not refs:
                continue
            penalty = extract(sentence)
            # A term, life or death: a fine alone is often the legal persons' clause.
            if penalty is None or not (penalty.max_years or penalty.life or penalty.death):
                continue
            for number in refs:
                # The same number may exist in a schedule too: take the provision closest to
                # the source in the document tree.
                target = max(
                    by_number[number], key=lambda i: _shared_prefix(drafts[i].eid, draft.eid)
                )
                if (
                    target == source
                    or penalties[target] is not None
                    or not offences[target]
                    or bool(_SCHEDULE.match(drafts[target].eid)) != bool(_SCHEDULE.match(draft.eid))
                ):
                    continue
                current = stated.get(target)
                if current is None or _severity(penalty) > _severity(current.penalty):
                    stated[target] = _Stated(penalty, source)
    result = list(penalties)
    for target, found in stated.items():
        label = drafts[found.source].label or drafts[found.source].number or "another provision"
        result[target] = replace(
            found.penalty, evidence=f"stated in {label}: {found.penalty.evidence}"
        )
    return result
