"""Marginal notes of PDF pages: grouped per margin and per note, placed before their text line.

Geometry from the Sri Lankan acts in the corpus (PDF points, origin bottom left): notes in 9 pt
type beside 11 pt text, stacked at a 9.6 pt pitch, one note per section.
"""

from __future__ import annotations

from ingest.formats.pdf_layout import Line, structure_page


def _line(text: str, x0: float, x1: float, top: float, size: float) -> Line:
    return Line(text, x0, x1, top - size, top, size, 0)


def _body(text: str, top: float, x0: float = 145.0) -> Line:
    return _line(text, x0, 384.0, top, 11.2)


def _note(text: str, top: float, x0: float = 396.0) -> Line:
    return _line(text, x0, x0 + 50.0, top, 9.0)


def _texts(lines: list[Line]) -> list[str]:
    blocks, _ = structure_page(lines, 11.2, 595.0)
    return [b.line.text for b in blocks]


def test_two_stacked_notes_stay_apart() -> None:
    # The last line of one note and the first of the next are 0.76 type sizes apart, the lines
    # of one note overlap a little: two notes, each before the section it stands level with.
    lines = [
        _body("13. In the event of any inconsistency between the", 280.2),
        _note("Sinhala Text to", 278.6),
        _body("Sinhala and Tamil text of this Act, the Sinhala text shall prevail.", 267.1),
        _note("prevail in case of", 269.0),
        _note("inconsistency.", 259.4),
        _body("14. In this Act unless the context otherwise requires –", 244.5),
        _note("Interpretation.", 243.6),
        _body("“explosive” means :", 225.4),
    ]
    assert _texts(lines) == [
        "Sinhala Text to prevail in case of inconsistency.",
        "13. In the event of any inconsistency between the",
        "Sinhala and Tamil text of this Act, the Sinhala text shall prevail.",
        "Interpretation.",
        "14. In this Act unless the context otherwise requires –",
        "“explosive” means :",
    ]


def test_notes_of_two_margins_are_not_mixed() -> None:
    # An amending section's note at the right and the note of the section it inserts at the
    # left, interleaved in reading order.
    lines = [
        _body("12. Section 26 of the principal enactment is hereby", 637.4, x0=156.0),
        _note("Replacement", 637.2, x0=397.3),
        _body("repealed and the following section is substituted therefor:-", 626.0),
        _note("of section 26", 627.6, x0=397.3),
        _note("principal", 608.4, x0=397.3),
        _line("“Protection", 144.8, 184.5, 603.6, 7.3),
        _body("26. (1) An Order made or direction given", 603.2, x0=208.9),
        _note("enactment", 598.8, x0=397.3),
        _line("of officers", 144.8, 181.5, 594.0, 7.3),
        _body("under this Act may be questioned in", 591.8, x0=197.9),
    ]
    texts = _texts(lines)
    assert "Replacement of section 26" in texts
    assert "principal enactment" in texts
    assert "“Protection of officers" in texts
    assert texts.index("“Protection of officers") + 1 == texts.index(
        "26. (1) An Order made or direction given"
    )


def test_small_line_beside_indented_text_is_a_note() -> None:
    # The note of an inserted section stands inside the page's column, left of the indented
    # text of that section.
    lines = [
        _body("2. The following new section is hereby inserted immediately", 539.4),
        _body("after section 2 of the principal enactment:-", 527.0),
        _body("and shall have effect as section 2A of that enactment:-", 515.0),
        _line("“Application", 143.9, 188.1, 389.4, 8.9),
        _body("2A. (1) The provisions of this Act shall apply", 390.7, x0=210.8),
        _line("of the Act.", 143.9, 180.6, 379.8, 8.9),
        _body("in relation to a person who being a citizen of", 378.3, x0=198.8),
    ]
    texts = _texts(lines)
    assert texts[3] == "“Application of the Act."
    assert texts[4] == "2A. (1) The provisions of this Act shall apply"
