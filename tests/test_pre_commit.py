"""The documented pre-commit hook, run as a user would: ``pre-commit try-repo`` on this
repository. pre-commit installs docgen (not editable) and its dependencies from the
package index into an environment of its own, so the test needs the network and is
skipped with that reason without it."""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _index_reachable() -> bool:
    try:
        with socket.create_connection(("pypi.org", 443), timeout=3):
            return True
    except OSError:
        return False


@pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                    reason="pre-commit is not installed (it is in the dev extra)")
@pytest.mark.skipif(not _index_reachable(), reason="pre-commit installs docgen from PyPI; "
                    "the package index cannot be reached")
def test_try_repo_lints_a_letter(tmp_path: Path) -> None:
    work = tmp_path / "letters"
    work.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    kind = work / "kind.txt"
    kind.write_text("Thank you for meeting us on Tuesday. Please call me if you have any "
                    "questions.\n", encoding="utf-8")
    harsh = work / "harsh.txt"
    harsh.write_text("Failure to comply will result in termination. This is totally "
                     "unacceptable!\n", encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=work, check=True)

    # One try-repo for both letters: each try-repo installs docgen and its dependencies
    # into a fresh environment of its own (its store is a temporary folder), so a second
    # call would pay for the whole installation again.
    result = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT),
                             "docgen-lint", "--files", kind.name, harsh.name],
                            cwd=work, env=env, text=True, capture_output=True, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    # 'path:line:column: level Rule message': the harsh letter fails, the kind one has
    # nothing to report.
    findings = re.findall(r"^(\S+):\d+:\d+: (\w+) (\S+) ", result.stdout, re.M)
    assert ("harsh.txt", "error") in {(path, level) for path, level, _ in findings}, output
    assert any(rule.startswith("Tone.") for _, _, rule in findings), output
    assert {path for path, _, _ in findings} == {"harsh.txt"}, output
