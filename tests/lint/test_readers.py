from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from docgen.errors import LintInputError
from docgen.lint.readers import MAX_INPUT_BYTES, read_document
from docgen.lint.readers.base import MAX_PARTS
from docgen.render.text import docx_text


def make_docx(path: Path, *, category: str | None = None) -> Path:
    document = docx.Document()
    document.add_heading("Support for you", level=2)
    document.add_paragraph("We know this can be a difficult time.")
    document.add_paragraph("Education Support: 08000 562 561", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "School", "Brookfield Primary School"
    table.cell(1, 0).text, table.cell(1, 1).text = "URN", "138245"
    document.add_paragraph("")  # empty paragraphs are not blocks
    document.add_paragraph("Yours sincerely")
    if category:
        document.core_properties.category = category
    document.save(str(path))
    return path


def test_docx_blocks_match_the_text_view(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "letter.docx")
    document = read_document(str(path))
    assert [(p.line, p.column, p.kind, p.text) for p in document.paragraphs] == [
        (1, 1, "heading", "Support for you"),
        (2, 1, "paragraph", "We know this can be a difficult time."),
        (3, 3, "list_item", "Education Support: 08000 562 561"),
        (4, 1, "table_row", "School | Brookfield Primary School"),
        (4, 1, "table_row", "URN | 138245"),
        (5, 1, "paragraph", "Yours sincerely"),
    ]
    blocks = docx_text(path.read_bytes()).strip().split("\n\n")
    assert len(blocks) == 5
    assert blocks[2] == "- Education Support: 08000 562 561"
    assert blocks[3] == "School | Brookfield Primary School\nURN | 138245"
    assert document.source_format == "docx"
    assert document.document_type is None


def test_docx_type_comes_from_the_category_unless_given(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "letter.docx", category="pause_confirmation")
    assert read_document(str(path)).document_type == "pause_confirmation"
    assert read_document(str(path), "delay_letter").document_type == "delay_letter"


def test_a_rendered_letter_carries_its_template_id(tmp_path: Path, catalogue) -> None:
    from docgen.data import load_document
    from docgen.render import render
    from tests.conftest import SAMPLES

    loaded = load_document(SAMPLES / "pause_confirmation.yaml", catalogue)
    path = tmp_path / "pause.docx"
    path.write_bytes(render(loaded.template, loaded.document).docx)
    assert read_document(str(path)).document_type == "pause_confirmation"


def test_a_zip_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("word/document.xml", b"<w/>")
        with archive.open("word/media/zeros.bin", "w") as handle:
            chunk = bytes(1024 * 1024)
            for _ in range(210):
                handle.write(chunk)
    assert path.stat().st_size < MAX_INPUT_BYTES
    with pytest.raises(LintInputError) as caught:
        read_document(str(path))
    assert str(caught.value) == (f"{path}: would unpack to 210 MB; a Word file docgen reads "
                                 "unpacks to at most 200 MB")


def test_too_many_parts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "parts.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(MAX_PARTS + 1):
            archive.writestr(f"word/p{number}.xml", b"")
    with pytest.raises(LintInputError, match=f"has {MAX_PARTS + 1} parts inside"):
        read_document(str(path))


def test_a_zip_that_is_not_a_word_file(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(LintInputError, match="is not a Word document .it has no word/document"):
        read_document(str(path))


def test_a_damaged_body_is_named(tmp_path: Path) -> None:
    path = tmp_path / "damaged.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body>")
    with pytest.raises(LintInputError, match="has a damaged body"):
        read_document(str(path))


def test_a_file_over_20_mb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)
    with pytest.raises(LintInputError, match="is larger than 20 MB"):
        read_document(str(path))


def test_a_folder_and_no_extension(tmp_path: Path) -> None:
    (tmp_path / "d.txt").mkdir()
    with pytest.raises(LintInputError, match="is a folder"):
        read_document(str(tmp_path / "d.txt"))
    (tmp_path / "README").write_text("x", encoding="utf-8")
    with pytest.raises(LintInputError, match="has no extension"):
        read_document(str(tmp_path / "README"))


def test_markdown_markup_is_removed_and_places_kept() -> None:
    from docgen.lint.readers import markdown_paragraphs

    paragraphs = markdown_paragraphs(
        "---\ntitle: x\n---\n# A *heading*\n\nSee [our guide](https://x.example) and "
        "**act now**.\n\n```\ncode is skipped\n```\n\n> Quoted `words` here.\n"
        "<!-- a note -->\n\n- item with _stress_\n"
    )
    assert [(p.kind, p.text) for p in paragraphs] == [
        ("heading", "A heading"),
        ("paragraph", "See our guide and act now."),
        ("paragraph", "Quoted words here."),
        ("list_item", "item with stress"),
    ]
    second = paragraphs[1]
    start = second.text.index("act now")
    assert second.position(start) == (6, 42)  # after 'See [our guide](…) and **'
    assert paragraphs[2].position(0) == (12, 3)


def test_html_block_text_with_kinds_and_places() -> None:
    from docgen.lint.readers import html_paragraphs

    paragraphs = html_paragraphs(
        "<html><head><title>T</title><style>p {}</style></head><body>\n"
        "<h1>Dear  Ms&nbsp;Patel</h1>\n<p>Thank you for\n  <b>meeting</b> us.</p>\n"
        "<ul><li>One</li><li>Two</li></ul>\n"
        "<table><tr><td>School</td><td>Brookfield</td></tr></table>\n"
        "<script>alert('x')</script></body></html>\n"
    )
    assert [(p.kind, p.text) for p in paragraphs] == [
        ("heading", "Dear Ms Patel"),  # &nbsp; is white space too
        ("paragraph", "Thank you for meeting us."),
        ("list_item", "One"),
        ("list_item", "Two"),
        ("table_row", "School | Brookfield"),
    ]
    assert paragraphs[1].position(0) == (3, 4)
    assert paragraphs[1].position(paragraphs[1].text.index("meeting")) == (4, 6)


def test_stdin_is_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"One.\n\nTwo.\n")))
    document = read_document("-")
    assert document.path == "<stdin>"
    assert [(p.line, p.text) for p in document.paragraphs] == [(1, "One."), (3, "Two.")]
