"""Word to PDF through LibreOffice: a warm converter for many files, and a one-off call.

Starting LibreOffice costs about 1.6 s; a converter that stays running converts a
one-page letter in under 0.1 s. A ``Converter`` owns two processes: ``soffice.bin``
listening on a private UNO pipe, and ``uno_helper.py`` running under the Python that
has Debian's ``python3-uno``, which loads and exports each document. docgen itself never
imports ``uno``. A job that overruns its timeout kills both processes; the next job
starts them again.

``soffice.bin`` is started directly rather than through the ``soffice`` launcher so that
the process we kill is the process we reap: the launcher's child outlives it as a zombie
in containers whose init does not reap orphans.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import weakref
from pathlib import Path

from docgen.errors import ConversionError, ConversionTimeout
from docgen.lifecycle import Closable

NOT_INSTALLED = (
    "LibreOffice is not installed: install Debian's libreoffice-writer-nogui, "
    "or set DOCGEN_SOFFICE to its path"
)
_HELPER = Path(__file__).with_name("uno_helper.py")
_UNO_PATHS = ("/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program")
_RESTART_EXIT = 81  # soffice.bin asks to be started again after creating a profile
_STOP_GRACE = 5.0


def find_soffice() -> Path:
    """Return the LibreOffice program to run, from ``DOCGEN_SOFFICE`` or the PATH."""
    from docgen.settings import environment

    path = environment().soffice
    if path is not None:
        if path.is_file() and os.access(path, os.X_OK):
            return path
        raise ConversionError(f"{NOT_INSTALLED} (DOCGEN_SOFFICE is {str(path)!r}, not a program)")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    raise ConversionError(NOT_INSTALLED)


def _program(soffice: Path) -> Path:
    """The ``soffice.bin`` beside the launcher, or the launcher itself if there is none."""
    binary = soffice.resolve().with_name("soffice.bin")
    return binary if binary.is_file() else soffice


def _uno_python() -> str:
    """The Python to run the UNO helper with: ``DOCGEN_UNO_PYTHON``, Debian's, or ours."""
    from docgen.settings import environment

    configured = environment().uno_python
    if configured:
        return configured
    return "/usr/bin/python3" if Path("/usr/bin/python3").is_file() else sys.executable


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # What the soffice launcher script sets before starting soffice.bin.
    env["SAL_ENABLE_FILE_LOCKING"] = "1"
    env.setdefault("SAL_USE_VCLPLUGIN", "svp")
    extra = [p for p in _UNO_PATHS if Path(p).is_dir()]
    if env.get("PYTHONPATH"):
        extra.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(extra)
    return env


def _kill(process: subprocess.Popen[bytes] | None, *, grace: float = 0.0) -> None:
    """Stop ``process`` and its process group, then reap it so it leaves no zombie."""
    if process is None:
        return
    if grace and process.poll() is None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace)
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
    process.wait()


# A tagged PDF, as the warm converter makes (``uno_helper``): the reading order and
# structure screen readers need, and each paragraph's and run's style as its structure
# type, which the linter's PDF reader reads quotations from.
TAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def convert_once(docx: bytes, *, name: str = "document.docx", timeout: float = 120.0) -> bytes:
    """Convert one .docx to a tagged PDF with its own ``soffice --convert-to`` run (slow,
    simple)."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(docx)
        process = subprocess.Popen(
            [
                str(soffice),
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                TAGGED_PDF,
                "--outdir",
                str(folder),
                str(source),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise ConversionTimeout(
                f"LibreOffice did not finish within {timeout:g} s and was stopped", path=name
            ) from None
        finally:
            _kill(process)
        target = folder / "document.pdf"
        if process.returncode != 0 or not target.is_file():
            detail = " ".join(stderr.decode(errors="replace").split())[-200:]
            raise ConversionError(
                f"LibreOffice could not convert it to PDF (exit {process.returncode}"
                + (f": {detail})" if detail else ")"),
                path=name,
            )
        return target.read_bytes()


_LIVE: weakref.WeakSet[Converter] = weakref.WeakSet()


@atexit.register
def _close_live_converters() -> None:
    for converter in list(_LIVE):
        converter.close()


class Converter(Closable):
    """One warm LibreOffice that converts .docx files to PDF bytes, one at a time.

    Restarted after ``restart_after`` jobs (LibreOffice grows with use), and killed and
    restarted when a job takes longer than ``timeout`` seconds; that job fails with a
    ``ConversionError`` naming the file. Use it as a context manager, or call ``close``.
    """

    def __init__(
        self,
        *,
        restart_after: int = 200,
        timeout: float = 60.0,
        startup_timeout: float = 60.0,
    ) -> None:
        if restart_after < 1:
            raise ValueError("restart_after must be at least 1")
        self.restart_after = restart_after
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.starts = 0  # how many times LibreOffice has been started
        self.jobs_since_start = 0
        self._program = _program(find_soffice())
        self._lock = threading.Lock()
        self._folder = Path(tempfile.mkdtemp(prefix="docgen-lo-"))
        self._profile = (self._folder / "profile").as_uri()
        self._office: subprocess.Popen[bytes] | None = None
        self._helper: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._closed = False
        _LIVE.add(self)

    @property
    def pids(self) -> tuple[int, ...]:
        """Process ids of the running LibreOffice and helper (empty when stopped)."""
        return tuple(p.pid for p in (self._office, self._helper) if p and p.poll() is None)

    def start(self) -> None:
        """Start LibreOffice and wait until it accepts jobs (no-op when running)."""
        with self._lock:
            self._ensure_running()

    def convert(self, docx: bytes | str | os.PathLike[str], *, name: str | None = None) -> bytes:
        """Convert a .docx (bytes or a path) to PDF bytes; ``name`` labels errors."""
        label = name or "document.docx" if isinstance(docx, bytes) else name or str(docx)
        with self._lock:
            if self._closed:
                raise ConversionError("the converter has been closed", path=label)
            if self.jobs_since_start >= self.restart_after:
                self._stop()
            self._ensure_running()
            self.jobs_since_start += 1
            return self._convert(docx, label)

    def close(self) -> None:
        """Quit LibreOffice, reap its processes and remove the working folder."""
        with self._lock:
            self._closed = True
            self._stop()
            shutil.rmtree(self._folder, ignore_errors=True)
        _LIVE.discard(self)

    def _convert(self, docx: bytes | str | os.PathLike[str], label: str) -> bytes:
        job = uuid.uuid4().hex
        target = self._folder / f"{job}.pdf"
        if isinstance(docx, bytes):
            source = self._folder / f"{job}.docx"
            source.write_bytes(docx)
        else:
            source = Path(docx).resolve()
            if not source.is_file():
                raise ConversionError("does not exist or is not a file", path=label)
        try:
            request = json.dumps({"source": str(source), "target": str(target)}) + "\n"
            assert self._helper is not None and self._helper.stdin is not None
            try:
                self._helper.stdin.write(request.encode())
                self._helper.stdin.flush()
                reply = self._read_reply(time.monotonic() + self.timeout)
            except TimeoutError:
                self._stop(kill=True)
                raise ConversionTimeout(
                    f"LibreOffice did not finish converting it within {self.timeout:g} s; "
                    "it was stopped and will be restarted for the next document",
                    path=label,
                ) from None
            except (OSError, EOFError):
                self._stop(kill=True)
                raise ConversionError(
                    "LibreOffice stopped while converting it; it will be restarted "
                    "for the next document",
                    path=label,
                ) from None
            if "error" in reply:
                if self._office is None or self._office.poll() is not None:
                    self._stop(kill=True)
                raise ConversionError(
                    f"LibreOffice could not convert it to PDF ({reply['error']})", path=label
                )
            try:
                return target.read_bytes()
            except OSError:
                raise ConversionError(
                    "LibreOffice reported success but wrote no PDF", path=label
                ) from None
        finally:
            target.unlink(missing_ok=True)
            if isinstance(docx, bytes):
                source.unlink(missing_ok=True)

    def _ensure_running(self) -> None:
        if (
            self._helper is not None
            and self._helper.poll() is None
            and (self._office is not None and self._office.poll() is None)
        ):
            return
        self._stop(kill=True)
        pipe = f"docgen-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        env = _environment()
        arguments = [
            str(self._program),
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={self._profile}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ]

        def launch_office() -> subprocess.Popen[bytes]:
            # Its own session, so a Ctrl-C in the terminal reaches docgen, which then
            # stops LibreOffice in order, rather than killing it mid-document.
            return subprocess.Popen(
                arguments,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )

        deadline = time.monotonic() + self.startup_timeout
        self._office = launch_office()
        self._helper = subprocess.Popen(
            [_uno_python(), str(_HELPER), pipe, f"{self.startup_timeout:g}"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._buffer = b""
        try:
            while True:
                try:
                    reply = self._read_reply(min(deadline, time.monotonic() + 0.1))
                    break
                except TimeoutError:
                    pass
                if self._office.poll() is not None:
                    if self._office.returncode != _RESTART_EXIT:
                        raise ConversionError(
                            f"LibreOffice ({self._program}) exited with status "
                            f"{self._office.returncode} while starting"
                        )
                    self._office.wait()
                    self._office = launch_office()
                if time.monotonic() >= deadline:
                    raise ConversionError(
                        f"LibreOffice did not become ready within {self.startup_timeout:g} s"
                    )
        except EOFError:
            self._stop(kill=True)
            raise ConversionError(
                f"the LibreOffice helper stopped while starting; check that {_uno_python()} "
                "can import uno (install Debian's python3-uno, or set DOCGEN_UNO_PYTHON)"
            ) from None
        except BaseException:
            self._stop(kill=True)
            raise
        if not reply.get("ready"):
            self._stop(kill=True)
            if reply.get("kind") == "no-uno":
                raise ConversionError(
                    f"{_uno_python()} cannot import uno: install Debian's python3-uno, "
                    "or set DOCGEN_UNO_PYTHON to a Python that has it"
                )
            raise ConversionError(f"LibreOffice could not be started ({reply.get('error')})")
        self.starts += 1
        self.jobs_since_start = 0

    def _read_reply(self, deadline: float) -> dict[str, object]:
        """Read one JSON line from the helper; TimeoutError after ``deadline``."""
        assert self._helper is not None and self._helper.stdout is not None
        fd = self._helper.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(fd, 65536)
            if not chunk:
                raise EOFError
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        reply = json.loads(line)
        if not isinstance(reply, dict):  # the helper writes one JSON object a line
            raise EOFError
        return reply

    def _stop(self, *, kill: bool = False) -> None:
        """Stop the helper and LibreOffice: politely unless ``kill``, reaping both."""
        helper, office = self._helper, self._office
        self._helper = self._office = None
        if helper is not None and helper.stdin is not None:
            if not kill:
                # End of input makes the helper ask LibreOffice to quit.
                with contextlib.suppress(OSError):
                    helper.stdin.close()
            _kill(helper, grace=0 if kill else _STOP_GRACE)
            if helper.stdout is not None:
                helper.stdout.close()
            if kill and not helper.stdin.closed:
                with contextlib.suppress(OSError):
                    helper.stdin.close()
        _kill(office, grace=0 if kill else _STOP_GRACE)
        self.jobs_since_start = 0
