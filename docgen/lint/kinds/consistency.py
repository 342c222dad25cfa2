"""The consistency kind: rules that read a document's data and its text together.

A courteous letter can still contradict its own data: a report card whose safeguarding
is "not met" saying that staff "report concerns promptly", a notice whose decision date
comes before its action deadlines. These rules see the validated data the document was
rendered from (``TextDocument.data``: ``docgen lint`` on a data file, and the gate) and
do nothing for a document read without it.

A rule names data by dotted paths (``judgements.safeguarding``); ``*`` stands for every
field or item at that level (``judgements.*``), so one rule covers each evaluation
area. With ``each``, the paths in ``when`` and the check are relative to each item; an
operand such as ``not_after: {field: return_visit_deadline}`` is always read from the
document's root. Conditions in ``when`` choose the data the rule applies to; exactly one
check says what must then be true:

- ``forbid``: none of these patterns may appear in the text;
- ``require``: one of them must (``${path}`` inserts a value from the data, escaped);
- ``field_mentions``: a text field of the data must match one of the patterns;
- ``quoted_from``: each item of a list field appears word for word in a source text;
- ``expect``: conditions on the data (dates, counts) that must hold; ``at`` names the
  field whose sentence the finding points at, if not the tested one.

Messages may use ``{field}``, ``{value}`` and ``{sentence}`` beside ``{match}``, so a
finding names the field, its value and the sentence it contradicts; ``${path}`` shows
any other value from the data.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from docgen.lint.document import Paragraph
from docgen.lint.findings import Finding
from docgen.lint.kinds.base import Context, Examples, RuleBase, compile_pattern, plain


class _Missing:
    def __repr__(self) -> str:
        return "missing"


MISSING: Any = _Missing()
_VALUE = re.compile(r"\$\{([A-Za-z0-9_.\[\]]+)\}")
_SPACES = re.compile(r"\s+")


class FieldRef(BaseModel):
    """Another field's value, as the operand of a comparison."""

    model_config = ConfigDict(extra="forbid")

    field: str


Operand = FieldRef | dt.date | int | float | str

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "before": operator.lt, "not_before": operator.ge,
    "after": operator.gt, "not_after": operator.le,
    "greater_than": operator.gt, "at_most": operator.le,
}


class Condition(BaseModel):
    """One test of one field: its value, whether it is present, or how it compares."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    field: str
    equals: Any = MISSING
    in_: list[Any] | None = Field(default=None, alias="in")
    not_in: list[Any] | None = None
    present: bool | None = None
    before: Operand | None = None
    not_before: Operand | None = None
    after: Operand | None = None
    not_after: Operand | None = None
    greater_than: Operand | None = None
    at_most: Operand | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [name for name in ("in_", "not_in", "present", *_COMPARISONS)
                 if getattr(self, name) is not None]
        if self.equals is not MISSING:
            tests.append("equals")
        if len(tests) != 1:
            raise ValueError(f"condition on '{self.field}' needs exactly one test (equals, in, "
                             f"not_in, present, {', '.join(_COMPARISONS)}); got {len(tests)}")
        return self

    def holds(self, value: Any, root: Any) -> bool:
        if self.present is not None:
            return _is_present(value) == self.present
        if value is MISSING:
            return False
        if self.equals is not MISSING:
            return bool(value == self.equals)
        if self.in_ is not None:
            return value in self.in_
        if self.not_in is not None:
            return value not in self.not_in
        for name, compare in _COMPARISONS.items():
            operand = getattr(self, name)
            if operand is not None:
                other = (_first(resolve(root, operand.field))
                         if isinstance(operand, FieldRef) else operand)
                if other is MISSING or other is None or value is None:
                    return False
                return bool(compare(_comparable(value), _comparable(other)))
        return False  # unreachable: _one_test guarantees a test


class FieldMentions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str
    any_of: list[str] = Field(min_length=1)


class QuotedFrom(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str  # a list of quotations, or one
    source: str  # the text they are quoted from; the rule is skipped when it is absent


class Case(BaseModel):
    """One example with its own data, merged over the examples' shared ``data``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def __hash__(self) -> int:  # examples are dictionary keys in the rules' test
        return hash(self.text)

    text: str
    data: dict[str, Any] = Field(default_factory=dict)


class ConsistencyExamples(Examples):
    """Examples need data as well as text: ``data`` is shared, a case may add to it."""

    flag: list[str | Case] = Field(min_length=1)  # type: ignore[assignment]
    pass_: list[str | Case] = Field(alias="pass", min_length=1)  # type: ignore[assignment]
    data: dict[str, Any] = Field(default_factory=dict)

    def case(self, example: str | Case) -> tuple[str, dict[str, Any]]:
        """The example's text and the data it is linted with."""
        if isinstance(example, str):
            return example, self.data
        return example.text, _merge(self.data, example.data)


class Consistency(RuleBase):
    """Flag text that contradicts the data it was rendered from (see the module notes)."""

    extends: Literal["consistency"]
    document_types: list[str] = Field(default_factory=list)  # empty: any type with data
    each: str | None = None
    when: list[Condition] = Field(default_factory=list)
    forbid: list[str] = Field(default_factory=list)
    require: list[str] = Field(default_factory=list)
    field_mentions: FieldMentions | None = None
    quoted_from: QuotedFrom | None = None
    expect: list[Condition] = Field(default_factory=list)
    at: str | None = None  # for expect: the field whose sentence the finding points at
    near: list[str] = Field(default_factory=list)  # prefer a sentence that matches one
    examples: ConsistencyExamples  # type: ignore[assignment]

    @model_validator(mode="after")
    def _one_check(self) -> Consistency:
        checks = [name for name in ("forbid", "require", "field_mentions", "quoted_from",
                                    "expect") if getattr(self, name)]
        if len(checks) != 1:
            raise ValueError("a consistency rule needs exactly one of forbid, require, "
                             f"field_mentions, quoted_from and expect; got {checks or 'none'}")
        return self

    def bind(self, rule_id: str) -> None:
        super().bind(rule_id)
        self._forbid = [re.compile(compile_pattern(p), re.IGNORECASE) for p in self.forbid]
        if self.field_mentions is not None:
            self._mentions = re.compile("|".join(
                f"(?:{compile_pattern(p)})" for p in self.field_mentions.any_of), re.IGNORECASE)
        for source in self.require:
            compile_pattern(_VALUE.sub("x", source))  # fail at load time, not on a letter
        self._near = (re.compile("|".join(f"(?:{compile_pattern(p)})" for p in self.near),
                                 re.IGNORECASE) if self.near else None)

    def check(self, context: Context) -> Iterator[Finding]:
        root = context.document.data
        if root is None:
            return
        if self.document_types and context.document_type not in self.document_types:
            return
        items = resolve(root, self.each) if self.each else [("", root)]
        for prefix, item in items:
            if item is MISSING or item is None:
                continue
            facts = [(_join(prefix, c.field), _first(resolve(item, c.field))) for c in self.when]
            if not all(c.holds(value, root) for c, (_, value) in zip(self.when, facts,
                                                                       strict=True)):
                continue
            # Data values go into the message before the field, value and sentence, so
            # text from the document is never read as a ``${path}``.
            message = _VALUE.sub(lambda m: _shown(_first(resolve(root, m.group(1)))),
                                 self.message)
            yield from self._check_item(context, root, prefix, item, facts, message)

    def _check_item(self, context: Context, root: Any, prefix: str, item: Any,
                    facts: list[tuple[str, Any]], message: str) -> Iterator[Finding]:
        field, value = facts[0] if facts else ("", MISSING)
        found = partial(self._found, message)
        at_value = partial(self._at_value, context, message)
        if self.forbid:
            for index, paragraph in enumerate(context.paragraphs):
                if paragraph.kind not in self.scope:
                    continue
                text = context.plain_text(index)
                for pattern in self._forbid:
                    for match in pattern.finditer(text):
                        sentence = context.sentence_at(index, match.start())
                        yield found(paragraph, match.start(), match.end(), field, value,
                                          text[sentence.start:sentence.end])
        elif self.require:
            sources = [_VALUE.sub(lambda m: _literal(_first(resolve(root, m.group(1)))), s)
                       for s in self.require]
            pattern = re.compile("|".join(f"(?:{compile_pattern(s)})" for s in sources),
                                 re.IGNORECASE)
            whole = "\n\n".join(context.plain_text(i) for i in range(len(context.paragraphs)))
            if not pattern.search(whole):
                first = context.paragraphs[0] if context.paragraphs else Paragraph("", 1)
                yield found(first, 0, 0, field, value, "")
        elif self.field_mentions is not None:
            path = _join(prefix, self.field_mentions.field)
            text = _first(resolve(item, self.field_mentions.field))
            if isinstance(text, str) and not self._mentions.search(plain(text)):
                yield at_value(text, path, text)
        elif self.quoted_from is not None:
            source = _first(resolve(root, self.quoted_from.source))
            if not isinstance(source, str):
                return  # no linked text: nothing to compare with
            haystack = _normal(source)
            for path, quote in _each_text(item, self.quoted_from.field, prefix):
                if _normal(quote) not in haystack:
                    yield at_value(quote, path, quote)
        else:
            for condition in self.expect:
                path = _join(prefix, condition.field)
                actual = _first(resolve(item, condition.field))
                if not condition.holds(actual, root):
                    shown = _first(resolve(item, self.at)) if self.at else actual
                    yield at_value(shown, path, actual)

    def _at_value(self, context: Context, message: str, needle: Any, field: str,
                  value: Any) -> Finding:
        """A finding at the sentence that shows ``needle`` (one that matches ``near``, if
        any does), else at the document's start."""
        places = []
        for index, start, end in _locate(context, needle):
            span = context.sentence_at(index, start)
            sentence = context.plain_text(index)[span.start:span.end]
            places.append((index, start, end, sentence))
        if self._near is not None:
            places.sort(key=lambda place: not self._near.search(place[3]))
        for index, start, end, sentence in places:
            return self._found(message, context.paragraphs[index], start, end, field, value,
                               sentence)
        first = context.paragraphs[0] if context.paragraphs else Paragraph("", 1)
        return self._found(message, first, 0, 0, field, value, "")

    def _found(self, message: str, paragraph: Paragraph, start: int, end: int, field: str,
               value: Any, sentence: str) -> Finding:
        text = (message.replace("{field}", field).replace("{value}", _shown(value))
                .replace("{sentence}", sentence.strip()))
        return self.finding(paragraph, start, end, message=text)


def resolve(root: Any, path: str | None) -> list[tuple[str, Any]]:
    """Every (dotted path, value) that ``path`` names under ``root``; ``*`` fans out."""
    found: list[tuple[str, Any]] = [("", root)]
    for part in (path or "").split("."):
        if not part:
            continue
        step: list[tuple[str, Any]] = []
        for where, value in found:
            if part == "*":
                step += [(_join(where, name), child) for name, child in _children(value)]
            else:
                step.append((_join(where, part), _child(value, part)))
        found = step
    return found


def _children(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, Mapping):
        return [(str(k), v) for k, v in value.items() if v is not None]
    if isinstance(value, BaseModel):
        return [(name, getattr(value, name)) for name in type(value).model_fields
                if getattr(value, name) is not None]
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [(f"[{i}]", v) for i, v in enumerate(value)]
    return []


def _child(value: Any, name: str) -> Any:
    if value is MISSING or value is None:
        return MISSING
    if isinstance(value, Mapping):
        return value.get(name, MISSING)
    if name.isdigit() and isinstance(value, Sequence) and not isinstance(value, str):
        index = int(name)
        return value[index] if index < len(value) else MISSING
    try:
        return getattr(value, name)
    except AttributeError:
        return MISSING


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


def _first(found: list[tuple[str, Any]]) -> Any:
    return found[0][1] if found else MISSING


def _is_present(value: Any) -> bool:
    return value is not MISSING and value is not None and value != "" and value != []


def _comparable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _shown(value: Any) -> str:
    if value is MISSING or value is None:
        return "not given"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _literal(value: Any) -> str:
    """A data value as a pattern that matches it exactly (spaces stay spaces, which the
    pattern compiler turns into any run of white space)."""
    return re.escape(_shown(value)).replace("\\ ", " ")


def _each_text(item: Any, path: str, prefix: str) -> Iterator[tuple[str, str]]:
    value = _first(resolve(item, path))
    base = _join(prefix, path)
    if isinstance(value, str):
        yield base, value
    elif isinstance(value, Sequence):
        for number, text in enumerate(value):
            if isinstance(text, str):
                yield f"{base}[{number}]", text


def _normal(text: str) -> str:
    """Text compared word for word: quotes straightened, white space collapsed."""
    return _SPACES.sub(" ", plain(text)).strip()


def _locate(context: Context, needle: Any) -> Iterator[tuple[int, int, int]]:
    """Every place the document shows ``needle``: a date in its fullest printed form that
    appears, or the opening of a text."""
    if isinstance(needle, dt.datetime):
        needle = needle.date()
    if isinstance(needle, dt.date):
        shown = f"{needle.day} {needle:%B}"
        forms = [f"{shown} {needle.year}", shown]
    elif isinstance(needle, str) and needle.strip():
        first = _normal(needle)
        forms = [first[:80]]
    else:
        forms = []
    for form in forms:
        pattern = re.compile(r"\s+".join(re.escape(w) for w in form.split()), re.IGNORECASE)
        found = False
        for index in range(len(context.paragraphs)):
            for match in pattern.finditer(context.plain_text(index)):
                found = True
                yield index, match.start(), match.end()
        if found:
            return


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged
