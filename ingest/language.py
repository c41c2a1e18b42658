"""Language detection (langdetect, seeded so every run gives the same answer)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

DetectorFactory.seed = 0

# langdetect names a few languages differently from ISO 639-1 as we store them.
_ALIASES = {"zh-cn": "zh", "zh-tw": "zh", "no": "nb"}
# Languages langdetect confuses with a close neighbour; the manifest's language settles it.
# (The Russian Criminal Code's opening pages, mostly upper-case chapter titles, read as bg.)
_CLOSE = [
    {"sr", "hr", "bs", "mk", "bg"},
    {"ru", "bg", "uk", "be", "mk"},
    {"nb", "da", "sv", "nn"},
    {"cs", "sk"},
    {"ms", "id"},
]
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_WORDS = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# langdetect has no profile for these; when the manifest names one of them we trust it unless
# the script says otherwise.
_UNSUPPORTED = {"ka", "is", "ms", "sr", "nb", "bs", "eu", "ga", "mt", "hy", "az", "kk"}
# Scripts that identify a language by themselves (langdetect confuses short Han text with ko).
_SCRIPTS = [
    ("ka", 0.3, re.compile(r"[\u10a0-\u10ff]")),
    ("ko", 0.3, re.compile(r"[\uac00-\ud7af]")),
    ("ja", 0.05, re.compile(r"[\u3040-\u30ff]")),
    ("he", 0.3, re.compile(r"[\u0590-\u05ff]")),
    ("bn", 0.3, re.compile(r"[\u0980-\u09ff]")),
    ("el", 0.3, re.compile(r"[\u0370-\u03ff]")),
    ("zh", 0.3, re.compile(r"[\u4e00-\u9fff]")),
]
_SAMPLE_CHARS = 4000


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None
    confidence: float


def detect_language(text: str, hint: str | None = None) -> LanguageGuess:
    """Detect the language of ``text``.

    Args:
        text: the text; only its first few thousand characters are read.
        hint: the language the manifest declares, if any. It wins when the text is too short
            to judge or when the detector picks a close neighbour of it (sr/hr, nb/da, cs/sk).

    Returns:
        The ISO 639-1 code and the detector's probability (1.0 when taken from the hint).
    """
    sample = text[:_SAMPLE_CHARS]
    letters = len(_LETTERS.findall(sample))
    if letters < 20:
        return LanguageGuess(hint, 1.0 if hint else 0.0)
    by_script = _language_by_script(sample, letters)
    if by_script:
        return LanguageGuess(by_script, 1.0)
    if hint in _UNSUPPORTED:
        return LanguageGuess(hint, 1.0)
    if hint and _mostly_short_tokens(sample, letters):
        # amendment tables ("s 3 | am No 8, 2010; No 130, 2017") read as Portuguese
        return LanguageGuess(hint, 1.0)
    if _mostly_upper_case(sample):
        # langdetect's profiles are of running text: "DADA EN LA SALA DE SESIONES" reads as pt
        sample = sample.lower()
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return LanguageGuess(hint, 1.0 if hint else 0.0)
    code = _ALIASES.get(best.lang, best.lang)
    if code == "af" and hint != "af":
        # Dutch treaty text ("Dit Verdrag treedt in werking") often scores as Afrikaans
        code = "nl"
    if hint and code != hint and any({code, hint} <= group for group in _CLOSE):
        return LanguageGuess(hint, best.prob)
    return LanguageGuess(code, round(best.prob, 3))


def _mostly_short_tokens(sample: str, letters: int) -> bool:
    """Fewer than half the letters are in words of three letters or more."""
    in_words = sum(len(w) for w in _WORDS.findall(sample))
    return in_words < letters / 2


def _mostly_upper_case(sample: str) -> bool:
    cased = [c for c in sample if c.isupper() or c.islower()]
    return len(cased) > 20 and sum(c.isupper() for c in cased) > len(cased) / 2


def _language_by_script(sample: str, letters: int) -> str | None:
    for code, share, pattern in _SCRIPTS:
        # Han characters also appear in Japanese and Korean text: those scripts come first, and
        # a little kana is enough to tell Japanese from Chinese.
        if len(pattern.findall(sample)) > share * letters:
            return code
    return None
