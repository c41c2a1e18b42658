"""Similar provisions in other countries, in any language: multilingual embeddings computed
at ingest (stored in SQL), fused with lexical more-like-this from the search index."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Document, DocumentVersion, Provision, ProvisionEmbedding, Tag
from app.services.provisions import NotFound, split_id
from app.services.similar import MAX_PER_LANGUAGE, SimilarityIndex, combine
from app.services.tagging import tag_request
from ingest.embeddings import embed_texts, from_bytes, prepare_text
from search_index.base import MAX_MLT_TEXT, MAX_SIZE

_lock = threading.Lock()
log = logging.getLogger("ctlex.api")
# Lexical more-like-this only works within one language; measured in bench/similar_quality.py,
# weights above 0.2 push same-language neighbours over better cross-language ones.
LEXICAL_WEIGHT = 0.15


def warm_up(state: Any, sessionmaker: Any) -> threading.Thread:
    """Load the embedding model and the similarity matrix in a background thread, so that the
    first "similar provisions" request answers at once (about 2 s of work at start-up)."""

    def work() -> None:
        try:
            embed_texts(["warm-up"])
            with sessionmaker() as session:
                _index(state, session)
        except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first request
            log.warning("similarity warm-up failed; the first request will load it", exc_info=True)

    thread = threading.Thread(target=work, name="similarity-warm-up", daemon=True)
    thread.start()
    return thread


def _index(state: Any, session: Session) -> SimilarityIndex:
    """The in-memory matrix of current provisions' embeddings, rebuilt when the stored
    embeddings change (a new ingest)."""
    stamp = session.scalar(select(func.max(ProvisionEmbedding.provision_id)))
    with _lock:
        cached = getattr(state, "similarity", None)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        current = (
            select(Provision.id)
            .join(DocumentVersion, Provision.version_id == DocumentVersion.id)
            .where(DocumentVersion.is_current)
        )
        offences: dict[int, list[str]] = defaultdict(list)
        for provision_id, code in session.execute(
            select(Tag.provision_id, Tag.code).where(
                Tag.kind == "offence", Tag.provision_id.in_(current)
            )
        ):
            offences[provision_id].append(code)
        rows = session.execute(
            select(
                Provision.id,
                Provision.uid,
                Document.country,
                ProvisionEmbedding.vector,
                Provision.language,
            )
            .join(Provision, ProvisionEmbedding.provision_id == Provision.id)
            .join(DocumentVersion, Provision.version_id == DocumentVersion.id)
            .join(Document, DocumentVersion.document_id == Document.id)
            .where(DocumentVersion.is_current)
        )
        index = SimilarityIndex.from_rows(
            (uid, country, vector, offences.get(pk, ()), language)
            for pk, uid, country, vector, language in rows
        )
        state.similarity = (stamp, index)
        return index


def _caps(size: int, countries: tuple[str, ...]) -> dict[str, Any]:
    """Result caps: across all countries, room for several languages; with chosen countries,
    a fair share of the list for each of them."""
    if countries:
        return {"countries": countries, "max_per_country": -(-size // len(countries))}
    return {"max_per_language": MAX_PER_LANGUAGE}


def _lexical(
    backend: Any,
    text: str,
    size: int,
    exclude_country: str | None,
    exclude_ids: tuple[str, ...],
    countries: tuple[str, ...] = (),
) -> list[tuple[str, float]]:
    hits = backend.more_like_this(
        text[:MAX_MLT_TEXT],
        size=MAX_SIZE if countries else min(size * 3, MAX_SIZE),
        exclude_ids=exclude_ids,
    )
    return [
        (h.id, float(h.score or 0.0))
        for h in hits
        if (not exclude_country or h.doc.get("country") != exclude_country)
        and (not countries or h.doc.get("country") in countries)
    ][: size * 2]


def similar_to_text(
    state: Any,
    session: Session,
    backend: Any,
    text: str,
    size: int,
    *,
    exclude_country: str | None = None,
    exclude_ids: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
) -> list[tuple[str, float]]:
    vector = embed_texts([prepare_text(None, text)])[0]
    # The drafter's clause is tagged by the same rules as the corpus, so that the tag overlap
    # can lift an equivalent provision written in another language.
    codes = tag_request(text, None).offences
    semantic = _index(state, session).query(
        vector,
        size=size * 2,
        exclude_country=exclude_country,
        exclude_ids=exclude_ids,
        tags=codes,
        **_caps(size, countries),
    )
    lexical = _lexical(backend, text, size, exclude_country, exclude_ids, countries)
    return combine(semantic, lexical, LEXICAL_WEIGHT)[:size]


def similar_to_provision(
    state: Any,
    session: Session,
    backend: Any,
    provision_id: str,
    size: int,
    *,
    same_country: bool = False,
    countries: tuple[str, ...] = (),
) -> list[tuple[str, float]]:
    """Provisions like ``provision_id``: of other countries, or with ``same_country`` of any
    document but its own (so a bilingual country's other-language version is found)."""
    uid, _ = split_id(provision_id)
    row = session.execute(
        select(Provision, Document.country, Document.id, ProvisionEmbedding.vector)
        .join(DocumentVersion, Provision.version_id == DocumentVersion.id)
        .join(Document, DocumentVersion.document_id == Document.id)
        .outerjoin(ProvisionEmbedding, ProvisionEmbedding.provision_id == Provision.id)
        .where(Provision.uid == uid, DocumentVersion.is_current)
    ).first()
    if row is None:
        raise NotFound(f"no current provision '{uid}': search for it with /api/search")
    provision, country, document_id, blob = row
    vector = (
        from_bytes(blob)
        if blob is not None
        else embed_texts([prepare_text(provision.heading, provision.text)])[0]
    )
    own_document = f"{document_id}/~"
    excluded_country = None if same_country else country
    codes = [t.code for t in provision.tags if t.kind == "offence"]
    # Ask for more when the own document is filtered afterwards: its sections rank high.
    wanted = size * 2 + (100 if same_country else 0)
    semantic = _index(state, session).query(
        vector,
        size=wanted,
        exclude_country=excluded_country,
        exclude_ids=(uid,),
        tags=codes,
        **_caps(size, countries),
    )
    lexical = _lexical(
        backend,
        f"{provision.heading or ''}\n{provision.text}",
        size,
        excluded_country,
        (uid,),
        countries,
    )
    if same_country:
        semantic = [hit for hit in semantic if not hit[0].startswith(own_document)][: size * 2]
        lexical = [hit for hit in lexical if not hit[0].startswith(own_document)]
    return combine(semantic, lexical, LEXICAL_WEIGHT)[:size]
