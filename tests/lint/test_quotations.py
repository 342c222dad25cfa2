"""Someone else's words, marked as a quotation in the source, are read but not judged.

A complaint outcome quotes the complainant's point; a termination notice may quote a
report. The tone, spelling and grammar checks judge our wording, so they leave a marked
quotation alone, and the report says how many passages they left out.
"""

from __future__ import annotations

import io

import docx
import pytest
import yaml

from docgen.lint import check_document
from docgen.lint.document import Paragraph, TextDocument, flagged_spans, without_quotations
from docgen.lint.engine import lint_document
from docgen.lint.readers import html_paragraphs, markdown_paragraphs, read_docx
from docgen.lint.rules import load_rules

HARSH = "You have failed to keep pupils safe."  # Tone.Blame flags it


def _word(*paragraphs: tuple[str, str | None, str | None]) -> bytes:
    """A .docx with one paragraph per (text, paragraph style, character style of a
    second run holding the text after '|')."""
    document = docx.Document()
    for text, paragraph_style, run_style in paragraphs:
        before, _, after = text.partition("|")
        paragraph = document.add_paragraph(style=paragraph_style)
        paragraph.add_run(before)
        if after:
            paragraph.add_run(after, style=run_style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _tone(report_findings: list) -> list[tuple[str, str]]:
    return [(f.rule, f.match) for f in report_findings if f.rule.startswith("Tone.")]


def test_a_run_in_a_quotation_style_is_not_judged_for_tone() -> None:
    quoted = read_docx(_word((f"The point you raised: |{HARSH}", None, "Quote Char")),
                       "outcome.docx")
    plain = read_docx(_word((f"The point you raised: |{HARSH}", None, None)), "outcome.docx")

    assert quoted.paragraphs[0].quoted == ((22, 22 + len(HARSH)),)
    assert ("Tone.Blame", "You have failed") in _tone(lint_document(plain).findings)
    report = lint_document(quoted)
    assert _tone(report.findings) == []
    assert any("1 passage marked as a quotation" in n for n in report.notices)


def test_a_paragraph_in_the_quote_style_is_quoted_whole_and_our_own_words_still_judged(
) -> None:
    document = read_docx(_word((HARSH, "Quote", None),
                               (f"We looked into it. |{HARSH}", None, None)), "letter.docx")

    assert document.paragraphs[0].quoted == ((0, len(HARSH)),)
    assert document.paragraphs[1].quoted == ()
    findings = lint_document(document).findings
    assert [f.line for f in findings if f.rule == "Tone.Blame"] == [2]


def test_our_wording_around_a_short_quotation_is_still_judged() -> None:
    text = "Frankly, your claim that |inspectors ignored us| is absurd."
    words = docx.Document()
    paragraph = words.add_paragraph()
    before, inside, after = text.split("|")
    paragraph.add_run(before)
    paragraph.add_run(inside, style="Quote Char")
    paragraph.add_run(after)
    out = io.BytesIO()
    words.save(out)

    findings = lint_document(read_docx(out.getvalue(), "reply.docx")).findings
    assert ("Tone.Sarcasm", "Frankly") in _tone(findings)


def test_the_learned_rule_does_not_score_a_quotation() -> None:
    learned = tuple(r for r in load_rules() if r.id == "Tone.Semantic")
    sentence = "Your teachers clearly did not bother to prepare for the visit."
    own = TextDocument("a.txt", [Paragraph(sentence, 1)])
    theirs = TextDocument("a.txt", [Paragraph(sentence, 1, quoted=((0, len(sentence)),))])

    assert [f.category for f in lint_document(own, rules=learned).findings]
    assert lint_document(theirs, rules=learned).findings == []


def test_spelling_leaves_quoted_words_as_they_were_written() -> None:
    spelling = tuple(r for r in load_rules() if r.id.startswith("Spelling."))
    text = "We will organize a meeting, as you asked: please organize it soon."
    cut = text.index("please")
    ours = lint_document(TextDocument("a.txt", [Paragraph(text, 1)]), rules=spelling)
    quoted = lint_document(TextDocument("a.txt", [Paragraph(text, 1, quoted=((cut, len(text)),))]),
                           rules=spelling)

    assert [f.match for f in ours.findings] == ["organize", "organize"]
    assert [f.match for f in quoted.findings] == ["organize"]


def test_a_markdown_block_quote_is_a_quotation() -> None:
    paragraphs = markdown_paragraphs(f"Thank you for writing.\n\n> {HARSH}\n> They said so.\n")

    assert paragraphs[0].quoted == ()
    assert paragraphs[1].quoted == ((0, len(paragraphs[1].text)),)
    report = check_document(TextDocument("reply.md", paragraphs, source_format="markdown"))
    assert _tone(report.findings) == []


def test_html_blockquote_and_q_are_quotations() -> None:
    paragraphs = html_paragraphs(
        f"<p>You wrote: <q>{HARSH}</q></p><blockquote><p>{HARSH}</p></blockquote>"
        f"<p>{HARSH}</p>")

    start = len("You wrote: ")
    assert [p.quoted for p in paragraphs] == [((start, start + len(HARSH)),),
                                               ((0, len(HARSH)),), ()]
    findings = lint_document(TextDocument("reply.html", paragraphs)).findings
    assert [f.line for f in findings if f.rule == "Tone.Blame"] == [1]
    assert [f.column for f in findings if f.rule == "Tone.Blame"] == [
        len(f"<p>You wrote: <q>{HARSH}</q></p><blockquote><p>{HARSH}</p></blockquote><p>") + 1]


def test_a_suppression_comment_keeps_the_quotation_of_the_lines_after_it() -> None:
    text = f"<!-- docgen-ignore Tone.Sarcasm: the head's own words -->\n> {HARSH}\n"
    report = check_document(TextDocument("reply.md", markdown_paragraphs(text),
                                         source_format="markdown"))

    assert _tone(report.findings) == []


@pytest.mark.parametrize(("flags", "spans"), [
    ([], ()),
    ([True, True, False, True], ((0, 2), (3, 4))),
    ([False, True, True], ((1, 3),)),
])
def test_flagged_spans(flags: list[bool], spans: tuple) -> None:
    assert flagged_spans(flags) == spans


def test_blanking_a_quotation_keeps_every_offset_and_line_break() -> None:
    text = "Ours. Theirs,\nsaid. Ours."
    blanked = without_quotations(text, ((6, 19),))

    assert blanked == "Ours.        \n      Ours."
    assert len(blanked) == len(text)


def test_the_complaint_outcome_quotes_each_point_the_complainant_raised() -> None:
    from docgen.lint.samples import sample_documents
    from docgen.resources import shipped
    from docgen.templates import Catalogue

    documents = [d for d in sample_documents(Catalogue(), shipped("samples"))
                 if "complaint_outcome.yaml" in d.path]
    quoted = [p.text[a:b] for p in documents[0].paragraphs for a, b in p.quoted]

    sample = yaml.safe_load(shipped("samples").joinpath("complaint_outcome.yaml").read_text())
    assert quoted == [point["point"] for point in sample["points"]]
    assert all(p.text.startswith("The point you raised: ")
               for p in documents[0].paragraphs if p.quoted)


def test_a_long_quotation_does_not_make_our_sentence_too_long() -> None:
    length = tuple(r for r in load_rules() if r.id == "Readability.SentenceLength")
    point = " ".join(["the meeting started late and nobody explained why"] * 6) + "."
    text = f"The point you raised: {point}"
    ours = TextDocument("a.txt", [Paragraph(text, 1)])
    quoted = TextDocument("a.txt", [Paragraph(text, 1, quoted=((22, len(text)),))])

    assert [f.rule for f in lint_document(ours, rules=length).findings] == [
        "Readability.SentenceLength"]
    assert lint_document(quoted, rules=length).findings == []


def test_a_quotation_in_a_table_cell_is_found_in_its_row() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Point"
    table.cell(0, 1).text = "What we found"
    first = table.cell(1, 0).paragraphs[0]
    first.add_run("Raised: ")
    first.add_run(HARSH, style="Quote Char")
    table.cell(1, 1).paragraphs[0].add_run("Not upheld.")
    table.cell(1, 1).add_paragraph().add_run(HARSH, style="Quote Char")
    out = io.BytesIO()
    document.save(out)

    rows = read_docx(out.getvalue(), "table.docx").paragraphs
    assert [p.text[a:b] for p in rows for a, b in p.quoted] == [HARSH, HARSH]
    assert rows[1].text == f"Raised: {HARSH} | Not upheld. {HARSH}"
    assert _tone(lint_document(read_docx(out.getvalue(), "table.docx")).findings) == []


def test_json_lists_each_quotation_left_out_with_its_place(tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from docgen.cli import main

    path = tmp_path / "reply.md"
    path.write_text(f"Thank you for writing.\n\n> {HARSH}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--format", "json", str(path)])

    file = json.loads(result.output)["files"][0]
    assert file["quotations"] == [{"line": 3, "column": 3, "end_line": 3,
                                   "end_column": 3 + len(HARSH), "text": HARSH}]
    assert result.exit_code == 0


def test_closing_an_html_block_still_ends_its_kind() -> None:
    paragraphs = html_paragraphs("<body><ul><li>An item.</li></ul>Text after the list."
                                 "<blockquote>Their words.</blockquote>Ours again.</body>")

    assert [(p.kind, p.text, bool(p.quoted)) for p in paragraphs] == [
        ("list_item", "An item.", False), ("paragraph", "Text after the list.", False),
        ("paragraph", "Their words.", True), ("paragraph", "Ours again.", False)]


def test_plain_text_marks_the_passages_a_caller_names_as_quotations() -> None:
    """Plain text carries no quotation style, so the tone-check page names the passages
    its upload marked; each whole-word occurrence is read but not judged."""
    from docgen.lint.engine import lint_text

    text = f"The point you raised: {HARSH}\n\nWe looked into it. {HARSH}\n"
    plain = lint_text(text)
    assert [m for _, m in _tone(plain.findings)].count("You have failed") == 2

    report = lint_text(text, quotations=[HARSH])
    # Both occurrences are the passage, so both are quoted; our own words are judged.
    assert _tone(report.findings) == []
    assert [q.text for q in report.quotations] == [HARSH, HARSH]
    assert any("2 passages marked as quotations" in n for n in report.notices)

    edited = text.replace(f"We looked into it. {HARSH}", "We looked into it. You have "
                          "failed to keep pupils safe and we will act.")
    # An edit inside a passage makes it the writer's words: it no longer matches.
    report = lint_text(edited, quotations=[HARSH])
    assert [m for _, m in _tone(report.findings)] == ["You have failed"]


def test_a_named_passage_matches_whole_words_only() -> None:
    from docgen.lint.document import quote_passages

    [paragraph] = quote_passages([Paragraph("We were told the school failed.", 1)],
                                 ["we", " the school failed. ", "absent"])
    # "we" is not a word of "We" (case differs) and not inside "were"; the second
    # passage is matched without its surrounding spaces; "absent" is not in the text.
    assert paragraph.quoted == ((13, 31),)

    [merged] = quote_passages([Paragraph("Ab cd ef", 1, quoted=((0, 2),))], ["cd", "Ab cd"])
    assert merged.quoted == ((0, 5),)


def test_a_quoted_span_marks_one_place_and_the_same_words_elsewhere_are_judged() -> None:
    """An upload quotes the complainant once; the writer's own repeat of the same words is
    theirs, so a span (not the passage's text) says which place is the quotation."""
    from docgen.lint.engine import lint_text

    text = f"The point you raised: {HARSH}\n\nWe looked into it. {HARSH}\n"
    start = text.index(HARSH)
    report = lint_text(text, quoted_spans=[(start, start + len(HARSH))])

    assert [(q.line, q.text) for q in report.quotations] == [(1, HARSH)]
    assert [(f.line, f.match) for f in report.findings
            if f.rule.startswith("Tone.")] == [(3, "You have failed")]
    assert any("1 passage marked as a quotation" in n for n in report.notices)


def test_quoted_spans_count_characters_of_the_text_as_sent() -> None:
    """Offsets are into the text itself, whatever its line endings, indents and list
    markers: a span over a wrapped list item marks just its characters."""
    from docgen.lint.document import paragraphs_from_text, quote_spans

    text = "Dear Ms Patel,\r\n\r\n- You said: we\n  ignored you.\r\nOurs.\r\n"
    quoted = "we\n  ignored you."
    start = text.index(quoted)
    paragraphs = quote_spans(paragraphs_from_text(text), text,
                             [(start, start + len(quoted)), (0, 0)])

    assert [(p.text, [p.text[s:e] for s, e in p.quoted]) for p in paragraphs] == [
        ("Dear Ms Patel,", []),
        ("You said: we\n  ignored you.", ["we\n  ignored you."]),
        ("Ours.", [])]


def test_a_plain_text_reply_marks_quoted_lines_as_an_email_does(tmp_path) -> None:
    """In a .txt file a line that starts with '>' quotes someone, as in an email reply:
    it is left out, the rest of its paragraph is ours and still judged, and the
    quotation keeps its place in the file."""
    import json

    from click.testing import CliRunner

    from docgen.cli import main

    path = tmp_path / "reply.txt"
    path.write_text(f"Thank you for writing. You said:\n> {HARSH}\n>   They said so.\n\n"
                    f"We have looked into it. {HARSH}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--format", "json", str(path)])

    file = json.loads(result.output)["files"][0]
    assert [q["text"] for q in file["quotations"]] == [f"{HARSH}\n    They said so."]
    assert (file["quotations"][0]["line"], file["quotations"][0]["column"]) == (2, 3)
    blame = [(f["line"], f["column"]) for f in file["findings"] if f["rule"] == "Tone.Blame"]
    assert blame == [(5, 25)]  # our own repeat of the words, not the quoted line


def test_a_greater_than_sign_inside_a_line_is_not_a_quotation() -> None:
    from docgen.lint.readers.text import paragraphs

    found = paragraphs(f"Attendance was > 95% last term.\n{HARSH} -> done\n")

    assert [p.quoted for p in found] == [()]
