"""Check a Word template for the faults docxtpl templates classically have.

Five checks, each finding naming the part (body, header, footer), the paragraph and the fix:

- a tag split across Word runs (Word splits a run wherever formatting, spell-check or
  revision marks change, and a tag typed in two goes is often split);
- block tags that do not balance (an ``{%p if %}`` never closed, an ``{% endfor %}``
  that closes nothing);
- variables the template's model does not have, and model fields the template never
  prints (the model's schema fields and its computed properties are what a template
  may use; see ``docgen.render.context_for``);
- harsh or unclear wording in the template's fixed text, from the tone linter, with each
  placeholder read as a neutral word;
- fixed text in a quotation style, which the tone checks leave out of every document made
  from the template (a quotation is for a field that carries someone else's words).

A paragraph number counts every paragraph of the part from 1, table cells included, in
the order Word stores them; the excerpt beside it finds the place.
"""

from __future__ import annotations

import ast
import inspect
import io
import re
import textwrap
import types
import typing
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from lxml import etree

from docgen.errors import TemplateError
from docgen.lint.findings import Severity
from docgen.models import Model
from docgen.render.environment import environment
from docgen.templates import Template

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_OPENER = re.compile(r"\{\{|\{%|\{#")
_BLOCK = re.compile(r"^\{%-?\s*(?:(?:p|r|tr|tc)\s+)?(\w+)(.*?)-?%\}$", re.S)
_DOCXTPL_PREFIX = re.compile(r"^(\{\{|\{%)(?:p|r|tr|tc)\s")
_OPENS = {"if": "endif", "for": "endfor", "with": "endwith", "macro": "endmacro",
          "call": "endcall", "filter": "endfilter", "block": "endblock"}
_MIDDLES = {"elif": ("if",), "else": ("if", "for")}
#: Names every template may use besides its model's: see ``docgen.render.context_for``.
CONTEXT_NAMES = ("issue_reference", "is_draft")
_UNKNOWN = object()  # a type the checker does not look inside


@dataclass(frozen=True)
class TemplateFinding:
    """One fault at one paragraph of one part of a template."""

    template: str
    part: str
    paragraph: int
    severity: Severity
    check: str
    message: str
    fix: str
    excerpt: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"template": self.template, "part": self.part, "paragraph": self.paragraph,
                "severity": str(self.severity), "check": self.check,
                "message": self.message, "fix": self.fix, "excerpt": self.excerpt}

    def __str__(self) -> str:
        where = f"{self.template}: {self.part} paragraph {self.paragraph}"
        shown = f" [{self.excerpt}]" if self.excerpt else ""
        return f"{where}: {self.severity} {self.check}: {self.message}{shown}\n  fix: {self.fix}"


@dataclass
class CheckReport:
    """Every finding for one template."""

    template: str
    template_id: str
    findings: list[TemplateFinding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"template": self.template_id, "path": self.template,
                "findings": [f.to_dict() for f in self.findings]}

    @property
    def errors(self) -> list[TemplateFinding]:
        return [f for f in self.findings if f.severity >= Severity.ERROR]


@dataclass(frozen=True)
class _Paragraph:
    part: str
    number: int
    text: str
    runs: tuple[int, ...]  # the run index of each character of ``text``
    element: Any = field(repr=False, compare=False)


@dataclass(frozen=True)
class _Tag:
    text: str
    paragraph: _Paragraph


#: How a check reports a finding: paragraph, severity, check name, message, fix.
Add = Callable[[_Paragraph, Severity, str, str, str], None]


# --- Reading the Word file --------------------------------------------------------------

def _part_label(name: str) -> str:
    stem = name.removeprefix("word/").removesuffix(".xml")
    if stem == "document":
        return "body"
    return re.sub(r"^(header|footer|footnotes)(\d*)$", lambda m: f"{m[1]} {m[2]}".strip(), stem)


def _paragraphs(data: bytes, name: str) -> dict[str, list[_Paragraph]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise TemplateError(f"is not a readable Word file ({exc})", path=name) from None
    parts: dict[str, list[_Paragraph]] = {}
    with archive:
        names = sorted(n for n in archive.namelist() if _PART.match(n))
        names.sort(key=lambda n: n != "word/document.xml")
        for part in names:
            try:
                root = etree.fromstring(archive.read(part))
            except etree.XMLSyntaxError as exc:
                raise TemplateError(f"has a damaged part {part} ({exc.msg}); open and save it "
                                    "again in Word or LibreOffice", path=name) from None
            label = _part_label(part)
            found = []
            for number, p in enumerate(root.iter(f"{W}p"), start=1):
                text, runs = [], []
                for index, run in enumerate(p.iter(f"{W}r")):
                    for node in run.iter(f"{W}t"):
                        chunk = node.text or ""
                        text.append(chunk)
                        runs += [index] * len(chunk)
                found.append(_Paragraph(label, number, "".join(text), tuple(runs), p))
            parts[label] = found
    return parts


def _excerpt(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- The checks -------------------------------------------------------------------------

def check_template(template: Template) -> CheckReport:
    """Check one template's Word file against its model; findings in part and paragraph order."""
    label = _shown(template.docx_path)
    report = CheckReport(label, template.id)
    parts = _paragraphs(template.docx_path.read_bytes(), label)

    def add(paragraph: _Paragraph, severity: Severity, check: str, message: str,
            fix: str) -> None:
        report.findings.append(TemplateFinding(label, paragraph.part, paragraph.number,
                                               severity, check, message, fix,
                                               _excerpt(paragraph.text)))

    tags_by_part: dict[str, list[_Tag]] = {}
    for part, paragraphs in parts.items():
        tags: list[_Tag] = []
        for paragraph in paragraphs:
            tags += _split_tags(paragraph, add)
        # Variables are checked in what is left once the unbalanced block tags are out.
        unbalanced = _check_blocks(tags, add)
        tags_by_part[part] = [t for t in tags if id(t) not in unbalanced]
    _check_variables(template, tags_by_part, add)
    _check_fixed_text(template, parts.get("body", []), add)
    for paragraphs in parts.values():
        _check_quotations(paragraphs, add)
    order = {part: index for index, part in enumerate(parts)}
    report.findings.sort(key=lambda f: (order.get(f.part, 99), f.paragraph))
    return report


def _split_tags(paragraph: _Paragraph, add: Add) -> list[_Tag]:
    """The paragraph's tags; report each that spans runs, and any left open."""
    tags = []
    text = paragraph.text
    end = 0
    for match in _TAG.finditer(text):
        end = match.end()
        tag = match.group(0)
        runs = sorted(set(paragraph.runs[match.start():match.end()]))
        if len(runs) > 1:
            add(paragraph, Severity.ERROR, "split-tag",
                f"the tag '{tag}' is split across {len(runs)} Word runs, so Word may "
                "change part of it without the rest",
                "delete the tag and type it again in one go, with no change of formatting "
                "inside it (or select it and clear the formatting), so it sits in one run")
        if _DOCXTPL_PREFIX.match(tag) and tag.startswith("{%p") and text.strip() != tag:
            add(paragraph, Severity.ERROR, "paragraph-tag",
                f"'{tag}' shares its paragraph with other text, which docxtpl removes with it",
                "put the {%p %} tag in a paragraph of its own")
        tags.append(_Tag(tag, paragraph))
    rest = text[end:]
    if opener := _OPENER.search(rest):
        add(paragraph, Severity.ERROR, "unclosed-tag",
            f"a tag opens with '{opener.group(0)}' but does not close in this paragraph",
            "close the tag in the same paragraph ('}}' or '%}'); a tag cannot run across "
            "paragraphs")
    return tags


def _check_blocks(tags: list[_Tag], add: Add) -> set[int]:
    """Report block tags that do not balance; return the ids of those tags."""
    stack: list[tuple[str, _Tag]] = []
    bad: set[int] = set()
    for tag in tags:
        match = _BLOCK.match(tag.text)
        if not match:
            continue
        word = match.group(1)
        if word == "set" and "=" in match.group(2):
            continue
        if word in _OPENS or word == "set":
            stack.append((word, tag))
        elif word in _MIDDLES:
            if not stack or stack[-1][0] not in _MIDDLES[word]:
                bad.add(id(tag))
                add(tag.paragraph, Severity.ERROR, "unbalanced-block",
                    f"'{tag.text}' is outside any {' or '.join(_MIDDLES[word])} block",
                    f"add the opening '{{% {_MIDDLES[word][0]} … %}}' before it, or remove it")
        elif word.startswith("end"):
            opened = word[3:]
            if not stack:
                bad.add(id(tag))
                add(tag.paragraph, Severity.ERROR, "unbalanced-block",
                    f"'{tag.text}' closes a block that was never opened",
                    f"remove it, or add the '{{% {opened} … %}}' it closes before it")
            elif stack[-1][0] != opened:
                if any(word_open == opened for word_open, _ in stack):
                    while stack[-1][0] != opened:  # the blocks inside were left open
                        word_open, open_tag = stack.pop()
                        bad.add(id(open_tag))
                        add(open_tag.paragraph, Severity.ERROR, "unbalanced-block",
                            f"'{open_tag.text}' is never closed before '{tag.text}' in "
                            f"paragraph {tag.paragraph.number}",
                            f"add '{{%p {_OPENS.get(word_open)} %}}' before paragraph "
                            f"{tag.paragraph.number}")
                    stack.pop()
                else:
                    bad.add(id(tag))
                    add(tag.paragraph, Severity.ERROR, "unbalanced-block",
                        f"'{tag.text}' closes a block that was never opened (the open block "
                        f"is '{stack[-1][1].text}' from paragraph "
                        f"{stack[-1][1].paragraph.number})",
                        f"remove it, or add the '{{% {opened} … %}}' it closes before it")
            else:
                stack.pop()
    for word, tag in stack:
        bad.add(id(tag))
        add(tag.paragraph, Severity.ERROR, "unbalanced-block",
            f"'{tag.text}' is never closed",
            f"add '{{%p {_OPENS.get(word, 'end' + word)} %}}' in a paragraph of its own where "
            "the block should end")
    return bad


def _check_variables(template: Template, tags_by_part: dict[str, list[_Tag]],
                     add: Add) -> None:
    model = template.model
    top = _members(model) or {}
    top.update({name: _UNKNOWN for name in CONTEXT_NAMES})
    env = environment()
    used: set[str] = set()
    for tags in tags_by_part.values():
        if not tags:
            continue
        source = "\n".join(_DOCXTPL_PREFIX.sub(r"\1 ", t.text) for t in tags)
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            tag = tags[min(max(exc.lineno - 1, 0), len(tags) - 1)]
            add(tag.paragraph, Severity.ERROR, "syntax",
                f"Jinja cannot read '{tag.text}' ({exc.message})",
                "correct the tag; see the README's Templates section for the forms docgen "
                "supports")
            continue
        walker = _Walker(top, env, model.__name__)
        walker.visit(tree, {})
        used |= walker.used
        for lineno, path, missing, close in walker.unknown:
            tag = tags[lineno - 1]
            hint = f" Did you mean '{close}'?" if close else ""
            add(tag.paragraph, Severity.ERROR, "unknown-variable",
                f"'{path}' is not in the data for {model.__name__}: it has no '{missing}'."
                f"{hint}",
                f"correct the placeholder, or add the field to the model (see "
                f"'docgen schema {template.id}')")
    read = _fields_read(model, used) | set(getattr(model, "fields_outside_template", ()))
    body = tags_by_part.get("body", [])
    anchor = body[0].paragraph if body else None
    for name in model.model_fields:
        if name in read or anchor is None:
            continue
        add(anchor, Severity.WARNING, "unused-variable",
            f"the field '{name}' of {model.__name__} is never printed by this template",
            f"print it where the document needs it ({{{{ {name} }}}}), or remove the field "
            "from the model if no template needs it")


class _Walker:
    """Walk a Jinja tree, resolving each name and attribute chain against the model."""

    def __init__(self, top: dict[str, Any], env: jinja2.Environment, model_name: str) -> None:
        self.top = top
        self.globals = set(env.globals)
        self.model_name = model_name
        self.used: set[str] = set()
        self.unknown: list[tuple[int, str, str, str | None]] = []

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            inner = dict(scope)
            element = _element(self.resolve(node.iter, scope))
            for name in _target_names(node.target):
                inner[name] = element if isinstance(node.target, nodes.Name) else _UNKNOWN
            inner["loop"] = _UNKNOWN
            for child in node.body:
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            for name in _target_names(node.target):
                scope[name] = _UNKNOWN
        if isinstance(node, nodes.Name | nodes.Getattr):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def resolve(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        """The type an expression has, reporting the first unknown name on the way."""
        if isinstance(node, nodes.Name):
            if node.ctx != "load":
                return _UNKNOWN
            if node.name in scope:
                return scope[node.name]
            if node.name in self.top:
                self.used.add(node.name)
                return self.top[node.name]
            if node.name in self.globals:
                return _UNKNOWN
            self._unknown(node.lineno, node.name, node.name, self.top)
            return _UNKNOWN
        if isinstance(node, nodes.Getattr):
            base = self.resolve(node.node, scope)
            if base is _UNKNOWN:
                return _UNKNOWN
            members = _members(base)
            if members is None:
                return _UNKNOWN
            if node.attr in members:
                return members[node.attr]
            self._unknown(node.lineno, _dotted(node), node.attr, members)
            return _UNKNOWN
        self.visit(node, scope)
        return _UNKNOWN

    def _unknown(self, lineno: int, path: str, missing: str, known: dict[str, Any]) -> None:
        import difflib

        close = difflib.get_close_matches(missing, list(known), n=1)
        self.unknown.append((lineno, path, missing, close[0] if close else None))


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Name):
        return node.name
    return "…"


def _target_names(target: nodes.Node) -> Iterator[str]:
    if isinstance(target, nodes.Name):
        yield target.name
    elif isinstance(target, nodes.Tuple):
        for item in target.items:
            yield from _target_names(item)


# --- Types: what a name holds -------------------------------------------------------------

def _alternatives(tp: Any) -> list[Any]:
    """The types a value may have: Annotated and Optional unwrapped, unions split."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _alternatives(typing.get_args(tp)[0])
    if origin is typing.Union or isinstance(tp, types.UnionType):
        return [alt for arg in typing.get_args(tp) if arg is not type(None)
                for alt in _alternatives(arg)]
    return [tp]


def _members(tp: Any) -> dict[str, Any] | None:
    """Attribute names and types of a model (or a union of models); None for other types."""
    alternatives = _alternatives(tp)
    if not alternatives or not all(isinstance(a, type) and issubclass(a, Model)
                                   for a in alternatives):
        return None
    merged: dict[str, Any] = {}
    for model in alternatives:
        merged.update(_model_members(model))
    return merged


@cache
def _model_members(model: type[Model]) -> dict[str, Any]:
    members: dict[str, Any] = {name: info.annotation for name, info in model.model_fields.items()}
    for klass in reversed(model.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, property) and not name.startswith("_"):
                try:
                    members[name] = typing.get_type_hints(value.fget).get("return", _UNKNOWN)
                except Exception:  # noqa: BLE001 - an unresolvable hint is just not checked
                    members[name] = _UNKNOWN
    return members


def _element(tp: Any) -> Any:
    """The type of one item when a template loops over a value of type ``tp``."""
    if tp is _UNKNOWN:
        return _UNKNOWN
    for alt in _alternatives(tp):
        origin = typing.get_origin(alt)
        args = typing.get_args(alt)
        if origin in (list, tuple, set, frozenset) and args and (
            origin is not tuple or (len(args) == 2 and args[1] is Ellipsis)
        ):
            return args[0]
    return _UNKNOWN


def _fields_read(model: type[Model], used: set[str]) -> set[str]:
    """The model's fields a template reads: directly, or through the properties it prints."""
    read = set(used)
    pending = [name for name in used if isinstance(_find_property(model, name), property)]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for attr in _self_attributes(_find_property(model, name)):
            read.add(attr)
            if isinstance(_find_property(model, attr), property):
                pending.append(attr)
    return read


def _find_property(model: type[Model], name: str) -> Any:
    for klass in model.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    return None


@cache
def _self_attributes(prop: property) -> frozenset[str]:
    """Names a property reads from ``self``, from its source code."""
    try:
        if prop.fget is None:
            return frozenset()
        source = textwrap.dedent(inspect.getsource(prop.fget))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return frozenset()
    return frozenset(
        node.attr for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


# --- The fixed text -----------------------------------------------------------------------

def neutral_text(paragraph_text: str) -> str:
    """A paragraph's text as the linter should read it: tags out, placeholders neutral.

    Only the first branch of an ``{% if %}`` inside the paragraph is kept, so the linter
    reads one sentence that a letter could print, not every alternative run together.
    """
    out: list[str] = []
    depth = 0  # if blocks open inside this paragraph
    skip_from: int | None = None  # the depth at which a later branch is being skipped
    position = 0
    for match in _TAG.finditer(paragraph_text):
        if skip_from is None:
            out.append(paragraph_text[position:match.start()])
        position = match.end()
        tag = match.group(0)
        block = _BLOCK.match(tag)
        word = block.group(1) if block else None
        if word == "if":
            depth += 1
        elif word in ("elif", "else") and depth and skip_from is None:
            skip_from = depth
        elif word == "endif" and depth:
            if skip_from == depth:
                skip_from = None
            depth -= 1
        elif tag.startswith("{{") and skip_from is None:
            out.append(_placeholder(tag))
    if skip_from is None:
        out.append(paragraph_text[position:])
    return re.sub(r"\s{2,}", " ", "".join(out)).strip()


def _placeholder(tag: str) -> str:
    if "uk_date" in tag or "working_days_after" in tag:
        return "Monday 4 January 2027"
    if "uk_time" in tag:
        return "10am"
    if "plural" in tag:
        return "2 working days"
    if "phone" in tag:
        return "0300 123 1231"
    if "email" in tag:
        return "enquiries@ofsted.gov.uk"
    return "Sample"


def _check_fixed_text(template: Template, body: list[_Paragraph],
                      add: Add) -> None:
    from docgen.lint import check_document
    from docgen.lint.config import LintConfig
    from docgen.lint.document import BlockKind, Paragraph, TextDocument

    by_number = {p.number: p for p in body}
    paragraphs = []
    for p in body:
        text = neutral_text(p.text)
        if text and text != "Sample":
            kind: BlockKind = "list_item" if _is_list(p.element) else "paragraph"
            paragraphs.append(Paragraph(text, p.number, 1, kind))
    if not paragraphs:
        return
    document = TextDocument(_shown(template.docx_path), paragraphs, template.id,
                            source_format="docx")
    # Required content and document-level readability depend on the data; the fixed text
    # alone is checked for wording.
    config = LintConfig(ignore=("Required", "Readability.ReadingEase", "Readability.Grade",
                                "Grammar"))
    for finding in check_document(document, config).findings:
        paragraph = by_number.get(finding.line)
        if paragraph is None:
            continue
        fix = (f"reword it, for example as '{finding.suggestions[0]}'" if finding.suggestions
               else "reword the passage in the Word file (see style_rules/GUIDE.md)")
        add(paragraph, finding.severity, f"tone:{finding.rule}",
            f"'{finding.match}': {finding.message}", fix)


def _check_quotations(paragraphs: list[_Paragraph], add: Add) -> None:
    """Report fixed text in a quotation style: the linter reads a quotation as someone
    else's words and never judges it, so the template's own words there go unchecked."""
    from docgen.render.text import is_quotation_style

    def styled(element: Any, path: str) -> bool:
        style = element.find(path)
        return style is not None and is_quotation_style(style.get(f"{W}val", ""))

    for paragraph in paragraphs:
        p = paragraph.element
        runs = list(p.iter(f"{W}r"))
        whole = styled(p, f"{W}pPr/{W}pStyle")
        quoted = "".join(paragraph.text[i] for i, run in enumerate(paragraph.runs)
                         if whole or styled(runs[run], f"{W}rPr/{W}rStyle"))
        fixed = " ".join(_TAG.sub(" ", quoted).split())
        if fixed:
            add(paragraph, Severity.WARNING, "quotation",
                f"'{_excerpt(fixed, 50)}' is in a quotation style, so the tone checks "
                "leave it out of every document made from this template",
                "keep the quotation style for the field that carries someone else's "
                "words, and format the template's own words as normal text")


def _is_list(p: Any) -> bool:
    from docgen.render.text import is_list_item

    return is_list_item(p)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def check_targets(target: str | None, catalogue: Any) -> list[CheckReport]:
    """Check every template, one by id, or one by the path of its .docx or manifest."""
    if target is None:
        return [check_template(t) for t in catalogue]
    path = Path(target)
    if path.suffix.lower() in (".docx", ".yaml") or path.exists():
        if not path.is_file():
            raise TemplateError("does not exist; give a template id or a .docx path", path=path)
        from docgen.templates import load_template

        return [check_template(load_template(path))]
    return [check_template(catalogue.get(target))]
