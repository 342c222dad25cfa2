"""Real conversions through LibreOffice, and real PDFs stamped and checked."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from docgen.data import load_document
from docgen.errors import ConversionError, DocgenError, PdfCheckError
from docgen.issue.convert import Converter, ConverterPool, convert_once
from docgen.issue.convert.soffice import NOT_INSTALLED
from docgen.issue.pdf import check_pdf, stamp_pdf
from docgen.render import render

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
BROKEN_DOCX = b"PK\x03\x04 this zip archive stops here"
STAMP = {
    "title": "Pause confirmation letter",
    "reference": "PAU-2027-000123",
    "template_id": "pause_confirmation",
    "template_version": "a" * 64,
    "data_sha256": "b" * 64,
    "subject": "Brookfield Primary School (URN 938245)",
    "author": "Daniel Okafor",
}


def gone(pids: tuple[int, ...]) -> bool:
    """True when none of ``pids`` exists, not even as a zombie."""
    return not any(Path(f"/proc/{pid}").exists() for pid in pids)


@pytest.fixture(scope="module")
def letter_docx(catalogue) -> bytes:
    document = load_document(SAMPLES / "pause_confirmation.yaml", catalogue)
    return render(document.template, document.document).docx


@pytest.fixture(scope="module")
def converter():
    with Converter() as warm:
        yield warm


@pytest.fixture(scope="module")
def letter_pdf(converter, letter_docx) -> bytes:
    return converter.convert(letter_docx, name="pause_confirmation.docx")


def blank_pdf(width: float, height: float, *, font: bool = False) -> bytes:
    """A one-page PDF; with ``font``, its text uses Helvetica without embedding it."""
    writer = PdfWriter()
    page = writer.add_blank_page(width, height)
    if font:
        helvetica = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica})}
        )
        content = DecodedStreamObject()
        content.set_data(b"BT /F1 12 Tf 72 720 Td (Dear Ms Ni Bhriain) Tj ET")
        page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_warm_converter_makes_an_a4_pdf_with_the_letter_text(letter_pdf):
    check = check_pdf(
        letter_pdf, must_contain=["Ms Siobhán Ní Bhriain", "99348812", "DD-2027-0419"]
    )
    assert letter_pdf.startswith(b"%PDF-")
    assert check.pages >= 1
    assert check.fonts
    assert "Brookfield Primary School" in check.text


def test_converter_accepts_a_path(converter, letter_docx, tmp_path):
    source = tmp_path / "letter.docx"
    source.write_bytes(letter_docx)
    assert check_pdf(converter.convert(source), must_contain=["URN: 938245"]).pages >= 1


def test_a_document_libreoffice_cannot_open_fails_with_its_name(converter):
    with pytest.raises(ConversionError) as raised:
        converter.convert(BROKEN_DOCX, name="rows/17.docx")
    assert str(raised.value).startswith("rows/17.docx: LibreOffice could not convert it")
    # The converter is still usable afterwards.
    assert converter.pids


def test_convert_once_matches_the_warm_converter(letter_docx, letter_pdf):
    import io

    from pypdf import PdfReader

    once = convert_once(letter_docx, name="pause_confirmation.docx")
    assert (
        check_pdf(once, must_contain=["99348812"]).pages
        == check_pdf(letter_pdf, must_contain=[]).pages
    )
    # Both are tagged: the structure screen readers need, and the styles' names with it.
    for pdf in (once, letter_pdf):
        root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_stamp_writes_metadata_xmp_and_language(letter_pdf):
    issued = datetime(2027, 4, 29, 14, 5, tzinfo=UTC)
    stamped = stamp_pdf(letter_pdf, issued_at=issued, **STAMP)
    reader = PdfReader(io.BytesIO(stamped))
    info = reader.metadata
    assert info["/Title"] == "Pause confirmation letter"
    assert info["/Subject"] == "Brookfield Primary School (URN 938245)"
    assert info["/Author"] == "Daniel Okafor"
    assert info["/Producer"] == "docgen"
    assert info["/DocgenReference"] == "PAU-2027-000123"
    assert info["/DocgenTemplate"] == "pause_confirmation"
    assert info["/DocgenTemplateVersion"] == "a" * 64
    assert info["/DocgenDataSHA256"] == "b" * 64
    assert info["/CreationDate"] == "D:20270429140500+00'00'"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    xmp = reader.xmp_metadata
    assert xmp.dc_title == {"x-default": "Pause confirmation letter"}
    assert xmp.dc_language == ["en-GB"]
    assert xmp.get_nodes_in_namespace("", "https://docgen.invalid/ns/1.0/")
    assert b"LibreOffice 7" not in stamped  # the old information dictionary is gone
    check = check_pdf(stamped, must_contain=["99348812"])
    assert check.language == "en-GB"
    assert check.metadata["/DocgenReference"] == "PAU-2027-000123"


def test_stamp_is_reproducible(converter, letter_docx, letter_pdf):
    issued = datetime(2027, 4, 29, 14, 5, tzinfo=UTC)
    assert stamp_pdf(letter_pdf, **STAMP) == stamp_pdf(letter_pdf, **STAMP)
    # Two conversions differ only in what issued_at replaces.
    again = converter.convert(letter_docx)
    assert stamp_pdf(again, issued_at=issued, **STAMP) == stamp_pdf(
        letter_pdf, issued_at=issued, **STAMP
    )


def test_check_refuses_letter_size_pages():
    with pytest.raises(PdfCheckError) as raised:
        check_pdf(blank_pdf(612, 792), must_contain=[], name="out/PAU-1.pdf")
    assert str(raised.value) == (
        "out/PAU-1.pdf: page 1 is 612×792 pt; expected A4 (595×842 pt, portrait)"
    )


def test_check_refuses_a_font_that_is_not_embedded():
    with pytest.raises(PdfCheckError) as raised:
        check_pdf(blank_pdf(595.28, 841.89, font=True), must_contain=[])
    assert "font Helvetica on page 1 is not embedded" in str(raised.value)


def test_check_refuses_missing_text(letter_pdf):
    with pytest.raises(PdfCheckError) as raised:
        check_pdf(letter_pdf, must_contain=["PAU-2027-999999"], name="PAU-2027-999999.pdf")
    assert str(raised.value) == (
        "PAU-2027-999999.pdf: the text does not contain 'PAU-2027-999999'; "
        "expected it in the issued letter"
    )


def test_check_ignores_line_breaks_and_spacing(letter_pdf):
    assert check_pdf(letter_pdf, must_contain=["Brookfield Road\n  Didcot"]).pages >= 1


def test_check_refuses_bytes_that_are_not_a_pdf():
    with pytest.raises(PdfCheckError) as raised:
        check_pdf(b"not a pdf", must_contain=[], name="x.pdf")
    assert str(raised.value).startswith("x.pdf: cannot be opened as a PDF")


def test_converter_restarts_after_n_jobs(letter_docx):
    with Converter(restart_after=2) as converter:
        first = converter.pids
        for _ in range(3):
            converter.convert(letter_docx)
        assert converter.starts == 2
        assert converter.jobs_since_start == 1
        assert gone(first)
        last = converter.pids
    assert gone(last)


def test_a_job_over_the_timeout_is_killed_and_the_converter_restarts(letter_docx):
    with Converter(timeout=0.001) as converter:
        started = converter.pids
        with pytest.raises(ConversionError) as raised:
            converter.convert(letter_docx, name="slow.docx")
        assert gone(started)
        converter.timeout = 60
        pdf = converter.convert(letter_docx)
        restarted = converter.pids
    assert str(raised.value).startswith(
        "slow.docx: LibreOffice did not finish converting it within 0.001 s"
    )
    assert converter.starts == 2
    assert check_pdf(pdf, must_contain=["99348812"]).pages >= 1
    assert gone(restarted)


def test_missing_libreoffice_is_a_clear_error(monkeypatch, letter_docx, tmp_path):
    monkeypatch.setenv("DOCGEN_SOFFICE", "/nonexistent")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    for attempt in (Converter, lambda: convert_once(letter_docx), lambda: ConverterPool(2)):
        with pytest.raises(ConversionError) as raised:
            attempt()
        assert str(raised.value) == (
            f"{NOT_INSTALLED} (DOCGEN_SOFFICE is '/nonexistent', not a program)"
        )
        assert "\n" not in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_libreoffice_not_on_the_path_names_the_package(monkeypatch):
    monkeypatch.delenv("DOCGEN_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ConversionError) as raised:
        Converter()
    assert str(raised.value) == (
        "LibreOffice is not installed: install Debian's libreoffice-writer-nogui, "
        "or set DOCGEN_SOFFICE to its path"
    )


def test_pool_converts_a_batch_and_reports_bad_documents(letter_docx):
    documents = [(f"letter-{n}.docx", letter_docx) for n in range(4)]
    documents.insert(2, ("broken.docx", BROKEN_DOCX))
    with ConverterPool(workers=2) as pool:
        pids = tuple(pid for converter in pool.converters for pid in converter.pids)
        assert len(pids) == 4  # two LibreOffice processes and two helpers, started once
        results = dict(pool.convert_many(iter(documents)))
        assert sum(converter.starts for converter in pool.converters) == 2
    assert sorted(results) == sorted(name for name, _ in documents)
    assert isinstance(results["broken.docx"], DocgenError)
    assert str(results["broken.docx"]).startswith("broken.docx: LibreOffice could not")
    for name, _ in documents:
        if name != "broken.docx":
            assert check_pdf(results[name], must_contain=["99348812"], name=name).pages >= 1
    assert gone(pids)


def test_pool_stops_cleanly_when_the_caller_stops_reading(letter_docx):
    with ConverterPool(workers=2) as pool:
        batch = pool.convert_many((f"{n}.docx", letter_docx) for n in range(50))
        name, pdf = next(batch)
        batch.close()
        pids = tuple(pid for converter in pool.converters for pid in converter.pids)
        assert isinstance(pdf, bytes)
        # The converters are still usable for the next batch.
        assert isinstance(pool.convert(letter_docx), bytes)
    assert gone(pids)


def test_closing_leaves_no_libreoffice_process(letter_docx):
    converter = Converter()
    converter.convert(letter_docx)
    pids = converter.pids
    folder = converter._folder
    converter.close()
    assert len(pids) == 2
    assert gone(pids)
    assert not folder.exists()
    with pytest.raises(ConversionError):
        converter.convert(letter_docx, name="late.docx")
    assert os.environ.get("DOCGEN_SOFFICE") is None or Path(os.environ["DOCGEN_SOFFICE"]).exists()
