"""docgen as a new user gets it: a wheel installed (not editable) into a fresh virtual
environment, every command run from a folder that is not the checkout.

The wheel is built without network access (no build isolation) and installed without
dependencies; the dependencies come from this test run's own environment through
PYTHONPATH, which adds their folder to the path without running its ``.pth`` files, so
the editable checkout this suite runs from stays invisible to the installed copy.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import socket
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("installed")
    source = work / "source"
    # Build from a copy, as a clean clone would, so nothing is written into the checkout.
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", "build", "*.egg-info", "__pycache__", "node_modules", ".pytest_cache"))
    wheels = work / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(wheels), str(source)],
                   check=True, capture_output=True)
    (wheel,) = wheels.glob("docgen-*.whl")
    environment = work / "venv"
    venv.create(environment, with_pip=False)  # this run's pip installs into it
    python = environment / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCGEN_", "PYTHON"))}
    env["PYTHONPATH"] = os.pathsep.join(site.getsitepackages())
    env["PATH"] = f"{environment / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["DOCGEN_CACHE_DIR"] = str(work / "cache")
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return {"python": python, "env": env, "cwd": elsewhere,
            "docgen": str(environment / "bin" / "docgen")}


def run(installed: dict[str, object], *args: str, check: bool = True
        ) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(installed["docgen"]), *args], cwd=installed["cwd"],
                            env=installed["env"], capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def shipped(installed: dict[str, object], name: str) -> Path:
    out = subprocess.run([str(installed["python"]), "-c",
                          f"from docgen.resources import shipped; print(shipped({name!r}))"],
                         env=installed["env"], cwd=installed["cwd"], capture_output=True,
                         text=True, check=True)
    return Path(out.stdout.strip())


def test_the_installed_copy_is_not_the_checkout(installed: dict[str, object]) -> None:
    for name in ("templates", "style_rules", "samples"):
        folder = shipped(installed, name)
        assert folder.is_dir() and "site-packages" in folder.parts, folder
        assert ROOT not in folder.parents


def test_templates_render_and_lint_work_from_another_folder(
        installed: dict[str, object]) -> None:
    listed = json.loads(run(installed, "templates", "--format", "json").stdout)
    assert len(listed) >= 9
    sample = shipped(installed, "samples") / "pause_confirmation.yaml"
    run(installed, "render", str(sample), "--out", "x")
    assert (Path(str(installed["cwd"])) / "x" / "pause_confirmation.docx").is_file()
    letter = Path(str(installed["cwd"])) / "letter.txt"
    letter.write_text("We note that, once again, your colleagues found time for everything "
                      "but this.\n", encoding="utf-8")
    report = json.loads(run(installed, "lint", str(letter), "--format", "json",
                            check=False).stdout)
    rules = {f["rule"] for f in report["files"][0]["findings"]}
    assert "Tone.Semantic" in rules  # the model loads from the installed copy
    assert not [n for n in report["files"][0]["notices"] if "tone model" in n]


def test_serve_starts_from_another_folder(installed: dict[str, object]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(installed["docgen"]), "serve", "--port", str(port)],
                              cwd=installed["cwd"], env=installed["env"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.post(f"http://127.0.0.1:{port}/v1/lint",
                                    json={"text": "Please send the plan by Friday."},
                                    timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "docgen serve did not start"
                time.sleep(0.2)
        assert answer.status_code == 200, answer.text
    finally:
        server.terminate()
        server.wait(timeout=30)
