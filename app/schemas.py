"""Pydantic shapes of the API (the only place pydantic meets the domain)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TextStatus = Literal["official", "official_translation", "unofficial", "bill", "extract"]


class ErrorPublic(BaseModel):
    detail: str = Field(description="What went wrong and what to do next")


class EvidencePublic(BaseModel):
    rule: str = Field(description="Rule id (or 'curation')")
    matched: list[str] = Field(description="Words of the provision that matched")


class TagPublic(BaseModel):
    code: str = Field(examples=["financing"])
    kind: Literal["offence", "instrument"]
    origin: Literal["rule", "curation"]
    evidence: list[EvidencePublic] = []
    comment: str | None = None


class PenaltyPublic(BaseModel):
    min_years: float | None = None
    max_years: float | None = None
    life: bool = False
    death: bool = False
    fine: bool = False
    fine_amount: str | None = None
    evidence: str = Field("", description="The words that state the penalty")


class ProvisionSummary(BaseModel):
    """A provision as listed in search hits, tables of contents and comparisons."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "gbr/act/2000/terrorism-act/~sec_15",
                    "number": "15",
                    "label": "s. 15",
                    "heading": "Fund-raising",
                    "language": "en",
                    "country": "GBR",
                    "offences": ["financing"],
                    "instruments": ["FINANCING-1999", "UNSCR-1373"],
                }
            ]
        }
    )

    id: str = Field(description="Provision id: {document id}/~{eId}; old versions add @date")
    kind: str
    number: str | None = None
    label: str | None = None
    heading: str | None = None
    language: str | None = None
    country: str = Field(description="ISO 3166-1 alpha-3 (INT: international, EUU: EU)")
    document_id: str
    citation: str = Field(description="Citation string, e.g. 'Terrorism Act 2000 (GBR), s. 15'")
    permalink: str
    status: TextStatus = Field(description="What kind of text this is: cite with care")
    partial: bool = Field(description="True when the source holds only part of the act")
    version_date: str | None = None
    offences: list[str] = []
    instruments: list[str] = []


class SearchHitPublic(ProvisionSummary):
    score: float
    snippet: str = Field(description="HTML-escaped text with matches in <mark>…</mark>")
    document_title: str = ""
    year: int | None = None
    penalty: PenaltyPublic | None = None


class SearchPagePublic(BaseModel):
    total: int
    page: int
    size: int
    hits: list[SearchHitPublic]
    facets: dict[str, dict[str, int]] = Field(
        description="Counts per value for each filter, computed under the other filters",
        examples=[{"country": {"GBR": 12, "FRA": 9}, "offence": {"financing": 14}}],
    )


class PathItem(BaseModel):
    id: str
    kind: str
    label: str | None = None
    heading: str | None = None


class VersionPublic(BaseModel):
    version_id: int
    valid_from: str
    valid_to: str | None = None
    version_date: str | None = None
    current: bool
    provision_id: str | None = Field(None, description="This provision in that version, if any")


class ProvisionPublic(ProvisionSummary):
    """A provision in full."""

    text: str
    notes: str = ""
    document_title: str
    document_title_en: str = ""
    path: list[PathItem] = Field(description="Containers from the act down to this provision")
    tags: list[TagPublic]
    penalty: PenaltyPublic | None = None
    previous: str | None = None
    next: str | None = None
    versions: list[VersionPublic] = []


class DocumentSummary(BaseModel):
    id: str
    country: str
    title: str
    title_en: str = ""
    doc_type: str
    year: int | None = None
    language: str | None = None
    status: TextStatus
    partial: bool
    source_file: str = Field(description="Path of the source file under corpus/")
    provisions: int = 0


class DocumentsPublic(BaseModel):
    total: int
    page: int
    size: int
    documents: list[DocumentSummary]


class DocumentPublic(DocumentSummary):
    licence: str = ""
    source: str = ""
    notes: str = ""
    format: str
    version_date: str | None = None
    versions: list[VersionPublic] = []
    toc: list[ProvisionSummary] = Field(description="Every provision, in document order")


class CountrySummary(BaseModel):
    iso3: str
    name: str
    region: str | None = None
    subregion: str | None = None
    documents: int = 0
    provisions: int = 0


class CountriesPublic(BaseModel):
    countries: list[CountrySummary]


class CountryPublic(CountrySummary):
    document_list: list[DocumentSummary] = []
    offences: dict[str, int] = {}
    instruments: dict[str, int] = {}


class TagRequest(BaseModel):
    text: str = Field(min_length=1, max_length=100_000, examples=["Whoever provides funds..."])
    language: str | None = Field(None, pattern=r"^[a-z]{2}$")


class TagResult(BaseModel):
    language: str | None
    offences: list[str]
    instruments: list[str]
    tags: list[TagPublic]
