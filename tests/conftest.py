from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# No deadline for property tests: a deadline is a timing assertion, and speed is measured
# by bench/, not by tests (on a loaded machine a correct example ran past 200 ms).
settings.register_profile("docgen", deadline=None)
settings.load_profile("docgen")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _docgen_variables_restored() -> Iterator[None]:
    """No test's DOCGEN_* variables reach the next test, or the servers it starts.

    'docgen serve' hands its options to the app uvicorn builds through DOCGEN_SERVICE_*
    variables; run in-process by a test, it would otherwise leave them set for every
    later test in that process (a later server then took two lint workers, not one).
    """
    saved = {name: value for name, value in os.environ.items() if name.startswith("DOCGEN_")}
    yield
    for name in [name for name in os.environ if name.startswith("DOCGEN_")]:
        if name not in saved:
            del os.environ[name]
    os.environ.update(saved)


@pytest.fixture(scope="session")
def catalogue():
    from docgen.templates import Catalogue

    return Catalogue()


@pytest.fixture(scope="session")
def warm_converter() -> Iterator[Any]:
    """One LibreOffice for the whole run, for tests that need *a* converter, not a fresh one.

    Starting LibreOffice with a new profile takes 2 s on an idle machine and over 15 s on a
    busy one; a warm converter converts a letter in a tenth of a second.
    """
    from docgen.issue.convert import Converter

    with Converter() as converter:
        yield converter


class _Borrowed:
    """The warm converter lent to code that makes its own: closing it only gives it back."""

    def __init__(self, converter: Any) -> None:
        self._converter = converter

    def __enter__(self) -> Any:
        return self._converter

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._converter, name)


@contextlib.contextmanager
def lending(converter: Any) -> Iterator[Any]:
    """While open, ``Converter()`` in docgen (the CLI's ``issue`` and ``render --format pdf``,
    the service) lends ``converter`` instead of starting another LibreOffice.

    Only a converter asked for with the default settings, for the program ``find_soffice``
    finds, is lent: a test that points ``DOCGEN_SOFFICE`` at a missing or broken program, or
    asks for its own timeout, still gets a converter of its own (or its error).
    """
    from docgen.issue.convert import soffice

    real = soffice.Converter
    program = soffice._program(soffice.find_soffice())
    defaults = {"timeout": converter.timeout, "restart_after": converter.restart_after,
                "startup_timeout": converter.startup_timeout}

    def make(*args: Any, **settings: Any) -> Any:
        if (args or any(value != defaults.get(key) for key, value in settings.items())
                or soffice._program(soffice.find_soffice()) != program):
            return real(*args, **settings)
        return _Borrowed(converter)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("docgen.issue.convert.Converter", make)
        patch.setattr("docgen.issue.convert.soffice.Converter", make)
        yield converter


@pytest.fixture
def shared_converter(warm_converter: Any) -> Iterator[Any]:
    """The run's warm converter, lent to docgen for the length of one test."""
    with lending(warm_converter):
        yield warm_converter


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
# The modules that take longest, mostly waiting on pip: they start first.
_LONGEST = ("test_pre_commit.py", "test_installed.py", "issue/test_issue_gate.py")
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
    # The longest modules first, then the other slow ones: with several workers (addopts'
    # -n) a long module that starts last runs alone at the end.
    def order(item: pytest.Item) -> int:
        module = item.path.resolve().relative_to(tests).as_posix()
        return 0 if module in _LONGEST else 1 if module in SLOW_MODULES else 2

    items.sort(key=order)
