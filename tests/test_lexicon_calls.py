"""A lexicon a pattern names twice is defined once and called: same matches, shorter pattern."""

from __future__ import annotations

import regex

from pipeline.ruleset.lexicon import alternation, place_lexicons

# long enough to be called rather than written out twice (lexicon.SHORT)
TITLES = {
    t: t for t in [f"Chức vụ {n} của ban {7 * n}" for n in range(30)] + ["Bí thư", "Chủ tịch"]
}
LEXICONS = {"titles": TITLES, "few": {"và": "và"}}


def test_a_lexicon_named_again_is_called() -> None:
    """Written out where first named (the engine's fast start stays) and in its definition."""
    placed = place_lexicons(r"{@titles}(?:,\s+{@titles})*(?:\s+{@titles})?", LEXICONS)
    assert placed.count(alternation(TITLES)) == 2
    assert placed.count("(?&_lex_titles)") == 2
    pattern = regex.compile(placed)
    assert pattern.fullmatch("Bí thư, Chủ tịch, Chức vụ 7 của ban 49")
    assert not pattern.fullmatch("Bí thư, Phó")
    assert "_lex_titles" in pattern.groupindex  # record fields skip groups named "_..."


def test_a_call_inside_a_case_blind_group_is_case_blind() -> None:
    """A call does not take the flags around it: the case-blind place gets its own definition."""
    placed = place_lexicons(r"{@titles}\s+(?i:{@titles})\s+{@titles}", LEXICONS)
    pattern = regex.compile(placed)
    assert pattern.fullmatch("Bí thư BÍ THƯ Chủ tịch")
    assert not pattern.fullmatch("Bí thư Bí thư CHỦ TỊCH")


def test_short_lexicons_and_before_patterns_are_written_out() -> None:
    assert place_lexicons("{@few} {@few}", LEXICONS) == "(?:và) (?:và)"
    written = place_lexicons("{@titles} {@titles}", LEXICONS, calls=False)
    assert written == f"{alternation(TITLES)} {alternation(TITLES)}"


def test_classes_and_escapes_do_not_open_groups() -> None:
    placed = place_lexicons(r"[(]\({@titles}(?i:{@titles})", LEXICONS)
    assert regex.compile(placed).fullmatch("((Bí thưbí thư")
