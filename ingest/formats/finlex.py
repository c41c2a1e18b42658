"""Finlex Akoma Ntoso (Finnish and Swedish statutes from the Finnish open data service).

Finlex uses standard AKN hierarchy (``chapter`` "34 a luku", ``section`` "1 §") inside an
``hcontainer name="statuteProvisionsWrapper"``. Entry-into-force clauses, preparatory-work
references and signatures sit in other hcontainers: they stay in the full text but are not
provisions. ``omission`` markers (the unchanged rest of an amended section) are dropped.
"""

from __future__ import annotations

from lxml import etree

from ingest.formats.akn import AknProfile, extract_akn
from ingest.records import ExtractedText

FINLEX_NAMESPACE = "http://data.finlex.fi/schema/finlex"
FINLEX_PROFILE = AknProfile(
    skip_hcontainers=frozenset(
        {"entryIntoForce", "entryIntoForceStart", "conclusions", "preliminaryWork", "signatures"}
    ),
    skip_classes=frozenset({"omission"}),
)


def is_finlex(root: etree._Element) -> bool:
    """True when the AKN document comes from Finlex (declares the Finlex namespace)."""
    return FINLEX_NAMESPACE in (root.nsmap or {}).values()


def extract_finlex(root: etree._Element) -> ExtractedText:
    """Extract a Finlex AKN statute: chapters and sections ("1 §" -> number ``1``).

    Args:
        root: the parsed ``akomaNtoso`` element.

    Returns:
        ExtractedText with the preamble (enacting clause), chapters and sections.
    """
    return extract_akn(root, FINLEX_PROFILE)
