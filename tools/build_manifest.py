# ruff: noqa: E501  (the CURATION table keeps one source file per line, for review and diffs)
"""Regenerate corpus/manifest.tsv from corpus/SOURCES-MANIFEST.tsv and the curation below.

Run from the repository root:  ``.venv/bin/python -m tools.build_manifest``

SOURCES-MANIFEST.tsv records where each file of corpus/raw came from (title, language, licence,
source repository, path and commit, notes on status and quality). The table CURATION adds what a
reader of those notes has to decide per file: document type, status, whether the file holds only
part of the act, the version date, and the short name used in the document id. The reasons for
the status decisions are in corpus/README.md ("Status decisions"). The script refuses to write
a manifest that does not read back without errors.
"""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import quote

from ingest.manifest import COLUMNS, find_unlisted_files, missing_files, read_manifest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SOURCES = CORPUS / "SOURCES-MANIFEST.tsv"
OUTPUT = CORPUS / "manifest.tsv"
README = CORPUS / "README.md"
TABLE_START = "<!-- BEGIN PROVENANCE TABLE"
TABLE_END = "<!-- END PROVENANCE TABLE -->"

COUNTRY_FIXES = {"EU": "EUU", "EUR": "EUU"}
LANGUAGE_FIXES = {"sr-Cyrl": "sr"}
BILINGUAL_NOTE = (
    "bilingual file: authentic English text first, then the Dutch translation (nl); "
    "language column = the first language"
)
CANADA_NOTE = (
    "status unofficial: the Reproduction of Federal Law Order requires reproductions of "
    "Justice Canada data to be marked as not the official version"
)
ALTERED_NOTE = "status unofficial: the notes report words altered, lost or duplicated in the text"

# path (relative to corpus/raw) -> (doc_type, status, partial, version_date, short_name, note)
CURATION: dict[str, tuple[str, str, bool, str, str, str]] = {
    "are/are-federal-law-7-2014-combating-terrorism-crimes-ar.pdf": ("law", "official", False, "", "combating-terrorism-crimes", ""),
    "are/are-federal-law-7-2014-combating-terrorism-crimes-en.pdf": ("law", "official_translation", False, "", "combating-terrorism-crimes-en", ""),
    "jpn/jpn-act-67-2002-punishment-financing-public-intimidation-ja.pdf": ("act", "official", False, "2025-06-01", "financing-public-intimidation-act", ""),
    "jpn/jpn-act-124-2014-international-terrorist-asset-freezing-ja.pdf": ("act", "official", False, "2025-06-01", "international-terrorist-asset-freezing-act", ""),
    "sgp/sgp-terrorism-suppression-of-financing-act-2002.pdf": ("act", "official", False, "", "terrorism-suppression-of-financing-act", ""),
    "sgp/sgp-un-anti-terrorism-measures-regulations.pdf": ("regulation", "official", False, "", "un-anti-terrorism-measures-regulations", ""),
    "hkg/hkg-cap575-un-anti-terrorism-measures-ordinance.pdf": ("ordinance", "official", False, "2019-06-20", "un-anti-terrorism-measures-ordinance", "language en: Chinese appears only in defined terms"),
    "che/che-strafgesetzbuch-sr311.0-de.pdf": ("code", "official", False, "2026-10-01", "stgb", ""),
    "usa/usc-18-2339A-2024.pdf": ("code", "official", True, "", "usc-18-2339a", "one section of the United States Code (partial); 2024 edition"),
    "usa/usc-18-2339B-2024.pdf": ("code", "official", True, "", "usc-18-2339b", "one section of the United States Code (partial); 2024 edition"),
    "usa/usc-18-2339C-2024.pdf": ("code", "official", True, "", "usc-18-2339c", "one section of the United States Code (partial); 2024 edition"),
    "intl/un-1999-convention-suppression-financing-terrorism-en.html": ("convention", "official", False, "", "terrorist-financing-convention", ""),
    "intl/unscr-1373-2001-en.pdf": ("resolution", "official", False, "", "unscr-1373", ""),
    "gbr/gbr-terrorism-act-2000-revised-text.txt": ("act", "official", False, "2026-07-03", "terrorism-act", "version_date = date the revised PDF was generated"),
    "can/can-anti-terrorism-act-sc2001-c41-en.xml": ("act", "unofficial", False, "", "anti-terrorism-act", CANADA_NOTE),
    "can/can-loi-antiterroriste-lc2001-c41-fr.xml": ("act", "unofficial", False, "", "loi-antiterroriste", CANADA_NOTE),
    "deu/deu-strafgesetzbuch-stgb.md": ("code", "official", False, "", "stgb", ""),
    "nld/nld-wetboek-van-strafrecht-BWBR0001854.md": ("code", "official", False, "", "wetboek-van-strafrecht", ""),
    "nld/nld-besluit-opsporing-terroristische-misdrijven-BWBR0020861.md": ("decree", "official", False, "", "besluit-opsporing-terroristische-misdrijven", ""),
    "nld/nld-besluit-melding-transacties-financiering-terrorisme-BWBR0014119.md": ("decree", "official", False, "", "besluit-melding-transacties-financiering-terrorisme", ""),
    "intl/un-1999-financing-terrorism-convention-en-nl-BWBV0001518.md": ("convention", "official", False, "", "terrorist-financing-convention-en-nl", BILINGUAL_NOTE),
    "intl/un-1997-terrorist-bombings-convention-en-nl-BWBV0001520.md": ("convention", "official", False, "", "terrorist-bombings-convention", BILINGUAL_NOTE),
    "intl/un-2005-nuclear-terrorism-convention-en-nl-BWBV0004602.md": ("convention", "official", False, "", "nuclear-terrorism-convention", BILINGUAL_NOTE),
    "intl/un-1979-hostages-convention-en-nl-BWBV0003905.md": ("convention", "official", False, "", "hostages-convention", BILINGUAL_NOTE),
    "intl/iaea-1980-physical-protection-nuclear-material-en-nl-BWBV0003800.md": ("convention", "official", False, "", "physical-protection-nuclear-material-convention", BILINGUAL_NOTE),
    "intl/un-1973-internationally-protected-persons-convention-en-nl-BWBV0003903.md": ("convention", "official", False, "", "internationally-protected-persons-convention", BILINGUAL_NOTE),
    "intl/icao-1991-plastic-explosives-convention-en-nl-BWBV0003003.md": ("convention", "official", False, "", "plastic-explosives-convention", BILINGUAL_NOTE),
    "intl/coe-2005-prevention-of-terrorism-convention-en-nl-BWBV0004604.md": ("convention", "official", False, "", "coe-prevention-of-terrorism-convention", BILINGUAL_NOTE),
    "chn/chn-counter-terrorism-law-2015-rev2018-zh.md": ("law", "official", False, "2018-04-27", "counter-terrorism-law", ""),
    "chn/chn-criminal-law-zh.md": ("code", "official", False, "", "criminal-law", ""),
    "rus/rus-criminal-code-ugolovnyi-kodeks-102041891.html": ("code", "official", False, "2023-08-04", "ugolovnyi-kodeks", ""),
    "lka/lka-suppression-of-terrorist-bombings-act-11-1999.pdf": ("act", "official", False, "", "suppression-of-terrorist-bombings-act", ""),
    "lka/lka-suppression-unlawful-acts-maritime-navigation-act-42-2000.pdf": ("act", "official", False, "", "suppression-unlawful-acts-maritime-navigation-act", ""),
    "lka/lka-convention-suppression-terrorist-financing-amendment-act-41-2011.pdf": ("act", "official", False, "", "terrorist-financing-convention-amendment-act", ""),
    "lka/lka-prevention-of-terrorism-temporary-provisions-amendment-act-12-2022.pdf": ("act", "official", False, "", "prevention-of-terrorism-amendment-act", ""),
    "fra/fra-code-penal-LEGITEXT000006070719.md": ("code", "official", False, "2026-04-02", "code-penal", ""),
    "est/est-karistusseadustik-184411.md": ("code", "official", False, "2026-01-01", "karistusseadustik", ""),
    "est/est-rahapesu-ja-terrorismi-rahastamise-tokestamise-seadus-121062024052.md": ("act", "official", False, "2026-07-01", "rahapesu-ja-terrorismi-rahastamise-tokestamise-seadus", ""),
    "esp/esp-lo-2-2015-codigo-penal-delitos-terrorismo-BOE-A-2015-3440-excerpt.md": ("law", "extract", True, "2015-03-30", "lo-2-2015-delitos-de-terrorismo", "version_date = date of the law (text as published)"),
    "mys/mys-prevention-of-terrorism-bill-2015-DR10-en.md": ("bill", "bill", False, "", "prevention-of-terrorism-bill", ""),
    "mys/mys-rang-undang-undang-pencegahan-keganasan-2015-DR10-ms.md": ("bill", "bill", False, "", "rang-undang-undang-pencegahan-keganasan", ""),
    "mys/mys-special-measures-against-terrorism-in-foreign-countries-bill-2015-DR6-en.md": ("bill", "bill", False, "", "special-measures-against-terrorism-in-foreign-countries-bill", ""),
    "twn/twn-counter-terrorism-financing-act-I0030047-zh.json": ("act", "official", False, "2018-11-07", "counter-terrorism-financing-act", ""),
    "twn/twn-counter-terrorism-financing-act-I0030047-en.json": ("act", "official_translation", False, "2018-11-07", "counter-terrorism-financing-act-en", ""),
    "can/can-nuclear-terrorism-act-sc2013-c13-en.xml": ("act", "unofficial", False, "", "nuclear-terrorism-act", CANADA_NOTE),
    "can/can-loi-sur-le-terrorisme-nucleaire-lc2013-c13-fr.xml": ("act", "unofficial", False, "", "loi-sur-le-terrorisme-nucleaire", CANADA_NOTE),
    "can/can-combating-terrorism-act-sc2013-c9-en.xml": ("act", "unofficial", False, "", "combating-terrorism-act", CANADA_NOTE),
    "can/can-anti-terrorism-act-2015-sc2015-c20-en.xml": ("act", "unofficial", False, "", "anti-terrorism-act", CANADA_NOTE),
    "can/can-regulations-establishing-list-of-entities-SOR-2002-284-en.xml": ("regulation", "unofficial", False, "", "regulations-establishing-list-of-entities", CANADA_NOTE),
    "can/can-regs-implementing-un-resolutions-suppression-terrorism-SOR-2001-360-en.xml": ("regulation", "unofficial", False, "", "un-resolutions-suppression-of-terrorism-regulations", CANADA_NOTE),
    "chl/chl-ley-21732-conductas-terroristas-2025.md": ("law", "unofficial", False, "", "ley-21732-conductas-terroristas", "status unofficial: third-party transcription, to be verified against bcn.cl"),
    "ind/ind-bharatiya-nyaya-sanhita-2023-section-113-terrorist-act.md": ("code", "extract", True, "", "bharatiya-nyaya-sanhita-s113", ""),
    "pol/pol-ustawa-o-dzialaniach-antyterrorystycznych-2016-DU-2016-904-excerpt.md": ("act", "extract", True, "2016-06-10", "ustawa-o-dzialaniach-antyterrorystycznych", "version_date = date of the act (text as enacted)"),
    "brb/brb-anti-terrorism-amendment-act-2019.pdf": ("bill", "bill", False, "2019-06-04", "anti-terrorism-amendment-bill", "status bill: the file is the bill text as passed (it opens 'This Bill would amend'), not the gazetted Act"),
    "brb/brb-anti-terrorism-amendment-bill-2015.pdf": ("bill", "bill", False, "2015-10-21", "anti-terrorism-amendment-bill", ""),
    "aus/aus-charter-of-the-united-nations-act-1945-comp15.docx": ("act", "official", False, "2021-09-14", "charter-of-the-united-nations-act", ""),
    "aus/aus-aml-ctf-act-2006-comp-2026-07-01.docx": ("act", "official", False, "2026-07-01", "aml-ctf-act", ""),
    "ita/ita-codice-penale-artt-270bis-280bis-excerpt.md": ("code", "extract", True, "", "codice-penale-artt-270bis-280bis", "also an unofficial (Altalex-derived) and outdated transcription"),
    "kor/kor-terror-prevention-act-enforcement-decree-excerpt.md": ("decree", "extract", True, "2026-09-29", "terror-prevention-act-enforcement-decree", ""),
    "intl/eu-directive-2015-849-aml-cft-consolidated-2024-12-30-en.pdf": ("directive", "unofficial", False, "2024-12-30", "aml-directive-2015-849", "country EUU (source row: EUR); status unofficial: EUR-Lex consolidated text, not the Official Journal"),
    "zwe/zwe-suppression-of-foreign-and-international-terrorism-act-ch11-21-2007.json": ("act", "official", False, "2016-12-31", "suppression-of-foreign-and-international-terrorism-act", ""),
    "zwe/zwe-criminal-law-codification-and-reform-act-ch9-23.json": ("code", "official", False, "2022-03-11", "criminal-law-codification-and-reform-act", ""),
    "pak/pak-anti-terrorism-act-1997-xxvii.json": ("act", "official", False, "", "anti-terrorism-act", ""),
    "pak/pak-national-counter-terrorism-authority-act-2013.json": ("act", "official", False, "", "national-counter-terrorism-authority-act", ""),
    "tur/tur-terorle-mucadele-kanunu-3713.json": ("law", "unofficial", False, "", "terorle-mucadele-kanunu", ALTERED_NOTE + " (merged words)"),
    "tur/tur-terorizmin-finansmaninin-onlenmesi-hakkinda-kanun-6415.json": ("law", "official", False, "", "terorizmin-finansmaninin-onlenmesi-kanunu", ""),
    "egy/egy-law-149-2021-amending-anti-terrorism-law-94-2015-ar.json": ("law", "unofficial", True, "2021-11-11", "law-149-2021-amending-anti-terrorism-law", ALTERED_NOTE + " (OCR); partial: text truncated in source; version_date = gazette date"),
    "ury/ury-ley-19749-financiamiento-del-terrorismo-2019.md": ("law", "official", False, "", "ley-19749-financiamiento-del-terrorismo", ""),
    "per/per-decreto-ley-25475-1992-delitos-de-terrorismo.md": ("decree", "official", False, "", "decreto-ley-25475", ""),
    "gha/gha-anti-terrorism-act-2008-act-762.json": ("act", "unofficial", False, "", "anti-terrorism-act", ALTERED_NOTE + " (duplicated list items and sentences)"),
    "ukr/ukr-zakon-pro-borotbu-z-teroryzmom-638-IV-2003.json": ("law", "official", False, "", "pro-borotbu-z-teroryzmom", ""),
    "ukr/ukr-zakon-361-IX-2019-aml-cft.json": ("law", "official", False, "", "aml-cft-law-361-ix", ""),
    "bgd/bgd-sontras-birodhi-ain-2009-anti-terrorism-act-bn.json": ("act", "official", False, "", "anti-terrorism-act", ""),
    "bgd/bgd-sontras-birodhi-songshodhon-odhyadesh-2025-bn.json": ("ordinance", "official", False, "", "anti-terrorism-amendment-ordinance", ""),
    "col/col-ley-1121-2006-financiacion-del-terrorismo-arts16-28-excerpt.md": ("law", "extract", True, "", "ley-1121-financiacion-del-terrorismo", ""),
    "arg/arg-ley-26734-2011-codigo-penal-terrorismo.md": ("law", "official", False, "", "ley-26734-codigo-penal-terrorismo", ""),
    "geo/geo-law-on-combating-terrorism-2007-matsne-21796-ka.json": ("law", "official", False, "", "law-on-combating-terrorism", ""),
    "geo/geo-criminal-code-1999-matsne-16426-ka.json": ("code", "official", False, "", "criminal-code", ""),
    "mar/mar-loi-03-03-lutte-contre-le-terrorisme-2003-ar.json": ("law", "unofficial", False, "", "loi-03-03-lutte-contre-le-terrorisme", ALTERED_NOTE + " (PDF extraction: letters and digits displaced)"),
    "mar/mar-code-penal-dahir-1-59-413-ar.json": ("code", "unofficial", False, "", "code-penal", ALTERED_NOTE + " (PDF extraction: letters and digits displaced)"),
    "nam/nam-prevention-combating-terrorist-proliferation-activities-act-4-2014.json": ("act", "official", False, "2023-07-25", "prevention-combating-terrorist-proliferation-activities-act", ""),
    "srb/srb-krivicni-zakonik-2005-sr.json": ("code", "unofficial", True, "", "krivicni-zakonik", "language sr (source: sr-Cyrl, Cyrillic script); " + ALTERED_NOTE + " (paragraphs missing); partial"),
    "srb/srb-zakon-o-ogranicavanju-raspolaganja-imovinom-terorizam-2015-sr.json": ("law", "unofficial", True, "", "zakon-o-ogranicavanju-raspolaganja-imovinom", "language sr (source: sr-Cyrl, Cyrillic script); " + ALTERED_NOTE + " (paragraphs missing); partial"),
    "nor/nor-straffeloven-LOV-2005-05-20-28-nb.json": ("code", "official", False, "", "straffeloven", ""),
    "swe/swe-lag-2003-148-om-straff-for-terroristbrott-repealed.json": ("act", "official", False, "", "lag-om-straff-for-terroristbrott", ""),
    "swe/swe-lag-2010-299-offentlig-uppmaning-rekrytering-utbildning-terroristbrott-repealed.json": ("act", "official", False, "", "lag-om-offentlig-uppmaning-rekrytering-och-utbildning", ""),
    "fin/fin-laki-1370-2007-rikoslain-34a-luvun-muuttamisesta-fi.xml": ("act", "official", False, "", "laki-rikoslain-34a-luvun-muuttamisesta", ""),
    "fin/fin-lag-1370-2007-andring-34a-kap-strafflagen-sv.xml": ("act", "official", False, "", "lag-om-andring-av-34a-kap-strafflagen", ""),
    "isl/isl-almenn-hegningarlog-19-1940-is.json": ("code", "official", False, "", "almenn-hegningarlog", ""),
    "isl/isl-log-140-2018-peningathvaetti-fjarmognun-hrydjuverka-is.json": ("act", "official", False, "", "log-um-peningathvaetti-og-fjarmognun-hrydjuverka", ""),
    "cze/cze-zakon-40-2009-trestni-zakonik.md": ("code", "official", False, "2026-01-01", "trestni-zakonik", ""),
    "cze/cze-zakon-253-2008-legalizace-vynosu-financovani-terorismu.md": ("act", "official", False, "2026-01-11", "zakon-253-2008-legalizace-vynosu-financovani-terorismu", ""),
    "lva/lva-kriminallikums-ix1-nodala-terorisms-arts-79-1-79-6-excerpt.md": ("code", "extract", True, "", "kriminallikums-ix1-nodala", ""),
    "uga/uga-anti-terrorism-act-2002-act-14.json": ("act", "official", False, "2024-12-23", "anti-terrorism-act", ""),
    "zmb/zmb-anti-terrorism-and-non-proliferation-act-2018-act-6.json": ("act", "official", False, "2024-12-26", "anti-terrorism-and-non-proliferation-act", ""),
    "hun/hun-btk-2012-evi-c-torveny-buntetokonyv-hu.json": ("code", "official", False, "", "btk", ""),
    "hun/hun-2017-evi-liii-torveny-penzmosas-terrorizmus-finanszirozasa-hu.json": ("act", "official", False, "", "penzmosas-es-terrorizmus-finanszirozasa-torveny", ""),
    "ltu/ltu-baudziamasis-kodeksas-viii-1968-lt.json": ("code", "official", False, "", "baudziamasis-kodeksas", ""),
    "ltu/ltu-pinigu-plovimo-ir-teroristu-finansavimo-prevencijos-istatymas-viii-275-lt.json": ("law", "official", False, "", "pinigu-plovimo-ir-teroristu-finansavimo-prevencijos-istatymas", ""),
    "rou/rou-legea-535-2004-prevenirea-combaterea-terorismului-ro.json": ("law", "official", False, "", "legea-535-2004-terorism", ""),
    "rou/rou-legea-129-2019-spalarea-banilor-finantarea-terorismului-ro.json": ("law", "official", False, "", "legea-129-2019-spalarea-banilor", ""),
    "pry/pry-ley-4024-2010-hechos-punibles-de-terrorismo-es.json": ("law", "official", False, "", "ley-4024-terrorismo", ""),
    "pry/pry-ley-6408-2019-modifica-art3-ley-4024-financiamiento-terrorismo-es.json": ("law", "official", False, "", "ley-6408-modifica-ley-4024", ""),
    "pry/pry-ley-6419-2019-inmovilizacion-activos-terrorismo-es.json": ("law", "official", False, "", "ley-6419-inmovilizacion-de-activos", ""),
    "bgr/bgr-zakon-za-protivodeistvie-na-terorizma-2016-bg.json": ("act", "official", False, "", "zakon-za-protivodeistvie-na-terorizma", ""),
    "cyp/cyp-nomos-75-I-2019-katapolemisi-tromokratias-prostasia-thymaton-el.json": ("law", "official", False, "", "law-75-i-2019-combating-terrorism", ""),
    "khm/khm-law-on-anti-money-laundering-and-combating-financing-of-terrorism-2007-en.json": ("law", "unofficial", True, "", "aml-cft-law-en", "status unofficial: unofficial English translation (Khmer prevails); partial: art. 4 missing"),
    "svn/svn-kazenski-zakonik-kz-1-2008-sl.json": ("code", "official", False, "", "kazenski-zakonik", ""),
    "aut/aut-stgb-278b-278g-282a-terrorismus-extract-de.md": ("code", "extract", True, "", "stgb-278b-278g-282a", ""),
    "dnk/dnk-straffeloven-lbk-2025-1294-da.json": ("code", "official", False, "2025-11-07", "straffeloven", "year 1930 = the Straffeloven (lov nr. 126 af 15. april 1930); the source row's 2025 is the year of the consolidation notice LBK 1294, kept as version_date"),
    "sau/sau-nizam-mukafahat-jaraim-al-irhab-wa-tamwilih-2017-ar.json": ("law", "official", False, "", "combating-terrorism-crimes-and-financing", ""),
    "bhr/bhr-law-58-2006-protection-of-society-from-terrorist-acts-ar.json": ("law", "official", False, "", "protection-of-society-from-terrorist-acts", ""),
    "qat/qat-law-27-2019-combating-terrorism-ar.json": ("law", "official", True, "", "counter-terrorism-law", "partial: the articles of the promulgating law are not included (the attached Counter-Terrorism Law is complete)"),
    "qat/qat-law-20-2019-aml-cft-ar.json": ("law", "official", True, "", "aml-cft-law", "partial: the articles of the promulgating law are not included (the attached AML/CFT Law is complete)"),
    "tza/tza-anti-money-laundering-act-2006-cap423.json": ("act", "official", False, "2022-03-08", "anti-money-laundering-act", ""),
    "cri/cri-ley-8204-estupefacientes-legitimacion-capitales-financiamiento-terrorismo-es.json": ("law", "official", False, "2026-02-23", "ley-8204", "version_date = date the SCIJ text was generated"),
    "cri/cri-codigo-penal-ley-4573-es.json": ("code", "unofficial", True, "", "codigo-penal", "status unofficial and partial: the parser misplaced and dropped articles (arts. 80-83 and 88 absent)"),
    "gtm/gtm-codigo-penal-decreto-17-73-es.json": ("code", "unofficial", False, "", "codigo-penal", "status unofficial: an older, partly consolidated text from a UN-hosted PDF, not a government publication"),
    "ecu/ecu-ley-organica-prevencion-lavado-activos-financiacion-delitos-2024-es.json": ("law", "unofficial", False, "2024-07-29", "ley-organica-prevencion-lavado-de-activos", ALTERED_NOTE + " (two-column PDF fragments, page headers inside articles); version_date = Registro Oficial date"),
    "lso/lso-prevention-and-suppression-of-terrorism-act-2018-act-3.json": ("act", "official", False, "2018-01-26", "prevention-and-suppression-of-terrorism-act", ""),
    "lso/lso-penal-code-act-2012-act-6.json": ("code", "official", False, "2012-03-09", "penal-code-act", ""),
    "lux/lux-loi-2003-08-12-n14-repression-terrorisme-financement-fr.md": ("law", "official", False, "2003-08-12", "loi-repression-du-terrorisme-et-de-son-financement", "version_date = date of the law (text as published)"),
    "lux/lux-code-penal-loi-1879-06-18-consolidated-fr.md": ("code", "official", False, "2025-12-19", "code-penal", ""),
    "lux/lux-loi-2004-11-12-n1-lutte-blanchiment-financement-terrorisme-fr.md": ("law", "official", False, "2026-07-27", "loi-lutte-contre-le-blanchiment-et-le-financement-du-terrorisme", ""),
    "lux/lux-loi-2020-12-19-a1072-mesures-restrictives-matiere-financiere-fr.md": ("law", "official", False, "2020-12-19", "loi-mesures-restrictives-en-matiere-financiere", ""),
    "lie/lie-strafgesetzbuch-stgb-lgbl-1988-037-de.md": ("code", "official", False, "2023-03-01", "stgb", ""),
    "lie/lie-sorgfaltspflichtgesetz-spg-lgbl-2009-047-de.md": ("act", "official", False, "2025-02-01", "sorgfaltspflichtgesetz", ""),
    "lie/lie-verordnung-massnahmen-terrorismus-lgbl-2020-200-de.md": ("ordinance", "official", False, "2026-03-31", "verordnung-massnahmen-terrorismus", ""),
    "grc/grc-n-4619-2019-poinikos-kodikas-fek-a-95-2019-el.md": ("code", "official", False, "2019-06-11", "poinikos-kodikas", "version_date = gazette date (text as published)"),
    "grc/grc-n-4557-2018-aml-cft-fek-a-139-2018-el.md": ("law", "official", False, "", "law-4557-2018-aml-cft", ""),
    "svk/svk-zakon-300-2005-trestny-zakon-sk.md": ("code", "official", False, "2026-07-01", "trestny-zakon", ""),
    "svk/svk-zakon-297-2008-aml-cft-sk.md": ("act", "official", False, "2026-08-17", "zakon-297-2008-aml-cft", ""),
    "and/and-llei-9-2005-codi-penal-original-ca.md": ("code", "official", False, "2005-02-21", "codi-penal", "version_date = date of the law (text as enacted)"),
    "and/and-llei-15-2008-modificacio-codi-penal-ca.md": ("law", "official", False, "2008-10-03", "llei-15-2008-modificacio-codi-penal", "version_date = date of the law (text as published)"),
    "and/and-llei-15-2017-modificacio-codi-penal-terrorisme-ca.md": ("law", "official", False, "2017-07-13", "llei-15-2017-modificacio-codi-penal", "version_date = date of the law (text as published)"),
    "and/and-llei-14-2017-blanqueig-financament-terrorisme-ca.md": ("law", "official", False, "2017-06-22", "llei-14-2017-blanqueig-i-financament-del-terrorisme", "version_date = date of the law (text as enacted)"),
    "and/and-llei-5-2022-aplicacio-sancions-internacionals-ca.md": ("law", "official", False, "2022-03-03", "llei-5-2022-sancions-internacionals", "version_date = date of the law (text as enacted)"),
    "irl/irl-criminal-justice-terrorist-offences-act-2005-consolidated-en.md": ("act", "official", True, "2026-02-24", "criminal-justice-terrorist-offences-act", "partial: the consolidated text omits the schedules (convention texts)"),
    "irl/irl-criminal-justice-terrorist-offences-amendment-act-2015-en.md": ("act", "official", False, "", "criminal-justice-terrorist-offences-amendment-act", ""),
    "irl/irl-offences-against-the-state-act-1939-consolidated-en.md": ("act", "official", False, "2025-10-01", "offences-against-the-state-act", ""),
    "irl/irl-criminal-justice-money-laundering-terrorist-financing-act-2010-consolidated-en.md": ("act", "official", False, "2025-08-01", "criminal-justice-money-laundering-terrorist-financing-act", ""),
    "bra/bra-lei-13260-2016-antiterrorismo-pt.json": ("law", "official", False, "2025-07-18", "lei-antiterrorismo", "version_date = date the planalto.gov.br text was scraped"),
    "isr/isr-counter-terrorism-law-5776-2016-akn-he.xml": ("law", "official", False, "2016-06-23", "counter-terrorism-law", ""),
    "isr/isr-prevention-of-terrorism-ordinance-33-5708-1948-akn-he.xml": ("ordinance", "official", False, "", "prevention-of-terrorism-ordinance", ""),
}  # fmt: skip

YEAR_FIXES = {"dnk/dnk-straffeloven-lbk-2025-1294-da.json": "1930"}


def build_row(source: dict[str, str]) -> dict[str, str]:
    """Combine one SOURCES-MANIFEST row with its curation into a manifest row."""
    raw_path = source["path"]
    doc_type, status, partial, version_date, short_name, note = CURATION[raw_path]
    notes = "; ".join(part for part in (source["notes"], f"ctlex: {note}" if note else "") if part)
    url = f"https://github.com/{source['source_repo']}/blob/{source['source_commit']}/"
    return {
        "path": f"raw/{raw_path}",
        "country": COUNTRY_FIXES.get(source["country_iso3"], source["country_iso3"]),
        "title": source["title"],
        "title_en": source["title_en"],
        "doc_type": doc_type,
        "year": YEAR_FIXES.get(raw_path, source["year"]),
        "language": LANGUAGE_FIXES.get(source["language"], source["language"]),
        "format": source["format"],
        "status": status,
        "partial": "true" if partial else "false",
        "version_date": version_date,
        "short_name": short_name,
        "licence": source["licence_or_status"],
        "source": url + source["source_path"],
        "notes": notes,
    }


def main() -> None:
    with SOURCES.open(encoding="utf-8", newline="") as handle:
        sources = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    unknown = {row["path"] for row in sources} ^ set(CURATION)
    if unknown:
        raise SystemExit(f"SOURCES-MANIFEST and CURATION disagree on: {sorted(unknown)}")
    rows = sorted((build_row(row) for row in sources), key=lambda row: row["path"])
    for row in rows:
        for name, value in row.items():
            if any(char in value for char in "\t\r\n"):
                raise SystemExit(f"{row['path']}: {name} holds a tab or newline")
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=COLUMNS,
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
            quotechar=None,
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
    check(OUTPUT)
    write_provenance_table(rows)
    print(f"wrote {len(rows)} rows to {OUTPUT} and the provenance table of {README}")


def write_provenance_table(rows: list[dict[str, str]]) -> None:
    """Replace the table between the markers of corpus/README.md with one row per file."""
    text = README.read_text(encoding="utf-8")
    start = text.index("\n", text.index(TABLE_START)) + 1
    end = text.index(TABLE_END)
    lines = [
        "| Path | Country | Title | Source | Licence | Status |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        url = row["source"]
        repo, rest = url.removeprefix("https://github.com/").split("/blob/", 1)
        commit = rest.split("/", 1)[0]
        status = row["status"] + (" (partial)" if row["partial"] == "true" else "")
        cells = (
            f"`{row['path']}`",
            row["country"],
            row["title"],
            f"[{repo}@{commit[:7]}]({quote(url, safe=':/@')})",
            row["licence"],
            status,
        )
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    README.write_text(text[:start] + "\n".join(lines) + "\n" + text[end:], encoding="utf-8")


def check(path: Path) -> None:
    """Read the written manifest back; stop on any error, missing or unlisted file."""
    result = read_manifest(path)
    problems = [str(error) for error in result.errors]
    problems += [f"missing file: {e.path}" for e in missing_files(result.root, result.entries)]
    problems += [f"unlisted file: {p}" for p in find_unlisted_files(result.root, result.entries)]
    if problems:
        raise SystemExit("manifest check failed:\n" + "\n".join(problems))


if __name__ == "__main__":
    main()
