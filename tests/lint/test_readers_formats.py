"""The same text gives the same findings from a .docx, its LibreOffice PDF, .txt and stdin.

Uses the shipped style rules and LibreOffice (``soffice``, installed by .ci/run).
Positions differ by design (a paragraph number in Word and PDF, a real line in text), so
findings are compared as rule, matched text and severity.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.render.text import docx_text

PARAGRAPHS = [
    ("heading", "Your inspection"),
    ("paragraph", "Thank you for meeting us on Tuesday. We know this has been a busy week for "
                  "you and your staff, and we are grateful for the time you gave us."),
    ("paragraph", "As you are aware, failure to submit the plan will result in further action. "
                  "You must reply immediately!"),
    ("paragraph", "We will commence the monitoring visit prior to the half-term break, in "
                  "order to agree the next steps with you."),
    ("list", "Education Support: 08000 562 561, a free and confidential helpline"),
    ("list", "Frankly, the current arrangements are totally unacceptable."),
    ("paragraph", "If you have any questions, please contact me on 0300 013 2218."),
    ("paragraph", "Yours sincerely"),
]


def build_docx(path: Path) -> None:
    document = docx.Document()
    for kind, text in PARAGRAPHS:
        if kind == "heading":
            document.add_heading(text, level=2)
        elif kind == "list":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    document.save(str(path))


def to_pdf(source: Path, out_dir: Path) -> Path:
    """The PDF LibreOffice makes of ``source``, tagged as docgen's own PDFs are."""
    from docgen.issue.convert import convert_once

    target = out_dir / f"{source.stem}.pdf"
    target.write_bytes(convert_once(source.read_bytes(), name=source.name, timeout=180))
    return target


def findings(args: list[str], input: str | None = None) -> Counter:  # noqa: A002
    result = CliRunner().invoke(main, ["lint", "--format", "json", *args], input=input)
    assert result.exit_code in (0, 1), result.output
    (file,) = json.loads(result.output)["files"]
    return Counter((f["rule"], f["match"], f["severity"]) for f in file["findings"])


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    word = folder / "letter.docx"
    build_docx(word)
    text = folder / "letter.txt"
    text.write_text(docx_text(word.read_bytes()), encoding="utf-8")
    return {"docx": word, "pdf": to_pdf(word, folder), "txt": text}


def test_docx_pdf_txt_and_stdin_give_the_same_findings(documents: dict[str, Path],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCGEN_STYLE_RULES", raising=False)
    monkeypatch.delenv("DOCGEN_LANGUAGETOOL_URL", raising=False)
    from_word = findings([str(documents["docx"])])
    assert {rule for rule, _, severity in from_word if severity == "error"}, from_word
    assert findings([str(documents["pdf"])]) == from_word
    assert findings([str(documents["txt"])]) == from_word
    stdin = documents["txt"].read_text(encoding="utf-8")
    assert findings(["-"], input=stdin) == from_word


def test_pdf_paragraphs_are_rebuilt_as_in_word(documents: dict[str, Path]) -> None:
    from docgen.lint.readers import read_document

    word = read_document(str(documents["docx"]))
    pdf = read_document(str(documents["pdf"]))
    assert [p.text for p in pdf.paragraphs] == [p.text for p in word.paragraphs]
    assert [p.kind for p in pdf.paragraphs] == [p.kind for p in word.paragraphs]
    assert [p.line for p in pdf.paragraphs] == list(range(1, len(PARAGRAPHS) + 1))


def test_a_rendered_letter_and_its_pdf_read_alike(tmp_path: Path, catalogue) -> None:
    from docgen.data import load_document
    from docgen.lint.readers import read_document
    from docgen.render import render
    from tests.conftest import SAMPLES

    loaded = load_document(SAMPLES / "pause_confirmation.yaml", catalogue)
    word = tmp_path / "pause.docx"
    word.write_bytes(render(loaded.template, loaded.document).docx)
    from_word = read_document(str(word))
    from_pdf = read_document(str(to_pdf(word, tmp_path)))
    assert [p.text for p in from_pdf.paragraphs] == [p.text for p in from_word.paragraphs]
    assert from_pdf.document_type == "pause_confirmation"  # from the PDF's keywords


def test_a_pdf_keeps_the_quotations_of_the_word_file_it_was_made_from(tmp_path: Path) -> None:
    """LibreOffice's tagged PDF keeps each paragraph's and run's style as its structure
    type, so a quotation in Word is still one in its PDF, and the two lint alike."""
    from docgen.lint.readers import read_document

    harsh = "You have failed to keep pupils safe."
    document = docx.Document()
    document.add_paragraph(f"{harsh} Nobody listened to us.", style="Quote")
    paragraph = document.add_paragraph("The point you raised: ")
    paragraph.add_run(harsh, style="Quote Char")
    paragraph.add_run(" We looked into it. You have failed to reply to us.")
    document.add_paragraph(f"Our own words: {harsh}")
    # Over several lines: a quotation that wraps, and one that starts on a later line
    # of a paragraph whose first line is ours.
    long_point = ("The feedback meeting on the second day started late, was rushed and left "
                  "no time for the questions the governors had prepared, so we felt that our "
                  "views had not been heard at all.")
    document.add_paragraph(long_point, style="Quote")
    paragraph = document.add_paragraph(
        "We have read the notes of the meeting, spoken to the lead inspector and looked at "
        "the timetable of the second day, and this is what the chair of governors told us: ")
    paragraph.add_run(long_point, style="Quote Char")
    word = tmp_path / "outcome.docx"
    document.save(str(word))
    pdf = to_pdf(word, tmp_path)

    from_word = read_document(str(word))
    from_pdf = read_document(str(pdf))
    assert [p.text for p in from_pdf.paragraphs] == [p.text for p in from_word.paragraphs]
    assert [p.quoted for p in from_pdf.paragraphs] == [p.quoted for p in from_word.paragraphs]
    assert from_pdf.paragraphs[1].quoted == ((22, 22 + len(harsh)),)
    # The same words in our own paragraph are judged: the quotation is matched in order,
    # not wherever its words appear.
    assert from_pdf.paragraphs[2].quoted == ()
    assert from_pdf.paragraphs[3].quoted == ((0, len(long_point)),)
    assert [from_pdf.paragraphs[4].text[a:b] for a, b in from_pdf.paragraphs[4].quoted] == [
        long_point]
    in_pdf = findings([str(pdf)])
    assert in_pdf == findings([str(word)])
    assert sum(n for (rule, match, _), n in in_pdf.items()
               if rule == "Tone.Blame" and match == "You have failed") == 2


def _restructured(pdf: Path, change) -> bytes:
    """``pdf`` with its structure tree changed by ``change(writer, tree)``."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(pdf))
    change(writer, writer.root_object["/StructTreeRoot"].get_object())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_whose_structure_loops_or_breaks_is_still_read(tmp_path: Path) -> None:
    """A hostile or broken structure tree costs nothing and hides nothing: the text
    reads as before, and what it cannot say is quoted is judged as our own words."""
    from pypdf.generic import NameObject, NumberObject

    from docgen.lint.readers import read_pdf

    document = docx.Document()
    document.add_paragraph("The point you raised: ").add_run(
        "You have failed to keep pupils safe.", style="Quote Char")
    word = tmp_path / "outcome.docx"
    document.save(str(word))
    pdf = to_pdf(word, tmp_path)
    expected = [p.text for p in read_pdf(pdf.read_bytes(), "outcome.pdf").paragraphs]

    def loop(writer, tree) -> None:  # the document element holds the tree's root again
        top = tree["/K"].get_object()
        top = top[0].get_object() if isinstance(top, list) else top
        top[NameObject("/K")] = writer.root_object.raw_get("/StructTreeRoot")

    def broken(writer, tree) -> None:  # a tree whose children are a number
        tree[NameObject("/K")] = NumberObject(7)

    for change in (loop, broken):
        read = read_pdf(_restructured(pdf, change), "outcome.pdf")
        assert [p.text for p in read.paragraphs] == expected
        assert all(not p.quoted for p in read.paragraphs)
