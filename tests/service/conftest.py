from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docgen.data import read_data_file
from docgen.service.app import create_app
from docgen.service.settings import ApiToken, ServiceSettings, hash_token

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

# token -> (name, roles)
TOKENS = {
    "writer-secret": ("Wendy Writer", ("writer",)),
    "reviewer-secret": ("Ravi Reviewer", ("reviewer",)),
    "issuer-secret": ("Isla Issuer", ("issuer",)),
    "senior-secret": ("Sam Senior", ("issuer", "reviewer")),
}

HARSH_LETTER = (
    "Dear Mrs Patel,\n\n"
    "As you are aware, you have failed to send the safeguarding records we asked for. "
    "You must send them immediately. Failure to do so will result in further action.\n\n"
    "We will utilise the records in order to check the school's procedures.\n\n"
    "Yours sincerely,\nJane Doe\n"
)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def settings(tmp_path: Path) -> ServiceSettings:
    tokens = tuple(
        ApiToken(name=name, roles=frozenset(roles), sha256=hash_token(secret))
        for secret, (name, roles) in TOKENS.items()
    )
    return ServiceSettings(tokens=tokens, register=str(tmp_path / "register.sqlite3"),
                           issue_dir=str(tmp_path / "issued"))


@pytest.fixture
def client(settings: ServiceSettings):
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def make_client():
    """Build a client with some settings changed from ``settings``."""
    clients: list[TestClient] = []

    def make(base: ServiceSettings, **changes) -> TestClient:
        test_client = TestClient(create_app(replace(base, **changes)))
        test_client.__enter__()
        clients.append(test_client)
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)


def sample_request(name: str = "pause_confirmation") -> dict:
    raw = read_data_file(SAMPLES / f"{name}.yaml")
    template = raw.pop("template")
    return {"template": template, "data": raw}


@pytest.fixture(scope="session")
def letter_docx() -> bytes:
    """A real pause confirmation letter rendered from its sample."""
    from docgen.data import load_document
    from docgen.render import render
    from docgen.templates import Catalogue

    loaded = load_document(SAMPLES / "pause_confirmation.yaml", Catalogue())
    return render(loaded.template, loaded.document).docx


@pytest.fixture(scope="session")
def letter_pdf(letter_docx: bytes) -> bytes:
    """The same letter as a PDF made by LibreOffice."""
    from docgen.issue.convert.soffice import convert_once

    return convert_once(letter_docx, name="pause_confirmation.docx")
