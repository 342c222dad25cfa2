"""Measure rendering speed: docgen's compiled renderer against plain docxtpl.

Prints the median milliseconds per letter and letters per second on one core, for
docgen and for ``DocxTemplate(path).render()`` + ``save()`` on the same template and
data, in the same run.

    python bench/render.py [--sample samples/pause_confirmation.yaml] [--runs 300]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=ROOT / "samples/pause_confirmation.yaml")
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    from docxtpl import DocxTemplate

    from docgen.data import load_document
    from docgen.render import context_for, render
    from docgen.render.environment import environment
    from docgen.templates import Catalogue

    loaded = load_document(args.sample, Catalogue())
    template, document = loaded.template, loaded.document
    context = context_for(document)
    render(template, document)  # compile once, as a long-running process would

    def plain_docxtpl() -> None:
        tpl = DocxTemplate(str(template.docx_path))
        tpl.render(context, jinja_env=environment())
        tpl.save(io.BytesIO())

    ours = _median_ms(lambda: render(template, document), args.runs)
    theirs = _median_ms(plain_docxtpl, max(args.runs // 5, 20))
    print(f"template: {template.id} ({template.docx_path.name}, "
          f"{template.docx_path.stat().st_size // 1024} KB)")
    for label, ms in (("docgen render:       ", ours), ("plain docxtpl render:", theirs)):
        print(f"{label} {ms:7.2f} ms/letter  {1000 / ms:8.1f} letters/s (one core)")
    print(f"speed-up: {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
