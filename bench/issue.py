"""Measure PDF conversion: warm LibreOffice converters against one soffice run per file.

Renders ``--count`` letters from the sample (each with its own school name and URN),
converts them all through a ``ConverterPool`` of ``--workers`` warm converters, then
converts the first ``--once`` of the same letters with one ``soffice --convert-to pdf``
per file, and extrapolates that rate to the whole batch. Both in the same run.
Converter start-up is counted in the warm figure; rendering is not counted in either.

    python bench/issue.py [--count 200] [--workers 2] [--once 10] [--stamp]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=ROOT / "samples/pause_confirmation.yaml")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--once", type=int, default=10, help="letters for the per-file way")
    parser.add_argument("--stamp", action="store_true", help="also stamp and check each PDF")
    args = parser.parse_args()

    from docgen.data import load_document
    from docgen.issue.convert import ConverterPool, convert_once
    from docgen.issue.pdf import check_pdf, stamp_pdf
    from docgen.render import render
    from docgen.templates import Catalogue

    loaded = load_document(args.sample, Catalogue())
    letters: list[tuple[str, bytes, str]] = []
    for n in range(args.count):
        school = loaded.document.school.model_copy(
            update={"name": f"Brookfield Primary School {n + 1}", "urn": f"{138245 + n}"}
        )
        document = loaded.document.model_copy(update={"school": school})
        rendered = render(loaded.template, document)
        letters.append((f"letter-{n + 1:03d}.docx", rendered.docx, school.urn))
    urns = {name: urn for name, _, urn in letters}

    failures = 0
    pages = 0
    start = time.perf_counter()
    with ConverterPool(workers=args.workers) as pool:
        started = time.perf_counter() - start
        for name, outcome in pool.convert_many((name, docx) for name, docx, _ in letters):
            if isinstance(outcome, Exception):
                failures += 1
                print(f"  {outcome}")
                continue
            if args.stamp:
                outcome = stamp_pdf(
                    outcome,
                    title="Pause confirmation letter",
                    reference=name,
                    template_id=loaded.template.id,
                    template_version=loaded.template.version,
                    data_sha256="0" * 64,
                )
                pages += check_pdf(outcome, must_contain=[urns[name]], name=name).pages
    warm_seconds = time.perf_counter() - start
    warm_rate = (args.count - failures) / warm_seconds

    sample = letters[: args.once]
    start = time.perf_counter()
    for name, docx, _ in sample:
        convert_once(docx, name=name)
    once_seconds = time.perf_counter() - start
    once_rate = len(sample) / once_seconds

    per_letter = f" ({pages / args.count:.1f} pages each)" if pages else ""
    print(f"letters: {args.count} rendered from {args.sample.name}{per_letter}")
    print(
        f"warm pool ({args.workers} workers): {args.count - failures} PDFs in "
        f"{warm_seconds:.2f} s, start-up {started:.2f} s included"
        + (", stamped and checked" if args.stamp else "")
        + f" -> {warm_rate:.1f} PDFs/s"
    )
    print(
        f"one soffice per file: {len(sample)} PDFs in {once_seconds:.2f} s -> "
        f"{once_rate:.2f} PDFs/s; {args.count} would take about "
        f"{args.count / once_rate:.0f} s (extrapolated from {len(sample)})"
    )
    print(f"ratio: warm pool is {warm_rate / once_rate:.1f}x the per-file way")
    if failures:
        print(f"failures: {failures}")


if __name__ == "__main__":
    main()
