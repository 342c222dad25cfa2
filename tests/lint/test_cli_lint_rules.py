"""A small, fixed rule set for the CLI, reporter, suppression and --fix tests.

These tests pin the linter's inputs and outputs, not the shipped rules (which grow), so
they run the real engine over rule files written here. The cross-format test in
test_readers_formats.py uses the shipped rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

RULES = {
    "Tone/Threat.yml": """\
extends: existence
message: "This reads as a threat; say what will happen and what support is offered."
level: error
section: "3. Never threaten"
tokens:
  - "failure to \\\\w+ will result in"
examples:
  flag: ["Failure to act will result in closure."]
  pass: ["We will support you."]
""",
    "Tone/Shouting.yml": """\
extends: existence
message: "An exclamation mark can read as shouting; use a full stop."
level: warning
section: "5. No sarcasm, absolutes or stock phrases"
boundaries: false
tokens: ["!+"]
examples:
  flag: ["Act now!"]
  pass: ["Act now."]
""",
    "Plain/Words.yml": """\
extends: substitution
message: "Use plain words."
level: suggestion
section: "6. Plain words"
swap:
  commence: start
  prior to: before
examples:
  flag: ["We will commence on Monday."]
  pass: ["We will start on Monday."]
""",
}


def write_rules(folder: Path) -> Path:
    """Write the fixed rule set under ``folder`` and return it."""
    for name, text in RULES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def fixed_rules(tmp_path_factory: pytest.TempPathFactory,
                monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = write_rules(tmp_path_factory.mktemp("rules"))
    monkeypatch.setenv("DOCGEN_STYLE_RULES", str(folder))
    monkeypatch.delenv("DOCGEN_LANGUAGETOOL_URL", raising=False)
    return folder


def test_the_fixed_rules_load(fixed_rules: Path) -> None:
    from docgen.lint.rules import load_rules

    ids = {rule.id for rule in load_rules()}
    assert ids == {"Tone.Threat", "Tone.Shouting", "Plain.Words"}
