"""HTML: the text of each block element, with its place in the source."""

from __future__ import annotations

from docgen.lint.document import BlockKind, MappedParagraph, Paragraph, flagged_spans

FORMAT = "html"


def paragraphs(text: str) -> list[Paragraph]:
    return html_paragraphs(text)


_HTML_BLOCKS: dict[str, BlockKind]
_HTML_BLOCKS = {"p": "paragraph", "div": "paragraph", "blockquote": "paragraph",
                "pre": "paragraph", "section": "paragraph", "article": "paragraph",
                "header": "paragraph", "footer": "paragraph", "address": "paragraph",
                "dt": "paragraph", "dd": "paragraph", "caption": "paragraph",
                "figcaption": "paragraph", "main": "paragraph", "aside": "paragraph",
                "ul": "paragraph", "ol": "paragraph", "table": "paragraph", "body": "paragraph",
                "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading",
                "h5": "heading", "h6": "heading", "li": "list_item", "tr": "table_row"}
_HTML_HIDDEN = {"script", "style", "head", "template", "noscript", "title"}
_HTML_QUOTES = {"blockquote", "q"}  # someone else's words


def html_paragraphs(text: str) -> list[Paragraph]:
    """The text of an HTML page's block elements, one paragraph each, with source places."""
    from html.parser import HTMLParser

    paragraphs: list[Paragraph] = []
    chars: list[str] = []
    places: list[tuple[int, int]] = []
    quoting: list[bool] = []  # per character: inside a quotation
    kinds: list[BlockKind] = ["paragraph"]
    hidden = [0]
    quotes = [0]

    def flush() -> None:
        while chars and chars[-1] == " ":
            chars.pop()
            places.pop()
            quoting.pop()
        if chars:
            end = (places[-1][0], places[-1][1] + 1)
            line, column = places[0]
            paragraphs.append(MappedParagraph("".join(chars), line, column,
                                              kinds[-1], (*places, end),
                                              quoted=flagged_spans(quoting)))
        chars.clear()
        places.clear()
        quoting.clear()

    def add(data: str, line: int, column: int) -> None:
        for char in data:
            if char.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    places.append((line, column))
                    quoting.append(quotes[0] > 0)
            else:
                chars.append(char)
                places.append((line, column))
                quoting.append(quotes[0] > 0)
            if char == "\n":
                line, column = line + 1, 1
            else:
                column += 1

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _HTML_QUOTES:
                quotes[0] += 1
            if tag in _HTML_HIDDEN:
                hidden[0] += 1
            elif tag in _HTML_BLOCKS:
                flush()
                kinds.append(_HTML_BLOCKS[tag])
            elif tag in ("td", "th") and chars:
                line, column = self.getpos()
                add(" | ", line, column + 1)
            elif tag == "br":
                line, column = self.getpos()
                add(" ", line, column + 1)

        def handle_endtag(self, tag: str) -> None:
            if tag in _HTML_HIDDEN:
                hidden[0] = max(0, hidden[0] - 1)
            elif tag in _HTML_BLOCKS:
                flush()
                if len(kinds) > 1:
                    kinds.pop()
            if tag in _HTML_QUOTES:
                quotes[0] = max(0, quotes[0] - 1)

        def handle_data(self, data: str) -> None:
            if not hidden[0]:
                line, column = self.getpos()
                add(data, line, column + 1)

        def handle_comment(self, data: str) -> None:
            if "docgen-ignore" in data:
                flush()
                line, column = self.getpos()
                paragraphs.append(Paragraph(f"<!--{data}-->", line, column + 1))

    reader = Reader(convert_charrefs=True)
    reader.feed(text)
    reader.close()
    flush()
    return paragraphs
