"""Plain text and Markdown -> text, one line per paragraph or heading.

Markdown is parsed with markdown-it (CommonMark + tables) and rendered back to plain lines:
heading markers ``#`` stay (the segmenter uses them), ordered-list numbers stay as written
("15." is a provision number, not a list), emphasis and link syntax go, ``<sup>N</sup>`` after
a number becomes Unicode superscript digits ("205¹"), footnotes keep their ``[^N]`` form.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.clean import BLOCK_START, clean_text, to_superscript
from ingest.errors import SourceParseError
from ingest.records import ExtractedText

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_YAML_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.M | re.I)
# A file holding one section of a code (e.g. "section: 113" of the Bharatiya Nyaya Sanhita) whose
# body starts with the subsections: the number is only in the front matter.
_YAML_SECTION = re.compile(r"^section:[ \t]*[\"']?(\d+[A-Za-z]*)[\"']?[ \t]*$", re.M | re.I)
_TIGHT_HEADING = re.compile(r"(?m)^(#{1,6})(?=[^#\s])")
_BROKEN_LINK = re.compile(r"(?<!\[)\[([^\]\[^][^\]\[]*)\]\((?:https?:|/|#)[^)]*\)")
_FIRST_H1 = re.compile(r"(?m)^# (.+)$")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_TEXT_STEPS = (
    "line_endings",
    "control_chars",
    "nfkc",
    "unwrap_lines",
    "label_lines",
    "whitespace",
    "blank_lines",
)
_MD_STEPS = ("line_endings", "control_chars", "nfkc", "whitespace", "blank_lines")


def decode_text(data: bytes, what: str = "text") -> tuple[str, list[str]]:
    """Decode the bytes of a text file: BOM, then UTF-8, then charset-normalizer's guess.

    Args:
        data: The file's bytes.
        what: The kind of file, for messages ("text", "Markdown", "HTML").

    Returns:
        The text and warnings (e.g. invalid UTF-8 sequences replaced, encoding guessed).

    Raises:
        SourceParseError: The file is empty or binary.
    """
    if not data.strip():
        raise SourceParseError(f"the {what} file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return _check_text(text, what), []
    if b"\x00" in data[:4096]:
        raise SourceParseError(f"not a text file: the {what} file holds NUL bytes (binary data)")
    try:
        return _check_text(data.decode("utf-8"), what), []
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good_multibyte = sum(1 for ch in text if ord(ch) > 127) - bad
    # Mostly valid UTF-8 with a few broken sequences: keep UTF-8 rather than guess a code page.
    if bad <= max(3, len(data) // 1000) and good_multibyte >= bad:
        warning = f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD"
        return _check_text(text, what), [warning]
    best = from_bytes(data).best()
    if best is None:
        raise SourceParseError(f"not a text file: no text encoding fits the {what} file")
    return _check_text(str(best), what), [f"encoding guessed as {best.encoding}"]


def _check_text(text: str, what: str) -> str:
    if len(_CONTROL.findall(text)) > max(2, len(text) // 200):
        raise SourceParseError(f"not a text file: the {what} file is mostly control bytes")
    return text


def extract_txt(data: bytes) -> ExtractedText:
    """Extract a plain-text file: decode, normalise, join soft-wrapped lines.

    Raises:
        SourceParseError: The file is empty or binary.
    """
    text, warnings = decode_text(data)
    return ExtractedText(text=clean_text(text, _TEXT_STEPS), warnings=tuple(warnings))


def extract_md(data: bytes) -> ExtractedText:
    """Extract a Markdown file; YAML front matter is dropped and its ``title`` returned (its
    ``section``, when the body does not print the number, becomes a "Section N" line).

    Raises:
        SourceParseError: The file is empty or binary.
    """
    text, warnings = decode_text(data, "Markdown")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = None
    front = _FRONT_MATTER.match(text)
    if front:
        text = text[front.end() :]
        found = _YAML_TITLE.search(front.group(1))
        if found:
            title = found.group(1).strip().strip("\"'").strip() or None
        section = _YAML_SECTION.search(front.group(1))
        if section and not re.match(rf"\s*(?:#+\s*)?(?:Section\s+)?{section.group(1)}\b", text):
            text = f"Section {section.group(1)}\n\n{text.lstrip()}"
    # "##Wet van 3 maart 1881": converters often omit the space CommonMark needs after "#".
    text = _TIGHT_HEADING.sub(r"\1 ", text)
    body = clean_text(markdown_to_text(text), _MD_STEPS)
    if title is None:
        first = _FIRST_H1.search(body)
        title = first.group(1).strip() if first else None
    return ExtractedText(text=body, title=title, warnings=tuple(warnings))


def markdown_to_text(source: str) -> str:
    """Render Markdown as plain lines (see the module docstring for what is kept)."""
    # "[^1]: note" would otherwise be swallowed as a link reference definition.
    source = re.sub(r"(?m)^([ \t]*)\[\^", r"\1\\[^", source)
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    lines: list[str] = []
    row: list[str] | None = None
    prefix = ""
    for token in md.parse(source):
        if token.type == "heading_open":
            prefix = "#" * int(token.tag[1]) + " "
        elif token.type == "list_item_open":
            prefix = f"{token.info}{token.markup} " if token.info else f"{token.markup} "
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            lines.append(" | ".join(cell for cell in row if cell))
            row = None
        elif token.type == "inline":
            text = render_inline(token.children or [])
            if row is not None:
                row.append(text.replace("\n", " ").strip())
            else:
                lines.append(prefix + text)
                prefix = ""
        elif token.type == "fence":
            lines.append(token.content.rstrip("\n"))
        elif token.type == "code_block":
            # Indentation made this a code block by accident (tabs before a paragraph in the
            # converted source): render it as Markdown again, unindented.
            lines.append(
                markdown_to_text("\n".join(ln.strip() for ln in token.content.split("\n")))
            )
        elif token.type == "html_block":
            from ingest.formats.html import html_fragment_text

            lines.append(html_fragment_text(token.content))
        elif _ends_block(token):
            lines.append("")
    return "\n".join(lines)


def _ends_block(token: Token) -> bool:
    """A visible paragraph, heading, list or table ends here: leave a blank line."""
    if token.type in ("paragraph_close", "heading_close"):
        return not token.hidden  # paragraphs of tight list items are hidden
    return token.type in ("bullet_list_close", "ordered_list_close", "table_close")


def _following_text(children: list[Token], start: int) -> str:
    parts: list[str] = []
    for child in children[start : start + 4]:
        if child.type in ("softbreak", "hardbreak"):
            break
        parts.append(child.content if child.type != "html_inline" else "")
    return "".join(parts).lstrip()


def render_inline(children: list[Token]) -> str:
    """Render inline tokens: text kept, markup dropped, ``<sup>`` digits superscripted."""
    out: list[str] = []
    in_sup = False
    for k, child in enumerate(children):
        if child.type in ("text", "text_special", "code_inline"):
            # "**ARTICULO 1º-**Derógase": CommonMark leaves such markers unparsed; drop them.
            text = child.content.replace("**", "")
            out.append(to_superscript(text) if in_sup and text.isdigit() else text)
        elif child.type == "softbreak":
            # A wrapped line that starts a provision, list item or table row stays a line.
            out.append("\n" if BLOCK_START.match(_following_text(children, k + 1)) else " ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(child.content)
        elif child.type == "html_inline":
            tag = _TAG.match(child.content)
            if tag and tag.group(2).lower() == "sup":
                in_sup = not tag.group(1)
            elif tag and tag.group(2).lower() == "br":
                out.append("\n")
    # Links CommonMark rejects (a space in the URL) are still links to a reader.
    return _BROKEN_LINK.sub(r"\1", "".join(out))
