"""SARIF 2.1.0 for code-scanning tools.

For .docx and .pdf files a region's line is a paragraph number, as in every format.
Suppressed findings are results with an ``inSource`` suppression and the reason given.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath

from docgen.lint.findings import LintReport, Severity
from docgen.lint.reporters import ReportContext

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "note"}


def _uri(path: str) -> str:
    if path.startswith("<") and path.endswith(">"):
        return path.strip("<>")  # <stdin>
    return PurePath(path).as_posix()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("docgen")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


def _rule_help(rule_id: str) -> dict[str, object]:
    """A rule's full description and the style guide section it enforces, as SARIF's
    ``fullDescription``, ``help`` and ``helpUri`` (the guide shipped with docgen)."""
    from docgen.lint.rules import load_rules, rules_dir

    rule = next((r for r in load_rules() if r.id == rule_id), None)
    if rule is not None:
        section = rule.section
        about = rule.description or rule.message.replace("{match}", "…").replace(
            "{suggestion}", "…")
    elif rule_id.startswith("Grammar."):
        section = "9. British spelling and good grammar"
        about = f"LanguageTool's rule {rule_id.removeprefix('Grammar.')}."
    else:
        return {}
    guide = rules_dir() / "GUIDE.md"
    heading = _heading(guide, section)
    return {
        "fullDescription": {"text": " ".join(about.split())},
        "help": {"text": f"See section {heading} of the docgen style guide."},
        "helpUri": f"{guide.resolve().as_uri()}#{_anchor(heading)}",
    }


def _heading(guide: Path, section: str) -> str:
    """The guide's full heading for a section cited by its number, such as '3. …'."""
    number = section.split(".", 1)[0] + "."
    try:
        lines = guide.read_text(encoding="utf-8").splitlines()
    except OSError:
        return section
    return next((line[3:].strip() for line in lines
                 if line.startswith("## ") and line[3:].startswith(number)), section)


def _anchor(heading: str) -> str:
    """A heading's anchor as GitHub and most Markdown viewers make it."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def render(report: LintReport, context: ReportContext) -> str:
    """One run, its rules (those that fired) and its results."""
    rules: dict[str, dict[str, object]] = {}
    results: list[dict[str, object]] = []
    notifications: list[dict[str, object]] = []

    def rule_index(rule: str, severity: Severity | None) -> int:
        if rule not in rules:
            entry: dict[str, object] = {"id": rule, "shortDescription": {"text": rule},
                                        **_rule_help(rule)}
            if severity is not None:
                entry["defaultConfiguration"] = {"level": _LEVELS[severity]}
            rules[rule] = entry
        return list(rules).index(rule)

    for file in report.files:
        artifact = {"uri": _uri(file.path)}
        for f in file.findings:
            region: dict[str, object] = {
                "startLine": f.line, "startColumn": f.column,
                "endLine": f.end_line, "endColumn": f.end_column,
            }
            if f.match:
                region["snippet"] = {"text": f.match}
            result: dict[str, object] = {
                "ruleId": f.rule,
                "ruleIndex": rule_index(f.rule, f.severity),
                "level": _LEVELS[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": artifact,
                                                    "region": region}}],
            }
            properties: dict[str, object] = {}
            if f.suggestions:
                properties["suggestions"] = list(f.suggestions)
            if f.category is not None:
                properties |= {"category": f.category, "score": f.score}
            if properties:
                result["properties"] = properties
            results.append(result)
        for item in file.suppressed:
            results.append({
                "ruleId": item.rule,
                "ruleIndex": rule_index(item.rule, None),
                "message": {"text": f"Suppressed: {item.reason}"},
                "locations": [{"physicalLocation": {"artifactLocation": artifact,
                                                    "region": {"startLine": item.line}}}],
                "suppressions": [{"kind": "inSource", "justification": item.reason}],
            })
        for notice in file.notices:
            notifications.append({
                "level": "note",
                "message": {"text": notice},
                "locations": [{"physicalLocation": {"artifactLocation": artifact}}],
            })
    run: dict[str, object] = {
        "tool": {"driver": {"name": "docgen lint", "version": _version(),
                            "rules": list(rules.values())}},
        "invocations": [{"executionSuccessful": True,
                         "toolExecutionNotifications": notifications}],
        "results": results,
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
