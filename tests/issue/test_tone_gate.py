"""The gate and the learned tone rule: a harsh sentence no pattern lists stops an issue,
and a waiver of Tone.Semantic, with its reason, lets it through like any rule."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from docgen.cli import main
from tests.conftest import SAMPLES

# Issuing makes a PDF with LibreOffice: the run's warm one will do.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("shared_converter")]

# The model scores it 0.98, above the error threshold (0.97) with some room: a sentence
# at the threshold itself may fall either side of it from one model version to the next.
UNLISTED = "Your staff seem to have treated every deadline we agreed as a mere suggestion."


def test_a_learned_finding_stops_the_issue_until_it_is_waived(tmp_path: Path) -> None:
    data = yaml.safe_load((SAMPLES / "publication_delay.yaml").read_text(encoding="utf-8"))
    data["reason"] = f"{UNLISTED} {data['reason']}"
    letter = tmp_path / "delay.yaml"
    letter.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    base = ["issue", str(letter), "--by", "Tom Barraclough", "--out", str(tmp_path / "out"),
            "--db", str(tmp_path / "register.sqlite3")]

    refused = CliRunner().invoke(main, base)
    assert refused.exit_code == 1, refused.output
    assert "Tone.Semantic" in refused.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())

    waived = CliRunner().invoke(main, [*base, "--waive", "Tone.Semantic", "--reason",
                                       "Quoted from the trust's own minutes, with its consent"])
    assert waived.exit_code == 0, waived.output
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".docx", ".pdf"]


def test_the_complainants_own_words_do_not_stop_an_issue_and_the_record_counts_them(
        tmp_path: Path) -> None:
    data = yaml.safe_load((SAMPLES / "complaint_outcome.yaml").read_text(encoding="utf-8"))
    # The complainant's words, quoted: our own letter could never say this.
    data["points"][0]["point"] = "You have failed to keep pupils safe and obviously do not care."
    letter = tmp_path / "outcome.yaml"
    letter.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    db = str(tmp_path / "register.sqlite3")

    issued = CliRunner().invoke(main, ["issue", str(letter), "--by", "Tom Barraclough",
                                       "--out", str(tmp_path / "out"), "--db", db])
    assert issued.exit_code == 0, issued.output
    reference = next((tmp_path / "out").glob("*.pdf")).stem
    shown = CliRunner().invoke(main, ["register", "show", reference, "--db", db])
    assert '"quoted": 2' in shown.output
