"""Penalty extraction: table-driven forms for every corpus language, and accuracy on the
hand-labelled sample (tests/data/labelled_penalties.jsonl)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ingest.penalties import Penalty, extract_penalty, supported_languages

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.penalty_quality import format_table, is_correct, load_cases, score  # noqa: E402

CORPUS_LANGUAGES = [
    "en",
    "es",
    "ar",
    "fr",
    "ca",
    "de",
    "el",
    "sv",
    "zh",
    "nl",
    "ja",
    "et",
    "tr",
    "uk",
    "bn",
    "ka",
    "sr",
    "is",
    "cs",
    "hu",
    "lt",
    "ro",
    "sk",
    "ru",
    "pl",
    "it",
    "ko",
    "ms",
    "nb",
    "da",
    "fi",
    "lv",
    "bg",
    "sl",
    "he",
    "pt",
]
M = 1 / 12

# (language, text, (min_years, max_years, life, death, fine)); None = no penalty stated
CASES = [
    # English
    (
        "en",
        "He is liable on conviction on indictment to imprisonment for a term not exceeding "
        "14 years, to a fine or to both.",
        (None, 14, False, False, True),
    ),
    (
        "en",
        "A person who commits an offence under this section is liable to imprisonment for life.",
        (None, None, True, False, False),
    ),
    (
        "en",
        "is liable, on conviction, to imprisonment for a term of not less than fifteen years but "
        "not exceeding twenty-five years.",
        (15, 25, False, False, False),
    ),
    (
        "en",
        "shall be fined under this title, imprisoned not more than 15 years, or both, and, if the "
        "death of any person results, shall be imprisoned for any term of years or for life.",
        (None, 15, True, False, True),
    ),
    (
        "en",
        "commits an offence and shall, on conviction, be liable to a sentence of death.",
        (None, None, False, True, False),
    ),
    (
        "en",
        "is liable on summary conviction to a fine not exceeding €5,000 or imprisonment for a "
        "term not exceeding 12 months (or both).",
        (None, 1, False, False, True),
    ),
    (
        "en",
        "“serious offence” means an offence punishable by imprisonment for a term of 4 years or "
        "more.",
        None,
    ),
    ("en", "The Minister may by regulations prescribe the form of the notice.", None),
    # French
    (
        "fr",
        "Le fait de diriger un groupe terroriste est puni de dix ans d'emprisonnement et de "
        "225 000 euros d'amende.",
        (None, 10, False, False, True),
    ),
    (
        "fr",
        "Le meurtre commis en bande organisée est puni de la réclusion criminelle à perpétuité.",
        (None, None, True, False, False),
    ),
    (
        "fr",
        "Sera puni d'un emprisonnement d'un mois à cinq ans et d'une amende de 251 euros à "
        "125.000 euros, quiconque aura ...",
        (M, 5, False, False, True),
    ),
    (
        "fr",
        "Seront punis de la réclusion de dix à quinze ans ceux qui ...",
        (10, 15, False, False, False),
    ),
    (
        "fr",
        "Le fait ... est puni de l'amende prévue pour les contraventions de la 3e classe.",
        (None, None, False, False, True),
    ),
    # German
    (
        "de",
        "wird mit Freiheitsstrafe von einem Jahr bis zu zehn Jahren bestraft.",
        (1, 10, False, False, False),
    ),
    (
        "de",
        "wird mit Freiheitsstrafe nicht unter fünf Jahren bestraft.",
        (5, None, False, False, False),
    ),
    (
        "de",
        "wird mit Freiheitsstrafe bis zu fünf Jahren oder mit Geldstrafe bestraft.",
        (None, 5, False, False, True),
    ),
    (
        "de",
        "ist mit Freiheitsstrafe von sechs Monaten bis zu fünf Jahren zu bestrafen.",
        (0.5, 5, False, False, False),
    ),
    (
        "de",
        "Der Mörder wird mit lebenslanger Freiheitsstrafe bestraft.",
        (None, None, True, False, False),
    ),
    (
        "de",
        "(2) In besonders schweren Fällen ist auf lebenslange Freiheitsstrafe zu\nerkennen.",
        (None, None, True, False, False),
    ),
    (
        "de",
        "Verbrechen sind rechtswidrige Taten, die im Mindestmaß mit Freiheitsstrafe von einem "
        "Jahr oder darüber bedroht sind.",
        None,
    ),
    # Spanish
    (
        "es",
        "será castigado con la pena de prisión de cinco a diez años.",
        (5, 10, False, False, False),
    ),
    (
        "es",
        "Se impondrá prisión de seis meses a dos años al que ...",
        (0.5, 2, False, False, False),
    ),
    (
        "es",
        "incurrirá en prisión de ocho (8) a veintidós (22) años y multa de seiscientos cincuenta "
        "(650) a cincuenta mil (50.000) salarios mínimos",
        (8, 22, False, False, True),
    ),
    (
        "es",
        "se les aplicará la pena de muerte y cuando ésta no pueda ser impuesta, se aplicará "
        "prisión de veinticinco a cincuenta años.",
        (25, 50, False, True, False),
    ),
    (
        "es",
        "será sancionado con pena de tres a seis años de prisión quien ...",
        (3, 6, False, False, False),
    ),
    # Catalan
    (
        "ca",
        "ha de ser castigat amb pena de presó de tres a vuit anys.",
        (3, 8, False, False, False),
    ),
    ("ca", "ha de ser castigat amb pena d'un a cinc anys de presó.", (1, 5, False, False, False)),
    ("ca", "ha de ser castigat amb pena de presó fins a dos anys.", (None, 2, False, False, False)),
    # Portuguese
    (
        "pt",
        "Pena - reclusão, de doze a trinta anos, além das sanções correspondentes à ameaça.",
        (12, 30, False, False, False),
    ),
    ("pt", "Pena - reclusão, de cinco a oito anos, e multa.", (5, 8, False, False, True)),
    # Italian
    ("it", "è punito con la reclusione da cinque a dieci anni.", (5, 10, False, False, False)),
    (
        "it",
        "è punito con la reclusione non inferiore ad anni venti.",
        (20, None, False, False, False),
    ),
    (
        "it",
        "si applicano l'ergastolo e, nel caso di attentato alla incolumità, la reclusione di anni "
        "trenta.",
        (None, 30, True, False, False),
    ),
    (
        "it",
        "è punito con la reclusione fino a un anno e con la multa da euro 103 a euro 1.032.",
        (None, 1, False, False, True),
    ),
    # Dutch
    (
        "nl",
        "wordt gestraft met gevangenisstraf van ten hoogste vijftien jaren.",
        (None, 15, False, False, False),
    ),
    (
        "nl",
        "wordt gestraft met gevangenisstraf van ten hoogste vier jaren en zes maanden of "
        "geldboete van de vijfde categorie.",
        (None, 4.5, False, False, True),
    ),
    (
        "nl",
        "wordt gestraft met levenslange gevangenisstraf of tijdelijke van ten hoogste dertig "
        "jaren of geldboete van de vijfde categorie.",
        (None, 30, True, False, True),
    ),
    # Swedish
    ("sv", "döms till fängelse i lägst fyra och högst tio år.", (4, 10, False, False, False)),
    ("sv", "döms för terroristbrott till fängelse på livstid.", (None, None, True, False, False)),
    ("sv", "döms till böter eller fängelse i högst sex månader.", (None, 0.5, False, False, True)),
    # Danish / Norwegian / Icelandic
    ("da", "straffes med bøde eller fængsel indtil 2 år.", (None, 2, False, False, True)),
    ("da", "straffes med fængsel indtil halvandet år.", (None, 1.5, False, False, False)),
    ("da", "straffes med fængsel på livstid.", (None, None, True, False, False)),
    ("nb", "Med bot eller fengsel inntil 3 år straffes den som ...", (None, 3, False, False, True)),
    ("nb", "straffes med fengsel inntil 21 år.", (None, 21, False, False, False)),
    (
        "is",
        "skal sæta fangelsi allt að 4 árum en sektum ef málsbætur eru.",
        (None, 4, False, False, True),
    ),
    ("is", "þá skal honum refsað með allt að 16 ára fangelsi.", (None, 16, False, False, False)),
    ("is", "skal sæta fangelsi ekki skemur en 5 ár eða ævilangt.", (5, None, True, False, False)),
    # Finnish (inflected, translative/essive forms)
    (
        "fi",
        "on tuomittava vankeuteen vähintään kahdeksi ja enintään kahdeksitoista vuodeksi.",
        (2, 12, False, False, False),
    ),
    (
        "fi",
        "on tuomittava vankeuteen vähintään neljäksi kuukaudeksi ja enintään kahdeksaksi vuodeksi.",
        (4 * M, 8, False, False, False),
    ),
    (
        "fi",
        "on tuomittava sakkoon tai vankeuteen enintään kahdeksi vuodeksi.",
        (None, 2, False, False, True),
    ),
    ("fi", "on tuomittava elinkautiseen vankeuteen.", (None, None, True, False, False)),
    # Estonian
    (
        "et",
        "karistatakse rahalise karistuse või kuni viieaastase vangistusega.",
        (None, 5, False, False, True),
    ),
    ("et", "karistatakse kahe- kuni kümneaastase vangistusega.", (2, 10, False, False, False)),
    (
        "et",
        "karistatakse kuue- kuni kaheteistkümneaastase või eluaegse vangistusega.",
        (6, 12, True, False, False),
    ),
    # Russian / Ukrainian / Bulgarian / Serbian
    (
        "ru",
        "наказывается лишением свободы на срок от десяти до пятнадцати лет.",
        (10, 15, False, False, False),
    ),
    (
        "ru",
        "наказывается лишением свободы на срок от пятнадцати до двадцати лет или пожизненным "
        "лишением свободы.",
        (15, 20, True, False, False),
    ),
    (
        "ru",
        "наказывается штрафом в размере до двухсот тысяч рублей или в размере заработной платы "
        "осужденного за период до восемнадцати месяцев, либо принудительными работами на срок "
        "до трех лет, либо лишением свободы на тот же срок.",
        (None, 3, False, False, True),
    ),
    (
        "ru",
        "наказывается лишением свободы на срок до полутора лет.",
        (None, 1.5, False, False, False),
    ),
    (
        "ru",
        "3. Окончательное наказание по совокупности приговоров в виде лишения свободы не может "
        "превышать тридцати лет.",
        None,
    ),
    (
        "uk",
        "караються позбавленням волі на строк від п’яти до восьми років з позбавленням права "
        "обіймати певні посади на строк до трьох років.",
        (5, 8, False, False, False),
    ),
    ("uk", "карається довічним позбавленням волі.", (None, None, True, False, False)),
    ("bg", "се наказва с лишаване от свобода от две до осем години.", (2, 8, False, False, False)),
    ("bg", "се наказва с доживотен затвор.", (None, None, True, False, False)),
    (
        "bg",
        "се наказва с глоба от 1000 до 5000 лв., ако не подлежи на по-тежко наказание.",
        (None, None, False, False, True),
    ),
    ("sr", "казниће се затвором од три до петнаест година.", (3, 15, False, False, False)),
    (
        "sr",
        "казниће се новчаном казном или затвором до шест месеци.",
        (None, 0.5, False, False, True),
    ),
    (
        "sr",
        "учинилац ће се казнити затвором најмање десет година или доживотним затвором.",
        (10, None, True, False, False),
    ),
    ("sr", "kazniće se zatvorom od jedne do deset godina.", (1, 10, False, False, False)),
    # Slovenian / Czech / Slovak / Polish
    ("sl", "se kaznuje z zaporom od treh do petnajstih let.", (3, 15, False, False, False)),
    (
        "sl",
        "se kaznuje z zaporom najmanj petnajstih let ali z dosmrtnim zaporom.",
        (15, None, True, False, False),
    ),
    ("cs", "bude potrestán odnětím svobody na pět až patnáct let.", (5, 15, False, False, False)),
    (
        "cs",
        "bude potrestán odnětím svobody až na dvě léta nebo peněžitým trestem.",
        (None, 2, False, False, True),
    ),
    (
        "cs",
        "Odnětím svobody na šest měsíců až tři léta bude pachatel potrestán, ...",
        (0.5, 3, False, False, False),
    ),
    (
        "sk",
        "potrestá sa trestom odňatia slobody na desať až dvadsať rokov.",
        (10, 20, False, False, False),
    ),
    (
        "sk",
        "Odňatím slobody na dvadsať rokov až dvadsaťpäť rokov alebo trestom odňatia slobody na "
        "doživotie sa páchateľ potrestá, ak ...",
        (20, 25, True, False, False),
    ),
    ("pl", "podlega karze pozbawienia wolności od lat 2 do 12.", (2, 12, False, False, False)),
    ("pl", "podlega karze pozbawienia wolności od roku do lat 10.", (1, 10, False, False, False)),
    (
        "pl",
        "podlega grzywnie, karze ograniczenia wolności albo pozbawienia wolności do lat 2.",
        (None, 2, False, False, True),
    ),
    (
        "pl",
        "podlega karze pozbawienia wolności na czas nie krótszy od lat 3.",
        (3, None, False, False, False),
    ),
    # Lithuanian / Latvian / Hungarian / Romanian / Greek
    (
        "lt",
        "baudžiamas laisvės atėmimu nuo trejų iki dešimties metų.",
        (3, 10, False, False, False),
    ),
    (
        "lt",
        "baudžiamas bauda arba areštu, arba laisvės atėmimu iki dvejų metų.",
        (None, 2, False, False, True),
    ),
    (
        "lt",
        "baudžiamas laisvės atėmimu nuo dešimties iki dvidešimties metų arba laisvės atėmimu "
        "iki gyvos galvos.",
        (10, 20, True, False, False),
    ),
    (
        "lv",
        "soda ar brīvības atņemšanu uz laiku līdz astoņiem gadiem un ar probācijas uzraudzību "
        "uz laiku līdz trim gadiem.",
        (None, 8, False, False, False),
    ),
    (
        "lv",
        "soda ar mūža ieslodzījumu vai brīvības atņemšanu uz laiku no divpadsmit līdz divdesmit "
        "gadiem.",
        (12, 20, True, False, False),
    ),
    (
        "hu",
        "bűntett miatt két évtől nyolc évig terjedő szabadságvesztéssel büntetendő.",
        (2, 8, False, False, False),
    ),
    (
        "hu",
        "Tíz évtől húsz évig terjedő vagy életfogytig tartó szabadságvesztéssel büntetendő, aki",
        (10, 20, True, False, False),
    ),
    (
        "hu",
        "vétség miatt egy évig terjedő szabadságvesztéssel büntetendő.",
        (None, 1, False, False, False),
    ),
    (
        "ro",
        "se pedepsește cu închisoare de la 7 la 15 ani și interzicerea unor drepturi.",
        (7, 15, False, False, False),
    ),
    (
        "ro",
        "se pedepsește cu închisoare de la 6 luni la 3 ani sau cu amendă.",
        (0.5, 3, False, False, True),
    ),
    (
        "ro",
        "se pedepsește cu detențiune pe viață sau cu închisoare de la 15 la 25 de ani.",
        (15, 25, True, False, False),
    ),
    (
        "el",
        "τιμωρείται με κάθειρξη έως δέκα έτη και χρηματική ποινή.",
        (None, 10, False, False, True),
    ),
    ("el", "τιμωρείται με φυλάκιση τουλάχιστον ενός έτους.", (1, None, False, False, False)),
    ("el", "τιμωρείται με ισόβια κάθειρξη.", (None, None, True, False, False)),
    # Turkish / Georgian / Bengali / Hebrew / Arabic
    (
        "tr",
        "beş yıldan on yıla kadar hapis cezası ile cezalandırılır.",
        (5, 10, False, False, False),
    ),
    (
        "tr",
        "altı aydan iki yıla kadar hapis veya adli para cezası verilir.",
        (0.5, 2, False, False, True),
    ),
    (
        "tr",
        "ağırlaştırılmış müebbet hapis cezası ile cezalandırılır.",
        (None, None, True, False, False),
    ),
    (
        "ka",
        "ისჯება თავისუფლების აღკვეთით ვადით ათიდან თხუთმეტ წლამდე.",
        (10, 15, False, False, False),
    ),
    (
        "ka",
        "ისჯება ჯარიმით ან თავისუფლების აღკვეთით ვადით სამ წლამდე.",
        (None, 3, False, False, True),
    ),
    (
        "ka",
        "ისჯება თავისუფლების აღკვეთით ვადით თხუთმეტიდან ოც წლამდე ან უვადო თავისუფლების აღკვეთით.",
        (15, 20, True, False, False),
    ),
    (
        "bn",
        "তিনি অনূর্ধ্ব ১৪ (চৌদ্দ) বৎসর ও অন্যূন ৪ (চার) বৎসরের সশ্রম কারাদণ্ডে দণ্ডিত হইবেন।",
        (4, 14, False, False, False),
    ),
    (
        "bn",
        "তিনি মৃত্যুদণ্ড বা যাবজ্জীবন কারাদণ্ডে দণ্ডিত হইবেন এবং উহার অতিরিক্ত অর্থদণ্ড আরোপ করা যাইবে;",
        (None, None, True, True, True),
    ),
    (
        "bn",
        "তিনি অনধিক ছয় মাস পর্যন্ত যে কোন মেয়াদের কারাদণ্ড, অথবা অর্থদণ্ড, অথবা উভয় দণ্ডে দণ্ডিত হইবেন।",
        (None, 0.5, False, False, True),
    ),
    ("he", "חבר בארגון טרור, דינו – מאסר עשר שנים.", (None, 10, False, False, False)),
    (
        "he",
        "העובר עבירה שהיא מעשה טרור שגרמה לפגיעות בגוף של ציבור גדול, דינו – מאסר עולם.",
        (None, None, True, False, False),
    ),
    ("he", "המפר צו למניעת פעילות, דינו – מאסר שנתיים.", (None, 2, False, False, False)),
    (
        "he",
        "היתה העבירה כאמור עבירה שדינה מאסר עולם חובה, דינו – מאסר 15 שנים.",
        (None, 15, False, False, False),
    ),
    ("ar", "يعاقب بالسجن المؤبد كل من أنشأ منظمة إرهابية.", (None, None, True, False, False)),
    ("ar", "يعاقب بالإعدام كل من قاد منظمة إرهابية.", (None, None, False, True, False)),
    (
        "ar",
        "يعاقب بالسجن المشدد مدة لا تقل عن عشر سنوات كل من ...",
        (10, None, False, False, False),
    ),
    (
        "ar",
        "يعاقب بالحبس مدة لا تزيد على ٣ سنوات وبالغرامة التي لا تقل عن ألفي دينار.",
        (None, 3, False, False, True),
    ),
    (
        "ar",
        "يعاقب بالحبس من ستة أشهر إلى سنتين وغرامة من 2.000 إلى 20.000 درهم.",
        (0.5, 2, False, False, True),
    ),
    # Chinese / Japanese / Korean / Malay
    ("zh", "处五年以上十年以下有期徒刑。", (5, 10, False, False, False)),
    ("zh", "处十年以上有期徒刑、无期徒刑或者死刑。", (10, None, True, True, False)),
    ("zh", "处三年以下有期徒刑、拘役或者管制，并处或者单处罚金。", (None, 3, False, False, True)),
    ("zh", "被判处无期徒刑的犯罪分子，实际执行十三年以上，可以假释。", None),
    ("ja", "無期若しくは三年以上の懲役に処する。", (3, None, True, False, False)),
    ("ja", "七年以下の拘禁刑又は七百万円以下の罰金に処する。", (None, 7, False, False, True)),
    ("ja", "六月以下の拘禁刑又は三十万円以下の罰金に処する。", (None, 0.5, False, False, True)),
    ("ko", "사형, 무기 또는 10년 이상의 징역에 처한다.", (10, None, True, True, False)),
    ("ko", "7년 이하의 징역 또는 5천만원 이하의 벌금에 처한다.", (None, 7, False, False, True)),
    (
        "ms",
        "hendaklah dihukum dengan pemenjaraan selama tempoh yang tidak melebihi lima tahun atau "
        "denda yang tidak melebihi sepuluh ribu ringgit atau kedua-duanya.",
        (None, 5, False, False, True),
    ),
    (
        "ms",
        "hendaklah dihukum dengan pemenjaraan selama tempoh yang tidak melebihi dua puluh tahun.",
        (None, 20, False, False, False),
    ),
    ("ms", "hendaklah dihukum dengan pemenjaraan seumur hidup.", (None, None, True, False, False)),
]


@pytest.mark.parametrize(
    ("language", "text", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_forms(language: str, text: str, expected: tuple | None) -> None:
    got = extract_penalty(text, language)
    if expected is None:
        assert got is None
        return
    assert got is not None
    mn, mx, life, death, fine = expected
    assert got.min_years == pytest.approx(mn, abs=0.01) if mn is not None else got.min_years is None
    assert got.max_years == pytest.approx(mx, abs=0.01) if mx is not None else got.max_years is None
    assert (got.life, got.death, got.fine) == (life, death, fine)


def test_every_corpus_language_has_rules_and_unit_cases() -> None:
    assert set(CORPUS_LANGUAGES) <= set(supported_languages())
    assert set(CORPUS_LANGUAGES) <= {c[0] for c in CASES}


def test_evidence_and_fine_amount_are_printed_text() -> None:
    text = "Le fait est puni de DIX ans d'emprisonnement et de 225 000 euros d'amende."
    got = extract_penalty(text, "fr")
    assert got == Penalty(
        None,
        10.0,
        False,
        False,
        True,
        "225 000 euros",
        "de DIX ans d'emprisonnement",
        imprisonment=True,
    )
    assert got.evidence in text


def test_arabic_indic_digits_and_unknown_language() -> None:
    got = extract_penalty(
        "يعاقب بالسجن مدة لا تزيد على ٣ سنوات", None
    )  # language guessed from script
    assert got is not None and got.max_years == 3
    assert extract_penalty("", "en") is None
    assert (
        extract_penalty(
            "imprisonment for a term not exceeding 2 years; he is liable", "xx"
        ).max_years
        == 2
    )


def test_labelled_sample_accuracy() -> None:
    cases = load_cases()
    assert len(cases) >= 90
    assert len({c["language"] for c in cases}) >= 12
    table = score(cases)
    print("\n" + format_table(table))
    correct, total = table["all"]["ALL"]
    assert correct / total >= 0.85
    holdout_correct, holdout_total = table["holdout"]["ALL"]
    assert holdout_correct / holdout_total >= 0.85


def test_labelled_sample_is_well_formed() -> None:
    cases = load_cases()
    assert len({c["id"] for c in cases}) == len(cases)
    nulls = sum(c["expected"] is None for c in cases)
    assert 0.15 <= nulls / len(cases) <= 0.35
    holdout = sum(c["split"] == "holdout" for c in cases)
    assert 0.25 <= holdout / len(cases) <= 0.35
    for c in cases:
        assert c["text"] and c["source"].startswith("corpus/raw/")
        assert is_correct(c["expected"], None) == (c["expected"] is None)
