"""JUnit XML for CI test reports: a test suite per file, a test case per finding.

Findings at or above the fail level are failures; those below pass with their message in
``system-out``; suppressed findings are skipped with their reason. A file with no
findings has one passing case, so every file shows up.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from docgen.lint.findings import LintReport
from docgen.lint.reporters import ReportContext


def render(report: LintReport, context: ReportContext) -> str:
    """A ``<testsuites>`` document."""
    root = ET.Element("testsuites", name="docgen lint")
    total = failed = skipped = 0
    for file in report.files:
        suite = ET.SubElement(root, "testsuite", name=file.path)
        cases = failures = skips = 0
        for f in file.findings:
            case = ET.SubElement(suite, "testcase", classname=file.path,
                                 name=f"{f.rule} at {f.line}:{f.column}")
            text = f"{file.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}"
            if f.match:
                text += f"\nmatched: {f.match}"
            if f.suggestions:
                text += f"\nsuggestion: {' / '.join(f.suggestions)}"
            if f.category is not None:
                text += f"\ntone model: reads as {f.category} (score {f.score:.2f})"
            if f.severity >= context.fail_on:
                failure = ET.SubElement(case, "failure", message=f.message,
                                        type=str(f.severity))
                failure.text = text
                failures += 1
            else:
                ET.SubElement(case, "system-out").text = text
            cases += 1
        for item in file.suppressed:
            case = ET.SubElement(suite, "testcase", classname=file.path,
                                 name=f"{item.rule} at {item.line} (suppressed)")
            ET.SubElement(case, "skipped", message=item.reason)
            cases += 1
            skips += 1
        if cases == 0:
            ET.SubElement(suite, "testcase", classname=file.path, name="docgen lint")
            cases = 1
        if file.notices:
            ET.SubElement(suite, "system-out").text = "\n".join(file.notices)
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skips))
        total, failed, skipped = total + cases, failed + failures, skipped + skips
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
