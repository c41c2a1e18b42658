"""The corpus manifest reader, the bundled manifest and the country reference table."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from ingest.errors import UnsafeSourceError
from ingest.manifest import (
    COLUMNS,
    ESCAPE_MESSAGE,
    find_unlisted_files,
    load_countries,
    missing_files,
    read_manifest,
    resolve_entry_path,
)
from ingest.records import ManifestEntry

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
BUNDLED = CORPUS / "manifest.tsv"

# Files opened while an audited block runs (sys.addaudithook cannot be removed, so it is gated).
_AUDIT = {"on": False, "opened": []}


def _audit(event: str, args: tuple) -> None:
    if _AUDIT["on"] and event == "open" and isinstance(args[0], (str, bytes, Path)):
        _AUDIT["opened"].append(str(args[0]))


sys.addaudithook(_audit)


def _row(path: str, **overrides: str) -> dict[str, str]:
    row = {
        "path": path,
        "country": "GBR",
        "title": "Terrorism Act 2000",
        "title_en": "Terrorism Act 2000",
        "doc_type": "act",
        "year": "2000",
        "language": "en",
        "format": "",
        "status": "official",
        "partial": "false",
        "version_date": "",
        "short_name": "",
        "licence": "OGL v3.0",
        "source": "",
        "notes": "",
    }
    row.update(overrides)
    return row


def _write_tsv(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    lines = ["\t".join(columns)] + ["\t".join(row.get(c, "") for c in columns) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _corpus(tmp_path: Path, *files: str) -> Path:
    root = tmp_path / "corpus"
    for name in files:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("text of " + name, encoding="utf-8")
    root.mkdir(exist_ok=True)
    return root


# --- the bundled corpus ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    return read_manifest(BUNDLED)


def test_bundled_manifest_reads_without_errors_or_warnings(bundled):
    assert [str(e) for e in bundled.errors] == []
    assert bundled.warnings == ()
    assert len(bundled.entries) == 144


def test_bundled_manifest_lists_every_raw_file_exactly_once(bundled):
    on_disk = sorted(p.relative_to(CORPUS).as_posix() for p in (CORPUS / "raw").rglob("*"))
    on_disk = [p for p in on_disk if (CORPUS / p).is_file()]
    listed = [entry.path for entry in bundled.entries]
    assert len(on_disk) == 144
    assert Counter(listed) == Counter(on_disk)
    assert find_unlisted_files(CORPUS, bundled.entries) == []
    assert missing_files(CORPUS, bundled.entries) == []


def test_bundled_document_ids_are_unique(bundled):
    ids = Counter(entry.document_id for entry in bundled.entries)
    assert [doc_id for doc_id, n in ids.items() if n > 1] == []


def test_bundled_rows_are_consistent(bundled):
    for entry in bundled.entries:
        assert entry.path.startswith(f"raw/{entry.path.split('/')[1]}/")
        assert entry.format == Path(entry.path).suffix.lstrip(".").lower()
        assert entry.year is not None, entry.path
        assert entry.source.startswith("https://github.com/"), entry.path
        assert entry.licence, entry.path
        assert (entry.status == "bill") == (entry.doc_type == "bill"), entry.path
        if entry.status == "extract":
            assert entry.partial, entry.path


def test_bundled_known_rows(bundled):
    by_id = {entry.document_id: entry for entry in bundled.entries}
    gbr = by_id["gbr/act/2000/terrorism-act"]
    assert gbr.path == "raw/gbr/gbr-terrorism-act-2000-revised-text.txt"
    assert (gbr.status, gbr.partial, gbr.language) == ("official", False, "en")
    eu = by_id["euu/directive/2015/aml-directive-2015-849"]
    assert eu.country == "EUU"
    serbian = [e for e in bundled.entries if e.country == "SRB"]
    assert {e.language for e in serbian} == {"sr"}
    assert by_id["mys/bill/2015/prevention-of-terrorism-bill"].status == "bill"
    assert by_id["esp/law/2015/lo-2-2015-delitos-de-terrorismo"].status == "extract"
    assert by_id["twn/act/2016/counter-terrorism-financing-act-en"].status == (
        "official_translation"
    )
    assert by_id["dnk/code/1930/straffeloven"].version_date == "2025-11-07"


def test_every_manifest_country_has_a_region(bundled):
    countries = load_countries()
    for code in {entry.country for entry in bundled.entries}:
        assert code in countries, code
        assert countries[code].region, code
    assert countries["INT"].region == "International"


# --- the country table ------------------------------------------------------------------------


def test_country_table_has_every_iso_country_plus_int_and_euu():
    countries = load_countries()
    assert len(countries) == 251
    assert {"INT", "EUU"} <= set(countries)
    assert all(len(code) == 3 for code in countries)


@pytest.mark.parametrize(
    ("iso3", "region", "subregion"),
    [
        ("GBR", "Europe", "Northern Europe"),
        ("FRA", "Europe", "Western Europe"),
        ("CHN", "Asia", "Eastern Asia"),
        ("BRA", "Americas", "Latin America and the Caribbean"),
        ("EGY", "Africa", "Northern Africa"),
        ("ZWE", "Africa", "Sub-Saharan Africa"),
        ("AUS", "Oceania", "Australia and New Zealand"),
        ("USA", "Americas", "Northern America"),
        ("TWN", "Asia", "Eastern Asia"),
        ("HKG", "Asia", "Eastern Asia"),
        ("ATA", "", ""),
        ("EUU", "Europe", "European Union"),
        ("INT", "International", ""),
    ],
)
def test_country_regions(iso3, region, subregion):
    country = load_countries()[iso3]
    assert (country.region, country.subregion) == (region, subregion)


def test_country_details():
    countries = load_countries()
    assert countries["ZWE"].intermediate_region == "Eastern Africa"
    assert countries["BRA"].intermediate_region == "South America"
    assert (countries["GBR"].iso2, countries["GBR"].numeric) == ("GB", "826")
    assert "M49" in countries["TWN"].notes


# --- path safety --------------------------------------------------------------------------------


def test_escaping_paths_are_row_errors_and_never_opened(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read", encoding="utf-8")
    root = _corpus(tmp_path, "raw/gbr/good.txt")
    (root / "raw" / "link.txt").symlink_to(secret)
    (root / "raw" / "linkdir").symlink_to(tmp_path)
    bad_paths = [
        "../../etc/passwd",
        "../secret.txt",
        "raw/../../secret.txt",
        str(secret),
        "/etc/passwd",
        "C:\\Windows\\win.ini",
        "raw/link.txt",
        "raw/linkdir/secret.txt",
    ]
    rows = [_row(p, short_name=f"bad-{i}") for i, p in enumerate(bad_paths)]
    rows.append(_row("raw/gbr/good.txt", short_name="good"))
    manifest = _write_tsv(root / "manifest.tsv", rows)

    _AUDIT["opened"].clear()
    _AUDIT["on"] = True
    try:
        result = read_manifest(manifest)
        missing = missing_files(root, [_entry(p) for p in bad_paths])
    finally:
        _AUDIT["on"] = False

    assert [e.path for e in result.entries] == ["raw/gbr/good.txt"]
    assert [e.row for e in result.errors] == list(range(2, 2 + len(bad_paths)))
    assert all(ESCAPE_MESSAGE in e.message for e in result.errors)
    assert len(missing) == len(bad_paths)
    assert str(manifest) in _AUDIT["opened"]  # the hook does see the files that are opened
    opened = [p for p in _AUDIT["opened"] if "secret" in p or "passwd" in p or "win.ini" in p]
    assert opened == []


def _entry(path: str) -> ManifestEntry:
    return ManifestEntry(
        path=path,
        country="GBR",
        title="t",
        title_en="t",
        doc_type="act",
        year=2000,
        language="en",
        format="txt",
        status="official",
        partial=False,
        version_date=None,
        short_name="t",
    )


def test_resolve_entry_path_refuses_escapes(tmp_path):
    root = _corpus(tmp_path, "raw/a.txt")
    assert resolve_entry_path(root, _entry("raw/a.txt")) == (root / "raw/a.txt").resolve()
    with pytest.raises(UnsafeSourceError, match=ESCAPE_MESSAGE):
        resolve_entry_path(root, _entry("../x.txt"))


# --- formats --------------------------------------------------------------------------------


def test_csv_and_json_manifests_read_like_tsv(tmp_path):
    root = _corpus(tmp_path, "raw/fra/code.md", "raw/gbr/act.txt")
    rows = [
        _row("raw/gbr/act.txt", short_name="terrorism-act"),
        _row(
            "raw/fra/code.md",
            country="FRA",
            title='Code pénal, "version consolidée"',
            title_en="Criminal Code",
            doc_type="code",
            year="1992",
            language="fr",
            partial="true",
            version_date="2026-04-02",
            short_name="code-penal",
        ),
    ]
    tsv = read_manifest(_write_tsv(root / "manifest.tsv", rows))
    with (root / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    from_csv = read_manifest(root / "manifest.csv")
    json_rows = [
        {**row, "year": int(row["year"]), "partial": row["partial"] == "true"} for row in rows
    ]
    (root / "manifest.json").write_text(json.dumps(json_rows), encoding="utf-8")
    from_json = read_manifest(root / "manifest.json")

    for result in (tsv, from_csv, from_json):
        assert result.errors == ()
        assert result.entries == tsv.entries
    code = tsv.entries[1]
    assert code.title == 'Code pénal, "version consolidée"'
    assert (code.document_id, code.partial, code.format) == (
        "fra/code/1992/code-penal",
        True,
        "md",
    )


def test_only_required_columns_gives_defaults(tmp_path):
    root = _corpus(tmp_path, "raw/Foo Bar Act.PDF")
    columns = ("path", "country", "title", "doc_type")
    manifest = _write_tsv(
        root / "manifest.tsv",
        [{"path": "raw/Foo Bar Act.PDF", "country": "gb", "title": "Foo", "doc_type": "Act"}],
        columns,
    )
    result = read_manifest(manifest)
    assert result.errors == ()
    (entry,) = result.entries
    assert entry.country == "GBR"
    assert (entry.format, entry.status, entry.partial) == ("pdf", "unofficial", False)
    assert (entry.title_en, entry.language, entry.year) == ("Foo", None, None)
    assert entry.document_id == "gbr/act/na/foo-bar-act"


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("country", "XYZ", "unknown country code 'XYZ'"),
        ("country", "", "unknown country code"),
        ("title", "", "title is empty"),
        ("doc_type", "statute", "doc_type is 'statute'"),
        ("doc_type", "", "doc_type is empty"),
        ("status", "draft", "status is 'draft'"),
        ("year", "20x0", "not a whole number"),
        ("year", "3020", "out of range"),
        ("language", "xx", "unknown language 'xx'"),
        ("format", "rtf", "format 'rtf' is not supported"),
        ("partial", "maybe", "not true or false"),
        ("version_date", "07/11/2025", "not an ISO date"),
        ("version_date", "2025-02-30", "not an ISO date"),
        ("short_name", "Terrorism Act", "short_name 'Terrorism Act'"),
        ("path", "", "path is empty"),
    ],
)
def test_invalid_values_are_row_errors(tmp_path, column, value, message):
    root = _corpus(tmp_path, "raw/a.txt", "raw/b.txt")
    bad = {**_row("raw/a.txt", short_name="a"), column: value}
    rows = [bad, _row("raw/b.txt")]
    result = read_manifest(_write_tsv(root / "manifest.tsv", rows))
    assert [e.path for e in result.entries] == ["raw/b.txt"]  # the bad row does not stop reading
    assert [e.row for e in result.errors] == [2]
    assert message in result.errors[0].message


def test_windows_separators_and_dot_segments_are_normalised(tmp_path):
    root = _corpus(tmp_path, "raw/gbr/a.txt")
    rows = [_row("raw\\gbr\\a.txt", short_name="a"), _row("./raw/x/../gbr/a.txt", short_name="b")]
    result = read_manifest(_write_tsv(root / "manifest.tsv", rows))
    assert [e.path for e in result.entries] == ["raw/gbr/a.txt"]
    assert [e.message for e in result.errors] == ["path listed twice (first on row 2)"]


def test_language_and_country_are_normalised(tmp_path):
    root = _corpus(tmp_path, "raw/a.json")
    rows = [_row("raw/a.json", country="srb", language="sr-Cyrl", short_name="a")]
    (entry,) = read_manifest(_write_tsv(root / "manifest.tsv", rows)).entries
    assert (entry.country, entry.language) == ("SRB", "sr")


def test_duplicate_paths_and_document_ids(tmp_path):
    root = _corpus(tmp_path, "raw/a.txt", "raw/b.txt")
    rows = [
        _row("raw/a.txt", short_name="same"),
        _row("raw/./a.txt", short_name="other"),
        _row("raw/b.txt", short_name="same"),
    ]
    result = read_manifest(_write_tsv(root / "manifest.tsv", rows))
    assert [e.path for e in result.entries] == ["raw/a.txt"]
    messages = {e.row: e.message for e in result.errors}
    assert messages[3] == "path listed twice (first on row 2)"
    assert messages[4] == "duplicate document id 'gbr/act/2000/same' (first on row 2)"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("manifest.xlsx", "", "unsupported manifest type"),
        ("manifest.json", "{not json", "invalid JSON"),
        ("manifest.json", '{"path": "a"}', "must be a list of objects"),
        ("manifest.tsv", "path\tcountry\ttitle\nraw/a.txt\tGBR\tA\n", "'doc_type' is missing"),
        ("manifest.tsv", "", "no header row"),
    ],
)
def test_problems_with_the_whole_file_are_row_zero(tmp_path, name, content, message):
    root = _corpus(tmp_path, "raw/a.txt")
    (root / name).write_text(content, encoding="utf-8")
    result = read_manifest(root / name)
    assert any(e.row == 0 and message in e.message for e in result.errors), result.errors


def test_unknown_columns_are_warnings(tmp_path):
    root = _corpus(tmp_path, "raw/a.txt")
    columns = (*COLUMNS, "licnce")
    result = read_manifest(_write_tsv(root / "manifest.tsv", [_row("raw/a.txt")], columns))
    assert result.errors == ()
    assert result.warnings == ("unknown column 'licnce' ignored",)


def test_too_many_cells_is_a_row_error(tmp_path):
    root = _corpus(tmp_path, "raw/a.txt")
    manifest = _write_tsv(root / "manifest.tsv", [_row("raw/a.txt")])
    with manifest.open("a", encoding="utf-8") as handle:
        handle.write("\n" + "\t".join(_row("raw/a.txt").values()) + "\textra\n")
    result = read_manifest(manifest)
    assert len(result.entries) == 1
    assert [(e.row, "16 cells" in e.message) for e in result.errors] == [(4, True)]


# --- missing and unlisted files -------------------------------------------------------------------


def test_missing_and_unlisted_files(tmp_path):
    root = _corpus(
        tmp_path,
        "raw/gbr/listed.txt",
        "raw/gbr/unlisted.pdf",
        "raw/new/other.md",
        "raw/.hidden",
        ".git/config",
        "README.md",
        "reference/countries.csv",
        "stray.txt",
    )
    rows = [_row("raw/gbr/listed.txt", short_name="a"), _row("raw/gbr/gone.txt", short_name="b")]
    result = read_manifest(_write_tsv(root / "manifest.tsv", rows))
    assert result.errors == ()  # a missing file is not a manifest error ...
    assert [e.path for e in missing_files(root, result.entries)] == ["raw/gbr/gone.txt"]
    assert find_unlisted_files(root, result.entries) == [
        Path("raw/gbr/unlisted.pdf"),
        Path("raw/new/other.md"),
        Path("stray.txt"),
    ]
    assert find_unlisted_files(root, result.entries, ignore={"stray.txt", "manifest.tsv"}) == [
        Path("README.md"),
        Path("raw/gbr/unlisted.pdf"),
        Path("raw/new/other.md"),
        Path("reference/countries.csv"),
    ]


def test_a_directory_listed_as_a_file_is_missing(tmp_path):
    root = _corpus(tmp_path, "raw/gbr/a.txt")
    rows = [_row("raw/gbr", short_name="a", format="txt")]
    result = read_manifest(_write_tsv(root / "manifest.tsv", rows))
    assert [e.path for e in missing_files(root, result.entries)] == ["raw/gbr"]


def test_a_file_whose_row_has_an_error_is_not_also_unlisted(tmp_path):
    root = _corpus(tmp_path, "raw/a.txt", "raw/b.txt")
    rows = [_row("raw/a.txt", country="XYZ"), _row("raw/b.txt")]
    result = read_manifest(_write_tsv(root / "manifest.tsv", rows))
    assert [e.path for e in result.entries] == ["raw/b.txt"]
    assert result.listed_paths == ("raw/a.txt", "raw/b.txt")
    assert find_unlisted_files(root, result.entries) == [Path("raw/a.txt")]
    assert find_unlisted_files(root, result.listed_paths) == []
