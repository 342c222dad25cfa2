"""The bench scripts still run and print their figures (speed is not asserted here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCRIPTS = {
    "render.py": (["--runs", "5", "--files", "10"],
                  ["docgen render:", "plain docxtpl render:", "speed-up:",
                   "docgen render of 10 files (command, end to end):",
                   "command speed-up over plain docxtpl:"]),
    "lint.py": (["--runs", "3", "--documents", "5", "--cold-runs", "1"],
                ["host: ", "reference loop of 1,000,000 additions", "rules only",
                 "rules + model", "new letter (ms)", "docs/s", "peak resident memory"]),
    "corpus.py": ([], ["recall:", "false-alarm rate:"]),
    "holdout.py": ([], ["== blind3:", "recall:"]),
    # Two rule files whose group alternatives are probed inside an opening group.
    "dead_patterns.py": (["--quiet", "style_rules/Tone/Obviously.yml",
                          "style_rules/Tone/Threat.yml"],
                         ["style_rules/Tone/Threat.yml", "overall",
                          "matched by no flag example of their own file:"]),
}


@pytest.mark.parametrize("script", SCRIPTS)
def test_bench_script_prints_its_figures(script: str) -> None:
    arguments, expected = SCRIPTS[script]
    result = subprocess.run([sys.executable, str(ROOT / "bench" / script), *arguments],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout
