"""House style: "Page X of Y" in every footer, a continuation header after the first page,
and a DRAFT watermark on drafts that an issued document does not carry."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.data import load_document
from docgen.render import render
from tests.conftest import SAMPLES, lending

needs_soffice = pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")


def _parts(docx: bytes, prefix: str) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist()
                if n.startswith(prefix)}


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, warm_converter) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    with lending(warm_converter):
        result = CliRunner().invoke(main, ["render", str(SAMPLES), "--out", str(out),
                                           "--format", "pdf"])
    assert result.exit_code == 0, result.output
    return {p.stem: p for p in out.glob("*.pdf")}


@needs_soffice
def test_a_two_page_letter_shows_page_1_of_2_and_page_2_of_2(pdfs) -> None:
    two_page = {name: pages for name, path in pdfs.items() if len(pages := _pages(path)) == 2}
    assert two_page, "no sample renders to two pages"
    for name, pages in two_page.items():
        assert "Page 1 of 2" in pages[0], name
        assert "Page 2 of 2" in pages[1], name


@needs_soffice
def test_every_page_of_every_sample_is_numbered(pdfs) -> None:
    for name, path in pdfs.items():
        pages = _pages(path)
        for number, page in enumerate(pages, start=1):
            assert f"Page {number} of {len(pages)}" in page, (name, number)


@needs_soffice
def test_continuation_header_on_later_pages_only(pdfs) -> None:
    pages = _pages(pdfs["pause_confirmation"])
    header = "Pause confirmation letter · DRAFT (not issued)"
    assert header not in pages[0]
    assert all(header in page for page in pages[1:])
    assert pages[1].lstrip().startswith(header)


def test_draft_has_the_watermark_and_an_issued_document_does_not(catalogue) -> None:
    loaded = load_document(SAMPLES / "pause_confirmation.yaml", catalogue)
    draft = _parts(render(loaded.template, loaded.document).docx, "word/header")
    issued = _parts(render(loaded.template, loaded.document,
                           reference="PAU-2027-000123").docx, "word/header")
    assert len(draft) == 2  # the first page's header and the continuation header
    assert all('string="DRAFT"' in xml for xml in draft.values())
    assert not any("DRAFT" in xml for xml in issued.values())
    assert any("Pause confirmation letter · PAU-2027-000123" in xml for xml in issued.values())


def test_different_first_page_and_page_fields(catalogue) -> None:
    loaded = load_document(SAMPLES / "pause_confirmation.yaml", catalogue)
    docx = render(loaded.template, loaded.document).docx
    body = _parts(docx, "word/document.xml")["word/document.xml"]
    assert "<w:titlePg/>" in body
    for kind in ("header", "footer"):
        for page in ("first", "default"):
            assert f'<w:{kind}Reference w:type="{page}"' in body
    footers = _parts(docx, "word/footer")
    assert len(footers) == 2
    assert all('w:instr=" PAGE "' in x and 'w:instr=" NUMPAGES "' in x for x in footers.values())
    # The body's text, which the linter reads, is unchanged by the house style.
    assert "DRAFT" not in render(loaded.template, loaded.document).text.replace(
        "DRAFT (not issued)", "")


def test_a_template_with_its_own_headers_keeps_them(tmp_path: Path) -> None:
    from docgen.render.house_style import apply_house_style

    template = Path(__file__).resolve().parents[2] / "templates/letters/pause_confirmation.docx"
    with zipfile.ZipFile(template) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    once = apply_house_style(parts, "Pause confirmation letter")
    twice = apply_house_style(once, "Pause confirmation letter")
    assert twice == once  # already styled: nothing more is added


@needs_soffice
@pytest.mark.usefixtures("shared_converter")
def test_issued_pdf_has_no_watermark_and_is_numbered(tmp_path: Path, catalogue) -> None:
    result = CliRunner().invoke(main, ["issue", str(SAMPLES / "pause_confirmation.yaml"),
                                       "--by", "Test Writer", "--out", str(tmp_path / "issued"),
                                       "--db", str(tmp_path / "register.sqlite3")])
    assert result.exit_code == 0, result.output
    (docx,) = (tmp_path / "issued").glob("*.docx")
    assert not any("DRAFT" in xml for xml in _parts(docx.read_bytes(), "word/header").values())
    (pdf,) = (tmp_path / "issued").glob("*.pdf")
    pages = _pages(pdf)
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "DRAFT" not in "".join(pages)
