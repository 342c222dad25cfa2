"""Markdown: the markup taken out, each character keeping its place in the source."""

from __future__ import annotations

import re

from docgen.lint.document import (
    MappedParagraph,
    Paragraph,
    paragraphs_from_text,
    quote_lines,
    unmark_quoted_lines,
)

FORMAT = "markdown"


def paragraphs(text: str) -> list[Paragraph]:
    return markdown_paragraphs(text)


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
# No part stops at a character that could open another construct of its kind ("[" in
# link text, "<" in a tag, "(" in an address), so an unclosed "![a" or "<a" fails at
# the next opening instead of at the paragraph's end: each scan is linear, where
# "![a" repeated 10,000 times once took seconds.
_INLINE = re.compile(
    r"!\[(?P<alt>[^\[\]]*)\]\([^()]*\)"  # image: keep the alt text
    r"|\[(?P<link>[^\[\]]+)\](?:\([^()]*\)|\[[^\[\]]*\])"  # link: keep its words
    r"|<(?P<auto>https?://[^<>\s]+|[^<>@\s]+@[^<>\s]+)>"  # autolink: keep the address
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!|])"
    r"|</?[A-Za-z][^<>]*>"  # inline HTML tag
    r"|`+|\*+|~~|(?<!\w)_+|_+(?!\w)"  # code and emphasis marks
)


def _blank_comments(text: str) -> str:
    """Blank HTML comments other than suppressions, keeping the line count. A scan for
    each opening and its close, never a backtracking pattern: with no close, nothing
    after the opening is a comment, so the scan stops."""
    pieces: list[str] = []
    cursor = 0
    while (opening := text.find("<!--", cursor)) >= 0:
        closing = text.find("-->", opening + 4)
        if closing < 0:
            break
        end = closing + 3
        comment = text[opening:end]
        pieces += text[cursor:opening], (
            comment if "docgen-ignore" in comment else _NOT_NEWLINE.sub(" ", comment))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


_NOT_NEWLINE = re.compile(r"[^\n]")


def markdown_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs of Markdown with the markup taken out; each character keeps its place."""
    lines = text.split("\n")
    blank = [False] * len(lines)
    if lines and lines[0].strip() == "---":  # front matter
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                blank[: end + 1] = [True] * (end + 1)
                break
    fence: str | None = None
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            blank[number] = True
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
        elif opening:
            fence, blank[number] = opening.group(1), True
        elif re.match(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", line) and "|" in line:
            blank[number] = True  # a table's header rule
    # A block quote holds someone else's words: its lines are marked as a quotation.
    unmarked, quoting = unmark_quoted_lines(lines, blank)
    cleaned = "\n".join("" if gone else line
                        for line, gone in zip(unmarked, blank, strict=True))
    # Comments other than suppressions are invisible: blank them but keep the line count.
    cleaned = _blank_comments(cleaned)
    paragraphs = []
    for found in paragraphs_from_text(cleaned, markdown=True):
        # A suppression comment stays as written, on a paragraph of its own.
        lines = found.text.split("\n")
        taken = 0
        while taken < len(lines) and lines[taken].lstrip().startswith("<!--"):
            line = lines[taken]
            column = found.column if taken == 0 else len(line) - len(line.lstrip()) + 1
            paragraphs.append(Paragraph(line.lstrip(), found.line + taken, column))
            taken += 1
        paragraph: Paragraph = found
        if taken:
            if taken == len(lines):
                continue
            rest = "\n".join(lines[taken:])
            body = rest.lstrip()
            paragraph = Paragraph(body, found.line + taken, len(rest) - len(body) + 1,
                                  found.kind)
        mapped = _strip_inline(paragraph)
        if mapped.text.strip():
            paragraphs.append(quote_lines(mapped, quoting) if quoting else mapped)
    return paragraphs


def _strip_inline(paragraph: Paragraph) -> Paragraph:
    raw = paragraph.text
    chars: list[str] = []
    where: list[int] = []
    cursor = 0
    for match in _INLINE.finditer(raw):
        chars += raw[cursor:match.start()]
        where += range(cursor, match.start())
        for group in ("alt", "link", "auto", "escaped"):
            if match.group(group) is not None:
                chars += match.group(group)
                where += range(match.start(group), match.end(group))
                break
        cursor = match.end()
    chars += raw[cursor:]
    where += range(cursor, len(raw))
    if len(chars) == len(raw):
        return paragraph
    text = "".join(chars)
    places = [paragraph.position(i) for i in where]
    end = paragraph.position(where[-1] + 1) if where else (paragraph.line, paragraph.column)
    start = places[0] if places else end
    return MappedParagraph(text, start[0], start[1], paragraph.kind, (*places, end))
