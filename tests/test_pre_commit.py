"""The documented pre-commit hook, run as a user would: ``pre-commit try-repo`` on this
repository. pre-commit installs docgen (not editable) and its dependencies from the
package index into an environment of its own, so the test needs the network and is
skipped with that reason without it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
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


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
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

    def try_repo(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pre-commit", "try-repo", str(ROOT), "docgen-lint",
                               "--files", path.name], cwd=work, env=env, text=True,
                              capture_output=True, timeout=900)

    passed = try_repo(kind)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = try_repo(harsh)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Tone." in failed.stdout
