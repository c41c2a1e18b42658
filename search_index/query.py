"""Parse the full-text query syntax into a small AST that both backends compile.

Syntax:
    words               terrorism financing        (all words must match: implicit AND)
    phrases             "terrorist organisation"
    boolean operators   AND, OR, NOT (upper case); ``-word`` = NOT word; ``+word`` = word
    grouping            (financing OR funds) AND -repealed
    prefix              terror*  (at least 2 letters or digits before the ``*``)

AND binds tighter than OR: ``a OR b c`` is ``a OR (b AND c)``. Words without a letter or digit
(``§``, ``-``) are dropped. Prefix search matches surface words, so ``terror*`` finds
"terrorism" and "terrorist"; a prefix of CJK characters is searched as the characters
themselves, since CJK text is matched as substrings anyway. An English word or phrase with a
British/American twin (``organisation``/``organization``, ``offence``/``offense``) is searched
with its twin (``search_index.spelling``).

Anything else (``*`` alone or at the start of a word, ``*`` inside a word, unbalanced quotes or
parentheses, an operator without its operand) raises :class:`QuerySyntaxError` with the offset
of the problem.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from search_index.base import MAX_CLAUSES, MAX_DEPTH, MAX_QUERY_LENGTH, QuerySyntaxError
from search_index.spelling import phrase_variant, spelling_variant

# Han, Hiragana, Katakana, Hangul (incl. compatibility and half-width forms).
CJK_RE = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f]"
)
_HAS_WORD_CHAR = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Word:
    text: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Phrase:
    text: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Prefix:
    text: str  # the letters before the *, as typed
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class MatchAll:
    pass


Leaf = Word | Phrase | Prefix
Node = Word | Phrase | Prefix | And | Or | Not | MatchAll


@dataclass(frozen=True)
class _Token:
    kind: str  # WORD PHRASE LPAREN RPAREN AND OR NOT PLUS
    text: str
    position: int


def contains_cjk(text: str) -> bool:
    return CJK_RE.search(text) is not None


def _is_prefix_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def _lex(q: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token("LPAREN" if ch == "(" else "RPAREN", ch, i))
            i += 1
        elif ch == '"':
            end = q.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError('unbalanced quote: close the phrase with "', i)
            tokens.append(_Token("PHRASE", q[i + 1 : end], i))
            i = end + 1
        elif ch in "-+" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] != ")":
            tokens.append(_Token("NOT" if ch == "-" else "PLUS", ch, i))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in '()"':
                j += 1
            word = q[i:j]
            kind = word if word in ("AND", "OR", "NOT") else "WORD"
            tokens.append(_Token(kind, word, i))
            i = j
    return tokens


def _word_node(token: _Token) -> Leaf | None:
    text, pos = token.text, token.position
    star = text.find("*")
    if star < 0:
        return Word(text, pos) if _HAS_WORD_CHAR.search(text) else None
    if star == 0:
        raise QuerySyntaxError("a * must follow at least 2 letters of a word (like terror*)", pos)
    if star != len(text) - 1:
        raise QuerySyntaxError("* is only allowed at the end of a word", pos + star)
    stem = text[:-1]
    if not all(_is_prefix_char(c) for c in stem):
        raise QuerySyntaxError("a prefix before * may contain only letters and digits", pos)
    if len(stem) < 2:
        raise QuerySyntaxError("a prefix needs at least 2 letters before the *", pos)
    if contains_cjk(stem):
        return Phrase(stem, pos)
    return Prefix(stem, pos)


class _Parser:
    def __init__(self, q: str) -> None:
        self.q = q
        self.tokens = _lex(q)
        self.i = 0
        self.leaves = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        node = self.or_expr(0)
        token = self.peek()
        if token is not None:  # only an unmatched ")" can stop or_expr early
            raise QuerySyntaxError("unbalanced parenthesis: no ( opens this )", token.position)
        return node if node is not None else MatchAll()

    def or_expr(self, depth: int) -> Node | None:
        children = [self.and_expr(depth)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            children.append(self.and_expr(depth, after=token))
        return _combine(Or, children)

    def and_expr(self, depth: int, after: _Token | None = None) -> Node | None:
        children = [self.unary(depth, after)]
        while (token := self.peek()) is not None and token.kind not in ("OR", "RPAREN"):
            if token.kind == "AND":
                self.take()
                children.append(self.unary(depth, after=token))
            else:
                children.append(self.unary(depth, None))
        return _combine(And, children)

    def unary(self, depth: int, after: _Token | None) -> Node | None:
        token = self.peek()
        if token is not None and token.kind in ("NOT", "PLUS"):
            if depth >= MAX_DEPTH:
                raise QuerySyntaxError(f"query nested more than {MAX_DEPTH} levels", token.position)
            self.take()
            child = self.unary(depth + 1, token)
            if token.kind == "PLUS" or child is None:
                return child
            return child.child if isinstance(child, Not) else Not(child)
        return self.primary(depth, after)

    def primary(self, depth: int, after: _Token | None) -> Node | None:
        token = self.peek()
        if token is None or token.kind in ("AND", "OR", "RPAREN"):
            where = token.position if token is not None else len(self.q)
            if after is not None:
                raise QuerySyntaxError(
                    f'expected a word, a "phrase" or ( after {after.text}', where
                )
            if token is None:
                return None
            if token.kind == "RPAREN":
                raise QuerySyntaxError("unbalanced parenthesis: no ( opens this )", where)
            raise QuerySyntaxError(f"{token.text} needs a word or phrase before it", where)
        self.take()
        if token.kind == "LPAREN":
            return self.group(token, depth)
        node = (
            _word_node(token)
            if token.kind == "WORD"
            else (Phrase(token.text, token.position) if _HAS_WORD_CHAR.search(token.text) else None)
        )
        if node is not None:
            self.leaves += 1
            if self.leaves > MAX_CLAUSES:
                raise QuerySyntaxError(
                    f"too many terms: a query may have at most {MAX_CLAUSES}", token.position
                )
            node = _with_spelling_variant(node)
        return node

    def group(self, opening: _Token, depth: int) -> Node | None:
        if depth >= MAX_DEPTH:
            raise QuerySyntaxError(f"query nested more than {MAX_DEPTH} levels", opening.position)
        token = self.peek()
        if token is not None and token.kind == "RPAREN":
            raise QuerySyntaxError("empty parentheses", opening.position)
        node = self.or_expr(depth + 1)
        token = self.peek()
        if token is None or token.kind != "RPAREN":
            raise QuerySyntaxError("unbalanced parenthesis: close this ( with )", opening.position)
        self.take()
        return node


def _with_spelling_variant(leaf: Leaf) -> Node:
    """The leaf, or the leaf OR its other English spelling ("organisation" / "organization")."""
    if isinstance(leaf, Word):
        variant = spelling_variant(leaf.text.lower())
        return Or((leaf, Word(variant, leaf.position))) if variant else leaf
    if isinstance(leaf, Phrase):
        variant = phrase_variant(leaf.text)
        return Or((leaf, Phrase(variant, leaf.position))) if variant else leaf
    return leaf


def _combine(kind: type[And] | type[Or], children: list[Node | None]) -> Node | None:
    flat: list[Node] = []
    for child in children:
        if child is None:
            continue
        flat.extend(child.children if isinstance(child, kind) else (child,))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def parse_query(q: str) -> Node:
    """Parse ``q`` into an AST; an empty or blank query is :class:`MatchAll`.

    Raises:
        QuerySyntaxError: with the 0-based offset of the problem.
    """
    if len(q) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"query longer than {MAX_QUERY_LENGTH} characters", MAX_QUERY_LENGTH)
    return _Parser(q).parse()


def positive_leaves(node: Node) -> list[Leaf]:
    """The words, phrases and prefixes a matching document contains (not those under NOT)."""
    if isinstance(node, Word | Phrase | Prefix):
        return [node]
    if isinstance(node, And | Or):
        return [leaf for child in node.children for leaf in positive_leaves(child)]
    return []
