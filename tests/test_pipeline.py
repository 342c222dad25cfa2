"""The pipeline every adapter calls, the one lint_text, and the one settings object."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.data import read_data_file
from docgen.errors import ConfigError, DataError, IssueRefused, TextTooLong
from docgen.pipeline import Pipeline
from docgen.settings import Environment, Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
THREAT = "Failure to comply will result in further action."
HARSH = "You have failed to keep pupils safe, and frankly this is totally unacceptable."


# --- one lint_text -------------------------------------------------------------------------

def test_lint_text_honours_a_docgen_ignore_line():
    from docgen.lint import lint_text

    flagged = lint_text(f"Dear Mrs Patel,\n\n{THREAT}\n")
    assert "Tone.Threat" in {f.rule for f in flagged.findings}
    kept = lint_text("Dear Mrs Patel,\n\n<!-- docgen-ignore Tone.Threat: quoted from the "
                     f"funding agreement -->\n{THREAT}\n")
    assert "Tone.Threat" not in {f.rule for f in kept.findings}
    assert [(s.rule, s.reason) for s in kept.suppressed] == [
        ("Tone.Threat", "quoted from the funding agreement")]


def test_the_pipeline_lints_text_as_lint_text_does():
    from docgen.lint import lint_text

    text = f"Dear Mrs Patel,\n\n<!-- docgen-ignore Tone: quoted -->\n{THREAT}\n"
    assert (Pipeline(Settings()).lint_text(text).to_dict()
            == lint_text(text).to_dict())


# --- render, lint and issue a path or a mapping --------------------------------------------

def test_render_a_path_or_a_mapping_gives_the_same_document():
    pipeline = Pipeline(Settings())
    path = SAMPLES / "pause_confirmation.yaml"
    from_path = pipeline.render(path, "text")
    from_mapping = pipeline.render(read_data_file(path), "text")
    assert from_path.template.id == "pause_confirmation"
    assert from_path.content == from_mapping.content
    assert from_path.filename == "pause_confirmation.txt"
    assert from_path.media_type == "text/plain; charset=utf-8"
    assert b"Brookfield Primary School" in from_path.content


def test_a_mapping_without_a_template_names_the_field():
    with pytest.raises(DataError) as caught:
        Pipeline(Settings()).render({"letter_date": "2027-04-29"})
    assert caught.value.field == "template"


def test_a_mapping_may_name_its_template_apart():
    raw = read_data_file(SAMPLES / "pause_confirmation.yaml")
    raw.pop("template")
    result = Pipeline(Settings()).render(raw, "text", template="pause_confirmation")
    assert result.template.id == "pause_confirmation"


def test_lint_a_data_file_reads_it_with_its_data():
    report = Pipeline(Settings()).lint(SAMPLES / "pause_confirmation.yaml")
    assert report.document_type == "pause_confirmation"
    assert report.path == str(SAMPLES / "pause_confirmation.yaml")


def test_text_over_the_limit_is_refused(tmp_path):
    pipeline = Pipeline(Settings.for_service(max_text_chars=10))
    with pytest.raises(TextTooLong):
        pipeline.lint_text("a" * 11, limit=True)


def test_issue_refuses_harsh_data_before_any_conversion(tmp_path):
    raw = read_data_file(SAMPLES / "termination_warning_notice.yaml")
    raw["concerns"] = [*raw["concerns"], HARSH]
    settings = Settings.for_service(register=str(tmp_path / "register.sqlite3"),
                                    issue_dir=str(tmp_path / "issued"))
    with Pipeline(settings) as pipeline, pytest.raises(IssueRefused):
        pipeline.issue(raw, by="Sam Senior")
    assert not (tmp_path / "issued").exists()


# --- one settings object -------------------------------------------------------------------

def test_the_environment_is_read_into_typed_fields():
    environment = Environment.read({
        "DOCGEN_TEMPLATES": "/srv/templates", "DOCGEN_DB": "/srv/register.sqlite3",
        "DOCGEN_SERVICE_LINT_PROCESSES": "3", "DOCGEN_DEBUG": "1",
        "DOCGEN_LANGUAGETOOL_URL": " http://lt:8010 ", "UNRELATED": "x",
    })
    assert environment.templates == Path("/srv/templates")
    assert environment.db == "/srv/register.sqlite3"
    assert environment.service_lint_processes == 3
    assert environment.debug is True
    assert environment.languagetool_url == "http://lt:8010"
    assert environment.soffice is None


def test_a_bad_variable_is_named():
    with pytest.raises(ConfigError) as caught:
        Environment.read({"DOCGEN_SERVICE_LINT_PROCESSES": "many"})
    assert "DOCGEN_SERVICE_LINT_PROCESSES" in caught.value.message
    assert "'many'" in caught.value.message


def test_one_file_gives_the_lint_and_service_settings(tmp_path):
    config = tmp_path / "docgen.toml"
    config.write_text('[lint]\nignore = ["Spelling"]\n[service]\nmax_pdf_pages = 7\n',
                      encoding="utf-8")
    settings = load_settings(config, environ={})
    assert settings.lint.ignore == ("Spelling",)
    assert settings.service.max_pdf_pages == 7
    assert settings.service.lint_config_file == str(config)


def test_precedence_options_then_environment_then_file(tmp_path):
    config = tmp_path / "docgen.toml"
    config.write_text('[lint]\ngrammar_server = "http://file:8010"\n'
                      '[service]\nlint_processes = 1\nregister = "from-file.sqlite3"\n',
                      encoding="utf-8")
    environ = {"DOCGEN_SERVICE_CONFIG": str(config), "DOCGEN_SERVICE_LINT_PROCESSES": "2",
               "DOCGEN_LANGUAGETOOL_URL": "http://env:8010", "DOCGEN_DB": "env.sqlite3",
               "DOCGEN_SERVICE_HOST": "0.0.0.0"}
    settings = load_settings(environ=environ)
    assert settings.service.lint_processes == 2
    assert settings.service.host == "0.0.0.0"
    assert settings.lint.grammar_server == "http://env:8010"
    assert settings.register == "from-file.sqlite3"  # the service's own key wins
    assert load_settings(config, environ={"DOCGEN_DB": "env.sqlite3"},
                         lint_processes=0).service.lint_processes == 0
    bare = Settings(environment=Environment.read({"DOCGEN_DB": "env.sqlite3"}))
    assert bare.register == "env.sqlite3"
