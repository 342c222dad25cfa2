"""Word documents from docxtpl templates, compiled once and rendered fast.

Plain ``DocxTemplate(path).render()`` re-reads the package, cleans the XML and compiles
the Jinja template on every call, then re-zips every part. Here each template is prepared
once (docxtpl's own tag cleaning, then one Jinja compile per templated part) and cached by
the file's SHA-256; a render only runs the compiled templates and appends the rendered
parts to a zip whose unchanged parts were compressed once.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import zipfile
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree

from docgen.errors import TemplateError
from docgen.render.environment import EmptyValueError, environment
from docgen.render.house_style import apply_house_style
from docgen.render.text import blocks_to_text, body_blocks

# Parts docxtpl renders: the body, headers, footers and footnotes.
_TEMPLATED_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_PARAGRAPH_MARK = re.compile(r"\n<w:p([ >])")
_TAG = re.compile(r"<[^>]+>")


class RenderedDocx:
    """A rendered document: the .docx bytes and the body's plain text.

    The text is made from the rendered body when first asked for: drafts written as
    Word files never need it, and it was a third of the time a render took.
    """

    def __init__(self, docx: bytes, body: Any) -> None:
        self.docx = docx
        self._body = body  # the rendered word/document.xml, parsed

    @cached_property
    def text(self) -> str:
        return blocks_to_text(body_blocks(self._body))


class CompiledDocx:
    """A docxtpl template prepared once; ``render`` may be called from many threads."""

    def __init__(
        self, data: bytes, name: str, template_id: str | None = None, title: str | None = None
    ) -> None:
        self.name = name
        self.template_id = template_id
        self.sha256 = hashlib.sha256(data).hexdigest()
        self._parts: dict[str, tuple[zipfile.ZipInfo, jinja2.Template]] = {}
        base = io.BytesIO()
        try:
            source = zipfile.ZipFile(io.BytesIO(data))
            names = source.namelist()
            if "word/document.xml" not in names:
                raise TemplateError(
                    "is not a Word document (no word/document.xml); "
                    "expected a .docx saved by Word or LibreOffice",
                    path=name,
                )
            with source, zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as out:
                infos = {info.filename: info for info in source.infolist()}
                # Page numbers, the continuation header and the draft watermark.
                parts = apply_house_style({n: source.read(i) for n, i in infos.items()},
                                          title or template_id or Path(name).stem)
                for part, raw in parts.items():
                    info = infos.get(part) or zipfile.ZipInfo(part, (1980, 1, 1, 0, 0, 0))
                    if _TEMPLATED_PART.match(info.filename) and (b"{{" in raw or b"{%" in raw):
                        self._parts[info.filename] = (_copy_info(info), self._compile(raw))
                    else:
                        if info.filename == "docProps/core.xml" and template_id:
                            raw = _stamp_core(raw, template_id, title)
                        out.writestr(_copy_info(info), raw)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
            raise TemplateError(
                f"is not a readable Word file ({exc}); expected a .docx saved by Word or "
                "LibreOffice",
                path=name,
            ) from None
        if "word/document.xml" not in self._parts:
            raise TemplateError("has no placeholders in its body; nothing to render", path=name)
        self._base = base.getvalue()

    def _compile(self, raw: bytes) -> jinja2.Template:
        from docxtpl import DocxTemplate

        xml = raw.decode("utf-8")
        if "{%tc " in xml or "{%tc}" in xml:
            raise TemplateError("uses column loops ({%tc %}), which docgen does not support",
                                path=self.name)
        # docxtpl's cleaning joins tags that Word split across runs and handles {%p %} tags.
        xml = DocxTemplate.patch_xml(None, xml)  # it never reads self
        xml = _PARAGRAPH_START.sub(r"\n<w:p\1", xml)
        try:
            return environment().from_string(xml)
        except jinja2.TemplateSyntaxError as exc:
            lines = xml.splitlines()
            near = _TAG.sub("", " ".join(lines[max(exc.lineno - 2, 0) : exc.lineno + 1]))
            raise TemplateError(
                f"has a placeholder Jinja cannot read ({exc.message}) near {near.strip()[:80]!r}",
                path=self.name,
            ) from None

    def render(self, context: dict[str, Any], template_id: str | None = None) -> RenderedDocx:
        """Render to .docx bytes and the body text; missing fields raise ``TemplateError``."""
        rendered: dict[str, bytes] = {}
        body = None
        for part, (_, template) in self._parts.items():
            try:
                xml = template.render(context)
            except EmptyValueError:
                raise TemplateError(
                    f"template '{template_id or self.name}' prints a field that is empty in "
                    "this data; fill it in, or wrap the placeholder in {% if %} in the template",
                    path=self.name,
                ) from None
            except jinja2.UndefinedError as exc:
                raise TemplateError(
                    f"template '{template_id or self.name}' uses {_undefined_name(exc)}, which "
                    "the data does not provide; add the field to the data or correct the "
                    "placeholder in the template",
                    path=self.name,
                ) from None
            xml = _PARAGRAPH_MARK.sub(r"<w:p\1", xml)
            encoded = xml.encode("utf-8")
            try:
                root = etree.fromstring(encoded)
            except etree.XMLSyntaxError as exc:
                raise TemplateError(
                    f"rendered to XML Word cannot open ({exc}); check the template's tags",
                    path=self.name,
                ) from None
            if part == "word/document.xml":
                body = root
            rendered[part] = encoded
        out = io.BytesIO(self._base)
        out.seek(0, io.SEEK_END)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
            for part, encoded in rendered.items():
                archive.writestr(self._parts[part][0], encoded)
        return RenderedDocx(out.getvalue(), body)


_CORE = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def _stamp_core(raw: bytes, template_id: str, title: str | None) -> bytes:
    """Record the template id (as the category), title and language in the core properties.

    The linter reads the category back to choose the document type's rules; the keywords
    carry the id too because LibreOffice copies keywords, not the category, into a PDF.
    """
    try:
        root = etree.fromstring(raw)
    except etree.XMLSyntaxError:
        return raw
    values = {
        ("cp", "category"): template_id,
        ("cp", "keywords"): f"docgen {template_id}",
        ("dc", "language"): "en-GB",
        ("dc", "creator"): "docgen",
        ("dc", "description"): "",
    }
    if title:
        values[("dc", "title")] = title
    for (prefix, local), value in values.items():
        node = root.find(f"{{{_CORE[prefix]}}}{local}")
        if node is None:
            node = etree.SubElement(root, f"{{{_CORE[prefix]}}}{local}")
        node.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = zipfile.ZIP_DEFLATED
    copy.external_attr = info.external_attr
    return copy


def _undefined_name(exc: jinja2.UndefinedError) -> str:
    message = str(exc)
    if m := re.match(r"'([^']+)' is undefined", message):
        return f"'{m.group(1)}'"
    if m := re.search(r"has no attribute '([^']+)'", message):
        return f"a field '{m.group(1)}'"
    return message


_cache: dict[str, CompiledDocx] = {}
_lock = threading.Lock()


def compiled(path: Path, template_id: str | None = None, title: str | None = None) -> CompiledDocx:
    """Return the compiled template for ``path``, compiling it on first use or after a change."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"cannot be read ({exc.strerror})", path=path) from None
    key = f"{hashlib.sha256(data).hexdigest()}:{template_id}:{title}"
    with _lock:
        found = _cache.get(key)
    if found is None:
        found = CompiledDocx(data, str(path), template_id, title)
        with _lock:
            _cache[key] = found
    return found
