from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def catalogue():
    from docgen.templates import Catalogue

    return Catalogue()


# Test modules that start LibreOffice, a browser, several processes, a fresh virtualenv or
# megabytes of text, with the program each needs. `pytest -m "not slow"` leaves them out;
# a module whose program is missing is skipped with that reason. CI installs both
# programs, so CI runs everything.
SLOW_MODULES: dict[str, str | None] = {
    "issue/test_issue_gate.py": "soffice",
    "issue/test_consistency_gate.py": "soffice",
    "issue/test_issue_hardening.py": "soffice",
    "issue/test_pdf.py": "soffice",
    "issue/test_tone_gate.py": "soffice",
    "issue/test_batch_parent_death.py": "soffice",
    "render/test_word_and_libreoffice.py": "soffice",
    "render/test_house_style.py": "soffice",
    "test_new_documents.py": None,
    "test_render_formats.py": None,
    "service/test_browser.py": "chromium",
    "service/test_bounded_work.py": None,
    "service/test_issue.py": "soffice",
    "lint/test_linear_time.py": None,
    "test_bench_scripts.py": None,
    "test_installed.py": None,
    "test_pre_commit.py": None,
}
_PROGRAMS = {"soffice": "LibreOffice (soffice)", "chromium": "Chromium"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    import shutil

    tests = Path(__file__).resolve().parent
    for item in items:
        module = item.path.resolve().relative_to(tests).as_posix()
        if module not in SLOW_MODULES:
            continue
        item.add_marker(pytest.mark.slow)
        program = SLOW_MODULES[module]
        if program is not None and shutil.which(program) is None:
            item.add_marker(pytest.mark.skip(reason=f"needs {_PROGRAMS[program]}, which is "
                                                    "not installed"))
