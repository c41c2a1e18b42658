"""Similar provisions through the API, on the real bundled corpus (every stored embedding)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app

UK_FUNDRAISING = "gbr/act/2000/terrorism-act/~part_III__sec_15"
DRAFT_CLAUSE = (
    "Terrorist financing. A person commits an offence who, by any means, directly or "
    "indirectly, provides or collects funds with the intention that they should be used, or in "
    "the knowledge that they are to be used, in order to carry out a terrorist act, and is "
    "liable on conviction to imprisonment for a term not exceeding fourteen years."
)
CODES = ("DEU", "FRA", "ESP", "RUS")  # the German, French, Spanish and Russian codes


@pytest.fixture(scope="module")
def client(ingested_corpus) -> Iterator[TestClient]:
    with TestClient(create_app(ingested_corpus.settings)) as c:
        yield c


def _financing_countries(hits: list[dict]) -> set[str]:
    return {h["country"] for h in hits if "financing" in h["offences"]}


def _show(hits: list[dict]) -> None:
    print([(h["country"], h["label"], h["language"], round(h["score"], 3)) for h in hits])


def test_uk_fundraising_section_finds_financing_offences_of_other_countries(
    client: TestClient,
) -> None:
    r = client.get(f"/api/provisions/{UK_FUNDRAISING}/similar", params={"size": 10})
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    _show(hits)
    assert len(hits) == 10
    assert all(h["country"] != "GBR" for h in hits), "similar means other countries"
    assert sum("financing" in h["offences"] for h in hits) >= 6
    assert len({h["language"] for h in hits}) >= 3, "several languages, not only English"


def test_uk_fundraising_section_finds_the_four_codes_financing_offences(
    client: TestClient,
) -> None:
    r = client.get(
        f"/api/provisions/{UK_FUNDRAISING}/similar", params={"size": 10, "country": CODES}
    )
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    _show(hits)
    assert {h["country"] for h in hits} <= set(CODES)
    missing = set(CODES) - _financing_countries(hits)
    assert not missing, f"no financing provision of {sorted(missing)} in the top 10"


def test_a_drafted_english_clause_finds_financing_offences_in_other_languages(
    client: TestClient,
) -> None:
    r = client.post("/api/similar", json={"text": DRAFT_CLAUSE, "size": 10})
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    _show(hits)
    assert sum("financing" in h["offences"] for h in hits) >= 6
    assert {h["language"] for h in hits} - {"en"}
    r = client.post(
        "/api/similar", json={"text": DRAFT_CLAUSE, "size": 10, "countries": list(CODES)}
    )
    hits = r.json()["hits"]
    _show(hits)
    missing = set(CODES) - _financing_countries(hits)
    assert not missing, f"no financing provision of {sorted(missing)} in the top 10"


def _canadian_financing_section(client: TestClient, language: str) -> dict:
    hits = client.get(
        "/api/search",
        params={
            "country": "CAN",
            "language": language,
            "offence": "financing",
            "size": 100,
            "sort": "order",
        },
    ).json()["hits"]
    by_number = {h["number"]: h for h in hits}
    assert "83.02" in by_number, sorted(by_number)
    return by_number["83.02"]


@pytest.mark.parametrize(("language", "other"), [("en", "fr"), ("fr", "en")])
def test_canadian_sections_find_their_other_language_version(
    client: TestClient, language: str, other: str
) -> None:
    section = _canadian_financing_section(client, language)
    r = client.get(
        f"/api/provisions/{section['id']}/similar", params={"size": 10, "same_country": True}
    )
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    print([(h["country"], h["label"], h["language"], round(h["score"], 3)) for h in hits])
    assert all(h["document_id"] != section["document_id"] for h in hits)
    twins = [h for h in hits if h["country"] == "CAN" and h["language"] == other]
    assert twins and twins[0]["number"] == "83.02", "the other-language version of s. 83.02"
    # Without same_country, only other countries answer.
    others = client.get(f"/api/provisions/{section['id']}/similar", params={"size": 10}).json()
    assert others["hits"] and all(h["country"] != "CAN" for h in others["hits"])


def test_similar_size_is_bounded(client: TestClient) -> None:
    r = client.get(f"/api/provisions/{UK_FUNDRAISING}/similar", params={"size": 51})
    assert r.status_code == 422
    r = client.get("/api/provisions/zzz/act/1/none/~sec_1/similar")
    assert r.status_code == 404
    r = client.get(f"/api/provisions/{UK_FUNDRAISING}/similar", params={"country": "Germany"})
    assert r.status_code == 422
