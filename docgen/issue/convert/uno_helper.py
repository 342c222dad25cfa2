"""Convert documents to PDF through a running LibreOffice, one job per line on stdin.

This file runs as a script under the Python that has Debian's ``python3-uno``
(usually /usr/bin/python3), never inside docgen: importing ``uno`` replaces Python's
import hook, and a hung LibreOffice call can only be stopped by killing a process.

Usage: ``python3 uno_helper.py PIPE_NAME CONNECT_TIMEOUT``. It connects to the
LibreOffice listening on the named UNO pipe, prints ``{"ready": true}``, then reads
``{"source": PATH, "target": PATH}`` lines and answers each with ``{"ok": true}`` or
``{"error": TEXT}``. At end of input it asks LibreOffice to quit.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from typing import Any


def _reply(**fields: object) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def main() -> int:
    try:
        import uno
        from com.sun.star.beans import PropertyValue
        from com.sun.star.connection import NoConnectException
    except ImportError as exc:
        _reply(error=f"the Python-UNO bridge cannot be imported ({exc})", kind="no-uno")
        return 2

    def properties(**values: object) -> tuple[Any, ...]:  # of UNO PropertyValue
        items = []
        for name, value in values.items():
            item = PropertyValue()
            item.Name = name
            item.Value = value
            items.append(item)
        return tuple(items)

    pipe, connect_timeout = sys.argv[1], float(sys.argv[2])
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + connect_timeout
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                _reply(error="LibreOffice did not open its UNO pipe", kind="no-connection")
                return 3
            time.sleep(0.05)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    # Tagged PDF carries the reading order and structure screen readers need.
    filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", properties(UseTaggedPDF=True))
    store_args = properties(FilterName="writer_pdf_Export", FilterData=filter_data)
    load_args = properties(Hidden=True, ReadOnly=True, UpdateDocMode=0)
    try:
        _reply(ready=True)
        _serve(uno, desktop, load_args, store_args)
    finally:
        # Whether input ended or docgen went away mid-job (a broken pipe), LibreOffice
        # must not outlive its converter. It may close the bridge before answering.
        with contextlib.suppress(Exception):
            desktop.terminate()
    return 0


# UNO objects are untyped (LibreOffice ships no stubs): the module and the desktop are Any.
def _serve(uno: Any, desktop: Any, load_args: tuple[Any, ...],
           store_args: tuple[Any, ...]) -> None:
    """Answer one conversion job per line of input until input ends."""
    for line in sys.stdin:
        job = json.loads(line)
        try:
            source = uno.systemPathToFileUrl(job["source"])
            document = desktop.loadComponentFromURL(source, "_blank", 0, load_args)
            if document is None:
                _reply(error="LibreOffice could not open it as a document")
                continue
            try:
                uno.invoke(
                    document,
                    "storeToURL",
                    (uno.systemPathToFileUrl(job["target"]), store_args),
                )
            finally:
                document.close(True)
            _reply(ok=True)
        except Exception as exc:  # any UNO failure is reported, not fatal
            message = getattr(exc, "Message", "") or str(exc) or type(exc).__name__
            _reply(error=" ".join(message.split()))


if __name__ == "__main__":
    sys.exit(main())
