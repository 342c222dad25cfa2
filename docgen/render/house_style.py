"""The house style every document shares, added to each template when it is compiled.

- page numbers, "Page 2 of 3", in the footer of every page;
- a continuation header on later pages (the template's title and the document
  reference), with a different first page, which carries the letterhead in the body;
- a "DRAFT" watermark on every page of a draft, which an issued document (one rendered
  with a reference, as ``docgen issue`` does) does not have.

The house style lives here, once, rather than in each Word file, so a new template has
it without anyone remembering to add it and a writer's edit cannot lose it. A template
that already sets its own first-page header, or prints its own page numbers, keeps them.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
W = f"{{{W_NS}}}"
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"
_ROOT_NS = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: The watermark, printed only while ``is_draft`` (see ``docgen.render.context_for``).
WATERMARK_TEXT = "DRAFT"
_WATERMARK = (
    "{% if is_draft %}<w:r><w:rPr><w:noProof/></w:rPr><w:pict>"
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s1025" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:415pt;height:140pt;'
    "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
    "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d9d9d9" '
    'stroked="f"><v:fill opacity=".5"/>'
    f'<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="{WATERMARK_TEXT}"/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>{% endif %}'
)


def _paragraph(runs: str, align: str | None = None, style: str | None = None) -> str:
    props = ""
    if style or align:
        props = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + (
            f'<w:jc w:val="{align}"/>' if align else "") + "</w:pPr>"
    return f"<w:p>{props}{runs}</w:p>"


def _run(text: str, size: int = 18, colour: str = "505a5f") -> str:
    return (f'<w:r><w:rPr><w:color w:val="{colour}"/><w:sz w:val="{size}"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')


def _field(instruction: str) -> str:
    return (f'<w:fldSimple w:instr=" {instruction} "><w:r><w:rPr><w:sz w:val="18"/></w:rPr>'
            "<w:t>1</w:t></w:r></w:fldSimple>")


PAGE_NUMBERS = _paragraph(
    _run("Page ") + _field("PAGE") + _run(" of ") + _field("NUMPAGES"), "right", "Footer"
)


def continuation_header(title: str) -> bytes:
    """The header of every page after the first: title, reference, and the draft mark."""
    # The title is fixed text; braces are escaped so Jinja prints them as written.
    shown = title.replace("{", "{{ '{' }}")
    body = (_paragraph(_run(f"{shown} · {{{{ issue_reference }}}}"), "right", "Header")
            + _paragraph(_WATERMARK, None, "Header"))
    return f"{_XML_DECL}<w:hdr {_ROOT_NS}>{body}</w:hdr>".encode()


def first_page_header() -> bytes:
    """The first page's header: the letterhead is in the body, so only the draft mark."""
    body = _paragraph(_WATERMARK, None, "Header")
    return f"{_XML_DECL}<w:hdr {_ROOT_NS}>{body}</w:hdr>".encode()


def _with_page_numbers(footer: bytes) -> bytes:
    if re.search(rb"\bNUMPAGES\b|\bPAGE\b", footer):
        return footer
    return re.sub(rb"</w:ftr>\s*$", PAGE_NUMBERS.encode() + b"</w:ftr>", footer)


def _empty_footer() -> bytes:
    return f"{_XML_DECL}<w:ftr {_ROOT_NS}></w:ftr>".encode()


def apply_house_style(parts: dict[str, bytes], title: str) -> dict[str, bytes]:
    """Return the package's parts with page numbers, headers and the watermark added."""
    if "word/document.xml" not in parts or "word/_rels/document.xml.rels" not in parts:
        return parts
    out = dict(parts)
    try:
        document = etree.fromstring(parts["word/document.xml"])
        rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
        types = etree.fromstring(parts["[Content_Types].xml"])
    except (etree.XMLSyntaxError, KeyError):
        return parts  # a damaged package: the renderer reports what is wrong with it
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    taken = set(parts)

    def new_part(kind: str, data: bytes) -> str:
        number = 90
        while f"word/{kind}{number}.xml" in taken:
            number += 1
        name = f"word/{kind}{number}.xml"
        taken.add(name)
        out[name] = data
        rel_id = f"rIdDocgen{kind.capitalize()}{number}"
        etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship", Id=rel_id,
                         Type=_REL_TYPE + kind, Target=name.removeprefix("word/"))
        etree.SubElement(types, f"{{{CT_NS}}}Override", PartName=f"/{name}",
                         ContentType=_CONTENT_TYPE.format(kind))
        return rel_id

    for sect in document.iter(f"{W}sectPr"):
        if sect.find(f"{W}titlePg") is not None or sect.find(f"{W}headerReference") is not None:
            continue  # the template has its own headers
        footers = {ref.get(f"{W}type"): ref for ref in sect.findall(f"{W}footerReference")}
        default = footers.get("default")
        if default is not None:
            name = "word/" + str(targets[str(default.get(f"{{{R_NS}}}id"))])
            out[name] = _with_page_numbers(out[name])
            footer = out[name]
        else:
            footer = _with_page_numbers(_empty_footer())
            default = _reference(sect, "footerReference", "default", new_part("footer", footer))
        if "first" not in footers:
            _reference(sect, "footerReference", "first", new_part("footer", footer), after=default)
        first = _reference(sect, "headerReference", "first", new_part("header",
                                                                      first_page_header()))
        _reference(sect, "headerReference", "default",
                   new_part("header", continuation_header(title)), before=first)
        title_page = etree.Element(f"{W}titlePg")
        # titlePg comes after the page size, margins and columns in a sectPr's sequence.
        anchor = next((sect.find(f"{W}{tag}") for tag in ("docGrid", "textDirection", "bidi",
                       "rtlGutter", "printerSettings") if sect.find(f"{W}{tag}") is not None),
                      None)
        if anchor is not None:
            anchor.addprevious(title_page)
        else:
            sect.append(title_page)
    out["word/document.xml"] = etree.tostring(document, xml_declaration=True,
                                              encoding="UTF-8", standalone=True)
    out["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True,
                                                         encoding="UTF-8", standalone=True)
    out["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    return out


def _reference(sect: etree._Element, tag: str, kind: str, rel_id: str, *,
               before: etree._Element | None = None,
               after: etree._Element | None = None) -> etree._Element:
    """Add a header or footer reference to a sectPr; references come first, headers first."""
    ref = etree.Element(f"{W}{tag}")
    ref.set(f"{W}type", kind)
    ref.set(f"{{{R_NS}}}id", rel_id)
    if before is not None:
        before.addprevious(ref)
    elif after is not None:
        after.addnext(ref)
    elif tag == "headerReference":
        sect.insert(0, ref)
    else:
        existing = sect.findall(f"{W}headerReference") + sect.findall(f"{W}footerReference")
        if existing:
            existing[-1].addnext(ref)
        else:
            sect.insert(0, ref)
    return ref
