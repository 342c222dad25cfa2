"""Linting takes time in proportion to the text, whatever its shape.

Each shape below once made a step quadratic (or worse): 100 KB took up to 28 s and
200 KB up to 104 s. The test lints 100 KB and 1 MB of each and requires the larger to
take at most 30 times as long as the smaller: 10 times the text takes 10 times as long
when the time is linear and 100 times when it is quadratic. CPU time of this process is
measured, not wall time, but a busy machine still slows the larger run more (its caches
are shared): with a model training beside it, one shape took 15.1 times as long.

These shapes run with every rule except the tone model (``Tone.Semantic`` ignored): with
it, the 1 MB cases passed alone but went past the ratio on a busy machine. The model's
cost is linear per sentence (each sentence is scored once, cut at its word-piece limit)
and the service bounds it with its text and time limits.
"""

from __future__ import annotations

import time

import pytest

from docgen.lint import check_document
from docgen.lint.config import LintConfig
from docgen.lint.readers import read_text

SHAPES = {
    # "a. " never ends a sentence (a lower-case word follows), so the splitter once
    # re-read a growing prefix at every full stop.
    "full stops": "a. ",
    # Unclosed Markdown images, tags, links and comments: the inline and comment
    # patterns once ran to the end of the paragraph from every opening.
    "unclosed images": "![a",
    "unclosed tags": "<a",
    "unclosed links": "[a ",
    "unclosed comments": "<!--",
    # One long sentence with many matches and rules with exceptions: each match once
    # scanned the sentence list and searched the whole sentence again.
    "long sentence, many matches": "you have failed to act and you must ensure that staff "
                                   "failed again, ",
    # Capitalised words not at a sentence start: the spelling rule once sliced the
    # text before every one.
    "capitalised words": "Behaviour Ab ",
    # A block quote: each character of a quoted paragraph is placed in the source once.
    "block quotes": "> you have failed\n",
}
SMALL, LARGE = 100_000, 1_000_000
MAX_RATIO = 30
WITHOUT_MODEL = LintConfig(ignore=("Tone.Semantic",))


def _text(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _cpu_seconds(text: str) -> float:
    started = time.process_time()
    document = read_text(text, "shape.md", "markdown", None)
    check_document(document, WITHOUT_MODEL)
    return time.process_time() - started


@pytest.mark.parametrize("unit", SHAPES.values(), ids=SHAPES.keys())
def test_linting_time_grows_linearly(unit: str) -> None:
    _cpu_seconds(_text(unit, 1_000))  # load the rules before timing
    small = min(_cpu_seconds(_text(unit, SMALL)) for _ in range(2))
    large = _cpu_seconds(_text(unit, LARGE))
    ratio = large / max(small, 1e-3)
    print(f"{unit!r}: 100 KB {small:.2f} s, 1 MB {large:.2f} s, ratio {ratio:.1f}")
    assert ratio <= MAX_RATIO, f"1 MB took {ratio:.1f} times as long as 100 KB"


def _word_table(rows: int) -> bytes:
    """A .docx whose body is one table of ``rows`` rows, each with a quotation."""
    import io
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    cell = ('<w:tc><w:p><w:r><w:t xml:space="preserve">Raised: </w:t></w:r><w:r><w:rPr>'
            '<w:rStyle w:val="QuoteChar"/></w:rPr><w:t>you have failed</w:t></w:r></w:p></w:tc>')
    body = f'<w:tbl>{("<w:tr>" + cell + cell + "</w:tr>") * rows}</w:tbl>'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '</Types>',
        "word/document.xml": f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_reading_quotations_in_a_long_table_grows_linearly() -> None:
    from docgen.lint.readers import read_docx

    def seconds(rows: int) -> float:
        data = _word_table(rows)
        started = time.process_time()
        document = read_docx(data, "table.docx")
        elapsed = time.process_time() - started
        assert sum(len(p.quoted) for p in document.paragraphs) == 2 * rows
        return elapsed

    small = min(seconds(2_000) for _ in range(2))
    large = seconds(20_000)
    ratio = large / max(small, 1e-3)
    print(f"2,000 rows {small:.2f} s, 20,000 rows {large:.2f} s, ratio {ratio:.1f}")
    assert ratio <= MAX_RATIO, f"20,000 rows took {ratio:.1f} times as long as 2,000"


def _passage_seconds(text: str, passages: list[str]) -> float:
    from docgen.lint.document import paragraphs_from_text, quote_passages

    paragraphs = paragraphs_from_text(text)
    started = time.process_time()
    quote_passages(paragraphs, passages)
    return time.process_time() - started


# Passages named for plain text (the tone-check page's quotations), each half as long as
# the text: without a cap on the work, each nearly matches at every word and costs its
# length there, so the time grew with the text times the passage.
PASSAGE_SHAPES = {
    # Matches at every word start and fails the whole-word test at its end.
    "matches ending inside a word": ("ab ", "ab ", " a"),
    # Matches everywhere inside one long word, never at a word's edges.
    "matches inside one word": ("a", "a", ""),
}


@pytest.mark.parametrize("shape", PASSAGE_SHAPES.values(), ids=PASSAGE_SHAPES.keys())
def test_naming_passages_takes_time_in_proportion_to_the_text(shape: tuple[str, str, str]
                                                               ) -> None:
    unit, passage_unit, tail = shape

    def seconds(size: int) -> float:
        text = _text(unit, size)
        return _passage_seconds(text, [_text(passage_unit, size // 2).strip() + tail])

    small = min(seconds(SMALL // 10) for _ in range(2))
    large = seconds(LARGE // 10)
    ratio = large / max(small, 1e-3)
    print(f"{unit!r}: 10 KB {small:.3f} s, 100 KB {large:.3f} s, ratio {ratio:.1f}")
    assert ratio <= MAX_RATIO, f"100 KB took {ratio:.1f} times as long as 10 KB"
