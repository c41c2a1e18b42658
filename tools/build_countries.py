"""Regenerate corpus/reference/countries.csv: ISO 3166-1 countries with UN M49 regions.

Run from the repository root:  ``.venv/bin/python -m tools.build_countries``

Sources:
  * pycountry: the 249 ISO 3166-1 entries (alpha-3, alpha-2, numeric, English short name).
  * country_converter (coco): its bundled ``country_data.tsv`` column ``UNregion``, which holds the
    M49 *intermediate* region where M49 has one (``Eastern Africa``, ``South America``,
    ``Caribbean``) and the M49 *sub-region* otherwise (``Northern Africa``, ``Western Europe``).
    We read the TSV directly: ``coco.CountryConverter()`` fails to build under pandas 3
    (it compiles ``ISO2`` values that pandas now reads as NaN).

M49 has three levels (region > sub-region > intermediate region); the table below lifts coco's
value to the sub-region and derives the region from it, so e.g. Zimbabwe becomes
Africa / Sub-Saharan Africa / Eastern Africa and Brazil Americas / Latin America and the
Caribbean / South America. coco's own ``continent`` column is NOT M49 (it puts Christmas Island
in Asia and Bouvet Island in Antarctica), so it is not used.
"""

from __future__ import annotations

import csv
from pathlib import Path

import country_converter
import pycountry

OUTPUT = Path(__file__).resolve().parent.parent / "corpus" / "reference" / "countries.csv"
COLUMNS = (
    "iso3",
    "iso2",
    "numeric",
    "name",
    "common_name",
    "un_m49_region",
    "un_m49_subregion",
    "un_m49_intermediate_region",
    "notes",
)

# coco UNregion value -> (M49 region, M49 sub-region, M49 intermediate region)
_SUB_SAHARAN = ("Eastern Africa", "Middle Africa", "Southern Africa", "Western Africa")
_LATAM = ("Caribbean", "Central America", "South America")
M49_BY_COCO: dict[str, tuple[str, str, str]] = {
    **{name: ("Africa", "Sub-Saharan Africa", name) for name in _SUB_SAHARAN},
    "Northern Africa": ("Africa", "Northern Africa", ""),
    **{name: ("Americas", "Latin America and the Caribbean", name) for name in _LATAM},
    "Northern America": ("Americas", "Northern America", ""),
    **{
        name: ("Asia", name, "")
        for name in (
            "Central Asia",
            "Eastern Asia",
            "South-eastern Asia",
            "Southern Asia",
            "Western Asia",
        )
    },
    **{
        name: ("Europe", name, "")
        for name in ("Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe")
    },
    **{
        name: ("Oceania", name, "")
        for name in ("Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia")
    },
    # M49 code 010 Antarctica belongs to no region.
    "Antarctica": ("", "", ""),
}

# M49 lists Guernsey and Jersey under the intermediate region "Channel Islands" (830).
INTERMEDIATE_OVERRIDES = {"GGY": "Channel Islands", "JEY": "Channel Islands"}

NOTES = {
    "TWN": "Not listed separately in UN M49; region and sub-region assigned by geography "
    "(Asia / Eastern Asia).",
    "ATA": "Antarctica belongs to no M49 region.",
    "HKG": "Special Administrative Region of China; own ISO 3166-1 code and M49 code 344.",
    "MAC": "Special Administrative Region of China; own ISO 3166-1 code and M49 code 446.",
}

PSEUDO_ROWS = (
    {
        "iso3": "EUU",
        "iso2": "EU",
        "numeric": "",
        "name": "European Union",
        "common_name": "European Union",
        "un_m49_region": "Europe",
        "un_m49_subregion": "European Union",
        "un_m49_intermediate_region": "",
        "notes": "Pseudo-country for EU instruments: EUU is reserved by ISO 3166-1 "
        "(exceptional reservation EU); not an M49 area, region set to Europe.",
    },
    {
        "iso3": "INT",
        "iso2": "",
        "numeric": "",
        "name": "International instruments",
        "common_name": "International",
        "un_m49_region": "International",
        "un_m49_subregion": "",
        "un_m49_intermediate_region": "",
        "notes": "Pseudo-country for treaties and UN Security Council resolutions; "
        "not an ISO 3166-1 code.",
    },
)


def load_coco_regions() -> dict[str, str]:
    """Return coco's ``UNregion`` per ISO alpha-3 (current, non-obsolete entries only)."""
    data_file = Path(country_converter.__file__).parent / "country_data.tsv"
    with data_file.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["ISO3"]: row["UNregion"] for row in rows if not row["obsolete"]}


def build_rows() -> list[dict[str, str]]:
    """Build one row per ISO 3166-1 country plus the EUU and INT pseudo rows."""
    coco_regions = load_coco_regions()
    rows = []
    for country in pycountry.countries:
        coco_value = coco_regions.get(country.alpha_3)
        if coco_value not in M49_BY_COCO:
            raise ValueError(f"{country.alpha_3}: no M49 mapping for coco region {coco_value!r}")
        region, subregion, intermediate = M49_BY_COCO[coco_value]
        rows.append(
            {
                "iso3": country.alpha_3,
                "iso2": country.alpha_2,
                "numeric": country.numeric,
                "name": country.name,
                "common_name": getattr(country, "common_name", country.name),
                "un_m49_region": region,
                "un_m49_subregion": subregion,
                "un_m49_intermediate_region": INTERMEDIATE_OVERRIDES.get(
                    country.alpha_3, intermediate
                ),
                "notes": NOTES.get(country.alpha_3, ""),
            }
        )
    rows.sort(key=lambda row: row["iso3"])
    return rows + list(PSEUDO_ROWS)


def main() -> None:
    rows = build_rows()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUTPUT}")


if __name__ == "__main__":
    main()
