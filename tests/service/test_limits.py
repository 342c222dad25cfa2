"""Size limits: request bodies, zip bombs dressed as .docx files, and long PDFs."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from dataclasses import replace

from pypdf import PdfWriter

from docgen.service.app import create_app
from tests.service.conftest import bearer
from tests.service.test_api import error_of

MB = 1024 * 1024


def docx_like(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_oversize_body_with_content_length_is_413(client):
    body = b'{"text": "' + b"a" * (10 * MB) + b'"}'
    response = client.post("/v1/lint", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "body_too_large"
    assert "10 MB" in error["message"]


def test_oversize_streamed_body_is_stopped_while_reading(settings):
    # Drive the ASGI app as a server would, with a chunked body and no Content-Length, and
    # count how much of the body the app pulled before answering.
    app = create_app(replace(settings, max_body_bytes=64 * 1024))
    pulled = 0
    sent: list[dict] = []

    async def receive():
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * 16 * 1024, "more_body": pulled < 1000}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/v1/lint", "raw_path": b"/v1/lint", "query_string": b"",
        "root_path": "", "headers": [(b"content-type", b"application/json"),
                                     (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    body = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    assert body["error"]["code"] == "body_too_large"
    assert pulled == 5  # 4 chunks fit in 64 KB; the 5th crossed the limit


def test_oversize_upload_is_413(settings, make_client):
    client = make_client(settings, max_body_bytes=MB)
    response = client.post("/v1/lint", files={"file": ("big.txt", b"word " * MB)})
    assert response.status_code == 413


def test_body_limit_is_configurable(settings, make_client):
    client = make_client(settings, max_body_bytes=1000)
    small = client.post("/v1/lint", json={"text": "Dear Mrs Patel, thank you."})
    assert small.status_code == 200
    large = client.post("/v1/lint", json={"text": "Thank you. " * 200})
    assert large.status_code == 413


def test_zip_bomb_docx_is_refused_before_unpacking(client):
    bomb = docx_like({"word/document.xml": b"\0" * (150 * MB)})
    assert len(bomb) < MB
    response = client.post("/v1/lint", files={"file": ("bomb.docx", bomb)})
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "document_too_large"
    assert error["message"].startswith("bomb.docx would unpack to 150 MB")


def test_docx_with_an_absurd_compression_ratio_is_refused(client):
    dense = docx_like({"word/document.xml": b"<w:document/>" + b" " * (40 * MB)})
    response = client.post("/v1/lint", files={"file": ("dense.docx", dense)})
    assert response.status_code == 413
    assert "times its size" in error_of(response)["message"]


def test_docx_with_too_many_parts_is_refused(client):
    parts = {f"word/media/image{n}.png": b"x" for n in range(600)}
    response = client.post("/v1/lint", files={"file": ("parts.docx", docx_like(parts))})
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "document_too_complex"
    assert "601 parts" in error["message"]


def test_zip_bomb_is_refused_by_extract_too(client):
    bomb = docx_like({"word/document.xml": b"\0" * (150 * MB)})
    response = client.post("/v1/extract", files={"file": ("bomb.docx", bomb)})
    assert response.status_code == 413


def test_pdf_over_the_page_limit_is_413(client):
    writer = PdfWriter()
    for _ in range(201):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    response = client.post("/v1/lint", files={"file": ("long.pdf", buffer.getvalue())})
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "too_many_pages"
    assert error["message"].startswith("long.pdf has 201 pages; this service reads PDFs of at "
                                       "most 200 pages")


def test_pdf_page_limit_is_configurable(settings, make_client, letter_pdf):
    client = make_client(settings, max_pdf_pages=1)
    assert client.post("/v1/lint", files={"file": ("a.pdf", letter_pdf)}).status_code in (200, 413)
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    response = client.post("/v1/lint", files={"file": ("two.pdf", buffer.getvalue())})
    assert response.status_code == 413


def test_a_damaged_pdf_is_422(client):
    response = client.post("/v1/lint", files={"file": ("broken.pdf", b"%PDF-1.7\nnonsense")})
    assert response.status_code == 422
    assert error_of(response)["code"] == "unreadable_document"


def test_limits_apply_to_authenticated_callers_too(settings, make_client):
    client = make_client(settings, max_body_bytes=1000)
    response = client.post("/v1/render", content=b"{" + b" " * 2000 + b"}",
                           headers={**bearer("writer-secret"), "Content-Type": "application/json"})
    assert response.status_code == 413
