"""docgen example: a complete, valid data file for every template, naming each field."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from docgen.authoring.example import example_yaml
from docgen.cli import main
from docgen.data import load_document, read_data_file
from docgen.errors import TemplateError
from docgen.templates import Catalogue

IDS = [t.id for t in Catalogue()]


def _names(schema: dict, defs: dict, prefix: str = "") -> set[str]:
    """Every property name in the schema, nested ones included."""
    found: set[str] = set()
    for option in [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]:
        while "$ref" in option:
            option = defs[option["$ref"].rsplit("/", 1)[-1]]
        for name, sub in option.get("properties", {}).items():
            found.add(name)
            found |= _names(sub, defs)
        if "items" in option:
            found |= _names(option["items"], defs)
    return found


@pytest.mark.parametrize("template_id", IDS)
def test_example_is_valid_and_names_every_field(template_id: str, tmp_path, catalogue) -> None:
    result = CliRunner().invoke(main, ["example", template_id, "--output",
                                       str(tmp_path / "example.yaml")])
    assert result.exit_code == 0, result.output
    path = tmp_path / "example.yaml"
    loaded = load_document(path, catalogue)  # raises if the data is not valid
    assert loaded.template.id == template_id
    text = path.read_text(encoding="utf-8")
    schema = loaded.template.json_schema()
    commented = {line.strip()[1:].strip().lstrip("- ").split(":", 1)[0]
                 for line in text.splitlines() if line.strip().startswith("#")}
    missing = _names(schema, schema.get("$defs", {})) - commented
    assert not missing, f"fields with no comment: {sorted(missing)}"


def test_optional_fields_the_sample_leaves_out_are_comments(catalogue) -> None:
    result = CliRunner().invoke(main, ["example", "pause_confirmation"])
    assert result.exit_code == 0, result.output
    assert "# expected_resume_date: date YYYY-MM-DD, optional: Give this instead" in result.output
    assert "\nexpected_resume_date:" not in result.output
    assert "# support:\n# - name: Education Support\n" in result.output


def test_pure_schema_example_that_cannot_be_valid_says_why(catalogue) -> None:
    with pytest.raises(TemplateError) as caught:
        example_yaml(catalogue.get("notification_letter"), None)
    assert "add a sample that names this template" in caught.value.message


def test_example_for_unknown_template_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["example", "pause_confirmaton"])
    assert result.exit_code == 2
    assert "Did you mean 'pause_confirmation'?" in result.output


def test_example_keeps_the_sample_values(catalogue, tmp_path) -> None:
    from tests.conftest import SAMPLES

    out = tmp_path / "e.yaml"
    CliRunner().invoke(main, ["example", "pause_confirmation", "--output", str(out)])
    sample = read_data_file(SAMPLES / "pause_confirmation.yaml")
    assert read_data_file(out)["duty_desk_reference"] == sample["duty_desk_reference"]
