"""The query's tokens, read as Oxigraph reads them, and what they refuse."""

from __future__ import annotations

import contextlib
import time

import pyoxigraph
import pytest
from hypothesis import assume, given, strategies as st

from graph.sparql.query import bundled_queries, load_query
from graph.sparql.sandbox import network_isolation, run_isolated
from graph.sparql.tokens import (
    FALLBACK_LIMITS,
    LIMITS,
    QueryError,
    RefusedQuery,
    check_query,
    leading_form,
    tokenize,
    unescape_codepoints,
)

ENDPOINT = "<http://127.0.0.1:65000/sparql>"
PROLOGUE = (
    "PREFIX : <http://127.0.0.1:65000/> PREFIX x: <http://127.0.0.1:65000/> PREFIX ex: <http://x/> "
)
SECCOMP = network_isolation().startswith("queries cannot open sockets")


def kinds(text: str) -> list[tuple[str, str]]:
    return [(token.kind, token.text) for token in tokenize(text)]


def refused(text: str) -> bool:
    try:
        check_query(text)
    except RefusedQuery:
        return True
    return False


def test_the_tokens_of_a_query():
    assert kinds('PREFIX ex: <http://x/> SELECT ?a $b WHERE { _:n ex:p "v"@en-GB, 1.5e3 }') == [
        ("word", "PREFIX"), ("pname", "ex:"), ("iri", "<http://x/>"), ("word", "SELECT"),
        ("var", "?a"), ("var", "$b"), ("word", "WHERE"), ("punct", "{"), ("bnode", "_:n"),
        ("pname", "ex:p"), ("string", '"v"'), ("langtag", "@en-GB"), ("punct", ","),
        ("number", "1.5e3"), ("punct", "}"),
    ]  # fmt: skip


def test_an_escaped_hash_stays_in_its_prefixed_name():
    """The issue's bypass: ``\\#`` is a legal escape, not the start of a comment."""
    tokens = kinds(
        f"PREFIX ex: <http://x/> SELECT * {{ VALUES ?v {{ ex:a\\# }} SERVICE {ENDPOINT} {{}} }}"
    )
    assert ("pname", "ex:a\\#") in tokens
    assert ("word", "SERVICE") in tokens


def test_a_local_name_takes_one_group_of_dots_as_oxigraph_reads_it():
    assert kinds("ex:a.b.c") == [("pname", "ex:a.b"), ("punct", "."), ("word", "c")]


@pytest.mark.parametrize(
    ("text", "less_than"),
    [
        ("SELECT * { ?s ?p ?o FILTER(?o<?b) }", True),
        ("SELECT * { ?s ?p ?o FILTER(1<2&&3>2) }", True),
        ("SELECT * { ?s ?p ?o FILTER(STR(?o)<'b') }", True),
        ("SELECT * { ?s <http://x/p> ?o }", False),
        ("SELECT * { ?s ?p ?o FILTER(?o IN (<http://x/o>)) }", False),
        ("SELECT * { ?s ?p (?o <http://x/o>) }", False),
        ("SELECT * { ?s ?p ?o } VALUES (?s) { (<http://x/s>) }", False),
        ("SELECT (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*)<3)", True),
    ],
)
def test_less_than_after_an_operand_in_an_expression_and_an_iri_elsewhere(text, less_than):
    tokens = kinds(text)
    assert (("punct", "<") in tokens) is less_than
    assert any(kind == "iri" for kind, _ in tokens) is (not less_than)


def test_a_comparison_that_also_reads_as_an_iri_with_a_hash_is_an_error():
    """Read as code, ``#`` after ``<`` would start a comment that hides the rest of the line."""
    with pytest.raises(QueryError, match="write a space after '<'"):
        tokenize("SELECT * { FILTER(1<2)SERVICE?e#>\n{} }")


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("SELECT * WHERE {\n  ?s ?p % }", 2, 9),
        ("SELECT * WHERE { ?s ?p 'no end }", 1, 24),
        ("ASK {\n\n ?s ?p ?o ) }", 3, 11),
    ],
)
def test_text_that_does_not_lex_names_its_line_and_column(text, line, column):
    with pytest.raises(QueryError, match=f"line {line}, column {column}: ") as caught:
        check_query(text)
    assert "\n" not in str(caught.value)


def test_a_bracket_never_closed_is_named():
    with pytest.raises(QueryError, match=r"line 2, column 7: '\{' is never closed"):
        check_query("SELECT *\nWHERE { ?s ?p ?o")


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000, "deeper than 128"),
        ("ASK { FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }", "deeper than 128"),
        ("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 30_000) + " }", "50,000 tokens"),
        ("ASK { ?s ?p <http://x/" + "a" * 5000 + "> }", "IRI longer than 4,096"),
        ("ASK {} # " + "x" * 1_000_000, "longer than 1,000,000 characters"),
    ],
    ids=["3,000 braces", "100,000 parentheses", "30,000 unions", "a long IRI", "a long text"],
)  # fmt: skip
def test_queries_past_a_limit_are_refused_with_the_limit_named(text, limit):
    with pytest.raises(QueryError, match=limit) as caught:
        check_query(text)
    assert not isinstance(caught.value, RefusedQuery)


def test_brackets_inside_an_iri_count_towards_the_depth():
    text = "ASK { ?s ?p <http://x/" + "(" * 200 + ")" * 200 + "> }"
    with pytest.raises(QueryError, match="deeper than 128"):
        check_query(text)
    assert check_query("ASK { ?s ?p <http://dbpedia.org/resource/Mars_(planet)> }") == "ASK"


def test_the_fallback_limits_are_lower():
    assert FALLBACK_LIMITS.tokens < LIMITS.tokens and FALLBACK_LIMITS.depth < LIMITS.depth
    with pytest.raises(QueryError, match="5,000 tokens"):
        check_query("ASK { FILTER(" + "!" * 6000 + "true) }", FALLBACK_LIMITS)


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ VALUES ?v {{ ex:a\\# }} SERVICE <{E}> {{ ?x ?y ?z }} }}",
        "SELECT * WHERE {{ BIND(1 AS ?one) SERVICE:x{{?a ?b ?c}} }}",
        "SELECT * WHERE {{ BIND(1 AS ?one) SERVICEx:y {{?a ?b ?c}} }}",
        "SELECT * WHERE {{ BIND(1 AS ?one) SERVICE<{E}>{{?a ?b ?c}} }}",
        "SELECT * WHERE {{ BIND(1 AS ?one) sErViCe SILENT <{E}> {{}} }}",
        "SELECT * WHERE {{ BIND(1 AS ?one) SERVICESILENT<{E}>{{}} }}",
        "SELECT * WHERE {{ ?s ?p ex:a.b.SERVICE<{E}>{{?x ?y ?z}} }}",
        "SELECT * WHERE {{ ?s ?p trueSERVICE<{E}>{{?x ?y ?z}} }}",
        "SELECT * WHERE {{ ?s ?p trueSERVICE:x{{?x ?y ?z}} }}",
        'SELECT * WHERE {{ BIND("\\u0022" AS ?q) SERVICE <{E}> {{}} BIND("\\u0022" AS ?r) }}',
    ],
)
def test_every_way_to_reach_service_that_oxigraph_takes_is_refused(template, listener):
    """Each query, run by Oxigraph unchecked, connects to the listener; the tokens refuse it."""
    port, accepted = listener
    url = f"http://127.0.0.1:{port}/"
    text = f"PREFIX : <{url}> PREFIX x: <{url}> PREFIX ex: <http://x/> " + template.format(E=url)
    assert refused(text)
    store = pyoxigraph.Store()
    for value in (pyoxigraph.NamedNode("http://x/a.b"), pyoxigraph.Literal(True)):
        store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://x/s"),
                                  pyoxigraph.NamedNode("http://x/p"), value))  # fmt: skip
    with contextlib.suppress(OSError):
        list(store.query(text))
    deadline = time.monotonic() + 10
    while not accepted and time.monotonic() < deadline:
        time.sleep(0.01)
    assert accepted


def test_a_keyword_spelled_with_codepoint_escapes_is_refused():
    assert refused(f"SELECT * WHERE {{ \\u0053ERVICE {ENDPOINT} {{}} }}")
    assert refused("\\u0049NSERT DATA { <x:a> <x:b> <x:c> }")
    assert unescape_codepoints("\\u0041SK {}") == "ASK {}"


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "INSERT"),
        ("SELECT * WHERE { ?s ?p ?o } ; DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("ADD DEFAULT TO <http://x/g>", "ADD"),
    ],
)
def test_update_keywords_are_refused_wherever_they_are(text, keyword):
    with pytest.raises(RefusedQuery, match=f"^{keyword} is refused: the graph is read-only"):
        check_query(text)


# Text that holds the word SERVICE without being a keyword
_PLAIN = st.text(st.characters(blacklist_characters='"\\\n\r', codec="utf-8"), max_size=20)
_IRI_CHARS = st.text(
    st.characters(whitelist_categories=("Ll", "Lu", "Nd"), max_codepoint=0x7F)
    | st.sampled_from("/#?=&.-_~:;,()!*+$@%"),
    max_size=20,
)
_NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,6}", fullmatch=True)


def _cased(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda flags: "".join(
            c.upper() if f else c.lower() for c, f in zip(word, flags, strict=True)
        )
    )


@given(before=_PLAIN, after=_PLAIN, word=_cased("service"))
def test_a_string_holding_service_is_not_refused(before, after, word):
    assert check_query(f'SELECT ?s WHERE {{ ?s ?p "{before}{word}{after}" }}') == "SELECT"
    long = f"{before}\n{word}\n{after}".replace("'", "")
    assert check_query(f"ASK {{ ?s ?p '''{long}''' }}") == "ASK"


@given(before=_IRI_CHARS, after=_IRI_CHARS, word=_cased("service"))
def test_an_iri_holding_service_is_not_refused(before, after, word):
    assert check_query(f"ASK {{ ?s <http://x/{before}{word}{after}> ?o }}") == "ASK"


@given(text=_PLAIN, word=_cased("service"))
def test_a_comment_holding_service_is_not_refused(text, word):
    assert check_query(f"ASK {{ ?s ?p ?o # {text} {word} {ENDPOINT} {{ }}\n}}") == "ASK"


@given(
    prefix=_NAME, local=_NAME, word=_cased("service"), escape=st.sampled_from(["", "\\#", "\\."])
)
def test_a_prefixed_name_or_variable_holding_service_is_not_refused(prefix, local, word, escape):
    assume(not prefix.lower().lstrip("truefals").startswith("service"))
    for prefix_name in (f"{prefix}:{local}{escape}{word}", f"x-{prefix}{word}:{local}"):
        name = prefix_name.split(":", 1)[0]
        text = f"PREFIX {name}: <http://x/> ASK {{ ?{local}{word} {prefix_name} ?o }}"
        assert check_query(text) == "ASK"


@given(
    name=st.sampled_from(sorted(bundled_queries())),
    place=st.floats(0, 1),
    word=_cased("service"),
)
def test_service_put_between_any_two_tokens_of_a_query_is_refused(name, place, word):
    text = load_query(name)
    tokens = tokenize(text)
    index = int(place * len(tokens))
    lines = text.splitlines(keepends=True)
    token = tokens[min(index, len(tokens) - 1)]
    offset = sum(len(line) for line in lines[: token.line - 1]) + token.column - 1
    if index == len(tokens):
        offset = len(text)
    assert refused(f"{text[:offset]} {word} {text[offset:]}")


@pytest.mark.parametrize("name", sorted(bundled_queries()))
def test_the_tokens_of_each_bundled_query_read_back_the_same(name):
    tokens = tokenize(load_query(name))
    assert [t.text for t in tokenize(" ".join(t.text for t in tokens))] == [t.text for t in tokens]


_FRAGMENTS = [
    "SERVICE", "service", "SILENT", "SERVICE:x", "SERVICEx:y", "SERVICESILENT", "trueSERVICE",
    "true", "false", ENDPOINT, "{", "}", "{}", "?x", "?e", "ex:a.b.", "ex:a\\#", "#", "\n",
    ".", "(", ")", "FILTER", "1<2", "<", ">", "'", '"', "\\u0022", "BIND(1 AS ?x)",
    f"BIND({ENDPOINT} AS ?e)", "OPTIONAL", "UNION", "x:y", ":x", "a", ";", ",",
]  # fmt: skip


@pytest.mark.skipif(not SECCOMP, reason="needs the seccomp filter to see a socket attempt")
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=8), st.sampled_from(["", " "]))
def test_what_the_tokens_let_through_never_reaches_the_network(fragments, glue):
    """Differential: Oxigraph runs each query the check lets through in the sandbox, which
    shows any socket it tries to open."""
    text = f"{PROLOGUE}SELECT * WHERE {{ BIND(1 AS ?one) {glue.join(fragments)} }}"
    try:
        check_query(text)
    except QueryError:
        return
    store = pyoxigraph.Store()
    try:
        run_isolated(lambda: list(store.query(text)))
    except PermissionError as error:
        pytest.fail(f"{text!r} passed the check and reached for the network: {error}")
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("BASE <http://x/> PREFIX ex: <http://x/> construct { ?s ?p ?o } WHERE {}", "CONSTRUCT"),
        ("# a comment\nDESCRIBE <http://x/a>", "DESCRIBE"),
        ("SELECT * WHERE " + "{" * 3000, "SELECT"),  # the rest is for check_query
    ],
)
def test_the_leading_form_reads_only_the_first_keywords(text, form):
    assert leading_form(text) == form


def test_the_leading_form_refuses_what_comes_first():
    with pytest.raises(RefusedQuery, match=r"^DELETE is refused"):
        leading_form("PREFIX ex: <http://x/> DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="not a SPARQL query"):
        leading_form("hello world")
