"""Curations follow their provision when a re-ingest gives it a new identifier.

Curations are keyed by the provision uid (``<document>/~<eid>``), and the eId holds the path of
containers above the provision. When segmentation improves (a chapter heading that was glued to
the end of an article becomes a chapter of its own), the articles under it get new eIds, and a
curation keyed by the old uid would silently stop applying. Here, after a document is stored,
each curated uid of the document that no longer names a provision is matched to the provision
that replaced it: the same text and heading (hash) if exactly one has them, otherwise the same kind
and number if exactly one has them. The curation is copied to the new uid (the row under the old
uid stays: an earlier version may still hold that provision); a curation that matches nothing is
reported (unless an earlier version still holds its provision), never deleted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Curation, Provision


@dataclass(frozen=True)
class ProvisionKey:
    """What identifies a provision across re-segmentations, besides its eId."""

    eid: str
    kind: str
    number: str | None
    text_hash: str


def provision_keys(session: Session, version_id: int) -> list[ProvisionKey]:
    """The provisions of a stored version, read before they are replaced."""
    rows = session.execute(
        select(Provision.eid, Provision.kind, Provision.number, Provision.text_hash).where(
            Provision.version_id == version_id
        )
    )
    return [ProvisionKey(*row) for row in rows]


def has_curations(session: Session, document_id: str) -> bool:
    """Whether any provision of the document was ever curated (most never are)."""
    prefix = f"{document_id}/~"
    stmt = select(Curation.id).where(Curation.provision_uid.startswith(prefix, autoescape=True))
    return session.scalar(stmt.limit(1)) is not None


def carry_curations(
    session: Session, document_id: str, old: list[ProvisionKey], new: list[ProvisionKey]
) -> list[str]:
    """Copy the curations of provisions whose eId changed to their new uid; report what moved
    and what found no provision (messages for the run report)."""
    prefix = f"{document_id}/~"
    new_eids = {key.eid for key in new}
    curated = session.scalars(
        select(Curation).where(Curation.provision_uid.startswith(prefix, autoescape=True))
    ).all()
    by_uid: dict[str, list[Curation]] = defaultdict(list)
    for curation in curated:
        by_uid[curation.provision_uid].append(curation)
    old_by_eid = {key.eid: key for key in old}
    held = set(
        session.scalars(
            select(Provision.uid).where(Provision.uid.startswith(prefix, autoescape=True))
        )
    )
    messages = []
    for uid, curations in sorted(by_uid.items()):
        eid = uid[len(prefix) :]
        if eid in new_eids:
            continue
        target = _successor(old_by_eid.get(eid), new)
        if target is None:
            if uid in held:  # an earlier version still holds it: the curation applies there
                continue
            messages.append(
                f"curation of {uid} kept but not applied: no provision of this version matches "
                "it (re-apply it with PUT /api/provisions/{id}/tags)"
            )
            continue
        new_uid = prefix + target.eid
        present = {(c.code, c.action, c.comment) for c in by_uid.get(new_uid, [])}
        for c in curations:
            if (c.code, c.action, c.comment) not in present:
                session.add(
                    Curation(
                        provision_uid=new_uid,
                        code=c.code,
                        kind=c.kind,
                        action=c.action,
                        comment=c.comment,
                        actor=c.actor,
                        created_at=c.created_at,
                    )
                )
        messages.append(f"curation of {uid} carried to {new_uid} (the provision's new eId)")
    session.flush()
    return messages


def _successor(old: ProvisionKey | None, new: list[ProvisionKey]) -> ProvisionKey | None:
    if old is None:
        return None
    same_text = [key for key in new if key.text_hash == old.text_hash and key.kind == old.kind]
    if len(same_text) == 1:
        return same_text[0]
    same_number = [
        key for key in new if old.number and key.number == old.number and key.kind == old.kind
    ]
    return same_number[0] if len(same_number) == 1 else None
