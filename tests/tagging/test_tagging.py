"""Tagging of provisions by offence type and instrument (ingest.tagging, corpus/taxonomy).

The quality tests score the hand-labelled sample tests/data/labelled_tags.jsonl (splits "dev" and
"holdout", both now used to tune the rules) with the scorer of bench/tagging_quality.py; the
product floors apply to the whole sample. The blind set tests/data/labelled_tags_fresh.jsonl
(provisions from articles not in the sample, labelled before the rules were revised and never used
to tune them) is printed and guarded only at the level it actually reaches, which is below the
floors: the rules do not yet generalise to unseen provisions as well as to the sample. Its errors
were later studied to revise the rules, so it is no longer blind; the second blind set
tests/data/labelled_tags_fresh2.jsonl (labelled before the tagger was run on it, after that revision
was frozen, never tuned against) is printed and guarded the same way. Run pytest with -s to see
the tables. See bench/tagging_quality.py for the scored pairs.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest

from ingest.records import TagAssignment
from ingest.tagging import format_tags, tag_text
from ingest.taxonomy import available_languages, load_citations, load_rules, load_taxonomy

ROOT = Path(__file__).resolve().parents[2]
# the 36 corpus languages
LANGUAGES = [
    *("en", "es", "ar", "fr", "ca", "de", "el", "sv", "zh", "nl", "ja", "et"),
    *("tr", "uk", "bn", "ka", "sr", "is", "cs", "hu", "lt", "ro", "sk", "ru"),
    *("pl", "it", "ko", "ms", "nb", "da", "fi", "lv", "bg", "sl", "he", "pt"),
]
FLOOR_P, FLOOR_R, FLOOR_LANG, MIN_CASES = 0.90, 0.85, 0.75, 5
HOLDOUT_F1_GUARD = 0.75  # regression guard (0.68 before the rules were revised, 0.80 after)
# First blind set (no longer blind: its errors drove the second rule revision): regression guard
# below the measured level (P 0.764, R 0.805 after that revision; 0.641 / 0.564 before it).
FRESH_P_GUARD, FRESH_R_GUARD = 0.72, 0.76
# Second blind set, measured once after the rules were frozen: P 0.818, R 0.672. A sanity guard
# well below that, NOT the product floors, which it does not meet.
FRESH2_P_GUARD, FRESH2_R_GUARD = 0.70, 0.55


def _bench():
    spec = importlib.util.spec_from_file_location(
        "tagging_quality", ROOT / "bench" / "tagging_quality.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("tagging_quality", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scored():
    bench = _bench()
    cases = bench.load_cases()
    return bench, cases, bench.score(cases)


@pytest.fixture(scope="module")
def fresh():
    bench = _bench()
    cases = bench.load_cases(bench.FRESH)
    return bench, cases, bench.score(cases)


@pytest.fixture(scope="module")
def fresh2():
    bench = _bench()
    cases = bench.load_cases(bench.FRESH2)
    return bench, cases, bench.score(cases)


def _codes(tags: list[TagAssignment], kind: str | None = None) -> set[str]:
    return {t.code for t in tags if kind is None or t.kind == kind}


# --- the labelled sample --------------------------------------------------------------------


def test_sample_shape(scored):
    _, cases, _ = scored
    langs = {c["language"] for c in cases}
    negatives = [c for c in cases if not c["offences"] and not c["instruments"]]
    assert len(cases) >= 200
    assert len(langs) >= 12
    assert len(negatives) / len(cases) >= 0.25
    assert {c["split"] for c in cases} == {"dev", "holdout"}
    assert 0.2 <= sum(c["split"] == "holdout" for c in cases) / len(cases) <= 0.4
    taxonomy = load_taxonomy()
    for c in cases:
        assert set(c["offences"]) <= set(taxonomy.offences), c["id"]
        assert set(c["instruments"]) <= set(taxonomy.instruments), c["id"]
        assert c["text"].strip() and c["source"].startswith("raw/")


def test_sample_quality_floors(scored):
    bench, cases, res = scored
    table = res["table"]
    for split in ("dev", "holdout", "labelled"):
        print()
        print(bench.format_table(table, split, "combined", "lang"))
    sample = table["labelled"]["combined"]  # dev + holdout
    p, r, _ = bench.prf(sample["ALL"])
    assert p >= FLOOR_P, f"sample micro precision {p:.3f} < {FLOOR_P}"
    assert r >= FLOOR_R, f"sample micro recall {r:.3f} < {FLOOR_R}"
    counts: dict[str, int] = {}
    for c in cases:
        counts[c["language"]] = counts.get(c["language"], 0) + 1
    weak = []
    for lang, n in sorted(counts.items()):
        lp, lr, _ = bench.prf(sample[lang])
        if n >= MIN_CASES and (lp < FLOOR_LANG or lr < FLOOR_LANG):
            weak.append(f"{lang}: P {lp:.3f} R {lr:.3f} ({n} provisions)")
    assert not weak, "languages below the floor on the sample: " + "; ".join(weak)


def test_holdout_regression_guard(scored):
    bench, _, res = scored
    _, _, f1 = bench.prf(res["table"]["holdout"]["combined"]["ALL"])
    assert f1 >= HOLDOUT_F1_GUARD, f"holdout F1 {f1:.3f} fell below the regression guard"


def test_fresh_set_shape(scored, fresh):
    _, sample, _ = scored
    _, cases, _ = fresh
    taxonomy = load_taxonomy()
    langs = {c["language"] for c in cases}
    negatives = [c for c in cases if not c["offences"] and not c["instruments"]]
    assert len(cases) >= 120
    assert len(langs) >= 10
    assert 0.2 <= len(negatives) / len(cases) <= 0.35
    assert {c["split"] for c in cases} == {"fresh"}
    # blind: no provision of the tuning sample, by id or by (source, number)
    assert not {c["id"] for c in cases} & {c["id"] for c in sample}
    assert not {(c["source"], c["number"]) for c in cases} & {
        (c["source"], c["number"]) for c in sample
    }
    for c in cases:
        assert set(c["offences"]) <= set(taxonomy.offences), c["id"]
        assert set(c["instruments"]) <= set(taxonomy.instruments), c["id"]
        assert c["text"].strip() and c["source"].startswith("raw/")


def test_fresh_set_figures(fresh):
    """Prints the blind-set tables; guards them at the level reached (below the floors)."""
    bench, _, res = fresh
    table = res["table"]
    print()
    print(bench.format_table(table, "fresh", "combined", "lang"))
    print()
    print(bench.format_table(table, "fresh", "combined", "code"))
    p, r, _ = bench.prf(table["fresh"]["combined"]["ALL"])
    print(f"fresh micro P {p:.3f} R {r:.3f} (product floors: P {FLOOR_P}, R {FLOOR_R})")
    assert p >= FRESH_P_GUARD, f"fresh precision {p:.3f} fell below the guard {FRESH_P_GUARD}"
    assert r >= FRESH_R_GUARD, f"fresh recall {r:.3f} fell below the guard {FRESH_R_GUARD}"


def test_fresh2_set_shape(scored, fresh, fresh2):
    _, sample, _ = scored
    _, first, _ = fresh
    _, cases, _ = fresh2
    taxonomy = load_taxonomy()
    langs = {c["language"] for c in cases}
    negatives = [c for c in cases if not c["offences"] and not c["instruments"]]
    assert len(cases) >= 80
    assert len(langs) >= 8
    assert 0.2 <= len(negatives) / len(cases) <= 0.35
    assert {c["split"] for c in cases} == {"fresh2"}
    assert len({c["id"] for c in cases}) == len(cases)
    # blind: no provision of the sample nor of the first blind set, by id or by (source, number)
    others = sample + first
    assert not {c["id"] for c in cases} & {c["id"] for c in others}
    assert not {(c["source"], c["number"]) for c in cases} & {
        (c["source"], c["number"]) for c in others
    }
    for c in cases:
        assert set(c["offences"]) <= set(taxonomy.offences), c["id"]
        assert set(c["instruments"]) <= set(taxonomy.instruments), c["id"]
        assert c["text"].strip() and c["source"].startswith("raw/")


def test_fresh2_set_figures(fresh2):
    """Prints the second blind set's tables; a sanity guard only (below the floors)."""
    bench, _, res = fresh2
    table = res["table"]
    print()
    print(bench.format_table(table, "fresh2", "combined", "lang"))
    print()
    print(bench.format_table(table, "fresh2", "combined", "code"))
    p, r, _ = bench.prf(table["fresh2"]["combined"]["ALL"])
    print(f"fresh2 micro P {p:.3f} R {r:.3f} (product floors: P {FLOOR_P}, R {FLOOR_R})")
    assert p >= FRESH2_P_GUARD, f"fresh2 precision {p:.3f} fell below the guard {FRESH2_P_GUARD}"
    assert r >= FRESH2_R_GUARD, f"fresh2 recall {r:.3f} fell below the guard {FRESH2_R_GUARD}"


# --- rule files -----------------------------------------------------------------------------


def test_every_corpus_language_has_a_rule_file():
    assert set(LANGUAGES) <= set(available_languages())
    for lang in LANGUAGES:
        rs = load_rules(lang)
        assert len(rs.rules) >= 30, lang
        assert rs.groups


def test_rule_codes_exist_in_codes_toml():
    taxonomy = load_taxonomy()
    for rs in [load_rules(lang) for lang in available_languages()] + [load_citations()]:
        for rule in rs.rules:
            assert taxonomy.kind_of(rule.code) == rule.kind, rule.id
            assert set(rule.implies) <= set(taxonomy.instruments), rule.id


def test_taxonomy_codes_and_implications():
    taxonomy = load_taxonomy()
    assert len(taxonomy.instruments) >= 30 and len(taxonomy.offences) >= 25
    for code in (
        "FINANCING-1999",
        "UNSCR-1373",
        "UNSCR-1267",
        "COE-2005",
        "EU-2017-541",
        "HOSTAGES-1979",
    ):
        inst = taxonomy.instruments[code]
        assert inst.name and inst.group in {"universal", "unsc", "regional", "related"}
    assert "FINANCING-1999" in taxonomy.offences["financing"].implies
    assert "HOSTAGES-1979" in taxonomy.offences["hostage_taking"].implies
    assert taxonomy.offences["jurisdiction"].group == "measure"
    for o in taxonomy.offences.values():
        assert set(o.implies) <= set(taxonomy.instruments)


# --- behaviour --------------------------------------------------------------------------------

FINANCING = (
    "A person who, by any means, directly or indirectly, wilfully provides or collects funds "
    "intending that they be used, or knowing that they will be used, to carry out a terrorist act "
    "commits an offence and is liable on conviction to imprisonment for twenty years."
)


def test_evidence_contains_the_matched_words():
    tags = tag_text(FINANCING, "en")
    fin = next(t for t in tags if t.code == "financing")
    assert fin.kind == "offence"
    assert fin.evidence and fin.evidence[0].rule.startswith("en.financing.")
    for word in fin.evidence[0].matched:
        assert word in " ".join(FINANCING.split()), word


def test_offence_types_imply_instruments():
    tags = tag_text(FINANCING, "en")
    inst = next(t for t in tags if t.code == "FINANCING-1999")
    assert inst.kind == "instrument"
    assert any(e.rule == "implied:financing" for e in inst.evidence)
    hostage = tag_text(
        "Any person who seizes or detains and threatens to kill another person in order to compel "
        "a State to do any act commits the offence of hostage-taking and is liable to "
        "imprisonment for life.",
        "en",
    )
    assert "hostage_taking" in _codes(hostage, "offence")
    assert "HOSTAGES-1979" in _codes(hostage, "instrument")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The Minister shall give effect to resolution 1373 of the Security Council.", "en"),
        (
            "Conformément à la résolution 1373 (2001) du Conseil de sécurité, le ministre "
            "publie la liste.",
            "fr",
        ),
        ("Las medidas previstas en la Resolución 1373 del Consejo de Seguridad se aplican.", "es"),
        ("The list kept under S/RES/1373 (2001) shall be published.", None),
    ],
)
def test_citation_of_resolution_1373(text, language):
    tags = tag_text(text, language)
    inst = next(t for t in tags if t.code == "UNSCR-1373")
    assert any(e.rule.startswith("citation:") for e in inst.evidence)
    assert any("1373" in w for e in inst.evidence for w in e.matched)


def test_citation_of_named_conventions():
    tags = tag_text(
        "This Act gives effect to the International Convention for the Suppression of the "
        "Financing of Terrorism and to the Council of Europe Convention on the Prevention of "
        "Terrorism.",
        "en",
    )
    assert {"FINANCING-1999", "COE-2005"} <= _codes(tags, "instrument")
    fr = tag_text(
        "La Convention internationale pour la répression du financement du terrorisme "
        "est applicable.",
        "fr",
    )
    assert "FINANCING-1999" in _codes(fr, "instrument")


def test_definitions_article_establishes_no_measure():
    # A general definitions article defines "freezing" and "sanctions list" among other words:
    # it is tagged as defining terrorism, not as providing for freezing or listing ([definitions]
    # in the rule file). A provision ordering a freeze is tagged asset_freezing.
    definitions = (
        "في تطبيق أحكام هذا القانون، تكون للكلمات والعبارات التالية المعاني الموضحة قرين كل منها: "
        "العمل الإرهابي: كل فعل يهدف إلى ترويع الناس. التجميد: حظر نقل الأموال أو تحويلها أو "
        "التصرف فيها مؤقتاً. قائمة العقوبات: القائمة المنشأة بموجب هذا القانون."
    )
    assert _codes(tag_text(definitions, "ar"), "offence") == {"terrorism_definition"}
    order = "للنائب العام أن يأمر بتجميد الأموال المملوكة لأي كيان إرهابي إلى حين الفصل في الدعوى."
    assert "asset_freezing" in _codes(tag_text(order, "ar"), "offence")


def test_patterns_are_folded_like_the_text():
    # The text is folded (alef maqsura to yeh, Greek accents dropped) before matching; a pattern
    # written with the unfolded letter ("على", "σύμβαση") must match all the same.
    ar = tag_text("تطبق أحكام اتفاقية قمع الاستيلاء غير المشروع على الطائرات.", "ar")
    assert "HAGUE-1970" in _codes(ar, "instrument")
    el = tag_text(
        "Η Σύμβαση του Συμβουλίου της Ευρώπης για την πρόληψη της τρομοκρατίας και το ψήφισμα "
        "1373 του Συμβουλίου Ασφαλείας εφαρμόζονται.",
        "el",
    )
    assert {"COE-2005", "UNSCR-1373"} <= _codes(el, "instrument")
    # Bengali "আশ্রয়" (harbouring) with the precomposed letter U+09DF or with letter + nukta.
    harbour = "যদি কোন ব্যক্তি এই আইনের অধীন অপরাধ সংঘটনকারী ব্যক্তিকে আশ্র{} প্রদান করেন।"
    for ya in ("\u09df", "\u09af\u09bc"):
        assert "material_support" in _codes(tag_text(harbour.format(ya), "bn"), "offence"), ya


@pytest.mark.parametrize(
    ("text", "language", "heading"),
    [
        ("This Act may be cited as the Prevention of Terrorism Act, 2012.", "en", "Short title"),
        (
            "This Act shall come into force on such date as the Minister may appoint.",
            "en",
            "Commencement",
        ),
        (
            "Any person who steals any property is guilty of theft and liable to imprisonment "
            "for seven years.",
            "en",
            None,
        ),
        (
            'In this Act, "vehicle" means any mechanically propelled vehicle used on a road.',
            "en",
            "Interpretation",
        ),
        (
            "The Board shall consist of a chairperson and four other members appointed by "
            "the Minister.",
            "en",
            None,
        ),
        ("Diese Verordnung tritt am Tag nach der Kundmachung in Kraft.", "de", "Inkrafttreten"),
        ("Le vol est la soustraction frauduleuse de la chose d'autrui.", "fr", None),
        ("Quien matare a otro será castigado con prisión de diez a quince años.", "es", None),
        ("故意杀人的，处死刑、无期徒刑或者十年以上有期徒刑。", "zh", None),
        ("Ко другог лиши живота, казниће се затвором од пет до петнаест година.", "sr", None),
        (
            "The report of the Committee on terrorism shall be laid before Parliament every year.",
            "en",
            None,
        ),
    ],
)
def test_negatives_carry_no_tag(text, language, heading):
    assert tag_text(text, language, heading=heading) == []


def test_heading_counts_as_evidence():
    text = "A person who harbours or conceals a member of such an organisation commits an offence."
    plain = _codes(tag_text(text, "en"), "offence")
    with_heading = tag_text(text, "en", heading="Harbouring of terrorists")
    assert "material_support" not in plain
    assert "material_support" in _codes(with_heading, "offence")


def test_other_scripts_and_languages():
    zh = tag_text("资助恐怖活动组织、实施恐怖活动的个人的，处五年以下有期徒刑。", "zh")
    assert "financing" in _codes(zh, "offence")
    sr = tag_text(
        "Ко врбује друго лице да се придружи терористичком удружењу, казниће се затвором.", "sr"
    )
    assert "recruitment" in _codes(sr, "offence")
    ar = tag_text("يعاقب بالسجن كل من قام بتمويل الإرهاب أو جمع أموالاً لكيان إرهابي.", "ar")
    assert "financing" in _codes(ar, "offence")
    de = tag_text(
        "Wer sich an einer terroristischen Vereinigung als Mitglied beteiligt, wird mit "
        "Freiheitsstrafe bestraft.",
        "de",
    )
    assert "membership" in _codes(de, "offence")


FINANCING_OF_CONVENTION_OFFENCES = (
    "A person who provides or collects funds with the intention that they be used, or in the "
    "knowledge that they are to be used, to commit a terrorist act or any of the following: "
    "(a) the hijacking of an aircraft in flight; (b) an act of violence against a person "
    "on board a ship or a fixed platform likely to endanger its safe navigation; or (c) the theft "
    "of nuclear material, commits an offence and is liable to imprisonment for twenty years."
)


def test_financing_provision_does_not_take_the_offences_it_funds():
    # The aircraft, ship and nuclear offences are what the funds are for: the provision
    # criminalises financing, not hijacking ([policy] in codes.toml).
    tags = tag_text(FINANCING_OF_CONVENTION_OFFENCES, "en")
    assert _codes(tags, "offence") == {"financing"}
    assert "HAGUE-1970" not in _codes(tags, "instrument")
    # The same offences, criminalised by a provision of their own, keep their codes.
    hijack = tag_text(
        "Any person who unlawfully, by force or threat thereof, seizes or exercises control of "
        "an aircraft in flight commits an offence and is liable to imprisonment for life.",
        "en",
    )
    assert "aviation" in _codes(hijack, "offence")


def test_unknown_language_uses_every_rule_file():
    tags = tag_text(FINANCING, None)
    assert "financing" in _codes(tags, "offence")
    assert _codes(tag_text(FINANCING, "xx"), "offence") == _codes(tags, "offence")


def test_format_tags():
    assert format_tags([]) == "no tags"
    out = format_tags(tag_text(FINANCING, "en"))
    assert "financing" in out and "implied:financing" in out


def test_speed_is_reasonable():
    texts = [FINANCING, "Any person who steals any property is guilty of theft."] * 200
    tag_text(texts[0], "en")
    t0 = time.perf_counter()
    for t in texts:
        tag_text(t, "en")
    rate = len(texts) / (time.perf_counter() - t0)
    assert rate > 200, f"{rate:.0f} provisions/s"  # smoke guard (shared CI machines are slow)


def test_generic_heading_word_does_not_keep_a_listed_harm():
    # A definition of terrorism lists hostage-taking among its harms: only terrorism_definition.
    # A heading keeps the specialised code only when it names that offence itself, not when a
    # generic word of it ("Use ...") satisfies another term of the rule.
    text = (
        'In this Act, "terrorism" means an action that involves kidnapping for ransom, '
        "hostage-taking or hijacking, designed to intimidate the public."
    )
    assert _codes(tag_text(text, "en", heading="Use of armed forces"), "offence") == {
        "terrorism_definition"
    }
    assert "hostage_taking" in _codes(tag_text(text, "en", heading="Hostage-taking"), "offence")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (  # a parole schedule amended to add offences, each given by number and title
            "Subparagraph 125(1)(a)(ii) of the Act is replaced by the following: (ii.1) an offence "
            "under section 83.02 (providing or collecting property for certain activities), 83.18 "
            "(participation in activity of terrorist group), 83.19 (facilitating terrorist "
            "activity) or 83.23 (harbouring or concealing) of the Criminal Code,",
            "en",
        ),
        (
            "L'alinéa 1a) de l'annexe I de la même loi est remplacé par ce qui suit : "
            "a) article 75 (piraterie); a.1) article 76 (détournement d'un aéronef); "
            "a.2) article 77 (atteinte à la sécurité des aéronefs ou des aéroports); "
            "a.5) article 83.18 (participation à une activité d'un groupe terroriste);",
            "fr",
        ),
        (  # crimes giving rise to expulsion, each named with its article in brackets
            "Das Gericht verweist den Ausländer, der wegen einer der folgenden strafbaren "
            "Handlungen verurteilt wird, aus der Schweiz: a. Mord (Art. 112), Geiselnahme "
            "(Art. 185), Finanzierung des Terrorismus (Art. 260quinquies), Beteiligung an einer "
            "kriminellen Organisation (Art. 260ter);",
            "de",
        ),
    ],
)
def test_offence_catalogue_by_provision_number_carries_no_offence(text, language):
    # A list of offences named by provision number and bracketed title (parole, DNA or wiretap
    # schedules, expulsion or limitation catalogues) criminalises none of them.
    offences = _codes(tag_text(text, language), "offence")
    listed = {"financing", "membership", "material_support", "aviation", "hostage_taking"}
    assert not offences & listed, offences


def test_offence_with_a_bracketed_reference_keeps_its_code():
    # The provision's own conduct, with a bracketed reference to a definition, is still tagged.
    de = tag_text(
        "Wer sich als Mitglied (§ 278 Abs. 3) an einer terroristischen Vereinigung beteiligt, "
        "ist mit Freiheitsstrafe von einem bis zu zehn Jahren zu bestrafen.",
        "de",
    )
    assert "membership" in _codes(de, "offence")
    en = tag_text(
        "(1) A person commits an offence if he belongs or professes to belong to a proscribed "
        "organisation (section 3). (2) A person guilty of an offence under this section is "
        "liable to imprisonment for a term not exceeding ten years.",
        "en",
    )
    assert "membership" in _codes(en, "offence")


def test_definitions_article_carries_no_enumerated_offence():
    # A general definitions article defines terrorism; the offences its definitions mention
    # ("training", "conspiracy", "weapons") are not its subject ([policy] definitions).
    en = tag_text(
        'In this Act, unless the context otherwise requires— "specified purpose" means the '
        "perpetration, planning or preparation of, or participation in, terrorist acts, or the "
        'provision or receiving of training in connection with terrorist acts; "terrorist act" '
        "means the use or threat of action intended to intimidate the public.",
        "en",
        heading="Interpretation",
    )
    assert _codes(en, "offence") == {"terrorism_definition"}
    es = tag_text(
        "A efectos de la presente ley, se entiende por: a. Acto terrorista: Acto individual o "
        "colectivo que provoque o mantenga en estado de terror a la población. b. Conspiración "
        "para el terrorismo: el acuerdo de dos o más personas para cometer actos terroristas.",
        "es",
        heading="Definiciones",
    )
    assert "preparation" not in _codes(es, "offence")
    # Definitions opening an offence provision of its own ("Piracy") do not hide the offence.
    piracy = tag_text(
        '(1) In this Part— "vessel" includes every description of water craft. (2) Any person '
        "who unlawfully seizes or exercises control over a ship by force commits an offence and "
        "is liable to imprisonment for life.",
        "en",
        heading="Piracy or interfering with safe operation of vessel",
    )
    assert "maritime" in _codes(piracy, "offence")


def test_citation_needs_the_convention_not_the_offence_name():
    # The Geneva Conventions list hostage-taking among their grave breaches: no Hostages
    # Convention. Its own title ("konvention imod gidseltagning") is a citation.
    geneva = tag_text(
        "Mit Freiheitsstrafe nicht unter fünf Jahren wird bestraft, wer eine schwere Verletzung "
        "der Genfer Konventionen vom 12. August 1949 durch eine der folgenden Handlungen gegen die "
        "nach diesen Konventionen geschützten Personen begeht: a. vorsätzliche Tötung; "
        "b. Geiselnahme;",
        "de",
    )
    cited = {t.code for t in geneva for e in t.evidence if e.rule.startswith("citation:")}
    assert "HOSTAGES-1979" not in cited
    da = tag_text(
        "Overtrædelse af § 261, når handlingen er omfattet af artikel 1 i den internationale "
        "konvention af 17. december 1979 imod gidseltagning.",
        "da",
    )
    assert "HOSTAGES-1979" in _codes(da, "instrument")
    # A convention's full title is cited even next to "dit Verdrag" (its own final clauses).
    nl = tag_text(
        "Internationaal Verdrag ter bestrijding van daden van nucleair terrorisme. De Staten die "
        "Partij zijn bij dit Verdrag,",
        "nl",
    )
    assert "NUCLEAR-2005" in _codes(nl, "instrument")


# --- engine mechanisms, on small rule sets of their own (independent of the language files) ---


@pytest.fixture
def custom_rules(monkeypatch):
    """Tag with the rules of a TOML text instead of the language files."""
    import tomllib

    import ingest.tagging as tagging
    from ingest.taxonomy import compile_rules

    def use(toml_text: str) -> None:
        rs = compile_rules(tomllib.loads(toml_text), "xx", load_taxonomy())
        scanner = tagging._Scanner([rs, load_citations()])
        monkeypatch.setattr(tagging, "_scanner", lambda language: ([rs], scanner))

    return use


def test_context_group_may_match_anywhere(custom_rules):
    # "a:" marks a context group: it must match somewhere in the provision, not near the anchor.
    custom_rules(
        """
        [[rule]]
        id = "recruits"
        code = "recruitment"
        all = ['werft|recruits', 'a:terroris']
        within = 60
        [[rule]]
        id = "recruits_near"
        code = "foreign_fighters"
        all = ['werft|recruits', 'terroris']
        within = 60
        """
    )
    nl = tag_text(
        "1. Hij die, zonder toestemming van de Koning, iemand voor vreemde krijgsdienst of "
        "gewapende strijd werft, wordt gestraft met gevangenisstraf van ten hoogste vier jaren of "
        "geldboete van de vijfde categorie. 2. Indien de schuldige een van de strafbare feiten, "
        "omschreven in het eerste lid, in zijn beroep begaat, kan hij van de uitoefening van dat "
        "beroep worden ontzet. 3. De gevangenisstraf wordt verhoogd indien het feit wordt begaan "
        "met het oogmerk een terroristisch misdrijf voor te bereiden.",
        "nl",
    )
    assert _codes(nl, "offence") == {"recruitment"}  # the window alone would not reach it
    en = tag_text(
        "(1) A person who recruits another person to become a member of, or to serve in, an armed "
        "force in a foreign country commits an offence and is liable on conviction to "
        "imprisonment for a term not exceeding ten years. (2) Subsection (1) does not apply where "
        "the armed force is part of the armed forces of the Government of that country, and "
        "section 5 applies where the person acts for the purposes of terrorism.",
        "en",
    )
    assert "recruitment" in _codes(en, "offence")
    # Without the context anywhere in the text, the rule does not fire.
    plain = tag_text(
        "Hij die iemand voor vreemde krijgsdienst of gewapende strijd werft, wordt gestraft met "
        "gevangenisstraf van ten hoogste vier jaren.",
        "nl",
    )
    assert not _codes(plain, "offence")


def test_unless_blocks_only_the_occurrence_near_it(custom_rules):
    # ``unless`` is checked near each anchor occurrence: an excluded use of the word ("the
    # Convention against the Taking of Hostages") does not hide the provision's own offence
    # elsewhere in the text; ``unless_text`` excludes the whole provision.
    custom_rules(
        """
        [[rule]]
        id = "hostage"
        code = "hostage_taking"
        all = ['hostage|otage', 'punish|puni']
        within = 120
        unless = ['convention']
        """
    )
    en_cited_only = tag_text(
        "This Act gives effect to the International Convention against the Taking of Hostages; "
        "offences are punished as provided in Part II.",
        "en",
    )
    assert not _codes(en_cited_only, "offence")
    en = tag_text(
        "(1) In this section, 'the Convention' means the International Convention against the "
        "Taking of Hostages done at New York on 17 December 1979, as set out in the Schedule to "
        "this Act, together with its related instruments. (2) A person who seizes or detains "
        "another person and threatens to kill, injure or continue to detain him in order to compel "
        "a State to do or abstain from any act commits the offence of hostage-taking and shall be "
        "punished with imprisonment for life.",
        "en",
    )
    assert "hostage_taking" in _codes(en, "offence")
    fr = tag_text(
        "Au sens de la convention internationale contre la prise d'otages, l'État requis "
        "coopère avec les autorités compétentes des autres États parties. Le fait d'arrêter, "
        "d'enlever, de détenir ou de séquestrer une personne comme otage pour obtenir l'exécution "
        "d'un ordre ou d'une condition est puni de la réclusion criminelle à perpétuité.",
        "fr",
    )
    assert "hostage_taking" in _codes(fr, "offence")


_LIST_RULES = """
[[rule]]
id = "arms"
code = "arms_trafficking"
all = ['الاسلحه|الاسلحة|枪支', 'يعاقب|处']
within = 200
lists = false
"""


def test_arabic_semicolon_separates_list_items(custom_rules):
    custom_rules(_LIST_RULES)
    # Predicate offences listed with "؛" (Morocco, penal code art. 574-2): named in passing.
    catalogue = tag_text(
        "يعاقب على الجرائم التالية ولو ارتكبت خارج المغرب: الاتجار غير المشروع في المخدرات؛ "
        "الاتجار في البشر؛ تهريب المهاجرين؛ الاتجار غير المشروع في الاسلحة والذخيرة؛ الرشوة؛ "
        "تزوير النقود؛ الجرائم الارهابية.",
        "ar",
    )
    assert not _codes(catalogue, "offence")
    offence = tag_text(
        "يعاقب بالسجن من خمس الى عشر سنوات كل من استورد او صنع او حاز الاسلحة والذخائر دون ترخيص.",
        "ar",
    )
    assert _codes(offence, "offence") == {"arms_trafficking"}


def test_cjk_enumeration_comma_is_not_a_list_separator(custom_rules):
    custom_rules(_LIST_RULES)
    # "、" enumerates the conduct and objects of one offence (PRC Criminal Law art. 125).
    zh = tag_text(
        "非法制造、买卖、运输、邮寄、储存枪支、弹药、爆炸物的,处三年以上十年以下有期徒刑;"
        "情节严重的,处十年以上有期徒刑、无期徒刑或者死刑。",
        "zh",
    )
    assert _codes(zh, "offence") == {"arms_trafficking"}


_SPECIALISED_RULES = """
[[rule]]
id = "terrorist_purpose"
code = "terrorist_act"
all = ['terrorist purpose|finalidad terrorista']
[[rule]]
id = "arms"
code = "arms_trafficking"
all = ['firearms|armas de fuego', 'acquisition|adquisición|tenencia']
within = 120
"""


def test_specialised_offence_opening_the_provision_is_kept(custom_rules):
    custom_rules(_SPECIALISED_RULES)
    # Georgia CC art. 323.1: arms trafficking made a terrorist offence keeps both codes.
    ka = tag_text(
        "1. Unlawful acquisition, storage, carrying, manufacture, transportation, forwarding or "
        "sale of firearms, ammunition, explosives or explosive devices, committed with a terrorist "
        "purpose, shall be punished by imprisonment for a term of six to nine years.",
        "en",
    )
    assert _codes(ka, "offence") == {"terrorist_act", "arms_trafficking"}
    es = tag_text(
        "La adquisición, tenencia o depósito de armas de fuego, municiones o explosivos, cometidos "
        "con finalidad terrorista, serán castigados con la pena de prisión de seis a diez años.",
        "es",
    )
    assert _codes(es, "offence") == {"terrorist_act", "arms_trafficking"}
    # In a general definition the specialised harm is one item of the list: only the general code.
    definition = tag_text(
        "Se consideran delitos de terrorismo, cuando se cometan con finalidad terrorista, los "
        "siguientes: a) el homicidio; b) el secuestro; c) la adquisición o tenencia de armas de "
        "fuego o explosivos; d) el apoderamiento de aeronaves.",
        "es",
    )
    assert _codes(definition, "offence") == {"terrorist_act"}


_BOMB_RULES = """
[[rule]]
id = "bomb"
code = "bombing"
all = ['explosive|artefacto explosivo', 'detonat|detone|places|coloque|deliver|entregue']
within = 150
lists = false
"""


def test_object_of_a_run_of_conduct_verbs_is_not_a_list_item(custom_rules):
    custom_rules(_BOMB_RULES)
    # Sri Lanka, Suppression of Terrorist Bombings Act s. 3 (the convention offence).
    en = tag_text(
        "(1) Any person who unlawfully and intentionally, delivers, places, discharges or "
        "detonates, an explosive or other lethal device in, into, or against, a place of public "
        "use, a state or government facility, a public transportation system or an "
        "infrastructure facility with intent to cause death commits an offence.",
        "en",
    )
    assert _codes(en, "offence") == {"bombing"}
    es = tag_text(
        "Será castigado quien ilícita e intencionadamente, entregue, coloque, arroje o detone, un "
        "artefacto explosivo u otro artefacto mortífero en, dentro o contra un lugar de uso "
        "público, una instalación pública, una red de transporte público o una instalación de "
        "infraestructura.",
        "es",
    )
    assert _codes(es, "offence") == {"bombing"}
    # An item of an extradition catalogue stays a passing mention.
    catalogue = tag_text(
        "Extraditable offences include: murder, kidnapping, arson, an offence involving the "
        "detonation of an explosive, hijacking, piracy, robbery, fraud.",
        "en",
    )
    assert not _codes(catalogue, "offence")


# --- rule-format features: keep_specialised, mixed groups, {sent} ------------------------------

_KEEP_RULES = """
[[rule]]
id = "ipp"
code = "protected_persons"
all = ['internationally protected person|protegida internacionalmente']
[[rule]]
id = "hostage"
code = "hostage_taking"
all = ['hostage|rehén']
[[rule]]
id = "named"
code = "terrorist_act"
all = ['terrorist offen[cs]e|terrorist acts?\\b|delitos? de terrorismo']
[[rule]]
id = "purpose"
code = "terrorist_act"
all = [
  '(?:attacks?|seizes?|atentare|secuestrare)[^.;]{0,120}(?:for a terrorist|con finalidad terror)',
]
keep_specialised = true
"""


def test_keep_specialised_rule_keeps_the_specialised_code(custom_rules):
    custom_rules(_KEEP_RULES)
    # UAE law 7/2014 art. 12 (in English): an ordinary crime committed for a terrorist purpose.
    en = tag_text(
        "Whoever attacks the safety or freedom of an internationally protected person for a "
        "terrorist purpose shall be punished by life imprisonment.",
        "en",
    )
    assert _codes(en, "offence") == {"terrorist_act", "protected_persons"}
    es = tag_text(
        "El que secuestrare a una persona como rehén con finalidad terrorista será castigado con "
        "la pena de prisión de quince a veinte años.",
        "es",
    )
    assert _codes(es, "offence") == {"terrorist_act", "hostage_taking"}
    # The opted-in rule counts even when an earlier rule assigned terrorist_act first.
    both = tag_text(
        "Whoever seizes a hostage for a terrorist purpose commits a terrorist offence and shall be "
        "punished by life imprisonment.",
        "en",
    )
    assert {t.code: len(t.evidence) for t in both if t.kind == "offence"} == {
        "terrorist_act": 2,
        "hostage_taking": 1,
    }
    # A general list of terrorist acts (the opted-in rule does not fire): only the general code.
    listed = tag_text(
        "Terrorist acts include the murder of an internationally protected person, the taking of "
        "a hostage and the hijacking of an aircraft.",
        "en",
    )
    assert _codes(listed, "offence") == {"terrorist_act"}
    listed_es = tag_text(
        "Son delitos de terrorismo el homicidio, la toma de rehén y el apoderamiento de aeronaves.",
        "es",
    )
    assert _codes(listed_es, "offence") == {"terrorist_act"}


def test_keep_specialised_is_opt_in(custom_rules):
    custom_rules(_KEEP_RULES.replace("keep_specialised = true", ""))
    en = tag_text(
        "Whoever attacks the safety or freedom of an internationally protected person for a "
        "terrorist purpose shall be punished by life imprisonment.",
        "en",
    )
    assert _codes(en, "offence") == {"terrorist_act"}
    assert not load_rules("en").rules[0].keep_specialised  # default off


def test_keep_specialised_arabic_terrorist_purpose_crimes():
    # UAE law 7/2014 arts. 12 and 13 (ar rules "violent_crime_terrorist_purpose").
    ipp = tag_text(
        "يعاقب بالسجن المؤبد أو المؤقت كل من حاول أو شرع في الاعتداء على سلامة أو حرية شخص مشمول "
        "بالحماية الدولية لغرض إرهابي، وتكون العقوبة السجن المؤبد إذا وقعت الجريمة.",
        "ar",
    )
    assert {"terrorist_act", "protected_persons"} <= _codes(ipp, "offence")
    hostage = tag_text(
        "يعاقب بالسجن المؤبد أو المؤقت الذي لا تقل مدته عن سبع سنوات كل من خطف شخصا أو قبض عليه "
        "أو حجزه أو حبسه كرهينة أو حرمه من حريته بأية وسيلة وكان ذلك لغرض إرهابي.",
        "ar",
    )
    assert {"terrorist_act", "hostage_taking"} <= _codes(hostage, "offence")


_MIXED_RULES = """
[terms]
penal = ['punish', 'castig']
[[rule]]
id = "penalty"
code = "terrorist_act"
all = ['terroris', '@penal|\\bfine\\b|multa']
within = 80
"""


def test_mixed_group_of_list_and_patterns(custom_rules):
    custom_rules(_MIXED_RULES)
    assert _codes(tag_text("A terrorist group shall be punished by dissolution.", "en"))
    assert _codes(tag_text("A terrorist group is liable to a fine of 5000 units.", "en"))
    assert _codes(tag_text("La organización terrorista será sancionada con multa.", "es"))
    assert _codes(tag_text("La organización terrorista será castigada.", "es"))
    assert not _codes(tag_text("A terrorist group shall report to the Minister.", "en"))
    assert not _codes(tag_text("La organización terrorista presentará un informe anual.", "es"))


def test_mixed_group_parsing():
    import tomllib

    from ingest.taxonomy import TaxonomyError, compile_rules, split_alternatives

    assert split_alternatives(r"@penal|(?:a|b)|[|]x|\|y|[]|]z") == [
        "@penal",
        "(?:a|b)",
        "[|]x",
        r"\|y",
        "[]|]z",
    ]

    def group_of(spec: str) -> str:
        rule = "[terms]\npenal = ['punish']\n[[rule]]\nid = 'x'\ncode = 'terrorist_act'\n"
        rule += f"all = ['{spec}']"
        rs = compile_rules(tomllib.loads(rule), "xx", load_taxonomy())
        return rs.groups[rs.rules[0].groups[0]].pattern

    assert group_of("@penal|multa") == "(?:punish)|(?:multa)"
    assert group_of("multa|@penal") == "(?:multa)|(?:punish)"
    assert group_of("info@penal|x") == "(?:info@penal|x)"  # "@" inside a pattern is a literal
    with pytest.raises(TaxonomyError, match="unknown term list"):
        group_of("@nolist|multa")
    with pytest.raises(TaxonomyError, match="unknown term list"):
        group_of("@nolist")


_SENT_RULES = """
[[rule]]
id = "liable"
code = "terrorist_act"
all = ['(?:liable|bestraft|potrestá)\\w*{sent}{0,120}terr?oris']
"""


def test_sentence_placeholder_lets_references_pass(custom_rules):
    custom_rules(_SENT_RULES)
    de = tag_text(
        "Mit Freiheitsstrafe bis zu fünf Jahren wird bestraft, wer entgegen Art. 17 Abs. 1 Satz 1 "
        "einer terroristischen Vereinigung Vermögenswerte zur Verfügung stellt.",
        "de",
    )
    assert _codes(de, "offence") == {"terrorist_act"}
    en = tag_text(
        "A person is liable under s. 83.01 of the Code, para. 3 of Act No. 25 of 2005, where the "
        "property is used for terrorist activity.",
        "en",
    )
    assert _codes(en, "offence") == {"terrorist_act"}
    cs = tag_text(
        "Odnětím svobody bude potrestán, kdo podle § 20 odst. 1 zákona č. 40/2009 Sb., trestní "
        "zákoník, podporuje teroristickou skupinu.",
        "cs",
    )
    assert _codes(cs, "offence") == {"terrorist_act"}
    # A period ending the sentence (also before a numbered paragraph) still stops the window.
    assert not _codes(
        tag_text("The offender is liable to a fine. 2. The terrorist group is dissolved.", "en")
    )
    assert not _codes(
        tag_text("Er wird bestraft. Die terroristische Vereinigung wird aufgelöst.", "de")
    )
    assert not _codes(tag_text("Pachatel bude potrestán; teroristická skupina se rozpouští.", "cs"))


def test_sentence_placeholder_is_only_expanded_where_written():
    from ingest.taxonomy import SENT, expand_placeholders

    assert expand_placeholders("a{sent}{0,5}b") == f"a{SENT}{{0,5}}b"
    assert expand_placeholders("a{{sent}}b") == "a{{sent}}b"  # an inline term list
    assert expand_placeholders("a[^.;]{0,5}b") == "a[^.;]{0,5}b"


def test_a_misspelt_rule_key_is_an_error_not_ignored():
    import tomllib

    from ingest.taxonomy import TaxonomyError, compile_rules

    rule = "[[rule]]\nid = 'x'\ncode = 'investigation'\nall = ['surveillance']\n"
    rule += "use_heading = false\n"
    with pytest.raises(TaxonomyError, match="unknown rule key.*use_heading"):
        compile_rules(tomllib.loads(rule), "xx", load_taxonomy())
    ok = compile_rules(tomllib.loads(rule.replace("use_heading", "heading")), "xx", load_taxonomy())
    assert ok.rules[0].use_heading is False


def test_a_defines_rule_fires_in_a_definitions_article():
    """A rule marked ``defines`` recognises the definition of its own code's subject, an element
    of the offences (round 26: are 7/2014 art. 1 defines internationally protected persons), and
    still fires where a general definitions article keeps every other offence code out."""
    text = (
        "في تطبيق أحكام هذا القانون يكون للكلمات والعبارات التالية المعاني المبينة قرين كل منها، "
        "ما لم يقض سياق النص بغير ذلك: الدولة : الإمارات العربية المتحدة. الأشخاص المشمولون "
        "بالحماية الدولية: ملوك ورؤساء الدول الأخرى، ورؤساء الحكومات، ووزراء الخارجية."
    )
    tags = tag_text(text, "ar")
    assert "protected_persons" in _codes(tags, "offence")
    assert any(e.rule.endswith(".defines_internationally_protected_persons")
               for t in tags for e in t.evidence)  # fmt: skip
    # the same rule set gives a plain definition of "the State" no offence code
    plain = tag_text(text.split("الأشخاص")[0], "ar")
    assert _codes(plain, "offence") == set()


def test_double_labelled_sets_match_their_gold():
    """Each annotator's file of a double-labelled blind set holds the gold set's rows (same ids,
    texts and order); where the two annotators agree, the adjudicated gold keeps their labels,
    unless a later second reader relabelled the row (it then says so in "relabelled")."""
    bench = _bench()
    taxonomy = load_taxonomy()
    sets = sorted(bench.ANNOTATORS.glob("labelled_tags_*_A.jsonl"))
    assert len(sets) >= 3
    for path_a in sets:
        split = path_a.name.removeprefix("labelled_tags_").removesuffix("_A.jsonl")
        a = bench.load_cases(path_a)
        b = bench.load_cases(path_a.with_name(path_a.name.replace("_A.", "_B.")))
        gold = bench.load_cases(bench.BLIND_FILES[split])
        assert [(c["id"], c["text"]) for c in a] == [(c["id"], c["text"]) for c in gold], split
        assert [(c["id"], c["text"]) for c in b] == [(c["id"], c["text"]) for c in gold], split
        for x, y, g in zip(a, b, gold, strict=True):
            for row in (x, y):
                assert set(row["offences"]) <= set(taxonomy.offences), (split, row["id"])
                assert set(row["instruments"]) <= set(taxonomy.instruments), (split, row["id"])
            if "relabelled" in g:
                assert len(g["relabelled"]) > 20, (split, g["id"])  # says who and why
            elif (set(x["offences"]), set(x["instruments"])) == (
                set(y["offences"]),
                set(y["instruments"]),
            ):
                assert set(g["offences"]) == set(x["offences"]), (split, g["id"])
                assert set(g["instruments"]) == set(x["instruments"]), (split, g["id"])


def test_amending_section_is_tagged_by_the_text_it_inserts():
    """An English "Amendment of section N of Act ..." is tagged by the quotation it inserts or
    substitutes (round 33), not by its wrapper nor by the section numbers or offence lists it
    swaps; other languages' rule files have no ``[amendments]`` and keep their behaviour."""
    heading = "Amendment of section 18 of Act of 2003"
    inserted = (
        "Section 18 of the Act of 2003 is amended by the insertion of the following subsection: "
        "“(2A) Where the High Court decides to postpone a person's surrender under this section, "
        "it may remand the person in custody or on bail.”."
    )
    title = "Criminal Justice (Terrorist Offences) Act 2005"
    tags = tag_text(inserted, "en", heading=heading, document_title=title)
    assert _codes(tags, "offence") == {"extradition_mla", "investigation"}
    # the wrapper alone, swapping words and section numbers, carries no code
    swap = (
        "Section 65(1) of the Act of 1994 is amended by substituting “a drug trafficking offence, "
        "an offence of financing terrorism” for “a drug trafficking offence”."
    )
    assert _codes(tag_text(swap, "en", heading="Amendment of section 65 of Act of 1994")) == set()
    # an inserted item of a list of offences, named by section number, carries no code
    listed = (
        "Part 1 of Schedule 2 is amended by the insertion of the following paragraph after "
        "paragraph 7: “Offences relating to maritime navigation 7A. Any offence under section 2 "
        "of the Maritime Security Act 2004.”."
    )
    heading2 = "Amendment of Part 1 of Schedule 2 to Principal Act"
    assert _codes(tag_text(listed, "en", heading=heading2), "offence") == set()
    # without an amendment heading the whole text is read as before
    assert "maritime" in _codes(tag_text(listed, "en"), "offence")
    assert load_rules("fr").amend_heading == ()
