"""The linter's view of a document: paragraphs of text, each knowing where it came from.

Readers (``readers/``) turn .docx, .pdf, .txt, .md, .html and stdin into a
``TextDocument``; the engine only ever sees this. Lines and columns are 1-based. For
.docx and .pdf a "line" is a paragraph number (the Nth block of docgen's text view);
for text files it is the real line, and a paragraph may span several lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal

BlockKind = Literal["paragraph", "heading", "list_item", "table_row"]

_LIST_MARK = re.compile(r"^(?:[-*•]|\d{1,3}[.)])\s+")
_HEADING_MARK = re.compile(r"^#{1,6}\s+")


@dataclass(frozen=True)
class Paragraph:
    """One block of text. ``text`` excludes any list or heading marker; ``line`` and
    ``column`` locate its first character; newlines inside ``text`` are real line breaks
    in the source (text files only). ``quoted`` holds the spans of ``text`` that the
    source marks as someone else's words (a Word quotation style, a Markdown or HTML
    block quote): the rules that judge our own wording leave them alone."""

    text: str
    line: int
    column: int = 1
    kind: BlockKind = "paragraph"
    quoted: tuple[tuple[int, int], ...] = field(default=(), kw_only=True)

    def position(self, offset: int) -> tuple[int, int]:
        """Map an offset in ``text`` to a 1-based (line, column) in the source."""
        breaks = bisect_right(self._line_breaks, offset - 1)
        if breaks == 0:
            return self.line, self.column + offset
        return self.line + breaks, offset - self._line_breaks[breaks - 1]

    @cached_property
    def _line_breaks(self) -> list[int]:
        """The offsets of the text's newlines, found once: a long paragraph is asked
        for thousands of positions."""
        return [m.start() for m in re.finditer("\n", self.text)]


def flagged_spans(flags: Sequence[bool]) -> tuple[tuple[int, int], ...]:
    """The (start, end) runs of true flags: one per stretch of quoted characters."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for offset, flag in enumerate((*flags, False)):
        if flag and start is None:
            start = offset
        elif not flag and start is not None:
            spans.append((start, offset))
            start = None
    return tuple(spans)


def without_quotations(text: str, quoted: Sequence[tuple[int, int]]) -> str:
    """``text`` with its quoted spans blanked to spaces (line breaks kept), the same
    length, so every offset still points at the same character of the source."""
    if not quoted:
        return text
    pieces: list[str] = []
    cursor = 0
    for start, end in quoted:
        pieces += text[cursor:start], _NOT_NEWLINE.sub(" ", text[start:end])
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


_NOT_NEWLINE = re.compile(r"[^\n]")


def quote_passages(paragraphs: Sequence[Paragraph], passages: Iterable[str]
                   ) -> list[Paragraph]:
    """``paragraphs`` with each whole-word occurrence of a passage marked as a quotation.

    Plain text carries no quotation style, so a caller that knows which passages are
    someone else's words names them (a caller that knows where they are gives their
    places instead, to ``quote_spans``). A passage is matched exactly (case and all,
    without its surrounding spaces) and never inside a word, so an edit within it makes
    it the writer's own words again and the checks judge it.

    Looking at an occurrence costs its length, so long passages that nearly match
    everywhere could cost the text's length times theirs. The work is capped at a few
    times the length of the text and passages together; past that, what is left
    unmarked is judged, as our own words are.
    """
    wanted = [p for p in dict.fromkeys(passage.strip() for passage in passages) if p]
    if not wanted:
        return list(paragraphs)
    budget = _WORK_PER_CHARACTER * (sum(len(p.text) for p in paragraphs)
                                    + sum(map(len, wanted)))
    marked: list[Paragraph] = []
    for paragraph in paragraphs:
        text = paragraph.text
        flags = _quoted_flags(paragraph)
        for passage in wanted:
            at = text.find(passage) if len(passage) <= len(text) else -1
            while at >= 0 and budget > 0:
                end = at + len(passage)
                budget -= len(passage)
                if _whole_words(text, at, end):
                    flags[at:end] = [True] * len(passage)
                    at = text.find(passage, end)
                else:
                    at = text.find(passage, at + 1)
        marked.append(_with_quoted(paragraph, flags))
    return marked


def quote_spans(paragraphs: Sequence[Paragraph], text: str,
                spans: Iterable[tuple[int, int]]) -> list[Paragraph]:
    """``paragraphs`` of ``text`` (as ``paragraphs_from_text`` reads it) with each
    character inside one of ``spans`` marked as a quotation.

    A span is a (start, end) pair of offsets into ``text`` itself, so it marks the one
    place a file quoted, where ``quote_passages`` marks every place the same words occur:
    the tone-check page sends the spans of an upload's quotations, moved as the writer
    edits around them."""
    wanted = sorted((start, end) for start, end in spans if start < end)
    if not wanted:
        return list(paragraphs)
    starts, ends = _merged(wanted)
    lines = [0]
    for row in text.splitlines(keepends=True):
        lines.append(lines[-1] + len(row))
    marked: list[Paragraph] = []
    for paragraph in paragraphs:
        flags = _quoted_flags(paragraph)
        for index in range(len(paragraph.text)):
            line, column = paragraph.position(index)
            at = lines[line - 1] + column - 1
            span = bisect_right(starts, at) - 1
            if span >= 0 and at < ends[span]:
                flags[index] = True
        marked.append(_with_quoted(paragraph, flags))
    return marked


#: Where a line of text quotes someone, as an email reply and a Markdown block quote mark
#: it: up to three spaces, then one or more ">", each with the space after it.
QUOTE_MARK = re.compile(r"^(\s{0,3}>\s?)+")


def unmark_quoted_lines(lines: Sequence[str], skip: Sequence[bool] = ()
                        ) -> tuple[list[str], set[int]]:
    """``lines`` with each quotation mark (``QUOTE_MARK``) blanked to spaces, so every
    other character keeps its column, and the 1-based numbers of the lines that had one.
    A line whose ``skip`` flag is true (a fenced code block, say) is left as it is."""
    quoting: set[int] = set()
    out: list[str] = []
    for number, line in enumerate(lines, 1):
        mark = None if number <= len(skip) and skip[number - 1] else QUOTE_MARK.match(line)
        if mark is None:
            out.append(line)
            continue
        quoting.add(number)
        out.append(" " * mark.end() + line[mark.end():])
    return out, quoting


def quote_lines(paragraph: Paragraph, lines: set[int]) -> Paragraph:
    """``paragraph`` with its characters on the source ``lines`` quoted, each run of
    them without the spaces at its ends (where a blanked quotation mark stood)."""
    text = paragraph.text
    runs: list[tuple[int, int]] = list(paragraph.quoted)
    start = 0
    run_start: int | None = None
    while start < len(text):  # one look-up a line of the text, not one a character
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1  # a line's break stands on that line
        if paragraph.position(start)[0] in lines:
            run_start = start if run_start is None else run_start
        elif run_start is not None:
            runs.append(_trimmed(text, run_start, start))
            run_start = None
        start = end
    if run_start is not None:
        runs.append(_trimmed(text, run_start, len(text)))
    starts, ends = _merged(sorted(r for r in runs if r[0] < r[1]))
    quoted = tuple(zip(starts, ends, strict=True))
    return paragraph if quoted == paragraph.quoted else replace(paragraph, quoted=quoted)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the white space at its ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quoted_flags(paragraph: Paragraph) -> list[bool]:
    """One flag a character of ``paragraph``: true where it is already quoted."""
    flags = [False] * len(paragraph.text)
    for start, end in paragraph.quoted:
        flags[start:end] = [True] * (end - start)
    return flags


def _with_quoted(paragraph: Paragraph, flags: Sequence[bool]) -> Paragraph:
    """``paragraph`` quoting where ``flags`` are true (itself when nothing changed)."""
    quoted = flagged_spans(flags)
    return paragraph if quoted == paragraph.quoted else replace(paragraph, quoted=quoted)


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted spans joined where they touch or overlap, as lists of starts and ends."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in spans:
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


_WORK_PER_CHARACTER = 8


def _whole_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` neither begins nor ends inside a word."""
    return (not (start > 0 and text[start - 1].isalnum() and text[start].isalnum())
            and not (end < len(text) and text[end].isalnum() and text[end - 1].isalnum()))


@dataclass(frozen=True)
class MappedParagraph(Paragraph):
    """A paragraph whose text was cleaned of markup: each character keeps its source place.

    ``places[i]`` is the 1-based (line, column) of character ``i`` in the source; one
    more entry, just after the last character, closes the range.
    """

    places: tuple[tuple[int, int], ...] = ()

    def position(self, offset: int) -> tuple[int, int]:
        if not self.places:
            return super().position(offset)
        return self.places[max(0, min(offset, len(self.places) - 1))]


@dataclass
class TextDocument:
    """A document as the linter reads it."""

    path: str
    paragraphs: list[Paragraph]
    document_type: str | None = None
    source_format: str = "text"  # text, markdown, html, docx, pdf
    metadata: dict[str, str] = field(default_factory=dict)
    # The validated data the document was rendered from, when known (a data file, the
    # gate): consistency rules read it beside the text.
    data: Any = None

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


def paragraphs_from_text(text: str, *, markdown: bool = False) -> list[Paragraph]:
    """Split plain text into paragraphs at blank lines; list items and headings stand alone.

    In plain text a line that starts with ">" quotes someone, as in an email reply: its
    words are marked as a quotation and the marks become spaces, so every character keeps
    its column. (The Markdown reader marks its block quotes itself, then calls this with
    ``markdown=True``, which also reads "#" headings.)"""
    if markdown or ">" not in text:  # most letters quote nobody: no second pass
        return _split(text, headings=markdown)
    unmarked, quoting = unmark_quoted_lines(text.splitlines())
    if not quoting:
        return _split(text, headings=False)
    return [quote_lines(p, quoting) for p in _split("\n".join(unmarked), headings=False)]


def _split(text: str, headings: bool) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    lines = text.splitlines()
    current: list[str] = []
    start = 0

    def flush() -> None:
        if current:
            joined = "\n".join(current)
            stripped = joined.lstrip()
            lead = len(joined) - len(stripped)
            paragraphs.append(Paragraph(stripped.rstrip(), start + 1, lead + 1))
            current.clear()

    for number, line in enumerate(lines):
        body = line.strip()
        if not body:
            flush()
            continue
        indent = len(line) - len(line.lstrip())
        marker = _LIST_MARK.match(body)
        heading = _HEADING_MARK.match(body) if headings else None
        if marker or heading:
            flush()
            m = marker or heading
            assert m is not None
            kind: BlockKind = "list_item" if marker else "heading"
            paragraphs.append(
                Paragraph(body[m.end():].rstrip(), number + 1, indent + m.end() + 1, kind)
            )
            continue
        if paragraphs and not current and paragraphs[-1].kind == "list_item" and indent > 0:
            # A wrapped continuation of the previous list item.
            last = paragraphs.pop()
            paragraphs.append(Paragraph(f"{last.text}\n{line.rstrip()}", last.line,
                                        last.column, last.kind))
            continue
        if not current:
            start = number
        current.append(line.rstrip())
    flush()
    return paragraphs
