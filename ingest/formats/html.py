"""HTML -> text, one line per block element.

Encoding: BOM, then ``<meta charset>`` / ``http-equiv`` in the first 4 KB, then UTF-8, then
charset-normalizer. Scripts, styles, navigation and comments are dropped. Block elements
(paragraphs, divs, list items, table rows, ``<br>``) end lines; headings ``h1``-``h6`` become
Markdown-style ``#`` lines; table cells are joined with `` | ``. Superscripts, whether ``<sup>``
or a CSS class/style with ``vertical-align: super`` (pravo.gov.ru's "Статья 205<span
class=W9>1</span>"), turn their digits into Unicode superscript digits: "Статья 205¹".
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from ingest.clean import clean_text, to_superscript
from ingest.errors import SourceParseError
from ingest.formats.text import decode_text
from ingest.records import ExtractedText

_DROP = {"script", "style", "nav", "noscript", "template", "head", "svg", "object", "iframe"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "menu", "ol", "p", "pre", "section",
    "table", "tbody", "tfoot", "thead", "tr", "ul",
}  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_SUPER_CLASS = re.compile(r"\.([A-Za-z0-9_-]+)\s*\{[^}]*vertical-align\s*:\s*super", re.I)
_SUPER_STYLE = re.compile(r"vertical-align\s*:\s*super", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_WP_TYPOGRAPHIC = str.maketrans({"A": "“", "@": "”", "=": "’"})
_STEPS = ("line_endings", "control_chars", "nfkc", "whitespace", "blank_lines")


def extract_html(data: bytes) -> ExtractedText:
    """Extract the text of an HTML page.

    Args:
        data: The file's bytes.

    Returns:
        ``ExtractedText`` with one block per line and the page title (``<h1>`` or ``<title>``).

    Raises:
        SourceParseError: The file is empty, binary, or holds no HTML text.
    """
    text, warnings = decode_html(data)
    root = _parse(text)
    title = _title(root)
    body = clean_text(html_tree_text(root, _super_classes(root)), _STEPS)
    if not body.strip():
        raise SourceParseError("the HTML file holds no text (empty page or only scripts)")
    return ExtractedText(text=body, title=title, warnings=tuple(warnings))


def decode_html(data: bytes) -> tuple[str, list[str]]:
    """Decode HTML bytes, honouring a BOM first and a declared ``<meta>`` charset next."""
    if not data.strip():
        raise SourceParseError("the HTML file is empty")
    declared = _META_CHARSET.search(data[:4096])
    bom = data[:3] == b"\xef\xbb\xbf" or data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if declared and not bom and b"\x00" not in data[:4096]:
        encoding = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(encoding), []
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: fall back to detection
    return decode_text(data, "HTML")


def _parse(text: str) -> lxml.html.HtmlElement:
    text = _XML_DECL.sub("", text)
    if "<" not in text:
        raise SourceParseError("not an HTML file: it holds no markup")
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise SourceParseError(f"the HTML cannot be parsed ({exc})") from exc


def _super_classes(root: lxml.html.HtmlElement) -> set[str]:
    css = " ".join(style.text or "" for style in root.iter("style"))
    return set(_SUPER_CLASS.findall(css))


def _title(root: lxml.html.HtmlElement) -> str | None:
    for path in ("//h1", "//title"):
        for el in root.xpath(path):
            text = " ".join(el.text_content().split())
            # Generated pages often carry a placeholder <title> ("Complex", "Document").
            if len(text) >= 12:
                return text
    return None


def html_fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (used for raw HTML blocks inside Markdown)."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    return html_tree_text(root, set())


class _Lines:
    """Accumulates inline text into lines; a block boundary closes the current line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.parts: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def close(self) -> None:
        line = " ".join("".join(self.parts).split())
        if line.endswith(" |"):
            line = line[:-2].rstrip()
        if line and line != "|":
            self.lines.append(line)
        self.parts = []


def html_tree_text(root: lxml.html.HtmlElement, super_classes: set[str]) -> str:
    """Render a parsed HTML tree as lines (see the module docstring)."""
    out = _Lines()
    _walk(root, out, False, super_classes)
    out.close()
    return "\n".join(out.lines)


def _is_super(el: lxml.html.HtmlElement, super_classes: set[str]) -> bool:
    if el.tag == "sup":
        return True
    classes = set((el.get("class") or "").split())
    return bool(classes & super_classes) or bool(_SUPER_STYLE.search(el.get("style") or ""))


def _inline(text: str | None, sup: bool) -> str:
    if not text:
        return ""
    if sup and text.strip().isdigit():
        return to_superscript(text.strip())
    return text


def _walk(el: lxml.html.HtmlElement, out: _Lines, sup: bool, super_classes: set[str]) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if not tag or tag in _DROP:  # comments, processing instructions, dropped elements
        return
    if tag == "pre":
        out.close()
        for line in el.text_content().splitlines():
            out.add(line)
            out.close()
        return
    block = tag in _BLOCK
    if block:
        out.close()
    if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
        out.add("#" * int(tag[1]) + " ")
    sup = sup or _is_super(el, super_classes)
    if tag == "font" and "TypographicSymbols" in (el.get("face") or ""):
        # Word 97 HTML set curly quotes in the WordPerfect symbol font: A=“ @=” ==’.
        out.add((el.text or "").translate(_WP_TYPOGRAPHIC))
        return
    out.add(_inline(el.text, sup))
    for child in el:
        _walk(child, out, sup, super_classes)
        if child.tag == "br":
            out.close()
        out.add(_inline(child.tail, sup))
    if tag in ("td", "th"):
        out.add(" | ")
    elif block:
        out.close()
