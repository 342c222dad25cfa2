"""docgen render --format pdf, html and eml: a preview in each, from the same library path."""

from __future__ import annotations

import html.parser
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from docgen.cli import main
from tests.conftest import SAMPLES

PAUSE = SAMPLES / "pause_confirmation.yaml"


def _school() -> str:
    from docgen.data import read_data_file

    return read_data_file(PAUSE)["school"]["name"]


def test_html_preview_has_the_letter(tmp_path) -> None:
    result = CliRunner().invoke(main, ["render", str(PAUSE), "--out", str(tmp_path),
                                       "--format", "html"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "pause_confirmation.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page
    heading = page[page.index("<h1>"):page.index("</h1>")]
    assert _school() in heading
    assert "<li>Education Support: 08000 562 561" in page
    html.parser.HTMLParser().feed(page)  # well formed enough to parse


def test_html_escapes_text(tmp_path, catalogue) -> None:
    from docgen.data import load_document, read_data_file
    from docgen.render.formats import render_as

    raw = read_data_file(PAUSE)
    raw["school"]["name"] = "St Mary & St John's <VA>"
    path = tmp_path / "escaped.yaml"
    import yaml

    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    loaded = load_document(path, catalogue)
    page = render_as(loaded.template, loaded.document, "html").decode("utf-8")
    assert "St Mary &amp; St John's &lt;VA&gt;" in page
    assert "<VA>" not in page


def test_html_keeps_the_quotations_so_linting_the_page_leaves_them_out(
        tmp_path, catalogue) -> None:
    import docx

    from docgen.data import load_document
    from docgen.lint.readers import html_paragraphs, read_docx
    from docgen.render import render
    from docgen.render.html import docx_to_html

    loaded = load_document(SAMPLES / "complaint_outcome.yaml", catalogue)
    rendered = render(loaded.template, loaded.document).docx
    page = docx_to_html(rendered, "Outcome")
    point = "The feedback meeting on the second day started late and was rushed."
    assert f"The point you raised: </strong><q>{point}</q>" in page

    def quoted(paragraphs):
        return [p.text[a:b] for p in paragraphs for a, b in p.quoted]

    assert quoted(html_paragraphs(page)) == quoted(read_docx(rendered, "o.docx").paragraphs)

    words = docx.Document()
    words.add_paragraph("Their words, as a block.", style="Quote")
    split = words.add_paragraph("Ours: ")
    split.add_run("theirs, ", style="Quote Char")
    split.add_run("in two runs.", style="Quote Char")
    path = tmp_path / "quotes.docx"
    words.save(str(path))
    page = docx_to_html(path.read_bytes(), "Quotes")
    assert "<blockquote><p>Their words, as a block.</p></blockquote>" in page
    assert "<p>Ours: <q>theirs, in two runs.</q></p>" in page


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
@pytest.mark.usefixtures("shared_converter")
def test_pdf_through_the_warm_converter(tmp_path) -> None:
    result = CliRunner().invoke(main, ["render", str(PAUSE), "--out", str(tmp_path),
                                       "--format", "pdf"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "pause_confirmation.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert _school() in text and "Page 1 of" in text


def test_attach_needs_eml(tmp_path) -> None:
    result = CliRunner().invoke(main, ["render", str(PAUSE), "--out", str(tmp_path),
                                       "--attach", str(PAUSE)])
    assert result.exit_code == 2
    assert "--attach goes with --format eml" in result.output


def test_eml_of_a_letter_says_it_is_not_an_email(tmp_path) -> None:
    result = CliRunner().invoke(main, ["render", str(PAUSE), "--out", str(tmp_path),
                                       "--format", "eml"])
    assert result.exit_code == 2
    assert "is a letter, not an email" in result.output
    assert not list(tmp_path.iterdir())
