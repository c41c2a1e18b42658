"""Collects provisions in document order while an extractor walks a structured source.

Extractors add provisions one by one (text can still grow, e.g. a continuation paragraph),
then ``build`` freezes them into ``ProvisionDraft`` values with unique eIds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.numbering import EidAllocator
from ingest.records import ProvisionDraft

SAME_AS_PARENT = "<same as parent_eid>"  # default eId prefix: the parent's eId


@dataclass
class _Entry:
    eid: str
    kind: str
    number: str | None
    label: str | None
    heading: str | None
    lines: list[str]
    parent_eid: str | None
    notes: list[str] = field(default_factory=list)
    language: str | None = None


class ProvisionBuilder:
    """Mutable list of provisions for one document; eIds are unique (``__dup2`` suffixes)."""

    def __init__(self, language: str | None = None) -> None:
        self._entries: list[_Entry] = []
        self._by_eid: dict[str, _Entry] = {}
        self._eids = EidAllocator()
        self.language = language

    def add(
        self,
        kind: str,
        number: str | None,
        *,
        label: str | None = None,
        heading: str | None = None,
        text: str = "",
        parent_eid: str | None = None,
        eid_parent: str | None = SAME_AS_PARENT,
        notes: list[str] | None = None,
    ) -> str:
        """Add a provision and return its eId.

        ``eid_parent`` is the eId prefix (defaults to ``parent_eid``): extractors pass the nearest
        *numbered* ancestor (or None) so that an unnumbered container does not leak "chp__dup7"
        into the eIds of everything it holds.
        """
        prefix = parent_eid if eid_parent == SAME_AS_PARENT else eid_parent
        eid = self._eids.allocate(kind, number or None, prefix or None)
        entry = _Entry(
            eid=eid,
            kind=kind,
            number=number or None,
            label=label or None,
            heading=heading or None,
            lines=[text] if text else [],
            parent_eid=parent_eid,
            notes=list(notes or []),
            language=self.language,
        )
        self._entries.append(entry)
        self._by_eid[eid] = entry
        return eid

    def append_text(self, eid: str, text: str) -> None:
        """Add a paragraph to an existing provision's text."""
        if text:
            self._by_eid[eid].lines.append(text)

    def add_note(self, eid: str, note: str) -> None:
        """Add an editorial note to an existing provision."""
        if note:
            self._by_eid[eid].notes.append(note)

    def last_eid(self) -> str | None:
        """The eId of the provision added last, or None."""
        return self._entries[-1].eid if self._entries else None

    def __len__(self) -> int:
        return len(self._entries)

    def build(self) -> tuple[ProvisionDraft, ...]:
        """Freeze the provisions in document order."""
        return tuple(
            ProvisionDraft(
                eid=e.eid,
                kind=e.kind,
                number=e.number,
                label=e.label,
                heading=e.heading,
                text="\n".join(line for line in e.lines if line.strip()).strip(),
                parent_eid=e.parent_eid,
                notes="\n".join(n for n in e.notes if n.strip()),
                language=e.language,
            )
            for e in self._entries
        )


def full_text(title: str | None, provisions: tuple[ProvisionDraft, ...], front: str = "") -> str:
    """Plain text of a whole document: title, front matter, then each provision in order."""
    blocks = [title or "", front]
    for provision in provisions:
        head = " ".join(x for x in (provision.label, provision.heading) if x)
        blocks.append("\n".join(x for x in (head, provision.text) if x))
    return "\n\n".join(b.strip() for b in blocks if b and b.strip())
