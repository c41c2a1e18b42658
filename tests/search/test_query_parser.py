"""The full-text query syntax: what each query parses to, and where malformed ones fail."""

from __future__ import annotations

import pytest

from search_index.base import MAX_CLAUSES, MAX_DEPTH, MAX_QUERY_LENGTH, QuerySyntaxError
from search_index.query import (
    And,
    MatchAll,
    Not,
    Or,
    Phrase,
    Prefix,
    Word,
    parse_query,
    positive_leaves,
)

W, P = Word, Phrase

PARSES = [
    ("", MatchAll()),
    ("   ", MatchAll()),
    ("terrorism", W("terrorism")),
    ("terrorism financing", And((W("terrorism"), W("financing")))),
    ("terrorism AND financing", And((W("terrorism"), W("financing")))),
    ('"terrorist group"', P("terrorist group")),
    # an English word or phrase with a British/American twin is searched with it
    ('"terrorist organisation"', Or((P("terrorist organisation"), P("terrorist organization")))),
    ("offense", Or((W("offense"), W("offence")))),
    ("-Criminalise", Not(Or((W("Criminalise"), W("criminalize"))))),
    ("funds OR harbouring", Or((W("funds"), W("harbouring"), W("harboring")))),
    ("exercise premises seized", And((W("exercise"), W("premises"), W("seized")))),
    ('financing "terrorist group"', And((W("financing"), P("terrorist group")))),
    ("funds OR property", Or((W("funds"), W("property")))),
    ("a OR b c", Or((W("a"), And((W("b"), W("c")))))),  # AND binds tighter than OR
    ("(a OR b) c", And((Or((W("a"), W("b"))), W("c")))),
    ("terrorism NOT financing", And((W("terrorism"), Not(W("financing"))))),
    ("terrorism AND NOT financing", And((W("terrorism"), Not(W("financing"))))),
    ("terrorism -financing", And((W("terrorism"), Not(W("financing"))))),
    ("-financing", Not(W("financing"))),
    ("NOT NOT financing", W("financing")),
    ("+terrorism +financing", And((W("terrorism"), W("financing")))),
    ('-"material support"', Not(P("material support"))),
    ("-(a OR b)", Not(Or((W("a"), W("b"))))),
    ("a OR -b", Or((W("a"), Not(W("b"))))),
    ("terror*", Prefix("terror")),
    ("Terror* financ*", And((Prefix("Terror"), Prefix("financ")))),
    ("恐怖*", P("恐怖")),  # CJK is matched as substrings: a prefix is the characters themselves
    ("421-2-2", W("421-2-2")),  # a hyphen inside a word is not NOT
    ("a - b", And((W("a"), W("b")))),  # a lone hyphen is punctuation
    ("§ 129a", W("129a")),  # words without letters or digits are dropped
    ("(§)", MatchAll()),
    ("terrorism and financing", And((W("terrorism"), W("and"), W("financing")))),  # lower-case
    ("((a))", W("a")),
    ("a (b (c OR d))", And((W("a"), W("b"), Or((W("c"), W("d")))))),
]


@pytest.mark.parametrize(("q", "expected"), PARSES, ids=[p[0] or "empty" for p in PARSES])
def test_parses(q, expected):
    assert parse_query(q) == expected


ERRORS = [
    ("*", 0, "at least 2 letters"),
    ("*terror", 0, "at least 2 letters"),
    ("*a*b*c*", 0, "at least 2 letters"),
    ("t*", 0, "at least 2 letters"),
    ("te*r", 2, "only allowed at the end"),
    ("ab*c*", 2, "only allowed at the end"),
    ("terror**", 6, "only allowed at the end"),
    ("s.15*", 0, "only letters and digits"),
    ('"unclosed', 0, "unbalanced quote"),
    ('financing "terrorist group', 10, "unbalanced quote"),
    ("(a OR b", 0, "unbalanced parenthesis"),
    ("a (b (c)", 2, "unbalanced parenthesis"),
    ("a OR b)", 6, "unbalanced parenthesis"),
    (")", 0, "unbalanced parenthesis"),
    ("()", 0, "empty parentheses"),
    ("a AND", 5, "after AND"),
    ("a OR OR b", 5, "after OR"),
    ("AND a", 0, "AND needs a word"),
    ("NOT", 3, "after NOT"),
    ("a AND )", 6, "after AND"),
]


@pytest.mark.parametrize(("q", "position", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_malformed_queries_point_at_the_problem(q, position, message):
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(q)
    assert info.value.position == position
    assert message in info.value.message
    assert f"at character {position + 1}" in str(info.value)


def test_limits():
    with pytest.raises(QuerySyntaxError, match="longer than") as info:
        parse_query("a" * (MAX_QUERY_LENGTH + 1))
    assert info.value.position == MAX_QUERY_LENGTH
    parse_query("w " * MAX_CLAUSES)
    with pytest.raises(QuerySyntaxError, match="too many terms"):
        parse_query("w " * (MAX_CLAUSES + 1))
    parse_query("(" * (MAX_DEPTH - 1) + "a" + ")" * (MAX_DEPTH - 1))
    with pytest.raises(QuerySyntaxError, match="nested"):
        parse_query("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(QuerySyntaxError, match="nested"):
        parse_query("-" * (MAX_DEPTH + 1) + "a")


def test_positions_are_kept_but_not_compared():
    node = parse_query("alpha  beta")
    assert isinstance(node, And)
    assert [child.position for child in node.children] == [0, 7]  # type: ignore[union-attr]
    assert node == And((W("alpha", 99), W("beta", 99)))


def test_positive_leaves_skip_negated_terms():
    node = parse_query('terror* "material support" -financing (funds OR -money)')
    assert positive_leaves(node) == [Prefix("terror"), P("material support"), W("funds")]
