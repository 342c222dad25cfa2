"""The engine: ordering, positions, configuration and the phrase kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import RuleFileError
from docgen.lint.config import LintConfig
from docgen.lint.document import TextDocument, paragraphs_from_text
from docgen.lint.engine import lint_document, lint_text
from docgen.lint.findings import Severity
from docgen.lint.rules import load_rule_file, load_rules

NO_GRAMMAR = LintConfig(ignore=("Grammar",))


def _rules(text: str, config: LintConfig = NO_GRAMMAR, **kwargs: object) -> list[str]:
    return [f.rule for f in lint_text(text, config=config, **kwargs).findings]


def test_findings_sorted_with_positions_across_lines() -> None:
    text = "Thank you for your letter.\n\nAs you are\naware, the plan is late. Frankly, it is."
    report = lint_text(text, config=NO_GRAMMAR)
    placed = [(f.rule, f.line, f.column, f.end_line, f.end_column, f.match)
              for f in report.findings]
    assert placed == [
        ("Tone.StockPhrases", 3, 1, 4, 6, "As you are\naware"),
        ("Tone.Sarcasm", 4, 26, 4, 33, "Frankly"),
    ]


def test_curly_apostrophes_match() -> None:
    assert "Tone.Sarcasm" in _rules("I\u2019m sure you will appreciate the position.")


def test_no_type_skips_required_content() -> None:
    assert not [r for r in _rules("We have paused the inspection.") if r.startswith("Required")]


def test_select_ignore_and_severity_override() -> None:
    text = "Frankly, you have failed to act."
    assert _rules(text, LintConfig(select=("Tone.Blame",))) == ["Tone.Blame"]
    assert "Tone.Blame" not in _rules(text, LintConfig(ignore=("Tone.Blame", "Grammar")))
    config = LintConfig(ignore=("Grammar",), severity={"Tone": Severity.WARNING})
    assert {f.severity for f in lint_text(text, config=config).findings} == {Severity.WARNING}


def test_readability_figures_reported() -> None:
    text = "We came on Tuesday. We met your staff.\n\n- Pupils are safe"
    report = lint_text(text, config=NO_GRAMMAR)
    figures = report.readability
    assert (figures["words"], figures["sentences"], figures["paragraphs"]) == (11, 3, 2)
    assert figures["average_sentence_length"] == pytest.approx(3.7)
    assert {"flesch_reading_ease", "flesch_kincaid_grade"} <= figures.keys()


@pytest.mark.parametrize("text", [
    "Leadership and management: Inadequate",
    "Safeguarding is not effective because leaders did not check staff records.",
    "The trust may make representations by Friday 14 March 2027.",
    "The failing fire door has been repaired.",
    "Your URN is 138245 and the HMI will meet the CEO, the DfE and the SEND team.",
    "You must be given the chance to comment on the draft report.",
    "If you would like to talk to someone, Education Support is free on 08000 562 561.",
])
def test_formal_statements_raise_nothing_at_warning_or_above(text: str) -> None:
    report = lint_text(text, config=NO_GRAMMAR)
    assert [f.rule for f in report.findings if f.severity >= Severity.WARNING] == []


@pytest.mark.parametrize(("text", "rule"), [
    ("Leaders lack the capacity to improve.", "Tone.Blame"),
    ("The trust has presided over a culture of neglect.", "Tone.Blame"),
    ("Failure to provide the plan by\nFriday will result in termination.", "Tone.Threat"),
    ("You must remove the trustee immediately.", "Tone.Command"),
    ("We demand an explanation.", "Tone.Command"),
    ("This is totally unacceptable.", "Tone.Absolutes"),
    ("As previously stated, the date is fixed.", "Tone.StockPhrases"),
    ("This decision is not up for discussion.", "Tone.Dismissal"),
    ("Send it NOW.", "Tone.Capitals"),
    ("Pursuant to clause 89 we write.", "Law.Legalese"),
])
def test_harsh_wordings_flagged(text: str, rule: str) -> None:
    assert rule in _rules(text)


def test_substitution_suggests_and_keeps_capital() -> None:
    report = lint_text("Prior to the visit we will call.", config=NO_GRAMMAR)
    found = [f for f in report.findings if f.rule == "Plain.Words"]
    assert [(f.match, f.suggestions) for f in found] == [("Prior to", ("Before",))]


def test_unknown_key_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "Odd.yml"
    path.write_text(
        "extends: existence\nmessage: m\nlevel: error\nsection: '5. No sarcasm'\n"
        "tokens: [x]\nexampels:\n  flag: [x]\n"
    )
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path, "Odd")
    assert str(caught.value) == (
        f"{path}: line 6: unknown key 'exampels'; check its spelling against the kind "
        "'existence'"
    )


def test_nested_unknown_key_and_bad_kind(tmp_path: Path) -> None:
    nested = tmp_path / "Nested.yml"
    nested.write_text(
        "extends: existence\nmessage: m\nlevel: error\nsection: '5. No sarcasm'\n"
        "tokens: [x]\nexamples:\n  flag: [x]\n  pass: [y]\n  flg: [z]\n"
    )
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(nested, "Nested")
    assert "line 9: unknown key 'examples.flg'" in str(caught.value)
    kind = tmp_path / "Kind.yml"
    kind.write_text("message: m\nextends: existance\n")
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(kind, "Kind")
    assert "line 2: 'extends' must be one of" in str(caught.value)


def test_rule_ids_come_from_paths(tmp_path: Path) -> None:
    folder = tmp_path / "House"
    folder.mkdir()
    (folder / "Late.yml").write_text(
        "extends: existence\nmessage: m\nlevel: warning\nsection: '1. Write plainly'\n"
        "tokens: [late]\nexamples: {flag: [late], pass: [early]}\n"
    )
    assert [r.id for r in load_rules(tmp_path)] == ["House.Late"]


def test_empty_text_gives_an_empty_report() -> None:
    report = lint_text("", document_type="pause_confirmation", config=NO_GRAMMAR)
    assert [(f.rule, f.line, f.column) for f in report.findings] == [
        ("Required.Contact", 1, 1), ("Required.Wellbeing", 1, 1)]
    assert report.readability["words"] == 0


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "Broken.yml"
    path.write_text("extends: existence\nmessage: [unclosed\nlevel: error\n")
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path, "Broken")
    assert str(caught.value).startswith(f"{path}: line ")
    assert "not valid YAML" in str(caught.value)


def test_deeply_nested_rule_file_is_refused_not_a_crash(tmp_path: Path) -> None:
    # libyaml 0.2.5 composes recursively in C: this depth once killed the process.
    path = tmp_path / "Deep.yml"
    path.write_text("extends: existence\nmessage: " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path, "Deep")
    assert str(caught.value) == (f"{path}: line 2: lists and mappings nest more than 64 "
                                 "levels deep; no rule needs that many")


def test_mild_patterns_are_warnings_in_an_error_rule(tmp_path: Path) -> None:
    (tmp_path / "House").mkdir()
    (tmp_path / "House" / "Heat.yml").write_text(
        "extends: pattern\nmessage: m\nlevel: error\nsection: '5. No sarcasm'\n"
        "patterns: ['a disgrace']\nmild: ['(?:toxic|chaotic)']\n"
        "examples: {flag: [a disgrace], pass: [calm]}\n"
    )
    doc = TextDocument("<text>", paragraphs_from_text("Lunch was chaotic. It is a disgrace."))
    report = lint_document(doc, NO_GRAMMAR, rules=load_rules(tmp_path))
    assert [(f.match, f.severity) for f in report.findings] == [
        ("chaotic", Severity.WARNING), ("a disgrace", Severity.ERROR)]


def test_first_letter_guards_find_what_plain_alternation_finds() -> None:
    import re

    from docgen.lint.kinds.patterns import combine

    sources = [r"(?:^|(?<=[.]\s))clearly", r"(?:you|we) (?:must|will)", r"\w+ly late",
               r"(?:the )?plan (?P<target>is late)", r"x?"]
    text = "clearly you must. We will see. The plan is late, sadly late. Clearly so."
    guarded = combine(sources, re.IGNORECASE)
    plain = re.compile(r"(?<!\w)(?:" + "|".join(
        f"(?P<a{i}>{s.replace('(?P<target>', f'(?P<t{i}>')})" for i, s in enumerate(sources))
        + r")(?!\w)", re.IGNORECASE)
    spans = [(m.lastgroup, m.span()) for m in guarded.finditer(text)]
    assert spans == [(m.lastgroup, m.span()) for m in plain.finditer(text)]
    assert {text[m.start():m.end()] for m in guarded.finditer(text)} >= {
        "clearly", "you must", "We will", "The plan is late", "sadly late", "Clearly"}


def _plain_alternation(sources: list[str], flags: int):  # noqa: ANN202
    import re

    return re.compile(r"(?<!\w)(?:" + "|".join(
        f"(?P<a{i}>{s.replace('(?P<target>', f'(?P<t{i}>')})" for i, s in enumerate(sources))
        + r")(?!\w)", flags)


def test_alternatives_that_take_their_first_letter_find_what_plain_alternation_finds() -> None:
    from docgen.lint.kinds.patterns import _which, combine

    sources = [r"(?:any|further|another|one\s+more|a\s+(?:further|second))\s+delays?",
               r"[ab]ad\s+news", r"an|bee", r"(?:(?:the|a)\s+plan|an?\s+idea)\s+is\s+late",
               r"any(?P<target>\s+more)", r"\-\s?minded", r"(?:an|)y\s+more", r"a?ny",
               r"(?:the\s+|your\s+|)(?:staff|school)\s+failed", r"(?:the\s+)?plan\s+failed",
               r"(?:^|(?<=[.!?]\s))(?:please\s+|)(?:send|stop)\s+it", r"(?<=,\s)or\s+else",
               r"(?:^|(?<=\band\s))you\s+will", r"(?:a|an|)\s*idea",
               r"(?!your\s)(?:you|your|yours)\s+staff", r"(?=(?:a|the)\s)(?:a|an|the)\s+plan",
               r"[bs]ad\s+(?P<w>news|days)\s+(?P=w)", r"[cd]a(?P<y>y)?\s+set(?(y)|s)"]
    text = ("Any further delays, a second delay and one more delay. Bad news, bad  news; "
            "an idea is late, a plan is late, the plan is late. any more. bee an. -minded ny "
            "The staff failed, your school failed, staff failed; the plan failed. Please send "
            "it. Stop it, or else. and you will see. You will. idea, an idea. You staff, "
            "your staff, yours staff; a plan, an plan, the plan. Sad days days, bad news news; "
            "day set, da sets, cay sets, ca sets")
    combined, plain = combine(sources, 0), _plain_alternation(sources, 0)
    folded = text.lower()
    for start in range(len(folded)):  # every suffix: each anchor at the start of the text
        assert [(_which(m), m.span()) for m in combined.finditer(folded[start:])] == [
            (_which(m), m.span()) for m in plain.finditer(folded[start:])]
    assert [(_which(m), m.span()) for m in combined.finditer(folded)] == [
        (_which(m), m.span()) for m in plain.finditer(folded)]
    assert len(list(combined.finditer(folded))) >= 10


def test_sources_are_grouped_by_the_character_they_start_with() -> None:
    """At a word the engine tests one character a branch, not every source: each branch
    holds its sources' remainders in their order, a look-ahead tested once the character
    is taken."""
    from docgen.lint.kinds.patterns import combine

    combined = combine([r"(?:any|another)\s+delay", r"an\s+idea",
                        r"(?!your\s)(?:you|your)\s+plan"], 0)
    assert combined.pattern == (
        r"(?<!\w)(?:a(?:(?:ny|nother)\s+delay(?P<a0_97>)|n\s+idea(?P<a1_97>))"
        r"|y(?:(?<!(?=your\s)[\s\S])(?:ou|our)\s+plan(?P<a2_121>)))(?!\w)")
    assert [m[0] for m in combined.finditer("you plan, your plan, an idea")] == [
        "you plan", "an idea"]


def test_a_capturing_group_inside_an_opening_taken_by_several_letters_compiles() -> None:
    """Taking the first letter copies a source's opening into one branch a letter; a
    named group there would be defined twice (``[bc]`` opens both the b and c branches)."""
    from docgen.lint.kinds.patterns import _which, combine

    sources = [r"(?:[bc]ad\s+(?P<target>news)|sad)", r"(?:[bc](?P<x>ar)|tar)\s+park"]
    text = "bad news, cad news, sad. car park, bar park, tar park"
    combined, plain = combine(sources, 0), _plain_alternation(sources, 0)
    assert [(_which(m), m.span()) for m in combined.finditer(text)] == [
        (_which(m), m.span()) for m in plain.finditer(text)]
    assert len(list(combined.finditer(text))) == 6


def test_every_shipped_phrase_rule_finds_what_plain_alternation_finds() -> None:
    from docgen.lint.kinds.base import fold_pattern
    from docgen.lint.kinds.patterns import Compiled, _which, combine

    rules = load_rules()
    texts = [e for r in rules for e in (*r.examples.flag, *r.examples.pass_)
             if isinstance(e, str)]
    letter = Path(__file__).resolve().parents[2] / "bench" / "data" / "letter.txt"
    text = "\n\n".join([*texts, letter.read_text(encoding="utf-8")])
    for rule in rules:
        compiled = getattr(rule, "_pattern", None)
        if not isinstance(compiled, Compiled) or compiled.folded is None \
                or not compiled._boundaries:
            continue
        sources = [fold_pattern(s) for s in compiled._sources]
        ours, plain = combine(sources, 0), _plain_alternation(sources, 0)
        assert [(_which(m), m.span()) for m in ours.finditer(text.lower())] == [
            (_which(m), m.span()) for m in plain.finditer(text.lower())], rule.id


def test_bad_regular_expression_is_a_rule_file_error(tmp_path: Path) -> None:
    path = tmp_path / "Bad.yml"
    path.write_text(
        "extends: pattern\nmessage: m\nlevel: error\nsection: '5. No sarcasm'\n"
        "patterns: ['(?<=a+)b']\nexamples: {flag: [ab], pass: [b]}\n"
    )
    with pytest.raises(RuleFileError, match="pattern cannot be compiled"):
        load_rule_file(path, "Bad")


@pytest.mark.parametrize("extends", ["existence", "classifier"])
def test_a_rule_must_cite_a_guide_section(tmp_path: Path, extends: str) -> None:
    path = tmp_path / "Uncited.yml"
    if extends == "classifier":
        path.write_text("extends: classifier\nmodel: tone\nmessage: m\nlevel: warning\n"
                        "section: '3. Never threaten'\n"
                        "thresholds: {warning: 0.8, error: 0.9}\n"
                        "categories: {blame: {message: m, section: 'Be kind'}}\n"
                        "examples: {flag: [a], pass: [b]}\n")
    else:
        path.write_text("extends: existence\nmessage: m\nlevel: error\nsection: 'Be kind'\n"
                        "tokens: [frankly]\nexamples: {flag: [frankly], pass: [plainly]}\n")
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path, "Uncited")
    assert "expected a GUIDE.md section such as '3. Never threaten'" in str(caught.value)


def test_an_exception_that_ends_in_the_match_excuses_that_match_only(tmp_path: Path) -> None:
    """An exception is searched for in the whole sentence and excuses every match in it;
    one that ends in ``{match}`` must lead up to a match, and excuses that one only."""
    path = tmp_path / "Must.yml"
    path.write_text(
        "extends: pattern\nmessage: m\nlevel: warning\nsection: '4. Ask, do not command'\n"
        "patterns: ['you must']\n"
        "exceptions: ['\\bto appeal\\b[^.;:]*?, {match}']\n"
        "examples: {flag: ['You must reply.'], pass: ['To appeal, you must write to us.']}\n",
        encoding="utf-8")
    rule = load_rule_file(path, "House")
    text = "To appeal, you must write to the clerk, and you must stop calling the school."

    found = lint_document(TextDocument("t.txt", paragraphs_from_text(text)),
                          config=NO_GRAMMAR, rules=[rule]).findings

    assert [(f.match, f.column) for f in found] == [("you must", text.index("and you") + 5)]
    assert lint_text("To appeal, you must write to us.", config=NO_GRAMMAR,
                     rules=[rule]).findings == []


def test_match_inside_an_exception_is_refused_with_where_it_may_go(tmp_path: Path) -> None:
    path = tmp_path / "Odd.yml"
    path.write_text(
        "extends: pattern\nmessage: m\nlevel: warning\nsection: '4. Ask, do not command'\n"
        "patterns: ['you must']\nexceptions: ['{match} unless']\n"
        "examples: {flag: ['You must reply.'], pass: ['Please reply.']}\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path, "Odd")
    assert "{match} can only end an exception" in str(caught.value)
    assert "line 6" in str(caught.value)
