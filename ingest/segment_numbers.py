"""Numbers of the segmenter: sort keys (is 260ter after 260bis?), Roman numerals, and the
ordinal words that number containers ("Erster Abschnitt", "ČÁST PRVNÍ", "Titre Ier", "Α΄")."""

from __future__ import annotations

import re
import unicodedata

from ingest.numbering import cjk_to_int, normalise_number

# Latin ordinal suffixes of inserted provisions (260ter, 3 bis, 270-quinquies) in order.
LATIN_SUFFIXES = [
    "bis",
    "ter",
    "quater",
    "quinquies",
    "sexies",
    "septies",
    "octies",
    "novies",
    "decies",
    "undecies",
    "duodecies",
    "terdecies",
    "quaterdecies",
    "quinquiesdecies",
    "sexiesdecies",
    "septiesdecies",
]
_ORDINALS = {
    # English, French, German, Spanish/Catalan/Portuguese/Italian, Dutch, Czech/Slovak, Greek
    1: "first premier première premiere 1er erster erstes erste primero primera primer"
    " primera primo prima eerste první prvá prvý πρώτο πρώτη",
    2: "second seconde deuxième deuxieme zweiter zweites zweite segundo segunda segon segona"
    " secondo seconda tweede druhá druhý δεύτερο δεύτερη",
    3: "third troisième troisieme dritter drittes dritte tercero tercera tercer tercera terzo"
    " terza derde třetí tretia tretí τρίτο τρίτη",
    4: "fourth quatrième quatrieme vierter viertes vierte cuarto cuarta quart quarta quarto"
    " vierde čtvrtá štvrtá čtvrtý štvrtý τέταρτο τέταρτη",
    5: "fifth cinquième cinquieme fünfter fünftes fünfte quinto quinta cinquè cinquena"
    " vijfde pátá piata pátý piaty πέμπτο πέμπτη",
    6: "sixth sixième sixieme sechster sechstes sechste sexto sexta sisè sesto sesta zesde"
    " šestá šiesta šiesty έκτο έκτη",
    7: "seventh septième septieme siebter siebtes siebte séptimo séptima setè settimo"
    " zevende sedmá siedma έβδομο έβδομη",
    8: "eighth huitième huitieme achter achtes achte octavo octava vuitè ottavo achtste"
    " osmá ôsma όγδοο όγδοη",
    9: "ninth neuvième neuvieme neunter neuntes neunte noveno novena novè nono negende"
    " devátá deviata ένατο ένατη",
    10: "tenth dixième dixieme zehnter zehntes zehnte décimo décima desè decimo tiende"
    " desátá desiata δέκατο δέκατη",
}
_ORDINALS |= {
    11: "eleventh onzième elfter elftes elfte undécimo jedenáctá jedenásta jedenásty",
    12: "twelfth douzième zwölfter zwölftes zwölfte duodécimo dvanáctá dvanásta dvanásty",
    13: "thirteenth treizième trinástá třináctá trinásta",
    14: "fourteenth quatorzième štrnásta čtrnáctá",
}
ORDINAL_WORDS = {w: n for n, words in _ORDINALS.items() for w in words.split()}
# Cardinals number containers too: "Chapter Three", "Section Two" (English translations of
# Arabic laws), "PART ONE".
_CARDINALS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen twenty"
)
ORDINAL_WORDS |= {w: n for n, w in enumerate(_CARDINALS.split(), start=1)}
# Capitals drop Greek accents: "ΜΕΡΟΣ ΠΡΩΤΟ" is "Μέρος πρώτο".
_PLAIN_ORDINALS = {
    "".join(c for c in unicodedata.normalize("NFD", w) if not unicodedata.combining(c)): n
    for w, n in ORDINAL_WORDS.items()
}


def ordinal_value(word: str) -> int | None:
    """The value of an ordinal (or cardinal) word in any case, accents optional."""
    lower = word.lower()
    if lower in ORDINAL_WORDS:
        return ORDINAL_WORDS[lower]
    plain = "".join(c for c in unicodedata.normalize("NFD", lower) if not unicodedata.combining(c))
    return _PLAIN_ORDINALS.get(plain)


# "Allgemeiner Teil", "VŠEOBECNÁ ČASŤ": the general and special parts of criminal codes.
GENERAL_SPECIAL = {
    "allgemeiner": "general", "besonderer": "special", "všeobecná": "general",
    "osobitná": "special", "obecná": "general", "zvláštní": "special",
}  # fmt: skip
# German ordinals beyond ten are compounds: "Dreizehnter", "Zwanzigster", "Siebenundzwanzigster".
_DE_UNITS = {
    "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
    "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "zehn": 10,
}  # fmt: skip
_DE_TENS = {"zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50}
_GREEK_NUMERALS = {"Α": 1, "Β": 2, "Γ": 3, "Δ": 4, "Ε": 5, "ΣΤ": 6, "Ζ": 7, "Η": 8, "Θ": 9}
_GREEK_TENS = {"Ι": 10, "Κ": 20, "Λ": 30}


def number_key(number: str | None) -> tuple[int, ...] | None:
    """Sort key of a normalised number: ``421-2-2`` -> (421, 2, 2), ``260ter`` -> (260, 3)."""
    if not number:
        return None
    if re.fullmatch(r"[ivxlcdm]+", number):
        value = roman_to_int(number)
        return (value,) if value else None
    parts: list[int] = []
    for token in re.findall(r"\d+|[^\W\d_]+", number):
        if token.isdigit():
            parts.append(int(token))
        elif token in LATIN_SUFFIXES or token in ("quinques", "nonies"):
            alias = {"quinques": "quinquies", "nonies": "novies"}.get(token, token)
            parts.append(LATIN_SUFFIXES.index(alias) + 2)
        elif token.startswith("z") and len(token) > 1:  # UK "21ZA" sorts before "21A"
            parts += [0, *_letter_ranks(token[1:])]
        elif len(token) <= 3:
            parts += _letter_ranks(token)  # "38l" < "38la" < "38lb" < "38m"
        else:
            return None
    return tuple(parts) if parts and number[0].isdigit() else None


def _letter_ranks(token: str) -> list[int]:
    greek = "αβγδεζηθικλμ"
    return [
        max(greek.find(char) + 1 if char in greek else ord(char) - ord("a") + 1, 0)
        for char in token
    ]


def roman_to_int(text: str) -> int | None:
    """Read a Roman numeral (case-insensitive); None when it is not one."""
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    text = text.lower()
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for i, char in enumerate(text):
        value = values[char]
        total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
    return total


def container_number(token: str | None) -> str | None:
    """Normalise a container's number: "II" -> "II", "Ier" -> "1", "PRVNÍ" -> "1", "24." -> "24"."""
    if not token:
        return None
    token = re.sub(r"(?<=\d)\.?[ºª°]$", "", token.strip()).rstrip(".:")
    token = re.sub(r"(?<=[Α-Ω])\s?[΄'’\u0301\u00b4ʹ]$", "", token)  # "Γ΄", "Γ ́" (Greek numerals)
    lower = token.lower().rstrip("΄'’")
    if lower in GENERAL_SPECIAL:
        return GENERAL_SPECIAL[lower]
    if ordinal_value(lower):
        return str(ordinal_value(lower))
    if re.fullmatch(r"(?:[ivxlcdm]+)(?:er|re)?", lower) and roman_to_int(lower.rstrip("er")):
        return token.upper().removesuffix("ER").removesuffix("RE")
    german = german_ordinal(lower)
    if german:
        return str(german)
    greek = _greek_numeral(token.rstrip("΄'’"))
    if greek:
        return str(greek)
    if re.search(r"[〇零一二两三四五六七八九十百千]", token):
        return str(cjk_to_int(re.sub(r"[第\s]", "", token)))
    return normalise_number(token) or None


def german_ordinal(word: str) -> int | None:
    stem = re.sub(r"(?:ster|stes|ste|ter|tes|te|er|es|e)$", "", word)
    if stem in ("ers", "erst"):
        return 1
    total = 0
    if "und" in stem:
        unit, _, tens = stem.partition("und")
        if unit not in _DE_UNITS or tens not in _DE_TENS:
            return None
        return _DE_UNITS[unit] + _DE_TENS[tens]
    for table in (_DE_UNITS, _DE_TENS):
        if stem in table:
            total = table[stem]
    return total or None


def _greek_numeral(token: str) -> int | None:
    if not re.fullmatch(r"[Α-Ω]{1,3}", token):
        return None
    if token in _GREEK_NUMERALS:
        return _GREEK_NUMERALS[token]
    head, tail = token[0], token[1:]
    if head in _GREEK_TENS and (not tail or tail in _GREEK_NUMERALS):
        return _GREEK_TENS[head] + (_GREEK_NUMERALS.get(tail, 0))
    return None
