"""Choose which candidate line starts really open provisions.

Only line starts are candidates (``segment_patterns``); here they are filtered by three signals:
tables of contents (runs of headings without text whose numbers come back later) are dropped,
the numbering style that forms the best mostly-increasing sequence wins, and inside that style a
dynamic programme keeps the candidates whose numbers follow each other plausibly, so that a
cross-reference that happens to start a line ("Article 5 of ...", "2001 c. 24") is left in the
text.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.numbering import normalise_number
from ingest.segment_clean import Line, match_text
from ingest.segment_containers import BRANCH_KINDS, container_candidate
from ingest.segment_numbers import number_key
from ingest.segment_patterns import WEAK_STYLES, Candidate, provision_candidates

_WINDOW = 60  # candidates looked back by the sequence DP (further back: a restart)
_RESTART = 3.0  # cost of a number that does not follow the previous one
_TOC_MIN_RUN = 4
_UK_SPLIT = re.compile(
    r"^\[?\s*(?P<prefix>[FX])(?P<digits>\d{2,7})(?P<letters>[A-Z]{0,3}?)(?:\s+|(?=[A-Z][a-z])|$)(?P<rest>.*)$"
)


@dataclass(frozen=True)
class Selection:
    """The heads kept, in line order, and the lines that belong to a table of contents."""

    heads: tuple[Candidate, ...]
    toc_lines: frozenset[int]
    style: str | None


def select_heads(lines: Sequence[Line], *, romance: bool, ukleg: bool) -> Selection:
    """Find the provision and container heads of a document.

    Args:
        lines: the prepared lines.
        romance: "Section" names a container (French, Spanish... codes), not a citable unit.
        ukleg: legislation.gov.uk conventions (section numbers glued to "F" markers).

    Returns:
        The chosen heads, the table-of-contents lines to drop, and the winning style.
    """
    containers, provisions = _candidates(lines, romance=romance, ukleg=ukleg)
    toc = _toc_lines(lines, containers, provisions)
    containers = [c for c in containers if c.line not in toc]
    provisions = {s: [c for c in found if c.line not in toc] for s, found in provisions.items()}
    # The body's numbering decides; schedules and annexes (an annexed treaty, forms) may number
    # their own way and are handled by _branch_heads.
    first_branch = min((c.line for c in containers if c.kind in BRANCH_KINDS), default=len(lines))
    chains: dict[str, tuple[list[Candidate], float]] = {}
    for style, found in provisions.items():
        chain, score = _best_chain(found, containers, lines)
        body = [c for c in found if c.line < first_branch]
        body_score = score if len(body) == len(found) else _best_chain(body, containers, lines)[1]
        if style in WEAK_STYLES:
            score *= 0.8  # a bare "15" is weaker evidence than "Article 15" for the same count
            body_score *= 0.8
        chains[style] = (chain, body_score or score / 100)
    style = max(chains, key=lambda s: chains[s][1], default=None)
    chain = chains[style][0] if style else []
    in_chain = {c.number for c in chain}
    extra = [
        c
        for c in provisions.get(style or "", [])
        if _unordered_but_strong(c, lines)
        or (c.number not in in_chain and _repealed_stub(c, lines))
    ]
    extra += [c for c in provisions.get("spanish_disposition", []) if style == "article"]
    extra += _branch_heads(style, chain, provisions, containers, lines)
    chosen_lines = {c.line for c in chain}
    heads = containers + chain + [c for c in extra if c.line not in chosen_lines | toc]
    heads = _drop_shadowed(heads)
    return Selection(tuple(sorted(heads, key=lambda c: c.line)), frozenset(toc), style)


def _branch_heads(
    style: str | None,
    chain: list[Candidate],
    provisions: dict[str, list[Candidate]],
    containers: list[Candidate],
    lines: Sequence[Line],
) -> list[Candidate]:
    """A schedule or annex may number its own way (the UN Charter's Articles annexed to an
    act of numbered sections): where the winning style has no head in a branch, the best other
    style inside that branch is used."""
    starts = sorted(c.line for c in containers if c.kind in BRANCH_KINDS)
    spans = list(zip(starts, [*starts[1:], len(lines)], strict=False))
    found: list[Candidate] = []
    for start, end in spans:
        if any(start < c.line < end for c in chain):
            continue
        best: tuple[float, list[Candidate]] = (0.0, [])
        for other, candidates in provisions.items():
            inside = [c for c in candidates if start < c.line < end]
            if other == style or other in WEAK_STYLES or len(inside) < 2:
                continue
            sub_chain, score = _best_chain(inside, containers, lines)
            if score > best[0] and len(sub_chain) >= 2:
                best = (score, sub_chain)
        found += best[1]
    return found


def _candidates(
    lines: Sequence[Line], *, romance: bool, ukleg: bool
) -> tuple[list[Candidate], dict[str, list[Candidate]]]:
    containers: list[Candidate] = []
    provisions: dict[str, list[Candidate]] = {}
    last_marker = 0  # legislation.gov.uk numbers its F markers in document order
    for index, line in enumerate(lines):
        if ukleg:
            found_uk, markers = _uk_split_candidates(index, line.text, last_marker)
            last_marker = _last_marker(line, last_marker, markers)
        if line.note or line.quoted:
            continue
        text = match_text(line)
        if ukleg:  # "[F274SCHEDULE 3A", "F503[SCHEDULE 6A"
            text = re.sub(r"^\[?F\d+\[?\s*(?=[A-Z]{4})", "", text)
        container = container_candidate(index, text, romance=romance)
        if container and ukleg and not container.label.split()[0].isupper():
            container = None  # legislation.gov.uk prints PART / SCHEDULE in capitals
        if container and not _continues_sentence(lines, index):
            containers.append(container)
            continue
        found = provision_candidates(index, text, romance=romance)
        if ukleg:
            found += found_uk
        for candidate in found:
            provisions.setdefault(candidate.style, []).append(candidate)
    return containers, provisions


def _uk_split_candidates(
    index: int, text: str, last_marker: int
) -> tuple[list[Candidate], list[int]]:
    """legislation.gov.uk glues an amendment marker to a section number: "[F3317A" is F33 + 17A.

    Markers are numbered in document order, so only splits whose marker comes shortly after
    the last one seen are candidates; the sequence DP then keeps the one that follows the
    section numbering.
    """
    match = _UK_SPLIT.match(text)
    if not match:
        return [], []
    digits, letters, rest = match.group("digits"), match.group("letters"), match.group("rest")
    found, markers = [], []
    for cut in range(1, len(digits)):
        section = digits[cut:] + letters
        marker = int(digits[:cut])
        if section.startswith("0") or len(digits) - cut > 3:
            continue
        if match.group("prefix") == "X":
            if marker > 20:
                continue
        elif not last_marker - 2 <= marker <= last_marker + 40:
            continue
        number = normalise_number(section)
        found.append(Candidate(index, "num_bare", "section", section, number, rest, "uk", " "))
        if match.group("prefix") == "F":
            markers.append(marker)
    return found, markers


def _continues_sentence(lines: Sequence[Line], index: int) -> bool:
    """ "...in accordance with / Schedule 3A." is a wrapped sentence, not a schedule heading."""
    line = lines[index]
    if line.md_level or line.emphasis or line.blank_before:
        return False
    if index == 0 or lines[index - 1].note:
        return False  # an annotation block ends whatever came before
    previous = lines[index - 1]
    if _BARE_ITEM.match(previous.text):
        return True
    # A wrapped sentence: a long line that stops mid-sentence ("... in accordance with").
    return len(previous.text) >= 50 and bool(re.search(r"[a-zà-ÿа-я,]$", previous.text))


_BARE_ITEM = re.compile(r"^\(?[a-z0-9]{1,5}\)$")


_UK_MARKERS = re.compile(r"^F(\d+)(?:\s|$)|\[F(\d+)(?=[^\W\d_]|“|\()")


def _last_marker(line: Line, last: int, split_markers: list[int]) -> int:
    """The highest F marker number seen so far (annotations and unambiguous inline marks)."""
    if split_markers:
        return max(last, min(split_markers))
    for pair in _UK_MARKERS.findall(line.text):
        found = int(pair[0] or pair[1])
        if last < found <= last + 40:
            last = found
    return last


def _weight(candidate: Candidate, lines: Sequence[Line]) -> float:
    line = lines[candidate.line]
    weight = 1.0 if candidate.style in WEAK_STYLES else 2.0
    if line.md_level:
        weight += 1.5
    if line.emphasis:
        weight += 0.5
    if line.blank_before:
        weight += 0.25
    if not candidate.rest:
        weight += 0.25
    if candidate.style in WEAK_STYLES and _next_is_title(candidate, lines):
        weight += 0.75
    return weight


def _next_is_title(candidate: Candidate, lines: Sequence[Line]) -> bool:
    """A bare "15" followed by "Fund-raising." is a UK section; "15" followed by prose is not."""
    if candidate.rest:
        return not candidate.rest[:1].isdigit() and len(candidate.rest) <= 120
    for line in lines[candidate.line + 1 : candidate.line + 3]:
        if line.note:
            continue
        text = line.text
        return len(text) <= 120 and text[:1].isupper() and not text.endswith((",", ";"))
    return False


def _gap_penalty(previous: tuple[int, ...], current: tuple[int, ...]) -> float | None:
    """Cost of ``current`` following ``previous``; None when it does not follow at all."""
    if current <= previous:
        return None
    gap = current[0] - previous[0]
    return 0.0 if gap <= 1 else 0.35 * math.log2(gap)


def _best_chain(
    found: list[Candidate], containers: list[Candidate], lines: Sequence[Line]
) -> tuple[list[Candidate], float]:
    items = sorted(
        ((c, number_key(c.number)) for c in found if number_key(c.number) is not None),
        key=lambda pair: pair[0].line,
    )
    if not items:
        return [], 0.0
    branches = sorted(c.line for c in containers if c.kind in BRANCH_KINDS)
    score = [0.0] * len(items)
    back = [-1] * len(items)
    prefix_best = [(-math.inf, -1)] * len(items)  # best (score, index) among items[:i + 1]
    for i, (cand, key) in enumerate(items):
        best, arg = 0.0, -1
        low = max(0, i - _WINDOW)
        if low > 0 and prefix_best[low - 1][0] - _RESTART > best:
            best, arg = prefix_best[low - 1][0] - _RESTART, prefix_best[low - 1][1]
        for j in range(low, i):
            other, other_key = items[j]
            if other.line >= cand.line:
                continue
            penalty = _gap_penalty(other_key, key)  # type: ignore[arg-type]
            if penalty is None:
                penalty = _restart_cost(other.line, cand.line, key, branches)  # type: ignore[arg-type]
            if score[j] - penalty > best:
                best, arg = score[j] - penalty, j
        score[i] = best + _weight(cand, lines)
        back[i] = arg
        previous = prefix_best[i - 1] if i else (-math.inf, -1)
        prefix_best[i] = max(previous, (score[i], i))
    end = max(range(len(items)), key=lambda k: score[k])
    chain: list[Candidate] = []
    while end >= 0:
        chain.append(items[end][0])
        end = back[end]
    return chain[::-1], max(score)


def _restart_cost(before: int, after: int, key: tuple[int, ...], branches: list[int]) -> float:
    """Numbering may restart in a new schedule or annex (cheap) or anywhere else (costly)."""
    if bisect.bisect_left(branches, after) > bisect.bisect_right(branches, before):
        return 0.25
    return _RESTART if key[0] <= 1 else _RESTART + 1.0


def _unordered_but_strong(candidate: Candidate, lines: Sequence[Line]) -> bool:
    """Numbers without an order ("Artículo único") count only on a heading line of their own."""
    line = lines[candidate.line]
    return number_key(candidate.number) is None and bool(line.md_level or line.emphasis)


_REPEAL_DOTS = re.compile(r"^\[?\s*(?:[FX]\d+\s*)?(?:\.\s*){5,}\]?$")


def _repealed_stub(candidate: Candidate, lines: Sequence[Line]) -> bool:
    """A repealed section printed where it stood ("64 / Extradition. / F165. . . . ."): it keeps
    its place even out of numerical order (legislation.gov.uk prints s. 64 before the inserted
    ss. 63A-63E), so its number and amendment note do not end up inside the section before."""
    after = lines[candidate.line + 1 : candidate.line + 3]
    return any(_REPEAL_DOTS.match(line.text) for line in after)


def _drop_shadowed(heads: list[Candidate]) -> list[Candidate]:
    """One head per line: a container wins over a provision on the same line."""
    by_line: dict[int, Candidate] = {}
    for head in heads:
        kept = by_line.get(head.line)
        if kept is None or (head.style == "container" and kept.style != "container"):
            by_line[head.line] = head
    return list(by_line.values())


def _toc_lines(
    lines: Sequence[Line], containers: list[Candidate], provisions: dict[str, list[Candidate]]
) -> set[int]:
    """Lines of tables of contents: runs of heads (of one numbering style, or containers) with
    at most one short title line each, whose numbers come back later in the document (before
    the next schedule or annex)."""
    toc = _leader_lines(lines, containers)
    containers = [c for c in containers if c.line not in toc]
    for found in [[], *provisions.values()]:
        heads = {c.line: c for c in found if c.line not in toc}
        heads.update({c.line: c for c in containers})
        toc |= _toc_runs(lines, heads)
    return toc


_LEADER = re.compile(r"\.{6,}\s*(?:(?:Art|Artikel|Article|§|s)\.?\s*)?[\dIVXLC]+\w*\s*$")


def _leader_lines(lines: Sequence[Line], containers: list[Candidate]) -> set[int]:
    """Tables of contents printed with dot leaders ("Mord ........ Art. 112"), wherever they
    stand (the Swiss code prints one at its end): the leader lines and the container heads
    whose span holds nothing else."""
    leaders = {i for i, line in enumerate(lines) if _LEADER.search(line.text)}
    if len(leaders) < 5:
        return set()
    found = set(leaders)
    starts = sorted(c.line for c in containers)
    spans = list(zip(starts, [*starts[1:], len(lines)], strict=False))
    for start, end in reversed(spans):  # a heading-only entry takes after the entry below it
        body = [k for k in range(start + 1, end) if not lines[k].note]
        if body and sum(k in leaders for k in body) >= 0.5 * len(body):
            found.update(range(start, end))
        elif not body and end in found:
            found.add(start)
    return found


def _toc_runs(lines: Sequence[Line], heads: dict[int, Candidate]) -> set[int]:
    order = sorted(heads)
    toc: set[int] = set()
    run: list[int] = []
    for pos, line_no in enumerate(order):
        following = order[pos + 1] if pos + 1 < len(order) else len(lines)
        between = [lines[k] for k in range(line_no + 1, following) if not lines[k].note]
        if not run and _substantial(between):
            break  # a table of contents comes before the first provision with real text
        titles = [heads[line_no].rest] if heads[line_no].rest else []
        titles += [line.text for line in between]
        listed = (
            len(between) <= 3
            and all(len(t) <= 160 for t in titles)
            # a provision's entry has a title, not ". . . ." (UK repealed sections)
            and (heads[line_no].style == "container" or any(_WORDS.search(t) for t in titles))
            # "1. Member States shall ensure ...": a numbered paragraph, not a listed title
            and not (heads[line_no].style in WEAK_STYLES and _PRESCRIPTION.search(titles[0]))
        )
        repeated = any(_toc_key(heads[k], lines) == _toc_key(heads[line_no], lines) for k in run)
        if listed and not repeated:
            run.append(line_no)
            continue
        # The body starting over with the first listed entry is strong evidence on its own.
        strong = repeated and heads[line_no].style == "container"  # same number and title
        toc |= _confirmed_toc(run, heads, order, lines, minimum=2 if strong else _TOC_MIN_RUN)
        run = []
    return toc | _confirmed_toc(run, heads, order, lines)


_WORDS = re.compile(r"[^\W\d_]{2}")
_PRESCRIPTION = re.compile(r"\b(?:shall|must|may)\b.*[.;:]$")


def _substantial(body: list[Line]) -> bool:
    return len(body) >= 4 or sum(len(line.text) for line in body) >= 400


def _confirmed_toc(
    run: list[int],
    heads: dict[int, Candidate],
    order: list[int],
    lines: Sequence[Line],
    minimum: int = _TOC_MIN_RUN,
) -> set[int]:
    if len(run) < minimum:
        return set()
    listed = {_toc_key(heads[k], lines) for k in run}
    later = {_toc_key(heads[k], lines) for k in order if k > run[-1]}
    if len(listed & later) < 0.5 * len(listed):
        return set()
    last = run[-1]
    end = last + 1
    while end < len(lines) and end not in heads and end - last <= 1:
        end += 1
    found = set(range(run[0], end))
    # The contents often end with the schedules' entries, the last one glued to the long title.
    following = heads.get(end)
    listed_branch = following is not None and following.kind in BRANCH_KINDS
    if listed_branch and any(
        h.kind == following.kind and h.number == following.number and k > end
        for k, h in heads.items()
    ):
        found.add(end)
    return found


def _toc_key(head: Candidate, lines: Sequence[Line]) -> tuple[str, str | None, str]:
    """Containers restart their numbering (every Livre has a Titre I), so a listed container
    must come back with the same title too; provisions are matched by number."""
    if head.style != "container":
        return (head.kind, head.number, "")
    rest = head.rest
    if not rest and head.line + 1 < len(lines):
        rest = lines[head.line + 1].text
    title = re.sub(r"[（(][^）)]*[）)]\s*$|\s*\.{3,}.*$|\s+\d+$", "", rest)
    return (head.kind, head.number, re.sub(r"\W+", "", title.lower())[:30])
