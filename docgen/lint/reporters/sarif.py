"""SARIF 2.1.0 for code-scanning tools.

For .docx and .pdf files a region's line is a paragraph number, as in every format.
Suppressed findings are results with an ``inSource`` suppression and the reason given.
"""

from __future__ import annotations

import json
from pathlib import PurePath

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


def render(report: LintReport, context: ReportContext) -> str:
    """One run, its rules (those that fired) and its results."""
    rules: dict[str, dict[str, object]] = {}
    results: list[dict[str, object]] = []
    notifications: list[dict[str, object]] = []

    def rule_index(rule: str, severity: Severity | None) -> int:
        if rule not in rules:
            entry: dict[str, object] = {"id": rule, "shortDescription": {"text": rule}}
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
