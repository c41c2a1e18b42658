"""Read a corpus manifest (TSV, CSV or JSON) into ManifestEntry values, reporting bad rows.

A manifest lists every source file of a corpus folder, one record per file (see
corpus/README.md for the columns). Reading never stops at the first bad row: each problem
becomes a ManifestRowError and the good rows are still returned. Paths are checked before any
file is touched: an absolute path, or one that resolves outside the manifest's folder (``..``,
a symlink pointing out), is a row error and the file is never opened.
"""

from __future__ import annotations

import csv
import io
import json
import os
import posixpath
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import pycountry

from ingest.errors import UnsafeSourceError
from ingest.records import ManifestEntry

# fmt: off
DOC_TYPES = frozenset((
    "act", "code", "law", "decree", "regulation", "ordinance", "bill", "convention",
    "resolution", "directive", "order",
))
STATUSES = frozenset(("official", "official_translation", "unofficial", "bill", "extract"))
FORMATS = frozenset(("pdf", "html", "xml", "md", "txt", "json", "docx"))
FORMAT_ALIASES = {"htm": "html", "xhtml": "html", "markdown": "md", "text": "txt"}
# The columns in their written order; only REQUIRED_COLUMNS must be present and filled.
COLUMNS = (
    "path", "country", "title", "title_en", "doc_type", "year", "language", "format", "status",
    "partial", "version_date", "short_name", "licence", "source", "notes",
)
# fmt: on
REQUIRED_COLUMNS = ("path", "country", "title", "doc_type")
# A manifest that says nothing about a file's authority gets the cautious status.
DEFAULT_STATUS = "unofficial"
MANIFEST_NAMES = ("manifest.tsv", "manifest.csv", "manifest.json")
# Top-level names of a corpus folder that are not source files.
_NOT_SOURCES = ("README.md", "README", "LICENSE", "LICENSE.md", "SOURCES-MANIFEST.tsv")
DEFAULT_IGNORED = frozenset((*MANIFEST_NAMES, *_NOT_SOURCES, "reference", "taxonomy"))
ESCAPE_MESSAGE = "path escapes the corpus folder"
_SHORT_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0", ""})


@dataclass(frozen=True)
class Country:
    """One row of corpus/reference/countries.csv."""

    iso3: str
    iso2: str
    numeric: str
    name: str
    common_name: str
    region: str  # UN M49 region: Africa, Americas, Asia, Europe, Oceania ("" for Antarctica)
    subregion: str  # UN M49 sub-region, e.g. "Northern Europe", "Sub-Saharan Africa"
    intermediate_region: str = ""  # UN M49 intermediate region, e.g. "Eastern Africa"
    notes: str = ""


@dataclass(frozen=True)
class ManifestRowError:
    """A problem with one manifest record (row 0: the manifest as a whole).

    ``row`` is the line number in a TSV/CSV file (the header is line 1) and the 1-based
    position of the object in a JSON list.
    """

    row: int
    message: str
    path: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}" + (f" ({self.path})" if self.path else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ManifestReadResult:
    manifest_path: Path
    root: Path  # the manifest's folder: every entry path is relative to it
    entries: tuple[ManifestEntry, ...]
    errors: tuple[ManifestRowError, ...]
    warnings: tuple[str, ...] = ()
    # Every safe path named by a row, including rows rejected for another reason: pass these
    # to find_unlisted_files so a file whose row has an error is not also called unlisted.
    listed_paths: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def default_corpus_dir() -> Path:
    """Return the repository's bundled corpus folder (``<repo>/corpus``)."""
    return Path(__file__).resolve().parent.parent / "corpus"


def find_manifest(folder: Path) -> Path | None:
    """Return the manifest of ``folder`` (manifest.tsv, .csv or .json, in that order), if any."""
    for name in MANIFEST_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def load_countries(path: Path | None = None) -> dict[str, Country]:
    """Read the country reference table, keyed by ISO 3166-1 alpha-3 (plus INT and EUU).

    Args:
        path: a countries CSV; defaults to corpus/reference/countries.csv of this repository.

    Returns:
        A new dict on every call (the parsed file is cached).
    """
    path = path or default_corpus_dir() / "reference" / "countries.csv"
    return {country.iso3: country for country in _read_countries(path.resolve())}


@lru_cache(maxsize=4)
def _read_countries(path: Path) -> tuple[Country, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Country(
                iso3=row["iso3"],
                iso2=row["iso2"],
                numeric=row["numeric"],
                name=row["name"],
                common_name=row.get("common_name") or row["name"],
                region=row["un_m49_region"],
                subregion=row["un_m49_subregion"],
                intermediate_region=row.get("un_m49_intermediate_region", ""),
                notes=row.get("notes", ""),
            )
            for row in csv.DictReader(handle)
        )


def normalise_language(value: str) -> str | None:
    """Return the ISO 639-1 code of a language tag (ISO 639-3 when it has none).

    ``"sr-Cyrl"`` -> ``"sr"``, ``"deu"`` -> ``"de"``, ``"English"`` -> ``"en"``, ``""`` -> None.

    Raises:
        ValueError: the value names no known language.
    """
    value = value.strip()
    if not value:
        return None
    primary = re.split(r"[-_]", value, maxsplit=1)[0].lower()
    language = _language_by_code(primary)
    if language is None and len(value) > 3:
        # A name ("English"). Codes are never looked up by name: pycountry knows languages
        # named "En" and "Ko", which a name lookup of "en" or "ko" would return.
        try:
            language = pycountry.languages.lookup(value)
        except LookupError:
            language = None
    if language is not None:
        return getattr(language, "alpha_2", None) or language.alpha_3
    raise ValueError(f"unknown language {value!r} (expected an ISO 639-1 code such as 'en')")


def _language_by_code(code: str) -> Any:
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code)
    if len(code) == 3:
        found = pycountry.languages.get(alpha_3=code)
        return found or pycountry.languages.get(bibliographic=code)
    return None


def slugify(text: str) -> str:
    """Lower-case ASCII slug: ``"Code pénal (1992)"`` -> ``"code-penal-1992"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def check_entry_path(root: Path, raw: str) -> str:
    """Return ``raw`` as a normalised POSIX path relative to ``root``.

    Nothing is opened; symlinks are followed only to see where they point. Backslashes are
    read as folder separators, so a manifest written on Windows works.

    Raises:
        UnsafeSourceError: the path is absolute or resolves outside ``root``.
        ValueError: the path is empty.
    """
    text = raw.strip().replace("\\", "/")
    if not text:
        raise ValueError("path is empty")
    if "\x00" in text:
        raise UnsafeSourceError(f"{ESCAPE_MESSAGE} (NUL character in path)")
    windows = PureWindowsPath(raw.strip())
    if PurePosixPath(text).is_absolute() or windows.drive or windows.is_absolute():
        raise UnsafeSourceError(f"{ESCAPE_MESSAGE} (absolute path {raw!r})")
    relative = posixpath.normpath(text)
    if relative == ".." or relative.startswith("../") or relative == ".":
        raise UnsafeSourceError(f"{ESCAPE_MESSAGE} ({raw!r})")
    base = root.resolve()
    if not (base / relative).resolve().is_relative_to(base):
        raise UnsafeSourceError(f"{ESCAPE_MESSAGE} ({raw!r} resolves outside {base})")
    return relative


def resolve_entry_path(root: Path, entry: ManifestEntry) -> Path:
    """Return the absolute path of an entry's file, refusing paths that leave ``root``.

    Open source files only through this function.

    Raises:
        UnsafeSourceError: the entry's path escapes ``root``.
    """
    try:
        relative = check_entry_path(root, entry.path)
    except ValueError as exc:  # empty path: nothing safe to open
        raise UnsafeSourceError(str(exc)) from exc
    return root.resolve() / relative


def missing_files(root: Path, entries: Iterable[ManifestEntry]) -> list[ManifestEntry]:
    """Return the entries whose file is not a regular file under ``root``.

    An entry whose path escapes ``root`` counts as missing: it is never looked at.
    """
    missing = []
    for entry in entries:
        try:
            target = resolve_entry_path(root, entry)
        except UnsafeSourceError:
            missing.append(entry)
            continue
        if not target.is_file():
            missing.append(entry)
    return missing


def find_unlisted_files(
    root: Path,
    entries: Iterable[ManifestEntry | str],
    *,
    ignore: Collection[str] = DEFAULT_IGNORED,
) -> list[Path]:
    """Return the files under ``root`` that no entry lists, relative to ``root``, sorted.

    ``entries`` are ManifestEntry values or paths relative to ``root`` (such as
    ``ManifestReadResult.listed_paths``).

    Hidden files and folders (``.name``) are skipped, and so are the top-level names in
    ``ignore`` (the manifest itself, README.md, reference/, taxonomy/ by default). Symlinked
    folders are not followed.
    """
    base = root.resolve()
    paths = (entry if isinstance(entry, str) else entry.path for entry in entries)
    listed = {posixpath.normpath(path.replace("\\", "/")) for path in paths}
    unlisted = []
    for folder, dirnames, filenames in os.walk(base):
        top_level = Path(folder) == base
        dirnames[:] = sorted(
            name
            for name in dirnames
            if not name.startswith(".") and not (top_level and name in ignore)
        )
        for name in filenames:
            if name.startswith(".") or (top_level and name in ignore):
                continue
            relative = (Path(folder) / name).relative_to(base).as_posix()
            if relative not in listed:
                unlisted.append(Path(relative))
    return sorted(unlisted)


def read_manifest(
    path: Path, *, countries: Mapping[str, Country] | None = None
) -> ManifestReadResult:
    """Read a manifest file (.tsv, .csv or .json) and validate every record.

    Args:
        path: the manifest; entry paths are relative to its folder.
        countries: the known countries; defaults to load_countries().

    Returns:
        The valid entries and one ManifestRowError per problem found (a row with any problem
        yields no entry). Problems with the file as a whole are errors with row 0.
    """
    root = path.resolve().parent
    countries = load_countries() if countries is None else countries
    records, errors, warnings = _load_records(path)
    entries: list[ManifestEntry] = []
    listed: list[str] = []
    seen_paths: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for row, record in records:
        parser = _RowParser(root, countries)
        entry = parser.parse(record)
        row_path = str(record.get("path") or "")
        if parser.path is not None:
            listed.append(parser.path)
        if entry is not None:
            parser.check_unique(entry, row, seen_paths, seen_ids)
        errors.extend(ManifestRowError(row, problem, row_path) for problem in parser.problems)
        if entry is not None and not parser.problems:
            entries.append(entry)
    return ManifestReadResult(
        path, root, tuple(entries), tuple(errors), tuple(warnings), tuple(dict.fromkeys(listed))
    )


Records = list[tuple[int, dict[str, object]]]


def _load_records(path: Path) -> tuple[Records, list[ManifestRowError], list[str]]:
    suffix = path.suffix.lower()
    if suffix not in (".tsv", ".csv", ".json"):
        message = f"unsupported manifest type {suffix!r}: use .tsv, .csv or .json"
        return [], [ManifestRowError(0, message)], []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [ManifestRowError(0, f"cannot read manifest: {exc}")], []
    if suffix == ".json":
        records, errors = _json_records(text)
    else:
        records, errors = _delimited_records(text, "\t" if suffix == ".tsv" else ",")
    columns = {key for _, record in records for key in record}
    warnings = [f"unknown column {name!r} ignored" for name in sorted(columns - set(COLUMNS))]
    if records:
        for name in REQUIRED_COLUMNS:
            if name not in columns:
                errors.append(ManifestRowError(0, f"required column {name!r} is missing"))
    return records, errors, warnings


def _json_records(text: str) -> tuple[Records, list[ManifestRowError]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [ManifestRowError(0, f"invalid JSON: {exc}")]
    if not isinstance(data, list):
        return [], [ManifestRowError(0, "a JSON manifest must be a list of objects")]
    records: Records = []
    errors = []
    for index, item in enumerate(data, start=1):
        if isinstance(item, dict):
            records.append((index, {str(k).strip().lower(): v for k, v in item.items()}))
        else:
            errors.append(ManifestRowError(index, "each item must be an object"))
    return records, errors


def _delimited_records(text: str, delimiter: str) -> tuple[Records, list[ManifestRowError]]:
    # TSV has no quoting (fields cannot hold tabs or newlines); CSV uses standard quoting.
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    header = next(reader, None)
    if header is None:
        return [], [ManifestRowError(0, "the manifest is empty (no header row)")]
    names = [name.strip().lower() for name in header]
    records: Records = []
    errors = []
    line = reader.line_num
    for cells in reader:
        row, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(names):
            message = f"{len(cells)} cells but the header has {len(names)} columns"
            errors.append(ManifestRowError(row, message))
            continue
        records.append((row, dict(zip(names, cells, strict=False))))
    return records, errors


class _RowParser:
    """Turns one record into a ManifestEntry, collecting every problem it finds."""

    def __init__(self, root: Path, countries: Mapping[str, Country]) -> None:
        self.root = root
        self.countries = countries
        self.by_iso2 = {c.iso2: c.iso3 for c in countries.values() if c.iso2}
        self.problems: list[str] = []
        self.path: str | None = None  # the row's path once it is known to be safe

    def parse(self, record: Mapping[str, object]) -> ManifestEntry | None:
        text = {name: self._text(record, name) for name in COLUMNS if name != "partial"}
        path = self.path = self._path(text["path"])
        title = text["title"] or self._problem("title is empty")
        short_name = self._short_name(text["short_name"], path)
        entry = ManifestEntry(
            path=path or "",
            country=self._country(text["country"]),
            title=title or "",
            title_en=text["title_en"] or title or "",
            doc_type=self._choice("doc_type", text["doc_type"], DOC_TYPES, None),
            year=self._year(record.get("year")),
            language=self._language(text["language"]),
            format=self._format(text["format"], path),
            status=self._choice("status", text["status"], STATUSES, DEFAULT_STATUS),
            partial=self._partial(record.get("partial")),
            version_date=self._version_date(text["version_date"]),
            short_name=short_name,
            licence=text["licence"],
            source=text["source"],
            notes=text["notes"],
        )
        return None if self.problems else entry

    def check_unique(
        self, entry: ManifestEntry, row: int, paths: dict[str, int], ids: dict[str, int]
    ) -> None:
        if entry.path in paths:
            self._problem(f"path listed twice (first on row {paths[entry.path]})")
        if entry.document_id in ids:
            first = ids[entry.document_id]
            self._problem(f"duplicate document id {entry.document_id!r} (first on row {first})")
        paths.setdefault(entry.path, row)
        ids.setdefault(entry.document_id, row)

    def _problem(self, message: str) -> None:
        self.problems.append(message)

    def _text(self, record: Mapping[str, object], name: str) -> str:
        value = record.get(name)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            self._problem(f"{name} must be text, not {type(value).__name__}")
            return ""
        return str(value).strip()

    def _path(self, raw: str) -> str | None:
        try:
            return check_entry_path(self.root, raw)
        except (ValueError, UnsafeSourceError) as exc:
            self._problem(str(exc))
            return None

    def _country(self, raw: str) -> str:
        code = raw.upper()
        code = self.by_iso2.get(code, code) if len(code) == 2 else code
        if code not in self.countries:
            self._problem(f"unknown country code {raw!r} (expected ISO 3166-1 alpha-3, INT or EUU)")
        return code

    def _choice(self, name: str, raw: str, allowed: frozenset[str], default: str | None) -> str:
        value = raw.lower() or default
        if value not in allowed:
            shown = f"{raw!r}" if raw else "empty"
            self._problem(f"{name} is {shown}; expected one of {', '.join(sorted(allowed))}")
        return value or ""

    def _year(self, raw: object) -> int | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, int) and not isinstance(raw, bool):
            year = raw
        elif isinstance(raw, str) and raw.strip().isdigit():
            year = int(raw.strip())
        else:
            self._problem(f"year {raw!r} is not a whole number")
            return None
        if not 1000 <= year <= 2100:
            self._problem(f"year {year} is out of range")
        return year

    def _language(self, raw: str) -> str | None:
        try:
            return normalise_language(raw)
        except ValueError as exc:
            self._problem(str(exc))
            return None

    def _format(self, raw: str, path: str | None) -> str:
        if not raw and path is None:
            return ""  # the bad path is already reported
        value = raw.lower().lstrip(".") or PurePosixPath(path or "").suffix.lower().lstrip(".")
        value = FORMAT_ALIASES.get(value, value)
        if value not in FORMATS:
            expected = ", ".join(sorted(FORMATS))
            self._problem(f"format {value!r} is not supported; expected one of {expected}")
        return value

    def _partial(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        value = "" if raw is None else str(raw).strip().lower()
        if value in _TRUE or value in _FALSE:
            return value in _TRUE
        self._problem(f"partial {raw!r} is not true or false")
        return False

    def _version_date(self, raw: str) -> str | None:
        if not raw:
            return None
        try:
            if not _ISO_DATE.match(raw):
                raise ValueError
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            self._problem(f"version_date {raw!r} is not an ISO date (YYYY-MM-DD)")
            return None

    def _short_name(self, raw: str, path: str | None) -> str:
        if not raw and path is None:
            return ""  # the bad path is already reported
        value = raw or slugify(PurePosixPath(path or "").stem)
        if not _SHORT_NAME.match(value):
            self._problem(
                f"short_name {value!r} must be lower-case letters, digits and single hyphens"
            )
        return value
